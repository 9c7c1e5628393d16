/* est_carbon_source (ecoest/carbon.h) called directly, no CLI, against the
 * loopback server: the window's summary, the day store, the fallback and
 * strict policy (the summary's fallback_kind and strict verdict), the
 * 366-day rule, the zone-average window, the live water of the RTE mix,
 * and the pipeline provider.
 *
 * The RTE mixes served (MW), every 15 minutes of a day, with the ipcc2014
 * factors (nuclear 12, wind 11, hydro 24, gas 490 gCO2e/kWh) and the water
 * factors of carbon/water-factors.csv (Vanham et al. 2019, operational:
 * nuclear 2.04, wind 0, hydro 32.81, gas 0.47 l/kWh):
 *   mix A (2025-01-15, 2025-01-17): nucleaire 40000, eolien 5000, gaz 5000
 *     CI = (40000 x 12 + 5000 x 11 + 5000 x 490) / 50000
 *        = (480000 + 55000 + 2450000) / 50000 = 2985000 / 50000 = 59.7
 *     W  = (40000 x 2.04 + 5000 x 0 + 5000 x 0.47) / 50000
 *        = (81600 + 0 + 2350) / 50000 = 83950 / 50000 = 1.679
 *   mix B (2025-01-16): nucleaire 30000, hydraulique 10000, gaz 10000
 *     CI = (360000 + 240000 + 4900000) / 50000 = 5500000 / 50000 = 110
 *     W  = (61200 + 328100 + 4700) / 50000 = 394000 / 50000 = 7.88
 */
#include <string.h>

#include "carbon_fixture.h"
#include "http_server.h"

#include "ecoest/carbon.h"
#include "ecoest/pipeline.h"

#define DAY 86400.0
#define D0115 1736899200.0 /* 2025-01-15T00:00:00Z */
#define CI_A 59.7
#define W_A 1.679
#define CI_B 110.0
#define W_B 7.88

typedef struct srv_state {
    int status;          /* 0: 200 with the day's mix; else this status */
    double fail_d0;      /* a day answered 404 ({"error":"no"}); 0: none */
} srv_state;

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    srv_state *st = ud;
    const char *w = strstr(req->query, "date_heure >= date'");
    char day[32], *body;
    double d0;
    size_t len = 0;
    int k, b;
    if (st->status) {
        resp->status = st->status;
        resp->body = ths_strdup_printf("{\"error\":\"no\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    assert_non_null(w);
    snprintf(day, sizeof day, "%.20s", w + 19);
    assert_int_equal(est_parse_time(&d0, day, NULL), EST_OK);
    if (st->fail_d0 != 0.0 && d0 == st->fail_d0) {
        resp->status = 404;
        resp->body = ths_strdup_printf("{\"error\":\"no\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    b = d0 == D0115 + DAY; /* mix B on the 16th */
    body = malloc(96 * 256 + 64);
    assert_non_null(body);
    len += (size_t)sprintf(body, "{\"total_count\":96,\"results\":[");
    for (k = 0; k < 96; k++) {
        char dh[32];
        assert_int_equal(est_format_time(dh, sizeof dh, d0 + k * 900.0), EST_OK);
        len += (size_t)sprintf(body + len,
                               "%s{\"date_heure\":\"%.19s+00:00\",\"fioul\":0,\"charbon\":0,"
                               "\"gaz\":%d,\"nucleaire\":%d,\"eolien\":%d,\"solaire\":0,"
                               "\"hydraulique\":%d,\"bioenergies\":0,\"taux_co2\":20}",
                               k ? "," : "", dh, b ? 10000 : 5000, b ? 30000 : 40000,
                               b ? 0 : 5000, b ? 10000 : 0);
    }
    len += (size_t)sprintf(body + len, "]}");
    resp->body = body;
    resp->body_len = len;
}

typedef struct fx {
    srv_state st;
    ths_server *srv;
    char *root;
    char cache[4200], factors_csv[4200], water_csv[4200];
    const char *paths[1];
    est_water_factors *water;
    est_zone fr;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    est_error e;
    assert_non_null(f);
    f->srv = ths_start(handler, &f->st);
    f->root = test_mkdtemp();
    snprintf(f->cache, sizeof f->cache, "%s/cache", f->root);
    snprintf(f->factors_csv, sizeof f->factors_csv, "%s/carbon/factors.csv",
             getenv("ECOEST_SOURCE_DIR"));
    snprintf(f->water_csv, sizeof f->water_csv, "%s/carbon/water-factors.csv",
             getenv("ECOEST_SOURCE_DIR"));
    if (est_water_factors_open(&f->water, f->water_csv, &e))
        fail_msg("%s", e.message);
    f->paths[0] = f->factors_csv;
    snprintf(f->fr.code, sizeof f->fr.code, "FR");
    f->fr.ci_g_co2e_per_kwh = 50.0;
    f->fr.year = 2023;
    snprintf(f->fr.scope, sizeof f->fr.scope, "lifecycle");
    f->fr.water_l_per_kwh = 2.5;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ths_stop(f->srv);
    est_water_factors_free(f->water);
    test_rmtree(f->root);
    free(f->root);
    free(f);
    return 0;
}

static est_carbon_source *open_src(fx *f, int strict, int with_cache)
{
    est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
    est_carbon_source *src = NULL;
    est_error e;
    so.factor_paths = f->paths;
    so.n_factor_paths = 1;
    so.water_factors = f->water;
    so.rte_url = ths_url(f->srv);
    so.cache_dir = with_cache ? f->cache : NULL;
    so.strict = strict;
    so.timeout_s = 10.0;
    so.now_unix_s = 1800000000.0; /* long after: the days are final */
    if (est_carbon_source_open(&src, &so, &e))
        fail_msg("%s", e.message);
    return src;
}

/* One hour of mix A: mean 59.7 over 4 points, water 1.679, RTE for FR by
 * default, one request. */
static void test_window_summary_of_one_hour(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0, 1);
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    est_carbon_series ser;
    est_error e;
    if (est_carbon_source_window(&w, src, &f->fr, D0115, D0115 + 3600.0, &e))
        fail_msg("%s", e.message);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->status, EST_CARBON_LIVE);
    assert_int_equal(s->provider, EST_CARBON_PROVIDER_RTE);
    assert_string_equal(s->source, "rte");
    assert_string_equal(s->factors, "ipcc2014");
    assert_close(s->mean_g_co2e_per_kwh, CI_A, 1e-12);
    assert_close(s->coverage_frac, 1.0, 0);
    assert_int_equal(s->n_points, 4);
    assert_close(s->water_mean_l_per_kwh, W_A, 1e-12);
    assert_close(s->provider_mean_g_co2e_per_kwh, 20.0, 0);
    assert_int_equal(s->n_days, 1);
    assert_close(s->days[0].stats.mean_g_co2e_per_kwh, CI_A, 1e-12);
    assert_int_equal(s->n_failed_days, 0);
    assert_int_equal(s->n_requests, 1);
    assert_int_equal(s->fallback_code, 0);
    assert_int_equal(est_carbon_window_series(w)->n_water_points, 96);
    /* the series kept past the window: the whole day, 24 h x 4 = 96 points
       of 59.7; the window keeps its summary and an empty series */
    assert_int_equal(est_carbon_window_take_series(&ser, w), EST_OK);
    assert_int_equal(ser.n_points, 96);
    assert_int_equal(est_carbon_window_series(w)->n_points, 0);
    assert_close(s->mean_g_co2e_per_kwh, CI_A, 1e-12);
    est_carbon_window_free(w);
    assert_close(ser.points[95].g_co2e_per_kwh, CI_A, 1e-12);
    est_carbon_series_clear(&ser);
    assert_int_equal(est_carbon_window_take_series(NULL, NULL), EST_EINVAL);
    est_carbon_source_free(src);
}

/* The day store: job windows inside days already held cost no request, so
 * ten windows over three days cost three requests (no disk cache). A
 * window over [15 12:00, 16 12:00) has 12 h of each mix:
 *   CI = (59.7 x 12 + 110 x 12) / 24 = 84.85, W = (1.679 + 7.88) / 2 = 4.7795 */
static void test_day_store_fetches_each_day_once(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0, 0);
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    unsigned before = ths_count(f->srv), total = 0;
    est_error e;
    int i;
    for (i = 0; i < 10; i++) {
        double a = D0115 + (double)i * 6.0 * 3600.0; /* every 6 h over 2.5 days */
        if (est_carbon_source_window(&w, src, &f->fr, a, a + 3600.0, &e))
            fail_msg("%s", e.message);
        s = est_carbon_window_summary(w);
        total += s->n_requests;
        assert_close(s->mean_g_co2e_per_kwh, a >= D0115 + DAY && a < D0115 + 2 * DAY
                                                 ? CI_B : CI_A, 1e-12);
        est_carbon_window_free(w);
    }
    assert_int_equal(ths_count(f->srv) - before, 3);
    assert_int_equal(total, 3);
    if (est_carbon_source_window(&w, src, &f->fr, D0115 + 12 * 3600.0, D0115 + 36 * 3600.0, &e))
        fail_msg("%s", e.message);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->n_requests, 0);
    assert_close(s->mean_g_co2e_per_kwh, 84.85, 1e-12);
    assert_close(s->water_mean_l_per_kwh, 4.7795, 1e-12);
    assert_int_equal(s->n_days, 2);
    assert_close(s->days[1].stats.mean_g_co2e_per_kwh, CI_B, 1e-12);
    est_carbon_window_free(w);
    est_carbon_source_free(src);
}

/* A refused token: the zone's annual average (50) with the reason as data,
 * the source stops asking the network (the next window makes no request
 * and gives the same reason); with strict, the code, and the window still
 * says why. */
static void test_fallback_and_strict(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0, 0);
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    est_error e;
    char reason[EST_ERROR_MESSAGE_MAX];
    f->st.status = 401;
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, D0115, D0115 + 3600.0, &e), 0);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->status, EST_CARBON_FALLBACK);
    assert_string_equal(s->source, "default");
    assert_close(s->mean_g_co2e_per_kwh, 50.0, 0);
    assert_close(s->coverage_frac, -1.0, 0);
    assert_int_equal(s->fallback_code, EST_EAUTH);
    assert_int_equal(s->fallback_kind, EST_CARBON_NOTE_WARNING); /* a failure, not a choice */
    assert_int_equal(s->strict_code, 0);                          /* not strict */
    assert_string_equal(s->strict_reason, "");
    assert_true(s->n_requests >= 1);
    snprintf(reason, sizeof reason, "%s", s->fallback_reason);
    est_carbon_window_free(w);
    assert_int_equal(
        est_carbon_source_window(&w, src, &f->fr, D0115 + 2 * DAY, D0115 + 2 * DAY + 3600.0, &e),
        0);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->n_requests, 0);
    assert_int_equal(s->fallback_code, EST_EAUTH);
    assert_string_equal(s->fallback_reason, reason);
    est_carbon_window_free(w);
    est_carbon_source_free(src);

    src = open_src(f, 1, 0);
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, D0115, D0115 + 3600.0, &e),
                     EST_EAUTH);
    assert_non_null(w);
    assert_string_equal(e.message, est_carbon_window_summary(w)->fallback_reason);
    /* the verdict is in the summary too, for a caller reading it later */
    assert_int_equal(est_carbon_window_summary(w)->strict_code, EST_EAUTH);
    assert_string_equal(est_carbon_window_summary(w)->strict_reason, e.message);
    est_carbon_window_free(w);
    est_carbon_source_free(src);
    f->st.status = 0;
}

/* A day whose fetch failed (404) is remembered: a second window over it
 * makes no request and falls back with the same code and reason. */
static void test_failed_day_is_not_fetched_again(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0, 0);
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    char reason[EST_ERROR_MESSAGE_MAX];
    unsigned before;
    est_error e;
    f->st.status = 404;
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, D0115, D0115 + 3600.0, &e), 0);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->status, EST_CARBON_FALLBACK);
    assert_int_equal(s->fallback_code, EST_EHTTP);
    snprintf(reason, sizeof reason, "%s", s->fallback_reason);
    est_carbon_window_free(w);
    before = ths_count(f->srv);
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, D0115 + 7200.0, D0115 + 10800.0, &e),
                     0);
    s = est_carbon_window_summary(w);
    assert_int_equal(ths_count(f->srv), before);
    assert_int_equal(s->n_requests, 0);
    assert_int_equal(s->fallback_code, EST_EHTTP);
    assert_string_equal(s->fallback_reason, reason);
    est_carbon_window_free(w);
    est_carbon_source_free(src);
    f->st.status = 0;
}

/* est_carbon_options version 1 (before water_factors) is still accepted:
 * the fetch reads it up to its own end, so no water points; version 2 with
 * water factors gets them (4 points of 1.679 l/kWh for one hour of A). */
static void test_fetch_options_version_1_still_accepted(void **state)
{
    fx *f = *state;
    est_carbon_factor_set fs;
    est_carbon_options o = EST_CARBON_OPTIONS_INIT;
    est_carbon_series ser;
    est_error e;
    size_t i;
    assert_int_equal(est_carbon_factors_load(&fs, f->factors_csv, NULL, NULL), EST_OK);
    o.provider = EST_CARBON_PROVIDER_RTE;
    o.zone = "FR";
    o.factors = &fs;
    o.start_unix_s = D0115;
    o.end_unix_s = D0115 + 3600.0;
    o.now_unix_s = 1800000000.0;
    o.base_url = ths_url(f->srv);
    o.timeout_s = 10.0;
    o.water_factors = f->water;
    o.version = 1;
    if (est_carbon_fetch(&ser, &o, &e))
        fail_msg("%s", e.message);
    assert_int_equal(ser.n_water_points, 0);
    assert_int_equal(ser.n_points, 96);
    est_carbon_series_clear(&ser);
    o.version = 2;
    if (est_carbon_fetch(&ser, &o, &e))
        fail_msg("%s", e.message);
    assert_int_equal(ser.n_water_points, 96);
    for (i = 0; i < 4; i++)
        assert_close(ser.water_points[i].g_co2e_per_kwh, W_A, 1e-12);
    est_carbon_series_clear(&ser);
}

/* RTE serves FR only; a window of more than 366 days is refused before
 * any request. */
static void test_window_refusals(void **state)
{
    fx *f = *state;
    est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
    est_carbon_source *src = NULL;
    est_carbon_window *w = NULL;
    est_zone de = f->fr;
    est_error e;
    unsigned before = ths_count(f->srv);
    so.provider = EST_CARBON_PROVIDER_RTE;
    so.factor_paths = f->paths;
    so.n_factor_paths = 1;
    so.rte_url = ths_url(f->srv);
    assert_int_equal(est_carbon_source_open(&src, &so, &e), 0);
    snprintf(de.code, sizeof de.code, "DE");
    assert_int_equal(est_carbon_source_window(&w, src, &de, D0115, D0115 + 3600.0, &e), EST_EINVAL);
    assert_null(w);
    assert_non_null(strstr(e.message, "France only"));
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, D0115, D0115 + 367 * DAY, &e),
                     EST_ERANGE);
    assert_null(w);
    assert_int_equal(ths_count(f->srv), before);
    est_carbon_source_free(src);
    so.version = 99;
    assert_int_equal(est_carbon_source_open(&src, &so, &e), EST_EINVAL);
}

/* The pipeline with est_carbon_intensity: 1 core of 100 W for one hour of
 * mix A, PUE 1: E = 100 W x 1 h = 0.1 kWh; CO2e = 0.1 x 59.7 = 5.97 g; the
 * off-site water is live: 0.1 kWh x PUE 1 x 1.679 = 0.1679 l (the zone
 * table's 2.5 l/kWh is not used). */
static void test_pipeline_live_water(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0, 0);
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_zones *zones = NULL;
    est_estimate *est = NULL;
    est_water_result wr;
    double off = 0.0;
    const char *src_line = NULL;
    char p[4300];
    est_error e;
    snprintf(p, sizeof p, "%s/zones.csv", f->root);
    test_write_file(p, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                       "WORLD,World,475,2019,direct,,test world\n"
                       "FR,France,50,2023,lifecycle,2.5,test zone\n");
    zo.shipped_file = p;
    if (est_zones_open(&zones, &zo, &e))
        fail_msg("%s", e.message);
    o.cpu_cores = 1;
    o.cpu_tdp_w = 100.0;
    o.pue = 1.0;
    o.zone = "FR";
    o.start_unix_s = D0115;
    o.end_unix_s = D0115 + 3600.0;
    o.intensity = est_carbon_intensity;
    o.intensity_user = src;
    if (est_estimate_run(&est, &o, NULL, zones, &e))
        fail_msg("%s", e.message);
    assert_int_equal(est_estimate_ci_origin(est), EST_ESTIMATE_CI_LIVE);
    assert_close(est_estimate_model(est)->total.energy_kwh, 0.1, 1e-12);
    assert_close(est_estimate_model(est)->total.co2e_g, 5.97, 1e-12);
    assert_int_equal(est_estimate_water(&wr, &off, est), 1);
    assert_close(off, W_A, 1e-12);
    assert_close(wr.offsite_l, 0.1679, 1e-12);
    assert_int_equal(est_estimate_water_origin(est, &src_line), EST_ESTIMATE_ORIGIN_LIVE);
    assert_non_null(strstr(src_line, "rte, zone FR, generation mix"));
    assert_non_null(est_carbon_source_last(src));
    assert_close(est_carbon_window_summary(est_carbon_source_last(src))->water_mean_l_per_kwh,
                 W_A, 1e-12);
    est_estimate_free(est);
    /* without a live source: the zone table's water, 0.1 x 2.5 = 0.25 l */
    o.intensity = NULL;
    if (est_estimate_run(&est, &o, NULL, zones, &e))
        fail_msg("%s", e.message);
    assert_int_equal(est_estimate_water(&wr, &off, est), 1);
    assert_close(wr.offsite_l, 0.25, 1e-12);
    assert_int_equal(est_estimate_water_origin(est, NULL), EST_ESTIMATE_ORIGIN_ZONE);
    est_estimate_free(est);
    est_zones_free(zones);
    est_carbon_source_free(src);
}

/* The 366-day rule without a source. The window touches every UTC day
 * from floor(start / 86400) to ceil(end / 86400) (exclusive):
 *   [2025-01-15T12:00Z, 2026-01-16T00:00Z): 2025 has 365 days, so
 *   2026-01-16 = 2025-01-15 + 366 days: days 15 Jan 2025 .. 15 Jan 2026,
 *   366 of them: accepted;
 *   one second more touches 16 Jan 2026: 367 days: EST_ERANGE. */
static void test_window_check_counts_utc_days(void **state)
{
    double s = D0115 + 12 * 3600.0, e = D0115 + 366 * DAY;
    est_error err;
    (void)state;
    assert_int_equal(est_carbon_window_check(s, e, &err), EST_OK);
    assert_int_equal(est_carbon_window_check(s, e + 1.0, &err), EST_ERANGE);
    assert_string_equal(err.message, "the window spans 367 UTC days; live intensity covers "
                                     "at most 366");
    /* one hour: 1 day */
    assert_int_equal(est_carbon_window_check(D0115, D0115 + 3600.0, NULL), EST_OK);
    assert_int_equal(est_carbon_window_check(D0115, D0115, &err), EST_EINVAL);
    assert_string_equal(err.message, "the window's end must be after its start");
    assert_int_equal(est_carbon_window_check(-7200.0, -3600.0, &err), EST_EINVAL);
    assert_non_null(strstr(err.message, "between 1970 and 9999"));
}

/* The zone-average window: FR's row (50 gCO2e/kWh, 2023) as a summary,
 * with the window kept as given; no network, no request. */
static void test_default_window_is_the_zone_average(void **state)
{
    fx *f = *state;
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    est_error e;
    unsigned before = ths_count(f->srv);
    assert_int_equal(est_carbon_window_default(&w, &f->fr, D0115, D0115 + 3600.0, &e), EST_OK);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->status, EST_CARBON_ZONE_AVERAGE);
    assert_int_equal(s->provider, EST_CARBON_PROVIDER_NONE);
    assert_string_equal(s->zone, "FR");
    assert_string_equal(s->source, "default");
    assert_close(s->mean_g_co2e_per_kwh, 50.0, 0);
    assert_close(s->coverage_frac, -1.0, 0); /* no data, never 100 % */
    assert_close(s->start_unix_s, D0115, 0);
    assert_close(s->end_unix_s, D0115 + 3600.0, 0);
    assert_close(s->provider_mean_g_co2e_per_kwh, EST_UNSET, 0);
    assert_close(s->water_mean_l_per_kwh, EST_UNSET, 0);
    assert_int_equal(s->n_days, 0);
    assert_int_equal(s->n_notes, 0);
    assert_int_equal(s->n_requests, 0);
    assert_int_equal(s->fallback_code, 0);
    assert_int_equal(s->strict_code, 0);
    assert_int_equal(est_carbon_window_series(w)->n_points, 0);
    est_carbon_window_free(w);
    /* no window */
    assert_int_equal(est_carbon_window_default(&w, &f->fr, EST_UNSET, EST_UNSET, NULL), EST_OK);
    assert_close(est_carbon_window_summary(w)->start_unix_s, EST_UNSET, 0);
    est_carbon_window_free(w);
    assert_int_equal(ths_count(f->srv), before);
    assert_int_equal(est_carbon_window_default(&w, NULL, D0115, D0115 + 1.0, &e), EST_EINVAL);
    assert_null(w);
}

/* A failed day while another has data: [15 12:00, 16 12:00) with the 16th
 * answered 404. The 15th's 12 h of mix A stand: mean 59.7, coverage
 * 12 h / 24 h = 0.5, one failed day (2025-01-16). Without strict it is no
 * error; with strict the window call and the summary both say EST_ENODATA,
 * "1 day of the window could not be fetched (the first, 2025-01-16: ...)",
 * and so does the window est_carbon_intensity leaves (the pipeline path). */
static void test_strict_verdict_for_failed_days(void **state)
{
    fx *f = *state;
    est_carbon_source *src;
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    est_intensity_answer a;
    const char *head = "1 day of the window could not be fetched (the first, 2025-01-16: ";
    double s0 = D0115 + 12 * 3600.0, s1 = D0115 + 36 * 3600.0;
    est_error e;
    int strict;
    f->st.fail_d0 = D0115 + DAY;
    for (strict = 0; strict <= 1; strict++) {
        src = open_src(f, strict, 0);
        assert_int_equal(est_carbon_source_window(&w, src, &f->fr, s0, s1, &e),
                         strict ? EST_ENODATA : EST_OK);
        assert_non_null(w);
        s = est_carbon_window_summary(w);
        assert_int_equal(s->status, EST_CARBON_LIVE);
        assert_close(s->mean_g_co2e_per_kwh, CI_A, 1e-12);
        assert_close(s->coverage_frac, 0.5, 1e-12);
        assert_int_equal(s->n_failed_days, 1);
        assert_int_equal(s->failed_days[0], (long)((D0115 + DAY) / DAY));
        assert_int_equal(s->fallback_kind, 0);
        if (strict) {
            assert_int_equal(s->strict_code, EST_ENODATA);
            assert_memory_equal(s->strict_reason, head, strlen(head));
            assert_string_equal(s->strict_reason, e.message);
        } else {
            assert_int_equal(s->strict_code, 0);
            assert_string_equal(s->strict_reason, "");
        }
        est_carbon_window_free(w);
        est_carbon_source_free(src);
    }
    src = open_src(f, 1, 0);
    memset(&a, 0, sizeof a);
    a.version = EST_INTENSITY_ANSWER_VERSION;
    assert_int_equal(est_carbon_intensity(src, &f->fr, s0, s1, &a, &e), EST_ENODATA);
    s = est_carbon_window_summary(est_carbon_source_last(src));
    assert_int_equal(s->strict_code, EST_ENODATA);
    assert_string_equal(s->strict_reason, e.message);
    est_carbon_source_free(src);
    f->st.fail_d0 = 0.0;
}

/* Offline with nothing cached for a window that has begun: the fallback
 * is what was asked for (INFO, EST_ENODATA, no request); a window in the
 * future (now is 1800000000 = 2027-01-15T08:00Z) falls back with a
 * warning, as does a failed fetch (test_fallback_and_strict). */
static void test_offline_fallback_kind(void **state)
{
    fx *f = *state;
    est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
    est_carbon_source *src = NULL;
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    char empty[4300];
    est_error e;
    unsigned before = ths_count(f->srv);
    snprintf(empty, sizeof empty, "%s/empty-cache", f->root);
    so.factor_paths = f->paths;
    so.n_factor_paths = 1;
    so.rte_url = ths_url(f->srv);
    so.cache_dir = empty;
    so.offline = 1;
    so.now_unix_s = 1800000000.0;
    assert_int_equal(est_carbon_source_open(&src, &so, &e), EST_OK);
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, D0115, D0115 + 3600.0, &e), 0);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->status, EST_CARBON_FALLBACK);
    assert_int_equal(s->fallback_code, EST_ENODATA);
    assert_int_equal(s->fallback_kind, EST_CARBON_NOTE_INFO);
    assert_close(s->mean_g_co2e_per_kwh, 50.0, 0);
    est_carbon_window_free(w);
    assert_int_equal(est_carbon_source_window(&w, src, &f->fr, 1800003600.0, 1800007200.0, &e),
                     0);
    s = est_carbon_window_summary(w);
    assert_int_equal(s->fallback_code, EST_ENODATA);
    assert_int_equal(s->fallback_kind, EST_CARBON_NOTE_WARNING);
    assert_non_null(strstr(s->fallback_reason, "lies in the future"));
    est_carbon_window_free(w);
    assert_int_equal(ths_count(f->srv), before);
    est_carbon_source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_summary_of_one_hour),
        cmocka_unit_test(test_day_store_fetches_each_day_once),
        cmocka_unit_test(test_fallback_and_strict),
        cmocka_unit_test(test_failed_day_is_not_fetched_again),
        cmocka_unit_test(test_window_refusals),
        cmocka_unit_test(test_fetch_options_version_1_still_accepted),
        cmocka_unit_test(test_pipeline_live_water),
        cmocka_unit_test(test_window_check_counts_utc_days),
        cmocka_unit_test(test_default_window_is_the_zone_average),
        cmocka_unit_test(test_strict_verdict_for_failed_days),
        cmocka_unit_test(test_offline_fallback_kind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
