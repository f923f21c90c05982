/* syscall-fixture THREADS CALLS: a deterministic program for checking the counter against
 * strace -f -c and perf stat. The main thread makes CALLS getppid; each of THREADS threads makes
 * CALLS getppid and CALLS write(2) of one byte to /dev/null; then a forked child makes CALLS getppid.
 * With GPUOS_MARK_FD set, it marks the phases "threads" and "child" (one write each). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long calls;
static int devnull;

static void getppids(void) { for (long i = 0; i < calls; i++) syscall(SYS_getppid); }

static void *worker(void *arg) {
    (void)arg;
    getppids();
    for (long i = 0; i < calls; i++) if (write(devnull, "x", 1) != 1) abort();
    return NULL;
}

static void mark(const char *phase) {
    const char *fd = getenv("GPUOS_MARK_FD");
    if (fd && write(atoi(fd), phase, strlen(phase)) < 0) abort();
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: syscall-fixture THREADS CALLS\n"); return 2; }
    int threads = atoi(argv[1]);
    calls = atol(argv[2]);
    devnull = open("/dev/null", O_WRONLY);
    getppids();
    mark("threads\n");
    pthread_t t[64];
    for (int i = 0; i < threads && i < 64; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < threads && i < 64; i++) pthread_join(t[i], NULL);
    mark("child\n");
    pid_t pid = fork();
    if (pid == 0) { getppids(); _exit(0); }
    waitpid(pid, NULL, 0);
    return 0;
}
