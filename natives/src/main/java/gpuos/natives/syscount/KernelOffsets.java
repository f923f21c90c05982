package gpuos.natives.syscount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Byte offsets of the kernel struct fields the eBPF counter reads (a new thread's tid, an fd's device number), taken
 * from the running kernel's own type information, BTF at /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF, on by
 * default in Debian and Ubuntu kernels). Offsets differ between kernel builds, so they are never hard-coded;
 * without BTF the counter still counts every syscall but cannot name ioctl targets or thread creators.
 * Format: Documentation/bpf/btf.rst.
 */
public final class KernelOffsets {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    /** In the order of the C enum GPUOS_SC_K_* (syscount.h). */
    private static final String[][] FIELDS = {
            {"task_struct", "pid"}, {"task_struct", "files"}, {"files_struct", "fdt"}, {"fdtable", "max_fds"},
            {"fdtable", "fd"}, {"file", "f_inode"}, {"inode", "i_rdev"}};
    private static final int KIND_STRUCT = 4, KIND_UNION = 5;

    private static volatile Optional<int[]> cached;
    private static volatile String failure;

    private KernelOffsets() {}

    /** The offsets, or empty when this kernel has no readable BTF ({@link #failure()} says why). */
    public static Optional<int[]> get() {
        if (cached == null) {
            try {
                // Off the heap: the 5-6 MB blob would otherwise be garbage that a later GC pause collects mid-measurement.
                try (FileChannel f = FileChannel.open(VMLINUX)) {
                    ByteBuffer blob = ByteBuffer.allocateDirect((int) f.size());
                    while (blob.hasRemaining() && f.read(blob) >= 0) {
                        // sysfs hands the blob out in pages
                    }
                    cached = Optional.of(of(blob.flip()));
                }
            } catch (IOException | RuntimeException e) {
                failure = VMLINUX + ": " + e.getMessage();
                cached = Optional.empty();
            }
        }
        return cached;
    }

    public static String failure() { return failure; }

    /** Parses a BTF blob; throws when a field is missing. */
    static int[] of(ByteBuffer blob) {
        Btf btf = new Btf(blob);
        int[] out = new int[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) out[i] = btf.memberOffset(FIELDS[i][0], FIELDS[i][1]);
        return out;
    }

    private static final class Btf {
        private final ByteBuffer b;
        private final int strings;
        /** Byte position of each type's btf_type record, by type id (id 0 is void). */
        private int[] types = new int[1 << 17];
        private int typeCount = 1;

        Btf(ByteBuffer blob) {
            b = blob.order(ByteOrder.LITTLE_ENDIAN);
            if ((b.getShort(0) & 0xffff) != 0xeb9f) throw new IllegalArgumentException("not BTF (magic)");
            int hdrLen = b.getInt(4), typeOff = b.getInt(8), typeLen = b.getInt(12), strOff = b.getInt(16);
            strings = hdrLen + strOff;
            for (int at = hdrLen + typeOff, end = at + typeLen; at < end; ) {
                if (typeCount == types.length) types = Arrays.copyOf(types, 2 * typeCount);
                types[typeCount++] = at;
                at += 12 + extra(at);
            }
        }

        private int kind(int at) { return (b.getInt(at + 4) >>> 24) & 0x1f; }

        private int vlen(int at) { return b.getInt(at + 4) & 0xffff; }

        private int extra(int at) {
            int vlen = vlen(at);
            return switch (kind(at)) {
                case 1, 14, 17 -> 4;                 // INT, VAR, DECL_TAG
                case 3 -> 12;                        // ARRAY
                case KIND_STRUCT, KIND_UNION, 15, 19 -> 12 * vlen; // members, DATASEC, ENUM64
                case 6, 13 -> 8 * vlen;              // ENUM, FUNC_PROTO
                default -> 0;                        // PTR, FWD, TYPEDEF, qualifiers, FUNC, FLOAT, TYPE_TAG
            };
        }

        private String name(int nameOff) {
            int start = strings + nameOff, end = start;
            while (b.get(end) != 0) end++;
            byte[] bytes = new byte[end - start];
            b.get(start, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        int memberOffset(String struct, String member) {
            for (int id = 1; id < typeCount; id++) {
                int at = types[id];
                if (kind(at) == KIND_STRUCT && vlen(at) > 0 && name(b.getInt(at)).equals(struct)) {
                    int bits = memberBits(at, member);
                    if (bits >= 0) return bits / 8;
                }
            }
            throw new IllegalStateException("no " + struct + "." + member + " in BTF");
        }

        /** Bit offset of a member, looking into anonymous struct and union members; -1 if absent. */
        private int memberBits(int at, String member) {
            boolean bitfields = b.getInt(at + 4) < 0; // kind_flag: offset holds bitfield size << 24 | bit offset
            for (int i = 0, m = at + 12; i < vlen(at); i++, m += 12) {
                int nameOff = b.getInt(m), type = b.getInt(m + 4), offset = b.getInt(m + 8);
                int bits = bitfields ? offset & 0xffffff : offset;
                if (nameOff != 0) {
                    if (name(nameOff).equals(member)) return bits;
                } else {
                    int inner = types[type];
                    if (kind(inner) == KIND_STRUCT || kind(inner) == KIND_UNION) {
                        int found = memberBits(inner, member);
                        if (found >= 0) return bits + found;
                    }
                }
            }
            return -1;
        }
    }
}
