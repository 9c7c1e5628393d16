/* est_carbon_fetch: a window's intensity series, day by day, from the cache
 * or a provider. */
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carbon_internal.h"

#define RTE_RECENT_DAYS 85      /* eco2mix-national-tr holds about 90 days */
#define EM_MAX_DAYS_PER_REQUEST 10
#define FINAL_AFTER_S (7.0 * EST__DAY_S) /* a day this old is not refetched */
#define CACHE_FILE_MAX (8u * 1024u * 1024u)
#define RTE_PAGE_ROWS 100       /* the Explore API's largest limit */
#define RTE_PAGES_MAX 30        /* a day of 1-minute rows would need 15 */
#define RTE_DAY_ROWS_MAX (RTE_PAGES_MAX * RTE_PAGE_ROWS) /* rows kept a day */
/* An answer of RTE_PAGE_ROWS rows is about 60 KB (a row about 600 bytes):
   a page larger than this is refused before it is parsed, so that a
   hostile server cannot make the parser hold millions of rows. */
#define RTE_PAGE_BYTES_MAX (2u * 1024u * 1024u)

typedef struct day_slot {
    long day;
    double d0;
    est_carbon_day_origin origin;
    int complete;
    int need_fetch;
    int have;                /* records parsed into ci/taux */
    double fetched_unix_s;
    char dataset[48];
    ecar_points ci, taux, water;
    size_t partial;
    size_t dups;             /* duplicate times dropped */
    int failed;              /* the fetch of this day failed */
    char error[EST_CARBON_NOTE_SIZE];
} day_slot;

typedef struct fetch_ctx {
    const est_carbon_options *o;
    est_carbon_series *out;
    ecar_http http;
    char base[1024];
    char auth[600];
    double now;
    int first_rc;            /* the first day that failed: its code, */
    char first_error[EST_ERROR_MESSAGE_MAX]; /* and its message */
    int extra_rows;          /* a page held more rows than asked for */
    int cache_rc;            /* the first cache file ignored: its code, */
    char cache_error[EST_ERROR_MESSAGE_MAX]; /* and why */
    int abort_rc;            /* a failure that ends the fetch (token refused,
                                no connection): the days after get it too */
    char abort_error[EST_ERROR_MESSAGE_MAX];
} fetch_ctx;

static void add_note(est_carbon_series *s, const char *secret, const char *fmt, ...)
    ECAR_PRINTF(3, 4);

static void add_note(est_carbon_series *s, const char *secret, const char *fmt, ...)
{
    va_list ap;
    if (s->n_notes >= EST_CARBON_NOTES_MAX)
        return;
    va_start(ap, fmt);
    est__vsnprintf_c(s->notes[s->n_notes], EST_CARBON_NOTE_SIZE, fmt, ap);
    va_end(ap);
    ecar_scrub(s->notes[s->n_notes], EST_CARBON_NOTE_SIZE, secret);
    s->n_notes++;
}

/* est_carbon_series_clear: summary.c (no network) */

static void iso_of(double t, char *buf, size_t size)
{
    if (est_format_time(buf, size, t) != EST_OK)
        snprintf(buf, size, "?");
}

/* Parses a day's records into the slot's points. The slot keeps what it
 * held (e.g. a cached copy) unless the records parse. */
static int parse_slot(const fetch_ctx *c, day_slot *s, const cJSON *records, est_error *err)
{
    ecar_points ci = {NULL, 0, 0}, taux = {NULL, 0, 0}, water = {NULL, 0, 0};
    size_t partial = 0, dups = 0;
    int rc;
    if (c->o->provider == EST_CARBON_PROVIDER_RTE)
        rc = ecar_rte_parse_day(records, s->d0, c->o->factors, c->o->water_factors, &ci, &taux,
                                &water, &partial, &dups, err);
    else
        rc = ecar_em_parse_day(records, s->d0, &ci, &dups, err);
    if (rc) {
        free(ci.p);
        free(taux.p);
        free(water.p);
        return rc;
    }
    free(s->ci.p);
    free(s->taux.p);
    free(s->water.p);
    s->ci = ci;
    s->taux = taux;
    s->water = water;
    s->partial = partial;
    s->dups = dups;
    return EST_OK;
}

/* The part of the window in the slot's day. */
static void window_in_day(const fetch_ctx *c, const day_slot *s, double *a, double *b)
{
    *a = c->o->start_unix_s > s->d0 ? c->o->start_unix_s : s->d0;
    *b = c->o->end_unix_s < s->d0 + EST__DAY_S ? c->o->end_unix_s : s->d0 + EST__DAY_S;
}

/* The slot's points cover the window's part of its day (>= 99.9 %). */
static int covers_window(const fetch_ctx *c, const day_slot *s)
{
    est_intensity_stats st;
    double a, b;
    window_in_day(c, s, &a, &b);
    return b > a && est_intensity_mean(&st, s->ci.p, s->ci.n, a, b, NULL) == EST_OK &&
           st.coverage_frac >= 0.999;
}

/* A fetched day is final when it was over by the time it was fetched and
 * its data cover it, or when it was fetched long after its end. */
static int day_complete(const day_slot *s)
{
    est_intensity_stats st;
    double d1 = s->d0 + EST__DAY_S;
    if (s->fetched_unix_s < d1)
        return 0;
    if (s->fetched_unix_s >= d1 + FINAL_AFTER_S && s->ci.n > 0)
        return 1;
    if (est_intensity_mean(&st, s->ci.p, s->ci.n, s->d0, d1, NULL) != EST_OK)
        return 0;
    return st.coverage_frac >= 0.999;
}

/* A cache file that cannot be used: a note, and the first one is kept for
 * the error of a fetch that ends with no data (so that the warning is not
 * lost, e.g. offline). */
static void cache_ignored(fetch_ctx *c, int rc, const char *fmt, ...) ECAR_PRINTF(3, 4);
static void cache_ignored(fetch_ctx *c, int rc, const char *fmt, ...)
{
    char msg[EST_CARBON_NOTE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    est__vsnprintf_c(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_note(c->out, c->o->token, "%s", msg);
    if (!c->cache_rc) {
        c->cache_rc = rc;
        snprintf(c->cache_error, sizeof c->cache_error, "%s", msg);
    }
}

/* Reads a day from the cache. 1: got it; 0: none (or unusable, noted). */
static int read_cached(fetch_ctx *c, day_slot *s, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    cJSON *doc = NULL;
    const cJSON *f;
    char day[16];
    est_error e;
    int ok = 0;
    int rc = est__read_file(path, CACHE_FILE_MAX, &data, &len, &e);
    if (rc == EST_ENOENT)
        return 0;
    if (rc) {
        /* e.message names the path: "PATH: not a regular file" */
        cache_ignored(c, rc, "ignored the cache file %s", e.message);
        return 0;
    }
    ecar_day_name(s->day, day, sizeof day);
    doc = cJSON_ParseWithLength(data, len);
    free(data);
    if (!doc || !cJSON_IsObject(doc))
        goto bad;
    f = cJSON_GetObjectItemCaseSensitive(doc, "provider");
    if (!cJSON_IsString(f) || strcmp(f->valuestring, est_carbon_provider_name(c->o->provider)) != 0)
        goto bad;
    f = cJSON_GetObjectItemCaseSensitive(doc, "zone");
    if (!cJSON_IsString(f) || est__strcasecmp_ascii(f->valuestring, c->o->zone) != 0)
        goto bad;
    f = cJSON_GetObjectItemCaseSensitive(doc, "date");
    if (!cJSON_IsString(f) || strcmp(f->valuestring, day) != 0)
        goto bad;
    f = cJSON_GetObjectItemCaseSensitive(doc, "fetched_unix_s");
    if (!cJSON_IsNumber(f) || !isfinite(f->valuedouble))
        goto bad;
    s->fetched_unix_s = f->valuedouble;
    f = cJSON_GetObjectItemCaseSensitive(doc, "dataset");
    if (cJSON_IsString(f))
        snprintf(s->dataset, sizeof s->dataset, "%s", f->valuestring);
    f = cJSON_GetObjectItemCaseSensitive(doc, "records");
    if (!cJSON_IsArray(f) || parse_slot(c, s, f, &e) != EST_OK)
        goto bad;
    s->complete = day_complete(s);
    s->have = 1;
    ok = 1;
    cJSON_Delete(doc);
    return ok;
bad:
    cJSON_Delete(doc);
    cache_ignored(c, EST_EPARSE, "ignored the unreadable cache file %s", path);
    return 0;
}

/* Stores a fetched day in the cache; a failure is a note, not an error. */
static void write_cached(fetch_ctx *c, const day_slot *s, cJSON *records)
{
    char path[4096], day[16];
    cJSON *doc;
    char *text;
    est_error e;
    if (!c->o->cache_dir)
        return;
    if (est_carbon_cache_path(path, sizeof path, c->o->cache_dir, c->o->provider, c->o->zone,
                              s->day, &e) != EST_OK) {
        add_note(c->out, c->o->token, "not cached: %s", e.message);
        return;
    }
    ecar_day_name(s->day, day, sizeof day);
    doc = cJSON_CreateObject();
    if (!doc)
        return;
    cJSON_AddNumberToObject(doc, "ecoest_cache_version", 1);
    cJSON_AddStringToObject(doc, "provider", est_carbon_provider_name(c->o->provider));
    cJSON_AddStringToObject(doc, "zone", c->o->zone);
    cJSON_AddStringToObject(doc, "date", day);
    cJSON_AddNumberToObject(doc, "fetched_unix_s", s->fetched_unix_s);
    cJSON_AddBoolToObject(doc, "complete", s->complete);
    if (s->dataset[0])
        cJSON_AddStringToObject(doc, "dataset", s->dataset);
    cJSON_AddItemReferenceToObject(doc, "records", records);
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text) {
        add_note(c->out, c->o->token, "not cached: out of memory");
        return;
    }
    if (c->o->token && *c->o->token && strstr(text, c->o->token)) {
        /* the server echoed the token into the data: never on disk */
        add_note(c->out, c->o->token, "day %s not cached: the answer holds the token", day);
        free(text);
        return;
    }
    if (est_carbon_cache_write(path, text, strlen(text), &e) != EST_OK)
        add_note(c->out, c->o->token, "not cached: %s", e.message);
    free(text);
}

/* A day whose fetch failed: its cached copy, if any, stands in (with a
 * note); else it has no data. The first failure is kept for the error of a
 * fetch where no day has data. */
static void day_failed(fetch_ctx *c, day_slot *s, int rc, const char *msg)
{
    char day[16];
    ecar_day_name(s->day, day, sizeof day);
    s->failed = 1;
    snprintf(s->error, sizeof s->error, "%s", msg);
    ecar_scrub(s->error, sizeof s->error, c->o->token);
    if (!c->first_rc) {
        c->first_rc = rc;
        snprintf(c->first_error, sizeof c->first_error, "%s (day %s)", msg, day);
    }
    if (s->have) {
        char when[32];
        iso_of(s->fetched_unix_s, when, sizeof when);
        s->origin = EST_CARBON_DAY_CACHE;
        add_note(c->out, c->o->token, "day %s: the fetch failed (%s); using the copy cached "
                 "at %s", day, msg, when);
    } else {
        s->origin = EST_CARBON_DAY_MISSING;
        add_note(c->out, c->o->token, "no data for day %s: %s", day, msg);
    }
}

/* After a refused token or a failed connection the other days would fail
 * the same way: they are not tried. */
static void maybe_abort(fetch_ctx *c, int rc, const char *msg)
{
    if (rc != EST_EAUTH && rc != EST_ENET && rc != EST_EINVAL && rc != EST_ENOMEM)
        return;
    c->abort_rc = rc;
    snprintf(c->abort_error, sizeof c->abort_error, "not tried after: %s", msg);
}

/* A day fetched from the network: parse, decide completeness, cache. An
 * answer that holds fewer points for the day than the copy already cached
 * (no rows, fewer rows, another day's rows) does not replace it: the cached
 * copy stays, in the series and on disk (a note says so). */
static int take_fetched(fetch_ctx *c, day_slot *s, cJSON *records, est_error *err)
{
    int rc;
    if (s->have) {
        day_slot fresh = *s;
        fresh.ci.p = fresh.taux.p = fresh.water.p = NULL;
        fresh.ci.n = fresh.ci.cap = fresh.taux.n = fresh.taux.cap = 0;
        fresh.water.n = fresh.water.cap = 0;
        rc = parse_slot(c, &fresh, records, err);
        if (rc)
            return rc;
        if (fresh.ci.n < s->ci.n) {
            char day[16];
            ecar_day_name(s->day, day, sizeof day);
            add_note(c->out, c->o->token,
                     "day %s: the new answer holds %zu point%s, fewer than the %zu cached; "
                     "kept the cached copy", day, fresh.ci.n, fresh.ci.n == 1 ? "" : "s",
                     s->ci.n);
            free(fresh.ci.p);
            free(fresh.taux.p);
            free(fresh.water.p);
            s->origin = EST_CARBON_DAY_CACHE;
            return EST_OK;
        }
        free(s->ci.p);
        free(s->taux.p);
        free(s->water.p);
        s->ci = fresh.ci;
        s->taux = fresh.taux;
        s->water = fresh.water;
        s->partial = fresh.partial;
        s->dups = fresh.dups;
    } else if ((rc = parse_slot(c, s, records, err)) != 0) {
        return rc;
    }
    s->fetched_unix_s = c->now;
    s->complete = day_complete(s);
    s->have = 1;
    s->origin = EST_CARBON_DAY_NETWORK;
    write_cached(c, s, records);
    return EST_OK;
}

/* ---- RTE ---- */

/* Keeps the first max items of an array, in O(max): a page holds at most
 * the rows asked for (limit). 1 when items were dropped. */
static int cap_rows(cJSON *arr, int max)
{
    cJSON *it = arr->child, *rest;
    int k;
    for (k = 1; it && k < max; k++)
        it = it->next;
    if (!it || !it->next)
        return 0;
    rest = it->next;
    it->next = NULL;
    arr->child->prev = it;
    rest->prev = NULL;
    cJSON_Delete(rest); /* rest and every item after it */
    return 1;
}

/* Parsing counts against the fetch's budget too. */
static int budget_left(const fetch_ctx *c, const char *dataset, est_error *err)
{
    if (ecar_mono_s() < c->http.deadline_mono_s)
        return EST_OK;
    return est__fail(err, EST_ETIMEOUT, "RTE: the %g s budget ran out while reading dataset %s",
                     c->http.budget_s, dataset);
}

/* One page of a day's rows from a dataset: its "results" (detached) and
 * total_count (-1 when absent). */
static int rte_page(fetch_ctx *c, const char *dataset, const char *esc, int offset,
                    cJSON **results, double *total, est_error *err)
{
    char url[2048], off[32] = "";
    cJSON *doc = NULL, *res, *tc;
    int rc;
    if (offset > 0)
        snprintf(off, sizeof off, "&offset=%d", offset);
    if (snprintf(url, sizeof url,
                 "%s/api/explore/v2.1/catalog/datasets/%s/records?where=%s"
                 "&order_by=date_heure&limit=%d%s&timezone=UTC",
                 c->base, dataset, esc, RTE_PAGE_ROWS, off) >= (int)sizeof url)
        return est__fail(err, EST_EINVAL, "RTE: base URL too long");
    c->http.body_max = RTE_PAGE_BYTES_MAX;
    rc = ecar_http_get_json(&c->http, url, &doc, err);
    c->http.body_max = 0;
    if (rc)
        return rc;
    tc = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "total_count") : NULL;
    *total = cJSON_IsNumber(tc) && isfinite(tc->valuedouble) && tc->valuedouble >= 0.0
                 ? tc->valuedouble : -1.0;
    res = cJSON_IsObject(doc) ? cJSON_DetachItemFromObjectCaseSensitive(doc, "results") : NULL;
    cJSON_Delete(doc);
    if (!cJSON_IsArray(res)) {
        cJSON_Delete(res);
        return est__fail(err, EST_EPARSE,
                         "RTE: unexpected JSON from dataset %s: no \"results\" array", dataset);
    }
    if (cap_rows(res, RTE_PAGE_ROWS))
        c->extra_rows = 1;
    if ((rc = budget_left(c, dataset, err)) != 0) {
        cJSON_Delete(res);
        return rc;
    }
    *results = res;
    return EST_OK;
}

/* All rows of the day [d0, d0 + 1 day) of a dataset: the first page, then,
 * while total_count says there are more, the next pages (offset). */
static int rte_get(fetch_ctx *c, const char *dataset, double d0, cJSON **results,
                   est_error *err)
{
    char from[32], to[32], where[160], esc[480];
    cJSON *all = NULL;
    double total;
    int rc, pages = 1, got;
    iso_of(d0, from, sizeof from);
    iso_of(d0 + EST__DAY_S, to, sizeof to);
    snprintf(where, sizeof where, "date_heure >= date'%s' AND date_heure < date'%s'", from, to);
    if (ecar_url_escape(where, esc, sizeof esc))
        return est__fail(err, EST_EINVAL, "RTE: query too long");
    rc = rte_page(c, dataset, esc, 0, &all, &total, err);
    if (rc)
        return rc;
    if (total > (double)RTE_DAY_ROWS_MAX) {
        cJSON_Delete(all);
        return est__fail(err, EST_EPARSE,
                         "RTE: dataset %s announces %.0f rows for the day; ecoest reads "
                         "at most %d (%d pages of %d)", dataset, total, RTE_DAY_ROWS_MAX,
                         RTE_PAGES_MAX, RTE_PAGE_ROWS);
    }
    got = cJSON_GetArraySize(all);
    while (total > (double)got) {
        cJSON *more = NULL, *it;
        double t2;
        int n;
        if (pages >= RTE_PAGES_MAX) {
            cJSON_Delete(all);
            return est__fail(err, EST_EPARSE,
                             "RTE: dataset %s announces %.0f rows for the day; ecoest reads "
                             "at most %d pages of %d", dataset, total, RTE_PAGES_MAX,
                             RTE_PAGE_ROWS);
        }
        rc = rte_page(c, dataset, esc, got, &more, &t2, err);
        pages++;
        if (rc) {
            cJSON_Delete(all);
            return rc;
        }
        n = cJSON_GetArraySize(more);
        if (n == 0) {
            cJSON_Delete(more);
            cJSON_Delete(all);
            return est__fail(err, EST_EPARSE,
                             "RTE: dataset %s announced %.0f rows for the day but answered "
                             "%d (a short answer: the day is not used)", dataset, total, got);
        }
        while ((it = cJSON_DetachItemFromArray(more, 0)) != NULL)
            cJSON_AddItemToArray(all, it);
        cJSON_Delete(more);
        got += n;
    }
    *results = all;
    return EST_OK;
}

static int rte_fetch_day(fetch_ctx *c, day_slot *s, est_error *err)
{
    static const char *const tr = "eco2mix-national-tr", *const def = "eco2mix-national-cons-def";
    const char *first = s->d0 >= c->now - RTE_RECENT_DAYS * EST__DAY_S ? tr : def;
    const char *second = first == tr ? def : tr;
    cJSON *results = NULL;
    int rc = rte_get(c, first, s->d0, &results, err);
    snprintf(s->dataset, sizeof s->dataset, "%s", first);
    if (!rc && cJSON_GetArraySize(results) == 0 && s->d0 + EST__DAY_S <= c->now) {
        /* the other dataset may hold the day (the real-time one reaches
           back about 90 days, the consolidated one not up to today) */
        cJSON_Delete(results);
        results = NULL;
        rc = rte_get(c, second, s->d0, &results, err);
        snprintf(s->dataset, sizeof s->dataset, "%s", second);
    }
    if (!rc)
        rc = take_fetched(c, s, results, err);
    cJSON_Delete(results);
    return rc;
}

/* ---- Electricity Maps ---- */

static int em_fetch_group(fetch_ctx *c, day_slot *slots, size_t n, est_error *err)
{
    char url[2048], zone[96], from[32], to[32];
    const char *key;
    double wstart = slots[0].d0 > c->o->start_unix_s ? slots[0].d0 : c->o->start_unix_s;
    cJSON *doc = NULL, *data;
    size_t k;
    int rc;
    if (ecar_url_escape(c->o->zone, zone, sizeof zone))
        return est__fail(err, EST_EINVAL, "Electricity Maps: zone too long");
    if (wstart >= c->now - EST__DAY_S + 60.0) {
        /* everything needed is in the last 24 h: the free tier's endpoint */
        key = "history";
        snprintf(url, sizeof url, "%s/carbon-intensity/history?zone=%s", c->base, zone);
    } else {
        key = "data";
        iso_of(slots[0].d0, from, sizeof from);
        iso_of(slots[n - 1].d0 + EST__DAY_S, to, sizeof to);
        snprintf(url, sizeof url, "%s/carbon-intensity/past-range?zone=%s&start=%s&end=%s",
                 c->base, zone, from, to);
    }
    rc = ecar_http_get_json(&c->http, url, &doc, err);
    if (rc)
        return rc;
    data = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, key) : NULL;
    if (!cJSON_IsArray(data)) {
        cJSON_Delete(doc);
        return est__fail(err, EST_EPARSE,
                         "Electricity Maps: unexpected JSON from /carbon-intensity/%s: no "
                         "\"%s\" array",
                         key[0] == 'h' ? "history" : "past-range", key);
    }
    for (k = 0; k < n && !rc; k++) {
        cJSON *day = cJSON_CreateArray(), *it;
        size_t i = 0;
        est_error de;
        int drc;
        if (!day) {
            rc = est__fail(err, EST_ENOMEM, "out of memory");
            break;
        }
        cJSON_ArrayForEach(it, data) {
            const cJSON *dt = cJSON_IsObject(it) ? cJSON_GetObjectItemCaseSensitive(it, "datetime")
                                                 : NULL;
            double t;
            if (!cJSON_IsString(dt) || est_parse_time(&t, dt->valuestring, NULL) != EST_OK) {
                rc = est__fail(err, EST_EPARSE,
                               "Electricity Maps: record %zu: expected an object with an ISO "
                               "8601 \"datetime\"", i);
                break;
            }
            if (t >= slots[k].d0 && t < slots[k].d0 + EST__DAY_S)
                cJSON_AddItemToArray(day, cJSON_Duplicate(it, 1));
            i++;
        }
        if (!rc && (drc = take_fetched(c, &slots[k], day, &de)) != 0)
            day_failed(c, &slots[k], drc, de.message); /* the other days go on */
        cJSON_Delete(day);
    }
    cJSON_Delete(doc);
    return rc;
}

/* ---- the fetch ---- */

static int check_options(const est_carbon_options *o, est_error *err)
{
    if (!o)
        return est__fail(err, EST_EINVAL, "est_carbon_fetch: options are required");
    if (o->version < 1 || o->version > EST_CARBON_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_carbon_fetch: options version %u is not "
                         "supported (1..%u)", o->version, (unsigned)EST_CARBON_OPTIONS_VERSION);
    if (o->provider != EST_CARBON_PROVIDER_RTE && o->provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS)
        return est__fail(err, EST_EINVAL, "est_carbon_fetch: no provider");
    if (!(o->zone && ecar_zone_code_valid(o->zone, strlen(o->zone))))
        return est__fail(err, EST_EINVAL, "est_carbon_fetch: invalid zone code");
    if (o->provider == EST_CARBON_PROVIDER_RTE && est__strcasecmp_ascii(o->zone, "FR") != 0)
        return est__fail(err, EST_EINVAL, "RTE eco2mix covers France only (zone FR), not %s",
                         o->zone);
    if (o->provider == EST_CARBON_PROVIDER_RTE && !o->factors)
        return est__fail(err, EST_EINVAL, "RTE: an emission factor set is required");
    if (!isfinite(o->start_unix_s) || !isfinite(o->end_unix_s) ||
        !(o->end_unix_s > o->start_unix_s))
        return est__fail(err, EST_EINVAL, "the window's end must be after its start");
    if (o->start_unix_s < 0.0 || o->end_unix_s > 253402300799.0)
        return est__fail(err, EST_EINVAL, "the window must lie between 1970 and 9999");
    if (est_intensity_days_in_window(o->start_unix_s, o->end_unix_s) > EST_CARBON_MAX_DAYS)
        return est__fail(err, EST_EINVAL, "the window spans more than %d days",
                         EST_CARBON_MAX_DAYS);
    if (!(o->timeout_s >= 0.0) || !isfinite(o->timeout_s) || !(o->connect_timeout_s >= 0.0) ||
        !isfinite(o->connect_timeout_s))
        return est__fail(err, EST_EINVAL, "timeouts must be finite numbers >= 0");
    if (!(o->now_unix_s >= 0.0) || !isfinite(o->now_unix_s))
        return est__fail(err, EST_EINVAL, "now must be a finite time");
    return EST_OK;
}

static int assemble(fetch_ctx *c, day_slot *slots, size_t n)
{
    est_carbon_series *out = c->out;
    size_t i, nci = 0, ntx = 0, nwa = 0;
    for (i = 0; i < n; i++) {
        nci += slots[i].ci.n;
        ntx += slots[i].taux.n;
        nwa += slots[i].water.n;
    }
    out->points = nci ? malloc(nci * sizeof *out->points) : NULL;
    out->provider_points = ntx ? malloc(ntx * sizeof *out->provider_points) : NULL;
    out->water_points = nwa ? malloc(nwa * sizeof *out->water_points) : NULL;
    out->days = calloc(n, sizeof *out->days);
    if ((nci && !out->points) || (ntx && !out->provider_points) ||
        (nwa && !out->water_points) || !out->days)
        return EST_ENOMEM;
    for (i = 0; i < n; i++) {
        day_slot *s = &slots[i];
        est_carbon_day *d = &out->days[i];
        if (s->ci.n)
            memcpy(out->points + out->n_points, s->ci.p, s->ci.n * sizeof *s->ci.p);
        out->n_points += s->ci.n;
        if (s->taux.n)
            memcpy(out->provider_points + out->n_provider_points, s->taux.p,
                   s->taux.n * sizeof *s->taux.p);
        out->n_provider_points += s->taux.n;
        if (s->water.n)
            memcpy(out->water_points + out->n_water_points, s->water.p,
                   s->water.n * sizeof *s->water.p);
        out->n_water_points += s->water.n;
        out->n_partial_records += s->partial;
        d->days_since_epoch = s->day;
        d->origin = s->origin;
        d->complete = s->complete;
        d->n_points = s->ci.n;
        d->fetch_failed = s->failed;
        d->n_duplicates = s->dups;
        snprintf(d->error, sizeof d->error, "%s", s->error);
        out->n_duplicates += s->dups;
        if (s->failed && !s->have)
            out->n_days_failed++;
        if (s->dups) {
            char day[16];
            ecar_day_name(s->day, day, sizeof day);
            add_note(out, c->o->token, "day %s: %zu duplicate time%s in the provider's data; "
                     "the first value of each was kept", day, s->dups, s->dups == 1 ? "" : "s");
        }
        if (s->origin == EST_CARBON_DAY_NETWORK)
            out->n_days_from_network++;
        else if (s->origin == EST_CARBON_DAY_CACHE)
            out->n_days_from_cache++;
    }
    out->n_days = n;
    return EST_OK;
}

int est_carbon_fetch(est_carbon_series *out, const est_carbon_options *opts, est_error *err)
{
    est_carbon_options ov = EST_CARBON_OPTIONS_INIT;
    const est_carbon_options *o = opts;
    fetch_ctx c;
    day_slot *slots = NULL;
    size_t n, i;
    long first;
    int rc;
    char ua[64];

    if (!out)
        return est__fail(err, EST_EINVAL, "est_carbon_fetch: out is NULL");
    memset(out, 0, sizeof *out);
    if ((rc = check_options(opts, err)) != 0)
        return rc;
    /* a version 1 struct ends before water_factors: copied up to its end */
    memcpy(&ov, opts, opts->version == 1 ? offsetof(est_carbon_options, water_factors)
                                         : sizeof ov);
    ov.version = EST_CARBON_OPTIONS_VERSION;
    o = &ov;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.out = out;
    c.now = o->now_unix_s > 0.0 ? o->now_unix_s : (double)time(NULL);
    out->provider = o->provider;
    snprintf(out->zone, sizeof out->zone, "%s", o->zone);
    if (o->start_unix_s >= c.now) {
        char a[32], b[32], nw[32];
        iso_of(o->start_unix_s, a, sizeof a);
        iso_of(o->end_unix_s, b, sizeof b);
        iso_of(c.now, nw, sizeof nw);
        return est__fail(err, EST_ENODATA, "the window [%s, %s) lies in the future (now is "
                         "%s): no intensity is published for it yet", a, b, nw);
    }

    {
        const char *base = o->base_url ? o->base_url
                                       : o->provider == EST_CARBON_PROVIDER_RTE
                                             ? EST_CARBON_ODRE_DEFAULT_URL
                                             : EST_CARBON_ELECTRICITYMAPS_DEFAULT_URL;
        const char *label = o->provider == EST_CARBON_PROVIDER_RTE ? "RTE" : "Electricity Maps";
        size_t bl = strlen(base);
        if (!o->offline && (rc = ecar_check_base_url(base, label, err)) != 0)
            return rc;
        while (bl > 0 && base[bl - 1] == '/')
            bl--;
        if (bl >= sizeof c.base)
            return est__fail(err, EST_EINVAL, "%s: base URL too long", label);
        memcpy(c.base, base, bl);
        c.base[bl] = '\0';
        snprintf(ua, sizeof ua, "ecoest/%s", est_version());
        c.http.label = label;
        c.http.budget_s = o->timeout_s > 0.0 ? o->timeout_s : EST_CARBON_DEFAULT_TIMEOUT_S;
        c.http.deadline_mono_s = ecar_mono_s() + c.http.budget_s;
        c.http.connect_timeout_s = o->connect_timeout_s > 0.0
                                       ? o->connect_timeout_s
                                       : EST_CARBON_DEFAULT_CONNECT_TIMEOUT_S;
        c.http.user_agent = o->user_agent ? o->user_agent : ua;
        c.http.secret = o->token;
        if (o->token && *o->token) {
            if (strpbrk(o->token, "\r\n") || strlen(o->token) > 400)
                return est__fail(err, EST_EINVAL, "%s: the token holds a line break or is "
                                 "longer than 400 bytes", label);
            snprintf(c.auth, sizeof c.auth, o->provider == EST_CARBON_PROVIDER_RTE
                                                ? "Authorization: Apikey %s"
                                                : "auth-token: %s", o->token);
            c.http.auth_header = c.auth;
        }
    }

    n = est_intensity_days_in_window(o->start_unix_s, o->end_unix_s);
    first = (long)floor(o->start_unix_s / EST__DAY_S);
    slots = calloc(n, sizeof *slots);
    if (!slots)
        return est__fail(err, EST_ENOMEM, "out of memory");

    for (i = 0; i < n; i++) {
        day_slot *s = &slots[i];
        s->day = first + (long)i;
        s->d0 = (double)s->day * EST__DAY_S;
        s->origin = EST_CARBON_DAY_MISSING;
        if (s->d0 >= c.now)
            continue; /* the future: nothing published */
        if (o->cache_dir) {
            char path[4096];
            if (est_carbon_cache_path(path, sizeof path, o->cache_dir, o->provider, o->zone, s->day,
                                      err) != EST_OK) {
                rc = err ? err->code : EST_EINVAL;
                goto done;
            }
            if (read_cached(&c, s, path)) {
                s->origin = EST_CARBON_DAY_CACHE;
                /* a complete day, or one whose cached points already cover
                   the window's part of it, is not fetched again */
                if (s->complete || o->offline || covers_window(&c, s))
                    continue;
            }
        }
        if (!o->offline)
            s->need_fetch = 1;
    }

    rc = EST_OK;
    if (o->provider == EST_CARBON_PROVIDER_ELECTRICITYMAPS && !o->offline && !c.http.auth_header) {
        c.abort_rc = EST_EAUTH;
        snprintf(c.abort_error, sizeof c.abort_error,
                 "Electricity Maps: no token given (the API needs one)");
    }
    for (i = 0; i < n; i++) {
        est_error e;
        size_t k, j;
        e.message[0] = '\0';
        if (!slots[i].need_fetch)
            continue;
        if (c.abort_rc) {
            day_failed(&c, &slots[i], c.abort_rc, c.abort_error);
            continue;
        }
        if (o->provider == EST_CARBON_PROVIDER_RTE) {
            k = i + 1;
            rc = rte_fetch_day(&c, &slots[i], &e);
        } else {
            k = i;
            while (k < n && slots[k].need_fetch && k - i < EM_MAX_DAYS_PER_REQUEST)
                k++;
            rc = em_fetch_group(&c, &slots[i], k - i, &e);
        }
        if (rc) {
            ecar_scrub(e.message, sizeof e.message, o->token);
            for (j = i; j < k; j++)
                if (slots[j].origin != EST_CARBON_DAY_NETWORK && !slots[j].failed)
                    day_failed(&c, &slots[j], rc, e.message);
            maybe_abort(&c, rc, e.message);
        }
        i = k - 1;
    }
    if (c.extra_rows)
        add_note(out, o->token, "RTE: a page held more rows than the %d asked for; the extra "
                 "rows were dropped", RTE_PAGE_ROWS);
    if (assemble(&c, slots, n)) {
        rc = est__fail(err, EST_ENOMEM, "out of memory");
        goto done;
    }
    rc = EST_OK;
    {
        est_intensity_stats st;
        if (est_intensity_mean(&st, out->points, out->n_points, o->start_unix_s, o->end_unix_s,
                               NULL) != EST_OK ||
            st.n_points == 0) {
            char a[32], b[32];
            iso_of(o->start_unix_s, a, sizeof a);
            iso_of(o->end_unix_s, b, sizeof b);
            if (c.first_rc) /* nothing at all: the source failed */
                rc = est__fail(err, c.first_rc, "%s", c.first_error);
            else if (c.cache_rc) /* the cache had something, unusable */
                rc = est__fail(err, c.cache_rc, "%s; %s: no intensity data for %s in [%s, %s)%s",
                               c.cache_error, c.http.label, o->zone, a, b,
                               o->offline ? " in the cache" : "");
            else
                rc = est__fail(err, EST_ENODATA, "%s: no intensity data for %s in [%s, %s)%s",
                               c.http.label, o->zone, a, b,
                               o->offline ? " in the cache" : "");
        }
    }
done:
    ecar_http_close(&c.http);
    out->n_requests = c.http.n_requests;
    for (i = 0; slots && i < n; i++) {
        free(slots[i].ci.p);
        free(slots[i].taux.p);
        free(slots[i].water.p);
    }
    free(slots);
    if (rc) {
        /* the notes survive a failure: they say why (an ignored cache
           file, the failed days) */
        unsigned nr = out->n_requests;
        size_t nn = out->n_notes;
        char notes[EST_CARBON_NOTES_MAX][EST_CARBON_NOTE_SIZE];
        memcpy(notes, out->notes, sizeof notes);
        est_carbon_series_clear(out);
        out->n_requests = nr;
        memcpy(out->notes, notes, sizeof notes);
        out->n_notes = nn;
        if (err)
            ecar_scrub(err->message, sizeof err->message, o->token);
    }
    return rc;
}
