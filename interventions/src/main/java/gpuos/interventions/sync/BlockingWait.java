package gpuos.interventions.sync;

import gpuos.benchmarks.cuda.WaitPolicy;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import gpuos.interventions.baseline.Baseline;

/** The baseline's loop in a context that sleeps in the kernel while it waits (CU_CTX_SCHED_BLOCKING_SYNC). */
@Intervention(summary = "the baseline loop, context wait policy blocking sync",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "syscalls.role.sync", direction = Direction.RISES,
                    why = "the waiting thread sleeps (futex or poll on the driver's fd) until the GPU's interrupt wakes it"),
            @Predict(metric = "time", direction = Direction.RISES, why = "a wake-up through the kernel is slower than a spinning poll"),
            @Predict(metric = "cpu.worker", direction = Direction.FALLS, why = "a sleeping worker burns no CPU while the GPU runs")})
public final class BlockingWait implements OnCuda {
    @Override
    public WaitPolicy waitPolicy() {
        return WaitPolicy.BLOCKING;
    }

    @Override
    public void run(CudaWork work) {
        Baseline.launchAndWaitEach(work);
    }
}
