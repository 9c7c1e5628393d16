/* The HTML report of a 10-million-row sample log (issue 15: "under 2 MB"):
 * the page's size depends on the chart's 800 pixel columns, not on the
 * rows. The log is bench/gen_samples.c's (time, CPU usage, RAM, two GPUs'
 * power; 388 MB, written in a few seconds and removed afterwards). */
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../bench/gen_samples.h"
#include "test_util.h"

static char bin[4096], dir[4096];

static int setup(void **state)
{
    const char *b = getenv("ECOEST_BIN"), *t = getenv("ECOEST_TEST_TMP");
    (void)state;
    snprintf(bin, sizeof bin, "%s", b ? b : "ecoest");
    if (t)
        snprintf(dir, sizeof dir, "%s/html", t);
    else if (getcwd(dir, sizeof dir - 8))
        strcat(dir, "/html");
    mkdir(dir, 0777);
    return 0;
}

/* Writes the page of a log of rows rows to out; returns it. */
static char *page_of(unsigned long rows, const char *name, size_t *len)
{
    char log[4200], out[4200];
    char *argv[] = {bin,        "--samples", log,      "--cpu-tdp", "100",  "--cores",
                    "8",        "--memory",  "64",     "--gpu-idle", "40",  "--format",
                    "html",     "--output",  out,      NULL};
    test_run r;
    char *page;
    snprintf(log, sizeof log, "%s/%s.csv", dir, name);
    snprintf(out, sizeof out, "%s/%s.html", dir, name);
    if (gen_samples_write(log, rows) != 0)
        fail_msg("cannot write %s", log);
    unlink(out);
    test_run_argv(&r, argv, NULL, NULL);
    unlink(log);
    if (r.status != 0)
        fail_msg("ecoest: %d %s", r.status, r.err);
    test_run_free(&r);
    page = test_read_file(out, len);
    assert_non_null(page);
    return page;
}

/* In the <g> of the series named name: the envelope's rectangles (one
   "M..z" per drawn column) and the mean line's vertices (M and L). */
static void drawn(const char *page, const char *name, size_t *cols, size_t *vertices,
                  size_t *segments)
{
    char pat[200];
    const char *p, *d, *end;
    snprintf(pat, sizeof pat, "data-series-name=\"%s\"", name);
    p = strstr(page, pat);
    if (!p)
        fail_msg("no series \"%s\"", name);
    *cols = *vertices = *segments = 0;
    p = strstr(p, "<path"); /* the envelope */
    d = strstr(p, " d=\"") + 4;
    for (end = strchr(d, '"'); d < end; d++)
        *cols += *d == 'z';
    p = strstr(p + 1, "<path"); /* the mean line */
    d = strstr(p, " d=\"") + 4;
    for (end = strchr(d, '"'); d < end; d++) {
        *vertices += *d == 'M' || *d == 'L';
        *segments += *d == 'M';
    }
}

/* 10 000 000 rows, times 1700000000 + i + (i mod 10) / 10 (bench/
   gen_samples.c): the window is 9999999.9 s, so each of the 800 columns is
   9999999.9 / 800 = 12499.999875 s ("1.25e+04" at 3 digits) and holds
   about 12500 rows; the steps are 1.1 s and 0.1 s, no gap. So each of the
   4 series (CPU usage x TDP, memory, GPU 0, GPU 1) is drawn as 800
   envelope columns and one line of 800 vertices: downsampled 12500 to 1.
   The runtime is 9999999.9 s / 3600 = 2777.777750 h. The page is under
   2 MB (the bound; it is about 190 kB) and within 2 % of the page
   of a 10 000-row log (12.5 rows a column, every column drawn too): its
   size follows the pixels, not the rows. Outside sanitizers, the CLI's peak
   memory stays under 64 MB (one double column of 10 M rows alone would be
   80 MB). */
static void test_ten_million_rows(void **state)
{
    static const char *const series[] = {"CPU (usage x TDP)", "memory (used GB x W/GB)",
                                         "GPU 0", "GPU 1"};
    size_t len, small_len, i, cols, vertices, segments;
    char *page, *small;
    const char *v;
    struct rusage ru;
    (void)state;
    page = page_of(10000000ul, "ten-million", &len);
    print_message("test_html_big: a 10000000-row log (388 MB) gives a page of %zu bytes: "
                  "%s/ten-million.html\n",
                  len, dir);
    assert_true(len < 2u * 1000u * 1000u);
    assert_non_null(strstr(page, "Reduced: 10000000 rows drawn over 800 pixel columns of "
                                 "1.25e+04 s each"));
    assert_non_null(strstr(page, "data-chart=\"power\" data-series=\"4\""));
    assert_non_null(strstr(page, "data-chart=\"energy\" data-series=\"1\""));
    assert_int_equal(strstr(page, "data-band=\"1\"") != NULL, 1); /* --gpu-idle 40 */
    for (i = 0; i < 4; i++) {
        drawn(page, series[i], &cols, &vertices, &segments);
        if (cols != 800 || vertices != 800 || segments != 1)
            fail_msg("%s: %zu columns, %zu vertices, %zu segments (800, 800, 1 expected)",
                     series[i], cols, vertices, segments);
    }
    v = strstr(page, "data-key=\"runtime_h\">");
    assert_non_null(v);
    assert_close(strtod(v + strlen("data-key=\"runtime_h\">"), NULL), 9999999.9 / 3600.0,
                 1e-12);
#if !defined(__SANITIZE_ADDRESS__) && !defined(ECOEST_TEST_SANITIZE)
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
    print_message("test_html_big: the CLI's peak memory: %ld kB\n", ru.ru_maxrss);
    assert_true(ru.ru_maxrss < 64L * 1024L);
#else
    (void)ru;
#endif
    small = page_of(10000ul, "ten-thousand", &small_len);
    print_message("test_html_big: a 10000-row log gives a page of %zu bytes\n", small_len);
    assert_true(len < small_len + small_len / 50 && small_len < len + len / 50);
    free(small);
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_ten_million_rows)};
    return cmocka_run_group_tests(tests, setup, NULL);
}
