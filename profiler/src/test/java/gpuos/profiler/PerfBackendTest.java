package gpuos.profiler;

import gpuos.profiler.fixtures.CpuBenchmark;
import gpuos.profiler.fixtures.GetppidBenchmark;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The perf fallback in a real fork, and the profiler's option errors. */
class PerfBackendTest {
    @Test
    void perfBackendCountsTheSameWorkerSyscallsUnlisted() throws Exception {
        assumeTrue(LinuxSyscallProfiler.perfUnsupportedReason().isEmpty(), () -> "perf backend unavailable: " + LinuxSyscallProfiler.perfUnsupportedReason().orElse(""));
        RunResult run = new Runner(new OptionsBuilder()
                .include(GetppidBenchmark.class.getName()).param("calls", "5")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(2).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .addProfiler(LinuxSyscallProfiler.class, "backend=perf")
                .build()).run().iterator().next();
        for (IterationResult it : run.getBenchmarkResults().iterator().next().getIterationResults()) {
            Map<String, Result> s = it.getSecondaryResults();
            if (!s.containsKey("syscalls.total.norm")) continue; // the last iteration: JMH's trial teardown
            double worker = s.get("syscalls.thread.worker.norm").getScore();
            assertTrue(worker >= 5.0 && worker < 5.01, "worker syscalls per op " + worker);
            // getppid is not among the perf backend's named syscalls: it lands in "unlisted".
            assertTrue(s.get("syscalls.unlisted.norm").getScore() >= 5.0, "unlisted per op");
            assertEquals(s.get("syscalls.total.norm").getScore(), s.values().stream()
                    .filter(r -> r.getLabel().startsWith("syscalls.role.")).mapToDouble(Result::getScore).sum(), 1e-9);
            double cpuWorker = s.get("cpu.worker.norm").getScore();
            assertTrue(cpuWorker > 0 && s.get("cpu.process.norm").getScore() >= cpuWorker, "cpu labels: worker " + cpuWorker);
        }
    }

    @Test
    void perfBackendReportsTheWorkersAndTheProcessesCpuTime() throws Exception {
        assumeTrue(LinuxSyscallProfiler.perfUnsupportedReason().isEmpty(), () -> "perf backend unavailable: " + LinuxSyscallProfiler.perfUnsupportedReason().orElse(""));
        // The CPU clocks do not depend on the backend; this checks the perf path carries them with the same rules.
        BenchmarkResult br = CpuLabelsTest.run(CpuBenchmark.class.getName() + ".burnThenOffload", "backend=perf").iterator().next().getBenchmarkResults().iterator().next();
        List<Map<String, Result>> counted = CpuLabelsTest.counted(br);
        assertEquals(2, counted.size());
        for (Map<String, Result> s : counted) {
            double worker = CpuLabelsTest.worker(s), process = CpuLabelsTest.process(s);
            assertTrue(worker > 0.9 * CpuLabelsTest.BURN_NS && worker < CpuLabelsTest.WORKER_SLACK * CpuLabelsTest.BURN_NS, "cpu.worker.norm " + worker);
            assertTrue(process >= worker + 0.9 * CpuLabelsTest.BURN_NS, "cpu.process.norm " + process + " holds the helper's spin (worker " + worker + ")");
        }
    }

    @Test
    void discoveryNeverFailsEvenWhereCountingCannotRun() {
        // JMH's -lprof (and every JMH run) instantiates discovered profilers with the no-arg constructor.
        assertEquals(1, java.util.ServiceLoader.load(org.openjdk.jmh.profile.Profiler.class).stream()
                .filter(p -> p.type() == LinuxSyscallProfiler.class).map(java.util.ServiceLoader.Provider::get).count());
    }

    @Test
    void anUnknownOptionIsRefusedWithTheAcceptedOnes() {
        ProfilerException e = assertThrows(ProfilerException.class, () -> new LinuxSyscallProfiler("backend=ebpf"));
        assertEquals("unknown option 'backend=ebpf': LinuxSyscallProfiler takes backend=auto|bpf|perf", e.getMessage());
    }
}
