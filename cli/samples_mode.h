/* ecoest --samples: read sample logs, integrate them, and turn the result
 * into the model's inputs and the report's "samples" section. */
#ifndef ECOEST_CLI_SAMPLES_MODE_H
#define ECOEST_CLI_SAMPLES_MODE_H

#include "cli.h"
#include "ecoest/samples.h"

/* One --samples FILE with its per-file options: those given after it (before
   the next --samples), or, when none precedes them or it has its own, those
   given before it. */
typedef struct cli_samples_file {
    const char *host;   /* --samples HOST=FILE, or NULL */
    const char *path;   /* "-": standard input */
    const char *columns; /* --columns, or NULL */
    est_samples_format format; /* --samples-format */
    int have_format;
} cli_samples_file;

/* Everything the samples path takes from the command line. */
typedef struct cli_samples_opts {
    size_t n_files;        /* any number (issue 14 #28) */
    cli_samples_file *files; /* kept for the process's life */
    size_t cap_files;
    /* per-file options waiting for the next --samples */
    const char *pending_columns;
    int have_pending_format;
    est_samples_format pending_format;

    const char *tz, *start, *end, *idle_until, *write_path;
    double interval_s, max_gap_s;
    int have_interval, have_max_gap;
    est_samples_fill fill;
    int have_fill;
    int skip_bad_rows;
    int want_bins; /* keep 15-minute energy bins (--live: an energy-weighted
                      carbon intensity); off, the integration is faster */
} cli_samples_opts;

/* One host of the report: its name, files and own integration. */
typedef struct cli_samples_host {
    char name[EST_SAMPLES_HOST_MAX + 1];
    size_t n_files;
    unsigned gpu_first;       /* its GPUs' first index in the total */
    est_samples_result res;
} cli_samples_host;

/* The samples part of the report (owned by the caller of cli_samples_read). */
typedef struct cli_samples_report {
    size_t n_files;                     /* in the order read: by host, then time */
    char (*files)[EST_ERROR_FILE_MAX];
    est_samples_format *formats;
    unsigned *gpus_by_position; /* nvidia-smi without index: GPUs per tick, else 0 */
    size_t *file_host;          /* each file's host (an index of hosts) */
    /* The hosts (--samples HOST=FILE); one host "" without names. res is
       the total over them (est_samples_set). */
    size_t n_hosts;
    cli_samples_host *hosts;
    est_samples_result res;
    est_samples_read_stats stats;
    est_samples_fill fill;
    double cpu_usage_model_frac; /* as given to the model; < 0 when unused */
    double cpu_from_usage_w;     /* cores x TDP/core x usage, < 0 when unknown */
    int cpu_measured;            /* the model got the package power */
    char equivalent[600];        /* equivalent manual inputs */
} cli_samples_report;

/* Parses one samples option (returns 1 when opt is not one, 0 when taken,
   -1 with a message printed). Keeps parse_args small. */
int cli_samples_option(cli_samples_opts *so, int opt, const char *arg);

/* After parsing: a per-file option that applies to no --samples is a usage
   error. Returns 0 or -1 with a message printed. */
int cli_samples_finish_args(cli_samples_opts *so);

/* The getopt_long values of the samples options (kept next to the others'). */
enum {
    CLI_OPT_SAMPLES = 1000, CLI_OPT_SAMPLES_FORMAT, CLI_OPT_COLUMNS, CLI_OPT_TZ,
    CLI_OPT_INTERVAL, CLI_OPT_START, CLI_OPT_END, CLI_OPT_IDLE_UNTIL, CLI_OPT_MAX_GAP,
    CLI_OPT_FILL, CLI_OPT_SKIP_BAD_ROWS, CLI_OPT_WRITE_SAMPLES
};

typedef struct cli_samples_run cli_samples_run;

/* Reads and integrates every file. gpu_idle_w: --gpu-idle or EST_UNSET.
   Returns 0 or an exit status (message printed). */
int cli_samples_read(const cli_samples_opts *so, double gpu_idle_w, cli_samples_run **run);

/* The integration handle, for est_estimate_options.samples (the pipeline
   maps it to the model's inputs). */
est_samples *cli_samples_handle(cli_samples_run *run);
/* "1 sample log", "3 sample logs": how the report names the source. */
const char *cli_samples_label(cli_samples_run *run);
/* The report's samples section (owned by run). */
const cli_samples_report *cli_samples_report_of(cli_samples_run *run);

struct cli_report;
/* Completes the report after the estimate ran: the integration with the
   idle powers the pipeline set, the CPU usage it took from the log, the
   equivalent manual inputs. */
void cli_samples_after_model(cli_samples_run *run, const est_estimate *est,
                             struct cli_report *r);

/* --write-samples: converts the input to ecoest's format. Returns an exit
   status (message printed). */
int cli_samples_convert(const cli_samples_opts *so);

void cli_samples_run_free(cli_samples_run *run);

/* The logs read again, each row to fn (as --write-samples' pass 2; standard
   input skipped), for the charts of --format html. Returns 0 or an exit
   status (message printed). */
int cli_samples_each_row(const cli_samples_opts *so, est_samples_row_fn fn, void *user);

/* The usage text lines of the samples options. */
extern const char cli_samples_usage[];

#endif
