/*
 * ecoest/intensity.h - carbon intensity series: means over a window, per UTC
 * day, coverage, and an energy-weighted mean.
 *
 * Pure computation: no I/O, no allocation, no global state; thread-safe.
 *
 * A series is an array of points sorted by time, strictly increasing. Each
 * point holds for an interval: point i covers
 *     [t_i, min(t_i + dur_s_i, t_{i+1}))
 * (a 15-minute RTE value covers 15 minutes, an hourly Electricity Maps value
 * one hour; a point never overlaps the next). Times are Unix seconds, UTC.
 *
 * The mean over a window [start, end) weights each point by the seconds its
 * interval overlaps the window:
 *     mean = sum_i w_i c_i / sum_i w_i,   w_i = |interval_i & [start, end)|
 * When the window starts and ends on the points' grid (whole 15-minute steps
 * for RTE, whole hours for Electricity Maps) every w_i is the full step and
 * this is exactly the plain mean of the points with start <= t_i < end.
 *
 * The same sum split at UTC midnights gives the daily means; because the
 * weights add up, the window's mean equals the mean of the daily means
 * weighted by the covered hours of each day, and with complete data (the
 * usual case) by the run's hours in each day:
 *     mean = sum_d covered_h_d mean_d / sum_d covered_h_d.
 *
 * Coverage: covered seconds (sum_i w_i) over the window's seconds, in 0..1.
 * Missing points (not yet published, null, gaps) lower it; they are never
 * filled in.
 */
#ifndef ECOEST_INTENSITY_H
#define ECOEST_INTENSITY_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One value of a series. */
typedef struct est_intensity_point {
    double t_unix_s;         /* start of the interval the value holds for */
    double dur_s;            /* its nominal length, > 0 (900 for RTE, 3600
                                for hourly data) */
    double g_co2e_per_kwh;   /* >= 0, finite */
} est_intensity_point;

/* The mean of a series over a window. */
typedef struct est_intensity_stats {
    double mean_g_co2e_per_kwh; /* -1 (EST_UNSET) when no point overlaps */
    double covered_s;          /* seconds of the window with a value */
    double window_s;           /* end - start */
    double coverage_frac;      /* covered_s / window_s, 0..1 */
    size_t n_points;           /* points whose interval overlaps the window */
} est_intensity_stats;

/*
 * Mean over [start_unix_s, end_unix_s) as described above. An empty overlap
 * is not an error: *out has n_points 0, coverage 0 and mean -1.
 * EST_EINVAL (err names the point or bound): pts NULL with n > 0, out NULL,
 * a non-finite or unsorted time (t_i <= t_{i-1}), dur_s <= 0 or not finite, a
 * negative or non-finite intensity, a non-finite window or end <= start.
 * EST_ERANGE: a window reaching outside EST_TIME_MIN_UNIX_S..
 * EST_TIME_MAX_UNIX_S (years 0001..9999), or intensities so large that the
 * weighted sum overflows a double; *out is then zeroed. Never an infinite
 * or NaN result.
 */
int est_intensity_mean(est_intensity_stats *out, const est_intensity_point *pts, size_t n,
                       double start_unix_s, double end_unix_s, est_error *err);

/* One UTC day of a window. */
typedef struct est_intensity_day {
    long days_since_epoch;     /* the UTC day: est_civil_from_days gives the date */
    double start_unix_s;       /* the part of the window in that day: */
    double end_unix_s;         /*   [max(window start, midnight), min(end, next midnight)) */
    est_intensity_stats stats;        /* the mean over that part; stats.window_s / 3600
                                  are the run's hours in the day */
} est_intensity_day;

/* Number of UTC days a window [start, end) touches (0 when invalid). */
size_t est_intensity_days_in_window(double start_unix_s, double end_unix_s);

/*
 * Per-UTC-day means of a window: one est_intensity_day per day the window touches,
 * in order (days without any point included, with n_points 0). days must hold
 * max_days entries; *n_days gets the number of days. EST_ERANGE when max_days
 * is smaller than est_intensity_days_in_window() (*n_days then holds the number
 * needed), or when the window reaches outside
 * EST_TIME_MIN_UNIX_S..EST_TIME_MAX_UNIX_S (years 0001..9999). Other errors
 * as est_intensity_mean.
 */
int est_intensity_daily(est_intensity_day *days, size_t max_days, size_t *n_days,
                        const est_intensity_point *pts, size_t n, double start_unix_s,
                        double end_unix_s, est_error *err);

/* Energy used over [start_unix_s, end_unix_s), e.g. one bin of a sample log
   (power x time). */
typedef struct est_intensity_energy_bin {
    double start_unix_s;
    double end_unix_s;   /* > start */
    double energy_kwh;   /* >= 0 */
} est_intensity_energy_bin;

typedef struct est_intensity_weighted {
    double mean_g_co2e_per_kwh; /* sum_b E_b CI_b / sum_b E_b over the bins with
                                   data; -1 (EST_UNSET) when none has */
    double co2e_g;              /* sum_b E_b CI_b over the bins with data */
    double energy_kwh;          /* sum of all bins' energy */
    double covered_energy_kwh;  /* energy of the bins with data */
    double coverage_frac;       /* covered_energy / energy (0 when energy 0) */
    size_t n_bins_without_data;
} est_intensity_weighted;

/*
 * Energy-weighted intensity: each bin's intensity CI_b is the series' mean
 * over the bin (est_intensity_mean; the energy is taken as uniform inside a bin),
 * and the bins are weighted by their energy. A bin no point overlaps is left
 * out and counted in n_bins_without_data; the caller decides what to use for
 * its energy (e.g. the time-weighted mean). Bins need not be sorted nor
 * contiguous. EST_EINVAL for a bin with end <= start, non-finite bounds or a
 * negative or non-finite energy (err names the bin), and the series errors of
 * est_intensity_mean. EST_ERANGE for a bin outside years 0001..9999 (as
 * est_intensity_mean), or when the total energy or CO2e overflows a double (e.g.
 * energies near DBL_MAX): *out is then zeroed with mean -1. Never an
 * infinite or NaN result.
 */
int est_intensity_energy_weighted(est_intensity_weighted *out, const est_intensity_point *pts,
                                  size_t n, const est_intensity_energy_bin *bins, size_t n_bins,
                                  est_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_INTENSITY_H */
