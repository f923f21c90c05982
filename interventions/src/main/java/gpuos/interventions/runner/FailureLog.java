package gpuos.interventions.runner;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * Where a fork says that its intervention threw, before JMH sees the exception and drops the result: one JSON
 * line appended to the file the system property {@value #PROPERTY} names (the sweep sets it to the run's
 * {@code failures.jsonl}), and one line on stderr, which JMH's console shows. Lines of concurrent forks do not
 * interleave: each is one write to a file opened for appending.
 */
final class FailureLog {
    static final String PROPERTY = "gpuos.failures";

    private FailureLog() {}

    static void record(String benchmark, String intervention, Map<String, String> params, String phase, Throwable error) {
        String message = describe(error);
        System.err.println("gpuos: intervention '" + intervention + "' failed in " + phase + ": " + message);
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) return;
        JsonObject line = new JsonObject();
        line.addProperty("benchmark", benchmark);
        line.addProperty("intervention", intervention);
        JsonObject p = new JsonObject();
        params.forEach(p::addProperty);
        line.add("params", p);
        line.addProperty("phase", phase);
        line.addProperty("error", message);
        line.addProperty("time", Instant.now().toString());
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            System.err.println("gpuos: cannot append to " + file + " (" + e.getMessage() + "); the failure above is only in this log");
        }
    }

    /** {@code IllegalStateException: message} of the innermost cause that says something. */
    static String describe(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException))
            t = t.getCause();
        String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }
}
