package gpuos.reports.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every statistic against numbers worked out by hand (the working is in the comments). */
class StatisticsTest {
    private static final double[] TEN_TWELVE_FOURTEEN = {10, 12, 14};

    @Test
    void meanStandardDeviationAndCv() {
        // mean 12; squares 4 + 0 + 4 = 8; s = sqrt(8 / 2) = 2; cv = 2 / 12
        assertEquals(12, Descriptive.mean(TEN_TWELVE_FOURTEEN), 1e-12);
        assertEquals(2, Descriptive.standardDeviation(TEN_TWELVE_FOURTEEN), 1e-12);
        assertEquals(1.0 / 6, Descriptive.coefficientOfVariation(TEN_TWELVE_FOURTEEN), 1e-12);
        assertTrue(Double.isNaN(Descriptive.coefficientOfVariation(new double[] {0, 0, 0})), "cv of a zero mean is undefined");
        assertEquals(11, Descriptive.median(new double[] {14, 10, 12, 10}), 1e-12);
    }

    @Test
    void tIntervalOfThreeForks() {
        // t(0.975, 2 df) = 0.95 * sqrt(2 / (4 * 0.975 * 0.025)) = 4.302653 (closed form for 2 df);
        // half width = 4.302653 * 2 / sqrt(3) = 4.968275
        ConfidenceInterval ci = TInterval.ofMean(TEN_TWELVE_FOURTEEN, TInterval.LEVEL_95);
        assertEquals(4.302653, TInterval.criticalValue(2, 0.95), 1e-6);
        assertEquals(12, ci.estimate(), 1e-12);
        assertEquals(4.968275, ci.halfWidth(), 1e-6);
        assertEquals(12 - 4.968275, ci.low(), 1e-6);
        assertEquals(12 + 4.968275, ci.high(), 1e-6);
    }

    @Test
    void oneForkHasNoInterval() {
        ConfidenceInterval ci = TInterval.ofMean(new double[] {5}, TInterval.LEVEL_95);
        assertEquals(5, ci.estimate());
        assertFalse(ci.isDefined());
    }

    @Test
    void regressionSlopeAndItsInterval() {
        // x 1..5, y 2 4 5 4 5: Sxx = 10, Sxy = 6, slope 0.6, intercept 4 - 0.6 * 3 = 2.2;
        // residuals -0.8 0.6 1.0 -0.6 -0.2, SSE 2.4, MSE 2.4 / 3 = 0.8, SE = sqrt(0.8 / 10) = 0.282843;
        // t(0.975, 3 df) = 3.182446, half width 3.182446 * 0.282843 = 0.900132
        LinearFit fit = LinearFit.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5}, 0.95);
        assertEquals(0.6, fit.slope(), 1e-12);
        assertEquals(2.2, fit.intercept(), 1e-12);
        assertEquals(5, fit.n());
        assertEquals(0.900132, fit.interval().halfWidth(), 1e-6);
        assertFalse(LinearFit.of(new double[] {1, 2}, new double[] {1, 2}, 0.95).interval().isDefined(), "two points: no CI");
    }

    @Test
    void modifiedZScoreFlagsTheFarFork() {
        // median 10.75; |deviations| 0.75 0.25 0.25 19.25, MAD 0.5; M(30) = 0.6745 * 19.25 / 0.5 = 25.968
        double[] values = {10, 10.5, 11, 30};
        assertEquals(25.968, ModifiedZScore.scores(values)[3], 1e-3);
        assertEquals(-1.0118, ModifiedZScore.scores(values)[0], 1e-3);
        assertEquals(List.of(3), ModifiedZScore.outliers(values));
    }

    @Test
    void modifiedZScoreWorksWithThreeForks() {
        // median 101, |deviations| 1 0 39, MAD 1: M(140) = 0.6745 * 39 = 26.3 (Tukey's fences cannot fence out 1 of 3)
        assertEquals(List.of(2), ModifiedZScore.outliers(new double[] {100, 101, 140}));
        assertEquals(List.of(), ModifiedZScore.outliers(new double[] {100, 101, 102}));
    }

    @Test
    void modifiedZScoreFallsBackToMeanAbsoluteDeviationWhenMadIsZero() {
        // median 5, MAD 0; mean |deviation| 4 / 5 = 0.8; M(9) = 4 / (1.253314 * 0.8) = 3.9894 > 3.5
        double[] values = {5, 5, 5, 5, 9};
        assertEquals(3.9894, ModifiedZScore.scores(values)[4], 1e-4);
        assertEquals(List.of(4), ModifiedZScore.outliers(values));
        assertEquals(List.of(), ModifiedZScore.outliers(new double[] {7, 7, 7}));
    }

    @Test
    void bootstrapIsReproducibleAndBracketsTheRatio() {
        double[] gpu = {20.5, 21.0, 22.5};
        double[] cpu = {10.0, 10.4, 9.9};
        ConfidenceInterval first = Bootstrap.ratioOfMeans(gpu, cpu, 0.95, Bootstrap.SEED);
        ConfidenceInterval again = Bootstrap.ratioOfMeans(gpu, cpu, 0.95, Bootstrap.SEED);
        assertEquals(first, again, "same seed, same interval");
        assertEquals(64.0 / 30.3, first.estimate(), 1e-12);
        assertTrue(first.low() < first.estimate() && first.estimate() < first.high());
        // The extreme resamples are 20.5/10.4 = 1.971 and 22.5/9.9 = 2.273: percentiles lie within them.
        assertTrue(first.low() >= 20.5 / 10.4 && first.high() <= 22.5 / 9.9);
    }

    @Test
    void bootstrapOfConstantsIsExact() {
        ConfidenceInterval ci = Bootstrap.ratioOfMeans(new double[] {6, 6, 6}, new double[] {3, 3, 3}, 0.95, 1);
        assertEquals(new ConfidenceInterval(2, 2, 2), ci);
    }

    @Test
    void bootstrapDifferenceOfMeans() {
        // {1, 2, 3} - {0, 0, 0}: a resampled mean of three draws from {1, 2, 3} is 1 with probability 1/27 = 3.7% and 3
        // with 1/27: both beyond the 2.5% tails, so the 95% percentile interval is [1, 3] around d = 2.
        ConfidenceInterval d = Bootstrap.differenceOfMeans(new double[] {1, 2, 3}, new double[] {0, 0, 0}, 0.95, Bootstrap.SEED);
        assertEquals(2, d.estimate(), 1e-12);
        assertEquals(1, d.low(), 1e-12);
        assertEquals(3, d.high(), 1e-12);
        // constant sides: every resample gives the same difference; at 0 vs 0 it is defined (a ratio is not)
        assertEquals(new ConfidenceInterval(-0.5, -0.5, -0.5), Bootstrap.differenceOfMeans(new double[] {1, 1, 1}, new double[] {1.5, 1.5, 1.5}, 0.95, 1));
        assertEquals(new ConfidenceInterval(0, 0, 0), Bootstrap.differenceOfMeans(new double[] {0, 0, 0}, new double[] {0, 0, 0}, 0.95, 1));
        assertFalse(Bootstrap.differenceOfMeans(new double[] {1}, new double[] {1, 2}, 0.95, 1).isDefined(), "one value: no interval");
    }
}
