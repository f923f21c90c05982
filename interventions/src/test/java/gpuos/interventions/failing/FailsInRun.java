package gpuos.interventions.failing;

import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;

/** Throws in run, on purpose: FailingInterventionTest checks that it is reported and the run goes on. */
@Intervention(summary = "throws in run on purpose", backends = Backend.CPU,
        predicts = @Predict(metric = "time", direction = Direction.UNCHANGED, why = "it never gets measured"))
public final class FailsInRun implements OnCpu {
    private int calls;

    @Override
    public void run(CpuWork work) {
        // A few good operations first: the failure comes in the middle of a measurement.
        if (++calls > 100) throw new IllegalStateException("deliberate failure in run, operation " + calls);
        work.copyItem();
    }
}
