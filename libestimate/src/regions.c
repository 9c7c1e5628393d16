/* Platforms and the cloud providers' regions (carbon/regions.csv). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/regions.h"
#include "ecoest/water.h"
#include "csv.h"
#include "internal.h"
#include "text.h"

static const char *const platform_names[] = {"laptop", "desktop", "local-server", "cloud"};

const char *est_regions_platform_name(est_regions_platform platform)
{
    unsigned i = (unsigned)platform;
    return i < sizeof platform_names / sizeof platform_names[0] ? platform_names[i] : "?";
}

int est_regions_platform_parse(est_regions_platform *out, const char *s)
{
    unsigned i;
    if (!s || !out)
        return EST_EINVAL;
    for (i = 0; i < sizeof platform_names / sizeof platform_names[0]; i++)
        if (strcmp(s, platform_names[i]) == 0) {
            *out = (est_regions_platform)i;
            return EST_OK;
        }
    return EST_EINVAL;
}

double est_regions_platform_default_pue(est_regions_platform platform)
{
    switch (platform) {
    case EST_REGIONS_PLATFORM_LAPTOP:
    case EST_REGIONS_PLATFORM_DESKTOP: return 1.0;
    case EST_REGIONS_PLATFORM_LOCAL_SERVER:
    case EST_REGIONS_PLATFORM_CLOUD: return EST_PUE_DEFAULT_UPTIME_2024;
    default: return EST_UNSET;
    }
}

/* ---- the table ---- */

#define RG_NCOLS 7
static const char *const rg_cols[RG_NCOLS] = {"provider", "region", "location", "zone",
                                              "pue", "wue_l_per_kwh", "source"};
#define PUE_MAX 3.0

typedef struct provider {
    char name[EST_REGION_PROVIDER_MAX];
    char full[EST_NAME_MAX];
    double pue, wue;
    char source[EST_ZONE_SOURCE_MAX];
} provider;

struct est_regions {
    provider *prov;
    size_t n_prov;
    est_region *reg;
    size_t n_reg;
};

static int rg_fail(est_error *err, const char *file, const est__csv_record *rec, unsigned col,
                   const char *what)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, rec->field[col - 1], rec->len[col - 1]);
    return est__fail_at(err, EST_EPARSE, file, rec->line, col, rg_cols[col - 1],
                        "%s, got \"%s\"", what, ex);
}

/* lower-case letters, digits and '-' */
static int name_ok(const char *s, size_t n, size_t max)
{
    size_t i;
    if (n == 0 || n >= max)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || est__is_digit_ascii((unsigned char)s[i]) ||
              s[i] == '-'))
            return 0;
    return 1;
}

static int text_ok(const est__csv_record *rec, unsigned col, size_t max)
{
    size_t at;
    return rec->len[col - 1] > 0 && rec->len[col - 1] < max &&
           !est__text_problem(rec->field[col - 1], rec->len[col - 1], &at);
}

/* an optional number in [lo, hi]: 1 empty, 0 set, -1 bad */
static int opt_num(const est__csv_record *rec, unsigned col, double lo, double hi, double *v)
{
    if (rec->len[col - 1] == 0)
        return 1;
    if (est_parse_double(v, rec->field[col - 1], rec->len[col - 1]) || !(*v >= lo && *v <= hi))
        return -1;
    return 0;
}

static const provider *find_provider(const est_regions *r, const char *name, size_t n)
{
    size_t i;
    for (i = 0; i < r->n_prov; i++)
        if (strlen(r->prov[i].name) == n && est__strncasecmp_ascii(r->prov[i].name, name, n) == 0)
            return &r->prov[i];
    return NULL;
}

static int add_provider(est_regions *r, const est__csv_record *rec, const char *path,
                        est_error *err)
{
    provider p, *np;
    double v;
    int k;
    memset(&p, 0, sizeof p);
    memcpy(p.name, rec->field[0], rec->len[0]);
    if (find_provider(r, rec->field[0], rec->len[0]))
        return rg_fail(err, path, rec, 1, "expected one \"*\" row per provider");
    if (!text_ok(rec, 3, sizeof p.full))
        return rg_fail(err, path, rec, 3, "expected the provider's name (printable UTF-8)");
    memcpy(p.full, rec->field[2], rec->len[2]);
    if (rec->len[3] != 0)
        return rg_fail(err, path, rec, 4, "expected no zone on a provider row");
    if (opt_num(rec, 5, 1.0, PUE_MAX, &v) != 0)
        return rg_fail(err, path, rec, 5, "expected the provider's PUE, from 1 to 3");
    p.pue = v;
    k = opt_num(rec, 6, 0.0, EST_WUE_MAX_L_PER_KWH, &v);
    if (k < 0)
        return rg_fail(err, path, rec, 6, "expected an empty field or litres per kWh from 0 "
                       "to 100");
    p.wue = k ? EST_UNSET : v;
    if (!text_ok(rec, 7, sizeof p.source))
        return rg_fail(err, path, rec, 7, "expected the source (printable UTF-8, 1 to 1023 "
                       "bytes)");
    memcpy(p.source, rec->field[6], rec->len[6]);
    np = realloc(r->prov, (r->n_prov + 1) * sizeof *np);
    if (!np)
        return est__fail(err, EST_ENOMEM, "out of memory");
    r->prov = np;
    r->prov[r->n_prov++] = p;
    return EST_OK;
}

static int add_region(est_regions *r, const est__csv_record *rec, const char *path,
                      const est_zones *zones, est_error *err)
{
    const provider *p = find_provider(r, rec->field[0], rec->len[0]);
    est_region g, *ng;
    double v;
    size_t i;
    int k;
    if (!p)
        return rg_fail(err, path, rec, 1, "expected a provider whose \"*\" row comes first");
    memset(&g, 0, sizeof g);
    memcpy(g.provider, rec->field[0], rec->len[0]);
    if (!name_ok(rec->field[1], rec->len[1], sizeof g.region))
        return rg_fail(err, path, rec, 2, "expected \"*\" or a region of lower-case letters, "
                       "digits and '-' (at most 47)");
    memcpy(g.region, rec->field[1], rec->len[1]);
    for (i = 0; i < r->n_reg; i++)
        if (strcmp(r->reg[i].provider, g.provider) == 0 && strcmp(r->reg[i].region, g.region) == 0)
            return rg_fail(err, path, rec, 2, "expected each region once");
    if (!text_ok(rec, 3, sizeof g.location))
        return rg_fail(err, path, rec, 3, "expected the location (printable UTF-8)");
    memcpy(g.location, rec->field[2], rec->len[2]);
    if (!est__zone_code_valid(rec->field[3], rec->len[3]))
        return rg_fail(err, path, rec, 4, "expected a zone code");
    if (zones) {
        est_zone z;
        if (est_zones_lookup(&z, zones, rec->field[3], NULL))
            return rg_fail(err, path, rec, 4, "expected a zone of zones.csv");
        est__strlcpy(g.zone, z.code, sizeof g.zone);
    } else {
        memcpy(g.zone, rec->field[3], rec->len[3]);
    }
    k = opt_num(rec, 5, 1.0, PUE_MAX, &v);
    if (k < 0)
        return rg_fail(err, path, rec, 5, "expected an empty field or a PUE from 1 to 3");
    g.pue = k ? p->pue : v;
    g.pue_is_region = !k;
    k = opt_num(rec, 6, 0.0, EST_WUE_MAX_L_PER_KWH, &v);
    if (k < 0)
        return rg_fail(err, path, rec, 6, "expected an empty field or litres per kWh from 0 "
                       "to 100");
    g.wue_l_per_kwh = k ? p->wue : v;
    if (!text_ok(rec, 7, sizeof g.source))
        return rg_fail(err, path, rec, 7, "expected the source (printable UTF-8, 1 to 1023 "
                       "bytes)");
    memcpy(g.source, rec->field[6], rec->len[6]);
    est__strlcpy(g.provider_name, p->full, sizeof g.provider_name);
    est__strlcpy(g.provider_source, p->source, sizeof g.provider_source);
    snprintf(g.origin, sizeof g.origin, "%s:%lu", path, rec->line);
    ng = realloc(r->reg, (r->n_reg + 1) * sizeof *ng);
    if (!ng)
        return est__fail(err, EST_ENOMEM, "out of memory");
    r->reg = ng;
    r->reg[r->n_reg++] = g;
    return EST_OK;
}

typedef struct rg_ctx {
    est_regions *r;
    const est_zones *zones;
} rg_ctx;

static int rg_row(void *user, const est__csv_record *rec, const char *path, est_error *err)
{
    rg_ctx *c = user;
    if (!name_ok(rec->field[0], rec->len[0], EST_REGION_PROVIDER_MAX))
        return rg_fail(err, path, rec, 1, "expected a provider of lower-case letters, digits "
                       "and '-' (at most 15)");
    return strcmp(rec->field[1], "*") == 0 ? add_provider(c->r, rec, path, err)
                                           : add_region(c->r, rec, path, c->zones, err);
}

int est_regions_open(est_regions **regions, const char *path, const est_zones *zones,
                     est_error *err)
{
    rg_ctx c;
    int rc;
    if (!regions || !path)
        return est__fail(err, EST_EINVAL, "est_regions_open: NULL argument");
    *regions = NULL;
    c.zones = zones;
    c.r = calloc(1, sizeof *c.r);
    if (!c.r)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = est__csv_table(path, 4u << 20, rg_cols, RG_NCOLS, rg_row, &c, err);
    if (rc) {
        est_regions_free(c.r);
        return rc;
    }
    *regions = c.r;
    return EST_OK;
}

void est_regions_free(est_regions *regions)
{
    if (!regions)
        return;
    free(regions->prov);
    free(regions->reg);
    free(regions);
}

size_t est_regions_count(const est_regions *regions) { return regions ? regions->n_reg : 0; }

const est_region *est_regions_at(const est_regions *regions, size_t index)
{
    return regions && index < regions->n_reg ? &regions->reg[index] : NULL;
}

/* lower-case copy without spaces and '-' */
static void squeeze(char *dst, size_t size, const char *s, size_t n)
{
    size_t k = 0, i;
    for (i = 0; i < n && s[i] && k + 1 < size; i++)
        if (s[i] != ' ' && s[i] != '-')
            dst[k++] = (char)est__to_lower_ascii((unsigned char)s[i]);
    dst[k] = '\0';
}

static void suggest_region(est_suggestions *sugg, const char *prov, const char *reg)
{
    char name[EST_NAME_MAX];
    snprintf(name, sizeof name, "%s:%s", prov, reg);
    est__suggest_add(sugg, name, 0);
}

/* est_regions_lookup, and est_regions_suggest: a failure's close regions go
   into sugg when it is not NULL (they are not looked for when it is). */
static int lookup(est_region *out, const est_regions *regions, const char *spec,
                  est_error *err, est_suggestions *sugg)
{
    const char *colon;
    const provider *p;
    char want[EST_NAME_MAX], have[EST_NAME_MAX], ex[80];
    size_t i, plen;
    if (!regions || !spec || !out)
        return est__fail(err, EST_EINVAL, "est_regions_lookup: NULL argument");
    colon = strchr(spec, ':');
    est__excerpt_text(ex, sizeof ex, spec, strlen(spec));
    if (!colon)
        return est__fail(err, EST_EINVAL, "\"%s\": expected PROVIDER:REGION (e.g. "
                         "aws:eu-west-3)", ex);
    plen = (size_t)(colon - spec);
    p = find_provider(regions, spec, plen);
    if (!p) {
        est__fail(err, EST_ENOTFOUND, "unknown cloud provider in \"%s\"", ex);
        for (i = 0; sugg && i < regions->n_prov; i++)
            suggest_region(sugg, regions->prov[i].name, "REGION");
        return EST_ENOTFOUND;
    }
    squeeze(want, sizeof want, colon + 1, strlen(colon + 1));
    for (i = 0; i < regions->n_reg; i++) {
        if (strcmp(regions->reg[i].provider, p->name) != 0)
            continue;
        squeeze(have, sizeof have, regions->reg[i].region, sizeof regions->reg[i].region);
        if (strcmp(have, want) == 0) {
            *out = regions->reg[i];
            return EST_OK;
        }
    }
    est__fail(err, EST_ENOTFOUND, "unknown region in \"%s\" (carbon/regions.csv lists %s's "
              "regions)", ex, p->name);
    if (sugg) {
        /* the provider's regions, closest first (up to distance 4) */
        size_t d;
        for (d = 0; d <= 4 && sugg->n < EST_SUGGESTIONS_MAX; d++)
            for (i = 0; i < regions->n_reg; i++) {
                if (strcmp(regions->reg[i].provider, p->name) != 0)
                    continue;
                squeeze(have, sizeof have, regions->reg[i].region,
                        sizeof regions->reg[i].region);
                if (est__edit_distance(have, want) == d)
                    suggest_region(sugg, p->name, regions->reg[i].region);
            }
    }
    return EST_ENOTFOUND;
}

int est_regions_lookup(est_region *out, const est_regions *regions, const char *spec,
                       est_error *err)
{
    int rc = lookup(out, regions, spec, err, NULL);
    if (rc == EST_ENOTFOUND || (rc == EST_EINVAL && regions && spec && out))
        est__fail_value(err, spec);
    return rc;
}

int est_regions_suggest(est_suggestions *out, const est_regions *regions, const char *spec)
{
    est_region g;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !regions || !spec)
        return EST_EINVAL;
    lookup(&g, regions, spec, NULL, out);
    return EST_OK;
}

/* s starts with q, or a part of s after a boundary does (case-insensitive):
   words, a character that is not an ASCII letter or digit; else '-' */
static int part_starts(const char *s, const char *q, int words)
{
    size_t n = strlen(q);
    const char *p;
    for (p = s; *p; p++) {
        int boundary = p == s ||
                       (words ? !est__is_alnum_ascii((unsigned char)p[-1]) &&
                                    (unsigned char)p[-1] < 0x80
                              : p[-1] == '-');
        if (boundary && est__strncasecmp_ascii(p, q, n) == 0)
            return 1;
    }
    return 0;
}

int est_regions_matches_zone(const est_region *region, const char *query, const char *zone)
{
    char full[EST_REGION_PROVIDER_MAX + EST_REGION_NAME_MAX + 1];
    size_t n;
    if (!zone || !*zone)
        return est_regions_matches(region, query);
    if (!region)
        return 0;
    if (!query || !*query)
        return 1;
    n = strlen(zone);
    snprintf(full, sizeof full, "%s:%s", region->provider, region->region);
    return est__strncasecmp_ascii(full, query, strlen(query)) == 0 ||
           part_starts(region->region, query, 0) ||
           est__strcasecmp_ascii(region->zone, zone) == 0 ||
           (est__strncasecmp_ascii(region->zone, zone, n) == 0 && region->zone[n] == '-');
}

int est_regions_matches(const est_region *region, const char *query)
{
    char full[EST_REGION_PROVIDER_MAX + EST_REGION_NAME_MAX + 1];
    if (!region)
        return 0;
    if (!query || !*query)
        return 1;
    snprintf(full, sizeof full, "%s:%s", region->provider, region->region);
    return est__strncasecmp_ascii(full, query, strlen(query)) == 0 ||
           part_starts(region->region, query, 0) || part_starts(region->location, query, 1) ||
           part_starts(region->zone, query, 0);
}
