package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The (bytes, reps) the charts hold fixed: reps for the sweep over bytes, bytes for the sweep over reps.
 * Breakdowns are shown at this point too, so all series are compared at the same workload.
 */
public record ReferencePoint(OptionalLong bytes, OptionalLong reps) {

    public static ReferencePoint choose(Collection<BenchmarkPoint> points) {
        return new ReferencePoint(ScalingAxis.REPS.fixedOther(points), ScalingAxis.BYTES.fixedOther(points));
    }

    /** The value held fixed while sweeping {@code swept}. */
    public OptionalLong fixedFor(ScalingAxis swept) {
        return swept == ScalingAxis.BYTES ? reps : bytes;
    }

    /** A series' point at the reference; a series measured at one point only is represented by it. */
    public Optional<BenchmarkPoint> representative(List<BenchmarkPoint> seriesPoints) {
        if (seriesPoints.size() == 1) return Optional.of(seriesPoints.getFirst());
        return seriesPoints.stream()
                .filter(p -> p.bytes().isEmpty() || p.bytes().equals(bytes))
                .filter(p -> p.reps().isEmpty() || p.reps().equals(reps))
                .findFirst();
    }

    public String describe() {
        return describe(ScalingAxis.BYTES.param, bytes) + ", " + describe(ScalingAxis.REPS.param, reps);
    }

    static String describe(String param, OptionalLong value) {
        return value.isPresent() ? param + " = " + value.getAsLong() : param + " not a parameter";
    }
}
