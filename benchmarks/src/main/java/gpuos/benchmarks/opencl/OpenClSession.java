package gpuos.benchmarks.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueueWithProperties;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseMemObject;
import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * Everything OpenCL benchmarks share: the selected platform, its first device, one context and one in-order
 * queue, kernels built from {@code .cl} resources. Objects made through it are released, newest first, by
 * {@link #close()}, so a benchmark's trial teardown is one line.
 */
public final class OpenClSession implements AutoCloseable {
    public final OpenClPlatforms.Platform platform;
    public final cl_device_id device;
    public final cl_context context;
    public final cl_command_queue queue;
    private final Deque<Runnable> releases = new ArrayDeque<>();

    private OpenClSession(OpenClPlatforms.Platform platform) {
        this.platform = platform;
        if (platform.devices().isEmpty()) throw new IllegalStateException("OpenCL platform " + platform.describe() + " has no device");
        this.device = platform.devices().getFirst();
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform.id());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        releases.push(() -> clReleaseContext(context));
        this.queue = clCreateCommandQueueWithProperties(context, device, new cl_queue_properties(), null);
        releases.push(() -> clReleaseCommandQueue(queue));
    }

    /** Opens a session on the platform a {@code platform} param names ({@code auto}, {@code pocl}, {@code nvidia}, ...). */
    public static OpenClSession open(String platformKey) {
        return new OpenClSession(OpenClPlatforms.select(platformKey));
    }

    /** A buffer released with the session. */
    public cl_mem buffer(long flags, long bytes) {
        cl_mem mem = clCreateBuffer(context, flags, bytes, null, null);
        releases.push(() -> clReleaseMemObject(mem));
        return mem;
    }

    /**
     * A buffer of {@code floats} floats, every one {@code value} (a blocking write), released with the session:
     * defined inputs, not whatever the allocator left (denormals or NaNs would slow a CPU device's adds).
     */
    public cl_mem filledBuffer(long flags, int floats, float value) {
        cl_mem mem = buffer(flags, (long) floats * Float.BYTES);
        float[] host = new float[floats];
        java.util.Arrays.fill(host, value);
        clEnqueueWriteBuffer(queue, mem, true, 0, (long) floats * Float.BYTES, Pointer.to(host), 0, null, null);
        return mem;
    }

    /** Builds the {@code .cl} resource next to this class; a failed build throws with the compiler's log. */
    public cl_program program(String resource) {
        String source = source(resource);
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        releases.push(() -> clReleaseProgram(program));
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, null, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("building " + resource + " on " + platform.describe() + " failed (" + e.getMessage()
                    + "):\n" + buildLog(program), e);
        }
        return program;
    }

    /** A kernel released with the session. */
    public cl_kernel kernel(cl_program program, String name) {
        cl_kernel kernel = clCreateKernel(program, name, null);
        releases.push(() -> clReleaseKernel(kernel));
        return kernel;
    }

    /** Runs {@code release} when the session closes, before whatever was made earlier is released. */
    public void onClose(Runnable release) {
        releases.push(release);
    }

    @Override
    public void close() {
        while (!releases.isEmpty()) releases.pop().run();
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            return OpenClPlatforms.cString(log);
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** The text of a {@code .cl} resource next to this class ({@code empty_kernel.cl}, ...). */
    public static String source(String resource) {
        try (InputStream in = OpenClSession.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no kernel resource " + resource + " next to " + OpenClSession.class.getName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
