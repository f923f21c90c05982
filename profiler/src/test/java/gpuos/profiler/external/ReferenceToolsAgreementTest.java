package gpuos.profiler.external;

import gpuos.natives.NativeLibrary;
import gpuos.profiler.LinuxSyscallProfiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The counter against the reference tools on a deterministic native program (natives/tools/syscall_fixture.c:
 * 3 threads, 1000 calls each, a forked child). Every syscall count must be equal, except these, each explained:
 * <ul>
 * <li>perf stat enables its counters on exec, after execve has entered: we count execve once more;</li>
 * <li>strace -c counts at syscall exit, which exit and exit_group never reach: we count 3 exit (threads)
 *     and 2 exit_group (the process and its child) more;</li>
 * <li>futex: pthread_join sleeps only if the thread has not ended yet, so 0..3 futex waits depend on timing
 *     in every tool; it is checked to lie within that range instead.</li>
 * </ul>
 * Seen elsewhere, not in this fixture (it never blocks in read): strace counts one more read when a blocked read
 * is interrupted by a signal and restarted (ERESTARTSYS).
 */
class ReferenceToolsAgreementTest {
    private static final int THREADS = 3, CALLS = 1000;
    private static final Map<String, String> PERF_ALIASES = Map.of("newfstat", "fstat", "newstat", "stat", "newlstat", "lstat", "newuname", "uname", "sendfile64", "sendfile");
    private static Path fixture;

    @BeforeAll
    static void needsCounterAndTools() {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        assumeTrue(Files.isRegularFile(Path.of("/sys/kernel/tracing/events/sched/sched_process_fork/id")), "tracefs not mounted: mount -t tracefs nodev /sys/kernel/tracing");
        fixture = NativeLibrary.file("syscall-fixture");
    }

    @Test
    void countsEqualPerfStatExceptExecve() throws Exception {
        assumeTrue(works("perf", "stat", "-e", "syscalls:sys_enter_getppid", "true"), "perf stat with syscall tracepoints unavailable: apt-get install linux-perf");
        Map<String, Long> ours = ours();
        Map<String, Long> perf = perfStat();
        Map<String, Long> expected = new TreeMap<>(perf);
        expected.merge("execve", 1L, Long::sum);
        assertAgree(expected, ours, "perf stat");
    }

    @Test
    void countsEqualStraceExceptExits() throws Exception {
        assumeTrue(works("strace", "-V"), "strace unavailable: apt-get install strace");
        Map<String, Long> ours = ours();
        Map<String, Long> strace = straceCounts();
        Map<String, Long> expected = new TreeMap<>(strace);
        expected.merge("exit", (long) THREADS, Long::sum);
        expected.merge("exit_group", 2L, Long::sum);
        assertAgree(expected, ours, "strace -f -c");
    }

    @Test
    void phasesSplitTheWorkAsMarked() throws Exception {
        PhaseTrace.Outcome outcome = new PhaseTrace(List.of(fixture.toString(), Integer.toString(THREADS), Integer.toString(CALLS))).run();
        List<String> names = outcome.phases().stream().map(PhaseOccurrence::name).toList();
        assertEquals(List.of("start", "threads", "child"), names);
        assertEquals(CALLS, outcome.phases().get(0).tally().count("getppid"));
        assertEquals((long) THREADS * CALLS, outcome.phases().get(1).tally().count("getppid"));
        assertEquals((long) THREADS * CALLS, outcome.phases().get(1).tally().count("write"), "the marker writes are not counted");
        assertEquals(CALLS, outcome.phases().get(2).tally().count("getppid"), "the forked child is followed");
    }

    private static void assertAgree(Map<String, Long> expected, Map<String, Long> ours, String tool) {
        long futex = ours.getOrDefault("futex", 0L);
        assertTrue(futex <= THREADS + 1, "futex " + futex);
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(ours.keySet());
        names.remove("futex");
        Map<String, String> diffs = new TreeMap<>();
        for (String n : names) {
            long e = expected.getOrDefault(n, 0L), o = ours.getOrDefault(n, 0L);
            if (e != o) diffs.put(n, "ours " + o + " vs expected " + e);
        }
        assertTrue(diffs.isEmpty(), "differences from " + tool + ": " + diffs);
        assertEquals(CALLS * (2L + THREADS), ours.get("getppid"));
    }

    private static Map<String, Long> ours() throws Exception {
        PhaseTrace.Outcome outcome = new PhaseTrace(List.of(fixture.toString(), Integer.toString(THREADS), Integer.toString(CALLS))).run();
        assertEquals(0, outcome.exitCode());
        Map<String, Long> counts = new TreeMap<>();
        for (PhaseOccurrence p : outcome.phases()) {
            p.tally().labels(1, false).forEach((label, v) -> {
                String[] parts = label.split("\\.");
                if (parts.length == 3 && !parts[1].equals("total") && v > 0) counts.merge(parts[1], v.longValue(), Long::sum);
            });
        }
        return counts;
    }

    private static Map<String, Long> perfStat() throws Exception {
        Path out = Files.createTempFile("perf", ".csv");
        run(List.of("perf", "stat", "-x,", "-o", out.toString(), "-e", "syscalls:sys_enter_*", fixture.toString(), Integer.toString(THREADS), Integer.toString(CALLS)));
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split(",");
            if (f.length < 3 || !f[2].startsWith("syscalls:sys_enter_") || !f[0].matches("\\d+")) continue;
            long n = Long.parseLong(f[0]);
            String name = f[2].substring("syscalls:sys_enter_".length());
            if (n > 0) counts.put(PERF_ALIASES.getOrDefault(name, name), n);
        }
        counts.remove("futex");
        return counts;
    }

    private static Map<String, Long> straceCounts() throws Exception {
        Path out = Files.createTempFile("strace", ".txt");
        run(List.of("strace", "-f", "-c", "-o", out.toString(), fixture.toString(), Integer.toString(THREADS), Integer.toString(CALLS)));
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].matches("[0-9.]+") || f[f.length - 1].equals("total")) continue;
            counts.put(f[f.length - 1], Long.parseLong(f[3]));
        }
        counts.remove("futex");
        return counts;
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), "failed: " + command);
    }
}
