/* The greenest hour: best start window, a forecast from history, and the
   plan of ecoest when (which forecast, which windows, the saving). */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
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

/* ---- the plan (ecoest when's rules) ---- */

#define GP_MAX_WITHIN_H (24.0 * 14)
#define GP_MAX_HISTORY_DAYS 60u
#define GP_DEFAULT_LABEL "the provider's forecast"

int est_greenest_plan_init(est_greenest_plan *out, const est_greenest_plan_options *o,
                           est_error *err)
{
    int back;
    if (!out || !o)
        return est__fail(err, EST_EINVAL, "est_greenest_plan_init: NULL argument");
    memset(out, 0, sizeof *out);
    if (o->version < 1 || o->version > EST_GREENEST_PLAN_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_greenest_plan_init: options version %u (expected "
                         "1..%d)", o->version, EST_GREENEST_PLAN_OPTIONS_VERSION);
    if (!isfinite(o->now_unix_s))
        return est__fail(err, EST_EINVAL, "est_greenest_plan: now_unix_s: expected a finite time");
    if (!isfinite(o->duration_s) || !(o->duration_s > 0.0))
        return est__fail(err, EST_EINVAL, "est_greenest_plan: duration_s: expected a runtime "
                         "above 0 s, got %g", o->duration_s);
    if (!(o->within_h >= 0.0 && o->within_h <= GP_MAX_WITHIN_H))
        return est__fail(err, EST_EINVAL, "est_greenest_plan: within_h: expected 0..%g h, got %g",
                         GP_MAX_WITHIN_H, o->within_h);
    if (o->history_days < 1 || o->history_days > GP_MAX_HISTORY_DAYS)
        return est__fail(err, EST_EINVAL, "est_greenest_plan: history_days: expected 1..%u, "
                         "got %u", GP_MAX_HISTORY_DAYS, o->history_days);
    if (!isfinite(o->step_s) || !(o->step_s > 0.0))
        return est__fail(err, EST_EINVAL, "est_greenest_plan: step_s: expected a step above 0 s, "
                         "got %g", o->step_s);
    if (!(o->min_coverage_frac >= 0.0 && o->min_coverage_frac <= 1.0))
        return est__fail(err, EST_EINVAL, "est_greenest_plan: min_coverage_frac: expected 0..1, "
                         "got %g", o->min_coverage_frac);
    back = o->look_back_start_unix_s != EST_UNSET || o->look_back_end_unix_s != EST_UNSET;
    if (back) {
        if (o->look_back_start_unix_s == EST_UNSET || o->look_back_end_unix_s == EST_UNSET ||
            !isfinite(o->look_back_start_unix_s) || !isfinite(o->look_back_end_unix_s))
            return est__fail(err, EST_EINVAL, "est_greenest_plan: looking back needs both "
                             "look_back_start_unix_s and look_back_end_unix_s, finite");
        if (!(o->look_back_end_unix_s - o->look_back_start_unix_s >= o->duration_s))
            return est__fail(err, EST_ERANGE, "est_greenest_plan: the look-back range (%g s) is "
                             "shorter than the duration (%g s)",
                             o->look_back_end_unix_s - o->look_back_start_unix_s, o->duration_s);
        out->look_back = 1;
        out->first_start_unix_s = o->look_back_start_unix_s;
        out->latest_start_unix_s = o->look_back_end_unix_s - o->duration_s;
        out->history_start_unix_s = o->look_back_start_unix_s;
        out->history_end_unix_s = o->look_back_end_unix_s;
        return EST_OK;
    }
    out->first_start_unix_s = ceil(o->now_unix_s / o->step_s) * o->step_s;
    out->latest_start_unix_s = out->first_start_unix_s + o->within_h * 3600.0;
    out->history_end_unix_s = floor(o->now_unix_s / 3600.0) * 3600.0;
    out->history_start_unix_s = out->history_end_unix_s - (double)o->history_days * EST__DAY_S;
    out->history_days = o->history_days;
    return EST_OK;
}

/* The provider's forecast: 1 and *out when a window is covered; 0 with the
   plan's note when none is; or an error. */
static int plan_provider(est_greenest_choice *out, est_greenest_plan *p,
                         const est_greenest_plan_options *o, const est_intensity_point *fc,
                         size_t n_fc, est_error *err)
{
    est_error why;
    const char *label = o->forecast_label ? o->forecast_label : GP_DEFAULT_LABEL;
    int rc = est_greenest_best_window(out, fc, n_fc, p->first_start_unix_s,
                                      p->latest_start_unix_s, o->duration_s, o->step_s,
                                      o->min_coverage_frac, &why);
    if (rc == EST_OK) {
        p->method = EST_GREENEST_METHOD_PROVIDER;
        p->n_forecast_points = n_fc;
        return 1;
    }
    if (rc != EST_ENODATA) {
        if (err)
            *err = why;
        return rc;
    }
    p->forecast_uncovered = 1;
    est__snprintf_c(p->note, sizeof p->note, "%s (%zu points) does not cover a start window: %s",
                    label, n_fc, why.message);
    if (o->provider_only)
        return est__fail(err, EST_ENODATA, "%s", p->note);
    strncat(p->note, ". Falling back to the forecast from history.",
            sizeof p->note - strlen(p->note) - 1);
    return 0;
}

/* The forecast from history over [first, latest + duration), then its best
   window. */
static int plan_history(est_greenest_choice *out, est_greenest_plan *p,
                        const est_greenest_plan_options *o, const est_intensity_point *hist,
                        size_t n_hist, est_error *err)
{
    est_intensity_point *fc;
    size_t n_fc = 0;
    /* the steps that cover [first, latest + duration) */
    double cap_d = ceil((p->latest_start_unix_s + o->duration_s - p->first_start_unix_s) /
                            o->step_s - 1e-9);
    int rc;
    if (!(cap_d <= 200000.0))
        return est__fail(err, EST_EINVAL, "est_greenest_plan: more than 100000 starts (a larger "
                         "step?)");
    fc = calloc((size_t)cap_d, sizeof *fc);
    if (!fc)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = est_greenest_forecast_history(fc, (size_t)cap_d, &n_fc, hist, n_hist,
                                       p->first_start_unix_s, o->step_s, p->history_end_unix_s,
                                       o->history_days, err);
    if (rc == EST_OK)
        rc = est_greenest_best_window(out, fc, n_fc, p->first_start_unix_s,
                                      p->latest_start_unix_s, o->duration_s, o->step_s,
                                      o->min_coverage_frac, err);
    free(fc);
    if (rc == EST_OK) {
        p->method = EST_GREENEST_METHOD_HISTORY;
        p->n_forecast_points = n_fc;
    }
    return rc;
}

int est_greenest_plan_choose(est_greenest_choice *out, est_greenest_plan *plan,
                             const est_greenest_plan_options *opts,
                             const est_intensity_point *forecast, size_t n_forecast,
                             const est_intensity_point *history, size_t n_history,
                             est_error *err)
{
    int rc;
    if (!out || !plan)
        return est__fail(err, EST_EINVAL, "est_greenest_plan_choose: NULL argument");
    memset(out, 0, sizeof *out);
    if ((rc = est_greenest_plan_init(plan, opts, err)) != EST_OK)
        return rc;
    plan->n_history_points = history ? n_history : 0;
    if (plan->look_back) {
        if (forecast)
            return est__fail(err, EST_EINVAL, "est_greenest_plan_choose: a forecast looking back");
        rc = est_greenest_best_window(out, history, history ? n_history : 0,
                                      plan->first_start_unix_s, plan->latest_start_unix_s,
                                      opts->duration_s, opts->step_s, opts->min_coverage_frac,
                                      err);
        if (rc == EST_OK)
            plan->method = EST_GREENEST_METHOD_LOOK_BACK;
        return rc;
    }
    if (forecast) {
        rc = plan_provider(out, plan, opts, forecast, n_forecast, err);
        if (rc != 0)
            return rc < 0 ? rc : EST_OK;
    } else if (opts->forecast_note) {
        est__snprintf_c(plan->note, sizeof plan->note, "%s", opts->forecast_note);
    }
    if (!history) {
        plan->needs_history = 1;
        return est__fail(err, EST_ENODATA, "est_greenest_plan_choose: the history series of the "
                         "plan's history window is needed");
    }
    return plan_history(out, plan, opts, history, n_history, err);
}

/* *job as the current struct: the fields of its version, the defaults of
   the later ones (a caller built against an older header passes a shorter
   struct). */
static void job_copy(est_estimate_options *eo, const est_estimate_options *job)
{
    static const est_estimate_options init = EST_ESTIMATE_OPTIONS_INIT;
    size_t n = job->version >= 3   ? sizeof *eo
               : job->version == 2 ? offsetof(est_estimate_options, platform)
                                   : offsetof(est_estimate_options, cpu_power_model);
    *eo = init;
    memcpy(eo, job, n);
}

int est_greenest_job_figures(est_greenest_job *out, const est_greenest_choice *choice,
                             double duration_s, const est_estimate_options *job,
                             const est_hwdb *db, const est_zones *zones, est_error *err)
{
    est_estimate_options eo;
    est_estimate *est = NULL;
    int rc, i;
    if (out) {
        out->energy_kwh = out->best_co2e_g = out->first_co2e_g = out->saving_g = EST_UNSET;
        out->water_l = EST_UNSET;
        memset(out->reserved, 0, sizeof out->reserved);
    }
    if (!out || !choice || !job)
        return est__fail(err, EST_EINVAL, "est_greenest_job_figures: NULL argument");
    if (!isfinite(duration_s) || !(duration_s > 0.0))
        return est__fail(err, EST_EINVAL, "est_greenest_job_figures: duration_s: expected a "
                         "runtime above 0 s, got %g", duration_s);
    for (i = 0; i < 2; i++) {
        double ci = i == 0 ? choice->mean_g_co2e_per_kwh : choice->first_mean_g_co2e_per_kwh;
        if (i == 1 && !(ci >= 0.0))
            break;
        job_copy(&eo, job);
        eo.runtime_h = duration_s / 3600.0;
        eo.ci_g_co2e_per_kwh = ci;
        rc = est_estimate_run(&est, &eo, db, zones, err);
        if (rc) {
            out->energy_kwh = out->best_co2e_g = out->first_co2e_g = out->water_l = EST_UNSET;
            return rc;
        }
        if (i == 0) {
            est_water_result w;
            out->energy_kwh = est_estimate_model(est)->total.energy_kwh;
            out->best_co2e_g = est_estimate_headline_co2e_g(est);
            out->water_l = est_estimate_water(&w, NULL, est) ? w.water_l : EST_UNSET;
        } else {
            out->first_co2e_g = est_estimate_headline_co2e_g(est);
            out->saving_g = out->first_co2e_g - out->best_co2e_g;
        }
        est_estimate_free(est);
        est = NULL;
    }
    return EST_OK;
}
