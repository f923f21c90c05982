package gpuos.profiler;

import gpuos.profiler.fixtures.GcPauseBenchmark;
import gpuos.profiler.fixtures.GetppidBenchmark;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** jvm.gc.pauses and jvm.jit.ms in real JMH forks: what the JVM did inside each counted window. */
class JvmActivityTest {
    @Test
    void aGcPausePerOperationIsCountedAndPutsSyscallsOnTheWorker() throws Exception {
        for (IterationResult it : counted(GcPauseBenchmark.class.getName())) {
            Map<String, Result> s = it.getSecondaryResults();
            long ops = it.getMetadata().getAllOps();
            double pauses = s.get("jvm.gc.pauses").getScore();
            assertTrue(pauses >= ops, pauses + " GC pauses in an iteration of " + ops + " System.gc() calls");
            // The JVM's syscalls on the benchmark's own thread: what the label is there to explain.
            assertTrue(s.get("syscalls.thread.worker.norm").getScore() > 0, "a full GC per op puts syscalls on the worker");
        }
    }

    @Test
    void aQuietBenchmarkHasTheLabelsToo() throws Exception {
        for (IterationResult it : counted(GetppidBenchmark.class.getName())) {
            Map<String, Result> s = it.getSecondaryResults();
            assertTrue(s.get("jvm.gc.pauses").getScore() >= 0);
            assertEquals("ms/iter", s.get("jvm.jit.ms").getScoreUnit());
        }
    }

    /** The counted iterations of one short fork (all but the last, which holds the trial teardown). */
    private static List<IterationResult> counted(String benchmark) throws Exception {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        var run = new Runner(new OptionsBuilder().include(benchmark.replace("$", "\\$") + ".*")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(3).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .addProfiler(LinuxSyscallProfiler.class).build()).run().iterator().next();
        List<IterationResult> all = List.copyOf(run.getBenchmarkResults().iterator().next().getIterationResults());
        assertTrue(all.get(2).getSecondaryResults().keySet().stream().noneMatch(l -> l.startsWith("jvm.")), "not in the left-out last iteration");
        return all.subList(0, 2);
    }
}
