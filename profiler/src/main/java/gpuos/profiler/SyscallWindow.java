package gpuos.profiler;

import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.SyscallTable;
import gpuos.profiler.threads.ThreadClass;

import java.util.function.IntFunction;

/**
 * Per-row deltas of a {@link SyscallCounter} between {@link #open()} and {@link #close()}.
 * A boundary costs one load per row in use and a copy of only the rows whose total moved, so an idle
 * JVM thread costs nothing. Deltas are differences of successive copies, so every increment lands in
 * exactly one window even while threads run across a boundary.
 */
public final class SyscallWindow {
    private final SyscallCounter counter;
    private final long[][] last = new long[SyscallCounter.ROWS][SyscallCounter.COLUMNS];
    private final long[][] atOpen = new long[SyscallCounter.ROWS][SyscallCounter.COLUMNS];
    private final long[][] ioctlLast = new long[SyscallCounter.ROWS][SyscallCounter.IOCTL_DEVICES];
    private final long[][] ioctlAtOpen = new long[SyscallCounter.ROWS][SyscallCounter.IOCTL_DEVICES];
    private final long[] ioctlCopiedAt = new long[SyscallCounter.ROWS];
    /** The row was copied into {@code last} since {@code atOpen} was taken. */
    private final boolean[] dirty = new boolean[SyscallCounter.ROWS];

    public SyscallWindow(SyscallCounter counter) { this.counter = counter; }

    /** Starts a window: what happens from now on counts. */
    public void open() {
        int rows = counter.rowsInUse();
        for (int r = 0; r < rows; r++) {
            refresh(r);
            if (dirty[r]) {
                System.arraycopy(last[r], 0, atOpen[r], 0, SyscallCounter.COLUMNS);
                System.arraycopy(ioctlLast[r], 0, ioctlAtOpen[r], 0, SyscallCounter.IOCTL_DEVICES);
                dirty[r] = false;
            }
        }
    }

    /** Ends the window; afterwards {@link #changed(int)} and the delta accessors describe it. */
    public int close() {
        int rows = counter.rowsInUse();
        for (int r = 0; r < rows; r++) refresh(r);
        return rows;
    }

    boolean changed(int row) { return dirty[row]; }

    long delta(int row, int syscall) { return last[row][syscall] - atOpen[row][syscall]; }

    long ioctlDelta(int row, int slot) { return ioctlLast[row][slot] - ioctlAtOpen[row][slot]; }

    /**
     * The closed window's counts, by syscall, role, thread class and ioctl target. Rows of
     * {@code excludedTid} are left out and their total returned through {@code excluded[0]}.
     */
    public Tally tally(int rows, IntFunction<ThreadClass> classOfRow, IntFunction<IoctlTarget> targetOfSlot, int excludedTid, long[] excluded) {
        Tally tally = new Tally();
        for (int r = 0; r < rows; r++) {
            if (!changed(r)) continue;
            if (r != SyscallCounter.OVERFLOW_ROW && counter.rowTid(r) == excludedTid) {
                excluded[0] += delta(r, SyscallCounter.TOTAL_COLUMN);
                continue;
            }
            ThreadClass cls = classOfRow.apply(r);
            for (int nr = 0; nr < SyscallCounter.TOTAL_COLUMN; nr++) tally.add(nr, delta(r, nr), cls);
            if (delta(r, SyscallTable.IOCTL) != 0) {
                for (int slot = 0; slot < SyscallCounter.IOCTL_DEVICES; slot++) {
                    long n = ioctlDelta(r, slot);
                    if (n != 0) tally.addIoctl(targetOfSlot.apply(slot), n);
                }
            }
        }
        return tally;
    }

    /** Copies a row if its total moved since the last copy; the ioctl histogram only if ioctls moved. */
    private void refresh(int r) {
        if (counter.rowTotal(r) == last[r][SyscallCounter.TOTAL_COLUMN]) return;
        counter.copyRow(r, last[r]);
        long ioctls = last[r][SyscallTable.IOCTL];
        if (ioctls != ioctlCopiedAt[r]) {
            counter.copyIoctlRow(r, ioctlLast[r]);
            ioctlCopiedAt[r] = ioctls;
        }
        dirty[r] = true;
    }
}
