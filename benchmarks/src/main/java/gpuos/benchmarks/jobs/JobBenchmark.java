package gpuos.benchmarks.jobs;

import gpuos.benchmarks.SweepAxes;
import gpuos.natives.gpujob.GpuJob;
import gpuos.natives.gpujob.GpuJobBackend;
import gpuos.natives.gpujob.GpuJobStats;
import gpuos.natives.gpujob.Recorder;
import gpuos.natives.gpujob.WaitMode;
import java.util.ArrayDeque;
import java.util.Deque;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the jobs family measures, whatever the backend: GPU work submitted as a gpujob job (docs: gpujob.h) and
 * waited for in one of the library's {@link WaitMode}s. A subclass opens the backend and records two works: an
 * empty kernel over {@code bytes / 4} threads (the shape of the suite's emptyKernel and launchSync) and a spin
 * kernel (GPU busy time). {@code reps} is the number of jobs per operation, as launches are elsewhere.
 *
 * <p>The jobs are made once per trial, recorded and run once (driver JIT, OpenCL program build) before measuring;
 * an operation allocates nothing. Jobs waited for in FD mode are made with a completion fd; the others without,
 * so that no completion thread runs (and makes system calls) where its fd is not read.
 */
public abstract class JobBenchmark extends SweepAxes {
    /** Jobs in {@link #submitOnly}'s ring: enough that an empty job submitted 16 submissions ago has long ended. */
    static final int RING_JOBS = 16;

    /** The {@code waitMode} param, apart from the benchmark's state so that {@link #submitOnly} is not run once per mode. */
    @State(Scope.Benchmark)
    public static class Waiting {
        /** How a job is waited for: {@code spin}, {@code blocking}, {@code fd}, {@code predict} ({@link WaitMode}). */
        @Param({"spin", "blocking", "fd", "predict"})
        public String waitMode;

        WaitMode mode;

        @Setup(Level.Trial)
        public void parse() {
            mode = WaitMode.parse(waitMode);
        }
    }

    /** How many {@link #submitOnly} operations found their ring job still running and had to wait (0: the score is submission cost). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class RingStalls {
        public long stalls;

        @Setup(Level.Iteration)
        public void reset() {
            stalls = 0;
        }
    }

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private GpuJob empty, emptyWithFd, spin, spinWithFd;
    private final GpuJob[] ring = new GpuJob[RING_JOBS];
    private int next;

    /**
     * Called by the subclass's trial setup: {@code backend} and the {@code kernels} behind the recorders are closed
     * at teardown, after the jobs.
     */
    protected void start(GpuJobBackend backend, Recorder emptyWork, Recorder spinWork, AutoCloseable... kernels) {
        owned.push(backend);
        for (AutoCloseable k : kernels) owned.push(k);
        empty = job(backend, emptyWork, false);
        emptyWithFd = job(backend, emptyWork, true);
        spin = job(backend, spinWork, false);
        spinWithFd = job(backend, spinWork, true);
        for (int i = 0; i < RING_JOBS; i++) ring[i] = job(backend, emptyWork, false);
    }

    private GpuJob job(GpuJobBackend backend, Recorder work, boolean completionFd) {
        GpuJob job = backend.createJob(completionFd ? GpuJob.Options.DEFAULT.withCompletionFd() : GpuJob.Options.DEFAULT);
        owned.push(job);
        job.record(work);
        job.submit();
        // SPIN, not BLOCKING: one BLOCKING wait makes every later submission carry a blocking-sync event
        // (docs/gpu-job.md), which the driver's helper thread polls once per job: the 1 poll per op on a runtime
        // thread that the H200 runs of 2026-12-02 showed in SPIN and PREDICT.
        job.await(WaitMode.SPIN);
        return job;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        // The library's own accounting of the jobs this trial ran, into the fork's console: e.g. how long spin.cl
        // kept the device busy, which no param says.
        report("empty", empty);
        report("empty with fd", emptyWithFd);
        report("spin", spin);
        report("spin with fd", spinWithFd);
        while (!owned.isEmpty()) owned.pop().close();
    }

    private static void report(String name, GpuJob job) {
        GpuJobStats s = job.stats();
        long measured = s.submissions() - 1; // the setup's run
        if (measured < 1) return;
        System.out.printf("gpujob %s job: %d submissions, GPU %.1f us/job, wait %.1f us/job (%.1f asleep), %.2f library syscalls/job, "
                        + "%d early / %d late wakes, predicted latency %.1f us%n", name, measured, s.gpuNanosTotal() / 1e3 / Math.max(1, s.timedCompletions()),
                s.waitNanosTotal() / 1e3 / s.waits(), s.waitSleepNanosTotal() / 1e3 / s.waits(), s.libSyscalls() / (double) s.waits(),
                s.wakesEarly(), s.wakesLate(), s.predictedLatencyNanos() / 1e3);
    }

    /** {@code reps} x (submit an empty job, wait for it): the launch round trip, against CudaExecution/OpenClExecution's. */
    @Benchmark
    public void launchSync(Waiting waiting) {
        GpuJob job = waiting.mode == WaitMode.FD ? emptyWithFd : empty;
        for (int r = 0; r < reps; r++) {
            job.submit();
            job.await(waiting.mode);
        }
    }

    /** {@code reps} x (submit the spin job, wait for it): how each wait mode waits out GPU time. */
    @Benchmark
    public void spin(Waiting waiting) {
        GpuJob job = waiting.mode == WaitMode.FD ? spinWithFd : spin;
        for (int r = 0; r < reps; r++) {
            job.submit();
            job.await(waiting.mode);
        }
    }

    /**
     * {@code reps} submissions of empty jobs, nothing waited for in the common case: the library's cost per
     * gj_submit (with the driver's enqueue inside it: graph launch, or the OpenCL replay), against a target of
     * under 1 µs of library overhead. A job cannot be resubmitted before its last submission is seen complete, so
     * the operation takes the next of {@value #RING_JOBS} jobs in a ring, looks at its completion word once (gj_poll:
     * a memory read, no system call) and submits it. The GPU runs the ring's jobs meanwhile; when it falls behind,
     * the poll finds the job running, the operation spin-waits for it and counts a {@code stalls} event: with
     * {@code stalls} at 0 the score is poll + submit, with stalls it is bounded by GPU throughput instead.
     */
    @Benchmark
    public void submitOnly(RingStalls counters) {
        for (int r = 0; r < reps; r++) {
            GpuJob job = ring[next];
            next = next + 1 == RING_JOBS ? 0 : next + 1;
            if (!job.poll()) {
                counters.stalls++;
                job.await(WaitMode.SPIN);
            }
            job.submit();
        }
    }
}
