package gpuos.reports.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads JMH {@code -rf json} output (and gpuos-trace output, same shape) into raw entries. */
final class JmhJsonParser {

    /** A metric's iteration values, one row per fork ({@code rawData[fork][iteration]}). */
    record RawMetric(String unit, List<double[]> forkRows) {}

    /** One JSON entry, before forks of duplicate entries are pooled and reduced to per-fork values. */
    record RawEntry(String benchmark, String mode, SortedMap<String, String> params,
                    RawMetric primary, Map<String, RawMetric> secondaries, String source) {}

    private JmhJsonParser() {}

    static List<RawEntry> parse(String source, Reader reader) throws BadResultsException {
        JsonElement root;
        try {
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new BadResultsException(source + " is not valid JSON (" + BadResultsException.firstLine(e)
                    + "); re-run that part, or move the file out of the results folder to report without it");
        }
        if (!root.isJsonArray()) {
            throw notJmh(source, "expected an array of benchmark entries");
        }
        List<RawEntry> entries = new ArrayList<>();
        for (JsonElement element : root.getAsJsonArray()) {
            if (!element.isJsonObject()) throw notJmh(source, "an entry is not an object");
            try {
                entries.add(entry(source, element.getAsJsonObject()));
            } catch (IllegalStateException | UnsupportedOperationException | IndexOutOfBoundsException e) {
                // Gson's getAs* on an element of another type: the entry's shape is not JMH's.
                throw notJmh(source, BadResultsException.firstLine(e));
            }
        }
        return entries;
    }

    static List<RawEntry> parse(String source, String json) throws BadResultsException {
        try (Reader reader = new StringReader(json)) {
            return parse(source, reader);
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
    }

    private static RawEntry entry(String source, JsonObject json) throws BadResultsException {
        String benchmark = string(json, "benchmark").orElseThrow(() -> notJmh(source, "an entry has no \"benchmark\""));
        String mode = string(json, "mode").orElse("avgt");
        SortedMap<String, String> params = new TreeMap<>();
        if (json.get("params") instanceof JsonObject paramsJson) {
            paramsJson.entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
        }
        if (!(json.get("primaryMetric") instanceof JsonObject primaryJson)) {
            throw notJmh(source, benchmark + " has no \"primaryMetric\"");
        }
        RawMetric primary = metric(source, benchmark, "primaryMetric", primaryJson);
        if (primary.forkRows().stream().allMatch(row -> row.length == 0)) {
            throw new BadResultsException(source + ": " + benchmark + " has no per-fork rawData (JMH ran with"
                    + " -Djmh.json.rawData=false?); re-run that part with raw data, the fork is the unit of replication");
        }
        Map<String, RawMetric> secondaries = new LinkedHashMap<>();
        if (json.get("secondaryMetrics") instanceof JsonObject secondaryJson) {
            for (Map.Entry<String, JsonElement> e : secondaryJson.entrySet()) {
                if (!(e.getValue() instanceof JsonObject metricJson)) throw notJmh(source, benchmark + ": " + e.getKey() + " is not an object");
                secondaries.put(e.getKey(), metric(source, benchmark, e.getKey(), metricJson));
            }
        }
        return new RawEntry(benchmark, mode, params, primary, secondaries, source);
    }

    private static RawMetric metric(String source, String benchmark, String label, JsonObject json)
            throws BadResultsException {
        String unit = string(json, "scoreUnit").orElse("");
        List<double[]> rows = new ArrayList<>();
        if (json.get("rawData") instanceof JsonArray forks) {
            for (JsonElement fork : forks) {
                rows.add(numbers(source, benchmark, label, fork));
            }
        } else if (json.get("rawDataHistogram") instanceof JsonArray forks) {
            // Sample mode: each iteration is a histogram of [value, count] pairs; its score is the weighted mean.
            for (JsonElement fork : forks) {
                rows.add(histogramMeans(source, benchmark, label, fork));
            }
        }
        return new RawMetric(unit, rows);
    }

    private static double[] numbers(String source, String benchmark, String label, JsonElement fork)
            throws BadResultsException {
        if (!fork.isJsonArray()) throw notJmh(source, benchmark + ": " + label + ".rawData is not [fork][iteration]");
        JsonArray iterations = fork.getAsJsonArray();
        double[] values = new double[iterations.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(source, benchmark, label, iterations.get(i));
        }
        return values;
    }

    private static double[] histogramMeans(String source, String benchmark, String label, JsonElement fork)
            throws BadResultsException {
        if (!fork.isJsonArray()) throw notJmh(source, benchmark + ": " + label + ".rawDataHistogram is not [fork][iteration]");
        JsonArray iterations = fork.getAsJsonArray();
        double[] means = new double[iterations.size()];
        for (int i = 0; i < means.length; i++) {
            double sum = 0;
            double count = 0;
            for (JsonElement bucket : iterations.get(i).getAsJsonArray()) {
                JsonArray pair = bucket.getAsJsonArray();
                double n = number(source, benchmark, label, pair.get(1));
                sum += number(source, benchmark, label, pair.get(0)) * n;
                count += n;
            }
            means[i] = sum / count;
        }
        return means;
    }

    /** JMH writes non-finite doubles as the strings "NaN", "+INF" and "-INF". */
    private static double number(String source, String benchmark, String label, JsonElement element)
            throws BadResultsException {
        if (element instanceof JsonPrimitive primitive) {
            if (primitive.isNumber()) return primitive.getAsDouble();
            switch (primitive.getAsString()) {
                case "NaN": return Double.NaN;
                case "+INF": return Double.POSITIVE_INFINITY;
                case "-INF": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(primitive.getAsString());
                    } catch (NumberFormatException e) {
                        // fall through to the error below
                    }
            }
        }
        throw notJmh(source, benchmark + ": " + label + " holds a value that is not a number: " + element);
    }

    private static Optional<String> string(JsonObject json, String field) {
        return json.get(field) instanceof JsonPrimitive p ? Optional.of(p.getAsString()) : Optional.empty();
    }

    private static BadResultsException notJmh(String source, String detail) {
        return new BadResultsException(source + " is not JMH JSON output (" + detail
                + "); re-run that part, or move the file out of the results folder to report without it");
    }
}
