package gpuos.reports.results;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One line in a chart: a benchmark method ({@code <Family>.<variant>}) with its parameters other than the
 * two axes (bytes, reps). The name adds the backend package or the JMH mode only where they are needed to
 * tell two series apart.
 */
public record Series(String name, String backend, String family, String variant, String mode,
                     SortedMap<String, String> params) implements Comparable<Series> {

    public String methodName() {
        return family + "." + variant;
    }

    /** The end of a series name that lists its params, " [gpuNanos=1000, waitPolicy=spin]"; empty without params. */
    public static String paramsSuffix(Map<String, String> params) {
        if (params.isEmpty()) return "";
        return params.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(", ", " [", "]"));
    }

    /**
     * The series that pools this one with those that differ from it only in {@code param}: the same without that param,
     * named without it ("CudaExecution.spin [waitPolicy=spin]" for "CudaExecution.spin [gpuNanos=1000, waitPolicy=spin]").
     * This series where it has no such param. A name that does not end in its params' list (made elsewhere) keeps its
     * text and says which param is pooled: "name (all param)".
     */
    public Series without(String param) {
        if (!params.containsKey(param)) return this;
        SortedMap<String, String> rest = new TreeMap<>(params);
        rest.remove(param);
        String suffix = paramsSuffix(params);
        String pooled = name.endsWith(suffix)
                ? name.substring(0, name.length() - suffix.length()) + paramsSuffix(rest)
                : name + " (all " + param + ")";
        return new Series(pooled, backend, family, variant, mode, rest);
    }

    @Override
    public int compareTo(Series other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
