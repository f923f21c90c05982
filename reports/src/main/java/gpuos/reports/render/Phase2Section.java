package gpuos.reports.render;

import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.Outcome;
import gpuos.reports.analysis.Phase2;
import gpuos.reports.analysis.PredictionCheck;
import gpuos.reports.charts.ChartFile;
import gpuos.reports.results.Failure;
import gpuos.reports.results.RunInterventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The "Phase 2: interventions" section of report.md: failures, the verdict of every prediction, counts per family, forest plots. */
final class Phase2Section {
    static final String FAILURES_HEADING = "### Failures";
    static final String VERDICTS_HEADING = "### Verdicts";
    static final String SUMMARY_HEADING = "### Verdicts per family";
    static final List<String> VERDICT_COLUMNS = List.of("Intervention", "Family", "Prediction", "Backend", "bytes", "reps",
            "Baseline mean", "Intervention mean", "Ratio [95% CI]", "Difference d [95% CI]", "Margin m", "Verdict", "p (Holm)",
            "After Holm", "What moved");

    private Phase2Section() {}

    static void render(StringBuilder md, Phase2 phase2, List<ChartFile> charts) {
        md.append(MarkdownReport.PHASE2_HEADING).append("\n\n");
        RunInterventions index = phase2.index();
        md.append(phase2.runnerPoints()).append(phase2.runnerPoints() == 1 ? " point" : " points")
                .append(" of the runner benchmarks (`gpuos.interventions.runner.*Runner.operation`), ")
                .append(phase2.failures().size()).append(phase2.failures().size() == 1 ? " failure" : " failures").append(" in `")
                .append(Failure.FILE).append("`; ");
        if (index.present()) {
            int predictions = index.interventions().stream().mapToInt(i -> i.predictions().size()).sum();
            md.append("`").append(RunInterventions.FILE).append("` lists ").append(index.interventions().size())
                    .append(" interventions with ").append(predictions).append(" predictions.\n\n");
        } else {
            md.append("no `").append(RunInterventions.FILE).append("`, so no predictions to check.\n\n");
        }
        md.append("Each prediction is checked at every point (runner, OpenCL platform, bytes, reps, knobs) where its intervention")
                .append(" ran or failed, against the results of the intervention it names (`against`) on the same runner with")
                .append(" the same params except `intervention` and `knobs` (the baseline's default knobs where it ran with several).")
                .append(" Metrics: `time` is the score (us/op), `cpu.process` and `cpu.worker` CPU time in ns/op, `syscalls.workload`")
                .append(" worker + runtime threads, other metrics the profiler label with `.norm`; a syscall label missing in an")
                .append(" iteration counts as 0. The runner benchmarks are left out of the Phase-1 sections above (results at a")
                .append(" glance, scaling, constraints, breakdown, ratios); the warnings and csv/summary.csv include them.\n\n")
                .append(Outcome.RULE).append(" Ratio: mean / baseline mean with its 95% Fieller CI over forks, unbounded where")
                .append(" the baseline mean's own CI reaches 0 (no ratio where the baseline mean is 0; the verdict rests on d, which is")
                .append(" defined there). ").append(PredictionCheck.Moved.RULE).append("\n\n")
                .append(family(phase2)).append("\n\n");

        failures(md, phase2);
        verdicts(md, phase2);
        summary(md, phase2);
        charts.forEach(chart -> MarkdownReport.image(md, chart));
    }

    /** "Holm family: the 80 tested predictions of this report; 55 of 70 decided verdicts kept." */
    static String family(Phase2 phase2) {
        long tested = phase2.checks().stream().filter(c -> !Double.isNaN(c.pValue())).count();
        long decided = phase2.checks().stream().filter(c -> c.outcome() != Outcome.INCONCLUSIVE).count();
        long kept = phase2.checks().stream().filter(c -> c.adjusted() != Outcome.INCONCLUSIVE).count();
        return "Holm family: the " + tested + " tested predictions of this report (every row with a CI of d); "
                + kept + " of " + decided + " decided verdicts keep their outcome after Holm.";
    }

    private static void failures(StringBuilder md, Phase2 phase2) {
        if (phase2.failures().isEmpty()) return;
        md.append(FAILURES_HEADING).append("\n\n").append("Interventions that threw (").append(Failure.FILE)
                .append("): JMH dropped the result of each; the rest of the run is reported in full.\n\n");
        List<List<String>> rows = phase2.failures().stream().map(f -> List.of(f.intervention(), f.backend(),
                f.paramsText(), f.phase(), "`" + f.error().replace("`", "'") + "`")).toList();
        MarkdownReport.table(md, List.of("Intervention", "Backend", "Params", "Phase", "Error"), rows);
    }

    private static void verdicts(StringBuilder md, Phase2 phase2) {
        md.append(VERDICTS_HEADING).append("\n\n");
        if (phase2.checks().isEmpty()) {
            md.append("No prediction to check: no intervention of the index with predictions has results or failures here.\n\n");
        } else {
            MarkdownReport.table(md, VERDICT_COLUMNS, phase2.checks().stream().map(Phase2Section::row).toList());
            md.append("All columns, with CI bounds and fork counts: csv/verdicts.csv.\n\n");
        }
        if (!phase2.notRun().isEmpty()) {
            md.append("Not run here (in the index, with predictions, but neither results nor failures): ")
                    .append(String.join(", ", phase2.notRun())).append(".\n\n");
        }
    }

    static List<String> row(PredictionCheck c) {
        String prediction = "`" + c.prediction().metric() + "` " + c.prediction().direction().word + " vs " + c.prediction().against()
                + c.baselineKnobs().filter(k -> !k.isEmpty()).map(k -> " [" + k + "]").orElse("");
        String ratio = c.subject().isEmpty() || c.baseline().isEmpty() ? "—"
                : Double.isNaN(c.ratio().estimate()) ? "n/a (baseline 0)"
                : Format.withInterval(c.ratio()) + "×";
        String difference = c.subject().isEmpty() || c.baseline().isEmpty() ? "—" : Format.withInterval(c.difference());
        String margin = Double.isNaN(c.margin()) ? "—" : Format.significant(c.margin(), 2);
        String verdict = c.outcome() == Outcome.INCONCLUSIVE ? "inconclusive: " + c.reason() : "**" + c.outcome().word() + "**";
        String holm = Double.isNaN(c.holmP()) ? "—" : Format.pValue(c.pValue()) + " (" + Format.pValue(c.holmP()) + ")";
        String after = Double.isNaN(c.holmP()) ? "—" : c.adjusted() == c.outcome() ? c.adjusted().word() : "**" + c.adjusted().word() + "**";
        String moved = c.moved().isEmpty() ? "—"
                : c.moved().stream().map(m -> m.part() + " " + Format.signed(m.difference())).collect(Collectors.joining(", "));
        return List.of(c.interventionLabel(), c.intervention().family(), prediction, c.site().backendLabel(),
                MarkdownReport.value(c.site().bytes()), MarkdownReport.value(c.site().reps()), mean(c.baseline().orElse(null)),
                mean(c.subject().orElse(null)), ratio, difference, margin, verdict, holm, after, moved);
    }

    private static String mean(MetricSummary summary) {
        if (summary == null) return "—";
        return Format.plusMinus(summary.ci()) + (summary.unit().isEmpty() ? "" : " " + summary.unit()) + " (n = " + summary.n() + ")";
    }

    private static void summary(StringBuilder md, Phase2 phase2) {
        if (phase2.checks().isEmpty()) return;
        md.append(SUMMARY_HEADING).append("\n\n").append("Rows of the verdict table (one per prediction and point) by outcome,")
                .append(" raw and after Holm across the report's tested predictions.\n\n");
        List<List<String>> rows = new ArrayList<>();
        List<PredictionCheck> all = phase2.checks();
        for (Map.Entry<String, List<PredictionCheck>> family : phase2.byFamily().entrySet()) {
            rows.add(countRow(family.getKey().isEmpty() ? "(no family)" : family.getKey(), family.getValue()));
        }
        rows.add(countRow("**all**", all));
        MarkdownReport.table(md, List.of("Family", "Confirmed", "Refuted", "Inconclusive", "Total", "Confirmed after Holm",
                "Refuted after Holm"), rows);
    }

    private static List<String> countRow(String name, List<PredictionCheck> checks) {
        List<String> row = new ArrayList<>(List.of(name));
        for (Outcome outcome : Outcome.values()) row.add(Long.toString(checks.stream().filter(c -> c.outcome() == outcome).count()));
        row.add(Integer.toString(checks.size()));
        row.add(Long.toString(checks.stream().filter(c -> c.adjusted() == Outcome.CONFIRMED).count()));
        row.add(Long.toString(checks.stream().filter(c -> c.adjusted() == Outcome.REFUTED).count()));
        return row;
    }
}
