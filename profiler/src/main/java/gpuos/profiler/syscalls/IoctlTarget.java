package gpuos.profiler.syscalls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file an ioctl's fd refers to, reduced to a short label: {@code nvidiactl}, {@code nvidia0},
 * {@code nvidia-uvm}, {@code dri-renderD128}, {@code kfd}, or {@code other}. GPU device files make
 * the ioctl a dispatch.
 */
public record IoctlTarget(String label, boolean gpuDevice) {
    public static final IoctlTarget OTHER = new IoctlTarget("other", false);
    public static final IoctlTarget UNKNOWN = new IoctlTarget("unknown", false);

    /** Classifies a path as readlink(/proc/PID/fd/N) shows it. */
    public static IoctlTarget ofPath(String path) {
        if (path == null) return UNKNOWN;
        if (path.startsWith("/dev/nvidia")) return new IoctlTarget(path.substring("/dev/".length()), true);
        if (path.startsWith("/dev/dri/")) return new IoctlTarget("dri-" + path.substring("/dev/dri/".length()), true);
        if (path.equals("/dev/kfd")) return new IoctlTarget("kfd", true);
        if (path.startsWith("/dev/accel/")) return new IoctlTarget("accel-" + path.substring("/dev/accel/".length()), true);
        return OTHER;
    }

    /** Resolves fd of process pid through /proc; UNKNOWN if the fd is closed or the process gone. */
    public static IoctlTarget ofFd(long pid, int fd) {
        try {
            return ofPath(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString());
        } catch (Exception e) {
            return UNKNOWN;
        }
    }
}
