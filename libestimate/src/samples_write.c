/* Writer of ecoest's own sample-log format (docs/samples.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/samples.h"
#include "samples_internal.h"

struct est_samples_writer {
    est_samples_write_fn write;
    void *user;
    size_t n;
    est_sample *cols;
    double *row; /* per column: value, or unset */
    unsigned char *given;
    char *line;
    size_t line_cap;
    /* GPU names and secondary dies, written in the first row */
    size_t n_named;
    unsigned named_dev[EST_SAMPLES_GPUS_MAX];
    char *named[EST_SAMPLES_GPUS_MAX]; /* CSV-quoted as needed */
    unsigned char *secondary; /* per column: "N/A (Secondary die)" first */
    int first_done;
};

static int valid_column(const est_sample *c)
{
    if ((unsigned)c->kind >= EST_SAMPLES_KIND_COUNT)
        return 0;
    if (c->kind == EST_SAMPLES_GPU_POWER_W || c->kind == EST_SAMPLES_GPU_USAGE_FRAC)
        return c->device < EST_SAMPLES_GPUS_MAX;
    return c->device == 0;
}

static void column_name(const est_sample *c, char *buf, size_t size)
{
    if (c->kind == EST_SAMPLES_GPU_POWER_W || c->kind == EST_SAMPLES_GPU_USAGE_FRAC)
        snprintf(buf, size, "gpu%u_%s", c->device, est_samples_kind_name(c->kind));
    else
        snprintf(buf, size, "%s", est_samples_kind_name(c->kind));
}

/* Shortest "%.*g" (15..17 digits) that reads back to v, '.' always. */
static void shortest(char *buf, size_t size, double v)
{
    int prec;
    for (prec = 15; prec <= 17; prec++) {
        double back;
        est__format_double(buf, size, v, prec);
        if (est_parse_double_str(&back, buf) == EST_OK && back == v)
            return;
    }
}

/* A CSV field for s: as is, or in quotes (quotes doubled) when it holds a
   comma, a quote, or spaces at an end. malloc'd; NULL when out of memory. */
static char *csv_field(const char *s)
{
    size_t n = strlen(s), i, o = 0;
    int quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    char *q = malloc(2 * n + 3);
    if (!q)
        return NULL;
    if (quote)
        q[o++] = '"';
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            q[o++] = '"';
        q[o++] = s[i];
    }
    if (quote)
        q[o++] = '"';
    q[o] = '\0';
    return q;
}

#define SECONDARY_TOKEN "N/A (Secondary die)"

int est_samples_writer_open(est_samples_writer **wp, const est_sample *columns, size_t n,
                            est_samples_write_fn write, void *user, est_error *err)
{
    return est_samples_writer_open_gpus(wp, columns, n, NULL, 0, write, user, err);
}

int est_samples_writer_open_gpus(est_samples_writer **wp, const est_sample *columns,
                                 size_t n0, const est_samples_writer_gpu *gpus,
                                 size_t n_gpus, est_samples_write_fn write, void *user,
                                 est_error *err)
{
    est_samples_writer *w;
    size_t i, j, len = 0, n = n0, extra = 0, names_len = 0;
    char name[48];
    int rc;
    if (!wp || !columns || !write || n0 == 0 || (n_gpus && !gpus))
        return est__fail(err, EST_EINVAL, "est_samples_writer_open: NULL argument or no column");
    *wp = NULL;
    if (n0 > EST_SAMPLES_KIND_COUNT * EST_SAMPLES_GPUS_MAX || n_gpus > EST_SAMPLES_GPUS_MAX)
        return est__fail(err, EST_EINVAL, "est_samples_writer_open: too many columns");
    for (i = 0; i < n0; i++) {
        if (!valid_column(&columns[i]))
            return est__fail(err, EST_EINVAL, "writer column %zu: unknown kind or device", i);
        for (j = 0; j < i; j++)
            if (columns[j].kind == columns[i].kind && columns[j].device == columns[i].device)
                return est__fail(err, EST_EINVAL, "writer column %zu: given twice", i);
    }
    for (i = 0; i < n_gpus; i++) {
        if (gpus[i].device >= EST_SAMPLES_GPUS_MAX)
            return est__fail(err, EST_EINVAL, "writer GPU %zu: device out of range", i);
        for (j = 0; j < i; j++)
            if (gpus[j].device == gpus[i].device)
                return est__fail(err, EST_EINVAL, "writer GPU %zu: given twice", i);
        if (gpus[i].secondary_die) {
            for (j = 0; j < n0; j++)
                if (columns[j].kind == EST_SAMPLES_GPU_POWER_W &&
                    columns[j].device == gpus[i].device)
                    break;
            if (j == n0)
                extra++; /* a power column to carry the flag */
        }
        if (gpus[i].name && gpus[i].name[0])
            names_len += 2 * strlen(gpus[i].name) + 16;
    }
    n = n0 + extra;
    w = calloc(1, sizeof *w);
    if (!w)
        return est__fail(err, EST_ENOMEM, "out of memory");
    w->write = write;
    w->user = user;
    w->n = n;
    w->cols = malloc(n * sizeof *w->cols);
    w->row = malloc(n * sizeof *w->row);
    w->given = malloc(n);
    w->secondary = calloc(n, 1);
    w->line_cap = 32 + n * 40 + names_len;
    w->line = malloc(w->line_cap);
    if (!w->cols || !w->row || !w->given || !w->secondary || !w->line) {
        est_samples_writer_free(w);
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    memcpy(w->cols, columns, n0 * sizeof *columns);
    for (i = 0, j = n0; i < n_gpus; i++) {
        size_t k;
        if (gpus[i].secondary_die) {
            for (k = 0; k < j; k++)
                if (w->cols[k].kind == EST_SAMPLES_GPU_POWER_W &&
                    w->cols[k].device == gpus[i].device)
                    break;
            if (k == j) {
                w->cols[j].kind = EST_SAMPLES_GPU_POWER_W;
                w->cols[j].device = gpus[i].device;
                w->cols[j++].value = 0.0;
            }
            w->secondary[k] = 1;
        }
        if (gpus[i].name && gpus[i].name[0]) {
            w->named_dev[w->n_named] = gpus[i].device;
            w->named[w->n_named] = csv_field(gpus[i].name);
            if (!w->named[w->n_named]) {
                est_samples_writer_free(w);
                return est__fail(err, EST_ENOMEM, "out of memory");
            }
            w->n_named++;
        }
    }
    len = (size_t)snprintf(w->line, w->line_cap, "time_unix_s");
    for (i = 0; i < n; i++) {
        column_name(&w->cols[i], name, sizeof name);
        len += (size_t)snprintf(w->line + len, w->line_cap - len, ",%s", name);
    }
    for (i = 0; i < w->n_named; i++)
        len += (size_t)snprintf(w->line + len, w->line_cap - len, ",gpu%u_name",
                                w->named_dev[i]);
    w->line[len++] = '\n';
    rc = write(user, w->line, len);
    if (rc) {
        est_samples_writer_free(w);
        return est__fail(err, EST_EIO, "cannot write the sample log");
    }
    *wp = w;
    return EST_OK;
}

int est_samples_writer_row(est_samples_writer *w, double t, const est_sample *values,
                           size_t n, est_error *err)
{
    size_t i, j, len;
    char num[40];
    if (!w || (n && !values))
        return est__fail(err, EST_EINVAL, "est_samples_writer_row: NULL argument");
    if (!isfinite(t))
        return est__fail(err, EST_EINVAL, "est_samples_writer_row: time must be finite");
    memset(w->given, 0, w->n);
    for (i = 0; i < n; i++) {
        for (j = 0; j < w->n; j++)
            if (w->cols[j].kind == values[i].kind && w->cols[j].device == values[i].device)
                break;
        if (j == w->n)
            return est__fail(err, EST_EINVAL, "est_samples_writer_row: %s of device %u is "
                             "not a column of this writer",
                             est_samples_kind_name(values[i].kind), values[i].device);
        if (!isnan(values[i].value) && !isfinite(values[i].value))
            return est__fail(err, EST_EINVAL, "est_samples_writer_row: value must be finite");
        w->given[j] = 1;
        w->row[j] = values[i].value;
    }
    shortest(num, sizeof num, t);
    len = (size_t)snprintf(w->line, w->line_cap, "%s", num);
    for (j = 0; j < w->n; j++) {
        if (!w->given[j])
            snprintf(num, sizeof num, "%s",
                     !w->first_done && w->secondary[j] ? SECONDARY_TOKEN : "");
        else if (isnan(w->row[j]))
            snprintf(num, sizeof num, "NA");
        else
            shortest(num, sizeof num, w->row[j]);
        len += (size_t)snprintf(w->line + len, w->line_cap - len, ",%s", num);
    }
    for (j = 0; j < w->n_named; j++)
        len += (size_t)snprintf(w->line + len, w->line_cap - len, ",%s",
                                w->first_done ? "" : w->named[j]);
    w->first_done = 1;
    w->line[len++] = '\n';
    if (w->write(w->user, w->line, len))
        return est__fail(err, EST_EIO, "cannot write the sample log");
    return EST_OK;
}

void est_samples_writer_free(est_samples_writer *w)
{
    size_t i;
    if (!w)
        return;
    for (i = 0; i < w->n_named; i++)
        free(w->named[i]);
    free(w->secondary);
    free(w->cols);
    free(w->row);
    free(w->given);
    free(w->line);
    free(w);
}

/* ---- converting logs (ecoest --write-samples) ---- */

#define CONV_MAX (EST_SAMPLES_KIND_COUNT * EST_SAMPLES_GPUS_MAX)

struct est_samples_converter {
    est_samples_convert_options o;
    double start, end;
    est_sample cols[CONV_MAX], edge_start[CONV_MAX], edge_end[CONV_MAX];
    size_t nc, n_start, n_end, ngi;
    est_samples_writer_gpu gi[EST_SAMPLES_GPUS_MAX];
    char names[EST_SAMPLES_GPUS_MAX][EST_NAME_MAX];
    est_samples_writer *w;
    int failed;
    est_error e;
};

/* Column k of the converter from quantity q (with samples or missing). */
static void conv_add(est_samples_converter *c, est_samples_kind kind, unsigned device,
                     const est_samples_quantity *q)
{
    est_sample col;
    col.kind = kind;
    col.device = device;
    col.value = 0;
    c->cols[c->nc++] = col;
    /* the values interpolated at the window's edges, written as rows there */
    if (c->o.has_start && q->has_start_value) {
        c->edge_start[c->n_start] = col;
        c->edge_start[c->n_start++].value = q->start_value;
    }
    if (c->o.has_end && q->has_end_value) {
        c->edge_end[c->n_end] = col;
        c->edge_end[c->n_end++].value = q->end_value;
    }
}

static int has_values(const est_samples_quantity *q) { return q->samples || q->missing; }

int est_samples_convert_open(est_samples_converter **cvp, const est_samples_result *res,
                             const est_samples_convert_options *opts, est_error *err)
{
    static const est_samples_kind host[] = {EST_SAMPLES_CPU_USAGE_FRAC, EST_SAMPLES_CPU_CORES,
                                           EST_SAMPLES_CPU_BUSY_CORES, EST_SAMPLES_RAM_USED_GB,
                                           EST_SAMPLES_CPU_PACKAGE_POWER_W,
                                           EST_SAMPLES_NODE_POWER_W};
    est_samples_convert_options d = EST_SAMPLES_CONVERT_OPTIONS_INIT;
    est_samples_converter *c;
    size_t i, k;
    if (!cvp || !res)
        return est__fail(err, EST_EINVAL, "est_samples_convert_open: NULL argument");
    *cvp = NULL;
    if (opts && (opts->version < 1 || opts->version > EST_SAMPLES_CONVERT_OPTIONS_VERSION))
        return est__fail(err, EST_EINVAL, "est_samples_convert_options: unknown version %u",
                         opts->version);
    c = calloc(1, sizeof *c);
    if (!c)
        return est__fail(err, EST_ENOMEM, "out of memory");
    c->o = d;
    if (opts) { /* version 1 holds every field */
        c->o.has_start = opts->has_start;
        c->o.has_end = opts->has_end;
    }
    c->start = res->start_unix_s;
    c->end = res->end_unix_s;
    {
        const est_samples_quantity *hq[] = {&res->cpu_usage_frac, &res->cpu_cores,
                                            &res->cpu_busy_cores, &res->ram_used_gb,
                                            &res->cpu_package_power_w, &res->node_power_w};
        for (k = 0; k < sizeof host / sizeof host[0]; k++)
            if (has_values(hq[k]) &&
                !(host[k] == EST_SAMPLES_CPU_BUSY_CORES && res->cpu_busy_cores_derived))
                conv_add(c, host[k], 0, hq[k]);
    }
    for (i = 0; i < res->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(res, i);
        if (!g)
            continue;
        if (has_values(&g->power_w))
            conv_add(c, EST_SAMPLES_GPU_POWER_W, g->index, &g->power_w);
        if (has_values(&g->usage_frac))
            conv_add(c, EST_SAMPLES_GPU_USAGE_FRAC, g->index, &g->usage_frac);
        if ((g->name[0] || g->secondary_die) && c->ngi < EST_SAMPLES_GPUS_MAX) {
            snprintf(c->names[c->ngi], sizeof c->names[c->ngi], "%s", g->name);
            c->gi[c->ngi].device = g->index;
            c->gi[c->ngi].name = c->names[c->ngi];
            c->gi[c->ngi++].secondary_die = g->secondary_die;
        }
    }
    if (c->nc == 0) {
        free(c);
        return est__fail(err, EST_ENODATA, "nothing to write: the logs hold no quantity "
                                           "ecoest reads");
    }
    *cvp = c;
    return EST_OK;
}

int est_samples_convert_begin(est_samples_converter *c, est_samples_write_fn write, void *user,
                              est_error *err)
{
    int rc;
    if (!c || !write || c->w)
        return est__fail(err, EST_EINVAL, "est_samples_convert_begin: %s",
                         c && c->w ? "called twice" : "NULL argument");
    rc = est_samples_writer_open_gpus(&c->w, c->cols, c->nc, c->gi, c->ngi, write, user, err);
    if (rc == EST_OK && c->n_start)
        rc = est_samples_writer_row(c->w, c->start, c->edge_start, c->n_start, err);
    if (rc != EST_OK)
        c->failed = 1; /* nothing more is written */
    return rc;
}

void est_samples_convert_row(void *user, double t, const est_sample *v, size_t n)
{
    est_samples_converter *c = user;
    if (!c || !c->w || c->failed || (c->o.has_start && t < c->start) ||
        (c->o.has_end && t > c->end))
        return;
    if (est_samples_writer_row(c->w, t, v, n, &c->e))
        c->failed = 1;
}

int est_samples_convert_finish(est_samples_converter *c, est_error *err)
{
    if (!c || !c->w)
        return est__fail(err, EST_EINVAL, "est_samples_convert_finish: not begun");
    if (c->failed) {
        if (c->e.code == 0) /* begin failed: its error was returned then */
            return est__fail(err, EST_EIO, "the conversion failed earlier");
        if (err)
            *err = c->e;
        return c->e.code;
    }
    if (c->n_end)
        return est_samples_writer_row(c->w, c->end, c->edge_end, c->n_end, err);
    return EST_OK;
}

void est_samples_convert_free(est_samples_converter *c)
{
    if (!c)
        return;
    est_samples_writer_free(c->w);
    free(c);
}

/* ---- a log cut to some GPUs ---- */

#define KEEP_COLS_MAX (1 + EST_SAMPLES_KIND_COUNT * EST_SAMPLES_GPUS_MAX + EST_SAMPLES_GPUS_MAX)

/* What a header column of ecoest's format is. */
typedef struct keep_col {
    int time, name; /* time_unix_s; gpuN_name */
    est_sample s;   /* a value column: kind and device */
    int kept;
} keep_col;

/* Splits line[0..n) (no newline) at the commas outside quotes, unquoting
   in place. Returns the fields, or (size_t)-1 past max. */
static size_t split_fields(char *line, size_t n, char **f, size_t max)
{
    size_t k = 0, i = 0, o;
    while (1) {
        int q = 0;
        if (k == max)
            return (size_t)-1;
        f[k++] = line + i;
        o = i;
        for (; i < n; i++) {
            if (line[i] == '"') {
                if (q && i + 1 < n && line[i + 1] == '"') {
                    line[o++] = '"';
                    i++;
                } else {
                    q = !q;
                }
            } else if (line[i] == ',' && !q) {
                break;
            } else {
                line[o++] = line[i];
            }
        }
        if (i >= n) {
            line[o] = '\0';
            return k;
        }
        line[o] = '\0';
        i++;
    }
}

static int keep_parse_header(keep_col *cols, char **f, size_t n, const unsigned char *keep,
                             size_t n_keep, est_error *err)
{
    size_t i;
    for (i = 0; i < n; i++) {
        keep_col *c = &cols[i];
        unsigned dev = 0;
        int used = 0, k;
        char tail[64];
        memset(c, 0, sizeof *c);
        if (i == 0) {
            if (strcmp(f[0], "time_unix_s") != 0)
                return est__fail(err, EST_EPARSE, "line 1: expected time_unix_s first, got "
                                 "\"%.40s\"", f[0]);
            c->time = c->kept = 1;
            continue;
        }
        if (sscanf(f[i], "gpu%u_%63s%n", &dev, tail, &used) == 2 && f[i][used] == '\0' &&
            f[i][3] >= '0' && f[i][3] <= '9') {
            if (dev >= EST_SAMPLES_GPUS_MAX)
                return est__fail(err, EST_EPARSE, "line 1: column %s: GPU index too big", f[i]);
            c->kept = dev < n_keep && keep[dev];
            c->s.device = dev;
            if (strcmp(tail, "name") == 0) {
                c->name = 1;
                continue;
            }
        } else {
            snprintf(tail, sizeof tail, "%s", f[i]);
        }
        for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
            if (strcmp(tail, est_samples_kind_name((est_samples_kind)k)) == 0)
                break;
        if (k == EST_SAMPLES_KIND_COUNT || (c->s.device && k != EST_SAMPLES_GPU_POWER_W &&
                                            k != EST_SAMPLES_GPU_USAGE_FRAC))
            return est__fail(err, EST_EPARSE, "line 1: unknown column \"%.60s\"", f[i]);
        c->s.kind = (est_samples_kind)k;
        if (k != EST_SAMPLES_GPU_POWER_W && k != EST_SAMPLES_GPU_USAGE_FRAC)
            c->kept = 1; /* a host column */
    }
    return EST_OK;
}

int est_samples_keep_gpus(const char *data, size_t len, const unsigned char *keep,
                          size_t n_keep, est_samples_write_fn write, void *user, est_error *err)
{
    keep_col *cols = NULL;
    char **f = NULL, *line = NULL;
    est_sample *outc = NULL, *vals = NULL;
    est_samples_writer_gpu gi[EST_SAMPLES_GPUS_MAX];
    est_samples_writer *w = NULL;
    size_t pos = 0, n_cols = 0, n_out = 0, ln = 0, i, line_cap = 4096;
    int rc = EST_OK;
    if (!data || (n_keep && !keep) || !write)
        return est__fail(err, EST_EINVAL, "est_samples_keep_gpus: NULL argument");
    cols = calloc(KEEP_COLS_MAX, sizeof *cols);
    f = calloc(KEEP_COLS_MAX, sizeof *f);
    outc = calloc(KEEP_COLS_MAX, sizeof *outc);
    vals = calloc(KEEP_COLS_MAX, sizeof *vals);
    line = malloc(line_cap); /* grown to the longest line, not the whole log */
    if (!cols || !f || !outc || !vals || !line) {
        rc = est__fail(err, EST_ENOMEM, "out of memory");
        goto done;
    }
    while (pos < len && rc == EST_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos, nf, nv = 0, ngi = 0;
        int any = 0;
        double t;
        if (n + 1 > line_cap) {
            char *nb;
            while (n + 1 > line_cap)
                line_cap *= 2;
            if (!(nb = realloc(line, line_cap))) {
                rc = est__fail(err, EST_ENOMEM, "out of memory");
                break;
            }
            line = nb;
        }
        memcpy(line, data + pos, n);
        pos += n + (nl != NULL);
        ln++;
        if (n && line[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        nf = split_fields(line, n, f, KEEP_COLS_MAX);
        if (nf == (size_t)-1 || (n_cols && nf != n_cols)) {
            rc = est__fail(err, EST_EPARSE, "line %zu: expected %zu fields", ln, n_cols);
            break;
        }
        if (!n_cols) {
            n_cols = nf;
            rc = keep_parse_header(cols, f, nf, keep, n_keep, err);
            for (i = 1; rc == EST_OK && i < nf; i++)
                if (cols[i].kept && !cols[i].name)
                    outc[n_out++] = cols[i].s;
            if (rc == EST_OK && n_out == 0)
                rc = est__fail(err, EST_ENODATA, "no column is left once the GPUs are dropped");
            continue;
        }
        for (i = 1; i < nf && rc == EST_OK; i++) {
            if (!cols[i].kept || f[i][0] == '\0')
                continue;
            any = 1;
            if (cols[i].name) {
                size_t g;
                for (g = 0; g < ngi && gi[g].device != cols[i].s.device; g++)
                    ;
                if (!w && g == ngi && ngi < EST_SAMPLES_GPUS_MAX) {
                    gi[ngi].device = cols[i].s.device;
                    gi[ngi++].secondary_die = 0;
                }
                if (!w && g < EST_SAMPLES_GPUS_MAX)
                    gi[g].name = f[i];
                continue;
            }
            vals[nv] = cols[i].s;
            if (strcmp(f[i], "NA") == 0) {
                vals[nv++].value = EST_SAMPLES_MISSING;
            } else if (strcmp(f[i], SECONDARY_TOKEN) == 0) {
                size_t g;
                for (g = 0; g < ngi && gi[g].device != cols[i].s.device; g++)
                    ;
                if (g == ngi && ngi < EST_SAMPLES_GPUS_MAX) {
                    gi[ngi].device = cols[i].s.device;
                    gi[ngi].name = NULL;
                    gi[ngi++].secondary_die = 0;
                }
                if (g < EST_SAMPLES_GPUS_MAX)
                    gi[g].secondary_die = 1;
            } else if (est_parse_double_str(&vals[nv].value, f[i]) != EST_OK) {
                rc = est__fail(err, EST_EPARSE, "line %zu: expected a number, got \"%.40s\"",
                               ln, f[i]);
            } else {
                nv++;
            }
        }
        if (rc != EST_OK)
            break;
        if (est_parse_double_str(&t, f[0]) != EST_OK) {
            rc = est__fail(err, EST_EPARSE, "line %zu: expected a time, got \"%.40s\"", ln,
                           f[0]);
            break;
        }
        if (!any)
            continue; /* nothing left in this row */
        if (!w)
            rc = est_samples_writer_open_gpus(&w, outc, n_out, gi, ngi, write, user, err);
        if (rc == EST_OK)
            rc = est_samples_writer_row(w, t, vals, nv, err);
    }
    if (rc == EST_OK && !w && n_cols) /* the header alone */
        rc = est_samples_writer_open_gpus(&w, outc, n_out, NULL, 0, write, user, err);
done:
    est_samples_writer_free(w);
    free(cols);
    free(f);
    free(outc);
    free(vals);
    free(line);
    return rc;
}
