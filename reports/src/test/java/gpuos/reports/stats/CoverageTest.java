package gpuos.reports.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each interval method on simulated forks with a known truth (seeded): a "95%" interval must cover the truth in
 * 95% of samples: not less than nominal - {@link #TOLERANCE}, not more than nominal + {@link #CONSERVATIVE}. With
 * {@link #SAMPLES} samples the Monte Carlo standard error of a coverage near 0.95 is sqrt(0.95 * 0.05 / 4000) = 0.0034,
 * so the tolerance is about 3 standard errors; Welch's degrees of freedom make its interval a little conservative at
 * 3 forks a side with equal variances (about 96.6% here), which is allowed, and an interval that covers 99% is not.
 * The percentile bootstrap (the reports' earlier method) is run through the same check and fails it at 3 forks.
 */
class CoverageTest {
    static final int SAMPLES = 4000;
    static final double NOMINAL = 0.95;
    static final double TOLERANCE = 0.011;
    static final double CONSERVATIVE = 0.025;

    /** Fork values: normal around a mean, as fork means of many iterations are. */
    private static double[] forks(Random random, int n, double mean, double sd) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = mean + sd * random.nextGaussian();
        return values;
    }

    private static double coverage(long seed, double truth, Function<Random, ConfidenceInterval> method) {
        return coverage(seed, truth, SAMPLES, method);
    }

    private static double coverage(long seed, double truth, int samples, Function<Random, ConfidenceInterval> method) {
        Random random = new Random(seed);
        int covered = 0;
        for (int s = 0; s < samples; s++) if (method.apply(random).contains(truth)) covered++;
        return covered / (double) samples;
    }

    private static void assertNominal(double coverage, String what) {
        assertTrue(coverage >= NOMINAL - TOLERANCE && coverage <= NOMINAL + CONSERVATIVE,
                what + ": coverage " + coverage + ", nominal " + NOMINAL + " - " + TOLERANCE + " / + " + CONSERVATIVE);
    }

    @Test
    void tIntervalOfAMean() {
        assertNominal(coverage(1, 10, r -> TInterval.ofMean(forks(r, 3, 10, 2), NOMINAL)), "t interval, 3 forks");
    }

    @Test
    void welchDifferenceWithUnequalVariances() {
        // 3 vs 5 forks, spreads 1 and 4: the pooled-variance t would be off here; Welch's is close to nominal.
        assertNominal(coverage(2, 3, r -> WelchDifference.of(forks(r, 3, 13, 1), forks(r, 5, 10, 4)).interval(NOMINAL)),
                "Welch difference, 3 vs 5 forks");
        assertNominal(coverage(3, 0, r -> WelchDifference.of(forks(r, 3, 5, 1), forks(r, 3, 5, 1)).interval(NOMINAL)),
                "Welch difference, 3 vs 3 forks, no difference");
    }

    @Test
    void fiellerRatio() {
        // 2x with a baseline far from 0 (CV 10% per fork): the interval is bounded and covers the true ratio 2.
        assertNominal(coverage(4, 2, r -> FiellerRatio.of(forks(r, 3, 20, 2), forks(r, 3, 10, 1), NOMINAL)), "Fieller, 3 forks");
        // A baseline near 0: often unbounded, and then it covers (an honest "we cannot say"), so coverage is not below nominal.
        double near = coverage(5, 50, r -> FiellerRatio.of(forks(r, 3, 5, 1), forks(r, 3, 0.1, 0.1), NOMINAL));
        assertTrue(near >= NOMINAL - TOLERANCE, "Fieller near a zero baseline: coverage " + near);
    }

    @Test
    void slopeOfALineOfMeans() {
        // 3 points x 3 forks, slope 0.5 per doubling, fork spread 1: the line of means (df 1) keeps its nominal coverage.
        double[] x = {12, 16, 20};
        double coverage = coverage(6, 0.5, r -> {
            double[][] y = new double[3][];
            for (int i = 0; i < 3; i++) y[i] = forks(r, 3, 0.5 * x[i], 1);
            return LineOfMeans.of(x, y).slope().interval(NOMINAL);
        });
        // The largest of three standard errors is conservative by construction: at or above nominal, not below.
        assertTrue(coverage >= NOMINAL - TOLERANCE && coverage <= 1, "line of means: coverage " + coverage);
    }

    @Test
    void percentileBootstrapUnderCoversAtThreeForks() {
        // The earlier method: at 3 forks a side its "95%" interval of a difference covers about 80%, so the nominal check
        // above would fail on it; this test pins that failure, with the same data the Welch interval passes on.
        // 500 samples (each resampled 10 000 times) keep this fast; the Monte Carlo error is then 0.018 at 80%.
        double bootstrap = coverage(3, 0, 500, r -> Bootstrap.differenceOfMeans(forks(r, 3, 5, 1), forks(r, 3, 5, 1), NOMINAL, r.nextLong()));
        assertTrue(bootstrap < NOMINAL - TOLERANCE, "percentile bootstrap, 3 vs 3 forks: coverage " + bootstrap);
        assertTrue(bootstrap < 0.87, "about 80% expected: " + bootstrap);
    }
}
