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

class AnalysisTest {
    private static final Series ENQUEUE = Fixtures.series("opencl", "VectorAdd", "enqueue");
    private static final Series LOOP = Fixtures.series("cpu", "VectorAdd", "loop");

    private static LinearFit slope(double low, double high) {
        return new LinearFit((low + high) / 2, new ConfidenceInterval((low + high) / 2, low, high), 0, 9);
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
        assertEquals(0, alongBytes.fit().slope(), 1e-9);
        assertEquals(9, alongBytes.fit().n(), "3 points x 3 forks");
        assertEquals(OptionalLong.of(100), alongBytes.fixedOther(), "ties go to the largest value");

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
        assertEquals(3, ScalingAxis.BYTES.sweep(cross, reference.reps()).size());
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
    void ratioAtEqualPoints() {
        BenchmarkPoint gpu = Fixtures.point(ENQUEUE, 4096, 10, Map.of(Labels.SCORE, new double[] {20, 20, 20}));
        BenchmarkPoint cpu = Fixtures.point(LOOP, 4096, 10, Map.of(Labels.SCORE, new double[] {5, 5, 5}));
        List<Ratio> ratios = Ratio.all(Map.of(ENQUEUE, List.of(gpu), LOOP, List.of(cpu)), List.of(Labels.SCORE));
        assertEquals(1, ratios.size());
        assertEquals(new ConfidenceInterval(4, 4, 4), ratios.getFirst().ratio());
        assertEquals(LOOP, ratios.getFirst().baseline());
    }
}
