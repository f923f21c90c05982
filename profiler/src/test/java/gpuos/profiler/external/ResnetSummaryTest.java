package gpuos.profiler.external;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** reference-runs/resnet/summarize.py on synthetic results whose intervals and ratios are known by hand. */
class ResnetSummaryTest {
    private static final Path SCRIPT = Path.of("..", "reference-runs", "resnet", "summarize.py").toAbsolutePath().normalize();

    private static String entry(String wait, double ms, double cpu, String extra) {
        return String.format(Locale.ROOT, "{\"mode\": \"graph\", \"batch\": 1, \"dtype\": \"fp16\", \"wait\": \"%s\", \"allocator\": \"caching\", \"iters\": 300, "
                + "\"latencyMs\": {\"mean\": %s, \"p50\": %s, \"p99\": %s}, \"cpuMsPerInference\": %s, \"syscallsPerInference\": 6.0, "
                + "\"voluntaryCtxPerInference\": 1.0, \"involuntaryCtxPerInference\": 0.0%s}", wait, ms, ms, ms, cpu, extra);
    }

    @Test
    void pointsGetTIntervalsOverRunsAndRatiosToTheDefaultWait(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        double[] spin = {1.0, 1.1, 1.2}, blocking = {1.2, 1.3, 1.4};
        for (int k = 0; k < 3; k++) {
            write(dir.resolve("spin/run-" + (k + 1) + ".json"), "[" + entry("default", spin[k], spin[k], "") + "]");
            write(dir.resolve("blocking/run-" + (k + 1) + ".json"), "[" + entry("blocking", blocking[k], 0.2, "") + "]");
        }
        write(dir.resolve("broken/run-1.json"), "[{\"mode\": \"graph\", \"batch\": 1, \"dtype\": \"fp16\", \"wait\": \"job-fd\", \"allocator\": \"caching\", \"iters\": 300, \"error\": \"x\"}]");
        // Load: one run of N=2 (two processes, 100 inferences each over 0.1 s: 2000/s), pooled latency samples 1..4 ms.
        String load = ", \"loadN\": 2, \"startEpochNs\": %d, \"endEpochNs\": %d, \"latencyUs\": [%s]";
        write(dir.resolve("load/default/run-1/proc-0.json"), "[" + entry("default", 1, 1, String.format(load, 0L, 100_000_000L, "1000, 2000")).replace("\"iters\": 300", "\"iters\": 100") + "]");
        write(dir.resolve("load/default/run-1/proc-1.json"), "[" + entry("default", 1, 3, String.format(load, 10_000_000L, 90_000_000L, "3000, 4000")).replace("\"iters\": 300", "\"iters\": 100") + "]");

        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> rows = out.lines().toList();
        // mean 1.1, sd 0.1, n 3: half-width t(0.975, 2) 4.303 x 0.1 / sqrt(3) = 0.248
        assertTrue(rows.contains("| graph | 1 | fp16 | default | caching | 300 | 3 | 1.100 ± 0.248 | 1.100 ± 0.248 | 1.100 ± 0.248 | 1.100 ± 0.248 | 6.00 ± 0.00 | 1.00 ± 0.00 | 0.00 ± 0.00 |  |"), out);
        // blocking: 1.3 / 1.1 latency, 0.2 / 1.1 CPU
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("| graph | 1 | fp16 | blocking | caching | 300 | 3 | 1.300 ± 0.248 |") && r.endsWith("| 1.18x, 0.18x |")), out);
        assertTrue(rows.contains("| graph | 1 | fp16 | job-fd | caching | 300 | 0 | failed in 1 runs | | | | | | | |"), out);
        // load: 200 inferences over 0.1 s; p50 of [1,2,3,4] ms by nearest rank round(0.5 x 3) = index 2; CPU (1x100 + 3x100) / 200
        assertTrue(rows.contains("| default | 2 | 1 | 2000 | 3.000 | 4.000 | 2.000 | 6.00 | 1.00 | 0.00 |"), out);
    }

    @Test
    void anEmptyFolderIsSaidInOneLine(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertEquals("summarize: no resnet_infer.py results under " + dir, out.strip());
    }

    private static void write(Path f, String s) throws Exception {
        Files.createDirectories(f.getParent());
        Files.writeString(f, s);
    }
}
