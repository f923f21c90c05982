package gpuos.reports.charts;

import gpuos.reports.analysis.Outcome;
import gpuos.reports.analysis.PredictionCheck;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.results.Labels;
import gpuos.reports.stats.ConfidenceInterval;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A forest plot of Phase-2 checks: one line per check, its ratio intervention / baseline as a marker with the 95%
 * bootstrap CI as a bar, on a log2 axis with a dashed line at 1; colour and marker by outcome. Checks are grouped
 * under a bold line naming their intervention, as forest plots group studies. The x axis is log2 on a linear axis, as
 * the scaling charts do, so its ticks read 1/4, 1/2, 1, 2 rather than XChart's crowded log grid.
 *
 * <p>XChart draws the plot; the row labels are drawn here, in a column kept free left of the chart: XChart takes no
 * tick label longer than 20 characters (it tries ever coarser steps and never stops), and its numeric ticks would
 * fall at every other row.
 */
final class ForestChart {
    /** Checks in one chart; more are split into several charts, so a chart stays about a page high. */
    static final int ROWS_PER_CHART = 30;
    /** Points per line: a line of 12 pt text with room between lines. */
    static final int ROW_HEIGHT = 22;
    /** Points around the lines: title, x axis and its title, legend, note. */
    static final int FRAME_HEIGHT = 200;
    /** A chart of fewer lines is as high as one of this many, so the plot is not a strip. */
    static final int MIN_LINES = 5;
    /** Least points between two x ticks, so tick labels stay apart. */
    static final int MIN_TICK_SPACING = 60;
    /** Points above the chart for the title, drawn here over the whole width. */
    static final int TITLE_HEIGHT = 34;
    /** A CI bound further than this from the farthest estimate (in doublings, so 8x) is drawn at the edge. */
    static final double MAX_REACH = 3;
    /** The y axis runs from 0.6 of a line below the bottom line to 0.6 above the top one. */
    static final double Y_MARGIN = 0.6;
    static final Font LABEL_FONT = new Font(ChartStyle.FONT, Font.PLAIN, 12);
    static final Font HEADER_FONT = new Font(ChartStyle.FONT, Font.BOLD, 12);
    static final Font TITLE_FONT = new Font(ChartStyle.FONT, Font.BOLD, 16);
    static final Font NOTE_FONT = new Font(ChartStyle.FONT, Font.ITALIC, 11);
    /** The plot keeps at least this many points of width: longer row labels widen the image rather than being cut. */
    static final int MIN_PLOT_WIDTH = 440;
    /** Points from the image's left edge to the labels, by which check lines are indented under their header, and between a label and the plot. */
    static final int LABEL_MARGIN = 12;
    static final int INDENT = 16;
    static final int LABEL_GAP = 8;
    private static final Color GUIDE = new Color(0xEEEEEE);
    /** The margin of the verdict rule (no change within ± m), as a ratio band around 1 on each line. */
    private static final Color MARGIN_BAND = new Color(0xD6E4F0);
    private static final BasicStroke MARGIN_STROKE = new BasicStroke(9f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
    private static final BasicStroke CI_STROKE = new BasicStroke(2f);

    private record Look(Color color, Marker marker) {}

    /** Okabe and Ito colours (bluish green, vermillion) and grey, with three marker shapes, so greyscale still tells them apart. */
    private static final Map<Outcome, Look> LOOKS = Map.of(
            Outcome.CONFIRMED, new Look(new Color(0x009E73), SeriesMarkers.CIRCLE),
            Outcome.REFUTED, new Look(new Color(0xD55E00), SeriesMarkers.DIAMOND),
            Outcome.INCONCLUSIVE, new Look(new Color(0x6E6E6E), SeriesMarkers.SQUARE));

    private ForestChart() {}

    /** A line of the plot: a bold header naming an intervention (check null), or one check under it. */
    record Line(String text, PredictionCheck check) {
        boolean header() {
            return check == null;
        }
    }

    /** Charts of one backend's checks, {@link #ROWS_PER_CHART} checks each. */
    static List<ChartFile> render(String backend, List<PredictionCheck> checks) {
        List<ChartFile> charts = new ArrayList<>();
        int parts = (checks.size() + ROWS_PER_CHART - 1) / ROWS_PER_CHART;
        for (int part = 0; part < parts; part++) {
            List<PredictionCheck> rows = checks.subList(part * ROWS_PER_CHART, Math.min(checks.size(), (part + 1) * ROWS_PER_CHART));
            String suffix = parts > 1 ? "-" + (part + 1) : "";
            String title = "Interventions on " + backend + shared(rows) + ": ratio to baseline (95% CI)"
                    + (parts > 1 ? ", " + (part + 1) + " of " + parts : "");
            charts.add(chart("verdicts-" + ScalingChart.slug(backend) + suffix + ".png", title, rows));
        }
        return charts;
    }

    /** ", 16 reps" where every check is at 16 reps (then no line repeats it), with bytes likewise. */
    static String shared(List<PredictionCheck> rows) {
        StringBuilder text = new StringBuilder();
        single(rows, ScalingAxis.BYTES).ifPresent(b -> text.append(", ").append(ScalingChart.tickLabel(ScalingAxis.BYTES, b)));
        single(rows, ScalingAxis.REPS).ifPresent(r -> text.append(", ").append(reps(r)));
        return text.toString();
    }

    /** The one value of an axis among the checks, empty where they differ or have none. */
    private static OptionalLong single(List<PredictionCheck> rows, ScalingAxis axis) {
        List<OptionalLong> values = rows.stream().map(c -> axis == ScalingAxis.BYTES ? c.site().bytes() : c.site().reps()).distinct().toList();
        return values.size() == 1 ? values.getFirst() : OptionalLong.empty();
    }

    /**
     * The lines: a header per intervention (with its knobs and family), then one line per check, "role.sync rises, 4 KiB": the
     * metric without "syscalls.", the direction, the baseline where it is not the one named "baseline", and the bytes
     * and reps where the checks of the chart differ in them. Equal lines under one header get a number.
     */
    static List<Line> lines(List<PredictionCheck> rows) {
        boolean bytes = single(rows, ScalingAxis.BYTES).isEmpty();
        boolean reps = single(rows, ScalingAxis.REPS).isEmpty();
        List<Line> lines = new ArrayList<>();
        String header = null;
        Map<String, Integer> seen = new HashMap<>();
        for (PredictionCheck check : rows) {
            String family = check.intervention().family();
            String next = check.interventionLabel() + (family.isEmpty() ? "" : " (" + family + ")");
            if (!Objects.equals(header, next)) {
                header = next;
                lines.add(new Line(header, null));
                seen.clear();
            }
            String metric = check.prediction().metric();
            if (metric.startsWith(Labels.SYSCALL_PREFIX) && !metric.equals("syscalls.workload")) {
                metric = metric.substring(Labels.SYSCALL_PREFIX.length());
            }
            StringBuilder text = new StringBuilder(metric).append(' ').append(check.prediction().direction().word);
            if (!check.prediction().against().equals("baseline")) text.append(" vs ").append(check.prediction().against());
            if (bytes) check.site().bytes().ifPresent(b -> text.append(", ").append(ScalingChart.tickLabel(ScalingAxis.BYTES, b)));
            if (reps) check.site().reps().ifPresent(r -> text.append(", ").append(reps(r)));
            int count = seen.merge(text.toString(), 1, Integer::sum);
            lines.add(new Line(count == 1 ? text.toString() : text + " (" + count + ")", check));
        }
        return lines;
    }

    private static String reps(long reps) {
        return reps + (reps == 1 ? " rep" : " reps");
    }

    /** The x range in log2: every estimate and 1, bounds as far as {@link #MAX_REACH} past the estimates, padded. */
    record XRange(double min, double max) {
        static XRange of(List<ConfidenceInterval> ratios) {
            double lowEstimate = 0;
            double highEstimate = 0;
            for (ConfidenceInterval r : ratios) {
                if (drawable(r.estimate())) {
                    lowEstimate = Math.min(lowEstimate, log2(r.estimate()));
                    highEstimate = Math.max(highEstimate, log2(r.estimate()));
                }
            }
            double min = lowEstimate;
            double max = highEstimate;
            for (ConfidenceInterval r : ratios) {
                if (!drawable(r.estimate())) continue;
                if (drawable(r.low())) min = Math.min(min, Math.max(log2(r.low()), lowEstimate - MAX_REACH));
                if (drawable(r.high())) max = Math.max(max, Math.min(log2(r.high()), highEstimate + MAX_REACH));
            }
            // At least 1/2x to 2x, so a chart of small effects still shows what a doubling looks like.
            min = Math.min(min, -1);
            max = Math.max(max, 1);
            double pad = 0.05 * (max - min);
            return new XRange(min - pad, max + pad);
        }

        static boolean drawable(double ratio) {
            return ratio > 0 && Double.isFinite(ratio);
        }

        /** Where a ratio is drawn: its log2, or the edge where it lies beyond (0 and infinity included). */
        double draw(double ratio) {
            if (Double.isNaN(ratio)) return Double.NaN;
            if (ratio <= 0) return min;
            if (Double.isInfinite(ratio)) return max;
            return Math.clamp(log2(ratio), min, max);
        }

        boolean clipped(double ratio) {
            return !Double.isNaN(ratio) && (ratio <= 0 || Double.isInfinite(ratio) || log2(ratio) < min || log2(ratio) > max);
        }
    }

    /** An XYChart that tells where it drew its plot, so labels can be drawn next to the lines. */
    private static final class RowChart extends XYChart {
        RowChart(int width, int height) {
            super(width, height);
        }

        Rectangle2D plotBounds() {
            return plot.getBounds();
        }
    }

    private static ChartFile chart(String fileName, String title, List<PredictionCheck> rows) {
        List<Line> lines = lines(rows);
        int n = lines.size();
        int height = FRAME_HEIGHT + Math.max(n, MIN_LINES) * ROW_HEIGHT;
        RowChart chart = new RowChart(ChartStyle.WIDTH, height);
        chart.setTitle(title);
        chart.setXAxisTitle("Intervention / baseline, ratio of means (log scale)");
        chart.setYAxisTitle("");
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setChartTitleVisible(false);
        chart.getStyler().setYAxisTitleVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setMarkerSize(ChartStyle.MARKER_SIZE + 2);

        XRange x = XRange.of(rows.stream().map(PredictionCheck::ratio).toList());
        LabelColumn labels = LabelColumn.of(lines);
        int width = Math.max(ChartStyle.WIDTH, labels.width() + MIN_PLOT_WIDTH);
        chart.getStyler().setXAxisMin(x.min());
        chart.getStyler().setXAxisMax(x.max());
        // A tick per doubling where they stay MIN_TICK_SPACING apart: XChart steps by 1, 2, 5 or 10 times a power of 10
        // (in log2 here), choosing by the spacing hint; a hint a little below the points per doubling gives steps of 1.
        double plotWidth = (width - labels.width() - 2 * chart.getStyler().getChartPadding()) * chart.getStyler().getPlotContentSize();
        chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(MIN_TICK_SPACING, (int) (0.9 * plotWidth / (x.max() - x.min()))));
        chart.getStyler().setXAxisTickLabelsFormattingFunction(ForestChart::ratioTick);
        chart.getStyler().setYAxisMin(-Y_MARGIN);
        chart.getStyler().setYAxisMax(n - 1 + Y_MARGIN);

        // Line j from the top at y = n - 1 - j; a faint guide across the plot from each check's label.
        for (int j = 0; j < n; j++) {
            if (lines.get(j).header()) continue;
            XYSeries guide = chart.addSeries("guide " + j, new double[] {x.min(), x.max()}, new double[] {n - 1 - j, n - 1 - j});
            guide.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            guide.setLineColor(GUIDE);
            guide.setLineStyle(new BasicStroke(1f));
            guide.setMarker(SeriesMarkers.NONE);
        }
        XYSeries one = chart.addSeries("ratio 1", new double[] {0, 0}, new double[] {-Y_MARGIN, n - 1 + Y_MARGIN});
        one.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        one.setLineColor(Color.DARK_GRAY);
        one.setLineStyle(SeriesLines.DASH_DASH);
        one.setMarker(SeriesMarkers.NONE);

        // The margin band first, so bars and markers are drawn over it: the ratios the verdict rule counts as no change.
        for (int j = 0; j < n; j++) {
            PredictionCheck check = lines.get(j).check();
            if (check == null) continue;
            double base = check.baseline().map(b -> Math.abs(b.mean())).orElse(Double.NaN);
            if (!(base > 0) || Double.isNaN(check.margin())) continue;
            double relative = check.margin() / base;
            XYSeries band = chart.addSeries("margin " + j, new double[] {x.draw(1 - relative), x.draw(1 + relative)},
                    new double[] {n - 1 - j, n - 1 - j});
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            band.setLineColor(MARGIN_BAND);
            band.setLineStyle(MARGIN_STROKE);
            band.setMarker(SeriesMarkers.NONE);
        }
        int clipped = 0;
        int unbounded = 0;
        int floored = 0;
        List<Integer> undrawn = new ArrayList<>();
        List<Integer> zeros = new ArrayList<>();
        Map<Outcome, List<double[]>> estimates = new HashMap<>();
        for (int j = 0; j < n; j++) {
            PredictionCheck check = lines.get(j).check();
            if (check == null) continue;
            ConfidenceInterval ratio = check.ratio();
            double y = n - 1 - j;
            boolean zero = ratio.estimate() == 0; // the intervention's mean is 0: drawn at the floor, the left edge
            if (!XRange.drawable(ratio.estimate()) && !zero) {
                undrawn.add(j);
                continue;
            }
            if (zero) {
                zeros.add(j);
                floored++;
            }
            Look look = LOOKS.get(check.outcome());
            if (ratio.isDefined()) {
                XYSeries bar = chart.addSeries("ci " + j, new double[] {x.draw(ratio.low()), x.draw(ratio.high())}, new double[] {y, y});
                bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                bar.setLineColor(look.color());
                bar.setLineStyle(CI_STROKE);
                bar.setMarker(SeriesMarkers.NONE);
                if (!ratio.isBounded()) unbounded++;
                else if (x.clipped(ratio.low()) || x.clipped(ratio.high())) clipped++;
            }
            estimates.computeIfAbsent(check.outcome(), o -> new ArrayList<>()).add(new double[] {x.draw(ratio.estimate()), y});
        }
        List<ChartStyle.LegendEntry> legend = new ArrayList<>();
        for (Outcome outcome : Outcome.values()) {
            Look look = LOOKS.get(outcome);
            List<double[]> points = estimates.getOrDefault(outcome, List.of());
            if (!points.isEmpty()) {
                XYSeries marks = chart.addSeries(outcome.word(), points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray());
                marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                marks.setMarker(look.marker());
                marks.setMarkerColor(look.color());
            }
            legend.add(new ChartStyle.LegendEntry(outcome.word(), look.color(), look.marker(), CI_STROKE));
        }
        legend.add(ChartStyle.LegendEntry.box("margin: no change", MARGIN_BAND));

        String caption = caption(clipped, undrawn.size(), unbounded, floored);
        byte[] png = ChartStyle.png(chart, legend, caption, width, height, labels.width(), TITLE_HEIGHT,
                g -> overlay(g, chart, title, width, lines, labels, undrawn, zeros));
        return new ChartFile(fileName, title, caption, png);
    }

    /** The labels as drawn (whole: the image widens for them) and the width of their column. */
    record LabelColumn(List<String> texts, int width) {
        static LabelColumn of(List<Line> lines) {
            FontMetrics plain = metrics(LABEL_FONT);
            FontMetrics bold = metrics(HEADER_FONT);
            List<String> texts = new ArrayList<>();
            int widest = 0;
            for (Line line : lines) {
                FontMetrics metrics = line.header() ? bold : plain;
                String text = line.text();
                texts.add(text);
                widest = Math.max(widest, metrics.stringWidth(text) + (line.header() ? 0 : INDENT));
            }
            return new LabelColumn(texts, LABEL_MARGIN + widest);
        }
    }

    /** The title over the whole width; headers at the left margin; check labels right-aligned next to the plot. */
    private static void overlay(Graphics2D g, RowChart chart, String title, int width, List<Line> lines, LabelColumn labels,
                                List<Integer> undrawn, List<Integer> zeros) {
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        FontMetrics titleMetrics = g.getFontMetrics();
        String fitted = ChartStyle.LegendLayout.fit(title, titleMetrics, width - 2 * LABEL_MARGIN);
        g.drawString(fitted, (width - titleMetrics.stringWidth(fitted)) / 2f, 8 + titleMetrics.getAscent());

        Rectangle2D plot = chart.plotBounds();
        double plotLeft = labels.width() + plot.getX();
        // XChart draws data in the middle plotContentSize share of the plot's height.
        double space = chart.getStyler().getPlotContentSize() * plot.getHeight();
        double top = TITLE_HEIGHT + plot.getY() + (plot.getHeight() - space) / 2;
        int n = lines.size();
        double yMax = n - 1 + Y_MARGIN;
        for (int j = 0; j < n; j++) {
            double screen = top + (yMax - (n - 1 - j)) / (yMax + Y_MARGIN) * space;
            Line line = lines.get(j);
            g.setFont(line.header() ? HEADER_FONT : LABEL_FONT);
            FontMetrics metrics = g.getFontMetrics();
            float baseline = (float) (screen + (metrics.getAscent() - metrics.getDescent()) / 2.0);
            String text = labels.texts().get(j);
            float left = line.header() ? LABEL_MARGIN : (float) (plotLeft - LABEL_GAP - metrics.stringWidth(text));
            g.drawString(text, left, baseline);
            if (undrawn.contains(j)) {
                g.setFont(NOTE_FONT);
                g.setColor(Color.DARK_GRAY);
                g.drawString("no ratio", (float) (plotLeft + LABEL_GAP), baseline);
                g.setColor(Color.BLACK);
            }
            if (zeros.contains(j)) {
                g.setFont(NOTE_FONT);
                g.setColor(Color.DARK_GRAY);
                g.drawString("0", (float) (plotLeft + 4 * LABEL_GAP), baseline); // right of the marker at the floor
                g.setColor(Color.BLACK);
            }
        }
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /**
     * A tick of the log2 ratio axis: at whole doublings "1/4" below 1 and the whole number from 1 ("256", never "260");
     * else two significant digits ("0.71", "1.4").
     */
    static String ratioTick(double log2) {
        long whole = Math.round(log2);
        if (Math.abs(log2 - whole) < 1e-9 && whole < 0 && whole >= -30) return "1/" + (1L << -whole);
        if (Math.abs(log2 - whole) < 1e-9 && whole >= 0 && whole <= 62) return Long.toString(1L << whole);
        return ScalingChart.number(Math.pow(2, log2));
    }

    static String caption(int clipped, int undrawn, int unbounded, int floored) {
        String text = "Marker: mean of the intervention's fork values / mean of its baseline's; bar: 95% Fieller CI over forks;"
                + " dashed line: no change; pale band: the margin of the verdict rule (± m as a ratio). Colour: raw verdict of the"
                + " line's prediction (its own metric and rule; the verdict table has it after Holm too).";
        if (clipped > 0) {
            text += " At " + clipped + (clipped == 1 ? " line" : " lines") + " the CI reaches past the plot (towards 0 or infinity) and is drawn to its edge.";
        }
        if (unbounded > 0) {
            text += " At " + unbounded + (unbounded == 1 ? " line" : " lines") + " the CI is unbounded (the baseline mean's own CI"
                    + " reaches 0) and is drawn across the whole plot.";
        }
        if (floored > 0) {
            text += " \"0\": the intervention's mean is 0, so the ratio is 0, drawn at the left edge (a log axis has no 0).";
        }
        if (undrawn > 0) {
            text += " \"no ratio\": a side without results, or a baseline mean of 0 (the verdict table says which).";
        }
        return text;
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }
}
