package gpuos.suite.presets;

import gpuos.suite.sweep.Part;
import gpuos.suite.sweep.Part.Requirement;
import gpuos.suite.sweep.Part.Settings;
import gpuos.suite.sweep.Preset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sweeps {@code scripts/sweep} offers, as data. Each benchmark family gets two parts, one per axis:
 * {@code <family>-bytes} sweeps the workload size at reps=1, {@code <family>-reps} sweeps launches per
 * operation at 4 KiB. The point (4 KiB, reps 1) is measured once, in the bytes part; the reps part starts
 * above 1. Sizes and repetitions are never crossed: 256 MiB x 10^4 would run for hours.
 */
public final class Presets {
    static final String KIB4 = "4096";

    /** Benchmark families: part name prefix, JMH include regex, what its parts require. */
    private record Family(String name, String include, Set<Requirement> requires) {}

    /** CUDA families run at the default wait policy (auto). */
    private static final List<Family> FAMILIES = List.of(
            new Family("cpu-copy", "^gpuos\\.benchmarks\\.cpu\\.CpuCopy\\.", Set.of()),
            new Family("opencl-runtime", "^gpuos\\.benchmarks\\.opencl\\.OpenClRuntime\\.", Set.of(Requirement.OPENCL_PLATFORM)),
            new Family("opencl-execution", "^gpuos\\.benchmarks\\.opencl\\.OpenClExecution\\.", Set.of(Requirement.OPENCL_PLATFORM)),
            new Family("cuda-runtime", "^gpuos\\.benchmarks\\.cuda\\.CudaRuntime\\.", Set.of(Requirement.CUDA)),
            new Family("cuda-execution", "^gpuos\\.benchmarks\\.cuda\\.CudaExecution\\.(emptyKernel|vectorAdd)$", Set.of(Requirement.CUDA)));

    /** The wait policy decides which sync syscalls appear: every policy, at one launch+sync per rep. */
    private static final String CUDA_WAIT_INCLUDE = "^gpuos\\.benchmarks\\.cuda\\.CudaExecution\\.launchSync$";
    /** GPU busy time as an axis of its own, independent of bytes. */
    private static final String CUDA_SPIN_INCLUDE = "^gpuos\\.benchmarks\\.cuda\\.CudaExecution\\.spin$";


    /**
     * Every axis coarsely, 3 forks, short iterations; 10 minutes is the limit. Measured with 200 ms iterations:
     * 196 s on the 2-core build machine (CPU, PoCL), 505 s on the H200 node without its NVIDIA OpenCL parts
     * (~145 s more with them), hence one warmup, 150 ms iterations and launchSync only in cuda-wait. One op of 10^4 PoCL blocking
     * write+read pairs takes ~0.5 s.
     */
    public static final Preset QUICK = preset("quick",
            List.of(KIB4, "1048576", "268435456"),
            List.of("100", "10000"),
            new Settings(3, 1, Duration.ofMillis(150), 4, Duration.ofMillis(150)));

    /** Factor-4 size steps 4 KiB .. 256 MiB, decades of reps 1 .. 10^4, 5 forks of 5 x 1 s. */
    public static final Preset FULL = preset("full",
            List.of(KIB4, "16384", "65536", "262144", "1048576", "4194304", "16777216", "67108864", "268435456"),
            List.of("10", "100", "1000", "10000"),
            new Settings(5, 5, Duration.ofSeconds(1), 5, Duration.ofSeconds(1)));

    /**
     * The GPU node's reference run (issue 11): 5 points on each axis (sizes 4 KiB .. 256 MiB in steps of 16, reps 1 ..
     * 10^4 in decades), iterations of 4 x 150 ms after one warm-up; 10 forks for {@code cuda-wait}, whose rows the
     * README's headline quotes (syscalls per synchronise by wait policy), 5 for the other CUDA parts, 3 for OpenCL and
     * the CPU. Planned from the H200's quick run, ~1.9 s per fork and point: the CUDA and NVIDIA OpenCL parts
     * ({@code --parts 'cuda|nvidia'}) are ~460 forks, ~15 min, in two device calls that resume into one folder.
     */
    public static final Preset NODE = preset("node",
            List.of(KIB4, "65536", "1048576", "16777216", "268435456"),
            List.of("10", "100", "1000", "10000"),
            new Settings(3, 1, Duration.ofMillis(150), 4, Duration.ofMillis(150)),
            new Settings(5, 1, Duration.ofMillis(150), 4, Duration.ofMillis(150)),
            new Settings(10, 1, Duration.ofMillis(150), 4, Duration.ofMillis(150)));

    private static final Set<Requirement> OWN_COUNTER = Set.of(Requirement.OWN_COUNTER);

    /**
     * The syscall counter measuring itself (gpuos.benchmarks.overhead): added ns per counted syscall, cost of an
     * iteration boundary, and whole-program cost against strace -f -c and perf stat. No -prof: each benchmark
     * attaches its own counter. About 5 minutes on the build machine.
     */
    public static final Preset OVERHEAD = new Preset("overhead", List.of(
            new Part("syscall-cost", "^gpuos\\.benchmarks\\.overhead\\.SyscallCost\\.", Map.of(),
                    new Settings(5, 2, Duration.ofSeconds(1), 4, Duration.ofSeconds(1)), OWN_COUNTER),
            new Part("boundary-cost", "^gpuos\\.benchmarks\\.overhead\\.BoundaryCost\\.", Map.of(),
                    new Settings(5, 2, Duration.ofSeconds(1), 4, Duration.ofSeconds(1)), OWN_COUNTER),
            new Part("tool-cost", "^gpuos\\.benchmarks\\.overhead\\.ToolCost\\.", Map.of(),
                    new Settings(3, 1, Duration.ofSeconds(2), 3, Duration.ofSeconds(2)), OWN_COUNTER)));

    /** The Phase-1 sweeps over bytes and repetitions. */
    public static final List<Preset> SWEEPS = List.of(QUICK, FULL, NODE);
    /** The Phase-1 presets; {@link #all()} adds Phase 2's. */
    public static final List<Preset> ALL = List.of(QUICK, FULL, NODE, OVERHEAD);

    private Presets() {}

    /** {@link #ALL} and then the Phase-2 preset {@code interventions} (made from the intervention index). */
    public static List<Preset> all() {
        List<Preset> all = new ArrayList<>(ALL);
        all.add(InterventionPresets.interventions());
        return all;
    }

    public static Optional<Preset> named(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return all().stream().map(Preset::name).toList();
    }

    private static Preset preset(String name, List<String> bytes, List<String> repsAbove1, Settings settings) {
        return preset(name, bytes, repsAbove1, settings, settings, settings);
    }

    /** {@code waitSettings} for cuda-wait, {@code cudaSettings} for the other CUDA parts, {@code settings} for the rest. */
    private static Preset preset(String name, List<String> bytes, List<String> repsAbove1, Settings settings, Settings cudaSettings,
                                 Settings waitSettings) {
        List<Part> parts = new ArrayList<>();
        for (Family f : FAMILIES) {
            Settings own = f.requires().contains(Requirement.CUDA) ? cudaSettings : settings;
            parts.add(new Part(f.name() + "-bytes", f.include(), axes(bytes, List.of("1")), own, f.requires()));
            parts.add(new Part(f.name() + "-reps", f.include(), axes(List.of(KIB4), repsAbove1), own, f.requires()));
        }
        Map<String, List<String>> wait = axes(List.of(KIB4), List.of("1", "100"));
        wait.put("waitPolicy", List.of("auto", "spin", "yield", "blocking"));
        parts.add(new Part("cuda-wait", CUDA_WAIT_INCLUDE, wait, waitSettings, Set.of(Requirement.CUDA)));
        Map<String, List<String>> spin = axes(List.of(KIB4), List.of("1"));
        spin.put("waitPolicy", List.of("spin", "blocking"));
        spin.put("gpuNanos", List.of("1000", "10000", "100000", "1000000"));
        parts.add(new Part("cuda-spin", CUDA_SPIN_INCLUDE, spin, cudaSettings, Set.of(Requirement.CUDA)));
        return new Preset(name, parts);
    }

    // Ordered, so part command lines (and JMH's param order in the JSON) are the same on every run.
    private static Map<String, List<String>> axes(List<String> bytes, List<String> reps) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        axes.put("bytes", bytes);
        axes.put("reps", reps);
        return axes;
    }
}
