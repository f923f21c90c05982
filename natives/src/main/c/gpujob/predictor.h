/* The duration predictor of a job (docs/gpu-job.md, "Prediction"). Pure arithmetic, no clock, no system call. */
#ifndef GPUOS_GPUJOB_PREDICTOR_H
#define GPUOS_GPUJOB_PREDICTOR_H
#include <stdint.h>

#define GJ_PRED_GPU_WINDOW 8     /* GPU durations: the minimum of the last 8, so a longer job is learned in 8 runs */
#define GJ_PRED_OFFSET_WINDOW 32 /* exact offsets: their 10th percentile, so one slow launch does not move the wake */

#define GJ_PRED_OVERSLEEP_WINDOW 16
#define GJ_PRED_SLOWER_AFTER 3     /* exact ends far past the prediction in a row: forget what came before them */ /* wake-up delays: their median is subtracted from the next deadline */

typedef struct gj_predictor {
    uint64_t gpu_ns[GJ_PRED_GPU_WINDOW];    /* GPU durations from timing events: do not depend on when we woke */
    uint64_t offset_ns[GJ_PRED_OFFSET_WINDOW]; /* submit -> GPU end minus GPU duration, from early wakes only */
    uint32_t n_gpu, next_gpu, n_offset, next_offset;
    uint64_t late_cut_ns; /* moves the wake earlier after late wakes (doubling); cleared by the next early wake */
    uint64_t oversleep_ns[GJ_PRED_OVERSLEEP_WINDOW]; /* how late clock_nanosleep returned after its deadline */
    uint32_t n_oversleep, next_oversleep;
    /* What the two functions below answer, worked out when a sample comes in: they are read at every submit and
     * wait, and sorting the windows there cost ~1 us per job (3 predictions and a lead per submission). */
    uint64_t latency_ns, lead_ns;
    uint32_t early_streak; /* exact ends far after the prediction in a row: the job got slower (e.g. a shared GPU) */
} gj_predictor;

/* Predicted submit -> GPU end latency in ns; 0 while there is no GPU duration yet (no prediction). */
uint64_t gj__predict_latency(const gj_predictor *p);
/* One finished submission. gpu_ns: its GPU duration (0: unknown). latency_ns: submit -> when the library saw the
 * end. exact: the library was polling when the end came (an early wake), so latency_ns is the end itself; a late
 * wake only bounds it from above and never raises the prediction (that is what made an EWMA run away). */
void gj__predictor_observe(gj_predictor *p, uint64_t gpu_ns, uint64_t latency_ns, int exact, uint32_t margin_ns);
/* How late a sleep returned after its deadline: measured on every sleep, whatever the job did. */
void gj__predictor_overslept(gj_predictor *p, uint64_t late_ns);
/* The median wake-up delay of recent sleeps: sleep this much shorter to wake on time (0 before any sleep). */
uint64_t gj__wake_lead(const gj_predictor *p);
#endif
