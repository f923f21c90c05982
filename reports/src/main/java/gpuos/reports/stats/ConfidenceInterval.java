package gpuos.reports.stats;

/**
 * A two-sided interval around an estimate; NaN bounds when it cannot be computed (too few values), infinite bounds
 * when it is unbounded (a ratio whose denominator may be 0).
 */
public record ConfidenceInterval(double estimate, double low, double high) {

    public static ConfidenceInterval undefined(double estimate) {
        return new ConfidenceInterval(estimate, Double.NaN, Double.NaN);
    }

    public boolean isDefined() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** Zero width: every fork identical, no spread measured; not a certain value. */
    public boolean isDegenerate() {
        return isDefined() && low == high;
    }

    public boolean isBounded() {
        return isDefined() && Double.isFinite(low) && Double.isFinite(high);
    }

    /** Half the width: the "±" of a symmetric interval. */
    public double halfWidth() {
        return (high - low) / 2;
    }

    public boolean contains(double value) {
        return low <= value && value <= high;
    }
}
