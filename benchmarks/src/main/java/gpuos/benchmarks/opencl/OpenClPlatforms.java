package gpuos.benchmarks.opencl;

import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VENDOR;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL platforms of this machine, each with a short key ({@code pocl}, {@code nvidia}) that the
 * benchmarks' {@code platform} param and the sweep's part names use.
 */
public final class OpenClPlatforms {
    static {
        // The one place CL status codes become exceptions: every later CL call throws CLException
        // (message = the CL_* error name) instead of returning a code nobody checks.
        CL.setExceptionsEnabled(true);
    }

    /** Key meaning "the first platform the ICD loader lists". */
    public static final String AUTO = "auto";

    public record Platform(cl_platform_id id, String key, String name, String vendor, String version,
                           List<cl_device_id> devices, List<String> deviceNames) {
        /** A line for messages: {@code pocl (Portable Computing Language, 1 device)}. */
        public String describe() {
            return key + " (" + name + ", " + devices.size() + (devices.size() == 1 ? " device)" : " devices)");
        }
    }

    /** Platforms found, or none with the reason (no ICD loader, no registered platform). */
    public record Discovery(List<Platform> platforms, String problem) {
        public boolean found() { return !platforms.isEmpty(); }
    }

    private OpenClPlatforms() {}

    /** Lists platforms; never throws: a machine without OpenCL gives an empty list and the reason. */
    public static Discovery discover() {
        try {
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] ids = new cl_platform_id[count[0]];
            clGetPlatformIDs(ids.length, ids, null);
            List<Platform> platforms = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (cl_platform_id id : ids) {
                String name = platformInfo(id, CL_PLATFORM_NAME);
                String vendor = platformInfo(id, CL_PLATFORM_VENDOR);
                String key = key(name, vendor);
                int n = seen.merge(key, 1, Integer::sum);
                if (n > 1) key = key + n; // two platforms of one vendor: intel, intel2
                List<cl_device_id> devices = devices(id);
                List<String> deviceNames = devices.stream().map(OpenClPlatforms::deviceName).toList();
                platforms.add(new Platform(id, key, name, vendor, platformInfo(id, CL_PLATFORM_VERSION), devices, deviceNames));
            }
            return new Discovery(List.copyOf(platforms), platforms.isEmpty() ? "no OpenCL platform registered" : "");
        } catch (CLException e) {
            // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR when /etc/OpenCL/vendors names no usable platform.
            return new Discovery(List.of(), "clGetPlatformIDs: " + e.getMessage());
        } catch (LinkageError | RuntimeException e) {
            // JOCL dlopens libOpenCL.so.1; without an ICD loader its natives cannot work.
            return new Discovery(List.of(), "OpenCL unavailable: " + e);
        }
    }

    /**
     * The platform a benchmark's {@code platform} param names: {@code auto} is the first one, otherwise the key
     * or a case-insensitive part of the platform's name or vendor.
     */
    public static Platform select(String wanted) {
        Discovery d = discover();
        if (!d.found()) {
            throw new IllegalStateException("no OpenCL platform (" + d.problem()
                    + "): install an ICD loader and a platform, e.g. apt-get install ocl-icd-libopencl1 pocl-opencl-icd");
        }
        if (wanted.equalsIgnoreCase(AUTO)) return d.platforms().getFirst();
        String w = wanted.toLowerCase(Locale.ROOT);
        for (Platform p : d.platforms()) if (p.key().equals(w)) return p;
        for (Platform p : d.platforms()) {
            if (p.name().toLowerCase(Locale.ROOT).contains(w) || p.vendor().toLowerCase(Locale.ROOT).contains(w)) return p;
        }
        List<String> available = d.platforms().stream().map(Platform::describe).toList();
        throw new IllegalArgumentException("OpenCL platform '" + wanted + "' not found; available: " + String.join(", ", available)
                + (w.equals("nvidia") ? ". NVIDIA's libnvidia-opencl.so.1 must be registered: point OCL_ICD_VENDORS at a folder with an nvidia.icd naming it" : ""));
    }

    /** Short stable key from a platform's name and vendor: pocl, nvidia, intel, amd, rusticl, clover, apple. */
    public static String key(String name, String vendor) {
        String s = (name + " " + vendor).toLowerCase(Locale.ROOT);
        if (s.contains("portable computing language") || s.contains("pocl")) return "pocl";
        if (s.contains("nvidia")) return "nvidia";
        if (s.contains("rusticl")) return "rusticl";
        if (s.contains("clover")) return "clover";
        if (s.contains("intel")) return "intel";
        if (s.contains("amd") || s.contains("advanced micro devices")) return "amd";
        if (s.contains("apple")) return "apple";
        // Anything else: the first word of its name, as a param value and a file name can hold it.
        for (String word : name.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) if (!word.isEmpty()) return word;
        return "opencl";
    }

    private static List<cl_device_id> devices(cl_platform_id platform) {
        try {
            int[] count = new int[1];
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
            cl_device_id[] ids = new cl_device_id[count[0]];
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            return List.of(ids);
        } catch (CLException e) {
            return List.of(); // CL_DEVICE_NOT_FOUND: a registered platform with no usable device
        }
    }

    private static String platformInfo(cl_platform_id id, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(id, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(id, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceName(cl_device_id id) {
        long[] size = new long[1];
        clGetDeviceInfo(id, CL_DEVICE_NAME, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(id, CL_DEVICE_NAME, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, StandardCharsets.UTF_8).trim();
    }
}
