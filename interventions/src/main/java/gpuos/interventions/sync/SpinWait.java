package gpuos.interventions.sync;

import gpuos.benchmarks.cuda.WaitPolicy;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import gpuos.interventions.baseline.Baseline;

/** The baseline's loop in a context that spins while it waits (CU_CTX_SCHED_SPIN). */
@Intervention(summary = "the baseline loop, context wait policy spin",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "syscalls.role.sync", direction = Direction.UNCHANGED,
                    why = "auto already spins when the process has fewer contexts than cores"),
            @Predict(metric = "cpu.worker", direction = Direction.UNCHANGED, why = "auto already spins: the worker burns the same CPU while waiting")})
public final class SpinWait implements OnCuda {
    @Override
    public WaitPolicy waitPolicy() {
        return WaitPolicy.SPIN;
    }

    @Override
    public void run(CudaWork work) {
        Baseline.launchAndWaitEach(work);
    }
}
