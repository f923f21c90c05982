/* CUDA driver backend: libcuda.so.1 dlopen'ed, the few driver types declared here (values from cuda.h, CUDA 13),
 * as tools/cuda_roundtrip.c does. A job is a stream of its own; its work is captured once (cuStreamBeginCapture
 * in THREAD_LOCAL mode) into a graph. The job's own bookkeeping goes into the graphs it launches ("folded"), so a
 * submission is one driver call, cuGraphLaunch[, done event (CU_EVENT_BLOCKING_SYNC) once waited on in BLOCKING]:
 *   untimed = [work (child graph), gj_complete (word += 1)]
 *   timed   = [start event node, work, end event node, gj_complete]
 * A graph launch costs about one microsecond more per node on the H200 (gpujob-bench), so the timing events ride
 * only on the first GJ_PRED_GPU_WINDOW submissions and then one in GPUJOB_TIME_EVERY (16; 1: every one); the
 * predictor learns GPU times from those. Submissions of a job never overlap (GJ_EBUSY), so after submission n the
 * word holds n = job->seq, as the core expects; faults are found by cuStreamQuery (the end event is not in every
 * submission). Where folding is not available (no graph building or module loading in the driver, the JIT refused
 * the PTX, or GPUJOB_CUDA_FOLD=0) a submission is four driver calls:
 *   start event, cuGraphLaunch, end event, cuStreamWriteValue32(word := seq)[, done event]
 * The word lives in cuMemHostAlloc(DEVICEMAP|PORTABLE) memory, mapped for the device by cuMemHostGetDevicePointer:
 * the host polls it with plain loads. The end event serves fault reports and, with start, the GPU time
 * (cuEventElapsedTime); the done event (only once a job is waited on in BLOCKING mode) the blocking wait. Every call
 * runs with the backend's context current (pushed only when the calling thread has another one). */
#define _GNU_SOURCE
#include "gj_internal.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;
typedef struct CUgraph_st *CUgraph;
typedef struct CUgraphExec_st *CUgraphExec;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUgraphNode_st *CUgraphNode;

#define CU_STREAM_NON_BLOCKING 0x1
#define CU_EVENT_BLOCKING_SYNC 0x1
#define CU_EVENT_DISABLE_TIMING 0x2
#define CU_STREAM_CAPTURE_MODE_THREAD_LOCAL 1
#define CU_MEMHOSTALLOC_PORTABLE 0x01
#define CU_MEMHOSTALLOC_DEVICEMAP 0x02
#define CUDA_ERROR_NOT_READY 600

/* The folded graph's last node: one thread adds 1 to the job's completion word in host memory, with release
 * semantics at system scope, so the host sees the word only after the job's earlier nodes' writes. Hand-written PTX
 * (JIT-compiled by the driver for any GPU since Volta): the library needs no nvcc and no fat binary. */
static const char complete_ptx[] =
    ".version 6.0\n"
    ".target sm_70\n"
    ".address_size 64\n"
    ".visible .entry gj_complete(.param .u64 word)\n"
    "{\n"
    "  .reg .b64 %rd<3>;\n"
    "  .reg .b32 %r<2>;\n"
    "  ld.param.u64 %rd1, [word];\n"
    "  cvta.to.global.u64 %rd2, %rd1;\n"
    "  atom.release.sys.global.add.u32 %r1, [%rd2], 1;\n"
    "  ret;\n"
    "}\n";

static struct {
    CUresult (*Init)(unsigned);
    CUresult (*DeviceGet)(CUdevice *, int);
    CUresult (*DeviceGetName)(char *, int, CUdevice);
    CUresult (*DevicePrimaryCtxRetain)(CUcontext *, CUdevice);
    CUresult (*DevicePrimaryCtxRelease)(CUdevice);
    CUresult (*CtxCreate)(CUcontext *, unsigned, CUdevice);
    CUresult (*CtxDestroy)(CUcontext);
    CUresult (*CtxGetCurrent)(CUcontext *);
    CUresult (*CtxGetDevice)(CUdevice *);
    CUresult (*CtxPushCurrent)(CUcontext);
    CUresult (*CtxPopCurrent)(CUcontext *);
    CUresult (*StreamCreate)(CUstream *, unsigned);
    CUresult (*StreamDestroy)(CUstream);
    CUresult (*StreamBeginCapture)(CUstream, int);
    CUresult (*StreamEndCapture)(CUstream, CUgraph *);
    CUresult (*GraphInstantiate)(CUgraphExec *, CUgraph, unsigned long long);
    CUresult (*GraphDestroy)(CUgraph);
    CUresult (*GraphExecDestroy)(CUgraphExec);
    CUresult (*GraphLaunch)(CUgraphExec, CUstream);
    CUresult (*EventCreate)(CUevent *, unsigned);
    CUresult (*EventDestroy)(CUevent);
    CUresult (*EventRecord)(CUevent, CUstream);
    CUresult (*EventQuery)(CUevent);
    CUresult (*EventSynchronize)(CUevent);
    CUresult (*EventElapsedTime)(float *, CUevent, CUevent);
    CUresult (*StreamWriteValue32)(CUstream, CUdeviceptr, uint32_t, unsigned);
    CUresult (*MemHostAlloc)(void **, size_t, unsigned);
    CUresult (*MemFreeHost)(void *);
    CUresult (*MemHostGetDevicePointer)(CUdeviceptr *, void *, unsigned);
    CUresult (*MemAlloc)(CUdeviceptr *, size_t);
    CUresult (*MemFree)(CUdeviceptr);
    /* Optional, for folded submissions. */
    CUresult (*ModuleLoadData)(CUmodule *, const void *);
    CUresult (*ModuleUnload)(CUmodule);
    CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
    CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
    CUresult (*GraphCreate)(CUgraph *, unsigned);
    CUresult (*GraphAddChildGraphNode)(CUgraphNode *, CUgraph, const CUgraphNode *, size_t, CUgraph);
    CUresult (*GraphAddEventRecordNode)(CUgraphNode *, CUgraph, const CUgraphNode *, size_t, CUevent);
    CUresult (*StreamQuery)(CUstream);
    CUresult (*StreamSynchronize)(CUstream);
} cu;

typedef struct cuda_backend {
    CUcontext ctx;
    CUdevice device;
    int owns; /* 1: created by us, 2: primary context retained, 0: the caller's current context */
    pthread_mutex_t fold_lock;
    int fold;               /* 0 not tried yet, 1 gj_complete loaded, -1 unavailable */
    uint32_t time_every;    /* GPUJOB_TIME_EVERY: a folded job times one submission in this many */
    CUmodule module;
    CUfunction complete;
} cuda_backend;

typedef struct cuda_job {
    CUstream stream;        /* the job's own stream; NULL for the interposer's markers */
    CUgraph graph;          /* the captured work */
    CUgraphExec exec;       /* folded: the timed graph; else the work */
    CUgraph done_graph, timed_graph, untimed_graph; /* folded only */
    CUgraphExec untimed_exec;
    CUevent start, end, done; /* done: after the word, blocking-sync, recorded only for jobs waited on BLOCKING */
    int done_recorded;      /* the current submission carries the done event */
    int has_start;          /* the start and end events of the current submission were recorded */
    int end_recorded;       /* the current submission carries the end event */
    CUstream current_stream;/* where the current submission runs: the job's stream, or the marker's */
    int folded;             /* events and word increment are nodes of the job's graphs */
    uint32_t *host_word;    /* pinned, device-mapped */
    CUdeviceptr device_word;
    CUdeviceptr arena;
} cuda_job;

static void *driver;

static int load(void)
{
    static int loaded = GJ_EAGAIN;
    if (loaded != GJ_EAGAIN)
        return loaded;
    driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!driver)
        return loaded = GJ_ENOBACKEND;
    /* _v2 names: what cuda.h maps the plain names to; drivers export both for old binaries. */
    struct { void **slot; const char *name, *alt; } syms[] = {
        {(void **)&cu.Init, "cuInit", NULL}, {(void **)&cu.DeviceGet, "cuDeviceGet", NULL},
        {(void **)&cu.DeviceGetName, "cuDeviceGetName", NULL},
        {(void **)&cu.DevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain", NULL},
        {(void **)&cu.DevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"},
        {(void **)&cu.CtxCreate, "cuCtxCreate_v2", NULL}, {(void **)&cu.CtxDestroy, "cuCtxDestroy_v2", NULL},
        {(void **)&cu.CtxGetCurrent, "cuCtxGetCurrent", NULL}, {(void **)&cu.CtxGetDevice, "cuCtxGetDevice", NULL},
        {(void **)&cu.CtxPushCurrent, "cuCtxPushCurrent_v2", NULL}, {(void **)&cu.CtxPopCurrent, "cuCtxPopCurrent_v2", NULL},
        {(void **)&cu.StreamCreate, "cuStreamCreate", NULL}, {(void **)&cu.StreamDestroy, "cuStreamDestroy_v2", NULL},
        {(void **)&cu.StreamBeginCapture, "cuStreamBeginCapture_v2", NULL},
        {(void **)&cu.StreamEndCapture, "cuStreamEndCapture", NULL},
        {(void **)&cu.GraphInstantiate, "cuGraphInstantiateWithFlags", NULL},
        {(void **)&cu.GraphDestroy, "cuGraphDestroy", NULL}, {(void **)&cu.GraphExecDestroy, "cuGraphExecDestroy", NULL},
        {(void **)&cu.GraphLaunch, "cuGraphLaunch", NULL}, {(void **)&cu.EventCreate, "cuEventCreate", NULL},
        {(void **)&cu.EventDestroy, "cuEventDestroy_v2", NULL}, {(void **)&cu.EventRecord, "cuEventRecord", NULL},
        {(void **)&cu.EventQuery, "cuEventQuery", NULL}, {(void **)&cu.EventSynchronize, "cuEventSynchronize", NULL},
        {(void **)&cu.EventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime"},
        {(void **)&cu.MemHostAlloc, "cuMemHostAlloc", NULL}, {(void **)&cu.MemFreeHost, "cuMemFreeHost", NULL},
        {(void **)&cu.MemHostGetDevicePointer, "cuMemHostGetDevicePointer_v2", NULL},
        {(void **)&cu.MemAlloc, "cuMemAlloc_v2", NULL}, {(void **)&cu.MemFree, "cuMemFree_v2", NULL},
    };
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
        *syms[i].slot = gj__dlsym(driver, syms[i].name);
        if (!*syms[i].slot && syms[i].alt)
            *syms[i].slot = gj__dlsym(driver, syms[i].alt);
        if (!*syms[i].slot)
            return loaded = GJ_ENOBACKEND;
    }
    /* Optional: without stream memory ops, completion is polled with cuEventQuery (counted as a fallback). */
    *(void **)&cu.StreamWriteValue32 = gj__dlsym(driver, "cuStreamWriteValue32_v2");
    /* Optional: without them, submissions are not folded. */
    *(void **)&cu.ModuleLoadData = gj__dlsym(driver, "cuModuleLoadData");
    *(void **)&cu.ModuleUnload = gj__dlsym(driver, "cuModuleUnload");
    *(void **)&cu.ModuleGetFunction = gj__dlsym(driver, "cuModuleGetFunction");
    *(void **)&cu.LaunchKernel = gj__dlsym(driver, "cuLaunchKernel");
    *(void **)&cu.GraphCreate = gj__dlsym(driver, "cuGraphCreate");
    *(void **)&cu.GraphAddChildGraphNode = gj__dlsym(driver, "cuGraphAddChildGraphNode");
    *(void **)&cu.GraphAddEventRecordNode = gj__dlsym(driver, "cuGraphAddEventRecordNode");
    *(void **)&cu.StreamQuery = gj__dlsym(driver, "cuStreamQuery");
    *(void **)&cu.StreamSynchronize = gj__dlsym(driver, "cuStreamSynchronize");
    return loaded = GJ_OK;
}

/* Makes the backend's context current; returns the one to restore (or NULL when nothing was pushed). */
static int enter(gj_backend *backend, int *pushed)
{
    cuda_backend *cb = backend->impl;
    CUcontext current = NULL;
    *pushed = 0;
    cu.CtxGetCurrent(&current);
    if (current == cb->ctx)
        return GJ_OK;
    int r = gj__from_cuda(NULL, cu.CtxPushCurrent(cb->ctx));
    *pushed = r == GJ_OK;
    return r;
}

static void leave(int pushed)
{
    CUcontext popped;
    if (pushed)
        cu.CtxPopCurrent(&popped);
}

#define IN_CONTEXT(job, expr)                                                                                        \
    ({                                                                                                               \
        int pushed_, r_ = enter((job)->backend, &pushed_);                                                           \
        if (r_ == GJ_OK) {                                                                                           \
            r_ = (expr);                                                                                             \
            leave(pushed_);                                                                                          \
        }                                                                                                            \
        r_;                                                                                                          \
    })

static int job_init_here(gj_job *job)
{
    cuda_job *cj = job->impl;
    CUresult r;
    if (!(job->flags & GJ__JOB_MARKER) && (r = cu.StreamCreate(&cj->stream, CU_STREAM_NON_BLOCKING)))
        return gj__from_cuda(job, r);
    if ((r = cu.EventCreate(&cj->start, 0)) || (r = cu.EventCreate(&cj->end, 0)) ||
        (r = cu.EventCreate(&cj->done, CU_EVENT_BLOCKING_SYNC | CU_EVENT_DISABLE_TIMING)))
        return gj__from_cuda(job, r);
    if (job->arena_bytes && (r = cu.MemAlloc(&cj->arena, job->arena_bytes)))
        return gj__from_cuda(job, r);
    job->arena = cj->arena;
    if (cu.StreamWriteValue32) {
        void *host = NULL;
        if ((r = cu.MemHostAlloc(&host, 64, CU_MEMHOSTALLOC_DEVICEMAP | CU_MEMHOSTALLOC_PORTABLE)))
            return gj__from_cuda(job, r);
        cj->host_word = host;
        *cj->host_word = 0;
        if ((r = cu.MemHostGetDevicePointer(&cj->device_word, host, 0)))
            return gj__from_cuda(job, r);
        job->word = cj->host_word;
    }
    return GJ_OK;
}

static int cuda_job_init(gj_job *job)
{
    cuda_job *cj = calloc(1, sizeof *cj);
    if (!cj)
        return GJ_ENOMEM;
    job->impl = cj;
    return IN_CONTEXT(job, job_init_here(job));
}

/* Loads gj_complete once per backend (JIT: about a millisecond, at the first record, not at open). The context is
 * current. Any failure leaves folding off for the backend: submissions then take the four-call path. */
static int fold_available(cuda_backend *cb)
{
    pthread_mutex_lock(&cb->fold_lock);
    if (cb->fold == 0) {
        const char *env = getenv("GPUJOB_CUDA_FOLD");
        int wanted = !(env && !strcmp(env, "0"));
        cb->fold = -1;
        if (wanted && cu.ModuleLoadData && cu.ModuleUnload && cu.ModuleGetFunction && cu.LaunchKernel && cu.GraphCreate &&
            cu.GraphAddChildGraphNode && cu.GraphAddEventRecordNode && cu.StreamQuery && cu.StreamSynchronize &&
            cu.ModuleLoadData(&cb->module, complete_ptx) == 0) {
            if (cu.ModuleGetFunction(&cb->complete, cb->module, "gj_complete") == 0)
                cb->fold = 1;
            else
                cu.ModuleUnload(cb->module), cb->module = NULL;
        }
    }
    int fold = cb->fold == 1;
    pthread_mutex_unlock(&cb->fold_lock);
    return fold;
}

/* Captures one launch of gj_complete into a graph of its own: a kernel node without spelling out
 * CUDA_KERNEL_NODE_PARAMS, whose layout changed between CUDA versions. */
static CUresult capture_done(cuda_job *cj, cuda_backend *cb)
{
    void *params[] = {&cj->device_word};
    CUresult r = cu.StreamBeginCapture(cj->stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
    if (r)
        return r;
    CUresult launched = cu.LaunchKernel(cb->complete, 1, 1, 1, 1, 1, 1, 0, cj->stream, params, NULL);
    r = cu.StreamEndCapture(cj->stream, &cj->done_graph);
    return launched ? launched : r;
}

/* The two graphs a folded job launches, around copies of the captured work (child graph nodes are copies). */
static CUresult build_folded(cuda_job *cj, cuda_backend *cb)
{
    CUgraphNode start, work, end, done, untimed_work;
    CUresult r;
    (void)((r = capture_done(cj, cb)) ||
           /* timed: start -> work -> end -> gj_complete */
           (r = cu.GraphCreate(&cj->timed_graph, 0)) ||
           (r = cu.GraphAddEventRecordNode(&start, cj->timed_graph, NULL, 0, cj->start)) ||
           (r = cu.GraphAddChildGraphNode(&work, cj->timed_graph, &start, 1, cj->graph)) ||
           (r = cu.GraphAddEventRecordNode(&end, cj->timed_graph, &work, 1, cj->end)) ||
           (r = cu.GraphAddChildGraphNode(&done, cj->timed_graph, &end, 1, cj->done_graph)) ||
           /* untimed: work -> gj_complete */
           (r = cu.GraphCreate(&cj->untimed_graph, 0)) ||
           (r = cu.GraphAddChildGraphNode(&untimed_work, cj->untimed_graph, NULL, 0, cj->graph)) ||
           (r = cu.GraphAddChildGraphNode(&done, cj->untimed_graph, &untimed_work, 1, cj->done_graph)) ||
           (r = cu.GraphInstantiate(&cj->exec, cj->timed_graph, 0)) ||
           (r = cu.GraphInstantiate(&cj->untimed_exec, cj->untimed_graph, 0)));
    return r;
}

static int capture(gj_job *job, gj_record_fn record, void *user)
{
    cuda_job *cj = job->impl;
    cuda_backend *cb = job->backend->impl;
    CUresult r = cu.StreamBeginCapture(cj->stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
    if (r)
        return gj__from_cuda(job, r);
    int user_status = record(job, cj->stream, user);
    CUgraph graph = NULL;
    r = cu.StreamEndCapture(cj->stream, &graph); /* always end: the stream must leave capture mode */
    if (user_status != 0) {
        if (graph)
            cu.GraphDestroy(graph);
        __atomic_store_n(&job->stats.last_backend_error, user_status, __ATOMIC_RELAXED);
        return GJ_ERECORD;
    }
    if (r)
        return gj__from_cuda(job, r);
    cj->graph = graph;
    if (job->word && fold_available(cb)) {
        if ((r = build_folded(cj, cb)))
            return gj__from_cuda(job, r); /* what was made is released by job_fini */
        cj->folded = 1;
        return GJ_OK;
    }
    return gj__from_cuda(job, cu.GraphInstantiate(&cj->exec, graph, 0));
}

static int cuda_record(gj_job *job, gj_record_fn record, void *user) { return IN_CONTEXT(job, capture(job, record, user)); }

/* End event, word write, and (for jobs waited on in BLOCKING mode) a done event. The end event (a plain timing event)
 * comes before the word, so a waiter that sees the word finds the GPU time known (with the word first, the end event
 * was often not ready and the predictor learnt a GPU time of 0: 1 ms jobs were predicted at 2 ms on the H200). A
 * blocking-sync event costs every submission: recorded before the word it delayed it by ~30 us, and after it the
 * driver's helper thread still made a poll(2) per submission (seen on the H200 through PyTorch), so only jobs that
 * have been waited on in BLOCKING mode carry one. A driver without stream memory ops falls back to event polling. */
/* An untimed submission has no end event: its faults and blocking waits go to its stream instead. */
static int can_wait_on_streams(void) { return cu.StreamQuery && cu.StreamSynchronize; }

/* Timing events ride on the first GJ_PRED_GPU_WINDOW submissions (or marker spans) and then on one in time_every;
 * on every one where the stream cannot stand in for the end event. */
static int timed_now(gj_job *job)
{
    uint64_t n = job->stats.submissions;
    return n < GJ_PRED_GPU_WINDOW || n % ((cuda_backend *)job->backend->impl)->time_every == 0 || !can_wait_on_streams();
}

static int enqueue_end(gj_job *job, CUstream stream)
{
    cuda_job *cj = job->impl;
    /* A marker span without its start event is untimed: its end event would only cost a driver call. */
    int with_end = !(job->flags & GJ__JOB_MARKER) || cj->has_start || !can_wait_on_streams();
    uint64_t calls = (uint64_t)with_end;
    CUresult r = with_end ? cu.EventRecord(cj->end, stream) : 0;
    cj->end_recorded = with_end && r == 0;
    cj->current_stream = stream;
    if (r == 0 && job->word) {
        calls++;
        r = cu.StreamWriteValue32(stream, cj->device_word, job->seq, 0);
        if (r == 801 || r == 1) { /* NOT_SUPPORTED, INVALID_VALUE: memory ops disabled on this device */
            job->word = NULL;
            __atomic_store_n(&job->stats.completion_by_word, 0, __ATOMIC_RELAXED);
            r = 0;
        }
    }
    cj->done_recorded = 0;
    if (r == 0 && job->blocking_waits) {
        calls++;
        r = cu.EventRecord(cj->done, stream);
        cj->done_recorded = r == 0;
    }
    __atomic_fetch_add(&job->stats.submit_driver_calls, calls, __ATOMIC_RELAXED);
    return gj__from_cuda(job, r);
}

static int launch(gj_job *job)
{
    cuda_job *cj = job->impl;
    CUresult r;
    if (cj->folded) {
        int timed = timed_now(job);
        if ((r = cu.GraphLaunch(timed ? cj->exec : cj->untimed_exec, cj->stream)))
            return gj__from_cuda(job, r);
        cj->has_start = cj->end_recorded = timed;
        cj->current_stream = cj->stream;
        __atomic_fetch_add(&job->stats.submit_driver_calls, 1, __ATOMIC_RELAXED);
        /* The graph is in flight and will add 1 to the word: this submission stands whatever happens to the done
         * event (without it, a BLOCKING wait falls back to the end event, or to the stream when untimed). */
        cj->done_recorded = job->blocking_waits && cu.EventRecord(cj->done, cj->stream) == 0;
        if (cj->done_recorded)
            __atomic_fetch_add(&job->stats.submit_driver_calls, 1, __ATOMIC_RELAXED);
        return GJ_OK;
    }
    if ((r = cu.EventRecord(cj->start, cj->stream)) || (r = cu.GraphLaunch(cj->exec, cj->stream)))
        return gj__from_cuda(job, r);
    cj->has_start = 1;
    __atomic_fetch_add(&job->stats.submit_driver_calls, 2, __ATOMIC_RELAXED);
    return enqueue_end(job, cj->stream);
}

static int cuda_submit(gj_job *job) { return IN_CONTEXT(job, launch(job)); }

static int cuda_query(gj_job *job)
{
    cuda_job *cj = job->impl;
    /* The end event where this submission has one, else its stream (untimed folded submissions and marker spans). */
    return IN_CONTEXT(job, gj__from_cuda(job, cj->end_recorded ? cu.EventQuery(cj->end) : cu.StreamQuery(cj->current_stream)));
}

static int cuda_block(gj_job *job)
{
    cuda_job *cj = job->impl;
    /* Without a done event (the job's first BLOCKING wait, the predictor's first wait, destroy) the end event is
     * waited on as the context's policy says; the caller then polls the word, which follows it. */
    if (!cj->done_recorded && !cj->end_recorded) /* an untimed submission: its stream */
        return IN_CONTEXT(job, gj__from_cuda(job, cu.StreamSynchronize(cj->current_stream)));
    return IN_CONTEXT(job, gj__from_cuda(job, cu.EventSynchronize(cj->done_recorded ? cj->done : cj->end)));
}

static int elapsed(cuda_job *cj, uint64_t *ns)
{
    float ms = 0;
    if (!cj->has_start || cu.EventElapsedTime(&ms, cj->start, cj->end) || ms < 0)
        return GJ_OK;
    *ns = (uint64_t)((double)ms * 1e6);
    return GJ_OK;
}

static uint64_t cuda_gpu_ns(gj_job *job)
{
    uint64_t ns = 0;
    IN_CONTEXT(job, elapsed(job->impl, &ns));
    return ns;
}

static int fini_here(gj_job *job)
{
    cuda_job *cj = job->impl;
    if (cj->exec)
        cu.GraphExecDestroy(cj->exec);
    if (cj->untimed_exec)
        cu.GraphExecDestroy(cj->untimed_exec);
    CUgraph graphs[] = {cj->graph, cj->done_graph, cj->timed_graph, cj->untimed_graph};
    for (size_t i = 0; i < sizeof graphs / sizeof *graphs; i++)
        if (graphs[i])
            cu.GraphDestroy(graphs[i]);
    if (cj->start)
        cu.EventDestroy(cj->start);
    if (cj->end)
        cu.EventDestroy(cj->end);
    if (cj->done)
        cu.EventDestroy(cj->done);
    if (cj->stream)
        cu.StreamDestroy(cj->stream);
    if (cj->arena)
        cu.MemFree(cj->arena);
    if (cj->host_word)
        cu.MemFreeHost(cj->host_word);
    return GJ_OK;
}

static void cuda_job_fini(gj_job *job)
{
    if (!job->impl)
        return;
    IN_CONTEXT(job, fini_here(job));
    free(job->impl);
    job->impl = NULL;
}

/* A marker span is timed like a folded job's submissions: its start event only when timed_now (then enqueue_end
 * records its end event too). */
static int marker_begin_here(gj_job *job, CUstream stream)
{
    cuda_job *cj = job->impl;
    cj->current_stream = stream;
    cj->has_start = 0;
    if (!timed_now(job))
        return GJ_OK;
    CUresult r = cu.EventRecord(cj->start, stream);
    cj->has_start = r == 0;
    return gj__from_cuda(job, r);
}

static int cuda_marker_begin(gj_job *job, void *stream) { return IN_CONTEXT(job, marker_begin_here(job, stream)); }
static int cuda_marker_end(gj_job *job, void *stream) { return IN_CONTEXT(job, enqueue_end(job, stream)); }

static void cuda_close(gj_backend *backend)
{
    cuda_backend *cb = backend->impl;
    if (cb->module) {
        int pushed;
        if (enter(backend, &pushed) == GJ_OK) {
            cu.ModuleUnload(cb->module);
            leave(pushed);
        }
    }
    pthread_mutex_destroy(&cb->fold_lock);
    if (cb->owns == 1)
        cu.CtxDestroy(cb->ctx);
    else if (cb->owns == 2)
        cu.DevicePrimaryCtxRelease(cb->device);
    free(cb);
}

static int cuda_device_name(gj_backend *backend, char *name, int len)
{
    cuda_backend *cb = backend->impl;
    return gj__from_cuda(NULL, cu.DeviceGetName(name, len, cb->device));
}

static void *cuda_context(const gj_backend *backend) { return ((cuda_backend *)backend->impl)->ctx; }

static const struct gj_backend_ops cuda_ops = {
    .job_init = cuda_job_init, .record = cuda_record, .submit = cuda_submit, .query = cuda_query,
    .block = cuda_block, .gpu_ns = cuda_gpu_ns, .job_fini = cuda_job_fini, .close = cuda_close,
    .device_name = cuda_device_name, .context = cuda_context, .marker_begin = cuda_marker_begin, .marker_end = cuda_marker_end,
};

int gj__time_every(uint32_t *out)
{
    const char *every = getenv("GPUJOB_TIME_EVERY");
    char *rest = NULL;
    long n = every ? strtol(every, &rest, 10) : 16;
    if (every && (rest == every || *rest || n < 1 || n > 1000000))
        return GJ_EINVAL;
    *out = (uint32_t)n;
    return GJ_OK;
}

int gj__cuda_open(gj_backend *backend, int device, int ctx_flags)
{
    int r = load();
    if (r != GJ_OK)
        return r;
    cuda_backend *cb = calloc(1, sizeof *cb);
    if (!cb)
        return GJ_ENOMEM;
    pthread_mutex_init(&cb->fold_lock, NULL);
    if (gj__time_every(&cb->time_every) != GJ_OK) {
        free(cb);
        return GJ_EINVAL; /* gj_strerror says what; the Java face and the interposer name the variable */
    }
    if (ctx_flags == GJ_CUDA_CURRENT_CONTEXT) {
        if ((r = gj__from_cuda(NULL, cu.CtxGetCurrent(&cb->ctx))) == GJ_OK && !cb->ctx)
            r = GJ_ESTATE;
        if (r == GJ_OK)
            r = gj__from_cuda(NULL, cu.CtxGetDevice(&cb->device));
    } else if ((r = gj__from_cuda(NULL, cu.Init(0))) == GJ_OK &&
               (r = gj__from_cuda(NULL, cu.DeviceGet(&cb->device, device))) == GJ_OK) {
        if (ctx_flags >= 0) {
            CUcontext previous = NULL;
            cu.CtxGetCurrent(&previous);
            r = gj__from_cuda(NULL, cu.CtxCreate(&cb->ctx, (unsigned)ctx_flags, cb->device));
            if (r == GJ_OK) { /* cuCtxCreate makes it current: leave the caller's thread as it was */
                CUcontext popped;
                cu.CtxPopCurrent(&popped);
                cb->owns = 1;
            }
        } else if ((r = gj__from_cuda(NULL, cu.DevicePrimaryCtxRetain(&cb->ctx, cb->device))) == GJ_OK) {
            cb->owns = 2;
        }
    }
    if (r != GJ_OK) {
        free(cb);
        return r;
    }
    backend->ops = &cuda_ops;
    backend->impl = cb;
    return GJ_OK;
}
