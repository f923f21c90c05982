package gpuos.reports.stats;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Ordinary least squares slope of y on x with its t-based confidence interval (n - 2 degrees of freedom).
 *
 * @param slope     change of y per unit of x
 * @param interval  confidence interval of the slope (undefined below three observations)
 * @param n         number of observations
 */
public record LinearFit(double slope, ConfidenceInterval interval, double intercept, int n) {

    public static LinearFit of(double[] x, double[] y, double level) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length");
        SimpleRegression regression = new SimpleRegression();
        for (int i = 0; i < x.length; i++) regression.addData(x[i], y[i]);
        double slope = regression.getSlope();
        if (x.length < 3) return new LinearFit(slope, ConfidenceInterval.undefined(slope), regression.getIntercept(), x.length);
        double half = TInterval.criticalValue(x.length - 2, level) * regression.getSlopeStdErr();
        return new LinearFit(slope, new ConfidenceInterval(slope, slope - half, slope + half), regression.getIntercept(), x.length);
    }
}
