package gpuos.natives.gpujob;

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
 * An OpenCL kernel built from source in a gpujob backend's cl_context ({@code gj_backend_context}), and recorders
 * that enqueue it: just what the jobs benchmarks need, through libOpenCL.so.1 (the ICD loader libgpujob dlopens).
 * Arguments are set once on the kernel object (OpenCL keeps them across enqueues), so a replay is one
 * clEnqueueNDRangeKernel. Released by {@link #close()}: close the jobs that replay it first.
 */
public final class OpenClKernel implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile Driver driver;

    private record Driver(MethodHandle createProgramWithSource, MethodHandle buildProgram, MethodHandle createKernel, MethodHandle setKernelArg,
                          MethodHandle enqueueNDRangeKernel, MethodHandle releaseKernel, MethodHandle releaseProgram) {}

    private final Arena arena = Arena.ofShared();
    private final MemorySegment program;
    private final MemorySegment kernel;

    private OpenClKernel(MemorySegment context, String source, String name) {
        Driver d = driver();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment err = call.allocate(JAVA_INT);
            MemorySegment sources = call.allocateFrom(ADDRESS, call.allocateFrom(source));
            program = (MemorySegment) d.createProgramWithSource().invokeExact(context, 1, sources, MemorySegment.NULL, err);
            check(err.get(JAVA_INT, 0), "clCreateProgramWithSource(" + name + ")");
            int built = (int) d.buildProgram().invokeExact(program, 0, MemorySegment.NULL, call.allocateFrom(""), MemorySegment.NULL, MemorySegment.NULL);
            if (built != 0) {
                int ignored = (int) d.releaseProgram().invokeExact(program);
                check(built, "clBuildProgram(" + name + ")");
            }
            kernel = (MemorySegment) d.createKernel().invokeExact(program, call.allocateFrom(name), err);
            if (err.get(JAVA_INT, 0) != 0) {
                int ignored = (int) d.releaseProgram().invokeExact(program);
                check(err.get(JAVA_INT, 0), "clCreateKernel(" + name + ")");
            }
        } catch (NativeException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Builds {@code source} for the backend's device and creates its kernel {@code name}. */
    public static OpenClKernel build(GpuJobBackend backend, String source, String name) {
        if (backend.kind != GpuJobBackend.Kind.OPENCL) throw new IllegalArgumentException("an OpenCL kernel needs an OpenCL backend, not " + backend.kind);
        return new OpenClKernel(backend.context(), source, name);
    }

    /** Sets argument {@code index} to a 64-bit value ({@code ulong}, or a cl_mem such as {@link GpuJob#arena()}). */
    public OpenClKernel setArg(int index, long value) {
        try {
            check((int) driver().setKernelArg().invokeExact(kernel, index, 8L, arena.allocateFrom(JAVA_LONG, value)), "clSetKernelArg(" + index + ")");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return this;
    }

    /** A recorder that enqueues this kernel over {@code globalSize} work-items (the runtime picks the work-group size). */
    public Recorder enqueue(long globalSize) {
        MemorySegment global = arena.allocateFrom(JAVA_LONG, globalSize);
        long kernelAddress = kernel.address();
        MethodHandle enqueue = driver().enqueueNDRangeKernel();
        return (job, queue) -> {
            try {
                return (int) enqueue.invokeExact(queue, kernelAddress, 1, MemorySegment.NULL, global, MemorySegment.NULL, 0, MemorySegment.NULL, MemorySegment.NULL);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        };
    }

    @Override
    public void close() {
        Driver d = driver();
        try {
            check((int) d.releaseKernel().invokeExact(kernel), "clReleaseKernel");
            check((int) d.releaseProgram().invokeExact(program), "clReleaseProgram");
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }

    // cl_int codes are negative CL_* constants: named by number (CL/cl.h), as the C tests print them.
    private static void check(int clStatus, String what) {
        if (clStatus != 0) throw new NativeException(what + ": cl_int " + clStatus, 0);
    }

    private static Driver driver() {
        if (driver == null) {
            synchronized (OpenClKernel.class) {
                if (driver == null) {
                    SymbolLookup cl = SymbolLookup.libraryLookup("libOpenCL.so.1", Arena.global());
                    driver = new Driver(
                            LINKER.downcallHandle(cl.findOrThrow("clCreateProgramWithSource"), FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cl.findOrThrow("clBuildProgram"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cl.findOrThrow("clCreateKernel"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cl.findOrThrow("clSetKernelArg"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS)),
                            // Queue and kernel as longs: this runs inside every OpenCL submission (see GpuJobLibrary.RECORD_FN).
                            LINKER.downcallHandle(cl.findOrThrow("clEnqueueNDRangeKernel"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT,
                                    ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS)),
                            LINKER.downcallHandle(cl.findOrThrow("clReleaseKernel"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                            LINKER.downcallHandle(cl.findOrThrow("clReleaseProgram"), FunctionDescriptor.of(JAVA_INT, ADDRESS)));
                }
            }
        }
        return driver;
    }
}
