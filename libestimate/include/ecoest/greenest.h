/*
 * ecoest/greenest.h - the greenest hour: when to start a job so that its
 * mean carbon intensity is lowest (`ecoest when`).
 *
 * Pure computation over an intensity series (ecoest/intensity.h): no I/O, no
 * network, no clock, no global state; thread-safe. The two building blocks
 * (est_greenest_forecast_history, est_greenest_best_window) allocate
 * nothing; the plan (est_greenest_plan_choose) allocates its forecast
 * from history and frees it before returning.
 *
 * A plan, as `ecoest when` makes it (the caller fetches, the library
 * decides):
 *
 *   est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
 *   est_greenest_plan plan;
 *   est_greenest_choice best;
 *   po.now_unix_s = now;  po.duration_s = 7200.0;
 *   est_greenest_plan_init(&plan, &po, &err);        (the windows)
 *   ... the provider's forecast, if any (ecoest/carbon.h:
 *       est_carbon_forecast_decide, est_carbon_forecast_fetch) ...
 *   rc = est_greenest_plan_choose(&best, &plan, &po, fc, n_fc, NULL, 0, &err);
 *   if (fc == NULL || plan.needs_history) {
 *       ... fetch the series of [plan.history_start_unix_s,
 *           plan.history_end_unix_s) ...
 *       rc = est_greenest_plan_choose(&best, &plan, &po, fc, n_fc, hist, n_hist,
 *                                     &err);
 *   }
 *
 * (with fc NULL the first call is not needed: it returns EST_ENODATA with
 * needs_history set).
 */
#ifndef ECOEST_GREENEST_H
#define ECOEST_GREENEST_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/intensity.h"
#include "ecoest/pipeline.h" /* est_estimate_options, for est_greenest_job_figures */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A forecast from history: for each time t_i = first_unix_s + i x step_s
 * (i < n_out), the mean over the history_days most recent past days of the
 * intensity over [t_i - k days, t_i - k days + step_s), k the smallest whole
 * number of days that puts that interval before history_end_unix_s, then
 * the next ones (a plain mean of the days that have data). Writes the
 * forecast points that have data to out (dur_s = step_s), in order, and
 * their number to *n_written; a time with no history is left out.
 * EST_EINVAL: NULL arguments, step_s <= 0, history_days 0, non-finite
 * times; errors of est_intensity_mean for a malformed series.
 */
int est_greenest_forecast_history(est_intensity_point *out, size_t n_out, size_t *n_written,
                            const est_intensity_point *pts, size_t n, double first_unix_s,
                            double step_s, double history_end_unix_s, unsigned history_days,
                            est_error *err);

typedef struct est_greenest_choice {
    double start_unix_s;             /* the best start */
    double mean_g_co2e_per_kwh;      /* mean over [start, start + duration) */
    double coverage_frac;            /* of that window */
    double first_start_unix_s;       /* the earliest start considered ("now") */
    double first_mean_g_co2e_per_kwh; /* its mean; EST_UNSET without enough data */
    double saving_frac;              /* 1 - best / first; EST_UNSET when the
                                        first is unknown or 0 */
    size_t n_candidates;             /* starts with enough coverage */
    double reserved[4];
} est_greenest_choice;

/*
 * Tries every start s = earliest + k x step_s up to latest_start (both
 * included) and picks the one whose window [s, s + duration_s) has the
 * lowest mean intensity, among windows covered at least min_coverage_frac
 * (0..1); ties go to the earliest start. EST_ENODATA when no window has
 * enough coverage. EST_EINVAL: NULL arguments, latest < earliest,
 * duration_s or step_s <= 0, min_coverage_frac outside 0..1, more than
 * 100000 candidates; errors of est_intensity_mean.
 */
int est_greenest_best_window(est_greenest_choice *out, const est_intensity_point *pts, size_t n,
                       double earliest_start_unix_s, double latest_start_unix_s,
                       double duration_s, double step_s, double min_coverage_frac,
                       est_error *err);

/* ---- a plan: the rules of `ecoest when` ----
 *
 * Looking ahead (the default): the candidate starts are
 *     first  = ceil(now / step_s) x step_s         (the next whole step)
 *     latest = first + within_h x 3600
 * every step_s, and the job's window is [s, s + duration_s). The intensity
 * comes from the provider's forecast when one is given and some window is
 * covered at least min_coverage_frac by it; otherwise from a forecast made
 * of history (est_greenest_forecast_history) over the history_days whole
 * days before
 *     history_end   = floor(now / 3600) x 3600     (the last whole hour)
 *     history_start = history_end - history_days x 86400.
 * Looking back (look_back_start_unix_s and _end_unix_s given): the starts
 * run from the range's start to its end - duration_s, over the measured
 * series of that range; a range shorter than duration_s is refused. The
 * saving is always against the first start ("now", or the range's start).
 */

typedef enum est_greenest_method {
    EST_GREENEST_METHOD_NONE = 0,     /* not chosen (est_greenest_plan_init) */
    EST_GREENEST_METHOD_PROVIDER = 1, /* the provider's forecast */
    EST_GREENEST_METHOD_HISTORY = 2,  /* a forecast from history: the mean of
                                         the same hour over the last days */
    EST_GREENEST_METHOD_LOOK_BACK = 3 /* the measured intensity of a past
                                         range */
} est_greenest_method;

/* The defaults (EST_GREENEST_PLAN_OPTIONS_INIT). */
#define EST_GREENEST_DEFAULT_WITHIN_H 24.0
#define EST_GREENEST_DEFAULT_HISTORY_DAYS 7u
#define EST_GREENEST_DEFAULT_STEP_S 3600.0
#define EST_GREENEST_DEFAULT_MIN_COVERAGE_FRAC 0.9
/* The size of est_greenest_plan.note, with its terminating NUL. */
#define EST_GREENEST_NOTE_MAX (EST_ERROR_MESSAGE_MAX + 128)

#define EST_GREENEST_PLAN_OPTIONS_VERSION 1
typedef struct est_greenest_plan_options {
    unsigned version;           /* EST_GREENEST_PLAN_OPTIONS_VERSION */
    double now_unix_s;          /* required: the current time, UTC (the
                                   library never reads the clock) */
    double duration_s;          /* required: the job's runtime, > 0 */
    double within_h;            /* hours from now in which to start, >= 0;
                                   default 24 */
    unsigned history_days;      /* days the forecast from history averages,
                                   >= 1; default 7 */
    double step_s;              /* seconds between candidate starts, > 0;
                                   default 3600 */
    double min_coverage_frac;   /* 0..1: a window counts when its series
                                   covers this much of it; default 0.9 */
    double look_back_start_unix_s; /* both given: look back over this past */
    double look_back_end_unix_s;   /* range; both EST_UNSET (default): ahead */
    int provider_only;          /* 1: the provider's forecast or nothing: a
                                   forecast that covers no window is an
                                   error, not a fall back to history */
    const char *forecast_label; /* how the note names the provider's
                                   forecast ("Electricity Maps' forecast",
                                   est_carbon_forecast_policy.label); NULL:
                                   "the provider's forecast" */
    const char *forecast_note;  /* why the provider's forecast was not asked
                                   for or failed (est_carbon_forecast_policy
                                   .note), copied to the plan's note when the
                                   plan forecasts from history; NULL or "":
                                   none */
} est_greenest_plan_options;
#define EST_GREENEST_PLAN_OPTIONS_INIT                                                 \
    { EST_GREENEST_PLAN_OPTIONS_VERSION, 0.0, 0.0, EST_GREENEST_DEFAULT_WITHIN_H,       \
      EST_GREENEST_DEFAULT_HISTORY_DAYS, EST_GREENEST_DEFAULT_STEP_S,                 \
      EST_GREENEST_DEFAULT_MIN_COVERAGE_FRAC, EST_UNSET, EST_UNSET, 0, NULL, NULL }

/* What a plan used and why, beside its choice (est_greenest_choice). */
typedef struct est_greenest_plan {
    est_greenest_method method;
    int look_back;                /* 1: looking back over a past range */
    double first_start_unix_s;    /* the first candidate start ("now") */
    double latest_start_unix_s;   /* the last one (included) */
    double history_start_unix_s;  /* the series to fetch and read: [start, */
    double history_end_unix_s;    /* end); looking back, the range itself */
    unsigned history_days;        /* ahead: the days averaged; back: 0 */
    size_t n_forecast_points;     /* PROVIDER: the provider's points;
                                     HISTORY: the steps forecast from history;
                                     LOOK_BACK: 0 */
    size_t n_history_points;      /* the history points given */
    int forecast_uncovered;       /* 1: a provider's forecast was given and
                                     covers no start window (the note says so) */
    int needs_history;            /* 1: the plan needs the history series:
                                     fetch [history_start, history_end) and
                                     call est_greenest_plan_choose again */
    char note[EST_GREENEST_NOTE_MAX]; /* why the provider's forecast was not
                                     used, one or two sentences; "" */
    double reserved[8];
} est_greenest_plan;

/*
 * The plan's windows from opts (see above): method NONE, first and latest
 * start, the history window, history_days. Nothing is chosen yet.
 * EST_EINVAL (err names the option): NULL arguments, a version outside
 * 1..EST_GREENEST_PLAN_OPTIONS_VERSION, a non-finite now, duration_s <= 0,
 * within_h < 0 or above 336 (14 days), history_days 0 or above 60,
 * step_s <= 0, min_coverage_frac outside 0..1, only one look-back bound.
 * EST_ERANGE: a look-back range shorter than duration_s.
 */
int est_greenest_plan_init(est_greenest_plan *out, const est_greenest_plan_options *opts,
                           est_error *err);

/*
 * Chooses the start (see above) and fills *out (est_greenest_best_window's
 * choice, whose saving_frac is the saving against the first start) and
 * *plan (as est_greenest_plan_init, plus method, the points used and the
 * note).
 *   - Looking back: history is the measured series of the range; forecast
 *     must be NULL. Method LOOK_BACK.
 *   - Ahead with a forecast (non-NULL): its best window at
 *     min_coverage_frac. Method PROVIDER. When none is covered:
 *     forecast_uncovered, and the note is "<label> (N points) does not cover
 *     a start window: <why>. Falling back to the forecast from history.";
 *     with provider_only the note stops after <why> and the call fails
 *     (EST_ENODATA, err holds the note); else it goes on with history.
 *   - Ahead from history (history non-NULL): the forecast from history at
 *     t = first + i x step_s for every t < latest + duration_s
 *     (n_forecast_points of them have data), then its best window.
 *     Method HISTORY. The note, unless the forecast did not cover, is
 *     opts->forecast_note.
 *   - Ahead, history NULL and no usable forecast: EST_ENODATA with
 *     plan->needs_history set (and *out empty): fetch the history window
 *     and call again with it.
 * Errors: those of est_greenest_plan_init; EST_ENODATA when no window has
 * enough data (err: "no start window has intensity data for at least 90% of
 * its time"); EST_EINVAL for a forecast looking back, more than 100000
 * starts; EST_ENOMEM; errors of est_intensity_mean for a malformed series.
 */
int est_greenest_plan_choose(est_greenest_choice *out, est_greenest_plan *plan,
                             const est_greenest_plan_options *opts,
                             const est_intensity_point *forecast, size_t n_forecast,
                             const est_intensity_point *history, size_t n_history,
                             est_error *err);

/* The job's figures at the chosen start and at the first one. */
typedef struct est_greenest_job {
    double energy_kwh;    /* the job's energy (the same at any start) */
    double best_co2e_g;   /* headline CO2e (est_estimate_headline_co2e_g)
                             at the best start's mean intensity */
    double first_co2e_g;  /* at the first start's; EST_UNSET when its mean is
                             unknown */
    double saving_g;      /* first_co2e_g - best_co2e_g, the saving against
                             starting first; EST_UNSET likewise */
    /* The job's water, l (est_estimate_water: on-site with the job's WUE,
       plus off-site from its zone's annual mix), the same at any start: a
       shift in time moves the carbon intensity, not the annual water
       factors. EST_UNSET when the off-site intensity is unknown (no zone).
       It takes the place of the first reserved double (0.2). */
    double water_l;
    double reserved[3];
} est_greenest_job;

/*
 * Runs the estimate pipeline (est_estimate_run) on job with runtime_h =
 * duration_s / 3600 and ci_g_co2e_per_kwh = each start's mean intensity
 * (choice->mean_g_co2e_per_kwh, then choice->first_mean_g_co2e_per_kwh when
 * it is known); the rest of job (hardware, PUE, zone, embodied share...) is
 * used as given. Errors: EST_EINVAL for NULL arguments or duration_s <= 0,
 * else est_estimate_run's (err names the input at fault, as there);
 * *out is then all EST_UNSET.
 */
int est_greenest_job_figures(est_greenest_job *out, const est_greenest_choice *choice,
                             double duration_s, const est_estimate_options *job,
                             const est_hwdb *db, const est_zones *zones, est_error *err);

#ifdef __cplusplus
}
#endif

#endif
