package gpuos.benchmarks.jobs;

import gpuos.benchmarks.opencl.OpenClSession;
import gpuos.natives.gpujob.GpuJobBackend;
import gpuos.natives.gpujob.OpenClKernel;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The jobs family on OpenCL (the first device of {@code platform}): each job replays its enqueue on its own
 * in-order queue at every submission. Baseline: {@code OpenClExecution.emptyKernel} (enqueue + clFinish).
 * {@code spin} runs spin.cl, a fixed number of dependent steps ({@code spinIterations}), not a fixed time: OpenCL C
 * has no clock.
 */
public class OpenClJobs extends JobBenchmark {
    /** Platform key ({@code pocl}, {@code nvidia}) or {@code auto}: lands in the JSON params so results say where they ran. */
    @Param("auto")
    public String platform;

    /** Steps of spin.cl's busy loop per {@code spin} job. */
    @Param("100000")
    public long spinIterations;

    @Setup(Level.Trial)
    public void setup() {
        GpuJobBackend backend = JobBackends.openCl(platform);
        OpenClKernel empty = OpenClKernel.build(backend, OpenClSession.source("empty_kernel.cl"), "empty_kernel");
        OpenClKernel spin = OpenClKernel.build(backend, OpenClSession.source("spin.cl"), "spin").setArg(0, spinIterations);
        start(backend, empty.enqueue(Math.max(1, bytes / 4)), spin.enqueue(1), empty, spin);
    }
}
