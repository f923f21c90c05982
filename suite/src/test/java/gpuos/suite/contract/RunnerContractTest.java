package gpuos.suite.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gpuos.interventions.runner.Runners;
import gpuos.reports.results.Runner;
import org.junit.jupiter.api.Test;

/** The reports name a runner result's backend from a table; it is the one the interventions' runners declare. */
class RunnerContractTest {
    @Test
    void reportsKnowEveryRunnerAndItsBackend() {
        assertEquals(Runners.backendByBenchmark(), Runner.BACKENDS);
    }
}
