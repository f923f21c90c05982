package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.RunResults;
import gpuos.reports.results.Series;
import gpuos.reports.stats.Holm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a report shows, computed once from the results; charts and exporters only format it.
 *
 * @param keyMetrics  metrics with scaling charts and constraints: the score, workload syscalls/op (the headline
 *                    syscall metric, where the profiler wrote thread labels), total syscalls/op and the roles
 *                    {@link #KEY_ROLES} that are non-zero somewhere; ratios for the score and total syscalls/op
 * @param summaries   every metric at every point (Phase-2 runner points included), for the CSV; renderers and charts
 *                    look a point's up with {@link #summary}, never recompute one
 * @param phase1      the Phase-1 series: every series except those of the Phase-2 runner benchmarks, which the
 *                    scaling, constraint, breakdown and ratio sections leave out (interventions are compared with
 *                    their baselines in {@link #phase2}, not along the axes or with the CPU baseline)
 * @param sweeps      per axis, the series to draw and fit along it with their points ({@link ScalingAxis#groups}: along an
 *                    axis that splits series, the pools of the series that differ only in it); axes without any left out
 * @param constraints slopes of the key metrics along each axis, per series of {@link #sweeps}, with Holm's correction
 *                    across all of them ({@link Constraint#withHolm})
 * @param factors     each value of a categorical param ({@link Factor#ALL}) against the reference value, per Phase-1 point
 * @param phase2      predictions checked, where the run has runner results or failures
 * @param waitCalls   wait calls by syscalls entered during them, per point that recorded some ({@code sync.*} labels);
 *                    empty where none did
 */
public record Report(RunResults results, ReferencePoint reference, List<String> keyMetrics,
                     List<MetricSummary> summaries, List<Warning.Raised> warnings,
                     List<Constraint> constraints, List<FactorEffect> factors, List<Ratio> ratios,
                     Map<Series, List<BenchmarkPoint>> phase1, Optional<Phase2> phase2,
                     List<WaitCalls> waitCalls, Map<ScalingAxis, SortedMap<Series, List<BenchmarkPoint>>> sweeps,
                     Map<BenchmarkPoint, Map<String, MetricSummary>> summaryByPoint) {

    /** Roles that say how a GPU runtime spends syscalls: launching work, waiting for it, mapping memory. */
    public static final List<String> KEY_ROLES = List.of("dispatch", "sync", "memory");

    public static Report of(RunResults results) {
        List<BenchmarkPoint> phase1Points = results.phase1Points();
        Map<Series, List<BenchmarkPoint>> phase1 = RunResults.bySeries(phase1Points);
        List<String> keyMetrics = keyMetrics(phase1Points);
        List<MetricSummary> summaries = new ArrayList<>();
        results.bySeries().values().forEach(points -> points.forEach(point -> point.labels().forEach(
                label -> MetricSummary.of(point, label).ifPresent(summaries::add))));
        // Per series (pooled ones along an axis that splits series among them, by name), per metric, per axis.
        Map<ScalingAxis, SortedMap<Series, List<BenchmarkPoint>>> sweeps = new EnumMap<>(ScalingAxis.class);
        SortedMap<Series, Map<ScalingAxis, List<BenchmarkPoint>>> bySeries = new TreeMap<>();
        for (ScalingAxis axis : ScalingAxis.values()) {
            SortedMap<Series, List<BenchmarkPoint>> groups = axis.groups(phase1);
            if (!groups.isEmpty()) sweeps.put(axis, Collections.unmodifiableSortedMap(groups));
            groups.forEach((series, points) -> bySeries.computeIfAbsent(series, k -> new EnumMap<>(ScalingAxis.class)).put(axis, points));
        }
        List<Constraint> constraints = new ArrayList<>();
        bySeries.forEach((series, byAxis) -> keyMetrics.forEach(label -> byAxis.forEach((axis, points) ->
                Constraint.fit(series, points, label, axis).ifPresent(constraints::add))));
        double[] adjusted = Holm.adjust(constraints.stream().mapToDouble(Constraint::pValue).toArray());
        for (int i = 0; i < constraints.size(); i++) constraints.set(i, constraints.get(i).withHolm(adjusted[i]));
        List<String> ratioLabels = keyMetrics.stream().filter(l -> l.equals(Labels.SCORE) || l.equals(Labels.SYSCALLS_TOTAL)).toList();
        Optional<Phase2> phase2 = Phase2.of(results);
        return new Report(results, ReferencePoint.choose(phase1Points), keyMetrics, summaries,
                Warnings.check(results, phase2), constraints, FactorEffect.all(phase1Points), Ratio.all(phase1, ratioLabels), phase1, phase2,
                WaitCalls.all(results.points()), Collections.unmodifiableMap(sweeps), byPoint(summaries));
    }

    /** The summary of a metric at a point, as computed once in {@link #summaries}; empty where the point lacks it. */
    public Optional<MetricSummary> summary(BenchmarkPoint point, String label) {
        return Optional.ofNullable(summaryByPoint.getOrDefault(point, Map.of()).get(label));
    }

    /** The series along an axis with their points, as fitted and drawn; empty where nothing is swept along it. */
    public SortedMap<Series, List<BenchmarkPoint>> sweep(ScalingAxis axis) {
        return sweeps.getOrDefault(axis, Collections.emptySortedMap());
    }

    /** By point identity: points are records of sample arrays, which need not be hashed to be found. */
    private static Map<BenchmarkPoint, Map<String, MetricSummary>> byPoint(List<MetricSummary> summaries) {
        Map<BenchmarkPoint, Map<String, MetricSummary>> index = new IdentityHashMap<>();
        for (MetricSummary s : summaries) index.computeIfAbsent(s.point(), p -> new HashMap<>()).put(s.label(), s);
        return Collections.unmodifiableMap(index);
    }

    private static List<String> keyMetrics(List<BenchmarkPoint> points) {
        boolean profiled = points.stream().anyMatch(BenchmarkPoint::hasSyscallProfiler);
        if (!profiled) return List.of(Labels.SCORE);
        List<String> metrics = new ArrayList<>(List.of(Labels.SCORE));
        if (points.stream().anyMatch(p -> p.labels().contains(Labels.SYSCALLS_WORKLOAD))) metrics.add(Labels.SYSCALLS_WORKLOAD);
        metrics.add(Labels.SYSCALLS_TOTAL);
        KEY_ROLES.stream().map(Labels::role).filter(role -> largestMean(points, role) > 0).forEach(metrics::add);
        return List.copyOf(metrics);
    }

    /** Largest mean among points on a sweep axis: a role busy only in a one-point series has no scaling chart to fill. */
    private static double largestMean(List<BenchmarkPoint> points, String label) {
        return points.stream().filter(p -> p.bytes().isPresent() || p.reps().isPresent())
                .flatMap(p -> MetricSummary.of(p, label).stream())
                .mapToDouble(MetricSummary::mean).max().orElse(0);
    }
}
