/* Small helpers of ecoest_carbon: secrets, days, zones. (Errors, excerpts
 * and files use libestimate's internal helpers, internal.h.) */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

/* Replaces s[at, at + k) by "***" (k >= 3) or k stars (shorter). */
static char *mask(char *s, size_t at, size_t k)
{
    char *p = s + at;
    if (k >= 3) {
        memcpy(p, "***", 3);
        memmove(p + 3, p + k, strlen(p + k) + 1);
        return p + 3;
    }
    memset(p, '*', k);
    return p + k;
}

/* The longest prefix of secret (at least min bytes, shorter than the
 * whole) that ends at s + end: a token cut by a truncation. 0 when none. */
static size_t cut_prefix(const char *s, size_t end, const char *secret, size_t n, size_t min)
{
    size_t k = n - 1 < end ? n - 1 : end;
    for (; k >= min && k > 0; k--)
        if (memcmp(s + end - k, secret, k) == 0)
            return k;
    return 0;
}

void ecar_scrub(char *s, size_t size, const char *secret)
{
    size_t n, k;
    char *p;
    if (!s || !secret || !*secret)
        return;
    n = strlen(secret);
    p = s;
    while ((p = strstr(p, secret)) != NULL)
        p = mask(s, (size_t)(p - s), n);
    /* A message or excerpt cut inside the token keeps a prefix of it, just
       before the cut mark "..." or at the very end: hide that too, however
       short (one byte of a token is still a byte of it). At the end of a
       string that was not cut (shorter than its buffer), only 3 bytes or
       more count: a message that merely ends with the token's first
       letter is left alone. */
    p = s;
    while ((p = strstr(p, "...")) != NULL) {
        size_t at = (size_t)(p - s);
        if ((k = cut_prefix(s, at, secret, n, 1)) != 0)
            p = mask(s, at - k, k);
        p += 3;
    }
    k = cut_prefix(s, strlen(s), secret, n, strlen(s) + 1 >= size ? 1 : 3);
    if (k)
        mask(s, strlen(s) - k, k);
}

/* Bytes of the well-formed, printable UTF-8 character at s (n bytes
 * left), or 0: a control character (C0, DEL, C1), a stray or missing
 * continuation byte, an overlong form, a surrogate, above U+10FFFF. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len, i;
    if (c < 0x80)
        return c >= 0x20 && c != 0x7f ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xC2 && s[1] <= 0x9F)
        return 0; /* C1 controls */
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

char *ecar_excerpt(char *buf, size_t size, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i, o = 0, total = 0, max, room;
    if (!size)
        return buf;
    max = size - 1;
    for (i = 0; i < n;) {
        size_t k = utf8_char(u + i, n - i);
        total += k ? k : 1;
        i += k ? k : 1;
    }
    room = total <= max ? max : (max >= 3 ? max - 3 : 0);
    for (i = 0; i < n;) {
        size_t k = utf8_char(u + i, n - i), w = k ? k : 1;
        if (o + w > room)
            break;
        if (k)
            memcpy(buf + o, s + i, k);
        else
            buf[o] = '?';
        o += w;
        i += w;
    }
    if (total > max)
        for (i = 0; i < 3 && o < max; i++)
            buf[o++] = '.';
    buf[o] = '\0';
    return buf;
}

int ecar_zone_code_valid(const char *s, size_t len)
{
    size_t i;
    if (!s || len == 0 || len >= EST_ZONE_CODE_MAX)
        return 0;
    for (i = 0; i < len; i++)
        if (!est__is_alnum_ascii((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return 0;
    return 1;
}

void ecar_day_name(long day, char *buf, size_t size)
{
    int y;
    unsigned m, d;
    est_civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
}

int ecar_points_push(ecar_points *v, double t, double dur, double g)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 128;
        est_intensity_point *np = realloc(v->p, nc * sizeof *np);
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
