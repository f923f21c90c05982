/* gpujob-bench: what one GPU job of T costs the host, per way of waiting for it (docs/gpu-job.md, "Benchmark").
 * Work: spin_kernel (natives/src/main/cuda/spin_kernel.cu: one thread busy-waits T of %globaltimer). One op = one
 * launch/submit + one wait. Modes:
 *   driver-spin       cuLaunchKernel + cuCtxSynchronize in a CU_CTX_SCHED_SPIN context (no gpujob)
 *   driver-blocking   the same in a CU_CTX_SCHED_BLOCKING_SYNC context (no gpujob)
 *   driver-sleep      the floor of any wait that sleeps once: cuLaunchKernel, one clock_nanosleep past the end
 *                     (T + 30 us, timer slack 1 ns), then cuCtxSynchronize finds the work done (spin context)
 *   job-spin, job-blocking, job-fd, job-predict   a gpujob job (captured graph) and gj_wait in that mode
 * Per op: wall us (mean, p50, p99; CLOCK_MONOTONIC around each op), process CPU us (CLOCK_PROCESS_CPUTIME_ID over
 * the batch: all threads, the driver's and ours), syscalls (the project's eBPF counter, syscount.h, read from its
 * mmap'd map without a syscall; needs root or CAP_BPF+CAP_PERFMON, else null), voluntary/involuntary context
 * switches (getrusage RUSAGE_SELF), and for jobs the library's own syscalls and early/late wakes. Also gj_submit's
 * cost without waiting (ns per call, against cuLaunchKernel of the same kernel).
 *
 *   gpujob-bench PTX_DIR [--us 1,10,100,1000,10000] [--seconds S] [--max-ops N] [--json FILE]
 *                        [--modes driver-spin,...,job-predict] [--margin-us M]
 * Ops per (T, mode): S seconds of work (default 2) / T, between 200 and max-ops (default 5000), after 10% warm-up.
 * --margin-us sets gj_job_attr.margin_ns of the jobs (default: the library's); jobs also report, per op, the time
 * polled after waking early and the time asleep (gj_stats), which split their CPU. */
#define _GNU_SOURCE
#include "../test/cuda_util.h"
#include "gpujob.h"
#include "syscount.h"
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum mode { DRIVER_SPIN, DRIVER_BLOCKING, DRIVER_SLEEP, JOB_SPIN, JOB_BLOCKING, JOB_FD, JOB_PREDICT, MODES };
static const char *mode_names[MODES] = {"driver-spin", "driver-blocking", "driver-sleep", "job-spin", "job-blocking", "job-fd", "job-predict"};
static int is_driver(enum mode m) { return m == DRIVER_SPIN || m == DRIVER_BLOCKING || m == DRIVER_SLEEP; }

static gpuos_sc *counter;
static const char *counter_problem = "";

static uint64_t syscalls_now(void)
{
    if (!counter)
        return 0;
    const uint64_t *counts = (const uint64_t *)((const char *)gpuos_sc_region(counter) + GPUOS_SC_OFF_COUNTS);
    uint64_t total = 0;
    for (int row = 0; row < GPUOS_SC_SLOTS; row++)
        total += __atomic_load_n(&counts[(size_t)row * GPUOS_SC_NR + GPUOS_SC_TOTAL_COL], __ATOMIC_RELAXED);
    return total;
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static double process_cpu_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* a syscall (not in the vDSO): once per batch end */
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

typedef struct result {
    enum mode mode;
    double t_us;
    int ops;
    double mean_us, p50_us, p99_us, cpu_us, syscalls, vcsw, ivcsw;
    double lib_syscalls, early, late, poll_us, sleep_us; /* jobs only */
    double margin_us;
} result;

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void die_cuda(CUresult r, const char *what)
{
    fprintf(stderr, "gpujob-bench: %s: %s (%d)\n", what, cuda_error_name(r), r);
    exit(1);
}

static void die_gj(int r, const char *what)
{
    fprintf(stderr, "gpujob-bench: %s: %s\n", what, gj_strerror(r));
    exit(1);
}

/* One op of mode on (driver function / job). */
static void one_op(enum mode mode, CUfunction fn, unsigned long long nanos, gj_job *job)
{
    if (is_driver(mode)) {
        void *params[] = {&nanos};
        CUresult r = cud.LaunchKernel(fn, 1, 1, 1, 1, 1, 1, 0, NULL, params, NULL);
        if (!r && mode == DRIVER_SLEEP) {
            uint64_t past_end = nanos + 30000;
            struct timespec t = {(time_t)(past_end / 1000000000u), (long)(past_end % 1000000000u)};
            clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL);
        }
        if (r || (r = cud.CtxSynchronize()))
            die_cuda(r, "launch + cuCtxSynchronize");
        return;
    }
    static const gj_wait_mode waits[MODES] = {[JOB_SPIN] = GJ_WAIT_SPIN, [JOB_BLOCKING] = GJ_WAIT_BLOCKING,
                                              [JOB_FD] = GJ_WAIT_FD, [JOB_PREDICT] = GJ_WAIT_PREDICT};
    int r = gj_submit(job);
    if (r || (r = gj_wait(job, waits[mode])))
        die_gj(r, "gj_submit + gj_wait");
}

static result run(enum mode mode, double t_us, const char *spin_ptx, double seconds, int max_ops, double margin_us)
{
    result res = {.mode = mode, .t_us = t_us, .margin_us = margin_us};
    unsigned long long nanos = (unsigned long long)(t_us * 1000);
    int ops = (int)(seconds * 1e6 / t_us);
    ops = ops < 200 ? 200 : ops > max_ops ? max_ops : ops;
    res.ops = ops;
    CUcontext ctx = NULL;
    gj_backend *backend = NULL;
    gj_job *job = NULL;
    CUmodule module;
    CUfunction fn;
    spin_work work;
    CUdevice dev;
    cud.DeviceGet(&dev, 0);
    if (is_driver(mode)) {
        if (mode == DRIVER_SLEEP)
            prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
        CUresult r = cud.CtxCreate(&ctx, mode == DRIVER_BLOCKING ? CU_CTX_SCHED_BLOCKING_SYNC : CU_CTX_SCHED_SPIN, dev);
        if (r)
            die_cuda(r, "cuCtxCreate");
        fn = load_kernel(ctx, spin_ptx, "spin_kernel", &module); /* cuCtxCreate made ctx current; it stays so */
    } else {
        int r = gj_backend_open(&backend, GJ_BACKEND_CUDA, 0, 0);
        if (r)
            die_gj(r, "gj_backend_open");
        fn = load_kernel(gj_backend_context(backend), spin_ptx, "spin_kernel", &module);
        work = (spin_work){fn, nanos};
        if ((r = gj_job_create(backend, &(gj_job_attr){.flags = mode == JOB_FD ? GJ_JOB_FD : 0, .margin_ns = (uint32_t)(margin_us * 1000)}, &job)) ||
            (r = gj_record(job, launch_spin, &work)))
            die_gj(r, "job create/record");
    }
    for (int i = 0; i < ops / 10 + 5; i++)
        one_op(mode, fn, nanos, job);

    uint64_t *took = malloc(sizeof *took * (size_t)ops);
    gj_stats before = job ? *gj_stats_of(job) : (gj_stats){0};
    struct rusage u0, u1;
    double cpu0 = process_cpu_us();
    getrusage(RUSAGE_SELF, &u0);
    uint64_t sys0 = syscalls_now();
    for (int i = 0; i < ops; i++) {
        uint64_t start = now_ns();
        one_op(mode, fn, nanos, job);
        took[i] = now_ns() - start;
    }
    uint64_t sys1 = syscalls_now();
    getrusage(RUSAGE_SELF, &u1);
    double cpu1 = process_cpu_us();
    res.syscalls = counter ? (double)(sys1 - sys0) / ops : NAN; /* no call of ours between the two reads */
    res.cpu_us = (cpu1 - cpu0) / ops;
    res.vcsw = (double)(u1.ru_nvcsw - u0.ru_nvcsw) / ops;
    res.ivcsw = (double)(u1.ru_nivcsw - u0.ru_nivcsw) / ops;
    double sum = 0;
    for (int i = 0; i < ops; i++)
        sum += (double)took[i];
    qsort(took, (size_t)ops, sizeof *took, compare_u64);
    res.mean_us = sum / ops / 1e3;
    res.p50_us = (double)took[ops / 2] / 1e3;
    res.p99_us = (double)took[(int)(ops * 0.99)] / 1e3;
    free(took);
    if (job) {
        const gj_stats *s = gj_stats_of(job);
        res.lib_syscalls = (double)(s->lib_syscalls - before.lib_syscalls) / ops;
        res.early = (double)(s->wakes_early - before.wakes_early);
        res.late = (double)(s->wakes_late - before.wakes_late);
        res.poll_us = (double)(s->wait_poll_ns_total - before.wait_poll_ns_total) / ops / 1e3;
        res.sleep_us = (double)(s->wait_sleep_ns_total - before.wait_sleep_ns_total) / ops / 1e3;
        gj_job_destroy(job);
        cud.ModuleUnload(module);
        gj_backend_close(backend);
    } else {
        cud.ModuleUnload(module);
        cud.CtxDestroy(ctx); /* current: destroying pops it */
    }
    return res;
}

/* gj_submit alone (the wait is outside the timed part), folded (the job's events and completion-word increment are
 * nodes of its graph: one cuGraphLaunch per submission) and unfolded (GPUJOB_CUDA_FOLD=0: start event, cuGraphLaunch,
 * end event, cuStreamWriteValue32), against cuLaunchKernel of the same 1 us kernel and against cuGraphLaunch of a graph
 * captured from that launch: what gj_submit replaces, so gj_submit minus it is the library's own cost per submission
 * (bookkeeping, context check, and unfolded its extra driver calls). */
static double gj_submit_ns(const char *spin_ptx, int fold, int n)
{
    gj_backend *backend;
    gj_job *job;
    CUmodule module;
    if (!fold)
        setenv("GPUJOB_CUDA_FOLD", "0", 1); /* read at the backend's first record */
    int r = gj_backend_open(&backend, GJ_BACKEND_CUDA, 0, 0);
    if (r)
        die_gj(r, "gj_backend_open");
    CUfunction fn = load_kernel(gj_backend_context(backend), spin_ptx, "spin_kernel", &module);
    spin_work work = {fn, 1000};
    if ((r = gj_job_create(backend, NULL, &job)) || (r = gj_record(job, launch_spin, &work)))
        die_gj(r, "job create/record");
    unsetenv("GPUJOB_CUDA_FOLD");
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        uint64_t start = now_ns();
        gj_submit(job);
        total += now_ns() - start;
        gj_wait(job, GJ_WAIT_SPIN);
    }
    const gj_stats *s = gj_stats_of(job);
    printf("gj_submit %s: %.2f driver calls per submission\n", fold ? "folded" : "unfolded",
           (double)s->submit_driver_calls / (double)s->submissions);
    CUcontext ctx = gj_backend_context(backend), popped;
    cud.CtxPushCurrent(ctx);
    cud.ModuleUnload(module);
    cud.CtxPopCurrent(&popped);
    gj_job_destroy(job);
    gj_backend_close(backend);
    return (double)total / n;
}

static void submit_cost(const char *spin_ptx, double *submit_ns, double *unfolded_ns, double *launch_ns, double *graph_ns)
{
    const int n = 20000;
    *submit_ns = gj_submit_ns(spin_ptx, 1, n);
    *unfolded_ns = gj_submit_ns(spin_ptx, 0, n);
    gj_backend *backend; /* only for a context like the jobs' */
    CUmodule module;
    int r = gj_backend_open(&backend, GJ_BACKEND_CUDA, 0, 0);
    if (r)
        die_gj(r, "gj_backend_open");
    CUcontext ctx = gj_backend_context(backend), popped;
    CUfunction fn = load_kernel(ctx, spin_ptx, "spin_kernel", &module);
    spin_work work = {fn, 1000};
    cud.CtxPushCurrent(ctx);
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        void *params[] = {&work.nanos};
        uint64_t start = now_ns();
        cud.LaunchKernel(fn, 1, 1, 1, 1, 1, 1, 0, NULL, params, NULL);
        total += now_ns() - start;
        cud.CtxSynchronize();
    }
    *launch_ns = (double)total / n;
    /* The same launch captured into a graph on a non-blocking stream, as the library captures it. */
    CUstream stream = NULL;
    CUgraph graph = NULL;
    CUgraphExec exec = NULL;
    CUresult cr = cud.StreamCreate(&stream, 0x1 /* CU_STREAM_NON_BLOCKING */);
    if (!cr && !(cr = cud.StreamBeginCapture(stream, 1 /* CU_STREAM_CAPTURE_MODE_THREAD_LOCAL */))) {
        launch_spin(NULL, stream, &work);
        cr = cud.StreamEndCapture(stream, &graph);
    }
    if (!cr)
        cr = cud.GraphInstantiate(&exec, graph, 0);
    *graph_ns = NAN;
    if (!cr) {
        total = 0;
        for (int i = 0; i < n; i++) {
            uint64_t start = now_ns();
            cud.GraphLaunch(exec, stream);
            total += now_ns() - start;
            cud.StreamSynchronize(stream);
        }
        *graph_ns = (double)total / n;
    } else {
        fprintf(stderr, "gpujob-bench: graph baseline: %s (%d)\n", cuda_error_name(cr), cr);
    }
    if (exec)
        cud.GraphExecDestroy(exec);
    if (graph)
        cud.GraphDestroy(graph);
    if (stream)
        cud.StreamDestroy(stream);
    cud.ModuleUnload(module);
    cud.CtxPopCurrent(&popped);
    gj_backend_close(backend);
}

static void json_number(FILE *f, const char *name, double v, const char *sep)
{
    if (isnan(v))
        fprintf(f, "\"%s\":null%s", name, sep);
    else
        fprintf(f, "\"%s\":%.3f%s", name, v, sep);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gpujob-bench PTX_DIR [--us 1,10,100,1000,10000] [--seconds S] [--max-ops N] [--json FILE] "
                        "[--modes driver-spin,driver-blocking,driver-sleep,job-spin,job-blocking,job-fd,job-predict] [--margin-us M]\n");
        return 2;
    }
    char durations[256] = "1,10,100,1000,10000";
    double seconds = 2;
    int max_ops = 5000;
    const char *json = "gpujob-bench.json";
    int selected[MODES] = {1, 1, 1, 1, 1, 1, 1};
    double margin_us = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--us") && i + 1 < argc)
            snprintf(durations, sizeof durations, "%s", argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--max-ops") && i + 1 < argc)
            max_ops = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else if (!strcmp(argv[i], "--margin-us") && i + 1 < argc)
            margin_us = atof(argv[++i]);
        else if (!strcmp(argv[i], "--modes") && i + 1 < argc) {
            memset(selected, 0, sizeof selected);
            char list[256];
            snprintf(list, sizeof list, "%s", argv[++i]);
            for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int m = 0;
                while (m < MODES && strcmp(tok, mode_names[m]))
                    m++;
                if (m == MODES) {
                    fprintf(stderr, "gpujob-bench: unknown mode '%s' (one of driver-spin, driver-blocking, driver-sleep, "
                                    "job-spin, job-blocking, job-fd, job-predict)\n", tok);
                    return 2;
                }
                selected[m] = 1;
            }
        } else {
            fprintf(stderr, "gpujob-bench: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (seconds <= 0 || max_ops < 200 || margin_us < 0 || margin_us > 4e6) {
        fprintf(stderr, "gpujob-bench: --seconds > 0, --max-ops >= 200 and 0 <= --margin-us <= 4000000 please\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/spin_kernel.ptx", argv[1]);
    char *spin_ptx = read_text(path);
    cuda_util_load("gpujob-bench");

    char log[4096];
    if (gpuos_sc_open(&counter, GPUOS_SC_MODE_THREADS, getpid(), -1, 0, 0, NULL, log, sizeof log) < 0) {
        counter = NULL;
        counter_problem = "syscall counter unavailable (needs root or CAP_BPF+CAP_PERFMON): syscalls are null";
        fprintf(stderr, "gpujob-bench: %s: %.200s\n", counter_problem, log);
    }
    double submit_ns, unfolded_ns, launch_ns, graph_ns;
    submit_cost(spin_ptx, &submit_ns, &unfolded_ns, &launch_ns, &graph_ns);

    result results[64];
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(durations, ",", &save); tok && n + MODES <= 64; tok = strtok_r(NULL, ",", &save)) {
        double t_us = atof(tok);
        if (t_us <= 0) {
            fprintf(stderr, "gpujob-bench: bad duration '%s'\n", tok);
            return 2;
        }
        for (int m = 0; m < MODES; m++) {
            if (!selected[m])
                continue;
            results[n] = run((enum mode)m, t_us, spin_ptx, seconds, max_ops, margin_us);
            result *r = &results[n++];
            printf("T=%8.0f us %-16s ops=%5d wall mean %9.1f p50 %9.1f p99 %9.1f us | cpu %8.1f us | syscalls %6.2f | "
                   "vcsw %5.2f ivcsw %5.2f", r->t_us, mode_names[m], r->ops, r->mean_us, r->p50_us, r->p99_us, r->cpu_us,
                   r->syscalls, r->vcsw, r->ivcsw);
            if (m >= JOB_SPIN)
                printf(" | lib syscalls %4.2f early %4.0f late %4.0f | polled %6.1f asleep %8.1f us", r->lib_syscalls, r->early,
                       r->late, r->poll_us, r->sleep_us);
            printf("\n");
            fflush(stdout);
        }
    }
    printf("gj_submit: %.0f ns per call (unfolded: %.0f ns); cuLaunchKernel of the same kernel: %.0f ns; cuGraphLaunch of it"
           " captured: %.0f ns; library's own cost (gj_submit - cuGraphLaunch): %.0f ns (unfolded: %.0f ns)\n", submit_ns,
           unfolded_ns, launch_ns, graph_ns, submit_ns - graph_ns, unfolded_ns - graph_ns);

    FILE *f = fopen(json, "w");
    if (!f) {
        perror(json);
        return 1;
    }
    fprintf(f, "{\"benchmark\":\"gpujob-bench\",\"work\":\"spin_kernel, 1 thread\",\"syscall_counter\":%s,",
            counter ? "\"ebpf\"" : "null");
    json_number(f, "submit_ns", submit_ns, ",");
    json_number(f, "submit_unfolded_ns", unfolded_ns, ",");
    json_number(f, "launch_ns", launch_ns, ",");
    json_number(f, "graph_launch_ns", graph_ns, ",");
    fprintf(f, "\"results\":[");
    for (int i = 0; i < n; i++) {
        result *r = &results[i];
        fprintf(f, "%s{\"mode\":\"%s\",\"t_us\":%.3f,\"ops\":%d,", i ? "," : "", mode_names[r->mode], r->t_us, r->ops);
        fprintf(f, "\"wall_us\":{");
        json_number(f, "mean", r->mean_us, ",");
        json_number(f, "p50", r->p50_us, ",");
        json_number(f, "p99", r->p99_us, "},");
        json_number(f, "cpu_us_per_op", r->cpu_us, ",");
        json_number(f, "syscalls_per_op", r->syscalls, ",");
        json_number(f, "voluntary_ctxsw_per_op", r->vcsw, ",");
        json_number(f, "involuntary_ctxsw_per_op", r->ivcsw, r->mode >= JOB_SPIN ? "," : "}");
        if (r->mode >= JOB_SPIN) {
            json_number(f, "lib_syscalls_per_op", r->lib_syscalls, ",");
            json_number(f, "wakes_early", r->early, ",");
            json_number(f, "wakes_late", r->late, ",");
            json_number(f, "poll_us_per_op", r->poll_us, ",");
            json_number(f, "sleep_us_per_op", r->sleep_us, ",");
            json_number(f, "margin_us", r->margin_us, "}");
        }
    }
    fprintf(f, "]}\n");
    fclose(f);
    printf("gpujob-bench: wrote %s\n", json);
    if (counter)
        gpuos_sc_close(counter);
    return 0;
}
