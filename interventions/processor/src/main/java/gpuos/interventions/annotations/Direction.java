package gpuos.interventions.annotations;

import java.util.Locale;

/** How a predicted metric moves against the baseline. */
public enum Direction {
    RISES, FALLS, UNCHANGED;

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
