package gpuos.interventions.allocation;

import gpuos.interventions.CudaWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/** Stream-ordered allocation with the pool's release threshold at 0 (the driver's default). */
@Intervention(summary = "cuMemAllocAsync/cuMemFreeAsync per operation, pool release threshold 0 (returns memory at every sync)",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "syscalls.role.dispatch", direction = Direction.UNCHANGED, against = "alloc-per-op",
                    why = "with threshold 0 the pool unmaps its memory at each synchronize and maps it again next time, like cuMemAlloc/cuMemFree")})
public final class AsyncAllocRelease extends StreamOrderedAlloc {
    @Override
    long releaseThreshold(CudaWork work) {
        return 0;
    }
}
