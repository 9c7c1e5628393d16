/* Electricity Maps' carbon-intensity forecast (GET /carbon-intensity/forecast),
 * for `ecoest when`. The answer (API v3):
 *
 *   {"zone": "DE",
 *    "forecast": [{"carbonIntensity": 322, "datetime": "2025-01-20T11:00:00.000Z"},
 *                 ...],
 *    "updatedAt": "2025-01-20T10:37:16.000Z"}
 *
 * hourly points from the current hour on (about a day ahead by default).
 * The endpoint is not in the free tier: a token without it gets 401 or 403
 * (EST_EAUTH), and the caller falls back to a forecast from history. A
 * forecast is superseded every hour, so it is never cached. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

#define EMF_LABEL "Electricity Maps forecast"
#define EMF_MAX_POINTS 2000 /* 72 h at 5-minute granularity is 864 */

static int cmp_time(const void *a, const void *b)
{
    const est_intensity_point *p = a, *q = b;
    return p->t_unix_s < q->t_unix_s ? -1 : p->t_unix_s > q->t_unix_s;
}

/* The "forecast" array into f: sorted, duplicates refused, each point as long
   as the spacing of the series (3600 s for a single point). */
static int parse_forecast(const cJSON *doc, est_carbon_forecast *f, est_error *err)
{
    const cJSON *arr = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "forecast")
                                           : NULL;
    const cJSON *up = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "updatedAt")
                                          : NULL;
    const cJSON *rec;
    size_t n, i = 0;
    double dur = 3600.0;
    if (!cJSON_IsArray(arr))
        return est__fail(err, EST_EPARSE, EMF_LABEL ": unexpected JSON: no \"forecast\" array");
    n = (size_t)cJSON_GetArraySize(arr);
    if (n == 0)
        return est__fail(err, EST_ENODATA, EMF_LABEL ": the forecast is empty");
    if (n > EMF_MAX_POINTS)
        return est__fail(err, EST_EPARSE, EMF_LABEL ": %zu points, more than %d", n,
                         EMF_MAX_POINTS);
    f->points = calloc(n, sizeof *f->points);
    if (!f->points)
        return est__fail(err, EST_ENOMEM, "out of memory");
    cJSON_ArrayForEach(rec, arr) {
        const cJSON *dt = cJSON_IsObject(rec) ? cJSON_GetObjectItemCaseSensitive(rec, "datetime")
                                              : NULL;
        const cJSON *ci = cJSON_IsObject(rec)
                              ? cJSON_GetObjectItemCaseSensitive(rec, "carbonIntensity")
                              : NULL;
        char ex[64];
        double t;
        if (!cJSON_IsString(dt) || est_parse_time(&t, dt->valuestring, NULL) != EST_OK)
            return est__fail(err, EST_EPARSE, EMF_LABEL ": point %zu: expected an ISO 8601 "
                             "\"datetime\" with a zone", i);
        ecar_excerpt(ex, sizeof ex, dt->valuestring, strlen(dt->valuestring));
        if (!cJSON_IsNumber(ci) || !isfinite(ci->valuedouble))
            return est__fail(err, EST_EPARSE, EMF_LABEL ": point %zu (%s): carbonIntensity: "
                             "expected a number", i, ex);
        if (ci->valuedouble < 0.0 || ci->valuedouble > ECAR_CI_MAX)
            return est__fail(err, EST_EPARSE, EMF_LABEL ": point %zu (%s): carbonIntensity: "
                             "%g gCO2e/kWh is outside 0..%g gCO2e/kWh", i, ex, ci->valuedouble,
                             ECAR_CI_MAX);
        f->points[i].t_unix_s = t;
        f->points[i].g_co2e_per_kwh = ci->valuedouble;
        i++;
    }
    f->n_points = n;
    qsort(f->points, n, sizeof *f->points, cmp_time);
    for (i = 1; i < n; i++) {
        double d = f->points[i].t_unix_s - f->points[i - 1].t_unix_s;
        if (d <= 0.0)
            return est__fail(err, EST_EPARSE, EMF_LABEL ": two points at the same time");
        if (i == 1 || d < dur)
            dur = d;
    }
    if (dur > 3600.0)
        dur = 3600.0; /* a gap is a gap, not a longer point */
    for (i = 0; i < n; i++)
        f->points[i].dur_s = dur;
    f->updated_unix_s = EST_UNSET;
    if (cJSON_IsString(up) && up->valuestring)
        if (est_parse_time(&f->updated_unix_s, up->valuestring, NULL) != EST_OK)
            f->updated_unix_s = EST_UNSET;
    return EST_OK;
}

int est_carbon_forecast_fetch(est_carbon_forecast *f, const est_carbon_options *o, est_error *err)
{
    ecar_http h;
    char base[1024], url[2048], zone[96], auth[480], ua[64];
    const char *b;
    size_t bl;
    cJSON *doc = NULL;
    int rc;
    if (!f)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_fetch: NULL argument");
    memset(f, 0, sizeof *f);
    f->updated_unix_s = EST_UNSET;
    if (!o || o->version < 1 || o->version > EST_CARBON_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_fetch: bad options");
    if (o->provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS)
        return est__fail(err, EST_EINVAL, EMF_LABEL ": only Electricity Maps publishes a "
                         "forecast of the carbon intensity (RTE publishes forecasts of the "
                         "demand, not of its CO2)");
    if (!o->zone || !ecar_zone_code_valid(o->zone, strlen(o->zone)))
        return est__fail(err, EST_EINVAL, EMF_LABEL ": expected a zone code");
    if (o->offline)
        return est__fail(err, EST_ENODATA, EMF_LABEL ": offline (a forecast is never cached)");
    if (!o->token || !*o->token)
        return est__fail(err, EST_EAUTH, EMF_LABEL ": no token given (the API needs one)");
    if (strpbrk(o->token, "\r\n") || strlen(o->token) > 400)
        return est__fail(err, EST_EINVAL, EMF_LABEL ": the token holds a line break or is "
                         "longer than 400 bytes");
    b = o->base_url ? o->base_url : EST_CARBON_ELECTRICITYMAPS_DEFAULT_URL;
    if ((rc = ecar_check_base_url(b, "Electricity Maps", err)) != 0)
        return rc;
    bl = strlen(b);
    while (bl > 0 && b[bl - 1] == '/')
        bl--;
    if (bl >= sizeof base || ecar_url_escape(o->zone, zone, sizeof zone))
        return est__fail(err, EST_EINVAL, EMF_LABEL ": base URL or zone too long");
    memcpy(base, b, bl);
    base[bl] = '\0';
    snprintf(url, sizeof url, "%s/carbon-intensity/forecast?zone=%s", base, zone);
    snprintf(auth, sizeof auth, "auth-token: %s", o->token);
    snprintf(ua, sizeof ua, "ecoest/%s", est_version());
    memset(&h, 0, sizeof h);
    h.label = "Electricity Maps";
    h.budget_s = o->timeout_s > 0.0 ? o->timeout_s : EST_CARBON_DEFAULT_TIMEOUT_S;
    h.deadline_mono_s = ecar_mono_s() + h.budget_s;
    h.connect_timeout_s = o->connect_timeout_s > 0.0 ? o->connect_timeout_s
                                                     : EST_CARBON_DEFAULT_CONNECT_TIMEOUT_S;
    h.user_agent = o->user_agent ? o->user_agent : ua;
    h.secret = o->token;
    h.auth_header = auth;
    rc = ecar_http_get_json(&h, url, &doc, err);
    f->n_requests = h.n_requests;
    ecar_http_close(&h);
    if (rc == EST_OK)
        rc = parse_forecast(doc, f, err);
    cJSON_Delete(doc);
    if (rc) {
        unsigned nreq = f->n_requests;
        if (err)
            ecar_scrub(err->message, sizeof err->message, o->token);
        est_carbon_forecast_clear(f);
        f->n_requests = nreq;
    }
    return rc;
}

void est_carbon_forecast_clear(est_carbon_forecast *f)
{
    if (!f)
        return;
    free(f->points);
    memset(f, 0, sizeof *f);
    f->updated_unix_s = EST_UNSET;
}
