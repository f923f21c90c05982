package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.Descriptive;
import gpuos.reports.stats.TInterval;

import java.util.Optional;

/** One metric at one point: mean of fork values with its 95% t-interval and coefficient of variation. */
public record MetricSummary(BenchmarkPoint point, String label, String unit, double[] forkValues,
                            ConfidenceInterval ci, double cv) {

    public static Optional<MetricSummary> of(BenchmarkPoint point, String label) {
        return point.forkValues(label).filter(values -> values.length > 0).map(values -> new MetricSummary(
                point, label, point.unit(label), values, TInterval.ofMean(values, TInterval.LEVEL_95),
                Descriptive.coefficientOfVariation(values)));
    }

    public int n() {
        return forkValues.length;
    }

    public double mean() {
        return ci.estimate();
    }
}
