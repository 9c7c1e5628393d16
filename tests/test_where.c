/* ecoest where: sites ranked by CO2e or water (library and CLI). Every
 * figure below is worked out by hand from docs/where.md's formulas. */
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "test_util.h"

#include "ecoest/sites.h"

/* Overlay zones with round figures (the 8-column format). */
static const char zones_overlay[] =
    "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source,water_source\n"
    "XA,Alpha,100,2024,direct,2,test,test\n"
    "XB,Beta,400,2024,direct,1,test,test\n"
    "XC,Gamma,200,2024,direct,,test,\n";

static char *make_xdg(void)
{
    char *xdg = test_mkdtemp(), path[4200];
    snprintf(path, sizeof path, "%s/ecoest", xdg);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/carbon", xdg);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/carbon/zones.csv", xdg);
    test_write_file(path, zones_overlay);
    return xdg;
}

static void run_where(test_run *r, const char *const *args, const char *xdg)
{
    char *argv[40], bin[4096], env_xdg[4200];
    char *env[4];
    size_t i, n = 0;
    snprintf(bin, sizeof bin, "%s", getenv("ECOEST_BIN"));
    argv[n++] = bin;
    argv[n++] = (char *)"where";
    for (i = 0; args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    snprintf(env_xdg, sizeof env_xdg, "XDG_CONFIG_HOME=%s", xdg);
    env[0] = env_xdg;
    env[1] = (char *)"ECOEST_ZONES_PATH=";
    env[2] = (char *)"XDG_CACHE_HOME=/nonexistent-ecoest-cache";
    env[3] = NULL;
    test_run_argv(r, argv, NULL, env);
}

static char *write_sites(const char *dir, const char *content)
{
    char *p = malloc(4200);
    assert_non_null(p);
    snprintf(p, 4200, "%s/sites.csv", dir);
    test_write_file(p, content);
    return p;
}

static cJSON *site_at(cJSON *root, int i)
{
    cJSON *sites = cJSON_GetObjectItemCaseSensitive(root, "sites");
    assert_true(cJSON_IsArray(sites));
    return cJSON_GetArrayItem(sites, i);
}

static double num(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v))
        fail_msg("%s is not a number", k);
    return v->valuedouble;
}

static const char *str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsString(v))
        fail_msg("%s is not a string", k);
    return v->valuestring;
}

/* The number after the last ',' of the line starting at s. */
/* The field k from the end of the line s starts (1: the last), a number. */
static double field_from_end(const char *s, int k)
{
    char line[512], *p;
    size_t n = strcspn(s, "\n");
    assert_true(n < sizeof line);
    memcpy(line, s, n);
    line[n] = '\0';
    for (; k > 1; k--) {
        p = strrchr(line, ',');
        assert_non_null(p);
        *p = '\0';
    }
    return strtod(strrchr(line, ',') + 1, NULL);
}

#define SITES "name,zone,pue,wue\na,XA,1.5,0.5\nb,XB,,\nc,XC,1.2,\n"
#define JOB "--cores", "1", "--cpu-tdp-per-core", "100", "--hours", "10"

/* IT energy = 1 core x 100 W x 10 h = 1 kWh.
 *   a: PUE 1.5 -> 1.5 kWh x 100 g = 150 g; water 1 x 0.5 + 1.5 x 2 = 3.5 l
 *   b: PUE 1.67 (the estimate's default) -> 1.67 kWh x 400 = 668 g;
 *      water 0 + 1.67 x 1 = 1.67 l
 *   c: PUE 1.2 -> 1.2 kWh x 200 = 240 g; water unknown (XC has none)
 * By CO2e: a 150, c 240, b 668; worst 668, median 240:
 *   a saves 518 against the worst and 90 against the median. */
static void test_where_ranks_by_co2e_with_savings(void **state)
{
    char *xdg = make_xdg(), *sites = write_sites(xdg, SITES);
    const char *args[] = {"--sites", sites, JOB, "--format", "json", NULL};
    test_run r;
    cJSON *root, *s;
    (void)state;
    run_where(&r, args, xdg);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(root, "ranked_by")->valuestring, "co2e");
    assert_close(num(root, "it_energy_kwh"), 1.0, 1e-12);
    s = site_at(root, 0);
    assert_string_equal(str(s, "name"), "a");
    assert_string_equal(str(s, "zone"), "XA");
    assert_close(num(s, "pue"), 1.5, 0);
    assert_close(num(s, "energy_kwh"), 1.5, 1e-12);
    assert_close(num(s, "co2e_g"), 150.0, 1e-12);
    assert_close(num(s, "water_l"), 3.5, 1e-12);
    assert_close(num(s, "water_onsite_l"), 0.5, 1e-12);
    assert_close(num(s, "water_offsite_l"), 3.0, 1e-12);
    assert_close(num(s, "saving_vs_worst_g"), 518.0, 1e-12);
    assert_close(num(s, "saving_vs_median_g"), 90.0, 1e-12);
    s = site_at(root, 1);
    assert_string_equal(str(s, "name"), "c");
    assert_close(num(s, "co2e_g"), 240.0, 1e-12);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s, "water_l")));
    s = site_at(root, 2);
    assert_string_equal(str(s, "name"), "b");
    assert_close(num(s, "pue"), 1.67, 0);
    assert_string_equal(str(s, "pue_from"), "default");
    assert_close(num(s, "co2e_g"), 668.0, 1e-12);
    assert_close(num(s, "saving_vs_median_g"), -428.0, 1e-12);
    assert_null(site_at(root, 3));
    cJSON_Delete(root);
    test_run_free(&r);
    free(sites);
    test_rmtree(xdg);
    free(xdg);
}

/* By water: b 1.67 l, a 3.5 l, c unknown (last). Known: 2; worst 3.5,
 * median (1.67 + 3.5) / 2 = 2.585: b saves 1.83 and 0.915. CSV. */
static void test_where_ranks_by_water_unknown_last_csv(void **state)
{
    char *xdg = make_xdg(), *sites = write_sites(xdg, SITES);
    const char *args[] = {"--sites", sites, JOB, "--by", "water", "--format", "csv", NULL};
    test_run r;
    (void)state;
    run_where(&r, args, xdg);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_true(strncmp(r.out, "rank,name,zone,region,pue,wue_l_per_kwh,ci_g_co2e_per_kwh,"
                               "water_intensity_l_per_kwh,energy_kwh,co2e_g,water_onsite_l,"
                               "water_offsite_l,water_l,saving_vs_worst_l,saving_vs_median_l,"
                               "embodied_co2e_g\n",
                        strlen("rank,name,")) == 0);
    {
        /* the savings are 3.5 - 1.67, 2.585 - 1.67 and 2.585 - 3.5: compared as
           numbers (their shortest round-trip forms carry binary noise) */
        const char *l1 = strstr(r.out, "\n1,b,XB,,1.67,0,400,1,1.67,668,0,1.67,1.67,");
        const char *l2 = strstr(r.out, "\n2,a,XA,,1.5,0.5,100,2,1.5,150,0.5,3,3.5,0,");
        assert_non_null(l1);
        assert_non_null(l2);
        assert_close(strtod(l1 + strlen("\n1,b,XB,,1.67,0,400,1,1.67,668,0,1.67,1.67,"), NULL),
                     1.83, 1e-12);
        assert_close(field_from_end(l1 + 1, 2), 0.915, 1e-12);
        assert_close(field_from_end(l2 + 1, 2), -0.915, 1e-12);
        /* the embodied share, as the JSON's: the default local server, one
           package of the server class's 11 cm2 (11 x 1970 + 9140 = 30810 g)
           and the rest of the server 247080 g, 10 h of 5 years x 8766 h x
           0.2 active: (30810 + 247080) x 10 / 8766 = 317.008898015 g */
        assert_close(field_from_end(l1 + 1, 1), 2778900.0 / 8766.0, 1e-9);
        assert_non_null(strstr(r.out, "\n3,c,XC,,1.2,0,200,,1.2,240,0,,,,,"));
    }
    test_run_free(&r);
    free(sites);
    test_rmtree(xdg);
    free(xdg);
}

/* A list of cloud regions and zones. aws:eu-west-3: AWS PUE 1.15, WUE 0.15,
 * zone FR (shipped: 55.3 g, 4.81 l/kWh): 1.15 kWh x 55.3 = 63.595 g;
 * water 1 x 0.15 + 1.15 x 4.81 = 0.15 + 5.5315 = 5.6815 l. */
/* The last two numbers of the line that starts at p. */
static void last_two(const char *p, double *a, double *b)
{
    char line[512], *t[16];
    size_t n = strcspn(p, "\n"), k = 0;
    char *save = NULL, *tok;
    assert_true(n < sizeof line);
    memcpy(line, p, n);
    line[n] = '\0';
    for (tok = strtok_r(line, " ", &save); tok && k < 16; tok = strtok_r(NULL, " ", &save))
        t[k++] = tok;
    assert_true(k >= 2);
    *a = strtod(t[k - 2], NULL);
    *b = strtod(t[k - 1], NULL);
}

static void test_where_list_of_regions_and_text(void **state)
{
    char *xdg = make_xdg();
    const char *args[] = {"--sites", "XB,aws:eu-west-3", JOB, "--format", "json", NULL};
    const char *text[] = {"--sites", "XB,aws:eu-west-3", JOB, NULL};
    test_run r;
    cJSON *root, *s;
    (void)state;
    run_where(&r, args, xdg);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    root = cJSON_Parse(r.out);
    s = site_at(root, 0);
    assert_string_equal(str(s, "name"), "aws:eu-west-3");
    assert_string_equal(str(s, "region"), "aws:eu-west-3");
    assert_string_equal(str(s, "zone"), "FR");
    assert_close(num(s, "pue"), 1.15, 0);
    assert_string_equal(str(s, "pue_from"), "provider");
    assert_close(num(s, "wue_l_per_kwh"), 0.15, 0);
    assert_close(num(s, "co2e_g"), 63.595, 1e-12);
    assert_close(num(s, "water_l"), 5.6815, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
    run_where(&r, text, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "ranked by CO2e"));
    assert_non_null(strstr(r.out, "Best: aws:eu-west-3 saves"));
    assert_non_null(strstr(r.out, "PUE 1.15 (provider)"));
    /* every site's saving in the table: of two sites the median is their
       mean, so the savings against it are +d/2 and -d/2, and the worst
       saves 0 against itself; the best saves d = 2 x its median saving */
    {
        const char *l1 = strstr(r.out, "\n  1  "), *l2 = strstr(r.out, "\n  2  ");
        double w1, m1, w2, m2;
        assert_non_null(strstr(r.out, "g vs worst g vs median"));
        assert_non_null(l1);
        assert_non_null(l2);
        last_two(l1 + 1, &w1, &m1);
        last_two(l2 + 1, &w2, &m2);
        assert_close(w2, 0.0, 0.0);
        assert_close(m2, -m1, 1e-3);
        assert_close(w1, 2.0 * m1, 1e-3);
    }
    test_run_free(&r);
    test_rmtree(xdg);
    free(xdg);
}

static void test_where_errors_exit_codes(void **state)
{
    char *xdg = make_xdg(), *sites;
    const char *no_sites[] = {JOB, NULL};
    const char *missing[] = {"--sites", "/nonexistent/sites.csv", JOB, NULL};
    const char *bad_zone[] = {"--sites", "XA,UK-NOWHERE", JOB, NULL};
    const char *help[] = {"--help", NULL};
    const char *no_hours[] = {"--sites", "XA", "--cores", "1", "--cpu-tdp", "10", NULL};
    test_run r;
    (void)state;
    run_where(&r, no_sites, xdg);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--sites"));
    test_run_free(&r);
    run_where(&r, no_hours, xdg);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--hours"));
    test_run_free(&r);
    run_where(&r, missing, xdg);
    assert_int_equal(r.status, 66);
    test_run_free(&r);
    run_where(&r, bad_zone, xdg);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "unknown zone \"UK-NOWHERE\""));
    assert_string_equal(r.out, "");
    test_run_free(&r);
    sites = write_sites(xdg, "name,zone,pue,wue\na,XA,0.5,\n");
    {
        const char *bad_file[] = {"--sites", sites, JOB, NULL};
        run_where(&r, bad_file, xdg);
        assert_int_equal(r.status, 65);
        assert_non_null(strstr(r.err, "sites.csv:2: column pue: expected an empty field or a "
                                      "PUE from 1 to 3, got \"0.5\""));
        test_run_free(&r);
    }
    free(sites);
    run_where(&r, help, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--sites FILE|LIST"));
    test_run_free(&r);
    test_rmtree(xdg);
    free(xdg);
}

/* The library: a malformed sites file says where; duplicate names. */
static void test_where_sites_file_checks(void **state)
{
    char *d = test_mkdtemp(), *p;
    est_site *s = NULL;
    size_t n = 0;
    est_error e;
    (void)state;
    p = write_sites(d, "name,zone,pue,wue\na,FR,,\na,DE,,\n");
    assert_int_equal(est_sites_read(&s, &n, p, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "sites.csv:3: column name: site \"a\" already defined at "));
    free(p);
    p = write_sites(d, "name,zone,pue,wue\n");
    assert_int_equal(est_sites_read(&s, &n, p, &e), EST_ENODATA);
    free(p);
    p = write_sites(d, "name,zone\na,FR\n");
    assert_int_equal(est_sites_read(&s, &n, p, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "expected the header name,zone,pue,wue"));
    free(p);
    p = write_sites(d, "name,zone,pue,wue\nl\x1b" "ab,FR,,\n");
    assert_int_equal(est_sites_read(&s, &n, p, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "column name: expected a name"));
    free(p);
    p = write_sites(d, "name,zone,pue,wue\nlab,FR,1.3,0.2\ncloud,aws:eu-west-3,,\n");
    assert_int_equal(est_sites_read(&s, &n, p, &e), EST_OK);
    assert_int_equal(n, 2);
    assert_close(s[0].pue, 1.3, 0);
    assert_close(s[0].wue_l_per_kwh, 0.2, 0);
    assert_close(s[1].pue, EST_UNSET, 0);
    assert_string_equal(s[1].place, "aws:eu-west-3");
    free(s);
    free(p);
    test_rmtree(d);
    free(d);
}

/* est_sites_evaluate: a place no table knows names the input (the zone or
   the cloud region) and the value refused, for the suggest calls. */
static void test_where_unknown_place_names_input_and_value(void **state)
{
    char *d = test_mkdtemp(), zp[4200], rp[4200];
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_sites_options so = EST_SITES_OPTIONS_INIT;
    est_zones *zones = NULL;
    est_regions *regions = NULL;
    est_sites_result res;
    est_suggestions s;
    est_site site;
    est_error e;
    (void)state;
    snprintf(zp, sizeof zp, "%s/zones.csv", d);
    test_write_file(zp, zones_overlay);
    zo.shipped_file = zp;
    zo.aliases_file = "";
    assert_int_equal(est_zones_open(&zones, &zo, &e), EST_OK);
    snprintf(rp, sizeof rp, "%s/regions.csv", d);
    test_write_file(rp, "provider,region,location,zone,pue,wue_l_per_kwh,source\n"
                        "aws,*,AWS,,1.15,,report\n"
                        "aws,eu-west-3,Paris,XA,,,x\n");
    assert_int_equal(est_regions_open(&regions, rp, zones, &e), EST_OK);
    memset(&site, 0, sizeof site);
    strcpy(site.name, "lab");
    site.pue = EST_UNSET;
    site.wue_l_per_kwh = EST_UNSET;
    so.it_energy_kwh = 1.0;

    /* "XD": XA, XB and XC are one letter off: 2 x 1 = 2 each, code order */
    strcpy(site.place, "XD");
    assert_int_equal(est_sites_evaluate(&res, &site, zones, regions, &so, &e), EST_ENOTFOUND);
    assert_int_equal(e.input, EST_INPUT_ZONE);
    assert_string_equal(e.value, "XD");
    assert_int_equal(est_zones_suggest(&s, zones, e.value), EST_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.names[0], "XA");
    assert_string_equal(s.names[1], "XB");
    assert_string_equal(s.names[2], "XC");

    /* "euwast3" is one letter from aws's only region */
    strcpy(site.place, "aws:eu-wast-3");
    assert_int_equal(est_sites_evaluate(&res, &site, zones, regions, &so, &e), EST_ENOTFOUND);
    assert_int_equal(e.input, EST_INPUT_CLOUD);
    assert_string_equal(e.value, "aws:eu-wast-3");
    assert_int_equal(est_regions_suggest(&s, regions, e.value), EST_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "aws:eu-west-3");

    /* no regions table: no lookup refused the place, no value */
    assert_int_equal(est_sites_evaluate(&res, &site, zones, NULL, &so, &e), EST_ENOTFOUND);
    assert_int_equal(e.input, EST_INPUT_NONE);
    assert_string_equal(e.value, "");

    est_regions_free(regions);
    est_zones_free(zones);
    test_rmtree(d);
    free(d);
}

/* est_sites_rank on its own: an odd count's median is the middle value. */
static void test_where_rank_median_odd(void **state)
{
    est_sites_result r[3];
    (void)state;
    memset(r, 0, sizeof r);
    r[0].co2e_g = 30.0;
    r[1].co2e_g = 10.0;
    r[2].co2e_g = 20.0;
    strcpy(r[0].name, "x");
    est_sites_rank(r, 3, EST_SITES_RANK_BY_CO2E);
    assert_close(r[0].co2e_g, 10.0, 0);
    assert_close(r[2].co2e_g, 30.0, 0);
    assert_string_equal(r[2].name, "x");
    /* worst 30, median 20: 10 saves 20 and 10; 30 saves 0 and -10 */
    assert_close(r[0].saving_vs_worst, 20.0, 0);
    assert_close(r[0].saving_vs_median, 10.0, 0);
    assert_close(r[2].saving_vs_median, -10.0, 0);
}

/* Runs the estimate (ecoest ARGS), with run_where's environment. */
static void run_estimate(test_run *r, const char *const *args, const char *xdg)
{
    char *argv[40], bin[4096], env_xdg[4200];
    char *env[4];
    size_t i, n = 0;
    snprintf(bin, sizeof bin, "%s", getenv("ECOEST_BIN"));
    argv[n++] = bin;
    for (i = 0; args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    snprintf(env_xdg, sizeof env_xdg, "XDG_CONFIG_HOME=%s", xdg);
    env[0] = env_xdg;
    env[1] = (char *)"ECOEST_ZONES_PATH=";
    env[2] = (char *)"XDG_CACHE_HOME=/nonexistent-ecoest-cache";
    env[3] = NULL;
    test_run_argv(r, argv, NULL, env);
}

static double num_at(cJSON *o, const char *k1, const char *k2)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k1);
    if (k2)
        v = cJSON_GetObjectItemCaseSensitive(v, k2);
    if (!cJSON_IsNumber(v))
        fail_msg("%s%s%s is not a number", k1, k2 ? "." : "", k2 ? k2 : "");
    return v->valuedouble;
}

/* Every figure of a site equals, exactly (==), the estimate's JSON for the
   same job at that place: where and the estimate run one pipeline. */
static void same_as_estimate(const char *xdg, const char *site, const char *place_opt,
                             const char *place, const char *const *job, const char *pue,
                             const char *wue)
{
    const char *wargs[40], *eargs[40];
    size_t n = 0, m = 0, i;
    test_run r, q;
    cJSON *w, *e, *s;
    wargs[n++] = "--sites";
    wargs[n++] = site;
    eargs[m++] = place_opt;
    eargs[m++] = place;
    for (i = 0; job[i]; i++)
        wargs[n++] = eargs[m++] = job[i];
    if (pue) {
        eargs[m++] = "--pue";
        eargs[m++] = pue;
    }
    if (wue) {
        eargs[m++] = "--wue";
        eargs[m++] = wue;
    }
    wargs[n++] = eargs[m++] = "--format";
    wargs[n++] = eargs[m++] = "json";
    wargs[n] = eargs[m] = NULL;
    run_where(&r, wargs, xdg);
    if (r.status != 0)
        fail_msg("where: exit %d: %s", r.status, r.err);
    run_estimate(&q, eargs, xdg);
    if (q.status != 0)
        fail_msg("estimate: exit %d: %s", q.status, q.err);
    w = cJSON_Parse(r.out);
    e = cJSON_Parse(q.out);
    assert_non_null(w);
    assert_non_null(e);
    s = site_at(w, 0);
    assert_true(num(s, "energy_kwh") == num_at(e, "energy_kwh", NULL));
    assert_true(num(s, "co2e_g") == num_at(e, "co2e_g", NULL));
    assert_true(num(s, "operational_co2e_g") == num_at(e, "operational_co2e_g", NULL));
    assert_true(num(s, "pue") == num_at(e, "pue", NULL));
    assert_true(num(s, "ci_g_co2e_per_kwh") == num_at(e, "carbon_intensity_g_co2e_per_kwh", NULL));
    assert_true(num(s, "water_l") == num_at(e, "water", "water_l"));
    assert_true(num(s, "water_onsite_l") == num_at(e, "water", "water_onsite_l"));
    assert_true(num(s, "water_offsite_l") == num_at(e, "water", "water_offsite_l"));
    assert_true(num(s, "wue_l_per_kwh") == num_at(e, "water", "wue_l_per_kwh"));
    assert_true(num(s, "water_intensity_l_per_kwh") == num_at(e, "water", "offsite_l_per_kwh"));
    assert_true(num(s, "embodied_co2e_g") == num_at(e, "embodied", "embodied_co2e_g"));
    assert_string_equal(str(s, "zone"), cJSON_GetObjectItemCaseSensitive(e, "zone")->valuestring);
    cJSON_Delete(w);
    cJSON_Delete(e);
    test_run_free(&r);
    test_run_free(&q);
}

/* A named CPU, GPUs, memory, the embodied share added, the allocation
   scope: at a zone with the site's PUE and WUE, at a cloud region (the
   provider's PUE and WUE), and at a zone with the default PUE. */
static void test_where_site_equals_the_estimate(void **state)
{
    char *xdg = make_xdg(), *sites;
    const char *job[] = {"--cpu", "Xeon Gold 5218", "--cores", "8", "--cpu-usage", "0.5",
                         "--gpu-tdp", "300", "--gpus", "2", "--gpu-usage", "0.8",
                         "--memory", "64", "--runtime", "3h30m", "--runs", "2",
                         "--scope", "allocation", "--include-embodied", NULL};
    (void)state;
    sites = write_sites(xdg, "name,zone,pue,wue\nours,XA,1.3,0.7\n");
    same_as_estimate(xdg, sites, "--zone", "XA", job, "1.3", "0.7");
    same_as_estimate(xdg, "aws:eu-west-3", "--cloud", "aws:eu-west-3", job, NULL, NULL);
    same_as_estimate(xdg, "XB", "--zone", "XB", job, NULL, NULL);
    free(sites);
    test_rmtree(xdg);
    free(xdg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_where_ranks_by_co2e_with_savings),
        cmocka_unit_test(test_where_ranks_by_water_unknown_last_csv),
        cmocka_unit_test(test_where_list_of_regions_and_text),
        cmocka_unit_test(test_where_errors_exit_codes),
        cmocka_unit_test(test_where_sites_file_checks),
        cmocka_unit_test(test_where_unknown_place_names_input_and_value),
        cmocka_unit_test(test_where_rank_median_odd),
        cmocka_unit_test(test_where_site_equals_the_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
