package gpuos.benchmarks.samples;

import gpuos.benchmarks.SweepAxes;
import gpuos.benchmarks.cuda.CudaSession;
import gpuos.benchmarks.cuda.WaitPolicy;
import gpuos.profiler.SyscallDistribution;
import jcuda.driver.CUfunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sample 02: a kernel launch is invisible to the OS; only the wait can make system calls. One operation is
 * {@code reps} launches of an empty kernel (one block) and one {@code cuCtxSynchronize}, and two recorders
 * ({@link SyscallDistribution}) count the syscalls entered during each call, apart:
 *
 * <ul>
 *   <li>{@code launch.*}: cuLaunchKernel writes the launch into a command buffer that the driver mapped into the
 *       process and rings the GPU's doorbell, a store to mapped device memory: user space only. Expect
 *       {@code launch.hist.0} to equal {@code launch.invocations} (a call that shows a syscall anyway caught one of
 *       the CUDA runtime's own threads, which run beside it and are counted too).</li>
 *   <li>{@code sync.*}: the context waits as {@link WaitPolicy#BLOCKING} says, so the worker sleeps until the
 *       GPU's interrupt wakes it, and that sleep is system calls (futex, poll, ...). Sample 03 shows that it is the
 *       wait policy, not the GPU, that decides them.</li>
 * </ul>
 *
 * With {@code reps=16} the launches per op grow 16-fold; look for the syscalls per op to stay where they were: the
 * OS sees one wait, not sixteen launches. Without a CUDA driver or GPU, trial setup fails with the one line of
 * {@code CudaAvailability.SKIPPED}, as every CUDA benchmark does.
 *
 * <p>HOW TO RUN (as root, on a GPU node, after {@code mvn -B -q package -DskipTests}):
 * <pre>java -jar suite/target/gpuos.jar Sample02 -p reps=1,16 -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
 *     -prof gpuos.profiler.LinuxSyscallProfiler</pre>
 *
 * <p>Read the per-iteration lines: {@code launch.syscalls} against {@code sync.syscalls} (counts per iteration),
 * and {@code syscalls.*.norm} (per op). Every iteration is counted, the last too: {@code SweepAxes} closes its
 * window before the trial teardown (a context's destruction), so JMH's summary line is exact as well.
 */
public class Sample02EmptyLaunch extends SweepAxes {
    private static final SyscallDistribution LAUNCH_CALLS = SyscallDistribution.named("launch");
    private static final SyscallDistribution SYNC_CALLS = SyscallDistribution.named("sync");

    private CudaSession cuda;
    private CUfunction empty;

    @Setup(Level.Trial)
    public void setup() {
        cuda = CudaSession.open(WaitPolicy.BLOCKING);
        empty = cuda.kernel("empty_kernel");
    }

    @Setup(Level.Iteration)
    public void bindContext() {
        cuda.makeCurrent();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cuda.close();
    }

    @Benchmark
    public void launchThenWait() {
        for (int r = 0; r < reps; r++) {
            long before = LAUNCH_CALLS.before();
            CudaSession.launch(empty, 1, CudaSession.BLOCK, null);
            LAUNCH_CALLS.after(before);
        }
        SYNC_CALLS.around(CudaSession::synchronize);
    }
}

/*
Output (H200): to be pasted from
    java -jar suite/target/gpuos.jar Sample02 -p reps=1,16 -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
        -prof gpuos.profiler.LinuxSyscallProfiler
(not yet run: this machine has no GPU; no figures here until they are measured)
*/
