package gpuos.reports.stats;

import org.apache.commons.math3.distribution.FDistribution;

import java.util.Arrays;

/**
 * A straight line through the per-point means of fork values: the forks at one swept point share that point's
 * deviation from any line, so they are not independent observations of the slope; the points are (df = points - 2;
 * Kalibera and Jones 2013 on the unit of replication). With it:
 * <ul>
 * <li>a lack-of-fit F test (Draper and Smith 1998, 2.1): residual scatter of the point means about the line against the
 *     scatter of forks within points; needs two forks at every point and three points;</li>
 * <li>a standard error that is the largest of: the ordinary one (scatter of the means about the line), the fork-noise
 *     one (sqrt(sum w_i^2 s_i^2 / n_i), the error of a true line's slope from each point's own spread, so means that
 *     happen to lie on a line do not give a zero error), and, where the fork variance differs between points (largest /
 *     smallest past the 97.5% F quantile), HC3 (MacKinnon and White 1985); with a handful of points none alone is
 *     trustworthy, and df stays points - 2.</li>
 * </ul>
 *
 * @param slope           per unit of x, with the standard error used and df = points - 2
 * @param lackOfFitP      p-value of "a line fits", NaN where it cannot be tested
 * @param unequalVariance whether the fork variance differs between points (then the errors are HC3 where larger)
 */
public record LineOfMeans(TEstimate slope, double intercept, int points, double lackOfFitP, boolean unequalVariance) {

    /** @param x one regressor value per point; @param forks the fork values at each point */
    public static LineOfMeans of(double[] x, double[][] forks) {
        int k = x.length;
        double[] means = Arrays.stream(forks).mapToDouble(Descriptive::mean).toArray();
        double meanX = Arrays.stream(x).average().orElse(Double.NaN);
        double meanY = Arrays.stream(means).average().orElse(Double.NaN);
        double sxx = 0, sxy = 0;
        for (int i = 0; i < k; i++) {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (means[i] - meanY);
        }
        double slope = sxy / sxx;
        double intercept = meanY - slope * meanX;
        if (k < 3 || !(sxx > 0)) return new LineOfMeans(TEstimate.undefined(slope), intercept, k, Double.NaN, false);
        double sse = 0, hc3 = 0, noise = 0;
        for (int i = 0; i < k; i++) {
            double residual = means[i] - intercept - slope * x[i];
            double leverage = 1.0 / k + (x[i] - meanX) * (x[i] - meanX) / sxx;
            double weight = (x[i] - meanX) / sxx;
            sse += residual * residual;
            hc3 += weight * weight * residual * residual / ((1 - leverage) * (1 - leverage));
            if (forks[i].length >= 2) noise += weight * weight * WelchDifference.variance(forks[i]) / forks[i].length;
        }
        double ordinary = Math.sqrt(sse / (k - 2) / sxx);
        boolean unequal = unequalVariance(forks);
        double error = Math.max(ordinary, Math.sqrt(noise));
        if (unequal) error = Math.max(error, Math.sqrt(hc3));
        return new LineOfMeans(new TEstimate(slope, error, k - 2), intercept, k, lackOfFit(x, forks), unequal);
    }

    /** Whether a straight line is rejected at the 5% level. */
    public boolean notALine() {
        return lackOfFitP < 0.05;
    }

    /**
     * F = (SS lack of fit / (k - 2)) / (SS pure error / (N - k)) of the line fitted to all N fork values (Draper and Smith);
     * NaN below three points or two forks at a point. Identical forks within every point: 0 (no line fits exactly) or 1.
     */
    static double lackOfFit(double[] x, double[][] forks) {
        int k = x.length;
        if (k < 3 || Arrays.stream(forks).anyMatch(f -> f.length < 2)) return Double.NaN;
        int n = 0;
        double sumX = 0, sumY = 0;
        for (int i = 0; i < k; i++) {
            for (double y : forks[i]) {
                n++;
                sumX += x[i];
                sumY += y;
            }
        }
        double mx = sumX / n, my = sumY / n, sxx = 0, sxy = 0;
        for (int i = 0; i < k; i++) {
            for (double y : forks[i]) {
                sxx += (x[i] - mx) * (x[i] - mx);
                sxy += (x[i] - mx) * (y - my);
            }
        }
        double b = sxy / sxx, a = my - b * mx, residual = 0, pure = 0;
        for (int i = 0; i < k; i++) {
            double mean = Descriptive.mean(forks[i]);
            for (double y : forks[i]) {
                residual += (y - a - b * x[i]) * (y - a - b * x[i]);
                pure += (y - mean) * (y - mean);
            }
        }
        double lack = Math.max(0, residual - pure);
        if (pure == 0) return lack > 1e-12 * Math.max(1, residual) ? 0 : 1;
        double f = (lack / (k - 2)) / (pure / (n - k));
        return 1 - new FDistribution(null, k - 2, n - k).cumulativeProbability(f);
    }

    /** Largest / smallest fork variance beyond the two-sided 5% F quantile of their degrees of freedom. */
    static boolean unequalVariance(double[][] forks) {
        int largest = -1, smallest = -1;
        double max = -1, min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < forks.length; i++) {
            if (forks[i].length < 2) return false;
            double v = WelchDifference.variance(forks[i]);
            if (v > max) { max = v; largest = i; }
            if (v < min) { min = v; smallest = i; }
        }
        if (largest < 0 || max == 0 || largest == smallest) return false;
        if (min == 0) return true;
        double quantile = new FDistribution(null, forks[largest].length - 1, forks[smallest].length - 1).inverseCumulativeProbability(0.975);
        return max / min > quantile;
    }
}
