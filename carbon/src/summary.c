/* Windows as values: the checks of a window, the zone-average window, and
 * freeing and reading a window. Nothing here touches the network, so that
 * the CLI, which links the static library and loads the network part only
 * when it needs it, can make and read these without libcurl. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

/* 9999-12-31T23:59:59Z */
#define ECAR_TIME_MAX_UNIX_S 253402300799.0

int est_carbon_window_check(double start_unix_s, double end_unix_s, est_error *err)
{
    size_t nd;
    if (!isfinite(start_unix_s) || !isfinite(end_unix_s) || !(end_unix_s > start_unix_s))
        return est__fail(err, EST_EINVAL, "the window's end must be after its start");
    nd = est_intensity_days_in_window(start_unix_s, end_unix_s);
    if (nd > EST_CARBON_MAX_DAYS)
        return est__fail(err, EST_ERANGE, "the window spans %zu UTC days; live intensity "
                         "covers at most %d", nd, EST_CARBON_MAX_DAYS);
    if (start_unix_s < 0.0 || end_unix_s > ECAR_TIME_MAX_UNIX_S)
        return est__fail(err, EST_EINVAL, "the window must lie between 1970 and 9999");
    return EST_OK;
}

void ecar_summary_zone_average(est_carbon_summary *c, const est_zone *z)
{
    est__strlcpy(c->zone, z->code, sizeof c->zone);
    est__strlcpy(c->source, "default", sizeof c->source);
    c->mean_g_co2e_per_kwh = z->ci_g_co2e_per_kwh;
    c->coverage_frac = -1.0; /* no series: "no data", never 100 % */
    c->provider_mean_g_co2e_per_kwh = EST_UNSET;
    c->water_mean_l_per_kwh = EST_UNSET;
}

int est_carbon_window_default(est_carbon_window **out, const est_zone *z, double start_unix_s,
                              double end_unix_s, est_error *err)
{
    est_carbon_window *w;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_carbon_window_default: out is NULL");
    *out = NULL;
    if (!z)
        return est__fail(err, EST_EINVAL, "est_carbon_window_default: zone is NULL");
    w = calloc(1, sizeof *w);
    if (!w)
        return est__fail(err, EST_ENOMEM, "out of memory");
    w->sum.status = EST_CARBON_ZONE_AVERAGE;
    w->sum.provider = EST_CARBON_PROVIDER_NONE;
    w->sum.start_unix_s = start_unix_s;
    w->sum.end_unix_s = end_unix_s;
    ecar_summary_zone_average(&w->sum, z);
    est__strlcpy(w->series.zone, z->code, sizeof w->series.zone);
    *out = w;
    return EST_OK;
}

void est_carbon_series_clear(est_carbon_series *s)
{
    if (!s)
        return;
    free(s->points);
    free(s->provider_points);
    free(s->water_points);
    free(s->days);
    memset(s, 0, sizeof *s);
}

void est_carbon_window_free(est_carbon_window *w)
{
    if (!w)
        return;
    est_carbon_series_clear(&w->series);
    free(w->days);
    free(w->failed_days);
    free(w->notes);
    free(w);
}

const est_carbon_summary *est_carbon_window_summary(const est_carbon_window *w)
{
    return w ? &w->sum : NULL;
}

const est_carbon_series *est_carbon_window_series(const est_carbon_window *w)
{
    return w ? &w->series : NULL;
}

int est_carbon_window_take_series(est_carbon_series *out, est_carbon_window *w)
{
    if (!out || !w)
        return EST_EINVAL;
    *out = w->series;
    memset(&w->series, 0, sizeof w->series);
    return EST_OK;
}
