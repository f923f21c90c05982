package gpuos.interventions.annotations.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor on real javac runs: a malformed @Intervention is a compile error that says what to fix. */
class InterventionProcessorTest {
    /** Stand-ins for the lifecycle interfaces of gpuos-interventions, which this module cannot depend on. */
    private static final String ON_CPU = "package gpuos.interventions; public interface OnCpu { void run(Object work); }";
    private static final String ON_CUDA = "package gpuos.interventions; public interface OnCuda { void run(Object work); }";

    @TempDir
    Path tmp;

    private record Compiled(boolean ok, String diagnostics, Path classes) {
        String index() throws java.io.IOException {
            Path f = classes.resolve(InterventionProcessor.INDEX);
            return Files.exists(f) ? Files.readString(f) : null;
        }
    }

    private Compiled compile(String intervention) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<Path> files = new ArrayList<>();
        for (String s : List.of(ON_CPU, ON_CUDA, intervention)) {
            String pkg = s.replaceFirst("(?s)^package ([\\w.]+);.*", "$1");
            String name = s.replaceFirst("(?s).*(?:interface|class) (\\w+).*", "$1");
            Path f = src.resolve(pkg.replace('.', '/')).resolve(name + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, s);
            files.add(f);
        }
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, null, null, List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-processorpath", System.getProperty("java.class.path"), "-processor", InterventionProcessor.class.getName()), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(files.toArray(Path[]::new))).call();
        return new Compiled(ok, out.toString(), classes);
    }

    private static String cls(String annotation, String body) {
        return "package gpuos.interventions.sync; import gpuos.interventions.annotations.*;\n" + annotation + "\n"
                + "public class SyncEveryK implements gpuos.interventions.OnCpu { " + body + " public void run(Object w) {} }";
    }

    private static final String GOOD = "@Intervention(summary = \"wait every k\", backends = Backend.CPU,"
            + " knobs = @Knob(name = \"k\", value = \"4\", doc = \"launches per wait\"),"
            + " predicts = @Predict(metric = \"syscalls.role.sync\", direction = Direction.FALLS, why = \"fewer waits\"))";

    @Test
    void aGoodInterventionIsIndexedWithItsDefaults() throws Exception {
        Compiled c = compile(cls(GOOD, ""));
        assertTrue(c.ok(), c.diagnostics());
        assertEquals("""
                [
                  {"name": "sync-every-k", "family": "sync", "className": "gpuos.interventions.sync.SyncEveryK", "summary": "wait every k", \
                "backends": ["cpu"], "baseline": false, "knobs": [{"name": "k", "value": "4", "doc": "launches per wait"}], \
                "predictions": [{"metric": "syscalls.role.sync", "direction": "falls", "against": "baseline", "why": "fewer waits", "on": []}]}
                ]
                """, c.index());
    }

    @Test
    void anUnknownMetricIsACompileErrorNamingTheKnownOnes() throws Exception {
        assertError(GOOD.replace("syscalls.role.sync", "syscalls.role.waiting"), "", "metric 'syscalls.role.waiting' is unknown: use time, cpu.process");
    }

    @Test
    void aBackendWithoutItsInterfaceIsACompileError() throws Exception {
        assertError(GOOD.replace("Backend.CPU", "{Backend.CPU, Backend.CUDA}"), "", "backends lists CUDA, so implement gpuos.interventions.OnCuda");
    }

    @Test
    void noPredictionIsACompileErrorUnlessItIsABaseline() throws Exception {
        String noPrediction = "@Intervention(summary = \"s\", backends = Backend.CPU)";
        assertError(noPrediction, "", "add at least one @Predict(metric, direction, why)");
        assertTrue(compile(cls("@Intervention(summary = \"s\", backends = Backend.CPU, baseline = true)", "")).ok());
    }

    @Test
    void badNamesKnobsAndMissingConstructorAreCompileErrors() throws Exception {
        assertError(GOOD.replace("summary", "name = \"Sync_K\", summary"), "", "name 'Sync_K' is not kebab-case");
        assertError(GOOD.replace("name = \"k\"", "name = \"K-2\""), "", "knob name 'K-2' must look like a Java identifier");
        assertError(GOOD, "private SyncEveryK(int x) {}", "add a public no-argument constructor");
        assertError(GOOD.replace("direction = Direction.FALLS", "direction = Direction.FALLS, against = \"sync-every-k\""), "",
                "a prediction against itself cannot be checked");
    }

    private void assertError(String annotation, String body, String expected) throws Exception {
        Compiled c = compile(cls(annotation, body));
        assertFalse(c.ok(), "compiles although: " + expected);
        assertTrue(c.diagnostics().contains("@Intervention: gpuos.interventions.sync.SyncEveryK: " + expected), c.diagnostics());
        assertEquals(null, c.index(), "nothing is indexed when an annotation is malformed");
    }
}
