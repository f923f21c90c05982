package gpuos.benchmarks.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clReleaseMemObject;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.jocl.Pointer;
import org.jocl.cl_mem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The OpenCL runtime without any kernel: what allocating device memory and moving bytes costs in time and in
 * system calls. One operation = {@code reps} repetitions; the sweep varies {@code bytes} and {@code reps}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpenClRuntime {
    /** Platform key ({@code pocl}, {@code nvidia}) or {@code auto}: lands in the JSON params so results say where they ran. */
    @Param("auto")
    public String platform;

    @Param("4096")
    public int bytes;

    @Param("1")
    public int reps;

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
