package gpuos.reports.charts;

import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.results.BenchmarkPoint;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Syscalls/op of each series split into parts (roles, thread classes), as stacked bars. */
final class BreakdownChart {
    private BreakdownChart() {}

    /**
     * @param points  one representative point per series (only those with the syscall profiler are drawn)
     * @param parts   the parts of the stack, e.g. "dispatch" ... "other"
     * @param label   the label of a part, e.g. {@code Labels::role}
     * @param summaries the report's summaries ({@code Report::summary}): computed once, only looked up here
     */
    static Optional<ChartFile> render(String fileName, String title, List<BenchmarkPoint> points,
                                      List<String> parts, Function<String, String> label,
                                      BiFunction<BenchmarkPoint, String, Optional<MetricSummary>> summaries) {
        List<BenchmarkPoint> profiled = points.stream().filter(BenchmarkPoint::hasSyscallProfiler).toList();
        if (profiled.isEmpty()) return Optional.empty();
        List<String> categories = profiled.stream().map(p -> p.series().name()).toList();
        int rotation = ChartStyle.labelRotation(categories);
        // Turned labels take their length times sin(angle) below the plot: the image grows by that much, so long
        // series names (e.g. the jobs family's "CudaJobs.spin [gpuNanos=100000, waitMode=predict]") never eat the plot.
        int longest = categories.stream().mapToInt(String::length).max().orElse(0) * ChartStyle.CHARACTER_WIDTH;
        int height = ChartStyle.HEIGHT + (int) (longest * Math.sin(Math.toRadians(rotation)));
        CategoryChart chart = new CategoryChart(ChartStyle.WIDTH, height);
        chart.setTitle(title);
        chart.setXAxisTitle("Series");
        chart.setYAxisTitle("Syscalls per operation (#/op)");
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setAvailableSpaceFill(0.6);
        chart.getStyler().setXAxisLabelRotation(rotation);
        ChartStyle.alignCategoryLabels(chart.getStyler(), rotation);
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            List<Double> means = new ArrayList<>();
            for (BenchmarkPoint point : profiled) {
                means.add(summaries.apply(point, label.apply(part)).map(MetricSummary::mean).orElse(0.0));
            }
            CategorySeries series = chart.addSeries(part, categories, means);
            series.setFillColor(ChartStyle.color(i));
            legend.add(ChartStyle.LegendEntry.box(part, ChartStyle.color(i)));
        }
        return Optional.of(new ChartFile(fileName, title, ChartStyle.png(chart, legend, "", height)));
    }
}
