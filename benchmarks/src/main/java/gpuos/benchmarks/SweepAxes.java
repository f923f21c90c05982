package gpuos.benchmarks;

import gpuos.profiler.LinuxSyscallProfiler;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every Phase-1 benchmark shares: the two axes of a sweep, {@code bytes} (workload size) and {@code reps}
 * (repetitions, i.e. launches, per operation), and the run settings. JMH's class annotations are inherited
 * and so are {@code @Param} fields of a state's superclass; the defaults keep an ad-hoc run short, the sweep
 * sets the real values. Forks get native access only from here or the command line, never the jar manifest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class SweepAxes {
    /** Workload size in bytes. */
    @Param("4096")
    public int bytes;

    /** Repetitions (launches) per operation. */
    @Param("1")
    public int reps;

    /**
     * Ends the syscall profiler's window of the last measurement iteration before JMH's trial teardown (a CUDA
     * context's destruction), which JMH runs after the iteration teardowns inside that iteration: so the last
     * iteration is counted and JMH's summary line averages every iteration. A no-op in every other iteration and
     * without the profiler. Subclasses keep their own teardowns at {@code Level.Trial}.
     */
    @TearDown(Level.Iteration)
    public void closeSyscallWindow() {
        LinuxSyscallProfiler.closeLastWindow();
    }
}
