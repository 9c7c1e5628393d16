#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "cli.h"
#include "ecoest/fs.h"
#include "ecoest/power.h"

void cli_msg(const char *fmt, ...)
{
    va_list ap;
    fputs("ecoest: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("ecoest: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_exit_for(int code)
{
    switch (code) {
    case EST_OK: return CLI_EX_OK;
    case EST_EINVAL: return CLI_EX_USAGE;
    case EST_EPARSE:
    case EST_ENOTFOUND:
    case EST_EAMBIGUOUS:
    case EST_ENODATA:
    case EST_ERANGE: return CLI_EX_DATAERR;
    case EST_ENOENT: return CLI_EX_NOINPUT;
    case EST_EIO: return CLI_EX_IOERR;
    case EST_ENET:
    case EST_EAUTH:
    case EST_EHTTP:
    case EST_EUNSUPPORTED: return CLI_EX_UNAVAILABLE;
    case EST_ETIMEOUT: return CLI_EX_TEMPFAIL;
    default: return CLI_EX_SOFTWARE;
    }
}

int cli_parse_format(const char *s, cli_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = CLI_FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = CLI_FORMAT_JSON;
    else if (strcmp(s, "csv") == 0)
        *out = CLI_FORMAT_CSV;
    else {
        cli_msg("--format: expected text, json or csv, got \"%s\"", s);
        return -1;
    }
    return 0;
}

int cli_parse_format_html(const char *s, cli_format *out)
{
    if (strcmp(s, "html") == 0) {
        *out = CLI_FORMAT_HTML;
        return 0;
    }
    if (strcmp(s, "text") && strcmp(s, "json") && strcmp(s, "csv")) {
        cli_msg("--format: expected text, json, csv or html, got \"%s\"", s);
        return -1;
    }
    return cli_parse_format(s, out);
}

static void buf_reserve(cli_buf *b, size_t extra)
{
    size_t need;
    char *p;
    if (b->failed)
        return;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    if (b->cap == 0)
        b->cap = 1024;
    while (b->cap < need)
        b->cap *= 2;
    p = realloc(b->data, b->cap);
    if (!p) {
        b->failed = 1;
        return;
    }
    b->data = p;
}

void cli_buf_printf(cli_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    buf_reserve(b, (size_t)n);
    if (b->failed)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void cli_buf_puts(cli_buf *b, const char *s)
{
    size_t n = strlen(s);
    buf_reserve(b, n);
    if (b->failed)
        return;
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

void cli_buf_free(cli_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

int cli_buf_write_file(cli_buf *b, const char *path)
{
    est_error e;
    int rc = CLI_EX_OK;
    memset(&e, 0, sizeof e);
    if (b->failed) {
        cli_msg("out of memory");
        rc = CLI_EX_SOFTWARE;
    } else if (est_fs_write_atomic(path, b->data ? b->data : "", b->len, 0, &e) != EST_OK) {
        cli_msg("--output: %s", e.message);
        rc = CLI_EX_IOERR;
    }
    cli_buf_free(b);
    return rc;
}

int cli_buf_flush(cli_buf *b, FILE *f)
{
    int rc = CLI_EX_OK;
    if (b->failed) {
        cli_msg("out of memory while building the output");
        rc = CLI_EX_SOFTWARE;
    } else if ((b->len && fwrite(b->data, 1, b->len, f) != b->len) || fflush(f) != 0) {
        cli_msg("cannot write the output: write error");
        rc = CLI_EX_IOERR;
    }
    cli_buf_free(b);
    return rc;
}

void cli_human(char *buf, size_t size, double v, const char *unit)
{
    static const char *const big[] = {"", "k", "M", "G", "T"};
    double a = fabs(v);
    int i = 0;
    if (strcmp(unit, "g") == 0) {
        /* g, kg, t, kt */
        if (a >= 1e9)
            snprintf(buf, size, "%.4g kt", v / 1e9);
        else if (a >= 1e6)
            snprintf(buf, size, "%.4g t", v / 1e6);
        else if (a >= 1e3)
            snprintf(buf, size, "%.4g kg", v / 1e3);
        else if (a >= 1.0 || a == 0.0)
            snprintf(buf, size, "%.4g g", v);
        else
            snprintf(buf, size, "%.4g mg", v * 1e3);
        return;
    }
    if (a > 0.0 && a < 1.0) {
        snprintf(buf, size, "%.4g m%s", v * 1e3, unit);
        return;
    }
    while (a >= 1000.0 && i < 4) {
        a /= 1000.0;
        v /= 1000.0;
        i++;
    }
    snprintf(buf, size, "%.4g %s%s", v, big[i], unit);
}

void cli_buf_csv(cli_buf *b, const char *s, const char *sep)
{
    /* RFC 4180: quote a field holding a separator, a quote or a line end, or
       leading/trailing spaces that a reader might trim */
    if (strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
        cli_buf_puts(b, "\"");
        for (; *s; s++) {
            const char *q = strchr(s, '"');
            size_t n = q ? (size_t)(q - s) : strlen(s);
            cli_buf_printf(b, "%.*s", (int)n, s);
            s += n;
            if (!*s)
                break;
            cli_buf_puts(b, "\"\"");
        }
        cli_buf_puts(b, "\"");
    } else {
        cli_buf_puts(b, s);
    }
    if (sep)
        cli_buf_puts(b, sep);
}

int cli_opt_memory_w(const char *arg, double *w, const char **source, char *buf,
                     size_t size)
{
    const est_power_memory_figure *f;
    est_error e;
    double v;
    if (est_power_memory_find(&f, arg, NULL) == EST_OK) {
        *w = f->w_per_gb;
        snprintf(buf, size, "--memory-w-per-gb %s: %s", f->name, f->source);
        *source = buf;
        return 0;
    }
    if (est_parse_double_str(&v, arg) == EST_EPARSE &&
        est_power_memory_find(&f, arg, &e) != EST_OK) {
        cli_msg("--memory-w-per-gb: expected W per GB or a figure's name: %s", e.message);
        return -1;
    }
    *source = NULL;
    return cli_opt_number("--memory-w-per-gb", arg, w);
}

void cli_suggestions(const char *label, const est_suggestions *s)
{
    size_t i;
    if (!s->n)
        return;
    fprintf(stderr, "ecoest: %s:", label);
    for (i = 0; i < s->n; i++)
        fprintf(stderr, "%s \"%s\"", i ? "," : "", s->names[i]);
    fputc('\n', stderr);
}

void cli_suggest(const char *label, cli_lookup what, const est_error *e, const cli_tables *t)
{
    static const char *const labels[] = {NULL, "closest known CPUs", "closest known GPUs",
                                         "closest known zones", "closest regions"};
    est_suggestions s;
    int rc = EST_EINVAL;
    if (what == CLI_LOOKUP_INPUT)
        what = e->input == EST_INPUT_CPU_MODEL   ? CLI_LOOKUP_CPU
               : e->input == EST_INPUT_GPU_MODEL ? CLI_LOOKUP_GPU
               : e->input == EST_INPUT_ZONE      ? CLI_LOOKUP_ZONE
               : e->input == EST_INPUT_CLOUD     ? CLI_LOOKUP_REGION
                                                 : CLI_LOOKUP_INPUT;
    if (!e->value[0] || !t)
        return;
    switch (what) {
    case CLI_LOOKUP_CPU:
    case CLI_LOOKUP_GPU:
        if (t->hwdb)
            rc = est_hwdb_suggest(&s, t->hwdb,
                                  what == CLI_LOOKUP_CPU ? EST_HWDB_CPU : EST_HWDB_GPU, e->value);
        break;
    case CLI_LOOKUP_ZONE:
        if (t->zones)
            rc = est_zones_suggest(&s, t->zones, e->value);
        break;
    case CLI_LOOKUP_REGION:
        if (t->regions)
            rc = est_regions_suggest(&s, t->regions, e->value);
        break;
    default:
        break;
    }
    if (rc == EST_OK)
        cli_suggestions(label ? label : labels[what], &s);
}

/* Non-negative finite number for option opt. Returns 0, or -1 with a message. */
int cli_opt_number(const char *opt, const char *arg, double *out)
{
    double v;
    int rc = est_parse_double_str(&v, arg);
    if (rc == EST_ERANGE) {
        cli_msg("%s: value out of range: \"%s\"", opt, arg);
        return -1;
    }
    if (rc) {
        cli_msg("%s: expected a number, got \"%s\"", opt, arg);
        return -1;
    }
    if (v < 0.0) {
        cli_msg("%s: must not be negative, got \"%s\"", opt, arg);
        return -1;
    }
    *out = v == 0.0 ? 0.0 : v; /* "-0" is zero, not negative zero */
    return 0;
}

int cli_opt_fraction(const char *opt, const char *arg, double *out)
{
    int rc = est_parse_fraction(out, arg);
    if (rc == EST_OK && *out == 0.0)
        *out = 0.0; /* "-0" is zero, not negative zero */
    if (rc == EST_ERANGE) {
        cli_msg("%s: must be between 0 and 1 (or 0%% and 100%%), got \"%s\"", opt, arg);
        return -1;
    }
    if (rc) {
        cli_msg("%s: expected a fraction like 0.85 or a percentage like 85%%, got \"%s\"",
                opt, arg);
        return -1;
    }
    return 0;
}

int cli_opt_count(const char *opt, const char *arg, unsigned *out)
{
    int rc = est_parse_count(out, arg);
    if (rc) {
        cli_msg("%s: expected a whole number of at least 1, got \"%s\"", opt, arg);
        return -1;
    }
    return 0;
}

int cli_time_arg(const char *opt, const char *arg, const est_samples_read_options *tz,
                 double *out)
{
    double local;
    long zero = 0, off;
    if (est_parse_time(out, arg, NULL) == EST_OK)
        return 0;
    if (est_parse_time(&local, arg, &zero) == EST_OK) {
        if (tz && tz->has_tz) {
            *out = local - (double)tz->tz_offset_s;
            return 0;
        }
        if (tz && tz->tz_fn && tz->tz_fn(tz->tz_user, local, &off) == 0) {
            *out = local - (double)off;
            return 0;
        }
        cli_msg("%s: expected an ISO 8601 time with a zone (2024-01-31T12:00:00+01:00)%s, "
                "got \"%s\", which has none", opt, tz ? " or --tz" : "", arg);
        return -1;
    }
    cli_msg("%s: expected an ISO 8601 time with a zone (2024-01-31T12:00:00Z, "
            "...+01:00) or Unix seconds, got \"%s\"", opt, arg);
    return -1;
}
