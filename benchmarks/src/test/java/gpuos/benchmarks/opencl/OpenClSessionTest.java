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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class OpenClSessionTest {
    @BeforeEach
    void needsAPlatform() {
        Assumptions.assumeTrue(OpenClPlatforms.discover().found(), "no OpenCL platform: install pocl-opencl-icd");
    }

    @Test
    void vectorAddAddsOnTheAutoPlatform() {
        int n = 1024;
        float[] a = new float[n], b = new float[n], c = new float[n], expected = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 2 * i;
            expected[i] = 3 * i;
        }
        try (OpenClSession cl = OpenClSession.open(OpenClPlatforms.AUTO)) {
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
    void platformKeysSelectTheSamePlatformAsAuto() {
        OpenClPlatforms.Platform first = OpenClPlatforms.select("auto");
        assertEquals(first.name(), OpenClPlatforms.select(first.key().toUpperCase()).name());
    }

    @Test
    void aMissingPlatformNamesTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenClPlatforms.select("no-such-platform"));
        assertTrue(e.getMessage().contains("'no-such-platform' not found; available: " + OpenClPlatforms.select("auto").key()), e.getMessage());
    }

    @Test
    void aBrokenKernelThrowsWithTheBuildLog() {
        try (OpenClSession cl = OpenClSession.open(OpenClPlatforms.AUTO)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.program("broken.cl"));
            assertTrue(e.getMessage().startsWith("building broken.cl on "), e.getMessage());
            assertTrue(e.getMessage().contains("undeclared_thing"), "the compiler's log names the error: " + e.getMessage());
        }
    }
}
