package gpuos.interventions.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.interventions.annotations.Backend;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The generated index against the classes it names: the processor's output is what the runner relies on. */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class InterventionIndexTest {
    private final InterventionIndex index = InterventionIndex.load();

    @Test
    void everyFamilyOfIssue4IsThereWithAtLeastTwelveInterventions() {
        Map<String, List<String>> byFamily = index.entries().stream().filter(e -> !e.baseline())
                .collect(Collectors.groupingBy(IndexEntry::family, Collectors.mapping(IndexEntry::name, Collectors.toList())));
        int phase2 = byFamily.getOrDefault("batching", List.of()).size() + byFamily.getOrDefault("sync", List.of()).size()
                + byFamily.getOrDefault("allocation", List.of()).size();
        assertTrue(phase2 >= 12, "batching + sync + allocation: " + byFamily);
        for (String f : List.of("batching", "sync", "allocation")) assertTrue(byFamily.containsKey(f), f + " missing: " + byFamily);
    }

    @Test
    void everyEntryNamesALoadableClassImplementingItsBackends() throws Exception {
        for (IndexEntry e : index.entries()) {
            Class<?> c = Class.forName(e.className());
            for (Backend b : Backend.values()) {
                boolean implementsIt = Class.forName(b.lifecycle()).isAssignableFrom(c);
                assertEquals(e.backends().contains(b.label()), implementsIt, e.name() + " / " + b);
            }
        }
    }

    @Test
    void everyPredictionIsAgainstAnInterventionThatRunsOnTheSameBackends() {
        for (IndexEntry e : index.entries()) {
            for (IndexEntry.PredictionEntry p : e.predictions()) {
                IndexEntry against = index.find(p.against()).orElseThrow(() -> new AssertionError(e.name() + " predicts against unknown " + p.against()));
                for (String b : e.backends())
                    if (p.appliesTo(b)) assertTrue(against.runsOn(b), e.name() + ": " + p.describe() + " on " + b + ", where " + against.name() + " does not run");
            }
        }
    }

    @Test
    void unknownNamesAndWrongBackendsAreOneLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> index.require("nope", "cuda"));
        assertTrue(e.getMessage().startsWith("no intervention 'nope' (cuda has ["), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> index.require("cuda-graph", "opencl"));
        assertEquals("intervention 'cuda-graph' does not run on opencl (its backends: [cuda])", f.getMessage());
    }
}
