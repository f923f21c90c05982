package gpuos.natives.syscount;

import gpuos.natives.NativeException;
import gpuos.natives.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java face of natives/src/main/c/syscount: an eBPF counter of system calls, read through shared
 * memory with no system call. Rows are threads ({@link Mode#THREADS}) or phases ({@link Mode#PHASES});
 * columns are syscall numbers, the last column is the row's total. The BPF program lives exactly as
 * long as this object: {@link #close()} detaches it.
 */
public final class SyscallCounter implements AutoCloseable {
    public enum Mode { THREADS, PHASES }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = downcall("gpuos_sc_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle REGION = downcall("gpuos_sc_region", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle REGION_SIZE = downcall("gpuos_sc_region_size", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle TRACK = downcall("gpuos_sc_track", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LAYOUT = downcall("gpuos_sc_layout", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("gpuos_sc_close", FunctionDescriptor.ofVoid(ADDRESS));

    /** Columns per row (syscall numbers); column {@link #TOTAL_COLUMN} holds the row total. */
    public static final int COLUMNS = layout(0);
    public static final int TOTAL_COLUMN = COLUMNS - 1;
    /** Rows; the last one, {@link #OVERFLOW_ROW}, takes threads or phases beyond the others. */
    public static final int ROWS = layout(1);
    public static final int OVERFLOW_ROW = ROWS - 1;
    /**
     * THREADS mode: rows from here to the overflow row are shared. When the rows of their own run out, the later
     * threads of one creator share a row (whose info names the first of them and their creator), and a thread whose
     * creator is in a shared row counts there too; when those run out as well, a thread counts in its creator's row.
     */
    public static final int FIRST_SHARED_ROW = layout(9);
    /**
     * ioctl histogram width per row: one slot per device number the counter has seen as an ioctl's target
     * ({@link #slotDevice(int)}); slot {@link #NO_DEVICE} holds ioctls on fds that name no device (sockets, pipes,
     * regular or anonymous files, closed fds, or every ioctl when the kernel has no BTF), the last slot the devices
     * beyond the others.
     */
    public static final int IOCTL_DEVICES = layout(2);
    public static final int NO_DEVICE = 0;
    private static final long OFF_IOCTL = layout(3), OFF_INFO = layout(4), OFF_CTRL = layout(5), INFO_BYTES = layout(6), OFF_DEVS = layout(7);
    private static final int KERNEL_OFFSETS = layout(8);

    private final Mode mode;
    private final Arena arena;
    private final MemorySegment region;

    private SyscallCounter(Mode mode, int tgid, int markFd, int forkTracepointId, int childPidOffset) {
        this.mode = mode;
        this.arena = Arena.ofShared();
        try {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment log = arena.allocate(1 << 16);
            MemorySegment offsets = KernelOffsets.get().filter(k -> k.length == KERNEL_OFFSETS)
                    .map(k -> arena.allocateFrom(JAVA_INT, k)).orElse(MemorySegment.NULL);
            int status = (int) OPEN.invokeExact(out, mode.ordinal(), tgid, markFd, forkTracepointId, childPidOffset, offsets, log, (int) log.byteSize());
            NativeException.check(status, "syscall counter", log.getString(0, StandardCharsets.UTF_8));
            // The C handle is freed when the arena closes, whatever path closes it.
            MemorySegment handle = out.get(ADDRESS, 0).reinterpret(arena, SyscallCounter::closeHandle);
            long size = (long) REGION_SIZE.invokeExact();
            region = ((MemorySegment) REGION.invokeExact(handle)).reinterpret(size);
            this.handle = handle;
        } catch (Throwable t) {
            arena.close();
            throw rethrow(t);
        }
    }

    private final MemorySegment handle;

    /** Counts every thread of process {@code tgid}, a row per thread. */
    public static SyscallCounter forProcess(int tgid) {
        return new SyscallCounter(Mode.THREADS, tgid, -1, 0, 0);
    }

    /**
     * Attaches the same program but filters out every process: what the kernel's tracepoint path and the
     * program's first instructions cost by themselves, for calibrating the counter's overhead.
     */
    public static SyscallCounter attachedCountingNothing() {
        return new SyscallCounter(Mode.THREADS, -1, -1, 0, 0);
    }

    /**
     * Counts the processes added with {@link #track(int)} and all their descendants, a row per phase.
     * A write(2) to {@code markFd} by any of them starts the next phase.
     * @param forkTracepointId id of tracepoint sched/sched_process_fork (tracefs)
     * @param childPidOffset   byte offset of its child_pid field (from the tracepoint's format file)
     */
    public static SyscallCounter forPhases(int markFd, int forkTracepointId, int childPidOffset) {
        return new SyscallCounter(Mode.PHASES, 0, markFd, forkTracepointId, childPidOffset);
    }

    public Mode mode() { return mode; }

    public void track(int pid) {
        try {
            NativeException.check((int) TRACK.invokeExact(handle, pid), "track pid " + pid, null);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long count(int row, int syscall) { return region.get(JAVA_LONG, ((long) row * COLUMNS + syscall) * 8); }

    public long rowTotal(int row) { return count(row, TOTAL_COLUMN); }

    /** Copies a whole row (COLUMNS longs) into {@code into}: one bulk read, no system call. */
    public void copyRow(int row, long[] into) {
        MemorySegment.copy(region, JAVA_LONG, (long) row * COLUMNS * 8, into, 0, COLUMNS);
    }

    /** Copies a row's ioctl histogram (IOCTL_DEVICES longs, indexed by device slot). */
    public void copyIoctlRow(int row, long[] into) {
        MemorySegment.copy(region, JAVA_LONG, OFF_IOCTL + (long) row * IOCTL_DEVICES * 8, into, 0, IOCTL_DEVICES);
    }

    /** The kernel device number (dev_t: major << 20 | minor) of a device slot; 0 for {@link #NO_DEVICE}, the last slot, or a slot not yet named. */
    public long slotDevice(int slot) {
        return slot == NO_DEVICE || slot == IOCTL_DEVICES - 1 ? 0 : region.get(JAVA_LONG, OFF_DEVS + slot * 8L);
    }

    /** Rows in use: threads seen so far, or phases started so far (phase 0 is before any marker). */
    public int rowsInUse() {
        long n = mode == Mode.THREADS ? region.get(JAVA_LONG, OFF_CTRL) : markersSeen() + 1;
        return (int) Math.min(n, ROWS);
    }

    /** Markers seen so far (PHASES mode), those beyond the rows included: all of theirs count in {@link #OVERFLOW_ROW}. */
    public long markersSeen() { return region.get(JAVA_LONG, OFF_CTRL + 16); }

    /** Thread id that owns a row (THREADS mode). */
    public int rowTid(int row) { return region.get(JAVA_INT, OFF_INFO + row * INFO_BYTES); }

    /**
     * The thread that created a row's thread (THREADS mode), recorded at clone; 0 when unknown: the thread existed
     * before the counter, or the kernel has no BTF. When rows run out, a new thread counts in its creator's row.
     */
    public int rowCreatorTid(int row) { return region.get(JAVA_INT, OFF_INFO + row * INFO_BYTES + 24); }

    /** The thread name as the kernel last saw it for this row (refreshed after {@link #refreshNames()}). */
    public String rowName(int row) {
        byte[] comm = new byte[16];
        MemorySegment.copy(region, java.lang.foreign.ValueLayout.JAVA_BYTE, OFF_INFO + row * INFO_BYTES + 8, comm, 0, 16);
        int len = 0;
        while (len < 16 && comm[len] != 0) len++;
        return new String(comm, 0, len, StandardCharsets.UTF_8);
    }

    /** CLOCK_MONOTONIC time (as System.nanoTime) at which a phase's marker was seen (PHASES mode). */
    public long phaseStartNanos(int row) { return region.get(JAVA_LONG, OFF_INFO + row * INFO_BYTES + 24); }

    /** Asks every thread to record its current name at its next system call (a plain store, no syscall). */
    public void refreshNames() {
        long at = OFF_CTRL + 8;
        region.set(JAVA_INT, at, region.get(JAVA_INT, at) + 1);
    }

    @Override
    public void close() { arena.close(); }

    private static void closeHandle(MemorySegment handle) {
        try {
            CLOSE.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int layout(int what) {
        try {
            return (int) LAYOUT.invokeExact(what);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(NativeLibrary.lookup().find(name).orElseThrow(() -> new IllegalStateException("libgpuos.so has no " + name)), fd);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
