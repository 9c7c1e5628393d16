/* Electricity Maps API v3, end to end against a loopback server serving the
 * v3 schema: past-range (split by 10 days), history (last 24 h), tokens.
 * Served hourly values: 2025-01-15 100; 2025-01-16 200 for hours 0-11 and
 * 300 for 12-23; any other past day 120; history: 250. */
#include <math.h>

#include "carbon_fixture.h"
#include "http_server.h"

#include "ecoest/common.h"

#define DAY 86400.0
#define GOOD "auth-token: em-GOOD-token-77"

typedef enum em_mode { EM_OK, EM_DUP, EM_BIG, EM_INF } em_mode;

typedef struct em_state {
    unsigned past_range, history;
    char last_query[4096];
    em_mode mode;
} em_state;

#define D15_0500 (1736899200.0 + 5 * 3600.0) /* 2025-01-15T05:00:00Z */
#define D15_0300 (1736899200.0 + 3 * 3600.0)

static double value_at(double t)
{
    double d15 = 1736899200.0; /* 2025-01-15T00:00:00Z */
    if (t >= d15 && t < d15 + DAY)
        return 100;
    if (t >= d15 + DAY && t < d15 + 2 * DAY)
        return t < d15 + DAY + 12 * 3600 ? 200 : 300;
    return 120;
}

static void add(char **b, size_t *n, const char *s)
{
    size_t k = strlen(s);
    *b = realloc(*b, *n + k + 1);
    assert_non_null(*b);
    memcpy(*b + *n, s, k + 1);
    *n += k;
}

static void point(char **b, size_t *n, double t, double v, int first)
{
    char ts[32], rec[512];
    assert_int_equal(est_format_time(ts, sizeof ts, t), EST_OK);
    ts[19] = '\0'; /* drop the Z: the API writes milliseconds */
    snprintf(rec, sizeof rec,
             "%s{\"zone\":\"DE\",\"carbonIntensity\":%g,\"datetime\":\"%s.000Z\","
             "\"updatedAt\":\"2025-02-01T10:00:00.000Z\",\"createdAt\":\"2025-01-20T10:00:00.000Z\","
             "\"emissionFactorType\":\"lifecycle\",\"isEstimated\":false,"
             "\"estimationMethod\":null}",
             first ? "" : ",", v, ts);
    add(b, n, rec);
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

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    em_state *st = ud;
    char *b = NULL;
    size_t n = 0;
    snprintf(st->last_query, sizeof st->last_query, "%s", req->query);
    if (!strstr(req->headers, GOOD)) {
        resp->status = 401;
        resp->body = ths_strdup_printf("{\"error\":\"Invalid auth-token\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    if (strcmp(req->path, "/carbon-intensity/past-range") == 0) {
        char s1[64], s2[64];
        double a, z, t;
        st->past_range++;
        assert_non_null(qparam(req->query, "start=", s1, sizeof s1));
        assert_non_null(qparam(req->query, "end=", s2, sizeof s2));
        assert_int_equal(est_parse_time(&a, s1, NULL), EST_OK);
        assert_int_equal(est_parse_time(&z, s2, NULL), EST_OK);
        assert_true(z - a <= 10 * DAY); /* the API's limit */
        add(&b, &n, "{\"zone\":\"DE\",\"data\":[");
        for (t = a; t < z; t += 3600) {
            if (st->mode == EM_BIG && t == D15_0300) {
                point(&b, &n, t, 7000, t == a);
            } else if (st->mode == EM_INF && t == D15_0300) {
                add(&b, &n, ",{\"zone\":\"DE\",\"carbonIntensity\":1e999,"
                            "\"datetime\":\"2025-01-15T03:00:00.000Z\"}");
            } else {
                point(&b, &n, t, value_at(t), t == a);
            }
            /* the same hour again, right after, with another value */
            if (st->mode == EM_DUP && t == D15_0500)
                point(&b, &n, t, 4900, 0);
        }
        add(&b, &n, "]}");
    } else if (strcmp(req->path, "/carbon-intensity/history") == 0) {
        double end = floor(now_s() / 3600.0) * 3600.0, t;
        st->history++;
        add(&b, &n, "{\"zone\":\"DE\",\"history\":[");
        for (t = end - 24 * 3600.0; t < end; t += 3600)
            point(&b, &n, t, 250, t == end - 24 * 3600.0);
        add(&b, &n, "]}");
    } else {
        resp->status = 404;
        b = ths_strdup_printf("{\"error\":\"no route\"}");
        n = strlen(b);
    }
    resp->body = b;
    resp->body_len = n;
}

typedef struct fx {
    em_state st;
    ths_server *srv;
    sandbox sb;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->srv = ths_start(handler, &f->st);
    sandbox_init(&f->sb, ths_url(f->srv));
    sandbox_tokens(&f->sb, "", "em-GOOD-token-77");
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

/* Two days in one past-range request:
 * (24 x 100 + 12 x 200 + 12 x 300) / 48 = (2400 + 2400 + 3600) / 48 = 175.
 * Daily: 100 and 250. */
static void test_em_past_range_two_days(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "DE", "--start", "2025-01-15T00:00:00Z", "--end",
                          "2025-01-17T00:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "electricitymaps");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 175, 1e-12);
    assert_close(json_num(j, "coverage_frac", NULL), 1, 1e-12);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "rte_taux_co2_mean_g_co2e_per_kwh")));
    assert_close(json_num(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "daily"), 1),
                          "mean_g_co2e_per_kwh", NULL), 250, 1e-12);
    assert_int_equal(f->st.past_range, 1);
    assert_non_null(strstr(f->st.last_query, "zone=DE"));
    assert_non_null(strstr(f->st.last_query, "start=2025-01-15T00:00:00Z"));
    assert_non_null(strstr(f->st.last_query, "end=2025-01-17T00:00:00Z"));
    cJSON_Delete(j);
    test_run_free(&r);
}

/* 15 days: two requests (10 + 5 days).
 * (14 days x 24 x 120 + 24 x 100) / 360 = (40320 + 2400) / 360 = 118.666... */
static void test_em_long_window_split_in_ten_days(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "DE", "--start", "2025-01-01T00:00:00Z", "--end",
                          "2025-01-16T00:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 42720.0 / 360.0, 1e-12);
    assert_int_equal(f->st.past_range, 2);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* A recent window uses /history (the free tier's endpoint): 250. */
static void test_em_recent_window_uses_history(void **state)
{
    fx *f = *state;
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "DE", "--live",
                          "--hours", "3", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "carbon", "source", NULL), "electricitymaps");
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 250, 1e-12);
    assert_true(json_num(j, "carbon", "coverage_frac", NULL) > 0.5);
    assert_int_equal(f->st.history, 1);
    assert_int_equal(f->st.past_range, 0);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* A bad token: 401, the table (DE 400 in the test overlay), the token never
 * printed; --strict: 69. No token at all: no request. */
static void test_em_tokens(void **state)
{
    fx *f = *state;
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "DE", "--live",
                          "--start", "2025-01-15T00:00:00Z", "--hours", "1", "--format", "json",
                          NULL};
    const char *strict[] = {"carbon", "--zone", "DE", "--strict", "--start",
                            "2025-01-15T00:00:00Z", "--runtime", "1h", NULL};
    test_run r;
    cJSON *j;
    sandbox_tokens(&f->sb, "", "em-BAD-token-13");
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "Electricity Maps: the token was rejected (HTTP 401"));
    assert_non_null(strstr(r.err, "ELECTRICITYMAPS_TOKEN"));
    assert_absent(r.err, "em-BAD-token-13");
    assert_absent(r.out, "em-BAD-token-13");
    j = json_of(&r);
    assert_string_equal(json_str(j, "carbon", "source", NULL), "default");
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 400, 0);
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    assert_absent(r.err, "em-BAD-token-13");
    test_run_free(&r);
    {
        unsigned before = ths_count(f->srv);
        sandbox_tokens(&f->sb, "", "");
        sandbox_run(&f->sb, &r, args);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.err, "no token given"));
        assert_int_equal(ths_count(f->srv), before);
        test_run_free(&r);
    }
}

/* FR through Electricity Maps when asked. */
static void test_em_provider_option_for_fr(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "FR", "--provider", "electricitymaps", "--start",
                          "2025-01-15T00:00:00Z", "--runtime", "24h", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "source", NULL), "electricitymaps");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 100, 1e-12);
    assert_non_null(strstr(f->st.last_query, "zone=FR"));
    cJSON_Delete(j);
    test_run_free(&r);
}

/* A sample log with the live intensity: the intensity is weighted by the
 * log's energy in 15-minute bins. GPU 0 logs every 15 min from
 * 2025-01-16T10:00Z to 14:00Z: 100 W up to 12:00, 300 W from 12:15 on. The
 * served intensity is 200 before 12:00 and 300 after. PUE 1, idle 0, no CPU.
 *   bins 10:00-12:00: 8 x 100 W x 0.25 h = 200 Wh at 200
 *   bin 12:00-12:15: trapezoid (100 + 300) / 2 x 0.25 h = 50 Wh at 300
 *   bins 12:15-14:00: 7 x 300 W x 0.25 h = 525 Wh at 300
 *   weighted: (200 x 200 + 50 x 300 + 525 x 300) / 775 = 212500 / 775 = 274.193548...
 *   time mean over the window: (2 h x 200 + 2 h x 300) / 4 h = 250
 *   energy 0.775 kWh; carbon 0.775 x 274.193548 = 212.5 g. */
static void test_em_samples_weight_the_intensity_by_energy(void **state)
{
    fx *f = *state;
    char path[4300], line[128];
    char *log = NULL;
    size_t n = 0;
    double t0 = 1737021600.0; /* 2025-01-16T10:00:00Z */
    int k;
    test_run r;
    cJSON *j;
    snprintf(path, sizeof path, "%s/job.csv", f->sb.root);
    add(&log, &n, "time_unix_s,gpu0_power_w\n");
    for (k = 0; k <= 16; k++) {
        snprintf(line, sizeof line, "%.0f,%d\n", t0 + 900.0 * k, k <= 8 ? 100 : 300);
        add(&log, &n, line);
    }
    test_write_file(path, log);
    free(log);
    {
        const char *args[] = {"--samples", path, "--gpu-idle", "0", "--pue", "1", "--zone", "DE",
                              "--live", "--format", "json", NULL};
        sandbox_run(&f->sb, &r, args);
    }
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_string_equal(json_str(j, "carbon", "source", NULL), "electricitymaps");
    assert_close(json_num(j, "carbon", "mean_g_co2e_per_kwh", NULL), 250, 1e-12);
    assert_close(json_num(j, "carbon", "energy_weighted_g_co2e_per_kwh", NULL), 212500.0 / 775.0,
                 1e-9);
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 212500.0 / 775.0, 1e-9);
    assert_close(json_num(j, "energy_kwh", NULL), 0.775, 1e-9);
    assert_close(json_num(j, "co2e_g", NULL), 212.5, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* A repeated 05:00 point with another value (4900): the first (100) is kept
 * and a note counts 1 duplicate. Keeping the second would give
 * (23 x 100 + 4900) / 24 = 300 instead of 100. */
static void test_em_duplicate_time_keeps_the_first(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "DE", "--start", "2025-01-15T00:00:00Z", "--end",
                          "2025-01-16T00:00:00Z", "--format", "json", NULL};
    test_run r;
    cJSON *j;
    f->st.mode = EM_DUP;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 100, 1e-12);
    assert_close(json_num(j, "points", NULL), 24, 0);
    assert_non_null(strstr(r.err, "day 2025-01-15: 1 duplicate time in the provider's data; "
                                  "the first value of each was kept"));
    cJSON_Delete(j);
    test_run_free(&r);
}

/* An intensity of 7000 gCO2e/kWh (above the 5000 bound) or 1e999 (not a
 * finite number; cJSON would print it as null) fails the day with a message
 * naming the record, its time and the value; the table is used. */
static void test_em_out_of_bounds_intensity_is_refused(void **state)
{
    fx *f = *state;
    const char *args[] = {"carbon", "--zone", "DE", "--start", "2025-01-15T00:00:00Z", "--end",
                          "2025-01-16T00:00:00Z", NULL};
    test_run r;
    f->st.mode = EM_BIG;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "Electricity Maps: record 3 (2025-01-15T03:00:00.000Z): "
                                  "carbonIntensity: 7000 gCO2e/kWh is outside 0..5000 "
                                  "gCO2e/kWh"));
    assert_non_null(strstr(r.out, "source     default"));
    test_run_free(&r);
    f->st.mode = EM_INF;
    sandbox_run(&f->sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "carbonIntensity: expected a number, null or \"ND\", got a "
                                  "number that is not finite"));
    assert_null(strstr(r.err, "got null"));
    test_run_free(&r);
}

/* The energy weights follow --memory-w-per-gb (and the scope): GPU 0 at a
 * constant 100 W from 10:00 to 14:00 on 2025-01-16, RAM 0 GB until 12:00 and
 * 1000 GB from 12:15. With --memory-w-per-gb 0 the memory draws nothing, the
 * power is constant, every 15-minute bin has the same energy and the
 * weighted mean is the time mean: (8 x 200 + 8 x 300) / 16 = 250. (With the
 * default 0.3725 W/GB the bins after noon would weigh 4.7 times more.) */
static void test_em_energy_weights_use_the_memory_coefficient(void **state)
{
    fx *f = *state;
    char path[4300], line[128];
    char *log = NULL;
    size_t n = 0;
    double t0 = 1737021600.0; /* 2025-01-16T10:00:00Z */
    int k;
    test_run r;
    cJSON *j;
    snprintf(path, sizeof path, "%s/job-ram.csv", f->sb.root);
    add(&log, &n, "time_unix_s,gpu0_power_w,ram_used_gb\n");
    for (k = 0; k <= 16; k++) {
        snprintf(line, sizeof line, "%.0f,100,%d\n", t0 + 900.0 * k, k <= 8 ? 0 : 1000);
        add(&log, &n, line);
    }
    test_write_file(path, log);
    free(log);
    {
        const char *args[] = {"--samples", path, "--gpu-idle", "0", "--pue", "1",
                              "--memory-w-per-gb", "0", "--zone", "DE", "--live", "--format",
                              "json", NULL};
        sandbox_run(&f->sb, &r, args);
    }
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_close(json_num(j, "carbon", "energy_weighted_g_co2e_per_kwh", NULL), 250.0, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* ---- a zone code read through an alias (issue 13): the provider is asked
 * for the code it knows. The server answers any zone with the series of
 * the top of this file and records the query, whose zone= is checked. ---- */

/* The zone= of the last request ("" when none). */
static const char *asked_zone(const fx *f, char *buf, size_t size)
{
    if (!qparam(f->st.last_query, "zone=", buf, size))
        buf[0] = '\0';
    return buf;
}

/* The assumption holding needle, or NULL. */
static const char *assumption_with(const cJSON *j, const char *needle)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(j, "assumptions"))
        if (cJSON_IsString(a) && strstr(a->valuestring, needle))
            return a->valuestring;
    return NULL;
}

/* US-CAL-CISO maps to US-EGRID-CAMX for the annual figure; --live asks
 * Electricity Maps for US-CAL-CISO itself (the bug: for US-EGRID-CAMX, a code
 * it does not know, then a silent fallback to the table).
 *   a recent window (--hours 3, ending now): /history, 250 gCO2e/kWh;
 *   2025-01-15 00:00-01:00: /past-range, 100; 1 core x 100 W x 1 h x PUE 1
 *   = 0.1 kWh; 0.1 x 100 = 10 g. */
static void test_em_mapped_zone_live_asks_for_the_em_code(void **state)
{
    fx *f = *state;
    const char *recent[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "US-CAL-CISO",
                            "--live", "--hours", "3", "--format", "json", NULL};
    const char *past[] = {"--cpu-tdp", "100", "--cores", "1", "--pue", "1", "--zone",
                          "US-CAL-CISO", "--live", "--start", "2025-01-15T00:00:00Z",
                          "--hours", "1", "--format", "json", NULL};
    char z[64];
    const char *note;
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, recent);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(f->st.history, 1);
    assert_string_equal(asked_zone(f, z, sizeof z), "US-CAL-CISO");
    j = json_of(&r);
    assert_string_equal(json_str(j, "carbon", "source", NULL), "electricitymaps");
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 250, 1e-12);
    /* the annual figure's zone, what was given, how it mapped */
    assert_string_equal(json_str(j, "zone", NULL), "US-EGRID-CAMX");
    assert_string_equal(json_str(j, "zone_given", NULL), "US-CAL-CISO");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "zone_mapped")));
    assert_string_equal(json_str(j, "zone_alias_kind", NULL), "electricitymaps");
    assert_string_equal(json_str(j, "carbon", "zone", NULL), "US-EGRID-CAMX");
    assert_string_equal(json_str(j, "carbon", "provider_zone", NULL), "US-CAL-CISO");
    note = assumption_with(j, "--zone US-CAL-CISO:");
    assert_non_null(note);
    assert_non_null(strstr(note, "--zone US-CAL-CISO: Electricity Maps' zone, mapped to "
                                 "US-EGRID-CAMX (eGRID CAMX (WECC California)) for the annual "
                                 "figure; live data asked for US-CAL-CISO (Electricity Maps zone "
                                 "US-CAL-CISO"));
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, past);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(f->st.past_range, 1);
    assert_string_equal(asked_zone(f, z, sizeof z), "US-CAL-CISO");
    j = json_of(&r);
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 100, 1e-12);
    assert_close(json_num(j, "energy_kwh", NULL), 0.1, 1e-12);
    assert_close(json_num(j, "co2e_g", NULL), 10, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* ecoest carbon with bidding zones: DK-DK1 and JP-TK are asked for as such;
 * 2025-01-15 is served at 100 all day: mean (24 x 100) / 24 = 100. The JSON
 * names the table's zone (its annual average is the default) and the
 * provider's; the text says the mapping. */
static void test_em_carbon_bidding_zone_asks_for_itself(void **state)
{
    fx *f = *state;
    static const char *const cases[][2] = {{"DK-DK1", "DK"}, {"JP-TK", "JP"}};
    char z[64];
    size_t i;
    test_run r;
    cJSON *j;
    for (i = 0; i < 2; i++) {
        const char *json[] = {"carbon", "--zone", cases[i][0], "--start", "2025-01-15T00:00:00Z",
                              "--end", "2025-01-16T00:00:00Z", "--format", "json", NULL};
        const char *text[] = {"carbon", "--zone", cases[i][0], "--start", "2025-01-15T00:00:00Z",
                              "--end", "2025-01-16T00:00:00Z", NULL};
        char line[160];
        sandbox_run(&f->sb, &r, json);
        if (r.status != 0)
            fail_msg("%s: exit %d: %s", cases[i][0], r.status, r.err);
        assert_string_equal(asked_zone(f, z, sizeof z), cases[i][0]);
        j = json_of(&r);
        assert_string_equal(json_str(j, "source", NULL), "electricitymaps");
        assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 100, 1e-12);
        assert_string_equal(json_str(j, "zone", NULL), cases[i][1]);
        assert_string_equal(json_str(j, "provider_zone", NULL), cases[i][0]);
        cJSON_Delete(j);
        test_run_free(&r);
        /* the day is cached now: the text comes from the cache */
        sandbox_run(&f->sb, &r, text);
        assert_int_equal(r.status, 0);
        snprintf(line, sizeof line, "Carbon intensity, zone %s (mapped to %s for the annual "
                 "figure)", cases[i][0], cases[i][1]);
        assert_non_null(strstr(r.out, line));
        test_run_free(&r);
    }
    assert_int_equal(f->st.past_range, 2);
}

/* A common alias is only another name: --zone UK asks for GB. The text
 * report names the series' zone and the note. 2025-01-15 00:00-01:00: 100. */
static void test_em_common_alias_asks_for_the_zone(void **state)
{
    fx *f = *state;
    const char *json[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "UK", "--live",
                          "--start", "2025-01-15T00:00:00Z", "--hours", "1", "--format", "json",
                          NULL};
    const char *text[] = {"--cpu-tdp", "100", "--cores", "1", "--zone", "JP-TK", "--live",
                          "--start", "2025-01-16T00:00:00Z", "--hours", "1", NULL};
    char z[64];
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, json);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(asked_zone(f, z, sizeof z), "GB");
    j = json_of(&r);
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 100, 1e-12);
    assert_string_equal(json_str(j, "zone", NULL), "GB");
    assert_string_equal(json_str(j, "zone_given", NULL), "UK");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "zone_mapped")));
    assert_string_equal(json_str(j, "zone_alias_kind", NULL), "alias");
    assert_string_equal(json_str(j, "carbon", "provider_zone", NULL), "GB");
    assert_non_null(assumption_with(j, "--zone UK: an alias, mapped to GB (United Kingdom); "
                                       "live data asked for GB (UK is exceptionally reserved"));
    cJSON_Delete(j);
    test_run_free(&r);
    /* JP-TK in text, 2025-01-16 00:00-01:00: 200 */
    sandbox_run(&f->sb, &r, text);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(asked_zone(f, z, sizeof z), "JP-TK");
    assert_non_null(strstr(r.out, "Carbon intensity (electricitymaps, zone JP-TK, "));
    assert_non_null(strstr(r.out, "  mean 200 gCO2e/kWh"));
    assert_non_null(strstr(r.out, "zone JP annual average 493.6 gCO2e/kWh (2023)"));
    assert_non_null(strstr(r.out, "--zone JP-TK: Electricity Maps' zone, mapped to JP (Japan) "
                                  "for the annual figure; live data asked for JP-TK"));
    test_run_free(&r);
}

/* Without --live nothing is asked; the report still says how the code was
 * read (FRA -> FR, the test table's 50 gCO2e/kWh), and a zone's own code
 * is not mapped. */
static void test_em_mapping_is_reported_without_live(void **state)
{
    fx *f = *state;
    const char *fra[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone", "FRA",
                         "--format", "json", NULL};
    const char *fr[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone", "fr",
                        "--format", "json", NULL};
    const char *note;
    test_run r;
    cJSON *j;
    unsigned before = ths_count(f->srv);
    sandbox_run(&f->sb, &r, fra);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "zone", NULL), "FR");
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 50, 0);
    assert_string_equal(json_str(j, "zone_given", NULL), "FRA");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "zone_mapped")));
    assert_string_equal(json_str(j, "zone_alias_kind", NULL), "iso3166-alpha3");
    note = assumption_with(j, "--zone FRA: ISO 3166-1 alpha-3 code, mapped to FR (France (test)) "
                              "(ISO 3166-1 alpha-3 code");
    assert_non_null(note);
    assert_null(strstr(note, "live data"));
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_run(&f->sb, &r, fr);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_string_equal(json_str(j, "zone_given", NULL), "FR");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "zone_mapped")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "zone_alias_kind")));
    assert_null(assumption_with(j, "mapped to"));
    cJSON_Delete(j);
    test_run_free(&r);
    assert_int_equal(ths_count(f->srv), before);
}

/* The column of name in a CSV header line (0-based), -1 when absent. */
static int csv_column(const char *header, const char *name)
{
    int col = 0;
    size_t k = strlen(name);
    const char *p = header;
    for (;;) {
        if (strncmp(p, name, k) == 0 && (p[k] == ',' || p[k] == '\n' || p[k] == '\0'))
            return col;
        p += strcspn(p, ",\n");
        if (*p != ',')
            return -1;
        p++;
        col++;
    }
}

/* Field col of line (0-based), as a number. */
static double csv_number(const char *line, int col)
{
    const char *p = line;
    while (col-- > 0) {
        p += strcspn(p, ",\n");
        assert_int_equal(*p, ',');
        p++;
    }
    return strtod(p, NULL);
}

/* Field col of line (0-based) as text, into out. */
static void csv_text(char *out, size_t size, const char *line, int col)
{
    const char *p = line;
    size_t n;
    while (col-- > 0) {
        p += strcspn(p, ",\n");
        assert_int_equal(*p, ',');
        p++;
    }
    n = strcspn(p, ",\n");
    assert_true(n < size);
    memcpy(out, p, n);
    out[n] = '\0';
}

/* The CSV report says how --zone was read, as JSON does: US-CAL-CISO live
 * (mapped for the annual figure to US-EGRID-CAMX, asked for as itself) and
 * FRA without live (mapped to FR, nothing asked). */
static void test_em_mapping_in_the_csv_report(void **state)
{
    fx *f = *state;
    const char *live[] = {"--cpu-tdp", "100", "--cores", "1", "--pue", "1", "--zone",
                          "US-CAL-CISO", "--live", "--start", "2025-01-15T00:00:00Z",
                          "--hours", "1", "--format", "csv", NULL};
    const char *fra[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone", "FRA",
                         "--format", "csv", NULL};
    char v[64];
    const char *row;
    test_run r;
    sandbox_run(&f->sb, &r, live);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    row = strchr(r.out, '\n') + 1;
    csv_text(v, sizeof v, row, csv_column(r.out, "zone"));
    assert_string_equal(v, "US-EGRID-CAMX");
    csv_text(v, sizeof v, row, csv_column(r.out, "zone_given"));
    assert_string_equal(v, "US-CAL-CISO");
    csv_text(v, sizeof v, row, csv_column(r.out, "zone_alias_kind"));
    assert_string_equal(v, "electricitymaps");
    csv_text(v, sizeof v, row, csv_column(r.out, "provider_zone"));
    assert_string_equal(v, "US-CAL-CISO");
    /* the samples' columns stay last */
    assert_true(csv_column(r.out, "provider_zone") < csv_column(r.out, "samples_hosts"));
    assert_true(csv_column(r.out, "embodied_included") < csv_column(r.out, "zone_given"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, fra);
    assert_int_equal(r.status, 0);
    row = strchr(r.out, '\n') + 1;
    csv_text(v, sizeof v, row, csv_column(r.out, "zone"));
    assert_string_equal(v, "FR");
    csv_text(v, sizeof v, row, csv_column(r.out, "zone_given"));
    assert_string_equal(v, "FRA");
    csv_text(v, sizeof v, row, csv_column(r.out, "zone_alias_kind"));
    assert_string_equal(v, "iso3166-alpha3");
    csv_text(v, sizeof v, row, csv_column(r.out, "provider_zone"));
    assert_string_equal(v, "");
    test_run_free(&r);
}

/* ecoest jobs --live: the partition's zone US-CAL-CISO is asked for as such.
 * Job 1, 2025-01-15 00:00-02:00 (served 100 all day), 1 CPU at 10 W, PUE 1,
 * memory not counted: 10 W x 2 h = 0.02 kWh; 0.02 x 100 = 2 g. */
static void test_em_jobs_live_asks_for_the_em_code(void **state)
{
    fx *f = *state;
    char sacct[4400], z[64];
    const char *args[] = {"jobs", "--cpu-tdp-per-core", "10", "--pue", "1",
                          "--memory-w-per-gb", "0", "--zone", "US-CAL-CISO", "--live",
                          "--per-job", sacct, NULL};
    const char *row;
    test_run r;
    int ci, co2e;
    snprintf(sacct, sizeof sacct, "%s/jobs.txt", f->sb.root);
    test_write_file(sacct, "JobID|User|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem\n"
                           "1|ada|2025-01-15T00:00:00|2025-01-15T02:00:00|02:00:00|COMPLETED|1|"
                           "02:00:00|1G\n");
    sandbox_run(&f->sb, &r, args);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(asked_zone(f, z, sizeof z), "US-CAL-CISO");
    ci = csv_column(r.out, "ci_g_co2e_per_kwh");
    co2e = csv_column(r.out, "co2e_g");
    assert_true(ci >= 0 && co2e >= 0);
    row = strstr(r.out, "\n1,");
    assert_non_null(row);
    assert_close(csv_number(row + 1, ci), 100, 1e-12);
    assert_close(csv_number(row + 1, co2e), 2, 1e-12);
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_em_past_range_two_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_samples_weight_the_intensity_by_energy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_em_energy_weights_use_the_memory_coefficient,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_long_window_split_in_ten_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_recent_window_uses_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_provider_option_for_fr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_duplicate_time_keeps_the_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_em_out_of_bounds_intensity_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_em_mapped_zone_live_asks_for_the_em_code, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_em_mapping_in_the_csv_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_carbon_bidding_zone_asks_for_itself, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_em_common_alias_asks_for_the_zone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_em_mapping_is_reported_without_live, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_em_jobs_live_asks_for_the_em_code, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
