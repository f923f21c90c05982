package gpuos.profiler.backend;

import gpuos.natives.syscount.KernelOffsets;
import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.LiveSyscalls;
import gpuos.profiler.SyscallWindow;
import gpuos.profiler.Tally;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.threads.ThreadClass;

import java.util.List;
import java.util.Optional;

/** The eBPF counter: every thread, every syscall, ioctls by the device they target, threads by creator; reads cost no syscall. */
public final class BpfBackend implements CountingBackend {
    private final SyscallCounter counter;
    private final SyscallWindow window;
    /** Rows of a window {@link #stopWindow} stopped, or -1. */
    private volatile int stoppedRows = -1;

    public BpfBackend() {
        counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid());
        window = new SyscallWindow(counter);
    }

    @Override public String name() { return "bpf"; }

    @Override
    public List<String> caveats() {
        return KernelOffsets.get().isPresent() ? List.of() : List.of("bpf backend: no kernel BTF (" + KernelOffsets.failure()
                + "): ioctl targets unknown (counted as io, not dispatch), thread classes from the JVM's thread names only");
    }

    @Override
    public void openWindow() {
        counter.refreshNames();
        window.open();
    }

    @Override
    public Optional<LiveSyscalls> live(ThreadFilter filter) {
        // Shared rows may be decided before a thread takes them, and the overflow row mixes threads: they count, as the tally counts them.
        return Optional.of(LiveSyscalls.of(counter, r -> r >= SyscallCounter.FIRST_SHARED_ROW || filter.counts(counter.rowTid(r), counter.rowName(r), counter.rowCreatorTid(r))));
    }

    /** Copying the counter's rows is plain memory reads of the shared map: any thread may do it. */
    @Override
    public boolean stopWindow() {
        stoppedRows = window.close();
        return true;
    }

    @Override
    public Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded) {
        int rows = stoppedRows >= 0 ? stoppedRows : window.close();
        stoppedRows = -1;
        // Every row, in order: a creator's row comes before its threads' rows (its clone was a syscall), so a
        // thread's creator is classified first even when it was idle in this window.
        ThreadClass[] classes = new ThreadClass[rows];
        for (int r = 0; r < rows; r++) if (counter.rowTid(r) != 0) classes[r] = classifier.classify(counter.rowTid(r), counter.rowName(r), counter.rowCreatorTid(r));
        return window.tally(rows, r -> classes[r], this::target, excludedTid, excluded);
    }

    private IoctlTarget target(int slot) {
        return IoctlTarget.ofCounterSlot(counter, slot);
    }

    @Override
    public void close() { counter.close(); }
}
