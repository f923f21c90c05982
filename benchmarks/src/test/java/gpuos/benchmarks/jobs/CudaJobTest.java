package gpuos.benchmarks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.benchmarks.GpuAssumptions;
import gpuos.natives.NativeException;
import gpuos.natives.cuda.Ptx;
import gpuos.natives.gpujob.CudaKernel;
import gpuos.natives.gpujob.GpuJob;
import gpuos.natives.gpujob.GpuJobBackend;
import gpuos.natives.gpujob.GpuJobException;
import gpuos.natives.gpujob.GpuJobLibrary;
import gpuos.natives.gpujob.GpuJobStats;
import gpuos.natives.gpujob.GpuJobStatus;
import gpuos.natives.gpujob.WaitMode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;

/** The gpujob Java face on CUDA device 0: skipped with one line without a GPU, required on the GPU node. */
@Tag("gpu") // the GPU node runs these (scripts/bundle-run tests); elsewhere they skip with one line
class CudaJobTest {
    private static final int SUBMISSIONS = 100;
    private static final long SPIN_NANOS = 20_000;
    private static GpuJobBackend backend;
    private static CudaKernel spin;

    // Per test, so that each test reports the skip; the backend is opened once.
    @BeforeEach
    void openPrimaryContext() {
        GpuAssumptions.assumeCuda();
        if (backend != null) return;
        backend = JobBackends.cuda();
        spin = CudaKernel.load(backend, Ptx.image("spin_kernel"), "spin_kernel");
    }

    @AfterAll
    static void close() {
        if (spin != null) spin.close();
        if (backend != null) backend.close();
    }

    private static GpuJob spinJob() {
        GpuJob job = backend.createJob(GpuJob.Options.DEFAULT.withCompletionFd());
        job.record(spin.launch(1, 1, SPIN_NANOS));
        return job;
    }

    @ParameterizedTest
    @EnumSource(WaitMode.class)
    void everySubmissionCompletesInEveryWaitMode(WaitMode mode) {
        try (GpuJob job = spinJob()) {
            for (int i = 0; i < SUBMISSIONS; i++) {
                job.submit();
                job.await(mode);
            }
            GpuJobStats s = job.stats();
            System.out.println(mode + " on " + backend.deviceName() + ": " + s);
            assertEquals(SUBMISSIONS, s.submissions(), s.toString());
            assertEquals(SUBMISSIONS, s.completions(), s.toString());
            assertEquals(0, s.failures(), s.toString());
            // 10% below: %globaltimer and the timing events each tick in steps of up to a microsecond.
            assertTrue(s.gpuNanosLast() >= SPIN_NANOS * 9 / 10, "the spin kernel ran its time: " + s);
        }
    }

    @Test
    void waitingBeforeAnySubmitIsAStateError() {
        try (GpuJob job = spinJob()) {
            GpuJobException e = assertThrows(GpuJobException.class, () -> job.await(WaitMode.SPIN));
            assertEquals(GpuJobStatus.ESTATE, e.status());
            assertTrue(e.getMessage().contains("GJ_ESTATE"), e.getMessage());
        }
    }

    @Test
    void closingDestroysTheJobOnceAndReleasesItsFd() throws IOException {
        GpuJob job = spinJob();
        MemorySegment raw = MemorySegment.ofAddress(job.handle().address());
        Path fd = Path.of("/proc/self/fd", String.valueOf(job.completionFd()));
        assertEquals("anon_inode:[eventfd]", Files.readSymbolicLink(fd).toString());
        job.close();
        assertEquals(GpuJobStatus.EBADJOB, GpuJobStatus.of(GpuJobLibrary.jobDestroy(raw)));
        assertTrue(!Files.exists(fd, LinkOption.NOFOLLOW_LINKS) || !Files.readSymbolicLink(fd).toString().equals("anon_inode:[eventfd]"));
    }

    /**
     * A trap is a sticky error for the whole process in CUDA 12/13, not only for its context: on the H200 every job
     * created after it in the same JVM failed with GJ_EJOBFAULT, whatever its context. So the faulting job runs in a
     * JVM of its own ({@link TrapInOwnProcess}), and this test reads what it saw.
     */
    @Test
    void aFaultingKernelIsAJobFault() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), TrapInOwnProcess.class.getName())
                .redirectErrorStream(true).start();
        String said = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the faulting JVM ends by itself");
        assertEquals(0, child.exitValue(), said);
        assertTrue(said.contains("GJ_EJOBFAULT") && said.contains("backendError=719"), said);
    }

    /** The faulting job, in a context of its own (flags 0: CU_CTX_SCHED_AUTO); exit 0 when the fault came as a job fault. */
    static final class TrapInOwnProcess {
        public static void main(String[] args) throws IOException {
            byte[] ptx;
            try (InputStream in = CudaJobTest.class.getResourceAsStream("trap_kernel.ptx")) {
                byte[] text = in.readAllBytes();
                ptx = Arrays.copyOf(text, text.length + 1);
            }
            try (GpuJobBackend own = GpuJobBackend.openCuda(0, 0)) {
                CudaKernel trap = CudaKernel.load(own, ptx, "trap_kernel");
                try (GpuJob job = own.createJob(GpuJob.Options.DEFAULT)) {
                    job.record(trap.launch(1, 1));
                    // The fault is sticky: it surfaces at the wait, or at the submit when the driver already saw it.
                    try {
                        job.submit();
                        job.await(WaitMode.BLOCKING);
                        System.out.println("no fault reported");
                        System.exit(1);
                    } catch (GpuJobException e) {
                        System.out.println("fault: " + e.getMessage() + " backendError=" + e.backendError());
                        if (e.status() != GpuJobStatus.EJOBFAULT) System.exit(1);
                    }
                }
                try {
                    trap.close();
                } catch (NativeException sticky) {
                    // Unloading in the poisoned context may report the fault again: the same error, not a new one.
                    if (!sticky.getMessage().contains("CUDA_ERROR_LAUNCH_FAILED")) throw sticky;
                }
            }
            System.exit(0);
        }
    }
}
