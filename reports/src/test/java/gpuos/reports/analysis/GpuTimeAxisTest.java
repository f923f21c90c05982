package gpuos.reports.analysis;

import gpuos.reports.Fixtures;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.RunResults;
import gpuos.reports.results.Series;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gpuNanos as a third axis: series that differ only in it are pooled, bytes and reps held, slopes per doubling of GPU time. */
class GpuTimeAxisTest {
    static final long[] GPU_NANOS = {1_000, 10_000, 100_000, 1_000_000};

    static Series spin(long gpuNanos, String waitPolicy) {
        return Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", Long.toString(gpuNanos), "waitPolicy", waitPolicy));
    }

    /**
     * CudaExecution.spin at bytes 4096, reps 1, 3 forks per point. waitPolicy=spin: workload syscalls/op = 0.2 log2(gpuNanos)
     * - 1.5; waitPolicy=blocking: 5 at every GPU time. Fork noise -0.01, 0, +0.01 around both.
     */
    static Map<Series, List<BenchmarkPoint>> spinSweep() {
        Map<Series, List<BenchmarkPoint>> bySeries = new java.util.TreeMap<>();
        for (long g : GPU_NANOS) {
            double rising = 0.2 * ScalingAxis.log2(g) - 1.5;
            for (String policy : List.of("spin", "blocking")) {
                double y = policy.equals("spin") ? rising : 5;
                Series series = spin(g, policy);
                bySeries.put(series, List.of(Fixtures.point(series, 4096, 1, Map.of(
                        Labels.SYSCALLS_WORKLOAD, new double[] {y - 0.01, y, y + 0.01},
                        Labels.SYSCALLS_TOTAL, new double[] {y - 0.01, y, y + 0.01},
                        Labels.SCORE, new double[] {g / 1000.0, g / 1000.0, g / 1000.0}))));
            }
        }
        return bySeries;
    }

    @Test
    void anAxisIsAParamATransformAndAUnit() {
        assertEquals("gpuNanos", ScalingAxis.GPU_TIME.param);
        assertEquals(ScalingAxis.Transform.LOG2, ScalingAxis.GPU_TIME.transform);
        assertEquals(10, ScalingAxis.GPU_TIME.regressor(1024), 1e-12);
        assertEquals("per doubling of GPU time", ScalingAxis.GPU_TIME.slopeUnit);
        // bytes and reps keep their words, so their rows read as before
        assertEquals(List.of("bytes", "per doubling", "repetitions", "per repetition"),
                List.of(ScalingAxis.BYTES.noun, ScalingAxis.BYTES.slopeUnit, ScalingAxis.REPS.noun, ScalingAxis.REPS.slopeUnit));
        assertEquals(100, ScalingAxis.REPS.regressor(100), 1e-12, "reps are regressed linearly");
        // gpuNanos names series; bytes and reps are the sweep's own axes, held while sweeping another
        assertTrue(ScalingAxis.GPU_TIME.splitsSeries());
        assertFalse(ScalingAxis.BYTES.splitsSeries() || ScalingAxis.REPS.splitsSeries());
        assertEquals(List.of(ScalingAxis.BYTES, ScalingAxis.REPS), ScalingAxis.GPU_TIME.held());
        assertEquals(List.of(ScalingAxis.REPS), ScalingAxis.BYTES.held());
        assertEquals(List.of(ScalingAxis.BYTES), ScalingAxis.REPS.held());
        assertEquals("grows with GPU time", Verdict.GROWS.describe(ScalingAxis.GPU_TIME));
    }

    @Test
    void seriesWithoutAParamIsNamedWithoutIt() {
        Series pooled = spin(1000, "spin").without("gpuNanos");
        assertEquals("CudaExecution.spin [waitPolicy=spin]", pooled.name());
        assertEquals(Map.of("waitPolicy", "spin"), pooled.params());
        assertEquals(pooled, spin(1_000_000, "spin").without("gpuNanos"), "the same pool for every GPU time");
        assertEquals("CudaExecution.spin", pooled.without("waitPolicy").name());
        Series plain = Fixtures.series("cpu", "CpuCopy", "javaLoop");
        assertEquals(plain, plain.without("gpuNanos"), "no such param: the series itself");
    }

    @Test
    void seriesThatDifferOnlyInGpuTimeArePooledWhereItTakesTwoValues() {
        Map<Series, List<BenchmarkPoint>> bySeries = new java.util.TreeMap<>(spinSweep());
        Series launchSync = Fixtures.series("cuda", "CudaExecution", "launchSync", Map.of("gpuNanos", "10000", "waitPolicy", "auto"));
        bySeries.put(launchSync, List.of(Fixtures.point(launchSync, 4096, 1, Map.of(Labels.SCORE, new double[] {1, 1, 1}))));
        SortedMap<Series, List<BenchmarkPoint>> groups = ScalingAxis.GPU_TIME.groups(bySeries);
        assertEquals(List.of("CudaExecution.spin [waitPolicy=blocking]", "CudaExecution.spin [waitPolicy=spin]"),
                groups.keySet().stream().map(Series::name).toList(), "launchSync has one GPU time: not pooled");
        assertEquals(4, groups.get(spin(1000, "spin").without("gpuNanos")).size());
        assertEquals(bySeries, ScalingAxis.BYTES.groups(bySeries), "bytes and reps take every series as it is");
    }

    @Test
    void syscallsPerOpAlongGpuTime() {
        SortedMap<Series, List<BenchmarkPoint>> groups = ScalingAxis.GPU_TIME.groups(spinSweep());
        Series spinning = spin(1000, "spin").without("gpuNanos");
        Constraint rising = Constraint.fit(spinning, groups.get(spinning), Labels.SYSCALLS_WORKLOAD, ScalingAxis.GPU_TIME).orElseThrow();
        // x = log2 gpuNanos, L = log2 10 = 3.321928 apart; the 4 point means lie on the line, forks -0.01, 0, +0.01 around
        // them (s^2 = 1e-4, s^2 / 3 = 3.3333e-5). Sxx = L^2 (2.25 + 0.25 + 0.25 + 2.25) = 55.17603; sum w^2 = 1 / Sxx:
        // SE = sqrt(3.3333e-5 / 55.17603) = 7.77256e-4; t(0.975, 2 df) = 4.302653: half width 0.0033442
        assertEquals(0.2, rising.slope().estimate(), 1e-12);
        assertEquals(0.2 - 0.0033442, rising.slope().low(), 1e-7);
        assertEquals(0.2 + 0.0033442, rising.slope().high(), 1e-7);
        assertEquals(2, rising.fit().slope().degreesOfFreedom(), 1e-12);
        assertEquals(4, rising.points());
        // mean 0.2 * 14.948676 - 1.5 = 1.489735; margin 5% of it over 3 decades (9.965784 doublings) = 0.0074743
        assertEquals(1.4897353, rising.meanY(), 1e-6);
        assertEquals(0.0074743, rising.margin(), 1e-7);
        assertEquals(Verdict.GROWS, rising.verdict());
        assertEquals(Map.of(ScalingAxis.BYTES, OptionalLong.of(4096), ScalingAxis.REPS, OptionalLong.of(1)), rising.held());

        Series blocking = spin(1000, "blocking").without("gpuNanos");
        Constraint flat = Constraint.fit(blocking, groups.get(blocking), Labels.SYSCALLS_WORKLOAD, ScalingAxis.GPU_TIME).orElseThrow();
        assertEquals(0, flat.slope().estimate(), 1e-12);
        // 5% of 5 over 9.965784 doublings = 0.025086 per doubling; the CI (± 0.0033442) lies within it
        assertEquals(0.025086, flat.margin(), 1e-6);
        assertEquals(Verdict.INVARIANT, flat.verdict());
    }

    @Test
    void bytesAndRepsAreHeldWhereThePoolHasMostPoints() {
        List<BenchmarkPoint> points = new ArrayList<>(ScalingAxis.GPU_TIME.groups(spinSweep()).get(spin(1000, "spin").without("gpuNanos")));
        Series other = spin(1000, "spin");
        points.add(Fixtures.point(other, 1 << 20, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {9, 9, 9})));
        points.add(Fixtures.point(spin(10_000, "spin"), 1 << 20, 1, Map.of(Labels.SYSCALLS_WORKLOAD, new double[] {9, 9, 9})));
        Constraint fit = Constraint.fit(other.without("gpuNanos"), points, Labels.SYSCALLS_WORKLOAD, ScalingAxis.GPU_TIME).orElseThrow();
        assertEquals(OptionalLong.of(4096), fit.held().get(ScalingAxis.BYTES), "4 GPU times at 4 KiB, 2 at 1 MiB");
        assertEquals(4, fit.points());
        assertEquals(0.2, fit.slope().estimate(), 1e-12, "the 1 MiB points are left out");
    }

    @Test
    void theReportHasRowsAlongGpuTimeForThePoolsAndKeepsThoseOfEachSeries() {
        List<BenchmarkPoint> points = spinSweep().values().stream().flatMap(List::stream).toList();
        Report report = Report.of(new RunResults(java.nio.file.Path.of("run"), gpuos.reports.results.Metadata.absent(), points,
                Map.of("jmh/cuda-spin.json", points.size()), List.of()));
        List<Constraint> alongGpuTime = report.constraints().stream().filter(c -> c.axis() == ScalingAxis.GPU_TIME).toList();
        assertEquals(List.of("CudaExecution.spin [waitPolicy=blocking]", "CudaExecution.spin [waitPolicy=spin]"),
                alongGpuTime.stream().map(c -> c.series().name()).distinct().toList());
        assertTrue(alongGpuTime.stream().anyMatch(c -> c.label().equals(Labels.SYSCALLS_WORKLOAD) && c.verdict() == Verdict.GROWS
                && c.series().name().endsWith("[waitPolicy=spin]")));
        // each series keeps its rows along bytes and reps (one point each: inconclusive), before any pool's rows
        assertEquals(8 * 2 * report.keyMetrics().size(), report.constraints().stream().filter(c -> c.axis() != ScalingAxis.GPU_TIME).count());
        assertTrue(report.constraints().stream().anyMatch(c -> c.series().equals(spin(1000, "spin")) && c.axis() == ScalingAxis.BYTES
                && c.held().equals(Map.of(ScalingAxis.REPS, OptionalLong.of(1))) && c.verdict() == Verdict.INCONCLUSIVE));
        int lastSeriesRow = report.constraints().size() - alongGpuTime.size() - 1;
        assertTrue(report.constraints().subList(0, lastSeriesRow + 1).stream().allMatch(c -> c.axis() != ScalingAxis.GPU_TIME),
                "pools sort after the series they pool ('[gpuNanos=' < '[waitPolicy=')");
    }

    @Test
    void theReportHoldsThePoolsItFittedSoChartsDrawTheSame() {
        List<BenchmarkPoint> points = spinSweep().values().stream().flatMap(List::stream).toList();
        Report report = Report.of(new RunResults(java.nio.file.Path.of("run"), gpuos.reports.results.Metadata.absent(), points,
                Map.of("jmh/cuda-spin.json", points.size()), List.of()));
        assertEquals(ScalingAxis.GPU_TIME.groups(report.phase1()), report.sweep(ScalingAxis.GPU_TIME), "computed once, held");
        assertEquals(report.sweep(ScalingAxis.GPU_TIME).keySet(), report.constraints().stream().filter(c -> c.axis() == ScalingAxis.GPU_TIME)
                .map(Constraint::series).collect(java.util.stream.Collectors.toSet()), "the constraints fit exactly the held pools");
        // Holm across the report's rows: a kept verdict has an adjusted p below 0.05, and no adjusted p is below its raw one
        assertTrue(report.constraints().stream().filter(c -> !Double.isNaN(c.holmP())).allMatch(c -> c.holmP() >= c.pValue()
                && (c.adjusted() == Verdict.INCONCLUSIVE || c.holmP() < Constraint.ALPHA)));
    }
}
