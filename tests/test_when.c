/* ecoest when against a loopback Electricity Maps server serving a known
 * series: every hour h (UTC) of every day is 100 + 10 h gCO2e/kWh. Its
 * forecast endpoint answers the token "forecast-token" only (401 for
 * others, as for a free-tier token) with 26 hourly points from
 * 2025-01-20T10:00Z: 300 gCO2e/kWh each, but 50 at 15:00, 60 at 16:00 and
 * 40 at 06:00 the next day. The best windows below are worked out by hand. */
#include <math.h>

#include "carbon_fixture.h"
#include "http_server.h"

#include "ecoest/common.h"
#include "ecoest/carbon.h"
#include "ecoest/greenest.h"

static unsigned n_requests;

static void add(char **b, size_t *n, const char *s)
{
    size_t k = strlen(s);
    *b = realloc(*b, *n + k + 1);
    assert_non_null(*b);
    memcpy(*b + *n, s, k + 1);
    *n += k;
}

static const char *qparam(const char *q, const char *name, char *buf, size_t size)
{
    const char *p = strstr(q, name);
    size_t k;
    if (!p)
        return NULL;
    p += strlen(name);
    k = strcspn(p, "&");
    snprintf(buf, size, "%.*s", (int)k, p);
    return buf;
}

static unsigned n_forecast_requests;
/* the zone= of the last forecast and history (past-range) requests */
static char forecast_zone[64], history_zone[64];

static double forecast_at(int k)
{
    return k == 5 ? 50.0 : k == 6 ? 60.0 : k == 20 ? 40.0 : 300.0;
}

static void forecast(const ths_request *req, ths_response *resp)
{
    char *b = NULL, ts[32], rec[256];
    size_t n = 0;
    int k;
    n_forecast_requests++;
    if (!qparam(req->query, "zone=", forecast_zone, sizeof forecast_zone))
        forecast_zone[0] = '\0';
    if (!strstr(req->headers, "auth-token: forecast-token")) {
        resp->status = 401;
        resp->body = ths_strdup_printf("{\"error\":\"not in your plan\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    add(&b, &n, "{\"zone\":\"DE\",\"forecast\":[");
    for (k = 0; k < 26; k++) {
        assert_int_equal(est_format_time(ts, sizeof ts, 1737367200.0 + 3600.0 * k), EST_OK);
        ts[19] = '\0';
        snprintf(rec, sizeof rec, "%s{\"carbonIntensity\":%g,\"datetime\":\"%s.000Z\"}",
                 k ? "," : "", forecast_at(k), ts);
        add(&b, &n, rec);
    }
    add(&b, &n, "],\"updatedAt\":\"2025-01-20T10:05:00.000Z\"}");
    resp->body = b;
    resp->body_len = n;
}

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    char *b = NULL, s1[64], s2[64], ts[32], rec[256];
    size_t n = 0;
    double a, z, t;
    (void)ud;
    if (strcmp(req->path, "/carbon-intensity/forecast") == 0) {
        forecast(req, resp);
        return;
    }
    n_requests++;
    if (!qparam(req->query, "zone=", history_zone, sizeof history_zone))
        history_zone[0] = '\0';
    if (strcmp(req->path, "/carbon-intensity/past-range") != 0 ||
        !qparam(req->query, "start=", s1, sizeof s1) ||
        !qparam(req->query, "end=", s2, sizeof s2) || est_parse_time(&a, s1, NULL) ||
        est_parse_time(&z, s2, NULL)) {
        resp->status = 404;
        resp->body = ths_strdup_printf("{\"error\":\"no route\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    add(&b, &n, "{\"zone\":\"DE\",\"data\":[");
    for (t = a; t < z; t += 3600) {
        double h = fmod(t, 86400.0) / 3600.0;
        assert_int_equal(est_format_time(ts, sizeof ts, t), EST_OK);
        ts[19] = '\0';
        snprintf(rec, sizeof rec, "%s{\"zone\":\"DE\",\"carbonIntensity\":%g,\"datetime\":"
                 "\"%s.000Z\",\"isEstimated\":false}", t == a ? "" : ",", 100.0 + 10.0 * h, ts);
        add(&b, &n, rec);
    }
    add(&b, &n, "]}");
    resp->body = b;
    resp->body_len = n;
}

typedef struct fx {
    ths_server *srv;
    sandbox sb;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->srv = ths_start(handler, NULL);
    sandbox_init(&f->sb, ths_url(f->srv));
    sandbox_tokens(&f->sb, "", "test-token");
    n_requests = 0;
    n_forecast_requests = 0;
    forecast_zone[0] = history_zone[0] = '\0';
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ths_stop(f->srv);
    sandbox_free(&f->sb);
    free(f);
    return 0;
}

/* Now 2025-01-20T10:30Z, a 2-hour job, within 24 h, hourly starts from
 * 11:00. Seven identical days of history: the forecast of hour h is
 * 100 + 10 h. A 2-hour window from hour h (h <= 22) averages 105 + 10 h;
 * from 23:00, (330 + 100) / 2 = 215. Best: 2025-01-21T00:00Z, 105; now
 * (11:00): (210 + 220) / 2 = 215; saving 1 - 105 / 215 = 0.511628. */
static void test_when_forecast_from_history(void **state)
{
    fx *f = *state;
    const char *args[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", "--format", "json", NULL};
    const char *text[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_string_equal(json_str(j, "mode", NULL), "forecast");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-21T00:00:00Z");
    assert_close(json_num(j, "best_mean_g_co2e_per_kwh", NULL), 105.0, 1e-12);
    assert_string_equal(json_str(j, "first_start", NULL), "2025-01-20T11:00:00Z");
    assert_close(json_num(j, "first_mean_g_co2e_per_kwh", NULL), 215.0, 1e-12);
    assert_close(json_num(j, "saving_frac", NULL), 1.0 - 105.0 / 215.0, 1e-12);
    assert_close(json_num(j, "history_days", NULL), 7.0, 0);
    assert_string_equal(json_str(j, "data_start", NULL), "2025-01-13T10:00:00Z");
    assert_string_equal(json_str(j, "data_end", NULL), "2025-01-20T10:00:00Z");
    /* 25 hourly starts, 11:00 to 11:00 the next day */
    assert_close(json_num(j, "candidates", NULL), 25.0, 0);
    /* the token has no forecast access (401): history, and the note says so */
    assert_string_equal(json_str(j, "forecast_source", NULL), "history");
    assert_non_null(strstr(json_str(j, "forecast_note", NULL), "refused the forecast"));
    assert_non_null(strstr(json_str(j, "forecast_note", NULL), "Falling back"));
    assert_absent(r.out, "test-token");
    cJSON_Delete(j);
    test_run_free(&r);
    assert_true(n_requests >= 1);
    assert_int_equal(n_forecast_requests, 1);
    /* the text names the method and prints the sbatch line; the days are
       cached now, so --offline gives the same answer */
    sandbox_run(&f->sb, &r, text);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "forecast from history"));
    assert_non_null(strstr(r.out, "Best start: 2025-01-21T00:00:00Z, mean 105"));
    assert_non_null(strstr(r.out, "saving 51.2%"));
    assert_non_null(strstr(r.out, "sbatch --begin="));
    test_run_free(&r);
    {
        const char *off[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                             "2025-01-20T10:30:00Z", "--offline", "--format", "json", NULL};
        unsigned before = n_requests;
        sandbox_run(&f->sb, &r, off);
        assert_int_equal(r.status, 0);
        assert_int_equal(n_requests, before);
        j = json_of(&r);
        assert_string_equal(json_str(j, "best_start", NULL), "2025-01-21T00:00:00Z");
        cJSON_Delete(j);
        test_run_free(&r);
    }
}

/* Looking back over 2025-01-19T20:00Z..2025-01-20T06:00Z, 2 h, hourly
 * (h the UTC hour, 100 + 10 h each):
 * 20: (300 + 310) / 2 = 305, 21: 315, 22: 325, 23: (330 + 100) / 2 = 215,
 * 00: 105, 01: 115, ... 04: 145. Best 00:00 at 105; --start 305;
 * saving 1 - 105 / 305 = 0.655738. */
static void test_when_looks_back(void **state)
{
    fx *f = *state;
    const char *args[] = {"when", "--zone", "DE", "--duration", "2h", "--start",
                          "2025-01-19T20:00:00Z", "--end", "2025-01-20T06:00:00Z", "--format",
                          "json", "--cores", "1", "--cpu-tdp-per-core", "100", "--pue", "1.5",
                          NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_string_equal(json_str(j, "mode", NULL), "look-back");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-20T00:00:00Z");
    assert_close(json_num(j, "best_mean_g_co2e_per_kwh", NULL), 105.0, 1e-12);
    assert_close(json_num(j, "first_mean_g_co2e_per_kwh", NULL), 305.0, 1e-12);
    assert_close(json_num(j, "saving_frac", NULL), 1.0 - 105.0 / 305.0, 1e-12);
    assert_close(json_num(j, "candidates", NULL), 9.0, 0);
    /* the job: 100 W x 2 h x PUE 1.5 = 0.3 kWh; 0.3 x 105 = 31.5 g at the best
       start, 0.3 x 305 = 91.5 g at --start: 60 g saved */
    assert_close(json_num(j, "energy_kwh", NULL), 0.3, 1e-12);
    assert_close(json_num(j, "best_co2e_g", NULL), 31.5, 1e-12);
    assert_close(json_num(j, "first_co2e_g", NULL), 91.5, 1e-12);
    assert_close(json_num(j, "saving_g", NULL), 60.0, 1e-12);
    /* the test table gives DE no water figure: water unknown (null) */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "water_l")));
    cJSON_Delete(j);
    test_run_free(&r);
}

static void test_when_usage_and_missing_data(void **state)
{
    fx *f = *state;
    const char *no_zone[] = {"when", "--duration", "2h", NULL};
    const char *half[] = {"when", "--zone", "DE", "--duration", "2h", "--start",
                          "2025-01-19T20:00:00Z", NULL};
    const char *bad_zone[] = {"when", "--zone", "XQ", "--duration", "2h", NULL};
    const char *offline[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                             "2024-06-01T00:00:00Z", "--offline", NULL};
    const char *help[] = {"when", "--help", NULL};
    test_run r;
    sandbox_run(&f->sb, &r, no_zone);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, half);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "both --start and --end"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, bad_zone);
    assert_int_equal(r.status, 65);
    test_run_free(&r);
    /* nothing cached for that week, and offline: no forecast (exit 69) */
    sandbox_run(&f->sb, &r, offline);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    test_run_free(&r);
    sandbox_run(&f->sb, &r, help);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--history-days"));
    test_run_free(&r);
}

/* The provider's forecast (now 2025-01-20T10:30Z, a 2-hour job, hourly
 * starts from 11:00 (k = 1) to 11:00 the next day (k = 25)). A window from
 * k averages (v_k + v_k+1) / 2: 300 mostly; k = 4: (300 + 50) / 2 = 175;
 * k = 5 (15:00): (50 + 60) / 2 = 55; k = 6: (60 + 300) / 2 = 180; k = 19
 * and 20: (300 + 40) / 2 = 170. k = 25 has only its own hour (coverage 0.5
 * < 0.9): 24 candidates. Best 15:00 at 55; now (k = 1) 300; saving
 * 1 - 55 / 300 = 0.816667. The job: 1 core x 100 W x 2 h x PUE 1.5 =
 * 0.3 kWh; 0.3 x 55 = 16.5 g against 0.3 x 300 = 90 g: 73.5 g saved. */
static void test_when_provider_forecast(void **state)
{
    fx *f = *state;
    const char *args[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", "--format", "json", "--cores", "1",
                          "--cpu-tdp-per-core", "100", "--pue", "1.5", NULL};
    const char *text[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", NULL};
    const char *hist[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", "--forecast", "history", "--format", "json",
                          NULL};
    test_run r;
    cJSON *j;
    sandbox_tokens(&f->sb, "", "forecast-token");
    sandbox_run(&f->sb, &r, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_string_equal(json_str(j, "forecast_source", NULL), "electricitymaps");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "forecast_note")));
    assert_close(json_num(j, "forecast_points", NULL), 26.0, 0);
    assert_string_equal(json_str(j, "forecast_updated", NULL), "2025-01-20T10:05:00Z");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-20T15:00:00Z");
    assert_close(json_num(j, "best_mean_g_co2e_per_kwh", NULL), 55.0, 1e-12);
    assert_string_equal(json_str(j, "first_start", NULL), "2025-01-20T11:00:00Z");
    assert_close(json_num(j, "first_mean_g_co2e_per_kwh", NULL), 300.0, 1e-12);
    assert_close(json_num(j, "saving_frac", NULL), 1.0 - 55.0 / 300.0, 1e-12);
    assert_close(json_num(j, "candidates", NULL), 24.0, 0);
    assert_close(json_num(j, "energy_kwh", NULL), 0.3, 1e-12);
    assert_close(json_num(j, "best_co2e_g", NULL), 16.5, 1e-12);
    assert_close(json_num(j, "first_co2e_g", NULL), 90.0, 1e-12);
    assert_close(json_num(j, "saving_g", NULL), 73.5, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    /* no history was fetched */
    assert_int_equal(n_requests, 0);
    assert_int_equal(n_forecast_requests, 1);
    sandbox_run(&f->sb, &r, text);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Method: Electricity Maps' forecast"));
    assert_non_null(strstr(r.out, "Best start: 2025-01-20T15:00:00Z, mean 55"));
    assert_absent(r.out, "forecast-token");
    test_run_free(&r);
    /* --forecast history never asks for it */
    sandbox_run(&f->sb, &r, hist);
    assert_int_equal(r.status, 0);
    assert_int_equal(n_forecast_requests, 2);
    j = json_of(&r);
    assert_string_equal(json_str(j, "forecast_source", NULL), "history");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-21T00:00:00Z");
    cJSON_Delete(j);
    test_run_free(&r);
}

/* --forecast electricitymaps with a token that has no access: exit 69,
   nothing on stdout, the reason on stderr (never the token). */
static void test_when_provider_forecast_refused(void **state)
{
    fx *f = *state;
    const char *args[] = {"when", "--zone", "DE", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", "--forecast", "electricitymaps", NULL};
    const char *fr[] = {"when", "--zone", "FR", "--duration", "2h",
                        "--forecast", "electricitymaps", NULL};
    test_run r;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "no access to /carbon-intensity/forecast"));
    assert_absent(r.err, "test-token");
    test_run_free(&r);
    /* France's provider is RTE, which publishes no forecast of the intensity */
    sandbox_run(&f->sb, &r, fr);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "RTE publishes forecasts of the demand"));
    test_run_free(&r);
}

/* ---- the library: the forecast policy (ecoest/carbon.h) and the plan
 * (ecoest/greenest.h) that the CLI calls, without the CLI ---- */

static est_carbon_forecast_policy decide(est_carbon_forecast_mode mode, const char *zone,
                                         int offline, int has_token)
{
    est_carbon_forecast_policy_options o = EST_CARBON_FORECAST_POLICY_OPTIONS_INIT;
    est_carbon_forecast_policy p;
    est_error e;
    o.mode = mode;
    o.zone = zone;
    o.offline = offline;
    o.has_token = has_token;
    o.token_origin = "$ELECTRICITYMAPS_TOKEN";
    assert_int_equal(est_carbon_forecast_decide(&p, &o, &e), EST_OK);
    return p;
}

/* Rules 1 to 5, in order (no network: nothing is fetched). */
static void test_when_policy_rules(void **state)
{
    est_carbon_forecast_policy p;
    est_carbon_forecast_policy_options o = EST_CARBON_FORECAST_POLICY_OPTIONS_INIT;
    est_error e;
    fx *f = *state;
    /* 1. history asked for: no note, even for FR or offline */
    p = decide(EST_CARBON_FORECAST_HISTORY, "FR", 1, 0);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_string_equal(p.note, "");
    /* 2. RTE (FR's provider) has no forecast of the intensity */
    p = decide(EST_CARBON_FORECAST_AUTO, "fr", 0, 1);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_int_equal(p.provider, EST_CARBON_PROVIDER_RTE);
    assert_string_equal(p.note, "RTE publishes forecasts of the demand, not of its carbon "
                                "intensity: the forecast is made from RTE's own history");
    p = decide(EST_CARBON_FORECAST_PROVIDER, "FR", 0, 1);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FAIL);
    assert_int_equal(p.code, EST_EINVAL);
    /* ... and a given provider wins over the zone's */
    o.zone = "DE";
    o.provider = EST_CARBON_PROVIDER_RTE;
    assert_int_equal(est_carbon_forecast_decide(&p, &o, &e), EST_OK);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_non_null(strstr(p.note, "RTE publishes"));
    /* 3. offline: never asked, a forecast is never cached */
    p = decide(EST_CARBON_FORECAST_AUTO, "DE", 1, 1);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_string_equal(p.note, "offline: Electricity Maps' forecast was not asked for (a "
                                "forecast is never cached). Falling back to the forecast from "
                                "history.");
    p = decide(EST_CARBON_FORECAST_PROVIDER, "DE", 1, 1);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FAIL);
    assert_int_equal(p.code, EST_ENODATA);
    assert_string_equal(p.note, "offline: Electricity Maps' forecast was not asked for (a "
                                "forecast is never cached)");
    /* 4. no token: not asked (auto), asked anyway (provider: the fetch says
       why not) */
    p = decide(EST_CARBON_FORECAST_AUTO, "DE", 0, 0);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_string_equal(p.note, "Electricity Maps' forecast needs a token "
                                "($ELECTRICITYMAPS_TOKEN): not asked for");
    p = decide(EST_CARBON_FORECAST_PROVIDER, "DE", 0, 0);
    assert_int_equal(p.step, EST_CARBON_FORECAST_ASK);
    /* 5. ask */
    p = decide(EST_CARBON_FORECAST_AUTO, "DE", 0, 1);
    assert_int_equal(p.step, EST_CARBON_FORECAST_ASK);
    assert_int_equal(p.provider, EST_CARBON_PROVIDER_ELECTRICITYMAPS);
    assert_string_equal(p.label, "Electricity Maps' forecast");
    assert_string_equal(p.note, "");
    /* a failed fetch that says nothing: est_strerror's words */
    assert_int_equal(est_carbon_forecast_fetched(&p, EST_ENET, NULL, &e), EST_OK);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_non_null(strstr(p.note, "Electricity Maps' forecast failed: "));
    assert_non_null(strstr(p.note, "Falling back to the forecast from history."));
    /* misuse */
    assert_int_equal(est_carbon_forecast_fetched(&p, EST_OK, NULL, &e), EST_EINVAL);
    o.version = 0;
    assert_int_equal(est_carbon_forecast_decide(&p, &o, &e), EST_EINVAL);
    o.version = 1;
    o.mode = (est_carbon_forecast_mode)7;
    assert_int_equal(est_carbon_forecast_decide(&p, &o, &e), EST_EINVAL);
    assert_int_equal(n_requests + n_forecast_requests, 0);
    (void)f;
}

/* The CLI's steps through the library against the loopback server: the
 * policy, Electricity Maps' forecast, the plan. Now 2025-01-20T10:30Z, a
 * 2-hour job, the defaults. With the forecast (see
 * test_when_provider_forecast): best 15:00 at 55, now (11:00) 300, saving
 * 1 - 55 / 300. With a token refused (401): the note says so, and the plan
 * from the history fetched for [floor(10.5 h) - 7 days, 10:00) =
 * 2025-01-13T10:00Z..2025-01-20T10:00Z (see
 * test_when_forecast_from_history): best 2025-01-21T00:00Z at 105, now 215. */
static void test_when_policy_and_plan_against_the_server(void **state)
{
    fx *f = *state;
    est_carbon_forecast_policy p;
    est_carbon_options co = EST_CARBON_OPTIONS_INIT;
    est_carbon_forecast fc;
    est_carbon_series hist;
    est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
    est_greenest_plan plan;
    est_greenest_choice c;
    est_error e;
    int rc;
    const double now = 1737369000.0; /* 2025-01-20T10:30:00Z */
    po.now_unix_s = now;
    po.duration_s = 7200.0;
    co.provider = EST_CARBON_PROVIDER_ELECTRICITYMAPS;
    co.zone = "DE";
    co.base_url = ths_url(f->srv);
    co.token = "forecast-token";
    p = decide(EST_CARBON_FORECAST_AUTO, "DE", 0, 1);
    assert_int_equal(p.step, EST_CARBON_FORECAST_ASK);
    rc = est_carbon_forecast_fetch(&fc, &co, &e);
    assert_int_equal(rc, EST_OK);
    assert_int_equal(est_carbon_forecast_fetched(&p, rc, &e, NULL), EST_OK);
    assert_int_equal(p.step, EST_CARBON_FORECAST_USE);
    po.forecast_label = p.label;
    po.forecast_note = p.note;
    assert_int_equal(est_greenest_plan_choose(&c, &plan, &po, fc.points, fc.n_points, NULL, 0,
                                              &e), EST_OK);
    assert_int_equal(plan.method, EST_GREENEST_METHOD_PROVIDER);
    assert_close(c.start_unix_s, 1737385200.0, 0); /* 15:00 = 10:30 + 4.5 h */
    assert_close(c.mean_g_co2e_per_kwh, 55.0, 1e-12);
    assert_close(c.first_mean_g_co2e_per_kwh, 300.0, 1e-12);
    assert_close(c.saving_frac, 1.0 - 55.0 / 300.0, 1e-12);
    est_carbon_forecast_clear(&fc);
    assert_int_equal(n_forecast_requests, 1);
    assert_int_equal(n_requests, 0);

    /* a token without the forecast: 401 */
    co.token = "test-token";
    p = decide(EST_CARBON_FORECAST_AUTO, "DE", 0, 1);
    rc = est_carbon_forecast_fetch(&fc, &co, &e);
    assert_int_equal(rc, EST_EAUTH);
    assert_int_equal(est_carbon_forecast_fetched(&p, rc, &e, NULL), EST_OK);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FALL_BACK);
    assert_non_null(strstr(p.note, "Electricity Maps refused the forecast: the token has no "
                                   "access to /carbon-intensity/forecast (it is not in the free "
                                   "tier). "));
    assert_non_null(strstr(p.note, "Falling back to the forecast from history."));
    assert_null(strstr(p.note, "test-token"));
    po.forecast_note = p.note;
    assert_int_equal(est_greenest_plan_choose(&c, &plan, &po, NULL, 0, NULL, 0, &e),
                     EST_ENODATA);
    assert_int_equal(plan.needs_history, 1);
    assert_close(plan.history_start_unix_s, 1737367200.0 - 7 * 86400.0, 0);
    assert_close(plan.history_end_unix_s, 1737367200.0, 0); /* 10:00 */
    co.start_unix_s = plan.history_start_unix_s;
    co.end_unix_s = plan.history_end_unix_s;
    co.now_unix_s = now;
    assert_int_equal(est_carbon_fetch(&hist, &co, &e), EST_OK);
    assert_int_equal(est_greenest_plan_choose(&c, &plan, &po, NULL, 0, hist.points,
                                              hist.n_points, &e), EST_OK);
    assert_int_equal(plan.method, EST_GREENEST_METHOD_HISTORY);
    assert_close(c.start_unix_s, 1737417600.0, 0); /* 2025-01-21T00:00Z */
    assert_close(c.mean_g_co2e_per_kwh, 105.0, 1e-12);
    assert_close(c.first_mean_g_co2e_per_kwh, 215.0, 1e-12);
    assert_close(c.saving_frac, 1.0 - 105.0 / 215.0, 1e-12);
    assert_int_equal(c.n_candidates, 25);
    assert_string_equal(plan.note, p.note);
    est_carbon_series_clear(&hist);
    assert_int_equal(n_forecast_requests, 2);
    assert_true(n_requests >= 1);

    /* the provider's or nothing: the refusal is a failure with its code */
    p = decide(EST_CARBON_FORECAST_PROVIDER, "DE", 0, 1);
    rc = est_carbon_forecast_fetch(&fc, &co, &e);
    assert_int_equal(est_carbon_forecast_fetched(&p, rc, &e, NULL), EST_OK);
    assert_int_equal(p.step, EST_CARBON_FORECAST_FAIL);
    assert_int_equal(p.code, EST_EAUTH);
    assert_null(strstr(p.note, "Falling back"));
}

/* An Electricity Maps zone mapped to one of ours (US-CAL-CISO, inside
 * US-EGRID-CAMX) is asked for by its own code, for the forecast and for the
 * history: the bug asked for US-EGRID-CAMX, which Electricity Maps does not
 * know, and `when` exited 69. The server serves every zone alike, so the
 * figures are those worked out above: the provider's forecast, best
 * 15:00 at 55 (test_when_provider_forecast); from history, best
 * 2025-01-21T00:00Z at 105 (test_when_forecast_from_history). A common
 * alias is another name only: UK is asked for as GB. */
static void test_when_mapped_zone_asks_for_the_provider_code(void **state)
{
    fx *f = *state;
    const char *fc[] = {"when", "--zone", "US-CAL-CISO", "--duration", "2h", "--now",
                        "2025-01-20T10:30:00Z", "--format", "json", NULL};
    const char *hist[] = {"when", "--zone", "US-CAL-CISO", "--duration", "2h", "--now",
                          "2025-01-20T10:30:00Z", "--forecast", "history", NULL};
    const char *uk[] = {"when", "--zone", "UK", "--duration", "2h", "--now",
                        "2025-01-20T10:30:00Z", "--forecast", "history", "--format", "json",
                        NULL};
    test_run r;
    cJSON *j;
    sandbox_tokens(&f->sb, "", "forecast-token");
    sandbox_run(&f->sb, &r, fc);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(n_forecast_requests, 1);
    assert_string_equal(forecast_zone, "US-CAL-CISO");
    j = json_of(&r);
    assert_string_equal(json_str(j, "forecast_source", NULL), "electricitymaps");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-20T15:00:00Z");
    assert_close(json_num(j, "best_mean_g_co2e_per_kwh", NULL), 55.0, 1e-12);
    assert_string_equal(json_str(j, "zone", NULL), "US-EGRID-CAMX");
    assert_string_equal(json_str(j, "zone_given", NULL), "US-CAL-CISO");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "zone_mapped")));
    assert_string_equal(json_str(j, "zone_alias_kind", NULL), "electricitymaps");
    assert_string_equal(json_str(j, "provider_zone", NULL), "US-CAL-CISO");
    cJSON_Delete(j);
    test_run_free(&r);
    /* from history: past-range for US-CAL-CISO; the text says the mapping */
    sandbox_run(&f->sb, &r, hist);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_true(n_requests >= 1);
    assert_string_equal(history_zone, "US-CAL-CISO");
    assert_non_null(strstr(r.out, "--zone US-CAL-CISO (electricitymaps) mapped to "
                                  "US-EGRID-CAMX; intensity data asked for US-CAL-CISO."));
    assert_non_null(strstr(r.out, "Best start: 2025-01-21T00:00:00Z, mean 105"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, uk);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(history_zone, "GB");
    j = json_of(&r);
    assert_string_equal(json_str(j, "zone", NULL), "GB");
    assert_string_equal(json_str(j, "zone_given", NULL), "UK");
    assert_string_equal(json_str(j, "zone_alias_kind", NULL), "alias");
    assert_string_equal(json_str(j, "provider_zone", NULL), "GB");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-21T00:00:00Z");
    cJSON_Delete(j);
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_when_forecast_from_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_looks_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_usage_and_missing_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_provider_forecast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_provider_forecast_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_mapped_zone_asks_for_the_provider_code, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_when_policy_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_policy_and_plan_against_the_server, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
