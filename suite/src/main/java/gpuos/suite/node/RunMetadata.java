package gpuos.suite.node;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import gpuos.benchmarks.opencl.OpenClPlatforms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.util.Version;

/**
 * metadata.json of a run (docs/results-format.md): what ran where. Every probe is best effort; a fact that
 * cannot be read is left out, never guessed.
 */
public final class RunMetadata {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private RunMetadata() {}

    public static JsonObject collect(String runId, String preset, String command, Instant started,
                                     OpenClPlatforms.Discovery opencl, Counting counting) {
        return collect(runId, preset, command, started, opencl, counting, System::getenv);
    }

    static JsonObject collect(String runId, String preset, String command, Instant started,
                              OpenClPlatforms.Discovery opencl, Counting counting, java.util.function.UnaryOperator<String> env) {
        JsonObject m = new JsonObject();
        m.addProperty("runId", runId);
        m.addProperty("preset", preset);
        m.addProperty("command", command);
        m.addProperty("started", started.toString());
        // A bundle was built elsewhere: its run script passes the commit it was built from, which the folder it
        // runs in (any checkout, or none) cannot tell.
        String built = env.apply("GPUOS_BUILD_COMMIT");
        if (built != null && !built.isBlank()) {
            m.addProperty("gitCommit", built.strip());
            String dirty = env.apply("GPUOS_BUILD_DIRTY");
            if (dirty != null) m.addProperty("gitDirty", Boolean.parseBoolean(dirty.strip()));
        } else output("git", "rev-parse", "HEAD").ifPresent(commit -> {
            m.addProperty("gitCommit", commit);
            output("git", "status", "--porcelain").ifPresent(s -> m.addProperty("gitDirty", !s.isEmpty()));
        });
        m.add("host", host());

        JsonObject jvm = new JsonObject();
        jvm.addProperty("version", System.getProperty("java.version"));
        jvm.addProperty("vendor", System.getProperty("java.vendor"));
        jvm.addProperty("home", System.getProperty("java.home"));
        m.add("jvm", jvm);

        JsonObject jmh = new JsonObject();
        jmh.addProperty("version", Version.getPlainVersion());
        m.add("jmh", jmh);

        m.add("counting", counting.toJson());

        JsonArray platforms = new JsonArray();
        for (OpenClPlatforms.Platform p : opencl.platforms()) platforms.add(OpenClPlatforms.toJson(p));
        m.add("opencl", platforms);
        gpus().ifPresent(g -> m.add("gpus", g));
        return m;
    }

    /** The metadata of an earlier run, to resume it. */
    public static JsonObject read(Path file) throws IOException {
        return com.google.gson.JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** Writes atomically (temp file + rename), so a reader never sees half a file. */
    public static void write(Path file, JsonObject metadata) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, GSON.toJson(metadata) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonObject host() {
        JsonObject host = new JsonObject();
        read("/proc/sys/kernel/osrelease").ifPresent(v -> host.addProperty("kernel", v));
        read("/etc/os-release").flatMap(s -> field(s, "PRETTY_NAME=")).map(v -> v.replace("\"", "")).ifPresent(v -> host.addProperty("os", v));
        read("/proc/cpuinfo").flatMap(s -> field(s, "model name")).map(v -> v.replaceFirst("^\\s*:\\s*", "")).ifPresent(v -> host.addProperty("cpu", v));
        host.addProperty("cores", Runtime.getRuntime().availableProcessors());
        // tsc keeps System.nanoTime() free of syscalls; hpet would add one per timestamp to every count.
        read("/sys/devices/system/clocksource/clocksource0/current_clocksource").ifPresent(v -> host.addProperty("clocksource", v));
        read("/proc/meminfo").flatMap(s -> field(s, "MemTotal:"))
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) * 1024).ifPresent(v -> host.addProperty("memoryBytes", v));
        return host;
    }

    /** NVIDIA GPUs as nvidia-smi lists them; absent when nvidia-smi is not installed. */
    static Optional<JsonArray> gpus() {
        return output("nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader").map(csv -> {
            JsonArray gpus = new JsonArray();
            for (String line : csv.lines().filter(l -> !l.isBlank()).toList()) {
                String[] cols = line.split(",\\s*", 2);
                JsonObject g = new JsonObject();
                g.addProperty("name", cols[0].trim());
                if (cols.length > 1) g.addProperty("driver", cols[1].trim());
                gpus.add(g);
            }
            return gpus;
        });
    }

    private static Optional<String> field(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()).trim());
    }

    private static Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A command's trimmed stdout when it exits 0 within 10 s; empty when it is missing or fails. */
    static Optional<String> output(String... command) {
        Path stdout = null;
        try {
            // stdout to a file, not a pipe: a hung nvidia-smi must not block the read past the timeout.
            stdout = Files.createTempFile("gpuos-probe", ".out");
            Process p = new ProcessBuilder(List.of(command)).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(Files.readString(stdout).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (stdout != null) {
                try {
                    Files.deleteIfExists(stdout);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
