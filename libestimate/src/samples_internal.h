/* Internal interface between the sample integrator and its readers. */
#ifndef ECOEST_SAMPLES_INTERNAL_H
#define ECOEST_SAMPLES_INTERNAL_H

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

/* The reading statistics, for the readers to update. */
EST_INTERNAL est_samples_read_stats *est__samples_stats(est_samples *s);

/* Parses "YYYY/MM/DD HH:MM:SS[.fff]" (nvidia-smi) or ISO 8601 or Unix
   seconds from s[0..len). Zone-less times use tz (offset), or offs_fn (an
   ambiguous time taking the offset that puts it at or after prev_s), or
   tz_fn. Returns 0, EST_EPARSE (cannot parse), or EST_EINVAL (no zone
   known). */
EST_INTERNAL int est__parse_log_time(const char *s, size_t len, int has_tz,
                                     long tz_offset_s, est_tz_offset_fn tz_fn,
                                     est_tz_offsets_fn offs_fn, void *tz_user,
                                     double prev_s, double *out);

#endif
