package gpuos.reports;

import gpuos.reports.analysis.ScalingAxis;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA execution model end to end, from JMH JSON to report.md: do syscalls per operation grow with GPU busy time
 * (CudaExecution.spin along gpuNanos, one line per waitPolicy), and do they change with the wait policy
 * (CudaExecution.launchSync and spin, each policy against auto, else the first)?
 */
class CudaExecutionReportTest {
    @TempDir
    static Path dir;
    static String report;
    static Path folder;

    static final String SPIN = "gpuos.benchmarks.cuda.CudaExecution.spin";
    static final String LAUNCH_SYNC = "gpuos.benchmarks.cuda.CudaExecution.launchSync";

    /** Worker syscalls/op (the workload) with fork noise -e, 0, +e, sync role the same, and any syscalls given. */
    static RunnerFixtures.Entry entry(String benchmark, long gpuNanos, String waitPolicy, long reps, double workload, double e,
                                      Map<String, Double> syscalls) {
        RunnerFixtures.Entry entry = RunnerFixtures.benchmark(benchmark, Map.of("bytes", "4096", "reps", Long.toString(reps),
                        "gpuNanos", Long.toString(gpuNanos), "waitPolicy", waitPolicy))
                .score(gpuNanos / 1000.0 + 8, gpuNanos / 1000.0 + 8, gpuNanos / 1000.0 + 8)
                .label("syscalls.thread.worker", workload - e, workload, workload + e)
                .label("syscalls.role.sync", workload - e, workload, workload + e);
        syscalls.forEach((name, perOp) -> entry.label("syscalls." + name, perOp, perOp, perOp));
        return entry;
    }

    @BeforeAll
    static void reportTheRun() throws IOException {
        List<RunnerFixtures.Entry> entries = new ArrayList<>();
        for (long g : new long[] {1_000, 10_000, 100_000, 1_000_000}) {
            // spin: 0.2 log2(gpuNanos) - 1.5 syscalls/op; blocking: 5 at every GPU time, 2 futex and 2 poll of them
            entries.add(entry(SPIN, g, "spin", 1, 0.2 * ScalingAxis.log2(g) - 1.5, 0.01, Map.of()));
            entries.add(entry(SPIN, g, "blocking", 1, 5, 0.01, Map.of("futex", 2.0, "poll", 2.0)));
        }
        for (long reps : new long[] {1, 100}) {
            // spin as auto (within the 0.01/op margin), yield 5 sched_yield per launch
            entries.add(entry(LAUNCH_SYNC, 10_000, "auto", reps, 0.05, 0.001, Map.of()));
            entries.add(entry(LAUNCH_SYNC, 10_000, "spin", reps, 0.05, 0.001, Map.of()));
            entries.add(entry(LAUNCH_SYNC, 10_000, "yield", reps, 5 * reps, 0.001, Map.of("sched_yield", 5.0 * reps)));
        }
        folder = RunnerFixtures.folder(dir, entries, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReportMain.run(new String[] {folder.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ReportMain.OK, status, err.toString(StandardCharsets.UTF_8));
        report = Files.readString(folder.resolve("report.md"));
    }

    @Test
    void syscallsPerOpAlongGpuTimeOneRowPerWaitPolicy() {
        // 0.2 per doubling exactly; CI half width t(0.975, 2) * fork-noise SE = 0.0033442 (see GpuTimeAxisTest)
        assertTrue(report.contains("| CudaExecution.spin [waitPolicy=spin] | syscalls.workload.norm | gpuNanos | bytes = 4096, reps = 1 | 4 | 3"
                + " | 0.2000 ± 0.0033 per doubling of GPU time | yes (1) | 1.49 #/op | 0.0075 | **grows with GPU time** | grows with GPU time ("),
                report);
        assertTrue(report.contains("| CudaExecution.spin [waitPolicy=blocking] | syscalls.workload.norm | gpuNanos | bytes = 4096, reps = 1 | 4 | 3"
                + " | 0.0000 ± 0.0033 per doubling of GPU time | yes (1) | 5 #/op | 0.025 | **invariant** | invariant ("), report);
        assertTrue(report.contains("- CudaExecution.spin [waitPolicy=spin]: workload syscalls/op grow with GPU time: slope 0.2000 ± 0.0033"
                + " per doubling of GPU time (line of the means of 4 points, at least 3 forks each, bytes = 4096, reps = 1)."), report);
        assertTrue(report.contains("Along gpuNanos (GPU time; regressed on log2 gpuNanos, so per doubling of GPU time)"), "the pooling is stated");
        assertFalse(report.contains("| CudaExecution.launchSync [waitPolicy=auto] |"), "launchSync runs at one GPU time: no pool");
        // the series of one GPU time keep their rows along bytes and reps, held at the other
        assertTrue(report.contains("| CudaExecution.spin [gpuNanos=1000, waitPolicy=spin] | syscalls.workload.norm | bytes | 1 | 1 | 3 |"), report);
        assertTrue(report.contains("| CudaExecution.launchSync [gpuNanos=10000, waitPolicy=yield] | syscalls.workload.norm | reps | 4096 | 2 | 3 |"), report);
    }

    @Test
    void aChartAlongGpuTime() throws IOException {
        assertTrue(Files.isRegularFile(folder.resolve("charts/syscalls-workload-vs-gpuNanos.png")));
        assertTrue(report.contains("### Workload syscalls/op vs gpuNanos at bytes = 4096, reps = 1 (mean, 95% CI)"), report);
        assertTrue(report.contains("Along gpuNanos (GPU time) one line pools the series that differ only in gpuNanos"), report);
    }

    @Test
    void doesTheWaitPolicyChangeSyscallsPerOp() throws IOException {
        int section = report.indexOf("## Categorical factors");
        assertTrue(section > report.indexOf("## Constraints") && section < report.indexOf("## Syscall breakdown"), report);
        assertTrue(report.contains("### Does the wait policy change syscalls per op?"), report);
        assertTrue(report.contains("**same**: the CI of d lies inside (-m, m). **differs**: the CI of d excludes 0 and |d| > m."), "the rule is stated");
        // launchSync against auto: spin the same, yield 100x the syscalls (sched_yield) per op
        assertTrue(report.contains("| CudaExecution.launchSync [gpuNanos=10000] | 4096 | 1 | spin | auto | syscalls.workload.norm"
                + " | 0.0500 ± 0.0025 #/op (n = 3) | 0.0500 ± 0.0025 #/op (n = 3) |"), report);
        String yield = row("| CudaExecution.launchSync [gpuNanos=10000] | 4096 | 100 | yield | auto |");
        assertTrue(yield.contains("| 0.01 | **differs** | differs (p = <0.0001) | sync +500 | sched_yield +500 |"), yield);
        String spin = row("| CudaExecution.launchSync [gpuNanos=10000] | 4096 | 1 | spin | auto |");
        assertTrue(spin.contains("| **same** | same (p = ") && spin.endsWith("| — | — |"), spin);
        // spin has no auto: blocking against spin, the first policy in its results, at each GPU time
        for (String g : List.of("1000", "10000", "100000", "1000000")) {
            String blocking = row("| CudaExecution.spin [gpuNanos=" + g + "] | 4096 | 1 | blocking | spin |");
            assertTrue(blocking.contains("**differs** | differs (p = ") && blocking.contains(" | sync +") && blocking.contains("| futex +2.0, poll +2.0 |"), blocking);
        }
        assertTrue(report.indexOf("[gpuNanos=1000] | 4096 | 1 | blocking") < report.indexOf("[gpuNanos=10000] | 4096 | 1 | blocking"));
        assertTrue(report.contains("Verdicts: same 2, differs 6, inconclusive 0 of 8."), report);
        List<String> csv = Files.readAllLines(folder.resolve("csv/factors.csv"));
        assertEquals(9, csv.size(), "a header and one row per comparison");
        assertTrue(csv.getFirst().startsWith("factor,series,benchmark,params,bytes,reps,level,reference,metric,unit,n_forks"));
        assertTrue(report.contains("- [csv/factors.csv](csv/factors.csv)"));
    }

    private static String row(String start) {
        int at = report.indexOf(start);
        assertTrue(at >= 0, "no row " + start + " in\n" + report);
        return report.substring(at, report.indexOf('\n', at));
    }
}
