/* The day source (ecoest/carbon.h, est_carbon_day_source) called directly,
 * no CLI: which UTC days a window asks for, the one-fetch-per-day rule over
 * a year, the first failure and the per-day entries as data, strict; then
 * over a carbon source against the loopback server: requests counted,
 * offline from the cache only, and plugged into the jobs accounting.
 *
 * Every series served, by the fake fetch and by the loopback Electricity
 * Maps server alike: one point per hour, hour h (UTC) of every day at
 * 100 + 10 h gCO2e/kWh (100 at 00:00 ... 330 at 23:00). */
#include <math.h>
#include <string.h>

#include "carbon_fixture.h"
#include "http_server.h"

#include "ecoest/carbon.h"
#include "ecoest/jobs.h"
#include "ecoest/zones.h"

#define DAY 86400.0
#define H 3600.0
#define D0110 1736467200.0 /* 2025-01-10T00:00:00Z, day 20098 */
#define DAY0110 20098L
#define D2024 1704067200.0 /* 2024-01-01T00:00:00Z, day 19723 */
#define D2025 1735689600.0 /* 2025-01-01T00:00:00Z: 366 days later */

/* ------------------------------------------------------------ a fake fetch */

typedef struct fake {
    unsigned calls;
    long asked[8];          /* the first days asked */
    long fail_day[2];       /* days answered EST_ENET; 0: none */
    unsigned year_of_zone;  /* the zone row's year the fetch got */
    est_intensity_point pts[24];
} fake;

static int fake_fetch(void *user, const est_zone *zone, double start_unix_s, double end_unix_s,
                      est_intensity_answer *a, const est_carbon_summary **summary,
                      est_error *err)
{
    fake *f = user;
    long day = (long)floor(start_unix_s / DAY);
    int h;
    assert_null(*summary);
    assert_close(end_unix_s - start_unix_s, DAY, 0);
    if (f->calls < 8)
        f->asked[f->calls] = day;
    f->calls++;
    f->year_of_zone = zone->year;
    if (day == f->fail_day[0] || day == f->fail_day[1]) {
        err->code = EST_ENET;
        snprintf(err->message, sizeof err->message, "cannot connect to day %ld", day);
        return EST_ENET;
    }
    for (h = 0; h < 24; h++) {
        f->pts[h].t_unix_s = start_unix_s + h * H;
        f->pts[h].dur_s = H;
        f->pts[h].g_co2e_per_kwh = 100.0 + 10.0 * h;
    }
    a->points = f->pts;
    a->n_points = 24;
    snprintf(a->source, sizeof a->source, "fake");
    return EST_OK;
}

static est_carbon_day_source *open_fake(fake *f, int strict)
{
    est_carbon_day_source_options o = EST_CARBON_DAY_SOURCE_OPTIONS_INIT;
    est_carbon_day_source *ds = NULL;
    est_error e;
    o.fetch = fake_fetch;
    o.fetch_user = f;
    o.strict = strict;
    assert_int_equal(est_carbon_day_source_open(&ds, &o, &e), EST_OK);
    return ds;
}

static est_zone zone_de(void)
{
    est_zone z;
    memset(&z, 0, sizeof z);
    snprintf(z.code, sizeof z.code, "DE");
    z.ci_g_co2e_per_kwh = 400.0;
    return z;
}

/* The time-weighted mean of the answer over the window. */
static double mean_of(const est_intensity_answer *a, double s, double e)
{
    est_intensity_stats st;
    est_error err;
    assert_int_equal(est_intensity_mean(&st, a->points, a->n_points, s, e, &err), EST_OK);
    return st.mean_g_co2e_per_kwh;
}

static int ask(est_carbon_day_source *ds, const est_zone *z, double s, double e,
               est_intensity_answer *a, est_error *err)
{
    memset(a, 0, sizeof *a);
    a->version = EST_INTENSITY_ANSWER_VERSION;
    memset(err, 0, sizeof *err);
    return est_carbon_day_source_intensity(ds, z, s, e, a, err);
}

/* [2025-01-10 23:00, 01-11 01:00) touches two UTC days: two fetches, the
   10th then the 11th. Its points: 23:00 at 330, 00:00 at 100, each 1 h of
   the 2 h: mean (330 + 100) / 2 = 215. */
static void test_days_job_across_midnight_fetches_two_days(void **state)
{
    fake f;
    est_carbon_day_source *ds;
    est_intensity_answer a;
    est_error e;
    est_zone de = zone_de();
    (void)state;
    memset(&f, 0, sizeof f);
    ds = open_fake(&f, 0);
    assert_int_equal(ask(ds, &de, D0110 + 23 * H, D0110 + DAY + H, &a, &e), EST_OK);
    assert_int_equal(f.calls, 2);
    assert_int_equal(f.asked[0], DAY0110);
    assert_int_equal(f.asked[1], DAY0110 + 1);
    assert_int_equal(a.n_points, 48); /* the two whole days */
    assert_close(mean_of(&a, D0110 + 23 * H, D0110 + DAY + H), 215.0, 1e-12);
    assert_string_equal(a.source, "fake");
    assert_int_equal(est_carbon_day_source_stats(ds)->days_asked, 2);
    assert_int_equal(est_carbon_day_source_stats(ds)->windows, 1);
    assert_int_equal(est_carbon_day_source_entry(ds, 1)->days_since_epoch, DAY0110 + 1);
    assert_int_equal(est_carbon_day_source_entry(ds, 1)->n_points, 24);
    assert_null(est_carbon_day_source_entry(ds, 2));
    est_carbon_day_source_free(ds);
}

/* [2025-01-10 22:00, 01-11 00:00) ends at midnight: the 11th is not in
   it, one fetch. Hours 22 and 23: (320 + 330) / 2 = 325. The same window
   again and [23:00, 01:00) after it ask only for the 11th: 2 fetches in
   all, 3 windows. */
static void test_days_window_ending_at_midnight_fetches_one(void **state)
{
    fake f;
    est_carbon_day_source *ds;
    est_intensity_answer a;
    est_error e;
    est_zone de = zone_de();
    (void)state;
    memset(&f, 0, sizeof f);
    ds = open_fake(&f, 0);
    assert_int_equal(ask(ds, &de, D0110 + 22 * H, D0110 + DAY, &a, &e), EST_OK);
    assert_int_equal(f.calls, 1);
    assert_int_equal(f.asked[0], DAY0110);
    assert_int_equal(a.n_points, 24);
    assert_close(mean_of(&a, D0110 + 22 * H, D0110 + DAY), 325.0, 1e-12);
    assert_int_equal(ask(ds, &de, D0110 + 22 * H, D0110 + DAY, &a, &e), EST_OK);
    assert_int_equal(f.calls, 1);
    assert_int_equal(ask(ds, &de, D0110 + 23 * H, D0110 + DAY + H, &a, &e), EST_OK);
    assert_int_equal(f.calls, 2);
    assert_int_equal(f.asked[1], DAY0110 + 1);
    assert_int_equal(est_carbon_day_source_stats(ds)->windows, 3);
    est_carbon_day_source_free(ds);
}

/* 2024 is a leap year: 366 UTC days. 4 windows of 6 h a day plus one
   21:00-03:00 window across each midnight (366 x 4 + 365 = 1829 windows)
   cost 366 fetches, one per day. The whole year, [2024-01-01, 2025-01-01),
   spans 366 days (ends at midnight): no more fetch; its mean is each day's,
   (100 + 330) / 2 = 215. One second more spans 367 days: refused before
   any fetch. Another zone asks for its own days. */
static void test_days_a_year_costs_at_most_366_fetches(void **state)
{
    fake f;
    est_carbon_day_source *ds;
    est_intensity_answer a;
    est_error e;
    est_zone de = zone_de(), fr = zone_de();
    int d, q;
    (void)state;
    memset(&f, 0, sizeof f);
    ds = open_fake(&f, 0);
    for (d = 0; d < 366; d++) {
        double d0 = D2024 + d * DAY;
        for (q = 0; q < 4; q++)
            assert_int_equal(ask(ds, &de, d0 + q * 6 * H, d0 + (q + 1) * 6 * H, &a, &e), EST_OK);
        if (d < 365)
            assert_int_equal(ask(ds, &de, d0 + 21 * H, d0 + DAY + 3 * H, &a, &e), EST_OK);
    }
    assert_int_equal(f.calls, 366);
    assert_int_equal(est_carbon_day_source_stats(ds)->days_asked, 366);
    assert_int_equal(est_carbon_day_source_stats(ds)->windows, 1829);
    assert_int_equal(ask(ds, &de, D2024, D2025, &a, &e), EST_OK);
    assert_int_equal(f.calls, 366);
    assert_int_equal(a.n_points, 366 * 24);
    assert_close(mean_of(&a, D2024, D2025), 215.0, 1e-12);
    assert_int_equal(ask(ds, &de, D2024, D2025 + 1.0, &a, &e), EST_ERANGE);
    assert_string_equal(e.message, "the job spans 367 UTC days; live intensity covers at most 366");
    assert_int_equal(f.calls, 366);
    assert_int_equal(ask(ds, &de, D2024, D2024, &a, &e), EST_EINVAL);
    snprintf(fr.code, sizeof fr.code, "FR");
    assert_int_equal(ask(ds, &fr, D2024, D2024 + H, &a, &e), EST_OK);
    assert_int_equal(f.calls, 367);
    assert_int_equal(est_carbon_day_source_stats(ds)->n_zones, 2);
    assert_int_equal(est_carbon_day_source_stats(ds)->days_without_data, 0);
    assert_int_equal(est_carbon_day_source_stats(ds)->first_failure_code, 0);
    est_carbon_day_source_free(ds);
}

/* The 11th fails (EST_ENET), then the 13th. [10th 22:00, 11th 02:00) gets
   the 10th's hours 22 and 23 only: mean (320 + 330) / 2 = 325; the first
   failure is the 11th's and stays so after the 13th's. The 11th is not
   asked again. Strict: a window touching the 11th fails with its code and
   reason; one on the 12th does not. */
static void test_days_first_failure_recorded_and_strict(void **state)
{
    fake f;
    est_carbon_day_source *ds;
    est_intensity_answer a;
    est_error e;
    est_zone de = zone_de();
    const est_carbon_day_stats *st;
    const est_carbon_day_entry *en;
    (void)state;
    memset(&f, 0, sizeof f);
    f.fail_day[0] = DAY0110 + 1;
    f.fail_day[1] = DAY0110 + 3;
    ds = open_fake(&f, 0);
    assert_int_equal(ask(ds, &de, D0110 + 22 * H, D0110 + DAY + 2 * H, &a, &e), EST_OK);
    assert_close(mean_of(&a, D0110 + 22 * H, D0110 + DAY + 2 * H), 325.0, 1e-12);
    st = est_carbon_day_source_stats(ds);
    assert_int_equal(st->days_without_data, 1);
    assert_int_equal(st->first_failure_code, EST_ENET);
    assert_string_equal(st->first_failure_zone, "DE");
    assert_int_equal(st->first_failure_day, DAY0110 + 1);
    assert_string_equal(st->first_failure, "cannot connect to day 20099");
    en = est_carbon_day_source_entry(ds, 1);
    assert_int_equal(en->code, EST_ENET);
    assert_int_equal(en->n_points, 0);
    assert_string_equal(en->reason, "cannot connect to day 20099");
    /* a window on the failed day alone: no point */
    assert_int_equal(ask(ds, &de, D0110 + DAY, D0110 + DAY + H, &a, &e), EST_ENODATA);
    assert_string_equal(e.message, "no intensity for DE in the window");
    assert_int_equal(ask(ds, &de, D0110 + 3 * DAY, D0110 + 3 * DAY + H, &a, &e), EST_ENODATA);
    assert_int_equal(f.calls, 3);
    assert_int_equal(st->days_without_data, 2);
    assert_string_equal(st->first_failure, "cannot connect to day 20099");
    est_carbon_day_source_free(ds);

    memset(&f, 0, sizeof f);
    f.fail_day[0] = DAY0110 + 1;
    ds = open_fake(&f, 1);
    assert_int_equal(ask(ds, &de, D0110 + 22 * H, D0110 + DAY + 2 * H, &a, &e), EST_ENET);
    assert_string_equal(e.message, "cannot connect to day 20099");
    assert_int_equal(ask(ds, &de, D0110 + 2 * DAY, D0110 + 2 * DAY + H, &a, &e), EST_OK);
    assert_close(mean_of(&a, D0110 + 2 * DAY, D0110 + 2 * DAY + H), 100.0, 1e-12);
    assert_int_equal(f.calls, 3);
    est_carbon_day_source_free(ds);
}

/* The zone table: the fetch gets the zone's whole row (its year), where
   the window was handed code and average only (as the jobs accounting
   does). Bad options refused. */
static void test_days_zone_row_and_options(void **state)
{
    fake f;
    est_carbon_day_source_options o = EST_CARBON_DAY_SOURCE_OPTIONS_INIT;
    est_carbon_day_source *ds = NULL;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_zones *zones = NULL;
    est_zone de = zone_de(), row;
    est_intensity_answer a;
    est_error e;
    char path[4200];
    (void)state;
    memset(&f, 0, sizeof f);
    assert_int_equal(est_carbon_day_source_open(&ds, &o, &e), EST_EINVAL); /* no fetch */
    assert_null(ds);
    o.fetch = fake_fetch;
    o.version = EST_CARBON_DAY_SOURCE_OPTIONS_VERSION + 1;
    assert_int_equal(est_carbon_day_source_open(&ds, &o, &e), EST_EINVAL);
    o.version = 1;
    snprintf(path, sizeof path, "%s/carbon/zones.csv", getenv("ECOEST_SOURCE_DIR"));
    zo.shipped_file = path;
    assert_int_equal(est_zones_open(&zones, &zo, &e), EST_OK);
    assert_int_equal(est_zones_lookup(&row, zones, "DE", &e), EST_OK);
    assert_true(row.year >= 1900);
    o.fetch_user = &f;
    o.zones = zones;
    assert_int_equal(est_carbon_day_source_open(&ds, &o, &e), EST_OK);
    assert_int_equal(ask(ds, &de, D0110, D0110 + H, &a, &e), EST_OK);
    assert_int_equal(f.year_of_zone, row.year);
    assert_int_equal(est_carbon_day_source_intensity(NULL, &de, D0110, D0110 + H, &a, &e),
                     EST_EINVAL);
    est_carbon_day_source_free(ds);
    est_carbon_day_source_free(NULL);
    est_zones_free(zones);
}

/* ------------------------------------------------- over a carbon source */

typedef struct srv {
    ths_server *ths;
    unsigned requests;
    double fail_d0;      /* a day answered 404; 0: none */
} srv;

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

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    srv *sv = ud;
    char s1[64], s2[64], ts[32], rec[256], *b;
    size_t n = 0, cap = 64 * 256;
    double a, z, t;
    sv->requests++;
    if (strcmp(req->path, "/carbon-intensity/past-range") != 0 ||
        !qparam(req->query, "start=", s1, sizeof s1) ||
        !qparam(req->query, "end=", s2, sizeof s2) || est_parse_time(&a, s1, NULL) ||
        est_parse_time(&z, s2, NULL) || a == sv->fail_d0) {
        resp->status = 404;
        resp->body = ths_strdup_printf("{\"error\":\"no route\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    b = malloc(cap);
    assert_non_null(b);
    n += (size_t)snprintf(b, cap, "{\"zone\":\"DE\",\"data\":[");
    for (t = a; t < z; t += H) {
        double h = fmod(t, DAY) / H;
        assert_int_equal(est_format_time(ts, sizeof ts, t), EST_OK);
        ts[19] = '\0';
        snprintf(rec, sizeof rec, "%s{\"zone\":\"DE\",\"carbonIntensity\":%g,\"datetime\":"
                 "\"%s.000Z\",\"isEstimated\":false}", t == a ? "" : ",", 100.0 + 10.0 * h, ts);
        assert_true(n + strlen(rec) + 3 < cap);
        memcpy(b + n, rec, strlen(rec) + 1);
        n += strlen(rec);
    }
    memcpy(b + n, "]}", 3);
    resp->body = b;
    resp->body_len = n + 2;
}

typedef struct fx {
    srv sv;
    char *root;
    char cache[4200];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->sv.ths = ths_start(handler, &f->sv);
    f->root = test_mkdtemp();
    snprintf(f->cache, sizeof f->cache, "%s/cache", f->root);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ths_stop(f->sv.ths);
    test_rmtree(f->root);
    free(f->root);
    free(f);
    return 0;
}

static est_carbon_source *open_src(fx *f, int offline)
{
    est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
    est_carbon_source *src = NULL;
    est_error e;
    so.em_url = ths_url(f->sv.ths);
    so.em_token = "test-token";
    so.cache_dir = f->cache;
    so.offline = offline;
    so.timeout_s = 10.0;
    so.now_unix_s = 1800000000.0; /* long after: the days are final */
    if (est_carbon_source_open(&src, &so, &e))
        fail_msg("%s", e.message);
    return src;
}

static est_carbon_day_source *open_days(est_carbon_source *src)
{
    est_carbon_day_source_options o = EST_CARBON_DAY_SOURCE_OPTIONS_INIT;
    est_carbon_day_source *ds = NULL;
    est_error e;
    o.fetch = est_carbon_day_fetch_source;
    o.fetch_user = src;
    assert_int_equal(est_carbon_day_source_open(&ds, &o, &e), EST_OK);
    return ds;
}

/* Live: [10th 23:00, 11th 01:00) and [12th 10:00, 10:30) cost 3 requests,
   one per day (the server counts them), each entry from the network with
   its request. Offline, a new source on the same cache: the same windows,
   no request, every day from the cache with the library's note as data;
   the 20th, never fetched, has no data: its entry and the first failure
   say why, and no request is made. */
static void test_days_source_requests_then_offline_cache_only(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0);
    est_carbon_day_source *ds = open_days(src);
    const est_carbon_day_entry *en;
    const est_carbon_day_stats *st;
    est_intensity_answer a;
    est_error e;
    est_zone de = zone_de();
    size_t i;
    assert_int_equal(ask(ds, &de, D0110 + 23 * H, D0110 + DAY + H, &a, &e), EST_OK);
    assert_close(mean_of(&a, D0110 + 23 * H, D0110 + DAY + H), 215.0, 1e-12);
    assert_string_equal(a.source, "electricitymaps");
    assert_int_equal(ask(ds, &de, D0110 + 2 * DAY + 10 * H, D0110 + 2 * DAY + 10.5 * H, &a, &e),
                     EST_OK);
    assert_close(mean_of(&a, D0110 + 2 * DAY + 10 * H, D0110 + 2 * DAY + 10.5 * H), 200.0, 1e-12);
    assert_int_equal(f->sv.requests, 3);
    st = est_carbon_day_source_stats(ds);
    assert_int_equal(st->days_asked, 3);
    assert_int_equal(st->requests, 3);
    for (i = 0; i < 3; i++) {
        en = est_carbon_day_source_entry(ds, i);
        assert_true(en->has_summary);
        assert_int_equal(en->origin, EST_CARBON_DAY_NETWORK);
        assert_int_equal(en->n_requests, 1);
        assert_int_equal(en->n_points, 24);
    }
    est_carbon_day_source_free(ds);
    est_carbon_source_free(src);

    src = open_src(f, 1);
    ds = open_days(src);
    assert_int_equal(ask(ds, &de, D0110 + 23 * H, D0110 + DAY + H, &a, &e), EST_OK);
    assert_close(mean_of(&a, D0110 + 23 * H, D0110 + DAY + H), 215.0, 1e-12);
    assert_string_equal(a.source, "cache");
    en = est_carbon_day_source_entry(ds, 0);
    assert_int_equal(en->origin, EST_CARBON_DAY_CACHE);
    assert_int_equal(en->n_requests, 0);
    assert_int_equal(en->n_notes, 1);
    assert_int_equal(en->notes[0].kind, EST_CARBON_NOTE_INFO);
    assert_string_equal(en->notes[0].text, "offline: intensity from the cache (1 day)");
    assert_int_equal(ask(ds, &de, D0110 + 10 * DAY + 5 * H, D0110 + 10 * DAY + 6 * H, &a, &e),
                     EST_ENODATA);
    assert_int_equal(f->sv.requests, 3);
    st = est_carbon_day_source_stats(ds);
    assert_int_equal(st->requests, 0);
    assert_int_equal(st->days_asked, 3);
    assert_int_equal(st->days_without_data, 1);
    assert_int_equal(st->first_failure_code, EST_ENODATA);
    assert_int_equal(st->first_failure_day, DAY0110 + 10);
    assert_string_equal(st->first_failure, "Electricity Maps: no intensity data for DE in "
                        "[2025-01-20T00:00:00Z, 2025-01-21T00:00:00Z) in the cache");
    en = est_carbon_day_source_entry(ds, 2);
    assert_int_equal(en->origin, EST_CARBON_DAY_MISSING);
    assert_string_equal(en->reason, st->first_failure);
    est_carbon_day_source_free(ds);
    est_carbon_source_free(src);
}

/* A day the server answers 404 (the 11th): its entry says EST_EHTTP, it is
   the first failure, and the 10th's data still serve a window across the
   two: [10th 22:00, 11th 02:00) at (320 + 330) / 2 = 325. */
static void test_days_source_first_failure_from_the_server(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0);
    est_carbon_day_source *ds = open_days(src);
    const est_carbon_day_stats *st;
    est_intensity_answer a;
    est_error e;
    est_zone de = zone_de();
    f->sv.fail_d0 = D0110 + DAY;
    assert_int_equal(ask(ds, &de, D0110 + 22 * H, D0110 + DAY + 2 * H, &a, &e), EST_OK);
    assert_close(mean_of(&a, D0110 + 22 * H, D0110 + DAY + 2 * H), 325.0, 1e-12);
    st = est_carbon_day_source_stats(ds);
    assert_int_equal(st->days_asked, 2);
    assert_int_equal(st->days_without_data, 1);
    assert_int_equal(st->first_failure_code, EST_EHTTP);
    assert_int_equal(st->first_failure_day, DAY0110 + 1);
    assert_non_null(strstr(st->first_failure, "404"));
    assert_int_equal(est_carbon_day_source_entry(ds, 1)->code, EST_EHTTP);
    assert_int_equal(f->sv.requests, 2);
    est_carbon_day_source_free(ds);
    est_carbon_source_free(src);
}

/* Plugged into the jobs accounting: 1 CPU at 10 W, PUE 1, no memory.
 *   job 1: 2025-01-10 00:00-02:00, hours 0 and 1: (100 + 110) / 2 = 105;
 *          10 W x 2 h = 0.02 kWh, x 105 = 2.1 g
 *   job 2: 01-10 22:00 - 01-11 02:00: (320 + 330 + 100 + 110) / 4 = 215;
 *          0.04 kWh, 8.6 g
 * Two UTC days, two requests. */
static void test_days_plugged_into_the_jobs_accounting(void **state)
{
    fx *f = *state;
    est_carbon_source *src = open_src(f, 0);
    est_carbon_day_source *ds = open_days(src);
    est_cluster_options co = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_zones *zones = NULL;
    est_cluster *c = NULL;
    est_jobs_footprint fp;
    est_job j;
    est_error e;
    char path[4200];
    double win[2][2] = {{D0110, D0110 + 2 * H}, {D0110 + 22 * H, D0110 + DAY + 2 * H}};
    double ci[2] = {105.0, 215.0}, g[2] = {2.1, 8.6};
    int k;
    snprintf(path, sizeof path, "%s/carbon/zones.csv", getenv("ECOEST_SOURCE_DIR"));
    zo.shipped_file = path;
    assert_int_equal(est_zones_open(&zones, &zo, &e), EST_OK);
    co.zones = zones;
    co.zone = "DE";
    co.cpu_tdp_per_core_w = 10.0;
    co.pue = 1.0;
    if (est_cluster_open(&c, NULL, &co, &e))
        fail_msg("%s", e.message);
    ao.memory_w_per_gb = 0.0;
    ao.intensity = est_carbon_day_source_intensity;
    ao.intensity_user = ds;
    ao.strict = 1;
    for (k = 0; k < 2; k++) {
        memset(&j, 0, sizeof j);
        snprintf(j.id, sizeof j.id, "%d", k + 1);
        j.state = EST_JOBS_STATE_COMPLETED;
        j.ncpus = 1;
        j.nnodes = 1;
        j.has_start = j.has_end = 1;
        j.start_unix_s = win[k][0];
        j.end_unix_s = win[k][1];
        j.elapsed_s = win[k][1] - win[k][0];
        j.total_cpu_s = j.elapsed_s;
        j.req_mem_gb = 1.0;
        j.max_rss_gb = EST_UNSET;
        j.cpu_time_s = EST_UNSET;
        j.gpu_util_frac = EST_UNSET;
        j.energy_j = EST_UNSET;
        if (est_jobs_account(&fp, c, &j, &ao, &e))
            fail_msg("%s", e.message);
        assert_true(fp.ci_live);
        assert_close(fp.ci_g_co2e_per_kwh, ci[k], 1e-12);
        assert_close(fp.co2e_g, g[k], 1e-12);
    }
    assert_int_equal(f->sv.requests, 2);
    assert_int_equal(est_carbon_day_source_stats(ds)->days_asked, 2);
    est_cluster_free(c);
    est_zones_free(zones);
    est_carbon_day_source_free(ds);
    est_carbon_source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_job_across_midnight_fetches_two_days),
        cmocka_unit_test(test_days_window_ending_at_midnight_fetches_one),
        cmocka_unit_test(test_days_a_year_costs_at_most_366_fetches),
        cmocka_unit_test(test_days_first_failure_recorded_and_strict),
        cmocka_unit_test(test_days_zone_row_and_options),
        cmocka_unit_test_setup_teardown(test_days_source_requests_then_offline_cache_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_days_source_first_failure_from_the_server, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_days_plugged_into_the_jobs_accounting, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
