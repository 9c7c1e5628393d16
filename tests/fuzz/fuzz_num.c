/* libFuzzer target: the strict parsers of ecoest/common.h. The first byte
 * picks the parser; the rest is the text.
 *   number:   a value est_parse_double takes is the one strtod gives (C
 *             locale) for the same text, which strtod reads whole; and
 *             "%.17g" of it reads back to the same double;
 *   fraction: 0..1; count: >= 1 and "%u" of it reads back; duration: finite
 *             and >= 0;
 *   time:     finite, and when it is within years 0001..9999,
 *             est_format_time of it reads back to its whole second.
 * Errors are negative est codes; nothing else is checked of them. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void number(const char *s, size_t n)
{
    double v, w, r;
    char *end, buf[64];
    int rc = est_parse_double(&v, s, n);
    if (rc > 0)
        abort();
    if (rc != EST_OK)
        return;
    if (!isfinite(v) || memchr(s, '\0', n))
        abort(); /* a NUL inside the n bytes is junk */
    errno = 0;
    w = strtod(s, &end);
    if (end != s + n || w != v)
        abort();
    snprintf(buf, sizeof buf, "%.17g", v);
    if (est_parse_double_str(&r, buf) != EST_OK || r != v)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    double v;
    unsigned u;
    size_t n;
    if (size < 1 || size > 512)
        return 0;
    n = size - 1;
    s = malloc(n + 1);
    if (!s)
        return 0;
    memcpy(s, data + 1, n);
    s[n] = '\0';
    switch (data[0] % 6) {
    case 0:
        number(s, n);
        number(s, strlen(s));
        break;
    case 1:
        if (est_parse_fraction(&v, s) == EST_OK && !(v >= 0.0 && v <= 1.0))
            abort();
        break;
    case 2:
        if (est_parse_count(&u, s) == EST_OK) {
            char buf[32];
            unsigned back;
            if (u == 0)
                abort();
            snprintf(buf, sizeof buf, "%u", u);
            if (est_parse_count(&back, buf) != EST_OK || back != u)
                abort();
        }
        break;
    case 3:
        if (est_parse_duration(&v, s) == EST_OK && !(v >= 0.0 && isfinite(v)))
            abort();
        break;
    default: {
        long off = (long)(data[0] / 6) * 900L - 18L * 3600L; /* -18 h .. +20 h */
        const long *poff = data[0] % 6 == 5 ? &off : NULL;
        char buf[EST_TIME_FORMAT_SIZE];
        double back;
        if (est_parse_time(&v, s, poff) != EST_OK)
            break;
        if (!isfinite(v))
            abort();
        if (v >= EST_TIME_MIN_UNIX_S && v < EST_TIME_MAX_UNIX_S) {
            if (est_format_time(buf, sizeof buf, v) != EST_OK)
                abort();
            if (est_parse_time(&back, buf, NULL) != EST_OK || back != floor(v))
                abort();
        }
        break;
    }
    }
    free(s);
    return 0;
}
