package gpuos.benchmarks.cuda;

import static jcuda.driver.CUctx_flags.CU_CTX_SCHED_AUTO;
import static jcuda.driver.CUctx_flags.CU_CTX_SCHED_BLOCKING_SYNC;
import static jcuda.driver.CUctx_flags.CU_CTX_SCHED_SPIN;
import static jcuda.driver.CUctx_flags.CU_CTX_SCHED_YIELD;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the host thread waits for the GPU in a synchronize call: the context's CU_CTX_SCHED_* flag, the
 * {@code waitPolicy} param of the CUDA benchmarks. Measured on an H200 (reference-runs/FINDINGS.md, Phase 1 on the
 * GPU node): spin and auto make ~0 syscalls per launch+sync, yield ~5 sched_yield, blocking ~5.3 (futex 2.0, poll 1.3,
 * read 1.0, write 1.0 on the worker and CUDA's threads) and ~3x the time at 4 KiB.
 */
public enum WaitPolicy {
    /** The driver's choice: spin while the process has fewer active contexts than cores, else yield. */
    AUTO(CU_CTX_SCHED_AUTO),
    /** Busy-wait on the host: lowest latency, one core burnt while waiting. */
    SPIN(CU_CTX_SCHED_SPIN),
    /** Spin, calling sched_yield between polls. */
    YIELD(CU_CTX_SCHED_YIELD),
    /** Sleep on a synchronization primitive until the GPU signals (an interrupt through the driver). */
    BLOCKING(CU_CTX_SCHED_BLOCKING_SYNC);

    /** The flag for cuCtxCreate (compile-time constants: naming them loads no JCuda native code). */
    public final int contextFlag;

    WaitPolicy(int contextFlag) {
        this.contextFlag = contextFlag;
    }

    /** The param spelling: {@code auto}, {@code spin}, {@code yield}, {@code blocking}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code waitPolicy} param value; a bad one throws with the accepted values. */
    public static WaitPolicy parse(String value) {
        for (WaitPolicy p : values()) if (p.key().equals(value)) return p;
        throw new IllegalArgumentException("waitPolicy '" + value + "' unknown: use one of "
                + Arrays.stream(values()).map(WaitPolicy::key).collect(Collectors.joining(", ")));
    }
}
