/* The embodied share (Green Algorithms v3.1's method) and carbon/embodied.csv. */
#include "test_util.h"

#include "ecoest/embodied.h"
#include "ecoest/pipeline.h"

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
 * parts 141399.8 g -> 7 x 141399.8 / 35064 = 989798.6 / 35064 = 28.22834 g
 * (35064 x 28 = 981792; 8006.6 / 35064 = 0.228342). */
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
    assert_close(r.rest_manufacturing_g, 141399.8, 0);
    in.lifetime_years = 4.0;
    in.active_frac = 1.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.rest_g, 28.22834, 1e-6);
    est_embodied_factors_free(f);
}

/* The CPU's die area: given (the hardware database's row) or the class
 * default of the platform, and the result says which. One CPU, 10 h,
 * lifetime 1 y and active 1 to keep the share simple: 10 / 8766.
 *   server, no die area:  11 cm2:    11 x 1970 + 9140 = 21670 + 9140 = 30810 g
 *   server, 10.64 cm2:    10.64 x 1970 + 9140 = 20960.8 + 9140 = 30100.8 g
 *   laptop, no die area:  2.42 cm2:  2.42 x 1970 + 9140 = 4767.4 + 9140 = 13907.4 g
 *   desktop, 1.77 cm2:    1.77 x 1970 + 9140 = 3486.9 + 9140 = 12626.9 g
 *   cpu_g = manufacturing x 10 / 8766, e.g. 308100 / 8766 = 35.14716 g. */
static void test_embodied_cpu_die_area_given_or_class_default(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    double v = 0;
    (void)state;
    assert_int_equal(est_embodied_factor(&v, NULL, f, "cpu_die_area_server_default_cm2"), EST_OK);
    assert_close(v, 11.0, 0);
    assert_int_equal(est_embodied_factor(&v, NULL, f, "cpu_die_area_personal_default_cm2"),
                     EST_OK);
    assert_close(v, 2.42, 0);
    in.hours_held = 10.0;
    in.cpu_count = 1.0;
    in.server_frac = 0.0;
    in.lifetime_years = 1.0;
    in.active_frac = 1.0;
    in.platform = EST_REGIONS_PLATFORM_LOCAL_SERVER;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.cpu_die_area_cm2, 11.0, 0);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_CLASS_DEFAULT);
    assert_string_equal(est_embodied_die_origin_name(r.cpu_die_area_origin), "class default");
    assert_close(r.cpu_manufacturing_g, 30810.0, 1e-12);
    assert_close(r.cpu_g, 35.14716, 1e-6);
    in.platform = EST_REGIONS_PLATFORM_CLOUD; /* a server too: the same class */
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.cpu_manufacturing_g, 30810.0, 1e-12);
    in.cpu_die_area_cm2 = 10.64;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.cpu_die_area_cm2, 10.64, 0);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_GIVEN);
    assert_string_equal(est_embodied_die_origin_name(r.cpu_die_area_origin), "given");
    assert_close(r.cpu_manufacturing_g, 30100.8, 1e-12);
    /* the GPU's die, not given: its default */
    assert_int_equal(r.gpu_die_area_origin, EST_EMBODIED_DIE_CLASS_DEFAULT);
    in.cpu_die_area_cm2 = EST_UNSET;
    in.platform = EST_REGIONS_PLATFORM_LAPTOP;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.cpu_die_area_cm2, 2.42, 0);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_CLASS_DEFAULT);
    assert_close(r.cpu_manufacturing_g, 13907.4, 1e-12);
    in.platform = EST_REGIONS_PLATFORM_DESKTOP;
    in.cpu_die_area_cm2 = 1.77;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_GIVEN);
    assert_close(r.cpu_manufacturing_g, 12626.9, 1e-12);
    /* a failure leaves no origin */
    in.hours_held = 0.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_EINVAL);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_NONE);
    est_embodied_factors_free(f);
}

/* A laptop or desktop of unknown CPU totals ADEME's whole computer, as in
 * Green Algorithms v3.1: the other parts are ADEME's figure less the class
 * default CPU and GA's default memory (carbon/embodied.csv).
 *   laptop, 11 GB:  141399.8 + 13907.4 + (11 / 1.8762 x 2200 + 11 / 32 x 5220)
 *                 = 141399.8 + 13907.4 + (12898.41 + 1794.375) = 169999.99 g
 *                   (ADEME: 170000 g; 141399.8 is rounded to 0.1 g)
 *   desktop, 8 GB:  242584.6 + 13907.4 + (8 / 1.8762 x 2200 + 8 / 32 x 5220)
 *                 = 242584.6 + 13907.4 + (9380.66 + 1305) = 267177.66 g
 *                   (ADEME: 267177.69 g) */
static void test_embodied_personal_computer_of_unknown_cpu_totals_ademe(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    double whole;
    (void)state;
    in.platform = EST_REGIONS_PLATFORM_LAPTOP;
    in.hours_held = 1.0;
    in.cpu_count = 1.0;
    in.memory_gb = 11.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    whole = r.cpu_manufacturing_g + r.memory_manufacturing_g + r.rest_manufacturing_g;
    assert_close(whole, 169999.99, 1e-7);
    in.platform = EST_REGIONS_PLATFORM_DESKTOP;
    in.memory_gb = 8.0;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    whole = r.cpu_manufacturing_g + r.memory_manufacturing_g + r.rest_manufacturing_g;
    assert_close(whole, 267177.66, 1e-7);
    est_embodied_factors_free(f);
}

/* 1 when a note of the estimate contains text. */
static int has_note(const est_estimate *e, const char *text)
{
    size_t i;
    for (i = 0; i < est_estimate_note_count(e); i++) {
        est_estimate_note_info ni;
        ni.version = EST_ESTIMATE_NOTE_INFO_VERSION;
        assert_int_equal(est_estimate_note(&ni, e, i), EST_OK);
        if (strstr(ni.text, text))
            return 1;
    }
    return 0;
}

/* The estimate takes the CPU's die area from its hwdb row, else the
 * platform's class default, and its notes say which. Die Chip: 8 cores,
 * 80 W, 2.5 cm2; Bare Chip: 8 cores, 80 W, no die area. All 8 cores (one
 * package) for 10 h on a local server (5 y x 8766 x 0.2 = 8766 h, share
 * 10 / 8766), no memory, no GPU:
 *   Die Chip:             2.5 x 1970 + 9140 = 4925 + 9140 = 14065 g;
 *                         cpu_g = 140650 / 8766 = 16.04495 g
 *   Bare Chip:            11 x 1970 + 9140 = 30810 g; 308100 / 8766 = 35.14716 g
 *   Bare Chip on a laptop (5 y x 8766 x 0.2012 = 8818.596 h):
 *                         2.42 x 1970 + 9140 = 13907.4 g;
 *                         139074 / 8818.596 = 15.77054 g
 *                         (8818.596 x 15.77 = 139069.26; 4.74 / 8818.596 = 0.000538) */
static void test_embodied_estimate_uses_the_hwdb_row_die_area(void **state)
{
    char *d = test_mkdtemp(), p[4200];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_embodied_factors *f = shipped();
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_estimate *est = NULL;
    est_embodied_result r;
    est_error e;
    (void)state;
    snprintf(p, sizeof p, "%s/cpu.csv", d);
    test_write_file(p, "model,vendor,cores,threads,tdp_w,year,die_area_cm2,source\n"
                       "Die Chip,Intel,8,16,80,2020,2.5,test row\n"
                       "Bare Chip,Intel,8,16,80,2020,,test row\n");
    snprintf(p, sizeof p, "%s/gpu.csv", d);
    test_write_file(p, "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source\n");
    snprintf(p, sizeof p, "%s/aliases.csv", d);
    test_write_file(p, "alias,kind,model,note\n");
    ho.shipped_dir = d;
    ho.index_path = "";
    if (est_hwdb_open(&db, &ho, &e))
        fail_msg("hwdb: %s", e.message);
    o.cpu = "Die Chip";
    o.runtime_h = 10.0;
    o.ci_g_co2e_per_kwh = 100.0;
    o.platform = EST_REGIONS_PLATFORM_LOCAL_SERVER;
    o.embodied = f;
    assert_int_equal(est_estimate_run(&est, &o, db, NULL, &e), EST_OK);
    assert_int_equal(est_estimate_embodied(&r, est), 1);
    assert_close(r.cpu_die_area_cm2, 2.5, 0);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_GIVEN);
    assert_close(r.cpu_manufacturing_g, 14065.0, 1e-12);
    assert_close(r.cpu_g, 16.04495, 1e-6);
    assert_true(has_note(est, "CPU die area 2.5 cm2 (embodied share): hwdb row "));
    assert_true(has_note(est, "cpu.csv:2"));
    est_estimate_free(est);
    o.cpu = "Bare Chip";
    assert_int_equal(est_estimate_run(&est, &o, db, NULL, &e), EST_OK);
    assert_int_equal(est_estimate_embodied(&r, est), 1);
    assert_close(r.cpu_die_area_cm2, 11.0, 0);
    assert_int_equal(r.cpu_die_area_origin, EST_EMBODIED_DIE_CLASS_DEFAULT);
    assert_close(r.cpu_g, 35.14716, 1e-6);
    assert_true(has_note(est, "CPU die area 11 cm2 (embodied share): class default for the "
                              "local-server platform (its hwdb row gives none)"));
    est_estimate_free(est);
    o.platform = EST_REGIONS_PLATFORM_LAPTOP;
    assert_int_equal(est_estimate_run(&est, &o, db, NULL, &e), EST_OK);
    assert_int_equal(est_estimate_embodied(&r, est), 1);
    assert_close(r.cpu_die_area_cm2, 2.42, 0);
    assert_close(r.cpu_g, 15.77054, 1e-6);
    assert_true(has_note(est, "class default for the laptop platform"));
    est_estimate_free(est);
    est_embodied_factors_free(f);
    est_hwdb_free(db);
    test_rmtree(d);
    free(d);
}

/* A GPU's die area, given or the class default (gpu_die_area_default_cm2
 * 6.162 cm2, every platform), with gpu_die 1970 g/cm2 and gpu_base 26970 g
 * (carbon/embodied.csv); one GPU, 10 h, lifetime 1 y, active 1: share
 * 10 / 8766.
 *   8.26 cm2 (an A100):   8.26 x 1970 + 26970 = 16272.2 + 26970 = 43242.2 g;
 *                         gpu_g = 432422 / 8766 = 49.329455 g
 *                         (8766 x 49 = 429534; 2888 / 8766 = 0.329455)
 *   class default 6.162:  6.162 x 1970 + 26970 = 12139.14 + 26970 = 39109.14 g;
 *                         gpu_g = 391091.4 / 8766 = 44.614579 g
 *                         (8766 x 44 = 385704; 5387.4 / 8766 = 0.614579)
 * The result names the platform it used. */
static void test_embodied_gpu_die_area_given_or_class_default(void **state)
{
    est_embodied_factors *f = shipped();
    est_embodied_inputs in = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    double v = 0;
    (void)state;
    assert_int_equal(est_embodied_factor(&v, NULL, f, "gpu_die_area_default_cm2"), EST_OK);
    assert_close(v, 6.162, 0);
    in.hours_held = 10.0;
    in.gpu_count = 1.0;
    in.server_frac = 0.0;
    in.lifetime_years = 1.0;
    in.active_frac = 1.0;
    in.platform = EST_REGIONS_PLATFORM_CLOUD;
    in.gpu_die_area_cm2 = 8.26;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.gpu_die_area_cm2, 8.26, 0);
    assert_int_equal(r.gpu_die_area_origin, EST_EMBODIED_DIE_GIVEN);
    assert_close(r.gpu_manufacturing_g, 43242.2, 1e-12);
    assert_close(r.gpu_g, 49.329455, 1e-7);
    assert_int_equal(r.platform, EST_REGIONS_PLATFORM_CLOUD);
    in.gpu_die_area_cm2 = EST_UNSET;
    in.platform = EST_REGIONS_PLATFORM_LAPTOP; /* the same default on any platform */
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_OK);
    assert_close(r.gpu_die_area_cm2, 6.162, 0);
    assert_int_equal(r.gpu_die_area_origin, EST_EMBODIED_DIE_CLASS_DEFAULT);
    assert_close(r.gpu_manufacturing_g, 39109.14, 1e-12);
    assert_close(r.gpu_g, 44.614579, 1e-7);
    assert_int_equal(r.platform, EST_REGIONS_PLATFORM_LAPTOP);
    in.gpu_die_area_cm2 = -1.5;
    assert_int_equal(est_embodied_compute(&r, f, &in, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "die areas"));
    est_embodied_factors_free(f);
}

/* The estimate takes the GPU's die area from its row of the shipped
 * database: hwdb/gpu.csv:29, A100 PCIe 40GB, 8.26 cm2 (Green Algorithms
 * v3.1 GPUs-manual.csv:18, techpowerup's GA100: 826 mm2); A100 SXM4 80GB
 * (gpu.csv:32) gives none: the class default 6.162 cm2. One GPU for 10 h on
 * a local server (5 y x 8766 x 0.2 = 8766 h, share 10 / 8766): the GPU's
 * share is the same as above, 49.329455 g and 44.614579 g. */
static void test_embodied_estimate_uses_the_gpu_row_die_area(void **state)
{
    char p[4200];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_embodied_factors *f = shipped();
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_estimate *est = NULL;
    est_embodied_result r;
    est_error e;
    (void)state;
    snprintf(p, sizeof p, "%s/hwdb", getenv("ECOEST_SOURCE_DIR"));
    ho.shipped_dir = p;
    ho.index_path = "";
    if (est_hwdb_open(&db, &ho, &e))
        fail_msg("hwdb: %s", e.message);
    o.gpu = "A100 PCIe 40GB";
    o.gpu_count = 1;
    o.runtime_h = 10.0;
    o.ci_g_co2e_per_kwh = 100.0;
    o.platform = EST_REGIONS_PLATFORM_LOCAL_SERVER;
    o.embodied = f;
    if (est_estimate_run(&est, &o, db, NULL, &e))
        fail_msg("estimate: %s", e.message);
    assert_int_equal(est_estimate_embodied(&r, est), 1);
    assert_close(r.gpu_die_area_cm2, 8.26, 0);
    assert_int_equal(r.gpu_die_area_origin, EST_EMBODIED_DIE_GIVEN);
    assert_close(r.gpu_manufacturing_g, 43242.2, 1e-12);
    assert_close(r.gpu_g, 49.329455, 1e-7);
    assert_true(has_note(est, "GPU die area 8.26 cm2 (embodied share): hwdb row "));
    assert_true(has_note(est, "gpu.csv:29"));
    est_estimate_free(est);
    o.gpu = "A100 SXM4 80GB";
    assert_int_equal(est_estimate_run(&est, &o, db, NULL, &e), EST_OK);
    assert_int_equal(est_estimate_embodied(&r, est), 1);
    assert_close(r.gpu_die_area_cm2, 6.162, 0);
    assert_int_equal(r.gpu_die_area_origin, EST_EMBODIED_DIE_CLASS_DEFAULT);
    assert_close(r.gpu_g, 44.614579, 1e-7);
    assert_true(has_note(est, "GPU die area 6.162 cm2 (embodied share): class default (its "
                              "hwdb row gives none)"));
    est_estimate_free(est);
    est_embodied_factors_free(f);
    est_hwdb_free(db);
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
        cmocka_unit_test(test_embodied_cpu_die_area_given_or_class_default),
        cmocka_unit_test(test_embodied_personal_computer_of_unknown_cpu_totals_ademe),
        cmocka_unit_test(test_embodied_estimate_uses_the_hwdb_row_die_area),
        cmocka_unit_test(test_embodied_gpu_die_area_given_or_class_default),
        cmocka_unit_test(test_embodied_estimate_uses_the_gpu_row_die_area),
        cmocka_unit_test(test_embodied_rejects_bad_inputs),
        cmocka_unit_test(test_embodied_malformed_factors_say_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
