/* The model: formulas checked against hand-worked values and the Green
 * Algorithms paper's worked examples. */
#include "test_util.h"

#include "ecoest/model.h"

/* Paper example 1: 504 h, 12 cores x 10 W, usage 1, 10 GB, PUE 1.67, CI 475.
 * power  = 1.67 x (12 x 10 x 1 + 10 x 0.3725) = 1.67 x 123.725 = 206.62075 W
 * energy = 206.62075 x 504 / 1000 = 104.1368580 kWh
 * carbon = 104.136858 x 475 = 49465.00755 g */
static void test_model_paper_example_cpu_memory(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 12;
    in.cpu_tdp_per_core_w = 10.0;
    in.cpu_usage_frac = 1.0;
    in.memory_gb = 10.0;
    in.pue = 1.67;
    in.ci_g_co2e_per_kwh = 475.0;
    in.runtime_h = 504.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.total.power_w, 206.62075, 1e-12);
    assert_close(r.total.energy_kwh, 104.136858, 1e-4 / 100);
    assert_close(r.total.co2e_g, 49465.01, 1e-4 / 100); /* the paper's figure, 0.01 % */
    assert_close(r.total.co2e_g, 49465.00755, 1e-12);    /* the exact product */
    /* components add up: cpu 1.67 x 120 = 200.4 W, memory 1.67 x 3.725 = 6.22075 W */
    assert_close(r.cpu.power_w, 200.4, 1e-12);
    assert_close(r.memory.power_w, 6.22075, 1e-12);
    assert_close(r.cpu.energy_kwh + r.gpu.energy_kwh + r.memory.energy_kwh,
                 r.total.energy_kwh, 1e-12);
    /* With 11 runs: 49465.00755 x 11 = 544115.08305 g */
    in.runs = 11;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.total.co2e_g, 544115.08, 1e-4 / 100);
    assert_close(r.total.co2e_g, 544115.08305, 1e-12);
}

/* Paper example 2: 79 h, 64 GPUs x 300 W at usage 0.627, PUE 1.67, CI 475,
 * allocation scope.
 * power  = 1.67 x 64 x 300 x 0.627 = 1.67 x 12038.4 = 20104.128 W
 * energy = 20104.128 x 79 / 1000 = 1588.226112 kWh
 * carbon = 1588.226112 x 475 = 754407.4032 g */
static void test_model_paper_example_gpus_allocation(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.gpu_count = 64;
    in.gpu_tdp_w = 300.0;
    in.gpu_usage_frac = 0.627;
    in.pue = 1.67;
    in.ci_g_co2e_per_kwh = 475.0;
    in.runtime_h = 79.0;
    in.scope = EST_SCOPE_ALLOCATION;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.total.energy_kwh, 1588.226112, 1e-4 / 100);
    assert_close(r.total.co2e_g, 754407.40, 1e-4 / 100);
    assert_close(r.total.co2e_g, 754407.4032, 1e-12);
    assert_int_equal(r.scope, EST_SCOPE_ALLOCATION);
}

/* Process scope subtracts idle: V100 300 W TDP, idle 40 W, usage 0.5, 2 GPUs,
 * PUE 1.5, 10 h, CI 100.
 * process per GPU  = 0.5 x (300 - 40) = 130 W; x 2 = 260 W; x 1.5 = 390 W
 * allocation       = 0.5 x 300 = 150 W; x 2 = 300 W; x 1.5 = 450 W
 * idle left out    = 1.5 x 2 x 40 = 120 W (each GPU draws 40 + 0.5 x 260 = 170 W,
 *                    of which the process scope counts 130 W)
 * process energy   = 390 x 10 / 1000 = 3.9 kWh; carbon 390 g
 * allocation       = 4.5 kWh, 450 g */
static void test_model_gpu_idle_is_subtracted_in_process_scope(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.gpu_count = 2;
    in.gpu_tdp_w = 300.0;
    in.gpu_idle_w = 40.0;
    in.gpu_usage_frac = 0.5;
    in.pue = 1.5;
    in.runtime_h = 10.0;
    in.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.gpu.power_w, 390.0, 1e-12);
    assert_close(r.total.energy_kwh, 3.9, 1e-12);
    assert_close(r.total.co2e_g, 390.0, 1e-12);
    assert_close(r.allocation.energy_kwh, 4.5, 1e-12);
    assert_close(r.allocation.co2e_g, 450.0, 1e-12);
    assert_close(r.gpu_idle_excluded_w, 120.0, 1e-12);
    assert_close(r.process.co2e_g, 390.0, 1e-12);
}

/* Measured power: P = 250 W, idle 60 W, 4 GPUs, PUE 1 (given), 2 h, CI 50.
 * process  = max(250 - 60, 0) x 4 = 760 W -> 1.52 kWh -> 76 g
 * allocation = 250 x 4 = 1000 W -> 2 kWh -> 100 g
 * idle left out: min(250, 60) x 4 x PUE 1 = 240 W.
 * A measured P below idle (40 W) counts 0 above idle, 40 x 4 = 160 W allocation,
 * and leaves out min(40, 60) x 4 = 160 W. */
static void test_model_measured_gpu_power(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.gpu_count = 4;
    in.gpu_power_w = 250.0;
    in.gpu_idle_w = 60.0;
    in.pue = 1.0;
    in.runtime_h = 2.0;
    in.ci_g_co2e_per_kwh = 50.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.gpu.power_w, 760.0, 1e-12);
    assert_close(r.total.energy_kwh, 1.52, 1e-12);
    assert_close(r.total.co2e_g, 76.0, 1e-12);
    assert_close(r.allocation.energy_kwh, 2.0, 1e-12);
    assert_close(r.allocation.co2e_g, 100.0, 1e-12);
    assert_close(r.gpu_idle_excluded_w, 240.0, 1e-12);
    in.gpu_power_w = 40.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.gpu.power_w, 0.0, 1e-12);
    assert_close(r.gpu_allocation.power_w, 160.0, 1e-12);
    assert_close(r.gpu_idle_excluded_w, 160.0, 1e-12);
}

/* Defaults: 4 cores x 5 W, 1 h, nothing else.
 * power = 1.67 x 4 x 5 x 1 = 33.4 W; energy 0.0334 kWh; carbon x 475 = 15.865 g.
 * The assumptions name PUE, carbon intensity and usage. */
static void test_model_defaults_are_applied_and_listed(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    size_t i;
    int pue = 0, ci = 0, usage = 0;
    (void)state;
    in.cpu_cores = 4;
    in.cpu_tdp_per_core_w = 5.0;
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.total.power_w, 33.4, 1e-12);
    assert_close(r.total.co2e_g, 15.865, 1e-12);
    assert_close(r.used.pue, 1.67, 0);
    assert_close(r.used.ci_g_co2e_per_kwh, 475.0, 0);
    for (i = 0; i < r.n_assumptions; i++) {
        pue |= strstr(r.assumptions[i], "PUE 1.67") != NULL;
        ci |= strstr(r.assumptions[i], "475") != NULL;
        usage |= strstr(r.assumptions[i], "CPU usage 1") != NULL;
    }
    assert_true(pue && ci && usage);
}

/* Runs multiply energy, not power: 1 core x 100 W, PUE 1, 3 h, 5 runs, CI 200.
 * power 100 W; energy 100 x 3 x 5 / 1000 = 1.5 kWh; carbon 300 g. */
static void test_model_runs_multiply_energy(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 1;
    in.cpu_tdp_per_core_w = 100.0;
    in.pue = 1.0;
    in.runtime_h = 3.0;
    in.runs = 5;
    in.ci_g_co2e_per_kwh = 200.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.total.power_w, 100.0, 1e-12);
    assert_close(r.total.energy_kwh, 1.5, 1e-12);
    assert_close(r.total.co2e_g, 300.0, 1e-12);
}

/* Equivalents: 110000 g is one Paris-Dublin flight, 120 tree-months
 * (110000 / (11000/12) = 120) and 628.571 km (110000 / 175).
 * 300 kg is past 285 kg: 300000 / 570000 = 0.526316 of NY-SF.
 * 2 t is past 1155 kg: 2e6 / 2.31e6 = 0.865801 of NY-Melbourne. */
static void test_model_equivalents_pick_the_flight(void **state)
{
    est_equivalents e;
    (void)state;
    e = est_model_equivalents(110000.0);
    assert_string_equal(e.flight, "Paris-Dublin");
    assert_close(e.flight_fraction, 1.0, 1e-12);
    assert_close(e.tree_months, 120.0, 1e-12);
    assert_close(e.car_km, 110000.0 / 175.0, 1e-12);
    e = est_model_equivalents(300000.0);
    assert_string_equal(e.flight, "New York-San Francisco");
    assert_close(e.flight_fraction, 300000.0 / 570000.0, 1e-12);
    e = est_model_equivalents(2e6);
    assert_string_equal(e.flight, "New York-Melbourne");
    assert_close(e.flight_fraction, 2e6 / 2.31e6, 1e-12);
}

/* NaN gave NaN everywhere and -1 g a negative distance: a mass that is not
 * a finite number >= 0 gives zeros and the first flight. */
static void test_model_equivalents_of_no_mass_are_zero(void **state)
{
    const double bad[] = {NAN, -1.0, -INFINITY, INFINITY};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        est_equivalents e = est_model_equivalents(bad[i]);
        assert_string_equal(e.flight, "Paris-Dublin");
        assert_true(e.flight_fraction == 0.0);
        assert_true(e.tree_months == 0.0);
        assert_true(e.car_km == 0.0);
    }
    /* 0 g is a mass: zeros too, by the formula (0 / anything) */
    assert_true(est_model_equivalents(0.0).car_km == 0.0);
}

/* est_model_add_assumption: NULL arguments are EST_EINVAL, a full list
 * EST_ERANGE, and a successful est_model_compute leaves err untouched. */
static void test_model_add_assumption_errors_and_err_untouched(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    est_error err;
    size_t i;
    (void)state;
    assert_int_equal(est_model_add_assumption(NULL, "x"), EST_EINVAL);
    memset(&r, 0, sizeof r);
    assert_int_equal(est_model_add_assumption(&r, NULL), EST_EINVAL);
    for (i = 0; i < EST_ASSUMPTIONS_MAX; i++)
        assert_int_equal(est_model_add_assumption(&r, "x"), EST_OK);
    assert_int_equal(est_model_add_assumption(&r, "one too many"), EST_ERANGE);
    assert_int_equal(r.n_assumptions, EST_ASSUMPTIONS_MAX);
    /* an earlier failure stays in err across a success */
    in.cpu_cores = 1;
    in.cpu_tdp_per_core_w = 10.0;
    in.runtime_h = 0.0;
    assert_int_equal(est_model_compute(&in, &r, &err), EST_EINVAL);
    assert_int_equal(err.code, EST_EINVAL);
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&in, &r, &err), EST_OK);
    assert_int_equal(err.code, EST_EINVAL);
    assert_non_null(strstr(err.message, "runtime_h"));
}

static void expect_invalid(est_model_inputs in, const char *needle)
{
    est_model_result r;
    est_error e;
    assert_int_equal(est_model_compute(&in, &r, &e), EST_EINVAL);
    assert_int_equal(e.code, EST_EINVAL);
    if (!strstr(e.message, needle))
        fail_msg("message \"%s\" does not name \"%s\"", e.message, needle);
    assert_close(r.total.co2e_g, 0.0, 0); /* no half-filled result */
}

static void test_model_rejects_invalid_inputs(void **state)
{
    est_model_inputs ok = EST_MODEL_INPUTS_INIT, in;
    (void)state;
    ok.cpu_cores = 2;
    ok.cpu_tdp_per_core_w = 10.0;
    ok.runtime_h = 1.0;

    in = ok; in.runtime_h = 0.0; expect_invalid(in, "runtime_h");
    in = ok; in.runtime_h = NAN; expect_invalid(in, "runtime_h");
    in = ok; in.runtime_h = INFINITY; expect_invalid(in, "runtime_h");
    in = ok; in.runs = 0; expect_invalid(in, "runs");
    in = ok; in.pue = 0.9; expect_invalid(in, "pue");
    in = ok; in.pue = -2.0; expect_invalid(in, "pue");
    in = ok; in.cpu_usage_frac = 1.2; expect_invalid(in, "cpu_usage_frac");
    in = ok; in.cpu_usage_frac = -0.5; expect_invalid(in, "cpu_usage_frac");
    in = ok; in.cpu_tdp_per_core_w = -10.0; expect_invalid(in, "cpu_tdp_per_core_w");
    in = ok; in.cpu_tdp_per_core_w = 0.0; expect_invalid(in, "cpu_tdp_per_core_w");
    in = ok; in.memory_gb = -1.5; expect_invalid(in, "memory_gb");
    in = ok; in.ci_g_co2e_per_kwh = NAN; expect_invalid(in, "ci_g_co2e_per_kwh");
    in = ok; in.gpu_count = 1; expect_invalid(in, "gpu_tdp_w");
    in = ok; in.gpu_count = 1; in.gpu_tdp_w = 100.0; in.gpu_idle_w = 150.0;
    expect_invalid(in, "gpu_idle_w");
    in = ok; in.gpu_count = 1; in.gpu_tdp_w = 100.0; in.gpu_usage_frac = 2.0;
    expect_invalid(in, "gpu_usage_frac");
    in = ok; in.gpu_count = 1; in.gpu_power_w = -5.0; expect_invalid(in, "gpu_power_w");
    in = ok; in.version = 99; expect_invalid(in, "version");
    in = ok; in.scope = (est_scope)7; expect_invalid(in, "scope");
}

/* Usage 0 is valid: 8 cores x 10 W x 0 = 0 W CPU; 16 GB x 0.3725 = 5.96 W memory,
 * PUE 1 -> 5.96 W. */
static void test_model_zero_usage_is_valid(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 8;
    in.cpu_tdp_per_core_w = 10.0;
    in.cpu_usage_frac = 0.0;
    in.memory_gb = 16.0;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&in, &r, NULL), EST_OK);
    assert_close(r.cpu.power_w, 0.0, 0);
    assert_close(r.total.power_w, 5.96, 1e-12);
}

/* Finite inputs, infinite result: 1e308 W x 2 cores overflows. Rejected with
 * EST_ERANGE, never an inf or NaN result. */
static void test_model_overflow_is_rejected(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    est_error e;
    (void)state;
    in.cpu_cores = 2;
    in.cpu_tdp_per_core_w = 1e308;
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&in, &r, &e), EST_ERANGE);
    assert_non_null(strstr(e.message, "too large"));
    in.cpu_tdp_per_core_w = 1e200;
    in.runtime_h = 1e200;
    assert_int_equal(est_model_compute(&in, &r, &e), EST_ERANGE);
}

/* The version number: 0.1.0 is 0 x 10000 + 1 x 100 + 0 = 100; the linked
   library reports the header's. */
static void test_model_version_number_matches_the_string(void **state)
{
    char buf[32];
    (void)state;
    snprintf(buf, sizeof buf, "%d.%d.%d", EST_VERSION_NUMBER / 10000,
             EST_VERSION_NUMBER / 100 % 100, EST_VERSION_NUMBER % 100);
    assert_string_equal(buf, EST_VERSION_STRING);
    assert_int_equal(est_version_number(), EST_VERSION_NUMBER);
    assert_string_equal(est_version(), EST_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_version_number_matches_the_string),
        cmocka_unit_test(test_model_paper_example_cpu_memory),
        cmocka_unit_test(test_model_equivalents_of_no_mass_are_zero),
        cmocka_unit_test(test_model_add_assumption_errors_and_err_untouched),
        cmocka_unit_test(test_model_paper_example_gpus_allocation),
        cmocka_unit_test(test_model_gpu_idle_is_subtracted_in_process_scope),
        cmocka_unit_test(test_model_measured_gpu_power),
        cmocka_unit_test(test_model_defaults_are_applied_and_listed),
        cmocka_unit_test(test_model_runs_multiply_energy),
        cmocka_unit_test(test_model_equivalents_pick_the_flight),
        cmocka_unit_test(test_model_rejects_invalid_inputs),
        cmocka_unit_test(test_model_zero_usage_is_valid),
        cmocka_unit_test(test_model_overflow_is_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
