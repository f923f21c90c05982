package gpuos.profiler.external;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * External-mode runs in the shape of JMH's JSON results (docs/results-format.md), so the reports module
 * charts them like benchmarks: one entry per phase name, benchmark {@code external.<name>.<phase>};
 * a run is a fork, an occurrence of the phase is an iteration, the score is wall ms per operation (the count its
 * marker announced, 1 if none); {@code cpu.process.norm} and the syscall labels are per operation too.
 */
final class ExternalResults {
    private ExternalResults() {}

    /**
     * @param overflowMarkers per run, the markers past the limit whose phases went into "overflow"; the overflow
     *                        entry carries them as {@code overflowMarkers} (docs/results-format.md)
     */
    static String toJson(String name, List<String> command, List<List<PhaseOccurrence>> runs, List<Long> overflowMarkers) {
        Map<String, List<List<PhaseOccurrence>>> byPhase = new LinkedHashMap<>();
        for (int run = 0; run < runs.size(); run++) {
            for (PhaseOccurrence p : runs.get(run)) {
                List<List<PhaseOccurrence>> perRun = byPhase.computeIfAbsent(p.name(), k -> new ArrayList<>());
                while (perRun.size() < runs.size()) perRun.add(new ArrayList<>());
                perRun.get(run).add(p);
            }
        }
        JsonArray out = new JsonArray();
        byPhase.forEach((phase, perRun) -> {
            JsonObject e = entry(name, command, phase, perRun.stream().filter(l -> !l.isEmpty()).toList());
            if (phase.equals(PhaseTrace.OVERFLOW_PHASE)) {
                JsonArray merged = new JsonArray();
                overflowMarkers.forEach(merged::add);
                e.add("overflowMarkers", merged);
            }
            out.add(e);
        });
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(out);
    }

    private static JsonObject entry(String name, List<String> command, String phase, List<List<PhaseOccurrence>> perRun) {
        JsonObject e = new JsonObject();
        e.addProperty("jmhVersion", "external");
        e.addProperty("benchmark", "external." + name + "." + phase);
        e.addProperty("mode", "ss");
        e.addProperty("threads", 1);
        e.addProperty("forks", perRun.size());
        e.addProperty("jvm", command.get(0));
        JsonArray args = new JsonArray();
        command.subList(1, command.size()).forEach(args::add);
        e.add("jvmArgs", args);
        e.add("params", new JsonObject());
        e.add("primaryMetric", metric(perRun, p -> p.nanos() / 1e6 / p.ops(), "ms/op"));
        Set<String> labels = new LinkedHashSet<>();
        perRun.forEach(run -> run.forEach(p -> labels.addAll(p.tally().labels(1, false).keySet())));
        JsonObject secondary = new JsonObject();
        // NaN where the CPU clock could not be read (PhaseTrace says when).
        secondary.add("cpu.process.norm", metric(perRun, p -> p.cpuNanos() < 0 ? Double.NaN : (double) p.cpuNanos() / p.ops(), "ns/op"));
        secondary.add("phase.ops", metric(perRun, p -> p.ops(), "#"));
        // Every label in every occurrence, zeros included: an occurrence is one observation.
        for (String label : labels) secondary.add(label, metric(perRun, p -> p.tally().labels(p.ops(), false).getOrDefault(label, 0.0), "#/op"));
        e.add("secondaryMetrics", secondary);
        return e;
    }

    private static JsonObject metric(List<List<PhaseOccurrence>> perRun, java.util.function.ToDoubleFunction<PhaseOccurrence> value, String unit) {
        JsonArray raw = new JsonArray();
        double sum = 0;
        int n = 0;
        for (List<PhaseOccurrence> run : perRun) {
            JsonArray r = new JsonArray();
            for (PhaseOccurrence p : run) {
                double v = value.applyAsDouble(p);
                r.add(v);
                sum += v;
                n++;
            }
            raw.add(r);
        }
        JsonObject m = new JsonObject();
        m.addProperty("score", n == 0 ? Double.NaN : sum / n);
        m.addProperty("scoreUnit", unit);
        m.add("rawData", raw);
        return m;
    }
}
