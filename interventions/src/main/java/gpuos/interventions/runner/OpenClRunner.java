package gpuos.interventions.runner;

import gpuos.benchmarks.SweepAxes;
import gpuos.interventions.OpenClWork;
import gpuos.interventions.OnOpenCl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Runs the OpenCL side of an intervention on the platform {@code platform} names ({@code auto}, {@code pocl},
 * {@code nvidia}, ...): one operation = the intervention's {@code run} ({@code reps} enqueues' worth of work).
 * {@code java -jar interventions.jar OpenClRunner -p platform=pocl -p intervention=baseline,fused-kernel}.
 */
public class OpenClRunner extends SweepAxes {
    /** Names from the intervention index (interventions/README.md lists them). */
    @Param("baseline")
    public String intervention;

    /** {@code name=value;...} overriding the intervention's knob defaults; empty: the defaults. */
    @Param("")
    public String knobs;

    /** OpenCL platform: {@code auto} (the first found), or a key such as {@code pocl} or {@code nvidia}. */
    @Param("auto")
    public String platform;

    private Selected<OnOpenCl> selected;
    private OpenClWork work;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        selected = Selected.select(intervention, knobs, "opencl", OnOpenCl.class, params);
        selected.phase("setup", () -> {
            work = new OpenClWork(bytes, reps, platform, selected.knobs);
            try {
                selected.intervention.setup(work);
            } catch (RuntimeException | Error e) {
                work.close();
                work = null;
                throw e;
            }
        });
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
        selected.phase("teardown", () -> {
            try {
                selected.intervention.teardown(work);
            } finally {
                work.close();
            }
        });
    }
}
