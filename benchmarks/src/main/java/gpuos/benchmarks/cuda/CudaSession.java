package gpuos.benchmarks.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;

import gpuos.natives.cuda.Ptx;
import java.util.ArrayDeque;
import java.util.Deque;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * Everything CUDA benchmarks share, through the driver API only: device 0, one context created with the
 * {@link WaitPolicy}'s flag, kernels from the PTX that natives/ carries, memory. What is made through it is freed,
 * newest first, by {@link #close()}, so a benchmark's trial teardown is one line. Driver errors arrive as
 * {@link jcuda.CudaException} named by their CUresult (enabled once, in {@link CudaAvailability}).
 *
 * <p>A context is current per thread: JMH runs trial setup, iterations and teardown on its worker threads, so a
 * benchmark calls {@link #makeCurrent()} in an iteration-level setup (a thread-local store, no system call).
 */
public final class CudaSession implements AutoCloseable {
    /** Threads per block of every launch. */
    public static final int BLOCK = 256;

    public final WaitPolicy waitPolicy;
    public final CUdevice device = new CUdevice();
    public final CUcontext context = new CUcontext();
    private final Deque<Runnable> releases = new ArrayDeque<>();

    private CudaSession(WaitPolicy waitPolicy) {
        this.waitPolicy = waitPolicy;
        cuDeviceGet(device, 0);
        cuCtxCreate(context, waitPolicy.contextFlag, device);
    }

    /**
     * A session whose context waits as {@code policy} says (a {@code waitPolicy} param: {@link WaitPolicy#parse}).
     * Throws {@link IllegalStateException} ({@link CudaAvailability#SKIPPED} ...) without a GPU.
     */
    public static CudaSession open(WaitPolicy policy) {
        CudaAvailability.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        return new CudaSession(policy);
    }

    /** Makes this session's context current on the calling thread. */
    public void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** The entry of one of {@link Ptx#KERNELS}, its module unloaded with the session. */
    public CUfunction kernel(String name) {
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, Ptx.image(name));
        releases.push(() -> cuModuleUnload(module));
        CUfunction function = new CUfunction();
        cuModuleGetFunction(function, module, name);
        return function;
    }

    /** Device memory freed with the session. */
    public CUdeviceptr deviceBuffer(long bytes) {
        CUdeviceptr ptr = new CUdeviceptr();
        cuMemAlloc(ptr, bytes);
        releases.push(() -> cuMemFree(ptr));
        return ptr;
    }

    /**
     * {@code floats} floats of device memory, every one {@code value}, freed with the session: defined inputs, not
     * whatever the allocator left.
     */
    public CUdeviceptr filledBuffer(int floats, float value) {
        CUdeviceptr ptr = deviceBuffer((long) floats * Float.BYTES);
        float[] host = new float[floats];
        java.util.Arrays.fill(host, value);
        cuMemcpyHtoD(ptr, Pointer.to(host), (long) floats * Float.BYTES);
        return ptr;
    }

    /** Page-locked host memory (cuMemAllocHost), freed with the session. */
    public Pointer pinnedHostBuffer(long bytes) {
        Pointer ptr = new Pointer();
        cuMemAllocHost(ptr, bytes);
        releases.push(() -> cuMemFreeHost(ptr));
        return ptr;
    }

    /** A stream (default flags: it also waits for the NULL stream), destroyed with the session. */
    public CUstream stream() {
        CUstream stream = new CUstream();
        cuStreamCreate(stream, 0);
        releases.push(() -> cuStreamDestroy(stream));
        return stream;
    }

    /** Runs {@code release} when the session closes, before whatever was made earlier is released. */
    public void onClose(Runnable release) {
        releases.push(release);
    }

    /** Blocks of {@link #BLOCK} threads covering {@code threads} (at least one block). */
    public static int blocksFor(long threads) {
        return (int) Math.max(1, (threads + BLOCK - 1) / BLOCK);
    }

    /** Queues a 1-D launch on the NULL stream; returns at once (launches are asynchronous). */
    public static void launch(CUfunction kernel, int blocks, int threadsPerBlock, Pointer params) {
        cuLaunchKernel(kernel, blocks, 1, 1, threadsPerBlock, 1, 1, 0, null, params, null);
    }

    /** Waits, as the wait policy says, until every launch of this context finished. */
    public static void synchronize() {
        cuCtxSynchronize();
    }

    @Override
    public void close() {
        makeCurrent(); // teardown may run on another thread than setup
        try {
            while (!releases.isEmpty()) releases.pop().run();
        } finally {
            cuCtxDestroy(context);
        }
    }
}
