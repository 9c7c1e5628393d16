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

#if defined(__GNUC__) || defined(__clang__)
#define EST__HOT_INLINE __attribute__((always_inline)) inline
#else
#define EST__HOT_INLINE inline
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
#define EST__SWAR_WORDS 1

/* Eight digit values (0..9, the first in the low byte) as one number. */
static EST__HOT_INLINE uint64_t est__swar8(uint64_t dv)
{
    dv = (dv * 10) + (dv >> 8);
    return (((dv & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
            (((dv >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >>
           32;
}

/* The 8 bytes w (read at a number's start): digits [. digits], ended by a
   non-digit within them (the text's end, or the next point). 1 with *val
   the digits' value (the point left out), *nd their count (0..7), *nf those
   after the point and *len the bytes taken; 0 when no end is within the 8
   bytes, with *nd 8 when they are all digits. The digit bytes are found with
   masks and gathered without the point, with no table and no loop: bit
   offsets (8 x a byte's index) all the way. */
static EST__HOT_INLINE int est__swar_word(uint64_t w, uint64_t *val, unsigned *nd, unsigned *nf,
                                          unsigned *len)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
    uint64_t x = w & ~high, nondigit, dv;
    unsigned b, bits;
    /* a digit byte: high bit clear, 0x30 <= x <= 0x39 (no carry leaves a
       byte: x <= 0x7f) */
    nondigit = ~(((x + ones * 0x50) & ~(x + ones * 0x46)) & ~w) & high;
    *nd = 8;
    if (nondigit == 0)
        return 0;
    b = (unsigned)__builtin_ctzll(nondigit) - 7; /* the first non-digit's bit offset */
    dv = w & (ones * 0x0F);
    if ((unsigned char)(w >> b) == '.') {
        uint64_t rest = nondigit & (nondigit - 1), keep = (UINT64_C(1) << b) - 1;
        unsigned e;
        *nd = 0;
        if (rest == 0)
            return 0;
        e = (unsigned)__builtin_ctzll(rest) - 7; /* the end's bit offset */
        /* the fraction's bytes moved down over the point */
        dv = (dv & keep) | ((dv >> 8) & ~keep);
        bits = e - 8;
        *nf = (bits - b) >> 3;
        *len = e >> 3;
    } else {
        bits = b;
        *nf = 0;
        *len = b >> 3;
    }
    *nd = bits >> 3;
    /* the digits at the top (none: 0), leading zero digits below them */
    *val = est__swar8((dv << (63 - bits)) << 1);
    return 1;
}
#endif

/*
 * est__decimal_fast when at least 8 bytes from *pp may be read (up to lim,
 * lim >= end; the bytes between end and lim are never part of the number:
 * the caller knows a non-digit ends it before lim). A number of at most 7
 * digits and a point within those 8 bytes is read without a loop; so is
 * one of 8 digits followed by at most 7 more with a point within the next
 * 8 bytes (a Unix time with a fraction: 1700000000.5): the digit bytes
 * are found with masks, gathered without the point, and combined eight at
 * a time into the same integer and count of fraction digits. Same grammar,
 * same result, as est__decimal_fast, which it calls for anything longer.
 * (Inlined into each caller: the row loops' hottest code.)
 */
static EST__HOT_INLINE int est__decimal_fast_lim(const char **pp, const char *end,
                                                 const char *lim, double *out)
{
#ifdef EST__SWAR_WORDS
    const char *p = *pp;
    if (lim - p >= 8) {
        uint64_t w, val, val2;
        unsigned nd, nf, len, nd2, nf2, len2;
        memcpy(&w, p, 8);
        if (est__swar_word(w, &val, &nd, &nf, &len)) {
            if (nd == 0)
                return 0;
            *out = (double)val / est__pow10[nf];
            *pp = p + len;
            return 1;
        }
        if (nd == 8 && lim - p >= 16) {
            /* eight digits, then the rest within the next eight bytes */
            uint64_t w2;
            static const uint32_t p10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000,
                                            10000000};
            memcpy(&w2, p + 8, 8);
            if (est__swar_word(w2, &val2, &nd2, &nf2, &len2)) {
                val = est__swar8(w & UINT64_C(0x0F0F0F0F0F0F0F0F)) * p10[nd2] + val2;
                *out = (double)val / est__pow10[nf2];
                *pp = p + 8 + len2;
                return 1;
            }
        }
    }
#endif
    (void)lim;
    return est__decimal_fast(pp, end, out);
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
    /* the scales 0.1, 0.1 / 10, 0.1 / 10 / 10 ... as the loop divides them
       (each division correctly rounded, folded by the compiler to the same
       doubles): the first nine from here, no division on the way */
    static const double sc[9] = {0.1,
                                 0.1 / 10.0,
                                 0.1 / 10.0 / 10.0,
                                 0.1 / 10.0 / 10.0 / 10.0,
                                 0.1 / 10.0 / 10.0 / 10.0 / 10.0,
                                 0.1 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0,
                                 0.1 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0,
                                 0.1 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0,
                                 0.1 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0 / 10.0};
    const char *p = *pp;
    double f = 0.0, scale = 0.1;
    int n = 0;
    for (; n < 9 && p < end && *p >= '0' && *p <= '9'; p++, n++)
        f += (*p - '0') * sc[n];
    if (n == 9)
        scale = sc[8] / 10.0;
    for (; p < end && *p >= '0' && *p <= '9'; p++, n++) {
        f += (*p - '0') * scale;
        scale /= 10.0;
    }
    *frac = f;
    *pp = p;
    return n;
}

#endif
