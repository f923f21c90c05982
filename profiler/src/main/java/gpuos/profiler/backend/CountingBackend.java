package gpuos.profiler.backend;

import gpuos.profiler.LiveSyscalls;
import gpuos.profiler.Tally;
import gpuos.profiler.threads.ThreadClass;

import java.util.List;
import java.util.Optional;

/** A way of counting the system calls of this JVM's threads over a window. */
public interface CountingBackend extends AutoCloseable {
    /** Classifies threads (docs/results-format.md: a thread's class is decided by who started it, once). */
    interface Classifier {
        /** A thread given its tid, kernel name and the thread that started it (0: unknown, e.g. it is older than the counter). */
        ThreadClass classify(int tid, String comm, int creatorTid);

        /** A thread known to have been started by a thread of class {@code creatorClass}, its creator's tid unknown. */
        ThreadClass classifyStartedBy(int tid, ThreadClass creatorClass);
    }

    /** Whether a thread's syscalls count, given its tid, kernel name and creator (0: unknown). */
    interface ThreadFilter {
        boolean counts(int tid, String comm, int creatorTid);
    }

    String name();

    /** What this backend cannot see, printed with the results. */
    List<String> caveats();

    void openWindow();

    /** A view of the counts of the threads {@code filter} accepts that reads with no syscall; empty if this backend has none. */
    default Optional<LiveSyscalls> live(ThreadFilter filter) {
        return Optional.empty();
    }

    /**
     * Stops the window's counts now, from any thread, with no system call, for {@link #closeWindow} to tally later;
     * false where this backend cannot (its window then runs on to {@link #closeWindow}).
     */
    default boolean stopWindow() {
        return false;
    }

    /** Ends the window (where {@link #stopWindow} stopped it, if it did); syscalls of {@code excludedTid} go to {@code excluded[0]}, not the tally. */
    Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded);

    @Override
    void close();
}
