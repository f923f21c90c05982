package gpuos.benchmarks.overhead;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** getppid(2): the cheapest real system call, so the profiler's own cost per call stands out. */
final class Getppid {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETPPID = LINKER.downcallHandle(LINKER.defaultLookup().find("getppid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private Getppid() {}

    static int call() {
        try {
            return (int) GETPPID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
