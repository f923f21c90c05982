package gpuos.reports.analysis;

import gpuos.reports.results.InterventionSpec.Direction;
import gpuos.reports.results.Labels;
import gpuos.reports.stats.Bootstrap;
import gpuos.reports.stats.ConfidenceInterval;

import java.util.Locale;

/**
 * What the results say about one prediction at one point (docs/results-format.md, "Verdicts (reports)"): the
 * bootstrap CI of the difference d = intervention - baseline of the metric's per-fork means, against a margin m.
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
            + " percentile-bootstrap CI over forks (" + Bootstrap.RESAMPLES + " resamples of each side independently, fixed seed);"
            + " margin m = 5% of |baseline mean|, and at least 0.01/op for syscall metrics."
            + " `rises`: **confirmed** when the CI of d lies above 0 and d > m, **refuted** when its upper bound < m."
            + " `falls`: **confirmed** when the CI lies below 0 and d < -m, **refuted** when its lower bound > -m."
            + " `unchanged`: **confirmed** when the CI lies inside (-m, m), **refuted** when it lies above m or below -m."
            + " Anything else, fewer than " + MIN_FORKS + " forks on either side, or a side without results: **inconclusive**, with the reason.";

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
}
