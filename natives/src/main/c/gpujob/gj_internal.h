/* What the core (gpujob.c) and the backends share; not installed, not part of the API. */
#ifndef GPUOS_GPUJOB_INTERNAL_H
#define GPUOS_GPUJOB_INTERNAL_H
#include "gpujob.h"
#include "predictor.h"
#include <pthread.h>
#include <stdatomic.h>

#define GJ_MAGIC_LIVE 0x6770756a6f62a11fULL
#define GJ_MAGIC_DEAD 0x6770756a6f62deadULL
#define GJ_DEFAULT_MARGIN_NS 5000u
/* A job the interposer builds around a stream it does not own: no record, no graph; the span between two
 * synchronizations is the work (gj__marker_begin / gj__marker_end). */
#define GJ__JOB_MARKER 0x100u

struct gj_backend_ops {
    int (*job_init)(gj_job *job);                                     /* queue, arena, completion word, events */
    int (*record)(gj_job *job, gj_record_fn record, void *user);
    int (*submit)(gj_job *job);                                       /* work, end event, word := job->seq */
    int (*query)(gj_job *job);                                        /* GJ_OK done, GJ_EAGAIN, or an error */
    int (*block)(gj_job *job);                                        /* the driver's blocking wait */
    uint64_t (*gpu_ns)(gj_job *job);                                  /* last submission's GPU time; 0: unknown */
    void (*job_fini)(gj_job *job);
    void (*close)(gj_backend *backend);
    int (*device_name)(gj_backend *backend, char *name, int len);
    void *(*context)(const gj_backend *backend);
    int (*marker_begin)(gj_job *job, void *stream);                   /* interposer: span start on a foreign stream */
    int (*marker_end)(gj_job *job, void *stream);                     /* interposer: end event + word on it */
};

struct gj_backend {
    const struct gj_backend_ops *ops;
    atomic_int live_jobs;
    void *impl;
};

#define GJ_GAP_WINDOW 8

struct gj_job {
    uint64_t magic;
    gj_backend *backend;
    gj_stats stats;
    uint32_t flags, margin_ns;
    uint64_t arena_bytes, arena;
    volatile uint32_t *word;    /* the completion word: the device writes job->seq there; NULL: poll by query */
    uint32_t seq;               /* sequence number of the last submission */
    uint64_t submit_ns;         /* CLOCK_MONOTONIC at the last submission (marker: at the span start) */
    int efd;                    /* completion eventfd, -1 without GJ_JOB_FD */
    int blocking_waits;         /* set by the first GJ_WAIT_BLOCKING: from then on submissions carry a blocking event */
    gj_predictor predictor;
    /* Completion thread (GJ_JOB_FD): waits for job->seq like a PREDICT wait, then writes efd. */
    pthread_t thread;
    int thread_started;
    atomic_uint armed_seq;      /* futex word: the submission the thread should signal */
    atomic_uint signaled_seq;   /* the last submission whose end the thread wrote to efd */
    atomic_int thread_idle;     /* 1 while the thread sleeps in FUTEX_WAIT: only then does submit wake it */
    atomic_int stopping;
    atomic_int thread_status;   /* GJ_OK or the error the thread saw (a fault), for the waiter */
    pthread_mutex_t finish_lock;/* the waiter and the thread both may finish a submission: once only */
    uint32_t finished_seq;
    /* The completion thread's own: when it last wrote efd, and the last gaps from that write to the next submission
     * (a caller waiting on the fd in a loop resubmits after about the same gap every time). */
    uint64_t signal_ns;
    uint64_t gap_ns[GJ_GAP_WINDOW];
    uint32_t n_gap, next_gap;
    void *impl;                 /* the backend's per-job data */
};

int gj__cuda_open(gj_backend *backend, int device, int ctx_flags);
/* GPUJOB_TIME_EVERY (unset: 16): GJ_EINVAL unless an integer from 1 to 1000000. Read at every CUDA backend open. */
int gj__time_every(uint32_t *out);
int gj__opencl_open(gj_backend *backend, int device);
/* The one place driver codes become gj_status; keeps the driver code in job->stats.last_backend_error. */
int gj__from_cuda(gj_job *job, int cuda_result);
int gj__from_opencl(gj_job *job, int cl_status);
int gj__opencl_event_failed(gj_job *job, int event_status);
/* dlsym as the library must call it: the interposer replaces dlsym for the program, not for us. */
extern void *(*gj__dlsym)(void *handle, const char *name);
uint64_t gj__now_ns(void);
/* For the interposer and the test backend. */
int gj__job_create_marker(gj_backend *backend, uint32_t margin_ns, uint32_t flags, gj_job **out);
int gj__marker_begin(gj_job *job, void *stream);
int gj__marker_end(gj_job *job, void *stream);
int gj__backend_custom(gj_backend **out, const struct gj_backend_ops *ops, void *impl);
#endif
