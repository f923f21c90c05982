package gpuos.reports.resnet;

import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.Descriptive;
import gpuos.reports.stats.TEstimate;
import gpuos.reports.stats.TInterval;

/** The mean of per-run values with its 95% t interval (n - 1 df); undefined below two runs. */
public record Estimate(ConfidenceInterval ci, int runs) {

    public static Estimate ofMean(double[] values) {
        double mean = Descriptive.mean(values);
        if (values.length < 2) return new Estimate(TEstimate.undefined(mean).interval(TInterval.LEVEL_95), values.length);
        TEstimate t = new TEstimate(mean, Descriptive.standardDeviation(values) / Math.sqrt(values.length), values.length - 1);
        return new Estimate(t.interval(TInterval.LEVEL_95), values.length);
    }

    public double mean() {
        return ci.estimate();
    }
}
