package gpuos.natives.gpujob;

import gpuos.natives.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A CUDA kernel loaded from PTX into a gpujob backend's context ({@code gj_backend_context}), and recorders that
 * launch it: just what the jobs benchmarks need, through the driver's libcuda.so.1 (the one libgpujob dlopens).
 * The module is unloaded by {@link #close()}: close the jobs whose graphs launch it first.
 */
public final class CudaKernel implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile Driver driver;

    private record Driver(MethodHandle pushCurrent, MethodHandle popCurrent, MethodHandle moduleLoadData, MethodHandle moduleGetFunction,
                          MethodHandle moduleUnload, MethodHandle launchKernel, MethodHandle errorName) {}

    private final Arena arena = Arena.ofShared();
    private final MemorySegment context;
    private final MemorySegment module;
    private final MemorySegment function;

    private CudaKernel(MemorySegment context, byte[] ptxImage, String entry) {
        this.context = context;
        Driver d = driver();
        MemorySegment loaded = MemorySegment.NULL;
        push(d);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(ADDRESS);
            check(d, (int) d.moduleLoadData().invokeExact(out, call.allocateFrom(JAVA_BYTE, ptxImage)), "cuModuleLoadData(" + entry + ")");
            loaded = out.get(ADDRESS, 0);
            check(d, (int) d.moduleGetFunction().invokeExact(out, loaded, call.allocateFrom(entry)), "cuModuleGetFunction(" + entry + ")");
            function = out.get(ADDRESS, 0);
        } catch (NativeException e) {
            if (!loaded.equals(MemorySegment.NULL)) unload(d, loaded);
            arena.close();
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            pop(d);
        }
        module = loaded;
    }

    /** Loads {@code ptxImage} (NUL-terminated PTX, e.g. {@code Ptx.image(name)}) and finds {@code entry} in it. */
    public static CudaKernel load(GpuJobBackend backend, byte[] ptxImage, String entry) {
        if (backend.kind != GpuJobBackend.Kind.CUDA) throw new IllegalArgumentException("a CUDA kernel needs a CUDA backend, not " + backend.kind);
        return new CudaKernel(backend.context(), ptxImage, entry);
    }

    /**
     * A recorder that launches this kernel once on the job's stream, {@code blocks} x {@code threadsPerBlock}, with
     * {@code u64Args} as its 64-bit parameters. The graph keeps copies of the parameters (cuLaunchKernel copies
     * them at capture), so the buffers here are needed only while recording.
     */
    public Recorder launch(int blocks, int threadsPerBlock, long... u64Args) {
        MemorySegment params = MemorySegment.NULL;
        if (u64Args.length > 0) {
            params = arena.allocate(ADDRESS, u64Args.length);
            for (int i = 0; i < u64Args.length; i++) params.setAtIndex(ADDRESS, i, arena.allocateFrom(JAVA_LONG, u64Args[i]));
        }
        MemorySegment kernelParams = params;
        Driver d = driver();
        return (job, stream) -> {
            try {
                return (int) d.launchKernel().invokeExact(function, blocks, 1, 1, threadsPerBlock, 1, 1, 0, stream, kernelParams, MemorySegment.NULL);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        };
    }

    /** Unloads the module (in the backend's context). */
    @Override
    public void close() {
        Driver d = driver();
        push(d);
        try {
            unload(d, module);
        } finally {
            pop(d);
            arena.close();
        }
    }

    private void unload(Driver d, MemorySegment m) {
        try {
            check(d, (int) d.moduleUnload().invokeExact(m), "cuModuleUnload");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // Module calls act on the current context: push the backend's for their duration, whatever thread this is.
    private void push(Driver d) {
        try {
            check(d, (int) d.pushCurrent().invokeExact(context), "cuCtxPushCurrent");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void pop(Driver d) {
        try (Arena call = Arena.ofConfined()) {
            check(d, (int) d.popCurrent().invokeExact(call.allocate(ADDRESS)), "cuCtxPopCurrent");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // CUresult is not a gj_status: name it as CudaMemPools does.
    private static void check(Driver d, int result, String what) throws Throwable {
        if (result == 0) return;
        String name = "CUresult " + result;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(ADDRESS);
            if ((int) d.errorName().invokeExact(result, out) == 0) name = out.get(ADDRESS, 0).reinterpret(256).getString(0);
        }
        throw new NativeException(what + ": " + name, 0);
    }

    private static Driver driver() {
        if (driver == null) {
            synchronized (CudaKernel.class) {
                if (driver == null) {
                    SymbolLookup cuda = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
                    driver = new Driver(
                            LINKER.downcallHandle(cuda.findOrThrow("cuCtxPushCurrent_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuCtxPopCurrent_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuModuleLoadData"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuModuleGetFunction"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuModuleUnload"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                            // The stream comes from the recorder as a long (see GpuJobLibrary.RECORD_FN).
                            LINKER.downcallHandle(cuda.findOrThrow("cuLaunchKernel"), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                                    JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cuda.findOrThrow("cuGetErrorName"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)));
                }
            }
        }
        return driver;
    }
}
