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
 * Java face of natives/src/main/c/syscount/perfcount.c: perf tracepoint counters of one thread, read as
 * a group with one read(2). The fallback when eBPF is unavailable; needs tracefs for the event ids.
 * An inheriting counter also counts the threads the thread starts after the open (see perfcount.h).
 */
public final class PerfThreadCounter implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = downcall("gpuos_pc_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = downcall("gpuos_pc_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLOSE = downcall("gpuos_pc_close", FunctionDescriptor.ofVoid(ADDRESS));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment handle;
    private final MemorySegment values;
    private final int events;

    /** Counts thread {@code tid}'s entries into the given tracepoints (ids from tracefs). */
    public PerfThreadCounter(int tid, int[] tracepointIds) {
        this(tid, tracepointIds, false);
    }

    /** As {@link #PerfThreadCounter(int, int[])}; with {@code inherit}, the threads it starts from now on count too. */
    public PerfThreadCounter(int tid, int[] tracepointIds, boolean inherit) {
        events = tracepointIds.length;
        try {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment log = arena.allocate(512);
            int status = (int) OPEN.invokeExact(out, tid, arena.allocateFrom(JAVA_INT, tracepointIds), events, inherit ? 1 : 0, log, (int) log.byteSize());
            NativeException.check(status, "perf counters", log.getString(0, StandardCharsets.UTF_8));
            handle = out.get(ADDRESS, 0).reinterpret(arena, PerfThreadCounter::closeHandle);
            values = arena.allocate(JAVA_LONG, events);
        } catch (Throwable t) {
            arena.close();
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** Reads all counters into {@code into} (one read(2) by the calling thread). */
    public void read(long[] into) {
        try {
            NativeException.check((int) READ.invokeExact(handle, values), "perf counter read", null);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        MemorySegment.copy(values, JAVA_LONG, 0, into, 0, events);
    }

    @Override
    public void close() { arena.close(); }

    private static void closeHandle(MemorySegment h) {
        try {
            CLOSE.invokeExact(h);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(NativeLibrary.lookup().find(name).orElseThrow(() -> new IllegalStateException("libgpuos.so has no " + name)), fd);
    }
}
