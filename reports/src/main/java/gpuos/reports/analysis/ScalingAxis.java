package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.ResultsReader;
import gpuos.reports.results.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A numeric JMH param that results are regressed along: the param's name, a transform of its value into the
 * regressor (log2 for params swept in powers of two or ten, so a slope reads "per doubling"; linear for counts,
 * so the slope of syscalls/op vs reps reads "syscalls per launch") and the words a slope is reported in.
 *
 * <p>Two kinds of axis. {@link ResultsReader#SERIES_AXES} (bytes, reps) are the sweep's own axes: they never split
 * series, so a series has points along both, and a sweep along one <em>holds</em> the others at one value. Any other
 * axis (gpuNanos) is a param like any other for the rest of the report: it splits series ("CudaExecution.spin
 * [gpuNanos=1000, waitPolicy=spin]"). Along such an axis the series that differ only in it are pooled into one,
 * named without it ({@link #groups}), and the sweep axes are held.
 */
public enum ScalingAxis {
    BYTES(ResultsReader.BYTES, Transform.LOG2, "bytes", "per doubling", "Workload size (bytes, log scale)", TickUnit.BYTES),
    REPS(ResultsReader.REPS, Transform.LINEAR, "repetitions", "per repetition", "Launches per operation (reps, log scale)", TickUnit.COUNT),
    /** The GPU time one launch keeps the GPU busy ({@code CudaExecution.spin}), in nanoseconds. */
    GPU_TIME("gpuNanos", Transform.LOG2, "GPU time", "per doubling of GPU time", "GPU time per launch (gpuNanos, log scale)",
            TickUnit.NANOSECONDS);

    /** How a param's value becomes the x of a regression. */
    public enum Transform {
        /** log2 of the value: the slope is per doubling. */
        LOG2("log2 %s"),
        /** The value itself: the slope is per unit. */
        LINEAR("%s");

        /** "log2 bytes": the regressor, for sentences. */
        private final String format;

        Transform(String format) {
            this.format = format;
        }

        public double apply(long value) {
            return this == LOG2 ? log2(value) : value;
        }

        public String describe(String param) {
            return String.format(format, param);
        }
    }

    /** What a value along the axis counts, for chart ticks: bytes (binary prefixes), nanoseconds (time units), or a plain count. */
    public enum TickUnit { BYTES, NANOSECONDS, COUNT }

    public final String param;
    public final Transform transform;
    /** Word in verdicts: "grows with bytes", "grows with repetitions", "grows with GPU time". */
    public final String noun;
    /** Unit of a slope: "per doubling". */
    public final String slopeUnit;
    public final String axisTitle;
    public final TickUnit tickUnit;

    ScalingAxis(String param, Transform transform, String noun, String slopeUnit, String axisTitle, TickUnit tickUnit) {
        this.param = param;
        this.transform = transform;
        this.noun = noun;
        this.slopeUnit = slopeUnit;
        this.axisTitle = axisTitle;
        this.tickUnit = tickUnit;
    }

    /** The x of a regression along this axis. */
    public double regressor(long value) {
        return transform.apply(value);
    }

    public static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }

    /** Whether the param is an ordinary param that names series (gpuNanos), not one of the sweep's own axes (bytes, reps). */
    public boolean splitsSeries() {
        return !ResultsReader.SERIES_AXES.contains(param);
    }

    /** The axes held at one value while sweeping this one: the sweep's own axes (bytes, reps) other than this. */
    public List<ScalingAxis> held() {
        return Arrays.stream(values()).filter(a -> a != this && !a.splitsSeries()).toList();
    }

    /** The point's value of this axis' param; empty where it has none or it is not a whole number. */
    public OptionalLong value(BenchmarkPoint point) {
        return point.numericParam(param);
    }

    /**
     * Points along this axis (positive values) with each held axis at its value in {@code held} (an empty value:
     * points without that param), sorted by this axis.
     */
    public List<BenchmarkPoint> sweep(Collection<BenchmarkPoint> points, Map<ScalingAxis, OptionalLong> held) {
        return points.stream()
                .filter(p -> value(p).isPresent() && value(p).getAsLong() > 0)
                .filter(p -> held.entrySet().stream().allMatch(e -> e.getKey().value(p).equals(e.getValue())))
                .sorted(Comparator.comparingLong(p -> value(p).getAsLong()))
                .toList();
    }

    /**
     * The values to hold the {@link #held} axes at when sweeping this one: the combination with the most (series, value
     * along this axis) points; among equals the largest (compared axis by axis, in the order of the axes), where a
     * workload's own cost dominates fixed overheads. A held axis the points lack is held at empty.
     */
    public Map<ScalingAxis, OptionalLong> fixed(Collection<BenchmarkPoint> points) {
        List<ScalingAxis> held = held();
        Map<List<OptionalLong>, Set<String>> sweptPointsByFixed = new HashMap<>();
        for (BenchmarkPoint p : points) {
            if (value(p).isEmpty()) continue;
            sweptPointsByFixed.computeIfAbsent(held.stream().map(a -> a.value(p)).toList(), k -> new HashSet<>())
                    .add(p.series().name() + "@" + value(p).getAsLong());
        }
        Comparator<Map.Entry<List<OptionalLong>, Set<String>>> order = Comparator.comparingInt(e -> e.getValue().size());
        for (int i = 0; i < held.size(); i++) {
            int axis = i;
            order = order.thenComparingLong(e -> e.getKey().get(axis).orElse(Long.MIN_VALUE));
        }
        List<OptionalLong> best = sweptPointsByFixed.entrySet().stream().max(order).map(Map.Entry::getKey)
                .orElse(held.stream().map(a -> OptionalLong.empty()).toList());
        Map<ScalingAxis, OptionalLong> fixed = new EnumMap<>(ScalingAxis.class);
        for (int i = 0; i < held.size(); i++) fixed.put(held.get(i), best.get(i));
        return fixed;
    }

    /**
     * The series to fit along this axis, each with its points, in name order. A sweep axis (bytes, reps) takes every
     * series as it is. An axis that splits series pools the series that differ only in it into one, named without it
     * ({@link Series#without}), and keeps the pools where it takes two or more values: a series measured at one value
     * already says so in its name.
     */
    public SortedMap<Series, List<BenchmarkPoint>> groups(Map<Series, List<BenchmarkPoint>> bySeries) {
        if (!splitsSeries()) return new TreeMap<>(bySeries);
        Map<Series, List<BenchmarkPoint>> pooled = new LinkedHashMap<>();
        bySeries.forEach((series, points) -> points.stream().filter(p -> value(p).isPresent())
                .forEach(p -> pooled.computeIfAbsent(series.without(param), k -> new ArrayList<>()).add(p)));
        SortedMap<Series, List<BenchmarkPoint>> groups = new TreeMap<>();
        pooled.forEach((series, points) -> {
            if (points.stream().map(this::value).distinct().count() >= 2) groups.put(series, List.copyOf(points));
        });
        return groups;
    }
}
