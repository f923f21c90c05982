package gpuos.profiler.backend;

import gpuos.profiler.Tally;
import gpuos.profiler.threads.ThreadClass;

import java.util.List;

/** A way of counting the system calls of this JVM's threads over a window. */
public interface CountingBackend extends AutoCloseable {
    /** Classifies a thread, given its tid and kernel name. */
    interface Classifier {
        ThreadClass classify(int tid, String comm);
    }

    String name();

    /** What this backend cannot see, printed with the results. */
    List<String> caveats();

    void openWindow();

    /** Ends the window; syscalls of {@code excludedTid} go to {@code excluded[0]}, not the tally. */
    Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded);

    @Override
    void close();
}
