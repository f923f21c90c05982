package gpuos.reports.results;

import java.util.List;
import java.util.Optional;

/** Names of the metrics the reports know, as written by gpuos.profiler.LinuxSyscallProfiler (docs/results-format.md). */
public final class Labels {
    /** The JMH primary metric, stored under this label next to the secondary ones. */
    public static final String SCORE = "score";
    public static final String SYSCALLS_TOTAL = "syscalls.total.norm";
    public static final String SYSCALL_PREFIX = "syscalls.";
    public static final String ROLE_PREFIX = "syscalls.role.";
    public static final String THREAD_PREFIX = "syscalls.thread.";
    public static final String NORM_SUFFIX = ".norm";
    public static final List<String> ROLES = List.of("dispatch", "sync", "memory", "io", "threads", "other");
    public static final List<String> THREAD_CLASSES = List.of("worker", "runtime", "jvm");

    private Labels() {}

    public static String role(String role) {
        return ROLE_PREFIX + role + NORM_SUFFIX;
    }

    public static String threadClass(String threadClass) {
        return THREAD_PREFIX + threadClass + NORM_SUFFIX;
    }

    /** The profiler emits a per-syscall label only in iterations where it is non-zero: absent means 0. */
    public static boolean zeroWhenAbsent(String label) {
        return label.startsWith(SYSCALL_PREFIX);
    }

    /** The kernel name of a one-syscall label ({@code syscalls.futex.norm} gives {@code futex}). */
    public static Optional<String> syscallName(String label) {
        if (!label.startsWith(SYSCALL_PREFIX) || !label.endsWith(NORM_SUFFIX) || label.equals(SYSCALLS_TOTAL)) {
            return Optional.empty();
        }
        String name = label.substring(SYSCALL_PREFIX.length(), label.length() - NORM_SUFFIX.length());
        return name.contains(".") ? Optional.empty() : Optional.of(name);
    }

    /** Short human name used in chart titles and sentences. */
    public static String describe(String label) {
        if (label.equals(SCORE)) return "score";
        if (label.equals(SYSCALLS_TOTAL)) return "syscalls/op";
        if (label.startsWith(ROLE_PREFIX) && label.endsWith(NORM_SUFFIX)) {
            return middle(label, ROLE_PREFIX) + " syscalls/op";
        }
        if (label.startsWith(THREAD_PREFIX) && label.endsWith(NORM_SUFFIX)) {
            return "syscalls/op on " + middle(label, THREAD_PREFIX) + " threads";
        }
        return syscallName(label).map(name -> name + " calls/op").orElse(label);
    }

    private static String middle(String label, String prefix) {
        return label.substring(prefix.length(), label.length() - NORM_SUFFIX.length());
    }
}
