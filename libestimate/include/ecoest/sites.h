/*
 * ecoest/sites.h - the same job at several sites, ranked: `ecoest where`.
 *
 * A site is a name, a place (a zone code, an alias, or a cloud region
 * "PROVIDER:REGION"), a PUE and a WUE. A sites file is a CSV:
 *
 *   name,zone,pue,wue
 *   our cluster,FR,1.4,
 *   paris,aws:eu-west-3,,
 *
 * where an empty pue or wue takes the place's default (a region: its
 * provider's published figure; a zone: est_sites_options.default_pue and
 * default_wue_l_per_kwh). For each site:
 *
 *   energy_kwh = it_energy_kwh x pue
 *   co2e_g     = energy_kwh x the zone's annual carbon intensity
 *   water_l    = it_energy_kwh x wue + energy_kwh x the zone's water
 *                intensity (ecoest/water.h)
 *
 * A zone without a water intensity takes its country's (the code before the
 * first '-', "US-EGRID-CAMX" -> "US"), and the result says so.
 */
#ifndef ECOEST_SITES_H
#define ECOEST_SITES_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/pipeline.h"
#include "ecoest/regions.h"
#include "ecoest/zones.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One row of a sites file, or of a list. A plain value. */
typedef struct est_site {
    char name[EST_NAME_MAX];
    char place[EST_NAME_MAX];      /* "FR", "UK", "aws:eu-west-3" */
    double pue;                    /* >= 1; EST_UNSET: the place's default */
    double wue_l_per_kwh;          /* >= 0; EST_UNSET: the place's default */
    char origin[EST_ERROR_FILE_MAX]; /* "file:line", or "" */
} est_site;

/*
 * Reads a sites file (header name,zone,pue,wue). *sites is a malloc'd array
 * of *n sites: free it with free(). Errors: EST_ENOENT, EST_EIO, EST_ENOMEM,
 * EST_ENODATA (no rows), EST_EPARSE "sites.csv:3: column pue: ..." (a wrong
 * header or field count, an empty or non-UTF-8 name or zone, a duplicate
 * name, a PUE below 1 or above 3, a WUE outside 0..100).
 */
int est_sites_read(est_site **sites, size_t *n, const char *path, est_error *err);

#define EST_SITES_OPTIONS_VERSION 1
typedef struct est_sites_options {
    unsigned version;               /* EST_SITES_OPTIONS_VERSION */
    double it_energy_kwh;           /* the job's hardware energy, PUE excluded, >= 0 */
    double default_pue;             /* for a zone site without a PUE;
                                       EST_UNSET: EST_PUE_DEFAULT_UPTIME_2024 */
    double default_wue_l_per_kwh;   /* for a site without a WUE (a zone, or a
                                       provider that publishes none);
                                       EST_UNSET: 0 */
} est_sites_options;
#define EST_SITES_OPTIONS_INIT { EST_SITES_OPTIONS_VERSION, 0.0, EST_UNSET, EST_UNSET }

/* Where a figure came from. */
typedef enum est_sites_from {
    EST_SITES_FROM_SITE = 0,     /* the sites file or list */
    EST_SITES_FROM_PROVIDER = 1, /* the cloud provider's published figure */
    EST_SITES_FROM_DEFAULT = 2,  /* est_sites_options' default (est_site_estimate:
                                   the pipeline's default) */
    EST_SITE_FROM_JOB = 3       /* est_site_estimate: the job's options (pue,
                                   wue_l_per_kwh given there) */
} est_sites_from;

/* "site", "provider", "default" or "job". */
const char *est_sites_from_name(est_sites_from from);

typedef struct est_sites_result {
    char name[EST_NAME_MAX];
    char zone[EST_ZONE_CODE_MAX];  /* the zone's own code */
    char zone_name[EST_NAME_MAX];
    char region[EST_REGION_PROVIDER_MAX + EST_REGION_NAME_MAX]; /* "aws:eu-west-3", or "" */
    double pue;
    est_sites_from pue_from;
    double wue_l_per_kwh;
    est_sites_from wue_from;
    double ci_g_co2e_per_kwh;
    double water_intensity_l_per_kwh; /* EST_UNSET when unknown */
    char water_zone[EST_ZONE_CODE_MAX]; /* the zone whose intensity was used
                                          (the country's when the zone has
                                          none), or "" */
    double energy_kwh;
    double co2e_g;
    double water_onsite_l, water_offsite_l; /* offsite EST_UNSET when unknown */
    double water_l;                /* EST_UNSET when the intensity is unknown */
    /* filled by est_sites_rank, by the ranked quantity (g or l): */
    double saving_vs_worst;        /* worst - this, >= 0 */
    double saving_vs_median;       /* median - this (negative: above it) */
    /* est_site_estimate only (est_sites_evaluate sets them as co2e_g and
       EST_UNSET): */
    double operational_co2e_g;     /* the model's, in the headline scope */
    double embodied_co2e_g;        /* the embodied share; EST_UNSET without
                                      embodied factors */
} est_sites_result;

/*
 * Evaluates one site. regions may be NULL (then a "PROVIDER:REGION" place is
 * EST_ENOTFOUND). Errors: EST_ENOTFOUND for an unknown zone or region, with
 * err->input EST_INPUT_ZONE or EST_INPUT_CLOUD and err->value the code or
 * PROVIDER:REGION refused (est_zones_suggest, est_regions_suggest give the
 * close ones); EST_EINVAL for bad options or NULL arguments (a place with
 * a ':' but no region: err->input EST_INPUT_CLOUD).
 */
int est_sites_evaluate(est_sites_result *out, const est_site *site, const est_zones *zones,
                      const est_regions *regions, const est_sites_options *opts,
                      est_error *err);

/*
 * Estimates the job at one site through the estimate pipeline
 * (ecoest/pipeline.h), so that the site's figures are exactly those of
 * est_estimate_run for the same inputs with the site's zone or cloud region,
 * PUE and WUE. job holds the job (version 3 or later; its zone, cloud,
 * ci_g_co2e_per_kwh and intensity are replaced by the site's); job->regions
 * is needed for a "PROVIDER:REGION" place, job->embodied for the embodied
 * share. The PUE is the site's, else (a cloud region) its provider's, else
 * job->pue, else the pipeline's default (its platform's, or 1.67); the WUE
 * the site's, else the region's, else job->wue_l_per_kwh, else 0. Fills:
 *   energy_kwh          the headline scope's energy (PUE included);
 *   co2e_g              est_estimate_headline_co2e_g (the embodied share
 *                       included when job->include_embodied);
 *   operational_co2e_g  the model's CO2e; embodied_co2e_g the share;
 *   ci_g_co2e_per_kwh   the zone's annual intensity;
 *   water_*             est_estimate_water.
 * *est_out (optional; NULL: not kept) receives the estimate, to free with
 * est_estimate_free. Errors: those of est_estimate_run (err->input names the
 * input, err->value the zone or region refused for EST_ENOTFOUND);
 * EST_EINVAL for NULL arguments or options older than version 3.
 */
int est_site_estimate(est_sites_result *out, est_estimate **est_out, const est_site *site,
                      const est_estimate_options *job, const est_hwdb *db,
                      const est_zones *zones, est_error *err);

typedef enum est_sites_rank_by { EST_SITES_RANK_BY_CO2E = 0, EST_SITES_RANK_BY_WATER = 1 } est_sites_rank_by;

/*
 * Orders results best first (lowest CO2e, or lowest water with unknown
 * water last; ties keep their order) and fills each saving against the
 * worst and the median of the ranked quantity (the median of an even count
 * is the mean of the middle two; sites with unknown water are left out of
 * it and get EST_UNSET savings).
 */
void est_sites_rank(est_sites_result *results, size_t n, est_sites_rank_by by);

#ifdef __cplusplus
}
#endif

#endif
