package gpuos.natives.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PtxTest {
    private static final Path CUDA_SOURCES = Path.of("src/main/cuda");
    private static final Path COMMITTED = Path.of("src/main/resources/gpuos/natives/ptx");
    private static final Pattern NVCC_RELEASE = Pattern.compile("Cuda compilation tools, release [0-9.]+, (V[0-9.]+)");

    @Test
    void everyKernelIsAResourceWithItsEntry() {
        for (String kernel : Ptx.KERNELS) {
            String ptx = Ptx.text(kernel);
            assertTrue(ptx.contains(".visible .entry " + kernel + "("), kernel + ".ptx lacks its extern \"C\" entry");
            // ISA 7.0 loads on CUDA 11.0+ drivers; build-ptx.sh lowers nvcc 13's 9.0 (driver 580+ only).
            assertTrue(ptx.contains("\n.version 7.0\n"), kernel + ".ptx is not PTX ISA 7.0");
            assertTrue(ptx.contains("\n.target sm_75\n"), kernel + ".ptx does not target sm_75");
        }
    }

    @Test
    void theImageIsNulTerminated() {
        byte[] image = Ptx.image("empty_kernel");
        assertEquals(0, image[image.length - 1]);
        assertEquals(Ptx.text("empty_kernel"), new String(image, 0, image.length - 1, StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownKernelNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ptx.text("nope"));
        assertEquals("no CUDA kernel 'nope'; there are [empty_kernel, vector_add, spin_kernel, accumulate, accumulate_fused]", e.getMessage());
    }

    @Test
    void everyCudaSourceIsAKernel() throws IOException {
        try (Stream<Path> files = Files.list(CUDA_SOURCES)) {
            List<String> sources = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
            assertEquals(Ptx.KERNELS.stream().sorted().toList(), sources);
        }
    }

    /** Regenerates the PTX with this machine's nvcc and compares; skipped without nvcc or with another nvcc release. */
    @Test
    void committedPtxIsUpToDate() throws Exception {
        Optional<Path> nvcc = nvcc();
        Assumptions.assumeTrue(nvcc.isPresent(), "no nvcc (PATH, /usr/local/cuda/bin): committed PTX not re-checked");
        String committedBy = release(Files.readString(COMMITTED.resolve("vector_add.ptx"))).orElse("unknown");
        String local = release(run(List.of(nvcc.get().toString(), "--version"), null)).orElse("unknown nvcc");
        Assumptions.assumeTrue(committedBy.equals(local), "committed PTX made by nvcc " + committedBy + ", this is " + local + ": not comparable");

        Path out = Files.createTempDirectory("gpuos-ptx-");
        try {
            run(List.of("bash", CUDA_SOURCES.resolve("build-ptx.sh").toString(), out.toString()), nvcc.get());
            for (String kernel : Ptx.KERNELS) {
                assertEquals(Files.readString(COMMITTED.resolve(kernel + ".ptx")), Files.readString(out.resolve(kernel + ".ptx")),
                        kernel + ".ptx is stale: run natives/src/main/cuda/build-ptx.sh and commit the result");
            }
        } finally {
            try (Stream<Path> files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Optional<String> release(String text) {
        Matcher m = NVCC_RELEASE.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<Path> nvcc() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nvcc");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        Path p = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    private static String run(List<String> command, Path nvcc) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (nvcc != null) pb.environment().put("NVCC", nvcc.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
