package gpuos.reports;

import gpuos.reports.analysis.Warning;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README quotes every warning, so a search for a warning's sentence finds its fix: keep them in step. */
class ReadmeTest {
    @Test
    void readmeQuotesEveryWarning() throws IOException {
        // surefire runs in the module folder; table cells escape the pipe
        String readme = Files.readString(Path.of("README.md")).replace("\\|", "|");
        for (Warning warning : Warning.values()) {
            assertTrue(readme.contains("`" + warning.name() + "`"), "README.md lists " + warning.name());
            assertTrue(readme.contains(warning.sentence.replace("%%", "%")), "README.md quotes the sentence of " + warning.name());
        }
    }
}
