package gpuos.natives.gpujob;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A job's {@code gj_stats}, read in place: no copy and no system call, valid until the job is closed (after that
 * a read throws IllegalStateException). The library's threads update each field with relaxed atomic stores, so
 * each getter is an opaque read of one field; two getters may see different moments.
 */
public final class GpuJobStats {
    /** {@code struct gj_stats}, fields named as in gpujob.h (a test checks offsets and size against the compiler). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("submissions"), JAVA_LONG.withName("completions"), JAVA_LONG.withName("failures"),
            JAVA_LONG.withName("gpu_ns_total"), JAVA_LONG.withName("gpu_ns_last"),
            JAVA_LONG.withName("waits"), JAVA_LONG.withName("wait_ns_total"), JAVA_LONG.withName("wait_poll_ns_total"),
            JAVA_LONG.withName("wait_sleep_ns_total"), JAVA_LONG.withName("lib_syscalls"),
            JAVA_LONG.withName("predicted_end_ns_last"), JAVA_LONG.withName("observed_end_ns_last"),
            JAVA_LONG.withName("wakes_early"), JAVA_LONG.withName("wakes_late"), JAVA_LONG.withName("wake_early_ns_total"),
            JAVA_LONG.withName("fallback_query_polls"), JAVA_LONG.withName("fd_signals"), JAVA_LONG.withName("predicted_latency_ns"),
            JAVA_INT.withName("last_backend_error"), JAVA_INT.withName("last_errno"),
            JAVA_INT.withName("completion_by_word"), JAVA_INT.withName("state"), JAVA_LONG.withName("submit_driver_calls"),
            JAVA_LONG.withName("timed_completions"));

    private static final VarHandle U64 = JAVA_LONG.varHandle();
    private static final VarHandle I32 = JAVA_INT.varHandle();
    private static final long SUBMISSIONS = offset("submissions"), COMPLETIONS = offset("completions"), FAILURES = offset("failures");
    private static final long GPU_NS_TOTAL = offset("gpu_ns_total"), GPU_NS_LAST = offset("gpu_ns_last"), WAITS = offset("waits");
    private static final long WAIT_NS_TOTAL = offset("wait_ns_total"), WAIT_POLL_NS_TOTAL = offset("wait_poll_ns_total");
    private static final long WAIT_SLEEP_NS_TOTAL = offset("wait_sleep_ns_total"), LIB_SYSCALLS = offset("lib_syscalls");
    private static final long PREDICTED_END_NS_LAST = offset("predicted_end_ns_last"), OBSERVED_END_NS_LAST = offset("observed_end_ns_last");
    private static final long WAKES_EARLY = offset("wakes_early"), WAKES_LATE = offset("wakes_late"), WAKE_EARLY_NS_TOTAL = offset("wake_early_ns_total");
    private static final long FALLBACK_QUERY_POLLS = offset("fallback_query_polls"), FD_SIGNALS = offset("fd_signals");
    private static final long PREDICTED_LATENCY_NS = offset("predicted_latency_ns"), LAST_BACKEND_ERROR = offset("last_backend_error");
    private static final long LAST_ERRNO = offset("last_errno"), COMPLETION_BY_WORD = offset("completion_by_word"), STATE = offset("state");
    private static final long SUBMIT_DRIVER_CALLS = offset("submit_driver_calls"), TIMED_COMPLETIONS = offset("timed_completions");

    private final MemorySegment stats;

    /** {@code stats}: the job's gj_stats, sized to {@link #LAYOUT} and scoped to the job's arena. */
    GpuJobStats(MemorySegment stats) {
        this.stats = stats;
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private long u64(long offset) { return (long) U64.getOpaque(stats, offset); }

    private int i32(long offset) { return (int) I32.getOpaque(stats, offset); }

    public long submissions() { return u64(SUBMISSIONS); }
    public long completions() { return u64(COMPLETIONS); }
    public long failures() { return u64(FAILURES); }
    /** GPU start to GPU end of the job's work, from timing events, summed over the timed completions. */
    public long gpuNanosTotal() { return u64(GPU_NS_TOTAL); }
    /** Completions with a GPU time: all of them on OpenCL and unfolded CUDA; folded CUDA jobs time the first 8 and then
     *  1 in GPUJOB_TIME_EVERY (16). */
    public long timedCompletions() { return u64(TIMED_COMPLETIONS); }
    public long gpuNanosLast() { return u64(GPU_NS_LAST); }
    public long waits() { return u64(WAITS); }
    public long waitNanosTotal() { return u64(WAIT_NS_TOTAL); }
    public long waitPollNanosTotal() { return u64(WAIT_POLL_NS_TOTAL); }
    public long waitSleepNanosTotal() { return u64(WAIT_SLEEP_NS_TOTAL); }
    /** System calls the library made for waits and fd signals (not the driver's). */
    public long libSyscalls() { return u64(LIB_SYSCALLS); }
    public long predictedEndNanosLast() { return u64(PREDICTED_END_NS_LAST); }
    public long observedEndNanosLast() { return u64(OBSERVED_END_NS_LAST); }
    public long wakesEarly() { return u64(WAKES_EARLY); }
    public long wakesLate() { return u64(WAKES_LATE); }
    public long wakeEarlyNanosTotal() { return u64(WAKE_EARLY_NS_TOTAL); }
    public long fallbackQueryPolls() { return u64(FALLBACK_QUERY_POLLS); }
    public long fdSignals() { return u64(FD_SIGNALS); }
    public long predictedLatencyNanos() { return u64(PREDICTED_LATENCY_NS); }
    public int lastBackendError() { return i32(LAST_BACKEND_ERROR); }
    public int lastErrno() { return i32(LAST_ERRNO); }
    /** True when completion is seen through the word the GPU writes; false for the driver event-query fallback. */
    public boolean completionByWord() { return i32(COMPLETION_BY_WORD) == 1; }
    /** Driver calls made by submissions: on CUDA 1 per submission when the job's graph carries its own events and
     *  completion word (folded), 4 when not; plus 1 per submission once the job has been waited on in BLOCKING mode. */
    public long submitDriverCalls() { return u64(SUBMIT_DRIVER_CALLS); }
    /** {@code gj_job_state}: 1 created, 2 recorded, 3 submitted, 4 complete, 5 failed. */
    public int state() { return i32(STATE); }

    @Override
    public String toString() {
        return "submissions=" + submissions() + " completions=" + completions() + " failures=" + failures() + " waits=" + waits()
                + " gpuNsLast=" + gpuNanosLast() + " libSyscalls=" + libSyscalls() + " wakesEarly=" + wakesEarly() + " wakesLate=" + wakesLate()
                + " fdSignals=" + fdSignals() + " submitDriverCalls=" + submitDriverCalls() + " predictedLatencyNs=" + predictedLatencyNanos() + " state=" + state();
    }
}
