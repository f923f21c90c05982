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
#define GPUOS_SC_FIRST_SHARED 224  /* THREADS: rows from here on are shared by the threads of one creator that
                                      came after the rows ran out, a row per creator row; then their creator's row */
#define GPUOS_SC_IOCTL_DEVS  64    /* ioctl histogram per row, by the device the fd names (a slot per device) */
#define GPUOS_SC_DEV_NONE    0     /* slot of ioctls on fds that name no device (i_rdev 0: sockets, pipes,
                                      regular and anonymous files, closed fds) or when offsets are unknown */
#define GPUOS_SC_DEV_MORE    (GPUOS_SC_IOCTL_DEVS - 1) /* slot of devices beyond the others */
#define GPUOS_SC_INFO_BYTES  32    /* per row: u32 tid, u32 comm generation, char comm[16],
                                      u64 start ns (phases) or u32 creator tid, 0 if unknown (threads) */

/* Byte offsets inside the region. */
#define GPUOS_SC_OFF_COUNTS  0
#define GPUOS_SC_OFF_IOCTL   (GPUOS_SC_OFF_COUNTS + GPUOS_SC_SLOTS * GPUOS_SC_NR * 8)
#define GPUOS_SC_OFF_INFO    (GPUOS_SC_OFF_IOCTL + GPUOS_SC_SLOTS * GPUOS_SC_IOCTL_DEVS * 8)
#define GPUOS_SC_OFF_CTRL    (GPUOS_SC_OFF_INFO + GPUOS_SC_SLOTS * GPUOS_SC_INFO_BYTES)
#define GPUOS_SC_CTRL_WORDS  8     /* [0] next free row, [1] comm generation, [2] markers seen (phase),
                                      [3] device slots taken, [4] shared rows taken */
#define GPUOS_SC_OFF_DEVS    (GPUOS_SC_OFF_CTRL + GPUOS_SC_CTRL_WORDS * 8) /* u64 kernel dev_t per device slot */
#define GPUOS_SC_OFF_TIDCACHE (GPUOS_SC_OFF_DEVS + GPUOS_SC_IOCTL_DEVS * 8)
#define GPUOS_SC_TIDCACHE    65536 /* direct-mapped tid -> row cache: u64 (row << 32 | tid) at tid & 0xffff */
#define GPUOS_SC_REGION      (GPUOS_SC_OFF_TIDCACHE + GPUOS_SC_TIDCACHE * 8)

/* Byte offsets of kernel struct fields, from BTF (the Java face reads /sys/kernel/btf/vmlinux), in this
 * order; an array of -1 (or NULL) when unknown: then ioctls all land in GPUOS_SC_DEV_NONE and creators
 * stay 0. */
enum { GPUOS_SC_K_TASK_PID, GPUOS_SC_K_TASK_FILES, GPUOS_SC_K_FILES_FDT, GPUOS_SC_K_FDT_MAX_FDS,
       GPUOS_SC_K_FDT_FD, GPUOS_SC_K_FILE_INODE, GPUOS_SC_K_INODE_RDEV, GPUOS_SC_K_COUNT };

/* Modes. THREADS: one process (tgid), a row per thread. PHASES: a tracked set of processes that
 * follows forks (needs the sched_process_fork tracepoint id and field offset from tracefs), a row
 * per phase; a write(2) to mark_fd starts the next phase and is itself not counted. */
#define GPUOS_SC_MODE_THREADS 0
#define GPUOS_SC_MODE_PHASES  1

typedef struct gpuos_sc gpuos_sc;

/* All functions return 0 or -errno; on failure log (if given) holds a readable cause, including the
 * BPF verifier's log when the kernel rejected the program. */
int gpuos_sc_open(gpuos_sc **out, int mode, int tgid, int mark_fd,
                  int fork_tp_id, int fork_child_pid_offset, const int *kernel_offsets, char *log, int log_len);
void *gpuos_sc_region(gpuos_sc *sc);
long gpuos_sc_region_size(void);
int gpuos_sc_track(gpuos_sc *sc, int pid);
int gpuos_sc_layout(int what); /* 0 NR, 1 SLOTS, 2 IOCTL_DEVS, 3 OFF_IOCTL, 4 OFF_INFO, 5 OFF_CTRL, 6 INFO_BYTES,
                                  7 OFF_DEVS, 8 K_COUNT, 9 FIRST_SHARED */
void gpuos_sc_close(gpuos_sc *sc);
#endif
