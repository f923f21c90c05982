package gpuos.reports.stats;

import java.util.Arrays;

/** Aggregates of a sample, as named functions (google/benchmark style). */
public final class Descriptive {
    private Descriptive() {}

    public static double mean(double[] values) {
        if (values.length == 0) return Double.NaN;
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    /** Sample standard deviation (n - 1 in the denominator); NaN below two values. */
    public static double standardDeviation(double[] values) {
        if (values.length < 2) return Double.NaN;
        double mean = mean(values);
        double squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        return Math.sqrt(squares / (values.length - 1));
    }

    /** Standard deviation / |mean|, as a fraction; NaN when the mean is 0 or below two values. */
    public static double coefficientOfVariation(double[] values) {
        double mean = mean(values);
        return mean == 0 ? Double.NaN : standardDeviation(values) / Math.abs(mean);
    }

    public static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
