package gpuos.reports.charts;

import gpuos.reports.Fixtures;
import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What made committed charts unreadable (issue 11), each pinned: legends, palette, axes, ticks. */
@Timeout(120)
class ChartReadabilityTest {

    /**
     * Counts on a log2 axis with error bars (the ResNet load charts): the bars' caps made XChart pick a step of 0.2
     * whose labels were mostly blank, and it drew no tick, no label and no vertical grid line at all. One grid line per
     * count, 1 to 32, across the middle of the plot.
     */
    @Test
    void pointsOnALog2AxisHaveATickAtEveryCount() throws IOException {
        double[] n = {1, 2, 4, 8, 16, 32};
        double[] mean = {1, 2, 3, 4, 5, 6};
        double[] low = java.util.Arrays.stream(mean).map(v -> v - 0.5).toArray(), high = java.util.Arrays.stream(mean).map(v -> v + 0.5).toArray();
        ChartFile chart = PointChart.log2("load.png", "t", "N", "y", List.of(new PointChart.Marks("s", 0, false, n, mean, low, high)), "");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
        // In any one row a series line may cover a grid line: the most seen over a few rows.
        int most = 0;
        for (int y = image.getHeight() / 5; y < image.getHeight() / 2; y += image.getHeight() / 20) {
            int lines = 0;
            boolean inLine = false;
            for (int x = 0; x < image.getWidth(); x++) {
                boolean grid = (image.getRGB(x, y) & 0xFFFFFF) == 0xDDDDDD;
                if (grid && !inLine) lines++;
                inLine = grid;
            }
            most = Math.max(most, lines);
        }
        assertEquals(n.length, most, "vertical grid lines (one per tick) across the plot");
    }

    /** 26 series (as the GPU reference's score-vs-bytes): the legend took the whole image and left no plot. */
    @Test
    void aLongLegendNeverEatsThePlot() throws IOException {
        Map<Series, List<BenchmarkPoint>> bySeries = new TreeMap<>();
        for (int i = 0; i < 26; i++) {
            Series series = Fixtures.series("cuda", "CudaExecution", "spin [gpuNanos=" + (1000 * (i + 1)) + ", waitPolicy=blocking]");
            List<BenchmarkPoint> points = new ArrayList<>();
            for (long bytes : new long[] {4096, 1 << 16, 1 << 20}) {
                double mean = 1 + i + Math.log(bytes);
                points.add(Fixtures.point(series, bytes, 1, Map.of(Labels.SCORE, new double[] {mean - 0.1, mean, mean + 0.1})));
            }
            bySeries.put(series, points);
        }
        ChartFile chart = ScalingChart.render(bySeries, Labels.SCORE, ScalingAxis.BYTES, Map.of(ScalingAxis.REPS, OptionalLong.of(1)),
                MetricSummary::of).getFirst();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
        // The plot's border is dark grey: its top and bottom along the middle column give the plot's height.
        int top = -1, bottom = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            if ((image.getRGB(image.getWidth() / 2, y) & 0xFFFFFF) == 0x404040) {
                if (top < 0) top = y;
                bottom = y;
            }
        }
        int plot = (bottom - top) / ChartStyle.SCALE;
        assertTrue(top >= 0 && plot >= ChartStyle.MIN_PLOT_HEIGHT * 0.6, "plot height " + plot + " points of " + image.getHeight() / 2);
        assertTrue(image.getHeight() > ChartStyle.HEIGHT * ChartStyle.SCALE, "the image grows for the legend");
    }

    @Test
    void seriesStayDistinctBeyondEight() {
        Set<Integer> colours = new HashSet<>();
        for (int i = 0; i < 16; i++) colours.add(ChartStyle.color(i).getRGB());
        assertEquals(16, colours.size(), "16 colours before one repeats");
        Set<String> looks = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            looks.add(ChartStyle.color(i).getRGB() + "/" + ChartStyle.marker(i).getClass().getName() + "/"
                    + java.util.Arrays.toString(ChartStyle.stroke(i).getDashArray()));
        }
        assertEquals(64, looks.size(), "colour, marker and line style never repeat together within 64 series");
    }

    @Test
    void aLinearAxisEndsOnARoundTickAboveTheData() {
        NiceAxis axis = NiceAxis.of(0.02, 0.37);
        assertEquals(0, axis.min(), 1e-12, "from 0 where the data start near it");
        assertEquals(0.4, axis.max(), 1e-12);
        assertEquals(0.1, axis.step(), 1e-12);
        NiceAxis away = NiceAxis.of(1021, 1187);
        assertTrue(away.min() <= 1021 && away.max() >= 1187 && away.min() > 0, away.toString());
        assertEquals(0, Math.IEEEremainder(away.max(), away.step()), 1e-9, "the top is a tick: " + away);
    }

    @Test
    void linearTicksKeepTheirLeadingZero() {
        // XChart's "#.##" wrote ".05" on a bar chart of CPU times (ResNet report, 2026-12-03).
        assertEquals("0.05", ChartStyle.linearTick(0.05));
        assertEquals("0.15", ChartStyle.linearTick(0.15000000000000002), "the step's float error is not printed");
        assertEquals("1.25", ChartStyle.linearTick(1.25));
        assertEquals("1000", ChartStyle.linearTick(1000));
        assertEquals("0", ChartStyle.linearTick(-0.0));
        assertEquals("-0.5", ChartStyle.linearTick(-0.5));
    }

    @Test
    void powersOfTwoReadWhole() {
        assertEquals("256", ForestChart.ratioTick(8), "not 260");
        assertEquals("1024", ForestChart.ratioTick(10));
        assertEquals("1/256", ForestChart.ratioTick(-8));
    }

    @Test
    void forestCaptionSaysWhatTheMarksMean() {
        String caption = ForestChart.caption(0, 0, 2, 1);
        assertTrue(caption.contains("Fieller") && caption.contains("margin"), caption);
        assertTrue(caption.contains("unbounded"), "an unbounded CI is said so: " + caption);
        assertTrue(caption.contains("\"0\": the intervention's mean is 0"), "ratio 0 drawn at the floor, not as no ratio: " + caption);
        assertTrue(!caption.contains("\"no ratio\""), "no such line here: " + caption);
    }
}
