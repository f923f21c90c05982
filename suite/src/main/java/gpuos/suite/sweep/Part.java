package gpuos.suite.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JMH invocation of a sweep: which benchmarks, which params, how long. Its result lands in
 * {@code jmh/<name>.json} and its console in {@code logs/<name>.log}.
 *
 * @param perOpenClPlatform the part runs once per OpenCL platform found, as {@code <name>-<key>} with
 *                          {@code -p platform=<key>}, and is skipped on machines without one
 * @param countsItself      its benchmarks attach a counter themselves (the profiler's overhead benchmarks),
 *                          so the part runs without {@code -prof}
 * @param needsCuda         the part runs CUDA benchmarks and is skipped where no CUDA driver or GPU is found
 * @param keepGoing         a benchmark that throws is dropped and JMH goes on with the next ({@code -foe false}); for
 *                          interventions, whose forks log their own failures ({@code failures.jsonl}). Otherwise the
 *                          first error fails the part
 */
public record Part(String name, String include, Map<String, List<String>> params, Settings settings, boolean perOpenClPlatform,
                   boolean countsItself, boolean needsCuda, boolean keepGoing) {

    public Part(String name, String include, Map<String, List<String>> params, Settings settings, boolean perOpenClPlatform,
                boolean countsItself, boolean needsCuda) {
        this(name, include, params, settings, perOpenClPlatform, countsItself, needsCuda, false);
    }

    public Part(String name, String include, Map<String, List<String>> params, Settings settings, boolean perOpenClPlatform) {
        this(name, include, params, settings, perOpenClPlatform, false, false);
    }

    public Part(String name, String include, Map<String, List<String>> params, Settings settings, boolean perOpenClPlatform, boolean countsItself) {
        this(name, include, params, settings, perOpenClPlatform, countsItself, false);
    }

    /** Forks, warmup and measurement of a part. The fork is the unit of replication: never fewer than 3. */
    public record Settings(int forks, int warmupIterations, Duration warmupTime, int measurementIterations, Duration measurementTime) {
        public static final int MIN_FORKS = 3;

        public Settings {
            if (forks < MIN_FORKS) throw new IllegalArgumentException("forks " + forks + " < " + MIN_FORKS + ": the fork is the unit of replication");
        }
    }

    public Part {
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) throw new IllegalArgumentException("part name '" + name + "' is not kebab-case");
        params = unmodifiable(params);
    }

    /** This part bound to one OpenCL platform. */
    public Part forPlatform(String key) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.put("platform", List.of(key));
        return new Part(name + "-" + key, include, p, settings, false, countsItself, needsCuda, keepGoing);
    }

    /** Number of param combinations per benchmark method: JMH runs the cross product. */
    public int paramCombinations() {
        return params.values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
    }

    /**
     * The JMH command line of this part (without the jar): the sweep parses exactly these arguments, and prints
     * them with {@code --dry-run} so a part can be rerun by hand.
     */
    public List<String> jmhArgs(String resultFile, String profiler) {
        return jmhArgs(resultFile, profiler, null);
    }

    /** As {@link #jmhArgs(String, String)}; forks that fail log it to {@code failuresFile} when not null. */
    public List<String> jmhArgs(String resultFile, String profiler, String failuresFile) {
        List<String> args = new ArrayList<>(List.of(include,
                "-f", Integer.toString(settings.forks()),
                "-wi", Integer.toString(settings.warmupIterations()), "-w", millis(settings.warmupTime()),
                "-i", Integer.toString(settings.measurementIterations()), "-r", millis(settings.measurementTime())));
        params.forEach((k, v) -> args.addAll(List.of("-p", k + "=" + String.join(",", v))));
        // Forks get native access only through the command line or @Fork, never from the jar manifest.
        String jvmArgs = "--enable-native-access=ALL-UNNAMED" + (failuresFile == null ? "" : " -Dgpuos.failures=" + failuresFile);
        args.addAll(List.of("-jvmArgsAppend", jvmArgs, "-foe", keepGoing ? "false" : "true"));
        if (profiler != null && !countsItself) args.addAll(List.of("-prof", profiler));
        args.addAll(List.of("-rf", "json", "-rff", resultFile));
        return args;
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    private static Map<String, List<String>> unmodifiable(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
