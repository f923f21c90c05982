package gpuos.interventions.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One intervention as the annotation processor wrote it into the index (docs/results-format.md, "Phase 2"). */
public record IndexEntry(String name, String family, String className, String summary, List<String> backends, boolean baseline,
                         List<KnobEntry> knobs, List<PredictionEntry> predictions) {

    public record KnobEntry(String name, String value, String doc) {}

    /** {@code on} empty: the prediction holds on every backend of the intervention. */
    public record PredictionEntry(String metric, String direction, String against, String why, List<String> on) {
        public boolean appliesTo(String backend) {
            return on == null || on.isEmpty() || on.contains(backend);
        }

        /** {@code syscalls.role.sync rises vs baseline}. */
        public String describe() {
            return metric + " " + direction + " vs " + against;
        }
    }

    public boolean runsOn(String backend) {
        return backends.contains(backend);
    }

    /** Knob defaults, in declaration order. */
    public Map<String, String> knobDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        if (knobs != null) knobs.forEach(k -> m.put(k.name(), k.value()));
        return m;
    }
}
