package gpuos.reports.resnet;

import gpuos.reports.analysis.Constraint;
import gpuos.reports.analysis.Verdict;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.Descriptive;
import gpuos.reports.stats.Holm;
import gpuos.reports.stats.LineOfMeans;
import gpuos.reports.stats.TEstimate;
import gpuos.reports.stats.TInterval;
import gpuos.reports.stats.WelchDifference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * A Phase-1 constraint on ResNet-50 (issue 10): one metric of the sweep points that differ only in batch size, or only
 * in inferences per run, fitted by {@link Constraint}'s rule with the run (one process) as the replicate: a line
 * through the per-point means of runs, its lack of fit, the margin, the verdict and Holm across the table.
 *
 * @param series  the points' common settings, the swept one left out
 * @param minRuns the fewest runs at a point
 * @param slope   95% CI of the slope, per {@link Axis#per}
 * @param p       p-value of the test behind a decided verdict (1 undecided, NaN not tested)
 * @param holmP   p after Holm across the table's tested rows
 * @param adjusted the verdict after Holm
 */
public record ResnetConstraint(String series, Metric metric, Axis axis, int points, int minRuns, LineOfMeans fit, ConfidenceInterval slope,
                               double meanY, double margin, Verdict verdict, String reason, double p, double holmP, Verdict adjusted) {

    /** The two axes of issue 10's question: does a figure per inference change with batch size, with inferences per run? */
    public enum Axis {
        /** Regressed on log2 of the batch size, as Phase 1 regresses on log2 bytes. */
        BATCH("batch size", "per doubling of the batch", InferenceRun.Point::batch, true),
        /** Regressed on the inferences a run makes, as Phase 1 regresses on repetitions. */
        ITERS("inferences per run", "per inference per run", InferenceRun.Point::iters, false);

        public final String noun;
        public final String per;
        final ToIntFunction<InferenceRun.Point> value;
        final boolean log2;

        Axis(String noun, String per, ToIntFunction<InferenceRun.Point> value, boolean log2) {
            this.noun = noun;
            this.per = per;
            this.value = value;
            this.log2 = log2;
        }

        double regressor(InferenceRun.Point p) {
            int v = value.applyAsInt(p);
            return log2 ? Math.log(v) / Math.log(2) : v;
        }

        /** The point's settings without this axis': what the points of one series share. */
        String seriesOf(InferenceRun.Point p) {
            String allocator = p.allocator().equals("caching") ? "" : " allocator " + p.allocator();
            return this == BATCH
                    ? p.mode() + " " + p.dtype() + " " + p.waitMode() + allocator + ", " + p.iters() + " inferences"
                    : p.mode() + " bs" + p.batch() + " " + p.dtype() + " " + p.waitMode() + allocator;
        }
    }

    /** The metrics a constraint is fitted for: the Phase-1 question is about syscalls; CPU and latency go with it. */
    static final List<Metric> METRICS = List.of(Metric.SYSCALLS, Metric.CPU, Metric.LATENCY);

    /** "invariant", "grows with batch size", ... */
    public String verdictWords(Verdict v) {
        return v.describe(axis.noun);
    }

    /**
     * Every series with points at {@link Constraint#MIN_POINTS} values of an axis or more (fewer cannot show a trend: the
     * waits at batch 1 and 32 are compared in other tables), per metric; Holm across all tested rows.
     */
    public static List<ResnetConstraint> of(List<ResnetAnalysis.SweepPoint> sweep) {
        List<ResnetConstraint> rows = new ArrayList<>();
        for (Axis axis : Axis.values()) {
            Map<String, List<ResnetAnalysis.SweepPoint>> bySeries = group(sweep, p -> axis.seriesOf(p.point()));
            bySeries.forEach((series, points) -> {
                if (points.stream().map(p -> axis.value.applyAsInt(p.point())).distinct().count() < Constraint.MIN_POINTS) return;
                for (Metric m : METRICS) fit(series, axis, m, points).ifPresent(rows::add);
            });
        }
        return holm(rows);
    }

    private static Optional<ResnetConstraint> fit(String series, Axis axis, Metric metric, List<ResnetAnalysis.SweepPoint> points) {
        List<ResnetAnalysis.SweepPoint> sorted = points.stream()
                .filter(p -> p.values(metric).length > 0)
                .sorted(Comparator.comparingInt(p -> axis.value.applyAsInt(p.point()))).toList();
        if (sorted.isEmpty()) return Optional.empty();
        double[] x = sorted.stream().mapToDouble(p -> axis.regressor(p.point())).toArray();
        double[][] y = sorted.stream().map(p -> p.values(metric)).toArray(double[][]::new);
        LineOfMeans fit = LineOfMeans.of(x, y);
        double meanY = Arrays.stream(y).mapToDouble(Descriptive::mean).average().orElse(Double.NaN);
        double range = x[x.length - 1] - x[0];
        double change = Constraint.MARGIN_FRACTION * Math.abs(meanY);
        if (metric == Metric.SYSCALLS) change = Math.max(change, Constraint.COUNT_MARGIN);
        double margin = range > 0 ? change / range : Double.NaN;
        int minRuns = Arrays.stream(y).mapToInt(v -> v.length).min().orElse(0);
        List<TEstimate> steps = new ArrayList<>();
        for (int i = 1; i < y.length; i++) steps.add(WelchDifference.of(y[i], y[i - 1]));
        Constraint.Judged judged = Constraint.judge(fit, minRuns, margin, steps, range);
        String reason = judged.reason().replace("forks", "runs");
        return Optional.of(new ResnetConstraint(series, metric, axis, x.length, minRuns, fit, fit.slope().interval(TInterval.LEVEL_95),
                meanY, margin, judged.verdict(), reason, judged.pValue(), Double.NaN, judged.verdict()));
    }

    private static Map<String, List<ResnetAnalysis.SweepPoint>> group(List<ResnetAnalysis.SweepPoint> sweep, Function<ResnetAnalysis.SweepPoint, String> key) {
        Map<String, List<ResnetAnalysis.SweepPoint>> groups = new LinkedHashMap<>();
        for (ResnetAnalysis.SweepPoint p : sweep) groups.computeIfAbsent(key.apply(p), k -> new ArrayList<>()).add(p);
        return groups;
    }

    /** Holm over the rows with a p-value (the tested ones); a decided verdict whose adjusted p is 0.05 or more becomes inconclusive. */
    private static List<ResnetConstraint> holm(List<ResnetConstraint> rows) {
        int[] tested = IntStream.range(0, rows.size()).filter(i -> !Double.isNaN(rows.get(i).p())).toArray();
        double[] adjusted = Holm.adjust(Arrays.stream(tested).mapToDouble(i -> rows.get(i).p()).toArray());
        List<ResnetConstraint> out = new ArrayList<>(rows);
        for (int k = 0; k < tested.length; k++) {
            ResnetConstraint r = rows.get(tested[k]);
            Verdict after = r.verdict() == Verdict.INCONCLUSIVE || adjusted[k] < Constraint.ALPHA ? r.verdict() : Verdict.INCONCLUSIVE;
            out.set(tested[k], new ResnetConstraint(r.series(), r.metric(), r.axis(), r.points(), r.minRuns(), r.fit(), r.slope(), r.meanY(),
                    r.margin(), r.verdict(), r.reason(), r.p(), adjusted[k], after));
        }
        return List.copyOf(out);
    }
}
