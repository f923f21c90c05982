package gpuos.profiler.backend;

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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Fallback for machines without eBPF: perf tracepoint counters, one group per thread (the total plus a
 * fixed set of syscalls that matter for GPU work), read with one read(2) per thread at each boundary.
 * Threads are found in /proc/self/task at each window's start; a thread born inside a window is counted
 * from the next window on, and the number of such threads is reported as a caveat.
 */
public final class PerfBackend implements CountingBackend {
    /** The syscalls counted by name; the rest is counted as "unlisted". Kept small: each costs a counter per thread. */
    public static final List<String> NAMED = List.of("ioctl", "futex", "poll", "ppoll", "sched_yield", "epoll_wait",
            "epoll_pwait", "read", "write", "mmap", "munmap", "mprotect", "madvise", "clock_nanosleep", "nanosleep",
            "openat", "close", "clone3");

    private final int[] ids;
    private final List<String> names = new ArrayList<>();
    private final Map<Integer, PerfThreadCounter> counters = new HashMap<>();
    private final Map<Integer, long[]> atOpen = new HashMap<>();
    private final int excludeFromCounting;
    private long lateThreads;

    /** @param harnessTid a thread not worth counters (its syscalls are excluded anyway) */
    public PerfBackend(int harnessTid) {
        this.excludeFromCounting = harnessTid;
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
        if (lateThreads > 0) c.add("perf backend: " + lateThreads + " thread(s) started inside a window were counted from the next window on");
        return c;
    }

    @Override
    public void openWindow() {
        for (int tid : Tasks.live()) {
            if (tid == excludeFromCounting || counters.containsKey(tid)) continue;
            try {
                counters.put(tid, new PerfThreadCounter(tid, ids));
            } catch (RuntimeException threadEnded) {
                // the thread exited between listing and opening
            }
        }
        atOpen.clear();
        readAll(atOpen);
    }

    @Override
    public Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded) {
        Map<Integer, long[]> now = new HashMap<>();
        readAll(now);
        for (int tid : Tasks.live()) if (tid != excludeFromCounting && !counters.containsKey(tid)) lateThreads++;
        Tally tally = new Tally();
        now.forEach((tid, v) -> {
            long[] before = atOpen.get(tid);
            if (before == null) return;
            ThreadClass cls = classifier.classify(tid, Tasks.comm(tid));
            long named = 0;
            for (int i = 0; i < names.size(); i++) {
                long d = v[i + 1] - before[i + 1];
                named += d;
                if (names.get(i).equals("ioctl")) tally.addIoctl(IoctlTarget.UNKNOWN, d);
                tally.add(SyscallTable.number(names.get(i)), d, cls);
            }
            tally.addUnlisted(v[0] - before[0] - named, cls);
        });
        return tally;
    }

    private void readAll(Map<Integer, long[]> into) {
        for (Iterator<Map.Entry<Integer, PerfThreadCounter>> it = counters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, PerfThreadCounter> e = it.next();
            long[] v = new long[ids.length];
            try {
                e.getValue().read(v);
                into.put(e.getKey(), v);
            } catch (RuntimeException threadEnded) {
                e.getValue().close();
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        counters.values().forEach(PerfThreadCounter::close);
        counters.clear();
    }
}
