package gpuos.natives.gpujob;

import java.lang.foreign.MemorySegment;

/** A gpujob call failed: its {@link GpuJobStatus}, gj_strerror's text and, for driver failures, the driver's code. */
public final class GpuJobException extends RuntimeException {
    private final GpuJobStatus status;
    private final int backendError;

    private GpuJobException(String message, GpuJobStatus status, int backendError) {
        super(message);
        this.status = status;
        this.backendError = backendError;
    }

    public GpuJobStatus status() { return status; }

    /** The CUresult or cl_int behind GJ_EJOBFAULT, GJ_EBACKEND or GJ_ERECORD; 0 otherwise. */
    public int backendError() { return backendError; }

    /**
     * The one place where a gj_status becomes an exception. {@code job} is the job the call was about (NULL for a
     * backend call): only for the statuses that keep a driver code is gj_backend_error read, since a job that
     * returned GJ_EBADJOB may be freed memory.
     */
    public static GpuJobException of(int status, String what, MemorySegment job) {
        GpuJobStatus s = GpuJobStatus.of(status);
        boolean keepsDriverCode = s == GpuJobStatus.EJOBFAULT || s == GpuJobStatus.EBACKEND || s == GpuJobStatus.ERECORD;
        int driverCode = keepsDriverCode && !job.equals(MemorySegment.NULL) ? GpuJobLibrary.backendError(job) : 0;
        String message = what + ": " + GpuJobLibrary.strerror(status) + (driverCode != 0 ? " (driver code " + driverCode + ")" : "");
        return new GpuJobException(message, s, driverCode);
    }
}
