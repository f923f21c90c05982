package gpuos.reports.results;

import java.util.List;
import java.util.Optional;

/** Names of the metrics the reports know, as written by gpuos.profiler.LinuxSyscallProfiler (docs/results-format.md). */
public final class Labels {
    /** The JMH primary metric, stored under this label next to the secondary ones. */
    public static final String SCORE = "score";
    public static final String SYSCALLS_TOTAL = "syscalls.total.norm";
    /**
     * Derived by the reports, not written by the profiler: syscalls/op of the threads that do the benchmark's
     * work, {@code syscalls.thread.worker.norm + syscalls.thread.runtime.norm}. Unlike the total it leaves out
     * the JVM's own threads (GC, JIT, VM thread), whose syscalls follow wall time rather than the workload.
     */
    public static final String SYSCALLS_WORKLOAD = "syscalls.workload.norm";
    /** The thread classes {@link #SYSCALLS_WORKLOAD} adds up. */
    public static final List<String> WORKLOAD_THREAD_CLASSES = List.of("worker", "runtime");
    /** GC pauses per counted iteration (the profiler's JvmActivity): the JVM's own syscalls on the worker. */
    public static final String JVM_GC_PAUSES = "jvm.gc.pauses";
    public static final String SYSCALL_PREFIX = "syscalls.";
    public static final String ROLE_PREFIX = "syscalls.role.";
    public static final String THREAD_PREFIX = "syscalls.thread.";
    public static final String NORM_SUFFIX = ".norm";
    public static final List<String> ROLES = List.of("dispatch", "sync", "memory", "io", "threads", "other");
    public static final List<String> THREAD_CLASSES = List.of("worker", "runtime", "jvm");
    /**
     * Wait-call syscall distributions ({@code gpuos.profiler.SyscallDistribution} named {@code sync}): counts per
     * iteration (#/iter, not per op), in the iterations that carry {@link #SYSCALLS_TOTAL} where at least one call was
     * recorded (docs/results-format.md).
     */
    public static final String SYNC_PREFIX = "sync.";
    /** Wait calls recorded in the iteration. */
    public static final String SYNC_INVOCATIONS = "sync.invocations";
    /** Wait calls during which at least one syscall was entered. */
    public static final String SYNC_BLOCKED = "sync.blocked";
    /** Syscalls entered during the recorded wait calls. */
    public static final String SYNC_SYSCALLS = "sync.syscalls";
    /** Histogram buckets of wait calls by syscalls entered during them; they add up to {@link #SYNC_INVOCATIONS}. */
    public static final List<String> SYNC_BUCKETS = List.of("0", "1", "2-3", "4-7", "8+");

    private Labels() {}

    public static String role(String role) {
        return ROLE_PREFIX + role + NORM_SUFFIX;
    }

    public static String threadClass(String threadClass) {
        return THREAD_PREFIX + threadClass + NORM_SUFFIX;
    }

    /** The label of a wait-call histogram bucket: {@code sync.hist.2-3}. */
    public static String syncBucket(String bucket) {
        return SYNC_PREFIX + "hist." + bucket;
    }

    /** A label of the wait-call distribution ({@code sync.*}). */
    public static boolean isSync(String label) {
        return label.startsWith(SYNC_PREFIX);
    }

    /**
     * The profiler emits a per-syscall label only in iterations where it is non-zero: absent means 0. Not so
     * for {@link #SYSCALLS_WORKLOAD}: it is absent where the profiler wrote no thread labels to derive it from.
     */
    public static boolean zeroWhenAbsent(String label) {
        return label.startsWith(SYSCALL_PREFIX) && !label.equals(SYSCALLS_WORKLOAD);
    }

    /** A count of syscalls per operation (unit #/op), for which {@code analysis.Constraint} has a floor on its margin. */
    public static boolean isSyscallCount(String label) {
        return label.startsWith(SYSCALL_PREFIX) && label.endsWith(NORM_SUFFIX);
    }

    /** The kernel name of a one-syscall label ({@code syscalls.futex.norm} gives {@code futex}). */
    public static Optional<String> syscallName(String label) {
        if (!label.startsWith(SYSCALL_PREFIX) || !label.endsWith(NORM_SUFFIX) || label.equals(SYSCALLS_TOTAL)
                || label.equals(SYSCALLS_WORKLOAD)) {
            return Optional.empty();
        }
        String name = label.substring(SYSCALL_PREFIX.length(), label.length() - NORM_SUFFIX.length());
        return name.contains(".") ? Optional.empty() : Optional.of(name);
    }

    /** Short human name used in chart titles and sentences. */
    public static String describe(String label) {
        if (label.equals(SCORE)) return "score";
        if (label.equals(SYSCALLS_TOTAL)) return "total syscalls/op";
        if (label.equals(SYSCALLS_WORKLOAD)) return "workload syscalls/op";
        if (label.startsWith(ROLE_PREFIX) && label.endsWith(NORM_SUFFIX)) {
            return middle(label, ROLE_PREFIX) + " syscalls/op";
        }
        if (label.startsWith(THREAD_PREFIX) && label.endsWith(NORM_SUFFIX)) {
            return "syscalls/op on " + middle(label, THREAD_PREFIX) + " threads";
        }
        return syscallName(label).map(name -> name + " calls/op").orElse(label);
    }

    /** Which threads a syscall metric counts, for chart captions: "worker + runtime threads", "all threads". */
    public static Optional<String> threadsCounted(String label) {
        if (label.equals(SYSCALLS_WORKLOAD)) return Optional.of("worker + runtime threads");
        if (label.startsWith(THREAD_PREFIX) && label.endsWith(NORM_SUFFIX)) return Optional.empty();
        if (isSyscallCount(label)) return Optional.of("all threads");
        return Optional.empty();
    }

    private static String middle(String label, String prefix) {
        return label.substring(prefix.length(), label.length() - NORM_SUFFIX.length());
    }
}
