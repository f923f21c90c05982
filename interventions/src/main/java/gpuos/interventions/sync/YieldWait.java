package gpuos.interventions.sync;

import gpuos.benchmarks.cuda.WaitPolicy;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import gpuos.interventions.baseline.Baseline;

/** The baseline's loop in a context that yields its core while it waits (CU_CTX_SCHED_YIELD). */
@Intervention(summary = "the baseline loop, context wait policy yield",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "syscalls.sched_yield", direction = Direction.RISES, why = "the waiting thread calls sched_yield between polls"),
            @Predict(metric = "time", direction = Direction.UNCHANGED, why = "with no other runnable thread on the core, sched_yield returns at once")})
public final class YieldWait implements OnCuda {
    @Override
    public WaitPolicy waitPolicy() {
        return WaitPolicy.YIELD;
    }

    @Override
    public void run(CudaWork work) {
        Baseline.launchAndWaitEach(work);
    }
}
