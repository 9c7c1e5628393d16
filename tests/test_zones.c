/* The zone table: shipped rows, overlays, unknown codes, malformed files,
 * and the CLI's --zone and `carbon zones`. */
#include <ctype.h>
#include <locale.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "ecoest/model.h"
#include "ecoest/zones.h"

static char shipped[4096];

static int setup(void **state)
{
    const char *src = getenv("ECOEST_SOURCE_DIR");
    (void)state;
    assert_non_null(src);
    snprintf(shipped, sizeof shipped, "%s/carbon/zones.csv", src);
    return 0;
}

static est_zones *open_with(const char *const *dirs, size_t n, est_error *e, int *rc)
{
    est_zones_options o = EST_ZONES_OPTIONS_INIT;
    est_zones *z = NULL;
    o.shipped_file = shipped;
    o.overlay_dirs = dirs;
    o.n_overlay_dirs = n;
    *rc = est_zones_open(&z, &o, e);
    return z;
}

static void test_zones_shipped_table_has_every_row(void **state)
{
    est_error e;
    est_zone z;
    int rc;
    est_zones *t = open_with(NULL, 0, &e, &rc);
    (void)state;
    assert_int_equal(rc, EST_OK);
    /* zones.csv: a header and 263 rows */
    assert_int_equal(est_zones_count(t), 263);
    assert_int_equal(est_zones_lookup(&z, t, "fr", &e), EST_OK);
    assert_string_equal(z.code, "FR");
    assert_string_equal(z.name, "France");
    assert_true(z.ci_g_co2e_per_kwh > 0 && z.ci_g_co2e_per_kwh < 200);
    assert_int_equal(z.year, 2023);
    assert_string_equal(z.scope, "lifecycle");
    /* derive_water.py: France's Ember 2023 mix (TWh) x Vanham 2019 (l/kWh):
       (335.65 x 2.04 + 48.61 x 0 + 23.26 x 0.1 + 53.19 x 32.81 + 0.6 x 0.12
        + 9.5 x 1.97 + 31.43 x 0.47 + 2.16 x 1.57 + 9.71 x 0.63) / 514.11
       = (684.726 + 2.326 + 1745.164 + 0.072 + 18.715 + 14.772 + 3.391 + 6.117)
         / 514.11 = 2475.28 / 514.11 = 4.815, written to 3 digits: 4.81 */
    assert_close(z.water_l_per_kwh, 4.81, 0);
    assert_non_null(strstr(z.water_source, "Vanham"));
    assert_non_null(strstr(z.water_source, "Ember"));
    assert_non_null(strstr(z.origin, "zones.csv:"));
    assert_int_equal(est_zones_lookup(&z, t, "WORLD", &e), EST_OK);
    assert_close(z.ci_g_co2e_per_kwh, 475.0, 0);
    /* microstates without grid statistics take their host grid's row */
    {
        static const char *const pairs[][2] = {{"MC", "FR"}, {"LI", "CH"}, {"SM", "IT"},
                                               {"VA", "IT"}, {"AD", "ES"}};
        size_t i;
        for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
            est_zone host;
            assert_int_equal(est_zones_lookup(&z, t, pairs[i][0], &e), EST_OK);
            assert_int_equal(est_zones_lookup(&host, t, pairs[i][1], &e), EST_OK);
            assert_close(z.ci_g_co2e_per_kwh, host.ci_g_co2e_per_kwh, 0);
            assert_int_equal(z.year, host.year);
            assert_non_null(strstr(z.source, "no grid statistics of its own"));
        }
    }
    /* listing is in code order, and every row is reachable */
    {
        size_t i;
        for (i = 1; i < est_zones_count(t); i++)
            assert_true(strcasecmp(est_zones_at(t, i - 1)->code, est_zones_at(t, i)->code) < 0);
        assert_null(est_zones_at(t, est_zones_count(t)));
    }
    est_zones_free(t);
}

static void test_zones_without_file_have_builtin_world(void **state)
{
    est_zones *t = NULL;
    est_zone z;
    (void)state;
    assert_int_equal(est_zones_open(&t, NULL, NULL), EST_OK);
    assert_int_equal(est_zones_count(t), 1);
    assert_int_equal(est_zones_lookup(&z, t, "world", NULL), EST_OK);
    assert_close(z.ci_g_co2e_per_kwh, 475.0, 0);
    est_zones_free(t);
    est_zones_free(NULL);
}

static void test_zones_overlay_overrides_by_code_later_wins(void **state)
{
    char *d1 = test_mkdtemp(), *d2 = test_mkdtemp(), path[4200];
    const char *dirs[3];
    est_error e;
    est_zone z;
    est_zones *t;
    int rc;
    (void)state;
    snprintf(path, sizeof path, "%s/zones.csv", d1);
    test_write_file(path,
                    "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                    "fr,France (own PPA),20,2024,lifecycle,1.5,\"our contract, 2024\"\n"
                    "XX-LAB,Our lab,123.5,2024,direct,,metered\n");
    snprintf(path, sizeof path, "%s/zones.csv", d2);
    test_write_file(path,
                    "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\r\n"
                    "XX-LAB,Our lab,99,2025,direct,,metered again\r\n");
    dirs[0] = d1;
    dirs[1] = "/nonexistent-ecoest-dir"; /* skipped */
    dirs[2] = d2;
    t = open_with(dirs, 3, &e, &rc);
    assert_int_equal(rc, EST_OK);
    assert_int_equal(est_zones_count(t), 264);
    assert_int_equal(est_zones_lookup(&z, t, "FR", &e), EST_OK);
    assert_close(z.ci_g_co2e_per_kwh, 20.0, 0);
    assert_close(z.water_l_per_kwh, 1.5, 0);
    assert_string_equal(z.source, "our contract, 2024");
    assert_non_null(strstr(z.origin, d1));
    assert_int_equal(est_zones_lookup(&z, t, "xx-lab", &e), EST_OK);
    assert_close(z.ci_g_co2e_per_kwh, 99.0, 0);
    assert_int_equal(z.year, 2025);
    est_zones_free(t);
    /* the same folder twice is not a duplicate */
    dirs[1] = d1;
    t = open_with(dirs, 2, &e, &rc);
    assert_int_equal(rc, EST_OK);
    est_zones_free(t);
    test_rmtree(d1);
    test_rmtree(d2);
    free(d1);
    free(d2);
}

/* The suggestions for the value of a failed lookup of code: err->value
   must be the code as given. */
static est_suggestions suggest_for(const est_zones *t, const char *code, const est_error *e)
{
    est_suggestions s;
    assert_string_equal(e->value, code);
    assert_int_equal(est_zones_suggest(&s, t, e->value), EST_OK);
    return s;
}

static void test_zones_unknown_code_names_closest(void **state)
{
    est_error e;
    est_zone z;
    est_suggestions s;
    int rc;
    est_zones *t = open_with(NULL, 0, &e, &rc);
    (void)state;
    assert_int_equal(est_zones_lookup(&z, t, "FRQ", &e), EST_ENOTFOUND);
    assert_string_equal(e.message, "unknown zone \"FRQ\"");
    s = suggest_for(t, "FRQ", &e);
    assert_true(s.n >= 1);
    assert_string_equal(s.names[0], "FR");
    /* a name finds its code */
    assert_int_equal(est_zones_lookup(&z, t, "germany", &e), EST_ENOTFOUND);
    s = suggest_for(t, "germany", &e);
    assert_string_equal(s.names[0], "DE");
    /* parts of a long code */
    assert_int_equal(est_zones_lookup(&z, t, "US-CAMX", &e), EST_ENOTFOUND);
    s = suggest_for(t, "US-CAMX", &e);
    assert_string_equal(s.names[0], "US-EGRID-CAMX");
    assert_int_equal(est_zones_lookup(&z, t, "", &e), EST_ENOTFOUND);
    s = suggest_for(t, "", &e);
    assert_int_equal(s.n, 0);
    assert_int_equal(est_zones_lookup(&z, t, NULL, &e), EST_EINVAL);
    assert_string_equal(e.value, "");
    est_zones_free(t);
}

/* est_zones_suggest on a table small enough to work the lists out by hand
   (zones.c, candidate_score): twice the edit distance of the codes
   (case-insensitive), + 1 when the first letters differ; at most 2 for a
   code holding every '-' part of the query, or starting with it (2 letters
   or more), or a name holding it (3 or more); 0 for a name equal to it;
   dropped above 5, or above the query's length + 1 past 3 letters; ties in
   code order; at most 5. */
static void test_zones_suggest_lists_worked_out_by_hand(void **state)
{
    char *d = test_mkdtemp(), zp[4200], ap[4200];
    est_zones_options o = EST_ZONES_OPTIONS_INIT;
    est_zones *t = NULL;
    est_error e;
    est_zone z;
    est_suggestions s;
    (void)state;
    snprintf(zp, sizeof zp, "%s/zones.csv", d);
    test_write_file(zp, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                        "DE,Germany,380,2023,lifecycle,,test\n"
                        "FR,France,50,2023,lifecycle,,test\n"
                        "GB,United Kingdom,240,2023,lifecycle,,test\n"
                        "US-EGRID-CAMX,WECC California,230,2022,direct,,test\n"
                        "US-EGRID-RFCE,RFC East,290,2022,direct,,test\n"
                        "WORLD,World,475,2019,direct,,test\n");
    snprintf(ap, sizeof ap, "%s/zone-aliases.csv", d);
    test_write_file(ap, "alias,zone,kind,source\n"
                        "UK,GB,alias,test\n"
                        "US-MIDA-PJM,US-EGRID-RFCE US-EGRID-CAMX,refused,test\n");
    o.shipped_file = zp;
    o.aliases_file = ap;
    if (est_zones_open(&t, &o, &e))
        fail_msg("zones: %s", e.message);

    /* "FRQ" (limit 5): FR 2 x 1 + 0 = 2; DE and GB 2 x 3 + 1 = 7; WORLD
       shares only "R": 2 x 4 + 1 = 9; the US codes 10 edits and more */
    assert_int_equal(est_zones_lookup(&z, t, "FRQ", &e), EST_ENOTFOUND);
    s = suggest_for(t, "FRQ", &e);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "FR");

    /* "germany" (limit 8): Germany is DE's name: 0; GB shares only the
       "g": 2 x 6 = 12; the rest further */
    assert_int_equal(est_zones_lookup(&z, t, "germany", &e), EST_ENOTFOUND);
    s = suggest_for(t, "germany", &e);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "DE");

    /* "US-CAMX" (limit 8): US-EGRID-CAMX holds "US" and "CAMX": 2;
       US-EGRID-RFCE lacks "CAMX": 6 edits at least, 12 */
    assert_int_equal(est_zones_lookup(&z, t, "US-CAMX", &e), EST_ENOTFOUND);
    s = suggest_for(t, "US-CAMX", &e);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "US-EGRID-CAMX");

    /* "US" (limit 5): both US codes start with it: 2 each; DE, FR, GB:
       2 x 2 + 1 = 5, kept; WORLD 2 x 5 + 1 = 11; equal scores in code
       order */
    assert_int_equal(est_zones_lookup(&z, t, "US", &e), EST_ENOTFOUND);
    s = suggest_for(t, "US", &e);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.names[0], "US-EGRID-CAMX");
    assert_string_equal(s.names[1], "US-EGRID-RFCE");
    assert_string_equal(s.names[2], "DE");
    assert_string_equal(s.names[3], "FR");
    assert_string_equal(s.names[4], "GB");

    /* a refused alias: its zones, in its zone column's order */
    assert_int_equal(est_zones_lookup(&z, t, "US-MIDA-PJM", &e), EST_ENOTFOUND);
    s = suggest_for(t, "US-MIDA-PJM", &e);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.names[0], "US-EGRID-RFCE");
    assert_string_equal(s.names[1], "US-EGRID-CAMX");

    /* what resolves, a zone or a mapped alias, and nothing close: nothing */
    assert_int_equal(est_zones_suggest(&s, t, "fr"), EST_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(est_zones_suggest(&s, t, "UK"), EST_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(est_zones_suggest(&s, t, "QQQQQQQQQQQQ"), EST_OK);
    assert_int_equal(s.n, 0);

    /* NULL arguments: EST_EINVAL, the list emptied */
    s.n = 2;
    assert_int_equal(est_zones_suggest(&s, NULL, "FR"), EST_EINVAL);
    assert_int_equal(s.n, 0);
    assert_int_equal(est_zones_suggest(&s, t, NULL), EST_EINVAL);
    assert_int_equal(est_zones_suggest(NULL, t, "FR"), EST_EINVAL);
    est_zones_free(t);
    test_rmtree(d);
    free(d);
}

/* One malformed overlay: the message names file, line, column and value. */
static void check_malformed(const char *content, int code, const char *expect_tail,
                            unsigned long line)
{
    char *d = test_mkdtemp(), path[4200], want[4400];
    const char *dirs[1];
    est_error e;
    int rc;
    est_zones *t;
    snprintf(path, sizeof path, "%s/zones.csv", d);
    test_write_file(path, content);
    dirs[0] = d;
    t = open_with(dirs, 1, &e, &rc);
    assert_null(t);
    assert_int_equal(rc, code);
    snprintf(want, sizeof want, "%s:%lu: %s", path, line, expect_tail);
    if (strcmp(e.message, want) != 0)
        fail_msg("message \"%s\", expected \"%s\"", e.message, want);
    assert_int_equal(e.line, line);
    test_rmtree(d);
    free(d);
}

#define HDR "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"

static void test_zones_malformed_overlay_says_where(void **state)
{
    (void)state;
    check_malformed(HDR "FR,France,\"12,5\",2024,lifecycle,,x\n", EST_EPARSE,
                    "column ci_g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 "
                    "and 5000, got \"12,5\"", 2);
    check_malformed(HDR "FR,France,12,2024,lifecycle,,x\nDE,Germany,-3,2024,direct,,x\n",
                    EST_EPARSE,
                    "column ci_g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 "
                    "and 5000, got \"-3\"", 3);
    check_malformed(HDR "FR,France,12,24,lifecycle,,x\n", EST_EPARSE,
                    "column year: expected a year between 1900 and 2200, got \"24\"", 2);
    check_malformed(HDR "FR,France,12,2024,total,,x\n", EST_EPARSE,
                    "column scope: expected direct or lifecycle, got \"total\"", 2);
    check_malformed(HDR "F R,France,12,2024,direct,,x\n", EST_EPARSE,
                    "column zone: expected a zone code of letters, digits, '-' or '_' "
                    "(at most 31), got \"F R\"", 2);
    check_malformed(HDR "FR,France,12,2024,direct,x\n", EST_EPARSE,
                    "expected 7 fields, got 6", 2);
    check_malformed(HDR "FR,France,12,2024,direct,,\"x\n", EST_EPARSE,
                    "unterminated quoted field", 2);
    check_malformed(HDR "FR,Fra\"nce,12,2024,direct,,x\n", EST_EPARSE,
                    "a quote inside a field that does not start with a quote (quote the "
                    "whole field and double the quote)", 2);
    check_malformed("zone,name,ci\nFR,France,12\n", EST_EPARSE,
                    "expected the header zone,name,ci_g_co2e_per_kwh,year,scope,"
                    "water_l_per_kwh,source[,water_source]", 1);
}

/* The duplicate message ends with the first row's place: check its start
 * only (check_malformed compares whole messages, so this case is special). */
static void test_zones_duplicate_in_one_file_names_first_row(void **state)
{
    char *d = test_mkdtemp(), path[4200];
    const char *dirs[1];
    est_error e;
    int rc;
    (void)state;
    snprintf(path, sizeof path, "%s/zones.csv", d);
    test_write_file(path, HDR "FR,France,12,2024,direct,,x\nfr,France,13,2024,direct,,y\n");
    dirs[0] = d;
    assert_null(open_with(dirs, 1, &e, &rc));
    assert_int_equal(rc, EST_EPARSE);
    assert_non_null(strstr(e.message, ":3: column zone: zone \"fr\" already defined"));
    assert_non_null(strstr(e.message, "zones.csv:2"));
    test_rmtree(d);
    free(d);
}

static void test_zones_matches_query(void **state)
{
    est_zone z;
    (void)state;
    memset(&z, 0, sizeof z);
    strcpy(z.code, "US-EGRID-CAMX");
    strcpy(z.name, "WECC California");
    assert_true(est_zones_matches(&z, NULL));
    assert_true(est_zones_matches(&z, "camx"));
    assert_true(est_zones_matches(&z, "california"));
    assert_false(est_zones_matches(&z, "texas"));
}

/* ---- the CLI ---- */

static void run_cli(test_run *r, const char *const *args, const char *xdg)
{
    char *argv[32], bin[4096], env_xdg[4200];
    char *env[4];
    size_t i, n = 0;
    snprintf(bin, sizeof bin, "%s", getenv("ECOEST_BIN"));
    argv[n++] = bin;
    for (i = 0; args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    snprintf(env_xdg, sizeof env_xdg, "XDG_CONFIG_HOME=%s", xdg);
    env[0] = env_xdg;
    env[1] = (char *)"ECOEST_ZONES_PATH=";
    env[2] = (char *)"XDG_CACHE_HOME=/nonexistent-ecoest-cache";
    env[3] = NULL;
    test_run_argv(r, argv, NULL, env);
}

static void test_zones_cli_unknown_zone_exits_65_with_candidates(void **state)
{
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone",
                          "FRQ", NULL};
    char *xdg = test_mkdtemp();
    test_run r;
    (void)state;
    run_cli(&r, args, xdg);
    assert_int_equal(r.status, 65);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "ecoest: unknown zone \"FRQ\""));
    assert_non_null(strstr(r.err, "closest known zones: \"FR\""));
    test_run_free(&r);
    test_rmtree(xdg);
    free(xdg);
}

/* An overlay in $XDG_CONFIG_HOME/ecoest/carbon is used by --zone: 1 core x
 * 100 W x 1 h x PUE 1.67 = 0.167 kWh; x 20 g/kWh = 3.34 g. */
static void test_zones_cli_overlay_in_xdg_config(void **state)
{
    const char *args[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone",
                          "FR", "--format", "csv", NULL};
    char *xdg = test_mkdtemp(), path[4200];
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/ecoest", xdg);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/carbon", xdg);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/carbon/zones.csv", xdg);
    test_write_file(path, HDR "FR,France (PPA),20,2024,lifecycle,,contract\n");
    run_cli(&r, args, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\n0.167,3.34"));
    test_run_free(&r);
    /* a malformed overlay stops the program with its place, exit 65 */
    test_write_file(path, HDR "FR,France (PPA),abc,2024,lifecycle,,contract\n");
    run_cli(&r, args, xdg);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "zones.csv:2: column ci_g_co2e_per_kwh: expected a "
                                  "number of gCO2e/kWh between 0 and 5000, got \"abc\""));
    test_run_free(&r);
    test_rmtree(xdg);
    free(xdg);
}

static void test_zones_cli_lists_zones(void **state)
{
    const char *a1[] = {"carbon", "zones", "france", NULL};
    const char *a2[] = {"carbon", "zones", "--format", "csv", "US-EGRID-CAM", NULL};
    const char *a3[] = {"carbon", "zones", "--format", "json", "WORLD", NULL};
    const char *a4[] = {"carbon", "zones", "nowhere-at-all", NULL};
    char *xdg = test_mkdtemp();
    test_run r;
    (void)state;
    run_cli(&r, a1, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "FR"));
    assert_non_null(strstr(r.out, "France"));
    assert_null(strstr(r.out, "Germany"));
    test_run_free(&r);
    run_cli(&r, a2, xdg);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,"
                               "source,origin\n", 62) == 0);
    assert_non_null(strstr(r.out, "\nUS-EGRID-CAMX,"));
    test_run_free(&r);
    run_cli(&r, a3, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"zone\":\t\"WORLD\""));
    assert_non_null(strstr(r.out, "\"ci_g_co2e_per_kwh\":\t475"));
    test_run_free(&r);
    /* an empty listing is not an error: exit 0, nothing listed, a note */
    run_cli(&r, a4, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "no zone matches"));
    test_run_free(&r);
    test_rmtree(xdg);
    free(xdg);
}

/* Zone codes are ASCII letters, digits, '-' and '_' in every locale:
 * isalnum() under a Latin-1 LC_CTYPE takes 0xe9 ('e' acute) for a letter,
 * so "F\xe9" passed. The locale is compiled with localedef into a
 * temporary folder (Debian package 'locales'); without it the locale part
 * is skipped, the check itself still runs. */
static void test_zones_code_is_ascii_in_any_locale(void **state)
{
    char *dir = test_mkdtemp(), out[4096];
    char *argv[] = {"/usr/bin/localedef", "-i", "de_DE", "-f", "ISO-8859-1", out, NULL};
    int latin1 = 0;
    (void)state;
    snprintf(out, sizeof out, "%s/de_DE.ISO-8859-1", dir);
    if (access(argv[0], X_OK) == 0) {
        test_run r;
        test_run_argv(&r, argv, NULL, NULL);
        test_run_free(&r);
        setenv("LOCPATH", dir, 1);
        latin1 = setlocale(LC_CTYPE, "de_DE.ISO-8859-1") != NULL;
        if (latin1)
            assert_true(isalnum(0xe9)); /* the trap the library avoids */
        else
            print_message("de_DE.ISO-8859-1 could not be built: checked in the C locale\n");
    }
    check_malformed(HDR "F\xe9,France,12,2024,direct,,x\n", EST_EPARSE,
                    "column zone: expected a zone code of letters, digits, '-' or '_' "
                    "(at most 31), got \"F?\"", 2); /* the message stays UTF-8 */
    setlocale(LC_CTYPE, "C");
    unsetenv("LOCPATH");
    test_rmtree(dir);
    free(dir);
}

/* ---- aliases, search and text checks (issues 13 and 14) ---- */

static void test_zones_aliases_resolve_to_our_zones(void **state)
{
    static const char *const pairs[][3] = {
        {"FRA", "FR", "iso3166-alpha3"},   {"deu", "DE", "iso3166-alpha3"},
        {"UK", "GB", "alias"},             {"uk", "GB", "alias"},
        {"EL", "GR", "alias"},             {"US-CAL-CISO", "US-EGRID-CAMX", "electricitymaps"},
        {"US-TEX-ERCO", "US-EGRID-ERCT", "electricitymaps"},
        {"DK-DK1", "DK", "electricitymaps"}, {"SE-SE3", "SE", "electricitymaps"}};
    est_error e;
    est_zone z;
    est_zone_alias a;
    size_t i;
    int rc;
    est_zones *t = open_with(NULL, 0, &e, &rc);
    (void)state;
    assert_int_equal(rc, EST_OK);
    assert_true(est_zones_alias_count(t) > 200);
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (est_zones_resolve(&z, &a, t, pairs[i][0], &e) != EST_OK)
            fail_msg("%s: %s", pairs[i][0], e.message);
        assert_string_equal(z.code, pairs[i][1]);
        assert_true(strcasecmp(a.alias, pairs[i][0]) == 0);
        assert_string_equal(a.kind, pairs[i][2]);
        assert_true(a.source[0] != '\0');
        assert_non_null(strstr(a.origin, "zone-aliases.csv:"));
    }
    /* a zone's own code is no alias */
    assert_int_equal(est_zones_resolve(&z, &a, t, "FR", &e), EST_OK);
    assert_string_equal(a.alias, "");
    /* est_zones_lookup follows aliases too (the estimate's --zone UK) */
    assert_int_equal(est_zones_lookup(&z, t, "UK", &e), EST_OK);
    assert_string_equal(z.code, "GB");
    est_zones_free(t);
}

/* A lookup keeps what was given and the code to ask a live provider for:
 * an Electricity Maps zone is asked for as itself (US-CAL-CISO, JP-TK,
 * DK-DK1: the provider has their own series), any other alias as the zone
 * it names (UK -> GB, FRA -> FR), a zone's own code as itself. The bug this
 * catches: live data and forecasts of US-CAL-CISO were asked for
 * US-EGRID-CAMX, a code Electricity Maps does not know. */
static void test_zones_lookup_keeps_the_given_code_for_providers(void **state)
{
    /* given, what it is written as in the tables, zone, provider code, kind */
    static const char *const cases[][5] = {
        {"US-CAL-CISO", "US-CAL-CISO", "US-EGRID-CAMX", "US-CAL-CISO", "electricitymaps"},
        {"jp-tk", "JP-TK", "JP", "JP-TK", "electricitymaps"},
        {"DK-DK1", "DK-DK1", "DK", "DK-DK1", "electricitymaps"},
        {"UK", "UK", "GB", "GB", "alias"},
        {"fra", "FRA", "FR", "FR", "iso3166-alpha3"},
        {"fr", "FR", "FR", "FR", ""},
        {"US-EGRID-CAMX", "US-EGRID-CAMX", "US-EGRID-CAMX", "US-EGRID-CAMX", ""}};
    est_error e;
    est_zone z, hand;
    est_zone_alias a;
    const est_zone *row;
    size_t i;
    int rc;
    est_zones *t = open_with(NULL, 0, &e, &rc);
    (void)state;
    assert_int_equal(rc, EST_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (est_zones_lookup(&z, t, cases[i][0], &e) != EST_OK)
            fail_msg("%s: %s", cases[i][0], e.message);
        assert_string_equal(z.given, cases[i][1]);
        assert_string_equal(z.code, cases[i][2]);
        assert_string_equal(z.provider_code, cases[i][3]);
        assert_string_equal(est_zones_provider_code(&z), cases[i][3]);
        assert_string_equal(z.alias_kind, cases[i][4]);
        /* the alias row's source, "" for a zone's own code */
        assert_int_equal(z.alias_source[0] != '\0', cases[i][4][0] != '\0');
        /* est_zones_resolve fills the same fields */
        assert_int_equal(est_zones_resolve(&z, &a, t, cases[i][0], &e), EST_OK);
        assert_string_equal(z.provider_code, cases[i][3]);
        if (cases[i][4][0])
            assert_string_equal(z.alias_source, a.source);
    }
    /* a table row: its own code for the providers, nothing given */
    row = est_zones_at(t, 0);
    assert_non_null(row);
    assert_string_equal(row->provider_code, row->code);
    assert_string_equal(row->given, "");
    assert_string_equal(row->alias_kind, "");
    /* a row built by hand (zeroed, code set) is asked for by its code */
    memset(&hand, 0, sizeof hand);
    snprintf(hand.code, sizeof hand.code, "DE");
    assert_string_equal(est_zones_provider_code(&hand), "DE");
    assert_string_equal(est_zones_provider_code(NULL), "");
    est_zones_free(t);
}

static void test_zones_refused_alias_names_its_zones(void **state)
{
    est_error e;
    est_zone z;
    est_suggestions s;
    int rc;
    est_zones *t = open_with(NULL, 0, &e, &rc);
    (void)state;
    assert_int_equal(est_zones_lookup(&z, t, "US-MIDA-PJM", &e), EST_ENOTFOUND);
    assert_non_null(strstr(e.message, "zone \"US-MIDA-PJM\" (Electricity Maps) spans several "
                                      "ecoest zones"));
    s = suggest_for(t, "US-MIDA-PJM", &e);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.names[0], "US-EGRID-RFCE");
    assert_string_equal(s.names[1], "US-EGRID-RFCW");
    assert_string_equal(s.names[2], "US-EGRID-SRVC");
    assert_int_equal(est_zones_lookup(&z, t, "IT-SIC", &e), EST_ENOTFOUND);
    assert_non_null(strstr(e.message, "has no ecoest zone of its own"));
    s = suggest_for(t, "IT-SIC", &e);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "IT");
    est_zones_free(t);
}

static void test_zones_search_matches_code_first(void **state)
{
    est_error e;
    size_t idx[300], n, i;
    int rc;
    est_zones *t = open_with(NULL, 0, &e, &rc);
    (void)state;
    n = est_zones_search(idx, 300, t, "FR");
    assert_true(n >= 1 && n <= 300);
    assert_string_equal(est_zones_at(t, idx[0])->code, "FR");
    for (i = 0; i < n; i++)
        assert_string_not_equal(est_zones_at(t, idx[i])->code, "ZA");
    /* French Guiana is listed (a name word starts with "fr"), after FR */
    for (i = 1; i < n; i++)
        if (strcmp(est_zones_at(t, idx[i])->code, "GF") == 0)
            break;
    assert_true(i < n);
    /* an alias lists its zone first */
    n = est_zones_search(idx, 300, t, "UK");
    assert_true(n >= 1);
    assert_string_equal(est_zones_at(t, idx[0])->code, "GB");
    n = est_zones_search(idx, 300, t, "fra");
    assert_true(n >= 1);
    assert_string_equal(est_zones_at(t, idx[0])->code, "FR");
    /* a code part */
    n = est_zones_search(idx, 300, t, "camx");
    assert_int_equal(n, 1);
    assert_string_equal(est_zones_at(t, idx[0])->code, "US-EGRID-CAMX");
    /* no query: every zone, in code order; cap bounds the writes */
    assert_int_equal(est_zones_search(idx, 2, t, NULL), est_zones_count(t));
    assert_int_equal(idx[1], 1);
    assert_int_equal(est_zones_search(idx, 300, t, "nowhere-at-all"), 0);
    est_zones_free(t);
}

static void test_zones_matches_word_starts_not_inside_words(void **state)
{
    est_zone z;
    (void)state;
    memset(&z, 0, sizeof z);
    strcpy(z.code, "ZA");
    strcpy(z.name, "South Africa");
    assert_false(est_zones_matches(&z, "fr"));
    assert_true(est_zones_matches(&z, "afr"));
    assert_true(est_zones_matches(&z, "south af"));
    assert_true(est_zones_matches(&z, "za"));
    strcpy(z.code, "AU-NSW");
    strcpy(z.name, "New South Wales (Australia)");
    assert_true(est_zones_matches(&z, "australia"));
    assert_true(est_zones_matches(&z, "nsw"));
    assert_false(est_zones_matches(&z, "sw"));
}

static void test_zones_control_characters_and_bad_utf8_are_rejected(void **state)
{
    (void)state;
    check_malformed(HDR "FR,Fr\033ance,12,2024,direct,,x\n", EST_EPARSE,
                    "column name: a control character (byte 0x1b at byte 3) in \"Fr?ance\"", 2);
    check_malformed(HDR "FR,\"Fr\nance\",12,2024,direct,,x\n", EST_EPARSE,
                    "column name: a control character (byte 0x0a at byte 3) in \"Fr?ance\"", 2);
    check_malformed(HDR "FR,France,12,2024,direct,,so\aurce\n", EST_EPARSE,
                    "column source: a control character (byte 0x07 at byte 3) in "
                    "\"so?urce\"", 2);
    check_malformed(HDR "FR,Fr\xff" "ance,12,2024,direct,,x\n", EST_EPARSE,
                    "column name: invalid UTF-8 (byte 0xff at byte 3) in \"Fr?ance\"", 2);
    /* an overlong '/' and a lone continuation byte */
    check_malformed(HDR "FR,France,12,2024,direct,,a\xc0\xaf\n", EST_EPARSE,
                    "column source: invalid UTF-8 (byte 0xc0 at byte 2) in \"a??\"", 2);
    check_malformed(HDR "FR,Fran\x80,12,2024,direct,,x\n", EST_EPARSE,
                    "column name: invalid UTF-8 (byte 0x80 at byte 5) in \"Fran?\"", 2);
}

/* Text that is fine: UTF-8 names load and keep their bytes. */
static void test_zones_utf8_names_load(void **state)
{
    char *d = test_mkdtemp(), path[4200];
    const char *dirs[1];
    est_error e;
    est_zone z;
    int rc;
    est_zones *t;
    (void)state;
    snprintf(path, sizeof path, "%s/zones.csv", d);
    test_write_file(path, HDR "CI,C\xc3\xb4te d'Ivoire,400,2023,lifecycle,,Ember \xe2\x80\x94 x\n");
    dirs[0] = d;
    t = open_with(dirs, 1, &e, &rc);
    assert_int_equal(rc, EST_OK);
    assert_int_equal(est_zones_lookup(&z, t, "CI", &e), EST_OK);
    assert_string_equal(z.name, "C\xc3\xb4te d'Ivoire");
    est_zones_free(t);
    test_rmtree(d);
    free(d);
}

/* The year is checked before any cast: 4444...2024 is out of range, not UB
 * (the sanitizer build would flag a float-to-unsigned overflow). */
static void test_zones_huge_year_is_rejected_without_cast(void **state)
{
    (void)state;
    check_malformed(HDR "FR,France,12,44444444444444444444442024,direct,,x\n", EST_EPARSE,
                    "column year: expected a year between 1900 and 2200, got "
                    "\"44444444444444444444442024\"", 2);
    check_malformed(HDR "FR,France,12,-1e300,direct,,x\n", EST_EPARSE,
                    "column year: expected a year between 1900 and 2200, got \"-1e300\"", 2);
    check_malformed(HDR "FR,France,12,2024.5,direct,,x\n", EST_EPARSE,
                    "column year: expected a year between 1900 and 2200, got \"2024.5\"", 2);
}

#define HDR8 "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source,water_source\n"

static void test_zones_water_column_and_its_source(void **state)
{
    char *d = test_mkdtemp(), path[4200];
    const char *dirs[1];
    est_error e;
    est_zone z;
    int rc;
    est_zones *t;
    (void)state;
    snprintf(path, sizeof path, "%s/zones.csv", d);
    test_write_file(path, HDR8 "FR,France,12,2024,direct,1.25,x,my survey\n"
                               "DE,Germany,300,2024,direct,,x,\n");
    dirs[0] = d;
    t = open_with(dirs, 1, &e, &rc);
    assert_int_equal(rc, EST_OK);
    assert_int_equal(est_zones_lookup(&z, t, "FR", &e), EST_OK);
    assert_close(z.water_l_per_kwh, 1.25, 0);
    assert_string_equal(z.water_source, "my survey");
    assert_int_equal(est_zones_lookup(&z, t, "DE", &e), EST_OK);
    assert_close(z.water_l_per_kwh, EST_UNSET, 0);
    est_zones_free(t);
    test_rmtree(d);
    free(d);
    check_malformed(HDR8 "FR,France,12,2024,direct,1.25,x,\n", EST_EPARSE,
                    "column water_source: expected the source of the water figure, got \"\"",
                    2);
    check_malformed(HDR8 "FR,France,12,2024,direct,-1,x,y\n", EST_EPARSE,
                    "column water_l_per_kwh: expected an empty field or a number of litres "
                    "per kWh >= 0, got \"-1\"", 2);
    check_malformed(HDR8 "FR,France,12,2024,direct,,x\n", EST_EPARSE,
                    "expected 8 fields, got 7", 2);
}

/* A malformed zone-aliases.csv in an overlay folder. */
static void check_alias_malformed(const char *content, const char *expect_tail,
                                  unsigned long line)
{
    char *d = test_mkdtemp(), path[4200], want[4400];
    const char *dirs[1];
    est_error e;
    int rc;
    snprintf(path, sizeof path, "%s/zone-aliases.csv", d);
    test_write_file(path, content);
    dirs[0] = d;
    assert_null(open_with(dirs, 1, &e, &rc));
    assert_int_equal(rc, EST_EPARSE);
    snprintf(want, sizeof want, "%s:%lu: %s", path, line, expect_tail);
    /* a tail ending in "at " is followed by the first row's place */
    if (strlen(expect_tail) > 3 && strcmp(expect_tail + strlen(expect_tail) - 3, "at ") == 0
            ? strncmp(e.message, want, strlen(want)) != 0
            : strcmp(e.message, want) != 0)
        fail_msg("message \"%s\", expected \"%s\"", e.message, want);
    test_rmtree(d);
    free(d);
}

#define AHDR "alias,zone,kind,source\n"

static void test_zones_malformed_aliases_say_where(void **state)
{
    (void)state;
    check_alias_malformed(AHDR "FR,DE,alias,x\n",
                          "column alias: expected a code that is not a zone's own, got \"FR\"",
                          2);
    check_alias_malformed(AHDR "XX,NOWHERE,alias,x\n",
                          "column zone: expected zones of zones.csv, got \"NOWHERE\"", 2);
    check_alias_malformed(AHDR "XX,FR DE,alias,x\n",
                          "column zone: expected one zone code, or several for a refused "
                          "alias, got \"FR DE\"", 2);
    check_alias_malformed(AHDR "XX,FR,nickname,x\n",
                          "column kind: expected iso3166-alpha3, alias, electricitymaps or "
                          "refused, got \"nickname\"", 2);
    check_alias_malformed(AHDR "XX,FR,alias,x\nxx,DE,alias,y\n",
                          "column alias: alias \"xx\" already defined in this file at ", 3);
    check_alias_malformed(AHDR "XX,FR,alias,\x1b[31m\n",
                          "column source: a control character (byte 0x1b at byte 1) in "
                          "\"?[31m\"", 2);
    check_alias_malformed("alias,zone\nXX,FR\n", "expected the header alias,zone,kind,source",
                          1);
}

/* An overlay alias replaces the shipped one. */
static void test_zones_overlay_alias_overrides(void **state)
{
    char *d = test_mkdtemp(), path[4200];
    const char *dirs[1];
    est_error e;
    est_zone z;
    int rc;
    est_zones *t;
    (void)state;
    snprintf(path, sizeof path, "%s/zone-aliases.csv", d);
    test_write_file(path, AHDR "UK,IE,alias,a test\nUS-MIDA-PJM,US-EGRID-RFCE,electricitymaps,"
                               "my choice\n");
    dirs[0] = d;
    t = open_with(dirs, 1, &e, &rc);
    assert_int_equal(rc, EST_OK);
    assert_int_equal(est_zones_lookup(&z, t, "UK", &e), EST_OK);
    assert_string_equal(z.code, "IE");
    assert_int_equal(est_zones_lookup(&z, t, "US-MIDA-PJM", &e), EST_OK);
    assert_string_equal(z.code, "US-EGRID-RFCE");
    est_zones_free(t);
    test_rmtree(d);
    free(d);
}

static void test_zones_cli_aliases_and_search(void **state)
{
    const char *a1[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone", "UK",
                        NULL};
    const char *a2[] = {"--cpu-tdp", "100", "--cores", "1", "--hours", "1", "--zone",
                        "US-MIDA-PJM", NULL};
    const char *a3[] = {"carbon", "zones", "FR", NULL};
    char *xdg = test_mkdtemp();
    test_run r;
    (void)state;
    run_cli(&r, a1, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "GB"));
    test_run_free(&r);
    run_cli(&r, a2, xdg);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "spans several ecoest zones"));
    assert_non_null(strstr(r.err, "\"US-EGRID-RFCE\", \"US-EGRID-RFCW\", \"US-EGRID-SRVC\""));
    test_run_free(&r);
    run_cli(&r, a3, xdg);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "France"));
    assert_null(strstr(r.out, "South Africa"));
    test_run_free(&r);
    test_rmtree(xdg);
    free(xdg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zones_shipped_table_has_every_row),
        cmocka_unit_test(test_zones_code_is_ascii_in_any_locale),
        cmocka_unit_test(test_zones_without_file_have_builtin_world),
        cmocka_unit_test(test_zones_overlay_overrides_by_code_later_wins),
        cmocka_unit_test(test_zones_unknown_code_names_closest),
        cmocka_unit_test(test_zones_suggest_lists_worked_out_by_hand),
        cmocka_unit_test(test_zones_malformed_overlay_says_where),
        cmocka_unit_test(test_zones_duplicate_in_one_file_names_first_row),
        cmocka_unit_test(test_zones_matches_query),
        cmocka_unit_test(test_zones_cli_unknown_zone_exits_65_with_candidates),
        cmocka_unit_test(test_zones_cli_overlay_in_xdg_config),
        cmocka_unit_test(test_zones_cli_lists_zones),
        cmocka_unit_test(test_zones_aliases_resolve_to_our_zones),
        cmocka_unit_test(test_zones_refused_alias_names_its_zones),
        cmocka_unit_test(test_zones_search_matches_code_first),
        cmocka_unit_test(test_zones_matches_word_starts_not_inside_words),
        cmocka_unit_test(test_zones_control_characters_and_bad_utf8_are_rejected),
        cmocka_unit_test(test_zones_utf8_names_load),
        cmocka_unit_test(test_zones_huge_year_is_rejected_without_cast),
        cmocka_unit_test(test_zones_water_column_and_its_source),
        cmocka_unit_test(test_zones_malformed_aliases_say_where),
        cmocka_unit_test(test_zones_overlay_alias_overrides),
        cmocka_unit_test(test_zones_cli_aliases_and_search),
        cmocka_unit_test(test_zones_lookup_keeps_the_given_code_for_providers),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
