package gpuos.suite.presets;

import gpuos.suite.sweep.Part;
import gpuos.suite.sweep.Part.OnFailure;
import gpuos.suite.sweep.Part.Requirement;
import gpuos.suite.sweep.Part.Settings;
import gpuos.suite.sweep.Preset;
import gpuos.interventions.index.IndexEntry;
import gpuos.interventions.index.InterventionIndex;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Phase-2 preset {@code interventions}: every intervention of the index (samples aside) on each backend it
 * runs on, one part per backend (OpenCL: per platform), at 4 KiB and one large size, 16 work items per operation.
 * The large size differs by backend: CUDA suballocates buffers up to a few MiB without a syscall (Phase 1: none at
 * 1 MiB, 5 dispatch ioctls at 256 MiB), so 64 MiB; PoCL and the CPU copy take 16 MiB, which keeps them under a
 * tenth of a second per operation. Baselines are paired at the same point, so sizes need not match across backends.
 */
public final class InterventionPresets {
    static final String REPS = "16";
    static final String SMALL = "4096";
    static final String CUDA_LARGE = "67108864";
    static final String HOST_LARGE = "16777216";
    /** Five forks: verdicts are bootstrap intervals over forks. */
    static final Settings SETTINGS = new Settings(5, 1, Duration.ofMillis(200), 4, Duration.ofMillis(200));

    private InterventionPresets() {}

    /** The preset over the index this jar carries. */
    public static Preset interventions() {
        return interventions(InterventionIndex.load());
    }

    static Preset interventions(InterventionIndex index) {
        return new Preset("interventions", List.of(
                part("interventions-cpu", "CpuRunner", index, "cpu", HOST_LARGE, Set.of()),
                part("interventions-cuda", "CudaRunner", index, "cuda", CUDA_LARGE, Set.of(Requirement.CUDA)),
                part("interventions-opencl", "OpenClRunner", index, "opencl", HOST_LARGE, Set.of(Requirement.OPENCL_PLATFORM))),
                Map.of("interventions.json", index.toJson()));
    }

    private static Part part(String name, String runner, InterventionIndex index, String backend, String large, Set<Requirement> requires) {
        List<String> names = index.entries().stream()
                .filter(e -> e.runsOn(backend) && !e.family().equals("samples"))
                .map(IndexEntry::name).toList();
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("intervention", names);
        params.put("bytes", List.of(SMALL, large));
        params.put("reps", List.of(REPS));
        return new Part(name, "^gpuos\\.interventions\\.runner\\." + runner + "\\.operation$", params, SETTINGS, requires, OnFailure.KEEP_GOING);
    }
}
