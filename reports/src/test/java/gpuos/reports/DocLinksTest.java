package gpuos.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The front door and the module READMEs link to files of the repository: every relative link resolves, so a moved
 * file or folder (or a renamed heading) cannot leave a dead link behind. The reports module reads files only, so this runs anywhere.
 */
class DocLinksTest {
    /** surefire runs in the module folder. */
    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** README.md, every top-level folder's README.md, reference-runs' findings and docs/. */
    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> folders = Files.list(ROOT)) {
            folders.filter(Files::isDirectory).map(d -> d.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(docs::add);
        }
        for (String more : List.of("reference-runs/FINDINGS.md", "reference-runs/gpu-node/README.md", "interventions/processor/README.md")) {
            if (Files.isRegularFile(ROOT.resolve(more))) docs.add(ROOT.resolve(more));
        }
        try (Stream<Path> md = Files.list(ROOT.resolve("docs"))) {
            md.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void everyRelativeLinkResolvesToAFile() throws IOException {
        List<String> dead = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) continue; // https:, mailto:, same-page anchors
                String path = target.replaceFirst("#.*$", "");
                checked++;
                Path file = doc.getParent().resolve(path);
                if (!Files.exists(file)) dead.add(ROOT.relativize(doc) + ": " + target);
                else if (target.contains("#") && path.endsWith(".md") && !anchors(file).contains(target.substring(target.indexOf('#') + 1)))
                    dead.add(ROOT.relativize(doc) + ": " + target + " (no such heading)");
            }
        }
        assertTrue(checked > 20, "found the links (" + checked + ")");
        assertEquals(List.of(), dead, "dead relative links");
    }

    /** GitHub's anchors of a document's headings: lower case, punctuation dropped, spaces to hyphens. */
    static List<String> anchors(Path md) throws IOException {
        return Files.readAllLines(md).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .toList();
    }

    @Test
    void readmeShowsTheCiCommandWordForWord() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        List<String> commands = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd ")).toList();
        assertEquals(List.of("scripts/test"), commands, ".ci/run runs the README's test command");
        assertTrue(readme.containsAll(commands), "README.md shows " + commands + " as a line of its own");
    }
}
