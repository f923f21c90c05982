package gpuos.interventions.failing;

import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/** Throws in teardown, on purpose: FailingInterventionTest checks that it is reported and the run goes on. */
@Intervention(summary = "throws in teardown on purpose", backends = Backend.CPU,
        predicts = @Predict(metric = "time", direction = Direction.UNCHANGED, why = "it never gets measured"))
public final class FailsInTeardown implements OnCpu {
    @Override
    public void run(CpuWork work) {
        work.copyItem();
    }

    @Override
    public void teardown(CpuWork work) {
        throw new IllegalStateException("deliberate failure in teardown");
    }
}
