package gpuos.interventions.annotations;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A setting of an intervention, with its default. Set from the JMH runner with
 * {@code -p knobs=name=value;name=value}; the value lands in the results as that param.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Knob {
    /** A Java-style identifier: {@code k}, {@code releaseThreshold}. */
    String name();

    /** The default value, as text. */
    String value();

    /** One line: what it sets. */
    String doc();
}
