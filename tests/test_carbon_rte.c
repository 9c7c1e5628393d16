/* RTE eco2mix, end to end: the CLI against a loopback server serving the
 * ODRE Explore v2.1 record schema. Expected intensities are worked by hand.
 *
 * Mixes served (MW), with the ipcc2014 factors (nuclear 12, wind 11, hydro 24,
 * solar 45, biomass 230, gas 490, coal 820, oil 650):
 *   A: nucleaire 40000, eolien 5000, gaz 5000 (others 0)
 *      (40000x12 + 5000x11 + 5000x490) / 50000 = (480000 + 55000 + 2450000)
 *      / 50000 = 2985000 / 50000 = 59.7           taux_co2 20
 *   B: nucleaire 30000, hydraulique 10000, charbon 2000, fioul 1000,
 *      solaire 5000, bioenergies 1000, eolien 1000 (sum 50000)
 *      (360000 + 240000 + 1640000 + 650000 + 225000 + 230000 + 11000) / 50000
 *      = 3356000 / 50000 = 67.12                 taux_co2 35
 * Every record also holds pompage -3000 and ech_physiques -5000, which the
 * formula leaves out (else the results would differ).
 * With the direct set (gas 370, others 0 for A): A = 5000x370/50000 = 37.
 */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carbon_fixture.h"
#include "http_server.h"

#include "ecoest/common.h"

#define MIX_A 59.7
#define MIX_B 67.12
#define DAY 86400.0

typedef enum mode { M_OK, M_401, M_429_ONCE, M_500, M_HANG, M_TRUNC, M_NO_RESULTS,
                    M_BAD_FIELD, M_ECHO_400, M_REDIRECT, M_PAGED, M_BIG_MW } mode;

typedef struct srv_state {
    mode mode;
    int served_429;
    double published_until; /* rows at or after: null (0: all published) */
    double fail_day;        /* this UTC day answers 500 (Retry-After: 0) */
    unsigned tr_requests, def_requests;
    unsigned offsets_seen;  /* M_PAGED: bit k set when offset 100 k was asked */
} srv_state;

/* Which mix a row at t gets: 2025-01-16 B; 2025-03-30 00:00-02:00 UTC B;
 * else A. */
static char mix_of(double t)
{
    double d16 = 1736985600.0;                  /* 2025-01-16T00:00:00Z */
    double d0330 = 1743292800.0;                /* 2025-03-30T00:00:00Z */
    if (t >= d16 && t < d16 + DAY)
        return 'B';
    if (t >= d0330 && t < d0330 + 2 * 3600)
        return 'B';
    return 'A';
}

static void append(char **buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    *buf = realloc(*buf, *len + n + 1);
    assert_non_null(*buf);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* One eco2mix record. kind: 'A', 'B', 'N' (all null: future), 'D' ("ND"),
 * 'P' (A with fioul "ND": a partial row). */
static void record(char **buf, size_t *len, double t, char kind, int first)
{
    char dh[32], rec[1024], date[16];
    int y;
    unsigned m, d;
    long day = (long)(t / DAY);
    int h = (int)((t - (double)day * DAY) / 3600.0), mi = (int)((long)(t / 60) % 60);
    est_civil_from_days(&y, &m, &d, day);
    snprintf(dh, sizeof dh, "%04d-%02u-%02uT%02d:%02d:00+00:00", y, m, d, h, mi);
    snprintf(date, sizeof date, "%04d-%02u-%02u", y, m, d);
    if (kind == 'A' || kind == 'P')
        snprintf(rec, sizeof rec,
                 "{\"perimetre\":\"France\",\"nature\":\"Donn\\u00e9es temps r\\u00e9el\","
                 "\"date\":\"%s\",\"heure\":\"%02d:%02d\",\"date_heure\":\"%s\","
                 "\"consommation\":52000,\"prevision_j1\":51000,\"fioul\":%s,\"charbon\":0,"
                 "\"gaz\":5000,\"nucleaire\":40000,\"eolien\":5000,\"eolien_terrestre\":null,"
                 "\"solaire\":0,\"hydraulique\":0,\"pompage\":-3000,\"bioenergies\":0,"
                 "\"ech_physiques\":-5000,\"taux_co2\":20,\"stockage_batterie\":\"ND\"}",
                 date, (h + 1) % 24, mi, dh, kind == 'P' ? "\"ND\"" : "0");
    else if (kind == 'B')
        snprintf(rec, sizeof rec,
                 "{\"perimetre\":\"France\",\"date\":\"%s\",\"heure\":\"%02d:%02d\","
                 "\"date_heure\":\"%s\",\"fioul\":1000,\"charbon\":2000,\"gaz\":0,"
                 "\"nucleaire\":30000,\"eolien\":1000,\"solaire\":5000,\"hydraulique\":10000,"
                 "\"pompage\":-3000,\"bioenergies\":1000,\"ech_physiques\":-5000,"
                 "\"taux_co2\":35}",
                 date, (h + 1) % 24, mi, dh);
    else
        snprintf(rec, sizeof rec,
                 "{\"date\":\"%s\",\"heure\":\"%02d:%02d\",\"date_heure\":\"%s\","
                 "\"fioul\":%s,\"charbon\":%s,\"gaz\":%s,\"nucleaire\":%s,\"eolien\":%s,"
                 "\"solaire\":%s,\"hydraulique\":%s,\"pompage\":%s,\"bioenergies\":%s,"
                 "\"taux_co2\":%s}",
                 date, (h + 1) % 24, mi, dh, kind == 'D' ? "\"ND\"" : "null",
                 kind == 'D' ? "\"ND\"" : "null", kind == 'D' ? "\"ND\"" : "null",
                 kind == 'D' ? "\"ND\"" : "null", kind == 'D' ? "\"ND\"" : "null",
                 kind == 'D' ? "\"ND\"" : "null", kind == 'D' ? "\"ND\"" : "null",
                 kind == 'D' ? "\"ND\"" : "null", kind == 'D' ? "\"ND\"" : "null",
                 kind == 'D' ? "\"ND\"" : "null");
    if (!first)
        append(buf, len, ",");
    append(buf, len, rec);
}

/* 2025-01-20: rows 0-47 A (row 10 with fioul "ND"), 48-71 "ND", 72-95 null. */
#define D0120 1737331200.0

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    srv_state *st = ud;
    const char *w = strstr(req->query, "date_heure >= date'");
    char day[32];
    double d0;
    char *body = NULL;
    size_t len = 0;
    int k;
    if (strstr(req->path, "eco2mix-national-tr"))
        st->tr_requests++;
    else if (strstr(req->path, "eco2mix-national-cons-def"))
        st->def_requests++;
    switch (st->mode) {
    case M_401:
        resp->status = 401;
        resp->body = ths_strdup_printf("{\"error\":\"Invalid auth-token\"}");
        resp->body_len = strlen(resp->body);
        return;
    case M_429_ONCE:
        if (!st->served_429) {
            st->served_429 = 1;
            resp->status = 429;
            snprintf(resp->headers, sizeof resp->headers, "Retry-After: 1\r\n");
            resp->body = ths_strdup_printf("{\"error\":\"rate limited\"}");
            resp->body_len = strlen(resp->body);
            return;
        }
        break;
    case M_500:
        resp->status = 500;
        /* Retry-After: 0 keeps the retries (and the suite) fast */
        snprintf(resp->headers, sizeof resp->headers, "Retry-After: 0\r\n");
        resp->body = ths_strdup_printf("{\"error\":\"boom\"}");
        resp->body_len = strlen(resp->body);
        return;
    case M_ECHO_400: {
        /* a 400 body of 400 characters echoing the token at offset 110 */
        const char *h = strstr(req->headers, "Apikey ");
        char tok[128] = "";
        size_t j, n;
        if (h)
            sscanf(h + 7, "%127[^\r\n]", tok);
        n = strlen(tok);
        resp->status = 400;
        resp->body = malloc(401);
        assert_non_null(resp->body);
        memset(resp->body, 'x', 400);
        resp->body[400] = '\0';
        {
            const char *pre = "{\"error\":\"bad request\",\"pad\":\"";
            memcpy(resp->body, pre, strlen(pre));
        }
        for (j = 0; j < n; j++)
            resp->body[110 + j] = tok[j];
        memcpy(resp->body + 398, "\"}", 2);
        resp->body_len = 400;
        return;
    }
    case M_REDIRECT:
        resp->status = 302;
        snprintf(resp->headers, sizeof resp->headers,
                 "Location: https://user:pw@mirror.example.net:8443/api/x?apikey=LOCSECRET\r\n");
        resp->body = ths_strdup_printf("moved");
        resp->body_len = strlen(resp->body);
        return;
    case M_HANG:
        resp->action = THS_HANG;
        return;
    case M_NO_RESULTS:
        resp->body = ths_strdup_printf("{\"total_count\":1,\"results\":{\"a\":1}}");
        resp->body_len = strlen(resp->body);
        return;
    default:
        break;
    }
    if (!w || strlen(w) < 29 ||
        (strcmp(req->path, "/api/explore/v2.1/catalog/datasets/eco2mix-national-tr/records") != 0 &&
         strcmp(req->path, "/api/explore/v2.1/catalog/datasets/eco2mix-national-cons-def/"
                           "records") != 0)) {
        resp->status = 404;
        resp->body = ths_strdup_printf("{\"error\":\"unexpected request %s\"}", req->path);
        resp->body_len = strlen(resp->body);
        return;
    }
    assert_non_null(strstr(req->query, "order_by=date_heure"));
    assert_non_null(strstr(req->query, "limit=100"));
    snprintf(day, sizeof day, "%.20s", w + 19); /* 2025-01-15T00:00:00Z */
    assert_int_equal(est_parse_time(&d0, day, NULL), EST_OK);
    if (st->fail_day > 0 && d0 == st->fail_day) {
        resp->status = 500;
        snprintf(resp->headers, sizeof resp->headers, "Retry-After: 0\r\n");
        resp->body = ths_strdup_printf("{\"error\":\"boom\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    if (st->mode == M_PAGED) {
        /* 288 five-minute rows, 100 a page by offset: rows 0-99 A,
           100-199 B, 200-287 A */
        const char *o = strstr(req->query, "offset=");
        int off = o ? atoi(o + 7) : 0;
        st->offsets_seen |= 1u << (off / 100);
        append(&body, &len, "{\"total_count\":288,\"results\":[");
        for (k = off; k < off + 100 && k < 288; k++)
            record(&body, &len, d0 + k * 300.0, k >= 100 && k < 200 ? 'B' : 'A', k == off);
        append(&body, &len, "]}");
        resp->body = body;
        resp->body_len = len;
        return;
    }
    append(&body, &len, "{\"total_count\":96,\"results\":[");
    for (k = 0; k < 96; k++) {
        double t = d0 + k * 900.0;
        char kind = mix_of(t);
        if (d0 == D0120)
            kind = k == 10 ? 'P' : k < 48 ? 'A' : k < 72 ? 'D' : 'N';
        if (st->published_until > 0 && t >= st->published_until)
            kind = 'N';
        if (st->mode == M_BAD_FIELD && k == 5) {
            append(&body, &len, ",{\"date_heure\":\"2025-01-15T01:15:00+00:00\","
                                "\"nucleaire\":{\"x\":1}}");
            continue;
        }
        if (st->mode == M_BIG_MW && k == 5) {
            append(&body, &len, ",{\"date_heure\":\"2025-01-15T01:15:00+00:00\","
                                "\"nucleaire\":1e7,\"gaz\":100}");
            continue;
        }
        record(&body, &len, t, kind, k == 0);
    }
    append(&body, &len, "]}");
    resp->body = body;
    resp->body_len = len;
    if (st->mode == M_TRUNC)
        resp->action = THS_TRUNCATE;
}

typedef struct fx {
    srv_state st;
    ths_server *srv;
    sandbox sb;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->srv = ths_start(handler, &f->st);
    sandbox_init(&f->sb, ths_url(f->srv));
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

static const cJSON *daily_at(const cJSON *carbon, int i)
{
    const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(carbon, "daily"), i);
    assert_non_null(d);
    return d;
}

/* Two whole days, 15 (A) and 16 (B) January 2025:
 * mean = (96 x 59.7 + 96 x 67.12) / 192 = (59.7 + 67.12) / 2 = 63.41;
 * taux_co2 mean = (20 + 35) / 2 = 27.5. Then the same window again: from the
 * cache, no request; then with the server gone: still the cache. */
static void test_rte_multi_day_window_then_cache(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                          "--end", "2025-01-17T00:00:00+00:00", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "rte");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 63.41, 1e-9);
    assert_close(json_num(j, "coverage_frac", NULL), 1.0, 1e-12);
    assert_close(json_num(j, "rte_taux_co2_mean_g_co2e_per_kwh", NULL), 27.5, 1e-12);
    assert_close(json_num(daily_at(j, 0), "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_string_equal(json_str(daily_at(j, 0), "date", NULL), "2025-01-15");
    assert_close(json_num(daily_at(j, 0), "points", NULL), 96, 0);
    assert_close(json_num(daily_at(j, 1), "mean_g_co2e_per_kwh", NULL), MIX_B, 1e-9);
    assert_close(json_num(j, "points", NULL), 192, 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "series")), 192);
    assert_string_equal(json_str(j, "factors", NULL), "ipcc2014");
    /* live water (test_rte_window_across_midnight works out A 1.679 and
       B 7.9108 l/kWh): (1.679 + 7.9108) / 2 = 4.7949; the first point's
       1.679, the last's 7.9108 */
    assert_close(json_num(j, "water_mean_l_per_kwh", NULL), 4.7949, 1e-12);
    assert_close(json_num(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "series"), 0),
                          "water_l_per_kwh", NULL), 1.679, 1e-12);
    assert_close(json_num(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "series"), 191),
                          "water_l_per_kwh", NULL), 7.9108, 1e-12);
    /* one request a day; days older than ~85 days ask the consolidated
       dataset first */
    assert_int_equal(ths_count(f->srv), 2);
    assert_int_equal(f->st.def_requests, 2);
    cJSON_Delete(j);
    test_run_free(&r);
    {
        char path[4400];
        struct stat sbuf;
        snprintf(path, sizeof path, "%s/ecoest/rte/FR/2025-01-15.json", f->sb.cache);
        assert_int_equal(stat(path, &sbuf), 0);
    }

    /* again: every day complete in the cache, no request */
    {
        unsigned before = ths_count(f->srv);
        sandbox_run(&f->sb, &r, args);
        assert_int_equal(r.status, 0);
        j = json_of(&r);
        assert_string_equal(json_str(j, "source", NULL), "cache");
        assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 63.41, 1e-9);
        assert_int_equal(ths_count(f->srv), before);
        cJSON_Delete(j);
        test_run_free(&r);
    }
    /* the server gone: an estimate with --live still gets the cached days.
     * 1 core x 100 W x 48 h x PUE 1.67 = 8.016 kWh; x 63.41 = 508.29456 g */
    ths_stop(f->srv);
    f->srv = ths_start(handler, &f->st); /* for teardown; another port */
    {
        const char *est[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                             "--start", "2025-01-15T00:00:00Z", "--end", "2025-01-17T00:00:00Z",
                             "--format", "json", NULL};
        const char *off[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                             "--offline", "--start", "2025-01-15T00:00:00Z", "--hours", "48",
                             "--format", "json", NULL};
        sandbox_run(&f->sb, &r, est);
        assert_int_equal(r.status, 0);
        j = json_of(&r);
        assert_string_equal(json_str(j, "carbon", "source", NULL), "cache");
        assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 63.41, 1e-9);
        assert_close(json_num(j, "co2e_g", NULL), 508.29456, 1e-9);
        assert_close(json_num(j, "carbon", "coverage_frac", NULL), 1.0, 1e-12);
        assert_close(json_num(j, "carbon", "default", "ci_g_co2e_per_kwh", NULL), 50, 0);
        cJSON_Delete(j);
        test_run_free(&r);
        sandbox_run(&f->sb, &r, off);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.err, "offline: intensity from the cache (2 days)"));
        j = json_of(&r);
        assert_string_equal(json_str(j, "carbon", "source", NULL), "cache");
        assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 63.41, 1e-9);
        cJSON_Delete(j);
        test_run_free(&r);
    }
}

/* An ISO alpha-3 code is another name of its zone: --zone FRA is FR, served
 * by RTE (France only). 2025-01-15 is mix A all day: 59.7. Asking RTE for
 * an Electricity Maps zone (JP-TK) is refused with the code asked for. */
static void test_rte_alpha3_zone_is_served_by_rte(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FRA", "--start", "2025-01-15T00:00:00Z",
                          "--end", "2025-01-16T00:00:00Z", "--format", "json", NULL};
    const char *jp[] = {"carbon", "--zone", "JP-TK", "--provider", "rte", "--start",
                        "2025-01-15T00:00:00Z", "--end", "2025-01-16T00:00:00Z", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "rte");
    assert_string_equal(json_str(j, "zone", NULL), "FR");
    assert_string_equal(json_str(j, "provider_zone", NULL), "FR");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_int_equal(ths_count(f->srv), 1);
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, jp);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, "RTE eco2mix covers France only (zone FR), not JP-TK"));
    assert_string_equal(r.out, "");
    assert_int_equal(ths_count(f->srv), 1);
    test_run_free(&r);
}

/* 2025-01-15T23:00Z to 2025-01-16T03:00Z (4 h): 4 rows A, 12 rows B:
 * (4 x 59.7 + 12 x 67.12) / 16 = (238.8 + 805.44) / 16 = 65.265;
 * hour-weighted daily means: (1 h x 59.7 + 3 h x 67.12) / 4 = 65.265.
 * 100 W x 4 h x 1.67 = 0.668 kWh; x 65.265 = 43.59702 g. */
static void test_rte_window_across_midnight(void **state)
{
    fx *f = *state;
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                          "--start", "2025-01-16T00:00:00+01:00", "--runtime", "4h",
                          "--format", "json", NULL};
    test_run r;
    cJSON *j;
    const cJSON *c;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    c = cJSON_GetObjectItem(j, "carbon");
    assert_string_equal(json_str(c, "source", NULL), "rte");
    assert_string_equal(json_str(c, "start", NULL), "2025-01-15T23:00:00Z");
    assert_string_equal(json_str(c, "end", NULL), "2025-01-16T03:00:00Z");
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 65.265, 1e-9);
    assert_close(json_num(j, "co2e_g", NULL), 43.59702, 1e-9);
    assert_close(json_num(daily_at(c, 0), "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_close(json_num(daily_at(c, 0), "points", NULL), 4, 0);
    assert_close(json_num(daily_at(c, 0), "hours", NULL), 1, 1e-12);
    assert_close(json_num(daily_at(c, 1), "mean_g_co2e_per_kwh", NULL), MIX_B, 1e-9);
    assert_close(json_num(daily_at(c, 1), "points", NULL), 12, 0);
    assert_close(json_num(daily_at(c, 1), "hours", NULL), 3, 1e-12);
    /* the RTE figure beside ours: (4 x 20 + 12 x 35) / 16 = 500 / 16 = 31.25 */
    assert_close(json_num(c, "rte_taux_co2_mean_g_co2e_per_kwh", NULL), 31.25, 1e-12);
    /* live water (issue 13), carbon/water-factors.csv (nuclear 2.04, wind 0,
       gas 0.47, hydro 32.81, coal 1.57, oil 0.63, solar 0.1, biomass 1.97):
       A = (40000 x 2.04 + 5000 x 0 + 5000 x 0.47) / 50000 = 83950 / 50000
         = 1.679 l/kWh;
       B = (61200 + 328100 + 3140 + 630 + 500 + 1970 + 0) / 50000
         = 395540 / 50000 = 7.9108 l/kWh;
       window: (4 x 1.679 + 12 x 7.9108) / 16 = 101.6456 / 16 = 6.35285;
       off-site: IT 0.4 kWh x PUE 1.67 x 6.35285 = 4.2437038 l (the test
       zone table has no water figure: without --live it is unknown) */
    assert_close(json_num(c, "water_mean_l_per_kwh", NULL), 6.35285, 1e-12);
    assert_close(json_num(j, "water", "offsite_l_per_kwh", NULL), 6.35285, 1e-12);
    assert_close(json_num(j, "water", "water_offsite_l", NULL), 4.2437038, 1e-12);
    assert_string_equal(json_str(j, "water", "offsite_origin", NULL), "live");
    assert_non_null(strstr(json_str(j, "water", "offsite_source", NULL),
                           "rte, zone FR, generation mix"));
    cJSON_Delete(j);
    test_run_free(&r);
}

/* A sample log with --live for FR: the live water is weighted by the
 * log's energy as the intensity is. GPU 0 logs every 15 min from
 * 2025-01-15T23:00Z to 2025-01-16T01:00Z: 100 W up to 00:00, 300 W from
 * 00:15 on; mix A before midnight, B after. PUE 1, idle 0, no CPU:
 *   bins 23:00-00:00: 4 x 100 W x 0.25 h = 100 Wh at A
 *   bin 00:00-00:15: (100 + 300) / 2 x 0.25 h = 50 Wh at B
 *   bins 00:15-01:00: 3 x 300 W x 0.25 h = 225 Wh at B   (total 375 Wh)
 *   carbon: (100 x 59.7 + 275 x 67.12) / 375 = (5970 + 18458) / 375
 *         = 24428 / 375 = 65.141333...
 *   water:  (100 x 1.679 + 275 x 7.9108) / 375 = (167.9 + 2175.47) / 375
 *         = 2343.37 / 375 = 6.248986666... l/kWh (time mean 4.7949)
 *   off-site water: 0.375 kWh x PUE 1 x 6.2489866... = 2.34337 l */
static void test_rte_samples_weight_the_live_water_by_energy(void **state)
{
    fx *f = *state;
    char path[4300], log[1024];
    size_t n = 0;
    double t0 = 1736982000.0; /* 2025-01-15T23:00:00Z */
    int k;
    test_run r;
    cJSON *j;
    snprintf(path, sizeof path, "%s/job.csv", f->sb.root);
    n += (size_t)snprintf(log, sizeof log, "time_unix_s,gpu0_power_w\n");
    for (k = 0; k <= 8; k++)
        n += (size_t)snprintf(log + n, sizeof log - n, "%.0f,%d\n", t0 + 900.0 * k,
                              k <= 4 ? 100 : 300);
    test_write_file(path, log);
    {
        const char *args[] = {"--samples", path, "--gpu-idle", "0", "--pue", "1", "--zone", "FR",
                              "--live", "--format", "json", NULL};
        sandbox_run(&f->sb, &r, args);
    }
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_close(json_num(j, "energy_kwh", NULL), 0.375, 1e-9);
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 24428.0 / 375.0, 1e-9);
    assert_close(json_num(j, "carbon", "water_mean_l_per_kwh", NULL), 4.7949, 1e-9);
    assert_close(json_num(j, "water", "offsite_l_per_kwh", NULL), 2343.37 / 375.0, 1e-9);
    assert_close(json_num(j, "water", "water_offsite_l", NULL), 2.34337, 1e-9);
    assert_string_equal(json_str(j, "water", "offsite_origin", NULL), "live");
    assert_non_null(strstr(json_str(j, "water", "offsite_source", NULL),
                           "weighted by the log's energy"));
    cJSON_Delete(j);
    test_run_free(&r);
}

/* 2025-03-30, the spring DST change in Paris: 96 rows in the UTC day (the
 * served "heure" fields are Paris-ish and wrong, as RTE's are on DST days).
 * Rows 00:00-01:45 UTC (8) are B, 88 are A:
 * (8 x 67.12 + 88 x 59.7) / 96 = (536.96 + 5253.6) / 96 = 5790.56 / 96
 * = 60.31833... */
static void test_rte_dst_day_keys_on_utc(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-03-30T00:00:00Z",
                          "--end", "2025-03-31T00:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 5790.56 / 96.0, 1e-9);
    assert_close(json_num(daily_at(j, 0), "points", NULL), 96, 0);
    assert_close(json_num(j, "coverage_frac", NULL), 1.0, 1e-12);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "daily")), 1);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* 2025-01-20: 48 rows of A (row 10 with fioul "ND": counted as 0, still
 * 59.7), 24 rows "ND", 24 rows null: 48 points, coverage 48/96 = 0.5. */
static void test_rte_null_and_nd_fields(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-20T00:00:00Z",
                          "--end", "2025-01-21T00:00:00Z", "--format", "csv", NULL};
    test_run r;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "kind,time,date,g_co2e_per_kwh,"));
    assert_non_null(strstr(r.out, "\nrun,2025-01-20T00:00:00Z,,59.7,20,48,24,0.5,rte\n"));
    assert_non_null(strstr(r.out, "\nday,,2025-01-20,59.7,,48,24,0.5,\n"));
    assert_non_null(strstr(r.out, "\npoint,2025-01-20T11:45:00Z,,59.7,20,,0.25,,\n"));
    assert_null(strstr(r.out, "point,2025-01-20T12:00:00Z"));
    assert_non_null(strstr(r.err, "1 record had some production fields missing"));
    assert_non_null(strstr(r.err, "cover 50.0% of the window; 12.0 h of gaps in the "
                                  "provider's data"));
    assert_null(strstr(r.err, "not published yet")); /* an old day: gaps */
    test_run_free(&r);
}

/* The last 6 hours up to now, published until now - 2 h: the rows after are
 * null. coverage = published seconds / window seconds. Today is incomplete:
 * a second run fetches it again. */
static void test_rte_unpublished_tail_lowers_coverage(void **state)
{
    fx *f = *state;
    double now = now_s(), start = floor(now / 900.0) * 900.0 - 6 * 3600.0, expect;
    char start_s[32];
    const char *args[] = {"carbon", "--zone", "FR", "--start", start_s, "--format", "json",
                          NULL};
    test_run r;
    cJSON *j;
    unsigned before;
    snprintf(start_s, sizeof start_s, "%.0f", start);
    f->st.published_until = floor((now - 7200.0) / 900.0) * 900.0;
    /* rows before published_until cover [start, published_until) */
    expect = (f->st.published_until - start) / (now - start);
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "coverage_frac", NULL), expect, 0.01);
    assert_true(json_num(j, "coverage_frac", NULL) < 0.75);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_non_null(strstr(r.err, "not published yet"));
    cJSON_Delete(j);
    test_run_free(&r);
    before = ths_count(f->srv);
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_true(ths_count(f->srv) > before);
    assert_true(f->st.tr_requests > 0);
    test_run_free(&r);
}

/* A rejected token: warning, fallback to the table (FR 50 in the test
 * overlay), the token nowhere in the output; --strict: exit 69. */
static void test_rte_401_rejected_token_never_printed(void **state)
{
    fx *f = *state;
    const char *tok = "tok-SECRET-4242";
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                          "--start", "2025-01-15T00:00:00Z", "--hours", "2", "--format",
                          "json", NULL};
    const char *strict[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                            "--strict", "--start", "2025-01-15T00:00:00Z", "--hours", "2",
                            NULL};
    char hdrs[8192];
    test_run r;
    cJSON *j;
    f->st.mode = M_401;
    sandbox_tokens(&f->sb, tok, "");
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "ecoest: warning: live carbon intensity unavailable: RTE: "
                                  "the token was rejected (HTTP 401"));
    assert_non_null(strstr(r.err, "RESEAUX_ENERGIES_TOKEN"));
    assert_absent(r.err, tok);
    assert_absent(r.out, tok);
    j = json_of(&r);
    assert_string_equal(json_str(j, "carbon", "source", NULL), "default");
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 50, 0);
    assert_non_null(strstr(json_str(j, "carbon", "fallback_reason", NULL), "401"));
    cJSON_Delete(j);
    test_run_free(&r);
    ths_last_headers(f->srv, hdrs, sizeof hdrs);
    assert_non_null(strstr(hdrs, "Authorization: Apikey tok-SECRET-4242"));
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    assert_absent(r.err, tok);
    assert_non_null(strstr(r.err, "--strict"));
    test_run_free(&r);
}

/* 429 with Retry-After: 1, then the data: one retry, about 1 s later. */
static void test_rte_429_then_success(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-16T00:00:00Z",
                          "--end", "2025-01-17T00:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    struct timespec a, b;
    f->st.mode = M_429_ONCE;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sandbox_run(&f->sb, &r, args);
    clock_gettime(CLOCK_MONOTONIC, &b);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "rte");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_B, 1e-9);
    assert_true((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 >= 0.9);
    assert_true(json_num(j, "requests", NULL) >= 2);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* 500 every time: retried within the budget, then the table with a
 * warning; --strict: 69. */
static void test_rte_500_falls_back_or_strict_69(void **state)
{
    fx *f = *state;
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                          "--timeout", "2", "--start", "2025-01-15T00:00:00Z", "--hours", "1",
                          NULL};
    const char *strict[] = {"carbon", "--zone", "FR", "--strict", "--timeout", "2", "--start",
                            "2025-01-15T00:00:00Z", "--runtime", "1h", NULL};
    test_run r;
    f->st.mode = M_500;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "server error (HTTP 500"));
    assert_non_null(strstr(r.err, "using zone FR's annual average, 50 gCO2e/kWh"));
    assert_non_null(strstr(r.out, "50 gCO2e/kWh"));
    assert_true(ths_count(f->srv) >= 2); /* retried */
    test_run_free(&r);
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    test_run_free(&r);
}

/* A server that accepts and never answers: --timeout 1 bounds the wait. */
static void test_rte_silent_server_times_out_quickly(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--timeout", "1", "--start",
                          "2025-01-15T00:00:00Z", "--runtime", "1h", "--format", "json", NULL};
    const char *strict[] = {"carbon", "--zone", "FR", "--timeout", "1", "--strict", "--start",
                            "2025-01-15T00:00:00Z", "--runtime", "1h", NULL};
    test_run r;
    cJSON *j;
    struct timespec a, b;
    double el;
    f->st.mode = M_HANG;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sandbox_run(&f->sb, &r, args);
    clock_gettime(CLOCK_MONOTONIC, &b);
    el = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    assert_true(el < 4.0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "no answer"));
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "default");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 50, 0);
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    test_run_free(&r);
}

/* Truncated JSON, a "results" that is not an array, a field that is an
 * object: clear errors, then the table. */
static void test_rte_malformed_json_is_an_error_not_a_crash(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                          "--runtime", "1h", NULL};
    test_run r;
    f->st.mode = M_TRUNC;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "RTE: malformed JSON from"));
    assert_non_null(strstr(r.out, "source     default"));
    test_run_free(&r);
    f->st.mode = M_NO_RESULTS;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "no \"results\" array"));
    test_run_free(&r);
    f->st.mode = M_BAD_FIELD;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "record 5: nucleaire: expected a number, null or \"ND\", "
                                  "got {\"x\":1}"));
    test_run_free(&r);
}

/* Another factor set, from the same cached records: A with direct = 37. */
static void test_rte_factor_set_direct(void **state)
{
    fx *f = *state;
    const char *a1[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                        "--runtime", "24h", "--format", "json", NULL};
    const char *a2[] = {"carbon", "--zone", "FR", "--factors", "direct", "--start",
                        "2025-01-15T00:00:00Z", "--runtime", "24h", "--format", "json", NULL};
    const char *a3[] = {"carbon", "--zone", "FR", "--factors", "nope", "--start",
                        "2025-01-15T00:00:00Z", "--runtime", "24h", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, a1);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a2);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "cache");
    assert_string_equal(json_str(j, "factors", NULL), "direct");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 37.0, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a3);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "unknown factor set \"nope\""));
    assert_non_null(strstr(r.err, "\"ipcc2014\", \"direct\""));
    test_run_free(&r);
}

/* Plain http to a non-loopback host is refused before any connection. */
static void test_rte_plain_http_only_to_loopback(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--strict", "--start",
                          "2025-01-15T00:00:00Z", "--runtime", "1h", NULL};
    test_run r;
    snprintf(f->sb.env_odre, sizeof f->sb.env_odre, "ECOEST_ODRE_URL=http://192.0.2.1:9");
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 69);
    assert_non_null(strstr(r.err, "plain http is only allowed to a loopback address"));
    test_run_free(&r);
}

/* Usage errors: --live without --zone, --ci with --live, a bad --start. */
static void test_rte_usage_errors(void **state)
{
    fx *f = *state;
    const char *a1[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--live", NULL};
    const char *a2[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone", "FR",
                        "--live", "--ci", "30", NULL};
    const char *a3[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00",
                        "--runtime", "1h", NULL};
    const char *a4[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z", "--end",
                        "2025-01-14T00:00:00Z", NULL};
    test_run r;
    sandbox_run(&f->sb, &r, a1);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--live needs --zone"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a2);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a3);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--start: expected an ISO 8601 time with a zone"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a4);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    assert_int_equal(ths_count(f->srv), 0);
}

/* ---- review fixes ---- */

/* The server echoes the token at offset 110 of a 400-character 400 body:
 * the 120-character excerpt of the message would cut the token after 10
 * characters. No prefix of 4+ characters may show anywhere: stdout, stderr
 * (text and JSON runs, fallback_reason included) and the cache. */
static void test_rte_echoed_token_never_leaks_even_cut(void **state)
{
    fx *f = *state;
    const char *tok = "Zq9xSECRETTOKEN-31415926";
    const char *a1[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                        "--start", "2025-01-15T00:00:00Z", "--hours", "2", "--format", "json",
                        NULL};
    const char *a2[] = {"carbon", "--zone", "FR", "--strict", "--start", "2025-01-15T00:00:00Z",
                        "--runtime", "2h", NULL};
    test_run r;
    char *cache;
    cJSON *j;
    f->st.mode = M_ECHO_400;
    sandbox_tokens(&f->sb, tok, "");
    sandbox_run(&f->sb, &r, a1);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "unexpected HTTP 400"));
    assert_non_null(strstr(r.err, "bad request"));
    assert_no_secret_prefix(r.err, tok, 4);
    assert_no_secret_prefix(r.out, tok, 4);
    j = json_of(&r);
    assert_non_null(strstr(json_str(j, "carbon", "fallback_reason", NULL), "HTTP 400"));
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a2);
    assert_int_equal(r.status, 69);
    assert_no_secret_prefix(r.err, tok, 4);
    assert_no_secret_prefix(r.out, tok, 4);
    test_run_free(&r);
    cache = read_tree(f->sb.cache);
    assert_no_secret_prefix(cache, tok, 4);
    free(cache);
}

/* Writes the cache file of 2025-01-15 by hand: rows 00:00-11:45 (48, mix A),
 * fetched at 12:00 the same day, so not complete. */
static void write_partial_cache(fx *f)
{
    char path[4400], *recs = NULL, *doc;
    size_t len = 0;
    int k;
    double d0 = 1736899200.0; /* 2025-01-15T00:00:00Z */
    snprintf(path, sizeof path, "%s/ecoest", f->sb.cache);
    mkdir(f->sb.cache, 0700);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/ecoest/rte", f->sb.cache);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/ecoest/rte/FR", f->sb.cache);
    mkdir(path, 0700);
    for (k = 0; k < 48; k++)
        record(&recs, &len, d0 + k * 900.0, 'A', k == 0);
    doc = ths_strdup_printf("{\"ecoest_cache_version\":1,\"provider\":\"rte\",\"zone\":\"FR\","
                            "\"date\":\"2025-01-15\",\"fetched_unix_s\":%.0f,\"complete\":false,"
                            "\"dataset\":\"eco2mix-national-cons-def\",\"records\":[%s]}",
                            d0 + 12 * 3600.0, recs);
    snprintf(path, sizeof path, "%s/ecoest/rte/FR/2025-01-15.json", f->sb.cache);
    test_write_file(path, doc);
    free(doc);
    free(recs);
}

/* An incomplete cached day that covers the window's part of it is used
 * without a request; one that does not is fetched, and when that fails the
 * cached copy stands in (with a warning) instead of the annual average.
 *   02:00-04:00: 8 cached points of 59.7, coverage 1, no request.
 *   10:00-14:00: cached 10:00-12:00 (8 points of 59.7), the fetch answers
 *   500: mean 59.7, coverage 2 h / 4 h = 0.5, source cache. */
static void test_rte_cached_day_covering_the_window_needs_no_network(void **state)
{
    fx *f = *state;
    const char *a1[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T02:00:00Z", "--end",
                        "2025-01-15T04:00:00Z", "--format", "json", NULL};
    const char *a2[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T10:00:00Z", "--end",
                        "2025-01-15T14:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    write_partial_cache(f);
    sandbox_run(&f->sb, &r, a1);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "cache");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_close(json_num(j, "coverage_frac", NULL), 1.0, 1e-12);
    assert_int_equal(ths_count(f->srv), 0);
    cJSON_Delete(j);
    test_run_free(&r);

    f->st.mode = M_500;
    sandbox_run(&f->sb, &r, a2);
    assert_int_equal(r.status, 0);
    assert_true(ths_count(f->srv) >= 1);
    assert_non_null(strstr(r.err, "day 2025-01-15: the fetch failed (RTE: server error "
                                  "(HTTP 500"));
    assert_non_null(strstr(r.err, "using the copy cached at 2025-01-15T12:00:00Z"));
    assert_null(strstr(r.err, "annual average"));
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "cache");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_close(json_num(j, "coverage_frac", NULL), 0.5, 1e-12);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "failed_days")), 0);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* Four days, 13-16 January 2025; the 15th answers 500. Days 13, 14 (A) and
 * 16 (B) are kept: mean = (96 x 59.7 x 2 + 96 x 67.12) / 288
 * = (59.7 + 59.7 + 67.12) / 3 = 186.52 / 3 = 62.17333...; coverage 3/4.
 * --strict: exit 69 (the days fetched before are complete in the cache, the
 * 15th fails again). */
static void test_rte_one_failing_day_keeps_the_others(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-13T00:00:00Z", "--end",
                          "2025-01-17T00:00:00Z", "--format", "json", NULL};
    const char *strict[] = {"carbon", "--zone", "FR", "--strict", "--start",
                            "2025-01-13T00:00:00Z", "--end", "2025-01-17T00:00:00Z", NULL};
    test_run r;
    cJSON *j, *fd;
    f->st.fail_day = 1736899200.0; /* 2025-01-15 */
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "rte");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 186.52 / 3.0, 1e-9);
    assert_close(json_num(j, "coverage_frac", NULL), 0.75, 1e-12);
    fd = cJSON_GetObjectItem(j, "failed_days");
    assert_int_equal(cJSON_GetArraySize(fd), 1);
    assert_string_equal(cJSON_GetArrayItem(fd, 0)->valuestring, "2025-01-15");
    assert_non_null(strstr(json_str(j, "failed_reason", NULL), "HTTP 500"));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "fallback_reason")));
    assert_non_null(strstr(r.err, "no data for day 2025-01-15: RTE: server error (HTTP 500"));
    assert_non_null(strstr(r.err, "cover 75.0% of the window"));
    assert_non_null(strstr(r.err, "including 1 day that could not be fetched"));
    assert_null(strstr(r.err, "not published yet"));
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "1 day of the window could not be fetched (the first, "
                                  "2025-01-15"));
    test_run_free(&r);
}

/* A day of 288 five-minute rows, 100 a page (total_count 288): all three
 * pages are read. Rows 0-99 A, 100-199 B, 200-287 A:
 * (188 x 59.7 + 100 x 67.12) / 288 = (11223.6 + 6712) / 288 = 17935.6 / 288
 * = 62.27638...; 288 points; three requests (offsets 0, 100, 200). */
static void test_rte_pages_until_total_count(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z", "--end",
                          "2025-01-16T00:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    f->st.mode = M_PAGED;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 17935.6 / 288.0, 1e-9);
    assert_close(json_num(j, "points", NULL), 288, 0);
    assert_close(json_num(j, "coverage_frac", NULL), 1.0, 1e-12);
    assert_int_equal(ths_count(f->srv), 3);
    assert_int_equal(f->st.offsets_seen, 7u);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* A production value of 1e7 MW (10 TW) is refused, naming the record, its
 * time, the field and the value. */
static void test_rte_absurd_mw_value_is_refused(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                          "--runtime", "1h", NULL};
    test_run r;
    f->st.mode = M_BIG_MW;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "RTE: record 5 (2025-01-15T01:15:00+00:00): nucleaire: "
                                  "1e+07 MW is outside -100..200000 MW"));
    assert_non_null(strstr(r.out, "source     default"));
    test_run_free(&r);
}

/* A 302 says where it leads (the host only: no user info, no query) and
 * that redirects are not followed. */
static void test_rte_redirect_is_named(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                          "--runtime", "1h", NULL};
    test_run r;
    f->st.mode = M_REDIRECT;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "HTTP 302 from "));
    assert_non_null(strstr(r.err, "redirects to mirror.example.net:8443; redirects are not "
                                  "followed"));
    assert_absent(r.err, "LOCSECRET");
    assert_absent(r.err, "user:pw");
    assert_int_equal(ths_count(f->srv), 1);
    test_run_free(&r);
}

/* A window entirely in the future: said so, no request; --strict 69. */
static void test_rte_future_window_says_so(void **state)
{
    fx *f = *state;
    char a[32], b[32];
    const char *args[] = {"carbon", "--zone", "FR", "--start", a, "--end", b, NULL};
    const char *strict[] = {"carbon", "--zone", "FR", "--strict", "--start", a, "--end", b,
                            NULL};
    test_run r;
    snprintf(a, sizeof a, "%.0f", now_s() + 2 * DAY);
    snprintf(b, sizeof b, "%.0f", now_s() + 3 * DAY);
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "lies in the future"));
    assert_non_null(strstr(r.out, "source     default"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    assert_non_null(strstr(r.err, "lies in the future"));
    test_run_free(&r);
    assert_int_equal(ths_count(f->srv), 0);
}

/* More than 366 UTC days: a usage error (64) before any request, for
 * `ecoest carbon` and for the estimate; without --live the estimate does not
 * care. 2024-01-01 to 2025-01-02 is 367 days. */
static void test_rte_window_over_366_days_is_usage_error(void **state)
{
    fx *f = *state;
    const char *a1[] = {"carbon", "--zone", "FR", "--start", "2024-01-01T00:00:00Z", "--end",
                        "2025-01-02T00:00:00Z", NULL};
    const char *a2[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR", "--live",
                        "--start", "2024-01-01T00:00:00Z", "--end", "2025-01-02T00:00:00Z",
                        NULL};
    const char *a3[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "FR",
                        "--start", "2024-01-01T00:00:00Z", "--end", "2025-01-02T00:00:00Z",
                        NULL};
    test_run r;
    sandbox_run(&f->sb, &r, a1);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "the window spans 367 UTC days; live intensity covers at "
                                  "most 366"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a2);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "367 UTC days"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a3);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    assert_int_equal(ths_count(f->srv), 0);
}

/* A factors.csv in a zone overlay folder adds the set myset:
 * nuclear 10, wind 20, gas 500 (others 0..):
 * A = (40000 x 10 + 5000 x 20 + 5000 x 500) / 50000
 *   = (400000 + 100000 + 2500000) / 50000 = 60.
 * The shipped sets stay (ipcc2014 still 59.7); an unknown set lists all. */
static void test_rte_factor_set_from_overlay(void **state)
{
    fx *f = *state;
    char path[4400];
    const char *a1[] = {"carbon", "--zone", "FR", "--factors", "myset", "--start",
                        "2025-01-15T00:00:00Z", "--runtime", "24h", "--format", "json", NULL};
    const char *a2[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                        "--runtime", "24h", "--format", "json", NULL};
    const char *a3[] = {"carbon", "--zone", "FR", "--factors", "nope", "--start",
                        "2025-01-15T00:00:00Z", "--runtime", "24h", NULL};
    test_run r;
    cJSON *j;
    snprintf(path, sizeof path, "%s/ecoest/carbon/factors.csv", f->sb.config);
    test_write_file(path, "set,source_type,g_co2e_per_kwh,scope,source\n"
                          "myset,nuclear,10,lifecycle,test\nmyset,wind,20,lifecycle,test\n"
                          "myset,solar,30,lifecycle,test\nmyset,hydro,5,lifecycle,test\n"
                          "myset,geothermal,40,lifecycle,test\n"
                          "myset,biomass,200,lifecycle,test\nmyset,gas,500,lifecycle,test\n"
                          "myset,coal,900,lifecycle,test\nmyset,oil,700,lifecycle,test\n"
                          "myset,unknown,600,lifecycle,test\n");
    sandbox_run(&f->sb, &r, a1);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "factors", NULL), "myset");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 60.0, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a2);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, a3);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "\"ipcc2014\", \"direct\", \"myset\""));
    test_run_free(&r);
}

/* --factors direct, the live source down: the fallback (the zone's
 * lifecycle figure) has another scope, and ecoest says so. */
static void test_rte_direct_factors_fallback_warns_about_scope(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--factors", "direct", "--start",
                          "2025-01-15T00:00:00Z", "--runtime", "1h", NULL};
    const char *dflt[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                          "--runtime", "1h", NULL};
    test_run r;
    f->st.mode = M_500;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "the factor set direct counts direct emissions but zone "
                                  "FR's annual average is lifecycle"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, dflt); /* ipcc2014 is lifecycle too: no such warning */
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "another scope"));
    test_run_free(&r);
}

/* ecoest when --zone FR, looking back, end to end on RTE's eco2mix (the
 * provider of FR; no forecast asked for): 2025-01-16T22:00Z to
 * 2025-01-17T01:00Z, 1 h, hourly starts 22:00, 23:00 (2025-01-16: mix B,
 * 67.12) and 00:00 (2025-01-17: mix A, 59.7). Best 00:00 at 59.7; --start
 * 67.12; saving 1 - 59.7 / 67.12 = 0.110548271. The job, 1 core x 100 W x
 * 1 h x PUE 1: 0.1 kWh; 0.1 x 59.7 = 5.97 g against 0.1 x 67.12 = 6.712 g:
 * 0.742 g saved. */
static void test_rte_when_looks_back_on_eco2mix(void **state)
{
    fx *f = *state;
    const char *args[] = {"when", "--zone", "FR", "--duration", "1h", "--start",
                          "2025-01-16T22:00:00Z", "--end", "2025-01-17T01:00:00Z", "--format",
                          "json", "--cores", "1", "--cpu-tdp-per-core", "100", "--pue", "1",
                          NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_true(f->st.tr_requests + f->st.def_requests > 0); /* RTE was asked */
    j = json_of(&r);
    assert_string_equal(json_str(j, "mode", NULL), "look-back");
    assert_string_equal(json_str(j, "best_start", NULL), "2025-01-17T00:00:00Z");
    assert_close(json_num(j, "best_mean_g_co2e_per_kwh", NULL), MIX_A, 1e-9);
    assert_close(json_num(j, "first_mean_g_co2e_per_kwh", NULL), MIX_B, 1e-9);
    assert_close(json_num(j, "saving_frac", NULL), 1.0 - MIX_A / MIX_B, 1e-9);
    assert_close(json_num(j, "candidates", NULL), 3.0, 0);
    assert_close(json_num(j, "energy_kwh", NULL), 0.1, 1e-12);
    assert_close(json_num(j, "best_co2e_g", NULL), 5.97, 1e-9);
    assert_close(json_num(j, "first_co2e_g", NULL), 6.712, 1e-9);
    assert_close(json_num(j, "saving_g", NULL), 0.742, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rte_multi_day_window_then_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_alpha3_zone_is_served_by_rte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_window_across_midnight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_samples_weight_the_live_water_by_energy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_dst_day_keys_on_utc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_null_and_nd_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_unpublished_tail_lowers_coverage, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_401_rejected_token_never_printed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_429_then_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_500_falls_back_or_strict_69, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_silent_server_times_out_quickly, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_malformed_json_is_an_error_not_a_crash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_factor_set_direct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_plain_http_only_to_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_echoed_token_never_leaks_even_cut, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_cached_day_covering_the_window_needs_no_network,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_one_failing_day_keeps_the_others, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_pages_until_total_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_absurd_mw_value_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_redirect_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_future_window_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_window_over_366_days_is_usage_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_factor_set_from_overlay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_direct_factors_fallback_warns_about_scope,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rte_when_looks_back_on_eco2mix, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
