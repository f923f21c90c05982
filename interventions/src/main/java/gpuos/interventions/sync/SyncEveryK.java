package gpuos.interventions.sync;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Knob;
import gpuos.interventions.annotations.Predict;

/** The same reps launches, with a wait after every k-th (and after the last). k = 1 is the baseline; k >= reps is enqueue-batch. */
@Intervention(summary = "wait after every k-th launch instead of after each",
        backends = {Backend.CUDA, Backend.OPENCL},
        knobs = @Knob(name = "k", value = "4", doc = "launches between two waits"),
        predicts = {
            @Predict(metric = "time", direction = Direction.FALLS, why = "k launches overlap per wait; reps/k waits instead of reps"),
            @Predict(metric = "syscalls.role.sync", direction = Direction.FALLS, on = Backend.OPENCL,
                    why = "every clFinish that waits sleeps on a futex; reps/k of them remain")})
public final class SyncEveryK implements OnCuda, OnOpenCl {
    private int k;

    @Override
    public void setup(CudaWork work) {
        k = checkedK(work.knobs.intValue("k"));
    }

    @Override
    public void setup(OpenClWork work) {
        k = checkedK(work.knobs.intValue("k"));
    }

    @Override
    public void run(CudaWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.launchItem();
            if ((r + 1) % k == 0 || r == work.reps - 1) work.synchronize();
        }
    }

    @Override
    public void run(OpenClWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.enqueueItem();
            if ((r + 1) % k == 0 || r == work.reps - 1) work.finish();
        }
    }

    private static int checkedK(int k) {
        if (k < 1) throw new IllegalArgumentException("knob k of sync-every-k is " + k + ": it must be at least 1");
        return k;
    }
}
