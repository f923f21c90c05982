package gpuos.reports.results;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Phase-2 runner benchmarks {@code gpuos.interventions.runner.<Backend>Runner.operation} (docs/results-format.md,
 * "Phase 2: interventions"): one JMH param names the intervention, one its knobs; the others are the Phase-1 axes.
 */
public final class Runner {
    public static final String INTERVENTION = "intervention";
    public static final String KNOBS = "knobs";
    public static final String PLATFORM = "platform";
    private static final Pattern BENCHMARK = Pattern.compile("gpuos\\.interventions\\.runner\\.(\\w+)Runner\\.operation");

    private Runner() {}

    public static boolean isRunner(String benchmark) {
        return BENCHMARK.matcher(benchmark).matches();
    }

    public static boolean isRunner(BenchmarkPoint point) {
        return isRunner(point.benchmark());
    }

    /** {@code cuda} for CudaRunner, {@code opencl} for OpenClRunner, {@code cpu} for CpuRunner; empty for other benchmarks. */
    public static Optional<String> backend(String benchmark) {
        Matcher m = BENCHMARK.matcher(benchmark);
        return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
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
