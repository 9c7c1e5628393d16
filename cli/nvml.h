/* ecoest run: NVIDIA GPUs through NVML, loaded at run time with
 * dlopen("libnvidia-ml.so.1") (no build dependency), else by polling
 * nvidia-smi. docs/run.md. */
#ifndef ECOEST_CLI_NVML_H
#define ECOEST_CLI_NVML_H

#include <stddef.h>
#include <sys/types.h>

#define CLI_GPUS_MAX 16

typedef struct cli_gpus cli_gpus;

/* One GPU at one reading. */
typedef struct cli_gpu_value {
    int ok;             /* 0: the GPU did not answer (lost): a missing reading */
    double power_w;     /* sampled power, W (< 0 unknown) */
    double energy_j;    /* total-energy counter since open, J (< 0 none) */
    double energy_t_s;  /* when the counter was read (CLOCK_MONOTONIC, s): a
                           rate divides by the counter's own time step */
    double usage_frac;  /* utilisation 0..1 (< 0 unknown) */
    double mem_used_gb; /* memory used on the GPU, GB (< 0 unknown) */
    int tree_uses;      /* one of the given pids runs on it (NVML only) */
} cli_gpu_value;

/* Opens the GPUs: NVML from lib (NULL: "libnvidia-ml.so.1"), else
   nvidia-smi, else amd-smi monitor, polled (a child process, started here;
   its pid is *helper_pid, 0 when none). A poller tried and stopped here is
   reaped here, its CPU added to *helper_cpu_s (the monitor's, not the
   command's). Returns the number of GPUs (0: none, why says what was
   tried). */
unsigned cli_gpus_open(cli_gpus **g, const char *lib, double interval_s, pid_t *helper_pid,
                       double *helper_cpu_s, char *why, size_t why_size);

/* Reads every GPU; pids (n of them) are the monitored processes, for
   tree_uses. Returns 0, or -1 when nothing answered. */
int cli_gpus_read(cli_gpus *g, const pid_t *pids, size_t n, cli_gpu_value *v);

unsigned cli_gpus_count(const cli_gpus *g);
const char *cli_gpus_name(const cli_gpus *g, unsigned i);
/* "NVML (libnvidia-ml.so.1)", "nvidia-smi ...", "amd-smi ...": the source. */
const char *cli_gpus_source(const cli_gpus *g);
/* 1 when GPU i has a total-energy counter (its power comes from it). */
int cli_gpus_has_counter(const cli_gpus *g, unsigned i);

/* Stops the poller (when any; the caller reaps it) and frees. NULL ok. */
void cli_gpus_free(cli_gpus *g);

#endif
