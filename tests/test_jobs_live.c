/* ecoest jobs --live / --offline against a loopback Electricity Maps server
 * serving a known series: every hour h (UTC) of every day is 100 + 10 h
 * gCO2e/kWh. Each job's intensity is the mean over its own window, worked
 * out by hand below; the requests are counted (one per UTC day of the
 * range, none when the day cache has them). */
#include <math.h>

#include "carbon_fixture.h"
#include "http_server.h"
#include "ecoest/common.h"

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

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    char *b = NULL, s1[64], s2[64], ts[32], rec[256];
    size_t n = 0;
    double a, z, t;
    (void)ud;
    n_requests++;
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
    char sacct[4300], later[4300];
} fx;

/* 1 CPU fully used at 10 W, PUE 1, memory not counted: a job draws 10 W.
 *   1: 2025-01-10 00:00-02:00, hours 0 and 1: (100 + 110) / 2 = 105;
 *      10 W x 2 h = 0.02 kWh, 0.02 x 105 = 2.1 g
 *   2: 2025-01-10 22:00 - 01-11 02:00, hours 22, 23, 0, 1:
 *      (320 + 330 + 100 + 110) / 4 = 215; 0.04 kWh, 8.6 g
 *   3: 2025-01-12 10:00-10:30, hour 10: 200; 0.005 kWh, 1 g
 * Three UTC days: 2025-01-10, 11 and 12. */
static const char rows[] =
    "JobID|User|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem\n"
    "1|ada|2025-01-10T00:00:00|2025-01-10T02:00:00|02:00:00|COMPLETED|1|02:00:00|1G\n"
    "2|ada|2025-01-10T22:00:00|2025-01-11T02:00:00|04:00:00|COMPLETED|1|04:00:00|1G\n"
    "3|bob|2025-01-12T10:00:00|2025-01-12T10:30:00|00:30:00|COMPLETED|1|30:00|1G\n";

/* A job on a day no run has fetched: 2025-01-20 05:00-06:00 (hour 5: 150). */
static const char later_rows[] =
    "JobID|User|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem\n"
    "4|cy|2025-01-20T05:00:00|2025-01-20T06:00:00|01:00:00|COMPLETED|1|01:00:00|1G\n";

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->srv = ths_start(handler, NULL);
    sandbox_init(&f->sb, ths_url(f->srv));
    sandbox_tokens(&f->sb, "", "test-token");
    snprintf(f->sacct, sizeof f->sacct, "%s/jobs.txt", f->sb.root);
    test_write_file(f->sacct, rows);
    snprintf(f->later, sizeof f->later, "%s/later.txt", f->sb.root);
    test_write_file(f->later, later_rows);
    n_requests = 0;
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

/* The last three numbers of job id's per-job CSV row: co2e_g is the 18th
   field, ci_g_co2e_per_kwh the 22nd, embodied_co2e_g the 23rd (the last). */
static void row_figures(const char *out, const char *id, double *energy_kwh, double *co2e_g,
                        double *ci)
{
    char key[32];
    const char *p;
    int field = 0;
    snprintf(key, sizeof key, "\n%s,", id);
    p = strstr(out, key);
    if (!p)
        fail_msg("no row for job %s in: %s", id, out);
    p++;
    for (; *p && *p != '\n'; p++) {
        if (*p != ',')
            continue;
        field++;
        if (field == 16)
            *energy_kwh = strtod(p + 1, NULL);
        else if (field == 17)
            *co2e_g = strtod(p + 1, NULL);
        else if (field == 21)
            *ci = strtod(p + 1, NULL);
    }
    assert_int_equal(field, 22);
}

static void test_jobs_live_each_job_its_own_window(void **state)
{
    fx *f = *state;
    const char *live[] = {"jobs", "--cpu-tdp-per-core", "10", "--pue", "1",
                          "--memory-w-per-gb", "0", "--zone", "DE", "--live", "--per-job",
                          f->sacct, NULL};
    const char *offline[] = {"jobs", "--cpu-tdp-per-core", "10", "--pue", "1",
                             "--memory-w-per-gb", "0", "--zone", "DE", "--offline",
                             "--per-job", f->sacct, NULL};
    test_run r;
    double e, g, ci;
    sandbox_run(&f->sb, &r, live);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    row_figures(r.out, "1", &e, &g, &ci);
    assert_close(ci, 105.0, 1e-12);
    assert_close(e, 0.02, 1e-12);
    assert_close(g, 2.1, 1e-12);
    row_figures(r.out, "2", &e, &g, &ci);
    assert_close(ci, 215.0, 1e-12);
    assert_close(g, 8.6, 1e-12);
    row_figures(r.out, "3", &e, &g, &ci);
    assert_close(ci, 200.0, 1e-12);
    assert_close(g, 1.0, 1e-12);
    /* one request per UTC day of the range, each day asked for once */
    assert_int_equal(n_requests, 3);
    assert_non_null(strstr(r.err, "live intensity: 3 UTC days asked for (3 HTTP requests), "
                                  "0 without data"));
    test_run_free(&r);
    /* again, offline: the same figures from the day cache, no request */
    sandbox_run(&f->sb, &r, offline);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    row_figures(r.out, "2", &e, &g, &ci);
    assert_close(ci, 215.0, 1e-12);
    assert_int_equal(n_requests, 3);
    assert_non_null(strstr(r.err, "offline intensity: 3 UTC days asked for (0 HTTP requests)"));
    test_run_free(&r);
}

static void test_jobs_offline_uncached_day_falls_back_or_fails_strict(void **state)
{
    fx *f = *state;
    const char *offline[] = {"jobs", "--cpu-tdp-per-core", "10", "--pue", "1",
                             "--memory-w-per-gb", "0", "--zone", "DE", "--offline",
                             "--format", "json", f->later, NULL};
    const char *strict[] = {"jobs", "--cpu-tdp-per-core", "10", "--pue", "1",
                            "--memory-w-per-gb", "0", "--zone", "DE", "--offline", "--strict",
                            f->later, NULL};
    const char *live[] = {"jobs", "--cpu-tdp-per-core", "10", "--pue", "1",
                          "--memory-w-per-gb", "0", "--zone", "DE", "--live", "--format",
                          "json", f->later, NULL};
    test_run r;
    cJSON *j;
    sandbox_run(&f->sb, &r, offline);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_close(json_num(j, "totals", "ci_window_jobs", NULL), 0.0, 0);
    assert_close(json_num(j, "totals", "ci_fallback_jobs", NULL), 1.0, 0);
    cJSON_Delete(j);
    assert_int_equal(n_requests, 0);
    assert_non_null(strstr(r.err, "use their zone's annual average"));
    test_run_free(&r);
    sandbox_run(&f->sb, &r, strict);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "job 4: the intensity of zone DE over its window"));
    test_run_free(&r);
    /* live: 0.01 kWh at hour 5's 150 g/kWh = 1.5 g, one request */
    sandbox_run(&f->sb, &r, live);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_close(json_num(j, "totals", "ci_window_jobs", NULL), 1.0, 0);
    assert_close(json_num(j, "totals", "co2e_g", NULL), 1.5, 1e-9);
    cJSON_Delete(j);
    assert_int_equal(n_requests, 1);
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jobs_live_each_job_its_own_window, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_jobs_offline_uncached_day_falls_back_or_fails_strict,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
