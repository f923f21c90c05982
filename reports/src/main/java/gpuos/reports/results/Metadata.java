package gpuos.reports.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * metadata.json as the suite writes it before the first part and updates after each (docs/results-format.md, and
 * the golden docs/contract/metadata.json that the suite's and the reports' tests hold both sides to). Any field may
 * be absent, as in runs of older versions: readers show what is there, nothing is guessed.
 */
public record Metadata(boolean present, Optional<String> runId, Optional<String> preset, Optional<String> command,
                       Optional<String> started, Optional<String> gitCommit, boolean gitDirty, Host host, Jvm jvm,
                       Optional<String> jmhVersion, Counting counting, List<OpenClPlatform> opencl, List<Gpu> gpus,
                       List<Part> parts, List<Resumed> resumed) {

    /** The machine; {@code cores} and {@code memoryBytes} as written, numbers. */
    public record Host(Optional<String> kernel, Optional<String> os, Optional<String> cpu, Optional<Long> cores,
                       Optional<String> clocksource, Optional<Long> memoryBytes) {}

    public record Jvm(Optional<String> version, Optional<String> vendor, Optional<String> home) {}

    /** The syscall counter of the run: {@code bpf}, {@code perf} or {@code none}, and what it could not do. */
    public record Counting(Optional<String> backend, List<String> caveats) {}

    public record OpenClPlatform(Optional<String> key, Optional<String> name, Optional<String> vendor, Optional<String> version,
                                 List<String> devices) {}

    public record Gpu(Optional<String> name, Optional<String> driver) {}

    /** A part of the sweep: {@code planned}, {@code ok} or {@code failed}; seconds once it ended. */
    public record Part(Optional<String> name, Optional<String> status, Optional<Double> seconds) {}

    /** A later sweep that added parts to the run ({@code --resume}). */
    public record Resumed(Optional<String> started, Optional<String> command) {}

    public Metadata {
        opencl = List.copyOf(opencl);
        gpus = List.copyOf(gpus);
        parts = List.copyOf(parts);
        resumed = List.copyOf(resumed);
    }

    public static Metadata absent() {
        return of(false, new JsonObject());
    }

    /** Reads the fields it knows from a parsed metadata.json; a field of another type than written counts as absent. */
    public static Metadata from(JsonObject json) {
        return of(true, json);
    }

    private static Metadata of(boolean present, JsonObject j) {
        return new Metadata(present, text(j, "runId"), text(j, "preset"), text(j, "command"), text(j, "started"),
                text(j, "gitCommit"), text(j, "gitDirty").map(Boolean::parseBoolean).orElse(false),
                new Host(text(j, "host", "kernel"), text(j, "host", "os"), text(j, "host", "cpu"), number(j, "host", "cores"),
                        text(j, "host", "clocksource"), number(j, "host", "memoryBytes")),
                new Jvm(text(j, "jvm", "version"), text(j, "jvm", "vendor"), text(j, "jvm", "home")),
                text(j, "jmh", "version"),
                new Counting(text(j, "counting", "backend"), texts(j, "counting", "caveats")),
                objects(j, "opencl", p -> new OpenClPlatform(text(p, "key"), text(p, "platform"), text(p, "vendor"), text(p, "version"),
                        texts(p, "devices"))),
                objects(j, "gpus", g -> new Gpu(text(g, "name"), text(g, "driver"))),
                objects(j, "parts", p -> new Part(text(p, "name"), text(p, "status"),
                        text(p, "seconds").flatMap(Metadata::parseDouble))),
                objects(j, "resumed", r -> new Resumed(text(r, "started"), text(r, "command"))));
    }

    private static Optional<String> text(JsonObject object, String... path) {
        return element(object, path).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsString);
    }

    private static Optional<Long> number(JsonObject object, String... path) {
        return text(object, path).flatMap(t -> {
            try {
                return Optional.of(Long.parseLong(t));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<Double> parseDouble(String text) {
        try {
            return Optional.of(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<String> texts(JsonObject object, String... path) {
        List<String> texts = new ArrayList<>();
        element(object, path).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray)
                .ifPresent(array -> array.forEach(e -> {
                    if (e.isJsonPrimitive()) texts.add(e.getAsString());
                }));
        return texts;
    }

    private static <T> List<T> objects(JsonObject object, String field, Function<JsonObject, T> read) {
        List<T> out = new ArrayList<>();
        element(object, field).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray)
                .ifPresent((JsonArray array) -> array.forEach(e -> {
                    if (e.isJsonObject()) out.add(read.apply(e.getAsJsonObject()));
                }));
        return out;
    }

    private static Optional<JsonElement> element(JsonObject root, String... path) {
        JsonElement current = root;
        for (String field : path) {
            if (current == null || !current.isJsonObject()) return Optional.empty();
            current = current.getAsJsonObject().get(field);
        }
        return Optional.ofNullable(current).filter(e -> !e.isJsonNull());
    }
}
