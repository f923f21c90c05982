package gpuos.natives.syscount;

import gpuos.natives.Linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the eBPF counter reads from kernel structs: a thread's creator at clone, an ioctl's device at the call. */
class SyscallCounterTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final int GETPPID = 110;
    private static final long SYS_IOCTL = 16, SYS_CLOSE = 3, SYS_OPENAT = 257, AT_FDCWD = -100, O_PATH = 010000000;
    /** /dev/null is character device 1:3 everywhere (devices.txt); the kernel's dev_t is major << 20 | minor. */
    private static final long DEV_NULL = (1L << 20) | 3;

    @BeforeAll
    static void needsCounterAndBtf() {
        assumeTrue(Linux.geteuid() == 0, "the eBPF counter needs root");
        assumeTrue(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "no kernel BTF");
    }

    @Test
    void kernelOffsetsComeFromBtf() {
        int[] k = KernelOffsets.get().orElseThrow(() -> new AssertionError(KernelOffsets.failure()));
        for (int offset : k) assertTrue(offset >= 0 && offset < 16384, "offset " + offset);
    }

    @Test
    void eachThreadsCreatorIsRecordedAtClone() throws Exception {
        int me = Linux.gettid();
        AtomicInteger child = new AtomicInteger(), grandchild = new AtomicInteger();
        try (SyscallCounter counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid())) {
            Thread t = Thread.ofPlatform().start(() -> {
                child.set(Linux.gettid());
                Thread g = Thread.ofPlatform().start(() -> grandchild.set(Linux.gettid()));
                try {
                    g.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.join();
            assertEquals(me, creatorOf(counter, child.get()), "the test thread started the child");
            assertEquals(child.get(), creatorOf(counter, grandchild.get()), "the child started the grandchild");
        }
    }

    @Test
    void threadsPastTheRowsShareARowWithTheirCreatorsOtherThreads() throws Exception {
        int me = Linux.gettid(), threads = SyscallCounter.ROWS + 50;
        try (SyscallCounter counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid())) {
            for (int i = 0; i < threads; i++) Thread.ofPlatform().start(SyscallCounterTest::getppid).join();
            long getppids = 0;
            for (int r = 0; r < counter.rowsInUse(); r++) if (counter.rowCreatorTid(r) == me) getppids += counter.count(r, GETPPID);
            assertEquals(threads, getppids, "every thread's getppid in a row whose creator is this thread");
        }
    }

    @Test
    void anIoctlIsCountedUnderTheDeviceItsFdNamesAtTheCall() throws Throwable {
        try (SyscallCounter counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid()); Arena arena = Arena.ofConfined()) {
            long fd = (long) SYSCALL.invokeExact(SYS_OPENAT, AT_FDCWD, arena.allocateFrom("/dev/null").address(), O_PATH);
            assertTrue(fd >= 0);
            for (int i = 0; i < 3; i++) {
                long ignored = (long) SYSCALL.invokeExact(SYS_IOCTL, fd, 0L, 0L); // EBADF on an O_PATH fd, but entered
            }
            long closed = (long) SYSCALL.invokeExact(SYS_CLOSE, fd, 0L, 0L);
            long afterClose = (long) SYSCALL.invokeExact(SYS_IOCTL, fd, 0L, 0L);
            int row = rowOf(counter, Linux.gettid());
            long[] hist = new long[SyscallCounter.IOCTL_DEVICES];
            counter.copyIoctlRow(row, hist);
            int slot = -1;
            for (int s = 0; s < hist.length; s++) if (counter.slotDevice(s) == DEV_NULL) slot = s;
            assertTrue(slot > 0, "a slot for /dev/null");
            assertEquals(3, hist[slot], "ioctls on /dev/null");
            assertEquals(1, hist[SyscallCounter.NO_DEVICE], "the ioctl on the closed fd names no device");
        }
    }

    private static void getppid() {
        try {
            long ignored = (long) SYSCALL.invokeExact((long) GETPPID, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int rowOf(SyscallCounter counter, int tid) {
        for (int r = 0; r < counter.rowsInUse(); r++) if (counter.rowTid(r) == tid) return r;
        throw new AssertionError("no row for tid " + tid);
    }

    private static int creatorOf(SyscallCounter counter, int tid) {
        return counter.rowCreatorTid(rowOf(counter, tid));
    }
}
