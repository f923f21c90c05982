package gpuos.benchmarks.cpu;

import gpuos.benchmarks.SweepAxes;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CPU baseline for every GPU benchmark: copying {@code bytes}, {@code reps} times per operation, with no
 * device and no runtime. Its syscall count is the floor (ideally 0/op) that GPU runtimes are compared against.
 */
public class CpuCopy extends SweepAxes {
    @SuppressWarnings("restricted") // a downcall; forks get --enable-native-access from SweepAxes
    private static final MethodHandle MEMCPY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("memcpy").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));

    private byte[] src;
    private byte[] dst;
    private Arena arena;
    private MemorySegment nativeSrc;
    private MemorySegment nativeDst;

    @Setup(Level.Trial)
    public void setup() {
        src = new byte[bytes];
        dst = new byte[bytes];
        for (int i = 0; i < bytes; i++) src[i] = (byte) i;
        // Shared: JMH may run setup and the benchmark on different threads; a confined arena would refuse.
        arena = Arena.ofShared();
        nativeSrc = arena.allocate(bytes, 64);
        nativeDst = arena.allocate(bytes, 64);
        nativeSrc.copyFrom(MemorySegment.ofArray(src));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** A plain loop the JIT compiles (and vectorises): no native call, so no chance of a syscall. */
    @Benchmark
    public int javaLoop() {
        int sum = 0;
        for (int r = 0; r < reps; r++) {
            for (int i = 0; i < bytes; i++) dst[i] = src[i];
            sum += dst[r % bytes]; // reads back each repetition so no copy is provably redundant
        }
        return sum;
    }

    /** libc memcpy through an FFM downcall: the native path GPU runtimes use, minus the device. */
    @Benchmark
    public MemorySegment nativeCopy() throws Throwable {
        MemorySegment last = MemorySegment.NULL;
        for (int r = 0; r < reps; r++) {
            last = (MemorySegment) MEMCPY.invokeExact(nativeDst, nativeSrc, (long) bytes);
        }
        return last;
    }
}
