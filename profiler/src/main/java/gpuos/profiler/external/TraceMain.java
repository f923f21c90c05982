package gpuos.profiler.external;

import gpuos.profiler.LinuxSyscallProfiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * gpuos-trace: exact syscall counts per marked phase of any program (all its threads and processes).
 * <pre>
 * gpuos-trace [--runs N] [--name NAME] [--out FILE.json] -- PROGRAM [ARGS...]
 * </pre>
 * Marker protocol, from Python: {@code os.write(int(os.environ["GPUOS_MARK_FD"]), b"infer\n")};
 * from C: {@code dprintf(atoi(getenv("GPUOS_MARK_FD")), "infer\n")}. One write(2) per marker; "infer 300\n"
 * says the phase runs 300 operations, and its results are per operation.
 *
 * <p>Exit status: 2 for bad arguments (nothing runs); 1 when a run had a problem (a bad marker count, no markers,
 * the program ended with a non-zero status), each said in one line, repeats grouped, with everything counted
 * still printed and written; 0 otherwise.
 */
public final class TraceMain {
    private TraceMain() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("gpuos-trace: " + e.getMessage());
            System.exit(2);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) { super(message); }
    }

    static int run(String[] args) {
        int runs = 1;
        String name = null;
        Path out = null;
        List<String> command = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = positive(value(args, ++i, "--runs"), "--runs");
                case "--name" -> name = value(args, ++i, "--name");
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--" -> command = List.of(args).subList(i + 1, args.length);
                case "-h", "--help" -> throw new UsageException("usage: gpuos-trace [--runs N] [--name NAME] [--out FILE.json] -- PROGRAM [ARGS...]");
                default -> throw new UsageException("unknown argument '" + args[i] + "' (usage: gpuos-trace [--runs N] [--name NAME] [--out FILE.json] -- PROGRAM [ARGS...])");
            }
            if (command != null) break;
        }
        if (command == null || command.isEmpty()) throw new UsageException("no program given: put it after --, e.g. gpuos-trace -- python3 infer.py");
        if (out != null && Files.exists(out)) throw new UsageException(out + " exists already: choose another --out (results are never overwritten)");
        if (name == null) name = Path.of(command.get(0)).getFileName().toString().replaceAll("[^A-Za-z0-9_-]", "_");
        String unsupported = LinuxSyscallProfiler.unsupportedReason().orElse(null);
        if (unsupported != null) throw new UsageException(unsupported);

        List<List<PhaseOccurrence>> all = new ArrayList<>();
        List<Long> overflowMarkers = new ArrayList<>();
        Map<String, List<Integer>> problems = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            PhaseTrace.Outcome outcome;
            try {
                outcome = new PhaseTrace(command).run();
            } catch (IllegalStateException e) {
                throw new UsageException(e.getMessage());
            } catch (IOException e) {
                throw new UsageException("cannot run " + command.get(0) + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("interrupted");
            }
            all.add(outcome.phases());
            overflowMarkers.add(outcome.overflowMarkers());
            for (String p : outcome.problems()) problems.computeIfAbsent(p, k -> new ArrayList<>()).add(run);
        }
        System.out.print(summary(all, overflowMarkers));
        if (out != null) write(out, ExternalResults.toJson(name, command, all, overflowMarkers));
        grouped(problems).forEach(System.err::println);
        return problems.isEmpty() ? 0 : 1;
    }

    /** One line per distinct problem: where it happened once, its run; else how often and in which runs. */
    static List<String> grouped(Map<String, List<Integer>> problems) {
        List<String> out = new ArrayList<>();
        problems.forEach((message, runs) -> {
            List<Integer> distinct = runs.stream().distinct().toList();
            String where = distinct.size() == 1 ? "run " + distinct.getFirst() : "runs " + distinct.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
            out.add(runs.size() == 1 ? "gpuos-trace: run " + runs.getFirst() + ": " + message
                    : "gpuos-trace: " + message + " (" + runs.size() + " times, " + where + ")");
        });
        return out;
    }

    /**
     * A short table: phase, occurrences, operations, wall and CPU ms and syscalls per operation (totals over all
     * occurrences divided by their operations; an operation is an occurrence where the marker gave no count),
     * top syscalls; then a line per run that overflowed.
     */
    static String summary(List<List<PhaseOccurrence>> runs, List<Long> overflowMarkers) {
        Map<String, List<PhaseOccurrence>> byPhase = new LinkedHashMap<>();
        runs.forEach(r -> r.forEach(p -> byPhase.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p)));
        StringBuilder sb = new StringBuilder(String.format("%-20s %6s %8s %12s %12s %14s  %s%n", "phase", "count", "ops", "ms/op", "cpu ms/op", "syscalls/op", "top syscalls per op"));
        byPhase.forEach((phase, list) -> {
            double n = list.stream().mapToLong(PhaseOccurrence::ops).sum();
            double ms = list.stream().mapToDouble(p -> p.nanos() / 1e6).sum() / n;
            boolean cpuKnown = list.stream().allMatch(p -> p.cpuNanos() >= 0);
            String cpu = cpuKnown ? String.format("%.3f", list.stream().mapToDouble(p -> p.cpuNanos() / 1e6).sum() / n) : "?";
            Map<String, Double> labels = new LinkedHashMap<>();
            for (PhaseOccurrence p : list) p.tally().labels(n, false).forEach((k, v) -> labels.merge(k, v, Double::sum));
            String top = labels.entrySet().stream()
                    .filter(e -> e.getKey().matches("syscalls\\.[a-z0-9_]+\\.norm") && !e.getKey().equals("syscalls.total.norm"))
                    .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).limit(4)
                    .map(e -> e.getKey().replace("syscalls.", "").replace(".norm", "") + " " + fmt(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("");
            sb.append(String.format("%-20s %6d %8d %12.3f %12s %14s  %s%n", phase, list.size(), (long) n, ms, cpu, fmt(labels.getOrDefault("syscalls.total.norm", 0.0)), top));
        });
        for (int run = 0; run < overflowMarkers.size(); run++) {
            long n = overflowMarkers.get(run);
            if (n > 0) sb.append(overflowWarning(run + 1, n)).append(System.lineSeparator());
        }
        return sb.toString();
    }

    static String overflowWarning(int run, long markers) {
        return "gpuos-trace: run " + run + ": " + markers + " markers past the limit of " + PhaseTrace.MARKER_LIMIT
                + ": their phases are merged into phase 'overflow' (counted, not split)";
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.2f", v); }

    private static void write(Path out, String json) {
        try {
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            Path partial = out.resolveSibling(out.getFileName() + ".partial");
            Files.writeString(partial, json, StandardCharsets.UTF_8);
            Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("gpuos-trace: wrote " + out);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(out + " exists already: choose another --out");
        } catch (IOException e) {
            throw new UsageException("cannot write " + out + ": " + e.getMessage());
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new UsageException(flag + " needs a value");
        return args[i];
    }

    private static int positive(String v, String flag) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new UsageException(flag + " must be a positive whole number, got '" + v + "'");
    }
}
