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
    void lineOfMeansHasPointsMinusTwoDegreesOfFreedomAndALackOfFitTest() {
        // x 1, 2, 3 with forks {1, 1.2}, {3, 3.2}, {2, 2.2}: means 1.1, 3.1, 2.1, slope 0.5, df 3 - 2 = 1.
        // Lack of fit over the 6 forks: line 1.1 + 0.5 x, residual SS 3.06, pure error SS 0.06 (3 df), lack SS 3.0 (1 df):
        // F = 3.0 / 0.02 = 150, p = 0.0011722 (scipy.stats.f.sf(150, 1, 3)).
        LineOfMeans fit = LineOfMeans.of(new double[] {1, 2, 3}, new double[][] {{1, 1.2}, {3, 3.2}, {2, 2.2}});
        assertEquals(0.5, fit.slope().estimate(), 1e-12);
        assertEquals(1, fit.slope().degreesOfFreedom(), 1e-12);
        assertEquals(0.0011722, fit.lackOfFitP(), 1e-6);
        assertTrue(fit.notALine());
        // Residuals of the means -0.5, 1, -0.5: SSE 1.5, ordinary SE = sqrt(1.5 / 1 / 2) = 0.866025 (larger than the fork noise)
        assertEquals(0.866025, fit.slope().standardError(), 1e-6);
        assertFalse(LineOfMeans.of(new double[] {1, 2}, new double[][] {{1, 2}, {2, 3}}).slope().isDefined(), "two points: no CI");
        assertTrue(Double.isNaN(LineOfMeans.of(new double[] {1, 2, 3}, new double[][] {{1}, {2}, {3}}).lackOfFitP()),
                "one fork a point: no pure error, no lack-of-fit test");
    }

    @Test
    void unequalVarianceBetweenPointsIsSeen() {
        assertTrue(LineOfMeans.unequalVariance(new double[][] {{1, 1.001, 0.999}, {5, 15, 25}, {3, 3.01, 2.99}}));
        assertFalse(LineOfMeans.unequalVariance(new double[][] {{1, 2, 3}, {5, 6, 7}, {3, 4.5, 5}}));
    }

    @Test
    void welchDifferenceAgainstScipy() {
        // scipy.stats.ttest_ind([10, 12, 14], [1, 2, 3], equal_var=False): t = 7.745967, df = 2.941176, p = 0.0047980;
        // SE = sqrt(4/3 + 1/3) = 1.290994; half width t(0.975, 2.941176) * SE = 4.155400
        TEstimate d = WelchDifference.of(TEN_TWELVE_FOURTEEN, new double[] {1, 2, 3});
        assertEquals(10, d.estimate(), 1e-12);
        assertEquals(1.290994, d.standardError(), 1e-6);
        assertEquals(2.941176, d.degreesOfFreedom(), 1e-6);
        assertEquals(0.0047980, d.pValue(0), 1e-6);
        assertEquals(4.155400, d.interval(0.95).halfWidth(), 1e-5);
        TEstimate identical = WelchDifference.of(new double[] {1, 1, 1}, new double[] {1.5, 1.5, 1.5});
        assertTrue(identical.isDegenerate(), "identical forks: zero width, flagged, not certainty");
        assertTrue(identical.interval(0.95).isDegenerate());
        assertFalse(WelchDifference.of(new double[] {1}, new double[] {1, 2}).isDefined(), "one value: no interval");
    }

    @Test
    void fiellerRatioAgainstItsDefinitionAndUnboundedWhereTheBaselineReachesZero() {
        // Worked in numpy/scipy with the same Welch df: ratio 2.112211, Fieller [1.904333, 2.329667]
        ConfidenceInterval r = FiellerRatio.of(new double[] {20.5, 21.0, 22.5}, new double[] {10.0, 10.4, 9.9}, 0.95);
        assertEquals(64.0 / 30.3, r.estimate(), 1e-12);
        assertEquals(1.904333, r.low(), 1e-5);
        assertEquals(2.329667, r.high(), 1e-5);
        // A baseline whose own interval reaches 0 (mean 0.0167 of 0.1, -0.05, 0): unbounded, not "360x [100x, 10029x]".
        ConfidenceInterval unbounded = FiellerRatio.of(new double[] {5, 6, 7}, new double[] {0.1, -0.05, 0.0}, 0.95);
        assertEquals(360, unbounded.estimate(), 1e-9);
        assertTrue(unbounded.isDefined() && !unbounded.isBounded(), unbounded.toString());
    }

    @Test
    void holmStepsDown() {
        // sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06
        double[] adjusted = Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005, Double.NaN});
        assertEquals(0.03, adjusted[0], 1e-12);
        assertEquals(0.06, adjusted[1], 1e-12);
        assertEquals(0.06, adjusted[2], 1e-12);
        assertEquals(0.02, adjusted[3], 1e-12);
        assertTrue(Double.isNaN(adjusted[4]), "no test, no count in the family");
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
}
