/* est_carbon_day_source: many windows over a few zones, each UTC day asked
 * of the caller's fetch once (ecoest/carbon.h, "the day source"). No
 * network of its own, and nothing printed: what a day's fetch said is kept
 * in its entry. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

#define DAY_S 86400.0

/* One UTC day a zone holds: its points in the zone's pool. */
typedef struct held_day {
    long day;
    size_t off, n;
    size_t entry;            /* its entry */
} held_day;

typedef struct zone_days {
    char code[EST_ZONE_CODE_MAX]; /* as handed to the window */
    est_zone row;            /* what the fetch gets */
    held_day *days;          /* sorted by day */
    size_t n_days, cap_days;
    est_intensity_point *pts;
    size_t n_pts, cap_pts;
} zone_days;

struct est_carbon_day_source {
    est_carbon_day_source_options o;
    zone_days *zones;
    size_t n_zones, cap_zones;
    est_carbon_day_entry *entries;
    size_t cap_entries;
    est_intensity_point *scratch; /* the answer of the last window */
    size_t cap_scratch;
    est_carbon_day_stats st;
};

/* Grows *p (of *cap items of size sz) to hold need items. */
static int grow(void **p, size_t *cap, size_t need, size_t sz, size_t first)
{
    size_t nc;
    void *np;
    if (need <= *cap)
        return EST_OK;
    nc = *cap ? *cap : first;
    while (nc < need)
        nc *= 2;
    np = realloc(*p, nc * sz);
    if (!np)
        return EST_ENOMEM;
    *p = np;
    *cap = nc;
    return EST_OK;
}

int est_carbon_day_source_open(est_carbon_day_source **out,
                               const est_carbon_day_source_options *opts, est_error *err)
{
    est_carbon_day_source *ds;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_carbon_day_source_open: out is NULL");
    *out = NULL;
    if (!opts || opts->version < 1 || opts->version > EST_CARBON_DAY_SOURCE_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_carbon_day_source_open: options version %u is "
                         "not supported (1..%u)", opts ? opts->version : 0u,
                         (unsigned)EST_CARBON_DAY_SOURCE_OPTIONS_VERSION);
    if (!opts->fetch)
        return est__fail(err, EST_EINVAL, "est_carbon_day_source_open: no fetch");
    ds = calloc(1, sizeof *ds);
    if (!ds)
        return est__fail(err, EST_ENOMEM, "out of memory");
    ds->o = *opts; /* version 1 is the whole struct so far */
    ds->o.version = EST_CARBON_DAY_SOURCE_OPTIONS_VERSION;
    *out = ds;
    return EST_OK;
}

void est_carbon_day_source_free(est_carbon_day_source *ds)
{
    size_t i;
    if (!ds)
        return;
    for (i = 0; i < ds->n_zones; i++) {
        free(ds->zones[i].days);
        free(ds->zones[i].pts);
    }
    for (i = 0; i < ds->st.days_asked; i++)
        free((void *)ds->entries[i].notes);
    free(ds->zones);
    free(ds->entries);
    free(ds->scratch);
    free(ds);
}

const est_carbon_day_stats *est_carbon_day_source_stats(const est_carbon_day_source *ds)
{
    return ds ? &ds->st : NULL;
}

const est_carbon_day_entry *est_carbon_day_source_entry(const est_carbon_day_source *ds,
                                                        size_t i)
{
    return ds && i < ds->st.days_asked ? &ds->entries[i] : NULL;
}

/* The zone of code, added on first sight (with the table's row when the
   options give a table). */
static zone_days *zone_of(est_carbon_day_source *ds, const est_zone *z)
{
    zone_days *zd;
    size_t i;
    for (i = 0; i < ds->n_zones; i++)
        if (strcmp(ds->zones[i].code, z->code) == 0)
            return &ds->zones[i];
    if (grow((void **)&ds->zones, &ds->cap_zones, ds->n_zones + 1, sizeof *ds->zones, 4))
        return NULL;
    zd = &ds->zones[ds->n_zones++];
    memset(zd, 0, sizeof *zd);
    est__strlcpy(zd->code, z->code, sizeof zd->code);
    if (!ds->o.zones || est_zones_lookup(&zd->row, ds->o.zones, z->code, NULL) != EST_OK)
        zd->row = *z;
    ds->st.n_zones = ds->n_zones;
    return zd;
}

/* Where day is, or would go, in zd->days. */
static size_t day_slot(const zone_days *zd, long day)
{
    size_t lo = 0, hi = zd->n_days;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (zd->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The entry's notes and figures from the summary of the window the fetch
   made. */
static int take_summary(est_carbon_day_entry *en, const est_carbon_summary *s)
{
    en->has_summary = 1;
    en->n_requests = s->n_requests;
    en->origin = s->n_days_from_network ? EST_CARBON_DAY_NETWORK
                 : s->n_days_from_cache ? EST_CARBON_DAY_CACHE
                                        : EST_CARBON_DAY_MISSING;
    if (s->n_notes) {
        est_carbon_note *n = malloc(s->n_notes * sizeof *n);
        if (!n)
            return EST_ENOMEM;
        memcpy(n, s->notes, s->n_notes * sizeof *n);
        en->notes = n;
        en->n_notes = s->n_notes;
    }
    return EST_OK;
}

/* Keeps the answer's points of [d0, d0 + 1 day) in the zone's pool. */
static int keep_points(zone_days *zd, held_day *h, const est_intensity_answer *a, double d0)
{
    size_t i;
    h->off = zd->n_pts;
    h->n = 0;
    for (i = 0; i < a->n_points; i++) {
        const est_intensity_point *p = &a->points[i];
        if (!(p->t_unix_s >= d0 && p->t_unix_s < d0 + DAY_S))
            continue;
        if (grow((void **)&zd->pts, &zd->cap_pts, zd->n_pts + 1, sizeof *zd->pts, 256))
            return EST_ENOMEM;
        zd->pts[zd->n_pts++] = *p;
        h->n++;
    }
    return EST_OK;
}

/* Asks the fetch for day, keeps what it gave at slot, records the entry. */
static int fetch_day(est_carbon_day_source *ds, zone_days *zd, size_t slot, long day,
                     est_error *err)
{
    est_intensity_answer a;
    const est_carbon_summary *s = NULL;
    est_carbon_day_entry *en;
    held_day h;
    est_error e;
    double d0 = (double)day * DAY_S;
    size_t pool = zd->n_pts;
    int rc;
    char name[16];
    if (grow((void **)&ds->entries, &ds->cap_entries, ds->st.days_asked + 1,
             sizeof *ds->entries, 64) ||
        grow((void **)&zd->days, &zd->cap_days, zd->n_days + 1, sizeof *zd->days, 64))
        return est__fail(err, EST_ENOMEM, "out of memory");
    memset(&a, 0, sizeof a);
    a.version = EST_INTENSITY_ANSWER_VERSION;
    memset(&e, 0, sizeof e);
    rc = ds->o.fetch(ds->o.fetch_user, &zd->row, d0, d0 + DAY_S, &a, &s, &e);
    if (rc == EST_ENOMEM)
        return est__fail(err, EST_ENOMEM, "out of memory");
    en = &ds->entries[ds->st.days_asked];
    memset(en, 0, sizeof *en);
    est__strlcpy(en->zone, zd->code, sizeof en->zone);
    en->days_since_epoch = day;
    en->origin = EST_CARBON_DAY_MISSING;
    memset(&h, 0, sizeof h);
    h.day = day;
    h.entry = ds->st.days_asked;
    if ((s && take_summary(en, s) != EST_OK) ||
        (rc == EST_OK && keep_points(zd, &h, &a, d0) != EST_OK)) {
        free((void *)en->notes);
        zd->n_pts = pool;
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    ds->st.days_asked++;
    ds->st.requests += en->n_requests;
    en->n_points = h.n;
    if (rc == EST_OK && h.n) {
        est__strlcpy(en->source, a.source, sizeof en->source);
        est__strlcpy(en->detail, a.detail, sizeof en->detail);
    } else {
        en->code = rc ? rc : EST_ENODATA;
        ecar_day_name(day, name, sizeof name);
        if (rc)
            est__strlcpy(en->reason, e.message[0] ? e.message : est_strerror(rc),
                         sizeof en->reason);
        else
            est__snprintf_c(en->reason, sizeof en->reason, "no intensity for %s on %s",
                            zd->code, name);
        ds->st.days_without_data++;
        if (!ds->st.first_failure_code) {
            ds->st.first_failure_code = en->code;
            est__strlcpy(ds->st.first_failure_zone, zd->code, sizeof ds->st.first_failure_zone);
            ds->st.first_failure_day = day;
            est__strlcpy(ds->st.first_failure, en->reason, sizeof ds->st.first_failure);
        }
    }
    memmove(zd->days + slot + 1, zd->days + slot, (zd->n_days - slot) * sizeof *zd->days);
    zd->days[slot] = h;
    zd->n_days++;
    return EST_OK;
}

/* The UTC days of [start, end): a window ending at 00:00 leaves that day
   out. */
static int window_days(double start, double end, long *d0, long *d1, est_error *err)
{
    double first, last;
    if (!isfinite(start) || !isfinite(end) || !(end > start))
        return est__fail(err, EST_EINVAL, "the window's end must be after its start");
    if (start < EST_TIME_MIN_UNIX_S || end > EST_TIME_MAX_UNIX_S)
        return est__fail(err, EST_EINVAL, "the window must lie between years 0001 and 9999");
    first = floor(start / DAY_S);
    last = floor(end / DAY_S);
    if (last * DAY_S >= end)
        last -= 1.0; /* ends at midnight: that day is not in it */
    if (last - first + 1.0 > (double)EST_CARBON_MAX_DAYS)
        return est__fail(err, EST_ERANGE, "the job spans %.0f UTC days; live intensity covers "
                         "at most %d", last - first + 1.0, EST_CARBON_MAX_DAYS);
    *d0 = (long)first;
    *d1 = (long)last;
    return EST_OK;
}

int est_carbon_day_source_intensity(void *user, const est_zone *zone, double start_unix_s,
                                    double end_unix_s, est_intensity_answer *answer,
                                    est_error *err)
{
    est_carbon_day_source *ds = user;
    size_t first_data = (size_t)-1;
    zone_days *zd;
    long d0 = 0, d1 = -1, d;
    size_t n = 0;
    int rc;
    if (!ds || !zone || !answer)
        return est__fail(err, EST_EINVAL, "est_carbon_day_source_intensity: NULL argument");
    ds->st.windows++;
    if ((rc = window_days(start_unix_s, end_unix_s, &d0, &d1, err)) != EST_OK)
        return rc;
    if (!(zd = zone_of(ds, zone)))
        return est__fail(err, EST_ENOMEM, "out of memory");
    for (d = d0; d <= d1; d++) {
        size_t slot = day_slot(zd, d), i;
        const held_day *h;
        const est_carbon_day_entry *en;
        if ((slot == zd->n_days || zd->days[slot].day != d) &&
            (rc = fetch_day(ds, zd, slot, d, err)) != EST_OK)
            return rc;
        h = &zd->days[slot];
        en = &ds->entries[h->entry];
        if (en->code && ds->o.strict)
            return est__fail(err, en->code, "%s", en->reason);
        if (h->n && first_data == (size_t)-1)
            first_data = h->entry;
        if (grow((void **)&ds->scratch, &ds->cap_scratch, n + h->n, sizeof *ds->scratch, 256))
            return est__fail(err, EST_ENOMEM, "out of memory");
        for (i = 0; i < h->n; i++) {
            const est_intensity_point *p = &zd->pts[h->off + i];
            if (n == 0 || p->t_unix_s > ds->scratch[n - 1].t_unix_s)
                ds->scratch[n++] = *p;
        }
    }
    if (!n)
        return est__fail(err, EST_ENODATA, "no intensity for %s in the window", zone->code);
    answer->points = ds->scratch;
    answer->n_points = n;
    /* entries move as they grow: found by index */
    est__strlcpy(answer->source, ds->entries[first_data].source, sizeof answer->source);
    est__strlcpy(answer->detail, ds->entries[first_data].detail, sizeof answer->detail);
    if (answer->version >= 2) {
        answer->water_points = NULL;
        answer->n_water_points = 0;
    }
    return EST_OK;
}
