package gpuos.profiler.external;

import gpuos.natives.Linux;
import gpuos.natives.NativeLibrary;
import gpuos.profiler.LinuxSyscallProfiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** External mode at its edges (natives/tools/phase_fixture.c): more markers than phase rows, and ioctl targets. */
class ExternalEdgesTest {
    private static Path fixture;

    @BeforeAll
    static void needsCounter() {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        assumeTrue(Files.isRegularFile(Path.of("/sys/kernel/tracing/events/sched/sched_process_fork/id")), "tracefs not mounted: mount -t tracefs nodev /sys/kernel/tracing");
        fixture = NativeLibrary.file("phase-fixture");
    }

    @Test
    void markersPastTheLimitAreMergedIntoOverflowAndNothingIsDropped() throws Exception {
        int markers = PhaseTrace.MARKER_LIMIT + 50;
        PhaseTrace.Outcome outcome = new PhaseTrace(List.of(fixture.toString(), "markers", Integer.toString(markers))).run();
        assertEquals(0, outcome.exitCode());
        long getppids = outcome.phases().stream().mapToLong(p -> p.tally().count("getppid")).sum();
        assertEquals(markers, getppids, "one getppid after each marker, all counted");
        PhaseOccurrence overflow = outcome.phases().getLast();
        assertEquals(PhaseTrace.OVERFLOW_PHASE, overflow.name());
        assertEquals(50, overflow.tally().count("getppid"), "the 50 phases past the limit");
        assertEquals(1, overflow.tally().count("exit_group"), "the program's exit");
        assertEquals(50, outcome.overflowMarkers());
        String table = TraceMain.summary(List.of(outcome.phases()), List.of(outcome.overflowMarkers()));
        assertTrue(table.contains(TraceMain.overflowWarning(1, 50)), table);
        String json = ExternalResults.toJson("fixture", List.of("phase-fixture"), List.of(outcome.phases()), List.of(outcome.overflowMarkers()));
        assertTrue(json.contains("\"overflowMarkers\": [\n      50\n    ]"), json.substring(json.lastIndexOf("\"benchmark\"")));
    }

    @Test
    void ioctlsAreNamedByTheDeviceAtTheCallInEveryProcess() throws Exception {
        assumeTrue(Linux.geteuid() == 0 && Files.isExecutable(Path.of("/usr/bin/unshare")), "needs root and unshare(1) for a private mount namespace");
        // GPU device nodes exist only in the fixture's own mount namespace: the host is untouched.
        String script = "mount -t tmpfs gpuos-test /mnt && mknod /mnt/nvidia0 c 195 0 && mknod /mnt/renderD128 c 226 128 && exec \"$0\" ioctls /mnt";
        PhaseTrace.Outcome outcome = new PhaseTrace(List.of("unshare", "-m", "sh", "-c", script, fixture.toString())).run();
        assertEquals(0, outcome.exitCode());
        Map<String, Map<String, Double>> phases = new java.util.HashMap<>();
        outcome.phases().forEach(p -> phases.put(p.name(), p.tally().labels(1, false)));
        assertEquals(3.0, phases.get("null").get("syscalls.ioctl.target.other.norm"), "/dev/null at fd F: " + phases.get("null"));
        assertEquals(0.0, phases.get("null").get("syscalls.role.dispatch.norm"));
        assertEquals(5.0, phases.get("gpu").get("syscalls.ioctl.target.nvidia0.norm"), "nvidia0 at the reused fd F, opened and closed in the phase: " + phases.get("gpu"));
        assertEquals(5.0, phases.get("gpu").get("syscalls.role.dispatch.norm"));
        assertEquals(7.0, phases.get("child").get("syscalls.ioctl.target.dri-renderD128.norm"), "in a forked child: " + phases.get("child"));
        assertEquals(7.0, phases.get("child").get("syscalls.role.dispatch.norm"));
    }
}
