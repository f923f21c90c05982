package gpuos.interventions.allocation;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clReleaseMemObject;

import gpuos.interventions.CpuWork;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Intervention;
import java.lang.foreign.Arena;
import jcuda.driver.CUdeviceptr;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * The allocation family's baseline: each operation allocates a buffer of {@code bytes}, stages the input into it
 * from ordinary (pageable) host memory, runs the reps work items on it, and frees it.
 */
@Intervention(summary = "allocate, fill, use and free a bytes-sized buffer in every operation",
        backends = {Backend.CPU, Backend.CUDA, Backend.OPENCL}, baseline = true)
public final class AllocPerOp implements OnCpu, OnCuda, OnOpenCl {
    @Override
    public void run(CpuWork work) {
        // malloc and free per operation: FFM's confined arena is exactly that.
        try (Arena arena = Arena.ofConfined()) {
            var buffer = arena.allocate(work.bytes, 64);
            for (int r = 0; r < work.reps; r++) work.copyItem(buffer);
        }
    }

    @Override
    public void run(CudaWork work) {
        run(work, work.pageableHost());
    }

    @Override
    public void run(OpenClWork work) {
        run(work, work.pageableHost());
    }

    /** One operation staging from {@code host}: pinned-host runs it with page-locked memory, the only change. */
    static void run(CudaWork work, jcuda.Pointer host) {
        CUdeviceptr buffer = new CUdeviceptr();
        cuMemAlloc(buffer, work.bytes);
        try {
            cuMemcpyHtoD(buffer, host, work.bytes);
            for (int r = 0; r < work.reps; r++) work.launchItemFrom(buffer, null);
            work.synchronize();
        } finally {
            cuMemFree(buffer);
        }
    }

    /** The same on OpenCL. */
    static void run(OpenClWork work, java.nio.ByteBuffer host) {
        cl_mem buffer = clCreateBuffer(work.cl.context, CL_MEM_READ_WRITE, work.bytes, null, null);
        try {
            clEnqueueWriteBuffer(work.cl.queue, buffer, false, 0, work.bytes, Pointer.to(host), 0, null, null);
            for (int r = 0; r < work.reps; r++) work.enqueueItemFrom(buffer);
            work.finish();
        } finally {
            clReleaseMemObject(buffer);
        }
    }
}
