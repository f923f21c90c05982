/* OpenCL backend: libOpenCL.so.1 (the ICD loader) dlopen'ed, the few types declared here (values from CL/cl.h,
 * OpenCL 1.2). A job is an in-order profiling queue; its recorded work is the caller's callback, replayed at every
 * submission between two markers. OpenCL has no device-side write into host memory, so completion is seen one of
 * two ways (GPUJOB_OCL_COMPLETION=callback|query; default by the device's vendor):
 *   callback  the runtime's CL_COMPLETE event callback (clSetEventCallback) writes the completion word, on the
 *             runtime's thread: the default on PoCL and other CPU runtimes;
 *   query     no word: waits poll the end event's status (clGetEventInfo), user space on NVIDIA, whose callback
 *             thread spins in sched_yield (100-165 per job on an H200 and an H100, 2026-12-02) and costs more CPU than the job. */
#define _GNU_SOURCE
#include "gj_internal.h"
#include <dlfcn.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

typedef int32_t cl_int;
typedef uint32_t cl_uint;
typedef uint64_t cl_ulong;
typedef cl_ulong cl_bitfield;
typedef struct _cl_platform_id *cl_platform_id;
typedef struct _cl_device_id *cl_device_id;
typedef struct _cl_context *cl_context;
typedef struct _cl_command_queue *cl_command_queue;
typedef struct _cl_mem *cl_mem;
typedef struct _cl_event *cl_event;

#define CL_DEVICE_TYPE_ALL 0xFFFFFFFFu
#define CL_DEVICE_NAME 0x102B
#define CL_DEVICE_VENDOR 0x102C
#define CL_QUEUE_PROFILING_ENABLE (1u << 1)
#define CL_MEM_READ_WRITE (1u << 0)
#define CL_COMPLETE 0
#define CL_EVENT_REFERENCE_COUNT 0x11D2
#define CL_EVENT_COMMAND_EXECUTION_STATUS 0x11D3
#define CL_PROFILING_COMMAND_END 0x1283

static struct {
    cl_int (*GetPlatformIDs)(cl_uint, cl_platform_id *, cl_uint *);
    cl_int (*GetDeviceIDs)(cl_platform_id, cl_bitfield, cl_uint, cl_device_id *, cl_uint *);
    cl_int (*GetDeviceInfo)(cl_device_id, cl_uint, size_t, void *, size_t *);
    cl_context (*CreateContext)(const intptr_t *, cl_uint, const cl_device_id *, void *, void *, cl_int *);
    cl_int (*ReleaseContext)(cl_context);
    cl_command_queue (*CreateCommandQueue)(cl_context, cl_device_id, cl_bitfield, cl_int *);
    cl_int (*ReleaseCommandQueue)(cl_command_queue);
    cl_mem (*CreateBuffer)(cl_context, cl_bitfield, size_t, void *, cl_int *);
    cl_int (*ReleaseMemObject)(cl_mem);
    cl_int (*EnqueueMarkerWithWaitList)(cl_command_queue, cl_uint, const cl_event *, cl_event *);
    cl_int (*SetEventCallback)(cl_event, cl_int, void (*)(cl_event, cl_int, void *), void *);
    cl_int (*WaitForEvents)(cl_uint, const cl_event *);
    cl_int (*GetEventInfo)(cl_event, cl_uint, size_t, void *, size_t *);
    cl_int (*GetEventProfilingInfo)(cl_event, cl_uint, size_t, void *, size_t *);
    cl_int (*ReleaseEvent)(cl_event);
    cl_int (*Flush)(cl_command_queue);
    cl_int (*Finish)(cl_command_queue);
} cl;

typedef struct ocl_backend {
    cl_context context;
    cl_device_id device;
    int completion_by_callback; /* else by querying the end event */
} ocl_backend;

/* The events of one submission. OCL_SLOTS slots, used in turn: a slot's events are released only when it is reused,
 * OCL_SLOTS submissions later, because the runtime may still be inside (or just returning from) the end event's
 * callback when the word it wrote lets the caller resubmit. PoCL 3.1 holds the event's lock for a moment after our
 * callback has returned, and aborts ("PTHREAD ERROR in POclReleaseEvent(): Device or resource busy") when the event
 * is released then: with two slots this still happened in about 1 CI run of 6 on the loaded 2-core machine. */
#define OCL_SLOTS 16
typedef struct ocl_submission {
    cl_event start, end;
    uint32_t seq;
    atomic_int callback_returned;
    struct ocl_job *owner;
} ocl_submission;

typedef struct ocl_job {
    cl_command_queue queue;
    cl_mem arena;
    ocl_submission slots[OCL_SLOTS];
    int current;
    gj_record_fn record;
    void *user;
    uint32_t word; /* the completion word; the end event's callback stores the submission's number */
} ocl_job;

static int load(void)
{
    static int loaded = GJ_EAGAIN;
    if (loaded != GJ_EAGAIN)
        return loaded;
    void *lib = dlopen("libOpenCL.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return loaded = GJ_ENOBACKEND;
    struct { void **slot; const char *name; } syms[] = {
        {(void **)&cl.GetPlatformIDs, "clGetPlatformIDs"}, {(void **)&cl.GetDeviceIDs, "clGetDeviceIDs"},
        {(void **)&cl.GetDeviceInfo, "clGetDeviceInfo"}, {(void **)&cl.CreateContext, "clCreateContext"},
        {(void **)&cl.ReleaseContext, "clReleaseContext"}, {(void **)&cl.CreateCommandQueue, "clCreateCommandQueue"},
        {(void **)&cl.ReleaseCommandQueue, "clReleaseCommandQueue"}, {(void **)&cl.CreateBuffer, "clCreateBuffer"},
        {(void **)&cl.ReleaseMemObject, "clReleaseMemObject"},
        {(void **)&cl.EnqueueMarkerWithWaitList, "clEnqueueMarkerWithWaitList"},
        {(void **)&cl.SetEventCallback, "clSetEventCallback"}, {(void **)&cl.WaitForEvents, "clWaitForEvents"},
        {(void **)&cl.GetEventInfo, "clGetEventInfo"}, {(void **)&cl.GetEventProfilingInfo, "clGetEventProfilingInfo"},
        {(void **)&cl.ReleaseEvent, "clReleaseEvent"}, {(void **)&cl.Flush, "clFlush"}, {(void **)&cl.Finish, "clFinish"},
    };
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++)
        if (!(*syms[i].slot = gj__dlsym(lib, syms[i].name)))
            return loaded = GJ_ENOBACKEND;
    return loaded = GJ_OK;
}

static void on_end(cl_event event, cl_int status, void *arg)
{
    (void)event;
    ocl_submission *sub = arg;
    if (status == CL_COMPLETE) /* an abnormal end leaves the word: the poll's periodic query reports it */
        __atomic_store_n(&sub->owner->word, sub->seq, __ATOMIC_RELEASE);
    atomic_store(&sub->callback_returned, 1);
}

/* The runtime drops its own references to a finished command's event on its threads (PoCL: after the CL_COMPLETE
 * callbacks), and PoCL's clReleaseEvent is not safe against a concurrent release of the same event: the one that frees
 * it destroys a mutex the other still holds ("PTHREAD ERROR in POclReleaseEvent(): Device or resource busy", seen in
 * CI at job destroy). So ours, the last, waits until it is the only reference left, for at most ~1 s. */
static void release_last(cl_event event)
{
    for (int i = 0; i < 100000; i++) {
        cl_uint refs = 0;
        if (cl.GetEventInfo(event, CL_EVENT_REFERENCE_COUNT, sizeof refs, &refs, NULL) != 0 || refs <= 1)
            break;
        if (i < 1000) {
            sched_yield();
        } else {
            struct timespec pause = {0, 10000};
            nanosleep(&pause, NULL);
        }
    }
    /* The count may be read without the event's lock, which the last other releaser can still hold just after its
     * decrement: one status read (under that lock where the runtime guards status with it) lets it finish first. */
    cl_int status;
    cl.GetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL);
    cl.ReleaseEvent(event);
}

static void release_slot(ocl_submission *sub)
{
    if (sub->end) /* the callback is registered for CL_COMPLETE, which comes before any release we make */
        while (!atomic_load(&sub->callback_returned))
            sched_yield();
    if (sub->start)
        release_last(sub->start);
    if (sub->end)
        release_last(sub->end);
    sub->start = sub->end = NULL;
}

static int ocl_job_init(gj_job *job)
{
    ocl_backend *ob = job->backend->impl;
    ocl_job *oj = calloc(1, sizeof *oj);
    if (!oj)
        return GJ_ENOMEM;
    job->impl = oj;
    cl_int err;
    oj->queue = cl.CreateCommandQueue(ob->context, ob->device, CL_QUEUE_PROFILING_ENABLE, &err);
    if (!oj->queue)
        return gj__from_opencl(job, err);
    if (job->arena_bytes) {
        oj->arena = cl.CreateBuffer(ob->context, CL_MEM_READ_WRITE, job->arena_bytes, NULL, &err);
        if (!oj->arena)
            return gj__from_opencl(job, err);
        job->arena = (uint64_t)(uintptr_t)oj->arena;
    }
    job->word = ob->completion_by_callback ? &oj->word : NULL;
    return GJ_OK;
}

static int ocl_record(gj_job *job, gj_record_fn record, void *user)
{
    ocl_job *oj = job->impl;
    oj->record = record;
    oj->user = user;
    return GJ_OK;
}

static int ocl_submit(gj_job *job)
{
    ocl_job *oj = job->impl;
    /* The other slot is released and refilled before `current` names it: the completion thread queries
     * slots[current] at any time, and a query on a released event aborted PoCL 5 on the H200 node. */
    int next = (oj->current + 1) % OCL_SLOTS;
    ocl_submission *sub = &oj->slots[next];
    release_slot(sub);
    sub->seq = job->seq;
    sub->owner = oj;
    atomic_store(&sub->callback_returned, 0);
    cl_int err = cl.EnqueueMarkerWithWaitList(oj->queue, 0, NULL, &sub->start);
    if (err)
        return gj__from_opencl(job, err);
    int user_status = oj->record(job, oj->queue, oj->user);
    if (user_status != 0) {
        __atomic_store_n(&job->stats.last_backend_error, user_status, __ATOMIC_RELAXED);
        cl.Finish(oj->queue); /* what the callback did enqueue must not run into the next submission */
        return GJ_ERECORD;
    }
    if ((err = cl.EnqueueMarkerWithWaitList(oj->queue, 0, NULL, &sub->end)))
        return gj__from_opencl(job, err);
    if (!((ocl_backend *)job->backend->impl)->completion_by_callback) {
        atomic_store(&sub->callback_returned, 1); /* no callback: waits query the end event */
    } else if ((err = cl.SetEventCallback(sub->end, CL_COMPLETE, on_end, sub))) {
        atomic_store(&sub->callback_returned, 1); /* none registered: nothing to wait for at release */
        return gj__from_opencl(job, err);
    }
    __atomic_store_n(&oj->current, next, __ATOMIC_RELEASE);
    /* Ours, not the replayed callback's: two markers, the callback registration, the flush. */
    __atomic_fetch_add(&job->stats.submit_driver_calls, 3u + ((ocl_backend *)job->backend->impl)->completion_by_callback,
                       __ATOMIC_RELAXED);
    return gj__from_opencl(job, cl.Flush(oj->queue));
}

static int ocl_query(gj_job *job)
{
    ocl_job *oj = job->impl;
    cl_int status;
    cl_int err = cl.GetEventInfo(oj->slots[oj->current].end, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL);
    if (err)
        return gj__from_opencl(job, err);
    if (status < 0)
        return gj__opencl_event_failed(job, status);
    return status == CL_COMPLETE ? GJ_OK : GJ_EAGAIN;
}

static int ocl_block(gj_job *job)
{
    ocl_job *oj = job->impl;
    cl_int err = cl.WaitForEvents(1, &oj->slots[oj->current].end);
    if (err == -14)
        return ocl_query(job); /* the event's own status says what failed */
    return gj__from_opencl(job, err);
}

static uint64_t ocl_gpu_ns(gj_job *job)
{
    ocl_submission *sub = &((ocl_job *)job->impl)->slots[((ocl_job *)job->impl)->current];
    cl_ulong start = 0, end = 0;
    if (cl.GetEventProfilingInfo(sub->start, CL_PROFILING_COMMAND_END, sizeof start, &start, NULL) ||
        cl.GetEventProfilingInfo(sub->end, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL) || end < start)
        return 0;
    return end - start;
}

static void ocl_job_fini(gj_job *job)
{
    ocl_job *oj = job->impl;
    if (!oj)
        return;
    if (oj->queue)
        cl.Finish(oj->queue);
    /* After clFinish every callback has been called, but the last ones may still hold their event's lock (above):
     * give them a millisecond before the releases. Once per job, at destroy. */
    struct timespec settle = {0, 1000000};
    nanosleep(&settle, NULL);
    for (int i = 0; i < OCL_SLOTS; i++)
        release_slot(&oj->slots[i]);
    if (oj->arena)
        cl.ReleaseMemObject(oj->arena);
    if (oj->queue)
        cl.ReleaseCommandQueue(oj->queue);
    free(oj);
    job->impl = NULL;
}

static void ocl_close(gj_backend *backend)
{
    ocl_backend *ob = backend->impl;
    cl.ReleaseContext(ob->context);
    free(ob);
}

static int ocl_device_name(gj_backend *backend, char *name, int len)
{
    ocl_backend *ob = backend->impl;
    name[0] = '\0';
    cl_int err = cl.GetDeviceInfo(ob->device, CL_DEVICE_NAME, (size_t)len, name, NULL);
    name[len - 1] = '\0';
    return gj__from_opencl(NULL, err);
}

static void *ocl_context(const gj_backend *backend) { return ((ocl_backend *)backend->impl)->context; }

static const struct gj_backend_ops ocl_ops = {
    .job_init = ocl_job_init, .record = ocl_record, .submit = ocl_submit, .query = ocl_query, .block = ocl_block,
    .gpu_ns = ocl_gpu_ns, .job_fini = ocl_job_fini, .close = ocl_close, .device_name = ocl_device_name,
    .context = ocl_context,
};

int gj__opencl_open(gj_backend *backend, int device)
{
    int r = load();
    if (r != GJ_OK)
        return r;
    cl_platform_id platforms[16];
    cl_uint nplatforms = 0;
    cl_int err = cl.GetPlatformIDs(16, platforms, &nplatforms);
    if (err)
        return gj__from_opencl(NULL, err);
    cl_device_id chosen = NULL;
    for (cl_uint p = 0, seen = 0; p < nplatforms && p < 16 && !chosen; p++) {
        cl_device_id devices[64];
        cl_uint n = 0;
        if (cl.GetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 64, devices, &n))
            continue;
        if (device < (int)(seen + n))
            chosen = devices[device - (int)seen];
        seen += n;
    }
    if (!chosen)
        return GJ_ENODEVICE;
    ocl_backend *ob = calloc(1, sizeof *ob);
    if (!ob)
        return GJ_ENOMEM;
    ob->device = chosen;
    const char *mode = getenv("GPUJOB_OCL_COMPLETION");
    if (mode && *mode) {
        if (strcmp(mode, "callback") != 0 && strcmp(mode, "query") != 0) {
            free(ob);
            return GJ_EINVAL; /* a typo must not silently pick the other mode */
        }
        ob->completion_by_callback = strcmp(mode, "callback") == 0;
    } else {
        char vendor[128] = "";
        cl.GetDeviceInfo(chosen, CL_DEVICE_VENDOR, sizeof vendor, vendor, NULL);
        vendor[sizeof vendor - 1] = '\0';
        ob->completion_by_callback = strstr(vendor, "NVIDIA") == NULL;
    }
    ob->context = cl.CreateContext(NULL, 1, &chosen, NULL, NULL, &err);
    if (!ob->context) {
        free(ob);
        return gj__from_opencl(NULL, err);
    }
    backend->ops = &ocl_ops;
    backend->impl = ob;
    return GJ_OK;
}
