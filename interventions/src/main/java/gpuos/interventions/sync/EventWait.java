package gpuos.interventions.sync;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import org.jocl.cl_event;

/**
 * Waits for each launch through an event instead of the whole context: CUDA records a blocking-sync event after
 * the launch and waits on it; OpenCL waits on the launch's completion event.
 */
@Intervention(summary = "wait for each launch on an event (CUDA: a blocking-sync event) instead of the context or queue",
        backends = {Backend.CUDA, Backend.OPENCL},
        predicts = {
            @Predict(metric = "syscalls.role.sync", direction = Direction.RISES, on = Backend.CUDA,
                    why = "a CU_EVENT_BLOCKING_SYNC event sleeps in the kernel, where the auto-policy context spins"),
            @Predict(metric = "time", direction = Direction.RISES, on = Backend.CUDA,
                    why = "waking a sleeping thread takes longer than a spinning one noticing"),
            @Predict(metric = "syscalls.role.sync", direction = Direction.UNCHANGED, on = Backend.OPENCL,
                    why = "waiting on the last command's event is what clFinish does on an in-order queue")})
public final class EventWait implements OnCuda, OnOpenCl {
    private CUevent done;

    @Override
    public void setup(CudaWork work) {
        done = new CUevent();
        cuEventCreate(done, CUevent_flags.CU_EVENT_BLOCKING_SYNC | CUevent_flags.CU_EVENT_DISABLE_TIMING);
        work.cuda.onClose(() -> cuEventDestroy(done));
    }

    @Override
    public void run(CudaWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.launchItem();
            cuEventRecord(done, null);
            cuEventSynchronize(done);
        }
    }

    @Override
    public void run(OpenClWork work) {
        for (int r = 0; r < work.reps; r++) {
            cl_event e = work.enqueueItemWithEvent();
            try {
                clWaitForEvents(1, new cl_event[] {e});
            } finally {
                clReleaseEvent(e);
            }
        }
    }
}
