package gpuos.interventions.allocation;

import static jcuda.driver.JCudaDriver.cuMemAllocAsync;
import static jcuda.driver.JCudaDriver.cuMemFreeAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.natives.cuda.CudaMemPools;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * alloc-per-op with stream-ordered allocation: cuMemAllocAsync / cuMemFreeAsync on one stream, from the device's
 * default pool, whose release threshold (bytes kept across a synchronize) the subclass chooses.
 */
abstract class StreamOrderedAlloc implements OnCuda {
    private CUstream stream;
    private long previousThreshold;

    /** Bytes the pool keeps reserved when the stream synchronizes. */
    abstract long releaseThreshold(CudaWork work);

    @Override
    public void setup(CudaWork work) {
        stream = work.cuda.stream();
        previousThreshold = CudaMemPools.releaseThreshold(0);
        CudaMemPools.setReleaseThreshold(0, releaseThreshold(work));
    }

    @Override
    public void run(CudaWork work) {
        CUdeviceptr buffer = new CUdeviceptr();
        cuMemAllocAsync(buffer, work.bytes, stream);
        cuMemcpyHtoDAsync(buffer, work.pageableHost(), work.bytes, stream);
        for (int r = 0; r < work.reps; r++) work.launchItemFrom(buffer, stream);
        cuMemFreeAsync(buffer, stream);
        cuStreamSynchronize(stream);
    }

    @Override
    public void teardown(CudaWork work) {
        // The pool belongs to the device, not the context: leave it as found.
        CudaMemPools.setReleaseThreshold(0, previousThreshold);
    }
}
