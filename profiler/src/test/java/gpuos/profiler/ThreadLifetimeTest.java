package gpuos.profiler;

import gpuos.profiler.fixtures.ThreadLifetimeBenchmark;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Threads that the benchmark's code starts, living one op, one iteration or the whole trial: on both backends their
 * calls are counted, and counted as workload (class runtime), whatever their lifetime.
 */
class ThreadLifetimeTest {
    private static final double POLLS = ThreadLifetimeBenchmark.POLLS;

    @ParameterizedTest
    @ValueSource(strings = {"bpf", "perf"})
    void aHelperThreadIsWorkloadWhetherItLivesOneIterationOrTheTrial(String backend) throws Exception {
        for (RunResult run : run(backend, "helper", "iteration", "trial")) {
            String life = run.getParams().getParam("helperLife");
            for (Map<String, Result> s : CpuLabelsTest.counted(run.getBenchmarkResults().iterator().next())) {
                String at = backend + ", helper living one " + life + ": ";
                assertEquals(POLLS, score(s, "syscalls.poll.norm"), 0.01, at + "polls per op");
                assertTrue(score(s, "syscalls.thread.runtime.norm") >= POLLS, at + "runtime " + score(s, "syscalls.thread.runtime.norm"));
                assertTrue(score(s, "syscalls.thread.jvm.norm") < 0.5, at + "jvm " + score(s, "syscalls.thread.jvm.norm"));
                assertTrue(score(s, "syscalls.harness") > 0, at + "the harness's own calls are counted");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bpf", "perf"})
    void aThreadPerOperationIsCountedAsWorkload(String backend) throws Exception {
        BenchmarkResult br = run(backend, "threadPerOp", "iteration").iterator().next().getBenchmarkResults().iterator().next();
        for (Map<String, Result> s : CpuLabelsTest.counted(br)) {
            assertEquals(POLLS, score(s, "syscalls.poll.norm"), 0.01, backend + ": polls per op");
            // Starting and joining a thread is ~30 syscalls (clone3, mmap, mprotect, rseq, futex, madvise, munmap, exit ...),
            // most of them the new thread's own.
            // (JVM threads' calls follow wall time, and an op takes milliseconds here: they are not checked.)
            double runtime = score(s, "syscalls.thread.runtime.norm"), workload = runtime + score(s, "syscalls.thread.worker.norm");
            assertTrue(runtime >= 15, backend + ": runtime per op " + runtime);
            assertTrue(workload >= 25, backend + ": workload per op " + workload);
        }
    }

    private static double score(Map<String, Result> s, String label) {
        return Optional.ofNullable(s.get(label)).map(Result::getScore).orElse(0.0);
    }

    private static java.util.Collection<RunResult> run(String backend, String method, String... helperLife) throws Exception {
        assumeTrue(backend.equals("bpf") ? LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty() : LinuxSyscallProfiler.perfUnsupportedReason().isEmpty(),
                () -> backend + " backend unavailable");
        return new Runner(new OptionsBuilder()
                .include(ThreadLifetimeBenchmark.class.getName() + "." + method + "$").param("helperLife", helperLife)
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(3).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .addProfiler(LinuxSyscallProfiler.class, "backend=" + backend)
                .build()).run();
    }
}
