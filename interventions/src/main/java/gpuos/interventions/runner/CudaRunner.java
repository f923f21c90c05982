package gpuos.interventions.runner;

import gpuos.benchmarks.SweepAxes;
import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Runs the CUDA side of an intervention: one operation = the intervention's {@code run} ({@code reps} launches'
 * worth of work over {@code bytes}), in a context created with the intervention's wait policy.
 * {@code java -jar interventions.jar CudaRunner -p intervention=baseline,cuda-graph -p reps=16}.
 */
public class CudaRunner extends SweepAxes {
    /** Names from the intervention index (interventions/README.md lists them). */
    @Param("baseline")
    public String intervention;

    /** {@code name=value;...} overriding the intervention's knob defaults; empty: the defaults. */
    @Param("")
    public String knobs;

    private Selected<OnCuda> selected;
    private CudaWork work;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        selected = Selected.select(intervention, knobs, "cuda", OnCuda.class, params);
        selected.phase("setup", () -> {
            work = new CudaWork(bytes, reps, selected.intervention.waitPolicy(), selected.knobs);
            try {
                selected.intervention.setup(work);
            } catch (RuntimeException | Error e) {
                work.close();
                work = null;
                throw e;
            }
        });
    }

    // A context is current per thread; JMH may run iterations on another thread than setup (no syscall).
    @Setup(Level.Iteration)
    public void bindContext() {
        if (work != null) work.cuda.makeCurrent();
    }

    @Benchmark
    public void operation() {
        try {
            selected.intervention.run(work);
        } catch (RuntimeException | Error e) {
            selected.runFailed(e);
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (selected == null || work == null) return;
        work.cuda.makeCurrent();
        selected.phase("teardown", () -> {
            try {
                selected.intervention.teardown(work);
            } finally {
                work.close();
            }
        });
    }
}
