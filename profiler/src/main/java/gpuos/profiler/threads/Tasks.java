package gpuos.profiler.threads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** This process's threads as /proc/self/task lists them: every thread, whether it has made a syscall or not. */
public final class Tasks {
    private Tasks() {}

    public static List<Integer> live() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thread's kernel name, or null when it has ended. */
    public static String comm(int tid) {
        try {
            return Files.readString(Path.of("/proc/self/task", Integer.toString(tid), "comm")).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
