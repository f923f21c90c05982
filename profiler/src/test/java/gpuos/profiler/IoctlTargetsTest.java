package gpuos.profiler;

import gpuos.natives.Linux;
import gpuos.profiler.backend.BpfBackend;
import gpuos.profiler.backend.CountingBackend;
import gpuos.profiler.threads.ThreadClass;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bpf backend names an ioctl's target as of the call: a reused fd, an fd opened and closed inside one window. */
class IoctlTargetsTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final long SYS_IOCTL = 16, SYS_CLOSE = 3, SYS_OPENAT = 257, AT_FDCWD = -100, O_PATH = 010000000;
    private static final CountingBackend.Classifier ALL_WORKER = new CountingBackend.Classifier() {
        @Override public ThreadClass classify(int tid, String comm, int creatorTid) { return ThreadClass.WORKER; }

        @Override public ThreadClass classifyStartedBy(int tid, ThreadClass creatorClass) { return ThreadClass.WORKER; }
    };

    @Test
    void aReusedFdIsNamedByWhatItOpensNowEvenInsideOneWindow() throws Throwable {
        assumeTrue(LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty(), () -> LinuxSyscallProfiler.bpfUnsupportedReason().orElse(""));
        assumeTrue(Linux.geteuid() == 0 && Files.isExecutable(Path.of("/usr/bin/unshare")), "needs root and unshare(1) for a private mount namespace");
        // An NVIDIA device node (195:0) in a private mount namespace, reached through /proc/PID/root: the host is untouched.
        Process holder = new ProcessBuilder("unshare", "-m", "sh", "-c",
                "mount -t tmpfs gpuos-test /mnt && mknod /mnt/nvidia0 c 195 0 && echo ready && exec sleep 120").redirectErrorStream(true).start();
        try (BpfBackend backend = new BpfBackend(); Arena arena = Arena.ofConfined()) {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine();
            assumeTrue("ready".equals(line), "could not make the device node: " + line);
            String gpu = "/proc/" + holder.pid() + "/root/mnt/nvidia0";

            backend.openWindow();
            long fd = ioctls(arena, "/dev/null", 2);
            Map<String, Double> first = backend.closeWindow(ALL_WORKER, -1, new long[1]).labels(1, false);
            assertEquals(2.0, first.get("syscalls.ioctl.target.other.norm"), first.toString());

            backend.openWindow();
            assertEquals(fd, ioctls(arena, gpu, 3), "the fd number is reused");
            Map<String, Double> second = backend.closeWindow(ALL_WORKER, -1, new long[1]).labels(1, false);
            assertEquals(3.0, second.get("syscalls.ioctl.target.nvidia0.norm"), second.toString());
            assertEquals(3.0, second.get("syscalls.role.dispatch.norm"));
            assertNull(second.get("syscalls.ioctl.target.other.norm"));
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Opens {@code path} (O_PATH: no driver needed), makes {@code n} ioctls on it (each fails, each is entered), closes it. */
    private static long ioctls(Arena arena, String path, int n) throws Throwable {
        long fd = (long) SYSCALL.invokeExact(SYS_OPENAT, AT_FDCWD, arena.allocateFrom(path).address(), O_PATH);
        if (fd < 0) throw new AssertionError("open " + path);
        for (int i = 0; i < n; i++) {
            long ignored = (long) SYSCALL.invokeExact(SYS_IOCTL, fd, 0L, 0L);
        }
        long closed = (long) SYSCALL.invokeExact(SYS_CLOSE, fd, 0L, 0L);
        return fd;
    }
}
