package gpuos.profiler.syscalls;

import gpuos.natives.syscount.SyscallCounter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tracepoint ids and field offsets, read from tracefs (the kernel's own description, never hard-coded). */
public final class Tracefs {
    private static final List<Path> ROOTS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));
    public static final String MOUNT_HINT = "mount -t tracefs nodev /sys/kernel/tracing";

    private Tracefs() {}

    /**
     * A phase counter that follows forks of the processes it tracks (sched_process_fork, located through
     * tracefs). A write(2) to {@code markFd} starts the next phase; -1 for none.
     */
    public static SyscallCounter phaseCounter(int markFd) throws IOException {
        Path fork = event("sched", "sched_process_fork");
        return SyscallCounter.forPhases(markFd, id(fork), fieldOffset(fork, "child_pid"));
    }

    /** The event folder, e.g. ("sched", "sched_process_fork"); throws with the mount command when tracefs is absent. */
    public static Path event(String system, String name) {
        for (Path root : ROOTS) {
            Path dir = root.resolve("events").resolve(system).resolve(name);
            if (Files.isRegularFile(dir.resolve("id"))) return dir;
        }
        for (Path root : ROOTS) {
            // The kernel keeps tracefs root-only by default: a user without access cannot even see whether it is mounted.
            if (Files.isDirectory(root) && !Files.isReadable(root)) {
                throw new IllegalStateException(root + " is not readable by this user (tracefs is root-only by default): run as root");
            }
        }
        throw new IllegalStateException("tracefs is not mounted (no events/" + system + "/" + name + "): run `" + MOUNT_HINT + "` as root");
    }

    public static int id(Path event) throws IOException {
        return Integer.parseInt(Files.readString(event.resolve("id")).trim());
    }

    /** Byte offset of a field, from the event's format file. */
    public static int fieldOffset(Path event, String field) throws IOException {
        Matcher m = Pattern.compile("field:[^;]*\\b" + Pattern.quote(field) + ";\\s*offset:(\\d+);").matcher(Files.readString(event.resolve("format")));
        if (!m.find()) throw new IllegalStateException("tracepoint " + event.getFileName() + " has no field " + field);
        return Integer.parseInt(m.group(1));
    }
}
