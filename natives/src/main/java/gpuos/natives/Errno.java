package gpuos.natives;

/** Names for the errno values gpuos's native calls report. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINVAL = 22, E2BIG = 7, ENOSYS = 38, EACCES = 13, ECHILD = 10;

    private Errno() {}

    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file or directory)";
            case EACCES -> "EACCES (permission denied)";
            case EINVAL -> "EINVAL (invalid argument)";
            case E2BIG -> "E2BIG (argument too large)";
            case ENOSYS -> "ENOSYS (not supported by this kernel)";
            case ECHILD -> "ECHILD (no child process)";
            default -> "errno " + errno;
        };
    }
}
