package gpuos.interventions.samples;

import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/**
 * Sample 1: an intervention is one class. The annotation says what it is and what it predicts; {@code run} is one
 * operation of {@code work.reps} work items. This one gives up the core after each item.
 *
 * <pre>java -jar suite/target/gpuos.jar CpuRunner -p intervention=baseline,sample-yield-per-item \
 *     -p reps=16 -f 3 -wi 1 -i 3 -prof gpuos.profiler.LinuxSyscallProfiler</pre>
 */
@Intervention(name = "sample-yield-per-item", summary = "the baseline's copies, with Thread.yield() after each",
        backends = Backend.CPU,
        predicts = @Predict(metric = "syscalls.sched_yield", direction = Direction.RISES, why = "HotSpot's Thread.yield() is one sched_yield"))
public final class Sample01YieldPerItem implements OnCpu {
    @Override
    public void run(CpuWork work) {
        for (int r = 0; r < work.reps; r++) {
            work.copyItem();
            Thread.yield();
        }
    }
}
