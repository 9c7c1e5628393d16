/* ecoest carbon --format html --output F against a loopback Electricity Maps
 * server (v3 past-range): the page holds the mean of --format json, one
 * chart of two series (the intensity, the daily means) and the run window,
 * and loads nothing. Served hourly: 2025-01-15 100; 2025-01-16 200 for hours
 * 0-11, 300 for 12-23. Window: 15 Jan 00:00 to 17 Jan 00:00, so the mean is
 * (24 x 100 + 12 x 200 + 12 x 300) / 48 = 8400 / 48 = 175. */
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carbon_fixture.h"
#include "html_util.h"
#include "http_server.h"

#include "ecoest/common.h"

#define GOOD "auth-token: em-GOOD-token-77"

static void add(char **b, size_t *n, const char *s)
{
    size_t k = strlen(s);
    *b = realloc(*b, *n + k + 1);
    assert_non_null(*b);
    memcpy(*b + *n, s, k + 1);
    *n += k;
}

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    char *b = NULL, s1[64], s2[64], ts[32], rec[300];
    const char *p;
    size_t n = 0, k;
    double a, z, t, d15 = 1736899200.0; /* 2025-01-15T00:00:00Z */
    (void)ud;
    if (!strstr(req->headers, GOOD) || strcmp(req->path, "/carbon-intensity/past-range") != 0) {
        resp->status = 404;
        resp->body = ths_strdup_printf("{\"error\":\"no\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    p = strstr(req->query, "start=") + 6;
    k = strcspn(p, "&");
    snprintf(s1, sizeof s1, "%.*s", (int)k, p);
    p = strstr(req->query, "end=") + 4;
    k = strcspn(p, "&");
    snprintf(s2, sizeof s2, "%.*s", (int)k, p);
    assert_int_equal(est_parse_time(&a, s1, NULL), EST_OK);
    assert_int_equal(est_parse_time(&z, s2, NULL), EST_OK);
    add(&b, &n, "{\"zone\":\"DE\",\"data\":[");
    for (t = a; t < z; t += 3600) {
        double v = t < d15 + 86400.0 ? 100 : t < d15 + 86400.0 + 12 * 3600 ? 200 : 300;
        assert_int_equal(est_format_time(ts, sizeof ts, t), EST_OK);
        ts[19] = '\0';
        snprintf(rec, sizeof rec,
                 "%s{\"zone\":\"DE\",\"carbonIntensity\":%g,\"datetime\":\"%s.000Z\","
                 "\"emissionFactorType\":\"lifecycle\",\"isEstimated\":false}",
                 t == a ? "" : ",", v, ts);
        add(&b, &n, rec);
    }
    add(&b, &n, "]}");
    resp->body = b;
    resp->body_len = n;
}

/* Keeps the page as build/tests/html/carbon.html and, when Chromium is
   installed, renders it to carbon.png (over 5 kB) and checks its DOM. */
static void keep_and_render(const char *page)
{
    const char *t = getenv("ECOEST_TEST_TMP");
    char dir[4200], html[4300], png[4300], shot[4400], url[4400];
    char *argv[8];
    test_run r;
    struct stat st;
    if (!t || t[0] != '/')
        return;
    snprintf(dir, sizeof dir, "%s/html", t);
    mkdir(dir, 0777);
    snprintf(html, sizeof html, "%s/carbon.html", dir);
    snprintf(png, sizeof png, "%s/carbon.png", dir);
    test_write_file(html, page);
    if (access("/usr/bin/chromium", X_OK) != 0) {
        if (html_in_ci()) /* tools/check installs it: its absence is a broken set-up */
            fail_msg("/usr/bin/chromium is absent under CI (apt-get install chromium)");
        print_message("test_html_carbon: Chromium SKIPPED: /usr/bin/chromium absent\n");
        return;
    }
    snprintf(shot, sizeof shot, "--screenshot=%s", png);
    snprintf(url, sizeof url, "file://%s", html);
    unlink(png);
    argv[0] = "/usr/bin/chromium";
    argv[1] = "--headless";
    argv[2] = "--no-sandbox";
    argv[3] = "--disable-gpu";
    argv[4] = "--window-size=1000,1000";
    argv[5] = shot;
    argv[6] = url;
    argv[7] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    test_run_free(&r);
    if (stat(png, &st) != 0)
        fail_msg("chromium wrote no screenshot %s", png);
    print_message("test_html_carbon: screenshot %s (%lld bytes)\n", png, (long long)st.st_size);
    assert_true(st.st_size > 5000);
    argv[5] = "--dump-dom";
    test_run_argv(&r, argv, NULL, NULL);
    assert_non_null(strstr(r.out, "data-chart=\"intensity\" data-series=\"2\""));
    test_run_free(&r);
}

static void test_carbon_html(void **state)
{
    ths_server *srv = ths_start(handler, NULL);
    sandbox sb;
    test_run r;
    char out[4400];
    const char *json_args[] = {"carbon", "--zone", "DE", "--start", "2025-01-15T00:00:00Z",
                               "--end", "2025-01-17T00:00:00Z", "--format", "json", NULL};
    const char *html_args[] = {"carbon", "--zone", "DE", "--start", "2025-01-15T00:00:00Z",
                               "--end", "2025-01-17T00:00:00Z", "--format", "html",
                               "--output", out, NULL};
    cJSON *j;
    char *page, *v;
    (void)state;
    sandbox_init(&sb, ths_url(srv));
    sandbox_tokens(&sb, "", "em-GOOD-token-77");
    snprintf(out, sizeof out, "%s/carbon.html", sb.root);
    sandbox_run(&sb, &r, json_args);
    assert_int_equal(r.status, 0);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), 175, 1e-12);
    test_run_free(&r);
    sandbox_run(&sb, &r, html_args);
    if (r.status != 0)
        fail_msg("html: %d %s", r.status, r.err);
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
    page = test_read_file(out, NULL);
    assert_non_null(page);
    v = strstr(page, "data-key=\"mean_g_co2e_per_kwh\">");
    assert_non_null(v);
    assert_true(strtod(v + strlen("data-key=\"mean_g_co2e_per_kwh\">"), NULL) == 175.0);
    assert_non_null(strstr(page, "data-chart=\"intensity\" data-series=\"2\""));
    assert_non_null(strstr(page, "data-window=\"1\""));
    assert_null(strstr(page, "src=\"http"));
    assert_null(strstr(page, "href=\"http"));
    assert_null(strstr(page, "<script"));
    keep_and_render(page);
    free(page);
    cJSON_Delete(j);
    sandbox_free(&sb);
    ths_stop(srv);
}

/* An estimate with --live over the same window (--start/--end, 48 h): its
   page holds the live intensity chart (the series and the daily means,
   2025-01-15 mean 100 and 2025-01-16 mean (12 x 200 + 12 x 300) / 24 =
   250, with the run's window), and its headline intensity is the mean
   worked out above, 175, as in --format json. */
static void test_estimate_live_html(void **state)
{
    ths_server *srv = ths_start(handler, NULL);
    sandbox sb;
    test_run r;
    char out[4400];
    const char *json_args[] = {"--cores", "4", "--cpu-tdp", "40", "--zone", "DE", "--live",
                               "--start", "2025-01-15T00:00:00Z", "--end",
                               "2025-01-17T00:00:00Z", "--format", "json", NULL};
    const char *html_args[] = {"--cores", "4", "--cpu-tdp", "40", "--zone", "DE", "--live",
                               "--start", "2025-01-15T00:00:00Z", "--end",
                               "2025-01-17T00:00:00Z", "--format", "html", "--output", out,
                               NULL};
    cJSON *j;
    char *page, *v;
    const char *key = "data-key=\"carbon_intensity_g_co2e_per_kwh\">";
    (void)state;
    sandbox_init(&sb, ths_url(srv));
    sandbox_tokens(&sb, "", "em-GOOD-token-77");
    snprintf(out, sizeof out, "%s/estimate-live.html", sb.root);
    sandbox_run(&sb, &r, json_args);
    if (r.status != 0)
        fail_msg("json: %d %s", r.status, r.err);
    j = json_of(&r);
    assert_close(json_num(j, "carbon_intensity_g_co2e_per_kwh", NULL), 175, 1e-12);
    test_run_free(&r);
    sandbox_run(&sb, &r, html_args);
    if (r.status != 0)
        fail_msg("html: %d %s", r.status, r.err);
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
    page = test_read_file(out, NULL);
    assert_non_null(page);
    v = strstr(page, key);
    assert_non_null(v);
    assert_true(strtod(v + strlen(key), NULL) == 175.0);
    assert_non_null(strstr(page, "the footprint of a computation"));
    assert_non_null(strstr(page, "data-chart=\"intensity\" data-series=\"2\""));
    assert_non_null(strstr(page, "data-window=\"1\""));
    assert_non_null(strstr(page, "48 points"));
    /* the daily means' line: 100 on the first day, 250 on the second (the
       chart's axis ends at 300 g, a multiple of its 50 g step: y = 30 + 260
       - v / 300 x 260, so 203.3 and 73.3) */
    assert_non_null(strstr(page, "data-series-name=\"daily mean over the run&#39;s hours\""));
    assert_non_null(strstr(page, " 203.3L"));
    assert_non_null(strstr(page, " 73.3L"));
    assert_null(strstr(page, "src=\"http"));
    assert_null(strstr(page, "href=\"http"));
    assert_null(strstr(page, "<script"));
    free(page);
    cJSON_Delete(j);
    sandbox_free(&sb);
    ths_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_carbon_html),
                                       cmocka_unit_test(test_estimate_live_html)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
