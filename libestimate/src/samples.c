/* The sample integrator: trapezoid rule per quantity and device over the
 * real timestamps, gaps, duplicates, backwards clocks, job window with
 * interpolated edges, idle measurement and energy bins. Constant memory.
 * docs/samples.md ("Method") explains every rule. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/model.h"
#include "ecoest/samples.h"
#include "samples_internal.h"

#define WARM_N (EST_SAMPLES_WARMUP_STEPS + 1) /* samples buffered */
#define DEFAULT_MAX_BINS 100000

typedef struct channel {
    est_samples_kind kind;
    unsigned device;
    unsigned src;
    char who[64];
    int given; /* a value was pushed (not only derived: busy cores) */

    /* ordering */
    int seen;
    double max_t;   /* latest time pushed, valid or missing */
    double first_t; /* first time pushed */

    /* warm-up: the first samples, to find the median step */
    int warm;
    size_t n_warm;
    double warm_t[WARM_N], warm_v[WARM_N];
    double max_gap_s;

    /* the stretch being integrated */
    int has_last, missing_since, has_lead;
    double last_t, last_v, lead_t;

    /* accumulators (in the window) */
    double integral, covered_s, filled_s, idle_gap_s;
    unsigned long samples, missing, gaps, dup, back;
    double min, max;
    double idle_integral, idle_covered_s; /* before idle_until */
    double first_valid_t, last_valid_t;
    int has_edge_start, has_edge_end;
    double edge_start_v, edge_end_v;
    double win_sum;          /* valid values at times in the window */
    unsigned long win_n;

    /* energy bins: [bin_base, bin_base + n_bins) */
    int64_t bin_base;
    size_t n_bins, cap_bins;
    double *bin_int, *bin_gap, *bin_time; /* unit s; idle-filled s; s with a value */
} channel;

typedef struct gpu_info {
    int known;
    char name[EST_NAME_MAX];
    int secondary;
    int has_idle;
    double idle_w;
} gpu_info;

struct est_samples {
    est_samples_options o;
    double ws, we; /* window used while integrating (+-inf when open) */
    int finished;
    unsigned next_src;
    channel *ch[EST_SAMPLES_KIND_COUNT][EST_SAMPLES_GPUS_MAX];
    gpu_info gpu[EST_SAMPLES_GPUS_MAX];
    est_samples_read_stats stats;
    int bins_dropped; /* the window needed more than max_bins: none kept */
    const est__samples_agg *agg; /* an aggregate (samples_set.c), or NULL */
    void *agg_user;
};

/* Energy bins are kept: asked for, and not dropped for being too many. */
static int bins_on(const est_samples *s) { return s->o.bin_s > 0.0 && !s->bins_dropped; }

/* ---- small helpers ---- */

int est_samples_is_missing(double v) { return isnan(v) ? 1 : 0; }

double est_samples_default_max_gap_s(const double *sorted_steps_s, size_t n)
{
    double med;
    if (!sorted_steps_s || n == 0)
        return 0.0;
    if (n > EST_SAMPLES_WARMUP_STEPS)
        n = EST_SAMPLES_WARMUP_STEPS;
    med = n % 2 ? sorted_steps_s[n / 2]
                : 0.5 * (sorted_steps_s[n / 2 - 1] + sorted_steps_s[n / 2]);
    return EST_SAMPLES_GAP_MEDIAN_FACTOR * med;
}

int est_samples_sample_power_w(double *out_w, const est_sample *sample, double cpu_tdp_w,
                               double gpu_tdp_w, double memory_w_per_gb)
{
    double x, f;
    if (!out_w || !sample)
        return EST_EINVAL;
    x = sample->value;
    if (!isfinite(x))
        return EST_ENODATA;
    switch (sample->kind) {
    case EST_SAMPLES_CPU_PACKAGE_POWER_W:
    case EST_SAMPLES_NODE_POWER_W:
    case EST_SAMPLES_GPU_POWER_W:
        f = 1.0;
        break;
    case EST_SAMPLES_CPU_USAGE_FRAC:
        if (!(cpu_tdp_w > 0.0) || !isfinite(cpu_tdp_w))
            return EST_ENODATA;
        f = cpu_tdp_w;
        break;
    case EST_SAMPLES_GPU_USAGE_FRAC:
        if (!(gpu_tdp_w > 0.0) || !isfinite(gpu_tdp_w))
            return EST_ENODATA;
        f = gpu_tdp_w;
        break;
    case EST_SAMPLES_RAM_USED_GB:
        if (!(memory_w_per_gb >= 0.0) || !isfinite(memory_w_per_gb))
            return EST_ENODATA;
        f = memory_w_per_gb;
        break;
    default:
        return EST_ENODATA;
    }
    *out_w = x * f;
    return EST_OK;
}

const char *est_samples_kind_name(est_samples_kind kind)
{
    switch (kind) {
    case EST_SAMPLES_CPU_USAGE_FRAC: return "cpu_usage_frac";
    case EST_SAMPLES_CPU_CORES: return "cpu_cores";
    case EST_SAMPLES_RAM_USED_GB: return "ram_used_gb";
    case EST_SAMPLES_CPU_PACKAGE_POWER_W: return "cpu_package_power_w";
    case EST_SAMPLES_NODE_POWER_W: return "node_power_w";
    case EST_SAMPLES_GPU_POWER_W: return "power_w";
    case EST_SAMPLES_GPU_USAGE_FRAC: return "usage_frac";
    case EST_SAMPLES_CPU_BUSY_CORES: return "cpu_busy_cores";
    default: return "?";
    }
}

static int is_gpu_kind(est_samples_kind k)
{
    return k == EST_SAMPLES_GPU_POWER_W || k == EST_SAMPLES_GPU_USAGE_FRAC;
}

const char *est_samples_fill_name(est_samples_fill fill)
{
    switch (fill) {
    case EST_SAMPLES_FILL_NONE: return "none";
    case EST_SAMPLES_FILL_HOLD: return "hold";
    case EST_SAMPLES_FILL_IDLE: return "idle";
    default: return "?";
    }
}

int est_samples_fill_parse(est_samples_fill *out, const char *s)
{
    if (!s || !out)
        return EST_EINVAL;
    if (strcmp(s, "none") == 0)
        *out = EST_SAMPLES_FILL_NONE;
    else if (strcmp(s, "hold") == 0)
        *out = EST_SAMPLES_FILL_HOLD;
    else if (strcmp(s, "idle") == 0)
        *out = EST_SAMPLES_FILL_IDLE;
    else
        return EST_EINVAL;
    return EST_OK;
}

const char *est_samples_idle_source_name(est_samples_idle_source src)
{
    switch (src) {
    case EST_SAMPLES_IDLE_UNKNOWN: return "unknown";
    case EST_SAMPLES_IDLE_OPTION: return "option";
    case EST_SAMPLES_IDLE_MEASURED: return "measured before idle-until";
    case EST_SAMPLES_IDLE_SET: return "set";
    default: return "?";
    }
}

const char *est_samples_bad_row_kind_name(est_samples_bad_row_kind kind)
{
    switch (kind) {
    case EST_SAMPLES_BAD_FIELD_COUNT: return "wrong number of fields";
    case EST_SAMPLES_BAD_NUMBER: return "not a number";
    case EST_SAMPLES_BAD_NEGATIVE: return "negative value";
    case EST_SAMPLES_BAD_RANGE: return "value out of range";
    case EST_SAMPLES_BAD_TIME: return "unreadable time";
    case EST_SAMPLES_BAD_TIME_RANGE: return "time outside 1970..2099";
    case EST_SAMPLES_BAD_LINE: return "unreadable line";
    default: return "?";
    }
}

/* ---- open / free ---- */

static int check_time_opt(int has, double t, const char *name, est_error *err)
{
    if (has && !isfinite(t))
        return est__fail(err, EST_EINVAL, "%s: must be a finite time", name);
    if (has && (t < EST_TIME_MIN_UNIX_S || t > EST_TIME_MAX_UNIX_S))
        return est__fail(err, EST_ERANGE, "%s: %.0f is outside years 0001..9999", name, t);
    return EST_OK;
}

int est_samples_open(est_samples **sp, const est_samples_options *opts,
                     est_error *err)
{
    est_samples_options dflt = EST_SAMPLES_OPTIONS_INIT;
    const est_samples_options *o = opts ? opts : &dflt;
    est_samples *s;
    int rc;

    if (!sp)
        return est__fail(err, EST_EINVAL, "est_samples_open: s is NULL");
    *sp = NULL;
    if (o->version != EST_SAMPLES_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "samples options version %u is not supported "
                         "(expected %u)", o->version, (unsigned)EST_SAMPLES_OPTIONS_VERSION);
    if ((rc = check_time_opt(o->has_start, o->start_unix_s, "start", err)) ||
        (rc = check_time_opt(o->has_end, o->end_unix_s, "end", err)) ||
        (rc = check_time_opt(o->has_idle_until, o->idle_until_unix_s, "idle-until", err)))
        return rc;
    if (o->has_start && o->has_end && !(o->end_unix_s > o->start_unix_s))
        return est__fail(err, EST_EINVAL, "end: must be after start");
    if (!(o->max_gap_s >= 0.0) || !isfinite(o->max_gap_s))
        return est__fail(err, EST_EINVAL, "max-gap: must be a finite number of seconds >= 0");
    if (o->fill != EST_SAMPLES_FILL_NONE && o->fill != EST_SAMPLES_FILL_HOLD && o->fill != EST_SAMPLES_FILL_IDLE)
        return est__fail(err, EST_EINVAL, "fill: unknown value %d", (int)o->fill);
    if (o->gpu_idle_w != EST_UNSET && (!(o->gpu_idle_w >= 0.0) || !isfinite(o->gpu_idle_w)))
        return est__fail(err, EST_EINVAL, "gpu idle: must be a finite power >= 0 W");
    if (!isfinite(o->bin_s) || !(o->bin_s == 0.0 || o->bin_s >= EST_SAMPLES_BIN_S_MIN))
        return est__fail(err, EST_EINVAL, "bin width: must be 0 (no bins) or a finite number "
                         "of seconds >= %g, got %g", EST_SAMPLES_BIN_S_MIN, o->bin_s);

    s = calloc(1, sizeof *s);
    if (!s)
        return est__fail(err, EST_ENOMEM, "out of memory");
    s->o = *o;
    if (s->o.max_bins == 0)
        s->o.max_bins = DEFAULT_MAX_BINS;
    s->ws = o->has_start ? o->start_unix_s : o->has_idle_until ? o->idle_until_unix_s : -INFINITY;
    s->we = o->has_end ? o->end_unix_s : INFINITY;
    *sp = s;
    return EST_OK;
}

void est_samples_free(est_samples *s)
{
    size_t k, d;
    if (!s)
        return;
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++)
            if (s->ch[k][d]) {
                free(s->ch[k][d]->bin_int);
                free(s->ch[k][d]->bin_gap);
                free(s->ch[k][d]->bin_time);
                free(s->ch[k][d]);
            }
    free(s);
}

unsigned est__samples_new_source(est_samples *s) { return ++s->next_src; }

int est__samples_open_agg(est_samples **sp, const est__samples_agg *agg, void *user)
{
    est_samples_options d = EST_SAMPLES_OPTIONS_INIT;
    est_samples *s = calloc(1, sizeof *s);
    *sp = s;
    if (!s)
        return EST_ENOMEM;
    s->o = d;
    s->agg = agg;
    s->agg_user = user;
    return EST_OK;
}

est_samples_read_stats *est__samples_stats(est_samples *s) { return &s->stats; }

void est_samples_stats(est_samples_read_stats *out, const est_samples *s)
{
    if (!out)
        return;
    if (!s) {
        memset(out, 0, sizeof *out);
        return;
    }
    if (s->agg) {
        s->agg->read_stats(s->agg_user, out);
        return;
    }
    *out = s->stats;
}

int est_samples_set_gpu_info(est_samples *s, unsigned device, const char *name,
                             int secondary_die)
{
    if (!s || device >= EST_SAMPLES_GPUS_MAX || s->agg)
        return EST_EINVAL;
    s->gpu[device].known = 1;
    if (name)
        est__strlcpy(s->gpu[device].name, name, sizeof s->gpu[device].name);
    if (secondary_die)
        s->gpu[device].secondary = 1;
    return EST_OK;
}

int est_samples_set_gpu_idle(est_samples *s, unsigned device, double idle_w)
{
    if (!s || device >= EST_SAMPLES_GPUS_MAX || !(idle_w >= 0.0) || !isfinite(idle_w))
        return EST_EINVAL;
    if (s->agg)
        return s->agg->set_gpu_idle(s->agg_user, device, idle_w);
    s->gpu[device].has_idle = 1;
    s->gpu[device].idle_w = idle_w;
    return EST_OK;
}

/* ---- bins ---- */

/* The bin holding t: 0, or -1 when t / bin_s is too large for an exact
   int64_t index (|t / bin_s| >= 2^53: a cast would be undefined, or lose
   the bin edges). */
static int bin_index(const est_samples *s, double t, int64_t *idx)
{
    double q = floor(t / s->o.bin_s);
    if (!(fabs(q) < 9007199254740992.0))
        return -1;
    *idx = (int64_t)q;
    return 0;
}

/* Stops keeping bins (too many for max_bins): frees them all. Never an
   error: the bins only refine a carbon intensity, est_samples_energy_bins
   then says they were dropped. */
static void bins_drop(est_samples *s)
{
    size_t k, d;
    s->bins_dropped = 1;
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            channel *c = s->ch[k][d];
            if (!c)
                continue;
            free(c->bin_int);
            free(c->bin_gap);
            free(c->bin_time);
            c->bin_int = c->bin_gap = c->bin_time = NULL;
            c->n_bins = c->cap_bins = 0;
        }
}

/* Makes room for bins up to the one holding t (clamped to the window: bins
   outside it would hold nothing). Returns 0 or EST_ENOMEM. */
static int bins_reserve(est_samples *s, channel *c, double t, est_error *err)
{
    int64_t idx;
    size_t need, nc;
    double *a, *b, *t3;
    if (!bins_on(s))
        return EST_OK;
    if (t < s->ws)
        t = s->ws;
    if (t > s->we)
        t = s->we;
    if (bin_index(s, t, &idx) != 0) {
        bins_drop(s); /* a time no bin index can hold */
        return EST_OK;
    }
    if (!c->cap_bins && !c->n_bins && c->bin_int == NULL)
        c->bin_base = idx;
    if (idx < c->bin_base)
        return EST_OK; /* never: times increase per channel */
    if ((uint64_t)(idx - c->bin_base) >= (uint64_t)s->o.max_bins) {
        bins_drop(s);
        return EST_OK;
    }
    need = (size_t)(idx - c->bin_base) + 1;
    if (need <= c->cap_bins)
        return EST_OK;
    nc = c->cap_bins ? c->cap_bins : 16;
    while (nc < need)
        nc *= 2;
    if (nc > s->o.max_bins)
        nc = s->o.max_bins;
    a = realloc(c->bin_int, nc * sizeof *a);
    if (!a)
        return est__fail(err, EST_ENOMEM, "out of memory");
    c->bin_int = a;
    b = realloc(c->bin_gap, nc * sizeof *b);
    if (!b)
        return est__fail(err, EST_ENOMEM, "out of memory");
    c->bin_gap = b;
    t3 = realloc(c->bin_time, nc * sizeof *t3);
    if (!t3)
        return est__fail(err, EST_ENOMEM, "out of memory");
    c->bin_time = t3;
    memset(c->bin_int + c->cap_bins, 0, (nc - c->cap_bins) * sizeof *a);
    memset(c->bin_gap + c->cap_bins, 0, (nc - c->cap_bins) * sizeof *b);
    memset(c->bin_time + c->cap_bins, 0, (nc - c->cap_bins) * sizeof *t3);
    c->cap_bins = nc;
    return EST_OK;
}

/* Adds the linear piece (a, va)-(b, vb) to the bins; when is_idle_gap, the
   piece is a gap filled with the (yet unknown) idle power. */
static void bins_add(const est_samples *s, channel *c, double a, double va, double b,
                     double vb, int is_idle_gap)
{
    double w = s->o.bin_s;
    if (!bins_on(s) || !(b > a) || c->cap_bins == 0)
        return;
    while (a < b) {
        int64_t idx;
        double edge, e, ve;
        size_t i;
        if (bin_index(s, a, &idx) != 0)
            return; /* never: bins_reserve dropped the bins for such a time */
        edge = (double)(idx + 1) * w;
        e = edge < b ? edge : b;
        if (!(e > a)) /* rounding at a bin edge */
            e = b;
        ve = va + (vb - va) * (e - a) / (b - a);
        if (idx >= c->bin_base && (size_t)(idx - c->bin_base) < c->cap_bins) {
            i = (size_t)(idx - c->bin_base);
            if (is_idle_gap)
                c->bin_gap[i] += e - a;
            else
                c->bin_int[i] += 0.5 * (va + ve) * (e - a);
            c->bin_time[i] += e - a;
            if (i + 1 > c->n_bins)
                c->n_bins = i + 1;
        }
        va = ve;
        a = e;
    }
}

/* ---- integration ---- */

static double lerp(double t0, double v0, double t1, double v1, double t)
{
    if (t <= t0)
        return v0;
    if (t >= t1)
        return v1;
    return v0 + (v1 - v0) * ((t - t0) / (t1 - t0));
}

/* One step of a channel: from (t0, v0) to (t1, v1), t1 > t0. bridged: both
   values valid and the step short enough. v0 or v1 may be NaN when not. */
static void interval(est_samples *s, channel *c, double t0, double v0, double t1,
                     double v1, int bridged)
{
    double a, b;
    if (bridged && t0 >= s->ws && t1 <= s->we && !s->o.has_idle_until && !bins_on(s)) {
        /* the common step: inside the window, nothing else to track */
        c->integral += 0.5 * (v0 + v1) * (t1 - t0);
        c->covered_s += t1 - t0;
        return;
    }
    a = t0 > s->ws ? t0 : s->ws;
    b = t1 < s->we ? t1 : s->we;

    if (bridged && s->o.has_idle_until && c->kind == EST_SAMPLES_GPU_POWER_W &&
        t0 < s->o.idle_until_unix_s) {
        double ie = t1 < s->o.idle_until_unix_s ? t1 : s->o.idle_until_unix_s;
        double vie = lerp(t0, v0, t1, v1, ie);
        c->idle_integral += 0.5 * (v0 + vie) * (ie - t0);
        c->idle_covered_s += ie - t0;
    }
    if (!(b > a))
        return;
    if (bridged) {
        double va = lerp(t0, v0, t1, v1, a), vb = lerp(t0, v0, t1, v1, b);
        if (t0 < s->ws && a == s->ws) {
            c->has_edge_start = 1;
            c->edge_start_v = va;
        }
        if (t1 > s->we && b == s->we) {
            c->has_edge_end = 1;
            c->edge_end_v = vb;
        }
        c->integral += 0.5 * (va + vb) * (b - a);
        c->covered_s += b - a;
        bins_add(s, c, a, va, b, vb, 0);
        return;
    }
    c->gaps++;
    switch (s->o.fill) {
    case EST_SAMPLES_FILL_NONE:
        break;
    case EST_SAMPLES_FILL_IDLE:
        if (c->kind == EST_SAMPLES_GPU_POWER_W) {
            c->idle_gap_s += b - a; /* idle is known only at the end */
            bins_add(s, c, a, 0.0, b, 0.0, 1);
            break;
        }
        if (c->kind == EST_SAMPLES_CPU_USAGE_FRAC || c->kind == EST_SAMPLES_GPU_USAGE_FRAC) {
            c->filled_s += b - a; /* idle: usage 0 */
            bins_add(s, c, a, 0.0, b, 0.0, 0);
            break;
        }
        /* the other quantities hold */
        /* FALLTHROUGH */
    case EST_SAMPLES_FILL_HOLD:
        if (!isnan(v0)) {
            c->integral += v0 * (b - a);
            c->filled_s += b - a;
            bins_add(s, c, a, v0, b, v0, 0);
        }
        break;
    }
}

/* Integrates one sample that passed the ordering checks. */
static void advance(est_samples *s, channel *c, double t, double v)
{
    if (isnan(v)) {
        if (c->has_last)
            c->missing_since = 1;
        else if (!c->has_lead) {
            c->has_lead = 1;
            c->lead_t = t;
        }
        return;
    }
    if (c->has_last)
        interval(s, c, c->last_t, c->last_v, t, v,
                 !c->missing_since && t - c->last_t <= c->max_gap_s);
    else if (c->has_lead)
        interval(s, c, c->lead_t, NAN, t, v, 0);
    c->has_last = 1;
    c->last_t = t;
    c->last_v = v;
    c->missing_since = 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Ends a channel's warm-up: median step, then replays the buffer. */
static void end_warmup(est_samples *s, channel *c)
{
    size_t i, n = 0;
    double steps[WARM_N];
    if (!c->warm)
        return;
    c->warm = 0;
    for (i = 1; i < c->n_warm; i++)
        steps[n++] = c->warm_t[i] - c->warm_t[i - 1];
    if (n == 0) {
        c->max_gap_s = INFINITY;
    } else {
        qsort(steps, n, sizeof steps[0], cmp_double);
        c->max_gap_s = est_samples_default_max_gap_s(steps, n);
    }
    for (i = 0; i < c->n_warm; i++)
        advance(s, c, c->warm_t[i], c->warm_v[i]);
    c->n_warm = 0;
}

static channel *get_channel(est_samples *s, est_samples_kind k, unsigned dev, int create)
{
    channel *c = s->ch[k][dev];
    if (c || !create)
        return c;
    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->kind = k;
    c->device = dev;
    c->warm = s->o.max_gap_s == 0.0;
    c->max_gap_s = s->o.max_gap_s;
    s->ch[k][dev] = c;
    return c;
}

#define name est_samples_kind_name(v->kind)
static int check_value(const est_sample *v, est_error *err)
{
    if ((unsigned)v->kind >= EST_SAMPLES_KIND_COUNT)
        return est__fail(err, EST_EINVAL, "unknown sample kind %d", (int)v->kind);
    if (is_gpu_kind(v->kind) ? v->device >= EST_SAMPLES_GPUS_MAX : v->device != 0)
        return est__fail(err, EST_EINVAL, "%s: device %u out of range", name, v->device);
    if (isnan(v->value))
        return EST_OK;
    if (isinf(v->value))
        return est__fail(err, EST_EINVAL, "%s: must be finite", name);
    if (v->value < 0.0)
        return est__fail(err, EST_EINVAL, "%s: must not be negative, got %g", name, v->value);
    switch (est__sample_check(v->kind, v->value)) {
    case EST__SAMPLE_USAGE_ABOVE_1:
        return est__fail(err, EST_EINVAL, "%s: must be at most 1, got %g", name, v->value);
    case EST__SAMPLE_NO_CORES:
        return est__fail(err, EST_EINVAL, "%s: must be greater than 0", name);
    case EST__SAMPLE_POWER_HIGH:
        return est__fail(err, EST_ERANGE, "%s: %g W is above 100 kW for one device: not a "
                         "plausible reading", name, v->value);
    case EST__SAMPLE_CORES_HIGH:
        return est__fail(err, EST_ERANGE, "%s: %g is above %g cores: not a plausible reading",
                         name, v->value, EST_SAMPLES_CORES_MAX);
    case EST__SAMPLE_RAM_HIGH:
        return est__fail(err, EST_ERANGE, "%s: %g GB is above %g GB: not a plausible reading",
                         name, v->value, EST_SAMPLES_RAM_MAX_GB);
    case EST__SAMPLE_OK:
        break;
    }
    return EST_OK;
}
#undef name

/* Busy cores may be derived into c from source src at t: c is new, or
   fed by src, or (derived only) by a rotated log that src follows. */
static int derive_ok(const channel *c, unsigned src, double t)
{
    return !c->seen || c->src == src || (!c->given && t >= c->max_t);
}

/* Takes one value of a channel that passed the checks. */
static void take(est_samples *s, channel *c, unsigned src, const char *who, double t,
                 double v)
{
    int first = !c->seen;
    if (first || c->src != src) {
        /* a first value, or the next input of rotated logs taking over */
        c->src = src;
        est__strlcpy(c->who, who ? who : "", sizeof c->who);
        if (first)
            c->first_t = t;
        c->seen = 1;
    }
    if (!first && t == c->max_t) {
        c->dup++;
        return;
    } else if (!first && t < c->max_t) {
        c->back++;
        return;
    }
    c->max_t = t;
    if (isnan(v)) {
        c->missing++;
    } else {
        if (c->samples == 0 || v < c->min)
            c->min = v;
        if (c->samples == 0 || v > c->max)
            c->max = v;
        if (c->samples == 0)
            c->first_valid_t = t;
        c->last_valid_t = t;
        c->samples++;
        if (t >= s->ws && t <= s->we) {
            c->win_sum += v;
            c->win_n++;
        }
    }
    if (is_gpu_kind(c->kind))
        s->gpu[c->device].known = 1;
    if (c->warm) {
        c->warm_t[c->n_warm] = t;
        c->warm_v[c->n_warm] = v;
        if (++c->n_warm == WARM_N)
            end_warmup(s, c);
    } else {
        advance(s, c, t, v);
    }
}

int est__samples_push_src(est_samples *s, unsigned src, const char *who, double t,
                          const est_sample *values, size_t n, est_error *err)
{
    size_t i, j;
    int rc;
    const est_sample *usage = NULL, *cores = NULL, *busy = NULL;
    if (!s || (n && !values))
        return est__fail(err, EST_EINVAL, "est_samples_push: NULL argument");
    if (s->finished || s->agg)
        return est__fail(err, EST_EINVAL, "est_samples_push: called after est_samples_finish%s",
                         s->agg ? ", or on a set's total" : "");
    if (!isfinite(t))
        return est__fail(err, EST_EINVAL, "sample time must be finite");
    if (t < EST_TIME_MIN_UNIX_S || t >= EST_TIME_MAX_UNIX_S)
        return est__fail(err, EST_ERANGE, "sample time %.0f is outside years 0001..9999", t);
    /* Check everything first: a failed call counts nothing. (A reader has
       checked its values already: source > 0.) */
    for (i = 0; i < n; i++) {
        channel *c;
        if (values[i].kind == EST_SAMPLES_CPU_USAGE_FRAC)
            usage = &values[i];
        else if (values[i].kind == EST_SAMPLES_CPU_CORES)
            cores = &values[i];
        else if (values[i].kind == EST_SAMPLES_CPU_BUSY_CORES)
            busy = &values[i];
        if (src > 0) {
            c = s->ch[values[i].kind][values[i].device];
            if (c && c->seen && c->src == src && !bins_on(s))
                continue; /* the common case: known channel, same source, no bins */
        } else if ((rc = check_value(&values[i], err)))
            return rc;
        for (j = 0; j < i; j++)
            if (values[j].kind == values[i].kind && values[j].device == values[i].device)
                return est__fail(err, EST_EINVAL, "%s: given twice in one tick",
                                 est_samples_kind_name(values[i].kind));
        c = s->ch[values[i].kind][values[i].device];
        if (c && c->seen && c->src == src && !bins_on(s))
            continue; /* the common case: known channel, same source, no bins */
        c = get_channel(s, values[i].kind, values[i].device, 1);
        if (!c)
            return est__fail(err, EST_ENOMEM, "out of memory");
        if (c->seen && c->src != src && t >= c->max_t) {
            /* another input continuing the quantity after it (rotated
               logs: day1.csv then day2.csv): taken, see take() */
        } else if (c->seen && c->src != src) {
            char q[48];
            if (is_gpu_kind(c->kind))
                snprintf(q, sizeof q, "gpu%u_%s", c->device, est_samples_kind_name(c->kind));
            else
                snprintf(q, sizeof q, "%s", est_samples_kind_name(c->kind));
            return est__fail(err, EST_EINVAL, "%s%s%s: %s is also given by %s over an "
                             "overlapping time: give each quantity in one input only, or "
                             "in inputs that follow each other in time (rotated logs)",
                             who ? who : "", who ? ": " : "", q, q,
                             c->who[0] ? c->who : "the push interface");
        }
        if ((rc = bins_reserve(s, c, t, err)))
            return rc;
    }
    /* busy cores derived from usage x cores of this tick (same source) */
    if (usage && cores && !busy) {
        channel *c = get_channel(s, EST_SAMPLES_CPU_BUSY_CORES, 0, 1);
        if (!c)
            return est__fail(err, EST_ENOMEM, "out of memory");
        if (derive_ok(c, src, t) && (rc = bins_reserve(s, c, t, err)))
            return rc;
    }
    for (i = 0; i < n; i++) {
        channel *c = s->ch[values[i].kind][values[i].device];
        double v = values[i].value;
        c->given = 1;
        if (c->seen && c->src == src && t > c->max_t && !c->warm && c->has_last &&
            !c->missing_since && c->samples > 0 && !isnan(v)) {
            /* take() and advance() for the common sample: a known channel
               of this source, a later time, a value after a value; the
               same operations in the same order */
            double t0 = c->last_t, v0 = c->last_v;
            c->max_t = t;
            if (v < c->min)
                c->min = v;
            if (v > c->max)
                c->max = v;
            c->last_valid_t = t;
            c->samples++;
            if (t >= s->ws && t <= s->we) {
                c->win_sum += v;
                c->win_n++;
            }
            if (is_gpu_kind(c->kind))
                s->gpu[c->device].known = 1;
            if (t - t0 <= c->max_gap_s && t0 >= s->ws && t <= s->we &&
                !s->o.has_idle_until && !bins_on(s)) {
                c->integral += 0.5 * (v0 + v) * (t - t0);
                c->covered_s += t - t0;
            } else {
                interval(s, c, t0, v0, t, v, t - t0 <= c->max_gap_s);
            }
            c->last_t = t;
            c->last_v = v;
            continue;
        }
        take(s, c, src, who, t, v);
    }
    if (usage && cores && !busy) {
        channel *c = s->ch[EST_SAMPLES_CPU_BUSY_CORES][0];
        if (derive_ok(c, src, t))
            take(s, c, src, who, t, usage->value * cores->value); /* NaN stays NaN */
    }
    return EST_OK;
}

/* The rows of one channel, column j of a block: what take() does for each,
   with the common sample (a later time, a value after a value) in locals.
   Channels are independent of each other, so taking a block channel by
   channel gives each the same operations in the same order as row by
   row. */
#if defined(__GNUC__) && !defined(__clang__)
/* GCC's straight-line vectoriser pairs the loop's sums in vector registers
   and spends more shuffles than it saves (43 instructions a sample instead
   of about 25); the same operations either way */
__attribute__((optimize("no-tree-slp-vectorize")))
#endif
static void take_column(est_samples *s, channel *c, unsigned src, const char *who,
                        const double *rows, size_t stride, size_t j, size_t nrows)
{
    const double ws = s->ws, we = s->we;
    const int plain = !s->o.has_idle_until && !bins_on(s);
    /* no window and nothing else to track: every time is in the window
       (ws <= t <= we for any finite t), and the common sample needs none of
       those tests */
    const int open = plain && ws == -INFINITY && we == INFINITY;
    size_t i = 0;
    c->given = 1;
    if (is_gpu_kind(c->kind) && nrows)
        s->gpu[c->device].known = 1;
    while (i < nrows) {
        double max_t, mn, mx, last_t, last_v, integral, covered, win_sum, gap;
        unsigned long samples, win_n;
        if (!(c->seen && c->src == src && !c->warm && c->has_last && !c->missing_since &&
              c->samples > 0)) {
            take(s, c, src, who, rows[i * stride], rows[i * stride + 1 + j]);
            i++;
            continue;
        }
        max_t = c->max_t;
        mn = c->min;
        mx = c->max;
        last_t = c->last_t;
        last_v = c->last_v;
        integral = c->integral;
        covered = c->covered_s;
        win_sum = c->win_sum;
        samples = c->samples;
        win_n = c->win_n;
        gap = c->max_gap_s;
        for (; i < nrows; i++) {
            double t, v;
            if (open) {
                /* the body below for each sample whose tests are all
                   true, in a loop of its own: the same operations, in
                   the same order, on fewer variables (the two counts
                   grow together) */
                const double *row = rows + i * stride;
                double lt = last_t, lv = last_v, mt = max_t, lo = mn, hi = mx;
                double ig = integral, cv = covered, sum = win_sum;
                size_t k = i;
                for (; k < nrows; k++, row += stride) {
                    double tk = row[0], vk = row[1 + j];
                    if (!(tk > mt && !isnan(vk) && tk - lt <= gap))
                        break;
                    if (vk < lo)
                        lo = vk;
                    if (vk > hi)
                        hi = vk;
                    sum += vk;
                    ig += 0.5 * (lv + vk) * (tk - lt);
                    cv += tk - lt;
                    mt = lt = tk;
                    lv = vk;
                }
                samples += k - i;
                win_n += k - i;
                last_t = lt;
                last_v = lv;
                max_t = mt;
                mn = lo;
                mx = hi;
                integral = ig;
                covered = cv;
                win_sum = sum;
                i = k;
                if (i == nrows)
                    break;
            }
            t = rows[i * stride];
            v = rows[i * stride + 1 + j];
            if (!(t > max_t) || isnan(v))
                break;
            max_t = t;
            if (v < mn)
                mn = v;
            if (v > mx)
                mx = v;
            samples++;
            if (t >= ws && t <= we) {
                win_sum += v;
                win_n++;
            }
            if (t - last_t <= gap && last_t >= ws && t <= we && plain) {
                integral += 0.5 * (last_v + v) * (t - last_t);
                covered += t - last_t;
                last_t = t;
                last_v = v;
                continue;
            }
            /* a gap or a window edge: the general step */
            c->integral = integral;
            c->covered_s = covered;
            interval(s, c, last_t, last_v, t, v, t - last_t <= gap);
            integral = c->integral;
            covered = c->covered_s;
            last_t = t;
            last_v = v;
        }
        c->max_t = max_t;
        c->min = mn;
        c->max = mx;
        c->last_valid_t = samples > c->samples ? max_t : c->last_valid_t;
        c->last_t = last_t;
        c->last_v = last_v;
        c->integral = integral;
        c->covered_s = covered;
        c->win_sum = win_sum;
        c->samples = samples;
        c->win_n = win_n;
        if (i < nrows) {
            /* a time not after the last, or a missing value */
            take(s, c, src, who, rows[i * stride], rows[i * stride + 1 + j]);
            i++;
        }
    }
}

int est__samples_push_block(est_samples *s, unsigned src, const char *who,
                            const est_sample *tmpl, size_t nval, const double *rows,
                            size_t nrows)
{
    size_t j, k;
    int usage = 0, cores = 0, busy = 0;
    if (!s || s->finished || s->agg || src == 0 || bins_on(s))
        return 1;
    for (j = 0; j < nval; j++) {
        const channel *c;
        if ((unsigned)tmpl[j].kind >= EST_SAMPLES_KIND_COUNT ||
            tmpl[j].device >= EST_SAMPLES_GPUS_MAX)
            return 1;
        c = s->ch[tmpl[j].kind][tmpl[j].device];
        if (!c || !c->seen || c->src != src)
            return 1;
        for (k = 0; k < j; k++)
            if (tmpl[k].kind == tmpl[j].kind && tmpl[k].device == tmpl[j].device)
                return 1;
        usage |= tmpl[j].kind == EST_SAMPLES_CPU_USAGE_FRAC;
        cores |= tmpl[j].kind == EST_SAMPLES_CPU_CORES;
        busy |= tmpl[j].kind == EST_SAMPLES_CPU_BUSY_CORES;
    }
    if (usage && cores && !busy)
        return 1; /* busy cores derived row by row */
    for (j = 0; j < nval; j++)
        take_column(s, s->ch[tmpl[j].kind][tmpl[j].device], src, who, rows, 1 + nval, j,
                    nrows);
    return 0;
}

int est__samples_series_ok(const est_samples *s, unsigned src, est_samples_kind kind,
                           unsigned device)
{
    const channel *c;
    if (!s || s->finished || src == 0 || bins_on(s) || (unsigned)kind >= EST_SAMPLES_KIND_COUNT ||
        device >= EST_SAMPLES_GPUS_MAX)
        return 0;
    c = s->ch[kind][device];
    return c && c->seen && c->src == src;
}

void est__samples_push_series(est_samples *s, unsigned src, const char *who,
                              est_samples_kind kind, unsigned device, const double *tv,
                              size_t n)
{
    take_column(s, s->ch[kind][device], src, who, tv, 2, 0, n);
}

int est_samples_push(est_samples *s, double t, const est_sample *values, size_t n,
                     est_error *err)
{
    return est__samples_push_src(s, 0, NULL, t, values, n, err);
}

int est_samples_finish(est_samples *s, est_error *err)
{
    size_t k, d;
    (void)err;
    if (!s)
        return EST_EINVAL;
    if (s->agg)
        return s->agg->finish(s->agg_user, err);
    if (s->finished)
        return EST_OK;
    s->finished = 1;
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            channel *c = s->ch[k][d];
            if (!c)
                continue;
            end_warmup(s, c);
            /* missing values at the end: a gap up to the last of them */
            if (c->has_last && c->missing_since && c->max_t > c->last_t)
                interval(s, c, c->last_t, c->last_v, c->max_t, NAN, 0);
        }
    return EST_OK;
}

/* ---- results ---- */

static double gpu_idle(const est_samples *s, unsigned d, est_samples_idle_source *src,
                       double *covered)
{
    const channel *p = s->ch[EST_SAMPLES_GPU_POWER_W][d];
    *covered = 0.0;
    if (s->o.gpu_idle_w != EST_UNSET) {
        *src = EST_SAMPLES_IDLE_OPTION;
        return s->o.gpu_idle_w;
    }
    if (s->o.has_idle_until && p && p->idle_covered_s > 0.0) {
        *src = EST_SAMPLES_IDLE_MEASURED;
        *covered = p->idle_covered_s;
        return p->idle_integral / p->idle_covered_s;
    }
    if (s->gpu[d].has_idle) {
        *src = EST_SAMPLES_IDLE_SET;
        return s->gpu[d].idle_w;
    }
    *src = EST_SAMPLES_IDLE_UNKNOWN;
    return 0.0;
}

/* The end of a channel that stops before the window does (a GPU lost
   mid-log): the stretch from its last time to the window's end is a gap
   when longer than its largest bridged step (*gap 1, unless its last values
   were missing: that gap is counted already), filled as any gap: hold (and
   idle, for the quantities idle holds) adds the last value x the stretch to
   *fill_int and the stretch to *fill_s; idle for a GPU's power adds it to
   *idle_s (x the idle power later); idle for a usage fills with 0. */
typedef struct tail {
    unsigned long gap;
    double fill_int, fill_s, idle_s;
} tail;

static tail channel_tail(const est_samples *s, const channel *c, double start, double end)
{
    tail t = {0, 0.0, 0.0, 0.0};
    double from, len;
    if (!c || !c->seen || c->warm || (!c->has_last && !c->has_lead))
        return t;
    from = c->max_t > start ? c->max_t : start;
    len = end - from;
    if (!(len > c->max_gap_s))
        return t;
    if (!c->missing_since)
        t.gap = 1;
    if (s->o.fill == EST_SAMPLES_FILL_IDLE && c->kind == EST_SAMPLES_GPU_POWER_W)
        t.idle_s = len;
    else if (s->o.fill == EST_SAMPLES_FILL_IDLE &&
             (c->kind == EST_SAMPLES_CPU_USAGE_FRAC || c->kind == EST_SAMPLES_GPU_USAGE_FRAC))
        t.fill_s = len;
    else if (s->o.fill != EST_SAMPLES_FILL_NONE && c->has_last) {
        t.fill_int = c->last_v * len;
        t.fill_s = len;
    }
    return t;
}

static void quantity(const est_samples *s, const channel *c, const est_samples_result *w,
                     double extra_integral, double extra_filled, double idle_w,
                     est_samples_quantity *q)
{
    double have, duration = w->duration_s;
    tail tl = channel_tail(s, c, w->start_unix_s, w->end_unix_s);
    memset(q, 0, sizeof *q);
    if (!c)
        return;
    q->integral = c->integral + extra_integral + tl.fill_int + idle_w * tl.idle_s;
    q->covered_s = c->covered_s;
    q->filled_s = c->filled_s + extra_filled + tl.fill_s + tl.idle_s;
    have = q->covered_s + q->filled_s;
    q->present = have > 0.0;
    q->mean = have > 0.0 ? q->integral / have : 0.0;
    if (!(have > 0.0) && c->win_n > 0) {
        /* readings, but none next to another: the same "covered mean" rule
           as for uncovered time elsewhere, on the readings themselves */
        q->present = 1;
        q->mean_of_readings = 1;
        q->mean = c->win_sum / (double)c->win_n;
    }
    q->uncovered_s = duration - have > 0.0 ? duration - have : 0.0;
    q->samples = c->samples;
    q->missing = c->missing;
    q->gaps = c->gaps + tl.gap;
    q->duplicates = c->dup;
    q->backwards = c->back;
    q->max_gap_s = c->max_gap_s;
    q->min = c->min;
    q->max = c->max;
    q->first_unix_s = c->first_valid_t;
    q->last_unix_s = c->last_valid_t;
    q->has_start_value = c->has_edge_start;
    q->start_value = c->edge_start_v;
    q->has_end_value = c->has_edge_end;
    q->end_value = c->edge_end_v;
}

/* The result's gaps, duplicates and backwards in rows: per source (one
   reader, one log) the largest count of its quantities (a hole, a repeated
   or an earlier time is one row, whatever the columns it holds), summed
   over the sources. A quantity taken over by a rotated log counts with the
   last log that fed it. */
static void row_counts(const est_samples *s, est_samples_result *out)
{
    struct per_src {
        unsigned src;
        unsigned long gaps, dup, back;
    } seen[EST_SAMPLES_KIND_COUNT * EST_SAMPLES_GPUS_MAX];
    size_t n = 0, k, d, i;
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            const channel *c = s->ch[k][d];
            unsigned long gaps;
            if (!c || !c->seen)
                continue;
            gaps = c->gaps + channel_tail(s, c, out->start_unix_s, out->end_unix_s).gap;
            for (i = 0; i < n && seen[i].src != c->src; i++)
                ;
            if (i == n) {
                seen[n].src = c->src;
                seen[n].gaps = seen[n].dup = seen[n].back = 0;
                n++;
            }
            if (gaps > seen[i].gaps)
                seen[i].gaps = gaps;
            if (c->dup > seen[i].dup)
                seen[i].dup = c->dup;
            if (c->back > seen[i].back)
                seen[i].back = c->back;
        }
    for (i = 0; i < n; i++) {
        out->gaps += seen[i].gaps;
        out->duplicates += seen[i].dup;
        out->backwards += seen[i].back;
    }
}

const est_samples_gpu *est_samples_result_gpu(const est_samples_result *r, size_t i)
{
    if (!r || i >= r->n_gpus || !r->gpus_private)
        return NULL;
    return (const est_samples_gpu *)r->gpus_private + i;
}

int est_samples_result_gpu_energy_kwh(double *out_kwh, const est_samples_result *r)
{
    double e = 0.0;
    size_t g;
    int any = 0;
    if (!out_kwh || !r)
        return EST_EINVAL;
    for (g = 0; g < r->n_gpus; g++) {
        const est_samples_gpu *gpu = est_samples_result_gpu(r, g);
        if (gpu && gpu->power_w.present) {
            e += gpu->energy_kwh;
            any = 1;
        }
    }
    if (!any)
        return EST_ENODATA;
    *out_kwh = e;
    return EST_OK;
}

void est_samples_result_dispose(est_samples_result *r)
{
    if (!r)
        return;
    free(r->gpus_private);
    r->gpus_private = NULL;
    r->n_gpus = 0;
}

int est__samples_result_gpus(est_samples_result *r, size_t n, est_error *err)
{
    est_samples_gpu *g = calloc(n ? n : 1, sizeof *g);
    if (!g)
        return est__fail(err, EST_ENOMEM, "out of memory");
    r->gpus_private = g;
    r->n_gpus = 0;
    return EST_OK;
}

static int compute_one(est_samples_result *out, const est_samples *s, est_error *err);

int est_samples_compute(est_samples_result *out, const est_samples *s, est_error *err)
{
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_samples_compute: out is NULL");
    memset(out, 0, sizeof *out);
    if (!s)
        return est__fail(err, EST_EINVAL, "est_samples_compute: s is NULL");
    rc = s->agg ? s->agg->compute(s->agg_user, out, err) : compute_one(out, s, err);
    if (rc != EST_OK)
        est_samples_result_dispose(out); /* a failed result owns nothing */
    return rc;
}

static int compute_one(est_samples_result *out, const est_samples *s, est_error *err)
{
    size_t k, d, n_known = 0;
    unsigned long valid = 0;
    double first = INFINITY, last = -INFINITY, min_cov = INFINITY;
    int any_present = 0, rc;
    est_samples_gpu *gpus;

    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            const channel *c = s->ch[k][d];
            if (!c || !c->seen)
                continue;
            valid += c->samples;
            if (c->first_t < first)
                first = c->first_t;
            if (c->max_t > last)
                last = c->max_t;
        }
    if (valid == 0)
        return est__fail(err, EST_ENODATA, "no samples: the input holds no value to integrate");
    if (!(last > first))
        return est__fail(err, EST_ENODATA, "a single sample time: at least two samples "
                         "of a quantity are needed to integrate over time");
    /* idle-until starts the window, but never before the first sample */
    out->start_unix_s = s->o.has_start ? s->o.start_unix_s
                        : s->o.has_idle_until && s->o.idle_until_unix_s > first
                            ? s->o.idle_until_unix_s : first;
    if (s->o.has_idle_until && s->o.gpu_idle_w == EST_UNSET) {
        /* idle-until asks for a measurement: at least one GPU must have
           power samples (two in a row) before it */
        double gfirst = INFINITY;
        int measured = 0;
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            const channel *p = s->ch[EST_SAMPLES_GPU_POWER_W][d];
            if (!p || !p->seen)
                continue;
            if (p->idle_covered_s > 0.0)
                measured = 1;
            if (p->first_t < gfirst)
                gfirst = p->first_t;
        }
        if (!measured) {
            char a[40], b[40];
            est_format_time(a, sizeof a, s->o.idle_until_unix_s);
            if (isfinite(gfirst))
                est_format_time(b, sizeof b, gfirst);
            return est__fail(err, EST_ENODATA, "idle-until %s: no GPU has power samples "
                             "before it to measure its idle power on (%s%s): give an "
                             "idle-until after some idle samples, or the idle power itself",
                             a, isfinite(gfirst) ? "the first GPU sample is at " :
                             "the samples have no GPU power", isfinite(gfirst) ? b : "");
        }
    }
    out->end_unix_s = s->o.has_end ? s->o.end_unix_s : last;
    out->duration_s = out->end_unix_s - out->start_unix_s;
    if (!(out->duration_s > 0.0))
        return est__fail(err, EST_ERANGE, "the job window holds no time: the samples end "
                         "before it starts");

    quantity(s, s->ch[EST_SAMPLES_CPU_USAGE_FRAC][0], out, 0, 0, 0, &out->cpu_usage_frac);
    quantity(s, s->ch[EST_SAMPLES_CPU_CORES][0], out, 0, 0, 0, &out->cpu_cores);
    quantity(s, s->ch[EST_SAMPLES_CPU_BUSY_CORES][0], out, 0, 0, 0, &out->cpu_busy_cores);
    out->cpu_busy_cores_derived = s->ch[EST_SAMPLES_CPU_BUSY_CORES][0] &&
                                  !s->ch[EST_SAMPLES_CPU_BUSY_CORES][0]->given;
    quantity(s, s->ch[EST_SAMPLES_RAM_USED_GB][0], out, 0, 0, 0, &out->ram_used_gb);
    quantity(s, s->ch[EST_SAMPLES_CPU_PACKAGE_POWER_W][0], out, 0, 0, 0,
             &out->cpu_package_power_w);
    quantity(s, s->ch[EST_SAMPLES_NODE_POWER_W][0], out, 0, 0, 0, &out->node_power_w);
    out->cpu_package_energy_kwh = out->cpu_package_power_w.integral / 3.6e6;
    out->node_energy_kwh = out->node_power_w.integral / 3.6e6;

    for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++)
        n_known += s->gpu[d].known ? 1u : 0u;
    if ((rc = est__samples_result_gpus(out, n_known, err)) != EST_OK)
        return rc;
    gpus = out->gpus_private;
    for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
        const channel *p = s->ch[EST_SAMPLES_GPU_POWER_W][d];
        est_samples_gpu *g;
        double extra = 0.0, have;
        if (!s->gpu[d].known)
            continue;
        g = &gpus[out->n_gpus++];
        g->index = (unsigned)d;
        est__strlcpy(g->name, s->gpu[d].name, sizeof g->name);
        g->secondary_die = s->gpu[d].secondary;
        g->idle_w = gpu_idle(s, (unsigned)d, &g->idle_source, &g->idle_covered_s);
        if (p && s->o.fill == EST_SAMPLES_FILL_IDLE)
            extra = p->idle_gap_s;
        quantity(s, p, out, g->idle_w * extra, extra, g->idle_w, &g->power_w);
        quantity(s, s->ch[EST_SAMPLES_GPU_USAGE_FRAC][d], out, 0, 0, 0, &g->usage_frac);
        g->mean_power_w = g->power_w.mean;
        g->energy_kwh = g->power_w.integral / 3.6e6;
        have = g->power_w.covered_s + g->power_w.filled_s;
        g->energy_above_idle_kwh = (g->power_w.integral - g->idle_w * have) / 3.6e6;
        if (g->energy_above_idle_kwh < 0.0)
            g->energy_above_idle_kwh = 0.0;
    }

    /* totals over every quantity; gaps, duplicates and backwards counted
       in rows (issue 14 #26): the quantities of one log share its rows, so
       a log's count is its largest quantity's, and the logs' counts add */
    row_counts(s, out);
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            const channel *c = s->ch[k][d];
            double have;
            tail tl;
            if (!c || !c->seen)
                continue;
            tl = channel_tail(s, c, out->start_unix_s, out->end_unix_s);
            out->missing += c->missing;
            have = c->covered_s + c->filled_s + tl.fill_s + tl.idle_s +
                   (k == EST_SAMPLES_GPU_POWER_W && s->o.fill == EST_SAMPLES_FILL_IDLE ? c->idle_gap_s
                                                                              : 0.0);
            if (have > 0.0)
                any_present = 1;
            if ((have > 0.0 || c->samples > 0) && have < min_cov)
                min_cov = have; /* a quantity with samples but no interval: 0 */
        }
    if (!any_present)
        return est__fail(err, EST_ENODATA, "no two consecutive samples of any quantity "
                         "in the job window: nothing to integrate");
    out->covered_s = min_cov;
    return EST_OK;
}

int est_samples_energy_bins(est_intensity_energy_bin *bins, size_t max_bins, size_t *n_bins,
                            const est_samples *s, const est_samples_bin_weights *w, est_error *err)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN, i;
    size_t k, d, n;
    double idle[EST_SAMPLES_GPUS_MAX];
    int by_busy;

    if (!s || !w || !n_bins || (max_bins && !bins))
        return est__fail(err, EST_EINVAL, "est_samples_energy_bins: NULL argument");
    if (s->agg)
        return s->agg->energy_bins(s->agg_user, w, bins, max_bins, n_bins, err);
    *n_bins = 0;
    if (w->version != EST_SAMPLES_BIN_WEIGHTS_VERSION)
        return est__fail(err, EST_EINVAL, "bin weights version %u is not supported (expected "
                         "%u): start from EST_SAMPLES_BIN_WEIGHTS_INIT", w->version,
                         (unsigned)EST_SAMPLES_BIN_WEIGHTS_VERSION);
    if (s->o.bin_s <= 0.0)
        return est__fail(err, EST_EINVAL, "energy bins were not enabled (bin_s is 0)");
    if (s->bins_dropped)
        return est__fail(err, EST_ERANGE, "the job window spans more than %zu energy bins "
                         "of %g s, or a sample time too far from 1970 to bin: none were kept",
                         s->o.max_bins, s->o.bin_s);
    if (!(w->pue >= 1.0) || !isfinite(w->pue))
        return est__fail(err, EST_EINVAL, "pue: must be at least 1, got %g", w->pue);
    if (!(w->cpu_w_at_full_usage >= 0.0) || !isfinite(w->cpu_w_at_full_usage) ||
        !(w->memory_w_per_gb >= 0.0) || !isfinite(w->memory_w_per_gb) ||
        !(w->cpu_w_per_busy_core >= 0.0) || !isfinite(w->cpu_w_per_busy_core))
        return est__fail(err, EST_EINVAL, "bin weights: cpu_w_at_full_usage, memory_w_per_gb "
                         "and cpu_w_per_busy_core must be finite and >= 0");
    for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
        est_samples_idle_source src;
        double cov;
        idle[d] = gpu_idle(s, (unsigned)d, &src, &cov);
    }
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            const channel *c = s->ch[k][d];
            if (!c || !c->n_bins)
                continue;
            if (c->bin_base < lo)
                lo = c->bin_base;
            if (c->bin_base + (int64_t)c->n_bins - 1 > hi)
                hi = c->bin_base + (int64_t)c->n_bins - 1;
        }
    if (lo > hi)
        return EST_OK;
    by_busy = w->cpu_w_per_busy_core > 0.0 && s->ch[EST_SAMPLES_CPU_BUSY_CORES][0] &&
              s->ch[EST_SAMPLES_CPU_BUSY_CORES][0]->n_bins > 0;
    n = (size_t)(hi - lo + 1);
    *n_bins = n;
    if (n > max_bins)
        return max_bins ? est__fail(err, EST_ERANGE, "%zu energy bins do not fit in %zu",
                                    n, max_bins)
                        : EST_OK;
    for (i = lo; i <= hi; i++) {
        est_intensity_energy_bin *b = &bins[i - lo];
        double ws = s->ws, we = s->we;
        b->start_unix_s = (double)i * s->o.bin_s;
        b->end_unix_s = (double)(i + 1) * s->o.bin_s;
        if (b->start_unix_s < ws)
            b->start_unix_s = ws;
        if (b->end_unix_s > we)
            b->end_unix_s = we;
        b->energy_kwh = 0.0;
    }
    for (k = 0; k < EST_SAMPLES_KIND_COUNT; k++)
        for (d = 0; d < EST_SAMPLES_GPUS_MAX; d++) {
            const channel *c = s->ch[k][d];
            double coef;
            size_t j;
            if (!c || !c->n_bins)
                continue;
            switch (c->kind) {
            case EST_SAMPLES_CPU_USAGE_FRAC:
                coef = w->cpu_use_package_power || by_busy ? 0.0 : w->cpu_w_at_full_usage;
                break;
            case EST_SAMPLES_CPU_BUSY_CORES:
                coef = w->cpu_use_package_power || !by_busy ? 0.0 : w->cpu_w_per_busy_core;
                break;
            case EST_SAMPLES_CPU_PACKAGE_POWER_W: coef = w->cpu_use_package_power ? 1.0 : 0.0; break;
            case EST_SAMPLES_RAM_USED_GB: coef = w->memory_w_per_gb; break;
            case EST_SAMPLES_GPU_POWER_W: coef = 1.0; break;
            default: coef = 0.0; break;
            }
            if (coef == 0.0)
                continue;
            for (j = 0; j < c->n_bins; j++) {
                double ws = c->bin_int[j] * coef; /* W s */
                if (c->kind == EST_SAMPLES_GPU_POWER_W) {
                    /* idle-filled gap time, then (process scope) idle out */
                    if (s->o.fill == EST_SAMPLES_FILL_IDLE)
                        ws += c->bin_gap[j] * idle[d];
                    if (w->gpu_above_idle) {
                        ws -= c->bin_time[j] * idle[d];
                        if (ws < 0.0)
                            ws = 0.0;
                    }
                }
                bins[(size_t)(c->bin_base - lo) + j].energy_kwh += ws * w->pue / 3.6e6;
            }
        }
    return EST_OK;
}

/* The quantities of a result that overlap_verdict weighs: each one's
   integral, its column name, and which kind and device it is. */
typedef struct overlap_q {
    const est_samples_quantity *q;
    char name[32];
    est_sample id;
} overlap_q;

static int overlap_verdict(const est_samples_result *res, const overlap_q *q, size_t n,
                           est_sample *fault, est_error *err);

static void overlap_add(overlap_q *q, size_t *n, const est_samples_quantity *qq,
                        est_samples_kind kind, unsigned device)
{
    overlap_q *o = &q[(*n)++];
    o->q = qq;
    o->id.kind = kind;
    o->id.device = device;
    o->id.value = 0.0;
    if (kind == EST_SAMPLES_GPU_POWER_W || kind == EST_SAMPLES_GPU_USAGE_FRAC)
        est__snprintf_c(o->name, sizeof o->name, "gpu%u_%s", device, est_samples_kind_name(kind));
    else
        est__strlcpy(o->name, est_samples_kind_name(kind), sizeof o->name);
}

int est__samples_overlap(const est_samples_result *res, est_sample *fault, est_error *err)
{
    static const est_samples_kind host[] = {EST_SAMPLES_CPU_USAGE_FRAC, EST_SAMPLES_CPU_CORES,
                                            EST_SAMPLES_RAM_USED_GB,
                                            EST_SAMPLES_CPU_PACKAGE_POWER_W,
                                            EST_SAMPLES_NODE_POWER_W};
    overlap_q *q;
    size_t n = 0, i;
    int rc;
    if (!res)
        return est__fail(err, EST_EINVAL, "est_samples_check_overlap: NULL argument");
    /* the host quantities and two per GPU: as many as the result holds */
    q = malloc((5 + 2 * res->n_gpus) * sizeof *q);
    if (!q)
        return est__fail(err, EST_ENOMEM, "out of memory");
    {
        const est_samples_quantity *hq[5] = {&res->cpu_usage_frac, &res->cpu_cores,
                                              &res->ram_used_gb, &res->cpu_package_power_w,
                                              &res->node_power_w};
        for (i = 0; i < 5; i++)
            if (hq[i]->present)
                overlap_add(q, &n, hq[i], host[i], 0);
    }
    for (i = 0; i < res->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(res, i);
        if (g->power_w.present)
            overlap_add(q, &n, &g->power_w, EST_SAMPLES_GPU_POWER_W, g->index);
        if (g->usage_frac.present)
            overlap_add(q, &n, &g->usage_frac, EST_SAMPLES_GPU_USAGE_FRAC, g->index);
    }
    rc = overlap_verdict(res, q, n, fault, err);
    free(q);
    return rc;
}

/* Several logs of one job must overlap in time (ecoest/samples.h). */
int est_samples_check_overlap(const est_samples_result *res, est_error *err)
{
    est_sample fault;
    return est__samples_overlap(res, &fault, err);
}

static int overlap_verdict(const est_samples_result *res, const overlap_q *q, size_t n,
                           est_sample *fault, est_error *err)
{
    char spans[600];
    size_t i, o = 0, late = 0;
    double lo = -INFINITY, hi = INFINITY;
    for (i = 0; i < n; i++) {
        char a[32], b[32];
        if (q[i].q->first_unix_s > lo) {
            lo = q[i].q->first_unix_s;
            late = i; /* the quantity that starts last */
        }
        if (q[i].q->last_unix_s < hi)
            hi = q[i].q->last_unix_s;
        est_format_time(a, sizeof a, q[i].q->first_unix_s);
        est_format_time(b, sizeof b, q[i].q->last_unix_s);
        if (o < sizeof spans)
            o += (size_t)est__snprintf_c(spans + o, sizeof spans - o, "%s%s %s to %s", i ? ", " : "",
                                  q[i].name, a, b);
    }
    if (n > 1 && !(hi > lo)) {
        *fault = q[late].id;
        return est__fail(err, EST_ENODATA, "the sample logs share no time (%s): they cannot "
                         "be one job's", spans);
    }
    if (res->covered_s < 0.1 * res->duration_s) {
        size_t least = 0;
        for (i = 1; i < n; i++)
            if (q[i].q->covered_s < q[least].q->covered_s)
                least = i;
        if (n)
            *fault = q[least].id;
        return est__fail(err, EST_ENODATA, "the sample logs hardly overlap: %s has a value "
                         "over only %.1f%% of the %g s from the first to the last sample (%s), "
                         "and its mean would be assumed over the rest",
                         n ? q[least].name : "a quantity",
                         100.0 * res->covered_s / res->duration_s, res->duration_s, spans);
    }
    return EST_OK;
}

unsigned est__samples_sources(const est_samples *s) { return s ? s->next_src : 0; }

const char *est__samples_who(const est_samples *s, est_samples_kind kind, unsigned device)
{
    const channel *c;
    if (!s || (unsigned)kind >= EST_SAMPLES_KIND_COUNT || device >= EST_SAMPLES_GPUS_MAX)
        return NULL;
    c = s->ch[kind][device];
    return c && c->who[0] ? c->who : NULL;
}

