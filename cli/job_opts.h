/* The job's hardware options shared by `ecoest where` and `ecoest when`
 * (a small subset of the estimate's, with the same names). */
#ifndef ECOEST_CLI_JOB_OPTS_H
#define ECOEST_CLI_JOB_OPTS_H

#include <getopt.h>

#include "ecoest/model.h"

enum {
    CLI_JOB_CORES = 500, CLI_JOB_CPU_TDP, CLI_JOB_CPU_TDP_PER_CORE, CLI_JOB_CPU_USAGE,
    CLI_JOB_GPUS, CLI_JOB_GPU_TDP, CLI_JOB_GPU_USAGE, CLI_JOB_MEMORY
};

/* The getopt_long entries, to put in a command's option table. */
#define CLI_JOB_LONG_OPTIONS                                                         \
    {"cores", required_argument, NULL, CLI_JOB_CORES},                               \
    {"cpu-tdp", required_argument, NULL, CLI_JOB_CPU_TDP},                           \
    {"cpu-tdp-per-core", required_argument, NULL, CLI_JOB_CPU_TDP_PER_CORE},         \
    {"cpu-usage", required_argument, NULL, CLI_JOB_CPU_USAGE},                       \
    {"gpus", required_argument, NULL, CLI_JOB_GPUS},                                 \
    {"gpu-tdp", required_argument, NULL, CLI_JOB_GPU_TDP},                           \
    {"gpu-usage", required_argument, NULL, CLI_JOB_GPU_USAGE},                       \
    {"memory", required_argument, NULL, CLI_JOB_MEMORY}

typedef struct cli_job {
    est_model_inputs in;   /* runtime, runs and PUE are the command's */
    double cpu_tdp;
    int have_cpu_tdp, have_per_core, given;
} cli_job;

void cli_job_init(cli_job *j);
/* Handles one option: 1 done, 0 not a job option, -1 bad value (message
   printed). */
int cli_job_option(cli_job *j, int opt, const char *arg);
/* Checks the combination and fills the per-core TDP: 0 or -1 (message). */
int cli_job_finish(cli_job *j);

/* --help lines of the job options. */
extern const char cli_job_usage[];

#endif
