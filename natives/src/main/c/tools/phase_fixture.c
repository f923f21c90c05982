/* phase-fixture: deterministic programs for external mode's edge tests (run under gpuos-trace, which sets
 * GPUOS_MARK_FD).
 *   phase-fixture markers N   N markers "m<i>", each followed by exactly one getppid
 *   phase-fixture ioctls DIR  ioctls whose fds are reused, short-lived, or in a child process; DIR holds
 *                             GPU device nodes nvidia0 (195:0) and renderD128 (226:128), which the test makes
 *                             with mknod in a private mount namespace. Opened with O_PATH: no driver is needed,
 *                             each ioctl fails (EBADF) but is entered, so it is counted:
 *     phase "null":  /dev/null at fd F, 3 ioctls, closed
 *     phase "gpu":   DIR/nvidia0 at the same fd F, 5 ioctls, closed
 *     phase "child": a forked child opens DIR/renderD128, 7 ioctls, exits; the parent waits */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int mark_fd;

static void mark(const char *name) {
    char line[64];
    int n = snprintf(line, sizeof line, "%s\n", name);
    if (write(mark_fd, line, (size_t)n) != n) { perror("phase-fixture: mark"); exit(2); }
}

static int open_path(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, dir[0] ? "/" : "", name);
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) { perror(path); exit(2); }
    return fd;
}

static void ioctls(int fd, int n) {
    for (int i = 0; i < n; i++) ioctl(fd, 0, 0);
}

int main(int argc, char **argv) {
    const char *env = getenv("GPUOS_MARK_FD");
    if (argc != 3 || !env) {
        fprintf(stderr, "usage (under gpuos-trace): phase-fixture markers N | phase-fixture ioctls DIR\n");
        return 2;
    }
    mark_fd = atoi(env);
    if (strcmp(argv[1], "markers") == 0) {
        int n = atoi(argv[2]);
        for (int i = 0; i < n; i++) {
            char name[32];
            snprintf(name, sizeof name, "m%d", i);
            mark(name);
            syscall(SYS_getppid);
        }
        return 0;
    }
    mark("null");
    int first = open_path("", "/dev/null");
    ioctls(first, 3);
    close(first);
    mark("gpu");
    int again = open_path(argv[2], "nvidia0");
    if (again != first) { fprintf(stderr, "phase-fixture: fd %d not reused (%d)\n", again, first); return 2; }
    ioctls(again, 5);
    close(again);
    mark("child");
    pid_t child = fork();
    if (child == 0) {
        ioctls(open_path(argv[2], "renderD128"), 7);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
