package gpuos.reports.charts;

import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A metric against bytes or reps on a log x axis: one line per series, a band for its 95% CI over forks. */
final class ScalingChart {
    /** A y range spanning this factor or more is drawn on a log axis (if every CI bound is positive). */
    static final double LOG_Y_SPAN = 10;

    /** One series' points: x, mean and CI bounds. */
    private record Line(Series series, double[] x, double[] mean, double[] low, double[] high) {}

    private ScalingChart() {}

    /**
     * Charts per unit of the metric (scores of different JMH modes cannot share an axis); empty when
     * fewer than two x values are measured.
     */
    static List<ChartFile> render(Map<Series, List<BenchmarkPoint>> bySeries, String label, ScalingAxis axis, OptionalLong fixedOther) {
        Map<String, List<Line>> linesByUnit = new LinkedHashMap<>();
        bySeries.forEach((series, points) -> {
            List<MetricSummary> sweep = axis.sweep(points, fixedOther).stream()
                    .flatMap(p -> MetricSummary.of(p, label).stream()).toList();
            if (!sweep.isEmpty()) linesByUnit.computeIfAbsent(sweep.getFirst().unit(), u -> new ArrayList<>()).add(line(series, axis, sweep));
        });
        List<ChartFile> charts = new ArrayList<>();
        linesByUnit.forEach((unit, lines) -> {
            String suffix = linesByUnit.size() > 1 ? "-" + slug(unit) : "";
            chart(label, unit, axis, fixedOther, lines).ifPresent(chart -> charts.add(new ChartFile(
                    slug(label) + "-vs-" + axis.param + suffix + ".png", chart.getTitle(), ChartStyle.png(chart))));
        });
        return charts;
    }

    private static Line line(Series series, ScalingAxis axis, List<MetricSummary> sweep) {
        int n = sweep.size();
        double[] x = new double[n], mean = new double[n], low = new double[n], high = new double[n];
        for (int i = 0; i < n; i++) {
            MetricSummary s = sweep.get(i);
            ConfidenceInterval ci = s.ci();
            x[i] = ScalingAxis.log2(axis.value(s.point()).getAsLong());
            mean[i] = s.mean();
            // A single fork has no interval: the band narrows to the line there.
            low[i] = ci.isDefined() ? ci.low() : s.mean();
            high[i] = ci.isDefined() ? ci.high() : s.mean();
        }
        return new Line(series, x, mean, low, high);
    }

    private static Optional<XYChart> chart(String label, String unit, ScalingAxis axis, OptionalLong fixedOther, List<Line> lines) {
        long distinctX = lines.stream().flatMapToDouble(l -> Arrays.stream(l.x())).distinct().count();
        if (distinctX < 2) return Optional.empty();
        String fixed = fixedOther.isPresent() ? " at " + axis.other().param + " = " + fixedOther.getAsLong() : "";
        XYChart chart = new XYChart(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        chart.setTitle(capitalize(Labels.describe(label)) + " vs " + axis.param + fixed + " (mean, 95% CI over forks)");
        chart.setXAxisTitle(axis.axisTitle);
        chart.setYAxisTitle(capitalize(Labels.describe(label)) + " (" + unit + ")");
        ChartStyle.apply(chart.getStyler());
        // log2 on a linear axis rather than XChart's log axis: sizes are swept in powers of two, and the
        // ticks can then read 4 KiB, 64 KiB, 1 MiB instead of crowded 4E3 5E3 6E3.
        chart.getStyler().setXAxisTickLabelsFormattingFunction(log2 -> tickLabel(axis, Math.pow(2, log2)));
        chart.getStyler().setYAxisLogarithmic(useLogY(lines));
        chart.getStyler().setMarkerSize(8);
        ChartStyle.legend(chart.getStyler(), lines.stream().map(l -> l.series().name()).toList());
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            Color color = ChartStyle.color(i);
            // The band first, so the line is drawn over it: a closed polygon along the upper bounds and back along the lower.
            XYSeries band = chart.addSeries(line.series().name() + " 95% CI", concatReversed(line.x(), line.x()), concatReversed(line.high(), line.low()));
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(ChartStyle.band(color));
            band.setLineColor(ChartStyle.band(color));
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
            XYSeries mean = chart.addSeries(line.series().name(), line.x(), line.mean());
            mean.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            mean.setLineColor(color);
            mean.setMarkerColor(color);
            mean.setMarker(ChartStyle.marker(i));
        }
        return Optional.of(chart);
    }

    /** Log y only where it is defined for the whole band and the data span at least a decade. */
    static boolean useLogY(List<Line> lines) {
        double min = lines.stream().flatMapToDouble(l -> Arrays.stream(l.low())).min().orElse(0);
        double max = lines.stream().flatMapToDouble(l -> Arrays.stream(l.high())).max().orElse(0);
        return min > 0 && max / min >= LOG_Y_SPAN;
    }

    /** Bytes in binary units, reps as a plain number; two significant digits off the powers of two. */
    static String tickLabel(ScalingAxis axis, double value) {
        String digits = Math.abs(value - Math.rint(value)) < 1e-6 * value ? Long.toString(Math.round(value))
                : new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
        if (axis != ScalingAxis.BYTES) return digits;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (unit == 0 ? digits : tickLabel(ScalingAxis.REPS, value)) + " " + units[unit];
    }

    private static double[] concatReversed(double[] forward, double[] backward) {
        double[] result = new double[forward.length + backward.length];
        System.arraycopy(forward, 0, result, 0, forward.length);
        for (int i = 0; i < backward.length; i++) result[forward.length + i] = backward[backward.length - 1 - i];
        return result;
    }

    static String slug(String text) {
        return text.replace(".norm", "").replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase(Locale.ROOT);
    }

    static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
