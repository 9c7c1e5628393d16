/* Small helpers of ecoest_carbon: secrets, days, zones. (Errors, excerpts
 * and files use libestimate's internal helpers, internal.h.) */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

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
