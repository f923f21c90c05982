package gpuos.reports.resnet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuos.reports.results.BadResultsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the JSON files {@code resnet_infer.py} writes under a folder (any depth): a sweep folder
 * ({@code <point>/run-K.json}) or a load folder ({@code <wait>/run-R/proc-I.json}). The interposer's own reports
 * ({@code *.preload.json}) and interrupted writes ({@code *.partial}) are not results and are left out. A mode that
 * failed (an entry with {@code error}) is kept out of the statistics and counted in {@link Folder#failed()}.
 */
public final class ResnetResults {
    private ResnetResults() {}

    /** The entries of one folder, and where a run folder of a load has no {@code done} marker. */
    public record Folder(Path path, List<InferenceRun> runs, List<String> failed, List<Path> withoutDone) {}

    public static Folder read(Path folder) throws BadResultsException {
        if (!Files.isDirectory(folder)) {
            throw new BadResultsException(folder + " is not a folder; pass a folder of resnet_infer.py results (e.g. reference-runs/resnet/<date>/sweep)");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().endsWith(".preload.json")).sorted().toList();
        } catch (IOException e) {
            throw new BadResultsException("cannot list " + folder + " (" + e.getMessage() + "); check permissions");
        }
        List<InferenceRun> runs = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Path file : files) {
            JsonElement root;
            try {
                root = JsonParser.parseString(Files.readString(file));
            } catch (IOException | JsonParseException e) {
                throw new BadResultsException(file + " is not valid JSON (" + firstLine(e) + "); rerun that point or move the file out of the folder");
            }
            if (!root.isJsonArray()) throw new BadResultsException(file + " is not a list of resnet_infer.py phases; move it out of the folder");
            JsonArray entries = root.getAsJsonArray();
            for (int i = 0; i < entries.size(); i++) {
                if (!entries.get(i).isJsonObject()) throw new BadResultsException(file + ": entry " + i + " is not an object; move the file out of the folder");
                JsonObject e = entries.get(i).getAsJsonObject();
                try {
                    if (e.has("error")) failed.add(file + " " + text(e, "mode") + ": " + text(e, "error"));
                    else runs.add(entry(file, e));
                } catch (RuntimeException ex) {
                    throw new BadResultsException(file + ": entry " + i + " lacks or garbles a field (" + firstLine(ex) + "); it was not written by resnet_infer.py");
                }
            }
        }
        if (runs.isEmpty()) {
            throw new BadResultsException("no resnet_infer.py results under " + folder + (failed.isEmpty() ? "" : " (" + failed.size() + " failed modes only)")
                    + "; pass the folder node-resnet.sh or node-load.sh wrote");
        }
        List<Path> withoutDone = runs.stream().filter(r -> r.loadN() > 0).map(r -> r.file().getParent()).distinct()
                .filter(d -> !Files.exists(d.resolve("done"))).toList();
        return new Folder(folder, List.copyOf(runs), List.copyOf(failed), withoutDone);
    }

    private static InferenceRun entry(Path file, JsonObject e) {
        JsonObject latency = e.getAsJsonObject("latencyMs");
        var point = new InferenceRun.Point(text(e, "mode"), e.get("batch").getAsInt(), text(e, "dtype"), text(e, "wait"),
                e.has("allocator") ? text(e, "allocator") : "caching", e.get("iters").getAsInt());
        JsonArray samples = e.getAsJsonArray("latencyUs");
        double[] latencyUs = new double[samples.size()];
        for (int i = 0; i < latencyUs.length; i++) latencyUs[i] = samples.get(i).getAsDouble();
        Map<String, Double> byName = new LinkedHashMap<>();
        if (e.has("syscallsByName")) e.getAsJsonObject("syscallsByName").entrySet().forEach(n -> byName.put(n.getKey(), n.getValue().getAsDouble()));
        return new InferenceRun(file, point, number(latency, "mean"), number(latency, "p50"), number(latency, "p99"), latencyUs,
                e.get("startEpochNs").getAsLong(), e.get("endEpochNs").getAsLong(), number(e, "cpuMsPerInference"),
                number(e, "voluntaryCtxPerInference"), number(e, "involuntaryCtxPerInference"),
                e.has("syscallsPerInference") ? number(e, "syscallsPerInference") : Double.NaN, Map.copyOf(byName),
                e.has("loadN") ? e.get("loadN").getAsInt() : 0);
    }

    private static double number(JsonObject o, String field) {
        if (!o.has(field) || o.get(field).isJsonNull()) throw new IllegalArgumentException("no " + field);
        double value = o.get(field).getAsDouble();
        if (Double.isNaN(value)) throw new IllegalArgumentException(field + " is NaN");
        return value;
    }

    private static String text(JsonObject o, String field) {
        if (!o.has(field) || o.get(field).isJsonNull()) throw new IllegalArgumentException("no " + field);
        return o.get(field).getAsString();
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
