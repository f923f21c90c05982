/* gpuos-gate GO_FIFO MARK_FIFO MARK_FD PROGRAM [ARGS...]
 * Puts the marker pipe at MARK_FD, waits until the runner has added this process to the tracked set
 * (one byte on GO_FIFO), then marks phase "start" and execs PROGRAM. The gate's own syscalls fall in
 * the phase before "start", which the runner drops, so counts begin exactly at the program's execve
 * (as strace's do) however the gate's start-up raced with the runner. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: gpuos-gate GO_FIFO MARK_FIFO MARK_FD PROGRAM [ARGS...]\n");
        return 2;
    }
    int mark_fd = atoi(argv[3]);
    int mark = open(argv[2], O_WRONLY);            /* the runner holds the read end open */
    if (mark < 0 || dup2(mark, mark_fd) < 0) { perror("gpuos-gate: marker pipe"); return 2; }
    if (mark != mark_fd) close(mark);
    int go = open(argv[1], O_RDONLY | O_CLOEXEC);
    char byte;
    if (go < 0 || read(go, &byte, 1) != 1) { perror("gpuos-gate: go pipe"); return 2; }
    static const char start[] = "start\n";
    if (write(mark_fd, start, sizeof start - 1) != (ssize_t)(sizeof start - 1)) { perror("gpuos-gate: mark"); return 2; }
    execvp(argv[4], argv + 4);
    perror("gpuos-gate: exec");
    return 127;
}
