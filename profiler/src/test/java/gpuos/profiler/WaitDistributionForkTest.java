package gpuos.profiler;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import gpuos.profiler.fixtures.WaitMixBenchmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real JMH forks of {@link WaitMixBenchmark}: the profiler's sync.* labels in the JSON must show blocked share 0.25,
 * all of it in bucket 2-3, one invocation per op, in exactly the iterations that carry the syscall labels.
 */
class WaitDistributionForkTest {
    private static final int ITERATIONS = 3;
    private static RunResult mix;
    private static JsonObject mixJson;

    @TempDir
    static Path dir;

    @BeforeAll
    static void runMix() throws Exception {
        assumeTrue(LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty(), () -> "eBPF syscall counter unavailable: " + LinuxSyscallProfiler.bpfUnsupportedReason().orElse(""));
        Path json = dir.resolve("mix.json");
        mix = new Runner(options("mix", true).result(json.toString()).resultFormat(ResultFormatType.JSON).build()).run().iterator().next();
        mixJson = JsonParser.parseString(Files.readString(json)).getAsJsonArray().get(0).getAsJsonObject();
    }

    @Test
    void blockedShareIsAQuarterAndAllOfItInBucketTwoToThree() {
        JsonObject metrics = mixJson.getAsJsonObject("secondaryMetrics");
        List<Double> invocations = raw(metrics, "sync.invocations");
        assertEquals(ITERATIONS - 1, invocations.size(), "one value per counted iteration: " + invocations);
        for (int i = 0; i < invocations.size(); i++) {
            double n = invocations.get(i);
            double slack = 1 + n * 1e-4; // a JVM thread's rare syscall inside a window moves one invocation
            double blocked = raw(metrics, "sync.blocked").get(i);
            String at = "iteration " + (i + 1) + ": " + n + " invocations, " + blocked + " blocked";
            assertTrue(n > 10_000, at);
            assertEquals(0.25, blocked / n, slack / n, at);
            assertEquals(blocked, raw(metrics, "sync.hist.2-3").get(i), slack, at);
            assertEquals(n - blocked, raw(metrics, "sync.hist.0").get(i), 0.0, at);
            for (String b : List.of("1", "4-7", "8+")) assertTrue(raw(metrics, "sync.hist." + b).get(i) <= slack, at + ", bucket " + b);
            assertEquals(2 * blocked, raw(metrics, "sync.syscalls").get(i), 8 * slack, at);
        }
    }

    @Test
    void oneInvocationPerOpInTheIterationsThatCarryTheSyscallLabels() {
        List<IterationResult> its = List.copyOf(mix.getBenchmarkResults().iterator().next().getIterationResults());
        assertEquals(ITERATIONS, its.size());
        for (IterationResult it : its.subList(0, ITERATIONS - 1)) {
            Map<String, Result> s = it.getSecondaryResults();
            long ops = it.getMetadata().getAllOps();
            assertEquals(ops, s.get("sync.invocations").getScore(), 0.0, "every op of the window, JMH's sync ops too");
            // The profiler's own count of the worker's getppid: the recorder saw every one of them. Anything else it
            // saw is a syscall of the window too: the JVM's on the worker inside a call (a compile request's futex,
            // a deoptimisation's mprotect) or a thread the JVM started mid-iteration, which counts until decided
            // (issue 14: +7 in 21342 once on the loaded build machine). So the window's total bounds it above.
            double getppid = s.get("syscalls.getppid.norm").getScore() * ops;
            double recorded = s.get("sync.syscalls").getScore();
            double window = s.get("syscalls.total.norm").getScore() * ops;
            assertTrue(recorded >= getppid - 0.5 && recorded <= window + 0.5,
                    "getppid counted by the profiler " + getppid + " <= inside the recorded calls " + recorded + " <= the window's total " + window);
            assertEquals("#/iter", s.get("sync.blocked").getScoreUnit());
        }
        assertTrue(its.get(ITERATIONS - 1).getSecondaryResults().keySet().stream().noneMatch(l -> l.startsWith("sync.") || l.startsWith("syscalls.")),
                "the left-out last iteration carries neither");
    }

    @Test
    void withoutTheProfilerNothingIsRecordedAndTheForkSaysSoOnce() throws Exception {
        List<RunResult> plain = new ArrayList<>();
        String[] out = capture(() -> plain.addAll(new Runner(options("mix", false).build()).run()));
        for (IterationResult it : plain.getFirst().getBenchmarkResults().iterator().next().getIterationResults()) {
            assertTrue(it.getSecondaryResults().keySet().stream().noneMatch(l -> l.startsWith("sync.")), it.getSecondaryResults().keySet().toString());
        }
        assertEquals(1, count(out[1], "'sync' syscall distribution not recorded: no syscall profiler"), out[1]);
    }

    /**
     * What recording costs per wait call: an empty recorded window. JVM threads are not read, so 200 more of them
     * change nothing: a read sums the worker's row (and rows first seen in the iteration) only.
     */
    @Test
    void anEmptyRecordedWindowCostsAFewLoads() throws Exception {
        List<RunResult> runs = new ArrayList<>();
        String[] out = capture(() -> runs.addAll(new Runner(options("recordedNothing", true).param("idleThreads", "0", "200").build()).run()));
        List<Integer> rows = new ArrayList<>();
        Matcher m = Pattern.compile("gpuos-test rows read: (-?\\d+)").matcher(out[0]);
        while (m.find()) rows.add(Integer.parseInt(m.group(1)));
        StringBuilder said = new StringBuilder();
        for (RunResult r : runs) {
            double ns = r.getPrimaryResult().getScore();
            said.append(String.format("idleThreads=%s: %.1f ns; ", r.getParams().getParam("idleThreads"), ns));
            // The idle threads are the benchmark's own, so workload threads (docs/results-format.md): a read sums their
            // rows too. The cost is a benchmark's to state, not a timed test's: on the loaded 2-core build machine one
            // fork read 287 ns where a quiet one reads ~20 (issue 14). What decides the cost is asserted below,
            // exactly: the rows a read sums. This bound only catches a read gone wrong by orders of magnitude.
            // A read sums one row per workload thread: 200 idle threads read 5.1 us once under load (CI, 2 cores).
            int idle = Integer.parseInt(r.getParams().getParam("idleThreads"));
            assertTrue(ns < 5_000 + 200.0 * idle, ns + " ns per empty recorded call, " + idle + " idle threads");
        }
        System.out.println("WaitDistributionForkTest cost per recorded call: " + said + "rows read per iteration: " + rows);
        // One per iteration (warmup included) and fork. Rows first seen in an iteration count in it (the 200 idle
        // threads in the warmup; now and then a JVM thread's first call later), then only the worker's.
        assertEquals(2 * (1 + ITERATIONS), rows.size(), "rows said: " + rows);
        assertTrue(rows.get(1 + ITERATIONS) > 200, "the idle threads are read while undecided: " + rows);
        // Then only the workload's rows: the worker (and its 200 idle threads), never the JVM's ~20 threads.
        for (int fork = 0; fork < 2; fork++) {
            List<Integer> measured = rows.subList(fork * (1 + ITERATIONS) + 1, (fork + 1) * (1 + ITERATIONS));
            int workload = 1 + 200 * fork;
            assertTrue(measured.stream().allMatch(n -> n >= workload && n < workload + 4), "fork " + fork + ": " + rows);
        }
    }

    /** Runs {@code run}, returning what it wrote to stdout and stderr (where JMH copies its forks' output) too. */
    private static String[] capture(ThrowingRunnable run) throws Exception {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeOutputStream(out, o), true));
        System.setErr(new PrintStream(new TeeOutputStream(err, e), true));
        try {
            run.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {o.toString(), e.toString()};
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a, b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override public void write(int x) throws IOException { a.write(x); b.write(x); }

        @Override public void write(byte[] buf, int off, int len) throws IOException { a.write(buf, off, len); b.write(buf, off, len); }

        @Override public void flush() throws IOException { a.flush(); b.flush(); }
    }

    private static ChainedOptionsBuilder options(String method, boolean profiled) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(WaitMixBenchmark.class.getName() + "." + method + "$")
                .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(ITERATIONS).measurementTime(TimeValue.milliseconds(200))
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED");
        return profiled ? b.addProfiler(LinuxSyscallProfiler.class) : b;
    }

    private static List<Double> raw(JsonObject metrics, String label) {
        JsonObject metric = metrics.getAsJsonObject(label);
        assertTrue(metric != null, label + " missing from " + metrics.keySet());
        JsonArray forks = metric.getAsJsonArray("rawData");
        List<Double> out = new ArrayList<>();
        for (JsonElement v : forks.get(0).getAsJsonArray()) out.add(v.getAsDouble());
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) n++;
        return n;
    }
}
