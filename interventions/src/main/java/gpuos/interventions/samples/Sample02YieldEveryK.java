package gpuos.interventions.samples;

import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Knob;
import gpuos.interventions.annotations.Predict;

/**
 * Sample 2: knobs. A knob is declared with its default in the annotation, read from {@code work.knobs} (best in
 * {@code setup}, once), and set from the command line with {@code -p knobs=k=8}; the value lands in the results
 * as that param. A prediction can name any other intervention as its baseline: here, sample 1.
 *
 * <pre>java -jar suite/target/gpuos.jar CpuRunner -p intervention=sample-yield-every-k \
 *     -p knobs=,k=8 -p reps=16 -f 3 -wi 1 -i 4 -prof gpuos.profiler.LinuxSyscallProfiler</pre>
 */
@Intervention(name = "sample-yield-every-k", summary = "the baseline's copies, with Thread.yield() after every k-th",
        backends = Backend.CPU,
        knobs = @Knob(name = "k", value = "4", doc = "copies between two yields"),
        predicts = @Predict(metric = "syscalls.sched_yield", direction = Direction.FALLS, against = "sample-yield-per-item",
                why = "reps/k yields instead of reps"))
public final class Sample02YieldEveryK implements OnCpu {
    private int k;

    @Override
    public void setup(CpuWork work) {
        k = work.knobs.intValue("k");
        if (k < 1) throw new IllegalArgumentException("knob k of sample-yield-every-k is " + k + ": it must be at least 1");
    }

    @Override
    public void run(CpuWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.copyItem();
            if ((r + 1) % k == 0) Thread.yield();
        }
    }
}
