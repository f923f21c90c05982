package gpuos.natives;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** clock_gettime on CPU clocks: the process clock, another thread's clock, and an ended thread's. */
class LinuxTest {
    @Test
    void aThreadClockReadsTheSameTimeAsTheJdkAndTheProcessClockHoldsIt() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "CPU clock ids are Linux's");
        try (Linux.Clock clock = new Linux.Clock()) {
            int tid = Linux.gettid();
            // Link both downcalls first: their first use loads and spins classes, which cost this thread over a
            // millisecond of CPU inside the bracket once on the loaded build machine (issue 14).
            clock.nanos(Linux.threadCpuClock(tid));
            clock.nanos(Linux.CLOCK_PROCESS_CPUTIME_ID);
            ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long jdkBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long before = clock.nanos(Linux.threadCpuClock(tid));
            long processBefore = clock.nanos(Linux.CLOCK_PROCESS_CPUTIME_ID);
            burn(50_000_000);
            long after = clock.nanos(Linux.threadCpuClock(tid));
            long processAfter = clock.nanos(Linux.CLOCK_PROCESS_CPUTIME_ID);
            long jdkAfter = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long mine = after - before, jdk = jdkAfter - jdkBefore;
            // The JDK's reading of the same kernel clock brackets ours; only the reads themselves lie between.
            assertTrue(mine <= jdk && mine >= jdk - 1_000_000 && mine > 1_000_000, mine + " ns against the JDK's " + jdk);
            assertTrue(processAfter - processBefore >= mine - 1_000_000, "the process clock holds the thread's time");
        }
    }

    @Test
    void anotherThreadsClockIsItsOwnAndAnEndedThreadIsRefusedWithEinval() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "CPU clock ids are Linux's");
        AtomicInteger tid = new AtomicInteger();
        AtomicLong ownReading = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(1), go = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            tid.set(Linux.gettid());
            burn(30_000_000);
            ownReading.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            ready.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        ready.await();
        try (Linux.Clock clock = new Linux.Clock()) {
            long other = clock.nanos(Linux.threadCpuClock(tid.get()));
            assertTrue(other >= ownReading.get() && other >= 1_000_000, "the other thread's clock " + other + " >= its own reading " + ownReading.get());
            Thread.sleep(20);
            assertTrue(clock.nanos(Linux.threadCpuClock(tid.get())) - other < 5_000_000, "a waiting thread's clock stands still");
            go.countDown();
            t.join();
            // join() returns before the native thread has quite exited; once the kernel has reaped it, its clock id names no thread.
            Path task = Path.of("/proc/self/task/" + tid.get());
            for (long end = System.nanoTime() + 5_000_000_000L; Files.exists(task) && System.nanoTime() < end; ) Thread.sleep(1);
            NativeException e = assertThrows(NativeException.class, () -> clock.nanos(Linux.threadCpuClock(tid.get())));
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
        }
    }

    private static long burn(long nanos) {
        long end = System.nanoTime() + nanos, n = 0;
        while (System.nanoTime() < end) n++;
        return n;
    }
}
