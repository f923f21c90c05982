package gpuos.benchmarks.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clSetKernelArg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import gpuos.benchmarks.GpuAssumptions;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;
import org.junit.jupiter.api.Tag;

/** The OpenCL benchmarks on NVIDIA's platform (a GPU node with OCL_ICD_VENDORS set by the bundle's run script). */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class OpenClNvidiaTest {
    private static final Blackhole BH = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @BeforeEach
    void needsNvidiaOpenCl() {
        GpuAssumptions.assumeNvidiaOpenCl();
    }

    @Test
    void vectorAddAddsOnTheGpu() {
        int n = 1024;
        float[] a = new float[n], b = new float[n], c = new float[n], expected = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 2 * i;
            expected[i] = 3 * i;
        }
        try (OpenClSession cl = OpenClSession.open("nvidia")) {
            assertEquals("nvidia", cl.platform.key());
            cl_mem[] mem = {cl.buffer(CL_MEM_READ_WRITE, 4L * n), cl.buffer(CL_MEM_READ_WRITE, 4L * n), cl.buffer(CL_MEM_READ_WRITE, 4L * n)};
            clEnqueueWriteBuffer(cl.queue, mem[0], CL_TRUE, 0, 4L * n, Pointer.to(a), 0, null, null);
            clEnqueueWriteBuffer(cl.queue, mem[1], CL_TRUE, 0, 4L * n, Pointer.to(b), 0, null, null);
            cl_kernel k = cl.kernel(cl.program("vector_add.cl"), "vector_add");
            for (int i = 0; i < 3; i++) clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(mem[i]));
            clEnqueueNDRangeKernel(cl.queue, k, 1, null, new long[] {n}, null, 0, null, null);
            clFinish(cl.queue);
            clEnqueueReadBuffer(cl.queue, mem[2], CL_TRUE, 0, 4L * n, Pointer.to(c), 0, null, null);
        }
        assertArrayEquals(expected, c);
    }

    @Test
    void runtimeBenchmarkMethodsRunOnce() {
        OpenClRuntime b = new OpenClRuntime();
        b.platform = "nvidia";
        b.bytes = 1 << 20;
        b.reps = 3;
        b.setup();
        try {
            b.createRelease(BH);
            b.writeRead();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void executionBenchmarkMethodsRunOnce() {
        OpenClExecution b = new OpenClExecution();
        b.platform = "nvidia";
        b.bytes = 4096;
        b.reps = 3;
        b.setup();
        try {
            b.vectorAdd();
            b.emptyKernel();
        } finally {
            b.tearDown();
        }
    }
}
