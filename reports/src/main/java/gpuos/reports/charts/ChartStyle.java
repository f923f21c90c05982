package gpuos.reports.charts;

import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** One look for every chart, sized for a paper column: 800x500 points drawn at 2x (1600x1000 pixels). */
final class ChartStyle {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    /** Pixels per point: 2x keeps lines and text sharp when a figure is scaled in print. */
    static final int SCALE = 2;
    /** Okabe and Ito (2008) colour-blind safe palette, in an order that keeps neighbours distinct in greyscale. */
    static final Color[] COLORS = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};
    static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.OVAL, SeriesMarkers.PLUS};
    private static final String FONT = Font.SANS_SERIF;
    /** Rough width of a 12 pt sans-serif character, to decide layouts before XChart measures text. */
    private static final int CHARACTER_WIDTH = 7;
    private static final int LEGEND_ENTRY_EXTRA = 60;

    private ChartStyle() {}

    static Color color(int index) {
        return COLORS[index % COLORS.length];
    }

    /** The series colour, light enough to show the line through it: a confidence band. */
    static Color band(Color color) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), 56);
    }

    static Marker marker(int index) {
        return MARKERS[index % MARKERS.length];
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
    }

    /** Legend in one row under the plot when it fits there, else in a column to the right (XChart does not wrap). */
    static void legend(AxesChartStyler styler, List<String> entries) {
        int width = entries.stream().mapToInt(e -> e.length() * CHARACTER_WIDTH + LEGEND_ENTRY_EXTRA).sum();
        boolean fitsBelow = width <= WIDTH - 40;
        styler.setLegendPosition(fitsBelow ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        styler.setLegendLayout(fitsBelow ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
    }

    /**
     * Category labels flat when they fit, else turned 30 degrees: turned labels clear each other once the
     * room per category times sin(30) exceeds a line (about 16 points), and steeper angles eat the plot.
     */
    static int labelRotation(List<String> categories) {
        int longest = categories.stream().mapToInt(String::length).max().orElse(0) * CHARACTER_WIDTH;
        int room = (WIDTH - 120) / Math.max(1, categories.size());
        return longest <= room ? 0 : room >= 36 ? 30 : 60;
    }

    /** PNG bytes of a chart drawn at {@link #SCALE}. */
    static byte[] png(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(WIDTH * SCALE, HEIGHT * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.scale(SCALE, SCALE);
            chart.paint(graphics, WIDTH, HEIGHT);
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory", e);
        }
        return bytes.toByteArray();
    }
}
