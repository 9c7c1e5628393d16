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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_tz_must_be_a_tzif_zone),
    };
    const char *b = getenv("ECOEST_BIN"), *s = getenv("ECOEST_SOURCE_DIR");
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    snprintf(src, sizeof src, "%s", s ? s : "..");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
