/* ecoest_carbon without the network: factor sets, the mix formula, the
 * cache's atomic writes, option checks. */
#include <dirent.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "ecoest/carbon.h"

static char factors_csv[4096];

static int setup(void **state)
{
    (void)state;
    snprintf(factors_csv, sizeof factors_csv, "%s/carbon/factors.csv",
             getenv("ECOEST_SOURCE_DIR"));
    return 0;
}

static void test_factors_shipped_sets(void **state)
{
    est_carbon_factor_set f;
    est_error e;
    (void)state;
    assert_int_equal(est_carbon_factors_load(&f, factors_csv, NULL, &e), EST_OK);
    assert_string_equal(f.name, "ipcc2014");
    assert_string_equal(f.scope, "lifecycle");
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_NUCLEAR], 12, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_WIND], 11, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_HYDRO], 24, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_SOLAR], 45, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_GEOTHERMAL], 38, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_BIOMASS], 230, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_GAS], 490, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_COAL], 820, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_OIL], 650, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_UNKNOWN], 700, 0);
    assert_int_equal(est_carbon_factors_load(&f, factors_csv, "direct", &e), EST_OK);
    assert_string_equal(f.scope, "direct");
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_GAS], 370, 0);
    assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_NUCLEAR], 0, 0);
    assert_int_equal(est_carbon_factors_load(&f, factors_csv, "ipcc2022", &e), EST_ENOTFOUND);
    assert_string_equal(e.value, "ipcc2022");
    /* factors.csv: the ipcc2014 rows, then the direct ones */
    {
        est_suggestions s;
        const char *one[1];
        one[0] = factors_csv;
        assert_int_equal(est_carbon_factors_suggest(&s, one, 1), EST_OK);
        assert_int_equal(s.n, 2);
        assert_string_equal(s.names[0], "ipcc2014");
        assert_string_equal(s.names[1], "direct");
    }
    assert_string_equal(est_carbon_energy_source_name(EST_CARBON_SRC_OIL), "oil");
}

static void check_bad_factors(const char *content, const char *want_tail)
{
    char *d = test_mkdtemp(), path[4200], want[4600];
    est_carbon_factor_set f;
    est_error e;
    snprintf(path, sizeof path, "%s/factors.csv", d);
    test_write_file(path, content);
    assert_int_equal(est_carbon_factors_load(&f, path, "s", &e), EST_EPARSE);
    snprintf(want, sizeof want, "%s%s", path, want_tail);
    if (strcmp(e.message, want) != 0)
        fail_msg("got \"%s\", expected \"%s\"", e.message, want);
    test_rmtree(d);
    free(d);
}

#define FH "set,source_type,g_co2e_per_kwh,scope,source\n"

static void test_factors_malformed_files_say_where(void **state)
{
    (void)state;
    check_bad_factors(FH "s,nuclear,\"12,5\",lifecycle,x\n",
                      ":2: column g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 "
                      "and 5000, got \"12,5\"");
    /* issue 14 #4: bounded as zone intensities are (0..5000): gas at
       4900000 gave 480,288 g/kWh, 1e308 gave inf */
    check_bad_factors(FH "s,nuclear,12,lifecycle,x\ns,gas,4900000,lifecycle,x\n",
                      ":3: column g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 "
                      "and 5000, got \"4900000\"");
    check_bad_factors(FH "s,gas,1e308,lifecycle,x\n",
                      ":2: column g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 "
                      "and 5000, got \"1e308\"");
    check_bad_factors(FH "s,gas,5000.0000001,lifecycle,x\n",
                      ":2: column g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 "
                      "and 5000, got \"5000.0000001\"");
    /* issue 14 #9: a set name with ESC is refused, shown as an excerpt */
    check_bad_factors(FH "s\x1b[31m,gas,1,lifecycle,x\n",
                      ":2: column set: expected a set name of 1 to 31 ASCII letters, digits, "
                      "'-', '_' or '.', got \"s?[31m\"");
    check_bad_factors(FH "s,nuclear,12,lifecycle,x\ns,fusion,1,lifecycle,x\n",
                      ":3: column source_type: expected nuclear, wind, solar, hydro, geothermal, "
                      "biomass, gas, coal, oil or unknown, got \"fusion\"");
    check_bad_factors(FH "s,nuclear,12,lifecycle,x\ns,nuclear,13,lifecycle,y\n",
                      ":3: column source_type: set \"s\" already has a factor for nuclear");
    check_bad_factors(FH "s,nuclear,12,total,x\n",
                      ":2: column scope: expected direct or lifecycle, got \"total\"");
    check_bad_factors(FH "s,nuclear,12,lifecycle\n", ":2: expected 5 fields, got 4");
    check_bad_factors(FH "s,nuclear,12,lifecycle,\"x\n", ":2: unterminated quoted field");
    check_bad_factors("set,type\n", ":1: expected the header set,source_type,g_co2e_per_kwh,"
                                    "scope,source");
    check_bad_factors(FH "s,nuclear,12,lifecycle,x\n", ": set \"s\" has no factor for wind");
}

/* nucleaire 40000, eolien 5000, gaz 5000, pumping -3000 (left out):
 * (40000 x 12 + 5000 x 11 + 5000 x 490) / 50000 = 2985000 / 50000 = 59.7 */
/* Issue 14 #9: the set name asked for is shown as an excerpt too (ESC and
 * BEL as '?'), from one file and from several. */
static void test_factors_unknown_set_name_is_an_excerpt(void **state)
{
    const char *paths[2];
    est_carbon_factor_set f;
    est_error e;
    (void)state;
    assert_int_equal(est_carbon_factors_load(&f, factors_csv, "x\x1b]0;owned\a", &e),
                     EST_ENOTFOUND);
    assert_null(strchr(e.message, '\x1b'));
    assert_non_null(strstr(e.message, "unknown factor set \"x?]0;owned?\""));
    assert_string_equal(e.value, "x\x1b]0;owned\a"); /* the value as given */
    paths[0] = factors_csv;
    paths[1] = factors_csv;
    assert_int_equal(est_carbon_factors_load_files(&f, paths, 2, "x\x1b[2J", &e), EST_ENOTFOUND);
    assert_null(strchr(e.message, '\x1b'));
    assert_non_null(strstr(e.message, "unknown factor set \"x?[2J\""));
    /* a shipped value at the bound is fine: 5000 */
    {
        char *d = test_mkdtemp(), path[4200];
        snprintf(path, sizeof path, "%s/factors.csv", d);
        test_write_file(path, FH "s,nuclear,5000,lifecycle,x\ns,wind,0,lifecycle,x\n"
                                 "s,solar,0,lifecycle,x\ns,hydro,0,lifecycle,x\n"
                                 "s,geothermal,0,lifecycle,x\ns,biomass,0,lifecycle,x\n"
                                 "s,gas,0,lifecycle,x\ns,coal,0,lifecycle,x\n"
                                 "s,oil,0,lifecycle,x\ns,unknown,0,lifecycle,x\n");
        assert_int_equal(est_carbon_factors_load(&f, path, "s", &e), EST_OK);
        assert_close(f.g_co2e_per_kwh[EST_CARBON_SRC_NUCLEAR], 5000, 0);
        test_rmtree(d);
        free(d);
    }
}

static void test_mix_intensity_hand_worked(void **state)
{
    est_carbon_factor_set f;
    est_carbon_mix m;
    double g;
    (void)state;
    assert_int_equal(est_carbon_factors_load(&f, factors_csv, NULL, NULL), EST_OK);
    memset(&m, 0, sizeof m);
    m.mw[EST_CARBON_SRC_NUCLEAR] = 40000;
    m.mw[EST_CARBON_SRC_WIND] = 5000;
    m.mw[EST_CARBON_SRC_GAS] = 5000;
    m.mw[EST_CARBON_SRC_HYDRO] = -3000; /* a negative value counts as 0 */
    assert_int_equal(est_carbon_mix_intensity(&g, &m, &f, NULL), EST_OK);
    assert_close(g, 59.7, 1e-12);
    memset(&m, 0, sizeof m);
    assert_int_equal(est_carbon_mix_intensity(&g, &m, &f, NULL), EST_ENODATA);
    m.mw[EST_CARBON_SRC_GAS] = NAN;
    assert_int_equal(est_carbon_mix_intensity(&g, &m, &f, NULL), EST_EINVAL);
}

static size_t count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        if (strstr(de->d_name, ".tmp."))
            n++;
    closedir(d);
    return n;
}

/* Atomic writes: nested folders created, a reader holding the old file
 * keeps reading it whole, no temporary file left, a failed write leaves the
 * old content. */
static void test_cache_write_is_atomic(void **state)
{
    char *root = test_mkdtemp(), path[4400], dir[4400], buf[64];
    est_error e;
    int fd;
    ssize_t n;
    char *got;
    (void)state;
    assert_int_equal(
        est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "fr", 20103, &e),
        EST_OK);
    snprintf(dir, sizeof dir, "%s/rte/FR", root);
    assert_non_null(strstr(path, "/rte/FR/2025-01-15.json"));
    assert_int_equal(est_carbon_cache_write(path, "{\"old\":1}", 9, &e), EST_OK);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(est_carbon_cache_write(path, "{\"new\":22}", 10, &e), EST_OK);
    n = read(fd, buf, sizeof buf - 1);
    assert_int_equal(n, 9);
    buf[n] = '\0';
    assert_string_equal(buf, "{\"old\":1}"); /* the old file, whole */
    close(fd);
    got = test_read_file(path, NULL);
    assert_string_equal(got, "{\"new\":22}");
    free(got);
    assert_int_equal(count_tmp(dir), 0);
    {
        /* a write that fails, for root too: the cache folder is a regular
           file (ENOTDIR). EST_EIO, and nothing is left behind. */
        char blocker[4400], bad[4500];
        snprintf(blocker, sizeof blocker, "%s/blocker", dir);
        test_write_file(blocker, "not a folder");
        snprintf(bad, sizeof bad, "%s/day.json", blocker);
        assert_int_equal(est_carbon_cache_write(bad, "{\"x\":3}", 7, &e), EST_EIO);
        assert_int_equal(count_tmp(dir), 0);
        got = test_read_file(path, NULL);
        assert_string_equal(got, "{\"new\":22}");
        free(got);
    }
    assert_int_equal(
        est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "../x", 1, &e),
        EST_EINVAL);
    /* the default provider: RTE for FR in any case, Electricity Maps for
     * anything else, NULL included */
    assert_int_equal(est_carbon_provider_for_zone("fr"), EST_CARBON_PROVIDER_RTE);
    assert_int_equal(est_carbon_provider_for_zone("DE"), EST_CARBON_PROVIDER_ELECTRICITYMAPS);
    assert_int_equal(est_carbon_provider_for_zone(NULL), EST_CARBON_PROVIDER_ELECTRICITYMAPS);
    /* zone codes are ASCII: a Latin-1 'e' acute is not a letter here */
    assert_int_equal(
        est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "F\xe9", 1, &e),
        EST_EINVAL);
    /* LONG_MAX days reached undefined behaviour in est_civil_from_days; a
     * day outside years 0001..9999 has no YYYY-MM-DD name */
    assert_int_equal(
        est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "fr", LONG_MAX, &e),
        EST_ERANGE);
    assert_int_equal(
        est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "fr", LONG_MIN, &e),
        EST_ERANGE);
    assert_int_equal(est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "fr",
                                           EST_DAYS_FORMAT_MAX + 1, &e),
                     EST_ERANGE);
    assert_int_equal(est_carbon_cache_path(path, sizeof path, root, EST_CARBON_PROVIDER_RTE, "fr",
                                           EST_DAYS_FORMAT_MAX, &e),
                     EST_OK);
    assert_non_null(strstr(path, "/rte/FR/9999-12-31.json"));
    test_rmtree(root);
    free(root);
}

static void test_fetch_checks_options_without_network(void **state)
{
    est_carbon_options o = EST_CARBON_OPTIONS_INIT;
    est_carbon_series s;
    est_carbon_factor_set f;
    est_error e;
    char *root = test_mkdtemp();
    (void)state;
    assert_int_equal(est_carbon_factors_load(&f, factors_csv, NULL, NULL), EST_OK);
    o.provider = EST_CARBON_PROVIDER_RTE;
    o.zone = "FR";
    o.factors = &f;
    o.start_unix_s = 1736899200.0;
    o.end_unix_s = o.start_unix_s + 3600;
    o.now_unix_s = 1800000000.0;
    o.base_url = "http://example.com";
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "plain http is only allowed to a loopback address"));
    o.base_url = "http://127.0.0.1@example.com/";
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EINVAL);
    o.base_url = "ftp://127.0.0.1/";
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EINVAL);
    /* offline with an empty cache: no data, no request */
    o.base_url = NULL;
    o.offline = 1;
    o.cache_dir = root;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_ENODATA);
    assert_int_equal(s.n_requests, 0);
    o.zone = "DE";
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "France only"));
    o.zone = "FR";
    o.end_unix_s = o.start_unix_s;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EINVAL);
    o.end_unix_s = o.start_unix_s + 400 * 86400.0;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EINVAL);
    est_carbon_series_clear(&s);
    est_carbon_series_clear(NULL);
    test_rmtree(root);
    free(root);
}

/* The scrubber (internal to ecoest_carbon) hides the token, and a prefix of
 * it cut by a truncation: at the end, or before an excerpt's "..." mark. */
void ecar_scrub(char *s, size_t size, const char *secret);

static void test_scrub_hides_whole_and_cut_tokens(void **state)
{
    char a[128] = "x Apikey Zq9xSECRET y Zq9xSECRET";
    char b[128] = "got \"Apikey Zq9xSEC...\" (day 2025-01-15)";
    char c[128] = "answer: Apikey Zq9xS";
    char d[128] = "Zq9 is whole-less, but Zq... is cut";
    char e[128] = "cut at one byte: xxZ... and at two: xxZq...";
    char g[15] = "full buffer: Z"; /* 14 bytes + NUL fill it: a cut */
    char h[128] = "ends with Z"; /* not cut: too short to tell */
    (void)state;
    ecar_scrub(a, sizeof a, "Zq9xSECRET");
    assert_string_equal(a, "x Apikey *** y ***");
    ecar_scrub(b, sizeof b, "Zq9xSECRET");
    assert_string_equal(b, "got \"Apikey ***...\" (day 2025-01-15)");
    ecar_scrub(c, sizeof c, "Zq9xSECRET");
    assert_string_equal(c, "answer: Apikey ***");
    /* issue 14 #11: any prefix at a cut, one or two bytes included */
    ecar_scrub(d, sizeof d, "Zq9xSECRET");
    assert_string_equal(d, "Zq9 is whole-less, but **... is cut");
    ecar_scrub(e, sizeof e, "Zq9xSECRET");
    assert_string_equal(e, "cut at one byte: xx*... and at two: xx**...");
    ecar_scrub(g, sizeof g, "Zq9xSECRET");
    assert_string_equal(g, "full buffer: *");
    ecar_scrub(h, sizeof h, "Zq9xSECRET");
    assert_string_equal(h, "ends with Z");
}

/* The excerpt helper of ecoest_carbon (internal): always valid UTF-8. */
char *ecar_excerpt(char *buf, size_t size, const char *s, size_t n);

/* Issue 14 #8: invalid UTF-8 from a server never reaches a message (whose
 * text ends up in JSON): stray bytes become '?', well-formed characters
 * stay, a cut never splits a character. */
static void test_excerpt_is_valid_utf8(void **state)
{
    char b[16];
    (void)state;
    assert_string_equal(ecar_excerpt(b, sizeof b, "ok\xff\xfe", 4), "ok??");
    assert_string_equal(ecar_excerpt(b, sizeof b, "caf\xc3\xa9", 5), "caf\xc3\xa9");
    /* overlong '/', a surrogate, a lone continuation byte, a cut 3-byte
       character, a C1 control */
    assert_string_equal(ecar_excerpt(b, sizeof b, "\xc0\xaf", 2), "??");
    assert_string_equal(ecar_excerpt(b, sizeof b, "\xed\xa0\x80", 3), "???");
    assert_string_equal(ecar_excerpt(b, sizeof b, "a\x80", 2), "a?");
    assert_string_equal(ecar_excerpt(b, sizeof b, "\xe2\x82", 2), "??");
    assert_string_equal(ecar_excerpt(b, sizeof b, "\xc2\x9b", 2), "??");
    assert_string_equal(ecar_excerpt(b, sizeof b, "\x1b[1m", 4), "?[1m");
    /* 15 bytes of room: 12 + "..."; the 'e' acute at bytes 11-12 does not
       fit whole before the mark, so it is left out, not split */
    assert_string_equal(ecar_excerpt(b, sizeof b, "abcdefghijk\xc3\xa9xyz", 16),
                        "abcdefghijk...");
    /* one byte too long: 12 + "..."; exactly the room (13 + 2): no cut */
    assert_string_equal(ecar_excerpt(b, sizeof b, "abcdefghijklmn\xc3\xa9", 16),
                        "abcdefghijkl...");
    assert_string_equal(ecar_excerpt(b, sizeof b, "abcdefghijklm\xc3\xa9", 15),
                        "abcdefghijklm\xc3\xa9");
}

/* An unknown set names the files actually read: overlay folders without a
 * factors.csv are not counted as files. */
static void test_factors_unknown_set_counts_files_read(void **state)
{
    const char *paths[3];
    est_carbon_factor_set f;
    est_error e;
    (void)state;
    paths[0] = factors_csv;
    paths[1] = "/nonexistent-ecoest-overlay/factors.csv";
    paths[2] = "/nonexistent-ecoest-overlay-2/factors.csv";
    assert_int_equal(est_carbon_factors_load_files(&f, paths, 3, "bogus", &e), EST_ENOTFOUND);
    assert_null(strstr(e.message, "overlay"));
    assert_non_null(strstr(e.message, "unknown factor set \"bogus\""));
    assert_string_equal(e.value, "bogus");
}

/* est_carbon_factors_suggest: the sets the files name, each once, in the
   order they are first named, at most 5; a file that cannot be read or is
   malformed adds none. */
static void test_factors_suggest_lists_the_known_sets(void **state)
{
    char *d = test_mkdtemp(), a[4200], b[4200], bad[4200], missing[4200];
    const char *paths[4];
    est_carbon_factor_set f;
    est_suggestions s;
    est_error e;
    (void)state;
    snprintf(a, sizeof a, "%s/a.csv", d);
    snprintf(b, sizeof b, "%s/b.csv", d);
    snprintf(bad, sizeof bad, "%s/bad.csv", d);
    snprintf(missing, sizeof missing, "%s/missing.csv", d);
    /* a: sets s1, s2 (two rows), s3; b: s3 again, then s4, s5, s6 */
    test_write_file(a, FH "s1,coal,800,direct,x\ns2,coal,800,direct,x\n"
                          "s2,gas,400,direct,x\ns3,coal,800,direct,x\n");
    test_write_file(b, FH "s3,gas,400,direct,x\ns4,coal,800,direct,x\n"
                          "s5,coal,800,direct,x\ns6,coal,800,direct,x\n");
    /* bad: a set s7 before a row that is not a number */
    test_write_file(bad, FH "s7,coal,800,direct,x\ns7,gas,lots,direct,x\n");

    /* a alone: s1 s2 s3; b alone: s3 s4 s5 s6 */
    paths[0] = a;
    assert_int_equal(est_carbon_factors_suggest(&s, paths, 1), EST_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.names[0], "s1");
    assert_string_equal(s.names[1], "s2");
    assert_string_equal(s.names[2], "s3");
    paths[0] = b;
    assert_int_equal(est_carbon_factors_suggest(&s, paths, 1), EST_OK);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.names[0], "s3");
    assert_string_equal(s.names[3], "s6");
    /* a, bad, missing, b: s1 s2 s3 from a, nothing from bad (s7 is before
       its problem) or missing, then b's new ones s4 s5; s6 is the sixth */
    paths[0] = a;
    paths[1] = bad;
    paths[2] = missing;
    paths[3] = b;
    assert_int_equal(est_carbon_factors_suggest(&s, paths, 4), EST_OK);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.names[0], "s1");
    assert_string_equal(s.names[1], "s2");
    assert_string_equal(s.names[2], "s3");
    assert_string_equal(s.names[3], "s4");
    assert_string_equal(s.names[4], "s5");
    /* the load that refuses a set gives it as err->value: a and b read */
    paths[1] = b;
    assert_int_equal(est_carbon_factors_load_files(&f, paths, 2, "s9", &e), EST_ENOTFOUND);
    assert_string_equal(e.value, "s9");
    /* no file, only a bad one: nothing */
    assert_int_equal(est_carbon_factors_suggest(&s, paths, 0), EST_OK);
    assert_int_equal(s.n, 0);
    paths[0] = bad;
    assert_int_equal(est_carbon_factors_suggest(&s, paths, 1), EST_OK);
    assert_int_equal(s.n, 0);
    /* NULL arguments: EST_EINVAL, the list emptied */
    s.n = 1;
    assert_int_equal(est_carbon_factors_suggest(&s, NULL, 1), EST_EINVAL);
    assert_int_equal(s.n, 0);
    paths[1] = NULL;
    assert_int_equal(est_carbon_factors_suggest(&s, paths, 2), EST_EINVAL);
    assert_int_equal(est_carbon_factors_suggest(NULL, paths, 1), EST_EINVAL);
    test_rmtree(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factors_shipped_sets),
        cmocka_unit_test(test_factors_unknown_set_counts_files_read),
        cmocka_unit_test(test_factors_suggest_lists_the_known_sets),
        cmocka_unit_test(test_factors_malformed_files_say_where),
        cmocka_unit_test(test_factors_unknown_set_name_is_an_excerpt),
        cmocka_unit_test(test_mix_intensity_hand_worked),
        cmocka_unit_test(test_cache_write_is_atomic),
        cmocka_unit_test(test_fetch_checks_options_without_network),
        cmocka_unit_test(test_scrub_hides_whole_and_cut_tokens),
        cmocka_unit_test(test_excerpt_is_valid_utf8),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
