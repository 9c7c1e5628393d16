/* ecoest run [OPTIONS] [--] CMD [ARGS...]: runs CMD, samples what its
 * process tree (or the user, or the Slurm job) uses into ecoest's own
 * sample-log format, row by row, and at the end prints the estimate that
 * `ecoest --samples LOG` gives, by running that very path (cli_estimate_main)
 * on the log. docs/run.md. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "ecoest/fs.h"
#include "ecoest/samples.h"
#include "monitor.h"
#include "nvml.h"
#include "html_run.h"
#include "report.h"
#include "run.h"

#define PASS_MAX 96
#define IDLE_DEFAULT_S 3.0

typedef struct run_opts {
    double interval_s, idle_s;
    int have_idle;
    const char *log, *output;
    cli_format format;
    int have_format;
    cli_mon_scope scope;
    int gpus_of_tree;
    char *pass[PASS_MAX]; /* estimate options passed through */
    char pass_names[PASS_MAX][32];
    int n_pass;
    int have_cpu, have_gpu_idle;
    char **cmd;
    int n_cmd;
} run_opts;

/* What was measured, for the report and the values to paste. */
typedef struct run_stats {
    double t0, t_end;          /* the command's launch and end, Unix s */
    double cpu_s, mem_peak_gb;
    int mem_peak_cgroup;       /* the peak includes the cgroup's memory.peak */
    double rapl_j;
    unsigned long rows;        /* data rows written (idle rows included) */
    unsigned long samples;     /* samples taken while the command ran */
    unsigned ncpu;
    unsigned n_gpus;
    double gpu_usage_sum[CLI_GPUS_MAX];
    unsigned long gpu_usage_n[CLI_GPUS_MAX];
    unsigned long gpu_missing[CLI_GPUS_MAX];
    double gpu_mem_peak_gb[CLI_GPUS_MAX];
    int gpu_counter[CLI_GPUS_MAX];     /* its power came from its energy counter */
    char gpu_name[CLI_GPUS_MAX][96];
    int gpu_tree[CLI_GPUS_MAX];
    int idle_rows;
    int gpus_dropped;          /* --gpus-of-tree: GPUs taken out of the log */
    double idle_end;           /* the last idle row's time: the job starts there */
    int status;                /* exit status (128 + signal) */
    int signal;
} run_stats;

enum {
    OPT_INTERVAL = 300, OPT_LOG, OPT_OUTPUT, OPT_FORMAT, OPT_USER, OPT_SLURM, OPT_IDLE,
    OPT_GPUS_OF_TREE,
    OPT_PASS = 10000 /* + the option's index in the estimate's table */
};

/* run's own options. The estimate's options follow them in the table that
   parse_args builds: run's names come first, so its --interval, --format
   and --output are run's, never the estimate's. */
static const struct option run_options[] = {
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"log", required_argument, NULL, OPT_LOG},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"user", no_argument, NULL, OPT_USER},
    {"slurm-job", no_argument, NULL, OPT_SLURM},
    {"idle-seconds", required_argument, NULL, OPT_IDLE},
    {"gpus-of-tree", no_argument, NULL, OPT_GPUS_OF_TREE},
    {"help", no_argument, NULL, 'h'}};
#define RUN_OPTIONS_N (sizeof run_options / sizeof run_options[0])

/* The estimate's options that run does not pass on: it gives the estimate
   its log (--samples; its format and columns are run's own), the log's job
   window (--idle-until; --start, --end) and the log's runtime, which the
   estimate does not take beside a log (--hours, --minutes, --runtime,
   --runs); the log's times are UTC (--tz); converting a log
   (--write-samples) and --version are no estimate. Every other estimate
   option passes through. */
static const char *const not_passed[] = {
    "samples", "samples-format", "columns", "tz", "idle-until", "start", "end",
    "hours", "minutes", "runtime", "runs", "write-samples", "version"};

/* 1 when run passes the estimate's option name on. */
static int passed_through(const char *name)
{
    size_t i;
    for (i = 0; i < RUN_OPTIONS_N; i++)
        if (!strcmp(run_options[i].name, name))
            return 0;
    for (i = 0; i < sizeof not_passed / sizeof not_passed[0]; i++)
        if (!strcmp(not_passed[i], name))
            return 0;
    return 1;
}

#define OPTIONS_MAX 160

/* run's options, then each estimate option passed through, as the estimate
   declares it (name, argument) with its own val, OPT_PASS + its index in
   the estimate's table. Distinct vals keep getopt_long's abbreviations what
   they are for the estimate: glibc takes a prefix of several entries with
   one val as the first of them, so "--cpu-t" would be --cpu-tdp here and
   ambiguous there. Returns the number of entries (the NULL one not
   counted), or 0 when tab is too small. */
static size_t run_long_options(struct option *tab, size_t cap)
{
    const struct option *est = cli_estimate_long_options();
    size_t n = 0, i;
    for (i = 0; i < RUN_OPTIONS_N && n + 1 < cap; i++)
        tab[n++] = run_options[i];
    for (i = 0; est[i].name; i++) {
        if (!passed_through(est[i].name))
            continue;
        if (n + 1 >= cap)
            return 0;
        tab[n] = est[i];
        tab[n].flag = NULL;
        tab[n].val = OPT_PASS + (int)i;
        n++;
    }
    memset(&tab[n], 0, sizeof tab[n]);
    return n;
}

static const char usage_text[] =
    "Usage: ecoest run [OPTIONS] [--] CMD [ARGS...]\n"
    "\n"
    "Runs CMD, samples what it uses into a sample log, and prints the estimate\n"
    "on stderr when it ends (the one 'ecoest --samples LOG' gives). The exit\n"
    "status is CMD's, or 128 + the signal that ended it.\n"
    "\n"
    "Run options:\n"
    "  --interval S             seconds between samples (default 1, fractions ok)\n"
    "  --log FILE               the sample log (default ecoest-run-<UTC start>.csv\n"
    "                           in the current directory); never overwritten\n"
    "  --user                   count every process of the invoking user (the\n"
    "                           shared-server view), not only CMD's tree\n"
    "  --slurm-job              count the Slurm job's cgroup (cpu.stat,\n"
    "                           memory.current) when readable\n"
    "  --idle-seconds N         GPU idle power measured for N s before CMD starts\n"
    "                           (default 3 when there are GPUs)\n"
    "  --gpus-of-tree           count only the GPUs CMD's processes run on (NVML)\n"
    "  --format text|json|csv|html  format of --output (default json with\n"
    "                           --output); html: one self-contained page with the\n"
    "                           log's charts (docs/html.md)\n"
    "  --output FILE            also write the full report there ('-': stdout)\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "The estimate's options (see 'ecoest --help') pass through, --cpu\n"
    "defaulting to auto, except those run sets itself: --samples,\n"
    "--samples-format, --columns, --tz, --idle-until, --start, --end,\n"
    "--hours, --minutes, --runtime, --runs, --write-samples (and --interval,\n"
    "--format, --output, which are run's own).\n"
    "Docs: docs/run.md.\n";

/* ---- arguments ---------------------------------------------------------- */

/* Appends an estimate option to the ones passed through, by its canonical
   name ("--cpu=X" and abbreviations too), with its value when it takes one.
   Returns 0, or -1 with a message. */
static int pass_option(run_opts *o, const struct option *opt, const char *arg)
{
    const char *name = opt->name;
    if (o->n_pass + 2 > PASS_MAX) {
        cli_msg("too many options");
        return -1;
    }
    snprintf(o->pass_names[o->n_pass], sizeof o->pass_names[0], "--%s", name);
    o->pass[o->n_pass] = o->pass_names[o->n_pass];
    o->n_pass++;
    if (opt->has_arg != no_argument && arg)
        o->pass[o->n_pass++] = (char *)arg;
    if (!strcmp(name, "cpu") || !strcmp(name, "cpu-tdp") || !strcmp(name, "cpu-tdp-per-core"))
        o->have_cpu = 1;
    if (!strcmp(name, "gpu-idle"))
        o->have_gpu_idle = 1;
    return 0;
}

static int parse_args(int argc, char **argv, run_opts *o)
{
    struct option long_options[OPTIONS_MAX];
    int c, idx;
    memset(o, 0, sizeof *o);
    if (!run_long_options(long_options, OPTIONS_MAX)) {
        cli_msg("run: too many estimate options (raise OPTIONS_MAX)");
        return -1;
    }
    o->interval_s = 1.0;
    o->format = CLI_FORMAT_JSON;
    opterr = 0;
    optind = 0; /* a fresh scan: "+" stops at CMD */
    while ((c = getopt_long(argc, argv, "+:h", long_options, &idx)) != -1) {
        const char *a = optarg;
        switch (c) {
        case OPT_INTERVAL:
            if (cli_opt_number("--interval", a, &o->interval_s)) return -1;
            if (o->interval_s < 0.01 || o->interval_s > 86400.0) {
                cli_msg("--interval: expected 0.01 to 86400 seconds, got %s", a);
                return -1;
            }
            break;
        case OPT_LOG: o->log = a; break;
        case OPT_OUTPUT: o->output = a; break;
        case OPT_FORMAT:
            if (cli_parse_format_html(a, &o->format)) return -1;
            o->have_format = 1;
            break;
        case OPT_USER: o->scope = CLI_MON_USER; break;
        case OPT_SLURM: o->scope = CLI_MON_SLURM; break;
        case OPT_IDLE:
            if (cli_opt_number("--idle-seconds", a, &o->idle_s)) return -1;
            if (o->idle_s > 3600.0) {
                cli_msg("--idle-seconds: at most 3600, got %s", a);
                return -1;
            }
            o->have_idle = 1;
            break;
        case OPT_GPUS_OF_TREE: o->gpus_of_tree = 1; break;
        case 'h': return 1;
        case ':': cli_msg("%s: missing value", argv[optind - 1]); return -1;
        default:
            if (c >= OPT_PASS) {
                if (pass_option(o, &long_options[idx], a))
                    return -1;
                break;
            }
            if (optopt)
                cli_msg("run: unknown option '-%c' (see ecoest run --help)", optopt);
            else
                cli_msg("run: option '%s' is not one of run's (see ecoest run --help)",
                        argv[optind - 1]);
            return -1;
        }
    }
    if (optind >= argc) {
        cli_msg("run: no command given (ecoest run [OPTIONS] -- CMD [ARGS...])");
        return -1;
    }
    if (o->have_format && !o->output) {
        cli_msg("--format needs --output FILE (the estimate itself goes to stderr)");
        return -1;
    }
    if (o->gpus_of_tree && o->scope != CLI_MON_TREE) {
        cli_msg("--gpus-of-tree counts the GPUs of CMD's tree: not with --user or --slurm-job");
        return -1;
    }
    o->cmd = argv + optind;
    o->n_cmd = argc - optind;
    return 0;
}

/* ---- time --------------------------------------------------------------- */

static double now_unix(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the log ------------------------------------------------------------ */

/* Rows are built in memory and written with one write(2) each: a monitor
   killed at any point leaves a log that ends on a row boundary. */
typedef struct row_sink {
    int fd;
    char buf[16384];
    size_t len;
    int failed;
} row_sink;

static int sink_add(void *user, const char *data, size_t len)
{
    row_sink *s = user;
    if (s->len + len > sizeof s->buf) {
        s->failed = 1;
        return -1;
    }
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    return 0;
}

static int sink_flush(row_sink *s)
{
    size_t off = 0;
    while (off < s->len) {
        ssize_t n = write(s->fd, s->buf + off, s->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->failed = 1;
            break;
        }
        off += (size_t)n;
    }
    s->len = 0;
    return s->failed ? -1 : 0;
}

/* Opens the log, never over an existing file (O_EXCL). The default name is
   the start time; a taken name gets -2, -3, ... */
static int open_log(const char *path, char *out, size_t size)
{
    int fd;
    if (path) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
            cli_msg("--log %s: %s%s", path, strerror(errno),
                    errno == EEXIST ? " (a log is never overwritten)" : "");
        snprintf(out, size, "%s", path);
        return fd;
    } else {
        char stamp[32];
        time_t t = time(NULL);
        struct tm tm;
        int k;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        for (k = 1; k < 1000; k++) {
            if (k == 1)
                snprintf(out, size, "ecoest-run-%s.csv", stamp);
            else
                snprintf(out, size, "ecoest-run-%s-%d.csv", stamp, k);
            fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            if (fd >= 0 || errno != EEXIST)
                break;
        }
        if (fd < 0)
            cli_msg("cannot create the log %s: %s", out, strerror(errno));
        return fd;
    }
}

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t pending_sig[4];
static const int forwarded[4] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static int wake_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int i, e = errno;
    for (i = 0; i < 4; i++)
        if (forwarded[i] == sig)
            pending_sig[i] = 1;
    if (wake_pipe[1] >= 0) {
        ssize_t n = write(wake_pipe[1], "x", 1);
        (void)n;
    }
    errno = e;
}

static void install_handlers(struct sigaction old[5])
{
    struct sigaction sa;
    int i;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (i = 0; i < 4; i++) {
        sigaction(forwarded[i], &sa, &old[i]);
        if (old[i].sa_handler == SIG_IGN) {
            /* ignored when we were started (nohup, a background job of a
               script): it stays ignored, for us and for CMD */
            sigaction(forwarded[i], &old[i], NULL);
        }
    }
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, &old[4]);
}

static void restore_handlers(const struct sigaction old[5])
{
    int i;
    for (i = 0; i < 4; i++)
        sigaction(forwarded[i], &old[i], NULL);
    sigaction(SIGCHLD, &old[4], NULL);
}

/* ---- the sampler -------------------------------------------------------- */

typedef struct sampler {
    const run_opts *o;
    cli_mon *mon;
    cli_gpus *gpus;
    cli_rapl *rapl;
    est_samples_writer *w;
    row_sink sink;
    run_stats *st;
    unsigned n_gpus;
    pid_t helper;
    double helper_cpu_s;   /* the poller's CPU, once reaped */
    /* the previous reading */
    double t_prev, cpu_prev, carry_s, rapl_prev, mem_prev;
    double gpu_e_prev[CLI_GPUS_MAX];
    cli_gpu_value gpu_prev[CLI_GPUS_MAX];
    int have_prev;
    pid_t pids[4096];
} sampler;

static int open_writer(sampler *s)
{
    est_sample cols[4 + 1 + 2 * CLI_GPUS_MAX];
    est_samples_writer_gpu g[CLI_GPUS_MAX];
    size_t n = 0;
    unsigned i;
    est_error err;
    const est_samples_kind host[4] = {EST_SAMPLES_CPU_USAGE_FRAC, EST_SAMPLES_CPU_CORES,
                                     EST_SAMPLES_CPU_BUSY_CORES, EST_SAMPLES_RAM_USED_GB};
    for (i = 0; i < 4; i++) {
        cols[n].kind = host[i];
        cols[n].device = 0;
        cols[n++].value = 0.0;
    }
    if (s->rapl) {
        cols[n].kind = EST_SAMPLES_CPU_PACKAGE_POWER_W;
        cols[n].device = 0;
        cols[n++].value = 0.0;
    }
    for (i = 0; i < s->n_gpus; i++) {
        cols[n].kind = EST_SAMPLES_GPU_POWER_W;
        cols[n].device = i;
        cols[n++].value = 0.0;
        cols[n].kind = EST_SAMPLES_GPU_USAGE_FRAC;
        cols[n].device = i;
        cols[n++].value = 0.0;
        g[i].device = i;
        g[i].name = cli_gpus_name(s->gpus, i);
        g[i].secondary_die = 0;
    }
    if (est_samples_writer_open_gpus(&s->w, cols, n, g, s->n_gpus, sink_add, &s->sink,
                                     &err) ||
        sink_flush(&s->sink)) {
        cli_msg("the log: %s", s->sink.failed ? strerror(errno) : err.message);
        return -1;
    }
    return 0;
}

static int write_row(sampler *s, double t, const est_sample *v, size_t n)
{
    est_error err;
    if (est_samples_writer_row(s->w, t, v, n, &err) || sink_flush(&s->sink)) {
        cli_msg("the log: %s", s->sink.failed ? strerror(errno) : err.message);
        return -1;
    }
    s->st->rows++;
    return 0;
}

static void put(est_sample *v, size_t *n, est_samples_kind k, unsigned dev, double x)
{
    v[*n].kind = k;
    v[*n].device = dev;
    v[*n].value = x;
    (*n)++;
}

/* A counter's power over a step: its increase over the time between its
   own two readings (dt, the rows' step, when that is unknown). */
static double counter_rate(const cli_gpu_value *now, const cli_gpu_value *prev, double dt)
{
    double step = now->energy_t_s - prev->energy_t_s;
    return (now->energy_j - prev->energy_j) / (step > 0.0 ? step : dt);
}

/* The GPUs' values of a row: the power from the energy counter over the
   step when there is one (counters beat sampled power), else the sampled
   power; a GPU that did not answer is a missing value (a gap). */
static void gpu_values(sampler *s, const cli_gpu_value *g, double dt, est_sample *v,
                       size_t *n, int prev_ok)
{
    unsigned i;
    for (i = 0; i < s->n_gpus; i++) {
        double p = g[i].power_w;
        if (!g[i].ok) {
            put(v, n, EST_SAMPLES_GPU_POWER_W, i, EST_SAMPLES_MISSING);
            s->st->gpu_missing[i]++;
            continue;
        }
        if (g[i].energy_j >= 0.0 && prev_ok && s->gpu_prev[i].ok &&
            s->gpu_prev[i].energy_j >= 0.0 && dt > 0.0)
            p = counter_rate(&g[i], &s->gpu_prev[i], dt);
        put(v, n, EST_SAMPLES_GPU_POWER_W, i, p >= 0.0 ? p : EST_SAMPLES_MISSING);
        if (g[i].usage_frac >= 0.0)
            put(v, n, EST_SAMPLES_GPU_USAGE_FRAC, i, g[i].usage_frac);
    }
}

static void read_gpus(sampler *s, cli_gpu_value *g, int with_pids)
{
    size_t np = 0;
    unsigned i;
    if (!s->n_gpus)
        return;
    if (with_pids && s->o->gpus_of_tree)
        np = cli_mon_pids(s->mon, s->pids, sizeof s->pids / sizeof s->pids[0]);
    if (cli_gpus_read(s->gpus, s->pids, np, g) != 0)
        for (i = 0; i < s->n_gpus; i++)
            g[i].ok = 0;
    for (i = 0; i < s->n_gpus; i++) {
        if (g[i].tree_uses)
            s->st->gpu_tree[i] = 1;
        if (g[i].ok && g[i].mem_used_gb > s->st->gpu_mem_peak_gb[i])
            s->st->gpu_mem_peak_gb[i] = g[i].mem_used_gb;
    }
}

static int any_counter(const sampler *s)
{
    unsigned i;
    for (i = 0; i < s->n_gpus; i++)
        if (cli_gpus_has_counter(s->gpus, i))
            return 1;
    return 0;
}

/* The launch row's GPU values: a counter's rate over the first step (as
   the CPU's), else the power sampled at the launch. */
static void launch_gpu_values(sampler *s, const cli_gpu_value *g, double dt, est_sample *v,
                              size_t *n)
{
    unsigned i;
    for (i = 0; i < s->n_gpus; i++) {
        const cli_gpu_value *p = &s->gpu_prev[i];
        double w = p->ok ? p->power_w : -1.0;
        if (g[i].ok && p->ok && g[i].energy_j >= 0.0 && p->energy_j >= 0.0 && dt > 0.0)
            w = counter_rate(&g[i], p, dt);
        put(v, n, EST_SAMPLES_GPU_POWER_W, i, w >= 0.0 ? w : EST_SAMPLES_MISSING);
        if (p->ok && p->usage_frac >= 0.0)
            put(v, n, EST_SAMPLES_GPU_USAGE_FRAC, i, p->usage_frac);
    }
}

/* GPU idle before the launch: rows with the GPUs' columns only. */
static int measure_idle(sampler *s, double seconds)
{
    double end = now_mono() + seconds, t_prev = 0.0;
    int first = 1;
    while (1) {
        cli_gpu_value g[CLI_GPUS_MAX];
        est_sample v[2 * CLI_GPUS_MAX];
        size_t n = 0;
        double t = now_unix();
        struct timespec ts;
        double left;
        read_gpus(s, g, 0);
        /* a counter's first reading has no step: it only starts the counting
           (without counters, every reading is a row) */
        if (!first || !any_counter(s)) {
            gpu_values(s, g, t - t_prev, v, &n, !first);
            if (write_row(s, t, v, n))
                return -1;
            s->st->idle_rows++;
            s->st->idle_end = t;
        }
        memcpy(s->gpu_prev, g, sizeof g);
        first = 0;
        t_prev = t;
        left = end - now_mono();
        if (left <= 0.0 || pending_sig[0] || pending_sig[1] || pending_sig[2] ||
            pending_sig[3])
            break;
        if (left > s->o->interval_s)
            left = s->o->interval_s;
        ts.tv_sec = (time_t)left;
        ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* A sample at t. The CPU and RAPL figures are rates over the step since the
   previous sample; the first sample (at the launch) only records the start,
   and its row is written with the second one, carrying the first step's
   rates (see docs/run.md: the trapezoid over these rows gives the measured
   CPU seconds). */
static int take_sample(sampler *s, int last)
{
    cli_mon_reading r;
    cli_gpu_value g[CLI_GPUS_MAX];
    est_sample v[8 + 2 * CLI_GPUS_MAX];
    size_t n = 0;
    double t = now_unix(), rapl_j = 0.0, dt, busy, cpu_s;
    double ncpu = (double)s->st->ncpu;
    int rapl_ok = s->rapl && cli_rapl_read(s->rapl, &rapl_j) == 0;
    if (cli_mon_read(s->mon, &r) != 0) {
        r.cpu_s = s->cpu_prev;
        r.mem_gb = -1.0;
    }
    read_gpus(s, g, 1);
    if (!s->have_prev) {
        s->st->t0 = t; /* the launch row's time */
        s->t_prev = t;
        s->cpu_prev = r.cpu_s;
        s->rapl_prev = rapl_j;
        s->mem_prev = r.mem_gb;
        if (r.mem_gb > s->st->mem_peak_gb)
            s->st->mem_peak_gb = r.mem_gb;
        memcpy(s->gpu_prev, g, sizeof g);
        s->have_prev = 1;
        return 0;
    }
    if (t <= s->t_prev + 1e-3)
        t = s->t_prev + 1e-3; /* a command that ended at once: a step of 1 ms */
    dt = t - s->t_prev;
    /* busy cores over the step; what exceeds the CPUs (timing jitter) is
       carried to the next step, so the log's integral keeps every second */
    cpu_s = r.cpu_s - s->cpu_prev + s->carry_s;
    busy = cpu_s / dt;
    if (busy > ncpu) {
        s->carry_s = (busy - ncpu) * dt;
        busy = ncpu;
    } else {
        s->carry_s = 0.0;
    }
    put(v, &n, EST_SAMPLES_CPU_USAGE_FRAC, 0, busy / ncpu);
    put(v, &n, EST_SAMPLES_CPU_CORES, 0, ncpu);
    put(v, &n, EST_SAMPLES_CPU_BUSY_CORES, 0, busy);
    if (s->rapl)
        put(v, &n, EST_SAMPLES_CPU_PACKAGE_POWER_W, 0,
            rapl_ok ? (rapl_j - s->rapl_prev) / dt : EST_SAMPLES_MISSING);
    if (s->st->samples == 0) {
        /* the launch row: the first step's rates, the memory and GPUs at launch */
        size_t n0 = n;
        est_sample v0[8 + 2 * CLI_GPUS_MAX];
        memcpy(v0, v, n * sizeof *v);
        if (s->mem_prev >= 0.0)
            put(v0, &n0, EST_SAMPLES_RAM_USED_GB, 0, s->mem_prev);
        launch_gpu_values(s, g, dt, v0, &n0);
        if (write_row(s, s->t_prev, v0, n0))
            return -1;
    }
    put(v, &n, EST_SAMPLES_RAM_USED_GB, 0, r.mem_gb >= 0.0 ? r.mem_gb : EST_SAMPLES_MISSING);
    gpu_values(s, g, dt, v, &n, 1);
    if (write_row(s, t, v, n))
        return -1;
    {
        unsigned i;
        for (i = 0; i < s->n_gpus; i++)
            if (g[i].ok && g[i].usage_frac >= 0.0) {
                s->st->gpu_usage_sum[i] += g[i].usage_frac;
                s->st->gpu_usage_n[i]++;
            }
    }
    s->st->samples++;
    if (r.mem_gb > s->st->mem_peak_gb)
        s->st->mem_peak_gb = r.mem_gb;
    s->st->cpu_s = r.cpu_s;
    s->st->rapl_j = rapl_j;
    s->t_prev = t;
    s->cpu_prev = r.cpu_s;
    s->rapl_prev = rapl_j;
    memcpy(s->gpu_prev, g, sizeof g);
    (void)last;
    return 0;
}

/* ---- the command -------------------------------------------------------- */

/* Forks CMD in its own process group, stopped until the monitor has moved
   it into its cgroup. Returns its pid, or -1 (status in *fail: 126/127). */
static pid_t launch(const run_opts *o, cli_mon *mon, const sigset_t *old_mask, int fg_tty,
                    int *fail)
{
    int go[2], err[2], e = 0;
    pid_t pid;
    ssize_t n;
    char c = 'g';
    if (pipe2(go, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
        cli_msg("pipe: %s", strerror(errno));
        *fail = CLI_EX_SOFTWARE;
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        cli_msg("fork: %s", strerror(errno));
        *fail = CLI_EX_SOFTWARE;
        return -1;
    }
    if (pid == 0) {
        int i;
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        for (i = 0; i < 4; i++) {
            struct sigaction cur;
            /* ours back to the default; one ignored at our start stays so */
            if (sigaction(forwarded[i], NULL, &cur) == 0 && cur.sa_handler == on_signal)
                sigaction(forwarded[i], &dfl, NULL);
        }
        sigaction(SIGCHLD, &dfl, NULL);
        setpgid(0, 0);
        close(go[1]);
        close(err[0]);
        while (read(go[0], &c, 1) < 0 && errno == EINTR)
            ;
        sigprocmask(SIG_SETMASK, old_mask, NULL);
        execvp(o->cmd[0], o->cmd);
        e = errno;
        n = write(err[1], &e, sizeof e);
        (void)n;
        _exit(127);
    }
    setpgid(pid, pid); /* both sides: no race with a signal forwarded at once */
    close(go[0]);
    close(err[1]);
    cli_mon_attach(mon, pid);
    if (fg_tty) {
        /* the terminal goes to CMD's group before it execs (it may read it
           at once); writing to it afterwards must not stop us */
        signal(SIGTTOU, SIG_IGN);
        tcsetpgrp(0, pid);
    }
    n = write(go[1], &c, 1);
    (void)n;
    close(go[1]);
    do
        n = read(err[0], &e, sizeof e);
    while (n < 0 && errno == EINTR);
    close(err[0]);
    if (n == (ssize_t)sizeof e) {
        cli_msg("%s: %s", o->cmd[0], strerror(e));
        waitpid(pid, NULL, 0);
        *fail = e == ENOENT ? 127 : 126;
        return -1;
    }
    return pid;
}

static void forward_signals(pid_t pgid)
{
    int i;
    for (i = 0; i < 4; i++)
        if (pending_sig[i]) {
            pending_sig[i] = 0;
            kill(-pgid, forwarded[i]);
        }
}

static double rusage_s(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6 +
           (double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6;
}

/* The nvidia-smi poller ended: its CPU is the monitor's, not the command's. */
static void helper_reaped(sampler *s, const struct rusage *ru)
{
    s->helper_cpu_s += rusage_s(ru);
    cli_mon_helper_reaped(s->mon, rusage_s(ru));
    s->helper = 0;
}

/* Reaps every child that ended (the command, orphans of its tree, the
   nvidia-smi poller). Returns 1 when the command ended. */
static int reap(sampler *s, pid_t cmd, run_stats *st)
{
    int status, done = 0;
    struct rusage ru;
    pid_t p;
    while ((p = wait4(-1, &status, WNOHANG, &ru)) > 0) {
        if (p == s->helper)
            helper_reaped(s, &ru);
        if (p == cmd) {
            done = 1;
            if (WIFSIGNALED(status)) {
                st->signal = WTERMSIG(status);
                st->status = 128 + st->signal;
            } else {
                st->status = WEXITSTATUS(status);
            }
        }
    }
    return done;
}

static int monitor_loop(sampler *s, pid_t cmd)
{
    double next = now_mono() + s->o->interval_s;
    int done = 0;
    if (take_sample(s, 0))
        return -1;
    while (!done) {
        struct pollfd pfd;
        double left = next - now_mono();
        int ms = left > 0.0 ? (int)(left * 1000.0 + 0.999) : 0;
        pfd.fd = wake_pipe[0];
        pfd.events = POLLIN;
        if (poll(&pfd, 1, ms) > 0) {
            char buf[64];
            while (read(wake_pipe[0], buf, sizeof buf) > 0)
                ;
        }
        forward_signals(cmd);
        done = reap(s, cmd, s->st);
        if (done || now_mono() >= next) {
            if (take_sample(s, done))
                return -1;
            while (next <= now_mono())
                next += s->o->interval_s;
        }
    }
    return 0;
}

/* ---- --gpus-of-tree: the log keeps only the GPUs the tree used ---------- */

static int any_tree_gpu(const run_stats *st)
{
    unsigned i;
    for (i = 0; i < st->n_gpus; i++)
        if (st->gpu_tree[i])
            return 1;
    return 0;
}

static int write_stream(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

/* Rewrites the log without the columns of the GPUs the tree never used
   (est_samples_keep_gpus; atomically: a temporary file beside it, renamed
   over it). Returns the GPUs kept, or -1 (the log is left as it was). */
static int keep_tree_gpus(const char *log, const int *used)
{
    unsigned char keep[CLI_GPUS_MAX];
    void *map = MAP_FAILED;
    size_t len = 0;
    struct stat sb;
    est_fs_atomic *af = NULL;
    est_error err;
    int kept_gpus = 0, k, rc, fd;
    for (k = 0; k < CLI_GPUS_MAX; k++) {
        keep[k] = used[k] != 0;
        kept_gpus += keep[k];
    }
    /* mapped, not read into memory: a long run's log costs no heap */
    if ((fd = open(log, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
        (map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
        close(fd);
        return -1;
    }
    close(fd);
    len = (size_t)sb.st_size;
    if (est_fs_atomic_open(&af, log, 0644, &err)) {
        munmap(map, len);
        return -1;
    }
    rc = est_samples_keep_gpus(map, len, keep, CLI_GPUS_MAX, write_stream,
                               est_fs_atomic_stream(af), &err);
    munmap(map, len);
    if (rc) {
        est_fs_atomic_abort(af);
        return -1;
    }
    return est_fs_atomic_commit(af, &err) ? -1 : kept_gpus;
}

/* ---- the estimate ------------------------------------------------------- */

static void fmt_time(char *buf, size_t size, double t)
{
    snprintf(buf, size, "%.17g", t); /* the log's own time, exactly */
}

/* The argv of `ecoest --samples LOG ...` that run evaluates. */
static int estimate_argv(const run_opts *o, const char *log, const char *idle_until,
                         const char *format, char **av)
{
    int n = 0, i;
    av[n++] = "ecoest";
    av[n++] = "--samples";
    av[n++] = (char *)log;
    if (idle_until && !o->have_gpu_idle) {
        av[n++] = "--idle-until";
        av[n++] = (char *)idle_until;
    }
    if (!o->have_cpu) {
        av[n++] = "--cpu";
        av[n++] = "auto";
    }
    for (i = 0; i < o->n_pass; i++)
        av[n++] = o->pass[i];
    if (format) {
        av[n++] = "--format";
        av[n++] = (char *)format;
    }
    av[n] = NULL;
    return n;
}

/* Runs cli_estimate_main_with(fn, user) with its stdout going to fd. */
static int estimate_to_fd_with(int argc, char **argv, int fd, cli_estimate_fn fn, void *user)
{
    int saved, rc;
    fflush(stdout);
    saved = dup(1);
    if (saved < 0 || dup2(fd, 1) < 0)
        return CLI_EX_SOFTWARE;
    rc = cli_estimate_main_with(argc, argv, fn, user);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    return rc;
}

static int estimate_to_fd(int argc, char **argv, int fd)
{
    return estimate_to_fd_with(argc, argv, fd, NULL, NULL);
}

static void shell_quote(FILE *f, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "-_./:=+,@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* The monitor's own CPU: this process and its nvidia-smi poller. */
static double monitor_cpu_s(const sampler *s)
{
    struct rusage ru;
    double self = 0.0;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        self = rusage_s(&ru);
    return self + s->helper_cpu_s;
}

typedef struct run_report {
    run_opts *o; /* report() may drop the implicit --cpu auto */
    const run_stats *st;
    const char *log;
    const char *cpu_method;
    const char *mem_source;
    const char *gpu_source;  /* NULL: no GPU */
    const char *gpu_missing; /* why no GPU */
    const char *rapl_missing; /* why no RAPL, NULL when read */
    size_t rapl_domains;
    double monitor_cpu_s;
    cJSON *measured; /* run.measured (measured_json), NULL: nothing measured */
} run_report;

static double duration_s(const run_stats *st)
{
    return st->t_end - st->t0;
}

/* The Green Algorithms web form's inputs, from what was measured
   (est_model_ga_inputs_compute: usage clamped to 1, memory rounded up to
   0.1 GB, the mean GPU usage). Returns 0, or -1 when the figures are not
   usable (nothing to paste). */
static int paste_values(est_model_ga_inputs *ga, const run_report *rr)
{
    const run_stats *st = rr->st;
    double gu[CLI_GPUS_MAX];
    est_model_ga_measured m = {EST_MODEL_GA_MEASURED_VERSION, 0.0, 0, 0.0, 0.0, 0, NULL};
    unsigned i;
    m.runtime_s = duration_s(st);
    m.cores = st->ncpu;
    m.cpu_s = st->cpu_s;
    m.memory_gb = st->mem_peak_gb;
    for (i = 0; i < st->n_gpus && i < CLI_GPUS_MAX; i++) {
        if (rr->o->gpus_of_tree && any_tree_gpu(st) && !st->gpu_tree[i])
            continue;
        gu[m.n_gpus++] = st->gpu_usage_n[i] ? st->gpu_usage_sum[i] / (double)st->gpu_usage_n[i]
                                            : 0.0;
    }
    m.gpu_usage_frac = m.n_gpus ? gu : NULL;
    ga->version = EST_MODEL_GA_INPUTS_VERSION;
    return est_model_ga_inputs_compute(ga, &m) == EST_OK ? 0 : -1;
}

static void print_paste(FILE *f, const run_report *rr)
{
    const run_stats *st = rr->st;
    est_model_ga_inputs ga;
    double d = duration_s(st);
    long h = (long)(d / 3600.0), m = (long)((d - (double)h * 3600.0) / 60.0 + 0.5);
    if (paste_values(&ga, rr))
        return;
    fprintf(f, "Values to paste (Green Algorithms calculator):\n");
    fprintf(f, "  runtime: %ld h %ld min (%.1f s)\n", h, m, d);
    fprintf(f, "  number of cores: %u\n", ga.cores);
    fprintf(f, "  core usage factor: %.2f (%.2f CPU-s over %.1f s on %u cores)\n",
            ga.core_usage_frac, st->cpu_s, d, st->ncpu);
    fprintf(f, "  memory available: %.1f GB (peak in use, measured%s)\n", ga.memory_form_gb,
            st->mem_peak_cgroup ? ": the cgroup's memory.peak" : "");
    if (ga.gpus) {
        fprintf(f, "  number of GPUs: %u\n", ga.gpus);
        fprintf(f, "  GPU usage factor: %.2f (mean utilisation; power is a better "
                "measure, see the estimate)\n", ga.gpu_usage_frac);
    }
}

static void print_measured(FILE *f, const cJSON *m);

static void print_summary(FILE *f, const run_report *rr, char **av)
{
    const run_stats *st = rr->st;
    int i;
    fprintf(f, "\nRun:\n  command:");
    for (i = 0; i < rr->o->n_cmd; i++) {
        fputc(' ', f);
        shell_quote(f, rr->o->cmd[i]);
    }
    if (st->signal)
        fprintf(f, "\n  exit status: %d (signal %d, %s)\n", st->status, st->signal,
                strsignal(st->signal));
    else
        fprintf(f, "\n  exit status: %d\n", st->status);
    fprintf(f, "  runtime: %.3f s; %lu samples every %g s; log %s\n", duration_s(st),
            st->samples, rr->o->interval_s, rr->log);
    fprintf(f, "  CPU: %.3f CPU-s measured by %s\n", st->cpu_s, rr->cpu_method);
    fprintf(f, "  memory: peak %.3g GB, from %s\n", st->mem_peak_gb, rr->mem_source);
    if (rr->rapl_missing)
        fprintf(f, "  RAPL: %s; the CPU power is the TDP model's\n", rr->rapl_missing);
    else
        fprintf(f, "  RAPL: %.3f Wh measured on %zu package(s) (the whole packages, every "
                "process; shown beside the TDP model above)\n", st->rapl_j / 3600.0,
                rr->rapl_domains);
    if (rr->gpu_source)
        fprintf(f, "  GPUs: %u through %s%s\n", st->n_gpus, rr->gpu_source,
                st->idle_rows ? "; idle measured before the launch" : "");
    else
        fprintf(f, "  GPUs: none measured (%s); a GPU named with --gpu is counted from "
                "the model (usage x TDP)\n", rr->gpu_missing);
    for (i = 0; i < (int)st->n_gpus; i++)
        fprintf(f, "  GPU %d: %s, power from %s, memory peak %.3g GB\n", i,
                st->gpu_name[i][0] ? st->gpu_name[i] : "?",
                st->gpu_counter[i] ? "its energy counter" : "sampled readings",
                st->gpu_mem_peak_gb[i]);
    if (rr->o->gpus_of_tree)
        fprintf(f, "  GPUs of the tree (--gpus-of-tree): %u counted, %d never used by it "
                "and taken out of the log\n", st->n_gpus - (unsigned)st->gpus_dropped,
                st->gpus_dropped);
    for (i = 0; i < (int)st->n_gpus; i++)
        if (st->gpu_missing[i])
            fprintf(f, "  GPU %d: %lu missing readings (lost?): gaps in the log\n", i,
                    st->gpu_missing[i]);
    fprintf(f, "  monitor: %.3f CPU-s (%.2f %% of one core)\n", rr->monitor_cpu_s,
            duration_s(st) > 0.0 ? 100.0 * rr->monitor_cpu_s / duration_s(st) : 0.0);
    print_measured(f, rr->measured);
    print_paste(f, rr);
    fprintf(f, "Same estimate again:");
    for (i = 0; av[i]; i++) {
        fputc(' ', f);
        shell_quote(f, av[i]);
    }
    fputc('\n', f);
}

static cJSON *run_json(const run_report *rr)
{
    const run_stats *st = rr->st;
    cJSON *run = cJSON_CreateObject(), *cmd = cJSON_CreateArray(), *m;
    int i;
    double d = duration_s(st);
    for (i = 0; i < rr->o->n_cmd; i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(rr->o->cmd[i]));
    cJSON_AddItemToObject(run, "command", cmd);
    cli_json_add_num(run, "exit_status", st->status);
    if (st->signal)
        cli_json_add_num(run, "signal", st->signal);
    else
        cJSON_AddNullToObject(run, "signal");
    cli_json_add_num(run, "interval_s", rr->o->interval_s);
    cli_json_add_num(run, "samples", (double)st->samples);
    cli_json_add_num(run, "monitor_cpu_s", rr->monitor_cpu_s);
    cJSON_AddStringToObject(run, "log", rr->log);
    cli_json_add_num(run, "start_unix_s", st->t0);
    cli_json_add_num(run, "duration_s", d);
    cli_json_add_num(run, "cpu_s", st->cpu_s);
    cli_json_add_num(run, "cpus", st->ncpu);
    cJSON_AddStringToObject(run, "scope", rr->o->scope == CLI_MON_USER ? "user" :
                            rr->o->scope == CLI_MON_SLURM ? "slurm-job" : "tree");
    cJSON_AddStringToObject(run, "cpu_method", rr->cpu_method);
    cli_json_add_num(run, "memory_peak_gb", st->mem_peak_gb);
    if (rr->rapl_missing) {
        cJSON_AddNullToObject(run, "rapl_energy_kwh");
        cJSON_AddStringToObject(run, "rapl_missing", rr->rapl_missing);
    } else {
        cli_json_add_num(run, "rapl_energy_kwh", st->rapl_j / 3.6e6);
        cJSON_AddNullToObject(run, "rapl_missing");
    }
    if (rr->gpu_source)
        cJSON_AddStringToObject(run, "gpu_source", rr->gpu_source);
    else
        cJSON_AddNullToObject(run, "gpu_source");
    cli_json_add_num(run, "idle_rows", st->idle_rows);
    if (!rr->gpu_source)
        cJSON_AddStringToObject(run, "gpu_missing", rr->gpu_missing);
    cJSON_AddStringToObject(run, "memory_source", rr->mem_source);
    m = cJSON_AddArrayToObject(run, "gpus");
    for (i = 0; i < (int)st->n_gpus; i++) {
        cJSON *g = cJSON_CreateObject();
        cli_json_add_num(g, "index", i);
        cJSON_AddStringToObject(g, "name", st->gpu_name[i]);
        cJSON_AddBoolToObject(g, "energy_counter", st->gpu_counter[i]);
        cli_json_add_num(g, "memory_peak_gb", st->gpu_mem_peak_gb[i]);
        cli_json_add_num(g, "missing_readings", (double)st->gpu_missing[i]);
        cJSON_AddBoolToObject(g, "used_by_tree", st->gpu_tree[i]);
        cJSON_AddItemToArray(m, g);
    }
    m = cJSON_AddArrayToObject(run, "gpus_of_tree");
    for (i = 0; i < (int)st->n_gpus; i++)
        if (st->gpu_tree[i])
            cJSON_AddItemToArray(m, cli_json_number(i));
    if (rr->measured)
        cJSON_AddItemToObject(run, "measured", cJSON_Duplicate(rr->measured, 1));
    else
        cJSON_AddNullToObject(run, "measured");
    {
        est_model_ga_inputs ga;
        if (paste_values(&ga, rr) == 0) {
            m = cJSON_AddObjectToObject(run, "values_to_paste");
            cli_json_add_num(m, "runtime_h", ga.runtime_h);
            cli_json_add_num(m, "cores", ga.cores);
            cli_json_add_num(m, "core_usage_frac", ga.core_usage_frac);
            cli_json_add_num(m, "memory_gb", ga.memory_gb);
            cli_json_add_num(m, "gpus", ga.gpus);
            if (ga.gpus)
                cli_json_add_num(m, "gpu_usage_frac", ga.gpu_usage_frac);
            else
                cJSON_AddNullToObject(m, "gpu_usage_frac");
        } else {
            cJSON_AddNullToObject(run, "values_to_paste");
        }
    }
    return run;
}

/* The estimate's JSON text with "run" added as its last member. The
   estimate's text is kept as it is (its numbers are printed the shortest
   way, which a parse and print again would not keep): the run object, printed
   by cJSON with the same layout, goes before the final brace. */
static char *splice_run(const char *json, const run_report *rr)
{
    cJSON *run = run_json(rr);
    char *r = run ? cJSON_Print(run) : NULL, *out = NULL, *o;
    const char *end = strrchr(json, '}'), *p;
    size_t tabs = 0;
    cJSON_Delete(run);
    if (!r || !end) {
        free(r);
        return NULL;
    }
    for (p = r; *p; p++)
        tabs += *p == '\n';
    out = malloc(strlen(json) + strlen(r) + tabs + 32);
    if (out) {
        const char *q = end;
        while (q > json && (q[-1] == '\n' || q[-1] == ' ' || q[-1] == '\t'))
            q--; /* the end of the last member */
        o = out + (q - json);
        memcpy(out, json, (size_t)(q - json));
        o += sprintf(o, ",\n\t\"run\":\t");
        for (p = r; *p; p++) {
            *o++ = *p;
            if (*p == '\n')
                *o++ = '\t'; /* one level deeper */
        }
        sprintf(o, "\n}\n");
    }
    free(r);
    return out;
}

/* Reads a whole fd from its start. */
static char *slurp_fd(int fd)
{
    size_t cap = 65536, len = 0;
    char *b = malloc(cap);
    ssize_t n;
    if (!b || lseek(fd, 0, SEEK_SET) != 0) {
        free(b);
        return NULL;
    }
    while ((n = read(fd, b + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (len + 1 == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                return NULL;
            }
            b = nb;
            cap *= 2;
        }
    }
    b[len] = '\0';
    return b;
}

static int write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = write(fd, s, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        s += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The estimate's output as text (*text, malloc), fn(est, user) called on
   the estimate (NULL: none). Returns 0 or its exit status. */
static int estimate_text_with(char **av, int ac, char **text, cli_estimate_fn fn, void *user)
{
    FILE *tmp = tmpfile(); /* the estimate's output, read back */
    int rc;
    *text = NULL;
    if (!tmp) {
        cli_msg("temporary file: %s", strerror(errno));
        return CLI_EX_IOERR;
    }
    rc = estimate_to_fd_with(ac, av, fileno(tmp), fn, user);
    *text = rc == 0 ? slurp_fd(fileno(tmp)) : NULL;
    fclose(tmp);
    if (rc)
        return rc;
    return *text ? 0 : CLI_EX_SOFTWARE;
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsRaw(v) && strcmp(v->valuestring, "null") != 0)
        return strtod(v->valuestring, NULL); /* cli_json_add_num's shortest digits */
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* One row of run.measured: what was measured beside the model's figure for
   the same part, and model / measured (est_estimate_measured_compare). */
static cJSON *measured_part(const est_measured_part *p, const char *by, const char *model)
{
    cJSON *o = cJSON_CreateObject();
    cli_json_add_num(o, "measured_kwh", p->measured_kwh);
    cJSON_AddStringToObject(o, "measured_by", by);
    if (p->model_kwh != EST_UNSET)
        cli_json_add_num(o, "model_kwh", p->model_kwh);
    else
        cJSON_AddNullToObject(o, "model_kwh");
    cJSON_AddStringToObject(o, "model", model);
    if (p->ratio != EST_UNSET)
        cli_json_add_num(o, "ratio", p->ratio);
    else
        cJSON_AddNullToObject(o, "ratio");
    return o;
}

/* run.measured (docs/run.md, "Measured against the model"): the CPU
   packages' energy (RAPL) and the GPUs' (NVML, from the log) beside Green
   Algorithms' model for the same run, as est_estimate_measured_compare
   gives them for the estimate of the run's log. NULL: nothing measured. */
static cJSON *measured_json(const run_report *rr, const est_estimate *est)
{
    const run_stats *st = rr->st;
    est_measured_figures in = {EST_MEASURED_FIGURES_VERSION, 0.0, EST_UNSET, 0};
    est_measured_compare c;
    cJSON *m;
    if (rr->rapl_missing && !rr->gpu_source)
        return NULL;
    in.cpu_s = st->cpu_s;
    in.cpu_energy_kwh = rr->rapl_missing ? EST_UNSET : st->rapl_j / 3.6e6;
    in.gpus = rr->gpu_source != NULL;
    c.version = EST_MEASURED_COMPARE_VERSION;
    if (est_estimate_measured_compare(&c, est, &in) < 0)
        return NULL;
    m = cJSON_CreateObject();
    if (!m)
        return NULL;
    if (c.cpu.present)
        cJSON_AddItemToObject(m, "cpu", measured_part(&c.cpu, "RAPL package energy (the whole "
                                                      "packages, every process)",
                                                      "Green Algorithms: CPU-s measured x TDP "
                                                      "per core"));
    else
        cJSON_AddNullToObject(m, "cpu");
    if (c.gpu.present)
        cJSON_AddItemToObject(m, "gpu", measured_part(&c.gpu, rr->gpu_source,
                                                      "Green Algorithms: TDP x mean "
                                                      "utilisation, each GPU over its covered "
                                                      "time"));
    else
        cJSON_AddNullToObject(m, "gpu");
    if (c.cpu_gpu.present)
        cJSON_AddItemToObject(m, "cpu_gpu", measured_part(&c.cpu_gpu, "the two above",
                                                          "the two above"));
    else
        cJSON_AddNullToObject(m, "cpu_gpu");
    cJSON_AddStringToObject(m, "note",
                            "The estimate above already uses the measured figures (basis "
                            "measured); the model's figures are what Green Algorithms would "
                            "give for the same run. Both before PUE. ratio = model / "
                            "measured: above 1 the model overestimates.");
    return m;
}

/* The estimate's callback: run.measured from the estimate itself. */
static void after_estimate(const est_estimate *est, void *user)
{
    run_report *rr = user;
    cJSON_Delete(rr->measured);
    rr->measured = measured_json(rr, est);
}

/* Prints run.measured (text report). */
static void print_measured(FILE *f, const cJSON *m)
{
    static const char *const parts[] = {"cpu", "gpu", "cpu_gpu"};
    static const char *const names[] = {"CPU packages", "GPUs", "CPU + GPUs"};
    size_t i;
    if (!m)
        return;
    fprintf(f, "Measured against the model (Green Algorithms, before PUE):\n");
    for (i = 0; i < 3; i++) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, parts[i]);
        double x = jnum(p, "model_kwh"), r = jnum(p, "ratio");
        if (!cJSON_IsObject(p))
            continue;
        fprintf(f, "  %-13s measured %.4g Wh", names[i], jnum(p, "measured_kwh") * 1000.0);
        if (isfinite(x))
            fprintf(f, ", model %.4g Wh", x * 1000.0);
        else
            fprintf(f, ", model unknown (no TDP)");
        if (isfinite(r))
            fprintf(f, ", model / measured %.3g", r);
        fputc('\n', f);
    }
}

/* The full report (--output): the estimate's JSON plus "run", its CSV
   plus the run's columns, or its HTML page plus the section "The run".
   Written atomically (est_fs_write_atomic; '-': stdout). */
static int write_output(const run_report *rr, char **av, int ac)
{
    char *text, *out = NULL;
    int rc;
    const char *path = rr->o->output;
    if ((rc = estimate_text_with(av, ac, &text, NULL, NULL)) != 0)
        return rc;
    if (rr->o->format == CLI_FORMAT_HTML) {
        cJSON *run = run_json(rr);
        out = cli_html_run_page(text, run);
        cJSON_Delete(run);
    } else if (rr->o->format == CLI_FORMAT_JSON)
        out = splice_run(text, rr); else if (rr->o->format == CLI_FORMAT_CSV) {
        /* header line and data line(s): the run's columns at the end */
        size_t cap = strlen(text) + 4096, len = 0;
        char *p = text, *nl;
        int line = 0;
        out = malloc(cap);
        while (out && (nl = strchr(p, '\n')) != NULL) {
            len += (size_t)snprintf(out + len, cap - len, "%.*s", (int)(nl - p), p);
            if (line++ == 0)
                len += (size_t)snprintf(out + len, cap - len, ",run_exit_status,"
                                        "run_interval_s,run_samples,run_monitor_cpu_s,"
                                        "run_cpu_s\n");
            else
                len += (size_t)snprintf(out + len, cap - len, ",%d,%.17g,%lu,%.6f,%.6f\n",
                                        rr->st->status, rr->o->interval_s,
                                        rr->st->samples, rr->monitor_cpu_s, rr->st->cpu_s);
            p = nl + 1;
        }
    } else {
        out = strdup(text);
    }
    free(text);
    if (!out)
        return CLI_EX_SOFTWARE;
    if (strcmp(path, "-") == 0) {
        rc = write_all(1, out, strlen(out)) || (out[strlen(out) - 1] != '\n' &&
                                                write_all(1, "\n", 1))
                 ? CLI_EX_IOERR : 0;
    } else {
        est_error err;
        size_t len = strlen(out);
        int nl = len == 0 || out[len - 1] != '\n';
        if (nl) {
            char *o2 = realloc(out, len + 2);
            if (o2) {
                out = o2;
                memcpy(out + len, "\n", 2);
                len++;
            }
        }
        rc = 0;
        if (est_fs_write_atomic(path, out, len, 0644, &err)) {
            cli_msg("--output: %s", err.message);
            rc = CLI_EX_IOERR;
        }
    }
    free(out);
    return rc;
}

/* ---- main --------------------------------------------------------------- */

/* CMD did not run: everything is released; the log (header and idle rows
   only) is removed when unlink_log is given. */
static void abandon(sampler *s, const struct sigaction old[5], const char *unlink_log)
{
    close(s->sink.fd);
    if (unlink_log)
        unlink(unlink_log);
    est_samples_writer_free(s->w);
    restore_handlers(old);
    cli_gpus_free(s->gpus);
    if (s->helper)
        waitpid(s->helper, NULL, 0);
    cli_rapl_free(s->rapl);
    cli_mon_free(s->mon);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
}

static void report(run_report *rr, const char *idle_until)
{
    char *av[PASS_MAX + 16];
    int ac = estimate_argv(rr->o, rr->log, idle_until, NULL, av), rc;
    /* the estimate, as `ecoest --samples LOG` prints it, on stderr */
    fprintf(stderr, "\n");
    rc = estimate_to_fd(ac, av, 2);
    if (rc == CLI_EX_DATAERR && !rr->o->have_cpu) {
        /* the implicit --cpu auto did not resolve this machine's CPU: the
           estimate without the CPU rather than none */
        cli_warn("run: the CPU is not counted: --cpu auto did not resolve this machine's "
                 "CPU (above); give --cpu MODEL or --cpu-tdp-per-core W, or replay the "
                 "log with them");
        rr->o->have_cpu = 1; /* no implicit --cpu auto from here on */
        ac = estimate_argv(rr->o, rr->log, idle_until, NULL, av);
        fprintf(stderr, "\n");
        rc = estimate_to_fd(ac, av, 2);
    }
    if (rc)
        cli_msg("run: the estimate failed (exit %d); the log %s is complete", rc, rr->log);
    if (!rc && (!rr->rapl_missing || rr->gpu_source)) {
        /* what was measured against the model: from the estimate's JSON */
        char *text = NULL;
        ac = estimate_argv(rr->o, rr->log, idle_until, "json", av);
        if (estimate_text_with(av, ac, &text, after_estimate, rr) != 0) {
            cJSON_Delete(rr->measured);
            rr->measured = NULL;
        }
        free(text);
        ac = estimate_argv(rr->o, rr->log, idle_until, NULL, av);
    }
    print_summary(stderr, rr, av);
    if (rr->o->output) {
        const char *fmt = rr->o->format == CLI_FORMAT_CSV ? "csv" :
                          rr->o->format == CLI_FORMAT_TEXT ? "text" :
                          rr->o->format == CLI_FORMAT_HTML ? "html" : "json";
        ac = estimate_argv(rr->o, rr->log, idle_until, fmt, av);
        if (write_output(rr, av, ac))
            cli_msg("run: no report written to %s", rr->o->output);
    }
}

/* Everything one run holds. */
typedef struct run_ctx {
    run_opts o;
    run_stats st;
    sampler s;
    char log[4096], why_mon[512], why_gpu[512], why_rapl[512];
    char idle_until[40], gpu_src[96];
    struct sigaction old[5];
    sigset_t old_mask;
    int fg_tty;
} run_ctx;

/* The sources: the monitor (its scope, else the tree), RAPL, the GPUs. */
static int open_sources(run_ctx *c)
{
    const char *nvml_lib = getenv("ECOEST_TEST_NVML_LIB");
    const char *powercap = getenv("ECOEST_TEST_POWERCAP_ROOT");
    sampler *s = &c->s;
    double tried_s = 0.0; /* pollers tried and stopped: the monitor's CPU */
    pid_t helper = 0;
    if (cli_mon_open(&s->mon, c->o.scope, c->why_mon, sizeof c->why_mon)) {
        cli_warn("%s: counting CMD's process tree instead", c->why_mon);
        c->o.scope = CLI_MON_TREE;
        if (cli_mon_open(&s->mon, c->o.scope, c->why_mon, sizeof c->why_mon)) {
            cli_msg("%s", c->why_mon);
            return CLI_EX_SOFTWARE;
        }
    }
    if (cli_rapl_open(&s->rapl, powercap ? powercap : "/sys/class/powercap", c->why_rapl,
                      sizeof c->why_rapl))
        s->rapl = NULL;
    s->n_gpus = cli_gpus_open(&s->gpus, nvml_lib, c->o.interval_s, &helper, &tried_s,
                              c->why_gpu, sizeof c->why_gpu);
    s->helper_cpu_s += tried_s;
    cli_mon_helper_reaped(s->mon, tried_s);
    s->helper = helper;
    c->st.n_gpus = s->n_gpus;
    if (helper)
        cli_mon_exclude(s->mon, helper);
    return 0;
}

/* Before CMD: the sources, the log, the signal handlers, the GPUs' idle.
   Returns 0, or an exit status (everything released). */
static int run_prepare(run_ctx *c)
{
    sampler *s = &c->s;
    int rc = open_sources(c), i;
    if (rc) {
        cli_gpus_free(s->gpus);
        cli_rapl_free(s->rapl);
        cli_mon_free(s->mon);
        return rc;
    }
    s->sink.fd = open_log(c->o.log, c->log, sizeof c->log);
    if (s->sink.fd < 0 || pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK)) {
        if (s->sink.fd >= 0) {
            cli_msg("pipe: %s", strerror(errno));
            close(s->sink.fd);
            unlink(c->log);
        }
        cli_gpus_free(s->gpus);
        cli_rapl_free(s->rapl);
        cli_mon_free(s->mon);
        return s->sink.fd < 0 ? CLI_EX_IOERR : CLI_EX_SOFTWARE;
    }
    install_handlers(c->old);
    sigprocmask(SIG_SETMASK, NULL, &c->old_mask);
    rc = open_writer(s);
    if (rc == 0 && s->n_gpus) {
        double idle = c->o.have_idle ? c->o.idle_s : IDLE_DEFAULT_S;
        if (idle > 0.0)
            rc = measure_idle(s, idle);
    }
    if (rc) {
        abandon(s, c->old, NULL);
        return CLI_EX_IOERR;
    }
    for (i = 0; i < 4; i++)
        if (pending_sig[i]) {
            /* interrupted while measuring the idle: CMD is not started */
            cli_msg("run: %s before CMD started: not run", strsignal(forwarded[i]));
            abandon(s, c->old, c->log);
            return 128 + forwarded[i];
        }
    return 0;
}

static void terminal_back(const run_ctx *c)
{
    if (c->fg_tty) {
        tcsetpgrp(0, getpgrp());
        signal(SIGTTOU, SIG_DFL);
    }
}

/* Launches CMD and samples it until it ends. Returns 0, or an exit status
   when CMD could not be started (everything released, no log). */
static int run_command(run_ctx *c)
{
    sampler *s = &c->s;
    int fail = 0;
    pid_t cmd;
    /* the terminal goes to CMD's group when we hold it (an interactive CMD) */
    c->fg_tty = isatty(0) && tcgetpgrp(0) == getpgrp();
    c->st.t0 = now_unix();
    cmd = launch(&c->o, s->mon, &c->old_mask, c->fg_tty, &fail);
    if (cmd < 0) {
        terminal_back(c);
        abandon(s, c->old, c->log); /* nothing ran: no log */
        return fail;
    }
    if (c->st.idle_rows)
        fmt_time(c->idle_until, sizeof c->idle_until, c->st.idle_end);
    if (monitor_loop(s, cmd)) {
        /* the log failed: keep waiting for the command, forward signals */
        while (!reap(s, cmd, &c->st)) {
            struct pollfd pfd = {wake_pipe[0], POLLIN, 0};
            poll(&pfd, 1, 1000);
            forward_signals(cmd);
        }
    }
    c->st.t_end = s->t_prev;
    terminal_back(c);
    return 0;
}

/* CMD ended: the log closed, the poller reaped, --gpus-of-tree applied. */
static void run_finish(run_ctx *c)
{
    sampler *s = &c->s;
    run_stats *st = &c->st;
    double peak;
    fsync(s->sink.fd);
    close(s->sink.fd);
    est_samples_writer_free(s->w);
    if (s->gpus) {
        unsigned i;
        snprintf(c->gpu_src, sizeof c->gpu_src, "%s", cli_gpus_source(s->gpus));
        for (i = 0; i < s->n_gpus; i++) {
            snprintf(st->gpu_name[i], sizeof st->gpu_name[i], "%s",
                     cli_gpus_name(s->gpus, i));
            st->gpu_counter[i] = cli_gpus_has_counter(s->gpus, i);
        }
    }
    cli_gpus_free(s->gpus); /* stops the poller */
    s->gpus = NULL;
    if (s->helper) {
        struct rusage ru;
        if (wait4(s->helper, NULL, 0, &ru) == s->helper)
            helper_reaped(s, &ru);
    }
    restore_handlers(c->old);
    if (c->o.gpus_of_tree && s->n_gpus && !any_tree_gpu(st)) {
        /* no process lists (nvidia-smi, amd-smi), or none showed the tree
           (NVML in a container may list the host's pids): all are kept */
        cli_warn("--gpus-of-tree: no GPU showed a process of CMD's tree (%s): every GPU "
                 "is counted", c->gpu_src[0] ? c->gpu_src : "no GPU source");
    } else if (c->o.gpus_of_tree && s->n_gpus) {
        int kept = keep_tree_gpus(c->log, st->gpu_tree);
        if (kept < 0)
            cli_warn("--gpus-of-tree: the log could not be rewritten: it keeps every GPU");
        st->gpus_dropped = kept >= 0 ? (int)s->n_gpus - kept : 0;
    }
    /* the cgroup's own peak sees between the samples */
    peak = cli_mon_peak_gb(s->mon);
    if (peak > st->mem_peak_gb)
        st->mem_peak_gb = peak;
    st->mem_peak_cgroup = peak >= 0.0;
}

int cli_run_main(int argc, char **argv)
{
    run_ctx *c = calloc(1, sizeof *c);
    run_report rr;
    int rc, status;
    if (!c) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    rc = parse_args(argc, argv, &c->o);
    if (rc) {
        free(c);
        if (rc == 1) {
            fputs(usage_text, stdout);
            return fflush(stdout) ? CLI_EX_IOERR : 0;
        }
        return CLI_EX_USAGE;
    }
    c->s.o = &c->o;
    c->s.st = &c->st;
    c->s.sink.fd = -1;
    c->st.ncpu = cli_mon_cpus();
    if ((rc = run_prepare(c)) != 0 || (rc = run_command(c)) != 0) {
        free(c);
        return rc;
    }
    run_finish(c);
    memset(&rr, 0, sizeof rr);
    rr.o = &c->o;
    rr.st = &c->st;
    rr.log = c->log;
    rr.cpu_method = cli_mon_method(c->s.mon);
    rr.mem_source = cli_mon_memory_source(c->s.mon);
    rr.gpu_source = c->gpu_src[0] ? c->gpu_src : NULL;
    rr.gpu_missing = c->why_gpu;
    rr.rapl_missing = c->s.rapl ? NULL : c->why_rapl;
    rr.rapl_domains = cli_rapl_domains(c->s.rapl);
    rr.monitor_cpu_s = monitor_cpu_s(&c->s);
    if (c->st.samples)
        report(&rr, c->idle_until[0] ? c->idle_until : NULL);
    else
        cli_msg("run: no sample was taken; the log %s has no data", c->log);
    cJSON_Delete(rr.measured);
    cli_rapl_free(c->s.rapl);
    cli_mon_free(c->s.mon);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    status = c->st.status;
    free(c);
    return status;
}
