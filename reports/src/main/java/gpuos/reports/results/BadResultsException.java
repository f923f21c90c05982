package gpuos.reports.results;

/**
 * The results folder cannot be turned into a report. The message is one line that says what is wrong
 * and what to do; ReportMain prints it as is and exits with status 2.
 */
public final class BadResultsException extends Exception {
    public BadResultsException(String problemAndRemedy) {
        super(problemAndRemedy);
    }

    /** First line of a library message: Gson appends a troubleshooting URL on a second line. */
    static String firstLine(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
