/* A test-only fake libcuda.so.1: just enough of the driver API for the interposer and the CUDA backend to run their
 * own logic in CI (no GPU). It proves nothing about a GPU. One "device" thread runs every stream's operations in
 * submission order: a kernel takes FAKE_CUDA_KERNEL_US (default 50) of wall time, an event takes a timestamp, a
 * stream write stores its value into host memory, gj_complete adds 1 to the word it is given. Captured kernels, and
 * graphs built from event-record and child-graph nodes, are replayed in order by a launch. A kernel named trap_kernel faults (719, sticky until the next
 * cuCtxCreate). Streams are not independent here: everything runs on one queue. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
#define NOT_READY 600
#define LAUNCH_FAILED 719
#define NOT_INITIALIZED 3

typedef struct fake_event { uint64_t at_ns, recorded_seq, done_seq; } fake_event;
enum op_kind { OP_KERNEL, OP_EVENT, OP_WRITE, OP_INCREMENT };
typedef struct op { enum op_kind kind; int trap; fake_event *event; uint32_t *address, value; uint64_t seq; } op;
/* A capture keeps the captured operations in order; a graph launch pushes them as they were captured. */
#define MAX_CAPTURED 64
typedef struct fake_graph { int n; op ops[MAX_CAPTURED]; } fake_graph;
typedef struct fake_stream { int capturing; fake_graph captured; } fake_stream;
/* gj_complete (gpujob's folded completion kernel): adds 1 to the word its first parameter points to. */
/* trap_at (gpujob's test kernel): counts its launches in the word its first parameter points to, faults from the
 * launch numbered by its second on. */
typedef struct fake_func { int trap, increment, trap_at; } fake_func;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static op queue[4096];
static uint64_t enqueued, executed; /* op sequence numbers */
static int initialized, sticky_error, device_started;
static pthread_t device;
static __thread void *current[16];
static __thread int depth;
static int primary_ctx_token;
static fake_stream legacy_stream;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void *run_device(void *unused)
{
    (void)unused;
    const char *us = getenv("FAKE_CUDA_KERNEL_US");
    uint64_t kernel_ns = (uint64_t)(us ? atof(us) : 50) * 1000;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (executed == enqueued)
            pthread_cond_wait(&changed, &lock);
        op o = queue[executed % 4096];
        pthread_mutex_unlock(&lock);
        if (o.kind == OP_KERNEL && o.address && !sticky_error) { /* trap_at */
            if (__atomic_fetch_add(o.address, 1, __ATOMIC_RELAXED) >= o.value)
                sticky_error = LAUNCH_FAILED;
        } else if (o.kind == OP_KERNEL && !sticky_error) {
            uint64_t end = now_ns() + kernel_ns;
            while (now_ns() < end) /* busy, as a GPU is: no sleep jitter */
                ;
            if (o.trap)
                sticky_error = LAUNCH_FAILED;
        } else if (o.kind == OP_WRITE && !sticky_error) {
            __atomic_store_n(o.address, o.value, __ATOMIC_RELEASE);
        } else if (o.kind == OP_INCREMENT && !sticky_error) {
            __atomic_fetch_add(o.address, 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_lock(&lock);
        if (o.kind == OP_EVENT) {
            o.event->at_ns = now_ns();
            o.event->done_seq = o.seq;
        }
        executed++;
        pthread_cond_broadcast(&changed);
    }
    return NULL;
}

static CUresult push(op o)
{
    pthread_mutex_lock(&lock);
    if (!device_started) {
        pthread_create(&device, NULL, run_device, NULL);
        pthread_detach(device);
        device_started = 1;
    }
    o.seq = ++enqueued;
    if (o.kind == OP_EVENT)
        o.event->recorded_seq = o.seq;
    queue[(o.seq - 1) % 4096] = o;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    return 0;
}

static CUresult drain(uint64_t until)
{
    pthread_mutex_lock(&lock);
    while (executed < until)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    return sticky_error;
}

static fake_stream *stream_of(void *s) { return s ? s : &legacy_stream; }

/* Under capture an operation joins the stream's graph; otherwise it runs. */
static CUresult capture_or_push(void *s, op o)
{
    fake_stream *fs = stream_of(s);
    if (!fs->capturing) {
        push(o);
        return sticky_error;
    }
    if (fs->captured.n == MAX_CAPTURED)
        return 1; /* INVALID_VALUE: a fake limit */
    fs->captured.ops[fs->captured.n++] = o;
    return 0;
}

CUresult cuInit(unsigned flags) { (void)flags; initialized = 1; return 0; }
CUresult cuDriverGetVersion(int *v) { *v = 13000; return 0; }
CUresult cuDeviceGet(int *d, int ordinal) { *d = ordinal; return ordinal == 0 ? 0 : 101; }
CUresult cuDeviceGetName(char *name, int len, int d) { (void)d; strncpy(name, "fake CUDA device", (size_t)len); return 0; }
CUresult cuGetErrorName(CUresult r, const char **name) { *name = r == LAUNCH_FAILED ? "CUDA_ERROR_LAUNCH_FAILED" : "CUDA_ERROR"; return 0; }
CUresult cuCtxGetCurrent(void **ctx) { if (!initialized) return NOT_INITIALIZED; *ctx = depth ? current[depth - 1] : NULL; return 0; }
CUresult cuCtxGetDevice(int *d) { *d = 0; return 0; }
CUresult cuCtxPushCurrent_v2(void *ctx) { current[depth++] = ctx; return 0; }
CUresult cuCtxPopCurrent_v2(void **ctx) { if (ctx) *ctx = depth ? current[depth - 1] : NULL; if (depth) depth--; return 0; }
/* A fault poisons "the device" until the next context is created: enough for tests that fault one context each. */
CUresult cuCtxCreate_v2(void **ctx, unsigned flags, int d)
{
    (void)flags, (void)d;
    drain(enqueued);
    sticky_error = 0;
    *ctx = malloc(1);
    return cuCtxPushCurrent_v2(*ctx);
}
CUresult cuCtxDestroy_v2(void *ctx)
{
    drain(enqueued);
    if (depth && current[depth - 1] == ctx)
        depth--;
    free(ctx);
    return 0;
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int d) { (void)d; *ctx = &primary_ctx_token; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int d) { (void)d; return 0; }
CUresult cuCtxSynchronize(void) { return drain(enqueued); }
CUresult cuStreamSynchronize(void *s) { (void)s; return drain(enqueued); }
CUresult cuStreamQuery(void *s)
{
    (void)s;
    pthread_mutex_lock(&lock);
    CUresult r = sticky_error ? sticky_error : executed == enqueued ? 0 : NOT_READY;
    pthread_mutex_unlock(&lock);
    return r;
}
CUresult cuStreamCreate(void **s, unsigned flags) { (void)flags; *s = calloc(1, sizeof(fake_stream)); return 0; }
CUresult cuStreamDestroy_v2(void *s) { free(s); return 0; }
CUresult cuStreamIsCapturing(void *s, int *status) { *status = stream_of(s)->capturing; return 0; }
CUresult cuStreamBeginCapture_v2(void *s, int mode) { (void)mode; fake_stream *fs = stream_of(s); fs->capturing = 1; fs->captured.n = 0; return 0; }
CUresult cuStreamEndCapture(void *s, void **graph)
{
    fake_stream *fs = stream_of(s);
    fake_graph *g = malloc(sizeof *g);
    *g = fs->captured;
    fs->capturing = 0;
    *graph = g;
    return 0;
}
CUresult cuGraphInstantiateWithFlags(void **exec, void *graph, unsigned long long flags)
{
    (void)flags;
    *exec = malloc(sizeof(fake_graph));
    memcpy(*exec, graph, sizeof(fake_graph));
    return 0;
}
CUresult cuGraphDestroy(void *g) { free(g); return 0; }
/* Graphs built node by node: every node depends on the one added before it (all gpujob builds), so a graph is its
 * operations in the order added; a child graph node adds a copy of the child's. */
static int node_token;
static CUresult append(fake_graph *g, op o) { if (g->n == MAX_CAPTURED) return 1; g->ops[g->n++] = o; return 0; }
CUresult cuGraphCreate(void **g, unsigned flags) { (void)flags; *g = calloc(1, sizeof(fake_graph)); return 0; }
CUresult cuGraphAddEventRecordNode(void **node, void *g, const void *deps, size_t n, void *event)
{
    (void)deps, (void)n;
    *node = &node_token;
    return append(g, (op){.kind = OP_EVENT, .event = event});
}
CUresult cuGraphAddChildGraphNode(void **node, void *g, const void *deps, size_t n, void *child)
{
    (void)deps, (void)n;
    *node = &node_token;
    fake_graph *c = child;
    for (int i = 0; i < c->n; i++)
        if (append(g, c->ops[i]))
            return 1;
    return 0;
}
CUresult cuGraphExecDestroy(void *g) { free(g); return 0; }
CUresult cuGraphLaunch(void *exec, void *s)
{
    (void)s;
    fake_graph *g = exec;
    for (int i = 0; i < g->n; i++)
        push(g->ops[i]);
    return sticky_error;
}
CUresult cuModuleLoadData(void **m, const void *image) { (void)image; *m = malloc(1); return 0; }
CUresult cuModuleUnload(void *m) { free(m); return 0; }
CUresult cuModuleGetFunction(void **f, void *m, const char *name)
{
    (void)m;
    fake_func *fn = malloc(sizeof *fn);
    fn->trap = !strcmp(name, "trap_kernel");
    fn->increment = !strcmp(name, "gj_complete");
    fn->trap_at = !strcmp(name, "trap_at");
    *f = fn;
    return 0;
}
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void *s, void **params, void **extra)
{
    (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz, (void)shared, (void)extra;
    fake_func *fn = f;
    if (fn->increment)
        return capture_or_push(s, (op){.kind = OP_INCREMENT, .address = (uint32_t *)(uintptr_t)*(CUdeviceptr *)params[0]});
    if (fn->trap_at)
        return capture_or_push(s, (op){.kind = OP_KERNEL, .address = (uint32_t *)(uintptr_t)*(CUdeviceptr *)params[0],
                                       .value = *(unsigned *)params[1]});
    return capture_or_push(s, (op){.kind = OP_KERNEL, .trap = fn->trap});
}
CUresult cuEventCreate(void **e, unsigned flags) { (void)flags; *e = calloc(1, sizeof(fake_event)); return 0; }
/* The real driver lets work still queued outlive an event or pinned buffer; the fake drains first. */
CUresult cuEventDestroy_v2(void *e) { drain(enqueued); free(e); return 0; }
CUresult cuEventRecord(void *e, void *s) { (void)s; return push((op){.kind = OP_EVENT, .event = e}); }
CUresult cuEventQuery(void *e)
{
    fake_event *ev = e;
    pthread_mutex_lock(&lock);
    CUresult r = sticky_error ? sticky_error : ev->done_seq >= ev->recorded_seq ? 0 : NOT_READY;
    pthread_mutex_unlock(&lock);
    return r;
}
CUresult cuEventSynchronize(void *e) { return drain(((fake_event *)e)->recorded_seq); }
CUresult cuEventElapsedTime_v2(float *ms, void *start, void *end)
{
    *ms = (float)((double)(((fake_event *)end)->at_ns - ((fake_event *)start)->at_ns) / 1e6);
    return 0;
}
CUresult cuMemHostAlloc(void **p, size_t bytes, unsigned flags) { (void)flags; *p = calloc(1, bytes); return 0; }
CUresult cuMemFreeHost(void *p) { drain(enqueued); free(p); return 0; }
CUresult cuMemHostGetDevicePointer_v2(CUdeviceptr *d, void *p, unsigned flags) { (void)flags; *d = (CUdeviceptr)(uintptr_t)p; return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr *d, size_t bytes) { *d = (CUdeviceptr)(uintptr_t)calloc(1, bytes); return 0; }
CUresult cuMemFree_v2(CUdeviceptr d) { free((void *)(uintptr_t)d); return 0; }
CUresult cuStreamWriteValue32_v2(void *s, CUdeviceptr address, uint32_t value, unsigned flags)
{
    (void)s, (void)flags;
    return push((op){.kind = OP_WRITE, .address = (uint32_t *)(uintptr_t)address, .value = value});
}
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned value, size_t n, void *s)
{
    (void)s;
    for (size_t i = 0; i < n; i++) /* at capture time: good enough for a fake */
        ((uint32_t *)(uintptr_t)d)[i] = value;
    return 0;
}
CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes) { memcpy(dst, (void *)(uintptr_t)src, bytes); return 0; }
