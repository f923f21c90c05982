package gpuos.reports;

import com.google.gson.JsonObject;
import gpuos.reports.RunnerFixtures.Entry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static gpuos.reports.RunnerFixtures.entry;
import static gpuos.reports.RunnerFixtures.failure;
import static gpuos.reports.RunnerFixtures.intervention;
import static gpuos.reports.RunnerFixtures.prediction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on a synthetic Phase-2 run: report.md's section, csv/verdicts.csv, the forest plots, bad input. */
@Timeout(120) // XChart's tick search never ends on some labels: fail rather than hang
class Phase2ReportTest {
    @TempDir
    static Path shared;
    static Path run;
    static ReportMainTest.Run firstRun;

    /**
     * A Phase-2 run on CUDA (two sizes) and OpenCL on PoCL: a baseline; blocking-wait, whose futex waits add 5 sync
     * syscalls/op on the worker; spin-wait, which removes none (refuted); graph-launch with knobs, fewer ioctls and a
     * faster op; cuda-graph, which failed in setup; an intervention missing from the index; one never run.
     */
    static Path showcase(Path dir) {
        List<Entry> entries = new ArrayList<>();
        for (long bytes : new long[] {4096, 1 << 20}) {
            double t = bytes == 4096 ? 20 : 180;
            entries.add(entry("cuda", null, "baseline", "", bytes, 16).score(t, t * 1.01, t * 0.99)
                    .label("syscalls.role.sync", 1, 1.02, 0.98).label("syscalls.role.dispatch", 32, 32, 32)
                    .label("syscalls.ioctl", 32, 32, 32).label("syscalls.futex", 1, 1.02, 0.98)
                    .label("syscalls.thread.worker", 33, 33.02, 32.98).label("syscalls.thread.jvm", 0.3, 0.2, 0.4)
                    .label("cpu.process", 20000, 20100, 19900).label("cpu.worker", 19000, 19100, 18900));
            entries.add(entry("cuda", null, "blocking-wait", "", bytes, 16).score(t * 1.3, t * 1.32, t * 1.28)
                    .label("syscalls.role.sync", 5.9, 6.0, 5.8).label("syscalls.role.dispatch", 32, 32, 32)
                    .label("syscalls.ioctl", 32, 32, 32).label("syscalls.futex", 5.9, 6.0, 5.8)
                    .label("syscalls.thread.worker", 37.9, 38, 37.8).label("syscalls.thread.jvm", 0.3, 0.2, 0.4)
                    .label("cpu.process", 6000, 6100, 5900).label("cpu.worker", 5000, 5100, 4900));
            entries.add(entry("cuda", null, "spin-wait", "", bytes, 16).score(t, t * 1.01, t * 0.99)
                    .label("syscalls.role.sync", 1, 1.01, 0.99).label("syscalls.role.dispatch", 32, 32, 32)
                    .label("syscalls.ioctl", 32, 32, 32).label("syscalls.futex", 1, 1.01, 0.99)
                    .label("syscalls.thread.worker", 33, 33.01, 32.99).label("syscalls.thread.jvm", 0.3, 0.2, 0.4)
                    .label("cpu.process", 20000, 20050, 19950).label("cpu.worker", 19000, 19050, 18950));
            entries.add(entry("cuda", null, "graph-launch", "batch=16", bytes, 16).score(t * 0.6, t * 0.61, t * 0.59)
                    .label("syscalls.role.sync", 1, 1.02, 0.98).label("syscalls.role.dispatch", 2, 2, 2)
                    .label("syscalls.ioctl", 2, 2, 2).label("syscalls.futex", 1, 1.02, 0.98)
                    .label("syscalls.thread.worker", 3, 3.02, 2.98).label("syscalls.thread.jvm", 0.3, 0.2, 0.4)
                    .label("cpu.process", 12000, 14000, 10000).label("cpu.worker", 11000, 13000, 9000));
        }
        entries.add(entry("opencl", "pocl", "baseline", "", 4096, 16).score(40, 41, 39)
                .label("syscalls.role.sync", 2, 2.1, 1.9).label("syscalls.thread.runtime", 2, 2.1, 1.9));
        entries.add(entry("opencl", "pocl", "blocking-wait", "", 4096, 16).score(44, 60, 39)
                .label("syscalls.role.sync", 2, 4.1, 1.9).label("syscalls.thread.runtime", 2, 4.1, 1.9));
        entries.add(entry("cuda", null, "mystery", "", 4096, 16).score(10, 10, 10));
        List<JsonObject> index = List.of(
                intervention("baseline", "baseline", true),
                intervention("blocking-wait", "sync", false, prediction("syscalls.role.sync", "rises", "baseline"),
                        prediction("cpu.worker", "falls", "baseline")),
                intervention("spin-wait", "sync", false, prediction("syscalls.role.sync", "falls", "baseline"),
                        prediction("time", "unchanged", "baseline")),
                intervention("graph-launch", "dispatch", false, prediction("syscalls.ioctl", "falls", "baseline"),
                        prediction("time", "falls", "baseline"), prediction("cpu.process", "unchanged", "baseline")),
                intervention("cuda-graph", "dispatch", false, prediction("syscalls.role.dispatch", "falls", "baseline")),
                intervention("pinned-pool", "memory", false, prediction("syscalls.role.memory", "falls", "baseline")));
        return RunnerFixtures.folder(dir, entries, index,
                failure("cuda", "cuda-graph", 4096, 16, "", "setup", "CudaException: CUDA_ERROR_INVALID_VALUE"),
                failure("cuda", "cuda-graph", 1 << 20, 16, "", "setup", "CudaException: CUDA_ERROR_INVALID_VALUE"));
    }

    @BeforeAll
    static void reportTheShowcase() {
        run = showcase(shared);
        firstRun = ReportMainTest.run(run.toString());
    }

    private static String report() throws IOException {
        return Files.readString(run.resolve("report.md"));
    }

    @Test
    void aRunWithFailuresIsReportedInFull() throws IOException {
        assertEquals(ReportMain.OK, firstRun.status(), firstRun.err());
        String report = report();
        int warnings = report.indexOf("## Warnings");
        int phase2 = report.indexOf("## Phase 2: interventions");
        assertTrue(warnings > 0 && phase2 > warnings, report);
        assertTrue(report.contains("***WARNING*** Intervention cuda-graph threw 2 times (in setup: 2)"), report);
        assertTrue(report.contains("***WARNING*** Intervention mystery has results (1 point) but is not in interventions.json"), report);
        assertTrue(report.contains("## Phase 1\n\nNo Phase-1 benchmark results in this run"), "no empty Phase-1 tables");
        assertFalse(report.contains("## Constraints"));
        assertTrue(report.contains("| Intervention | Backend | Params | Phase | Error |\n|---|---|---|---|---|\n"
                + "| cuda-graph | cuda | bytes=4096;knobs=;reps=16 | setup | `CudaException: CUDA_ERROR_INVALID_VALUE` |\n"), report);
        int failures = report.indexOf("### Failures");
        int verdicts = report.indexOf("### Verdicts\n");
        int summary = report.indexOf("### Verdicts per family");
        assertTrue(phase2 < failures && failures < verdicts && verdicts < summary, "failures, verdicts, counts per family");
    }

    @Test
    void verdictTableHasOneRowPerPredictionAndPoint() throws IOException {
        String report = report();
        assertTrue(report.contains("| Intervention | Family | Prediction | Backend | bytes | reps | Baseline mean | Intervention mean |"
                + " Ratio [95% CI] | Difference d [95% CI] | Margin m | Verdict | p (Holm) | After Holm | What moved |"), report);
        // blocking-wait on CUDA at 4 KiB: sync 1.0 -> 5.9 syscalls/op, the worker threads make them
        assertTrue(report.contains("| blocking-wait | sync | `syscalls.role.sync` rises vs baseline | cuda | 4096 | 16 |"
                + " 1.000 ± 0.050 #/op (n = 3) | 5.90 ± 0.25 #/op (n = 3) |"), report);
        assertTrue(report.matches("(?s).*\\| 0\\.05 \\| \\*\\*confirmed\\*\\* \\| [^|]+ \\| confirmed \\| sync \\+4\\.9, worker \\+4\\.9 \\|.*"), report);
        assertTrue(report.contains("Holm family: the "), "the family is named");
        assertTrue(report.contains("| graph-launch [batch=16] | dispatch | `syscalls.ioctl` falls vs baseline | cuda | 4096 | 16 |"
                + " 32 (identical forks) #/op (n = 3) | 2 (identical forks) #/op (n = 3) | 0.0625 (identical forks)× |"
                + " -30 (identical forks) | 1.6 | inconclusive: identical forks on both sides: no spread measured, so no interval |"
                + " — | — | dispatch -30, worker -30 |"), "identical forks are no certainty: " + report);
        assertTrue(report.contains("| spin-wait | sync | `syscalls.role.sync` falls vs baseline | cuda | 4096 | 16 |"), report);
        assertTrue(report.contains("| **refuted** |"), report);
        assertTrue(report.contains("| cuda-graph | dispatch | `syscalls.role.dispatch` falls vs baseline | cuda | 4096 | 16 | 32 (identical forks) #/op (n = 3) | — | — | — | 1.6 |"
                + " inconclusive: the intervention failed here (setup: CudaException: CUDA_ERROR_INVALID_VALUE) | — | — | — |"), report);
        assertTrue(report.contains("| blocking-wait | sync | `syscalls.role.sync` rises vs baseline | opencl (pocl) | 4096 | 16 |"), report);
        assertTrue(report.contains("Not run here (in the index, with predictions, but neither results nor failures): pinned-pool."), report);
        assertTrue(report.contains("Verdict rule: d = intervention - baseline"), "the rule is stated");
    }

    @Test
    void countsPerFamily() throws IOException {
        String report = report();
        // sync: blocking-wait 2 predictions x 2 CUDA points + 2 on PoCL, spin-wait 2 x 2; dispatch: graph-launch 3 x 2,
        // cuda-graph 1 x 2 (failed)
        assertTrue(report.contains("| Family | Confirmed | Refuted | Inconclusive | Total | Confirmed after Holm | Refuted after Holm |\n"), report);
        assertTrue(report.matches("(?s).*\\| sync \\| \\d+ \\| \\d+ \\| \\d+ \\| 10 \\| \\d+ \\| \\d+ \\|\n.*"), report);
        // dispatch: 2 failed, and graph-launch's identical forks (ioctl 32 -> 2 in every fork) decide nothing
        assertTrue(report.matches("(?s).*\\| dispatch \\| \\d+ \\| \\d+ \\| [3-8] \\| 8 \\| \\d+ \\| \\d+ \\|\n.*"), report);
        assertTrue(report.matches("(?s).*\\| \\*\\*all\\*\\* \\| \\d+ \\| \\d+ \\| \\d+ \\| 18 \\| \\d+ \\| \\d+ \\|\n.*"), report);
    }

    @Test
    void verdictsCsvHasEveryNumber() throws IOException {
        List<String> csv = Files.readAllLines(run.resolve("csv/verdicts.csv"));
        assertEquals("intervention,family,knobs,backend,platform,benchmark,params,bytes,reps,metric,label,unit,direction,against,"
                + "baseline_knobs,n_forks,baseline_n_forks,baseline_mean,intervention_mean,ratio,ratio_ci_low,ratio_ci_high,"
                + "difference,difference_ci_low,difference_ci_high,margin,verdict,reason,p,holm_p,verdict_after_holm,moved", csv.getFirst());
        assertEquals(1 + 18, csv.size());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("graph-launch,dispatch,batch=16,cuda,,gpuos.interventions.runner.CudaRunner.operation,"
                + "bytes=4096;reps=16,4096,16,syscalls.ioctl,syscalls.ioctl.norm,#/op,falls,baseline,,3,3,32.0,2.0,0.0625,0.0625,0.0625,"
                + "-30.0,-30.0,-30.0,1.6,inconclusive,\"identical forks on both sides: no spread measured, so no interval\",,,"
                + "inconclusive,\"dispatch -30, worker -30\"")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("cuda-graph,dispatch,,cuda,,") && l.contains(",baseline,,,3,32.0,,,,,,,,1.6,inconclusive,"
                + "the intervention failed here (setup: CudaException: CUDA_ERROR_INVALID_VALUE),")), String.join("\n", csv));
        assertTrue(report().contains("[csv/verdicts.csv](csv/verdicts.csv)"));
    }

    @Test
    void forestPlotsPerBackendAreLegible() throws IOException {
        String report = report();
        for (String name : List.of("verdicts-cuda.png", "verdicts-opencl-pocl.png")) {
            Path chart = run.resolve("charts").resolve(name);
            BufferedImage image = ImageIO.read(chart.toFile());
            assertNotNull(image, name);
            assertEquals(1600, image.getWidth());
            assertTrue(report.contains("](charts/" + name + ")"), name);
            // nothing touches the left or right edge: row labels and the legend are laid out inside the image
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x : new int[] {0, 1, image.getWidth() - 2, image.getWidth() - 1}) {
                    assertEquals(0xFFFFFF, image.getRGB(x, y) & 0xFFFFFF, name + ": white at (" + x + ", " + y + ")");
                }
            }
        }
        // CUDA: 16 checks under 4 intervention lines; PoCL: 2 checks under 1, as high as 5 lines
        // CUDA grows with its lines; PoCL's two lines still leave the plot its least height above the legend and note
        int cuda = ImageIO.read(run.resolve("charts/verdicts-cuda.png").toFile()).getHeight();
        int pocl = ImageIO.read(run.resolve("charts/verdicts-opencl-pocl.png").toFile()).getHeight();
        assertEquals(2 * (200 + 20 * 22), cuda);
        assertTrue(pocl >= 2 * (34 + 330) && pocl < cuda, "pocl " + pocl);
        assertTrue(report.contains("### Interventions on cuda, 16 reps: ratio to baseline (95% CI)"), report);
        assertTrue(report.contains("### Interventions on opencl (pocl), 4 KiB, 16 reps: ratio to baseline (95% CI)"), report);
    }

    @Test
    void aPhase1RunHasNoPhase2Section(@TempDir Path dir) throws IOException {
        Path sweep = Fixtures.sweep(dir);
        assertEquals(ReportMain.OK, ReportMainTest.run(sweep.toString()).status());
        String report = Files.readString(sweep.resolve("report.md"));
        assertFalse(report.contains("Phase 2"), report);
        assertFalse(Files.exists(sweep.resolve("csv/verdicts.csv")));
        try (Stream<Path> charts = Files.list(sweep.resolve("charts"))) {
            assertTrue(charts.noneMatch(p -> p.getFileName().toString().startsWith("verdicts")));
        }
    }

    @Test
    void phase1AndPhase2InOneRun(@TempDir Path dir) throws IOException {
        Path sweep = Fixtures.sweep(dir);
        Fixtures.copyTree(showcase(dir.resolve("p2")).resolve("jmh"), sweep.resolve("jmh"));
        Files.copy(dir.resolve("p2/phase2-run/interventions.json"), sweep.resolve("interventions.json"));
        ReportMainTest.Run result = ReportMainTest.run(sweep.toString());
        assertEquals(ReportMain.OK, result.status(), result.err());
        String report = Files.readString(sweep.resolve("report.md"));
        assertTrue(report.contains("## Constraints") && report.contains("## Phase 2: interventions"));
        String constraints = report.substring(report.indexOf("## Constraints"), report.indexOf("## Syscall breakdown"));
        assertFalse(constraints.contains("blocking-wait"), "runner series are left out of the Phase-1 tables");
        assertTrue(report.contains("(11 of the points from the Phase-2 runner benchmarks)"), report);
        assertTrue(Files.readString(sweep.resolve("csv/summary.csv")).contains("blocking-wait (cuda)"), "summary.csv has every point");
    }

    // ---- bad input: exit 2, one line on stderr, an earlier report untouched ----

    @Test
    void corruptIndex(@TempDir Path dir) throws IOException {
        Path folder = Fixtures.withEarlierReport(showcase(dir));
        Files.writeString(folder.resolve("interventions.json"), "[{\"name\": \"blocking-wait\", ");
        ReportMainTest.Run result = ReportMainTest.run(folder.toString());
        assertEquals(ReportMain.BAD_INPUT, result.status());
        assertTrue(result.errLine().startsWith("gpuos-reports: interventions.json is not valid JSON ("), result.err());
        assertTrue(result.errLine().endsWith("or move it out of the results folder to report without predictions"), result.err());
        Fixtures.assertEarlierReportKept(folder);
    }

    @Test
    void indexWithABadDirection(@TempDir Path dir) throws IOException {
        Path folder = Fixtures.withEarlierReport(showcase(dir));
        Files.writeString(folder.resolve("interventions.json"),
                "[" + intervention("x", "sync", false, prediction("time", "grows", "baseline")) + "]");
        ReportMainTest.Run result = ReportMainTest.run(folder.toString());
        assertEquals(ReportMain.BAD_INPUT, result.status());
        assertTrue(result.errLine().contains("interventions.json has a prediction of x whose direction \"grows\" is not rises, falls or unchanged"), result.err());
        Fixtures.assertEarlierReportKept(folder);
    }

    @Test
    void failuresLineCutShort(@TempDir Path dir) throws IOException {
        Path folder = Fixtures.withEarlierReport(showcase(dir));
        Files.writeString(folder.resolve("failures.jsonl"), failure("cuda", "a", 1, 1, "", "setup", "E") + "\n{\"benchmark\": \"gpuos.inter");
        ReportMainTest.Run result = ReportMainTest.run(folder.toString());
        assertEquals(ReportMain.BAD_INPUT, result.status());
        assertTrue(result.errLine().startsWith("gpuos-reports: failures.jsonl line 2 is not valid JSON ("), result.err());
        assertTrue(result.errLine().endsWith("fix or delete that line (a fork killed while writing it leaves it cut short)"), result.err());
        Fixtures.assertEarlierReportKept(folder);
    }
}
