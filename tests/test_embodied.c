/* The embodied share (Green Algorithms v3.1's method) and carbon/embodied.csv. */
#include "test_util.h"

#include "ecoest/embodied.h"

static char path_of[4096];

static est_embodied_factors *shipped(void)
{
    est_embodied_factors *f = NULL;
    est_error e;
    snprintf(path_of, sizeof path_of, "%s/carbon/embodied.csv", getenv("ECOEST_SOURCE_DIR"));
    if (est_embodied_factors_open(&f, path_of, &e) != EST_OK)
        fail_msg("%s", e.message);
    return f;
}

static void test_embodied_shipped_factors(void **state)
{
    est_embodied_factors *f = shipped();
    const char *src = NULL;
    double v = 0;
    (void)state;
    assert_int_equal(est_embodied_factor(&v, &src, f, "cpu_die_g_co2e_per_cm2"), EST_OK);
    assert_close(v, 1970.0, 0);
    assert_non_null(strstr(src, "Umweltbundesamt"));
    /* a rack server's other parts: 24300 + 66100 + 150000 + 6680 = 247080 g */
    assert_int_equal(est_embodied_factor(&v, NULL, f, "server_rest_g_co2e"), EST_OK);
    assert_close(v, 247080.0, 0);
    /* 7 h x 252 days / 8766 h = 1764 / 8766 = 0.20123, written 0.2012 */
    assert_int_equal(est_embodied_factor(&v, NULL, f, "active_frac_laptop"), EST_OK);
    assert_close(v, 0.2012, 0);
    assert_int_equal(est_embodied_factor(&v, NULL, f, "nothing"), EST_ENOTFOUND);
    est_embodied_factors_free(f);
}

/* One CPU of 2 cm2 on a local server for 10 h:
 * active hours = 5 y x 8766 h x 0.2 = 8766 h; share = 10 / 8766;
 * CPU = 2 x 1970 + 9140 = 13080 g; its share = 130800 / 8766 = 14.9213 g. */
static void test_embodied_one_cpu_on_a_local_server(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    (void)state;
    in.platform = EST_REGIONS_PLATFORM_LOCAL_SERVER;
    in.hours_held = 10.0;
    in.cpu_count = 1.0;
    in.cpu_die_area_cm2 = 2.0;
    in.server_frac = 0.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.share_frac, 10.0 / 8766.0, 1e-12);
    assert_close(r.cpu_manufacturing_g, 13080.0, 1e-12);
    assert_close(r.cpu_g, 14.92129, 1e-6);
    assert_close(r.gpu_g, 0.0, 0);
    assert_close(r.memory_g, 0.0, 0);
    assert_close(r.rest_g, 0.0, 0);
    assert_close(r.total_g, 14.92129, 1e-6);
    assert_close(r.lifetime_years, 5.0, 0);
    assert_close(r.active_frac, 0.2, 0);
    est_embodied_factors_free(f);
}

/* Cloud, 6 h: 2 GPUs (default 6.162 cm2), half a CPU (default 11 cm2), 64 GB,
 * a quarter of the server.
 *   active hours = 3 y x 8766 x 0.5 = 13149; share = 6 / 13149
 *   GPUs   = 2 x (6.162 x 1970 + 26970) = 2 x (12139.14 + 26970) = 78218.28 g
 *   CPU    = 0.5 x (11 x 1970 + 9140) = 0.5 x 30810 = 15405 g
 *   memory = 64 / 1.8762 x 2200 + 64 / 32 x 5220 = 34.111502 x 2200 + 10440
 *          = 75045.30 + 10440 = 85485.30 g
 *   rest   = 0.25 x 247080 = 61770 g
 *   total  = 240878.58 g x 6 / 13149 = 109.9149 g */
static void test_embodied_gpus_memory_and_part_of_a_cloud_server(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    (void)state;
    in.platform = EST_REGIONS_PLATFORM_CLOUD;
    in.hours_held = 6.0;
    in.gpu_count = 2.0;
    in.cpu_count = 0.5;
    in.memory_gb = 64.0;
    in.server_frac = 0.25;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.gpu_manufacturing_g, 78218.28, 1e-9);
    assert_close(r.cpu_manufacturing_g, 15405.0, 1e-12);
    assert_close(r.memory_manufacturing_g, 85485.30, 1e-6);
    assert_close(r.rest_manufacturing_g, 61770.0, 1e-12);
    assert_close(r.total_g, 109.9149, 1e-5);
    assert_close(r.gpu_g + r.cpu_g + r.memory_g + r.rest_g, r.total_g, 1e-12);
    assert_close(r.gpu_die_area_cm2, 6.162, 0);
    est_embodied_factors_free(f);
}

/* A laptop for 7 h with its defaults, then the lifetime and active fraction
 * overridden: 4 y x 8766 x 1 = 35064 h, share 7 / 35064; the laptop's other
 * parts 125000 g -> 7 x 125000 / 35064 = 24.9544 g. */
static void test_embodied_laptop_and_overrides(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    (void)state;
    in.platform = EST_REGIONS_PLATFORM_LAPTOP;
    in.hours_held = 7.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    /* 5 y x 8766 x 0.2012 = 8818.596 h */
    assert_close(r.share_frac, 7.0 / 8818.596, 1e-9);
    assert_close(r.rest_manufacturing_g, 125000.0, 0);
    in.lifetime_years = 4.0;
    in.active_frac = 1.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.rest_g, 24.9544, 1e-5);
    est_embodied_factors_free(f);
}

static void test_embodied_rejects_bad_inputs(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT, b;
    est_embodied_result r;
    est_error e;
    (void)state;
    in.hours_held = 1.0;
    b = in;
    b.hours_held = 0.0;
    assert_int_equal(est_embodied_compute(&r, f, &b, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "hours_held"));
    b = in;
    b.active_frac = 1.5;
    assert_int_equal(est_embodied_compute(&r, f, &b, &e), EST_EINVAL);
    b = in;
    b.server_frac = 2.0;
    assert_int_equal(est_embodied_compute(&r, f, &b, &e), EST_EINVAL);
    b = in;
    b.gpu_count = NAN;
    assert_int_equal(est_embodied_compute(&r, f, &b, &e), EST_EINVAL);
    b = in;
    b.platform = (est_regions_platform)7;
    assert_int_equal(est_embodied_compute(&r, f, &b, &e), EST_EINVAL);
    b = in;
    b.lifetime_years = 0.0;
    assert_int_equal(est_embodied_compute(&r, f, &b, &e), EST_EINVAL);
    est_embodied_factors_free(f);
}

static void check_bad(const char *content, const char *tail, unsigned long line)
{
    char *d = test_mkdtemp(), path[4200], want[4400];
    est_embodied_factors *f = NULL;
    est_error e;
    snprintf(path, sizeof path, "%s/embodied.csv", d);
    test_write_file(path, content);
    assert_int_equal(est_embodied_factors_open(&f, path, &e), EST_EPARSE);
    assert_null(f);
    if (line)
        snprintf(want, sizeof want, "%s:%lu: %s", path, line, tail);
    else
        snprintf(want, sizeof want, "%s: %s", path, tail);
    if (strcmp(e.message, want) != 0)
        fail_msg("message \"%s\", expected \"%s\"", e.message, want);
    test_rmtree(d);
    free(d);
}

static void test_embodied_malformed_factors_say_where(void **state)
{
    (void)state;
    check_bad("key,value,source\nnothing,1,x\n",
              "column key: expected a key of docs/method.md's list, got \"nothing\"", 2);
    check_bad("key,value,source\nram_strip_gb,32,x\nram_strip_gb,16,y\n",
              "column key: expected each key once, got \"ram_strip_gb\"", 3);
    check_bad("key,value,source\nactive_frac_laptop,1.5,x\n",
              "column value: expected a fraction above 0, at most 1, got \"1.5\"", 2);
    check_bad("key,value,source\nram_strip_gb,0,x\n",
              "column value: expected a number above 0, got \"0\"", 2);
    check_bad("key,value,source\nram_strip_gb,32,\x07\n",
              "column source: expected the source (printable UTF-8, 1 to 1023 bytes), got "
              "\"?\"", 2);
    check_bad("key,value,source\nram_strip_gb,32,x\n",
              "no row for the key cpu_die_g_co2e_per_cm2", 0);
    check_bad("key,value\n", "expected the header key,value,source", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embodied_shipped_factors),
        cmocka_unit_test(test_embodied_one_cpu_on_a_local_server),
        cmocka_unit_test(test_embodied_gpus_memory_and_part_of_a_cloud_server),
        cmocka_unit_test(test_embodied_laptop_and_overrides),
        cmocka_unit_test(test_embodied_rejects_bad_inputs),
        cmocka_unit_test(test_embodied_malformed_factors_say_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
