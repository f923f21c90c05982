package gpuos.suite.sweep;

import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import gpuos.suite.node.Counting;
import gpuos.suite.node.RunMetadata;
import gpuos.suite.presets.Presets;
import gpuos.suite.sweep.Part.Requirement;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The sweep's command line: which preset, which of its parts this machine can run ({@link Plan}), into which
 * {@link RunFolder} (new, or resumed), then the {@link PartLoop}. A part that fails is recorded and the sweep goes on;
 * the exit status is 1 when any part failed, 2 on a bad argument or an existing run folder. It names the run folder
 * in one line {@code run-dir: PATH} for scripts.
 *
 * <pre>java -cp suite/target/gpuos.jar gpuos.suite.sweep.Sweep quick [--out results] [--dry-run]</pre>
 *
 * <p>A preset too long for one sitting (a GPU node lends 10-minute calls) runs in pieces: {@code --parts REGEX}
 * runs only the parts whose name matches, and {@code --resume results/<run-id>} adds them to that run folder,
 * skipping every part that already has its result there. Nothing written before is overwritten.
 */
public final class Sweep {
    public static final String PROFILER = "gpuos.profiler.LinuxSyscallProfiler";
    static final String USAGE = "usage: Sweep <" + String.join("|", Presets.names()) + "> [--out DIR] [--parts REGEX] [--resume RUN_DIR] [--dry-run]";
    /** The jar logs and --dry-run name: the one jar, which carries Phase 1 and 2. */
    static final String JAR = "gpuos.jar";
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** What the command line asked for. */
    record Args(Preset preset, Path out, boolean dryRun, boolean help, java.util.regex.Pattern parts, Path resume) {
        Args(Preset preset, Path out, boolean dryRun, boolean help) {
            this(preset, out, dryRun, help, null, null);
        }
    }

    /** A bad command line; the message is the one line printed after {@code sweep: }. */
    static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    /** The parts to run on this machine, and one line per thing left out. */
    record Plan(List<Part> parts, List<String> notes) {}

    private final Clock clock;
    private final PrintStream out;
    private final PartRunner runner;
    private final Supplier<OpenClPlatforms.Discovery> opencl;
    private final Supplier<Counting> counting;

    private final Supplier<java.util.Optional<String>> cuda;

    Sweep(Clock clock, PrintStream out, PartRunner runner, Supplier<OpenClPlatforms.Discovery> opencl,
          Supplier<Counting> counting) {
        this(clock, out, runner, opencl, counting, () -> java.util.Optional.of("CUDA not probed"));
    }

    Sweep(Clock clock, PrintStream out, PartRunner runner, Supplier<OpenClPlatforms.Discovery> opencl,
          Supplier<Counting> counting, Supplier<java.util.Optional<String>> cudaUnavailable) {
        this.cuda = cudaUnavailable;
        this.clock = clock;
        this.out = out;
        this.runner = runner;
        this.opencl = opencl;
        this.counting = counting;
    }

    public static void main(String[] args) {
        Sweep sweep = new Sweep(Clock.systemUTC(), System.out, new JmhPartRunner(), OpenClPlatforms::discoverInChildProcess,
                Counting::detect, CudaAvailability::unavailableReason);
        System.exit(sweep.run(args));
    }

    static Args parse(List<String> args) throws UsageException {
        String preset = null;
        Path out = Path.of("results");
        boolean dryRun = false;
        java.util.regex.Pattern parts = null;
        Path resume = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-h", "--help" -> { return new Args(null, out, false, true); }
                case "--dry-run" -> dryRun = true;
                case "--out" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) throw new UsageException("--out needs a folder (" + USAGE + ")");
                    out = Path.of(args.get(++i));
                }
                case "--parts" -> {
                    if (i + 1 >= args.size()) throw new UsageException("--parts needs a regular expression over part names (" + USAGE + ")");
                    try {
                        parts = java.util.regex.Pattern.compile(args.get(++i));
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw new UsageException("--parts '" + args.get(i) + "' is not a regular expression: " + e.getDescription());
                    }
                }
                case "--resume" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) throw new UsageException("--resume needs a run folder (" + USAGE + ")");
                    resume = Path.of(args.get(++i));
                }
                default -> {
                    if (a.startsWith("-")) throw new UsageException("unknown option '" + a + "' (" + USAGE + ")");
                    if (preset != null) throw new UsageException("unexpected argument '" + a + "' (" + USAGE + ")");
                    preset = a;
                }
            }
        }
        if (preset == null) throw new UsageException("no preset given (use " + String.join(" or ", Presets.names()) + ")");
        String name = preset;
        Preset p = Presets.named(name).orElseThrow(
                () -> new UsageException("unknown preset '" + name + "' (use " + String.join(" or ", Presets.names()) + ")"));
        if (parts != null) {
            java.util.regex.Pattern regex = parts;
            if (p.parts().stream().noneMatch(x -> regex.matcher(x.name()).find()))
                throw new UsageException("--parts '" + regex + "' matches no part of preset " + p.name() + " (its parts: "
                        + p.parts().stream().map(Part::name).collect(Collectors.joining(", ")) + ")");
        }
        if (resume != null && !Files.isRegularFile(resume.resolve("metadata.json")))
            throw new UsageException("--resume " + resume + ": no run folder there (it has no metadata.json); give results/<run-id>");
        return new Args(p, out, dryRun, false, parts, resume);
    }

    static Plan plan(Preset preset, OpenClPlatforms.Discovery opencl) {
        return plan(preset, opencl, java.util.Optional.of("CUDA not probed"));
    }

    /**
     * OpenCL parts once per platform found; none found: they are left out, said in one line. CUDA parts
     * likewise when {@code cudaUnavailable} names a reason.
     */
    static Plan plan(Preset preset, OpenClPlatforms.Discovery opencl, java.util.Optional<String> cudaUnavailable) {
        List<Part> parts = new ArrayList<>();
        int skipped = 0, skippedCuda = 0;
        for (Part part : preset.parts()) {
            if (part.requires(Requirement.CUDA)) {
                if (cudaUnavailable.isEmpty()) parts.add(part);
                else skippedCuda++;
            } else if (!part.requires(Requirement.OPENCL_PLATFORM)) {
                parts.add(part);
            } else if (opencl.found()) {
                for (OpenClPlatforms.Platform p : opencl.platforms()) parts.add(part.forPlatform(p.key()));
            } else {
                skipped++;
            }
        }
        List<String> notes = new ArrayList<>();
        if (skipped > 0) {
            notes.add("no OpenCL platform (" + opencl.problem() + "): skipping " + skipped
                    + " OpenCL parts; scripts/setup installs PoCL, a CPU platform");
        }
        if (skippedCuda > 0) notes.add(cudaUnavailable.orElseThrow() + ": skipping " + skippedCuda + " CUDA parts");
        return new Plan(parts, notes);
    }

    static String runId(Instant now, Preset preset) {
        return RUN_ID.format(now) + "-" + preset.name();
    }

    int run(String... argv) {
        Args args;
        try {
            args = parse(List.of(argv));
        } catch (UsageException e) {
            out.println("sweep: " + e.getMessage());
            return 2;
        }
        if (args.help()) {
            out.println(USAGE);
            return 0;
        }
        Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String runId = args.resume() != null ? args.resume().getFileName().toString() : runId(started, args.preset());
        Path dir = args.resume() != null ? args.resume() : args.out().resolve(runId);
        Counting count = counting.get();
        String profiler = count.available() ? PROFILER : null;
        OpenClPlatforms.Discovery platforms = opencl.get();
        Plan plan = plan(args.preset(), platforms, args.preset().parts().stream().anyMatch(p -> p.requires(Requirement.CUDA)) ? cuda.get() : java.util.Optional.empty());
        plan = select(plan, args, dir);

        if (args.dryRun()) {
            out.println("sweep: dry run of preset " + args.preset().name() + " into " + dir + " (nothing is written)");
            plan.notes().forEach(n -> out.println("sweep: " + n));
            for (Part part : plan.parts()) {
                out.println(part.name() + ": java -jar " + JAR + " "
                        + shellJoin(part.jmhArgs(dir.resolve("jmh").resolve(part.name() + ".json").toString(), profiler, RunFolder.failuresFile(dir))));
            }
            return 0;
        }

        String command = Optional.ofNullable(System.getenv("GPUOS_COMMAND")).orElse("Sweep " + String.join(" ", argv));
        RunFolder folder;
        try {
            if (args.resume() != null) {
                folder = RunFolder.resume(dir, args.preset().name(), started, command);
                out.println("sweep: resuming run " + runId + ": " + plan.parts().size() + " parts to run, results in " + dir);
            } else {
                folder = RunFolder.create(dir, RunMetadata.collect(runId, args.preset().name(), command, started, platforms, count));
                out.println("sweep: run " + runId + ", " + plan.parts().size() + " parts, results in " + dir);
            }
        } catch (RunFolder.Refused e) {
            out.println("sweep: " + e.getMessage());
            return 2;
        }
        // For scripts (scripts/sweep reads it): the folder this run writes, in one machine-readable line.
        out.println("run-dir: " + dir);
        try {
            folder.prepare(args.preset().runFiles());
        } catch (IOException e) {
            out.println("sweep: cannot write into " + dir + ": " + e);
            return 2;
        }

        if (!count.available()) {
            out.println("sweep: syscall counting unavailable (" + String.join("; ", count.caveats()) + "): running without -prof " + PROFILER);
        } else {
            if (plan.parts().stream().allMatch(p -> p.requires(Requirement.OWN_COUNTER))) out.println("sweep: its benchmarks attach their own counter (no -prof)");
            else out.println("sweep: counting syscalls with -prof " + PROFILER + " (backend " + count.backend() + ")");
            count.caveats().forEach(c -> out.println("sweep: " + c));
        }
        plan.notes().forEach(n -> out.println("sweep: " + n));

        try {
            folder.plan(plan.parts());
        } catch (IOException e) {
            out.println("sweep: cannot write " + folder.metadataFile() + ": " + e);
            return 2;
        }
        int failed = new PartLoop(out, runner, folder, profiler).run(plan.parts());
        out.println("sweep: results in " + dir);
        return failed > 0 ? 1 : 0;
    }

    /** The parts that --parts selects, less those whose result is already in the folder --resume names. */
    static Plan select(Plan plan, Args args, Path dir) {
        List<Part> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>(plan.notes());
        int unselected = 0;
        List<String> done = new ArrayList<>();
        for (Part part : plan.parts()) {
            if (args.parts() != null && !args.parts().matcher(part.name()).find()) unselected++;
            else if (args.resume() != null && Files.exists(dir.resolve("jmh").resolve(part.name() + ".json"))) done.add(part.name());
            else parts.add(part);
        }
        if (unselected > 0) notes.add("--parts '" + args.parts() + "': leaving out " + unselected + " parts that do not match");
        if (!done.isEmpty()) notes.add("--resume: " + done.size() + " parts already have results, kept as they are: " + String.join(", ", done));
        return new Plan(parts, notes);
    }

    static String shellJoin(List<String> args) {
        return args.stream().map(a -> a.matches("[A-Za-z0-9_./=,:+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
