package gpuos.reports.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** metadata.json as written before the first benchmark; any field may be absent, readers show what is there. */
public record Metadata(boolean present, JsonObject json) {

    public static Metadata absent() {
        return new Metadata(false, new JsonObject());
    }

    /** A scalar at a path such as {@code "host", "kernel"}, as text. */
    public Optional<String> text(String... path) {
        return element(json, path).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsString);
    }

    /** The objects of an array field such as {@code "gpus"}. */
    public List<JsonObject> objects(String field) {
        List<JsonObject> objects = new ArrayList<>();
        element(json, field).filter(JsonElement::isJsonArray)
                .ifPresent(array -> array.getAsJsonArray().forEach(e -> {
                    if (e.isJsonObject()) objects.add(e.getAsJsonObject());
                }));
        return objects;
    }

    /** The scalars of an array at a path, such as {@code "counting", "caveats"}. */
    public List<String> texts(String... path) {
        return element(json, path).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray)
                .map(Metadata::scalars).orElse(List.of());
    }

    public static Optional<String> text(JsonObject object, String... path) {
        return element(object, path).filter(JsonElement::isJsonPrimitive).map(JsonElement::getAsString);
    }

    public static List<String> texts(JsonObject object, String field) {
        return element(object, field).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray)
                .map(Metadata::scalars).orElse(List.of());
    }

    private static List<String> scalars(JsonArray array) {
        List<String> texts = new ArrayList<>();
        array.forEach(e -> {
            if (e.isJsonPrimitive()) texts.add(e.getAsString());
        });
        return texts;
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
