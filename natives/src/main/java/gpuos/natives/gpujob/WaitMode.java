package gpuos.natives.gpujob;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code gj_wait_mode}: how {@link GpuJob#await} blocks. SPIN polls the completion word; BLOCKING is the driver's
 * blocking wait; FD blocks in read(2) on the completion fd (job created with {@link GpuJob.Options#withCompletionFd});
 * PREDICT sleeps until the predicted end minus the margin, then polls with no system call.
 */
public enum WaitMode {
    SPIN(0), BLOCKING(1), FD(2), PREDICT(3);

    /** The C enum's value. */
    public final int code;

    WaitMode(int code) {
        this.code = code;
    }

    /** The param spelling: {@code spin}, {@code blocking}, {@code fd}, {@code predict}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code waitMode} param value; a bad one throws with the accepted values. */
    public static WaitMode parse(String value) {
        for (WaitMode m : values()) if (m.key().equals(value)) return m;
        throw new IllegalArgumentException("waitMode '" + value + "' unknown: use one of "
                + Arrays.stream(values()).map(WaitMode::key).collect(Collectors.joining(", ")));
    }
}
