package gpuos.benchmarks.sweep;

import java.util.List;
import java.util.Optional;

/** A named list of parts; {@link Presets} holds the ones {@code scripts/sweep} offers. */
public record Preset(String name, List<Part> parts) {
    public Preset {
        parts = List.copyOf(parts);
        long distinct = parts.stream().map(Part::name).distinct().count();
        if (distinct != parts.size()) throw new IllegalArgumentException("preset " + name + " has duplicate part names");
    }

    public Optional<Part> part(String partName) {
        return parts.stream().filter(p -> p.name().equals(partName)).findFirst();
    }
}
