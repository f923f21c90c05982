package gpuos.interventions.runner;

import gpuos.benchmarks.SweepAxes;
import gpuos.interventions.Knobs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What the runners of every backend share: the params that select an intervention and its knobs, the fork's
 * work, and the lifecycle (setup once, {@code operation} = the intervention's {@code run}, teardown once), each
 * phase's exception logged by {@link Selected} before JMH sees it. JMH inherits the {@code @Benchmark} and the
 * fixtures, so each backend's runner only says how to make its work and how to call its interface.
 *
 * @param <T> the backend's lifecycle interface ({@code OnCuda}, ...)
 * @param <W> the backend's work ({@code CudaWork}, ...)
 */
public abstract class InterventionRunner<T, W extends AutoCloseable> extends SweepAxes {
    /** Names from the intervention index (interventions/README.md lists them). */
    @Param("baseline")
    public String intervention;

    /** {@code name=value;...} overriding the intervention's knob defaults; empty: the defaults. */
    @Param("")
    public String knobs;

    private Selected<T> selected;
    private W work;

    /** The backend as the index names it: {@code cpu}, {@code cuda}, {@code opencl}. */
    abstract String backend();

    abstract Class<T> lifecycle();

    /** The fork's work for {@code intervention} (which may choose how it is made, as a CUDA wait policy). */
    abstract W open(T intervention, Knobs knobs);

    abstract void setup(T intervention, W work);

    abstract void run(T intervention, W work);

    abstract void teardown(T intervention, W work);

    /** On the thread that tears down, before it does (CUDA: make the context current there). */
    void beforeTeardown(W work) {}

    /** The fork's work; null before setup and after a failed one. */
    W work() {
        return work;
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        selected = Selected.select(intervention, knobs, backend(), lifecycle(), params);
        selected.phase("setup", () -> {
            W opened = open(selected.intervention, selected.knobs);
            try {
                setup(selected.intervention, opened);
            } catch (RuntimeException | Error e) {
                close(opened);
                throw e;
            }
            work = opened;
        });
    }

    @Benchmark
    public void operation() {
        try {
            run(selected.intervention, work);
        } catch (RuntimeException | Error e) {
            selected.runFailed(e);
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (selected == null || work == null) return;
        beforeTeardown(work);
        selected.phase("teardown", () -> {
            try {
                teardown(selected.intervention, work);
            } finally {
                close(work);
            }
        });
    }

    private static void close(AutoCloseable work) {
        try {
            work.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
