package gpuos.benchmarks.samples;

import gpuos.benchmarks.SweepAxes;
import gpuos.benchmarks.cuda.CudaSession;
import gpuos.benchmarks.cuda.WaitPolicy;
import gpuos.profiler.SyscallDistribution;
import jcuda.driver.CUfunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sample 03: how the wait sleeps decides the system calls. The same round trip as sample 02 (launch an empty
 * kernel, {@code cuCtxSynchronize}; {@code reps} of them per op), the same GPU work, under two context flags:
 *
 * <ul>
 *   <li>{@code waitPolicy=spin} ({@code CU_CTX_SCHED_SPIN}): the worker polls a completion value in mapped memory
 *       until the GPU writes it. Look for {@code sync.hist.0} equal to {@code sync.invocations} and next to no
 *       {@code syscalls.*.norm}; the price is CPU: {@code cpu.worker.norm} close to the time per op, one core
 *       burnt while it waits.</li>
 *   <li>{@code waitPolicy=blocking} ({@code CU_CTX_SCHED_BLOCKING_SYNC}): the worker sleeps until the driver's
 *       interrupt handler wakes it, and sleeping and waking are system calls, on the worker and on the CUDA
 *       runtime's own threads ({@code syscalls.thread.runtime.norm}). Look for {@code sync.blocked} close to
 *       {@code sync.invocations}, the calls by name ({@code futex}, {@code poll}, ...), less CPU per op and more
 *       time.</li>
 * </ul>
 *
 * Neither is the wrong one: spin buys latency with a core, blocking gives the core back and pays in syscalls and
 * wake-up time. The GPU did the same in both; only the host's way of waiting changed. Without a CUDA driver or GPU,
 * trial setup fails with the one line of {@code CudaAvailability.SKIPPED}, as every CUDA benchmark does.
 *
 * <p>HOW TO RUN (as root, on a GPU node, after {@code mvn -B -q package -DskipTests}):
 * <pre>java -jar suite/target/gpuos.jar Sample03 -p waitPolicy=spin,blocking -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
 *     -prof gpuos.profiler.LinuxSyscallProfiler</pre>
 *
 * <p>Read the per-iteration lines, or JMH's summary table: every iteration is counted, the last too
 * ({@code SweepAxes} closes its window before the trial teardown, a context's destruction).
 */
public class Sample03BlockingVsSpin extends SweepAxes {
    /** The context's CU_CTX_SCHED_* flag ({@link WaitPolicy}); this sample compares two of the four. */
    @Param({"spin", "blocking"})
    public String waitPolicy;

    private static final SyscallDistribution SYNC_CALLS = SyscallDistribution.named("sync");

    private CudaSession cuda;
    private CUfunction empty;

    @Setup(Level.Trial)
    public void setup() {
        cuda = CudaSession.open(WaitPolicy.parse(waitPolicy));
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
    public void roundTrip() {
        for (int r = 0; r < reps; r++) {
            CudaSession.launch(empty, 1, CudaSession.BLOCK, null);
            SYNC_CALLS.around(CudaSession::synchronize);
        }
    }
}

/*
Output (H200, driver 580.159.04, bundle of commit 1ea38fb; 2026-12-02, reference-runs/gpu-node/device-e.sh), the summary
lines that the text above talks about:
    java -jar suite/target/gpuos.jar Sample03 -p waitPolicy=spin,blocking -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
        -prof gpuos.profiler.LinuxSyscallProfiler

Benchmark                                                      (bytes)  (reps)  (waitPolicy)  Mode  Cnt      Score        Error    Units
Sample03BlockingVsSpin.roundTrip                                  4096       1          spin  avgt    3      9.653 ±      7.391    us/op
Sample03BlockingVsSpin.roundTrip:cpu.process.norm                 4096       1          spin  avgt    3  12662.207 ±  57333.972    ns/op
Sample03BlockingVsSpin.roundTrip:cpu.worker.norm                  4096       1          spin  avgt    3   9673.873 ±   7468.921    ns/op
Sample03BlockingVsSpin.roundTrip:sync.blocked                     4096       1          spin  avgt    3      2.333 ±     42.132   #/iter
Sample03BlockingVsSpin.roundTrip:sync.hist.0                      4096       1          spin  avgt    3  20764.667 ±  15962.051   #/iter
Sample03BlockingVsSpin.roundTrip:sync.invocations                 4096       1          spin  avgt    3  20767.000 ±  16000.150   #/iter
Sample03BlockingVsSpin.roundTrip:sync.syscalls                    4096       1          spin  avgt    3      2.667 ±     52.665   #/iter
Sample03BlockingVsSpin.roundTrip:syscalls.futex.norm              4096       1          spin  avgt    3      0.005 ±      0.055     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.poll.norm               4096       1          spin  avgt    3     ≈ 10⁻⁴                  #/op
Sample03BlockingVsSpin.roundTrip:syscalls.thread.runtime.norm     4096       1          spin  avgt    3     ≈ 10⁻⁴                  #/op
Sample03BlockingVsSpin.roundTrip:syscalls.thread.worker.norm      4096       1          spin  avgt    3     ≈ 10⁻³                  #/op
Sample03BlockingVsSpin.roundTrip:syscalls.total.norm              4096       1          spin  avgt    3      0.005 ±      0.054     #/op
Sample03BlockingVsSpin.roundTrip                                  4096       1      blocking  avgt    3     28.943 ±     15.499    us/op
Sample03BlockingVsSpin.roundTrip:cpu.process.norm                 4096       1      blocking  avgt    3  40225.597 ± 112127.575    ns/op
Sample03BlockingVsSpin.roundTrip:cpu.worker.norm                  4096       1      blocking  avgt    3  15148.793 ±  15651.281    ns/op
Sample03BlockingVsSpin.roundTrip:sync.blocked                     4096       1      blocking  avgt    3   7728.000 ±  10417.964   #/iter
Sample03BlockingVsSpin.roundTrip:sync.hist.0                      4096       1      blocking  avgt    3     39.000 ±    110.972   #/iter
Sample03BlockingVsSpin.roundTrip:sync.invocations                 4096       1      blocking  avgt    3   7767.000 ±  10462.405   #/iter
Sample03BlockingVsSpin.roundTrip:sync.syscalls                    4096       1      blocking  avgt    3  40359.000 ±  54028.294   #/iter
Sample03BlockingVsSpin.roundTrip:syscalls.futex.norm              4096       1      blocking  avgt    3      2.035 ±      0.397     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.poll.norm               4096       1      blocking  avgt    3      1.214 ±      0.356     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.read.norm               4096       1      blocking  avgt    3      0.994 ±      0.012     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.thread.runtime.norm     4096       1      blocking  avgt    3      3.217 ±      0.485     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.thread.worker.norm      4096       1      blocking  avgt    3      2.010 ±      0.185     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.total.norm              4096       1      blocking  avgt    3      5.240 ±      0.694     #/op
Sample03BlockingVsSpin.roundTrip:syscalls.write.norm              4096       1      blocking  avgt    3      0.994 ±      0.011     #/op

Reading: the same launch and the same GPU, two policies. Spin: 9.7 us per round trip, 0.005 syscalls per op, and
the worker's CPU equals the wall time. Blocking: 28.9 us, 5.24 syscalls per op (futex 2.0, poll 1.2, read 1.0,
write 1.0; 2.0 on the worker, 3.2 on the driver's helper thread), 99.5% of the synchronize calls entered the kernel.
One fork: the +- are JMH's, over 3 iterations.
*/
