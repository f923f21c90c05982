package gpuos.reports.analysis;

import gpuos.reports.Fixtures;
import gpuos.reports.results.BenchmarkPoint;
import gpuos.reports.results.Labels;
import gpuos.reports.results.Series;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wait calls by syscalls entered during them: per-fork ratios of sums, then the mean over forks. */
class WaitCallsTest {
    static final double NAN = Double.NaN;
    static final Series LAUNCH_SYNC = Fixtures.series("cuda", "CudaExecution", "launchSync", Map.of("waitPolicy", "yield"));

    /** Fork values (per iteration, as the reader makes them) of the sync labels given as name, values, name, values. */
    static BenchmarkPoint point(long reps, Object... labels) {
        Map<String, double[]> values = new HashMap<>();
        int forks = ((double[]) labels[1]).length;
        values.put(Labels.SCORE, new double[forks]);
        values.put(Labels.SYSCALLS_TOTAL, new double[forks]);
        for (int i = 0; i < labels.length; i += 2) values.put((String) labels[i], (double[]) labels[i + 1]);
        return Fixtures.point(LAUNCH_SYNC, 4096, reps, values);
    }

    /**
     * Fork 1 makes 1000 calls per iteration, 10% of them blocked; fork 2 makes 100, 90% blocked. Pooled, 190 of 1100
     * calls blocked (17%); per fork then mean over forks, 50%: a fork that made more calls weighs no more.
     * Fork 3 recorded no call (NaN, as the reader writes it) and is no fork of the section.
     */
    static BenchmarkPoint twoForksOfDifferentSize() {
        return point(100,
                Labels.SYNC_INVOCATIONS, new double[] {1000, 100, NAN},
                Labels.SYNC_BLOCKED, new double[] {100, 90, NAN},
                Labels.SYNC_SYSCALLS, new double[] {150, 900, NAN},
                Labels.syncBucket("0"), new double[] {900, 10, NAN},
                Labels.syncBucket("1"), new double[] {50, 0, NAN},
                Labels.syncBucket("2-3"), new double[] {50, 0, NAN},
                // no sync.hist.4-7 at all: 0 in every fork
                Labels.syncBucket("8+"), new double[] {0, 90, NAN});
    }

    @Test
    void sharesAreFormedPerForkThenAveragedOverForks() {
        WaitCalls w = WaitCalls.of(twoForksOfDifferentSize()).orElseThrow();
        assertEquals(2, w.n(), "the fork without calls is left out");
        assertArrayEquals(new double[] {0.1, 0.9}, w.forkBlocked(), 1e-12);
        assertEquals(0.5, w.blockedShare().estimate(), 1e-12, "mean of per-fork shares, not 190 / 1100 pooled");
        assertArrayEquals(new double[] {0.15, 9}, w.forkSyscalls(), 1e-12);
        assertEquals(4.575, w.syscallsPerCall().estimate(), 1e-12, "not 1050 / 1100 pooled");
        assertEquals(550, w.invocations().estimate(), 1e-12);
        double[] expected = {0.5, 0.025, 0.025, 0, 0.45};
        for (int b = 0; b < expected.length; b++) {
            assertEquals(expected[b], w.histogram().get(b).estimate(), 1e-12, "bucket " + Labels.SYNC_BUCKETS.get(b));
        }
        assertArrayEquals(new double[] {0, 0}, w.forkHistogram().get(3), "an absent bucket label is 0");
        double sum = w.histogram().stream().mapToDouble(ci -> ci.estimate()).sum();
        assertEquals(1, sum, 1e-12, "the buckets add up to all calls");
    }

    @Test
    void intervalsAreStudentTOverForks() {
        WaitCalls w = WaitCalls.of(twoForksOfDifferentSize()).orElseThrow();
        // shares 0.1 and 0.9: sd 0.565685, se 0.4, t(0.975, 1 df) = 12.706205: half width 5.082482
        assertEquals(0.5 - 5.082482, w.blockedShare().low(), 1e-6);
        assertEquals(0.5 + 5.082482, w.blockedShare().high(), 1e-6);
        WaitCalls oneFork = WaitCalls.of(point(1, Labels.SYNC_INVOCATIONS, new double[] {10}, Labels.SYNC_BLOCKED, new double[] {5}))
                .orElseThrow();
        assertTrue(!oneFork.blockedShare().isDefined(), "no interval from one fork");
        assertEquals(0.5, oneFork.blockedShare().estimate());
    }

    @Test
    void pointsWithoutWaitCallsHaveNoRow() {
        BenchmarkPoint none = point(1, Labels.SYSCALLS_TOTAL, new double[] {1, 1, 1});
        assertTrue(WaitCalls.of(none).isEmpty());
        BenchmarkPoint noCalls = point(1, Labels.SYNC_INVOCATIONS, new double[] {NAN, NAN});
        assertTrue(WaitCalls.of(noCalls).isEmpty(), "no fork recorded a call");
        assertEquals(List.of(), WaitCalls.all(List.of(none, noCalls)));
    }

    @Test
    void rowsAreBySeriesThenBytesThenReps() {
        BenchmarkPoint reps100 = twoForksOfDifferentSize();
        BenchmarkPoint reps1 = point(1, Labels.SYNC_INVOCATIONS, new double[] {10, 10}, Labels.SYNC_BLOCKED, new double[] {1, 2});
        List<WaitCalls> all = WaitCalls.all(List.of(reps100, reps1));
        assertEquals(List.of(reps1, reps100), all.stream().map(WaitCalls::point).toList());
    }
}
