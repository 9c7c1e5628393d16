/* One set of inputs, two routes: est_estimate_run called here, and the
 * ecoest program run with the same inputs (--format json). Every figure of
 * the JSON must be the library's, exactly, over a grid of manual inputs,
 * each sample-log format and zones. (The live route against the loopback
 * server is compared in test_carbon_em: its provider is the CLI's.) */
#include <cjson/cJSON.h>

#include "ecoest/pipeline.h"
#include "test_util.h"

static char src[4096], bin[4096];
static est_hwdb *db;
static est_zones *zones;

static int setup(void **state)
{
    const char *s = getenv("ECOEST_SOURCE_DIR"), *b = getenv("ECOEST_BIN");
    char hw[4200], zf[4200];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_error e;
    (void)state;
    snprintf(src, sizeof src, "%s", s ? s : "..");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    /* the shipped tables, as the CLI opens them (no overlay: test_run_argv
       points HOME and XDG_CONFIG_HOME nowhere) */
    snprintf(hw, sizeof hw, "%s/hwdb", src);
    ho.shipped_dir = hw;
    if (est_hwdb_open(&db, &ho, &e))
        fail_msg("hwdb: %s", e.message);
    snprintf(zf, sizeof zf, "%s/carbon/zones.csv", src);
    zo.shipped_file = zf;
    if (est_zones_open(&zones, &zo, &e))
        fail_msg("zones: %s", e.message);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    est_hwdb_free(db);
    est_zones_free(zones);
    return 0;
}

static double json_at(cJSON *root, const char *a, const char *b)
{
    cJSON *o = cJSON_GetObjectItem(root, a);
    if (b)
        o = cJSON_GetObjectItem(o, b);
    if (!cJSON_IsNumber(o))
        fail_msg("no number at %s%s%s", a, b ? "." : "", b ? b : "");
    return o->valuedouble;
}

static void same_component(cJSON *o, const est_model_component *c, const char *what)
{
    cJSON *p = cJSON_GetObjectItem(o, "power_w"), *e = cJSON_GetObjectItem(o, "energy_kwh"),
          *g = cJSON_GetObjectItem(o, "co2e_g");
    if (!p || !e || !g)
        fail_msg("%s: missing figures", what);
    /* the JSON prints the shortest digits that read back to the double */
    assert_true(p->valuedouble == c->power_w);
    assert_true(e->valuedouble == c->energy_kwh);
    assert_true(g->valuedouble == c->co2e_g);
}

/* Runs the CLI with argv (NULL-terminated, without the program) and checks
   every figure against the library's estimate of o. */
static void compare(const est_estimate_options *o, est_samples *s, const char *const *args)
{
    char *argv[40];
    size_t n = 0;
    test_run r;
    cJSON *root, *comp;
    est_estimate *e;
    est_estimate_options oo = *o;
    const est_model_result *m;
    est_error err;
    argv[n++] = bin;
    while (*args)
        argv[n++] = (char *)*args++;
    argv[n++] = "--format";
    argv[n++] = "json";
    argv[n] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("ecoest exited %d: %s", r.status, r.err);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    oo.samples = s;
    if (est_estimate_run(&e, &oo, db, zones, &err))
        fail_msg("library: %s", err.message);
    m = est_estimate_model(e);
    assert_true(json_at(root, "energy_kwh", NULL) == m->total.energy_kwh);
    assert_true(json_at(root, "co2e_g", NULL) == m->total.co2e_g);
    assert_true(json_at(root, "power_w", NULL) == m->total.power_w);
    assert_true(json_at(root, "runtime_h", NULL) == est_estimate_model_inputs(e)->runtime_h);
    assert_true(json_at(root, "pue", NULL) == est_estimate_model_inputs(e)->pue);
    assert_true(json_at(root, "carbon_intensity_g_co2e_per_kwh", NULL) == est_estimate_model_inputs(e)->ci_g_co2e_per_kwh);
    comp = cJSON_GetObjectItem(root, "components");
    same_component(cJSON_GetObjectItem(comp, "cpu"), &m->cpu, "cpu");
    same_component(cJSON_GetObjectItem(comp, "gpu"), &m->gpu, "gpu");
    same_component(cJSON_GetObjectItem(comp, "memory"), &m->memory, "memory");
    same_component(cJSON_GetObjectItem(root, "process"), &m->process, "process");
    same_component(cJSON_GetObjectItem(root, "allocation"), &m->allocation, "allocation");
    same_component(cJSON_GetObjectItem(root, "node"), &m->node, "node");
    if (m->has_compare) {
        cJSON *cmp = cJSON_GetObjectItem(root, "compare");
        assert_true(json_at(cmp, "meter_kwh", NULL) == m->compare_kwh);
        assert_true(json_at(cJSON_GetObjectItem(cmp, "node"), "ratio", NULL) ==
                    m->compare_node.ratio);
        assert_true(json_at(cJSON_GetObjectItem(cmp, "process"), "estimate_kwh", NULL) ==
                    m->compare_process.estimate_kwh);
    } else {
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, "compare")));
    }
    /* the same inputs, in the same order, with the same sources */
    {
        cJSON *in = cJSON_GetObjectItem(root, "inputs");
        size_t i;
        assert_int_equal((size_t)cJSON_GetArraySize(in), est_estimate_input_count(e));
        for (i = 0; i < est_estimate_input_count(e); i++) {
            est_estimate_input_info ii;
            cJSON *it = cJSON_GetArrayItem(in, (int)i);
            ii.version = EST_ESTIMATE_INPUT_INFO_VERSION;
            est_estimate_input(&ii, e, i);
            assert_string_equal(cJSON_GetObjectItem(it, "name")->valuestring, ii.label);
            assert_string_equal(cJSON_GetObjectItem(it, "value")->valuestring, ii.value_text);
        }
    }
    cJSON_Delete(root);
    est_estimate_free(e);
    test_run_free(&r);
}

/* The CLI's option names, so that the sources match. */
static const char *labels[EST_INPUT_COUNT];

static void init_labels(const char *runtime)
{
    memset(labels, 0, sizeof labels);
    labels[EST_INPUT_CPU_MODEL] = "--cpu";
    labels[EST_INPUT_CPU_CORES] = "--cores";
    labels[EST_INPUT_CPU_TDP] = "--cpu-tdp";
    labels[EST_INPUT_CPU_TDP_PER_CORE] = "--cpu-tdp-per-core";
    labels[EST_INPUT_CPU_USAGE] = "--cpu-usage";
    labels[EST_INPUT_GPU_MODEL] = "--gpu";
    labels[EST_INPUT_GPU_COUNT] = "--gpus";
    labels[EST_INPUT_GPU_TDP] = "--gpu-tdp";
    labels[EST_INPUT_GPU_IDLE] = "--gpu-idle";
    labels[EST_INPUT_GPU_USAGE] = "--gpu-usage";
    labels[EST_INPUT_GPU_POWER] = "--gpu-power";
    labels[EST_INPUT_MEMORY] = "--memory";
    labels[EST_INPUT_MEMORY_W_PER_GB] = "--memory-w-per-gb";
    labels[EST_INPUT_RUNTIME] = runtime;
    labels[EST_INPUT_RUNS] = "--runs";
    labels[EST_INPUT_PUE] = "--pue";
    labels[EST_INPUT_ZONE] = "--zone";
    labels[EST_INPUT_CI] = "--ci";
    labels[EST_INPUT_WINDOW] = "--start/--end";
    labels[EST_INPUT_SCOPE] = "--scope";
    labels[EST_INPUT_SAMPLES] = "--samples";
    labels[EST_INPUT_NODE_CORES] = "--node-cores";
    labels[EST_INPUT_NODE_GPUS] = "--node-gpus";
    labels[EST_INPUT_NODE_MEMORY] = "--node-memory";
    labels[EST_INPUT_NODE_STATIC] = "--node-static-w";
    labels[EST_INPUT_CPU_POWER_MODEL] = "--cpu-power-model";
    labels[EST_INPUT_CPU_ENERGY] = "--cpu-energy-kwh";
    labels[EST_INPUT_GPU_ENERGY] = "--gpu-energy-kwh";
    labels[EST_INPUT_NODE_ENERGY] = "--node-energy-kwh";
    labels[EST_INPUT_COMPARE] = "--compare-kwh";
    labels[EST_INPUT_PSU_EFFICIENCY] = "--psu-efficiency";
}

static void test_pipeline_cli_manual_grid(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    (void)state;
    init_labels("--hours");
    o.input_labels = labels;

    /* a model by name, defaults everywhere else */
    o.cpu = "Xeon Gold 5218";
    o.gpu = "V100";
    o.runtime_h = 2.0;
    {
        const char *a[] = {"--cpu", "Xeon Gold 5218", "--gpu", "V100", "--hours", "2", NULL};
        compare(&o, NULL, a);
    }
    /* overrides, usage, memory, runs, PUE, a zone, the allocation scope */
    o.cpu_cores = 8;
    o.cpu_usage_frac = 0.75;
    o.cpu_tdp_w = 150.0;
    o.gpu_count = 4;
    o.gpu_usage_frac = 0.5;
    o.gpu_idle_w = 40.0;
    o.memory_gb = 64.0;
    o.runs = 3;
    o.pue = 1.2;
    o.zone = "FR";
    o.scope = EST_MODEL_SCOPE_ALLOCATION;
    {
        const char *a[] = {"--cpu", "Xeon Gold 5218", "--gpu", "V100", "--hours", "2",
                           "--cores", "8", "--cpu-usage", "0.75", "--cpu-tdp", "150",
                           "--gpus", "4", "--gpu-usage", "0.5", "--gpu-idle", "40",
                           "--memory", "64", "--runs", "3", "--pue", "1.2", "--zone", "FR",
                           "--scope", "allocation", NULL};
        compare(&o, NULL, a);
    }
    /* the node scope, a described node, measured energies, a meter */
    {
        est_estimate_options p = EST_ESTIMATE_OPTIONS_INIT;
        const char *a[] = {"--cpu", "Xeon Gold 5218", "--gpu", "V100", "--gpus", "2",
                           "--gpu-energy-kwh", "0.9", "--cpu-energy-kwh", "0.3",
                           "--memory", "64", "--hours", "3", "--scope", "node",
                           "--node-cores", "32", "--node-gpus", "4", "--node-memory", "384",
                           "--node-static-w", "35", "--compare-kwh", "2.5",
                           "--psu-efficiency", "0.92", "--zone", "FR", NULL};
        p.input_labels = labels;
        p.cpu = "Xeon Gold 5218";
        p.gpu = "V100";
        p.gpu_count = 2;
        p.gpu_energy_kwh = 0.9;
        p.cpu_energy_kwh = 0.3;
        p.memory_gb = 64.0;
        p.runtime_h = 3.0;
        p.scope = EST_MODEL_SCOPE_NODE;
        p.node_cores = 32;
        p.node_gpus = 4;
        p.node_memory_gb = 384.0;
        p.node_static_w = 35.0;
        p.compare_kwh = 2.5;
        p.psu_efficiency = 0.92;
        p.zone = "FR";
        compare(&p, NULL, a);
        /* the node measured: the node scope is the measurement */
        {
            const char *b[] = {"--cpu", "Xeon Gold 5218", "--hours", "3", "--scope", "node",
                               "--node-energy-kwh", "1.2", NULL};
            est_estimate_options q = EST_ESTIMATE_OPTIONS_INIT;
            q.input_labels = labels;
            q.cpu = "Xeon Gold 5218";
            q.runtime_h = 3.0;
            q.scope = EST_MODEL_SCOPE_NODE;
            q.node_energy_kwh = 1.2;
            compare(&q, NULL, b);
        }
    }
    /* the curve: the CLI's row (the default row, no model) and the library
       given the same parameters agree */
    {
        est_estimate_options p = EST_ESTIMATE_OPTIONS_INIT;
        const char *a[] = {"--cores", "6", "--cpu-tdp-per-core", "12", "--cpu-usage", "0.4",
                           "--cpu-power-model", "curve", "--node-cores", "48", "--scope",
                           "node", "--hours", "2", "--ci", "80", NULL};
        p.input_labels = labels;
        p.cpu_cores = 6;
        p.cpu_tdp_per_core_w = 12.0;
        p.cpu_usage_frac = 0.4;
        p.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
        p.cpu_idle_frac = 0.10; /* cpu_power_curves.csv's default row */
        p.cpu_max_frac = 0.64;
        p.cpu_curve_exponent = 1.4;
        p.node_cores = 48;
        p.scope = EST_MODEL_SCOPE_NODE;
        p.runtime_h = 2.0;
        p.ci_g_co2e_per_kwh = 80.0;
        compare(&p, NULL, a);
    }
    /* no model: numbers only, a measured GPU power, a given intensity */
    {
        est_estimate_options p = EST_ESTIMATE_OPTIONS_INIT;
        const char *a[] = {"--cores", "12", "--cpu-tdp-per-core", "10", "--gpu-power", "231",
                           "--gpu-tdp", "300", "--gpu-idle", "55", "--memory", "10",
                           "--hours", "504", "--ci", "56", "--zone", "DE", NULL};
        p.input_labels = labels;
        p.cpu_cores = 12;
        p.cpu_tdp_per_core_w = 10.0;
        p.gpu_power_w = 231.0;
        p.gpu_tdp_w = 300.0;
        p.gpu_idle_w = 55.0;
        p.memory_gb = 10.0;
        p.runtime_h = 504.0;
        p.ci_g_co2e_per_kwh = 56.0;
        p.zone = "DE";
        compare(&p, NULL, a);
    }
}

/* Each sample-log format, read by the library's reader here and by the CLI
   there, with the same options. */
static void one_log(const char *file, const char *columns, const char *tz_arg,
                    long tz_offset_s, double interval_s, const char *const *extra_args,
                    const est_estimate_options *base)
{
    char path[4200];
    const char *a[20];
    char ivl[32];
    size_t n = 0;
    est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_estimate_options o = *base;
    est_samples *s;
    est_error e;
    snprintf(path, sizeof path, "%s/tests/samples/%s", src, file);
    a[n++] = "--samples";
    a[n++] = path;
    if (columns) {
        a[n++] = "--columns";
        a[n++] = columns;
        ro.columns = columns;
    }
    if (tz_arg) {
        a[n++] = "--tz";
        a[n++] = tz_arg;
        ro.has_tz = 1;
        ro.tz_offset_s = tz_offset_s;
    }
    if (interval_s > 0.0) {
        snprintf(ivl, sizeof ivl, "%g", interval_s);
        a[n++] = "--interval";
        a[n++] = ivl;
        ro.interval_s = interval_s;
    }
    while (extra_args && *extra_args)
        a[n++] = *extra_args++;
    a[n] = NULL;
    assert_int_equal(est_samples_open(&s, &so, &e), EST_OK);
    if (est_samples_read_file(s, path, &ro, &e))
        fail_msg("%s: %s", file, e.message);
    assert_int_equal(est_samples_finish(s, &e), EST_OK);
    o.samples_label = "1 sample log";
    compare(&o, s, a);
    est_samples_free(s);
}

static void test_pipeline_cli_sample_formats(void **state)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    (void)state;
    init_labels("--hours");
    o.input_labels = labels;
    one_log("ecoest-basic.csv", NULL, NULL, 0, 0.0, NULL, &o);
    one_log("nvsmi.csv", NULL, "+01:00", 3600, 0.0, NULL, &o);
    one_log("amd-smi.csv", NULL, NULL, 0, 0.0, NULL, &o);
    one_log("rocm-smi.csv", NULL, NULL, 0, 2.0, NULL, &o);
    one_log("idle-two-gpus.csv", NULL, NULL, 0, 0.0, NULL, &o);
    {
        /* a CPU model and a zone beside the log; any CSV with a mapping */
        const char *x[] = {"--cpu", "Xeon Gold 5218", "--zone", "FR", "--memory", "32", NULL};
        o.cpu = "Xeon Gold 5218";
        o.zone = "FR";
        o.memory_gb = 32.0;
        one_log("cpu-cores-vary.csv", NULL, NULL, 0, 0.0, x, &o);
        one_log("host.csv", "time=timestamp,cpu_pct=cpu_user_pct,ram_gb=ram_used_gb", "UTC",
                0, 0.0, x, &o);
    }
}

/* examples/estimate_log.c prints ecoest's figures for the same log. */
static void test_pipeline_cli_example_estimate_log_agrees(void **state)
{
    const char *ex = getenv("ECOEST_EXAMPLE_ESTIMATE_LOG");
    char path[4200], *exe = (char *)ex;
    test_run a, b;
    cJSON *ja, *jb;
    (void)state;
    if (!ex) {
        print_message("skipped: the examples are not built\n");
        skip();
    }
    snprintf(path, sizeof path, "%s/tests/samples/ecoest-basic.csv", src);
    {
        char *av[] = {exe, path, "--cpu", "Xeon Gold 5218", "--zone", "FR", NULL};
        char *bv[] = {bin, "--samples", path, "--cpu", "Xeon Gold 5218", "--zone", "FR",
                      "--format", "json", NULL};
        test_run_argv(&a, av, NULL, NULL);
        test_run_argv(&b, bv, NULL, NULL);
    }
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    ja = cJSON_Parse(a.out);
    jb = cJSON_Parse(b.out);
    assert_non_null(ja);
    assert_non_null(jb);
    assert_true(json_at(ja, "energy_kwh", NULL) == json_at(jb, "energy_kwh", NULL));
    assert_true(json_at(ja, "co2e_g", NULL) == json_at(jb, "co2e_g", NULL));
    assert_true(json_at(ja, "power_w", NULL) == json_at(jb, "power_w", NULL));
    assert_true(json_at(ja, "carbon_intensity_g_co2e_per_kwh", NULL) ==
                json_at(jb, "carbon_intensity_g_co2e_per_kwh", NULL));
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    test_run_free(&a);
    test_run_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline_cli_manual_grid),
        cmocka_unit_test(test_pipeline_cli_sample_formats),
        cmocka_unit_test(test_pipeline_cli_example_estimate_log_agrees),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
