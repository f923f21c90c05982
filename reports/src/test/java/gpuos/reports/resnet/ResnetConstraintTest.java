package gpuos.reports.resnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.reports.analysis.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Phase-1 rule on ResNet sweep points: the run is the replicate, batch on log2, inferences per run linear. */
class ResnetConstraintTest {

    private static InferenceRun run(int batch, int iters, String wait, double latencyMs, double cpuMs, double syscalls) {
        InferenceRun.Point point = new InferenceRun.Point("graph", batch, "fp16", wait, "caching", iters);
        return new InferenceRun(Path.of("run.json"), point, latencyMs, latencyMs, latencyMs, new double[] {latencyMs * 1e3}, 0, 1,
                cpuMs, 0, 0, syscalls, Map.of(), 0);
    }

    private static ResnetConstraint row(List<ResnetConstraint> rows, ResnetConstraint.Axis axis, Metric metric) {
        return rows.stream().filter(r -> r.axis() == axis && r.metric() == metric).findFirst().orElseThrow();
    }

    @Test
    void syscallsFlatAlongBatchAreInvariantAndLatencyDoublingGrows() {
        List<InferenceRun> runs = new ArrayList<>();
        double[] noise = {-0.001, 0, 0.001};
        for (int batch : new int[] {1, 2, 4, 8, 16}) {
            for (double e : noise) runs.add(run(batch, 300, "blocking", batch * (1 + e), 0.1 + e, 6.0 + e));
        }
        // Two batch sizes only: no row for that series.
        for (int batch : new int[] {1, 32}) for (double e : noise) runs.add(run(batch, 300, "default", 1 + e, 1 + e, 0.01));
        List<ResnetConstraint> rows = ResnetConstraint.of(ResnetAnalysis.sweepPoints(runs));
        assertEquals(3, rows.size(), "one series along batch, three metrics: " + rows);
        ResnetConstraint syscalls = row(rows, ResnetConstraint.Axis.BATCH, Metric.SYSCALLS);
        assertEquals(Verdict.INVARIANT, syscalls.verdict(), syscalls.reason());
        assertEquals(Verdict.INVARIANT, syscalls.adjusted());
        assertEquals(5, syscalls.points());
        assertEquals(3, syscalls.minRuns());
        // Latency doubles with the batch: not a line in log2(batch), but every step rises clearly.
        ResnetConstraint latency = row(rows, ResnetConstraint.Axis.BATCH, Metric.LATENCY);
        assertEquals(Verdict.GROWS, latency.verdict(), latency.reason());
        assertTrue(latency.holmP() < 0.05);
        assertEquals("grows with batch size", latency.verdictWords(latency.verdict()));
    }

    @Test
    void oneRunPerPointIsTooFewRuns() {
        List<InferenceRun> runs = new ArrayList<>();
        for (int iters : new int[] {100, 1000, 3000}) runs.add(run(1, iters, "blocking", 1.2, 0.1, 6.0));
        ResnetConstraint syscalls = row(ResnetConstraint.of(ResnetAnalysis.sweepPoints(runs)), ResnetConstraint.Axis.ITERS, Metric.SYSCALLS);
        assertEquals(Verdict.INCONCLUSIVE, syscalls.verdict());
        assertTrue(syscalls.reason().startsWith("too few runs"), syscalls.reason());
        assertEquals("graph bs1 fp16 blocking", syscalls.series());
    }
}
