package gpuos.benchmarks.opencl;

import gpuos.benchmarks.SweepAxes;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clReleaseMemObject;

import java.nio.ByteBuffer;
import org.jocl.Pointer;
import org.jocl.cl_mem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The OpenCL runtime without any kernel: what allocating device memory and moving bytes costs in time and in
 * system calls. One operation = {@code reps} repetitions; the sweep varies {@code bytes} and {@code reps}.
 */
public class OpenClRuntime extends SweepAxes {
    /** Platform key ({@code pocl}, {@code nvidia}) or {@code auto}: lands in the JSON params so results say where they ran. */
    @Param("auto")
    public String platform;

    private OpenClSession cl;
    private cl_mem device;
    private Pointer hostIn;
    private Pointer hostOut;

    @Setup(Level.Trial)
    public void setup() {
        cl = OpenClSession.open(platform);
        device = cl.buffer(CL_MEM_READ_WRITE, bytes);
        // Direct buffers: JOCL hands their address to the driver, no JNI array copy inside the timed part.
        hostIn = Pointer.to(ByteBuffer.allocateDirect(bytes));
        hostOut = Pointer.to(ByteBuffer.allocateDirect(bytes));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cl.close();
    }

    /**
     * clCreateBuffer + clReleaseMemObject of {@code bytes}, {@code reps} times. Runtimes may allocate lazily
     * (on first use), so this shows what creation alone costs, not necessarily an allocation.
     */
    @Benchmark
    public void createRelease(Blackhole bh) {
        for (int r = 0; r < reps; r++) {
            cl_mem mem = clCreateBuffer(cl.context, CL_MEM_READ_WRITE, bytes, null, null);
            bh.consume(mem);
            clReleaseMemObject(mem);
        }
    }

    /** Blocking write then blocking read of {@code bytes}, {@code reps} times: the host-device copy path. */
    @Benchmark
    public void writeRead() {
        for (int r = 0; r < reps; r++) {
            clEnqueueWriteBuffer(cl.queue, device, CL_TRUE, 0, bytes, hostIn, 0, null, null);
            clEnqueueReadBuffer(cl.queue, device, CL_TRUE, 0, bytes, hostOut, 0, null, null);
        }
    }
}
