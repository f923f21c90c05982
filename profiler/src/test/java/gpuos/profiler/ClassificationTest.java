package gpuos.profiler;

import gpuos.profiler.syscalls.IoctlTarget;
import gpuos.profiler.syscalls.Role;
import gpuos.profiler.syscalls.SyscallTable;
import gpuos.profiler.threads.JvmThreads;
import gpuos.profiler.threads.ThreadClass;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationTest {
    @Test
    void syscallNumbersFollowTheX8664Table() {
        assertEquals("read", SyscallTable.name(0));
        assertEquals(16, SyscallTable.IOCTL);
        assertEquals(202, SyscallTable.number("futex"));
        assertEquals(435, SyscallTable.number("clone3"));
        assertEquals("syscall_510", SyscallTable.name(510));
    }

    @Test
    void rolesGroupSyscallsByPurpose() {
        assertEquals(Role.SYNC, Role.of("futex"));
        assertEquals(Role.SYNC, Role.of("sched_yield"));
        assertEquals(Role.MEMORY, Role.of("mmap"));
        assertEquals(Role.THREADS, Role.of("clone3"));
        assertEquals(Role.IO, Role.of("openat"));
        assertEquals(Role.OTHER, Role.of("getppid"));
        assertEquals(Role.DISPATCH, Role.ofIoctl(true));
        assertEquals(Role.IO, Role.ofIoctl(false));
    }

    @Test
    void gpuDeviceFilesMakeIoctlsDispatch() {
        assertEquals(new IoctlTarget("nvidiactl", true), IoctlTarget.ofPath("/dev/nvidiactl"));
        assertEquals(new IoctlTarget("nvidia-uvm", true), IoctlTarget.ofPath("/dev/nvidia-uvm"));
        assertEquals(new IoctlTarget("dri-renderD128", true), IoctlTarget.ofPath("/dev/dri/renderD128"));
        assertFalse(IoctlTarget.ofPath("/dev/pts/0").gpuDevice());
        assertFalse(IoctlTarget.ofPath("socket:[1234]").gpuDevice());
    }

    @Test
    void devicesAreNamedByTheirNodeOrTheirDriversFixedMajor() {
        // Kernel dev_t: major << 20 | minor. NVIDIA's 195 and DRM's 226 are fixed majors (devices.txt).
        assertEquals(new IoctlTarget("nvidiactl", true), IoctlTarget.ofDevice((195L << 20) | 255));
        assertEquals(new IoctlTarget("nvidia0", true), IoctlTarget.ofDevice(195L << 20));
        assertEquals(new IoctlTarget("dri-renderD128", true), IoctlTarget.ofDevice((226L << 20) | 128));
        assertEquals(IoctlTarget.OTHER, IoctlTarget.ofDevice((1L << 20) | 3), "/dev/null");
    }

    @Test
    void aThreadsClassIsTheOneItsCreatorPassesOn() {
        assertEquals(ThreadClass.RUNTIME, ThreadClass.startedBy(ThreadClass.WORKER));
        assertEquals(ThreadClass.RUNTIME, ThreadClass.startedBy(ThreadClass.RUNTIME));
        assertEquals(ThreadClass.JVM, ThreadClass.startedBy(ThreadClass.JVM));
    }

    @Test
    void threadDumpGivesNativeIdsOfJavaAndVmThreads() {
        String dump = """
                "main" #1 [4029] prio=5 os_prio=0 cpu=62.50ms elapsed=0.09s tid=0x00007f00 nid=4029 runnable  [0x00007f01]
                "gpuos.Bench.run-jmh-worker-1" #21 [4100] daemon prio=5 os_prio=0 cpu=1.00ms elapsed=0.01s tid=0x00007f02 nid=4100 waiting on condition
                "VM Thread" os_prio=0 cpu=1.20ms elapsed=0.09s tid=0x00007f03 nid=0xfc0 runnable
                """;
        Map<Integer, String> names = JvmThreads.parse(dump);
        assertEquals("main", names.get(4029));
        assertEquals("VM Thread", names.get(0xfc0));
        assertEquals(ThreadClass.WORKER, ThreadClass.of(names.get(4100), "gpuos.Bench.run"));
        assertEquals(ThreadClass.JVM, ThreadClass.of(names.get(4029), "java"));
    }

    @Test
    void withoutAThreadDumpAWorkerIsRecognisedByItsKernelName() {
        String worker = "gpuos.benchmarks.cuda.CudaExecution.launchSync-jmh-worker-";
        assertEquals(ThreadClass.WORKER, ThreadClass.of(null, "gpuos.benchmark", worker));
        assertEquals(ThreadClass.RUNTIME, ThreadClass.of(null, "cuda-EvtHandlr", worker));
        assertEquals(ThreadClass.JVM, ThreadClass.of(null, "C2 CompilerThre", worker));
        assertEquals(ThreadClass.RUNTIME, ThreadClass.of(null, "gpuos", worker), "a short name is a full name, not a truncated one");
    }

    @Test
    void threadsTheJvmDoesNotKnowAreRuntimeHelpersUnlessNamedLikeHotSpotThreads() {
        assertEquals(ThreadClass.RUNTIME, ThreadClass.of(null, "cuda-EvtHandlr"));
        assertEquals(ThreadClass.RUNTIME, ThreadClass.of(null, "pocl-worker"));
        assertEquals(ThreadClass.JVM, ThreadClass.of(null, "C2 CompilerThre"));
    }

    @Test
    void iterationsHoldingJmhTrialSetupOrTeardownAreLeftOut() {
        // 5 measurement iterations after warmup: the last holds @TearDown(Level.Trial)
        assertTrue(LinuxSyscallProfiler.counted(1, 5, 2, false));
        assertTrue(LinuxSyscallProfiler.counted(4, 5, 2, false));
        assertFalse(LinuxSyscallProfiler.counted(5, 5, 2, false));
        // unless the benchmark closed the windows before its trial teardown (LinuxSyscallProfiler.closeLastWindow)
        assertTrue(LinuxSyscallProfiler.counted(5, 5, 2, true));
        // no warmup: the first holds @Setup(Level.Trial) too
        assertFalse(LinuxSyscallProfiler.counted(1, 5, 0, false));
        assertTrue(LinuxSyscallProfiler.counted(2, 5, 0, false));
        // a single measurement iteration is kept: something is better than nothing, and it is said in the README
        assertTrue(LinuxSyscallProfiler.counted(1, 1, 0, false));
    }

    @Test
    void labelsArePerOperationAndRolesAddUpToTheTotal() {
        Tally t = new Tally();
        t.add(SyscallTable.number("futex"), 6, ThreadClass.WORKER);
        t.add(SyscallTable.IOCTL, 4, ThreadClass.RUNTIME);
        t.addIoctl(new IoctlTarget("nvidiactl", true), 4);
        Map<String, Double> l = t.labels(2, true);
        assertEquals(5.0, l.get("syscalls.total.norm"));
        assertEquals(3.0, l.get("syscalls.futex.norm"));
        assertEquals(2.0, l.get("syscalls.role.dispatch.norm"));
        assertEquals(3.0, l.get("syscalls.role.sync.norm"));
        assertEquals(2.0, l.get("syscalls.ioctl.target.nvidiactl.norm"));
        assertEquals(3.0, l.get("syscalls.thread.worker.norm"));
        assertEquals(0.0, l.get("syscalls.thread.jvm.norm"));
        assertTrue(l.keySet().containsAll(java.util.List.of("syscalls.role.other.norm", "syscalls.role.memory.norm")));
    }
}
