/* The one strict, locale-independent number parser, and the small parsers
 * built on it (fractions, counts). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/common.h"
#include "internal.h"
#include "num_internal.h"

const double est__pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define SLOW_DIGITS_MAX 780 /* enough significant digits for exact rounding */

/*
 * Grammar: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]
 * Fast path (Clinger 1990): when the significant digits fit in 2^53 and the
 * decimal exponent is within +-22, one IEEE multiplication or division of
 * two exact doubles is correctly rounded. Otherwise the digits are handed to
 * strtod as "DDDDe-NN", which has no decimal point and so no locale
 * dependence, for a correctly rounded result.
 */
int est_parse_double(double *out, const char *s, size_t len)
{
    size_t i = 0, first_digit, nsig = 0;
    int neg = 0, seen_point = 0, any_digit = 0;
    uint64_t mant = 0;
    long exp10 = 0, frac_digits = 0, dropped = 0;
    double v;

    if (!s || !out)
        return EST_EINVAL;
    if (len == 0)
        return EST_EPARSE;

    /* Fastest path, the common shape of logged values: [-+]ddd[.ddd], the
       shared scanner of num_internal.h (the sample reader's too). */
    {
        const char *p = s + (s[0] == '-' || s[0] == '+'), *end = s + len;
        if (est__decimal_fast(&p, end, &v) && p == end) {
            *out = s[0] == '-' ? -v : v;
            return EST_OK;
        }
        /* anything else (exponents, junk, long digits): the general path */
    }
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i = 1;
    }
    first_digit = i;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            any_digit = 1;
            if (nsig == 0 && c == '0') {
                /* leading zero: not significant */
            } else if (nsig < 19) {
                mant = mant * 10u + (uint64_t)(c - '0');
                nsig++;
            } else {
                nsig++;
                dropped++;
            }
            if (seen_point)
                frac_digits++;
        } else if (c == '.' && !seen_point) {
            seen_point = 1;
        } else {
            break;
        }
    }
    if (!any_digit)
        return EST_EPARSE;
    if (i < len) {
        long e = 0;
        int eneg = 0, edigits = 0;
        if (s[i] != 'e' && s[i] != 'E')
            return EST_EPARSE;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        for (; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return EST_EPARSE;
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
            edigits++;
        }
        if (!edigits)
            return EST_EPARSE;
        exp10 = eneg ? -e : e;
    }

    if (mant == 0) {
        *out = neg ? -0.0 : 0.0;
        return EST_OK;
    }
    /* value = mant x 10^(exp10 - frac_digits + dropped) */
    {
        long e = exp10 - frac_digits + dropped;
        if (dropped == 0 && mant <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
            v = (double)mant;
            v = e >= 0 ? v * est__pow10[e] : v / est__pow10[-e];
            *out = neg ? -v : v;
            return EST_OK;
        }
    }

    /* Slow path: significant digits then the exponent, no decimal point. */
    {
        char buf[SLOW_DIGITS_MAX + 32];
        size_t o = 0, k, kept = 0, total = 0;
        long fraction = 0;
        int in_fraction = 0;
        char *end;
        if (neg)
            buf[o++] = '-';
        for (k = first_digit; k < len && s[k] != 'e' && s[k] != 'E'; k++) {
            if (s[k] == '.') {
                in_fraction = 1;
                continue;
            }
            if (in_fraction)
                fraction++;
            if (total == 0 && s[k] == '0')
                continue; /* leading zero */
            total++;
            if (kept < SLOW_DIGITS_MAX) {
                buf[o++] = s[k];
                kept++;
            }
        }
        {
            long e = exp10 - fraction + (long)(total - kept);
            int n = snprintf(buf + o, sizeof buf - o, "e%ld", e);
            if (n < 0 || (size_t)n >= sizeof buf - o)
                return EST_ERANGE;
        }
        errno = 0;
        v = strtod(buf, &end);
        if (*end != '\0')
            return EST_EPARSE;
        if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL))
            return EST_ERANGE;
        *out = v;
        return EST_OK;
    }
}

int est_parse_double_str(double *out, const char *s)
{
    if (!s)
        return EST_EINVAL;
    return est_parse_double(out, s, strlen(s));
}

int est_parse_fraction(double *out_frac, const char *s)
{
    size_t n;
    double v;
    int rc;
    if (!s || !out_frac)
        return EST_EINVAL;
    n = strlen(s);
    if (n > 0 && s[n - 1] == '%') {
        rc = est_parse_double(&v, s, n - 1);
        if (rc)
            return rc;
        if (!(v >= 0.0 && v <= 100.0))
            return EST_ERANGE;
        *out_frac = v / 100.0;
        return EST_OK;
    }
    rc = est_parse_double(&v, s, n);
    if (rc)
        return rc;
    if (!(v >= 0.0 && v <= 1.0))
        return EST_ERANGE;
    *out_frac = v;
    return EST_OK;
}

int est_parse_count(unsigned *out, const char *s)
{
    unsigned long v = 0;
    const char *p = s;
    if (!s || !out)
        return EST_EINVAL;
    if (!*p)
        return EST_EPARSE;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return EST_EPARSE;
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > UINT_MAX)
            return EST_ERANGE;
    }
    if (v == 0)
        return EST_ERANGE;
    *out = (unsigned)v;
    return EST_OK;
}
