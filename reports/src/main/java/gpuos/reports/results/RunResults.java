package gpuos.reports.results;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything read from one results folder.
 *
 * @param sources       result files read, relative to the folder, with their number of entries
 * @param partialFiles  {@code *.json.partial} files left by an interrupted run, relative to the folder
 * @param interventions interventions.json (Phase 2); absent before Phase 2
 * @param failures      failures.jsonl (Phase 2): interventions that threw; empty when none or no file
 */
public record RunResults(Path folder, Metadata metadata, List<BenchmarkPoint> points,
                         Map<String, Integer> sources, List<String> partialFiles,
                         RunInterventions interventions, List<Failure> failures) {

    public RunResults(Path folder, Metadata metadata, List<BenchmarkPoint> points, Map<String, Integer> sources, List<String> partialFiles) {
        this(folder, metadata, points, sources, partialFiles, RunInterventions.absent(), List.of());
    }

    /** Points grouped by series, series sorted by name. */
    public Map<Series, List<BenchmarkPoint>> bySeries() {
        return bySeries(points);
    }

    /** Phase-1 points: every point except those of the Phase-2 runner benchmarks. */
    public List<BenchmarkPoint> phase1Points() {
        return points.stream().filter(p -> !Runner.isRunner(p)).toList();
    }

    /** Points of the Phase-2 runner benchmarks ({@link Runner}). */
    public List<BenchmarkPoint> runnerPoints() {
        return points.stream().filter(Runner::isRunner).toList();
    }

    /** Whether the folder holds anything of Phase 2 to report: runner results or failures (an index alone is not a run). */
    public boolean hasPhase2() {
        return !runnerPoints().isEmpty() || !failures.isEmpty();
    }

    public static Map<Series, List<BenchmarkPoint>> bySeries(List<BenchmarkPoint> points) {
        return points.stream().collect(Collectors.groupingBy(BenchmarkPoint::series, TreeMap::new, Collectors.toList()));
    }
}
