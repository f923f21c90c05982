package gpuos.profiler;

import gpuos.profiler.fixtures.GetppidTeardownBenchmark;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real JMH fork of a benchmark that closes its last window before the trial teardown
 * ({@link LinuxSyscallProfiler#closeLastWindow()}): every iteration is counted, the last one too, and JMH's own
 * summary (the aggregated result, its table's line) is the exact per-op count. A benchmark that does not call it
 * keeps the last iteration out: {@code LinuxSyscallProfilerTest}. Needs root (or CAP_BPF+CAP_PERFMON).
 */
class LastWindowTest {
    private static RunResult run;

    @BeforeAll
    static void runGetppidTeardownBenchmark() throws Exception {
        assumeTrue(LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty(), () -> "eBPF counting unavailable: " + LinuxSyscallProfiler.bpfUnsupportedReason().orElse(""));
        run = new Runner(new OptionsBuilder()
                .include(GetppidTeardownBenchmark.class.getName())
                .param("calls", "7")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(3).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .addProfiler(LinuxSyscallProfiler.class)
                .build()).run().iterator().next();
    }

    @Test
    void everyIterationTheLastIncludedShowsExactlyTheGetppidCallsPerOperation() {
        List<IterationResult> iterations = List.copyOf(run.getBenchmarkResults().iterator().next().getIterationResults());
        assertEquals(3, iterations.size());
        for (int i = 0; i < iterations.size(); i++) {
            assertEquals(7.0, iterations.get(i).getSecondaryResults().get("syscalls.getppid.norm").getScore(), 0.0,
                    "getppid per op in iteration " + (i + 1) + " (the teardown's " + GetppidTeardownBenchmark.TEARDOWN_CALLS + " stay out)");
        }
    }

    @Test
    void jmhsSummaryLineIsTheExactCount() {
        assertEquals(7.0, run.getAggregatedResult().getSecondaryResults().get("syscalls.getppid.norm").getScore(), 0.0,
                "JMH's summary averages all 3 iterations");
        assertEquals(3, run.getAggregatedResult().getSecondaryResults().get("syscalls.getppid.norm").getSampleCount());
    }
}
