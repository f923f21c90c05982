package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.RunResults;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.TInterval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How the wait calls of one point spread over syscalls ({@code sync.*} labels, docs/results-format.md): a mean of
 * syscalls per operation does not say whether every call entered a few or a few calls entered many.
 * Per fork, every value is a ratio of sums over the fork's iterations that recorded wait calls (the reader's fork
 * values of sync labels are those sums / the same number of iterations); then the mean over forks with a 95%
 * t-interval: the fork is the unit of replication, and a fork that made more calls weighs no more than another.
 *
 * @param forkInvocations  per fork: wait calls per iteration
 * @param forkBlocked      per fork: sum of {@code sync.blocked} / sum of {@code sync.invocations}
 * @param forkSyscalls     per fork: sum of {@code sync.syscalls} / sum of {@code sync.invocations}
 * @param forkHistogram    per bucket of {@link Labels#SYNC_BUCKETS}, per fork: sum of the bucket / sum of
 *                         {@code sync.invocations}; a bucket label absent at the point is 0
 * @param histogram        per bucket, the mean share over forks with its CI
 */
public record WaitCalls(BenchmarkPoint point, double[] forkInvocations, double[] forkBlocked, double[] forkSyscalls,
                        List<double[]> forkHistogram, ConfidenceInterval invocations, ConfidenceInterval blockedShare,
                        ConfidenceInterval syscallsPerCall, List<ConfidenceInterval> histogram) {

    /** Points that recorded wait calls, by series name, then bytes, then reps. */
    public static List<WaitCalls> all(List<BenchmarkPoint> points) {
        List<WaitCalls> all = new ArrayList<>();
        RunResults.bySeries(points).values().forEach(ofSeries -> ofSeries.stream()
                .sorted(Comparator.comparingLong((BenchmarkPoint p) -> p.bytes().orElse(Long.MIN_VALUE))
                        .thenComparingLong(p -> p.reps().orElse(Long.MIN_VALUE)))
                .forEach(p -> of(p).ifPresent(all::add)));
        return List.copyOf(all);
    }

    /** Empty where no fork of the point recorded a wait call. */
    public static Optional<WaitCalls> of(BenchmarkPoint point) {
        double[] invocations = point.forkMeans().get(Labels.SYNC_INVOCATIONS);
        if (invocations == null) return Optional.empty();
        List<Integer> forks = new ArrayList<>();
        for (int f = 0; f < invocations.length; f++) {
            if (invocations[f] > 0) forks.add(f); // NaN (no call recorded in that fork) is not > 0
        }
        if (forks.isEmpty()) return Optional.empty();
        double[] calls = forks.stream().mapToDouble(f -> invocations[f]).toArray();
        double[] blocked = perCall(point, Labels.SYNC_BLOCKED, forks, invocations);
        double[] syscalls = perCall(point, Labels.SYNC_SYSCALLS, forks, invocations);
        List<double[]> histogram = Labels.SYNC_BUCKETS.stream()
                .map(b -> perCall(point, Labels.syncBucket(b), forks, invocations)).toList();
        return Optional.of(new WaitCalls(point, calls, blocked, syscalls, histogram, ci(calls), ci(blocked), ci(syscalls),
                histogram.stream().map(WaitCalls::ci).toList()));
    }

    /** Per fork, the label's value / calls; 0 where the label is absent at the point, NaN where absent in one fork only. */
    private static double[] perCall(BenchmarkPoint point, String label, List<Integer> forks, double[] invocations) {
        double[] values = point.forkMeans().get(label);
        return forks.stream().mapToDouble(f -> values == null ? 0 : values[f] / invocations[f]).toArray();
    }

    private static ConfidenceInterval ci(double[] forkValues) {
        return TInterval.ofMean(forkValues, TInterval.LEVEL_95);
    }

    /** Forks that recorded wait calls. */
    public int n() {
        return forkInvocations.length;
    }
}
