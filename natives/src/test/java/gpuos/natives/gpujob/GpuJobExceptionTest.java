package gpuos.natives.gpujob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The one status-to-exception place: names, gj_strerror's text, driver codes only where C keeps one. */
class GpuJobExceptionTest {
    @Test
    void everyErrorStatusBecomesAnExceptionNamingIt() {
        for (GpuJobStatus s : GpuJobStatus.values()) {
            GpuJobException e = GpuJobException.of(s.code, "gj_submit", MemorySegment.NULL);
            assertEquals(s, e.status());
            assertTrue(e.getMessage().startsWith("gj_submit: " + s.cName() + ": "), e.getMessage());
            assertEquals(0, e.backendError(), "no job, no driver code");
        }
    }

    @Test
    void statusesMapByCode() {
        assertEquals(GpuJobStatus.ESTATE, GpuJobStatus.of(-4));
        assertEquals(GpuJobStatus.ERECORD, GpuJobStatus.of(-14));
        assertEquals(GpuJobStatus.OK, GpuJobStatus.of(0));
    }

    @Test
    void anUnknownCodeSaysTheBindingIsBehind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuJobStatus.of(-15));
        assertTrue(e.getMessage().contains("update GpuJobStatus"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuJobStatus.of(1));
    }

    @Test
    void waitModesParseTheirParamSpelling() {
        for (WaitMode m : WaitMode.values()) assertEquals(m, WaitMode.parse(m.key()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaitMode.parse("yield"));
        assertTrue(e.getMessage().contains("spin, blocking, fd, predict"), e.getMessage());
    }
}
