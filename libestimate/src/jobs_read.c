/* The streaming reader of `sacct --parsable2` output. See ecoest/jobs.h and
 * docs/cluster.md ("Reading Slurm's records"). One pass, no allocation per
 * row: a line is split in place, only the columns that are needed are
 * parsed, and a job is handed on when the next job's row arrives. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecoest/jobs.h"
#include "internal.h"
#include "jobs_internal.h"

/* The columns the reader knows. */
enum {
    C_JOBID, C_STATE, C_ELAPSED, C_NCPUS, C_TOTALCPU, C_REQMEM, C_ALLOCTRES,
    C_USER, C_ACCOUNT, C_PARTITION, C_SUBMIT, C_START, C_END, C_NNODES,
    C_CPUTIME, C_MAXRSS, C_TRESTOT, C_TRESAVE, C_ENERGYRAW, C_NODELIST, C_COUNT
};
static const char *const col_names[C_COUNT] = {
    "JobID", "State", "Elapsed", "NCPUS", "TotalCPU", "ReqMem", "AllocTRES",
    "User", "Account", "Partition", "Submit", "Start", "End", "NNodes",
    "CPUTime", "MaxRSS", "TRESUsageInTot", "TRESUsageInAve", "ConsumedEnergyRaw",
    "NodeList"};

#define LINE_MAX_BYTES (1u << 20) /* a longer line is malformed */
#define CHUNK_BYTES (1u << 20)

struct est_jobs_reader {
    est_jobs_read_options o;
    est_jobs_read_stats st;
    /* per file */
    const char *name;
    unsigned long line;
    int have_header;
    size_t ncols;
    int *colmap;          /* field number -> C_* or -1 */
    size_t colmap_cap;
    int col_field[C_COUNT]; /* C_* -> field number or -1 */
    /* the job being merged */
    int have_cur;
    est_job cur;
    size_t cur_id_len;
    double alloc_cpu_s, steps_cpu_s, steps_energy_j, gpuutil_pct;
    int gpuutil_from_ave;
    int ga_req_bad; /* a row's ReqMem GreenAlgorithms4HPC cannot read */
    /* the allocation row's Elapsed and CPUTime as written: a step that
       repeats them (most do) needs no parse for the maxima */
    char alloc_elapsed[24], alloc_cputime[24];
    size_t alloc_elapsed_n, alloc_cputime_n;
    est_error rowerr; /* a bad row's message (copied to the caller's on failure) */
};

const char *est_jobs_state_name(est_jobs_state s)
{
    static const char *const names[EST_JOBS_STATE_COUNT] = {
        "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "OUT_OF_MEMORY",
        "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REQUEUED",
        "PENDING", "RUNNING", "SUSPENDED", "REVOKED", "RESIZING"};
    if ((int)s < 0 || s >= EST_JOBS_STATE_COUNT)
        return "?";
    return names[s];
}

int est_jobs_state_finished(est_jobs_state s)
{
    if ((int)s < 0 || s >= EST_JOBS_STATE_COUNT)
        return 0;
    return s != EST_JOBS_STATE_RUNNING && s != EST_JOBS_STATE_PENDING &&
           s != EST_JOBS_STATE_SUSPENDED && s != EST_JOBS_STATE_REQUEUED;
}

int est_jobs_state_parse(est_jobs_state *out, const char *s, size_t len)
{
    size_t w = 0;
    int i;
    if (!s || !out)
        return EST_EINVAL;
    while (w < len && s[w] != ' ' && s[w] != '+')
        w++;
    /* what may follow the word: " by <uid>" or a lone "+" */
    if (w < len) {
        const char *t = s + w;
        size_t tl = len - w, k;
        if (tl == 1 && t[0] == '+') {
            /* "CANCELLED+": sacct's mark of a cut column */
        } else if (tl > 4 && memcmp(t, " by ", 4) == 0) {
            for (k = 4; k < tl; k++)
                if (!est__is_digit_ascii((unsigned char)t[k]))
                    return EST_EPARSE;
        } else
            return EST_EPARSE;
    }
    for (i = 0; i < (int)EST_JOBS_STATE_COUNT; i++) {
        const char *n = est_jobs_state_name((est_jobs_state)i);
        if (strlen(n) == w && memcmp(n, s, w) == 0) {
            *out = (est_jobs_state)i;
            return EST_OK;
        }
    }
    return EST_EPARSE;
}

int est_jobs_reader_open(est_jobs_reader **rp, const est_jobs_read_options *opts,
                         est_error *err)
{
    est_jobs_reader *r;
    est_jobs_read_options o = EST_JOBS_READ_OPTIONS_INIT;
    if (!rp)
        return est__fail(err, EST_EINVAL, "no reader pointer given");
    *rp = NULL;
    if (opts) {
        if (opts->version < 1 || opts->version > EST_JOBS_READ_OPTIONS_VERSION)
            return est__fail(err, EST_EINVAL, "read options version %u is not supported",
                             opts->version);
        o.running = opts->running;
        o.now_unix_s = opts->now_unix_s;
        o.skip_bad_rows = opts->skip_bad_rows;
        o.input_utc_offset_s = opts->input_utc_offset_s;
        if (opts->version >= 2)
            o.method = opts->method;
        if (opts->version >= 3)
            o.bare_rss_unit = opts->bare_rss_unit;
    }
    if (o.bare_rss_unit != '\0' && o.bare_rss_unit != 'K' && o.bare_rss_unit != 'M' &&
        o.bare_rss_unit != 'G')
        return est__fail(err, EST_EINVAL, "bare_rss_unit: expected K, M or G, got %d",
                         (int)o.bare_rss_unit);
    if (o.method != EST_JOBS_METHOD_ECOEST && o.method != EST_JOBS_METHOD_GA4HPC)
        return est__fail(err, EST_EINVAL, "method: unknown method %d", (int)o.method);
    if (o.running != EST_JOBS_RUNNING_COUNT && o.running != EST_JOBS_RUNNING_SKIP)
        return est__fail(err, EST_EINVAL, "running: unknown policy %d", (int)o.running);
    if (!(o.now_unix_s >= 0.0) || o.now_unix_s > EST_TIME_MAX_UNIX_S)
        return est__fail(err, EST_EINVAL, "now_unix_s: must be 0 or a time, got %g",
                         o.now_unix_s);
    if (o.input_utc_offset_s > EST_UTC_OFFSET_MAX_S ||
        o.input_utc_offset_s < -EST_UTC_OFFSET_MAX_S)
        return est__fail(err, EST_EINVAL, "input_utc_offset_s: %ld is beyond 26 hours",
                         o.input_utc_offset_s);
    r = calloc(1, sizeof *r);
    if (!r)
        return est__fail(err, EST_ENOMEM, "out of memory");
    r->o = o;
    *rp = r;
    return EST_OK;
}

void est_jobs_reader_free(est_jobs_reader *r)
{
    if (!r)
        return;
    free(r->colmap);
    free(r);
}

int est_jobs_reader_stats(est_jobs_read_stats *out, const est_jobs_reader *r)
{
    if (!r || !out)
        return EST_EINVAL;
    *out = r->st;
    return EST_OK;
}

/* ------------------------------------------------------------ the header */

static int header_equals(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && est__strncasecmp_ascii(s, name, len) == 0;
}

static int parse_header(est_jobs_reader *r, char *s, size_t len, est_error *err)
{
    size_t n = 1, i, f = 0;
    int c;
    char missing[256] = "";
    for (i = 0; i < len; i++)
        n += s[i] == '|';
    if (n > r->colmap_cap) {
        int *m = realloc(r->colmap, n * sizeof *m);
        if (!m)
            return est__fail(err, EST_ENOMEM, "out of memory");
        r->colmap = m;
        r->colmap_cap = n;
    }
    r->ncols = n;
    for (c = 0; c < C_COUNT; c++)
        r->col_field[c] = -1;
    i = 0;
    while (f < n) {
        size_t e = i;
        while (e < len && s[e] != '|')
            e++;
        r->colmap[f] = -1;
        for (c = 0; c < C_COUNT; c++) {
            if (header_equals(s + i, e - i, col_names[c])) {
                if (r->col_field[c] >= 0)
                    return est__fail_at(err, EST_EPARSE, r->name, r->line,
                                        (unsigned)f + 1, NULL,
                                        "column %s appears twice in the header",
                                        col_names[c]);
                r->col_field[c] = (int)f;
                r->colmap[f] = c;
            }
        }
        f++;
        i = e + 1;
    }
    for (c = C_JOBID; c <= C_TOTALCPU; c++) {
        if (r->col_field[c] < 0) {
            if (missing[0])
                strcat(missing, ", ");
            strcat(missing, col_names[c]);
        }
    }
    if (r->col_field[C_REQMEM] < 0 && r->col_field[C_ALLOCTRES] < 0) {
        if (missing[0])
            strcat(missing, ", ");
        strcat(missing, "ReqMem or AllocTRES");
    }
    if (missing[0])
        return est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                            "the header lacks the columns %s (sacct --parsable2 with a "
                            "header line is expected; ecoest jobs --sacct asks for them)",
                            missing);
    if (r->col_field[C_START] < 0)
        r->st.no_start_column = 1;
    if (r->col_field[C_ENERGYRAW] >= 0)
        r->st.has_energy_column = 1;
    r->have_header = 1;
    return EST_OK;
}

/* ------------------------------------------------------------- the fields */

typedef struct row {
    const char *v[C_COUNT];
    size_t n[C_COUNT];
} row;

static int bad(est_jobs_reader *r, est_error *err, int col, const row *w,
               const char *what)
{
    char ex[80];
    est__excerpt(ex, sizeof ex, w->v[col], w->n[col]);
    return est__fail_at(err, EST_EPARSE, r->name, r->line,
                        (unsigned)r->col_field[col] + 1, col_names[col],
                        "expected %s, got \"%s\"", what, ex);
}

/* Copies a text field; too long is a bad row. */
static int take_text(est_jobs_reader *r, est_error *err, const row *w, int col,
                     char *dst, size_t size)
{
    if (r->col_field[col] < 0 || w->n[col] == 0) {
        dst[0] = '\0';
        return 0;
    }
    if (w->n[col] >= size)
        return bad(r, err, col, w, "a shorter value");
    memcpy(dst, w->v[col], w->n[col]);
    dst[w->n[col]] = '\0';
    return 0;
}

/* The Partition column: the first of a list ("cpu,gpu" -> "cpu", the one a
   job that ran is accounted on, as GreenAlgorithms4HPC reads it), so a long
   list is no bad row; the length is checked after the cut. */
static int take_first_partition(est_jobs_reader *r, est_error *err, const row *w, char *dst,
                                size_t size)
{
    row one = *w;
    size_t n = 0;
    if (r->col_field[C_PARTITION] >= 0)
        while (n < w->n[C_PARTITION] && w->v[C_PARTITION][n] != ',')
            n++;
    one.n[C_PARTITION] = n;
    return take_text(r, err, &one, C_PARTITION, dst, size);
}

static int field_count(const row *w, int col, const est_jobs_reader *r, unsigned *out,
                       int required)
{
    if (r->col_field[col] < 0 || w->n[col] == 0) {
        if (required)
            return -1;
        *out = 0;
        return 0;
    }
    return est__jobs_uint(w->v[col], w->n[col], out);
}

/* GreenAlgorithms4HPC's reading of a row's ReqMem, GB (its calc_ReqMem):
   K, M or G, decimal, optionally per node (n, x the row's NNodes) or per
   CPU (c, x the row's NCPUS); empty: 0. -1 for anything else (a T, a bare
   number): there it stops with "Can't parse memory value". */
static int ga_reqmem(const char *v, size_t n, unsigned nnodes, unsigned ncpus, double *out_gb)
{
    double mult = 1.0, gb;
    if (n == 0) {
        *out_gb = 0.0;
        return 0;
    }
    if (n > 1 && (v[n - 1] == 'n' || v[n - 1] == 'c')) {
        mult = v[n - 1] == 'n' ? (double)nnodes : (double)ncpus;
        n--;
    }
    if (est__jobs_ga_size(v, n, '?', &gb) != 0)
        return -1;
    *out_gb = gb * mult;
    return 0;
}

/* GreenAlgorithms4HPC's count of a row's GPUs: the first untyped
   gres/gpu=N of its AllocTRES (its regex), 0 without one. */
static unsigned ga_gpus_of(const char *t, size_t tl)
{
    const char *end = t + tl, *p = t;
    unsigned g = 0;
    /* by its '/': most rows have none */
    while (p < end && (p = memchr(p, '/', (size_t)(end - p))) != NULL) {
        if (p - t >= 4 && end - p >= 5 && memcmp(p - 4, "gres/gpu=", 9) == 0) {
            const char *d = p + 5, *e = d;
            while (e < end && est__is_digit_ascii((unsigned char)*e))
                e++;
            if (e == d || est__jobs_uint(d, (size_t)(e - d), &g))
                g = 0;
            return g;
        }
        p++;
    }
    return 0;
}

/* A short field kept as written (n 0 and nothing kept when too long), and
   whether a field is that text. */
static void keep_text(char *dst, size_t *dst_n, const char *v, size_t n)
{
    if (n > 0 && n <= 24) {
        memcpy(dst, v, n);
        *dst_n = n;
    } else
        *dst_n = 0;
}

static int same_text(const char *kept, size_t kept_n, const char *v, size_t n)
{
    return kept_n > 0 && n == kept_n && memcmp(kept, v, n) == 0;
}

/* GreenAlgorithms4HPC merges a job's rows by taking the largest of each
   (its groupby max): every row, allocation or step, goes through here. The
   allocation row's Elapsed, TotalCPU, CPUTime, NCPUS and NNodes are
   parse_alloc's; a step's TotalCPU is merge_usage's; the rest is read here.
   GreenAlgorithms4HPC never fails on a step's fields: a value it cannot
   read is left out, except a ReqMem it cannot read, which marks the job
   (ga_req_bad: ga_req_mem_gb becomes EST_UNSET). */

/* GreenAlgorithms4HPC's running codes (slurm_extract.py: PD, PENDING, R,
   RUNNING, RQ, REQUEUED): a job with a row in one is left out there. */
static int ga_running_code(const char *v, size_t n)
{
    static const char *const codes[] = {"PD", "PENDING", "R", "RUNNING", "RQ", "REQUEUED"};
    size_t i;
    for (i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strlen(codes[i]) == n && memcmp(codes[i], v, n) == 0)
            return 1;
    return 0;
}

static void ga_row(const row *w, est_jobs_reader *r, est_job *j, int is_step)
{
    double gb, s, el = 0.0;
    unsigned ncpus = 0, nnodes = 0;
    if (!is_step) {
        j->ga_elapsed_s = j->elapsed_s;
        j->ga_total_cpu_s = r->alloc_cpu_s;
        j->ga_ncpus = ncpus = j->ncpus;
        j->ga_nnodes = nnodes = j->nnodes;
        j->ga_req_mem_gb = 0.0;
        j->ga_gpus = 0;
        r->ga_req_bad = 0;
        el = j->elapsed_s;
        if (r->col_field[C_CPUTIME] >= 0)
            j->ga_cpu_time_s = j->cpu_time_s > 0.0 ? j->cpu_time_s : 0.0;
        keep_text(r->alloc_elapsed, &r->alloc_elapsed_n, w->v[C_ELAPSED], w->n[C_ELAPSED]);
        keep_text(r->alloc_cputime, &r->alloc_cputime_n, w->v[C_CPUTIME], w->n[C_CPUTIME]);
    } else {
        if (w->n[C_NCPUS] > 0 && est__jobs_uint(w->v[C_NCPUS], w->n[C_NCPUS], &ncpus) == 0 &&
            ncpus > j->ga_ncpus)
            j->ga_ncpus = ncpus;
        if (r->col_field[C_NNODES] >= 0 && w->n[C_NNODES] > 0 &&
            est__jobs_uint(w->v[C_NNODES], w->n[C_NNODES], &nnodes) == 0 && nnodes > j->ga_nnodes)
            j->ga_nnodes = nnodes;
        if (r->col_field[C_CPUTIME] >= 0 && w->n[C_CPUTIME] > 0 &&
            !same_text(r->alloc_cputime, r->alloc_cputime_n, w->v[C_CPUTIME], w->n[C_CPUTIME]) &&
            est__jobs_duration(w->v[C_CPUTIME], w->n[C_CPUTIME], &s) == 0 &&
            s > j->ga_cpu_time_s)
            j->ga_cpu_time_s = s;
        if (same_text(r->alloc_elapsed, r->alloc_elapsed_n, w->v[C_ELAPSED], w->n[C_ELAPSED]))
            el = j->elapsed_s;
        else if (w->n[C_ELAPSED] > 0 &&
                 est__jobs_duration(w->v[C_ELAPSED], w->n[C_ELAPSED], &el) == 0 &&
                 el > j->ga_elapsed_s)
            j->ga_elapsed_s = el;
    }
    /* no CPUTime column: NCPUS x Elapsed, row by row, as there */
    if (r->col_field[C_CPUTIME] < 0 && el * (double)ncpus > j->ga_cpu_time_s)
        j->ga_cpu_time_s = el * (double)ncpus;
    if (r->col_field[C_REQMEM] >= 0) {
        if (ga_reqmem(w->v[C_REQMEM], w->n[C_REQMEM], nnodes, ncpus, &gb) != 0)
            r->ga_req_bad = 1;
        else if (gb > j->ga_req_mem_gb)
            j->ga_req_mem_gb = gb;
    }
    if (r->col_field[C_ALLOCTRES] >= 0) {
        unsigned g = ga_gpus_of(w->v[C_ALLOCTRES], w->n[C_ALLOCTRES]);
        if (g > j->ga_gpus)
            j->ga_gpus = g;
    }
    /* its running codes, matched exactly as there: the job is dropped */
    if (ga_running_code(w->v[C_STATE], w->n[C_STATE]))
        j->ga_any_row_not_completed = 2;
    else if (!(w->n[C_STATE] == 9 && memcmp(w->v[C_STATE], "COMPLETED", 9) == 0) &&
             j->ga_any_row_not_completed == 0)
        j->ga_any_row_not_completed = 1;
    /* MaxRSS: merge_usage reads it once for both */
}

/* The first node of a NodeList: "node[001-004,9]" -> "node001", "a,b" ->
   "a"; "None assigned" and "(null)" -> "". */
static void first_node(const char *s, size_t n, char *out, size_t size)
{
    size_t i = 0, o = 0;
    out[0] = '\0';
    if (n == 0 || s[0] == '(' || (n >= 4 && memcmp(s, "None", 4) == 0))
        return;
    while (i < n && s[i] != '[' && s[i] != ',' && o + 1 < size)
        out[o++] = s[i++];
    if (i < n && s[i] == '[')
        for (i++; i < n && est__is_digit_ascii((unsigned char)s[i]) && o + 1 < size; i++)
            out[o++] = s[i];
    out[o] = '\0';
}

/* 1 when the row is of a job that never ran: State PENDING, or an Elapsed
   of zero (an array cancelled while pending keeps its "123_[5-9]" id). Such
   a job costs 0 whatever its id, so a long id is no bad row. */
static int row_never_ran(const row *w)
{
    est_jobs_state st;
    double elapsed;
    if (est_jobs_state_parse(&st, w->v[C_STATE], w->n[C_STATE]) == 0 &&
        st == EST_JOBS_STATE_PENDING)
        return 1;
    return est__jobs_duration(w->v[C_ELAPSED], w->n[C_ELAPSED], &elapsed) == 0 &&
           elapsed == 0.0;
}

/* Sets r->cur from an allocation row. */
static int parse_alloc(est_jobs_reader *r, const row *w, size_t id_len, est_error *err)
{
    est_job *j = &r->cur;
    int has_submit;
    memset(j, 0, sizeof *j);
    if (id_len >= EST_JOB_ID_MAX) {
        /* a pending array's id ("123_[1,3,5,...%4]"): the job is left out
           and its id never printed; kept cut, marked "...", and no step
           row matches it (a pending job has none) */
        memcpy(j->id, w->v[C_JOBID], EST_JOB_ID_MAX - 4);
        memcpy(j->id + EST_JOB_ID_MAX - 4, "...", 4);
        r->cur_id_len = (size_t)-1;
    } else {
        memcpy(j->id, w->v[C_JOBID], id_len);
        j->id[id_len] = '\0';
        r->cur_id_len = id_len;
    }
    j->line = r->line;
    j->cpu_time_s = EST_UNSET;
    j->max_rss_gb = EST_UNSET;
    j->gpu_util_frac = EST_UNSET;
    j->energy_j = EST_UNSET;
    j->ga_max_rss_gb = EST_UNSET;
    r->steps_cpu_s = 0.0;
    r->steps_energy_j = EST_UNSET;
    r->gpuutil_pct = EST_UNSET;
    r->gpuutil_from_ave = 0;

    if (take_text(r, err, w, C_USER, j->user, sizeof j->user) ||
        take_text(r, err, w, C_ACCOUNT, j->account, sizeof j->account) ||
        take_first_partition(r, err, w, j->partition, sizeof j->partition))
        return EST_EPARSE;
    if (r->col_field[C_NODELIST] >= 0)
        first_node(w->v[C_NODELIST], w->n[C_NODELIST], j->node, sizeof j->node);
    if (est_jobs_state_parse(&j->state, w->v[C_STATE], w->n[C_STATE]))
        return bad(r, err, C_STATE, w, "a Slurm job state");
    if (est__jobs_duration(w->v[C_ELAPSED], w->n[C_ELAPSED], &j->elapsed_s))
        return bad(r, err, C_ELAPSED, w, "a duration [D-]HH:MM:SS");
    if (field_count(w, C_NCPUS, r, &j->ncpus, 1))
        return bad(r, err, C_NCPUS, w, "a count of CPUs");
    if (field_count(w, C_NNODES, r, &j->nnodes, 0))
        return bad(r, err, C_NNODES, w, "a count of nodes");
    if (j->nnodes == 0)
        j->nnodes = 1;
    if (w->n[C_TOTALCPU] == 0)
        r->alloc_cpu_s = 0.0;
    else if (est__jobs_duration(w->v[C_TOTALCPU], w->n[C_TOTALCPU], &r->alloc_cpu_s))
        return bad(r, err, C_TOTALCPU, w, "a CPU time [D-]HH:MM:SS or MM:SS.mmm");
    if (r->col_field[C_CPUTIME] >= 0 && w->n[C_CPUTIME] > 0 &&
        est__jobs_duration(w->v[C_CPUTIME], w->n[C_CPUTIME], &j->cpu_time_s))
        return bad(r, err, C_CPUTIME, w, "a duration [D-]HH:MM:SS");

    /* times */
    has_submit = 0;
    if (r->col_field[C_SUBMIT] >= 0) {
        int k = est__jobs_time(w->v[C_SUBMIT], w->n[C_SUBMIT], r->o.input_utc_offset_s,
                               &j->submit_unix_s);
        if (k < 0)
            return bad(r, err, C_SUBMIT, w, "a time YYYY-MM-DDTHH:MM:SS");
        has_submit = k;
    }
    if (r->col_field[C_START] >= 0) {
        int k = est__jobs_time(w->v[C_START], w->n[C_START], r->o.input_utc_offset_s,
                               &j->start_unix_s);
        if (k < 0)
            return bad(r, err, C_START, w, "a time YYYY-MM-DDTHH:MM:SS");
        j->has_start = k;
    } else if (has_submit) {
        j->start_unix_s = j->submit_unix_s;
        j->has_start = 1;
    }
    if (r->col_field[C_END] >= 0) {
        int k = est__jobs_time(w->v[C_END], w->n[C_END], r->o.input_utc_offset_s,
                               &j->end_unix_s);
        if (k < 0)
            return bad(r, err, C_END, w, "a time YYYY-MM-DDTHH:MM:SS");
        j->has_end = k;
    }

    /* memory and GPUs: AllocTRES first */
    j->req_mem_gb = EST_UNSET;
    if (r->col_field[C_ALLOCTRES] >= 0 && w->n[C_ALLOCTRES] > 0) {
        double mem_b = EST_UNSET;
        if (est__jobs_tres(w->v[C_ALLOCTRES], w->n[C_ALLOCTRES], &mem_b, &j->gpus,
                           j->gpu_type, sizeof j->gpu_type))
            return bad(r, err, C_ALLOCTRES, w, "TRES like cpu=2,mem=4G,gres/gpu=1");
        if (mem_b >= 0.0)
            j->req_mem_gb = mem_b / 1e9;
    }
    if (j->req_mem_gb < 0.0 && r->col_field[C_REQMEM] >= 0 && w->n[C_REQMEM] > 0) {
        double b;
        int per; /* 0 per node, 1 per CPU */
        if (est__jobs_reqmem(w->v[C_REQMEM], w->n[C_REQMEM], &b, &per))
            return bad(r, err, C_REQMEM, w, "a memory size like 16G, 4000M, 6760Mc or 250Gn");
        j->req_mem_gb = b / 1e9 * (per ? (double)j->ncpus : (double)j->nnodes);
    }
    if (j->req_mem_gb < 0.0)
        j->req_mem_gb = 0.0;
    return EST_OK;
}

/* Merges what a row (allocation or step) says about usage. */
static int merge_usage(est_jobs_reader *r, const row *w, int is_step, est_error *err)
{
    est_job *j = &r->cur;
    double gb;
    /* before anything of the row is merged: a skipped row leaves no trace */
    if (r->o.method == EST_JOBS_METHOD_GA4HPC && r->col_field[C_REQMEM] >= 0 &&
        ga_reqmem(w->v[C_REQMEM], w->n[C_REQMEM], 1, 1, &gb) != 0)
        return bad(r, err, C_REQMEM, w,
                   "a size GreenAlgorithms4HPC reads (K, M or G, optionally per node n or per "
                   "CPU c; it stops on any other: --method ecoest reads T too)");
    ga_row(w, r, j, is_step);
    if (r->col_field[C_MAXRSS] >= 0 && w->n[C_MAXRSS] > 0) {
        double b, ga_gb;
        if (est__jobs_size_both(w->v[C_MAXRSS], w->n[C_MAXRSS],
                                r->o.bare_rss_unit ? r->o.bare_rss_unit : 'K', &b, &ga_gb))
            return bad(r, err, C_MAXRSS, w, "a size like 8440K, 12M or 1.5G");
        if (j->max_rss_gb < b / 1e9)
            j->max_rss_gb = b / 1e9;
        if (ga_gb > j->ga_max_rss_gb) /* EST_UNSET never is */
            j->ga_max_rss_gb = ga_gb;
    }
    if (is_step && w->n[C_TOTALCPU] > 0) {
        double s;
        if (est__jobs_duration(w->v[C_TOTALCPU], w->n[C_TOTALCPU], &s))
            return bad(r, err, C_TOTALCPU, w, "a CPU time [D-]HH:MM:SS or MM:SS.mmm");
        r->steps_cpu_s += s;
        if (s > j->ga_total_cpu_s)
            j->ga_total_cpu_s = s;
    }
    for (int c = C_TRESTOT; c <= C_TRESAVE; c++) {
        double pct;
        int k;
        if (r->col_field[c] < 0 || w->n[c] == 0)
            continue;
        if (c == C_TRESTOT) {
            /* MaxRSS is the step's largest single task; the total over its
               tasks is the memory the step used (multi-task steps) */
            double b;
            k = est__jobs_usage_mem(w->v[c], w->n[c], &b);
            if (k < 0)
                return bad(r, err, c, w, "TRES usage like cpu=00:01:00,mem=948K");
            if (k > 0 && j->max_rss_gb < b / 1e9)
                j->max_rss_gb = b / 1e9;
        }
        k = est__jobs_gpuutil(w->v[c], w->n[c], &pct);
        if (k < 0)
            return bad(r, err, c, w, "TRES usage like cpu=00:01:00,gres/gpuutil=85");
        if (k == 0)
            continue;
        /* Ave is per GPU; Tot sums the GPUs: per GPU once the count is known */
        if (c == C_TRESAVE) {
            if (!r->gpuutil_from_ave || pct > r->gpuutil_pct)
                r->gpuutil_pct = pct;
            r->gpuutil_from_ave = 1;
        } else if (!r->gpuutil_from_ave) {
            if (pct > r->gpuutil_pct)
                r->gpuutil_pct = pct;
        }
    }
    if (r->col_field[C_ENERGYRAW] >= 0 && w->n[C_ENERGYRAW] > 0) {
        double e;
        int k = est__jobs_energy(w->v[C_ENERGYRAW], w->n[C_ENERGYRAW], &e);
        if (k < 0)
            return bad(r, err, C_ENERGYRAW, w, "joules (a whole number)");
        if (k > 0) {
            if (!is_step)
                j->energy_j = e;
            else if (r->steps_energy_j < e)
                r->steps_energy_j = e;
        }
    }
    return EST_OK;
}

/* Finishes the current job and hands it on. */
static int flush_job(est_jobs_reader *r, est_jobs_fn on_job, void *user)
{
    est_job *j = &r->cur;
    if (!r->have_cur)
        return 0;
    r->have_cur = 0;
    j->total_cpu_s = r->alloc_cpu_s > 0.0 ? r->alloc_cpu_s : r->steps_cpu_s;
    if (r->ga_req_bad)
        j->ga_req_mem_gb = EST_UNSET;
    if (j->energy_j < 0.0 && r->steps_energy_j >= 0.0)
        j->energy_j = r->steps_energy_j;
    if (r->gpuutil_pct >= 0.0 && j->gpus > 0) {
        double f = r->gpuutil_pct / 100.0;
        if (!r->gpuutil_from_ave)
            f /= (double)j->gpus;
        j->gpu_util_frac = f > 1.0 ? 1.0 : f;
        r->st.has_gpuutil = 1;
    }
    if (j->state == EST_JOBS_STATE_PENDING) {
        r->st.pending++;
        return 0;
    }
    /* Under GreenAlgorithms4HPC's method nothing is "running": it drops a
       job with a RUNNING row (ga_any_row_not_completed 2, left out by the
       accounting) and counts a SUSPENDED one as it is printed, failed. */
    if ((j->state == EST_JOBS_STATE_RUNNING || j->state == EST_JOBS_STATE_SUSPENDED) &&
        r->o.method != EST_JOBS_METHOD_GA4HPC) {
        if (r->o.running == EST_JOBS_RUNNING_SKIP) {
            r->st.running_skipped++;
            return 0;
        }
        j->running = 1;
        j->has_end = 0;
        /* RUNNING: up to now (never less than sacct's Elapsed). SUSPENDED:
           sacct's Elapsed, which stops while a job is suspended (slurmdbd
           takes the time suspended out), so the time it ran, not now */
        if (j->state == EST_JOBS_STATE_RUNNING && r->o.now_unix_s > 0.0 && j->has_start &&
            r->o.now_unix_s - j->start_unix_s > j->elapsed_s)
            j->elapsed_s = r->o.now_unix_s - j->start_unix_s;
        r->st.running++;
    }
    if (!j->has_end && j->has_start) {
        j->end_unix_s = j->start_unix_s + j->elapsed_s;
        j->has_end = 1;
    } else if (j->has_end && !j->has_start) {
        j->start_unix_s = j->end_unix_s - j->elapsed_s;
        j->has_start = 1;
    }
    r->st.jobs++;
    return on_job ? on_job(user, j) : 0;
}

/* One data line. Returns 0, a skipped bad row (0), an error, or on_job's. */
/* The first '|' of s[i..len), or len. Eight bytes at a time where the
   byte order allows (a zero byte of v ^ "||||||||" is a '|'; the lowest
   flagged byte is always a true one), then byte by byte. */
static size_t next_bar(const char *s, size_t i, size_t len)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (i + 8 <= len) {
        uint64_t v, x, t;
        memcpy(&v, s + i, 8);
        x = v ^ 0x7c7c7c7c7c7c7c7cull;
        t = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
        if (t)
            return i + ((size_t)__builtin_ctzll(t) >> 3);
        i += 8;
    }
#endif
    while (i < len && s[i] != '|')
        i++;
    return i;
}

static int data_line(est_jobs_reader *r, char *s, size_t len, est_jobs_fn on_job,
                     void *user, est_error *caller_err)
{
    est_error *err = &r->rowerr;
    row w;
    size_t f = 0, i = 0, id_len, dot;
    int rc;
    memset(w.n, 0, sizeof w.n);
    for (int c = 0; c < C_COUNT; c++)
        w.v[c] = "";
    /* fields are short: a word loop beats a memchr call per field */
    for (;;) {
        size_t end = next_bar(s, i, len);
        if (f < r->ncols) {
            int c = r->colmap[f];
            if (c >= 0) {
                w.v[c] = s + i;
                w.n[c] = end - i;
            }
        }
        f++;
        if (end == len)
            break;
        i = end + 1;
    }
    r->st.rows++;
    if (f != r->ncols) {
        rc = est__fail_at(err, EST_EPARSE, r->name, r->line, 0, NULL,
                          "expected %zu fields as in the header, got %zu", r->ncols, f);
        goto bad_row;
    }
    for (dot = 0; dot < w.n[C_JOBID] && w.v[C_JOBID][dot] != '.'; dot++)
        ;
    id_len = dot;
    if (id_len == 0 || (id_len >= EST_JOB_ID_MAX && !(dot == w.n[C_JOBID] && row_never_ran(&w)))) {
        rc = bad(r, err, C_JOBID, &w, "a job id like 123, 123_4 or 123+0");
        goto bad_row;
    }
    if (dot < w.n[C_JOBID]) { /* a step */
        if (!r->have_cur || id_len != r->cur_id_len ||
            memcmp(r->cur.id, w.v[C_JOBID], id_len) != 0) {
            r->st.orphan_steps++;
            return 0;
        }
        if ((rc = merge_usage(r, &w, 1, err)) != 0)
            goto bad_row;
        r->cur.n_steps++;
        r->st.steps++;
        return 0;
    }
    if ((rc = flush_job(r, on_job, user)) != 0)
        return rc;
    if ((rc = parse_alloc(r, &w, id_len, err)) != 0 || (rc = merge_usage(r, &w, 0, err)) != 0)
        goto bad_row;
    r->have_cur = 1;
    return 0;

bad_row:
    if (rc != EST_EPARSE || !r->o.skip_bad_rows) {
        if (caller_err)
            *caller_err = *err;
        return rc;
    }
    r->st.bad_rows++;
    if (!r->st.first_bad_row[0])
        est__strlcpy(r->st.first_bad_row, err->message, sizeof r->st.first_bad_row);
    return 0;
}

static int one_line(est_jobs_reader *r, char *s, size_t len, est_jobs_fn on_job,
                    void *user, est_error *err)
{
    r->line++;
    if (len > 0 && s[len - 1] == '\r')
        len--;
    if (!r->have_header) {
        if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF) {
            s += 3;
            len -= 3;
        }
        return parse_header(r, s, len, err);
    }
    if (len == 0)
        return 0;
    return data_line(r, s, len, on_job, user, err);
}

static void begin_file(est_jobs_reader *r, const char *name)
{
    r->name = name ? name : "-";
    r->line = 0;
    r->have_header = 0;
    r->have_cur = 0;
}

static int end_file(est_jobs_reader *r, est_jobs_fn on_job, void *user, est_error *err)
{
    if (!r->have_header)
        return est__fail_at(err, EST_ENODATA, r->name, 0, 0, NULL,
                            "no header line: the input is empty");
    return flush_job(r, on_job, user);
}

/* Every complete line of buf[0..len); returns bytes consumed. */
static int lines(est_jobs_reader *r, char *buf, size_t len, size_t *used,
                 est_jobs_fn on_job, void *user, est_error *err)
{
    size_t i = 0;
    while (i < len) {
        char *nl = memchr(buf + i, '\n', len - i);
        int rc;
        if (!nl)
            break;
        if ((rc = one_line(r, buf + i, (size_t)(nl - (buf + i)), on_job, user, err)) != 0) {
            *used = i;
            return rc;
        }
        i = (size_t)(nl - buf) + 1;
    }
    *used = i;
    return 0;
}

int est_jobs_read_buffer(est_jobs_reader *r, const char *data, size_t len,
                         const char *name, est_jobs_fn on_job, void *user,
                         est_error *err)
{
    char *copy;
    size_t used;
    int rc;
    if (!r || (!data && len))
        return est__fail(err, EST_EINVAL, "no reader or data given");
    begin_file(r, name);
    copy = malloc(len + 1);
    if (!copy)
        return est__fail(err, EST_ENOMEM, "out of memory");
    if (len)
        memcpy(copy, data, len);
    rc = lines(r, copy, len, &used, on_job, user, err);
    if (!rc && used < len)
        rc = one_line(r, copy + used, len - used, on_job, user, err);
    free(copy);
    if (rc)
        return rc;
    return end_file(r, on_job, user, err);
}

static int read_fd_direct(est_jobs_reader *r, int fd, const char *name,
                          est_jobs_fn on_job, void *user, est_error *err)
{
    char *buf;
    size_t cap = CHUNK_BYTES * 2, have = 0, used;
    int rc = 0;
    if (!r || fd < 0)
        return est__fail(err, EST_EINVAL, "no reader or file given");
    begin_file(r, name);
    buf = malloc(cap);
    if (!buf)
        return est__fail(err, EST_ENOMEM, "out of memory");
    for (;;) {
        ssize_t n;
        if (cap - have < CHUNK_BYTES) {
            if (have >= LINE_MAX_BYTES) {
                rc = est__fail_at(err, EST_EPARSE, r->name, r->line + 1, 0, NULL,
                                  "a line longer than %u bytes", LINE_MAX_BYTES);
                break;
            }
        }
        n = read(fd, buf + have, cap - have);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = est__fail(err, EST_EIO, "%s: cannot read: %s", r->name,
                           EST__STRERROR(errno));
            break;
        }
        if (n == 0) {
            if (have > 0)
                rc = one_line(r, buf, have, on_job, user, err);
            if (!rc)
                rc = end_file(r, on_job, user, err);
            break;
        }
        have += (size_t)n;
        if ((rc = lines(r, buf, have, &used, on_job, user, err)) != 0)
            break;
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    free(buf);
    return rc;
}

/* ---------------------------------------------------------- two threads
 * est_jobs_read_fd reads and parses on a thread of its own and hands the
 * jobs, in batches and in order, to on_job on the caller's thread: the
 * caller's accounting overlaps the parsing. */

#define BATCH_JOBS 2048
#define BATCHES 4

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    est_job *jobs[BATCHES];
    size_t n[BATCHES];
    size_t head, count;  /* published batches: head .. head + count */
    size_t fill;         /* the batch the parser fills */
    int done, stop, rc;
    est_error err;
    est_jobs_reader *r;
    int fd;
    const char *name;
} pipeline;

/* on_job of the parsing thread: append to the batch, publish when full. */
static int push_job(void *user, const est_job *job)
{
    pipeline *p = user;
    size_t f = p->fill;
    p->jobs[f][p->n[f]++] = *job;
    if (p->n[f] < BATCH_JOBS)
        return 0;
    pthread_mutex_lock(&p->mu);
    p->count++;
    pthread_cond_broadcast(&p->cv);
    while (p->count == BATCHES && !p->stop)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->stop) {
        pthread_mutex_unlock(&p->mu);
        return EST_ENODATA; /* the consumer stopped; its code wins */
    }
    p->fill = (p->head + p->count) % BATCHES;
    p->n[p->fill] = 0;
    pthread_mutex_unlock(&p->mu);
    return 0;
}

static void *parser_main(void *arg)
{
    pipeline *p = arg;
    int rc = read_fd_direct(p->r, p->fd, p->name, push_job, p, &p->err);
    pthread_mutex_lock(&p->mu);
    if (p->n[p->fill] > 0 && !p->stop)
        p->count++; /* the last, partial batch */
    p->rc = rc;
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int est_jobs_read_fd(est_jobs_reader *r, int fd, const char *name,
                     est_jobs_fn on_job, void *user, est_error *err)
{
    pipeline p;
    pthread_t th;
    sigset_t all, caller_mask;
    int created, masked, rc = 0, i;
    if (!r || fd < 0)
        return est__fail(err, EST_EINVAL, "no reader or file given");
    memset(&p, 0, sizeof p);
    for (i = 0; i < BATCHES; i++) {
        p.jobs[i] = malloc(BATCH_JOBS * sizeof(est_job));
        if (!p.jobs[i]) {
            while (i-- > 0)
                free(p.jobs[i]);
            return read_fd_direct(r, fd, name, on_job, user, err);
        }
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    p.r = r;
    p.fd = fd;
    p.name = name;
    /* the parsing thread takes no signal: they stay the caller's */
    sigfillset(&all);
    masked = pthread_sigmask(SIG_SETMASK, &all, &caller_mask) == 0;
    created = pthread_create(&th, NULL, parser_main, &p) == 0;
    if (masked)
        pthread_sigmask(SIG_SETMASK, &caller_mask, NULL);
    if (!created) {
        rc = read_fd_direct(r, fd, name, on_job, user, err);
        goto out;
    }
    pthread_mutex_lock(&p.mu);
    for (;;) {
        size_t b, k, n;
        while (p.count == 0 && !p.done)
            pthread_cond_wait(&p.cv, &p.mu);
        if (p.count == 0)
            break;
        b = p.head;
        n = p.n[b];
        pthread_mutex_unlock(&p.mu);
        for (k = 0; k < n && !rc; k++)
            if (on_job)
                rc = on_job(user, &p.jobs[b][k]);
        pthread_mutex_lock(&p.mu);
        p.head = (p.head + 1) % BATCHES;
        p.count--;
        if (rc) {
            p.stop = 1;
            pthread_cond_broadcast(&p.cv);
            break;
        }
        pthread_cond_broadcast(&p.cv);
    }
    pthread_mutex_unlock(&p.mu);
    pthread_join(th, NULL);
    if (!rc && p.rc) {
        rc = p.rc;
        if (err)
            *err = p.err;
    }
out:
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    for (i = 0; i < BATCHES; i++)
        free(p.jobs[i]);
    return rc;
}
