/* gpuos-gate GO_FIFO MARK_FIFO MARK_FD PROGRAM [ARGS...]
 * Waits until the runner has added this process to the tracked set (one byte on GO_FIFO), then puts
 * the marker pipe at MARK_FD and execs PROGRAM. Everything before execve is uncounted, so the counts
 * start exactly at the program's execve, as strace's do. */
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
    execvp(argv[4], argv + 4);
    perror("gpuos-gate: exec");
    return 127;
}
