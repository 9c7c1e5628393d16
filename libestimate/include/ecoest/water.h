/*
 * ecoest/water.h - the water footprint of a job, and the per-source water
 * consumption factors of electricity generation.
 *
 * The footprint follows Li, Yang, Islam and Ren, "Making AI Less Thirsty"
 * (2023, arXiv:2304.03271): on-site water (the data centre's cooling, the
 * site's WUE) plus off-site water (consumed to generate the electricity):
 *
 *   water_l = it_energy_kwh x wue_l_per_kwh
 *           + it_energy_kwh x pue x offsite_l_per_kwh
 *
 * it_energy_kwh is the hardware's energy before PUE (the model's total
 * divided by its PUE). docs/method.md ("Water") gives the scope and sources.
 */
#ifndef ECOEST_WATER_H
#define ECOEST_WATER_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A water intensity above this, l/kWh, is malformed (the thirstiest grids
   are near 30 l/kWh, all-reservoir hydro about 33). */
#define EST_WATER_MAX_L_PER_KWH 1000.0
/* A WUE above this, l/kWh, is malformed (evaporative sites are near 2). */
#define EST_WUE_MAX_L_PER_KWH 100.0

#define EST_WATER_INPUTS_VERSION 1
typedef struct est_water_inputs {
    unsigned version;          /* EST_WATER_INPUTS_VERSION */
    double it_energy_kwh;      /* the hardware's energy, PUE excluded, >= 0 */
    double pue;                /* >= 1 */
    double wue_l_per_kwh;      /* on-site litres per kWh of IT energy,
                                  0..EST_WUE_MAX_L_PER_KWH; EST_UNSET: 0 */
    double offsite_l_per_kwh;  /* the grid's litres per kWh generated,
                                  0..EST_WATER_MAX_L_PER_KWH; EST_UNSET:
                                  unknown (offsite_l and water_l unknown) */
} est_water_inputs;
#define EST_WATER_INPUTS_INIT { EST_WATER_INPUTS_VERSION, 0.0, 1.0, EST_UNSET, EST_UNSET }

typedef struct est_water_result {
    double onsite_l;   /* it_energy_kwh x wue */
    double offsite_l;  /* it_energy_kwh x pue x offsite intensity;
                          EST_UNSET when the intensity is unknown */
    double water_l;    /* onsite_l + offsite_l; EST_UNSET when offsite_l is */
    double wue_l_per_kwh;     /* the WUE used (0 when not given) */
    double reserved[4];
} est_water_result;

/*
 * Computes the water footprint. out and in must not be NULL; on failure
 * out is zeroed. EST_EINVAL names the input: NaN or infinite values, a
 * negative energy, a PUE below 1, a WUE or intensity that is negative (other
 * than EST_UNSET) or above its maximum, an unknown version.
 */
int est_water_compute(est_water_result *out, const est_water_inputs *in, est_error *err);

/* ---- per-source factors: carbon/water-factors.csv ----
 *
 *   source_type,water_l_per_kwh,scope,source
 *   nuclear,2.04,operational,"Vanham et al. (2019) ..."
 *
 * The source types are those of carbon/factors.csv (nuclear, wind, solar,
 * hydro, geothermal, biomass, gas, coal, oil, unknown); each appears once;
 * scope is "operational" or "lifecycle" and the same on every row.
 */
typedef struct est_water_factors est_water_factors;

typedef struct est_water_factor {
    char source_type[32];
    double water_l_per_kwh;
    char scope[16];
    char source[1024];
    char origin[EST_ERROR_FILE_MAX]; /* "file:line" */
} est_water_factor;

/*
 * Reads a factors file. EST_ENOENT, EST_EIO, EST_ENOMEM, or EST_EPARSE with
 * "file:line: column NAME: ..." (a wrong header or field count, an unknown
 * or repeated source type, a value outside 0..EST_WATER_MAX_L_PER_KWH, a
 * mixed scope, a source that is empty or not printable UTF-8, a missing
 * source type). Free with est_water_factors_free.
 */
int est_water_factors_open(est_water_factors **wf, const char *path, est_error *err);
void est_water_factors_free(est_water_factors *wf);
size_t est_water_factors_count(const est_water_factors *wf);
const est_water_factor *est_water_factors_at(const est_water_factors *wf, size_t index);
/* The factor of a source type; NULL when unknown. */
const est_water_factor *est_water_factors_find(const est_water_factors *wf,
                                               const char *source_type);

/*
 * The water intensity of a generation mix: sum(mwh_i x factor_i) / sum(mwh_i)
 * in l/kWh, over n sources named by source_type[i] with energies mwh[i]
 * (any unit, >= 0). EST_EINVAL: an unknown type, a negative or non-finite
 * energy, NULL arguments; EST_ENODATA: the energies sum to 0.
 */
int est_water_mix_intensity(double *out_l_per_kwh, const est_water_factors *wf,
                            const char *const *source_type, const double *mwh, size_t n,
                            est_error *err);

#ifdef __cplusplus
}
#endif

#endif
