/* ecoest carbon zones and regions: the listings, in the library's order;
 * a zone table figure has no coverage ("no data", never 100 %). */
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
   "UK" finds Great Britain by its alias, first. */
static void test_cli_carbon_zones_search_code_first(void **state)
{
    test_run r;
    (void)state;
    run(&r, "carbon", "zones", "FR", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(strchr(r.out, '\n') + 1, "FR ", 3) == 0);
    assert_null(strstr(r.out, "South Africa"));
    test_run_free(&r);
    run(&r, "carbon", "zones", "UK", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(strchr(r.out, '\n') + 1, "GB ", 3) == 0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_carbon_zones_search_code_first),
        cmocka_unit_test(test_cli_carbon_regions_listing),
        cmocka_unit_test(test_cli_carbon_table_figure_has_no_coverage),
    };
    const char *b = getenv("ECOEST_BIN");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
