package gpuos.interventions.jobs;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import gpuos.natives.gpujob.WaitMode;

/**
 * The baseline's loop with each item a GPU job whose end an eventfd shows: the worker blocks in read(2) on it, as an
 * event loop would in epoll; the job's completion thread writes it at the end it saw.
 */
@Intervention(summary = "each item a GPU job with a completion fd; the worker blocks in read(2) on it",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "syscalls.total", direction = Direction.FALLS, against = "blocking-wait",
                    why = "read + the completion thread's clock_nanosleep + write: 3 per item against the driver's 5-7"),
            @Predict(metric = "cpu.worker", direction = Direction.FALLS, against = "spin-wait",
                    why = "the worker sleeps in read(2) for the whole item; the polling moves to the completion thread")})
public final class JobFdWait implements OnCuda {
    private ItemJob job;

    @Override
    public void setup(CudaWork work) {
        job = new ItemJob(work, true);
    }

    @Override
    public void run(CudaWork work) {
        job.runEach(work.reps, WaitMode.FD);
    }

    @Override
    public void teardown(CudaWork work) {
        job.close();
    }
}
