package gpuos.suite.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gpuos.interventions.annotations.processing.InterventionProcessor;
import gpuos.profiler.SyscallDistribution;
import gpuos.profiler.Tally;
import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.Role;
import gpuos.profiler.syscalls.SyscallTable;
import gpuos.profiler.threads.ThreadClass;
import gpuos.reports.analysis.Phase2;
import gpuos.reports.results.Labels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The profiler's label names are a contract with two readers (docs/results-format.md): the reports parse them
 * ({@code Labels}), and an intervention's {@code @Predict(metric)} names them without {@code .norm}, checked at compile
 * time by the processor's {@code METRIC}. This module sees all three, so it holds them together.
 */
class LabelContractTest {
    /** A window with every role, every thread class, a named syscall and an ioctl target. */
    private static Map<String, Double> everyKindOfLabel() {
        Tally tally = new Tally();
        for (String name : List.of("futex", "mmap", "clone3", "read", "getppid")) {
            for (ThreadClass c : ThreadClass.values()) tally.add(SyscallTable.number(name), 2, c);
        }
        tally.add(SyscallTable.IOCTL, 3, ThreadClass.RUNTIME);
        tally.addIoctl(IoctlTarget.ofPath("/dev/nvidiactl"), 2);
        tally.addIoctl(IoctlTarget.ofPath("/dev/null"), 1);
        return tally.labels(10, true);
    }

    @Test
    void reportsKnowTheProfilersRolesAndThreadClasses() {
        assertEquals(Arrays.stream(Role.values()).map(Role::label).toList(), Labels.ROLES);
        assertEquals(Arrays.stream(ThreadClass.values()).map(ThreadClass::label).toList(), Labels.THREAD_CLASSES);
        assertTrue(Labels.THREAD_CLASSES.containsAll(Labels.WORKLOAD_THREAD_CLASSES));
        Map<String, Double> labels = everyKindOfLabel();
        assertTrue(labels.containsKey(Labels.SYSCALLS_TOTAL));
        for (String role : Labels.ROLES) assertTrue(labels.containsKey(Labels.role(role)), role);
        for (String c : Labels.THREAD_CLASSES) assertTrue(labels.containsKey(Labels.threadClass(c)), c);
    }

    @Test
    void reportsReadEveryLabelTheProfilerWrites() {
        for (String label : everyKindOfLabel().keySet()) {
            assertTrue(Labels.isSyscallCount(label), label + " is a syscall count per op to the reports");
            assertTrue(Labels.zeroWhenAbsent(label), label);
        }
        assertEquals("futex", Labels.syscallName("syscalls.futex.norm").orElseThrow());
        assertTrue(everyKindOfLabel().containsKey("syscalls.futex.norm"));
        assertTrue(everyKindOfLabel().containsKey("syscalls.ioctl.target.nvidiactl.norm"));
    }

    @Test
    void everyProfilerLabelIsAMetricAPredictionMayName() {
        for (String label : everyKindOfLabel().keySet()) {
            String metric = label.substring(0, label.length() - Labels.NORM_SUFFIX.length());
            assertTrue(InterventionProcessor.METRIC.matcher(metric).matches(), metric + " passes @Predict's check");
            assertEquals(label, Phase2.label(metric), "the reports read " + metric + " from " + label);
        }
        // The reports' derived and CPU metrics, and time, are metrics too; made-up ones are not.
        String workload = Labels.SYSCALLS_WORKLOAD.substring(0, Labels.SYSCALLS_WORKLOAD.length() - Labels.NORM_SUFFIX.length());
        for (String metric : List.of("time", "cpu.process", "cpu.worker", workload)) {
            assertTrue(InterventionProcessor.METRIC.matcher(metric).matches(), metric);
        }
        assertEquals(Labels.SCORE, Phase2.label("time"));
        for (String metric : List.of("syscalls.role.waiting", "syscalls.thread.gc", "cpu.total")) {
            assertFalse(InterventionProcessor.METRIC.matcher(metric).matches(), metric);
        }
    }

    @Test
    void waitCallLabelsAreTheOnesTheReportsRead() {
        assertEquals(SyscallDistribution.BUCKETS, Labels.SYNC_BUCKETS);
        assertTrue(Labels.SYNC_INVOCATIONS.startsWith(Labels.SYNC_PREFIX) && Labels.SYNC_BLOCKED.startsWith(Labels.SYNC_PREFIX)
                && Labels.SYNC_SYSCALLS.startsWith(Labels.SYNC_PREFIX));
        assertEquals("sync.hist.4-7", Labels.syncBucket("4-7"));
    }
}
