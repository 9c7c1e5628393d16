/* --format html (docs/html.md): the page is written with --output, holds
 * the JSON report's headline figures digit for digit, loads nothing from
 * the network, and carries the expected charts; then a real headless
 * Chromium renders it to a PNG (skipped, with a message, when
 * /usr/bin/chromium is absent; failed under CI=true, where tools/check
 * installs it). */
#include <cjson/cJSON.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html_util.h"
#include "test_util.h"

static char src[4096], bin[4096], tmp[4096];

static int setup(void **state)
{
    const char *s = getenv("ECOEST_SOURCE_DIR"), *b = getenv("ECOEST_BIN"),
               *t = getenv("ECOEST_TEST_TMP");
    (void)state;
    snprintf(src, sizeof src, "%s", s ? s : "..");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    if (t)
        snprintf(tmp, sizeof tmp, "%s/html", t);
    else if (getcwd(tmp, sizeof tmp - 8))
        strcat(tmp, "/html");
    mkdir(tmp, 0777);
    return 0;
}

/* The text of the element with data-key="key" (up to the next '<'). */
static double html_value(const char *page, const char *key)
{
    char pat[200];
    const char *p;
    snprintf(pat, sizeof pat, "data-key=\"%s\">", key);
    p = strstr(page, pat);
    if (!p)
        fail_msg("no data-key=\"%s\" in the page", key);
    return strtod(p + strlen(pat), NULL);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (s = strstr(s, what); s; s = strstr(s + 1, what))
        n++;
    return n;
}

/* No src= or href= names a network URL; no script, no external style. */
static void self_contained(const char *page)
{
    static const char *const attrs[] = {"src=", "href="};
    size_t i;
    for (i = 0; i < 2; i++) {
        const char *p;
        for (p = strstr(page, attrs[i]); p; p = strstr(p + 1, attrs[i])) {
            const char *v = p + strlen(attrs[i]);
            if (*v == '"' || *v == '\'')
                v++;
            if (strncmp(v, "http", 4) == 0 || strncmp(v, "//", 2) == 0)
                fail_msg("the page loads %.40s", p);
        }
    }
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<link"));
    assert_null(strstr(page, "@import"));
}

/* Runs ecoest with args + --format json, and with --format html --output
   out; returns the page (the JSON in *json). */
static char *both(char *const args[], size_t n, const char *out, cJSON **json)
{
    char *argv[64];
    test_run r;
    size_t i;
    char *page;
    argv[0] = bin;
    for (i = 0; i < n; i++)
        argv[i + 1] = args[i];
    argv[n + 1] = "--format";
    argv[n + 2] = "json";
    argv[n + 3] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("json: %d %s", r.status, r.err);
    *json = cJSON_Parse(r.out);
    assert_non_null(*json);
    test_run_free(&r);
    argv[n + 2] = "html";
    argv[n + 3] = "--output";
    argv[n + 4] = (char *)out;
    argv[n + 5] = NULL;
    unlink(out);
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("html: %d %s", r.status, r.err);
    assert_int_equal(r.out_len, 0); /* --output: nothing on stdout */
    test_run_free(&r);
    page = test_read_file(out, NULL);
    assert_non_null(page);
    return page;
}

static void same_headline(const char *page, cJSON *json)
{
    static const char *const keys[] = {"co2e_g", "energy_kwh", "power_w", "runtime_h", "pue",
                                       "carbon_intensity_g_co2e_per_kwh"};
    size_t i;
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        cJSON *v = cJSON_GetObjectItem(json, keys[i]);
        assert_true(cJSON_IsNumber(v));
        /* the same double: both are printed with the shortest digits */
        if (html_value(page, keys[i]) != v->valuedouble)
            fail_msg("%s: page %.17g, JSON %.17g", keys[i], html_value(page, keys[i]),
                     v->valuedouble);
    }
    assert_true(html_value(page, "process.total.energy_kwh") ==
                cJSON_GetObjectItem(cJSON_GetObjectItem(json, "process"), "energy_kwh")
                    ->valuedouble);
}

static void test_manual(void **state)
{
    char out[4200];
    char *args[] = {"--cores", "8", "--cpu-tdp", "100", "--hours", "2", "--memory", "16",
                    "--zone", "FR"};
    cJSON *json;
    char *page;
    (void)state;
    snprintf(out, sizeof out, "%s/manual.html", tmp);
    page = both(args, sizeof args / sizeof args[0], out, &json);
    self_contained(page);
    same_headline(page, json);
    assert_non_null(strstr(page, "id=\"inputs\""));
    assert_non_null(strstr(page, "id=\"assumptions\""));
    assert_non_null(strstr(page, "@media print"));
    assert_int_equal(count(page, "<svg"), 0); /* no log: no chart */
    free(page);
    cJSON_Delete(json);
}

/* The mean line of the series named name: how many segments ('M') it has. */
static size_t segments(const char *page, const char *name)
{
    char pat[200];
    const char *p, *d, *end;
    size_t n = 0;
    snprintf(pat, sizeof pat, "data-series-name=\"%s\"", name);
    p = strstr(page, pat);
    if (!p)
        fail_msg("no series \"%s\"", name);
    p = strstr(p, "<path");      /* the envelope */
    p = strstr(p + 1, "<path");  /* the mean line */
    d = strstr(p, " d=\"") + 4;
    end = strchr(d, '"');
    for (; d < end; d++)
        n += *d == 'M';
    return n;
}

/* A log (its name with characters HTML escapes) of a CPU package power, the
   memory and two GPUs, 1 s apart, with a 79 s gap: the power chart has 4
   series, each broken once; the energy chart one. */
static void test_samples(void **state)
{
    char log[4200], out[4200];
    char *args[] = {"--samples", log, "--cores", "8", "--cpu-tdp", "100", "--memory", "16",
                    "--gpu-idle", "40"};
    {
        FILE *f;
        int i;
        cJSON *json;
        char *page;
        (void)state;
        snprintf(log, sizeof log, "%s/a&b<c>.csv", tmp);
        snprintf(out, sizeof out, "%s/samples.html", tmp);
        f = fopen(log, "w");
        assert_non_null(f);
        fputs("time_unix_s,cpu_package_power_w,ram_used_gb,gpu0_power_w,gpu1_power_w\n", f);
        for (i = 0; i <= 20; i++)
            fprintf(f, "%d,%d,8,%d,60\n", 1700000000 + i, 50 + i, 100 + 5 * i);
        for (i = 100; i <= 120; i++)
            fprintf(f, "%d,%d,8,%d,60\n", 1700000000 + i, 50 + i, 100 + 5 * i);
        fclose(f);
        page = both(args, sizeof args / sizeof args[0], out, &json);
        self_contained(page);
        same_headline(page, json);
        assert_non_null(strstr(page, "data-chart=\"power\" data-series=\"4\""));
        assert_non_null(strstr(page, "data-chart=\"energy\" data-series=\"1\""));
        assert_int_equal(count(page, "<svg"), 2);
        assert_int_equal(count(page, "data-band=\"1\""), 1); /* --gpu-idle 40: the band */
        assert_non_null(strstr(page, "Reduced: 42 rows"));
        assert_int_equal(segments(page, "GPU 0"), 2);
        assert_int_equal(segments(page, "CPU (package, measured)"), 2);
        /* the log's name, escaped */
        assert_non_null(strstr(page, "a&amp;b&lt;c&gt;.csv"));
        assert_null(strstr(page, "a&b<c>"));
        free(page);
        cJSON_Delete(json);
    }
}

/* A log of GPU usage without GPU power: the power chart draws the GPU as
   its usage x the model's GPU TDP (--gpu-tdp 300), the CPU as usage x its
   package TDP (--cpu-tdp 100). Usage 0.5, 1.0, 0.0 gives 150, 300, 0 W;
   the CPU's 0.5 x 100 = 50 W: the highest point is 300 W, so the y axis
   ends at the tick 300 (steps of 50). */
static void test_samples_gpu_usage(void **state)
{
    char log[4200], out[4200];
    char *args[] = {"--samples", log, "--cores", "8", "--cpu-tdp", "100", "--gpu-tdp", "300"};
    cJSON *json;
    char *page, *power, *energy;
    (void)state;
    snprintf(log, sizeof log, "%s/gpu-usage.csv", tmp);
    snprintf(out, sizeof out, "%s/gpu-usage.html", tmp);
    test_write_file(log, "time_unix_s,cpu_usage_frac,gpu0_usage_frac\n"
                         "1700000000,0.5,0.5\n1700000010,0.5,1.0\n1700000020,0.5,0.0\n");
    page = both(args, sizeof args / sizeof args[0], out, &json);
    same_headline(page, json);
    assert_non_null(strstr(page, "data-chart=\"power\" data-series=\"2\""));
    assert_int_equal(segments(page, "GPU 0 (usage x TDP)"), 1);
    assert_int_equal(segments(page, "CPU (usage x TDP)"), 1);
    power = strstr(page, "data-chart=\"power\"");
    energy = strstr(page, "data-chart=\"energy\"");
    assert_non_null(power);
    assert_non_null(energy);
    *energy = '\0'; /* the power chart's axis only */
    assert_non_null(strstr(power, "text-anchor=\"end\">300</text>"));
    assert_null(strstr(power, "text-anchor=\"end\">350</text>"));
    free(page);
    cJSON_Delete(json);
}

/* A log of 300000 rows (0.1 s apart, a GPU's power): the page stays far
   under 2 MB, as it depends on the 800 columns, not the rows. (The
   10-million-row log of the issue is test_html_big.c's.) */
static void test_big_log(void **state)
{
    char log[4200], out[4200];
    char *args[] = {"--samples", log};
    FILE *f;
    long i;
    cJSON *json;
    char *page;
    (void)state;
    snprintf(log, sizeof log, "%s/big.csv", tmp);
    snprintf(out, sizeof out, "%s/big.html", tmp);
    f = fopen(log, "w");
    assert_non_null(f);
    fputs("time_unix_s,gpu0_power_w\n", f);
    for (i = 0; i < 300000; i++)
        fprintf(f, "%ld.%ld,%ld\n", 1700000000 + i / 10, i % 10, 100 + i % 97);
    fclose(f);
    page = both(args, 2, out, &json);
    assert_true(strlen(page) < 2u * 1024u * 1024u);
    assert_non_null(strstr(page, "Reduced: 300000 rows"));
    assert_non_null(strstr(page, "data-chart=\"power\" data-series=\"1\""));
    same_headline(page, json);
    print_message("test_html: a 300000-row log gives a page of %zu bytes\n", strlen(page));
    free(page);
    cJSON_Delete(json);
    unlink(log);
}

/* ecoest jobs --by day --format html: the totals of --format json, and one
   stacked chart: two days (2026-01-01: job 10 from 22:00 and job 11,
   FAILED; 2026-01-02: job 10 until 02:00) and two states (COMPLETED,
   FAILED), so data-series="2". Then the charts of the JSON's "charts":
   - top users: ada and bob, one series;
   - CPU efficiency: job 10 8 CPU-h / (4 cores x 4 h) = 0.5, bin 0.5-0.6;
     job 11 4 / (2 x 2) = 1, the last bin 0.9-1;
   - memory used / requested: job 10 2 GB of 10 (AllocTRES), 0.2; job 11
     1 GB of 4, 0.25: both in bin 0.2-0.3;
   - measured against estimated: job 10 alone is metered (7200000 J =
     2 kWh): one cell holding 1 job, and the line y = x. */
static void test_jobs(void **state)
{
    static const char rows[] =
        "JobID|User|Account|Partition|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem|MaxRSS|"
        "AllocTRES|ConsumedEnergyRaw\n"
        "10|ada|phys|cpu|2026-01-01T22:00:00|2026-01-02T02:00:00|04:00:00|COMPLETED|4|08:00:00|"
        "|2G|cpu=4,mem=10G,node=1|7200000\n"
        "11|bob|chem|cpu|2026-01-01T10:00:00|2026-01-01T12:00:00|02:00:00|FAILED|2|04:00:00|"
        "|1G|cpu=2,mem=4G,node=1|\n";
    char out[4200];
    char *argv[] = {bin, "jobs", "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100",
                    "--by", "day", "--format", "json", "-", NULL, NULL, NULL};
    test_run r;
    cJSON *json, *totals;
    char *page;
    (void)state;
    snprintf(out, sizeof out, "%s/jobs.html", tmp);
    test_run_argv(&r, argv, rows, NULL);
    if (r.status != 0)
        fail_msg("json: %d %s", r.status, r.err);
    json = cJSON_Parse(r.out);
    assert_non_null(json);
    test_run_free(&r);
    argv[11] = "html";
    argv[12] = "--output";
    argv[13] = out;
    argv[14] = "-";
    unlink(out);
    test_run_argv(&r, argv, rows, NULL);
    if (r.status != 0)
        fail_msg("html: %d %s", r.status, r.err);
    test_run_free(&r);
    page = test_read_file(out, NULL);
    assert_non_null(page);
    self_contained(page);
    totals = cJSON_GetObjectItem(json, "totals");
    assert_true(html_value(page, "co2e_g") == cJSON_GetObjectItem(totals, "co2e_g")->valuedouble);
    assert_true(html_value(page, "energy_kwh") ==
                cJSON_GetObjectItem(totals, "energy_kwh")->valuedouble);
    assert_true(html_value(page, "jobs") == 2.0);
    assert_non_null(strstr(page, "data-chart=\"energy_by_state\" data-series=\"2\""));
    assert_non_null(strstr(page, "data-series-name=\"FAILED\""));
    assert_non_null(strstr(page, ">2026-01-01</text>"));
    assert_non_null(strstr(page, ">2026-01-02</text>"));
    assert_non_null(strstr(page, "data-chart=\"top_users\" data-series=\"1\""));
    assert_non_null(strstr(page, ">ada</text>"));
    assert_non_null(strstr(page, ">bob</text>"));
    assert_non_null(strstr(page, "data-chart=\"cpu_efficiency\" data-series=\"1\""));
    assert_non_null(strstr(page, "<tr><td>0.5-0.6</td><td class=\"n\">1</td>"));
    assert_non_null(strstr(page, "<tr><td>0.9-1</td><td class=\"n\">1</td>"));
    assert_non_null(strstr(page, "<tr><td>0-0.1</td><td class=\"n\">0</td>"));
    assert_non_null(strstr(page, "data-chart=\"memory_used_frac\" data-series=\"1\""));
    assert_non_null(strstr(page, "<tr><td>0.2-0.3</td><td class=\"n\">2</td>"));
    assert_non_null(strstr(page, "<tr><td>&gt; 1</td><td class=\"n\">0</td>"));
    assert_non_null(strstr(page, "data-chart=\"measured_vs_estimated\" data-series=\"1\""));
    assert_int_equal(count(page, "data-count=\""), 1);
    assert_non_null(strstr(page, "data-count=\"1\""));
    assert_non_null(strstr(page, "data-line=\"y=x\""));
    /* a bin's energy is the JSON's, the same double */
    {
        static const char row[] = "<tr><td>0.5-0.6</td><td class=\"n\">1</td><td class=\"n\">";
        const cJSON *e = cJSON_GetObjectItem(
            cJSON_GetObjectItem(cJSON_GetObjectItem(json, "charts"), "cpu_efficiency"),
            "energy_kwh");
        const char *p = strstr(page, row);
        assert_int_equal(cJSON_GetArraySize(e), 10);
        assert_non_null(p);
        assert_true(cJSON_GetArrayItem(e, 5)->valuedouble > 0.0);
        assert_true(strtod(p + strlen(row), NULL) == cJSON_GetArrayItem(e, 5)->valuedouble);
    }
    free(page);
    cJSON_Delete(json);
}

/* html is refused where it is not written (yet), with a usage error. */
static void test_refused_elsewhere(void **state)
{
    char *argv[] = {bin, "hwdb", "list", "--format", "html", NULL};
    test_run r;
    (void)state;
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
}

/* A real browser: Chromium renders each page to a PNG (not blank: over
   5 kB, and over 1 % of its pixels non-white) and its DOM holds the
   headline and each expected chart. */
static void render(const char *name, const char *const expect[])
{
    char page[4200], png[4200], url[4300], shot[4300];
    char *argv[16];
    test_run r;
    struct stat st;
    size_t i;
    snprintf(page, sizeof page, "%s/%s.html", tmp, name);
    snprintf(png, sizeof png, "%s/%s.png", tmp, name);
    snprintf(url, sizeof url, "file://%s", page);
    snprintf(shot, sizeof shot, "--screenshot=%s", png);
    if (page[0] != '/')
        fail_msg("not an absolute path: %s", page);
    unlink(png);
    argv[0] = "/usr/bin/chromium";
    argv[1] = "--headless";
    argv[2] = "--no-sandbox";
    argv[3] = "--disable-gpu";
    argv[4] = "--window-size=1000,1400";
    argv[5] = shot;
    argv[6] = url;
    argv[7] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    test_run_free(&r);
    if (stat(png, &st) != 0)
        fail_msg("chromium wrote no screenshot %s", png);
    print_message("test_html: screenshot %s (%lld bytes)\n", png, (long long)st.st_size);
    assert_true(st.st_size > 5000); /* a blank page's PNG is a few hundred bytes */
    argv[5] = "--dump-dom";
    test_run_argv(&r, argv, NULL, NULL);
    assert_non_null(strstr(r.out, "data-key=\"co2e_g\""));
    assert_non_null(strstr(r.out, "the footprint of a"));
    for (i = 0; expect[i]; i++)
        if (!strstr(r.out, expect[i]))
            fail_msg("%s: the DOM has no %s", name, expect[i]);
    test_run_free(&r);
    /* and the pixels: the window's text, tables and boxes make over 1 %
       of it non-white (a blank page: none) */
    {
        html_png img;
        size_t dark;
        html_png_read(png, &img);
        dark = html_png_non_white(&img);
        print_message("test_html: %s: %lux%lu, %zu non-white pixels\n", png, img.width,
                      img.height, dark);
        assert_true(dark * 100 > (size_t)img.width * img.height);
        html_png_free(&img);
    }
}

static void test_chromium(void **state)
{
    static const char *const none[] = {NULL};
    static const char *const charts[] = {"data-chart=\"power\" data-series=\"4\"",
                                         "data-chart=\"energy\" data-series=\"1\"", NULL};
    (void)state;
    html_need_tool("/usr/bin/chromium", "chromium"); /* skipped if absent, failed under CI */
    render("manual", none);
    render("samples", charts);
    {
        static const char *const bars[] = {"data-chart=\"energy_by_state\" data-series=\"2\"",
                                           "data-chart=\"top_users\" data-series=\"1\"",
                                           "data-chart=\"cpu_efficiency\" data-series=\"1\"",
                                           "data-chart=\"memory_used_frac\" data-series=\"1\"",
                                           "data-chart=\"measured_vs_estimated\" "
                                           "data-series=\"1\"",
                                           NULL};
        render("jobs", bars);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manual),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_samples_gpu_usage),
        cmocka_unit_test(test_big_log),
        cmocka_unit_test(test_jobs),
        cmocka_unit_test(test_refused_elsewhere),
        cmocka_unit_test(test_chromium),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
