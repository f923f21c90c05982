package gpuos.interventions.failing;

import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/** Throws in setup, on purpose: FailingInterventionTest checks that it is reported and the run goes on. */
@Intervention(summary = "throws in setup on purpose", backends = Backend.CPU,
        predicts = @Predict(metric = "time", direction = Direction.UNCHANGED, why = "it never gets measured"))
public final class FailsInSetup implements OnCpu {
    @Override
    public void setup(CpuWork work) {
        throw new IllegalStateException("deliberate failure in setup");
    }

    @Override
    public void run(CpuWork work) {
        work.copyItem();
    }
}
