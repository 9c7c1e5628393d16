/*
 * ecoest/carbon.h - live carbon intensity: emission factor sets, the RTE
 * eco2mix and Electricity Maps providers, and the per-day cache.
 *
 * Library ecoest_carbon (links libcurl and cJSON; libestimate never does).
 * docs/carbon.md explains the method, the providers and the cache layout.
 *
 * Rules the library keeps:
 *   - no global state; it never reads the environment, never prints and never
 *     calls curl_global_init: the program calls curl_global_init once, before
 *     any est_carbon_fetch, and passes URLs, tokens and folders in;
 *   - HTTPS only, certificates checked; plain http only for loopback hosts
 *     (127.0.0.0/8, ::1, localhost), for tests and local mirrors;
 *   - a token is only ever sent in its request header: it never appears in an
 *     error message, a note or the cache.
 */
#ifndef ECOEST_CARBON_H
#define ECOEST_CARBON_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/intensity.h"
#include "ecoest/pipeline.h" /* est_intensity_answer */
#include "ecoest/water.h"
#include "ecoest/zones.h" /* EST_ZONE_CODE_MAX */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- emission factors (carbon/factors.csv) ---- */

/* Production types, as factors.csv names them (source_type column). */
typedef enum est_carbon_energy_source {
    EST_CARBON_SRC_NUCLEAR = 0,
    EST_CARBON_SRC_WIND,
    EST_CARBON_SRC_SOLAR,
    EST_CARBON_SRC_HYDRO,
    EST_CARBON_SRC_GEOTHERMAL,
    EST_CARBON_SRC_BIOMASS,
    EST_CARBON_SRC_GAS,
    EST_CARBON_SRC_COAL,
    EST_CARBON_SRC_OIL,
    EST_CARBON_SRC_UNKNOWN,
    EST_CARBON_SRC_COUNT
} est_carbon_energy_source;

/* "nuclear", "wind", ...; "?" out of range. */
const char *est_carbon_energy_source_name(est_carbon_energy_source type);

#define EST_CARBON_FACTORS_DEFAULT_SET "ipcc2014"
#define EST_CARBON_FACTOR_SET_NAME_MAX 32

/* One set of per-source factors: a plain value. */
typedef struct est_carbon_factor_set {
    char name[EST_CARBON_FACTOR_SET_NAME_MAX];         /* "ipcc2014", "direct" */
    char scope[16];                             /* "lifecycle" or "direct" */
    double g_co2e_per_kwh[EST_CARBON_SRC_COUNT];       /* indexed by est_carbon_energy_source */
} est_carbon_factor_set;

/*
 * Reads factor set `set` (NULL: EST_CARBON_FACTORS_DEFAULT_SET) from a factors.csv
 * (header set,source_type,g_co2e_per_kwh,scope,source). Every source type
 * must have exactly one row in the set, with a number of gCO2e/kWh in
 * 0..EST_CI_MAX_G_CO2E_PER_KWH (5000, the zone table's bound) and one
 * scope. Set names are 1..EST_CARBON_FACTOR_SET_NAME_MAX-1 ASCII letters, digits,
 * '-', '_' or '.'. Messages show names and values as excerpts (control
 * characters as '?').
 * Errors: EST_ENOENT, EST_EIO; EST_EPARSE "factors.csv:7: column
 * g_co2e_per_kwh: expected a number of gCO2e/kWh between 0 and 5000, got
 * "x"" (place in err); EST_EPARSE
 * for a set missing a source type; EST_ENOTFOUND for an unknown set, with
 * err->value the set as given (est_carbon_factors_suggest lists the known
 * ones); EST_EINVAL for NULL path or out.
 */
int est_carbon_factors_load(est_carbon_factor_set *out, const char *path, const char *set,
                            est_error *err);

/*
 * Reads factor set `set` (NULL: EST_CARBON_FACTORS_DEFAULT_SET) from several
 * factors.csv files, in order: the shipped file first, then overlays. Every
 * file is checked whole (the errors of est_carbon_factors_load); a set defined in a
 * later file replaces the set of the same name from an earlier one (the
 * whole set, not row by row), and new names add sets. A missing file after
 * the first is skipped (an overlay folder without factors.csv); a missing
 * first file is EST_ENOENT. EST_ENOTFOUND when no file defines the set, with
 * err->value the set as given (est_carbon_factors_suggest lists the known
 * ones).
 */
int est_carbon_factors_load_files(est_carbon_factor_set *out, const char *const *paths,
                                  size_t n_paths, const char *set, est_error *err);

/*
 * The factor sets the files define, to offer for a set
 * est_carbon_factors_load or est_carbon_factors_load_files refuses: each
 * name once, in the order the files first name them (the first file's in
 * its row order, then the new names of each later file), at most
 * EST_SUGGESTIONS_MAX. A file that is missing or cannot be read, or holds a
 * problem est_carbon_factors_load reports, adds no name (the load calls say
 * what is wrong). Errors: EST_EINVAL for out NULL, paths NULL with n_paths
 * > 0 or a NULL path; EST_ENOMEM; out is then empty when not NULL.
 */
int est_carbon_factors_suggest(est_suggestions *out, const char *const *paths, size_t n_paths);

/* Power produced per source type, MW (any consistent unit works). */
typedef struct est_carbon_mix {
    double mw[EST_CARBON_SRC_COUNT];
} est_carbon_mix;

/*
 * Production-weighted intensity of a mix:
 *     CI = sum_i c_i v_i / sum_i v_i     (gCO2e/kWh)
 * over the source types, with c_i the set's factors. Negative values (a
 * source consuming, e.g. pumping) count as 0. EST_ENODATA when nothing is
 * produced; EST_EINVAL for a NaN/infinite value or NULL argument.
 */
int est_carbon_mix_intensity(double *out_g_co2e_per_kwh, const est_carbon_mix *mix,
                             const est_carbon_factor_set *factors, est_error *err);

/* ---- providers ---- */

typedef enum est_carbon_provider {
    EST_CARBON_PROVIDER_NONE = 0,
    EST_CARBON_PROVIDER_RTE = 1,             /* RTE eco2mix via ODRE, France only */
    EST_CARBON_PROVIDER_ELECTRICITYMAPS = 2  /* Electricity Maps API v3, any zone */
} est_carbon_provider;

/* "rte", "electricitymaps"; "none" otherwise. Also the cache folder names. */
const char *est_carbon_provider_name(est_carbon_provider provider);
/* Parses "rte" or "electricitymaps". EST_EINVAL otherwise. */
int est_carbon_provider_parse(est_carbon_provider *out, const char *s);
/* The default provider of a zone: RTE for FR (any case), Electricity Maps
   otherwise, NULL included (never an error). */
est_carbon_provider est_carbon_provider_for_zone(const char *zone);

#define EST_CARBON_ODRE_DEFAULT_URL "https://odre.opendatasoft.com"
#define EST_CARBON_ELECTRICITYMAPS_DEFAULT_URL "https://api.electricitymaps.com/v3"
#define EST_CARBON_DEFAULT_TIMEOUT_S 30.0
#define EST_CARBON_DEFAULT_CONNECT_TIMEOUT_S 5.0
#define EST_CARBON_PUBLICATION_LAG_S 7200.0 /* newer points are not out yet */
#define EST_CARBON_MAX_DAYS 366

/* Version 2 appends water_factors; version 1 options are still accepted. */
#define EST_CARBON_OPTIONS_VERSION 2
typedef struct est_carbon_options {
    unsigned version;          /* EST_CARBON_OPTIONS_VERSION */
    est_carbon_provider provider;     /* required */
    const char *zone;          /* required: "FR"; letters, digits, '-', '_'.
                                  RTE serves FR only */
    double start_unix_s;       /* the window [start, end), UTC; at most */
    double end_unix_s;         /* EST_CARBON_MAX_DAYS UTC days */
    double now_unix_s;         /* the current time; 0: the system clock */
    const est_carbon_factor_set *factors; /* RTE: required (the CI formula);
                                  Electricity Maps: unused */
    const char *base_url;      /* NULL: EST_CARBON_ODRE_DEFAULT_URL or
                                  EST_CARBON_ELECTRICITYMAPS_DEFAULT_URL */
    const char *token;         /* NULL or "": none. RTE: optional, sent as
                                  "Authorization: Apikey <token>";
                                  Electricity Maps: required, "auth-token" */
    const char *cache_dir;     /* folder of the day cache (created as needed);
                                  NULL: no cache */
    int offline;               /* 1: never use the network, cache only */
    double timeout_s;          /* budget for all requests and retries of one
                                  fetch; 0: EST_CARBON_DEFAULT_TIMEOUT_S */
    double connect_timeout_s;  /* per connection attempt, within the budget;
                                  0: EST_CARBON_DEFAULT_CONNECT_TIMEOUT_S */
    const char *user_agent;    /* NULL: "ecoest/<version>" */
    /* ---- version 2 ---- */
    const est_water_factors *water_factors; /* RTE: the per-source water
                                  factors (carbon/water-factors.csv); given,
                                  each point also gets its off-site water
                                  intensity (series water_points). NULL:
                                  none. Electricity Maps: unused */
} est_carbon_options;
#define EST_CARBON_OPTIONS_INIT \
    { EST_CARBON_OPTIONS_VERSION, EST_CARBON_PROVIDER_NONE, NULL, 0.0, 0.0, 0.0, NULL, NULL, \
      NULL, NULL, 0, 0.0, 0.0, NULL, NULL }

/* Where one UTC day of the window came from. */
typedef enum est_carbon_day_origin {
    EST_CARBON_DAY_NETWORK = 0,  /* fetched now (and cached) */
    EST_CARBON_DAY_CACHE = 1,    /* read from the cache */
    EST_CARBON_DAY_MISSING = 2   /* not available: offline and not cached, or in the
                             future */
} est_carbon_day_origin;

#define EST_CARBON_NOTES_MAX 8
#define EST_CARBON_NOTE_SIZE 256

typedef struct est_carbon_day {
    long days_since_epoch;  /* the UTC day (est_civil_from_days) */
    est_carbon_day_origin origin;
    int complete;           /* the day's data is final: not fetched again */
    size_t n_points;        /* intensity points of the whole day */
    int fetch_failed;       /* 1: fetching the day failed; origin says whether
                               a cached copy was used instead (EST_CARBON_DAY_CACHE)
                               or the day has no data (EST_CARBON_DAY_MISSING) */
    char error[EST_CARBON_NOTE_SIZE]; /* why it failed (never the token); "" */
    size_t n_duplicates;    /* points at a time already seen (first kept) */
} est_carbon_day;

/*
 * The intensity series of a window, filled by est_carbon_fetch. The arrays
 * are owned by the struct: release them with est_carbon_series_clear.
 */
typedef struct est_carbon_series {
    est_carbon_provider provider;
    char zone[EST_ZONE_CODE_MAX];
    est_intensity_point *points;        /* our intensity, sorted, whole UTC days of
                                    the window (not cut to it) */
    size_t n_points;
    est_intensity_point *provider_points; /* RTE: its own taux_co2 (a direct,
                                    production-only estimate); else empty */
    size_t n_provider_points;
    est_carbon_day *days;        /* one per UTC day of the window */
    size_t n_days;
    unsigned n_requests;         /* HTTP requests made, retries included */
    size_t n_days_from_network;
    size_t n_days_from_cache;
    size_t n_partial_records;    /* RTE rows with some production fields
                                    missing (counted as 0) */
    size_t n_days_failed;        /* days whose fetch failed and that have no
                                    data (no cached copy): see days[] */
    size_t n_duplicates;         /* points dropped for a repeated time */
    size_t n_notes;              /* things the user should know */
    char notes[EST_CARBON_NOTES_MAX][EST_CARBON_NOTE_SIZE];
    /* RTE with water_factors: the off-site water intensity of each point of
       `points` (same times and durations), in l/kWh, held in the field
       g_co2e_per_kwh of est_intensity_point so that est_intensity_mean and
       est_intensity_energy_weighted apply as they are:
           W = sum_i w_i v_i / sum_i v_i   (l/kWh)
       over the same production fields as the intensity, w_i the factor of
       the source type. Else empty. */
    est_intensity_point *water_points;
    size_t n_water_points;
} est_carbon_series;

/*
 * Gets the intensity series of a zone for a window, one UTC day at a time.
 * A day in the cache is read from it and not fetched again when it is
 * complete, when its points already cover the window's part of that day
 * (>= 99.9 %), or offline; other days (missing, or cached but incomplete:
 * today, a partly published day) are fetched and cached, unless
 * opts->offline. Days in the future are not fetched; a window entirely in
 * the future is EST_ENODATA ("... lies in the future").
 *
 * The whole fetch, retries included, stays within opts->timeout_s; 429 and
 * 5xx answers and failed connections are retried with backoff (a 429's
 * Retry-After is honoured when it fits the budget). All requests of a fetch
 * share one connection when the server allows it. Redirects are not
 * followed.
 *
 * A day whose fetch fails does not stop the others: the fetch goes on with
 * the next day (within the budget; after a refused token or a failed
 * connection the remaining days are not tried, with the same reason). A
 * failed day with a cached copy uses that copy (a note says so); one without
 * is marked fetch_failed with no data and counted in n_days_failed, and a
 * note names it. The call fails only when no day of the window has data.
 *
 * Sanity bounds: an Electricity Maps intensity outside 0..5000 gCO2e/kWh (the
 * zone table's bound) or an RTE production field outside -100..200000 MW
 * (small negative metering values count as 0) fails the day (EST_EPARSE,
 * naming the record, its time and the value). RTE days whose answer
 * announces more rows (total_count) than one page are read page by page
 * (limit 100, offset), at most 30 pages: a day announcing more than 3000
 * rows fails at once (EST_EPARSE), a page larger than 2 MiB is refused
 * unparsed, rows beyond the 100 asked for are dropped (with a note), and
 * reading counts against the budget (EST_ETIMEOUT). Answers of Electricity
 * Maps are at most 4 MiB.
 *
 * A fetched day whose answer holds fewer points for that day than its
 * cached copy (no rows, fewer rows, another day's rows) does not replace
 * the copy, in the series or on disk: the day stays EST_CARBON_DAY_CACHE, with a
 * note.
 *
 * Errors, when no day has data (err says which provider, day and why; never
 * the token; the first failing day's reason):
 *   EST_EINVAL   bad options (window, zone, provider, URL that is not https
 *                or loopback http, RTE for another zone than FR);
 *   EST_EAUTH    401/403: the token was rejected, or Electricity Maps without
 *                a token;
 *   EST_ETIMEOUT the budget ran out (no answer, or retries exhausted it);
 *   EST_ENET     cannot connect, DNS or TLS failure;
 *   EST_EHTTP    another unexpected status (after retries for 429/5xx), or a
 *                redirect;
 *   EST_EPARSE   malformed, truncated or unexpected JSON, a value out of
 *                bounds, fewer rows than announced;
 *   EST_ENODATA  no point at all in the window (e.g. offline, nothing cached,
 *                a window in the future);
 *   EST_EIO      the cache cannot be written;
 *   EST_ENOMEM.
 * A cache file that cannot be used (unreadable, not a regular file, larger
 * than 8 MiB, corrupt, another day's) is ignored with a note ("ignored the
 * cache file ..."); when the fetch then ends with no data, the error is that
 * file's (EST_EIO, EST_ERANGE, EST_EPARSE) and its message starts with the
 * same sentence, so that the warning is never lost (e.g. offline).
 *
 * On failure *out is empty (as after est_carbon_series_clear) except
 * n_requests and the notes (n_notes, notes), which say why.
 */
int est_carbon_fetch(est_carbon_series *out, const est_carbon_options *opts, est_error *err);

/* Frees the arrays of s and zeroes it. Accepts NULL. */
void est_carbon_series_clear(est_carbon_series *s);

/*
 * Process-wide initialisation of the network layer (libcurl's global
 * state). Not thread-safe: the program that owns the process calls it once,
 * before the first est_carbon_fetch, and est_carbon_global_cleanup once at
 * the end. The libraries never call it themselves. EST_ENET on failure.
 */
int est_carbon_global_init(void);
void est_carbon_global_cleanup(void);

/* The file name of the loadable module the ecoest CLI loads (dlopen) only
   when it needs the network, so that a plain estimate never loads libcurl. */
#define EST_CARBON_MODULE_NAME "ecoest-carbon.so"

/* ---- the cache ---- */

/*
 * The cache file of one day: <cache_dir>/<provider>/<ZONE>/<YYYY-MM-DD>.json
 * (zone upper-cased). EST_EINVAL for a zone with other characters than
 * letters, digits, '-' and '_', EST_ERANGE when buf is too small or the day
 * is outside EST_DAYS_FORMAT_MIN..EST_DAYS_FORMAT_MAX (years 0001..9999).
 */
int est_carbon_cache_path(char *buf, size_t size, const char *cache_dir,
                          est_carbon_provider provider, const char *zone, long days_since_epoch,
                          est_error *err);

/*
 * Writes data to path atomically: a temporary file in the same folder,
 * fsync, rename over path, fsync of the folder. Creates missing folders
 * (mode 0700). Readers see the old content or the new, never a part; on
 * failure the old file is untouched and no temporary file is left.
 * EST_EIO with the path and reason.
 */
int est_carbon_cache_write(const char *path, const char *data, size_t len,
                           est_error *err);

/* ---- the Electricity Maps forecast (ecoest when) ---- */

/* A forecast of the carbon intensity, filled by est_carbon_forecast_fetch;
   release it with est_carbon_forecast_clear. */
typedef struct est_carbon_forecast {
    est_intensity_point *points;   /* sorted by time; dur_s the series' spacing
                               (3600 s for hourly points) */
    size_t n_points;
    double updated_unix_s;  /* when the provider made it; EST_UNSET: not said */
    unsigned n_requests;    /* HTTP requests made, retries included */
} est_carbon_forecast;

/*
 * Electricity Maps' forecast of opts->zone's carbon intensity: GET
 * <base_url>/carbon-intensity/forecast?zone=ZONE with the token, which
 * answers {"zone", "forecast": [{"carbonIntensity", "datetime"}, ...],
 * "updatedAt"}: points from the current hour on, about a day ahead. Uses
 * opts' provider (EST_CARBON_PROVIDER_ELECTRICITYMAPS only: RTE publishes no
 * forecast of the intensity), zone, base_url, token, timeout_s,
 * connect_timeout_s and user_agent; the window and the cache are not used
 * (a forecast is never cached). Errors (err never holds the token):
 *   EST_EAUTH    no token, or 401/403: the token has no access to the
 *                forecast (it is not in the free tier);
 *   EST_ENODATA  offline, or an empty forecast;
 *   EST_EPARSE   unexpected JSON, a point without a time or a number, an
 *                intensity outside 0..5000 gCO2e/kWh, two points at one time;
 *   EST_EINVAL, EST_ETIMEOUT, EST_ENET, EST_EHTTP, EST_ENOMEM as
 *   est_carbon_fetch.
 * On failure *out is empty but for n_requests.
 */
int est_carbon_forecast_fetch(est_carbon_forecast *out, const est_carbon_options *opts,
                              est_error *err);

/* Frees the points of f and empties it. Accepts NULL. */
void est_carbon_forecast_clear(est_carbon_forecast *f);
/* ---- a source: one window's intensity, the policy and the summary ----
 *
 * What a program (the ecoest CLI, `ecoest jobs`, an embedder) calls to get
 * the carbon intensity of a job's window, with the same rules everywhere:
 *   - the provider: RTE eco2mix for FR, Electricity Maps otherwise, unless
 *     one is given (RTE serves FR only);
 *   - RTE's factor set, read from factors.csv and its overlays on first use;
 *   - the day cache on disk, and a day store in memory: a UTC day fetched or
 *     read once by a source is not fetched again by that source (when it is
 *     complete, when it covers the new window's part of the day, offline, or
 *     when it was fetched from the network by this source), so a year of
 *     job windows costs at most one fetch per day (366);
 *   - offline: the cache only;
 *   - the fallback: no point in the window is not an error; the summary
 *     says EST_CARBON_FALLBACK, why (a code and a sentence), and gives the
 *     zone's annual average; with strict it is an error;
 *   - a day that could not be fetched while others could: the window's
 *     figures come from the days with data, the summary names the failed
 *     days; with strict it is an error;
 *   - after a refused token (EST_EAUTH), a failed connection (EST_ENET) or a
 *     spent budget (EST_ETIMEOUT) the source stops using the network: later
 *     windows use the cache only, and fall back with that first reason.
 *
 *   est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
 *   so.factor_paths = paths; so.n_factor_paths = 1; so.cache_dir = dir;
 *   est_carbon_source *src;
 *   est_carbon_window *w;
 *   if (est_carbon_source_open(&src, &so, &err) == 0 &&
 *       est_carbon_source_window(&w, src, &zone, start, end, &err) == 0) {
 *       const est_carbon_summary *s = est_carbon_window_summary(w);
 *       printf("%g gCO2e/kWh (%s)\n", s->mean_g_co2e_per_kwh, s->source);
 *       est_carbon_window_free(w);
 *   }
 *   est_carbon_source_free(src);
 *
 * With the estimate pipeline (ecoest/pipeline.h), est_carbon_intensity is
 * the provider: options.intensity = est_carbon_intensity,
 * options.intensity_user = src. A source is not thread-safe: one thread at
 * a time (each thread may open its own).
 */

#define EST_CARBON_SOURCE_OPTIONS_VERSION 1
typedef struct est_carbon_source_options {
    unsigned version;          /* EST_CARBON_SOURCE_OPTIONS_VERSION */
    est_carbon_provider provider;     /* EST_CARBON_PROVIDER_NONE: the zone's
                                  (est_carbon_provider_for_zone) */
    const char *factor_set;    /* RTE: NULL: EST_CARBON_FACTORS_DEFAULT_SET */
    const char *const *factor_paths; /* RTE: factors.csv, then overlays
                                  (est_carbon_factors_load_files); read at the first
                                  RTE window. Required for RTE */
    size_t n_factor_paths;
    const est_water_factors *water_factors; /* RTE: per-source water factors:
                                  the summary gets the window's live water
                                  intensity; NULL: none. Borrowed: must live
                                  as long as the source */
    const char *rte_url;       /* NULL: EST_CARBON_ODRE_DEFAULT_URL */
    const char *rte_token;     /* NULL or "": none (optional) */
    const char *em_url;        /* NULL: EST_CARBON_ELECTRICITYMAPS_DEFAULT_URL */
    const char *em_token;      /* required by Electricity Maps */
    const char *cache_dir;     /* NULL: no disk cache */
    int offline;               /* 1: the cache only */
    int strict;                /* 1: a fallback or a failed day is an error */
    double timeout_s;          /* per window, retries included; 0: default */
    double connect_timeout_s;  /* 0: default */
    double now_unix_s;         /* 0: the system clock, read at each window */
    const char *user_agent;    /* NULL: "ecoest/<version>" */
} est_carbon_source_options;
#define EST_CARBON_SOURCE_OPTIONS_INIT \
    { EST_CARBON_SOURCE_OPTIONS_VERSION, EST_CARBON_PROVIDER_NONE, NULL, NULL, 0, NULL, NULL, NULL, \
      NULL, NULL, NULL, 0, 0, 0.0, 0.0, 0.0, NULL }

typedef struct est_carbon_source est_carbon_source;
typedef struct est_carbon_window est_carbon_window;

/* Opens a source (no I/O yet). The strings of opts are copied; the
   factor_paths array and water_factors are borrowed. EST_EINVAL for an
   unknown version (1..current) or provider, EST_ENOMEM. Free with
   est_carbon_source_free (accepts NULL). */
int est_carbon_source_open(est_carbon_source **out, const est_carbon_source_options *opts,
                           est_error *err);
void est_carbon_source_free(est_carbon_source *src);

typedef enum est_carbon_status {
    EST_CARBON_LIVE = 1,     /* the window has data: the mean is the series' */
    EST_CARBON_FALLBACK = 2, /* no point in the window: the zone's annual
                                average stands in (fallback_code, _reason) */
    EST_CARBON_ZONE_AVERAGE = 3 /* no live source was asked
                                (est_carbon_window_default): the zone's
                                annual average, by choice */
} est_carbon_status;

typedef enum est_carbon_note_kind {
    EST_CARBON_NOTE_WARNING = 1, /* a caveat on the figure */
    EST_CARBON_NOTE_INFO = 2     /* where the figure came from */
} est_carbon_note_kind;

typedef struct est_carbon_note {
    est_carbon_note_kind kind;
    char text[EST_ERROR_MESSAGE_MAX]; /* one sentence, never the token */
} est_carbon_note;

/*
 * What a window's intensity is, as data. Owned by the window; the library
 * only appends fields (callers read it through the pointer).
 */
typedef struct est_carbon_summary {
    est_carbon_status status;
    est_carbon_provider provider;
    char zone[EST_ZONE_CODE_MAX]; /* LIVE: the code the provider was asked
                                    for (est_zones_provider_code: "JP-TK");
                                    FALLBACK, ZONE_AVERAGE: the table's
                                    zone whose average it is ("JP") */
    double start_unix_s, end_unix_s;
    char source[24];             /* "rte", "electricitymaps" (a day came from
                                    the network), "cache"; "default" when
                                    falling back */
    double mean_g_co2e_per_kwh;  /* LIVE: the time-weighted mean over the
                                    window (est_intensity_mean); FALLBACK: the zone's
                                    annual average */
    double coverage_frac;        /* LIVE: 0..1; FALLBACK: -1 (no data) */
    size_t n_points;             /* points overlapping the window */
    double provider_mean_g_co2e_per_kwh; /* RTE: the mean of its taux_co2;
                                    EST_UNSET: none */
    double water_mean_l_per_kwh; /* RTE with water factors: the time-weighted
                                    mean off-site water intensity over the
                                    window; EST_UNSET: none */
    double water_coverage_frac;  /* its coverage, 0..1 (0: none) */
    char factors[EST_CARBON_FACTOR_SET_NAME_MAX]; /* RTE: the set used; "" */
    char factors_scope[16];      /* "lifecycle", "direct"; "" */
    const est_intensity_day *days;      /* the daily means (est_intensity_daily), one per */
    size_t n_days;               /* UTC day of the window (LIVE only) */
    const long *failed_days;     /* days since the epoch of the days whose */
    size_t n_failed_days;        /* fetch failed and that have no data */
    char failed_reason[EST_CARBON_NOTE_SIZE]; /* the first one's reason */
    int fallback_code;           /* FALLBACK: the EST_ code of why; else 0 */
    char fallback_reason[EST_ERROR_MESSAGE_MAX]; /* FALLBACK: why; else "" */
    char fallback_scope_note[EST_ERROR_MESSAGE_MAX]; /* FALLBACK with RTE
                                    factors of another scope than the zone
                                    table's: a sentence saying so; else "" */
    unsigned n_requests;         /* HTTP requests this window made */
    size_t n_days_from_network;  /* days of the window by their origin */
    size_t n_days_from_cache;
    size_t n_partial_records;    /* RTE rows with fields missing (as 0 MW) */
    const est_carbon_note *notes; /* in order; on FALLBACK, never the */
    size_t n_notes;              /* fallback_reason itself */
    /* ---- appended in 0.2 ---- */
    est_carbon_note_kind fallback_kind; /* FALLBACK: EST_CARBON_NOTE_INFO
                                    when the fallback is what the options
                                    imply: offline, a window that has begun,
                                    no day of it in the cache (fallback_code
                                    EST_ENODATA); EST_CARBON_NOTE_WARNING for
                                    any other reason (a failed fetch, a
                                    window in the future, an unusable cache
                                    file). 0 unless FALLBACK */
    int strict_code;             /* what est_carbon_source_window returned for
                                    this window under the source's strict
                                    option: 0, or with strict the fallback's
                                    code (FALLBACK) or EST_ENODATA (LIVE with
                                    failed days). The same window read after
                                    est_carbon_intensity (est_carbon_source_last)
                                    says it too */
    char strict_reason[EST_ERROR_MESSAGE_MAX]; /* strict_code's message (the
                                    fallback_reason, or "N day(s) of the
                                    window could not be fetched (the first,
                                    YYYY-MM-DD: reason)"); "" when 0 */
} est_carbon_summary;

/*
 * Checks a window for live intensity without asking anyone (no network, no
 * source): the first rule est_carbon_source_window applies, for a program
 * that wants to refuse a window before it opens a source. The window
 * [start_unix_s, end_unix_s), in this order, must be finite with end >
 * start (EST_EINVAL "the window's end must be after its start"), span at
 * most EST_CARBON_MAX_DAYS UTC days, counting every UTC day it touches
 * (est_intensity_days_in_window): EST_ERANGE "the window spans N UTC days;
 * live intensity covers at most 366", and lie between 1970 and 9999
 * (EST_EINVAL). E.g.
 * [2025-01-15T12:00Z, 2026-01-16T00:00Z) touches 366 days (2025-01-15 to
 * 2026-01-15): accepted; ending one second later it touches 367: refused.
 */
int est_carbon_window_check(double start_unix_s, double end_unix_s, est_error *err);

/*
 * A window whose figure is the zone's annual average because no live
 * source was asked (a plain estimate with a zone): the same summary a
 * program renders for a live window, so that it has one way to read both.
 * status EST_CARBON_ZONE_AVERAGE, provider EST_CARBON_PROVIDER_NONE, zone
 * z->code, source "default", mean_g_co2e_per_kwh z->ci_g_co2e_per_kwh,
 * coverage_frac -1 (no series: "no data", never 100 %), provider and water
 * means EST_UNSET, no days, notes, failed days or requests. start_unix_s
 * and end_unix_s are kept as given; EST_UNSET for both says there is no
 * window (nothing is checked). A FALLBACK window carries the same figures
 * (source, mean, coverage), with the reason. Free with
 * est_carbon_window_free; est_carbon_window_series gives an empty series.
 * Needs no network: a program linking the static library for this alone
 * does not load libcurl. Errors: EST_EINVAL for out or z NULL (*out NULL),
 * EST_ENOMEM.
 */
int est_carbon_window_default(est_carbon_window **out, const est_zone *z, double start_unix_s,
                              double end_unix_s, est_error *err);

/*
 * The intensity of zone over [start_unix_s, end_unix_s): fetches or reads
 * the days it needs (see above), then sums up. zone is the zone table's row
 * as est_zones_lookup gave it: the provider is asked for its provider code
 * (est_zones_provider_code: "US-CAL-CISO" when that code was looked up,
 * not the table's US-EGRID-CAMX), which also picks the default provider;
 * its annual average is the fallback.
 * *out (free with est_carbon_window_free) is set whenever the source was
 * asked, a strict failure included, so that the caller can say why.
 *
 * Notes (summary->notes): the fetch's notes (an ignored cache file, a
 * day's duplicate times, a cached copy standing in for a failed day), then
 * "offline: intensity from the cache (N days)" (INFO, offline), the partial
 * records, and below 99.9 % coverage one sentence that splits the missing
 * time into the unpublished tail (the provider publishes about 2 h late)
 * and gaps ("; N h of gaps in the provider's data", "; N h not in the
 * cache", "; N h missing, including N days that could not be fetched").
 *
 * The fallback's kind (summary->fallback_kind) says whether the fallback is
 * a caveat (WARNING) or what the options asked for (INFO: offline, nothing
 * cached); with strict, summary->strict_code and strict_reason repeat what
 * the call returned, so that a program that reads the window later (the
 * pipeline's est_carbon_intensity, est_carbon_source_last) decides as this
 * call did.
 *
 * Returns 0 (LIVE, or FALLBACK without strict), or:
 *   EST_EINVAL   a window that is not finite, end <= start, NULL arguments,
 *                RTE for another zone than FR (*out NULL);
 *   EST_ERANGE   a window of more than EST_CARBON_MAX_DAYS UTC days (*out
 *                NULL; est_carbon_window_check's message);
 *   the factor errors of est_carbon_factors_load_files (*out NULL);
 *   strict, FALLBACK: the fetch's code (EST_ENET, EST_EAUTH, EST_ETIMEOUT,
 *                EST_EHTTP, EST_EPARSE, EST_ENODATA, EST_EIO...), err holds
 *                fallback_reason;
 *   strict, failed days: EST_ENODATA, "N day(s) of the window could not be
 *                fetched (the first, YYYY-MM-DD: reason)";
 *   EST_ENOMEM.
 */
int est_carbon_source_window(est_carbon_window **out, est_carbon_source *src, const est_zone *zone,
                             double start_unix_s, double end_unix_s, est_error *err);
void est_carbon_window_free(est_carbon_window *w);
/* The summary and the series (points of the window's whole UTC days) of a
   window; valid until it is freed. */
const est_carbon_summary *est_carbon_window_summary(const est_carbon_window *w);
const est_carbon_series *est_carbon_window_series(const est_carbon_window *w);
/* Moves the window's series into *out, to keep it after the window is
   freed (release it with est_carbon_series_clear): no copy, the window is
   left with an empty series and its summary stays valid (its days, failed
   days and notes are the window's own). EST_EINVAL for NULL arguments. */
int est_carbon_window_take_series(est_carbon_series *out, est_carbon_window *w);

/*
 * est_intensity_fn (ecoest/pipeline.h) over a source: user is an
 * est_carbon_source. It calls est_carbon_source_window; a FALLBACK window
 * is a failure with fallback_code and fallback_reason (the pipeline falls
 * back, or fails with its own strict). The answer's points (and, with water
 * factors, version 2's water points) belong to the source's last window,
 * valid until the next window or est_carbon_source_free; the caller reads
 * that window's summary with est_carbon_source_last.
 */
int est_carbon_intensity(void *user, const est_zone *zone, double start_unix_s,
                         double end_unix_s, est_intensity_answer *answer, est_error *err);
/* The window est_carbon_intensity made last (owned by the source); NULL
   before. */
const est_carbon_window *est_carbon_source_last(const est_carbon_source *src);

/* ==== BEGIN the day source (ecoest jobs --live; carbon/src/day_source.c) ====
 *
 * Many windows (one per job of a cluster's year) over a few zones, each UTC
 * day asked for once. The day source cuts a window into the UTC days it
 * spans, asks its fetch for each (zone, day) it does not hold yet, with the
 * window [day 00:00, next day 00:00), keeps the points of that day, and
 * answers the window with the points of its days, in time order, a time
 * given twice kept once (the first). A year of jobs costs at most 366
 * fetches per zone, however many jobs there are.
 *
 * The days of [start, end): from start's UTC day to end's, except that a
 * window ending at 00:00 leaves that day out. [23:00, 01:00 the next day)
 * spans 2 days; [22:00, 00:00) spans 1. At most EST_CARBON_MAX_DAYS.
 *
 * The fetch is the caller's: any function of the shape of
 * est_carbon_day_fetch_fn. With a carbon source (above):
 *
 *   est_carbon_day_source_options o = EST_CARBON_DAY_SOURCE_OPTIONS_INIT;
 *   est_carbon_day_source *ds;
 *   o.fetch = est_carbon_day_fetch_source; o.fetch_user = src;
 *   if (est_carbon_day_source_open(&ds, &o, &err) == 0) {
 *       jobs_options.intensity = est_carbon_day_source_intensity;
 *       jobs_options.intensity_user = ds;
 *       ... est_jobs_account(...) for each job ...
 *       st = est_carbon_day_source_stats(ds);   (days asked, failures)
 *   }
 *   est_carbon_day_source_free(ds);
 *
 * It never prints. What each day's fetch said is kept as data: one entry
 * per day asked for (est_carbon_day_source_entry: its points, requests,
 * notes, and why it has no data), and the totals with the first failure
 * (est_carbon_day_source_stats). A day without data is asked for once
 * too: later windows over it use the days that have data (or, strict, fail).
 *
 * Needs no network of its own (the fetch brings the days): a program that
 * links the static library and fetches through a module of its own (the
 * ecoest CLI) does not load libcurl for it. Not thread-safe: one thread at
 * a time, as a source.
 */

/*
 * One UTC day's intensity, [start_unix_s, start_unix_s + 86400): fills
 * *answer (version EST_INTENSITY_ANSWER_VERSION, zeroed by the caller) and
 * returns 0, or returns a negative EST_ code with err saying why, as an
 * est_intensity_fn. *summary (never NULL) may be set to the summary of the
 * carbon window the fetch made, valid until the next fetch (its requests,
 * notes and origin go into the day's entry); it starts NULL: a fetch that
 * made no window leaves it so.
 */
typedef int (*est_carbon_day_fetch_fn)(void *user, const est_zone *zone, double start_unix_s,
                                       double end_unix_s, est_intensity_answer *answer,
                                       const est_carbon_summary **summary, est_error *err);

/* est_carbon_day_fetch_fn over an est_carbon_source (user): its
   est_carbon_intensity, and the summary of the window that call made
   (est_carbon_source_last), or NULL when it made none (refused before any
   window: a zone RTE does not serve, a factor set it cannot read). */
int est_carbon_day_fetch_source(void *user, const est_zone *zone, double start_unix_s,
                                double end_unix_s, est_intensity_answer *answer,
                                const est_carbon_summary **summary, est_error *err);

#define EST_CARBON_DAY_SOURCE_OPTIONS_VERSION 1
typedef struct est_carbon_day_source_options {
    unsigned version;              /* EST_CARBON_DAY_SOURCE_OPTIONS_VERSION */
    est_carbon_day_fetch_fn fetch; /* required */
    void *fetch_user;              /* handed to fetch; borrowed */
    const est_zones *zones;        /* optional, borrowed: the zone table, so
                                      that the fetch gets a zone's whole row
                                      (est_zones_lookup) where the caller
                                      hands code and average only (the jobs
                                      accounting does); NULL: as handed */
    int strict;                    /* 1: a window that touches a day
                                      without data fails with that day's
                                      code and reason; 0: it gets the points
                                      of its days that have data */
} est_carbon_day_source_options;
#define EST_CARBON_DAY_SOURCE_OPTIONS_INIT \
    { EST_CARBON_DAY_SOURCE_OPTIONS_VERSION, NULL, NULL, NULL, 0 }

typedef struct est_carbon_day_source est_carbon_day_source;

/* One (zone, day) asked of the fetch, in the order asked. Owned by the day
   source; the library only appends fields. */
typedef struct est_carbon_day_entry {
    char zone[EST_ZONE_CODE_MAX];  /* the zone code as handed to the window */
    long days_since_epoch;         /* the UTC day (est_civil_from_days) */
    size_t n_points;               /* points of the day kept; 0: no data */
    int code;                      /* 0: data; else why not: the fetch's EST_
                                      code, or EST_ENODATA when it answered
                                      no point in the day */
    char reason[EST_ERROR_MESSAGE_MAX]; /* code's sentence (a fallback's
                                      reason; never a token); "" */
    char source[32];               /* the answer's source ("rte",
                                      "electricitymaps", "cache"); "" */
    char detail[256];              /* the answer's detail ("factors
                                      ipcc2014"); "" */
    int has_summary;               /* the fetch gave a window's summary: */
    est_carbon_day_origin origin;  /* NETWORK (a request was answered with
                                      data), CACHE, or MISSING */
    unsigned n_requests;           /* HTTP requests, retries included */
    const est_carbon_note *notes;  /* the window's notes, in order ("offline:
                                      intensity from the cache (1 day)", an
                                      ignored cache file...) */
    size_t n_notes;
} est_carbon_day_entry;

/* What the day source did so far. Owned by the day source; the library
   only appends fields. */
typedef struct est_carbon_day_stats {
    unsigned long windows;           /* windows answered or refused */
    unsigned long days_asked;        /* fetches: one per (zone, UTC day);
                                        also the number of entries */
    unsigned long days_without_data; /* entries with code != 0 */
    unsigned long requests;          /* the fetches' HTTP requests (their
                                        summaries' n_requests) */
    size_t n_zones;                  /* zones asked for */
    int first_failure_code;          /* the first day without data: its
                                        code; 0: none yet */
    char first_failure_zone[EST_ZONE_CODE_MAX];
    long first_failure_day;          /* days since the epoch */
    char first_failure[EST_ERROR_MESSAGE_MAX]; /* its reason; "" */
} est_carbon_day_stats;

/* Opens a day source (no fetch yet). EST_EINVAL for out NULL, a version
   outside 1..current or no fetch; EST_ENOMEM. Free with
   est_carbon_day_source_free (accepts NULL). */
int est_carbon_day_source_open(est_carbon_day_source **out,
                               const est_carbon_day_source_options *opts, est_error *err);
void est_carbon_day_source_free(est_carbon_day_source *ds);

/*
 * est_intensity_fn (ecoest/pipeline.h) over a day source: user is an
 * est_carbon_day_source. Fetches the days of [start_unix_s, end_unix_s)
 * not held yet (see above), then answers the points of its days: owned by
 * the day source, valid until the next call or est_carbon_day_source_free;
 * source and detail are those of the window's first day with data; no
 * water points. Errors:
 *   EST_EINVAL   NULL arguments; a window that is not finite, end <= start,
 *                or outside years 0001..9999;
 *   EST_ERANGE   more than EST_CARBON_MAX_DAYS days ("the job spans 367 UTC
 *                days; live intensity covers at most 366"), before any fetch;
 *   strict: the first day of the window without data: its code and reason;
 *   EST_ENODATA  no point in any day of the window ("no intensity for DE in
 *                the window");
 *   EST_ENOMEM   (a fetch that ran out of memory leaves its day unheld).
 */
int est_carbon_day_source_intensity(void *user, const est_zone *zone, double start_unix_s,
                                    double end_unix_s, est_intensity_answer *answer,
                                    est_error *err);

/* The totals so far; valid until the day source is freed. NULL for ds NULL. */
const est_carbon_day_stats *est_carbon_day_source_stats(const est_carbon_day_source *ds);
/* Entry i (0 .. days_asked - 1), in the order asked; valid until the next
   est_carbon_day_source_intensity or free. NULL out of range. */
const est_carbon_day_entry *est_carbon_day_source_entry(const est_carbon_day_source *ds,
                                                        size_t i);

/* ==== END the day source ==== */

/* ==== BEGIN the forecast policy (ecoest when; carbon/src/forecast_plan.c) ====
 *
 * Which forecast of the intensity a plan of the greenest hour
 * (ecoest/greenest.h) uses, and what to say when it is not the provider's.
 * Only Electricity Maps publishes a forecast of the carbon intensity; RTE
 * publishes forecasts of the demand, not of its CO2. The rules, in order:
 *   1. mode HISTORY: never ask; the plan forecasts from history, no note;
 *   2. the provider (given, else the zone's: est_carbon_provider_for_zone)
 *      is not Electricity Maps: not asked; note "RTE publishes forecasts of
 *      the demand, not of its carbon intensity: ..."; mode PROVIDER: FAIL
 *      (EST_EINVAL);
 *   3. offline: not asked (a forecast is never cached); mode PROVIDER: FAIL
 *      (EST_ENODATA);
 *   4. mode AUTO without a token: not asked; the note names where a token
 *      comes from (token_origin);
 *   5. else ASK: the caller fetches it (est_carbon_forecast_fetch, provider
 *      Electricity Maps) and hands the outcome to est_carbon_forecast_fetched:
 *      success is USE; a refused token (EST_EAUTH, the endpoint is not in
 *      the free tier) or another failure says so in the note, and is FALL_BACK
 *      (AUTO) or FAIL with the fetch's code (PROVIDER).
 * A fall back's note ends "Falling back to the forecast from history." (but
 * for rules 2 and 4, which never tried). The note goes to the plan
 * (est_greenest_plan_options.forecast_note), the label to its
 * forecast_label. Pure: no network, no environment, no global state.
 */

typedef enum est_carbon_forecast_mode {
    EST_CARBON_FORECAST_AUTO = 0,     /* the provider's where it can be had,
                                         else the forecast from history */
    EST_CARBON_FORECAST_PROVIDER = 1, /* the provider's, or a failure */
    EST_CARBON_FORECAST_HISTORY = 2   /* never ask the provider */
} est_carbon_forecast_mode;

typedef enum est_carbon_forecast_step {
    EST_CARBON_FORECAST_ASK = 1,       /* fetch it, then est_carbon_forecast_fetched */
    EST_CARBON_FORECAST_USE = 2,       /* fetched: plan with it */
    EST_CARBON_FORECAST_FALL_BACK = 3, /* plan from history; note says why
                                          ("" in mode HISTORY) */
    EST_CARBON_FORECAST_FAIL = 4       /* mode PROVIDER and it cannot be had:
                                          code and note say why */
} est_carbon_forecast_step;

#define EST_CARBON_FORECAST_POLICY_OPTIONS_VERSION 1
typedef struct est_carbon_forecast_policy_options {
    unsigned version;              /* EST_CARBON_FORECAST_POLICY_OPTIONS_VERSION */
    est_carbon_forecast_mode mode; /* default AUTO */
    est_carbon_provider provider;  /* NONE (default): the zone's */
    const char *zone;              /* the zone code; NULL counts as not FR */
    int offline;                   /* 1: the network is not used */
    int has_token;                 /* 1: an Electricity Maps token is at hand */
    const char *token_origin;      /* where a token would come from, named in
                                      rule 4's note ("$ELECTRICITYMAPS_TOKEN");
                                      NULL: not named */
} est_carbon_forecast_policy_options;
#define EST_CARBON_FORECAST_POLICY_OPTIONS_INIT \
    { EST_CARBON_FORECAST_POLICY_OPTIONS_VERSION, EST_CARBON_FORECAST_AUTO, \
      EST_CARBON_PROVIDER_NONE, NULL, 0, 0, NULL }

#define EST_CARBON_FORECAST_NOTE_MAX (EST_ERROR_MESSAGE_MAX + 128)

typedef struct est_carbon_forecast_policy {
    est_carbon_forecast_step step;
    est_carbon_forecast_mode mode;
    est_carbon_provider provider; /* the provider considered */
    int code;                     /* FAIL: the EST_ code: EST_EINVAL (the
                                     provider publishes no forecast),
                                     EST_ENODATA (offline), else the fetch's */
    char label[48];               /* "Electricity Maps' forecast" */
    char note[EST_CARBON_FORECAST_NOTE_MAX]; /* why the forecast is not used
                                     (never the token); "" */
    double reserved[4];
} est_carbon_forecast_policy;

/* Rules 1 to 5 into *out. EST_EINVAL: NULL arguments, a version outside
   1..current, an unknown mode or provider. */
int est_carbon_forecast_decide(est_carbon_forecast_policy *out,
                               const est_carbon_forecast_policy_options *opts, est_error *err);

/* The outcome of the fetch the policy asked for (step ASK): fetch_rc 0 is
   USE; else the note says why (fetch_err's message, or est_strerror) and
   the step is FALL_BACK (AUTO) or FAIL with code fetch_rc (PROVIDER).
   EST_EINVAL: p NULL or not at step ASK. */
int est_carbon_forecast_fetched(est_carbon_forecast_policy *p, int fetch_rc,
                                const est_error *fetch_err, est_error *err);

/* ==== END the forecast policy ==== */

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_CARBON_H */
