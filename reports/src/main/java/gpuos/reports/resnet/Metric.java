package gpuos.reports.resnet;

import java.util.function.ToDoubleFunction;

/** A per-run figure of a sweep point: what a column of the report and an axis of a chart show. */
public enum Metric {
    LATENCY("latency", "ms/inference", 3, InferenceRun::latencyMeanMs),
    P50("p50 latency", "ms", 3, InferenceRun::p50Ms),
    P99("p99 latency", "ms", 3, InferenceRun::p99Ms),
    CPU("CPU time", "ms/inference", 3, InferenceRun::cpuMs),
    SYSCALLS("syscalls", "#/inference", 2, InferenceRun::syscalls),
    VOLUNTARY_CTX("voluntary context switches", "#/inference", 2, InferenceRun::voluntaryCtx),
    INVOLUNTARY_CTX("involuntary context switches", "#/inference", 2, InferenceRun::involuntaryCtx);

    public final String words;
    public final String unit;
    public final int digits;
    final ToDoubleFunction<InferenceRun> of;

    Metric(String words, String unit, int digits, ToDoubleFunction<InferenceRun> of) {
        this.words = words;
        this.unit = unit;
        this.digits = digits;
        this.of = of;
    }
}
