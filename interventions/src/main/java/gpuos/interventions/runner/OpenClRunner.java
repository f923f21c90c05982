package gpuos.interventions.runner;

import gpuos.interventions.Knobs;
import gpuos.interventions.OnOpenCl;
import gpuos.interventions.OpenClWork;
import org.openjdk.jmh.annotations.Param;

/**
 * Runs the OpenCL side of an intervention on the platform {@code platform} names ({@code auto}, {@code pocl},
 * {@code nvidia}, ...): one operation = the intervention's {@code run} ({@code reps} enqueues' worth of work).
 * {@code java -jar gpuos.jar OpenClRunner -p platform=pocl -p intervention=baseline,fused-kernel}.
 */
public class OpenClRunner extends InterventionRunner<OnOpenCl, OpenClWork> {
    /** OpenCL platform: {@code auto} (the first found), or a key such as {@code pocl} or {@code nvidia}. */
    @Param("auto")
    public String platform;

    @Override String backend() { return "opencl"; }

    @Override Class<OnOpenCl> lifecycle() { return OnOpenCl.class; }

    @Override OpenClWork open(OnOpenCl intervention, Knobs knobs) { return new OpenClWork(bytes, reps, platform, knobs); }

    @Override void setup(OnOpenCl intervention, OpenClWork work) { intervention.setup(work); }

    @Override void run(OnOpenCl intervention, OpenClWork work) { intervention.run(work); }

    @Override void teardown(OnOpenCl intervention, OpenClWork work) { intervention.teardown(work); }
}
