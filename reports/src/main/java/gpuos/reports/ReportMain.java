package gpuos.reports;

import gpuos.reports.analysis.Report;
import gpuos.reports.render.ReportFiles;
import gpuos.reports.render.ReportPublisher;
import gpuos.reports.results.BadResultsException;
import gpuos.reports.results.ResultsReader;
import gpuos.reports.results.RunResults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SequencedMap;

/**
 * {@code java -cp gpuos.jar gpuos.reports.ReportMain <results-dir>}: writes report.md, csv/ and charts/ into the folder.
 * Exit status 0 on success, 2 when the input cannot make a report (one line on stderr says what and what
 * to do), 1 when the report cannot be written. A failed run leaves an earlier report untouched.
 */
public final class ReportMain {
    public static final int OK = ReportCommand.OK;
    public static final int CANNOT_WRITE = ReportCommand.CANNOT_WRITE;
    public static final int BAD_INPUT = ReportCommand.BAD_INPUT;
    private static final ReportCommand COMMAND = new ReportCommand("gpuos-reports: ",
            "usage: java -cp gpuos.jar gpuos.reports.ReportMain <results-dir>; pass the folder of one run, e.g. results/<run-id>");

    private ReportMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        var argument = COMMAND.folder(args, err);
        if (argument.isEmpty()) return BAD_INPUT;
        Path folder = argument.get();
        try {
            RunResults results = ResultsReader.read(folder);
            Report report = Report.of(results);
            SequencedMap<String, byte[]> files = ReportFiles.of(report);
            ReportPublisher.publish(folder, files);
            long charts = files.keySet().stream().filter(f -> f.startsWith(ReportFiles.CHARTS + "/")).count();
            return COMMAND.wrote(out, folder.resolve(ReportFiles.REPORT), charts, report.warnings().size());
        } catch (BadResultsException e) {
            return COMMAND.badInput(err, e.getMessage());
        } catch (IOException e) {
            return COMMAND.cannotWrite(err, folder, e);
        }
    }
}
