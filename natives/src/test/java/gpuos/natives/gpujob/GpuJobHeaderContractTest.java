package gpuos.natives.gpujob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java face against gpujob.h as the C compiler reads it: a probe program, generated from the Java side's names,
 * prints each constant's value and each struct member's offset and size. A name Java has and C lacks fails the
 * compile; a field C adds changes sizeof.
 */
class GpuJobHeaderContractTest {
    private static final Path HEADER_DIR = Path.of("src/main/c/gpujob").toAbsolutePath();
    private static Map<String, Long> probed;

    @BeforeAll
    static void compileAndRunProbe(@TempDir Path tmp) throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"gpujob.h\"\nint main(void) {\n");
        for (GpuJobStatus s : GpuJobStatus.values()) constant(c, s.cName());
        for (WaitMode m : WaitMode.values()) constant(c, "GJ_WAIT_" + m.name());
        for (GpuJobBackend.Kind k : GpuJobBackend.Kind.values()) constant(c, "GJ_BACKEND_" + k.name());
        constant(c, "GJ_JOB_FD");
        struct(c, "gj_stats", GpuJobStats.LAYOUT);
        struct(c, "gj_job_attr", GpuJob.ATTR);
        c.append("return 0;\n}\n");
        Path source = Files.writeString(tmp.resolve("probe.c"), c);
        Path binary = tmp.resolve("probe");
        run(List.of("gcc", "-std=gnu11", "-Wall", "-Werror", "-I" + HEADER_DIR, "-o", binary.toString(), source.toString()));
        probed = new HashMap<>();
        for (String line : run(List.of(binary.toString())).lines().toList()) {
            String[] kv = line.split(" ");
            probed.put(kv[0], Long.parseLong(kv[1]));
        }
    }

    private static void constant(StringBuilder c, String name) {
        c.append("printf(\"").append(name).append(" %lld\\n\", (long long)").append(name).append(");\n");
    }

    private static void struct(StringBuilder c, String type, StructLayout layout) {
        c.append("printf(\"sizeof.").append(type).append(" %zu\\n\", sizeof(").append(type).append("));\n");
        for (MemoryLayout member : layout.memberLayouts()) {
            String field = type + "." + member.name().orElseThrow();
            c.append("printf(\"offset.").append(field).append(" %zu\\n\", offsetof(").append(type).append(", ").append(member.name().get()).append("));\n");
            c.append("printf(\"size.").append(field).append(" %zu\\n\", sizeof(((").append(type).append(" *)0)->").append(member.name().get()).append("));\n");
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    @Test
    void statusCodesAreTheHeaders() {
        for (GpuJobStatus s : GpuJobStatus.values()) assertEquals(probed.get(s.cName()), (long) s.code, s.cName());
    }

    @Test
    void waitModesAreTheHeaders() {
        for (WaitMode m : WaitMode.values()) assertEquals(probed.get("GJ_WAIT_" + m.name()), (long) m.code, m.name());
    }

    @Test
    void backendKindsAndFlagsAreTheHeaders() {
        for (GpuJobBackend.Kind k : GpuJobBackend.Kind.values()) assertEquals(probed.get("GJ_BACKEND_" + k.name()), (long) k.code, k.name());
        assertEquals(probed.get("GJ_JOB_FD"), (long) GpuJob.FLAG_COMPLETION_FD);
    }

    @Test
    void structLayoutsMatchTheCompiler() {
        for (var entry : Map.of("gj_stats", GpuJobStats.LAYOUT, "gj_job_attr", GpuJob.ATTR).entrySet()) {
            String type = entry.getKey();
            StructLayout layout = entry.getValue();
            assertEquals(probed.get("sizeof." + type), layout.byteSize(), "sizeof(" + type + ")");
            for (MemoryLayout member : layout.memberLayouts()) {
                String field = type + "." + member.name().orElseThrow();
                assertEquals(probed.get("offset." + field), layout.byteOffset(MemoryLayout.PathElement.groupElement(member.name().get())), "offset of " + field);
                assertEquals(probed.get("size." + field), member.byteSize(), "size of " + field);
            }
        }
    }

    @Test
    void everyStatusThatStrerrorNamesIsKnown() {
        // gj_strerror names each status it knows; the first code it does not know ends the enum.
        int code = 0;
        while (GpuJobLibrary.strerror(code).startsWith("GJ_")) code--;
        assertEquals(GpuJobStatus.values().length, -code, "gj_strerror(" + code + ") = " + GpuJobLibrary.strerror(code));
        assertTrue(probed.size() > GpuJobStatus.values().length);
    }
}
