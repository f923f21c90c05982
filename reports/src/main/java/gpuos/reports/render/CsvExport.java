package gpuos.reports.render;

import gpuos.reports.analysis.Constraint;
import gpuos.reports.analysis.FactorEffect;
import gpuos.reports.analysis.MetricSummary;
import gpuos.reports.analysis.PredictionCheck;
import gpuos.reports.analysis.Ratio;
import gpuos.reports.analysis.WaitCalls;
import gpuos.reports.results.Labels;
import gpuos.reports.stats.ConfidenceInterval;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** CSV exporters (RFC 4180), each a pure function from the model to text. */
public final class CsvExport {
    private CsvExport() {}

    /** One row per (benchmark, params, metric). */
    public static String summary(List<MetricSummary> summaries) {
        return csv(List.of("benchmark", "series", "mode", "params", "bytes", "reps", "metric", "unit", "n_forks",
                        "mean", "ci_low", "ci_high", "cv"),
                summaries.stream().map(s -> List.of(s.point().benchmark(), s.point().series().name(), s.point().series().mode(),
                        s.point().paramsText(), value(s.point().bytes()), value(s.point().reps()), s.label(), s.unit(),
                        Integer.toString(s.n()), Format.csv(s.mean()), Format.csv(s.ci().low()), Format.csv(s.ci().high()),
                        Format.csv(s.cv()))));
    }

    public static String constraints(List<Constraint> constraints) {
        return csv(List.of("series", "metric", "unit", "axis", "held_param", "held_value", "points", "min_forks", "slope",
                        "slope_ci_low", "slope_ci_high", "slope_unit", "lack_of_fit_p", "unequal_variance", "mean", "margin",
                        "verdict", "reason", "p", "holm_p", "verdict_after_holm", "power_law_exponent", "power_law_ci_low",
                        "power_law_ci_high"),
                constraints.stream().map(c -> List.of(c.series().name(), c.label(), c.unit(), c.axis().param,
                        c.held().keySet().stream().map(a -> a.param).collect(Collectors.joining(";")),
                        c.held().values().stream().map(CsvExport::value).collect(Collectors.joining(";")),
                        Integer.toString(c.points()), Integer.toString(c.minForks()),
                        Format.csv(c.slope().estimate()), Format.csv(c.slope().low()), Format.csv(c.slope().high()),
                        c.axis().slopeUnit, Format.csv(c.fit().lackOfFitP()), Boolean.toString(c.fit().unequalVariance()),
                        Format.csv(c.meanY()), Format.csv(c.margin()), c.verdict().describe(c.axis()), c.reason(),
                        Format.csv(c.pValue()), Format.csv(c.holmP()), c.adjusted().describe(c.axis()),
                        Format.csv(c.powerLaw().map(ConfidenceInterval::estimate).orElse(Double.NaN)),
                        Format.csv(c.powerLaw().map(ConfidenceInterval::low).orElse(Double.NaN)),
                        Format.csv(c.powerLaw().map(ConfidenceInterval::high).orElse(Double.NaN)))));
    }

    public static String ratios(List<Ratio> ratios) {
        return csv(List.of("series", "baseline", "bytes", "reps", "metric", "n_forks", "baseline_n_forks", "ratio",
                        "ci_low", "ci_high"),
                ratios.stream().map(r -> List.of(r.series().name(), r.baseline().name(), value(r.point().bytes()),
                        value(r.point().reps()), r.label(), Integer.toString(r.forks()), Integer.toString(r.baselineForks()),
                        Format.csv(r.ratio().estimate()), Format.csv(r.ratio().low()), Format.csv(r.ratio().high()))));
    }

    /** Categorical params: one row per level against its reference at one point, every number of the verdict; empty where none. */
    public static String factors(List<FactorEffect> effects) {
        return csv(List.of("factor", "series", "benchmark", "params", "bytes", "reps", "level", "reference", "metric", "unit",
                        "n_forks", "reference_n_forks", "reference_mean", "level_mean", "ratio", "ratio_ci_low", "ratio_ci_high",
                        "difference", "difference_ci_low", "difference_ci_high", "margin", "verdict", "reason", "p", "holm_p",
                        "verdict_after_holm", "roles_moved",
                        "syscalls_moved"),
                effects.stream().map(e -> List.of(e.factor().param(), e.series().name(), e.point().benchmark(), e.point().paramsText(),
                        value(e.point().bytes()), value(e.point().reps()), e.level(), e.referenceLevel(), e.label(), e.unit(),
                        e.subject().map(m -> Integer.toString(m.n())).orElse(""), e.base().map(m -> Integer.toString(m.n())).orElse(""),
                        e.base().map(m -> Format.csv(m.mean())).orElse(""), e.subject().map(m -> Format.csv(m.mean())).orElse(""),
                        Format.csv(e.ratio().estimate()), Format.csv(e.ratio().low()), Format.csv(e.ratio().high()),
                        Format.csv(e.difference().estimate()), Format.csv(e.difference().low()), Format.csv(e.difference().high()),
                        Format.csv(e.margin()), e.effect().word(), e.reason(), Format.csv(e.pValue()), Format.csv(e.holmP()),
                        e.adjusted().word(), moved(e.roles()), moved(e.syscalls()))));
    }

    /** Wait calls by syscalls entered during them: one row per point that recorded some, every share with its CI bounds. */
    public static String waitCalls(List<WaitCalls> rows) {
        List<String> header = new ArrayList<>(List.of("benchmark", "series", "mode", "params", "bytes", "reps", "n_forks"));
        List<String> columns = new ArrayList<>(List.of("invocations_per_iter", "blocked_share", "syscalls_per_call"));
        Labels.SYNC_BUCKETS.forEach(b -> columns.add("hist_" + b.replace("-", "_").replace("+", "_plus") + "_share"));
        columns.forEach(c -> header.addAll(List.of(c, c + "_ci_low", c + "_ci_high")));
        return csv(header, rows.stream().map(w -> {
            List<String> row = new ArrayList<>(List.of(w.point().benchmark(), w.point().series().name(), w.point().series().mode(),
                    w.point().paramsText(), value(w.point().bytes()), value(w.point().reps()), Integer.toString(w.n())));
            List<ConfidenceInterval> values = new ArrayList<>(List.of(w.invocations(), w.blockedShare(), w.syscallsPerCall()));
            values.addAll(w.histogram());
            values.forEach(ci -> row.addAll(List.of(Format.csv(ci.estimate()), Format.csv(ci.low()), Format.csv(ci.high()))));
            return row;
        }));
    }

    private static String moved(List<PredictionCheck.Moved> moved) {
        return moved.stream().map(m -> m.part() + " " + Format.signed(m.difference())).collect(Collectors.joining(", "));
    }

    /** Phase 2: one row per prediction and point, every number of the verdict (report.md rounds them); empty where none. */
    public static String verdicts(List<PredictionCheck> checks) {
        return csv(List.of("intervention", "family", "knobs", "backend", "platform", "benchmark", "params", "bytes", "reps",
                        "metric", "label", "unit", "direction", "against", "baseline_knobs", "n_forks", "baseline_n_forks",
                        "baseline_mean", "intervention_mean", "ratio", "ratio_ci_low", "ratio_ci_high", "difference",
                        "difference_ci_low", "difference_ci_high", "margin", "verdict", "reason", "p", "holm_p", "verdict_after_holm", "moved"),
                checks.stream().map(CsvExport::verdictRow));
    }

    private static List<String> verdictRow(PredictionCheck c) {
        List<String> row = new ArrayList<>(List.of(c.intervention().name(), c.intervention().family(), c.site().knobs(),
                c.site().backend(), c.site().platform(), c.site().benchmark(),
                c.site().params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";")),
                value(c.site().bytes()), value(c.site().reps()), c.prediction().metric(), c.label(), c.unit(),
                c.prediction().direction().word, c.prediction().against(), c.baselineKnobs().orElse("")));
        row.add(c.subject().map(s -> Integer.toString(s.n())).orElse(""));
        row.add(c.baseline().map(s -> Integer.toString(s.n())).orElse(""));
        row.add(c.baseline().map(s -> Format.csv(s.mean())).orElse(""));
        row.add(c.subject().map(s -> Format.csv(s.mean())).orElse(""));
        row.addAll(List.of(Format.csv(c.ratio().estimate()), Format.csv(c.ratio().low()), Format.csv(c.ratio().high()),
                Format.csv(c.difference().estimate()), Format.csv(c.difference().low()), Format.csv(c.difference().high()),
                Format.csv(c.margin()), c.outcome().word(), c.reason(), Format.csv(c.pValue()), Format.csv(c.holmP()),
                c.adjusted().word(), c.moved().stream().map(m -> m.part() + " " + Format.signed(m.difference())).collect(Collectors.joining(", "))));
        return row;
    }

    private static String csv(List<String> header, Stream<List<String>> rows) {
        return Stream.concat(Stream.of(header), rows)
                .map(row -> row.stream().map(CsvExport::field).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\r\n", "", "\r\n"));
    }

    private static String field(String text) {
        boolean quote = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    private static String value(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "";
    }
}
