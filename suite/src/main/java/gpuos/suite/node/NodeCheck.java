package gpuos.suite.node;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this machine offers the sweep, printed before a run (the GPU bundle's run script calls it): the syscall
 * counting backend, OpenCL platforms and devices (JOCL), CUDA devices and driver API (JCuda), GPUs as nvidia-smi
 * lists them. Lines start with {@code nodecheck: <topic>:}; a topic that cannot run says so, and why. With
 * {@code --json} the same facts are one JSON object, for scripts:
 * {@code {"counting": {"backend", "caveats"}, "opencl": {"platforms", "problem"}, "cuda": {"available", "reason",
 * "driverApi", "devices"}, "gpus": [{"name", "driver"}]}} ({@code gpus} absent without nvidia-smi).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp gpuos.jar gpuos.suite.node.NodeCheck [--json]</pre>
 *
 * Exit status 0 always (2 on an unknown argument): it reports, the caller decides what to skip.
 */
public final class NodeCheck {
    /** The facts, probed once; printed as lines or as JSON. */
    record Facts(Counting counting, OpenClPlatforms.Discovery opencl, CudaAvailability.Probe cuda, Optional<JsonArray> gpus) {
        static Facts probe() {
            return new Facts(Counting.detect(), OpenClPlatforms.discover(), CudaAvailability.probe(), RunMetadata.gpus());
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            if (counting.available()) {
                lines.add(line("counting", counting.backend() + " (syscalls per operation, exact)"));
            } else {
                lines.add(line("counting", "none: sweeps run without the syscall profiler (" + String.join("; ", counting.caveats()) + ")"));
            }
            if (!opencl.found()) {
                lines.add(line("opencl", "none: OpenCL parts skipped (" + opencl.problem() + ")"));
            } else {
                for (OpenClPlatforms.Platform p : opencl.platforms()) {
                    lines.add(line("opencl", p.key() + ": " + p.name() + " (" + p.vendor() + ", " + p.version() + "), devices: "
                            + (p.deviceNames().isEmpty() ? "none" : String.join("; ", p.deviceNames()))));
                }
            }
            if (cuda.unavailableReason().isPresent()) {
                lines.add(line("cuda", "unavailable: " + cuda.unavailableReason().get()));
            } else {
                lines.add(line("cuda", "driver API " + cuda.driverApi() + ", " + cuda.devices().size() + (cuda.devices().size() == 1 ? " device" : " devices")));
                cuda.devices().forEach(d -> lines.add(line("cuda", "device " + d.describe())));
            }
            gpus.ifPresentOrElse(
                    g -> g.forEach(gpu -> lines.add(line("nvidia-smi", gpu.getAsJsonObject().get("name").getAsString()
                            + (gpu.getAsJsonObject().has("driver") ? ", driver " + gpu.getAsJsonObject().get("driver").getAsString() : "")))),
                    () -> lines.add(line("nvidia-smi", "not found or failed")));
            return lines;
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.add("counting", counting.toJson());
            JsonObject cl = new JsonObject();
            JsonArray platforms = new JsonArray();
            opencl.platforms().forEach(p -> platforms.add(OpenClPlatforms.toJson(p)));
            cl.add("platforms", platforms);
            if (!opencl.found()) cl.addProperty("problem", opencl.problem());
            o.add("opencl", cl);
            JsonObject cu = new JsonObject();
            cu.addProperty("available", cuda.unavailableReason().isEmpty());
            cuda.unavailableReason().ifPresent(r -> cu.addProperty("reason", r));
            if (cuda.unavailableReason().isEmpty()) cu.addProperty("driverApi", cuda.driverApi());
            JsonArray devices = new JsonArray();
            cuda.devices().forEach(d -> devices.add(d.describe()));
            cu.add("devices", devices);
            o.add("cuda", cu);
            gpus.ifPresent(g -> o.add("gpus", g));
            return o;
        }

        private static String line(String topic, String text) {
            return "nodecheck: " + topic + ": " + text;
        }
    }

    private NodeCheck() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, Facts::probe));
    }

    static int run(String[] args, PrintStream out, java.util.function.Supplier<Facts> facts) {
        boolean json = args.length == 1 && args[0].equals("--json");
        if (args.length > 0 && !json) {
            out.println("usage: NodeCheck [--json]");
            return 2;
        }
        Facts f = facts.get();
        if (json) out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(f.json()));
        else f.lines().forEach(out::println);
        return 0;
    }
}
