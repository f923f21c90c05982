package gpuos.suite.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import gpuos.suite.sweep.Part;
import gpuos.suite.sweep.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's side of metadata.json's contract: what a run folder holds after a sweep and a resumed one has exactly
 * the fields of the golden docs/contract/metadata.json, each of the same JSON type. The reports' side
 * (gpuos.reports.results.MetadataContractTest) reads that golden file into its record.
 */
class MetadataContractTest {
    static final Path GOLDEN = Path.of("..", "docs", "contract", "metadata.json");

    /** Fields the suite writes only where the machine has them: GPUs (nvidia-smi), host facts (/proc, /etc). */
    private static boolean bestEffort(String field) {
        return field.startsWith("gpus") || field.startsWith("host.");
    }

    @TempDir
    Path tmp;

    @Test
    void aSweepWritesTheGoldenFields() throws Exception {
        OpenClPlatforms.Discovery pocl = new OpenClPlatforms.Discovery(List.of(new OpenClPlatforms.Platform(null, "pocl",
                "Portable Computing Language", "The pocl project", "OpenCL 3.0 PoCL", List.of(), List.of("cpu"))), "");
        JsonObject collected = RunMetadata.collect("20261122-015615-full", "full", "gpuos-bundle/run full",
                Instant.parse("2026-11-22T01:56:15Z"), pocl, new Counting("perf", List.of("eBPF counter unavailable")),
                Map.of("GPUOS_BUILD_COMMIT", "39506cf", "GPUOS_BUILD_DIRTY", "true")::get);
        Path dir = tmp.resolve("20261122-015615-full");
        Part.Settings settings = new Part.Settings(5, 1, Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
        Part wait = new Part("cuda-wait", "x", Map.of("bytes", List.of("4096")), settings, Set.of(Part.Requirement.CUDA));
        Part spin = new Part("cuda-spin", "y", Map.of("reps", List.of("1")), settings, Set.of(Part.Requirement.CUDA));
        RunFolder first = RunFolder.create(dir, collected);
        first.plan(List.of(wait, spin));
        first.record(wait, "ok", Duration.ofMillis(437_384));
        RunFolder.resume(dir, "full", Instant.parse("2026-11-22T02:10:02Z"), "gpuos-bundle/run full --resume x").plan(List.of(spin));

        Map<String, String> written = shape(JsonParser.parseString(Files.readString(dir.resolve("metadata.json"))));
        Map<String, String> golden = shape(JsonParser.parseString(Files.readString(GOLDEN)));
        for (var field : written.entrySet()) {
            assertEquals(golden.get(field.getKey()), field.getValue(), "written field " + field.getKey() + " in the golden file, of the same type");
        }
        for (String field : golden.keySet()) {
            assertTrue(written.containsKey(field) || bestEffort(field), "the golden field " + field + " is written");
        }
    }

    /** Every field's path ({@code parts[].status}) and JSON type; the keys of {@code params} are the part's, not fixed. */
    static Map<String, String> shape(JsonElement root) {
        Map<String, String> out = new TreeMap<>();
        shape(root, "", out);
        return out;
    }

    private static void shape(JsonElement e, String path, Map<String, String> out) {
        if (e.isJsonObject()) {
            if (!path.isEmpty()) out.put(path, "object");
            for (var f : e.getAsJsonObject().entrySet()) {
                String key = path.endsWith("params") ? "*" : f.getKey();
                shape(f.getValue(), path.isEmpty() ? key : path + "." + key, out);
            }
        } else if (e.isJsonArray()) {
            out.put(path, "array");
            e.getAsJsonArray().forEach(x -> shape(x, path + "[]", out));
        } else if (e.isJsonPrimitive()) {
            var p = e.getAsJsonPrimitive();
            out.put(path, p.isBoolean() ? "boolean" : p.isNumber() ? "number" : "string");
        } else {
            out.put(path, "null");
        }
    }
}
