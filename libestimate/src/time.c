/* Durations and instants: parsing and formatting, UTC inside. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecoest/common.h"
#include "internal.h"
#include "num_internal.h"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Howard Hinnant's days_from_civil / civil_from_days. Inside the documented
   range every intermediate fits a 32-bit long. */
long est_days_from_civil(int y, unsigned m, unsigned d)
{
    long era, yoe, doy, doe;
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < EST_CIVIL_YEAR_MIN || y > EST_CIVIL_YEAR_MAX)
        return EST_DAYS_INVALID;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (long)y - era * 400;
    doy = (153 * (long)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (long)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int est_days_from_civil_checked(long *out_days, int year, unsigned month, unsigned day)
{
    if (!out_days || month < 1 || month > 12)
        return EST_EINVAL;
    if (year < EST_CIVIL_YEAR_MIN || year > EST_CIVIL_YEAR_MAX)
        return EST_ERANGE;
    if (day < 1 || day > days_in_month(year, month))
        return EST_EINVAL;
    *out_days = est_days_from_civil(year, month, day);
    return EST_OK;
}

void est_civil_from_days(int *year, unsigned *month, unsigned *day, long z)
{
    long era, doe, yoe, y, doy, mp;
    unsigned d, m;
    if (z < EST_CIVIL_DAYS_MIN)
        z = EST_CIVIL_DAYS_MIN;
    if (z > EST_CIVIL_DAYS_MAX)
        z = EST_CIVIL_DAYS_MAX;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    if (year)
        *year = (int)(y + (m <= 2));
    if (month)
        *month = m;
    if (day)
        *day = d;
}


/* Reads exactly n digits at *p. */
static int digits(const char **p, const char *end, int n, long *out)
{
    long v = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (*p >= end || **p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return 0;
}

static int all_number_chars(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == 'e' || *s == 'E' ||
              *s == '+' || *s == '-'))
            return 0;
    return 1;
}

int est_parse_time(double *out_unix_s, const char *s, const long *assume_utc_offset_s)
{
    const char *p, *end;
    long y, mo, d, h, mi, sec = 0, off = 0;
    double frac = 0.0;
    int have_zone = 0;

    if (!s || !out_unix_s)
        return EST_EINVAL;
    end = s + strlen(s);
    if (end == s)
        return EST_EPARSE;

    /* A bare number: Unix seconds. ISO dates always have a '-' after 4 digits. */
    if (all_number_chars(s) && !(strlen(s) >= 5 && s[4] == '-')) {
        double v;
        int rc = est_parse_double(&v, s, (size_t)(end - s));
        if (rc)
            return EST_EPARSE;
        if (!(v > -62135596800.0 && v < 253402300800.0))
            return EST_ERANGE;
        *out_unix_s = v;
        return EST_OK;
    }

    p = s;
    if (digits(&p, end, 4, &y) || p >= end || *p++ != '-' ||
        digits(&p, end, 2, &mo) || p >= end || *p++ != '-' ||
        digits(&p, end, 2, &d))
        return EST_EPARSE;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 ||
        d > (long)days_in_month((int)y, (unsigned)mo))
        return EST_EPARSE;
    if (p >= end || (*p != 'T' && *p != 't' && *p != ' '))
        return EST_EPARSE;
    p++;
    if (digits(&p, end, 2, &h) || p >= end || *p++ != ':' ||
        digits(&p, end, 2, &mi))
        return EST_EPARSE;
    if (p < end && *p == ':') {
        p++;
        if (digits(&p, end, 2, &sec))
            return EST_EPARSE;
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            if (est__time_fraction(&p, end, &frac) == 0)
                return EST_EPARSE;
        }
    }
    if (h > 23 || mi > 59 || sec > 59) {
        /* 24:00:00 is the end of the day in ISO 8601 */
        if (!(h == 24 && mi == 0 && sec == 0 && frac == 0.0))
            return EST_EPARSE;
    }
    if (p < end) {
        if (*p == 'Z' || *p == 'z') {
            p++;
            have_zone = 1;
        } else if (*p == '+' || *p == '-') {
            long oh, om = 0;
            int neg = *p == '-';
            p++;
            if (digits(&p, end, 2, &oh))
                return EST_EPARSE;
            if (p < end && *p == ':')
                p++;
            if (p < end && digits(&p, end, 2, &om))
                return EST_EPARSE;
            if (oh > 23 || om > 59)
                return EST_EPARSE;
            off = (oh * 3600 + om * 60) * (neg ? -1 : 1);
            have_zone = 1;
        }
    }
    if (p != end)
        return EST_EPARSE;
    if (!have_zone) {
        if (!assume_utc_offset_s)
            return EST_EPARSE;
        if (*assume_utc_offset_s < -EST_UTC_OFFSET_MAX_S ||
            *assume_utc_offset_s > EST_UTC_OFFSET_MAX_S)
            return EST_EINVAL;
        off = *assume_utc_offset_s;
    }
    *out_unix_s = (double)est_days_from_civil((int)y, (unsigned)mo, (unsigned)d) * 86400.0 +
                  (double)(h * 3600 + mi * 60 + sec - off) + frac;
    return EST_OK;
}

int est_format_time(char *buf, size_t size, double t)
{
    double fl;
    long days, rem;
    int y;
    unsigned mo, d;
    if (!buf || !isfinite(t))
        return EST_EINVAL;
    if (size < EST_TIME_FORMAT_SIZE || t < EST_TIME_MIN_UNIX_S || t >= EST_TIME_MAX_UNIX_S)
        return EST_ERANGE;
    fl = floor(t);
    days = (long)floor(fl / 86400.0);
    rem = (long)(fl - (double)days * 86400.0);
    est_civil_from_days(&y, &mo, &d, days);
    snprintf(buf, size, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", y, mo, d,
             rem / 3600, (rem / 60) % 60, rem % 60);
    return EST_OK;
}

/* hh:mm:ss, mm:ss or d-hh:mm:ss (Slurm). */
static int parse_clock(const char *s, double *out_s)
{
    long parts[3] = {0, 0, 0}, days = 0;
    int n = 0;
    const char *p = s, *dash = strchr(s, '-');
    if (dash) {
        long v = 0;
        if (dash == s)
            return EST_EPARSE;
        for (; p < dash; p++) {
            if (*p < '0' || *p > '9' || v > 100000)
                return EST_EPARSE;
            v = v * 10 + (*p - '0');
        }
        days = v;
        p = dash + 1;
    }
    for (;;) {
        long v = 0;
        int nd = 0;
        while (*p >= '0' && *p <= '9') {
            if (v > 1000000)
                return EST_EPARSE;
            v = v * 10 + (*p - '0');
            p++;
            nd++;
        }
        if (!nd || n == 3)
            return EST_EPARSE;
        parts[n++] = v;
        if (*p == ':') {
            p++;
            continue;
        }
        if (*p)
            return EST_EPARSE;
        break;
    }
    if (n == 1)
        return EST_EPARSE;
    if (n == 2) { /* mm:ss, or hh:mm after a Slurm day */
        if (dash) {
            if (parts[1] > 59)
                return EST_EPARSE;
            *out_s = (double)(days * 86400 + parts[0] * 3600 + parts[1] * 60);
        } else {
            if (parts[1] > 59)
                return EST_EPARSE;
            *out_s = (double)(parts[0] * 60 + parts[1]);
        }
        return EST_OK;
    }
    if (parts[1] > 59 || parts[2] > 59)
        return EST_EPARSE;
    *out_s = (double)(days * 86400 + parts[0] * 3600 + parts[1] * 60 + parts[2]);
    return EST_OK;
}

int est_runtime_s_from_hm(double *out_s, double hours, double minutes)
{
    double s;
    if (!out_s || !isfinite(hours) || !isfinite(minutes) || hours < 0.0 || minutes < 0.0)
        return EST_EINVAL;
    s = hours * 3600.0 + minutes * 60.0;
    if (!isfinite(s))
        return EST_ERANGE;
    *out_s = s;
    return EST_OK;
}

int est_parse_duration(double *out_s, const char *s)
{
    static const char units[] = "dhms";
    static const double unit_s[] = {86400.0, 3600.0, 60.0, 1.0};
    const char *p;
    double total = 0.0;
    int next_unit = 0, any = 0;

    if (!s || !out_s)
        return EST_EINVAL;
    if (!*s)
        return EST_EPARSE;
    if (strchr(s, ':'))
        return parse_clock(s, out_s);

    p = s;
    while (*p) {
        const char *q = p;
        double v;
        const char *u;
        while ((*q >= '0' && *q <= '9') || *q == '.')
            q++;
        if (q == p)
            return EST_EPARSE;
        if (est_parse_double(&v, p, (size_t)(q - p)))
            return EST_EPARSE;
        if (!*q) {
            if (any)
                return EST_EPARSE; /* "2h30": a bare number after a unit */
            total = v * 3600.0;    /* bare number: hours */
            any = 1;
            p = q;
            break;
        }
        u = strchr(units, *q);
        if (!u || (int)(u - units) < next_unit)
            return EST_EPARSE;
        total += v * unit_s[u - units];
        next_unit = (int)(u - units) + 1;
        any = 1;
        p = q + 1;
    }
    if (!any || !isfinite(total))
        return EST_EPARSE;
    *out_s = total;
    return EST_OK;
}
