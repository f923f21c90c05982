/* libgpujob-preload.so: turns an unmodified program's CUDA synchronizations into gpujob waits (docs/gpu-job.md,
 * "Interposer"). The span between two synchronizations of a stream is a job: at a sync the completion word write
 * (and, on the spans that are timed, the end event; the start event went on at the span's start) go onto that stream
 * (the legacy NULL stream for context/device syncs), the thread waits in
 * GPUJOB_WAIT's mode, then the original is called once, so semantics and error reporting stay the driver's.
 *
 * Entry points: driver cuCtxSynchronize, cuStreamSynchronize, cuEventSynchronize (JCuda links libcuda.so.1;
 * tools/cuda_roundtrip.c dlsym's them from a dlopen'ed libcuda, hence dlsym is interposed too) and runtime
 * cudaDeviceSynchronize, cudaStreamSynchronize, cudaEventSynchronize (PyTorch imports these from libcudart.so.13;
 * cudart reaches the driver through its own entry-point table, so driver interposition never sees them).
 * cudaStream_t and CUstream are the same handle; runtime streams live in the primary context, which cudart makes
 * current on the calling thread. Whatever cannot be served goes to the original and is counted by reason. */
#define _GNU_SOURCE
#include "gj_internal.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef int cudaError_t;

#define CUDA_ERROR_NOT_INITIALIZED 3
#define cudaErrorInsufficientDriver 35
#define CU_STREAM_CAPTURE_STATUS_NONE 0
#define EXPORT __attribute__((visibility("default")))
#define MAX_TRACKED 256

enum entry { CU_CTX_SYNC, CU_STREAM_SYNC, CU_EVENT_SYNC, CUDA_DEVICE_SYNC, CUDA_STREAM_SYNC, CUDA_EVENT_SYNC, ENTRIES };
static const char *entry_names[ENTRIES] = {"cuCtxSynchronize", "cuStreamSynchronize", "cuEventSynchronize",
                                           "cudaDeviceSynchronize", "cudaStreamSynchronize", "cudaEventSynchronize"};
enum reason { NO_DRIVER, NO_RUNTIME, NO_CONTEXT, CAPTURING, EVENT_SYNC, SETUP_FAILED, BUSY, SUBMIT_FAILED, TABLE_FULL, REASONS };
static const char *reason_names[REASONS] = {"no_driver", "no_runtime", "no_context", "capturing", "event_sync", "setup_failed",
                                            "busy", "submit_failed", "table_full"};

static struct {
    uint64_t calls[ENTRIES], served[ENTRIES], fallbacks[REASONS];
    uint64_t query_polled;          /* served, but completion polled by cuEventQuery (no stream memory ops) */
    uint64_t predicted, error_ns_sum, abs_error_ns_sum; /* observed end - predicted end, over predicted waits */
    uint64_t wakes_early, wakes_late, wait_errors, timed;
} counters;
#define COUNT(field) __atomic_fetch_add(&counters.field, 1, __ATOMIC_RELAXED)

/* Originals, found lazily: the driver's in libcuda.so.1, the runtime's with RTLD_NEXT or in a loaded cudart. */
static void *(*real_dlsym)(void *, const char *);
static CUresult (*cu_CtxSynchronize)(void), (*cu_StreamSynchronize)(CUstream), (*cu_EventSynchronize)(CUevent);
static CUresult (*cu_CtxGetCurrent)(CUcontext *), (*cu_StreamIsCapturing)(CUstream, int *);
static CUresult (*cu_CtxDestroy)(CUcontext), (*cu_StreamDestroy)(CUstream);
static cudaError_t (*rt_DeviceSynchronize)(void), (*rt_StreamSynchronize)(CUstream), (*rt_EventSynchronize)(CUevent);
static cudaError_t (*rt_StreamDestroy)(CUstream);
static int driver_state; /* 0 unknown, 1 loaded, -1 missing */
static gj_wait_mode wait_mode = GJ_WAIT_PREDICT;
static const char *report;

typedef struct tracked { CUcontext ctx; CUstream stream; gj_backend *backend; gj_job *job; } tracked;
static tracked table[MAX_TRACKED];
static int table_used;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static void resolve_real_dlsym(void)
{
    if (real_dlsym)
        return;
    /* dlvsym is not interposed; glibc 2.34+ versions dlsym GLIBC_2.34, older ones GLIBC_2.2.5 (x86-64). */
    *(void **)&real_dlsym = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34");
    if (!real_dlsym)
        *(void **)&real_dlsym = dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.2.5");
}

static int load_driver(void)
{
    if (driver_state)
        return driver_state > 0;
    resolve_real_dlsym();
    void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (!lib)
        lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib || !real_dlsym) {
        driver_state = -1;
        return 0;
    }
    *(void **)&cu_CtxSynchronize = real_dlsym(lib, "cuCtxSynchronize");
    *(void **)&cu_StreamSynchronize = real_dlsym(lib, "cuStreamSynchronize");
    *(void **)&cu_EventSynchronize = real_dlsym(lib, "cuEventSynchronize");
    *(void **)&cu_CtxGetCurrent = real_dlsym(lib, "cuCtxGetCurrent");
    *(void **)&cu_StreamIsCapturing = real_dlsym(lib, "cuStreamIsCapturing");
    *(void **)&cu_CtxDestroy = real_dlsym(lib, "cuCtxDestroy_v2");
    *(void **)&cu_StreamDestroy = real_dlsym(lib, "cuStreamDestroy_v2");
    driver_state = cu_CtxSynchronize && cu_StreamSynchronize && cu_EventSynchronize && cu_CtxGetCurrent &&
                   cu_StreamIsCapturing && cu_CtxDestroy && cu_StreamDestroy ? 1 : -1;
    return driver_state > 0;
}

static void *runtime_symbol(const char *name)
{
    resolve_real_dlsym();
    if (!real_dlsym)
        return NULL;
    void *p = real_dlsym(RTLD_NEXT, name);
    /* A cudart loaded as a dependency of an RTLD_LOCAL library (a Python extension) is not in the global scope. */
    static const char *sonames[] = {"libcudart.so.13", "libcudart.so.12", "libcudart.so"};
    for (size_t i = 0; !p && i < sizeof sonames / sizeof *sonames; i++) {
        void *lib = dlopen(sonames[i], RTLD_LAZY | RTLD_NOLOAD);
        if (lib)
            p = real_dlsym(lib, name);
    }
    return p;
}

/* The job of (current context, stream), made at its first sync. Called with table_lock held. */
static tracked *find_or_make(CUcontext ctx, CUstream stream, enum reason *why)
{
    gj_backend *backend = NULL;
    for (int i = 0; i < table_used; i++) {
        if (table[i].ctx == ctx && table[i].stream == stream)
            return &table[i];
        if (table[i].ctx == ctx)
            backend = table[i].backend;
    }
    if (table_used == MAX_TRACKED) {
        *why = TABLE_FULL;
        return NULL;
    }
    *why = SETUP_FAILED;
    int own_backend = !backend;
    if (own_backend && gj_backend_open(&backend, GJ_BACKEND_CUDA, 0, GJ_CUDA_CURRENT_CONTEXT) != GJ_OK)
        return NULL;
    gj_job *job;
    if (gj__job_create_marker(backend, 0, wait_mode == GJ_WAIT_FD ? GJ_JOB_FD : 0, &job) != GJ_OK) {
        if (own_backend)
            gj_backend_close(backend);
        return NULL;
    }
    table[table_used] = (tracked){ctx, stream, backend, job};
    return &table[table_used++];
}

static void account_wait(const gj_stats *before_copy, const gj_job *job)
{
    const gj_stats *now = gj_stats_of(job);
    if (now->wakes_early > before_copy->wakes_early)
        COUNT(wakes_early);
    if (now->wakes_late > before_copy->wakes_late)
        COUNT(wakes_late);
    if (!now->completion_by_word)
        COUNT(query_polled);
    if (now->timed_completions > before_copy->timed_completions)
        COUNT(timed); /* spans with timing events: the first 8 of a job, then 1 in GPUJOB_TIME_EVERY */
    if (now->predicted_end_ns_last && now->observed_end_ns_last > before_copy->observed_end_ns_last) {
        int64_t error = (int64_t)(now->observed_end_ns_last - now->predicted_end_ns_last);
        COUNT(predicted);
        __atomic_fetch_add(&counters.error_ns_sum, (uint64_t)error, __ATOMIC_RELAXED);
        __atomic_fetch_add(&counters.abs_error_ns_sum, (uint64_t)(error < 0 ? -error : error), __ATOMIC_RELAXED);
    }
}

/* Waits for the end of `stream`'s work as a job; returns 1 when served (the caller then calls the original
 * once), 0 when the original must do everything. */
static int serve(enum entry entry, CUstream stream)
{
    COUNT(calls[entry]);
    if (!load_driver()) {
        COUNT(fallbacks[NO_DRIVER]);
        return 0;
    }
    CUcontext ctx = NULL;
    if (cu_CtxGetCurrent(&ctx) || !ctx) {
        COUNT(fallbacks[NO_CONTEXT]);
        return 0;
    }
    int capture = CU_STREAM_CAPTURE_STATUS_NONE;
    /* A sync inside a capture is the driver's to refuse, and our own enqueue must not touch a capture. For the
     * legacy NULL stream (context/device syncs) the query fails with CUDA_ERROR_STREAM_CAPTURE_IMPLICIT while any
     * blocking stream is being captured (cuStreamIsCapturing's documentation): that is a fallback too. */
    if (cu_StreamIsCapturing(stream, &capture) || capture != CU_STREAM_CAPTURE_STATUS_NONE) {
        COUNT(fallbacks[CAPTURING]);
        return 0;
    }
    enum reason why;
    pthread_mutex_lock(&table_lock);
    tracked *t = find_or_make(ctx, stream, &why);
    gj_job *job = t ? t->job : NULL;
    pthread_mutex_unlock(&table_lock);
    if (!job) {
        COUNT(fallbacks[why]);
        return 0;
    }
    int r = gj__marker_end(job, stream);
    if (r != GJ_OK) {
        COUNT(fallbacks[r == GJ_EBUSY ? BUSY : SUBMIT_FAILED]);
        return 0;
    }
    gj_stats before = *gj_stats_of(job);
    if (gj_wait(job, wait_mode) != GJ_OK)
        COUNT(wait_errors); /* the original reports the driver's error */
    account_wait(&before, job);
    COUNT(served[entry]);
    return 1;
}

/* After the original returned: the next span of this stream starts now. */
static void span_start(CUstream stream)
{
    CUcontext ctx = NULL;
    if (cu_CtxGetCurrent(&ctx) || !ctx)
        return;
    pthread_mutex_lock(&table_lock);
    gj_job *job = NULL;
    for (int i = 0; i < table_used && !job; i++)
        if (table[i].ctx == ctx && table[i].stream == stream)
            job = table[i].job;
    pthread_mutex_unlock(&table_lock);
    if (job)
        gj__marker_begin(job, stream);
}

/* Before a context or stream goes away, its jobs' events and words must go first. */
static void forget(CUcontext ctx, CUstream stream, int whole_context)
{
    pthread_mutex_lock(&table_lock);
    for (int i = 0; i < table_used;) {
        if (table[i].ctx == ctx && (whole_context || table[i].stream == stream)) {
            gj_backend *backend = table[i].backend;
            gj_job_destroy(table[i].job);
            table[i] = table[--table_used];
            int shared = 0;
            for (int k = 0; k < table_used; k++)
                shared |= table[k].backend == backend;
            if (!shared)
                gj_backend_close(backend);
        } else {
            i++;
        }
    }
    pthread_mutex_unlock(&table_lock);
}

static void forget_stream(CUstream stream)
{
    CUcontext ctx = NULL;
    if (load_driver() && !cu_CtxGetCurrent(&ctx) && ctx)
        forget(ctx, stream, 0);
}

/* ---- driver API ---- */
EXPORT CUresult cuCtxSynchronize(void)
{
    int served = serve(CU_CTX_SYNC, NULL);
    if (driver_state < 0)
        return CUDA_ERROR_NOT_INITIALIZED;
    CUresult r = cu_CtxSynchronize();
    if (served)
        span_start(NULL);
    return r;
}

EXPORT CUresult cuStreamSynchronize(CUstream stream)
{
    int served = serve(CU_STREAM_SYNC, stream);
    if (driver_state < 0)
        return CUDA_ERROR_NOT_INITIALIZED;
    CUresult r = cu_StreamSynchronize(stream);
    if (served)
        span_start(stream);
    return r;
}

/* An event names no stream to put the completion word on: counted, and left to the driver. */
EXPORT CUresult cuEventSynchronize(CUevent event)
{
    COUNT(calls[CU_EVENT_SYNC]);
    COUNT(fallbacks[EVENT_SYNC]);
    if (!load_driver())
        return CUDA_ERROR_NOT_INITIALIZED;
    return cu_EventSynchronize(event);
}

EXPORT CUresult cuCtxDestroy_v2(CUcontext ctx)
{
    if (!load_driver())
        return CUDA_ERROR_NOT_INITIALIZED;
    forget(ctx, NULL, 1);
    return cu_CtxDestroy(ctx);
}

EXPORT CUresult cuStreamDestroy_v2(CUstream stream)
{
    if (!load_driver())
        return CUDA_ERROR_NOT_INITIALIZED;
    forget_stream(stream);
    return cu_StreamDestroy(stream);
}

/* ---- runtime API ---- */
EXPORT cudaError_t cudaDeviceSynchronize(void)
{
    if (!rt_DeviceSynchronize)
        *(void **)&rt_DeviceSynchronize = runtime_symbol("cudaDeviceSynchronize");
    int served = rt_DeviceSynchronize ? serve(CUDA_DEVICE_SYNC, NULL) : (COUNT(calls[CUDA_DEVICE_SYNC]), COUNT(fallbacks[NO_RUNTIME]), 0);
    if (!rt_DeviceSynchronize)
        return cudaErrorInsufficientDriver;
    cudaError_t r = rt_DeviceSynchronize();
    if (served)
        span_start(NULL);
    return r;
}

EXPORT cudaError_t cudaStreamSynchronize(CUstream stream)
{
    if (!rt_StreamSynchronize)
        *(void **)&rt_StreamSynchronize = runtime_symbol("cudaStreamSynchronize");
    int served = rt_StreamSynchronize ? serve(CUDA_STREAM_SYNC, stream) : (COUNT(calls[CUDA_STREAM_SYNC]), COUNT(fallbacks[NO_RUNTIME]), 0);
    if (!rt_StreamSynchronize)
        return cudaErrorInsufficientDriver;
    cudaError_t r = rt_StreamSynchronize(stream);
    if (served)
        span_start(stream);
    return r;
}

EXPORT cudaError_t cudaEventSynchronize(CUevent event)
{
    COUNT(calls[CUDA_EVENT_SYNC]);
    COUNT(fallbacks[EVENT_SYNC]);
    if (!rt_EventSynchronize)
        *(void **)&rt_EventSynchronize = runtime_symbol("cudaEventSynchronize");
    return rt_EventSynchronize ? rt_EventSynchronize(event) : cudaErrorInsufficientDriver;
}

EXPORT cudaError_t cudaStreamDestroy(CUstream stream)
{
    if (!rt_StreamDestroy)
        *(void **)&rt_StreamDestroy = runtime_symbol("cudaStreamDestroy");
    if (!rt_StreamDestroy)
        return cudaErrorInsufficientDriver;
    forget_stream(stream);
    return rt_StreamDestroy(stream);
}

/* Ours for a driver entry point looked up in a library that has it (libcuda.so.1), else NULL. */
static __attribute__((noinline)) void *ours_for(void *handle, const char *name)
{
    static const struct { const char *name; void *ours; } ours[] = {
        {"cuCtxSynchronize", (void *)cuCtxSynchronize}, {"cuStreamSynchronize", (void *)cuStreamSynchronize},
        {"cuEventSynchronize", (void *)cuEventSynchronize}, {"cuCtxDestroy_v2", (void *)cuCtxDestroy_v2},
        {"cuStreamDestroy_v2", (void *)cuStreamDestroy_v2},
    };
    for (size_t i = 0; i < sizeof ours / sizeof *ours; i++)
        if (!strcmp(name, ours[i].name))
            return real_dlsym(handle, name) ? ours[i].ours : NULL;
    return NULL;
}

/* A program that dlsym's the driver's entry points from its own dlopen handle (tools/cuda_roundtrip.c) gets ours.
 * Everything else is forwarded by a tail call (a jmp at -O2: checked by gpujob-test with gpujob-preload-probe):
 * glibc's dlsym takes the caller from its return address, so RTLD_NEXT stays relative to our caller. */
EXPORT void *dlsym(void *handle, const char *name)
{
    if (!real_dlsym)
        resolve_real_dlsym();
    if (handle != RTLD_DEFAULT && handle != RTLD_NEXT) {
        void *ours = ours_for(handle, name);
        if (ours)
            return ours;
    }
    return real_dlsym(handle, name);
}

static const char *mode_name(gj_wait_mode mode)
{
    static const char *names[] = {"spin", "blocking", "fd", "predict"};
    return names[mode];
}

__attribute__((constructor)) static void preload_init(void)
{
    resolve_real_dlsym();
    if (real_dlsym)
        gj__dlsym = real_dlsym; /* the library's own driver lookups must not get our wrappers */
    report = getenv("GPUJOB_REPORT");
    if (report && !*report)
        report = NULL;
    const char *mode = getenv("GPUJOB_WAIT");
    if (mode && *mode) {
        int known = 0;
        for (int m = GJ_WAIT_SPIN; m <= GJ_WAIT_PREDICT; m++)
            if (!strcmp(mode, mode_name((gj_wait_mode)m))) {
                wait_mode = (gj_wait_mode)m;
                known = 1;
            }
        if (!known)
            fprintf(stderr, "gpujob-preload: GPUJOB_WAIT=%s is not spin, blocking, fd or predict; using predict\n", mode);
    }
    uint32_t every;
    if (gj__time_every(&every) != GJ_OK) /* the backend would refuse it at every sync, silently but for the report */
        fprintf(stderr, "gpujob-preload: GPUJOB_TIME_EVERY=%s is not an integer from 1 to 1000000; every sync goes to the "
                        "driver unserved (fallback.setup_failed): unset it or give a count\n", getenv("GPUJOB_TIME_EVERY"));
}

static void write_report(FILE *out, int json)
{
    uint64_t calls = 0, served = 0;
    for (int e = 0; e < ENTRIES; e++) {
        calls += counters.calls[e];
        served += counters.served[e];
    }
    double mean_err_us = counters.predicted ? (double)(int64_t)counters.error_ns_sum / counters.predicted / 1e3 : 0;
    double mean_abs_us = counters.predicted ? (double)counters.abs_error_ns_sum / counters.predicted / 1e3 : 0;
    const char *driver = driver_state > 0 ? "loaded" : driver_state < 0 ? "missing" : "not used";
    if (json) {
        fprintf(out, "{\"wait\":\"%s\",\"driver\":\"%s\",\"calls\":%lu,\"served\":%lu,\"entries\":{", mode_name(wait_mode),
                driver, (unsigned long)calls, (unsigned long)served);
        for (int e = 0; e < ENTRIES; e++)
            fprintf(out, "%s\"%s\":{\"calls\":%lu,\"served\":%lu}", e ? "," : "", entry_names[e],
                    (unsigned long)counters.calls[e], (unsigned long)counters.served[e]);
        fprintf(out, "},\"fallbacks\":{");
        for (int f = 0; f < REASONS; f++)
            fprintf(out, "%s\"%s\":%lu", f ? "," : "", reason_names[f], (unsigned long)counters.fallbacks[f]);
        fprintf(out, "},\"query_polled\":%lu,\"predicted\":%lu,\"mean_end_error_us\":%.3f,\"mean_abs_end_error_us\":%.3f,"
                     "\"wakes_early\":%lu,\"wakes_late\":%lu,\"wait_errors\":%lu,\"timed\":%lu}\n",
                (unsigned long)counters.query_polled, (unsigned long)counters.predicted, mean_err_us, mean_abs_us,
                (unsigned long)counters.wakes_early, (unsigned long)counters.wakes_late, (unsigned long)counters.wait_errors,
                (unsigned long)counters.timed);
        return;
    }
    fprintf(out, "gpujob-preload: wait=%s driver=%s calls=%lu served=%lu", mode_name(wait_mode), driver,
            (unsigned long)calls, (unsigned long)served);
    for (int e = 0; e < ENTRIES; e++)
        if (counters.calls[e])
            fprintf(out, " %s=%lu/%lu", entry_names[e], (unsigned long)counters.served[e], (unsigned long)counters.calls[e]);
    for (int f = 0; f < REASONS; f++)
        if (counters.fallbacks[f])
            fprintf(out, " fallback.%s=%lu", reason_names[f], (unsigned long)counters.fallbacks[f]);
    fprintf(out, " query_polled=%lu predicted=%lu end_error_us.mean=%.2f end_error_us.abs_mean=%.2f wakes.early=%lu wakes.late=%lu wait_errors=%lu timed=%lu%s\n",
            (unsigned long)counters.query_polled, (unsigned long)counters.predicted, mean_err_us, mean_abs_us,
            (unsigned long)counters.wakes_early, (unsigned long)counters.wakes_late, (unsigned long)counters.wait_errors,
            (unsigned long)counters.timed,
            driver_state < 0 ? " (no usable libcuda.so.1: every call went to the original)" : "");
}

__attribute__((destructor)) static void preload_report(void)
{
    if (!report)
        return;
    if (!strcmp(report, "1")) {
        write_report(stderr, 0);
        return;
    }
    FILE *f = fopen(report, "w");
    if (!f) {
        fprintf(stderr, "gpujob-preload: cannot write GPUJOB_REPORT=%s; summary follows\n", report);
        write_report(stderr, 0);
        return;
    }
    write_report(f, 1);
    fclose(f);
}
