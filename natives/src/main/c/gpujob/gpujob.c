/* The backend-independent part of gpujob: state machine, waits, completion thread, accounting, errors.
 * Facts relied on: clock_gettime(CLOCK_MONOTONIC) is served by the vDSO (no system call with the tsc clocksource);
 * PR_SET_TIMERSLACK applies to the calling thread only (prctl(2)); an uncontended pthread mutex and an atomic
 * are plain memory operations; FUTEX_WAIT returns at once when the word no longer holds the expected value. */
#define _GNU_SOURCE
#include "gj_internal.h"
#include <dlfcn.h>
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The completion thread spins this long for the next submission before it sleeps in FUTEX_WAIT: a caller that
 * resubmits within it costs no futex wake (docs/gpu-job.md, "FD mode"). */
#define GJ_HANDOFF_SPIN_NS 50000u
/* While polling the completion word, ask the driver this often whether the work failed: a faulted kernel never
 * writes the word. */
#define GJ_FAULT_CHECK_EVERY 4096u

void *(*gj__dlsym)(void *handle, const char *name) = dlsym;

#define STAT_ADD(job, field, v) __atomic_fetch_add(&(job)->stats.field, (v), __ATOMIC_RELAXED)
#define STAT_SET(job, field, v) __atomic_store_n(&(job)->stats.field, (v), __ATOMIC_RELAXED)

const char *gj_strerror(int status)
{
    switch (status) {
    case GJ_OK: return "GJ_OK: success";
    case GJ_EAGAIN: return "GJ_EAGAIN: the job has not completed yet";
    case GJ_EINVAL: return "GJ_EINVAL: invalid argument";
    case GJ_EBADJOB: return "GJ_EBADJOB: not a live job (destroyed twice, or never created)";
    case GJ_ESTATE: return "GJ_ESTATE: not allowed in the job's state";
    case GJ_EBUSY: return "GJ_EBUSY: the previous submission is still running (or the backend still has jobs)";
    case GJ_ENOBACKEND: return "GJ_ENOBACKEND: the driver library (libcuda.so.1 / libOpenCL.so.1) or one of its symbols is missing";
    case GJ_ENODEVICE: return "GJ_ENODEVICE: no such device";
    case GJ_ENOMEM: return "GJ_ENOMEM: out of host, pinned or device memory";
    case GJ_EJOBFAULT: return "GJ_EJOBFAULT: the job's GPU work failed (see gj_backend_error)";
    case GJ_EBACKEND: return "GJ_EBACKEND: the driver returned an error (see gj_backend_error)";
    case GJ_EUNSUPPORTED: return "GJ_EUNSUPPORTED: not supported by this backend or job";
    case GJ_EBADFD: return "GJ_EBADFD: the completion fd was closed by the caller";
    case GJ_ESYS: return "GJ_ESYS: a system call failed (see gj_stats.last_errno)";
    case GJ_ERECORD: return "GJ_ERECORD: the record callback failed (its value is in gj_backend_error)";
    default: return "unknown gpujob status";
    }
}

uint64_t gj__now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Timer slack defaults to 50 us per thread; a predicted wake must not be late by that. One prctl per thread. */
static void timer_slack_once(gj_job *job)
{
    static __thread int done;
    if (!done) {
        prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
        STAT_ADD(job, lib_syscalls, 1);
        done = 1;
    }
}

static void sleep_until(gj_job *job, uint64_t deadline_ns)
{
    timer_slack_once(job);
    struct timespec t = {.tv_sec = (time_t)(deadline_ns / 1000000000u), .tv_nsec = (long)(deadline_ns % 1000000000u)};
    uint64_t before = gj__now_ns();
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
        STAT_ADD(job, lib_syscalls, 1);
    STAT_ADD(job, lib_syscalls, 1);
    STAT_ADD(job, wait_sleep_ns_total, gj__now_ns() - before);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* ---- live jobs: double destroy is found without reading freed memory ---- */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static gj_job **live_jobs;
static size_t live_count, live_cap;

static int live_add(gj_job *job)
{
    pthread_mutex_lock(&live_lock);
    if (live_count == live_cap) {
        size_t cap = live_cap ? live_cap * 2 : 16;
        gj_job **grown = realloc(live_jobs, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&live_lock);
            return GJ_ENOMEM;
        }
        live_jobs = grown;
        live_cap = cap;
    }
    live_jobs[live_count++] = job;
    pthread_mutex_unlock(&live_lock);
    return GJ_OK;
}

static int live_remove(const gj_job *job)
{
    int found = 0;
    pthread_mutex_lock(&live_lock);
    for (size_t i = 0; i < live_count; i++)
        if (live_jobs[i] == job) {
            live_jobs[i] = live_jobs[--live_count];
            found = 1;
            break;
        }
    pthread_mutex_unlock(&live_lock);
    return found;
}

static int live(const gj_job *job) { return job && job->magic == GJ_MAGIC_LIVE; }

/* ---- backends ---- */
int gj__backend_custom(gj_backend **out, const struct gj_backend_ops *ops, void *impl)
{
    if (!out || !ops)
        return GJ_EINVAL;
    gj_backend *b = calloc(1, sizeof *b);
    if (!b)
        return GJ_ENOMEM;
    b->ops = ops;
    b->impl = impl;
    *out = b;
    return GJ_OK;
}

int gj_backend_open(gj_backend **out, gj_backend_kind kind, int device, int cuda_ctx_flags)
{
    if (!out || device < 0 || (kind != GJ_BACKEND_CUDA && kind != GJ_BACKEND_OPENCL) ||
        (kind == GJ_BACKEND_CUDA && cuda_ctx_flags < GJ_CUDA_CURRENT_CONTEXT))
        return GJ_EINVAL;
    *out = NULL;
    gj_backend *b = calloc(1, sizeof *b);
    if (!b)
        return GJ_ENOMEM;
    int r = kind == GJ_BACKEND_CUDA ? gj__cuda_open(b, device, cuda_ctx_flags) : gj__opencl_open(b, device);
    if (r != GJ_OK) {
        free(b);
        return r;
    }
    *out = b;
    return GJ_OK;
}

int gj_backend_close(gj_backend *backend)
{
    if (!backend)
        return GJ_EINVAL;
    if (atomic_load(&backend->live_jobs) > 0)
        return GJ_EBUSY;
    if (backend->ops->close)
        backend->ops->close(backend);
    free(backend);
    return GJ_OK;
}

void *gj_backend_context(const gj_backend *backend)
{
    return backend && backend->ops->context ? backend->ops->context(backend) : NULL;
}

int gj_backend_device_name(gj_backend *backend, char *name, int len)
{
    if (!backend || !name || len <= 0)
        return GJ_EINVAL;
    return backend->ops->device_name(backend, name, len);
}

/* ---- completion ---- */
static int word_reached(const gj_job *job, uint32_t seq) { return (int32_t)(*job->word - seq) >= 0; }

/* One look, no system call when the word exists. */
static int check_once(gj_job *job, uint32_t seq)
{
    if (job->word)
        return word_reached(job, seq) ? GJ_OK : GJ_EAGAIN;
    STAT_ADD(job, fallback_query_polls, 1);
    return job->backend->ops->query(job);
}

/* Polls until the end of submission seq, or an error the driver reports (a fault never writes the word). */
static int poll_until_done(gj_job *job, uint32_t seq)
{
    uint64_t start = gj__now_ns();
    int r;
    for (uint32_t i = 1;; i++) {
        r = check_once(job, seq);
        if (r != GJ_EAGAIN)
            break;
        if (job->word && i % GJ_FAULT_CHECK_EVERY == 0) {
            r = job->backend->ops->query(job);
            if (r != GJ_OK && r != GJ_EAGAIN)
                break;
        }
        cpu_relax();
    }
    STAT_ADD(job, wait_poll_ns_total, gj__now_ns() - start);
    return r;
}

/* Records the end of submission seq once, whoever saw it first (waiter or completion thread). */
static int finish(gj_job *job, uint32_t seq, int status, uint64_t seen_ns, int exact)
{
    pthread_mutex_lock(&job->finish_lock);
    /* Already finished, or older than what is (the completion thread may lag one submission behind a caller that
     * waits in another mode and resubmits). */
    if ((int32_t)(seq - job->finished_seq) <= 0) {
        int state = (int)job->stats.state;
        pthread_mutex_unlock(&job->finish_lock);
        return state == GJ_STATE_FAILED ? atomic_load(&job->thread_status) : GJ_OK;
    }
    job->finished_seq = seq;
    if (status == GJ_OK) {
        uint64_t gpu = job->backend->ops->gpu_ns(job); /* 0: this submission was not timed */
        STAT_ADD(job, completions, 1);
        if (gpu) {
            STAT_ADD(job, timed_completions, 1);
            STAT_ADD(job, gpu_ns_total, gpu);
            STAT_SET(job, gpu_ns_last, gpu);
        }
        STAT_SET(job, observed_end_ns_last, seen_ns);
        gj__predictor_observe(&job->predictor, gpu, seen_ns - job->submit_ns, exact, job->margin_ns);
        STAT_SET(job, predicted_latency_ns, gj__predict_latency(&job->predictor));
        STAT_SET(job, state, GJ_STATE_COMPLETE);
    } else {
        STAT_ADD(job, failures, 1);
        STAT_SET(job, state, GJ_STATE_FAILED);
    }
    atomic_store(&job->thread_status, status);
    pthread_mutex_unlock(&job->finish_lock);
    return status;
}

/* PREDICT: sleep to the predicted end minus the margin, then poll. Without a prediction yet (first submission),
 * the driver's blocking wait; its end is late by the wake-up, so it teaches the predictor the GPU time only.
 * poll_below_ns: poll instead of sleeping when the deadline is closer than that (the completion thread, which
 * has just slept once for this submission). */
static int wait_predicted(gj_job *job, uint32_t seq, uint64_t poll_below_ns)
{
    uint64_t predicted = gj__predict_latency(&job->predictor);
    if (predicted == 0) {
        uint64_t before = gj__now_ns();
        int r = job->backend->ops->block(job);
        uint64_t seen = gj__now_ns();
        STAT_ADD(job, wait_sleep_ns_total, seen - before);
        if (r == GJ_OK && job->word && !word_reached(job, seq))
            r = poll_until_done(job, seq);
        return finish(job, seq, r, gj__now_ns(), 0);
    }
    uint64_t lead = job->margin_ns + gj__wake_lead(&job->predictor);
    uint64_t deadline = job->submit_ns + predicted;
    deadline = deadline > lead ? deadline - lead : 0;
    if (deadline > gj__now_ns() + poll_below_ns) {
        sleep_until(job, deadline);
        uint64_t woke = gj__now_ns();
        gj__predictor_overslept(&job->predictor, woke > deadline ? woke - deadline : 0);
    }
    int r = check_once(job, seq);
    if (r == GJ_OK) {
        STAT_ADD(job, wakes_late, 1);
        return finish(job, seq, r, gj__now_ns(), 0);
    }
    if (r != GJ_EAGAIN)
        return finish(job, seq, r, gj__now_ns(), 0);
    uint64_t woke = gj__now_ns();
    r = poll_until_done(job, seq);
    uint64_t seen = gj__now_ns();
    STAT_ADD(job, wakes_early, 1);
    STAT_ADD(job, wake_early_ns_total, seen - woke);
    return finish(job, seq, r, seen, 1);
}

static long futex(atomic_uint *word, int op, unsigned int val)
{
    return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* The end of the next submission if the caller keeps its rhythm: resubmitted after the shortest recent gap, ending
 * as predicted; minus the margin and the wake-up lead. 0 without gaps or a prediction. */
static uint64_t next_end_guess(const gj_job *job)
{
    uint64_t predicted = gj__predict_latency(&job->predictor);
    if (job->n_gap == 0 || predicted == 0)
        return 0;
    uint64_t gap = job->gap_ns[0];
    for (uint32_t i = 1; i < job->n_gap; i++)
        gap = job->gap_ns[i] < gap ? job->gap_ns[i] : gap;
    uint64_t guess = job->signal_ns + gap + predicted, lead = job->margin_ns + gj__wake_lead(&job->predictor);
    return guess > lead ? guess - lead : 0;
}

static void note_gap(gj_job *job)
{
    if (job->signal_ns == 0 || job->submit_ns <= job->signal_ns)
        return;
    job->gap_ns[job->next_gap] = job->submit_ns - job->signal_ns;
    job->next_gap = (job->next_gap + 1) % GJ_GAP_WINDOW;
    if (job->n_gap < GJ_GAP_WINDOW)
        job->n_gap++;
}

/* GJ_JOB_FD: one thread per job. Per submission it spins for the handoff, sleeps to the predicted end, polls the
 * word, and writes the eventfd: clock_nanosleep + write. When the next submission comes after the handoff spin, it
 * sleeps once through the caller's usual gap and the job's predicted time (a caller in a loop resubmits after
 * about the same gap), then polls what it finds armed; only when nothing is armed by then does it sleep in
 * FUTEX_WAIT (+ the submitter's FUTEX_WAKE). */
static void *completion_thread(void *arg)
{
    gj_job *job = arg;
    for (;;) {
        uint32_t signaled = atomic_load(&job->signaled_seq), target;
        uint64_t spin_until = gj__now_ns() + GJ_HANDOFF_SPIN_NS, slept_ahead = 0;
        while ((target = atomic_load(&job->armed_seq)) == signaled && !atomic_load(&job->stopping)) {
            uint64_t now = gj__now_ns(), ahead;
            if (now < spin_until) {
                cpu_relax();
                continue;
            }
            if (!slept_ahead && (ahead = next_end_guess(job)) > now) {
                sleep_until(job, ahead);
                slept_ahead = 1;
                continue;
            }
            atomic_store(&job->thread_idle, 1);
            if (atomic_load(&job->armed_seq) == signaled && !atomic_load(&job->stopping)) {
                futex(&job->armed_seq, FUTEX_WAIT_PRIVATE, signaled);
                STAT_ADD(job, lib_syscalls, 1);
            }
            atomic_store(&job->thread_idle, 0);
        }
        if (atomic_load(&job->stopping))
            return NULL;
        note_gap(job);
        wait_predicted(job, target, slept_ahead ? 2 * GJ_HANDOFF_SPIN_NS : 0);
        atomic_store(&job->signaled_seq, target); /* before the write: a reader woken by it must see it */
        /* Counted before the write too: a reader woken by it may read the stats before this thread runs again. */
        STAT_ADD(job, lib_syscalls, 1);
        STAT_ADD(job, fd_signals, 1);
        uint64_t one = 1;
        if (write(job->efd, &one, sizeof one) != (ssize_t)sizeof one) {
            STAT_SET(job, last_errno, errno);
            STAT_ADD(job, fd_signals, (uint64_t)-1); /* not signaled after all */
            atomic_store(&job->thread_status, errno == EBADF ? GJ_EBADFD : GJ_ESYS);
        }
        job->signal_ns = gj__now_ns();
    }
}

/* The futex word must change, or a thread between its last check and FUTEX_WAIT would sleep through the wake. */
static void stop_completion_thread(gj_job *job)
{
    atomic_store(&job->stopping, 1);
    atomic_fetch_add(&job->armed_seq, 1);
    futex(&job->armed_seq, FUTEX_WAKE_PRIVATE, 1);
    pthread_join(job->thread, NULL);
}

/* ---- jobs ---- */
static int job_create(gj_backend *backend, uint64_t arena_bytes, uint32_t flags, uint32_t margin_ns, gj_job **out)
{
    gj_job *job = calloc(1, sizeof *job);
    if (!job)
        return GJ_ENOMEM;
    job->backend = backend;
    job->flags = flags;
    job->margin_ns = margin_ns ? margin_ns : GJ_DEFAULT_MARGIN_NS;
    job->arena_bytes = arena_bytes;
    job->efd = -1;
    pthread_mutex_init(&job->finish_lock, NULL);
    job->stats.state = flags & GJ__JOB_MARKER ? GJ_STATE_RECORDED : GJ_STATE_CREATED;
    int r = backend->ops->job_init(job);
    if (r != GJ_OK)
        goto fail_backend;
    job->stats.completion_by_word = job->word != NULL;
    if (flags & GJ_JOB_FD) {
        job->efd = eventfd(0, EFD_CLOEXEC); /* blocking: gj_wait(FD) is one read(2) */
        if (job->efd < 0) {
            r = errno == EMFILE || errno == ENFILE || errno == ENOMEM ? GJ_ENOMEM : GJ_ESYS;
            goto fail_backend;
        }
        if (pthread_create(&job->thread, NULL, completion_thread, job) != 0) {
            r = GJ_ENOMEM;
            goto fail_backend;
        }
        job->thread_started = 1;
    }
    if ((r = live_add(job)) != GJ_OK)
        goto fail_backend;
    atomic_fetch_add(&backend->live_jobs, 1);
    job->magic = GJ_MAGIC_LIVE;
    *out = job;
    return GJ_OK;
fail_backend:
    if (job->thread_started)
        stop_completion_thread(job);
    if (job->efd >= 0)
        close(job->efd);
    backend->ops->job_fini(job);
    pthread_mutex_destroy(&job->finish_lock);
    free(job);
    return r;
}

int gj_job_create(gj_backend *backend, const gj_job_attr *attr, gj_job **out)
{
    if (!backend || !out)
        return GJ_EINVAL;
    *out = NULL;
    gj_job_attr none = {0};
    if (!attr)
        attr = &none;
    if (attr->flags & ~GJ_JOB_FD)
        return GJ_EINVAL;
    return job_create(backend, attr->arena_bytes, attr->flags, attr->margin_ns, out);
}

int gj__job_create_marker(gj_backend *backend, uint32_t margin_ns, uint32_t flags, gj_job **out)
{
    if (!backend || !out || !backend->ops->marker_begin)
        return GJ_EINVAL;
    return job_create(backend, 0, (flags & GJ_JOB_FD) | GJ__JOB_MARKER, margin_ns, out);
}

int gj_record(gj_job *job, gj_record_fn record, void *user)
{
    if (!live(job))
        return GJ_EBADJOB;
    if (!record)
        return GJ_EINVAL;
    if (job->stats.state != GJ_STATE_CREATED)
        return GJ_ESTATE;
    int r = job->backend->ops->record(job, record, user);
    if (r == GJ_OK)
        STAT_SET(job, state, GJ_STATE_RECORDED);
    return r;
}

/* Submission bookkeeping shared by gj_submit and the interposer's marker_end: no allocation, no system call
 * unless the completion thread sleeps in FUTEX_WAIT. */
static int submit_with(gj_job *job, int (*enqueue)(gj_job *, void *), void *stream)
{
    uint32_t state = job->stats.state;
    if (state == GJ_STATE_SUBMITTED)
        return GJ_EBUSY;
    if (state == GJ_STATE_FAILED)
        return atomic_load(&job->thread_status);
    if (state != GJ_STATE_RECORDED && state != GJ_STATE_COMPLETE)
        return GJ_ESTATE;
    job->seq++;
    if (!(job->flags & GJ__JOB_MARKER))
        job->submit_ns = gj__now_ns();
    int r = enqueue(job, stream);
    if (r == GJ_EJOBFAULT) {
        /* The driver reported the fault at enqueue (a sticky error: this or earlier work of the context failed).
         * The job fails here as it would have at its wait. */
        STAT_ADD(job, submissions, 1);
        STAT_SET(job, state, GJ_STATE_SUBMITTED);
        return finish(job, job->seq, r, gj__now_ns(), 0);
    }
    if (r != GJ_OK) {
        job->seq--;
        return r;
    }
    STAT_ADD(job, submissions, 1);
    uint64_t predicted = gj__predict_latency(&job->predictor);
    STAT_SET(job, predicted_end_ns_last, predicted ? job->submit_ns + predicted : 0);
    STAT_SET(job, state, GJ_STATE_SUBMITTED);
    if (job->thread_started) {
        atomic_store(&job->armed_seq, job->seq);
        if (atomic_load(&job->thread_idle)) {
            futex(&job->armed_seq, FUTEX_WAKE_PRIVATE, 1);
            STAT_ADD(job, lib_syscalls, 1);
        }
    }
    return GJ_OK;
}

static int enqueue_own(gj_job *job, void *unused)
{
    (void)unused;
    return job->backend->ops->submit(job);
}

int gj_submit(gj_job *job)
{
    if (!live(job))
        return GJ_EBADJOB;
    if (job->flags & GJ__JOB_MARKER)
        return GJ_EINVAL;
    return submit_with(job, enqueue_own, NULL);
}

int gj__marker_begin(gj_job *job, void *stream)
{
    if (!live(job) || !(job->flags & GJ__JOB_MARKER))
        return GJ_EINVAL;
    int r = job->backend->ops->marker_begin(job, stream);
    job->submit_ns = gj__now_ns();
    return r;
}

int gj__marker_end(gj_job *job, void *stream)
{
    if (!live(job) || !(job->flags & GJ__JOB_MARKER))
        return GJ_EINVAL;
    return submit_with(job, job->backend->ops->marker_end, stream);
}

static int wait_fd(gj_job *job, uint32_t seq)
{
    uint64_t value;
    if (atomic_load(&job->signaled_seq) == seq) {
        /* Signaled before we came: drain without blocking (the caller may have read the fd already). */
        struct pollfd p = {.fd = job->efd, .events = POLLIN};
        int n = poll(&p, 1, 0);
        STAT_ADD(job, lib_syscalls, 1);
        if (n == 1 && (p.revents & POLLNVAL)) {
            STAT_SET(job, last_errno, EBADF);
            return GJ_EBADFD;
        }
        if (n == 1 && (p.revents & POLLIN)) {
            if (read(job->efd, &value, sizeof value) < 0)
                STAT_SET(job, last_errno, errno);
            STAT_ADD(job, lib_syscalls, 1);
        }
    } else {
        /* A count left from earlier submissions (waited for in another mode) returns at once: read again. */
        do {
            uint64_t before = gj__now_ns();
            ssize_t n = read(job->efd, &value, sizeof value);
            STAT_ADD(job, lib_syscalls, 1);
            STAT_ADD(job, wait_sleep_ns_total, gj__now_ns() - before);
            if (n < 0 && errno != EINTR) {
                STAT_SET(job, last_errno, errno);
                return errno == EBADF ? GJ_EBADFD : GJ_ESYS;
            }
        } while (atomic_load(&job->signaled_seq) != seq);
    }
    return atomic_load(&job->thread_status);
}

int gj_wait(gj_job *job, gj_wait_mode mode)
{
    if (!live(job))
        return GJ_EBADJOB;
    if ((unsigned)mode > GJ_WAIT_PREDICT)
        return GJ_EINVAL;
    if (mode == GJ_WAIT_FD && !job->thread_started)
        return GJ_EUNSUPPORTED;
    uint32_t state = job->stats.state;
    if (state == GJ_STATE_SUBMITTED || state == GJ_STATE_COMPLETE)
        STAT_ADD(job, waits, 1);
    if (state == GJ_STATE_COMPLETE && mode != GJ_WAIT_FD)
        return GJ_OK;
    if (state == GJ_STATE_FAILED)
        return atomic_load(&job->thread_status);
    if (state != GJ_STATE_SUBMITTED && !(state == GJ_STATE_COMPLETE && mode == GJ_WAIT_FD))
        return GJ_ESTATE;
    uint32_t seq = job->seq;
    uint64_t start = gj__now_ns();
    int r;
    switch (mode) {
    case GJ_WAIT_SPIN:
        r = poll_until_done(job, seq);
        r = finish(job, seq, r, gj__now_ns(), 0);
        break;
    case GJ_WAIT_BLOCKING: {
        job->blocking_waits = 1;
        r = job->backend->ops->block(job);
        STAT_ADD(job, wait_sleep_ns_total, gj__now_ns() - start);
        if (r == GJ_OK && job->word && !word_reached(job, seq))
            r = poll_until_done(job, seq);
        r = finish(job, seq, r, gj__now_ns(), 0);
        break;
    }
    case GJ_WAIT_FD:
        r = wait_fd(job, seq);
        break;
    default:
        r = wait_predicted(job, seq, 0);
        break;
    }
    STAT_ADD(job, wait_ns_total, gj__now_ns() - start);
    return r;
}

int gj_poll(gj_job *job)
{
    if (!live(job))
        return GJ_EBADJOB;
    uint32_t state = job->stats.state;
    if (state == GJ_STATE_COMPLETE)
        return GJ_OK;
    if (state == GJ_STATE_FAILED)
        return atomic_load(&job->thread_status);
    if (state != GJ_STATE_SUBMITTED)
        return GJ_ESTATE;
    int r = check_once(job, job->seq);
    return r == GJ_EAGAIN ? r : finish(job, job->seq, r, gj__now_ns(), 0);
}

int gj_completion_fd(const gj_job *job) { return live(job) ? job->efd : -1; }
uint64_t gj_arena(const gj_job *job) { return live(job) ? job->arena : 0; }
int gj_backend_error(const gj_job *job) { return live(job) ? job->stats.last_backend_error : 0; }
const gj_stats *gj_stats_of(const gj_job *job) { return live(job) ? &job->stats : NULL; }

int gj_job_destroy(gj_job *job)
{
    if (!job || !live_remove(job))
        return GJ_EBADJOB;
    if (job->stats.state == GJ_STATE_SUBMITTED)
        job->backend->ops->block(job); /* the GPU must not write into memory we free */
    if (job->thread_started)
        stop_completion_thread(job);
    if (job->efd >= 0)
        close(job->efd);
    job->backend->ops->job_fini(job);
    atomic_fetch_sub(&job->backend->live_jobs, 1);
    job->magic = GJ_MAGIC_DEAD;
    pthread_mutex_destroy(&job->finish_lock);
    free(job);
    return GJ_OK;
}
