/* ecoest --samples: read sample logs, integrate them, and turn the result
 * into the model's inputs and the report's "samples" section. */
#ifndef ECOEST_CLI_SAMPLES_MODE_H
#define ECOEST_CLI_SAMPLES_MODE_H

#include "cli.h"
#include "ecoest/samples.h"

#define CLI_SAMPLES_FILES_MAX 16

/* One --samples FILE with its per-file options: those given after it (before
   the next --samples), or, when none precedes them or it has its own, those
   given before it. */
typedef struct cli_samples_file {
    const char *path;   /* "-": standard input */
    const char *columns; /* --columns, or NULL */
    est_samples_format format; /* --samples-format */
    int have_format;
} cli_samples_file;

/* Everything the samples path takes from the command line. */
typedef struct cli_samples_opts {
    size_t n_files;
    cli_samples_file files[CLI_SAMPLES_FILES_MAX];
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

/* The samples part of the report (owned by the caller of cli_samples_read). */
typedef struct cli_samples_report {
    size_t n_files;
    char files[CLI_SAMPLES_FILES_MAX][EST_ERROR_FILE_MAX];
    est_samples_format formats[CLI_SAMPLES_FILES_MAX];
    unsigned gpus_by_position[CLI_SAMPLES_FILES_MAX]; /* nvidia-smi without index:
                                                         GPUs per tick, else 0 */
    est_samples_result res;
    est_samples_read_stats stats;
    est_samples_fill fill;
    double cpu_usage_model_frac; /* as given to the model; < 0 when unused */
    double cpu_from_usage_w;     /* cores x TDP/core x usage, < 0 when unknown */
    int cpu_measured;            /* the model got the package power */
    char equivalent[600];        /* equivalent manual inputs */
    char gpu_names[EST_SAMPLES_GPUS_MAX][EST_NAME_MAX]; /* hwdb model or "" */
    double gpu_tdp_w[EST_SAMPLES_GPUS_MAX];            /* 0 unknown */
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

/* The manual options that matter once the samples are read. */
typedef struct cli_samples_manual {
    const char *gpu;   /* --gpu or NULL */
    int cores_from_log; /* --cores was not given: the log's largest cpu_cores */
    int have_cpu_usage, have_memory, have_gpu_power, have_gpu_usage, have_gpus;
    double memory_gb;
} cli_samples_manual;

/* 1 when the samples hold GPU power (then the GPU comes from them). */
int cli_samples_has_gpu_power(const cli_samples_run *run);
/* The largest cpu_cores the log gives, or 0. */
unsigned cli_samples_log_cores(const cli_samples_run *run);

struct cli_report;
/* Fills the model inputs from the samples (CPU usage or measured power,
   memory, GPUs, runtime) and the report's lines. db may be NULL. Returns 0
   or an exit status (message printed). */
int cli_samples_apply(cli_samples_run *run, const cli_samples_manual *m, const est_hwdb *db,
                      struct cli_report *r, est_model_inputs *in);

/* Completes the report after the model ran (the equivalent inputs). */
void cli_samples_after_model(cli_samples_run *run, struct cli_report *r);

/* --write-samples: converts the input to ecoest's format. Returns an exit
   status (message printed). */
int cli_samples_convert(const cli_samples_opts *so);

void cli_samples_run_free(cli_samples_run *run);

/* The job window the samples were integrated over (Unix seconds). */
void cli_samples_window(const cli_samples_run *run, double *start_unix_s, double *end_unix_s);

/* The carbon intensity of pts weighted by the job's energy in 15-minute
   bins, with the power model of in (cores x TDP per core, memory W/GB,
   scope). Returns 0 or an EST_ code (err says why). */
int cli_samples_weighted_ci(const cli_samples_run *run, const est_model_inputs *in,
                            const est_ci_point *pts, size_t n, est_ci_weighted *out,
                            est_error *err);

/* The usage text lines of the samples options. */
extern const char cli_samples_usage[];

#endif
