/* Fallback counter: perf tracepoint counters of one thread, as one group read with a single read(2).
 * Event 0 should be raw_syscalls:sys_enter (all syscalls); the others syscalls:sys_enter_<name>.
 * Kernel facts (Linux 6.18): exclude_kernel must stay 0 or syscall tracepoints count nothing;
 * a group must be complete before the thread clones. Without inherit the counts are this thread's only;
 * with inherit they also hold every thread it (or they) start after the open, alive or ended: a read sums
 * the inherited child counters, and an ended child's count is folded into its parent's (kernel/events/core.c
 * perf_event_exit_event / sync_child_event). */
#ifndef GPUOS_PERFCOUNT_H
#define GPUOS_PERFCOUNT_H
#include <stdint.h>

#define GPUOS_PC_MAX_EVENTS 32
typedef struct gpuos_pc gpuos_pc;

int gpuos_pc_open(gpuos_pc **out, int tid, const int *tracepoint_ids, int n, int inherit, char *log, int log_len); /* 0 or -errno */
int gpuos_pc_read(gpuos_pc *pc, uint64_t *values); /* n values; 0 or -errno */
void gpuos_pc_close(gpuos_pc *pc);
#endif
