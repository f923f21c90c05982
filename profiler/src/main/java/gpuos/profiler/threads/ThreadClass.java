package gpuos.profiler.threads;

import java.util.List;
import java.util.Locale;

/**
 * Who a thread works for, decided once, when it is first seen, from who started it: so it does not depend on how
 * long the thread lives. The JMH harness thread is not a class: it is excluded from every count.
 */
public enum ThreadClass {
    /** JMH worker threads: they run the benchmark's operations. */
    WORKER,
    /**
     * Threads that workload threads (workers and runtime threads) start, Java or native, at any depth: helper threads
     * of GPU and OpenCL runtimes, and threads the benchmark's own code starts. Threads older than the counter count
     * here when the JVM does not know them.
     */
    RUNTIME,
    /** JVM threads (GC, JIT, VM) and the threads they, or JMH's harness, start, other than the workers. */
    JVM;

    /** The class of a thread started by a thread of class {@code creator}: the workload's threads stay workload. */
    public static ThreadClass startedBy(ThreadClass creator) {
        return creator == JVM ? JVM : RUNTIME;
    }

    // Kernel thread names (comm, 15 characters) of HotSpot's own threads, for threads that ended before
    // the JVM could be asked about them.
    private static final List<String> JVM_COMM_PREFIXES = List.of("C1 CompilerThre", "C2 CompilerThre", "GC Thread",
            "G1 ", "VM ", "Reference Handl", "Finalizer", "Signal Dispatch", "Service Thread", "Monitor Deflati",
            "Common-Cleaner", "Notification Th", "Attach Listener", "process reaper", "Sweeper", "JFR ", "java");

    /** Classifies by the Java thread name when the JVM knows the thread, else by its kernel name. */
    public static ThreadClass of(String javaName, String comm) {
        return of(javaName, comm, null);
    }

    /**
     * As {@link #of(String, String)}; {@code workerName} is the name JMH gives its workers without the number,
     * {@code <benchmark>-jmh-worker-}: the kernel keeps the first 15 characters of a thread's name, so a
     * worker is recognised from its kernel name too, when the JVM could not be asked. Pass null when it could:
     * native threads inherit their creator's kernel name, so a runtime thread the worker started matches too.
     */
    public static ThreadClass of(String javaName, String comm, String workerName) {
        if (javaName != null) return javaName.contains("jmh-worker") ? WORKER : JVM;
        if (comm != null && workerName != null && comm.length() >= 15 && workerName.startsWith(comm)) return WORKER;
        if (comm != null) for (String prefix : JVM_COMM_PREFIXES) if (comm.startsWith(prefix)) return JVM;
        return RUNTIME;
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
