package gpuos.benchmarks.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Whether this machine can run the CUDA benchmarks: JCuda's driver natives load (they need the driver's
 * {@code libcuda.so.1}), cuInit succeeds and there is a device. The sweep and the tests ask
 * {@link #unavailableReason()} and skip CUDA with that one line; {@link CudaSession#open} throws it.
 *
 * <p>The probe runs once per JVM: a JCuda class whose native library failed to load cannot be retried.
 */
public final class CudaAvailability {
    /** The first words of every reason, quoted by the sweep and the docs. */
    public static final String SKIPPED = "no CUDA driver (libcuda.so.1) or no GPU: CUDA benchmarks skipped";

    /** A CUDA device as the driver describes it. */
    public record Device(int ordinal, String name, long totalMemoryBytes, int computeMajor, int computeMinor) {
        public String describe() {
            return ordinal + ": " + name + ", " + String.format("%.1f GiB", totalMemoryBytes / (double) (1L << 30))
                    + ", compute capability " + computeMajor + "." + computeMinor;
        }
    }

    /** What the probe found: the driver API version (e.g. 13000 for 13.0) and the devices, or why not. */
    public record Probe(int driverVersion, List<Device> devices, Optional<String> unavailableReason) {
        /** {@code 13.0} from 13000. */
        public String driverApi() {
            return driverVersion / 1000 + "." + driverVersion % 1000 / 10;
        }
    }

    private static Probe probe;

    private CudaAvailability() {}

    /** Why CUDA benchmarks cannot run here ({@link #SKIPPED} plus the detail), or empty when they can. */
    public static Optional<String> unavailableReason() {
        return probe().unavailableReason();
    }

    /** Driver version and devices; probes once. */
    public static synchronized Probe probe() {
        if (probe == null) probe = doProbe();
        return probe;
    }

    private static Probe doProbe() {
        try {
            // The one place CUresult codes become exceptions: from here on every driver call that fails throws
            // CudaException whose message is the error's name (CUresult.stringFor, e.g. CUDA_ERROR_NO_DEVICE).
            JCudaDriver.setExceptionsEnabled(true);
        } catch (LinkageError e) {
            // JCudaDriver's static initializer loads libJCudaDriver, which links libcuda.so.1 (the driver's library).
            return unavailable(chain(e).contains("libcuda") ? "libcuda.so.1 not found" : "JCuda driver natives: " + firstLine(e));
        }
        try {
            cuInit(0);
            int[] version = new int[1];
            cuDriverGetVersion(version);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            if (count[0] == 0) return new Probe(version[0], List.of(), Optional.of(SKIPPED + " (the driver sees no device)"));
            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) devices.add(device(i));
            return new Probe(version[0], List.copyOf(devices), Optional.empty());
        } catch (CudaException e) {
            return unavailable("cuInit/cuDeviceGet: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return unavailable(firstLine(e));
        }
    }

    private static Device device(int ordinal) {
        CUdevice d = new CUdevice();
        cuDeviceGet(d, ordinal);
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, d);
        int n = 0;
        while (n < name.length && name[n] != 0) n++;
        long[] memory = new long[1];
        cuDeviceTotalMem(memory, d);
        int[] major = new int[1], minor = new int[1];
        cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d);
        cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d);
        return new Device(ordinal, new String(name, 0, n, StandardCharsets.UTF_8), memory[0], major[0], minor[0]);
    }

    private static Probe unavailable(String detail) {
        return new Probe(0, List.of(), Optional.of(SKIPPED + " (" + detail + ")"));
    }

    private static String chain(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) s.append(t).append('\n');
        return s.toString();
    }

    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage()).lines().findFirst().orElse(e.toString());
    }
}
