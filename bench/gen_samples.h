/* Synthetic ecoest sample logs for the benchmarks. */
#ifndef ECOEST_BENCH_GEN_SAMPLES_H
#define ECOEST_BENCH_GEN_SAMPLES_H

#include <stddef.h>

/* Writes rows rows of time_unix_s,cpu_usage_frac,ram_used_gb,gpu0_power_w,
   gpu1_power_w (1 s apart, ~40 bytes each) to path. Returns 0 or -1. */
int gen_samples_write(const char *path, unsigned long rows);

/* An nvidia-smi CSV log of rows rows (gpus GPUs per tick, one tick a
   second from 2023-01-01 00:00:00, zone-less times); "-" writes stdout. */
int gen_nvsmi_write(const char *path, unsigned long rows, unsigned gpus);

#endif
