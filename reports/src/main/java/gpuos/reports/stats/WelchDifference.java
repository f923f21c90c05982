package gpuos.reports.stats;

/**
 * mean(first) - mean(second) of two independent samples (fork values) with unequal variances: Welch's standard error
 * sqrt(s1^2/n1 + s2^2/n2) and the Welch-Satterthwaite degrees of freedom (Welch 1947). Replaces the percentile
 * bootstrap, whose "95%" interval covers about 80% at 3 forks a side (CoverageTest).
 */
public final class WelchDifference {
    private WelchDifference() {}

    /** Undefined below two values a side; degenerate (standard error 0) where both sides' forks are identical. */
    public static TEstimate of(double[] first, double[] second) {
        double difference = Descriptive.mean(first) - Descriptive.mean(second);
        if (first.length < 2 || second.length < 2) return TEstimate.undefined(difference);
        double a = variance(first) / first.length;
        double b = variance(second) / second.length;
        if (a + b == 0) return new TEstimate(difference, 0, first.length + second.length - 2);
        return new TEstimate(difference, Math.sqrt(a + b), satterthwaite(a, first.length, b, second.length));
    }

    /** Degrees of freedom of a + b, the squared standard errors of two means of n1 and n2 values. */
    static double satterthwaite(double a, int n1, double b, int n2) {
        return (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    }

    static double variance(double[] values) {
        double s = Descriptive.standardDeviation(values);
        return s * s;
    }
}
