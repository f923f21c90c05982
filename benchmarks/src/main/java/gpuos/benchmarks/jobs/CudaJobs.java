package gpuos.benchmarks.jobs;

import gpuos.natives.cuda.Ptx;
import gpuos.natives.gpujob.CudaKernel;
import gpuos.natives.gpujob.GpuJobBackend;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The jobs family on CUDA (device 0, primary context): each job is a CUDA graph captured once. Baselines, not
 * repeated here: {@code CudaExecution.launchSync} and {@code spin} with {@code waitPolicy} auto, spin, yield,
 * blocking (the same kernels and grid through plain launches and cuCtxSynchronize).
 */
public class CudaJobs extends JobBenchmark {
    /** GPU busy time of one {@code spin} job, in nanoseconds (the kernel reads %globaltimer). */
    @Param("100000")
    public long gpuNanos;

    @Setup(Level.Trial)
    public void setup() {
        GpuJobBackend backend = JobBackends.cuda();
        CudaKernel empty = CudaKernel.load(backend, Ptx.image("empty_kernel"), "empty_kernel");
        CudaKernel spin = CudaKernel.load(backend, Ptx.image("spin_kernel"), "spin_kernel");
        start(backend, empty.launch(blocksFor(bytes / 4), THREADS_PER_BLOCK), spin.launch(1, 1, gpuNanos), empty, spin);
    }

    /** Threads per block of the empty kernel, as CudaSession.BLOCK. */
    static final int THREADS_PER_BLOCK = 256;

    static int blocksFor(long threads) {
        return (int) Math.max(1, (threads + THREADS_PER_BLOCK - 1) / THREADS_PER_BLOCK);
    }
}
