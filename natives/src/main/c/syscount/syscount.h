/* gpuos syscall counter: an eBPF raw-tracepoint program on sys_enter that counts the system calls of
 * one process (or a tracked set of processes) into one mmap'able array, read with zero system calls.
 * The Java face is gpuos.natives.syscount.SyscallCounter; keep the layout constants in step with it. */
#ifndef GPUOS_SYSCOUNT_H
#define GPUOS_SYSCOUNT_H
#include <stddef.h>
#include <stdint.h>

#define GPUOS_SC_NR          512   /* syscall numbers per row; x86-64 has fewer than 511 */
#define GPUOS_SC_TOTAL_COL   511   /* column that holds the row's total */
#define GPUOS_SC_SLOTS       256   /* rows: threads (mode THREADS) or phases (mode PHASES) */
#define GPUOS_SC_OVERFLOW    255   /* the last row takes what does not fit */
#define GPUOS_SC_IOCTL_FDS   1024  /* ioctl histogram per row, by fd; fd >= 1023 lands in 1023 */
#define GPUOS_SC_INFO_BYTES  32    /* per row: u32 tid, u32 comm generation, char comm[16], u64 start ns (phases) */

/* Byte offsets inside the region. */
#define GPUOS_SC_OFF_COUNTS  0
#define GPUOS_SC_OFF_IOCTL   (GPUOS_SC_OFF_COUNTS + GPUOS_SC_SLOTS * GPUOS_SC_NR * 8)
#define GPUOS_SC_OFF_INFO    (GPUOS_SC_OFF_IOCTL + GPUOS_SC_SLOTS * GPUOS_SC_IOCTL_FDS * 8)
#define GPUOS_SC_OFF_CTRL    (GPUOS_SC_OFF_INFO + GPUOS_SC_SLOTS * GPUOS_SC_INFO_BYTES)
#define GPUOS_SC_CTRL_WORDS  8     /* [0] next free row, [1] comm generation, [2] current phase */
#define GPUOS_SC_OFF_TIDCACHE (GPUOS_SC_OFF_CTRL + GPUOS_SC_CTRL_WORDS * 8)
#define GPUOS_SC_TIDCACHE    65536 /* direct-mapped tid -> row cache: u64 (row << 32 | tid) at tid & 0xffff */
#define GPUOS_SC_REGION      (GPUOS_SC_OFF_TIDCACHE + GPUOS_SC_TIDCACHE * 8)

/* Modes. THREADS: one process (tgid), a row per thread. PHASES: a tracked set of processes that
 * follows forks (needs the sched_process_fork tracepoint id and field offset from tracefs), a row
 * per phase; a write(2) to mark_fd starts the next phase and is itself not counted. */
#define GPUOS_SC_MODE_THREADS 0
#define GPUOS_SC_MODE_PHASES  1

typedef struct gpuos_sc gpuos_sc;

/* All functions return 0 or -errno; on failure log (if given) holds a readable cause, including the
 * BPF verifier's log when the kernel rejected the program. */
int gpuos_sc_open(gpuos_sc **out, int mode, int tgid, int mark_fd,
                  int fork_tp_id, int fork_child_pid_offset, char *log, int log_len);
void *gpuos_sc_region(gpuos_sc *sc);
long gpuos_sc_region_size(void);
int gpuos_sc_track(gpuos_sc *sc, int pid);
int gpuos_sc_layout(int what); /* 0 NR, 1 SLOTS, 2 IOCTL_FDS, 3 OFF_IOCTL, 4 OFF_INFO, 5 OFF_CTRL, 6 INFO_BYTES */
void gpuos_sc_close(gpuos_sc *sc);
#endif
