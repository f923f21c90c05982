package gpuos.reports.results;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything read from one results folder.
 *
 * @param sources      result files read, relative to the folder, with their number of entries
 * @param partialFiles {@code *.json.partial} files left by an interrupted run, relative to the folder
 */
public record RunResults(Path folder, Metadata metadata, List<BenchmarkPoint> points,
                         Map<String, Integer> sources, List<String> partialFiles) {

    /** Points grouped by series, series sorted by name. */
    public Map<Series, List<BenchmarkPoint>> bySeries() {
        return points.stream().collect(Collectors.groupingBy(BenchmarkPoint::series, TreeMap::new, Collectors.toList()));
    }
}
