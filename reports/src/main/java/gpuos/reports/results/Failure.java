package gpuos.reports.results;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One line of failures.jsonl: a fork whose intervention threw in setup, run or teardown (JMH then dropped that
 * benchmark's result).
 *
 * @param params  the JMH params of the failed point, {@code intervention} left out (it is its own field)
 */
public record Failure(String benchmark, String intervention, SortedMap<String, String> params, String phase,
                      String error, String time) {
    public static final String FILE = "failures.jsonl";

    /** "cuda", "opencl": the runner's backend, else the benchmark as written. */
    public String backend() {
        return Runner.backend(benchmark).orElse(benchmark);
    }

    /** "bytes=4096;knobs=;reps=16". */
    public String paramsText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    static List<Failure> read(Path folder) throws BadResultsException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) return List.of();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadResultsException("cannot read " + file + " (" + BadResultsException.firstLine(e) + "); check its permissions");
        }
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            failures.add(parse(line, i + 1));
        }
        return List.copyOf(failures);
    }

    private static Failure parse(String line, int number) throws BadResultsException {
        JsonElement json;
        try {
            json = JsonParser.parseString(line);
        } catch (JsonParseException e) {
            throw bad(number, "is not valid JSON (" + BadResultsException.firstLine(e) + ")");
        }
        if (json == null || !json.isJsonObject()) throw bad(number, "is not a JSON object");
        JsonObject object = json.getAsJsonObject();
        String intervention = text(object, "intervention").orElseThrow(() -> bad(number, "has no \"intervention\""));
        SortedMap<String, String> params = new TreeMap<>();
        if (object.get("params") instanceof JsonObject p) {
            p.entrySet().forEach(e -> params.put(e.getKey(), e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
        }
        params.remove(Runner.INTERVENTION);
        params.putIfAbsent(Runner.KNOBS, "");
        return new Failure(text(object, "benchmark").orElse(""), intervention, params, text(object, "phase").orElse(""),
                text(object, "error").orElse(""), text(object, "time").orElse(""));
    }

    private static Optional<String> text(JsonObject json, String field) {
        return json.get(field) instanceof JsonPrimitive p ? Optional.of(p.getAsString()) : Optional.empty();
    }

    private static BadResultsException bad(int line, String problem) {
        return new BadResultsException(FILE + " line " + line + " " + problem
                + "; fix or delete that line (a fork killed while writing it leaves it cut short)");
    }
}
