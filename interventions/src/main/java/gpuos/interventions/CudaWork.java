package gpuos.interventions;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;

import gpuos.benchmarks.cuda.CudaSession;
import gpuos.benchmarks.cuda.WaitPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * What a CUDA intervention works on: one context (wait policy from the intervention), and one work item =
 * one launch of {@code accumulate}: {@code c += a + b} over {@code bytes / 4} floats in blocks of 256
 * ({@code natives/src/main/cuda/accumulate.cu}). {@code accumulate_fused} does {@code items} of them in one
 * launch with a bit-identical result. Everything made here or through {@link #cuda} is freed at teardown.
 */
public final class CudaWork implements AutoCloseable {
    public final int bytes;
    public final int reps;
    public final int floats;
    public final int blocks;
    public final Knobs knobs;
    public final CudaSession cuda;
    public final CUfunction accumulate;
    public final CUfunction accumulateFused;
    /** Inputs (1.0 and 2.0 everywhere) and the accumulator (0 at setup), {@code bytes} each. */
    public final CUdeviceptr a, b, c;
    private final Pointer itemParams;
    private final Pointer fusedParams;
    private ByteBuffer pageable;
    private Pointer pinned;

    /** Made by the runner, once per fork: opens the context with {@code waitPolicy}. */
    public CudaWork(int bytes, int reps, WaitPolicy waitPolicy, Knobs knobs) {
        this.bytes = bytes;
        this.reps = reps;
        this.knobs = knobs;
        this.floats = bytes / Sizeof.FLOAT;
        this.blocks = CudaSession.blocksFor(floats);
        this.cuda = CudaSession.open(waitPolicy);
        try {
            accumulate = cuda.kernel("accumulate");
            accumulateFused = cuda.kernel("accumulate_fused");
            a = cuda.filledBuffer(floats, 1.0f);
            b = cuda.filledBuffer(floats, 2.0f);
            c = cuda.filledBuffer(floats, 0.0f);
            itemParams = params(a);
            fusedParams = Pointer.to(Pointer.to(a), Pointer.to(b), Pointer.to(c), Pointer.to(new int[] {floats}), Pointer.to(new int[] {reps}));
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
    }

    /** Queues one work item on the NULL stream. */
    public void launchItem() {
        launchItem(itemParams, null);
    }

    /** Queues one work item on {@code stream}. */
    public void launchItem(CUstream stream) {
        launchItem(itemParams, stream);
    }

    /** Queues one work item that reads {@code input} (at least {@code bytes}) instead of {@link #a}. */
    public void launchItemFrom(CUdeviceptr input, CUstream stream) {
        launchItem(params(input), stream);
    }

    /** Queues {@code reps} work items as one launch of the fused kernel, on the NULL stream. */
    public void launchFused() {
        cuLaunchKernel(accumulateFused, blocks, 1, 1, CudaSession.BLOCK, 1, 1, 0, null, fusedParams, null);
    }

    /** Waits, as the context's wait policy says, until everything queued in the context finished. */
    public void synchronize() {
        CudaSession.synchronize();
    }

    /** {@code bytes} of ordinary (pageable) host memory with defined contents, made on first use. */
    public Pointer pageableHost() {
        if (pageable == null) {
            pageable = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            for (int i = 0; i < floats; i++) pageable.putFloat(i * Sizeof.FLOAT, 1.0f);
        }
        return Pointer.to(pageable);
    }

    /** {@code bytes} of page-locked host memory (cuMemAllocHost) with defined contents, made on first use. */
    public Pointer pinnedHost() {
        if (pinned == null) {
            Pointer p = new Pointer();
            cuMemAllocHost(p, bytes);
            cuda.onClose(() -> cuMemFreeHost(p));
            ByteBuffer view = p.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
            for (int i = 0; i < floats; i++) view.putFloat(i * Sizeof.FLOAT, 1.0f);
            pinned = p;
        }
        return pinned;
    }

    /** A copy of the accumulator (tests). */
    public float[] result() {
        float[] out = new float[floats];
        cuMemcpyDtoH(Pointer.to(out), c, (long) floats * Sizeof.FLOAT);
        return out;
    }

    @Override
    public void close() {
        cuda.close();
    }

    private void launchItem(Pointer params, CUstream stream) {
        cuLaunchKernel(accumulate, blocks, 1, 1, CudaSession.BLOCK, 1, 1, 0, stream, params, null);
    }

    private Pointer params(CUdeviceptr input) {
        return Pointer.to(Pointer.to(input), Pointer.to(b), Pointer.to(c), Pointer.to(new int[] {floats}));
    }
}
