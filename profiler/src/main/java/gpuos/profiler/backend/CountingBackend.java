package gpuos.profiler.backend;

import gpuos.profiler.LiveSyscalls;
import gpuos.profiler.Tally;
import gpuos.profiler.threads.ThreadClass;

import java.util.List;
import java.util.Optional;

/** A way of counting the system calls of this JVM's threads over a window. */
public interface CountingBackend extends AutoCloseable {
    /** Classifies a thread, given its tid and kernel name. */
    interface Classifier {
        ThreadClass classify(int tid, String comm);
    }

    /** Whether a thread's syscalls count, given its tid and kernel name. */
    interface ThreadFilter {
        boolean counts(int tid, String comm);
    }

    String name();

    /** What this backend cannot see, printed with the results. */
    List<String> caveats();

    void openWindow();

    /** A view of the counts of the threads {@code filter} accepts that reads with no syscall; empty if this backend has none. */
    default Optional<LiveSyscalls> live(ThreadFilter filter) {
        return Optional.empty();
    }

    /** Ends the window; syscalls of {@code excludedTid} go to {@code excluded[0]}, not the tally. */
    Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded);

    @Override
    void close();
}
