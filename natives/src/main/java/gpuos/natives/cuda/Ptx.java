package gpuos.natives.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The CUDA kernels of {@code natives/src/main/cuda/}, as the PTX that {@code build-ptx.sh} made from them and
 * this jar carries: the driver JIT-compiles it for the GPU it finds, so no nvcc or NVRTC is needed at run time
 * (JCuda's NVRTC binding wants libnvrtc.so.12, which CUDA 13 nodes lack). Each file holds one {@code extern "C"}
 * entry named like the file.
 */
public final class Ptx {
    /**
     * {@code empty_kernel()}: no work; {@code vector_add(a, b, c, n)}: float adds; {@code spin_kernel(nanos)}: busy GPU
     * time; {@code accumulate(a, b, c, n)}: c += a + b, one work item of the interventions;
     * {@code accumulate_fused(a, b, c, n, items)}: {@code items} of those in one launch.
     */
    public static final List<String> KERNELS = List.of("empty_kernel", "vector_add", "spin_kernel", "accumulate", "accumulate_fused");

    static final String RESOURCE_DIR = "/gpuos/natives/ptx/";

    private Ptx() {}

    /** The PTX text of a kernel. */
    public static String text(String kernel) {
        return new String(bytes(kernel), StandardCharsets.UTF_8);
    }

    /** The PTX as cuModuleLoadData takes it: a NUL-terminated image. */
    public static byte[] image(String kernel) {
        byte[] text = bytes(kernel);
        return Arrays.copyOf(text, text.length + 1);
    }

    private static byte[] bytes(String kernel) {
        if (!KERNELS.contains(kernel)) throw new IllegalArgumentException("no CUDA kernel '" + kernel + "'; there are " + KERNELS);
        try (InputStream in = Ptx.class.getResourceAsStream(RESOURCE_DIR + kernel + ".ptx")) {
            if (in == null) throw new IllegalStateException("this jar has no " + RESOURCE_DIR + kernel + ".ptx: run natives/src/main/cuda/build-ptx.sh and rebuild");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
