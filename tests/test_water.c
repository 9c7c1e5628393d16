/* The water footprint (Li et al.) and the per-source water factors. */
#include "test_util.h"

#include "ecoest/water.h"
#include "ecoest/zones.h"

static void test_water_footprint_is_onsite_plus_offsite(void **state)
{
    est_water_inputs in = EST_WATER_INPUTS_INIT;
    est_water_result r;
    est_error e;
    (void)state;
    in.it_energy_kwh = 10.0;
    in.pue = 1.5;
    in.wue_l_per_kwh = 1.8;
    in.offsite_l_per_kwh = 3.0;
    assert_int_equal(est_water_compute(&r, &in, &e), EST_OK);
    /* on-site 10 kWh x 1.8 l/kWh = 18 l; off-site 10 x 1.5 x 3.0 = 45 l; 63 l */
    assert_close(r.onsite_l, 18.0, 1e-12);
    assert_close(r.offsite_l, 45.0, 1e-12);
    assert_close(r.water_l, 63.0, 1e-12);
    assert_close(r.wue_l_per_kwh, 1.8, 0);
}

static void test_water_unset_wue_is_zero_and_unknown_grid_is_unknown(void **state)
{
    est_water_inputs in = EST_WATER_INPUTS_INIT;
    est_water_result r;
    est_error e;
    (void)state;
    in.it_energy_kwh = 2.0;
    in.pue = 1.2;
    in.offsite_l_per_kwh = 4.0;
    assert_int_equal(est_water_compute(&r, &in, &e), EST_OK);
    /* on-site 0; off-site 2 x 1.2 x 4 = 9.6 l */
    assert_close(r.onsite_l, 0.0, 0);
    assert_close(r.water_l, 9.6, 1e-12);
    in.wue_l_per_kwh = 0.5;
    in.offsite_l_per_kwh = EST_UNSET;
    assert_int_equal(est_water_compute(&r, &in, &e), EST_OK);
    assert_close(r.onsite_l, 1.0, 1e-12); /* 2 x 0.5 */
    assert_close(r.offsite_l, EST_UNSET, 0);
    assert_close(r.water_l, EST_UNSET, 0);
}

static void test_water_rejects_bad_inputs(void **state)
{
    est_water_inputs in = EST_WATER_INPUTS_INIT, bad;
    est_water_result r;
    est_error e;
    (void)state;
    in.it_energy_kwh = 1.0;
    bad = in;
    bad.pue = 0.9;
    assert_int_equal(est_water_compute(&r, &bad, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "pue"));
    bad = in;
    bad.wue_l_per_kwh = -2.0;
    assert_int_equal(est_water_compute(&r, &bad, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "wue_l_per_kwh"));
    bad = in;
    bad.wue_l_per_kwh = 101.0;
    assert_int_equal(est_water_compute(&r, &bad, &e), EST_EINVAL);
    bad = in;
    bad.offsite_l_per_kwh = NAN;
    assert_int_equal(est_water_compute(&r, &bad, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "offsite_l_per_kwh"));
    bad = in;
    bad.it_energy_kwh = INFINITY;
    assert_int_equal(est_water_compute(&r, &bad, &e), EST_EINVAL);
    bad = in;
    bad.version = 9;
    assert_int_equal(est_water_compute(&r, &bad, &e), EST_EINVAL);
    assert_int_equal(est_water_compute(NULL, &in, &e), EST_EINVAL);
}

static char path_of[4096];
static const char *shipped_factors(void)
{
    snprintf(path_of, sizeof path_of, "%s/carbon/water-factors.csv", getenv("ECOEST_SOURCE_DIR"));
    return path_of;
}

static void test_water_shipped_factors_and_a_mix(void **state)
{
    est_water_factors *wf = NULL;
    const char *types[] = {"nuclear", "hydro", "gas"};
    const double mwh[] = {70.0, 10.0, 20.0};
    est_error e;
    double v = 0.0;
    size_t i;
    (void)state;
    assert_int_equal(est_water_factors_open(&wf, shipped_factors(), &e), EST_OK);
    assert_int_equal(est_water_factors_count(wf), 10);
    for (i = 0; i < est_water_factors_count(wf); i++) {
        const est_water_factor *f = est_water_factors_at(wf, i);
        assert_string_equal(f->scope, "operational");
        assert_true(f->source[0] != '\0');
    }
    /* Vanham et al. 2019's operational figures */
    assert_close(est_water_factors_find(wf, "nuclear")->water_l_per_kwh, 2.04, 0);
    assert_close(est_water_factors_find(wf, "hydro")->water_l_per_kwh, 32.81, 0);
    assert_close(est_water_factors_find(wf, "wind")->water_l_per_kwh, 0.0, 0);
    /* unknown: the mean of nuclear, biomass, gas, coal, oil:
       (2.04 + 1.97 + 0.47 + 1.57 + 0.63) / 5 = 6.68 / 5 = 1.336 */
    assert_close(est_water_factors_find(wf, "unknown")->water_l_per_kwh, 1.336, 1e-12);
    assert_null(est_water_factors_find(wf, "tidal"));
    /* (70 x 2.04 + 10 x 32.81 + 20 x 0.47) / 100 = (142.8 + 328.1 + 9.4) / 100 = 4.803 */
    assert_int_equal(est_water_mix_intensity(&v, wf, types, mwh, 3, &e), EST_OK);
    assert_close(v, 4.803, 1e-12);
    {
        const char *t2[] = {"tidal"};
        const double z[] = {0.0};
        assert_int_equal(est_water_mix_intensity(&v, wf, t2, mwh, 1, &e), EST_EINVAL);
        assert_non_null(strstr(e.message, "unknown source type \"tidal\""));
        assert_int_equal(est_water_mix_intensity(&v, wf, types, z, 1, &e), EST_ENODATA);
    }
    est_water_factors_free(wf);
}

static void check_bad_factors(const char *content, const char *tail, unsigned long line)
{
    char *d = test_mkdtemp(), path[4200], want[4400];
    est_water_factors *wf = NULL;
    est_error e;
    snprintf(path, sizeof path, "%s/water-factors.csv", d);
    test_write_file(path, content);
    assert_int_equal(est_water_factors_open(&wf, path, &e), EST_EPARSE);
    assert_null(wf);
    if (line)
        snprintf(want, sizeof want, "%s:%lu: %s", path, line, tail);
    else
        snprintf(want, sizeof want, "%s: %s", path, tail);
    if (strcmp(e.message, want) != 0)
        fail_msg("message \"%s\", expected \"%s\"", e.message, want);
    test_rmtree(d);
    free(d);
}

#define WH "source_type,water_l_per_kwh,scope,source\n"

static void test_water_malformed_factors_say_where(void **state)
{
    (void)state;
    check_bad_factors(WH "tidal,1,operational,x\n",
                      "column source_type: expected nuclear, wind, solar, hydro, geothermal, "
                      "biomass, gas, coal, oil or unknown, got \"tidal\"", 2);
    check_bad_factors(WH "coal,1,operational,x\ncoal,2,operational,y\n",
                      "column source_type: expected each source type once, got \"coal\"", 3);
    check_bad_factors(WH "coal,\"1,5\",operational,x\n",
                      "column water_l_per_kwh: expected a number of litres per kWh from 0 to "
                      "1000, got \"1,5\"", 2);
    check_bad_factors(WH "coal,1,operational,x\ngas,1,lifecycle,y\n",
                      "column scope: expected the scope of every other row, got \"lifecycle\"",
                      3);
    check_bad_factors(WH "coal,1,operational,\x1b[1m\n",
                      "column source: a control character, got \"?[1m\"", 2);
    check_bad_factors(WH "coal,1,operational,x\n", "no row for the source type nuclear", 0);
    check_bad_factors("type,value\n",
                      "expected the header source_type,water_l_per_kwh,scope,source", 1);
}

/* A zone without a water figure takes its country's. */
static void test_water_zone_falls_back_to_its_country(void **state)
{
    est_zones_options o = EST_ZONES_OPTIONS_INIT;
    est_zones *t = NULL;
    est_zone z;
    est_error e;
    char from[EST_ZONE_CODE_MAX];
    double v = 0.0;
    char path[4096];
    (void)state;
    snprintf(path, sizeof path, "%s/carbon/zones.csv", getenv("ECOEST_SOURCE_DIR"));
    o.shipped_file = path;
    assert_int_equal(est_zones_open(&t, &o, &e), EST_OK);
    assert_int_equal(est_zones_lookup(&z, t, "US-EGRID-CAMX", &e), EST_OK);
    assert_close(z.water_l_per_kwh, EST_UNSET, 0);
    assert_int_equal(est_zones_water(&v, from, t, &z), EST_OK);
    assert_string_equal(from, "US");
    assert_int_equal(est_zones_lookup(&z, t, "US", &e), EST_OK);
    assert_close(v, z.water_l_per_kwh, 0);
    assert_int_equal(est_zones_lookup(&z, t, "FR", &e), EST_OK);
    assert_int_equal(est_zones_water(&v, from, t, &z), EST_OK);
    assert_string_equal(from, "FR");
    assert_close(v, 4.81, 0);
    /* a zone of its own with no country row: none */
    memset(&z, 0, sizeof z);
    strcpy(z.code, "XX-LAB");
    z.water_l_per_kwh = EST_UNSET;
    assert_int_equal(est_zones_water(&v, from, t, &z), EST_ENODATA);
    assert_close(v, EST_UNSET, 0);
    assert_string_equal(from, "");
    est_zones_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_water_footprint_is_onsite_plus_offsite),
        cmocka_unit_test(test_water_unset_wue_is_zero_and_unknown_grid_is_unknown),
        cmocka_unit_test(test_water_rejects_bad_inputs),
        cmocka_unit_test(test_water_shipped_factors_and_a_mix),
        cmocka_unit_test(test_water_malformed_factors_say_where),
        cmocka_unit_test(test_water_zone_falls_back_to_its_country),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
