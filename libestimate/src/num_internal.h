/* The one decimal scanner of the project, as inline code for the hot loops
 * (the sample reader's rows) and for est_parse_double in num.c, which is
 * the strict parser built on it. Nothing else scans decimals by hand. */
#ifndef ECOEST_NUM_INTERNAL_H
#define ECOEST_NUM_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "internal.h"

/* 10^0 .. 10^22: the powers of ten a double holds exactly. */
EST_INTERNAL extern const double est__pow10[23];

/*
 * The fast path of the decimal grammar, shared by est_parse_double and the
 * sample reader: digits [. digits*] or . digits, no sign, no exponent, at
 * most 19 digits in all whose value is at most 2^53. Such a number is
 * m / 10^f with m and 10^f exact doubles (f <= 19 < 23), so one IEEE
 * division gives the correctly rounded result (Clinger 1990).
 *
 * Scans from *pp (not past end): 1 with *out set and *pp at the first byte
 * after the number, or 0 when the text there does not take the fast path
 * (no digit, too many digits, too large, or an exponent: the caller then
 * takes the general path, from the start). The stop byte is not checked:
 * the caller decides whether it ends a field.
 */
static inline int est__decimal_fast(const char **pp, const char *end, double *out)
{
    const char *p = *pp;
    uint64_t m = 0;
    int nd = 0, nf = 0;
    /* eight digits at a time (SWAR) while they are all digits */
    while (end - p >= 8) {
        uint64_t w, lo, hi;
        memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        lo = w - UINT64_C(0x3030303030303030);
        hi = w + UINT64_C(0x4646464646464646);
        if ((lo | hi) & UINT64_C(0x8080808080808080))
            break;
        /* 8 digits, first in the low byte: combine pairs, quads, halves */
        lo = (lo * 10) + (lo >> 8);
        lo = (((lo & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
              (((lo >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >>
             32;
        if (nd + 8 > 19)
            return 0;
        m = m * 100000000u + lo;
        nd += 8;
        p += 8;
#else
        (void)w;
        (void)lo;
        (void)hi;
        break;
#endif
    }
    while (p < end && (unsigned)(*p - '0') <= 9) {
        m = m * 10u + (uint64_t)(*p - '0');
        p++;
        nd++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && (unsigned)(*p - '0') <= 9) {
            m = m * 10u + (uint64_t)(*p - '0');
            p++;
            nd++;
            nf++;
        }
    }
    if (nd == 0 || nd > 19 || m > (UINT64_C(1) << 53))
        return 0;
    *out = (double)m / est__pow10[nf];
    *pp = p;
    return 1;
}

/*
 * The fraction of a second after a time's decimal point: digits d1 d2 ...
 * summed as d1 x 0.1 + d2 x 0.01 + ... in that order, each scale a tenth
 * of the one before (the rule every time parser of the project has always
 * used, kept for bit-identical times). Scans digits from *pp up to end;
 * returns how many it read.
 */
static inline int est__time_fraction(const char **pp, const char *end, double *frac)
{
    const char *p = *pp;
    double f = 0.0, scale = 0.1;
    int n = 0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, n++) {
        f += (*p - '0') * scale;
        scale /= 10.0;
    }
    *frac = f;
    *pp = p;
    return n;
}

#endif
