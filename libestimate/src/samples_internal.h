/* Internal interface between the sample integrator and its readers. */
#ifndef ECOEST_SAMPLES_INTERNAL_H
#define ECOEST_SAMPLES_INTERNAL_H

#include <math.h>

#include "ecoest/samples.h"
#include "internal.h"

/* A new source id (one per reader), > 0. The push API is source 0. */
EST_INTERNAL unsigned est__samples_new_source(est_samples *s);

/* est_samples_push for source src, which names itself as who (a file name,
   for the message when two sources give the same quantity). */
EST_INTERNAL int est__samples_push_src(est_samples *s, unsigned src,
                                       const char *who, double time_unix_s,
                                       const est_sample *values, size_t n,
                                       est_error *err);

/* Pushes nrows rows of source src (> 0) at once: row i is the time
   rows[i * (1 + nval)] and the values rows[i * (1 + nval) + 1 + j] of the
   kinds and devices tmpl[j], j < nval; every time finite and within years
   0001..9999, every value checked (est__sample_check, >= 0, or NaN). The
   result equals nval x nrows calls of est__samples_push_src in row order,
   bit for bit. Returns 0, or 1 (nothing done) when the block needs those
   calls: a channel new or of another source, energy bins, busy cores to
   derive. */
EST_INTERNAL int est__samples_push_block(est_samples *s, unsigned src, const char *who,
                                         const est_sample *tmpl, size_t nval,
                                         const double *rows, size_t nrows);

/* Whether est__samples_push_series may take values of the channel (kind,
   device) from source src (> 0): the channel is known, of that source, and
   no energy bins are kept. */
EST_INTERNAL int est__samples_series_ok(const est_samples *s, unsigned src,
                                        est_samples_kind kind, unsigned device);

/* Pushes n values of one channel that est__samples_series_ok accepts: the
   pair i is the time tv[2 i] and the value tv[2 i + 1] (checked as for
   est__samples_push_block, or NaN). The result equals n calls of
   est__samples_push_src with that one value, in order, bit for bit; the
   channels are independent of each other, so the values of a block of rows
   may be pushed channel by channel, when no row gives a channel twice and
   no value is derived from two channels (busy cores). */
EST_INTERNAL void est__samples_push_series(est_samples *s, unsigned src, const char *who,
                                           est_samples_kind kind, unsigned device,
                                           const double *tv, size_t n);

/* Gives r (zeroed by the caller) room for n GPUs (r->n_gpus 0, to be
   counted up as they are filled in gpus_private): EST_OK or EST_ENOMEM. */
EST_INTERNAL int est__samples_result_gpus(est_samples_result *r, size_t n, est_error *err);

/* est_samples_check_overlap, saying which quantity is at fault on
   EST_ENODATA: the one that starts after another ended, or the least
   covered one (*fault's kind and device; untouched otherwise). */
EST_INTERNAL int est__samples_overlap(const est_samples_result *res, est_sample *fault,
                                      est_error *err);

/* How many readers fed s (each takes a source id); 0 for NULL. */
EST_INTERNAL unsigned est__samples_sources(const est_samples *s);

/* The name of the input (reader) that last gave the quantity (kind,
   device) of s, or NULL (none, or the push interface). */
EST_INTERNAL const char *est__samples_who(const est_samples *s, est_samples_kind kind,
                                          unsigned device);

/* The reading statistics, for the readers to update. */
EST_INTERNAL est_samples_read_stats *est__samples_stats(est_samples *s);

/* Parses "YYYY/MM/DD HH:MM:SS[.fff]" (nvidia-smi) or ISO 8601 or Unix
   seconds from s[0..len). Zone-less times use tz (offset), or offs_fn (an
   ambiguous time taking the offset that puts it at or after prev_s), or
   tz_fn. Returns 0, EST_EPARSE (cannot parse), or EST_EINVAL (no zone
   known). */
EST_INTERNAL int est__parse_log_time(const char *s, size_t len, int has_tz,
                                     long tz_offset_s, est_samples_tz_offset_fn tz_fn,
                                     est_samples_tz_offsets_fn offs_fn, void *tz_user,
                                     double prev_s, double *out);

/* The plausibility bounds of a sample value that is finite and >= 0: the
   one rule of the push interface and of both reading paths. */
typedef enum est__sample_bound {
    EST__SAMPLE_OK = 0,
    EST__SAMPLE_USAGE_ABOVE_1,  /* a usage above 1 */
    EST__SAMPLE_NO_CORES,       /* 0 cores */
    EST__SAMPLE_CORES_HIGH,     /* above EST_SAMPLES_CORES_MAX */
    EST__SAMPLE_RAM_HIGH,       /* above EST_SAMPLES_RAM_MAX_GB */
    EST__SAMPLE_POWER_HIGH      /* above EST_SAMPLES_POWER_MAX_W */
} est__sample_bound;

static inline est__sample_bound est__sample_check(est_samples_kind kind, double v)
{
    switch (kind) {
    case EST_SAMPLES_CPU_USAGE_FRAC:
    case EST_SAMPLES_GPU_USAGE_FRAC:
        return v > 1.0 ? EST__SAMPLE_USAGE_ABOVE_1 : EST__SAMPLE_OK;
    case EST_SAMPLES_CPU_CORES:
        if (v == 0.0)
            return EST__SAMPLE_NO_CORES;
        return v > EST_SAMPLES_CORES_MAX ? EST__SAMPLE_CORES_HIGH : EST__SAMPLE_OK;
    case EST_SAMPLES_CPU_BUSY_CORES:
        return v > EST_SAMPLES_CORES_MAX ? EST__SAMPLE_CORES_HIGH : EST__SAMPLE_OK;
    case EST_SAMPLES_RAM_USED_GB:
        return v > EST_SAMPLES_RAM_MAX_GB ? EST__SAMPLE_RAM_HIGH : EST__SAMPLE_OK;
    case EST_SAMPLES_GPU_POWER_W:
    case EST_SAMPLES_CPU_PACKAGE_POWER_W:
    case EST_SAMPLES_NODE_POWER_W:
        return v > EST_SAMPLES_POWER_MAX_W ? EST__SAMPLE_POWER_HIGH : EST__SAMPLE_OK;
    default:
        return EST__SAMPLE_OK;
    }
}

/* est__sample_check as two numbers, for the row parsers' hot loops: a
   finite v >= 0 of that kind passes iff !(v > est__sample_max(kind)) and,
   for a count of cores, v != 0 (est__sample_nonzero). Kept next to it:
   the same bounds. */
static inline double est__sample_max(est_samples_kind kind)
{
    switch (kind) {
    case EST_SAMPLES_CPU_USAGE_FRAC:
    case EST_SAMPLES_GPU_USAGE_FRAC:
        return 1.0;
    case EST_SAMPLES_CPU_CORES:
    case EST_SAMPLES_CPU_BUSY_CORES:
        return EST_SAMPLES_CORES_MAX;
    case EST_SAMPLES_RAM_USED_GB:
        return EST_SAMPLES_RAM_MAX_GB;
    case EST_SAMPLES_GPU_POWER_W:
    case EST_SAMPLES_CPU_PACKAGE_POWER_W:
    case EST_SAMPLES_NODE_POWER_W:
        return EST_SAMPLES_POWER_MAX_W;
    default:
        return HUGE_VAL;
    }
}

static inline int est__sample_nonzero(est_samples_kind kind)
{
    return kind == EST_SAMPLES_CPU_CORES;
}

/* An aggregate integrator (ecoest/samples.h's est_samples_set total): an
   est_samples whose results come from callbacks instead of its own
   channels. est_samples_compute, est_samples_set_gpu_idle,
   est_samples_energy_bins, est_samples_stats and
   est_samples_finish call these; a push or est_samples_set_gpu_info on it
   is EST_EINVAL. Freed with est_samples_free (user is not freed). */
typedef struct est__samples_agg {
    int (*compute)(void *user, est_samples_result *out, est_error *err);
    int (*set_gpu_idle)(void *user, unsigned device, double idle_w);
    int (*energy_bins)(void *user, const est_samples_bin_weights *w, est_intensity_energy_bin *bins,
                       size_t max_bins, size_t *n_bins, est_error *err);
    void (*read_stats)(void *user, est_samples_read_stats *out);
    int (*finish)(void *user, est_error *err);
} est__samples_agg;

EST_INTERNAL int est__samples_open_agg(est_samples **s, const est__samples_agg *agg,
                                       void *user);

#endif
