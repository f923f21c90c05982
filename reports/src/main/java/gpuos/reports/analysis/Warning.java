package gpuos.reports.analysis;

import java.util.Locale;

/**
 * Everything the report warns about, each with its exact sentence and a hint (hyperfine style): the
 * sentences are quoted in reports/README.md so that searching a warning leads to its fix.
 */
public enum Warning {
    INTERRUPTED_RUN("%s is unfinished: a run was interrupted and this part is not in the report.",
            "Re-run the sweep; the parts that finished are kept as .json files."),
    PART_NOT_OK("Part %s has status %s in metadata.json: its results are missing or incomplete.",
            "Read the part's log, logs/<part>.log, for the cause; then re-run the sweep."),
    NO_METADATA("metadata.json is missing: the header shows no host, JVM, JMH, OpenCL or GPU details.",
            "Run benchmarks through scripts/, which write metadata.json before the first benchmark."),
    NO_SYSCALL_PROFILER("No syscalls.total.norm labels for %s: the syscall profiler did not run there.",
            "Add -prof gpuos.profiler.LinuxSyscallProfiler to the JMH command line; -lprof tells why it is unsupported on a machine."),
    COUNTING_CAVEAT("Counting backend %s: %s",
            "Copied from metadata.json (counting.caveats); read the syscall counts with it in mind."),
    FEW_FORKS("%s has fewer than 3 forks at %d of %d points (fewest: %d): confidence intervals over forks are wide or missing.",
            "Run JMH with -f 3 or more: the fork is the unit of replication."),
    HIGH_CV("%s: %s varies across forks by more than 10%% (coefficient of variation) at %d of %d points, most at %s (%.1f%%).",
            "Forks disagree: look for frequency scaling, other load on the machine, or JIT or device state that differs per fork; add forks."),
    OUTLIER_FORK("%s at %s: fork %d of %d has %s = %.4g, an outlier among fork means (modified z-score %.1f, |M| > 3.5).",
            "Read that fork's lines in logs/ for errors or interference; one odd fork moves the mean, more forks dilute it."),
    JVM_ACTIVITY("%s: the JVM paused for garbage collection inside measured iterations at %d of %d points (most at %s: %.2g pauses per iteration).",
            "A GC pause is a safepoint at which every Java thread, the benchmark's worker too, waits on a futex: part of the worker's futex there is the JVM's, not the workload's (profiler/README.md, JVM syscalls on the benchmark thread). A larger young generation (-Xmn) or less allocation per operation removes it."),
    NO_INTERVENTION_INDEX("Phase-2 runner results or failures but no interventions.json: no predictions to judge them by.",
            "The sweep copies the index from the jar (META-INF/gpuos/interventions.json); copy it into the results folder, or re-run with a jar built with the interventions module."),
    UNKNOWN_INTERVENTION("Intervention %s has results (%s) but is not in interventions.json: no prediction judges them.",
            "The index comes from another build than the results: copy interventions.json from the jar that ran, or re-run the sweep."),
    MISSING_BASELINE("%s is predicted against %s, which has no results at %s where %s ran (%s): the predictions there are inconclusive.",
            "Run the baseline at the same runner, bytes, reps and platform (-p intervention=<both>); a baseline that threw is in the failures table."),
    INTERVENTION_FAILED("Intervention %s threw %s (%s): JMH dropped those results; the failures table under Phase 2 has each message.",
            "Read the message and the part's log in logs/; fix the intervention or its knobs and re-run it.");

    public final String sentence;
    public final String hint;

    Warning(String sentence, String hint) {
        this.sentence = sentence;
        this.hint = hint;
    }

    public Raised raise(Object... args) {
        return raiseAbout("", args);
    }

    /** A warning about one subject (a series): the report shows warnings of one kind about one subject as one item. */
    public Raised raiseAbout(String subject, Object... args) {
        return new Raised(this, subject, String.format(Locale.ROOT, sentence, args));
    }

    /**
     * A warning with its details filled in.
     *
     * @param subject  what it is about, e.g. a series name; empty when it stands alone
     */
    public record Raised(Warning warning, String subject, String text) {
        public String hint() {
            return warning.hint;
        }
    }
}
