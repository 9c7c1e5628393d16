/*
 * ecoest/regions.h - where a job runs: the platform (laptop, desktop, local
 * server, cloud) and the cloud providers' regions.
 *
 * The regions are read from carbon/regions.csv (docs/where.md):
 *
 *   provider,region,location,zone,pue,wue_l_per_kwh,source
 *   aws,*,Amazon Web Services,,1.15,0.15,"AWS ... global PUE 1.15 in 2024 ..."
 *   aws,eu-west-3,"Paris, France",FR,,,"AWS, Regions and Availability Zones ..."
 *
 * A row with region "*" gives the provider's name (location), its PUE and
 * WUE, each from the provider's own report; a region row gives its location
 * and zone (a code of carbon/zones.csv), and an empty pue or wue takes the
 * provider's. docs/method.md ("Platforms and the default PUE") says why the
 * default PUE is EST_PUE_DEFAULT_UPTIME_2024.
 */
#ifndef ECOEST_REGIONS_H
#define ECOEST_REGIONS_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/zones.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The global average PUE of the Uptime Institute's Global Data Center
   Survey 2024: ecoest's default for a data centre of unknown PUE (Green
   Algorithms v3.1 uses it too; 1.67 was the 2019 survey's). */
#define EST_PUE_DEFAULT_UPTIME_2024 1.56

typedef enum est_regions_platform {
    EST_REGIONS_PLATFORM_LAPTOP = 0,
    EST_REGIONS_PLATFORM_DESKTOP = 1,
    EST_REGIONS_PLATFORM_LOCAL_SERVER = 2, /* a server in a machine room or data centre */
    EST_REGIONS_PLATFORM_CLOUD = 3
} est_regions_platform;

/* "laptop", "desktop", "local-server", "cloud"; "?" for anything else. */
const char *est_regions_platform_name(est_regions_platform platform);
/* Parses one of those names (case-sensitive); EST_EINVAL otherwise. */
int est_regions_platform_parse(est_regions_platform *out, const char *s);
/*
 * The PUE a platform implies when none is given: 1 for a laptop or desktop
 * (no data centre around it), EST_PUE_DEFAULT_UPTIME_2024 for a local server
 * and for a cloud of unknown provider (a known region has its provider's).
 * Returns EST_UNSET for an unknown platform.
 */
double est_regions_platform_default_pue(est_regions_platform platform);

#define EST_REGION_PROVIDER_MAX 16
#define EST_REGION_NAME_MAX 48

/* One region, with its provider's figures filled in. A plain value. */
typedef struct est_region {
    char provider[EST_REGION_PROVIDER_MAX]; /* "aws" */
    char region[EST_REGION_NAME_MAX];       /* "eu-west-3" */
    char location[EST_NAME_MAX];            /* "Paris, France" */
    char zone[EST_ZONE_CODE_MAX];           /* "FR" */
    double pue;                             /* the region's, else the provider's */
    int pue_is_region;                      /* 1: the region's own figure */
    double wue_l_per_kwh;                   /* the region's, else the provider's;
                                               EST_UNSET when none is published */
    char provider_name[EST_NAME_MAX];       /* "Amazon Web Services" */
    char source[EST_ZONE_SOURCE_MAX];       /* the region row's source */
    char provider_source[EST_ZONE_SOURCE_MAX]; /* the PUE/WUE source */
    char origin[EST_ERROR_FILE_MAX];        /* "file:line" of the region row */
} est_region;

typedef struct est_regions est_regions;

/*
 * Reads a regions file. zones (may be NULL) checks every region's zone
 * (aliases allowed). Errors: EST_ENOENT, EST_EIO, EST_ENOMEM, EST_EINVAL (NULL
 * regions or path), EST_EPARSE "regions.csv:12: column pue: ..." for a wrong
 * header or field count, a provider or region that is not lower-case
 * letters, digits and '-', a duplicate, a region before its provider's "*"
 * row, a provider row without a PUE, a PUE below 1 or above 3, a WUE outside
 * 0..EST_WUE_MAX_L_PER_KWH (water.h), an unknown zone, a location or source
 * that is empty or not printable UTF-8.
 */
int est_regions_open(est_regions **regions, const char *path, const est_zones *zones,
                     est_error *err);
void est_regions_free(est_regions *regions);
size_t est_regions_count(const est_regions *regions);
/* The index-th region (provider rows excluded), in file order. */
const est_region *est_regions_at(const est_regions *regions, size_t index);

/*
 * Looks "PROVIDER:REGION" up ("aws:eu-west-3", "azure:France Central": case,
 * spaces and '-' are ignored). EST_EINVAL when spec has no ':' (or for NULL
 * arguments); EST_ENOTFOUND for an unknown provider or region. For a spec
 * refused (no ':', unknown), err->value holds spec, for
 * est_regions_suggest.
 */
int est_regions_lookup(est_region *out, const est_regions *regions, const char *spec,
                       est_error *err);

/*
 * The regions to offer for a spec est_regions_lookup refuses, best first,
 * at most EST_SUGGESTIONS_MAX, as "PROVIDER:REGION":
 *   unknown provider  every provider, as "PROVIDER:REGION" with the word
 *                     REGION ("aws:REGION", "azure:REGION", ...), in file
 *                     order;
 *   unknown region    that provider's regions whose name (lower case,
 *                     without spaces and '-') is within an edit distance of
 *                     4 of the asked one's, closest first, ties in file
 *                     order.
 * out->n is 0 when spec resolves, has no ':' or nothing is close. Errors:
 * EST_EINVAL for NULL arguments (out then empty when not NULL); a spec not
 * found is no error.
 */
int est_regions_suggest(est_suggestions *out, const est_regions *regions, const char *spec);

/* Whether a region matches a listing query (case-insensitive): the start
   of "provider:region" ("aws", "aws:eu"), or the start of a '-'-separated
   part of the region ("west": eu-west-3) or of the zone ("US":
   US-EGRID-CAMX), or of a word of the location ("paris": "Europe
   (Paris)"); never text inside a word ("fr" is not South Africa, "us" not
   Busan). NULL or "" match all. Aliases of zones are not seen here (the
   caller resolves "UK" to GB with est_zones_lookup and compares the
   zone). */
int est_regions_matches(const est_region *region, const char *query);

/* est_regions_matches for a query that names a zone: zone is the code the
   query resolves to (est_zones_lookup, aliases included: "uk" -> GB,
   "fra" -> FR), or NULL / "" when it names none (then exactly
   est_regions_matches). With a zone, a region matches by the start of
   "provider:region" or of a part of its region, or when its zone is that
   zone or one of its sub-zones ("US": US-EGRID-CAMX); the location is not
   searched, so "fr" lists France's regions, not Frankfurt's. */
int est_regions_matches_zone(const est_region *region, const char *query, const char *zone);

#ifdef __cplusplus
}
#endif

#endif
