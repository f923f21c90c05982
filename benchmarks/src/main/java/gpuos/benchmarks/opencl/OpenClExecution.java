package gpuos.benchmarks.opencl;

import gpuos.benchmarks.SweepAxes;

import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_WRITE_ONLY;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clFinish;

import gpuos.profiler.SyscallDistribution;
import static org.jocl.CL.clSetKernelArg;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Kernel execution: {@code reps} launches of one kernel over {@code bytes / 4} work-items, then one clFinish.
 * Launches queue up asynchronously; the single clFinish is where the host waits (spin, futex or ioctl: that is
 * what the syscall counts show). {@code emptyKernel} keeps the launch shape and drops the work.
 */
public class OpenClExecution extends SweepAxes {
    /** Platform key ({@code pocl}, {@code nvidia}) or {@code auto}: lands in the JSON params so results say where they ran. */
    @Param("auto")
    public String platform;

    private OpenClSession cl;
    private cl_kernel vectorAdd;
    private cl_kernel empty;
    private long[] globalSize;

    @Setup(Level.Trial)
    public void setup() {
        cl = OpenClSession.open(platform);
        int n = bytes / Sizeof.cl_float;
        globalSize = new long[] {n};
        cl_mem a = cl.filledBuffer(CL_MEM_READ_ONLY, n, 1.0f);
        cl_mem b = cl.filledBuffer(CL_MEM_READ_ONLY, n, 2.0f);
        cl_mem c = cl.buffer(CL_MEM_WRITE_ONLY, bytes);
        vectorAdd = cl.kernel(cl.program("vector_add.cl"), "vector_add");
        clSetKernelArg(vectorAdd, 0, Sizeof.cl_mem, Pointer.to(a));
        clSetKernelArg(vectorAdd, 1, Sizeof.cl_mem, Pointer.to(b));
        clSetKernelArg(vectorAdd, 2, Sizeof.cl_mem, Pointer.to(c));
        empty = cl.kernel(cl.program("empty_kernel.cl"), "empty_kernel");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cl.close();
    }

    private static final SyscallDistribution FINISH = SyscallDistribution.named("sync");

    @Benchmark
    public void vectorAdd() {
        launch(vectorAdd);
    }

    @Benchmark
    public void emptyKernel() {
        launch(empty);
    }

    private void launch(cl_kernel kernel) {
        for (int r = 0; r < reps; r++) {
            clEnqueueNDRangeKernel(cl.queue, kernel, 1, null, globalSize, null, 0, null, null);
        }
        // The wait's syscalls per call (sync.* labels): a few memory reads under -prof, nothing without it.
        long before = FINISH.before();
        clFinish(cl.queue);
        FINISH.after(before);
    }
}
