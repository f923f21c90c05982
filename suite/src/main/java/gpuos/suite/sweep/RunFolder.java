package gpuos.suite.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import gpuos.suite.node.RunMetadata;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run folder ({@code results/<run-id>/}, docs/results-format.md), created new or resumed, and the owner of its
 * {@code metadata.json}: the parts' entries ({@code planned}, {@code ok}, {@code failed}) are written through it
 * after every change, so a killed sweep leaves metadata that says how far it got.
 */
public final class RunFolder {
    /** The folder cannot be made or resumed; the message is the one line printed after {@code sweep: }. */
    public static final class Refused extends Exception {
        Refused(String message) { super(message); }
    }

    private final Path dir;
    private final JsonObject metadata;
    private final JsonArray parts;

    private RunFolder(Path dir, JsonObject metadata) {
        this.dir = dir;
        this.metadata = metadata;
        if (!metadata.has("parts")) metadata.add("parts", new JsonArray());
        this.parts = metadata.getAsJsonArray("parts");
    }

    /** A new folder {@code dir} with this metadata; never an existing one, so a run never overwrites another. */
    public static RunFolder create(Path dir, JsonObject metadata) throws Refused {
        try {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            Files.createDirectory(dir); // atomic: fails when the folder exists
        } catch (FileAlreadyExistsException e) {
            throw new Refused(dir + " already exists; a run folder is never overwritten (wait a second or pick another --out)");
        } catch (IOException e) {
            throw new Refused("cannot create " + dir + ": " + e);
        }
        return new RunFolder(dir, metadata);
    }

    /** The run of {@code preset} in {@code dir}, continued: its metadata gains a {@code resumed} entry. */
    public static RunFolder resume(Path dir, String preset, Instant started, String command) throws Refused {
        Path file = dir.resolve("metadata.json");
        JsonObject metadata;
        try {
            metadata = RunMetadata.read(file);
        } catch (IOException | RuntimeException e) {
            throw new Refused("cannot read " + file + " (" + e.getMessage() + "): resume into a folder an earlier sweep made");
        }
        String previous = metadata.has("preset") ? metadata.get("preset").getAsString() : "";
        if (!previous.equals(preset)) {
            throw new Refused(dir + " is a run of preset '" + previous + "', not '" + preset + "': resume it with that preset");
        }
        JsonObject resumed = new JsonObject();
        resumed.addProperty("started", started.toString());
        resumed.addProperty("command", command);
        if (!metadata.has("resumed")) metadata.add("resumed", new JsonArray());
        metadata.getAsJsonArray("resumed").add(resumed);
        return new RunFolder(dir, metadata);
    }

    public Path dir() {
        return dir;
    }

    /** The subfolders and the run's own files (such as Phase 2's interventions.json) that are not there yet. */
    public void prepare(Map<String, String> runFiles) throws IOException {
        Files.createDirectories(dir.resolve("jmh"));
        Files.createDirectories(dir.resolve("logs"));
        for (var f : runFiles.entrySet()) {
            Path file = dir.resolve(f.getKey());
            if (!Files.exists(file)) Files.writeString(file, f.getValue());
        }
    }

    /** Where a part's result goes while JMH writes it; renamed to {@link #result} when the part finishes. */
    public Path partial(Part part) {
        return dir.resolve("jmh").resolve(part.name() + ".json.partial");
    }

    public Path result(Part part) {
        return dir.resolve("jmh").resolve(part.name() + ".json");
    }

    public Path log(Part part) {
        return dir.resolve("logs").resolve(part.name() + ".log");
    }

    /** Where forks log the benchmarks that failed (absolute: forks run in other folders). */
    public String failuresFile() {
        return failuresFile(dir);
    }

    static String failuresFile(Path dir) {
        return dir.resolve("failures.jsonl").toAbsolutePath().toString();
    }

    public Path metadataFile() {
        return dir.resolve("metadata.json");
    }

    /** Marks these parts {@code planned} (a resumed part keeps its place in the list) and writes the metadata. */
    public void plan(List<Part> planned) throws IOException {
        for (Part part : planned) put(part, "planned", null);
        RunMetadata.write(metadataFile(), metadata);
    }

    /** Records how a part ended ({@code ok} or {@code failed}) and writes the metadata. */
    public void record(Part part, String status, Duration took) throws IOException {
        put(part, status, took);
        RunMetadata.write(metadataFile(), metadata);
    }

    /** The part's entry in metadata's parts: its earlier entry replaced, else a new one at the end. */
    private void put(Part part, String status, Duration took) {
        JsonObject entry = partJson(part, status, took);
        for (int i = 0; i < parts.size(); i++) {
            JsonObject o = parts.get(i).getAsJsonObject();
            if (o.has("name") && o.get("name").getAsString().equals(part.name())) {
                parts.set(i, entry);
                return;
            }
        }
        parts.add(entry);
    }

    private static JsonObject partJson(Part part, String status, Duration took) {
        JsonObject o = new JsonObject();
        o.addProperty("name", part.name());
        o.addProperty("include", part.include());
        JsonObject params = new JsonObject();
        part.params().forEach((k, v) -> {
            JsonArray values = new JsonArray();
            v.forEach(values::add);
            params.add(k, values);
        });
        o.add("params", params);
        o.addProperty("forks", part.settings().forks());
        o.addProperty("status", status);
        if (took != null) o.addProperty("seconds", took.toMillis() / 1000.0);
        return o;
    }
}
