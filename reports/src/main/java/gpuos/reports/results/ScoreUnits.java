package gpuos.reports.results;

import java.util.Map;

/**
 * Brings JMH primary scores to one unit per kind (time per op in us/op, throughput in ops/s), so series
 * written with different {@code @OutputTimeUnit}s can share a chart and be divided by each other.
 */
public final class ScoreUnits {
    public static final String TIME_PER_OP = "us/op";
    static final String OPS_PER_TIME = "ops/s";
    private static final Map<String, Double> MICROS_PER = Map.of(
            "ns", 1e-3, "us", 1.0, "ms", 1e3, "s", 1e6, "min", 60e6, "hr", 3600e6, "day", 86400e6);

    /** A unit and the factor that turns values of the original unit into it. */
    record Canonical(String unit, double factor) {}

    private ScoreUnits() {}

    static Canonical canonical(String unit) {
        String[] parts = unit.split("/");
        if (parts.length == 2 && parts[1].equals("op") && MICROS_PER.containsKey(parts[0])) {
            return new Canonical(TIME_PER_OP, MICROS_PER.get(parts[0]));
        }
        if (parts.length == 2 && parts[0].equals("ops") && MICROS_PER.containsKey(parts[1])) {
            return new Canonical(OPS_PER_TIME, 1e6 / MICROS_PER.get(parts[1]));
        }
        return new Canonical(unit, 1.0);
    }
}
