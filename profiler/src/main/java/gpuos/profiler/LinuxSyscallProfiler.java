package gpuos.profiler;

import java.util.Optional;

/** Skeleton: being implemented. */
public final class LinuxSyscallProfiler {
    /** Why syscall counting cannot run on this machine, or empty when it can. */
    public static Optional<String> unsupportedReason() { return Optional.of("not implemented yet"); }
}
