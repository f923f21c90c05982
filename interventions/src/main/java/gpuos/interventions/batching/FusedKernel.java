package gpuos.interventions.batching;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/** The reps work items as one kernel that loops over them: one launch and one wait per operation. */
@Intervention(summary = "one launch of a kernel that does all reps work items, then one wait",
        backends = {Backend.CUDA, Backend.OPENCL},
        predicts = {
            @Predict(metric = "time", direction = Direction.FALLS, why = "one launch and one wait replace reps of each"),
            @Predict(metric = "syscalls.workload", direction = Direction.UNCHANGED, on = Backend.CUDA,
                    why = "CUDA launches and spin waits (auto policy) make no syscalls, so there are none to save"),
            @Predict(metric = "syscalls.role.sync", direction = Direction.FALLS, on = Backend.OPENCL,
                    why = "each clFinish that has to wait sleeps on a futex; one wait instead of reps")})
public final class FusedKernel implements OnCuda, OnOpenCl {
    @Override
    public void run(CudaWork work) {
        work.launchFused();
        work.synchronize();
    }

    @Override
    public void run(OpenClWork work) {
        work.enqueueFused();
        work.finish();
    }
}
