package gpuos.natives.gpujob;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * A gpujob backend: one device of CUDA or OpenCL, and the driver context its jobs run in. It lives as long as its
 * shared arena (JMH runs setup, iterations and teardown on different threads): {@link #close()} closes the arena,
 * whose cleanup is gj_backend_close. Close the jobs first; a backend with live jobs fails to close (GJ_EBUSY).
 */
public final class GpuJobBackend implements AutoCloseable {
    /** {@code gj_backend_kind}. */
    public enum Kind {
        CUDA(1), OPENCL(2);

        public final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    /** {@code cuda_ctx_flags} for {@link #openCuda}: retain the device's primary context, the one cudart uses. */
    public static final int CUDA_PRIMARY_CONTEXT = -1;
    /** {@code cuda_ctx_flags} for {@link #openCuda}: the context current on the calling thread (e.g. JCuda's). */
    public static final int CUDA_CURRENT_CONTEXT = -2;

    public final Kind kind;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private volatile int closeStatus;

    private GpuJobBackend(Kind kind, int device, int cudaContextFlags) {
        this.kind = kind;
        MemorySegment raw;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(ADDRESS);
            int status = GpuJobLibrary.backendOpen(out, kind.code, device, cudaContextFlags);
            if (status != 0) {
                arena.close();
                // The backends read one environment variable each: a value they refuse is GJ_EINVAL, so name it.
                String variable = kind == Kind.OPENCL ? "GPUJOB_OCL_COMPLETION" : "GPUJOB_TIME_EVERY";
                String value = System.getenv(variable);
                String context = value == null || value.isEmpty() ? ""
                        : ", " + variable + "=" + value + (kind == Kind.OPENCL ? " (callback, query or unset)" : " (1 to 1000000 or unset)");
                throw GpuJobException.of(status, "gj_backend_open(" + kind + ", device " + device + context + ")", MemorySegment.NULL);
            }
            raw = out.get(ADDRESS, 0);
        }
        handle = raw.reinterpret(arena, h -> closeStatus = GpuJobLibrary.backendClose(h));
    }

    /**
     * CUDA device {@code device}: {@code contextFlags} {@link #CUDA_PRIMARY_CONTEXT}, {@link #CUDA_CURRENT_CONTEXT}, or CU_CTX_* flags for a context of
     * its own (a kernel fault then poisons only that context). Throws GJ_ENOBACKEND / GJ_ENODEVICE without a GPU.
     */
    public static GpuJobBackend openCuda(int device, int contextFlags) {
        return new GpuJobBackend(Kind.CUDA, device, contextFlags);
    }

    /** The {@code device}-th OpenCL device, counted over all platforms in the ICD loader's order. */
    public static GpuJobBackend openOpenCl(int device) {
        return new GpuJobBackend(Kind.OPENCL, device, 0);
    }

    public String deviceName() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = call.allocate(256);
            int status = GpuJobLibrary.backendDeviceName(handle, name, (int) name.byteSize());
            if (status != 0) throw GpuJobException.of(status, "gj_backend_device_name", MemorySegment.NULL);
            return name.getString(0);
        }
    }

    /** The driver context jobs run in: a CUcontext or a cl_context (zero-length segment). */
    public MemorySegment context() {
        return GpuJobLibrary.backendContext(handle);
    }

    /** A new job on this backend; close it before the backend. */
    public GpuJob createJob(GpuJob.Options options) {
        return new GpuJob(this, options);
    }

    MemorySegment handle() {
        return handle;
    }

    /** gj_backend_close, through the arena; throws if it failed (GJ_EBUSY: a job is still open). */
    @Override
    public void close() {
        arena.close();
        if (closeStatus != 0) throw GpuJobException.of(closeStatus, "gj_backend_close", MemorySegment.NULL);
    }
}
