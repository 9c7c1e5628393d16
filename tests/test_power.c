/* ecoest/power.h: the CPU power curve table (cpu_power_curves.csv) and the
   named memory power figures, called directly (no CLI). */
#include <sys/stat.h>

#include "test_util.h"

#include "ecoest/model.h"
#include "ecoest/power.h"

static char shipped_path[4096];

static est_power_curves *shipped(void)
{
    est_power_curves *c = NULL;
    est_error e;
    snprintf(shipped_path, sizeof shipped_path, "%s/libestimate/data/cpu_power_curves.csv",
             getenv("ECOEST_SOURCE_DIR"));
    if (est_power_curves_open(&c, shipped_path, &e) != EST_OK)
        fail_msg("%s", e.message);
    return c;
}

static const char header[] = "family,match,idle_frac,max_frac,exponent,source\n";
static const char default_row[] = "default,*,0.100,0.640,1.40,\"the default\"\n";

/* Writes header + body to a fresh cpu_power_curves.csv; returns its path
   (in *dir, to remove). */
static char *curves_file(char **dir, const char *body)
{
    static char path[4200];
    size_t n = strlen(header) + strlen(body) + 1;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%s%s", header, body);
    *dir = test_mkdtemp();
    snprintf(path, sizeof path, "%s/cpu_power_curves.csv", *dir);
    test_write_file(path, text);
    free(text);
    return path;
}

/* The shipped file's rows, in order, with their lines (header on line 1). */
static void test_power_curves_shipped_rows(void **state)
{
    est_power_curves *c = shipped();
    const est_power_curve *r;
    (void)state;
    assert_int_equal(est_power_curves_count(c), 6);
    r = est_power_curves_at(c, 0);
    assert_string_equal(r->family, "xeon-e3-v2");
    assert_string_equal(r->match, "E3-12|E3-15");
    assert_int_equal(r->line, 2);
    assert_int_equal(r->is_default, 0);
    r = est_power_curves_at(c, 5);
    assert_string_equal(r->family, "default");
    assert_int_equal(r->is_default, 1);
    assert_int_equal(r->line, 7);
    assert_null(est_power_curves_at(c, 6));
    assert_null(est_power_curves_at(NULL, 0));
    assert_int_equal(est_power_curves_count(NULL), 0);
    est_power_curves_free(c);
    est_power_curves_free(NULL);
}

/* A name picks the first row one of whose patterns it holds (ASCII
 * case-insensitive), else the default row; NULL and "" give the default. */
static void test_power_curves_find_by_family(void **state)
{
    est_power_curves *c = shipped();
    const est_power_curve *r = NULL;
    (void)state;
    /* "Xeon Gold 63" is one of the Ice Lake patterns: idle 26 W / 270 W =
       0.0963, written 0.096; max_frac and r the default row's */
    assert_int_equal(est_power_curves_find(&r, c, "Intel Xeon Gold 6338"), EST_OK);
    assert_string_equal(r->family, "xeon-ice-lake");
    assert_close(r->idle_frac, 0.096, 0);
    assert_close(r->max_frac, 0.640, 0);
    assert_close(r->exponent, 1.40, 0);
    assert_int_equal(r->line, 6);
    /* the citation the pipeline names: file:line, family: source */
    assert_true(strncmp(r->citation, "cpu_power_curves.csv:6, xeon-ice-lake: idle: an Ice Lake",
                        56) == 0);
    /* case does not matter: "e5-26" in "xeon e5-2620 v3" */
    assert_int_equal(est_power_curves_find(&r, c, "xeon e5-2620 v3"), EST_OK);
    assert_string_equal(r->family, "xeon-e5-v3");
    assert_close(r->idle_frac, 0.012, 0);
    assert_close(r->max_frac, 0.713, 0);
    assert_int_equal(est_power_curves_find(&r, c, "AMD EPYC 8024P"), EST_OK);
    assert_string_equal(r->family, "epyc-8004");
    /* no pattern in the name: the default row */
    assert_int_equal(est_power_curves_find(&r, c, "Apple M2"), EST_OK);
    assert_string_equal(r->family, "default");
    assert_close(r->idle_frac, 0.100, 0);
    assert_true(strncmp(r->citation, "cpu_power_curves.csv:7, default: idle_frac 0.10", 47) == 0);
    assert_int_equal(est_power_curves_find(&r, c, NULL), EST_OK);
    assert_string_equal(r->family, "default");
    assert_int_equal(est_power_curves_find(&r, c, ""), EST_OK);
    assert_string_equal(r->family, "default");
    assert_int_equal(est_power_curves_find(NULL, c, "x"), EST_EINVAL);
    assert_int_equal(est_power_curves_find(&r, NULL, "x"), EST_EINVAL);
    est_power_curves_free(c);
}

/* The EPYC 8024P row (idle 0.186, full load 0.567, r 2) in the model: 8 cores,
 * TDP 90 W -> 11.25 W per core, usage 0.5, PUE 1, 1 h:
 *   f(0.5)     = 2 x 0.5 - 0.5^2 = 0.75
 *   dynamic    = (0.567 - 0.186) x 0.75 = 0.28575 of the TDP per core
 *   process    = 8 x 11.25 x 0.28575 = 25.7175 W (the floor left out)
 *   allocation = 8 x 11.25 x (0.186 + 0.28575) = 90 x 0.47175 = 42.4575 W */
static void test_power_curves_row_in_the_model(void **state)
{
    est_power_curves *c = shipped();
    const est_power_curve *r = NULL;
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result out;
    est_error e;
    (void)state;
    assert_int_equal(est_power_curves_find(&r, c, "EPYC 8024P"), EST_OK);
    in.cpu_cores = 8;
    in.cpu_tdp_per_core_w = 11.25;
    in.cpu_usage_frac = 0.5;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    in.ci_g_co2e_per_kwh = 100.0;
    in.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in.cpu_idle_frac = r->idle_frac;
    in.cpu_max_frac = r->max_frac;
    in.cpu_curve_exponent = r->exponent;
    if (est_model_compute(&out, NULL, &in, &e) != EST_OK)
        fail_msg("%s", e.message);
    assert_close(out.cpu_process.power_w, 25.7175, 1e-12);
    assert_close(out.cpu_allocation.power_w, 42.4575, 1e-12);
    est_power_curves_free(c);
}

/* A bad file fails with file, line, column and the value in the message. */
static void expect_bad(const char *body, unsigned long line, unsigned column,
                       const char *needle1, const char *needle2)
{
    char *dir = NULL;
    const char *path = curves_file(&dir, body);
    est_power_curves *c = (est_power_curves *)1;
    est_error e;
    int rc = est_power_curves_open(&c, path, &e);
    if (rc != EST_EPARSE)
        fail_msg("expected EST_EPARSE, got %d (%s) for:\n%s", rc, e.message, body);
    assert_null(c);
    assert_int_equal(e.code, EST_EPARSE);
    assert_string_equal(e.file, path);
    assert_int_equal(e.line, line);
    assert_int_equal(e.column, column);
    assert_non_null(strstr(e.message, path));
    if (!strstr(e.message, needle1) || (needle2 && !strstr(e.message, needle2)))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", e.message, needle1,
                 needle2 ? needle2 : "");
    test_rmtree(dir);
    free(dir);
}

static void test_power_curves_bad_files(void **state)
{
    char line3[128];
    (void)state;
    /* a decimal comma (quoted, so one field): line 3, column 4 */
    expect_bad("default,*,0.1,0.64,1.4,src\nx,E5-26,0.1,\"0,7\",1.0,src\n", 3, 4,
               ":3: column max_frac: expected a number above 0, at most 10", "\"0,7\"");
    /* an idle floor above full load: column 3 */
    expect_bad("x,E5-26,0.8,0.6,1.0,src\ndefault,*,0.1,0.64,1.4,src\n", 2, 3,
               ":2: column idle_frac: expected a number from 0 to max_frac", "\"0.8\"");
    /* r outside 1..2 (the model's bounds): column 5 */
    expect_bad("default,*,0.1,0.64,2.5,src\n", 2, 5, "column exponent", "\"2.5\"");
    /* max_frac 0, and above 10 */
    expect_bad("default,*,0,0,1,src\n", 2, 4, "column max_frac", "\"0\"");
    expect_bad("default,*,0,11,1,src\n", 2, 4, "column max_frac", "\"11\"");
    /* a negative idle floor, "nan" */
    expect_bad("default,*,-0.1,0.64,1,src\n", 2, 3, "column idle_frac", "\"-0.1\"");
    expect_bad("default,*,nan,0.64,1,src\n", 2, 3, "column idle_frac", "\"nan\"");
    /* an empty family, match and source */
    expect_bad(",*,0.1,0.64,1,src\n", 2, 1, "column family", NULL);
    expect_bad("x,,0.1,0.64,1,src\ndefault,*,0.1,0.64,1,src\n", 2, 2, "column match", NULL);
    expect_bad("default,*,0.1,0.64,1,\n", 2, 6, "column source", NULL);
    /* a second default row names the first's line */
    expect_bad("default,*,0.1,0.64,1,a\nx,E5,0.1,0.64,1,b\nother,*,0.1,0.64,1,c\n", 4, 2,
               "expected one default row (match *), got a second (the first is on line 2)",
               NULL);
    /* no default row: the file, no line */
    expect_bad("x,E5,0.1,0.64,1,b\n", 0, 0, "no default row (match *)", NULL);
    /* a row with a field too many (an unquoted comma in the source) */
    snprintf(line3, sizeof line3, "%sx,E5,0.1,0.64,1,a, b\n", default_row);
    expect_bad(line3, 3, 0, ":3: expected 6 fields, got 7", NULL);
    {
        /* another header: line 1 */
        char *dir = test_mkdtemp(), path[4200];
        est_power_curves *c = NULL;
        est_error e;
        snprintf(path, sizeof path, "%s/c.csv", dir);
        test_write_file(path, "family,match,idle,max,r,source\ndefault,*,0.1,0.64,1,s\n");
        assert_int_equal(est_power_curves_open(&c, path, &e), EST_EPARSE);
        assert_int_equal(e.line, 1);
        assert_non_null(strstr(e.message, "expected the header "
                                          "family,match,idle_frac,max_frac,exponent,source"));
        /* a missing file */
        snprintf(path, sizeof path, "%s/none.csv", dir);
        assert_int_equal(est_power_curves_open(&c, path, &e), EST_ENOENT);
        assert_null(c);
        assert_int_equal(est_power_curves_open(&c, NULL, &e), EST_EINVAL);
        assert_int_equal(est_power_curves_open(NULL, path, NULL), EST_EINVAL);
        test_rmtree(dir);
        free(dir);
    }
}

/* A minimal file: the default row alone serves every name; the citation uses
   the file's name without its folder. */
static void test_power_curves_default_row_alone(void **state)
{
    char *dir = NULL;
    const char *path = curves_file(&dir, default_row);
    est_power_curves *c = NULL;
    const est_power_curve *r = NULL;
    est_error e;
    (void)state;
    if (est_power_curves_open(&c, path, &e) != EST_OK)
        fail_msg("%s", e.message);
    assert_int_equal(est_power_curves_find(&r, c, "Xeon Gold 6338"), EST_OK);
    assert_string_equal(r->family, "default");
    assert_string_equal(r->citation, "cpu_power_curves.csv:2, default: the default");
    est_power_curves_free(c);
    test_rmtree(dir);
    free(dir);
}

/* The named memory figures: the default first, each with its source. */
/* est_power_curves_open_default: the source tree's libestimate/data/
   first, then the folder itself (an installed share/ecoest); neither is
   EST_ENOENT naming the folder. */
static void test_power_curves_open_default_finds_the_file(void **state)
{
    est_power_curves *c = NULL;
    est_error e;
    char *dir, sub[4300];
    (void)state;
    /* an installed share/ecoest: the file in the folder itself */
    curves_file(&dir, "one,X,0.1,0.5,1,\"one\"\ndefault,*,0.1,0.6,1,\"the default\"\n");
    assert_int_equal(est_power_curves_open_default(&c, dir, &e), EST_OK);
    assert_int_equal(est_power_curves_count(c), 2);
    est_power_curves_free(c);
    /* the source tree: libestimate/data/ wins over the folder's own */
    snprintf(sub, sizeof sub, "%s/libestimate", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof sub, "%s/libestimate/data", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof sub, "%s/libestimate/data/cpu_power_curves.csv", dir);
    test_write_file(sub, "family,match,idle_frac,max_frac,exponent,source\n"
                         "default,*,0.1,0.6,1,\"the default\"\n");
    assert_int_equal(est_power_curves_open_default(&c, dir, &e), EST_OK);
    assert_int_equal(est_power_curves_count(c), 1);
    est_power_curves_free(c);
    test_rmtree(dir);
    /* no file: EST_ENOENT, the folder named */
    assert_int_equal(est_power_curves_open_default(&c, dir, &e), EST_ENOENT);
    assert_null(c);
    assert_non_null(strstr(e.message, dir));
    assert_int_equal(est_power_curves_open_default(&c, "", &e), EST_EINVAL);
    assert_int_equal(est_power_curves_open_default(&c, NULL, &e), EST_EINVAL);
    assert_int_equal(est_power_curves_open_default(NULL, "/", &e), EST_EINVAL);
    free(dir);
}

/* The shipped rows that docs/validation.md's cases copy into
   test_model.c (case 4: the Threadripper 1950X's row; case 5 and the
   default: the "*" row): an edit of the table that moves them fails here,
   so the validation figures are redone with it. */
static void test_power_shipped_rows_of_the_validation_cases(void **state)
{
    est_power_curves *c = NULL;
    const est_power_curve *row = NULL;
    est_error e;
    (void)state;
    assert_int_equal(est_power_curves_open_default(&c, getenv("ECOEST_SOURCE_DIR"), &e), EST_OK);
    assert_int_equal(est_power_curves_find(&row, c, "Ryzen Threadripper 1950X"), EST_OK);
    assert_string_equal(row->family, "threadripper-1000");
    assert_close(row->idle_frac, 0.0, 0.0);
    assert_close(row->max_frac, 0.976, 0.0);
    assert_close(row->exponent, 1.69, 0.0);
    assert_int_equal(est_power_curves_find(&row, c, "Xeon X5670"), EST_OK);
    assert_string_equal(row->match, "*");
    assert_close(row->idle_frac, 0.10, 0.0);
    assert_close(row->max_frac, 0.64, 0.0);
    assert_close(row->exponent, 1.4, 0.0);
    est_power_curves_free(c);
}

static void test_power_memory_figures(void **state)
{
    const est_power_memory_figure *f = NULL;
    size_t i;
    (void)state;
    assert_int_equal(est_power_memory_count(), 3);
    f = est_power_memory_at(0);
    assert_string_equal(f->name, EST_POWER_MEMORY_DEFAULT_NAME);
    assert_string_equal(f->name, "ga");
    assert_close(f->w_per_gb, 0.3725, 0);
    assert_close(f->w_per_gb, EST_DEFAULT_MEMORY_W_PER_GB, 0);
    assert_non_null(strstr(f->source, "Karyakin and Salem"));
    assert_null(est_power_memory_at(3));
    for (i = 0; i < est_power_memory_count(); i++) {
        f = est_power_memory_at(i);
        assert_true(f->name[0] && f->label[0] && f->source[0]);
        assert_true(f->w_per_gb > 0.0);
    }
    assert_int_equal(est_power_memory_find(&f, "ccf", NULL), EST_OK);
    assert_close(f->w_per_gb, 0.392, 0);
    assert_string_equal(f->label, "Cloud Carbon Footprint");
    assert_int_equal(est_power_memory_find(&f, "energystar-v3-draft2", NULL), EST_OK);
    assert_close(f->w_per_gb, 0.125, 0);
    assert_non_null(strstr(f->source, "ENERGY STAR Computer Servers v3.0 Draft 2"));
}

/* A figure in the model: 100 GB x 0.125 W/GB = 12.5 W; PUE 1, 1 h -> 12.5 Wh
 * = 0.0125 kWh; CI 100 -> 1.25 g. */
static void test_power_memory_figure_in_the_model(void **state)
{
    const est_power_memory_figure *f = NULL;
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result out;
    est_error e;
    (void)state;
    assert_int_equal(est_power_memory_find(&f, "energystar-v3-draft2", NULL), EST_OK);
    in.memory_gb = 100.0;
    in.memory_w_per_gb = f->w_per_gb;
    in.pue = 1.0;
    in.runtime_h = 1.0;
    in.ci_g_co2e_per_kwh = 100.0;
    if (est_model_compute(&out, NULL, &in, &e) != EST_OK)
        fail_msg("%s", e.message);
    assert_close(out.memory.power_w, 12.5, 1e-12);
    assert_close(out.memory.energy_kwh, 0.0125, 1e-12);
    assert_close(out.memory.co2e_g, 1.25, 1e-12);
}

/* An unknown name: EST_ENOTFOUND, the value and the names in the message,
   the names as candidates; names are case-sensitive. */
static void test_power_memory_unknown_name(void **state)
{
    const est_power_memory_figure *f = NULL;
    est_error e;
    (void)state;
    assert_int_equal(est_power_memory_find(&f, "ddr9", &e), EST_ENOTFOUND);
    assert_null(f);
    assert_int_equal(e.code, EST_ENOTFOUND);
    assert_non_null(strstr(e.message, "\"ddr9\""));
    assert_non_null(strstr(e.message, "ga, ccf, energystar-v3-draft2"));
    assert_string_equal(e.value, "ddr9");
    assert_int_equal(est_power_memory_find(&f, "GA", NULL), EST_ENOTFOUND);
    assert_int_equal(est_power_memory_find(&f, NULL, &e), EST_EINVAL);
    assert_int_equal(est_power_memory_find(NULL, "ga", &e), EST_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_curves_shipped_rows),
        cmocka_unit_test(test_power_curves_find_by_family),
        cmocka_unit_test(test_power_curves_row_in_the_model),
        cmocka_unit_test(test_power_curves_bad_files),
        cmocka_unit_test(test_power_curves_default_row_alone),
        cmocka_unit_test(test_power_curves_open_default_finds_the_file),
        cmocka_unit_test(test_power_shipped_rows_of_the_validation_cases),
        cmocka_unit_test(test_power_memory_figures),
        cmocka_unit_test(test_power_memory_figure_in_the_model),
        cmocka_unit_test(test_power_memory_unknown_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
