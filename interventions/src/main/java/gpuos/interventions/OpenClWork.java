package gpuos.interventions;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clSetKernelArg;

import gpuos.benchmarks.opencl.OpenClSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * What an OpenCL intervention works on: one context and in-order queue on the selected platform, and one work
 * item = one enqueue of {@code accumulate}: {@code c += a + b} over {@code bytes / 4} work-items
 * ({@code accumulate.cl}); {@code accumulate_fused} does {@code items} of them in one enqueue, bit-identically.
 * Everything made here or through {@link #cl} is released at teardown.
 */
public final class OpenClWork implements AutoCloseable {
    public final int bytes;
    public final int reps;
    /** Work-items of one enqueue: {@code bytes / 4}. */
    public final long items;
    public final Knobs knobs;
    public final OpenClSession cl;
    public final cl_mem a, b, c;
    private final cl_kernel accumulate;
    private final cl_kernel accumulateFrom;
    private final cl_kernel accumulateFused;
    private final long[] global;
    private ByteBuffer pageable;

    /** Made by the runner, once per fork, on the platform a {@code platform} param names. */
    public OpenClWork(int bytes, int reps, String platform, Knobs knobs) {
        this.bytes = bytes;
        this.reps = reps;
        this.knobs = knobs;
        this.items = bytes / Sizeof.cl_float;
        this.global = new long[] {items};
        this.cl = OpenClSession.open(platform);
        try {
            cl_program program = cl.program("accumulate.cl");
            a = cl.filledBuffer(CL_MEM_READ_WRITE, (int) items, 1.0f);
            b = cl.filledBuffer(CL_MEM_READ_WRITE, (int) items, 2.0f);
            c = cl.filledBuffer(CL_MEM_READ_WRITE, (int) items, 0.0f);
            accumulate = cl.kernel(program, "accumulate");
            args(accumulate, a);
            accumulateFrom = cl.kernel(program, "accumulate");
            args(accumulateFrom, a);
            accumulateFused = cl.kernel(program, "accumulate_fused");
            args(accumulateFused, a);
            clSetKernelArg(accumulateFused, 3, Sizeof.cl_int, Pointer.to(new int[] {reps}));
        } catch (RuntimeException e) {
            cl.close();
            throw e;
        }
    }

    /** Enqueues one work item. */
    public void enqueueItem() {
        enqueue(accumulate, null);
    }

    /** Enqueues one work item and returns the event of its completion (the caller releases it). */
    public cl_event enqueueItemWithEvent() {
        cl_event done = new cl_event();
        enqueue(accumulate, done);
        return done;
    }

    /** Enqueues one work item that reads {@code input} (at least {@code bytes}) instead of {@link #a}. */
    public void enqueueItemFrom(cl_mem input) {
        clSetKernelArg(accumulateFrom, 0, Sizeof.cl_mem, Pointer.to(input));
        enqueue(accumulateFrom, null);
    }

    /** Enqueues {@code reps} work items as one enqueue of the fused kernel. */
    public void enqueueFused() {
        enqueue(accumulateFused, null);
    }

    /** Waits until the queue is empty. */
    public void finish() {
        clFinish(cl.queue);
    }

    /** {@code bytes} of ordinary (pageable) host memory with defined contents, made on first use. */
    public ByteBuffer pageableHost() {
        if (pageable == null) {
            pageable = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            for (int i = 0; i < items; i++) pageable.putFloat(i * Sizeof.cl_float, 1.0f);
        }
        return pageable;
    }

    /** A copy of the accumulator (tests). */
    public float[] result() {
        float[] out = new float[(int) items];
        clEnqueueReadBuffer(cl.queue, c, true, 0, bytes, Pointer.to(out), 0, null, null);
        return out;
    }

    @Override
    public void close() {
        cl.close();
    }

    private void enqueue(cl_kernel kernel, cl_event done) {
        clEnqueueNDRangeKernel(cl.queue, kernel, 1, null, global, null, 0, null, done);
    }

    private void args(cl_kernel kernel, cl_mem input) {
        clSetKernelArg(kernel, 0, Sizeof.cl_mem, Pointer.to(input));
        clSetKernelArg(kernel, 1, Sizeof.cl_mem, Pointer.to(b));
        clSetKernelArg(kernel, 2, Sizeof.cl_mem, Pointer.to(c));
    }
}
