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
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * A metric against bytes or reps on a log x axis: one marker per measured point and series with its 95% CI over forks as
 * an error bar, thin lines joining the means. The y axis is logarithmic where the means span {@link Charts#LOG_Y_SPAN}
 * or more; a bar reaching below the bottom of a log axis (a t-interval of a small count can reach below 0) is cut at
 * the bottom, and the chart's note says so. The y axis ends at a tick above the highest bar ({@link NiceAxis}).
 */
final class ScalingChart {

    /** One series' points: x, mean and CI bounds. */
    private record Line(Series series, double[] x, double[] mean, double[] low, double[] high) {}

    /**
     * The y axis: linear, or logarithmic from {@code bottom}.
     *
     * @param bottom   the lowest value drawn on a log axis: the decade at or below the lowest error bar bound, or where a
     *                 bound lies below that (at or below 0), one decade lower, so a cut error bar visibly runs past all
     *                 that is drawn true; never lower than one decade below the lowest mean's decade, so one
     *                 interval reaching 0 does not squash the plot
     * @param cut      number of error bar bounds below {@code bottom}, drawn at it
     */
    record YAxis(boolean log, double bottom, int cut) {
        static final YAxis LINEAR = new YAxis(false, Double.NaN, 0);

        static YAxis of(List<double[]> means, List<double[]> lows) {
            double minMean = means.stream().flatMapToDouble(Arrays::stream).min().orElse(0);
            double maxMean = means.stream().flatMapToDouble(Arrays::stream).max().orElse(0);
            if (!(minMean > 0) || maxMean / minMean < Charts.LOG_Y_SPAN) return LINEAR;
            double limit = decadeAtOrBelow(minMean) / 10;
            double lowest = Math.min(minMean, lows.stream().flatMapToDouble(Arrays::stream).filter(v -> v >= limit).min().orElse(minMean));
            double decade = decadeAtOrBelow(lowest);
            // A cut error bar runs a decade below everything drawn true, if the limit allows, so it reads as cut.
            double bottom = lows.stream().flatMapToDouble(Arrays::stream).anyMatch(v -> v < decade) ? Math.max(limit, decade / 10) : decade;
            int cut = (int) lows.stream().flatMapToDouble(Arrays::stream).filter(v -> v < bottom).count();
            return new YAxis(true, bottom, cut);
        }

        static double decadeAtOrBelow(double value) {
            return Math.pow(10, Math.floor(Math.log10(value)));
        }

        /** Where a value is drawn: itself on a linear axis, log10 of it (at least of the bottom) on a log axis. */
        double draw(double value) {
            return log ? Math.log10(Math.max(value, bottom)) : value;
        }

        /** The sentence for the chart's note, empty when nothing is cut. */
        String note(String unit) {
            if (cut == 0) return "";
            return "Log y axis: at " + cut + (cut == 1 ? " point" : " points") + " the 95% CI reaches below " + number(bottom) + " " + unit
                    + " (a t-interval can reach below 0); error bars are drawn down to " + number(bottom) + " only.";
        }
    }

    /** Characters of a title that fit the chart's width in the title font. */
    static final int TITLE_FITS = 78;
    /** What the lines and error bars are, after the title; the short form where the long one would not fit. */
    static final String LONG_NOTE = " (mean, 95% CI over forks)";
    static final String SHORT_NOTE = " (mean, 95% CI)";

    private ScalingChart() {}

    /**
     * Charts per unit of the metric (scores of different JMH modes cannot share an axis); empty when
     * fewer than two x values are measured.
     */
    static List<ChartFile> render(Map<Series, List<BenchmarkPoint>> bySeries, String label, ScalingAxis axis, Map<ScalingAxis, OptionalLong> fixed,
                                  BiFunction<BenchmarkPoint, String, Optional<MetricSummary>> summaries) {
        Map<String, List<Line>> linesByUnit = new LinkedHashMap<>();
        Map<String, Integer> onePoint = new LinkedHashMap<>();
        bySeries.forEach((series, points) -> {
            List<MetricSummary> sweep = axis.sweep(points, fixed).stream()
                    .flatMap(p -> summaries.apply(p, label).stream()).toList();
            if (sweep.isEmpty()) return;
            // A series measured at one value of this axis (a wait policy at 4 KiB only) is no sweep along it: as a lone
            // marker it crowds the legend and reads as part of a trend. The report's tables keep it.
            if (sweep.size() < 2) onePoint.merge(sweep.getFirst().unit(), 1, Integer::sum);
            else linesByUnit.computeIfAbsent(sweep.getFirst().unit(), u -> new ArrayList<>()).add(line(series, axis, sweep));
        });
        List<ChartFile> charts = new ArrayList<>();
        linesByUnit.forEach((unit, lines) -> {
            String suffix = linesByUnit.size() > 1 ? "-" + slug(unit) : "";
            chart(label, unit, axis, fixed, lines, onePoint.getOrDefault(unit, 0)).ifPresent(chart -> charts.add(chart.withFileName(
                    slug(label) + "-vs-" + axis.param + suffix + ".png")));
        });
        return charts;
    }

    private static Line line(Series series, ScalingAxis axis, List<MetricSummary> sweep) {
        int n = sweep.size();
        double[] x = new double[n], mean = new double[n], low = new double[n], high = new double[n];
        for (int i = 0; i < n; i++) {
            MetricSummary s = sweep.get(i);
            ConfidenceInterval ci = s.ci();
            x[i] = Math.log(axis.value(s.point()).getAsLong()) / Math.log(base(axis));
            mean[i] = s.mean();
            // A single fork has no interval: no error bar there.
            low[i] = ci.isDefined() ? ci.low() : s.mean();
            high[i] = ci.isDefined() ? ci.high() : s.mean();
        }
        return new Line(series, x, mean, low, high);
    }

    /** A chart before it has a file name. */
    private record Drawn(String title, String caption, byte[] png) {
        ChartFile withFileName(String fileName) {
            return new ChartFile(fileName, title, caption, png);
        }
    }

    private static Optional<Drawn> chart(String label, String unit, ScalingAxis axis, Map<ScalingAxis, OptionalLong> held, List<Line> lines,
                                         int leftOut) {
        long distinctX = lines.stream().flatMapToDouble(l -> Arrays.stream(l.x())).distinct().count();
        if (distinctX < 2) return Optional.empty();
        // Every mean and bound exactly 0 (no dispatch syscall at any GPU time): a flat line hiding the series under one
        // another says less than the tables' zeros.
        if (lines.stream().allMatch(l -> Arrays.stream(l.high()).allMatch(v -> v == 0) && Arrays.stream(l.low()).allMatch(v -> v == 0))) {
            return Optional.empty();
        }
        String heldAt = held.entrySet().stream().filter(e -> e.getValue().isPresent())
                .map(e -> e.getKey().param + " = " + e.getValue().getAsLong()).collect(Collectors.joining(", "));
        String fixed = heldAt.isEmpty() ? "" : " at " + heldAt;
        XYChart chart = new XYChart(ChartStyle.WIDTH, ChartStyle.HEIGHT);
        String title = capitalize(Labels.describe(label)) + " vs " + axis.param + fixed;
        chart.setTitle(title + (title.length() + LONG_NOTE.length() <= TITLE_FITS ? LONG_NOTE : SHORT_NOTE));
        chart.setXAxisTitle(axis.axisTitle);
        chart.setYAxisTitle(capitalize(Labels.describe(label)) + " (" + unit + ")");
        ChartStyle.apply(chart.getStyler());
        // log2 on a linear axis rather than XChart's log axis: sizes are swept in powers of two, and the
        // ticks can then read 4 KiB, 64 KiB, 1 MiB instead of crowded 4E3 5E3 6E3.
        // GPU times are swept in powers of ten: log10 there, so ticks fall on 1 µs, 10 µs, not on 4.1 µs, 8.2 µs.
        chart.getStyler().setXAxisTickLabelsFormattingFunction(exponent -> tickLabel(axis, Math.pow(base(axis), exponent)));
        YAxis y = YAxis.of(lines.stream().map(Line::mean).toList(), lines.stream().map(Line::low).toList());
        if (y.log()) {
            // log10 on a linear axis, as for x: XChart's log axis draws nine grid lines per decade, which merge into
            // grey bars when the means span many decades.
            chart.getStyler().setYAxisMin(Math.log10(y.bottom()));
            chart.getStyler().setYAxisTickLabelsFormattingFunction(log10 -> number(Math.pow(10, log10)));
        }
        chart.getStyler().setMarkerSize(ChartStyle.MARKER_SIZE);
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        double top = lines.stream().flatMapToDouble(l -> Arrays.stream(l.high())).max().orElse(0);
        double low = lines.stream().flatMapToDouble(l -> Arrays.stream(l.low())).min().orElse(0);
        if (y.log()) {
            chart.getStyler().setYAxisMax(Math.ceil(Math.log10(top) - 1e-9));
        } else {
            NiceAxis axisY = NiceAxis.of(low, top);
            chart.getStyler().setYAxisMin(axisY.min());
            chart.getStyler().setYAxisMax(axisY.max());
        }
        double cap = 0.04 * Math.max(1, lines.stream().flatMapToDouble(l -> Arrays.stream(l.x())).max().orElse(1)
                - lines.stream().flatMapToDouble(l -> Arrays.stream(l.x())).min().orElse(0));
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            Color color = ChartStyle.color(i);
            double[] means = Arrays.stream(line.mean()).map(y::draw).toArray();
            // Error bars at the measured points only: a band between points would claim values nobody measured.
            for (int j = 0; j < line.x().length; j++) {
                if (line.low()[j] == line.high()[j]) continue; // one fork, or identical forks: no bar to draw
                double x = line.x()[j] + (i - (lines.size() - 1) / 2.0) * cap / Math.max(1, lines.size()); // bars of a point side by side
                double bottom = y.draw(line.low()[j]);
                double upper = y.draw(line.high()[j]);
                XYSeries bar = chart.addSeries(line.series().name() + " 95% CI " + j,
                        new double[] {x - cap / 4, x + cap / 4, x, x, x - cap / 4, x + cap / 4},
                        new double[] {bottom, bottom, bottom, upper, upper, upper});
                bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                bar.setLineColor(color);
                bar.setLineStyle(ChartStyle.ERROR_BAR);
                bar.setMarker(SeriesMarkers.NONE);
            }
            XYSeries mean = chart.addSeries(line.series().name(), line.x(), means);
            mean.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            mean.setLineColor(color);
            mean.setLineStyle(ChartStyle.thin(ChartStyle.stroke(i)));
            mean.setMarkerColor(color);
            mean.setMarker(ChartStyle.marker(i));
            legend.add(new ChartStyle.LegendEntry(line.series().name(), color, ChartStyle.marker(i), ChartStyle.stroke(i)));
        }
        String caption = Labels.threadsCounted(label).map(threads -> capitalize(Labels.describe(label)) + ": syscalls of "
                        + threads + (label.equals(Labels.SYSCALLS_WORKLOAD) ? ", the JVM's own threads left out." : ", the JVM's own included."))
                .map(text -> y.note(unit).isEmpty() ? text : text + " " + y.note(unit))
                .orElse(y.note(unit));
        if (leftOut > 0) {
            String more = leftOut + " series measured at one " + axis.param
                    + " value only left out (in the report's tables).";
            caption = caption.isEmpty() ? more : caption + " " + more;
        }
        return Optional.of(new Drawn(chart.getTitle(), caption, ChartStyle.png(chart, legend, caption)));
    }

    /** The base of the x axis' logarithm: 10 for times (swept in decades), else 2 (sizes and counts swept in doublings). */
    static double base(ScalingAxis axis) {
        return axis.tickUnit == ScalingAxis.TickUnit.NANOSECONDS ? 10 : 2;
    }

    /** A value for a tick or a note, two significant digits: plain from 0.001 to 99 000, else "1e-6", "2.5e5". */
    static String number(double value) {
        if (value == 0 || !Double.isFinite(value)) return value == 0 ? "0" : Double.toString(value);
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros();
        double size = rounded.abs().doubleValue();
        if (size >= 1e-3 && size < 1e5) return rounded.toPlainString();
        int exponent = rounded.precision() - rounded.scale() - 1;
        return rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }

    /**
     * A value along an axis by what it counts ({@link ScalingAxis#tickUnit}): bytes in binary units (4 KiB), nanoseconds
     * in time units (10 µs), a count as a plain number; two significant digits off whole numbers.
     */
    static String tickLabel(ScalingAxis axis, double value) {
        return switch (axis.tickUnit) {
            case COUNT -> plain(value);
            case BYTES -> scaled(value, 1024, "B", "KiB", "MiB", "GiB", "TiB");
            case NANOSECONDS -> scaled(value, 1000, "ns", "µs", "ms", "s");
        };
    }

    private static String plain(double value) {
        return Math.abs(value - Math.rint(value)) < 1e-6 * value ? Long.toString(Math.round(value))
                : new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /** The value in the largest of {@code units} (each {@code step} times the one before) it reaches. */
    private static String scaled(double value, double step, String... units) {
        int unit = 0;
        while (value >= step * (1 - 1e-9) && unit < units.length - 1) { // 2^log2(10^6) is 999999.9999...
            value /= step;
            unit++;
        }
        return plain(value) + " " + units[unit];
    }

    static String slug(String text) {
        return text.replace(".norm", "").replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase(Locale.ROOT);
    }

    static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
