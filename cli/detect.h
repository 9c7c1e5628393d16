/* --cpu auto and --gpu auto: what hardware this machine has. */
#ifndef ECOEST_CLI_DETECT_H
#define ECOEST_CLI_DETECT_H

#include <stddef.h>
#include <stdio.h>

/* Seconds --gpu auto waits for nvidia-smi before giving up (exit 75). */
#define CLI_NVIDIA_SMI_TIMEOUT_S 5

/*
 * The local CPU's brand string: the first non-empty "model name" line of
 * $ECOEST_CPUINFO (a test/advanced hook) or /proc/cpuinfo, into brand; the
 * file read into src. *n_cpus: the CPUs in this process's affinity mask
 * (sched_getaffinity), i.e. hardware threads it may run on: NOT physical
 * cores (see cli_detect_cpu_count).
 * Returns 0, or an exit status with a message printed (66 no file, 65 no
 * non-empty model name line, 74 read error).
 */
int cli_detect_cpu(char *brand, size_t brand_size, char *src, size_t src_size,
                   unsigned *n_cpus);

/* How cli_detect_cpu_count found the physical cores. */
typedef enum cli_cores_how {
    CLI_CORES_SYSFS = 0,   /* distinct (physical_package_id, core_id) pairs of
                              the CPUs in the affinity mask, from sysfs */
    CLI_CORES_RATIO = 1,   /* sysfs unreadable: logical x model cores / model
                              threads, rounded, at least 1 */
    CLI_CORES_LOGICAL = 2  /* sysfs unreadable and the model's threads
                              unknown: the logical count, as a last resort */
} cli_cores_how;

/* The CPUs this process may run on. */
typedef struct cli_cpu_count {
    unsigned logical_cpus;   /* CPUs (hardware threads) in the affinity mask, >= 1 */
    unsigned physical_cores; /* physical cores they sit on (an estimate unless
                                how is CLI_CORES_SYSFS), >= 1 */
    cli_cores_how how;
    char note[400];          /* one sentence for the report's assumptions:
                                both counts and how the cores were found */
} cli_cpu_count;

/*
 * Counts the CPUs in this process's affinity mask and the physical cores
 * they sit on: distinct (physical_package_id, core_id) pairs read from
 * $ECOEST_SYSFS_CPU (a test/advanced hook) or /sys/devices/system/cpu,
 * cpuN/topology/{physical_package_id,core_id}. When a file is missing or
 * unreadable: logical x model_cores / model_threads (the resolved hwdb
 * row's cores and threads; 0 unknown), else the logical count; out->how and
 * out->note say which. Never fails; prints nothing.
 */
void cli_detect_cpu_count(unsigned model_cores, unsigned model_threads, cli_cpu_count *out);

/* A static word for how: "sysfs", "model-ratio", "logical". */
const char *cli_cores_how_name(cli_cores_how how);

/*
 * The local GPUs: runs `nvidia-smi --query-gpu=index,uuid,name
 * --format=csv,noheader` ($ECOEST_NVIDIA_SMI replaces nvidia-smi: a
 * test/advanced hook) and waits at most CLI_NVIDIA_SMI_TIMEOUT_S. When
 * CUDA_VISIBLE_DEVICES is set, only the GPUs it makes visible count (indices
 * or GPU UUIDs; CUDA ignores the first entry naming no GPU and all after
 * it), since nvidia-smi ignores it. name: the model (all counted GPUs must
 * be the same model); *count: the number of GPUs counted. src: what was
 * run, and, with CUDA_VISIBLE_DEVICES, which GPUs it selects (one line for
 * the report).
 * Returns 0, or an exit status with a message printed: 69 nvidia-smi not
 * installed or failing, 65 no GPU, no visible GPU (CUDA_VISIBLE_DEVICES
 * empty or -1), different models, a MIG instance, or an index selection on
 * a mixed machine without CUDA_DEVICE_ORDER=PCI_BUS_ID; 75 timeout.
 */
int cli_detect_gpu(char *name, size_t name_size, char *src, size_t src_size,
                   unsigned *count);

/* ---- the parsers, on their own (issue 14: fuzzed in tests/fuzz) ---- */

/* The first non-empty "model name" of a /proc/cpuinfo stream, trimmed,
   into brand. Returns 1, 0 when there is none, -1 on a read error. Lines
   over 1023 bytes are read in pieces. */
int cli_cpuinfo_brand(FILE *f, char *brand, size_t brand_size);

/* Physical cores of the CPUs cpus[0..n_cpus): distinct
   (physical_package_id, core_id) pairs read from
   dir/cpuN/topology/{physical_package_id,core_id} (one integer and an
   optional line end each). Returns 0, or -1 when a file is missing or
   malformed, or no CPU is given. */
int cli_sysfs_cores(const char *dir, const size_t *cpus, size_t n_cpus, unsigned *cores);

/*
 * From out, the lines `nvidia-smi --query-gpu=index,uuid,name
 * --format=csv,noheader` printed (split in place), the GPUs this process
 * may use under CUDA_VISIBLE_DEVICES cvd and CUDA_DEVICE_ORDER order (NULL:
 * unset), as cli_detect_gpu says; prog names the program in messages.
 * Returns 0 or an exit status with a message printed.
 */
int cli_gpu_select(char *out, const char *prog, const char *cvd, const char *order,
                   char *name, size_t name_size, char *src, size_t src_size, unsigned *count);

#endif
