package gpuos.reports.analysis;

import gpuos.reports.Fixtures;
import gpuos.reports.analysis.FactorEffect.Effect;
import gpuos.reports.analysis.PredictionCheck.Moved;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;
import gpuos.reports.stats.ConfidenceInterval;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A categorical param (waitPolicy): each value against the reference at points whose other params are equal. */
class FactorEffectTest {
    static final Factor WAIT = Factor.ALL.getFirst();

    static Series launchSync(String waitPolicy) {
        return Fixtures.series("cuda", "CudaExecution", "launchSync", Map.of("gpuNanos", "10000", "waitPolicy", waitPolicy));
    }

    /** A profiled point: workload syscalls/op per fork, and any other labels given as name, values, name, values. */
    static BenchmarkPoint point(Series series, long reps, double[] workload, Object... labels) {
        Map<String, double[]> values = new HashMap<>();
        values.put(Labels.SCORE, new double[] {10, 10, 10});
        values.put(Labels.SYSCALLS_WORKLOAD, workload);
        values.put(Labels.SYSCALLS_TOTAL, workload);
        for (int i = 0; i < labels.length; i += 2) values.put((String) labels[i], (double[]) labels[i + 1]);
        return Fixtures.point(series, 4096, reps, values);
    }

    private static ConfidenceInterval ci(double estimate, double low, double high) {
        return new ConfidenceInterval(estimate, low, high);
    }

    @Test
    void waitPolicyIsTheCategoricalParam() {
        assertEquals(new Factor("waitPolicy", "wait policy", "auto"), WAIT);
        assertEquals("Does the wait policy change syscalls per op?", WAIT.question());
    }

    @Test
    void verdictRule() {
        double m = 0.01;
        assertEquals(Effect.SAME, FactorEffect.judge(ci(0, -0.005, 0.005), m).effect());
        assertEquals(Effect.SAME, FactorEffect.judge(ci(0.004, 0.001, 0.009), m).effect(), "significant but within the margin");
        assertEquals(Effect.DIFFERS, FactorEffect.judge(ci(5, 4.2, 6.3), m).effect());
        assertEquals(Effect.DIFFERS, FactorEffect.judge(ci(-1, -1.5, -0.5), m).effect(), "fewer syscalls differ too");
        FactorEffect.Judged small = FactorEffect.judge(ci(0.008, 0.002, 0.015), m);
        assertEquals(Effect.INCONCLUSIVE, small.effect(), "d > 0 but its mean is within m");
        assertEquals("d excludes 0 but is within ± m", small.reason());
        FactorEffect.Judged wide = FactorEffect.judge(ci(0, -1, 1), m);
        assertEquals(Effect.INCONCLUSIVE, wide.effect());
        assertEquals("the CI of d includes 0 and reaches past ± m", wide.reason());
        assertEquals(Effect.INCONCLUSIVE, FactorEffect.judge(ci(0, -0.01, 0.005), m).effect(), "a bound on -m is not inside (-m, m)");
        assertEquals(Effect.INCONCLUSIVE, FactorEffect.judge(ConfidenceInterval.undefined(1), m).effect());
    }

    @Test
    void eachPolicyAgainstAutoAtEqualParams() {
        double[] auto = {0.0004, 0.0005, 0.0006};
        List<BenchmarkPoint> points = List.of(
                point(launchSync("spin"), 1, new double[] {0.0005, 0.0006, 0.0004}),
                point(launchSync("auto"), 1, auto), // not first: auto is the reference wherever a point has it
                point(launchSync("yield"), 1, new double[] {5.1, 5, 4.9},
                        Labels.role("sync"), new double[] {5.1, 5, 4.9}, "syscalls.sched_yield.norm", new double[] {5.1, 5, 4.9}),
                point(launchSync("blocking"), 1, new double[] {5.2, 5.3, 5.1},
                        Labels.role("sync"), new double[] {3.2, 3.3, 3.1}, Labels.role("io"), new double[] {2, 2, 2},
                        "syscalls.futex.norm", new double[] {2, 2.1, 1.9}, "syscalls.poll.norm", new double[] {1.2, 1.2, 1.2},
                        "syscalls.read.norm", new double[] {1, 1, 1}, "syscalls.write.norm", new double[] {1, 1, 1},
                        "syscalls.mmap.norm", new double[] {0.001, 0.001, 0.001}),
                point(launchSync("auto"), 100, new double[] {0.05, 0.05, 0.05}), // another point: compared only with reps=100
                point(launchSync("yield"), 100, new double[] {0, 0.5, 1.0}));
        List<FactorEffect> effects = FactorEffect.all(points);
        assertEquals(List.of("spin@1", "yield@1", "blocking@1", "yield@100"),
                effects.stream().map(e -> e.level() + "@" + e.point().reps().getAsLong()).toList(), "levels in data order, per point");
        assertTrue(effects.stream().allMatch(e -> e.referenceLevel().equals("auto") && e.factor().equals(WAIT)));
        assertTrue(effects.stream().allMatch(e -> e.series().name().equals("CudaExecution.launchSync [gpuNanos=10000]")));
        assertTrue(effects.stream().allMatch(e -> e.label().equals(Labels.SYSCALLS_WORKLOAD)));

        FactorEffect spin = effects.get(0);
        assertEquals(Effect.SAME, spin.effect());
        assertEquals(0, spin.difference().estimate(), 1e-12);
        assertEquals(0.01, spin.margin(), 1e-15, "max(5% of 0.0005, 0.01)");
        assertEquals(List.of(), spin.roles());
        assertEquals(List.of(), spin.syscalls());

        FactorEffect yield = effects.get(1);
        assertEquals(Effect.DIFFERS, yield.effect());
        assertEquals(5 - 0.0005, yield.difference().estimate(), 1e-12);
        assertEquals(5 / 0.0005, yield.ratio().estimate(), 1e-6);
        assertTrue(yield.ratio().low() < 10_000 && yield.ratio().high() > 10_000, yield.ratio().toString());
        assertEquals(List.of("sync"), yield.roles().stream().map(Moved::part).toList());
        assertEquals(5, yield.roles().getFirst().difference(), 1e-12);
        assertEquals(List.of("sched_yield"), yield.syscalls().stream().map(Moved::part).toList());

        FactorEffect blocking = effects.get(2);
        assertEquals(Effect.DIFFERS, blocking.effect());
        assertEquals(List.of("sync", "io"), blocking.roles().stream().map(Moved::part).toList(), "roles in their order");
        // largest difference first; equal ones by name; mmap's 0.001/op is below the 0.01 floor
        assertEquals(List.of("futex", "poll", "read", "write"), blocking.syscalls().stream().map(Moved::part).toList());

        FactorEffect wide = effects.get(3);
        assertEquals(Effect.INCONCLUSIVE, wide.effect(), "one fork of three at 0: the CI of d includes 0");
        assertEquals("the CI of d includes 0 and reaches past ± m", wide.reason());
    }

    @Test
    void withoutAutoTheFirstPolicyInTheDataIsTheReference() {
        Series spinFast = Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", "10000", "waitPolicy", "spin"));
        Series blockFast = Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", "10000", "waitPolicy", "blocking"));
        Series spinSlow = Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", "1000", "waitPolicy", "spin"));
        Series blockSlow = Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", "1000", "waitPolicy", "blocking"));
        Series lonely = Fixtures.series("cuda", "CudaExecution", "spin", Map.of("gpuNanos", "5", "waitPolicy", "blocking"));
        List<FactorEffect> effects = FactorEffect.all(List.of(
                point(spinFast, 1, new double[] {0.001, 0.001, 0.001}),
                point(blockFast, 1, new double[] {6, 6, 6}),
                point(spinSlow, 1, new double[] {0.001, 0.001, 0.001}),
                point(blockSlow, 1, new double[] {5, 5, 5}),
                point(lonely, 1, new double[] {5, 5, 5})));
        // gpuNanos=5 has one policy: nothing to compare; points of different GPU times are never compared
        assertEquals(List.of("CudaExecution.spin [gpuNanos=1000]", "CudaExecution.spin [gpuNanos=10000]"),
                effects.stream().map(e -> e.series().name()).toList(), "ordered by GPU time as a number");
        assertTrue(effects.stream().allMatch(e -> e.level().equals("blocking") && e.referenceLevel().equals("spin")));
        assertEquals(5 - 0.001, effects.get(0).difference().estimate(), 1e-12);
        assertEquals(6 - 0.001, effects.get(1).difference().estimate(), 1e-12);
    }

    @Test
    void fewForksOrNoProfilerIsInconclusive() {
        List<FactorEffect> few = FactorEffect.all(List.of(
                point(launchSync("auto"), 1, new double[] {0.1, 0.1}),
                point(launchSync("yield"), 1, new double[] {5, 5})));
        assertEquals(Effect.INCONCLUSIVE, few.getFirst().effect());
        assertEquals("fewer than 3 forks (2 vs 2)", few.getFirst().reason());

        BenchmarkPoint unprofiled = Fixtures.point(launchSync("yield"), 4096, 1, Map.of(Labels.SCORE, new double[] {1, 1, 1}));
        List<FactorEffect> none = FactorEffect.all(List.of(point(launchSync("auto"), 1, new double[] {0.1, 0.1, 0.1}), unprofiled));
        assertEquals(Effect.INCONCLUSIVE, none.getFirst().effect());
        assertEquals("the syscall profiler did not run on both", none.getFirst().reason());
    }

    @Test
    void pointsWithoutTheParamHaveNoEffects() {
        Series cpu = Fixtures.series("cpu", "CpuCopy", "javaLoop");
        assertEquals(List.of(), FactorEffect.all(List.of(point(cpu, 1, new double[] {0, 0, 0}), point(cpu, 100, new double[] {0, 0, 0}))));
    }
}
