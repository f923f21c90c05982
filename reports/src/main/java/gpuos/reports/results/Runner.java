package gpuos.reports.results;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Phase-2 runner benchmarks {@code gpuos.interventions.runner.<Backend>Runner.operation} (docs/results-format.md,
 * "Phase 2: interventions"): one JMH param names the intervention, one its knobs; the others are the Phase-1 axes.
 */
public final class Runner {
    public static final String INTERVENTION = "intervention";
    public static final String KNOBS = "knobs";
    public static final String PLATFORM = "platform";
    /**
     * The runner benchmarks and their backends, as the interventions declare them
     * ({@code gpuos.interventions.runner.Runners}; the suite's contract test keeps the two equal). Benchmark names are
     * the results' own data, so runs archived before this table read the same.
     */
    public static final Map<String, String> BACKENDS = Map.of(
            "gpuos.interventions.runner.CpuRunner.operation", "cpu",
            "gpuos.interventions.runner.CudaRunner.operation", "cuda",
            "gpuos.interventions.runner.OpenClRunner.operation", "opencl");

    private Runner() {}

    public static boolean isRunner(String benchmark) {
        return BACKENDS.containsKey(benchmark);
    }

    public static boolean isRunner(BenchmarkPoint point) {
        return isRunner(point.benchmark());
    }

    /** {@code cuda} for CudaRunner, {@code opencl} for OpenClRunner, {@code cpu} for CpuRunner; empty for other benchmarks. */
    public static Optional<String> backend(String benchmark) {
        return Optional.ofNullable(BACKENDS.get(benchmark));
    }

    /** The intervention param; empty text where the entry has none. */
    public static String intervention(Map<String, String> params) {
        return params.getOrDefault(INTERVENTION, "");
    }

    /** The knobs param: {@code ""} means the annotation's defaults. */
    public static String knobs(Map<String, String> params) {
        return params.getOrDefault(KNOBS, "");
    }

    /**
     * Where an intervention and its baseline are paired: the params without {@code intervention} and {@code knobs}
     * (docs/results-format.md: same runner benchmark, same params except those two).
     */
    public static SortedMap<String, String> pairingParams(Map<String, String> params) {
        SortedMap<String, String> rest = new TreeMap<>(params);
        rest.remove(INTERVENTION);
        rest.remove(KNOBS);
        return rest;
    }
}
