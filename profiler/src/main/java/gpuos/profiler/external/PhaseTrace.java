package gpuos.profiler.external;

import gpuos.natives.Linux;
import gpuos.natives.NativeException;
import gpuos.natives.NativeLibrary;
import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.Tally;
import gpuos.profiler.syscalls.Tracefs;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.SyscallTable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a program once under the phase counter. The program and every thread and process it starts are
 * counted from its execve on. A marker is one write(2) of "name\n" to fd $GPUOS_MARK_FD: every syscall
 * after it, in any thread or process, belongs to phase "name", until the next marker. The marker's own
 * write is not counted. Before the first marker the phase is "start". The gate (natives/tools/gate.c)
 * marks "start" itself just before execve; row 0, the gate's own start-up, is dropped. A marker
 * "name COUNT" makes the phase's results per operation ({@link Marker}).
 *
 * <p>CPU time: the runner reads the program's process CPU clock when it receives each marker from the pipe
 * (after the marker's write, by the runner's wake-up latency, typically microseconds), and when the pipe closes at
 * the program's exit. When the program was reaped before that last read, the end is the kernel's rusage of the
 * ended child, which also holds the CPU time of the program's own waited-for child processes.
 */
final class PhaseTrace {
    static final int MARK_FD = 1000;
    static final String MARK_ENV = "GPUOS_MARK_FD";
    static final String OVERFLOW_PHASE = "overflow";

    private final List<String> command;

    PhaseTrace(List<String> command) { this.command = command; }

    /**
     * @param overflowMarkers markers past the last phase row (the gate's "start" marker takes one row): their
     *                        phases are merged, with everything after them, into the last phase, "overflow"; 0 if none
     * @param problems        one line each, without the run: bad marker counts, no markers, a program that ended badly
     */
    record Outcome(List<PhaseOccurrence> phases, long overflowMarkers, int exitCode, List<String> problems) {}

    /** A marker as received, with the program's process CPU clock then (-1 when it could not be read). */
    private record Mark(Marker marker, long cpuNanos) {}

    /** Markers a run can have before phases merge into "overflow" (rows less the dropped row 0 and the gate's "start"). */
    static final int MARKER_LIMIT = SyscallCounter.OVERFLOW_ROW - 2;

    Outcome run() throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("gpuos-trace-");
        Path go = tmp.resolve("go"), mark = tmp.resolve("mark");
        Linux.mkfifo(go);
        Linux.mkfifo(mark);
        List<Mark> marks = new CopyOnWriteArrayList<>();
        AtomicLong endCpu = new AtomicLong(-1);
        try (SyscallCounter counter = Tracefs.phaseCounter(MARK_FD)) {
            long[] usageBefore = Linux.childrenUsage();
            List<String> gate = new ArrayList<>(List.of(NativeLibrary.file("gpuos-gate").toString(), go.toString(), mark.toString(), Integer.toString(MARK_FD)));
            gate.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(gate).inheritIO();
            pb.environment().put(MARK_ENV, Integer.toString(MARK_FD));
            Process process = pb.start();
            int pid = (int) process.pid();
            counter.track(pid);
            Thread reader = Thread.ofPlatform().daemon().name("gpuos-trace-marks").start(() -> readMarks(mark, pid, marks, endCpu));
            try (OutputStream release = Files.newOutputStream(go)) {
                release.write('g');
            }
            int exit = process.waitFor();
            long end = System.nanoTime();
            reader.join(TimeUnit.SECONDS.toMillis(2));
            long runCpu = Linux.childrenUsage()[0] - usageBefore[0];
            List<PhaseOccurrence> phases = phases(counter, marks, end, endCpu.get() >= 0 ? endCpu.get() : runCpu);
            return new Outcome(phases, Math.max(0, counter.markersSeen() - (SyscallCounter.OVERFLOW_ROW - 1)), exit, problems(command.get(0), marks, phases, exit));
        } finally {
            Files.deleteIfExists(go);
            Files.deleteIfExists(mark);
            Files.deleteIfExists(tmp);
        }
    }

    private static void readMarks(Path mark, int pid, List<Mark> marks, AtomicLong endCpu) {
        try (Linux.Clock clock = new Linux.Clock(); BufferedReader in = Files.newBufferedReader(mark, StandardCharsets.UTF_8)) {
            int cpuClock = Linux.processCpuClock(pid);
            for (String line; (line = in.readLine()) != null; ) marks.add(new Mark(Marker.parse(line), cpu(clock, cpuClock)));
            endCpu.set(cpu(clock, cpuClock));
        } catch (IOException e) {
            // the program closed the pipe: no more markers
        }
    }

    private static long cpu(Linux.Clock clock, int cpuClock) {
        try {
            return clock.nanos(cpuClock);
        } catch (NativeException e) {
            return -1;   // the program has ended and was reaped
        }
    }

    /** Each a line for the user, without the run: bad counts, no markers, a program that did not end well. */
    private static List<String> problems(String program, List<Mark> marks, List<PhaseOccurrence> phases, int exit) {
        List<String> out = new ArrayList<>();
        for (Mark m : marks) if (m.marker().problem() != null) out.add(m.marker().problem());
        if (marks.size() <= 1) {
            out.add(program + " wrote no markers to fd " + MARK_FD + " ($" + MARK_ENV + "): all it did is in phase 'start'");
        }
        if (exit != 0) {
            String phase = phases.isEmpty() ? "start" : phases.getLast().name();
            String how = exit > 128 ? "ended with status " + exit + " (killed by signal " + (exit - 128) + "?)" : "exited with status " + exit;
            out.add(program + " " + how + " in phase '" + phase + "': the counts up to its end are kept");
        }
        return out;
    }

    private static List<PhaseOccurrence> phases(SyscallCounter counter, List<Mark> marks, long end, long endCpu) {
        int rows = counter.rowsInUse();
        List<PhaseOccurrence> out = new ArrayList<>();
        long[] row = new long[SyscallCounter.COLUMNS];
        long[] hist = new long[SyscallCounter.IOCTL_DEVICES];
        for (int r = 1; r < rows; r++) {
            counter.copyRow(r, row);
            Tally tally = new Tally();
            for (int nr = 0; nr < SyscallCounter.TOTAL_COLUMN; nr++) tally.add(nr, row[nr], null);
            if (row[SyscallTable.IOCTL] != 0) {
                counter.copyIoctlRow(r, hist);
                for (int slot = 0; slot < hist.length; slot++) tally.addIoctl(IoctlTarget.ofCounterSlot(counter, slot), hist[slot]);
            }
            Marker marker = r - 1 < marks.size() ? marks.get(r - 1).marker() : null;
            String name = r == SyscallCounter.OVERFLOW_ROW ? OVERFLOW_PHASE : marker != null ? marker.name() : "phase-" + r;
            long ops = r == SyscallCounter.OVERFLOW_ROW || marker == null ? 1 : marker.ops();
            long from = counter.phaseStartNanos(r);
            long to = r + 1 < rows ? counter.phaseStartNanos(r + 1) : end;
            long cpuFrom = r - 1 < marks.size() ? marks.get(r - 1).cpuNanos() : -1;
            long cpuTo = r + 1 < rows ? (r < marks.size() ? marks.get(r).cpuNanos() : -1) : endCpu;
            long cpu = cpuFrom >= 0 && cpuTo >= 0 ? Math.max(0, cpuTo - cpuFrom) : -1;
            out.add(new PhaseOccurrence(name, ops, Math.max(0, to - from), cpu, tally));
        }
        return out;
    }
}
