package gpuos.interventions.runner;

import gpuos.interventions.Knobs;
import gpuos.interventions.index.IndexEntry;
import gpuos.interventions.index.InterventionIndex;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The intervention a runner's params select, instantiated, with its knobs; and the one place where an exception
 * of an intervention's setup, run or teardown is written to the {@link FailureLog} before JMH sees it.
 *
 * @param <T> the backend's lifecycle interface
 */
final class Selected<T> {
    final String name;
    final T intervention;
    final Knobs knobs;
    private final String benchmark;
    private final Map<String, String> params;
    private boolean runFailed;

    private Selected(String name, T intervention, Knobs knobs, String benchmark, Map<String, String> params) {
        this.name = name;
        this.intervention = intervention;
        this.knobs = knobs;
        this.benchmark = benchmark;
        this.params = params;
    }

    /** Looks {@code name} up in the index for {@code backend}, checks the knobs, makes the instance; failures are logged as setup failures. */
    static <T> Selected<T> select(String name, String knobParam, String backend, Class<T> lifecycle, BenchmarkParams jmh) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : jmh.getParamsKeys()) params.put(key, jmh.getParam(key));
        try {
            IndexEntry entry = InterventionIndex.load().require(name, backend);
            Knobs knobs = Knobs.parse(name, entry.knobDefaults(), knobParam);
            Object instance = Class.forName(entry.className(), true, Selected.class.getClassLoader()).getConstructor().newInstance();
            return new Selected<>(name, lifecycle.cast(instance), knobs, jmh.getBenchmark(), params);
        } catch (InvocationTargetException e) {
            FailureLog.record(jmh.getBenchmark(), name, params, "setup", e.getCause());
            throw new IllegalStateException("intervention '" + name + "' failed in its constructor: " + FailureLog.describe(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            FailureLog.record(jmh.getBenchmark(), name, params, "setup", e);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("intervention '" + name + "': " + e, e);
        }
    }

    /** Runs a setup or teardown step; an exception is logged with its phase and rethrown. */
    void phase(String phase, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            FailureLog.record(benchmark, name, params, phase, e);
            throw e;
        }
    }

    /** Called by the benchmark method when an operation threw: logged once per fork, then rethrown by the caller. */
    void runFailed(Throwable e) {
        if (runFailed) return;
        runFailed = true;
        FailureLog.record(benchmark, name, params, "run", e);
    }
}
