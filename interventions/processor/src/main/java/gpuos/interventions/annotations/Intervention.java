package gpuos.interventions.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as an intervention: one restructuring of GPU execution and what it predicts. The annotation
 * processor checks it at compile time (a malformed one is a compile error naming what to fix) and writes the
 * index {@code META-INF/gpuos/interventions.json} that the JMH runners select from with
 * {@code -p intervention=<name>}.
 *
 * <p>The class is public, has a public no-argument constructor, and implements the lifecycle interface of every
 * backend it names ({@code OnCpu}, {@code OnCuda}, {@code OnOpenCl}) and of no other.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Intervention {
    /** Kebab-case; default: the class name in kebab case ({@code SyncEveryK} is {@code sync-every-k}). */
    String name() default "";

    /** Default: the last segment of the class's package ({@code gpuos.interventions.sync} is {@code sync}). */
    String family() default "";

    /** One line: what changes against the baseline. */
    String summary();

    Backend[] backends();

    Knob[] knobs() default {};

    /** At least one, unless {@link #baseline()}. */
    Predict[] predicts() default {};

    /** A reference point others predict against; it predicts nothing itself. */
    boolean baseline() default false;
}
