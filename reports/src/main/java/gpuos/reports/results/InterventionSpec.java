package gpuos.reports.results;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One entry of interventions.json, generated from an {@code @Intervention} annotation (docs/results-format.md).
 *
 * @param baseline  true for an intervention that changes nothing, the one predictions are made against
 */
public record InterventionSpec(String name, String family, String className, String summary, List<String> backends,
                           boolean baseline, List<Knob> knobs, List<Prediction> predictions) {

    public record Knob(String name, String value, String doc) {}

    /**
     * What the intervention should do to a metric, compared with the results of the intervention {@code against}.
     *
     * @param metric  {@code time}, {@code cpu.process}, {@code cpu.worker}, {@code syscalls.workload} or a profiler
     *                label without {@code .norm}
     * @param on      the backends ({@code cuda}, {@code opencl}, {@code cpu}) it is made for; empty: all of the intervention's
     */
    public record Prediction(String metric, Direction direction, String against, String why, List<String> on) {
        public Prediction {
            on = List.copyOf(on);
        }

        public Prediction(String metric, Direction direction, String against, String why) {
            this(metric, direction, against, why, List.of());
        }

        /** Whether it is checked on results of {@code backend}. */
        public boolean appliesTo(String backend) {
            return on.isEmpty() || on.contains(backend);
        }

        /** "syscalls.role.sync rises vs baseline". */
        public String describe() {
            return metric + " " + direction.word + " vs " + against;
        }
    }

    public enum Direction {
        RISES("rises"), FALLS("falls"), UNCHANGED("unchanged");

        public final String word;

        Direction(String word) {
            this.word = word;
        }

        public static Optional<Direction> parse(String text) {
            for (Direction d : values()) {
                if (d.word.equals(text.strip().toLowerCase(Locale.ROOT))) return Optional.of(d);
            }
            return Optional.empty();
        }
    }
}
