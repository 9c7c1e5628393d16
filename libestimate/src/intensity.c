/* Carbon intensity series math: window means, daily means, coverage,
 * energy weighting. See ecoest/intensity.h for the definitions. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecoest/intensity.h"
#include "ecoest/model.h"
#include "internal.h"


static int check_series(const est_intensity_point *pts, size_t n, est_error *err)
{
    size_t i;
    if (n && !pts)
        return est__fail(err, EST_EINVAL, "intensity series: points is NULL");
    for (i = 0; i < n; i++) {
        const est_intensity_point *p = &pts[i];
        if (!isfinite(p->t_unix_s))
            return est__fail(err, EST_EINVAL, "intensity series: point %zu: time is not finite", i);
        if (i && !(p->t_unix_s > pts[i - 1].t_unix_s))
            return est__fail(err, EST_EINVAL,
                             "intensity series: point %zu: time %.0f is not after the "
                             "previous point's %.0f (points must be sorted, no duplicates)",
                             i, p->t_unix_s, pts[i - 1].t_unix_s);
        if (!isfinite(p->dur_s) || !(p->dur_s > 0.0))
            return est__fail(err, EST_EINVAL,
                             "intensity series: point %zu: duration must be > 0 s, got %g",
                             i, p->dur_s);
        if (!isfinite(p->g_co2e_per_kwh) || p->g_co2e_per_kwh < 0.0)
            return est__fail(err, EST_EINVAL,
                             "intensity series: point %zu: intensity must be a finite "
                             "number >= 0, got %g", i, p->g_co2e_per_kwh);
    }
    return EST_OK;
}

static int check_window(double start, double end, const char *what, est_error *err)
{
    if (!isfinite(start) || !isfinite(end))
        return est__fail(err, EST_EINVAL, "%s: start and end must be finite", what);
    if (!(end > start))
        return est__fail(err, EST_EINVAL, "%s: end (%.0f) must be after start (%.0f)", what,
                         end, start);
    if (start < EST_TIME_MIN_UNIX_S || end > EST_TIME_MAX_UNIX_S)
        return est__fail(err, EST_ERANGE, "%s: [%.0f, %.0f) reaches outside years 0001..9999",
                         what, start, end);
    return EST_OK;
}

/* Mean over [start, end) of a checked series: binary search for the first
 * point whose interval may reach start, then walk. */
static int mean_checked(const est_intensity_point *pts, size_t n, double start, double end,
                        est_intensity_stats *out)
{
    size_t lo = 0, hi = n, i;
    double wsum = 0.0, csum = 0.0;
    memset(out, 0, sizeof *out);
    out->window_s = end - start;
    /* first i with t_i > start; the point before it may still overlap */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pts[mid].t_unix_s > start)
            hi = mid;
        else
            lo = mid + 1;
    }
    i = lo ? lo - 1 : 0;
    for (; i < n && pts[i].t_unix_s < end; i++) {
        double a = pts[i].t_unix_s, b = a + pts[i].dur_s, w;
        if (i + 1 < n && pts[i + 1].t_unix_s < b)
            b = pts[i + 1].t_unix_s;
        if (a < start)
            a = start;
        if (b > end)
            b = end;
        w = b - a;
        if (w <= 0.0)
            continue;
        wsum += w;
        csum += w * pts[i].g_co2e_per_kwh;
        out->n_points++;
    }
    out->covered_s = wsum;
    out->coverage_frac = out->window_s > 0.0 ? wsum / out->window_s : 0.0;
    if (out->coverage_frac > 1.0)
        out->coverage_frac = 1.0;
    out->mean_g_co2e_per_kwh = wsum > 0.0 ? csum / wsum : EST_UNSET;
    /* intensities near DBL_MAX times seconds overflow the sum */
    return isfinite(csum) ? 0 : -1;
}

static int too_large(est_error *err, const char *what)
{
    return est__fail(err, EST_ERANGE, "%s: the intensity-weighted sum is too large to "
                     "represent: check the intensities' magnitudes", what);
}

int est_intensity_mean(est_intensity_stats *out, const est_intensity_point *pts, size_t n,
                       double start_unix_s, double end_unix_s, est_error *err)
{
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_intensity_mean: out is NULL");
    memset(out, 0, sizeof *out); /* zeroed on every failure, as the header says */
    if ((rc = check_window(start_unix_s, end_unix_s, "intensity window", err)) != 0 ||
        (rc = check_series(pts, n, err)) != 0)
        return rc;
    if (mean_checked(pts, n, start_unix_s, end_unix_s, out) != 0) {
        memset(out, 0, sizeof *out);
        return too_large(err, "intensity window");
    }
    return EST_OK;
}

size_t est_intensity_days_in_window(double start_unix_s, double end_unix_s)
{
    double first, last;
    if (!isfinite(start_unix_s) || !isfinite(end_unix_s) || !(end_unix_s > start_unix_s))
        return 0;
    first = floor(start_unix_s / EST__DAY_S);
    last = ceil(end_unix_s / EST__DAY_S); /* exclusive */
    if (last - first > 1e9)
        return 0;
    return (size_t)(last - first);
}

int est_intensity_daily(est_intensity_day *days, size_t max_days, size_t *n_days,
                        const est_intensity_point *pts, size_t n, double start_unix_s,
                        double end_unix_s, est_error *err)
{
    size_t need, d;
    double first;
    int rc;
    if (!n_days || (max_days && !days))
        return est__fail(err, EST_EINVAL, "est_intensity_daily: NULL argument");
    *n_days = 0;
    if ((rc = check_window(start_unix_s, end_unix_s, "intensity window", err)) != 0 ||
        (rc = check_series(pts, n, err)) != 0)
        return rc;
    need = est_intensity_days_in_window(start_unix_s, end_unix_s);
    if (need == 0)
        return est__fail(err, EST_ERANGE, "intensity window: too long");
    if (need > max_days) {
        *n_days = need;
        return est__fail(err, EST_ERANGE,
                         "est_intensity_daily: the window spans %zu days, room for %zu", need,
                         max_days);
    }
    first = floor(start_unix_s / EST__DAY_S);
    for (d = 0; d < need; d++) {
        est_intensity_day *day = &days[d];
        double d0 = (first + (double)d) * EST__DAY_S, d1 = d0 + EST__DAY_S;
        day->days_since_epoch = (long)(first + (double)d);
        day->start_unix_s = start_unix_s > d0 ? start_unix_s : d0;
        day->end_unix_s = end_unix_s < d1 ? end_unix_s : d1;
        if (mean_checked(pts, n, day->start_unix_s, day->end_unix_s, &day->stats) != 0)
            return too_large(err, "intensity window");
    }
    *n_days = need;
    return EST_OK;
}

int est_intensity_energy_weighted(est_intensity_weighted *out, const est_intensity_point *pts,
                                  size_t n, const est_intensity_energy_bin *bins, size_t n_bins,
                                  est_error *err)
{
    size_t b;
    int rc;
    if (!out || (n_bins && !bins))
        return est__fail(err, EST_EINVAL, "est_intensity_energy_weighted: NULL argument");
    memset(out, 0, sizeof *out);
    out->mean_g_co2e_per_kwh = EST_UNSET;
    if ((rc = check_series(pts, n, err)) != 0)
        return rc;
    for (b = 0; b < n_bins; b++) {
        const est_intensity_energy_bin *e = &bins[b];
        char what[48];
        snprintf(what, sizeof what, "energy bin %zu", b);
        if ((rc = check_window(e->start_unix_s, e->end_unix_s, what, err)) != 0)
            return rc;
        if (!isfinite(e->energy_kwh) || e->energy_kwh < 0.0)
            return est__fail(err, EST_EINVAL,
                             "energy bin %zu: energy must be a finite number >= 0 kWh, got %g",
                             b, e->energy_kwh);
    }
    for (b = 0; b < n_bins; b++) {
        est_intensity_stats st;
        if (mean_checked(pts, n, bins[b].start_unix_s, bins[b].end_unix_s, &st) != 0)
            goto overflow;
        out->energy_kwh += bins[b].energy_kwh;
        if (!st.n_points) {
            out->n_bins_without_data++;
            continue;
        }
        out->covered_energy_kwh += bins[b].energy_kwh;
        out->co2e_g += bins[b].energy_kwh * st.mean_g_co2e_per_kwh;
    }
    if (!isfinite(out->energy_kwh) || !isfinite(out->co2e_g))
        goto overflow;
    if (out->covered_energy_kwh > 0.0)
        out->mean_g_co2e_per_kwh = out->co2e_g / out->covered_energy_kwh;
    out->coverage_frac = out->energy_kwh > 0.0 ? out->covered_energy_kwh / out->energy_kwh : 0.0;
    return EST_OK;

overflow:
    memset(out, 0, sizeof *out);
    out->mean_g_co2e_per_kwh = EST_UNSET;
    return est__fail(err, EST_ERANGE, "energy bins: the total energy or CO2e is too large to "
                     "represent: check the bins' energies and the intensities' magnitudes");
}
