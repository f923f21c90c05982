package gpuos.reports.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * One benchmark at one parameter point, reduced to per-fork values: the fork is the unit of replication,
 * iterations inside a fork are not independent (same JIT state, same heap, same device context).
 *
 * @param params    all JMH params, axes included
 * @param forkMeans label to its per-fork value (NaN where a fork has no value for a non-syscall label)
 * @param units     label to unit
 */
public record BenchmarkPoint(Series series, String benchmark, SortedMap<String, String> params,
                             OptionalLong bytes, OptionalLong reps, int forks,
                             Map<String, double[]> forkMeans, Map<String, String> units, String source) {

    public Set<String> labels() {
        return forkMeans.keySet();
    }

    public boolean hasSyscallProfiler() {
        return forkMeans.containsKey(Labels.SYSCALLS_TOTAL);
    }

    /**
     * Per-fork values of a label, NaN-free. A syscall label the profiler never emitted at this point is
     * 0 in every fork (the profiler omits zero counts); any other absent label is empty.
     */
    public Optional<double[]> forkValues(String label) {
        double[] values = forkMeans.get(label);
        if (values != null) {
            return Optional.of(Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray());
        }
        if (Labels.zeroWhenAbsent(label) && hasSyscallProfiler()) {
            return Optional.of(new double[forks]);
        }
        return Optional.empty();
    }

    public String unit(String label) {
        return units.getOrDefault(label, Labels.zeroWhenAbsent(label) ? "#/op" : "");
    }

    /** Where on the axes the point lies, "bytes=1048576, reps=10"; the series name has the other params. */
    public String coordinates() {
        List<String> axes = new ArrayList<>();
        bytes.ifPresent(b -> axes.add(ResultsReader.BYTES + "=" + b));
        reps.ifPresent(r -> axes.add(ResultsReader.REPS + "=" + r));
        return axes.isEmpty() ? "its only point" : String.join(", ", axes);
    }

    /** A param's value as a whole number; empty where the point has no such param or it is not one. */
    public OptionalLong numericParam(String param) {
        return ResultsReader.number(params.get(param));
    }

    /** All JMH params, "bytes=1048576;platform=pocl;reps=10". */
    public String paramsText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }
}
