package gpuos.natives.gpujob;

/**
 * A job's work, as {@code gj_record_fn}: enqueue it onto {@code nativeQueue} (CUDA: the CUstream being captured,
 * the job's context current, called once by {@link GpuJob#record}; OpenCL: the job's cl_command_queue, called at
 * every {@link GpuJob#submit}). Returns 0, or a driver code that fails the call with GJ_ERECORD. Runs as an upcall:
 * keep it free of allocation, since OpenCL replays it per submission.
 */
@FunctionalInterface
public interface Recorder {
    int record(long job, long nativeQueue);
}
