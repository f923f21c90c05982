package gpuos.interventions.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuos.interventions.ChildJmh;
import gpuos.interventions.index.InterventionIndex;
import gpuos.reports.ReportMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interventions that throw in setup, in run and in teardown, among two that work, through a real JMH run with
 * the sweep's own arguments: each failure is logged with its phase and message, JMH goes on, the good results
 * are kept, and the report lists the failures.
 */
class FailingInterventionTest {
    @TempDir
    Path run;

    @Test
    void failuresAreReportedAndTheRestOfTheRunIsKept() throws Exception {
        Files.createDirectories(run.resolve("jmh"));
        Path result = run.resolve("jmh").resolve("interventions-cpu.json");
        Path failures = run.resolve("failures.jsonl");
        // What the sweep's interventions parts pass (-foe false, the failures file), without -prof: failure handling
        // must not depend on syscall counting. The suite's PresetsTest holds the preset to these arguments.
        List<String> args = List.of("^gpuos\\.interventions\\.runner\\.CpuRunner\\.operation$",
                "-f", "3", "-wi", "0", "-w", "0ms", "-i", "3", "-r", "100ms",
                "-p", "intervention=fails-in-setup,baseline,fails-in-run,fails-in-teardown,pooled-buffer", "-p", "bytes=4096", "-p", "reps=4",
                "-jvmArgsAppend", "--enable-native-access=ALL-UNNAMED -Dgpuos.failures=" + failures,
                "-foe", "false", "-rf", "json", "-rff", result.toString());
        Files.writeString(run.resolve("interventions.json"), InterventionIndex.load().toJson());
        Files.writeString(run.resolve("metadata.json"), "{\"runId\": \"failing\", \"preset\": \"interventions\"}\n");

        ChildJmh.Outcome jmh = ChildJmh.run(List.of(), args, run.resolve("console.log"));

        assertEquals(0, jmh.exitCode(), "JMH goes on after a failing benchmark (-foe false):\n" + tail(jmh.console()));
        JsonArray results = JsonParser.parseString(Files.readString(result)).getAsJsonArray();
        List<String> measured = results.asList().stream().map(e -> e.getAsJsonObject().getAsJsonObject("params").get("intervention").getAsString()).toList();
        assertTrue(measured.containsAll(List.of("baseline", "pooled-buffer")), "the good ones are kept: " + measured);
        assertTrue(!measured.contains("fails-in-setup") && !measured.contains("fails-in-run"), "failed ones have no result: " + measured);

        Map<String, String> errorByPhase = new LinkedHashMap<>();
        for (String line : Files.readAllLines(failures)) {
            JsonObject f = JsonParser.parseString(line).getAsJsonObject();
            errorByPhase.putIfAbsent(f.get("intervention").getAsString() + "/" + f.get("phase").getAsString(), f.get("error").getAsString());
            assertEquals("gpuos.interventions.runner.CpuRunner.operation", f.get("benchmark").getAsString());
            assertEquals("4096", f.getAsJsonObject("params").get("bytes").getAsString());
        }
        assertEquals("IllegalStateException: deliberate failure in setup", errorByPhase.get("fails-in-setup/setup"), errorByPhase.toString());
        assertTrue(errorByPhase.getOrDefault("fails-in-run/run", "").startsWith("IllegalStateException: deliberate failure in run"), errorByPhase.toString());
        assertEquals("IllegalStateException: deliberate failure in teardown", errorByPhase.get("fails-in-teardown/teardown"), errorByPhase.toString());
        assertTrue(jmh.console().contains("gpuos: intervention 'fails-in-setup' failed in setup: IllegalStateException: deliberate failure in setup"));

        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = ReportMain.run(new String[] {run.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        String report = Files.readString(run.resolve("report.md"));
        for (String s : List.of("fails-in-setup", "fails-in-run", "fails-in-teardown", "deliberate failure in setup", "deliberate failure in teardown"))
            assertTrue(report.contains(s), "report.md names " + s);
    }

    private static String tail(String s) {
        return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    }
}
