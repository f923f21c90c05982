package gpuos.interventions.allocation;

import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clEnqueueWriteBuffer;

import gpuos.interventions.CpuWork;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jcuda.driver.CUdeviceptr;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/** alloc-per-op with the buffer made once per trial and reused: the allocation leaves the operation. */
@Intervention(summary = "the buffer of alloc-per-op made once per trial and reused by every operation",
        backends = {Backend.CPU, Backend.CUDA, Backend.OPENCL},
        predicts = {
            @Predict(metric = "syscalls.role.dispatch", direction = Direction.FALLS, against = "alloc-per-op", on = Backend.CUDA,
                    why = "cuMemAlloc and cuMemFree map and unmap device memory through ioctls on /dev/nvidia*"),
            @Predict(metric = "syscalls.workload", direction = Direction.FALLS, against = "alloc-per-op", on = {Backend.CPU, Backend.OPENCL},
                    why = "large malloc/free pairs are mmap/munmap pairs; a reused buffer needs neither"),
            @Predict(metric = "time", direction = Direction.FALLS, against = "alloc-per-op", why = "no allocation or free per operation")})
public final class PooledBuffer implements OnCpu, OnCuda, OnOpenCl {
    private Arena arena;
    private MemorySegment cpuBuffer;
    private CUdeviceptr cudaBuffer;
    private cl_mem clBuffer;

    @Override
    public void setup(CpuWork work) {
        arena = Arena.ofShared();
        cpuBuffer = arena.allocate(work.bytes, 64);
    }

    @Override
    public void run(CpuWork work) {
        for (int r = 0; r < work.reps; r++) work.copyItem(cpuBuffer);
    }

    @Override
    public void teardown(CpuWork work) {
        arena.close();
    }

    @Override
    public void setup(CudaWork work) {
        cudaBuffer = work.cuda.deviceBuffer(work.bytes);
    }

    @Override
    public void run(CudaWork work) {
        cuMemcpyHtoD(cudaBuffer, work.pageableHost(), work.bytes);
        for (int r = 0; r < work.reps; r++) work.launchItemFrom(cudaBuffer, null);
        work.synchronize();
    }

    @Override
    public void setup(OpenClWork work) {
        clBuffer = work.cl.buffer(CL_MEM_READ_WRITE, work.bytes);
    }

    @Override
    public void run(OpenClWork work) {
        clEnqueueWriteBuffer(work.cl.queue, clBuffer, false, 0, work.bytes, Pointer.to(work.pageableHost()), 0, null, null);
        for (int r = 0; r < work.reps; r++) work.enqueueItemFrom(clBuffer);
        work.finish();
    }
}
