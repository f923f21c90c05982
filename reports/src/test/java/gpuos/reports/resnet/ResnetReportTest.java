package gpuos.reports.resnet;

import gpuos.reports.stats.ConfidenceInterval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ResNet report on synthetic resnet_infer.py output: its numbers against values computed by hand (t quantiles,
 * Welch-Satterthwaite df and Fieller's roots from scipy), bad input, and the charts.
 */
class ResnetReportTest {
    @TempDir
    Path dir;

    /** One graph-mode entry of resnet_infer.py's JSON (the fields the report reads). */
    static String entry(String wait, double latency, double p50, double p99, double cpu, double syscalls, Map<String, Double> byName,
                        int loadN, double[] latencyUs, long start, long end) {
        String names = byName.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue()).collect(Collectors.joining(", "));
        String samples = java.util.Arrays.stream(latencyUs).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v)).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, """
                {"label": "t", "batch": 1, "dtype": "fp16", "iters": %d, "warmup": 5, "wait": "%s", "allocator": "caching", %s
                 "mode": "graph", "latencyMs": {"mean": %s, "p50": %s, "p99": %s}, "latencyUs": [%s],
                 "startEpochNs": %d, "endEpochNs": %d, "wallMs": 1.0, "cpuMsPerInference": %s,
                 "voluntaryCtxPerInference": 1.0, "involuntaryCtxPerInference": 0.0%s}""",
                latencyUs.length, wait, loadN > 0 ? "\"loadN\": " + loadN + "," : "", latency, p50, p99, samples, start, end, cpu,
                Double.isNaN(syscalls) ? "" : ", \"syscallsPerInference\": " + syscalls + ", \"syscallsByName\": {" + names + "}");
    }

    static String sweepRun(String wait, double latency, double cpu, double syscalls, Map<String, Double> byName) {
        return "[" + entry(wait, latency, latency - 0.1, latency + 0.5, cpu, syscalls, byName, 0, new double[] {1000, 1000, 1000}, 0, 1) + "]";
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /**
     * Sweep: default 2 runs (latency 1.0, 1.2; CPU 1.0, 1.2), blocking 3 runs (1.2, 1.3, 1.4; CPU 0.1, 0.2, 0.3; one run
     * without "read"), job-predict 1 run. Load: default, N = 1 (process 0) and N = 2 (processes 0 and 1).
     */
    Path fixture() throws IOException {
        Path sweep = dir.resolve("sweep");
        write(sweep.resolve("waits-default/run-1.json"), sweepRun("default", 1.0, 1.0, 0.0, Map.of()));
        write(sweep.resolve("waits-default/run-2.json"), sweepRun("default", 1.2, 1.2, 0.02, Map.of("poll", 0.02)));
        Map<String, Double> blocking = Map.of("futex", 2.0, "poll", 2.0, "read", 1.0, "write", 1.0);
        write(sweep.resolve("waits-blocking/run-1.json"), sweepRun("blocking", 1.2, 0.1, 6, blocking));
        write(sweep.resolve("waits-blocking/run-2.json"), sweepRun("blocking", 1.3, 0.2, 6, blocking));
        write(sweep.resolve("waits-blocking/run-3.json"), sweepRun("blocking", 1.4, 0.3, 6, Map.of("futex", 2.0, "poll", 3.0, "write", 1.0)));
        write(sweep.resolve("waits-job-predict/run-1.json"), sweepRun("job-predict", 1.05, 0.05, 1.0, Map.of("clock_nanosleep", 1.0)));
        write(sweep.resolve("waits-job-predict/run-1.json.preload.json"), "{\"not\": \"a result\"}");
        Path run = dir.resolve("load/default/run-1");
        // proc-0: rounds N = 1 and N = 2, with the counter; proc-1: round N = 2 only, without.
        write(run.resolve("proc-0.json"), "[" + entry("default", 2, 2, 3, 1.0, 4.0, Map.of("poll", 4.0), 1, new double[] {1000, 2000, 3000}, 0, 1_000_000_000L)
                + "," + entry("default", 2, 2, 3, 1.0, 4.0, Map.of("poll", 4.0), 2, new double[] {1000, 2000, 3000}, 0, 1_000_000_000L) + "]");
        write(run.resolve("proc-1.json"), "[" + entry("default", 3, 2, 5, 2.0, Double.NaN, Map.of(), 2, new double[] {1000, 2000, 5000}, 500_000_000L, 2_000_000_000L) + "]");
        Files.createFile(run.resolve("done"));
        return dir;
    }

    static ResnetAnalysis.SweepPoint point(ResnetAnalysis a, String wait) {
        return a.sweep().stream().filter(p -> p.point().waitMode().equals(wait)).findFirst().orElseThrow();
    }

    @Test
    void sweepEstimatesMatchHandComputedIntervals() throws Exception {
        ResnetAnalysis a = analysis();
        Estimate def = point(a, "default").metrics().get(Metric.LATENCY);
        assertEquals(1.1, def.mean(), 1e-12);
        assertEquals(1.270620473617469, def.ci().halfWidth(), 1e-9, "t(0.975, 1) 12.706 x 0.1");
        Estimate blocking = point(a, "blocking").metrics().get(Metric.LATENCY);
        assertEquals(1.3, blocking.mean(), 1e-12);
        assertEquals(0.24841377117503297, blocking.ci().halfWidth(), 1e-9, "t(0.975, 2) 4.303 x 0.0577");
        assertEquals(1.2, point(a, "blocking").metrics().get(Metric.P50).mean(), 1e-12);
        // A name missing in a run counts 0 there: read = mean(1, 1, 0).
        Estimate read = point(a, "blocking").byName().get("read");
        assertEquals(2.0 / 3, read.mean(), 1e-12);
        assertEquals(4.302652729911275 * Math.sqrt(1.0 / 3) / Math.sqrt(3), read.ci().halfWidth(), 1e-9);
        assertEquals(List.of("poll", "futex", "write", "read"), List.copyOf(point(a, "blocking").byName().keySet()), "by mean, largest first (poll 7/3)");
        Estimate one = point(a, "job-predict").metrics().get(Metric.LATENCY);
        assertEquals(1, one.runs());
        assertFalse(one.ci().isDefined());
    }

    @Test
    void ratiosAreFiellerAndDifferencesWelch() throws Exception {
        ResnetAnalysis a = analysis();
        ConfidenceInterval latency = ratio(a, "blocking", Metric.LATENCY);
        assertEquals(1.1818181818181817, latency.estimate(), 1e-12);
        assertEquals(0.6871227629547049, latency.low(), 1e-6);
        assertEquals(2.7080608357345937, latency.high(), 1e-6);
        ConfidenceInterval cpu = ratio(a, "blocking", Metric.CPU);
        assertEquals(0.18181818181818185, cpu.estimate(), 1e-12);
        assertEquals(-0.013443236003981212, cpu.low(), 1e-6);
        assertEquals(0.42401588947795466, cpu.high(), 1e-6);
        assertFalse(ratio(a, "job-predict", Metric.LATENCY).isDefined(), "one run: no interval");
        var d = a.versusBlocking().stream().filter(x -> x.point().waitMode().equals("default") && x.metric() == Metric.LATENCY).findFirst().orElseThrow();
        assertEquals(-0.2, d.ci().estimate(), 1e-12);
        assertEquals(1.6842105263157898, d.welch().degreesOfFreedom(), 1e-9);
        assertEquals(-0.7976997448258369, d.ci().low(), 1e-6);
        assertEquals(0.39769974482583703, d.ci().high(), 1e-6);
        assertEquals(0.24818853808401203, d.p(), 1e-6);
        assertTrue(d.holmP() >= d.p());
    }

    @Test
    void loadRoundsPoolTheirProcesses() throws Exception {
        ResnetAnalysis a = analysis();
        assertEquals(2, a.load().size());
        ResnetAnalysis.LoadPoint two = a.load().get(1);
        assertEquals(2, two.n());
        assertTrue(two.complete());
        Map<LoadMetric, Estimate> m = two.metrics();
        assertEquals(6 / 2.0, m.get(LoadMetric.THROUGHPUT).mean(), 1e-9, "6 inferences from 0 s to 2 s");
        assertEquals(2.0, m.get(LoadMetric.P50).mean(), 1e-12, "pooled 1,1,2,2,3,5 ms: rank round(2.5) = 2 (half to even)");
        assertEquals(5.0, m.get(LoadMetric.P99).mean(), 1e-12);
        assertEquals(1.5, m.get(LoadMetric.CPU).mean(), 1e-12, "CPU weighted by inferences");
        assertEquals(4.0, m.get(LoadMetric.SYSCALLS).mean(), 1e-12, "process 0 only: the one with the counter");
        assertFalse(m.get(LoadMetric.P99).ci().isDefined(), "one run: no interval");
        assertTrue(a.warnings().stream().anyMatch(w -> w.startsWith("Load, N = 1 is contaminated")), a.warnings().toString());
    }

    @Test
    void writesReportAndChartsAndLeavesTheJsonAlone() throws Exception {
        Path root = fixture();
        byte[] before = Files.readAllBytes(root.resolve("sweep/waits-default/run-1.json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = ResnetReportMain.run(new String[] {root.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(ResnetReportMain.OK, status, err.toString());
        String md = Files.readString(root.resolve("report.md"));
        assertTrue(md.contains("| graph | 1 | fp16 | default | caching | 3 | 2 | 1.100 ± 1.271 |"), md);
        assertTrue(md.contains("1.050 (one run: no interval)"), md);
        assertTrue(md.contains("1.18x [0.69, 2.71]"), md);
        assertTrue(md.contains("**WARNING** Load, N = 1 is contaminated"), md);
        List<Path> charts;
        try (Stream<Path> s = Files.list(root.resolve("charts"))) {
            charts = s.sorted().toList();
        }
        assertTrue(charts.size() >= 8, charts.toString());
        for (Path chart : charts) {
            assertNotNull(ImageIO.read(chart.toFile()), chart + " is a PNG");
            assertTrue(md.contains("](charts/" + chart.getFileName() + ")"), "report.md shows " + chart.getFileName());
        }
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(root.resolve("sweep/waits-default/run-1.json")));
        try (Stream<Path> s = Files.list(root)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".report-staging")), "no staging folder left");
        }
    }

    @Test
    void emptyFolderIsOneLineAndWritesNothing() throws Exception {
        assertBadInput(dir, "no resnet_infer.py results under");
    }

    @Test
    void malformedJsonIsOneLineAndWritesNothing() throws Exception {
        Path root = fixture();
        write(root.resolve("sweep/waits-default/run-3.json"), "[{\"mode\": \"graph\", ");
        assertBadInput(root, "run-3.json is not valid JSON");
    }

    @Test
    void entryWithoutItsFiguresIsOneLine() throws Exception {
        Path root = fixture();
        write(root.resolve("sweep/waits-default/run-3.json"), "[{\"mode\": \"graph\", \"batch\": 1}]");
        assertBadInput(root, "lacks or garbles a field");
    }

    private static void assertBadInput(Path root, String says) throws IOException {
        List<Path> before;
        try (Stream<Path> s = Files.walk(root)) {
            before = s.sorted().toList();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = ResnetReportMain.run(new String[] {root.toString()}, new PrintStream(out), new PrintStream(err));
        assertEquals(ResnetReportMain.BAD_INPUT, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.contains(says), message);
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(before, s.sorted().toList(), "nothing written");
        }
    }

    @Test
    void waitsChartTakesTheSeriesThatDiffersOnlyInItsWait() throws Exception {
        Path root = fixture();
        // The inference-count axis: bs1 graph blocking at 5 inferences per run, beside the waits at 3.
        write(root.resolve("sweep/iters-5/run-1.json"), "[" + entry("blocking", 1.2, 1.1, 1.7, 0.1, 6, Map.of("futex", 2.0), 0,
                new double[] {1000, 1000, 1000, 1000, 1000}, 0, 1) + "]");
        ResnetAnalysis a = ResnetAnalysis.of(ResnetResults.read(root.resolve("sweep")), Optional.empty(), Optional.empty(), Optional.empty());
        assertEquals(4, a.sweep().size());
        List<ResnetAnalysis.SweepPoint> waits = ResnetReport.bs1Graph(a.sweep());
        assertEquals(List.of(3, 3, 3), waits.stream().map(p -> p.point().iters()).toList());
        assertEquals(3, waits.stream().map(p -> p.point().waitMode()).distinct().count(), "default, blocking, job-predict once each");
    }

    @Test
    void batchChartsTakeEachWaitAndModelWithTwoBatchSizesOrMore() throws Exception {
        Path root = fixture();
        // The default wait at batch 32 too, in graph and eager (2 runs each); blocking and job-predict stay at batch 1.
        for (String mode : List.of("graph", "eager")) {
            for (int k = 1; k <= 2; k++) {
                String run = sweepRun("default", 3.0 + k, 3.0 + k, 0.1, Map.of("poll", 0.1)).replace("\"batch\": 1", "\"batch\": 32")
                        .replace("\"mode\": \"graph\"", "\"mode\": \"" + mode + "\"");
                write(root.resolve("sweep/waits-bs32-" + mode + "/run-" + k + ".json"), run);
            }
        }
        // At batch 1 eager only for the default wait: a series of one batch size is no line.
        write(root.resolve("sweep/waits-bs1-eager/run-1.json"), sweepRun("default", 5, 5, 0, Map.of()).replace("\"mode\": \"graph\"", "\"mode\": \"eager\""));
        write(root.resolve("sweep/waits-bs1-eager/run-2.json"), sweepRun("default", 6, 6, 0, Map.of()).replace("\"mode\": \"graph\"", "\"mode\": \"eager\""));
        ResnetAnalysis a = ResnetAnalysis.of(ResnetResults.read(root.resolve("sweep")), Optional.empty(), Optional.empty(), Optional.empty());
        List<ResnetReport.BatchSeries> series = ResnetReport.batchSeries(a.sweep(), "fp16");
        assertEquals(List.of("default graph", "default eager"), series.stream().map(b -> b.waitMode() + " " + b.mode()).toList());
        assertEquals(List.of(1, 32), series.getFirst().points().stream().map(p -> p.point().batch()).toList());
        assertTrue(ResnetReport.batchSeries(a.sweep(), "fp32").isEmpty());
        List<String> names = ResnetReport.charts(a).stream().map(c -> c.fileName()).toList();
        assertTrue(names.containsAll(List.of("batch-fp16-latency.png", "batch-fp16-cpu.png", "batch-fp16-syscalls.png")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("batch-fp32")), names.toString());
    }

    @Test
    void underLoadTheJobWaitsAreComparedWithSpinAndBlockingFromNTwo() {
        java.util.function.BiFunction<double[], double[], Map<LoadMetric, double[]>> values = (p99, cpu) -> Map.of(LoadMetric.P99, p99, LoadMetric.CPU, cpu);
        List<ResnetAnalysis.LoadPoint> load = List.of(
                new ResnetAnalysis.LoadPoint("default", 1, values.apply(new double[] {1, 2}, new double[] {1, 2}), Map.of(), true),
                new ResnetAnalysis.LoadPoint("default", 2, values.apply(new double[] {20, 22}, new double[] {8, 8.4}), Map.of(), true),
                new ResnetAnalysis.LoadPoint("blocking", 2, values.apply(new double[] {14, 16}, new double[] {1.5, 1.7}), Map.of(), true),
                new ResnetAnalysis.LoadPoint("job-predict", 1, values.apply(new double[] {1, 3}, new double[] {1, 3}), Map.of(), true),
                new ResnetAnalysis.LoadPoint("job-predict", 2, values.apply(new double[] {10, 12}, new double[] {1, 1.2}), Map.of(), true));
        List<ResnetAnalysis.LoadDifference> rows = ResnetAnalysis.loadVersus(load);
        assertEquals(4, rows.size(), "job-predict at N = 2 against default and blocking, p99 and CPU; N = 1 left out: " + rows);
        var p99 = rows.stream().filter(d -> d.otherWait().equals("blocking") && d.metric() == LoadMetric.P99).findFirst().orElseThrow();
        // Welch with equal variances (2 and 2, two runs each): se = sqrt(2), df = 2, t(0.975, 2) = 4.302652729911275.
        assertEquals(-4.0, p99.ci().estimate(), 1e-12);
        assertEquals(-4.0 - 4.302652729911275 * Math.sqrt(2), p99.ci().low(), 1e-9);
        assertEquals(-4.0 + 4.302652729911275 * Math.sqrt(2), p99.ci().high(), 1e-9);
        assertEquals(1 - 2 * Math.sqrt(2) / Math.sqrt(10), p99.p(), 1e-9, "two-sided t(2) p of t = -2.828: 1 - |t| / sqrt(t^2 + 2)");
        assertTrue(rows.stream().allMatch(d -> d.holmP() >= d.p()));
    }

    private ResnetAnalysis analysis() throws Exception {
        Path root = fixture();
        return ResnetAnalysis.of(ResnetResults.read(root.resolve("sweep")), Optional.empty(), Optional.of(ResnetResults.read(root.resolve("load"))), Optional.empty());
    }

    private static ConfidenceInterval ratio(ResnetAnalysis a, String wait, Metric metric) {
        return a.ratios().stream().filter(r -> r.point().waitMode().equals(wait) && r.metric() == metric).findFirst().orElseThrow().ci();
    }
}
