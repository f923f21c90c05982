package gpuos.suite.presets;

import gpuos.suite.sweep.Part;
import gpuos.suite.sweep.Preset;
import gpuos.suite.sweep.Sweep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

class PresetsTest {
    private static final long MIB_256 = 256L << 20;

    @Test
    void presetsArePhaseOnesAndInterventions() {
        assertEquals(List.of("quick", "full", "node", "overhead", "interventions"), Presets.names());
        assertTrue(Presets.named("quick").isPresent());
        assertTrue(Presets.named("nope").isEmpty());
    }

    @Test
    void everyFamilyHasOneBytesPartAndOneRepsPart() {
        for (Preset p : Presets.SWEEPS) {
            assertEquals(List.of("cpu-copy-bytes", "cpu-copy-reps", "opencl-runtime-bytes", "opencl-runtime-reps",
                    "opencl-execution-bytes", "opencl-execution-reps", "cuda-runtime-bytes", "cuda-runtime-reps",
                    "cuda-execution-bytes", "cuda-execution-reps", "cuda-wait", "cuda-spin"), p.parts().stream().map(Part::name).toList(), p.name());
            assertTrue(p.parts().stream().filter(part -> part.requires(Part.Requirement.CUDA)).allMatch(part -> part.name().startsWith("cuda-")), p.name());
        }
    }

    @Test
    void bytesSweepRunsAtOneRepAndRepsSweepAt4KiB() {
        for (Preset p : Presets.SWEEPS) {
            for (Part part : p.parts()) {
                if (!part.name().endsWith("-bytes") && !part.name().endsWith("-reps")) continue;
                List<String> bytes = part.params().get("bytes");
                List<String> reps = part.params().get("reps");
                if (part.name().endsWith("-bytes")) {
                    assertEquals(List.of("1"), reps, part.name());
                    assertEquals(4096L, Long.parseLong(bytes.getFirst()));
                    assertEquals(MIB_256, Long.parseLong(bytes.getLast()));
                } else {
                    assertEquals(List.of("4096"), bytes, part.name());
                    assertFalse(reps.contains("1"), "reps=1 at 4 KiB is measured once, in the bytes part");
                    assertEquals("10000", reps.getLast());
                }
                // never 256 MiB x 10^4: at most one axis leaves its base value
                assertTrue(bytes.size() == 1 || reps.size() == 1, part.name());
            }
        }
    }

    @Test
    void sizesAreLogSteps() {
        for (Preset p : Presets.SWEEPS) {
            List<Long> bytes = p.part("cpu-copy-bytes").orElseThrow().params().get("bytes").stream().map(Long::parseLong).toList();
            for (int i = 1; i < bytes.size(); i++) {
                long ratio = bytes.get(i) / bytes.get(i - 1);
                assertEquals(0, bytes.get(i) % bytes.get(i - 1));
                assertEquals(1, Long.bitCount(ratio), "power-of-two ratio " + ratio);
            }
        }
    }

    @Test
    void forksNeverBelowThreeAndFullIsFinerThanQuick() {
        for (Preset p : Presets.ALL) for (Part part : p.parts()) assertTrue(part.settings().forks() >= 3, part.name());
        for (Part part : Presets.QUICK.parts()) assertEquals(3, part.settings().forks(), part.name());
        for (Part part : Presets.FULL.parts()) assertEquals(5, part.settings().forks(), part.name());
        assertTrue(Presets.FULL.part("cpu-copy-bytes").orElseThrow().params().get("bytes").size()
                > Presets.QUICK.part("cpu-copy-bytes").orElseThrow().params().get("bytes").size());
        // The GPU node's reference: at least 5 points per axis, 10 forks for the rows the README quotes.
        assertEquals(5, Presets.NODE.part("cuda-runtime-bytes").orElseThrow().params().get("bytes").size());
        assertEquals(4, Presets.NODE.part("cuda-runtime-reps").orElseThrow().params().get("reps").size(), "+ reps=1 in the bytes part");
        assertEquals(10, Presets.NODE.part("cuda-wait").orElseThrow().settings().forks());
        assertEquals(5, Presets.NODE.part("cuda-spin").orElseThrow().settings().forks());
        assertEquals(5, Presets.NODE.part("cuda-runtime-bytes").orElseThrow().settings().forks());
        assertEquals(3, Presets.NODE.part("opencl-execution-reps").orElseThrow().settings().forks());
        Part.Settings ok = Presets.QUICK.parts().getFirst().settings();
        assertThrows(IllegalArgumentException.class,
                () -> new Part.Settings(2, ok.warmupIterations(), ok.warmupTime(), ok.measurementIterations(), ok.measurementTime()));
    }

    @Test
    void cudaWaitPolicyAndGpuTimeAreAxesOfTheirOwn() {
        for (Preset p : Presets.SWEEPS) {
            assertEquals(List.of("auto", "spin", "yield", "blocking"), p.part("cuda-wait").orElseThrow().params().get("waitPolicy"));
            Part spin = p.part("cuda-spin").orElseThrow();
            assertEquals(List.of("1"), spin.params().get("reps"));
            assertEquals(4, spin.params().get("gpuNanos").size());
        }
    }

    @Test
    void overheadPartsAttachTheirOwnCounterSoRunWithoutProf() {
        for (Part part : Presets.OVERHEAD.parts()) {
            List<String> args = part.jmhArgs("/tmp/x.json.partial", Sweep.PROFILER);
            assertFalse(args.contains("-prof"), part.name());
            assertTrue(args.getFirst().contains("gpuos\\.benchmarks\\.overhead\\."), part.name());
        }
    }

    @Test
    void includesMatchExactlyTheirFamily() {
        Map<String, String> expected = Map.of("cpu-copy", "gpuos.benchmarks.cpu.CpuCopy.javaLoop",
                "opencl-runtime", "gpuos.benchmarks.opencl.OpenClRuntime.writeRead",
                "opencl-execution", "gpuos.benchmarks.opencl.OpenClExecution.vectorAdd");
        for (Part part : Presets.QUICK.parts()) {
            Pattern include = Pattern.compile(part.include());
            expected.forEach((family, benchmark) ->
                    assertEquals(part.name().startsWith(family + "-"), include.matcher(benchmark).find(), part.name() + " vs " + benchmark));
        }
    }

    @Test
    void partArgsParseAsAJmhCommandLine() throws Exception {
        for (Preset p : Presets.SWEEPS) {
            for (Part part : p.parts()) {
                Part bound = part.requires(Part.Requirement.OPENCL_PLATFORM) ? part.forPlatform("pocl") : part;
                CommandLineOptions o = new CommandLineOptions(bound.jmhArgs("/tmp/x.json.partial", Sweep.PROFILER).toArray(String[]::new));
                assertEquals(List.of(part.include()), o.getIncludes());
                assertEquals(part.settings().forks(), o.getForkCount().get());
                assertEquals(part.settings().measurementTime(), Duration.ofMillis(o.getMeasurementTime().get().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS)));
                assertEquals(part.params().get("bytes"), List.copyOf(o.getParameter("bytes").get()));
                assertEquals("/tmp/x.json.partial", o.getResult().get());
                assertEquals(List.of("--enable-native-access=ALL-UNNAMED"), List.copyOf(o.getJvmArgsAppend().get()));
                assertTrue(o.shouldFailOnError().get());
                assertEquals(1, o.getProfilers().size());
                if (part.requires(Part.Requirement.OPENCL_PLATFORM)) assertEquals(List.of("pocl"), List.copyOf(o.getParameter("platform").get()));
            }
        }
    }

    @Test
    void forPlatformNamesThePartAndPinsThePlatform() {
        Part part = Presets.QUICK.part("opencl-runtime-reps").orElseThrow().forPlatform("nvidia");
        assertEquals("opencl-runtime-reps-nvidia", part.name());
        assertEquals(List.of("nvidia"), part.params().get("platform"));
        assertFalse(part.requires(Part.Requirement.OPENCL_PLATFORM));
        assertEquals(List.of("bytes", "reps", "platform"), List.copyOf(part.params().keySet()));
    }

    @Test
    void interventionsPresetKeepsGoingAndLogsFailures() throws Exception {
        Preset p = Presets.named("interventions").orElseThrow();
        assertEquals(List.of("interventions-cpu", "interventions-cuda", "interventions-opencl"), p.parts().stream().map(Part::name).toList());
        assertTrue(p.runFiles().containsKey("interventions.json"));
        // interventions' FailingInterventionTest runs JMH with these same arguments.
        Part cpu = p.part("interventions-cpu").orElseThrow();
        CommandLineOptions o = new CommandLineOptions(cpu.jmhArgs("/r/x.json", null, "/r/failures.jsonl").toArray(String[]::new));
        assertEquals(List.of("^gpuos\\.interventions\\.runner\\.CpuRunner\\.operation$"), o.getIncludes());
        assertFalse(o.shouldFailOnError().get(), "a failing intervention does not end the part");
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-Dgpuos.failures=/r/failures.jsonl"), List.copyOf(o.getJvmArgsAppend().get()));
        assertTrue(o.getParameter("intervention").get().contains("baseline"));
        assertFalse(o.getParameter("intervention").get().stream().anyMatch(n -> n.startsWith("sample-")), "samples are not swept");
    }
}
