package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.RunResults;
import gpuos.reports.results.Series;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything a report shows, computed once from the results; charts and exporters only format it.
 *
 * @param keyMetrics  metrics with scaling charts, constraints and ratios: the score, syscalls/op and the
 *                    (up to) two roles with the most syscalls
 * @param summaries   every metric at every point, for the CSV
 */
public record Report(RunResults results, ReferencePoint reference, List<String> keyMetrics,
                     List<MetricSummary> summaries, List<Warning.Raised> warnings,
                     List<Constraint> constraints, List<Ratio> ratios) {

    static final int CHARTED_ROLES = 2;

    public static Report of(RunResults results) {
        Map<Series, List<BenchmarkPoint>> bySeries = results.bySeries();
        List<String> keyMetrics = keyMetrics(results.points());
        List<MetricSummary> summaries = new ArrayList<>();
        bySeries.values().forEach(points -> points.forEach(point -> point.labels().forEach(
                label -> MetricSummary.of(point, label).ifPresent(summaries::add))));
        List<Constraint> constraints = new ArrayList<>();
        bySeries.forEach((series, points) -> keyMetrics.forEach(label -> {
            for (ScalingAxis axis : ScalingAxis.values()) {
                Constraint.fit(series, points, label, axis).ifPresent(constraints::add);
            }
        }));
        List<String> ratioLabels = keyMetrics.stream().filter(l -> l.equals(Labels.SCORE) || l.equals(Labels.SYSCALLS_TOTAL)).toList();
        return new Report(results, ReferencePoint.choose(results.points()), keyMetrics, summaries,
                Warnings.check(results), constraints, Ratio.all(bySeries, ratioLabels));
    }

    private static List<String> keyMetrics(List<BenchmarkPoint> points) {
        boolean profiled = points.stream().anyMatch(BenchmarkPoint::hasSyscallProfiler);
        if (!profiled) return List.of(Labels.SCORE);
        Stream<String> busiestRoles = Labels.ROLES.stream()
                .filter(role -> largestMean(points, Labels.role(role)) > 0)
                .sorted(Comparator.comparingDouble((String role) -> largestMean(points, Labels.role(role))).reversed())
                .limit(CHARTED_ROLES)
                .map(Labels::role);
        return Stream.concat(Stream.of(Labels.SCORE, Labels.SYSCALLS_TOTAL), busiestRoles).toList();
    }

    /** Largest mean among points on a sweep axis: a role busy only in a one-point series has no scaling chart to fill. */
    private static double largestMean(List<BenchmarkPoint> points, String label) {
        return points.stream().filter(p -> p.bytes().isPresent() || p.reps().isPresent())
                .flatMap(p -> MetricSummary.of(p, label).stream())
                .mapToDouble(MetricSummary::mean).max().orElse(0);
    }
}
