package gpuos.reports.analysis;

import gpuos.reports.Fixtures;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.LinearFit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisTest {
    private static final Series ENQUEUE = Fixtures.series("opencl", "VectorAdd", "enqueue");
    private static final Series LOOP = Fixtures.series("cpu", "VectorAdd", "loop");

    private static LinearFit slope(double low, double high) {
        return new LinearFit((low + high) / 2, new ConfidenceInterval((low + high) / 2, low, high), 0, 9);
    }

    @Test
    void gcPausesInsideCountedWindowsAreOneWarningPerSeries() {
        Series quiet = Fixtures.series("cuda", "CudaExecution", "launchSync");
        Series paused = Fixtures.series("cpu", "CpuCopy", "javaLoop");
        List<BenchmarkPoint> points = List.of(
                Fixtures.point(quiet, 4096, 1, Map.of(Labels.SCORE, new double[] {1, 1, 1}, Labels.JVM_GC_PAUSES, new double[] {0, 0, 0})),
                Fixtures.point(paused, 4096, 1, Map.of(Labels.SCORE, new double[] {1, 1, 1}, Labels.JVM_GC_PAUSES, new double[] {0, 0, 0})),
                Fixtures.point(paused, 1 << 20, 1, Map.of(Labels.SCORE, new double[] {1, 1, 1}, Labels.JVM_GC_PAUSES, new double[] {2, 3, 4})));
        List<Warning.Raised> raised = Warnings.check(new gpuos.reports.results.RunResults(java.nio.file.Path.of("run"),
                gpuos.reports.results.Metadata.absent(), points, Map.of(), List.of())).stream()
                .filter(w -> w.warning() == Warning.JVM_ACTIVITY).toList();
        assertEquals(1, raised.size(), "only the series that paused: " + raised);
        assertEquals(paused.name(), raised.get(0).subject());
        assertTrue(raised.get(0).text().contains("at 1 of 2 points") && raised.get(0).text().contains("3.0 pauses per iteration"), raised.get(0).text());
    }

    @Test
    void verdictRule() {
        double margin = 0.05;
        assertEquals(Verdict.INVARIANT, Constraint.verdict(slope(-0.01, 0.01), 3, margin));
        assertEquals(Verdict.INVARIANT, Constraint.verdict(slope(0.001, 0.002), 3, margin), "significant but too small to matter");
        assertEquals(Verdict.GROWS, Constraint.verdict(slope(0.5, 1.5), 3, margin));
        assertEquals(Verdict.SHRINKS, Constraint.verdict(slope(-1.5, -0.5), 3, margin));
        assertEquals(Verdict.INCONCLUSIVE, Constraint.verdict(slope(-1, 1), 3, margin), "CI contains 0 but is wide");
        assertEquals(Verdict.INCONCLUSIVE, Constraint.verdict(slope(-0.01, 0.01), 2, margin), "two points always lie on a line");
    }

    @Test
    void countsHaveAMarginOfAtLeastOneSyscallPer100Operations() {
        // bytes 4 KiB to 1 MiB: x = log2 bytes from 12 to 20, a range of 8 doublings
        // a count with mean 0.0001/op: 5% of it is 0.000005 < 0.01, so the floor wins: 0.01 / 8 = 0.00125 per doubling
        assertEquals(0.00125, Constraint.margin(Labels.SYSCALLS_WORKLOAD, 0.0001, 8), 1e-15);
        // a count with mean 23/op: 5% of it is 1.15 > 0.01, so 1.15 / 8 = 0.14375 per doubling
        assertEquals(0.14375, Constraint.margin(Labels.SYSCALLS_TOTAL, 23, 8), 1e-12);
        assertEquals(0.14375, Constraint.margin(Labels.role("sync"), -23, 8), 1e-12, "the size of the mean");
        // reps 1 to 10000: a range of 9999 repetitions; 5% of 0.05/op = 0.0025 < 0.01: 0.01 / 9999 per repetition
        assertEquals(0.01 / 9999, Constraint.margin(Labels.SYSCALLS_WORKLOAD, 0.05, 9999), 1e-18);
        // not a count: 5% of the mean however small it is: 0.05 * 0.0001 / 8 = 6.25e-7
        assertEquals(6.25e-7, Constraint.margin(Labels.SCORE, 0.0001, 8), 1e-18);
        assertTrue(Double.isNaN(Constraint.margin(Labels.SYSCALLS_TOTAL, 1, 0)), "nothing swept");
    }

    /** A syscall count of 0.00007/op rising by 0.000001 per doubling, fork noise ±0.00001, at 4 KiB, 64 KiB and 1 MiB. */
    private static List<BenchmarkPoint> almostNoSyscalls() {
        List<BenchmarkPoint> points = new ArrayList<>();
        for (long bytes : new long[] {4096, 65536, 1 << 20}) {
            double y = 0.00007 + 0.000001 * (ScalingAxis.log2(bytes) - 16);
            points.add(Fixtures.point(ENQUEUE, bytes, 1, Map.of(
                    Labels.SYSCALLS_WORKLOAD, new double[] {y - 0.00001, y, y + 0.00001},
                    Labels.SCORE, new double[] {y - 0.00001, y, y + 0.00001})));
        }
        return points;
    }

    @Test
    void aCountNearZeroIsInvariantWhenItChangesByLessThanOneSyscallPer100Operations() {
        List<BenchmarkPoint> points = almostNoSyscalls();
        Constraint workload = Constraint.fit(ENQUEUE, points, Labels.SYSCALLS_WORKLOAD, ScalingAxis.BYTES).orElseThrow();
        // x = 12, 16, 20, three forks each: Sxx = 3 * (16 + 0 + 16) = 96; residuals -0.00001, 0, +0.00001 at each x:
        // SSE = 3 * 2e-10 = 6e-10, MSE = 6e-10 / 7; SE = sqrt(MSE / Sxx) = 9.4491e-7; t(0.975, 7) = 2.364624:
        // slope 0.000001 ± 0.0000022344, CI [-0.0000012344, 0.0000032344]
        assertEquals(0.000001, workload.fit().slope(), 1e-12);
        assertEquals(-0.0000012344, workload.fit().interval().low(), 1e-10);
        assertEquals(0.0000032344, workload.fit().interval().high(), 1e-10);
        assertEquals(0.00007, workload.meanY(), 1e-12);
        // floor branch: 5% of 0.00007 = 0.0000035 < 0.01, margin 0.01 / 8 doublings = 0.00125: the CI lies within ± 0.00125
        assertEquals(0.00125, workload.margin(), 1e-15);
        assertEquals(Verdict.INVARIANT, workload.verdict());
        // the same numbers as a score (not a count): margin 5% of 0.00007 / 8 = 4.375e-7, which the CI reaches past
        Constraint score = Constraint.fit(ENQUEUE, points, Labels.SCORE, ScalingAxis.BYTES).orElseThrow();
        assertEquals(4.375e-7, score.margin(), 1e-15);
        assertEquals(Verdict.INCONCLUSIVE, score.verdict());
    }

    /** syscalls/op = 3 + 2 reps, the same at every size, with fork noise of ±0.01. */
    private static List<BenchmarkPoint> launchesCostTwoSyscalls() {
        List<BenchmarkPoint> points = new ArrayList<>();
        for (long bytes : new long[] {4096, 65536, 1 << 20}) {
            for (long reps : new long[] {1, 10, 100}) {
                double total = 3 + 2 * reps;
                points.add(Fixtures.point(ENQUEUE, bytes, reps, Map.of(
                        Labels.SYSCALLS_TOTAL, new double[] {total - 0.01, total, total + 0.01},
                        Labels.SCORE, new double[] {bytes * 1e-3, bytes * 1.01e-3, bytes * 0.99e-3})));
            }
        }
        return points;
    }

    @Test
    void slopesOverForkValues() {
        List<BenchmarkPoint> points = launchesCostTwoSyscalls();
        Constraint alongBytes = Constraint.fit(ENQUEUE, points, Labels.SYSCALLS_TOTAL, ScalingAxis.BYTES).orElseThrow();
        assertEquals(Verdict.INVARIANT, alongBytes.verdict());
        // 5% branch: at reps = 100 the mean is 203/op, 5% of it 10.15 > 0.01, over 8 doublings: 1.26875 per doubling
        assertEquals(1.26875, alongBytes.margin(), 1e-12);
        assertEquals(0, alongBytes.fit().slope(), 1e-9);
        assertEquals(9, alongBytes.fit().n(), "3 points x 3 forks");
        assertEquals(Map.of(ScalingAxis.REPS, OptionalLong.of(100)), alongBytes.held(), "ties go to the largest value");

        Constraint alongReps = Constraint.fit(ENQUEUE, points, Labels.SYSCALLS_TOTAL, ScalingAxis.REPS).orElseThrow();
        assertEquals(Verdict.GROWS, alongReps.verdict());
        assertEquals(2, alongReps.fit().slope(), 1e-9, "two syscalls per launch");

        Constraint scoreAlongBytes = Constraint.fit(ENQUEUE, points, Labels.SCORE, ScalingAxis.BYTES).orElseThrow();
        assertEquals(Verdict.GROWS, scoreAlongBytes.verdict());
    }

    @Test
    void fixedValueHasTheMostPoints() {
        List<BenchmarkPoint> cross = List.of(
                Fixtures.point(ENQUEUE, 4096, 10, Map.of(Labels.SCORE, new double[] {1})),
                Fixtures.point(ENQUEUE, 65536, 10, Map.of(Labels.SCORE, new double[] {1})),
                Fixtures.point(ENQUEUE, 1 << 20, 10, Map.of(Labels.SCORE, new double[] {1})),
                Fixtures.point(ENQUEUE, 65536, 1, Map.of(Labels.SCORE, new double[] {1})),
                Fixtures.point(ENQUEUE, 65536, 100, Map.of(Labels.SCORE, new double[] {1})));
        ReferencePoint reference = ReferencePoint.choose(cross);
        assertEquals(OptionalLong.of(10), reference.reps());
        assertEquals(OptionalLong.of(65536), reference.bytes());
        assertEquals(3, ScalingAxis.BYTES.sweep(cross, reference.fixedFor(ScalingAxis.BYTES)).size());
    }

    @Test
    void theCpuSeriesIsTheBaseline() {
        assertEquals(Optional.of(LOOP), Ratio.baselineFor(ENQUEUE, List.of(ENQUEUE, LOOP)));
        assertEquals(Optional.empty(), Ratio.baselineFor(LOOP, List.of(ENQUEUE, LOOP)), "a baseline has no ratio");
        // gpuos names families per backend (CpuCopy, OpenClExecution): the run's CPU series is the baseline
        Series cpuCopy = Fixtures.series("cpu", "CpuCopy", "nativeCopy");
        Series openCl = Fixtures.series("opencl", "OpenClExecution", "vectorAdd");
        assertEquals(Optional.of(cpuCopy), Ratio.baselineFor(openCl, List.of(openCl, cpuCopy)));
        Series empty = Fixtures.series("opencl", "Launch", "empty");
        Series sync = Fixtures.series("opencl", "Launch", "sync");
        assertEquals(Optional.of(empty), Ratio.baselineFor(sync, List.of(sync, empty)), "no baseline word: first by name");
    }

    @Test
    void aSeriesWithAParamSwitchedOffIsItsFamilysBaseline() {
        Series off = new Series("SyscallCost.getppid [counter=off]", "overhead", "SyscallCost", "getppid", "avgt", new java.util.TreeMap<>(Map.of("counter", "off")));
        Series bpf = new Series("SyscallCost.getppid [counter=bpf]", "overhead", "SyscallCost", "getppid", "avgt", new java.util.TreeMap<>(Map.of("counter", "bpf")));
        Series cpu = Fixtures.series("cpu", "CpuCopy", "javaLoop");
        assertEquals(Optional.of(off), Ratio.baselineFor(bpf, List.of(bpf, off, cpu)), "counter=off beats the run's CPU baseline");
        assertEquals(Optional.empty(), Ratio.baselineFor(off, List.of(bpf, off, cpu)));
    }

    @Test
    void ratioAtEqualPoints() {
        BenchmarkPoint gpu = Fixtures.point(ENQUEUE, 4096, 10, Map.of(Labels.SCORE, new double[] {20, 20, 20}));
        BenchmarkPoint cpu = Fixtures.point(LOOP, 4096, 10, Map.of(Labels.SCORE, new double[] {5, 5, 5}));
        List<Ratio> ratios = Ratio.all(Map.of(ENQUEUE, List.of(gpu), LOOP, List.of(cpu)), List.of(Labels.SCORE));
        assertEquals(1, ratios.size());
        assertEquals(new ConfidenceInterval(4, 4, 4), ratios.getFirst().ratio());
        assertEquals(LOOP, ratios.getFirst().baseline());
    }
}
