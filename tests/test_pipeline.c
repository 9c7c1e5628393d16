/* ecoest/pipeline.h: the one estimate pipeline, called directly (no
 * process). The hardware and zones come from small tables written here, so
 * the expected values are worked out by hand from those rows. */
#include <sys/stat.h>

#include "ecoest/pipeline.h"
#include "test_util.h"

static char *dir;
static est_hwdb *db;
static est_zones *zones;

static int setup(void **state)
{
    char p[4200];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_error e;
    (void)state;
    dir = test_mkdtemp();
    /* Test CPU 8: 8 cores, 80 W: 10 W per core */
    snprintf(p, sizeof p, "%s/cpu.csv", dir);
    test_write_file(p, "model,vendor,cores,threads,tdp_w,year,source\n"
                       "Test CPU 8,Intel,8,16,80,2020,test row\n");
    /* Test GPU: 300 W, idle 50 W */
    snprintf(p, sizeof p, "%s/gpu.csv", dir);
    test_write_file(p, "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source\n"
                       "Test GPU,NVIDIA,300,50,16,PCIe,2020,test row\n"
                       "Bare GPU,NVIDIA,200,,16,PCIe,2020,test row without idle\n");
    snprintf(p, sizeof p, "%s/aliases.csv", dir);
    test_write_file(p, "alias,kind,model,note\n");
    ho.shipped_dir = dir;
    if (est_hwdb_open(&db, &ho, &e))
        fail_msg("hwdb: %s", e.message);
    snprintf(p, sizeof p, "%s/zones.csv", dir);
    test_write_file(p, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                       "WORLD,World,475,2019,direct,,test world\n"
                       "XX,Test land,100,2023,lifecycle,,test zone\n");
    zo.shipped_file = p;
    if (est_zones_open(&zones, &zo, &e))
        fail_msg("zones: %s", e.message);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    est_hwdb_free(db);
    est_zones_free(zones);
    test_rmtree(dir);
    free(dir);
    return 0;
}

/* The index of the input whose label is label, or fails. */
static est_estimate_input_info find_input(const est_estimate *e, const char *label)
{
    size_t i;
    est_estimate_input_info ii;
    for (i = 0; i < est_estimate_input_count(e); i++) {
        ii.version = EST_ESTIMATE_INPUT_INFO_VERSION;
        assert_int_equal(est_estimate_input(&ii, e, i), EST_OK);
        if (strcmp(ii.label, label) == 0)
            return ii;
    }
    fail_msg("no input \"%s\"", label);
    return ii;
}

/* 1 when a note of kind contains text. */
static int has_note(const est_estimate *e, est_estimate_note_kind kind, const char *text)
{
    size_t i;
    for (i = 0; i < est_estimate_note_count(e); i++) {
        est_estimate_note_info ni;
        ni.version = EST_ESTIMATE_NOTE_INFO_VERSION;
        assert_int_equal(est_estimate_note(&ni, e, i), EST_OK);
        if (ni.kind == kind && strstr(ni.text, text))
            return 1;
    }
    return 0;
}

/* Test CPU 8 (10 W/core), 4 cores at 0.5, 2 h, PUE 1.5, zone XX (100 g/kWh):
   CPU 4 x 10 x 0.5 = 20 W, x 1.5 = 30 W; 30 W x 2 h = 0.06 kWh; x 100 = 6 g. */
static void test_pipeline_cpu_by_name_with_provenance(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_estimate *e;
    est_error err;
    const est_model_result *m;
    est_estimate_input_info ii;
    est_hwdb_entry ent;
    (void)state;
    o.cpu = "Test CPU 8";
    o.cpu_cores = 4;
    o.cpu_usage_frac = 0.5;
    o.runtime_h = 2.0;
    o.pue = 1.5;
    o.zone = "XX";
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    m = est_estimate_model(e);
    assert_close(m->cpu.power_w, 30.0, 1e-12);
    assert_close(m->total.energy_kwh, 0.06, 1e-12);
    assert_close(m->total.co2e_g, 6.0, 1e-12);
    ii = find_input(e, "CPU model");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_HWDB);
    ii = find_input(e, "CPU TDP");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_HWDB);
    assert_string_equal(ii.source, "test row");
    ii = find_input(e, "CPU cores");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    assert_close(ii.value, 4.0, 0);
    ii = find_input(e, "CPU usage");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    ii = find_input(e, "Carbon intensity");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_ZONE);
    assert_close(ii.value, 100.0, 0);
    ii = find_input(e, "Runtime");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    ii = find_input(e, "PUE");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    ii = find_input(e, "Memory");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_DEFAULT);
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "Memory not counted"));
    assert_int_equal(est_estimate_cpu_entry(&ent, e), 1);
    assert_string_equal(ent.model, "Test CPU 8");
    assert_int_equal(est_estimate_gpu_entry(&ent, e), 0);
    assert_int_equal(est_estimate_ci_origin(e), EST_ESTIMATE_CI_ZONE);
    assert_non_null(strstr(est_estimate_ci_source(e), "zone XX (Test land)"));
    est_estimate_free(e);
    est_estimate_free(NULL);
}

/* A package TDP of 160 W replaces the model's 80 W: 160 / 8 = 20 W per
   core; all 8 cores (not given), usage 1, 1 h, PUE 1, ci 50:
   8 x 20 = 160 W = 0.16 kWh = 8 g. The labels name the caller's options. */
static void test_pipeline_override_is_said_with_the_callers_label(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    const char *labels[EST_INPUT_COUNT] = {0};
    est_estimate *e;
    est_error err;
    est_estimate_input_info ii;
    (void)state;
    labels[EST_INPUT_CPU_TDP] = "--my-tdp";
    o.cpu = "Test CPU 8";
    o.cpu_tdp_w = 160.0;
    o.runtime_h = 1.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 50.0;
    o.input_labels = labels;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_model(e)->total.co2e_g, 8.0, 1e-12);
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "overridden by --my-tdp"));
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "CPU cores 8: all physical cores"));
    ii = find_input(e, "CPU TDP");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    assert_string_equal(ii.source, "--my-tdp");
    ii = find_input(e, "CPU cores");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_HWDB);
    ii = find_input(e, "Carbon intensity");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    assert_int_equal(est_estimate_ci_origin(e), EST_ESTIMATE_CI_GIVEN);
    est_estimate_free(e);
}

/* Errors name the input by identifier, never by a message prefix. */
static void test_pipeline_errors_name_the_input(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    const char *labels[EST_INPUT_COUNT] = {0};
    est_estimate *e = (est_estimate *)&o;
    est_error err;
    est_suggestions s;
    (void)state;
    o.runtime_h = 1.0;
    o.cpu = "Test CPU 9";
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_ENOTFOUND);
    assert_null(e);
    assert_int_equal(err.input, EST_INPUT_CPU_MODEL);
    /* the name refused, for the suggest call: the one CPU of the table */
    assert_string_equal(err.value, "Test CPU 9");
    assert_int_equal(est_hwdb_suggest(&s, db, EST_HWDB_CPU, err.value), EST_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "Test CPU 8");

    o.cpu = "Test GPU"; /* a GPU given as the CPU */
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_MODEL);
    assert_non_null(strstr(err.message, "is a GPU"));
    assert_string_equal(err.value, ""); /* no lookup refused it */

    /* an unknown zone: its code; "XY" to "XX" is one substitution, score
       2 x 1 = 2; "WORLD" is 2 x 5 + 1 = 11, past the limit of 5 */
    o.cpu = "Test CPU 8";
    o.zone = "XY";
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_ENOTFOUND);
    assert_int_equal(err.input, EST_INPUT_ZONE);
    assert_string_equal(err.value, "XY");
    assert_int_equal(est_zones_suggest(&s, zones, err.value), EST_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "XX");
    o.zone = NULL;

    o.cpu = "Test CPU 8";
    o.cpu_usage_frac = 1.5; /* the model refuses it */
    labels[EST_INPUT_CPU_USAGE] = "--usage";
    o.input_labels = labels;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_USAGE);
    assert_non_null(strstr(err.message, "--usage: must be between 0 and 1"));

    o.cpu_usage_frac = EST_UNSET;
    o.zone = "YY";
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_ENOTFOUND);
    assert_int_equal(err.input, EST_INPUT_ZONE);

    o.zone = NULL;
    o.cpu = NULL;
    o.cpu_tdp_w = 100.0; /* a TDP without a model needs cores */
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_CORES);

    /* a package TDP without a model: the cores counted are the package, said
       so; 100 W / 4 cores = 25 W per core */
    o.cpu_cores = 4;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "taken as that whole package: 25 W per core"));
    est_estimate_free(e);
    o.cpu_cores = 0;
    o.cpu_tdp_w = EST_UNSET;

    o.gpu_count = 2; /* a count without a GPU */
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_GPU_COUNT);

    o.gpu_count = 0;
    o.version = 0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    o.version = EST_ESTIMATE_OPTIONS_VERSION + 1;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(est_estimate_run(NULL, &o, db, zones, &err), EST_EINVAL);
}

/* 2 x Test GPU (300 W, idle 50 W from the database) at usage 0.5, 1 h,
   PUE 1: process 2 x 0.5 x (300 - 50) = 250 W; allocation 2 x 0.5 x 300 =
   300 W. */
static void test_pipeline_gpu_idle_from_the_database(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_estimate *e;
    est_error err;
    est_estimate_input_info ii;
    (void)state;
    o.gpu = "Test GPU";
    o.gpu_count = 2;
    o.gpu_usage_frac = 0.5;
    o.runtime_h = 1.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_model(e)->process.power_w, 250.0, 1e-12);
    assert_close(est_estimate_model(e)->allocation.power_w, 300.0, 1e-12);
    ii = find_input(e, "GPU idle power");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_HWDB);
    assert_close(ii.value, 50.0, 0);
    /* the idle's source names the row (file:line) and its source */
    assert_non_null(strstr(ii.source, "hardware database, "));
    assert_non_null(strstr(ii.source, "gpu.csv:2: test row"));
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "the process scope counts each GPU above it"));
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "No CPU counted"));
    est_estimate_free(e);

    /* no idle known: counted from 0 W, and said so */
    o.gpu = "Bare GPU";
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    /* 2 x 0.5 x 200 = 200 W in both scopes */
    assert_close(est_estimate_model(e)->process.power_w, 200.0, 1e-12);
    ii = find_input(e, "GPU idle power");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_DEFAULT);
    est_estimate_free(e);
}

/* A provider serving 100 g/kWh for [0, 1800) and 300 for [1800, 3600):
   the time mean over the hour is (100 + 300) / 2 = 200. */
static const est_intensity_point two_halves[] = {{0.0, 1800.0, 100.0}, {1800.0, 1800.0, 300.0}};

static int halves_provider(void *user, const est_zone *z, double start, double end,
                           est_intensity_answer *a, est_error *err)
{
    int *calls = user;
    (void)err;
    (*calls)++;
    assert_string_equal(z->code, "XX");
    assert_close(start, 0.0, 0);
    assert_close(end, 3600.0, 0);
    a->points = two_halves;
    a->n_points = 2;
    snprintf(a->source, sizeof a->source, "test");
    return EST_OK;
}

static int failing_provider(void *user, const est_zone *z, double start, double end,
                            est_intensity_answer *a, est_error *err)
{
    size_t i;
    (void)user, (void)z, (void)start, (void)end, (void)a;
    /* a long reason: the note that quotes it is never cut */
    snprintf(err->message, sizeof err->message, "the test server is down: ");
    for (i = strlen(err->message); i < 400; i++)
        err->message[i] = 'x';
    err->message[400] = '\0';
    return err->code = EST_ENET;
}

/* 1 core x 10 W (TDP per core, no model), usage 1, PUE 1, over [0, 3600):
   10 W x 1 h = 0.01 kWh; x 200 = 2 g. */
static void test_pipeline_live_provider_mean_and_fallback(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_estimate *e;
    est_error err;
    est_intensity_stats st;
    int calls = 0;
    size_t i;
    (void)state;
    o.cpu_cores = 1;
    o.cpu_tdp_per_core_w = 10.0;
    o.start_unix_s = 0.0;
    o.end_unix_s = 3600.0;
    o.pue = 1.0;
    o.zone = "XX";
    o.intensity = halves_provider;
    o.intensity_user = &calls;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_int_equal(calls, 1);
    assert_close(est_estimate_model(e)->total.co2e_g, 2.0, 1e-12);
    assert_int_equal(est_estimate_ci_origin(e), EST_ESTIMATE_CI_LIVE);
    assert_int_equal(est_estimate_ci_stats(&st, e), 1);
    assert_close(st.coverage_frac, 1.0, 0);
    assert_non_null(strstr(est_estimate_ci_source(e), "test, zone XX"));
    assert_int_equal(find_input(e, "Carbon intensity").origin, EST_ESTIMATE_ORIGIN_LIVE);
    assert_int_equal(find_input(e, "Runtime").origin, EST_ESTIMATE_ORIGIN_DERIVED);
    est_estimate_free(e);

    /* the provider fails: the zone's 100 g/kWh, 0.01 kWh x 100 = 1 g, and a
       note quoting the whole reason */
    o.intensity = failing_provider;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_model(e)->total.co2e_g, 1.0, 1e-12);
    assert_int_equal(est_estimate_ci_origin(e), EST_ESTIMATE_CI_FALLBACK);
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "Live carbon intensity unavailable"));
    for (i = 0; i < est_estimate_note_count(e); i++) {
        est_estimate_note_info ni;
        ni.version = EST_ESTIMATE_NOTE_INFO_VERSION;
        est_estimate_note(&ni, e, i);
        if (strstr(ni.text, "Live carbon"))
            assert_true(strlen(ni.text) > 400); /* not cut at 240 */
    }
    est_estimate_free(e);

    /* strict: the provider's code, the intensity named */
    o.strict = 1;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_ENET);
    assert_int_equal(err.input, EST_INPUT_CI);
}

/* A sample log pushed through the library's integrator:
   CPU package power 10 W over [0, 1800) then 30 W over [1800, 3600)
   (ticks at 0, 900: 10 W; 1800, 2700, 3600: 30 W, so [900, 1800) ramps
   from 10 to 30 W); GPU 0 "Test GPU" at a constant 100 W (idle 50 W from
   the database). PUE 1.
   CPU energy: 900 x 10 + 900 x (10 + 30) / 2 + 1800 x 30 = 9000 + 18000 +
   54000 = 81000 J = 22.5 Wh; mean 81000 / 3600 = 22.5 W.
   GPU: process 100 - 50 = 50 W, allocation 100 W.
   With the two-halves provider, the energy-weighted intensity (15-minute
   bins, CPU package power only counted with the GPU above idle): bins
   [0,900) 10 W + 50 W = 60 W -> 15 Wh; [900,1800) 20 + 50 = 70 W ->
   17.5 Wh; [1800,2700) and [2700,3600) 30 + 50 = 80 W -> 20 Wh each.
   (15 x 100 + 17.5 x 100 + 20 x 300 + 20 x 300) / 72.5 = 15250 / 72.5
   = 210.3448...; the time mean would be 200. */
static void test_pipeline_samples_map_to_inputs_and_weight_the_intensity(void **state)
{
    est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_samples *s;
    est_estimate *e;
    est_error err;
    est_intensity_weighted w;
    est_estimate_input_info ii;
    const est_model_result *m;
    static const double t[] = {0, 900, 1800, 2700, 3600};
    static const double cpu[] = {10, 10, 30, 30, 30};
    int calls = 0;
    size_t i;
    (void)state;
    so.bin_s = 900.0;
    assert_int_equal(est_samples_open(&s, &so, &err), EST_OK);
    assert_int_equal(est_samples_set_gpu_info(s, 0, "Test GPU", 0), EST_OK);
    for (i = 0; i < 5; i++) {
        est_sample v[2];
        v[0].kind = EST_SAMPLES_CPU_PACKAGE_POWER_W;
        v[0].device = 0;
        v[0].value = cpu[i];
        v[1].kind = EST_SAMPLES_GPU_POWER_W;
        v[1].device = 0;
        v[1].value = 100.0;
        assert_int_equal(est_samples_push(s, t[i], v, 2, &err), EST_OK);
    }
    assert_int_equal(est_samples_finish(s, &err), EST_OK);
    o.samples = s;
    o.pue = 1.0;
    o.zone = "XX";
    o.intensity = halves_provider;
    o.intensity_user = &calls;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    m = est_estimate_model(e);
    assert_close(est_estimate_model_inputs(e)->cpu_power_w, 22.5, 1e-12);
    assert_close(est_estimate_model_inputs(e)->gpu_power_w, 100.0, 1e-12);
    assert_close(est_estimate_model_inputs(e)->gpu_idle_w, 50.0, 1e-12);
    assert_close(m->process.power_w, 72.5, 1e-12);
    assert_close(m->allocation.power_w, 122.5, 1e-12);
    assert_close(est_estimate_model_inputs(e)->runtime_h, 1.0, 1e-12);
    assert_int_equal(est_estimate_ci_weighted(&w, e), 1);
    assert_close(w.mean_g_co2e_per_kwh, 15250.0 / 72.5, 1e-12);
    assert_close(est_estimate_model_inputs(e)->ci_g_co2e_per_kwh, 15250.0 / 72.5, 1e-12);
    ii = find_input(e, "CPU power");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_MEASURED);
    ii = find_input(e, "Runtime");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_LOG);
    ii = find_input(e, "GPU count");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_LOG);
    est_estimate_free(e);

    /* a runtime with a log: refused, the runtime named */
    o.runtime_h = 2.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_RUNTIME);
    o.runtime_h = EST_UNSET;
    o.gpu_power_w = 10.0; /* the log gives the GPUs' power */
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_GPU_POWER);
    est_samples_free(s);
}

/* The window rules, with now = 10000 s. */
static void test_pipeline_window_rules(void **state)
{
    double s, e, r;
    int hw;
    est_error err;
    (void)state;
    /* start and end: runtime 3600 - 0 = 3600 */
    s = 0; e = 3600; r = EST_UNSET;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_OK);
    assert_close(r, 3600, 0);
    assert_int_equal(hw, 1);
    /* start and runtime: end 100 + 50 = 150 */
    s = 100; e = EST_UNSET; r = 50;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_OK);
    assert_close(e, 150, 0);
    /* end and runtime: start 500 - 200 = 300 */
    s = EST_UNSET; e = 500; r = 200;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_OK);
    assert_close(s, 300, 0);
    /* start alone: until now, runtime 10000 - 4000 = 6000 */
    s = 4000; e = EST_UNSET; r = EST_UNSET;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_OK);
    assert_close(e, 10000, 0);
    assert_close(r, 6000, 0);
    /* runtime alone: [10000 - 600, 10000), a guess */
    s = EST_UNSET; e = EST_UNSET; r = 600;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_OK);
    assert_close(s, 9400, 0);
    assert_int_equal(hw, 0);
    /* start and end 3600 s apart but a runtime of 3700 s: 100 s > 60 s */
    s = 0; e = 3600; r = 3700;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_WINDOW);
    assert_close(s, 0, 0); /* nothing written */
    /* within 60 s: accepted, the runtime given is kept */
    r = 3650;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_OK);
    assert_close(r, 3650, 0);
    /* a start in the future with no end */
    s = 20000; e = EST_UNSET; r = EST_UNSET;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_WINDOW);
    /* an end alone, nothing, a runtime of 0 */
    s = EST_UNSET; e = 100; r = EST_UNSET;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_EINVAL);
    e = EST_UNSET;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_RUNTIME);
    r = 0;
    assert_int_equal(est_estimate_window_resolve(&s, &e, &r, 10000, &hw, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_RUNTIME);
}

/* The node scope through the pipeline: Test CPU 8 (10 W per core, 8 cores),
 * 2 Test GPUs (300 W, idle 50 W from the database) at usage 0.5, 16 GB, on a
 * node of 32 cores, 4 GPUs and 256 GB; PUE 1, 1 h, CI 100 (zone XX).
 *   process    8 x 10 + 2 x 0.5 x 250 + 16 x 0.3725 = 80 + 250 + 5.96 = 335.96 W
 *   allocation 80 + 2 x 0.5 x 300 + 5.96            = 385.96 W
 *   node       20 (static) + 80 (tdp: no floor) + (2 x (50 + 125) + 2 x 50)
 *              + 256 x 0.3725 = 20 + 80 + 450 + 95.36 = 645.36 W
 * A meter of 0.5 kWh: node ratio 0.64536 / 0.5 = 1.29072. A version 1
 * struct (version 1, a node scope it cannot name) is refused; a version 1
 * struct of the process scope gives the same process figures. */
static void test_pipeline_node_scope_and_meter(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_estimate *e;
    const est_model_result *m;
    est_error err;
    est_estimate_input_info ii;
    (void)state;
    o.cpu = "Test CPU 8";
    o.gpu = "Test GPU";
    o.gpu_count = 2;
    o.gpu_usage_frac = 0.5;
    o.memory_gb = 16.0;
    o.runtime_h = 1.0;
    o.pue = 1.0;
    o.zone = "XX";
    o.scope = EST_MODEL_SCOPE_NODE;
    o.node_cores = 32;
    o.node_gpus = 4;
    o.node_memory_gb = 256.0;
    o.compare_kwh = 0.5;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    m = est_estimate_model(e);
    assert_close(m->process.power_w, 335.96, 1e-12);
    assert_close(m->allocation.power_w, 385.96, 1e-12);
    assert_close(m->node.power_w, 645.36, 1e-12);
    assert_close(m->total.power_w, 645.36, 1e-12);
    assert_close(m->compare_node.ratio, 1.29072, 1e-12);
    ii = find_input(e, "Node cores");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_GIVEN);
    assert_close(ii.value, 32.0, 0);
    ii = find_input(e, "Node static power");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_DEFAULT);
    assert_close(ii.value, 20.0, 0);
    ii = find_input(e, "Meter reading");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_MEASURED);
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "before PUE"));
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "tdp model has no idle floor"));
    est_estimate_free(e);

    /* without the node: the allocation is the node, said */
    o.node_cores = 0;
    o.node_gpus = 0;
    o.node_memory_gb = EST_UNSET;
    o.compare_kwh = EST_UNSET;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    /* 20 + 80 + 2 x 175 + 5.96 = 455.96 W */
    assert_close(est_estimate_model(e)->node.power_w, 455.96, 1e-12);
    assert_true(has_note(e, EST_ESTIMATE_NOTE_ASSUMPTION, "taken as the whole node"));
    assert_string_equal(find_input(e, "Node cores").source, "default: the job's cores");
    est_estimate_free(e);

    /* version 1 knows no node scope; with the process scope it still works */
    o.version = 1;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    o.scope = EST_MODEL_SCOPE_PROCESS;
    o.node_static_w = 1e9; /* past a version 1 struct: not read */
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_model(e)->process.power_w, 335.96, 1e-12);
    est_estimate_free(e);
}

/* Measured energies and their errors: --psu-efficiency without a meter,
 * an energy beside a usage. 1 h, PUE 1: CPU 0.05 kWh = 50 W measured. */
static void test_pipeline_measured_energy(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT, bad;
    est_estimate *e;
    est_error err;
    (void)state;
    o.cpu = "Test CPU 8";
    o.cpu_energy_kwh = 0.05;
    o.runtime_h = 1.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_int_equal(est_estimate_model(e)->cpu_measured, 1);
    assert_close(est_estimate_model(e)->cpu.power_w, 50.0, 1e-12);
    assert_int_equal(find_input(e, "CPU energy").origin, EST_ESTIMATE_ORIGIN_MEASURED);
    est_estimate_free(e);
    bad = o;
    bad.psu_efficiency = 0.9;
    assert_int_equal(est_estimate_run(&e, &bad, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_PSU_EFFICIENCY);
    bad = o;
    bad.cpu_usage_frac = 0.5;
    assert_int_equal(est_estimate_run(&e, &bad, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_ENERGY);
    bad = o;
    bad.gpu_energy_kwh = 1.0;
    assert_int_equal(est_estimate_run(&e, &bad, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_GPU_ENERGY);
    bad = o;
    bad.node_cores = 4; /* fewer than the model's 8 */
    assert_int_equal(est_estimate_run(&e, &bad, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_NODE_CORES);
}

/* The CPU power curve from a table (options version 4): the pipeline picks
   the resolved CPU's row itself. The table (hand-written):
     line 2  test-family  match "Test CPU"  idle 0.2  max 0.9  r 2
     line 3  default      *                 idle 0.1  max 0.6  r 1
   Per core at usage u: TDP/core x (idle + (max - idle) x f(u)),
   f(u) = 2u - u^r (docs/method.md); PUE 1, 1 h.
   a. Test CPU 8 (8 cores, 10 W/core) at 0.5: row test-family,
      f = 1 - 0.25 = 0.75; per core 10 x (0.2 + 0.7 x 0.75) = 7.25 W:
      allocation 8 x 7.25 = 58 W, process 8 x 10 x 0.7 x 0.75 = 42 W.
   b. no model, 4 cores x 10 W at 0.5: the default row, f = 1 - 0.5 = 0.5;
      allocation 4 x 10 x (0.1 + 0.5 x 0.5) = 14 W, process 4 x 10 x 0.5
      x 0.5 = 10 W.
   c. the three fractions given (0, 1, 1) win over the table: linear from
      0, so 8 x 10 x 0.5 = 40 W in both scopes. */
static void test_pipeline_cpu_curve_row_from_the_table(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_power_curves *curves;
    est_estimate *e;
    est_error err;
    const est_model_result *m;
    const est_power_curve *row;
    est_estimate_input_info ii;
    char p[4200];
    (void)state;
    snprintf(p, sizeof p, "%s/cpu_power_curves.csv", dir);
    test_write_file(p, "family,match,idle_frac,max_frac,exponent,source\n"
                       "test-family,Test CPU,0.2,0.9,2,test curve\n"
                       "default,*,0.1,0.6,1,the default curve\n");
    assert_int_equal(est_power_curves_open_default(&curves, dir, &err), EST_OK);
    o.cpu = "Test CPU 8";
    o.cpu_usage_frac = 0.5;
    o.runtime_h = 1.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    o.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    o.cpu_curves = curves;
    /* a */
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    m = est_estimate_model(e);
    assert_close(m->cpu_allocation.power_w, 58.0, 1e-12);
    assert_close(m->cpu_process.power_w, 42.0, 1e-12);
    row = est_estimate_cpu_curve(e);
    assert_non_null(row);
    assert_string_equal(row->family, "test-family");
    ii = find_input(e, "CPU power model");
    assert_int_equal(ii.origin, EST_ESTIMATE_ORIGIN_CURVES);
    assert_string_equal(ii.source, "cpu_power_curves.csv:2, test-family: test curve");
    assert_string_equal(est_estimate_origin_name(ii.origin), "curves");
    est_estimate_free(e);
    /* b */
    o.cpu = NULL;
    o.cpu_cores = 4;
    o.cpu_tdp_per_core_w = 10.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    m = est_estimate_model(e);
    assert_close(m->cpu_allocation.power_w, 14.0, 1e-12);
    assert_close(m->cpu_process.power_w, 10.0, 1e-12);
    assert_string_equal(est_estimate_cpu_curve(e)->family, "default");
    ii = find_input(e, "CPU power model");
    assert_string_equal(ii.source, "cpu_power_curves.csv:3, default: the default curve");
    est_estimate_free(e);
    /* c */
    o.cpu = "Test CPU 8";
    o.cpu_cores = 0;
    o.cpu_tdp_per_core_w = EST_UNSET;
    o.cpu_idle_frac = 0.0;
    o.cpu_max_frac = 1.0;
    o.cpu_curve_exponent = 1.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    m = est_estimate_model(e);
    assert_close(m->cpu_allocation.power_w, 40.0, 1e-12);
    assert_close(m->cpu_process.power_w, 40.0, 1e-12);
    assert_null(est_estimate_cpu_curve(e));
    assert_int_equal(find_input(e, "CPU power model").origin, EST_ESTIMATE_ORIGIN_GIVEN);
    est_estimate_free(e);
    /* two of the three fractions: neither given nor the table's */
    o.cpu_curve_exponent = EST_UNSET;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_null(e);
    assert_int_equal(err.input, EST_INPUT_CPU_POWER_MODEL);
    /* a version 3 struct ends before cpu_curves: the table is not read, so
       the curve without fractions is refused, by identifier */
    o.cpu_idle_frac = o.cpu_max_frac = EST_UNSET;
    o.version = 3;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_POWER_MODEL);
    /* and with the fractions, a version 3 struct still works (case c) */
    o.cpu_idle_frac = 0.0;
    o.cpu_max_frac = 1.0;
    o.cpu_curve_exponent = 1.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_model(e)->cpu_allocation.power_w, 40.0, 1e-12);
    est_estimate_free(e);
    est_power_curves_free(curves);
}

/* The model's refusals reach the caller by identifier, the message under
   the caller's label: a usage of 1.5 is EST_INPUT_CPU_USAGE. */
static void test_pipeline_model_refusal_keeps_the_identifier(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    const char *labels[EST_INPUT_COUNT] = {0};
    est_estimate *e;
    est_error err;
    (void)state;
    o.cpu_cores = 2;
    o.cpu_tdp_per_core_w = 10.0;
    o.runtime_h = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    o.cpu_usage_frac = 1.5;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_USAGE);
    assert_true(strncmp(err.message, "cpu_usage_frac: ", 16) == 0);
    labels[EST_INPUT_CPU_USAGE] = "--cpu-usage";
    o.input_labels = labels;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_EINVAL);
    assert_int_equal(err.input, EST_INPUT_CPU_USAGE);
    assert_true(strncmp(err.message, "--cpu-usage: must be between 0 and 1", 36) == 0);
}

static void test_pipeline_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(est_input_name(EST_INPUT_CPU_TDP), "cpu_tdp_w");
    assert_string_equal(est_input_name(EST_INPUT_CI), "ci_g_co2e_per_kwh");
    assert_string_equal(est_input_name(EST_INPUT_SAMPLES), "samples");
    assert_string_equal(est_input_name(EST_INPUT_NODE_CORES), "node_cores");
    assert_string_equal(est_input_name(EST_INPUT_PSU_EFFICIENCY), "psu_efficiency");
    assert_string_equal(est_input_name((est_input_id)99), "?");
    assert_string_equal(est_estimate_origin_name(EST_ESTIMATE_ORIGIN_LOG), "log");
    assert_string_equal(est_estimate_origin_name((est_estimate_origin)0), "?");
}

/* A log of one hour, 0 to 3600 s every 1800 s: GPU 0 ("Test GPU", TDP
   300 W, idle 50 W) at 150 W and usage gu (gu < 0: no usage column). */
static est_samples *gpu_log(double gu)
{
    est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
    est_samples *s;
    est_error err;
    size_t i;
    assert_int_equal(est_samples_open(&s, &so, &err), EST_OK);
    assert_int_equal(est_samples_set_gpu_info(s, 0, "Test GPU", 0), EST_OK);
    for (i = 0; i < 3; i++) {
        est_sample v[2];
        v[0].kind = EST_SAMPLES_GPU_POWER_W;
        v[0].device = 0;
        v[0].value = 150.0;
        v[1].kind = EST_SAMPLES_GPU_USAGE_FRAC;
        v[1].device = 0;
        v[1].value = gu;
        assert_int_equal(est_samples_push(s, 1800.0 * (double)i, v, gu < 0.0 ? 1 : 2, &err),
                         EST_OK);
    }
    assert_int_equal(est_samples_finish(s, &err), EST_OK);
    return s;
}

/* Measured against the model (docs/run.md). Test CPU 8 (10 W per core)
   and the log above with usage 0.4:
     CPU  measured 0.025 kWh; model 7200 CPU-s x 10 W / 3.6e6 = 0.02 kWh;
          ratio 0.02 / 0.025 = 0.8
     GPU  measured 150 W x 3600 s / 3.6e6 = 0.15 kWh; model 300 W x 0.4 x
          3600 s / 3.6e6 = 0.12 kWh; ratio 0.8
     both measured 0.175, model 0.14, ratio 0.8.
   Without the GPUs: only the CPU; nothing measured: 0. A log without usage:
   the GPU's model figure is unknown (EST_UNSET), so is both's. */
static void test_pipeline_measured_against_the_model(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_measured_figures in = {EST_MEASURED_FIGURES_VERSION, 7200.0, 0.025, 1};
    est_measured_compare c;
    est_samples *s = gpu_log(0.4);
    est_estimate *e;
    est_error err;
    (void)state;
    o.cpu = "Test CPU 8";
    o.samples = s;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    c.version = EST_MEASURED_COMPARE_VERSION;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), 1);
    assert_true(c.cpu.present && c.gpu.present && c.cpu_gpu.present);
    assert_close(c.cpu.measured_kwh, 0.025, 1e-15);
    assert_close(c.cpu.model_kwh, 0.02, 1e-15);
    assert_close(c.cpu.ratio, 0.8, 1e-14);
    assert_close(c.gpu.measured_kwh, 0.15, 1e-15);
    assert_close(c.gpu.model_kwh, 0.12, 1e-15);
    assert_close(c.gpu.ratio, 0.8, 1e-14);
    assert_close(c.cpu_gpu.measured_kwh, 0.175, 1e-15);
    assert_close(c.cpu_gpu.model_kwh, 0.14, 1e-15);
    assert_close(c.cpu_gpu.ratio, 0.8, 1e-14);
    /* the GPUs not compared */
    in.gpus = 0;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), 1);
    assert_true(c.cpu.present && !c.gpu.present && !c.cpu_gpu.present);
    /* nothing measured */
    in.cpu_energy_kwh = EST_UNSET;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), 0);
    assert_false(c.cpu.present || c.gpu.present || c.cpu_gpu.present);
    /* measured 0 kWh: no ratio */
    in.cpu_energy_kwh = 0.0;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), 1);
    assert_true(c.cpu.ratio == EST_UNSET);
    /* refused */
    in.cpu_s = NAN;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), EST_EINVAL);
    in.cpu_s = 7200.0;
    in.cpu_energy_kwh = -2.0;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), EST_EINVAL);
    in.cpu_energy_kwh = 0.025;
    c.version = 0;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), EST_EINVAL);
    est_estimate_free(e);
    est_samples_free(s);

    /* no usage in the log: the GPU model has no figure */
    s = gpu_log(-1.0);
    o.samples = s;
    in.gpus = 1;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    c.version = EST_MEASURED_COMPARE_VERSION;
    assert_int_equal(est_estimate_measured_compare(&c, e, &in), 1);
    assert_close(c.gpu.measured_kwh, 0.15, 1e-15);
    assert_true(c.gpu.model_kwh == EST_UNSET && c.gpu.ratio == EST_UNSET);
    assert_true(c.cpu_gpu.model_kwh == EST_UNSET && c.cpu_gpu.ratio == EST_UNSET);
    assert_close(c.cpu_gpu.measured_kwh, 0.175, 1e-15);
    est_estimate_free(e);
    est_samples_free(s);
}

/* The Green Algorithms form's inputs equivalent to an estimate.
   a. Test CPU 8 on 4 cores at usage 0.5, 12.34 GB, 2 x Test GPU at 0.25,
      2 h: runtime 2 h, 4 cores, usage 0.5 (given), CPU by the usage route
      4 x 10 W x 0.5 = 20 W, memory 12.34 -> 12.4 GB on the form, 2 GPUs at
      0.25, no measured power, TDP 300 W.
   b. the log above (150 W per GPU measured), Test CPU 8: the usage the
      form needs for 150 W is 150 / 300 = 0.5; CPU usage 1 (default),
      8 x 10 x 1 = 80 W. */
static void test_pipeline_ga_inputs_of_an_estimate(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_model_ga_inputs ga;
    est_samples *s;
    est_estimate *e;
    est_error err;
    (void)state;
    o.cpu = "Test CPU 8";
    o.cpu_cores = 4;
    o.cpu_usage_frac = 0.5;
    o.memory_gb = 12.34;
    o.gpu = "Test GPU";
    o.gpu_count = 2;
    o.gpu_usage_frac = 0.25;
    o.runtime_h = 2.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    ga.version = EST_MODEL_GA_INPUTS_VERSION;
    assert_int_equal(est_estimate_ga_inputs(&ga, e), EST_OK);
    assert_close(ga.runtime_h, 2.0, 1e-15);
    assert_int_equal(ga.cores, 4);
    assert_close(ga.core_usage_frac, 0.5, 1e-15);
    assert_int_equal(ga.core_usage_origin, EST_ESTIMATE_ORIGIN_GIVEN);
    assert_close(ga.cpu_usage_power_w, 20.0, 1e-15);
    assert_true(ga.cpu_measured_w == EST_UNSET);
    assert_close(ga.memory_gb, 12.34, 1e-15);
    assert_close(ga.memory_form_gb, 12.4, 1e-15);
    assert_int_equal(ga.gpus, 2);
    assert_close(ga.gpu_usage_frac, 0.25, 1e-15);
    assert_true(ga.gpu_power_w == EST_UNSET);
    assert_close(ga.gpu_tdp_w, 300.0, 1e-15);
    ga.version = 0;
    assert_int_equal(est_estimate_ga_inputs(&ga, e), EST_EINVAL);
    est_estimate_free(e);

    s = gpu_log(0.4);
    memset(&o, 0, sizeof o);
    {
        est_estimate_options init = EST_ESTIMATE_OPTIONS_INIT;
        o = init;
    }
    o.cpu = "Test CPU 8";
    o.samples = s;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    ga.version = EST_MODEL_GA_INPUTS_VERSION;
    assert_int_equal(est_estimate_ga_inputs(&ga, e), EST_OK);
    assert_close(ga.runtime_h, 1.0, 1e-15);
    assert_int_equal(ga.cores, 8);
    assert_close(ga.core_usage_frac, 1.0, 1e-15);
    assert_close(ga.cpu_usage_power_w, 80.0, 1e-15);
    assert_int_equal(ga.gpus, 1);
    assert_close(ga.gpu_power_w, 150.0, 1e-15);
    assert_close(ga.gpu_usage_frac, 0.5, 1e-15);
    est_estimate_free(e);
    est_samples_free(s);
}

/* What a report shows beside the figures:
   - the package TDP: Test CPU 8 (80 W, 8 cores) on 4 cores is still 80 W
     (10 W x the row's 8 cores); no model, --cpu-tdp 60 W on 4 cores: 60 W;
     5 W per core on 4 cores: 20 W; no CPU: EST_UNSET;
   - the power sources: the row's "test row"; a GPU power given with the
     caller's label "--gpu-power" (no TDP input) -> "--gpu-power", without
     labels -> "gpu_power_w"; a log's GPU power -> "sample log (measured
     power)";
   - the basis: a measured GPU (150 W from the log) and no CPU, no memory:
     "measured" in the process scope, "partly" in the node scope. */
static void test_pipeline_report_provenance(void **state)
{
    est_estimate_options base = EST_ESTIMATE_OPTIONS_INIT, o;
    const char *labels[EST_INPUT_COUNT] = {0};
    est_samples *s;
    est_estimate *e;
    est_error err;
    (void)state;
    base.runtime_h = 1.0;
    base.ci_g_co2e_per_kwh = 100.0;
    o = base;
    o.cpu = "Test CPU 8";
    o.cpu_cores = 4;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_cpu_package_tdp_w(e), 80.0, 1e-15);
    assert_string_equal(est_estimate_power_source(e, 0), "test row");
    assert_null(est_estimate_power_source(e, 1));
    assert_int_equal(est_estimate_basis(e, EST_MODEL_SCOPE_PROCESS), EST_MODEL_BASIS_ESTIMATED);
    est_estimate_free(e);
    o = base;
    o.cpu_cores = 4;
    o.cpu_tdp_w = 60.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_cpu_package_tdp_w(e), 60.0, 1e-15);
    est_estimate_free(e);
    o = base;
    o.cpu_cores = 4;
    o.cpu_tdp_per_core_w = 5.0;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_close(est_estimate_cpu_package_tdp_w(e), 20.0, 1e-15);
    est_estimate_free(e);
    o = base;
    o.gpu_power_w = 120.0;
    o.gpu_count = 1;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_true(est_estimate_cpu_package_tdp_w(e) == EST_UNSET);
    assert_null(est_estimate_power_source(e, 0));
    assert_string_equal(est_estimate_power_source(e, 1), "gpu_power_w");
    est_estimate_free(e);
    labels[EST_INPUT_GPU_POWER] = "--gpu-power";
    o.input_labels = labels;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_string_equal(est_estimate_power_source(e, 1), "--gpu-power");
    est_estimate_free(e);

    s = gpu_log(0.4);
    o = base;
    o.runtime_h = EST_UNSET;
    o.samples = s;
    assert_int_equal(est_estimate_run(&e, &o, db, zones, &err), EST_OK);
    assert_string_equal(est_estimate_power_source(e, 1), "sample log (measured power)");
    assert_int_equal(est_estimate_basis(e, EST_MODEL_SCOPE_PROCESS), EST_MODEL_BASIS_MEASURED);
    assert_int_equal(est_estimate_basis(e, EST_MODEL_SCOPE_NODE), EST_MODEL_BASIS_PARTLY);
    assert_int_equal(est_estimate_basis(NULL, EST_MODEL_SCOPE_NODE), EST_MODEL_BASIS_ESTIMATED);
    est_estimate_free(e);
    est_samples_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline_cpu_by_name_with_provenance),
        cmocka_unit_test(test_pipeline_override_is_said_with_the_callers_label),
        cmocka_unit_test(test_pipeline_errors_name_the_input),
        cmocka_unit_test(test_pipeline_gpu_idle_from_the_database),
        cmocka_unit_test(test_pipeline_live_provider_mean_and_fallback),
        cmocka_unit_test(test_pipeline_samples_map_to_inputs_and_weight_the_intensity),
        cmocka_unit_test(test_pipeline_window_rules),
        cmocka_unit_test(test_pipeline_names_are_stable),
        cmocka_unit_test(test_pipeline_cpu_curve_row_from_the_table),
        cmocka_unit_test(test_pipeline_model_refusal_keeps_the_identifier),
        cmocka_unit_test(test_pipeline_node_scope_and_meter),
        cmocka_unit_test(test_pipeline_measured_energy),
        cmocka_unit_test(test_pipeline_measured_against_the_model),
        cmocka_unit_test(test_pipeline_ga_inputs_of_an_estimate),
        cmocka_unit_test(test_pipeline_report_provenance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
