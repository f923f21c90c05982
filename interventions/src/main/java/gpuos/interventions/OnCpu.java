package gpuos.interventions;

/** An intervention on the CPU baseline: host code only, no GPU runtime. Runs in {@code CpuRunner}. */
public interface OnCpu {
    /** Once per fork, before the first operation: make what {@link #run} reuses. */
    default void setup(CpuWork work) {}

    /** One benchmark operation: {@code work.reps} work items, restructured as the intervention says. */
    void run(CpuWork work);

    /** Once per fork, after the last operation: release what {@link #setup} made (the work's own buffers go by themselves). */
    default void teardown(CpuWork work) {}
}
