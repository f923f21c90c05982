package gpuos.benchmarks.cuda;

import gpuos.benchmarks.GpuAssumptions;
import gpuos.benchmarks.samples.Sample02EmptyLaunch;
import gpuos.benchmarks.samples.Sample03BlockingVsSpin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openjdk.jmh.infra.Blackhole;
import org.junit.jupiter.api.Tag;

/** Every CUDA benchmark method (the CUDA samples too) once, directly (setup, op, teardown), for every wait policy, on a real GPU. */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class CudaBenchmarksTest {
    private static final Blackhole BH = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @BeforeEach
    void needsCuda() {
        GpuAssumptions.assumeCuda();
    }

    @ParameterizedTest
    @EnumSource(WaitPolicy.class)
    void runtime(WaitPolicy policy) {
        CudaRuntime b = new CudaRuntime();
        b.waitPolicy = policy.key();
        b.bytes = 1 << 20;
        b.reps = 3;
        b.setup();
        try {
            b.bindContext();
            b.allocFree(BH);
            b.copyPageable();
            b.copyPinned();
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(WaitPolicy.class)
    void execution(WaitPolicy policy) {
        CudaExecution b = new CudaExecution();
        b.waitPolicy = policy.key();
        b.bytes = 4096;
        b.reps = 3;
        b.gpuNanos = 10_000;
        b.setup();
        try {
            b.bindContext();
            b.emptyKernel();
            b.vectorAdd();
            b.spin();
            b.launchSync();
        } finally {
            b.tearDown();
        }
    }

    @Test
    void emptyLaunchSample() {
        Sample02EmptyLaunch b = new Sample02EmptyLaunch();
        b.bytes = 4096;
        b.reps = 3;
        b.setup();
        try {
            b.bindContext();
            b.launchThenWait();
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(value = WaitPolicy.class, names = {"SPIN", "BLOCKING"})
    void blockingVsSpinSample(WaitPolicy policy) {
        Sample03BlockingVsSpin b = new Sample03BlockingVsSpin();
        b.waitPolicy = policy.key();
        b.bytes = 4096;
        b.reps = 3;
        b.setup();
        try {
            b.bindContext();
            b.roundTrip();
        } finally {
            b.tearDown();
        }
    }
}
