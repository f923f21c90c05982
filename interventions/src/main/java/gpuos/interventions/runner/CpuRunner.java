package gpuos.interventions.runner;

import gpuos.benchmarks.SweepAxes;
import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Runs the CPU side of an intervention: one operation = the intervention's {@code run} ({@code reps} work items
 * of {@code bytes}). {@code java -jar interventions.jar CpuRunner -p intervention=baseline,alloc-per-op}.
 */
public class CpuRunner extends SweepAxes {
    /** Names from the intervention index (interventions/README.md lists them). */
    @Param("baseline")
    public String intervention;

    /** {@code name=value;...} overriding the intervention's knob defaults; empty: the defaults. */
    @Param("")
    public String knobs;

    private Selected<OnCpu> selected;
    private CpuWork work;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        selected = Selected.select(intervention, knobs, "cpu", OnCpu.class, params);
        selected.phase("setup", () -> {
            work = new CpuWork(bytes, reps, selected.knobs);
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
