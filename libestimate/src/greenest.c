/* The greenest hour: best start window and a forecast from history. */
#include <math.h>
#include <string.h>

#include "ecoest/greenest.h"
#include "internal.h"

int est_greenest_forecast_history(est_intensity_point *out, size_t n_out, size_t *n_written,
                            const est_intensity_point *pts, size_t n, double first_unix_s,
                            double step_s, double history_end_unix_s, unsigned history_days,
                            est_error *err)
{
    size_t i, w = 0;
    if (!out || !n_written || (n && !pts))
        return est__fail(err, EST_EINVAL, "est_greenest_forecast_history: NULL argument");
    *n_written = 0;
    if (!isfinite(step_s) || step_s <= 0.0 || !isfinite(first_unix_s) ||
        !isfinite(history_end_unix_s) || history_days == 0)
        return est__fail(err, EST_EINVAL, "est_greenest_forecast_history: expected step_s > 0, "
                         "finite times and history_days >= 1");
    for (i = 0; i < n_out; i++) {
        double t = first_unix_s + (double)i * step_s, sum = 0.0, k;
        unsigned d, have = 0;
        /* the most recent whole day back that ends before the history does */
        k = ceil((t + step_s - history_end_unix_s) / EST__DAY_S);
        if (k < 1.0)
            k = 1.0;
        for (d = 0; d < history_days; d++) {
            est_intensity_stats st;
            double s = t - (k + d) * EST__DAY_S;
            int rc = est_intensity_mean(&st, pts, n, s, s + step_s, err);
            if (rc)
                return rc;
            if (st.n_points) {
                sum += st.mean_g_co2e_per_kwh;
                have++;
            }
        }
        if (!have)
            continue;
        out[w].t_unix_s = t;
        out[w].dur_s = step_s;
        out[w].g_co2e_per_kwh = sum / have;
        w++;
    }
    *n_written = w;
    return EST_OK;
}

int est_greenest_best_window(est_greenest_choice *out, const est_intensity_point *pts, size_t n,
                       double earliest_start_unix_s, double latest_start_unix_s,
                       double duration_s, double step_s, double min_coverage_frac,
                       est_error *err)
{
    double k_max, k;
    int found = 0;
    if (!out || (n && !pts))
        return est__fail(err, EST_EINVAL, "est_greenest_best_window: NULL argument");
    memset(out, 0, sizeof *out);
    if (!isfinite(earliest_start_unix_s) || !isfinite(latest_start_unix_s) ||
        latest_start_unix_s < earliest_start_unix_s)
        return est__fail(err, EST_EINVAL, "est_greenest_best_window: expected finite starts, the "
                         "latest not before the earliest");
    if (!isfinite(duration_s) || duration_s <= 0.0 || !isfinite(step_s) || step_s <= 0.0)
        return est__fail(err, EST_EINVAL, "est_greenest_best_window: expected a duration and a "
                         "step above 0");
    if (!(min_coverage_frac >= 0.0 && min_coverage_frac <= 1.0))
        return est__fail(err, EST_EINVAL, "est_greenest_best_window: min_coverage_frac outside 0..1");
    k_max = floor((latest_start_unix_s - earliest_start_unix_s) / step_s + 1e-9);
    if (k_max > 100000.0)
        return est__fail(err, EST_EINVAL, "est_greenest_best_window: more than 100000 starts (a "
                         "larger step?)");
    out->first_start_unix_s = earliest_start_unix_s;
    out->first_mean_g_co2e_per_kwh = EST_UNSET;
    out->saving_frac = EST_UNSET;
    for (k = 0.0; k <= k_max; k += 1.0) {
        double s = earliest_start_unix_s + k * step_s;
        est_intensity_stats st;
        int rc = est_intensity_mean(&st, pts, n, s, s + duration_s, err);
        if (rc)
            return rc;
        if (!st.n_points || st.coverage_frac < min_coverage_frac)
            continue;
        if (k == 0.0)
            out->first_mean_g_co2e_per_kwh = st.mean_g_co2e_per_kwh;
        out->n_candidates++;
        if (!found || st.mean_g_co2e_per_kwh < out->mean_g_co2e_per_kwh) {
            found = 1;
            out->start_unix_s = s;
            out->mean_g_co2e_per_kwh = st.mean_g_co2e_per_kwh;
            out->coverage_frac = st.coverage_frac;
        }
    }
    if (!found) {
        double first = out->first_start_unix_s;
        memset(out, 0, sizeof *out);
        out->first_start_unix_s = first;
        return est__fail(err, EST_ENODATA, "no start window has intensity data for at least "
                         "%.0f%% of its time", min_coverage_frac * 100.0);
    }
    if (out->first_mean_g_co2e_per_kwh > 0.0)
        out->saving_frac = 1.0 - out->mean_g_co2e_per_kwh / out->first_mean_g_co2e_per_kwh;
    return EST_OK;
}
