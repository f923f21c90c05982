package gpuos.profiler.external;

import gpuos.profiler.LinuxSyscallProfiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * benchmarks/python/resnet_infer.py where there is no GPU: its skips, and, with a fake torch
 * (src/test/resources/fake-torch: one getppid per inference), its markers under external mode, its re-exec for
 * the GPU-job waits and its JSON. The real model runs on the GPU node (reference-runs/resnet/node-resnet.sh).
 */
class ResnetScriptTest {
    private static final Path SCRIPT = Path.of("..", "benchmarks", "python", "resnet_infer.py").toAbsolutePath().normalize();
    private static final Path FAKE_TORCH = Path.of("src", "test", "resources", "fake-torch").toAbsolutePath();
    private static final Path PRELOAD = Path.of("/lib/x86_64-linux-gnu/libm.so.6");   // harmless to preload

    @BeforeAll
    static void needsPython() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        assumeTrue(Files.isRegularFile(SCRIPT), () -> SCRIPT + " missing");
    }

    private record Ran(int exit, String out, String err) {}

    private static Ran python(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out, err);
    }

    @Test
    void withoutTorchItSkipsWithOneLineAndExit3() throws Exception {
        Ran r = python(Map.of("PYTHONPATH", ""), "--iters", "5");
        assumeTrue(!r.err.contains("Traceback") && r.exit != 0, "python3 here has PyTorch: " + r.err);
        assertEquals(3, r.exit, r.err);
        assertTrue(r.err.strip().matches("resnet_infer: skipped: torch is not installed for \\S+; run on the GPU node.*"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    @Test
    void withoutAGpuItSkipsWithOneLineAndExit3() throws Exception {
        Ran r = python(Map.of("PYTHONPATH", FAKE_TORCH.toString(), "FAKE_TORCH_CUDA", "0"));
        assertEquals(3, r.exit, r.err);
        assertEquals("resnet_infer: skipped: no CUDA GPU visible to PyTorch; run on the GPU node", r.err.strip());
    }

    @Test
    void aJobWaitNeedsThePreloadPath() throws Exception {
        Ran r = python(Map.of("PYTHONPATH", FAKE_TORCH.toString()), "--wait", "job-predict");
        assertEquals(2, r.exit, r.err);
        assertEquals("resnet_infer: --wait job-predict needs --gpujob-preload PATH to natives' libgpujob-preload.so, got None", r.err.strip());
    }

    @Test
    void graphCaptureWithoutTheCachingAllocatorIsRecordedAndTheOtherModeKept(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("off.json");
        Ran r = python(Map.of("PYTHONPATH", FAKE_TORCH.toString()), "--iters", "4", "--warmup", "1", "--allocator", "off", "--out", out.toString());
        assertEquals(4, r.exit, r.err);
        String json = Files.readString(out);
        assertTrue(json.contains("\"mode\": \"eager\"") && json.contains("\"latencyUs\""), json);
        assertTrue(json.contains("\"error\": \"RuntimeError: operation not permitted when stream is capturing\""), json);
        assertTrue(json.contains("\"allocator\": \"off\""), json);
    }

    @Test
    void underExternalModeItsMarkersArePerInferenceAndTheJobWaitReExecs(@TempDir Path dir) throws Exception {
        assumeTrue(LinuxSyscallProfiler.unsupportedReason().isEmpty(), () -> "syscall counting unavailable: " + LinuxSyscallProfiler.unsupportedReason().orElse(""));
        assumeTrue(Files.isRegularFile(Path.of("/sys/kernel/tracing/events/sched/sched_process_fork/id")), "tracefs not mounted");
        assumeTrue(Files.isRegularFile(PRELOAD), PRELOAD + " missing");
        Path out = dir.resolve("job.json");
        PhaseTrace.Outcome o = new PhaseTrace(List.of("env", "PYTHONPATH=" + FAKE_TORCH, "/usr/bin/python3", SCRIPT.toString(), "--iters", "20", "--warmup", "3",
                "--wait", "job-fd", "--gpujob-preload", PRELOAD.toString(), "--out", out.toString())).run();
        assertEquals(List.of(), o.problems());
        List<String> names = o.phases().stream().map(p -> p.name() + " " + p.ops()).toList();
        assertEquals(List.of("start 1", "build 1", "eager.warmup 3", "eager.infer 20", "eager.report 1", "graph.warmup 3", "graph.infer 20", "graph.report 1"), names);
        for (PhaseOccurrence p : o.phases()) {
            if (p.name().endsWith(".infer")) assertEquals(20, p.tally().count("getppid"), p.name() + ": one getppid per inference");
            if (p.name().endsWith(".infer")) assertTrue(p.cpuNanos() >= 0 && p.cpuNanos() <= p.nanos() + 20_000_000L, p.toString());
        }
        String json = Files.readString(out);
        // The test sets neither LD_PRELOAD nor GPUJOB_WAIT: the script's re-exec did.
        assertTrue(json.contains("\"gpujobWait\": \"fd\"") && json.contains("\"preload\": \"" + PRELOAD + "\""), json);
        assertTrue(json.contains("\"wait\": \"job-fd\""), json);
    }
}
