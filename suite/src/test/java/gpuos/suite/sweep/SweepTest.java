package gpuos.suite.sweep;

import gpuos.suite.node.Counting;
import gpuos.suite.presets.Presets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's logic with a fake JMH: no fork runs here. */
class SweepTest {
    private static final Instant NOW = Instant.parse("2026-11-21T22:30:00Z");
    private static final OpenClPlatforms.Discovery NO_OPENCL = new OpenClPlatforms.Discovery(List.of(), "clGetPlatformIDs: CL_PLATFORM_NOT_FOUND_KHR");
    private static final OpenClPlatforms.Discovery TWO_PLATFORMS = new OpenClPlatforms.Discovery(List.of(
            new OpenClPlatforms.Platform(null, "pocl", "Portable Computing Language", "The pocl project", "OpenCL 3.0 PoCL", List.of(), List.of("cpu")),
            new OpenClPlatforms.Platform(null, "nvidia", "NVIDIA CUDA", "NVIDIA Corporation", "OpenCL 3.0 CUDA", List.of(), List.of("H100"))), "");

    private static final Counting BPF = new Counting("bpf", List.of());

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<String> ran = new ArrayList<>();

    /** Writes the result file JMH would write; fails the opencl-execution-bytes parts. */
    private final PartRunner fakeJmh = (part, args, out) -> {
        ran.add(part.name());
        out.println("fake JMH output of " + part.name());
        if (part.name().contains("execution-bytes")) throw new IllegalStateException("benchmark threw\nsecond line");
        Files.writeString(Path.of(args.get(args.indexOf("-rff") + 1)), "[]");
    };

    private Sweep sweep(OpenClPlatforms.Discovery opencl, Counting counting) {
        return new Sweep(Clock.fixed(NOW, ZoneOffset.UTC), new PrintStream(console, true, StandardCharsets.UTF_8), fakeJmh,
                () -> opencl, () -> counting);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownPresetIsOneLineAndExit2() {
        assertEquals(2, sweep(NO_OPENCL, BPF).run("x"));
        assertEquals("sweep: unknown preset 'x' (use quick or full or node or overhead or interventions)\n", console());
    }

    @Test
    void badArgumentsAreOneLineAndExit2() {
        for (String[] args : List.of(new String[] {}, new String[] {"quick", "--bogus"}, new String[] {"quick", "--out"},
                new String[] {"quick", "full"})) {
            console.reset();
            assertEquals(2, sweep(NO_OPENCL, BPF).run(args), String.join(" ", args));
            assertEquals(1, console().lines().count(), console());
            assertTrue(console().startsWith("sweep: "), console());
        }
        assertTrue(ran.isEmpty());
    }

    @Test
    void parseReadsOutAndDryRun() throws Exception {
        Sweep.Args a = Sweep.parse(List.of("--dry-run", "full", "--out", "/x/y"));
        assertEquals("full", a.preset().name());
        assertEquals(Path.of("/x/y"), a.out());
        assertTrue(a.dryRun());
        assertEquals(Path.of("results"), Sweep.parse(List.of("quick")).out());
    }

    @Test
    void runIdIsUtcTimestampAndPreset() {
        assertEquals("20261121-223000-quick", Sweep.runId(NOW, Presets.QUICK));
    }

    @Test
    void openClPartsRunOncePerPlatform() {
        Sweep.Plan plan = Sweep.plan(Presets.QUICK, TWO_PLATFORMS);
        assertEquals(List.of("cpu-copy-bytes", "cpu-copy-reps",
                "opencl-runtime-bytes-pocl", "opencl-runtime-bytes-nvidia", "opencl-runtime-reps-pocl", "opencl-runtime-reps-nvidia",
                "opencl-execution-bytes-pocl", "opencl-execution-bytes-nvidia", "opencl-execution-reps-pocl", "opencl-execution-reps-nvidia"),
                plan.parts().stream().map(Part::name).toList());
        assertEquals(List.of("CUDA not probed: skipping 6 CUDA parts"), plan.notes());
    }

    @Test
    void cudaPartsRunWhereCudaIsFound() {
        Sweep.Plan plan = Sweep.plan(Presets.QUICK, NO_OPENCL, java.util.Optional.empty());
        assertEquals(List.of("cpu-copy-bytes", "cpu-copy-reps", "cuda-runtime-bytes", "cuda-runtime-reps", "cuda-execution-bytes",
                "cuda-execution-reps", "cuda-wait", "cuda-spin"), plan.parts().stream().map(Part::name).toList());
    }

    @Test
    void withoutOpenClTheOpenClPartsAreSkippedInOneLine() {
        Sweep.Plan plan = Sweep.plan(Presets.QUICK, NO_OPENCL);
        assertEquals(List.of("cpu-copy-bytes", "cpu-copy-reps"), plan.parts().stream().map(Part::name).toList());
        assertEquals(2, plan.notes().size());
        assertTrue(plan.notes().getFirst().contains("skipping 4 OpenCL parts"), plan.notes().getFirst());
    }

    @Test
    void dryRunWritesNothing() {
        assertEquals(0, sweep(TWO_PLATFORMS, BPF).run("quick", "--dry-run", "--out", tmp.toString()));
        assertTrue(ran.isEmpty());
        assertFalse(Files.exists(tmp.resolve("20261121-223000-quick")));
        assertTrue(console().contains("opencl-execution-reps-nvidia: java -jar gpuos.jar"), console());
        assertTrue(console().contains("-prof gpuos.profiler.LinuxSyscallProfiler"), console());
    }

    @Test
    void refusesToOverwriteAnExistingRunFolder() throws IOException {
        Path existing = Files.createDirectories(tmp.resolve("20261121-223000-quick"));
        Files.writeString(existing.resolve("metadata.json"), "keep me");
        assertEquals(2, sweep(NO_OPENCL, BPF).run("quick", "--out", tmp.toString()));
        assertTrue(console().contains("already exists; a run folder is never overwritten"), console());
        assertEquals("keep me", Files.readString(existing.resolve("metadata.json")));
        assertTrue(ran.isEmpty());
    }

    @Test
    void aFailedPartIsRecordedAndTheSweepGoesOn() throws IOException {
        int rc = sweep(TWO_PLATFORMS, new Counting("none", List.of("not implemented yet"))).run("quick", "--out", tmp.toString());
        assertEquals(1, rc, console());
        Path run = tmp.resolve("20261121-223000-quick");
        assertEquals(10, ran.size(), "every part ran, including those after the failures");

        List<String> results;
        try (Stream<Path> s = Files.list(run.resolve("jmh"))) {
            results = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(8, results.size(), results.toString());
        assertTrue(results.stream().allMatch(n -> n.endsWith(".json")), "finished parts are renamed from .json.partial");
        assertFalse(results.contains("opencl-execution-bytes-pocl.json"));

        String log = Files.readString(run.resolve("logs/opencl-execution-bytes-pocl.log"));
        assertTrue(log.contains("fake JMH output of opencl-execution-bytes-pocl"), log);
        assertTrue(log.contains("benchmark threw"), log);
        assertTrue(log.startsWith("# java -jar gpuos.jar "), log);
        assertTrue(console().contains("sweep: part opencl-execution-bytes-pocl FAILED after 0 s: IllegalStateException: benchmark threw (see "), console());
        assertEquals(1, console().lines().filter(l -> l.contains("syscall counting unavailable")).count(), "said once");
        assertTrue(console().contains("sweep: 10 parts in"), console());

        JsonObject m = JsonParser.parseString(Files.readString(run.resolve("metadata.json"))).getAsJsonObject();
        assertEquals("20261121-223000-quick", m.get("runId").getAsString());
        assertEquals("2026-11-21T22:30:00Z", m.get("started").getAsString());
        assertEquals("none", m.getAsJsonObject("counting").get("backend").getAsString());
        assertEquals("not implemented yet", m.getAsJsonObject("counting").getAsJsonArray("caveats").get(0).getAsString());
        assertEquals("pocl", m.getAsJsonArray("opencl").get(0).getAsJsonObject().get("key").getAsString());
        assertEquals(10, m.getAsJsonArray("parts").size());
        JsonObject failed = m.getAsJsonArray("parts").get(6).getAsJsonObject();
        assertEquals("opencl-execution-bytes-pocl", failed.get("name").getAsString());
        assertEquals("failed", failed.get("status").getAsString());
    }

    @Test
    void partsRunsOnlyTheMatchingPartsAndANonMatchingRegexIsOneLine() {
        assertEquals(0, sweep(TWO_PLATFORMS, BPF).run("quick", "--parts", "reps-nvidia|cpu-copy-bytes", "--out", tmp.toString()));
        assertEquals(List.of("cpu-copy-bytes", "opencl-runtime-reps-nvidia", "opencl-execution-reps-nvidia"), ran);
        assertTrue(console().contains("--parts 'reps-nvidia|cpu-copy-bytes': leaving out 7 parts that do not match"), console());
        console.reset();
        assertEquals(2, sweep(TWO_PLATFORMS, BPF).run("quick", "--parts", "nothing-like-this", "--out", tmp.toString()));
        assertEquals(1, console().lines().count(), console());
        assertTrue(console().startsWith("sweep: --parts 'nothing-like-this' matches no part of preset quick (its parts: cpu-copy-bytes, "), console());
    }

    /** The GPU node lends 10-minute calls: a preset runs in pieces added to one run folder, and nothing finished is redone or lost. */
    @Test
    void resumeAddsTheMissingPartsToAnEarlierRunAndKeepsWhatIsThere() throws IOException {
        // First piece: everything but the nvidia parts; opencl-execution-bytes-pocl fails (the fake JMH throws).
        assertEquals(1, sweep(TWO_PLATFORMS, BPF).run("quick", "--parts", "cpu|pocl", "--out", tmp.toString()));
        Path run = tmp.resolve("20261121-223000-quick");
        Files.writeString(run.resolve("jmh/cpu-copy-bytes.json"), "[\"first piece\"]");
        String failedLog = Files.readString(run.resolve("logs/opencl-execution-bytes-pocl.log"));
        ran.clear();
        console.reset();

        assertEquals(1, sweep(TWO_PLATFORMS, BPF).run("quick", "--resume", run.toString()));
        assertEquals(List.of("opencl-runtime-bytes-nvidia", "opencl-runtime-reps-nvidia", "opencl-execution-bytes-pocl",
                "opencl-execution-bytes-nvidia", "opencl-execution-reps-nvidia"), ran, "the failed part is retried, finished ones are not");
        assertTrue(console().contains("--resume: 5 parts already have results, kept as they are: cpu-copy-bytes, "), console());
        assertEquals("[\"first piece\"]", Files.readString(run.resolve("jmh/cpu-copy-bytes.json")));
        assertTrue(Files.readString(run.resolve("logs/opencl-execution-bytes-pocl.log")).startsWith(failedLog), "a retried part's log keeps the first try");

        JsonObject m = JsonParser.parseString(Files.readString(run.resolve("metadata.json"))).getAsJsonObject();
        List<String> names = m.getAsJsonArray("parts").asList().stream().map(e -> e.getAsJsonObject().get("name").getAsString()).toList();
        assertEquals(10, names.size(), "one entry per part, earlier entries updated in place: " + names);
        assertEquals(1, m.getAsJsonArray("resumed").size());
        assertEquals("2026-11-21T22:30:00Z", m.get("started").getAsString(), "the run keeps its first start");
    }

    @Test
    void namesItsRunFolderInOneMachineReadableLineNewOrResumed() {
        assertEquals(0, sweep(TWO_PLATFORMS, BPF).run("quick", "--parts", "cpu-copy-bytes", "--out", tmp.toString()));
        Path run = tmp.resolve("20261121-223000-quick");
        assertEquals(List.of("run-dir: " + run), console().lines().filter(l -> l.startsWith("run-dir: ")).toList());
        console.reset();
        assertEquals(0, sweep(TWO_PLATFORMS, BPF).run("quick", "--parts", "cpu-copy-reps", "--resume", run.toString()));
        assertEquals(List.of("run-dir: " + run), console().lines().filter(l -> l.startsWith("run-dir: ")).toList());
        console.reset();
        assertEquals(0, sweep(TWO_PLATFORMS, BPF).run("quick", "--dry-run", "--out", tmp.toString()));
        assertTrue(console().lines().noneMatch(l -> l.startsWith("run-dir: ")), "a dry run names no folder: it writes none");
    }

    @Test
    void resumeRefusesAnotherPresetsRunOrAFolderThatIsNoRun() throws IOException {
        assertEquals(0, sweep(TWO_PLATFORMS, BPF).run("quick", "--parts", "cpu-copy-bytes", "--out", tmp.toString()));
        Path run = tmp.resolve("20261121-223000-quick");
        console.reset();
        assertEquals(2, sweep(TWO_PLATFORMS, BPF).run("full", "--resume", run.toString()));
        assertEquals("sweep: " + run + " is a run of preset 'quick', not 'full': resume it with that preset\n", console());
        console.reset();
        assertEquals(2, sweep(TWO_PLATFORMS, BPF).run("quick", "--resume", tmp.resolve("nope").toString()));
        assertTrue(console().startsWith("sweep: --resume " + tmp.resolve("nope") + ": no run folder there"), console());
    }

    @Test
    void keepGoingPartsPassFoeFalseAndEveryPartNamesTheFailuresFile() {
        Part part = new Part("p", "x", java.util.Map.of(), new Part.Settings(3, 1, java.time.Duration.ofMillis(100), 1,
                java.time.Duration.ofMillis(100)), java.util.Set.of(), Part.OnFailure.KEEP_GOING);
        List<String> args = part.jmhArgs("/r/x.json", null, "/r/failures.jsonl");
        assertEquals("false", args.get(args.indexOf("-foe") + 1));
        assertEquals("--enable-native-access=ALL-UNNAMED -Dgpuos.failures=/r/failures.jsonl", args.get(args.indexOf("-jvmArgsAppend") + 1));
        List<String> phase1 = Presets.QUICK.parts().getFirst().jmhArgs("/r/x.json", null);
        assertEquals("true", phase1.get(phase1.indexOf("-foe") + 1), "Phase-1 parts stop at the first error");
    }

    @Test
    void profilerIsAddedOnlyWhenCountingWorks() throws IOException {
        List<List<String>> args = new ArrayList<>();
        PartRunner capture = (part, a, out) -> {
            args.add(a);
            Files.writeString(Path.of(a.get(a.indexOf("-rff") + 1)), "[]");
        };
        Sweep on = new Sweep(Clock.fixed(NOW, ZoneOffset.UTC), new PrintStream(console, true, StandardCharsets.UTF_8), capture,
                () -> NO_OPENCL, () -> BPF);
        assertEquals(0, on.run("quick", "--out", tmp.resolve("on").toString()));
        assertTrue(args.stream().allMatch(a -> a.contains("gpuos.profiler.LinuxSyscallProfiler")));
        assertFalse(console().contains("syscall counting unavailable"));
        args.clear();
        Sweep off = new Sweep(Clock.fixed(NOW, ZoneOffset.UTC), new PrintStream(console, true, StandardCharsets.UTF_8), capture,
                () -> NO_OPENCL, () -> new Counting("none", List.of("no BPF")));
        assertEquals(0, off.run("quick", "--out", tmp.resolve("off").toString()));
        assertTrue(args.stream().noneMatch(a -> a.contains("-prof")));
        assertTrue(Files.exists(tmp.resolve("off/20261121-223000-quick/jmh/cpu-copy-reps.json")));
    }
}
