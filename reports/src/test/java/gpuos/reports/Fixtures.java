package gpuos.reports;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.stream.Stream;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Series;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Test inputs: the fixture results folder and hand-made points. */
public final class Fixtures {
    private Fixtures() {}

    public static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A copy of src/test/resources/sweep (a realistic sweep: VectorAdd on cpu and OpenCL at 5 points, 3 forks,
     * syscall labels missing in some iterations; Launch.empty with 2 forks and no profiler; one external
     * trace) plus an interrupted part, which cannot live in resources because git ignores *.partial.
     */
    public static Path sweep(Path into) {
        try {
            Path folder = Files.createDirectories(into.resolve("results-run"));
            copyTree(resource("sweep"), folder);
            Files.writeString(folder.resolve("jmh/memcpy.json.partial"), "[\n{\n\"benchmark\" : \"gpuos.benchmarks.opencl.Memcpy.h2d\",\n");
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) Files.createDirectories(target);
                else Files.copy(source, target);
            }
        }
    }

    public static Series series(String backend, String family, String variant) {
        return new Series(family + "." + variant, backend, family, variant, "avgt", new TreeMap<>());
    }

    /** A series with params other than bytes and reps, named as the reader names it: "CudaExecution.spin [gpuNanos=1000, waitPolicy=spin]". */
    public static Series series(String backend, String family, String variant, Map<String, String> params) {
        TreeMap<String, String> sorted = new TreeMap<>(params);
        return new Series(family + "." + variant + Series.paramsSuffix(sorted), backend, family, variant, "avgt", sorted);
    }

    /**
     * A point whose syscall profiler ran (syscalls.total.norm is among the labels if the caller gives it); its params are
     * the series' params, bytes and reps.
     */
    public static BenchmarkPoint point(Series series, long bytes, long reps, Map<String, double[]> forkValues) {
        TreeMap<String, String> params = new TreeMap<>(series.params());
        params.put("bytes", Long.toString(bytes));
        params.put("reps", Long.toString(reps));
        int forks = forkValues.values().iterator().next().length;
        return new BenchmarkPoint(series, "gpuos.benchmarks." + series.backend() + "." + series.methodName(), params,
                OptionalLong.of(bytes), OptionalLong.of(reps), forks, Map.copyOf(forkValues), Map.of(), "jmh/test.json");
    }

    /** A folder with an earlier report and chart, for the bad-input tests (a failed run must leave them as they were). */
    static Path withEarlierReport(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("charts"));
        Files.writeString(folder.resolve("report.md"), "# an earlier report\n");
        Files.writeString(folder.resolve("charts/score-vs-bytes.png"), "an earlier chart");
        return folder;
    }

    static void assertEarlierReportKept(Path folder) throws IOException {
        assertEquals("# an earlier report\n", Files.readString(folder.resolve("report.md")));
        assertEquals("an earlier chart", Files.readString(folder.resolve("charts/score-vs-bytes.png")));
        try (Stream<Path> listing = Files.list(folder)) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().startsWith(".report-")));
        }
    }

}
