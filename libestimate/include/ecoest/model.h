/*
 * ecoest/model.h - the energy and carbon model.
 *
 *   power_w    = PUE x (cpu + gpu + memory)
 *     cpu      = cores x TDP per core x usage            (or a measured power)
 *     gpu      = per GPU: process scope    usage x (TDP - idle)
 *                                          or max(P - idle, 0) for a measured P
 *                         allocation scope usage x TDP, or P
 *     memory   = GB x 0.3725 W/GB
 *   energy_kwh = power_w x runtime_h x runs / 1000
 *   co2e_g     = energy_kwh x carbon intensity (gCO2e/kWh)
 *
 * Pure computation: no I/O, no allocation, no global state. docs/method.md
 * gives every formula and default with its source.
 */
#ifndef ECOEST_MODEL_H
#define ECOEST_MODEL_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Defaults and reference values (docs/method.md names their sources). */
#define EST_DEFAULT_PUE 1.67               /* Uptime Institute 2019 mean */
#define EST_DEFAULT_MEMORY_W_PER_GB 0.3725 /* Green Algorithms */
#define EST_DEFAULT_CI_G_CO2E_PER_KWH 475.0 /* WORLD, IEA 2019 */
#define EST_TREE_G_CO2E_PER_YEAR 11000.0
#define EST_CAR_G_CO2E_PER_KM 175.0
#define EST_FLIGHT_PARIS_DUBLIN_G_CO2E 110000.0
#define EST_FLIGHT_NYC_SF_G_CO2E 570000.0
#define EST_FLIGHT_NYC_MELBOURNE_G_CO2E 2310000.0

/*
 * EST_UNSET (defined in common.h) in a double input means "not given": the
 * model applies its default (and lists it in the assumptions), or, for a
 * measured power, does not use one. Any other negative value is rejected.
 */

typedef enum est_scope {
    EST_SCOPE_PROCESS = 0,   /* the job's own draw above idle (default) */
    EST_SCOPE_ALLOCATION = 1 /* what holding the hardware costs: GPUs from 0 W */
} est_scope;

/* "process" or "allocation"; "?" for anything else. */
const char *est_scope_name(est_scope scope);
/* Parses "process" or "allocation" (case-sensitive). EST_EINVAL otherwise. */
int est_scope_parse(const char *s, est_scope *out);

#define EST_MODEL_INPUTS_VERSION 1

/*
 * Inputs of one estimate. Initialise with EST_MODEL_INPUTS_INIT, then set
 * what you know; fields may be appended in later versions.
 */
typedef struct est_model_inputs {
    unsigned version; /* EST_MODEL_INPUTS_VERSION */

    /* CPU: cpu_cores x cpu_tdp_per_core_w x cpu_usage_frac. cores 0: no CPU. */
    unsigned cpu_cores;
    double cpu_tdp_per_core_w; /* W per core, > 0 when cpu_cores > 0 */
    double cpu_usage_frac;     /* 0..1; EST_UNSET: 1 (full use) */
    double cpu_power_w;        /* measured mean CPU power of the job, W;
                                  EST_UNSET: not measured. When set it
                                  replaces cores x TDP x usage. */

    /* GPUs: gpu_count identical devices. gpu_count 0: no GPU. */
    unsigned gpu_count;
    double gpu_tdp_w;      /* W per GPU; > 0 unless gpu_power_w is given */
    double gpu_idle_w;     /* W per GPU; EST_UNSET: 0. Must be <= TDP. */
    double gpu_usage_frac; /* 0..1; EST_UNSET: 1 */
    double gpu_power_w;    /* measured mean power per GPU, W; EST_UNSET:
                              not measured. When set it replaces the
                              usage x TDP route. */

    /* Memory. */
    double memory_gb;       /* GB of memory allocated; 0: not counted */
    double memory_w_per_gb; /* EST_UNSET: 0.3725 */

    double pue;               /* >= 1; EST_UNSET: 1.67 */
    double runtime_h;         /* > 0, required */
    unsigned runs;            /* >= 1; default 1 */
    double ci_g_co2e_per_kwh; /* carbon intensity; EST_UNSET: 475 (WORLD) */
    est_scope scope;          /* headline scope; default process */
} est_model_inputs;

#define EST_MODEL_INPUTS_INIT                                                  \
    {                                                                          \
        EST_MODEL_INPUTS_VERSION, 0, 0.0, EST_UNSET, EST_UNSET, 0, 0.0,        \
            EST_UNSET, EST_UNSET, EST_UNSET, 0.0, EST_UNSET, EST_UNSET, 0.0,   \
            1, EST_UNSET, EST_SCOPE_PROCESS                                    \
    }

/* One component's share, PUE and runs included. */
typedef struct est_component {
    double power_w;    /* mean power while running, PUE included */
    double energy_kwh; /* over runtime x runs */
    double co2e_g;
} est_component;

typedef struct est_equivalents {
    double tree_months;     /* co2e_g / (11000 / 12) */
    double car_km;          /* co2e_g / 175 */
    const char *flight;     /* static: "Paris-Dublin", "New York-San Francisco"
                               or "New York-Melbourne" */
    double flight_fraction; /* co2e_g / that flight's grams */
} est_equivalents;

#define EST_ASSUMPTIONS_MAX 32
#define EST_ASSUMPTION_MAX 240

typedef struct est_model_result {
    est_model_inputs used; /* the inputs with every default applied */
    est_scope scope;       /* the headline scope */

    /* Headline scope: cpu + gpu + memory == total. */
    est_component cpu, gpu, memory, total;

    /* Both scopes, always computed. cpu and memory are the same in both. */
    est_component process, allocation;
    est_component gpu_process, gpu_allocation;

    /* GPU idle power (PUE included) that the process scope leaves out:
       count x idle for the usage route (a GPU at usage u draws
       idle + u x (TDP - idle)), count x min(P, idle) for a measured P. */
    double gpu_idle_excluded_w;

    est_equivalents equivalents; /* of total.co2e_g */

    /* Defaults the model applied, one sentence each, with their source.
       Callers may append their own with est_model_add_assumption. */
    size_t n_assumptions;
    char assumptions[EST_ASSUMPTIONS_MAX][EST_ASSUMPTION_MAX];
} est_model_result;

/*
 * Computes an estimate. in and out must not be NULL. On failure out is left
 * zeroed and err (optional) names the input and why:
 *   EST_EINVAL  NaN or infinite value, negative value (other than EST_UNSET
 *               where allowed), usage outside 0..1, PUE below 1, runtime 0,
 *               runs 0, a GPU idle above its TDP, a CPU or GPU counted
 *               without a power, an unknown version or scope.
 *   EST_ERANGE  finite inputs whose result overflows a double (e.g. a power of
 *               1e308 W over 1e300 h): never an infinite or NaN result.
 */
int est_model_compute(const est_model_inputs *in, est_model_result *out,
                      est_error *err);

/*
 * Appends a sentence to out's assumptions (copied, truncated to
 * EST_ASSUMPTION_MAX - 1 bytes). EST_EINVAL when out or text is NULL,
 * EST_ERANGE when the list already holds EST_ASSUMPTIONS_MAX sentences;
 * out is unchanged on error.
 */
int est_model_add_assumption(est_model_result *out, const char *text);

/*
 * The equivalents of a mass of CO2e in grams. The flight is Paris-Dublin
 * below 285 kg, New York-San Francisco below 1155 kg, New York-Melbourne
 * from there. A negative, NaN or infinite co2e_g has no equivalents: the
 * result is all zeros with flight "Paris-Dublin" (never NaN, never
 * negative). flight is a static string.
 */
est_equivalents est_model_equivalents(double co2e_g);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_MODEL_H */
