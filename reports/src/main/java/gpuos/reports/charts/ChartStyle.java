package gpuos.reports.charts;

import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** One look for every chart, sized for a paper column: 800x500 points drawn at 2x (1600x1000 pixels). */
final class ChartStyle {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    /** Pixels per point: 2x keeps lines and text sharp when a figure is scaled in print. */
    static final int SCALE = 2;
    /**
     * Okabe and Ito (2008) colour-blind safe palette, in an order that keeps neighbours distinct in greyscale, then
     * Paul Tol's "muted" scheme (2021) without the colours close to the first eight: 16 colours before one repeats, and
     * then with another marker and line style ({@link #marker}, {@link #stroke}), so no two of 64 series look alike.
     */
    static final Color[] COLORS = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0x332288),
            new Color(0x882255), new Color(0x117733), new Color(0x999933), new Color(0xAA4499),
            new Color(0x44AA99), new Color(0x661100), new Color(0x888888),
            new Color(0xF0E442)}; // last: yellow is faint on white, so only a 16th series gets it
    static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.OVAL, SeriesMarkers.PLUS};
    /** Line styles of series, cycled with {@link #COLORS} and {@link #MARKERS}. */
    static final BasicStroke[] STROKES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};
    static final int MARKER_SIZE = 8;
    /** An error bar: a 95% CI at a measured point. */
    static final BasicStroke ERROR_BAR = new BasicStroke(1.5f);
    /** The least height (points) the plot keeps however long the legend: a taller legend makes the image taller. */
    static final int MIN_PLOT_HEIGHT = 330;
    /** More legend entries than this are not shown one by one: the note says how many more (the report's tables list all). */
    static final int MAX_LEGEND_ENTRIES = 32;
    static final String FONT = Font.SANS_SERIF;
    /** Height of a line of 12 pt text, to decide layouts before XChart measures text. */
    private static final int LINE_HEIGHT = 16;
    /** Rough width of a 12 pt sans-serif character, to decide layouts before XChart measures text. */
    static final int CHARACTER_WIDTH = 7;

    private ChartStyle() {}

    static Color color(int index) {
        return COLORS[index % COLORS.length];
    }

    /** Markers cycle with the colours but shifted every round of colours, so colour and marker never repeat together. */
    static Marker marker(int index) {
        return MARKERS[(index + index / COLORS.length) % MARKERS.length];
    }

    static void apply(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.DARK_GRAY);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(FONT, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
        styler.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
        styler.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setSeriesColors(COLORS);
        styler.setLocale(Locale.ROOT);
        styler.setAntiAlias(true);
        // XChart's own pattern for fractional steps ("#.##") drops the leading zero: ticks read ".05". Log axes set
        // their own function after this one.
        styler.setYAxisTickLabelsFormattingFunction(ChartStyle::linearTick);
    }

    /** A linear axis' tick: as many decimals as the value has (0.05, 1.25, 1000), with its leading zero. */
    static String linearTick(double value) {
        if (value == 0 || !Double.isFinite(value)) return value == 0 ? "0" : Double.toString(value);
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * Category labels flat when they fit, else turned: turned labels clear each other once the room per category
     * times sin(angle) exceeds a line (about 16 points), and steeper angles eat the plot. Turned labels end at their
     * tick ({@link #alignCategoryLabels}), so the first one must fit left of its tick; the angle is made steeper
     * until it does (XChart drops a label that would start left of the chart).
     */
    static int labelRotation(List<String> categories) {
        int longest = categories.stream().mapToInt(String::length).max().orElse(0) * CHARACTER_WIDTH;
        int room = (WIDTH - 120) / Math.max(1, categories.size());
        if (longest <= room) return 0;
        for (int angle : new int[] {30, 45, 60}) {
            if (room * Math.sin(Math.toRadians(angle)) >= LINE_HEIGHT && fitLeftOfTicks(categories, room, angle)) return angle;
        }
        return 90;
    }

    /** Whether every turned label, ending at its tick, starts right of the chart's left edge (not only the first: a long third one was dropped). */
    private static boolean fitLeftOfTicks(List<String> categories, int room, int angle) {
        for (int i = 0; i < categories.size(); i++) {
            int tick = 60 + room * i + room / 2;
            double needed = categories.get(i).length() * CHARACTER_WIDTH * Math.cos(Math.toRadians(angle)) + LINE_HEIGHT * Math.sin(Math.toRadians(angle));
            if (needed >= tick) return false;
        }
        return true;
    }

    /**
     * Turned category labels end at their tick, as is usual. Centred on it (XChart's default), the last label ran
     * past the chart's right edge and XChart left it out: the busiest series' bar had no name.
     */
    static void alignCategoryLabels(AxesChartStyler styler, int rotation) {
        // Every bar named: XChart labels a category only every 74 points by default, so of 18 bars every other went
        // unnamed and the names sat between bars. Turned labels need only a line's height between them.
        styler.setXAxisTickMarkSpacingHint(LINE_HEIGHT);
        if (rotation == 0) return;
        styler.setXAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
        // Tops at the axis: turned labels of different lengths are then parallel lines that do not cross.
        styler.setXAxisLabelAlignmentVertical(AxesChartStyler.TextAlignment.Right);
    }

    /** The line style of the series at {@code index}: with the marker and colour, lines stay apart in greyscale. */
    static BasicStroke stroke(int index) {
        return STROKES[(index + index / COLORS.length) % STROKES.length];
    }

    /** The same dash pattern at 1 point: lines that only join measured means should not outweigh the error bars. */
    static BasicStroke thin(BasicStroke stroke) {
        return new BasicStroke(1f, stroke.getEndCap(), stroke.getLineJoin(), stroke.getMiterLimit(), stroke.getDashArray(), stroke.getDashPhase());
    }

    /**
     * One legend entry: a line through a marker (a line chart's series) or, with a null marker and stroke, a
     * filled box (a bar chart's part).
     */
    record LegendEntry(String name, Color color, Marker marker, BasicStroke stroke) {
        static LegendEntry box(String name, Color color) {
            return new LegendEntry(name, color, null, null);
        }
    }

    /**
     * PNG bytes of a chart drawn at {@link #SCALE}, with its legend under the plot in as many rows as it needs and
     * an optional note (in italics) under the legend. XChart draws a legend in one row or one column and neither
     * wraps nor shrinks it, so a legend of long series names was cut at both edges below the plot, or squeezed the
     * plot to half the width (and cut the title) on the right; this legend is laid out here instead, in columns
     * that fit the chart's width, and the chart is drawn in the height left above it.
     */
    static byte[] png(Chart<?, ?> chart, List<LegendEntry> legend, String note) {
        return png(chart, legend, note, HEIGHT);
    }

    /** {@link #png(Chart, List, String)} at another height (points): a chart with one row per item grows with its rows. */
    static byte[] png(Chart<?, ?> chart, List<LegendEntry> legend, String note, int height) {
        return png(chart, legend, note, height, 0, 0, g -> {});
    }

    /**
     * {@link #png(Chart, List, String, int)} with the chart drawn {@code left} points from the left and {@code top} from
     * the top, and {@code overlay} drawing over the image afterwards (in points): for text XChart cannot draw, such as
     * row labels longer than its tick labels may be, in the space kept free.
     */
    static byte[] png(Chart<?, ?> chart, List<LegendEntry> legend, String note, int height, int left, int top, Consumer<Graphics2D> overlay) {
        return png(chart, legend, note, WIDTH, height, left, top, overlay);
    }

    /** {@link #png(Chart, List, String, int, int, int, Consumer)} at another width (points): a forest plot widens for long row labels. */
    static byte[] png(Chart<?, ?> chart, List<LegendEntry> legend, String note, int width, int height, int left, int top,
                      Consumer<Graphics2D> overlay) {
        chart.getStyler().setLegendVisible(false);
        if (legend.size() > MAX_LEGEND_ENTRIES) {
            note = (legend.size() - MAX_LEGEND_ENTRIES) + " more series not named in the legend (the report's tables have them all)."
                    + (note.isEmpty() ? "" : " " + note);
            legend = legend.subList(0, MAX_LEGEND_ENTRIES);
        }
        // The legend never eats the plot: the image grows by whatever the legend takes beyond the room left above the plot.
        height = Math.max(height, top + MIN_PLOT_HEIGHT + measure(legend, note, width));
        BufferedImage image = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.scale(SCALE, SCALE);
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, width, height);
            LegendLayout layout = LegendLayout.of(graphics, legend, note, width);
            Graphics2D chartGraphics = (Graphics2D) graphics.create();
            try {
                chartGraphics.translate(left, top);
                chart.paint(chartGraphics, width - left, height - top - layout.height());
            } finally {
                chartGraphics.dispose();
            }
            overlay.accept(graphics);
            layout.paint(graphics, height - layout.height());
        } finally {
            graphics.dispose();
        }
        return encode(image);
    }

    /** The height (points) the legend and note take, measured as {@link LegendLayout} lays them out. */
    static int measure(List<LegendEntry> legend, String note, int width) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return LegendLayout.of(g, legend, note, width).height();
        } finally {
            g.dispose();
        }
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Where legend entries go: the most columns whose widths (each the widest entry in it) fit the chart, entries
     * row by row; names too wide for the chart alone are shortened with an ellipsis. Then the note's lines.
     */
    record LegendLayout(List<LegendEntry> entries, List<String> names, int columns, int[] columnWidths,
                        List<String> noteLines, Font legendFont, Font noteFont, int width, int height) {
        static final int MARGIN = 16;
        static final int PADDING = 8;
        static final int SWATCH = 30;
        static final int SWATCH_GAP = 6;
        static final int COLUMN_GAP = 20;
        static final int ROW_HEIGHT = 20;
        static final int NOTE_LINE_HEIGHT = 15;

        static LegendLayout of(Graphics2D graphics, List<LegendEntry> entries, String note, int width) {
            Font legendFont = new Font(FONT, Font.PLAIN, 12);
            Font noteFont = new Font(FONT, Font.ITALIC, 11);
            FontMetrics metrics = graphics.getFontMetrics(legendFont);
            int available = width - 2 * MARGIN - 2 * PADDING;
            List<String> names = entries.stream().map(e -> fit(e.name(), metrics, available - SWATCH - SWATCH_GAP)).toList();
            int[] widths = names.stream().mapToInt(n -> SWATCH + SWATCH_GAP + metrics.stringWidth(n)).toArray();
            int columns = Math.max(1, widths.length);
            int[] columnWidths = columnWidths(widths, columns);
            while (columns > 1 && Arrays.stream(columnWidths).sum() + (columns - 1) * COLUMN_GAP > available) {
                columns--;
                columnWidths = columnWidths(widths, columns);
            }
            List<String> noteLines = note.isEmpty() ? List.of() : wrap(note, graphics.getFontMetrics(noteFont), width - 2 * MARGIN);
            int rows = (entries.size() + columns - 1) / columns;
            int height = (rows == 0 ? 0 : rows * ROW_HEIGHT + 2 * PADDING + PADDING)
                    + noteLines.size() * NOTE_LINE_HEIGHT + (noteLines.isEmpty() ? 0 : PADDING);
            return new LegendLayout(entries, names, columns, columnWidths, noteLines, legendFont, noteFont, width, height);
        }

        private static int[] columnWidths(int[] widths, int columns) {
            int[] result = new int[columns];
            for (int i = 0; i < widths.length; i++) result[i % columns] = Math.max(result[i % columns], widths[i]);
            return result;
        }

        /** The name, or as much of it as fits in {@code width} followed by an ellipsis. */
        static String fit(String name, FontMetrics metrics, int width) {
            if (metrics.stringWidth(name) <= width) return name;
            String shorter = name;
            while (!shorter.isEmpty() && metrics.stringWidth(shorter + "…") > width) shorter = shorter.substring(0, shorter.length() - 1);
            return shorter + "…";
        }

        private static List<String> wrap(String text, FontMetrics metrics, int width) {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                if (!line.isEmpty() && metrics.stringWidth(line + " " + word) > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (!line.isEmpty()) line.append(' ');
                line.append(word);
            }
            if (!line.isEmpty()) lines.add(line.toString());
            return lines;
        }

        void paint(Graphics2D g, int top) {
            int y = top;
            if (!entries.isEmpty()) {
                int rows = (entries.size() + columns - 1) / columns;
                int boxWidth = Arrays.stream(columnWidths).sum() + (columns - 1) * COLUMN_GAP + 2 * PADDING;
                int boxHeight = rows * ROW_HEIGHT + 2 * PADDING;
                int boxLeft = (width - boxWidth) / 2;
                g.setColor(Color.LIGHT_GRAY);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(boxLeft, y, boxWidth, boxHeight);
                g.setFont(legendFont);
                FontMetrics metrics = g.getFontMetrics();
                for (int i = 0; i < entries.size(); i++) {
                    int column = i % columns;
                    int x = boxLeft + PADDING;
                    for (int c = 0; c < column; c++) x += columnWidths[c] + COLUMN_GAP;
                    int middle = y + PADDING + (i / columns) * ROW_HEIGHT + ROW_HEIGHT / 2;
                    swatch(g, entries.get(i), x, middle);
                    g.setColor(Color.BLACK);
                    g.drawString(names.get(i), x + SWATCH + SWATCH_GAP, middle + (metrics.getAscent() - metrics.getDescent()) / 2);
                }
                y += boxHeight + PADDING;
            }
            g.setFont(noteFont);
            g.setColor(Color.DARK_GRAY);
            FontMetrics metrics = g.getFontMetrics();
            for (String line : noteLines) {
                g.drawString(line, (width - metrics.stringWidth(line)) / 2, y + metrics.getAscent());
                y += NOTE_LINE_HEIGHT;
            }
        }

        private static void swatch(Graphics2D g, LegendEntry entry, int x, int middle) {
            g.setColor(entry.color());
            if (entry.marker() == null) {
                g.fillRect(x + SWATCH / 2 - 7, middle - 7, 14, 14);
                return;
            }
            if (entry.stroke() != null) {
                g.setStroke(entry.stroke());
                g.drawLine(x, middle, x + SWATCH, middle);
            }
            g.setStroke(new BasicStroke(1f));
            entry.marker().paint(g, x + SWATCH / 2.0, middle, MARKER_SIZE);
        }
    }
}
