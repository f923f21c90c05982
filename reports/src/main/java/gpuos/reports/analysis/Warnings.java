package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Failure;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Metadata;
import gpuos.reports.results.RunResults;
import gpuos.reports.results.Series;
import gpuos.reports.stats.Descriptive;
import gpuos.reports.stats.ModifiedZScore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Checks that run before any result is shown. */
public final class Warnings {
    public static final int MIN_FORKS = 3;
    public static final double MAX_CV = 0.10;
    /**
     * An outlying fork is reported only when it also differs from the median by more than 5%. The MAD of
     * 3 to 5 fork means is itself noisy, so the modified z-score alone flags forks of plain Gaussian noise
     * (and of nearly exact syscall counts, a fork 0.3% off); a fork within 5% moves a 3-fork mean by under 2%.
     */
    public static final double MIN_OUTLIER_DEVIATION = 0.05;
    /**
     * Metrics checked for spread and outliers: the ones the report draws conclusions from, the score and the
     * headline syscall metric ({@link #headlineSyscalls}). Total syscalls/op are not checked where the workload
     * metric exists: on GPU series the two are nearly equal (the same warnings twice), and on CPU series the
     * total's spread is that of the JVM's background threads, which no verdict rests on.
     */
    public static final List<String> CHECKED_LABELS = List.of(Labels.SCORE, Labels.SYSCALLS_WORKLOAD);

    private Warnings() {}

    public static List<Warning.Raised> check(RunResults results) {
        return check(results, Optional.empty());
    }

    /** The checks of {@link #check(RunResults)}, then those of Phase 2 where the run has one. */
    public static List<Warning.Raised> check(RunResults results, Optional<Phase2> phase2) {
        List<Warning.Raised> raised = phase1(results);
        phase2.ifPresent(p -> phase2(results, p, raised));
        return raised;
    }

    /** Sites shown in a warning before "and N more". */
    static final int SITES_SHOWN = 3;

    private static void phase2(RunResults results, Phase2 phase2, List<Warning.Raised> raised) {
        if (!phase2.index().present()) raised.add(Warning.NO_INTERVENTION_INDEX.raise());
        phase2.unknown().forEach((name, points) -> raised.add(Warning.UNKNOWN_INTERVENTION.raiseAbout(name, name, count(points, "point"))));
        phase2.missingBaselines().forEach((pairing, sites) -> {
            String name = pairing.intervention();
            String shown = sites.stream().limit(SITES_SHOWN).map(PredictionCheck.Site::describe).collect(Collectors.joining("; "))
                    + (sites.size() > SITES_SHOWN ? "; and " + (sites.size() - SITES_SHOWN) + " more" : "");
            int of = (int) phase2.checks().stream().filter(c -> c.intervention().name().equals(name) && c.subject().isPresent())
                    .map(PredictionCheck::site).distinct().count();
            String at = of == 1 ? "the one point" : sites.size() == of ? "all " + of + " points" : sites.size() + " of the " + of + " points";
            raised.add(Warning.MISSING_BASELINE.raiseAbout(name, name, pairing.against(), at, name, shown));
        });
        Map<String, List<Failure>> failed = results.failures().stream()
                .collect(Collectors.groupingBy(Failure::intervention, TreeMap::new, Collectors.toList()));
        failed.forEach((name, failures) -> {
            Map<String, Long> phases = failures.stream().collect(Collectors.groupingBy(Failure::phase, TreeMap::new, Collectors.counting()));
            String byPhase = phases.entrySet().stream().map(e -> "in " + (e.getKey().isEmpty() ? "an unnamed phase" : e.getKey()) + ": " + e.getValue())
                    .collect(Collectors.joining(", "));
            raised.add(Warning.INTERVENTION_FAILED.raiseAbout(name, name, failures.size() == 1 ? "once" : failures.size() + " times", byPhase));
        });
    }

    /** "1 point", "3 points". */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static List<Warning.Raised> phase1(RunResults results) {
        List<Warning.Raised> raised = new ArrayList<>();
        results.partialFiles().forEach(file -> raised.add(Warning.INTERRUPTED_RUN.raise(file)));
        if (!results.metadata().present()) raised.add(Warning.NO_METADATA.raise());
        // The sweep records each part's status ("planned", "ok", "failed") in metadata.json as it goes.
        for (Metadata.Part part : results.metadata().parts()) {
            String status = part.status().orElse("unknown");
            if (!status.equals("ok")) raised.add(Warning.PART_NOT_OK.raise(part.name().orElse("(unnamed)"), status));
        }
        String backend = results.metadata().counting().backend().orElse("(unnamed)");
        results.metadata().counting().caveats().forEach(c -> raised.add(Warning.COUNTING_CAVEAT.raise(backend, c)));
        Map<Series, List<BenchmarkPoint>> bySeries = results.bySeries();
        List<String> unprofiled = bySeries.entrySet().stream()
                .filter(e -> e.getValue().stream().noneMatch(BenchmarkPoint::hasSyscallProfiler))
                .map(e -> e.getKey().name()).toList();
        if (!unprofiled.isEmpty()) raised.add(Warning.NO_SYSCALL_PROFILER.raise(String.join(", ", unprofiled)));
        bySeries.forEach((series, points) -> fewForks(series, points, raised));
        bySeries.forEach((series, points) -> jvmActivity(series, points, raised));
        // Per series: its spread warnings, then its outlying forks (which the report shows as one item per series).
        bySeries.forEach((series, points) -> {
            List<String> checked = List.of(Labels.SCORE, headlineSyscalls(points));
            for (String label : checked) highVariation(series, label, summaries(points, label), raised);
            for (String label : checked) summaries(points, label).forEach(summary -> outliers(summary, raised));
        });
        return raised;
    }

    /** Workload syscalls/op, or the total where the profiler wrote no thread labels to derive them from. */
    public static String headlineSyscalls(List<BenchmarkPoint> points) {
        return points.stream().anyMatch(p -> p.labels().contains(Labels.SYSCALLS_WORKLOAD)) ? Labels.SYSCALLS_WORKLOAD : Labels.SYSCALLS_TOTAL;
    }

    private static List<MetricSummary> summaries(List<BenchmarkPoint> points, String label) {
        return points.stream().flatMap(p -> MetricSummary.of(p, label).stream()).toList();
    }

    private static void fewForks(Series series, List<BenchmarkPoint> points, List<Warning.Raised> raised) {
        long few = points.stream().filter(p -> p.forks() < MIN_FORKS).count();
        if (few == 0) return;
        int fewest = points.stream().mapToInt(BenchmarkPoint::forks).min().orElse(0);
        raised.add(Warning.FEW_FORKS.raiseAbout(series.name(), series.name(), few, points.size(), fewest));
    }

    /** GC pauses inside counted windows (the profiler's jvm.gc.pauses, per iteration), one warning per series. */
    private static void jvmActivity(Series series, List<BenchmarkPoint> points, List<Warning.Raised> raised) {
        List<MetricSummary> paused = summaries(points, Labels.JVM_GC_PAUSES).stream().filter(s -> s.mean() > 0).toList();
        paused.stream().max(Comparator.comparingDouble(MetricSummary::mean)).ifPresent(most -> raised.add(Warning.JVM_ACTIVITY.raiseAbout(series.name(),
                series.name(), paused.size(), points.size(), most.point().coordinates(), most.mean())));
    }

    /** One warning per series and metric, so a noisy series does not bury the others. */
    private static void highVariation(Series series, String label, List<MetricSummary> summaries, List<Warning.Raised> raised) {
        List<MetricSummary> high = summaries.stream().filter(s -> s.cv() > MAX_CV).toList();
        high.stream().max(Comparator.comparingDouble(MetricSummary::cv)).ifPresent(worst -> raised.add(Warning.HIGH_CV.raiseAbout(series.name(),
                series.name(), label, high.size(), summaries.size(), worst.point().coordinates(), worst.cv() * 100)));
    }

    private static void outliers(MetricSummary summary, List<Warning.Raised> raised) {
        String where = summary.point().coordinates();
        String series = summary.point().series().name();
        double[] values = summary.forkValues();
        double median = Descriptive.median(values);
        double[] scores = ModifiedZScore.scores(values);
        for (int fork : ModifiedZScore.outliers(values)) {
            if (Math.abs(values[fork] - median) <= MIN_OUTLIER_DEVIATION * Math.abs(median)) continue;
            raised.add(Warning.OUTLIER_FORK.raiseAbout(series, series, where, fork + 1, values.length, summary.label(),
                    values[fork], scores[fork]));
        }
    }
}
