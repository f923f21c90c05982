package gpuos.interventions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a CPU intervention works on: one work item copies {@code bytes} from {@link #source} into a target
 * (libc-style bulk copy of native memory, as the Phase-1 CPU baseline). Both buffers live as long as the fork.
 */
public final class CpuWork implements AutoCloseable {
    public final int bytes;
    public final int reps;
    public final Knobs knobs;
    /** Defined bytes, made once per fork. */
    public final MemorySegment source;
    /** A target made once per fork. */
    public final MemorySegment target;
    // Shared: JMH may run setup, iterations and teardown on different threads.
    private final Arena arena = Arena.ofShared();

    /** Made by the runner, once per fork. */
    public CpuWork(int bytes, int reps, Knobs knobs) {
        this.bytes = bytes;
        this.reps = reps;
        this.knobs = knobs;
        this.source = arena.allocate(bytes, 64);
        this.target = arena.allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) source.set(ValueLayout.JAVA_BYTE, i, (byte) i);
    }

    /** One work item into {@link #target}. */
    public void copyItem() {
        copyItem(target);
    }

    /** One work item into {@code into} (at least {@code bytes} long). */
    public void copyItem(MemorySegment into) {
        MemorySegment.copy(source, 0, into, 0, bytes);
    }

    @Override
    public void close() {
        arena.close();
    }
}
