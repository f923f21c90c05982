/* gpujob-test-cuda: gpujob's checks against the real CUDA backend, for a GPU node (scripts/bundle-run job).
 *   gpujob-test-cuda PTX_DIR     (PTX_DIR holds spin_kernel.ptx from natives/src/main/resources/gpuos/natives/ptx)
 * The run is under a 120 s alarm: a wait that hangs kills it (SIGALRM) instead of stalling the node. */
#define _GNU_SOURCE
#include "check.h"
#include "cuda_util.h"
#include <dirent.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A kernel that executes `trap`: the launch fails with a sticky error (CUDA_ERROR_LAUNCH_FAILED, 719). Checked
 * with ptxas -arch=sm_90. */
static const char trap_ptx[] = ".version 7.0\n.target sm_75\n.address_size 64\n\n"
                               ".visible .entry trap_kernel()\n{\n\ttrap;\n}\n";

/* A kernel that counts its launches in *counter and traps from launch `at` on: a fault in a later submission, one
 * that folded jobs do not time (checked with ptxas -arch=sm_90). */
static const char trap_at_ptx[] = ".version 7.0\n.target sm_75\n.address_size 64\n\n"
                                  ".visible .entry trap_at(.param .u64 counter, .param .u32 at)\n{\n"
                                  "\t.reg .b64 %rd<3>;\n\t.reg .b32 %r<3>;\n\t.reg .pred %p;\n"
                                  "\tld.param.u64 %rd1, [counter];\n\tcvta.to.global.u64 %rd2, %rd1;\n"
                                  "\tld.param.u32 %r1, [at];\n\tatom.global.add.u32 %r2, [%rd2], 1;\n"
                                  "\tsetp.lt.u32 %p, %r2, %r1;\n\t@%p bra DONE;\n\ttrap;\nDONE:\n\tret;\n}\n";

typedef struct trap_at_work { CUfunction fn; CUdeviceptr counter; unsigned at; } trap_at_work;

static int launch_trap_at(gj_job *job, void *stream, void *user)
{
    (void)job;
    trap_at_work *w = user;
    void *params[] = {&w->counter, &w->at};
    return cud.LaunchKernel(w->fn, 1, 1, 1, 1, 1, 1, 0, stream, params, NULL);
}

static char *spin_ptx;
static gj_backend *primary;
static CUfunction spin_fn;
static CUmodule spin_module;

static int launch_trap(gj_job *job, void *stream, void *user)
{
    (void)job;
    return cud.LaunchKernel(*(CUfunction *)user, 1, 1, 1, 1, 1, 1, 0, stream, NULL, NULL);
}

static int memset_arena(gj_job *job, void *stream, void *user)
{
    (void)user;
    return cud.MemsetD32Async(gj_arena(job), 0xC0FFEEu, 1024, stream);
}

static int fails(gj_job *job, void *stream, void *user)
{
    (void)job, (void)stream, (void)user;
    return 1;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static gj_job *spin_job(gj_backend *b, spin_work *w, uint32_t flags)
{
    gj_job *job = NULL;
    CHECK_ST(GJ_OK, gj_job_create(b, &(gj_job_attr){.arena_bytes = 4096, .flags = flags}, &job));
    if (job)
        CHECK_ST(GJ_OK, gj_record(job, launch_spin, w));
    return job;
}

static void backend_opens(void)
{
    char name[256] = "";
    CHECK_ST(GJ_OK, gj_backend_device_name(primary, name, sizeof name));
    CHECK(name[0] != '\0');
    CHECK(gj_backend_context(primary) != NULL);
    printf("     device 0: %s\n", name);
}

static void spin_job_in_every_mode(void)
{
    static const char *modes[] = {"spin", "blocking", "fd", "predict"};
    spin_work w = {spin_fn, 100000};
    gj_job *job = spin_job(primary, &w, GJ_JOB_FD);
    if (!job)
        return;
    CHECK_ST(GJ_OK, gj_submit(job));
    /* 100 us of GPU work: not done right after the submit. The CI's fake driver runs it on a host thread, and a
     * loaded 2-core machine once kept this thread off the CPU longer than that: there either answer is right. */
    int polled = gj_poll(job);
    if (getenv("FAKE_CUDA_KERNEL_US"))
        CHECK(polled == GJ_EAGAIN || polled == GJ_OK, "%s", gj_strerror(polled));
    else
        CHECK_ST(GJ_EAGAIN, polled);
    CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_BLOCKING));
    const int n = 50;
    for (int mode = GJ_WAIT_SPIN; mode <= GJ_WAIT_PREDICT; mode++) {
        double start = now_us();
        for (int i = 0; i < n; i++) {
            CHECK_ST(GJ_OK, gj_submit(job));
            CHECK_ST(GJ_OK, gj_wait(job, (gj_wait_mode)mode));
        }
        printf("     100 us spin job, %-8s %.1f us per submit+wait\n", modes[mode], (now_us() - start) / n);
    }
    const gj_stats *s = gj_stats_of(job);
    CHECK(s->completions == 4 * n + 1 && s->failures == 0, "%lu completions", (unsigned long)s->completions);
    CHECK(s->completion_by_word == 1, "stream memory ops work (cuStreamWriteValue32_v2)");
    /* Upper bounds hold on a GPU only: the CI's fake driver runs its "kernels" on a host thread, which a loaded
     * 2-core machine delayed to 7.5 ms once. */
    uint64_t upper = getenv("FAKE_CUDA_KERNEL_US") ? UINT64_MAX : 1000000;
    CHECK(s->gpu_ns_last >= 95000 && s->gpu_ns_last < upper, "GPU time of a 100 us kernel: %lu ns", (unsigned long)s->gpu_ns_last);
    CHECK(s->predicted_latency_ns >= 95000 && s->predicted_latency_ns < upper, "prediction %lu ns", (unsigned long)s->predicted_latency_ns);
    printf("     accounting: %lu early / %lu late wakes, %lu fd signals, %lu library syscalls, predicted %.1f us\n",
           (unsigned long)s->wakes_early, (unsigned long)s->wakes_late, (unsigned long)s->fd_signals,
           (unsigned long)s->lib_syscalls, s->predicted_latency_ns / 1e3);
    CHECK_ST(GJ_OK, gj_job_destroy(job));
}

/* A folded submission is one driver call (cuGraphLaunch: the job's events and completion-word increment are nodes of
 * its graphs), plus the done event once the job is waited on in BLOCKING mode; GPUJOB_CUDA_FOLD=0 gives the four-call
 * path (start event, launch, end event, word write). Both complete through the word and measure the GPU time. */
static double submissions_cost(gj_backend *b, uint64_t expected_calls)
{
    spin_work w = {spin_fn, 10000};
    gj_job *job = spin_job(b, &w, 0);
    if (!job)
        return 0;
    const int n = 200;
    double submit_us = 0;
    for (int i = 0; i < n; i++) {
        double start = now_us();
        CHECK_ST(GJ_OK, gj_submit(job));
        submit_us += now_us() - start;
        CHECK_ST(GJ_OK, gj_wait(job, i % 2 ? GJ_WAIT_SPIN : GJ_WAIT_PREDICT));
    }
    const gj_stats *s = gj_stats_of(job);
    CHECK(s->submit_driver_calls == expected_calls * n, "%lu driver calls for %d submissions, expected %lu each",
          (unsigned long)s->submit_driver_calls, n, (unsigned long)expected_calls);
    /* Folded: timed are the first 8 submissions and then one in GPUJOB_TIME_EVERY (16); unfolded: every one. */
    const char *every_env = getenv("GPUJOB_TIME_EVERY");
    int every = expected_calls == 1 ? (every_env ? atoi(every_env) : 16) : 1;
    uint64_t timed = 0;
    for (int i = 0; i < n; i++)
        timed += i < 8 || i % every == 0;
    CHECK(s->timed_completions == timed, "%lu timed completions of %d, expected %lu", (unsigned long)s->timed_completions, n,
          (unsigned long)timed);
    CHECK(s->completions == (uint64_t)n && s->completion_by_word == 1, "%lu completions", (unsigned long)s->completions);
    CHECK(s->gpu_ns_last >= 9500, "GPU time of a 10 us kernel: %lu ns", (unsigned long)s->gpu_ns_last);
    /* BLOCKING from now on: each submission also records the done event, and the wait still sees the end. */
    CHECK_ST(GJ_OK, gj_submit(job));
    CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_BLOCKING));
    uint64_t before = s->submit_driver_calls;
    CHECK_ST(GJ_OK, gj_submit(job));
    CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_BLOCKING));
    CHECK(s->submit_driver_calls - before == expected_calls + 1, "%lu calls for a BLOCKING-waited submission",
          (unsigned long)(s->submit_driver_calls - before));
    CHECK(s->completions == (uint64_t)n + 2 && s->failures == 0);
    CHECK_ST(GJ_OK, gj_job_destroy(job));
    return submit_us / n;
}

static void submission_is_one_driver_call(void)
{
    const char *env = getenv("GPUJOB_CUDA_FOLD");
    int folded = !(env && !strcmp(env, "0"));
    double folded_us = submissions_cost(primary, folded ? 1 : 4);
    setenv("GPUJOB_CUDA_FOLD", "0", 1); /* read at a backend's first record: a backend of its own */
    gj_backend *unfolded = NULL;
    CHECK_ST(GJ_OK, gj_backend_open(&unfolded, GJ_BACKEND_CUDA, 0, GJ_CUDA_PRIMARY_CONTEXT));
    double unfolded_us = unfolded ? submissions_cost(unfolded, 4) : 0;
    if (env)
        setenv("GPUJOB_CUDA_FOLD", env, 1);
    else
        unsetenv("GPUJOB_CUDA_FOLD");
    if (unfolded)
        CHECK_ST(GJ_OK, gj_backend_close(unfolded));
    printf("     gj_submit, 10 us jobs: %.2f us %s, %.2f us unfolded (4 driver calls)\n", folded_us,
           folded ? "folded (1 driver call)" : "(GPUJOB_CUDA_FOLD=0)", unfolded_us);
}

static void time_every_typo_is_einval(void)
{
    const char *env = getenv("GPUJOB_TIME_EVERY");
    setenv("GPUJOB_TIME_EVERY", "16x", 1);
    gj_backend *b = NULL;
    CHECK_ST(GJ_EINVAL, gj_backend_open(&b, GJ_BACKEND_CUDA, 0, GJ_CUDA_PRIMARY_CONTEXT));
    CHECK(b == NULL);
    setenv("GPUJOB_TIME_EVERY", "0", 1);
    CHECK_ST(GJ_EINVAL, gj_backend_open(&b, GJ_BACKEND_CUDA, 0, GJ_CUDA_PRIMARY_CONTEXT));
    if (env)
        setenv("GPUJOB_TIME_EVERY", env, 1);
    else
        unsetenv("GPUJOB_TIME_EVERY");
}

static void arena_is_the_jobs_memory(void)
{
    gj_job *job = NULL;
    CHECK_ST(GJ_OK, gj_job_create(primary, &(gj_job_attr){.arena_bytes = 4096}, &job));
    CHECK(gj_arena(job) != 0);
    CHECK_ST(GJ_OK, gj_record(job, memset_arena, NULL));
    CHECK_ST(GJ_OK, gj_submit(job));
    CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_PREDICT));
    uint32_t values[1024] = {0};
    CUcontext popped;
    cud.CtxPushCurrent(gj_backend_context(primary));
    CHECK(cud.MemcpyDtoH(values, gj_arena(job), sizeof values) == 0);
    cud.CtxPopCurrent(&popped);
    int right = 0;
    for (int i = 0; i < 1024; i++)
        right += values[i] == 0xC0FFEEu;
    CHECK(right == 1024, "%d of 1024 words written by the job", right);
    CHECK_ST(GJ_OK, gj_job_destroy(job));
}

static void state_machine_on_cuda(void)
{
    spin_work w = {spin_fn, 2000000};
    gj_job *job = NULL;
    CHECK_ST(GJ_OK, gj_job_create(primary, NULL, &job));
    CHECK_ST(GJ_ESTATE, gj_wait(job, GJ_WAIT_SPIN));
    CHECK_ST(GJ_ESTATE, gj_submit(job));
    CHECK_ST(GJ_ERECORD, gj_record(job, fails, NULL)); /* the capture is ended; the job can be recorded again */
    CHECK(gj_backend_error(job) == 1);
    CHECK_ST(GJ_OK, gj_record(job, launch_spin, &w));
    CHECK_ST(GJ_ESTATE, gj_record(job, launch_spin, &w));
    CHECK_ST(GJ_OK, gj_submit(job));
    CHECK_ST(GJ_EBUSY, gj_submit(job));
    CHECK_ST(GJ_OK, gj_job_destroy(job)); /* in flight: destroy waits for it */
    CHECK_ST(GJ_EBADJOB, gj_job_destroy(job));
}

/* One faulting job waited for in `mode`, in a context of its own. A kernel fault is a sticky error for the whole
 * process in CUDA 12/13 (on the H200 every later cuCtxCreate returned 719 too), so each mode runs in a process of its
 * own: gpujob-test-cuda PTX_DIR --fault MODE, started by fault_ends_every_wait_mode. */
/* later: the fault comes in submission 10, after 10 good ones (folded jobs time submissions 0-7 and 16, 32, ...). */
static void fault_in_mode(int mode, int later)
{
    gj_backend *own = NULL;
    int r;
    CHECK_ST(GJ_OK, gj_backend_open(&own, GJ_BACKEND_CUDA, 0, 0));
    if (!own)
        return;
    CUmodule module;
    CUfunction trap = load_kernel(gj_backend_context(own), later ? trap_at_ptx : trap_ptx, later ? "trap_at" : "trap_kernel", &module);
    gj_job *job = NULL;
    trap_at_work at = {trap, 0, 10};
    CHECK_ST(GJ_OK, gj_job_create(own, &(gj_job_attr){.flags = GJ_JOB_FD, .arena_bytes = later ? 4 : 0}, &job));
    if (later) {
        CUcontext popped;
        at.counter = gj_arena(job);
        cud.CtxPushCurrent(gj_backend_context(own));
        CHECK(cud.MemsetD32Async(at.counter, 0, 1, NULL) == 0 && cud.CtxSynchronize() == 0, "counter zeroed");
        cud.CtxPopCurrent(&popped);
        CHECK_ST(GJ_OK, gj_record(job, launch_trap_at, &at));
        for (unsigned i = 0; i < at.at; i++) {
            CHECK_ST(GJ_OK, gj_submit(job));
            CHECK_ST(GJ_OK, gj_wait(job, (gj_wait_mode)mode));
        }
    } else {
        CHECK_ST(GJ_OK, gj_record(job, launch_trap, &trap));
    }
    r = gj_submit(job); /* the driver may already report the trap at enqueue: the job fails there */
    CHECK(r == GJ_OK || r == GJ_EJOBFAULT, "%s", gj_strerror(r));
    CHECK_ST(GJ_EJOBFAULT, gj_wait(job, (gj_wait_mode)mode));
    int code = gj_backend_error(job);
    CHECK(code >= 700 && code <= 719, "mode %d: a fault code, got %d", mode, code);
    printf("     mode %d%s: GJ_EJOBFAULT carrying CUDA error %d (%s)\n", mode, later ? ", fault in submission 10" : "", code,
           cuda_error_name(code));
    CHECK_ST(GJ_EJOBFAULT, gj_submit(job));
    CHECK_ST(GJ_OK, gj_job_destroy(job));
    gj_backend_close(own); /* the poisoned context may refuse to go quietly; the process ends next */
}

static const char *ptx_dir;

static void fault_ends_every_wait_mode(void)
{
    for (int run = 0; run < 2 * (GJ_WAIT_PREDICT + 1); run++) {
        int mode = run % (GJ_WAIT_PREDICT + 1);
        char m[8];
        snprintf(m, sizeof m, "%d", mode);
        fflush(stdout);
        pid_t child = fork();
        if (child == 0) {
            execl("/proc/self/exe", "gpujob-test-cuda", ptx_dir, run > GJ_WAIT_PREDICT ? "--fault-later" : "--fault", m, (char *)NULL);
            _exit(127);
        }
        int status = 0;
        CHECK(child > 0 && waitpid(child, &status, 0) == child, "fork/wait for mode %d", mode);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "mode %d: the fault process ended with status %d", mode, status);
    }
}

static void fd_mode_syscalls(void)
{
    spin_work w = {spin_fn, 1000000};
    gj_job *job = spin_job(primary, &w, GJ_JOB_FD);
    for (int i = 0; i < 10; i++) {
        gj_submit(job);
        gj_wait(job, GJ_WAIT_FD);
    }
    gj_stats before = *gj_stats_of(job);
    const int n = 100;
    for (int i = 0; i < n; i++) {
        CHECK_ST(GJ_OK, gj_submit(job));
        CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_FD));
    }
    const gj_stats *s = gj_stats_of(job);
    double per_job = (double)(s->lib_syscalls - before.lib_syscalls) / n;
    /* 3 when the completion thread catches every resubmission in its handoff spin; 5 when it never does. */
    CHECK(per_job < 4.5, "library syscalls per FD job: %.2f", per_job);
    printf("     FD mode, 1 ms jobs: %.2f library syscalls per job, %lu early / %lu late wakes\n", per_job,
           (unsigned long)(s->wakes_early - before.wakes_early), (unsigned long)(s->wakes_late - before.wakes_late));
    CHECK_ST(GJ_OK, gj_job_destroy(job));
}

static void predict_learns_the_duration(void)
{
    spin_work w = {spin_fn, 1000000};
    gj_job *job = spin_job(primary, &w, 0);
    for (int i = 0; i < 10; i++) {
        gj_submit(job);
        gj_wait(job, GJ_WAIT_PREDICT);
    }
    gj_stats before = *gj_stats_of(job);
    const int n = 100;
    double start = now_us();
    for (int i = 0; i < n; i++) {
        CHECK_ST(GJ_OK, gj_submit(job));
        CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_PREDICT));
    }
    double per_op = (now_us() - start) / n;
    const gj_stats *s = gj_stats_of(job);
    uint64_t early = s->wakes_early - before.wakes_early, late = s->wakes_late - before.wakes_late;
    double poll_us = early ? (double)(s->wake_early_ns_total - before.wake_early_ns_total) / (double)early / 1e3 : 0;
    CHECK(early + late == (uint64_t)n);
    CHECK(per_op < 1100, "1 ms jobs took %.1f us per op", per_op);
    CHECK((double)(s->lib_syscalls - before.lib_syscalls) / n <= 1.0);
    printf("     predict, 1 ms jobs: %.1f us per op, %lu early (%.1f us polling each) / %lu late, predicted %.1f us\n",
           per_op, (unsigned long)early, poll_us, (unsigned long)late, s->predicted_latency_ns / 1e3);
    CHECK_ST(GJ_OK, gj_job_destroy(job));
}

static int open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

static void destroy_releases_everything(void)
{
    spin_work w = {spin_fn, 10000};
    gj_job *warm = spin_job(primary, &w, GJ_JOB_FD); /* whatever the driver opens once, it opens here */
    gj_submit(warm);
    gj_wait(warm, GJ_WAIT_FD);
    gj_job_destroy(warm);
    int fds = open_fds();
    for (int i = 0; i < 100; i++) {
        gj_job *job = spin_job(primary, &w, GJ_JOB_FD);
        CHECK_ST(GJ_OK, gj_submit(job));
        CHECK_ST(GJ_OK, gj_wait(job, GJ_WAIT_FD));
        CHECK_ST(GJ_OK, gj_job_destroy(job));
    }
    CHECK(open_fds() == fds, "fds before %d, after %d", fds, open_fds());
}

static void backend_closes_without_jobs(void)
{
    cud.ModuleUnload(spin_module);
    CHECK_ST(GJ_OK, gj_backend_close(primary));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gpujob-test-cuda PTX_DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/spin_kernel.ptx", argv[1]);
    spin_ptx = read_text(path);
    ptx_dir = argv[1];
    cuda_util_load("gpujob-test-cuda");
    int r = gj_backend_open(&primary, GJ_BACKEND_CUDA, 0, GJ_CUDA_PRIMARY_CONTEXT);
    if (r != GJ_OK) {
        fprintf(stderr, "gpujob-test-cuda: gj_backend_open(CUDA): %s\n", gj_strerror(r));
        return 1;
    }
    spin_fn = load_kernel(gj_backend_context(primary), spin_ptx, "spin_kernel", &spin_module);
    if (argc == 4 && (!strcmp(argv[2], "--fault") || !strcmp(argv[2], "--fault-later"))) {
        alarm(30);
        fault_in_mode(atoi(argv[3]), !strcmp(argv[2], "--fault-later")); /* the parent counts this process's exit status */
        return checks_failed ? 1 : 0;
    }
    alarm(120);
    RUN(backend_opens);
    RUN(spin_job_in_every_mode);
    RUN(submission_is_one_driver_call);
    RUN(time_every_typo_is_einval);
    RUN(arena_is_the_jobs_memory);
    RUN(state_machine_on_cuda);
    RUN(fd_mode_syscalls);
    RUN(predict_learns_the_duration);
    RUN(destroy_releases_everything);
    RUN(fault_ends_every_wait_mode); /* each mode in a process of its own: a fault poisons the process */
    RUN(backend_closes_without_jobs);
    alarm(0);
    return summary();
}
