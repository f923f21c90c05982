package gpuos.reports;

import gpuos.reports.analysis.Report;
import gpuos.reports.render.ReportFiles;
import gpuos.reports.render.ReportPublisher;
import gpuos.reports.results.BadResultsException;
import gpuos.reports.results.ResultsReader;
import gpuos.reports.results.RunResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.SequencedMap;

/**
 * {@code java -cp gpuos.jar gpuos.reports.ReportMain <results-dir>}: writes report.md, csv/ and charts/ into the folder.
 * Exit status 0 on success, 2 when the input cannot make a report (one line on stderr says what and what
 * to do), 1 when the report cannot be written. A failed run leaves an earlier report untouched.
 */
public final class ReportMain {
    public static final int OK = 0;
    public static final int CANNOT_WRITE = 1;
    public static final int BAD_INPUT = 2;
    private static final String NAME = "gpuos-reports: ";
    private static final String USAGE = "usage: java -cp gpuos.jar gpuos.reports.ReportMain <results-dir>; pass the folder of one run, e.g. results/<run-id>";

    private ReportMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        // Charts are drawn off screen: no display is needed, and none is wanted on a server.
        System.setProperty("java.awt.headless", "true");
        if (args.length != 1) {
            err.println(NAME + USAGE);
            return BAD_INPUT;
        }
        Path folder;
        try {
            folder = Path.of(args[0]);
        } catch (InvalidPathException e) {
            err.println(NAME + "\"" + args[0] + "\" is not a path; " + USAGE);
            return BAD_INPUT;
        }
        try {
            RunResults results = ResultsReader.read(folder);
            Report report = Report.of(results);
            SequencedMap<String, byte[]> files = ReportFiles.of(report);
            ReportPublisher.publish(folder, files);
            long charts = files.keySet().stream().filter(f -> f.startsWith(ReportFiles.CHARTS + "/")).count();
            out.println(NAME + "wrote " + folder.resolve(ReportFiles.REPORT) + " (" + charts + " charts, "
                    + report.warnings().size() + " warnings)");
            return OK;
        } catch (BadResultsException e) {
            err.println(NAME + e.getMessage());
            return BAD_INPUT;
        } catch (IOException e) {
            err.println(NAME + "cannot write the report into " + folder + " (" + e + "); check free space and"
                    + " permissions; an earlier report there is unchanged");
            return CANNOT_WRITE;
        }
    }
}
