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
Output (H200, driver 580.159.04, bundle of commit 1ea38fb; 2026-12-02, reference-runs/gpu-node/device-e.sh), the summary
lines that the text above talks about:
    java -jar suite/target/gpuos.jar Sample02 -p reps=1,16 -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
        -prof gpuos.profiler.LinuxSyscallProfiler

Benchmark                                                        (bytes)  (reps)  Mode  Cnt       Score        Error    Units
Sample02EmptyLaunch.launchThenWait                                  4096       1  avgt    3      27.815 ±     33.685    us/op
Sample02EmptyLaunch.launchThenWait:cpu.worker.norm                  4096       1  avgt    3   14834.523 ±  29309.937    ns/op
Sample02EmptyLaunch.launchThenWait:launch.hist.0                    4096       1  avgt    3    7054.667 ±   6896.521   #/iter
Sample02EmptyLaunch.launchThenWait:launch.invocations               4096       1  avgt    3    7221.000 ±   9087.590   #/iter
Sample02EmptyLaunch.launchThenWait:launch.syscalls                  4096       1  avgt    3     171.333 ±   2159.577   #/iter
Sample02EmptyLaunch.launchThenWait:sync.invocations                 4096       1  avgt    3    7221.000 ±   9087.590   #/iter
Sample02EmptyLaunch.launchThenWait:sync.syscalls                    4096       1  avgt    3   37799.000 ±  56970.846   #/iter
Sample02EmptyLaunch.launchThenWait:syscalls.poll.norm               4096       1  avgt    3       1.269 ±      1.614     #/op
Sample02EmptyLaunch.launchThenWait:syscalls.thread.runtime.norm     4096       1  avgt    3       3.265 ±      1.690     #/op
Sample02EmptyLaunch.launchThenWait:syscalls.thread.worker.norm      4096       1  avgt    3       2.001 ±      0.029     #/op
Sample02EmptyLaunch.launchThenWait:syscalls.total.norm              4096       1  avgt    3       5.283 ±      1.493     #/op
Sample02EmptyLaunch.launchThenWait                                  4096      16  avgt    3      91.612 ±    128.113    us/op
Sample02EmptyLaunch.launchThenWait:cpu.worker.norm                  4096      16  avgt    3   77557.232 ± 120260.865    ns/op
Sample02EmptyLaunch.launchThenWait:launch.hist.0                    4096      16  avgt    3   32995.333 ±  44623.871   #/iter
Sample02EmptyLaunch.launchThenWait:launch.invocations               4096      16  avgt    3   35104.000 ±  47185.815   #/iter
Sample02EmptyLaunch.launchThenWait:launch.syscalls                  4096      16  avgt    3    2110.667 ±   2565.195   #/iter
Sample02EmptyLaunch.launchThenWait:sync.invocations                 4096      16  avgt    3    2194.000 ±   2949.113   #/iter
Sample02EmptyLaunch.launchThenWait:sync.syscalls                    4096      16  avgt    3   10972.667 ±  14877.768   #/iter
Sample02EmptyLaunch.launchThenWait:syscalls.poll.norm               4096      16  avgt    3       1.990 ±      0.073     #/op
Sample02EmptyLaunch.launchThenWait:syscalls.thread.runtime.norm     4096      16  avgt    3       3.982 ±      0.165     #/op
Sample02EmptyLaunch.launchThenWait:syscalls.thread.worker.norm      4096      16  avgt    3       1.995 ±      0.069     #/op
Sample02EmptyLaunch.launchThenWait:syscalls.total.norm              4096      16  avgt    3       6.013 ±      0.338     #/op

Reading: the worker makes 2.00 syscalls per op at reps=1 and at reps=16 (its share of the blocking wait), so
sixteen launches cost it nothing more than one. 97.7% (reps=1) and 94.0% (reps=16) of the
launches saw no syscall at all; the rest overlapped the helper thread's poll, which the recorders count too
(runtime-thread syscalls per op rise from 3.27 to 3.98, all of it poll). One fork: the +- are JMH's, over 3 iterations.
*/
