package gpuos.interventions.baseline;

import gpuos.interventions.CpuWork;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Intervention;

/**
 * The naive loop the batching and sync interventions restructure: every work item is its own launch, and the
 * host waits for each before the next. Context wait policy: auto.
 */
@Intervention(summary = "each work item is one launch followed by one wait (the naive loop)",
        backends = {Backend.CPU, Backend.CUDA, Backend.OPENCL}, baseline = true)
public final class Baseline implements OnCpu, OnCuda, OnOpenCl {
    @Override
    public void run(CpuWork work) {
        for (int r = 0; r < work.reps; r++) work.copyItem();
    }

    @Override
    public void run(CudaWork work) {
        launchAndWaitEach(work);
    }

    @Override
    public void run(OpenClWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.enqueueItem();
            work.finish();
        }
    }

    /** The baseline's CUDA loop; the wait-policy interventions run it in a context with another policy. */
    public static void launchAndWaitEach(CudaWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.launchItem();
            work.synchronize();
        }
    }
}
