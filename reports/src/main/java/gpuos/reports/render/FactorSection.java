package gpuos.reports.render;

import gpuos.reports.analysis.Factor;
import gpuos.reports.analysis.FactorEffect;
import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.PredictionCheck.Moved;
import gpuos.reports.results.Labels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The "Categorical factors" section of report.md: per categorical param ({@link Factor#ALL}) a table of each value
 * against the reference value at every point. Absent where no benchmark has two values of such a param.
 */
final class FactorSection {
    static final String HEADING = "## Categorical factors";
    /** Single syscalls shown per row; csv/factors.csv has them all. */
    static final int SYSCALLS_SHOWN = 5;

    private FactorSection() {}

    static void render(StringBuilder md, List<FactorEffect> effects) {
        if (effects.isEmpty()) return;
        md.append(HEADING).append("\n\n")
                .append("Params whose values are alternatives rather than amounts (").append(Factor.ALL.stream()
                        .map(f -> "`" + f.param() + "`").collect(Collectors.joining(", "))).append("): each value is compared with a")
                .append(" reference value at every point where the benchmark, its mode and all other params (bytes and reps")
                .append(" included) are equal. Metric: workload syscalls/op (`").append(Labels.SYSCALLS_WORKLOAD).append("`; `")
                .append(Labels.SYSCALLS_TOTAL).append("` where the profiler wrote no thread labels). ")
                .append(FactorEffect.RULE).append("\n\n").append("Holm family: the ")
                .append(effects.stream().filter(e -> !Double.isNaN(e.pValue())).count()).append(" tested rows of this section; ")
                .append(effects.stream().filter(e -> e.adjusted() != FactorEffect.Effect.INCONCLUSIVE).count()).append(" of ")
                .append(effects.stream().filter(e -> e.effect() != FactorEffect.Effect.INCONCLUSIVE).count())
                .append(" decided verdicts keep their effect after Holm.\n\n");
        Map<Factor, List<FactorEffect>> byFactor = effects.stream()
                .collect(Collectors.groupingBy(FactorEffect::factor, LinkedHashMap::new, Collectors.toList()));
        byFactor.forEach((factor, rows) -> factor(md, factor, rows));
    }

    private static void factor(StringBuilder md, Factor factor, List<FactorEffect> effects) {
        String param = factor.param();
        md.append("### ").append(factor.question()).append("\n\n")
                .append("Each ").append(param).append(" against `").append(factor.preferred()).append("` where the point has it,")
                .append(" else against the ").append(param).append(" that comes first in the results. The series column names the")
                .append(" points without ").append(param).append(".\n\n");
        List<List<String>> rows = effects.stream().map(FactorSection::row).toList();
        MarkdownReport.table(md, List.of("Series", "bytes", "reps", param, "vs", "Metric", "Reference mean", "Level mean",
                "Ratio [95% CI]", "Difference d [95% CI]", "Margin m", "Verdict", "After Holm", "Roles moved", "Syscalls moved"), rows);
        Map<FactorEffect.Effect, Long> counts = new LinkedHashMap<>();
        for (FactorEffect.Effect effect : FactorEffect.Effect.values()) {
            counts.put(effect, effects.stream().filter(e -> e.effect() == effect).count());
        }
        md.append("Verdicts: ").append(counts.entrySet().stream().map(e -> e.getKey().word() + " " + e.getValue())
                .collect(Collectors.joining(", "))).append(" of ").append(effects.size())
                .append(". All columns, with CI bounds, fork counts and every syscall that moved: ").append(ReportFiles.FACTORS_CSV)
                .append(".\n\n");
    }

    static List<String> row(FactorEffect e) {
        boolean bothSides = e.subject().isPresent() && e.base().isPresent();
        String ratio = !bothSides ? "—" : Double.isNaN(e.ratio().estimate()) ? "n/a (reference 0)" : Format.withInterval(e.ratio()) + "×";
        String difference = bothSides ? Format.withInterval(e.difference()) : "—";
        String margin = Double.isNaN(e.margin()) ? "—" : Format.significant(e.margin(), 2);
        String verdict = e.effect() == FactorEffect.Effect.INCONCLUSIVE ? "inconclusive: " + e.reason() : "**" + e.effect().word() + "**";
        String after = Double.isNaN(e.holmP()) ? "—" : e.adjusted().word() + " (p = " + Format.pValue(e.holmP()) + ")";
        List<Moved> syscalls = e.syscalls();
        String moved = moved(syscalls.subList(0, Math.min(SYSCALLS_SHOWN, syscalls.size())))
                + (syscalls.size() > SYSCALLS_SHOWN ? ", and " + (syscalls.size() - SYSCALLS_SHOWN) + " more" : "");
        return List.of(e.series().name(), MarkdownReport.value(e.point().bytes()), MarkdownReport.value(e.point().reps()), e.level(),
                e.referenceLevel(), e.label(), mean(e.base().orElse(null)), mean(e.subject().orElse(null)), ratio, difference,
                margin, verdict, after, moved(e.roles()), moved);
    }

    private static String moved(List<Moved> moved) {
        if (moved.isEmpty()) return "—";
        return moved.stream().map(m -> m.part() + " " + Format.signed(m.difference())).collect(Collectors.joining(", "));
    }

    private static String mean(MetricSummary summary) {
        if (summary == null) return "—";
        return Format.plusMinus(summary.ci()) + (summary.unit().isEmpty() ? "" : " " + summary.unit()) + " (n = " + summary.n() + ")";
    }
}
