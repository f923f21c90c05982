package gpuos.profiler;

import gpuos.profiler.fixtures.CpuBenchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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

/** cpu.process.norm and cpu.worker.norm in real JMH forks whose ops burn, hand off or sleep a known time. */
class CpuLabelsTest {
    /** CPU ns per op of each spin (CpuBenchmark's param, in µs there); long enough that JMH's own per-op and per-iteration work on the worker stays ~1%. */
    static final double BURN_NS = 1_000_000;
    /**
     * Upper bound of the worker's CPU per op, in spins. Quiet, it reads 1.00-1.05; on the 2-core build machine under
     * three other builds it read 1.22-1.52 (issue 14; the worker's CPU outside the spin, which grows when the harness
     * thread is preempted, is not yet explained). What the tests tell apart stays apart: the helper's spin on the
     * worker would read 2 or more.
     */
    static final double WORKER_SLACK = 1.8;
    private static final Map<String, BenchmarkResult> byMethod = new HashMap<>();

    @BeforeAll
    static void runCpuBenchmarks() throws Exception {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        for (RunResult r : run(CpuBenchmark.class.getName(), null)) {
            String b = r.getParams().getBenchmark();
            byMethod.put(b.substring(b.lastIndexOf('.') + 1), r.getBenchmarkResults().iterator().next());
        }
    }

    static Collection<RunResult> run(String include, String profilerOptions) throws Exception {
        OptionsBuilder o = new OptionsBuilder();
        o.include(include).param("micros", Long.toString((long) BURN_NS / 1000))
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(3).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED");
        if (profilerOptions == null) o.addProfiler(LinuxSyscallProfiler.class);
        else o.addProfiler(LinuxSyscallProfiler.class, profilerOptions);
        return new Runner(o.build()).run();
    }

    /** The counted iterations' secondary results (those with syscalls.total.norm), after checking the rest carry no cpu label. */
    static List<Map<String, Result>> counted(BenchmarkResult br) {
        List<Map<String, Result>> out = new ArrayList<>();
        for (IterationResult it : br.getIterationResults()) {
            Map<String, Result> s = it.getSecondaryResults();
            boolean syscalls = s.containsKey("syscalls.total.norm");
            assertEquals(syscalls, s.containsKey("cpu.process.norm"), "cpu.process.norm exactly where syscalls.total.norm is");
            assertEquals(syscalls, s.containsKey("cpu.worker.norm"), "cpu.worker.norm exactly where syscalls.total.norm is");
            if (syscalls) out.add(s);
        }
        return out;
    }

    static double worker(Map<String, Result> s) { return s.get("cpu.worker.norm").getScore(); }

    static double process(Map<String, Result> s) { return s.get("cpu.process.norm").getScore(); }

    @Test
    void labelsComeInTheCountedIterationsOnlyInNanosecondsPerOp() {
        for (BenchmarkResult br : byMethod.values()) {
            List<Map<String, Result>> counted = counted(br);
            assertEquals(2, counted.size(), "3 measurement iterations, the last (trial teardown) left out");
            for (Map<String, Result> s : counted) {
                assertEquals("ns/op", s.get("cpu.process.norm").getScoreUnit());
                assertEquals("ns/op", s.get("cpu.worker.norm").getScoreUnit());
            }
        }
    }

    @Test
    void aWorkerSpinningForAMillisecondOfCpuPerOpShowsThat() {
        for (Map<String, Result> s : counted(byMethod.get("burn"))) {
            assertTrue(worker(s) > 0.9 * BURN_NS && worker(s) < WORKER_SLACK * BURN_NS, "cpu.worker.norm " + worker(s) + " for " + BURN_NS + " ns of spinning");
            assertTrue(process(s) >= worker(s), "process " + process(s) + " >= worker " + worker(s));
        }
    }

    @Test
    void aHelperThreadsTimeIsTheProcessesNotTheWorkers() {
        for (Map<String, Result> s : counted(byMethod.get("burnThenOffload"))) {
            // The worker's spin, plus its park and unpark.
            assertTrue(worker(s) > 0.9 * BURN_NS && worker(s) < WORKER_SLACK * BURN_NS, "cpu.worker.norm " + worker(s) + ": the worker's spin only");
            assertTrue(process(s) >= worker(s) + 0.9 * BURN_NS, "cpu.process.norm " + process(s) + " holds the helper's spin too (worker " + worker(s) + ")");
        }
    }

    @Test
    void aSleepingWorkerUsesFarLessCpuThanItsWallTime() {
        BenchmarkResult br = byMethod.get("sleep");
        double wallNs = br.getPrimaryResult().getScore() * 1000;
        assertTrue(wallNs >= 1_000_000, "Thread.sleep(1) takes at least 1 ms per op: " + wallNs);
        for (Map<String, Result> s : counted(br)) {
            // A sleep costs the worker tens of µs of CPU (the futex wait and its wake-up), not the millisecond. On the
            // loaded 2-core build machine it read 143 µs against 1.38 ms once in 30 runs (issue 14; the same unexplained
            // excess as WORKER_SLACK's), so the bound is a quarter of the wall time: a spinning sleep would read ~1.
            assertTrue(worker(s) > 0 && worker(s) < 0.25 * wallNs, "cpu.worker.norm " + worker(s) + " against " + wallNs + " ns of wall time per op");
            assertTrue(process(s) >= worker(s), "process " + process(s) + " >= worker " + worker(s));
        }
    }
}
