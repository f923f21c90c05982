package gpuos.reports.resnet;

import java.nio.file.Path;
import java.util.Map;

/**
 * One phase of one {@code benchmarks/python/resnet_infer.py} process: an entry of its JSON list. The process is the unit
 * of replication; in a load folder each process of a round is one entry with {@code loadN} set.
 *
 * @param syscalls   syscalls per inference, NaN where the process had no counter (load: all but process 0)
 * @param byName     syscalls per inference by name; empty without a counter
 * @param loadN      processes in the round, 0 for a sweep entry
 */
public record InferenceRun(Path file, Point point, double latencyMeanMs, double p50Ms, double p99Ms, double[] latencyUs,
                           long startEpochNs, long endEpochNs, double cpuMs, double voluntaryCtx, double involuntaryCtx,
                           double syscalls, Map<String, Double> byName, int loadN) {

    /** What a sweep point is: the script's arguments that change what is measured. */
    public record Point(String mode, int batch, String dtype, String waitMode, String allocator, int iters) {
        /** The same point with another wait: the baseline a wait is compared with. */
        public Point withWait(String other) {
            return new Point(mode, batch, dtype, other, allocator, iters);
        }

        @Override
        public String toString() {
            return mode + " bs" + batch + " " + dtype + " " + waitMode + (allocator.equals("caching") ? "" : " allocator " + allocator) + ", " + iters + " inferences";
        }
    }

    public boolean counted() {
        return !Double.isNaN(syscalls);
    }

    public int iters() {
        return point.iters();
    }
}
