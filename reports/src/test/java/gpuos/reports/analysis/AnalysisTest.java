package gpuos.reports.analysis;

import gpuos.reports.Fixtures;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.LineOfMeans;
import gpuos.reports.stats.TEstimate;

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

    /** A line of means over {@code points} points (df = points - 2 = 5 at 7) whose 95% CI of the slope is [low, high]. */
    private static LineOfMeans slope(double low, double high, int points, double lackOfFitP) {
        double se = (high - low) / 2 / new TEstimate(0, 1, Math.max(1, points - 2)).criticalValue(0.95);
        return new LineOfMeans(new TEstimate((low + high) / 2, se, points - 2), 0, points, lackOfFitP, false);
    }

    private static Verdict verdict(double low, double high, double margin) {
        return Constraint.judge(slope(low, high, 7, 0.5), 3, margin, List.of(), 8).verdict();
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
        assertEquals(Verdict.INVARIANT, verdict(-0.01, 0.01, margin));
        assertEquals(Verdict.INVARIANT, verdict(0.001, 0.002, margin), "significant but too small to matter");
        assertEquals(Verdict.GROWS, verdict(0.5, 1.5, margin));
        assertEquals(Verdict.SHRINKS, verdict(-1.5, -0.5, margin));
        assertEquals(Verdict.INCONCLUSIVE, verdict(-1, 1, margin), "CI contains 0 but is wide");
        Constraint.Judged small = Constraint.judge(slope(0.01, 0.07, 7, 0.5), 3, margin, List.of(), 8);
        assertEquals(Verdict.INCONCLUSIVE, small.verdict(), "grows needs the slope (0.04) beyond the margin, as invariant uses it");
        assertEquals("the slope excludes 0 but is within the margin", small.reason());
        assertEquals(Verdict.INCONCLUSIVE, Constraint.judge(slope(-0.01, 0.01, 2, 0.5), 3, margin, List.of(), 8).verdict(),
                "two points always lie on a line");
        Constraint.Judged oneFork = Constraint.judge(slope(0.5, 1.5, 7, Double.NaN), 1, margin, List.of(), 8);
        assertEquals(Verdict.INCONCLUSIVE, oneFork.verdict());
        assertTrue(oneFork.reason().startsWith("too few forks"), oneFork.reason());
        Constraint.Judged bent = Constraint.judge(slope(0.5, 1.5, 7, 0.001), 3, margin, List.of(), 8);
        assertEquals(Verdict.INCONCLUSIVE, bent.verdict(), "a clear slope of a line that does not fit is no verdict");
        assertTrue(bent.reason().startsWith("not a straight line (lack-of-fit p = 0.001)"), bent.reason());
        LineOfMeans identical = new LineOfMeans(new TEstimate(0, 0, 5), 0, 7, 1, false);
        assertTrue(Constraint.judge(identical, 3, margin, List.of(), 8).reason().startsWith("identical forks"),
                "a zero-width CI is no certainty");
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
        // x = 12, 16, 20; the point means lie on the line, so the ordinary error is 0 and the fork noise decides:
        // Sxx = 16 + 0 + 16 = 32, w = -1/8, 0, 1/8; each point's forks -1e-5, 0, 1e-5 around its mean: s^2 = 1e-10,
        // s^2 / 3 = 3.3333e-11; var = 2 * (1/64) * 3.3333e-11 = 1.04167e-12, SE = 1.02062e-6; t(0.975, 1 df) = 12.706205:
        // slope 0.000001 ± 0.0000129683
        assertEquals(0.000001, workload.slope().estimate(), 1e-12);
        assertEquals(0.000001 - 0.0000129683, workload.slope().low(), 1e-10);
        assertEquals(0.000001 + 0.0000129683, workload.slope().high(), 1e-10);
        assertEquals(1, workload.fit().lackOfFitP(), 1e-12, "the means lie on the line");
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
        assertEquals(0, alongBytes.slope().estimate(), 1e-9);
        assertEquals(3, alongBytes.points());
        assertEquals(3, alongBytes.minForks());
        assertEquals(1, alongBytes.fit().slope().degreesOfFreedom(), "3 point means - 2, not 9 forks - 2");
        assertEquals(Map.of(ScalingAxis.REPS, OptionalLong.of(100)), alongBytes.held(), "ties go to the largest value");

        Constraint alongReps = Constraint.fit(ENQUEUE, points, Labels.SYSCALLS_TOTAL, ScalingAxis.REPS).orElseThrow();
        assertEquals(Verdict.GROWS, alongReps.verdict());
        assertEquals(2, alongReps.slope().estimate(), 1e-9, "two syscalls per launch");

        // The score is proportional to bytes: against log2 bytes that is no line, but a power law with exponent 1,
        // and every step rises clearly, so it grows (not as a line).
        Constraint scoreAlongBytes = Constraint.fit(ENQUEUE, points, Labels.SCORE, ScalingAxis.BYTES).orElseThrow();
        assertTrue(scoreAlongBytes.fit().notALine(), "lack-of-fit p " + scoreAlongBytes.fit().lackOfFitP());
        assertEquals(1, scoreAlongBytes.powerLaw().orElseThrow().estimate(), 1e-9);
        assertEquals(2, scoreAlongBytes.steps().size());
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
