/* Shared helpers of the cmocka tests. */
#ifndef ECOEST_TEST_UTIL_H
#define ECOEST_TEST_UTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* cmocka 1.1.5 has no double comparison: |a - b| <= rel x max(|a|, |b|)
   (or an absolute 1e-12 near zero). */
#define assert_close(a, b, rel) assert_close_impl((a), (b), (rel), #a, __FILE__, __LINE__)

static inline void assert_close_impl(double a, double b, double rel, const char *expr,
                                     const char *file, int line)
{
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    double diff = fabs(a - b);
    if (!(diff <= rel * scale || diff <= 1e-12)) {
        print_error("%s = %.17g, expected %.17g (relative tolerance %g)\n", expr, a, b, rel);
        _fail(file, line);
    }
}

/* Result of running a program: exit status and captured output. */
typedef struct test_run {
    int status;      /* exit code, or 128 + signal */
    char *out;       /* stdout, NUL-terminated */
    size_t out_len;
    char *err;       /* stderr, NUL-terminated */
    size_t err_len;
} test_run;

/*
 * Runs argv (argv[0] a path) with stdin from stdin_data (NULL: /dev/null),
 * in a clean environment (the ECOEST_* variables and tokens unset;
 * XDG_CONFIG_HOME, XDG_CACHE_HOME and HOME pointing nowhere), then the extra
 * entries env ("NAME=value", NULL-terminated, may be NULL; "NAME=" unsets),
 * and captures stdout and stderr. Fails the test if
 * the program cannot be started or runs for more than 60 s.
 */
void test_run_argv(test_run *r, char *const argv[], const char *stdin_data,
                   char *const env[]);
void test_run_free(test_run *r);

/* A fresh empty temporary directory (under $TMPDIR or /tmp); caller frees
   the string and may remove the tree with test_rmtree. */
char *test_mkdtemp(void);
void test_rmtree(const char *path);
/* Writes a whole file; fails the test on error. */
void test_write_file(const char *path, const char *content);
/* Reads a whole file into a malloc'd NUL-terminated string (NULL if absent). */
char *test_read_file(const char *path, size_t *len);

/* Field `name` of a two-line CSV report (its header, then one row; RFC
   4180 quoting) into buf, NUL-terminated. 0, or -1 when the header lacks
   the column or the row is short. */
int test_csv_field(const char *csv, const char *name, char *buf, size_t n);

#endif
