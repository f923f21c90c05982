package gpuos.interventions.allocation;

import static org.jocl.CL.CL_MAP_WRITE;
import static org.jocl.CL.CL_MEM_ALLOC_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clEnqueueMapBuffer;
import static org.jocl.CL.clEnqueueUnmapMemObject;
import static org.jocl.CL.clFinish;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jocl.cl_mem;

/**
 * alloc-per-op with the host side of the copy in page-locked memory made once per trial: CUDA's cuMemAllocHost;
 * OpenCL's portable equivalent, a CL_MEM_ALLOC_HOST_PTR buffer mapped once.
 */
@Intervention(summary = "alloc-per-op staging from page-locked (pinned) host memory instead of pageable memory",
        backends = {Backend.CUDA, Backend.OPENCL},
        predicts = {
            @Predict(metric = "time", direction = Direction.FALLS, against = "alloc-per-op",
                    why = "the GPU copies straight from pinned pages; pageable data is first copied into a driver staging buffer"),
            @Predict(metric = "syscalls.workload", direction = Direction.UNCHANGED, against = "alloc-per-op",
                    why = "pinning happened once at setup; the per-operation calls are the same")})
public final class PinnedHost implements OnCuda, OnOpenCl {
    private ByteBuffer clPinned;

    @Override
    public void setup(CudaWork work) {
        work.pinnedHost();
    }

    @Override
    public void run(CudaWork work) {
        AllocPerOp.run(work, work.pinnedHost());
    }

    @Override
    public void setup(OpenClWork work) {
        cl_mem host = work.cl.buffer(CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, work.bytes);
        clPinned = clEnqueueMapBuffer(work.cl.queue, host, true, CL_MAP_WRITE, 0, work.bytes, 0, null, null, null)
                .order(ByteOrder.nativeOrder());
        clPinned.put(0, work.pageableHost(), 0, work.bytes);
        // Unmapped before the session releases the buffer (releases run newest first).
        work.cl.onClose(() -> {
            clEnqueueUnmapMemObject(work.cl.queue, host, clPinned, 0, null, null);
            clFinish(work.cl.queue);
        });
    }

    @Override
    public void run(OpenClWork work) {
        AllocPerOp.run(work, clPinned);
    }
}
