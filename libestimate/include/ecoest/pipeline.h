/*
 * ecoest/pipeline.h - one estimate from what a user knows: the library call
 * that `ecoest` makes, so that a program linking the library gets the same
 * numbers, the same inputs with their provenance, and the same assumptions.
 *
 *   est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
 *   o.cpu = "Xeon Gold 5218";
 *   o.runtime_h = 2.0;
 *   o.zone = "FR";
 *   est_estimate *e;
 *   if (est_estimate_run(&e, &o, db, zones, &err) == 0) {
 *       const est_model_result *m = est_estimate_model(e);
 *       printf("%g kWh\n", m->total.energy_kwh);
 *       est_estimate_free(e);
 *   }
 *
 * The steps, in order:
 *   1. the CPU: a name resolved in the hardware database (db), or numbers
 *      (cores and a TDP); overrides replace the database's figures and say so;
 *   2. the GPUs, the same way, with their idle power;
 *   3. memory, runtime, runs, PUE, scope;
 *   4. the carbon intensity: ci_g_co2e_per_kwh given, else the zone's annual
 *      average (WORLD without a zone), else, with an intensity provider, the
 *      provider's mean over the job's window; a provider that fails falls
 *      back to the zone's average with a note (or fails with strict);
 *   5. (options version 2) the CPU power model and its curve (version 4:
 *      the resolved CPU's row of a curve table), the node, measured
 *      energies (a sample log's node power included) and a meter;
 *   6. the model (ecoest/model.h).
 *
 * Every input used is recorded with its value, its provenance and its
 * source (est_estimate_input); every default or choice made is a note
 * (est_estimate_note). A failure names the input at fault in err->input
 * (an est_input_id), never only in the message.
 *
 * The result is opaque and read through accessors, so it can grow.
 * Thread-safe: no global state; db and zones are only read.
 */
#ifndef ECOEST_PIPELINE_H
#define ECOEST_PIPELINE_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/hwdb.h"
#include "ecoest/intensity.h"
#include "ecoest/model.h"
#include "ecoest/power.h"
#include "ecoest/regions.h"
#include "ecoest/water.h"
#include "ecoest/embodied.h"
#include "ecoest/samples.h"
#include "ecoest/zones.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The inputs of an estimate, by identifier (errors and notes name them). */
typedef enum est_input_id {
    EST_INPUT_NONE = 0,
    EST_INPUT_CPU_MODEL = 1,
    EST_INPUT_CPU_CORES = 2,
    EST_INPUT_CPU_TDP = 3,          /* the package TDP, W */
    EST_INPUT_CPU_TDP_PER_CORE = 4, /* W per core */
    EST_INPUT_CPU_USAGE = 5,
    EST_INPUT_CPU_POWER = 6,        /* a measured CPU power, W */
    EST_INPUT_GPU_MODEL = 7,
    EST_INPUT_GPU_COUNT = 8,
    EST_INPUT_GPU_TDP = 9,
    EST_INPUT_GPU_IDLE = 10,
    EST_INPUT_GPU_USAGE = 11,
    EST_INPUT_GPU_POWER = 12,       /* a measured mean power per GPU, W */
    EST_INPUT_MEMORY = 13,          /* GB */
    EST_INPUT_MEMORY_W_PER_GB = 14,
    EST_INPUT_RUNTIME = 15,
    EST_INPUT_RUNS = 16,
    EST_INPUT_PUE = 17,
    EST_INPUT_ZONE = 18,
    EST_INPUT_CI = 19,              /* the carbon intensity used */
    EST_INPUT_WINDOW = 20,          /* start and end of the job */
    EST_INPUT_SCOPE = 21,
    EST_INPUT_SAMPLES = 22,         /* a sample log */
    /* options version 2 */
    EST_INPUT_NODE_CORES = 23,
    EST_INPUT_NODE_GPUS = 24,
    EST_INPUT_NODE_MEMORY = 25,     /* GB */
    EST_INPUT_NODE_STATIC = 26,     /* W */
    EST_INPUT_CPU_POWER_MODEL = 27, /* tdp or curve, with the curve's row */
    EST_INPUT_CPU_ENERGY = 28,      /* kWh, measured */
    EST_INPUT_GPU_ENERGY = 29,      /* kWh, measured */
    EST_INPUT_NODE_ENERGY = 30,     /* kWh, measured */
    EST_INPUT_COMPARE = 31,         /* kWh, a meter's reading */
    EST_INPUT_PSU_EFFICIENCY = 32,
    EST_INPUT_PLATFORM = 33,        /* laptop, desktop, local-server, cloud */
    EST_INPUT_CLOUD = 34,           /* PROVIDER:REGION */
    EST_INPUT_WUE = 35,             /* on-site water, l/kWh of IT energy */
    EST_INPUT_EMBODIED = 36         /* the manufacturing share */
} est_input_id;
#define EST_INPUT_COUNT 37 /* one past the largest identifier */

/* "cpu_model", "cpu_cores", "cpu_tdp_w", ... (the JSON key stem); "none"
   for EST_INPUT_NONE, "?" for an unknown value. Static strings. */
const char *est_input_name(est_input_id id);

/* Where an input's value came from. */
typedef enum est_estimate_origin {
    EST_ESTIMATE_ORIGIN_GIVEN = 1,    /* the caller gave it */
    EST_ESTIMATE_ORIGIN_HWDB = 2,     /* a hardware-database row */
    EST_ESTIMATE_ORIGIN_DEFAULT = 3,  /* a documented default */
    EST_ESTIMATE_ORIGIN_DETECTED = 4, /* detected on this machine (by the caller) */
    EST_ESTIMATE_ORIGIN_MEASURED = 5, /* measured while the job ran */
    EST_ESTIMATE_ORIGIN_LOG = 6,      /* derived from a sample log */
    EST_ESTIMATE_ORIGIN_ZONE = 7,     /* the zone table */
    EST_ESTIMATE_ORIGIN_LIVE = 8,     /* a live intensity provider */
    EST_ESTIMATE_ORIGIN_DERIVED = 9,  /* computed from other inputs */
    EST_ESTIMATE_ORIGIN_CURVES = 10   /* a row of the CPU power curves
                                         (ecoest/power.h) */
} est_estimate_origin;

/* "given", "hwdb", "default", "detected", "measured", "log", "zone",
   "live", "derived", "curves"; "?" otherwise. */
const char *est_estimate_origin_name(est_estimate_origin origin);

/* Version 2 appends the water series; a provider writes those fields only
   when the pipeline's answer has version >= 2. */
#define EST_INTENSITY_ANSWER_VERSION 2

/* What an intensity provider hands back. The pipeline zeroes it and sets
   version before the call. */
typedef struct est_intensity_answer {
    unsigned version;           /* EST_INTENSITY_ANSWER_VERSION */
    const est_intensity_point *points; /* the series (ecoest/intensity.h), owned by
                                   the provider, valid until the pipeline
                                   returns; NULL when n_points is 0 */
    size_t n_points;
    char source[32];            /* its short name: "rte", "electricitymaps",
                                   "cache" */
    char detail[256];           /* appended to the description after ", "
                                   ("factors ipcc2014"); "" for nothing */
    /* ---- version 2 ---- */
    const est_intensity_point *water_points; /* optional: the grid's off-site water
                                   intensity over time, l/kWh, held in the
                                   field g_co2e_per_kwh (same rules and
                                   lifetime as points). Given, its window
                                   mean (energy-weighted with a sample log)
                                   replaces the zone's water intensity, with
                                   provenance "live"; NULL: the zone's */
    size_t n_water_points;
} est_intensity_answer;

/*
 * An intensity provider: the carbon intensity series of zone over the
 * job's window [start_unix_s, end_unix_s). Fills *answer and returns 0, or
 * returns a negative EST_ code with err saying why (the pipeline then falls
 * back to the zone's annual average with a note, or fails with strict). A
 * series with no point in the window is a failure too. The pipeline takes
 * the time-weighted mean over the window (est_intensity_mean) and, with a sample
 * log, the mean weighted by the job's energy (est_intensity_energy_weighted). The
 * carbon library (ecoest/carbon.h) can serve its live sources and cache
 * this way; a caller may pass its own. zone is the looked-up row: a
 * provider asks for est_zones_provider_code(zone) ("JP-TK" when that was
 * given, not the table's "JP"; ecoest/zones.h).
 */
typedef int (*est_intensity_fn)(void *user, const est_zone *zone, double start_unix_s,
                                double end_unix_s, est_intensity_answer *answer,
                                est_error *err);

/* Version 2 appends the node scope, the CPU power model, measured
   energies and the comparison with a meter; version 3 where the job runs,
   water and the embodied share; version 4 the CPU power curve table.
   Every older version is still accepted (the fields it lacks take their
   defaults). */
#define EST_ESTIMATE_OPTIONS_VERSION 4

/*
 * What a user knows. Initialise with EST_ESTIMATE_OPTIONS_INIT and set what
 * is known; EST_UNSET (doubles), 0 (counts) and NULL (names) mean "not
 * given". Later versions only append fields.
 */
typedef struct est_estimate_options {
    unsigned version; /* EST_ESTIMATE_OPTIONS_VERSION */

    /* CPU: a model name (resolved in db), or cores with a TDP. */
    const char *cpu;            /* a name as hardware prints it, or short */
    const char *cpu_detected_from; /* non-NULL: cpu was detected on this
                                   machine, from this source (/proc/cpuinfo) */
    unsigned cpu_cores;         /* 0: all cores of the model */
    const char *cpu_cores_source; /* non-NULL: cpu_cores was detected, so */
    const char *cpu_cores_note; /* non-NULL: a sentence on how the cores were
                                   counted, added to the notes */
    double cpu_tdp_w;           /* the package's TDP, W: replaces the model's;
                                   without a model, split over cpu_cores */
    double cpu_tdp_per_core_w;  /* W per core: replaces the model's */
    double cpu_usage_frac;      /* 0..1; EST_UNSET: 1 */

    /* GPUs: a model name, or a TDP, or a measured power. */
    const char *gpu;
    const char *gpu_detected_from; /* non-NULL: gpu was detected on this
                                   machine by this (nvidia-smi ...) */
    unsigned gpu_count;         /* 0: 1 when a GPU is named */
    const char *gpu_count_source; /* non-NULL: gpu_count was detected, so */
    double gpu_tdp_w;
    double gpu_idle_w;          /* EST_UNSET: the database's, else 0 */
    double gpu_usage_frac;      /* EST_UNSET: 1 */
    double gpu_power_w;         /* a measured mean power per GPU */

    double memory_gb;           /* EST_UNSET: not counted */
    double memory_w_per_gb;     /* EST_UNSET: 0.3725 */

    /* The runtime, or a window: with both, the runtime wins for the
       energy and the window places the job in time for the provider. */
    double runtime_h;           /* EST_UNSET: end - start */
    double start_unix_s, end_unix_s; /* EST_UNSET: no window */
    unsigned runs;              /* 0: 1 */

    double pue;                 /* EST_UNSET: 1.67 */
    const char *zone;           /* NULL: WORLD (unless ci is given) */
    double ci_g_co2e_per_kwh;   /* given: used as it is, zone or not */
    est_model_scope scope;            /* headline scope (both are computed) */

    /* A finished sample-log integration (ecoest/samples.h): the CPU usage or
       measured power, memory, GPUs and the job window come from it (see
       est_estimate_run). The pipeline sets the GPUs' idle power from db on
       it. NULL: none. With it, runtime_h and runs must not be given. */
    est_samples *samples;
    const char *samples_label;  /* how the report names it ("2 sample logs");
                                   NULL: "sample log" */

    est_intensity_fn intensity; /* NULL: the zone's annual average */
    void *intensity_user;
    int strict;                 /* 1: a failing provider fails the estimate
                                   (its code) instead of falling back */

    /* The names the caller's interface gives the inputs ("--cpu-tdp"),
       indexed by est_input_id, used in sources and notes; NULL (or a NULL
       entry): est_input_name's. */
    const char *const *input_labels;

    /* ---- version 2 (ecoest/model.h gives the formulas) ---- */
    est_model_cpu_power cpu_power_model; /* default EST_MODEL_CPU_POWER_TDP */
    /* The curve's row (with EST_MODEL_CPU_POWER_CURVE): fractions of the TDP per
       core, all three given, with where they came from; or, all three
       EST_UNSET, the row that cpu_curves (version 4) has for the CPU. */
    double cpu_idle_frac, cpu_max_frac, cpu_curve_exponent;
    const char *cpu_curve_source; /* "cpu_power_curves.csv: xeon-ice-lake" */
    /* The node (node scope); 0 / EST_UNSET: the job's allocation. */
    unsigned node_cores, node_gpus;
    double node_memory_gb;
    double node_static_w;  /* EST_UNSET: EST_DEFAULT_NODE_STATIC_W */
    /* Measured energies of one run, kWh; each replaces its estimate. */
    double cpu_energy_kwh, gpu_energy_kwh, node_energy_kwh;
    double compare_kwh;    /* a meter's reading for the whole job */
    double psu_efficiency; /* 0 < F <= 1, node scope vs an AC meter */
    const char *memory_w_per_gb_source; /* non-NULL: where memory_w_per_gb
                                   came from (a named figure) */

    /* ---- version 3 (ecoest/regions.h, water.h, embodied.h) ---- */
    /* Where the job runs: a platform (-1: not given) sets the PUE when none
       is given (1 on a laptop or desktop, 1.56 for a local server or an
       unknown cloud) and the embodied share's lifetime; a cloud region
       "PROVIDER:REGION" (needs regions) sets the zone, the provider's PUE and
       WUE, each unless given, and implies the cloud platform. */
    int platform;               /* an est_regions_platform, or -1 */
    const char *cloud;
    const est_regions *regions;
    double wue_l_per_kwh;       /* on-site water, l/kWh of IT energy;
                                   EST_UNSET: the region's, else 0 (stated) */
    /* The embodied share (needs embodied factors): computed as a figure of
       its own whenever embodied is given; include_embodied adds it to the
       headline CO2e (est_estimate_headline_co2e_g). */
    const est_embodied_factors *embodied;
    int include_embodied;

    /* ---- version 4 (ecoest/power.h) ---- */
    /* The CPU power curves (est_power_curves_open_default), only read. With
       EST_MODEL_CPU_POWER_CURVE and no fractions given, the pipeline picks
       the row of the resolved CPU (est_power_curves_find on the hardware
       database's model name, else the name given, else the default row),
       records it as the input EST_INPUT_CPU_POWER_MODEL with origin
       EST_ESTIMATE_ORIGIN_CURVES and the row's citation as its source
       (est_estimate_cpu_curve gives the row). NULL: no table; the curve
       then needs the three fractions. */
    const est_power_curves *cpu_curves;
} est_estimate_options;

#define EST_ESTIMATE_OPTIONS_INIT                                                  \
    {                                                                              \
        EST_ESTIMATE_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, EST_UNSET,        \
            EST_UNSET, EST_UNSET, NULL, NULL, 0, NULL, EST_UNSET, EST_UNSET,       \
            EST_UNSET, EST_UNSET,                                                  \
            EST_UNSET, EST_UNSET, EST_UNSET, EST_UNSET, EST_UNSET, 0, EST_UNSET,   \
            NULL, EST_UNSET, EST_MODEL_SCOPE_PROCESS, NULL, NULL, NULL, NULL, 0, NULL,   \
            EST_MODEL_CPU_POWER_TDP, EST_UNSET, EST_UNSET, EST_UNSET, NULL, 0, 0,        \
            EST_UNSET, EST_UNSET, EST_UNSET, EST_UNSET, EST_UNSET, EST_UNSET,      \
            EST_UNSET, NULL, -1, NULL, NULL, EST_UNSET, NULL, 0, NULL              \
    }

typedef struct est_estimate est_estimate;

/*
 * The job's window from what is known of it: start, end and runtime, each
 * EST_UNSET when not known (in), all three set (out). The rules:
 *   start and end        runtime = end - start; a runtime given too must
 *                        agree within 60 s;
 *   start and runtime    end = start + runtime;
 *   end and runtime      start = end - runtime;
 *   start alone          end = now_unix_s (the job runs until now);
 *   runtime alone        the window ends now: [now - runtime, now);
 *   nothing              EST_EINVAL.
 * *has_window_out (optional) is 0 when the window came from the runtime
 * alone (it is then only a guess at when the job ran). Errors: EST_EINVAL
 * with err->input EST_INPUT_WINDOW (end not after start, a start in the
 * future without an end, start and end that disagree with the runtime) or
 * EST_INPUT_RUNTIME (a runtime not > 0 or not finite); nothing is written
 * then.
 */
int est_estimate_window_resolve(double *start_unix_s, double *end_unix_s, double *runtime_s,
                       double now_unix_s, int *has_window_out, est_error *err);

/*
 * Plausibility bounds of the inputs (docs/method.md gives the reasoning).
 * A value above its warning bound is used, with a warning note naming it;
 * a value above its limit cannot be a real job and is refused (EST_ERANGE,
 * err->input naming it).
 *                            warning above      refused above
 *   carbon intensity          1500 g/kWh          10000 g/kWh
 *   PUE                          3                  100
 *   CPU package TDP           1000 W             100000 W
 *   CPU TDP per core           100 W              10000 W
 *   GPU TDP, GPU power        2000 W             100000 W
 *   memory                   65536 GB (64 TiB)  1e8 GB
 *   runtime                   8784 h (a year)    8.784e6 h (a thousand years)
 *   cores, GPUs                 1e5               1e7
 * The highest published figures lie below the warning bounds: the
 * dirtiest grids near 1100 gCO2e/kWh, data-centre PUE near 2.5, 500 W
 * server CPUs, 1200 W GPUs, 32 TiB nodes.
 */
#define EST_BOUND_CI_WARN_G_CO2E_PER_KWH 1500.0
#define EST_BOUND_CI_MAX_G_CO2E_PER_KWH 10000.0
#define EST_BOUND_PUE_WARN 3.0
#define EST_BOUND_PUE_MAX 100.0
#define EST_BOUND_CPU_TDP_WARN_W 1000.0
#define EST_BOUND_CPU_TDP_MAX_W 100000.0
#define EST_BOUND_CPU_TDP_PER_CORE_WARN_W 100.0
#define EST_BOUND_CPU_TDP_PER_CORE_MAX_W 10000.0
#define EST_BOUND_GPU_POWER_WARN_W 2000.0
#define EST_BOUND_GPU_POWER_MAX_W 100000.0
#define EST_BOUND_MEMORY_WARN_GB 65536.0
#define EST_BOUND_MEMORY_MAX_GB 1e8
#define EST_BOUND_RUNTIME_WARN_H 8784.0
#define EST_BOUND_RUNTIME_MAX_H 8.784e6
#define EST_BOUND_COUNT_WARN 100000u
#define EST_BOUND_COUNT_MAX 10000000u

/*
 * Makes an estimate. db is needed when a CPU or GPU is named (NULL
 * otherwise is fine), zones unless ci_g_co2e_per_kwh is given without a
 * zone. *out is NULL on failure; free it with est_estimate_free. Errors:
 *   EST_EINVAL     a bad argument, an unknown options version, an input out
 *                  of range or a combination that cannot be used (err->input
 *                  names it, e.g. a CPU TDP without cores);
 *   EST_ENOTFOUND, EST_EAMBIGUOUS  a name not in db or zones, or a cloud
 *                  region not in regions (err->input is the CPU, GPU, zone
 *                  or cloud; err->value the name refused, for
 *                  est_hwdb_suggest, est_zones_suggest or
 *                  est_regions_suggest; a CPU name that is a GPU's, or the
 *                  reverse, says so);
 *   EST_ERANGE     a result too large to represent;
 *   the provider's code, with strict, when it failed;
 *   EST_ENOMEM.
 */
int est_estimate_run(est_estimate **out, const est_estimate_options *opts, const est_hwdb *db,
                     const est_zones *zones, est_error *err);

/* Frees an estimate. Accepts NULL. */
void est_estimate_free(est_estimate *e);

/* The model's result (every figure of both scopes, and the model's own
   assumptions); valid until est_estimate_free. */
const est_model_result *est_estimate_model(const est_estimate *e);

/* The inputs the model computed from, with every default applied (usage,
   PUE, memory power, intensity, the node, ...): est_model_compute's used;
   valid until est_estimate_free. */
const est_model_inputs *est_estimate_model_inputs(const est_estimate *e);

#define EST_ESTIMATE_INPUT_INFO_VERSION 1

/* One input as the estimate used it. Strings live until est_estimate_free. */
typedef struct est_estimate_input_info {
    unsigned version;       /* set by the caller: EST_ESTIMATE_INPUT_INFO_VERSION */
    est_input_id id;
    est_estimate_origin origin;
    double value;           /* in the input's unit (W, GB, h, frac...);
                               EST_UNSET for names and windows */
    const char *label;      /* "CPU model", "CPU TDP", ... for a report */
    const char *value_text; /* "Xeon Gold 5218 (asked: ..., exact match)" */
    const char *source;     /* "Intel ARK ...", "--cpu-tdp", "default" */
} est_estimate_input_info;

/* The number of inputs recorded, in report order. */
size_t est_estimate_input_count(const est_estimate *e);

/* The index-th input (0 <= index < count) into *out, whose version the
   caller sets. EST_EINVAL for a bad argument or version, EST_ERANGE for an
   index out of range. */
int est_estimate_input(est_estimate_input_info *out, const est_estimate *e, size_t index);

/* The kinds of note. */
typedef enum est_estimate_note_kind {
    EST_ESTIMATE_NOTE_ASSUMPTION = 1, /* a default applied or a choice made */
    EST_ESTIMATE_NOTE_WARNING = 2     /* something the user should look at */
} est_estimate_note_kind;

#define EST_ESTIMATE_NOTE_INFO_VERSION 1

typedef struct est_estimate_note_info {
    unsigned version;     /* set by the caller: EST_ESTIMATE_NOTE_INFO_VERSION */
    est_estimate_note_kind kind;
    est_input_id input;   /* the input it concerns, or EST_INPUT_NONE */
    const char *text;     /* one whole sentence, never cut */
} est_estimate_note_info;

/* The notes (the model's assumptions included), in report order. */
size_t est_estimate_note_count(const est_estimate *e);
int est_estimate_note(est_estimate_note_info *out, const est_estimate *e, size_t index);

/* The resolved hardware: the database rows used (when a model was named
   and found). Return 1 and fill *out, or 0 when there is none. */
int est_estimate_cpu_entry(est_hwdb_entry *out, const est_estimate *e);
int est_estimate_gpu_entry(est_hwdb_entry *out, const est_estimate *e);

/* The zone used (code, name, annual average, source); 0 without one (the
   intensity was given without a zone). */
int est_estimate_zone(est_zone *out, const est_estimate *e);

/* How the carbon intensity was obtained. */
typedef enum est_estimate_ci_from {
    EST_ESTIMATE_CI_GIVEN = 1,    /* ci_g_co2e_per_kwh */
    EST_ESTIMATE_CI_ZONE = 2,     /* the zone's annual average */
    EST_ESTIMATE_CI_LIVE = 3,     /* the provider's mean over the window */
    EST_ESTIMATE_CI_FALLBACK = 4  /* the provider failed: the zone's annual average */
} est_estimate_ci_from;

/* The intensity's origin, and one line saying where it came from (for
   EST_ESTIMATE_CI_FALLBACK: why the provider failed). */
est_estimate_ci_from est_estimate_ci_origin(const est_estimate *e);
const char *est_estimate_ci_source(const est_estimate *e);

/* With a live intensity and a sample log: the intensity weighted by the
   job's energy (the value used). Returns 1 and fills *out, or 0 when the
   intensity was not weighted (then the time mean, or a given or zone
   value, was used). */
int est_estimate_ci_weighted(est_intensity_weighted *out, const est_estimate *e);

/* With a live intensity: the time-weighted mean over the window and its
   coverage (est_intensity_mean). Returns 1 and fills *out, or 0 without one. */
int est_estimate_ci_stats(est_intensity_stats *out, const est_estimate *e);

/*
 * The water footprint of the headline scope (Li et al., "Making AI Less
 * Thirsty"): IT energy x WUE (on-site) + IT energy x PUE x the zone's
 * off-site water intensity. Returns 1 and fills *out (offsite_l and water_l
 * EST_UNSET when the zone's water intensity is unknown, or there is no
 * zone), and *offsite_l_per_kwh (may be NULL) the intensity used; 0 never
 * (the on-site part is always known).
 */
int est_estimate_water(est_water_result *out, double *offsite_l_per_kwh, const est_estimate *e);

/* Where the off-site water intensity of est_estimate_water came from:
   EST_ESTIMATE_ORIGIN_ZONE (the zone table), EST_ESTIMATE_ORIGIN_LIVE (the provider's water
   series), or 0 when unknown; *source (may be NULL) gets one line saying
   so, valid until est_estimate_free. */
int est_estimate_water_origin(const est_estimate *e, const char **source);

/* The embodied share, when embodied factors were given: returns 1 and
   fills *out, else 0. */
int est_estimate_embodied(est_embodied_result *out, const est_estimate *e);

/* The headline CO2e: the model's total in the headline scope, plus the
   embodied share when include_embodied was set. */
double est_estimate_headline_co2e_g(const est_estimate *e);

/* The platform used (an est_regions_platform), or -1 when none was given or implied. */
int est_estimate_platform(const est_estimate *e);

/* The row of the CPU power curves the estimate picked from
   est_estimate_options.cpu_curves (a copy, valid until est_estimate_free),
   or NULL when none was (the tdp model, or the fractions were given). */
const est_power_curve *est_estimate_cpu_curve(const est_estimate *e);

/* ---- for reports: what the estimate rests on, and how it compares ---- */

/* What scope's total rests on: est_model_scope_basis on the estimate's
   result and used inputs (measured, estimated, partly measured).
   EST_MODEL_BASIS_ESTIMATED for NULL. */
est_model_basis est_estimate_basis(const est_estimate *e, est_model_scope scope);

/* The CPU package's TDP shown beside the per-core figure, W: the TDP per
   core used x the database row's cores when a model was resolved (the
   whole package, even when the job uses fewer cores), else the package
   TDP given (cpu_tdp_w), else TDP per core x the cores counted. EST_UNSET
   when no CPU is counted. */
double est_estimate_cpu_package_tdp_w(const est_estimate *e);

/* Where the power figure of the CPU (gpu 0) or of the GPUs (gpu 1) came
   from, one line for a report, valid until est_estimate_free:
     CPU   the source of the "CPU TDP" input; without one (the power was
           measured, a sample log's) "sample log (measured power)";
     GPUs  "sample log (measured power)" when a sample log's GPU power was
           used (gpu_power_w not given); else the source of the "GPU TDP"
           input; else the label of the input gpu_power_w (input_labels'
           "--gpu-power", else "gpu_power_w").
   NULL when the CPU (GPUs) is not counted, or for NULL. */
const char *est_estimate_power_source(const est_estimate *e, int gpu);

/* The Green Algorithms calculator's inputs that give the same figure as
   this estimate (the "equivalent manual inputs"), out->version set by the
   caller (EST_MODEL_GA_INPUTS_VERSION):
     runtime_h, cores, memory_gb   the used inputs (memory_form_gb rounded
                                   up to 0.1 GB, as est_model_ga_inputs_compute);
     core_usage_frac               the recorded CPU usage input's value
                                   (core_usage_origin its origin: LOG for a
                                   sample log's mean), else the used usage;
                                   clamped to 1;
     cpu_usage_power_w             cores x TDP per core x core_usage_frac (the
                                   CPU power the form computes, the "usage
                                   route"); cpu_measured_w the measured one
                                   used instead, EST_UNSET when none;
     gpus, gpu_usage_frac          the GPUs counted; with a measured power P
                                   and a TDP T > 0 the usage the form needs
                                   for the same power, P / T (not clamped);
                                   else the used usage; EST_UNSET without
                                   GPUs or with a measured power and no TDP;
     gpu_power_w, gpu_tdp_w        the measured power and the TDP (EST_UNSET
                                   when none / unknown).
   Returns 0, or EST_EINVAL for a NULL argument or an unknown out->version. */
int est_estimate_ga_inputs(est_model_ga_inputs *out, const est_estimate *e);

#define EST_MEASURED_FIGURES_VERSION 1

/* What a run measured beside its estimate (est_estimate_measured_compare). */
typedef struct est_measured_figures {
    unsigned version;        /* EST_MEASURED_FIGURES_VERSION */
    double cpu_s;            /* CPU time the job used, s */
    double cpu_energy_kwh;   /* the CPU packages' energy (RAPL), kWh;
                                EST_UNSET: not measured */
    int gpus;                /* 1: compare the GPUs of the estimate's sample
                                log (their energy was measured) */
} est_measured_figures;

/* One part: the measurement beside Green Algorithms' model. Frozen: never
   gains a field. */
typedef struct est_measured_part {
    int present;             /* 0: this part was not measured (the rest is 0) */
    double measured_kwh;
    double model_kwh;        /* EST_UNSET: the model has no figure (no TDP) */
    double ratio;            /* model_kwh / measured_kwh; EST_UNSET when the
                                model has no figure or measured_kwh is 0 */
} est_measured_part;

#define EST_MEASURED_COMPARE_VERSION 1

typedef struct est_measured_compare {
    unsigned version;        /* set by the caller: EST_MEASURED_COMPARE_VERSION */
    est_measured_part cpu, gpu, cpu_gpu; /* cpu_gpu: the two summed, present
                                when both are */
} est_measured_compare;

/*
 * Measured against the model (docs/run.md): what Green Algorithms' model
 * gives for what a run measured, before PUE, beside the measurement:
 *   cpu   measured: in->cpu_energy_kwh; model: cpu_s x TDP per core / 3.6e6
 *         (the TDP per core the estimate used; no figure without a counted
 *         CPU or with a TDP per core below 0);
 *   gpu   measured: the sum of the energy_kwh of the sample log's GPUs that
 *         have power readings; model: the sum over them of GPU TDP x mean
 *         utilisation x covered_s / 3.6e6 (no figure without a TDP > 0 or
 *         when a GPU has no utilisation); present only with in->gpus and
 *         at least one GPU with power readings;
 *   cpu_gpu  the sums, present when both are (a model figure when both
 *         have one).
 * The estimate itself already uses the measurements (basis measured): the
 * model's figures go beside it, never instead. Returns 1 with *out filled
 * when any part is present, 0 when none is (out zeroed but for version),
 * EST_EINVAL for a NULL argument, an unknown version, or a negative, NaN
 * or infinite cpu_s or cpu_energy_kwh (other than EST_UNSET).
 */
int est_estimate_measured_compare(est_measured_compare *out, const est_estimate *e,
                                  const est_measured_figures *in);

#ifdef __cplusplus
}
#endif

#endif
