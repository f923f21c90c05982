package gpuos.suite.node;

import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import gpuos.profiler.LinuxSyscallProfiler;
import java.util.Optional;

/**
 * What this machine offers the sweep, printed before a run (the GPU bundle's run script calls it): the syscall
 * counting backend, OpenCL platforms and devices (JOCL), CUDA devices and driver API (JCuda), GPUs as nvidia-smi
 * lists them. Lines start with {@code nodecheck: <topic>:}; a topic that cannot run says so, and why.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp gpuos.jar gpuos.suite.node.NodeCheck</pre>
 *
 * Exit status 0 always: it reports, the caller decides what to skip.
 */
public final class NodeCheck {
    private NodeCheck() {}

    public static void main(String[] args) {
        String backend = LinuxSyscallProfiler.availableBackend();
        Optional<String> unsupported = LinuxSyscallProfiler.unsupportedReason();
        if (unsupported.isEmpty()) {
            line("counting", backend + " (syscalls per operation, exact)");
        } else {
            line("counting", "none: sweeps run without the syscall profiler (" + unsupported.get() + ")");
        }

        OpenClPlatforms.Discovery opencl = OpenClPlatforms.discover();
        if (!opencl.found()) {
            line("opencl", "none: OpenCL parts skipped (" + opencl.problem() + ")");
        } else {
            for (OpenClPlatforms.Platform p : opencl.platforms()) {
                line("opencl", p.key() + ": " + p.name() + " (" + p.vendor() + ", " + p.version() + "), devices: "
                        + (p.deviceNames().isEmpty() ? "none" : String.join("; ", p.deviceNames())));
            }
        }

        CudaAvailability.Probe cuda = CudaAvailability.probe();
        if (cuda.unavailableReason().isPresent()) {
            line("cuda", "unavailable: " + cuda.unavailableReason().get());
        } else {
            line("cuda", "driver API " + cuda.driverApi() + ", " + cuda.devices().size() + (cuda.devices().size() == 1 ? " device" : " devices"));
            cuda.devices().forEach(d -> line("cuda", "device " + d.describe()));
        }

        RunMetadata.gpus().ifPresentOrElse(
                gpus -> gpus.forEach(g -> line("nvidia-smi", g.getAsJsonObject().get("name").getAsString()
                        + (g.getAsJsonObject().has("driver") ? ", driver " + g.getAsJsonObject().get("driver").getAsString() : ""))),
                () -> line("nvidia-smi", "not found or failed"));
    }

    private static void line(String topic, String text) {
        System.out.println("nodecheck: " + topic + ": " + text);
    }
}
