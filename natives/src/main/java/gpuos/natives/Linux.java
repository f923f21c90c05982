package gpuos.natives;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** The few libc calls gpuos needs that the JDK does not offer. */
public final class Linux {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETTID = LINKER.downcallHandle(LINKER.defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(LINKER.defaultLookup().find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));

    private static final MethodHandle MKFIFO = LINKER.downcallHandle(LINKER.defaultLookup().find("mkfifo").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final java.lang.foreign.StructLayout CALL_STATE = Linker.Option.captureStateLayout();

    private Linux() {}

    /** mkfifo(3) with mode 0600. */
    public static void mkfifo(java.nio.file.Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) MKFIFO.invokeExact(state, arena.allocateFrom(path.toString()), 0600);
            int errno = state.get(JAVA_INT, CALL_STATE.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
            NativeException.check(rc < 0 ? -errno : 0, "mkfifo " + path, null);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The kernel thread id of the calling thread (one system call). */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
