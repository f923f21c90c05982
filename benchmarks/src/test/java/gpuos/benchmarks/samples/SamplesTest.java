package gpuos.benchmarks.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.benchmarks.cuda.CudaAvailability;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The numbered samples are JMH benchmarks (JMH's annotation processor listed them in META-INF/BenchmarkList, which
 * the suite's shaded jar appends), numbered without gaps, and the CUDA ones skip with the one CUDA line without a
 * GPU. Their runs on a GPU are in {@code CudaBenchmarksTest}.
 */
class SamplesTest {
    private static final String PACKAGE = "gpuos.benchmarks.samples.";

    private static Map<String, BenchmarkListEntry> samples() throws IOException {
        Map<String, BenchmarkListEntry> out = new TreeMap<>();
        try (InputStream in = SamplesTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            for (BenchmarkListEntry e : BenchmarkList.readBenchmarkList(in)) {
                if (e.getUsername().startsWith(PACKAGE)) out.put(e.getUsername().substring(PACKAGE.length()), e);
            }
        }
        return out;
    }

    @Test
    void everySampleIsListedForJmh() throws IOException {
        Map<String, BenchmarkListEntry> samples = samples();
        assertEquals(List.of("Sample01FilePerOperation.keepOpen", "Sample01FilePerOperation.openEachTime",
                "Sample02EmptyLaunch.launchThenWait", "Sample03BlockingVsSpin.roundTrip"), List.copyOf(samples.keySet()));
        assertArrayEquals(new String[] {"spin", "blocking"},
                samples.get("Sample03BlockingVsSpin.roundTrip").getParams().get().get("waitPolicy"));
    }

    @Test
    void cudaSamplesSkipWithTheCudaLineWithoutAGpu() {
        Assumptions.assumeTrue(CudaAvailability.unavailableReason().isPresent(), "CUDA is here: CudaBenchmarksTest runs the samples");
        Sample02EmptyLaunch empty = new Sample02EmptyLaunch();
        assertTrue(assertThrows(IllegalStateException.class, empty::setup).getMessage().startsWith(CudaAvailability.SKIPPED));
        Sample03BlockingVsSpin wait = new Sample03BlockingVsSpin();
        wait.waitPolicy = "blocking";
        assertTrue(assertThrows(IllegalStateException.class, wait::setup).getMessage().startsWith(CudaAvailability.SKIPPED));
    }
}
