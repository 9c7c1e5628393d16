/* --help, the man page and docs/cli.md name the same long options. */
#include <ctype.h>

#include "test_util.h"

#define OPTS_MAX 512

typedef struct optset {
    size_t n;
    char names[OPTS_MAX][48];
} optset;

static int has(const optset *s, const char *name)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return 1;
    return 0;
}

/* Collects every "--long-option" in text (backslashes of roff removed first). */
static void collect(optset *s, const char *text)
{
    const char *p;
    char *clean = malloc(strlen(text) + 1), *o = clean;
    assert_non_null(clean);
    for (p = text; *p; p++)
        if (*p != '\\')
            *o++ = *p;
    *o = '\0';
    for (p = clean; (p = strstr(p, "--")) != NULL;) {
        const char *q = p + 2;
        size_t n = 0;
        char name[48];
        if (p > clean && (isalnum((unsigned char)p[-1]) || p[-1] == '-')) {
            p += 2;
            continue;
        }
        while ((isalnum((unsigned char)q[n]) || q[n] == '-') && n < sizeof name - 3)
            n++;
        if (n >= 2 && islower((unsigned char)q[0]) && q[n - 1] != '-') {
            snprintf(name, sizeof name, "--%.*s", (int)n, q);
            if (!has(s, name) && s->n < OPTS_MAX)
                snprintf(s->names[s->n++], sizeof s->names[0], "%s", name);
        }
        p = q + n;
    }
    free(clean);
}

static void help_of(optset *s, const char *sub)
{
    char *argv[4];
    test_run r;
    int n = 0;
    argv[n++] = getenv("ECOEST_BIN");
    if (sub)
        argv[n++] = (char *)sub;
    argv[n++] = "--help";
    argv[n] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("ecoest %s --help exited %d", sub ? sub : "", r.status);
    collect(s, r.out);
    test_run_free(&r);
}

static char *doc(const char *rel)
{
    char path[4096];
    char *text;
    snprintf(path, sizeof path, "%s/%s", getenv("ECOEST_SOURCE_DIR"), rel);
    text = test_read_file(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    return text;
}

static void test_docs_every_option_is_documented_everywhere(void **state)
{
    static optset help, man, cli;
    char *text;
    size_t i;
    int missing = 0;
    (void)state;
    memset(&help, 0, sizeof help);
    memset(&man, 0, sizeof man);
    memset(&cli, 0, sizeof cli);
    help_of(&help, NULL);
    help_of(&help, "hwdb");
    help_of(&help, "carbon");
    help_of(&help, "where");
    help_of(&help, "when");
    help_of(&help, "jobs");
    help_of(&help, "run");
    text = doc("docs/ecoest.1");
    collect(&man, text);
    free(text);
    text = doc("docs/cli.md");
    collect(&cli, text);
    free(text);
    assert_true(help.n > 20);
    for (i = 0; i < help.n; i++) {
        if (!has(&man, help.names[i])) {
            print_error("%s is in --help but not in docs/ecoest.1\n", help.names[i]);
            missing = 1;
        }
        if (!has(&cli, help.names[i])) {
            print_error("%s is in --help but not in docs/cli.md\n", help.names[i]);
            missing = 1;
        }
    }
    for (i = 0; i < man.n; i++) {
        if (!has(&help, man.names[i])) {
            print_error("%s is in docs/ecoest.1 but in no --help\n", man.names[i]);
            missing = 1;
        }
    }
    assert_false(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_every_option_is_documented_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
