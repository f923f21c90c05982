package gpuos.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the report commands ({@link ReportMain}, {@code ResnetReportMain}) share: one folder argument, the exit
 * statuses, and one line on stderr for each way it can fail.
 *
 * @param name  the prefix of every line, e.g. {@code "gpuos-reports: "}
 * @param usage the usage line, printed with a bad argument
 */
public record ReportCommand(String name, String usage) {
    public static final int OK = 0;
    public static final int CANNOT_WRITE = 1;
    public static final int BAD_INPUT = 2;

    /** The one folder argument; empty after one line on {@code err} (then exit {@link #BAD_INPUT}). */
    public Optional<Path> folder(String[] args, PrintStream err) {
        // Charts are drawn off screen: no display is needed, and none is wanted on a server.
        System.setProperty("java.awt.headless", "true");
        if (args.length != 1) {
            err.println(name + usage);
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(args[0]));
        } catch (InvalidPathException e) {
            err.println(name + "\"" + args[0] + "\" is not a path; " + usage);
            return Optional.empty();
        }
    }

    /** The input cannot make a report: {@code message} says what and what to do. */
    public int badInput(PrintStream err, String message) {
        err.println(name + message);
        return BAD_INPUT;
    }

    /** Writing failed; the publisher left an earlier report as it was. */
    public int cannotWrite(PrintStream err, Path folder, IOException e) {
        err.println(name + "cannot write the report into " + folder + " (" + e + "); check free space and"
                + " permissions; an earlier report there is unchanged");
        return CANNOT_WRITE;
    }

    /** The success line. */
    public int wrote(PrintStream out, Path report, long charts, int warnings) {
        out.println(name + "wrote " + report + " (" + charts + " charts, " + warnings + " warnings)");
        return OK;
    }
}
