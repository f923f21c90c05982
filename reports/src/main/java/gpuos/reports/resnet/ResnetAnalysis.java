package gpuos.reports.resnet;

import gpuos.reports.stats.ConfidenceInterval;
import gpuos.reports.stats.FiellerRatio;
import gpuos.reports.stats.Holm;
import gpuos.reports.stats.TEstimate;
import gpuos.reports.stats.TInterval;
import gpuos.reports.stats.WelchDifference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything the ResNet report says, computed once from the folders: per sweep point the mean of each run's figure with
 * its 95% t interval over runs (a run is one process), latency and CPU as ratios of the default wait's (Fieller),
 * differences from blocking sync (Welch, Holm across the table), the job waits before and after the predictor fix
 * (Welch), the Phase-1 constraints along batch size and inferences per run ({@link ResnetConstraint}), per wait
 * and N the load rounds, and under load the job waits against spin and blocking (Welch, Holm across the table).
 * Renderers and charts only format what this holds.
 */
public record ResnetAnalysis(List<SweepPoint> sweep, List<SweepPoint> sweepBefore, List<Ratio> ratios, List<Difference> versusBlocking,
                             List<Difference> afterVersusBefore, List<ResnetConstraint> constraints, List<LoadPoint> load,
                             List<LoadPoint> loadBefore, List<LoadDifference> loadVersus, List<String> warnings) {

    public static final String DEFAULT = "default";
    public static final String BLOCKING = "blocking";
    /** Waits in the order the report and charts show them: PyTorch's two, then the job library's. */
    public static final List<String> WAIT_ORDER = List.of(DEFAULT, BLOCKING, "job-fd", "job-predict");
    static final List<Metric> RATIO_METRICS = List.of(Metric.LATENCY, Metric.P99, Metric.CPU);
    static final List<Metric> DIFFERENCE_METRICS = List.of(Metric.LATENCY, Metric.P99, Metric.CPU, Metric.SYSCALLS);
    /** Issue 10's question under load: is the job's p99 and CPU per inference better than spin's and blocking's? */
    static final List<LoadMetric> LOAD_DIFFERENCE_METRICS = List.of(LoadMetric.P99, LoadMetric.CPU);

    /** A sweep point's runs and the estimates made from them; {@code byName} counts a name missing in a run as 0. */
    public record SweepPoint(InferenceRun.Point point, List<InferenceRun> runs, Map<Metric, Estimate> metrics, Map<String, Estimate> byName) {
        double[] values(Metric metric) {
            return runs.stream().mapToDouble(metric.of).filter(v -> !Double.isNaN(v)).toArray();
        }
    }

    /** {@code point}'s mean over {@code base}'s, with Fieller's 95% interval (undefined below two runs a side). */
    public record Ratio(InferenceRun.Point point, String source, InferenceRun.Point base, Metric metric, ConfidenceInterval ci) {}

    /**
     * mean({@code point}) - mean({@code other}) with Welch's 95% interval, its p-value and Holm's adjustment over the
     * rows of its table (NaN where undefined).
     */
    public record Difference(InferenceRun.Point point, String label, String otherLabel, Metric metric, TEstimate welch, ConfidenceInterval ci,
                             double p, double holmP) {
        Difference withHolm(double adjusted) {
            return new Difference(point, label, otherLabel, metric, welch, ci, p, adjusted);
        }
    }

    /**
     * Under load, at one N: mean({@code waitMode}) - mean({@code otherWait}) over runs, Welch's 95% interval, its
     * p-value and Holm's adjustment over the table (NaN where undefined).
     */
    public record LoadDifference(String waitMode, String otherWait, int n, LoadMetric metric, TEstimate welch, ConfidenceInterval ci,
                                 double p, double holmP) {
        LoadDifference withHolm(double adjusted) {
            return new LoadDifference(waitMode, otherWait, n, metric, welch, ci, p, adjusted);
        }
    }

    /** One wait and N: per-run figures of its rounds ({@code values}) and their estimates; {@code complete}: every round had N processes. */
    public record LoadPoint(String waitMode, int n, Map<LoadMetric, double[]> values, Map<LoadMetric, Estimate> metrics, boolean complete) {
        public int runs() {
            return values.get(LoadMetric.THROUGHPUT).length;
        }
    }

    public static ResnetAnalysis of(ResnetResults.Folder sweep, Optional<ResnetResults.Folder> sweepBefore, Optional<ResnetResults.Folder> load,
                                    Optional<ResnetResults.Folder> loadBefore) {
        List<String> warnings = new ArrayList<>();
        List<SweepPoint> after = sweepPoints(sweep.runs());
        List<SweepPoint> before = sweepBefore.map(f -> sweepPoints(f.runs())).orElse(List.of());
        Map<InferenceRun.Point, SweepPoint> byPoint = after.stream().collect(Collectors.toMap(SweepPoint::point, p -> p));
        List<Ratio> ratios = new ArrayList<>();
        for (var source : List.of(Map.entry("", after), Map.entry("before fix", before))) {
            for (SweepPoint p : source.getValue()) {
                SweepPoint base = byPoint.get(p.point().withWait(DEFAULT));
                if (base == null || p.point().waitMode().equals(DEFAULT)) continue;
                for (Metric m : RATIO_METRICS) {
                    ratios.add(new Ratio(p.point(), source.getKey(), base.point(), m, FiellerRatio.of(p.values(m), base.values(m), TInterval.LEVEL_95)));
                }
            }
        }
        List<Difference> versusBlocking = new ArrayList<>();
        for (SweepPoint p : after) {
            SweepPoint base = byPoint.get(p.point().withWait(BLOCKING));
            if (base == null || p.point().waitMode().equals(BLOCKING)) continue;
            for (Metric m : DIFFERENCE_METRICS) versusBlocking.add(difference(p.point(), p, base, p.point().waitMode(), BLOCKING, m));
        }
        List<Difference> afterBefore = new ArrayList<>();
        for (SweepPoint b : before) {
            SweepPoint a = byPoint.get(b.point());
            if (a == null) continue;
            for (Metric m : DIFFERENCE_METRICS) afterBefore.add(difference(a.point(), a, b, "after fix", "before fix", m));
        }
        for (SweepPoint p : after) {
            if (p.runs().size() < 2) warnings.add("Sweep point " + p.point() + " has one run: no interval.");
        }
        List<LoadPoint> loadAfter = load.map(f -> loadPoints(f, "load", warnings)).orElse(List.of());
        List<LoadPoint> loadEarlier = loadBefore.map(f -> loadPoints(f, "load before the predictor fix", warnings)).orElse(List.of());
        if (!loadAfter.isEmpty() || !loadEarlier.isEmpty()) {
            warnings.add("Load, N = 1 is contaminated: all 32 processes of a wait start together and round 1 (N = 1) is timed as soon as"
                    + " process 0 is warm, while the other 31 are still loading the model and warming up on the same GPU and CPUs;"
                    + " read N = 1 as \"one timed process beside 31 starting ones\", not as one process alone (the sweep is that).");
        }
        return new ResnetAnalysis(after, before, ratios, holm(versusBlocking), holm(afterBefore), ResnetConstraint.of(after), loadAfter,
                loadEarlier, loadVersus(loadAfter), List.copyOf(warnings));
    }

    static List<SweepPoint> sweepPoints(List<InferenceRun> runs) {
        Map<InferenceRun.Point, List<InferenceRun>> byPoint = new TreeMap<>(POINT_ORDER);
        for (InferenceRun r : runs) if (r.loadN() == 0) byPoint.computeIfAbsent(r.point(), k -> new ArrayList<>()).add(r);
        List<SweepPoint> points = new ArrayList<>();
        byPoint.forEach((point, rs) -> {
            Map<Metric, Estimate> metrics = new EnumMap<>(Metric.class);
            SweepPoint partial = new SweepPoint(point, List.copyOf(rs), metrics, Map.of());
            for (Metric m : Metric.values()) {
                double[] v = partial.values(m);
                if (v.length > 0) metrics.put(m, Estimate.ofMean(v));
            }
            Map<String, Estimate> byName = new LinkedHashMap<>();
            List<InferenceRun> counted = rs.stream().filter(InferenceRun::counted).toList();
            TreeSet<String> names = counted.stream().flatMap(r -> r.byName().keySet().stream()).collect(Collectors.toCollection(TreeSet::new));
            names.stream().map(n -> Map.entry(n, Estimate.ofMean(counted.stream().mapToDouble(r -> r.byName().getOrDefault(n, 0.0)).toArray())))
                    .sorted(Comparator.comparingDouble((Map.Entry<String, Estimate> e) -> -e.getValue().mean()).thenComparing(Map.Entry::getKey))
                    .forEach(e -> byName.put(e.getKey(), e.getValue()));
            points.add(new SweepPoint(point, List.copyOf(rs), Map.copyOf(metrics), byName));
        });
        return points;
    }

    /** Mode, batch, dtype, allocator, inferences, then the waits in {@link #WAIT_ORDER}. */
    static final Comparator<InferenceRun.Point> POINT_ORDER = Comparator.comparing(InferenceRun.Point::mode)
            .thenComparingInt(InferenceRun.Point::batch).thenComparing(InferenceRun.Point::dtype).thenComparing(InferenceRun.Point::allocator)
            .thenComparingInt(InferenceRun.Point::iters).thenComparingInt((InferenceRun.Point p) -> waitRank(p.waitMode())).thenComparing(InferenceRun.Point::waitMode);

    public static int waitRank(String wait) {
        int i = WAIT_ORDER.indexOf(wait);
        return i < 0 ? WAIT_ORDER.size() : i;
    }

    private static Difference difference(InferenceRun.Point point, SweepPoint a, SweepPoint b, String label, String otherLabel, Metric m) {
        TEstimate welch = WelchDifference.of(a.values(m), b.values(m));
        return new Difference(point, label, otherLabel, m, welch, welch.interval(TInterval.LEVEL_95), welch.pValue(0), Double.NaN);
    }

    /** The job waits against the default (spin) and blocking waits at each N from 2 (N = 1 is contaminated). */
    static List<LoadDifference> loadVersus(List<LoadPoint> load) {
        Map<String, LoadPoint> byCell = new LinkedHashMap<>();
        for (LoadPoint p : load) byCell.put(p.waitMode() + "@" + p.n(), p);
        List<LoadDifference> rows = new ArrayList<>();
        for (LoadPoint job : load) {
            if (!job.waitMode().startsWith("job-") || job.n() < 2) continue;
            for (String other : List.of(DEFAULT, BLOCKING)) {
                LoadPoint base = byCell.get(other + "@" + job.n());
                if (base == null) continue;
                for (LoadMetric m : LOAD_DIFFERENCE_METRICS) {
                    TEstimate welch = WelchDifference.of(job.values().get(m), base.values().get(m));
                    rows.add(new LoadDifference(job.waitMode(), other, job.n(), m, welch, welch.interval(TInterval.LEVEL_95), welch.pValue(0), Double.NaN));
                }
            }
        }
        // Holm.adjust leaves an undefined p (NaN) undefined and out of the family's count.
        double[] adjusted = Holm.adjust(rows.stream().mapToDouble(LoadDifference::p).toArray());
        for (int i = 0; i < rows.size(); i++) rows.set(i, rows.get(i).withHolm(adjusted[i]));
        return List.copyOf(rows);
    }

    /** Holm over the defined p-values of one table; undefined ones stay NaN (Holm.adjust leaves them out of k). */
    private static List<Difference> holm(List<Difference> rows) {
        double[] adjusted = Holm.adjust(rows.stream().mapToDouble(Difference::p).toArray());
        return java.util.stream.IntStream.range(0, rows.size()).mapToObj(i -> rows.get(i).withHolm(adjusted[i])).toList();
    }

    /**
     * Per wait and N: one figure per run folder (all processes of that round, as summarize.py): throughput = all
     * inferences over the round's span (first start to last end); p50/p99 of the pooled latency samples; CPU and
     * context switches per inference over all processes; syscalls per inference of the processes with a counter.
     */
    static List<LoadPoint> loadPoints(ResnetResults.Folder folder, String what, List<String> warnings) {
        record Cell(String waitMode, int n, Path run) {}
        Map<Cell, List<InferenceRun>> cells = new LinkedHashMap<>();
        for (InferenceRun r : folder.runs()) {
            if (r.loadN() > 0) cells.computeIfAbsent(new Cell(r.point().waitMode(), r.loadN(), r.file().getParent()), k -> new ArrayList<>()).add(r);
        }
        Map<String, Map<Integer, List<Map<LoadMetric, Double>>>> perRun = new TreeMap<>(Comparator.comparingInt(ResnetAnalysis::waitRank).thenComparing(w -> w));
        Map<String, Map<Integer, Boolean>> complete = new LinkedHashMap<>();
        cells.forEach((cell, rs) -> {
            long total = rs.stream().mapToLong(InferenceRun::iters).sum();
            double span = (rs.stream().mapToLong(InferenceRun::endEpochNs).max().orElseThrow() - rs.stream().mapToLong(InferenceRun::startEpochNs).min().orElseThrow()) / 1e9;
            double[] pooled = rs.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.latencyUs())).sorted().toArray();
            Map<LoadMetric, Double> v = new EnumMap<>(LoadMetric.class);
            v.put(LoadMetric.THROUGHPUT, span > 0 ? total / span : Double.NaN);
            v.put(LoadMetric.P50, percentile(pooled, 0.5) / 1e3);
            v.put(LoadMetric.P99, percentile(pooled, 0.99) / 1e3);
            v.put(LoadMetric.CPU, rs.stream().mapToDouble(r -> r.cpuMs() * r.iters()).sum() / total);
            v.put(LoadMetric.VOLUNTARY_CTX, rs.stream().mapToDouble(r -> r.voluntaryCtx() * r.iters()).sum() / total);
            v.put(LoadMetric.INVOLUNTARY_CTX, rs.stream().mapToDouble(r -> r.involuntaryCtx() * r.iters()).sum() / total);
            v.put(LoadMetric.SYSCALLS, rs.stream().filter(InferenceRun::counted).mapToDouble(InferenceRun::syscalls).average().orElse(Double.NaN));
            perRun.computeIfAbsent(cell.waitMode(), k -> new TreeMap<>()).computeIfAbsent(cell.n(), k -> new ArrayList<>()).add(v);
            complete.computeIfAbsent(cell.waitMode(), k -> new LinkedHashMap<>()).merge(cell.n(), rs.size() == cell.n(), Boolean::logicalAnd);
            if (rs.size() != cell.n()) {
                warnings.add(capital(what) + ", " + cell.waitMode() + " N = " + cell.n() + " in " + cell.run().getFileName() + ": " + rs.size()
                        + " of " + cell.n() + " processes wrote results; its figures are of those only.");
            }
        });
        for (Path d : folder.withoutDone()) {
            warnings.add(capital(what) + ", " + folder.path().relativize(d) + ": no `done` marker (the node call ended before every process"
                    + " was reaped); the figures use the rounds its processes wrote.");
        }
        List<LoadPoint> points = new ArrayList<>();
        boolean oneRun = false;
        for (var wait : perRun.entrySet()) {
            for (var n : wait.getValue().entrySet()) {
                Map<LoadMetric, double[]> values = new EnumMap<>(LoadMetric.class);
                Map<LoadMetric, Estimate> metrics = new EnumMap<>(LoadMetric.class);
                for (LoadMetric m : LoadMetric.values()) {
                    double[] v = n.getValue().stream().mapToDouble(r -> r.get(m)).filter(x -> !Double.isNaN(x)).toArray();
                    values.put(m, v);
                    if (v.length > 0) metrics.put(m, Estimate.ofMean(v));
                }
                oneRun |= n.getValue().size() < 2;
                points.add(new LoadPoint(wait.getKey(), n.getKey(), Map.copyOf(values), Map.copyOf(metrics), complete.get(wait.getKey()).get(n.getKey())));
            }
        }
        if (oneRun) {
            warnings.add(capital(what) + ": one run per wait and N: no interval (the run, all processes of a round together, is the unit;"
                    + " a second node-load.sh call with RUN=2 gives intervals).");
        }
        return List.copyOf(points);
    }

    /** The sample at rank round(q (n - 1)), halves to even, as resnet_infer.py and summarize.py take it. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.rint(q * (sorted.length - 1)))); // half to even, as Python's round
        return sorted[i];
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
