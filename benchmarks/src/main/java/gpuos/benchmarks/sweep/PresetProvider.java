package gpuos.benchmarks.sweep;

import java.util.List;

/**
 * Presets from a module that builds on this one (Phase 2's interventions), found with {@link java.util.ServiceLoader}
 * when its jar is on the class path: {@code META-INF/services/gpuos.benchmarks.sweep.PresetProvider}.
 */
public interface PresetProvider {
    List<Preset> presets();
}
