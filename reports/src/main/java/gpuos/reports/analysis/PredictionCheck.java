package gpuos.reports.analysis;

import gpuos.reports.results.InterventionSpec;
import gpuos.reports.results.ResultsReader;
import gpuos.reports.results.Runner;
import gpuos.reports.stats.ConfidenceInterval;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One prediction of one intervention at one point (backend, OpenCL platform, bytes, reps, knobs), checked against
 * its baseline at the same point (docs/results-format.md, "Verdicts (reports)").
 *
 * @param site          where: the runner benchmark and its params without {@code intervention}
 * @param label         the result label the prediction's metric reads ({@code score} for {@code time})
 * @param subject       the intervention's fork values of the label; empty where it has no results (it failed)
 *                      or no such label
 * @param baseline      the same for the {@code against} intervention at the same point, whatever its knobs
 * @param baselineKnobs the knobs of the baseline's results, empty where it has none
 * @param ratio         mean(subject) / mean(baseline), 95% Fieller CI over forks (infinite bounds where unbounded); NaN
 *                      where a side is missing or the baseline mean is 0
 * @param difference    mean(subject) - mean(baseline), 95% Welch t CI over forks; NaN where a side is missing
 * @param margin        m of {@link Outcome#RULE}; NaN without a baseline
 * @param reason        why the outcome is inconclusive; empty otherwise
 * @param moved         syscall roles and thread classes whose difference is clear and large ({@link Moved#RULE})
 * @param pValue        of the test behind the outcome ({@link Outcome#pValue}); NaN where nothing was tested
 * @param holmP         pValue adjusted by Holm across the report's tested predictions (the family); NaN where untested
 * @param adjusted      the outcome after Holm: an outcome whose holmP is {@link Outcome#ALPHA} or more is inconclusive
 */
public record PredictionCheck(InterventionSpec intervention, InterventionSpec.Prediction prediction, Site site, String label,
                              String unit, Optional<MetricSummary> subject, Optional<MetricSummary> baseline,
                              Optional<String> baselineKnobs, ConfidenceInterval ratio, ConfidenceInterval difference,
                              double margin, Outcome outcome, String reason, List<Moved> moved,
                              double pValue, double holmP, Outcome adjusted) {

    /** This check with its Holm-adjusted p-value. */
    public PredictionCheck withHolm(double adjustedP) {
        Outcome after = outcome == Outcome.INCONCLUSIVE || adjustedP < Outcome.ALPHA ? outcome : Outcome.INCONCLUSIVE;
        return new PredictionCheck(intervention, prediction, site, label, unit, subject, baseline, baselineKnobs, ratio,
                difference, margin, outcome, reason, moved, pValue, adjustedP, after);
    }

    /**
     * A point of a runner benchmark for one intervention: the benchmark, the params other than {@code intervention}
     * and {@code knobs}, and the knobs.
     */
    public record Site(String benchmark, SortedMap<String, String> params, String knobs) {
        public String backend() {
            return Runner.backend(benchmark).orElse(benchmark);
        }

        public String platform() {
            return params.getOrDefault(Runner.PLATFORM, "");
        }

        /** "cuda", "opencl (pocl)", with params other than the axes and the platform after it. */
        public String backendLabel() {
            String others = otherParams().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
            return backend() + (platform().isEmpty() ? "" : " (" + platform() + ")") + (others.isEmpty() ? "" : " [" + others + "]");
        }

        public OptionalLong bytes() {
            return number(params.get(ResultsReader.BYTES));
        }

        public OptionalLong reps() {
            return number(params.get(ResultsReader.REPS));
        }

        /** Params that are neither axes nor the platform. */
        public SortedMap<String, String> otherParams() {
            SortedMap<String, String> others = new TreeMap<>(params);
            others.remove(ResultsReader.BYTES);
            others.remove(ResultsReader.REPS);
            others.remove(Runner.PLATFORM);
            return others;
        }

        /** "cuda, bytes=4096, reps=16" for warnings and reasons. */
        public String describe() {
            StringBuilder text = new StringBuilder(backendLabel());
            params.entrySet().stream().filter(e -> !otherParams().containsKey(e.getKey()) && !e.getKey().equals(Runner.PLATFORM))
                    .forEach(e -> text.append(", ").append(e.getKey()).append('=').append(e.getValue()));
            if (!knobs.isEmpty()) text.append(", knobs ").append(knobs);
            return text.toString();
        }

        private static OptionalLong number(String value) {
            if (value == null) return OptionalLong.empty();
            try {
                return OptionalLong.of(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        static Site of(String benchmark, Map<String, String> params) {
            return new Site(benchmark, Runner.pairingParams(params), Runner.knobs(params));
        }
    }

    /**
     * A syscall role or thread class that moved: the Welch t CI of its difference excludes 0 and |mean difference| >
     * max(0.01/op, 5% of its baseline mean).
     *
     * @param part  "sync" (a role) or "worker" (a thread class)
     */
    public record Moved(String part, double difference) {
        public static final String RULE = "What moved: the syscall roles (`syscalls.role.*`), then thread classes"
                + " (`syscalls.thread.*`), whose difference intervention - baseline has a 95% Welch t CI that excludes 0"
                + " and a mean beyond max(0.01/op, 5% of the baseline mean), with that difference in syscalls/op.";
    }

    /** The intervention's name with its knobs where they are not the defaults: "blocking-wait [k=4]". */
    public String interventionLabel() {
        return intervention.name() + (site.knobs().isEmpty() ? "" : " [" + site.knobs() + "]");
    }

    public int forks() {
        return subject.map(MetricSummary::n).orElse(0);
    }

    public int baselineForks() {
        return baseline.map(MetricSummary::n).orElse(0);
    }
}
