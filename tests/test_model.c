/* The model: formulas checked against hand-worked values and the Green
 * Algorithms paper's worked examples. */
#include "test_util.h"

#include "ecoest/model.h"
#include "ecoest/pipeline.h" /* est_input_id */

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
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
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
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
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
    in.scope = EST_MODEL_SCOPE_ALLOCATION;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.total.energy_kwh, 1588.226112, 1e-4 / 100);
    assert_close(r.total.co2e_g, 754407.40, 1e-4 / 100);
    assert_close(r.total.co2e_g, 754407.4032, 1e-12);
    assert_int_equal(r.scope, EST_MODEL_SCOPE_ALLOCATION);
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
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
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
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.gpu.power_w, 760.0, 1e-12);
    assert_close(r.total.energy_kwh, 1.52, 1e-12);
    assert_close(r.total.co2e_g, 76.0, 1e-12);
    assert_close(r.allocation.energy_kwh, 2.0, 1e-12);
    assert_close(r.allocation.co2e_g, 100.0, 1e-12);
    assert_close(r.gpu_idle_excluded_w, 240.0, 1e-12);
    in.gpu_power_w = 40.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
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
    est_model_inputs used;
    size_t i;
    int pue = 0, ci = 0, usage = 0;
    (void)state;
    in.cpu_cores = 4;
    in.cpu_tdp_per_core_w = 5.0;
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&r, &used, &in, NULL), EST_OK);
    assert_close(r.total.power_w, 33.4, 1e-12);
    assert_close(r.total.co2e_g, 15.865, 1e-12);
    assert_close(used.pue, 1.67, 0);
    assert_close(used.ci_g_co2e_per_kwh, 475.0, 0);
    assert_close(used.cpu_usage_frac, 1.0, 0);
    assert_close(used.memory_w_per_gb, 0.3725, 0);
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
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
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
    est_model_equivalence e;
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
        est_model_equivalence e = est_model_equivalents(bad[i]);
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
    for (i = 0; i < EST_MODEL_ASSUMPTIONS_MAX; i++)
        assert_int_equal(est_model_add_assumption(&r, "x"), EST_OK);
    assert_int_equal(est_model_add_assumption(&r, "one too many"), EST_ERANGE);
    assert_int_equal(r.n_assumptions, EST_MODEL_ASSUMPTIONS_MAX);
    /* an earlier failure stays in err across a success */
    in.cpu_cores = 1;
    in.cpu_tdp_per_core_w = 10.0;
    in.runtime_h = 0.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, &err), EST_EINVAL);
    assert_int_equal(err.code, EST_EINVAL);
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, &err), EST_OK);
    assert_int_equal(err.code, EST_EINVAL);
    assert_non_null(strstr(err.message, "runtime_h"));
}

static void expect_invalid(est_model_inputs in, const char *needle)
{
    est_model_result r;
    est_error e;
    assert_int_equal(est_model_compute(&r, NULL, &in, &e), EST_EINVAL);
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
    in = ok; in.scope = (est_model_scope)7; expect_invalid(in, "scope");
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
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
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
    assert_int_equal(est_model_compute(&r, NULL, &in, &e), EST_ERANGE);
    assert_non_null(strstr(e.message, "too large"));
    in.cpu_tdp_per_core_w = 1e200;
    in.runtime_h = 1e200;
    assert_int_equal(est_model_compute(&r, NULL, &in, &e), EST_ERANGE);
}

/* The version number: 0.1.0 is 0 x 10000 + 1 x 100 + 0 = 100; the linked
   library reports the header's. */
/* The three scopes with the curve, a bigger node and held idle GPUs.
 * CPU: 4 cores x 10 W/core, usage 0.5, curve idle 0.3, max 1, r 2:
 *   f(0.5) = 2 x 0.5 - 0.5^2 = 0.75; floor 0.3 x 10 = 3 W/core,
 *   range (1 - 0.3) x 10 = 7 W/core; the job's dynamic 4 x 7 x 0.75 = 21 W
 *   process 21 W; allocation 4 x 3 + 21 = 33 W; node (16 cores) 16 x 3 + 21 = 69 W
 * GPU: 2 x (TDP 300, idle 50), usage 0.4: above idle 0.4 x 250 = 100 W each
 *   process 2 x 100 = 200 W; allocation 2 x 0.4 x 300 = 240 W;
 *   node (4 GPUs) 2 x (50 + 100) + 2 x 50 = 400 W
 * memory 10 GB x 0.5 = 5 W; node 100 GB x 0.5 = 50 W; static 30 W
 * PUE 1.5, 2 h, CI 100:
 *   process    1.5 x (21 + 200 + 5)        = 339 W   -> 0.678 kWh
 *   allocation 1.5 x (33 + 240 + 5)        = 417 W   -> 0.834 kWh
 *   node       1.5 x (30 + 69 + 400 + 50)  = 823.5 W -> 1.647 kWh, 164.7 g
 * idle left out: process 2 x 50 x 1.5 = 150 W; allocation (1 - 0.4) x 2 x 50 x 1.5 = 90 W
 * meter 1 kWh, PSU 0.9: process 0.678 / 1.5 = 0.452 kWh (ratio 0.452),
 *   allocation 0.834 / 1.5 = 0.556, node 1.647 / 1.5 / 0.9 = 1.22 (ratio 1.22) */
static void test_model_node_scope_curve_and_meter(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 4;
    in.cpu_tdp_per_core_w = 10.0;
    in.cpu_usage_frac = 0.5;
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in.cpu_idle_frac = 0.3;
    in.cpu_max_frac = 1.0;
    in.cpu_curve_exponent = 2.0;
    in.gpu_count = 2;
    in.gpu_tdp_w = 300.0;
    in.gpu_idle_w = 50.0;
    in.gpu_usage_frac = 0.4;
    in.memory_gb = 10.0;
    in.memory_w_per_gb = 0.5;
    in.node_cores = 16;
    in.node_gpus = 4;
    in.node_memory_gb = 100.0;
    in.node_static_w = 30.0;
    in.pue = 1.5;
    in.runtime_h = 2.0;
    in.ci_g_co2e_per_kwh = 100.0;
    in.compare_kwh = 1.0;
    in.psu_efficiency = 0.9;
    in.scope = EST_MODEL_SCOPE_NODE;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.cpu_process.power_w, 1.5 * 21.0, 1e-12);
    assert_close(r.cpu_allocation.power_w, 1.5 * 33.0, 1e-12);
    assert_close(r.cpu_node.power_w, 1.5 * 69.0, 1e-12);
    assert_close(r.gpu_node.power_w, 1.5 * 400.0, 1e-12);
    assert_close(r.memory_node.power_w, 1.5 * 50.0, 1e-12);
    assert_close(r.static_node.power_w, 1.5 * 30.0, 1e-12);
    assert_close(r.process.power_w, 339.0, 1e-12);
    assert_close(r.process.energy_kwh, 0.678, 1e-12);
    assert_close(r.allocation.power_w, 417.0, 1e-12);
    assert_close(r.allocation.energy_kwh, 0.834, 1e-12);
    assert_close(r.node.power_w, 823.5, 1e-12);
    assert_close(r.node.energy_kwh, 1.647, 1e-12);
    assert_close(r.node.co2e_g, 164.7, 1e-12);
    /* the headline is the node's: its parts add up to it */
    assert_int_equal(r.scope, EST_MODEL_SCOPE_NODE);
    assert_close(r.total.power_w, 823.5, 1e-12);
    assert_close(r.cpu.power_w + r.gpu.power_w + r.memory.power_w + r.static_node.power_w,
                 r.total.power_w, 1e-12);
    assert_close(r.gpu_idle_excluded_w, 150.0, 1e-12);
    assert_close(r.gpu_idle_excluded_allocation_w, 90.0, 1e-12);
    assert_int_equal(r.has_compare, 1);
    assert_close(r.compare_process.estimate_kwh, 0.452, 1e-12);
    assert_close(r.compare_process.ratio, 0.452, 1e-12);
    assert_close(r.compare_allocation.ratio, 0.556, 1e-12);
    assert_close(r.compare_node.estimate_kwh, 1.22, 1e-12);
    assert_close(r.compare_node.ratio, 1.22, 1e-12);
    assert_int_equal(r.node_assumed, 0);
    assert_int_equal(r.cpu_measured, 0);
}

/* Paper example 1 (12 cores x 10 W, 10 GB, PUE 1.67, 504 h) with the node
 * scope as headline: process and allocation stay 206.62075 W (49465.01 g);
 * the node, not described, is the allocation plus the default 20 W static:
 * 1.67 x (120 + 3.725 + 20) = 1.67 x 143.725 = 240.02075 W. */
static void test_model_node_scope_keeps_green_algorithms(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    size_t i;
    int said = 0;
    (void)state;
    in.cpu_cores = 12;
    in.cpu_tdp_per_core_w = 10.0;
    in.memory_gb = 10.0;
    in.pue = 1.67;
    in.ci_g_co2e_per_kwh = 475.0;
    in.runtime_h = 504.0;
    in.scope = EST_MODEL_SCOPE_NODE;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.allocation.power_w, 206.62075, 1e-12);
    assert_close(r.process.co2e_g, 49465.00755, 1e-12);
    assert_close(r.node.power_w, 240.02075, 1e-12);
    assert_int_equal(r.node_assumed, 1);
    for (i = 0; i < r.n_assumptions; i++)
        said |= strstr(r.assumptions[i], "taken as the whole node") != NULL;
    assert_true(said);
    assert_int_equal(r.has_compare, 0);
}

/* A version 1 struct ends at scope: the appended fields are not read (a
 * 999 W static power there is ignored, the default 20 W is used). 1 core x
 * 10 W, PUE 1, 1 h: node 10 + 20 = 30 W. */
static void test_model_version_1_inputs_are_accepted(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    est_model_inputs used;
    (void)state;
    in.version = 1;
    in.cpu_cores = 1;
    in.cpu_tdp_per_core_w = 10.0;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    in.node_static_w = 999.0;
    assert_int_equal(est_model_compute(&r, &used, &in, NULL), EST_OK);
    assert_close(r.total.power_w, 10.0, 1e-12);
    assert_close(r.node.power_w, 30.0, 1e-12);
    assert_int_equal(used.cpu_power_model, EST_MODEL_CPU_POWER_TDP);
    /* a version 1 struct gives the current version's used inputs */
    assert_int_equal(used.version, EST_MODEL_INPUTS_VERSION);
}

/* Measured energies replace their estimates. 2 h, PUE 1:
 *   CPU 0.2 kWh -> 200 Wh / 2 h = 100 W (the 4 x 10 W TDP is not used)
 *   GPU 0.6 kWh for 2 GPUs -> 600 / 2 / 2 = 150 W each; idle 50 W:
 *     process 2 x 100 = 200 W, allocation 300 W, node 300 W
 *   node 1.0 kWh -> 500 W (replaces 20 + 100 + 300 = 420 W)
 *   process 100 + 200 = 300 W -> 0.6 kWh; allocation 400 W -> 0.8 kWh */
static void test_model_measured_energy_replaces_estimates(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT, bad;
    est_model_result r;
    (void)state;
    in.cpu_cores = 4;
    in.cpu_tdp_per_core_w = 10.0;
    in.cpu_energy_kwh = 0.2;
    in.gpu_count = 2;
    in.gpu_tdp_w = 300.0;
    in.gpu_idle_w = 50.0;
    in.gpu_energy_kwh = 0.6;
    in.pue = 1.0;
    in.runtime_h = 2.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_int_equal(r.cpu_measured, 1);
    assert_int_equal(r.gpu_measured, 1);
    assert_int_equal(r.node_measured, 0);
    assert_close(r.cpu.power_w, 100.0, 1e-12);
    assert_close(r.process.energy_kwh, 0.6, 1e-12);
    assert_close(r.allocation.energy_kwh, 0.8, 1e-12);
    assert_close(r.node.power_w, 420.0, 1e-12);
    in.node_energy_kwh = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_int_equal(r.node_measured, 1);
    assert_close(r.node.power_w, 500.0, 1e-12);
    assert_close(r.node.energy_kwh, 1.0, 1e-12);
    bad = in;
    bad.cpu_power_w = 5.0;
    expect_invalid(bad, "cpu_energy_kwh");
    bad = in;
    bad.gpu_power_w = 5.0;
    expect_invalid(bad, "gpu_energy_kwh");
    bad = in;
    bad.gpu_count = 0;
    expect_invalid(bad, "gpu_energy_kwh");
}

/* The curve: f(u) = 2u - u^r; r = 1 is linear, r = 2 gives 2u - u^2;
 * f(0) = 0, f(1) = 1; f(0.25) with r 2 = 0.5 - 0.0625 = 0.4375. */
static void test_model_cpu_curve_shape(void **state)
{
    est_model_cpu_power m;
    (void)state;
    assert_close(est_model_cpu_curve(0.3, 1.0), 0.3, 1e-12);
    assert_close(est_model_cpu_curve(0.25, 2.0), 0.4375, 1e-12);
    assert_close(est_model_cpu_curve(0.0, 1.4), 0.0, 0);
    assert_close(est_model_cpu_curve(1.0, 1.4), 1.0, 0);
    assert_int_equal(est_model_cpu_power_parse(&m, "curve"), EST_OK);
    assert_int_equal(m, EST_MODEL_CPU_POWER_CURVE);
    assert_int_equal(est_model_cpu_power_parse(&m, "linear"), EST_EINVAL);
    assert_string_equal(est_model_cpu_power_name(EST_MODEL_CPU_POWER_TDP), "tdp");
    assert_string_equal(est_model_scope_name(EST_MODEL_SCOPE_NODE), "node");
}

static void test_model_rejects_invalid_node_inputs(void **state)
{
    est_model_inputs ok = EST_MODEL_INPUTS_INIT, in;
    (void)state;
    ok.cpu_cores = 8;
    ok.cpu_tdp_per_core_w = 10.0;
    ok.gpu_count = 2;
    ok.gpu_tdp_w = 300.0;
    ok.memory_gb = 64.0;
    ok.runtime_h = 1.0;
    in = ok; in.node_cores = 4; expect_invalid(in, "node_cores");
    in = ok; in.node_gpus = 1; expect_invalid(in, "node_gpus");
    in = ok; in.node_memory_gb = 32.0; expect_invalid(in, "node_memory_gb");
    in = ok; in.node_static_w = -2.0; expect_invalid(in, "node_static_w");
    in = ok; in.psu_efficiency = 0.0; expect_invalid(in, "psu_efficiency");
    in = ok; in.psu_efficiency = 1.2; expect_invalid(in, "psu_efficiency");
    in = ok; in.compare_kwh = -2.0; expect_invalid(in, "compare_kwh");
    in = ok; in.cpu_curve_exponent = 2.5; expect_invalid(in, "cpu_curve_exponent");
    in = ok; in.cpu_idle_frac = 0.8; in.cpu_max_frac = 0.5; expect_invalid(in, "cpu_idle_frac");
    in = ok; in.cpu_power_model = (est_model_cpu_power)5; expect_invalid(in, "cpu_power_model");
    in = ok; in.scope = (est_model_scope)3; expect_invalid(in, "scope");
}

/* in refused: err->input is id (not found by reading the message), and the
   message starts with the field's name, "FIELD: " (what the pipeline
   replaces with its caller's label). */
static void expect_input(est_model_inputs in, est_input_id id, const char *field)
{
    est_model_result r;
    est_error e;
    size_t n = strlen(field);
    int rc = est_model_compute(&r, NULL, &in, &e);
    if (rc != EST_EINVAL)
        fail_msg("%s: returned %d, expected EST_EINVAL", field, rc);
    assert_int_equal(e.code, EST_EINVAL);
    if (e.input != (unsigned)id)
        fail_msg("\"%s\": input %u (%s), expected %u (%s)", e.message, e.input,
                 est_input_name((est_input_id)e.input), (unsigned)id, est_input_name(id));
    if (strncmp(e.message, field, n) != 0 || strncmp(e.message + n, ": ", 2) != 0)
        fail_msg("message \"%s\" does not start with \"%s: \"", e.message, field);
}

/* Every input the model refuses, listed by hand, with the identifier it
   must give. The base is valid: 2 cores x 10 W, 1 GPU of 300 W, 8 GB, 1 h.
   Negative values are -2 or below: -1 is EST_UNSET, "not given". */
static void test_model_refused_inputs_are_named_by_identifier(void **state)
{
    est_model_inputs ok = EST_MODEL_INPUTS_INIT, in;
    est_model_result r;
    est_error e;
    (void)state;
    ok.cpu_cores = 2;
    ok.cpu_tdp_per_core_w = 10.0;
    ok.gpu_count = 1;
    ok.gpu_tdp_w = 300.0;
    ok.memory_gb = 8.0;
    ok.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &ok, NULL), EST_OK);

    in = ok; in.cpu_usage_frac = 1.5; expect_input(in, EST_INPUT_CPU_USAGE, "cpu_usage_frac");
    in = ok; in.cpu_usage_frac = NAN; expect_input(in, EST_INPUT_CPU_USAGE, "cpu_usage_frac");
    in = ok; in.gpu_usage_frac = -0.5; expect_input(in, EST_INPUT_GPU_USAGE, "gpu_usage_frac");
    in = ok; in.gpu_idle_w = -3.0; expect_input(in, EST_INPUT_GPU_IDLE, "gpu_idle_w");
    in = ok; in.gpu_idle_w = 400.0; expect_input(in, EST_INPUT_GPU_IDLE, "gpu_idle_w");
    in = ok; in.memory_w_per_gb = INFINITY;
    expect_input(in, EST_INPUT_MEMORY_W_PER_GB, "memory_w_per_gb");
    in = ok; in.pue = 0.9; expect_input(in, EST_INPUT_PUE, "pue");
    in = ok; in.pue = -2.0; expect_input(in, EST_INPUT_PUE, "pue");
    in = ok; in.ci_g_co2e_per_kwh = -5.0; expect_input(in, EST_INPUT_CI, "ci_g_co2e_per_kwh");
    in = ok; in.cpu_tdp_per_core_w = -1.0;
    expect_input(in, EST_INPUT_CPU_TDP_PER_CORE, "cpu_tdp_per_core_w");
    in = ok; in.cpu_tdp_per_core_w = 0.0; /* 2 cores counted without a power */
    expect_input(in, EST_INPUT_CPU_TDP_PER_CORE, "cpu_tdp_per_core_w");
    in = ok; in.cpu_cores = 0; in.cpu_tdp_per_core_w = 0.0; in.node_cores = 4;
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE; /* the node's idle cores need it */
    expect_input(in, EST_INPUT_CPU_TDP_PER_CORE, "cpu_tdp_per_core_w");
    in = ok; in.gpu_tdp_w = -1.0; expect_input(in, EST_INPUT_GPU_TDP, "gpu_tdp_w");
    in = ok; in.gpu_tdp_w = 0.0; expect_input(in, EST_INPUT_GPU_TDP, "gpu_tdp_w");
    in = ok; in.memory_gb = -1.0; expect_input(in, EST_INPUT_MEMORY, "memory_gb");
    in = ok; in.runtime_h = 0.0; expect_input(in, EST_INPUT_RUNTIME, "runtime_h");
    in = ok; in.runtime_h = NAN; expect_input(in, EST_INPUT_RUNTIME, "runtime_h");
    in = ok; in.runs = 0; expect_input(in, EST_INPUT_RUNS, "runs");
    in = ok; in.scope = (est_model_scope)7; expect_input(in, EST_INPUT_SCOPE, "scope");
    in = ok; in.cpu_power_model = (est_model_cpu_power)5;
    expect_input(in, EST_INPUT_CPU_POWER_MODEL, "cpu_power_model");
    in = ok; in.cpu_idle_frac = 0.8; in.cpu_max_frac = 0.5;
    expect_input(in, EST_INPUT_CPU_POWER_MODEL, "cpu_idle_frac");
    in = ok; in.cpu_max_frac = 11.0; expect_input(in, EST_INPUT_CPU_POWER_MODEL, "cpu_max_frac");
    in = ok; in.cpu_curve_exponent = 2.5;
    expect_input(in, EST_INPUT_CPU_POWER_MODEL, "cpu_curve_exponent");
    in = ok; in.node_static_w = -2.0; expect_input(in, EST_INPUT_NODE_STATIC, "node_static_w");
    in = ok; in.node_memory_gb = 4.0; /* below the job's 8 GB */
    expect_input(in, EST_INPUT_NODE_MEMORY, "node_memory_gb");
    in = ok; in.node_memory_gb = NAN; expect_input(in, EST_INPUT_NODE_MEMORY, "node_memory_gb");
    in = ok; in.node_cores = 1; expect_input(in, EST_INPUT_NODE_CORES, "node_cores");
    in = ok; in.gpu_count = 2; in.node_gpus = 1; expect_input(in, EST_INPUT_NODE_GPUS, "node_gpus");
    in = ok; in.cpu_energy_kwh = -2.0; expect_input(in, EST_INPUT_CPU_ENERGY, "cpu_energy_kwh");
    in = ok; in.cpu_energy_kwh = 0.1; in.cpu_power_w = 20.0;
    expect_input(in, EST_INPUT_CPU_ENERGY, "cpu_energy_kwh");
    in = ok; in.gpu_energy_kwh = -2.0; expect_input(in, EST_INPUT_GPU_ENERGY, "gpu_energy_kwh");
    in = ok; in.gpu_energy_kwh = 0.1; in.gpu_power_w = 200.0;
    expect_input(in, EST_INPUT_GPU_ENERGY, "gpu_energy_kwh");
    in = ok; in.gpu_count = 0; in.gpu_energy_kwh = 0.1;
    expect_input(in, EST_INPUT_GPU_ENERGY, "gpu_energy_kwh");
    in = ok; in.node_energy_kwh = -2.0; expect_input(in, EST_INPUT_NODE_ENERGY, "node_energy_kwh");
    in = ok; in.compare_kwh = -2.0; expect_input(in, EST_INPUT_COMPARE, "compare_kwh");
    /* a reading of 0: no ratio to it; a node that drew nothing */
    in = ok; in.compare_kwh = 0.0; expect_input(in, EST_INPUT_COMPARE, "compare_kwh");
    in = ok; in.node_energy_kwh = 0.0;
    expect_input(in, EST_INPUT_NODE_ENERGY, "node_energy_kwh");
    in = ok; in.psu_efficiency = 1.2; expect_input(in, EST_INPUT_PSU_EFFICIENCY, "psu_efficiency");
    in = ok; in.psu_efficiency = 0.0; expect_input(in, EST_INPUT_PSU_EFFICIENCY, "psu_efficiency");
    in = ok; in.psu_efficiency = -0.5;
    expect_input(in, EST_INPUT_PSU_EFFICIENCY, "psu_efficiency");
    in = ok; in.cpu_power_w = -3.0; expect_input(in, EST_INPUT_CPU_POWER, "cpu_power_w");
    in = ok; in.gpu_power_w = NAN; expect_input(in, EST_INPUT_GPU_POWER, "gpu_power_w");

    /* no input at fault: an unknown version, an overflow */
    in = ok; in.version = 99;
    assert_int_equal(est_model_compute(&r, NULL, &in, &e), EST_EINVAL);
    assert_int_equal(e.input, EST_INPUT_NONE);
    in = ok; in.cpu_tdp_per_core_w = 1e308; in.runtime_h = 1e300;
    assert_int_equal(est_model_compute(&r, NULL, &in, &e), EST_ERANGE);
    assert_int_equal(e.input, EST_INPUT_NONE);
}

/* docs/validation.md's cases: a change to the model that moves them fails
 * here. Each ratio is estimate / measured, worked out by hand.
 *
 * 1. A V100 SXM2 (TDP 300 W) at 99 % utilisation measured at 39 % of its
 *    TDP: 0.39 x 300 = 117 W; idle 55 W (hwdb/gpu.csv's V100 SXM2 16GB row,
 *    TrailblazingTurtle's GPU_IDLE_POWER). PUE 1, 1 h.
 *    allocation (GA) 0.99 x 300 = 297 W           ratio 297 / 117    = 2.5385
 *    node            55 + 0.99 x 245 = 297.55 W   ratio 297.55 / 117 = 2.5432
 *    process         0.99 x 245 = 242.55 W against 117 - 55 = 62 W above idle:
 *                                                  ratio 242.55 / 62  = 3.9121
 * 2. A node running PyTorch on all its cores drew about 55 % of cores x TDP.
 *    Per unit of cores x TDP (1 core of 1 W, usage 1, PUE 1, 1 h):
 *    tdp   1                                       ratio 1 / 0.55    = 1.8182
 *    curve (default row: idle 0.10, max 0.64, r 1.4): 0.10 + 0.54 x 1 = 0.64
 *                                                  ratio 0.64 / 0.55 = 1.1636
 * 3. The curve fits (libestimate/data/cpu_power_curves.csv) at half load:
 *    EPYC 8024P (TDP 90 W; idle 0.186, max 0.567, r 2) at u 0.5, measured
 *    43.22 W: f = 1 - 0.25 = 0.75; 90 x (0.186 + 0.381 x 0.75) = 42.4575 W
 *                                                  ratio 0.98236
 *       tdp: 90 x 0.5 = 45 W                       ratio 1.04119
 *    E5-2620 v3 x 2 (TDP 170 W; idle 0.012, max 0.713, r 1) at u 0.502,
 *    measured 62.16 W: 170 x (0.012 + 0.701 x 0.502) = 61.86334 W
 *                                                  ratio 0.99523
 *       tdp: 170 x 0.502 = 85.34 W                 ratio 1.37291 */
static void test_model_validation_cases(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT, cpu;
    est_model_result r;
    (void)state;
    in.gpu_count = 1;
    in.gpu_tdp_w = 300.0;
    in.gpu_idle_w = 55.0;
    in.gpu_usage_frac = 0.99;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.allocation.power_w / 117.0, 297.0 / 117.0, 1e-12);
    assert_close(r.allocation.power_w / 117.0, 2.5385, 1e-4);
    assert_close(r.node.power_w - 20.0, 297.55, 1e-12); /* less the default static */
    assert_close((r.node.power_w - 20.0) / 117.0, 2.5432, 1e-4);
    assert_close(r.process.power_w, 242.55, 1e-12);
    assert_close(r.process.power_w / 62.0, 3.9121, 1e-4);

    cpu = (est_model_inputs)EST_MODEL_INPUTS_INIT;
    cpu.cpu_cores = 1;
    cpu.cpu_tdp_per_core_w = 1.0;
    cpu.pue = 1.0;
    cpu.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &cpu, NULL), EST_OK);
    assert_close(r.allocation.power_w / 0.55, 1.8182, 1e-4);
    cpu.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    cpu.cpu_idle_frac = 0.10;
    cpu.cpu_max_frac = 0.64;
    cpu.cpu_curve_exponent = 1.4;
    assert_int_equal(est_model_compute(&r, NULL, &cpu, NULL), EST_OK);
    assert_close(r.allocation.power_w, 0.64, 1e-12);
    assert_close(r.allocation.power_w / 0.55, 1.1636, 1e-4);

    /* EPYC 8024P: 8 cores of 90 / 8 W */
    cpu.cpu_cores = 8;
    cpu.cpu_tdp_per_core_w = 90.0 / 8.0;
    cpu.cpu_usage_frac = 0.5;
    cpu.cpu_idle_frac = 0.186;
    cpu.cpu_max_frac = 0.567;
    cpu.cpu_curve_exponent = 2.0;
    assert_int_equal(est_model_compute(&r, NULL, &cpu, NULL), EST_OK);
    assert_close(r.allocation.power_w, 42.4575, 1e-12);
    assert_close(r.allocation.power_w / 43.22, 0.98236, 1e-4);
    cpu.cpu_power_model = EST_MODEL_CPU_POWER_TDP;
    assert_int_equal(est_model_compute(&r, NULL, &cpu, NULL), EST_OK);
    assert_close(r.allocation.power_w / 43.22, 1.04119, 1e-4);
    /* 2 x E5-2620 v3: 12 cores of 170 / 12 W */
    cpu.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    cpu.cpu_cores = 12;
    cpu.cpu_tdp_per_core_w = 170.0 / 12.0;
    cpu.cpu_usage_frac = 0.502;
    cpu.cpu_idle_frac = 0.012;
    cpu.cpu_max_frac = 0.713;
    cpu.cpu_curve_exponent = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &cpu, NULL), EST_OK);
    assert_close(r.allocation.power_w, 61.86334, 1e-6);
    assert_close(r.allocation.power_w / 62.16, 0.99523, 1e-4);
    cpu.cpu_power_model = EST_MODEL_CPU_POWER_TDP;
    assert_int_equal(est_model_compute(&r, NULL, &cpu, NULL), EST_OK);
    assert_close(r.allocation.power_w / 62.16, 1.37291, 1e-4);
}

/* docs/validation.md case 4, a whole node at the wall: the Threadripper
 * 1950X box of CodeCarbon's load profile (a smart plug, tapo_power), 16 cores
 * of 180 / 16 = 11.25 W, its row (idle 0, max 0.976, r 1.69), node static
 * 115 W (the plug's reading at 0 % load), PUE 1, 1 h.
 *   u 0.997: u^1.69 = 0.994935, f = 1.994 - 0.994935 = 0.999065;
 *            CPU 180 x 0.976 x 0.999065 = 175.5157 W; node 290.5157 W;
 *            the plug read 278 W: ratio 1.04502
 *            tdp model: 115 + 180 x 0.997 = 294.46 W, ratio 1.05921
 *            default static 20 W: 195.5157 W, ratio 0.70329
 *   u 0.531: u^1.69 = 0.343091, f = 1.062 - 0.343091 = 0.718909;
 *            CPU 126.2979 W; node 241.2979 W; the plug read 219 W: ratio 1.10182 */
static void test_model_validation_node_at_the_wall(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 16;
    in.cpu_tdp_per_core_w = 180.0 / 16.0;
    in.cpu_usage_frac = 0.997;
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in.cpu_idle_frac = 0.0;
    in.cpu_max_frac = 0.976;
    in.cpu_curve_exponent = 1.69;
    in.node_static_w = 115.0;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    in.scope = EST_MODEL_SCOPE_NODE;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w, 290.5157, 1e-6);
    assert_close(r.node.power_w / 278.0, 1.04502, 1e-5);
    in.cpu_usage_frac = 0.531;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w / 219.0, 1.10182, 1e-5);
    in.cpu_usage_frac = 0.997;
    in.cpu_power_model = EST_MODEL_CPU_POWER_TDP;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w / 278.0, 1.05921, 1e-5);
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in.node_static_w = EST_UNSET;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w / 278.0, 0.70329, 1e-5);
}

/* docs/validation.md case 5, a whole server at the wall: SPECpower_ssj2008
 * result power_ssj2008-20100315-00239, an IBM System x3550 with 2 x Xeon
 * X5670 (6 cores, TDP 95 W each) and 12 GB, AC power at active idle, 50 %
 * and 100 % of its calibrated load: 66 W, 156 W, 247 W (read from
 * CloudSim's PowerModelSpecPowerIbmX3550XeonX5670). Inputs a user would
 * know: 12 cores of 95 / 6 W, usage = the load, 12 GB at the default
 * 0.3725 W/GB (4.47 W), PUE 1 (a meter at the plug), the default row (idle
 * 0.10, max 0.64, r 1.4), the default static 20 W, the job is the node.
 *   u 1:   f = 1; CPU 190 x 0.64 = 121.6 W
 *          node, curve  20 + 121.6 + 4.47  = 146.07 W  ratio 146.07 / 247 = 0.591377
 *          node, tdp    20 + 190 + 4.47    = 214.47 W  ratio 214.47 / 247 = 0.868300
 *          allocation, tdp (Green Algorithms) 190 + 4.47 = 194.47 W
 *          process, curve 190 x 0.54 + 4.47 = 107.07 W (the floor left out)
 *   u 0.5: 0.5^1.4 = 0.378929, f = 1 - 0.378929 = 0.621071;
 *          CPU 190 x (0.10 + 0.54 x 0.621071) = 190 x 0.435378 = 82.7219 W
 *          node, curve  20 + 82.7219 + 4.47 = 107.1919 W ratio / 156 = 0.687128
 *          node, tdp    20 + 95 + 4.47      = 119.47 W   ratio / 156 = 0.765833
 *   u 0:   node, curve  20 + 190 x 0.10 + 4.47 = 43.47 W ratio 43.47 / 66 = 0.658636
 *          node, tdp    20 + 0 + 4.47         = 24.47 W  ratio 24.47 / 66 = 0.370758
 * Result power_ssj2008-20110406-00368, the same server with 2 x Xeon X5675
 * (95 W each) and 16 GB (5.96 W), 222 W at 100 %:
 *          node, curve  20 + 121.6 + 5.96 = 147.56 W   ratio 147.56 / 222 = 0.664685
 *          node, tdp    20 + 190 + 5.96   = 215.96 W   ratio 215.96 / 222 = 0.972793 */
static void test_model_validation_specpower_server(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 12;
    in.cpu_tdp_per_core_w = 95.0 / 6.0;
    in.cpu_usage_frac = 1.0;
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in.cpu_idle_frac = 0.10;
    in.cpu_max_frac = 0.64;
    in.cpu_curve_exponent = 1.4;
    in.memory_gb = 12.0;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    in.scope = EST_MODEL_SCOPE_NODE;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w, 146.07, 1e-12);
    assert_close(r.node.power_w / 247.0, 0.591377, 1e-5);
    assert_close(r.process.power_w, 107.07, 1e-12);
    in.cpu_usage_frac = 0.5;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w, 107.1919, 1e-5);
    assert_close(r.node.power_w / 156.0, 0.687128, 1e-5);
    in.cpu_usage_frac = 0.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w, 43.47, 1e-12);
    assert_close(r.node.power_w / 66.0, 0.658636, 1e-5);

    in.cpu_power_model = EST_MODEL_CPU_POWER_TDP;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w / 66.0, 0.370758, 1e-5);
    in.cpu_usage_frac = 0.5;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w / 156.0, 0.765833, 1e-5);
    in.cpu_usage_frac = 1.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w, 214.47, 1e-12);
    assert_close(r.node.power_w / 247.0, 0.868300, 1e-5);
    assert_close(r.allocation.power_w, 194.47, 1e-12);

    /* 2 x X5675, 16 GB, 222 W at full load */
    in.memory_gb = 16.0;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w / 222.0, 0.972793, 1e-5);
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.power_w, 147.56, 1e-12);
    assert_close(r.node.power_w / 222.0, 0.664685, 1e-5);
}

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

/* What a scope rests on (est_model_scope_basis), on hand-made results:
   a. CPU measured (cpu_power_w set), no GPU, no memory: process and
      allocation "measured"; node "partly measured" (static power, never
      measured);
   b. the same with 4 GB of memory (memory power 1.49 W > 0): "partly";
   c. nothing measured: "estimated" in every scope;
   d. the node's energy measured, nothing else: node "measured", process
      "estimated";
   e. CPU measured, a GPU counted but estimated: "partly" (process). */
static void test_model_scope_basis_rule(void **state)
{
    est_model_result r;
    est_model_inputs u = EST_MODEL_INPUTS_INIT;
    (void)state;
    memset(&r, 0, sizeof r);
    u.cpu_cores = 0;
    u.cpu_power_w = 20.0;
    r.cpu_measured = 1;
    r.memory.power_w = 0.0;
    /* a */
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_PROCESS),
                     EST_MODEL_BASIS_MEASURED);
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_ALLOCATION),
                     EST_MODEL_BASIS_MEASURED);
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_NODE),
                     EST_MODEL_BASIS_PARTLY);
    /* b */
    r.memory.power_w = 4.0 * 0.3725;
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_PROCESS),
                     EST_MODEL_BASIS_PARTLY);
    /* c */
    memset(&r, 0, sizeof r);
    u.cpu_power_w = EST_UNSET;
    u.cpu_cores = 4;
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_PROCESS),
                     EST_MODEL_BASIS_ESTIMATED);
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_NODE),
                     EST_MODEL_BASIS_ESTIMATED);
    /* d */
    r.node_measured = 1;
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_NODE),
                     EST_MODEL_BASIS_MEASURED);
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_PROCESS),
                     EST_MODEL_BASIS_ESTIMATED);
    /* e */
    memset(&r, 0, sizeof r);
    r.cpu_measured = 1;
    u.cpu_power_w = 20.0;
    u.gpu_count = 1;
    assert_int_equal(est_model_scope_basis(&r, &u, EST_MODEL_SCOPE_PROCESS),
                     EST_MODEL_BASIS_PARTLY);
    /* the names, and NULL */
    assert_string_equal(est_model_basis_name(EST_MODEL_BASIS_MEASURED), "measured");
    assert_string_equal(est_model_basis_name(EST_MODEL_BASIS_ESTIMATED), "estimated");
    assert_string_equal(est_model_basis_name(EST_MODEL_BASIS_PARTLY), "partly measured");
    assert_string_equal(est_model_basis_name((est_model_basis)0), "?");
    assert_int_equal(est_model_scope_basis(NULL, &u, EST_MODEL_SCOPE_PROCESS),
                     EST_MODEL_BASIS_ESTIMATED);
}

/* A measured node energy is what a meter saw: the PSU efficiency never
 * divides it (issue 11: F is "used only by the node scope and only when
 * comparing with an AC meter", i.e. on the node's ESTIMATE).
 *   measured: 1 h, PUE 1.25, node_energy_kwh 1.5, meter 1.5 kWh, F 0.9:
 *     node.energy_kwh = 1.25 x 1.5 = 1.875 kWh; before PUE 1.875 / 1.25 = 1.5
 *     (not 1.5 / 0.9 = 1.667), ratio 1.5 / 1.5 = 1
 *   estimated: the same job without node_energy_kwh: 8 cores x 10 W = 80 W,
 *     16 GB x 0.3725 = 5.96 W, static 20 W: 105.96 W, x 1.25 = 132.45 W ->
 *     0.13245 kWh; before PUE 0.10596 kWh, / 0.9 = 0.117733... kWh; ratio
 *     against 1.5 kWh 0.117733 / 1.5 = 0.0784888... */
static void test_model_psu_efficiency_never_divides_a_measured_node(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    (void)state;
    in.cpu_cores = 8;
    in.cpu_tdp_per_core_w = 10.0;
    in.memory_gb = 16.0;
    in.pue = 1.25;
    in.runtime_h = 1.0;
    in.compare_kwh = 1.5;
    in.psu_efficiency = 0.9;
    in.node_energy_kwh = 1.5;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.energy_kwh, 1.875, 1e-12);
    assert_close(r.compare_node.estimate_kwh, 1.5, 1e-12);
    assert_close(r.compare_node.ratio, 1.0, 1e-12);
    in.node_energy_kwh = EST_UNSET;
    assert_int_equal(est_model_compute(&r, NULL, &in, NULL), EST_OK);
    assert_close(r.node.energy_kwh, 0.13245, 1e-12);
    assert_close(r.compare_node.estimate_kwh, 0.10596 / 0.9, 1e-12);
    assert_close(r.compare_node.ratio, 0.10596 / 0.9 / 1.5, 1e-12);
    /* process and allocation are never divided: 85.96 W -> 0.08596 kWh */
    assert_close(r.compare_process.estimate_kwh, 0.08596, 1e-12);
}

/* What each part rests on (est_model_part_basis), through est_model_compute:
 *   a. 2 GPUs measured (gpu_energy_kwh 0.4 over 1 h: 200 W each), idle 40 W,
 *      on a node of 4: allocation GPU "measured"; node GPU "partly measured"
 *      (2 x 200 measured + 2 x 40 estimated idle = 480 W); memory and static
 *      "estimated" in every scope;
 *   b. the same on a node of 2 GPUs: node GPU "measured" (2 x 200 W, all
 *      measured), but measured at 30 W each (below the 40 W idle) it is
 *      "partly" (counted at idle);
 *   c. CPU measured (0.08 kWh: 80 W) on a node of 16 cores: tdp model, no
 *      floor, the node adds 0 W: "measured"; curve with idle_frac 0.1 of 10 W
 *      adds 8 x 1 W: "partly measured"; in the allocation scope "measured";
 *   d. nothing measured: "estimated"; NULL: "estimated". */
static void test_model_part_basis_rule(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT, u;
    est_model_result r;
    (void)state;
    in.gpu_count = 2;
    in.gpu_tdp_w = 300.0;
    in.gpu_idle_w = 40.0;
    in.gpu_energy_kwh = 0.4;
    in.node_gpus = 4;
    in.runtime_h = 1.0;
    in.pue = 1.0;
    in.memory_gb = 4.0;
    /* a */
    assert_int_equal(est_model_compute(&r, &u, &in, NULL), EST_OK);
    assert_close(r.gpu_node.power_w, 480.0, 1e-12);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_ALLOCATION, EST_MODEL_PART_GPU),
                     EST_MODEL_BASIS_MEASURED);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_PROCESS, EST_MODEL_PART_GPU),
                     EST_MODEL_BASIS_MEASURED);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_GPU),
                     EST_MODEL_BASIS_PARTLY);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_MEMORY),
                     EST_MODEL_BASIS_ESTIMATED);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_STATIC),
                     EST_MODEL_BASIS_ESTIMATED);
    /* b */
    in.node_gpus = 2;
    assert_int_equal(est_model_compute(&r, &u, &in, NULL), EST_OK);
    assert_close(r.gpu_node.power_w, 400.0, 1e-12);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_GPU),
                     EST_MODEL_BASIS_MEASURED);
    in.gpu_energy_kwh = 0.06; /* 30 W each, below the 40 W idle: node 2 x 40 = 80 W */
    assert_int_equal(est_model_compute(&r, &u, &in, NULL), EST_OK);
    assert_close(r.gpu_node.power_w, 80.0, 1e-12);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_GPU),
                     EST_MODEL_BASIS_PARTLY);
    /* c */
    in = (est_model_inputs)EST_MODEL_INPUTS_INIT;
    in.cpu_cores = 8;
    in.cpu_tdp_per_core_w = 10.0;
    in.cpu_energy_kwh = 0.08;
    in.node_cores = 16;
    in.runtime_h = 1.0;
    in.pue = 1.0;
    assert_int_equal(est_model_compute(&r, &u, &in, NULL), EST_OK);
    assert_close(r.cpu_node.power_w, 80.0, 1e-12);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_CPU),
                     EST_MODEL_BASIS_MEASURED);
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in.cpu_idle_frac = 0.1;
    in.cpu_max_frac = 1.0;
    assert_int_equal(est_model_compute(&r, &u, &in, NULL), EST_OK);
    assert_close(r.cpu_node.power_w, 88.0, 1e-12); /* 80 + 8 x 0.1 x 10 */
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_CPU),
                     EST_MODEL_BASIS_PARTLY);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_ALLOCATION, EST_MODEL_PART_CPU),
                     EST_MODEL_BASIS_MEASURED);
    /* d */
    in.cpu_energy_kwh = EST_UNSET;
    assert_int_equal(est_model_compute(&r, &u, &in, NULL), EST_OK);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_CPU),
                     EST_MODEL_BASIS_ESTIMATED);
    assert_int_equal(est_model_part_basis(NULL, &u, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_CPU),
                     EST_MODEL_BASIS_ESTIMATED);
    assert_int_equal(est_model_part_basis(&r, &u, EST_MODEL_SCOPE_NODE, (est_model_part)0),
                     EST_MODEL_BASIS_ESTIMATED);
}

/* The Green Algorithms form's inputs from what a run measured:
   runtime 5400 s -> 1.5 h; 4 cores, 10800 CPU-s: 10800 / (5400 x 4) = 0.5;
   memory 3.21 GB -> ceil(32.1) / 10 = 3.3 GB on the form; GPUs used 0.2
   and 0.6: mean 0.4.
   A busier job, 30000 CPU-s over 5400 s on 4 cores = 1.39: clamped to 1.
   No GPU: gpu_usage_frac EST_UNSET; memory 0 stays 0; 3.0 GB stays 3.0. */
static void test_model_ga_inputs_from_measured(void **state)
{
    static const double gu[] = {0.2, 0.6};
    est_model_ga_measured m = {EST_MODEL_GA_MEASURED_VERSION, 5400.0, 4, 10800.0, 3.21, 2, gu};
    est_model_ga_inputs ga;
    (void)state;
    ga.version = EST_MODEL_GA_INPUTS_VERSION;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_OK);
    assert_close(ga.runtime_h, 1.5, 1e-15);
    assert_int_equal(ga.cores, 4);
    assert_close(ga.core_usage_frac, 0.5, 1e-15);
    assert_close(ga.memory_gb, 3.21, 1e-15);
    assert_close(ga.memory_form_gb, 3.3, 1e-15);
    assert_int_equal(ga.gpus, 2);
    assert_close(ga.gpu_usage_frac, 0.4, 1e-15);
    assert_true(ga.cpu_usage_power_w == EST_UNSET && ga.gpu_power_w == EST_UNSET);
    m.cpu_s = 30000.0;
    m.n_gpus = 0;
    m.gpu_usage_frac = NULL;
    m.memory_gb = 3.0;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_OK);
    assert_close(ga.core_usage_frac, 1.0, 1e-15);
    assert_true(ga.gpu_usage_frac == EST_UNSET);
    assert_close(ga.memory_form_gb, 3.0, 1e-15);
    m.memory_gb = 0.0;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_OK);
    assert_true(ga.memory_form_gb == 0.0);
    /* refused: a negative CPU time, NaN, GPUs without their usages, a bad
       version; out is left as it was */
    m.cpu_s = -1.0;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_EINVAL);
    m.cpu_s = NAN;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_EINVAL);
    m.cpu_s = 1.0;
    m.n_gpus = 1;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_EINVAL);
    m.n_gpus = 0;
    m.version = 99;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_EINVAL);
    m.version = EST_MODEL_GA_MEASURED_VERSION;
    ga.version = 0;
    assert_int_equal(est_model_ga_inputs_compute(&ga, &m), EST_EINVAL);
    assert_int_equal(est_model_ga_inputs_compute(NULL, &m), EST_EINVAL);
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
        cmocka_unit_test(test_model_node_scope_curve_and_meter),
        cmocka_unit_test(test_model_node_scope_keeps_green_algorithms),
        cmocka_unit_test(test_model_version_1_inputs_are_accepted),
        cmocka_unit_test(test_model_measured_energy_replaces_estimates),
        cmocka_unit_test(test_model_cpu_curve_shape),
        cmocka_unit_test(test_model_rejects_invalid_node_inputs),
        cmocka_unit_test(test_model_refused_inputs_are_named_by_identifier),
        cmocka_unit_test(test_model_validation_cases),
        cmocka_unit_test(test_model_validation_node_at_the_wall),
        cmocka_unit_test(test_model_validation_specpower_server),
        cmocka_unit_test(test_model_scope_basis_rule),
        cmocka_unit_test(test_model_psu_efficiency_never_divides_a_measured_node),
        cmocka_unit_test(test_model_part_basis_rule),
        cmocka_unit_test(test_model_ga_inputs_from_measured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
