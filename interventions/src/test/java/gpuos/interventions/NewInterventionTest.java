package gpuos.interventions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.interventions.annotations.processing.InterventionProcessor;
import gpuos.interventions.index.Catalog;
import gpuos.interventions.index.IndexEntry;
import gpuos.interventions.index.InterventionIndex;
import gpuos.reports.ReportMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's promise: the example class in interventions/README.md, compiled as a user would compile it (javac
 * with the annotation processor, nothing else), runs from the JMH runner, lands in the generated table, and its
 * predictions get verdicts in the report.
 */
class NewInterventionTest {
    @TempDir
    Path tmp;

    @Test
    void theGuidesExampleRunsFromJmhAndAppearsInTheTableAndTheReport() throws Exception {
        String guide = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertTrue(block.find(), "interventions/README.md has a ```java example");
        String source = block.group(1);
        assertTrue(source.lines().count() <= 30, "the guide's example is under 30 lines: " + source.lines().count());
        String pkg = match("package ([\\w.]+);", source), cls = match("public (?:final )?class (\\w+)", source);

        Path src = tmp.resolve("src").resolve(pkg.replace('.', '/')).resolve(cls + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null, List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-processorpath", System.getProperty("java.class.path"), "-processor", InterventionProcessor.class.getName()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src)).call();
        assertTrue(ok, "the guide's example compiles: " + diagnostics);

        IndexEntry entry;
        List<IndexEntry> all;
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            InterventionIndex index = InterventionIndex.load(loader);
            all = index.entries();
            entry = all.stream().filter(e -> e.className().equals(pkg + "." + cls)).findFirst()
                    .orElseThrow(() -> new AssertionError("the processor indexed " + pkg + "." + cls));
            assertTrue(Catalog.table(all).contains("| `" + entry.name() + "` | " + entry.family() + " | cpu |"), Catalog.table(all));
        }

        Path run = tmp.resolve("run");
        Path result = Files.createDirectories(run.resolve("jmh")).resolve("interventions-cpu.json");
        List<String> args = new ArrayList<>(List.of("^gpuos\\.interventions\\.runner\\.CpuRunner\\.operation$",
                "-p", "intervention=baseline," + entry.name(), "-p", "bytes=1048576", "-p", "reps=4",
                "-f", "3", "-wi", "2", "-w", "100ms", "-i", "3", "-r", "100ms", "-foe", "true",
                "-jvmArgsAppend", "--enable-native-access=ALL-UNNAMED", "-rf", "json", "-rff", result.toString()));
        boolean counting = gpuos.profiler.LinuxSyscallProfiler.unsupportedReason().isEmpty();
        if (counting) args.addAll(List.of("-prof", "gpuos.profiler.LinuxSyscallProfiler"));
        ChildJmh.Outcome jmh = ChildJmh.run(List.of(classes), args, tmp.resolve("console.log"));
        assertEquals(0, jmh.exitCode(), jmh.console());
        assertTrue(Files.readString(result).contains("\"intervention\" : \"" + entry.name() + "\""), "its name lands in the JSON results");

        Files.writeString(run.resolve("interventions.json"), new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(all));
        Files.writeString(run.resolve("metadata.json"), "{\"runId\": \"guide\", \"preset\": \"interventions\"}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(0, ReportMain.run(new String[] {run.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        String report = Files.readString(run.resolve("report.md"));
        for (IndexEntry.PredictionEntry p : entry.predictions()) {
            String row = report.lines().filter(l -> l.contains(entry.name()) && l.contains(p.metric()) && l.contains(p.direction()))
                    .findFirst().orElseThrow(() -> new AssertionError("report.md has a verdict row for " + entry.name() + ": " + p.describe() + "\n" + report));
            assertTrue(row.matches(".*(confirmed|refuted|inconclusive).*"), row);
        }
        // Which verdict the time row gets is not asserted: 3 forks of 0.3 s on a shared 2-core machine (a sweep beside the
        // tests) gave "inconclusive" once, honestly (182 ± 169 against 279 ± 219 us/op), and the baseline's forks and
        // the example's run at different times, so a burst of load can even reverse them. The rule and the pairing of
        // subject and baseline are tested on fixed data in the reports module (Phase2Test).
        String timeRow = report.lines().filter(l -> l.contains(entry.name()) && l.contains("time") && l.contains("rises")).findFirst().orElseThrow();
        System.out.println("the guide's example, time row: " + timeRow);
    }

    private static String match(String regex, String s) {
        Matcher m = Pattern.compile(regex).matcher(s);
        assertTrue(m.find(), regex);
        return m.group(1);
    }
}
