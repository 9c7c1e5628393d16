/* ecoest --samples: sample logs in, model inputs and the "samples" report
 * section out. A thin layer over libestimate's samples.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "samples_mode.h"
#include "tz.h"

const char cli_samples_usage[] =
    "Sample logs (instead of a runtime; see docs/samples.md):\n"
    "  --samples [HOST=]FILE    a sample log: ecoest's own, nvidia-smi, amd-smi,\n"
    "                           rocm-smi or any CSV with --columns; '-' is stdin;\n"
    "                           repeat for several logs of one job (aligned on time);\n"
    "                           HOST= names the node that logged it: each node's\n"
    "                           GPUs are its own, nodes' logs may overlap in time,\n"
    "                           and the report gives each node and the total\n"
    "  --samples-format F       auto|ecoest|nvidia-smi|amd-smi|rocm-smi|csv (default\n"
    "                           auto: from the header), for the --samples before it\n"
    "                           (or, if none, the next)\n"
    "  --columns SPEC           for the --samples before it (or, if none, the next):\n"
    "                           key=column,... (keys time, cpu_pct, cpu_frac,\n"
    "                           cpu_cores, cpu_cores_pct, ram_gb, cpu_w, node_w,\n"
    "                           gpu_w, gpuN_w, gpu_pct, gpuN_pct, gpu_frac,\n"
    "                           gpuN_frac, gpu_index, gpu_name) or, for\n"
    "                           a file without header, its column names\n"
    "  --tz ZONE                zone of zone-less times: +01:00, UTC, Europe/Paris\n"
    "  --interval S             seconds between rows of a log without time (rocm-smi)\n"
    "  --start TIME, --end TIME job window (ISO 8601 or Unix seconds); edges are\n"
    "                           interpolated\n"
    "  --idle-until TIME        GPU idle power = mean power before TIME; the job\n"
    "                           starts there\n"
    "  --max-gap S              longest step bridged (default 3 x the median step)\n"
    "  --fill none|hold|idle    what fills a gap (default none: uncovered time)\n"
    "  --skip-bad-rows          skip malformed rows and count them (default: stop)\n"
    "  --write-samples OUT      convert the logs to ecoest's format in OUT ('-':\n"
    "                           stdout) instead of estimating\n";

struct cli_samples_run {
    est_samples_set *set;
    est_samples *s; /* the set's total */
    int idle_until_measures; /* --idle-until without --gpu-idle */
    cli_samples_report rep;
    char tz_name[128];
    char label[48]; /* "2 sample logs" */
};

/* ---- options ---- */

static int seconds_arg(const char *opt, const char *arg, double *out)
{
    double v;
    if (est_parse_double_str(&v, arg) != EST_OK && est_parse_duration(&v, arg) != EST_OK) {
        cli_msg("%s: expected seconds (30) or a duration (30s, 5m), got \"%s\"", opt, arg);
        return -1;
    }
    if (!(v > 0.0) || !isfinite(v)) {
        cli_msg("%s: must be more than 0 seconds, got \"%s\"", opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

/* --samples HOST=FILE: an existing file (or "-") is a file, whatever its
   name; else text before the first '=' is the host (kept for the process's
   life). Returns 0 or -1 (message printed). */
static int split_host(const char *arg, const char **host, const char **path)
{
    const char *eq = strchr(arg, '=');
    char *h;
    *host = NULL;
    *path = arg;
    if (!eq || strcmp(arg, "-") == 0 || access(arg, F_OK) == 0)
        return 0;
    if (eq == arg || !eq[1]) {
        cli_msg("--samples: expected FILE or HOST=FILE, got \"%s\"", arg);
        return -1;
    }
    h = malloc((size_t)(eq - arg) + 1);
    if (!h) {
        cli_msg("out of memory");
        return -1;
    }
    memcpy(h, arg, (size_t)(eq - arg));
    h[eq - arg] = '\0';
    *host = h;
    *path = eq + 1;
    return 0;
}

int cli_samples_option(cli_samples_opts *so, int opt, const char *a)
{
    switch (opt) {
    case CLI_OPT_SAMPLES:
        if (so->n_files == so->cap_files) {
            size_t cap = so->cap_files ? 2 * so->cap_files : 8;
            cli_samples_file *nf = realloc(so->files, cap * sizeof *nf);
            if (!nf) {
                cli_msg("out of memory");
                return -1;
            }
            so->files = nf;
            so->cap_files = cap;
        }
        if (split_host(a, &so->files[so->n_files].host, &a))
            return -1;
        so->files[so->n_files].path = a;
        so->files[so->n_files].columns = so->pending_columns;
        so->files[so->n_files].format = so->have_pending_format ? so->pending_format
                                                                : EST_SAMPLES_FORMAT_AUTO;
        so->files[so->n_files].have_format = so->have_pending_format;
        so->pending_columns = NULL;
        so->have_pending_format = 0;
        so->n_files++;
        return 0;
    case CLI_OPT_SAMPLES_FORMAT: {
        est_samples_format f;
        cli_samples_file *last = so->n_files ? &so->files[so->n_files - 1] : NULL;
        if (est_samples_format_parse(&f, a)) {
            cli_msg("--samples-format: expected auto, ecoest, nvidia-smi, amd-smi, rocm-smi "
                    "or csv, got \"%s\"", a);
            return -1;
        }
        /* the --samples before it, unless it has one: then the next */
        if (last && !last->have_format && !so->have_pending_format) {
            last->format = f;
            last->have_format = 1;
        } else if (so->have_pending_format) {
            cli_msg("--samples-format given twice for one --samples");
            return -1;
        } else {
            so->pending_format = f;
            so->have_pending_format = 1;
        }
        return 0;
    }
    case CLI_OPT_COLUMNS: {
        cli_samples_file *last = so->n_files ? &so->files[so->n_files - 1] : NULL;
        if (last && !last->columns && !so->pending_columns) {
            last->columns = a;
        } else if (so->pending_columns) {
            cli_msg("--columns given twice for one --samples");
            return -1;
        } else {
            so->pending_columns = a;
        }
        return 0;
    }
    case CLI_OPT_TZ: so->tz = a; return 0;
    case CLI_OPT_INTERVAL:
        so->have_interval = 1;
        return seconds_arg("--interval", a, &so->interval_s);
    case CLI_OPT_START: so->start = a; return 0;
    case CLI_OPT_END: so->end = a; return 0;
    case CLI_OPT_IDLE_UNTIL: so->idle_until = a; return 0;
    case CLI_OPT_MAX_GAP:
        so->have_max_gap = 1;
        return seconds_arg("--max-gap", a, &so->max_gap_s);
    case CLI_OPT_FILL:
        if (est_samples_fill_parse(&so->fill, a)) {
            cli_msg("--fill: expected none, hold or idle, got \"%s\"", a);
            return -1;
        }
        so->have_fill = 1;
        return 0;
    case CLI_OPT_SKIP_BAD_ROWS: so->skip_bad_rows = 1; return 0;
    case CLI_OPT_WRITE_SAMPLES: so->write_path = a; return 0;
    default: return 1;
    }
}

int cli_samples_finish_args(cli_samples_opts *so)
{
    int stray = so->pending_columns || so->have_pending_format;
    if (!so->n_files) {
        if (stray || so->tz || so->have_interval || so->idle_until || so->have_max_gap ||
            so->have_fill || so->skip_bad_rows || so->write_path) {
            cli_msg("%s needs --samples FILE",
                    so->pending_columns ? "--columns" : so->have_pending_format ?
                    "--samples-format" : so->tz ? "--tz" : so->have_interval ? "--interval" :
                    so->idle_until ? "--idle-until" : so->have_max_gap ? "--max-gap" :
                    so->have_fill ? "--fill" : so->skip_bad_rows ? "--skip-bad-rows" :
                    "--write-samples");
            return -1;
        }
        return 0;
    }
    if (stray) {
        cli_msg("%s applies to the --samples before it, which has its own, and no "
                "--samples follows", so->pending_columns ? "--columns" : "--samples-format");
        return -1;
    }
    {
        /* hosts named for all logs or for none */
        size_t i, named = 0;
        for (i = 0; i < so->n_files; i++)
            named += so->files[i].host != NULL;
        if (named && named < so->n_files) {
            for (i = 0; so->files[i].host; i++)
                ;
            cli_msg("--samples %s names no host while another --samples does: give "
                    "HOST=FILE for every log, or for none", so->files[i].path);
            return -1;
        }
    }
    return 0;
}

/* An instant for --start, --end, --idle-until: ISO 8601 or Unix seconds;
   zone-less with --tz. */
/* ---- progress ---- */

typedef struct progress_ctx {
    const char *name;
    unsigned long long total;
    int shown;
} progress_ctx;

static void show_progress(void *user, unsigned long long done)
{
    progress_ctx *p = user;
    if (p->total)
        fprintf(stderr, "\recoest: reading %s: %3.0f%%", p->name,
                100.0 * (double)done / (double)p->total);
    else
        fprintf(stderr, "\recoest: reading %s: %llu MB", p->name, done >> 20);
    fflush(stderr);
    p->shown = 1;
}

/* ---- reading ---- */

static int read_options(const cli_samples_opts *so, est_samples_read_options *ro)
{
    est_samples_read_options d = EST_SAMPLES_READ_OPTIONS_INIT;
    *ro = d;
    if (cli_tz_setup(so->tz, ro))
        return -1;
    ro->interval_s = so->have_interval ? so->interval_s : 0.0;
    ro->skip_bad_rows = so->skip_bad_rows;
    return 0;
}

static int read_one(est_samples *s, const est_samples_input *f, est_samples_read_options *ro,
                    est_samples_format *fmt_out, unsigned *by_position, int *timeless)
{
    est_samples_reader *r = NULL;
    est_error e;
    progress_ctx pc;
    struct stat st;
    int fd, rc;
    const char *name = strcmp(f->path, "-") == 0 ? "<stdin>" : f->path;

    est_error_clear(&e);
    if (strcmp(f->path, "-") == 0)
        fd = 0;
    else {
        fd = open(f->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            cli_msg("%s: %s", f->path, strerror(errno));
            return errno == ENOENT ? CLI_EX_NOINPUT : CLI_EX_IOERR;
        }
    }
    memset(&pc, 0, sizeof pc);
    pc.name = name;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        pc.total = (unsigned long long)st.st_size;
    ro->columns = f->columns;
    ro->format = f->format;
    if (isatty(2)) {
        ro->progress = show_progress;
        ro->progress_user = &pc;
    }
    /* the library reads the file itself: a large regular file is parsed
       by two threads in blocks (est_samples_reader_read_fd) */
    rc = est_samples_reader_open(&r, s, name, ro, &e);
    if (rc == 0)
        rc = est_samples_reader_read_fd(r, fd, 0, &e);
    if (pc.shown)
        fputs("\r\033[K", stderr);
    *fmt_out = est_samples_reader_format(r);
    if (by_position)
        *by_position = est_samples_reader_gpus_by_position(r);
    if (timeless)
        *timeless = est_samples_reader_timeless(r);
    est_samples_reader_free(r);
    if (fd != 0)
        close(fd);
    if (rc) {
        cli_msg("%s", rc == EST_ENOMEM ? "out of memory" : e.message);
        return cli_exit_for(rc);
    }
    return 0;
}

static void warn_read_stats(const est_samples_read_stats *st)
{
    char kinds[400] = "", lines[300] = "";
    size_t i, o = 0, l = 0;
    if (st->unterminated_inputs)
        cli_warn("%s: the last line has no newline: the log may have been cut while it was "
                 "written, and that row's last value cut short (check it, or drop the line)%s",
                 st->unterminated_file, st->unterminated_inputs > 1 ? " (and other logs)" : "");
    if (!st->skipped_rows)
        return;
    for (i = 0; i < EST_SAMPLES_BAD_ROW_KINDS; i++)
        if (st->skipped_by_kind[i])
            o += (size_t)snprintf(kinds + o, sizeof kinds - o, "%s%lu %s", o ? ", " : "",
                                  st->skipped_by_kind[i],
                                  est_samples_bad_row_kind_name((est_samples_bad_row_kind)i));
    for (i = 0; i < st->n_first && l < sizeof lines; i++)
        l += (size_t)snprintf(lines + l, sizeof lines - l, "%s%s:%lu", i ? ", " : "",
                              st->first_file[i], st->first_line[i]);
    cli_warn("skipped %lu bad row%s of %lu (%s); first at %s%s", st->skipped_rows,
             st->skipped_rows == 1 ? "" : "s", st->rows, kinds, lines,
             st->skipped_rows > st->n_first ? ", ..." : "");
    cli_warn("first bad row: %s", st->first_message);
}

/* ---- file order ---- */

/* The files as inputs, in the order to read them (the library groups them
   by host and orders each host's by time: rotated logs). NULL when out of
   memory (message printed). */
static est_samples_input *ordered_inputs(const cli_samples_opts *so,
                                         const est_samples_read_options *ro)
{
    est_samples_input *in = calloc(so->n_files ? so->n_files : 1, sizeof *in);
    size_t i;
    if (!in) {
        cli_msg("out of memory");
        return NULL;
    }
    for (i = 0; i < so->n_files; i++) {
        in[i].host = so->files[i].host;
        in[i].path = so->files[i].path;
        in[i].columns = so->files[i].columns;
        in[i].format = so->files[i].format;
        in[i].user_index = i;
    }
    if (est_samples_inputs_order(in, so->n_files, ro) != EST_OK) {
        cli_msg("out of memory");
        free(in);
        return NULL;
    }
    return in;
}

static const char *shown_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* The integrator options and the read options from the command line.
   Returns 0 or an exit status (message printed). */
static int integrator_options(const cli_samples_opts *so, double gpu_idle_w,
                              est_samples_options *o, est_samples_read_options *ro)
{
    size_t i;
    int stdin_seen = 0;
    if (read_options(so, ro))
        return CLI_EX_USAGE;
    if (so->start) {
        if (cli_time_arg("--start", so->start, ro, &o->start_unix_s))
            return CLI_EX_USAGE;
        o->has_start = 1;
        ro->origin_unix_s = o->start_unix_s; /* tick 0 of a log without times */
    }
    if (so->end) {
        if (cli_time_arg("--end", so->end, ro, &o->end_unix_s))
            return CLI_EX_USAGE;
        o->has_end = 1;
    }
    if (so->idle_until) {
        if (cli_time_arg("--idle-until", so->idle_until, ro, &o->idle_until_unix_s))
            return CLI_EX_USAGE;
        o->has_idle_until = 1;
    }
    if (o->has_start && o->has_end && !(o->end_unix_s > o->start_unix_s)) {
        cli_msg("--end must be after --start");
        return CLI_EX_USAGE;
    }
    o->max_gap_s = so->have_max_gap ? so->max_gap_s : 0.0;
    /* energy bins for an energy-weighted carbon intensity (the library's) */
    o->bin_s = so->want_bins ? EST_SAMPLES_CARBON_BIN_S : 0.0;
    o->fill = so->fill;
    o->gpu_idle_w = gpu_idle_w;
    for (i = 0; i < so->n_files; i++)
        if (strcmp(so->files[i].path, "-") == 0 && stdin_seen++) {
            cli_msg("--samples -: standard input can be read only once");
            return CLI_EX_USAGE;
        }
    return 0;
}

/* The report's per-file arrays, for n files. Returns 0 or -1. */
static int report_arrays(cli_samples_report *rep, size_t n)
{
    size_t k = n ? n : 1;
    rep->files = calloc(k, sizeof *rep->files);
    rep->formats = calloc(k, sizeof *rep->formats);
    rep->gpus_by_position = calloc(k, sizeof *rep->gpus_by_position);
    rep->file_host = calloc(k, sizeof *rep->file_host);
    return rep->files && rep->formats && rep->gpus_by_position && rep->file_host ? 0 : -1;
}

/* Reads every file into its host's integrator, in order. Returns 0 or an
   exit status (message printed). */
static int read_all(cli_samples_run *run, const cli_samples_opts *so,
                    const est_samples_input *in, est_samples_read_options *ro)
{
    const char *first_timeless = NULL, *first_timed = NULL;
    size_t i;
    int rc, timeless = 0;
    for (i = 0; i < so->n_files; i++) {
        est_samples *hs;
        est_error e;
        size_t h;
        if (est_samples_set_host(&hs, run->set, in[i].host, &e) != EST_OK) {
            cli_msg("--samples %s=%s: %s", in[i].host, in[i].path, e.message);
            return CLI_EX_USAGE;
        }
        for (h = 0; est_samples_set_host_at(run->set, h) != hs; h++)
            ;
        rc = read_one(hs, &in[i], ro, &run->rep.formats[i], &run->rep.gpus_by_position[i],
                      &timeless);
        if (rc)
            return rc;
        if (timeless && !first_timeless)
            first_timeless = in[i].path;
        else if (!timeless && !first_timed)
            first_timed = in[i].path;
        /* --start gives the origin of the logs without times */
        if (est_samples_check_time_bases(first_timeless != NULL, first_timed != NULL,
                                         so->start != NULL)) {
            /* tick 0 would be the Unix epoch, decades before the other log */
            cli_msg("%s has no times (tick k is at --start + k x --interval) and %s has: "
                    "give --start, the time of its first tick, to align them",
                    first_timeless, first_timed);
            return CLI_EX_USAGE;
        }
        if (run->rep.gpus_by_position[i])
            cli_warn("%s: no index column: %u GPUs per tick, numbered 0..%u by their "
                     "position in each tick (add index to --query-gpu to be sure)",
                     shown_name(in[i].path), run->rep.gpus_by_position[i],
                     run->rep.gpus_by_position[i] - 1);
        snprintf(run->rep.files[i], sizeof run->rep.files[i], "%s", shown_name(in[i].path));
        run->rep.file_host[i] = h;
        run->rep.n_files++;
    }
    return 0;
}

/* Nothing to integrate: name the files, and say why (issue 14 #22). */
static void explain_no_data(const cli_samples_run *run, int rc, const est_error *e)
{
    char names[600];
    size_t used = 0, i;
    const est_samples_read_stats *st = &run->rep.stats;
    names[0] = '\0';
    for (i = 0; i < run->rep.n_files && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 run->rep.files[i]);
    cli_msg("%s: %s%s", names, e->message, st->skipped_rows ? " (after skipping bad rows)" : "");
    if (rc == EST_ENODATA && st->rows == 0)
        cli_msg("the log%s %s no data row after %s header", run->rep.n_files > 1 ? "s" : "",
                run->rep.n_files > 1 ? "hold" : "holds", st->headers ? "the" : "a");
    else if (rc == EST_ENODATA && st->rows == 1)
        cli_msg("one data row: a rate needs two rows at different times");
    else if (rc == EST_ENODATA && strstr(e->message, "single sample time"))
        cli_msg("all %lu rows share one time", st->rows);
    else if (rc == EST_ENODATA)
        cli_msg("%lu rows read, but no column matched a quantity of the %s format with a "
                "value (check --columns, or --samples-format)", st->rows,
                est_samples_format_name(run->rep.formats[0]));
    for (i = 0; rc == EST_ENODATA && i < run->rep.n_files; i++)
        if (run->rep.formats[i] == EST_SAMPLES_FORMAT_ROCM_SMI) {
            cli_msg("rocm-smi prints one reading per call: log it in a loop, e.g. "
                    "while sleep 1; do rocm-smi --showpower --csv; done >> log.csv "
                    "(and give --interval 1)");
            break;
        }
}

/* Each host's own integration, for the report. */
static void host_results(cli_samples_run *run)
{
    size_t h;
    for (h = 0; h < run->rep.n_hosts; h++) {
        cli_samples_host *ho = &run->rep.hosts[h];
        est_samples_result_dispose(&ho->res);
        est_samples_compute(&ho->res, est_samples_set_host_at(run->set, h), NULL);
        ho->gpu_first = est_samples_set_host_gpu_first(run->set, h);
        ho->n_files = est_samples_set_host_inputs(run->set, h);
    }
}

/* Each host's files must share time unless --start/--end say which window
   is the job's (the library's rule). Returns 0 or an exit status (message
   printed). */
static int check_hosts_overlap(const cli_samples_run *run)
{
    est_error e;
    if (est_samples_set_check_overlap(run->set, &e) != EST_OK) {
        cli_msg("%s; give --start and --end to say which window is the job's", e.message);
        return cli_exit_for(e.code);
    }
    return 0;
}

int cli_samples_read(const cli_samples_opts *so, double gpu_idle_w, cli_samples_run **runp)
{
    cli_samples_run *run;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_read_options ro;
    est_samples_input *in = NULL;
    est_error e;
    size_t h;
    int rc;

    *runp = NULL;
    if ((rc = integrator_options(so, gpu_idle_w, &o, &ro)) != 0)
        return rc;
    run = calloc(1, sizeof *run);
    if (!run || report_arrays(&run->rep, so->n_files) || !(in = ordered_inputs(so, &ro))) {
        cli_msg("out of memory");
        cli_samples_run_free(run);
        return CLI_EX_SOFTWARE;
    }
    rc = est_samples_set_open(&run->set, &o, &e);
    if (rc) {
        cli_msg("%s", e.message);
        free(in);
        cli_samples_run_free(run);
        return cli_exit_for(rc);
    }
    run->rep.fill = so->fill;
    run->idle_until_measures = o.has_idle_until && gpu_idle_w == EST_UNSET;
    rc = read_all(run, so, in, &ro);
    free(in);
    if (rc) {
        cli_samples_run_free(run);
        return rc;
    }
    run->s = est_samples_set_total(run->set);
    run->rep.n_hosts = est_samples_set_host_count(run->set);
    run->rep.hosts = calloc(run->rep.n_hosts ? run->rep.n_hosts : 1, sizeof *run->rep.hosts);
    if (!run->rep.hosts) {
        cli_msg("out of memory");
        cli_samples_run_free(run);
        return CLI_EX_SOFTWARE;
    }
    for (h = 0; h < run->rep.n_hosts; h++)
        snprintf(run->rep.hosts[h].name, sizeof run->rep.hosts[h].name, "%s",
                 est_samples_set_host_name(run->set, h));
    est_samples_finish(run->s, NULL);
    est_samples_stats(&run->rep.stats, run->s);
    rc = est_samples_compute(&run->rep.res, run->s, &e);
    if (rc) {
        explain_no_data(run, rc, &e);
        warn_read_stats(&run->rep.stats);
        cli_samples_run_free(run);
        return cli_exit_for(rc);
    }
    warn_read_stats(&run->rep.stats);
    host_results(run);
    if ((rc = check_hosts_overlap(run)) != 0) {
        cli_samples_run_free(run);
        return rc;
    }
    *runp = run;
    return 0;
}

void cli_samples_run_free(cli_samples_run *run)
{
    size_t h;
    if (!run)
        return;
    est_samples_result_dispose(&run->rep.res);
    for (h = 0; run->rep.hosts && h < run->rep.n_hosts; h++)
        est_samples_result_dispose(&run->rep.hosts[h].res);
    est_samples_set_free(run->set);
    free(run->rep.files);
    free(run->rep.formats);
    free(run->rep.gpus_by_position);
    free(run->rep.file_host);
    free(run->rep.hosts);
    free(run);
}

est_samples *cli_samples_handle(cli_samples_run *run) { return run->s; }

const char *cli_samples_label(cli_samples_run *run)
{
    if (run->rep.n_hosts > 1)
        snprintf(run->label, sizeof run->label, "%zu sample logs of %zu hosts",
                 run->rep.n_files, run->rep.n_hosts);
    else
        snprintf(run->label, sizeof run->label, "%zu sample log%s", run->rep.n_files,
                 run->rep.n_files == 1 ? "" : "s");
    return run->label;
}

const cli_samples_report *cli_samples_report_of(cli_samples_run *run) { return &run->rep; }

static size_t append(char *buf, size_t size, size_t o, const char *fmt, ...)
    CLI_PRINTF(4, 5);

static size_t append(char *buf, size_t size, size_t o, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (o >= size)
        return o;
    va_start(ap, fmt);
    n = vsnprintf(buf + o, size - o, fmt, ap);
    va_end(ap);
    return n < 0 ? o : o + (size_t)n;
}

void cli_samples_after_model(cli_samples_run *run, const est_estimate *est, cli_report *r)
{
    const est_model_inputs *u = &r->used;
    est_model_ga_inputs ga;
    int from_log;
    char *q = run->rep.equivalent;
    size_t n = sizeof run->rep.equivalent, o = 0, i;

    /* the integration as the pipeline left it (the GPUs' idle from db) */
    est_samples_result_dispose(&run->rep.res);
    est_samples_compute(&run->rep.res, run->s, NULL);
    host_results(run);
    if (run->idle_until_measures)
        for (i = 0; i < run->rep.res.n_gpus; i++) {
            const est_samples_gpu *g = est_samples_result_gpu(&run->rep.res, i);
            if (g->power_w.present && g->idle_source != EST_SAMPLES_IDLE_MEASURED)
                cli_warn("GPU %u: no power samples before --idle-until: its idle power is "
                         "%s", g->index, g->idle_source == EST_SAMPLES_IDLE_SET
                         ? "the hardware database's" : "unknown (0 W assumed)");
        }
    /* the calculator's inputs equivalent to the estimate (the library's) */
    ga.version = EST_MODEL_GA_INPUTS_VERSION;
    est_estimate_ga_inputs(&ga, est);
    from_log = ga.core_usage_origin == EST_ESTIMATE_ORIGIN_LOG;
    run->rep.cpu_usage_model_frac = from_log ? ga.core_usage_frac : -1.0;
    run->rep.cpu_from_usage_w = from_log ? ga.cpu_usage_power_w : -1.0;
    run->rep.cpu_measured = ga.cpu_measured_w != EST_UNSET;
    if (r->cpu.present) {
        if (r->cpu.has_model) {
            o = append(q, n, o, "--cpu \"%s\" --cores %u ", r->cpu.model, ga.cores);
        } else {
            o = append(q, n, o, "--cpu-tdp-per-core %.4g ", u->cpu_tdp_per_core_w);
            o = append(q, n, o, "--cores %u ", ga.cores);
        }
        if (from_log)
            o = append(q, n, o, "--cpu-usage %.4g ", ga.core_usage_frac);
    }
    if (ga.gpus > 0 && ga.gpu_power_w != EST_UNSET) {
        if (r->gpu.has_model)
            o = append(q, n, o, "--gpu \"%s\" ", r->gpu.model);
        o = append(q, n, o, "--gpus %u ", ga.gpus);
        o = append(q, n, o, "--gpu-power %.4g ", ga.gpu_power_w);
        if (r->gpu.idle_known)
            o = append(q, n, o, "--gpu-idle %.4g ", u->gpu_idle_w);
    }
    if (ga.memory_gb > 0.0)
        o = append(q, n, o, "--memory %.4g ", ga.memory_gb);
    o = append(q, n, o, "--hours %.6g", ga.runtime_h);
    if (run->rep.cpu_measured)
        o = append(q, n, o, " (the CPU's measured %.4g W has no manual option: the "
                   "usage route gives %.4g W)", ga.cpu_measured_w,
                   from_log ? ga.cpu_usage_power_w : 0.0);
    if (ga.gpu_power_w != EST_UNSET && ga.gpu_usage_frac != EST_UNSET)
        o = append(q, n, o, " (Green Algorithms website: GPU usage %.3g of its TDP)",
                   ga.gpu_usage_frac);
    (void)o;
}

/* ---- conversion ---- */

static int write_out(void *user, const char *data, size_t len)
{
    FILE *f = user;
    return fwrite(data, 1, len, f) == len ? 0 : -1;
}

/* The logs read again, in the order of the first pass, each checked row to
   fn (nothing integrated: each host's integrator only orders its rows).
   has_origin: origin_unix_s for logs without times (as pass 1).
   skip_stdin: standard input skipped. Returns 0 or an exit status. */
static int reread(const cli_samples_opts *so, int has_origin, double origin, est_samples_row_fn fn,
                  void *user, int skip_stdin)
{
    est_samples_read_options ro;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_set *set = NULL;
    est_samples_input *in = NULL;
    size_t i;
    int rc = 0;
    o.max_gap_s = 1.0; /* no warm-up needed: nothing is integrated here */
    if (read_options(so, &ro) || est_samples_set_open(&set, &o, NULL))
        return CLI_EX_SOFTWARE;
    if (has_origin)
        ro.origin_unix_s = origin;
    if (!(in = ordered_inputs(so, &ro))) {
        est_samples_set_free(set);
        return CLI_EX_SOFTWARE;
    }
    ro.on_row = fn;
    ro.row_user = user;
    for (i = 0; i < so->n_files && !rc; i++) {
        est_samples_format f;
        est_samples *hs;
        if (skip_stdin && strcmp(in[i].path, "-") == 0)
            continue;
        if (est_samples_set_host(&hs, set, in[i].host, NULL) != EST_OK)
            rc = CLI_EX_SOFTWARE;
        else
            rc = read_one(hs, &in[i], &ro, &f, NULL, NULL);
    }
    free(in);
    est_samples_set_free(set);
    return rc;
}

/* 1 when path (an existing file) is the same file as one of the inputs
   (same st_dev and st_ino: a hard link or symlink counts), with its name. */
static const char *output_is_input(const cli_samples_opts *so, const char *path)
{
    struct stat out, in;
    size_t i;
    if (stat(path, &out) != 0)
        return NULL;
    for (i = 0; i < so->n_files; i++) {
        int ok = strcmp(so->files[i].path, "-") == 0 ? fstat(0, &in) == 0
                                                      : stat(so->files[i].path, &in) == 0;
        if (ok && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
            return so->files[i].path;
    }
    return NULL;
}

/* Copies stdin to a temporary file so that it can be read twice. */
static int spool_stdin(FILE **tmp)
{
    char buf[65536];
    size_t got;
    *tmp = tmpfile();
    if (!*tmp)
        return -1;
    while ((got = fread(buf, 1, sizeof buf, stdin)) > 0)
        if (fwrite(buf, 1, got, *tmp) != got)
            return -1;
    if (ferror(stdin) || fflush(*tmp) || fseek(*tmp, 0, SEEK_SET))
        return -1;
    return 0;
}

int cli_samples_convert(const cli_samples_opts *so0)
{
    cli_samples_opts so = *so0;
    cli_samples_run *run = NULL;
    est_samples_converter *cv = NULL;
    est_samples_convert_options co = EST_SAMPLES_CONVERT_OPTIONS_INIT;
    est_error e;
    double start = 0.0;
    size_t i;
    FILE *spool = NULL, *out = NULL;
    cli_samples_file *files = NULL;
    est_fs_atomic *af = NULL;
    char spool_path[64];
    int rc;

    for (i = 0; i < so.n_files; i++)
        if (so.files[i].host) {
            cli_msg("--write-samples: ecoest's log has no host column: convert each host's "
                    "logs on their own (--samples FILE, without HOST=)");
            return CLI_EX_USAGE;
        }
    if (strcmp(so.write_path, "-") != 0) {
        const char *same = output_is_input(&so, so.write_path);
        if (same) {
            cli_msg("--write-samples: %s is the input %s: writing it would destroy it; "
                    "write to another file", so.write_path,
                    strcmp(same, "-") == 0 ? "standard input" : same);
            return CLI_EX_USAGE;
        }
    }
    /* the caller's files stay as they are: standard input is replaced in a
       copy */
    files = malloc((so.n_files ? so.n_files : 1) * sizeof *files);
    if (!files) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    memcpy(files, so.files, so.n_files * sizeof *files);
    so.files = files;
    for (i = 0; i < so.n_files; i++)
        if (strcmp(so.files[i].path, "-") == 0) {
            if (spool_stdin(&spool)) {
                cli_msg("cannot copy standard input to a temporary file");
                rc = CLI_EX_IOERR;
                goto done;
            }
            snprintf(spool_path, sizeof spool_path, "/dev/fd/%d", fileno(spool));
            so.files[i].path = spool_path;
        }
    /* pass 1: check everything and learn the columns */
    rc = cli_samples_read(&so, EST_UNSET, &run);
    if (rc)
        goto done;
    /* the columns, the window and its edge rows: the library's conversion */
    co.has_start = so.start != NULL;
    co.has_end = so.end != NULL;
    start = run->rep.res.start_unix_s;
    rc = est_samples_convert_open(&cv, &run->rep.res, &co, &e);
    if (rc == EST_ENODATA) {
        cli_msg("nothing to write: the logs hold no quantity ecoest reads");
        rc = CLI_EX_DATAERR;
        goto done;
    }
    if (rc) {
        cli_msg("%s", rc == EST_ENOMEM ? "out of memory" : e.message);
        rc = cli_exit_for(rc);
        goto done;
    }
    /* a temporary file beside the output, renamed over it on success: a
       failure leaves the output as it was, and a device node or FIFO is
       never replaced (est_fs_atomic_open refuses it) */
    if (strcmp(so.write_path, "-") == 0) {
        out = stdout;
    } else if (est_fs_atomic_open(&af, so.write_path, 0, &e) == EST_OK) {
        out = est_fs_atomic_stream(af);
    } else {
        cli_msg("--write-samples: %s", e.message);
        rc = CLI_EX_IOERR;
        goto done;
    }
    if (est_samples_convert_begin(cv, write_out, out, &e)) {
        cli_msg("%s: %s", so.write_path, e.message);
        rc = CLI_EX_IOERR;
        goto done;
    }
    /* pass 2: the same reads, each checked row written (the writer copied
       the names) */
    cli_samples_run_free(run);
    run = NULL;
    rc = reread(&so, co.has_start, start, est_samples_convert_row, cv, 0);
    if (!rc && est_samples_convert_finish(cv, &e)) {
        cli_msg("%s: %s", so.write_path, e.message);
        rc = CLI_EX_IOERR;
    }
    if (!rc && out == stdout && fflush(out)) {
        cli_msg("%s: %s", so.write_path, strerror(errno));
        rc = CLI_EX_IOERR;
    }
done:
    est_samples_convert_free(cv);
    if (af && !rc) {
        if (est_fs_atomic_commit(af, &e)) {
            cli_msg("--write-samples: %s", e.message);
            rc = CLI_EX_IOERR;
        }
    } else {
        est_fs_atomic_abort(af);
    }
    if (spool)
        fclose(spool);
    cli_samples_run_free(run);
    free(files);
    return rc;
}

/* --format html (cli/chart.c): the logs read again, as pass 2 of
   --write-samples reads them, each row to fn. Standard input is skipped: it
   cannot be read twice. */
int cli_samples_each_row(const cli_samples_opts *so, est_samples_row_fn fn, void *user)
{
    return reread(so, 0, 0.0, fn, user, 1);
}
