package gpuos.benchmarks.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.benchmarks.GpuAssumptions;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The kernels really run on the GPU and compute what they say; errors carry the CUDA error name. */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class CudaSessionTest {
    @BeforeEach
    void needsCuda() {
        GpuAssumptions.assumeCuda();
    }

    @Test
    void theProbeListsADevice() {
        CudaAvailability.Probe p = CudaAvailability.probe();
        assertFalse(p.devices().isEmpty());
        assertTrue(p.driverVersion() >= 11000, "driver API " + p.driverApi());
    }

    @Test
    void vectorAddAddsForEveryWaitPolicy() {
        int n = 1000; // not a multiple of the block: the bounds check in the kernel matters
        float[] a = new float[n], b = new float[n], c = new float[n], expected = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 2 * i;
            expected[i] = 3 * i;
        }
        for (WaitPolicy policy : WaitPolicy.values()) {
            java.util.Arrays.fill(c, -1);
            try (CudaSession cuda = CudaSession.open(policy)) {
                CUdeviceptr da = cuda.deviceBuffer(4L * n), db = cuda.deviceBuffer(4L * n), dc = cuda.deviceBuffer(4L * n);
                cuMemcpyHtoD(da, Pointer.to(a), 4L * n);
                cuMemcpyHtoD(db, Pointer.to(b), 4L * n);
                CUfunction add = cuda.kernel("vector_add");
                CudaSession.launch(add, CudaSession.blocksFor(n), CudaSession.BLOCK,
                        Pointer.to(Pointer.to(da), Pointer.to(db), Pointer.to(dc), Pointer.to(new int[] {n})));
                CudaSession.synchronize();
                cuMemcpyDtoH(Pointer.to(c), dc, 4L * n);
            }
            assertArrayEquals(expected, c, policy.key());
        }
    }

    @Test
    void spinKeepsTheGpuBusyForAtLeastTheRequestedTime() {
        long nanos = 20_000_000; // 20 ms: far above launch cost and %globaltimer's resolution
        try (CudaSession cuda = CudaSession.open(WaitPolicy.SPIN)) {
            CUfunction spin = cuda.kernel("spin_kernel");
            Pointer params = Pointer.to(Pointer.to(new long[] {nanos}));
            CudaSession.launch(spin, 1, 1, params); // first launch pays the JIT and module upload
            CudaSession.synchronize();
            long start = System.nanoTime();
            CudaSession.launch(spin, 1, 1, params);
            CudaSession.synchronize();
            long took = System.nanoTime() - start;
            assertTrue(took >= nanos, "spin of " + nanos + " ns returned after " + took + " ns");
            assertTrue(took < 20 * nanos, "spin of " + nanos + " ns took " + took + " ns");
        }
    }

    @Test
    void driverErrorsCarryTheCudaErrorName() {
        CudaException e = assertThrows(CudaException.class, () -> cuDeviceGet(new CUdevice(), 9999));
        assertEquals("CUDA_ERROR_INVALID_DEVICE", e.getMessage());
    }
}
