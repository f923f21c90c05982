package gpuos.profiler.syscalls;

import gpuos.natives.syscount.KernelOffsets;
import gpuos.natives.syscount.SyscallCounter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The file an ioctl targets, reduced to a short label: {@code nvidiactl}, {@code nvidia0}, {@code nvidia-uvm},
 * {@code dri-renderD128}, {@code kfd}, {@code accel-0}, or {@code other}. GPU device files make the ioctl a dispatch.
 * The counter sees the device number the fd names at the call, so this names devices, not fds.
 */
public record IoctlTarget(String label, boolean gpuDevice) {
    public static final IoctlTarget OTHER = new IoctlTarget("other", false);
    public static final IoctlTarget UNKNOWN = new IoctlTarget("unknown", false);

    /** Major numbers fixed by the kernel (Documentation/admin-guide/devices.txt): NVIDIA's driver and DRM. */
    private static final int NVIDIA_MAJOR = 195, DRM_MAJOR = 226;
    private static final List<Path> DEVICE_DIRS = List.of(Path.of("/dev"), Path.of("/dev/dri"), Path.of("/dev/accel"));
    private static final Map<Long, IoctlTarget> BY_DEVICE = new ConcurrentHashMap<>();

    /**
     * The target of a {@link SyscallCounter} ioctl slot: a device, {@code other} for fds that name no device, or
     * {@code unknown} when the kernel could not be read (no BTF) or more devices were seen than the counter has slots.
     */
    public static IoctlTarget ofCounterSlot(SyscallCounter counter, int slot) {
        if (slot == SyscallCounter.NO_DEVICE) return KernelOffsets.get().isPresent() ? OTHER : UNKNOWN;
        long device = counter.slotDevice(slot);
        return device == 0 ? UNKNOWN : ofDevice(device);
    }

    /** Classifies a path as readlink(/proc/PID/fd/N) shows it. */
    public static IoctlTarget ofPath(String path) {
        if (path == null) return UNKNOWN;
        if (path.startsWith("/dev/nvidia")) return new IoctlTarget(path.substring("/dev/".length()), true);
        if (path.startsWith("/dev/dri/")) return new IoctlTarget("dri-" + path.substring("/dev/dri/".length()), true);
        if (path.equals("/dev/kfd")) return new IoctlTarget("kfd", true);
        if (path.startsWith("/dev/accel/")) return new IoctlTarget("accel-" + path.substring("/dev/accel/".length()), true);
        return OTHER;
    }

    /**
     * Names a character device by its kernel device number (dev_t, major << 20 | minor, as the counter reads
     * i_rdev): by the file in /dev that has it, else by the driver that owns the major (/proc/devices, and the
     * fixed NVIDIA and DRM majors), so a device node made elsewhere (another mount namespace, a container) is
     * still recognised. Cached per device: an ioctl's fd was opened from a node that existed then (nvidia-uvm's
     * node appears only when CUDA first loads it, before any ioctl on it).
     */
    public static IoctlTarget ofDevice(long kernelDev) {
        IoctlTarget known = BY_DEVICE.get(kernelDev);
        if (known != null) return known;
        int major = (int) (kernelDev >>> 20), minor = (int) (kernelDev & 0xfffff);
        IoctlTarget t = inDev(major, minor);
        if (t == null) t = byDriver(major, minor);
        BY_DEVICE.put(kernelDev, t);
        return t;
    }

    private static IoctlTarget inDev(int major, int minor) {
        for (Path dir : DEVICE_DIRS) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    try {
                        Map<String, Object> a = Files.readAttributes(f, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
                        boolean charDevice = ((Integer) a.get("mode") & 0170000) == 0020000;
                        long rdev = (Long) a.get("rdev");
                        if (charDevice && userMajor(rdev) == major && userMinor(rdev) == minor) return ofPath(f.toString());
                    } catch (IOException | UnsupportedOperationException gone) {
                        // removed while listing, or not a unix file system
                    }
                }
            } catch (IOException noSuchDir) {
                // no /dev/dri here
            }
        }
        return null;
    }

    private static IoctlTarget byDriver(int major, int minor) {
        String driver = major == NVIDIA_MAJOR ? "nvidia" : major == DRM_MAJOR ? "drm" : charDriver(major);
        if (driver == null) return OTHER;
        if (driver.startsWith("nvidia-uvm")) return new IoctlTarget("nvidia-uvm", true);
        if (driver.startsWith("nvidia")) return new IoctlTarget(minor == 255 ? "nvidiactl" : minor == 254 ? "nvidia-modeset" : "nvidia" + minor, true);
        if (driver.equals("drm")) return new IoctlTarget("dri-" + (minor >= 128 ? "renderD" : "card") + minor, true);
        if (driver.equals("kfd")) return new IoctlTarget("kfd", true);
        if (driver.equals("accel")) return new IoctlTarget("accel-" + minor, true);
        return OTHER;
    }

    /** The name /proc/devices gives a character major, or null. */
    private static String charDriver(int major) {
        try {
            boolean chars = false;
            for (String line : Files.readAllLines(Path.of("/proc/devices"))) {
                if (line.startsWith("Character")) chars = true;
                else if (line.startsWith("Block")) chars = false;
                else if (chars) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length == 2 && f[0].equals(Integer.toString(major))) return f[1];
                }
            }
        } catch (IOException e) {
            // no /proc/devices: the fixed majors still apply
        }
        return null;
    }

    // glibc's encoding of st_rdev (makedev): major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
    private static int userMajor(long rdev) { return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)); }

    private static int userMinor(long rdev) { return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)); }
}
