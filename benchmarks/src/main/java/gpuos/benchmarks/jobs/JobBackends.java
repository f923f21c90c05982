package gpuos.benchmarks.jobs;

import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import gpuos.natives.gpujob.GpuJobBackend;
import gpuos.natives.gpujob.GpuJobException;
import gpuos.natives.gpujob.GpuJobStatus;

/** Opens the gpujob backend a jobs benchmark's params name, or throws the suite's one-line reason why not. */
public final class JobBackends {
    /** Where the search for an OpenCL device by name stops even if gpujob never says ENODEVICE. */
    private static final int MAX_OPENCL_DEVICES = 64;

    private JobBackends() {}

    /** CUDA device 0, primary context; {@link CudaAvailability#SKIPPED} and the detail without a GPU. */
    public static GpuJobBackend cuda() {
        CudaAvailability.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        return GpuJobBackend.openCuda(0, GpuJobBackend.CUDA_PRIMARY_CONTEXT);
    }

    /** The first device of the OpenCL platform {@code platformKey} names ({@code auto}, {@code pocl}, {@code nvidia}, ...). */
    public static GpuJobBackend openCl(String platformKey) {
        OpenClPlatforms.Platform chosen = OpenClPlatforms.select(platformKey);
        if (chosen.devices().isEmpty()) throw new IllegalStateException("OpenCL platform " + chosen.describe() + " has no device");
        String wanted = chosen.deviceNames().getFirst();
        int expected = openClDeviceIndex(platformKey);
        // gpujob counts devices through the ICD loader it loads itself, JOCL through its own listing: nothing ties
        // the two orders, so the index is a first guess checked by name, then every index gpujob has (until it
        // answers ENODEVICE) is tried. A job on the wrong platform would measure the wrong runtime silently.
        for (int i = -1; i < MAX_OPENCL_DEVICES; i++) {
            int index = i < 0 ? expected : i;
            if (i >= 0 && index == expected) continue;
            GpuJobBackend backend;
            try {
                backend = GpuJobBackend.openOpenCl(index);
            } catch (GpuJobException e) {
                if (e.status() != GpuJobStatus.ENODEVICE) throw e; // e.g. GJ_EINVAL for a GPUJOB_OCL_COMPLETION typo
                if (i >= 0) break; // past gpujob's last device
                continue; // the first guess was past it
            }
            if (backend.deviceName().strip().equals(wanted.strip())) return backend;
            backend.close();
        }
        throw new IllegalStateException("gpujob finds no OpenCL device named '" + wanted + "' (platform " + chosen.describe()
                + "): its ICD loader lists other platforms than JOCL's; check OCL_ICD_VENDORS and LD_LIBRARY_PATH");
    }

    /**
     * gpujob counts OpenCL devices over all platforms in the ICD loader's order (as clGetPlatformIDs lists them,
     * skipping platforms without devices): the index of the named platform's first device in that count.
     */
    static int openClDeviceIndex(String platformKey) {
        OpenClPlatforms.Platform chosen = OpenClPlatforms.select(platformKey);
        if (chosen.devices().isEmpty()) throw new IllegalStateException("OpenCL platform " + chosen.describe() + " has no device");
        int index = 0;
        for (OpenClPlatforms.Platform p : OpenClPlatforms.discover().platforms()) {
            if (p.key().equals(chosen.key())) return index;
            index += p.devices().size();
        }
        throw new IllegalStateException("OpenCL platform " + chosen.describe() + " vanished between two listings");
    }
}
