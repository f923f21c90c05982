package gpuos.reports.charts;

import com.google.gson.JsonObject;
import gpuos.reports.Fixtures;
import gpuos.reports.RunnerFixtures;
import gpuos.reports.analysis.PredictionCheck;
import gpuos.reports.analysis.Report;
import gpuos.reports.results.ResultsReader;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120) // XChart's tick search never ends on some labels: fail rather than hang
class ChartsTest {

    private static ScalingChart.YAxis axis(double[] means, double[] lows) {
        return ScalingChart.YAxis.of(List.of(means), List.of(lows));
    }

    @Test
    void meansSpanningADecadeGetALogAxisWhoseBottomCutsBandsBelowZero() {
        // means 0.05 and 100 span 2000x: log. Lowest mean 0.05 is in the decade of 0.01, so the axis goes down to
        // 0.001 at most; one low is -1 (a t-interval below 0), so the axis is cut a decade below 0.01, at 0.001.
        ScalingChart.YAxis y = axis(new double[] {0.05, 100}, new double[] {-1, 90});
        assertTrue(y.log());
        assertEquals(0.001, y.bottom(), 1e-15);
        assertEquals(1, y.cut());
        assertEquals(-3, y.draw(-1), 1e-12, "drawn at log10 of the bottom");
        assertEquals(2, y.draw(100), 1e-12);
        assertTrue(y.note("us/op").startsWith("Log y axis: at 1 point the 95% CI reaches below 0.001 us/op"), y.note("us/op"));
        // every low positive: the axis starts at the decade of the lowest low (0.5 -> 0.1) and nothing is cut
        ScalingChart.YAxis clean = axis(new double[] {1, 100}, new double[] {0.5, 80});
        assertEquals(0.1, clean.bottom(), 1e-15);
        assertEquals(0, clean.cut());
        assertEquals("", clean.note("us/op"));
        // a low of 1e-9 is far below the lowest mean's decade (1): cut at 0.1, not stretched to 1e-9
        assertEquals(0.1, axis(new double[] {1, 100}, new double[] {1e-9, 80}).bottom(), 1e-15);
    }

    @Test
    void meansWithinADecadeOrAtZeroKeepALinearAxis() {
        assertFalse(axis(new double[] {1, 9.9}, new double[] {-5, 9}).log());
        assertFalse(axis(new double[] {0, 100}, new double[] {0, 90}).log(), "0 has no logarithm");
        assertEquals(-5, axis(new double[] {1, 5}, new double[] {-5, 4}).draw(-5), 0, "linear: drawn as is");
    }

    @Test
    void numbersForTicksAndNotes() {
        assertEquals("1e-7", ScalingChart.number(1e-7));
        assertEquals("2.5e-7", ScalingChart.number(2.5e-7));
        assertEquals("0.001", ScalingChart.number(0.001));
        assertEquals("12000", ScalingChart.number(12345));
        assertEquals("1e5", ScalingChart.number(99999.9), "9.99 rounds up to the next decade");
        assertEquals("0", ScalingChart.number(0));
    }

    @Test
    void axisTicksReadInTheUnitOfTheAxis() {
        assertEquals("4 KiB", ScalingChart.tickLabel(ScalingAxis.BYTES, 4096));
        assertEquals("256 MiB", ScalingChart.tickLabel(ScalingAxis.BYTES, Math.pow(2, 28)));
        assertEquals("100", ScalingChart.tickLabel(ScalingAxis.REPS, 100));
        assertEquals("500 ns", ScalingChart.tickLabel(ScalingAxis.GPU_TIME, 500));
        assertEquals("1 µs", ScalingChart.tickLabel(ScalingAxis.GPU_TIME, 1000));
        assertEquals("100 µs", ScalingChart.tickLabel(ScalingAxis.GPU_TIME, 1e5));
        // the x axis is log2: the tick at log2(10^6) comes back as 999999.99..., still 1 ms
        assertEquals("1 ms", ScalingChart.tickLabel(ScalingAxis.GPU_TIME, Math.pow(2, ScalingAxis.log2(1e6))));
        assertEquals("2.5 s", ScalingChart.tickLabel(ScalingAxis.GPU_TIME, 2.5e9));
    }

    @Test
    void aLongLegendWrapsIntoColumnsThatFitTheChart() {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        List<ChartStyle.LegendEntry> entries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            entries.add(new ChartStyle.LegendEntry("OpenClExecution.variant" + i + " [platform=pocl, queue=" + i + "]",
                    ChartStyle.color(i), ChartStyle.marker(i), ChartStyle.stroke(i)));
        }
        entries.add(new ChartStyle.LegendEntry("X".repeat(200), ChartStyle.color(8), ChartStyle.marker(8), ChartStyle.stroke(8)));
        ChartStyle.LegendLayout layout = ChartStyle.LegendLayout.of(g, entries, "", ChartStyle.WIDTH);
        int available = ChartStyle.WIDTH - 2 * ChartStyle.LegendLayout.MARGIN - 2 * ChartStyle.LegendLayout.PADDING;
        assertTrue(Arrays.stream(layout.columnWidths()).sum() + (layout.columns() - 1) * ChartStyle.LegendLayout.COLUMN_GAP <= available);
        assertEquals(entries.get(0).name(), layout.names().get(0), "names that fit are whole");
        assertTrue(layout.names().get(8).endsWith("…"), "a name wider than the chart is shortened");
        g.dispose();
    }

    /** A series measured at one size only (a wait policy at 4 KiB) is left off a bytes chart, and the caption says so. */
    @Test
    void seriesWithOnePointOnTheAxisAreLeftOffItsChart() {
        Map<Series, List<BenchmarkPoint>> bySeries = new TreeMap<>();
        Series swept = Fixtures.series("cuda", "CudaRuntime", "allocFree");
        List<BenchmarkPoint> points = new ArrayList<>();
        for (long bytes : new long[] {4096, 1 << 20, 1 << 28}) {
            points.add(Fixtures.point(swept, bytes, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {1, 1.1, 0.9})));
        }
        bySeries.put(swept, points);
        Series lone = Fixtures.series("cuda", "CudaExecution", "launchSync[waitPolicy=blocking]");
        bySeries.put(lone, List.of(Fixtures.point(lone, 4096, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {5, 5.2, 5.1}))));
        ChartFile chart = ScalingChart.render(bySeries, Labels.SYSCALLS_WORKLOAD, ScalingAxis.BYTES, Map.of(ScalingAxis.REPS, OptionalLong.of(1)),
                gpuos.reports.analysis.MetricSummary::of).getFirst();
        assertTrue(chart.caption().endsWith("1 series measured at one bytes value only left out (in the report's tables)."), chart.caption());
        // All zeros: no chart (the tables show the zeros).
        Map<Series, List<BenchmarkPoint>> zeros = Map.of(swept, List.of(
                Fixtures.point(swept, 4096, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {0, 0, 0})),
                Fixtures.point(swept, 1 << 20, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {0, 0, 0}))));
        assertTrue(ScalingChart.render(zeros, Labels.SYSCALLS_WORKLOAD, ScalingAxis.BYTES, Map.of(ScalingAxis.REPS, OptionalLong.of(1)),
                gpuos.reports.analysis.MetricSummary::of).isEmpty());
        // Only the lone series: nothing to draw along the axis.
        assertTrue(ScalingChart.render(Map.of(lone, bySeries.get(lone)), Labels.SYSCALLS_WORKLOAD, ScalingAxis.BYTES,
                Map.of(ScalingAxis.REPS, OptionalLong.of(1)), gpuos.reports.analysis.MetricSummary::of).isEmpty());
    }

    /** Eight series with long names on one chart: nothing may touch the left or right edge of the image. */
    @Test
    void nothingIsCutAtTheEdges() throws IOException {
        Map<Series, List<BenchmarkPoint>> bySeries = new TreeMap<>();
        for (int i = 0; i < 8; i++) {
            Series series = Fixtures.series("opencl", "OpenClExecution", "variantWithALongName" + i + "[platform=pocl]");
            List<BenchmarkPoint> points = new ArrayList<>();
            for (long bytes : new long[] {4096, 1 << 20, 1 << 28}) {
                double mean = Math.pow(10, i - 4) * bytes / 4096.0;
                points.add(Fixtures.point(series, bytes, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {mean * 0.1, mean, mean * 1.9},
                        Labels.SYSCALLS_TOTAL, new double[] {mean})));
            }
            bySeries.put(series, points);
        }
        ChartFile chart = ScalingChart.render(bySeries, Labels.SYSCALLS_WORKLOAD, ScalingAxis.BYTES, Map.of(ScalingAxis.REPS, OptionalLong.of(1)),
                gpuos.reports.analysis.MetricSummary::of).getFirst();
        assertTrue(chart.caption().contains("worker + runtime threads"), chart.caption());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x : new int[] {0, 1, image.getWidth() - 2, image.getWidth() - 1}) {
                assertEquals(0xFFFFFF, image.getRGB(x, y) & 0xFFFFFF, "white at (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void forestTicksReadAsFractionsAndMultiples() {
        assertEquals("1/16", ForestChart.ratioTick(-4));
        assertEquals("1/2", ForestChart.ratioTick(-1));
        assertEquals("1", ForestChart.ratioTick(0));
        assertEquals("4", ForestChart.ratioTick(2));
        assertEquals("0.71", ForestChart.ratioTick(-0.5));
        assertEquals("1.4", ForestChart.ratioTick(0.5));
    }

    @Test
    void forestRangeKeepsOneAndClipsRunawayBounds() {
        // estimates 0.5 and 3; one CI reaches 1000 (a baseline mean near 0): drawn at the edge, 8x past the highest estimate
        ForestChart.XRange x = ForestChart.XRange.of(List.of(new ConfidenceInterval(0.5, 0.4, 0.6), new ConfidenceInterval(3, 0, 1000),
                ConfidenceInterval.undefined(Double.NaN)));
        double top = Math.log(3) / Math.log(2) + ForestChart.MAX_REACH;
        double bottom = Math.log(0.4) / Math.log(2);
        double pad = 0.05 * (top - bottom);
        assertEquals(bottom - pad, x.min(), 1e-9);
        assertEquals(top + pad, x.max(), 1e-9);
        assertTrue(x.clipped(1000) && x.clipped(0) && !x.clipped(3));
        assertEquals(x.max(), x.draw(Double.POSITIVE_INFINITY), 0);
        assertEquals(x.min(), x.draw(0), 0);
        // small effects still span 1/2 to 2
        ForestChart.XRange small = ForestChart.XRange.of(List.of(new ConfidenceInterval(1.02, 1.01, 1.03)));
        assertTrue(small.min() < -1 && small.max() > 1);
    }

    /** 16 interventions with 2 predictions each at 4 KiB and 1 MiB, 16 reps: 64 checks on CUDA. */
    private static Report manyChecks(Path dir) throws Exception {
        List<RunnerFixtures.Entry> entries = new ArrayList<>();
        List<JsonObject> index = new ArrayList<>(List.of(RunnerFixtures.intervention("baseline", "baseline", true)));
        for (long bytes : new long[] {4096, 1 << 20}) {
            entries.add(RunnerFixtures.entry("cuda", null, "baseline", "", bytes, 16).score(10, 10.1, 9.9).label("syscalls.role.sync", 1, 1, 1));
        }
        for (int i = 0; i < 16; i++) {
            String name = "intervention-with-a-long-name-" + i;
            index.add(RunnerFixtures.intervention(name, "family" + (i % 3), false,
                    RunnerFixtures.prediction("syscalls.role.sync", "rises", "baseline"), RunnerFixtures.prediction("time", "falls", "baseline")));
            for (long bytes : new long[] {4096, 1 << 20}) {
                entries.add(RunnerFixtures.entry("cuda", null, name, i % 2 == 0 ? "" : "k=" + i, bytes, 16)
                        .score(10 - i * 0.5, 10.1 - i * 0.5, 9.9 - i * 0.5).label("syscalls.role.sync", 1 + i, 1 + i, 1.1 + i));
            }
        }
        return Report.of(ResultsReader.read(RunnerFixtures.folder(dir, entries, index)));
    }

    @Test
    void forestLinesGroupChecksUnderTheirIntervention(@TempDir Path dir) throws Exception {
        List<PredictionCheck> checks = manyChecks(dir).phase2().orElseThrow().checks();
        List<ForestChart.Line> lines = ForestChart.lines(checks.subList(0, 4));
        assertEquals(List.of("intervention-with-a-long-name-0 (family0)", "role.sync rises, 4 KiB", "role.sync rises, 1 MiB", "time falls, 4 KiB",
                "time falls, 1 MiB"), lines.stream().map(ForestChart.Line::text).toList(), "reps shared by all: in the title, not the lines");
        assertTrue(lines.getFirst().header() && !lines.get(1).header());
        assertEquals(", 16 reps", ForestChart.shared(checks));
        assertEquals(", 4 KiB, 16 reps", ForestChart.shared(List.of(checks.getFirst())));
    }

    @Test
    void manyChecksAreSplitIntoChartsOfThirtyThatFitTheirWidth(@TempDir Path dir) throws Exception {
        List<ChartFile> charts = Charts.verdicts(manyChecks(dir));
        assertEquals(List.of("verdicts-cuda-1.png", "verdicts-cuda-2.png", "verdicts-cuda-3.png"),
                charts.stream().map(ChartFile::fileName).toList(), "64 checks, 30 a chart");
        assertTrue(charts.get(1).title().endsWith(", 2 of 3"), charts.get(1).title());
        for (ChartFile chart : charts) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.png()));
            assertTrue(image.getWidth() >= 1600, "at least the usual width; wider for long labels: " + image.getWidth());
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x : new int[] {0, 1, image.getWidth() - 2, image.getWidth() - 1}) {
                    assertEquals(0xFFFFFF, image.getRGB(x, y) & 0xFFFFFF, chart.fileName() + ": white at (" + x + ", " + y + ")");
                }
            }
        }
    }
}
