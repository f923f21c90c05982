package gpuos.benchmarks.overhead;

import gpuos.natives.NativeLibrary;
import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.LinuxSyscallProfiler;
import gpuos.profiler.syscalls.Tracefs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The counter against the usual tools on a whole program: natives' syscall-fixture making {@code calls}
 * getppid in its main process and as many in a forked child, run bare ({@code tool=none}), under the eBPF
 * counter following it and its child ({@code bpf}), under {@code strace -f -c}, and under {@code perf stat}
 * on the syscall tracepoints. (time(tool) - time(none)) / (2 x calls) is each tool's cost per syscall.
 *
 * <pre>java -jar suite/target/gpuos.jar ToolCost -f 3</pre>
 * Needs root, tracefs mounted, strace and perf installed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ToolCost {
    @Param({"none", "bpf", "strace", "perf"})
    public String tool;

    @Param("5000")
    public int calls;

    private List<String> command;
    private SyscallCounter counter;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
        String fixture = NativeLibrary.file("syscall-fixture").toString();
        command = new ArrayList<>(switch (tool) {
            case "none", "bpf" -> List.<String>of();
            case "strace" -> List.of("strace", "-f", "-c", "-o", "/dev/null");
            case "perf" -> List.of("perf", "stat", "-o", "/dev/null", "-e", "syscalls:sys_enter_*");
            default -> throw new IllegalArgumentException("tool must be none, bpf, strace or perf, got '" + tool + "'");
        });
        command.addAll(List.of(fixture, "0", Integer.toString(calls)));
        if (tool.equals("bpf")) {
            counter = Tracefs.phaseCounter(-1);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        LinuxSyscallProfiler.closeLastWindow(); // first: the teardown stays out of the last iteration's window
        if (counter != null) counter.close();
    }

    @Benchmark
    public int run() throws Exception {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (counter != null) counter.track((int) p.pid());
        int exit = p.waitFor();
        if (exit != 0) throw new IllegalStateException(command + " exited with " + exit);
        return exit;
    }
}
