package gpuos.benchmarks.opencl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
            return key + " (" + name + ", " + deviceNames.size() + (deviceNames.size() == 1 ? " device)" : " devices)");
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
     * {@link #discover()} in a child JVM. The sweep uses this: on the NVIDIA GPU node (driver 580), once a process
     * has listed NVIDIA's OpenCL platform, the JMH forks it starts no longer see that platform, though
     * OCL_ICD_VENDORS reaches them (reproduced there; see reference-runs/gpu-node/README.md). The child's platforms
     * carry no CL handles, only their names.
     */
    public static Discovery discoverInChildProcess() {
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    OpenClPlatforms.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String json = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!child.waitFor(60, TimeUnit.SECONDS) || child.exitValue() != 0) return new Discovery(List.of(), "OpenCL discovery in a child JVM failed");
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            List<Platform> platforms = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("platforms")) {
                JsonObject pl = e.getAsJsonObject();
                List<String> devices = new ArrayList<>();
                pl.getAsJsonArray("devices").forEach(d -> devices.add(d.getAsString()));
                platforms.add(new Platform(null, pl.get("key").getAsString(), pl.get("platform").getAsString(), pl.get("vendor").getAsString(),
                        pl.get("version").getAsString(), List.of(), List.copyOf(devices)));
            }
            return new Discovery(List.copyOf(platforms), o.get("problem").getAsString());
        } catch (IOException | RuntimeException e) {
            return new Discovery(List.of(), "OpenCL discovery in a child JVM failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Discovery(List.of(), "interrupted");
        }
    }

    /** A platform as metadata.json and the child discovery write it (no CL handles). */
    public static JsonObject toJson(Platform pl) {
        JsonObject j = new JsonObject();
        j.addProperty("platform", pl.name());
        j.addProperty("key", pl.key());
        j.addProperty("vendor", pl.vendor());
        j.addProperty("version", pl.version());
        JsonArray devices = new JsonArray();
        pl.deviceNames().forEach(devices::add);
        j.add("devices", devices);
        return j;
    }

    /** Prints {@link #discover()} as JSON: the child side of {@link #discoverInChildProcess()}. */
    public static void main(String[] args) {
        Discovery d = discover();
        JsonObject o = new JsonObject();
        JsonArray list = new JsonArray();
        for (Platform pl : d.platforms()) list.add(toJson(pl));
        o.add("platforms", list);
        o.addProperty("problem", d.problem());
        System.out.println(o);
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
