#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ecoest/common.h"
#include "internal.h"

const char *est_version(void) { return EST_VERSION_STRING; }

int est_version_number(void) { return EST_VERSION_NUMBER; }

const char *est_strerror(int code)
{
    switch (code) {
    case EST_OK: return "success";
    case EST_EINVAL: return "invalid argument";
    case EST_ENOMEM: return "out of memory";
    case EST_EPARSE: return "malformed data";
    case EST_ENOTFOUND: return "not found";
    case EST_EAMBIGUOUS: return "ambiguous name";
    case EST_EIO: return "input/output error";
    case EST_ENOENT: return "no such file or directory";
    case EST_ENET: return "network failure";
    case EST_ETIMEOUT: return "timed out";
    case EST_EAUTH: return "credentials rejected";
    case EST_EHTTP: return "unexpected HTTP status";
    case EST_ENODATA: return "no usable data";
    case EST_ERANGE: return "value out of range";
    case EST_EUNSUPPORTED: return "not supported";
    default: return "unknown error";
    }
}

void est_error_clear(est_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void est__strlcpy(char *dst, const char *src, size_t size)
{
    size_t n;
    if (!size)
        return;
    n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void est__fail_value(est_error *err, const char *value)
{
    if (err && value)
        est__strlcpy(err->value, value, sizeof err->value);
}

void est__suggest_add(est_suggestions *s, const char *name, int unique)
{
    size_t i;
    if (!s || s->n >= EST_SUGGESTIONS_MAX)
        return;
    for (i = 0; unique && i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return;
    est__strlcpy(s->names[s->n++], name, sizeof s->names[0]);
}

int est__vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap)
{
    /* glibc hands out its static C locale object here (no allocation);
       freelocale of it is a no-op. */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old;
    int n;
    if (c == (locale_t)0)
        return vsnprintf(buf, size, fmt, ap);
    old = uselocale(c);
    n = vsnprintf(buf, size, fmt, ap);
    uselocale(old);
    freelocale(c);
    return n;
}

int est__snprintf_c(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = est__vsnprintf_c(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

const char *est__strerror_c(int e, char *buf, size_t size)
{
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!size)
        return buf;
    if (c != (locale_t)0) {
        /* strerror_l is thread-safe: the text lives in the locale object
           (for the C locale, static storage); copy it before freeing. */
        est__strlcpy(buf, strerror_l(e, c), size);
        freelocale(c);
    } else {
        snprintf(buf, size, "error %d", e);
    }
    return buf;
}

int est__strncasecmp_ascii(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        int ca = est__to_lower_ascii((unsigned char)a[i]);
        int cb = est__to_lower_ascii((unsigned char)b[i]);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
    return 0;
}

int est__strcasecmp_ascii(const char *a, const char *b)
{
    return est__strncasecmp_ascii(a, b, (size_t)-1);
}

int est__fail(est_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return code;
    est_error_clear(err);
    err->code = code;
    va_start(ap, fmt);
    est__vsnprintf_c(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int est__fail_at(est_error *err, int code, const char *file,
                 unsigned long line, unsigned column, const char *colname,
                 const char *fmt, ...)
{
    char place[EST_ERROR_FILE_MAX + 32], col[EST_NAME_MAX + 16], what[EST_ERROR_MESSAGE_MAX];
    va_list ap;
    if (!err)
        return code;
    est_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = column;
    place[0] = col[0] = '\0';
    if (file)
        est__strlcpy(err->file, file, sizeof err->file);
    if (file && line)
        snprintf(place, sizeof place, "%s:%lu: ", file, line);
    else if (file)
        snprintf(place, sizeof place, "%s: ", file);
    else if (line)
        snprintf(place, sizeof place, "line %lu: ", line);
    if (colname)
        snprintf(col, sizeof col, "column %s: ", colname);
    else if (column)
        snprintf(col, sizeof col, "column %u: ", column);
    va_start(ap, fmt);
    est__vsnprintf_c(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(err->message, sizeof err->message, "%s%s%s", place, col, what);
    return code;
}

char *est__excerpt(char *buf, size_t size, const char *s, size_t n)
{
    size_t i, o = 0, max;
    if (!size)
        return buf;
    max = size - 1;
    for (i = 0; i < n && o < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 4 > max && i + 1 < n) {
            /* no room left for the rest: mark the cut */
            while (o > 0 && o + 3 > max)
                o--;
            buf[o++] = '.';
            buf[o++] = '.';
            buf[o++] = '.';
            break;
        }
        buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    buf[o] = '\0';
    return buf;
}

int est__format_double(char *buf, size_t size, double v, int precision)
{
    return est__snprintf_c(buf, size, "%.*g", precision, v);
}
