package gpuos.benchmarks.cuda;

import gpuos.benchmarks.SweepAxes;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import java.nio.ByteBuffer;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CUDA driver without any kernel: what allocating device memory and moving bytes cost in time and in system
 * calls. One operation = {@code reps} repetitions; the sweep varies {@code bytes} and {@code reps}. The same idea
 * as OpenClRuntime, through the CUDA driver API (JCuda), with the host side of copies both pageable and pinned.
 */
public class CudaRuntime extends SweepAxes {
    /** How synchronous copies wait: {@code auto}, {@code spin}, {@code yield}, {@code blocking} ({@link WaitPolicy}). */
    @Param("auto")
    public String waitPolicy;

    private CudaSession cuda;
    private CUdeviceptr device;
    private Pointer pageableIn;
    private Pointer pageableOut;
    private Pointer pinnedIn;
    private Pointer pinnedOut;

    @Setup(Level.Trial)
    public void setup() {
        cuda = CudaSession.open(WaitPolicy.parse(waitPolicy));
        device = cuda.deviceBuffer(bytes);
        // Direct buffers: malloc'd (pageable) memory whose address JCuda hands to the driver as is, so no JNI
        // array copy lands in the timed part. allocateDirect zeroes them, so their pages are already mapped.
        pageableIn = Pointer.to(ByteBuffer.allocateDirect(bytes));
        pageableOut = Pointer.to(ByteBuffer.allocateDirect(bytes));
        pinnedIn = cuda.pinnedHostBuffer(bytes);
        pinnedOut = cuda.pinnedHostBuffer(bytes);
    }

    @Setup(Level.Iteration)
    public void bindContext() {
        cuda.makeCurrent();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cuda.close();
    }

    /** cuMemAlloc + cuMemFree of {@code bytes}, {@code reps} times: the driver's allocator (it may cache, see ioctl counts). */
    @Benchmark
    public void allocFree(Blackhole bh) {
        for (int r = 0; r < reps; r++) {
            CUdeviceptr mem = new CUdeviceptr();
            cuMemAlloc(mem, bytes);
            bh.consume(mem);
            cuMemFree(mem);
        }
    }

    /** cuMemcpyHtoD then cuMemcpyDtoH of {@code bytes} from pageable memory: the driver stages through its own pinned buffers. */
    @Benchmark
    public void copyPageable() {
        for (int r = 0; r < reps; r++) {
            cuMemcpyHtoD(device, pageableIn, bytes);
            cuMemcpyDtoH(pageableOut, device, bytes);
        }
    }

    /** The same copies from cuMemAllocHost (page-locked) memory: DMA straight from and to the host buffers. */
    @Benchmark
    public void copyPinned() {
        for (int r = 0; r < reps; r++) {
            cuMemcpyHtoD(device, pinnedIn, bytes);
            cuMemcpyDtoH(pinnedOut, device, bytes);
        }
    }
}
