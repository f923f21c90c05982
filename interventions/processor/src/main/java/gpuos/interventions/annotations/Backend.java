package gpuos.interventions.annotations;

import java.util.Locale;

/**
 * Where an intervention runs. Each backend has its lifecycle interface ({@link #lifecycle()}), which the class
 * must implement for every backend it names, and its JMH runner ({@code gpuos.interventions.runner.<Runner>}).
 * A new backend (HIP) is one more constant here, one interface and one runner.
 */
public enum Backend {
    CPU("gpuos.interventions.OnCpu"),
    CUDA("gpuos.interventions.OnCuda"),
    OPENCL("gpuos.interventions.OnOpenCl");

    private final String lifecycle;

    Backend(String lifecycle) { this.lifecycle = lifecycle; }

    /** The interface an intervention on this backend implements (by name: this module depends on nothing). */
    public String lifecycle() { return lifecycle; }

    /** The name used in the index and in results: {@code cpu}, {@code cuda}, {@code opencl}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }
}
