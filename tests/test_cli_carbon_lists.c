/* ecoest carbon zones and regions: the listings, in the library's order;
 * a zone table figure has no coverage ("no data", never 100 %); where a job
 * runs (--cloud, --platform), its water and its embodied share. */
#include <cjson/cJSON.h>

#include "test_util.h"

static char bin[4096];

static void run(test_run *r, ...)
{
    char *argv[16];
    size_t n = 0;
    va_list ap;
    argv[n++] = bin;
    va_start(ap, r);
    while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
        n++;
    va_end(ap);
    argv[n] = NULL;
    test_run_argv(r, argv, NULL, NULL);
}

/* "FR" lists France first and never South Africa (whose name holds "fr");
   "UK" finds Great Britain by its alias, first. The text listing has the
   water column of csv and json: carbon/zones.csv:64 "FR,France,55.3,2023,
   lifecycle,4.81,...", :66 "GB,United Kingdom,228.2,2023,lifecycle,1.31,...",
   and "-" where the table has none, :212 "XK,Kosovo,918.2,2023,lifecycle,,...". */
static void test_cli_carbon_zones_search_code_first(void **state)
{
    test_run r;
    (void)state;
    run(&r, "carbon", "zones", "FR", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(strchr(r.out, '\n') + 1, "FR ", 3) == 0);
    assert_null(strstr(r.out, "South Africa"));
    /* ZONE (16) NAME (32) gCO2e/kWh (10) YEAR (5) SCOPE (9) water (11) ORIGIN */
    assert_true(strncmp(r.out, "ZONE             NAME                              gCO2e/kWh  "
                               "YEAR SCOPE     water l/kWh ORIGIN\n", 96) == 0);
    assert_true(strncmp(strchr(r.out, '\n') + 1,
                        "FR               France                                 55.3  2023 "
                        "lifecycle        4.81 ", 89) == 0);
    assert_non_null(strstr(r.out, "/carbon/zones.csv:64\n"));
    test_run_free(&r);
    run(&r, "carbon", "zones", "UK", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(strchr(r.out, '\n') + 1,
                        "GB               United Kingdom                        228.2  2023 "
                        "lifecycle        1.31 ", 89) == 0);
    test_run_free(&r);
    run(&r, "carbon", "zones", "XK", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(strchr(r.out, '\n') + 1,
                        "XK               Kosovo                                918.2  2023 "
                        "lifecycle           - ", 89) == 0);
    test_run_free(&r);
}

/* The regions of Paris: three providers, each with its zone FR. */
static void test_cli_carbon_regions_listing(void **state)
{
    test_run r;
    cJSON *root, *it;
    int n = 0;
    (void)state;
    run(&r, "carbon", "regions", "paris", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    cJSON_ArrayForEach(it, root) {
        assert_string_equal(cJSON_GetObjectItem(it, "zone")->valuestring, "FR");
        assert_true(cJSON_GetObjectItem(it, "pue")->valuedouble >= 1.0);
        n++;
    }
    assert_true(n >= 3);
    cJSON_Delete(root);
    test_run_free(&r);
    /* fr names France: its regions only (not Frankfurt's, not Africa's);
       UK names GB through its alias: aws:eu-west-2 among them */
    {
        static const char *const q[][2] = {{"fr", "FR"}, {"UK", "GB"}};
        size_t k;
        for (k = 0; k < 2; k++) {
            int has_eu_west_2 = 0;
            run(&r, "carbon", "regions", q[k][0], "--format", "json", NULL);
            assert_int_equal(r.status, 0);
            root = cJSON_Parse(r.out);
            assert_non_null(root);
            n = 0;
            cJSON_ArrayForEach(it, root) {
                assert_string_equal(cJSON_GetObjectItem(it, "zone")->valuestring, q[k][1]);
                if (strcmp(cJSON_GetObjectItem(it, "region")->valuestring, "eu-west-2") == 0)
                    has_eu_west_2 = 1;
                n++;
            }
            assert_true(n >= 3);
            assert_int_equal(has_eu_west_2, k == 1);
            cJSON_Delete(root);
            test_run_free(&r);
        }
    }
    run(&r, "carbon", "regions", "nowhere-at-all", NULL);
    assert_int_equal(r.status, 0); /* an empty listing is not an error */
    assert_non_null(strstr(r.err, "no region matches"));
    test_run_free(&r);
}

/* An estimate on the zone table: the carbon object's coverage is null,
   not 1 (issue 14 #23). */
static void test_cli_carbon_table_figure_has_no_coverage(void **state)
{
    test_run r;
    cJSON *root, *c;
    (void)state;
    run(&r, "--cores", "1", "--cpu-tdp", "10", "--hours", "1", "--zone", "FR", "--format",
        "json", NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    c = cJSON_GetObjectItem(root, "carbon");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "coverage_frac")));
    cJSON_Delete(root);
    test_run_free(&r);
}

static double num_at(cJSON *o, const char *a, const char *b)
{
    cJSON *x = cJSON_GetObjectItem(o, a);
    if (b)
        x = cJSON_GetObjectItem(x, b);
    if (!cJSON_IsNumber(x))
        fail_msg("no number at %s.%s", a, b ? b : "");
    return x->valuedouble;
}

/* --cloud aws:eu-west-3: zone FR, AWS's PUE 1.15 and WUE 0.15 l/kWh.
   8 cores x (150 W / 8) x 10 h = 1.5 kWh of IT energy; x 1.15 = 1.725 kWh.
   Water: on site 1.5 x 0.15 = 0.225 l; off site 1.5 x 1.15 x w, w the
   zone's intensity (offsite_l_per_kwh). */
static void test_cli_cloud_region_sets_zone_pue_and_water(void **state)
{
    test_run r;
    cJSON *j;
    double w;
    (void)state;
    run(&r, "--cloud", "aws:eu-west-3", "--cores", "8", "--cpu-tdp", "150", "--hours", "10",
        "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "zone")->valuestring, "FR");
    assert_close(num_at(j, "pue", NULL), 1.15, 1e-12);
    assert_close(num_at(j, "energy_kwh", NULL), 1.725, 1e-12);
    assert_close(num_at(j, "water", "water_onsite_l"), 0.225, 1e-12);
    w = num_at(j, "water", "offsite_l_per_kwh");
    assert_true(w > 0.0);
    assert_close(num_at(j, "water", "water_offsite_l"), 1.5 * 1.15 * w, 1e-12);
    assert_close(num_at(j, "water", "water_l"), 0.225 + 1.5 * 1.15 * w, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    /* a --pue given wins over the provider's; an unknown region is 65 */
    run(&r, "--cloud", "aws:eu-west-3", "--pue", "1.5", "--cores", "8", "--cpu-tdp", "150",
        "--hours", "10", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_close(num_at(j, "pue", NULL), 1.5, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cloud", "aws:nowhere-1", "--cores", "8", "--cpu-tdp", "150", "--hours", "10",
        NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
}

/* --platform laptop: PUE 1 (no data centre); the embodied share is shown
   apart, and added to the headline only with --include-embodied. */
static void test_cli_platform_and_embodied_share(void **state)
{
    test_run r;
    cJSON *j;
    double op, em;
    (void)state;
    run(&r, "--platform", "laptop", "--cores", "4", "--cpu-tdp", "15", "--hours", "2",
        "--zone", "FR", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_close(num_at(j, "pue", NULL), 1.0, 0);
    /* 4 x 3.75 W x 2 h = 30 Wh = 0.03 kWh x 55.3 = 1.659 g */
    op = num_at(j, "operational_co2e_g", NULL);
    assert_close(num_at(j, "energy_kwh", NULL), 0.03, 1e-12);
    assert_close(num_at(j, "co2e_g", NULL), op, 0);
    em = num_at(j, "embodied", "embodied_co2e_g");
    assert_true(em > 0.0);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "embodied"),
                                                  "included")));
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--platform", "laptop", "--cores", "4", "--cpu-tdp", "15", "--hours", "2",
        "--zone", "FR", "--include-embodied", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_close(num_at(j, "co2e_g", NULL), op + em, 1e-12);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "embodied"),
                                                 "included")));
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--platform", "mainframe", "--cores", "4", "--cpu-tdp", "15", "--hours", "2", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
}

/* The rest of the server (embodied share) is the job's share of the node
   by cores when the node is described, as ecoest jobs shares it: the
   default local-server platform, 5 years at 20 % active use: 2 h / (5 x
   8766 x 0.2) = 2 / 8766 of the hardware's life; the rest of a server
   247080 g (carbon/embodied.csv):
     no node given:       247080 x 2 / 8766          = 56.372347707 g
     4 of 32 node cores:  247080 x 2 / 8766 x 4 / 32 = 7.046543463 g
     2 of 8 node GPUs, no node cores: x 2 / 8        = 14.093086927 g */
static void test_cli_embodied_rest_is_the_jobs_share_of_the_node(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cores", "4", "--cpu-tdp", "100", "--hours", "2", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_close(num_at(j, "embodied", "rest_g"), 247080.0 * 2.0 / 8766.0, 1e-9);
    cJSON_Delete(j);
    assert_non_null(strstr(r.out, "Rest of the server (embodied share): all of it held (the "
                                  "node's cores not given)"));
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp", "100", "--hours", "2", "--node-cores", "32",
        "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_close(num_at(j, "embodied", "rest_g"), 247080.0 * 2.0 / 8766.0 * 4.0 / 32.0, 1e-9);
    cJSON_Delete(j);
    assert_non_null(strstr(r.out, "Rest of the server (embodied share): 4 of the node's 32 "
                                  "cores held, 0.125 of its other parts"));
    test_run_free(&r);
    /* the CSV carries the parts: the CPU one package of the server class
       (no model: 11 cm2 x 1970 + 9140 = 30810 g) x 2 / 8766; no GPU, no
       memory; the rest as above */
    run(&r, "--cores", "4", "--cpu-tdp", "100", "--hours", "2", "--node-cores", "32",
        "--format", "csv", NULL);
    assert_int_equal(r.status, 0);
    {
        char v[64];
        assert_int_equal(test_csv_field(r.out, "embodied_cpu_g", v, sizeof v), 0);
        assert_close(strtod(v, NULL), 30810.0 * 2.0 / 8766.0, 1e-9);
        assert_int_equal(test_csv_field(r.out, "embodied_gpu_g", v, sizeof v), 0);
        assert_string_equal(v, "0");
        assert_int_equal(test_csv_field(r.out, "embodied_memory_g", v, sizeof v), 0);
        assert_string_equal(v, "0");
        assert_int_equal(test_csv_field(r.out, "embodied_rest_g", v, sizeof v), 0);
        assert_close(strtod(v, NULL), 247080.0 * 2.0 / 8766.0 * 4.0 / 32.0, 1e-9);
        assert_int_equal(test_csv_field(r.out, "embodied_co2e_g", v, sizeof v), 0);
        assert_close(strtod(v, NULL), (30810.0 + 247080.0 / 8.0) * 2.0 / 8766.0, 1e-9);
    }
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp", "100", "--gpus", "2", "--gpu-tdp", "300", "--hours",
        "2", "--node-gpus", "8", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_close(num_at(j, "embodied", "rest_g"), 247080.0 * 2.0 / 8766.0 * 2.0 / 8.0, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_carbon_zones_search_code_first),
        cmocka_unit_test(test_cli_carbon_regions_listing),
        cmocka_unit_test(test_cli_carbon_table_figure_has_no_coverage),
        cmocka_unit_test(test_cli_cloud_region_sets_zone_pue_and_water),
        cmocka_unit_test(test_cli_platform_and_embodied_share),
        cmocka_unit_test(test_cli_embodied_rest_is_the_jobs_share_of_the_node),
    };
    const char *b = getenv("ECOEST_BIN");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
