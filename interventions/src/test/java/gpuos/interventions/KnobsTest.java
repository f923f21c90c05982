package gpuos.interventions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnobsTest {
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>(Map.of("k", "4"));

    @Test
    void defaultsApplyWhenTheParamIsEmpty() {
        assertEquals(4, Knobs.parse("sync-every-k", DEFAULTS, "").intValue("k"));
    }

    @Test
    void theParamOverridesAndMaxIsTheLargestLong() {
        assertEquals(8, Knobs.parse("sync-every-k", DEFAULTS, "k=8").intValue("k"));
        assertEquals(Long.MAX_VALUE, Knobs.parse("x", Map.of("t", "max"), "").longValue("t"));
    }

    @Test
    void anUnknownKnobNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Knobs.parse("sync-every-k", DEFAULTS, "j=2"));
        assertEquals("intervention 'sync-every-k' has no knob 'j'; its knobs: [k]", e.getMessage());
    }

    @Test
    void aMalformedParamOrValueIsOneLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> Knobs.parse("x", DEFAULTS, "k"));
        assertTrue(e.getMessage().contains("is not name=value"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Knobs.parse("x", DEFAULTS, "k=four").intValue("k"));
        assertTrue(f.getMessage().startsWith("knob 'k' of 'x' is 'four': not an integer"), f.getMessage());
    }
}
