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
 * {@code read}, {@code close}) = 50. The summary table is exact too: {@code SweepAxes} closes the
 * profiler's last window before the trial teardown ({@code LinuxSyscallProfiler.closeLastWindow()}), so the third
 * iteration carries labels (before that, JMH averaged a 0 in for it and showed 2/3 of the truth: 6.667 and 33.333).
 * Made on 2026-12-02 with the command above, beside a build and a test run.
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
Iteration   1: 314.809 us/op
                 syscalls.pread64.norm:        10.000 #/op
                 syscalls.role.io.norm:        10.000 #/op
                 syscalls.thread.worker.norm:  10.023 #/op
                 syscalls.total.norm:          10.070 #/op
Iteration   2: 244.105 us/op
                 syscalls.pread64.norm:        10.000 #/op
                 syscalls.role.io.norm:        10.000 #/op
                 syscalls.thread.worker.norm:  10.004 #/op
                 syscalls.total.norm:          10.008 #/op
Iteration   3: 217.848 us/op
                 syscalls.pread64.norm:        10.000 #/op
                 syscalls.role.io.norm:        10.000 #/op
                 syscalls.thread.worker.norm:  10.003 #/op
                 syscalls.total.norm:          10.010 #/op

# Benchmark: gpuos.benchmarks.samples.Sample01FilePerOperation.openEachTime   (bytes = 4096, reps = 10)
Iteration   1: 1050.902 us/op
                 syscalls.close.norm:          10.000 #/op
                 syscalls.fstat.norm:          10.000 #/op
                 syscalls.openat.norm:         10.000 #/op
                 syscalls.read.norm:           20.000 #/op
                 syscalls.role.io.norm:        50.000 #/op
                 syscalls.thread.worker.norm:  50.049 #/op
                 syscalls.total.norm:          50.141 #/op
Iteration   2: 1982.220 us/op
                 syscalls.close.norm:             10.000 #/op
                 syscalls.fstat.norm:             10.000 #/op
                 syscalls.openat.norm:            10.000 #/op
                 syscalls.read.norm:              20.000 #/op
                 syscalls.role.io.norm:           50.000 #/op
                 syscalls.thread.worker.norm:     50.156 #/op
                 syscalls.total.norm:             51.037 #/op
Iteration   3: 1033.366 us/op
                 syscalls.close.norm:          10.000 #/op
                 syscalls.fstat.norm:          10.000 #/op
                 syscalls.openat.norm:         10.000 #/op
                 syscalls.read.norm:           20.000 #/op
                 syscalls.role.io.norm:        50.000 #/op
                 syscalls.thread.worker.norm:  50.025 #/op
                 syscalls.total.norm:          50.065 #/op

Benchmark                                                              (bytes)  (reps)  Mode  Cnt       Score         Error    Units
Sample01FilePerOperation.keepOpen                                         4096      10  avgt    3     258.921 ±     914.922    us/op
Sample01FilePerOperation.keepOpen:syscalls.pread64.norm                   4096      10  avgt    3      10.000 ±       0.001     #/op
Sample01FilePerOperation.keepOpen:syscalls.role.io.norm                   4096      10  avgt    3      10.000 ±       0.001     #/op
Sample01FilePerOperation.keepOpen:syscalls.total.norm                     4096      10  avgt    3      10.030 ±       0.643     #/op
Sample01FilePerOperation.openEachTime                                     4096      10  avgt    3    1355.496 ±    9903.235    us/op
Sample01FilePerOperation.openEachTime:syscalls.role.io.norm               4096      10  avgt    3      50.000 ±       0.001     #/op
Sample01FilePerOperation.openEachTime:syscalls.total.norm                 4096      10  avgt    3      50.414 ±       9.858     #/op
*/
