package gpuos.interventions.runner;

import gpuos.interventions.CpuWork;
import gpuos.interventions.Knobs;
import gpuos.interventions.OnCpu;

/**
 * Runs the CPU side of an intervention: one operation = the intervention's {@code run} ({@code reps} work items
 * of {@code bytes}). {@code java -jar gpuos.jar CpuRunner -p intervention=baseline,alloc-per-op}.
 */
public class CpuRunner extends InterventionRunner<OnCpu, CpuWork> {
    @Override String backend() { return "cpu"; }

    @Override Class<OnCpu> lifecycle() { return OnCpu.class; }

    @Override CpuWork open(OnCpu intervention, Knobs knobs) { return new CpuWork(bytes, reps, knobs); }

    @Override void setup(OnCpu intervention, CpuWork work) { intervention.setup(work); }

    @Override void run(OnCpu intervention, CpuWork work) { intervention.run(work); }

    @Override void teardown(OnCpu intervention, CpuWork work) { intervention.teardown(work); }
}
