package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.ResultsReader;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The two axes of a sweep. Bytes are regressed on log2 (sizes are swept in powers of two, so the slope
 * reads "per doubling"); reps linearly (the slope of syscalls/op vs reps reads "syscalls per launch").
 */
public enum ScalingAxis {
    BYTES(ResultsReader.BYTES, "bytes", "per doubling", "Workload size (bytes, log scale)") {
        @Override
        public double regressor(long value) {
            return log2(value);
        }
    },
    REPS(ResultsReader.REPS, "repetitions", "per repetition", "Launches per operation (reps, log scale)") {
        @Override
        public double regressor(long value) {
            return value;
        }
    };

    public final String param;
    /** Word in verdicts: "grows with bytes", "grows with repetitions". */
    public final String noun;
    /** Unit of a slope: "per doubling". */
    public final String slopeUnit;
    public final String axisTitle;

    ScalingAxis(String param, String noun, String slopeUnit, String axisTitle) {
        this.param = param;
        this.noun = noun;
        this.slopeUnit = slopeUnit;
        this.axisTitle = axisTitle;
    }

    /** The x of a regression along this axis. */
    public abstract double regressor(long value);

    public static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }

    public ScalingAxis other() {
        return this == BYTES ? REPS : BYTES;
    }

    public OptionalLong value(BenchmarkPoint point) {
        return this == BYTES ? point.bytes() : point.reps();
    }

    /** Points along this axis (positive values) with the other axis at {@code fixedOther}, sorted by this axis. */
    public List<BenchmarkPoint> sweep(Collection<BenchmarkPoint> points, OptionalLong fixedOther) {
        return points.stream()
                .filter(p -> value(p).isPresent() && value(p).getAsLong() > 0 && other().value(p).equals(fixedOther))
                .sorted(Comparator.comparingLong(p -> value(p).getAsLong()))
                .toList();
    }

    /**
     * The value to hold the other axis at when sweeping this one: the value with the most (series, value
     * along this axis) points; among equals the largest, where a workload's own cost dominates fixed overheads.
     * Empty when the points have no other axis at all.
     */
    public OptionalLong fixedOther(Collection<BenchmarkPoint> points) {
        Map<OptionalLong, Set<String>> sweptPointsByFixed = new HashMap<>();
        for (BenchmarkPoint p : points) {
            if (value(p).isEmpty()) continue;
            sweptPointsByFixed.computeIfAbsent(other().value(p), k -> new HashSet<>())
                    .add(p.series().name() + "@" + value(p).getAsLong());
        }
        Comparator<Map.Entry<OptionalLong, Set<String>>> mostPoints = Comparator.comparingInt(e -> e.getValue().size());
        return sweptPointsByFixed.entrySet().stream()
                .max(mostPoints.thenComparingLong(e -> e.getKey().orElse(Long.MIN_VALUE)))
                .map(Map.Entry::getKey).orElse(OptionalLong.empty());
    }
}
