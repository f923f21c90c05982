package gpuos.suite.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JMH invocation of a sweep: which benchmarks, which params, how long, and what it needs from the machine.
 * Its result lands in {@code jmh/<name>.json} and its console in {@code logs/<name>.log}.
 *
 * @param requires  what the part needs from the machine and the sweep, as data ({@link Requirement})
 * @param onFailure whether the first benchmark error ends the part, or JMH goes on with the next
 */
public record Part(String name, String include, Map<String, List<String>> params, Settings settings,
                   Set<Requirement> requires, OnFailure onFailure) {

    /** What a part needs; the sweep plans, skips or shapes the part by it. */
    public enum Requirement {
        /** Runs once per OpenCL platform found, as {@code <name>-<key>} with {@code -p platform=<key>}; skipped without one. */
        OPENCL_PLATFORM,
        /** Runs CUDA benchmarks: skipped where no CUDA driver or GPU is found. */
        CUDA,
        /** Its benchmarks attach a counter themselves (the profiler's overhead benchmarks): run without {@code -prof}. */
        OWN_COUNTER
    }

    /** What a benchmark that throws does to its part. */
    public enum OnFailure {
        /** {@code -foe true}: the first error fails the part. */
        STOP,
        /**
         * {@code -foe false}: the benchmark is dropped and JMH goes on with the next; for interventions, whose forks
         * log their own failures ({@code failures.jsonl}).
         */
        KEEP_GOING
    }

    /** A part that stops at its first error. */
    public Part(String name, String include, Map<String, List<String>> params, Settings settings, Set<Requirement> requires) {
        this(name, include, params, settings, requires, OnFailure.STOP);
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
        requires = requires.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(requires));
    }

    public boolean requires(Requirement requirement) {
        return requires.contains(requirement);
    }

    /** This part bound to one OpenCL platform. */
    public Part forPlatform(String key) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.put("platform", List.of(key));
        Set<Requirement> rest = EnumSet.noneOf(Requirement.class);
        rest.addAll(requires);
        rest.remove(Requirement.OPENCL_PLATFORM);
        return new Part(name + "-" + key, include, p, settings, rest, onFailure);
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
        args.addAll(List.of("-jvmArgsAppend", jvmArgs, "-foe", onFailure == OnFailure.KEEP_GOING ? "false" : "true"));
        if (profiler != null && !requires(Requirement.OWN_COUNTER)) args.addAll(List.of("-prof", profiler));
        args.addAll(List.of("-rf", "json", "-rff", resultFile));
        return args;
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    private static Map<String, List<String>> unmodifiable(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
