package gpuos.interventions.jobs;

import gpuos.benchmarks.cuda.CudaSession;
import gpuos.interventions.CudaWork;
import gpuos.natives.cuda.Ptx;
import gpuos.natives.gpujob.CudaKernel;
import gpuos.natives.gpujob.GpuJob;
import gpuos.natives.gpujob.GpuJobBackend;
import gpuos.natives.gpujob.GpuJobStats;
import gpuos.natives.gpujob.WaitMode;
import jcuda.driver.CUdeviceptr;

/**
 * One work item as a GPU job ({@code natives/src/main/c/gpujob}, docs/gpu-job.md): the baseline's launch of
 * {@code accumulate} over the work's buffers, captured once into the job's graph in the work's own context (JCuda's,
 * current on this thread), then submitted and waited for per item. Closed with the work, before its context.
 */
final class ItemJob implements AutoCloseable {
    private final GpuJobBackend backend;
    private final CudaKernel accumulate;
    private final GpuJob job;

    ItemJob(CudaWork work, boolean completionFd) {
        backend = GpuJobBackend.openCuda(0, GpuJobBackend.CUDA_CURRENT_CONTEXT);
        CudaKernel kernel = null;
        GpuJob made = null;
        try {
            kernel = CudaKernel.load(backend, Ptx.image("accumulate"), "accumulate");
            made = backend.createJob(completionFd ? GpuJob.Options.DEFAULT.withCompletionFd() : GpuJob.Options.DEFAULT);
            // accumulate(a, b, c, n): n is an int; the driver reads its 4 bytes from the first of the 8 passed (little-endian).
            made.record(kernel.launch(work.blocks, CudaSession.BLOCK, address(work.a), address(work.b), address(work.c), work.floats));
        } catch (RuntimeException e) {
            if (made != null) made.close();
            if (kernel != null) kernel.close();
            backend.close();
            throw e;
        }
        accumulate = kernel;
        job = made;
    }

    /** {@code work.reps} items, each one submission waited for in {@code mode}. */
    void runEach(int reps, WaitMode mode) {
        for (int i = 0; i < reps; i++) {
            job.submit();
            job.await(mode);
        }
    }

    GpuJobStats stats() {
        return job.stats();
    }

    @Override
    public void close() {
        try {
            job.close();
        } finally {
            try {
                accumulate.close();
            } finally {
                backend.close();
            }
        }
    }

    /** The device address behind a JCuda pointer: JCuda keeps it in a field only subclasses can read. */
    static long address(CUdeviceptr pointer) {
        return new Address(pointer).value();
    }

    private static final class Address extends CUdeviceptr {
        Address(CUdeviceptr of) {
            super(of);
        }

        long value() {
            return getNativePointer();
        }
    }
}
