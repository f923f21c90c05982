#include "predictor.h"
#include <string.h>

/* The k-th smallest of n samples (n <= 32): a copy, insertion-sorted. */
static uint64_t kth_smallest(const uint64_t *samples, uint32_t n, uint32_t k)
{
    uint64_t sorted[GJ_PRED_OFFSET_WINDOW];
    memcpy(sorted, samples, n * sizeof *samples);
    for (uint32_t i = 1; i < n; i++) {
        uint64_t v = sorted[i];
        uint32_t j = i;
        for (; j > 0 && sorted[j - 1] > v; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = v;
    }
    return sorted[k];
}

/* The 10th percentile of a window (its minimum below 10 samples): a low quantile, so one slow run does not move the
 * wake later, and a late wake, which feeds nothing here, cannot either. With n <= 8 it is the minimum. */
static uint64_t low_quantile(const uint64_t *samples, uint32_t n) { return kth_smallest(samples, n, n / 10); }

static uint64_t latency_of(const gj_predictor *p)
{
    if (p->n_gpu == 0)
        return 0;
    uint64_t gpu = low_quantile(p->gpu_ns, p->n_gpu);
    uint64_t latency = gpu + (p->n_offset ? low_quantile(p->offset_ns, p->n_offset) : 0);
    /* The GPU part alone bounds the latency from below, so the late cut never goes under it. */
    return latency > gpu + p->late_cut_ns ? latency - p->late_cut_ns : gpu;
}

uint64_t gj__predict_latency(const gj_predictor *p) { return p->latency_ns; }

/* Keeps only the newest `keep` samples of a ring buffer of `window`. */
static void keep_newest(uint64_t *ring, uint32_t window, uint32_t *n, uint32_t *next, uint32_t keep)
{
    if (*n <= keep)
        return;
    uint64_t newest[GJ_PRED_OFFSET_WINDOW];
    for (uint32_t i = 0; i < keep; i++)
        newest[i] = ring[(*next + window - keep + i) % window];
    memcpy(ring, newest, keep * sizeof *ring);
    *n = keep;
    *next = keep % window;
}

void gj__predictor_observe(gj_predictor *p, uint64_t gpu_ns, uint64_t latency_ns, int exact, uint32_t margin_ns)
{
    if (gpu_ns > 0) {
        p->gpu_ns[p->next_gpu] = gpu_ns;
        p->next_gpu = (p->next_gpu + 1) % GJ_PRED_GPU_WINDOW;
        if (p->n_gpu < GJ_PRED_GPU_WINDOW)
            p->n_gpu++;
    }
    if (exact) {
        /* An offset needs both ends: without this submission's GPU time the whole latency would pass for launch
         * delay. The wake was early all the same, so the late cut goes. */
        if (gpu_ns > 0) {
            p->offset_ns[p->next_offset] = latency_ns > gpu_ns ? latency_ns - gpu_ns : 0;
            p->next_offset = (p->next_offset + 1) % GJ_PRED_OFFSET_WINDOW;
            if (p->n_offset < GJ_PRED_OFFSET_WINDOW)
                p->n_offset++;
            /* The low quantiles learn a slower job only when most of their windows is slower (~30 runs): on a GPU
             * that N processes share, each step up of N cost that many wakes polled for most of the job. A few
             * ends in a row far past the prediction say the job got slower: keep only them. */
            uint64_t far = p->latency_ns / 8 > 4ull * margin_ns ? p->latency_ns / 8 : 4ull * margin_ns;
            p->early_streak = p->latency_ns && latency_ns > p->latency_ns + far ? p->early_streak + 1 : 0;
            if (p->early_streak >= GJ_PRED_SLOWER_AFTER) {
                keep_newest(p->offset_ns, GJ_PRED_OFFSET_WINDOW, &p->n_offset, &p->next_offset, GJ_PRED_SLOWER_AFTER);
                keep_newest(p->gpu_ns, GJ_PRED_GPU_WINDOW, &p->n_gpu, &p->next_gpu, GJ_PRED_SLOWER_AFTER);
                p->early_streak = 0;
            }
        }
        p->late_cut_ns = 0;
    } else {
        /* Late: the end came before the wake, by an unknown amount. Wake earlier next time: one margin, then twice
         * as much per further late wake, so a prediction far too late (a stale offset) recovers in a few runs. */
        p->late_cut_ns = p->late_cut_ns ? p->late_cut_ns * 2 : margin_ns;
        if (p->late_cut_ns > 1000000000u)
            p->late_cut_ns = 1000000000u;
    }
    p->latency_ns = latency_of(p);
}

void gj__predictor_overslept(gj_predictor *p, uint64_t late_ns)
{
    p->oversleep_ns[p->next_oversleep] = late_ns;
    p->next_oversleep = (p->next_oversleep + 1) % GJ_PRED_OVERSLEEP_WINDOW;
    if (p->n_oversleep < GJ_PRED_OVERSLEEP_WINDOW)
        p->n_oversleep++;
    p->lead_ns = kth_smallest(p->oversleep_ns, p->n_oversleep, p->n_oversleep / 2);
}

/* The timer's own delay (hrtimer expiry, then the scheduler putting the thread back on a CPU) is known after every
 * sleep, unlike the job's end; without it, a margin smaller than that delay made most wakes late on the H200. The median, not the minimum: a rare fast wake must not make all late. */
uint64_t gj__wake_lead(const gj_predictor *p) { return p->lead_ns; }
