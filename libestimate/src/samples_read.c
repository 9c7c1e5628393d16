/* Sample-log readers: one streaming CSV reader, a column schema per format
 * (ecoest, nvidia-smi, amd-smi, rocm-smi, any CSV through a mapping), all
 * pushing into an est_samples. Lines are split in place (no copy per field)
 * and numbers parsed by est_parse_double. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecoest/samples.h"
#include "num_internal.h"
#include "samples_internal.h"

#define FIELDS_MAX 256
#define SLOTS_MAX 128
#define BUSIDS_MAX EST_SAMPLES_GPUS_MAX
#define TIME_MIN_UNIX_S 0.0
#define TIME_MAX_UNIX_S 4102444800.0 /* 2100-01-01T00:00:00Z */
#define PROGRESS_EVERY (4u << 20)

typedef enum col_role {
    COL_IGNORE = 0,
    COL_TIME,      /* any time: Unix seconds, ISO 8601, nvidia-smi's */
    COL_TIME_UNIX, /* Unix seconds only (ecoest time_unix_s) */
    COL_DEVICE,    /* the row's GPU index: "3" or "card3" */
    COL_BUSID,     /* the row's GPU by a key (pci.bus_id, uuid) */
    COL_NAME,      /* the GPU's name */
    COL_VALUE      /* a number for a slot */
} col_role;

typedef struct col {
    col_role role;
    int slot;          /* COL_VALUE: which slot */
    int rank;          /* COL_VALUE: lower is preferred for the slot */
    double scale;      /* COL_VALUE: 0.01 for a percentage */
    char unit;         /* COL_VALUE: accepted unit suffix 'W' or '%', or 0 */
    int nonzero;       /* COL_VALUE: est__sample_nonzero of the slot's kind */
    double vmax;       /* COL_VALUE: est__sample_max of the slot's kind */
    int fixed_device;  /* COL_NAME: -1 for the row's device */
    char name[64];     /* as in the header, for messages */
} col;

/* The best-ranked column with a number wins a slot; a missing token (NaN)
   only when no column of the slot has a number. */
static inline void slot_take(double *sv, int *srank, const col *c, double v)
{
    if (srank[c->slot] == INT_MAX || (isnan(sv[c->slot]) && !isnan(v)) ||
        (!isnan(v) && c->rank < srank[c->slot])) {
        sv[c->slot] = v;
        srank[c->slot] = c->rank;
    }
}

/* A parsed row of the block parser: time, device, the mask of the slots
   with a value (bit i: slot i), then the values. */
static inline void row_pack(double *row, double t, unsigned dev, const double *sv,
                            const int *srank, size_t nslots)
{
    uint64_t mask = 0;
    size_t i;
    row[0] = t;
    row[1] = (double)dev;
    for (i = 0; i < nslots; i++)
        if (srank[i] != INT_MAX) {
            mask |= (uint64_t)1 << i;
            row[3 + i] = sv[i];
        }
    memcpy(&row[2], &mask, sizeof mask);
}

/* A set of GPU devices, one bit each: which were named, which give a
   reading in this rocm-smi tick. Indices past EST_SAMPLES_GPUS_MAX are
   never in it. */
typedef struct devset {
    uint64_t w[(EST_SAMPLES_GPUS_MAX + 63) / 64];
} devset;

static inline int devset_has(const devset *d, unsigned i)
{
    return i < EST_SAMPLES_GPUS_MAX ? (int)(d->w[i / 64] >> (i % 64) & 1) : 0;
}

static inline void devset_add(devset *d, unsigned i)
{
    if (i < EST_SAMPLES_GPUS_MAX)
        d->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline int devset_any(const devset *d)
{
    size_t k;
    for (k = 0; k < sizeof d->w / sizeof d->w[0]; k++)
        if (d->w[k])
            return 1;
    return 0;
}

typedef struct slot {
    est_samples_kind kind;
    int row_device; /* device from the row, else fixed */
    unsigned device;
} slot;

struct est_samples_reader {
    est_samples *s;
    est_samples_read_options o;
    unsigned src;
    char name[EST_ERROR_FILE_MAX];
    int failed;
    est_error saved;

    est_samples_format format;
    int have_header;
    int columns_is_list; /* --columns gave the header */
    char *header;        /* the header line as read, for repeats */
    size_t header_len;
    size_t ncols;
    col cols[FIELDS_MAX];
    size_t nslots;
    slot slots[SLOTS_MAX];
    int has_time;
    int needs_tick;      /* no time column: origin + tick x interval */
    int has_device;
    int fast;            /* every column numeric, one column per slot: fast_row */
    size_t fast_nval;    /* fast rows: the values, in column order, of ... */
    est_sample fast_tmpl[FIELDS_MAX]; /* ... these kinds and devices */

    /* the date and minute of the last nvidia-smi time ("YYYY/MM/DD HH:MM"):
       the next rows of the same minute parse only their seconds */
    struct tcache {
        int valid;
        char key[16];
        double day_s;
        long hm;
    } tc;

    unsigned long line;
    unsigned long rows_here;
    double prev_t; /* the last zone-less time read: orders the repeated hour */
    unsigned long long bytes, next_progress;

    /* rocm-smi ticks */
    unsigned long tick;
    devset tick_devices;
    int tick_any_row;

    /* nvidia-smi without index / pci.bus_id / uuid: GPUs numbered by their
       position in each tick (see positional_row) */
    int positional;
    unsigned pos_n;          /* GPUs per tick; 0 while learning */
    double pos_thresh;       /* a step at most this long stays in the tick */
    double pos_prev_t;
    unsigned pos_i;          /* position of the last row in its tick */
    int pos_started;
    struct pend_row *pend;   /* rows held while learning */
    size_t n_pend;

    devset named; /* devices whose name was recorded */
    size_t n_busids;
    char busids[BUSIDS_MAX][40];

    struct sink *sink; /* est_samples_read_fd with two threads; NULL: push */

    /* fast rows parsed and not yet pushed (direct pushes only): pushed at
       once (est__samples_push_block) before any other row, at the end of
       each feed and at finish */
    double *fbuf;
    size_t fbuf_n;

    /* a line straddling feeds */
    char *carry;
    size_t carry_len;
    char *scratch; /* unquoted fields */
};

/* ---- names ---- */

const char *est_samples_format_name(est_samples_format f)
{
    switch (f) {
    case EST_SAMPLES_FORMAT_AUTO: return "auto";
    case EST_SAMPLES_FORMAT_ECOEST: return "ecoest";
    case EST_SAMPLES_FORMAT_NVIDIA_SMI: return "nvidia-smi";
    case EST_SAMPLES_FORMAT_AMD_SMI: return "amd-smi";
    case EST_SAMPLES_FORMAT_ROCM_SMI: return "rocm-smi";
    case EST_SAMPLES_FORMAT_CSV: return "csv";
    default: return "?";
    }
}

int est_samples_format_parse(est_samples_format *out, const char *s)
{
    int f;
    if (!s || !out)
        return EST_EINVAL;
    for (f = EST_SAMPLES_FORMAT_AUTO; f <= EST_SAMPLES_FORMAT_CSV; f++)
        if (strcmp(s, est_samples_format_name((est_samples_format)f)) == 0) {
            *out = (est_samples_format)f;
            return EST_OK;
        }
    return EST_EINVAL;
}

/* ---- times ---- */

static int digits_n(const char *s, size_t len, size_t *i, int n, long *out)
{
    long v = 0;
    int k;
    for (k = 0; k < n; k++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
        (*i)++;
    }
    *out = v;
    return 0;
}

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* "YYYY/MM/DD HH:MM:SS[.fff]" as if UTC. */
static int parse_nvsmi_time(const char *s, size_t len, double *out)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t i = 0;
    long y, mo, d, h, mi, sec;
    double frac = 0.0;
    if (digits_n(s, len, &i, 4, &y) || i >= len || s[i++] != '/' ||
        digits_n(s, len, &i, 2, &mo) || i >= len || s[i++] != '/' ||
        digits_n(s, len, &i, 2, &d) || i >= len || s[i++] != ' ' ||
        digits_n(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
        digits_n(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
        digits_n(s, len, &i, 2, &sec))
        return EST_EPARSE;
    if (i < len && s[i] == '.') {
        i++;
        const char *q = s + i;
        if (i >= len)
            return EST_EPARSE;
        est__time_fraction(&q, s + len, &frac);
        i = (size_t)(q - s);
    }
    if (i != len || y < 1 || mo < 1 || mo > 12 || d < 1 ||
        d > dm[mo - 1] + (mo == 2 && is_leap(y)) || h > 23 || mi > 59 || sec > 59)
        return EST_EPARSE;
    *out = (double)est_days_from_civil((int)y, (unsigned)mo, (unsigned)d) * 86400.0 +
           (double)(h * 3600 + mi * 60 + sec) + frac;
    return EST_OK;
}

static int apply_zone(double local, int has_tz, long tz_offset_s, est_samples_tz_offset_fn tz_fn,
                      est_samples_tz_offsets_fn offs_fn, void *tz_user, double prev, double *out)
{
    long off;
    if (has_tz)
        off = tz_offset_s;
    else if (offs_fn) {
        long o[2];
        int n = 0;
        if (offs_fn(tz_user, local, o, &n) || n < 1 || n > 2)
            return EST_EPARSE; /* a local time that does not exist */
        off = o[0];
        if (n == 2) {
            /* the repeated hour: the instant at or after the previous time,
               the earlier one when both or neither are */
            double u0 = local - (double)o[0], u1 = local - (double)o[1];
            double early = u0 < u1 ? u0 : u1, late = u0 < u1 ? u1 : u0;
            double pick = early >= prev || late < prev ? early : late;
            off = pick == u0 ? o[0] : o[1];
        }
    } else if (tz_fn) {
        if (tz_fn(tz_user, local, &off))
            return EST_EPARSE; /* a local time that does not exist */
    } else
        return EST_EINVAL;
    *out = local - (double)off;
    return EST_OK;
}

int est__parse_log_time(const char *s, size_t len, int has_tz, long tz_offset_s,
                        est_samples_tz_offset_fn tz_fn, est_samples_tz_offsets_fn offs_fn, void *tz_user,
                        double prev, double *out)
{
    char buf[64];
    double local;
    long zero = 0;
    int rc;
    if (len == 0 || len >= sizeof buf || memchr(s, '\0', len))
        return EST_EPARSE;
    if (len >= 5 && s[4] == '/') {
        if (parse_nvsmi_time(s, len, &local))
            return EST_EPARSE;
        return apply_zone(local, has_tz, tz_offset_s, tz_fn, offs_fn, tz_user, prev, out);
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    rc = est_parse_time(out, buf, NULL);
    if (rc == EST_OK)
        return EST_OK;
    if (rc != EST_EPARSE || est_parse_time(&local, buf, &zero) != EST_OK)
        return EST_EPARSE;
    return apply_zone(local, has_tz, tz_offset_s, tz_fn, offs_fn, tz_user, prev, out);
}

/* ---- open / free ---- */

/* Is [p, end) only blanks? */
static int blank(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t')
            return 0;
    return 1;
}

/* The form of opts->columns, checked at open (the names against the header
   come later): not empty; as a mapping ("key=column,..."), every item has a
   key and a column; as a header list, some name is not blank. */
static int check_columns(const char *cols, est_error *err)
{
    const char *p = cols;
    int any = 0;
    if (blank(cols, cols + strlen(cols)))
        return est__fail(err, EST_EINVAL, "--columns: empty");
    if (!strchr(cols, '=')) {
        for (; *p; p++)
            if (*p != ',' && *p != ' ' && *p != '\t')
                any = 1;
        if (!any)
            return est__fail(err, EST_EINVAL, "--columns: no column name in \"%s\"", cols);
        return EST_OK;
    }
    for (;;) {
        const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq || blank(p, eq) || blank(eq + 1, end))
            return est__fail(err, EST_EINVAL, "--columns: expected key=column, got \"%.*s\"",
                             (int)(end - p), p);
        if (!comma)
            return EST_OK;
        p = comma + 1;
    }
}

int est_samples_reader_open(est_samples_reader **rp, est_samples *s, const char *name,
                            const est_samples_read_options *opts, est_error *err)
{
    est_samples_read_options dflt = EST_SAMPLES_READ_OPTIONS_INIT;
    const est_samples_read_options *o = opts ? opts : &dflt;
    est_samples_reader *r;

    if (!rp || !s)
        return est__fail(err, EST_EINVAL, "est_samples_reader_open: NULL argument");
    *rp = NULL;
    if (o->version != EST_SAMPLES_READ_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "read options version %u is not supported "
                         "(expected %u)", o->version,
                         (unsigned)EST_SAMPLES_READ_OPTIONS_VERSION);
    if ((unsigned)o->format > EST_SAMPLES_FORMAT_CSV)
        return est__fail(err, EST_EINVAL, "unknown sample-log format %d", (int)o->format);
    if (!(o->interval_s >= 0.0) || !isfinite(o->interval_s))
        return est__fail(err, EST_EINVAL, "interval: must be a finite number of seconds >= 0");
    if (!isfinite(o->origin_unix_s))
        return est__fail(err, EST_EINVAL, "origin: must be a finite time");
    if (o->has_tz && (o->tz_offset_s < -86400 || o->tz_offset_s > 86400))
        return est__fail(err, EST_EINVAL, "tz: offset out of range");
    if (o->columns && check_columns(o->columns, err) != EST_OK)
        return EST_EINVAL;
    r = calloc(1, sizeof *r);
    if (!r)
        return est__fail(err, EST_ENOMEM, "out of memory");
    r->carry = malloc(EST_SAMPLES_LINE_MAX);
    r->scratch = malloc(EST_SAMPLES_LINE_MAX);
    if (!r->carry || !r->scratch) {
        est_samples_reader_free(r);
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    r->s = s;
    r->o = *o;
    r->src = est__samples_new_source(s);
    est__strlcpy(r->name, name ? name : "<input>", sizeof r->name);
    r->format = EST_SAMPLES_FORMAT_AUTO;
    r->next_progress = PROGRESS_EVERY;
    r->prev_t = -INFINITY;
    *rp = r;
    return EST_OK;
}

void est_samples_reader_free(est_samples_reader *r)
{
    if (!r)
        return;
    free(r->pend);
    free(r->fbuf);
    free(r->carry);
    free(r->scratch);
    free(r->header);
    free(r);
}

est_samples_format est_samples_reader_format(const est_samples_reader *r)
{
    return r ? r->format : EST_SAMPLES_FORMAT_AUTO;
}

int est_samples_check_time_bases(size_t n_timeless, size_t n_timed, int origin_given)
{
    return n_timeless && n_timed && !origin_given ? EST_EINVAL : EST_OK;
}

int est_samples_reader_timeless(const est_samples_reader *r)
{
    return r && r->needs_tick ? 1 : 0;
}

unsigned est_samples_reader_gpus_by_position(const est_samples_reader *r)
{
    return r && r->positional && r->pos_n > 1 ? r->pos_n : 0;
}

/* ---- fields ---- */

typedef struct field {
    const char *p;
    size_t n;
} field;

static int is_space(char c) { return c == ' ' || c == '\t'; }

static void trim(field *f)
{
    while (f->n && is_space(f->p[0])) {
        f->p++;
        f->n--;
    }
    while (f->n && is_space(f->p[f->n - 1]))
        f->n--;
}

/* Splits a line at commas; fields in quotes ("a,b", "say ""hi""") are
   unquoted into the reader's scratch. Returns the count, -1 for too many
   fields, -2 for a broken quote. */
static int split(est_samples_reader *r, const char *p, size_t n, field *f)
{
    size_t nf = 0, i = 0, so = 0;
    if (!memchr(p, '"', n)) {
        const char *end = p + n, *q = p;
        for (;;) {
            const char *c = memchr(q, ',', (size_t)(end - q));
            if (nf == FIELDS_MAX)
                return -1;
            f[nf].p = q;
            f[nf].n = (size_t)((c ? c : end) - q);
            trim(&f[nf]);
            nf++;
            if (!c)
                break;
            q = c + 1;
        }
        return (int)nf;
    }
    for (;;) {
        size_t start;
        if (nf == FIELDS_MAX)
            return -1;
        while (i < n && is_space(p[i]))
            i++;
        if (i < n && p[i] == '"') {
            start = so;
            i++;
            for (;;) {
                if (i >= n)
                    return -2;
                if (p[i] == '"') {
                    if (i + 1 < n && p[i + 1] == '"') {
                        r->scratch[so++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                r->scratch[so++] = p[i++];
            }
            while (i < n && is_space(p[i]))
                i++;
            if (i < n && p[i] != ',')
                return -2;
            f[nf].p = r->scratch + start;
            f[nf].n = so - start;
        } else {
            const char *c = memchr(p + i, ',', n - i);
            size_t e = c ? (size_t)(c - p) : n;
            if (memchr(p + i, '"', e - i))
                return -2;
            f[nf].p = p + i;
            f[nf].n = e - i;
            trim(&f[nf]);
            i = e;
        }
        nf++;
        if (i >= n)
            break;
        i++; /* the comma */
        if (i == n) {
            if (nf == FIELDS_MAX)
                return -1;
            f[nf].p = p + n;
            f[nf].n = 0;
            nf++;
            break;
        }
    }
    return (int)nf;
}

static int feq(field f, const char *s)
{
    size_t n = strlen(s);
    return f.n == n && memcmp(f.p, s, n) == 0;
}

/* The header name less a trailing " [unit]". */
static field strip_unit(field f)
{
    if (f.n >= 3 && f.p[f.n - 1] == ']') {
        size_t i = f.n - 1;
        while (i > 0 && f.p[i] != '[')
            i--;
        if (f.p[i] == '[') {
            f.n = i;
            trim(&f);
        }
    }
    return f;
}

static int fstarts(field f, const char *s)
{
    size_t n = strlen(s);
    return f.n >= n && memcmp(f.p, s, n) == 0;
}

static int fcontains(field f, const char *s)
{
    size_t n = strlen(s), i;
    for (i = 0; i + n <= f.n; i++)
        if (memcmp(f.p + i, s, n) == 0)
            return 1;
    return 0;
}

/* ---- errors and bad rows ---- */

static int fail(est_samples_reader *r, est_error *err, int code)
{
    r->failed = code;
    if (err)
        r->saved = *err;
    return code;
}

/* A bad row: stops the reader, or with skip_bad_rows is counted. */
static int bad_row(est_samples_reader *r, est_error *err, est_samples_bad_row_kind kind,
                   const col *c, unsigned colno, field value, const char *what)
{
    est_samples_read_stats *st = est__samples_stats(r->s);
    est_error local, *e = r->o.skip_bad_rows ? &local : err;
    char ex[80];
    if (value.p)
        est__excerpt(ex, sizeof ex, value.p, value.n);
    if (value.p)
        est__fail_at(e, EST_EPARSE, r->name, r->line, colno, c ? c->name : NULL,
                     "%s, got \"%s\"", what, ex);
    else
        est__fail_at(e, EST_EPARSE, r->name, r->line, colno, c ? c->name : NULL, "%s", what);
    if (!r->o.skip_bad_rows)
        return fail(r, err, EST_EPARSE);
    st->skipped_rows++;
    st->skipped_by_kind[kind]++;
    if (st->n_first < EST_SAMPLES_BAD_ROW_LINES_MAX) {
        est__strlcpy(st->first_file[st->n_first], r->name, sizeof st->first_file[0]);
        st->first_line[st->n_first] = r->line;
        if (st->n_first == 0)
            est__strlcpy(st->first_message, local.message, sizeof st->first_message);
        st->n_first++;
    }
    return EST_OK;
}

/* ---- schema ---- */

static int add_slot(est_samples_reader *r, est_samples_kind k, int row_device, unsigned dev)
{
    size_t i;
    for (i = 0; i < r->nslots; i++)
        if (r->slots[i].kind == k && r->slots[i].row_device == row_device &&
            r->slots[i].device == dev)
            return (int)i;
    if (r->nslots == SLOTS_MAX)
        return -1;
    r->slots[r->nslots].kind = k;
    r->slots[r->nslots].row_device = row_device;
    r->slots[r->nslots].device = dev;
    return (int)r->nslots++;
}

static int set_value(est_samples_reader *r, col *c, est_samples_kind k, int row_device,
                     unsigned dev, double scale, char unit, int rank)
{
    int sl = add_slot(r, k, row_device, dev);
    if (sl < 0)
        return -1;
    c->role = COL_VALUE;
    c->slot = sl;
    c->scale = scale;
    c->unit = unit;
    c->rank = rank;
    c->vmax = est__sample_max(k);
    c->nonzero = est__sample_nonzero(k);
    return 0;
}

/* "gpu12_" prefix: returns the index and the rest, or -1. */
static int gpu_prefix(field f, field *rest)
{
    size_t i = 3;
    long v = 0;
    if (!fstarts(f, "gpu") || f.n < 5 || f.p[3] < '0' || f.p[3] > '9')
        return -1;
    while (i < f.n && f.p[i] >= '0' && f.p[i] <= '9') {
        v = v * 10 + (f.p[i] - '0');
        if (v >= EST_SAMPLES_GPUS_MAX)
            return -2;
        i++;
    }
    if (i >= f.n || f.p[i] != '_')
        return -1;
    rest->p = f.p + i + 1;
    rest->n = f.n - i - 1;
    return (int)v;
}

static int schema_ecoest(est_samples_reader *r, const field *h, size_t n, est_error *err)
{
    size_t i;
    int ntime = 0;
    for (i = 0; i < n; i++) {
        col *c = &r->cols[i];
        field rest;
        int g, rc = 0;
        if (feq(h[i], "time_unix_s")) {
            c->role = COL_TIME_UNIX;
            ntime++;
        } else if (feq(h[i], "time_iso")) {
            c->role = COL_TIME;
            ntime++;
        } else if (feq(h[i], "cpu_usage_frac"))
            rc = set_value(r, c, EST_SAMPLES_CPU_USAGE_FRAC, 0, 0, 1.0, 0, 0);
        else if (feq(h[i], "cpu_usage_pct"))
            rc = set_value(r, c, EST_SAMPLES_CPU_USAGE_FRAC, 0, 0, 0.01, 0, 0);
        else if (feq(h[i], "cpu_cores"))
            rc = set_value(r, c, EST_SAMPLES_CPU_CORES, 0, 0, 1.0, 0, 0);
        else if (feq(h[i], "cpu_busy_cores"))
            rc = set_value(r, c, EST_SAMPLES_CPU_BUSY_CORES, 0, 0, 1.0, 0, 0);
        else if (feq(h[i], "ram_used_gb"))
            rc = set_value(r, c, EST_SAMPLES_RAM_USED_GB, 0, 0, 1.0, 0, 0);
        else if (feq(h[i], "cpu_package_power_w"))
            rc = set_value(r, c, EST_SAMPLES_CPU_PACKAGE_POWER_W, 0, 0, 1.0, 0, 0);
        else if (feq(h[i], "node_power_w"))
            rc = set_value(r, c, EST_SAMPLES_NODE_POWER_W, 0, 0, 1.0, 0, 0);
        else if ((g = gpu_prefix(h[i], &rest)) >= 0) {
            if (feq(rest, "power_w"))
                rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 0, (unsigned)g, 1.0, 0, 0);
            else if (feq(rest, "usage_frac"))
                rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 0, (unsigned)g, 1.0, 0, 0);
            else if (feq(rest, "usage_pct"))
                rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 0, (unsigned)g, 0.01, 0, 0);
            else if (feq(rest, "name")) {
                c->role = COL_NAME;
                c->fixed_device = g;
            }
        } else if (g == -2)
            return est__fail_at(err, EST_EPARSE, r->name, r->line, (unsigned)i + 1, c->name,
                                "GPU index above %d", EST_SAMPLES_GPUS_MAX - 1);
        if (rc)
            return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL, "too many columns");
    }
    if (ntime != 1)
        return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                            ntime ? "two time columns: give time_unix_s or time_iso, not both"
                                  : "no time column: an ecoest sample log needs time_unix_s "
                                    "or time_iso");
    r->has_time = 1;
    return EST_OK;
}

static int schema_nvsmi(est_samples_reader *r, const field *h, size_t n, est_error *err)
{
    size_t i;
    int has_index = 0;
    for (i = 0; i < n; i++)
        if (feq(strip_unit(h[i]), "index"))
            has_index = 1;
    for (i = 0; i < n; i++) {
        col *c = &r->cols[i];
        field f = strip_unit(h[i]);
        int rc = 0;
        if (feq(f, "timestamp")) {
            c->role = COL_TIME;
            r->has_time = 1;
        } else if (feq(f, "index")) {
            c->role = COL_DEVICE;
            r->has_device = 1;
        } else if (!has_index && (feq(f, "pci.bus_id") || feq(f, "uuid")) && !r->has_device) {
            c->role = COL_BUSID;
            r->has_device = 1;
        } else if (feq(f, "name")) {
            c->role = COL_NAME;
            c->fixed_device = -1;
        } else if (feq(f, "power.draw.average"))
            rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 1, 0, 1.0, 'W', 0);
        else if (feq(f, "power.draw"))
            rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 1, 0, 1.0, 'W', 1);
        else if (feq(f, "power.draw.instant"))
            rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 1, 0, 1.0, 'W', 2);
        else if (feq(f, "utilization.gpu"))
            rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 1, 0, 0.01, '%', 0);
        if (rc)
            return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL, "too many columns");
    }
    if (!r->has_time)
        return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                            "nvidia-smi log without a timestamp column: log with "
                            "--query-gpu=timestamp,index,name,power.draw,...");
    if (!r->has_device)
        r->positional = 1; /* GPUs by their position in each tick */
    return EST_OK;
}

static int schema_amd(est_samples_reader *r, const field *h, size_t n, est_error *err)
{
    size_t i;
    for (i = 0; i < n; i++) {
        col *c = &r->cols[i];
        int rc = 0;
        if (feq(h[i], "timestamp")) {
            c->role = COL_TIME;
            r->has_time = 1;
        } else if (feq(h[i], "gpu")) {
            c->role = COL_DEVICE;
            r->has_device = 1;
        } else if (feq(h[i], "power_usage") || feq(h[i], "socket_power"))
            rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 1, 0, 1.0, 'W',
                           feq(h[i], "socket_power") ? 0 : 1);
        else if (feq(h[i], "gfx") || feq(h[i], "gfx_util")) /* either, gfx_util preferred */
            rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 1, 0, 0.01, '%',
                           feq(h[i], "gfx_util") ? 0 : 1);
        if (rc)
            return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL, "too many columns");
    }
    if (!r->has_time)
        return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                            "amd-smi log without a timestamp column");
    return EST_OK;
}

static int schema_rocm(est_samples_reader *r, const field *h, size_t n, est_error *err)
{
    size_t i;
    int rank = 0;
    for (i = 0; i < n; i++) {
        col *c = &r->cols[i];
        int rc = 0;
        if (feq(h[i], "device")) {
            c->role = COL_DEVICE;
            r->has_device = 1;
        } else if (fcontains(h[i], "Power (W)"))
            rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 1, 0, 1.0, 'W', rank++);
        else if (feq(h[i], "GPU use (%)"))
            rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 1, 0, 0.01, '%', 0);
        if (rc)
            return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL, "too many columns");
    }
    r->needs_tick = 1;
    return EST_OK;
}

/* Finds the column named name (exactly, or less its " [unit]"). */
static int find_col(const field *h, size_t n, field name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (h[i].n == name.n && memcmp(h[i].p, name.p, name.n) == 0)
            return (int)i;
    for (i = 0; i < n; i++) {
        field s = strip_unit(h[i]);
        if (s.n == name.n && memcmp(s.p, name.p, name.n) == 0)
            return (int)i;
    }
    return -1;
}

static int schema_mapping(est_samples_reader *r, const field *h, size_t n, est_error *err)
{
    const char *p = r->o.columns;
    int has_index = 0;
    /* first pass: is gpu_index mapped? */
    if (strstr(p, "gpu_index="))
        has_index = 1;
    while (*p) {
        const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        field key, val, rest;
        int ci, g, rc = 0;
        col *c;
        if (!eq)
            return est__fail(err, EST_EINVAL, "--columns: expected key=column, got \"%.*s\"",
                             (int)(end - p), p);
        key.p = p;
        key.n = (size_t)(eq - p);
        val.p = eq + 1;
        val.n = (size_t)(end - eq - 1);
        trim(&key);
        trim(&val);
        ci = find_col(h, n, val);
        if (ci < 0)
            return est__fail(err, EST_EINVAL, "--columns: %s has no column \"%.*s\" "
                             "(its header: %.*s)", r->name, (int)val.n, val.p,
                             (int)(r->header_len < 200 ? r->header_len : 200), r->header);
        c = &r->cols[ci];
        if (c->role != COL_IGNORE)
            return est__fail(err, EST_EINVAL, "--columns: column \"%.*s\" is mapped twice",
                             (int)val.n, val.p);
        if (feq(key, "time")) {
            c->role = COL_TIME;
            r->has_time = 1;
        } else if (feq(key, "cpu_frac"))
            rc = set_value(r, c, EST_SAMPLES_CPU_USAGE_FRAC, 0, 0, 1.0, 0, 0);
        else if (feq(key, "cpu_pct"))
            rc = set_value(r, c, EST_SAMPLES_CPU_USAGE_FRAC, 0, 0, 0.01, '%', 0);
        else if (feq(key, "cpu_cores"))
            rc = set_value(r, c, EST_SAMPLES_CPU_CORES, 0, 0, 1.0, 0, 0);
        else if (feq(key, "cpu_cores_pct")) /* top/ps %CPU: 100 per busy core */
            rc = set_value(r, c, EST_SAMPLES_CPU_BUSY_CORES, 0, 0, 0.01, '%', 0);
        else if (feq(key, "ram_gb"))
            rc = set_value(r, c, EST_SAMPLES_RAM_USED_GB, 0, 0, 1.0, 0, 0);
        else if (feq(key, "cpu_w"))
            rc = set_value(r, c, EST_SAMPLES_CPU_PACKAGE_POWER_W, 0, 0, 1.0, 'W', 0);
        else if (feq(key, "node_w"))
            rc = set_value(r, c, EST_SAMPLES_NODE_POWER_W, 0, 0, 1.0, 'W', 0);
        else if (feq(key, "gpu_w"))
            rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, has_index, 0, 1.0, 'W', 0);
        else if (feq(key, "gpu_pct"))
            rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, has_index, 0, 0.01, '%', 0);
        else if (feq(key, "gpu_frac"))
            rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, has_index, 0, 1.0, 0, 0);
        else if (feq(key, "gpu_index")) {
            c->role = COL_DEVICE;
            r->has_device = 1;
        } else if (feq(key, "gpu_name")) {
            c->role = COL_NAME;
            c->fixed_device = has_index ? -1 : 0;
        } else if ((g = gpu_prefix(key, &rest)) >= 0 &&
                   (feq(rest, "w") || feq(rest, "pct") || feq(rest, "frac"))) {
            if (feq(rest, "w"))
                rc = set_value(r, c, EST_SAMPLES_GPU_POWER_W, 0, (unsigned)g, 1.0, 'W', 0);
            else if (feq(rest, "pct"))
                rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 0, (unsigned)g, 0.01, '%', 0);
            else
                rc = set_value(r, c, EST_SAMPLES_GPU_USAGE_FRAC, 0, (unsigned)g, 1.0, 0, 0);
        } else
            return est__fail(err, EST_EINVAL, "--columns: unknown key \"%.*s\" (keys: time, "
                             "cpu_frac, cpu_pct, cpu_cores, cpu_cores_pct, ram_gb, cpu_w, node_w, gpu_w, "
                             "gpu_pct, gpu_frac, gpuN_w, gpuN_pct, gpuN_frac, gpu_index, "
                             "gpu_name)", (int)key.n, key.p);
        if (rc)
            return est__fail(err, EST_EINVAL, "--columns: too many columns");
        p = comma ? comma + 1 : end;
    }
    if (!r->has_time)
        r->needs_tick = 1;
    return EST_OK;
}

static est_samples_format detect(const field *h, size_t n)
{
    size_t i;
    int ts = 0, gpu = 0, amd_power = 0, nv = 0, rocm_dev = 0, rocm_power = 0;
    for (i = 0; i < n; i++) {
        field f = strip_unit(h[i]);
        if (feq(h[i], "time_unix_s") || feq(h[i], "time_iso"))
            return EST_SAMPLES_FORMAT_ECOEST;
        if (fstarts(f, "power.draw") || feq(f, "utilization.gpu") || feq(f, "pci.bus_id"))
            nv = 1;
        if (feq(h[i], "timestamp"))
            ts = 1;
        if (feq(h[i], "gpu"))
            gpu = 1;
        if (feq(h[i], "power_usage") || feq(h[i], "socket_power"))
            amd_power = 1;
        if (i == 0 && feq(h[i], "device"))
            rocm_dev = 1;
        if (fcontains(h[i], "Power (W)") || feq(h[i], "GPU use (%)"))
            rocm_power = 1;
    }
    if (nv)
        return EST_SAMPLES_FORMAT_NVIDIA_SMI;
    if (ts && gpu && amd_power)
        return EST_SAMPLES_FORMAT_AMD_SMI;
    if (rocm_dev && rocm_power)
        return EST_SAMPLES_FORMAT_ROCM_SMI;
    return EST_SAMPLES_FORMAT_AUTO;
}

static int looks_like_time(field f)
{
    double t;
    return est__parse_log_time(f.p, f.n, 1, 0, NULL, NULL, NULL, 0.0, &t) == EST_OK;
}

static void decide_fast(est_samples_reader *r);

/* Two columns for one quantity at the same rank (two gpu0_power_w, both
   cpu_usage_frac and cpu_usage_pct, gpu_w and gpu0_w mapped to different
   columns) would silently take the first: refused, naming both. Ranked
   fallbacks (power.draw.average, then power.draw) are deliberate. */
static int check_duplicates(est_samples_reader *r, est_error *err)
{
    size_t i, j;
    for (i = 0; i < r->ncols; i++) {
        const col *a = &r->cols[i];
        if (a->role != COL_VALUE)
            continue;
        for (j = i + 1; j < r->ncols; j++) {
            const col *b = &r->cols[j];
            const slot *sl = &r->slots[a->slot];
            char q[64];
            if (b->role != COL_VALUE || b->slot != a->slot || b->rank != a->rank)
                continue;
            if (sl->kind == EST_SAMPLES_GPU_POWER_W || sl->kind == EST_SAMPLES_GPU_USAGE_FRAC) {
                if (sl->row_device)
                    snprintf(q, sizeof q, "the row's GPU's %s", est_samples_kind_name(sl->kind));
                else
                    snprintf(q, sizeof q, "gpu%u_%s", sl->device, est_samples_kind_name(sl->kind));
            } else {
                snprintf(q, sizeof q, "%s", est_samples_kind_name(sl->kind));
            }
            return est__fail_at(err, EST_EPARSE, r->name, r->line, (unsigned)j + 1, NULL,
                                "columns \"%s\" (%zu) and \"%s\" (%zu) both give %s: keep one",
                                a->name, i + 1, b->name, j + 1, q);
        }
    }
    return EST_OK;
}

/* Reads the header (from the file, or --columns given as a header). */
static int take_header(est_samples_reader *r, const char *p, size_t n, est_error *err)
{
    field h[FIELDS_MAX];
    int nf, rc;
    est_samples_format f;
    int mapping = r->o.columns && strchr(r->o.columns, '=');

    r->header = malloc(n + 1);
    if (!r->header)
        return est__fail(err, EST_ENOMEM, "out of memory");
    memcpy(r->header, p, n);
    r->header[n] = '\0';
    r->header_len = n;
    r->have_header = 1;
    {
        /* a binary file (or a NUL in a column name, which would drop that
           column in silence) is not a sample log: say so, echo nothing */
        size_t i;
        for (i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)p[i];
            if (ch == 0 || (ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f)
                return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                                    "not a text file: a %s byte (0x%02x) at byte %zu of the "
                                    "header", ch ? "control" : "NUL", ch, i + 1);
        }
    }
    nf = split(r, r->header, n, h);
    if (nf == -1)
        return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                            "header: more than %d columns", FIELDS_MAX);
    if (nf < 0)
        return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                            "header: a quote is not closed");
    r->ncols = (size_t)nf;
    for (rc = 0; rc < nf; rc++)
        est__excerpt(r->cols[rc].name, sizeof r->cols[rc].name, h[rc].p, h[rc].n);

    f = r->o.format;
    if (mapping) {
        if (f != EST_SAMPLES_FORMAT_AUTO && f != EST_SAMPLES_FORMAT_CSV)
            return est__fail(err, EST_EINVAL, "--columns key=column applies to the csv format, "
                             "not %s", est_samples_format_name(f));
        f = EST_SAMPLES_FORMAT_CSV;
    } else if (f == EST_SAMPLES_FORMAT_AUTO) {
        f = detect(h, (size_t)nf);
        if (f == EST_SAMPLES_FORMAT_AUTO) {
            char ex[120];
            est__excerpt(ex, sizeof ex, p, n);
            if (nf > 0 && looks_like_time(h[0]))
                return est__fail_at(err, EST_EINVAL, r->name, r->line, 0, NULL,
                                    "the file has no header: name its columns with --columns "
                                    "(e.g. the --query-gpu list of nvidia-smi), got \"%s\"", ex);
            return est__fail_at(err, EST_EINVAL, r->name, r->line, 0, NULL,
                                "unknown sample-log header: map its columns with --columns "
                                "(e.g. time=timestamp,gpu_w=power) or force one with "
                                "--samples-format, got \"%s\"", ex);
        }
    } else if (f == EST_SAMPLES_FORMAT_CSV) {
        return est__fail(err, EST_EINVAL, "the csv format needs a column mapping: --columns "
                         "key=column,...");
    }
    r->format = f;
    switch (f) {
    case EST_SAMPLES_FORMAT_ECOEST: rc = schema_ecoest(r, h, (size_t)nf, err); break;
    case EST_SAMPLES_FORMAT_NVIDIA_SMI: rc = schema_nvsmi(r, h, (size_t)nf, err); break;
    case EST_SAMPLES_FORMAT_AMD_SMI: rc = schema_amd(r, h, (size_t)nf, err); break;
    case EST_SAMPLES_FORMAT_ROCM_SMI: rc = schema_rocm(r, h, (size_t)nf, err); break;
    default: rc = schema_mapping(r, h, (size_t)nf, err); break;
    }
    if (rc)
        return rc;
    if ((rc = check_duplicates(r, err)))
        return rc;
    if (r->needs_tick && !(r->o.interval_s > 0.0))
        return est__fail(err, EST_EINVAL, "%s: %s has no time column: give the sampling "
                         "interval with --interval", r->name,
                         f == EST_SAMPLES_FORMAT_ROCM_SMI ? "a rocm-smi log" : "the file");
    decide_fast(r);
    return EST_OK;
}

/* ---- rows ---- */

/* A value field: 0 with *v set (a number, or NaN for a missing token),
   1 when empty (not sampled), 2 for "N/A (Secondary die)", or a bad-row kind
   + 10 with *what. */
static int parse_value(const col *c, field f, double *v, const char **what)
{
    int rc;
    if (f.n == 0)
        return 1;
    if (f.p[0] == '[' && f.p[f.n - 1] == ']') {
        *v = NAN;
        return 0;
    }
    if (f.p[0] == 'N' && (feq(f, "N/A") || feq(f, "NA"))) {
        *v = NAN;
        return 0;
    }
    if (f.p[0] == 'N' && feq(f, "N/A (Secondary die)"))
        return 2;
    if (c->unit && f.n >= 2 && f.p[f.n - 1] == c->unit && (f.p[f.n - 2] == ' ' || c->unit == '%')) {
        f.n--;
        trim(&f);
    }
    rc = est_parse_double(v, f.p, f.n);
    if (rc) {
        *what = rc == EST_ERANGE ? "number out of range" : "expected a number";
        return 10 + EST_SAMPLES_BAD_NUMBER;
    }
    if (*v < 0.0) {
        *what = "must not be negative";
        return 10 + EST_SAMPLES_BAD_NEGATIVE;
    }
    *v *= c->scale;
    return 0;
}

static int parse_device(est_samples_reader *r, const col *c, field f, unsigned *dev)
{
    size_t i = 0;
    unsigned long v = 0;
    if (c->role == COL_BUSID) {
        size_t k;
        for (k = 0; k < r->n_busids; k++)
            if (strlen(r->busids[k]) == f.n && memcmp(r->busids[k], f.p, f.n) == 0) {
                *dev = (unsigned)k;
                return 0;
            }
        if (r->n_busids == BUSIDS_MAX || f.n == 0 || f.n >= sizeof r->busids[0])
            return -1;
        memcpy(r->busids[r->n_busids], f.p, f.n);
        r->busids[r->n_busids][f.n] = '\0';
        *dev = (unsigned)r->n_busids++;
        return 0;
    }
    if (f.n > 4 && memcmp(f.p, "card", 4) == 0)
        i = 4;
    if (i >= f.n)
        return -1;
    for (; i < f.n; i++) {
        if (f.p[i] < '0' || f.p[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(f.p[i] - '0');
        if (v >= EST_SAMPLES_GPUS_MAX)
            return -2;
    }
    *dev = (unsigned)v;
    return 0;
}


/* ---- where rows go: the integrator, or a batch for the other thread ---- */

#define BATCH_ROWS 8192
#define BATCH_VALS 65536
#define BATCH_INFOS 16
#define NBATCH 3

typedef struct batch_rec {
    double t;
    uint32_t first, n; /* n == UINT32_MAX: info record infos[first] */
} batch_rec;

typedef struct batch_info {
    unsigned device;
    int secondary, has_name;
    char name[EST_NAME_MAX];
} batch_info;

typedef struct batch {
    size_t nrec, nval, ninfo;
    batch_rec recs[BATCH_ROWS];
    est_sample vals[BATCH_VALS];
    batch_info infos[BATCH_INFOS];
} batch;

typedef struct sink {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch *b[NBATCH];
    int full[NBATCH];   /* filled, waiting for the consumer */
    size_t fill_i;      /* the batch the producer fills */
    size_t drain_i;     /* the next batch the consumer drains */
    int producer_done;
    int consumer_failed; /* a code: the producer stops */
} sink;

/* Hands the current batch over and takes the next free one. Returns the
   consumer's error code, or 0. */
static int sink_flush(sink *k)
{
    int rc;
    pthread_mutex_lock(&k->mu);
    k->full[k->fill_i] = 1;
    pthread_cond_broadcast(&k->cv);
    k->fill_i = (k->fill_i + 1) % NBATCH;
    while (k->full[k->fill_i] && !k->consumer_failed)
        pthread_cond_wait(&k->cv, &k->mu);
    rc = k->consumer_failed;
    pthread_mutex_unlock(&k->mu);
    k->b[k->fill_i]->nrec = k->b[k->fill_i]->nval = k->b[k->fill_i]->ninfo = 0;
    return rc;
}

static int emit_row(est_samples_reader *r, double t, const est_sample *out, size_t n,
                    est_error *err)
{
    batch *b;
    int rc;
    if (!r->sink) {
        rc = est__samples_push_src(r->s, r->src, r->name, t, out, n, err);
        if (rc)
            return fail(r, err, rc);
        if (r->o.on_row)
            r->o.on_row(r->o.row_user, t, out, n);
        return EST_OK;
    }
    b = r->sink->b[r->sink->fill_i];
    if (b->nrec == BATCH_ROWS || b->nval + n > BATCH_VALS) {
        if ((rc = sink_flush(r->sink)))
            return fail(r, err, est__fail(err, rc, "stopped: the integration failed"));
        b = r->sink->b[r->sink->fill_i];
    }
    b->recs[b->nrec].t = t;
    b->recs[b->nrec].first = (uint32_t)b->nval;
    b->recs[b->nrec].n = (uint32_t)n;
    b->nrec++;
    memcpy(b->vals + b->nval, out, n * sizeof *out);
    b->nval += n;
    return EST_OK;
}

static int emit_info(est_samples_reader *r, unsigned dev, const char *name, int secondary,
                     est_error *err)
{
    batch *b;
    int rc;
    if (!r->sink) {
        est_samples_set_gpu_info(r->s, dev, name, secondary);
        return EST_OK;
    }
    b = r->sink->b[r->sink->fill_i];
    if (b->nrec == BATCH_ROWS || b->ninfo == BATCH_INFOS) {
        if ((rc = sink_flush(r->sink)))
            return fail(r, err, est__fail(err, rc, "stopped: the integration failed"));
        b = r->sink->b[r->sink->fill_i];
    }
    b->infos[b->ninfo].device = dev;
    b->infos[b->ninfo].secondary = secondary;
    b->infos[b->ninfo].has_name = name != NULL;
    if (name)
        est__strlcpy(b->infos[b->ninfo].name, name, sizeof b->infos[0].name);
    b->recs[b->nrec].t = 0.0;
    b->recs[b->nrec].first = (uint32_t)b->ninfo;
    b->recs[b->nrec].n = UINT32_MAX;
    b->nrec++;
    b->ninfo++;
    return EST_OK;
}

/* Hands one row over: its GPU's name (once per device) and secondary-die
   flag, then its values. name "" when none. */
static int deliver(est_samples_reader *r, double t, unsigned dev, const est_sample *out,
                   size_t nout, const char *name, int secondary, est_error *err)
{
    if (name[0] && !devset_has(&r->named, dev)) {
        if (emit_info(r, dev, name, 0, err))
            return r->failed;
        devset_add(&r->named, dev);
    }
    if (secondary && emit_info(r, dev, NULL, 1, err))
        return r->failed;
    if (nout)
        return emit_row(r, t, out, nout, err);
    return EST_OK;
}

/* ---- GPUs numbered by position (nvidia-smi without an index column) ----
 *
 * nvidia-smi writes one row per GPU per tick, always in the same order, each
 * with its own timestamp a few milliseconds after the previous GPU's; ticks
 * are the -l interval apart. The first PEND_MAX rows are held to learn the
 * structure: the steps between consecutive rows must fall in two clusters
 * (within a tick, between ticks) at least POS_RATIO apart, every full tick
 * must have the same number of rows N >= 2 with at least two full ticks, and
 * a tick must last less than half the step between ticks. Then each row is
 * GPU (its position in its tick). When the steps do not cluster, every row
 * is GPU 0 (one GPU). When they cluster but the ticks are irregular, the log
 * is refused: numbering would be a guess. */

#define PEND_MAX 256
#define PEND_VALS 4
#define POS_RATIO 10.0
#define POS_RES_S 1e-3 /* nvidia-smi's timestamps have milliseconds */

typedef struct pend_row {
    double t;
    unsigned long line;
    size_t n;
    est_sample v[PEND_VALS];
    int secondary;
    char name[EST_NAME_MAX];
} pend_row;

static int no_index_error(est_samples_reader *r, unsigned long line, est_error *err,
                          const char *why)
{
    est__fail_at(err, EST_EPARSE, r->name, line, 0, NULL,
                 "several GPUs per tick and no index column (%s): add index to "
                 "--query-gpu", why);
    return fail(r, err, EST_EPARSE);
}

/* Learns N and the step threshold from the held rows. Returns 0, or an
   error (irregular ticks). */
static int positional_learn(est_samples_reader *r, est_error *err)
{
    size_t m = r->n_pend, i, j, nd = m > 1 ? m - 1 : 0;
    double d[PEND_MAX], sd[PEND_MAX];
    int clustered = 0;
    r->pos_n = 1;
    for (i = 0; i < nd; i++) {
        d[i] = r->pend[i + 1].t - r->pend[i].t;
        if (d[i] < 0.0)
            d[i] = 1e18; /* a clock going back: never inside a tick */
        sd[i] = d[i];
    }
    /* sort the steps (insertion: at most 255) */
    for (i = 1; i < nd; i++) {
        double x = sd[i];
        for (j = i; j > 0 && sd[j - 1] > x; j--)
            sd[j] = sd[j - 1];
        sd[j] = x;
    }
    for (j = 0; j + 1 < nd; j++) {
        double lo = sd[j] > POS_RES_S ? sd[j] : POS_RES_S, hi = sd[j + 1];
        double thresh, spread = 0.0, step_min = INFINITY;
        size_t size = 0, first = 0, full = 0, ticks = 0;
        int ok = 1;
        if (hi / lo < POS_RATIO)
            continue;
        if (2 * (j + 1) >= nd) /* within-tick steps: at least half of all */
            clustered = 1;
        thresh = sqrt(lo * hi);
        for (i = 0; i <= nd && ok; i++) {
            size++;
            if (i < nd && d[i] <= thresh) {
                spread += d[i];
                continue;
            }
            /* a tick of size rows ends at row i */
            ticks++;
            if (!first)
                first = size;
            if (i < nd && size != first)
                ok = 0; /* only the last tick may be short */
            else if (i == nd && size > first)
                ok = 0;
            if (size == first)
                full++;
            if (i < nd && d[i] < step_min)
                step_min = d[i];
            if (spread >= 0.5 * step_min)
                ok = 0;
            size = 0;
            spread = 0.0;
        }
        if (ok && first >= 2 && full >= 2 && ticks >= 2) {
            if (first > EST_SAMPLES_GPUS_MAX)
                return no_index_error(r, r->pend[0].line, err, "more than 64 rows per tick");
            r->pos_n = (unsigned)first;
            r->pos_thresh = thresh;
            return EST_OK;
        }
    }
    if (clustered)
        return no_index_error(r, r->pend[0].line, err,
                              "the rows come in bursts, but not of a constant size");
    return EST_OK;
}

/* Numbers one row and delivers it. */
static int positional_place(est_samples_reader *r, double t, unsigned long line,
                            est_sample *out, size_t nout, const char *name, int secondary,
                            est_error *err)
{
    size_t k;
    if (r->pos_n > 1) {
        if (r->pos_started && t >= r->pos_prev_t && t - r->pos_prev_t <= r->pos_thresh) {
            if (++r->pos_i >= r->pos_n) {
                char why[96];
                snprintf(why, sizeof why, "a tick with more rows than the %u GPUs of the "
                         "first ticks", r->pos_n);
                return no_index_error(r, line, err, why);
            }
        } else {
            if (r->pos_started && r->pos_i + 1 != r->pos_n) {
                char why[96];
                snprintf(why, sizeof why, "a tick with %u rows where the first ticks have %u",
                         r->pos_i + 1, r->pos_n);
                return no_index_error(r, line - 1, err, why);
            }
            r->pos_i = 0;
            r->pos_started = 1;
        }
        r->pos_prev_t = t;
    } else {
        r->pos_i = 0;
    }
    for (k = 0; k < nout; k++)
        out[k].device = r->pos_i; /* every nvidia-smi value is the row's GPU's */
    return deliver(r, t, r->pos_i, out, nout, name, secondary, err);
}

/* Replays the held rows once the structure is known. */
static int positional_flush(est_samples_reader *r, est_error *err)
{
    size_t i;
    int rc;
    if (!r->positional || r->pos_n || !r->n_pend)
        return EST_OK;
    if ((rc = positional_learn(r, err)))
        return rc;
    for (i = 0; i < r->n_pend; i++) {
        pend_row *p = &r->pend[i];
        if ((rc = positional_place(r, p->t, p->line, p->v, p->n, p->name, p->secondary, err)))
            return rc;
    }
    r->n_pend = 0;
    return EST_OK;
}

static int positional_row(est_samples_reader *r, double t, est_sample *out, size_t nout,
                          const char *name, int secondary, est_error *err)
{
    pend_row *p;
    if (r->pos_n)
        return positional_place(r, t, r->line, out, nout, name, secondary, err);
    if (!r->pend) {
        r->pend = malloc(PEND_MAX * sizeof *r->pend);
        if (!r->pend)
            return fail(r, err, est__fail(err, EST_ENOMEM, "out of memory"));
    }
    p = &r->pend[r->n_pend++];
    p->t = t;
    p->line = r->line;
    p->n = nout < PEND_VALS ? nout : PEND_VALS;
    memcpy(p->v, out, p->n * sizeof *out);
    p->secondary = secondary;
    est__strlcpy(p->name, name, sizeof p->name);
    if (r->n_pend == PEND_MAX)
        return positional_flush(r, err);
    return EST_OK;
}

/* est__parse_log_time with the minute cache: a time of the cached minute
   parses its seconds and fraction only (the same operations as
   parse_nvsmi_time on them, so the same double); anything else takes the
   full parser, whose success fills the cache. */
static int log_time(const est_samples_reader *r, struct tcache *tc, double prev,
                    const char *s, size_t len, double *out)
{
    int rc;
    if (tc->valid && len >= 19 && len < 64 && s[16] == ':' &&
        memcmp(s, tc->key, sizeof tc->key) == 0 && (unsigned)(s[17] - '0') <= 9 &&
        (unsigned)(s[18] - '0') <= 9) {
        long sec = (s[17] - '0') * 10 + (s[18] - '0');
        double frac = 0.0;
        const char *q = s + 19, *end = s + len;
        int ok = sec <= 59;
        if (ok && q < end) {
            ok = *q == '.' && q + 1 < end;
            q++;
            if (ok)
                est__time_fraction(&q, end, &frac);
            ok = ok && q == end;
        }
        if (ok && r->o.has_tz) {
            /* apply_zone with a fixed offset */
            *out = tc->day_s + (double)(tc->hm + sec) + frac - (double)r->o.tz_offset_s;
            return EST_OK;
        }
        if (ok)
            return apply_zone(tc->day_s + (double)(tc->hm + sec) + frac, r->o.has_tz,
                              r->o.tz_offset_s, r->o.tz_fn, r->o.tz_offsets_fn, r->o.tz_user,
                              prev, out);
    }
    rc = est__parse_log_time(s, len, r->o.has_tz, r->o.tz_offset_s, r->o.tz_fn,
                             r->o.tz_offsets_fn, r->o.tz_user, prev, out);
    if (rc == EST_OK && len >= 19 && s[4] == '/' && s[16] == ':') {
        /* parsed, so the fixed places hold digits */
#define D2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
        int y = D2(0) * 100 + D2(2);
        tc->day_s = (double)est_days_from_civil(y, (unsigned)D2(5), (unsigned)D2(8)) * 86400.0;
        tc->hm = (long)D2(11) * 3600 + (long)D2(14) * 60;
#undef D2
        memcpy(tc->key, s, sizeof tc->key);
        tc->valid = 1;
    }
    return rc;
}

static int process_row(est_samples_reader *r, const char *p, size_t n, est_error *err)
{
    field f[FIELDS_MAX];
    double sv[SLOTS_MAX];
    int srank[SLOTS_MAX];
    est_sample out[SLOTS_MAX];
    size_t i, nout = 0;
    int nf, secondary = 0, have_time = 0, name_col = -1;
    devset sec_fixed, named_fixed;
    unsigned dev = 0;
    double t = 0.0;
    char nm[EST_NAME_MAX];
    est_samples_read_stats *st = est__samples_stats(r->s);
    static const field none = {NULL, 0};

    memset(&sec_fixed, 0, sizeof sec_fixed);
    memset(&named_fixed, 0, sizeof named_fixed);
    st->rows++;
    r->rows_here++;
    nf = split(r, p, n, f);
    if (nf < 0)
        return bad_row(r, err, EST_SAMPLES_BAD_LINE, NULL, 0, none,
                       nf == -1 ? "too many fields" : "broken quote");
    if ((size_t)nf != r->ncols) {
        char what[200];
        if ((size_t)nf < r->ncols)
            snprintf(what, sizeof what, "expected %zu fields like the header, got %d "
                     "(the first missing is column %d, %s)", r->ncols, nf, nf + 1,
                     r->cols[nf].name);
        else
            snprintf(what, sizeof what, "expected %zu fields like the header, got %d "
                     "(the first extra is field %zu)", r->ncols, nf, r->ncols + 1);
        return bad_row(r, err, EST_SAMPLES_BAD_FIELD_COUNT, NULL, 0, none, what);
    }
    for (i = 0; i < r->nslots; i++) {
        sv[i] = 0.0;
        srank[i] = INT_MAX; /* nothing yet */
    }
    for (i = 0; i < r->ncols; i++) {
        const col *c = &r->cols[i];
        const char *what = NULL;
        double v;
        int rc;
        switch (c->role) {
        case COL_IGNORE:
            break;
        case COL_TIME_UNIX:
            if (est_parse_double(&t, f[i].p, f[i].n))
                return bad_row(r, err, EST_SAMPLES_BAD_TIME, c, (unsigned)i + 1, f[i],
                               "expected a time in Unix seconds");
            goto check_range;
        case COL_TIME:
            rc = log_time(r, &r->tc, r->prev_t, f[i].p, f[i].n, &t);
            if (rc == EST_OK)
                r->prev_t = t;
            if (rc == EST_EINVAL) {
                char ex[80];
                est__excerpt(ex, sizeof ex, f[i].p, f[i].n);
                est__fail_at(err, EST_EINVAL, r->name, r->line, (unsigned)i + 1, c->name,
                             "the time has no zone: give the zone it was logged in with "
                             "--tz (e.g. --tz +01:00, --tz UTC), got \"%s\"", ex);
                return fail(r, err, EST_EINVAL);
            }
            if (rc)
                return bad_row(r, err, EST_SAMPLES_BAD_TIME, c, (unsigned)i + 1, f[i],
                               "expected a time (ISO 8601 with a zone, Unix seconds, or "
                               "YYYY/MM/DD HH:MM:SS)");
        check_range:
            if (!(t >= TIME_MIN_UNIX_S && t < TIME_MAX_UNIX_S))
                return bad_row(r, err, EST_SAMPLES_BAD_TIME_RANGE, c, (unsigned)i + 1, f[i],
                               "time outside 1970-01-01..2100-01-01");
            have_time = 1;
            break;
        case COL_DEVICE:
        case COL_BUSID:
            rc = parse_device(r, c, f[i], &dev);
            if (rc)
                return bad_row(r, err, EST_SAMPLES_BAD_RANGE, c, (unsigned)i + 1, f[i],
                               rc == -2 ? "GPU index too large" : "expected a GPU index");
            break;
        case COL_NAME:
            if (c->fixed_device < 0)
                name_col = (int)i; /* the row's GPU: known at the end */
            else if (f[i].n)
                devset_add(&named_fixed, (unsigned)c->fixed_device); /* gpuN_name: one each */
            break;
        case COL_VALUE:
            rc = parse_value(c, f[i], &v, &what);
            if (rc >= 10)
                return bad_row(r, err, (est_samples_bad_row_kind)(rc - 10), c, (unsigned)i + 1, f[i],
                               what);
            if (rc == 2) {
                /* of the row's GPU, or of the column's (ecoest gpuN_power_w) */
                if (r->slots[c->slot].row_device)
                    secondary = 1;
                else
                    devset_add(&sec_fixed, r->slots[c->slot].device);
                break;
            }
            if (rc == 1)
                break;
            switch (est__sample_check(r->slots[c->slot].kind, v)) {
            case EST__SAMPLE_USAGE_ABOVE_1:
                return bad_row(r, err, EST_SAMPLES_BAD_RANGE, c, (unsigned)i + 1, f[i],
                               c->scale == 1.0 ? "usage above 1"
                               : r->slots[c->slot].kind == EST_SAMPLES_CPU_USAGE_FRAC
                               ? "usage above 100% (a process's %CPU from top or ps, "
                                 "100 per busy core, is cpu_cores_pct in --columns)"
                               : "usage above 100%");
            case EST__SAMPLE_POWER_HIGH:
                return bad_row(r, err, EST_SAMPLES_BAD_RANGE, c, (unsigned)i + 1, f[i],
                               "power above 100 kW for one device: not a plausible reading");
            case EST__SAMPLE_NO_CORES:
                return bad_row(r, err, EST_SAMPLES_BAD_RANGE, c, (unsigned)i + 1, f[i],
                               "cores must be more than 0");
            case EST__SAMPLE_CORES_HIGH:
                return bad_row(r, err, EST_SAMPLES_BAD_RANGE, c, (unsigned)i + 1, f[i],
                               "more than 10 million cores: not a plausible reading");
            case EST__SAMPLE_RAM_HIGH:
                return bad_row(r, err, EST_SAMPLES_BAD_RANGE, c, (unsigned)i + 1, f[i],
                               "memory above 1e9 GB: not a plausible reading");
            case EST__SAMPLE_OK:
                break;
            }
            slot_take(sv, srank, c, v);
            break;
        }
    }
    if (r->needs_tick) {
        if (r->format == EST_SAMPLES_FORMAT_ROCM_SMI) {
            if (devset_has(&r->tick_devices, dev)) {
                r->tick++;
                memset(&r->tick_devices, 0, sizeof r->tick_devices);
            }
            devset_add(&r->tick_devices, dev);
        } else if (r->tick_any_row) {
            r->tick++;
        }
        r->tick_any_row = 1;
        t = r->o.origin_unix_s + (double)r->tick * r->o.interval_s;
        have_time = 1;
    }
    if (!have_time)
        return EST_OK;
    for (i = 0; i < r->nslots; i++) {
        if (srank[i] == INT_MAX)
            continue;
        out[nout].kind = r->slots[i].kind;
        out[nout].device = r->slots[i].row_device ? dev : r->slots[i].device;
        out[nout].value = sv[i];
        nout++;
    }
    nm[0] = '\0';
    if (name_col >= 0 && f[name_col].n &&
        (r->positional || !devset_has(&r->named, dev))) /* else deliver skips it */
        est__excerpt(nm, sizeof nm, f[name_col].p, f[name_col].n);
    for (i = 0; devset_any(&sec_fixed) && i < EST_SAMPLES_GPUS_MAX; i++)
        if (devset_has(&sec_fixed, (unsigned)i) && emit_info(r, (unsigned)i, NULL, 1, err))
            return r->failed;
    for (i = 0; devset_any(&named_fixed) && i < r->ncols; i++) {
        const col *c = &r->cols[i];
        char fnm[EST_NAME_MAX];
        if (c->role != COL_NAME || c->fixed_device < 0 || !f[i].n)
            continue;
        if (devset_has(&r->named, (unsigned)c->fixed_device))
            continue;
        est__excerpt(fnm, sizeof fnm, f[i].p, f[i].n);
        if (emit_info(r, (unsigned)c->fixed_device, fnm, 0, err))
            return r->failed;
        devset_add(&r->named, (unsigned)c->fixed_device);
    }
    if (r->positional)
        return positional_row(r, t, out, nout, nm, secondary, err);
    return deliver(r, t, dev, out, nout, nm, secondary, err);
}


/* Decides whether rows can take fast_row: all columns numbers (a time in
   Unix seconds or a value), each value its own slot. */
static void decide_fast(est_samples_reader *r)
{
    size_t i, j;
    r->fast = !r->needs_tick && !r->positional && r->ncols > 0;
    for (i = 0; i < r->ncols && r->fast; i++) {
        const col *c = &r->cols[i];
        if (c->role == COL_TIME || c->role == COL_TIME_UNIX)
            continue;
        /* a unit column's plain numbers too: a value with its unit ("250 W")
           is not a plain number, and takes the general path */
        if (c->role != COL_VALUE || r->slots[c->slot].row_device) {
            r->fast = 0;
            break;
        }
        for (j = 0; j < i; j++)
            if (r->cols[j].role == COL_VALUE && r->cols[j].slot == c->slot)
                r->fast = 0;
    }
    r->fast_nval = 0;
    for (i = 0; i < r->ncols && r->fast; i++) {
        const col *c = &r->cols[i];
        if (c->role != COL_VALUE)
            continue;
        r->fast_tmpl[r->fast_nval].kind = r->slots[c->slot].kind;
        r->fast_tmpl[r->fast_nval].device = r->slots[c->slot].device;
        r->fast_tmpl[r->fast_nval].value = 0.0;
        r->fast_nval++;
    }
}

/* The fast path of the common row: plain decimal numbers separated by
   commas, parsed in one pass with no copy, from p up to end at most: 1
   with *stop at the byte after the last column's number, the time in
   out[0] and the values, in the order of fast_tmpl, in out[1..fast_nval];
   0 when the row needs the general path (anything unusual: spaces, signs,
   exponents, missing values, quotes, out-of-range values - which the
   general path then reports precisely). Reads only the schema: the block
   parsers call it from any thread. Bytes up to lim (>= end) may be read:
   *end must then be a non-digit other than '.' (a newline). */
static EST__HOT_INLINE int fast_parse_to(const est_samples_reader *r, const char *p,
                                         const char *end, const char *lim, double *out,
                                         const char **stop)
{
    const char *q = p;
    const col *c = r->cols, *last = r->cols + r->ncols - 1;
    double *o = out + 1;
    for (;; c++) {
        double v;
        if (!est__decimal_fast_lim(&q, end, lim, &v))
            return 0;
        if (c->role != COL_VALUE) {
            if (!(v >= TIME_MIN_UNIX_S && v < TIME_MAX_UNIX_S))
                return 0;
            out[0] = v;
        } else {
            /* est__sample_check, as the column's two numbers (v is finite
               and >= 0 here); the general path says why */
            v *= c->scale;
            if (v > c->vmax || (v == 0.0 && c->nonzero))
                return 0;
            *o++ = v;
        }
        if (c == last)
            break;
        if (q >= end || *q != ',')
            return 0;
        q++;
    }
    if (q > end)
        return 0; /* never: a non-digit ends the line */
    *stop = q;
    return 1;
}

/* fast_parse_to for the line p[0, n): the whole line. */
static int fast_parse(const est_samples_reader *r, const char *p, size_t n, const char *lim,
                      double *out)
{
    const char *stop;
    return fast_parse_to(r, p, p + n, lim, out, &stop) && stop == p + n;
}

/* A row fast_parse read: counted and handed over. */
static int fast_emit(est_samples_reader *r, const double *row, est_error *err)
{
    est_sample out[FIELDS_MAX];
    size_t i;
    for (i = 0; i < r->fast_nval; i++) {
        out[i] = r->fast_tmpl[i];
        out[i].value = row[1 + i];
    }
    est__samples_stats(r->s)->rows++;
    r->rows_here++;
    return emit_row(r, row[0], out, r->fast_nval, err);
}

/* fast_parse and fast_emit for one line of the streaming reader. Returns 1
   when it handled the row (pushed, or failed with the error in *rc), 0
   when the row needs the general path; nothing is changed then. */
static int fast_row(est_samples_reader *r, const char *p, size_t n, int *rc, est_error *err)
{
    double row[FIELDS_MAX + 1];
    if (!fast_parse(r, p, n, p + n, row))
        return 0;
    *rc = fast_emit(r, row, err);
    return 1;
}

/* Can a block parser read this schema's rows (par_row)? Not with state
   that follows the rows in order: positional GPUs, ticks, GPUs by bus id,
   a zone resolved by a callback (tz_fn, tz_offsets_fn: the repeated hour
   follows the previous time, and the callbacks would run on two threads at
   once). */
static int par_rows_ok(const est_samples_reader *r)
{
    size_t i;
    if (r->fast || !r->have_header || r->failed || r->needs_tick || r->positional ||
        r->nslots > 64 || r->o.tz_fn || r->o.tz_offsets_fn)
        return 0;
    for (i = 0; i < r->ncols; i++)
        if (r->cols[i].role == COL_BUSID)
            return 0;
    return 1;
}

/* The first ',' or '"' in [q, end), or end; bytes up to lim (>= end) may
   be read. Eight bytes at a time: the lowest byte flagged by the zero-byte
   test is exact (a false flag only follows a true one). */
static const char *comma_or_quote(const char *q, const char *end, const char *lim)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
    while (q < end && lim - q >= 8) {
        uint64_t w, a, b, m;
        memcpy(&w, q, 8);
        a = w ^ (ones * ',');
        b = w ^ (ones * '"');
        m = ((a - ones) & ~a & high) | ((b - ones) & ~b & high);
        if (m) {
            q += __builtin_ctzll(m) >> 3;
            return q < end ? q : end;
        }
        q += 8;
    }
#else
    (void)lim;
#endif
    while (q < end && *q != ',' && *q != '"')
        q++;
    return q < end ? q : end;
}

/* A value field as parse_value reads it, when it is a plain decimal with
   or without the column's unit ("250.5", "250.5 W", "42 %"): the shared
   scanner (est__decimal_fast_lim) and the same result as parse_value's
   est_parse_double on the number; 0 for anything else (parse_value then
   decides). */
static int value_fast(const col *c, field f, const char *lim, double *v)
{
    const char *q = f.p, *end = f.p + f.n;
    if (!est__decimal_fast_lim(&q, end, lim, v) || q > end)
        return 0;
    if (q != end) {
        /* parse_value drops a last unit byte after a space ('%': or not),
           then the spaces before it */
        if (!c->unit || f.n < 2 || end[-1] != c->unit ||
            !(end[-2] == ' ' || c->unit == '%'))
            return 0;
        while (q < end - 1 && is_space(*q))
            q++;
        if (q != end - 1)
            return 0;
    }
    *v *= c->scale;
    return 1;
}

/* process_line and process_row for a row that needs none of the reader's
   state, from any thread: 1 with row[0] the time, row[1] the device,
   row[2] the bits of the slots given, row[3 + i] slot i's value, and *name
   the row's GPU name field (p NULL when none); 0 when the row is anything
   else (blank, a comment, a header, quotes, a bad row, a secondary die, a
   gpuN_name...): the streaming reader then reads it in its place, and says
   why when it is bad. Bytes up to lim (>= p + n + 1) may be read. */
static int par_row_split(const est_samples_reader *r, struct tcache *tc, const char *p,
                         size_t n, const char *lim, double *row, field *name)
{
    field f[FIELDS_MAX];
    double sv[64];
    int srank[64];
    size_t i, nf = 0;
    const char *q = p, *end;
    unsigned dev = 0;
    double t = 0.0;
    int have_time = 0;
    if (n && p[n - 1] == '\r')
        n--;
    while (n && is_space(p[n - 1]))
        n--;
    if (n == 0 || p[0] == '#' || (n == r->header_len && memcmp(p, r->header, n) == 0))
        return 0;
    end = p + n;
    /* the fields, split and trimmed in one pass; a quote: the general path */
    for (;;) {
        const char *c = comma_or_quote(q, end, lim);
        if (nf == FIELDS_MAX || (c < end && *c == '"'))
            return 0;
        while (q < c && is_space(*q))
            q++;
        f[nf].p = q;
        f[nf].n = (size_t)(c - q);
        while (f[nf].n && is_space(q[f[nf].n - 1]))
            f[nf].n--;
        nf++;
        if (c == end)
            break;
        q = c + 1;
    }
    if (nf != r->ncols)
        return 0;
    for (i = 0; i < r->nslots; i++) {
        sv[i] = 0.0;
        srank[i] = INT_MAX;
    }
    name->p = NULL;
    name->n = 0;
    for (i = 0; i < r->ncols; i++) {
        const col *c = &r->cols[i];
        const char *what = NULL;
        double v;
        int rc;
        switch (c->role) {
        case COL_IGNORE:
            break;
        case COL_TIME_UNIX:
        case COL_TIME:
            if (c->role == COL_TIME_UNIX ? est_parse_double(&t, f[i].p, f[i].n) != EST_OK
                                         : log_time(r, tc, 0.0, f[i].p, f[i].n, &t) != EST_OK)
                return 0;
            if (!(t >= TIME_MIN_UNIX_S && t < TIME_MAX_UNIX_S))
                return 0;
            have_time = 1;
            break;
        case COL_DEVICE:
            /* a device number: parse_device reads only c and f for it (one
               digit: what it gives, without the call) */
            if (f[i].n == 1 && (unsigned)(f[i].p[0] - '0') <= 9)
                dev = (unsigned)(f[i].p[0] - '0');
            else if (parse_device((est_samples_reader *)(uintptr_t)r, c, f[i], &dev))
                return 0;
            break;
        case COL_BUSID:
            return 0;
        case COL_NAME:
            if (c->fixed_device < 0)
                *name = f[i];
            else if (f[i].n)
                return 0;
            break;
        case COL_VALUE:
            if (!f[i].n)
                break; /* not sampled */
            if (!value_fast(c, f[i], lim, &v)) {
                rc = parse_value(c, f[i], &v, &what);
                if (rc >= 10 || rc == 2)
                    return 0;
            }
            /* est__sample_check (v is NaN or finite and >= 0 here) */
            if (v > c->vmax || (v == 0.0 && c->nonzero))
                return 0;
            slot_take(sv, srank, c, v);
            break;
        }
    }
    if (!have_time)
        return 0;
    row_pack(row, t, dev, sv, srank, r->nslots);
    return 1;
}

/* par_row in one pass: a value field is read in place (blanks, a plain
   decimal, blanks, its unit, blanks, then its comma), the others cut at
   their comma and trimmed as par_row_split does. The same result: any
   value field it does not take that way (empty, N/A, a unit it does not
   take, a number of another form...) hands the whole line to
   par_row_split, which says; every byte of the line is looked at, so a
   quote anywhere is seen. */
static int par_row(const est_samples_reader *r, struct tcache *tc, const char *p, size_t n,
                   const char *lim, double *row, field *name)
{
    double sv[64];
    int srank[64];
    size_t i, n0 = n;
    const char *q = p, *end;
    unsigned dev = 0;
    double t = 0.0;
    int have_time = 0;
    if (n && p[n - 1] == '\r')
        n--;
    while (n && is_space(p[n - 1]))
        n--;
    if (n == 0 || p[0] == '#' || (n == r->header_len && memcmp(p, r->header, n) == 0))
        return 0;
    end = p + n;
    for (i = 0; i < r->nslots; i++) {
        sv[i] = 0.0;
        srank[i] = INT_MAX;
    }
    name->p = NULL;
    name->n = 0;
    for (i = 0; i < r->ncols; i++) {
        const col *c = &r->cols[i];
        const int last = i + 1 == r->ncols;
        const char *e;
        field f;
        double v;
        if (c->role == COL_VALUE) {
            const char *s = q;
            while (s < end && is_space(*s))
                s++;
            if (!est__decimal_fast_lim(&s, end, lim, &v) || s > end)
                return par_row_split(r, tc, p, n0, lim, row, name);
            while (s < end && is_space(*s))
                s++;
            /* value_fast's unit: after a space ('%': or not) */
            if (c->unit && s < end && *s == c->unit && (c->unit == '%' || s[-1] == ' ')) {
                s++;
                while (s < end && is_space(*s))
                    s++;
            }
            if (last ? s != end : s == end || *s != ',')
                return par_row_split(r, tc, p, n0, lim, row, name);
            q = s + 1;
            v *= c->scale;
            /* est__sample_check (v is finite and >= 0 here) */
            if (v > c->vmax || (v == 0.0 && c->nonzero))
                return 0;
            slot_take(sv, srank, c, v);
            continue;
        }
        /* the field to its comma, trimmed; a quote: the general path */
        e = comma_or_quote(q, end, lim);
        if ((e < end && *e == '"') || (last ? e != end : e == end))
            return 0;
        f.p = q;
        while (f.p < e && is_space(*f.p))
            f.p++;
        f.n = (size_t)(e - f.p);
        while (f.n && is_space(f.p[f.n - 1]))
            f.n--;
        q = e + 1;
        switch (c->role) {
        case COL_IGNORE:
        case COL_VALUE:
            break;
        case COL_TIME_UNIX:
        case COL_TIME:
            if (c->role == COL_TIME_UNIX ? est_parse_double(&t, f.p, f.n) != EST_OK
                                         : log_time(r, tc, 0.0, f.p, f.n, &t) != EST_OK)
                return 0;
            if (!(t >= TIME_MIN_UNIX_S && t < TIME_MAX_UNIX_S))
                return 0;
            have_time = 1;
            break;
        case COL_DEVICE:
            /* a device number: parse_device reads only c and f for it (one
               digit: what it gives, without the call) */
            if (f.n == 1 && (unsigned)(f.p[0] - '0') <= 9)
                dev = (unsigned)(f.p[0] - '0');
            else if (parse_device((est_samples_reader *)(uintptr_t)r, c, f, &dev))
                return 0;
            break;
        case COL_BUSID:
            return 0;
        case COL_NAME:
            if (c->fixed_device < 0)
                *name = f;
            else if (f.n)
                return 0;
            break;
        }
    }
    if (!have_time)
        return 0;
    row_pack(row, t, dev, sv, srank, r->nslots);
    return 1;
}

#define FBUF_ROWS 1024

/* Pushes the buffered fast rows, in order: at once when the integrator can
   (the same result as row by row), else row by row, stopping at a failure
   as the rows would have. */
static int fast_flush(est_samples_reader *r, est_error *err)
{
    size_t n = r->fbuf_n, stride = 1 + r->fast_nval, i;
    int rc;
    if (!n)
        return EST_OK;
    r->fbuf_n = 0;
    if (est__samples_push_block(r->s, r->src, r->name, r->fast_tmpl, r->fast_nval, r->fbuf,
                                n) == 0) {
        est__samples_stats(r->s)->rows += n;
        r->rows_here += n;
        for (i = 0; r->o.on_row && i < n; i++) {
            est_sample out[FIELDS_MAX];
            size_t j;
            for (j = 0; j < r->fast_nval; j++) {
                out[j] = r->fast_tmpl[j];
                out[j].value = r->fbuf[i * stride + 1 + j];
            }
            r->o.on_row(r->o.row_user, r->fbuf[i * stride], out, r->fast_nval);
        }
        return EST_OK;
    }
    for (i = 0; i < n; i++)
        if ((rc = fast_emit(r, r->fbuf + i * stride, err)))
            return rc;
    return EST_OK;
}

static int process_line(est_samples_reader *r, const char *p, size_t n, est_error *err)
{
    r->line++;
    if (n && p[n - 1] == '\r')
        n--;
    if (r->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    while (n && is_space(p[n - 1]))
        n--;
    if (n == 0)
        return EST_OK; /* blank line */
    if (!r->have_header) {
        int rc;
        if (p[0] == '#')
            return EST_OK;
        if (r->o.columns && !strchr(r->o.columns, '=')) {
            rc = take_header(r, r->o.columns, strlen(r->o.columns), err);
            if (rc)
                return fail(r, err, rc);
            r->columns_is_list = 1;
            /* a first line equal to the given header is the header */
        } else {
            rc = take_header(r, p, n, err);
            if (rc)
                return fail(r, err, rc);
            est__samples_stats(r->s)->headers++;
            return EST_OK;
        }
    }
    if (n == r->header_len && p[0] == r->header[0] && memcmp(p, r->header, n) == 0) {
        est__samples_stats(r->s)->headers++;
        if (r->format == EST_SAMPLES_FORMAT_ROCM_SMI && devset_any(&r->tick_devices)) {
            r->tick++;
            memset(&r->tick_devices, 0, sizeof r->tick_devices);
        }
        return EST_OK;
    }
    if (p[0] == '#' && r->format == EST_SAMPLES_FORMAT_ECOEST)
        return EST_OK;
    if (r->fast && !r->sink) {
        int rc;
        size_t stride = 1 + r->fast_nval;
        if (!r->fbuf && !(r->fbuf = malloc(FBUF_ROWS * stride * sizeof(double))))
            return fail(r, err, est__fail(err, EST_ENOMEM, "out of memory"));
        if (r->fbuf_n == FBUF_ROWS && (rc = fast_flush(r, err)))
            return rc;
        if (fast_parse(r, p, n, p + n, r->fbuf + r->fbuf_n * stride)) {
            r->fbuf_n++;
            return EST_OK;
        }
        if ((rc = fast_flush(r, err))) /* the rows before this one first */
            return rc;
    } else if (r->fast) {
        int rc;
        if (fast_row(r, p, n, &rc, err))
            return rc;
    }
    return process_row(r, p, n, err);
}

static int progress(est_samples_reader *r, size_t n)
{
    r->bytes += n;
    if (r->o.progress && r->bytes >= r->next_progress) {
        r->o.progress(r->o.progress_user, r->bytes);
        r->next_progress = r->bytes + PROGRESS_EVERY;
    }
    return 0;
}

static int feed_lines(est_samples_reader *r, const char *data, size_t len, est_error *err);

int est_samples_reader_feed(est_samples_reader *r, const char *data, size_t len,
                            est_error *err)
{
    int rc = feed_lines(r, data, len, err), rc2;
    if (r && r->fbuf_n && (rc2 = fast_flush(r, err)))
        return rc2; /* rows before the failure (if any) fail first */
    return rc;
}

static int feed_lines(est_samples_reader *r, const char *data, size_t len, est_error *err)
{
    const char *p = data, *end = data + len;
    int rc;
    if (!r || (len && !data))
        return est__fail(err, EST_EINVAL, "est_samples_reader_feed: NULL argument");
    if (r->failed) {
        if (err)
            *err = r->saved;
        return r->failed;
    }
    progress(r, len);
    if (r->carry_len) {
        const char *nl = memchr(p, '\n', len);
        size_t take = nl ? (size_t)(nl - p) : len;
        if (r->carry_len + take >= EST_SAMPLES_LINE_MAX) {
            est__fail_at(err, EST_EPARSE, r->name, r->line + 1, 0, NULL,
                         "line longer than %d bytes%s", EST_SAMPLES_LINE_MAX,
                         memchr(r->carry, 0, r->carry_len) ? ": not a text file" : "");
            return fail(r, err, EST_EPARSE);
        }
        memcpy(r->carry + r->carry_len, p, take);
        r->carry_len += take;
        if (!nl)
            return EST_OK;
        rc = process_line(r, r->carry, r->carry_len, err);
        r->carry_len = 0;
        if (rc)
            return rc;
        p = nl + 1;
    }
    while (p < end) {
        const char *nl;
        if (r->fast && !r->sink && r->have_header && r->fbuf) {
            /* the common row, its end found by its parse (as parse_block
               does): what process_line does for a line fast_parse takes
               (no CR, no trailing blank, not the header, not a comment),
               without a search for the newline first */
            size_t stride = 1 + r->fast_nval;
            while (p < end) {
                if (r->fbuf_n == FBUF_ROWS && (rc = fast_flush(r, err)))
                    return rc;
                if (!fast_parse_to(r, p, end, end, r->fbuf + r->fbuf_n * stride, &nl) ||
                    nl >= end || *nl != '\n' || (size_t)(nl - p) >= EST_SAMPLES_LINE_MAX ||
                    ((size_t)(nl - p) == r->header_len && memcmp(p, r->header, r->header_len) == 0))
                    break;
                r->line++;
                r->fbuf_n++;
                p = nl + 1;
            }
            if (p == end)
                break;
        }
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            size_t rest = (size_t)(end - p);
            if (rest >= EST_SAMPLES_LINE_MAX) {
                est__fail_at(err, EST_EPARSE, r->name, r->line + 1, 0, NULL,
                             "line longer than %d bytes%s", EST_SAMPLES_LINE_MAX,
                             memchr(p, 0, rest) ? ": not a text file" : "");
                return fail(r, err, EST_EPARSE);
            }
            memcpy(r->carry, p, rest);
            r->carry_len = rest;
            break;
        }
        if ((size_t)(nl - p) >= EST_SAMPLES_LINE_MAX) {
            est__fail_at(err, EST_EPARSE, r->name, r->line + 1, 0, NULL,
                         "line longer than %d bytes%s", EST_SAMPLES_LINE_MAX,
                         memchr(p, 0, (size_t)(nl - p)) ? ": not a text file" : "");
            return fail(r, err, EST_EPARSE);
        }
        if ((rc = process_line(r, p, (size_t)(nl - p), err)))
            return rc;
        p = nl + 1;
    }
    return EST_OK;
}

int est_samples_reader_finish(est_samples_reader *r, est_error *err)
{
    int rc;
    if (!r)
        return est__fail(err, EST_EINVAL, "est_samples_reader_finish: NULL argument");
    if (r->failed) {
        if (err)
            *err = r->saved;
        return r->failed;
    }
    if (r->carry_len) {
        /* the last line has no newline: said in the stats (the row is still
           read: a log being written may have been cut mid-line) */
        est_samples_read_stats *st = est__samples_stats(r->s);
        if (!st->unterminated_inputs++)
            est__strlcpy(st->unterminated_file, r->name, sizeof st->unterminated_file);
        rc = process_line(r, r->carry, r->carry_len, err);
        r->carry_len = 0;
        if (rc)
            return rc;
    }
    if ((rc = fast_flush(r, err)))
        return rc;
    if ((rc = positional_flush(r, err)))
        return rc;
    if (!r->have_header && !(r->o.columns && !strchr(r->o.columns, '=')))
        return fail(r, err, est__fail_at(err, EST_ENODATA, r->name, 0, 0, NULL,
                                         "empty file: no header and no samples"));
    if (r->rows_here == 0)
        return fail(r, err, est__fail_at(err, EST_ENODATA, r->name, 0, 0, NULL,
                                         "%s: no samples", r->have_header && !r->columns_is_list
                                         ? "header only" : "empty file"));
    return EST_OK;
}

/* ---- whole files ---- */

/* Reads fd through r until the end; the producer's whole job. */
static int read_all(est_samples_reader *r, int fd, est_error *err)
{
    const size_t bufsize = 1u << 20;
    char *buf = malloc(bufsize);
    int rc;
    if (!buf)
        return est__fail(err, EST_ENOMEM, "out of memory");
    for (;;) {
        ssize_t got = read(fd, buf, bufsize);
        if (got < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            rc = est__fail(err, EST_EIO, "%s: read error: %s", r->name, EST__STRERROR(e));
            break;
        }
        if (got == 0) {
            rc = est_samples_reader_finish(r, err);
            break;
        }
        rc = est_samples_reader_feed(r, buf, (size_t)got, err);
        if (rc)
            break;
    }
    free(buf);
    return rc;
}

/* ---- regular files in blocks, parsed in parallel, integrated in order ----
 *
 * A regular file is cut at fixed offsets into blocks of PBLOCK bytes. Block
 * k owns the lines that start in it: from the byte after the first newline
 * at or after offset kB - 1 (0 for block 0) to where block k + 1's lines
 * start. Each thread takes the next block to parse, or, when the next block
 * in file order is parsed and no thread is integrating, integrates it: the
 * integration (the reader's state, line numbers, the trapezoids) runs in
 * file order, one block after the other, exactly as one thread would.
 *
 * Parsing a block needs only the schema (fast_parse): each line that
 * fast_parse takes becomes a row; any other line (a comment, a repeated
 * header, a row with a missing value, a malformed one...) is kept as raw
 * bytes, which the integration feeds to est_samples_reader_feed in its
 * place. Block 0 (the header) is fed raw. The feed does not depend on where
 * its pieces are cut, so the result is the streaming reader's, bit for bit,
 * with the same line and column in every message. A format without fast
 * rows (units, device columns, zone-less times) goes on with the
 * producer/consumer pipeline from block 1 on. */

#ifndef EST_SAMPLES_PBLOCK /* a build for tests may set a small one */
#define EST_SAMPLES_PBLOCK (256 << 10)
#endif
#define PBLOCK ((size_t)EST_SAMPLES_PBLOCK)
#define PRING 4
#define PSEGS 256
#define PSCAN ((size_t)EST_SAMPLES_LINE_MAX + 2) /* the newline search of a cut */

typedef struct pseg {
    size_t nrows;            /* rows, then ... */
    size_t raw_off, raw_len; /* ... raw bytes (buffer offsets) */
} pseg;

typedef struct pslot {
    int state; /* 0 free, 1 being parsed, 2 parsed */
    size_t k;
    char *buf;     /* the file from kB - 1 (block 0: from 0) */
    size_t len;    /* bytes read into buf */
    size_t s, e;   /* the block's lines: buf[s, e) */
    int rc;        /* a read error (errno), 0 */
    double *rows;  /* fast: (1 + fast_nval) doubles per row; par_row: 3 + nslots */
    size_t nrows;
    struct pname {
        size_t row;
        unsigned dev;
        char name[EST_NAME_MAX];
    } names[EST_SAMPLES_GPUS_MAX]; /* par_row: the first name of each GPU */
    size_t nnames;
    pseg segs[PSEGS];
    size_t nseg;
} pslot;

typedef struct par {
    est_samples_reader *r;
    int fd;
    off_t base;      /* fd's offset at the call: the file starts there */
    uint64_t size;   /* bytes from base at the call */
    size_t nblocks, next_parse, next_int, row_cap, stride;
    int rows_mode; /* par_row instead of fast_parse */
    int series;    /* rows_mode: rows integrated channel by channel */
    double *ser;   /* series: the (time, value) pairs of a segment by channel */
    uint32_t ser_at[EST_SAMPLES_KIND_COUNT * EST_SAMPLES_GPUS_MAX]; /* counts, then ends */
    int integrating, stop, main_only; /* main_only: on_row runs on the caller */
    int rc;
    est_error err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pslot slot[PRING];
} par;

static int pread_full(int fd, char *buf, size_t want, off_t at, size_t *got)
{
    *got = 0;
    while (*got < want) {
        ssize_t n = pread(fd, buf + *got, want - *got, at + (off_t)*got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            break;
        *got += (size_t)n;
    }
    return 0;
}

/* Where the lines of the block starting at file offset `at` begin, as an
   offset in buf (which holds the file from offset from): after the first
   newline at or after at - 1. *ok 0 when none is within PSCAN bytes (a line
   too long: the cut is then at `at` itself, inside the line, and both
   blocks around it are fed raw there). */
static size_t cut(const pslot *sl, uint64_t from, uint64_t at, int *ok)
{
    size_t i = (size_t)(at - 1 - from), lim = i + PSCAN;
    const char *nl;
    if (lim > sl->len)
        lim = sl->len;
    nl = i < lim ? memchr(sl->buf + i, '\n', lim - i) : NULL;
    *ok = nl != NULL;
    return nl ? (size_t)(nl - sl->buf) + 1 : (size_t)(at - from);
}

static void seg_raw(pslot *sl, size_t from, size_t to)
{
    pseg *g;
    if (to <= from)
        return;
    g = &sl->segs[sl->nseg - 1];
    if (g->raw_len == 0)
        g->raw_off = from;
    g->raw_len = to - g->raw_off;
}

/* The row just parsed into the block's next row, the line ending at
   `next`: counted in the last segment, or a new one after raw bytes.
   Returns 0 when there is no segment left (nothing counted). */
static int seg_row(pslot *sl, size_t next)
{
    pseg *g = &sl->segs[sl->nseg - 1];
    if (g->raw_len) {
        if (sl->nseg == PSEGS)
            return 0;
        g = &sl->segs[sl->nseg++];
        g->nrows = g->raw_len = 0;
    }
    g->nrows++;
    g->raw_off = next;
    sl->nrows++;
    return 1;
}

/* par_row into the block's next row; the first name of each GPU in the
   block is kept for the integration (which records it when the reader has
   not yet). */
static int block_row(const est_samples_reader *r, pslot *sl, struct tcache *tc,
                     devset *named, const char *line, size_t n)
{
    double *row = sl->rows + sl->nrows * (3 + r->nslots);
    field nm;
    unsigned dev;
    if (!par_row(r, tc, line, n, sl->buf + sl->len + 8, row, &nm))
        return 0;
    dev = (unsigned)row[1];
    if (nm.p && nm.n && !devset_has(named, dev)) {
        struct pname *e = &sl->names[sl->nnames];
        est__excerpt(e->name, sizeof e->name, nm.p, nm.n);
        if (e->name[0]) { /* deliver records no empty name */
            e->row = sl->nrows;
            e->dev = dev;
            sl->nnames++;
            devset_add(named, dev);
        }
    }
    return 1;
}

/* Reads and parses block k into sl (no lock held). */
static void parse_block(par *P, pslot *sl, size_t k)
{
    const est_samples_reader *r = P->r;
    uint64_t at = (uint64_t)k * PBLOCK, from = k ? at - 1 : 0, stop, want;
    size_t nv = P->stride, p;
    int ok_s = 0, ok_e = 1;
    struct tcache tc;
    devset named;

    memset(&named, 0, sizeof named);
    tc.valid = 0;
    sl->nrows = 0;
    sl->nnames = 0;
    sl->nseg = 1;
    sl->segs[0].nrows = sl->segs[0].raw_off = sl->segs[0].raw_len = 0;
    stop = at + PBLOCK;
    want = (stop < P->size && stop - 1 + PSCAN < P->size ? stop - 1 + PSCAN : P->size) - from;
    /* the block and 4 KiB: the cut at its end is almost always in them;
       the rest of the PSCAN bytes only when it is not */
    {
        uint64_t first = stop + 4096 - from < want ? stop + 4096 - from : want;
        size_t more = 0;
        sl->rc = pread_full(P->fd, sl->buf, (size_t)first, P->base + (off_t)from, &sl->len);
        if (!sl->rc && sl->len == first && first < want &&
            !memchr(sl->buf + (stop - 1 - from), '\n', (size_t)(first - (stop - 1 - from)))) {
            sl->rc = pread_full(P->fd, sl->buf + sl->len, (size_t)(want - first),
                                P->base + (off_t)(from + first), &more);
            sl->len += more;
        } else if (!sl->rc && sl->len == first) {
            want = first; /* the cut is in it */
        }
    }
    if (sl->rc)
        return;
    sl->s = k ? cut(sl, from, at, &ok_s) : 0;
    if (stop < P->size && sl->len == want)
        sl->e = cut(sl, from, stop, &ok_e);
    else
        sl->e = sl->len; /* the last block (or a file cut short meanwhile) */
    if (sl->s > sl->e)
        sl->s = sl->e; /* a file changed meanwhile: nothing here */
    sl->segs[0].raw_off = sl->s;
    if (!ok_s || !(r->fast || P->rows_mode)) {
        seg_raw(sl, sl->s, sl->e);
        return;
    }
    for (p = sl->s; p < sl->e;) {
        const char *line = sl->buf + p;
        const char *nl;
        size_t n;
        if (!P->rows_mode && sl->nrows < P->row_cap &&
            fast_parse_to(r, line, sl->buf + sl->e, sl->buf + sl->len + 8,
                          sl->rows + sl->nrows * nv, &nl) &&
            nl < sl->buf + sl->e && *nl == '\n' && (size_t)(nl - line) < EST_SAMPLES_LINE_MAX &&
            !((size_t)(nl - line) == r->header_len && memcmp(line, r->header, r->header_len) == 0)) {
            /* a fast row, its end found by its parse: no search for it */
            n = (size_t)(nl - line);
            if (!seg_row(sl, p + n + 1)) {
                seg_raw(sl, p, sl->e); /* too many pieces: the rest raw */
                break;
            }
            p += n + 1;
            continue;
        }
        nl = memchr(line, '\n', sl->e - p);
        if (!nl) {
            seg_raw(sl, p, sl->e); /* the end of a file with no last newline */
            break;
        }
        n = (size_t)(nl - line);
        if (sl->nrows == P->row_cap || n >= EST_SAMPLES_LINE_MAX ||
            (n == r->header_len && memcmp(line, r->header, n) == 0) ||
            !(P->rows_mode ? block_row(r, sl, &tc, &named, line, n)
                           : fast_parse(r, line, n, sl->buf + sl->len + 8,
                                        sl->rows + sl->nrows * nv))) {
            seg_raw(sl, p, p + n + 1);
        } else if (!seg_row(sl, p + n + 1)) {
            seg_raw(sl, p, sl->e); /* too many pieces: the rest raw */
            break;
        }
        p += n + 1;
    }
    (void)ok_e;
}

/* One row of par_row, as process_row hands it over: counted, its GPU's
   name recorded once, its values pushed. */
static int integrate_row(par *P, pslot *sl, size_t row, size_t *name_i, est_error *err)
{
    est_samples_reader *r = P->r;
    const double *rw = sl->rows + row * P->stride;
    est_sample out[64];
    uint64_t mask;
    unsigned dev = (unsigned)rw[1];
    size_t i, nout = 0;
    est__samples_stats(r->s)->rows++;
    r->rows_here++;
    r->line++;
    r->prev_t = rw[0]; /* as process_row does for a time column */
    if (*name_i < sl->nnames && sl->names[*name_i].row == row) {
        const struct pname *e = &sl->names[(*name_i)++];
        if (!devset_has(&r->named, e->dev)) {
            if (emit_info(r, e->dev, e->name, 0, err))
                return r->failed;
            devset_add(&r->named, e->dev);
        }
    }
    memcpy(&mask, &rw[2], sizeof mask);
    for (i = 0; i < r->nslots; i++) {
        if (!(mask >> i & 1))
            continue;
        out[nout].kind = r->slots[i].kind;
        out[nout].device = r->slots[i].row_device ? dev : r->slots[i].device;
        out[nout].value = rw[3 + i];
        nout++;
    }
    if (nout)
        return emit_row(r, rw[0], out, nout, err);
    return EST_OK;
}

/* Can the rows of par_row be integrated channel by channel
   (est__samples_push_series)? Not when a row may give a channel twice (a
   kind with a fixed device and one from the row), busy cores are derived
   from two channels, or on_row wants each row. */
static int series_schema_ok(const est_samples_reader *r)
{
    size_t i, j;
    int usage = 0, cores = 0;
    if (r->o.on_row)
        return 0;
    for (i = 0; i < r->nslots; i++) {
        usage |= r->slots[i].kind == EST_SAMPLES_CPU_USAGE_FRAC;
        cores |= r->slots[i].kind == EST_SAMPLES_CPU_CORES;
        for (j = 0; j < i; j++)
            if (r->slots[j].kind == r->slots[i].kind &&
                (r->slots[j].row_device || r->slots[i].row_device ||
                 r->slots[j].device == r->slots[i].device))
                return 0;
    }
    return !(usage && cores);
}

/* The n rows of par_row from row `first` of sl, as integrate_row would
   take them one by one: the values gathered by channel (kind x 64 +
   device) and pushed a channel at a time. Returns 1, nothing done, when a
   channel is not yet known to the integrator as this reader's (its first
   value takes the row-by-row path, which also says what is wrong). */
static int integrate_series(par *P, pslot *sl, size_t first, size_t n, size_t *name_i)
{
    est_samples_reader *r = P->r;
    const size_t stride = P->stride, ns = r->nslots;
    uint32_t *at = P->ser_at;
    uint16_t used[EST_SAMPLES_KIND_COUNT * EST_SAMPLES_GPUS_MAX];
    size_t nused = 0, i, k, total = 0;
    int ok = 1;
    for (i = 0; i < n; i++) { /* counts */
        const double *rw = sl->rows + (first + i) * stride;
        unsigned dev = (unsigned)rw[1];
        uint64_t mask;
        memcpy(&mask, &rw[2], sizeof mask);
        for (k = 0; k < ns; k++) {
            unsigned id;
            if (!(mask >> k & 1))
                continue;
            id = (unsigned)r->slots[k].kind * EST_SAMPLES_GPUS_MAX +
                 (r->slots[k].row_device ? dev : r->slots[k].device);
            if (at[id]++ == 0)
                used[nused++] = (uint16_t)id;
        }
    }
    for (k = 0; k < nused; k++) { /* known channels? ends of each run */
        ok &= est__samples_series_ok(r->s, r->src,
                                     (est_samples_kind)(used[k] / EST_SAMPLES_GPUS_MAX),
                                     used[k] % EST_SAMPLES_GPUS_MAX);
        total += at[used[k]];
        at[used[k]] = (uint32_t)total;
    }
    if (!ok) {
        for (k = 0; k < nused; k++)
            at[used[k]] = 0;
        return 1;
    }
    for (i = n; i-- > 0;) { /* filled from the back: each run ends in order */
        const double *rw = sl->rows + (first + i) * stride;
        unsigned dev = (unsigned)rw[1];
        uint64_t mask;
        memcpy(&mask, &rw[2], sizeof mask);
        for (k = 0; k < ns; k++) {
            unsigned id;
            uint32_t j;
            if (!(mask >> k & 1))
                continue;
            id = (unsigned)r->slots[k].kind * EST_SAMPLES_GPUS_MAX +
                 (r->slots[k].row_device ? dev : r->slots[k].device);
            j = --at[id];
            P->ser[2 * (size_t)j] = rw[0];
            P->ser[2 * (size_t)j + 1] = rw[3 + k];
        }
    }
    /* the names first: they are independent of the values */
    for (; *name_i < sl->nnames && sl->names[*name_i].row < first + n; (*name_i)++) {
        const struct pname *e = &sl->names[*name_i];
        if (!devset_has(&r->named, e->dev)) {
            est_samples_set_gpu_info(r->s, e->dev, e->name, 0);
            devset_add(&r->named, e->dev);
        }
    }
    for (k = 0; k < nused; k++) {
        uint32_t from = at[used[k]], to = k + 1 < nused ? at[used[k + 1]] : (uint32_t)total;
        est__samples_push_series(r->s, r->src, r->name,
                                 (est_samples_kind)(used[k] / EST_SAMPLES_GPUS_MAX),
                                 used[k] % EST_SAMPLES_GPUS_MAX, P->ser + 2 * (size_t)from,
                                 to - from);
    }
    for (k = 0; k < nused; k++)
        at[used[k]] = 0;
    est__samples_stats(r->s)->rows += n;
    r->rows_here += n;
    r->line += n;
    if (n)
        r->prev_t = sl->rows[(first + n - 1) * stride];
    return 0;
}

/* Integrates a parsed block, in file order (the caller holds the turn). */
static int integrate_block(par *P, pslot *sl, est_error *err)
{
    est_samples_reader *r = P->r;
    size_t nv = P->stride, i, g, row = 0, pos = sl->s, name_i = 0;
    int rc;
    if (sl->rc)
        return fail(r, err, est__fail(err, EST_EIO, "%s: read error: %s", r->name,
                                      EST__STRERROR(sl->rc)));
    if (r->carry_len && sl->nrows) {
        /* never: a block with rows starts a line; fed raw all the same */
        return est_samples_reader_feed(r, sl->buf + sl->s, sl->e - sl->s, err);
    }
    for (g = 0; g < sl->nseg; g++) {
        const pseg *sg = &sl->segs[g];
        if (sg->nrows && P->rows_mode) {
            progress(r, sg->raw_off - pos);
            if (P->series && integrate_series(P, sl, row, sg->nrows, &name_i) == 0)
                row += sg->nrows;
            else
                for (i = 0; i < sg->nrows; i++, row++)
                    if ((rc = integrate_row(P, sl, row, &name_i, err)))
                        return rc;
        } else if (sg->nrows) {
            const double *rows = sl->rows + row * nv;
            progress(r, sg->raw_off - pos);
            if (est__samples_push_block(r->s, r->src, r->name, r->fast_tmpl, r->fast_nval,
                                        rows, sg->nrows) == 0) {
                /* pushed at once: counted, and shown to on_row, in order */
                est__samples_stats(r->s)->rows += sg->nrows;
                r->rows_here += sg->nrows;
                r->line += sg->nrows;
                for (i = 0; r->o.on_row && i < sg->nrows; i++) {
                    est_sample out[FIELDS_MAX];
                    size_t j;
                    for (j = 0; j < r->fast_nval; j++) {
                        out[j] = r->fast_tmpl[j];
                        out[j].value = rows[i * nv + 1 + j];
                    }
                    r->o.on_row(r->o.row_user, rows[i * nv], out, r->fast_nval);
                }
                row += sg->nrows;
            } else {
                for (i = 0; i < sg->nrows; i++, row++) {
                    r->line++;
                    if ((rc = fast_emit(r, sl->rows + row * nv, err)))
                        return rc;
                }
            }
        }
        if (sg->raw_len &&
            (rc = est_samples_reader_feed(r, sl->buf + sg->raw_off, sg->raw_len, err)))
            return rc;
        pos = sg->raw_off + sg->raw_len;
    }
    return EST_OK;
}

/* The loop of each thread: integrate the next block when it is parsed and
   the turn is free, else parse the next block when a slot is free. */
static void par_loop(par *P, int is_main)
{
    pthread_mutex_lock(&P->mu);
    for (;;) {
        pslot *sl = &P->slot[P->next_int % PRING];
        if (P->stop)
            break;
        if (!P->integrating && P->next_int < P->nblocks && sl->state == 2 &&
            sl->k == P->next_int && (is_main || !P->main_only)) {
            est_error e;
            int rc;
            P->integrating = 1;
            pthread_mutex_unlock(&P->mu);
            rc = integrate_block(P, sl, &e);
            pthread_mutex_lock(&P->mu);
            P->integrating = 0;
            sl->state = 0;
            P->next_int++;
            if (rc) {
                P->rc = rc;
                P->err = e;
                P->stop = 1;
            } else if (P->next_int == P->nblocks) {
                P->stop = 1;
            }
            pthread_cond_broadcast(&P->cv);
            continue;
        }
        if (P->next_parse < P->nblocks && P->next_parse < P->next_int + PRING) {
            size_t k = P->next_parse++;
            pslot *ps = &P->slot[k % PRING];
            ps->state = 1;
            ps->k = k;
            pthread_mutex_unlock(&P->mu);
            parse_block(P, ps, k);
            pthread_mutex_lock(&P->mu);
            ps->state = 2;
            pthread_cond_broadcast(&P->cv);
            continue;
        }
        pthread_cond_wait(&P->cv, &P->mu);
    }
    pthread_mutex_unlock(&P->mu);
}

static void *par_thread(void *arg)
{
    par_loop(arg, 0);
    return NULL;
}

/* Reads the regular file fd (size bytes from its offset) in blocks with two
   threads. Returns 0 with *done 1 when the whole size was read (the caller
   reads on to the end, a file may have grown, and finishes), 0 with *done
   0 when the format has no fast rows (fd is then at the end of block 0:
   the caller goes on with the pipeline), or an error. */
static int par_read(est_samples_reader *r, int fd, off_t base, uint64_t size, int *done,
                    est_error *err)
{
    par P;
    pthread_t th;
    sigset_t all, caller_mask;
    size_t i;
    int rc = 0, masked, created = 0;

    *done = 0;
    memset(&P, 0, sizeof P);
    P.r = r;
    P.fd = fd;
    P.base = base;
    P.size = size;
    P.nblocks = (size_t)((size + PBLOCK - 1) / PBLOCK);
    P.main_only = r->o.on_row != NULL;
    for (i = 0; i < PRING; i++) {
        P.slot[i].buf = calloc(1, PBLOCK + PSCAN + 16); /* 8 readable past the end */
        if (!P.slot[i].buf) {
            rc = est__fail(err, EST_ENOMEM, "out of memory");
            goto out;
        }
    }
    /* block 0, the header, on this thread */
    parse_block(&P, &P.slot[0], 0);
    if ((rc = integrate_block(&P, &P.slot[0], err)))
        goto out;
    P.rows_mode = par_rows_ok(r);
    P.stride = P.rows_mode ? 3 + r->nslots : 1 + r->fast_nval;
    P.series = P.rows_mode && series_schema_ok(r);
    /* a row of ncols fields takes at least 2 ncols bytes: the rows of a
       block fit (a block of shorter rows reads the rest in place) */
    P.row_cap = PBLOCK / (2 * (r->ncols ? r->ncols : 1)) + 2;
    if (P.row_cap > PBLOCK / 12)
        P.row_cap = PBLOCK / 12;
    if (!(r->fast || P.rows_mode) || P.nblocks < 2) {
        if (lseek(fd, base + (off_t)P.slot[0].e, SEEK_SET) < 0) {
            int e = errno;
            rc = est__fail(err, EST_EIO, "%s: seek error: %s", r->name, EST__STRERROR(e));
        }
        goto out;
    }
    for (i = 0; i < PRING; i++) {
        P.slot[i].rows = malloc(P.row_cap * P.stride * sizeof(double));
        if (!P.slot[i].rows) {
            rc = est__fail(err, EST_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (P.series && !(P.ser = malloc(P.row_cap * r->nslots * 2 * sizeof(double))))
        P.series = 0; /* row by row */
    P.next_parse = P.next_int = 1;
    if (pthread_mutex_init(&P.mu, NULL) != 0) {
        rc = est__fail(err, EST_ENOMEM, "cannot create a mutex");
        goto out;
    }
    if (pthread_cond_init(&P.cv, NULL) != 0) {
        pthread_mutex_destroy(&P.mu);
        rc = est__fail(err, EST_ENOMEM, "cannot create a condition variable");
        goto out;
    }
    /* the parsing thread takes no signal (see est_samples_read_fd) */
    sigfillset(&all);
    masked = pthread_sigmask(SIG_SETMASK, &all, &caller_mask) == 0;
    created = pthread_create(&th, NULL, par_thread, &P) == 0;
    if (masked)
        pthread_sigmask(SIG_SETMASK, &caller_mask, NULL);
    par_loop(&P, 1);
    if (created)
        pthread_join(th, NULL);
    pthread_cond_destroy(&P.cv);
    pthread_mutex_destroy(&P.mu);
    if (P.rc) {
        rc = P.rc;
        if (err)
            *err = P.err;
        goto out;
    }
    if (lseek(fd, base + (off_t)size, SEEK_SET) < 0) {
        int e = errno;
        rc = est__fail(err, EST_EIO, "%s: seek error: %s", r->name, EST__STRERROR(e));
        goto out;
    }
    *done = 1;
out:
    for (i = 0; i < PRING; i++) {
        free(P.slot[i].buf);
        free(P.slot[i].rows);
    }
    free(P.ser);
    return rc;
}

typedef struct producer {
    est_samples_reader *r;
    int fd;
    int rc;
    est_error err;
} producer;

static void *producer_main(void *arg)
{
    producer *p = arg;
    sink *k = p->r->sink;
    p->rc = read_all(p->r, p->fd, &p->err);
    pthread_mutex_lock(&k->mu);
    if (k->b[k->fill_i]->nrec)
        k->full[k->fill_i] = 1;
    k->producer_done = 1;
    pthread_cond_broadcast(&k->cv);
    pthread_mutex_unlock(&k->mu);
    return NULL;
}

/* The consumer: integrates the batches in order. Returns its first error. */
static int consume(est_samples_reader *r, sink *k, est_error *err)
{
    int rc = 0;
    for (;;) {
        batch *b;
        size_t i;
        pthread_mutex_lock(&k->mu);
        while (!k->full[k->drain_i] && !k->producer_done)
            pthread_cond_wait(&k->cv, &k->mu);
        if (!k->full[k->drain_i]) {
            pthread_mutex_unlock(&k->mu);
            return rc;
        }
        pthread_mutex_unlock(&k->mu);
        b = k->b[k->drain_i];
        for (i = 0; i < b->nrec && !rc; i++) {
            const batch_rec *c = &b->recs[i];
            if (c->n == UINT32_MAX) {
                const batch_info *in = &b->infos[c->first];
                est_samples_set_gpu_info(r->s, in->device, in->has_name ? in->name : NULL,
                                         in->secondary);
                continue;
            }
            rc = est__samples_push_src(r->s, r->src, r->name, c->t, b->vals + c->first, c->n,
                                       err);
            if (!rc && r->o.on_row)
                r->o.on_row(r->o.row_user, c->t, b->vals + c->first, c->n);
        }
        pthread_mutex_lock(&k->mu);
        k->full[k->drain_i] = 0;
        k->drain_i = (k->drain_i + 1) % NBATCH;
        if (rc)
            k->consumer_failed = rc;
        pthread_cond_broadcast(&k->cv);
        pthread_mutex_unlock(&k->mu);
    }
}

/* The body of est_samples_read_fd on an open reader, which it leaves open
   (finished: the end of fd is the end of the input). */
static int read_fd_into(est_samples_reader *r, int fd, int threads, est_error *err)
{
    struct stat st;
    sink k;
    producer p;
    pthread_t th;
    sigset_t all, caller_mask;
    size_t i;
    int rc, masked, created;

    if (threads == 0)
        threads = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > (4 << 20) ? 2 : 1;
    if (threads > 1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t base = lseek(fd, 0, SEEK_CUR);
        int done = 0;
        if (base >= 0 && st.st_size > base && (uint64_t)(st.st_size - base) > 2 * PBLOCK) {
            rc = par_read(r, fd, base, (uint64_t)(st.st_size - base), &done, err);
            if (rc || done) {
                if (!rc)
                    rc = read_all(r, fd, err); /* what the file grew by, and the end */
                return rc;
            }
        }
    }
    memset(&k, 0, sizeof k);
    for (i = 0; threads > 1 && i < NBATCH; i++) {
        k.b[i] = malloc(sizeof *k.b[i]);
        if (!k.b[i])
            threads = 1;
        else
            k.b[i]->nrec = k.b[i]->nval = k.b[i]->ninfo = 0;
    }
    if (threads > 1 && (pthread_mutex_init(&k.mu, NULL) != 0))
        threads = 1;
    else if (threads > 1 && pthread_cond_init(&k.cv, NULL) != 0) {
        pthread_mutex_destroy(&k.mu);
        threads = 1;
    }
    if (threads > 1) {
        memset(&p, 0, sizeof p);
        p.r = r;
        p.fd = fd;
        r->sink = &k;
        /* The parsing thread takes no signal: the caller's threads keep
           handling them (SIGINT, SIGPIPE...) as they did before. It
           inherits the mask in force at pthread_create. */
        sigfillset(&all);
        masked = pthread_sigmask(SIG_SETMASK, &all, &caller_mask) == 0;
        created = pthread_create(&th, NULL, producer_main, &p) == 0;
        if (masked)
            pthread_sigmask(SIG_SETMASK, &caller_mask, NULL);
        if (!created) {
            r->sink = NULL;
            threads = 1;
            pthread_cond_destroy(&k.cv);
            pthread_mutex_destroy(&k.mu);
        }
    }
    if (threads > 1) {
        est_error cerr;
        est_error_clear(&cerr);
        rc = consume(r, &k, &cerr);
        pthread_join(th, NULL);
        if (rc) {
            /* the integration failed first: its message, not "stopped" */
            if (err)
                *err = cerr;
        } else if (p.rc) {
            rc = p.rc;
            if (err)
                *err = p.err;
        }
        pthread_cond_destroy(&k.cv);
        pthread_mutex_destroy(&k.mu);
    } else {
        rc = read_all(r, fd, err);
    }
    for (i = 0; i < NBATCH; i++)
        free(k.b[i]);
    return rc;
}

int est_samples_reader_read_fd(est_samples_reader *r, int fd, int threads, est_error *err)
{
    if (!r || fd < 0 || threads < 0)
        return est__fail(err, EST_EINVAL, "est_samples_reader_read_fd: invalid argument");
    return read_fd_into(r, fd, threads, err);
}

int est_samples_read_fd(est_samples *s, int fd, const char *name,
                        const est_samples_read_options *opts, est_error *err)
{
    est_samples_reader *r;
    int rc = est_samples_reader_open(&r, s, name, opts, err);
    if (rc)
        return rc;
    rc = read_fd_into(r, fd, opts ? opts->threads : 0, err);
    est_samples_reader_free(r);
    return rc;
}

int est_samples_read_file(est_samples *s, const char *path,
                          const est_samples_read_options *opts, est_error *err)
{
    int fd, rc;
    if (!path)
        return est__fail(err, EST_EINVAL, "est_samples_read_file: path is NULL");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return est__fail(err, e == ENOENT ? EST_ENOENT : EST_EIO, "%s: %s", path,
                         EST__STRERROR(e));
    }
    rc = est_samples_read_fd(s, fd, path, opts, err);
    close(fd);
    return rc;
}
