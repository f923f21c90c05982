package gpuos.reports.charts;

import gpuos.reports.analysis.WaitCalls;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Wait calls by the number of syscalls entered during them: one stacked bar per point of {@link WaitCalls} (fork means
 * of the shares, adding up to 100%), calls that entered none in grey, the rest in the palette's colours.
 */
final class WaitCallsChart {
    static final String FILE = "wait-calls.png";
    /** More bars than this are not legible at the chart's width: no chart, the table has them all. */
    static final int MAX_BARS = 24;
    private static final Color NONE = new Color(0xBBBBBB);

    private WaitCallsChart() {}

    static Optional<ChartFile> render(List<WaitCalls> rows) {
        if (rows.isEmpty() || rows.size() > MAX_BARS) return Optional.empty();
        Names names = names(rows);
        List<String> categories = names.bars();
        String title = "Syscalls per wait call" + (names.shared().isEmpty() ? "" : ": " + names.shared());
        CategoryChart chart = new CategoryChart(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(names.shared().isEmpty() ? "Series" : "Point");
        chart.setYAxisTitle("Share of wait calls (%)");
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setAvailableSpaceFill(0.6);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        int rotation = ChartStyle.labelRotation(categories);
        chart.getStyler().setXAxisLabelRotation(rotation);
        ChartStyle.alignCategoryLabels(chart.getStyler(), rotation);
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        for (int b = 0; b < Labels.SYNC_BUCKETS.size(); b++) {
            String bucket = Labels.SYNC_BUCKETS.get(b);
            String name = bucket + (bucket.equals("1") ? " syscall" : " syscalls");
            List<Double> shares = new ArrayList<>();
            for (WaitCalls row : rows) shares.add(Math.max(0, row.histogram().get(b).estimate()) * 100);
            Color color = b == 0 ? NONE : ChartStyle.color(b - 1);
            CategorySeries series = chart.addSeries(name, categories, shares);
            series.setFillColor(color);
            legend.add(ChartStyle.LegendEntry.box(name, color));
        }
        String note = "Fork means of the shares of wait calls at each point; csv/wait-calls.csv has their 95% CIs.";
        return Optional.of(new ChartFile(FILE, title, note, ChartStyle.png(chart, legend, note)));
    }

    /** The bars' names, and what all bars share (for the title); see {@link #names}. */
    record Names(List<String> bars, String shared) {}

    /**
     * A bar's name: the params and axes (bytes, reps) in which the bars differ ("waitPolicy=yield"), after the series
     * name without its params where the bars are of several benchmarks ("CudaExecution.launchSync waitPolicy=yield");
     * a benchmark all bars share goes to the title instead. Names stay distinct: bars differ in a param, an axis or
     * their series; where they would not, each bar is named by its series and point.
     */
    static Names names(List<WaitCalls> rows) {
        Set<String> shared = new HashSet<>();
        rows.getFirst().point().params().forEach((param, value) -> {
            if (rows.stream().allMatch(r -> value.equals(r.point().params().get(param)))) shared.add(param);
        });
        List<String> stems = rows.stream().map(r -> stem(r.point().series())).toList();
        boolean oneStem = new HashSet<>(stems).size() == 1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            BenchmarkPoint point = rows.get(i).point();
            List<String> parts = new ArrayList<>();
            point.params().forEach((param, value) -> {
                if (!shared.contains(param)) parts.add(param + "=" + value);
            });
            String differing = String.join(", ", parts);
            names.add(oneStem ? (differing.isEmpty() ? stems.get(i) : differing)
                    : stems.get(i) + (differing.isEmpty() ? "" : " " + differing));
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            return new Names(rows.stream().map(r -> r.point().series().name() + " " + r.point().coordinates()).toList(), "");
        }
        return new Names(names, oneStem ? stems.getFirst() : "");
    }

    /** A series' name without its params: "CudaExecution.launchSync", "Copy.h2d (cuda)". */
    private static String stem(Series series) {
        for (String param : List.copyOf(series.params().keySet())) series = series.without(param);
        return series.name();
    }
}
