package gpuos.profiler;

import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.Role;
import gpuos.profiler.syscalls.SyscallTable;
import gpuos.profiler.threads.ThreadClass;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Syscall counts of one window, by syscall, role, thread class and ioctl target; turned into result labels. */
public final class Tally {
    private final Map<String, Long> bySyscall = new TreeMap<>();
    private final EnumMap<Role, Long> byRole = new EnumMap<>(Role.class);
    private final EnumMap<ThreadClass, Long> byThread = new EnumMap<>(ThreadClass.class);
    private final Map<String, Long> byIoctlTarget = new TreeMap<>();
    private long total;

    /** Adds {@code n} calls of syscall {@code nr}; ioctls get their role from {@link #addIoctl}. */
    public void add(int nr, long n, ThreadClass thread) {
        if (n == 0) return;
        String name = SyscallTable.name(nr);
        bySyscall.merge(name, n, Long::sum);
        if (nr != SyscallTable.IOCTL) byRole.merge(Role.of(name), n, Long::sum);
        if (thread != null) byThread.merge(thread, n, Long::sum);
        total += n;
    }

    /** Syscalls counted only in a total (the perf backend's remainder): role other, label "unlisted". */
    public void addUnlisted(long n, ThreadClass thread) {
        if (n == 0) return;
        bySyscall.merge("unlisted", n, Long::sum);
        byRole.merge(Role.OTHER, n, Long::sum);
        if (thread != null) byThread.merge(thread, n, Long::sum);
        total += n;
    }

    public void addIoctl(IoctlTarget target, long n) {
        if (n == 0) return;
        byIoctlTarget.merge(target.label(), n, Long::sum);
        byRole.merge(Role.ofIoctl(target.gpuDevice()), n, Long::sum);
    }

    public long total() { return total; }

    public long count(String syscall) { return bySyscall.getOrDefault(syscall, 0L); }

    /**
     * Result labels, each divided by {@code ops}. Roles (and thread classes, when counted) are always
     * all present; syscalls and ioctl targets only when non-zero (see docs/results-format.md).
     */
    public Map<String, Double> labels(double ops, boolean withThreads) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("syscalls.total.norm", total / ops);
        for (Role r : Role.values()) out.put("syscalls.role." + r.label() + ".norm", byRole.getOrDefault(r, 0L) / ops);
        if (withThreads) for (ThreadClass c : ThreadClass.values()) out.put("syscalls.thread." + c.label() + ".norm", byThread.getOrDefault(c, 0L) / ops);
        bySyscall.forEach((name, n) -> out.put("syscalls." + name + ".norm", n / ops));
        byIoctlTarget.forEach((t, n) -> out.put("syscalls.ioctl.target." + t + ".norm", n / ops));
        return out;
    }
}
