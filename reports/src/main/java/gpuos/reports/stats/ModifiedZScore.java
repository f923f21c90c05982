package gpuos.reports.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Outliers by the modified z-score of Iglewicz and Hoaglin (1993), "How to Detect and Handle Outliers",
 * ASQC Basic References in Quality Control, vol. 16: M_i = 0.6745 (x_i - median) / MAD, and x_i is an
 * outlier when |M_i| > 3.5. Chosen over Tukey's fences because it works with three forks, where the
 * quartiles of three values can never fence one of them out. When MAD is 0 (half the values equal), the
 * mean absolute deviation takes its place, scaled by 1.253314 = sqrt(pi / 2) where MAD is scaled by
 * 0.6745, so both estimate the standard deviation of normal data.
 */
public final class ModifiedZScore {
    public static final double THRESHOLD = 3.5;
    private static final double MAD_SCALE = 0.6745;
    private static final double MEAN_AD_SCALE = 1.253314;

    private ModifiedZScore() {}

    /** Modified z-score of every value; all 0 when the values do not vary. */
    public static double[] scores(double[] values) {
        double median = Descriptive.median(values);
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i] - median);
        double mad = Descriptive.median(deviations);
        double meanAbsoluteDeviation = Descriptive.mean(deviations);
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double difference = values[i] - median;
            if (mad > 0) scores[i] = MAD_SCALE * difference / mad;
            else if (meanAbsoluteDeviation > 0) scores[i] = difference / (MEAN_AD_SCALE * meanAbsoluteDeviation);
        }
        return scores;
    }

    /** Indices of the values with |M_i| > 3.5; none below three values. */
    public static List<Integer> outliers(double[] values) {
        List<Integer> outliers = new ArrayList<>();
        if (values.length < 3) return outliers;
        double[] scores = scores(values);
        for (int i = 0; i < scores.length; i++) {
            if (Math.abs(scores[i]) > THRESHOLD) outliers.add(i);
        }
        return outliers;
    }
}
