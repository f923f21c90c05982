package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.Descriptive;
import gpuos.reports.stats.LineOfMeans;
import gpuos.reports.stats.TEstimate;
import gpuos.reports.stats.TInterval;
import gpuos.reports.stats.WelchDifference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How one metric of one series scales along one axis: a line through the per-point means of fork values
 * ({@link LineOfMeans}: df = points - 2, lack-of-fit test, HC3 errors where variance differs by point), judged by
 * {@link #RULE}; the verdict is then held to Holm's correction across the report's constraint rows ({@link #holm}).
 *
 * @param held       the value each {@link ScalingAxis#held} axis is held at (empty: points without that param), in axis order
 * @param points     swept points used (distinct x values)
 * @param minForks   fewest forks at a swept point
 * @param slope      95% CI of the slope of the line of means
 * @param meanY      mean of the point means
 * @param margin     the slope whose effect over the swept range is {@link #MARGIN_FRACTION} of meanY, and for
 *                   syscall counts at least {@link #COUNT_MARGIN} ({@link #margin})
 * @param reason     why the verdict is inconclusive; empty otherwise
 * @param powerLaw   where the line does not fit and every point mean is positive: the exponent b of mean ~ value^b
 *                   (slope of log2 mean on log2 value), with its 95% CI
 * @param steps      where the line does not fit: the change between neighbouring points (Welch 95% CIs)
 * @param pValue     p-value of the test behind a decided verdict (1 for an undecided row, NaN where nothing was tested)
 * @param adjusted   the verdict after Holm's correction across the report's rows ({@link #withHolm})
 */
public record Constraint(Series series, String label, String unit, ScalingAxis axis, Map<ScalingAxis, OptionalLong> held,
                         int points, int minForks, LineOfMeans fit, ConfidenceInterval slope, double meanY, double margin,
                         Verdict verdict, String reason, Optional<ConfidenceInterval> powerLaw, List<ConfidenceInterval> steps,
                         double pValue, double holmP, Verdict adjusted) {

    /** Changes smaller than 5% of the mean over the whole swept range count as no change. */
    public static final double MARGIN_FRACTION = 0.05;
    /**
     * For syscall counts (#/op) a change of less than 0.01 syscalls/op over the whole swept range (one syscall
     * per 100 operations) also counts as no change: 5% of a mean near 0 (0.00007/op) is a margin no count can
     * stay within, since a single syscall of a JVM thread in a fork moves it more.
     */
    public static final double COUNT_MARGIN = 0.01;
    /** Fewer swept points than this cannot show a trend (two points always lie on a line). */
    public static final int MIN_POINTS = 3;
    /** Fewer forks at a point than this give no spread within the point, so no lack-of-fit test and no honest error. */
    public static final int MIN_FORKS = 2;
    public static final double ALPHA = 0.05;

    public static final String RULE = "Verdict rule: a line through the per-point means of fork values (so df = points - 2,"
            + " not forks - 2: forks at one point share its deviation from any line); where the fork variance differs between"
            + " points, the larger of the ordinary and the HC3 standard error. Lack of fit: F test of the point means' scatter"
            + " about the line against the forks' scatter within points. The 95% CI of the slope is compared with a margin,"
            + " the slope that would change the metric by 5% of its mean over the whole swept range; for syscall counts (#/op),"
            + " by 5% of the mean or 0.01 syscalls/op, whichever is larger. `invariant`: the whole CI lies within ± the margin."
            + " `grows`/`shrinks`: the CI lies entirely above/below 0 and the slope is beyond the margin."
            + " `inconclusive`: fewer than " + MIN_POINTS + " points or " + MIN_FORKS + " forks at a point (too few forks),"
            + " identical forks everywhere (no spread measured), or a CI that reaches past the margin. Where the line does not"
            + " fit (lack-of-fit p < 0.05) the slope is no verdict: `grows`/`shrinks` when every step between neighbouring"
            + " points moves the same way with a Welch CI excluding 0 and the whole change is beyond the margin, else"
            + " inconclusive; the power-law exponent (or the per-step changes) is given."
            + " Holm: each decided row's p-value (of slope = 0 for grows/shrinks, the largest step's where the line does not"
            + " fit, the larger of slope = ± margin for"
            + " invariant) is adjusted across all tested rows of the report (the family); a verdict whose adjusted p is"
            + " 0.05 or more is inconclusive after Holm.";

    /** Fits a series' metric along an axis, holding the other axes where the series has most points. */
    public static Optional<Constraint> fit(Series series, List<BenchmarkPoint> seriesPoints, String label, ScalingAxis axis) {
        Map<ScalingAxis, OptionalLong> held = axis.fixed(seriesPoints);
        List<BenchmarkPoint> sweep = axis.sweep(seriesPoints, held);
        List<Double> xs = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<double[]> forks = new ArrayList<>();
        String unit = "";
        for (BenchmarkPoint point : sweep) {
            Optional<double[]> forkValues = point.forkValues(label).filter(v -> v.length > 0);
            if (forkValues.isEmpty()) continue;
            long value = axis.value(point).getAsLong();
            unit = point.unit(label);
            int seen = values.indexOf(value);
            if (seen >= 0) { // two points at one value (pooled series): their forks are replicates of it
                double[] both = Arrays.copyOf(forks.get(seen), forks.get(seen).length + forkValues.get().length);
                System.arraycopy(forkValues.get(), 0, both, forks.get(seen).length, forkValues.get().length);
                forks.set(seen, both);
                continue;
            }
            values.add(value);
            xs.add(axis.regressor(value));
            forks.add(forkValues.get());
        }
        if (forks.isEmpty()) return Optional.empty();
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[][] y = forks.toArray(double[][]::new);
        LineOfMeans fit = LineOfMeans.of(x, y);
        double meanY = Arrays.stream(y).mapToDouble(Descriptive::mean).average().orElse(Double.NaN);
        double range = Arrays.stream(x).max().orElse(0) - Arrays.stream(x).min().orElse(0);
        double margin = margin(label, meanY, range);
        int minForks = Arrays.stream(y).mapToInt(f -> f.length).min().orElse(0);
        ConfidenceInterval slope = fit.slope().interval(TInterval.LEVEL_95);
        List<TEstimate> changes = new ArrayList<>();
        for (int i = 1; i < y.length; i++) changes.add(WelchDifference.of(y[i], y[i - 1]));
        Optional<ConfidenceInterval> powerLaw = fit.notALine() ? powerLaw(values, y) : Optional.empty();
        List<ConfidenceInterval> steps = fit.notALine() ? changes.stream().map(c -> c.interval(TInterval.LEVEL_95)).toList() : List.of();
        Judged judged = judge(fit, minForks, margin, changes, range);
        return Optional.of(new Constraint(series, label, unit, axis, Collections.unmodifiableMap(held), x.length, minForks, fit,
                slope, meanY, margin, judged.verdict(), judged.reason(), powerLaw, steps, judged.pValue(), Double.NaN, judged.verdict()));
    }

    /** mean ~ value^b: the slope of log2(point mean) on log2(value), where every mean is positive and three points or more. */
    static Optional<ConfidenceInterval> powerLaw(List<Long> values, double[][] forks) {
        if (forks.length < MIN_POINTS || Arrays.stream(forks).anyMatch(f -> !(Descriptive.mean(f) > 0))) return Optional.empty();
        double[] logX = values.stream().mapToDouble(v -> ScalingAxis.log2(v)).toArray();
        double[][] logMeans = Arrays.stream(forks).map(f -> new double[] {ScalingAxis.log2(Descriptive.mean(f))}).toArray(double[][]::new);
        return Optional.of(LineOfMeans.of(logX, logMeans).slope().interval(TInterval.LEVEL_95));
    }

    /**
     * The margin of {@link #RULE}: the slope that changes the metric by max(5% of |mean|, 0.01) over {@code range}
     * (the width of the swept range in regressor units: doublings or repetitions) for syscall counts, by 5% of
     * |mean| for anything else; NaN when nothing is swept.
     */
    public static double margin(String label, double meanY, double range) {
        if (!(range > 0)) return Double.NaN;
        double change = MARGIN_FRACTION * Math.abs(meanY);
        if (Labels.isSyscallCount(label)) change = Math.max(change, COUNT_MARGIN);
        return change / range;
    }

    /** The held values that are there ("reps" = 1), in axis order: what a sentence says the sweep was held at. */
    public Map<ScalingAxis, Long> heldValues() {
        Map<ScalingAxis, Long> present = new LinkedHashMap<>();
        held.forEach((axis, value) -> value.ifPresent(v -> present.put(axis, v)));
        return present;
    }

    /** A verdict, why it is inconclusive (empty otherwise) and the p-value of the test behind it. */
    public record Judged(Verdict verdict, String reason, double pValue) {
        static Judged inconclusive(String reason, double pValue) {
            return new Judged(Verdict.INCONCLUSIVE, reason, pValue);
        }
    }

    /** The rule stated in {@link #RULE}. */
    public static Judged judge(LineOfMeans fit, int minForks, double margin, List<TEstimate> steps, double range) {
        if (fit.points() < MIN_POINTS) return Judged.inconclusive("fewer than " + MIN_POINTS + " points", Double.NaN);
        if (minForks < MIN_FORKS) return Judged.inconclusive("too few forks (" + minForks + " at a point; at least " + MIN_FORKS + ")", Double.NaN);
        TEstimate s = fit.slope();
        if (!s.isDefined() || Double.isNaN(margin)) return Judged.inconclusive("no CI of the slope", Double.NaN);
        if (s.isDegenerate()) return Judged.inconclusive("identical forks: no spread measured, so no interval", Double.NaN);
        if (fit.notALine()) return monotone(steps, margin * range, fit.lackOfFitP());
        ConfidenceInterval ci = s.interval(TInterval.LEVEL_95);
        if (ci.low() > -margin && ci.high() < margin) {
            return new Judged(Verdict.INVARIANT, "", Math.max(s.pValue(-margin), s.pValue(margin)));
        }
        if (ci.low() > 0 && s.estimate() > margin) return new Judged(Verdict.GROWS, "", s.pValue(0));
        if (ci.high() < 0 && s.estimate() < -margin) return new Judged(Verdict.SHRINKS, "", s.pValue(0));
        if (ci.low() > 0 || ci.high() < 0) return Judged.inconclusive("the slope excludes 0 but is within the margin", 1);
        return Judged.inconclusive("the CI reaches past the margin of ± " + twoDigits(margin), 1);
    }

    /**
     * Where a line does not fit: `grows` (`shrinks`) when every step between neighbouring points rises (falls) with a
     * Welch CI that excludes 0 and the change from first to last point is beyond the margin's change over the range;
     * its p-value is the largest of the steps' (an intersection-union test). Else inconclusive, "not a straight line".
     */
    static Judged monotone(List<TEstimate> steps, double change, double lackOfFitP) {
        String notALine = "not a straight line (lack-of-fit p = " + p(lackOfFitP) + ")";
        if (steps.isEmpty() || steps.stream().anyMatch(s -> !s.isDefined() || s.isDegenerate())) return Judged.inconclusive(notALine, 1);
        double total = steps.stream().mapToDouble(TEstimate::estimate).sum();
        double worst = steps.stream().mapToDouble(s -> s.pValue(0)).max().orElse(1);
        boolean allUp = steps.stream().allMatch(s -> s.interval(TInterval.LEVEL_95).low() > 0);
        boolean allDown = steps.stream().allMatch(s -> s.interval(TInterval.LEVEL_95).high() < 0);
        if (allUp && total > change) return new Judged(Verdict.GROWS, "", worst);
        if (allDown && total < -change) return new Judged(Verdict.SHRINKS, "", worst);
        return Judged.inconclusive(notALine + ", and not every step moves the same way clearly", 1);
    }

    /** This row with its Holm-adjusted p-value: the verdict is kept where it is below {@link #ALPHA}. */
    public Constraint withHolm(double adjustedP) {
        Verdict after = verdict == Verdict.INCONCLUSIVE || adjustedP < ALPHA ? verdict : Verdict.INCONCLUSIVE;
        return new Constraint(series, label, unit, axis, held, points, minForks, fit, slope, meanY, margin, verdict, reason,
                powerLaw, steps, pValue, adjustedP, after);
    }

    /** A p-value for a reason, two significant digits; "<0.0001" below that, as the report's p columns. */
    private static String p(double value) {
        return value < 1e-4 ? "<0.0001" : twoDigits(value);
    }

    private static String twoDigits(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
