package gpuos.reports.render;

import gpuos.reports.analysis.Constraint;
import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.Ratio;
import gpuos.reports.analysis.Report;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.analysis.Verdict;
import gpuos.reports.analysis.Warning;
import gpuos.reports.analysis.Warnings;
import gpuos.reports.charts.ChartFile;
import gpuos.reports.charts.Charts;
import gpuos.reports.charts.ReportCharts;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Metadata;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ModifiedZScore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** report.md: one pure function from the analysed report (and its chart and CSV file names) to text. */
public final class MarkdownReport {
    static final int TOP_SYSCALLS = 5;
    public static final String WARNINGS_HEADING = "## Warnings";
    public static final String CONSTRAINTS_HEADING = "## Constraints";
    public static final String PHASE2_HEADING = "## Phase 2: interventions";

    private MarkdownReport() {}

    /** report.md: the sections of {@link #sections}, in order. */
    public static String render(Report report, ReportCharts charts, List<String> csvFiles) {
        StringBuilder md = new StringBuilder();
        sections(report, charts, csvFiles).forEach(section -> section.write(md));
        return md.toString();
    }

    /** The report's sections: each formats what the report holds, with the charts drawn from it. */
    static List<Section> sections(Report report, ReportCharts charts, List<String> csvFiles) {
        List<Section> sections = new ArrayList<>(List.of(md -> header(md, report), md -> warnings(md, report), MarkdownReport::method));
        if (report.phase1().isEmpty() && report.phase2().isPresent()) {
            sections.add(md -> md.append("## Phase 1\n\nNo Phase-1 benchmark results in this run, only the Phase-2 runner benchmarks: see ")
                    .append(PHASE2_HEADING.substring(3)).append(".\n\n"));
            sections.add(md -> WaitCallsSection.render(md, report.waitCalls(), charts.waitCalls()));
        } else {
            sections.add(md -> glance(md, report));
            sections.add(md -> scaling(md, report, charts.scaling()));
            sections.add(md -> constraints(md, report));
            sections.add(md -> FactorSection.render(md, report.factors()));
            sections.add(md -> WaitCallsSection.render(md, report.waitCalls(), charts.waitCalls()));
            sections.add(md -> breakdown(md, report, charts.breakdowns()));
            sections.add(md -> ratios(md, report));
        }
        report.phase2().ifPresent(phase2 -> sections.add(md -> Phase2Section.render(md, phase2, charts.verdicts())));
        sections.add(md -> files(md, report, csvFiles));
        return sections;
    }

    private static void header(StringBuilder md, Report report) {
        Metadata meta = report.results().metadata();
        String runId = meta.runId().orElse(String.valueOf(report.results().folder().getFileName()));
        md.append("# gpuos report: ").append(runId).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        meta.preset().ifPresent(v -> rows.add(List.of("Preset", v)));
        meta.command().ifPresent(v -> rows.add(List.of("Command", "`" + v + "`")));
        meta.started().ifPresent(v -> rows.add(List.of("Started", v)));
        meta.gitCommit().ifPresent(v -> rows.add(List.of("Git commit", v + (meta.gitDirty() ? " (uncommitted changes)" : ""))));
        Metadata.Host host = meta.host();
        joined(List.of(host.kernel().map(k -> "Linux " + k), host.cpu(), host.cores().map(c -> c + " cores"),
                host.clocksource().map(c -> "clocksource " + c), host.memoryBytes().map(MarkdownReport::gibibytes)))
                .ifPresent(v -> rows.add(List.of("Host", v)));
        joined(List.of(meta.jvm().version(), meta.jvm().vendor())).ifPresent(v -> rows.add(List.of("JVM", v)));
        meta.jmhVersion().ifPresent(v -> rows.add(List.of("JMH", v)));
        meta.counting().backend().ifPresent(v -> rows.add(List.of("Counting backend", v)));
        for (Metadata.OpenClPlatform platform : meta.opencl()) {
            joined(List.of(platform.key(), platform.name(), platform.version(),
                    Optional.of(platform.devices()).filter(d -> !d.isEmpty()).map(d -> "devices: " + String.join(", ", d))))
                    .ifPresent(v -> rows.add(List.of("OpenCL", v)));
        }
        for (Metadata.Gpu gpu : meta.gpus()) {
            joined(List.of(gpu.name(), gpu.driver().map(d -> "driver " + d))).ifPresent(v -> rows.add(List.of("GPU", v)));
        }
        int runner = report.results().runnerPoints().size();
        rows.add(List.of("Results", report.results().points().size() + " points in " + report.results().bySeries().size()
                + " series from " + report.results().sources().size() + " files"
                + (runner > 0 ? " (" + runner + " of the points from the Phase-2 runner benchmarks)" : "")));
        table(md, List.of("Run", runId), rows);
    }

    private static void warnings(StringBuilder md, Report report) {
        md.append(WARNINGS_HEADING).append("\n\n");
        if (report.warnings().isEmpty()) md.append("No warnings.\n\n");
        grouped(report.warnings()).forEach(group -> md.append(warningItem(group)));
        if (!report.warnings().isEmpty()) md.append('\n');
        md.append("Checks: at least ").append(Warnings.MIN_FORKS).append(" forks per point; for ")
                .append(String.join(" and ", Warnings.CHECKED_LABELS)).append(" (").append(Labels.SYSCALLS_TOTAL)
                .append(" where a series has no thread labels)")
                .append(", a coefficient of variation of fork means of at most ").append(Format.percent(Warnings.MAX_CV))
                .append(" and no outlying fork. Outlier rule: modified z-score M = 0.6745 (x - median) / MAD, outlier when |M| > ")
                .append(ModifiedZScore.THRESHOLD).append(" (Iglewicz and Hoaglin 1993; mean absolute deviation x 1.253314 when MAD is 0),")
                .append(" reported only when the fork is also more than ").append(Format.percent(Warnings.MIN_OUTLIER_DEVIATION))
                .append(" from the median.\n\n");
    }

    /**
     * Warnings of one kind about one subject (e.g. every outlying fork of a series) as one item, where the first
     * of them was raised; the others in the order raised. A warning without a subject stands alone.
     */
    static List<List<Warning.Raised>> grouped(List<Warning.Raised> warnings) {
        Map<String, List<Warning.Raised>> groups = new LinkedHashMap<>();
        for (int i = 0; i < warnings.size(); i++) {
            Warning.Raised w = warnings.get(i);
            String key = w.subject().isEmpty() ? "#" + i : w.warning().name() + "|" + w.subject();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        }
        return List.copyOf(groups.values());
    }

    /** One list item: each warning's sentence on its own line, then the hint once. */
    static String warningItem(List<Warning.Raised> group) {
        return "- " + group.stream().map(w -> "***WARNING*** " + w.text()).collect(Collectors.joining("  \n  "))
                + "  \n  *Hint:* " + group.getFirst().hint() + "\n";
    }

    private static void method(StringBuilder md) {
        md.append("## Method\n\n")
                .append("- The fork is the unit of replication. A fork's value of a metric is the mean over its measurement iterations;")
                .append(" a syscall label missing in an iteration counts as 0.\n")
                .append("- Means and 95% confidence intervals are over fork values: Student's t with n - 1 degrees of freedom.")
                .append(" JMH's scoreError (iterations of all forks pooled) is not used. With one fork there is no interval.\n")
                .append("- Scores are converted to us/op (time modes) or ops/s (throughput).\n")
                .append("- **Workload syscalls/op** (`").append(Labels.SYSCALLS_WORKLOAD).append("`) = syscalls/op of JMH worker threads")
                .append(" + of runtime threads (native threads of the GPU or OpenCL runtime), summed per iteration before fork means.")
                .append(" It is the syscall metric the verdicts, findings and charts use. **Total syscalls/op** (`")
                .append(Labels.SYSCALLS_TOTAL).append("`) also counts the JVM's own threads (GC, JIT compiler, VM thread),")
                .append(" whose syscalls follow wall time, not the workload: per operation they grow with the operation's")
                .append(" duration, so a CPU copy's total syscalls/op grow with bytes although the copy makes none.")
                .append(" The JVM share column below and the breakdown by thread class show how much of the total that is.")
                .append(" Role metrics (dispatch, sync, memory syscalls/op) count all threads, as the total does.\n\n");
    }

    private static void glance(StringBuilder md, Report report) {
        md.append("## Results at a glance\n\n");
        List<List<String>> rows = new ArrayList<>();
        report.phase1().forEach((series, points) -> points.stream()
                .sorted(Comparator.comparingLong((BenchmarkPoint p) -> p.bytes().orElse(0)).thenComparingLong(p -> p.reps().orElse(0)))
                .forEach(p -> rows.add(List.of(series.name(), value(p.bytes()), value(p.reps()), Integer.toString(p.forks()),
                        meanWithUnit(report, p, Labels.SCORE), meanWithUnit(report, p, Labels.SYSCALLS_WORKLOAD),
                        meanWithUnit(report, p, Labels.SYSCALLS_TOTAL), jvmShare(report, p)))));
        table(md, List.of("Series", "bytes", "reps", "forks", "Score (95% CI)", "Workload syscalls/op (95% CI)",
                "Total syscalls/op (95% CI)", "JVM share of total"), rows);
    }

    /** Mean syscalls/op of JVM threads / mean total syscalls/op. */
    private static String jvmShare(Report report, BenchmarkPoint point) {
        if (!point.labels().contains(Labels.threadClass("jvm"))) return "—";
        double jvm = report.summary(point, Labels.threadClass("jvm")).map(MetricSummary::mean).orElse(Double.NaN);
        double total = report.summary(point, Labels.SYSCALLS_TOTAL).map(MetricSummary::mean).orElse(Double.NaN);
        return total > 0 ? Format.percent(jvm / total) : "—";
    }

    private static String meanWithUnit(Report report, BenchmarkPoint point, String label) {
        return report.summary(point, label).map(s -> Format.plusMinus(s.ci()) + " " + s.unit()).orElse("—");
    }

    private static void scaling(StringBuilder md, Report report, List<ChartFile> charts) {
        md.append("## Scaling\n\n");
        if (charts.isEmpty()) md.append("No parameter is swept over two or more values, so there is no scaling chart.\n\n");
        md.append("Markers are means of fork values at the measured points, with 95% t-intervals over forks as error bars;")
                .append(" thin lines only join them (nothing was measured in between). The other axis is held at ")
                .append(report.reference().describe()).append(". A y axis is logarithmic where the means span a factor of ")
                .append(Format.significant(Charts.LOG_Y_SPAN, 2)).append(" or more; an error bar that reaches below the bottom")
                .append(" of a log axis (a t-interval can reach below 0) is cut there, and the chart says so.\n\n");
        for (ScalingAxis axis : ScalingAxis.values()) {
            if (!axis.splitsSeries() || charts.isEmpty() || report.sweep(axis).isEmpty()) continue;
            md.append("Along ").append(axis.param).append(" (").append(axis.noun).append(") one line pools the series that differ only in ")
                    .append(axis.param).append(", named without it, and ")
                    .append(axis.held().stream().map(a -> a.param).collect(Collectors.joining(" and "))).append(" are held.\n\n");
        }
        charts.forEach(chart -> image(md, chart));
    }

    private static void constraints(StringBuilder md, Report report) {
        md.append(CONSTRAINTS_HEADING).append("\n\n")
                .append("Slope of each metric along bytes (regressed on log2 bytes, so per doubling) and along reps (per repetition),")
                .append(" holding the other axis where the series has most points. ").append(Constraint.RULE).append("\n\n");
        if (!report.constraints().isEmpty()) md.append(constraintFamily(report.constraints())).append("\n\n");
        pooledAxes(md, report.constraints());
        if (report.constraints().isEmpty()) {
            md.append("No series is swept along bytes or reps.\n\n");
            return;
        }
        List<List<String>> rows = report.constraints().stream().map(c -> List.of(c.series().name(), c.label(), c.axis().param,
                heldAt(c), Integer.toString(c.points()), Integer.toString(c.minForks()),
                Format.plusMinus(c.slope()) + " " + c.axis().slopeUnit, lineFits(c),
                Format.significant(c.meanY(), Format.VALUE_DIGITS) + " " + c.unit(),
                Format.significant(c.margin(), 2), "**" + c.verdict().describe(c.axis()) + "**", afterHolm(c))).toList();
        table(md, List.of("Series", "Metric", "Along", "Held at", "Points", "Forks/point", "Slope ± 95% CI", "Line fits (p)", "Mean",
                "Margin", "Verdict", "After Holm (p)"), rows);
        md.append("Findings:\n\n");
        report.constraints().forEach(c -> md.append("- ").append(finding(c)).append('\n'));
        md.append('\n');
    }

    /**
     * For each axis that splits series and has rows, how its rows differ from those along bytes and reps: "Along gpuNanos
     * (...)". Nothing where there are none, so a run without such a param reads as before.
     */
    private static void pooledAxes(StringBuilder md, List<Constraint> constraints) {
        constraints.stream().map(Constraint::axis).filter(ScalingAxis::splitsSeries).distinct().sorted().forEach(axis -> {
            String held = axis.held().stream().map(a -> a.param).collect(Collectors.joining(" and "));
            md.append("Along ").append(axis.param).append(" (").append(axis.noun).append("; regressed on ")
                    .append(axis.transform.describe(axis.param)).append(", so ").append(axis.slopeUnit).append("): ")
                    .append(axis.param).append(" is a param that names series, so the series that differ only in it are")
                    .append(" pooled into one, named without it, where it takes two values or more; ").append(held)
                    .append(" are held where that pool has most points (Held at). Same rule and margin.\n\n");
        });
    }

    /** "Holm family: the 60 tested rows of this table; 12 of 20 decided verdicts kept." */
    static String constraintFamily(List<Constraint> constraints) {
        long tested = constraints.stream().filter(c -> !Double.isNaN(c.pValue())).count();
        long decided = constraints.stream().filter(c -> c.verdict() != Verdict.INCONCLUSIVE).count();
        long kept = constraints.stream().filter(c -> c.adjusted() != Verdict.INCONCLUSIVE).count();
        long notLines = constraints.stream().filter(c -> c.fit().notALine()).count();
        long testedFit = constraints.stream().filter(c -> !Double.isNaN(c.fit().lackOfFitP())).count();
        return "Holm family: the " + tested + " tested rows of this table; " + kept + " of " + decided
                + " decided verdicts keep them after Holm. A straight line does not fit " + notLines + " of the " + testedFit
                + " rows where lack of fit could be tested.";
    }

    /** "yes (0.41)", "**no** (0.002)", "—" where it cannot be tested (one fork at a point, fewer than 3 points). */
    static String lineFits(Constraint c) {
        double p = c.fit().lackOfFitP();
        if (Double.isNaN(p)) return "—";
        return (c.fit().notALine() ? "**no**" : "yes") + " (" + Format.pValue(p) + ")";
    }

    static String afterHolm(Constraint c) {
        if (Double.isNaN(c.holmP())) return "—";
        return c.adjusted().describe(c.axis()) + " (" + Format.pValue(c.holmP()) + ")";
    }

    /** The value of the one held axis ("1"), or each held axis with its name where several are held ("bytes = 4096, reps = 1"). */
    static String heldAt(Constraint c) {
        if (c.held().size() == 1) return value(c.held().values().iterator().next());
        return c.held().entrySet().stream().map(e -> e.getKey().param + " = " + value(e.getValue())).collect(Collectors.joining(", "));
    }

    /** "VectorAdd.opencl: syscalls/op do not change with bytes: slope 0.00 ± 0.01 per doubling (...)". */
    static String finding(Constraint c) {
        boolean plural = c.label().startsWith(Labels.SYSCALL_PREFIX); // "syscalls/op grow", "score grows"
        String along = c.axis().noun;
        String verb = switch (c.verdict()) {
            case INVARIANT -> (plural ? "do" : "does") + " not change with " + along;
            case GROWS -> (plural ? "grow" : "grows") + " with " + along;
            case SHRINKS -> (plural ? "shrink" : "shrinks") + " with " + along;
            case INCONCLUSIVE -> (plural ? "are" : "is") + " inconclusive along " + along;
        };
        String unit = c.unit().equals("#/op") ? "" : c.unit() + " ";
        String held = c.heldValues().entrySet().stream().map(e -> ", " + e.getKey().param + " = " + e.getValue()).collect(Collectors.joining());
        String reason = c.verdict() != Verdict.INCONCLUSIVE ? "" : "; " + c.reason();
        String holm = c.adjusted() != c.verdict() ? "; inconclusive after Holm (p = " + Format.pValue(c.holmP()) + ")" : "";
        String shape = c.powerLaw().map(b -> "; as a power law, mean ~ " + c.axis().param + "^b with b = " + Format.plusMinus(b))
                .orElse(c.steps().isEmpty() ? "" : "; change per step: " + c.steps().stream().map(Format::withInterval)
                        .collect(Collectors.joining(", ")));
        return c.series().name() + ": " + Labels.describe(c.label()) + " " + verb + ": slope "
                + Format.plusMinus(c.slope()) + " " + unit + c.axis().slopeUnit
                + " (line of the means of " + c.points() + " points, at least " + c.minForks() + " forks each" + held + reason
                + holm + shape + ").";
    }

    private static void breakdown(StringBuilder md, Report report, List<ChartFile> charts) {
        md.append("## Syscall breakdown\n\n");
        if (charts.isEmpty()) {
            md.append("No series has syscall profiler labels.\n\n");
            return;
        }
        md.append("Means of fork values at ").append(report.reference().describe())
                .append(" (a series measured at one point only is shown at that point).\n\n");
        List<String> notAtReference = report.phase1().entrySet().stream()
                .filter(e -> report.reference().representative(e.getValue()).isEmpty())
                .map(e -> e.getKey().name()).toList();
        if (!notAtReference.isEmpty()) {
            md.append("Not measured at this point, so not shown: ").append(String.join(", ", notAtReference)).append(".\n\n");
        }
        charts.forEach(chart -> image(md, chart));
        md.append("### Top syscalls per series\n\n");
        List<List<String>> rows = new ArrayList<>();
        report.phase1().forEach((series, points) -> report.reference().representative(points)
                .filter(BenchmarkPoint::hasSyscallProfiler).ifPresent(point -> topSyscalls(report, series, point, rows)));
        table(md, List.of("Series", "bytes", "reps", "Syscall", "Calls/op ± 95% CI", "Share of total"), rows);
    }

    private static void topSyscalls(Report report, Series series, BenchmarkPoint point, List<List<String>> rows) {
        double total = report.summary(point, Labels.SYSCALLS_TOTAL).map(MetricSummary::mean).orElse(Double.NaN);
        point.labels().stream().filter(l -> Labels.syscallName(l).isPresent())
                .flatMap(l -> report.summary(point, l).stream())
                .sorted(Comparator.comparingDouble(MetricSummary::mean).reversed().thenComparing(MetricSummary::label))
                .limit(TOP_SYSCALLS)
                .forEach(s -> rows.add(List.of(series.name(), value(point.bytes()), value(point.reps()),
                        Labels.syscallName(s.label()).orElseThrow(), Format.plusMinus(s.ci()),
                        total > 0 ? Format.percent(s.mean() / total) : "n/a")));
    }

    private static void ratios(StringBuilder md, Report report) {
        md.append("## Ratios between variants\n\n").append(Ratio.RULE).append("\n\n");
        List<Ratio> shown = report.ratios().stream()
                .filter(r -> r.point().bytes().equals(report.reference().bytes()) || r.point().reps().equals(report.reference().reps()))
                .toList();
        if (shown.isEmpty()) {
            md.append("No series shares a bytes and reps point with a baseline.\n\n");
            return;
        }
        if (shown.size() < report.ratios().size()) {
            md.append("Shown: points with ").append(report.reference().describe().replace(", ", " or "))
                    .append("; csv/ratios.csv has all ").append(report.ratios().size()).append(".\n\n");
        }
        List<List<String>> rows = shown.stream().map(r -> List.of(r.series().name(), r.baseline().name(), value(r.point().bytes()),
                value(r.point().reps()), r.label(), Format.withInterval(r.ratio()) + "×", r.forks() + " / " + r.baselineForks())).toList();
        table(md, List.of("Series", "Baseline", "bytes", "reps", "Metric", "Ratio [95% CI]", "Forks"), rows);
    }

    private static void files(StringBuilder md, Report report, List<String> csvFiles) {
        md.append("## Files\n\n");
        csvFiles.forEach(f -> md.append("- [").append(f).append("](").append(f).append(")\n"));
        report.results().sources().forEach((file, entries) -> md.append("- input `").append(file).append("`: ")
                .append(entries).append(entries == 1 ? " entry" : " entries").append('\n'));
        report.results().partialFiles().forEach(f -> md.append("- left out `").append(f).append("`: unfinished (interrupted run)\n"));
        md.append('\n');
    }

    static void image(StringBuilder md, ChartFile chart) {
        md.append("### ").append(chart.title()).append("\n\n![").append(chart.title()).append("](charts/").append(chart.fileName()).append(")\n\n");
        if (!chart.caption().isEmpty()) md.append("*").append(chart.caption()).append("*\n\n");
    }

    static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append(row(header)).append(header.stream().map(h -> "---").collect(Collectors.joining("|", "|", "|\n")));
        rows.forEach(r -> md.append(row(r)));
        md.append('\n');
    }

    static String row(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|").replace("\n", " ")).collect(Collectors.joining(" | ", "| ", " |\n"));
    }

    private static Optional<String> joined(List<Optional<String>> parts) {
        String text = parts.stream().flatMap(Optional::stream).collect(Collectors.joining(", "));
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static String gibibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB memory", bytes / (double) (1L << 30));
    }

    static String value(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "—";
    }
}
