package gpuos.interventions.runner;

import gpuos.interventions.CudaWork;
import gpuos.interventions.Knobs;
import gpuos.interventions.OnCuda;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Runs the CUDA side of an intervention: one operation = the intervention's {@code run} ({@code reps} launches'
 * worth of work over {@code bytes}), in a context created with the intervention's wait policy.
 * {@code java -jar gpuos.jar CudaRunner -p intervention=baseline,cuda-graph -p reps=16}.
 */
public class CudaRunner extends InterventionRunner<OnCuda, CudaWork> {
    @Override String backend() { return "cuda"; }

    @Override Class<OnCuda> lifecycle() { return OnCuda.class; }

    @Override CudaWork open(OnCuda intervention, Knobs knobs) { return new CudaWork(bytes, reps, intervention.waitPolicy(), knobs); }

    @Override void setup(OnCuda intervention, CudaWork work) { intervention.setup(work); }

    @Override void run(OnCuda intervention, CudaWork work) { intervention.run(work); }

    @Override void teardown(OnCuda intervention, CudaWork work) { intervention.teardown(work); }

    // A context is current per thread, and JMH may tear down on another thread than the one that set up.
    @Override void beforeTeardown(CudaWork work) { work.cuda.makeCurrent(); }

    // Likewise for iterations (a thread-local store, no system call).
    @Setup(Level.Iteration)
    public void bindContext() {
        if (work() != null) work().cuda.makeCurrent();
    }
}
