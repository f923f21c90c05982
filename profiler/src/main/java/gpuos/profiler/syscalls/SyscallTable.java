package gpuos.profiler.syscalls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** x86-64 system call numbers and their kernel names (from syscall_64.tbl). */
public final class SyscallTable {
    private static final String[] NAMES = load();
    private static final Map<String, Integer> NUMBERS = index(NAMES);

    public static final int IOCTL = number("ioctl");
    public static final int WRITE = number("write");

    private SyscallTable() {}

    /** The name of syscall {@code nr}, or {@code syscall_<nr>} for a number this table does not know. */
    public static String name(int nr) {
        return nr >= 0 && nr < NAMES.length && NAMES[nr] != null ? NAMES[nr] : "syscall_" + nr;
    }

    public static int number(String name) {
        Integer nr = NUMBERS.get(name);
        if (nr == null) throw new IllegalArgumentException("unknown x86-64 syscall '" + name + "'");
        return nr;
    }

    private static String[] load() {
        String[] names = new String[512];
        try (var in = Objects.requireNonNull(SyscallTable.class.getResourceAsStream("/gpuos/profiler/syscalls-x86_64.txt"), "syscall table resource");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split("\\s+");
                names[Integer.parseInt(f[0])] = f[1];
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static Map<String, Integer> index(String[] names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.length; i++) if (names[i] != null) m.put(names[i], i);
        return m;
    }
}
