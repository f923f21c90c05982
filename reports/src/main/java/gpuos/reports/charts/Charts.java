package gpuos.reports.charts;

import gpuos.reports.analysis.Report;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;

import java.util.ArrayList;
import java.util.List;

/** Every chart of a report, in the order the report shows them. */
public final class Charts {
    public static final String ROLE_BREAKDOWN = "breakdown-role.png";
    public static final String THREAD_BREAKDOWN = "breakdown-thread.png";
    /** A scaling chart whose means span this factor or more has a log y axis. */
    public static final double LOG_Y_SPAN = 10;

    private Charts() {}

    public static List<ChartFile> scaling(Report report) {
        List<ChartFile> charts = new ArrayList<>();
        for (String label : report.keyMetrics()) {
            for (ScalingAxis axis : ScalingAxis.values()) {
                charts.addAll(ScalingChart.render(report.sweep(axis), label, axis, report.reference().fixedFor(axis), report::summary));
            }
        }
        return charts;
    }

    /** Phase 2: one forest plot per backend (OpenCL per platform) of every prediction checked; none without Phase 2. */
    public static List<ChartFile> verdicts(Report report) {
        List<ChartFile> charts = new ArrayList<>();
        report.phase2().ifPresent(phase2 -> phase2.byBackend().forEach((backend, checks) -> charts.addAll(ForestChart.render(backend, checks))));
        return charts;
    }

    /** Wait calls by syscalls entered during them, one stacked bar per point that recorded some; none without such points. */
    public static List<ChartFile> waitCalls(Report report) {
        return WaitCallsChart.render(report.waitCalls()).stream().toList();
    }

    public static List<ChartFile> breakdowns(Report report) {
        List<BenchmarkPoint> representatives = report.phase1().values().stream()
                .flatMap(points -> report.reference().representative(points).stream()).toList();
        String at = " at " + report.reference().describe();
        List<ChartFile> charts = new ArrayList<>();
        BreakdownChart.render(ROLE_BREAKDOWN, "Syscalls/op by role" + at, representatives, Labels.ROLES, Labels::role, report::summary)
                .ifPresent(charts::add);
        BreakdownChart.render(THREAD_BREAKDOWN, "Syscalls/op by thread class" + at, representatives, Labels.THREAD_CLASSES,
                Labels::threadClass, report::summary).ifPresent(charts::add);
        return charts;
    }
}
