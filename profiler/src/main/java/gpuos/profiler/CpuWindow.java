package gpuos.profiler;

import gpuos.natives.Errno;
import gpuos.natives.Linux;
import gpuos.natives.NativeException;
import gpuos.profiler.threads.Tasks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * CPU time over a window: the whole process ({@code CLOCK_PROCESS_CPUTIME_ID}) and threads (their thread CPU
 * clocks), read by the harness thread, whose clock_gettime calls the syscall counts leave out.
 *
 * <p>Which threads: at open, every live thread but the harness and those already known not to be workers. An
 * unclassified thread is read too, so a worker alive at open always has a reading at open, even when it
 * has made no syscall yet. A thread absent from /proc/self/task at open and present at close was born inside the
 * window: a thread's clock starts at zero, so its whole reading is window time. JMH's workers are born so in
 * the fork's first iteration (its fixed pool starts them at the first task) and kept until the fork's last
 * iteration has ended; after the first window only workers (and newcomers) are read. A thread that ends inside
 * the window cannot be read at close: its time there is missing from the thread sums, though not from the
 * process clock, which keeps ended threads' time.
 *
 * <p>Order: process clock, threads ... threads, process clock, so the process window holds the thread windows
 * (process >= workers). The /proc listings stay outside the process window; threads born inside it are read
 * just after it closes, when JMH's workers are idle again.
 */
final class CpuWindow implements AutoCloseable {
    private final Linux.Clock clock = new Linux.Clock();
    private final int harnessTid;
    private final Set<Integer> liveAtOpen = new HashSet<>();
    private final Map<Integer, Long> atOpen = new HashMap<>();
    private final Map<Integer, Long> inWindow = new HashMap<>();
    private long processAtOpen;
    private long process;

    CpuWindow(int harnessTid) { this.harnessTid = harnessTid; }

    /** Opens a window; threads {@code notWorker} accepts are not read. */
    void openWindow(IntPredicate notWorker) {
        List<Integer> live = Tasks.live();
        liveAtOpen.clear();
        liveAtOpen.addAll(live);
        atOpen.clear();
        processAtOpen = clock.nanos(Linux.CLOCK_PROCESS_CPUTIME_ID);
        for (int tid : live) {
            if (tid == harnessTid || notWorker.test(tid)) continue;
            long t = threadNanos(clock, tid);
            if (t >= 0) atOpen.put(tid, t);
        }
    }

    void closeWindow() {
        closeWindow(clock);
    }

    /** Closes the window from another thread than the one that opened it, reading with that thread's {@code reader}. */
    void closeWindow(Linux.Clock reader) {
        inWindow.clear();
        atOpen.forEach((tid, before) -> {
            long t = threadNanos(reader, tid);
            if (t >= 0) inWindow.put(tid, t - before);
        });
        process = reader.nanos(Linux.CLOCK_PROCESS_CPUTIME_ID) - processAtOpen;
        for (int tid : Tasks.live()) {
            if (tid == harnessTid || liveAtOpen.contains(tid)) continue;
            long t = threadNanos(reader, tid);
            if (t >= 0) inWindow.put(tid, t);
        }
    }

    /** CPU time of the whole process in the closed window. */
    long processNanos() { return process; }

    /** Each thread read in the closed window, with its CPU time there. */
    Map<Integer, Long> threadNanos() { return inWindow; }

    /** A thread's CPU clock, or -1 when the thread has ended (its clock id then names nothing: EINVAL). */
    private static long threadNanos(Linux.Clock clock, int tid) {
        try {
            return clock.nanos(Linux.threadCpuClock(tid));
        } catch (NativeException e) {
            if (e.errno() == Errno.EINVAL) return -1;
            throw e;
        }
    }

    /** Frees the clock's buffers; from the thread that made this window. */
    @Override
    public void close() { clock.close(); }
}
