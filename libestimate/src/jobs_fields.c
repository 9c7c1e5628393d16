/* Slurm's field formats, as sacct --parsable2 prints them (22.05). Digits are
 * read by hand here because these are fixed-layout Slurm fields, not
 * decimal numbers; the fractional parts go through est_parse_double. */
#include <limits.h>
#include <string.h>

#include "jobs_internal.h"

int est__jobs_uint(const char *s, size_t len, unsigned *out)
{
    unsigned long long v = 0;
    size_t i;
    if (len == 0 || len > 10)
        return -1;
    for (i = 0; i < len; i++) {
        if (!est__is_digit_ascii((unsigned char)s[i]))
            return -1;
        v = v * 10u + (unsigned)(s[i] - '0');
    }
    if (v > UINT_MAX)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* digits at s[*i..]: at least 1, at most 9 */
static int digits(const char *s, size_t len, size_t *i, unsigned long *v)
{
    size_t k = *i;
    unsigned long x = 0;
    while (k < len && est__is_digit_ascii((unsigned char)s[k]) && k - *i < 9)
        x = x * 10u + (unsigned long)(s[k++] - '0');
    if (k == *i || (k < len && est__is_digit_ascii((unsigned char)s[k])))
        return -1;
    *v = x;
    *i = k;
    return 0;
}

int est__jobs_duration(const char *s, size_t len, double *out_s)
{
    size_t i = 0;
    unsigned long g[3], days = 0;
    int n = 0, has_days = 0;
    double frac = 0.0;
    if (digits(s, len, &i, &g[0]))
        return -1;
    if (i < len && s[i] == '-') {
        days = g[0];
        has_days = 1;
        i++;
        if (digits(s, len, &i, &g[0]))
            return -1;
    }
    n = 1;
    while (i < len && s[i] == ':' && n < 3) {
        i++;
        if (digits(s, len, &i, &g[n]))
            return -1;
        n++;
    }
    if (i < len && s[i] == '.') {
        if (est_parse_double(&frac, s + i, len - i) != 0 || frac >= 1.0)
            return -1;
        i = len;
    }
    if (i != len || n < 2 || (has_days && n != 3))
        return -1;
    if (n == 3) {
        if (g[1] > 59 || g[2] > 59)
            return -1;
        *out_s = (double)days * 86400.0 + (double)g[0] * 3600.0 + (double)g[1] * 60.0 +
                 (double)g[2] + frac;
    } else {
        if (g[1] > 59)
            return -1;
        *out_s = (double)g[0] * 60.0 + (double)g[1] + frac;
    }
    return 0;
}

static int two(const char *s, unsigned *v)
{
    if (!est__is_digit_ascii((unsigned char)s[0]) || !est__is_digit_ascii((unsigned char)s[1]))
        return -1;
    *v = (unsigned)(s[0] - '0') * 10u + (unsigned)(s[1] - '0');
    return 0;
}

int est__jobs_time(const char *s, size_t len, long offset_s, double *out)
{
    unsigned yh, yl, mo, d, h, mi, se;
    long days;
    if (len == 0 || (len == 7 && memcmp(s, "Unknown", 7) == 0) ||
        (len == 4 && memcmp(s, "None", 4) == 0))
        return 0;
    if (len != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':') {
        /* a bare Unix time (sacct with SLURM_TIME_FORMAT=%s) */
        double v;
        size_t i;
        for (i = 0; i < len; i++)
            if (!est__is_digit_ascii((unsigned char)s[i]))
                return -1;
        if (est_parse_double(&v, s, len) != 0 || v > EST_TIME_MAX_UNIX_S)
            return -1;
        *out = v;
        return 1;
    }
    if (two(s, &yh) || two(s + 2, &yl) || two(s + 5, &mo) || two(s + 8, &d) ||
        two(s + 11, &h) || two(s + 14, &mi) || two(s + 17, &se) || h > 23 || mi > 59 ||
        se > 59)
        return -1;
    if (est_days_from_civil_checked(&days, (int)(yh * 100u + yl), mo, d) != 0)
        return -1;
    *out = (double)days * 86400.0 + (double)h * 3600.0 + (double)mi * 60.0 + (double)se -
           (double)offset_s;
    return 1;
}

static double unit_factor(char u)
{
    switch (u) {
    case 'K': case 'k': return 1024.0;
    case 'M': case 'm': return 1048576.0;
    case 'G': case 'g': return 1073741824.0;
    case 'T': case 't': return 1099511627776.0;
    case 'P': case 'p': return 1125899906842624.0;
    default: return -1.0;
    }
}

/* number part: digits[.digits] */
static int size_number(const char *s, size_t len, size_t *i, double *v)
{
    size_t k = 0;
    int dot = 0;
    while (k < len && (est__is_digit_ascii((unsigned char)s[k]) || (s[k] == '.' && !dot))) {
        dot |= s[k] == '.';
        k++;
    }
    if (k == 0)
        return -1;
    if (!dot && k <= 15) {
        double x = 0.0;
        for (size_t j = 0; j < k; j++)
            x = x * 10.0 + (double)(s[j] - '0');
        *v = x;
    } else if (est_parse_double(v, s, k) != 0)
        return -1;
    *i = k;
    return 0;
}

int est__jobs_size(const char *s, size_t len, char dflt, double *out_b)
{
    size_t i;
    double v, f;
    if (size_number(s, len, &i, &v))
        return -1;
    if (i == len)
        f = unit_factor(dflt);
    else if (i + 1 == len)
        f = unit_factor(s[i]);
    else
        return -1;
    if (f < 0.0)
        return -1;
    *out_b = v * f;
    return 0;
}

int est__jobs_size_both(const char *s, size_t len, char dflt, double *out_b, double *ga_gb)
{
    size_t i;
    double v, f;
    char u;
    if (size_number(s, len, &i, &v))
        return -1;
    if (i == len)
        u = dflt;
    else if (i + 1 == len)
        u = s[i];
    else
        return -1;
    if ((f = unit_factor(u)) < 0.0)
        return -1;
    *out_b = v * f;
    /* GreenAlgorithms4HPC's: decimal, upper-case K, M, G only */
    *ga_gb = u == 'K' ? v / 1e6 : u == 'M' ? v / 1e3 : u == 'G' ? v : EST_UNSET;
    return 0;
}

int est__jobs_reqmem(const char *s, size_t len, double *out_b, int *per_cpu)
{
    *per_cpu = 0;
    if (len > 1 && (s[len - 1] == 'c' || s[len - 1] == 'n')) {
        *per_cpu = s[len - 1] == 'c';
        len--;
    }
    return est__jobs_size(s, len, 'M', out_b);
}

int est__jobs_tres(const char *s, size_t len, double *mem_b, unsigned *gpus,
                   char *gpu_type, size_t type_size)
{
    size_t i = 0;
    unsigned untyped = 0, typed = 0;
    int have_untyped = 0;
    gpu_type[0] = '\0';
    while (i < len) {
        const char *item = s + i, *eq;
        const char *comma = memchr(item, ',', len - i);
        size_t n = comma ? (size_t)(comma - item) : len - i;
        eq = memchr(item, '=', n);
        if (!eq || eq == item)
            return -1;
        {
            size_t kl = (size_t)(eq - item), vl = n - kl - 1;
            const char *v = eq + 1;
            if (kl == 3 && memcmp(item, "mem", 3) == 0) {
                if (est__jobs_size(v, vl, 'M', mem_b))
                    return -1;
            } else if (kl == 8 && memcmp(item, "gres/gpu", 8) == 0) {
                if (est__jobs_uint(v, vl, &untyped))
                    return -1;
                have_untyped = 1;
            } else if (kl > 9 && memcmp(item, "gres/gpu:", 9) == 0) {
                unsigned k;
                if (est__jobs_uint(v, vl, &k))
                    return -1;
                typed += k;
                if (!gpu_type[0] && kl - 9 < type_size) {
                    memcpy(gpu_type, item + 9, kl - 9);
                    gpu_type[kl - 9] = '\0';
                }
            }
        }
        i += n + 1;
    }
    *gpus = have_untyped ? untyped : typed;
    return 0;
}

/* The value of "key=" in a comma-separated TRES list: 1 with *v and *vn, 0
   when absent. */
static int tres_find(const char *s, size_t len, const char *key, const char **v, size_t *vn)
{
    size_t kl = strlen(key), i = 0;
    while (i + kl <= len) {
        const char *comma = memchr(s + i, ',', len - i);
        size_t n = comma ? (size_t)(comma - (s + i)) : len - i;
        if (n > kl && memcmp(s + i, key, kl) == 0) {
            *v = s + i + kl;
            *vn = n - kl;
            return 1;
        }
        i += n + 1;
    }
    return 0;
}

int est__jobs_gpuutil(const char *s, size_t len, double *pct)
{
    const char *v;
    size_t vn;
    if (!tres_find(s, len, "gres/gpuutil=", &v, &vn))
        return 0;
    return est_parse_double(pct, v, vn) != 0 || *pct < 0.0 ? -1 : 1;
}

/* The "mem=" of a TRES usage string (TRESUsageInTot: the sum over the
   step's tasks of each task's largest RSS), bytes: 1 found, 0 absent, -1
   not a size. A bare number is bytes (sacct --noconvert). */
int est__jobs_usage_mem(const char *s, size_t len, double *out_b)
{
    const char *v;
    size_t vn, k;
    double x;
    if (!tres_find(s, len, "mem=", &v, &vn))
        return 0;
    if (size_number(v, vn, &k, &x))
        return -1;
    if (k == vn) {
        *out_b = x;
        return 1;
    }
    return est__jobs_size(v, vn, 'K', out_b) ? -1 : 1;
}

int est__jobs_energy(const char *s, size_t len, double *out_j)
{
    double v;
    for (size_t i = 0; i < len; i++)
        if (!est__is_digit_ascii((unsigned char)s[i]))
            return -1;
    if (est_parse_double(&v, s, len) != 0)
        return -1;
    if (v <= 0.0 || v >= 9.2e18)
        return 0;
    *out_j = v;
    return 1;
}

/* GreenAlgorithms4HPC's reading of a size: K M G with decimal factors. */
int est__jobs_ga_size(const char *s, size_t len, char dflt, double *out_gb)
{
    size_t i;
    double v;
    char u;
    if (size_number(s, len, &i, &v))
        return -1;
    if (i == len)
        u = dflt;
    else if (i + 1 == len)
        u = s[i];
    else
        return -1;
    if (u == 'K')
        *out_gb = v / 1e6;
    else if (u == 'M')
        *out_gb = v / 1e3;
    else if (u == 'G')
        *out_gb = v;
    else
        return -1;
    return 0;
}
