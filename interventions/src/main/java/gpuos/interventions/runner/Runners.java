package gpuos.interventions.runner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner benchmarks and the backend each runs, as data: the reports name a result's backend by its benchmark
 * ({@code gpuos.reports.results.Runner.BACKENDS}), and the suite's contract test holds that table to this one.
 * A new backend's runner is added here.
 */
public final class Runners {
    private static final List<InterventionRunner<?, ?>> ALL = List.of(new CpuRunner(), new CudaRunner(), new OpenClRunner());

    private Runners() {}

    /** {@code gpuos.interventions.runner.CudaRunner.operation} to {@code cuda}, and so on, in a fixed order. */
    public static Map<String, String> backendByBenchmark() {
        Map<String, String> out = new LinkedHashMap<>();
        for (InterventionRunner<?, ?> runner : ALL) out.put(runner.getClass().getName() + ".operation", runner.backend());
        return out;
    }
}
