package gpuos.reports.analysis;

import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.FiellerRatio;
import gpuos.reports.stats.TInterval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A series divided by its baseline (usually the CPU one) at the same (bytes, reps): mean / baseline mean, with a
 * 95% Fieller interval over forks ({@link FiellerRatio}), unbounded where the baseline's own interval reaches 0.
 */
public record Ratio(Series series, Series baseline, BenchmarkPoint point, String label, ConfidenceInterval ratio,
                    int forks, int baselineForks) {

    /** Variant or backend names that mark a family's baseline, in order of preference. */
    public static final List<String> BASELINE_WORDS = List.of("baseline", "cpu", "java", "host", "reference");
    /** A param with one of these values marks the series that does without the thing measured (counter=off, tool=none). */
    public static final List<String> OFF_VALUES = List.of("off", "none");

    public static final String RULE = "Each series is divided by a baseline at equal bytes and reps: the series of its own"
            + " family with a param set to one of " + OFF_VALUES + " (e.g. counter=off); else the series of its own family whose variant contains, or whose backend is, one of " + BASELINE_WORDS + "; else such a series of"
            + " the run (the CPU baseline); else the family's first series by name. Among several, the earliest word wins,"
            + " then the fewest extra params, then the name. 95% CI: Fieller's interval over forks (unequal variances), unbounded"
            + " (shown as such) where the baseline mean's own interval reaches 0; no ratio where the baseline mean is 0.";

    public static List<Ratio> all(Map<Series, List<BenchmarkPoint>> bySeries, List<String> labels) {
        List<Ratio> ratios = new ArrayList<>();
        for (Series series : bySeries.keySet()) {
            Optional<Series> baseline = baselineFor(series, bySeries.keySet());
            if (baseline.isEmpty()) continue;
            for (BenchmarkPoint point : bySeries.get(series)) {
                Optional<BenchmarkPoint> basePoint = bySeries.get(baseline.get()).stream()
                        .filter(b -> b.bytes().equals(point.bytes()) && b.reps().equals(point.reps())).findFirst();
                if (basePoint.isEmpty()) continue;
                for (String label : labels) {
                    of(series, baseline.get(), point, basePoint.get(), label).ifPresent(ratios::add);
                }
            }
        }
        return ratios;
    }

    static Optional<Ratio> of(Series series, Series baseline, BenchmarkPoint point, BenchmarkPoint basePoint, String label) {
        Optional<double[]> values = point.forkValues(label);
        Optional<double[]> baseValues = basePoint.forkValues(label);
        if (values.isEmpty() || baseValues.isEmpty() || values.get().length == 0 || baseValues.get().length == 0
                || !point.unit(label).equals(basePoint.unit(label))) {
            return Optional.empty();
        }
        ConfidenceInterval ratio = FiellerRatio.of(values.get(), baseValues.get(), TInterval.LEVEL_95);
        return Optional.of(new Ratio(series, baseline, point, label, ratio, values.get().length, baseValues.get().length));
    }

    /** The baseline of a series by {@link #RULE}; empty when the series is its own baseline. */
    public static Optional<Series> baselineFor(Series series, Collection<Series> all) {
        List<Series> family = all.stream().filter(s -> s.family().equals(series.family())).toList();
        return best(family.stream().filter(s -> s.params().values().stream().anyMatch(OFF_VALUES::contains)))
                .or(() -> best(family.stream().filter(Ratio::isBaselineNamed)))
                .or(() -> best(all.stream().filter(Ratio::isBaselineNamed)))
                .or(() -> best(family.stream()))
                .filter(baseline -> !baseline.equals(series));
    }

    private static Optional<Series> best(Stream<Series> candidates) {
        return candidates.min(Comparator.comparingInt(Ratio::baselineRank)
                .thenComparingInt(s -> s.params().size())
                .thenComparing(Series::name));
    }

    private static boolean isBaselineNamed(Series series) {
        return baselineRank(series) < BASELINE_WORDS.size();
    }

    private static int baselineRank(Series series) {
        for (int i = 0; i < BASELINE_WORDS.size(); i++) {
            String word = BASELINE_WORDS.get(i);
            if (series.variant().toLowerCase(Locale.ROOT).contains(word)
                    || series.backend().toLowerCase(Locale.ROOT).equals(word)) {
                return i;
            }
        }
        return BASELINE_WORDS.size();
    }
}
