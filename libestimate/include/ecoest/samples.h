/*
 * ecoest/samples.h - sample logs: integrate what was measured, exactly, in
 * constant memory.
 *
 * Three layers, each usable on its own:
 *
 *   est_samples         the integrator (push interface). Feed it timed
 *                       values one tick at a time (a sampler embeds this);
 *                       it integrates each quantity of each device by the
 *                       trapezoid rule over the real timestamps, detects
 *                       gaps, duplicates and clocks going backwards, cuts a
 *                       job window with interpolated edges, measures GPU
 *                       idle power, and keeps energy per time bin.
 *   est_samples_reader  a streaming CSV reader built on the push interface:
 *                       ecoest's own format, nvidia-smi, amd-smi monitor,
 *                       rocm-smi and any CSV through a column mapping.
 *                       Feed it bytes in chunks of any size.
 *   est_samples_writer  writes ecoest's own sample-log format.
 *
 * docs/samples.md describes the formats and the method.
 *
 * Memory: an est_samples holds a fixed amount per quantity and device (and,
 * only when energy bins are asked for, 24 bytes per bin per quantity); a
 * reader holds one line (at most EST_SAMPLES_LINE_MAX bytes). Neither grows
 * with the number of rows.
 *
 * Threads: no global state. Distinct objects may be used from distinct
 * threads; one object must not be used from two threads at once.
 * Times are Unix seconds (UTC) throughout.
 */
#ifndef ECOEST_SAMPLES_H
#define ECOEST_SAMPLES_H

#include <math.h>
#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/intensity.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Quantities                                                                */
/* ------------------------------------------------------------------------ */

/* What a sample measures. The unit is in the name. */
typedef enum est_samples_kind {
    EST_SAMPLES_CPU_USAGE_FRAC = 0,      /* 0..1 of the cores in EST_SAMPLES_CPU_CORES
                                           (or of the job's cores if none) */
    EST_SAMPLES_CPU_CORES = 1,           /* cores the CPU usage refers to, > 0 */
    EST_SAMPLES_RAM_USED_GB = 2,         /* memory used by the job, GB, >= 0 */
    EST_SAMPLES_CPU_PACKAGE_POWER_W = 3, /* measured CPU package power (RAPL), W */
    EST_SAMPLES_NODE_POWER_W = 4,        /* whole-node power (wattmeter, IPMI), W */
    EST_SAMPLES_GPU_POWER_W = 5,         /* one GPU's power, W (device = its index) */
    EST_SAMPLES_GPU_USAGE_FRAC = 6,      /* one GPU's utilisation, 0..1 */
    EST_SAMPLES_CPU_BUSY_CORES = 7       /* the job's busy cores (cores' worth:
                                           top's %CPU / 100), >= 0. When a tick
                                           gives CPU_USAGE_FRAC and CPU_CORES
                                           but not this, the integrator derives
                                           it as usage x cores */
} est_samples_kind;

#define EST_SAMPLES_KIND_COUNT 8

/* GPU indices of one integrator (one host's logs) run from 0 to
   EST_SAMPLES_GPUS_MAX - 1. A result holds as many GPUs as the log has:
   read them with est_samples_result_gpu (0.x: this was 64, and a result
   embedded a fixed array of that many). */
#define EST_SAMPLES_GPUS_MAX 256

/* The value of a reading that was taken but failed ("[N/A]", "[Unknown
   Error]"): a gap, never a zero. Test with est_samples_is_missing(). */
#define EST_SAMPLES_MISSING (NAN)

/* 1 when v is EST_SAMPLES_MISSING (any NaN), else 0. */
int est_samples_is_missing(double v);

/* The ecoest column name stem of a kind: "cpu_usage_frac", "cpu_cores",
   "ram_used_gb", "cpu_package_power_w", "node_power_w", "power_w",
   "usage_frac", "cpu_busy_cores" (the GPU ones take a "gpuN_" prefix). "?"
   when unknown. */
const char *est_samples_kind_name(est_samples_kind kind);

/* One value of one tick. */
typedef struct est_sample {
    est_samples_kind kind;
    unsigned device; /* GPU index for the GPU kinds (< EST_SAMPLES_GPUS_MAX);
                        must be 0 for the others */
    double value;    /* in the kind's unit, or EST_SAMPLES_MISSING */
} est_sample;

/* ------------------------------------------------------------------------ */
/* The integrator                                                            */
/* ------------------------------------------------------------------------ */

typedef enum est_samples_fill {
    EST_SAMPLES_FILL_NONE = 0, /* a gap stays uncovered time (default) */
    EST_SAMPLES_FILL_HOLD = 1, /* a gap takes the last value before it */
    EST_SAMPLES_FILL_IDLE = 2  /* GPU power: its idle power; CPU usage: 0; the other
                          quantities: the last value (as hold) */
} est_samples_fill;

/* "none", "hold", "idle"; "?" otherwise. */
const char *est_samples_fill_name(est_samples_fill fill);
/* Parses "none", "hold" or "idle". EST_EINVAL otherwise. */
int est_samples_fill_parse(est_samples_fill *out, const char *s);

/* Plausibility bounds of a sample value: a value above them is not a
   reading (est_samples_push: EST_ERANGE; the readers: a bad row of kind
   EST_SAMPLES_BAD_RANGE). Power per device, W (100 kW: no CPU, GPU or node is near);
   cores and busy cores; memory used, GB (1 EB). */
#define EST_SAMPLES_POWER_MAX_W 1e5
#define EST_SAMPLES_CORES_MAX 1e7
#define EST_SAMPLES_RAM_MAX_GB 1e9

/* How many of the first steps of each quantity give its median step (the
   default largest bridged step is EST_SAMPLES_GAP_MEDIAN_FACTOR x that
   median). */
#define EST_SAMPLES_WARMUP_STEPS 64
#define EST_SAMPLES_GAP_MEDIAN_FACTOR 3.0

/*
 * The default largest bridged step, s, from a quantity's first steps (s,
 * sorted ascending, at most EST_SAMPLES_WARMUP_STEPS of them count):
 * EST_SAMPLES_GAP_MEDIAN_FACTOR x their median (the mean of the two middle
 * steps for an even count). Steps 10, 10, 12 give 3 x 10 = 30 s. The rule
 * the integrator applies when est_samples_options.max_gap_s is 0, for a
 * program that draws a log and breaks its lines where the integrator sees
 * a gap. 0 when n is 0 or sorted_steps_s is NULL (no default yet).
 */
double est_samples_default_max_gap_s(const double *sorted_steps_s, size_t n);

/*
 * The power, W, one sample stands for, by the model of the estimate:
 *   CPU package, node and GPU power: the value (measured);
 *   CPU usage (0..1): usage x cpu_tdp_w;
 *   GPU usage (0..1): usage x gpu_tdp_w (one TDP for every GPU);
 *   memory used (GB): GB x memory_w_per_gb.
 * Usage 0.5 of a 200 W CPU is 100 W; 16 GB at 0.375 W/GB is 6 W.
 * A program that shows a log's power prefers, per device, the measured
 * power where the log has any, else the modelled one, as the integrator
 * does. EST_ENODATA (*out_w untouched) for a missing or non-finite value, a
 * kind that is not a power (cores, busy cores), a usage whose TDP is not
 * above 0, or memory with memory_w_per_gb negative or not finite;
 * EST_EINVAL for out_w or sample NULL.
 */
int est_samples_sample_power_w(double *out_w, const est_sample *sample, double cpu_tdp_w,
                               double gpu_tdp_w, double memory_w_per_gb);

/* The energy bins, s, for a carbon intensity weighted by the energy used:
   15 minutes, the finest grid of the live intensity sources (RTE's
   eco2mix); coarser hourly data covers whole bins. Set bin_s to it whenever
   the intensity is read hour by hour (a live or offline day source). */
#define EST_SAMPLES_CARBON_BIN_S 900.0

#define EST_SAMPLES_OPTIONS_VERSION 1

/*
 * Options of an integrator. Initialise with EST_SAMPLES_OPTIONS_INIT;
 * NULL options mean these defaults.
 */
typedef struct est_samples_options {
    unsigned version; /* EST_SAMPLES_OPTIONS_VERSION */

    /* The job window. Samples outside it are read (they give the values at
       its edges by linear interpolation) but not counted. Default: from the
       first sample (or idle_until, when set) to the last sample. */
    int has_start;
    double start_unix_s;
    int has_end;
    double end_unix_s;

    /* Largest step, in seconds, that is bridged by the trapezoid rule; a
       longer one is a gap. 0 (default): 3 x the median of the first
       EST_SAMPLES_WARMUP_STEPS steps of each quantity. */
    double max_gap_s;

    est_samples_fill fill; /* default EST_SAMPLES_FILL_NONE */

    /* GPU idle power, W per GPU, for every GPU; EST_UNSET (default): not
       given (then: measured before idle_until, else set with
       est_samples_set_gpu_idle, else unknown). */
    double gpu_idle_w;

    /* When has_idle_until: each GPU's idle power is its time-weighted mean
       power over its samples up to idle_until_unix_s, and the job window
       starts there unless has_start (but never before the first sample).
       Without gpu_idle_w, est_samples_compute fails (EST_ENODATA) when no
       GPU has two power samples in a row before it. */
    int has_idle_until;
    double idle_until_unix_s;

    /* Width of the energy bins of est_samples_energy_bins, s. 0 (default):
       no bins are kept. Otherwise at least EST_SAMPLES_BIN_S_MIN (else
       est_samples_open fails with EST_EINVAL). Bins are kept only inside the
       job window (from start_unix_s, or idle_until, or the first sample). A
       sample time t with |t / bin_s| >= 2^53 drops every bin like max_bins
       does. */
    double bin_s; /* for a carbon intensity weighted by energy:
                     EST_SAMPLES_CARBON_BIN_S */
    /* Most bins kept per quantity; when the window needs more, every bin is
       dropped (never an error of push or finish) and est_samples_energy_bins
       returns EST_ERANGE. 0: 100000 (2.85 years of 15-minute bins). */
    size_t max_bins;
} est_samples_options;

/* The narrowest energy bin est_samples_open accepts, s. */
#define EST_SAMPLES_BIN_S_MIN 1e-3

#define EST_SAMPLES_OPTIONS_INIT                                               \
    { EST_SAMPLES_OPTIONS_VERSION, 0, 0.0, 0, 0.0, 0.0, EST_SAMPLES_FILL_NONE,        \
      EST_UNSET, 0, 0.0, 0.0, 0 }

typedef struct est_samples est_samples;

/*
 * Creates an integrator. *s is NULL on failure.
 * Times (start, end, idle_until) are Unix seconds and may be before 1970
 * (negative), like the sample times of est_samples_push.
 * EST_EINVAL: s NULL, a bad option (a NaN or infinite time, a negative or
 * non-finite gap or GPU idle power, end not after start, a bin_s that is
 * neither 0 nor >= EST_SAMPLES_BIN_S_MIN, an unknown version or fill).
 * EST_ERANGE: a time outside EST_TIME_MIN_UNIX_S..EST_TIME_MAX_UNIX_S
 * (years 0001..9999). EST_ENOMEM.
 */
int est_samples_open(est_samples **s, const est_samples_options *opts,
                     est_error *err);

/* Frees an integrator. Accepts NULL. */
void est_samples_free(est_samples *s);

/*
 * Pushes the values of one tick measured at time_unix_s (finite). values
 * holds n samples (n may be 0); the same quantity twice in one call is
 * EST_EINVAL.
 *
 * Per quantity and device, samples must come in increasing time: a sample
 * at the same time as the previous one is a duplicate and one before it is
 * a clock going backwards; both are dropped and counted (see
 * est_samples_compute), never an error. A missing value ends the stretch
 * being integrated: the time to the next valid value is a gap.
 *
 * Times may be before 1970 (negative) but must lie in
 * EST_TIME_MIN_UNIX_S..EST_TIME_MAX_UNIX_S (years 0001..9999).
 *
 * EST_EINVAL: a NaN or infinite time, an unknown kind, a device out of
 * range, an infinite value, a negative value, a usage above 1, cores 0, or
 * a push after est_samples_finish. EST_ERANGE: a time outside years
 * 0001..9999, a power above EST_SAMPLES_POWER_MAX_W, cores or busy cores
 * above EST_SAMPLES_CORES_MAX, memory above EST_SAMPLES_RAM_MAX_GB.
 * EST_ENOMEM. On failure nothing of this call is counted.
 */
int est_samples_push(est_samples *s, double time_unix_s,
                     const est_sample *values, size_t n, est_error *err);

/* Records the name of GPU device (as the log gives it, e.g. "NVIDIA
   A100-SXM4-80GB"; copied) and whether it is the secondary die of a
   multi-die package (it has no power reading of its own: the package's
   power is reported on the primary die). name may be NULL (unchanged).
   EST_EINVAL for s NULL or a device out of range (nothing recorded). */
int est_samples_set_gpu_info(est_samples *s, unsigned device, const char *name,
                             int secondary_die);

/* Idle power of one GPU, W (finite, >= 0), used when neither the options'
   gpu_idle_w nor idle_until gives one, e.g. from the hardware database.
   May be called before or after est_samples_finish. EST_EINVAL for s NULL,
   a device out of range, or idle_w negative, NaN or infinite (nothing
   recorded). */
int est_samples_set_gpu_idle(est_samples *s, unsigned device, double idle_w);

/*
 * Ends the input: integrates what is still buffered (the warm-up samples
 * of each quantity). After it, est_samples_push fails and the results are
 * final. Calling it twice is harmless. Returns 0, or EST_EINVAL when s
 * is NULL (err is not used: it never fails otherwise).
 */
int est_samples_finish(est_samples *s, est_error *err);

typedef enum est_samples_idle_source {
    EST_SAMPLES_IDLE_UNKNOWN = 0,    /* no idle power known: 0 W assumed */
    EST_SAMPLES_IDLE_OPTION = 1,     /* options.gpu_idle_w */
    EST_SAMPLES_IDLE_MEASURED = 2,   /* mean power before idle_until */
    EST_SAMPLES_IDLE_SET = 3         /* est_samples_set_gpu_idle (e.g. the hwdb) */
} est_samples_idle_source;

/* "unknown", "option", "measured before idle-until", "set". */
const char *est_samples_idle_source_name(est_samples_idle_source src);

/* The integral of one quantity of one device over the job window. */
typedef struct est_samples_quantity {
    int present;            /* at least one interval in the window, or (see
                               mean_of_readings) valid readings in it */
    double mean;            /* time-weighted mean over covered + filled time,
                               in the kind's unit; 0 when not present */
    int mean_of_readings;   /* 1: valid readings in the window but no covered
                               or filled time (each reading isolated by
                               missing values or gaps): mean is the plain
                               mean of those readings, integral and
                               covered_s are 0 */
    double integral;        /* unit x s over covered + filled time */
    double covered_s;       /* time bridged by measured samples */
    double filled_s;        /* gap time filled (--fill hold|idle) */
    double uncovered_s;     /* window time with no value: duration_s -
                               covered_s - filled_s */
    unsigned long samples;  /* valid samples pushed (in or out of window) */
    unsigned long missing;  /* missing values pushed */
    unsigned long gaps;     /* gaps that touch the window */
    unsigned long duplicates, backwards; /* samples dropped, see push */
    double max_gap_s;       /* the largest bridged step used */
    double min, max;        /* of the valid samples; 0 when none */
    double first_unix_s, last_unix_s; /* times of the first and last valid
                                         samples (in or out of the window);
                                         0 when none */
    /* When a bridged step crosses the window's start (end): the value
       interpolated there (what a converter writes at the edge) */
    int has_start_value, has_end_value;
    double start_value, end_value;
    double reserved[4];     /* 0; room for fields of later versions */
} est_samples_quantity;

typedef struct est_samples_gpu {
    unsigned index;
    char name[EST_NAME_MAX]; /* "" when the log gives none */
    int secondary_die;       /* no own power reading (see set_gpu_info) */
    est_samples_quantity power_w;
    est_samples_quantity usage_frac;
    double mean_power_w;     /* = power_w.mean */
    double energy_kwh;       /* power_w.integral / 3.6e6 */
    double idle_w;           /* as used; 0 when idle_source is UNKNOWN */
    est_samples_idle_source idle_source;
    double idle_covered_s;   /* time the idle measurement covers */
    /* max(energy_kwh - idle_w x (covered_s + filled_s) / 3.6e6, 0) */
    double energy_above_idle_kwh;
    /* Fields may be appended: the library allocates these (a caller never
       holds an array of them), read them with est_samples_result_gpu. */
} est_samples_gpu;

/*
 * What est_samples_compute gives. The scalar fields and quantities are read
 * directly; the GPUs through est_samples_result_gpu (n_gpus of them, held
 * in memory the result owns: release it with est_samples_result_dispose).
 * reserved is room for fields appended before 1.0 and after: a caller's
 * struct keeps its size across versions.
 */
typedef struct est_samples_result {
    double start_unix_s, end_unix_s; /* the job window used */
    double duration_s;      /* end - start, > 0 */
    double covered_s;       /* the least covered quantity's covered_s +
                               filled_s (the time every quantity has a
                               value, at most); a quantity with samples but
                               no two in a row counts as 0 */
    /* Gaps, duplicate times and times going backwards, in rows: for each
       input (a reader; the push interface is one) the largest count of its
       quantities and devices (one hole in a log of four columns is 1 gap,
       73 repeated rows are 73 duplicates; nvidia-smi's rows of one tick,
       one per GPU, count once), summed over the inputs. missing: missing
       values, over all quantities and devices. */
    unsigned long gaps;
    unsigned long duplicates, backwards, missing;

    /* Each quantity; .present says whether the log has it. */
    est_samples_quantity cpu_usage_frac, cpu_cores, ram_used_gb;
    /* Busy cores: given by the log, or derived as usage x cores in each tick
       that has both (then its mean is the mean of the product, not the
       product of the means). cpu_busy_cores_derived: 1 when no busy-core
       value was given, only derived. */
    est_samples_quantity cpu_busy_cores;
    int cpu_busy_cores_derived;
    est_samples_quantity cpu_package_power_w, node_power_w;
    double cpu_package_energy_kwh, node_energy_kwh;

    /* GPUs that have any sample or info, by increasing index: read GPU i
       (0 <= i < n_gpus) with est_samples_result_gpu. */
    size_t n_gpus;
    void *gpus_private; /* the library's: never read or free it */
    double reserved[16]; /* 0; room for fields of later versions */
} est_samples_result;

/*
 * Computes the results so far (normally after est_samples_finish) into
 * *out. Does not change s. *out is overwritten without being read: a
 * result computed before must be released (est_samples_result_dispose)
 * first, or its GPUs leak. On success the result owns its GPUs until
 * est_samples_result_dispose; on failure it owns nothing (n_gpus 0) and
 * need not be disposed (doing so is harmless). EST_ENODATA with a clear
 * message when there is nothing to integrate: no sample at all, a single
 * sample, or no two samples of any quantity around the window; EST_ERANGE
 * when the window is empty; EST_ENOMEM; EST_EINVAL for a NULL out or s.
 */
int est_samples_compute(est_samples_result *out, const est_samples *s, est_error *err);

/*
 * GPU i of a result, 0 <= i < r->n_gpus (by increasing index: the
 * est_samples_gpu.index, which may skip numbers a log does not use); NULL
 * for a NULL r or i out of range. The GPU belongs to r: valid until r is
 * disposed or computed into again. Copying a result struct copies the
 * pointer, not the GPUs: dispose only one of the copies.
 */
const est_samples_gpu *est_samples_result_gpu(const est_samples_result *r, size_t i);

/*
 * The measured energy of a result's GPUs, kWh: the sum of energy_kwh over
 * the GPUs whose power_w is present (a GPU logged by usage only adds
 * nothing). GPUs of 2.0 and 0.5 kWh measured and one by usage: 2.5 kWh.
 * EST_ENODATA (*out_kwh untouched) when no GPU has measured power;
 * EST_EINVAL for a NULL pointer. On a host's result (est_samples_set_host_at)
 * it is that host's.
 */
int est_samples_result_gpu_energy_kwh(double *out_kwh, const est_samples_result *r);

/*
 * Releases what a computed result owns (its GPUs) and leaves it empty
 * (n_gpus 0; the other fields as they were). Accepts NULL, a result whose
 * compute failed, and one already disposed; not an uninitialised one.
 */
void est_samples_result_dispose(est_samples_result *r);

/*
 * Several logs of one job must overlap in time: a GPU log of 1000..1030 s
 * and a RAM log of 5000..5010 s would make a 4010 s job with each
 * quantity's mean assumed over it. EST_ENODATA, err naming each quantity's
 * span, when the quantities of res share no time, or when the time every
 * quantity has a value is under 10 % of the window. A caller that knows the
 * job's window (a start and an end given) need not ask. EST_EINVAL for a
 * NULL res, EST_ENOMEM. For the logs of a set, host by host:
 * est_samples_set_check_overlap.
 */
int est_samples_check_overlap(const est_samples_result *res, est_error *err);

/* est_samples_energy_bins fills est_intensity_energy_bin (ecoest/intensity.h):
   [start_unix_s, end_unix_s) clipped to the window, and its energy_kwh, ready
   for est_intensity_energy_weighted. */

#define EST_SAMPLES_BIN_WEIGHTS_VERSION 1

/* How est_samples_energy_bins turns the quantities into power. Initialise
   with EST_SAMPLES_BIN_WEIGHTS_INIT (PUE 1, memory 0.3725 W/GB, the rest 0),
   then set what you know; fields may be appended in later versions. */
typedef struct est_samples_bin_weights {
    unsigned version;           /* EST_SAMPLES_BIN_WEIGHTS_VERSION */
    double cpu_w_at_full_usage; /* cores x TDP per core: W at usage 1; 0
                                   (default): the CPU counts nothing */
    int cpu_use_package_power;  /* 1: the measured package power instead */
    double memory_w_per_gb;     /* >= 0; default 0.3725 (Green Algorithms,
                                   EST_DEFAULT_MEMORY_W_PER_GB of model.h) */
    int gpu_above_idle;         /* 1: GPU power above idle (process scope) */
    double pue;                 /* >= 1; default 1 */
    double cpu_w_per_busy_core; /* TDP per core: when > 0 and the log has busy
                                   cores (given or derived), the CPU's bins
                                   are busy cores x this instead of usage x
                                   cpu_w_at_full_usage; 0: usage route */
} est_samples_bin_weights;

#define EST_SAMPLES_BIN_WEIGHTS_INIT                                           \
    { EST_SAMPLES_BIN_WEIGHTS_VERSION, 0.0, 0, 0.3725, 0, 1.0, 0.0 }

/*
 * Energy per time bin (options.bin_s wide, aligned on multiples of bin_s
 * since the Unix epoch, clipped to the window), for an energy-weighted mean
 * of an hourly carbon intensity. Writes at most max_bins entries to bins and
 * the number of bins in the window to *n_bins (call with max_bins 0 to size
 * the array). Bins hold measured (and filled) energy only: uncovered time
 * adds nothing.
 * EST_EINVAL: bins were not enabled (bin_s 0), a NULL pointer, an unknown
 * w->version, PUE < 1 or not finite, a negative or non-finite weight.
 * EST_ERANGE: more bins than max_bins (*n_bins says how many), or the
 * window needed more than options.max_bins and none were kept (*n_bins 0).
 */
int est_samples_energy_bins(est_intensity_energy_bin *bins, size_t max_bins, size_t *n_bins,
                            const est_samples *s, const est_samples_bin_weights *w, est_error *err);

/* ------------------------------------------------------------------------ */
/* Bad rows                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum est_samples_bad_row_kind {
    EST_SAMPLES_BAD_FIELD_COUNT = 0, /* the wrong number of fields */
    EST_SAMPLES_BAD_NUMBER = 1,      /* a value that is not a number */
    EST_SAMPLES_BAD_NEGATIVE = 2,    /* a negative power, usage, memory or count */
    EST_SAMPLES_BAD_RANGE = 3,       /* a usage above 100%, 0 cores, a GPU index too big,
                                a power above 100 kW for one device */
    EST_SAMPLES_BAD_TIME = 4,        /* a time that cannot be parsed */
    EST_SAMPLES_BAD_TIME_RANGE = 5,  /* a time outside 1970-01-01 .. 2100-01-01 */
    EST_SAMPLES_BAD_LINE = 6         /* a line too long, a broken quote, a NUL byte */
} est_samples_bad_row_kind;

#define EST_SAMPLES_BAD_ROW_KINDS 7
#define EST_SAMPLES_BAD_ROW_LINES_MAX 5
/* Size of est_samples_read_stats.first_file entries, NUL included: a
   reader's name longer than 63 bytes is cut there. */
#define EST_SAMPLES_BAD_ROW_FILE_MAX 64

/* "wrong number of fields", "not a number", ... */
const char *est_samples_bad_row_kind_name(est_samples_bad_row_kind kind);

/* What the readers of one integrator met. */
typedef struct est_samples_read_stats {
    unsigned long rows;         /* data rows read (headers, blank lines and
                                   comments not counted), skipped included */
    unsigned long skipped_rows; /* with skip_bad_rows */
    unsigned long skipped_by_kind[EST_SAMPLES_BAD_ROW_KINDS];
    size_t n_first;             /* first skipped rows, up to
                                   EST_SAMPLES_BAD_ROW_LINES_MAX */
    char first_file[EST_SAMPLES_BAD_ROW_LINES_MAX][EST_SAMPLES_BAD_ROW_FILE_MAX];
    unsigned long first_line[EST_SAMPLES_BAD_ROW_LINES_MAX];
    char first_message[EST_ERROR_MESSAGE_MAX]; /* of the first skipped row */
    unsigned long headers;      /* header lines read (repeated ones too) */
    /* inputs whose last line had no newline (a log cut while it was being
       written: that row's last value may be cut short, "150" read as "15"),
       and the first such input's name */
    unsigned long unterminated_inputs;
    char unterminated_file[EST_SAMPLES_BAD_ROW_FILE_MAX];
} est_samples_read_stats;

/* The reading statistics accumulated over every reader of s. Not from a
   reader's callbacks, nor while est_samples_read_fd/_file runs on s in
   another thread (see est_samples_read_fd). */
void est_samples_stats(est_samples_read_stats *out, const est_samples *s);

/* ------------------------------------------------------------------------ */
/* Readers                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum est_samples_format {
    EST_SAMPLES_FORMAT_AUTO = 0,       /* detect from the header */
    EST_SAMPLES_FORMAT_ECOEST = 1,     /* ecoest's own (docs/samples.md) */
    EST_SAMPLES_FORMAT_NVIDIA_SMI = 2, /* nvidia-smi --query-gpu=... --format=csv */
    EST_SAMPLES_FORMAT_AMD_SMI = 3,    /* amd-smi monitor --csv */
    EST_SAMPLES_FORMAT_ROCM_SMI = 4,   /* rocm-smi --csv (no time: interval_s) */
    EST_SAMPLES_FORMAT_CSV = 5         /* any CSV through a column mapping */
} est_samples_format;

/* "auto", "ecoest", "nvidia-smi", "amd-smi", "rocm-smi", "csv". */
const char *est_samples_format_name(est_samples_format f);
/* Parses the names above. EST_EINVAL otherwise. */
int est_samples_format_parse(est_samples_format *out, const char *s);

/*
 * Gives the UTC offset (local minus UTC, seconds) in effect at a zone-less
 * local time, passed as if it were UTC. Returns 0, or non-zero when that
 * local time does not exist. Lets a caller apply a time zone with rules
 * (the CLI does it for IANA names) while the library keeps no zone state.
 */
typedef int (*est_samples_tz_offset_fn)(void *user, double local_as_utc_s,
                                long *offset_s);

/*
 * Gives every UTC offset that a zone-less local time (passed as if UTC) may
 * have: *n = 1 normally, 2 in the hour repeated when clocks go back (both
 * offsets, any order). Returns 0, or non-zero when that local time does not
 * exist. With it, an ambiguous time takes the offset that puts it at or
 * after the previous time of the same file (02:59:59 then 02:00:00 on the
 * night clocks go back is one second later, not 59 minutes earlier); the
 * earlier instant when both or neither do.
 */
typedef int (*est_samples_tz_offsets_fn)(void *user, double local_as_utc_s, long offsets_s[2],
                                 int *n);

/* Called with the bytes consumed so far (for a progress line). */
typedef void (*est_samples_progress_fn)(void *user, unsigned long long bytes_done);

/* Called for each row pushed, after it was checked (for a converter). */
typedef void (*est_samples_row_fn)(void *user, double time_unix_s,
                           const est_sample *values, size_t n);

#define EST_SAMPLES_READ_OPTIONS_VERSION 1

typedef struct est_samples_read_options {
    unsigned version;          /* EST_SAMPLES_READ_OPTIONS_VERSION */
    est_samples_format format; /* default EST_SAMPLES_FORMAT_AUTO */

    /* Column mapping or header:
       - "key=column,key=column": which column (by header name, or by the
         header name less a trailing " [unit]") holds what. Keys: time,
         cpu_frac, cpu_pct, cpu_cores, cpu_cores_pct (top/ps %CPU: 100 per
         busy core), ram_gb, cpu_w (package power), node_w,
         gpu_w, gpu_pct, gpu_frac (GPU 0, or of the row's GPU when gpu_index
         is mapped), gpuN_w, gpuN_pct, gpuN_frac (GPU N), gpu_index,
         gpu_name. Forces EST_SAMPLES_FORMAT_CSV unless format says otherwise.
       - "name,name,...": no '=': the header of a file that has none (e.g.
         nvidia-smi --format=csv,noheader: the --query-gpu list); the
         format is then detected from it. A first line equal to it is
         skipped. NULL: the file's first line is the header. */
    const char *columns;

    /* Zone-less times (nvidia-smi's, or ISO without a zone): has_tz and
       tz_offset_s (local minus UTC), or tz_fn. Neither: such a time is a
       bad row that says to give a zone. */
    int has_tz;
    long tz_offset_s;
    est_samples_tz_offset_fn tz_fn;
    void *tz_user;

    /* rocm-smi has no time: tick k (0-based) is at origin_unix_s +
       k x interval_s. A new tick starts at a repeated header or device.
       interval_s 0: such a file is EST_EINVAL. */
    double interval_s;
    double origin_unix_s;

    /* 0 (default): the first bad row stops the reader with EST_EPARSE and
       "file:line: column X: what is wrong, got "value"". 1: it is skipped
       and counted (est_samples_stats). */
    int skip_bad_rows;

    est_samples_progress_fn progress;  /* optional, called about every 4 MiB (on the
                                  parsing thread, see threads) */
    void *progress_user;
    est_samples_row_fn on_row;         /* optional; always called on the caller's
                                  thread */
    void *row_user;

    /* est_samples_read_fd / _file only: 0 (default): two threads (one
       parsing, one integrating, handing over fixed-size batches) for a
       regular file above 4 MiB, else one; 1: always one. */
    int threads;

    /* Optional, used instead of tz_fn (with tz_user) for the times of rows:
       resolves the repeated hour of a daylight-saving change by order. */
    est_samples_tz_offsets_fn tz_offsets_fn;
} est_samples_read_options;

#define EST_SAMPLES_READ_OPTIONS_INIT                                          \
    { EST_SAMPLES_READ_OPTIONS_VERSION, EST_SAMPLES_FORMAT_AUTO, NULL, 0, 0, NULL,     \
      NULL, 0.0, 0.0, 0, NULL, NULL, NULL, NULL, 0, NULL }

/* Longest line a reader accepts, bytes. */
#define EST_SAMPLES_LINE_MAX 65536

typedef struct est_samples_reader est_samples_reader;

/*
 * Creates a reader pushing into s (which must outlive it). name is used in
 * messages ("gpu.csv:17: ..."; copied; NULL: "<input>"). The options are
 * copied, except the strings and user pointers, which must outlive the
 * reader. EST_EINVAL: r or s NULL, an unknown version or format, a negative
 * or non-finite interval_s, a non-finite origin, a tz_offset_s beyond
 * +-24 h, or a malformed columns: empty or blank (""), an item of a
 * mapping without a key or a column ("=,=,", "time=,gpu_w=p", a trailing
 * comma), a header list with no name (","). Whether the mapped columns
 * exist is known only from the header: EST_EINVAL from the first feed.
 * EST_ENOMEM.
 */
int est_samples_reader_open(est_samples_reader **r, est_samples *s,
                            const char *name,
                            const est_samples_read_options *opts,
                            est_error *err);

/*
 * Feeds the next len bytes of the file (any split: lines may straddle
 * calls). Returns 0, or the first error: EST_EPARSE (a bad row without
 * skip_bad_rows, an unknown header), EST_EINVAL (a needed option is
 * missing: --tz, --interval, --columns; a quantity given by two files),
 * EST_ENOMEM. After an error the reader only returns it again.
 */
int est_samples_reader_feed(est_samples_reader *r, const char *data,
                            size_t len, est_error *err);

/*
 * Ends the input: reads a last line that has no newline. An input with no
 * data row is EST_ENODATA ("empty file" or "header only"). Does not call
 * est_samples_finish (several files may feed one integrator).
 */
int est_samples_reader_finish(est_samples_reader *r, est_error *err);

/* The format detected (or forced); EST_SAMPLES_FORMAT_AUTO before the header. */
est_samples_format est_samples_reader_format(const est_samples_reader *r);

/* 1 when the log read has no time column (rocm-smi, a mapping without
   time): its tick k is at origin_unix_s + k x interval_s, so its times mean
   something next to another log's only when origin_unix_s was given. 0
   otherwise or before the header. */
int est_samples_reader_timeless(const est_samples_reader *r);

/*
 * Whether logs read side by side share one time base. A log without times
 * (est_samples_reader_timeless) puts tick k at origin_unix_s + k x
 * interval_s: next to a log with times its ticks mean something only when
 * origin_unix_s was given (else tick 0 is the Unix epoch, decades before
 * the other log). n_timeless, n_timed: how many logs of each kind were read
 * so far; call it after each log to refuse at the first that breaks the
 * rule. EST_OK, or EST_EINVAL when both counts are above 0 and
 * origin_given is 0. Takes no est_error: the caller names the logs and the
 * option that gives the origin.
 */
int est_samples_check_time_bases(size_t n_timeless, size_t n_timed, int origin_given);

/* For an nvidia-smi log without an index, pci.bus_id or uuid column: the
   number of GPUs per tick found, each row's GPU being its position in its
   tick (docs/samples.md); 0 otherwise (or before est_samples_reader_finish
   for a log of fewer than 256 rows). */
unsigned est_samples_reader_gpus_by_position(const est_samples_reader *r);

/* Frees a reader. Accepts NULL. */
void est_samples_reader_free(est_samples_reader *r);

/*
 * Reads a whole file descriptor (open, blocking; not closed) through a
 * reader: open, feed, finish, free; with opts->threads, parsing runs on a
 * second thread while this one integrates (same results, same errors; the
 * memory stays bounded: three batches of 8192 rows). name as in
 * est_samples_reader_open. EST_EIO for a read error, else as the reader
 * calls.
 *
 * The parsing thread, when there is one: it is created with every signal
 * blocked (the caller's signal mask is restored at once: signals keep going
 * to the caller's threads), and it has ended when the call returns. The
 * callbacks tz_fn, tz_offsets_fn and progress run on it (they must be
 * thread-safe with respect to the caller's thread: no thread-local state);
 * on_row always runs on the calling thread. No callback may call
 * est_samples_stats, nor any other function on s: the parsing
 * thread updates s's reading statistics while the call runs.
 */
int est_samples_read_fd(est_samples *s, int fd, const char *name,
                        const est_samples_read_options *opts, est_error *err);

/*
 * est_samples_read_fd's work on a reader the caller opened
 * (est_samples_reader_open) and still holds: reads fd to its end, with
 * threads as est_samples_read_options.threads (0: two for a regular file
 * above 4 MiB, then block parsing at row boundaries; 1: one), and finishes
 * the input. The reader stays open, so the caller can still ask for its
 * format (est_samples_reader_format) and the rest; free it after. Nothing
 * may be fed to r before or after. EST_EINVAL for a NULL reader, a negative
 * fd or threads; the errors of est_samples_read_fd otherwise.
 */
int est_samples_reader_read_fd(est_samples_reader *r, int fd, int threads, est_error *err);

/* est_samples_read_fd on a file opened by path (no "-" convention here).
   EST_ENOENT when it does not exist, EST_EIO when it cannot be read. */
int est_samples_read_file(est_samples *s, const char *path,
                          const est_samples_read_options *opts,
                          est_error *err);

/* ------------------------------------------------------------------------ */
/* Writer                                                                    */
/* ------------------------------------------------------------------------ */

/* Receives the writer's output; returns 0, or non-zero to fail (EST_EIO). */
typedef int (*est_samples_write_fn)(void *user, const char *data, size_t len);

typedef struct est_samples_writer est_samples_writer;

/*
 * Creates a writer of ecoest's sample-log format with one column per
 * (kind, device) in columns (n of them, each once, n >= 1) after
 * time_unix_s, in that order. The header is written at once. Numbers are
 * written locale-independently, shortest round-trip. EST_EINVAL, EST_ENOMEM,
 * EST_EIO.
 */
int est_samples_writer_open(est_samples_writer **w, const est_sample *columns,
                            size_t n, est_samples_write_fn write, void *user,
                            est_error *err);

/* A GPU's name and secondary-die flag, for est_samples_writer_open_gpus. */
typedef struct est_samples_writer_gpu {
    unsigned device;   /* < EST_SAMPLES_GPUS_MAX */
    const char *name;  /* NULL or "": none */
    int secondary_die; /* 1: written as "N/A (Secondary die)" in its power
                          column (added when columns has none) */
} est_samples_writer_gpu;

/*
 * est_samples_writer_open, plus the GPUs' names and secondary-die flags
 * (n_gpus of them, each device once; copied): a gpuN_name column per named
 * GPU after the value columns, and both written in the first row only (the
 * reader takes them from any row). EST_EINVAL, EST_ENOMEM, EST_EIO.
 */
int est_samples_writer_open_gpus(est_samples_writer **w, const est_sample *columns,
                                 size_t n, const est_samples_writer_gpu *gpus,
                                 size_t n_gpus, est_samples_write_fn write, void *user,
                                 est_error *err);

/*
 * Writes one row at time_unix_s with the given values (the others empty:
 * not sampled in this row; a missing value is written "NA"). A value for a
 * column the writer does not have is EST_EINVAL. EST_EIO from write.
 */
int est_samples_writer_row(est_samples_writer *w, double time_unix_s,
                           const est_sample *values, size_t n, est_error *err);

/* Frees a writer. Accepts NULL. */
void est_samples_writer_free(est_samples_writer *w);

/*
 * Copies a log in ecoest's format, as est_samples_writer writes it
 * (data[0..len)), keeping only the GPUs whose keep[index] is non-zero (a
 * GPU at or past n_keep is dropped): their power, usage and name columns
 * go, every other column stays in its place, and a row left with no value
 * (nor a kept GPU's name) is dropped; the header always stays. The copy is
 * written through a writer to write/user, so it reads as the log did (its
 * values and times unchanged). For a log of every GPU of a machine, cut to
 * the GPUs a job used. EST_EPARSE ("line L: ...") for a header column or a
 * field the writer would not write, EST_ENODATA when only the time column
 * would be left, EST_EIO from write, EST_EINVAL for NULL pointers,
 * EST_ENOMEM. Nothing is written on an error found in the header; the copy
 * of a log that fails later is cut short (write to a temporary file).
 */
int est_samples_keep_gpus(const char *data, size_t len, const unsigned char *keep,
                          size_t n_keep, est_samples_write_fn write, void *user,
                          est_error *err);

/*
 * Converting logs to ecoest's format (ecoest --write-samples): the columns
 * are chosen from a computed result of the logs (est_samples_compute): each
 * host quantity and each GPU's power and usage that has samples or missing
 * values (busy cores only when the log gave them, not when derived from
 * usage x cores), plus each GPU's name and secondary-die flag. The logs
 * are then read again with est_samples_convert_row as the readers' on_row:
 * rows outside the window are dropped. With has_start (has_end), the value
 * each quantity has at the window's start (end), interpolated
 * (est_samples_quantity.start_value), is written as a row there, so the
 * converted log integrates over the same window as the logs did.
 */
#define EST_SAMPLES_CONVERT_OPTIONS_VERSION 1

typedef struct est_samples_convert_options {
    unsigned version; /* EST_SAMPLES_CONVERT_OPTIONS_VERSION */
    /* 1: the result's start_unix_s (end_unix_s) is the job's (given as
       est_samples_options.start_unix_s): rows before it are dropped and a
       row of the values there is written first (last). Default 0 and 0:
       every row, no edge rows. */
    int has_start;
    int has_end;
} est_samples_convert_options;

#define EST_SAMPLES_CONVERT_OPTIONS_INIT {EST_SAMPLES_CONVERT_OPTIONS_VERSION, 0, 0}

typedef struct est_samples_converter est_samples_converter;

/*
 * Chooses the columns from res (copied: res may be disposed afterwards);
 * nothing is written yet. opts NULL: defaults; versions 1 to the current
 * are accepted. EST_ENODATA when res has no quantity to write ("nothing to
 * write"); EST_EINVAL for NULL pointers or an unknown options version;
 * EST_ENOMEM.
 */
int est_samples_convert_open(est_samples_converter **cv, const est_samples_result *res,
                             const est_samples_convert_options *opts, est_error *err);

/* Opens the writer on write/user (the header) and writes the start row
   (has_start). Errors as est_samples_writer_open_gpus and
   est_samples_writer_row; EST_EINVAL when called twice. */
int est_samples_convert_begin(est_samples_converter *cv, est_samples_write_fn write,
                              void *user, est_error *err);

/* An est_samples_row_fn (user: the converter): writes the row when it lies
   in the window. After a failure, rows are ignored and the failure is kept
   for est_samples_convert_finish. Does nothing before begin. */
void est_samples_convert_row(void *cv, double time_unix_s, const est_sample *values,
                             size_t n);

/* Writes the end row (has_end) unless a row failed; returns the first
   failure of the rows or of this row (its est_error filled), or EST_OK.
   EST_EINVAL before begin. */
int est_samples_convert_finish(est_samples_converter *cv, est_error *err);

/* Frees a converter and its writer. Accepts NULL. */
void est_samples_convert_free(est_samples_converter *cv);

/* ------------------------------------------------------------------------ */
/* Logs of several hosts                                                     */
/* ------------------------------------------------------------------------ */

/*
 * A job on several nodes logs on each: node A's GPU 0 is not node B's, and
 * their logs overlap in time. A set keeps one integrator per host (each in
 * constant memory, with the set's options), and a total that reads as one
 * integrator: pass est_samples_set_total() as est_estimate_options.samples.
 *
 * The total (est_samples_compute on it), with two hosts or more:
 * - the window is the union: from the earliest host's start to the latest
 *   host's end (with options' start and end: those, for every host);
 * - the GPUs are every host's, numbered in host order (host 0's first),
 *   at most EST_SAMPLES_GPUS_MAX over all hosts (else EST_ERANGE);
 * - a quantity's integral, samples and counts add up over the hosts; its
 *   mean is the sum of each host's mean x its window, over the union's
 *   duration (so mean x duration is the hosts' energies added, each host's
 *   covered mean assumed over its own window, as for one host). A GPU's
 *   mean power and idle power are scaled the same way (window_h / union).
 *   The CPU usage (a fraction of a host's cores) is averaged over the hosts
 *   that log it that way, each weighted by its window: hosts of equal
 *   cores; a log with cpu_cores or busy cores is exact;
 * - covered_s: the union's duration x the least covered host's fraction;
 * - gaps, duplicates, backwards and missing: summed over the hosts;
 * - est_samples_energy_bins: each host's bins added, bin by bin;
 * - est_samples_stats: every host's readers' statistics.
 * With one host, the total is that host's integrator, exactly.
 */
typedef struct est_samples_set est_samples_set;

/* Longest host name, bytes (NUL excluded). */
#define EST_SAMPLES_HOST_MAX 63

/*
 * Creates an empty set; each host's integrator will be opened with opts
 * (copied; NULL: defaults). EST_EINVAL as est_samples_open (the options
 * are checked now), EST_ENOMEM.
 */
int est_samples_set_open(est_samples_set **set, const est_samples_options *opts,
                         est_error *err);

/* Frees a set, its hosts' integrators and its total. Accepts NULL. */
void est_samples_set_free(est_samples_set *set);

/*
 * The integrator of host (created on first use, hosts numbered in that
 * order): feed it with a reader (est_samples_reader_open, read_fd, ...).
 * host: "" for a single machine; at most EST_SAMPLES_HOST_MAX bytes of
 * letters, digits, '.', '-', '_' and ':' (EST_EINVAL otherwise, naming
 * it). *s belongs to the set. EST_ENOMEM.
 */
int est_samples_set_host(est_samples **s, est_samples_set *set, const char *host, est_error *err);

/* Hosts so far; the name and integrator of host i (NULL past the end). */
size_t est_samples_set_host_count(const est_samples_set *set);
const char *est_samples_set_host_name(const est_samples_set *set, size_t i);
est_samples *est_samples_set_host_at(const est_samples_set *set, size_t i);

/*
 * The total as one integrator (see above), owned by the set: do not free
 * it, push to it or give it GPU info (EST_EINVAL). est_samples_finish on it
 * finishes every host; est_samples_set_gpu_idle on it sets the GPU of that
 * total index on its host. NULL for a NULL set.
 */
est_samples *est_samples_set_total(est_samples_set *set);

/* Where GPU total_index of the total comes from: its host and its index
   there. EST_EINVAL when no host has it (after a compute of the total). */
int est_samples_set_gpu_origin(size_t *host, unsigned *device, const est_samples_set *set,
                               unsigned total_index);

/* The total index of host i's first GPU (GPUs are numbered in host
   order: host 0's first), as the last compute of the total numbered them;
   host i's GPU g (its result's g-th) is total GPU first + g. 0 for a NULL
   set, i past the end, a single host, or before a compute of the total. */
unsigned est_samples_set_host_gpu_first(const est_samples_set *set, size_t i);

/* How many inputs (readers: est_samples_reader_open on its integrator)
   fed host i; 0 for a NULL set or i past the end. */
size_t est_samples_set_host_inputs(const est_samples_set *set, size_t i);

/*
 * Whether a set's logs, once read, can be one job's: within each host
 * that read two inputs or more (rotated logs, a GPU log beside a host
 * log), the quantities must share time, as est_samples_check_overlap says
 * of that host's own integration. Hosts are not compared with each other:
 * the nodes of one job log side by side, and a node that ran only part of
 * the job is fine. Returns EST_OK at once when the set's options give a
 * start or an end (the caller said which window is the job's: the
 * assumption is then knowing). Call it after reading, before an estimate.
 *
 * EST_ENODATA for the first host that fails: message is
 * est_samples_check_overlap's ("the sample logs share no time (gpu0_power_w
 * 1970-01-01T00:16:40Z to ..., ram_used_gb ...): they cannot be one
 * job's", or "... hardly overlap: ..."), after "host NAME: " for a named
 * host; file is the input (the reader's name) that gave the quantity at
 * fault: the one that starts after another ended, or the least covered.
 * A host whose own compute fails gives that error, after the same prefix.
 * EST_EINVAL for a NULL set, EST_ENOMEM.
 */
int est_samples_set_check_overlap(const est_samples_set *set, est_error *err);

/* One log file of a set, for est_samples_inputs_order. */
typedef struct est_samples_input {
    const char *host;          /* NULL or "": the single machine */
    const char *path;          /* "-": standard input (never opened here) */
    const char *columns;       /* est_samples_read_options.columns, or NULL */
    est_samples_format format; /* est_samples_read_options.format */
    size_t user_index;         /* the caller's, kept with the input */
} est_samples_input;

/*
 * Orders in[0..n) to be read: grouped by host (in the order hosts first
 * appear), and each host's files by the earliest time in their first MiB
 * (rotated logs given day2.csv before day1.csv are read in time order;
 * stable; standard input, an unreadable file or one with no row there
 * last). ro: the read options (zone, interval, origin) for that probe;
 * NULL: defaults. Opens regular files by path; reads nothing else. EST_EINVAL
 * for in NULL with n > 0, EST_ENOMEM.
 */
int est_samples_inputs_order(est_samples_input *in, size_t n,
                             const est_samples_read_options *ro);

/* Size of est_samples_format_time's buffer, NUL included. */
#define EST_SAMPLES_TIME_FORMAT_SIZE 32

/*
 * Writes an instant as ISO 8601 UTC with the fraction of a second it holds,
 * to the microsecond, trailing zeros dropped: "2024-03-01T10:00:00Z",
 * "2024-03-01T10:00:00.25Z" (a log's window keeps its fractional seconds).
 * EST_EINVAL for a NULL buf or a non-finite time; EST_ERANGE for a buffer
 * under EST_SAMPLES_TIME_FORMAT_SIZE or a time est_format_time refuses.
 */
int est_samples_format_time(char *buf, size_t size, double unix_s);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_SAMPLES_H */
