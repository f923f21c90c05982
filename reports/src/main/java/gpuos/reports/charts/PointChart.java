package gpuos.reports.charts;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measured means with their 95% CIs as error bars, for reports that hold their own points (the ResNet report): bars of
 * named categories ({@link #categories}) or points along a count on a log2 axis ({@link #log2}). Like {@link ScalingChart}: a
 * marker per measured point, thin lines joining means only along a numeric axis, no band; the y axis is log10 where
 * the means span 10x or more, else linear from a round number ({@link NiceAxis}).
 */
public final class PointChart {

    /**
     * One series: a colour index into the palette (series of one colour compare the same thing, e.g. one wait before and
     * after a fix), a dashed line for the second of such a pair, and per point x, mean and CI bounds (NaN bounds: no bar).
     */
    public record Marks(String name, int colour, boolean dashed, double[] x, double[] mean, double[] low, double[] high) {}

    private PointChart() {}

    /**
     * One bar per category (its mean) with its 95% CI as an error bar (none where {@code halfWidths} is NaN: one run).
     * A category chart, not points at 0, 1, ... on a numeric axis: XChart's numeric tick labels cannot be names.
     */
    public static ChartFile categories(String fileName, String title, String yTitle, List<String> categories, double[] means,
                                       double[] halfWidths, String note) {
        CategoryChart chart = new CategoryChart(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        chart.setTitle(title);
        chart.setYAxisTitle(yTitle);
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setAvailableSpaceFill(0.5);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        int rotation = ChartStyle.labelRotation(categories);
        chart.getStyler().setXAxisLabelRotation(rotation);
        ChartStyle.alignCategoryLabels(chart.getStyler(), rotation);
        List<Double> y = new ArrayList<>(), errors = new ArrayList<>();
        int belowZero = 0, noInterval = 0;
        double top = 0;
        for (int i = 0; i < means.length; i++) {
            double half = Double.isNaN(halfWidths[i]) ? 0 : halfWidths[i];
            if (Double.isNaN(halfWidths[i])) noInterval++;
            if (means[i] - half < 0) belowZero++;
            y.add(means[i]);
            errors.add(half);
            top = Math.max(top, means[i] + half);
        }
        NiceAxis axis = NiceAxis.of(0, top);
        chart.getStyler().setYAxisMin(axis.min());
        chart.getStyler().setYAxisMax(axis.max());
        CategorySeries series = chart.addSeries("mean", categories, y, errors);
        series.setFillColor(ChartStyle.color(0));
        String caption = note + (noInterval == 0 ? "" : " " + noInterval + (noInterval == 1 ? " bar has" : " bars have") + " one run: no interval.")
                + (belowZero == 0 ? "" : " At " + belowZero + (belowZero == 1 ? " bar" : " bars") + " the 95% CI reaches below 0 (a t interval can); the axis starts at 0.");
        return new ChartFile(fileName, title, caption, ChartStyle.png(chart, List.of(), caption));
    }

    /** Points along a count (N processes) on a log2 axis, ticks at the counts. */
    public static ChartFile log2(String fileName, String title, String xTitle, String yTitle, List<Marks> series, String note) {
        XYChart chart = chart(title, xTitle, yTitle);
        // Every value gets its own label: XChart formats the axis' two ends first and draws no tick at all when they read
        // the same (it takes that for a format chopping decimals); with blanks between the counts, the ends (the error
        // bars' caps, half a cap outside the first and last count) were both blank and the axis had no labels.
        chart.getStyler().setXAxisTickLabelsFormattingFunction(e -> {
            double v = Math.pow(2, e);
            return Math.abs(v - Math.rint(v)) < 1e-6 ? Long.toString(Math.round(v)) : ScalingChart.number(v);
        });
        List<Marks> logged = series.stream().map(m -> new Marks(m.name(), m.colour(), m.dashed(),
                Arrays.stream(m.x()).map(x -> Math.log(x) / Math.log(2)).toArray(), m.mean(), m.low(), m.high())).toList();
        double capWidth = 0.1;
        // A tick per doubling, as ForestChart does: the error bars' caps make the x values unequally spaced, so XChart
        // chooses its own step, 0.2 by default; a spacing hint a little below the points per doubling gives steps of 1.
        double lo = logged.stream().flatMapToDouble(m -> Arrays.stream(m.x())).min().orElse(0);
        double hi = logged.stream().flatMapToDouble(m -> Arrays.stream(m.x())).max().orElse(1);
        double plotWidth = (ChartStyle.WIDTH - 2 * chart.getStyler().getChartPadding()) * chart.getStyler().getPlotContentSize();
        chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(ForestChart.MIN_TICK_SPACING, (int) (0.9 * plotWidth / (hi - lo + capWidth))));
        return draw(fileName, chart, logged, note, true, capWidth);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setMarkerSize(ChartStyle.MARKER_SIZE);
        return chart;
    }

    private static ChartFile draw(String fileName, XYChart chart, List<Marks> series, String note, boolean joinMeans, double capWidth) {
        ScalingChart.YAxis y = ScalingChart.YAxis.of(series.stream().map(Marks::mean).toList(),
                series.stream().map(m -> bounds(m.low(), m.mean())).toList());
        double top = series.stream().flatMapToDouble(m -> Arrays.stream(bounds(m.high(), m.mean()))).max().orElse(1);
        double bottom = series.stream().flatMapToDouble(m -> Arrays.stream(bounds(m.low(), m.mean()))).min().orElse(0);
        if (y.log()) {
            chart.getStyler().setYAxisMin(Math.log10(y.bottom()));
            chart.getStyler().setYAxisMax(Math.ceil(Math.log10(top) - 1e-9));
            chart.getStyler().setYAxisTickLabelsFormattingFunction(log10 -> ScalingChart.number(Math.pow(10, log10)));
        } else {
            // The quantities are non-negative: an interval reaching below 0 is cut at 0 (and said), not given an axis.
            NiceAxis axis = NiceAxis.of(Math.max(0, Math.min(0, bottom)), top);
            chart.getStyler().setYAxisMin(axis.min());
            chart.getStyler().setYAxisMax(axis.max());
        }
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        int belowZero = 0;
        for (int s = 0; s < series.size(); s++) {
            Marks m = series.get(s);
            Color color = ChartStyle.color(m.colour());
            BasicStroke stroke = m.dashed() ? ChartStyle.STROKES[1] : ChartStyle.STROKES[0];
            for (int j = 0; j < m.x().length; j++) {
                if (Double.isNaN(m.low()[j]) || m.low()[j] == m.high()[j]) continue; // one run, or identical runs: no bar
                if (!y.log() && m.low()[j] < 0) belowZero++;
                double x = m.x()[j], lo = y.log() ? y.draw(m.low()[j]) : Math.max(0, m.low()[j]), hi = y.draw(m.high()[j]), c = capWidth / 2;
                XYSeries bar = chart.addSeries(m.name() + " 95% CI " + j, new double[] {x - c, x + c, x, x, x - c, x + c},
                        new double[] {lo, lo, lo, hi, hi, hi});
                bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                bar.setLineColor(color);
                bar.setLineStyle(ChartStyle.ERROR_BAR);
                bar.setMarker(SeriesMarkers.NONE);
            }
            XYSeries mean = chart.addSeries(m.name(), m.x(), Arrays.stream(m.mean()).map(y::draw).toArray());
            mean.setXYSeriesRenderStyle(joinMeans ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
            mean.setLineColor(color);
            mean.setLineStyle(ChartStyle.thin(stroke));
            mean.setMarkerColor(color);
            mean.setMarker(m.dashed() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            legend.add(new ChartStyle.LegendEntry(m.name(), color, m.dashed() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE, joinMeans ? stroke : null));
        }
        String unitNote = y.note("").replace("  ", " ") + (belowZero == 0 ? "" : "At " + belowZero + (belowZero == 1 ? " point" : " points")
                + " the 95% CI reaches below 0 (a t interval can); its bar is drawn down to 0 only.");
        String caption = unitNote.isEmpty() ? note : note + " " + unitNote;
        return new ChartFile(fileName, chart.getTitle(), caption, ChartStyle.png(chart, legend, caption));
    }

    /** CI bounds where defined, else the means: an undefined bound must not move an axis. */
    private static double[] bounds(double[] bound, double[] mean) {
        double[] out = new double[bound.length];
        for (int i = 0; i < bound.length; i++) out[i] = Double.isNaN(bound[i]) ? mean[i] : bound[i];
        return out;
    }
}
