package gpuos.profiler;

import gpuos.natives.Linux;
import gpuos.natives.syscount.SyscallCounter;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.SyscallTable;
import gpuos.profiler.threads.ThreadClass;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CPU clocks' window rules, and the claim that their reads are syscalls of the reading (harness) thread only. */
class CpuWindowTest {
    private static final int CLOCK_GETTIME = SyscallTable.number("clock_gettime");
    private final CountDownLatch release = new CountDownLatch(1);
    volatile long spins;

    @AfterEach
    void releaseThreads() { release.countDown(); }

    @Test
    void eachClockReadIsOneSyscallOfTheReaderAndNoneOfTheThreadRead() throws Exception {
        assumeTrue(LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty(), () -> "eBPF counter unavailable: " + LinuxSyscallProfiler.bpfUnsupportedReason().orElse(""));
        int me = Linux.gettid();
        try (SyscallCounter counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid()); Linux.Clock clock = new Linux.Clock()) {
            int other = waitingThread(0); // started after the attach, so it has a row
            int clockOfOther = Linux.threadCpuClock(other);
            for (int i = 0; i < 100; i++) clock.nanos(clockOfOther); // linking and compiling before the counted reads
            SyscallWindow window = new SyscallWindow(counter);
            window.open();
            for (int i = 0; i < 1000; i++) {
                clock.nanos(Linux.CLOCK_PROCESS_CPUTIME_ID);
                clock.nanos(clockOfOther);
            }
            int rows = window.close();
            assertEquals(2000, window.delta(row(counter, rows, me), CLOCK_GETTIME), "one clock_gettime per read, on the reading thread");
            int otherRow = row(counter, rows, other);
            assertFalse(window.changed(otherRow), "the thread whose clock is read makes no syscall: " + window.delta(otherRow, SyscallCounter.TOTAL_COLUMN));
        }
    }

    @Test
    void theProfilersHarnessExclusionTakesTheWindowsClockReadsOutOfTheCounts() throws Exception {
        assumeTrue(LinuxSyscallProfiler.bpfUnsupportedReason().isEmpty(), () -> "eBPF counter unavailable: " + LinuxSyscallProfiler.bpfUnsupportedReason().orElse(""));
        int me = Linux.gettid();
        try (SyscallCounter counter = SyscallCounter.forProcess((int) ProcessHandle.current().pid()); CpuWindow cpu = new CpuWindow(me)) {
            waitingThread(0);
            cpu.openWindow(tid -> false);
            cpu.closeWindow(); // class loading and linking outside the counted window
            SyscallWindow window = new SyscallWindow(counter);
            window.open();
            cpu.openWindow(tid -> false);
            cpu.closeWindow();
            int rows = window.close();
            long reads = 2 + 2L * cpu.threadNanos().size();
            assertTrue(window.delta(row(counter, rows, me), CLOCK_GETTIME) >= reads, "the harness made the reads");
            long[] harness = {0};
            Tally counted = window.tally(rows, r -> ThreadClass.JVM, fd -> IoctlTarget.OTHER, me, harness);
            assertTrue(harness[0] >= reads, "set apart as the harness's: " + harness[0]);
            // JVM threads make a few clock_gettime of their own now and then (G1's service thread); the reads were ~40.
            assertTrue(counted.count("clock_gettime") < reads / 4, counted.count("clock_gettime") + " clock_gettime counted, of " + reads + " reads");
        }
    }

    @Test
    void aThreadBornInTheWindowCountsWholeOneThatEndedIsMissingAndOneKnownIsNotRead() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "CPU clocks of Linux");
        int me = Linux.gettid();
        int skipped = waitingThread(0);
        AtomicInteger ending = new AtomicInteger();
        CountDownLatch endNow = new CountDownLatch(1);
        Thread ends = new Thread(() -> {
            ending.set(Linux.gettid());
            await(endNow);
        });
        ends.start();
        while (ending.get() == 0) Thread.onSpinWait();
        try (CpuWindow cpu = new CpuWindow(me)) {
            cpu.openWindow(tid -> tid == skipped);
            AtomicLong bornCpu = new AtomicLong();
            int born = waitingThread(30_000_000, bornCpu);
            endNow.countDown();
            ends.join();
            Path task = Path.of("/proc/self/task/" + ending.get());
            for (long end = System.nanoTime() + 5_000_000_000L; Files.exists(task) && System.nanoTime() < end; ) Thread.sleep(1);
            cpu.closeWindow();
            long bornNanos = cpu.threadNanos().getOrDefault(born, -1L);
            // Whole: at least what the thread itself read before it waited, not just what it did after some first sight.
            assertTrue(bornNanos >= bornCpu.get() && bornCpu.get() > 1_000_000, "a thread born in the window brings its whole clock: " + bornNanos + " >= " + bornCpu.get());
            assertFalse(cpu.threadNanos().containsKey(ending.get()), "a thread that ended in the window cannot be read");
            assertFalse(cpu.threadNanos().containsKey(skipped), "a thread known not to be a worker is not read");
            assertFalse(cpu.threadNanos().containsKey(me), "the harness is not read");
            long threads = cpu.threadNanos().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(cpu.processNanos() >= threads, "the process window holds the threads': " + cpu.processNanos() + " >= " + threads);
        }
    }

    /** Starts a thread that spins {@code spinNanos}, then waits until the test ends; returns its tid once it waits. */
    private int waitingThread(long spinNanos) throws InterruptedException {
        return waitingThread(spinNanos, new AtomicLong());
    }

    /** As {@link #waitingThread(long)}; {@code cpuAtWait} gets the thread's CPU time as the JDK reads it before the wait. */
    private int waitingThread(long spinNanos, AtomicLong cpuAtWait) throws InterruptedException {
        AtomicInteger tid = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            tid.set(Linux.gettid());
            // No Thread.onSpinWait(): in a VM, PAUSE loops can make the host deschedule the vCPU.
            for (long end = System.nanoTime() + spinNanos; System.nanoTime() < end; ) spins++;
            cpuAtWait.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            ready.countDown();
            await(release);
        });
        t.setDaemon(true);
        t.start();
        ready.await();
        while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        Thread.sleep(10); // into the futex wait, past the state change
        return tid.get();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int row(SyscallCounter counter, int rows, int tid) {
        for (int r = 0; r < rows; r++) if (r != SyscallCounter.OVERFLOW_ROW && counter.rowTid(r) == tid) return r;
        throw new AssertionError("no counter row for thread " + tid);
    }
}
