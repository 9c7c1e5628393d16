/* The job options of `ecoest where` and `ecoest when`: the estimate's own
 * names and meanings (docs/cli.md), parsed straight into the pipeline's
 * options (est_estimate_options), so that a job estimated at a site or an
 * hour gives exactly the figures of `ecoest ... --format json` for the same
 * inputs. Options that only the estimate has (sample logs, measured
 * energies, the node, detection with auto) are not taken here. */
#ifndef ECOEST_CLI_JOB_OPTS_H
#define ECOEST_CLI_JOB_OPTS_H

#include <getopt.h>

#include "ecoest/pipeline.h"

enum {
    CLI_JOB_CPU = 500, CLI_JOB_CORES, CLI_JOB_CPU_TDP, CLI_JOB_CPU_TDP_PER_CORE,
    CLI_JOB_CPU_USAGE, CLI_JOB_GPU, CLI_JOB_GPUS, CLI_JOB_GPU_TDP, CLI_JOB_GPU_IDLE,
    CLI_JOB_GPU_USAGE, CLI_JOB_GPU_POWER, CLI_JOB_MEMORY, CLI_JOB_MEMORY_W_PER_GB,
    CLI_JOB_SCOPE, CLI_JOB_PLATFORM, CLI_JOB_INCLUDE_EMBODIED, CLI_JOB_PUE, CLI_JOB_WUE,
    CLI_JOB_HOURS, CLI_JOB_MINUTES, CLI_JOB_RUNTIME, CLI_JOB_RUNS,
    CLI_JOB_LAST_ = CLI_JOB_RUNS
};

/* The getopt_long entries of the hardware, the place and the output scope. */
#define CLI_JOB_LONG_OPTIONS                                                         \
    {"cpu", required_argument, NULL, CLI_JOB_CPU},                                   \
    {"cores", required_argument, NULL, CLI_JOB_CORES},                               \
    {"cpu-tdp", required_argument, NULL, CLI_JOB_CPU_TDP},                           \
    {"cpu-tdp-per-core", required_argument, NULL, CLI_JOB_CPU_TDP_PER_CORE},         \
    {"cpu-usage", required_argument, NULL, CLI_JOB_CPU_USAGE},                       \
    {"gpu", required_argument, NULL, CLI_JOB_GPU},                                   \
    {"gpus", required_argument, NULL, CLI_JOB_GPUS},                                 \
    {"gpu-tdp", required_argument, NULL, CLI_JOB_GPU_TDP},                           \
    {"gpu-idle", required_argument, NULL, CLI_JOB_GPU_IDLE},                         \
    {"gpu-usage", required_argument, NULL, CLI_JOB_GPU_USAGE},                       \
    {"gpu-power", required_argument, NULL, CLI_JOB_GPU_POWER},                       \
    {"memory", required_argument, NULL, CLI_JOB_MEMORY},                             \
    {"memory-w-per-gb", required_argument, NULL, CLI_JOB_MEMORY_W_PER_GB},           \
    {"scope", required_argument, NULL, CLI_JOB_SCOPE},                               \
    {"platform", required_argument, NULL, CLI_JOB_PLATFORM},                         \
    {"include-embodied", no_argument, NULL, CLI_JOB_INCLUDE_EMBODIED},               \
    {"pue", required_argument, NULL, CLI_JOB_PUE},                                   \
    {"wue", required_argument, NULL, CLI_JOB_WUE}

/* The runtime entries (ecoest where; ecoest when has --duration instead). */
#define CLI_JOB_RUNTIME_OPTIONS                                                      \
    {"hours", required_argument, NULL, CLI_JOB_HOURS},                               \
    {"minutes", required_argument, NULL, CLI_JOB_MINUTES},                           \
    {"runtime", required_argument, NULL, CLI_JOB_RUNTIME},                           \
    {"runs", required_argument, NULL, CLI_JOB_RUNS}

typedef struct cli_job {
    est_estimate_options eo;  /* what was given; the rest EST_UNSET / NULL */
    double hours, minutes;
    const char *runtime;
    unsigned char seen[CLI_JOB_LAST_ - CLI_JOB_CPU + 1];
    int hardware_given;       /* a CPU, GPU or memory option was given */
    const char *labels[EST_INPUT_COUNT];
} cli_job;

void cli_job_init(cli_job *j);
/* Handles one option: 1 done, 0 not a job option, -1 bad value or given
   twice (message printed). */
int cli_job_option(cli_job *j, int opt, const char *arg);
/* Checks the combination (as the estimate does) and sets the runtime from
   --hours, --minutes or --runtime (need_runtime: one is required). 0, or -1
   with a message. */
int cli_job_finish(cli_job *j, int need_runtime);

/* --help lines of the job options (and of the runtime ones). */
extern const char cli_job_usage[];
extern const char cli_job_runtime_usage[];

#endif
