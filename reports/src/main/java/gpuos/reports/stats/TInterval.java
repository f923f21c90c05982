package gpuos.reports.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Confidence interval of a mean from independent replicates (here: fork means), Student's t with n - 1
 * degrees of freedom. JMH's own scoreError pools iterations of all forks as if they were independent,
 * which understates the error when forks differ (JIT decisions, memory layout, device state).
 */
public final class TInterval {
    public static final double LEVEL_95 = 0.95;

    private TInterval() {}

    public static ConfidenceInterval ofMean(double[] values, double level) {
        double mean = Descriptive.mean(values);
        if (values.length < 2) return ConfidenceInterval.undefined(mean);
        double half = criticalValue(values.length - 1, level) * Descriptive.standardDeviation(values) / Math.sqrt(values.length);
        return new ConfidenceInterval(mean, mean - half, mean + half);
    }

    /** Two-sided critical value t_{(1+level)/2, df}. */
    public static double criticalValue(int degreesOfFreedom, double level) {
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability((1 + level) / 2);
    }
}
