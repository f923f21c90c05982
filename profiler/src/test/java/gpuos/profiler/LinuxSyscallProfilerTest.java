package gpuos.profiler;

import gpuos.profiler.fixtures.GetppidBenchmark;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs a real JMH fork under the profiler. Needs root (or CAP_BPF+CAP_PERFMON). */
class LinuxSyscallProfilerTest {
    private static RunResult run;

    @BeforeAll
    static void runGetppidBenchmark() throws Exception {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(GetppidBenchmark.class.getName())
                .param("calls", "7")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(3).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .addProfiler(LinuxSyscallProfiler.class)
                .build()).run();
        run = results.iterator().next();
    }

    @Test
    void everyIterationReportsExactlyTheGetppidCallsPerOperation() {
        List<IterationResult> iterations = iterations();
        assertEquals(3, iterations.size());
        assertTrue(iterations.get(2).getSecondaryResults().keySet().stream().noneMatch(l -> l.startsWith("syscalls.")),
                "the last iteration holds JMH's trial teardown and carries no syscall label");
        for (IterationResult it : iterations.subList(0, 2)) {
            Map<String, Result> s = it.getSecondaryResults();
            assertEquals(7.0, s.get("syscalls.getppid.norm").getScore(), 0.0, "getppid per op");
        }
    }

    @Test
    void getppidIsCountedOnTheWorkerAndTheRestIsSmall() {
        for (IterationResult it : iterations().subList(0, 2)) {
            Map<String, Result> s = it.getSecondaryResults();
            double worker = s.get("syscalls.thread.worker.norm").getScore();
            double total = s.get("syscalls.total.norm").getScore();
            assertTrue(worker >= 7.0 && worker < 7.01, "worker syscalls per op " + worker);
            assertTrue(total >= worker && total < 7.05, "total per op " + total);
            assertTrue(s.get("syscalls.harness").getScore() > 0, "the harness thread is seen and set apart");
        }
    }

    @Test
    void cpuLabelsComeWithTheSyscallLabelsAndTheClockReadsLeaveTheCountsAlone() {
        List<IterationResult> iterations = iterations();
        assertTrue(iterations.get(2).getSecondaryResults().keySet().stream().noneMatch(l -> l.startsWith("cpu.")), "not in the left-out last iteration");
        for (IterationResult it : iterations.subList(0, 2)) {
            Map<String, Result> s = it.getSecondaryResults();
            double worker = s.get("cpu.worker.norm").getScore(), process = s.get("cpu.process.norm").getScore();
            assertTrue(worker > 0 && process >= worker, "cpu.worker.norm " + worker + ", cpu.process.norm " + process);
            // The harness read at least four clocks in this window (process and worker, at each edge): each one
            // would be a whole clock_gettime here were they counted. JVM threads make a rare one of their own.
            double clockGettime = s.containsKey("syscalls.clock_gettime.norm") ? s.get("syscalls.clock_gettime.norm").getScore() * it.getMetadata().getAllOps() : 0;
            assertTrue(clockGettime < 4, clockGettime + " clock_gettime counted in the window");
        }
    }

    @Test
    void allRoleAndThreadLabelsArePresent() {
        Map<String, Result> s = iterations().get(0).getSecondaryResults();
        for (String role : List.of("dispatch", "sync", "memory", "io", "threads", "other")) assertTrue(s.containsKey("syscalls.role." + role + ".norm"), role);
        for (String cls : List.of("worker", "runtime", "jvm")) assertTrue(s.containsKey("syscalls.thread." + cls + ".norm"), cls);
        assertEquals(s.get("syscalls.total.norm").getScore(),
                List.of("dispatch", "sync", "memory", "io", "threads", "other").stream().mapToDouble(r -> s.get("syscalls.role." + r + ".norm").getScore()).sum(), 1e-9, "roles add up to the total");
    }

    private static List<IterationResult> iterations() {
        BenchmarkResult br = run.getBenchmarkResults().iterator().next();
        return List.copyOf(br.getIterationResults());
    }
}
