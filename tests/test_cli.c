/* ecoest for manual inputs: exit codes, stdout, stderr, and the figures of the
 * JSON, CSV and text outputs against hand-worked values. */
#include <cjson/cJSON.h>
#include <sys/stat.h>

#include "test_util.h"

static const char *bin(void)
{
    const char *b = getenv("ECOEST_BIN");
    if (!b)
        fail_msg("ECOEST_BIN is not set (run through ctest)");
    return b;
}

/* Runs ecoest with the given arguments (NULL-terminated); test_run_argv
 * gives it a clean environment: no user config, no overlays. */
static void run(test_run *r, const char *first, ...)
{
    char *argv[64];
    va_list ap;
    int n = 0;
    argv[n++] = (char *)bin();
    va_start(ap, first);
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    test_run_argv(r, argv, NULL, NULL);
}

static cJSON *parse_json(const test_run *r)
{
    cJSON *j = cJSON_Parse(r->out);
    if (!j)
        fail_msg("stdout is not JSON: %s\nstderr: %s", r->out, r->err);
    return j;
}

/* "a.b.c" lookup of a number. */
static double num_at(const cJSON *root, const char *path)
{
    char buf[256], *save = NULL, *tok;
    const cJSON *cur = root;
    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
        if (!cur)
            fail_msg("JSON has no %s", path);
    }
    if (!cJSON_IsNumber(cur))
        fail_msg("JSON %s is not a number", path);
    return cur->valuedouble;
}

static const char *str_at(const cJSON *root, const char *path)
{
    char buf[256], *save = NULL, *tok;
    const cJSON *cur = root;
    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
        if (!cur)
            fail_msg("JSON has no %s", path);
    }
    if (!cJSON_IsString(cur))
        fail_msg("JSON %s is not a string", path);
    return cur->valuestring;
}

static void expect_usage_error(test_run *r, const char *needle)
{
    if (r->status != 64)
        fail_msg("exit %d, expected 64; stderr: %s", r->status, r->err);
    assert_int_equal(r->out_len, 0);
    assert_true(strncmp(r->err, "ecoest: ", 8) == 0);
    if (needle && !strstr(r->err, needle))
        fail_msg("stderr \"%s\" does not mention \"%s\"", r->err, needle);
    /* one line */
    assert_non_null(strchr(r->err, '\n'));
    assert_null(strchr(r->err, '\n') + 1 < r->err + r->err_len ? strchr(strchr(r->err, '\n') + 1, '\n') : NULL);
}

/* Paper example 1 through the CLI, with hardware given as "other":
 * 1.67 x (12 x 10 + 10 x 0.3725) x 504 / 1000 = 104.136858 kWh; x 475 = 49465.01 g;
 * x 11 runs = 544115.08 g. */
static void test_cli_paper_example_cpu(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cores", "12", "--cpu-tdp-per-core", "10", "--memory", "10", "--pue", "1.67",
        "--ci", "475", "--hours", "504", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 104.136858, 1e-4 / 100);
    assert_close(num_at(j, "co2e_g"), 49465.01, 1e-4 / 100);
    assert_close(num_at(j, "hardware.cpu.tdp_per_core_w"), 10.0, 0);
    assert_close(num_at(j, "hardware.cpu.cores"), 12.0, 0);
    cJSON_Delete(j);
    test_run_free(&r);

    run(&r, "--cores", "12", "--cpu-tdp-per-core", "10", "--memory", "10", "--pue", "1.67",
        "--ci", "475", "--hours", "504", "--runs", "11", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "co2e_g"), 544115.08, 1e-4 / 100);
    assert_close(num_at(j, "runs"), 11.0, 0);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* Paper example 2: 1.67 x 64 x 300 x 0.627 x 79 / 1000 = 1588.226112 kWh; x 475 = 754407.40 g. */
static void test_cli_paper_example_gpu_allocation(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--gpus", "64", "--gpu-tdp", "300", "--gpu-usage", "62.7%", "--pue", "1.67",
        "--ci", "475", "--hours", "79", "--scope", "allocation", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 1588.226112, 1e-4 / 100);
    assert_close(num_at(j, "co2e_g"), 754407.40, 1e-4 / 100);
    assert_string_equal(str_at(j, "scope"), "allocation");
    cJSON_Delete(j);
    test_run_free(&r);
}

/* The command, exactly as written. Xeon Gold 5218: 16 cores, 125 W
 * (Intel ARK); V100 resolves to the SXM2 part, 300 W (NVIDIA datasheet).
 * Allocation scope (idle-independent): 1.67 x (125 + 300) x 2 / 1000 = 1.4195 kWh,
 * x 475 = 674.2625 g. */
static void test_cli_readme_command_works_as_written(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cpu", "Xeon Gold 5218", "--hours", "2", "--gpu", "V100", NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "Xeon Gold 5218"));
    assert_non_null(strstr(r.out, "V100"));
    assert_non_null(strstr(r.out, "Assumptions"));
    test_run_free(&r);

    run(&r, "--cpu", "Xeon Gold 5218", "--hours", "2", "--gpu", "V100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_string_equal(str_at(j, "hardware.cpu.model"), "Xeon Gold 5218");
    assert_close(num_at(j, "hardware.cpu.cores"), 16.0, 0);
    assert_close(num_at(j, "hardware.cpu.tdp_w"), 125.0, 0);
    assert_close(num_at(j, "hardware.cpu.tdp_per_core_w"), 7.8125, 0);
    assert_close(num_at(j, "hardware.gpu.tdp_w"), 300.0, 0);
    assert_close(num_at(j, "hardware.gpu.count"), 1.0, 0);
    assert_close(num_at(j, "allocation.energy_kwh"), 1.4195, 1e-12);
    assert_close(num_at(j, "allocation.co2e_g"), 674.2625, 1e-12);
    assert_close(num_at(j, "carbon_intensity_g_co2e_per_kwh"), 475.0, 0);
    assert_close(num_at(j, "pue"), 1.67, 0);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* Every key the JSON interface promises, and components adding up. */
static void test_cli_json_has_the_documented_keys(void **state)
{
    static const char *const keys[] = {
        "energy_kwh", "co2e_g", "power_w", "runtime_h", "runs", "pue",
        "carbon_intensity_g_co2e_per_kwh", "components.cpu.power_w", "components.cpu.energy_kwh",
        "components.cpu.co2e_g", "components.gpu.power_w", "components.gpu.energy_kwh",
        "components.gpu.co2e_g", "components.memory.power_w", "components.memory.energy_kwh",
        "components.memory.co2e_g", "allocation.energy_kwh", "allocation.co2e_g",
        "hardware.cpu.cores", "hardware.cpu.tdp_w", "hardware.cpu.tdp_per_core_w",
        "hardware.gpu.count", "hardware.gpu.tdp_w", "hardware.gpu.idle_w",
        "equivalents.tree_months", "equivalents.car_km", "equivalents.flight_fraction"};
    test_run r;
    cJSON *j;
    size_t i;
    (void)state;
    run(&r, "--cores", "4", "--cpu-tdp", "100", "--gpus", "2", "--gpu-tdp", "250",
        "--gpu-idle", "50", "--memory", "32", "--hours", "3", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        (void)num_at(j, keys[i]);
    assert_string_equal(str_at(j, "scope"), "process");
    assert_string_equal(str_at(j, "equivalents.flight"), "Paris-Dublin");
    (void)str_at(j, "hardware.cpu.source");
    (void)str_at(j, "hardware.gpu.source");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "assumptions")));
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(j, "assumptions")) > 0);
    assert_close(num_at(j, "components.cpu.energy_kwh") + num_at(j, "components.gpu.energy_kwh") +
                     num_at(j, "components.memory.energy_kwh"),
                 num_at(j, "energy_kwh"), 1e-12);
    assert_close(num_at(j, "components.cpu.co2e_g") + num_at(j, "components.gpu.co2e_g") +
                     num_at(j, "components.memory.co2e_g"),
                 num_at(j, "co2e_g"), 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* Idle subtraction through the CLI: 2 GPUs, TDP 300, idle 40, usage 0.5, PUE 1.5,
 * 10 h, CI 100: process 1.5 x 2 x 0.5 x 260 = 390 W -> 3.9 kWh, 390 g;
 * allocation 1.5 x 2 x 0.5 x 300 = 450 W -> 4.5 kWh; idle left out: each GPU
 * draws 40 + 0.5 x 260 = 170 W of which the process scope counts 130 W, so
 * 1.5 x 2 x 40 = 120 W. */
static void test_cli_process_scope_leaves_idle_out(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--gpus", "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-usage", "0.5",
        "--pue", "1.5", "--hours", "10", "--ci", "100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 3.9, 1e-12);
    assert_close(num_at(j, "co2e_g"), 390.0, 1e-12);
    assert_close(num_at(j, "allocation.energy_kwh"), 4.5, 1e-12);
    assert_close(num_at(j, "gpu_idle_excluded_w"), 120.0, 1e-12);
    assert_close(num_at(j, "hardware.gpu.idle_w"), 40.0, 0);
    cJSON_Delete(j);
    test_run_free(&r);

    run(&r, "--gpus", "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-usage", "0.5",
        "--pue", "1.5", "--hours", "10", "--ci", "100", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "GPU idle power left out of the process scope: 120 W"));
    assert_non_null(strstr(r.out, "Allocation scope: 4.5 kWh, 450 g"));
    test_run_free(&r);
}

/* --gpu-usage 0 on a node of 4 GPUs, 2 held: TDP 300, idle 40, PUE 1.5, 10 h,
 * CI 100, no CPU, no memory.
 *   process    usage 0 x 260 = 0 W; idle left out 1.5 x 2 x 40 = 120 W
 *   allocation 0 x 300 = 0 W;       idle left out (1 - 0) x 2 x 40 x 1.5 = 120 W
 *   node       1.5 x (20 static + 4 x 40) = 1.5 x 180 = 270 W -> 2.7 kWh, 270 g;
 *              the idle GPUs it counts: 1.5 x 4 x 40 = 240 W
 * each scope says what it counts. CSV: as many fields in the row as in the
 * header, node_energy_kwh 2.7. */
static void test_cli_node_scope_counts_held_idle_gpus(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--gpus", "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-usage", "0",
        "--pue", "1.5", "--hours", "10", "--ci", "100", "--node-gpus", "4", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "GPU idle power left out of the process scope: 120 W"));
    assert_non_null(strstr(r.out, "GPU idle power left out of the allocation scope: 120 W"));
    assert_non_null(strstr(r.out, "GPU idle power counted in the node scope: 240 W"));
    assert_non_null(strstr(r.out, "Node scope: 2.7 kWh, 270 g"));
    assert_non_null(strstr(r.out, "Allocation scope counts the job's CPU and memory, its GPUs "
                                  "from 0 W"));
    test_run_free(&r);
    run(&r, "--gpus", "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-usage", "0",
        "--pue", "1.5", "--hours", "10", "--ci", "100", "--node-gpus", "4", "--scope", "node",
        "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 2.7, 1e-12);
    assert_close(num_at(j, "node.energy_kwh"), 2.7, 1e-12);
    assert_close(num_at(j, "node.power_w"), 270.0, 1e-12);
    assert_close(num_at(j, "components.static.power_w"), 30.0, 1e-12);
    assert_close(num_at(j, "gpu_idle_excluded_allocation_w"), 120.0, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(j, "scope")->valuestring, "node");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "node"), "basis")->valuestring,
                        "estimated");
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--gpus", "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-usage", "0",
        "--pue", "1.5", "--hours", "10", "--ci", "100", "--node-gpus", "4", "--format", "csv",
        NULL);
    assert_int_equal(r.status, 0);
    {
        const char *row = strchr(r.out, '\n') + 1, *p;
        size_t hf = 1, rf = 1;
        for (p = r.out; p < row; p++)
            hf += *p == ',';
        for (p = row; *p; p++)
            rf += *p == ',';
        assert_int_equal(hf, rf);
        assert_non_null(strstr(r.out, ",node_power_w,node_energy_kwh,node_co2e_g,"));
        assert_non_null(strstr(row, ",270,2.7,270,estimated,estimated,estimated,tdp,,,,"));
    }
    test_run_free(&r);
}

/* Measured energy first, and a meter: 1 h, PUE 1.25, CI 100; CPU 0.08 kWh
 * measured (80 W), 16 GB x 0.3725 = 5.96 W; meter 0.1 kWh.
 *   process = allocation = 1.25 x 85.96 = 107.45 W -> 0.10745 kWh
 *   before PUE: 0.08596 kWh, ratio 0.8596
 *   node (the allocation, 20 W static): 105.96 W before PUE; PSU 0.9:
 *   0.10596 / 0.9 = 0.11773... kWh, ratio 1.1773... */
/* Each scope's total says what it rests on. A measured CPU (0.05 kWh over
   2 h: 25 W) beside 10 GB of memory (3.725 W, estimated): the process and
   allocation totals are partly measured, 28.725 W; without memory they are
   measured; the node scope adds an estimated static power (20 W x 2 h =
   40 Wh: 90 Wh) and is partly measured; nothing measured: estimated. */
static void test_cli_scope_totals_carry_their_basis(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "2", "--cpu-energy-kwh",
        "0.05", "--memory", "10", "--pue", "1", "--ci", "100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "process.power_w"), 28.725, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "process"), "basis")->valuestring,
                        "partly measured");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "allocation"), "basis")->valuestring,
                        "partly measured");
    cJSON_Delete(j);
    test_run_free(&r);
    /* the CSV carries every basis the JSON does: the CPU measured, the
       memory estimated, the three totals partly measured */
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "2", "--cpu-energy-kwh",
        "0.05", "--memory", "10", "--pue", "1", "--ci", "100", "--format", "csv", NULL);
    assert_int_equal(r.status, 0);
    {
        static const char *const want[][2] = {
            {"cpu_basis", "measured"},          {"memory_basis", "estimated"},
            {"process_basis", "partly measured"}, {"allocation_basis", "partly measured"},
            {"node_basis", "partly measured"}};
        char v[64];
        size_t i;
        for (i = 0; i < sizeof want / sizeof *want; i++) {
            assert_int_equal(test_csv_field(r.out, want[i][0], v, sizeof v), 0);
            assert_string_equal(v, want[i][1]);
        }
    }
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "2", "--cpu-energy-kwh",
        "0.05", "--pue", "1", "--ci", "100", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Allocation scope: 50 Wh, 5 g CO2e (measured)"));
    assert_non_null(strstr(r.out, "Node scope: 90 Wh, 9 g CO2e (partly measured)"));
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "2", "--pue", "1", "--ci",
        "100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "process"), "basis")->valuestring,
                        "estimated");
    cJSON_Delete(j);
    test_run_free(&r);
}

/* The line of out that starts with prefix, copied into buf (NUL-terminated). */
static const char *line_of(const char *out, const char *prefix, char *buf, size_t n)
{
    const char *p = out ? strstr(out, prefix) : NULL, *e;
    size_t len;
    if (!p)
        return NULL;
    e = strchr(p, '\n');
    len = e ? (size_t)(e - p) : strlen(p);
    if (len >= n)
        len = n - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}

/* Issue 11's labels in the text, as in the JSON.
 * a. The Total row carries the scope's basis in the library's three words
 *    (est_model_scope_basis). A measured CPU (0.05 kWh over 2 h: 25 W)
 *    beside 10 GB of memory (3.725 W, estimated) is "partly measured"
 *    (28.725 W); before this fix the text row read "estimated" where the
 *    JSON said "partly measured" (no earlier test pinned the old word).
 * b. A measured node (0.5 kWh over 1 h: 500 W) beside its parts: CPU 80 W
 *    measured (0.08 kWh), 2 GPUs measured at 200 W each (0.4 kWh) on a node
 *    of 4 with idle 40 W: 2 x 200 + 2 x 40 = 480 W, "partly measured";
 *    memory 16 x 0.3725 = 5.96 W; static 20 W; parts 585.96 W, (585.96 -
 *    500) / 500 = +17.19 % of the measured total. The PSU efficiency 0.9
 *    does not divide the measured node: 0.5 kWh against a 0.5 kWh meter,
 *    ratio 1 (divided it would read 0.5556 and ratio 1.11).
 * c. The node scope printed beside a process headline, node not
 *    described: the text says the allocation was taken as the node; the
 *    scope wording follows the CPU model (tdp: unused cores 0 W; curve: the
 *    process scope leaves the idle floor out). */
static void test_cli_text_labels_and_node_notes(void **state)
{
    test_run r;
    cJSON *j;
    char line[512];
    (void)state;
    /* a */
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "2", "--cpu-energy-kwh",
        "0.05", "--memory", "10", "--pue", "1", "--ci", "100", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(line_of(strstr(r.out, "Breakdown"), "  Total ", line, sizeof line));
    assert_non_null(strstr(line, "partly measured"));
    assert_non_null(line_of(strstr(r.out, "Breakdown"), "  CPU ", line, sizeof line));
    assert_non_null(strstr(line, " measured"));
    assert_null(strstr(line, "partly"));
    test_run_free(&r);
    /* b */
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--cpu-energy-kwh", "0.08", "--gpus",
        "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-energy-kwh", "0.4", "--node-gpus",
        "4", "--memory", "16", "--pue", "1", "--hours", "1", "--ci", "100", "--scope", "node",
        "--node-energy-kwh", "0.5", "--compare-kwh", "0.5", "--psu-efficiency", "0.9", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(line_of(strstr(r.out, "Breakdown"), "  GPU ", line, sizeof line));
    assert_non_null(strstr(line, "480 W"));
    assert_non_null(strstr(line, "partly measured"));
    assert_non_null(line_of(strstr(r.out, "Breakdown"), "  Total ", line, sizeof line));
    assert_non_null(strstr(line, "500 W"));
    assert_non_null(strstr(line, " measured"));
    assert_non_null(strstr(r.out, "the total 500 W is the measurement; the parts above are "
                                  "the model's and sum to 586 W, +17.2 % of it"));
    assert_non_null(strstr(r.out, "the node's energy is measured: not divided by the PSU "
                                  "efficiency"));
    assert_non_null(line_of(r.out, "  node ", line, sizeof line));
    assert_non_null(strstr(line, "500 Wh"));
    assert_non_null(strstr(line, "ratio 1"));
    assert_null(strstr(r.out, "taken as the node"));
    test_run_free(&r);
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--cpu-energy-kwh", "0.08", "--gpus",
        "2", "--gpu-tdp", "300", "--gpu-idle", "40", "--gpu-energy-kwh", "0.4", "--node-gpus",
        "4", "--memory", "16", "--pue", "1", "--hours", "1", "--ci", "100", "--scope", "node",
        "--node-energy-kwh", "0.5", "--compare-kwh", "0.5", "--psu-efficiency", "0.9",
        "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "compare.node.estimate_kwh"), 0.5, 1e-12);
    assert_close(num_at(j, "compare.node.ratio"), 1.0, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(
                            cJSON_GetObjectItem(j, "node"), "components"), "gpu"), "basis")
                            ->valuestring, "partly measured");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
                        "components"), "gpu"), "basis")->valuestring, "partly measured");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
                        "components"), "cpu"), "basis")->valuestring, "measured");
    cJSON_Delete(j);
    test_run_free(&r);
    /* c */
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "1", "--pue", "1", "--ci",
        "100", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "(the node was not described: the job's allocation is taken "
                                  "as the node)"));
    assert_non_null(strstr(r.out, "Node scope counts static power, the job's cores (the tdp "
                                  "model has no idle floor: the node's other cores count 0 W)"));
    assert_non_null(strstr(r.out, "Process scope counts the job's CPU and memory"));
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "1", "--pue", "1", "--ci",
        "100", "--cpu-power-model", "curve", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Process scope counts the job's CPU above its idle floor (the "
                                  "floor is left out)"));
    assert_non_null(strstr(r.out, "Node scope counts static power, every core of the node (each "
                                  "at least at its idle floor)"));
    assert_non_null(strstr(r.out, "taken as the node"));
    test_run_free(&r);
}

static void test_cli_measured_energy_and_meter(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--cpu-energy-kwh", "0.08",
        "--memory", "16", "--pue", "1.25", "--hours", "1", "--ci", "100", "--compare-kwh",
        "0.1", "--psu-efficiency", "0.9", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 0.10745, 1e-12);
    assert_close(num_at(j, "compare.process.estimate_kwh"), 0.08596, 1e-12);
    assert_close(num_at(j, "compare.process.ratio"), 0.8596, 1e-12);
    assert_close(num_at(j, "compare.node.ratio"), 0.10596 / 0.9 / 0.1, 1e-12);
    assert_close(num_at(j, "compare.psu_efficiency"), 0.9, 0);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
                        "components"), "cpu"), "basis")->valuestring, "measured");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j,
                        "components"), "memory"), "basis")->valuestring, "estimated");
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--cpu-energy-kwh", "0.08",
        "--memory", "16", "--pue", "1.25", "--hours", "1", "--ci", "100", "--compare-kwh",
        "0.1", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "measured"));
    assert_non_null(strstr(r.out, "Against the meter (100 Wh; estimates before PUE)"));
    assert_non_null(strstr(r.out, "ratio 0.86"));
    test_run_free(&r);
    /* usage errors */
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--hours", "1", "--psu-efficiency",
        "0.9", NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--compare-kwh"));
    test_run_free(&r);
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--hours", "1", "--scope", "rack", NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "process, allocation or node"));
    test_run_free(&r);
    run(&r, "--cores", "8", "--cpu-tdp-per-core", "10", "--hours", "1", "--node-cores", "4",
        NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--node-cores"));
    test_run_free(&r);
}

/* --cpu-power-model curve without a model: the default row of
 * cpu_power_curves.csv (idle 0.10, full load 0.64, r 1.4). 4 cores x 10 W,
 * usage 1 (f = 1), on a node of 16 cores; PUE 1, 1 h, CI 100:
 *   process    4 x (0.64 - 0.10) x 10 = 21.6 W
 *   allocation 4 x 0.10 x 10 + 21.6   = 25.6 W
 *   node       20 + 16 x 1 + 21.6     = 57.6 W
 * usage 0: process 0 W, allocation 4 W, node 20 + 16 = 36 W. The tdp model
 * (default) keeps Green Algorithms' 4 x 10 x 1 = 40 W. */
static void test_cli_cpu_power_curve(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--pue", "1", "--hours", "1", "--ci",
        "100", "--node-cores", "16", "--cpu-power-model", "curve", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "process.power_w"), 21.6, 1e-12);
    assert_close(num_at(j, "allocation.power_w"), 25.6, 1e-12);
    assert_close(num_at(j, "node.power_w"), 57.6, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(j, "cpu_power_model")->valuestring, "curve");
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--cpu-usage", "0", "--pue", "1",
        "--hours", "1", "--ci", "100", "--node-cores", "16", "--cpu-power-model", "curve",
        "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "process.power_w"), 0.0, 0);
    assert_close(num_at(j, "allocation.power_w"), 4.0, 1e-12);
    assert_close(num_at(j, "node.power_w"), 36.0, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--pue", "1", "--hours", "1", "--ci",
        "100", "--cpu-power-model", "curve", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "cpu_power_curves.csv:"));
    assert_non_null(strstr(r.out, "default:"));
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--pue", "1", "--hours", "1", "--ci",
        "100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "allocation.power_w"), 40.0, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(j, "cpu_power_model")->valuestring, "tdp");
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cores", "4", "--cpu-tdp-per-core", "10", "--hours", "1", "--cpu-power-model",
        "spec", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
}

/* A sample log's node power is measured first: node 200 W and CPU package
 * 100 W for 1 h, PUE 1, CI 100. Node scope: 200 W x 1 h = 0.2 kWh measured
 * (the estimate would be 20 static + 100 = 120 W); process 100 W -> 0.1 kWh.
 * Meter 0.2 kWh: process ratio 0.5, node ratio 1. */
static void test_cli_samples_node_power_is_measured_first(void **state)
{
    test_run r;
    cJSON *j;
    char *d = test_mkdtemp(), log[4200];
    (void)state;
    snprintf(log, sizeof log, "%s/node.csv", d);
    test_write_file(log, "t,n,c\n0,200,100\n1800,200,100\n3600,200,100\n");
    run(&r, "--samples", log, "--columns", "time=t,node_w=n,cpu_w=c", "--pue", "1", "--ci",
        "100", "--scope", "node", "--compare-kwh", "0.2", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 0.2, 1e-12);
    assert_close(num_at(j, "process.energy_kwh"), 0.1, 1e-12);
    assert_close(num_at(j, "compare.process.ratio"), 0.5, 1e-12);
    assert_close(num_at(j, "compare.node.ratio"), 1.0, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "node"), "basis")->valuestring,
                        "measured");
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(d);
    free(d);
}

/* Named memory figures: 100 GB x 0.392 W/GB (ccf) = 39.2 W; PUE 1, 1 h,
 * CI 100 -> 39.2 Wh, 3.92 g; the source is named. An unknown name is a
 * usage error. */
static void test_cli_memory_named_figures(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--memory", "100", "--memory-w-per-gb", "ccf", "--hours", "1", "--pue", "1",
        "--ci", "100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    {
        cJSON *j = parse_json(&r);
        assert_close(num_at(j, "power_w"), 39.2, 1e-12);
        assert_close(num_at(j, "hardware.memory.w_per_gb"), 0.392, 0);
        cJSON_Delete(j);
    }
    assert_non_null(strstr(r.out, "Cloud Carbon Footprint"));
    test_run_free(&r);
    /* energystar-v3-draft2: 100 GB x 0.125 W/GB = 12.5 W; 1 h, PUE 1, CI 100 ->
       12.5 Wh, 1.25 g */
    run(&r, "--memory", "100", "--memory-w-per-gb", "energystar-v3-draft2", "--hours", "1",
        "--pue", "1", "--ci", "100", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    {
        cJSON *j = parse_json(&r);
        assert_close(num_at(j, "power_w"), 12.5, 1e-12);
        assert_close(num_at(j, "co2e_g"), 1.25, 1e-12);
        cJSON_Delete(j);
    }
    assert_non_null(strstr(r.out, "ENERGY STAR"));
    test_run_free(&r);
    run(&r, "--memory", "100", "--memory-w-per-gb", "ddr9", "--hours", "1", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
}

/* Unit display: 100 cores x 10 W, PUE 1, 1000 h -> 1000 W, 1 MWh; CI 475 -> 475 kg.
 * 1 core x 10 W, PUE 1, 1 h, CI 1000 -> 10 W, 10 Wh, 10 g.
 * 200 cores x 10 W x 1000 h x 1.5 PUE = 3 MWh; CI 500 -> 1.5 t. */
static void test_cli_text_uses_sensible_units(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cores", "100", "--cpu-tdp-per-core", "10", "--pue", "1", "--hours", "1000",
        "--ci", "475", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Estimate (process scope): 1 MWh, 475 kg CO2e"));
    test_run_free(&r);
    run(&r, "--cores", "1", "--cpu-tdp-per-core", "10", "--pue", "1", "--hours", "1", "--ci",
        "1000", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Estimate (process scope): 10 Wh, 10 g CO2e"));
    test_run_free(&r);
    run(&r, "--cores", "200", "--cpu-tdp-per-core", "10", "--pue", "1.5", "--hours", "1000",
        "--ci", "500", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Estimate (process scope): 3 MWh, 1.5 t CO2e"));
    test_run_free(&r);
}

/* CSV: one header, one row, same field count; energy 1 core x 10 W x 1.5 h x PUE 2 = 30 Wh. */
static void test_cli_csv_is_one_header_and_one_row(void **state)
{
    test_run r;
    size_t header_fields = 1, row_fields = 1, lines = 0;
    const char *p, *row;
    (void)state;
    run(&r, "--cores", "1", "--cpu-tdp", "10", "--pue", "2", "--runtime", "1h30m", "--ci",
        "100", "--format", "csv", NULL);
    assert_int_equal(r.status, 0);
    for (p = r.out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 2);
    row = strchr(r.out, '\n') + 1;
    for (p = r.out; p < row; p++)
        header_fields += *p == ',';
    for (p = row; *p; p++)
        row_fields += *p == ',';
    assert_int_equal(header_fields, row_fields);
    assert_true(strncmp(r.out, "energy_kwh,co2e_g,", 18) == 0);
    assert_true(strncmp(row, "0.03,3,", 7) == 0);
    test_run_free(&r);
}

/* Runtime forms: 1-02:03:04 = 26 h 3 min 4 s = 26.051111 h; 90m = 1.5 h;
 * --hours 1 --minutes 30 = 1.5 h. */
static void test_cli_runtime_forms(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cores", "1", "--cpu-tdp", "10", "--runtime", "1-02:03:04", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "runtime_h"), 26.0 + 3.0 / 60.0 + 4.0 / 3600.0, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cores", "1", "--cpu-tdp", "10", "--hours", "1", "--minutes", "30", "--format",
        "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "runtime_h"), 1.5, 0);
    cJSON_Delete(j);
    test_run_free(&r);
}

static void test_cli_usage_errors_exit_64_with_one_line(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "-2", NULL);
    expect_usage_error(&r, "--hours");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "2", "--pue", "abc", NULL);
    expect_usage_error(&r, "\"abc\"");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "2", "--pue", "0.9", NULL);
    expect_usage_error(&r, "--pue");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", NULL);
    expect_usage_error(&r, "runtime");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "2", "--frobnicate", NULL);
    expect_usage_error(&r, "--frobnicate");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "2", "--cpu-usage", "120%", NULL);
    expect_usage_error(&r, "--cpu-usage");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "0", "--hours", "2", NULL);
    expect_usage_error(&r, "--cores");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "0", NULL);
    expect_usage_error(&r, "runtime");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "nan", NULL);
    expect_usage_error(&r, "--hours");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "1", "--format", "xml", NULL);
    expect_usage_error(&r, "--format");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--runtime", "2 hours", NULL);
    expect_usage_error(&r, "--runtime");
    test_run_free(&r);
    run(&r, "--hours", "1", NULL);
    expect_usage_error(&r, "nothing to estimate");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--hours", "1", NULL);
    expect_usage_error(&r, "--cores");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "1", "--gpu-power", "200",
        "--gpu-usage", "0.5", NULL);
    expect_usage_error(&r, "--gpu-power");
    test_run_free(&r);
    run(&r, "--cpu-tdp", "100", "--cores", "4", "--hours", "1", "--hours", NULL);
    expect_usage_error(&r, "missing value");
    test_run_free(&r);
}

static void test_cli_unknown_hardware_exits_65(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cpu", "Frobnitz 9000", "--hours", "1", NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "Frobnitz 9000"));
    assert_non_null(strstr(r.err, "--cpu-tdp"));
    test_run_free(&r);
    run(&r, "--gpu", "Voodoo5 6000", "--hours", "1", NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "--gpu-tdp"));
    test_run_free(&r);
}

static void test_cli_help_and_version(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--help", NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.err_len, 0);
    assert_non_null(strstr(r.out, "--cpu-tdp-per-core"));
    assert_non_null(strstr(r.out, "--scope"));
    test_run_free(&r);
    run(&r, "--version", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "ecoest ", 7) == 0);
    test_run_free(&r);
}

/* Finite inputs whose product would overflow (1e308 x 10 GB x 0.3725 W/GB
 * is infinite) are beyond the plausibility limits: refused with exit 65,
 * the input named, nothing on stdout; never inf or NaN. */
static void test_cli_overflowing_inputs_are_rejected(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--pue", "1e308", "--memory", "10", "--hours", "1", "--format", "json", NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "--pue: 1e+308 is more than any real job can have"));
    test_run_free(&r);
    /* the probes' cases: --ci 1e308, --cpu-tdp 1e308, --memory 1e9 GB */
    run(&r, "--ci", "1e308", "--cores", "1", "--cpu-tdp", "10", "--hours", "1", NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "--ci: 1e+308 gCO2e/kWh"));
    test_run_free(&r);
    run(&r, "--cores", "1", "--cpu-tdp", "1e308", "--hours", "1", NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "--cpu-tdp"));
    test_run_free(&r);
    run(&r, "--memory", "1e9", "--hours", "1", NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "--memory: 1e+09 GB"));
    test_run_free(&r);
    /* plausible but unusual: a warning, the estimate still made.
       1 core x 10 W x PUE 5 x 1 h = 50 Wh */
    run(&r, "--cores", "1", "--cpu-tdp", "10", "--pue", "5", "--hours", "1", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "50 Wh"));
    assert_non_null(strstr(r.err, "warning: --pue: 5 is implausibly high (above 3)"));
    test_run_free(&r);
    run(&r, "--gpu-tdp", "1e308", "--gpus", "10", "--hours", "1", "--format", "csv", NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
    run(&r, "--cores", "1", "--cpu-tdp", "10", "--hours", "1e308", NULL);
    expect_usage_error(&r, "too large");
    test_run_free(&r);
}

/* An option given twice is refused, not silently replaced; --hours and
 * --minutes add up (1 h + 30 min = 1.5 h: 10 W x 1.5 h = 15 Wh at PUE 1). */
static void test_cli_repeated_option_is_refused(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--hours", "1", "--hours", "2", "--cores", "1", "--cpu-tdp", "10", NULL);
    expect_usage_error(&r, "--hours given twice");
    test_run_free(&r);
    run(&r, "--zone", "FR", "--cores", "1", "--cpu-tdp", "10", "--hours", "1", "--zone", "DE",
        NULL);
    expect_usage_error(&r, "--zone given twice");
    test_run_free(&r);
    run(&r, "--hours", "1", "--minutes", "30", "--cores", "1", "--cpu-tdp", "10", "--pue", "1",
        NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "15 Wh"));
    test_run_free(&r);
}

/* A measured GPU power below the GPU's idle power is counted as 0 W in the
 * process scope, and said so: 10 W measured, idle 20 W, 1 h, PUE 1, ci 100:
 * process GPU max(10 - 20, 0) = 0 W; allocation 10 W = 0.01 kWh = 1 g. */
static void test_cli_gpu_power_below_idle_is_said(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--gpu-power", "10", "--gpus", "1", "--gpu-idle", "20", "--pue", "1", "--ci", "100",
        "--hours", "1", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "below the GPU's idle power, 20 W"));
    assert_non_null(strstr(r.out, "Allocation scope: 10 Wh, 1 g CO2e"));
    test_run_free(&r);
}

/* Tiny equivalents are plain numbers: 1 core x 1 W, 1 h, PUE 1 = 1 Wh =
 * 0.001 kWh; at 48.6 g/kWh: 0.0486 g. Tree-months 0.0486 / (11000 / 12) =
 * 5.3018e-05 -> "0.000053" (below 1e-4: 2 digits); car 0.0486 / 175 =
 * 0.00027771 -> "0.000278" (3 significant digits);
 * flight 0.0486 / 110000 x 100 = 4.418e-05 % -> "0.000044". */
static void test_cli_tiny_equivalents_have_no_exponent(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cores", "1", "--cpu-tdp-per-core", "1", "--pue", "1", "--ci", "48.6",
        "--hours", "1", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "0.000053 tree-months, 0.000278 km by car, 0.000044% of a "
                                  "flight Paris-Dublin"));
    test_run_free(&r);
}

/* A CPU the database does not know, with its power given: 16 cores at
 * 125 W -> 7.8125 W/core; PUE 1, 1 h, CI 100: 125 W, 0.125 kWh, 12.5 g.
 * Without --cores it is a usage error. */
static void test_cli_given_power_gets_past_an_unknown_name(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--cpu", "Xeon Gold 5219", "--cpu-tdp", "125", "--cores", "16", "--pue", "1",
        "--ci", "100", "--hours", "1", "--format", "json", NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = parse_json(&r);
    assert_close(num_at(j, "energy_kwh"), 0.125, 1e-12);
    assert_close(num_at(j, "co2e_g"), 12.5, 1e-12);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(
        cJSON_GetObjectItem(j, "hardware"), "cpu"), "model")));
    assert_non_null(strstr(r.out, "not resolved in the hardware database"));
    cJSON_Delete(j);
    test_run_free(&r);
    run(&r, "--cpu", "Xeon Gold 5219", "--cpu-tdp", "125", "--hours", "1", NULL);
    expect_usage_error(&r, "--cores");
    test_run_free(&r);
    /* a GPU: 700 W given, PUE 1, 1 h, CI 100 -> 70 g */
    run(&r, "--gpu", "Voodoo5 6000", "--gpu-tdp", "700", "--pue", "1", "--ci", "100", "--hours",
        "1", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "co2e_g"), 70.0, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* An override replaces the database's figure, and the report says so rather
 * than repeating the family default's wattage. V100 at 250 W, PUE 1, 1 h,
 * CI 100 -> 25 g. */
static void test_cli_override_is_reported_as_such(void **state)
{
    test_run r;
    cJSON *j;
    (void)state;
    run(&r, "--gpu", "V100", "--gpu-tdp", "250", "--pue", "1", "--ci", "100", "--hours", "1",
        "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    j = parse_json(&r);
    assert_close(num_at(j, "co2e_g"), 25.0, 1e-12);
    assert_non_null(strstr(r.out, "overridden by --gpu-tdp"));
    assert_null(strstr(r.out, "chose V100 SXM2 32GB (300 W)"));
    cJSON_Delete(j);
    test_run_free(&r);
}

/* "-0" is zero: never a negative zero in the output. */
static void test_cli_negative_zero_is_zero(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cpu-tdp", "100", "--cores", "1", "--cpu-usage", "-0", "--memory", "-0", "--hours",
        "1", "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "-0"));
    test_run_free(&r);
}

/* Run from the build tree, ecoest reads the source tree's database (not an
 * installed copy): the row's origin is under the source folder. */
static void test_cli_build_tree_reads_the_source_data(void **state)
{
    test_run r;
    char want[4200];
    (void)state;
    run(&r, "--cpu", "EPYC 7763", "--hours", "1", NULL);
    assert_int_equal(r.status, 0);
    snprintf(want, sizeof want, "[%s/hwdb/cpu.csv:", getenv("ECOEST_SOURCE_DIR"));
    if (!strstr(r.out, want))
        fail_msg("the CPU row does not come from %s:\n%s", want, r.out);
    test_run_free(&r);
}

/* An overlay that is a FIFO must not block: it is not a regular file. */
static void test_cli_fifo_overlay_does_not_hang(void **state)
{
    char *d = test_mkdtemp(), fifo[4200], env_path[4300];
    char *argv[] = {(char *)bin(), "--cpu", "EPYC 7763", "--hours", "1", NULL};
    char *env[] = {env_path, NULL};
    test_run r;
    (void)state;
    snprintf(fifo, sizeof fifo, "%s/gpu.csv", d);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(env_path, sizeof env_path, "ECOEST_HWDB_PATH=%s", d);
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 74);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "not a regular file"));
    test_run_free(&r);
    test_rmtree(d);
    free(d);
}

/* A GPU name given to --cpu (or a CPU to --gpu) says so: exit 64. */
static void test_cli_name_of_the_other_kind(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cpu", "V100", "--hours", "1", NULL);
    expect_usage_error(&r, "is a GPU");
    test_run_free(&r);
    run(&r, "--gpu", "Xeon Gold 5218", "--hours", "1", NULL);
    expect_usage_error(&r, "is a CPU");
    test_run_free(&r);
}

/* Equivalents in plain numbers: 1 core x 1000 W, PUE 1, 1200 h, CI 1000 ->
 * 1200 kWh, 1.2e6 g: 1.2e6 / (11000 / 12) = 1309.09 tree-months,
 * 1.2e6 / 175 = 6857.1 km, 1.2e6 / 2.31e6 = 51.9 % of New York-Melbourne. */
static void test_cli_equivalents_without_exponents(void **state)
{
    test_run r;
    (void)state;
    run(&r, "--cores", "1", "--cpu-tdp", "1000", "--pue", "1", "--ci", "1000", "--hours", "1200",
        NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "1309 tree-months, 6857 km by car, 51.9% of a flight "
                                  "New York-Melbourne"));
    test_run_free(&r);
}

/* hwdb add parses its values like the estimate: "-0" is written as 0. */
static void test_cli_hwdb_add_writes_zero_not_negative_zero(void **state)
{
    char *d = test_mkdtemp(), xdg[4200], file[4300];
    char *argv[] = {(char *)bin(), "hwdb", "add", "--gpu", "Zero Card", "--tdp", "100",
                    "--idle", "-0", NULL};
    char *env[] = {xdg, NULL};
    char *text;
    test_run r;
    (void)state;
    snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", d);
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    snprintf(file, sizeof file, "%s/ecoest/hwdb/gpu.csv", d);
    text = test_read_file(file, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "Zero Card,,100,0,"));
    assert_null(strstr(text, "-0"));
    free(text);
    test_rmtree(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_paper_example_cpu),
        cmocka_unit_test(test_cli_paper_example_gpu_allocation),
        cmocka_unit_test(test_cli_readme_command_works_as_written),
        cmocka_unit_test(test_cli_json_has_the_documented_keys),
        cmocka_unit_test(test_cli_process_scope_leaves_idle_out),
        cmocka_unit_test(test_cli_text_uses_sensible_units),
        cmocka_unit_test(test_cli_csv_is_one_header_and_one_row),
        cmocka_unit_test(test_cli_node_scope_counts_held_idle_gpus),
        cmocka_unit_test(test_cli_measured_energy_and_meter),
        cmocka_unit_test(test_cli_text_labels_and_node_notes),
        cmocka_unit_test(test_cli_scope_totals_carry_their_basis),
        cmocka_unit_test(test_cli_cpu_power_curve),
        cmocka_unit_test(test_cli_memory_named_figures),
        cmocka_unit_test(test_cli_samples_node_power_is_measured_first),
        cmocka_unit_test(test_cli_runtime_forms),
        cmocka_unit_test(test_cli_usage_errors_exit_64_with_one_line),
        cmocka_unit_test(test_cli_unknown_hardware_exits_65),
        cmocka_unit_test(test_cli_help_and_version),
        cmocka_unit_test(test_cli_overflowing_inputs_are_rejected),
        cmocka_unit_test(test_cli_gpu_power_below_idle_is_said),
        cmocka_unit_test(test_cli_repeated_option_is_refused),
        cmocka_unit_test(test_cli_tiny_equivalents_have_no_exponent),
        cmocka_unit_test(test_cli_given_power_gets_past_an_unknown_name),
        cmocka_unit_test(test_cli_override_is_reported_as_such),
        cmocka_unit_test(test_cli_negative_zero_is_zero),
        cmocka_unit_test(test_cli_build_tree_reads_the_source_data),
        cmocka_unit_test(test_cli_fifo_overlay_does_not_hang),
        cmocka_unit_test(test_cli_name_of_the_other_kind),
        cmocka_unit_test(test_cli_equivalents_without_exponents),
        cmocka_unit_test(test_cli_hwdb_add_writes_zero_not_negative_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
