package gpuos.interventions;

import gpuos.benchmarks.cuda.WaitPolicy;

/** An intervention on CUDA (driver API through JCuda). Runs in {@code CudaRunner}. */
public interface OnCuda {
    /** How the context waits for the GPU; the runner creates the context with it, before {@link #setup}. */
    default WaitPolicy waitPolicy() { return WaitPolicy.AUTO; }

    /** Once per fork, with the context current: make what {@link #run} reuses (streams, graphs, buffers). */
    default void setup(CudaWork work) {}

    /** One benchmark operation: {@code work.reps} work items, restructured as the intervention says; the GPU is idle when it returns. */
    void run(CudaWork work);

    /** Once per fork, before the context is destroyed. What was made through {@code work.cuda} is freed by itself. */
    default void teardown(CudaWork work) {}
}
