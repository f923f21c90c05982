package gpuos.reports.analysis;

import gpuos.reports.analysis.PredictionCheck.Moved;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.FiellerRatio;
import gpuos.reports.stats.Holm;
import gpuos.reports.stats.TEstimate;
import gpuos.reports.stats.TInterval;
import gpuos.reports.stats.WelchDifference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One value (level) of a categorical param ({@link Factor}) against the reference value at one point: the same
 * benchmark, mode and every other param (bytes and reps included). The metric is the headline syscall metric
 * (workload syscalls/op; the total where the profiler wrote no thread labels).
 *
 * @param series     the series of both points without the factor's param ("CudaExecution.spin [gpuNanos=1000]")
 * @param subject    the level's fork values of the label; empty where it has none
 * @param base       the reference level's, likewise
 * @param ratio      mean(subject) / mean(base), 95% Fieller CI over forks (infinite bounds where unbounded); NaN where a
 *                   side is missing or the base mean is 0
 * @param difference mean(subject) - mean(base), 95% Welch t CI over forks; NaN where a side is missing
 * @param margin     m of {@link #RULE}; NaN without a base
 * @param reason     why the effect is inconclusive; empty otherwise
 * @param roles      roles whose difference is clear and large ({@link Moved#RULE}'s test)
 * @param syscalls   single syscalls whose difference is clear and large, largest |difference| first
 * @param pValue     of the test behind a decided effect (d = 0 for differs, the larger of d = ± m for same); 1 for an
 *                   undecided tested row, NaN where untested
 * @param holmP      pValue adjusted by Holm across the report's factor rows
 * @param adjusted   the effect after Holm
 */
public record FactorEffect(Factor factor, Series series, BenchmarkPoint point, BenchmarkPoint basePoint, String level,
                           String referenceLevel, String label, String unit, Optional<MetricSummary> subject,
                           Optional<MetricSummary> base, ConfidenceInterval ratio, ConfidenceInterval difference,
                           double margin, Effect effect, String reason, List<Moved> roles, List<Moved> syscalls,
                           double pValue, double holmP, Effect adjusted) {

    /** What a level does to the metric, by {@link #RULE}. */
    public enum Effect {
        SAME, DIFFERS, INCONCLUSIVE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String RULE = "Verdict rule: d = level - reference of the per-fork means, with a 95% Welch t"
            + " CI over forks (unequal variances); margin m ="
            + " max(5% of |reference mean|, 0.01/op), the practical margin of the constraints and of Phase 2."
            + " **same**: the CI of d lies inside (-m, m). **differs**: the CI of d excludes 0 and |d| > m."
            + " Anything else, identical forks on both sides (zero-width interval), or fewer than " + Outcome.MIN_FORKS
            + " forks on either side: **inconclusive**, with the reason. Holm across every tested row of the report, as for Phase 2."
            + " Ratio: level mean / reference mean with its 95% Fieller CI (unbounded where the reference's own CI reaches 0;"
            + " none where the reference mean is 0)."
            + " What moved: the syscall roles (`syscalls.role.*`) and single syscalls (`syscalls.<name>`) whose d has a 95%"
            + " Welch t CI that excludes 0 and a mean beyond max(0.01/op, 5% of the reference mean), with d in syscalls/op.";

    /**
     * Every level of every {@link Factor#ALL} param against its reference, at every point that has two levels or more:
     * the factor's preferred value where the point has it, else the level that comes first in the data.
     * Sorted by series (numbers in params by value), bytes, reps, then levels in data order.
     */
    public static List<FactorEffect> all(List<BenchmarkPoint> points) {
        List<FactorEffect> effects = new ArrayList<>();
        for (Factor factor : Factor.ALL) {
            Map<String, Map<String, BenchmarkPoint>> levelsByPoint = new LinkedHashMap<>(); // key: all but the factor
            for (BenchmarkPoint p : points) {
                String level = p.params().get(factor.param());
                if (level == null) continue;
                SortedMap<String, String> others = new TreeMap<>(p.params());
                others.remove(factor.param());
                levelsByPoint.computeIfAbsent(p.benchmark() + "|" + p.series().mode() + "|" + others, k -> new LinkedHashMap<>())
                        .putIfAbsent(level, p);
            }
            List<FactorEffect> ofFactor = new ArrayList<>();
            for (Map<String, BenchmarkPoint> levels : levelsByPoint.values()) {
                if (levels.size() < 2) continue;
                String reference = levels.containsKey(factor.preferred()) ? factor.preferred() : levels.keySet().iterator().next();
                BenchmarkPoint base = levels.get(reference);
                levels.forEach((level, point) -> {
                    if (!level.equals(reference)) ofFactor.add(of(factor, level, point, reference, base));
                });
            }
            ofFactor.sort(Comparator.comparing((FactorEffect e) -> e.series(), FactorEffect::compareSeries)
                    .thenComparingLong(e -> e.point().bytes().orElse(Long.MIN_VALUE))
                    .thenComparingLong(e -> e.point().reps().orElse(Long.MIN_VALUE))); // stable: levels stay in data order
            effects.addAll(ofFactor);
        }
        double[] adjusted = Holm.adjust(effects.stream().mapToDouble(FactorEffect::pValue).toArray());
        for (int i = 0; i < effects.size(); i++) effects.set(i, effects.get(i).withHolm(adjusted[i]));
        return List.copyOf(effects);
    }

    static FactorEffect of(Factor factor, String level, BenchmarkPoint point, String referenceLevel, BenchmarkPoint basePoint) {
        String label = Warnings.headlineSyscalls(List.of(point, basePoint));
        Optional<MetricSummary> subject = MetricSummary.of(point, label);
        Optional<MetricSummary> base = MetricSummary.of(basePoint, label);
        String unit = subject.or(() -> base).map(MetricSummary::unit).orElse(point.unit(label));
        ConfidenceInterval ratio = ConfidenceInterval.undefined(Double.NaN);
        ConfidenceInterval difference = ConfidenceInterval.undefined(Double.NaN);
        double pValue = Double.NaN;
        double margin = base.map(b -> Outcome.margin(label, b.mean())).orElse(Double.NaN);
        String reason;
        Effect effect;
        if (subject.isEmpty() || base.isEmpty()) {
            effect = Effect.INCONCLUSIVE;
            reason = !point.hasSyscallProfiler() || !basePoint.hasSyscallProfiler() ? "the syscall profiler did not run on both"
                    : "no " + label + " on both";
        } else {
            double[] a = subject.get().forkValues();
            double[] b = base.get().forkValues();
            TEstimate d = WelchDifference.of(a, b);
            difference = d.interval(TInterval.LEVEL_95);
            if (base.get().mean() != 0) ratio = FiellerRatio.of(a, b, TInterval.LEVEL_95);
            if (a.length < Outcome.MIN_FORKS || b.length < Outcome.MIN_FORKS) {
                effect = Effect.INCONCLUSIVE;
                reason = "fewer than " + Outcome.MIN_FORKS + " forks (" + a.length + " vs " + b.length + ")";
            } else {
                Judged judged = judge(difference, margin);
                effect = judged.effect();
                reason = judged.reason();
                pValue = d.isDefined() && !d.isDegenerate() ? switch (effect) {
                    case SAME -> Math.max(d.pValue(-margin), d.pValue(margin));
                    case DIFFERS -> d.pValue(0);
                    case INCONCLUSIVE -> 1;
                } : Double.NaN;
            }
        }
        List<Moved> roles = new ArrayList<>();
        for (String role : Labels.ROLES) Phase2.movedPart(point, basePoint, Labels.role(role), role).ifPresent(roles::add);
        List<Moved> syscalls = new ArrayList<>();
        new TreeSet<>(Stream.concat(point.labels().stream(), basePoint.labels().stream()).toList()).forEach(l ->
                Labels.syscallName(l).flatMap(name -> Phase2.movedPart(point, basePoint, l, name)).ifPresent(syscalls::add));
        syscalls.sort(Comparator.comparingDouble((Moved m) -> -Math.abs(m.difference())).thenComparing(Moved::part));
        return new FactorEffect(factor, point.series().without(factor.param()), point, basePoint, level, referenceLevel, label,
                unit, subject, base, ratio, difference, margin, effect, reason, List.copyOf(roles), List.copyOf(syscalls),
                pValue, Double.NaN, effect);
    }

    /** This row with its Holm-adjusted p-value: a decided effect is kept where it is below {@link Outcome#ALPHA}. */
    FactorEffect withHolm(double adjustedP) {
        Effect after = effect == Effect.INCONCLUSIVE || adjustedP < Outcome.ALPHA ? effect : Effect.INCONCLUSIVE;
        return new FactorEffect(factor, series, point, basePoint, level, referenceLevel, label, unit, subject, base, ratio,
                difference, margin, effect, reason, roles, syscalls, pValue, adjustedP, after);
    }

    /** An effect and, for an inconclusive one, why. */
    record Judged(Effect effect, String reason) {}

    /** {@link #RULE} for the CI of d and the margin m; the fork counts are checked by the caller. */
    static Judged judge(ConfidenceInterval d, double m) {
        if (!d.isDefined() || Double.isNaN(m)) return new Judged(Effect.INCONCLUSIVE, "no CI of the difference");
        if (d.isDegenerate()) return new Judged(Effect.INCONCLUSIVE, "identical forks on both sides: no spread measured");
        if (d.low() > -m && d.high() < m) return new Judged(Effect.SAME, "");
        boolean clear = d.low() > 0 || d.high() < 0;
        if (clear && Math.abs(d.estimate()) > m) return new Judged(Effect.DIFFERS, "");
        return new Judged(Effect.INCONCLUSIVE, clear ? "d excludes 0 but is within ± m" : "the CI of d includes 0 and reaches past ± m");
    }

    /** Series by the name before their params, then params by key and value, numbers by value (gpuNanos=1000 before 10000). */
    static int compareSeries(Series a, Series b) {
        int byStem = stem(a).compareTo(stem(b));
        if (byStem != 0) return byStem;
        Iterator<Map.Entry<String, String>> i = a.params().entrySet().iterator();
        Iterator<Map.Entry<String, String>> j = b.params().entrySet().iterator();
        while (i.hasNext() && j.hasNext()) {
            Map.Entry<String, String> x = i.next();
            Map.Entry<String, String> y = j.next();
            int byKey = x.getKey().compareTo(y.getKey());
            if (byKey != 0) return byKey;
            int byValue = compareValues(x.getValue(), y.getValue());
            if (byValue != 0) return byValue;
        }
        return i.hasNext() ? 1 : j.hasNext() ? -1 : a.name().compareTo(b.name());
    }

    private static String stem(Series s) {
        String suffix = Series.paramsSuffix(s.params());
        return s.name().endsWith(suffix) ? s.name().substring(0, s.name().length() - suffix.length()) : s.name();
    }

    private static int compareValues(String x, String y) {
        OptionalLong a = number(x);
        OptionalLong b = number(y);
        if (a.isPresent() && b.isPresent()) return Long.compare(a.getAsLong(), b.getAsLong());
        return x.compareTo(y);
    }

    private static OptionalLong number(String value) {
        try {
            return OptionalLong.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public int forks() {
        return subject.map(MetricSummary::n).orElse(0);
    }
}
