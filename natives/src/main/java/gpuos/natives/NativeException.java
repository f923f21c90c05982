package gpuos.natives;

/** A native call failed: carries the errno and the readable cause the C side wrote. */
public final class NativeException extends RuntimeException {
    private final int errno;

    public NativeException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() { return errno; }

    /** The one place where a C status (0 or -errno) becomes an exception. */
    public static void check(int status, String what, String detail) {
        if (status >= 0) return;
        String cause = detail == null || detail.isBlank() ? Errno.describe(-status) : detail.strip();
        throw new NativeException(what + ": " + cause, -status);
    }
}
