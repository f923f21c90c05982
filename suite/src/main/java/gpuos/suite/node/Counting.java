package gpuos.suite.node;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import gpuos.profiler.LinuxSyscallProfiler;
import java.util.List;
import java.util.Optional;

/**
 * Which syscall counter this machine gives the profiler, as metadata.json's {@code counting} records it:
 * {@code bpf}, {@code perf} (tracepoint fallback) or {@code none} (the sweep then runs without {@code -prof}).
 */
public record Counting(String backend, List<String> caveats) {
    public Counting {
        caveats = List.copyOf(caveats);
    }

    /** As metadata.json and {@code NodeCheck --json} write it: {@code {"backend", "caveats"}}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("backend", backend);
        JsonArray list = new JsonArray();
        caveats.forEach(list::add);
        o.add("caveats", list);
        return o;
    }

    public boolean available() {
        return !backend.equals("none");
    }

    /** Asks the profiler (it loads and removes a probe program, so this needs the natives and native access). */
    public static Counting detect() {
        try {
            Optional<String> none = LinuxSyscallProfiler.unsupportedReason();
            if (none.isPresent()) return new Counting("none", List.of(none.get()));
            String backend = LinuxSyscallProfiler.availableBackend();
            if (backend.equals("bpf")) return new Counting("bpf", List.of());
            return new Counting(backend, LinuxSyscallProfiler.bpfUnsupportedReason()
                    .map(r -> List.of("eBPF counter unavailable (" + r + "): counted with " + backend + " instead")).orElse(List.of()));
        } catch (RuntimeException | LinkageError e) {
            return new Counting("none", List.of("syscall profiler unavailable: " + e));
        }
    }
}
