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
Output (H200): to be pasted from
    java -jar suite/target/gpuos.jar Sample03 -p waitPolicy=spin,blocking -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
        -prof gpuos.profiler.LinuxSyscallProfiler
(not yet run: this machine has no GPU; no figures here until they are measured)
*/
