package gpuos.interventions.batching;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import gpuos.interventions.CudaWork;
import gpuos.interventions.OnCuda;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;

/** The reps launches captured once into a CUDA graph at setup; each operation launches the graph and waits once. */
@Intervention(summary = "reps launches captured once into a CUDA graph; one graph launch and one wait per operation",
        backends = Backend.CUDA,
        predicts = {
            @Predict(metric = "time", direction = Direction.FALLS, why = "one submission of a prebuilt graph and one wait replace reps of each"),
            @Predict(metric = "time", direction = Direction.FALLS, against = "enqueue-batch",
                    why = "the driver validates and encodes the launches once, at instantiation, not per operation"),
            @Predict(metric = "syscalls.workload", direction = Direction.UNCHANGED,
                    why = "a graph launch, like a kernel launch, is a write to a mapped queue, not a syscall")})
public final class CudaGraph implements OnCuda {
    private CUstream stream;
    private CUgraphExec exec;

    @Override
    public void setup(CudaWork work) {
        stream = work.cuda.stream();
        CUgraph graph = new CUgraph();
        cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
        for (int r = 0; r < work.reps; r++) work.launchItem(stream);
        cuStreamEndCapture(stream, graph);
        work.cuda.onClose(() -> cuGraphDestroy(graph));
        exec = new CUgraphExec();
        cuGraphInstantiate(exec, graph, 0);
        work.cuda.onClose(() -> cuGraphExecDestroy(exec));
    }

    @Override
    public void run(CudaWork work) {
        cuGraphLaunch(exec, stream);
        cuStreamSynchronize(stream);
    }
}
