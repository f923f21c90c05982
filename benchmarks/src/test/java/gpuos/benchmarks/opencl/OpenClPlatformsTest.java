package gpuos.benchmarks.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** Keys need no OpenCL: they come from names and vendors as the ICD loader reports them. */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class OpenClPlatformsTest {
    @Test
    void keysOfKnownPlatforms() {
        assertEquals("pocl", OpenClPlatforms.key("Portable Computing Language", "The pocl project"));
        assertEquals("nvidia", OpenClPlatforms.key("NVIDIA CUDA", "NVIDIA Corporation"));
        assertEquals("intel", OpenClPlatforms.key("Intel(R) OpenCL Graphics", "Intel(R) Corporation"));
        assertEquals("amd", OpenClPlatforms.key("AMD Accelerated Parallel Processing", "Advanced Micro Devices, Inc."));
        assertEquals("rusticl", OpenClPlatforms.key("rusticl", "Mesa/X.org"));
        assertEquals("acme", OpenClPlatforms.key("Acme-CL 2", "Acme Inc."));
    }

    @Test
    void discoverNeverThrows() {
        OpenClPlatforms.Discovery d = OpenClPlatforms.discover();
        assertEquals(d.found(), d.problem().isEmpty(), d.problem());
    }
}
