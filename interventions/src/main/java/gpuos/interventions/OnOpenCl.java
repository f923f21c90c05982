package gpuos.interventions;

/** An intervention on OpenCL (JOCL), on the platform the {@code platform} param names. Runs in {@code OpenClRunner}. */
public interface OnOpenCl {
    /** Once per fork: make what {@link #run} reuses. */
    default void setup(OpenClWork work) {}

    /** One benchmark operation: {@code work.reps} work items, restructured as the intervention says; the queue is empty when it returns. */
    void run(OpenClWork work);

    /** Once per fork, before the context is released. What was made through {@code work.cl} is released by itself. */
    default void teardown(OpenClWork work) {}
}
