/* Power figures from data: the CPU power curves and the named memory
   power figures (ecoest/power.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/model.h"
#include "ecoest/power.h"
#include "csv.h"
#include "internal.h"
#include "text.h"

/* ---- the CPU power curves ---- */

struct est_power_curves {
    est_power_curve *rows;
    size_t n, cap;
    size_t default_row; /* index of the "*" row; n when none yet */
    const char *base;   /* the file's name without its folder */
};

static const char *const curve_cols[6] = {"family", "match",    "idle_frac",
                                          "max_frac", "exponent", "source"};
enum { C_FAMILY = 1, C_MATCH, C_IDLE, C_MAX, C_EXP, C_SOURCE };

static int curve_fail(est_error *err, const char *path, const est__csv_record *rec,
                      unsigned col, const char *what)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, rec->field[col - 1], rec->len[col - 1]);
    return est__fail_at(err, EST_EPARSE, path, rec->line, col, curve_cols[col - 1],
                        "%s, got \"%s\"", what, ex);
}

/* A text field: 1..size-1 bytes of printable UTF-8. */
static int text_ok(const est__csv_record *rec, unsigned col, size_t size)
{
    size_t at;
    size_t len = rec->len[col - 1];
    return len > 0 && len < size && !est__text_problem(rec->field[col - 1], len, &at);
}

static int curve_number(const est__csv_record *rec, unsigned col, double *v)
{
    return est_parse_double(v, rec->field[col - 1], rec->len[col - 1]) == EST_OK;
}

static int curve_row(void *user, const est__csv_record *rec, const char *path, est_error *err)
{
    est_power_curves *c = user;
    est_power_curve *r;
    double idle, max, ex;
    if (!text_ok(rec, C_FAMILY, EST_POWER_FAMILY_MAX))
        return curve_fail(err, path, rec, C_FAMILY, "expected the family's name (printable "
                          "UTF-8, 1 to 63 bytes)");
    if (!text_ok(rec, C_MATCH, EST_POWER_MATCH_MAX))
        return curve_fail(err, path, rec, C_MATCH, "expected \"*\" or '|'-separated name "
                          "patterns (printable UTF-8, 1 to 511 bytes)");
    if (!curve_number(rec, C_MAX, &max) || !(max > 0.0) || max > 10.0)
        return curve_fail(err, path, rec, C_MAX, "expected a number above 0, at most 10");
    if (!curve_number(rec, C_IDLE, &idle) || !(idle >= 0.0) || idle > max)
        return curve_fail(err, path, rec, C_IDLE, "expected a number from 0 to max_frac");
    if (!curve_number(rec, C_EXP, &ex) || !(ex >= 1.0) || ex > 2.0)
        return curve_fail(err, path, rec, C_EXP, "expected a number from 1 to 2");
    if (!text_ok(rec, C_SOURCE, EST_POWER_SOURCE_MAX))
        return curve_fail(err, path, rec, C_SOURCE, "expected the source (printable UTF-8, "
                          "1 to 1023 bytes)");
    if (strcmp(rec->field[C_MATCH - 1], "*") == 0 && c->default_row != (size_t)-1)
        return est__fail_at(err, EST_EPARSE, path, rec->line, C_MATCH, curve_cols[C_MATCH - 1],
                            "expected one default row (match *), got a second (the first is "
                            "on line %lu)", c->rows[c->default_row].line);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        est_power_curve *p = realloc(c->rows, cap * sizeof *p);
        if (!p)
            return est__fail(err, EST_ENOMEM, "out of memory");
        c->rows = p;
        c->cap = cap;
    }
    r = &c->rows[c->n];
    memset(r, 0, sizeof *r);
    memcpy(r->family, rec->field[C_FAMILY - 1], rec->len[C_FAMILY - 1]);
    memcpy(r->match, rec->field[C_MATCH - 1], rec->len[C_MATCH - 1]);
    memcpy(r->source, rec->field[C_SOURCE - 1], rec->len[C_SOURCE - 1]);
    r->is_default = strcmp(r->match, "*") == 0;
    r->idle_frac = idle;
    r->max_frac = max;
    r->exponent = ex;
    r->line = rec->line;
    est__snprintf_c(r->citation, sizeof r->citation, "%s:%lu, %s: %s", c->base, rec->line,
                    r->family, r->source);
    if (r->is_default)
        c->default_row = c->n;
    c->n++;
    return EST_OK;
}

int est_power_curves_open(est_power_curves **out, const char *path, est_error *err)
{
    est_power_curves *c;
    const char *slash;
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_power_curves_open: out is NULL");
    *out = NULL;
    if (!path)
        return est__fail(err, EST_EINVAL, "est_power_curves_open: path is NULL");
    c = calloc(1, sizeof *c);
    if (!c)
        return est__fail(err, EST_ENOMEM, "out of memory");
    c->default_row = (size_t)-1;
    slash = strrchr(path, '/');
    c->base = slash ? slash + 1 : path;
    rc = est__csv_table(path, 1u << 20, curve_cols, 6, curve_row, c, err);
    if (!rc && c->default_row == (size_t)-1)
        rc = est__fail_at(err, EST_EPARSE, path, 0, 0, NULL, "no default row (match *)");
    c->base = NULL; /* borrowed from path: not kept */
    if (rc) {
        est_power_curves_free(c);
        return rc;
    }
    *out = c;
    return EST_OK;
}

int est_power_curves_open_default(est_power_curves **out, const char *data_dir,
                                  est_error *err)
{
    static const char *const sub[2] = {"/libestimate/data/", "/"};
    size_t k, n;
    char *path;
    int rc = EST_ENOENT;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_power_curves_open_default: out is NULL");
    *out = NULL;
    if (!data_dir || !*data_dir)
        return est__fail(err, EST_EINVAL, "est_power_curves_open_default: no data folder");
    n = strlen(data_dir) + strlen(sub[0]) + sizeof EST_POWER_CURVES_FILE;
    path = malloc(n);
    if (!path)
        return est__fail(err, EST_ENOMEM, "out of memory");
    for (k = 0; k < 2 && rc == EST_ENOENT; k++) {
        snprintf(path, n, "%s%s%s", data_dir, sub[k], EST_POWER_CURVES_FILE);
        rc = est_power_curves_open(out, path, err);
    }
    free(path);
    if (rc == EST_ENOENT)
        return est__fail(err, EST_ENOENT, "%s: no %s there (nor in libestimate/data/)",
                         data_dir, EST_POWER_CURVES_FILE);
    return rc;
}

void est_power_curves_free(est_power_curves *c)
{
    if (!c)
        return;
    free(c->rows);
    free(c);
}

/* 1 when one of the '|'-separated patterns is in name (ASCII
   case-insensitive). */
static int curve_matches(const char *patterns, const char *name)
{
    const char *p = patterns;
    size_t name_len = strlen(name);
    while (*p) {
        size_t n = strcspn(p, "|"), i;
        if (n > 0 && n <= name_len)
            for (i = 0; i + n <= name_len; i++)
                if (est__strncasecmp_ascii(name + i, p, n) == 0)
                    return 1;
        p += n;
        if (*p == '|')
            p++;
    }
    return 0;
}

int est_power_curves_find(const est_power_curve **out, const est_power_curves *c,
                          const char *cpu_name)
{
    size_t i;
    if (!out || !c)
        return EST_EINVAL;
    if (cpu_name && cpu_name[0])
        for (i = 0; i < c->n; i++)
            if (!c->rows[i].is_default && curve_matches(c->rows[i].match, cpu_name)) {
                *out = &c->rows[i];
                return EST_OK;
            }
    *out = &c->rows[c->default_row];
    return EST_OK;
}

size_t est_power_curves_count(const est_power_curves *c) { return c ? c->n : 0; }

const est_power_curve *est_power_curves_at(const est_power_curves *c, size_t i)
{
    return c && i < c->n ? &c->rows[i] : NULL;
}

/* ---- the named memory power figures (docs/method.md, "Memory") ---- */

static const est_power_memory_figure memory_figures[] = {
    {EST_POWER_MEMORY_DEFAULT_NAME, EST_DEFAULT_MEMORY_W_PER_GB, "Green Algorithms",
     "Green Algorithms' reference value (referenceValues.csv memoryPower, from Karyakin and "
     "Salem, DaMoN 2017)"},
    {"ccf", 0.392, "Cloud Carbon Footprint",
     "Cloud Carbon Footprint's memory coefficient, 0.000392 kWh per GB-hour (its cloud "
     "constants, MEMORY_COEFFICIENT)"},
    {"energystar-v3-draft2", 0.125, "ENERGY STAR servers v3.0 Draft 2 idle allowance",
     "the ENERGY STAR Computer Servers v3.0 Draft 2 (2017) idle-power allowance for "
     "installed memory, 0.125 W per GB beyond 4 GB, as quoted in NRDC's memo to EPA of 10 "
     "October 2017 (an idle allowance: a lower bound for a busy server's memory)"},
};
#define N_MEMORY_FIGURES (sizeof memory_figures / sizeof memory_figures[0])

size_t est_power_memory_count(void) { return N_MEMORY_FIGURES; }

const est_power_memory_figure *est_power_memory_at(size_t i)
{
    return i < N_MEMORY_FIGURES ? &memory_figures[i] : NULL;
}

int est_power_memory_find(const est_power_memory_figure **out, const char *name,
                          est_error *err)
{
    char list[256], ex[80];
    size_t i, o = 0;
    if (!out || !name)
        return est__fail(err, EST_EINVAL, "est_power_memory_find: NULL argument");
    for (i = 0; i < N_MEMORY_FIGURES; i++)
        if (strcmp(name, memory_figures[i].name) == 0) {
            *out = &memory_figures[i];
            return EST_OK;
        }
    list[0] = '\0';
    for (i = 0; i < N_MEMORY_FIGURES && o < sizeof list; i++)
        o += (size_t)est__snprintf_c(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                     memory_figures[i].name);
    est__excerpt_text(ex, sizeof ex, name, strlen(name));
    est__fail(err, EST_ENOTFOUND, "no memory power figure is called \"%s\" (the names: %s)",
              ex, list);
    if (err)
        est__strlcpy(err->value, name, sizeof err->value);
    return EST_ENOTFOUND;
}
