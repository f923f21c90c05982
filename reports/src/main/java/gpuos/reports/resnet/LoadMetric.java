package gpuos.reports.resnet;

/** A figure of one load round (N processes together), computed from all of its processes as summarize.py does. */
public enum LoadMetric {
    THROUGHPUT("throughput, all processes", "inferences/s", 0),
    P50("p50 latency, pooled samples", "ms", 3),
    P99("p99 latency, pooled samples", "ms", 3),
    CPU("CPU time per inference", "ms/inference", 3),
    SYSCALLS("syscalls per inference (process 0)", "#/inference", 2),
    VOLUNTARY_CTX("voluntary context switches per inference", "#/inference", 2),
    INVOLUNTARY_CTX("involuntary context switches per inference", "#/inference", 2);

    public final String words;
    public final String unit;
    public final int digits;

    LoadMetric(String words, String unit, int digits) {
        this.words = words;
        this.unit = unit;
        this.digits = digits;
    }
}
