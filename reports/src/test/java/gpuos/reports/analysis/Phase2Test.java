package gpuos.reports.analysis;

import com.google.gson.JsonObject;
import gpuos.reports.RunnerFixtures;
import gpuos.reports.RunnerFixtures.Entry;
import gpuos.reports.results.InterventionSpec.Direction;
import gpuos.reports.results.Labels;
import gpuos.reports.results.ResultsReader;
import gpuos.reports.stats.ConfidenceInterval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import gpuos.reports.results.InterventionSpec;
import static gpuos.reports.RunnerFixtures.entry;
import static gpuos.reports.RunnerFixtures.intervention;
import static gpuos.reports.RunnerFixtures.prediction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verdicts of predictions (docs/results-format.md, "Verdicts (reports)") on synthetic runner results. */
class Phase2Test {
    @TempDir
    Path dir;

    private static ConfidenceInterval ci(double estimate, double low, double high) {
        return new ConfidenceInterval(estimate, low, high);
    }

    @Test
    void theRuleOnHandMadeIntervals() {
        double m = 0.5;
        // rises: confirmed needs the CI above 0 and d > m; refuted when the upper bound < m
        assertEquals(Outcome.CONFIRMED, Outcome.judge(Direction.RISES, ci(2, 1, 3), m).outcome());
        assertEquals(Outcome.REFUTED, Outcome.judge(Direction.RISES, ci(0.2, 0.1, 0.4), m).outcome(), "significant but below m");
        assertEquals(Outcome.REFUTED, Outcome.judge(Direction.RISES, ci(-2, -3, -1), m).outcome(), "it fell");
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.RISES, ci(1, -1, 3), m).outcome(), "CI includes 0");
        Outcome.Judgement small = Outcome.judge(Direction.RISES, ci(0.4, 0.1, 0.9), m);
        assertEquals(Outcome.INCONCLUSIVE, small.outcome(), "above 0, mean below m, upper bound past m");
        assertEquals("d > 0 but not past the margin", small.reason());
        Outcome.Judgement identical = Outcome.judge(Direction.RISES, ci(0, 0, 0), 0.01);
        assertEquals(Outcome.INCONCLUSIVE, identical.outcome(), "identical forks: a zero-width CI is no certainty");
        assertTrue(identical.reason().startsWith("identical forks"), identical.reason());
        // falls: the mirror
        assertEquals(Outcome.CONFIRMED, Outcome.judge(Direction.FALLS, ci(-2, -3, -1), m).outcome());
        assertEquals(Outcome.REFUTED, Outcome.judge(Direction.FALLS, ci(-0.2, -0.4, -0.1), m).outcome());
        assertEquals(Outcome.REFUTED, Outcome.judge(Direction.FALLS, ci(2, 1, 3), m).outcome(), "it rose");
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.FALLS, ci(-1, -3, 1), m).outcome());
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.FALLS, ci(0, 0, 0), 0.01).outcome());
        // unchanged: confirmed inside (-m, m), refuted wholly above m or below -m
        assertEquals(Outcome.CONFIRMED, Outcome.judge(Direction.UNCHANGED, ci(0, -0.4, 0.4), m).outcome());
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.UNCHANGED, ci(0, 0, 0), 0.01).outcome());
        assertEquals(Outcome.REFUTED, Outcome.judge(Direction.UNCHANGED, ci(2, 1, 3), m).outcome());
        assertEquals(Outcome.REFUTED, Outcome.judge(Direction.UNCHANGED, ci(-2, -3, -0.6), m).outcome());
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.UNCHANGED, ci(0.3, 0.1, 0.6), m).outcome(), "reaches past m");
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.UNCHANGED, ci(0, -1, 1), m).outcome(), "wide");
        // bounds exactly at the limits are not strictly inside or beyond them
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.UNCHANGED, ci(0, -0.5, 0.5), m).outcome());
        assertEquals(Outcome.INCONCLUSIVE, Outcome.judge(Direction.RISES, ci(0.5, 0, 1), m).outcome());
    }

    @Test
    void theMarginIsFivePercentOfTheBaselineAndAtLeastOneSyscallPer100OpsForSyscalls() {
        assertEquals(5, Outcome.margin(Labels.SCORE, 100), 1e-12);
        assertEquals(5, Outcome.margin(Labels.SCORE, -100), 1e-12);
        assertEquals(0, Outcome.margin(Labels.SCORE, 0), 0, "not a count: no floor");
        assertEquals(0.01, Outcome.margin(Labels.role("sync"), 0.1), 1e-15, "5% of 0.1 = 0.005 < 0.01");
        assertEquals(0.01, Outcome.margin(Labels.SYSCALLS_WORKLOAD, 0), 1e-15);
        assertEquals(0.25, Outcome.margin("syscalls.futex.norm", 5), 1e-12);
        assertEquals(50, Outcome.margin("cpu.process.norm", 1000), 1e-12, "CPU time: 5% only");
        assertEquals(Labels.SCORE, Phase2.label("time"));
        assertEquals("cpu.process.norm", Phase2.label("cpu.process"));
        assertEquals(Labels.SYSCALLS_WORKLOAD, Phase2.label("syscalls.workload"));
        assertEquals("syscalls.ioctl.target.nvidia0.norm", Phase2.label("syscalls.ioctl.target.nvidia0"));
    }

    private Phase2 phase2(List<Entry> entries, List<JsonObject> index, String... failures) throws Exception {
        Path folder = RunnerFixtures.folder(dir, entries, index, failures);
        return Report.of(ResultsReader.read(folder)).phase2().orElseThrow();
    }

    private static PredictionCheck only(Phase2 phase2, String intervention, String metric) {
        List<PredictionCheck> checks = phase2.checks().stream()
                .filter(c -> c.intervention().name().equals(intervention) && c.prediction().metric().equals(metric)).toList();
        assertEquals(1, checks.size(), "one check of " + intervention + " " + metric + ": " + checks);
        return checks.getFirst();
    }

    private static double dOf(PredictionCheck check) {
        return check.difference().estimate();
    }

    private static Entry base(long bytes) {
        return entry("cuda", null, "baseline", "", bytes, 16).score(100, 101, 99)
                .label("syscalls.role.sync", 1, 1.02, 0.98).label("syscalls.thread.worker", 1, 1.02, 0.98)
                .label("cpu.process", 1000, 1010, 990);
    }

    private static final JsonObject BASELINE = intervention("baseline", "baseline", true);

    @Test
    void risesConfirmedRefutedAndInconclusive() throws Exception {
        Phase2 phase2 = phase2(List.of(base(4096),
                        entry("cuda", null, "more-sync", "", 4096, 16).score(100, 101, 99)
                                .label("syscalls.role.sync", 6, 6.1, 5.9).label("syscalls.thread.worker", 6, 6.1, 5.9),
                        entry("cuda", null, "same-sync", "", 4096, 16).score(100, 101, 99)
                                .label("syscalls.role.sync", 1, 1.01, 0.99).label("syscalls.thread.worker", 1, 1.01, 0.99),
                        entry("cuda", null, "noisy-sync", "", 4096, 16).score(100, 101, 99)
                                .label("syscalls.role.sync", 0.5, 1, 3).label("syscalls.thread.worker", 0.5, 1, 3)),
                List.of(BASELINE,
                        intervention("more-sync", "sync", false, prediction("syscalls.role.sync", "rises", "baseline")),
                        intervention("same-sync", "sync", false, prediction("syscalls.role.sync", "rises", "baseline")),
                        intervention("noisy-sync", "sync", false, prediction("syscalls.role.sync", "rises", "baseline"))));
        PredictionCheck more = only(phase2, "more-sync", "syscalls.role.sync");
        assertEquals(Outcome.CONFIRMED, more.outcome(), more.toString());
        assertEquals(5.0, more.difference().estimate(), 1e-9);
        assertEquals(6.0, more.ratio().estimate(), 1e-9);
        assertTrue(more.ratio().low() > 5 && more.ratio().high() < 7, more.ratio().toString());
        assertEquals(0.05, more.margin(), 1e-12, "5% of the baseline's 1.0 sync/op");
        assertEquals(List.of(new PredictionCheck.Moved("sync", 5.0), new PredictionCheck.Moved("worker", 5.0)), more.moved(),
                "the sync role and the worker threads moved; the roles and threads that stayed at 0 did not");
        assertEquals(3, more.forks());
        assertEquals(3, more.baselineForks());

        PredictionCheck same = only(phase2, "same-sync", "syscalls.role.sync");
        assertEquals(Outcome.REFUTED, same.outcome(), same.toString());
        assertTrue(same.moved().isEmpty(), "a change of 0.00 is no move");

        PredictionCheck noisy = only(phase2, "noisy-sync", "syscalls.role.sync");
        assertEquals(Outcome.INCONCLUSIVE, noisy.outcome(), noisy.toString());
        assertEquals("the CI of d includes 0 and reaches past m", noisy.reason());
        // sync and worker: d = +0.5, past max(0.01, 5% of 1.0), but the CI of d reaches below 0: not a move
        assertEquals(0.5, Phase2Test.dOf(noisy), 1e-9);
        assertTrue(noisy.difference().low() < 0, noisy.difference().toString());
        assertTrue(noisy.moved().isEmpty(), noisy.moved().toString());
    }

    @Test
    void aPredictionForOneBackendIsNotCheckedOnAnother() throws Exception {
        Phase2 phase2 = phase2(List.of(base(4096),
                        entry("cuda", null, "event-wait", "", 4096, 16).score(100, 101, 99)
                                .label("syscalls.role.sync", 6, 6.1, 5.9).label("syscalls.thread.worker", 6, 6.1, 5.9)),
                List.of(BASELINE,
                        intervention("event-wait", "sync", false, prediction("syscalls.role.sync", "rises", "baseline", "cuda"),
                                prediction("syscalls.role.sync", "unchanged", "baseline", "opencl"))));
        List<PredictionCheck> checks = phase2.checks().stream().filter(c -> c.intervention().name().equals("event-wait")).toList();
        assertEquals(1, checks.size(), "only the cuda prediction is checked on cuda results: " + checks);
        assertEquals(InterventionSpec.Direction.RISES, checks.getFirst().prediction().direction());
    }

    @Test
    void fallsAndUnchanged() throws Exception {
        Phase2 phase2 = phase2(List.of(base(4096),
                        entry("cuda", null, "faster", "", 4096, 16).score(50, 51, 49).profiled()
                                .label("syscalls.role.sync", 1, 1.02, 0.98).label("cpu.process", 1001, 1009, 995),
                        entry("cuda", null, "slower", "", 4096, 16).score(120, 121, 119).profiled()
                                .label("syscalls.role.sync", 1, 1.02, 0.98).label("cpu.process", 2000, 2010, 1990)),
                List.of(BASELINE,
                        intervention("faster", "dispatch", false, prediction("time", "falls", "baseline"),
                                prediction("cpu.process", "unchanged", "baseline")),
                        intervention("slower", "dispatch", false, prediction("time", "falls", "baseline"),
                                prediction("cpu.process", "unchanged", "baseline"))));
        assertEquals(Outcome.CONFIRMED, only(phase2, "faster", "time").outcome());
        assertEquals(0.5, only(phase2, "faster", "time").ratio().estimate(), 1e-9);
        assertEquals("us/op", only(phase2, "faster", "time").unit());
        assertEquals(Outcome.REFUTED, only(phase2, "slower", "time").outcome(), "it rose");
        PredictionCheck cpuSame = only(phase2, "faster", "cpu.process");
        assertEquals(Outcome.CONFIRMED, cpuSame.outcome(), cpuSame.toString());
        assertEquals("ns/op", cpuSame.unit());
        assertEquals(50, cpuSame.margin(), 1e-9);
        assertEquals(Outcome.REFUTED, only(phase2, "slower", "cpu.process").outcome());
    }

    @Test
    void aBaselineOfZeroSyscallsIsJudgedOnTheDifferenceWithoutARatio() throws Exception {
        // ioctl: never emitted on either side, so 0/op in every fork (a missing syscall label is 0)
        Phase2 phase2 = phase2(List.of(base(4096),
                        entry("cuda", null, "no-ioctl", "", 4096, 16).score(100, 101, 99).profiled()),
                List.of(BASELINE, intervention("no-ioctl", "dispatch", false,
                        prediction("syscalls.ioctl", "falls", "baseline"), prediction("syscalls.ioctl", "rises", "baseline"),
                        prediction("syscalls.ioctl", "unchanged", "baseline"))));
        List<PredictionCheck> checks = phase2.checks();
        assertEquals(3, checks.size());
        for (PredictionCheck c : checks) {
            assertEquals(0, c.baseline().orElseThrow().mean(), 0);
            assertTrue(Double.isNaN(c.ratio().estimate()), "no ratio to a mean of 0");
            assertEquals(new ConfidenceInterval(0, 0, 0), c.difference());
            assertEquals(0.01, c.margin(), 1e-15, "the syscall floor");
        }
        // 0 in every fork on both sides: no spread measured, so no verdict (not a crash, and not certainty either)
        for (PredictionCheck c : checks) {
            assertEquals(Outcome.INCONCLUSIVE, c.outcome());
            assertTrue(c.reason().startsWith("identical forks"), c.reason());
            assertTrue(Double.isNaN(c.pValue()), "untested: not in the Holm family");
        }
    }

    @Test
    void aRiseFromZeroIsConfirmedWithoutARatio() throws Exception {
        Phase2 phase2 = phase2(List.of(base(4096),
                        entry("cuda", null, "some-ioctl", "", 4096, 16).score(100, 101, 99).label("syscalls.ioctl", 2, 2.1, 1.9)),
                List.of(BASELINE, intervention("some-ioctl", "dispatch", false, prediction("syscalls.ioctl", "rises", "baseline"))));
        PredictionCheck check = phase2.checks().getFirst();
        assertEquals(Outcome.CONFIRMED, check.outcome(), check.toString());
        assertTrue(Double.isNaN(check.ratio().estimate()), "2 / 0 is no ratio (not infinity): " + check.ratio());
        assertEquals(2, check.difference().estimate(), 1e-9);
    }

    @Test
    void pairingIgnoresKnobsAndPrefersTheBaselinesDefaults() throws Exception {
        Phase2 phase2 = phase2(List.of(
                        entry("cuda", null, "baseline", "x=1", 4096, 16).score(200, 201, 199),
                        entry("cuda", null, "baseline", "", 4096, 16).score(100, 101, 99),
                        entry("cuda", null, "baseline", "x=1", 8192, 16).score(300, 301, 299),
                        entry("cuda", null, "tuned", "k=4", 4096, 16).score(50, 51, 49),
                        entry("cuda", null, "tuned", "k=4", 8192, 16).score(150, 151, 149)),
                List.of(BASELINE, intervention("tuned", "sync", false, prediction("time", "falls", "baseline"))));
        List<PredictionCheck> checks = phase2.checks();
        assertEquals(2, checks.size());
        PredictionCheck at4096 = checks.get(0);
        assertEquals("k=4", at4096.site().knobs());
        assertEquals("tuned [k=4]", at4096.interventionLabel());
        assertEquals(100, at4096.baseline().orElseThrow().mean(), 1e-9, "the baseline with default knobs, not x=1");
        assertEquals("", at4096.baselineKnobs().orElseThrow());
        PredictionCheck at8192 = checks.get(1);
        assertEquals(300, at8192.baseline().orElseThrow().mean(), 1e-9, "other knobs are paired where they are all there is");
        assertEquals("x=1", at8192.baselineKnobs().orElseThrow());
        assertEquals(Outcome.CONFIRMED, at8192.outcome());
    }

    @Test
    void pairingNeedsTheSameRunnerAndParams() throws Exception {
        Phase2 phase2 = phase2(List.of(
                        entry("cuda", null, "baseline", "", 4096, 16).score(100, 101, 99),
                        entry("opencl", "pocl", "baseline", "", 8192, 16).score(100, 101, 99),
                        entry("opencl", "nvidia", "baseline", "", 4096, 16).score(100, 101, 99),
                        entry("cuda", null, "tuned", "", 8192, 16).score(50, 51, 49),
                        entry("opencl", "pocl", "tuned", "", 4096, 16).score(50, 51, 49)),
                List.of(BASELINE, intervention("tuned", "sync", false, prediction("time", "falls", "baseline"))));
        assertEquals(2, phase2.checks().size());
        for (PredictionCheck c : phase2.checks()) {
            assertEquals(Outcome.INCONCLUSIVE, c.outcome());
            assertEquals("no results of baseline at this point", c.reason());
            assertTrue(c.baseline().isEmpty() && c.subject().isPresent());
            assertTrue(Double.isNaN(c.margin()));
        }
        assertEquals("opencl (pocl)", phase2.checks().get(1).site().backendLabel());
        assertEquals(List.of(new Phase2.Pairing("tuned", "baseline")), List.copyOf(phase2.missingBaselines().keySet()));
        assertEquals(2, phase2.missingBaselines().get(new Phase2.Pairing("tuned", "baseline")).size());
    }

    @Test
    void failuresMakeRowsOfTheirOwn() throws Exception {
        Phase2 phase2 = phase2(List.of(base(4096), entry("cuda", null, "graph", "", 4096, 16).score(50, 51, 49)),
                List.of(BASELINE, intervention("graph", "dispatch", false, prediction("time", "falls", "baseline"))),
                RunnerFixtures.failure("cuda", "graph", 65536, 16, "", "setup", "CudaException: CUDA_ERROR_INVALID_VALUE"),
                RunnerFixtures.failure("cuda", "baseline", 8192, 16, "", "teardown", "CudaException: CUDA_ERROR_LAUNCH_FAILED"),
                RunnerFixtures.failure("cuda", "graph", 4096, 16, "k=2", "run", "IllegalStateException: boom"));
        assertEquals(3, phase2.failures().size());
        List<PredictionCheck> checks = phase2.checks();
        assertEquals(3, checks.size(), checks.toString());
        PredictionCheck ok = checks.stream().filter(c -> c.subject().isPresent()).findFirst().orElseThrow();
        assertEquals(Outcome.CONFIRMED, ok.outcome());
        PredictionCheck failed = checks.stream().filter(c -> c.site().bytes().getAsLong() == 65536).findFirst().orElseThrow();
        assertEquals(Outcome.INCONCLUSIVE, failed.outcome());
        assertEquals("the intervention failed here (setup: CudaException: CUDA_ERROR_INVALID_VALUE)", failed.reason());
        PredictionCheck otherKnobs = checks.stream().filter(c -> c.site().knobs().equals("k=2")).findFirst().orElseThrow();
        assertEquals("the intervention failed here (run: IllegalStateException: boom)", otherKnobs.reason());
        assertTrue(phase2.missingBaselines().isEmpty(), "a failed intervention has no baseline to miss");
    }

    @Test
    void fewForksNoDataAndUnknownNamesAreInconclusiveWithTheReason() throws Exception {
        Phase2 phase2 = phase2(List.of(base(4096),
                        entry("cuda", null, "two-forks", "", 4096, 16).score(50, 51).label("cpu.process", 1, 1),
                        entry("cuda", null, "unprofiled", "", 4096, 16).score(50, 51, 49),
                        entry("cuda", null, "mystery", "", 4096, 16).score(50, 51, 49)),
                List.of(BASELINE,
                        intervention("two-forks", "sync", false, prediction("time", "falls", "baseline")),
                        intervention("unprofiled", "sync", false, prediction("syscalls.role.sync", "falls", "baseline"),
                                prediction("cpu.worker", "falls", "baseline"), prediction("syscalls.role.waiting", "falls", "baseline"))));
        assertEquals("fewer than 3 forks (2 vs 3)", only(phase2, "two-forks", "time").reason());
        assertEquals(0.505, only(phase2, "two-forks", "time").ratio().estimate(), 1e-9, "the numbers are still shown: 50.5 / 100");
        assertEquals("no syscalls.role.sync.norm: the syscall profiler did not run for the intervention",
                only(phase2, "unprofiled", "syscalls.role.sync").reason());
        assertEquals("no cpu.worker.norm in the results of the intervention", only(phase2, "unprofiled", "cpu.worker").reason());
        assertTrue(only(phase2, "unprofiled", "syscalls.role.waiting").reason().startsWith("unknown role in syscalls.role.waiting"));
        phase2.checks().forEach(c -> assertEquals(Outcome.INCONCLUSIVE, c.outcome(), c.toString()));
        assertEquals(java.util.Map.of("mystery", 1), phase2.unknown());
    }

    @Test
    void warningsNameUnknownInterventionsMissingBaselinesAndFailures() throws Exception {
        Path folder = RunnerFixtures.folder(dir, List.of(
                        entry("cuda", null, "tuned", "", 4096, 16).score(50, 51, 49),
                        entry("cuda", null, "mystery", "", 4096, 16).score(50, 51, 49),
                        entry("cuda", null, "mystery", "", 8192, 16).score(50, 51)),
                List.of(BASELINE, intervention("tuned", "sync", false, prediction("time", "falls", "baseline"))),
                RunnerFixtures.failure("cuda", "baseline", 4096, 16, "", "setup", "CudaException: out of memory"));
        List<String> warnings = Report.of(ResultsReader.read(folder)).warnings().stream().map(Warning.Raised::text).toList();
        assertTrue(warnings.contains("Intervention mystery has results (2 points) but is not in interventions.json: no prediction judges them."), warnings.toString());
        assertTrue(warnings.contains("tuned is predicted against baseline, which has no results at the one point where tuned ran"
                + " (cuda, bytes=4096, reps=16): the predictions there are inconclusive."), warnings.toString());
        assertTrue(warnings.contains("Intervention baseline threw once (in setup: 1): JMH dropped those results; the failures table under Phase 2 has each message."), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("mystery (cuda) has fewer than 3 forks at 1 of 2 points")), "Phase-1 checks cover runner series: " + warnings);
        Phase2 phase2 = Report.of(ResultsReader.read(folder)).phase2().orElseThrow();
        assertEquals("its baseline baseline failed here (setup: CudaException: out of memory)", phase2.checks().getFirst().reason());
    }

    @Test
    void runnerResultsWithoutAnIndexAreWarnedAbout() throws Exception {
        Path folder = RunnerFixtures.folder(dir, List.of(entry("cuda", null, "tuned", "", 4096, 16).score(50, 51, 49)), null);
        Report report = Report.of(ResultsReader.read(folder));
        assertTrue(report.phase2().orElseThrow().checks().isEmpty());
        assertTrue(report.warnings().stream().anyMatch(w -> w.warning() == Warning.NO_INTERVENTION_INDEX));
        assertTrue(report.phase1().isEmpty(), "runner series are not Phase-1 series");
        assertTrue(report.constraints().isEmpty() && report.ratios().isEmpty());
    }

    @Test
    void aPhase1RunHasNoPhase2EvenWithAnIndex() throws Exception {
        Path folder = gpuos.reports.Fixtures.sweep(dir);
        assertFalse(Report.of(ResultsReader.read(folder)).phase2().isPresent());
        java.nio.file.Files.writeString(folder.resolve("interventions.json"), "[" + BASELINE + "]");
        Report report = Report.of(ResultsReader.read(folder));
        assertFalse(report.phase2().isPresent(), "the index alone (the jar carries one) is not a Phase-2 run");
        assertTrue(report.results().interventions().present());
    }
}
