package gpuos.benchmarks;

import static org.junit.jupiter.api.Assertions.fail;

import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What GPU tests need, as assumptions: without it they skip with one line (CI, the build machine). On a GPU node
 * the bundle's run script sets {@code -Dgpuos.requireGpu=true}, and a missing GPU fails the test instead, so a
 * green run there proves the GPU paths really ran.
 */
public final class GpuAssumptions {
    public static final String REQUIRE_PROPERTY = "gpuos.requireGpu";

    private GpuAssumptions() {}

    public static void assumeCuda() {
        need(CudaAvailability.unavailableReason());
    }

    /** NVIDIA's OpenCL platform, key {@code nvidia} (registered through OCL_ICD_VENDORS on the reference node). */
    public static void assumeNvidiaOpenCl() {
        OpenClPlatforms.Discovery d = OpenClPlatforms.discover();
        boolean found = d.platforms().stream().anyMatch(p -> p.key().equals("nvidia") && !p.devices().isEmpty());
        need(found ? Optional.empty() : Optional.of("no NVIDIA OpenCL platform with a device ("
                + (d.found() ? "platforms: " + d.platforms().stream().map(OpenClPlatforms.Platform::describe).toList() : d.problem())
                + "): NVIDIA OpenCL tests skipped"));
    }

    private static void need(Optional<String> missing) {
        if (missing.isEmpty()) return;
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) fail(missing.get() + " (and -D" + REQUIRE_PROPERTY + "=true)");
        Assumptions.abort(missing.get());
    }
}
