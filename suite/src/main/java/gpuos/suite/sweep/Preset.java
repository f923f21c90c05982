package gpuos.suite.sweep;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named list of parts; {@link Presets} holds the ones {@code scripts/sweep} offers.
 *
 * @param runFiles files (name to content) the sweep writes into the run folder before the first part, such as
 *                 Phase 2's {@code interventions.json}
 */
public record Preset(String name, List<Part> parts, Map<String, String> runFiles) {
    public Preset {
        parts = List.copyOf(parts);
        runFiles = Map.copyOf(runFiles);
        long distinct = parts.stream().map(Part::name).distinct().count();
        if (distinct != parts.size()) throw new IllegalArgumentException("preset " + name + " has duplicate part names");
    }

    public Preset(String name, List<Part> parts) {
        this(name, parts, Map.of());
    }

    public Optional<Part> part(String partName) {
        return parts.stream().filter(p -> p.name().equals(partName)).findFirst();
    }
}
