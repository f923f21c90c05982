package gpuos.natives.gpujob;

import gpuos.natives.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The allowlist: one Java method per function of {@code gpujob.h}, nothing else, each returning what C returns
 * (statuses are turned into exceptions by {@link GpuJobException#of}, called by {@link GpuJob} and
 * {@link GpuJobBackend}). libgpujob.so is loaded once per JVM, from where {@link NativeLibrary#file} finds it.
 */
public final class GpuJobLibrary {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup GPUJOB = SymbolLookup.libraryLookup(NativeLibrary.file("libgpujob.so"), Arena.global());

    private static final MethodHandle STRERROR = handle("gj_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle BACKEND_OPEN = handle("gj_backend_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BACKEND_CLOSE = handle("gj_backend_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle BACKEND_DEVICE_NAME = handle("gj_backend_device_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle BACKEND_CONTEXT = handle("gj_backend_context", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle JOB_CREATE = handle("gj_job_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle RECORD = handle("gj_record", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SUBMIT = handle("gj_submit", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT = handle("gj_wait", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // Not Linker.Option.critical: a poll that sees the end reads the driver's timing events under a mutex.
    private static final MethodHandle POLL = handle("gj_poll", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle COMPLETION_FD = handle("gj_completion_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ARENA = handle("gj_arena", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    private static final MethodHandle JOB_DESTROY = handle("gj_job_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle BACKEND_ERROR = handle("gj_backend_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle STATS_OF = handle("gj_stats_of", FunctionDescriptor.of(ADDRESS, ADDRESS));

    /**
     * {@code gj_record_fn}. The pointers are passed as {@code long}: on x86-64 (the only platform gpuos builds for)
     * a pointer and a 64-bit integer travel in the same registers, and OpenCL calls the recorder at every
     * submission, where a MemorySegment per argument would be garbage per operation.
     */
    public static final FunctionDescriptor RECORD_FN = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private GpuJobLibrary() {}

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(GPUJOB.findOrThrow(name), descriptor);
    }

    public static String strerror(int status) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(status)).reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code out} receives the {@code gj_backend *}. */
    public static int backendOpen(MemorySegment out, int kind, int device, int cudaContextFlags) {
        try {
            return (int) BACKEND_OPEN.invokeExact(out, kind, device, cudaContextFlags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int backendClose(MemorySegment backend) {
        try {
            return (int) BACKEND_CLOSE.invokeExact(backend);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int backendDeviceName(MemorySegment backend, MemorySegment name, int length) {
        try {
            return (int) BACKEND_DEVICE_NAME.invokeExact(backend, name, length);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static MemorySegment backendContext(MemorySegment backend) {
        try {
            return (MemorySegment) BACKEND_CONTEXT.invokeExact(backend);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code attr} is a {@link GpuJob#ATTR} struct or NULL; {@code out} receives the {@code gj_job *}. */
    public static int jobCreate(MemorySegment backend, MemorySegment attr, MemorySegment out) {
        try {
            return (int) JOB_CREATE.invokeExact(backend, attr, out);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code record} is an upcall stub of {@link #RECORD_FN}. */
    public static int record(MemorySegment job, MemorySegment record, MemorySegment user) {
        try {
            return (int) RECORD.invokeExact(job, record, user);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int submit(MemorySegment job) {
        try {
            return (int) SUBMIT.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int await(MemorySegment job, int mode) {
        try {
            return (int) WAIT.invokeExact(job, mode);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int poll(MemorySegment job) {
        try {
            return (int) POLL.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int completionFd(MemorySegment job) {
        try {
            return (int) COMPLETION_FD.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static long arena(MemorySegment job) {
        try {
            return (long) ARENA.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int jobDestroy(MemorySegment job) {
        try {
            return (int) JOB_DESTROY.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int backendError(MemorySegment job) {
        try {
            return (int) BACKEND_ERROR.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The job's {@code gj_stats}, zero-length (reinterpret it to {@link GpuJobStats#LAYOUT}); NULL for a dead job. */
    public static MemorySegment statsOf(MemorySegment job) {
        try {
            return (MemorySegment) STATS_OF.invokeExact(job);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
