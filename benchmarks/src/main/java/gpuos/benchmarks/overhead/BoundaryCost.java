package gpuos.benchmarks.overhead;

import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.LinuxSyscallProfiler;
import gpuos.profiler.SyscallWindow;
import gpuos.profiler.Tally;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.threads.ThreadClass;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the syscall profiler does at each iteration boundary: open a window, close it, and tally the rows
 * that changed by syscall, role and thread class (target: at most 5 us). One row, this thread's, changes
 * in each window because the operation makes one getppid inside it (SyscallCost gives its price, to
 * subtract); each further changed row costs one more 4 KiB copy and tally.
 *
 * <pre>java -jar suite/target/gpuos.jar BoundaryCost -f 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BoundaryCost {
    private SyscallCounter counter;
    private SyscallWindow window;
    private final long[] excluded = new long[1];

    @Setup(Level.Trial)
    public void attach() {
        counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid());
        window = new SyscallWindow(counter);
    }

    @TearDown(Level.Trial)
    public void detach() {
        LinuxSyscallProfiler.closeLastWindow(); // first: the teardown stays out of the last iteration's window
        counter.close();
    }

    @Benchmark
    public Tally boundary() {
        window.open();
        Getppid.call();
        int rows = window.close();
        return window.tally(rows, r -> ThreadClass.WORKER, fd -> IoctlTarget.OTHER, -1, excluded);
    }
}
