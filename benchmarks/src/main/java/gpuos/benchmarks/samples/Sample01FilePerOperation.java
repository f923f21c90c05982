package gpuos.benchmarks.samples;

import gpuos.benchmarks.SweepAxes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sample 01: the profiler counts what an operation asks of the kernel, per operation, and names it. The same
 * {@code bytes} are read {@code reps} times per operation two ways:
 *
 * <ul>
 *   <li>{@code openEachTime} (the wrong way round): {@code Files.readAllBytes} opens, sizes, reads and closes the
 *       file every time, so each rep costs an {@code openat}, an {@code fstat}, a {@code read} or two and a
 *       {@code close}: all role {@code io}, all on the worker thread.</li>
 *   <li>{@code keepOpen}: the channel is opened once per trial ({@code @Setup}, outside the measured windows) and
 *       each rep is one positional read: one {@code pread64}.</li>
 * </ul>
 *
 * The time per op differs too, but the syscall labels say <em>why</em>, without a guess: that is the idea GPU runtimes
 * are measured with (a launch that makes no syscall, a wait that makes five).
 *
 * <p>HOW TO RUN (as root, after {@code mvn -B -q package -DskipTests}):
 * <pre>java -jar suite/target/gpuos.jar Sample01 -p reps=10 -f 1 -wi 1 -i 3 -r 200ms -w 200ms \
 *     -prof gpuos.profiler.LinuxSyscallProfiler</pre>
 *
 * <p>Real output, below (build machine, 2 cores, eBPF counter, loaded by a build; labels trimmed to the ones that
 * move). Read the per-iteration lines: exact, 10 {@code pread64} against 10 x ({@code openat}, {@code fstat}, 2
 * {@code read}, {@code close}) = 50. This output predates {@code LinuxSyscallProfiler.closeLastWindow()}: JMH's
 * summary table averaged over all 3 iterations and filled the last one, which the profiler then left out (it holds
 * the trial teardown), with 0, so it showed 6.667 and 33.333: 2/3 of the truth. Since then {@code SweepAxes} closes
 * the last window before the teardown, the third iteration carries labels too and the summary is exact (a fresh
 * run's output is still to be pasted here).
 */
public class Sample01FilePerOperation extends SweepAxes {
    private Path file;
    private FileChannel channel;
    private ByteBuffer buffer;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        file = Files.createTempFile("gpuos-sample01", ".bin");
        Files.write(file, new byte[bytes]);
        channel = FileChannel.open(file, StandardOpenOption.READ);
        buffer = ByteBuffer.allocateDirect(bytes);
    }

    @TearDown(Level.Trial)
    public void teardown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long openEachTime() throws IOException {
        long sum = 0;
        for (int r = 0; r < reps; r++) sum += Files.readAllBytes(file).length;
        return sum;
    }

    @Benchmark
    public long keepOpen() throws IOException {
        long sum = 0;
        for (int r = 0; r < reps; r++) {
            buffer.clear();
            sum += channel.read(buffer, 0);
        }
        return sum;
    }
}

/*
# Benchmark: gpuos.benchmarks.samples.Sample01FilePerOperation.keepOpen   (bytes = 4096, reps = 10)
Iteration   1: 327.327 us/op
                 syscalls.pread64.norm:        10.000 #/op
                 syscalls.role.io.norm:        10.000 #/op
                 syscalls.thread.worker.norm:  10.004 #/op
                 syscalls.total.norm:          10.017 #/op
Iteration   2: 171.351 us/op
                 syscalls.pread64.norm:        10.000 #/op
                 syscalls.role.io.norm:        10.000 #/op
                 syscalls.thread.worker.norm:  10.002 #/op
                 syscalls.total.norm:          10.012 #/op
Iteration   3: 299.319 us/op

# Benchmark: gpuos.benchmarks.samples.Sample01FilePerOperation.openEachTime   (bytes = 4096, reps = 10)
Iteration   1: 1975.745 us/op
                 syscalls.close.norm:             10.000 #/op
                 syscalls.fstat.norm:             10.000 #/op
                 syscalls.openat.norm:            10.000 #/op
                 syscalls.read.norm:              20.000 #/op
                 syscalls.role.io.norm:           50.000 #/op
                 syscalls.thread.worker.norm:     50.185 #/op
                 syscalls.total.norm:             51.032 #/op
Iteration   2: 1519.447 us/op
                 syscalls.close.norm:          10.000 #/op
                 syscalls.fstat.norm:          10.000 #/op
                 syscalls.openat.norm:         10.000 #/op
                 syscalls.read.norm:           20.000 #/op
                 syscalls.role.io.norm:        50.000 #/op
                 syscalls.thread.worker.norm:  50.038 #/op
                 syscalls.total.norm:          50.167 #/op
Iteration   3: 1177.868 us/op

Benchmark                                                          (bytes)  (reps)  Mode  Cnt     Score      Error  Units
Sample01FilePerOperation.keepOpen                                     4096      10  avgt    3   265.999 ± 1517.067  us/op
Sample01FilePerOperation.keepOpen:syscalls.pread64.norm               4096      10  avgt    3     6.667 ±  105.330   #/op
Sample01FilePerOperation.openEachTime                                 4096      10  avgt    3  1557.687 ± 7303.160  us/op
Sample01FilePerOperation.openEachTime:syscalls.role.io.norm           4096      10  avgt    3    33.333 ±  526.651   #/op
*/
