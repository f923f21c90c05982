package gpuos.reports;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Synthetic Phase-2 results folders: runner benchmark entries in the shape JMH writes with -rf json (the fields of a
 * committed jmh/*.json: jmhVersion, forks, params, primaryMetric and secondaryMetrics with score, scoreError,
 * scoreConfidence, scorePercentiles, scoreUnit and rawData[fork][iteration]), interventions.json and failures.jsonl.
 *
 * <p>Each entry has 3 measurement iterations per fork and no warmup iteration removed by the profiler but the last
 * (the profiler leaves out the last iteration, as it does in real runs), so syscall labels have 2 values per fork; a
 * per-syscall label is emitted only in iterations where it is non-zero. The fork value of every label is the number
 * given.
 */
public final class RunnerFixtures {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    static final List<String> ROLES = List.of("dispatch", "sync", "memory", "io", "threads", "other");
    static final List<String> THREADS = List.of("worker", "runtime", "jvm");

    private RunnerFixtures() {}

    /** One runner benchmark entry at one point; {@code platform} null for CPU and CUDA. */
    public static Entry entry(String backend, String platform, String intervention, String knobs, long bytes, long reps) {
        String runner = switch (backend) {
            case "cuda" -> "CudaRunner";
            case "opencl" -> "OpenClRunner";
            case "cpu" -> "CpuRunner";
            default -> throw new IllegalArgumentException(backend);
        };
        Map<String, String> params = new TreeMap<>();
        params.put("bytes", Long.toString(bytes));
        params.put("intervention", intervention);
        params.put("knobs", knobs);
        params.put("reps", Long.toString(reps));
        if (platform != null) params.put("platform", platform);
        return new Entry("gpuos.interventions.runner." + runner + ".operation", params);
    }

    /** An entry of any benchmark ({@code gpuos.benchmarks.cuda.CudaExecution.spin}) with the given params. */
    public static Entry benchmark(String benchmark, Map<String, String> params) {
        return new Entry(benchmark, new TreeMap<>(params));
    }

    public static final class Entry {
        final String benchmark;
        final Map<String, String> params;
        double[] score;
        final Map<String, double[]> labels = new LinkedHashMap<>();
        final Map<String, double[][]> iterationLabels = new LinkedHashMap<>();
        boolean profiled;

        Entry(String benchmark, Map<String, String> params) {
            this.benchmark = benchmark;
            this.params = params;
        }

        /** Per-fork us/op; the number of values is the number of forks. */
        public Entry score(double... forks) {
            this.score = forks;
            return this;
        }

        /**
         * Per-fork values of a profiler label without {@code .norm} ({@code syscalls.role.sync}, {@code cpu.process}).
         * Any syscall label makes the entry profiled: all roles and thread classes are then written (0 unless given),
         * and syscalls.total.norm is the sum of the roles.
         */
        public Entry label(String label, double... forks) {
            labels.put(label + ".norm", forks);
            if (label.startsWith("syscalls.")) profiled = true;
            return this;
        }

        /**
         * A label written as given (no {@code .norm} added, unit #/iter), with its values per fork and iteration: one
         * array per fork, as long as the iterations that carry it ({@code sync.invocations}: {@code {116300, 118300}}).
         */
        public Entry iterations(String label, double[]... forkRows) {
            iterationLabels.put(label, forkRows);
            return this;
        }

        /** The syscall profiler ran (all roles and thread classes 0 unless given). */
        public Entry profiled() {
            profiled = true;
            return this;
        }

        JsonObject json() {
            int forks = score.length;
            JsonObject entry = new JsonObject();
            entry.addProperty("jmhVersion", "1.37");
            entry.addProperty("benchmark", benchmark);
            entry.addProperty("mode", "avgt");
            entry.addProperty("threads", 1);
            entry.addProperty("forks", forks);
            entry.addProperty("jvm", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
            entry.add("jvmArgs", new JsonArray());
            entry.addProperty("jdkVersion", "25.0.3");
            entry.addProperty("vmName", "OpenJDK 64-Bit Server VM");
            entry.addProperty("vmVersion", "25.0.3+9-LTS");
            entry.addProperty("warmupIterations", 1);
            entry.addProperty("warmupTime", "150 ms");
            entry.addProperty("warmupBatchSize", 1);
            entry.addProperty("measurementIterations", 3);
            entry.addProperty("measurementTime", "150 ms");
            entry.addProperty("measurementBatchSize", 1);
            JsonObject paramsJson = new JsonObject();
            params.forEach(paramsJson::addProperty);
            entry.add("params", paramsJson);
            // Three iterations per fork whose mean is the fork value.
            entry.add("primaryMetric", metric("us/op", Arrays.stream(score).mapToObj(v -> new double[] {v * 0.99, v * 1.01, v}).toList()));
            Map<String, double[]> all = new LinkedHashMap<>(labels);
            if (profiled) {
                for (String role : ROLES) all.putIfAbsent("syscalls.role." + role + ".norm", new double[forks]);
                for (String threads : THREADS) all.putIfAbsent("syscalls.thread." + threads + ".norm", new double[forks]);
                double[] total = new double[forks];
                for (String role : ROLES) {
                    double[] values = all.get("syscalls.role." + role + ".norm");
                    for (int f = 0; f < forks; f++) total[f] += values[f];
                }
                all.putIfAbsent("syscalls.total.norm", total);
            }
            JsonObject secondary = new JsonObject();
            new TreeMap<>(all).forEach((label, values) -> {
                boolean always = !label.startsWith("syscalls.") || label.startsWith("syscalls.role.")
                        || label.startsWith("syscalls.thread.") || label.equals("syscalls.total.norm");
                List<double[]> rows = new ArrayList<>();
                for (double v : values) rows.add(always || v != 0 ? new double[] {v, v} : new double[0]);
                secondary.add(label, metric(label.startsWith("cpu.") ? "ns/op" : "#/op", rows));
            });
            iterationLabels.forEach((label, rows) -> {
                if (rows.length != forks) throw new IllegalArgumentException(label + ": " + rows.length + " fork rows for " + forks + " forks");
                secondary.add(label, metric("#/iter", List.of(rows)));
            });
            entry.add("secondaryMetrics", secondary);
            return entry;
        }

        private static JsonObject metric(String unit, List<double[]> rows) {
            double[] all = rows.stream().flatMapToDouble(Arrays::stream).toArray();
            double mean = Arrays.stream(all).average().orElse(0);
            JsonObject metric = new JsonObject();
            metric.addProperty("score", mean);
            metric.addProperty("scoreError", "NaN");
            JsonArray confidence = new JsonArray();
            confidence.add(mean);
            confidence.add(mean);
            metric.add("scoreConfidence", confidence);
            JsonObject percentiles = new JsonObject();
            percentiles.addProperty("0.0", Arrays.stream(all).min().orElse(0));
            percentiles.addProperty("50.0", mean);
            percentiles.addProperty("100.0", Arrays.stream(all).max().orElse(0));
            metric.add("scorePercentiles", percentiles);
            metric.addProperty("scoreUnit", unit);
            JsonArray raw = new JsonArray();
            for (double[] row : rows) {
                JsonArray fork = new JsonArray();
                for (double v : row) fork.add(v);
                raw.add(fork);
            }
            metric.add("rawData", raw);
            return metric;
        }
    }

    /** {"metric", "direction", "against"} of one prediction, on every backend. */
    public static String[] prediction(String metric, String direction, String against) {
        return new String[] {metric, direction, against};
    }

    /** The same, for the listed backends only ({@code on}). */
    public static String[] prediction(String metric, String direction, String against, String... on) {
        String[] p = new String[3 + on.length];
        p[0] = metric;
        p[1] = direction;
        p[2] = against;
        System.arraycopy(on, 0, p, 3, on.length);
        return p;
    }

    /** One interventions.json entry. */
    public static JsonObject intervention(String name, String family, boolean baseline, String[]... predictions) {
        JsonObject json = new JsonObject();
        json.addProperty("name", name);
        json.addProperty("family", family);
        json.addProperty("className", "gpuos.interventions." + family + "." + name.replace("-", ""));
        json.addProperty("summary", name + " (test)");
        JsonArray backends = new JsonArray();
        List.of("cpu", "cuda", "opencl").forEach(backends::add);
        json.add("backends", backends);
        json.addProperty("baseline", baseline);
        JsonArray knobs = new JsonArray();
        JsonObject knob = new JsonObject();
        knob.addProperty("name", "k");
        knob.addProperty("value", "8");
        knob.addProperty("doc", "launches between two waits");
        knobs.add(knob);
        json.add("knobs", knobs);
        JsonArray list = new JsonArray();
        for (String[] p : predictions) {
            JsonObject prediction = new JsonObject();
            prediction.addProperty("metric", p[0]);
            prediction.addProperty("direction", p[1]);
            prediction.addProperty("against", p[2]);
            prediction.addProperty("why", "because (test)");
            JsonArray on = new JsonArray();
            for (int i = 3; i < p.length; i++) on.add(p[i]);
            prediction.add("on", on);
            list.add(prediction);
        }
        json.add("predictions", list);
        return json;
    }

    /** One failures.jsonl line. */
    public static String failure(String backend, String intervention, long bytes, long reps, String knobs, String phase, String error) {
        JsonObject json = new JsonObject();
        String runner = entry(backend, null, intervention, knobs, bytes, reps).benchmark;
        json.addProperty("benchmark", runner);
        json.addProperty("intervention", intervention);
        JsonObject params = new JsonObject();
        params.addProperty("bytes", Long.toString(bytes));
        params.addProperty("reps", Long.toString(reps));
        params.addProperty("knobs", knobs);
        json.add("params", params);
        json.addProperty("phase", phase);
        json.addProperty("error", error);
        json.addProperty("time", "2026-11-22T01:00:00Z");
        return new Gson().toJson(json);
    }

    /**
     * A results folder with the entries in jmh/interventions.json, the index (null for none) and the failures lines
     * (none for no failures.jsonl), and a metadata.json.
     */
    public static Path folder(Path dir, List<Entry> entries, List<JsonObject> index, String... failures) {
        try {
            Path folder = Files.createDirectories(dir.resolve("phase2-run"));
            Files.createDirectories(folder.resolve("jmh"));
            JsonArray array = new JsonArray();
            entries.forEach(e -> array.add(e.json()));
            Files.writeString(folder.resolve("jmh/interventions.json"), GSON.toJson(array));
            if (index != null) {
                JsonArray indexJson = new JsonArray();
                index.forEach(indexJson::add);
                Files.writeString(folder.resolve("interventions.json"), GSON.toJson(indexJson));
            }
            if (failures.length > 0) Files.writeString(folder.resolve("failures.jsonl"), String.join("\n", failures) + "\n");
            Files.writeString(folder.resolve("metadata.json"), """
                    {"runId": "20261122-010000-interventions", "preset": "interventions", "command": "scripts/sweep interventions",
                     "counting": {"backend": "bpf"}, "gpus": [{"name": "NVIDIA H100 80GB HBM3", "driver": "580.159"}]}
                    """);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
