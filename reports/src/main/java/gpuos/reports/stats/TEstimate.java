package gpuos.reports.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * An estimate with its standard error and Student-t degrees of freedom: what an interval and a p-value are made from,
 * so a verdict's interval and the p-value a multiple-comparison correction needs come from the same numbers.
 * A standard error of 0 (every fork identical) is <em>degenerate</em>: no spread was measured, which is not certainty.
 */
public record TEstimate(double estimate, double standardError, double degreesOfFreedom) {

    public static TEstimate undefined(double estimate) {
        return new TEstimate(estimate, Double.NaN, Double.NaN);
    }

    public boolean isDefined() {
        return !Double.isNaN(standardError) && degreesOfFreedom > 0;
    }

    /** Every fork identical on every side: the interval would have zero width. */
    public boolean isDegenerate() {
        return isDefined() && standardError == 0;
    }

    public ConfidenceInterval interval(double level) {
        if (!isDefined()) return ConfidenceInterval.undefined(estimate);
        double half = criticalValue(level) * standardError;
        return new ConfidenceInterval(estimate, estimate - half, estimate + half);
    }

    public double criticalValue(double level) {
        return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability((1 + level) / 2);
    }

    /**
     * Two-sided p-value of "the true value is {@code value}": below 1 - level exactly when the interval at that level
     * excludes {@code value}. NaN where undefined or degenerate.
     */
    public double pValue(double value) {
        if (!isDefined() || isDegenerate()) return Double.NaN;
        double t = Math.abs(estimate - value) / standardError;
        return 2 * new TDistribution(null, degreesOfFreedom).cumulativeProbability(-t);
    }
}
