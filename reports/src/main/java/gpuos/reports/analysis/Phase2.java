package gpuos.reports.analysis;

import gpuos.reports.analysis.PredictionCheck.Moved;
import gpuos.reports.analysis.PredictionCheck.Site;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Failure;
import gpuos.reports.results.InterventionSpec;
import gpuos.reports.results.RunInterventions;
import gpuos.reports.results.Labels;
import gpuos.reports.results.RunResults;
import gpuos.reports.results.Runner;
import gpuos.reports.results.ScoreUnits;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.Descriptive;
import gpuos.reports.stats.FiellerRatio;
import gpuos.reports.stats.Holm;
import gpuos.reports.stats.TEstimate;
import gpuos.reports.stats.TInterval;
import gpuos.reports.stats.WelchDifference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Phase 2 of a run: every prediction of every intervention checked at every point where the intervention ran or
 * failed (docs/results-format.md, "Phase 2: interventions").
 *
 * @param checks          one per (prediction, point), sorted by family, intervention, knobs, prediction, point
 * @param failures        failures.jsonl, in file order
 * @param unknown         interventions with runner results but not in the index, with their number of points
 * @param missingBaselines per intervention and the baseline it is predicted against, the points where the intervention
 *                        has results but the baseline has none
 * @param notRun          interventions of the index with predictions but neither results nor failures in this run
 * @param runnerPoints    the number of points of the runner benchmarks
 */
public record Phase2(RunInterventions index, List<PredictionCheck> checks, List<Failure> failures,
                     Map<String, Integer> unknown, Map<Pairing, List<Site>> missingBaselines, List<String> notRun,
                     int runnerPoints) {

    /** An intervention and the one it is predicted against. */
    public record Pairing(String intervention, String against) implements Comparable<Pairing> {
        @Override
        public int compareTo(Pairing other) {
            return Comparator.comparing(Pairing::intervention).thenComparing(Pairing::against).compare(this, other);
        }
    }

    public static Optional<Phase2> of(RunResults results) {
        if (!results.hasPhase2()) return Optional.empty();
        RunInterventions index = results.interventions();
        List<BenchmarkPoint> runner = results.runnerPoints();

        Map<String, Integer> unknown = new TreeMap<>();
        if (index.present()) {
            runner.stream().map(p -> Runner.intervention(p.params())).filter(name -> index.named(name).isEmpty())
                    .forEach(name -> unknown.merge(name, 1, Integer::sum));
        }

        // Where each intervention with predictions ran (its result points) or failed (failures.jsonl), once each.
        Map<Subject, Optional<BenchmarkPoint>> subjects = new LinkedHashMap<>();
        for (BenchmarkPoint point : runner) {
            index.named(Runner.intervention(point.params())).filter(i -> !i.predictions().isEmpty()).ifPresent(intervention ->
                    subjects.putIfAbsent(new Subject(intervention, Site.of(point.benchmark(), point.params())), Optional.of(point)));
        }
        for (Failure failure : results.failures()) {
            index.named(failure.intervention()).filter(i -> !i.predictions().isEmpty()).ifPresent(intervention ->
                    subjects.putIfAbsent(new Subject(intervention, Site.of(failure.benchmark(), failure.params())), Optional.empty()));
        }

        Map<List<BenchmarkPoint>, List<Moved>> movedCache = new HashMap<>();
        List<PredictionCheck> checks = new ArrayList<>();
        Map<Pairing, List<Site>> missingBaselines = new TreeMap<>();
        subjects.forEach((subject, point) -> {
            for (InterventionSpec.Prediction prediction : subject.intervention().predictions()) {
                if (!prediction.appliesTo(subject.site().backend())) continue; // made for another backend
                Optional<BenchmarkPoint> baseline = baselineOf(runner, subject.site(), point, prediction.against());
                if (point.isPresent() && baseline.isEmpty()) {
                    List<Site> sites = missingBaselines.computeIfAbsent(new Pairing(subject.intervention().name(), prediction.against()),
                            k -> new ArrayList<>());
                    if (!sites.contains(subject.site())) sites.add(subject.site());
                }
                checks.add(check(subject.intervention(), prediction, subject.site(), point, baseline, results.failures(), movedCache));
            }
        });
        checks.sort(order(index));
        double[] adjusted = Holm.adjust(checks.stream().mapToDouble(PredictionCheck::pValue).toArray());
        for (int i = 0; i < checks.size(); i++) checks.set(i, checks.get(i).withHolm(adjusted[i]));

        List<String> notRun = index.interventions().stream()
                .filter(i -> !i.predictions().isEmpty())
                .filter(i -> runner.stream().noneMatch(p -> Runner.intervention(p.params()).equals(i.name())))
                .filter(i -> results.failures().stream().noneMatch(f -> f.intervention().equals(i.name())))
                .map(InterventionSpec::name).toList();
        return Optional.of(new Phase2(index, List.copyOf(checks), results.failures(), unknown, missingBaselines, notRun, runner.size()));
    }

    /** Checks per family, in the order families first appear among the sorted checks. */
    public Map<String, List<PredictionCheck>> byFamily() {
        return checks.stream().collect(Collectors.groupingBy(c -> c.intervention().family(), LinkedHashMap::new, Collectors.toList()));
    }

    /** Checks per backend (with the OpenCL platform and other params), in order of first appearance. */
    public Map<String, List<PredictionCheck>> byBackend() {
        return checks.stream().collect(Collectors.groupingBy(c -> c.site().backendLabel(), LinkedHashMap::new, Collectors.toList()));
    }

    /** The label a prediction's metric reads: {@code time} the score, others their profiler label ({@code .norm} added). */
    public static String label(String metric) {
        if (metric.equals("time")) return Labels.SCORE;
        return metric.endsWith(Labels.NORM_SUFFIX) ? metric : metric + Labels.NORM_SUFFIX;
    }

    // ---- pairing ----

    /**
     * The baseline's point at a site: the runner benchmark and params of the subject except {@code intervention} and
     * {@code knobs} (docs/results-format.md); among several, the one with default knobs ({@code ""}), else the first by
     * knobs. Never the subject point itself (an intervention can be predicted against other knobs of itself).
     */
    static Optional<BenchmarkPoint> baselineOf(List<BenchmarkPoint> runner, Site site, Optional<BenchmarkPoint> subject, String against) {
        return runner.stream()
                .filter(p -> p.benchmark().equals(site.benchmark()))
                .filter(p -> Runner.intervention(p.params()).equals(against))
                .filter(p -> Runner.pairingParams(p.params()).equals(site.params()))
                .filter(p -> subject.isEmpty() || (p.series().mode().equals(subject.get().series().mode()) && p != subject.get()))
                .min(Comparator.comparing((BenchmarkPoint p) -> !Runner.knobs(p.params()).isEmpty())
                        .thenComparing(p -> Runner.knobs(p.params())));
    }

    // ---- one check ----

    private static PredictionCheck check(InterventionSpec intervention, InterventionSpec.Prediction prediction, Site site,
                                         Optional<BenchmarkPoint> point, Optional<BenchmarkPoint> basePoint,
                                         List<Failure> failures, Map<List<BenchmarkPoint>, List<Moved>> movedCache) {
        String label = label(prediction.metric());
        Optional<MetricSummary> subject = point.flatMap(p -> MetricSummary.of(p, label));
        Optional<MetricSummary> baseline = basePoint.flatMap(p -> MetricSummary.of(p, label));
        String unit = subject.or(() -> baseline).map(MetricSummary::unit)
                .orElse(point.or(() -> basePoint).map(p -> p.unit(label)).orElse(""));
        Optional<String> baselineKnobs = basePoint.map(p -> Runner.knobs(p.params()));

        ConfidenceInterval ratio = ConfidenceInterval.undefined(Double.NaN);
        TEstimate d = TEstimate.undefined(Double.NaN);
        double margin = baseline.map(b -> Outcome.margin(label, b.mean())).orElse(Double.NaN);
        if (subject.isPresent() && baseline.isPresent()) {
            double[] a = subject.get().forkValues();
            double[] b = baseline.get().forkValues();
            d = WelchDifference.of(a, b);
            ratio = baseline.get().mean() == 0 ? ConfidenceInterval.undefined(Double.NaN) : FiellerRatio.of(a, b, TInterval.LEVEL_95);
        }
        ConfidenceInterval difference = d.interval(TInterval.LEVEL_95);
        List<Moved> moved = point.isPresent() && basePoint.isPresent()
                ? movedCache.computeIfAbsent(List.of(point.get(), basePoint.get()), k -> moved(point.get(), basePoint.get()))
                : List.of();

        Optional<String> missing = missing(intervention, prediction, site, label, point, basePoint, subject, baseline, failures);
        Outcome.Judgement judgement;
        boolean tested = false;
        if (missing.isPresent()) {
            judgement = new Outcome.Judgement(Outcome.INCONCLUSIVE, missing.get());
        } else if (subject.get().n() < Outcome.MIN_FORKS || baseline.get().n() < Outcome.MIN_FORKS) {
            judgement = new Outcome.Judgement(Outcome.INCONCLUSIVE, "fewer than " + Outcome.MIN_FORKS + " forks ("
                    + subject.get().n() + " vs " + baseline.get().n() + ")");
        } else {
            judgement = Outcome.judge(prediction.direction(), difference, margin);
            tested = true;
        }
        double p = tested ? Outcome.pValue(prediction.direction(), judgement.outcome(), d, margin) : Double.NaN;
        return new PredictionCheck(intervention, prediction, site, label, unit, subject, baseline, baselineKnobs, ratio,
                difference, margin, judgement.outcome(), judgement.reason(), moved, p, Double.NaN, judgement.outcome());
    }

    /** Why a side has nothing to compare, if so. */
    private static Optional<String> missing(InterventionSpec intervention, InterventionSpec.Prediction prediction, Site site, String label,
                                            Optional<BenchmarkPoint> point, Optional<BenchmarkPoint> basePoint,
                                            Optional<MetricSummary> subject, Optional<MetricSummary> baseline, List<Failure> failures) {
        String metric = prediction.metric();
        if (metric.startsWith(Labels.ROLE_PREFIX) && !Labels.ROLES.contains(middle(label, Labels.ROLE_PREFIX))) {
            return Optional.of("unknown role in " + metric + " (roles: " + String.join(", ", Labels.ROLES) + ")");
        }
        if (metric.startsWith(Labels.THREAD_PREFIX) && !Labels.THREAD_CLASSES.contains(middle(label, Labels.THREAD_PREFIX))) {
            return Optional.of("unknown thread class in " + metric + " (classes: " + String.join(", ", Labels.THREAD_CLASSES) + ")");
        }
        if (point.isEmpty()) {
            return Optional.of("the intervention failed here" + failedAt(failures, intervention.name(), site));
        }
        if (basePoint.isEmpty()) {
            String failed = failedAt(failures, prediction.against(), site);
            return Optional.of(failed.isEmpty() ? "no results of " + prediction.against() + " at this point"
                    : "its baseline " + prediction.against() + " failed here" + failed);
        }
        if (metric.equals("time") && !point.get().unit(Labels.SCORE).equals(ScoreUnits.TIME_PER_OP)) {
            return Optional.of("the score is in " + point.get().unit(Labels.SCORE) + ", not a time per operation");
        }
        if (subject.isEmpty()) return Optional.of(noData(label, point.get(), "the intervention"));
        if (baseline.isEmpty()) return Optional.of(noData(label, basePoint.get(), "the baseline"));
        return Optional.empty();
    }

    private static String noData(String label, BenchmarkPoint point, String side) {
        if (label.startsWith(Labels.SYSCALL_PREFIX) && !point.hasSyscallProfiler()) {
            return "no " + label + ": the syscall profiler did not run for " + side;
        }
        if (label.equals(Labels.SYSCALLS_WORKLOAD)) return "no " + label + ": the profiler wrote no thread labels for " + side;
        return "no " + label + " in the results of " + side;
    }

    /** " (setup: CudaException: ...)" for the first failure of an intervention at a site, empty when none. */
    private static String failedAt(List<Failure> failures, String intervention, Site site) {
        return failures.stream()
                .filter(f -> f.intervention().equals(intervention) && f.benchmark().equals(site.benchmark())
                        && Runner.pairingParams(f.params()).equals(site.params()))
                .findFirst().map(f -> " (" + f.phase() + ": " + f.error() + ")").orElse("");
    }

    private static String middle(String label, String prefix) {
        return label.substring(prefix.length(), label.length() - Labels.NORM_SUFFIX.length());
    }

    /** {@link Moved#RULE}: roles first, then thread classes. */
    static List<Moved> moved(BenchmarkPoint point, BenchmarkPoint basePoint) {
        List<Moved> moved = new ArrayList<>();
        for (String role : Labels.ROLES) movedPart(point, basePoint, Labels.role(role), role).ifPresent(moved::add);
        for (String threads : Labels.THREAD_CLASSES) movedPart(point, basePoint, Labels.threadClass(threads), threads).ifPresent(moved::add);
        return List.copyOf(moved);
    }

    static Optional<Moved> movedPart(BenchmarkPoint point, BenchmarkPoint basePoint, String label, String part) {
        if (!point.hasSyscallProfiler() || !basePoint.hasSyscallProfiler()) return Optional.empty();
        Optional<double[]> a = point.forkValues(label);
        Optional<double[]> b = basePoint.forkValues(label);
        if (a.isEmpty() || b.isEmpty() || a.get().length < Outcome.MIN_FORKS || b.get().length < Outcome.MIN_FORKS) return Optional.empty();
        ConfidenceInterval d = WelchDifference.of(a.get(), b.get()).interval(TInterval.LEVEL_95);
        double threshold = Outcome.margin(label, Descriptive.mean(b.get()));
        boolean clear = d.isDefined() && (d.low() > 0 || d.high() < 0); // descriptive: identical forks that differ did move
        return clear && Math.abs(d.estimate()) > threshold ? Optional.of(new Moved(part, d.estimate())) : Optional.empty();
    }

    // ---- keys and order ----

    /** An intervention at one site. */
    private record Subject(InterventionSpec intervention, Site site) {}

    private static Comparator<PredictionCheck> order(RunInterventions index) {
        List<String> families = index.interventions().stream().map(InterventionSpec::family).distinct().toList();
        return Comparator.comparingInt((PredictionCheck c) -> families.indexOf(c.intervention().family()))
                .thenComparing(c -> c.intervention().name())
                .thenComparing(c -> c.site().knobs())
                .thenComparingInt(c -> c.intervention().predictions().indexOf(c.prediction()))
                .thenComparing(c -> c.site().backend())
                .thenComparing(c -> c.site().platform())
                .thenComparing(c -> c.site().otherParams().toString())
                .thenComparingLong(c -> c.site().bytes().orElse(Long.MIN_VALUE))
                .thenComparingLong(c -> c.site().reps().orElse(Long.MIN_VALUE));
    }
}
