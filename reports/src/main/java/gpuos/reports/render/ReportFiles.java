package gpuos.reports.render;

import gpuos.reports.analysis.Report;
import gpuos.reports.charts.ChartFile;
import gpuos.reports.charts.ReportCharts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/** All files of a report as bytes, keyed by their path inside the results folder; nothing is written here. */
public final class ReportFiles {
    public static final String REPORT = "report.md";
    public static final String CHARTS = "charts";
    public static final String CSV = "csv";
    public static final String VERDICTS_CSV = CSV + "/verdicts.csv";
    public static final String FACTORS_CSV = CSV + "/factors.csv";
    public static final String WAIT_CALLS_CSV = CSV + "/wait-calls.csv";

    private ReportFiles() {}

    public static SequencedMap<String, byte[]> of(Report report) {
        SequencedMap<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> csv = new LinkedHashMap<>();
        csv.put(CSV + "/summary.csv", CsvExport.summary(report.summaries()));
        csv.put(CSV + "/constraints.csv", CsvExport.constraints(report.constraints()));
        csv.put(CSV + "/ratios.csv", CsvExport.ratios(report.ratios()));
        if (!report.factors().isEmpty()) csv.put(FACTORS_CSV, CsvExport.factors(report.factors()));
        if (!report.waitCalls().isEmpty()) csv.put(WAIT_CALLS_CSV, CsvExport.waitCalls(report.waitCalls()));
        report.phase2().ifPresent(phase2 -> csv.put(VERDICTS_CSV, CsvExport.verdicts(phase2.checks())));
        csv.forEach((path, text) -> files.put(path, text.getBytes(StandardCharsets.UTF_8)));
        ReportCharts charts = ReportCharts.of(report);
        for (ChartFile chart : charts.all()) files.put(CHARTS + "/" + chart.fileName(), chart.png());
        String markdown = MarkdownReport.render(report, charts, List.copyOf(csv.keySet()));
        files.put(REPORT, markdown.getBytes(StandardCharsets.UTF_8));
        return files;
    }
}
