package gpuos.interventions.allocation;

import gpuos.interventions.CudaWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Knob;
import gpuos.interventions.annotations.Predict;

/** Stream-ordered allocation with a pool that keeps what it reserved across synchronizations. */
@Intervention(summary = "cuMemAllocAsync/cuMemFreeAsync per operation, pool release threshold kept high (memory stays reserved)",
        backends = Backend.CUDA,
        knobs = @Knob(name = "releaseThreshold", value = "max", doc = "bytes the pool keeps across a synchronize (max: all)"),
        predicts = {
            @Predict(metric = "syscalls.role.dispatch", direction = Direction.FALLS, against = "alloc-per-op",
                    why = "the pool keeps its memory mapped across synchronizations, so an operation maps nothing"),
            @Predict(metric = "syscalls.role.dispatch", direction = Direction.FALLS, against = "async-alloc-release",
                    why = "the release threshold alone decides whether the pool goes back to the driver at each synchronize")})
public final class AsyncAllocKeep extends StreamOrderedAlloc {
    @Override
    long releaseThreshold(CudaWork work) {
        return work.knobs.longValue("releaseThreshold");
    }
}
