package gpuos.interventions.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's table is generated: it must match the annotations (regenerate with the command in the message). */
class CatalogTest {
    @Test
    void readmeTableIsUpToDate() throws Exception {
        Path readme = Path.of("..", "README.md");
        // Only what main/ ships: the test index (deliberately failing interventions) is not in the README.
        List<IndexEntry> shipped = InterventionIndex.load().entries().stream().filter(e -> !e.className().contains(".failing.")).toList();
        assertEquals(Catalog.table(shipped), Catalog.block(Files.readString(readme)),
                "README.md's interventions table is stale: java -cp suite/target/gpuos.jar gpuos.interventions.index.Catalog --write README.md");
    }
}
