package gpuos.reports.stats;

/**
 * mean(numerator) / mean(denominator) with Fieller's interval (Fieller 1954): the ratios r for which
 * mean(num) - r mean(den) is within t standard errors of 0, the two means independent with unequal variances
 * (Welch-Satterthwaite degrees of freedom at the estimate). Where the denominator's own interval reaches 0
 * (g = t^2 var(den) / den^2 >= 1) the set is unbounded and is reported so, as [-inf, inf], never as a large finite
 * number: a near-zero baseline makes a ratio meaningless, not huge.
 */
public final class FiellerRatio {
    private FiellerRatio() {}

    public static ConfidenceInterval of(double[] numerator, double[] denominator, double level) {
        double a = Descriptive.mean(numerator);
        double b = Descriptive.mean(denominator);
        double ratio = a / b;
        if (numerator.length < 2 || denominator.length < 2 || b == 0) return ConfidenceInterval.undefined(ratio);
        double va = WelchDifference.variance(numerator) / numerator.length;
        double vb = WelchDifference.variance(denominator) / denominator.length;
        if (va + vb == 0) return new ConfidenceInterval(ratio, ratio, ratio); // identical forks: degenerate
        double df = WelchDifference.satterthwaite(va, numerator.length, ratio * ratio * vb, denominator.length);
        if (!(df > 0) || Double.isNaN(df)) df = Math.min(numerator.length, denominator.length) - 1;
        double t = new TEstimate(0, 1, df).criticalValue(level);
        double t2 = t * t;
        // (a - r b)^2 = t^2 (va + r^2 vb)  <=>  (b^2 - t^2 vb) r^2 - 2ab r + (a^2 - t^2 va) = 0
        double qa = b * b - t2 * vb;
        if (qa <= 0) return new ConfidenceInterval(ratio, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double discriminant = a * a * b * b - qa * (a * a - t2 * va);
        double root = Math.sqrt(Math.max(0, discriminant));
        return new ConfidenceInterval(ratio, (a * b - root) / qa, (a * b + root) / qa);
    }
}
