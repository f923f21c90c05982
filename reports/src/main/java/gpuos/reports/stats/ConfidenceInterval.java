package gpuos.reports.stats;

/** A two-sided interval around an estimate; NaN bounds when it cannot be computed (too few values). */
public record ConfidenceInterval(double estimate, double low, double high) {

    public static ConfidenceInterval undefined(double estimate) {
        return new ConfidenceInterval(estimate, Double.NaN, Double.NaN);
    }

    public boolean isDefined() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /** Half the width: the "±" of a symmetric interval. */
    public double halfWidth() {
        return (high - low) / 2;
    }

    public boolean contains(double value) {
        return low <= value && value <= high;
    }
}
