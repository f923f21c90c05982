package gpuos.interventions.annotations;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an intervention predicts, in a form the report can check: {@link #metric()} {@link #direction()}
 * against the results of the intervention named by {@link #against()} at the same params.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Predict {
    /**
     * {@code time} (µs/op, JMH's score), {@code cpu.process} or {@code cpu.worker} (CPU ns/op),
     * {@code syscalls.workload} (worker + runtime threads), or a profiler label without {@code .norm}:
     * {@code syscalls.total}, {@code syscalls.role.<role>}, {@code syscalls.thread.<class>}, {@code syscalls.<name>},
     * {@code syscalls.ioctl.target.<file>}.
     */
    String metric();

    Direction direction();

    /** The intervention compared with: {@code baseline} unless the family has its own. */
    String against() default "baseline";

    /** One line: the mechanism that makes the metric move (or not). */
    String why();

    /** The backends this prediction is for; empty: all of the intervention's. */
    Backend[] on() default {};
}
