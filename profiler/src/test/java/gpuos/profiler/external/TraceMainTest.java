package gpuos.profiler.external;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bad input gets one clear line; nothing already written is touched. */
class TraceMainTest {
    @Test
    void noProgramIsExplained() {
        var e = assertThrows(TraceMain.UsageException.class, () -> TraceMain.run(new String[] {"--runs", "2"}));
        assertEquals("no program given: put it after --, e.g. gpuos-trace -- python3 infer.py", e.getMessage());
    }

    @Test
    void badRunsIsExplained() {
        var e = assertThrows(TraceMain.UsageException.class, () -> TraceMain.run(new String[] {"--runs", "zero", "--", "true"}));
        assertEquals("--runs must be a positive whole number, got 'zero'", e.getMessage());
    }

    @Test
    void anExistingOutputIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("earlier.json");
        Files.writeString(out, "[]");
        var e = assertThrows(TraceMain.UsageException.class, () -> TraceMain.run(new String[] {"--out", out.toString(), "--", "true"}));
        assertEquals(out + " exists already: choose another --out (results are never overwritten)", e.getMessage());
        assertEquals("[]", Files.readString(out));
    }
}
