/*
 * ecoest/zones.h - annual average carbon intensity per zone.
 *
 * (Interim version: the built-in WORLD row. The CSV-backed table with
 * overlays replaces the implementation behind this same API.)
 */
#ifndef ECOEST_ZONES_H
#define ECOEST_ZONES_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EST_ZONE_CODE_MAX 32
#define EST_ZONE_SOURCE_MAX 512

typedef struct est_zone {
    char code[EST_ZONE_CODE_MAX];   /* "FR", "US-EGRID-CAMX", "WORLD" */
    char name[EST_NAME_MAX];
    double ci_g_co2e_per_kwh;       /* annual average */
    unsigned year;                  /* the data year */
    char scope[16];                 /* "direct" or "lifecycle" */
    double water_l_per_kwh;         /* -1 (EST_UNSET) when unknown */
    char source[EST_ZONE_SOURCE_MAX];
    char origin[EST_ERROR_FILE_MAX]; /* where the row was read: "file:line" */
} est_zone;

typedef struct est_zones est_zones;

#define EST_ZONES_OPTIONS_VERSION 1
typedef struct est_zones_options {
    unsigned version;            /* EST_ZONES_OPTIONS_VERSION */
    const char *shipped_file;    /* zones.csv; NULL: built-in WORLD only */
    const char *const *overlay_dirs; /* folders whose zones.csv are read after
                                    it; later rows override the same zone */
    size_t n_overlay_dirs;
} est_zones_options;
#define EST_ZONES_OPTIONS_INIT { EST_ZONES_OPTIONS_VERSION, NULL, NULL, 0 }

int est_zones_open(est_zones **zones, const est_zones_options *opts, est_error *err);
void est_zones_free(est_zones *zones);

/* Looks a zone up by code, case-insensitively. EST_ENOTFOUND with the
   closest codes in err->candidates. */
int est_zones_lookup(const est_zones *zones, const char *code, est_zone *out,
                     est_error *err);

#ifdef __cplusplus
}
#endif

#endif
