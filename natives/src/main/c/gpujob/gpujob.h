/* gpujob: a GPU job the OS can see. A job is one unit of GPU work submitted as one (a captured CUDA graph or a
 * replayed list of OpenCL enqueues), the device memory it owns, and its completion: a word the GPU writes into
 * host-mapped memory, an eventfd that becomes readable, and per-job accounting readable without a system call.
 * The specification is docs/gpu-job.md. No link-time dependency on CUDA or OpenCL: libcuda.so.1 and
 * libOpenCL.so.1 are dlopen'ed by gj_backend_open. Every function returns GJ_OK (0) or a negative gj_status. */
#ifndef GPUOS_GPUJOB_H
#define GPUOS_GPUJOB_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gj_status {
    GJ_OK = 0,
    GJ_EAGAIN = -1,       /* gj_poll: the job has not completed yet (not an error) */
    GJ_EINVAL = -2,       /* a NULL pointer, a bad flag, mode or size */
    GJ_EBADJOB = -3,      /* not a live job: destroyed (double destroy) or never created (magic check) */
    GJ_ESTATE = -4,       /* not allowed in the job's state: wait before any submit, record twice, submit unrecorded */
    GJ_EBUSY = -5,        /* the previous submission is still running: wait for it first */
    GJ_ENOBACKEND = -6,   /* libcuda.so.1 / libOpenCL.so.1 missing, or a symbol the backend needs is missing */
    GJ_ENODEVICE = -7,    /* no such device, or the driver has no usable device */
    GJ_ENOMEM = -8,       /* host, pinned or device memory for the job's arena could not be allocated */
    GJ_EJOBFAULT = -9,    /* the job's GPU work failed (a kernel fault); gj_backend_error() holds the driver's code */
    GJ_EBACKEND = -10,    /* any other driver error; gj_backend_error() holds the driver's code */
    GJ_EUNSUPPORTED = -11,/* the backend cannot do this (e.g. GJ_WAIT_FD on a job created without GJ_JOB_FD) */
    GJ_EBADFD = -12,      /* the completion fd was closed (or replaced) by the caller: EBADF from the kernel */
    GJ_ESYS = -13,        /* another system call failed; errno is kept in gj_stats.last_errno */
    GJ_ERECORD = -14,     /* the record callback returned non-zero; its value is in gj_backend_error() */
} gj_status;

/* Returns a static English description ("GJ_ESTATE: not allowed in the job's state"); never NULL. */
const char *gj_strerror(int status);

typedef enum gj_backend_kind { GJ_BACKEND_CUDA = 1, GJ_BACKEND_OPENCL = 2 } gj_backend_kind;

/* How a wait blocks. SPIN: poll the completion word. BLOCKING: the driver's own blocking wait (CUDA:
 * cuEventSynchronize on an event with CU_EVENT_BLOCKING_SYNC; OpenCL: clWaitForEvents). FD: block in read(2) on
 * the completion fd (the job needs GJ_JOB_FD). PREDICT: sleep until the predicted end minus the margin
 * (clock_nanosleep TIMER_ABSTIME), then poll the completion word with no system call. */
typedef enum gj_wait_mode { GJ_WAIT_SPIN = 0, GJ_WAIT_BLOCKING = 1, GJ_WAIT_FD = 2, GJ_WAIT_PREDICT = 3 } gj_wait_mode;

typedef struct gj_backend gj_backend;
typedef struct gj_job gj_job;

/* CUDA contexts for gj_backend_open's cuda_ctx_flags; a value >= 0 creates a context of the backend's own with those
 * CU_CTX_* flags (a kernel fault then poisons only that context). */
#define GJ_CUDA_PRIMARY_CONTEXT (-1) /* retain the device's primary context (the one cudart uses) */
#define GJ_CUDA_CURRENT_CONTEXT (-2) /* the context current on the calling thread (the interposer's case) */

/* Opens a backend on device `device` (CUDA ordinal, or the device-th OpenCL device over all platforms).
 * cuda_ctx_flags: see above; ignored by OpenCL. */
int gj_backend_open(gj_backend **out, gj_backend_kind kind, int device, int cuda_ctx_flags);
/* Closes a backend whose jobs are all destroyed (else GJ_EBUSY). */
int gj_backend_close(gj_backend *backend);
/* Writes the device's name (NUL-terminated, truncated to len). */
int gj_backend_device_name(gj_backend *backend, char *name, int len);
/* The driver context jobs run in: a CUcontext (push it to load modules) or a cl_context (to build programs). */
void *gj_backend_context(const gj_backend *backend);

/* Enqueues the job's work onto `native_queue` (CUDA: a CUstream being captured, the job's context current; OpenCL:
 * the job's in-order cl_command_queue). Returns 0, or a non-zero value of the caller's choice (a CUresult, cl_int)
 * that makes gj_record (CUDA) or gj_submit (OpenCL) fail with GJ_ERECORD. CUDA calls it once, inside gj_record
 * (capture); OpenCL stores it at gj_record and calls it at every gj_submit (replay). */
typedef int (*gj_record_fn)(gj_job *job, void *native_queue, void *user);

#define GJ_JOB_FD 0x1u   /* a completion thread makes the completion fd readable at the end of every submission */

typedef struct gj_job_attr {
    uint64_t arena_bytes;   /* device memory owned by the job, allocated at create (0: none) */
    uint32_t flags;         /* GJ_JOB_* */
    uint32_t margin_ns;     /* PREDICT and FD: wake this long before the predicted end (0: default 5000) */
} gj_job_attr;

/* Creates a job: its queue/stream, arena, completion word, timing events and completion fd. attr may be NULL. */
int gj_job_create(gj_backend *backend, const gj_job_attr *attr, gj_job **out);
/* CREATED -> RECORDED: the work, recorded once (CUDA: stream capture into a graph, instantiated here). */
int gj_record(gj_job *job, gj_record_fn record, void *user);
/* RECORDED or COMPLETE -> SUBMITTED: enqueues the work, the end timing event and the completion word write.
 * Allocates nothing. GJ_EBUSY while the previous submission has not been seen complete. */
int gj_submit(gj_job *job);
/* SUBMITTED -> COMPLETE (or FAILED: GJ_EJOBFAULT). On COMPLETE returns GJ_OK at once. */
int gj_wait(gj_job *job, gj_wait_mode mode);
/* One look at the completion word, no system call: GJ_OK when complete, GJ_EAGAIN when not yet. */
int gj_poll(gj_job *job);
/* The completion fd (an eventfd, EFD_CLOEXEC, blocking) of a job with GJ_JOB_FD, -1 without: the completion thread
 * adds 1 when it sees a submission end, so it is readable (poll/epoll) once a submission has ended and nobody has
 * read it since. gj_wait(GJ_WAIT_FD) reads it; a caller may read it itself instead. Owned by the job: do not close
 * it (gj_wait then reports GJ_EBADFD). */
int gj_completion_fd(const gj_job *job);
/* The job's device memory: a CUdeviceptr (CUDA) or cl_mem (OpenCL), as an integer; 0 without an arena. */
uint64_t gj_arena(const gj_job *job);
/* Waits for an unfinished submission (driver blocking wait), releases everything the job owns and marks the
 * handle dead: a second destroy returns GJ_EBADJOB. Any other use after destroy is undefined. */
int gj_job_destroy(gj_job *job);
/* The driver's code behind the last GJ_EJOBFAULT/GJ_EBACKEND/GJ_ERECORD (CUresult or cl_int); 0 if none. */
int gj_backend_error(const gj_job *job);

/* Per-job accounting. Plain memory inside the job, updated by the library's threads with relaxed atomic
 * stores: read it any time, from any thread, without a system call (each field is consistent, the set is not). */
typedef struct gj_stats {
    uint64_t submissions, completions, failures;
    uint64_t gpu_ns_total, gpu_ns_last;    /* from timing events: GPU start to GPU end of the job's work, over the
                                              timed completions (timed_completions) */
    uint64_t waits;                        /* gj_wait calls on a submitted or completed job */
    uint64_t wait_ns_total;                /* wall time inside gj_wait (CLOCK_MONOTONIC, vDSO) */
    uint64_t wait_poll_ns_total;           /* wall time spent polling: on-CPU time unless the thread was preempted */
    uint64_t wait_sleep_ns_total;          /* wall time asleep in clock_nanosleep/read/driver blocking wait */
    uint64_t lib_syscalls;                 /* system calls the library issued for waits and fd signals (not the driver's) */
    uint64_t predicted_end_ns_last;        /* CLOCK_MONOTONIC: predicted end of the last submission (0: no prediction) */
    uint64_t observed_end_ns_last;         /* CLOCK_MONOTONIC: when the library saw the last completion */
    uint64_t wakes_early, wakes_late;      /* PREDICT/FD sleeps that woke before / after the completion */
    uint64_t wake_early_ns_total;          /* polling after early wakes: the cost of waking early */
    uint64_t fallback_query_polls;         /* completions polled through the driver (no stream memory ops) */
    uint64_t fd_signals;                   /* eventfd writes by the completion thread */
    uint64_t predicted_latency_ns;         /* current prediction: submit to GPU end */
    int32_t last_backend_error;            /* as gj_backend_error() */
    int32_t last_errno;                    /* errno behind the last GJ_ESYS / GJ_EBADFD */
    uint32_t completion_by_word;           /* 1: GPU-written word polled; 0: driver event query (fallback) */
    uint32_t state;                        /* gj_job_state */
    uint64_t submit_driver_calls;          /* driver calls made by submissions (CUDA: 1 per folded submission, 4 unfolded) */
    uint64_t timed_completions;            /* completions with a GPU time (gpu_ns_*): CUDA folded jobs time 1 in 16 */
} gj_stats;

typedef enum gj_job_state {
    GJ_STATE_CREATED = 1, GJ_STATE_RECORDED = 2, GJ_STATE_SUBMITTED = 3, GJ_STATE_COMPLETE = 4, GJ_STATE_FAILED = 5
} gj_job_state;

/* The job's accounting, in place (valid until gj_job_destroy). NULL for a dead handle. */
const gj_stats *gj_stats_of(const gj_job *job);

#ifdef __cplusplus
}
#endif
#endif
