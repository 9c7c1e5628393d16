/* Totals of jobs, by group. One hash table of groups: memory grows with the
 * groups, never with the jobs. Days and months split a job by the seconds
 * it ran in each. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/jobs.h"
#include "internal.h"

/* The key's length, hash and first bytes come first, in one cache line:
   a lookup compares them there and only reads the rest of a long key. */
#define GROUP_HEAD 40
typedef struct group {
    unsigned long long hash;
    size_t keylen;
    char head[GROUP_HEAD]; /* the key's first bytes */
    char *key;     /* the key strings, NUL-separated, owned */
    est_jobs_group g;
} group;

/* A slot holds part of the hash too, so that a probe touches no group;
   8 bytes, so that the table of 10,000 groups stays in the cache. */
typedef struct slot {
    unsigned idx;  /* group index + 1 */
    unsigned hash; /* the hash's low 32 bits */
} slot;

struct est_jobs_agg {
    est_jobs_agg_options o;
    est_jobs_totals total;
    est_jobs_charts *charts; /* with o.charts */
    est_jobs_agg *users;     /* with o.charts: the sums by user */
    group *groups;
    size_t n, cap;
    slot *table;   /* open addressing; idx 0: empty */
    size_t tcap;
};

int est_jobs_by_parse(unsigned *out_keys, const char *s)
{
    unsigned k = 0;
    if (!s || !out_keys || !*s)
        return EST_EINVAL;
    for (;;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        unsigned bit;
#define IS(w) (n == sizeof(w) - 1 && memcmp(s, w, n) == 0)
        if (IS("user"))
            bit = EST_JOBS_BY_USER;
        else if (IS("account"))
            bit = EST_JOBS_BY_ACCOUNT;
        else if (IS("partition"))
            bit = EST_JOBS_BY_PARTITION;
        else if (IS("state"))
            bit = EST_JOBS_BY_STATE;
        else if (IS("day"))
            bit = EST_JOBS_BY_DAY;
        else if (IS("month"))
            bit = EST_JOBS_BY_MONTH;
        else
            return EST_EINVAL;
#undef IS
        if (k & bit) /* "user,user" */
            return EST_EINVAL;
        k |= bit;
        s += n;
        if (*s != ',')
            break;
        s++; /* an empty key after it ("user,") is refused above */
    }
    if ((k & EST_JOBS_BY_DAY) && (k & EST_JOBS_BY_MONTH))
        return EST_EINVAL;
    *out_keys = k;
    return EST_OK;
}

int est_jobs_agg_open(est_jobs_agg **ap, const est_jobs_agg_options *opts, est_error *err)
{
    est_jobs_agg_options o = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    if (!ap)
        return est__fail(err, EST_EINVAL, "no aggregate pointer given");
    *ap = NULL;
    if (opts) {
        if (opts->version < 1 || opts->version > EST_JOBS_AGG_OPTIONS_VERSION)
            return est__fail(err, EST_EINVAL, "aggregate options version %u is not supported",
                             opts->version);
        if (opts->version == 1) {
            o.keys = opts->keys;
            o.day_utc_offset_s = opts->day_utc_offset_s;
        } else
            o = *opts;
        o.version = EST_JOBS_AGG_OPTIONS_VERSION;
    }
    if (o.keys & ~63u || ((o.keys & EST_JOBS_BY_DAY) && (o.keys & EST_JOBS_BY_MONTH)))
        return est__fail(err, EST_EINVAL, "keys: unknown keys, or both day and month");
    if (o.day_utc_offset_s > EST_UTC_OFFSET_MAX_S || o.day_utc_offset_s < -EST_UTC_OFFSET_MAX_S)
        return est__fail(err, EST_EINVAL, "day_utc_offset_s: %ld is beyond 26 hours",
                         o.day_utc_offset_s);
    a = calloc(1, sizeof *a);
    if (!a)
        return est__fail(err, EST_ENOMEM, "out of memory");
    a->o = o;
    if (o.charts) {
        est_jobs_agg_options uo = EST_JOBS_AGG_OPTIONS_INIT;
        uo.keys = EST_JOBS_BY_USER;
        a->charts = calloc(1, sizeof *a->charts);
        /* keyed by user alone, the groups are the users' sums */
        if (!a->charts ||
            (o.keys != EST_JOBS_BY_USER && est_jobs_agg_open(&a->users, &uo, err) != 0)) {
            est_jobs_agg_free(a);
            return est__fail(err, EST_ENOMEM, "out of memory");
        }
    }
    *ap = a;
    return EST_OK;
}

void est_jobs_agg_free(est_jobs_agg *a)
{
    size_t i;
    if (!a)
        return;
    for (i = 0; i < a->n; i++)
        free(a->groups[i].key);
    free(a->groups);
    free(a->table);
    free(a->charts);
    est_jobs_agg_free(a->users);
    free(a);
}

static unsigned long long fnv(const char *s, size_t n)
{
    unsigned long long h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    /* mix the high bits into the low ones the table uses */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static int rehash(est_jobs_agg *a, size_t cap)
{
    slot *t = calloc(cap, sizeof *t);
    size_t i;
    if (!t)
        return EST_ENOMEM;
    for (i = 0; i < a->n; i++) {
        size_t k = (size_t)(a->groups[i].hash & (cap - 1));
        while (t[k].idx)
            k = (k + 1) & (cap - 1);
        t[k].idx = (unsigned)(i + 1);
        t[k].hash = (unsigned)a->groups[i].hash;
    }
    free(a->table);
    a->table = t;
    a->tcap = cap;
    return 0;
}

/* Points the group's key fields into its key copy. */
static void set_fields(group *g)
{
    const char *p = g->key;
    const char **f[4];
    f[0] = &g->g.user;
    f[1] = &g->g.account;
    f[2] = &g->g.partition;
    f[3] = &g->g.state;
    for (int i = 0; i < 4; i++) {
        *f[i] = p;
        p += strlen(p) + 1;
    }
    est__strlcpy(g->g.period, p, sizeof g->g.period);
}

/* The group of a key (NUL-separated strings, n bytes); NULL on ENOMEM. */
static est_jobs_totals *find(est_jobs_agg *a, const char *key, size_t n)
{
    unsigned long long h = fnv(key, n);
    size_t k;
    group *g;
    if (a->tcap == 0 && rehash(a, 64))
        return NULL;
    k = (size_t)(h & (a->tcap - 1));
    while (a->table[k].idx) {
        if (a->table[k].hash == (unsigned)h) {
            g = &a->groups[a->table[k].idx - 1];
            if (g->keylen == n &&
                memcmp(g->head, key, n < GROUP_HEAD ? n : GROUP_HEAD) == 0 &&
                (n <= GROUP_HEAD ||
                 memcmp(g->key + GROUP_HEAD, key + GROUP_HEAD, n - GROUP_HEAD) == 0))
                return &g->g.t;
        }
        k = (k + 1) & (a->tcap - 1);
    }
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 64;
        if (nc > 0xffffffffu / 2)
            return NULL; /* 2^31 groups: past what a slot counts */
        group *ng = realloc(a->groups, nc * sizeof *ng);
        if (!ng)
            return NULL;
        a->groups = ng;
        a->cap = nc;
    }
    g = &a->groups[a->n];
    memset(g, 0, sizeof *g);
    g->key = malloc(n);
    if (!g->key)
        return NULL;
    memcpy(g->key, key, n);
    memcpy(g->head, key, n < GROUP_HEAD ? n : GROUP_HEAD);
    g->keylen = n;
    g->hash = h;
    set_fields(g);
    a->table[k].idx = (unsigned)++a->n;
    a->table[k].hash = (unsigned)h;
    if (a->n * 2 > a->tcap && rehash(a, a->tcap * 2))
        return NULL;
    /* the table may have moved the groups: find it again by index */
    return &a->groups[a->n - 1].g.t;
}

static void add_totals(est_jobs_totals *t, const est_job *j, const est_jobs_footprint *fp,
                       double f)
{
    /* the footprint carries the method's reading of the job's usage */
    double h = fp->mem_h * f;
    t->jobs += f;
    t->cpu_h += fp->cpu_h * f;
    t->gpu_h += fp->gpu_h * f;
    t->cpu_used_h += fp->cpu_used_h * f;
    t->mem_req_gbh += fp->mem_req_gb * h;
    t->mem_req_gb += fp->mem_req_gb * f;
    if (fp->mem_used_gb >= 0.0) {
        t->mem_used_gbh += fp->mem_used_gb * h;
        t->mem_req_known_gbh += fp->mem_req_gb * h;
    }
    if (fp->cpu_time_unknown)
        t->cpu_time_unknown_jobs += f;
    if (fp->failed) {
        t->failed_jobs += f;
        t->failed_kwh += fp->energy_kwh * f;
        t->failed_co2e_g += fp->co2e_g * f;
    }
    t->cpu_kwh += fp->cpu_kwh * f;
    t->gpu_kwh += fp->gpu_kwh * f;
    t->memory_kwh += fp->memory_kwh * f;
    t->static_kwh += fp->static_kwh * f;
    t->energy_kwh += fp->energy_kwh * f;
    t->process_kwh += fp->process_kwh * f;
    t->allocation_kwh += fp->allocation_kwh * f;
    t->unused_memory_kwh += fp->unused_memory_kwh * f;
    t->co2e_g += fp->co2e_g * f;
    if (fp->measured_kwh >= 0.0) {
        t->measured_kwh += fp->measured_kwh * f;
        t->estimate_of_measured_kwh += (fp->estimated_kwh >= 0.0 ? fp->estimated_kwh : 0.0) * f;
        if (fp->estimated_process_kwh >= 0.0) {
            t->estimate_of_measured_process_kwh += fp->estimated_process_kwh * f;
            t->estimate_of_measured_allocation_kwh += fp->estimated_allocation_kwh * f;
            t->estimate_of_measured_node_kwh += fp->estimated_node_kwh * f;
        }
        t->measured_jobs += f;
    }
    t->clamped_jobs += fp->cpu_usage_clamped ? f : 0.0;
    t->gpu_assumed_jobs += fp->gpu_usage_assumed ? f : 0.0;
    t->ci_live_jobs += fp->ci_live ? f : 0.0;
    t->ci_fallback_jobs += fp->ci_fallback ? f : 0.0;
    t->node_kwh += fp->node_kwh * f;
    t->embodied_co2e_g += fp->embodied_co2e_g * f;
    if ((unsigned)j->state < EST_JOBS_STATE_COUNT) {
        t->state_jobs[j->state] += f;
        t->state_kwh[j->state] += fp->energy_kwh * f;
        t->state_co2e_g[j->state] += fp->co2e_g * f;
    }
}

/* Writes the key of (job, period) into buf; returns its length or 0 when
   it does not fit. */
static size_t make_key(const est_jobs_agg *a, const est_job *j, const char *period,
                       char *buf, size_t size)
{
    const char *v[5];
    size_t n = 0;
    v[0] = (a->o.keys & EST_JOBS_BY_USER) ? j->user : "";
    v[1] = (a->o.keys & EST_JOBS_BY_ACCOUNT) ? j->account : "";
    v[2] = (a->o.keys & EST_JOBS_BY_PARTITION) ? j->partition : "";
    v[3] = (a->o.keys & EST_JOBS_BY_STATE) ? est_jobs_state_name(j->state) : "";
    v[4] = period;
    for (int i = 0; i < 5; i++) {
        size_t l = strlen(v[i]);
        if (n + l + 1 > size)
            return 0;
        memcpy(buf + n, v[i], l + 1);
        n += l + 1;
    }
    return n;
}

#if defined(__GNUC__)
#define PREFETCH_W(p) __builtin_prefetch((p), 1)
#else
#define PREFETCH_W(p) ((void)(p))
#endif

/* Loads the table slot of job's key and the group it points to (the first
   whose 32-bit hash matches: a hint only, nothing is compared). */
static void prefetch_one(const est_jobs_agg *a, const est_job *j)
{
    char key[4 * EST_JOB_FIELD_MAX + 32];
    size_t n, k;
    unsigned long long h;
    if (a->tcap == 0 || (n = make_key(a, j, "", key, sizeof key)) == 0)
        return;
    h = fnv(key, n);
    k = (size_t)(h & (a->tcap - 1));
    while (a->table[k].idx) {
        if (a->table[k].hash == (unsigned)h) {
            const group *g = &a->groups[a->table[k].idx - 1];
            PREFETCH_W(g);
            PREFETCH_W(&g->g.t.jobs);
            PREFETCH_W(&g->g.t.energy_kwh);
            PREFETCH_W(&g->g.t.state_jobs[(unsigned)j->state % EST_JOBS_STATE_COUNT]);
            PREFETCH_W(&g->g.t.state_kwh[(unsigned)j->state % EST_JOBS_STATE_COUNT]);
            return;
        }
        k = (k + 1) & (a->tcap - 1);
    }
}

void est_jobs_agg_prefetch(const est_jobs_agg *a, const est_job *j)
{
    if (!a || !j)
        return;
    if (a->o.keys && !(a->o.keys & (EST_JOBS_BY_DAY | EST_JOBS_BY_MONTH)))
        prefetch_one(a, j);
    if (a->users)
        prefetch_one(a->users, j);
}

static int add_one(est_jobs_agg *a, const est_job *j, const est_jobs_footprint *fp,
                   const char *period, double f)
{
    char key[4 * EST_JOB_FIELD_MAX + 32];
    size_t n = make_key(a, j, period, key, sizeof key);
    est_jobs_totals *t = find(a, key, n);
    if (!t)
        return EST_ENOMEM;
    add_totals(t, j, fp, f);
    return 0;
}

static void period_name(const est_jobs_agg *a, long day, char *buf, size_t size)
{
    int y;
    unsigned m, d;
    est_civil_from_days(&y, &m, &d, day);
    if (a->o.keys & EST_JOBS_BY_DAY)
        est__snprintf_c(buf, size, "%04d-%02u-%02u", y, m, d);
    else
        est__snprintf_c(buf, size, "%04d-%02u", y, m);
}

/* The first day of the period after the one holding day. */
static long next_period(const est_jobs_agg *a, long day)
{
    int y;
    unsigned m, d;
    if (a->o.keys & EST_JOBS_BY_DAY)
        return day + 1;
    est_civil_from_days(&y, &m, &d, day);
    return m == 12 ? est_days_from_civil(y + 1, 1, 1) : est_days_from_civil(y, m + 1, 1);
}

double est_jobs_chart_log_edge(unsigned i)
{
    return EST_JOBS_CHART_LOG_MIN_KWH *
           pow(10.0, (double)i / (double)EST_JOBS_CHART_LOG_PER_DECADE);
}

double est_jobs_chart_frac_edge(unsigned i)
{
    return i >= EST_JOBS_CHART_BINS ? 1.0 : (double)i / EST_JOBS_CHART_BINS;
}

/* The linear bin of a fraction in 0..1 (1 in the last bin). */
static unsigned frac_bin(double f)
{
    double b = floor(f * EST_JOBS_CHART_BINS);
    if (!(b >= 0.0))
        return 0;
    return b >= EST_JOBS_CHART_BINS ? EST_JOBS_CHART_BINS - 1 : (unsigned)b;
}

/* The log bin of v > 0; *outside set when v is beyond the edges. */
static unsigned log_bin(double v, int *outside)
{
    /* small epsilon: a value on an edge (10^-2 computed as 0.01) stays in
       the bin the edge opens, despite log10's rounding */
    double b = floor((log10(v) - log10(EST_JOBS_CHART_LOG_MIN_KWH)) *
                         EST_JOBS_CHART_LOG_PER_DECADE + 1e-9);
    if (b < 0.0) {
        *outside = 1;
        return 0;
    }
    if (b >= EST_JOBS_CHART_LOG_BINS) {
        *outside = 1;
        return EST_JOBS_CHART_LOG_BINS - 1;
    }
    return (unsigned)b;
}

static void add_charts(est_jobs_charts *c, const est_job *j, const est_jobs_footprint *fp)
{
    double e = fp->energy_kwh;
    if ((double)j->ncpus * j->elapsed_s > 0.0) { /* it ran */
        unsigned b = frac_bin(fp->cpu_usage_frac);
        c->cpu_eff_jobs[b]++;
        c->cpu_eff_kwh[b] += e;
    }
    if (fp->mem_used_gb >= 0.0 && fp->mem_req_gb > 0.0) {
        double f = fp->mem_used_gb / fp->mem_req_gb;
        if (f > 1.0) {
            c->mem_frac_overflow_jobs++;
            c->mem_frac_overflow_kwh += e;
        } else {
            unsigned b = frac_bin(f);
            c->mem_frac_jobs[b]++;
            c->mem_frac_kwh[b] += e;
        }
    }
    if (fp->measured_kwh >= 0.0 && fp->estimated_kwh >= 0.0) {
        if (!(fp->measured_kwh > 0.0) || !(fp->estimated_kwh > 0.0))
            c->mve_zero_jobs++;
        else {
            int out = 0;
            unsigned x = log_bin(fp->estimated_kwh, &out), y = log_bin(fp->measured_kwh, &out);
            c->mve_counts[x][y]++;
            c->mve_outside_jobs += out ? 1u : 0u;
        }
    }
}

const est_jobs_charts *est_jobs_agg_charts(const est_jobs_agg *a)
{
    return a ? a->charts : NULL;
}

/* 1 when group x comes before y in the top users: more energy, then name. */
static int user_before(const group *x, const group *y)
{
    if (x->g.t.energy_kwh != y->g.t.energy_kwh)
        return x->g.t.energy_kwh > y->g.t.energy_kwh;
    return strcmp(x->g.user, y->g.user) < 0;
}

size_t est_jobs_agg_top_users(est_jobs_user_total *out, size_t max, const est_jobs_agg *a)
{
    const group *top[EST_JOBS_TOP_USERS * 4];
    size_t n = 0, i, k;
    const est_jobs_agg *u;
    if (!a || !a->charts || !out)
        return 0;
    u = a->users ? a->users : a;
    if (max > sizeof top / sizeof top[0])
        max = sizeof top / sizeof top[0];
    /* one pass, insertion into the max best so far: O(users x max) */
    for (i = 0; i < u->n; i++) {
        const group *g = &u->groups[i];
        if (n == max && (max == 0 || !user_before(g, top[n - 1])))
            continue;
        k = n < max ? n++ : n - 1;
        while (k > 0 && user_before(g, top[k - 1])) {
            top[k] = top[k - 1];
            k--;
        }
        top[k] = g;
    }
    for (i = 0; i < n; i++) {
        est__strlcpy(out[i].user, top[i]->g.user, sizeof out[i].user);
        out[i].jobs = top[i]->g.t.jobs;
        out[i].energy_kwh = top[i]->g.t.energy_kwh;
        out[i].co2e_g = top[i]->g.t.co2e_g;
    }
    return n;
}

/* The offset (local minus UTC) in force at t. */
static double offset_at(const est_jobs_agg *a, double t)
{
    if (a->o.utc_offset_at)
        return (double)a->o.utc_offset_at(a->o.utc_offset_user, t);
    return (double)a->o.day_utc_offset_s;
}

/* The UTC instant of local time L (seconds since the epoch, read as if
   UTC): L - offset, with the offset taken at the instant itself (two
   rounds settle it across a change). */
static double utc_of_local(const est_jobs_agg *a, double L, double hint_off)
{
    double u = L - hint_off;
    u = L - offset_at(a, u);
    return L - offset_at(a, u);
}

int est_jobs_agg_add(est_jobs_agg *a, const est_job *j, const est_jobs_footprint *fp)
{
    double t0, t1, span, local;
    long day;
    int rc;
    if (!a || !j || !fp)
        return EST_EINVAL;
    if (fp->left_out) { /* counted, in no figure nor group */
        a->total.left_out_jobs += 1.0;
        return 0;
    }
    add_totals(&a->total, j, fp, 1.0);
    if (a->charts) {
        add_charts(a->charts, j, fp);
        if (a->users && (rc = est_jobs_agg_add(a->users, j, fp)) != 0)
            return rc;
    }
    if (a->o.keys == 0)
        return 0;
    if (!(a->o.keys & (EST_JOBS_BY_DAY | EST_JOBS_BY_MONTH)))
        return add_one(a, j, fp, "", 1.0);
    if (!j->has_start || !j->has_end || j->start_unix_s < EST_TIME_MIN_UNIX_S ||
        j->end_unix_s > EST_TIME_MAX_UNIX_S)
        return add_one(a, j, fp, "unknown", 1.0);
    /* in UTC: each period's end is its local midnight, turned into UTC
       with the offset in force then (a zone with DST has 23 and 25 h days) */
    t0 = j->start_unix_s;
    t1 = j->end_unix_s;
    span = t1 - t0;
    local = t0 + offset_at(a, t0);
    day = (long)floor(local / EST__DAY_S);
    if (!(span > 0.0)) {
        char p[16];
        period_name(a, day, p, sizeof p);
        return add_one(a, j, fp, p, 1.0);
    }
    while (t0 < t1) {
        long nd = next_period(a, day);
        double b = utc_of_local(a, (double)nd * EST__DAY_S, offset_at(a, t0));
        double e = b < t1 ? b : t1;
        char p[16];
        if (!(e > t0)) /* cannot happen with sane offsets: never loop */
            e = t1;
        period_name(a, day, p, sizeof p);
        if ((rc = add_one(a, j, fp, p, (e - t0) / span)) != 0)
            return rc;
        t0 = e;
        day = nd;
    }
    return 0;
}

size_t est_jobs_agg_count(const est_jobs_agg *a) { return a ? a->n : 0; }

static int by_key(const void *x, const void *y)
{
    const group *a = x, *b = y;
    size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->keylen > b->keylen) - (a->keylen < b->keylen);
}

static int by_energy(const void *x, const void *y)
{
    const group *a = x, *b = y;
    if (a->g.t.energy_kwh != b->g.t.energy_kwh)
        return a->g.t.energy_kwh < b->g.t.energy_kwh ? 1 : -1;
    return by_key(x, y);
}

void est_jobs_agg_sort(est_jobs_agg *a, int energy_first)
{
    size_t i;
    if (!a || a->n == 0)
        return;
    qsort(a->groups, a->n, sizeof *a->groups, energy_first ? by_energy : by_key);
    for (i = 0; i < a->n; i++)
        set_fields(&a->groups[i]);
    rehash(a, a->tcap); /* on failure the old table is kept: lookups only slow */
}

const est_jobs_group *est_jobs_agg_group(const est_jobs_agg *a, size_t i)
{
    return a && i < a->n ? &a->groups[i].g : NULL;
}

const est_jobs_totals *est_jobs_agg_totals(const est_jobs_agg *a)
{
    return a ? &a->total : NULL;
}
