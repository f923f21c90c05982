package gpuos.natives.gpujob;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One GPU job (gpujob.h): recorded once, then submitted and waited for any number of times. Its C object, its
 * recorder's upcall stub and its stats view live in one shared arena; {@link #close()} closes the arena, whose
 * cleanup is gj_job_destroy (which first waits out an unfinished submission). {@link #submit}, {@link #await} and
 * {@link #poll} allocate nothing.
 */
public final class GpuJob implements AutoCloseable {
    /** {@code struct gj_job_attr}. */
    public static final StructLayout ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena_bytes"), JAVA_INT.withName("flags"), JAVA_INT.withName("margin_ns"));
    /** {@code GJ_JOB_FD}. */
    public static final int FLAG_COMPLETION_FD = 0x1;

    /**
     * How a job is made: {@code arenaBytes} of device memory it owns, whether a completion thread signals an eventfd
     * (needed by {@link WaitMode#FD}), and how early PREDICT and FD wake before the predicted end (0: the library's 5 µs).
     */
    public record Options(long arenaBytes, boolean completionFd, int marginNanos) {
        public static final Options DEFAULT = new Options(0, false, 0);

        public Options withCompletionFd() {
            return new Options(arenaBytes, true, marginNanos);
        }
    }

    private static final MethodHandle CALL_RECORDER;

    static {
        try {
            CALL_RECORDER = MethodHandles.lookup().findVirtual(GpuJob.class, "callRecorder", MethodType.methodType(int.class, long.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What callRecorder returns when the Java recorder threw: the exception becomes the GJ_ERECORD's cause. */
    private static final int RECORDER_THREW = Integer.MIN_VALUE;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final GpuJobStats stats;
    private volatile int destroyStatus;
    private Recorder recorder;
    private Throwable recorderFailure;

    GpuJob(GpuJobBackend backend, Options options) {
        MemorySegment raw;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment attr = call.allocate(ATTR);
            attr.set(JAVA_LONG, ATTR.byteOffset(MemoryLayout.PathElement.groupElement("arena_bytes")), options.arenaBytes());
            attr.set(JAVA_INT, ATTR.byteOffset(MemoryLayout.PathElement.groupElement("flags")), options.completionFd() ? FLAG_COMPLETION_FD : 0);
            attr.set(JAVA_INT, ATTR.byteOffset(MemoryLayout.PathElement.groupElement("margin_ns")), options.marginNanos());
            MemorySegment out = call.allocate(ADDRESS);
            int status = GpuJobLibrary.jobCreate(backend.handle(), attr, out);
            if (status != 0) {
                arena.close();
                throw GpuJobException.of(status, "gj_job_create", MemorySegment.NULL);
            }
            raw = out.get(ADDRESS, 0);
        }
        handle = raw.reinterpret(arena, h -> destroyStatus = GpuJobLibrary.jobDestroy(h));
        stats = new GpuJobStats(GpuJobLibrary.statsOf(handle).reinterpret(GpuJobStats.LAYOUT.byteSize(), arena, null));
    }

    /** CREATED -> RECORDED. CUDA captures what {@code recorder} enqueues now; OpenCL calls it again at every submit. */
    public void record(Recorder recorder) {
        this.recorder = recorder;
        MemorySegment stub = Linker.nativeLinker().upcallStub(CALL_RECORDER.bindTo(this), GpuJobLibrary.RECORD_FN, arena);
        int status = GpuJobLibrary.record(handle, stub, MemorySegment.NULL);
        if (status != 0) check(status, "gj_record");
    }

    /** Enqueues the recorded work; GJ_EBUSY while the previous submission has not been waited for or polled complete. */
    public void submit() {
        int status = GpuJobLibrary.submit(handle);
        if (status != 0) check(status, "gj_submit");
    }

    /** Blocks as {@code mode} says until the submission completes; a kernel fault throws GJ_EJOBFAULT. */
    public void await(WaitMode mode) {
        int status = GpuJobLibrary.await(handle, mode.code);
        if (status != 0) check(status, "gj_wait(" + mode + ")");
    }

    /** One look at the completion word, no system call: true when the submission has completed. */
    public boolean poll() {
        int status = GpuJobLibrary.poll(handle);
        if (status == GpuJobStatus.EAGAIN.code) return false;
        if (status != 0) check(status, "gj_poll");
        return true;
    }

    /** The completion eventfd (owned by the job: do not close it), or -1 for a job without one. */
    public int completionFd() {
        return GpuJobLibrary.completionFd(handle);
    }

    /** The job's device memory: a CUdeviceptr or cl_mem as an integer; 0 without an arena. */
    public long arena() {
        return GpuJobLibrary.arena(handle);
    }

    /** The driver's code behind the last GJ_EJOBFAULT / GJ_EBACKEND / GJ_ERECORD; 0 if none. */
    public int backendError() {
        return GpuJobLibrary.backendError(handle);
    }

    /** The job's accounting, read in place. */
    public GpuJobStats stats() {
        return stats;
    }

    /** The {@code gj_job *}, valid until {@link #close()}. */
    public MemorySegment handle() {
        return handle;
    }

    /** gj_job_destroy, through the arena; throws if it failed. */
    @Override
    public void close() {
        arena.close();
        if (destroyStatus != 0) throw GpuJobException.of(destroyStatus, "gj_job_destroy", MemorySegment.NULL);
    }

    /** Throws for a non-zero status: callers test for 0 first, so a success builds no message. */
    private void check(int status, String what) {
        GpuJobException e = GpuJobException.of(status, what, handle);
        if (recorderFailure != null) {
            e.initCause(recorderFailure);
            recorderFailure = null;
        }
        throw e;
    }

    // An exception must not leave an upcall (the JVM would exit): keep it for the GJ_ERECORD it causes.
    private int callRecorder(long job, long nativeQueue, long user) {
        try {
            return recorder.record(job, nativeQueue);
        } catch (Throwable t) {
            recorderFailure = t;
            return RECORDER_THREW;
        }
    }
}
