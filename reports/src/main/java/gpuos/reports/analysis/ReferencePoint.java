package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The value of each sweep axis (bytes, reps) the charts hold fixed: reps for the sweep over bytes, bytes for the sweep
 * over reps, both for an axis that splits series (gpuNanos). Breakdowns are shown at this point too, so all series are
 * compared at the same workload.
 *
 * @param values one per axis that does not split series ({@link ScalingAxis#splitsSeries}), in axis order; empty where
 *               no point has the param
 */
public record ReferencePoint(Map<ScalingAxis, OptionalLong> values) {

    public ReferencePoint(OptionalLong bytes, OptionalLong reps) {
        this(Map.of(ScalingAxis.BYTES, bytes, ScalingAxis.REPS, reps));
    }

    public ReferencePoint {
        Map<ScalingAxis, OptionalLong> copy = new EnumMap<>(ScalingAxis.class);
        copy.putAll(values);
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * Each sweep axis at the value it is held at when sweeping the next sweep axis (bytes when sweeping reps, reps when
     * sweeping bytes): the value with the most points ({@link ScalingAxis#fixed}).
     */
    public static ReferencePoint choose(Collection<BenchmarkPoint> points) {
        Map<ScalingAxis, OptionalLong> values = new EnumMap<>(ScalingAxis.class);
        for (ScalingAxis axis : sweepAxes()) {
            ScalingAxis swept = sweepAxes().stream().filter(a -> a != axis).findFirst().orElseThrow();
            values.put(axis, swept.fixed(points).get(axis));
        }
        return new ReferencePoint(values);
    }

    private static List<ScalingAxis> sweepAxes() {
        return Arrays.stream(ScalingAxis.values()).filter(a -> !a.splitsSeries()).toList();
    }

    public OptionalLong bytes() {
        return value(ScalingAxis.BYTES);
    }

    public OptionalLong reps() {
        return value(ScalingAxis.REPS);
    }

    public OptionalLong value(ScalingAxis axis) {
        return values.getOrDefault(axis, OptionalLong.empty());
    }

    /** The values held fixed while sweeping {@code swept}: those of its {@link ScalingAxis#held} axes. */
    public Map<ScalingAxis, OptionalLong> fixedFor(ScalingAxis swept) {
        Map<ScalingAxis, OptionalLong> fixed = new EnumMap<>(ScalingAxis.class);
        swept.held().forEach(axis -> fixed.put(axis, value(axis)));
        return fixed;
    }

    /** A series' point at the reference; a series measured at one point only is represented by it. */
    public Optional<BenchmarkPoint> representative(List<BenchmarkPoint> seriesPoints) {
        if (seriesPoints.size() == 1) return Optional.of(seriesPoints.getFirst());
        return seriesPoints.stream()
                .filter(p -> values.entrySet().stream().allMatch(e -> e.getKey().value(p).isEmpty() || e.getKey().value(p).equals(e.getValue())))
                .findFirst();
    }

    /** "bytes = 4096, reps = 10". */
    public String describe() {
        return values.entrySet().stream().map(e -> describe(e.getKey().param, e.getValue())).collect(Collectors.joining(", "));
    }

    static String describe(String param, OptionalLong value) {
        return value.isPresent() ? param + " = " + value.getAsLong() : param + " not a parameter";
    }
}
