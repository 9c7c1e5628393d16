/*
 * ecoest/model.h - the energy and carbon model.
 *
 *   power_w    = PUE x (cpu + gpu + memory)
 *     cpu      = cores x TDP per core x usage            (or a measured power)
 *     gpu      = per GPU: process scope    usage x (TDP - idle)
 *                                          or max(P - idle, 0) for a measured P
 *                         allocation scope usage x TDP, or P
 *     memory   = GB x 0.3725 W/GB
 *   node scope (version 2): PUE x (static + every core of the node at its
 *     idle floor + the job's share of the dynamic range + every GPU of the
 *     node at least at idle + the node's memory); see docs/method.md
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
/* The node scope's static power (fans, board, disks, network, BMC): the low
   end of the 20-45 W that Lemmers and Lefevre measured on Grid'5000 nodes
   ("Energy tracker for shared servers"); docs/method.md says why. */
#define EST_DEFAULT_NODE_STATIC_W 20.0
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

typedef enum est_model_scope {
    EST_MODEL_SCOPE_PROCESS = 0,   /* the job's own draw above idle (default) */
    EST_MODEL_SCOPE_ALLOCATION = 1, /* what holding the hardware costs: GPUs from 0 W */
    EST_MODEL_SCOPE_NODE = 2        /* what the job's nodes drew while held: static
                                 power, every core and GPU of the node at
                                 least at idle, the node's memory */
} est_model_scope;

/* "process", "allocation" or "node"; "?" for anything else. */
const char *est_model_scope_name(est_model_scope scope);
/* Parses "process", "allocation" or "node" (case-sensitive). EST_EINVAL
   otherwise. */
int est_model_scope_parse(est_model_scope *out, const char *s);

/* How the CPU's power follows its usage. */
typedef enum est_model_cpu_power {
    EST_MODEL_CPU_POWER_TDP = 0,  /* Green Algorithms: cores x TDP per core x usage */
    EST_MODEL_CPU_POWER_CURVE = 1 /* TDP per core x (idle + (max - idle) x f(usage)),
                               f(u) = 2u - u^r (docs/method.md) */
} est_model_cpu_power;

/* "tdp" or "curve"; "?" otherwise. */
const char *est_model_cpu_power_name(est_model_cpu_power m);
/* Parses "tdp" or "curve". EST_EINVAL otherwise. */
int est_model_cpu_power_parse(est_model_cpu_power *out, const char *s);

/* The CPU curve, f(u) = 2u - u^r for 0 <= u <= 1 and 1 <= r <= 2 (Fan,
   Weber and Barroso, "Power provisioning for a warehouse-sized computer",
   ISCA 2007). r = 1 is linear. */
double est_model_cpu_curve(double usage_frac, double r);

/* Version 2 appends the node scope, the CPU curve, measured energies and
   the comparison with a meter; version 1 inputs are still accepted (the
   appended fields then take their defaults). */
#define EST_MODEL_INPUTS_VERSION 2

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
    est_model_scope scope;          /* headline scope; default process */

    /* ---- version 2 ---- */
    est_model_cpu_power cpu_power_model; /* default EST_MODEL_CPU_POWER_TDP */
    /* The curve's parameters, as fractions of the TDP per core (used with
       EST_MODEL_CPU_POWER_CURVE only): idle floor, power at full load, shape r. */
    double cpu_idle_frac;      /* 0..cpu_max_frac; EST_UNSET: 0 */
    double cpu_max_frac;       /* > 0; EST_UNSET: 1 */
    double cpu_curve_exponent; /* 1..2; EST_UNSET: 1 (linear) */

    /* The node, for the node scope. 0 / EST_UNSET: the job's allocation is
       the node (an assumption the model states). */
    unsigned node_cores;   /* >= cpu_cores */
    unsigned node_gpus;    /* >= gpu_count */
    double node_memory_gb; /* >= memory_gb */
    double node_static_w;  /* EST_UNSET: EST_DEFAULT_NODE_STATIC_W */

    /* Measured energies of one run (kWh, before PUE). Each replaces the
       estimate of its component: cpu_energy_kwh the CPU (as cpu_power_w =
       E / runtime), gpu_energy_kwh the job's GPUs together (as gpu_power_w
       = E / runtime / gpu_count), node_energy_kwh the node scope's total
       (a reading above 0). EST_UNSET: not measured. */
    double cpu_energy_kwh;
    double gpu_energy_kwh;
    double node_energy_kwh;

    /* A meter's reading for the whole job (all runs), kWh, above 0: each
       scope's energy before PUE is set beside it (est_model_result.
       compare). EST_UNSET: none. 0 is refused (EST_EINVAL, input
       EST_INPUT_COMPARE): no ratio to it exists. */
    double compare_kwh;
    /* The power supply's efficiency, 0 < F <= 1, for a meter on the AC
       side: the node scope's ESTIMATE is divided by it in the comparison
       (only there). A measured node_energy_kwh is what a meter saw and is
       never divided. EST_UNSET: not used. */
    double psu_efficiency;
} est_model_inputs;

#define EST_MODEL_INPUTS_INIT                                                  \
    {                                                                          \
        EST_MODEL_INPUTS_VERSION, 0, 0.0, EST_UNSET, EST_UNSET, 0, 0.0,        \
            EST_UNSET, EST_UNSET, EST_UNSET, 0.0, EST_UNSET, EST_UNSET, 0.0,   \
            1, EST_UNSET, EST_MODEL_SCOPE_PROCESS, EST_MODEL_CPU_POWER_TDP, EST_UNSET,     \
            EST_UNSET, EST_UNSET, 0, 0, EST_UNSET, EST_UNSET, EST_UNSET,       \
            EST_UNSET, EST_UNSET, EST_UNSET, EST_UNSET                         \
    }

/* One component's share, PUE and runs included. */
typedef struct est_model_component {
    double power_w;    /* mean power while running, PUE included */
    double energy_kwh; /* over runtime x runs */
    double co2e_g;
} est_model_component;

typedef struct est_model_equivalence {
    double tree_months;     /* co2e_g / (11000 / 12) */
    double car_km;          /* co2e_g / 175 */
    const char *flight;     /* static: "Paris-Dublin", "New York-San Francisco"
                               or "New York-Melbourne" */
    double flight_fraction; /* co2e_g / that flight's grams */
} est_model_equivalence;

/* A scope's estimate beside a meter's reading (energy before PUE). */
typedef struct est_model_comparison {
    double estimate_kwh; /* the scope's energy / PUE (node: / PSU efficiency,
                            unless the node's energy was measured) */
    double ratio;        /* estimate_kwh / the meter's kWh (0 for a 0 meter) */
} est_model_comparison;

#define EST_MODEL_ASSUMPTIONS_MAX 32
#define EST_MODEL_ASSUMPTION_MAX 240

/* The result holds no copy of the inputs (a public struct never embeds
   another that may grow): est_model_compute's optional used argument gives
   them with every default applied. est_model_component, est_model_equivalence
   and est_model_comparison are frozen: they never gain a field. */
typedef struct est_model_result {
    est_model_scope scope;       /* the headline scope */

    /* Headline scope: cpu + gpu + memory == total. */
    est_model_component cpu, gpu, memory, total;

    /* Both scopes, always computed. memory is the same in both; cpu too
       with the tdp model (with the curve see cpu_process / cpu_allocation
       below). With the node scope as headline, cpu, gpu and memory are the
       node's (cpu_node ...) and total = node; static_node completes it. */
    est_model_component process, allocation;
    est_model_component gpu_process, gpu_allocation;

    /* GPU idle power (PUE included) that the process scope leaves out:
       count x idle for the usage route (a GPU at usage u draws
       idle + u x (TDP - idle)), count x min(P, idle) for a measured P. */
    double gpu_idle_excluded_w;

    est_model_equivalence equivalents; /* of total.co2e_g */

    /* Defaults the model applied, one sentence each, with their source.
       Callers may append their own with est_model_add_assumption. */
    size_t n_assumptions;
    char assumptions[EST_MODEL_ASSUMPTIONS_MAX][EST_MODEL_ASSUMPTION_MAX];

    /* ---- appended (inputs version 2) ---- */
    /* The node scope, always computed: total, and its parts (PUE included;
       node == static + cpu + gpu + memory unless the node's energy was
       measured, then node is the measurement). */
    est_model_component node;
    est_model_component cpu_node, gpu_node, memory_node, static_node;
    /* The CPU in the process and allocation scopes (equal with the tdp
       model; with the curve the process scope leaves out the idle floor). */
    est_model_component cpu_process, cpu_allocation;
    /* 1 when the figure is a measurement (cpu: cpu_power_w or
       cpu_energy_kwh; gpu: gpu_power_w or gpu_energy_kwh; node:
       node_energy_kwh), 0 when it is estimated. */
    int cpu_measured, gpu_measured, node_measured;
    /* GPU idle power (PUE included) that the allocation scope leaves out: a
       GPU at usage u is counted u x TDP and draws I + u (TDP - I), so
       count x (1 - u) x I; with a measured P, count x max(I - P, 0). */
    double gpu_idle_excluded_allocation_w;
    /* 1 when the node was not described (node_cores, node_gpus,
       node_memory_gb all unset): the job's allocation is the node. */
    int node_assumed;
    /* With compare_kwh: each scope beside the meter. */
    int has_compare;
    double compare_kwh;
    est_model_comparison compare_process, compare_allocation, compare_node;
} est_model_result;

/*
 * Computes an estimate into *out from *in. used (optional, NULL: not
 * wanted) receives the inputs with every default applied (usage 1, PUE,
 * memory power, intensity, ...), version EST_MODEL_INPUTS_VERSION whatever
 * in's version. in and out must not be NULL. On failure out (and used) are
 * left zeroed and err (optional) names the input and why: err->input is the
 * est_input_id (ecoest/pipeline.h) of the input refused (EST_INPUT_NONE for
 * a NULL argument, an unknown version or an overflow), so a caller never
 * reads the message to find it; the message is "FIELD: why", FIELD the
 * est_model_inputs field ("cpu_usage_frac: must be between 0 and 1 ...").
 * The curve's three fields are EST_INPUT_CPU_POWER_MODEL. Errors:
 *   EST_EINVAL  NaN or infinite value, negative value (other than EST_UNSET
 *               where allowed), usage outside 0..1, PUE below 1, runtime 0,
 *               runs 0, a GPU idle above its TDP, a CPU or GPU counted
 *               without a power, an unknown version or scope.
 *   EST_ERANGE  finite inputs whose result overflows a double (e.g. a power of
 *               1e308 W over 1e300 h): never an infinite or NaN result.
 */
int est_model_compute(est_model_result *out, est_model_inputs *used,
                      const est_model_inputs *in, est_error *err);

/*
 * Appends a sentence to out's assumptions (copied, truncated to
 * EST_MODEL_ASSUMPTION_MAX - 1 bytes). EST_EINVAL when out or text is NULL,
 * EST_ERANGE when the list already holds EST_MODEL_ASSUMPTIONS_MAX sentences;
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
est_model_equivalence est_model_equivalents(double co2e_g);

/* What a figure rests on. */
typedef enum est_model_basis {
    EST_MODEL_BASIS_ESTIMATED = 1, /* no part measured */
    EST_MODEL_BASIS_MEASURED = 2,  /* every part measured */
    EST_MODEL_BASIS_PARTLY = 3     /* some parts measured, some estimated */
} est_model_basis;

/* "estimated", "measured", "partly measured"; "?" otherwise. Static. */
const char *est_model_basis_name(est_model_basis b);

/*
 * What scope's total rests on, from a result and its used inputs
 * (est_model_compute's used). The CPU counts when used->cpu_cores > 0 or
 * cpu_power_w is set, the GPUs when used->gpu_count > 0; memory is never
 * measured. The rule:
 *   node scope with the node's energy measured        measured
 *   no counted CPU or GPU measured                    estimated
 *   process or allocation scope, every counted CPU
 *   and GPU measured and no memory power              measured
 *   otherwise                                         partly measured
 * (the node scope adds static power, never measured, so it is at best
 * partly measured without the node's energy). EST_MODEL_BASIS_ESTIMATED for
 * a NULL argument.
 */
est_model_basis est_model_scope_basis(const est_model_result *res, const est_model_inputs *used,
                                      est_model_scope scope);

/* A part of a scope's total. */
typedef enum est_model_part {
    EST_MODEL_PART_CPU = 1,
    EST_MODEL_PART_GPU = 2,
    EST_MODEL_PART_MEMORY = 3,
    EST_MODEL_PART_STATIC = 4 /* the node's static power (node scope) */
} est_model_part;

/*
 * What one part of a scope rests on, from a result and its used inputs:
 *   memory and static power                           estimated
 *   a CPU or GPU not measured                         estimated
 *   a measured CPU or GPU, process or allocation      measured
 *   a measured CPU in the node scope                  partly measured when
 *     the node adds the idle floor of cores the job does not hold (curve
 *     model, idle floor > 0, node_cores > cpu_cores), else measured
 *   measured GPUs in the node scope                   partly measured when
 *     the node adds the idle power of GPUs the job does not hold (idle > 0,
 *     node_gpus > gpu_count) or counts a GPU measured below its idle power
 *     at idle, else measured
 * A measured node energy does not change its parts: they stay the model's
 * (the node's total is the measurement, not their sum).
 * EST_MODEL_BASIS_ESTIMATED for a NULL argument or an unknown part.
 */
est_model_basis est_model_part_basis(const est_model_result *res, const est_model_inputs *used,
                                     est_model_scope scope, est_model_part part);

#define EST_MODEL_GA_MEASURED_VERSION 1

/* What a run measured, for est_model_ga_inputs. */
typedef struct est_model_ga_measured {
    unsigned version;       /* EST_MODEL_GA_MEASURED_VERSION */
    double runtime_s;       /* the job's wall time, s (>= 0) */
    unsigned cores;         /* the cores the job could use */
    double cpu_s;           /* CPU time the job used, s (>= 0) */
    double memory_gb;       /* peak memory in use, GB (>= 0) */
    size_t n_gpus;          /* GPUs the job used */
    const double *gpu_usage_frac; /* n_gpus mean utilisations, 0..1 (a GPU
                               with no reading: 0); NULL when n_gpus is 0 */
} est_model_ga_measured;

#define EST_MODEL_GA_INPUTS_VERSION 1

/*
 * The inputs of the Green Algorithms calculator (the web form) for a job:
 * what a user pastes there to get its figure.
 */
typedef struct est_model_ga_inputs {
    unsigned version;           /* set by the caller: EST_MODEL_GA_INPUTS_VERSION */
    double runtime_h;
    unsigned cores;
    double core_usage_frac;     /* clamped to 0..1 (the form takes no more) */
    double memory_gb;           /* the memory as known, GB */
    double memory_form_gb;      /* memory_gb rounded up to 0.1 GB (the form's step);
                                   0 for 0 */
    unsigned gpus;
    double gpu_usage_frac;      /* the mean over the GPUs; EST_UNSET without GPUs */
    /* ---- filled by est_estimate_ga_inputs only (EST_UNSET / 0 here) ---- */
    int core_usage_origin;      /* the est_estimate_origin of the usage input
                                   (EST_ESTIMATE_ORIGIN_LOG: the log's mean), 0
                                   when none was recorded */
    double cpu_usage_power_w;   /* cores x TDP per core x core_usage_frac: the
                                   CPU power by the usage route, W */
    double cpu_measured_w;      /* the measured CPU power the estimate used
                                   (no form field takes it); EST_UNSET: none */
    double gpu_power_w;         /* the measured mean power per GPU; EST_UNSET: none */
    double gpu_tdp_w;           /* the GPU TDP; EST_UNSET: unknown */
} est_model_ga_inputs;

/*
 * The calculator's inputs from what a run measured:
 *   runtime_h       = runtime_s / 3600
 *   core_usage_frac = min(1, cpu_s / (runtime_s x cores)), 0 when
 *                     runtime_s or cores is 0
 *   memory_form_gb  = ceil(memory_gb x 10) / 10
 *   gpu_usage_frac  = the mean of gpu_usage_frac[] (EST_UNSET for no GPU)
 * Returns 0, or EST_EINVAL (out unchanged) for a NULL argument, an unknown
 * version (out->version too), or a negative, NaN or infinite figure.
 */
int est_model_ga_inputs_compute(est_model_ga_inputs *out, const est_model_ga_measured *in);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_MODEL_H */
