package gpuos.suite.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node check's two faces, lines for people and JSON for scripts, say the same facts. */
class NodeCheckTest {
    private static final NodeCheck.Facts NO_GPU = new NodeCheck.Facts(new Counting("bpf", List.of()),
            new OpenClPlatforms.Discovery(List.of(new OpenClPlatforms.Platform(null, "pocl", "Portable Computing Language",
                    "The pocl project", "OpenCL 3.0 PoCL", List.of(), List.of("cpu"))), ""),
            new CudaAvailability.Probe(0, List.of(), Optional.of("no CUDA driver")), Optional.empty());

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, NodeCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), () -> NO_GPU));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesNameEachTopic() {
        assertEquals("""
                nodecheck: counting: bpf (syscalls per operation, exact)
                nodecheck: opencl: pocl: Portable Computing Language (The pocl project, OpenCL 3.0 PoCL), devices: cpu
                nodecheck: cuda: unavailable: no CUDA driver
                nodecheck: nvidia-smi: not found or failed
                """, run());
    }

    @Test
    void jsonSaysTheSame() {
        JsonObject o = JsonParser.parseString(run("--json")).getAsJsonObject();
        assertEquals("bpf", o.getAsJsonObject("counting").get("backend").getAsString());
        JsonArray platforms = o.getAsJsonObject("opencl").getAsJsonArray("platforms");
        assertEquals("pocl", platforms.get(0).getAsJsonObject().get("key").getAsString());
        assertFalse(o.getAsJsonObject("cuda").get("available").getAsBoolean());
        assertEquals("no CUDA driver", o.getAsJsonObject("cuda").get("reason").getAsString());
        assertFalse(o.has("gpus"), "no nvidia-smi: no gpus field");
    }

    @Test
    void anUnknownArgumentIsUsage() {
        assertEquals(2, NodeCheck.run(new String[] {"--yaml"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), () -> NO_GPU));
    }
}
