package gpuos.profiler;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What the JVM itself did inside a window: garbage-collection pauses and JIT compilation time, read by the harness
 * thread from the platform MXBeans (outside the counted threads). The JVM puts system calls on the benchmark's
 * own thread at such moments, where no thread class can tell them from the workload's: a GC pause is a safepoint
 * at which every Java thread, the worker too, blocks on a futex; a hot method handed to the compile queue or an
 * uncommon trap costs the worker a futex or mprotect (found in issue 14 with the counter's per-syscall rows and
 * -Xlog:jit+compilation,deoptimization). Reported beside the counts as {@code jvm.gc.pauses} and
 * {@code jvm.jit.ms} per iteration, so a reader (and the report's JVM_ACTIVITY warning) can tell a window the
 * JVM was quiet in from one where a futex per op may be the JVM's rather than the GPU runtime's.
 */
final class JvmActivity {
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    private long pausesAtOpen;
    private long jitMillisAtOpen;
    private long pauses;
    private long jitMillis;

    void openWindow() {
        pausesAtOpen = pauses();
        jitMillisAtOpen = jitMillis();
    }

    void closeWindow() {
        pauses = pauses() - pausesAtOpen;
        jitMillis = jitMillis() - jitMillisAtOpen;
    }

    /** GC pauses (collections of every collector) in the last window. */
    long pausesInWindow() { return pauses; }

    /** Milliseconds the JIT compilers spent in the last window (HotSpot's total compilation time; -1 where unsupported). */
    long jitMillisInWindow() { return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? jitMillis : -1; }

    private long pauses() {
        long n = 0;
        // G1's "G1 Concurrent GC" bean counts concurrent cycles, which pause no thread; the pause beans do.
        for (GarbageCollectorMXBean gc : collectors) if (!gc.getName().contains("Concurrent")) n += Math.max(0, gc.getCollectionCount());
        return n;
    }

    private long jitMillis() {
        return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : 0;
    }
}
