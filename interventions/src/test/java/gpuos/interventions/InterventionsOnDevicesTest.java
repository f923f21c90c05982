package gpuos.interventions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gpuos.benchmarks.GpuAssumptions;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import gpuos.interventions.index.IndexEntry;
import gpuos.interventions.index.InterventionIndex;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Tag;

/**
 * Every intervention of the index, on every backend it names, does the same work as the baseline: after two
 * operations of {@code reps} work items the accumulator holds 2 x reps x (1 + 2) everywhere (CUDA, OpenCL), or
 * the copy target equals the source (CPU). A restructuring that drops, repeats or misplaces work fails here. CUDA
 * tests skip without a GPU (and fail on the GPU node, where -Dgpuos.requireGpu=true); OpenCL ones run on each
 * platform found (PoCL in CI).
 */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class InterventionsOnDevicesTest {
    private static final int BYTES = 3 * 4096 + 64; // not a multiple of the 256-thread block: the tail is covered
    private static final int REPS = 5;              // not a multiple of sync-every-k's k = 4
    private static final List<IndexEntry> ENTRIES = InterventionIndex.load().entries().stream()
            .filter(e -> !e.family().equals("failing")).toList();

    @TestFactory
    Stream<DynamicTest> cpu() {
        return ENTRIES.stream().filter(e -> e.runsOn("cpu")).map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            OnCpu intervention = (OnCpu) instance(e);
            try (CpuWork work = new CpuWork(BYTES, REPS, Knobs.parse(e.name(), e.knobDefaults(), ""))) {
                intervention.setup(work);
                intervention.run(work);
                intervention.run(work);
                intervention.teardown(work);
                if (e.name().equals("baseline")) assertEquals(-1L, work.source.mismatch(work.target), "target = source");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> cuda() {
        return ENTRIES.stream().filter(e -> e.runsOn("cuda")).map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            GpuAssumptions.assumeCuda();
            OnCuda intervention = (OnCuda) instance(e);
            try (CudaWork work = new CudaWork(BYTES, REPS, intervention.waitPolicy(), Knobs.parse(e.name(), e.knobDefaults(), ""))) {
                intervention.setup(work);
                intervention.run(work);
                intervention.run(work);
                intervention.teardown(work);
                assertAccumulated(e.name(), work.result());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> opencl() {
        List<OpenClPlatforms.Platform> platforms = OpenClPlatforms.discover().platforms();
        return platforms.stream().flatMap(p -> ENTRIES.stream().filter(e -> e.runsOn("opencl")).map(e ->
                DynamicTest.dynamicTest(e.name() + " on " + p.key(), () -> {
                    Assumptions.assumeFalse(p.devices().isEmpty(), p.describe() + " has no device");
                    OnOpenCl intervention = (OnOpenCl) instance(e);
                    try (OpenClWork work = new OpenClWork(BYTES, REPS, p.key(), Knobs.parse(e.name(), e.knobDefaults(), ""))) {
                        intervention.setup(work);
                        intervention.run(work);
                        intervention.run(work);
                        intervention.teardown(work);
                        assertAccumulated(e.name() + " on " + p.key(), work.result());
                    }
                })));
    }

    private static void assertAccumulated(String what, float[] c) {
        float expected = 2 * REPS * 3.0f;
        for (int i = 0; i < c.length; i++) if (c[i] != expected) assertEquals(expected, c[i], what + ": c[" + i + "] of " + c.length);
    }

    private static Object instance(IndexEntry e) throws ReflectiveOperationException {
        return Class.forName(e.className()).getConstructor().newInstance();
    }
}
