package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.LinearFit;
import gpuos.reports.stats.TInterval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How one metric of one series scales along one axis: an OLS slope over per-fork observations (every fork
 * at every swept point is one (x, y)), with a 95% t-interval, judged by {@link #verdict}.
 *
 * @param held       the value each {@link ScalingAxis#held} axis is held at (empty: points without that param), in axis order
 * @param points     swept points used (distinct x values)
 * @param meanY      mean of all observations
 * @param margin     the slope whose effect over the swept range is {@link #MARGIN_FRACTION} of meanY, and for
 *                   syscall counts at least {@link #COUNT_MARGIN} ({@link #margin})
 */
public record Constraint(Series series, String label, String unit, ScalingAxis axis, Map<ScalingAxis, OptionalLong> held,
                         int points, LinearFit fit, double meanY, double margin, Verdict verdict) {

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

    public static final String RULE = "Verdict rule: the 95% CI of the slope is compared with a margin, the slope that"
            + " would change the metric by 5% of its mean over the whole swept range; for syscall counts (#/op), by"
            + " 5% of the mean or 0.01 syscalls/op, whichever is larger (a change of less than one syscall per 100"
            + " operations across the swept range counts as none). `invariant`: the whole CI lies"
            + " within ± the margin. `grows`/`shrinks`: the CI lies entirely above/below 0 and is not invariant."
            + " `inconclusive`: fewer than 3 swept points, or the CI contains 0 but reaches past the margin.";

    /** Fits a series' metric along an axis, holding the other axes where the series has most points. */
    public static Optional<Constraint> fit(Series series, List<BenchmarkPoint> seriesPoints, String label, ScalingAxis axis) {
        Map<ScalingAxis, OptionalLong> held = axis.fixed(seriesPoints);
        List<BenchmarkPoint> sweep = axis.sweep(seriesPoints, held);
        List<double[]> observations = new ArrayList<>(); // {x, y}
        String unit = "";
        for (BenchmarkPoint point : sweep) {
            Optional<double[]> values = point.forkValues(label);
            if (values.isEmpty()) continue;
            unit = point.unit(label);
            double x = axis.regressor(axis.value(point).getAsLong());
            for (double y : values.get()) observations.add(new double[] {x, y});
        }
        if (observations.isEmpty()) return Optional.empty();
        double[] x = observations.stream().mapToDouble(o -> o[0]).toArray();
        double[] y = observations.stream().mapToDouble(o -> o[1]).toArray();
        int distinctX = (int) Arrays.stream(x).distinct().count();
        LinearFit fit = LinearFit.of(x, y, TInterval.LEVEL_95);
        double meanY = Arrays.stream(y).average().orElse(Double.NaN);
        double range = Arrays.stream(x).max().orElse(0) - Arrays.stream(x).min().orElse(0);
        double margin = margin(label, meanY, range);
        return Optional.of(new Constraint(series, label, unit, axis, Collections.unmodifiableMap(held), distinctX, fit, meanY, margin,
                verdict(fit, distinctX, margin)));
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

    /** The rule stated in {@link #RULE}. */
    public static Verdict verdict(LinearFit fit, int distinctX, double margin) {
        if (distinctX < MIN_POINTS || !fit.interval().isDefined() || Double.isNaN(margin)) return Verdict.INCONCLUSIVE;
        double low = fit.interval().low();
        double high = fit.interval().high();
        if (low >= -margin && high <= margin) return Verdict.INVARIANT;
        if (low > 0) return Verdict.GROWS;
        if (high < 0) return Verdict.SHRINKS;
        return Verdict.INCONCLUSIVE;
    }
}
