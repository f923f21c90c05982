#define _GNU_SOURCE
#include "perfcount.h"
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct gpuos_pc {
    int n;
    int fds[GPUOS_PC_MAX_EVENTS];
};

void gpuos_pc_close(gpuos_pc *pc) {
    if (!pc) return;
    for (int i = pc->n - 1; i >= 0; i--) if (pc->fds[i] >= 0) close(pc->fds[i]);
    free(pc);
}

int gpuos_pc_open(gpuos_pc **out, int tid, const int *ids, int n, int inherit, char *log, int log_len) {
    *out = NULL;
    if (n < 1 || n > GPUOS_PC_MAX_EVENTS) return -EINVAL;
    gpuos_pc *pc = calloc(1, sizeof *pc);
    if (!pc) return -ENOMEM;
    for (int i = 0; i < n; i++) {
        struct perf_event_attr a;
        memset(&a, 0, sizeof a);
        a.type = PERF_TYPE_TRACEPOINT;
        a.size = sizeof a;
        a.config = (unsigned)ids[i];
        a.read_format = PERF_FORMAT_GROUP;
        a.inherit = inherit ? 1 : 0;
        int fd = (int)syscall(__NR_perf_event_open, &a, tid, -1, i == 0 ? -1 : pc->fds[0], PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (log && log_len > 0) snprintf(log, log_len, "perf_event_open(tracepoint %d, tid %d): %s", ids[i], tid, strerror(err));
            pc->n = i;
            gpuos_pc_close(pc);
            return -err;
        }
        pc->fds[i] = fd;
        pc->n = i + 1;
    }
    *out = pc;
    return 0;
}

int gpuos_pc_read(gpuos_pc *pc, uint64_t *values) {
    uint64_t buf[1 + GPUOS_PC_MAX_EVENTS];
    ssize_t want = (ssize_t)((1 + pc->n) * sizeof(uint64_t));
    if (read(pc->fds[0], buf, want) != want) return errno ? -errno : -EIO;
    memcpy(values, buf + 1, pc->n * sizeof(uint64_t));
    return 0;
}
