package gpuos.reports.stats;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.Random;

/**
 * The wrong variant, kept beside the right ones for {@link CoverageTest}: the reports used it until its coverage was
 * measured (about 80% for a "95%" interval at 3 forks a side, 87% at 5). Replaced by {@link WelchDifference} and
 * {@link FiellerRatio}.
 *
 * <p>Percentile bootstrap (Efron and Tibshirani 1993, ch. 13) of a ratio or a difference of two means, resampling the forks of
 * each side independently with replacement. Seeded per call, so a report is reproducible byte for byte.
 * With three forks per side there are only 10 distinct resampled means per side: the interval is coarse,
 * but it needs no normality of the ratio (which Fieller's theorem would).
 */
public final class Bootstrap {
    public static final int RESAMPLES = 10_000;
    public static final long SEED = 0x67_70_75_6f_73L; // "gpuos"

    private Bootstrap() {}

    /** mean(numerator) / mean(denominator) with its percentile interval; undefined below two values per side. */
    public static ConfidenceInterval ratioOfMeans(double[] numerator, double[] denominator, double level, long seed) {
        double ratio = Descriptive.mean(numerator) / Descriptive.mean(denominator);
        if (numerator.length < 2 || denominator.length < 2) return ConfidenceInterval.undefined(ratio);
        Random random = new Random(seed);
        double[] ratios = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            ratios[b] = resampledMean(numerator, random) / resampledMean(denominator, random);
        }
        Percentile percentile = new Percentile();
        double tail = (1 - level) / 2 * 100;
        return new ConfidenceInterval(ratio, percentile.evaluate(ratios, tail), percentile.evaluate(ratios, 100 - tail));
    }

    /**
     * mean(first) - mean(second) with its percentile interval, the forks of each side resampled independently as for
     * {@link #ratioOfMeans}; undefined below two values per side. Defined where a ratio is not: at a baseline of 0.
     */
    public static ConfidenceInterval differenceOfMeans(double[] first, double[] second, double level, long seed) {
        double difference = Descriptive.mean(first) - Descriptive.mean(second);
        if (first.length < 2 || second.length < 2) return ConfidenceInterval.undefined(difference);
        Random random = new Random(seed);
        double[] differences = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            differences[b] = resampledMean(first, random) - resampledMean(second, random);
        }
        Percentile percentile = new Percentile();
        double tail = (1 - level) / 2 * 100;
        return new ConfidenceInterval(difference, percentile.evaluate(differences, tail), percentile.evaluate(differences, 100 - tail));
    }

    private static double resampledMean(double[] values, Random random) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) sum += values[random.nextInt(values.length)];
        return sum / values.length;
    }
}
