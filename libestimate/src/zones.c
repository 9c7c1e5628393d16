/* The zone table: shipped zones.csv plus overlays, looked up by code. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/model.h"
#include "ecoest/zones.h"
#include "csv.h"
#include "internal.h"
#include "text.h"

typedef struct zrow {
    est_zone z;     /* first: a zrow * is an est_zone * */
    size_t file_no; /* which file the row was read from (0: shipped) */
    unsigned long line; /* its line there */
} zrow;

struct est_zones {
    zrow *rows; /* sorted by code, case-insensitive, once opened */
    size_t n, cap;
    size_t n_files;
    est_zone_alias *aliases; /* sorted by alias, case-insensitive */
    size_t n_aliases;
};

#define ZONES_FILE_MAX (16u * 1024u * 1024u)
#define ZONES_NCOLS 8 /* the last, water_source, may be left out */

static const char *const zone_cols[ZONES_NCOLS] = {
    "zone", "name", "ci_g_co2e_per_kwh", "year", "scope", "water_l_per_kwh", "source",
    "water_source"};


/* ---- loading ---- */


static int code_cmp(const void *a, const void *b)
{
    return est__strcasecmp_ascii(((const zrow *)a)->z.code, ((const zrow *)b)->z.code);
}

/* The row of code among rows [0, n) (sorted), or NULL. */
static zrow *find_row(const est_zones *z, size_t n, const char *code)
{
    zrow key;
    if (!n)
        return NULL;
    est__strlcpy(key.z.code, code, sizeof key.z.code);
    return bsearch(&key, z->rows, n, sizeof *z->rows, code_cmp);
}

/* Rows [0, sorted_n) are sorted (earlier files); a row of the file being
   read replaces one of them or is appended. */
/* Room for at least want rows in all (one allocation per file: a row is
   about 1 KiB, and doubling would touch twice the memory). */
static int reserve(est_zones *z, size_t want)
{
    zrow *nr;
    if (want <= z->cap)
        return EST_OK;
    nr = realloc(z->rows, want * sizeof *nr);
    if (!nr)
        return EST_ENOMEM;
    z->rows = nr;
    z->cap = want;
    return EST_OK;
}

static int add_row(est_zones *z, const est_zone *row, size_t sorted_n, unsigned long line)
{
    zrow *old = find_row(z, sorted_n, row->code);
    if (old) {
        old->z = *row;
        old->file_no = z->n_files;
        old->line = line;
        return EST_OK;
    }
    if (z->n == z->cap && reserve(z, z->cap ? z->cap * 2 : 16))
        return EST_ENOMEM;
    z->rows[z->n].z = *row;
    z->rows[z->n].file_no = z->n_files;
    z->rows[z->n].line = line;
    z->n++;
    return EST_OK;
}

/* Orders rows by code, then by line: a zone's first definition first. */
static int code_line_cmp(const void *a, const void *b)
{
    const zrow *x = a, *y = b;
    int c = est__strcasecmp_ascii(x->z.code, y->z.code);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

static int field_fail(est_error *err, const char *file, unsigned long line, unsigned col,
                      const char *what, const est__csv_record *rec)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, rec->field[col - 1], rec->len[col - 1]);
    return est__fail_at(err, EST_EPARSE, file, line, col, zone_cols[col - 1],
                        "%s, got \"%s\"", what, ex);
}

/* A zone code: 1..EST_ZONE_CODE_MAX-1 ASCII letters, digits, '-' and '_'
   (the rule the carbon providers and the cache use too). */
int est__zone_code_valid(const char *s, size_t len)
{
    size_t i;
    if (!s || len == 0 || len >= EST_ZONE_CODE_MAX)
        return 0;
    for (i = 0; i < len; i++)
        if (!est__is_alnum_ascii((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return 0;
    return 1;
}

/* A text field: printable UTF-8, shorter than size. */
static int text_field(const est__csv_record *rec, const char *file, unsigned long line,
                      unsigned col, const char *colname, size_t size, est_error *err)
{
    const char *f = rec->field[col - 1];
    size_t n = rec->len[col - 1], at = 0;
    const char *bad = est__text_problem(f, n, &at);
    char ex[80];
    if (bad)
        return est__fail_at(err, EST_EPARSE, file, line, col, colname,
                            "%s (byte 0x%02x at byte %zu) in \"%s\"", bad,
                            (unsigned)(unsigned char)f[at], at + 1,
                            est__excerpt_text(ex, sizeof ex, f, n));
    if (n >= size)
        return est__fail_at(err, EST_EPARSE, file, line, col, colname,
                            "too long: %zu bytes, at most %zu (\"%s\")", n, size - 1,
                            est__excerpt_text(ex, sizeof ex, f, n));
    return EST_OK;
}

static int parse_row(const est__csv_record *rec, const char *file, unsigned long line,
                     est_zone *z, est_error *err)
{
    const char *const *f = (const char *const *)rec->field;
    const size_t *n = rec->len;
    double v;
    memset(z, 0, sizeof *z);
    if (!est__zone_code_valid(f[0], n[0]))
        return field_fail(err, file, line, 1,
                          "expected a zone code of letters, digits, '-' or '_' "
                          "(at most 31)", rec);
    memcpy(z->code, f[0], n[0]);
    if (n[1] == 0 || n[1] >= sizeof z->name)
        return field_fail(err, file, line, 2, "expected a name of 1 to 127 bytes", rec);
    if (text_field(rec, file, line, 2, zone_cols[1], sizeof z->name, err))
        return EST_EPARSE;
    memcpy(z->name, f[1], n[1]);
    if (est_parse_double(&v, f[2], n[2]) || v < 0.0 || v > EST_CI_MAX_G_CO2E_PER_KWH)
        return field_fail(err, file, line, 3,
                          "expected a number of gCO2e/kWh between 0 and 5000", rec);
    z->ci_g_co2e_per_kwh = v;
    /* the range first: casting a double outside unsigned's range is undefined */
    if (est_parse_double(&v, f[3], n[3]) || !(v >= 1900.0 && v <= 2200.0) ||
        v != (double)(unsigned)v)
        return field_fail(err, file, line, 4, "expected a year between 1900 and 2200", rec);
    z->year = (unsigned)v;
    if (!((n[4] == 6 && memcmp(f[4], "direct", 6) == 0) ||
          (n[4] == 9 && memcmp(f[4], "lifecycle", 9) == 0)))
        return field_fail(err, file, line, 5, "expected direct or lifecycle", rec);
    memcpy(z->scope, f[4], n[4]);
    if (n[5] == 0) {
        z->water_l_per_kwh = EST_UNSET;
    } else {
        if (est_parse_double(&v, f[5], n[5]) || v < 0.0)
            return field_fail(err, file, line, 6,
                              "expected an empty field or a number of litres per kWh >= 0",
                              rec);
        z->water_l_per_kwh = v;
    }
    if (n[6] == 0)
        return field_fail(err, file, line, 7, "expected the source of the figure", rec);
    if (text_field(rec, file, line, 7, zone_cols[6], sizeof z->source, err))
        return EST_EPARSE;
    memcpy(z->source, f[6], n[6]);
    if (rec->n == ZONES_NCOLS) {
        if (text_field(rec, file, line, 8, zone_cols[7], sizeof z->water_source, err))
            return EST_EPARSE;
        if (n[7] == 0 && n[5] != 0)
            return field_fail(err, file, line, 8,
                              "expected the source of the water figure", rec);
        memcpy(z->water_source, f[7], n[7]);
    }
    snprintf(z->origin, sizeof z->origin, "%s:%lu", file, line);
    memcpy(z->provider_code, z->code, sizeof z->provider_code);
    return EST_OK;
}

/* Reads one zones.csv into z. missing_ok: a missing file is not an error. */
static int load_file(est_zones *z, const char *path, int missing_ok, est_error *err)
{
    char *data = NULL;
    size_t len = 0, sorted_n = z->n, file_first = z->n, i;
    est__csv csv;
    est__csv_record rec;
    const char *what = NULL;
    unsigned long bad_line = 0;
    size_t ncols;
    int rc, got;

    {
        /* a missing optional file is no failure: err stays untouched */
        est_error rerr;
        rc = est__read_file(path, ZONES_FILE_MAX, &data, &len, &rerr);
        if (rc == EST_ENOENT && missing_ok)
            return EST_OK;
        if (rc) {
            if (err) {
                *err = rerr;
                if (rc == EST_ERANGE)
                    err->code = EST_EPARSE;
            }
            return rc == EST_ERANGE ? EST_EPARSE : rc;
        }
    }
    {
        /* one row per line at most */
        size_t lines = 1;
        const char *q = data;
        while ((q = memchr(q, '\n', len - (size_t)(q - data))) != NULL) {
            lines++;
            q++;
        }
        if (reserve(z, z->n + lines)) {
            free(data);
            z->n_files++;
            return est__fail(err, EST_ENOMEM, "out of memory");
        }
    }
    est__csv_init(&csv, data, len);
    got = est__csv_next(&csv, &rec, &what, &bad_line);
    if (got == 0) {
        rc = est__fail_at(err, EST_EPARSE, path, 1, 0, NULL,
                          "empty file: expected the header zone,name,ci_g_co2e_per_kwh,"
                          "year,scope,water_l_per_kwh,source[,water_source]");
        goto out;
    }
    ncols = got == 1 ? rec.n : 0;
    for (i = 0; got == 1 && i < ZONES_NCOLS && i < rec.n; i++)
        if (strcmp(rec.field[i], zone_cols[i]) != 0)
            break;
    if (got != 1 || (ncols != ZONES_NCOLS && ncols != ZONES_NCOLS - 1) || i != ncols) {
        rc = est__fail_at(err, EST_EPARSE, path, got == 1 ? rec.line : bad_line, 0, NULL,
                          "expected the header zone,name,ci_g_co2e_per_kwh,year,scope,"
                          "water_l_per_kwh,source[,water_source]");
        goto out;
    }
    while ((got = est__csv_next(&csv, &rec, &what, &bad_line)) != 0) {
        est_zone row;
        zrow *dup;
        if (got < 0) {
            rc = est__fail_at(err, EST_EPARSE, path, bad_line, 0, NULL, "%s", what);
            goto out;
        }
        if (rec.n != ncols) {
            rc = est__fail_at(err, EST_EPARSE, path, rec.line, 0, NULL,
                              "expected %zu fields, got %zu", ncols, rec.n);
            goto out;
        }
        rc = parse_row(&rec, path, rec.line, &row, err);
        if (rc)
            goto out;
        /* a zone twice in one file is a mistake: say where the first is
           (rows new to the table are checked below, in one sort) */
        dup = find_row(z, sorted_n, row.code);
        if (dup && dup->file_no == z->n_files) {
            rc = est__fail_at(err, EST_EPARSE, path, rec.line, 1, "zone",
                              "zone \"%s\" already defined in this file at %s", row.code,
                              dup->z.origin);
            goto out;
        }
        if (add_row(z, &row, sorted_n, rec.line)) {
            rc = est__fail(err, EST_ENOMEM, "out of memory");
            goto out;
        }
    }
    qsort(z->rows + file_first, z->n - file_first, sizeof *z->rows, code_line_cmp);
    for (size_t k = file_first + 1; k < z->n; k++) {
        if (est__strcasecmp_ascii(z->rows[k - 1].z.code, z->rows[k].z.code) == 0) {
            rc = est__fail_at(err, EST_EPARSE, path, z->rows[k].line, 1, "zone",
                              "zone \"%s\" already defined in this file at %s",
                              z->rows[k].z.code, z->rows[k - 1].z.origin);
            goto out;
        }
    }
    qsort(z->rows, z->n, sizeof *z->rows, code_cmp);
    rc = EST_OK;
out:
    z->n_files++;
    free(data);
    return rc;
}

/* ---- zone-aliases.csv ---- */

#define ALIAS_NCOLS 4
static const char *const alias_cols[ALIAS_NCOLS] = {"alias", "zone", "kind", "source"};
static const char *const alias_kinds[] = {"iso3166-alpha3", "alias", "electricitymaps",
                                          "refused"};

static int alias_cmp(const void *a, const void *b)
{
    return est__strcasecmp_ascii(((const est_zone_alias *)a)->alias,
                                 ((const est_zone_alias *)b)->alias);
}

static est_zone_alias *find_alias(const est_zones *z, const char *code)
{
    est_zone_alias key;
    if (!z->n_aliases || strlen(code) >= sizeof key.alias)
        return NULL;
    est__strlcpy(key.alias, code, sizeof key.alias);
    return bsearch(&key, z->aliases, z->n_aliases, sizeof *z->aliases, alias_cmp);
}

static int alias_fail(est_error *err, const char *file, unsigned long line, unsigned col,
                      const char *what, const est__csv_record *rec)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, rec->field[col - 1], rec->len[col - 1]);
    return est__fail_at(err, EST_EPARSE, file, line, col, alias_cols[col - 1],
                        "%s, got \"%s\"", what, ex);
}

/* Checks one alias row against the zone table; fills *a. */
static int parse_alias(const est_zones *z, const est__csv_record *rec, const char *file,
                       est_zone_alias *a, est_error *err)
{
    const char *const *f = (const char *const *)rec->field;
    const size_t *n = rec->len;
    unsigned long line = rec->line;
    size_t k, nz = 0;
    char zs[EST_NAME_MAX], *tok, *save = NULL;
    memset(a, 0, sizeof *a);
    if (!est__zone_code_valid(f[0], n[0]))
        return alias_fail(err, file, line, 1,
                          "expected a code of letters, digits, '-' or '_' (at most 31)", rec);
    memcpy(a->alias, f[0], n[0]);
    if (find_row(z, z->n, a->alias))
        return alias_fail(err, file, line, 1, "expected a code that is not a zone's own",
                          rec);
    for (k = 0; k < sizeof alias_kinds / sizeof alias_kinds[0]; k++)
        if (strcmp(f[2], alias_kinds[k]) == 0)
            break;
    if (k == sizeof alias_kinds / sizeof alias_kinds[0])
        return alias_fail(err, file, line, 3,
                          "expected iso3166-alpha3, alias, electricitymaps or refused", rec);
    memcpy(a->kind, f[2], n[2]);
    if (n[1] == 0 || n[1] >= sizeof zs)
        return alias_fail(err, file, line, 2, "expected one zone code, or several for a "
                          "refused alias", rec);
    memcpy(zs, f[1], n[1] + 1);
    for (tok = strtok_r(zs, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (!find_row(z, z->n, tok))
            return alias_fail(err, file, line, 2, "expected zones of zones.csv", rec);
        nz++;
    }
    if (nz == 0 || (nz > 1 && strcmp(a->kind, "refused") != 0))
        return alias_fail(err, file, line, 2, "expected one zone code, or several for a "
                          "refused alias", rec);
    memcpy(a->zone, f[1], n[1]);
    if (n[3] == 0)
        return alias_fail(err, file, line, 4, "expected the source of the alias", rec);
    if (text_field(rec, file, line, 4, alias_cols[3], sizeof a->source, err))
        return EST_EPARSE;
    memcpy(a->source, f[3], n[3]);
    snprintf(a->origin, sizeof a->origin, "%s:%lu", file, line);
    return EST_OK;
}

/* Reads one zone-aliases.csv; a row replaces an earlier file's alias. */
static int load_aliases(est_zones *z, const char *path, int missing_ok, est_error *err)
{
    char *data = NULL;
    size_t len = 0, sorted_n = z->n_aliases, i;
    est__csv csv;
    est__csv_record rec;
    const char *what = NULL;
    unsigned long bad_line = 0;
    int rc, got;
    {
        est_error rerr;
        rc = est__read_file(path, ZONES_FILE_MAX, &data, &len, &rerr);
        if (rc == EST_ENOENT && missing_ok)
            return EST_OK;
        if (rc) {
            if (err) {
                *err = rerr;
                if (rc == EST_ERANGE)
                    err->code = EST_EPARSE;
            }
            return rc == EST_ERANGE ? EST_EPARSE : rc;
        }
    }
    est__csv_init(&csv, data, len);
    got = est__csv_next(&csv, &rec, &what, &bad_line);
    for (i = 0; got == 1 && i < ALIAS_NCOLS && i < rec.n; i++)
        if (strcmp(rec.field[i], alias_cols[i]) != 0)
            break;
    if (got != 1 || rec.n != ALIAS_NCOLS || i != ALIAS_NCOLS) {
        rc = est__fail_at(err, EST_EPARSE, path, got == 1 ? rec.line : (bad_line ? bad_line : 1),
                          0, NULL, "expected the header alias,zone,kind,source");
        goto out;
    }
    while ((got = est__csv_next(&csv, &rec, &what, &bad_line)) != 0) {
        est_zone_alias a, *old, *nr;
        if (got < 0) {
            rc = est__fail_at(err, EST_EPARSE, path, bad_line, 0, NULL, "%s", what);
            goto out;
        }
        if (rec.n != ALIAS_NCOLS) {
            rc = est__fail_at(err, EST_EPARSE, path, rec.line, 0, NULL,
                              "expected %d fields, got %zu", ALIAS_NCOLS, rec.n);
            goto out;
        }
        if ((rc = parse_alias(z, &rec, path, &a, err)) != 0)
            goto out;
        for (i = sorted_n; i < z->n_aliases; i++)
            if (est__strcasecmp_ascii(z->aliases[i].alias, a.alias) == 0) {
                rc = est__fail_at(err, EST_EPARSE, path, rec.line, 1, "alias",
                                  "alias \"%s\" already defined in this file at %s", a.alias,
                                  z->aliases[i].origin);
                goto out;
            }
        old = sorted_n ? bsearch(&a, z->aliases, sorted_n, sizeof a, alias_cmp) : NULL;
        if (old) {
            *old = a;
            continue;
        }
        nr = realloc(z->aliases, (z->n_aliases + 1) * sizeof *nr);
        if (!nr) {
            rc = est__fail(err, EST_ENOMEM, "out of memory");
            goto out;
        }
        z->aliases = nr;
        z->aliases[z->n_aliases++] = a;
    }
    qsort(z->aliases, z->n_aliases, sizeof *z->aliases, alias_cmp);
    rc = EST_OK;
out:
    free(data);
    return rc;
}

/* The aliases file beside the shipped zones.csv, in buf; NULL if none. */
static const char *beside(char *buf, size_t size, const char *shipped_file)
{
    const char *slash = strrchr(shipped_file, '/');
    size_t dir = slash ? (size_t)(slash - shipped_file) + 1 : 0;
    if (dir + sizeof "zone-aliases.csv" > size)
        return NULL;
    memcpy(buf, shipped_file, dir);
    memcpy(buf + dir, "zone-aliases.csv", sizeof "zone-aliases.csv");
    return buf;
}

static void builtin_world(est_zone *w)
{
    memset(w, 0, sizeof *w);
    est__strlcpy(w->code, "WORLD", sizeof w->code);
    est__strlcpy(w->name, "World", sizeof w->name);
    w->ci_g_co2e_per_kwh = EST_DEFAULT_CI_G_CO2E_PER_KWH;
    w->year = 2019;
    est__strlcpy(w->scope, "direct", sizeof w->scope);
    w->water_l_per_kwh = EST_UNSET;
    est__strlcpy(w->source, "IEA, Global Energy & CO2 Status Report 2019", sizeof w->source);
    est__strlcpy(w->origin, "built-in", sizeof w->origin);
    est__strlcpy(w->provider_code, w->code, sizeof w->provider_code);
}

int est_zones_open(est_zones **zones, const est_zones_options *opts, est_error *err)
{
    est_zones *z;
    size_t i;
    int rc;
    if (!zones)
        return est__fail(err, EST_EINVAL, "est_zones_open: zones is NULL");
    *zones = NULL;
    if (opts && (opts->version < 1 || opts->version > EST_ZONES_OPTIONS_VERSION))
        return est__fail(err, EST_EINVAL, "est_zones_open: unknown options version %u",
                         opts->version);
    if (opts && opts->n_overlay_dirs && !opts->overlay_dirs)
        return est__fail(err, EST_EINVAL, "est_zones_open: overlay_dirs is NULL");
    z = calloc(1, sizeof *z);
    if (!z)
        return est__fail(err, EST_ENOMEM, "out of memory");
    if (opts && opts->shipped_file) {
        rc = load_file(z, opts->shipped_file, 0, err);
    } else {
        est_zone w;
        builtin_world(&w);
        rc = add_row(z, &w, 0, 0) ? est__fail(err, EST_ENOMEM, "out of memory") : EST_OK;
        z->n_files = 1;
    }
    for (i = 0; !rc && opts && i < opts->n_overlay_dirs; i++) {
        char path[EST_ERROR_FILE_MAX];
        const char *d = opts->overlay_dirs[i];
        if (!d || !*d)
            continue;
        if (snprintf(path, sizeof path, "%s/zones.csv", d) >= (int)sizeof path) {
            rc = est__fail(err, EST_EINVAL, "overlay folder path too long: %s", d);
            break;
        }
        rc = load_file(z, path, 1, err);
    }
    {
        /* the aliases are checked against the whole table, so they come last */
        const char *af = opts && opts->version >= 2 ? opts->aliases_file : NULL;
        char buf[EST_ERROR_FILE_MAX];
        int missing_ok = 0;
        if (!af && opts && opts->shipped_file) {
            af = beside(buf, sizeof buf, opts->shipped_file);
            missing_ok = 1;
        }
        if (!rc && af && *af)
            rc = load_aliases(z, af, missing_ok, err);
    }
    for (i = 0; !rc && opts && i < opts->n_overlay_dirs; i++) {
        char path[EST_ERROR_FILE_MAX];
        const char *d = opts->overlay_dirs[i];
        if (!d || !*d)
            continue;
        if (snprintf(path, sizeof path, "%s/zone-aliases.csv", d) >= (int)sizeof path) {
            rc = est__fail(err, EST_EINVAL, "overlay folder path too long: %s", d);
            break;
        }
        rc = load_aliases(z, path, 1, err);
    }
    if (rc) {
        est_zones_free(z);
        return rc;
    }
    *zones = z;
    return EST_OK;
}

void est_zones_free(est_zones *zones)
{
    if (!zones)
        return;
    free(zones->rows);
    free(zones->aliases);
    free(zones);
}

size_t est_zones_count(const est_zones *zones) { return zones ? zones->n : 0; }

int est_zones_water(double *l_per_kwh, char *from_code, const est_zones *zones,
                    const est_zone *zone)
{
    const char *dash;
    const zrow *c = NULL;
    if (!zones || !zone || !l_per_kwh)
        return EST_EINVAL;
    *l_per_kwh = EST_UNSET;
    if (from_code)
        from_code[0] = '\0';
    if (zone->water_l_per_kwh >= 0.0) {
        *l_per_kwh = zone->water_l_per_kwh;
        if (from_code)
            est__strlcpy(from_code, zone->code, EST_ZONE_CODE_MAX);
        return EST_OK;
    }
    dash = strchr(zone->code, '-');
    if (dash) {
        char country[EST_ZONE_CODE_MAX];
        size_t k = (size_t)(dash - zone->code);
        memcpy(country, zone->code, k);
        country[k] = '\0';
        c = find_row(zones, zones->n, country);
    }
    if (!c || c->z.water_l_per_kwh < 0.0)
        return EST_ENODATA;
    *l_per_kwh = c->z.water_l_per_kwh;
    if (from_code)
        est__strlcpy(from_code, c->z.code, EST_ZONE_CODE_MAX);
    return EST_OK;
}

const est_zone *est_zones_at(const est_zones *zones, size_t index)
{
    if (!zones || index >= zones->n)
        return NULL;
    return &zones->rows[index].z;
}

/* case-insensitive substring */
static int icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return 1;
    for (; *hay; hay++)
        if (est__strncasecmp_ascii(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* s starts with q, or a part of s after one of seps does (case-insensitive) */
static int part_starts(const char *s, const char *q, int words)
{
    size_t n = strlen(q);
    const char *p;
    for (p = s; *p; p++) {
        int boundary = p == s ||
                       (words ? !est__is_alnum_ascii((unsigned char)p[-1]) &&
                                    (unsigned char)p[-1] < 0x80
                              : p[-1] == '-' || p[-1] == '_');
        if (boundary && est__strncasecmp_ascii(p, q, n) == 0)
            return 1;
    }
    return 0;
}

/* How well a zone matches a query: 1 its code, 2 a code part, 3 a name
   word, -1 no match. */
static int match_rank(const est_zone *zone, const char *query)
{
    if (est__strcasecmp_ascii(zone->code, query) == 0)
        return 1;
    if (part_starts(zone->code, query, 0))
        return 2;
    if (part_starts(zone->name, query, 1))
        return 3;
    return -1;
}

int est_zones_matches(const est_zone *zone, const char *query)
{
    if (!zone)
        return 0;
    if (!query || !*query)
        return 1;
    return match_rank(zone, query) > 0;
}

size_t est_zones_search(size_t *idx, size_t cap, const est_zones *zones, const char *query)
{
    const est_zone_alias *a;
    size_t n = 0, i;
    int rank;
    if (!zones)
        return 0;
    if (!query || !*query) {
        for (i = 0; i < zones->n; i++)
            if (idx && i < cap)
                idx[i] = i;
        return zones->n;
    }
    /* rank 0: the zone an alias names; then the code, code parts, name words */
    a = find_alias(zones, query);
    if (a && strcmp(a->kind, "refused") == 0)
        a = NULL;
    for (rank = 0; rank <= 3; rank++) {
        for (i = 0; i < zones->n; i++) {
            const est_zone *z = &zones->rows[i].z;
            int r = a && est__strcasecmp_ascii(a->zone, z->code) == 0 ? 0 : match_rank(z, query);
            if (r < 0 || r != rank)
                continue;
            if (idx && n < cap)
                idx[n] = i;
            n++;
        }
    }
    return n;
}

/* Levenshtein distance of two short strings, case-insensitive (text.h). */
size_t est__edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t prev[EST_NAME_MAX + 1], cur[EST_NAME_MAX + 1];
    if (la > EST_NAME_MAX)
        la = EST_NAME_MAX;
    if (lb > EST_NAME_MAX)
        lb = EST_NAME_MAX;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cost = est__to_lower_ascii((unsigned char)a[i - 1]) ==
                                  est__to_lower_ascii((unsigned char)b[j - 1])
                              ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* Every '-'/'_'-separated part of q appears in code ("US-CAMX" in
 * "US-EGRID-CAMX"); q has at least two parts. */
static int parts_in(const char *code, const char *q)
{
    char part[EST_ZONE_CODE_MAX];
    size_t n = 0, parts = 0;
    for (;; q++) {
        if (*q == '-' || *q == '_' || *q == '\0') {
            part[n] = '\0';
            if (n && !icontains(code, part))
                return 0;
            parts += n != 0;
            n = 0;
            if (!*q)
                break;
        } else if (n + 1 < sizeof part) {
            part[n++] = *q;
        }
    }
    return parts >= 2;
}

/* Score of a row for an unknown code q (lower is closer): twice the edit
 * distance of the codes, plus one when the first letters differ; a code
 * holding every part of q, or a name holding q, scores as a one-letter
 * typo; an exact name scores 0. */
static size_t candidate_score(const est_zone *row, const char *q, size_t qlen)
{
    size_t s = 2 * est__edit_distance(q, row->code) +
               (est__to_lower_ascii((unsigned char)q[0]) !=
                est__to_lower_ascii((unsigned char)row->code[0]));
    if (qlen >= 3 && est__strcasecmp_ascii(row->name, q) == 0)
        return 0;
    if ((qlen >= 3 && icontains(row->name, q)) || parts_in(row->code, q) ||
        (qlen >= 2 && est__strncasecmp_ascii(row->code, q, qlen) == 0))
        s = s < 2 ? s : 2;
    return s;
}

/* The closest codes to an unknown code q, best first, into sugg. */
static void suggest_codes(const est_zones *z, const char *q, est_suggestions *sugg)
{
    size_t best_i[EST_SUGGESTIONS_MAX], best_s[EST_SUGGESTIONS_MAX], nb = 0, i;
    size_t qlen = strlen(q), limit = qlen <= 3 ? 5 : qlen + 1;
    if (!qlen)
        return;
    for (i = 0; i < z->n; i++) {
        size_t s = candidate_score(&z->rows[i].z, q, qlen), pos;
        if (s > limit)
            continue;
        if (nb == EST_SUGGESTIONS_MAX && best_s[nb - 1] <= s)
            continue;
        /* insert by score; equal scores keep code order */
        pos = nb < EST_SUGGESTIONS_MAX ? nb++ : nb - 1;
        while (pos > 0 && best_s[pos - 1] > s) {
            best_s[pos] = best_s[pos - 1];
            best_i[pos] = best_i[pos - 1];
            pos--;
        }
        best_s[pos] = s;
        best_i[pos] = i;
    }
    for (i = 0; i < nb; i++)
        est__suggest_add(sugg, z->rows[best_i[i]].z.code, 0);
}

/* A refused alias: the message says why, the suggestions are its zones. */
static int refuse_alias(const est_zone_alias *a, est_error *err, est_suggestions *sugg)
{
    char zs[EST_NAME_MAX], *tok, *save = NULL;
    int several = strchr(a->zone, ' ') != NULL;
    est__fail(err, EST_ENOTFOUND,
              "zone \"%s\" (%s) %s; ecoest does not map it (%s)", a->alias,
              strncmp(a->source, "Electricity Maps", 16) == 0 ? "Electricity Maps" : a->kind,
              several ? "spans several ecoest zones" : "has no ecoest zone of its own",
              a->origin);
    if (!sugg)
        return EST_ENOTFOUND;
    est__strlcpy(zs, a->zone, sizeof zs);
    for (tok = strtok_r(zs, " ", &save); tok && sugg->n < EST_SUGGESTIONS_MAX;
         tok = strtok_r(NULL, " ", &save))
        est__suggest_add(sugg, tok, 0);
    return EST_ENOTFOUND;
}

int est_zones_lookup(est_zone *out, const est_zones *zones, const char *code, est_error *err)
{
    return est_zones_resolve(out, NULL, zones, code, err);
}

size_t est_zones_alias_count(const est_zones *zones) { return zones ? zones->n_aliases : 0; }

const est_zone_alias *est_zones_alias_at(const est_zones *zones, size_t index)
{
    if (!zones || index >= zones->n_aliases)
        return NULL;
    return &zones->aliases[index];
}

/* The zone row *out reached through alias a: what was given and how it
   mapped. An Electricity Maps zone keeps its own code for the providers
   (they have data there, the table only its surrounding zone's average);
   another alias (FRA, UK) is only another name of the zone. */
static void mapped(est_zone *out, const est_zone_alias *a)
{
    est__strlcpy(out->given, a->alias, sizeof out->given);
    est__strlcpy(out->alias_kind, a->kind, sizeof out->alias_kind);
    est__strlcpy(out->alias_source, a->source, sizeof out->alias_source);
    if (strcmp(a->kind, "electricitymaps") == 0)
        est__strlcpy(out->provider_code, a->alias, sizeof out->provider_code);
}

const char *est_zones_provider_code(const est_zone *zone)
{
    if (!zone)
        return "";
    return zone->provider_code[0] ? zone->provider_code : zone->code;
}

/* est_zones_resolve, and est_zones_suggest: a failure's close codes go into
   sugg when it is not NULL (they are not looked for when it is). */
static int resolve(est_zone *out, est_zone_alias *alias, const est_zones *zones,
                   const char *code, est_error *err, est_suggestions *sugg)
{
    const zrow *row;
    const est_zone_alias *a;
    char ex[64];
    if (!zones || !code || !out)
        return est__fail(err, EST_EINVAL, "est_zones_lookup: NULL argument");
    if (alias)
        memset(alias, 0, sizeof *alias);
    row = strlen(code) < EST_ZONE_CODE_MAX ? find_row(zones, zones->n, code) : NULL;
    if (row) {
        *out = row->z;
        memcpy(out->given, row->z.code, sizeof out->given);
        return EST_OK;
    }
    a = find_alias(zones, code);
    if (a && strcmp(a->kind, "refused") == 0)
        return refuse_alias(a, err, sugg);
    if (a && (row = find_row(zones, zones->n, a->zone)) != NULL) {
        *out = row->z;
        mapped(out, a);
        if (alias)
            *alias = *a;
        return EST_OK;
    }
    est__excerpt_text(ex, sizeof ex, code, strlen(code));
    est__fail(err, EST_ENOTFOUND, "unknown zone \"%s\"", ex);
    if (sugg)
        suggest_codes(zones, code, sugg);
    return EST_ENOTFOUND;
}

int est_zones_resolve(est_zone *out, est_zone_alias *alias, const est_zones *zones,
                      const char *code, est_error *err)
{
    int rc = resolve(out, alias, zones, code, err, NULL);
    if (rc == EST_ENOTFOUND)
        est__fail_value(err, code);
    return rc;
}

int est_zones_suggest(est_suggestions *out, const est_zones *zones, const char *code)
{
    est_zone z;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !zones || !code)
        return EST_EINVAL;
    resolve(&z, NULL, zones, code, NULL, out);
    return EST_OK;
}
