package gpuos.benchmarks.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.natives.cuda.Ptx;
import java.lang.reflect.Field;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.junit.jupiter.api.Tag;

/** What needs no GPU: param parsing, flags, the PTX on this module's classpath, the message without a GPU. */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class WaitPolicyTest {
    @Test
    void policiesParseToTheirContextFlags() {
        // cuda.h: CU_CTX_SCHED_AUTO 0, SPIN 1, YIELD 2, BLOCKING_SYNC 4
        assertEquals(0, WaitPolicy.parse("auto").contextFlag);
        assertEquals(1, WaitPolicy.parse("spin").contextFlag);
        assertEquals(2, WaitPolicy.parse("yield").contextFlag);
        assertEquals(4, WaitPolicy.parse("blocking").contextFlag);
    }

    @Test
    void aBadPolicyNamesTheGoodOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WaitPolicy.parse("BLOCKING_SYNC"));
        assertEquals("waitPolicy 'BLOCKING_SYNC' unknown: use one of auto, spin, yield, blocking", e.getMessage());
    }

    @Test
    void aBadPolicyFailsBeforeTheGpuIsTouched() {
        CudaExecution benchmark = new CudaExecution();
        benchmark.waitPolicy = "sleepy";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, benchmark::setup);
        assertTrue(e.getMessage().startsWith("waitPolicy 'sleepy' unknown"), e.getMessage());
    }

    @Test
    void defaultParamValuesParse() throws Exception {
        for (Class<?> c : new Class<?>[] {CudaRuntime.class, CudaExecution.class}) {
            Field f = c.getField("waitPolicy");
            Arrays.stream(f.getAnnotation(Param.class).value()).forEach(WaitPolicy::parse);
        }
    }

    @Test
    void thePtxIsOnTheBenchmarksClasspath() {
        for (String kernel : Ptx.KERNELS) assertTrue(Ptx.text(kernel).contains(".entry " + kernel + "("), kernel);
    }

    @Test
    void withoutAGpuSetupSaysWhyInOneLine() {
        org.junit.jupiter.api.Assumptions.assumeFalse(CudaAvailability.unavailableReason().isEmpty(), "this machine has a GPU");
        CudaRuntime bench = new CudaRuntime();
        bench.waitPolicy = "auto";
        bench.bytes = 4096;
        bench.reps = 1;
        IllegalStateException e = assertThrows(IllegalStateException.class, bench::setup);
        assertTrue(e.getMessage().startsWith(CudaAvailability.SKIPPED + " ("), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
