package gpuos.reports.resnet;

import gpuos.reports.charts.ChartFile;
import gpuos.reports.charts.PointChart;
import gpuos.reports.render.Format;
import gpuos.reports.stats.ConfidenceInterval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** report.md and charts/*.png of a {@link ResnetAnalysis}: formatting only. */
public final class ResnetReport {
    public static final String REPORT = "report.md";
    public static final String CHARTS = "charts";
    static final String NO_INTERVAL = "one run: no interval";

    private ResnetReport() {}

    /** File name (relative to the folder) to bytes, report.md last. */
    public static SequencedMap<String, byte[]> files(ResnetAnalysis a, String title, String sources) {
        List<ChartFile> charts = charts(a);
        SequencedMap<String, byte[]> files = new LinkedHashMap<>();
        for (ChartFile c : charts) files.put(CHARTS + "/" + c.fileName(), c.png());
        files.put(REPORT, markdown(a, title, sources, charts).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    // ---- charts

    static List<ChartFile> charts(ResnetAnalysis a) {
        List<ChartFile> charts = new ArrayList<>();
        List<ResnetAnalysis.SweepPoint> graph = bs1Graph(a.sweep());
        List<ResnetAnalysis.SweepPoint> graphBefore = bs1Graph(a.sweepBefore());
        if (!graph.isEmpty()) {
            // The job waits before the predictor fix stand beside the same waits after it.
            List<ResnetAnalysis.SweepPoint> bars = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (ResnetAnalysis.SweepPoint p : graph) {
                bars.add(p);
                names.add(p.point().waitMode());
                for (ResnetAnalysis.SweepPoint b : graphBefore) {
                    if (b.point().equals(p.point())) {
                        bars.add(b);
                        names.add(p.point().waitMode() + " (before fix)");
                    }
                }
            }
            InferenceRun.Point p = graph.getFirst().point();
            for (Metric m : List.of(Metric.LATENCY, Metric.P99, Metric.CPU, Metric.SYSCALLS)) {
                double[] means = bars.stream().mapToDouble(b -> b.metrics().containsKey(m) ? b.metrics().get(m).mean() : Double.NaN).toArray();
                double[] halves = bars.stream().mapToDouble(b -> b.metrics().containsKey(m) && b.metrics().get(m).ci().isDefined()
                        ? b.metrics().get(m).ci().halfWidth() : Double.NaN).toArray();
                charts.add(PointChart.categories("waits-" + slug(m) + ".png",
                        capital(m.words) + " per wait: ResNet-50 " + p.dtype() + " bs1 CUDA graph",
                        capital(m.words) + " (" + m.unit + ")", names, means, halves,
                        "Mean over runs (one process of " + p.iters() + " inferences each) with its 95% t interval."));
            }
        }
        for (String dtype : List.of("fp16", "fp32")) {
            List<BatchSeries> series = batchSeries(a.sweep(), dtype);
            if (series.isEmpty()) continue;
            for (Metric m : List.of(Metric.LATENCY, Metric.CPU, Metric.SYSCALLS)) {
                List<PointChart.Marks> marks = new ArrayList<>();
                for (BatchSeries b : series) {
                    List<double[]> rows = b.points().stream().filter(p -> p.metrics().containsKey(m) && p.metrics().get(m).ci().isDefined())
                            .map(p -> row(p.point().batch(), p.metrics().get(m))).toList();
                    if (rows.size() >= 2) marks.add(marks(b.waitMode() + ", " + b.mode(), ResnetAnalysis.waitRank(b.waitMode()), b.mode().equals("eager"), rows));
                }
                if (marks.isEmpty()) continue;
                charts.add(PointChart.log2("batch-" + dtype + "-" + slug(m) + ".png", capital(m.words) + " vs batch size, ResNet-50 " + dtype,
                        "Batch size (images per inference)", capital(m.words) + " (" + m.unit + ")", marks,
                        "Per wait and execution model (CUDA graph solid, eager dashed), caching allocator, " + series.getFirst().iters()
                                + " inferences per run; per point the mean over runs (one process each) with its 95% t interval; lines only join the batch sizes measured."));
            }
        }
        if (!a.load().isEmpty() || !a.loadBefore().isEmpty()) {
            for (LoadMetric m : List.of(LoadMetric.P99, LoadMetric.CPU, LoadMetric.SYSCALLS, LoadMetric.VOLUNTARY_CTX, LoadMetric.THROUGHPUT)) {
                List<PointChart.Marks> marks = new ArrayList<>();
                boolean both = !a.load().isEmpty() && !a.loadBefore().isEmpty();
                for (String wait : waits(a.load(), a.loadBefore())) {
                    int colour = ResnetAnalysis.waitRank(wait);
                    loadMarks(wait + (both ? ", after fix" : ""), colour, false, a.load(), wait, m).ifPresent(marks::add);
                    loadMarks(wait + ", before fix", colour, true, a.loadBefore(), wait, m).ifPresent(marks::add);
                }
                charts.add(PointChart.log2("load-" + slug(m) + ".png", capital(m.words) + " vs concurrent processes",
                        // The unit says "per inference": the long titles ran past the plot's height and were cut.
                        "Concurrent inference processes on one GPU (N)", capital(m.words.replace(" per inference", "")) + " (" + m.unit + ")", marks,
                        "ResNet-50 fp16 bs1 CUDA graph; per point the mean over runs (one round of N processes each) with its 95% t interval"
                                + (both ? "; dashed: before the predictor fix" : "")
                                + ". N = 1 is contaminated (31 processes still warming up)."));
            }
        }
        return charts;
    }

    /** The bs1 CUDA-graph points that differ only in their wait: of the series by dtype, allocator and inferences per
     *  run, the one with the most waits (the inference-count axis also has bs1 graph points, at other counts). */
    static List<ResnetAnalysis.SweepPoint> bs1Graph(List<ResnetAnalysis.SweepPoint> points) {
        Map<List<Object>, List<ResnetAnalysis.SweepPoint>> series = points.stream()
                .filter(p -> p.point().mode().equals("graph") && p.point().batch() == 1)
                .collect(Collectors.groupingBy(p -> List.of(p.point().dtype(), p.point().allocator(), p.point().iters()),
                        LinkedHashMap::new, Collectors.toList()));
        return series.values().stream()
                .max(Comparator.comparingLong(s -> s.stream().map(p -> p.point().waitMode()).distinct().count()))
                .orElse(List.of());
    }

    /** Points of one wait and execution model along batch size: the sweep's batch axis and its waits at batch 1 and 32. */
    record BatchSeries(String waitMode, String mode, int iters, List<ResnetAnalysis.SweepPoint> points) {}

    /** Of {@code dtype}'s caching-allocator points at the commonest inferences per run, a series per wait and model
     *  that has two batch sizes or more, in the report's wait order, graph before eager. */
    static List<BatchSeries> batchSeries(List<ResnetAnalysis.SweepPoint> points, String dtype) {
        List<ResnetAnalysis.SweepPoint> kept = points.stream()
                .filter(p -> p.point().dtype().equals(dtype) && p.point().allocator().equals("caching")).toList();
        Optional<Integer> iters = kept.stream().collect(Collectors.groupingBy(p -> p.point().iters(), Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        if (iters.isEmpty()) return List.of();
        Map<List<String>, List<ResnetAnalysis.SweepPoint>> byWait = kept.stream().filter(p -> p.point().iters() == iters.get())
                .sorted(Comparator.comparingInt((ResnetAnalysis.SweepPoint p) -> p.point().batch()))
                .collect(Collectors.groupingBy(p -> List.of(p.point().waitMode(), p.point().mode()), LinkedHashMap::new, Collectors.toList()));
        return byWait.entrySet().stream().filter(e -> e.getValue().size() >= 2)
                .map(e -> new BatchSeries(e.getKey().get(0), e.getKey().get(1), iters.get(), e.getValue()))
                .sorted(Comparator.comparingInt((BatchSeries b) -> ResnetAnalysis.waitRank(b.waitMode())).thenComparing(BatchSeries::waitMode)
                        .thenComparing(b -> b.mode().equals("eager")))
                .toList();
    }

    private static Optional<PointChart.Marks> loadMarks(String name, int colour, boolean dashed, List<ResnetAnalysis.LoadPoint> points, String waitName, LoadMetric m) {
        List<double[]> rows = points.stream().filter(p -> p.waitMode().equals(waitName) && p.metrics().containsKey(m))
                .map(p -> row(p.n(), p.metrics().get(m))).toList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(marks(name, colour, dashed, rows));
    }

    /** A chart row: x, the estimate's mean, its interval's ends. */
    private static double[] row(double x, Estimate e) {
        return new double[] {x, e.mean(), e.ci().low(), e.ci().high()};
    }

    private static PointChart.Marks marks(String name, int colour, boolean dashed, List<double[]> rows) {
        Function<Integer, double[]> column = c -> rows.stream().mapToDouble(r -> r[c]).toArray();
        return new PointChart.Marks(name, colour, dashed, column.apply(0), column.apply(1), column.apply(2), column.apply(3));
    }

    private static List<String> waits(List<ResnetAnalysis.LoadPoint> a, List<ResnetAnalysis.LoadPoint> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).map(ResnetAnalysis.LoadPoint::waitMode).distinct()
                .sorted(java.util.Comparator.comparingInt(ResnetAnalysis::waitRank).thenComparing(w -> w)).toList();
    }

    // ---- markdown

    static String markdown(ResnetAnalysis a, String title, String sources, List<ChartFile> charts) {
        StringBuilder md = new StringBuilder("# " + title + "\n\n" + sources + "\n\n");
        md.append("A run is one process, the unit of replication: each figure is the mean over runs of the run's own figure, ± the half-width")
                .append(" of its 95% Student-t interval (n - 1 df); \"").append(NO_INTERVAL).append("\" where a point has fewer than two runs.\n\n");
        if (!a.warnings().isEmpty()) {
            md.append("## Warnings\n\n");
            for (String w : a.warnings()) md.append("- **WARNING** ").append(w).append('\n');
            md.append('\n');
        }
        if (!a.sweep().isEmpty()) {
            md.append("## Per point\n\n");
            sweepTable(md, a.sweep());
        }
        if (!a.sweepBefore().isEmpty()) {
            md.append("### Before the predictor fix\n\n");
            sweepTable(md, a.sweepBefore());
        }
        if (!a.ratios().isEmpty()) {
            md.append("## Against the default wait (ratio of means, Fieller's 95% interval)\n\n")
                    .append("Below 1: less than PyTorch's default (spinning) wait at the same mode, batch, dtype and allocator.\n\n")
                    .append("| point | ").append(a.ratios().stream().map(r -> r.metric().words).distinct().collect(Collectors.joining(" | "))).append(" |\n|---|")
                    .append("---|".repeat((int) a.ratios().stream().map(ResnetAnalysis.Ratio::metric).distinct().count())).append('\n');
            Map<String, List<ResnetAnalysis.Ratio>> rows = new LinkedHashMap<>();
            for (var r : a.ratios()) rows.computeIfAbsent(r.point() + (r.source().isEmpty() ? "" : " (" + r.source() + ")"), k -> new ArrayList<>()).add(r);
            rows.forEach((name, rs) -> md.append("| ").append(name).append(" | ")
                    .append(rs.stream().map(r -> ratio(r.ci())).collect(Collectors.joining(" | "))).append(" |\n"));
            md.append('\n');
        }
        differences(md, "## Against blocking sync (difference of means, Welch's 95% interval)",
                "Negative: less than with blocking sync. p: Welch's t test of no difference; Holm: adjusted over this table's rows.", a.versusBlocking());
        differences(md, "## After against before the predictor fix (difference of means, Welch's 95% interval)",
                "The job waits' sweep points before (`sweep-before-predictor-fix`) and after the fix; negative: less after.", a.afterVersusBefore());
        if (!a.sweep().isEmpty()) {
            md.append("## Syscalls per inference by name\n\n| point | runs | syscalls by name (mean ± 95% t half-width) |\n|---|---|---|\n");
            for (var p : concat(a.sweep(), a.sweepBefore())) {
                String names = p.byName().entrySet().stream().filter(e -> e.getValue().mean() >= 0.005)
                        .map(e -> e.getKey() + " " + estimate(e.getValue(), 2)).collect(Collectors.joining(", "));
                md.append("| ").append(p.point()).append(a.sweepBefore().contains(p) ? " (before fix)" : "").append(" | ").append(p.runs().size())
                        .append(" | ").append(names.isEmpty() ? "none at or above 0.005" : names).append(" |\n");
            }
            md.append('\n');
        }
        constraints(md, a.constraints());
        loadTable(md, "## Under load", a.load());
        loadVersus(md, a.loadVersus());
        loadTable(md, "## Under load, before the predictor fix", a.loadBefore());
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (ChartFile c : charts) {
                md.append("### ").append(c.title()).append("\n\n![").append(c.title()).append("](").append(CHARTS).append('/').append(c.fileName()).append(")\n\n");
                if (!c.caption().isEmpty()) md.append('*').append(c.caption()).append("*\n\n");
            }
        }
        return md.toString();
    }

    private static List<ResnetAnalysis.SweepPoint> concat(List<ResnetAnalysis.SweepPoint> a, List<ResnetAnalysis.SweepPoint> b) {
        List<ResnetAnalysis.SweepPoint> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void sweepTable(StringBuilder md, List<ResnetAnalysis.SweepPoint> points) {
        md.append("| mode | batch | dtype | wait | allocator | inferences | runs | ");
        md.append(Arrays.stream(Metric.values()).map(m -> m.words + " (" + m.unit + ")").collect(Collectors.joining(" | "))).append(" |\n|");
        md.append("---|".repeat(7 + Metric.values().length)).append('\n');
        for (var p : points) {
            var q = p.point();
            md.append("| ").append(String.join(" | ", q.mode(), Integer.toString(q.batch()), q.dtype(), q.waitMode(), q.allocator(),
                    Integer.toString(q.iters()), Integer.toString(p.runs().size())));
            for (Metric m : Metric.values()) md.append(" | ").append(p.metrics().containsKey(m) ? estimate(p.metrics().get(m), m.digits) : "not counted");
            md.append(" |\n");
        }
        md.append('\n');
    }

    private static void differences(StringBuilder md, String heading, String intro, List<ResnetAnalysis.Difference> rows) {
        if (rows.isEmpty()) return;
        md.append(heading).append("\n\n").append(intro).append("\n\n| point | metric | difference | p | Holm p |\n|---|---|---|---|---|\n");
        for (var d : rows) {
            md.append("| ").append(d.point()).append(" | ").append(d.metric().words).append(" (").append(d.metric().unit).append(") | ");
            if (!d.ci().isDefined()) md.append(fixed(d.ci().estimate(), d.metric().digits)).append(" (").append(NO_INTERVAL).append(") | | |\n");
            else md.append(signed(d.ci().estimate(), d.metric().digits)).append(" [").append(fixed(d.ci().low(), d.metric().digits)).append(", ")
                    .append(fixed(d.ci().high(), d.metric().digits)).append("]").append(d.ci().isDegenerate() ? " (identical runs)" : "")
                    .append(" | ").append(p(d.p())).append(" | ").append(p(d.holmP())).append(" |\n");
        }
        md.append('\n');
    }

    private static void loadVersus(StringBuilder md, List<ResnetAnalysis.LoadDifference> rows) {
        if (rows.isEmpty()) return;
        md.append("## Under load: the job waits against spin and blocking (difference of means, Welch's 95% interval)\n\n")
                .append("Per N from 2 (N = 1 is contaminated), the run (all processes of a round) as the replicate; negative: less than the")
                .append(" other wait (`default` spins). p: Welch's t test of no difference; Holm: adjusted over this table's rows. With two")
                .append(" runs a side Welch's degrees of freedom are 1-2, so only large differences can show.\n\n")
                .append("| wait | against | N | metric | difference | p | Holm p |\n|---|---|---|---|---|---|---|\n");
        for (var d : rows) {
            md.append("| ").append(d.waitMode()).append(" | ").append(d.otherWait()).append(" | ").append(d.n()).append(" | ")
                    .append(d.metric().words).append(" (").append(d.metric().unit).append(") | ");
            if (!d.ci().isDefined()) md.append(fixed(d.ci().estimate(), d.metric().digits)).append(" (").append(NO_INTERVAL).append(") | | |\n");
            else md.append(signed(d.ci().estimate(), d.metric().digits)).append(" [").append(fixed(d.ci().low(), d.metric().digits)).append(", ")
                    .append(fixed(d.ci().high(), d.metric().digits)).append("] | ").append(p(d.p())).append(" | ").append(p(d.holmP())).append(" |\n");
        }
        md.append('\n');
    }

    /** Phase 1's question on the real model: does a figure per inference change with batch size, with inferences per run? */
    private static void constraints(StringBuilder md, List<ResnetConstraint> rows) {
        md.append("## Phase-1 constraints: per inference against batch size and inferences per run\n\n");
        if (rows.isEmpty()) {
            md.append("No series has points at ").append(gpuos.reports.analysis.Constraint.MIN_POINTS)
                    .append(" batch sizes or inference counts or more: nothing to fit.\n\n");
            return;
        }
        md.append("The suite's rule with the run (one process) as the replicate: ").append(gpuos.reports.analysis.Constraint.RULE)
                .append(" Batch size is regressed on log2 (per doubling), inferences per run linearly. Series at fewer than ")
                .append(gpuos.reports.analysis.Constraint.MIN_POINTS).append(" values of an axis are left out.\n\n")
                .append("| series | metric | along | points | runs/point | slope ± 95% CI | line fits (p) | mean | margin | verdict | after Holm (p) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ResnetConstraint c : rows) {
            String slope = Format.plusMinus(c.slope());
            md.append("| ").append(c.series()).append(" | ").append(c.metric().words).append(" (").append(c.metric().unit).append(") | ")
                    .append(c.axis().noun).append(" | ").append(c.points()).append(" | ").append(c.minRuns()).append(" | ")
                    .append(slope).append(' ').append(c.axis().per).append(" | ")
                    .append(Double.isNaN(c.fit().lackOfFitP()) ? "-" : (c.fit().notALine() ? "no" : "yes") + " (" + p(c.fit().lackOfFitP()) + ")").append(" | ")
                    .append(Format.significant(c.meanY(), 3)).append(" | ").append(Double.isNaN(c.margin()) ? "-" : "± " + Format.significant(c.margin(), 2)).append(" | **")
                    .append(c.verdictWords(c.verdict())).append("**").append(c.reason().isEmpty() ? "" : ": " + c.reason()).append(" | ")
                    .append(c.verdictWords(c.adjusted())).append(Double.isNaN(c.holmP()) ? "" : " (" + p(c.holmP()) + ")").append(" |\n");
        }
        md.append('\n');
    }

    private static void loadTable(StringBuilder md, String heading, List<ResnetAnalysis.LoadPoint> points) {
        if (points.isEmpty()) return;
        boolean oneRunEach = points.stream().allMatch(p -> p.runs() < 2);
        md.append(heading).append("\n\nPer wait and N concurrent processes (ResNet-50 fp16 bs1 CUDA graph): one figure per run from all processes")
                .append(" of the round; latency percentiles of the pooled samples; syscalls of process 0 (the one with the counter).")
                .append(oneRunEach ? " Every row: " + NO_INTERVAL + "." : "").append("\n\n| wait | N | runs | ")
                .append(Arrays.stream(LoadMetric.values()).map(m -> m.words + " (" + m.unit + ")").collect(Collectors.joining(" | "))).append(" |\n|")
                .append("---|".repeat(3 + LoadMetric.values().length)).append('\n');
        for (var p : points) {
            md.append("| ").append(p.waitMode()).append(" | ").append(p.n()).append(p.n() == 1 ? " (contaminated)" : "").append(" | ").append(p.runs())
                    .append(p.complete() ? "" : " (short of processes)");
            for (LoadMetric m : LoadMetric.values()) {
                Estimate e = p.metrics().get(m);
                md.append(" | ").append(e == null ? "not counted" : oneRunEach ? fixed(e.mean(), m.digits) : estimate(e, m.digits));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    static String estimate(Estimate e, int digits) {
        ConfidenceInterval ci = e.ci();
        if (!ci.isDefined()) return fixed(ci.estimate(), digits) + " (" + NO_INTERVAL + ")";
        return fixed(ci.estimate(), digits) + " ± " + fixed(ci.halfWidth(), digits);
    }

    static String ratio(ConfidenceInterval ci) {
        if (!ci.isDefined()) return fixed(ci.estimate(), 2) + "x (" + NO_INTERVAL + ")";
        if (!ci.isBounded()) return fixed(ci.estimate(), 2) + "x [unbounded: the default's interval reaches 0]";
        return fixed(ci.estimate(), 2) + "x [" + fixed(ci.low(), 2) + ", " + fixed(ci.high(), 2) + "]";
    }

    static String fixed(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String signed(double v, int digits) {
        return String.format(Locale.ROOT, "%+." + digits + "f", v);
    }

    private static String p(double p) {
        if (Double.isNaN(p)) return "-";
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String slug(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
