/* Writer of ecoest's own sample-log format (docs/samples.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/samples.h"
#include "samples_internal.h"

struct est_samples_writer {
    est_write_fn write;
    void *user;
    size_t n;
    est_sample *cols;
    double *row; /* per column: value, or unset */
    unsigned char *given;
    char *line;
    size_t line_cap;
};

static int valid_column(const est_sample *c)
{
    if ((unsigned)c->kind >= EST_SAMPLE_KINDS)
        return 0;
    if (c->kind == EST_SAMPLE_GPU_POWER_W || c->kind == EST_SAMPLE_GPU_USAGE_FRAC)
        return c->device < EST_SAMPLES_GPUS_MAX;
    return c->device == 0;
}

static void column_name(const est_sample *c, char *buf, size_t size)
{
    if (c->kind == EST_SAMPLE_GPU_POWER_W || c->kind == EST_SAMPLE_GPU_USAGE_FRAC)
        snprintf(buf, size, "gpu%u_%s", c->device, est_sample_kind_name(c->kind));
    else
        snprintf(buf, size, "%s", est_sample_kind_name(c->kind));
}

/* Shortest "%.*g" (15..17 digits) that reads back to v, '.' always. */
static void shortest(char *buf, size_t size, double v)
{
    int prec;
    for (prec = 15; prec <= 17; prec++) {
        double back;
        est__format_double(buf, size, v, prec);
        if (est_parse_double_str(buf, &back) == EST_OK && back == v)
            return;
    }
}

int est_samples_writer_open(est_samples_writer **wp, const est_sample *columns, size_t n,
                            est_write_fn write, void *user, est_error *err)
{
    est_samples_writer *w;
    size_t i, j, len = 0;
    char name[48];
    int rc;
    if (!wp || !columns || !write || n == 0)
        return est__fail(err, EST_EINVAL, "est_samples_writer_open: NULL argument or no column");
    *wp = NULL;
    if (n > EST_SAMPLE_KINDS * EST_SAMPLES_GPUS_MAX)
        return est__fail(err, EST_EINVAL, "est_samples_writer_open: too many columns");
    for (i = 0; i < n; i++) {
        if (!valid_column(&columns[i]))
            return est__fail(err, EST_EINVAL, "writer column %zu: unknown kind or device", i);
        for (j = 0; j < i; j++)
            if (columns[j].kind == columns[i].kind && columns[j].device == columns[i].device)
                return est__fail(err, EST_EINVAL, "writer column %zu: given twice", i);
    }
    w = calloc(1, sizeof *w);
    if (!w)
        return est__fail(err, EST_ENOMEM, "out of memory");
    w->write = write;
    w->user = user;
    w->n = n;
    w->cols = malloc(n * sizeof *w->cols);
    w->row = malloc(n * sizeof *w->row);
    w->given = malloc(n);
    w->line_cap = 32 + n * 40;
    w->line = malloc(w->line_cap);
    if (!w->cols || !w->row || !w->given || !w->line) {
        est_samples_writer_free(w);
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    memcpy(w->cols, columns, n * sizeof *columns);
    len = (size_t)snprintf(w->line, w->line_cap, "time_unix_s");
    for (i = 0; i < n; i++) {
        column_name(&columns[i], name, sizeof name);
        len += (size_t)snprintf(w->line + len, w->line_cap - len, ",%s", name);
    }
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
                             est_sample_kind_name(values[i].kind), values[i].device);
        if (!isnan(values[i].value) && !isfinite(values[i].value))
            return est__fail(err, EST_EINVAL, "est_samples_writer_row: value must be finite");
        w->given[j] = 1;
        w->row[j] = values[i].value;
    }
    shortest(num, sizeof num, t);
    len = (size_t)snprintf(w->line, w->line_cap, "%s", num);
    for (j = 0; j < w->n; j++) {
        if (!w->given[j])
            num[0] = '\0';
        else if (isnan(w->row[j]))
            snprintf(num, sizeof num, "NA");
        else
            shortest(num, sizeof num, w->row[j]);
        len += (size_t)snprintf(w->line + len, w->line_cap - len, ",%s", num);
    }
    w->line[len++] = '\n';
    if (w->write(w->user, w->line, len))
        return est__fail(err, EST_EIO, "cannot write the sample log");
    return EST_OK;
}

void est_samples_writer_free(est_samples_writer *w)
{
    if (!w)
        return;
    free(w->cols);
    free(w->row);
    free(w->given);
    free(w->line);
    free(w);
}
