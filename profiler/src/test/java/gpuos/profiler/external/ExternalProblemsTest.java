package gpuos.profiler.external;

import gpuos.profiler.LinuxSyscallProfiler;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Markers with operation counts, CPU time per phase, and bad input (no markers, bad counts, a program that dies
 * mid-phase): one line each, exit 1, and what was counted is still written. Real child programs (python3 -c).
 */
class ExternalProblemsTest {
    /** Python's os.write is one write(2): one marker. */
    private static final String MARK = "import os, sys, time\nfd = int(os.environ['GPUOS_MARK_FD'])\ndef mark(s): os.write(fd, (s + '\\n').encode())\n";

    @BeforeAll
    static void needsCounter() {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        assumeTrue(Files.isRegularFile(Path.of("/sys/kernel/tracing/events/sched/sched_process_fork/id")), "tracefs not mounted: mount -t tracefs nodev /sys/kernel/tracing");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 for its child programs");
    }

    private static PhaseTrace.Outcome trace(String python) throws Exception {
        return new PhaseTrace(List.of("/usr/bin/python3", "-c", MARK + python)).run();
    }

    private static PhaseOccurrence phase(PhaseTrace.Outcome outcome, String name) {
        return outcome.phases().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " missing: " + outcome.phases()));
    }

    @Test
    void aCountMakesResultsPerOperationAndCpuTimeIsPerPhase() throws Exception {
        PhaseTrace.Outcome outcome = trace("""
                mark('spin 4')
                end = time.process_time() + 0.3
                while time.process_time() < end: pass
                for i in range(8): os.getppid()
                mark('sleep')
                time.sleep(0.3)
                """);
        assertEquals(List.of(), outcome.problems());
        PhaseOccurrence spin = phase(outcome, "spin"), sleep = phase(outcome, "sleep");
        assertEquals(4, spin.ops());
        assertEquals(8, spin.tally().count("getppid"));
        assertTrue(spin.cpuNanos() >= 280_000_000L && spin.cpuNanos() <= spin.nanos() + 20_000_000L, "spin: 0.3 s of CPU, read at the markers: " + spin);
        assertTrue(sleep.nanos() >= 300_000_000L, "sleep wall: " + sleep);
        assertTrue(sleep.cpuNanos() >= 0 && sleep.cpuNanos() < 100_000_000L, "sleep: little CPU, up to the program's exit: " + sleep);
        String json = ExternalResults.toJson("t", List.of("python3"), List.of(outcome.phases()), List.of(0L));
        assertTrue(json.contains("\"syscalls.getppid.norm\": {\n        \"score\": 2.0"), "8 getppid over 4 operations: " + json);
        String table = TraceMain.summary(List.of(outcome.phases()), List.of(0L));
        assertTrue(table.lines().anyMatch(l -> l.matches("spin +1 +4 .*getppid 2.*")), table);
    }

    @Test
    void badCountsAreSaidOnceEachAndThePhaseIsStillCounted(@TempDir Path dir) throws Exception {
        String program = """
                for m in ['infer x', 'infer -1', 'infer 0', 'infer x']:
                    mark(m); os.getppid()
                """;
        PhaseTrace.Outcome outcome = trace(program);
        assertEquals(List.of(bad("infer x", "x"), bad("infer -1", "-1"), bad("infer 0", "0"), bad("infer x", "x")), outcome.problems());
        assertEquals(4, outcome.phases().stream().filter(p -> p.name().equals("infer") && p.ops() == 1).mapToLong(p -> p.tally().count("getppid")).sum());

        Path out = dir.resolve("bad.json");
        Result r = traceMain(out, "/usr/bin/python3", "-c", MARK + program);
        assertEquals(1, r.exit);
        assertEquals(List.of("gpuos-trace: " + bad("infer x", "x") + " (2 times, run 1)", "gpuos-trace: run 1: " + bad("infer -1", "-1"),
                "gpuos-trace: run 1: " + bad("infer 0", "0")), r.err.lines().toList());
        assertTrue(Files.readString(out).contains("\"benchmark\": \"external.python3.infer\""), () -> "what was counted is written: " + read(out));
    }

    private static String bad(String marker, String count) {
        return "marker '" + marker + "': the operation count must be a whole number above 0, got '" + count + "'; phase 'infer' is counted as 1 operation";
    }

    @Test
    void aProgramWithoutMarkersIsSaidAndItsCountsKept(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("none.json");
        Result r = traceMain(out, "/usr/bin/python3", "-c", "import os; os.getppid()");
        assertEquals(1, r.exit);
        assertEquals("gpuos-trace: run 1: /usr/bin/python3 wrote no markers to fd 1000 ($GPUOS_MARK_FD): all it did is in phase 'start'", r.err.strip());
        assertTrue(Files.readString(out).contains("\"benchmark\": \"external.python3.start\""), () -> "what was counted is written: " + read(out));
    }

    @Test
    void aProgramThatDiesMidPhaseIsSaidWithThePhaseAndItsCountsKept(@TempDir Path dir) throws Exception {
        String program = "mark('infer 10')\nfor i in range(5): os.getppid()\nos.kill(os.getpid(), 9)\n";
        PhaseTrace.Outcome outcome = trace(program);
        assertEquals(137, outcome.exitCode());
        assertEquals(5, phase(outcome, "infer").tally().count("getppid"));
        assertEquals(List.of("/usr/bin/python3 ended with status 137 (killed by signal 9?) in phase 'infer': the counts up to its end are kept"), outcome.problems());

        Path out = dir.resolve("dies.json");
        Result r = traceMain(out, "--runs", "2", "--out", out.toString(), "--", "/usr/bin/python3", "-c", MARK + program);
        assertEquals(1, r.exit);
        assertEquals("gpuos-trace: /usr/bin/python3 ended with status 137 (killed by signal 9?) in phase 'infer': the counts up to its end are kept (2 times, runs 1, 2)", r.err.strip());
        assertTrue(Files.readString(out).contains("\"syscalls.getppid.norm\""), () -> "what was counted is written: " + read(out));
    }

    @Test
    void markerLinesParse() {
        assertEquals(new Marker("infer", 300, null), Marker.parse("infer 300"));
        assertEquals(new Marker("warm up", 2, null), Marker.parse("warm up 2"));
        assertEquals(new Marker("load", 1, null), Marker.parse("load"));
        assertEquals(1, Marker.parse("infer 1.5").ops());
        assertTrue(Marker.parse("infer 99999999999999999999").problem() != null, "a count past long is bad, not wrapped");
    }

    @Test
    void repeatsAreGroupedIntoOneLine() {
        Map<String, List<Integer>> problems = new LinkedHashMap<>();
        problems.put("a", List.of(1, 1, 3));
        problems.put("b", List.of(2));
        assertEquals(List.of("gpuos-trace: a (3 times, runs 1, 3)", "gpuos-trace: run 2: b"), TraceMain.grouped(problems));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private record Result(int exit, String err) {}

    /** TraceMain.run with --out (unless the arguments hold their own) and stderr captured. */
    private static Result traceMain(Path out, String... args) {
        List<String> all = new java.util.ArrayList<>();
        if (!List.of(args).contains("--")) all.addAll(List.of("--out", out.toString(), "--"));
        all.addAll(List.of(args));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = TraceMain.run(all.toArray(String[]::new));
            return new Result(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
