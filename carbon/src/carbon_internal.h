/* Internal helpers of ecoest_carbon. Not installed, not part of the API. */
#ifndef ECOEST_CARBON_INTERNAL_H
#define ECOEST_CARBON_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "ecoest/carbon.h"
/* The internal support library (carbon/CMakeLists.txt: ecoest_support,
   built from libestimate's helper sources, hidden in every carbon binary):
   est__fail, est__excerpt, est__read_file, the ASCII classes; csv.h. */
#include "internal.h"

#if defined(__GNUC__)
#define ECAR_INTERNAL __attribute__((visibility("hidden")))
#define ECAR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ECAR_INTERNAL
#define ECAR_PRINTF(a, b)
#endif

/* Replaces every occurrence of secret (when not NULL/empty) in s by "***",
   and a prefix of it cut by a truncation: any prefix just before a "..."
   cut mark, or at the end of s when s fills its buffer (size), 3 bytes or
   more at the end otherwise. A prefix of 1 or 2 bytes becomes as many
   '*'. s only shrinks. */
ECAR_INTERNAL void ecar_scrub(char *s, size_t size, const char *secret);
/* A zone code: 1..EST_ZONE_CODE_MAX-1 ASCII letters, digits, '-' and '_'
   (the rule of zones.csv, which libestimate keeps private). */
ECAR_INTERNAL int ecar_zone_code_valid(const char *s, size_t len);
/* Copies at most n bytes of s into buf (size bytes) as a printable excerpt
   that is valid UTF-8 whatever s holds: control characters and bytes that
   are not well-formed UTF-8 become '?', a value too long is cut (at a
   character boundary) with "...". Always NUL-terminates. Returns buf.
   Every text of a server or a file that a carbon message shows goes
   through this. */
ECAR_INTERNAL char *ecar_excerpt(char *buf, size_t size, const char *s, size_t n);
/* "YYYY-MM-DD" of a day since the epoch (buf >= 11 bytes). */
ECAR_INTERNAL void ecar_day_name(long day, char *buf, size_t size);

/* ---- windows (summary.c: no network, so that the CLI's static link of
   the default window loads no libcurl) ---- */

struct est_carbon_window {
    est_carbon_summary sum;
    est_carbon_series series;
    est_intensity_day *days;
    long *failed_days;
    est_carbon_note *notes;
    size_t n_notes, cap_notes;
};

/* The figures of a window without data, the zone's annual average: zone,
   source "default", the mean, coverage -1, provider and water means
   EST_UNSET; status is the caller's (FALLBACK or ZONE_AVERAGE). */
ECAR_INTERNAL void ecar_summary_zone_average(est_carbon_summary *c, const est_zone *z);

/* ---- HTTP ---- */

typedef struct ecar_http {
    double deadline_mono_s;   /* the fetch's budget ends at this monotonic time */
    double budget_s;          /* the whole budget, for messages */
    double connect_timeout_s;
    const char *label;        /* "RTE", "Electricity Maps" */
    const char *auth_header;  /* "Authorization: Apikey <t>" or "auth-token: <t>"; NULL */
    const char *secret;       /* the token, to scrub from messages */
    const char *user_agent;
    size_t body_max;          /* the largest answer taken, bytes; 0:
                                 ECAR_BODY_MAX_DEFAULT */
    unsigned n_requests;
    void *curl;               /* one easy handle for all requests of a fetch
                                 (connection reuse); ecar_http_close frees it */
} ecar_http;

#define ECAR_BODY_MAX_DEFAULT (4u * 1024u * 1024u)

/* Monotonic clock, seconds. */
ECAR_INTERNAL double ecar_mono_s(void);
/* Checks a base URL: https, or http to a loopback host. EST_EINVAL otherwise. */
ECAR_INTERNAL int ecar_check_base_url(const char *url, const char *label, est_error *err);
/* GETs url and parses the body as JSON (*out owned by the caller). Retries
   429/5xx/connection failures within the budget. Errors as est_carbon_fetch. */
ECAR_INTERNAL int ecar_http_get_json(ecar_http *h, const char *url, cJSON **out,
                                     est_error *err);
/* What a response's header lines say. */
typedef struct ecar_head_info {
    double retry_after;       /* Retry-After in seconds (>= 0); -1: none */
    char location_host[128];  /* the host of a Location header, printable
                                 ASCII only (never its user info, path or
                                 query); "" none */
} ecar_head_info;
/* Reads one header line (ptr, n bytes, not NUL-terminated, as curl hands
   it) into hi: Retry-After and Location, case-insensitively. */
ECAR_INTERNAL void ecar_http_header(const char *ptr, size_t n, ecar_head_info *hi);
/* Frees the handle's connection. Accepts a never used h. */
ECAR_INTERNAL void ecar_http_close(ecar_http *h);
/* URL-encodes s into buf. EST_ERANGE when it does not fit. */
ECAR_INTERNAL int ecar_url_escape(const char *s, char *buf, size_t size);

/* ---- cache ---- */

ECAR_INTERNAL int ecar_cache_mkdirs(const char *path_of_file, est_error *err);

/* ---- providers: one UTC day's records to points ---- */

typedef struct ecar_points {
    est_intensity_point *p;
    size_t n, cap;
} ecar_points;

ECAR_INTERNAL int ecar_points_push(ecar_points *v, double t, double dur, double g);

/* Bounds of the values a provider may send. */
#define ECAR_RTE_MW_MIN (-100.0)    /* small negative metering noise: 0 */
#define ECAR_RTE_MW_MAX 200000.0    /* France's whole fleet is about 150 GW */
#define ECAR_CI_MAX EST_CI_MAX_G_CO2E_PER_KWH /* the zone table's bound */

/* RTE records (results items) of one day [d0, d0 + 86400) to points: our CI
   (factors) into ci, taux_co2 into taux, and with water factors (may be
   NULL) the off-site water intensity (l/kWh) into water; rows outside the
   day are ignored.
   *partial counts rows with some production fields missing, *dups the rows
   at a time already seen (the first is kept). A production field outside
   ECAR_RTE_MW_MIN..ECAR_RTE_MW_MAX is EST_EPARSE. */
ECAR_INTERNAL int ecar_rte_parse_day(const cJSON *records, double d0,
                                     const est_carbon_factor_set *factors,
                                     const est_water_factors *water_factors, ecar_points *ci,
                                     ecar_points *taux, ecar_points *water, size_t *partial,
                                     size_t *dups, est_error *err);
/* Electricity Maps points (data/history items) of one day to points; an
   intensity outside 0..ECAR_CI_MAX is EST_EPARSE. */
ECAR_INTERNAL int ecar_em_parse_day(const cJSON *records, double d0, ecar_points *ci,
                                    size_t *dups, est_error *err);

#endif
