/* The CLI's carbon intensity: zone default or live series, shared by the
 * estimate and `ecoest carbon`. */
#ifndef ECOEST_CLI_CARBON_LIVE_H
#define ECOEST_CLI_CARBON_LIVE_H

#include <cjson/cJSON.h>

#include "ecoest/carbon.h"
#include "cli.h"

/* The carbon options, as given on the command line. */
typedef struct cli_carbon_opts {
    int live, offline, strict;
    const char *provider;     /* --provider, NULL: the zone's default */
    const char *factors;      /* --factors SET, NULL: ipcc2014 */
    double timeout_s;         /* --timeout, 0: 30 s */
    const char *start, *end;  /* --start, --end (ISO 8601 or Unix seconds) */
    /* the window, filled by cli_carbon_window */
    int has_window;
    double start_unix_s, end_unix_s;
} cli_carbon_opts;

#define CLI_CARBON_DAYS_MAX (EST_CARBON_MAX_DAYS + 1)

typedef struct cli_carbon_daily {
    char date[16];
    double mean_g_co2e_per_kwh;    /* -1 when no point */
    size_t points;
    double hours;             /* the run's hours in the day */
    double coverage_frac;
} cli_carbon_daily;

/* What the report says about the carbon intensity. */
typedef struct cli_carbon {
    int present;
    char source[24];          /* default, rte, electricitymaps, cache */
    char provider[24];        /* the live provider asked for, "" without --live */
    char zone[EST_ZONE_CODE_MAX];
    char provider_zone[EST_ZONE_CODE_MAX]; /* the code a live provider is
                                 asked for (est_zones_provider_code): JP-TK
                                 for --zone JP-TK, whose table zone is JP */
    int has_window;
    char start[32], end[32];
    double start_unix_s, end_unix_s;
    double mean_g_co2e_per_kwh;    /* the value used */
    double coverage_frac;     /* 1 for the default */
    int has_rte_taux;
    double rte_taux_mean_g_co2e_per_kwh;
    int has_water;            /* RTE: the mix's off-site water intensity */
    double water_mean_l_per_kwh;
    char factors[EST_CARBON_FACTOR_SET_NAME_MAX];
    char factors_scope[16];
    size_t n_daily;
    cli_carbon_daily daily[CLI_CARBON_DAYS_MAX];
    size_t n_points_in_window;
    unsigned n_requests;
    char fallback_reason[EST_ERROR_MESSAGE_MAX]; /* why the live source was not used */
    /* days of the window whose fetch failed and that have no data */
    size_t n_failed_days;
    char failed_days[CLI_CARBON_DAYS_MAX][16];
    char failed_reason[EST_CARBON_NOTE_SIZE]; /* the first failed day's reason */
    /* With a sample log: the intensity weighted by the job's energy profile */
    int has_energy_weighted;
    double energy_weighted_g_co2e_per_kwh;
    double energy_weighted_coverage_frac; /* share of the energy with intensity data */
    /* the zone's table row */
    double default_g_co2e_per_kwh;
    unsigned default_year;
    char default_scope[16];
    char default_source[EST_ZONE_SOURCE_MAX];
} cli_carbon;

/* The carbon options, in this order (the estimate's option enum follows it). */
typedef enum cli_carbon_opt {
    CLI_CO_LIVE, CLI_CO_PROVIDER, CLI_CO_OFFLINE, CLI_CO_STRICT, CLI_CO_FACTORS,
    CLI_CO_TIMEOUT, CLI_CO_START, CLI_CO_END
} cli_carbon_opt;

/* Sets one carbon option from its argument. Returns 0 or -1 (message
   printed). */
int cli_carbon_set_option(cli_carbon_opts *co, int which, const char *arg);

/* Checks the carbon options together (e.g. --offline with --provider is
   fine, --live without a zone is not). zone_given: --zone was given.
   Returns 0 or -1 (message printed). */
int cli_carbon_check(const cli_carbon_opts *co, int zone_given);

/* Usage lines of the carbon options, for --help. */
extern const char cli_carbon_usage[];

/* Parses --start/--end (cli_time_arg; tz: --tz for zone-less times, or
 * NULL) and combines them with a runtime by est_estimate_window_resolve (have_runtime: the
 * user gave one, *runtime_s holds it). Sets co->has_window and the window;
 * without a runtime, *runtime_s becomes end - start. With --live or
 * --offline, a window of more than EST_CARBON_MAX_DAYS UTC days is a usage
 * error. Returns 0 or -1 (usage error printed). */
int cli_carbon_window(cli_carbon_opts *co, int have_runtime, double *runtime_s,
                      const est_samples_read_options *tz);

/* Fills c with the zone's table row (source "default"): the library's
   zone-average window (est_carbon_window_default), rendered. */
void cli_carbon_default(cli_carbon *c, const est_zone *z, const cli_carbon_opts *co);

/* With --live or --offline: the window's intensity from the carbon
 * library's source (est_carbon_source_window: fetch, cache, fallback and
 * --strict policy), its notes printed, c filled (source, mean, coverage,
 * daily, failed days). No data: a warning (a note when the summary's
 * fallback_kind says offline with nothing cached) and the default (c
 * unchanged but fallback_reason), or with --strict (the summary's
 * strict_code) exit 69; some days failed, others not: a warning and the
 * days that have data, or with --strict exit 69. A window of more than
 * EST_CARBON_MAX_DAYS days (est_carbon_window_check): exit 64 before any
 * fetch. series
 * (optional) receives a copy of the points (free with cli_live_clear).
 * Returns 0 or an exit status. */
int cli_carbon_live(const cli_carbon_opts *co, const est_zone *z, cli_carbon *c,
                    est_carbon_series *series);

/* The live source for the pipeline (est_estimate_options.intensity): the
 * environment (tokens, mirrors, cache folder, factor and water files) read
 * at the first window, the library's est_carbon_intensity through the
 * module. One context serves many windows (e.g. one per job) with the
 * source's day store: each UTC day is fetched at most once. */
typedef struct cli_carbon_ctx cli_carbon_ctx;
/* NULL when out of memory (message printed). */
cli_carbon_ctx *cli_carbon_ctx_new(const cli_carbon_opts *co);
void cli_carbon_ctx_free(cli_carbon_ctx *x);
/* est_intensity_fn; user: a cli_carbon_ctx. A window too long or a source
   refused before any window (message printed) sets the context's exit
   status. */
int cli_carbon_intensity(void *user, const est_zone *z, double start_unix_s,
                         double end_unix_s, est_intensity_answer *a, est_error *err);
/* After est_estimate_run: prints what the last window found (notes, the
   fallback, --strict) and fills c. Returns 0 or an exit status (69 for a
   --strict failure, or the status set by cli_carbon_intensity). */
int cli_carbon_after(cli_carbon_ctx *x, cli_carbon *c);
/* For many windows (ecoest jobs --live): the exit status a window set (a
   window too long, a source refused; 0 if none), and the summary of the
   last window (its fallback, failed days, notes; NULL before any). */
int cli_carbon_ctx_status(const cli_carbon_ctx *x);
const est_carbon_summary *cli_carbon_ctx_last(const cli_carbon_ctx *x);
/* The points of the last window (NULL before any); owned by the context. */
const est_carbon_series *cli_carbon_ctx_series(const cli_carbon_ctx *x);

/* The "carbon" JSON object of c (series: optional points to add). */
cJSON *cli_carbon_json(const cli_carbon *c, const est_carbon_series *series);

#endif
