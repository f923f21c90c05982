package gpuos.reports.results;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * interventions.json of a results folder: the interventions the jar knew, with their predictions. Absent in runs
 * made before Phase 2 (and in runs whose jar had no interventions).
 */
public record RunInterventions(boolean present, List<InterventionSpec> interventions) {
    public static final String FILE = "interventions.json";

    public static RunInterventions absent() {
        return new RunInterventions(false, List.of());
    }

    public Optional<InterventionSpec> named(String name) {
        return interventions.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    static RunInterventions read(Path folder) throws BadResultsException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) return absent();
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException | IOException e) {
            throw bad("is not valid JSON (" + BadResultsException.firstLine(e) + ")");
        }
        if (root == null || !root.isJsonArray()) throw bad("is not a JSON array of interventions");
        // The merged index is one array; a file that kept the per-module arrays (an array of arrays) is read as well.
        List<JsonObject> entries = new ArrayList<>();
        for (JsonElement element : root.getAsJsonArray()) {
            if (element.isJsonArray()) {
                for (JsonElement inner : element.getAsJsonArray()) entries.add(object(inner, "an entry"));
            } else {
                entries.add(object(element, "an entry"));
            }
        }
        Map<String, InterventionSpec> byName = new LinkedHashMap<>();
        for (JsonObject entry : entries) {
            InterventionSpec intervention = intervention(entry);
            if (byName.putIfAbsent(intervention.name(), intervention) != null) {
                throw bad("names intervention \"" + intervention.name() + "\" twice");
            }
        }
        return new RunInterventions(true, List.copyOf(byName.values()));
    }

    private static InterventionSpec intervention(JsonObject json) throws BadResultsException {
        String name = text(json, "name").filter(n -> !n.isBlank()).orElseThrow(() -> bad("has an entry without \"name\""));
        List<InterventionSpec.Knob> knobs = new ArrayList<>();
        for (JsonElement k : array(json, "knobs", name)) {
            JsonObject knob = object(k, name + "'s knob");
            knobs.add(new InterventionSpec.Knob(text(knob, "name").orElse(""), text(knob, "value").orElse(""), text(knob, "doc").orElse("")));
        }
        List<InterventionSpec.Prediction> predictions = new ArrayList<>();
        for (JsonElement p : array(json, "predictions", name)) {
            JsonObject prediction = object(p, name + "'s prediction");
            String metric = text(prediction, "metric").filter(m -> !m.isBlank())
                    .orElseThrow(() -> bad("has a prediction of " + name + " without \"metric\""));
            String directionText = text(prediction, "direction").orElse("");
            InterventionSpec.Direction direction = InterventionSpec.Direction.parse(directionText).orElseThrow(() -> bad(
                    "has a prediction of " + name + " whose direction \"" + directionText + "\" is not rises, falls or unchanged"));
            String against = text(prediction, "against").filter(a -> !a.isBlank())
                    .orElseThrow(() -> bad("has a prediction of " + name + " without \"against\""));
            List<String> on = new ArrayList<>();
            for (JsonElement b : array(prediction, "on", name)) {
                if (!b.isJsonPrimitive()) throw bad("has a prediction of " + name + " whose \"on\" is not a list of backend names");
                on.add(b.getAsString());
            }
            predictions.add(new InterventionSpec.Prediction(metric.strip(), direction, against.strip(), text(prediction, "why").orElse(""), on));
        }
        List<String> backends = new ArrayList<>();
        for (JsonElement b : array(json, "backends", name)) {
            if (b.isJsonPrimitive()) backends.add(b.getAsString());
        }
        boolean baseline = json.get("baseline") instanceof JsonPrimitive p && p.isBoolean() && p.getAsBoolean();
        return new InterventionSpec(name, text(json, "family").orElse(""), text(json, "className").orElse(""),
                text(json, "summary").orElse(""), List.copyOf(backends), baseline, List.copyOf(knobs), List.copyOf(predictions));
    }

    private static JsonObject object(JsonElement element, String what) throws BadResultsException {
        if (element == null || !element.isJsonObject()) throw bad("has " + what + " that is not an object");
        return element.getAsJsonObject();
    }

    private static List<JsonElement> array(JsonObject json, String field, String name) throws BadResultsException {
        JsonElement element = json.get(field);
        if (element == null || element.isJsonNull()) return List.of();
        if (!element.isJsonArray()) throw bad("has \"" + field + "\" of " + name + " that is not an array");
        List<JsonElement> elements = new ArrayList<>();
        element.getAsJsonArray().forEach(elements::add);
        return elements;
    }

    private static Optional<String> text(JsonObject json, String field) {
        return json.get(field) instanceof JsonPrimitive p ? Optional.of(p.getAsString()) : Optional.empty();
    }

    private static BadResultsException bad(String problem) {
        return new BadResultsException(FILE + " " + problem + "; copy it again from the jar (META-INF/gpuos/"
                + FILE + ") or move it out of the results folder to report without predictions");
    }
}
