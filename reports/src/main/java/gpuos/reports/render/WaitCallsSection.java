package gpuos.reports.render;

import gpuos.reports.analysis.WaitCalls;
import gpuos.reports.charts.ChartFile;
import gpuos.reports.results.Labels;

import java.util.ArrayList;
import java.util.List;

/**
 * The "Syscalls per wait call" section of report.md: per point that recorded wait calls ({@code sync.*} labels), the
 * share of calls that entered a syscall, syscalls per call and the calls by syscalls entered. Absent where no point did.
 */
final class WaitCallsSection {
    static final String HEADING = "## Syscalls per wait call";

    private WaitCallsSection() {}

    static void render(StringBuilder md, List<WaitCalls> rows, List<ChartFile> charts) {
        if (rows.isEmpty()) return;
        md.append(HEADING).append("\n\n")
                .append("A mean of syscalls per operation hides which calls slept (0.3/op can be every third wait call")
                .append(" sleeping once or one call in thirty sleeping ten times), so here each wait call counts on its own:")
                .append(" **blocked share** is the share of calls during which at least one syscall was entered, **syscalls/call**")
                .append(" the mean number entered during a call, and the columns 0 to 8+ split the calls by that number")
                .append(" (shares of calls, adding up to 100%).\n\n");
        List<List<String>> table = new ArrayList<>();
        for (WaitCalls w : rows) {
            List<String> row = new ArrayList<>(List.of(w.point().series().name(), MarkdownReport.value(w.point().bytes()),
                    MarkdownReport.value(w.point().reps()), Integer.toString(w.n()), Format.plusMinus(w.invocations()),
                    Format.sharePlusMinus(w.blockedShare()), Format.plusMinus(w.syscallsPerCall())));
            w.histogram().forEach(share -> row.add(Format.share(share.estimate())));
            table.add(row);
        }
        List<String> header = new ArrayList<>(List.of("Series", "bytes", "reps", "Forks", "Calls/iter (95% CI)",
                "Blocked share (95% CI)", "Syscalls/call (95% CI)"));
        header.addAll(Labels.SYNC_BUCKETS);
        MarkdownReport.table(md, header, table);
        md.append("Wait calls: those a benchmark wraps in the `sync` recorder (cuCtxSynchronize in CUDA launchSync, clFinish")
                .append(" in OpenCL), with the syscalls of the workload threads (JMH worker and runtime threads) entered while")
                .append(" each ran, counted per iteration (`").append(Labels.SYNC_PREFIX).append("*` labels, docs/results-format.md).")
                .append(" Per fork: blocked calls, syscalls and each bucket summed over its counted iterations and divided by the")
                .append(" calls summed over the same iterations; then the mean over forks (n = Forks) with a 95% t-interval.")
                .append(" Buckets show fork means; ").append(ReportFiles.WAIT_CALLS_CSV)
                .append(" has every value with its CI bounds and fork count.\n\n");
        charts.forEach(chart -> MarkdownReport.image(md, chart));
    }
}
