package gpuos.profiler;

import gpuos.natives.syscount.SyscallCounter;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The running count of some of this JVM's threads' system calls, read with no system call: the sum of the eBPF
 * counter's row totals (one row per thread, in shared memory) over the rows that count. The only way benchmark code
 * reaches the profiler's counter: {@link #current()} is the view the {@link LinuxSyscallProfiler} of this JVM
 * installed, or empty when none runs or its backend cannot be read without a syscall (perf).
 *
 * <p>Which rows count is decided once per row, by a predicate, in {@link #decideNewRows()}; rows of threads first
 * seen since then count until decided. A thread starts from zero, so one that appears between two reads adds
 * exactly its own calls. A read costs one load for the rows in use and one per counted row, no allocation.
 */
public final class LiveSyscalls {
    private static final String NOT_PROFILED = "no syscall profiler in this JVM (-prof gpuos.profiler.LinuxSyscallProfiler, bpf backend)";

    private static volatile LiveSyscalls current;
    private static volatile String absentReason = NOT_PROFILED;

    /** Rows below {@code decided} that count; every row from {@code decided} on counts. */
    private record Rows(int[] counted, int decided) {}

    private final SyscallCounter counter;
    private final IntPredicate counts;
    private volatile Rows rows = new Rows(new int[0], 0);

    private LiveSyscalls(SyscallCounter counter, IntPredicate counts) {
        if (counter.mode() != SyscallCounter.Mode.THREADS) throw new IllegalArgumentException("a live view needs a per-thread counter, not " + counter.mode());
        this.counter = counter;
        this.counts = counts;
    }

    /** The rows (threads) for which {@code countsRow} says yes; it is asked once per row. */
    public static LiveSyscalls of(SyscallCounter counter, IntPredicate countsRow) {
        return new LiveSyscalls(counter, countsRow);
    }

    /** The profiler's view in this JVM; empty when there is none ({@link #absentReason()} says why). */
    public static Optional<LiveSyscalls> current() {
        return Optional.ofNullable(current);
    }

    /** Why {@link #current()} is empty. */
    public static String absentReason() {
        return absentReason;
    }

    /** For the hot path: the installed view or null, without an Optional. */
    static LiveSyscalls currentOrNull() {
        return current;
    }

    static void install(LiveSyscalls view) {
        current = view;
    }

    static void absent(String reason) {
        current = null;
        absentReason = reason;
    }

    /**
     * Asks the predicate about the rows first seen since the last call. Two reads that should be compared must see
     * the same decisions: call this only while nobody records (the profiler: before an iteration's workers start).
     */
    public void decideNewRows() {
        Rows old = rows;
        int inUse = counter.rowsInUse();
        if (inUse == old.decided) return;
        int[] counted = Arrays.copyOf(old.counted, old.counted.length + inUse - old.decided);
        int n = old.counted.length;
        for (int r = old.decided; r < inUse; r++) if (counts.test(r)) counted[n++] = r;
        rows = new Rows(Arrays.copyOf(counted, n), inUse);
    }

    /** Syscalls the counted threads entered so far; plain loads of shared memory. */
    public long counted() {
        Rows rows = this.rows;
        long sum = 0;
        for (int r : rows.counted) sum += counter.rowTotal(r);
        int inUse = counter.rowsInUse();
        for (int r = rows.decided; r < inUse; r++) sum += counter.rowTotal(r);
        return sum;
    }

    /** Rows a read sums now: what it costs. */
    public int rowsRead() {
        Rows rows = this.rows;
        return rows.counted.length + Math.max(0, counter.rowsInUse() - rows.decided);
    }
}
