package gpuos.suite.sweep;

import java.io.PrintStream;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a part in this JVM through JMH's Runner API; JMH forks the measured JVMs itself. The console goes to
 * the given stream (stdout and the part's log), so the progress stays visible while the log is written.
 */
public final class JmhPartRunner implements PartRunner {
    @Override
    public void run(Part part, List<String> jmhArgs, PrintStream console) throws Exception {
        // The same parser as `java -jar gpuos.jar`: what --dry-run prints is exactly what runs.
        CommandLineOptions options = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        // With -foe true, a benchmark exception ends the part with a RunnerException and no result file.
        new Runner(options, OutputFormatFactory.createFormatInstance(console, VerboseMode.NORMAL)).run();
    }
}
