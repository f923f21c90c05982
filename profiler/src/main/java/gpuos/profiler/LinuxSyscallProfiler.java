package gpuos.profiler;

import gpuos.natives.Linux;
import gpuos.natives.NativeException;
import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.backend.BpfBackend;
import gpuos.profiler.backend.CountingBackend;
import gpuos.profiler.backend.PerfBackend;
import gpuos.profiler.syscalls.Tracefs;
import gpuos.profiler.threads.JvmThreads;
import gpuos.profiler.threads.Tasks;
import gpuos.profiler.threads.ThreadClass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * Use: {@code -prof gpuos.profiler.LinuxSyscallProfiler}, or {@code ...:backend=perf} for the fallback.
 *
 * <p>Backend {@code bpf} (default): an eBPF program on the sys_enter raw tracepoint counts every thread of
 * the forked JVM, those that exist when it attaches and those native libraries start later, into shared
 * memory read with no system call. Backend {@code perf}: per-thread perf tracepoint counters, for kernels
 * without eBPF (see {@link PerfBackend} for what it cannot see); chosen automatically when bpf is unavailable.
 *
 * <p>A window runs from beforeIteration to afterIteration of each measurement iteration (but the last, which
 * holds JMH's trial teardown, unless the benchmark closed it first with {@link #closeLastWindow()}: see
 * {@link #counted}) and is divided by JMH's count of all operations of that iteration (the synchronisation ops included, since their syscalls
 * are in the window). The harness thread that drives iterations (and calls this profiler) is excluded and
 * shown apart as {@code syscalls.harness}; see README "What is counted".
 *
 * <p>The same iterations carry {@code cpu.process.norm} and {@code cpu.worker.norm}, CPU nanoseconds per op of
 * the whole fork and of JMH's worker threads, from CPU clocks the harness thread reads (see {@link CpuWindow}).
 * Workers are platform threads named {@code *-jmh-worker-*}, JMH's default; under {@code -Djmh.executor=VIRTUAL}
 * the carriers run the ops and count as jvm threads.
 *
 * <p>{@code jvm.gc.pauses} and {@code jvm.jit.ms} say what the JVM did in the same window ({@link JvmActivity}):
 * the syscalls it then puts on the worker cannot be told from the workload's by thread.
 *
 * <p>With the bpf backend, benchmark code can read the workload threads' running count with no syscall through
 * {@link LiveSyscalls}; what its {@link SyscallDistribution} recorders saw is reported in the same counted iterations.
 */
public final class LinuxSyscallProfiler implements InternalProfiler {
    private static final String UNIT = "#/op";
    private static final String CPU_UNIT = "ns/op";

    /** "bpf" or "perf"; null until the first iteration for an instance made by ServiceLoader. */
    private String backendChoice;
    private CountingBackend backend;
    private CpuWindow cpu;
    private final JvmActivity jvm = new JvmActivity();
    private LiveSyscalls live;
    private int harnessTid;
    private final Map<Integer, ThreadClass> classes = new HashMap<>();
    private Map<Integer, String> javaThreads = Map.of();
    private String workerName;
    private boolean dumpFailureSaid;
    private boolean threadsSaid;
    private final Set<String> caveatsSaid = new HashSet<>();
    private int measurementIteration;
    /** This fork's profiler while a trial runs, for {@link #closeLastWindow()} (JMH runs one benchmark per fork). */
    private static volatile LinuxSyscallProfiler active;
    /** The last measurement iteration's windows are open and {@link #closeLastWindow()} may close them. */
    private final AtomicBoolean lastWindowClosable = new AtomicBoolean();
    /** {@link #closeLastWindow()} closed this iteration's windows (read by the harness after JMH joined the workers). */
    private volatile boolean closedBeforeTeardown;

    /**
     * For JMH's ServiceLoader discovery (-lprof), which must never fail: JMH builds the profilers it runs, and the
     * entries of "Unsupported profilers", through {@link #LinuxSyscallProfiler(String)}, which checks the system.
     */
    public LinuxSyscallProfiler() {
        backendChoice = null;
    }

    public LinuxSyscallProfiler(String options) throws ProfilerException {
        String choice = "auto";
        for (String option : (options == null ? "" : options).split("[,;]")) {
            if (option.isBlank()) continue;
            String[] kv = option.split("=", 2);
            if (kv.length == 2 && kv[0].strip().equals("backend") && List.of("auto", "bpf", "perf").contains(kv[1].strip())) choice = kv[1].strip();
            else throw new ProfilerException("unknown option '" + option + "': LinuxSyscallProfiler takes backend=auto|bpf|perf");
        }
        Optional<String> bpf = bpfUnsupportedReason();
        Optional<String> perf = perfUnsupportedReason();
        backendChoice = switch (choice) {
            case "bpf" -> bpf.isEmpty() ? "bpf" : fail(bpf.get());
            case "perf" -> perf.isEmpty() ? "perf" : fail(perf.get());
            default -> bpf.isEmpty() ? "bpf" : perf.isEmpty() ? "perf" : fail(bpf.get() + "; fallback perf: " + perf.get());
        };
    }

    private static String fail(String reason) throws ProfilerException {
        throw new ProfilerException(reason);
    }

    /** Why no counting backend can run here, with the remedy; empty when one can. */
    public static Optional<String> unsupportedReason() {
        Optional<String> bpf = bpfUnsupportedReason();
        if (bpf.isEmpty()) return bpf;
        Optional<String> perf = perfUnsupportedReason();
        return perf.isEmpty() ? perf : Optional.of(bpf.get() + "; fallback perf: " + perf.get());
    }

    /** The backend an {@code auto} profiler would use here: "bpf", "perf", or "none". */
    public static String availableBackend() {
        return bpfUnsupportedReason().isEmpty() ? "bpf" : perfUnsupportedReason().isEmpty() ? "perf" : "none";
    }

    /** Why the eBPF counter cannot run here; loads and removes a probe program. */
    public static Optional<String> bpfUnsupportedReason() {
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
            return Optional.of("syscall counter unavailable: " + e.getMessage() + (String.valueOf(e.getMessage()).contains("native access") ? " -- add -jvmArgsAppend --enable-native-access=ALL-UNNAMED" : ""));
        }
    }

    /** Why the perf fallback cannot run here (it needs tracefs and perf_event_open on tracepoints). */
    public static Optional<String> perfUnsupportedReason() {
        try {
            try (var probe = new gpuos.natives.syscount.PerfThreadCounter(0, new int[] {Tracefs.id(Tracefs.event("raw_syscalls", "sys_enter"))})) {
                return Optional.empty();
            }
        } catch (NativeException e) {
            return Optional.of(e.getMessage() + " -- run as root or lower /proc/sys/kernel/perf_event_paranoid");
        } catch (Exception | LinkageError e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public String getDescription() {
        return "Exact syscalls per op via eBPF (by syscall, role, thread class, ioctl target); backend=perf as fallback; CPU time per op of the fork and its workers";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (backend == null) {
            if (backendChoice == null) backendChoice = availableBackend();
            if (backendChoice.equals("none")) throw new IllegalStateException(unsupportedReason().orElse("no counting backend"));
            harnessTid = Linux.gettid();
            workerName = benchmarkParams.getBenchmark() + "-jmh-worker-";
            backend = backendChoice.equals("bpf") ? new BpfBackend() : new PerfBackend(harnessTid);
            cpu = new CpuWindow(harnessTid);
            // The threads of syscalls.workload: JVM threads' calls follow wall time, not the operation (docs/results-format.md).
            live = backend.live((tid, comm, creator) -> tid != harnessTid && classify(tid, comm, creator) != ThreadClass.JVM).orElse(null);
            if (live != null) LiveSyscalls.install(live);
            else LiveSyscalls.absent("the profiler's " + backend.name() + " backend cannot be read without a system call (backend=bpf can)");
        }
        // Before the windows open (a thread dump's calls stay out of them) and the workers start (JMH submits the
        // iteration's tasks after this returns, so they see the decisions and the reset).
        if (live != null) live.decideNewRows();
        SyscallDistribution.resetAll();
        jvm.openWindow();
        backend.openWindow();
        // Last, so the syscall window holds the CPU window and the backend's own work stays out of cpu.process.
        cpu.openWindow(tid -> {
            ThreadClass known = classes.get(tid);
            return known != null && known != ThreadClass.WORKER;
        });
        closedBeforeTeardown = false;
        int count = benchmarkParams.getMeasurement().getCount();
        lastWindowClosable.set(iterationParams.getType() == IterationType.MEASUREMENT && measurementIteration + 1 == count && count >= 2);
        active = this;
    }

    /**
     * Closes the windows of the last measurement iteration now, so that JMH's trial teardown, which runs after it
     * on the worker inside that iteration, stays out and the iteration is counted: JMH's own summary line then
     * averages every iteration, as the reports do. For the suite's own benchmarks: {@code SweepAxes} calls it from
     * {@code @TearDown(Level.Iteration)} (JMH runs iteration teardowns before trial teardowns); a benchmark may
     * instead call it first thing in its {@code @TearDown(Level.Trial)}. Anywhere else, without this profiler, with
     * the perf backend (whose reads are system calls of the calling thread) or called twice, it does nothing.
     * Costs no system call until the syscall window is closed (the CPU clocks are read after it).
     */
    public static void closeLastWindow() {
        LinuxSyscallProfiler p = active;
        if (p != null && p.lastWindowClosable.compareAndSet(true, false)) p.closeWindowsEarly();
    }

    private void closeWindowsEarly() {
        if (!backend.stopWindow()) return;
        // The calling thread reads the CPU clocks with a Clock of its own: the harness's is confined to the harness thread.
        try (Linux.Clock reader = new Linux.Clock()) {
            cpu.closeWindow(reader);
        }
        jvm.closeWindow();
        closedBeforeTeardown = true;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        lastWindowClosable.set(false);
        boolean early = closedBeforeTeardown;
        if (!early) cpu.closeWindow(); // first, as it was opened last
        long[] harness = {0};
        Tally tally = backend.closeWindow(classifier, harnessTid, harness);
        if (!early) jvm.closeWindow();
        for (String caveat : backend.caveats()) if (caveatsSaid.add(caveat)) System.err.println("gpuos: " + caveat);
        // In every window, warmup too: once classified, non-workers are no longer read at open.
        long workerNanos = 0;
        for (Map.Entry<Integer, Long> t : cpu.threadNanos().entrySet()) {
            ThreadClass cls = classes.get(t.getKey());
            // A thread the backend has not classified yet is not classified here (its creator may not be known yet): only named workers count.
            if (cls == null && ThreadClass.of(javaThreadName(t.getKey()), Tasks.comm(t.getKey()), JvmThreads.failure() != null ? workerName : null) == ThreadClass.WORKER) {
                cls = ThreadClass.WORKER;
            }
            if (cls == ThreadClass.WORKER) workerNanos += t.getValue();
        }
        if (iterationParams.getType() != IterationType.MEASUREMENT) return List.of();
        measurementIteration++;
        if (!counted(measurementIteration, benchmarkParams.getMeasurement().getCount(), benchmarkParams.getWarmup().getCount(), early)) return List.of();
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0) return List.of();
        List<Result> out = new ArrayList<>();
        tally.labels(ops, true).forEach((label, v) -> out.add(new ScalarResult(label, v, UNIT, AggregationPolicy.AVG)));
        out.add(new ScalarResult("syscalls.harness", harness[0], "#/iter", AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.process.norm", cpu.processNanos() / (double) ops, CPU_UNIT, AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.worker.norm", workerNanos / (double) ops, CPU_UNIT, AggregationPolicy.AVG));
        out.add(new ScalarResult("jvm.gc.pauses", jvm.pausesInWindow(), "#/iter", AggregationPolicy.AVG));
        if (jvm.jitMillisInWindow() >= 0) out.add(new ScalarResult("jvm.jit.ms", jvm.jitMillisInWindow(), "ms/iter", AggregationPolicy.AVG));
        addWaitDistributions(benchmarkParams, out);
        return out;
    }

    /**
     * The {@link SyscallDistribution} counts of this iteration. JMH has joined the workers before calling us, so their
     * plain writes are visible. With several workers each recorded window also holds the others' calls: none then.
     */
    private void addWaitDistributions(BenchmarkParams benchmarkParams, List<Result> out) {
        Map<String, Long> labels = SyscallDistribution.allLabels();
        if (labels.isEmpty()) return;
        if (benchmarkParams.getThreads() != 1) {
            if (!threadsSaid) System.err.println("gpuos: wait-call syscall distributions not reported: they need one worker thread, not " + benchmarkParams.getThreads());
            threadsSaid = true;
            return;
        }
        labels.forEach((label, n) -> out.add(new ScalarResult(label, n, "#/iter", AggregationPolicy.AVG)));
    }

    /**
     * Whether measurement iteration {@code i} (1-based) of {@code count} is counted. JMH runs
     * {@code @TearDown(Level.Trial)} on the worker inside the last iteration, and {@code @Setup(Level.Trial)}
     * inside the first one, so a CUDA context's destruction (dozens of ioctls) would land in a measured window.
     * The last measurement iteration is therefore left out when there are at least two, unless the benchmark
     * closed its windows before the teardown ({@code closedBeforeTeardown}, {@link #closeLastWindow()}), and the
     * first one too when there is no warmup and at least three. A left-out iteration reports no syscall label at
     * all, which is how readers tell it from an iteration with zero calls (docs/results-format.md).
     */
    static boolean counted(int i, int count, int warmups, boolean closedBeforeTeardown) {
        if (i == count && count >= 2) return closedBeforeTeardown;
        return !(i == 1 && warmups == 0 && count >= 3);
    }

    private final CountingBackend.Classifier classifier = new CountingBackend.Classifier() {
        @Override public ThreadClass classify(int tid, String comm, int creatorTid) { return LinuxSyscallProfiler.this.classify(tid, comm, creatorTid); }

        @Override public ThreadClass classifyStartedBy(int tid, ThreadClass creatorClass) {
            ThreadClass known = classes.get(tid);
            if (known != null) return known;
            // JMH's workers are named: the perf backend only knows which class started the threads of a window.
            ThreadClass cls = ThreadClass.of(javaThreadName(tid), Tasks.comm(tid), workerName) == ThreadClass.WORKER ? ThreadClass.WORKER : ThreadClass.startedBy(creatorClass);
            classes.put(tid, cls);
            return cls;
        }
    };

    /**
     * A thread's class, decided once. A thread started by a known thread other than the harness takes the class its
     * creator passes on ({@link ThreadClass#startedBy}), however long it lives and whether or not the JVM knows it.
     * The rest (threads older than the counter, and those the harness starts: JMH's workers) are named by the JVM.
     */
    private ThreadClass classify(int tid, String comm, int creatorTid) {
        ThreadClass known = classes.get(tid);
        if (known != null) return known;
        ThreadClass creator = creatorTid == 0 || creatorTid == harnessTid ? null : classes.get(creatorTid);
        if (creator != null) {
            ThreadClass cls = ThreadClass.startedBy(creator);
            classes.put(tid, cls);
            return cls;
        }
        // Threads inherit their creator's kernel name, so a runtime thread the worker started looks like the
        // worker by name: the name rule is only for when the JVM could not be asked.
        ThreadClass cls = ThreadClass.of(javaThreadName(tid), comm, JvmThreads.failure() != null ? workerName : null);
        classes.put(tid, cls);
        return cls;
    }

    /** The JVM's name for a thread, or null; a thread dump only when a thread shows up that the last one did not name. */
    private String javaThreadName(int tid) {
        if (!javaThreads.containsKey(tid)) {
            javaThreads = JvmThreads.snapshot();
            if (JvmThreads.failure() != null && !dumpFailureSaid) {
                dumpFailureSaid = true;
                System.err.println("gpuos: in-process thread dump failed (" + JvmThreads.failure() + "): JMH workers are recognised by"
                        + " their kernel name, other Java threads only by HotSpot's thread names; a jlink'd runtime needs jdk.jfr and jdk.management");
            }
        }
        return javaThreads.get(tid);
    }
}
