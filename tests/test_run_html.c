/* ecoest run --format html, and what run measured against the model
 * (run.measured, docs/run.md): a real command under a fake NVML (one GPU
 * with an energy counter, busy the whole run: 250 W at 99 % utilisation)
 * and a fake powercap tree (the package counter moves by 36 J during the
 * run). Then a real headless Chromium renders the page (skipped, with a
 * message, when /usr/bin/chromium is absent).
 *
 * Hand-worked figures (Green Algorithms' model against the meters):
 *   CPU: the command burns 1 CPU-s (test_run_burn 1 1; the shell adds a
 *        few ms), --cpu-tdp-per-core 10: model 1 CPU-s x 10 W = 10 J;
 *        RAPL 36 J; model / measured = 10 / 36 = 0.2778.
 *   GPU: an A100 SXM4 40GB (hwdb: 400 W TDP) at 99 %: model 400 x 0.99 =
 *        396 W; its counter 250 W; model / measured = 396 / 250 = 1.584,
 *        over whatever time the GPU's rows cover (the same for both). */
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "test_util.h"

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* The number in the element with data-key="key". */
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

static void self_contained(const char *page)
{
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<link"));
    assert_null(strstr(page, "src=\"http"));
    assert_null(strstr(page, "href=\"http"));
    assert_null(strstr(page, "@import"));
}

/* The replay run printed ("Same estimate again: ecoest ...") with
   --format json: the JSON the page's headline must equal. */
static cJSON *replay_json(const char *err, const char *dir)
{
    const char *line = strstr(err, "Same estimate again: ecoest ");
    char buf[4096], *a[40], *save = NULL, *w;
    int n = 0;
    test_run rp;
    cJSON *j;
    assert_non_null(line);
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(line + 28, "\n"), line + 28);
    a[n++] = getenv("ECOEST_BIN");
    for (w = strtok_r(buf, " ", &save); w && n < 34; w = strtok_r(NULL, " ", &save))
        a[n++] = w;
    a[n++] = "--format";
    a[n++] = "json";
    a[n] = NULL;
    if (chdir(dir) != 0) /* the log is named relative to run's directory */
        fail_msg("chdir %s", dir);
    test_run_argv(&rp, a, NULL, NULL);
    if (rp.status != 0)
        fail_msg("replay: %d %s", rp.status, rp.err);
    j = cJSON_Parse(rp.out);
    assert_non_null(j);
    test_run_free(&rp);
    return j;
}

/* Chromium renders the page to build/tests/html/run.png (over 5 kB: not
   blank) and its DOM holds the run section and both charts. */
static void render(const char *page_path)
{
    const char *t = getenv("ECOEST_TEST_TMP");
    char dir[4200], html[4300], png[4300], shot[4400], url[4400];
    char *argv[8], *page;
    test_run r;
    struct stat st;
    if (access("/usr/bin/chromium", X_OK) != 0) {
        print_message("test_run_html: Chromium SKIPPED: /usr/bin/chromium absent "
                      "(apt-get install chromium)\n");
        return;
    }
    if (!t || t[0] != '/')
        return;
    snprintf(dir, sizeof dir, "%s/html", t);
    mkdir(dir, 0777);
    snprintf(html, sizeof html, "%s/run.html", dir);
    snprintf(png, sizeof png, "%s/run.png", dir);
    page = test_read_file(page_path, NULL);
    assert_non_null(page);
    test_write_file(html, page);
    free(page);
    snprintf(shot, sizeof shot, "--screenshot=%s", png);
    snprintf(url, sizeof url, "file://%s", html);
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
    print_message("test_run_html: screenshot %s (%lld bytes)\n", png, (long long)st.st_size);
    assert_true(st.st_size > 5000);
    argv[5] = "--dump-dom";
    test_run_argv(&r, argv, NULL, NULL);
    assert_non_null(strstr(r.out, "<h2 id=\"run\">The run</h2>"));
    assert_non_null(strstr(r.out, "data-chart=\"power\" data-series=\"3\""));
    assert_non_null(strstr(r.out, "data-chart=\"energy\" data-series=\"1\""));
    assert_non_null(strstr(r.out, "id=\"measured\""));
    test_run_free(&r);
}

static void test_run_html_page_with_measured_against_model(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "r.csv"), *out = path_in(dir, "r.html"),
         *pc = path_in(dir, "pc"), cmd[8192], p[4400], env_pc[4400], env_lib[4400],
         env_dir[4400], cwd[4096], *page;
    const char *burn = getenv("ECOEST_TEST_RUN_BURN");
    char *argv[] = {getenv("ECOEST_BIN"), "run", "--interval", "0.1", "--idle-seconds", "0.5",
                    "--log", log, "--format", "html", "--output", out, "--cpu-tdp-per-core",
                    "10", "--", "sh", "-c", cmd, NULL};
    char *env[] = {env_lib, env_dir, env_pc, NULL};
    test_run r;
    cJSON *j;
    double cpu_s, ratio;
    (void)state;
    assert_non_null(getcwd(cwd, sizeof cwd));
    /* the fake powercap tree: one package counter at 0 */
    assert_int_equal(mkdir(pc, 0755), 0);
    snprintf(p, sizeof p, "%s/intel-rapl:0", pc);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/intel-rapl:0/energy_uj", pc);
    test_write_file(p, "0\n");
    snprintf(p, sizeof p, "%s/intel-rapl:0/max_energy_range_uj", pc);
    test_write_file(p, "262143328850\n");
    /* the fake NVML: one GPU with a counter, busy from the start */
    snprintf(p, sizeof p, "%s/gpus", dir);
    test_write_file(p, "1 1\n");
    snprintf(p, sizeof p, "%s/busy", dir);
    test_write_file(p, "");
    snprintf(env_lib, sizeof env_lib, "ECOEST_TEST_NVML_LIB=%s", getenv("ECOEST_TEST_FAKE_NVML"));
    snprintf(env_dir, sizeof env_dir, "FAKE_NVML_DIR=%s", dir);
    snprintf(env_pc, sizeof env_pc, "ECOEST_TEST_POWERCAP_ROOT=%s", pc);
    /* 1 CPU-s, then the package counter moves by 36 J (36e6 uJ, a rename:
       never a half-written file), then a few more rows */
    snprintf(cmd, sizeof cmd, "%s 1 1; echo 36000000 > %s/t; mv %s/t %s/intel-rapl:0/energy_uj;"
             " sleep 0.3", burn, pc, pc, pc);
    unlink(out);
    test_run_argv(&r, argv, NULL, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(r.out_len, 0); /* --output: nothing on stdout */
    assert_non_null(strstr(r.err, "Measured against the model"));
    page = test_read_file(out, NULL);
    assert_non_null(page);
    self_contained(page);
    /* the estimate's page with the run's section after the assumptions */
    assert_non_null(strstr(page, "<h2 id=\"run\">The run</h2>"));
    assert_true(strstr(page, "<h2 id=\"run\">The run</h2>") > strstr(page, "id=\"assumptions\""));
    assert_true(strstr(page, "<h2 id=\"run\">The run</h2>") < strstr(page, "<h2>Charts</h2>"));
    assert_non_null(strstr(page, "id=\"breakdown\""));
    assert_non_null(strstr(page, "id=\"inputs\""));
    /* the power of the CPU packages (measured), the memory, GPU 0 */
    assert_non_null(strstr(page, "data-chart=\"power\" data-series=\"3\""));
    assert_non_null(strstr(page, "data-series-name=\"CPU (package, measured)\""));
    assert_non_null(strstr(page, "data-series-name=\"GPU 0\""));
    assert_non_null(strstr(page, "data-chart=\"energy\" data-series=\"1\""));
    assert_true(html_value(page, "run.exit_status") == 0.0);
    /* RAPL: 36 J = 36 / 3.6e6 kWh = 1e-5 kWh */
    assert_close(html_value(page, "run.measured.cpu.measured_kwh"), 1e-5, 1e-12);
    assert_close(html_value(page, "run.rapl_energy_kwh"), 1e-5, 1e-12);
    /* the model: the CPU-s measured x 10 W, exactly; about 10 J of 36 */
    cpu_s = html_value(page, "run.cpu_s");
    assert_true(cpu_s >= 1.0 && cpu_s < 1.1);
    ratio = html_value(page, "run.measured.cpu.ratio");
    assert_close(ratio, cpu_s * 10.0 / 36.0, 1e-9);
    assert_close(ratio, 10.0 / 36.0, 0.03);
    /* the GPU: 396 W of model against the counter's 250 W */
    assert_close(html_value(page, "run.measured.gpu.ratio"), 1.584, 0.04);
    /* the headline figures are the replay's JSON's, digit for digit */
    j = replay_json(r.err, dir);
    {
        static const char *const keys[] = {"co2e_g", "energy_kwh", "power_w", "runtime_h"};
        size_t i;
        for (i = 0; i < 4; i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[i]);
            assert_true(cJSON_IsNumber(v));
            if (html_value(page, keys[i]) != v->valuedouble)
                fail_msg("%s: page %.17g, replay %.17g", keys[i], html_value(page, keys[i]),
                         v->valuedouble);
        }
        /* measured replaces the estimate: the CPU's and GPU's basis */
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(
                                cJSON_GetObjectItemCaseSensitive(
                                    cJSON_GetObjectItemCaseSensitive(j, "components"), "cpu"),
                                "basis")->valuestring, "measured");
    }
    assert_int_equal(chdir(cwd), 0);
    render(out);
    cJSON_Delete(j);
    free(page);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(pc);
}

/* --format json: run.measured carries the same comparison; without RAPL
   or a GPU it is null. */
static void test_run_json_measured_null_without_meters(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "r.csv"), *out = path_in(dir, "r.json"),
         *text;
    char *argv[] = {getenv("ECOEST_BIN"), "run", "--interval", "0.1", "--log", log, "--output",
                    out, "--cpu-tdp-per-core", "10", "--", "sleep", "0.3", NULL};
    char *env[] = {"ECOEST_TEST_NVML_LIB=/nonexistent/libnvidia-ml.so.1",
                   "ECOEST_TEST_POWERCAP_ROOT=/nonexistent", "PATH=/usr/bin:/bin", NULL};
    test_run r;
    cJSON *j, *m;
    (void)state;
    test_run_argv(&r, argv, NULL, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    text = test_read_file(out, NULL);
    assert_non_null(text);
    j = cJSON_Parse(text);
    assert_non_null(j);
    m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "run"), "measured");
    assert_non_null(m);
    assert_true(cJSON_IsNull(m));
    assert_null(strstr(r.err, "Measured against the model"));
    cJSON_Delete(j);
    free(text);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_html_page_with_measured_against_model),
        cmocka_unit_test(test_run_json_measured_null_without_meters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
