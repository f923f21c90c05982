package gpuos.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds gpuos's native files: {@code libgpuos.so} and the small tools built beside it.
 * Order (as async-profiler does): the folder named by {@code -Dgpuos.natives.dir}, then the copy
 * bundled in this jar, extracted once per JVM into a private temporary folder.
 */
public final class NativeLibrary {
    public static final String PLATFORM = "linux-x86_64";
    private static final String RESOURCE_DIR = "/gpuos/natives/" + PLATFORM + "/";
    private static volatile Path extracted;
    private static volatile SymbolLookup lookup;

    private NativeLibrary() {}

    /** The symbols of libgpuos.so, loaded once for the life of the JVM. */
    public static SymbolLookup lookup() {
        if (lookup == null) {
            synchronized (NativeLibrary.class) {
                if (lookup == null) lookup = SymbolLookup.libraryLookup(file("libgpuos.so"), Arena.global());
            }
        }
        return lookup;
    }

    /** A native file by name (library or executable tool). */
    public static Path file(String name) {
        String dir = System.getProperty("gpuos.natives.dir");
        if (dir != null) {
            Path p = Path.of(dir, name);
            if (!Files.isRegularFile(p)) throw new IllegalStateException("gpuos.natives.dir=" + dir + " has no " + name + ": build natives/ (mvn -pl natives package) or unset the property");
            return p;
        }
        return extract(name);
    }

    private static synchronized Path extract(String name) {
        try {
            if (extracted == null) {
                Path dir = Files.createTempDirectory("gpuos-natives-");
                dir.toFile().deleteOnExit();
                extracted = dir;
            }
            Path target = extracted.resolve(name);
            if (Files.exists(target)) return target;
            try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) throw new IllegalStateException("this jar has no native " + name + " for " + PLATFORM + ": rebuild with gcc and make installed (scripts/setup)");
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            target.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract native " + name + " to a temporary folder", e);
        }
    }
}
