package gpuos.benchmarks.cuda;

import gpuos.benchmarks.SweepAxes;
import gpuos.profiler.SyscallDistribution;


import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Kernel execution through the CUDA driver: {@code reps} launches on the NULL stream, then one cuCtxSynchronize,
 * where the host waits as {@code waitPolicy} says (spin, sched_yield, or sleep: the syscall counts show which).
 * {@code launchSync} synchronizes after every launch instead: the launch round trip, per wait policy, that
 * natives' {@code cuda-roundtrip} measures in C without the JVM. Under the syscall profiler (bpf) it also reports how
 * many syscalls each of its cuCtxSynchronize calls saw ({@code sync.*} labels: which calls slept, not just the mean).
 *
 * <p>{@code bytes} sets the grid ({@code bytes / 4} threads in blocks of 256) of emptyKernel, vectorAdd and
 * launchSync; {@code gpuNanos} is used by {@code spin} only, whose one thread keeps the GPU busy that long, so
 * GPU time is an axis apart from bytes. The other methods ignore it: sweep it in a part that includes spin alone.
 */
public class CudaExecution extends SweepAxes {
    /** How cuCtxSynchronize waits: {@code auto}, {@code spin}, {@code yield}, {@code blocking} ({@link WaitPolicy}). */
    @Param("auto")
    public String waitPolicy;

    /** GPU busy time of one {@code spin} launch, in nanoseconds (the kernel reads %globaltimer). */
    @Param("10000")
    public long gpuNanos;

    /** Syscalls per cuCtxSynchronize of launchSync; records only while the profiler's bpf backend runs (~15 ns a call). */
    private static final SyscallDistribution SYNC_CALLS = SyscallDistribution.named("sync");

    private CudaSession cuda;
    private CUfunction vectorAdd;
    private CUfunction empty;
    private CUfunction spin;
    private Pointer vectorAddParams;
    private Pointer spinParams;
    private int blocks;

    @Setup(Level.Trial)
    public void setup() {
        cuda = CudaSession.open(WaitPolicy.parse(waitPolicy));
        int n = bytes / Sizeof.FLOAT;
        blocks = CudaSession.blocksFor(n);
        CUdeviceptr a = cuda.filledBuffer(n, 1.0f);
        CUdeviceptr b = cuda.filledBuffer(n, 2.0f);
        CUdeviceptr c = cuda.deviceBuffer((long) n * Sizeof.FLOAT);
        vectorAdd = cuda.kernel("vector_add");
        vectorAddParams = Pointer.to(Pointer.to(a), Pointer.to(b), Pointer.to(c), Pointer.to(new int[] {n}));
        empty = cuda.kernel("empty_kernel");
        spin = cuda.kernel("spin_kernel");
        spinParams = Pointer.to(Pointer.to(new long[] {gpuNanos}));
    }

    @Setup(Level.Iteration)
    public void bindContext() {
        cuda.makeCurrent();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cuda.close();
    }

    /** {@code reps} launches of an empty kernel, one synchronize: launch cost with no GPU work. */
    @Benchmark
    public void emptyKernel() {
        for (int r = 0; r < reps; r++) CudaSession.launch(empty, blocks, CudaSession.BLOCK, null);
        CudaSession.synchronize();
    }

    /** {@code reps} launches of c = a + b over {@code bytes / 4} floats, one synchronize. */
    @Benchmark
    public void vectorAdd() {
        for (int r = 0; r < reps; r++) CudaSession.launch(vectorAdd, blocks, CudaSession.BLOCK, vectorAddParams);
        CudaSession.synchronize();
    }

    /** {@code reps} launches that each keep the GPU busy {@code gpuNanos}, one synchronize: how the host waits out GPU time. */
    @Benchmark
    public void spin() {
        for (int r = 0; r < reps; r++) CudaSession.launch(spin, 1, 1, spinParams);
        CudaSession.synchronize();
    }

    /** {@code reps} x (launch an empty kernel, synchronize): the launch round trip per wait policy. */
    @Benchmark
    public void launchSync() {
        for (int r = 0; r < reps; r++) {
            CudaSession.launch(empty, blocks, CudaSession.BLOCK, null);
            SYNC_CALLS.around(CudaSession::synchronize);
        }
    }
}
