/*
 * ecoest/embodied.h - a job's share of the emissions of manufacturing the
 * hardware it holds (the "embodied" or "scope 3" carbon), as in Green
 * Algorithms v3.1:
 *
 *   share_frac = hours_held / (lifetime_years x 8766 h x active_frac)
 *   cpu_g      = share_frac x cpu_count x (die_cm2 x cpu_die + cpu_base)
 *                (die_cm2: the CPU's own when the caller gives it, e.g. from
 *                its hardware-database row; else the class default of the
 *                platform: a server's for a local or cloud server, a
 *                personal computer's for a laptop or desktop)
 *   gpu_g      = share_frac x gpu_count x (die_cm2 x gpu_die + gpu_base)
 *                (die_cm2: the GPU's own when the caller gives it, e.g. from
 *                its hardware-database row; else the class default)
 *   memory_g   = share_frac x (memory_gb / ram_density x ram_die
 *                              + memory_gb / ram_strip_gb x ram_base)
 *   rest_g     = share_frac x server_frac x the platform's other parts
 *   total_g    = cpu_g + gpu_g + memory_g + rest_g
 *
 * The factors come from carbon/embodied.csv (key,value,source), each with
 * its source; docs/method.md ("The embodied share") explains them and the
 * alternatives (Boavizta, the BLOOM paper).
 */
#ifndef ECOEST_EMBODIED_H
#define ECOEST_EMBODIED_H

#include <stddef.h>

#include "ecoest/common.h"
#include "ecoest/regions.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EST_HOURS_PER_YEAR 8766.0 /* 365.25 x 24 */

typedef struct est_embodied_factors est_embodied_factors;

/*
 * Reads the factors file. Every key of docs/method.md's list must appear
 * once with a value > 0 (active fractions at most 1) and a printable UTF-8
 * source; an unknown key, a duplicate or a missing key is EST_EPARSE with
 * "file:line: column NAME: ...". Also EST_ENOENT, EST_EIO, EST_ENOMEM,
 * EST_EINVAL (NULL arguments).
 */
int est_embodied_factors_open(est_embodied_factors **f, const char *path, est_error *err);
void est_embodied_factors_free(est_embodied_factors *f);
/* A factor's value (and its source, may be NULL); EST_ENOTFOUND for an
   unknown key, EST_EINVAL for NULL arguments. */
int est_embodied_factor(double *value, const char **source, const est_embodied_factors *f,
                        const char *key);

#define EST_EMBODIED_INPUTS_VERSION 1
typedef struct est_embodied_inputs {
    unsigned version;          /* EST_EMBODIED_INPUTS_VERSION */
    est_regions_platform platform;     /* sets the lifetime, the active fraction and
                                  the other parts (a cloud or local server:
                                  a rack server's; a laptop or desktop: the
                                  computer's besides its CPU and memory) */
    double hours_held;         /* > 0: runtime x runs */
    double cpu_count;          /* CPU packages held, may be fractional
                                  (cores used / cores per package), >= 0 */
    double cpu_die_area_cm2;   /* cm2 >= 0, the CPU's (est_hwdb_entry.die_area_cm2);
                                  EST_UNSET: the class default of the
                                  platform, cpu_die_area_server_default_cm2
                                  (local or cloud server) or
                                  cpu_die_area_personal_default_cm2 (laptop,
                                  desktop) */
    double gpu_count;          /* GPUs held, >= 0 */
    double gpu_die_area_cm2;   /* cm2 >= 0, one GPU's (est_hwdb_entry.die_area_cm2);
                                  EST_UNSET: the class default,
                                  gpu_die_area_default_cm2 (every platform) */
    double memory_gb;          /* >= 0 */
    double server_frac;        /* 0..1, the share of the other parts held;
                                  EST_UNSET: 1 */
    double lifetime_years;     /* > 0; EST_UNSET: the platform's */
    double active_frac;        /* 0 < f <= 1; EST_UNSET: the platform's */
} est_embodied_inputs;
#define EST_EMBODIED_INPUTS_INIT                                                        \
    { EST_EMBODIED_INPUTS_VERSION, EST_REGIONS_PLATFORM_LOCAL_SERVER, 0.0, 0.0, EST_UNSET, 0.0, \
      EST_UNSET, 0.0, EST_UNSET, EST_UNSET, EST_UNSET }

/* Where a die area used came from. */
typedef enum est_embodied_die_origin {
    EST_EMBODIED_DIE_NONE = 0,         /* no result (a failed computation) */
    EST_EMBODIED_DIE_GIVEN = 1,        /* the caller's (the estimate pipeline:
                                          the CPU's or GPU's hardware-database
                                          row) */
    EST_EMBODIED_DIE_CLASS_DEFAULT = 2 /* carbon/embodied.csv's class default */
} est_embodied_die_origin;

/* "given", "class default"; "?" for another value. Static storage. */
const char *est_embodied_die_origin_name(est_embodied_die_origin origin);

typedef struct est_embodied_result {
    double share_frac;      /* hours_held / active hours of the lifetime */
    double lifetime_years;  /* used */
    double active_frac;     /* used */
    double cpu_die_area_cm2, gpu_die_area_cm2; /* used, cm2 */
    /* manufacturing of what is held, whole (g CO2e) */
    double cpu_manufacturing_g, gpu_manufacturing_g, memory_manufacturing_g,
        rest_manufacturing_g;
    /* the job's share (g CO2e) */
    double cpu_g, gpu_g, memory_g, rest_g, total_g;
    /* where cpu_die_area_cm2 and gpu_die_area_cm2 came from (these two take
       the place of one double of the reserved space of 0.1) */
    est_embodied_die_origin cpu_die_area_origin, gpu_die_area_origin;
    /* the platform whose lifetime, active use and other parts were used
       (inputs.platform), so a report can name the rest: "the server", "the
       laptop" (with reserved_u, in place of a second double of 0.1's
       reserved space) */
    est_regions_platform platform;
    unsigned reserved_u;
    double reserved[2];
} est_embodied_result;

/*
 * Computes the embodied share. On failure out is zeroed; EST_EINVAL names
 * the input (NaN, infinite, negative, hours_held 0, fractions outside their
 * range, unknown platform or version), EST_ERANGE when a result overflows.
 */
int est_embodied_compute(est_embodied_result *out, const est_embodied_factors *f,
                         const est_embodied_inputs *in, est_error *err);

#ifdef __cplusplus
}
#endif

#endif
