package gpuos.suite.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs planned parts one JMH invocation at a time into a {@link RunFolder}. A part that fails is recorded and the
 * loop goes on; each part's console goes to the terminal and to its log at once.
 */
final class PartLoop {
    private final PrintStream out;
    private final PartRunner runner;
    private final RunFolder folder;
    private final String profiler;

    /** @param profiler the {@code -prof} class name, or null to run without counting */
    PartLoop(PrintStream out, PartRunner runner, RunFolder folder, String profiler) {
        this.out = out;
        this.runner = runner;
        this.folder = folder;
        this.profiler = profiler;
    }

    /** Runs every part and prints a summary; returns how many failed. */
    int run(List<Part> parts) {
        List<String> summary = new ArrayList<>();
        int failed = 0;
        long loopStart = System.nanoTime();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            out.println("sweep: part " + (i + 1) + "/" + parts.size() + " " + part.name());
            long start = System.nanoTime();
            String error = runPart(part);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String status = error == null ? "ok" : "failed";
            if (error == null) {
                out.println("sweep: part " + part.name() + " done in " + took.toSeconds() + " s -> " + folder.result(part));
            } else {
                failed++;
                out.println("sweep: part " + part.name() + " FAILED after " + took.toSeconds() + " s: " + error + " (see " + folder.log(part) + ")");
            }
            summary.add(String.format("  %-34s %-6s %5d s", part.name(), status, took.toSeconds()));
            try {
                folder.record(part, status, took);
            } catch (IOException e) {
                out.println("sweep: cannot write " + folder.metadataFile() + ": " + e);
            }
        }
        long total = Duration.ofNanos(System.nanoTime() - loopStart).toSeconds();
        out.println("sweep: " + parts.size() + " parts in " + total + " s: " + (parts.size() - failed) + " ok, " + failed + " failed");
        summary.forEach(out::println);
        return failed;
    }

    /** Runs one part with its console teed to the log; null when it finished with a result file, else why not. */
    private String runPart(Part part) {
        Path partial = folder.partial(part);
        List<String> jmhArgs = part.jmhArgs(partial.toString(), profiler, folder.failuresFile());
        // Appending: a part re-run by --resume keeps the log of its failed first try above the new one.
        try (OutputStream file = Files.newOutputStream(folder.log(part), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             PrintStream console = new PrintStream(new Tee(out, file), true, StandardCharsets.UTF_8)) {
            console.println("# java -jar " + Sweep.JAR + " " + Sweep.shellJoin(jmhArgs));
            try {
                runner.run(part, jmhArgs, console);
            } catch (Exception e) {
                console.println("sweep: part " + part.name() + " failed: " + e);
                for (Throwable c = e.getCause(); c != null; c = c.getCause()) console.println("  caused by: " + c);
                return firstLine(benchmarkCause(e));
            }
            if (!Files.exists(partial)) return "JMH wrote no result file " + partial.getFileName();
            // The rename marks the part finished: a killed sweep leaves only whole results under their final name.
            Files.move(partial, folder.result(part), StandardCopyOption.ATOMIC_MOVE);
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
