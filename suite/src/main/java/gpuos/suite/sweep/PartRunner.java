package gpuos.suite.sweep;

import java.io.PrintStream;
import java.nio.file.Path;

/** Runs one part. The sweep gives it the JMH arguments; tests give the sweep a fake. */
@FunctionalInterface
public interface PartRunner {
    /**
     * Runs JMH with {@code jmhArgs} (which name the result file), writing its console to {@code console}.
     * Throws when any benchmark of the part failed.
     */
    void run(Part part, java.util.List<String> jmhArgs, PrintStream console) throws Exception;
}
