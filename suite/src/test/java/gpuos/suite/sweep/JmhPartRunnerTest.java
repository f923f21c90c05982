package gpuos.suite.sweep;

import gpuos.suite.presets.Presets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.RunnerException;

/** One real JMH fork (a few seconds): the Runner path, the console capture and the JSON shape the reports read. */
class JmhPartRunnerTest {
    @TempDir
    Path tmp;

    private static List<String> args(String include, Path result, String... params) {
        List<String> a = new java.util.ArrayList<>(List.of(include, "-f", "1", "-wi", "0", "-i", "1", "-r", "100ms",
                "-jvmArgsAppend", "--enable-native-access=ALL-UNNAMED", "-foe", "true", "-rf", "json", "-rff", result.toString()));
        for (String p : params) a.addAll(List.of("-p", p));
        return a;
    }

    @Test
    void runsARealForkAndWritesJmhJson() throws Exception {
        Part part = Presets.QUICK.part("cpu-copy-reps").orElseThrow();
        Path result = tmp.resolve("cpu.json.partial");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new JmhPartRunner().run(part, args("^gpuos\\.benchmarks\\.cpu\\.CpuCopy\\.nativeCopy$", result, "bytes=4096", "reps=3"),
                new PrintStream(console, true, StandardCharsets.UTF_8));

        JsonArray entries = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        assertEquals(1, entries.size());
        JsonObject e = entries.get(0).getAsJsonObject();
        assertEquals("gpuos.benchmarks.cpu.CpuCopy.nativeCopy", e.get("benchmark").getAsString());
        assertEquals("4096", e.getAsJsonObject("params").get("bytes").getAsString());
        assertEquals("3", e.getAsJsonObject("params").get("reps").getAsString());
        assertEquals("us/op", e.getAsJsonObject("primaryMetric").get("scoreUnit").getAsString());
        assertEquals(1, e.getAsJsonObject("primaryMetric").getAsJsonArray("rawData").size(), "one fork row");
        String out = console.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("# Fork: 1 of 1") && out.contains("Iteration   1:"), "fork progress reaches the console: " + out);
    }

    @Test
    void aBenchmarkExceptionFailsThePart() {
        Path result = tmp.resolve("bad.json.partial");
        // A platform no machine has: the trial setup throws, -foe turns that into a RunnerException.
        RunnerException e = assertThrows(RunnerException.class, () -> new JmhPartRunner().run(
                Presets.QUICK.parts().getFirst(),
                args("^gpuos\\.benchmarks\\.opencl\\.OpenClRuntime\\.createRelease$", result, "platform=no-such-platform"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        // What the sweep prints: the benchmark's own exception, not JMH's "Benchmark caught the exception".
        Throwable cause = PartLoop.benchmarkCause(e);
        assertTrue(cause instanceof IllegalArgumentException, cause.toString());
        assertTrue(cause.getMessage().startsWith("OpenCL platform 'no-such-platform' not found"), cause.getMessage());
    }
}
