package gpuos.reports.resnet;

import gpuos.reports.ReportCommand;
import gpuos.reports.render.ReportPublisher;
import gpuos.reports.results.BadResultsException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * {@code java -cp gpuos.jar gpuos.reports.resnet.ResnetReportMain DIR}: the ResNet-50 report of a node folder.
 * DIR holds {@code sweep/} (node-resnet.sh) and/or {@code load/} (node-load.sh), and optionally
 * {@code sweep-before-predictor-fix/} and {@code load-before-predictor-fix/} as the comparison; a DIR with none of
 * them is read as one folder (entries with {@code loadN} are load rounds, the others sweep points). Writes
 * DIR/report.md and DIR/charts/*.png; the JSON results are only read. Exit 0 written, 2 the input cannot make a report
 * (one line on stderr says what and what to do; nothing is written), 1 the report cannot be written (an earlier one is
 * left as it was: files are staged and moved in, report.md last).
 */
public final class ResnetReportMain {
    public static final int OK = ReportCommand.OK;
    public static final int CANNOT_WRITE = ReportCommand.CANNOT_WRITE;
    public static final int BAD_INPUT = ReportCommand.BAD_INPUT;
    static final String SWEEP = "sweep";
    static final String LOAD = "load";
    static final String BEFORE = "-before-predictor-fix";
    private static final String USAGE = "usage: java -cp gpuos.jar gpuos.reports.resnet.ResnetReportMain DIR (a folder with sweep/ and/or load/, e.g. reference-runs/resnet/20261202-h200)";
    private static final ReportCommand COMMAND = new ReportCommand("gpuos-resnet-report: ", USAGE);

    private ResnetReportMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        var argument = COMMAND.folder(args, err);
        if (argument.isEmpty()) return BAD_INPUT;
        Path folder = argument.get();
        ResnetAnalysis analysis;
        List<String> read = new ArrayList<>();
        try {
            if (!Files.isDirectory(folder)) throw new BadResultsException(folder + " is not a folder; " + USAGE);
            Optional<ResnetResults.Folder> sweep = optional(folder, SWEEP, read);
            Optional<ResnetResults.Folder> load = optional(folder, LOAD, read);
            if (sweep.isEmpty() && load.isEmpty()) {
                ResnetResults.Folder all = ResnetResults.read(folder);
                read.add("`.`");
                sweep = split(all, false);
                load = split(all, true);
            }
            analysis = ResnetAnalysis.of(sweep.orElse(new ResnetResults.Folder(folder, List.of(), List.of(), List.of())),
                    optional(folder, SWEEP + BEFORE, read), load, optional(folder, LOAD + BEFORE, read));
        } catch (BadResultsException e) {
            return COMMAND.badInput(err, e.getMessage());
        }
        SequencedMap<String, byte[]> files = ResnetReport.files(analysis, "ResNet-50 inference: waits and load",
                "Results: " + String.join(", ", read) + " (made by `ResnetReportMain " + folder.getFileName() + "`).");
        try {
            ReportPublisher.publish(folder, files, List.of(ResnetReport.CHARTS));
        } catch (IOException e) {
            return COMMAND.cannotWrite(err, folder, e);
        }
        return COMMAND.wrote(out, folder.resolve(ResnetReport.REPORT), files.size() - 1, analysis.warnings().size());
    }

    private static Optional<ResnetResults.Folder> optional(Path folder, String name, List<String> read) throws BadResultsException {
        Path sub = folder.resolve(name);
        if (!Files.isDirectory(sub)) return Optional.empty();
        read.add("`" + name + "/`");
        return Optional.of(ResnetResults.read(sub));
    }

    private static Optional<ResnetResults.Folder> split(ResnetResults.Folder all, boolean load) {
        var runs = all.runs().stream().filter(r -> (r.loadN() > 0) == load).toList();
        return runs.isEmpty() ? Optional.empty() : Optional.of(new ResnetResults.Folder(all.path(), runs, all.failed(), load ? all.withoutDone() : List.of()));
    }
}
