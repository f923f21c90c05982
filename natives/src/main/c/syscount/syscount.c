/* The eBPF program is assembled here by hand (no libbpf, no clang): it is short, and this keeps the
 * build to gcc alone, which CI and the GPU nodes have. Facts it relies on (checked on Linux 6.18):
 * - raw tracepoint "sys_enter": ctx->args[0] is struct pt_regs *, ctx->args[1] the syscall number;
 *   x86-64 pt_regs keeps the first argument (di) at byte 112.
 * - raw tracepoint "sched_process_fork" (parent, child task_struct *) runs in the creating thread before the
 *   child can run, for threads (CLONE_THREAD) too: kernel/fork.c kernel_clone().
 * - an ioctl's target is current->files->fdt->fd[fd]->f_inode->i_rdev as of the call: the device number
 *   names the device however the fd was opened, reused, or inherited. Those struct offsets change between
 *   kernel builds, so they are never compiled in: the Java face reads them from the kernel's own BTF
 *   (/sys/kernel/btf/vmlinux) and passes them here; bpf_probe_read_kernel makes a wrong one read zeros,
 *   never crash. (CO-RE would need libbpf and clang, which the GPU nodes lack.)
 * - an ARRAY map with one element and BPF_F_MMAPABLE can be addressed directly from the program
 *   (BPF_PSEUDO_MAP_VALUE) and read by user space through mmap, with no system call. */
#define _GNU_SOURCE
#include "syscount.h"
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct gpuos_sc {
    int map_fd, slots_fd, tracked_fd, creators_fd, shared_fd, devslots_fd, prog_fd, link_fd, fork_prog_fd, fork_perf_fd, fork_link_fd;
    int k[GPUOS_SC_K_COUNT]; /* kernel struct offsets, or -1 */
    int have_k;
    void *region;
};

/* ---- a tiny assembler ---- */
#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define MOV64_REG(d, s)     INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i)     INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV32_REG(d, s)     INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define ALU64_IMM(op, d, i) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define ALU64_REG(op, d, s) INSN(BPF_ALU64 | (op) | BPF_X, d, s, 0, 0)
#define LDX(sz, d, s, o)    INSN(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define STX(sz, d, s, o)    INSN(BPF_STX | (sz) | BPF_MEM, d, s, o, 0)
#define ST_IMM(sz, d, o, i) INSN(BPF_ST | (sz) | BPF_MEM, d, 0, o, i)
#define ATOMIC_ADD64(d, s, o) INSN(BPF_STX | BPF_DW | BPF_ATOMIC, d, s, o, BPF_ADD)
#define ATOMIC_FETCH_ADD64(d, s, o) INSN(BPF_STX | BPF_DW | BPF_ATOMIC, d, s, o, BPF_ADD | BPF_FETCH)
#define JMP_IMM(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_REG(op, d, s, o) INSN(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define JA(o)               INSN(BPF_JMP | BPF_JA, 0, 0, o, 0)
#define CALL(f)             INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT()              INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* 16-byte loads: a map fd, or the address of a map's value (+offset). */
#define LD_MAP_FD(d, fd)    INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)
#define LD_MAP_VALUE(d, fd, off) INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_VALUE, 0, fd), INSN(0, 0, 0, 0, off)

/* Forward jumps are written to labels and patched, so the program reads top to bottom. */
enum { L_OUT, L_SLOW, L_CACHE, L_ALLOC, L_HAVE_ROW, L_COUNT, L_NOT_MARK, L_COMM_OK, L_ROW_OK, L_CREATOR_DONE, L_NEW_SHARED,
       L_DEV, L_NEW_DEV, L_DEV_OK, L_SLOT, L_NLABELS };
struct prog {
    struct bpf_insn insn[512];
    int n, label[L_NLABELS], fix_at[128], fix_label[128], nfix;
};
static void emit(struct prog *p, struct bpf_insn i) { p->insn[p->n++] = i; }
static void emit2(struct prog *p, struct bpf_insn a, struct bpf_insn b) { emit(p, a); emit(p, b); }
static void jump(struct prog *p, struct bpf_insn j, int label) {
    p->fix_at[p->nfix] = p->n;
    p->fix_label[p->nfix++] = label;
    emit(p, j);
}
static void here(struct prog *p, int label) { p->label[label] = p->n; }
static void patch(struct prog *p) {
    for (int i = 0; i < p->nfix; i++) p->insn[p->fix_at[i]].off = (short)(p->label[p->fix_label[i]] - p->fix_at[i] - 1);
}

/* r0 = bpf_map_lookup_elem(map, r10 + key_off). */
static void map_lookup(struct prog *p, int map_fd, int key_off) {
    emit2(p, LD_MAP_FD(BPF_REG_1, map_fd));
    emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
    emit(p, ALU64_IMM(BPF_ADD, BPF_REG_2, key_off));
    emit(p, CALL(BPF_FUNC_map_lookup_elem));
}

/* bpf_map_delete_elem(map, r10 + key_off). */
static void map_delete(struct prog *p, int map_fd, int key_off) {
    emit2(p, LD_MAP_FD(BPF_REG_1, map_fd));
    emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
    emit(p, ALU64_IMM(BPF_ADD, BPF_REG_2, key_off));
    emit(p, CALL(BPF_FUNC_map_delete_elem));
}

/* r10[dst_off..] = *(r3 + add), size bytes, through bpf_probe_read_kernel (zeros on a bad address). */
static void read_kernel(struct prog *p, int dst_off, int size, int add) {
    if (add) emit(p, ALU64_IMM(BPF_ADD, BPF_REG_3, add));
    emit(p, MOV64_REG(BPF_REG_1, BPF_REG_10));
    emit(p, ALU64_IMM(BPF_ADD, BPF_REG_1, dst_off));
    emit(p, MOV64_IMM(BPF_REG_2, size));
    emit(p, CALL(BPF_FUNC_probe_read_kernel));
}

/* bpf_map_update_elem(map, r10 + key_off, r10 + value_off, BPF_ANY). */
static void map_update(struct prog *p, int map_fd, int key_off, int value_off) {
    emit2(p, LD_MAP_FD(BPF_REG_1, map_fd));
    emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
    emit(p, ALU64_IMM(BPF_ADD, BPF_REG_2, key_off));
    emit(p, MOV64_REG(BPF_REG_3, BPF_REG_10));
    emit(p, ALU64_IMM(BPF_ADD, BPF_REG_3, value_off));
    emit(p, MOV64_IMM(BPF_REG_4, BPF_ANY));
    emit(p, CALL(BPF_FUNC_map_update_elem));
}

static long sys_bpf(int cmd, union bpf_attr *attr) { return syscall(__NR_bpf, cmd, attr, sizeof(*attr)); }

static int map_create(int type, int key, int value, int entries, int flags, const char *name) {
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_type = type; a.key_size = key; a.value_size = value; a.max_entries = entries; a.map_flags = flags;
    strncpy(a.map_name, name, sizeof a.map_name - 1);
    return (int)sys_bpf(BPF_MAP_CREATE, &a);
}

static int prog_load(struct prog *p, int type, const char *name, char *log, int log_len) {
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = type; a.insns = (unsigned long)p->insn; a.insn_cnt = p->n;
    a.license = (unsigned long)"GPL"; /* probe_read_kernel is GPL-only */
    strncpy(a.prog_name, name, sizeof a.prog_name - 1);
    /* Without a log first: with log_level 1 the kernel fails a load that verifies (ENOSPC) when the verifier's
     * log outgrows the buffer, as a 4 KiB one did on Linux 6.18. The log is only wanted to explain a rejection. */
    int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
    if (fd < 0 && log && log_len > 0) {
        int err = errno;
        a.log_buf = (unsigned long)log; a.log_size = log_len; a.log_level = 1; log[0] = 0;
        fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
        if (fd < 0 && errno == ENOSPC) errno = err; /* the log ran out: report the first load's cause */
    }
    return fd;
}

static void say(char *log, int log_len, const char *what, int err) {
    if (log && log_len > 0) {
        char prev[512];
        snprintf(prev, sizeof prev, "%s", log);
        snprintf(log, log_len, "%s: %s%s%s", what, strerror(err), prev[0] ? "\n" : "", prev);
    }
}

/* r6 = ctx, r7 = pid_tgid, r8 = row, r9 = syscall number; r0..r5 scratch. */
static void build_sys_enter(struct prog *p, const struct gpuos_sc *sc, int mode, int tgid, int mark_fd) {
    const int region = sc->map_fd;
    emit(p, MOV64_REG(BPF_REG_6, BPF_REG_1));
    emit(p, CALL(BPF_FUNC_get_current_pid_tgid));
    emit(p, MOV64_REG(BPF_REG_7, BPF_REG_0));
    emit(p, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
    if (mode == GPUOS_SC_MODE_THREADS) {
        jump(p, JMP_IMM(BPF_JNE, BPF_REG_0, tgid, 0), L_OUT);
    } else {
        emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_0, -4));
        map_lookup(p, sc->tracked_fd, -4);
        jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_OUT);
    }
    emit(p, LDX(BPF_DW, BPF_REG_9, BPF_REG_6, 8));               /* syscall number */

    if (mode == GPUOS_SC_MODE_PHASES) {
        /* A write to mark_fd moves every later syscall to the next row and is not counted itself. */
        jump(p, JMP_IMM(BPF_JNE, BPF_REG_9, __NR_write, 0), L_NOT_MARK);
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_6, 0));             /* pt_regs * */
        emit(p, ALU64_IMM(BPF_ADD, BPF_REG_3, 112));               /* &regs->di */
        emit(p, MOV64_REG(BPF_REG_1, BPF_REG_10));
        emit(p, ALU64_IMM(BPF_ADD, BPF_REG_1, -16));
        emit(p, MOV64_IMM(BPF_REG_2, 8));
        emit(p, CALL(BPF_FUNC_probe_read_kernel));
        emit(p, LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -16));
        jump(p, JMP_IMM(BPF_JNE, BPF_REG_1, mark_fd, 0), L_NOT_MARK);
        emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_CTRL + 16));
        emit(p, MOV64_IMM(BPF_REG_8, 1));
        emit(p, ATOMIC_FETCH_ADD64(BPF_REG_1, BPF_REG_8, 0));      /* r8 = previous phase */
        emit(p, ALU64_IMM(BPF_ADD, BPF_REG_8, 1));
        jump(p, JMP_IMM(BPF_JGT, BPF_REG_8, GPUOS_SC_SLOTS - 1, 0), L_OUT);
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_8, 5));
        emit(p, CALL(BPF_FUNC_ktime_get_ns));                      /* CLOCK_MONOTONIC, as System.nanoTime */
        emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_INFO));
        emit(p, ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_8));
        emit(p, STX(BPF_DW, BPF_REG_1, BPF_REG_0, 24));            /* the phase's start time */
        jump(p, JA(0), L_OUT);
        here(p, L_NOT_MARK);
        emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_CTRL + 16));
        emit(p, LDX(BPF_DW, BPF_REG_8, BPF_REG_1, 0));
        /* Past the last row every phase counts in the overflow row: nothing is dropped. */
        jump(p, JMP_IMM(BPF_JLE, BPF_REG_8, GPUOS_SC_OVERFLOW, 0), L_HAVE_ROW);
        emit(p, MOV64_IMM(BPF_REG_8, GPUOS_SC_OVERFLOW));
        jump(p, JA(0), L_HAVE_ROW);
    } else {
        /* Row of this thread. Hot path: a direct-mapped cache indexed by tid & 0xffff whose entry holds
         * (row << 32 | tid), written with one 8-byte store so it never tears; no helper call. On a miss
         * (first syscall, or another tid of the same low bits) the hash map tid -> row decides, and a
         * thread seen for the first time takes the next free row. */
        emit(p, MOV64_REG(BPF_REG_1, BPF_REG_7));
        emit(p, ALU64_IMM(BPF_AND, BPF_REG_1, GPUOS_SC_TIDCACHE - 1));
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_1, 3));
        emit2(p, LD_MAP_VALUE(BPF_REG_2, region, GPUOS_SC_OFF_TIDCACHE));
        emit(p, ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1));
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_2, 0));
        emit(p, MOV32_REG(BPF_REG_4, BPF_REG_3));                  /* cached tid */
        emit(p, MOV32_REG(BPF_REG_5, BPF_REG_7));                  /* this tid */
        jump(p, JMP_REG(BPF_JNE, BPF_REG_4, BPF_REG_5, 0), L_SLOW);
        emit(p, MOV64_REG(BPF_REG_8, BPF_REG_3));
        emit(p, ALU64_IMM(BPF_RSH, BPF_REG_8, 32));
        jump(p, JA(0), L_HAVE_ROW);

        here(p, L_SLOW);
        emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_7, -4));            /* (u32) tid */
        map_lookup(p, sc->slots_fd, -4);
        jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_ALLOC);
        emit(p, LDX(BPF_W, BPF_REG_8, BPF_REG_0, 0));
        jump(p, JA(0), L_CACHE);

        here(p, L_ALLOC);
        emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_CTRL));
        emit(p, MOV64_IMM(BPF_REG_8, 1));
        emit(p, ATOMIC_FETCH_ADD64(BPF_REG_1, BPF_REG_8, 0));      /* r8 = old next-free row */
        emit(p, STX(BPF_DW, BPF_REG_10, BPF_REG_8, -24));          /* the row taken */
        emit(p, ST_IMM(BPF_DW, BPF_REG_10, -16, 0));               /* creator tid, 0 = unknown */
        if (sc->have_k) {
            /* The creator the fork hook recorded; the entry is only needed until this first syscall. */
            map_lookup(p, sc->creators_fd, -4);
            jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_CREATOR_DONE);
            emit(p, LDX(BPF_W, BPF_REG_1, BPF_REG_0, 0));
            emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_1, -16));
            map_delete(p, sc->creators_fd, -4);
            here(p, L_CREATOR_DONE);
        }
        emit(p, LDX(BPF_DW, BPF_REG_8, BPF_REG_10, -24));
        jump(p, JMP_IMM(BPF_JLT, BPF_REG_8, GPUOS_SC_FIRST_SHARED, 0), L_ROW_OK);
        emit(p, MOV64_IMM(BPF_REG_8, GPUOS_SC_OVERFLOW));
        if (sc->have_k) {
            /* Rows ran out (a thread per op, say): threads of one creator share a row, so each keeps the class its
             * creator passes on; a creator in a shared row shares it; with none left, the creator's own row. */
            map_lookup(p, sc->slots_fd, -16);
            jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_ROW_OK);
            emit(p, LDX(BPF_W, BPF_REG_8, BPF_REG_0, 0));              /* the creator's row */
            jump(p, JMP_IMM(BPF_JGE, BPF_REG_8, GPUOS_SC_FIRST_SHARED, 0), L_ROW_OK);
            emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_8, -32));
            map_lookup(p, sc->shared_fd, -32);
            jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_NEW_SHARED);
            emit(p, LDX(BPF_W, BPF_REG_8, BPF_REG_0, 0));
            jump(p, JA(0), L_ROW_OK);
            here(p, L_NEW_SHARED);
            emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_CTRL + 32));
            emit(p, MOV64_IMM(BPF_REG_2, 1));
            emit(p, ATOMIC_FETCH_ADD64(BPF_REG_1, BPF_REG_2, 0));
            jump(p, JMP_IMM(BPF_JGE, BPF_REG_2, GPUOS_SC_OVERFLOW - GPUOS_SC_FIRST_SHARED, 0), L_ROW_OK);
            emit(p, MOV64_REG(BPF_REG_8, BPF_REG_2));
            emit(p, ALU64_IMM(BPF_ADD, BPF_REG_8, GPUOS_SC_FIRST_SHARED));
            emit(p, STX(BPF_DW, BPF_REG_10, BPF_REG_8, -24));          /* a new row: its info is recorded below */
            emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_8, -8));
            map_update(p, sc->shared_fd, -32, -8);
        }
        here(p, L_ROW_OK);
        emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_8, -8));
        map_update(p, sc->slots_fd, -4, -8);
        /* A new row (of its own, shared, or the overflow row's first thread) records the tid and creator in its info. */
        emit(p, LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -24));
        jump(p, JMP_REG(BPF_JNE, BPF_REG_1, BPF_REG_8, 0), L_CACHE);
        emit(p, MOV64_REG(BPF_REG_1, BPF_REG_8));
        jump(p, JMP_IMM(BPF_JGT, BPF_REG_1, GPUOS_SC_SLOTS - 1, 0), L_OUT);
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_1, 5));
        emit2(p, LD_MAP_VALUE(BPF_REG_2, region, GPUOS_SC_OFF_INFO));
        emit(p, ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1));
        emit(p, STX(BPF_W, BPF_REG_2, BPF_REG_7, 0));
        emit(p, ST_IMM(BPF_W, BPF_REG_2, 4, -1));                 /* force a comm refresh below */
        emit(p, LDX(BPF_W, BPF_REG_1, BPF_REG_10, -16));
        emit(p, STX(BPF_W, BPF_REG_2, BPF_REG_1, 24));

        here(p, L_CACHE);
        emit(p, MOV64_REG(BPF_REG_1, BPF_REG_7));
        emit(p, ALU64_IMM(BPF_AND, BPF_REG_1, GPUOS_SC_TIDCACHE - 1));
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_1, 3));
        emit2(p, LD_MAP_VALUE(BPF_REG_2, region, GPUOS_SC_OFF_TIDCACHE));
        emit(p, ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1));
        emit(p, MOV64_REG(BPF_REG_3, BPF_REG_8));
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_3, 32));
        emit(p, MOV32_REG(BPF_REG_4, BPF_REG_7));
        emit(p, ALU64_REG(BPF_OR, BPF_REG_3, BPF_REG_4));
        emit(p, STX(BPF_DW, BPF_REG_2, BPF_REG_3, 0));
    }

    here(p, L_HAVE_ROW);
    jump(p, JMP_IMM(BPF_JGT, BPF_REG_8, GPUOS_SC_SLOTS - 1, 0), L_OUT);
    jump(p, JMP_IMM(BPF_JGT, BPF_REG_9, GPUOS_SC_TOTAL_COL - 1, 0), L_OUT);

    if (mode == GPUOS_SC_MODE_THREADS) {
        /* Thread names change after start (the JVM names its threads): refresh the row's comm once per
         * generation, which user space bumps at each iteration boundary. */
        emit(p, MOV64_REG(BPF_REG_1, BPF_REG_8));
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_1, 5));
        emit2(p, LD_MAP_VALUE(BPF_REG_2, region, GPUOS_SC_OFF_INFO));
        emit(p, ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_1));
        emit2(p, LD_MAP_VALUE(BPF_REG_3, region, GPUOS_SC_OFF_CTRL + 8));
        emit(p, LDX(BPF_W, BPF_REG_3, BPF_REG_3, 0));
        emit(p, LDX(BPF_W, BPF_REG_4, BPF_REG_2, 4));
        jump(p, JMP_REG(BPF_JEQ, BPF_REG_3, BPF_REG_4, 0), L_COMM_OK);
        emit(p, STX(BPF_W, BPF_REG_2, BPF_REG_3, 4));
        emit(p, MOV64_REG(BPF_REG_1, BPF_REG_2));
        emit(p, ALU64_IMM(BPF_ADD, BPF_REG_1, 8));
        emit(p, MOV64_IMM(BPF_REG_2, 16));
        emit(p, CALL(BPF_FUNC_get_current_comm));
        here(p, L_COMM_OK);
    }

    here(p, L_COUNT);
    emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_COUNTS));
    emit(p, MOV64_REG(BPF_REG_2, BPF_REG_8));
    emit(p, ALU64_IMM(BPF_LSH, BPF_REG_2, 12));                    /* row * 512 * 8 */
    emit(p, ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2));
    emit(p, MOV64_IMM(BPF_REG_4, 1));
    emit(p, ATOMIC_ADD64(BPF_REG_1, BPF_REG_4, GPUOS_SC_TOTAL_COL * 8));
    emit(p, MOV64_REG(BPF_REG_3, BPF_REG_9));
    emit(p, ALU64_IMM(BPF_LSH, BPF_REG_3, 3));
    emit(p, ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_3));
    emit(p, ATOMIC_ADD64(BPF_REG_1, BPF_REG_4, 0));

    /* ioctl: histogram by the device the fd names at this call (a slot per device number, 0 for none). */
    jump(p, JMP_IMM(BPF_JNE, BPF_REG_9, __NR_ioctl, 0), L_OUT);
    emit(p, ST_IMM(BPF_DW, BPF_REG_10, -24, 0));                   /* rdev */
    if (sc->have_k) {
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_6, 0));
        read_kernel(p, -16, 8, 112);                               /* fd = regs->di */
        emit(p, CALL(BPF_FUNC_get_current_task));
        emit(p, MOV64_REG(BPF_REG_3, BPF_REG_0));
        read_kernel(p, -32, 8, sc->k[GPUOS_SC_K_TASK_FILES]);      /* files */
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_10, -32));
        read_kernel(p, -32, 8, sc->k[GPUOS_SC_K_FILES_FDT]);       /* fdt */
        emit(p, LDX(BPF_DW, BPF_REG_7, BPF_REG_10, -32));
        emit(p, ST_IMM(BPF_DW, BPF_REG_10, -32, 0));
        emit(p, MOV64_REG(BPF_REG_3, BPF_REG_7));
        read_kernel(p, -32, 4, sc->k[GPUOS_SC_K_FDT_MAX_FDS]);     /* max_fds */
        emit(p, LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -32));
        emit(p, LDX(BPF_DW, BPF_REG_2, BPF_REG_10, -16));
        jump(p, JMP_REG(BPF_JGE, BPF_REG_2, BPF_REG_1, 0), L_DEV);  /* no such fd */
        emit(p, MOV64_REG(BPF_REG_3, BPF_REG_7));
        read_kernel(p, -32, 8, sc->k[GPUOS_SC_K_FDT_FD]);          /* fd array */
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_10, -32));
        emit(p, LDX(BPF_DW, BPF_REG_2, BPF_REG_10, -16));
        emit(p, ALU64_IMM(BPF_LSH, BPF_REG_2, 3));
        emit(p, ALU64_REG(BPF_ADD, BPF_REG_3, BPF_REG_2));
        read_kernel(p, -32, 8, 0);                                 /* struct file *, 0 if closed */
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_10, -32));
        read_kernel(p, -32, 8, sc->k[GPUOS_SC_K_FILE_INODE]);      /* inode */
        emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_10, -32));
        read_kernel(p, -24, 4, sc->k[GPUOS_SC_K_INODE_RDEV]);      /* i_rdev: 0 unless a device file */
    }
    here(p, L_DEV);
    emit(p, LDX(BPF_DW, BPF_REG_1, BPF_REG_10, -24));
    emit(p, MOV64_IMM(BPF_REG_9, GPUOS_SC_DEV_NONE));              /* r9 = device slot from here on */
    jump(p, JMP_IMM(BPF_JEQ, BPF_REG_1, 0, 0), L_SLOT);
    map_lookup(p, sc->devslots_fd, -24);
    jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_NEW_DEV);
    emit(p, LDX(BPF_W, BPF_REG_9, BPF_REG_0, 0));
    jump(p, JA(0), L_SLOT);
    here(p, L_NEW_DEV);
    /* A device seen for the first time takes the next slot and is named in the region for user space. */
    emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_CTRL + 24));
    emit(p, MOV64_IMM(BPF_REG_9, 1));
    emit(p, ATOMIC_FETCH_ADD64(BPF_REG_1, BPF_REG_9, 0));
    emit(p, ALU64_IMM(BPF_ADD, BPF_REG_9, 1));
    jump(p, JMP_IMM(BPF_JLT, BPF_REG_9, GPUOS_SC_DEV_MORE, 0), L_DEV_OK);
    emit(p, MOV64_IMM(BPF_REG_9, GPUOS_SC_DEV_MORE));
    jump(p, JA(0), L_SLOT);
    here(p, L_DEV_OK);
    emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_DEVS));
    emit(p, MOV64_REG(BPF_REG_2, BPF_REG_9));
    emit(p, ALU64_IMM(BPF_LSH, BPF_REG_2, 3));
    emit(p, ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2));
    emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_10, -24));
    emit(p, STX(BPF_DW, BPF_REG_1, BPF_REG_3, 0));
    emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_9, -28));
    map_update(p, sc->devslots_fd, -24, -28);
    here(p, L_SLOT);
    jump(p, JMP_IMM(BPF_JGT, BPF_REG_9, GPUOS_SC_IOCTL_DEVS - 1, 0), L_OUT);
    emit(p, MOV64_REG(BPF_REG_2, BPF_REG_8));
    emit(p, ALU64_IMM(BPF_LSH, BPF_REG_2, 6));                     /* row * 64 */
    emit(p, ALU64_REG(BPF_ADD, BPF_REG_2, BPF_REG_9));
    emit(p, ALU64_IMM(BPF_LSH, BPF_REG_2, 3));
    emit2(p, LD_MAP_VALUE(BPF_REG_1, region, GPUOS_SC_OFF_IOCTL));
    emit(p, ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2));
    emit(p, MOV64_IMM(BPF_REG_4, 1));
    emit(p, ATOMIC_ADD64(BPF_REG_1, BPF_REG_4, 0));

    here(p, L_OUT);
    emit(p, MOV64_IMM(BPF_REG_0, 0));
    emit(p, EXIT());
    patch(p);
}

/* sched_process_fork tracepoint: a child of a tracked process is tracked too (threads add their tid,
 * which is harmless: the key is never another process's tgid while the thread lives). */
static void build_fork_follow(struct prog *p, const struct gpuos_sc *sc, int child_pid_offset) {
    emit(p, MOV64_REG(BPF_REG_6, BPF_REG_1));
    emit(p, CALL(BPF_FUNC_get_current_pid_tgid));
    emit(p, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
    emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_0, -4));
    map_lookup(p, sc->tracked_fd, -4);
    jump(p, JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_OUT);
    emit(p, LDX(BPF_W, BPF_REG_1, BPF_REG_6, child_pid_offset));
    emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_1, -8));
    emit(p, ST_IMM(BPF_W, BPF_REG_10, -12, 1));
    map_update(p, sc->tracked_fd, -8, -12);
    here(p, L_OUT);
    emit(p, MOV64_IMM(BPF_REG_0, 0));
    emit(p, EXIT());
    patch(p);
}

/* Raw tracepoint sched_process_fork (THREADS mode): the creating thread of each new thread of the process,
 * kept until the new thread's first syscall takes its row. */
static void build_creator_hook(struct prog *p, const struct gpuos_sc *sc, int tgid) {
    emit(p, MOV64_REG(BPF_REG_6, BPF_REG_1));
    emit(p, CALL(BPF_FUNC_get_current_pid_tgid));
    emit(p, MOV64_REG(BPF_REG_7, BPF_REG_0));
    emit(p, ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
    jump(p, JMP_IMM(BPF_JNE, BPF_REG_0, tgid, 0), L_OUT);
    emit(p, ST_IMM(BPF_DW, BPF_REG_10, -8, 0));
    emit(p, LDX(BPF_DW, BPF_REG_3, BPF_REG_6, 8));                /* the child task */
    read_kernel(p, -8, 4, sc->k[GPUOS_SC_K_TASK_PID]);             /* its tid */
    emit(p, STX(BPF_W, BPF_REG_10, BPF_REG_7, -12));               /* the creator's tid */
    map_update(p, sc->creators_fd, -8, -12);
    here(p, L_OUT);
    emit(p, MOV64_IMM(BPF_REG_0, 0));
    emit(p, EXIT());
    patch(p);
}

static int raw_tracepoint_open(const char *name, int prog_fd) {
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.raw_tracepoint.name = (unsigned long)name;
    a.raw_tracepoint.prog_fd = prog_fd;
    return (int)sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
}

long gpuos_sc_region_size(void) { return GPUOS_SC_REGION; }

int gpuos_sc_layout(int what) {
    switch (what) {
    case 0: return GPUOS_SC_NR;
    case 1: return GPUOS_SC_SLOTS;
    case 2: return GPUOS_SC_IOCTL_DEVS;
    case 3: return GPUOS_SC_OFF_IOCTL;
    case 4: return GPUOS_SC_OFF_INFO;
    case 5: return GPUOS_SC_OFF_CTRL;
    case 6: return GPUOS_SC_INFO_BYTES;
    case 7: return GPUOS_SC_OFF_DEVS;
    case 8: return GPUOS_SC_K_COUNT;
    case 9: return GPUOS_SC_FIRST_SHARED;
    default: return -1;
    }
}

void *gpuos_sc_region(gpuos_sc *sc) { return sc->region; }

int gpuos_sc_track(gpuos_sc *sc, int pid) {
    uint32_t key = (uint32_t)pid, one = 1;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_fd = sc->tracked_fd; a.key = (unsigned long)&key; a.value = (unsigned long)&one; a.flags = BPF_ANY;
    return sys_bpf(BPF_MAP_UPDATE_ELEM, &a) < 0 ? -errno : 0;
}

void gpuos_sc_close(gpuos_sc *sc) {
    if (!sc) return;
    if (sc->fork_perf_fd >= 0) close(sc->fork_perf_fd);
    if (sc->fork_link_fd >= 0) close(sc->fork_link_fd);
    if (sc->link_fd >= 0) close(sc->link_fd);
    if (sc->fork_prog_fd >= 0) close(sc->fork_prog_fd);
    if (sc->prog_fd >= 0) close(sc->prog_fd);
    if (sc->region && sc->region != MAP_FAILED) munmap(sc->region, GPUOS_SC_REGION);
    if (sc->map_fd >= 0) close(sc->map_fd);
    if (sc->slots_fd >= 0) close(sc->slots_fd);
    if (sc->tracked_fd >= 0) close(sc->tracked_fd);
    if (sc->creators_fd >= 0) close(sc->creators_fd);
    if (sc->shared_fd >= 0) close(sc->shared_fd);
    if (sc->devslots_fd >= 0) close(sc->devslots_fd);
    free(sc);
}

static int fail(gpuos_sc *sc, char *log, int log_len, const char *what) {
    int err = errno ? errno : EINVAL;
    say(log, log_len, what, err);
    gpuos_sc_close(sc);
    return -err;
}

int gpuos_sc_open(gpuos_sc **out, int mode, int tgid, int mark_fd,
                  int fork_tp_id, int fork_child_pid_offset, const int *kernel_offsets, char *log, int log_len) {
    *out = NULL;
    if (log && log_len > 0) log[0] = 0;
    gpuos_sc *sc = calloc(1, sizeof *sc);
    if (!sc) return -ENOMEM;
    sc->map_fd = sc->slots_fd = sc->tracked_fd = sc->creators_fd = sc->shared_fd = sc->devslots_fd = -1;
    sc->prog_fd = sc->link_fd = sc->fork_prog_fd = sc->fork_perf_fd = sc->fork_link_fd = -1;
    sc->have_k = kernel_offsets != NULL;
    for (int i = 0; i < GPUOS_SC_K_COUNT; i++) {
        sc->k[i] = kernel_offsets ? kernel_offsets[i] : -1;
        if (sc->k[i] < 0) sc->have_k = 0;
    }

    errno = 0;
    sc->map_fd = map_create(BPF_MAP_TYPE_ARRAY, 4, GPUOS_SC_REGION, 1, BPF_F_MMAPABLE, "gpuos_counts");
    if (sc->map_fd < 0) return fail(sc, log, log_len, "bpf map create (needs root or CAP_BPF+CAP_PERFMON)");
    sc->region = mmap(NULL, GPUOS_SC_REGION, PROT_READ | PROT_WRITE, MAP_SHARED, sc->map_fd, 0);
    if (sc->region == MAP_FAILED) return fail(sc, log, log_len, "mmap of the counter map");
    if (mode == GPUOS_SC_MODE_THREADS) {
        sc->slots_fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 65536, 0, "gpuos_tid_row");
        if (sc->slots_fd < 0) return fail(sc, log, log_len, "bpf map create (tid rows)");
        sc->creators_fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 65536, 0, "gpuos_creators");
        if (sc->creators_fd < 0) return fail(sc, log, log_len, "bpf map create (creators)");
        sc->shared_fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, GPUOS_SC_SLOTS, 0, "gpuos_shared");
        if (sc->shared_fd < 0) return fail(sc, log, log_len, "bpf map create (shared rows)");
    } else {
        sc->tracked_fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, 65536, 0, "gpuos_tracked");
        if (sc->tracked_fd < 0) return fail(sc, log, log_len, "bpf map create (tracked set)");
    }
    sc->devslots_fd = map_create(BPF_MAP_TYPE_HASH, 4, 4, GPUOS_SC_IOCTL_DEVS, 0, "gpuos_dev_slot");
    if (sc->devslots_fd < 0) return fail(sc, log, log_len, "bpf map create (device slots)");

    struct prog p;
    memset(&p, 0, sizeof p);
    build_sys_enter(&p, sc, mode, tgid, mark_fd);
    sc->prog_fd = prog_load(&p, BPF_PROG_TYPE_RAW_TRACEPOINT, "gpuos_sys_enter", log, log_len);
    if (sc->prog_fd < 0) return fail(sc, log, log_len, "bpf program load");

    if (mode == GPUOS_SC_MODE_PHASES) {
        struct prog f;
        memset(&f, 0, sizeof f);
        build_fork_follow(&f, sc, fork_child_pid_offset);
        sc->fork_prog_fd = prog_load(&f, BPF_PROG_TYPE_TRACEPOINT, "gpuos_fork", log, log_len);
        if (sc->fork_prog_fd < 0) return fail(sc, log, log_len, "bpf fork-follow program load");
        struct perf_event_attr pa;
        memset(&pa, 0, sizeof pa);
        pa.type = PERF_TYPE_TRACEPOINT; pa.size = sizeof pa; pa.config = (unsigned)fork_tp_id;
        pa.sample_period = 1; pa.wakeup_events = 1;
        /* One event on CPU 0 is enough: a tracepoint runs its attached BPF program on every CPU. */
        sc->fork_perf_fd = (int)syscall(__NR_perf_event_open, &pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
        if (sc->fork_perf_fd < 0) return fail(sc, log, log_len, "perf_event_open(sched_process_fork)");
        if (ioctl(sc->fork_perf_fd, PERF_EVENT_IOC_SET_BPF, sc->fork_prog_fd) < 0)
            return fail(sc, log, log_len, "attach fork-follow program");
        if (ioctl(sc->fork_perf_fd, PERF_EVENT_IOC_ENABLE, 0) < 0) return fail(sc, log, log_len, "enable fork tracepoint");
    }

    if (mode == GPUOS_SC_MODE_THREADS && sc->have_k) {
        struct prog f;
        memset(&f, 0, sizeof f);
        build_creator_hook(&f, sc, tgid);
        sc->fork_prog_fd = prog_load(&f, BPF_PROG_TYPE_RAW_TRACEPOINT, "gpuos_creator", log, log_len);
        if (sc->fork_prog_fd < 0) return fail(sc, log, log_len, "bpf creator program load");
        /* Before sys_enter: a thread started in between would have no creator. */
        sc->fork_link_fd = raw_tracepoint_open("sched_process_fork", sc->fork_prog_fd);
        if (sc->fork_link_fd < 0) return fail(sc, log, log_len, "attach to raw tracepoint sched_process_fork");
    }

    sc->link_fd = raw_tracepoint_open("sys_enter", sc->prog_fd);
    if (sc->link_fd < 0) return fail(sc, log, log_len, "attach to raw tracepoint sys_enter");
    *out = sc;
    return 0;
}
