package gpuos.reports;

import gpuos.reports.render.ReportFiles;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "Syscalls per wait call" section end to end, from JMH JSON with {@code sync.*} labels (counts per iteration, only
 * in the iterations the profiler counted) to report.md and csv/wait-calls.csv.
 */
class WaitCallsReportTest {
    @TempDir
    static Path dir;
    static Path folder;
    static String report;

    static final String LAUNCH_SYNC = "gpuos.benchmarks.cuda.CudaExecution.launchSync";
    static final String SECTION = "## Syscalls per wait call";

    static RunnerFixtures.Entry launchSync(String waitPolicy) {
        return RunnerFixtures.benchmark(LAUNCH_SYNC, Map.of("bytes", "4096", "reps", "100", "gpuNanos", "10000", "waitPolicy", waitPolicy))
                .score(20, 20, 20)
                .label("syscalls.thread.worker", 0.01, 0.02, 0.03);
    }

    static double[] row(double... iterations) {
        return iterations;
    }

    static Run render(Path folder) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReportMain.run(new String[] {folder.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ReportMain.OK, status, err.toString(StandardCharsets.UTF_8));
        return new Run(Files.readString(folder.resolve("report.md")));
    }

    record Run(String report) {}

    @BeforeAll
    static void reportTheRun() throws IOException {
        // auto: 1000 calls in each of 2 iterations, 1, 2 or 3 of them blocked (one syscall each) in forks 1, 2, 3.
        RunnerFixtures.Entry auto = launchSync("auto")
                .iterations("sync.invocations", row(1000, 1000), row(1000, 1000), row(1000, 1000))
                .iterations("sync.blocked", row(1, 1), row(2, 2), row(3, 3))
                .iterations("sync.syscalls", row(1, 1), row(2, 2), row(3, 3))
                .iterations("sync.hist.0", row(999, 999), row(998, 998), row(997, 997))
                .iterations("sync.hist.1", row(1, 1), row(2, 2), row(3, 3))
                .iterations("sync.hist.2-3", row(0, 0), row(0, 0), row(0, 0))
                .iterations("sync.hist.4-7", row(0, 0), row(0, 0), row(0, 0))
                .iterations("sync.hist.8+", row(0, 0), row(0, 0), row(0, 0));
        // yield: fork 1 blocks in 10 of 100 calls, then 290 of 300: 300 of 400 per fork (0.75), where the mean of the
        // iterations' shares would be 0.53. Forks 2 and 3: 0.5 and 1. sync.hist.8+ is in one iteration of fork 2 only (5
        // of 400 calls) and sync.hist.1 and sync.hist.2-3 are absent: missing counts are 0.
        RunnerFixtures.Entry yield = launchSync("yield")
                .iterations("sync.invocations", row(100, 300), row(200, 200), row(400, 400))
                .iterations("sync.blocked", row(10, 290), row(100, 100), row(400, 400))
                .iterations("sync.syscalls", row(50, 1450), row(500, 540), row(2000, 2000))
                .iterations("sync.hist.0", row(90, 10), row(100, 100), row(0, 0))
                .iterations("sync.hist.4-7", row(10, 290), row(100, 95), row(400, 400))
                .iterations("sync.hist.8+", row(), row(5), row());
        folder = RunnerFixtures.folder(dir, List.of(auto, yield), null);
        report = render(folder).report();
    }

    @Test
    void theSectionFollowsTheWaitPolicyTable() {
        int factors = report.indexOf("### Does the wait policy change syscalls per op?");
        int section = report.indexOf(SECTION);
        assertTrue(factors > 0 && section > factors && section < report.indexOf("## Syscall breakdown"), report);
        assertTrue(report.contains("A mean of syscalls per operation hides which calls slept"), report);
    }

    @Test
    void oneRowPerPointWithForkMeansOfPerForkShares() {
        assertTrue(report.contains("| Series | bytes | reps | Forks | Calls/iter (95% CI) | Blocked share (95% CI) | Syscalls/call (95% CI)"
                + " | 0 | 1 | 2-3 | 4-7 | 8+ |"), report);
        assertTrue(report.contains("| CudaExecution.launchSync [gpuNanos=10000, waitPolicy=auto] | 4096 | 100 | 3 | 1000 (identical forks)"
                + " | 0.20% ± 0.25% | 0.0020 ± 0.0025 | 99.80% | 0.20% | 0% | 0% | 0% |"), report);
        // shares 0.75, 0.5, 1: mean 0.75, sd 0.25, t(0.975, 2 df) 4.302653 x 0.25 / sqrt(3) = 0.621034;
        // syscalls per call 3.75, 2.6, 5: 3.7833 ± 2.9818; calls per iteration 200, 200, 400: 266.67 ± 286.84
        assertTrue(report.contains("| CudaExecution.launchSync [gpuNanos=10000, waitPolicy=yield] | 4096 | 100 | 3 | 267 ± 287"
                + " | 75% ± 62% | 3.8 ± 3.0 | 25.0% | 0% | 0% | 74.6% | 0.42% |"), report);
    }

    @Test
    void theCsvHasEveryShareWithItsInterval() throws IOException {
        List<String> lines = Files.readAllLines(folder.resolve(ReportFiles.WAIT_CALLS_CSV));
        assertEquals("benchmark,series,mode,params,bytes,reps,n_forks,invocations_per_iter,invocations_per_iter_ci_low,"
                + "invocations_per_iter_ci_high,blocked_share,blocked_share_ci_low,blocked_share_ci_high,syscalls_per_call,"
                + "syscalls_per_call_ci_low,syscalls_per_call_ci_high,hist_0_share,hist_0_share_ci_low,hist_0_share_ci_high,"
                + "hist_1_share,hist_1_share_ci_low,hist_1_share_ci_high,hist_2_3_share,hist_2_3_share_ci_low,hist_2_3_share_ci_high,"
                + "hist_4_7_share,hist_4_7_share_ci_low,hist_4_7_share_ci_high,hist_8_plus_share,hist_8_plus_share_ci_low,"
                + "hist_8_plus_share_ci_high", lines.get(0));
        assertEquals(3, lines.size(), "a header and one row per point");
        String[] yield = lines.get(2).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
        assertEquals(LAUNCH_SYNC, yield[0]);
        assertEquals("bytes=4096;gpuNanos=10000;reps=100;waitPolicy=yield", yield[3]);
        assertEquals("3", yield[6]);
        assertEquals(0.75, Double.parseDouble(yield[10]), 1e-12);
        assertEquals(0.75 - 0.621034, Double.parseDouble(yield[11]), 1e-6);
        assertEquals(0.75 + 0.621034, Double.parseDouble(yield[12]), 1e-6);
        assertEquals(3.783333, Double.parseDouble(yield[13]), 1e-6);
        assertEquals(0.25, Double.parseDouble(yield[16]), 1e-12, "share of calls without syscalls");
        assertEquals(0, Double.parseDouble(yield[19]), "an absent bucket is 0");
        assertEquals(0.0125 / 3, Double.parseDouble(yield[28]), 1e-12, "8+: 5 of 400 calls in fork 2 only");
        assertTrue(report.contains("- [" + ReportFiles.WAIT_CALLS_CSV + "](" + ReportFiles.WAIT_CALLS_CSV + ")"), "listed under Files");
    }

    @Test
    void aStackedBarChartWhenItFits() {
        assertTrue(Files.isRegularFile(folder.resolve("charts/wait-calls.png")));
        assertTrue(report.contains("![Syscalls per wait call: CudaExecution.launchSync](charts/wait-calls.png)"), report);
    }

    @Test
    void withoutAWaitPolicyTableTheSectionFollowsTheConstraints(@TempDir Path other) throws IOException {
        RunnerFixtures.Entry pocl = RunnerFixtures.benchmark("gpuos.benchmarks.opencl.OpenClExecution.emptyKernel",
                        Map.of("bytes", "4096", "reps", "1", "platform", "pocl"))
                .score(20, 20, 20)
                .label("syscalls.thread.worker", 9, 9, 9)
                .iterations("sync.invocations", row(10, 10), row(10, 10), row(10, 10))
                .iterations("sync.blocked", row(10, 10), row(10, 10), row(10, 10))
                .iterations("sync.syscalls", row(80, 80), row(80, 80), row(80, 80))
                .iterations("sync.hist.8+", row(10, 10), row(10, 10), row(10, 10));
        String text = render(RunnerFixtures.folder(other, List.of(pocl), null)).report();
        assertFalse(text.contains("## Categorical factors"));
        int section = text.indexOf(SECTION);
        assertTrue(section > text.indexOf("## Constraints") && section < text.indexOf("## Syscall breakdown"), text);
        assertTrue(text.contains("| OpenClExecution.emptyKernel [platform=pocl] | 4096 | 1 | 3 | 10 (identical forks) | 100% (identical forks) | 8 (identical forks) | 0% | 0% | 0% | 0% | 100% |"), text);
    }
}
