package gpuos.suite.sweep;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import gpuos.benchmarks.cuda.CudaAvailability;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import gpuos.suite.node.Counting;
import gpuos.suite.node.RunMetadata;
import gpuos.suite.presets.Presets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
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
 * Runs a preset's parts one JMH invocation at a time into a new {@code results/<run-id>/}
 * (docs/results-format.md). A part that fails is recorded and the sweep goes on; the exit status is 1 when any
 * part failed, 2 on a bad argument or an existing run folder.
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
            if (part.needsCuda()) {
                if (cudaUnavailable.isEmpty()) parts.add(part);
                else skippedCuda++;
            } else if (!part.perOpenClPlatform()) {
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
        Plan plan = plan(args.preset(), platforms, args.preset().parts().stream().anyMatch(Part::needsCuda) ? cuda.get() : java.util.Optional.empty());
        plan = select(plan, args, dir);

        if (args.dryRun()) {
            out.println("sweep: dry run of preset " + args.preset().name() + " into " + dir + " (nothing is written)");
            plan.notes().forEach(n -> out.println("sweep: " + n));
            for (Part part : plan.parts()) {
                out.println(part.name() + ": java -jar " + JAR + " "
                        + shellJoin(part.jmhArgs(dir.resolve("jmh").resolve(part.name() + ".json").toString(), profiler, failuresFile(dir))));
            }
            return 0;
        }

        JsonObject metadata;
        JsonArray partsJson;
        Path metadataFile = dir.resolve("metadata.json");
        String command = Optional.ofNullable(System.getenv("GPUOS_COMMAND")).orElse("Sweep " + String.join(" ", argv));
        if (args.resume() != null) {
            try {
                metadata = RunMetadata.read(metadataFile);
            } catch (IOException | RuntimeException e) {
                out.println("sweep: cannot read " + metadataFile + " (" + e.getMessage() + "): resume into a folder an earlier sweep made");
                return 2;
            }
            String previous = metadata.has("preset") ? metadata.get("preset").getAsString() : "";
            if (!previous.equals(args.preset().name())) {
                out.println("sweep: " + dir + " is a run of preset '" + previous + "', not '" + args.preset().name() + "': resume it with that preset");
                return 2;
            }
            JsonObject resumed = new JsonObject();
            resumed.addProperty("started", started.toString());
            resumed.addProperty("command", command);
            if (!metadata.has("resumed")) metadata.add("resumed", new JsonArray());
            metadata.getAsJsonArray("resumed").add(resumed);
            if (!metadata.has("parts")) metadata.add("parts", new JsonArray());
            partsJson = metadata.getAsJsonArray("parts");
            out.println("sweep: resuming run " + runId + ": " + plan.parts().size() + " parts to run, results in " + dir);
        } else {
            try {
                Files.createDirectories(args.out());
                Files.createDirectory(dir); // atomic: fails when the folder exists, so a run never overwrites another
            } catch (FileAlreadyExistsException e) {
                out.println("sweep: " + dir + " already exists; a run folder is never overwritten (wait a second or pick another --out)");
                return 2;
            } catch (IOException e) {
                out.println("sweep: cannot create " + dir + ": " + e);
                return 2;
            }
            metadata = RunMetadata.collect(runId, args.preset().name(), command, started, platforms, count);
            partsJson = new JsonArray();
            metadata.add("parts", partsJson);
            out.println("sweep: run " + runId + ", " + plan.parts().size() + " parts, results in " + dir);
        }
        // For scripts (scripts/sweep reads it): the folder this run writes, in one machine-readable line.
        out.println("run-dir: " + dir);
        try {
            Files.createDirectories(dir.resolve("jmh"));
            Files.createDirectories(dir.resolve("logs"));
            for (var f : args.preset().runFiles().entrySet()) {
                Path file = dir.resolve(f.getKey());
                if (!Files.exists(file)) Files.writeString(file, f.getValue());
            }
        } catch (IOException e) {
            out.println("sweep: cannot write into " + dir + ": " + e);
            return 2;
        }

        if (!count.available()) {
            out.println("sweep: syscall counting unavailable (" + String.join("; ", count.caveats()) + "): running without -prof " + PROFILER);
        } else {
            if (plan.parts().stream().allMatch(Part::countsItself)) out.println("sweep: its benchmarks attach their own counter (no -prof)");
            else out.println("sweep: counting syscalls with -prof " + PROFILER + " (backend " + count.backend() + ")");
            count.caveats().forEach(c -> out.println("sweep: " + c));
        }
        plan.notes().forEach(n -> out.println("sweep: " + n));

        int[] slot = new int[plan.parts().size()];
        for (int i = 0; i < plan.parts().size(); i++) slot[i] = partSlot(partsJson, plan.parts().get(i), "planned", null);
        if (!writeMetadata(metadataFile, metadata)) return 2;

        List<String> summary = new ArrayList<>();
        int failed = 0;
        long sweepStart = System.nanoTime();
        for (int i = 0; i < plan.parts().size(); i++) {
            Part part = plan.parts().get(i);
            Path partial = dir.resolve("jmh").resolve(part.name() + ".json.partial");
            Path result = dir.resolve("jmh").resolve(part.name() + ".json");
            Path log = dir.resolve("logs").resolve(part.name() + ".log");
            out.println("sweep: part " + (i + 1) + "/" + plan.parts().size() + " " + part.name());
            long start = System.nanoTime();
            String error = runPart(part, part.jmhArgs(partial.toString(), profiler, failuresFile(dir)), partial, result, log);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String status = error == null ? "ok" : "failed";
            if (error == null) {
                out.println("sweep: part " + part.name() + " done in " + took.toSeconds() + " s -> " + result);
            } else {
                failed++;
                out.println("sweep: part " + part.name() + " FAILED after " + took.toSeconds() + " s: " + error + " (see " + log + ")");
            }
            summary.add(String.format("  %-34s %-6s %5d s", part.name(), status, took.toSeconds()));
            partsJson.set(slot[i], partJson(part, status, took));
            writeMetadata(metadataFile, metadata);
        }
        long total = Duration.ofNanos(System.nanoTime() - sweepStart).toSeconds();
        out.println("sweep: " + plan.parts().size() + " parts in " + total + " s: " + (plan.parts().size() - failed) + " ok, " + failed + " failed");
        summary.forEach(out::println);
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

    /** Where this part's entry goes in metadata's parts: its earlier entry when resumed, else a new one. */
    private static int partSlot(JsonArray partsJson, Part part, String status, Duration took) {
        for (int i = 0; i < partsJson.size(); i++) {
            JsonObject o = partsJson.get(i).getAsJsonObject();
            if (o.has("name") && o.get("name").getAsString().equals(part.name())) {
                partsJson.set(i, partJson(part, status, took));
                return i;
            }
        }
        partsJson.add(partJson(part, status, took));
        return partsJson.size() - 1;
    }

    private static String failuresFile(Path dir) {
        return dir.resolve("failures.jsonl").toAbsolutePath().toString();
    }

    /** Runs one part with its console teed to the log; null when it finished with a result file, else why not. */
    private String runPart(Part part, List<String> jmhArgs, Path partial, Path result, Path log) {
        // Appending: a part re-run by --resume keeps the log of its failed first try above the new one.
        try (OutputStream file = Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
             PrintStream console = new PrintStream(new Tee(out, file), true, StandardCharsets.UTF_8)) {
            console.println("# java -jar " + JAR + " " + shellJoin(jmhArgs));
            try {
                runner.run(part, jmhArgs, console);
            } catch (Exception e) {
                console.println("sweep: part " + part.name() + " failed: " + e);
                for (Throwable c = e.getCause(); c != null; c = c.getCause()) console.println("  caused by: " + c);
                return firstLine(benchmarkCause(e));
            }
            if (!Files.exists(partial)) return "JMH wrote no result file " + partial.getFileName();
            // The rename marks the part finished: a killed sweep leaves only whole results under their final name.
            Files.move(partial, result, StandardCopyOption.ATOMIC_MOVE);
            return null;
        } catch (IOException e) {
            return "I/O: " + e.getMessage();
        }
    }

    /**
     * The benchmark's own exception: JMH wraps it as a suppressed exception of a BenchmarkException inside a
     * RunnerException ("Benchmark caught the exception"), which alone says nothing.
     */
    static Throwable benchmarkCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Throwable s : t.getSuppressed()) return s;
            if (!t.getClass().getName().startsWith("org.openjdk.jmh.")) return t;
        }
        return e;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    private boolean writeMetadata(Path file, JsonObject metadata) {
        try {
            RunMetadata.write(file, metadata);
            return true;
        } catch (IOException e) {
            out.println("sweep: cannot write " + file + ": " + e);
            return false;
        }
    }

    private static JsonObject partJson(Part part, String status, Duration took) {
        JsonObject o = new JsonObject();
        o.addProperty("name", part.name());
        o.addProperty("include", part.include());
        JsonObject params = new JsonObject();
        part.params().forEach((k, v) -> {
            JsonArray values = new JsonArray();
            v.forEach(values::add);
            params.add(k, values);
        });
        o.add("params", params);
        o.addProperty("forks", part.settings().forks());
        o.addProperty("status", status);
        if (took != null) o.addProperty("seconds", took.toMillis() / 1000.0);
        return o;
    }

    static String shellJoin(List<String> args) {
        return args.stream().map(a -> a.matches("[A-Za-z0-9_./=,:+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    /** Writes to the terminal and the part's log at once; closing it closes only the log. */
    private static final class Tee extends OutputStream {
        private final OutputStream terminal;
        private final OutputStream file;

        Tee(OutputStream terminal, OutputStream file) {
            this.terminal = terminal;
            this.file = file;
        }

        @Override public void write(int b) throws IOException { terminal.write(b); file.write(b); }
        @Override public void write(byte[] b, int off, int len) throws IOException { terminal.write(b, off, len); file.write(b, off, len); }
        @Override public void flush() throws IOException { terminal.flush(); file.flush(); }
        @Override public void close() throws IOException { terminal.flush(); file.close(); }
    }
}
