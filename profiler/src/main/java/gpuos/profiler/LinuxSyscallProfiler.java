package gpuos.profiler;

import gpuos.natives.Linux;
import gpuos.natives.NativeException;
import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.threads.JvmThreads;
import gpuos.profiler.threads.ThreadClass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * Exact system calls per benchmark operation, by syscall, role, thread class and ioctl target.
 * Use: {@code -prof gpuos.profiler.LinuxSyscallProfiler}.
 *
 * <p>An eBPF program on the sys_enter raw tracepoint counts every thread of the forked JVM, those that
 * exist when it attaches and those native libraries start later, into shared memory read with no
 * system call. A window runs from beforeIteration to afterIteration of each measurement iteration and
 * is divided by JMH's count of all operations of that iteration (the synchronisation ops included,
 * since their syscalls are in the window). The harness thread that drives iterations (and calls this
 * profiler) is excluded and shown apart as {@code syscalls.harness}; see README "What is counted".
 */
public final class LinuxSyscallProfiler implements InternalProfiler {
    private static final String UNIT = "#/op";

    private SyscallCounter counter;
    private SyscallWindow window;
    private int harnessTid;
    private final Map<Integer, ThreadClass> classes = new HashMap<>();
    private final Map<Integer, IoctlTarget> fdTargets = new HashMap<>();
    private Map<Integer, String> javaThreads = Map.of();

    public LinuxSyscallProfiler() throws ProfilerException {
        this("");
    }

    public LinuxSyscallProfiler(String options) throws ProfilerException {
        if (options != null && !options.isBlank()) throw new ProfilerException("LinuxSyscallProfiler takes no options, got '" + options + "'");
        Optional<String> reason = unsupportedReason();
        if (reason.isPresent()) throw new ProfilerException(reason.get());
    }

    /** Why counting cannot run here, with the remedy; empty when it can. Loads and removes a probe program. */
    public static Optional<String> unsupportedReason() {
        if (!System.getProperty("os.name", "").equals("Linux") || !System.getProperty("os.arch", "").equals("amd64")) {
            return Optional.of("syscall counting needs Linux on x86-64 (this is " + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")");
        }
        try (SyscallCounter probe = SyscallCounter.forProcess((int) ProcessHandle.current().pid())) {
            return Optional.empty();
        } catch (NativeException e) {
            String fix = e.errno() == 1 || e.errno() == 13
                    ? " -- run as root, or grant CAP_BPF and CAP_PERFMON (e.g. sudo setcap cap_bpf,cap_perfmon+ep $(readlink -f $(which java)))"
                    : " -- the kernel needs CONFIG_BPF_SYSCALL and raw tracepoints (Linux 5.5+)";
            return Optional.of(e.getMessage().lines().findFirst().orElse("") + fix);
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("syscall counter unavailable: " + e.getMessage() + (e.getMessage() != null && e.getMessage().contains("native access") ? " -- add -jvmArgsAppend --enable-native-access=ALL-UNNAMED" : ""));
        }
    }

    @Override
    public String getDescription() {
        return "Exact syscalls per op via eBPF (by syscall, role, thread class, ioctl target)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (counter == null) {
            harnessTid = Linux.gettid();
            counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid());
            window = new SyscallWindow(counter);
        }
        counter.refreshNames();
        window.open();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        int rows = window.close();
        if (iterationParams.getType() != IterationType.MEASUREMENT) return List.of();
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0) return List.of();

        long[] harness = {0};
        Tally tally = window.tally(rows, r -> classify(r, counter.rowTid(r)), this::target, harnessTid, harness);
        List<Result> out = new ArrayList<>();
        tally.labels(ops, true).forEach((label, v) -> out.add(new ScalarResult(label, v, UNIT, AggregationPolicy.AVG)));
        out.add(new ScalarResult("syscalls.harness", harness[0], "#/iter", AggregationPolicy.AVG));
        return out;
    }

    private ThreadClass classify(int row, int tid) {
        ThreadClass known = classes.get(tid);
        if (known != null) return known;
        // A thread dump only when a thread shows up that the last one did not name.
        if (!javaThreads.containsKey(tid)) javaThreads = JvmThreads.snapshot();
        ThreadClass cls = ThreadClass.of(javaThreads.get(tid), counter.rowName(row));
        classes.put(tid, cls);
        return cls;
    }

    private IoctlTarget target(int fd) {
        // fds are named once; a closed-and-reused fd keeps its first name (GPU runtimes keep their device fds open).
        return fdTargets.computeIfAbsent(fd, f -> f == SyscallCounter.IOCTL_FDS - 1 ? IoctlTarget.OTHER : IoctlTarget.ofFd(ProcessHandle.current().pid(), f));
    }
}
