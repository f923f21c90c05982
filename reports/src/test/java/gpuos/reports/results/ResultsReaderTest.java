package gpuos.reports.results;

import gpuos.reports.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsReaderTest {

    /** reader/missing-labels.json: two forks of two iterations, labels missing in some iterations. */
    private static BenchmarkPoint missingLabelsPoint(Path folder) throws Exception {
        Path jmh = Files.createDirectories(folder.resolve("jmh"));
        Files.copy(Fixtures.resource("reader/missing-labels.json"), jmh.resolve("copy.json"));
        RunResults results = ResultsReader.read(folder);
        assertEquals(1, results.points().size());
        return results.points().getFirst();
    }

    @Test
    void aMissingSyscallLabelCountsAsZeroInThatIteration(@TempDir Path folder) throws Exception {
        BenchmarkPoint point = missingLabelsPoint(folder);
        // futex rawData [[3], []]: fork 1 = 3 / 2 iterations (not 3 / 1), fork 2 = 0 / 2
        assertArrayEquals(new double[] {1.5, 0}, point.forkValues("syscalls.futex.norm").orElseThrow(), 1e-12);
        assertArrayEquals(new double[] {5, 3}, point.forkValues(Labels.SYSCALLS_TOTAL).orElseThrow(), 1e-12);
        // never emitted at this point: 0 in every fork, because the profiler ran
        assertArrayEquals(new double[] {0, 0}, point.forkValues("syscalls.ioctl.norm").orElseThrow(), 1e-12);
    }

    @Test
    void anIterationTheProfilerLeftOutCountsForNoSyscallLabel(@TempDir Path folder) throws Exception {
        // Three iterations per fork; the profiler left out the last (JMH's trial teardown), so the total has two
        // values per fork. futex [[4], [1, 1]]: fork 1 = 4 / 2 counted iterations, fork 2 = 2 / 2.
        Path jmh = Files.createDirectories(folder.resolve("jmh"));
        Files.writeString(jmh.resolve("left-out.json"), """
                [{"benchmark": "gpuos.benchmarks.cuda.Launch.sync", "mode": "avgt", "forks": 2,
                  "params": {"bytes": "4096", "reps": "1"},
                  "primaryMetric": {"score": 1, "scoreUnit": "us/op", "rawData": [[1, 1, 1], [1, 1, 1]]},
                  "secondaryMetrics": {
                    "syscalls.total.norm": {"score": 3, "scoreUnit": "#/op", "rawData": [[4, 2], [1, 1]]},
                    "syscalls.futex.norm": {"score": 2, "scoreUnit": "#/op", "rawData": [[4], [1, 1]]}}}]
                """);
        BenchmarkPoint point = ResultsReader.read(folder).points().getFirst();
        assertArrayEquals(new double[] {2, 1}, point.forkValues("syscalls.futex.norm").orElseThrow(), 1e-12);
        assertArrayEquals(new double[] {3, 1}, point.forkValues(Labels.SYSCALLS_TOTAL).orElseThrow(), 1e-12);
    }

    @Test
    void workloadSyscallsAreWorkerPlusRuntimeThreadsPerIteration(@TempDir Path folder) throws Exception {
        Path jmh = Files.createDirectories(folder.resolve("jmh"));
        // Two forks of two iterations. worker [[2, 4], [1]]: fork 2 has it in one iteration only; runtime [[1], []];
        // jvm (left out) [[10, 10], [10, 10]]. Per iteration worker + runtime, a missing label 0, then the fork mean:
        // fork 1 = (2 + 4 + 1) / 2 = 3.5, fork 2 = (1 + 0) / 2 = 0.5. The second entry has no thread labels: no workload.
        Files.writeString(jmh.resolve("copy.json"), """
                [{"benchmark": "gpuos.benchmarks.cuda.Copy.h2d", "mode": "avgt", "params": {"bytes": "1024"},
                  "primaryMetric": {"scoreUnit": "us/op", "rawData": [[1.0, 1.0], [1.0, 1.0]]},
                  "secondaryMetrics": {
                    "syscalls.total.norm": {"scoreUnit": "#/op", "rawData": [[13.0, 14.0], [11.0, 10.0]]},
                    "syscalls.thread.worker.norm": {"scoreUnit": "#/op", "rawData": [[2.0, 4.0], [1.0]]},
                    "syscalls.thread.runtime.norm": {"scoreUnit": "#/op", "rawData": [[1.0], []]},
                    "syscalls.thread.jvm.norm": {"scoreUnit": "#/op", "rawData": [[10.0, 10.0], [10.0, 10.0]]}}},
                 {"benchmark": "gpuos.benchmarks.cuda.Copy.h2d", "mode": "avgt", "params": {"bytes": "2048"},
                  "primaryMetric": {"scoreUnit": "us/op", "rawData": [[1.0, 1.0]]},
                  "secondaryMetrics": {"syscalls.total.norm": {"scoreUnit": "#/op", "rawData": [[5.0, 5.0]]}}}]
                """);
        RunResults results = ResultsReader.read(folder);
        BenchmarkPoint withThreads = results.points().getFirst();
        assertArrayEquals(new double[] {3.5, 0.5}, withThreads.forkValues(Labels.SYSCALLS_WORKLOAD).orElseThrow(), 1e-12);
        assertEquals("#/op", withThreads.unit(Labels.SYSCALLS_WORKLOAD));
        BenchmarkPoint withoutThreads = results.points().get(1);
        assertTrue(withoutThreads.hasSyscallProfiler());
        assertTrue(withoutThreads.forkValues(Labels.SYSCALLS_WORKLOAD).isEmpty(), "not 0: there is nothing to derive it from");
    }

    @Test
    void derivedAndSummaryLabelsAreNotSyscallNames() {
        assertTrue(Labels.syscallName(Labels.SYSCALLS_WORKLOAD).isEmpty());
        assertTrue(Labels.syscallName(Labels.SYSCALLS_TOTAL).isEmpty());
        assertEquals("futex", Labels.syscallName("syscalls.futex.norm").orElseThrow());
        assertEquals("workload syscalls/op", Labels.describe(Labels.SYSCALLS_WORKLOAD));
        assertTrue(Labels.isSyscallCount(Labels.SYSCALLS_WORKLOAD) && Labels.isSyscallCount(Labels.role("sync")));
        assertFalse(Labels.isSyscallCount("syscalls.harness"), "per iteration, not per operation");
    }

    @Test
    void gzippedResultsReadAsTheirJsonAndNamedAsWritten(@TempDir Path folder) throws Exception {
        Path jmh = Files.createDirectories(folder.resolve("jmh"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(jmh.resolve("copy.json.gz")))) {
            Files.copy(Fixtures.resource("reader/missing-labels.json"), out);
        }
        RunResults results = ResultsReader.read(folder);
        assertEquals(java.util.Set.of("jmh/copy.json"), results.sources().keySet());
        assertArrayEquals(new double[] {1.5, 0}, results.points().getFirst().forkValues("syscalls.futex.norm").orElseThrow(), 1e-12);
        Files.copy(Fixtures.resource("reader/missing-labels.json"), jmh.resolve("copy.json"));
        BadResultsException both = org.junit.jupiter.api.Assertions.assertThrows(BadResultsException.class, () -> ResultsReader.read(folder));
        assertTrue(both.getMessage().contains("keep one of them"), both.getMessage());
    }

    @Test
    void aBrokenGzipIsOneLineNamingTheFile(@TempDir Path folder) throws Exception {
        Path jmh = Files.createDirectories(folder.resolve("jmh"));
        Files.writeString(jmh.resolve("part.json.gz"), "not gzip");
        BadResultsException e = org.junit.jupiter.api.Assertions.assertThrows(BadResultsException.class, () -> ResultsReader.read(folder));
        assertTrue(e.getMessage().contains("part.json.gz") && e.getMessage().contains("not a whole gzip file"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void otherLabelsAverageTheIterationsTheyHave(@TempDir Path folder) throws Exception {
        BenchmarkPoint point = missingLabelsPoint(folder);
        assertArrayEquals(new double[] {100}, point.forkValues("gc.alloc.rate.norm").orElseThrow(), 1e-12);
        assertTrue(point.forkValues("gc.alloc.rate").isEmpty());
    }

    @Test
    void scoresAreForkMeansInMicroseconds(@TempDir Path folder) throws Exception {
        BenchmarkPoint point = missingLabelsPoint(folder);
        // ns/op rows [10, 20] and [30, 30]: fork means 15 ns and 30 ns
        assertArrayEquals(new double[] {0.015, 0.030}, point.forkValues(Labels.SCORE).orElseThrow(), 1e-12);
        assertEquals("us/op", point.unit(Labels.SCORE));
        assertEquals(2, point.forks());
    }

    @Test
    void seriesAreFamilyDotVariantWithTheirOtherParams(@TempDir Path folder) throws Exception {
        BenchmarkPoint point = missingLabelsPoint(folder);
        assertEquals("Copy.h2d [platform=nvidia]", point.series().name());
        assertEquals("opencl", point.series().backend());
        assertEquals(Map.of("platform", "nvidia"), point.series().params());
        assertEquals(1024, point.bytes().orElseThrow());
        assertEquals(4, point.reps().orElseThrow());
        assertEquals("bytes=1024, reps=4", point.coordinates());
    }

    @Test
    void theSameMethodUnderTwoBackendsKeepsTwoNames() throws Exception {
        String json = """
                [{"benchmark": "gpuos.benchmarks.cuda.Copy.h2d", "mode": "avgt", "primaryMetric": {"scoreUnit": "us/op", "rawData": [[1.0]]}},
                 {"benchmark": "gpuos.benchmarks.opencl.Copy.h2d", "mode": "avgt", "primaryMetric": {"scoreUnit": "us/op", "rawData": [["NaN", 2.0]]}}]
                """;
        var entries = JmhJsonParser.parse("jmh/x.json", json);
        assertEquals(2, entries.size());
        assertTrue(Double.isNaN(entries.get(1).primary().forkRows().getFirst()[0]), "JMH writes NaN as a string");
    }

    @Test
    void corruptJsonNamesTheFileInOneLine() {
        BadResultsException e = assertThrows(BadResultsException.class, () -> JmhJsonParser.parse("jmh/bad.json", "[{\"benchmark\": "));
        assertTrue(e.getMessage().startsWith("jmh/bad.json is not valid JSON"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void metadataFieldsMayBeAbsent() {
        Metadata absent = Metadata.absent();
        assertFalse(absent.present());
        assertTrue(absent.host().kernel().isEmpty());
        assertTrue(absent.counting().caveats().isEmpty());
    }
}
