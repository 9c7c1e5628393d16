/* Small helpers of ecoest_carbon: errors, excerpts, files, days. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

int ecar_fail(est_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return code;
    est_error_clear(err);
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int ecar_fail_at(est_error *err, int code, const char *file, unsigned long line,
                 unsigned column, const char *colname, const char *fmt, ...)
{
    char place[EST_ERROR_FILE_MAX + 32] = "", col[EST_NAME_MAX + 16] = "",
         what[EST_ERROR_MESSAGE_MAX];
    va_list ap;
    if (!err)
        return code;
    est_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = column;
    if (file) {
        snprintf(err->file, sizeof err->file, "%s", file);
        if (line)
            snprintf(place, sizeof place, "%s:%lu: ", file, line);
        else
            snprintf(place, sizeof place, "%s: ", file);
    }
    if (colname)
        snprintf(col, sizeof col, "column %s: ", colname);
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(err->message, sizeof err->message, "%s%s%s", place, col, what);
    return code;
}

char *ecar_excerpt(char *buf, size_t size, const char *s, size_t n)
{
    size_t i, o = 0;
    if (!size)
        return buf;
    for (i = 0; i < n && o + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 4 >= size && i + 1 < n) {
            while (o > 0 && o + 4 > size)
                o--;
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    buf[o] = '\0';
    return buf;
}

void ecar_scrub(char *s, size_t size, const char *secret)
{
    size_t n;
    char *p;
    if (!s || !secret || !*secret)
        return;
    n = strlen(secret);
    while ((p = strstr(s, secret)) != NULL) {
        size_t tail = strlen(p + n);
        /* "***" is at most as long as any secret of 3+ bytes; shorter
           secrets are blanked in place */
        if (n >= 3) {
            memcpy(p, "***", 3);
            memmove(p + 3, p + n, tail + 1);
        } else {
            memset(p, '*', n);
        }
    }
    (void)size;
}

int ecar_read_file(const char *path, size_t max, char **data, size_t *len, est_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *data = NULL;
    *len = 0;
    if (!f) {
        int e = errno;
        return ecar_fail(err, e == ENOENT ? EST_ENOENT : EST_EIO, "%s: cannot open: %s", path,
                         strerror(e));
    }
    for (;;) {
        size_t k;
        if (cap - n < 4096) {
            char *nb;
            cap = cap ? cap * 2 : 65536;
            if (cap > max + 65536) {
                free(buf);
                fclose(f);
                return ecar_fail(err, EST_EPARSE, "%s: larger than %zu bytes", path, max);
            }
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return ecar_fail(err, EST_ENOMEM, "out of memory");
            }
            buf = nb;
        }
        k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return ecar_fail(err, EST_EIO, "%s: read error", path);
    }
    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return EST_OK;
}

void ecar_day_name(long day, char *buf, size_t size)
{
    int y;
    unsigned m, d;
    est_civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
}

int ecar_valid_zone(const char *zone)
{
    size_t i;
    if (!zone || !*zone || strlen(zone) >= 32)
        return 0;
    for (i = 0; zone[i]; i++)
        if (!isalnum((unsigned char)zone[i]) && zone[i] != '-' && zone[i] != '_')
            return 0;
    return 1;
}

int ecar_points_push(ecar_points *v, double t, double dur, double g)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 128;
        est_ci_point *np = realloc(v->p, nc * sizeof *np);
        if (!np)
            return EST_ENOMEM;
        v->p = np;
        v->cap = nc;
    }
    v->p[v->n].t_unix_s = t;
    v->p[v->n].dur_s = dur;
    v->p[v->n].g_co2e_per_kwh = g;
    v->n++;
    return EST_OK;
}
