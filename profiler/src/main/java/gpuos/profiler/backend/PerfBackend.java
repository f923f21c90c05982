package gpuos.profiler.backend;

import gpuos.natives.Errno;
import gpuos.natives.NativeException;
import gpuos.natives.syscount.PerfThreadCounter;
import gpuos.profiler.Tally;
import gpuos.profiler.syscalls.Tracefs;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.SyscallTable;
import gpuos.profiler.threads.Tasks;
import gpuos.profiler.threads.ThreadClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Fallback for machines without eBPF: perf tracepoint counters (the total plus a fixed set of syscalls that matter
 * for GPU work), two groups per thread found in /proc/self/task at a window's start, each read with one read(2):
 * <ul>
 * <li>{@code own}: the thread's own calls;</li>
 * <li>{@code withStarted}: inheriting, reopened at every window's start, so it holds the thread's calls plus those of
 *     every thread it (or they) started since then, alive or ended. The difference is what threads born inside the
 *     window did; it counts in the class their creator passes on ({@link ThreadClass#startedBy}). A thread that is
 *     still alive at the next window gets counters of its own, and its creator's new inheriting group, opened
 *     after it was born, no longer holds it: each call counts once.</li>
 * </ul>
 * A thread born in one window and still alive at the next takes the class its creator passes on: the clone calls say
 * which classes started threads in that window; when both the JVM and the workload did, HotSpot's own threads are
 * told by their names, and JMH's workers are always recognised by name. The threads older than the first window are
 * named by the JVM. The harness thread is counted too
 * (its own calls are {@code syscalls.harness}); the threads it starts in a window are JMH's workers: worker.
 */
public final class PerfBackend implements CountingBackend {
    /** The syscalls counted by name; the rest is counted as "unlisted". Kept small: each costs a counter per thread. */
    public static final List<String> NAMED = List.of("ioctl", "futex", "poll", "ppoll", "sched_yield", "epoll_wait",
            "epoll_pwait", "read", "write", "mmap", "munmap", "mprotect", "madvise", "clock_nanosleep", "nanosleep",
            "openat", "close", "clone", "clone3");
    private static final List<String> THREAD_STARTS = List.of("clone", "clone3");

    private final int[] ids;
    private final List<String> names = new ArrayList<>();
    private final Map<Integer, PerfThreadCounter> own = new HashMap<>();
    private final Map<Integer, PerfThreadCounter> withStarted = new HashMap<>();
    private final Map<Integer, long[]> ownAtOpen = new HashMap<>();
    private final Map<Integer, long[]> withStartedAtOpen = new HashMap<>();
    private final int harnessTid;
    /** Threads alive at the last window's end: a newcomer among them was born inside that window. */
    private Set<Integer> aliveAtLastClose = Set.of();
    /** The classes of the threads that started threads inside the last window (as {@link ThreadClass#startedBy} gives them). */
    private Set<ThreadClass> startersOfLastWindow = Set.of();
    private final Map<Integer, ThreadClass> startedByClass = new HashMap<>();
    private long uncountedStarts, failedReads;

    /** @param harnessTid JMH's harness thread: counted apart, and the threads it starts are JMH's workers */
    public PerfBackend(int harnessTid) {
        this.harnessTid = harnessTid;
        List<Integer> found = new ArrayList<>();
        try {
            found.add(Tracefs.id(Tracefs.event("raw_syscalls", "sys_enter")));
            for (String n : NAMED) {
                try {
                    found.add(Tracefs.id(Tracefs.event("syscalls", "sys_enter_" + n)));
                    names.add(n);
                } catch (IllegalStateException noSuchTracepoint) {
                    // this kernel has no such syscall: leave it to "unlisted"
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ids = found.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override public String name() { return "perf"; }

    @Override
    public List<String> caveats() {
        List<String> c = new ArrayList<>(List.of("perf backend: only " + names.size() + " syscalls by name, the rest as 'unlisted'; ioctl targets unknown (counted as io, not dispatch)"));
        if (failedReads > 0) c.add("perf backend: " + failedReads + " counter read(s) failed: those threads' calls since the last read are missing");
        if (uncountedStarts > 0) c.add("perf backend: " + uncountedStarts + " time(s) a thread's inheriting counter could not be opened: threads it started in that window were not counted");
        return c;
    }

    @Override
    public void openWindow() {
        for (int tid : Tasks.live()) {
            if (own.containsKey(tid)) continue;
            try {
                own.put(tid, new PerfThreadCounter(tid, ids));
            } catch (RuntimeException threadEnded) {
                continue;
            }
            if (aliveAtLastClose.contains(tid) && !startersOfLastWindow.isEmpty()) startedByClass.put(tid, starterOf(tid));
        }
        // Reopened, so that a thread counts through its creator only in the window it was born in.
        withStarted.values().forEach(PerfThreadCounter::close);
        withStarted.clear();
        for (int tid : own.keySet()) {
            try {
                withStarted.put(tid, new PerfThreadCounter(tid, ids, true));
            } catch (RuntimeException e) {
                uncountedStarts++;
            }
        }
        ownAtOpen.clear();
        withStartedAtOpen.clear();
        readAll(own, ownAtOpen);
        readAll(withStarted, withStartedAtOpen);
    }

    @Override
    public Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded) {
        Map<Integer, long[]> ownNow = new HashMap<>(), withStartedNow = new HashMap<>();
        readAll(own, ownNow);
        readAll(withStarted, withStartedNow);
        Tally tally = new Tally();
        Set<ThreadClass> starters = EnumSet.noneOf(ThreadClass.class);
        for (Map.Entry<Integer, long[]> e : ownNow.entrySet()) {
            int tid = e.getKey();
            long[] before = ownAtOpen.get(tid);
            if (before == null) continue;
            long[] mine = minus(e.getValue(), before);
            ThreadClass cls = null, bornClass = ThreadClass.WORKER;
            if (tid == excludedTid) {
                excluded[0] += mine[0]; // the threads it starts itself are JMH's workers, recognised by name
            } else {
                ThreadClass given = startedByClass.remove(tid);
                cls = given != null ? classifier.classifyStartedBy(tid, given) : classifier.classify(tid, Tasks.comm(tid), 0);
                bornClass = ThreadClass.startedBy(cls);
                add(tally, mine, cls);
                if (threadStarts(mine) > 0) starters.add(bornClass);
            }
            long[] startedBefore = withStartedAtOpen.get(tid), startedNow = withStartedNow.get(tid);
            if (startedBefore == null || startedNow == null) continue;
            long[] born = minus(minus(startedNow, startedBefore), mine);
            add(tally, born, bornClass);
            if (threadStarts(born) > 0) starters.add(ThreadClass.startedBy(bornClass));
        }
        startersOfLastWindow = starters;
        aliveAtLastClose = new HashSet<>(Tasks.live());
        // Ended threads have been read for the last time: their counters go (a thread per iteration would pile them up).
        for (Map<Integer, PerfThreadCounter> counters : List.of(own, withStarted)) {
            counters.entrySet().removeIf(e -> {
                if (aliveAtLastClose.contains(e.getKey())) return false;
                e.getValue().close();
                return true;
            });
        }
        return tally;
    }

    /**
     * The class that started a thread born in the last window: the one class that started threads then; when both the
     * JVM and the workload did, the JVM's own threads are told by HotSpot's thread names (compiler and GC threads).
     */
    private ThreadClass starterOf(int tid) {
        if (startersOfLastWindow.size() == 1) return startersOfLastWindow.iterator().next();
        return ThreadClass.of(null, Tasks.comm(tid)) == ThreadClass.JVM ? ThreadClass.JVM : ThreadClass.RUNTIME;
    }

    private long threadStarts(long[] counts) {
        long n = 0;
        for (String s : THREAD_STARTS) {
            int i = names.indexOf(s);
            if (i >= 0) n += counts[i + 1];
        }
        return n;
    }

    private void add(Tally tally, long[] counts, ThreadClass cls) {
        long named = 0;
        for (int i = 0; i < names.size(); i++) {
            long d = counts[i + 1];
            named += d;
            if (names.get(i).equals("ioctl")) tally.addIoctl(IoctlTarget.UNKNOWN, d);
            tally.add(SyscallTable.number(names.get(i)), d, cls);
        }
        tally.addUnlisted(counts[0] - named, cls);
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    private void readAll(Map<Integer, PerfThreadCounter> counters, Map<Integer, long[]> into) {
        for (var it = counters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, PerfThreadCounter> e = it.next();
            long[] v = new long[ids.length];
            if (read(e.getValue(), v)) {
                into.put(e.getKey(), v);
            } else {
                // An ended thread's counters still read (the kernel keeps the final count): this loses calls.
                failedReads++;
                e.getValue().close();
                it.remove();
            }
        }
    }

    /**
     * Reads a group; false if it cannot be read. Reading an inheriting group fails with ECHILD while one of the threads
     * it inherited into is exiting (seen on Linux 6.18, e.g. right after a Java thread's join returned): retried until
     * that thread is gone.
     */
    private static boolean read(PerfThreadCounter counter, long[] into) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            try {
                counter.read(into);
                return true;
            } catch (NativeException e) {
                if (e.errno() != Errno.ECHILD) return false;
                LockSupport.parkNanos(100_000);
            }
        }
        return false;
    }

    @Override
    public void close() {
        own.values().forEach(PerfThreadCounter::close);
        withStarted.values().forEach(PerfThreadCounter::close);
        own.clear();
        withStarted.clear();
    }
}
