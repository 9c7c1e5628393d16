/* est_carbon_source: a window's intensity with the fetch, day store,
 * fallback and strict policy, and its summary (docs/carbon.md). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carbon_internal.h"

/* One UTC day a source holds in memory. */
typedef struct mem_day {
    est_carbon_provider provider;
    char zone[EST_ZONE_CODE_MAX];
    long day;
    est_carbon_day_origin origin;
    int complete;
    int fetched_here;        /* fetched from the network by this source */
    int failed;              /* its fetch failed and it has no data */
    int rc;                  /* then: the code */
    char error[EST_CARBON_NOTE_SIZE];
    ecar_points ci, taux, water;
} mem_day;

struct est_carbon_source {
    est_carbon_source_options o;
    char *strs[8];           /* owned copies of the option strings */
    est_carbon_factor_set factors;
    int have_factors;
    mem_day *days;
    size_t n_days, cap_days;
    int stop_rc;             /* a failure that stops the network use */
    char stop_error[EST_ERROR_MESSAGE_MAX];
    est_carbon_window *last;
};

static char *dup_opt(est_carbon_source *s, size_t slot, const char *v)
{
    size_t n;
    if (!v)
        return NULL;
    n = strlen(v) + 1;
    s->strs[slot] = malloc(n);
    if (s->strs[slot])
        memcpy(s->strs[slot], v, n);
    return s->strs[slot];
}

int est_carbon_source_open(est_carbon_source **out, const est_carbon_source_options *opts,
                           est_error *err)
{
    est_carbon_source *s;
    est_carbon_source_options o = EST_CARBON_SOURCE_OPTIONS_INIT;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_carbon_source_open: out is NULL");
    *out = NULL;
    if (opts) {
        if (opts->version < 1 || opts->version > EST_CARBON_SOURCE_OPTIONS_VERSION)
            return est__fail(err, EST_EINVAL, "est_carbon_source_open: options version %u is "
                             "not supported (1..%u)", opts->version,
                             (unsigned)EST_CARBON_SOURCE_OPTIONS_VERSION);
        o = *opts; /* version 1 is the whole struct so far */
        o.version = EST_CARBON_SOURCE_OPTIONS_VERSION;
    }
    if (o.provider != EST_CARBON_PROVIDER_NONE && o.provider != EST_CARBON_PROVIDER_RTE &&
        o.provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS)
        return est__fail(err, EST_EINVAL, "est_carbon_source_open: unknown provider %d",
                         (int)o.provider);
    if (!isfinite(o.timeout_s) || o.timeout_s < 0.0 || !isfinite(o.connect_timeout_s) ||
        o.connect_timeout_s < 0.0 || !isfinite(o.now_unix_s) || o.now_unix_s < 0.0)
        return est__fail(err, EST_EINVAL, "est_carbon_source_open: timeouts and now must be "
                         "finite numbers >= 0");
    s = calloc(1, sizeof *s);
    if (!s)
        return est__fail(err, EST_ENOMEM, "out of memory");
    s->o = o;
    s->o.factor_set = dup_opt(s, 0, o.factor_set);
    s->o.rte_url = dup_opt(s, 1, o.rte_url);
    s->o.rte_token = dup_opt(s, 2, o.rte_token);
    s->o.em_url = dup_opt(s, 3, o.em_url);
    s->o.em_token = dup_opt(s, 4, o.em_token);
    s->o.cache_dir = dup_opt(s, 5, o.cache_dir);
    s->o.user_agent = dup_opt(s, 6, o.user_agent);
    if ((o.factor_set && !s->o.factor_set) || (o.rte_url && !s->o.rte_url) ||
        (o.rte_token && !s->o.rte_token) || (o.em_url && !s->o.em_url) ||
        (o.em_token && !s->o.em_token) || (o.cache_dir && !s->o.cache_dir) ||
        (o.user_agent && !s->o.user_agent)) {
        est_carbon_source_free(s);
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    *out = s;
    return EST_OK;
}

static void mem_day_free(mem_day *d)
{
    free(d->ci.p);
    free(d->taux.p);
    free(d->water.p);
    memset(&d->ci, 0, sizeof d->ci);
    memset(&d->taux, 0, sizeof d->taux);
    memset(&d->water, 0, sizeof d->water);
}

void est_carbon_source_free(est_carbon_source *src)
{
    size_t i;
    if (!src)
        return;
    for (i = 0; i < src->n_days; i++)
        mem_day_free(&src->days[i]);
    free(src->days);
    for (i = 0; i < sizeof src->strs / sizeof src->strs[0]; i++)
        free(src->strs[i]);
    est_carbon_window_free(src->last);
    free(src);
}

const est_carbon_window *est_carbon_source_last(const est_carbon_source *src)
{
    return src ? src->last : NULL;
}

/* ---- notes ---- */

static void note(est_carbon_window *w, est_carbon_note_kind kind, const char *fmt, ...)
    ECAR_PRINTF(3, 4);

static void note(est_carbon_window *w, est_carbon_note_kind kind, const char *fmt, ...)
{
    va_list ap;
    if (w->n_notes == w->cap_notes) {
        size_t nc = w->cap_notes ? 2 * w->cap_notes : 8;
        est_carbon_note *n = realloc(w->notes, nc * sizeof *n);
        if (!n)
            return; /* a note lost to memory: the figures stay right */
        w->notes = n;
        w->cap_notes = nc;
    }
    w->notes[w->n_notes].kind = kind;
    va_start(ap, fmt);
    est__vsnprintf_c(w->notes[w->n_notes].text, sizeof w->notes[0].text, fmt, ap);
    va_end(ap);
    w->n_notes++;
}

/* ---- the day store ---- */

static mem_day *find_day(est_carbon_source *s, est_carbon_provider p, const char *zone, long day)
{
    size_t i;
    for (i = 0; i < s->n_days; i++)
        if (s->days[i].day == day && s->days[i].provider == p &&
            est__strcasecmp_ascii(s->days[i].zone, zone) == 0)
            return &s->days[i];
    return NULL;
}

static mem_day *add_day(est_carbon_source *s, est_carbon_provider p, const char *zone, long day)
{
    mem_day *d = find_day(s, p, zone, day);
    if (d) {
        mem_day_free(d);
    } else {
        if (s->n_days == s->cap_days) {
            size_t nc = s->cap_days ? 2 * s->cap_days : 16;
            mem_day *n = realloc(s->days, nc * sizeof *n);
            if (!n)
                return NULL;
            s->days = n;
            s->cap_days = nc;
        }
        d = &s->days[s->n_days++];
    }
    memset(d, 0, sizeof *d);
    d->provider = p;
    d->day = day;
    est__strlcpy(d->zone, zone, sizeof d->zone);
    return d;
}

/* Copies the points of [d0, d0 + 1 day) into v. */
static int copy_day(ecar_points *v, const est_intensity_point *p, size_t n, double d0)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i].t_unix_s >= d0 && p[i].t_unix_s < d0 + EST__DAY_S &&
            ecar_points_push(v, p[i].t_unix_s, p[i].dur_s, p[i].g_co2e_per_kwh))
            return EST_ENOMEM;
    return EST_OK;
}

/* A stored day serves a window when it is final, was fetched by this
 * source, the source is offline, it failed already, or its points cover
 * the window's part of it (>= 99.9 %). */
static int day_serves(const est_carbon_source *s, const mem_day *d, double start, double end)
{
    double d0 = (double)d->day * EST__DAY_S, a, b;
    est_intensity_stats st;
    if (d->complete || d->fetched_here || d->failed || s->o.offline || s->stop_rc)
        return 1;
    a = start > d0 ? start : d0;
    b = end < d0 + EST__DAY_S ? end : d0 + EST__DAY_S;
    return b > a && est_intensity_mean(&st, d->ci.p, d->ci.n, a, b, NULL) == EST_OK &&
           st.coverage_frac >= 0.999;
}

typedef struct run_ctx {
    est_carbon_source *s;
    est_carbon_window *w;
    est_carbon_provider provider;
    const char *zone;
    double now;
    int first_rc;            /* the first fetch that failed: its code, */
    char first_error[EST_ERROR_MESSAGE_MAX]; /* and message */
    size_t n_partial;
} run_ctx;

/* Fetches [a, b) (whole days long..) and stores its days. */
static int fetch_run(run_ctx *r, long day0, long day1, double a, double b)
{
    est_carbon_source *s = r->s;
    est_carbon_options o = EST_CARBON_OPTIONS_INIT;
    est_carbon_series ser;
    est_error e;
    size_t i;
    long d;
    int rc, offline = s->o.offline || s->stop_rc != 0;
    o.provider = r->provider;
    o.zone = r->zone;
    o.start_unix_s = a;
    o.end_unix_s = b;
    o.now_unix_s = r->now;
    o.factors = r->provider == EST_CARBON_PROVIDER_RTE ? &s->factors : NULL;
    o.water_factors = r->provider == EST_CARBON_PROVIDER_RTE ? s->o.water_factors : NULL;
    o.base_url = r->provider == EST_CARBON_PROVIDER_RTE ? s->o.rte_url : s->o.em_url;
    o.token = r->provider == EST_CARBON_PROVIDER_RTE ? s->o.rte_token : s->o.em_token;
    o.cache_dir = s->o.cache_dir;
    o.offline = offline;
    o.timeout_s = s->o.timeout_s;
    o.connect_timeout_s = s->o.connect_timeout_s;
    o.user_agent = s->o.user_agent;
    e.message[0] = '\0';
    rc = est_carbon_fetch(&ser, &o, &e);
    r->w->sum.n_requests += ser.n_requests;
    for (i = 0; i < ser.n_notes; i++)
        if (!rc || strcmp(ser.notes[i], e.message) != 0)
            note(r->w, EST_CARBON_NOTE_WARNING, "%s", ser.notes[i]);
    if (rc) {
        if (!r->first_rc) {
            r->first_rc = rc;
            est__strlcpy(r->first_error, s->stop_rc && rc == EST_ENODATA ? s->stop_error
                                                                         : e.message,
                         sizeof r->first_error);
            if (s->stop_rc && rc == EST_ENODATA)
                r->first_rc = s->stop_rc;
        }
        if (!offline && (rc == EST_EAUTH || rc == EST_ENET || rc == EST_ETIMEOUT)) {
            s->stop_rc = rc;
            est__strlcpy(s->stop_error, e.message, sizeof s->stop_error);
        }
        if (rc == EST_ENOMEM)
            return rc;
        /* the run's days have no data: remembered (not asked again) unless
           nothing was asked (offline) or they lie ahead; a provider that
           answered without data (EST_ENODATA) is not a failed fetch */
        for (d = day0; d <= day1 && !offline; d++) {
            mem_day *m = find_day(s, r->provider, r->zone, d);
            if (m && m->ci.n)
                continue; /* keep what an earlier window had */
            if ((double)d * EST__DAY_S >= r->now)
                continue;
            if (!(m = add_day(s, r->provider, r->zone, d)))
                return EST_ENOMEM;
            m->origin = EST_CARBON_DAY_MISSING;
            m->fetched_here = 1;
            m->failed = rc != EST_ENODATA;
            if (m->failed) {
                m->rc = rc;
                est__strlcpy(m->error, e.message, sizeof m->error);
            }
        }
        return EST_OK;
    }
    r->n_partial += ser.n_partial_records;
    for (i = 0; i < ser.n_days; i++) {
        const est_carbon_day *cd = &ser.days[i];
        double d0 = (double)cd->days_since_epoch * EST__DAY_S;
        mem_day *m;
        if (cd->origin == EST_CARBON_DAY_MISSING && !cd->fetch_failed)
            continue; /* not asked (offline, the future): nothing to keep */
        if (!(m = add_day(s, r->provider, r->zone, cd->days_since_epoch)))
            goto nomem;
        m->origin = cd->origin;
        m->complete = cd->complete;
        m->fetched_here = cd->origin == EST_CARBON_DAY_NETWORK;
        m->failed = cd->fetch_failed && cd->origin == EST_CARBON_DAY_MISSING;
        m->rc = m->failed ? EST_ENODATA : 0; /* the fetch keeps no code per day */
        est__strlcpy(m->error, cd->error, sizeof m->error);
        if (copy_day(&m->ci, ser.points, ser.n_points, d0) ||
            copy_day(&m->taux, ser.provider_points, ser.n_provider_points, d0) ||
            copy_day(&m->water, ser.water_points, ser.n_water_points, d0))
            goto nomem;
    }
    est_carbon_series_clear(&ser);
    return EST_OK;
nomem:
    est_carbon_series_clear(&ser);
    return EST_ENOMEM;
}

/* ---- the window ---- */

static int push_all(ecar_points *v, const ecar_points *from)
{
    size_t i;
    for (i = 0; i < from->n; i++)
        if (ecar_points_push(v, from->p[i].t_unix_s, from->p[i].dur_s,
                             from->p[i].g_co2e_per_kwh))
            return EST_ENOMEM;
    return EST_OK;
}

/* The window's series from the stored days. */
static int assemble(run_ctx *r, long first, size_t n)
{
    est_carbon_series *out = &r->w->series;
    ecar_points ci = {NULL, 0, 0}, tx = {NULL, 0, 0}, wa = {NULL, 0, 0};
    size_t i;
    out->provider = r->provider;
    est__strlcpy(out->zone, r->zone, sizeof out->zone);
    out->days = calloc(n, sizeof *out->days);
    if (!out->days)
        return EST_ENOMEM;
    out->n_days = n;
    for (i = 0; i < n; i++) {
        long d = first + (long)i;
        const mem_day *m = find_day(r->s, r->provider, r->zone, d);
        est_carbon_day *cd = &out->days[i];
        cd->days_since_epoch = d;
        cd->origin = EST_CARBON_DAY_MISSING;
        if (!m)
            continue;
        cd->origin = m->origin;
        cd->complete = m->complete;
        cd->n_points = m->ci.n;
        cd->fetch_failed = m->failed;
        est__strlcpy(cd->error, m->error, sizeof cd->error);
        if (m->failed)
            out->n_days_failed++;
        else if (m->origin == EST_CARBON_DAY_NETWORK)
            out->n_days_from_network++;
        else if (m->origin == EST_CARBON_DAY_CACHE)
            out->n_days_from_cache++;
        if (push_all(&ci, &m->ci) || push_all(&tx, &m->taux) || push_all(&wa, &m->water)) {
            free(ci.p);
            free(tx.p);
            free(wa.p);
            return EST_ENOMEM;
        }
    }
    out->points = ci.p;
    out->n_points = ci.n;
    out->provider_points = tx.p;
    out->n_provider_points = tx.n;
    out->water_points = wa.p;
    out->n_water_points = wa.n;
    out->n_requests = r->w->sum.n_requests;
    out->n_partial_records = r->n_partial;
    return EST_OK;
}

static void fmt_time(double t, char *buf, size_t size)
{
    if (est_format_time(buf, size, t) != EST_OK)
        est__strlcpy(buf, "?", size);
}

/* "45 min", "3.5 h" */
static void fmt_dur(double sec, char *buf, size_t size)
{
    if (sec < 7200.0)
        snprintf(buf, size, "%.0f min", sec / 60.0);
    else
        snprintf(buf, size, "%.1f h", sec / 3600.0);
}

/* Below full coverage: how much is the unpublished tail (points newer than
 * about 2 h) and how much is gaps (or missing from the cache offline, or
 * days that failed). */
static void coverage_note(run_ctx *r)
{
    est_carbon_summary *c = &r->w->sum;
    const est_carbon_series *s = &r->w->series;
    double start = c->start_unix_s, end = c->end_unix_s;
    double missing = (end - start) * (1.0 - c->coverage_frac), last = start, tail = 0.0;
    char a[32], b[32], msg[EST_ERROR_MESSAGE_MAX];
    size_t i, o = 0;
    for (i = 0; i < s->n_points; i++) {
        const est_intensity_point *p = &s->points[i];
        double pe = p->t_unix_s + p->dur_s;
        if (p->t_unix_s < end && pe > last)
            last = pe < end ? pe : end;
    }
    if (end > r->now - EST_CARBON_PUBLICATION_LAG_S - 3600.0 && last < end)
        tail = end - last;
    if (tail > missing)
        tail = missing;
    o += (size_t)snprintf(msg, sizeof msg, "the intensity data cover %.1f%% of the window",
                          c->coverage_frac * 100.0);
    if (tail >= 60.0 && o < sizeof msg) {
        fmt_dur(tail, a, sizeof a);
        o += (size_t)snprintf(msg + o, sizeof msg - o, "; its last %s are not published yet "
                              "(the provider publishes about 2 h late)", a);
    }
    if (missing - tail >= 60.0 && o < sizeof msg) {
        fmt_dur(missing - tail, b, sizeof b);
        if (c->n_failed_days)
            o += (size_t)snprintf(msg + o, sizeof msg - o, "; %s missing, including %zu "
                                  "day%s that could not be fetched", b, c->n_failed_days,
                                  c->n_failed_days == 1 ? "" : "s");
        else if (r->s->o.offline)
            o += (size_t)snprintf(msg + o, sizeof msg - o, "; %s not in the cache", b);
        else
            o += (size_t)snprintf(msg + o, sizeof msg - o, "; %s of gaps in the provider's "
                                  "data", b);
    }
    if (o < sizeof msg)
        snprintf(msg + o, sizeof msg - o, " (gaps are not filled in)");
    note(r->w, EST_CARBON_NOTE_WARNING, "%s", msg);
}

/* The summary of a window with data. */
static int summarise(run_ctx *r, est_error *err)
{
    est_carbon_window *w = r->w;
    est_carbon_summary *c = &w->sum;
    const est_carbon_series *s = &w->series;
    est_intensity_stats st;
    size_t nd = 0;
    int rc;
    rc = est_intensity_mean(&st, s->points, s->n_points, c->start_unix_s, c->end_unix_s, err);
    if (rc)
        return rc;
    c->status = EST_CARBON_LIVE;
    c->mean_g_co2e_per_kwh = st.mean_g_co2e_per_kwh;
    c->coverage_frac = st.coverage_frac;
    c->n_points = st.n_points;
    if (s->n_provider_points &&
        est_intensity_mean(&st, s->provider_points, s->n_provider_points, c->start_unix_s,
                           c->end_unix_s, NULL) == EST_OK &&
        st.n_points)
        c->provider_mean_g_co2e_per_kwh = st.mean_g_co2e_per_kwh;
    if (s->n_water_points &&
        est_intensity_mean(&st, s->water_points, s->n_water_points, c->start_unix_s, c->end_unix_s,
                           NULL) == EST_OK &&
        st.n_points) {
        c->water_mean_l_per_kwh = st.mean_g_co2e_per_kwh;
        c->water_coverage_frac = st.coverage_frac;
    }
    nd = est_intensity_days_in_window(c->start_unix_s, c->end_unix_s);
    w->days = calloc(nd ? nd : 1, sizeof *w->days);
    if (!w->days)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = est_intensity_daily(w->days, nd, &nd, s->points, s->n_points, c->start_unix_s,
                             c->end_unix_s, err);
    if (rc)
        return rc;
    c->days = w->days;
    c->n_days = nd;
    est__strlcpy(c->source, s->n_days_from_network ? est_carbon_provider_name(r->provider) : "cache",
                 sizeof c->source);
    if (r->s->o.offline)
        note(w, EST_CARBON_NOTE_INFO, "offline: intensity from the cache (%zu day%s)",
             s->n_days_from_cache, s->n_days_from_cache == 1 ? "" : "s");
    if (s->n_partial_records)
        note(w, EST_CARBON_NOTE_WARNING, "%zu record%s had some production fields missing "
             "(null or \"ND\"), counted as 0 MW", s->n_partial_records,
             s->n_partial_records == 1 ? "" : "s");
    if (c->coverage_frac < 0.999)
        coverage_note(r);
    return EST_OK;
}

/* The failed days of the window's series. */
static int failed_days(est_carbon_window *w)
{
    const est_carbon_series *s = &w->series;
    size_t i;
    w->failed_days = calloc(s->n_days ? s->n_days : 1, sizeof *w->failed_days);
    if (!w->failed_days)
        return EST_ENOMEM;
    for (i = 0; i < s->n_days; i++) {
        const est_carbon_day *d = &s->days[i];
        if (!d->fetch_failed || d->origin != EST_CARBON_DAY_MISSING)
            continue;
        if (!w->sum.n_failed_days)
            est__strlcpy(w->sum.failed_reason, d->error, sizeof w->sum.failed_reason);
        w->failed_days[w->sum.n_failed_days++] = d->days_since_epoch;
    }
    w->sum.failed_days = w->failed_days;
    return EST_OK;
}

/* No data: the zone's annual average, and why. */
static void fall_back(run_ctx *r, const est_zone *z)
{
    est_carbon_summary *c = &r->w->sum;
    char a[32], b[32];
    c->status = EST_CARBON_FALLBACK;
    ecar_summary_zone_average(c, z);
    if (!r->first_rc) {
        /* no fetch now: the first stored day that had failed says why */
        long first = (long)floor(c->start_unix_s / EST__DAY_S), d;
        for (d = first; d < first + (long)r->w->series.n_days; d++) {
            const mem_day *m = find_day(r->s, r->provider, r->zone, d);
            if (m && m->failed) {
                r->first_rc = m->rc ? m->rc : EST_ENODATA;
                est__strlcpy(r->first_error, m->error, sizeof r->first_error);
                break;
            }
        }
    }
    if (r->first_rc) {
        c->fallback_code = r->first_rc;
        est__strlcpy(c->fallback_reason, r->first_error, sizeof c->fallback_reason);
    } else {
        fmt_time(c->start_unix_s, a, sizeof a);
        fmt_time(c->end_unix_s, b, sizeof b);
        c->fallback_code = EST_ENODATA;
        est__snprintf_c(c->fallback_reason, sizeof c->fallback_reason,
                        "%s: no intensity data for %s in [%s, %s)%s",
                        r->provider == EST_CARBON_PROVIDER_RTE ? "RTE" : "Electricity Maps", r->zone,
                        a, b, r->s->o.offline ? " in the cache" : "");
    }
    /* offline, nothing cached for a window that has begun: what was asked
       for, not a caveat (a window in the future or a bad cache file is) */
    c->fallback_kind = r->s->o.offline && c->fallback_code == EST_ENODATA &&
                               c->start_unix_s < r->now
                           ? EST_CARBON_NOTE_INFO
                           : EST_CARBON_NOTE_WARNING;
    if (c->factors[0] && strcmp(c->factors_scope, z->scope) != 0)
        est__snprintf_c(c->fallback_scope_note, sizeof c->fallback_scope_note,
                        "the factor set %s counts %s emissions but zone %s's annual average "
                        "is %s: the fallback figure has another scope than the one asked for",
                        c->factors, c->factors_scope, z->code, z->scope);
}

static int load_factors(est_carbon_source *s, est_error *err)
{
    int rc;
    if (s->have_factors)
        return EST_OK;
    if (!s->o.factor_paths || !s->o.n_factor_paths)
        return est__fail(err, EST_EINVAL, "RTE: an emission factor file is required "
                         "(factor_paths)");
    rc = est_carbon_factors_load_files(&s->factors, s->o.factor_paths, s->o.n_factor_paths,
                                       s->o.factor_set, err);
    if (rc == EST_OK)
        s->have_factors = 1;
    return rc;
}

static int window_checks(est_carbon_source *src, est_carbon_window **out, const est_zone *z,
                         double start, double end, est_carbon_provider *p, est_error *err)
{
    const char *pz;
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_carbon_source_window: out is NULL");
    *out = NULL;
    if (!src || !z)
        return est__fail(err, EST_EINVAL, "est_carbon_source_window: NULL argument");
    pz = est_zones_provider_code(z);
    if (!ecar_zone_code_valid(pz, strlen(pz)))
        return est__fail(err, EST_EINVAL, "est_carbon_source_window: invalid zone code");
    if ((rc = est_carbon_window_check(start, end, err)) != 0)
        return rc;
    *p = src->o.provider != EST_CARBON_PROVIDER_NONE ? src->o.provider
                                              : est_carbon_provider_for_zone(pz);
    if (*p == EST_CARBON_PROVIDER_RTE && est__strcasecmp_ascii(pz, "FR") != 0)
        return est__fail(err, EST_EINVAL, "RTE eco2mix covers France only (zone FR), not %s",
                         pz);
    if (*p == EST_CARBON_PROVIDER_RTE)
        return load_factors(src, err);
    return EST_OK;
}

/* With strict, a fallback or a failed day makes the window an error: its
   code and message go into the summary, for whoever reads it later. */
static void strict_verdict(est_carbon_summary *c, int strict)
{
    char day[16];
    if (!strict)
        return;
    if (c->status == EST_CARBON_FALLBACK) {
        c->strict_code = c->fallback_code;
        est__strlcpy(c->strict_reason, c->fallback_reason, sizeof c->strict_reason);
    } else if (c->n_failed_days) {
        ecar_day_name(c->failed_days[0], day, sizeof day);
        c->strict_code = EST_ENODATA;
        est__snprintf_c(c->strict_reason, sizeof c->strict_reason, "%zu day%s of the window "
                        "could not be fetched (the first, %s: %s)", c->n_failed_days,
                        c->n_failed_days == 1 ? "" : "s", day, c->failed_reason);
    }
}

int est_carbon_source_window(est_carbon_window **out, est_carbon_source *src, const est_zone *zone,
                             double start_unix_s, double end_unix_s, est_error *err)
{
    run_ctx r;
    est_carbon_window *w;
    est_carbon_provider p = EST_CARBON_PROVIDER_NONE;
    long first, d, run0 = -1;
    size_t n;
    int rc;

    if ((rc = window_checks(src, out, zone, start_unix_s, end_unix_s, &p, err)) != 0)
        return rc;
    w = calloc(1, sizeof *w);
    if (!w)
        return est__fail(err, EST_ENOMEM, "out of memory");
    memset(&r, 0, sizeof r);
    r.s = src;
    r.w = w;
    r.provider = p;
    r.zone = est_zones_provider_code(zone); /* "JP-TK", not the table's JP */
    r.now = src->o.now_unix_s > 0.0 ? src->o.now_unix_s : (double)time(NULL);
    w->sum.provider = p;
    est__strlcpy(w->sum.zone, r.zone, sizeof w->sum.zone);
    w->sum.start_unix_s = start_unix_s;
    w->sum.end_unix_s = end_unix_s;
    w->sum.provider_mean_g_co2e_per_kwh = EST_UNSET;
    w->sum.water_mean_l_per_kwh = EST_UNSET;
    if (p == EST_CARBON_PROVIDER_RTE) {
        est__strlcpy(w->sum.factors, src->factors.name, sizeof w->sum.factors);
        est__strlcpy(w->sum.factors_scope, src->factors.scope, sizeof w->sum.factors_scope);
    }

    if (start_unix_s >= r.now) {
        /* nothing is published for the future: no request */
        char a[32], b[32], nw[32];
        fmt_time(start_unix_s, a, sizeof a);
        fmt_time(end_unix_s, b, sizeof b);
        fmt_time(r.now, nw, sizeof nw);
        r.first_rc = EST_ENODATA;
        est__snprintf_c(r.first_error, sizeof r.first_error, "the window [%s, %s) lies in "
                        "the future (now is %s): no intensity is published for it yet", a, b,
                        nw);
    } else {
        /* the days the store cannot serve, fetched in runs of consecutive
           days, each run's window cut to the days */
        n = est_intensity_days_in_window(start_unix_s, end_unix_s);
        first = (long)floor(start_unix_s / EST__DAY_S);
        for (d = first; d <= first + (long)n; d++) {
            const mem_day *m = d < first + (long)n ? find_day(src, p, r.zone, d) : NULL;
            int need = d < first + (long)n && (double)d * EST__DAY_S < r.now &&
                       !(m && day_serves(src, m, start_unix_s, end_unix_s));
            if (need && run0 < 0)
                run0 = d;
            if (!need && run0 >= 0) {
                double a = (double)run0 * EST__DAY_S, b = (double)d * EST__DAY_S;
                if ((rc = fetch_run(&r, run0, d - 1, a > start_unix_s ? a : start_unix_s,
                                    b < end_unix_s ? b : end_unix_s)) != 0)
                    goto nomem;
                run0 = -1;
            }
        }
        if ((rc = assemble(&r, first, n)) != 0 || (rc = failed_days(w)) != 0)
            goto nomem;
    }
    {
        est_intensity_stats st;
        if (est_intensity_mean(&st, w->series.points, w->series.n_points, start_unix_s, end_unix_s,
                               NULL) == EST_OK &&
            st.n_points > 0) {
            if ((rc = summarise(&r, err)) != 0) {
                est_carbon_window_free(w);
                return rc;
            }
        } else {
            fall_back(&r, zone);
        }
    }
    /* the days by their origin, as the summary documents them */
    w->sum.n_days_from_network = w->series.n_days_from_network;
    w->sum.n_days_from_cache = w->series.n_days_from_cache;
    w->sum.n_partial_records = w->series.n_partial_records;
    w->sum.notes = w->notes;
    w->sum.n_notes = w->n_notes;
    *out = w;
    strict_verdict(&w->sum, src->o.strict);
    if (w->sum.strict_code)
        return est__fail(err, w->sum.strict_code, "%s", w->sum.strict_reason);
    return EST_OK;
nomem:
    est_carbon_window_free(w);
    return est__fail(err, EST_ENOMEM, "out of memory");
}

int est_carbon_intensity(void *user, const est_zone *zone, double start_unix_s,
                         double end_unix_s, est_intensity_answer *answer, est_error *err)
{
    est_carbon_source *src = user;
    est_carbon_window *w = NULL;
    const est_carbon_summary *s;
    int rc;
    if (!src || !answer)
        return est__fail(err, EST_EINVAL, "est_carbon_intensity: NULL argument");
    rc = est_carbon_source_window(&w, src, zone, start_unix_s, end_unix_s, err);
    if (w) {
        est_carbon_window_free(src->last);
        src->last = w;
    }
    if (rc)
        return rc;
    s = &w->sum;
    if (s->status == EST_CARBON_FALLBACK)
        return est__fail(err, s->fallback_code, "%s", s->fallback_reason);
    answer->points = w->series.points;
    answer->n_points = w->series.n_points;
    est__strlcpy(answer->source, s->source, sizeof answer->source);
    if (s->factors[0])
        est__snprintf_c(answer->detail, sizeof answer->detail, "factors %s", s->factors);
    if (answer->version >= 2 && w->series.n_water_points) {
        answer->water_points = w->series.water_points;
        answer->n_water_points = w->series.n_water_points;
    }
    return EST_OK;
}
