package gpuos.natives.cuda;

import gpuos.natives.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The release threshold of a device's default memory pool, the pool {@code cuMemAllocAsync} draws from: how many
 * bytes the pool keeps reserved across synchronizations instead of giving them back to the driver (and the OS).
 * JCuda 12.6 has no {@code cuMemPoolSetAttribute} or {@code cuDeviceGetDefaultMemPool}, so these two calls go
 * straight to the driver's {@code libcuda.so.1}, the same library JCuda loaded, with the same current context.
 */
public final class CudaMemPools {
    /** {@code CU_MEMPOOL_ATTR_RELEASE_THRESHOLD} (cuuint64_t). */
    static final int ATTR_RELEASE_THRESHOLD = 4;
    /** Keep everything: the threshold is a cuuint64_t, so -1 is its maximum. */
    public static final long KEEP_ALL = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile Driver driver;

    private record Driver(MethodHandle getDefaultMemPool, MethodHandle setAttribute, MethodHandle getAttribute, MethodHandle errorName) {}

    private CudaMemPools() {}

    /** Sets the release threshold of {@code device}'s default pool, in bytes ({@link #KEEP_ALL}: never release). */
    public static void setReleaseThreshold(int device, long bytes) {
        Driver d = driver();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pool = pool(d, arena, device);
            MemorySegment value = arena.allocateFrom(JAVA_LONG, bytes);
            check(d, (int) d.setAttribute().invokeExact(pool, ATTR_RELEASE_THRESHOLD, value), "cuMemPoolSetAttribute(RELEASE_THRESHOLD)");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The release threshold of {@code device}'s default pool, in bytes. */
    public static long releaseThreshold(int device) {
        Driver d = driver();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pool = pool(d, arena, device);
            MemorySegment value = arena.allocate(JAVA_LONG);
            check(d, (int) d.getAttribute().invokeExact(pool, ATTR_RELEASE_THRESHOLD, value), "cuMemPoolGetAttribute(RELEASE_THRESHOLD)");
            return value.get(JAVA_LONG, 0);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MemorySegment pool(Driver d, Arena arena, int device) throws Throwable {
        MemorySegment out = arena.allocate(ADDRESS);
        check(d, (int) d.getDefaultMemPool().invokeExact(out, device), "cuDeviceGetDefaultMemPool(" + device + ")");
        return out.get(ADDRESS, 0);
    }

    // CUresult is not an errno: name it the way JCuda's exceptions do.
    private static void check(Driver d, int result, String what) throws Throwable {
        if (result == 0) return;
        String name = "CUresult " + result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            if ((int) d.errorName().invokeExact(result, out) == 0) name = out.get(ADDRESS, 0).reinterpret(256).getString(0);
        }
        throw new NativeException(what + ": " + name, 0);
    }

    private static Driver driver() {
        if (driver == null) {
            synchronized (CudaMemPools.class) {
                if (driver == null) {
                    SymbolLookup cuda = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
                    driver = new Driver(
                            LINKER.downcallHandle(cuda.findOrThrow("cuDeviceGetDefaultMemPool"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuMemPoolSetAttribute"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuMemPoolGetAttribute"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuGetErrorName"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)));
                }
            }
        }
        return driver;
    }
}
