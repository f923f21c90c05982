package gpuos.interventions.jobs;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import gpuos.natives.gpujob.WaitMode;

/**
 * The baseline's loop with each item a GPU job, waited for duration-aware: sleep to the item's predicted end (learned
 * from its earlier runs) minus a margin, then poll the word the GPU writes to host memory.
 */
@Intervention(summary = "each item a GPU job (a graph of its launch), waited for duration-aware: sleep to the predicted end, then poll",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "syscalls.role.sync", direction = Direction.FALLS, against = "blocking-wait",
                    why = "one clock_nanosleep per item at most (none when the item is shorter than the wake-up delay) against the driver's futex/poll/read/write chain"),
            @Predict(metric = "time", direction = Direction.FALLS, against = "blocking-wait",
                    why = "the end is seen by polling from just before it, not through an interrupt, a helper thread and a futex wake"),
            @Predict(metric = "cpu.process", direction = Direction.FALLS, against = "spin-wait",
                    why = "asleep for the predicted GPU time instead of spinning through it; items shorter than the wake-up delay are polled as spin does")})
public final class JobPredictWait implements OnCuda {
    private ItemJob job;

    @Override
    public void setup(CudaWork work) {
        job = new ItemJob(work, false);
    }

    @Override
    public void run(CudaWork work) {
        job.runEach(work.reps, WaitMode.PREDICT);
    }

    @Override
    public void teardown(CudaWork work) {
        job.close();
    }
}
