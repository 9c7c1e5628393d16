/* Internal helpers of the jobs module (Slurm's field formats). Not part of
 * the API. Each parser reads exactly len bytes and returns 0 or -1 unless
 * said otherwise. */
#ifndef ECOEST_JOBS_INTERNAL_H
#define ECOEST_JOBS_INTERNAL_H

#include <stddef.h>

#include "internal.h"

/* A whole number 0..UINT_MAX, digits only. */
EST_INTERNAL int est__jobs_uint(const char *s, size_t len, unsigned *out);
/* [D-]HH:MM:SS[.fff], MM:SS[.fff]: seconds. */
EST_INTERNAL int est__jobs_duration(const char *s, size_t len, double *out_s);
/* YYYY-MM-DDTHH:MM:SS (zone-less, offset_s = local minus UTC) or a bare
   Unix time: 1 with *out set; "", "Unknown", "None": 0; else -1. */
EST_INTERNAL int est__jobs_time(const char *s, size_t len, long offset_s, double *out);
/* A size "8440K", "1.5G", "0": bytes. A bare number has unit dflt
   ('K', 'M'); K M G T P are powers of 1024. */
EST_INTERNAL int est__jobs_size(const char *s, size_t len, char dflt, double *out_b);
/* ReqMem: a size (default M) with an optional c (per CPU, *per_cpu 1) or
   n (per node) suffix. */
EST_INTERNAL int est__jobs_reqmem(const char *s, size_t len, double *out_b, int *per_cpu);
/* AllocTRES: mem= in bytes (left untouched when absent), GPUs (the
   untyped gres/gpu=N, else the sum of gres/gpu:T=N) and the first type. */
EST_INTERNAL int est__jobs_tres(const char *s, size_t len, double *mem_b, unsigned *gpus,
                                char *gpu_type, size_t type_size);
/* gres/gpuutil=N in a TRES usage list: 1 with *pct, 0 when absent, -1 bad. */
EST_INTERNAL int est__jobs_gpuutil(const char *s, size_t len, double *pct);
EST_INTERNAL int est__jobs_usage_mem(const char *s, size_t len, double *out_b);
/* ConsumedEnergyRaw: 1 with joules; 0 for 0 or Slurm's "no value"
   (>= 2^63); -1 bad. */
EST_INTERNAL int est__jobs_energy(const char *s, size_t len, double *out_j);

/* est__jobs_size and est__jobs_ga_size (dflt the unit of both) in one
   parse: 0 with *out_b when ecoest reads it, *ga_gb EST_UNSET when
   GreenAlgorithms4HPC does not; -1 when ecoest does not. */
EST_INTERNAL int est__jobs_size_both(const char *s, size_t len, char dflt, double *out_b,
                                     double *ga_gb);
/* GreenAlgorithms4HPC's reading of a size, GB: K / 1e6, M / 1e3, G; a bare
   number has unit dflt; T and anything else fail. */
EST_INTERNAL int est__jobs_ga_size(const char *s, size_t len, char dflt, double *out_gb);

#endif
