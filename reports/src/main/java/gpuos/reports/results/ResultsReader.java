package gpuos.reports.results;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import gpuos.reports.results.JmhJsonParser.RawEntry;
import gpuos.reports.results.JmhJsonParser.RawMetric;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads a results folder (docs/results-format.md) into per-fork values. */
public final class ResultsReader {
    /** Folders that hold result files, relative to the results folder. */
    static final List<String> RESULT_FOLDERS = List.of("jmh", "external");
    private static final String RESULT_SUFFIX = ".json";
    /** Archived results may be gzipped (reference-runs keep the checkout small enough to travel to the GPU node). */
    private static final String GZIPPED_SUFFIX = ".json.gz";
    private static final String PARTIAL_SUFFIX = ".json.partial";
    public static final String BYTES = "bytes";
    public static final String REPS = "reps";
    /** The sweep's own axes: params that do not split series (every other param does, and is in the series name). */
    public static final List<String> SERIES_AXES = List.of(BYTES, REPS);

    private ResultsReader() {}

    public static RunResults read(Path folder) throws BadResultsException {
        if (!Files.exists(folder)) {
            throw new BadResultsException("results folder " + folder + " does not exist; pass the folder of one run, e.g. results/<run-id>");
        }
        if (!Files.isDirectory(folder)) {
            throw new BadResultsException(folder + " is not a folder; pass the folder of one run, e.g. results/<run-id>");
        }
        List<Path> resultFiles = new ArrayList<>(filesEndingWith(folder, RESULT_SUFFIX));
        resultFiles.addAll(filesEndingWith(folder, GZIPPED_SUFFIX));
        List<String> partialFiles = filesEndingWith(folder, PARTIAL_SUFFIX).stream().map(p -> relative(folder, p)).toList();
        if (resultFiles.isEmpty()) {
            throw new BadResultsException(partialFiles.isEmpty()
                    ? "no results in " + folder + ": expected jmh/*.json or external/*.json; pass the folder a sweep wrote, e.g. results/<run-id>"
                    : "no finished results in " + folder + ": only " + String.join(", ", partialFiles)
                      + " from an interrupted run; re-run the sweep (each finished part is renamed to .json)");
        }
        Map<String, Integer> sources = new LinkedHashMap<>();
        List<RawEntry> entries = new ArrayList<>();
        for (Path file : resultFiles) {
            boolean gzipped = file.getFileName().toString().endsWith(GZIPPED_SUFFIX);
            String source = gzipped ? relative(folder, file).replaceFirst("\\.gz$", "") : relative(folder, file); // named as written
            if (sources.containsKey(source)) {
                throw new BadResultsException(source + " and " + source + ".gz are both in " + folder + "; keep one of them");
            }
            try (Reader reader = gzipped
                    ? new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)
                    : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                List<RawEntry> parsed = JmhJsonParser.parse(source, reader);
                sources.put(source, parsed.size());
                entries.addAll(parsed);
            } catch (ZipException e) {
                throw new BadResultsException("cannot read " + file + " (" + BadResultsException.firstLine(e)
                        + "); it is not a whole gzip file: restore it, or gunzip what is there into " + source);
            } catch (IOException e) {
                throw new BadResultsException("cannot read " + file + " (" + BadResultsException.firstLine(e) + "); check its permissions");
            }
        }
        if (entries.isEmpty()) {
            throw new BadResultsException("no benchmark entries in " + String.join(", ", sources.keySet())
                    + " (empty JSON arrays); check the part's log in logs/ and re-run it");
        }
        return new RunResults(folder, readMetadata(folder), points(entries), sources, partialFiles,
                RunInterventions.read(folder), Failure.read(folder));
    }

    private static List<Path> filesEndingWith(Path folder, String suffix) throws BadResultsException {
        List<Path> files = new ArrayList<>();
        for (String sub : RESULT_FOLDERS) {
            Path dir = folder.resolve(sub);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> listing = Files.list(dir)) {
                listing.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new BadResultsException("cannot list " + dir + " (" + BadResultsException.firstLine(e) + "); check its permissions");
            }
        }
        return files;
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace('\\', '/');
    }

    private static Metadata readMetadata(Path folder) throws BadResultsException {
        Path file = folder.resolve("metadata.json");
        if (!Files.isRegularFile(file)) return Metadata.absent();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement json = JsonParser.parseReader(reader);
            if (!json.isJsonObject()) {
                throw new BadResultsException("metadata.json in " + folder + " is not a JSON object; fix it or move it away (the report shows what is there)");
            }
            return Metadata.from(json.getAsJsonObject());
        } catch (JsonParseException | IOException e) {
            throw new BadResultsException("metadata.json in " + folder + " is not valid JSON (" + BadResultsException.firstLine(e)
                    + "); fix it or move it away (the report shows what is there)");
        }
    }

    /** Pools forks of entries that measured the same thing (a part re-run), names series, reduces to per-fork values. */
    private static List<BenchmarkPoint> points(List<RawEntry> entries) throws BadResultsException {
        Map<String, List<RawEntry>> byIdentity = entries.stream().collect(Collectors.groupingBy(
                e -> e.benchmark() + "|" + e.mode() + "|" + e.params(), LinkedHashMap::new, Collectors.toList()));
        SeriesNamer namer = new SeriesNamer(entries);
        List<BenchmarkPoint> points = new ArrayList<>();
        for (List<RawEntry> same : byIdentity.values()) {
            points.add(point(namer.series(same.getFirst()), same));
        }
        return points;
    }

    private static BenchmarkPoint point(Series series, List<RawEntry> same) throws BadResultsException {
        RawEntry first = same.getFirst();
        List<double[]> primaryRows = new ArrayList<>();
        Set<String> labels = new TreeSet<>();
        for (RawEntry entry : same) {
            primaryRows.addAll(entry.primary().forkRows());
            labels.addAll(entry.secondaries().keySet());
        }
        ScoreUnits.Canonical unit = ScoreUnits.canonical(first.primary().unit());
        Map<String, String> units = new TreeMap<>();
        units.put(Labels.SCORE, unit.unit());
        Map<String, double[]> forkMeans = new TreeMap<>();
        forkMeans.put(Labels.SCORE, reduce(primaryRows, primaryRows, false, unit.factor()));
        // Iterations the profiler counted: those that carry the total. It leaves out iterations holding JMH's trial
        // setup or teardown, and those carry no syscall label at all (docs/results-format.md).
        List<double[]> countedRows = labels.contains(Labels.SYSCALLS_TOTAL) ? labelRows(same, Labels.SYSCALLS_TOTAL) : primaryRows;
        // Iterations that recorded wait calls: those that carry sync.invocations (the profiler writes all sync.* labels together).
        List<double[]> syncRows = labels.contains(Labels.SYNC_INVOCATIONS) ? labelRows(same, Labels.SYNC_INVOCATIONS) : null;
        for (String label : labels) {
            List<double[]> rows = new ArrayList<>();
            for (RawEntry entry : same) {
                RawMetric metric = entry.secondaries().get(label);
                int forks = entry.primary().forkRows().size();
                if (metric == null) {
                    for (int f = 0; f < forks; f++) rows.add(new double[0]);
                    continue;
                }
                if (metric.forkRows().size() != forks) {
                    throw new BadResultsException(entry.source() + ": " + entry.benchmark() + " " + label + " has "
                            + metric.forkRows().size() + " fork rows but the primary metric has " + forks
                            + "; the file was edited or truncated, re-run that part");
                }
                rows.addAll(metric.forkRows());
                units.putIfAbsent(label, metric.unit());
            }
            forkMeans.put(label, syncRows != null && Labels.isSync(label) ? perSyncIteration(rows, primaryRows, syncRows)
                    : reduce(rows, Labels.zeroWhenAbsent(label) ? countedRows : primaryRows, Labels.zeroWhenAbsent(label), 1.0));
        }
        List<String> workloadParts = Labels.WORKLOAD_THREAD_CLASSES.stream().map(Labels::threadClass).toList();
        if (workloadParts.stream().anyMatch(labels::contains)) {
            forkMeans.put(Labels.SYSCALLS_WORKLOAD, reduce(sumRows(same, workloadParts), countedRows, true, 1.0));
            units.put(Labels.SYSCALLS_WORKLOAD, units.getOrDefault(workloadParts.getFirst(), "#/op"));
        }
        int forks = (int) primaryRows.stream().filter(row -> row.length > 0).count();
        return new BenchmarkPoint(series, first.benchmark(), first.params(), axis(first, BYTES), axis(first, REPS),
                forks, forkMeans, units, first.source());
    }

    /** One label's fork rows, an empty row where an entry lacks the label. */
    private static List<double[]> labelRows(List<RawEntry> same, String label) {
        List<double[]> rows = new ArrayList<>();
        for (RawEntry entry : same) {
            RawMetric metric = entry.secondaries().get(label);
            int forks = entry.primary().forkRows().size();
            for (int f = 0; f < forks; f++) rows.add(metric == null || f >= metric.forkRows().size() ? new double[0] : metric.forkRows().get(f));
        }
        return rows;
    }

    /**
     * Per-fork value of a label: forks without iterations in {@code iterationRows} are dropped. For a syscall
     * label, sum over the fork's iterations / the fork's number of counted iterations (the length of its
     * syscalls.total.norm row), because the profiler omits a label in iterations where it was 0
     * (docs/results-format.md); for other labels, the mean of its values.
     */
    private static double[] reduce(List<double[]> rows, List<double[]> iterationRows, boolean absentIsZero, double factor) {
        List<Double> values = new ArrayList<>();
        for (int fork = 0; fork < iterationRows.size(); fork++) {
            int iterations = iterationRows.get(fork).length;
            if (iterations == 0) continue;
            double[] row = rows.get(fork);
            double sum = 0;
            for (double v : row) sum += v;
            int divisor = absentIsZero ? iterations : row.length;
            values.add(divisor == 0 ? Double.NaN : sum / divisor * factor);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Per-fork value of a wait-call label ({@code sync.*}): its sum over the fork's iterations / the number of the fork's
     * iterations that carry {@code sync.invocations}, a label missing in such an iteration counting as 0; NaN in a fork
     * that recorded no wait call. Forks line up with those of labels reduced over {@code primaryRows} (forks without
     * iterations dropped), so per-fork ratios of two sync labels are ratios of their sums over the same iterations.
     */
    private static double[] perSyncIteration(List<double[]> rows, List<double[]> primaryRows, List<double[]> syncRows) {
        List<Double> values = new ArrayList<>();
        for (int fork = 0; fork < primaryRows.size(); fork++) {
            if (primaryRows.get(fork).length == 0) continue;
            int iterations = syncRows.get(fork).length;
            double sum = 0;
            for (double v : rows.get(fork)) sum += v;
            values.add(iterations == 0 ? Double.NaN : sum / iterations);
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Rows of a sum of syscall labels, for {@link #reduce} with absent-is-zero: per fork, the values of all parts
     * in one row. The fork value of a sum is the sum over the fork's iterations of (part 1 + part 2 + ...) / its
     * iterations = (sum of part 1 + sum of part 2 + ...) / iterations, so this is the per-iteration sum averaged over
     * the fork, with a part missing in an iteration counted as 0, and needs no matching of iterations across labels.
     * Fork rows of each part were checked against the primary metric by the caller.
     */
    private static List<double[]> sumRows(List<RawEntry> same, List<String> parts) {
        List<double[]> rows = new ArrayList<>();
        for (RawEntry entry : same) {
            for (int fork = 0; fork < entry.primary().forkRows().size(); fork++) {
                int f = fork;
                rows.add(parts.stream().map(part -> entry.secondaries().get(part))
                        .filter(Objects::nonNull)
                        .flatMapToDouble(metric -> Arrays.stream(metric.forkRows().get(f)))
                        .toArray());
            }
        }
        return rows;
    }

    private static OptionalLong axis(RawEntry entry, String param) {
        return number(entry.params().get(param));
    }

    /** A param value as a whole number; empty for none or one that is not numeric (the point stays in tables but off the scaling axes). */
    static OptionalLong number(String value) {
        if (value == null) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Names series {@code <Family>.<variant>}, adding backend or mode only where two series would share a name. */
    private static final class SeriesNamer {
        private final Map<String, Set<String>> backendsByMethod = new TreeMap<>();
        private final Map<String, Set<String>> modesByBenchmark = new TreeMap<>();

        SeriesNamer(List<RawEntry> entries) {
            for (RawEntry e : entries) {
                backendsByMethod.computeIfAbsent(method(e.benchmark()), k -> new HashSet<>()).add(backend(e.benchmark()));
                modesByBenchmark.computeIfAbsent(e.benchmark(), k -> new HashSet<>()).add(e.mode());
            }
        }

        Series series(RawEntry e) {
            if (Runner.isRunner(e.benchmark())) return runnerSeries(e);
            String[] parts = e.benchmark().split("\\.");
            String variant = parts[parts.length - 1];
            String family = parts.length > 1 ? parts[parts.length - 2] : "";
            String backend = backend(e.benchmark());
            List<String> qualifiers = new ArrayList<>();
            if (backendsByMethod.get(method(e.benchmark())).size() > 1) qualifiers.add(backend);
            if (modesByBenchmark.get(e.benchmark()).size() > 1) qualifiers.add(e.mode());
            SortedMap<String, String> params = new TreeMap<>(e.params());
            SERIES_AXES.forEach(params::remove);
            StringBuilder name = new StringBuilder(method(e.benchmark()));
            if (!qualifiers.isEmpty()) name.append(" (").append(String.join(", ", qualifiers)).append(')');
            name.append(Series.paramsSuffix(params));
            return new Series(name.toString(), backend, family, variant, e.mode(), params);
        }

        /**
         * A runner benchmark's series is named after its intervention and backend, "blocking-wait (cuda)", with the
         * params other than the axes after it ("[knobs=k=4, platform=pocl]"; default knobs, "", left out of the name).
         */
        private Series runnerSeries(RawEntry e) {
            String[] parts = e.benchmark().split("\\.");
            String backend = Runner.backend(e.benchmark()).orElseThrow();
            SortedMap<String, String> params = new TreeMap<>(e.params());
            SERIES_AXES.forEach(params::remove);
            StringBuilder name = new StringBuilder(Runner.intervention(e.params())).append(" (").append(backend);
            if (hasSeveralModes(e)) name.append(", ").append(e.mode());
            name.append(')');
            String shown = params.entrySet().stream()
                    .filter(p -> !p.getKey().equals(Runner.INTERVENTION) && !(p.getKey().equals(Runner.KNOBS) && p.getValue().isEmpty()))
                    .map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", "));
            if (!shown.isEmpty()) name.append(" [").append(shown).append(']');
            return new Series(name.toString(), backend, parts[parts.length - 2], parts[parts.length - 1], e.mode(), params);
        }

        private boolean hasSeveralModes(RawEntry e) {
            return modesByBenchmark.get(e.benchmark()).size() > 1;
        }

        private static String method(String benchmark) {
            String[] parts = benchmark.split("\\.");
            return parts.length > 1 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
        }

        private static String backend(String benchmark) {
            String[] parts = benchmark.split("\\.");
            return parts.length > 2 ? parts[parts.length - 3] : "";
        }
    }
}
