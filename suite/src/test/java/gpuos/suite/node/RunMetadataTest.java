package gpuos.suite.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMetadataTest {
    @TempDir
    Path tmp;

    /** A bundle runs in a folder that is not its checkout: the commit it was built from comes from its run script. */
    @Test
    void aBundlesBuildCommitWinsOverTheFolderItRunsIn() {
        java.util.Map<String, String> env = java.util.Map.of("GPUOS_BUILD_COMMIT", "6baa95e", "GPUOS_BUILD_DIRTY", "false");
        JsonObject m = RunMetadata.collect("r", "full", "gpuos-bundle/run full --parts ^cuda-wait$", Instant.parse("2026-11-21T22:30:00Z"),
                new OpenClPlatforms.Discovery(List.of(), "none here"), new Counting("bpf", List.of()), env::get);
        assertEquals("6baa95e", m.get("gitCommit").getAsString());
        assertEquals(false, m.get("gitDirty").getAsBoolean());
        JsonObject here = RunMetadata.collect("r", "full", "x", Instant.parse("2026-11-21T22:30:00Z"),
                new OpenClPlatforms.Discovery(List.of(), "none here"), new Counting("bpf", List.of()), k -> null);
        assertTrue(!here.has("gitCommit") || !here.get("gitCommit").getAsString().equals("6baa95e"));
    }

    @Test
    void describesThisMachineAndRoundTrips() throws Exception {
        JsonObject m = RunMetadata.collect("20261121-223000-quick", "quick", "scripts/sweep quick", Instant.parse("2026-11-21T22:30:00Z"),
                new OpenClPlatforms.Discovery(List.of(), "none here"), new Counting("perf", List.of("eBPF counter unavailable")));
        Path file = tmp.resolve("metadata.json");
        RunMetadata.write(file, m);
        JsonObject back = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals(m, back);
        JsonObject host = back.getAsJsonObject("host");
        assertEquals(Runtime.getRuntime().availableProcessors(), host.get("cores").getAsInt());
        assertTrue(host.get("memoryBytes").getAsLong() > 0);
        assertTrue(host.has("kernel") && host.has("cpu") && host.has("clocksource"), host.toString());
        assertEquals("1.37", back.getAsJsonObject("jmh").get("version").getAsString());
        assertTrue(back.getAsJsonObject("jvm").get("version").getAsString().startsWith("25"));
        assertEquals("perf", back.getAsJsonObject("counting").get("backend").getAsString());
        assertEquals("eBPF counter unavailable", back.getAsJsonObject("counting").getAsJsonArray("caveats").get(0).getAsString());
        assertEquals(0, back.getAsJsonArray("opencl").size(), "no platform: empty list, no crash");
        assertTrue(Files.notExists(tmp.resolve("metadata.json.tmp")));
    }

    @Test
    void countingDetectionNeverThrows() {
        Counting c = Counting.detect();
        assertTrue(List.of("bpf", "perf", "none").contains(c.backend()), c.toString());
        assertEquals(c.backend().equals("none"), !c.available());
    }

    @Test
    void aMissingCommandIsAbsentNotAnError() {
        assertEquals(Optional.empty(), RunMetadata.output("gpuos-no-such-command-xyz"));
        assertEquals(Optional.of("hi"), RunMetadata.output("echo", "hi"));
    }
}
