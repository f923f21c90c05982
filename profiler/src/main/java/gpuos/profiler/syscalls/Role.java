package gpuos.profiler.syscalls;

import java.util.Locale;
import java.util.Set;

/**
 * What a system call does for the workload. {@code dispatch} is an ioctl on a GPU device file (how a
 * user-space GPU driver submits work and manages the device); an ioctl on anything else is I/O.
 */
public enum Role {
    DISPATCH, SYNC, MEMORY, IO, THREADS, OTHER;

    private static final Set<String> SYNC_CALLS = Set.of("futex", "futex_waitv", "futex_wait", "futex_wake", "futex_requeue",
            "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", "sched_yield",
            "nanosleep", "clock_nanosleep", "membarrier", "wait4", "waitid", "eventfd2", "pause", "rt_sigsuspend",
            "rt_sigtimedwait", "io_uring_enter");
    private static final Set<String> MEMORY_CALLS = Set.of("mmap", "munmap", "mprotect", "madvise", "brk", "mremap",
            "mlock", "mlock2", "munlock", "mlockall", "munlockall", "mbind", "set_mempolicy", "get_mempolicy",
            "move_pages", "migrate_pages", "msync", "mincore", "memfd_create", "userfaultfd", "process_madvise",
            "pkey_mprotect", "remap_file_pages", "mseal", "map_shadow_stack", "set_mempolicy_home_node", "shmat", "shmdt", "shmget");
    private static final Set<String> THREAD_CALLS = Set.of("clone", "clone3", "fork", "vfork", "exit", "exit_group",
            "set_robust_list", "get_robust_list", "rseq", "set_tid_address", "gettid", "sched_setaffinity",
            "sched_getaffinity", "sched_setscheduler", "sched_getscheduler", "sched_setparam", "sched_getparam",
            "sched_setattr", "sched_getattr", "prctl", "arch_prctl", "sigaltstack", "rt_sigprocmask", "rt_sigaction",
            "rt_sigreturn", "tgkill", "tkill", "kill", "setpriority", "getpriority", "execve", "execveat");
    private static final Set<String> IO_CALLS = Set.of("read", "write", "pread64", "pwrite64", "readv", "writev",
            "preadv", "pwritev", "preadv2", "pwritev2", "open", "openat", "openat2", "close", "close_range", "fstat",
            "stat", "lstat", "newfstatat", "statx", "lseek", "fcntl", "dup", "dup2", "dup3", "pipe", "pipe2",
            "getdents64", "readlink", "readlinkat", "access", "faccessat", "faccessat2", "fsync", "fdatasync",
            "sendfile", "splice", "tee", "copy_file_range", "socket", "connect", "accept", "accept4", "sendto",
            "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "bind", "listen", "shutdown", "getsockopt",
            "setsockopt", "getsockname", "getpeername", "socketpair", "unlink", "unlinkat", "rename", "renameat",
            "renameat2", "mkdir", "mkdirat", "rmdir", "ftruncate", "truncate", "fallocate", "statfs", "fstatfs",
            "io_submit", "io_getevents", "io_uring_setup", "io_uring_register", "epoll_create1", "epoll_ctl",
            "inotify_add_watch", "getcwd", "chdir", "ioctl");

    /** The role of a syscall by name; an ioctl is classed by its target with {@link #ofIoctl(boolean)}. */
    public static Role of(String syscall) {
        if (SYNC_CALLS.contains(syscall)) return SYNC;
        if (MEMORY_CALLS.contains(syscall)) return MEMORY;
        if (THREAD_CALLS.contains(syscall)) return THREADS;
        if (IO_CALLS.contains(syscall)) return IO;
        return OTHER;
    }

    public static Role ofIoctl(boolean gpuDevice) { return gpuDevice ? DISPATCH : IO; }

    /** The name used in result labels: {@code syscalls.role.<label>.norm}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }
}
