/*
 * ecoest/greenest.h - the greenest hour: when to start a job so that its
 * mean carbon intensity is lowest (`ecoest when`).
 *
 * Pure computation over an intensity series (ecoest/intensity.h): no I/O, no
 * allocation, thread-safe.
 */
#ifndef ECOEST_GREENEST_H
#define ECOEST_GREENEST_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/intensity.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A forecast from history: for each time t_i = first_unix_s + i x step_s
 * (i < n_out), the mean over the history_days most recent past days of the
 * intensity over [t_i - k days, t_i - k days + step_s), k the smallest whole
 * number of days that puts that interval before history_end_unix_s, then
 * the next ones (a plain mean of the days that have data). Writes the
 * forecast points that have data to out (dur_s = step_s), in order, and
 * their number to *n_written; a time with no history is left out.
 * EST_EINVAL: NULL arguments, step_s <= 0, history_days 0, non-finite
 * times; errors of est_intensity_mean for a malformed series.
 */
int est_greenest_forecast_history(est_intensity_point *out, size_t n_out, size_t *n_written,
                            const est_intensity_point *pts, size_t n, double first_unix_s,
                            double step_s, double history_end_unix_s, unsigned history_days,
                            est_error *err);

typedef struct est_greenest_choice {
    double start_unix_s;             /* the best start */
    double mean_g_co2e_per_kwh;      /* mean over [start, start + duration) */
    double coverage_frac;            /* of that window */
    double first_start_unix_s;       /* the earliest start considered ("now") */
    double first_mean_g_co2e_per_kwh; /* its mean; EST_UNSET without enough data */
    double saving_frac;              /* 1 - best / first; EST_UNSET when the
                                        first is unknown or 0 */
    size_t n_candidates;             /* starts with enough coverage */
    double reserved[4];
} est_greenest_choice;

/*
 * Tries every start s = earliest + k x step_s up to latest_start (both
 * included) and picks the one whose window [s, s + duration_s) has the
 * lowest mean intensity, among windows covered at least min_coverage_frac
 * (0..1); ties go to the earliest start. EST_ENODATA when no window has
 * enough coverage. EST_EINVAL: NULL arguments, latest < earliest,
 * duration_s or step_s <= 0, min_coverage_frac outside 0..1, more than
 * 100000 candidates; errors of est_intensity_mean.
 */
int est_greenest_best_window(est_greenest_choice *out, const est_intensity_point *pts, size_t n,
                       double earliest_start_unix_s, double latest_start_unix_s,
                       double duration_s, double step_s, double min_coverage_frac,
                       est_error *err);

#ifdef __cplusplus
}
#endif

#endif
