package gpuos.reports.charts;

import gpuos.reports.analysis.Report;

import java.util.List;
import java.util.stream.Stream;

/** Every chart of a report, drawn once, by the section that shows it. */
public record ReportCharts(List<ChartFile> scaling, List<ChartFile> breakdowns, List<ChartFile> verdicts, List<ChartFile> waitCalls) {
    public static final ReportCharts NONE = new ReportCharts(List.of(), List.of(), List.of(), List.of());

    public static ReportCharts of(Report report) {
        return new ReportCharts(Charts.scaling(report), Charts.breakdowns(report), Charts.verdicts(report), Charts.waitCalls(report));
    }

    public List<ChartFile> all() {
        return Stream.of(scaling, breakdowns, verdicts, waitCalls).flatMap(List::stream).toList();
    }
}
