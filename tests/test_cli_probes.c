/* What the outside probes found (issue 14), through the CLI: each case
 * failed before its fix. */
#include "test_util.h"

static char bin[4096], src[4096];

static void run(test_run *r, ...)
{
    char *argv[16];
    size_t n = 0;
    va_list ap;
    argv[n++] = bin;
    va_start(ap, r);
    while (n < 15 && (argv[n] = va_arg(ap, char *)) != NULL)
        n++;
    va_end(ap);
    argv[n] = NULL;
    test_run_argv(r, argv, NULL, NULL);
}

/* #6: --tz Europe, Europe/ and zone.tab are not zones (glibc took them as
   UTC, shifting every time): usage error 64, nothing on stdout. */
static void test_probe_tz_must_be_a_tzif_zone(void **state)
{
    static const char *const bad[] = {"Europe", "Europe/", "zone.tab", ""};
    char log[4200];
    size_t i;
    test_run r;
    (void)state;
    snprintf(log, sizeof log, "%s/tests/samples/nvsmi.csv", src);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run(&r, "--samples", log, "--tz", bad[i], NULL);
        if (r.status != 64)
            fail_msg("--tz \"%s\": exit %d, expected 64", bad[i], r.status);
        assert_int_equal(r.out_len, 0);
        assert_non_null(strstr(r.err, "--tz: expected"));
        test_run_free(&r);
    }
    run(&r, "--samples", log, "--tz", "Europe/Paris", NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
}

/* #13, #14, #20: a binary file, a NUL inside a header name and a broken
   quote get exit 65 with a message that echoes no raw bytes (a binary file
   was 64, "unknown sample-log header" and 120 raw bytes). */
static void test_probe_binary_and_broken_headers(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", bin_[4200], nul[4200], q[4200];
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, '\n', 1, 2};
    FILE *f;
    test_run r;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(bin_, sizeof bin_, "%s/bin.csv", dir);
    f = fopen(bin_, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(elf, 1, sizeof elf, f), sizeof elf);
    fclose(f);
    run(&r, "--samples", bin_, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "not a text file"));
    assert_null(memchr(r.err, 0x7f, r.err_len));
    test_run_free(&r);
    snprintf(nul, sizeof nul, "%s/nul.csv", dir);
    f = fopen(nul, "wb");
    assert_non_null(f);
    fwrite("time_unix_s,gpu0_p\0ower_w\n0,1\n1,2\n", 1, 35, f);
    fclose(f);
    run(&r, "--samples", nul, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "NUL byte"));
    test_run_free(&r);
    snprintf(q, sizeof q, "%s/q.csv", dir);
    test_write_file(q, "\"time_unix_s,gpu0_power_w\n0,1\n1,2\n");
    run(&r, "--samples", q, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "a quote is not closed"));
    assert_null(strstr(r.err, "quote256"));
    test_run_free(&r);
    test_rmtree(dir);
}

/* #22: nothing to integrate names the file and says why. */
static void test_probe_empty_logs_name_the_file_and_why(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", one[4200], none[4200];
    test_run r;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(one, sizeof one, "%s/one.csv", dir);
    test_write_file(one, "time_unix_s,gpu0_power_w\n5,1\n5,2\n");
    run(&r, "--samples", one, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, one));
    assert_non_null(strstr(r.err, "all 2 rows share one time"));
    test_run_free(&r);
    snprintf(none, sizeof none, "%s/none.csv", dir);
    test_write_file(none, "time_unix_s,gpu0_power_w\n5,\n6,\n");
    run(&r, "--samples", none, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, none));
    assert_non_null(strstr(r.err, "no column matched"));
    test_run_free(&r);
    test_rmtree(dir);
}

/* #16: an nvidia-smi log whose last line is cut ("..., 10" for 100 W) is
   read, and the cut is said. */
static void test_probe_cut_last_line_is_said(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", log[4200];
    test_run r;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(log, sizeof log, "%s/cut.csv", dir);
    test_write_file(log, "timestamp, index, power.draw [W]\n"
                         "2024/01/31 12:00:00.000, 0, 100.00 W\n"
                         "2024/01/31 12:00:01.000, 0, 100.00 W\n"
                         "2024/01/31 12:00:02.000, 0, 10");
    run(&r, "--samples", log, "--tz", "UTC", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "the last line has no newline"));
    test_run_free(&r);
    test_write_file(log, "timestamp, index, power.draw [W]\n"
                         "2024/01/31 12:00:00.000, 0, 100.00 W\n"
                         "2024/01/31 12:00:01.000, 0, 100.00 W\n");
    run(&r, "--samples", log, "--tz", "UTC", NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "no newline"));
    test_run_free(&r);
    test_rmtree(dir);
}

/* #26: one hole in a log of two columns is "1 gap" (was 2), one repeated
   row is "1 duplicate row" (was "2 duplicate times"), and the window keeps
   its fractional seconds: 1700000000.25 is 2023-11-14T22:13:20.25Z
   (1700000000 = 19675 days x 86400 + 80000 s, 80000 s = 22:13:20), and the
   duration 1700000012.5 - 1700000000.25 = 12.25 s (was "...:20Z"). */
static void test_probe_rows_counted_and_fractional_window(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", log[4200];
    test_run r;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(log, sizeof log, "%s/frac.csv", dir);
    test_write_file(log, "time_unix_s,gpu0_power_w,ram_used_gb\n"
                         "1700000000.25,100,1\n1700000001.25,100,1\n1700000001.25,100,1\n"
                         "1700000002.25,100,1\n1700000003.25,100,1\n"
                         "1700000010.5,100,1\n1700000011.5,100,1\n1700000012.5,100,1\n");
    run(&r, "--samples", log, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "1 gap,"));
    assert_non_null(strstr(r.err, "1 duplicate row "));
    assert_non_null(strstr(r.out, "job window     2023-11-14T22:13:20.25Z to "
                                  "2023-11-14T22:13:32.5Z: 12.25 s"));
    assert_non_null(strstr(r.out, "(12.25 s, 2023-11-14T22:13:20.25Z to 2023-11-14T22:13:32.5Z)"));
    test_run_free(&r);
    run(&r, "--samples", log, "--format", "json", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"start_unix_s\":\t1700000000.25,"));
    assert_non_null(strstr(r.out, "\"duplicates\":\t1,"));
    assert_non_null(strstr(r.out, "\"gaps\":\t1,"));
    test_run_free(&r);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_tz_must_be_a_tzif_zone),
        cmocka_unit_test(test_probe_binary_and_broken_headers),
        cmocka_unit_test(test_probe_empty_logs_name_the_file_and_why),
        cmocka_unit_test(test_probe_cut_last_line_is_said),
        cmocka_unit_test(test_probe_rows_counted_and_fractional_window),
    };
    const char *b = getenv("ECOEST_BIN"), *s = getenv("ECOEST_SOURCE_DIR");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    snprintf(src, sizeof src, "%s", s ? s : "..");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
