package gpuos.interventions.samples;

import gpuos.interventions.CpuWork;
import gpuos.interventions.OnCpu;
import gpuos.interventions.annotations.Backend;
import gpuos.interventions.annotations.Direction;
import gpuos.interventions.annotations.Intervention;
import gpuos.interventions.annotations.Predict;
import java.lang.foreign.Arena;

/**
 * Sample 3: a prediction can be wrong, and that is the point. Allocating per work item instead of per operation
 * "should" add memory syscalls (mmap/munmap for large buffers), but glibc raises its mmap threshold after the
 * first free of a large chunk, so later allocations of that size come from the heap: the report decides.
 *
 * <pre>java -jar suite/target/gpuos.jar CpuRunner -p intervention=alloc-per-op,sample-buffer-per-item \
 *     -p bytes=1048576 -p reps=16 -f 3 -wi 1 -i 3 -prof gpuos.profiler.LinuxSyscallProfiler</pre>
 */
@Intervention(name = "sample-buffer-per-item", summary = "alloc-per-op, but a fresh native buffer for every work item",
        backends = Backend.CPU,
        predicts = @Predict(metric = "syscalls.role.memory", direction = Direction.RISES, against = "alloc-per-op",
                why = "reps malloc/free pairs per operation instead of one; large ones are mmap/munmap"))
public final class Sample03BufferPerItem implements OnCpu {
    @Override
    public void run(CpuWork work) {
        for (int r = 0; r < work.reps; r++) {
            try (Arena arena = Arena.ofConfined()) {
                work.copyItem(arena.allocate(work.bytes, 64));
            }
        }
    }
}
