package gpuos.profiler.external;

import gpuos.natives.Linux;
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

/**
 * Runs a program once under the phase counter. The program and every thread and process it starts are
 * counted from its execve on. A marker is one write(2) of "name\n" to fd $GPUOS_MARK_FD: every syscall
 * after it, in any thread or process, belongs to phase "name", until the next marker. The marker's own
 * write is not counted. Before the first marker the phase is "start". The gate (natives/tools/gate.c)
 * marks "start" itself just before execve; row 0, the gate's own start-up, is dropped.
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
     */
    record Outcome(List<PhaseOccurrence> phases, long overflowMarkers, int exitCode) {}

    /** Markers a run can have before phases merge into "overflow" (rows less the dropped row 0 and the gate's "start"). */
    static final int MARKER_LIMIT = SyscallCounter.OVERFLOW_ROW - 2;

    Outcome run() throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("gpuos-trace-");
        Path go = tmp.resolve("go"), mark = tmp.resolve("mark");
        Linux.mkfifo(go);
        Linux.mkfifo(mark);
        List<String> names = new CopyOnWriteArrayList<>();
        try (SyscallCounter counter = Tracefs.phaseCounter(MARK_FD)) {
            Thread reader = Thread.ofPlatform().daemon().name("gpuos-trace-marks").start(() -> readMarks(mark, names));
            List<String> gate = new ArrayList<>(List.of(NativeLibrary.file("gpuos-gate").toString(), go.toString(), mark.toString(), Integer.toString(MARK_FD)));
            gate.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(gate).inheritIO();
            pb.environment().put(MARK_ENV, Integer.toString(MARK_FD));
            Process process = pb.start();
            counter.track((int) process.pid());
            try (OutputStream release = Files.newOutputStream(go)) {
                release.write('g');
            }
            int exit = process.waitFor();
            long end = System.nanoTime();
            reader.join(TimeUnit.SECONDS.toMillis(2));
            return new Outcome(phases(counter, names, end), Math.max(0, counter.markersSeen() - (SyscallCounter.OVERFLOW_ROW - 1)), exit);
        } finally {
            Files.deleteIfExists(go);
            Files.deleteIfExists(mark);
            Files.deleteIfExists(tmp);
        }
    }

    private static void readMarks(Path mark, List<String> names) {
        try (BufferedReader in = Files.newBufferedReader(mark, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) names.add(line.strip());
        } catch (IOException e) {
            // the program closed the pipe: no more markers
        }
    }

    private static List<PhaseOccurrence> phases(SyscallCounter counter, List<String> names, long end) {
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
            String name = r == SyscallCounter.OVERFLOW_ROW ? OVERFLOW_PHASE : r - 1 < names.size() ? names.get(r - 1) : "phase-" + r;
            long from = counter.phaseStartNanos(r);
            long to = r + 1 < rows ? counter.phaseStartNanos(r + 1) : end;
            out.add(new PhaseOccurrence(name, Math.max(0, to - from), tally));
        }
        return out;
    }
}
