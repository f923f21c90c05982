package gpuos.reports.results;

import java.util.SortedMap;

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

    @Override
    public int compareTo(Series other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
