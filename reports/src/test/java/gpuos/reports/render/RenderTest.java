package gpuos.reports.render;

import gpuos.reports.Fixtures;
import gpuos.reports.analysis.Constraint;
import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.ScalingAxis;
import gpuos.reports.analysis.Warning;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderTest {

    @Test
    void estimatesShowTheDecimalsTheirUncertaintySupports() {
        assertEquals("0.000 ± 0.012", Format.plusMinus(new ConfidenceInterval(0.0001, -0.0119, 0.0121)));
        assertEquals("257 ± 18", Format.plusMinus(new ConfidenceInterval(256.8, 238.8, 274.8)));
        assertEquals("95 (identical forks)", Format.plusMinus(new ConfidenceInterval(95, 95, 95)));
        assertEquals("12.35", Format.plusMinus(ConfidenceInterval.undefined(12.345)));
        // the shorter arm (0.06) sets the decimals: two significant digits of it
        assertEquals("1.980 [1.920, 2.130]", Format.withInterval(new ConfidenceInterval(1.98, 1.92, 2.13)));
        assertEquals("0.0000 ± 0.0022", Format.plusMinus(new ConfidenceInterval(-1e-17, -0.0022, 0.0022)), "no minus zero");
        assertEquals("", Format.csv(Double.NaN));
    }

    @Test
    void sharesShowTwoSignificantDigitsOfThemselvesOrOfWhatTheyLeave() {
        assertEquals("25.0%", Format.share(0.25));
        assertEquals("0.0062%", Format.share(0.000062));
        assertEquals("99.9938%", Format.share(1 - 0.000062), "not 100.0%: some calls did block");
        assertEquals("0%", Format.share(0));
        assertEquals("100%", Format.share(1));
        assertEquals("0.20% ± 0.25%", Format.sharePlusMinus(new ConfidenceInterval(0.002, -0.000484, 0.004484)));
        assertEquals("100% (identical forks)", Format.sharePlusMinus(new ConfidenceInterval(1, 1, 1)));
        assertEquals("50.0%", Format.sharePlusMinus(ConfidenceInterval.undefined(0.5)), "one fork: no interval");
    }

    @Test
    void findingReadsAsASentence() {
        Series series = Fixtures.series("opencl", "VectorAdd", "enqueue");
        List<BenchmarkPoint> points = List.of(
                Fixtures.point(series, 4096, 10, Map.of(Labels.SYSCALLS_TOTAL, new double[] {23, 23.01, 22.99})),
                Fixtures.point(series, 65536, 10, Map.of(Labels.SYSCALLS_TOTAL, new double[] {23.01, 22.99, 23})),
                Fixtures.point(series, 1 << 20, 10, Map.of(Labels.SYSCALLS_TOTAL, new double[] {22.99, 23, 23.01})));
        Constraint constraint = Constraint.fit(series, points, Labels.SYSCALLS_TOTAL, ScalingAxis.BYTES).orElseThrow();
        // x = log2 bytes = 12, 16, 20, point means all 23: the fork noise decides (s^2 = 1e-4 at each point):
        // Sxx = 32, sum w^2 = 1/32, SE = sqrt(1e-4 / 3 / 32) = 0.0010206; t(0.975, 1 df) = 12.706205: half width 0.012968
        assertEquals("VectorAdd.enqueue: total syscalls/op do not change with bytes: slope 0.000 ± 0.013 per doubling"
                + " (line of the means of 3 points, at least 3 forks each, reps = 10).", MarkdownReport.finding(constraint));
    }

    @Test
    void aFindingAlongGpuTimeNamesBothHeldAxes() {
        Map<Series, List<BenchmarkPoint>> bySeries = new TreeMap<>();
        for (long g : new long[] {1000, 10000, 100000}) {
            Series series = Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", Long.toString(g), "waitPolicy", "blocking"));
            bySeries.put(series, List.of(Fixtures.point(series, 4096, 1, Map.of(Labels.SYSCALLS_TOTAL, new double[] {4.99, 5, 5.01}))));
        }
        Map.Entry<Series, List<BenchmarkPoint>> pool = ScalingAxis.GPU_TIME.groups(bySeries).firstEntry();
        Constraint constraint = Constraint.fit(pool.getKey(), pool.getValue(), Labels.SYSCALLS_TOTAL, ScalingAxis.GPU_TIME).orElseThrow();
        assertEquals("bytes = 4096, reps = 1", MarkdownReport.heldAt(constraint));
        // Sxx = 2 L^2 = 22.0704 (L = log2 10); SE = sqrt(1e-4 / 3 / 22.0704) = 0.0012290; x 12.706205 = 0.015616
        assertEquals("CudaExecution.spin [waitPolicy=blocking]: total syscalls/op do not change with GPU time: slope 0.000 ± 0.016"
                + " per doubling of GPU time (line of the means of 3 points, at least 3 forks each, bytes = 4096, reps = 1).",
                MarkdownReport.finding(constraint));
        // one held axis: its value alone, as the table always showed it
        Series enqueue = Fixtures.series("opencl", "VectorAdd", "enqueue");
        List<BenchmarkPoint> points = List.of(
                Fixtures.point(enqueue, 4096, 10, Map.of(Labels.SYSCALLS_TOTAL, new double[] {23, 23, 23})),
                Fixtures.point(enqueue, 65536, 10, Map.of(Labels.SYSCALLS_TOTAL, new double[] {23, 23, 23})));
        assertEquals("10", MarkdownReport.heldAt(Constraint.fit(enqueue, points, Labels.SYSCALLS_TOTAL, ScalingAxis.BYTES).orElseThrow()));
    }

    @Test
    void warningsOfOneKindAboutOneSeriesAreOneItemWithOneHint() {
        List<Warning.Raised> raised = List.of(
                Warning.OUTLIER_FORK.raiseAbout("A", "A", "bytes=1", 1, 3, "score", 5.0, 9.0),
                Warning.NO_METADATA.raise(),
                Warning.HIGH_CV.raiseAbout("A", "A", "score", 1, 2, "bytes=1", 20.0),
                Warning.OUTLIER_FORK.raiseAbout("B", "B", "bytes=1", 2, 3, "score", 6.0, 8.0),
                Warning.OUTLIER_FORK.raiseAbout("A", "A", "bytes=2", 3, 3, "score", 7.0, -4.0),
                Warning.NO_METADATA.raise());
        List<List<Warning.Raised>> groups = MarkdownReport.grouped(raised);
        // A's outliers together where the first was raised; warnings without a subject stay apart
        assertEquals(List.of(List.of(raised.get(0), raised.get(4)), List.of(raised.get(1)), List.of(raised.get(2)),
                List.of(raised.get(3)), List.of(raised.get(5))), groups);
        assertEquals("- ***WARNING*** A at bytes=1: fork 1 of 3 has score = 5.000, an outlier among fork means (modified z-score 9.0, |M| > 3.5).  \n"
                + "  ***WARNING*** A at bytes=2: fork 3 of 3 has score = 7.000, an outlier among fork means (modified z-score -4.0, |M| > 3.5).  \n"
                + "  *Hint:* " + Warning.OUTLIER_FORK.hint + "\n", MarkdownReport.warningItem(groups.getFirst()));
    }

    @Test
    void csvQuotesFieldsWithCommas() {
        Series series = new Series("Copy.h2d [platform=pocl, queue=2]", "opencl", "Copy", "h2d", "avgt", new TreeMap<>());
        BenchmarkPoint point = Fixtures.point(series, 1024, 1, Map.of(Labels.SCORE, new double[] {1, 2, 3}));
        String csv = CsvExport.summary(List.of(MetricSummary.of(point, Labels.SCORE).orElseThrow()));
        assertTrue(csv.startsWith("benchmark,series,mode,params,bytes,reps,metric,unit,n_forks,mean,ci_low,ci_high,cv\r\n"), csv);
        assertTrue(csv.contains(",\"Copy.h2d [platform=pocl, queue=2]\",avgt,bytes=1024;reps=1,1024,1,score,,3,2.0,"), csv);
    }
}
