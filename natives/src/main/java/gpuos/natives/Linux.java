package gpuos.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The few libc calls gpuos needs that the JDK does not offer. */
public final class Linux {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETTID = LINKER.downcallHandle(LINKER.defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(LINKER.defaultLookup().find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private static final MethodHandle MKFIFO = LINKER.downcallHandle(LINKER.defaultLookup().find("mkfifo").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final java.lang.foreign.StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle GETRUSAGE = LINKER.downcallHandle(LINKER.defaultLookup().find("getrusage").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(LINKER.defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.captureCallState("errno"));

    /** CPU time (user + system) of all threads of this process, ended ones included. */
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    private Linux() {}

    /** mkfifo(3) with mode 0600. */
    public static void mkfifo(java.nio.file.Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKFIFO.invokeExact(state, arena.allocateFrom(path.toString()), 0600);
            int errno = state.get(JAVA_INT, ERRNO_OFFSET);
            NativeException.check(rc < 0 ? -errno : 0, "mkfifo " + path, null);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The CPU-time clock id of thread {@code tid} of this process: the kernel's
     * {@code MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)}, which glibc's pthread_getcpuclockid also builds.
     * Reading it for a thread that has ended fails with EINVAL.
     */
    public static int threadCpuClock(int tid) {
        return (~tid << 3) | 6;
    }

    /**
     * The CPU-time clock id of process {@code pid} (all its threads, ended ones included; not its child processes):
     * the kernel's {@code MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)}, as glibc's clock_getcpuclockid builds it.
     * Unlike a thread clock, any process's can be read (kernel/time/posix-cpu-timers.c, lookup_task); reading it
     * after the process was reaped fails with EINVAL.
     */
    public static int processCpuClock(int pid) {
        return (~pid << 3) | 2;
    }

    /**
     * getrusage(RUSAGE_CHILDREN): {user + system CPU ns, voluntary, involuntary context switches} of this process's
     * children that have ended and been waited for, and of their own waited-for descendants.
     */
    public static long[] childrenUsage() {
        try (Arena arena = Arena.ofConfined()) {
            // struct rusage: two timevals, then 14 longs; ru_nvcsw and ru_nivcsw are the last two.
            MemorySegment ru = arena.allocate(JAVA_LONG, 18);
            int rc = (int) GETRUSAGE.invokeExact(-1, ru);
            if (rc != 0) throw new IllegalStateException("getrusage(RUSAGE_CHILDREN) failed");
            long cpu = (ru.getAtIndex(JAVA_LONG, 0) + ru.getAtIndex(JAVA_LONG, 2)) * 1_000_000_000L
                    + (ru.getAtIndex(JAVA_LONG, 1) + ru.getAtIndex(JAVA_LONG, 3)) * 1_000L;
            return new long[] {cpu, ru.getAtIndex(JAVA_LONG, 16), ru.getAtIndex(JAVA_LONG, 17)};
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * clock_gettime(2) with its timespec and errno buffers allocated once, so a read allocates nothing.
     * The buffers live in a confined arena: use it from the thread that made it, and close it to free them.
     * CPU clocks have no vDSO path: each read is one clock_gettime system call by the calling thread.
     */
    public static final class Clock implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment timespec = arena.allocate(JAVA_LONG, 2);
        private final MemorySegment state = arena.allocate(CALL_STATE);

        /** The clock's time in nanoseconds; throws {@link NativeException} when the kernel refuses the clock id. */
        public long nanos(int clockId) {
            int rc;
            try {
                rc = (int) CLOCK_GETTIME.invokeExact(state, clockId, timespec);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            // Only on failure: the message is built then, not on every read.
            if (rc < 0) NativeException.check(-state.get(JAVA_INT, ERRNO_OFFSET), "clock_gettime(" + clockId + ")", null);
            return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
        }

        @Override
        public void close() { arena.close(); }
    }

    /** The kernel thread id of the calling thread (one system call). */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
