package gpuos.profiler;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many system calls each invocation of a wait call (cuCtxSynchronize, clFinish) saw, bucketed 0, 1, 2-3, 4-7,
 * 8+: the calls the threads of {@code syscalls.workload} (JMH workers and the runtime's native threads; not the JVM's
 * own threads, not the harness) entered between entering and leaving the wait. A mean of 0.3 syscalls per operation
 * can be every third call sleeping once or one call in thirty sleeping ten times; this tells them apart.
 *
 * <p>Use: {@code private static final SyscallDistribution SYNC = SyscallDistribution.named("sync");} then
 * {@code SYNC.around(CudaSession::synchronize)}, or {@code long t = SYNC.before(); wait(); SYNC.after(t);}.
 * The counts come from {@link LiveSyscalls#current()}: with no syscall profiler (or its perf backend) nothing is
 * recorded and the first call says so once on stderr. {@link LinuxSyscallProfiler} resets every recorder before
 * each iteration and reports it after each counted one as {@code <name>.invocations}, {@code <name>.blocked},
 * {@code <name>.syscalls} and {@code <name>.hist.<bucket>}: counts per iteration (docs/results-format.md).
 *
 * <p>A recorder is for one thread at a time (plain fields, no atomics: the profiler reads them after JMH has joined
 * the iteration's workers). With more than one worker thread each window would also see the other workers' calls,
 * so the profiler reports nothing then.
 */
public final class SyscallDistribution {
    /** Bucket labels; bucket i &gt; 0 holds [2^(i-1), 2^i - 1] syscalls, the last one everything from 8. */
    public static final List<String> BUCKETS = List.of("0", "1", "2-3", "4-7", "8+");
    private static final long NONE = -1;
    private static final Map<String, SyscallDistribution> REGISTRY = new ConcurrentHashMap<>();

    private final String name;
    private long invocations;
    private long syscalls;
    private final long[] histogram = new long[BUCKETS.size()];
    private boolean absenceSaid;

    private SyscallDistribution(String name) {
        this.name = name;
    }

    /** The JVM's recorder for label prefix {@code name} (created once; the same name is the same recorder). */
    public static SyscallDistribution named(String name) {
        if (!name.matches("[a-z][a-zA-Z0-9_-]*") || name.equals("syscalls") || name.equals("cpu")) {
            throw new IllegalArgumentException("recorder name '" + name + "': a letter, then letters, digits, _ or -; not the profiler's syscalls or cpu");
        }
        return REGISTRY.computeIfAbsent(name, SyscallDistribution::new);
    }

    /** Runs {@code call} and records the syscalls made while it ran. */
    public void around(Runnable call) {
        long before = before();
        call.run();
        after(before);
    }

    /** The count now, to hand to {@link #after(long)}; no system call. */
    public long before() {
        LiveSyscalls live = LiveSyscalls.currentOrNull();
        if (live == null) {
            if (!absenceSaid) sayAbsent();
            return NONE;
        }
        return live.counted();
    }

    /** Records one invocation: the syscalls since {@code before} (nothing when {@code before} had no counter). */
    public void after(long before) {
        LiveSyscalls live = LiveSyscalls.currentOrNull();
        if (before == NONE || live == null) return;
        record(live.counted() - before);
    }

    void record(long n) {
        invocations++;
        syscalls += n;
        histogram[bucket(n)]++;
    }

    /** 0, 1, 2-3, 4-7, 8+ as 0..4. */
    static int bucket(long n) {
        return n <= 0 ? 0 : Math.min(BUCKETS.size() - 1, 64 - Long.numberOfLeadingZeros(n));
    }

    private void sayAbsent() {
        absenceSaid = true;
        System.err.println("gpuos: '" + name + "' syscall distribution not recorded: " + LiveSyscalls.absentReason());
    }

    /** This recorder's counts since the last reset, labelled; empty when nothing was recorded. */
    Map<String, Long> labels() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (invocations == 0) return out;
        out.put(name + ".invocations", invocations);
        out.put(name + ".blocked", invocations - histogram[0]);
        out.put(name + ".syscalls", syscalls);
        for (int b = 0; b < BUCKETS.size(); b++) out.put(name + ".hist." + BUCKETS.get(b), histogram[b]);
        return out;
    }

    void reset() {
        invocations = 0;
        syscalls = 0;
        Arrays.fill(histogram, 0);
    }

    /** Every recorder's labels (recorders that recorded nothing give none). */
    static Map<String, Long> allLabels() {
        Map<String, Long> out = new LinkedHashMap<>();
        REGISTRY.values().stream().sorted(Comparator.comparing(d -> d.name)).forEach(d -> out.putAll(d.labels()));
        return out;
    }

    static void resetAll() {
        REGISTRY.values().forEach(SyscallDistribution::reset);
    }
}
