package gpuos.reports;

import gpuos.reports.analysis.Warning;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on the fixture sweep, and every kind of bad input. */
class ReportMainTest {
    @TempDir
    static Path shared;
    /** The fixture sweep, reported once for all checks of a good run (charts take a second or two). */
    static Path sweep;
    static Run firstRun;

    record Run(int status, String out, String err) {
        String errLine() {
            assertEquals(1, err.lines().count(), "exactly one line on stderr, got: " + err);
            return err.strip();
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReportMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void reportTheSweep() {
        sweep = Fixtures.sweep(shared);
        firstRun = run(sweep.toString());
    }

    private static String report() throws IOException {
        return Files.readString(sweep.resolve("report.md"));
    }

    @Test
    void aGoodRunSucceedsQuietly() {
        assertEquals(ReportMain.OK, firstRun.status(), firstRun.err());
        assertEquals("", firstRun.err());
        assertTrue(firstRun.out().startsWith("gpuos-reports: wrote "), firstRun.out());
    }

    @Test
    void warningsComeBeforeResults() throws IOException {
        String report = report();
        int warnings = report.indexOf("## Warnings");
        assertTrue(warnings > 0 && warnings < report.indexOf("## Results at a glance") && warnings < report.indexOf("## Scaling"));
        assertTrue(report.contains("***WARNING*** Launch.empty [platform=pocl] has fewer than 3 forks at 3 of 3 points (fewest: 2)"), report);
        assertTrue(report.contains("***WARNING*** No syscalls.total.norm labels for Launch.empty [platform=pocl]"), report);
        assertTrue(report.contains("***WARNING*** VectorAdd.enqueue [platform=pocl]: score varies across forks by more than 10%"), report);
        assertTrue(report.contains("***WARNING*** VectorAdd.enqueue [platform=pocl] at bytes=4096, reps=10: fork 3 of 3 has score"), report);
        assertTrue(report.contains("***WARNING*** Counting backend bpf: syscalls of threads that exit within an iteration"), report);
        assertTrue(report.contains("***WARNING*** jmh/memcpy.json.partial is unfinished"), report);
        assertTrue(report.contains("***WARNING*** Part copy-bytes-nvidia has status failed in metadata.json"), report);
        assertTrue(report.contains("Iglewicz and Hoaglin 1993"), "the outlier rule is stated");
        assertTrue(report.contains(Warning.FEW_FORKS.hint), "hints are shown");
    }

    @Test
    void constraintsTableStatesRuleAndVerdicts() throws IOException {
        String report = report();
        assertTrue(report.contains("## Constraints"));
        assertTrue(report.contains("| Series | Metric | Along | Held at | Points | Forks/point | Slope ± 95% CI | Line fits (p) | Mean | Margin | Verdict | After Holm (p) |"));
        assertTrue(report.contains("Verdict rule:"));
        // identical forks everywhere: no spread measured, so no verdict and no "± 0"
        assertTrue(report.contains("VectorAdd.enqueue [platform=pocl]: workload syscalls/op are inconclusive along bytes: slope 0 (identical forks)"), report);
        assertTrue(report.contains("VectorAdd.enqueue [platform=pocl]: workload syscalls/op are inconclusive along repetitions: slope 2 (identical forks)"), report);
        assertTrue(report.contains("Holm family: the "), "the constraint family is named");
        assertTrue(report.contains("VectorAdd.enqueue [platform=pocl]: total syscalls/op do not change with bytes: slope 0.0"), report);
        assertTrue(report.contains("VectorAdd.enqueue [platform=pocl]: total syscalls/op grow with repetitions: slope 2.0"), report);
        // the workload rows come right after the score rows of a series, before the total and the roles
        int workload = report.indexOf("| VectorAdd.loop | syscalls.workload.norm | bytes |");
        assertTrue(workload > report.indexOf("| VectorAdd.loop | score | reps |")
                && workload < report.indexOf("| VectorAdd.loop | syscalls.total.norm | bytes |"), report);
        assertTrue(report.contains("0.01 syscalls/op, whichever is larger"), "the count margin is stated");
        assertTrue(report.contains("| Series | bytes | reps | forks | Score (95% CI) | Workload syscalls/op (95% CI) |"
                + " Total syscalls/op (95% CI) | JVM share of total |"), report);
        // VectorAdd.loop: its only syscalls are on JVM threads
        assertTrue(report.contains("| VectorAdd.loop | 4096 | 10 | 3 | 1.821 ± 0.048 us/op | 0 (identical forks) #/op | 0.0026 ± 0.0019 #/op | 100.0% |"), report);
        assertTrue(report.contains("whose syscalls follow wall time, not the workload"), "the method says why the total is not the headline");
        assertTrue(report.contains("VectorAdd.loop: score grows with bytes"), report);
        assertTrue(report.contains("| VectorAdd.enqueue [platform=pocl] | VectorAdd.loop | 65536 | 10 | score |"), "ratio vs the cpu baseline");
        assertTrue(report.contains("| VectorAdd.enqueue [platform=pocl] | 65536 | 10 | futex | 21 (identical forks) |"), "top syscalls");
        // The header comes from metadata.json.
        assertTrue(report.contains("| Run | 20261121-223000-fixture |") && report.contains("| OpenCL | pocl, Portable Computing Language"));
    }

    @Test
    void aRunWithoutGpuTimeOrWaitPolicyHasNeitherPoolsNorFactors() throws IOException {
        String report = report();
        assertFalse(report.contains("## Categorical factors"), report);
        assertFalse(report.contains("gpuNanos"), report);
        assertFalse(Files.exists(sweep.resolve("csv/factors.csv")));
    }

    @Test
    void aRunWithoutSyncLabelsHasNoWaitCallSection() throws IOException {
        String report = report();
        assertFalse(report.contains("## Syscalls per wait call"), report);
        assertFalse(report.contains("wait-calls"), report);
        assertFalse(Files.exists(sweep.resolve("csv/wait-calls.csv")));
        assertFalse(Files.exists(sweep.resolve("charts/wait-calls.png")));
    }

    @Test
    void chartsArePngsOfPaperSize() throws IOException {
        List<Path> charts;
        try (Stream<Path> listing = Files.list(sweep.resolve("charts"))) {
            charts = listing.sorted().toList();
        }
        List<String> names = charts.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("score-vs-bytes.png", "score-vs-reps.png", "syscalls-workload-vs-bytes.png",
                "syscalls-workload-vs-reps.png", "syscalls-total-vs-bytes.png", "syscalls-total-vs-reps.png",
                "breakdown-role.png", "breakdown-thread.png")), names.toString());
        String report = report();
        assertTrue(report.indexOf("](charts/syscalls-workload-vs-bytes.png)") < report.indexOf("](charts/syscalls-total-vs-bytes.png)"),
                "workload syscalls are charted first");
        assertTrue(report.contains("*Workload syscalls/op: syscalls of worker + runtime threads"), "the chart's caption says what it counts");
        for (Path chart : charts) {
            BufferedImage image = ImageIO.read(chart.toFile());
            assertNotNull(image, chart + " decodes");
            assertEquals(1600, image.getWidth());
            // Paper width always; breakdown charts grow downwards by their turned series names (never below paper height).
            if (chart.getFileName().toString().startsWith("breakdown-")) assertTrue(image.getHeight() >= 1000, chart + ": " + image.getHeight());
            else assertEquals(1000, image.getHeight());
            assertTrue(report.contains("](charts/" + chart.getFileName() + ")"), "report.md shows " + chart.getFileName());
        }
    }

    @Test
    void csvHasOneRowPerPointAndMetric() throws IOException {
        List<String> summary = Files.readAllLines(sweep.resolve("csv/summary.csv"));
        assertEquals("benchmark,series,mode,params,bytes,reps,metric,unit,n_forks,mean,ci_low,ci_high,cv", summary.getFirst());
        assertTrue(summary.stream().anyMatch(l -> l.startsWith("gpuos.benchmarks.opencl.VectorAdd.enqueue,VectorAdd.enqueue [platform=pocl],avgt,"
                + "bytes=65536;platform=pocl;reps=10,65536,10,syscalls.sched_yield.norm,#/op,3,1.333")), "missing iterations count as 0");
        List<String> constraints = Files.readAllLines(sweep.resolve("csv/constraints.csv"));
        assertTrue(constraints.getFirst().startsWith("series,metric,unit,axis,held_param,held_value,points,min_forks,slope,slope_ci_low,slope_ci_high,slope_unit,lack_of_fit_p"));
        assertTrue(constraints.size() > 4);
    }

    @Test
    void aSecondRunGivesTheSameReportAndLeavesNoStaging() throws IOException {
        byte[] before = Files.readAllBytes(sweep.resolve("report.md"));
        Files.writeString(sweep.resolve("charts/stale.png"), "from an older report");
        Run again = run(sweep.toString());
        assertEquals(ReportMain.OK, again.status(), again.err());
        assertArrayEquals(before, Files.readAllBytes(sweep.resolve("report.md")), "no random numbers: reproducible");
        assertFalse(Files.exists(sweep.resolve("charts/stale.png")), "charts/ is replaced as a whole");
        try (Stream<Path> listing = Files.list(sweep)) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().startsWith(".report-")), "staging folder removed");
        }
    }

    // ---- bad input: exit 2, one line on stderr, an earlier report untouched ----

    @Test
    void missingFolder(@TempDir Path dir) {
        Run run = run(dir.resolve("nope").toString());
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().contains("does not exist; pass the folder of one run"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void noArguments() {
        Run run = run();
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().contains("usage: java -cp gpuos.jar gpuos.reports.ReportMain <results-dir>"));
    }

    @Test
    void emptyFolder(@TempDir Path dir) throws IOException {
        Fixtures.withEarlierReport(dir);
        Run run = run(dir.toString());
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().contains("no results in " + dir + ": expected jmh/*.json or external/*.json"), run.err());
        Fixtures.assertEarlierReportKept(dir);
    }

    @Test
    void onlyAnInterruptedPart(@TempDir Path dir) throws IOException {
        Fixtures.withEarlierReport(dir);
        Files.createDirectories(dir.resolve("jmh"));
        Files.writeString(dir.resolve("jmh/copy.json.partial"), "[{");
        Run run = run(dir.toString());
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().contains("only jmh/copy.json.partial from an interrupted run"), run.err());
        Fixtures.assertEarlierReportKept(dir);
    }

    @Test
    void corruptJson(@TempDir Path dir) throws IOException {
        Path folder = Fixtures.withEarlierReport(Fixtures.sweep(dir));
        String json = Files.readString(folder.resolve("jmh/vectoradd.json"));
        Files.writeString(folder.resolve("jmh/vectoradd.json"), json.substring(0, json.length() / 2));
        Run run = run(folder.toString());
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().startsWith("gpuos-reports: jmh/vectoradd.json is not valid JSON ("), run.err());
        assertTrue(run.errLine().endsWith("move the file out of the results folder to report without it"), run.err());
        Fixtures.assertEarlierReportKept(folder);
    }

    @Test
    void jsonThatIsNotJmhOutput(@TempDir Path dir) throws IOException {
        Fixtures.withEarlierReport(dir);
        Files.createDirectories(dir.resolve("external"));
        Files.writeString(dir.resolve("external/trace.json"), "{\"benchmark\": \"x\"}");
        Run run = run(dir.toString());
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().contains("external/trace.json is not JMH JSON output (expected an array of benchmark entries)"), run.err());
        Fixtures.assertEarlierReportKept(dir);
    }

    @Test
    void corruptMetadata(@TempDir Path dir) throws IOException {
        Path folder = Fixtures.withEarlierReport(Fixtures.sweep(dir));
        Files.writeString(folder.resolve("metadata.json"), "{\"runId\": ");
        Run run = run(folder.toString());
        assertEquals(ReportMain.BAD_INPUT, run.status());
        assertTrue(run.errLine().contains("metadata.json in " + folder + " is not valid JSON"), run.err());
        Fixtures.assertEarlierReportKept(folder);
    }
}
