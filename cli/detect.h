/* --cpu auto and --gpu auto: what hardware this machine has. */
#ifndef ECOEST_CLI_DETECT_H
#define ECOEST_CLI_DETECT_H

#include <stddef.h>

/* Seconds --gpu auto waits for nvidia-smi before giving up (exit 75). */
#define CLI_NVIDIA_SMI_TIMEOUT_S 5

/*
 * The local CPU's brand string: the first non-empty "model name" line of
 * $ECOEST_CPUINFO (a test/advanced hook) or /proc/cpuinfo, into brand; the
 * file read into src. *n_cpus: the CPUs in this process's affinity mask
 * (sched_getaffinity), i.e. hardware threads it may run on.
 * Returns 0, or an exit status with a message printed (66 no file, 65 no
 * non-empty model name line, 74 read error).
 */
int cli_detect_cpu(char *brand, size_t brand_size, char *src, size_t src_size,
                   unsigned *n_cpus);

/*
 * The local GPUs: runs `nvidia-smi --query-gpu=name --format=csv,noheader`
 * ($ECOEST_NVIDIA_SMI replaces nvidia-smi: a test/advanced hook) and waits
 * at most CLI_NVIDIA_SMI_TIMEOUT_S. name: the model (all GPUs must be the
 * same model); *count: the number of GPUs (lines). src: what was run.
 * Returns 0, or an exit status with a message printed: 69 nvidia-smi not
 * installed or failing, 65 no GPU or different models, 75 timeout.
 */
int cli_detect_gpu(char *name, size_t name_size, char *src, size_t src_size,
                   unsigned *count);

#endif
