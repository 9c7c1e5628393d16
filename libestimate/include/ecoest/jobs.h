/*
 * ecoest/jobs.h - cluster accounting: Slurm job records in, one footprint
 * per job, totals per group out.
 *
 *   est_jobs_reader   streams `sacct --parsable2` text (any column order,
 *                     header required) and merges each job's allocation row
 *                     with its steps into one est_job;
 *   est_cluster       what the partitions are (a cluster file, YAML), with
 *                     the hardware resolved once per partition;
 *   est_jobs_account  one job through est_model_compute: est_jobs_footprint;
 *   est_jobs_agg      totals, by user, account, partition, state, day,
 *                     month and their combinations; memory grows with the
 *                     number of groups, never with the number of jobs.
 *
 * docs/cluster.md describes the cluster file, every rule applied to Slurm's
 * fields and the formulas. No function here prints, reads the environment or
 * starts a process: running sacct is the caller's business.
 */
#ifndef ECOEST_JOBS_H
#define ECOEST_JOBS_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/embodied.h"
#include "ecoest/hwdb.h"
#include "ecoest/model.h"
#include "ecoest/pipeline.h"
#include "ecoest/power.h"
#include "ecoest/zones.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes in bytes, NUL included; a longer value is a bad row. */
#define EST_JOB_ID_MAX 48
#define EST_JOB_FIELD_MAX 64 /* user, account, partition */

/* Slurm's job states (sacct's base state words). */
typedef enum est_jobs_state {
    EST_JOBS_STATE_COMPLETED = 0,
    EST_JOBS_STATE_FAILED,
    EST_JOBS_STATE_TIMEOUT,
    EST_JOBS_STATE_CANCELLED, /* also "CANCELLED by <uid>" */
    EST_JOBS_STATE_OUT_OF_MEMORY,
    EST_JOBS_STATE_NODE_FAIL,
    EST_JOBS_STATE_PREEMPTED,
    EST_JOBS_STATE_BOOT_FAIL,
    EST_JOBS_STATE_DEADLINE,
    EST_JOBS_STATE_REQUEUED,
    EST_JOBS_STATE_PENDING,
    EST_JOBS_STATE_RUNNING,
    EST_JOBS_STATE_SUSPENDED,
    EST_JOBS_STATE_REVOKED,
    EST_JOBS_STATE_RESIZING,
    EST_JOBS_STATE_COUNT
} est_jobs_state;

/* "COMPLETED", ...; "?" for anything else. */
const char *est_jobs_state_name(est_jobs_state s);
/* Parses a State field: a state word, optionally followed by " by <uid>"
   ("CANCELLED by 0") or "+" ("CANCELLED+"). EST_EPARSE otherwise. */
int est_jobs_state_parse(est_jobs_state *out, const char *s, size_t len);
/* 1 when a job in state s has finished as far as sacct's record goes, so
   that its figures will not change: every state but PENDING, RUNNING,
   SUSPENDED and REQUEUED (the job runs again); 0 for those and for a value
   that is not a state. (The end-of-job hook waits for one.) */
int est_jobs_state_finished(est_jobs_state s);

/* One job: its allocation row merged with its steps. A plain value. */
typedef struct est_job {
    char id[EST_JOB_ID_MAX];              /* "123", "123_4", "123+0" */
    char user[EST_JOB_FIELD_MAX];         /* "" when no User column */
    char account[EST_JOB_FIELD_MAX];
    char partition[EST_JOB_FIELD_MAX];
    est_jobs_state state;
    int running;            /* 1: RUNNING (or SUSPENDED), counted up to now */
    int has_start, has_end; /* start_unix_s / end_unix_s are known */
    double submit_unix_s;   /* 0 when unknown */
    double start_unix_s;    /* Start, or Submit when there is no Start column */
    double end_unix_s;      /* End; start + elapsed when not given */
    double elapsed_s;       /* wall time of the allocation */
    unsigned ncpus;         /* NCPUS of the allocation row */
    unsigned nnodes;        /* NNodes; 1 when not given */
    unsigned gpus;          /* AllocTRES gres/gpu=N or sum of gres/gpu:T=N */
    char gpu_type[32];      /* "a100" from gres/gpu:a100=N, else "" */
    char node[EST_JOB_FIELD_MAX]; /* the first node of NodeList ("node[01-04]"
                               gives "node01"); "" when none */
    double total_cpu_s;     /* TotalCPU; the sum over steps when the
                               allocation row says 0 */
    double cpu_time_s;      /* CPUTime (NCPUS x Elapsed); EST_UNSET if absent */
    double req_mem_gb;      /* memory allocated to the whole job, GB (1e9
                               bytes): AllocTRES mem=, else ReqMem (per
                               node x nodes, or per CPU x CPUs) */
    double max_rss_gb;      /* the largest MaxRSS over the steps, GB;
                               EST_UNSET when no step reports one */
    double gpu_util_frac;   /* 0..1 from gres/gpuutil; EST_UNSET: unknown */
    double energy_j;        /* ConsumedEnergyRaw; EST_UNSET: not measured */
    unsigned long line;     /* line of the allocation row */
    unsigned n_steps;       /* step rows merged */
    /* GreenAlgorithms4HPC's readings, for EST_JOBS_METHOD_GA4HPC. It merges
       a job's rows (the allocation row and its steps) by taking the
       largest of each over them, and so do these: ga_req_mem_gb, the
       largest ReqMem in decimal units (M / 1e3, K / 1e6 GB; per node x
       that row's NNodes, per CPU x that row's NCPUS; 0 when no row gives
       one), EST_UNSET when a row's ReqMem does not parse its way (a T); the
       largest MaxRSS so (EST_UNSET: none); the largest untyped gres/gpu=N
       of the rows' AllocTRES (typed ones not counted); and whether any
       row's State is not COMPLETED: 0 none, 1 some, 2 some row is in one
       of its running codes (PD, PENDING, R, RUNNING, RQ, REQUEUED, matched
       exactly): it drops such a job, and est_jobs_account under
       EST_JOBS_METHOD_GA4HPC leaves it out (est_jobs_footprint.left_out). */
    double ga_req_mem_gb;
    double ga_max_rss_gb;
    unsigned ga_gpus;
    int ga_any_row_not_completed;
    /* ... and TotalCPU, CPUTime (each row's NCPUS x Elapsed when there is
       no CPUTime column) and Elapsed, s (0 when no row gives one it can
       read). Not ecoest's reading, which sums the steps' TotalCPU when the
       allocation row says 0. */
    double ga_total_cpu_s, ga_cpu_time_s, ga_elapsed_s;
    /* ... and NCPUS and NNodes (at least the allocation row's). These two
       take the place of the last reserved double: the struct's size and
       every other field's offset are unchanged. */
    unsigned ga_ncpus, ga_nnodes;
} est_job;

typedef enum est_jobs_running {
    EST_JOBS_RUNNING_COUNT = 0, /* counted up to now: RUNNING, Elapsed as
                                   printed, or now - Start when now_unix_s
                                   is set (never less than Elapsed);
                                   SUSPENDED, Elapsed as printed (the time
                                   it ran) */
    EST_JOBS_RUNNING_SKIP = 1   /* left out and counted. Neither applies
                                   under EST_JOBS_METHOD_GA4HPC, where no
                                   job is running (docs/cluster.md) */
} est_jobs_running;

/* The accounting method (est_jobs_account_options.method). */
typedef enum est_jobs_method {
    EST_JOBS_METHOD_ECOEST = 0, /* the default: docs/cluster.md */
    EST_JOBS_METHOD_GA4HPC = 1  /* GreenAlgorithms4HPC's figures */
} est_jobs_method;

#define EST_JOBS_READ_OPTIONS_VERSION 3
typedef struct est_jobs_read_options {
    unsigned version;           /* EST_JOBS_READ_OPTIONS_VERSION */
    est_jobs_running running;   /* default: count them */
    double now_unix_s;          /* > 0: a RUNNING job ends now; 0: it ends
                                   at Start + Elapsed as sacct printed it
                                   (a SUSPENDED job always does) */
    int skip_bad_rows;          /* 1: count a bad row and go on; 0: the first
                                   bad row fails the read with EST_EPARSE */
    long input_utc_offset_s;    /* offset (local minus UTC) of sacct's zone-
                                   less times; 0: they are UTC */
    /* ---- version 2 ---- */
    /* EST_JOBS_METHOD_GA4HPC: a row whose ReqMem GreenAlgorithms4HPC
       cannot read (a T, a bare number: it stops there with "Can't parse
       memory value") is a bad row, named with its file, line, column and
       value (skipped and counted with skip_bad_rows), instead of a job
       est_jobs_account refuses later. The default reads every row. */
    est_jobs_method method;
    /* ---- version 3 ---- */
    /* The unit of a MaxRSS given as a bare number ("154264"), under both
       methods: 'K', 'M' or 'G' (a cluster file's default_unit_RSS,
       est_cluster_default_rss_unit); '\0': K, as sacct prints it.
       EST_EINVAL for any other. */
    char bare_rss_unit;
} est_jobs_read_options;
#define EST_JOBS_READ_OPTIONS_INIT                                            \
    { EST_JOBS_READ_OPTIONS_VERSION, EST_JOBS_RUNNING_COUNT, 0.0, 0, 0L,      \
      EST_JOBS_METHOD_ECOEST, '\0' }

/* What a read saw, over every file fed so far. */
typedef struct est_jobs_read_stats {
    unsigned long long rows;         /* data rows, steps included */
    unsigned long long jobs;         /* jobs handed to on_job */
    unsigned long long steps;        /* step rows merged into their job */
    unsigned long long pending;      /* PENDING jobs left out */
    unsigned long long running;      /* RUNNING jobs counted up to now */
    unsigned long long running_skipped; /* RUNNING jobs left out */
    unsigned long long bad_rows;     /* rows skipped (skip_bad_rows) */
    unsigned long long orphan_steps; /* step rows without their job's row */
    unsigned long long no_start_column; /* 1 when a file had no Start column
                                        (Submit stands in for it) */
    int has_energy_column;            /* some file had ConsumedEnergyRaw */
    int has_gpuutil;                  /* some job carried gres/gpuutil */
    char first_bad_row[EST_ERROR_MESSAGE_MAX]; /* the first skipped row's
                                        message, "" when none */
} est_jobs_read_stats;

/* Called once per finished job, in input order. A non-zero return stops the
   read, which returns that value. */
typedef int (*est_jobs_fn)(void *user, const est_job *job);

typedef struct est_jobs_reader est_jobs_reader;

/* Opens a reader. NULL opts: defaults. EST_EINVAL (bad version or values),
   EST_ENOMEM. */
int est_jobs_reader_open(est_jobs_reader **r, const est_jobs_read_options *opts,
                         est_error *err);
void est_jobs_reader_free(est_jobs_reader *r);

/*
 * Feeds one file (or stdin), name used in messages ("jobs.txt:17: column
 * NCPUS: expected a count, got "x""). The first line is the header; the
 * columns may come in any order and are matched without case. Needed:
 * JobID, State, Elapsed, NCPUS, TotalCPU, and ReqMem or AllocTRES; every
 * missing one is named in one EST_EPARSE error. Each finished job goes to
 * on_job. Errors: EST_EPARSE (bad header, bad row unless skipped), EST_EIO
 * (read failure), EST_ENODATA (empty input: no header), EST_ENOMEM, or
 * on_job's non-zero value.
 *
 * est_jobs_read_fd parses on a thread of its own (created with every
 * signal blocked) and calls on_job on the caller's thread, in input order,
 * in batches of jobs: the caller's work overlaps the parsing. One reader
 * must not be used by two calls at once.
 */
int est_jobs_read_fd(est_jobs_reader *r, int fd, const char *name,
                     est_jobs_fn on_job, void *user, est_error *err);
/* The same over a buffer in memory (need not be NUL-terminated). */
int est_jobs_read_buffer(est_jobs_reader *r, const char *data, size_t len,
                         const char *name, est_jobs_fn on_job, void *user,
                         est_error *err);
/* Counts so far. EST_EINVAL for NULL arguments. */
int est_jobs_reader_stats(est_jobs_read_stats *out, const est_jobs_reader *r);

/* ------------------------------------------------------------------ cluster */

/* A partition: what a job on it runs on. Values not known are EST_UNSET. */
typedef struct est_cluster_partition {
    char name[EST_JOB_FIELD_MAX];   /* "*" for the default partition */
    char cpu_model[EST_NAME_MAX];   /* as written, "" when a TDP is given */
    double cpu_tdp_per_core_w;      /* > 0 */
    unsigned cores_per_node;        /* 0 unknown */
    char gpu_model[EST_NAME_MAX];
    double gpu_tdp_w;               /* EST_UNSET: no GPU known */
    double gpu_idle_w;              /* EST_UNSET: 0 */
    unsigned gpus_per_node;         /* 0 unknown */
    double memory_gb_per_node;      /* EST_UNSET unknown */
    double static_node_w;           /* EST_UNSET: none */
    double pue;                     /* >= 1 */
    double ci_g_co2e_per_kwh;       /* >= 0 */
    char zone[EST_ZONE_CODE_MAX];   /* "" when the intensity was given */
    char node_pattern[EST_JOB_FIELD_MAX]; /* a shell pattern (fnmatch) of node
                                       names this entry is for, "" for the
                                       whole partition */
    /* The die area of the CPU named by cpu_model, cm2, from its hardware-
       database row (est_hwdb_entry.die_area_cm2), for the embodied share;
       EST_UNSET when not known (a TDP given, or a row without one): the
       embodied share then takes the server class default. It takes the
       place of the first reserved double: the struct's size and every
       other field's offset are unchanged. */
    double cpu_die_area_cm2;
    /* The die area of the GPU named by gpu_model, cm2, from its hardware-
       database row (est_hwdb_entry.die_area_cm2), for the embodied share;
       EST_UNSET when not known (gpu_tdp_w given, or a row without one): the
       embodied share then takes the GPU class default. It takes the place
       of the second reserved double: the struct's size and every other
       field's offset are unchanged. */
    double gpu_die_area_cm2;
    double reserved[2];
    /* The hardware database's name of the CPU named by cpu_model (its
       row's est_hwdb_entry.model: "Xeon Gold 6326" for "6326"), the name
       a CPU power curve row is found by; "" when a TDP is given. Appended
       in 0.2: the struct is only read through the pointers est_cluster_at,
       est_cluster_find and est_cluster_find_node return. */
    char cpu_hwdb_model[EST_NAME_MAX];
} est_cluster_partition;

typedef struct est_cluster est_cluster;

#define EST_CLUSTER_OPTIONS_VERSION 1
typedef struct est_cluster_options {
    unsigned version;          /* EST_CLUSTER_OPTIONS_VERSION */
    const est_hwdb *hwdb;      /* resolves cpu/gpu model names; may be NULL
                                  when every partition gives its TDPs */
    const est_zones *zones;    /* resolves zone codes; may be NULL */
    /* The default partition, for jobs on a partition the file does not
       name (and for all jobs without a file). Its values are used for any
       value a file leaves out, except TDPs. */
    const char *cpu_model;     /* hwdb name, or NULL */
    double cpu_tdp_per_core_w; /* EST_UNSET: from cpu_model */
    const char *gpu_model;     /* hwdb name, or NULL */
    double gpu_tdp_w;          /* EST_UNSET: from gpu_model */
    double pue;                /* EST_UNSET: the file's, else 1.67 */
    const char *zone;          /* NULL: the file's, else WORLD */
    double ci_g_co2e_per_kwh;  /* EST_UNSET: from the zone; set: overrides
                                  every partition's intensity */
} est_cluster_options;
#define EST_CLUSTER_OPTIONS_INIT                                              \
    { EST_CLUSTER_OPTIONS_VERSION, NULL, NULL, NULL, EST_UNSET, NULL,         \
      EST_UNSET, EST_UNSET, NULL, EST_UNSET }

/*
 * Opens a cluster description from a YAML file (path; NULL: only the
 * default partition from opts), GreenAlgorithms4HPC's cluster_info.yaml or
 * ecoest's form (docs/cluster.md). Hardware names are resolved here, once.
 * Errors: EST_ENOENT, EST_EIO, EST_EPARSE ("file:line: ..."),
 * EST_ENOTFOUND / EST_EAMBIGUOUS (a model or zone: err->input is
 * EST_INPUT_CPU_MODEL, _GPU_MODEL or _ZONE, err->value the name, for
 * est_hwdb_suggest or est_zones_suggest),
 * EST_EINVAL (bad options, a partition without a CPU power), EST_ENOMEM.
 */
int est_cluster_open(est_cluster **c, const char *path,
                     const est_cluster_options *opts, est_error *err);
void est_cluster_free(est_cluster *c);
/* Entries of the file, in file order (the default not included): each
   partition, then its node-pattern entries. */
size_t est_cluster_count(const est_cluster *c);
const est_cluster_partition *est_cluster_at(const est_cluster *c, size_t i);
/* The partition of that name, or the default one. Never NULL for a valid c;
   *is_default (optional) says which. */
const est_cluster_partition *est_cluster_find(const est_cluster *c, const char *name,
                                      int *is_default);
/* Granularity of memory requests, GB (GreenAlgorithms4HPC's
   granularity_memory_request); EST_UNSET when the file gives none. */
double est_cluster_memory_step_gb(const est_cluster *c);
/* The unit of a bare MaxRSS number (GreenAlgorithms4HPC's default_unit_RSS:
   'K', 'M' or 'G'), for est_jobs_read_options.bare_rss_unit; '\0' when the
   file gives none (or c is NULL). */
char est_cluster_default_rss_unit(const est_cluster *c);
/* Like est_cluster_find, for a job on node (NULL or "": none): the first
   entry of that partition whose node_pattern matches node, else the
   partition's own entry, else the default. */
const est_cluster_partition *est_cluster_find_node(const est_cluster *c, const char *name,
                                           const char *node, int *is_default);

/* ------------------------------------------------------------- accounting */

#define EST_JOBS_ACCOUNT_OPTIONS_VERSION 4
typedef struct est_jobs_account_options {
    unsigned version;          /* EST_JOBS_ACCOUNT_OPTIONS_VERSION */
    est_model_scope scope;           /* headline scope: process, allocation or node */
    est_jobs_method method;
    double memory_w_per_gb;    /* EST_UNSET: 0.3725 */
    /* ---- version 2 ---- */
    /* The carbon intensity of each job's own window (ecoest/pipeline.h):
       for a job on a partition with a zone (not a given intensity) and a
       known window (Start and End, end after start), the provider is asked
       for the zone's series over [start, end) and the job's intensity is
       its time-weighted mean there (est_intensity_mean). The zone handed to it
       carries the code and the annual average only. A provider that fails,
       or has no point in the window, leaves the zone's annual average
       (ci_fallback), or with strict fails the job with its code. NULL: the
       partition's intensity for every job. */
    est_intensity_fn intensity;
    void *intensity_user;
    int strict;
    /* ---- version 3 ---- */
    /* The embodied share (ecoest/embodied.h): with factors, each job's
       footprint carries embodied_co2e_g, the manufacturing emissions of
       the hardware the job holds for its Elapsed time (docs/cluster.md,
       "The embodied share"); NULL: none (0). Borrowed, not freed. */
    const est_embodied_factors *embodied;
    int include_embodied;      /* 1: co2e_g includes embodied_co2e_g */
    /* ---- version 4 ---- */
    /* How each job's CPU power follows its usage (ecoest/model.h):
       EST_MODEL_CPU_POWER_TDP (the default, Green Algorithms': NCPUS x TDP
       per core x usage, no idle floor) or EST_MODEL_CPU_POWER_CURVE: each
       core draws TDP per core x (idle_frac + (max_frac - idle_frac) x
       f(usage)), f(u) = 2u - u^exponent, with the row of cpu_curves for
       the partition's CPU (est_power_curves_find on est_cluster_partition.
       cpu_hwdb_model, the hardware-database name its cpu_model resolved
       to; a partition given by a TDP per core, cpu_hwdb_model "", takes
       the table's default row "*"). The row's family is in est_jobs_footprint.
       cpu_curve_family. With the curve the process scope counts the
       job's cores' dynamic share only, the allocation scope adds their
       idle floor, and the node scope the idle floor of every core of the
       job's nodes (cores_per_node x NNodes, when the partition gives
       cores_per_node), the cores the job does not hold included.
       EST_JOBS_METHOD_GA4HPC takes no curve (it reproduces
       GreenAlgorithms4HPC's figures, TDP x CPU time): EST_EINVAL, as for
       the curve without cpu_curves or an unknown model. */
    est_model_cpu_power cpu_power_model;
    /* The curve table (est_power_curves_open, _open_default), borrowed,
       not freed; required with EST_MODEL_CPU_POWER_CURVE, unused with TDP. */
    const est_power_curves *cpu_curves;
} est_jobs_account_options;
#define EST_JOBS_ACCOUNT_OPTIONS_INIT                                         \
    { EST_JOBS_ACCOUNT_OPTIONS_VERSION, EST_MODEL_SCOPE_PROCESS,                    \
      EST_JOBS_METHOD_ECOEST, EST_UNSET, NULL, NULL, 0, NULL, 0,              \
      EST_MODEL_CPU_POWER_TDP, NULL }

/* One job's footprint. Energies include PUE. */
typedef struct est_jobs_footprint {
    double cpu_usage_frac;    /* TotalCPU / (NCPUS x Elapsed), clamped */
    int cpu_usage_clamped;    /* 1 when the ratio was above 1 */
    double gpu_usage_frac;    /* gpuutil, or 1 */
    int gpu_usage_assumed;    /* 1 when GPUs were put at usage 1 */
    double cpu_kwh, gpu_kwh, memory_kwh, static_kwh;
    double energy_kwh;        /* headline scope: cpu + gpu + memory + static */
    double process_kwh, allocation_kwh; /* both scopes, static included */
    double unused_memory_kwh; /* of the memory allocated beyond max_rss */
    double co2e_g;            /* energy_kwh x the partition's intensity,
                                 + embodied_co2e_g with include_embodied */
    double ci_g_co2e_per_kwh;
    double measured_kwh;      /* ConsumedEnergyRaw / 3.6e6; EST_UNSET */
    double cpu_h;             /* core-hours allocated: NCPUS x Elapsed
                                 (ga4hpc: its CPU core-hours charged, the
                                 largest CPUTime, on a partition without a
                                 GPU power; 0 on a GPU partition) */
    double gpu_h;             /* GPU-hours allocated (ga4hpc: charged,
                                 Elapsed x ga_gpus, on a GPU partition) */
    double mem_needed_gb;     /* ga4hpc: MaxRSS rounded up to the step */
    int failed;               /* ga4hpc: not COMPLETED */
    /* With a measured energy: the estimate set beside it, kWh, the model's
       comparison of the headline scope with a meter (est_model_inputs.
       compare_kwh): the headline energy before PUE (the static share
       included), as ConsumedEnergyRaw is the nodes' own energy; and
       estimated / measured (0 for a 0 measurement). EST_UNSET without a
       measurement. The gap is estimated - measured. */
    double estimated_kwh;
    double measured_ratio;
    /* With an intensity provider (est_jobs_account_options.intensity):
       ci_live 1 when ci_g_co2e_per_kwh is the provider's time-weighted mean
       over the job's window (est_intensity_mean), with that mean's coverage of the
       window; ci_fallback 1 when the provider failed or had no point in the
       window, and the zone's annual average was used. */
    double ci_coverage_frac;
    int ci_live;
    int ci_fallback;
    /* The node scope (docs/method.md): the job's whole nodes, described by
       the partition's cores_per_node, gpus_per_node, memory_gb_per_node and
       static_node_w (each x the job's nodes; the static power defaults to
       EST_DEFAULT_NODE_STATIC_W a node), PUE included. With the node scope
       as headline, cpu/gpu/memory/static_kwh are the nodes' and energy_kwh
       is this. */
    double node_kwh;
    /* The embodied share, g CO2e (est_embodied_compute on the local-server
       platform), with factors in the options; 0 without them or for a job
       with no Elapsed time. What the job holds, for Elapsed hours: nodes
       held = NCPUS / cores_per_node, at most NNodes (NNodes when the
       partition's cores_per_node is not known); as many CPU packages as
       nodes held (a node counted as one package of the default die area);
       its GPUs; its allocated memory (req_mem_gb); and of each node's other
       parts (power supply, board, casing) the share nodes held / NNodes.
       In co2e_g only with include_embodied; computed for both methods. */
    double embodied_co2e_g;
    /* With a measured energy, each scope's estimate set beside it, kWh
       before PUE (process_kwh, allocation_kwh, node_kwh / PUE): the
       model's comparison with a meter (est_model_inputs.compare_kwh) for
       every scope, the headline's being estimated_kwh. EST_UNSET without a
       measurement. (Appended in 0.2: the struct grew.) */
    double estimated_process_kwh, estimated_allocation_kwh, estimated_node_kwh;
    /* What the totals sum (est_jobs_agg_add), in the method's own reading,
       so that they agree with the job's figures: cpu_used_h, the CPU time
       used, h (ecoest: total_cpu_s; ga4hpc: its CPU time, the largest
       TotalCPU over the rows, else the largest CPUTime); mem_req_gb and
       mem_used_gb, the memory allocated and used, GB (ecoest: req_mem_gb
       and max_rss_gb; ga4hpc: ga_req_mem_gb and ga_max_rss_gb, decimal
       units), mem_used_gb EST_UNSET when no row reports a MaxRSS; mem_h,
       the hours that memory is held (ecoest: Elapsed; ga4hpc: the largest
       Elapsed over the rows). (Appended in 0.2: the struct grew.) */
    double cpu_used_h, mem_req_gb, mem_used_gb, mem_h;
    /* With a measured energy: estimated_kwh - measured_kwh, kWh (negative:
       the estimate is below the meter); EST_UNSET without a measurement.
       (Appended in 0.2: the struct grew.) */
    double measured_gap_kwh;
    /* The job as the method reads it, for a per-job listing: elapsed_s,
       the wall time, s; cpus and gpus, the CPUs and GPUs allocated (ecoest:
       est_job.elapsed_s, ncpus and gpus; ga4hpc: the largest Elapsed and
       NCPUS over the rows, and ga_gpus, the untyped gres/gpu=N). (Appended
       in 0.2: the struct grew.) */
    double elapsed_s;
    unsigned cpus, gpus;
    /* 1: the method leaves the job out, every figure 0 (ga4hpc: a row
       PENDING, RUNNING or REQUEUED, est_job.ga_any_row_not_completed 2, as
       GreenAlgorithms4HPC drops it); est_jobs_agg_add then counts it only
       in est_jobs_totals.left_out_jobs. (Appended in 0.2.) */
    int left_out;
    /* 1 (default method): a finished job that ran (Elapsed > 0, NCPUS > 0)
       with no step rows and TotalCPU 0, as sacct -X prints every job: its
       CPU time is unknown and its CPU usage was taken as 0. Summed in
       est_jobs_totals.cpu_time_unknown_jobs. (Appended in 0.2.) */
    int cpu_time_unknown;
    /* With the CPU power curve (est_jobs_account_options.cpu_power_model
       EST_MODEL_CPU_POWER_CURVE): the family of the curve row the job's
       partition took ("xeon-ice-lake", "default"), for every job the
       default method accounts; "" with the tdp model. est_jobs_footprint_add keeps a part's
       family when the others have none or the same, else "several".
       (Appended in 0.2: the struct grew.) */
    char cpu_curve_family[EST_POWER_FAMILY_MAX];
} est_jobs_footprint;

/*
 * The footprint of one job on its partition of c (jobs with no elapsed time
 * cost 0; opts NULL: defaults). Errors: EST_EINVAL (NULL arguments, a
 * partition with no CPU power, a bad version, the CPU power curve without
 * a curve table or under EST_JOBS_METHOD_GA4HPC), EST_EPARSE (a GPU job on a
 * partition with no GPU power, default method: a bad row, "column
 * AllocTRES: job 26 (line 5): gres/gpu=1: ..."; the caller adds its file
 * and may skip the job), EST_ERANGE (model overflow); the message names
 * the job.
 *
 * EST_JOBS_METHOD_GA4HPC gives GreenAlgorithms4HPC's figures instead:
 * CPU = (ga_total_cpu_s, or ga_cpu_time_s when 0: the largest over the
 * rows) x TDP per core; Elapsed the largest over the rows; GPU = Elapsed x
 * ga_gpus x TDP on partitions with a GPU power (100 %); memory = Elapsed x
 * ga_req_mem_gb x W/GB; all x PUE. mem_needed_gb = ga_max_rss_gb rounded up
 * to the cluster's memory step plus one step (the request when MaxRSS is
 * missing, never above the request unless MaxRSS is), unused_memory_kwh the
 * memory energy of the request minus that of mem_needed_gb (may be
 * negative, as there), failed = any row not COMPLETED; cpu_h and gpu_h its
 * core-hours charged, cpu_used_h, mem_req_gb, mem_used_gb and mem_h its
 * readings (see est_jobs_footprint); cpu_usage_frac = CPU time / (NCPUS x
 * Elapsed), the largest of each, not clamped. Where it would stop, figures
 * are given: TotalCPU above CPUTime is used as it is; a CPU job on a GPU
 * partition costs no GPU energy, and GPUs on a partition without a GPU
 * power cost none. A ReqMem it cannot read (ga_req_mem_gb EST_UNSET) is
 * EST_EPARSE: read with est_jobs_read_options.method set to have the row
 * refused with its file, line and value.
 */
int est_jobs_account(est_jobs_footprint *out, const est_cluster *c, const est_job *job,
                     const est_jobs_account_options *opts, est_error *err);

/* ------------------------------------------------------------ aggregation */

/* Keys of a grouping, OR-ed together; 0: totals only. */
#define EST_JOBS_BY_USER 1u
#define EST_JOBS_BY_ACCOUNT 2u
#define EST_JOBS_BY_PARTITION 4u
#define EST_JOBS_BY_STATE 8u
#define EST_JOBS_BY_DAY 16u
#define EST_JOBS_BY_MONTH 32u

/* Parses "user,month" into a key mask. EST_EINVAL for an unknown or empty
   key ("", "user,"), a key given twice, or both day and month. */
int est_jobs_by_parse(unsigned *out_keys, const char *s);

/* Sums over a set of jobs. A plain value. Energies in the headline scope. */
typedef struct est_jobs_totals {
    double jobs;              /* jobs (a fraction when days split a job) */
    double cpu_h, gpu_h;      /* allocated core-hours, GPU-hours */
    double cpu_used_h;        /* TotalCPU in hours; default method: at most cpu_h
                                 (clamped with cpu_usage_frac) */
    double mem_req_gbh;       /* GB x hours allocated */
    double mem_used_gbh;      /* GB x hours of max_rss (jobs that report it) */
    double mem_req_known_gbh; /* GB x hours allocated, of those same jobs */
    double cpu_kwh, gpu_kwh, memory_kwh, static_kwh;
    double energy_kwh, process_kwh, allocation_kwh;
    double unused_memory_kwh;
    double co2e_g;
    double measured_kwh;      /* jobs with a measured energy */
    double estimate_of_measured_kwh; /* the estimate of those same jobs,
                                   before PUE (est_jobs_footprint.
                                   estimated_kwh); the gap is this minus
                                   measured_kwh */
    double measured_jobs;
    double clamped_jobs;      /* jobs whose CPU usage was clamped */
    double gpu_assumed_jobs;  /* GPU jobs put at usage 1 */
    double ci_live_jobs;      /* jobs at their window's intensity */
    double ci_fallback_jobs;  /* jobs whose provider failed: zone average */
    double node_kwh;          /* the node scope (est_jobs_footprint.node_kwh) */
    double embodied_co2e_g;   /* est_jobs_footprint.embodied_co2e_g (in co2e_g
                                 only when the accounting included it) */
    /* by state: jobs, energy and CO2e */
    double state_jobs[EST_JOBS_STATE_COUNT];
    double state_kwh[EST_JOBS_STATE_COUNT];
    double state_co2e_g[EST_JOBS_STATE_COUNT];
    /* the estimates of the measured jobs in each scope, before PUE
       (est_jobs_footprint.estimated_process_kwh ...): beside measured_kwh */
    double estimate_of_measured_process_kwh, estimate_of_measured_allocation_kwh,
        estimate_of_measured_node_kwh;
    double mem_req_gb;        /* the jobs' memory allocated, GB, summed (not
                                 x hours: GreenAlgorithms4HPC's "memory
                                 requested"); where reserved[1] was */
    /* jobs the method counts as failed (est_jobs_footprint.failed: ecoest,
       not COMPLETED, RUNNING or SUSPENDED: a running job is counted up to
       now under its own state, so energy_kwh - state_kwh[COMPLETED] =
       failed_kwh + state_kwh[RUNNING] + state_kwh[SUSPENDED]; ga4hpc, any
       row not COMPLETED), their energy and CO2e.
       (Appended in 0.2: the struct grew; it is only ever read through
       pointers the library gives.) */
    double failed_jobs, failed_kwh, failed_co2e_g;
    /* jobs added with est_jobs_footprint.left_out (in no other figure,
       jobs included). (Appended in 0.2.) */
    double left_out_jobs;
    /* jobs with est_jobs_footprint.cpu_time_unknown (sacct -X: no steps,
       TotalCPU 0). (Appended in 0.2.) */
    double cpu_time_unknown_jobs;
} est_jobs_totals;

/* Adds b to a, the parts of one job (the components of a heterogeneous
   job, "5+0", "5+1"): energies, CO2e, hours, memory, CPUs and GPUs summed;
   elapsed_s and mem_h the largest; a measurement summed when both have
   one (else EST_UNSET); cpu_usage_frac = cpu_used_h / cpu_h (at most 1);
   the intensity weighted by each part's energy_kwh; failed, clamped, assumed, left_out and the other
   flags or'ed. EST_EINVAL for NULL arguments. */
int est_jobs_footprint_add(est_jobs_footprint *a, const est_jobs_footprint *b);

/* The total GreenAlgorithms4HPC prints for a time of total_h hours summed
   over jobs (its CPU time, "cpuTime"): pandas sums timedelta64[ns], int64
   nanoseconds, which wrap past 2^63 ns = 2,562,047.79 h to
   total_h - 2^64 ns (5,124,095.58 h). total_h itself below that, and for a
   value that is not finite. ecoest's totals never wrap: a caller reporting
   GreenAlgorithms4HPC's figure shows this beside them. */
double est_jobs_ga4hpc_wrap_h(double total_h);

/* CPU efficiency of totals: cpu_used_h / cpu_h (0 when cpu_h is 0; under
   ga4hpc, CPU time over the core-hours charged on CPU partitions). */
double est_jobs_cpu_efficiency(const est_jobs_totals *t);

/* What a report derives from a set's sums (est_jobs_totals: the totals or
   one group's), so that every caller shows the same figures. A plain
   value, with reserved space for figures to come. */
typedef struct est_jobs_derived {
    /* memory used over memory allocated, of the jobs that report a MaxRSS:
       mem_used_gbh / mem_req_known_gbh; EST_UNSET when mem_req_known_gbh
       is 0 (no such job) */
    double mem_used_frac;
    /* the energy of the jobs that did not complete: energy_kwh -
       state_kwh[COMPLETED], kWh (headline scope) */
    double not_completed_kwh;
    /* each state's share of the energy: state_kwh[s] / energy_kwh; and the
       share of the jobs the method counts as failed: failed_kwh /
       energy_kwh; 0 when energy_kwh is 0 */
    double state_energy_frac[EST_JOBS_STATE_COUNT];
    double failed_energy_frac;
    /* the measured jobs: estimate_of_measured_kwh - measured_kwh, kWh (0
       without any), and that gap over measured_kwh (0 when measured_kwh is
       0) */
    double measured_gap_kwh;
    double measured_gap_frac;
    /* each scope's estimate over the measured energy (estimate_of_measured_
       kwh and its process, allocation and node siblings, all before PUE,
       / measured_kwh: est_jobs_footprint.measured_ratio over the set);
       EST_UNSET when measured_kwh is 0 */
    double measured_ratio;
    double measured_process_ratio, measured_allocation_ratio, measured_node_ratio;
    double reserved[8];
} est_jobs_derived;

/* Fills out from t. EST_EINVAL for NULL arguments (out zeroed when given). */
int est_jobs_derive(est_jobs_derived *out, const est_jobs_totals *t);

typedef struct est_jobs_agg est_jobs_agg;

/* The distributions behind a report's charts (docs/cluster.md, "Charts"),
   over every job added, each job counted once (never split by day). Fixed
   size: constant memory whatever the number of jobs. */
#define EST_JOBS_CHART_BINS 10     /* 0-0.1, 0.1-0.2, ..., 0.9-1.0 */
#define EST_JOBS_CHART_LOG_BINS 30 /* 3 per decade, 1e-5 .. 1e5 kWh */
#define EST_JOBS_CHART_LOG_MIN_KWH 1e-5
#define EST_JOBS_CHART_LOG_PER_DECADE 3
#define EST_JOBS_TOP_USERS 10
typedef struct est_jobs_charts {
    /* CPU usage (est_jobs_footprint.cpu_usage_frac) of jobs that ran (NCPUS
       x Elapsed > 0): bin i holds [i/10, (i+1)/10), the last one 1 too;
       jobs and their energy (headline scope). */
    unsigned long long cpu_eff_jobs[EST_JOBS_CHART_BINS];
    double cpu_eff_kwh[EST_JOBS_CHART_BINS];
    /* Memory used / requested (MaxRSS over the steps / the allocation) of
       jobs that report a MaxRSS and request memory; above 1: overflow. */
    unsigned long long mem_frac_jobs[EST_JOBS_CHART_BINS];
    double mem_frac_kwh[EST_JOBS_CHART_BINS];
    unsigned long long mem_frac_overflow_jobs;
    double mem_frac_overflow_kwh;
    /* Jobs with a measured energy, as a 2-D histogram in log space:
       counts[x][y], x the estimate (estimated_kwh), y the measurement, bin
       i holding [10^(-5 + i/3), 10^(-5 + (i+1)/3)) kWh (est_jobs_chart_
       log_edge). Values beyond the range fall in the end bins and are
       counted in outside_jobs too; jobs with a 0 on either side are only
       counted in zero_jobs. */
    unsigned long long mve_counts[EST_JOBS_CHART_LOG_BINS][EST_JOBS_CHART_LOG_BINS];
    unsigned long long mve_outside_jobs;
    unsigned long long mve_zero_jobs;
    double reserved[8];
} est_jobs_charts;

/* Edge i (0..EST_JOBS_CHART_LOG_BINS) of the log-spaced bins, kWh:
   10^(-5 + i/3). */
double est_jobs_chart_log_edge(unsigned i);
/* Edge i (0..EST_JOBS_CHART_BINS) of the 0..1 bins (CPU usage, memory used
   / requested): i / EST_JOBS_CHART_BINS; 1 past the last. */
double est_jobs_chart_frac_edge(unsigned i);

/* One user's sums, for the top-users chart. */
typedef struct est_jobs_user_total {
    char user[EST_JOB_FIELD_MAX];
    double jobs, energy_kwh, co2e_g;
} est_jobs_user_total;

#define EST_JOBS_AGG_OPTIONS_VERSION 2
typedef struct est_jobs_agg_options {
    unsigned version;     /* EST_JOBS_AGG_OPTIONS_VERSION */
    unsigned keys;        /* EST_JOBS_BY_* */
    long day_utc_offset_s;/* days and months begin at local midnight of this
                             fixed offset (local minus UTC); 0: UTC */
    /* ---- version 2 ---- */
    int charts;           /* 1: keep est_jobs_charts and the users' sums
                             (memory bounded by the number of users) */
    /* Days and months in a zone with daylight saving: the offset (local
       minus UTC) in force at a Unix time; when set it replaces
       day_utc_offset_s. NULL: the fixed offset. The CLI passes one built
       on a TZif file (ecoest/zones.h or its own). */
    long (*utc_offset_at)(void *user, double unix_s);
    void *utc_offset_user;
} est_jobs_agg_options;
#define EST_JOBS_AGG_OPTIONS_INIT                                             \
    { EST_JOBS_AGG_OPTIONS_VERSION, 0u, 0L, 0, NULL, NULL }

int est_jobs_agg_open(est_jobs_agg **a, const est_jobs_agg_options *opts,
                      est_error *err);
void est_jobs_agg_free(est_jobs_agg *a);
/* Adds one job. With day or month keys the job is split over the days (or
   months) it ran in, in proportion to its seconds in each. EST_ENOMEM. */
int est_jobs_agg_add(est_jobs_agg *a, const est_job *job,
                     const est_jobs_footprint *fp);

/* A hint, optional: starts loading the group(s) job will be added to, so
   that a caller can do other work (est_jobs_account) while the memory
   arrives, then call est_jobs_agg_add. Changes nothing; does nothing with
   day or month keys. */
void est_jobs_agg_prefetch(const est_jobs_agg *a, const est_job *job);

/* A group: its key values ("" for keys not grouped on) and its sums. */
typedef struct est_jobs_group {
    const char *user, *account, *partition, *state;
    char period[16];          /* "2026-12-03" or "2026-12"; "" */
    est_jobs_totals t;
} est_jobs_group;

/* Number of groups. */
size_t est_jobs_agg_count(const est_jobs_agg *a);
/* Sorts the groups: by energy, largest first (by_energy 1), else by key. */
void est_jobs_agg_sort(est_jobs_agg *a, int by_energy);
/* The i-th group; NULL when i is out of range. Valid until the next add
   or free. */
const est_jobs_group *est_jobs_agg_group(const est_jobs_agg *a, size_t i);
/* The totals over every job added. */
const est_jobs_totals *est_jobs_agg_totals(const est_jobs_agg *a);

/* The charts' distributions; NULL unless opened with charts set. */
const est_jobs_charts *est_jobs_agg_charts(const est_jobs_agg *a);
/* The max users with the most energy (headline scope), largest first (ties
   by name), whatever the keys; returns how many were written (0 without
   charts). */
size_t est_jobs_agg_top_users(est_jobs_user_total *out, size_t max, const est_jobs_agg *a);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_JOBS_H */
