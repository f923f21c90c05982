package gpuos.interventions.batching;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/**
 * The same reps launches, queued back to back with one wait at the end (OpenCL: one clFinish). Also the sync
 * family's "synchronize once at the end".
 */
@Intervention(summary = "reps launches queued back to back, one wait at the end (OpenCL: one clFinish)",
        backends = {Backend.CUDA, Backend.OPENCL},
        predicts = {
            @Predict(metric = "time", direction = Direction.FALLS, why = "launch latency overlaps GPU work; one wait instead of reps"),
            @Predict(metric = "syscalls.role.sync", direction = Direction.FALLS, on = Backend.OPENCL,
                    why = "only the last clFinish has to sleep; reps waits become one")})
public final class EnqueueBatch implements OnCuda, OnOpenCl {
    @Override
    public void run(CudaWork work) {
        for (int r = 0; r < work.reps; r++) work.launchItem();
        work.synchronize();
    }

    @Override
    public void run(OpenClWork work) {
        for (int r = 0; r < work.reps; r++) work.enqueueItem();
        work.finish();
    }
}
