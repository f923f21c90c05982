package gpuos.benchmarks.overhead;

import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.LinuxSyscallProfiler;

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
 * What the syscall profiler adds to each system call it counts: one getppid with the eBPF counter
 * attached to this process ({@code counter=bpf}) against none ({@code counter=off}). The difference is
 * the added ns per counted syscall (target: at most 100 ns). {@code counter=floor} attaches the same
 * program filtering out every process: the part of the cost that is the kernel's sys_enter tracepoint
 * path, paid by any eBPF or perf syscall counter, and not ours to reduce.
 *
 * <pre>java -jar suite/target/gpuos.jar SyscallCost -f 5</pre>
 * Run it without {@code -prof}: the benchmark attaches the counter itself, so both variants run in the
 * same harness.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SyscallCost {
    @Param({"off", "floor", "bpf"})
    public String counter;

    private SyscallCounter attached;

    @Setup(Level.Trial)
    public void attach() {
        attached = switch (counter) {
            case "off" -> null;
            case "floor" -> SyscallCounter.attachedCountingNothing();
            case "bpf" -> SyscallCounter.forProcess((int) ProcessHandle.current().pid());
            default -> throw new IllegalArgumentException("counter must be off, floor or bpf, got '" + counter + "'");
        };
    }

    @TearDown(Level.Trial)
    public void detach() {
        LinuxSyscallProfiler.closeLastWindow(); // first: the teardown stays out of the last iteration's window
        if (attached != null) attached.close();
    }

    @Benchmark
    public int getppid() {
        return Getppid.call();
    }
}
