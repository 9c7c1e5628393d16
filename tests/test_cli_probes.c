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

/* #28: 40 logs of 20 nodes (more than the old limit of 16), each node's
   two rotated logs given later day first, all nodes overlapping in time
   and each numbering its GPU 0. Node k: GPU 0 at 100 W at 0,1,2 s (day 1)
   and 3,4 s (day 2): 100 W x 4 s = 400 J. The total: 20 GPUs, window 0..4
   s (the union), 20 x 400 = 8000 J = 8000 / 3.6e6 kWh = 0.00222222 kWh
   with --pue 1 (process scope, idle unknown: 0 W). Each host's GPU energy
   400 / 3.6e6 = 0.000111111 kWh. */
static void test_probe_forty_logs_of_twenty_hosts(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", args[40][4300], *argv[100];
    size_t n = 0, k;
    test_run r;
    double kwh;
    (void)state;
    assert_non_null(mkdtemp(dir));
    argv[n++] = bin;
    for (k = 0; k < 20; k++) {
        char p1[4200], p2[4200];
        snprintf(p1, sizeof p1, "%s/n%zu-day1.csv", dir, k);
        snprintf(p2, sizeof p2, "%s/n%zu-day2.csv", dir, k);
        test_write_file(p1, "time_unix_s,gpu0_power_w\n1700000000,100\n1700000001,100\n"
                            "1700000002,100\n");
        test_write_file(p2, "time_unix_s,gpu0_power_w\n1700000003,100\n1700000004,100\n");
        snprintf(args[2 * k], sizeof args[0], "node%zu=%s", k, p2);
        snprintf(args[2 * k + 1], sizeof args[0], "node%zu=%s", k, p1);
        argv[n++] = "--samples";
        argv[n++] = args[2 * k];
        argv[n++] = "--samples";
        argv[n++] = args[2 * k + 1];
    }
    argv[n++] = "--pue";
    argv[n++] = "1";
    argv[n++] = "--scope";
    argv[n++] = "process";
    argv[n++] = "--format";
    argv[n++] = "csv";
    argv[n] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    kwh = strtod(strchr(r.out, '\n') + 1, NULL);
    assert_close(kwh, 8000.0 / 3.6e6, 1e-12);
    assert_non_null(strstr(r.out, ",node0;node1;node2;"));
    assert_non_null(strstr(r.out, ",0.00011111111111111112;0.00011111111111111112;"));
    test_run_free(&r);
    argv[n - 1] = "text";
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "GPU count         20"));
    assert_non_null(strstr(r.out, "  host node19    2 logs, 2023-11-14T22:13:20Z to "
                                  "2023-11-14T22:13:24Z: 4 s"));
    test_run_free(&r);
    test_rmtree(dir);
}

/* #28: HOST=FILE for every log or none; --write-samples refuses hosts (its
   format has no host column); two files of one host still may not give
   one quantity over the same time. */
static void test_probe_hosts_rules(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", a[4200], b[4200], ha[4300], hb[4300];
    test_run r;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv", dir);
    test_write_file(a, "time_unix_s,gpu0_power_w\n0,100\n1,100\n2,100\n");
    test_write_file(b, "time_unix_s,gpu0_power_w\n1,100\n2,100\n3,100\n");
    snprintf(ha, sizeof ha, "x=%s", a);
    snprintf(hb, sizeof hb, "x=%s", b);
    run(&r, "--samples", ha, "--samples", b, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "names no host"));
    test_run_free(&r);
    run(&r, "--samples", ha, "--write-samples", "-", NULL);
    assert_int_equal(r.status, 64);
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
    /* one host, overlapping files: refused as before */
    run(&r, "--samples", ha, "--samples", hb, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "overlapping time"));
    test_run_free(&r);
    /* two hosts: the same times are fine */
    snprintf(hb, sizeof hb, "y=%s", b);
    run(&r, "--samples", ha, "--samples", hb, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    test_rmtree(dir);
}

/* #21: a log's GPU power above the GPU's TDP is said (a T4 log gave 1.29 x
   TDP silently): T4, TDP 70 W (hwdb/gpu.csv), logged at 90 W: 90 / 70 =
   1.2857, "1.29 times". At 60 W (below the TDP, above its 17 W idle):
   nothing. */
static void test_probe_log_gpu_power_above_tdp_is_said(void **state)
{
    char dir[] = "/tmp/ecoest-probe-XXXXXX", log[4200];
    test_run r;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(log, sizeof log, "%s/t4.csv", dir);
    test_write_file(log, "time_unix_s,gpu0_power_w,gpu0_name\n0,90,NVIDIA T4\n1,90,\n2,90,\n");
    run(&r, "--samples", log, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "GPU 0: the measured power, 90 W, is 1.29 times the GPU's "
                                  "TDP of 70 W"));
    test_run_free(&r);
    test_write_file(log, "time_unix_s,gpu0_power_w,gpu0_name\n0,60,NVIDIA T4\n1,60,\n2,60,\n");
    run(&r, "--samples", log, NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "times the GPU's TDP"));
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
        cmocka_unit_test(test_probe_forty_logs_of_twenty_hosts),
        cmocka_unit_test(test_probe_hosts_rules),
        cmocka_unit_test(test_probe_log_gpu_power_above_tdp_is_said),
    };
    const char *b = getenv("ECOEST_BIN"), *s = getenv("ECOEST_SOURCE_DIR");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    snprintf(src, sizeof src, "%s", s ? s : "..");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
