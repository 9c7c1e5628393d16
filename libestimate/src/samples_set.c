/* Logs of several hosts (issue 14 #28): one integrator per host, a total
 * that reads as one integrator, and the order in which a host's files
 * (rotated logs) are read. docs/samples.md ("Several hosts"). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecoest/samples.h"
#include "samples_internal.h"

typedef struct host {
    char name[EST_SAMPLES_HOST_MAX + 1];
    est_samples *s;
    unsigned gpu_first, n_gpus; /* its GPUs' total indices, after a compute */
    unsigned gpu_index[EST_SAMPLES_GPUS_MAX];
} host;

struct est_samples_set {
    est_samples_options o;
    host *hosts;
    size_t n, cap;
    est_samples *total;
};

/* ---- the set ---- */

static int agg_compute(void *user, est_samples_result *out, est_error *err);
static int agg_set_gpu_idle(void *user, unsigned device, double idle_w);
static int agg_energy_bins(void *user, const est_samples_bin_weights *w, est_intensity_energy_bin *bins,
                           size_t max_bins, size_t *n_bins, est_error *err);
static void agg_read_stats(void *user, est_samples_read_stats *out);
static int agg_finish(void *user, est_error *err);

static const est__samples_agg agg_ops = {agg_compute, agg_set_gpu_idle, agg_energy_bins,
                                         agg_read_stats, agg_finish};

int est_samples_set_open(est_samples_set **setp, const est_samples_options *opts,
                         est_error *err)
{
    est_samples_options d = EST_SAMPLES_OPTIONS_INIT;
    est_samples_set *set;
    est_samples *probe = NULL;
    int rc;
    if (!setp)
        return est__fail(err, EST_EINVAL, "est_samples_set_open: set is NULL");
    *setp = NULL;
    /* the options are checked now, by the integrator that takes them */
    if ((rc = est_samples_open(&probe, opts, err)) != EST_OK)
        return rc;
    est_samples_free(probe);
    set = calloc(1, sizeof *set);
    if (!set)
        return est__fail(err, EST_ENOMEM, "out of memory");
    set->o = opts ? *opts : d;
    if (est__samples_open_agg(&set->total, &agg_ops, set) != EST_OK) {
        free(set);
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    *setp = set;
    return EST_OK;
}

void est_samples_set_free(est_samples_set *set)
{
    size_t i;
    if (!set)
        return;
    for (i = 0; i < set->n; i++)
        est_samples_free(set->hosts[i].s);
    free(set->hosts);
    est_samples_free(set->total);
    free(set);
}

static int host_name_ok(const char *h)
{
    size_t n = 0;
    for (; h[n]; n++) {
        char c = h[n];
        if (n == EST_SAMPLES_HOST_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ':'))
            return 0;
    }
    return 1;
}

int est_samples_set_host(est_samples **s, est_samples_set *set, const char *name, est_error *err)
{
    size_t i;
    host *h;
    int rc;
    if (!set || !s)
        return est__fail(err, EST_EINVAL, "est_samples_set_host: NULL argument");
    *s = NULL;
    if (!name)
        name = "";
    if (!host_name_ok(name)) {
        char ex[80];
        est__excerpt(ex, sizeof ex, name, strlen(name));
        return est__fail(err, EST_EINVAL, "host \"%s\": expected at most %d letters, digits, "
                         "'.', '-', '_' or ':'", ex, EST_SAMPLES_HOST_MAX);
    }
    for (i = 0; i < set->n; i++)
        if (strcmp(set->hosts[i].name, name) == 0) {
            *s = set->hosts[i].s;
            return EST_OK;
        }
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 4;
        host *nh = realloc(set->hosts, cap * sizeof *nh);
        if (!nh)
            return est__fail(err, EST_ENOMEM, "out of memory");
        set->hosts = nh;
        set->cap = cap;
    }
    h = &set->hosts[set->n];
    memset(h, 0, sizeof *h);
    est__strlcpy(h->name, name, sizeof h->name);
    if ((rc = est_samples_open(&h->s, &set->o, err)) != EST_OK)
        return rc;
    set->n++;
    *s = h->s;
    return EST_OK;
}

size_t est_samples_set_host_count(const est_samples_set *set) { return set ? set->n : 0; }

const char *est_samples_set_host_name(const est_samples_set *set, size_t i)
{
    return set && i < set->n ? set->hosts[i].name : NULL;
}

est_samples *est_samples_set_host_at(const est_samples_set *set, size_t i)
{
    return set && i < set->n ? set->hosts[i].s : NULL;
}

est_samples *est_samples_set_total(est_samples_set *set)
{
    if (!set)
        return NULL;
    /* one host: its own integrator, exactly (nothing merged) */
    return set->n == 1 ? set->hosts[0].s : set->total;
}

int est_samples_set_gpu_origin(size_t *hi, unsigned *device, const est_samples_set *set, unsigned t)
{
    size_t i;
    if (!set || !hi || !device)
        return EST_EINVAL;
    for (i = 0; i < set->n; i++) {
        const host *h = &set->hosts[i];
        if (t >= h->gpu_first && t < h->gpu_first + h->n_gpus) {
            *hi = i;
            *device = h->gpu_index[t - h->gpu_first];
            return EST_OK;
        }
    }
    if (set->n == 1 && t < EST_SAMPLES_GPUS_MAX) {
        *hi = 0;
        *device = t; /* one host: the total is the host */
        return EST_OK;
    }
    return EST_EINVAL;
}

unsigned est_samples_set_host_gpu_first(const est_samples_set *set, size_t i)
{
    return set && i < set->n && set->n > 1 ? set->hosts[i].gpu_first : 0;
}

size_t est_samples_set_host_inputs(const est_samples_set *set, size_t i)
{
    return set && i < set->n ? est__samples_sources(set->hosts[i].s) : 0;
}

/* Each host's inputs must share time (ecoest/samples.h); hosts need not. */
int est_samples_set_check_overlap(const est_samples_set *set, est_error *err)
{
    size_t i;
    if (!set)
        return est__fail(err, EST_EINVAL, "est_samples_set_check_overlap: set is NULL");
    if (set->o.has_start || set->o.has_end)
        return EST_OK; /* the caller said which window is the job's */
    for (i = 0; i < set->n; i++) {
        const host *h = &set->hosts[i];
        est_samples_result r;
        est_sample fault;
        est_error he;
        const char *who;
        int rc;
        if (est__samples_sources(h->s) < 2)
            continue;
        fault.kind = EST_SAMPLES_KIND_COUNT; /* none named yet */
        fault.device = 0;
        rc = est_samples_compute(&r, h->s, &he);
        if (rc == EST_OK)
            rc = est__samples_overlap(&r, &fault, &he);
        est_samples_result_dispose(&r);
        if (rc == EST_OK)
            continue;
        est__fail(err, rc, "%s%s%s%s", h->name[0] ? "host " : "", h->name,
                  h->name[0] ? ": " : "", he.message);
        who = fault.kind < EST_SAMPLES_KIND_COUNT ? est__samples_who(h->s, fault.kind,
                                                                     fault.device)
                                                  : NULL;
        if (err && who)
            est__strlcpy(err->file, who, sizeof err->file);
        return rc;
    }
    return EST_OK;
}

/* ---- the total ---- */

/* A quantity that adds up over hosts (power, memory, cores): each host's
   mean x its window, over the union's duration. */
static void add_quantity(est_samples_quantity *t, const est_samples_quantity *q, double f,
                         int first)
{
    if (!(q->present || q->samples || q->missing))
        return;
    if (first || !(t->present || t->samples || t->missing)) {
        t->min = q->min;
        t->max = q->max;
        t->first_unix_s = q->first_unix_s;
        t->last_unix_s = q->last_unix_s;
        t->max_gap_s = q->max_gap_s;
    } else {
        t->min = q->min < t->min ? q->min : t->min;
        t->max = q->max > t->max ? q->max : t->max;
        t->first_unix_s = q->first_unix_s < t->first_unix_s ? q->first_unix_s
                                                           : t->first_unix_s;
        t->last_unix_s = q->last_unix_s > t->last_unix_s ? q->last_unix_s : t->last_unix_s;
        t->max_gap_s = q->max_gap_s > t->max_gap_s ? q->max_gap_s : t->max_gap_s;
    }
    t->present |= q->present;
    t->mean_of_readings |= q->mean_of_readings;
    if (q->present)
        t->mean += q->mean * f;
    t->integral += q->integral;
    t->covered_s += q->covered_s;
    t->filled_s += q->filled_s;
    t->uncovered_s += q->uncovered_s;
    t->samples += q->samples;
    t->missing += q->missing;
    t->gaps += q->gaps;
    t->duplicates += q->duplicates;
    t->backwards += q->backwards;
}

static void free_results(est_samples_result *r, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        est_samples_result_dispose(&r[i]);
    free(r);
}

static int agg_compute(void *user, est_samples_result *out, est_error *err)
{
    est_samples_set *set = user;
    est_samples_result *r;
    est_samples_gpu *gpus;
    double start = INFINITY, end = -INFINITY, least = INFINITY;
    unsigned n_gpus = 0, n_usage = 0;
    size_t i, g;
    int rc, all_derived = 1, any_busy = 0, first = 1;

    memset(out, 0, sizeof *out);
    if (set->n == 0)
        return est__fail(err, EST_ENODATA, "no samples: the set has no host");
    if (set->n == 1)
        return est_samples_compute(out, set->hosts[0].s, err);
    r = calloc(set->n, sizeof *r);
    if (!r)
        return est__fail(err, EST_ENOMEM, "out of memory");
    for (i = 0; i < set->n; i++) {
        est_error he;
        if ((rc = est_samples_compute(&r[i], set->hosts[i].s, &he)) != EST_OK) {
            free_results(r, i);
            return est__fail(err, rc, "host %s: %s", set->hosts[i].name, he.message);
        }
        if (r[i].start_unix_s < start)
            start = r[i].start_unix_s;
        if (r[i].end_unix_s > end)
            end = r[i].end_unix_s;
        n_gpus += (unsigned)r[i].n_gpus;
    }
    if (n_gpus > EST_SAMPLES_GPUS_MAX) {
        size_t over = 0;
        for (n_gpus = 0; n_gpus + r[over].n_gpus <= EST_SAMPLES_GPUS_MAX; over++)
            n_gpus += (unsigned)r[over].n_gpus;
        rc = est__fail(err, EST_ERANGE, "host %s: more than %d GPUs over all hosts",
                       set->hosts[over].name, EST_SAMPLES_GPUS_MAX);
        free_results(r, set->n);
        return rc;
    }
    if ((rc = est__samples_result_gpus(out, n_gpus, err)) != EST_OK) {
        free_results(r, set->n);
        return rc;
    }
    gpus = out->gpus_private;
    n_gpus = 0;
    out->start_unix_s = start;
    out->end_unix_s = end;
    out->duration_s = end - start;
    for (i = 0; i < set->n; i++) {
        const est_samples_result *h = &r[i];
        double f = h->duration_s / out->duration_s, cov = h->covered_s / h->duration_s;
        if (cov < least)
            least = cov;
        out->gaps += h->gaps;
        out->duplicates += h->duplicates;
        out->backwards += h->backwards;
        out->missing += h->missing;
        add_quantity(&out->cpu_cores, &h->cpu_cores, f, first);
        add_quantity(&out->cpu_busy_cores, &h->cpu_busy_cores, f, first);
        add_quantity(&out->ram_used_gb, &h->ram_used_gb, f, first);
        add_quantity(&out->cpu_package_power_w, &h->cpu_package_power_w, f, first);
        add_quantity(&out->node_power_w, &h->node_power_w, f, first);
        if (h->cpu_busy_cores.present || h->cpu_busy_cores.samples) {
            any_busy = 1;
            all_derived &= h->cpu_busy_cores_derived;
        }
        /* usage: a fraction of a host's cores; the cores counted are all
           hosts', equal per host: sum of usage x window / (hosts x union) */
        add_quantity(&out->cpu_usage_frac, &h->cpu_usage_frac, f, first);
        n_usage += h->cpu_usage_frac.present ? 1u : 0u;
        first = 0;
        set->hosts[i].gpu_first = n_gpus;
        set->hosts[i].n_gpus = 0;
        for (g = 0; g < h->n_gpus; g++) {
            est_samples_gpu *o = &gpus[n_gpus];
            *o = *est_samples_result_gpu(h, g);
            set->hosts[i].gpu_index[set->hosts[i].n_gpus++] = o->index;
            o->index = n_gpus;
            o->power_w.mean *= f;
            o->mean_power_w *= f;
            o->idle_w *= f;
            n_gpus++;
        }
    }
    out->n_gpus = n_gpus;
    if (n_usage)
        out->cpu_usage_frac.mean /= n_usage;
    out->cpu_busy_cores_derived = any_busy && all_derived;
    out->cpu_package_energy_kwh = out->cpu_package_power_w.integral / 3.6e6;
    out->node_energy_kwh = out->node_power_w.integral / 3.6e6;
    out->covered_s = least * out->duration_s;
    free_results(r, set->n);
    return EST_OK;
}

static int agg_set_gpu_idle(void *user, unsigned t, double idle_w)
{
    est_samples_set *set = user;
    size_t hi;
    unsigned d;
    if (est_samples_set_gpu_origin(&hi, &d, set, t) != EST_OK)
        return EST_EINVAL;
    return est_samples_set_gpu_idle(set->hosts[hi].s, d, idle_w);
}

/* Each host's bins added bin by bin (they share the grid: multiples of
   bin_s since the epoch). */
static int agg_energy_bins(void *user, const est_samples_bin_weights *w, est_intensity_energy_bin *bins,
                           size_t max_bins, size_t *n_bins, est_error *err)
{
    est_samples_set *set = user;
    double lo = INFINITY, hi = -INFINITY, bin_s = set->o.bin_s;
    size_t i, j, n = 0;
    int rc;
    *n_bins = 0;
    if (set->n == 1)
        return est_samples_energy_bins(bins, max_bins, n_bins, set->hosts[0].s, w, err);
    /* the union's range */
    for (i = 0; i < set->n; i++) {
        est_intensity_energy_bin *hb;
        size_t hn = 0;
        rc = est_samples_energy_bins(NULL, 0, &hn, set->hosts[i].s, w, err);
        if (rc && rc != EST_ERANGE)
            return rc;
        if (rc == EST_ERANGE && hn == 0)
            return rc; /* a host dropped its bins */
        if (hn == 0)
            continue;
        hb = calloc(hn, sizeof *hb);
        if (!hb)
            return est__fail(err, EST_ENOMEM, "out of memory");
        rc = est_samples_energy_bins(hb, hn, &hn, set->hosts[i].s, w, err);
        if (!rc) {
            if (hb[0].start_unix_s < lo)
                lo = hb[0].start_unix_s;
            if (hb[hn - 1].end_unix_s > hi)
                hi = hb[hn - 1].end_unix_s;
        }
        free(hb);
        if (rc)
            return rc;
    }
    if (!(hi > lo))
        return EST_OK;
    /* bins from floor(lo / bin_s) to the one holding hi */
    {
        double k0 = floor(lo / bin_s), k1 = ceil(hi / bin_s);
        n = (size_t)(k1 - k0);
        *n_bins = n;
        if (n > max_bins)
            return est__fail(err, EST_ERANGE, "%zu energy bins, room for %zu", n, max_bins);
        for (j = 0; j < n; j++) {
            double a = (k0 + (double)j) * bin_s, b = a + bin_s;
            bins[j].start_unix_s = a > lo ? a : lo;
            bins[j].end_unix_s = b < hi ? b : hi;
            bins[j].energy_kwh = 0.0;
        }
        for (i = 0; i < set->n; i++) {
            est_intensity_energy_bin *hb;
            size_t hn = 0, m;
            if (est_samples_energy_bins(NULL, 0, &hn, set->hosts[i].s, w, NULL) != EST_OK &&
                hn == 0)
                continue;
            if (hn == 0)
                continue;
            hb = calloc(hn, sizeof *hb);
            if (!hb)
                return est__fail(err, EST_ENOMEM, "out of memory");
            if ((rc = est_samples_energy_bins(hb, hn, &hn, set->hosts[i].s, w, err)) != EST_OK) {
                free(hb);
                return rc;
            }
            for (m = 0; m < hn; m++) {
                double k = floor(hb[m].start_unix_s / bin_s) - k0;
                if (k >= 0.0 && k < (double)n)
                    bins[(size_t)k].energy_kwh += hb[m].energy_kwh;
            }
            free(hb);
        }
    }
    return EST_OK;
}

static void agg_read_stats(void *user, est_samples_read_stats *out)
{
    est_samples_set *set = user;
    size_t i, k;
    memset(out, 0, sizeof *out);
    for (i = 0; i < set->n; i++) {
        est_samples_read_stats h;
        est_samples_stats(&h, set->hosts[i].s);
        out->rows += h.rows;
        out->skipped_rows += h.skipped_rows;
        for (k = 0; k < EST_SAMPLES_BAD_ROW_KINDS; k++)
            out->skipped_by_kind[k] += h.skipped_by_kind[k];
        if (!out->first_message[0] && h.first_message[0])
            memcpy(out->first_message, h.first_message, sizeof out->first_message);
        for (k = 0; k < h.n_first && out->n_first < EST_SAMPLES_BAD_ROW_LINES_MAX; k++) {
            memcpy(out->first_file[out->n_first], h.first_file[k], EST_SAMPLES_BAD_ROW_FILE_MAX);
            out->first_line[out->n_first++] = h.first_line[k];
        }
        out->headers += h.headers;
        if (!out->unterminated_inputs && h.unterminated_inputs)
            memcpy(out->unterminated_file, h.unterminated_file, EST_SAMPLES_BAD_ROW_FILE_MAX);
        out->unterminated_inputs += h.unterminated_inputs;
    }
}

static int agg_finish(void *user, est_error *err)
{
    est_samples_set *set = user;
    size_t i;
    int rc;
    for (i = 0; i < set->n; i++)
        if ((rc = est_samples_finish(set->hosts[i].s, err)) != EST_OK)
            return rc;
    return EST_OK;
}

/* ---- file order ---- */

static void probe_row(void *user, double t, const est_sample *v, size_t n)
{
    double *first = user;
    (void)v;
    (void)n;
    if (t < *first)
        *first = t;
}

/* The earliest time in the first MiB of a regular file (+inf when unknown:
   standard input, unreadable, no row there). */
static double probe_first_time(const est_samples_input *f,
                               const est_samples_read_options *ro0, char *buf)
{
    est_samples_read_options ro = *ro0;
    est_samples *s = NULL;
    est_samples_reader *r = NULL;
    double first = INFINITY;
    ssize_t got;
    int fd;
    if (!f->path || strcmp(f->path, "-") == 0 ||
        (fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
        return INFINITY;
    ro.columns = f->columns;
    ro.format = f->format;
    ro.skip_bad_rows = 1;
    ro.progress = NULL;
    ro.on_row = probe_row;
    ro.row_user = &first;
    if (est_samples_open(&s, NULL, NULL) == EST_OK &&
        est_samples_reader_open(&r, s, f->path, &ro, NULL) == EST_OK) {
        do
            got = read(fd, buf, 1u << 20);
        while (got < 0 && errno == EINTR);
        if (got > 0 && est_samples_reader_feed(r, buf, (size_t)got, NULL) == EST_OK)
            est_samples_reader_finish(r, NULL);
    }
    est_samples_reader_free(r);
    est_samples_free(s);
    close(fd);
    return first;
}

static int same_host(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

int est_samples_inputs_order(est_samples_input *in, size_t n,
                             const est_samples_read_options *ro)
{
    est_samples_read_options d = EST_SAMPLES_READ_OPTIONS_INIT;
    double *key;
    size_t *group, i, j, n_groups = 0;
    char *buf;
    if (n == 0)
        return EST_OK;
    if (!in)
        return EST_EINVAL;
    if (!ro)
        ro = &d;
    key = malloc(n * sizeof *key);
    group = malloc(n * sizeof *group);
    buf = n > 1 ? malloc(1u << 20) : NULL;
    if (!key || !group || (n > 1 && !buf)) {
        free(key);
        free(group);
        free(buf);
        return EST_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        /* the host's group: the order hosts first appear */
        for (j = 0; j < i && !same_host(in[j].host, in[i].host); j++)
            ;
        group[i] = j < i ? group[j] : n_groups++;
    }
    for (i = 0; i < n; i++) {
        size_t same = 0;
        for (j = 0; j < n; j++)
            same += group[j] == group[i];
        /* a host with one file needs no probe */
        key[i] = same > 1 ? probe_first_time(&in[i], ro, buf) : 0.0;
    }
    /* stable insertion sort by (group, first time) */
    for (i = 1; i < n; i++) {
        est_samples_input f = in[i];
        double k = key[i];
        size_t gr = group[i];
        for (j = i; j > 0 && (group[j - 1] > gr || (group[j - 1] == gr && key[j - 1] > k));
             j--) {
            in[j] = in[j - 1];
            key[j] = key[j - 1];
            group[j] = group[j - 1];
        }
        in[j] = f;
        key[j] = k;
        group[j] = gr;
    }
    free(key);
    free(group);
    free(buf);
    return EST_OK;
}

/* ---- times ---- */

int est_samples_format_time(char *buf, size_t size, double t)
{
    double whole, frac;
    long us;
    int rc;
    if (!buf || !isfinite(t))
        return EST_EINVAL;
    if (size < EST_SAMPLES_TIME_FORMAT_SIZE)
        return EST_ERANGE;
    whole = floor(t);
    frac = t - whole;
    us = lround(frac * 1e6);
    if (us >= 1000000) {
        whole += 1.0;
        us = 0;
    }
    if ((rc = est_format_time(buf, size, whole)) != EST_OK)
        return rc;
    if (us > 0) {
        char digits[8];
        size_t len = strlen(buf), nd = 6;
        snprintf(digits, sizeof digits, "%06ld", us);
        while (nd > 1 && digits[nd - 1] == '0')
            nd--;
        digits[nd] = '\0';
        /* "...:SSZ" -> "...:SS.fffZ" */
        snprintf(buf + len - 1, size - (len - 1), ".%sZ", digits);
    }
    return EST_OK;
}
