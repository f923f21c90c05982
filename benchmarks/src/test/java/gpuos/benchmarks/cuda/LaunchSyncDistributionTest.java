package gpuos.benchmarks.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gpuos.benchmarks.GpuAssumptions;
import gpuos.profiler.LinuxSyscallProfiler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.junit.jupiter.api.Tag;

/**
 * launchSync under the profiler in real forks, on a GPU: one sync.* invocation per cuCtxSynchronize, buckets that add
 * up in every iteration (the last one too: the benchmark closes its window before the teardown), and a blocking context blocking in a larger share of its synchronize calls than a spinning one.
 */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class LaunchSyncDistributionTest {
    private static final int REPS = 10;
    private static final int ITERATIONS = 3;

    @Test
    void everySynchronizeIsRecordedAndBlockingBlocksMoreThanSpin() throws Exception {
        GpuAssumptions.assumeCuda();
        assumeTrue(LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty(), () -> "eBPF syscall counter unavailable: " + LinuxSyscallProfiler.bpfUnsupportedReason().orElse(""));
        Map<String, Double> blockedShare = new HashMap<>();
        for (RunResult run : new Runner(new OptionsBuilder()
                .include("^gpuos\\.benchmarks\\.cuda\\.CudaExecution\\.launchSync$")
                .param("waitPolicy", "spin", "blocking").param("reps", String.valueOf(REPS))
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(ITERATIONS).measurementTime(TimeValue.milliseconds(300))
                .addProfiler(LinuxSyscallProfiler.class)
                .build()).run()) {
            String policy = run.getParams().getParam("waitPolicy");
            List<IterationResult> its = List.copyOf(run.getBenchmarkResults().iterator().next().getIterationResults());
            long invocations = 0, blocked = 0;
            // CudaExecution closes its last window before the trial teardown (SweepAxes), so every iteration is counted.
            assertEquals(ITERATIONS, its.size(), policy + ": iterations");
            for (IterationResult it : its) {
                Map<String, Result> s = it.getSecondaryResults();
                long n = (long) s.get("sync.invocations").getScore();
                assertEquals(it.getMetadata().getAllOps() * REPS, n, policy + ": one invocation per synchronize");
                long hist = 0;
                for (String b : List.of("0", "1", "2-3", "4-7", "8+")) hist += (long) s.get("sync.hist." + b).getScore();
                assertEquals(n, hist, policy + ": buckets add up");
                assertEquals(n - (long) s.get("sync.hist.0").getScore(), (long) s.get("sync.blocked").getScore(), policy);
                invocations += n;
                blocked += (long) s.get("sync.blocked").getScore();
            }
            blockedShare.put(policy, blocked / (double) invocations);
        }
        System.out.println("launchSync blocked share: " + blockedShare);
        assertTrue(blockedShare.get("blocking") > blockedShare.get("spin"), "blocked share " + blockedShare);
    }
}
