/* The strict number, fraction, count, duration and time parsers. */
#include <limits.h>
#include <locale.h>
#include <unistd.h>

#include "test_util.h"

#include "ecoest/common.h"
#include "ecoest/model.h"

/* the shared scanner itself (static inline, internal) */
#include "../libestimate/src/num_internal.h"

static double parse_ok(const char *s)
{
    double v = -12345.0;
    int rc = est_parse_double_str(&v, s);
    if (rc != EST_OK)
        fail_msg("\"%s\" was rejected (%d)", s, rc);
    return v;
}

static void parse_bad(const char *s)
{
    double v = 0.0;
    int rc = est_parse_double_str(&v, s);
    if (rc == EST_OK)
        fail_msg("\"%s\" was accepted as %.17g", s, v);
}

static void test_num_accepts_plain_decimals(void **state)
{
    (void)state;
    assert_close(parse_ok("12.5"), 12.5, 0);
    assert_close(parse_ok("-0.25"), -0.25, 0);
    assert_close(parse_ok("+3"), 3.0, 0);
    assert_close(parse_ok(".5"), 0.5, 0);
    assert_close(parse_ok("5."), 5.0, 0);
    assert_close(parse_ok("1e3"), 1000.0, 0);
    assert_close(parse_ok("2.5E-3"), 0.0025, 0);
    assert_close(parse_ok("000123.4500"), 123.45, 0);
    assert_close(parse_ok("0"), 0.0, 0);
}

static void test_num_rejects_junk_hex_nan_inf_and_empty(void **state)
{
    static const char *const bad[] = {
        "", " ", " 1", "1 ", "12,5", "1.2.3", "0x1A", "nan", "NaN", "inf", "-inf",
        "Infinity", "1e", "1e+", "e5", ".", "-", "+", "1_000", "1,000", "12 W", "--1",
        "1e5x", "٣"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        parse_bad(bad[i]);
    {
        double v;
        assert_int_equal(est_parse_double_str(&v, "1e400"), EST_ERANGE);
    }
}

/* The result must be the correctly rounded double: compare with strtod in the C
 * locale (the test process never changes the locale here) on values that
 * take the fast path and values that need the slow one. */
static void test_num_is_correctly_rounded(void **state)
{
    static const char *const cases[] = {
        "0.1", "0.3", "61.42", "288.77", "1717406142.129", "9007199254740993",
        "123456789012345678901234567890", "2.2250738585072014e-308",
        "4.9406564584124654e-324", "1.7976931348623157e308", "0.000001234567890123456789",
        "3.14159265358979323846264338327950288", "1e23", "8.5e-15", "99999999999999999999"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double want = strtod(cases[i], NULL), got = parse_ok(cases[i]);
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("\"%s\": got %.17g, strtod gives %.17g", cases[i], got, want);
    }
}

/* The shared fast scanner reads eight digits at a time: every split of the
 * digits around the point and around a block of eight, up to the 19-digit
 * and 2^53 limits of the fast path and past them (the general path), gives
 * strtod's correctly rounded double; a non-digit at any place of a block,
 * bytes above 0x7f included, is refused. */
static void test_num_eight_digit_blocks_match_strtod(void **state)
{
    static const char digits[] = "98765432109876543210987";
    char buf[64];
    int len, point;
    (void)state;
    for (len = 1; len <= 23; len++)
        for (point = 0; point <= len; point++) {
            double want, got;
            int o = 0;
            o += snprintf(buf + o, sizeof buf - (size_t)o, "%.*s", point, digits);
            if (point < len)
                snprintf(buf + o, sizeof buf - (size_t)o, ".%.*s", len - point, digits + point);
            want = strtod(buf, NULL);
            got = parse_ok(buf);
            if (memcmp(&want, &got, sizeof want) != 0)
                fail_msg("\"%s\": got %.17g, strtod gives %.17g", buf, got, want);
        }
    assert_true(parse_ok("9007199254740992") == 9007199254740992.0); /* 2^53, fast */
    assert_true(parse_ok("9007199254740993") == 9007199254740992.0); /* ties to even */
    assert_true(parse_ok("12345678.9") == 12345678.9);
    {
        static const char junk[] = {'/', ':', ' ', ',', 'e', '\x80', '\xb9', '\xba', '\xff'};
        size_t j, at;
        for (j = 0; j < sizeof junk; j++)
            for (at = 0; at < 12; at++) {
                memcpy(buf, "123456789012", 12);
                buf[at] = junk[j];
                buf[12] = '\0';
                if (junk[j] == 'e' && at > 0 && at < 11)
                    continue; /* 1234e56...: a number */
                parse_bad(buf);
            }
    }
}

/* The scanner's two forms agree on every text: est__decimal_fast_lim (the
 * sample reader's, masks over eight bytes) and est__decimal_fast (digit by
 * digit), on all strings of up to 7 characters over 0, 9, point, comma,
 * 'e' and a high byte, followed by a newline: same answer, same value
 * to the bit, same stop. */
static void test_num_scanner_forms_agree(void **state)
{
    static const char alpha[] = {'0', '9', '.', ',', 'e', '\xb5'};
    char buf[32];
    unsigned long code, total;
    int len;
    (void)state;
    for (len = 0; len <= 7; len++) {
        total = 1;
        for (int k = 0; k < len; k++)
            total *= sizeof alpha;
        for (code = 0; code < total; code++) {
            unsigned long c = code;
            const char *pa = buf, *pb = buf;
            double va = -1.0, vb = -2.0;
            int ra, rb, k;
            for (k = 0; k < len; k++) {
                buf[k] = alpha[c % sizeof alpha];
                c /= sizeof alpha;
            }
            memset(buf + len, '\n', sizeof buf - (size_t)len);
            ra = est__decimal_fast(&pa, buf + len, &va);
            rb = est__decimal_fast_lim(&pb, buf + len, buf + sizeof buf, &vb);
            if (ra != rb || pa != pb || (ra && memcmp(&va, &vb, sizeof va) != 0))
                fail_msg("\"%.*s\": %d %g stop %d vs %d %g stop %d", len, buf, ra, va,
                         (int)(pa - buf), rb, vb, (int)(pb - buf));
        }
    }
}

/* The fraction of a second of a time is d1 x 0.1 + d2 x 0.01 + ..., each
 * scale the one before divided by ten at run time: the rule written out
 * here. est__time_fraction takes its first nine scales from a table the
 * compiler folds from the same divisions; for 1 to 14 digits, every
 * 3-digit fraction (nvidia-smi's milliseconds) and 100 000 drawn longer
 * ones, the two give the same double to the bit and stop at the same byte. */
static double fraction_by_division(const char *p, const char *end)
{
    double f = 0.0, scale = 0.1;
    for (; p < end && *p >= '0' && *p <= '9'; p++) {
        f += (*p - '0') * scale;
        scale /= 10.0;
    }
    return f;
}

static void test_num_time_fraction_scales_are_the_divisions(void **state)
{
    char buf[24];
    unsigned long seed = 12345, k;
    (void)state;
    for (k = 0; k < 1000 + 100000; k++) {
        int len = k < 1000 ? 3 : 1 + (int)(k % 14), i;
        const char *p = buf;
        double got, want;
        if (k < 1000)
            snprintf(buf, sizeof buf, "%03lu", k);
        else
            for (i = 0; i < len; i++) {
                seed = seed * 6364136223846793005ul + 1442695040888963407ul;
                buf[i] = (char)('0' + (seed >> 33) % 10);
            }
        buf[len] = 'Z';
        assert_int_equal(est__time_fraction(&p, buf + len + 1, &got), len);
        assert_ptr_equal(p, buf + len);
        want = fraction_by_division(buf, buf + len);
        if (memcmp(&got, &want, sizeof got) != 0)
            fail_msg("\"%.*s\": %.17g vs %.17g", len, buf, got, want);
    }
}

/* A number of eight digits and more is read in two words of eight bytes:
 * eight digits ("17000000", "00000000", "99999999"), then every text of up
 * to 8 characters over 0, 9, point, comma and 'e', then newlines: both
 * forms agree (answer, value to the bit, stop). */
static void test_num_scanner_forms_agree_two_words(void **state)
{
    static const char alpha[] = {'0', '9', '.', ',', 'e'};
    static const char *const head[] = {"17000000", "00000000", "99999999"};
    char buf[40];
    unsigned long code, total;
    int len, h;
    (void)state;
    for (h = 0; h < 3; h++)
        for (len = 0; len <= 8; len++) {
            total = 1;
            for (int k = 0; k < len; k++)
                total *= sizeof alpha;
            for (code = 0; code < total; code++) {
                unsigned long c = code;
                const char *pa = buf, *pb = buf;
                double va = -1.0, vb = -2.0;
                int ra, rb, k;
                memcpy(buf, head[h], 8);
                for (k = 0; k < len; k++) {
                    buf[8 + k] = alpha[c % sizeof alpha];
                    c /= sizeof alpha;
                }
                memset(buf + 8 + len, '\n', sizeof buf - 8 - (size_t)len);
                ra = est__decimal_fast(&pa, buf + 8 + len, &va);
                rb = est__decimal_fast_lim(&pb, buf + 8 + len, buf + sizeof buf, &vb);
                if (ra != rb || pa != pb || (ra && memcmp(&va, &vb, sizeof va) != 0))
                    fail_msg("\"%.*s\": %d %.17g stop %d vs %d %.17g stop %d", 8 + len, buf, ra,
                             va, (int)(pa - buf), rb, vb, (int)(pb - buf));
            }
        }
}

/* Longer texts (8 to 17 characters: Unix times with fractions, long
 * integers, and junk around them), 200 000 drawn with a fixed seed: both
 * forms agree. */
static void test_num_scanner_forms_agree_long(void **state)
{
    static const char alpha[] = "0123456789012345678901234567890123456789..,e-";
    char buf[48];
    uint64_t x = 0x9E3779B97F4A7C15u;
    int i;
    (void)state;
    for (i = 0; i < 200000; i++) {
        const char *pa = buf, *pb = buf;
        double va = -1.0, vb = -2.0;
        int ra, rb, k, len;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        len = 8 + (int)(x % 10);
        for (k = 0; k < len; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf[k] = alpha[x % (sizeof alpha - 1)];
        }
        memset(buf + len, '\n', sizeof buf - (size_t)len);
        ra = est__decimal_fast(&pa, buf + len, &va);
        rb = est__decimal_fast_lim(&pb, buf + len, buf + sizeof buf, &vb);
        if (ra != rb || pa != pb || (ra && memcmp(&va, &vb, sizeof va) != 0))
            fail_msg("\"%.*s\": %d %.17g stop %d vs %d %.17g stop %d", len, buf, ra, va,
                     (int)(pa - buf), rb, vb, (int)(pb - buf));
    }
}

static void test_num_length_bounded_reads_only_len_bytes(void **state)
{
    double v;
    (void)state;
    assert_int_equal(est_parse_double(&v, "61.42 W", 5), EST_OK);
    assert_close(v, 61.42, 0);
    assert_int_equal(est_parse_double(&v, "61.42 W", 6), EST_EPARSE);
}

/* Compiles de_DE.UTF-8 into a temporary folder with localedef (Debian
 * package 'locales'), points LOCPATH there and switches the categories in
 * category to it. Returns the folder (for put_back_locale), or skips the test
 * when the locale cannot be built. */
static char *use_de_locale(int category)
{
    char *dir = test_mkdtemp(), out[4096];
    char *argv[] = {"/usr/bin/localedef", "-i", "de_DE", "-f", "UTF-8", out, NULL};
    test_run r;
    snprintf(out, sizeof out, "%s/de_DE.UTF-8", dir);
    if (access(argv[0], X_OK) != 0) {
        test_rmtree(dir);
        free(dir);
        skip();
    }
    test_run_argv(&r, argv, NULL, NULL);
    test_run_free(&r);
    setenv("LOCPATH", dir, 1);
    if (!setlocale(category, "de_DE.UTF-8")) {
        unsetenv("LOCPATH");
        test_rmtree(dir);
        free(dir);
        print_message("de_DE.UTF-8 could not be built with localedef: skipped\n");
        skip();
    }
    assert_string_equal(localeconv()->decimal_point, ",");
    return dir;
}

static void put_back_locale(char *dir)
{
    setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
    test_rmtree(dir);
    free(dir);
}

/* Under a locale whose decimal point is a comma, "12.5" is still twelve and a
 * half and "12,5" is still rejected. */
static void test_num_is_locale_independent(void **state)
{
    char *dir;
    double v;
    (void)state;
    dir = use_de_locale(LC_NUMERIC);
    assert_int_equal(est_parse_double_str(&v, "12.5"), EST_OK);
    assert_close(v, 12.5, 0);
    assert_int_equal(est_parse_double_str(&v, "12,5"), EST_EPARSE);
    /* the slow path too */
    assert_int_equal(est_parse_double_str(&v, "0.1000000000000000000000000001"), EST_OK);
    assert_close(v, 0.1, 1e-16);
    assert_int_equal(est_parse_fraction(&v, "0.85"), EST_OK);
    assert_close(v, 0.85, 0);
    put_back_locale(dir);
}

/* The text the library writes (assumptions, error messages) uses '.' under
 * any locale: under de_DE a plain snprintf("%g", 1.67) gives "1,67". */
static void test_num_library_text_is_locale_independent(void **state)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result res;
    est_error err;
    char *dir;
    size_t i;
    int found = 0;
    (void)state;
    dir = use_de_locale(LC_ALL);
    /* the process itself now formats with a comma */
    {
        char probe[16];
        snprintf(probe, sizeof probe, "%g", 1.67);
        assert_string_equal(probe, "1,67");
    }
    in.cpu_cores = 1;
    in.cpu_tdp_per_core_w = 10.0;
    in.runtime_h = 1.0;
    assert_int_equal(est_model_compute(&res, NULL, &in, &err), EST_OK);
    /* the default PUE (EST_DEFAULT_PUE = 1.67) is listed as an assumption */
    for (i = 0; i < res.n_assumptions; i++)
        if (strstr(res.assumptions[i], "PUE 1.67"))
            found = 1;
    assert_true(found);
    for (i = 0; i < res.n_assumptions; i++)
        assert_null(strstr(res.assumptions[i], "1,67"));
    in.pue = 0.5;
    assert_int_equal(est_model_compute(&res, NULL, &in, &err), EST_EINVAL);
    assert_non_null(strstr(err.message, "got 0.5"));
    assert_null(strstr(err.message, "0,5"));
    put_back_locale(dir);
    /* and the test's own locale is back */
    {
        char probe[16];
        snprintf(probe, sizeof probe, "%g", 1.67);
        assert_string_equal(probe, "1.67");
    }
}

static void test_num_fractions_and_percentages(void **state)
{
    double v;
    (void)state;
    assert_int_equal(est_parse_fraction(&v, "0.85"), EST_OK);
    assert_close(v, 0.85, 0);
    assert_int_equal(est_parse_fraction(&v, "85%"), EST_OK);
    assert_close(v, 0.85, 1e-15);
    assert_int_equal(est_parse_fraction(&v, "100%"), EST_OK);
    assert_close(v, 1.0, 0);
    assert_int_equal(est_parse_fraction(&v, "1.2"), EST_ERANGE);
    assert_int_equal(est_parse_fraction(&v, "120%"), EST_ERANGE);
    assert_int_equal(est_parse_fraction(&v, "-0.1"), EST_ERANGE);
    assert_int_equal(est_parse_fraction(&v, "%"), EST_EPARSE);
    assert_int_equal(est_parse_fraction(&v, "85 %"), EST_EPARSE);
    assert_int_equal(est_parse_fraction(&v, "abc"), EST_EPARSE);
}

static void test_num_counts(void **state)
{
    unsigned n;
    (void)state;
    assert_int_equal(est_parse_count(&n, "64"), EST_OK);
    assert_int_equal(n, 64);
    assert_int_equal(est_parse_count(&n, "0"), EST_ERANGE);
    assert_int_equal(est_parse_count(&n, "-1"), EST_EPARSE);
    assert_int_equal(est_parse_count(&n, "2.5"), EST_EPARSE);
    assert_int_equal(est_parse_count(&n, ""), EST_EPARSE);
    assert_int_equal(est_parse_count(&n, "99999999999"), EST_ERANGE);
}

/* 2h30m = 9000 s; 90m = 5400 s; 1-02:03:04 = 86400 + 7384 = 93784 s;
 * 02:03:04 = 7384 s; 45:10 = 2710 s; 1.5 (bare hours) = 5400 s;
 * 1d2h = 93600 s; 1-02:03 (Slurm d-hh:mm) = 86400 + 7380 = 93780 s. */
/* 1 h 30 min = 1 x 3600 + 30 x 60 = 5400 s; 0 h 90 min = 90 x 60 = 5400 s;
 * 2.5 h 0 min = 2.5 x 3600 = 9000 s; 1e305 h x 3600 = 3.6e308 > DBL_MAX
 * (about 1.797e308): overflow. */
static void test_num_runtime_from_hours_minutes(void **state)
{
    double s = -1.0;
    (void)state;
    assert_int_equal(est_runtime_s_from_hm(&s, 1.0, 30.0), EST_OK);
    assert_close(s, 5400.0, 0);
    assert_int_equal(est_runtime_s_from_hm(&s, 0.0, 90.0), EST_OK);
    assert_close(s, 5400.0, 0);
    assert_int_equal(est_runtime_s_from_hm(&s, 2.5, 0.0), EST_OK);
    assert_close(s, 9000.0, 0);
    assert_int_equal(est_runtime_s_from_hm(&s, 0.0, 0.0), EST_OK);
    assert_close(s, 0.0, 0);
    s = 7.0;
    assert_int_equal(est_runtime_s_from_hm(&s, 1e305, 0.0), EST_ERANGE);
    assert_int_equal(est_runtime_s_from_hm(&s, NAN, 0.0), EST_EINVAL);
    assert_int_equal(est_runtime_s_from_hm(&s, 0.0, INFINITY), EST_EINVAL);
    assert_int_equal(est_runtime_s_from_hm(&s, -1.0, 0.0), EST_EINVAL);
    assert_int_equal(est_runtime_s_from_hm(NULL, 1.0, 0.0), EST_EINVAL);
    assert_close(s, 7.0, 0); /* untouched on error */
}

static void test_num_durations(void **state)
{
    double s;
    (void)state;
    assert_int_equal(est_parse_duration(&s, "2h30m"), EST_OK);
    assert_close(s, 9000.0, 0);
    assert_int_equal(est_parse_duration(&s, "90m"), EST_OK);
    assert_close(s, 5400.0, 0);
    assert_int_equal(est_parse_duration(&s, "1-02:03:04"), EST_OK);
    assert_close(s, 93784.0, 0);
    assert_int_equal(est_parse_duration(&s, "02:03:04"), EST_OK);
    assert_close(s, 7384.0, 0);
    assert_int_equal(est_parse_duration(&s, "45:10"), EST_OK);
    assert_close(s, 2710.0, 0);
    assert_int_equal(est_parse_duration(&s, "1.5"), EST_OK);
    assert_close(s, 5400.0, 0);
    assert_int_equal(est_parse_duration(&s, "1d2h"), EST_OK);
    assert_close(s, 93600.0, 0);
    assert_int_equal(est_parse_duration(&s, "1-02:03"), EST_OK);
    assert_close(s, 93780.0, 0);
    assert_int_equal(est_parse_duration(&s, "30s"), EST_OK);
    assert_close(s, 30.0, 0);
    {
        static const char *const bad[] = {"", "h", "2x", "30m2h", "2h2h", "-1h", "1:2:3:4",
                                          "02:61:00", "2h30", "::", "1-", "abc", "2 h"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
            if (est_parse_duration(&s, bad[i]) == EST_OK)
                fail_msg("duration \"%s\" was accepted as %g s", bad[i], s);
    }
}

/* 2025-01-01T00:00:00Z is 1735689600 (20089 days x 86400: 55 years from 1970
 * of 365 days = 20075, plus 14 leap days 1972..2024). 2025-01-15T11:00:00Z is
 * 14 days and 11 hours later: 1735689600 + 14 x 86400 + 11 x 3600 = 1736938800.
 * 2000-03-01 is 30 x 365 + 7 leap days (72..96) + 59 (Jan+Feb 2000) + 1
 * (2000-02-29) = 10950 + 7 + 60 = 11017 days. */
static void test_num_times(void **state)
{
    double t;
    long off = 3600;
    char buf[32];
    (void)state;
    assert_int_equal(est_parse_time(&t, "2025-01-15T11:00:00Z", NULL), EST_OK);
    assert_close(t, 1736938800.0, 0);
    assert_int_equal(est_parse_time(&t, "2025-01-15T11:00:00+00:00", NULL), EST_OK);
    assert_close(t, 1736938800.0, 0);
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00+01:00", NULL), EST_OK);
    assert_close(t, 1736938800.0, 0);
    assert_int_equal(est_parse_time(&t, "2025-01-15 06:30:00-0430", NULL), EST_OK);
    assert_close(t, 1736938800.0, 0);
    assert_int_equal(est_parse_time(&t, "2025-01-15T11:00:00.250Z", NULL), EST_OK);
    assert_close(t, 1736938800.25, 0);
    assert_int_equal(est_parse_time(&t, "1736938800", NULL), EST_OK);
    assert_close(t, 1736938800.0, 0);
    /* zone-less: rejected unless an offset is assumed */
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00", &off), EST_OK);
    assert_close(t, 1736938800.0, 0);
    assert_int_equal(est_parse_time(&t, "2025-02-29T00:00:00Z", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "2024-02-29T00:00:00Z", NULL), EST_OK);
    assert_int_equal(est_parse_time(&t, "2025-01-15T25:00:00Z", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "2025-01-15", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "yesterday", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "2025-01-15T11:00:00Zjunk", NULL), EST_EPARSE);
    assert_int_equal(est_format_time(buf, sizeof buf, 1736938800.9), EST_OK);
    assert_string_equal(buf, "2025-01-15T11:00:00Z");
    assert_int_equal(est_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(est_days_from_civil(2000, 3, 1), 11017);
}

/* Offsets: a written one is at most +-23:59, an assumed one within
 * +-EST_UTC_OFFSET_MAX_S (26 h); an assumed LONG_MIN used to overflow
 * "sec - off". NULL arguments are EST_EINVAL in every parser. */
static void test_num_time_offsets_are_bounded(void **state)
{
    double t = 7.0, v;
    unsigned u;
    long off = 26L * 3600L;
    (void)state;
    /* 2025-01-15T12:00:00 at +26:00 is 2025-01-14T10:00:00Z:
     * 1736942400 (12:00Z) - 93600 = 1736848800 */
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00", &off), EST_OK);
    assert_close(t, 1736848800.0, 0);
    off = 26L * 3600L + 1L;
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00", &off), EST_EINVAL);
    off = LONG_MIN;
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00", &off), EST_EINVAL);
    assert_close(t, 1736848800.0, 0); /* untouched on error */
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00+24:00", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00+23:60", NULL), EST_EPARSE);
    assert_int_equal(est_parse_time(&t, "2025-01-15T12:00:00-23:59", NULL), EST_OK);
    assert_int_equal(est_parse_time(&t, NULL, NULL), EST_EINVAL);
    assert_int_equal(est_parse_time(NULL, "2025-01-15T12:00:00Z", NULL), EST_EINVAL);
    assert_int_equal(est_parse_double(&v, NULL, 0), EST_EINVAL);
    assert_int_equal(est_parse_double_str(&v, NULL), EST_EINVAL);
    assert_int_equal(est_parse_double_str(NULL, "1"), EST_EINVAL);
    assert_int_equal(est_parse_fraction(&v, NULL), EST_EINVAL);
    assert_int_equal(est_parse_count(&u, NULL), EST_EINVAL);
    assert_int_equal(est_parse_duration(&v, NULL), EST_EINVAL);
    assert_int_equal(est_parse_duration(NULL, "1h"), EST_EINVAL);
}

/* est_civil_from_days added 719468 to any long: LONG_MAX overflowed. Days
 * are clamped to EST_CIVIL_DAYS_MIN..MAX now, and est_days_from_civil
 * returns EST_DAYS_INVALID for a month or day it cannot read. */
static void test_num_civil_dates_are_total(void **state)
{
    int y = 0;
    unsigned m = 0, d = 0;
    long days = 12345;
    char buf[EST_TIME_FORMAT_SIZE];
    (void)state;
    /* 0001-01-01 and 9999-12-31 are the formatting bounds: 1969 years of
     * 365.2425 days minus the 1-day offset of the proleptic calendar:
     * 1970-01-01 is day 719162 after 0001-01-01 (Python's date.toordinal:
     * 719163 - 1); 9999-12-31 is 2932896 (3652059 - 719163). */
    assert_int_equal(est_days_from_civil(1, 1, 1), EST_DAYS_FORMAT_MIN);
    assert_int_equal(est_days_from_civil(9999, 12, 31), EST_DAYS_FORMAT_MAX);
    est_civil_from_days(&y, &m, &d, EST_DAYS_FORMAT_MAX);
    assert_int_equal(y, 9999);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    /* any long is defined: clamped, so LONG_MAX and EST_CIVIL_DAYS_MAX give
     * the same date, and the round trip holds at the clamp */
    {
        int y2;
        unsigned m2, d2;
        est_civil_from_days(&y, &m, &d, LONG_MAX);
        est_civil_from_days(&y2, &m2, &d2, EST_CIVIL_DAYS_MAX);
        assert_int_equal(y, y2);
        assert_int_equal(m, m2);
        assert_int_equal(d, d2);
        assert_int_equal(est_days_from_civil(y, m, d), EST_CIVIL_DAYS_MAX);
        est_civil_from_days(&y, &m, &d, LONG_MIN);
        assert_int_equal(est_days_from_civil(y, m, d), EST_CIVIL_DAYS_MIN);
    }
    /* month 0/13, day 0/99, a year outside the range: the sentinel */
    assert_int_equal(est_days_from_civil(2025, 0, 1), EST_DAYS_INVALID);
    assert_int_equal(est_days_from_civil(2025, 13, 1), EST_DAYS_INVALID);
    assert_int_equal(est_days_from_civil(2025, 1, 0), EST_DAYS_INVALID);
    assert_int_equal(est_days_from_civil(2025, 1, 99), EST_DAYS_INVALID);
    assert_int_equal(est_days_from_civil(INT_MIN, 1, 1), EST_DAYS_INVALID);
    assert_int_equal(est_days_from_civil(INT_MAX, 12, 31), EST_DAYS_INVALID);
    /* the unchecked form counts on past the month's end: 2025-02-30 is
     * 2025-03-02; the checked form rejects it */
    assert_int_equal(est_days_from_civil(2025, 2, 30), est_days_from_civil(2025, 3, 2));
    assert_int_equal(est_days_from_civil_checked(&days, 2025, 2, 30), EST_EINVAL);
    assert_int_equal(est_days_from_civil_checked(&days, 2023, 2, 29), EST_EINVAL);
    assert_int_equal(est_days_from_civil_checked(&days, 2025, 13, 1), EST_EINVAL);
    assert_int_equal(est_days_from_civil_checked(&days, 3000000, 1, 1), EST_ERANGE);
    assert_int_equal(days, 12345); /* untouched on error */
    assert_int_equal(est_days_from_civil_checked(NULL, 2024, 2, 29), EST_EINVAL);
    /* 2000-03-01 is 11017 days after 1970-01-01 (30 years x 365 + 7 leap
     * days 1972..1996 + 2000's 31 + 29 days of January and February) */
    assert_int_equal(est_days_from_civil_checked(&days, 2000, 3, 1), EST_OK);
    assert_int_equal(days, 11017);
    /* est_format_time: a short buffer and a year past 9999 are EST_ERANGE */
    assert_int_equal(est_format_time(buf, sizeof buf - 1, 0.0), EST_ERANGE);
    assert_int_equal(est_format_time(buf, sizeof buf, EST_TIME_MAX_UNIX_S), EST_ERANGE);
    assert_int_equal(est_format_time(buf, sizeof buf, EST_TIME_MAX_UNIX_S - 1.0), EST_OK);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    assert_int_equal(est_format_time(buf, sizeof buf, EST_TIME_MIN_UNIX_S), EST_OK);
    assert_string_equal(buf, "0001-01-01T00:00:00Z");
    assert_int_equal(est_format_time(buf, sizeof buf, NAN), EST_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_num_accepts_plain_decimals),
        cmocka_unit_test(test_num_rejects_junk_hex_nan_inf_and_empty),
        cmocka_unit_test(test_num_is_correctly_rounded),
        cmocka_unit_test(test_num_eight_digit_blocks_match_strtod),
        cmocka_unit_test(test_num_scanner_forms_agree),
        cmocka_unit_test(test_num_scanner_forms_agree_long),
        cmocka_unit_test(test_num_scanner_forms_agree_two_words),
        cmocka_unit_test(test_num_time_fraction_scales_are_the_divisions),
        cmocka_unit_test(test_num_length_bounded_reads_only_len_bytes),
        cmocka_unit_test(test_num_is_locale_independent),
        cmocka_unit_test(test_num_library_text_is_locale_independent),
        cmocka_unit_test(test_num_fractions_and_percentages),
        cmocka_unit_test(test_num_counts),
        cmocka_unit_test(test_num_durations),
        cmocka_unit_test(test_num_times),
        cmocka_unit_test(test_num_runtime_from_hours_minutes),
        cmocka_unit_test(test_num_civil_dates_are_total),
        cmocka_unit_test(test_num_time_offsets_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
