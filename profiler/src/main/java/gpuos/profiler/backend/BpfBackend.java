package gpuos.profiler.backend;

import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.LiveSyscalls;
import gpuos.profiler.SyscallWindow;
import gpuos.profiler.Tally;
import gpuos.profiler.syscalls.IoctlTarget;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The eBPF counter: every thread, every syscall, ioctls by target file; reads cost no syscall. */
public final class BpfBackend implements CountingBackend {
    private final SyscallCounter counter;
    private final SyscallWindow window;
    private final Map<Integer, IoctlTarget> fdTargets = new HashMap<>();
    private final long pid = ProcessHandle.current().pid();

    public BpfBackend() {
        counter = SyscallCounter.forProcess((int) pid);
        window = new SyscallWindow(counter);
    }

    @Override public String name() { return "bpf"; }

    @Override public List<String> caveats() { return List.of(); }

    @Override
    public void openWindow() {
        counter.refreshNames();
        window.open();
    }

    @Override
    public Optional<LiveSyscalls> live(ThreadFilter filter) {
        // The overflow row mixes threads: it counts, as the tally counts it.
        return Optional.of(LiveSyscalls.of(counter, r -> r == SyscallCounter.OVERFLOW_ROW || filter.counts(counter.rowTid(r), counter.rowName(r))));
    }

    @Override
    public Tally closeWindow(Classifier classifier, int excludedTid, long[] excluded) {
        int rows = window.close();
        return window.tally(rows, r -> classifier.classify(counter.rowTid(r), counter.rowName(r)), this::target, excludedTid, excluded);
    }

    private IoctlTarget target(int fd) {
        // fds are named once; a closed-and-reused fd keeps its first name (GPU runtimes keep their device fds open).
        return fdTargets.computeIfAbsent(fd, f -> f == SyscallCounter.IOCTL_FDS - 1 ? IoctlTarget.OTHER : IoctlTarget.ofFd(pid, f));
    }

    @Override
    public void close() { counter.close(); }
}
