package gpuos.reports.analysis;

import gpuos.reports.results.InterventionSpec.Direction;
import gpuos.reports.results.Labels;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.TEstimate;

import java.util.Locale;

/**
 * What the results say about one prediction at one point (docs/results-format.md, "Verdicts (reports)"): the
 * Welch t CI of the difference d = intervention - baseline of the metric's per-fork means, against a margin m.
 */
public enum Outcome {
    CONFIRMED, REFUTED, INCONCLUSIVE;

    /** Fewer forks than this on either side: inconclusive, whatever the numbers. */
    public static final int MIN_FORKS = Warnings.MIN_FORKS;
    /** A difference smaller than 5% of the baseline mean is no difference. */
    public static final double MARGIN_FRACTION = Constraint.MARGIN_FRACTION;
    /** For syscall counts also one syscall per 100 operations, as for constraints ({@link Constraint#COUNT_MARGIN}). */
    public static final double COUNT_MARGIN = Constraint.COUNT_MARGIN;

    public static final String RULE = "Verdict rule: d = intervention - baseline of the metric's per-fork means, with a 95%"
            + " Welch t CI over forks (unequal variances, Welch-Satterthwaite degrees of freedom);"
            + " margin m = 5% of |baseline mean|, and at least 0.01/op for syscall metrics."
            + " `rises`: **confirmed** when the CI of d lies above 0 and d > m, **refuted** when its upper bound < m."
            + " `falls`: **confirmed** when the CI lies below 0 and d < -m, **refuted** when its lower bound > -m."
            + " `unchanged`: **confirmed** when the CI lies inside (-m, m), **refuted** when it lies above m or below -m."
            + " Anything else, fewer than " + MIN_FORKS + " forks on either side, identical forks on both sides (a zero-width"
            + " interval: no spread measured, not certainty), or a side without results: **inconclusive**, with the reason."
            + " **Holm**: each decided verdict's p-value (of d = 0 for a confirmed rise or fall, of d = ± m for the others)"
            + " is adjusted across the family of every tested prediction of this report; a verdict whose adjusted p is 0.05"
            + " or more is inconclusive after Holm, shown beside the raw one.";
    /** The level of each test and of the family after Holm. */
    public static final double ALPHA = 0.05;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** An outcome and, for an inconclusive one, why (empty otherwise). */
    public record Judgement(Outcome outcome, String reason) {
        static Judgement inconclusive(String reason) {
            return new Judgement(INCONCLUSIVE, reason);
        }
    }

    /** m = max(5% of |baseline mean|, 0.01 for syscall counts): a change within ± m is no change. */
    public static double margin(String label, double baselineMean) {
        double margin = MARGIN_FRACTION * Math.abs(baselineMean);
        return Labels.isSyscallCount(label) ? Math.max(margin, COUNT_MARGIN) : margin;
    }

    /** The rule of {@link #RULE} for a defined CI of d; the fork counts are checked by the caller. */
    public static Judgement judge(Direction direction, ConfidenceInterval d, double m) {
        if (!d.isDefined() || Double.isNaN(m)) return Judgement.inconclusive("no CI of the difference");
        if (d.isDegenerate()) return Judgement.inconclusive("identical forks on both sides: no spread measured, so no interval");
        double low = d.low();
        double high = d.high();
        double mean = d.estimate();
        return switch (direction) {
            case RISES -> low > 0 && mean > m ? new Judgement(CONFIRMED, "")
                    : high < m ? new Judgement(REFUTED, "")
                    : low > 0 ? Judgement.inconclusive("d > 0 but not past the margin")
                    : Judgement.inconclusive("the CI of d includes 0 and reaches past m");
            case FALLS -> high < 0 && mean < -m ? new Judgement(CONFIRMED, "")
                    : low > -m ? new Judgement(REFUTED, "")
                    : high < 0 ? Judgement.inconclusive("d < 0 but not past the margin")
                    : Judgement.inconclusive("the CI of d includes 0 and reaches past -m");
            case UNCHANGED -> low > -m && high < m ? new Judgement(CONFIRMED, "")
                    : low > m || high < -m ? new Judgement(REFUTED, "")
                    : Judgement.inconclusive("the CI of d reaches past ± m");
        };
    }

    /**
     * The p-value of the test behind an outcome, at the calibration of the 95% interval (below 0.05 exactly where the
     * interval decided): of d = 0 for a confirmed rise or fall, of d = m (or -m) for a refuted one, the larger of d = -m
     * and d = m for a confirmed `unchanged`, the nearer of them for a refuted one; 1 for an inconclusive outcome of a
     * tested prediction (it counts in the family, never first), NaN where nothing was tested.
     */
    public static double pValue(Direction direction, Outcome outcome, TEstimate d, double m) {
        if (!d.isDefined() || d.isDegenerate() || Double.isNaN(m)) return Double.NaN;
        return switch (outcome) {
            case INCONCLUSIVE -> 1;
            case CONFIRMED -> direction == Direction.UNCHANGED ? Math.max(d.pValue(-m), d.pValue(m)) : d.pValue(0);
            case REFUTED -> switch (direction) {
                case RISES -> d.pValue(m);
                case FALLS -> d.pValue(-m);
                case UNCHANGED -> d.estimate() > 0 ? d.pValue(m) : d.pValue(-m);
            };
        };
    }
}
