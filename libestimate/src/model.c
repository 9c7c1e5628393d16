/* The energy and carbon model. See ecoest/model.h and docs/method.md. */
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ecoest/model.h"
#include "ecoest/pipeline.h" /* est_input_id: err->input names the input */
#include "internal.h"

const char *est_model_scope_name(est_model_scope scope)
{
    switch (scope) {
    case EST_MODEL_SCOPE_PROCESS: return "process";
    case EST_MODEL_SCOPE_ALLOCATION: return "allocation";
    case EST_MODEL_SCOPE_NODE: return "node";
    default: return "?";
    }
}

const char *est_model_cpu_power_name(est_model_cpu_power m)
{
    switch (m) {
    case EST_MODEL_CPU_POWER_TDP: return "tdp";
    case EST_MODEL_CPU_POWER_CURVE: return "curve";
    default: return "?";
    }
}

int est_model_cpu_power_parse(est_model_cpu_power *out, const char *s)
{
    if (!s || !out)
        return EST_EINVAL;
    if (strcmp(s, "tdp") == 0)
        *out = EST_MODEL_CPU_POWER_TDP;
    else if (strcmp(s, "curve") == 0)
        *out = EST_MODEL_CPU_POWER_CURVE;
    else
        return EST_EINVAL;
    return EST_OK;
}

double est_model_cpu_curve(double u, double r)
{
    if (!(u > 0.0))
        return 0.0;
    if (u >= 1.0)
        return 1.0;
    return 2.0 * u - pow(u, r);
}

int est_model_scope_parse(est_model_scope *out, const char *s)
{
    if (!s || !out)
        return EST_EINVAL;
    if (strcmp(s, "process") == 0)
        *out = EST_MODEL_SCOPE_PROCESS;
    else if (strcmp(s, "allocation") == 0)
        *out = EST_MODEL_SCOPE_ALLOCATION;
    else if (strcmp(s, "node") == 0)
        *out = EST_MODEL_SCOPE_NODE;
    else
        return EST_EINVAL;
    return EST_OK;
}

est_model_equivalence est_model_equivalents(double co2e_g)
{
    est_model_equivalence eq;
    if (!isfinite(co2e_g) || co2e_g < 0.0) {
        /* no mass to compare: zeros, never NaN or a negative distance */
        eq.tree_months = 0.0;
        eq.car_km = 0.0;
        eq.flight = "Paris-Dublin";
        eq.flight_fraction = 0.0;
        return eq;
    }
    eq.tree_months = co2e_g / (EST_TREE_G_CO2E_PER_YEAR / 12.0);
    eq.car_km = co2e_g / EST_CAR_G_CO2E_PER_KM;
    if (co2e_g < 285000.0) {
        eq.flight = "Paris-Dublin";
        eq.flight_fraction = co2e_g / EST_FLIGHT_PARIS_DUBLIN_G_CO2E;
    } else if (co2e_g < 1155000.0) {
        eq.flight = "New York-San Francisco";
        eq.flight_fraction = co2e_g / EST_FLIGHT_NYC_SF_G_CO2E;
    } else {
        eq.flight = "New York-Melbourne";
        eq.flight_fraction = co2e_g / EST_FLIGHT_NYC_MELBOURNE_G_CO2E;
    }
    return eq;
}

int est_model_add_assumption(est_model_result *out, const char *text)
{
    if (!out || !text)
        return EST_EINVAL;
    if (out->n_assumptions >= EST_MODEL_ASSUMPTIONS_MAX)
        return EST_ERANGE;
    est__strlcpy(out->assumptions[out->n_assumptions++], text,
                 EST_MODEL_ASSUMPTION_MAX);
    return EST_OK;
}

/* A refused input: the message ("FIELD: why", FIELD the est_model_inputs
   field) and err->input, the identifier a caller reads instead of the
   message. */
static int refuse(est_error *err, est_input_id id, const char *fmt, ...) EST_PRINTF(3, 4);

static int refuse(est_error *err, est_input_id id, const char *fmt, ...)
{
    char msg[EST_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    est__vsnprintf_c(msg, sizeof msg, fmt, ap);
    va_end(ap);
    est__fail(err, EST_EINVAL, "%s", msg);
    if (err)
        err->input = (unsigned)id;
    return EST_EINVAL;
}

/* A value that must be finite and >= 0. */
static int check_nonneg(double v, const char *name, est_input_id id, est_error *err)
{
    if (isnan(v))
        return refuse(err, id, "%s: not a number (NaN)", name);
    if (isinf(v))
        return refuse(err, id, "%s: must be finite", name);
    if (v < 0.0)
        return refuse(err, id, "%s: must not be negative, got %g", name, v);
    return EST_OK;
}

/* A value that may be EST_UNSET (then *v becomes dflt) or finite >= 0. */
static int take_default(double *v, double dflt, const char *name, est_input_id id,
                        int *defaulted, est_error *err)
{
    *defaulted = 0;
    if (*v == EST_UNSET) {
        *v = dflt;
        *defaulted = 1;
        return EST_OK;
    }
    return check_nonneg(*v, name, id, err);
}

/* A meter's reading: a number above 0 (a reading of 0 makes every ratio
   to it undefined, and a node that drew nothing was not running). */
static int check_reading(double v, const char *name, est_input_id id, est_error *err)
{
    int rc = check_nonneg(v, name, id, err);
    if (rc)
        return rc;
    if (v == 0.0)
        return refuse(err, id, "%s: must be above 0 (a meter's reading of the run), got 0",
                      name);
    return EST_OK;
}

static int check_usage(double v, const char *name, est_input_id id, est_error *err)
{
    int rc = check_nonneg(v, name, id, err);
    if (rc)
        return rc;
    if (v > 1.0)
        return refuse(err, id, "%s: must be between 0 and 1 (a fraction), got %g", name, v);
    return EST_OK;
}

static void component(est_model_component *c, double raw_w, double pue,
                      double runtime_h, unsigned runs, double ci)
{
    c->power_w = raw_w * pue;
    c->energy_kwh = c->power_w * runtime_h * (double)runs / 1000.0;
    c->co2e_g = c->energy_kwh * ci;
}

static void add_note(est_model_result *r, const char *fmt, ...) EST_PRINTF(2, 3);

static void add_note(est_model_result *r, const char *fmt, ...)
{
    char buf[EST_MODEL_ASSUMPTION_MAX];
    va_list ap;
    va_start(ap, fmt);
    est__vsnprintf_c(buf, sizeof buf, fmt, ap);
    va_end(ap);
    est_model_add_assumption(r, buf);
}

/* A fraction between lo and hi (an EST_UNSET already replaced). */
static int check_range(double v, double lo, double hi, const char *name, est_input_id id,
                       est_error *err)
{
    int rc = check_nonneg(v, name, id, err);
    if (rc)
        return rc;
    if (v < lo || v > hi)
        return refuse(err, id, "%s: must be between %g and %g, got %g", name, lo, hi, v);
    return EST_OK;
}

/* The inputs, version 1 or 2: a version 1 struct ends at scope, the rest
   takes its defaults. */
static int take_inputs(const est_model_inputs *inp, est_model_inputs *in, est_error *err)
{
    est_model_inputs d = EST_MODEL_INPUTS_INIT;
    if (inp->version < 1 || inp->version > EST_MODEL_INPUTS_VERSION)
        return est__fail(err, EST_EINVAL, "inputs version %u is not supported (1..%u)",
                         inp->version, (unsigned)EST_MODEL_INPUTS_VERSION);
    if (inp->version == 1) {
        *in = d;
        memcpy(in, inp, offsetof(est_model_inputs, cpu_power_model));
        in->version = EST_MODEL_INPUTS_VERSION;
    } else {
        *in = *inp;
    }
    return EST_OK;
}

int est_model_compute(est_model_result *out, est_model_inputs *used,
                      const est_model_inputs *inp, est_error *err)
{
    est_model_inputs in;
    int rc, d_cpu_usage, d_gpu_usage, d_idle, d_mem, d_pue, d_ci, d_static, dummy;
    int cpu_measured, gpu_measured, node_measured, curve;
    double cpu_proc_w = 0.0, cpu_alloc_w = 0.0, cpu_node_w = 0.0;
    double gpu_proc_w = 0.0, gpu_alloc_w = 0.0, gpu_node_w = 0.0, mem_w, mem_node_w;
    double idle_pc = 0.0, dyn_pc = 0.0, node_raw_w;
    unsigned node_cores, node_gpus;
    double node_mem_gb;

    if (!out)
        return est__fail(err, EST_EINVAL, "no result struct given");
    memset(out, 0, sizeof *out);
    if (used)
        memset(used, 0, sizeof *used);
    if (!inp)
        return est__fail(err, EST_EINVAL, "no inputs given");
    if ((rc = take_inputs(inp, &in, err)))
        goto fail;

    if ((rc = take_default(&in.cpu_usage_frac, 1.0, "cpu_usage_frac", EST_INPUT_CPU_USAGE,
                           &d_cpu_usage, err)) ||
        (rc = check_usage(in.cpu_usage_frac, "cpu_usage_frac", EST_INPUT_CPU_USAGE, err)) ||
        (rc = take_default(&in.gpu_usage_frac, 1.0, "gpu_usage_frac", EST_INPUT_GPU_USAGE,
                           &d_gpu_usage, err)) ||
        (rc = check_usage(in.gpu_usage_frac, "gpu_usage_frac", EST_INPUT_GPU_USAGE, err)) ||
        (rc = take_default(&in.gpu_idle_w, 0.0, "gpu_idle_w", EST_INPUT_GPU_IDLE, &d_idle, err)) ||
        (rc = take_default(&in.memory_w_per_gb, EST_DEFAULT_MEMORY_W_PER_GB, "memory_w_per_gb",
                           EST_INPUT_MEMORY_W_PER_GB, &d_mem, err)) ||
        (rc = take_default(&in.pue, EST_DEFAULT_PUE, "pue", EST_INPUT_PUE, &d_pue, err)) ||
        (rc = take_default(&in.ci_g_co2e_per_kwh, EST_DEFAULT_CI_G_CO2E_PER_KWH,
                           "ci_g_co2e_per_kwh", EST_INPUT_CI, &d_ci, err)) ||
        (rc = check_nonneg(in.cpu_tdp_per_core_w, "cpu_tdp_per_core_w", EST_INPUT_CPU_TDP_PER_CORE,
                           err)) ||
        (rc = check_nonneg(in.gpu_tdp_w, "gpu_tdp_w", EST_INPUT_GPU_TDP, err)) ||
        (rc = check_nonneg(in.memory_gb, "memory_gb", EST_INPUT_MEMORY, err)) ||
        (rc = check_nonneg(in.runtime_h, "runtime_h", EST_INPUT_RUNTIME, err)) ||
        (rc = take_default(&in.cpu_idle_frac, 0.0, "cpu_idle_frac", EST_INPUT_CPU_POWER_MODEL,
                           &dummy, err)) ||
        (rc = take_default(&in.cpu_max_frac, 1.0, "cpu_max_frac", EST_INPUT_CPU_POWER_MODEL, &dummy,
                           err)) ||
        (rc = take_default(&in.cpu_curve_exponent, 1.0, "cpu_curve_exponent",
                           EST_INPUT_CPU_POWER_MODEL, &dummy, err)) ||
        (rc = check_range(in.cpu_curve_exponent, 1.0, 2.0, "cpu_curve_exponent",
                          EST_INPUT_CPU_POWER_MODEL, err)) ||
        (rc = check_range(in.cpu_max_frac, 0.0, 10.0, "cpu_max_frac", EST_INPUT_CPU_POWER_MODEL,
                          err)) ||
        (rc = check_range(in.cpu_idle_frac, 0.0, in.cpu_max_frac, "cpu_idle_frac",
                          EST_INPUT_CPU_POWER_MODEL, err)) ||
        (rc = take_default(&in.node_static_w, EST_DEFAULT_NODE_STATIC_W, "node_static_w",
                           EST_INPUT_NODE_STATIC, &d_static, err)) ||
        (in.node_memory_gb != EST_UNSET &&
         (rc = check_nonneg(in.node_memory_gb, "node_memory_gb", EST_INPUT_NODE_MEMORY, err))) ||
        (in.cpu_energy_kwh != EST_UNSET &&
         (rc = check_nonneg(in.cpu_energy_kwh, "cpu_energy_kwh", EST_INPUT_CPU_ENERGY, err))) ||
        (in.gpu_energy_kwh != EST_UNSET &&
         (rc = check_nonneg(in.gpu_energy_kwh, "gpu_energy_kwh", EST_INPUT_GPU_ENERGY, err))) ||
        (in.node_energy_kwh != EST_UNSET &&
         (rc = check_reading(in.node_energy_kwh, "node_energy_kwh", EST_INPUT_NODE_ENERGY, err))) ||
        (in.compare_kwh != EST_UNSET &&
         (rc = check_reading(in.compare_kwh, "compare_kwh", EST_INPUT_COMPARE, err))))
        goto fail;
    if (in.psu_efficiency != EST_UNSET &&
        (rc = check_nonneg(in.psu_efficiency, "psu_efficiency", EST_INPUT_PSU_EFFICIENCY, err)))
        goto fail;
    if (in.psu_efficiency != EST_UNSET && (in.psu_efficiency <= 0.0 || in.psu_efficiency > 1.0)) {
        rc = refuse(err, EST_INPUT_PSU_EFFICIENCY,
                    "psu_efficiency: must be above 0 and at most 1, got %g", in.psu_efficiency);
        goto fail;
    }
    if (in.cpu_power_model != EST_MODEL_CPU_POWER_TDP &&
        in.cpu_power_model != EST_MODEL_CPU_POWER_CURVE) {
        rc = refuse(err, EST_INPUT_CPU_POWER_MODEL, "cpu_power_model: unknown model %d",
                    (int)in.cpu_power_model);
        goto fail;
    }
    curve = in.cpu_power_model == EST_MODEL_CPU_POWER_CURVE;

    /* measured energies become measured powers (before the checks below) */
    if (in.runtime_h > 0.0 && isfinite(in.runtime_h)) {
        if (in.cpu_energy_kwh != EST_UNSET) {
            if (in.cpu_power_w != EST_UNSET) {
                rc = refuse(err, EST_INPUT_CPU_ENERGY,
                            "cpu_energy_kwh: cannot be combined with a "
                            "measured cpu_power_w");
                goto fail;
            }
            in.cpu_power_w = in.cpu_energy_kwh * 1000.0 / in.runtime_h;
        }
        if (in.gpu_energy_kwh != EST_UNSET) {
            if (in.gpu_power_w != EST_UNSET) {
                rc = refuse(err, EST_INPUT_GPU_ENERGY,
                            "gpu_energy_kwh: cannot be combined with a "
                            "measured gpu_power_w");
                goto fail;
            }
            if (in.gpu_count == 0) {
                rc = refuse(err, EST_INPUT_GPU_ENERGY, "gpu_energy_kwh: no GPU is counted");
                goto fail;
            }
            in.gpu_power_w = in.gpu_energy_kwh * 1000.0 / in.runtime_h / (double)in.gpu_count;
        }
    }

    cpu_measured = in.cpu_power_w != EST_UNSET;
    gpu_measured = in.gpu_power_w != EST_UNSET;
    node_measured = in.node_energy_kwh != EST_UNSET;
    if ((cpu_measured &&
         (rc = check_nonneg(in.cpu_power_w, "cpu_power_w", EST_INPUT_CPU_POWER, err))) ||
        (gpu_measured &&
         (rc = check_nonneg(in.gpu_power_w, "gpu_power_w", EST_INPUT_GPU_POWER, err))))
        goto fail;

    if (in.pue < 1.0) {
        rc = refuse(err, EST_INPUT_PUE, "pue: must be at least 1, got %g", in.pue);
        goto fail;
    }
    if (in.runtime_h == 0.0) {
        rc = refuse(err, EST_INPUT_RUNTIME, "runtime_h: must be greater than 0");
        goto fail;
    }
    if (in.runs == 0) {
        rc = refuse(err, EST_INPUT_RUNS, "runs: must be at least 1");
        goto fail;
    }
    if (in.scope != EST_MODEL_SCOPE_PROCESS && in.scope != EST_MODEL_SCOPE_ALLOCATION &&
        in.scope != EST_MODEL_SCOPE_NODE) {
        rc = refuse(err, EST_INPUT_SCOPE, "scope: unknown scope %d", (int)in.scope);
        goto fail;
    }
    if (in.cpu_cores > 0 && !cpu_measured && in.cpu_tdp_per_core_w <= 0.0) {
        rc = refuse(err, EST_INPUT_CPU_TDP_PER_CORE,
                    "cpu_tdp_per_core_w: must be greater than 0 when %u cores are counted",
                    in.cpu_cores);
        goto fail;
    }
    if (in.gpu_count > 0 && !gpu_measured && in.gpu_tdp_w <= 0.0) {
        rc = refuse(err, EST_INPUT_GPU_TDP,
                    "gpu_tdp_w: must be greater than 0 when %u GPUs are counted", in.gpu_count);
        goto fail;
    }
    if (in.gpu_count > 0 && !gpu_measured && in.gpu_idle_w > in.gpu_tdp_w) {
        rc = refuse(err, EST_INPUT_GPU_IDLE, "gpu_idle_w: %g W is above the GPU's TDP of %g W",
                    in.gpu_idle_w, in.gpu_tdp_w);
        goto fail;
    }
    node_cores = in.node_cores ? in.node_cores : in.cpu_cores;
    node_gpus = in.node_gpus ? in.node_gpus : in.gpu_count;
    node_mem_gb = in.node_memory_gb != EST_UNSET ? in.node_memory_gb : in.memory_gb;
    if (node_cores < in.cpu_cores) {
        rc = refuse(err, EST_INPUT_NODE_CORES,
                    "node_cores: the node's %u cores are fewer than the "
                    "job's %u",
                    node_cores, in.cpu_cores);
        goto fail;
    }
    if (node_gpus < in.gpu_count) {
        rc = refuse(err, EST_INPUT_NODE_GPUS,
                    "node_gpus: the node's %u GPUs are fewer than the "
                    "job's %u",
                    node_gpus, in.gpu_count);
        goto fail;
    }
    if (node_mem_gb < in.memory_gb) {
        rc = refuse(err, EST_INPUT_NODE_MEMORY,
                    "node_memory_gb: the node's %g GB are less than the "
                    "job's %g GB",
                    node_mem_gb, in.memory_gb);
        goto fail;
    }
    if (node_cores > in.cpu_cores && !cpu_measured && in.cpu_tdp_per_core_w <= 0.0 && curve) {
        rc = refuse(err, EST_INPUT_CPU_TDP_PER_CORE,
                    "cpu_tdp_per_core_w: needed for the node's cores");
        goto fail;
    }

    /* CPU. tdp: cores x TDP/core x u, no floor. curve: per core an idle
       floor I = idle_frac x TDP/core and a dynamic range D = (max_frac -
       idle_frac) x TDP/core; a core at usage u draws I + D f(u). */
    if (curve) {
        idle_pc = in.cpu_idle_frac * in.cpu_tdp_per_core_w;
        dyn_pc = (in.cpu_max_frac - in.cpu_idle_frac) * in.cpu_tdp_per_core_w;
    }
    if (cpu_measured) {
        double floor_w = (double)in.cpu_cores * idle_pc;
        cpu_alloc_w = in.cpu_power_w;
        cpu_proc_w = in.cpu_power_w > floor_w ? in.cpu_power_w - floor_w : 0.0;
        cpu_node_w = in.cpu_power_w + (double)(node_cores - in.cpu_cores) * idle_pc;
    } else if (curve) {
        double job_dyn = (double)in.cpu_cores * dyn_pc *
                         est_model_cpu_curve(in.cpu_usage_frac, in.cpu_curve_exponent);
        cpu_proc_w = job_dyn;
        cpu_alloc_w = (double)in.cpu_cores * idle_pc + job_dyn;
        cpu_node_w = (double)node_cores * idle_pc + job_dyn;
    } else {
        cpu_proc_w = (double)in.cpu_cores * in.cpu_tdp_per_core_w * in.cpu_usage_frac;
        cpu_alloc_w = cpu_proc_w;
        cpu_node_w = cpu_proc_w;
    }

    /* GPU, per device, then times the count; the node adds its other GPUs
       at idle and counts each of the job's at least at idle */
    if (in.gpu_count > 0) {
        double per_proc, per_alloc, per_node;
        if (gpu_measured) {
            per_alloc = in.gpu_power_w;
            per_proc = in.gpu_power_w > in.gpu_idle_w ? in.gpu_power_w - in.gpu_idle_w : 0.0;
            per_node = in.gpu_power_w > in.gpu_idle_w ? in.gpu_power_w : in.gpu_idle_w;
        } else {
            per_alloc = in.gpu_usage_frac * in.gpu_tdp_w;
            per_proc = in.gpu_usage_frac * (in.gpu_tdp_w - in.gpu_idle_w);
            per_node = in.gpu_idle_w + per_proc;
        }
        gpu_proc_w = per_proc * (double)in.gpu_count;
        gpu_alloc_w = per_alloc * (double)in.gpu_count;
        gpu_node_w = per_node * (double)in.gpu_count;
    }
    gpu_node_w += (double)(node_gpus - in.gpu_count) * in.gpu_idle_w;

    mem_w = in.memory_gb * in.memory_w_per_gb;
    mem_node_w = node_mem_gb * in.memory_w_per_gb;
    node_raw_w = in.node_static_w + cpu_node_w + gpu_node_w + mem_node_w;
    if (node_measured)
        node_raw_w = in.node_energy_kwh * 1000.0 / in.runtime_h;

    if (used)
        *used = in;
    out->scope = in.scope;
    component(&out->cpu_process, cpu_proc_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->cpu_allocation, cpu_alloc_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->cpu_node, cpu_node_w, in.pue, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
    component(&out->memory, mem_w, in.pue, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
    component(&out->memory_node, mem_node_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->static_node, in.node_static_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->gpu_process, gpu_proc_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->gpu_allocation, gpu_alloc_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->gpu_node, gpu_node_w, in.pue, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
    component(&out->process, cpu_proc_w + gpu_proc_w + mem_w, in.pue, in.runtime_h,
              in.runs, in.ci_g_co2e_per_kwh);
    component(&out->allocation, cpu_alloc_w + gpu_alloc_w + mem_w, in.pue, in.runtime_h,
              in.runs, in.ci_g_co2e_per_kwh);
    component(&out->node, node_raw_w, in.pue, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
    if (in.scope == EST_MODEL_SCOPE_PROCESS) {
        out->cpu = out->cpu_process;
        out->gpu = out->gpu_process;
        out->total = out->process;
    } else if (in.scope == EST_MODEL_SCOPE_ALLOCATION) {
        out->cpu = out->cpu_allocation;
        out->gpu = out->gpu_allocation;
        out->total = out->allocation;
    } else {
        out->cpu = out->cpu_node;
        out->gpu = out->gpu_node;
        out->memory = out->memory_node;
        out->total = out->node;
    }
    /* Finite inputs can still overflow: 1e308 W x 1e308 h is infinite. */
    if (!isfinite(out->allocation.co2e_g) || !isfinite(out->allocation.energy_kwh) ||
        !isfinite(out->process.co2e_g) || !isfinite(out->allocation.power_w) ||
        !isfinite(out->node.co2e_g) || !isfinite(out->node.energy_kwh) ||
        !isfinite(out->node.power_w)) {
        rc = est__fail(err, EST_ERANGE,
                       "the result is too large to represent: check the inputs' magnitudes "
                       "(power %g W, runtime %g h, runs %u, carbon intensity %g gCO2e/kWh)",
                       out->allocation.power_w, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
        goto fail;
    }
    /* The idle power the process scope leaves out: a GPU at usage u draws
       I + u (T - I) and the process scope counts u (T - I), so I; with a
       measured P it counts max(P - I, 0), so min(P, I). The allocation
       scope counts u T, so leaves out (1 - u) I; with P, max(I - P, 0). */
    if (in.gpu_count > 0) {
        double per = gpu_measured ? (in.gpu_power_w < in.gpu_idle_w ? in.gpu_power_w
                                                                    : in.gpu_idle_w)
                                  : in.gpu_idle_w;
        double per_a = gpu_measured
                           ? (in.gpu_idle_w > in.gpu_power_w ? in.gpu_idle_w - in.gpu_power_w
                                                             : 0.0)
                           : (1.0 - in.gpu_usage_frac) * in.gpu_idle_w;
        out->gpu_idle_excluded_w = per * (double)in.gpu_count * in.pue;
        out->gpu_idle_excluded_allocation_w = per_a * (double)in.gpu_count * in.pue;
    }
    out->cpu_measured = cpu_measured;
    out->gpu_measured = gpu_measured;
    out->node_measured = node_measured;
    out->node_assumed = in.node_cores == 0 && in.node_gpus == 0 && in.node_memory_gb == EST_UNSET;
    if (in.compare_kwh != EST_UNSET) {
        /* a meter at the node sees no facility overhead: energies before PUE.
           The PSU efficiency turns the node's DC-side ESTIMATE into what an
           AC meter sees; a measured node energy already is what a meter saw,
           so it is never divided (--node-energy-kwh 1.5 stays 1.5). */
        double psu = in.psu_efficiency != EST_UNSET && !node_measured ? in.psu_efficiency
                                                                       : 1.0;
        est_model_comparison *cs[3];
        const est_model_component *sc[3];
        size_t k;
        out->has_compare = 1;
        out->compare_kwh = in.compare_kwh;
        cs[0] = &out->compare_process;
        cs[1] = &out->compare_allocation;
        cs[2] = &out->compare_node;
        sc[0] = &out->process;
        sc[1] = &out->allocation;
        sc[2] = &out->node;
        for (k = 0; k < 3; k++) {
            cs[k]->estimate_kwh = sc[k]->energy_kwh / in.pue / (k == 2 ? psu : 1.0);
            cs[k]->ratio = cs[k]->estimate_kwh / in.compare_kwh; /* compare_kwh > 0 */
        }
    }
    out->equivalents = est_model_equivalents(out->total.co2e_g);

    /* The defaults applied, each with its source. */
    if (d_pue)
        add_note(out, "PUE %g: default, the Uptime Institute 2019 survey mean, as in the "
                      "Green Algorithms paper; its v3.1 calculator uses 1.56 (2024 survey): "
                      "give a PUE of 1.56, or the local-server platform",
                 EST_DEFAULT_PUE);
    if (d_ci)
        add_note(out, "Carbon intensity %g gCO2e/kWh: default, the world average "
                      "(IEA Global Energy & CO2 Status Report 2019)",
                 EST_DEFAULT_CI_G_CO2E_PER_KWH);
    if (in.cpu_cores > 0 && !cpu_measured && d_cpu_usage)
        add_note(out, "CPU usage 1: default, all %u counted cores fully used",
                 in.cpu_cores);
    if (in.gpu_count > 0 && !gpu_measured && d_gpu_usage)
        add_note(out, "GPU usage 1: default, %s fully used",
                 in.gpu_count > 1 ? "every GPU" : "the GPU");
    if (in.gpu_count > 0 && d_idle)
        add_note(out, "GPU idle power 0 W: not known, so the process scope "
                      "counts the GPU from 0 W like the allocation scope");
    if (in.memory_gb > 0.0 && d_mem)
        add_note(out, "Memory power %g W/GB: default (Green Algorithms' reference "
                      "value)", EST_DEFAULT_MEMORY_W_PER_GB);
    if (in.version >= 2 && in.scope == EST_MODEL_SCOPE_NODE) {
        /* said only when the node scope is the headline: the others are
           unchanged from version 1 */
        if (out->node_assumed)
            add_note(out, "Node: not described, so the job's allocation is taken as the "
                          "whole node (%u cores, %u GPUs, %g GB)", node_cores, node_gpus,
                     node_mem_gb);
        if (d_static && !node_measured)
            add_note(out, "Node static power %g W: default, the low end of the 20-45 W "
                          "on Grid'5000 nodes attributed to Lemmers and Lefevre, \"Energy "
                          "tracker for shared servers\" (as quoted in issue 11; not verified "
                          "at the paper)", EST_DEFAULT_NODE_STATIC_W);
        if (!curve && node_cores > 0 && !node_measured)
            add_note(out, "CPU in the node scope: the tdp model has no idle floor, so cores "
                          "the job does not use count 0 W (the curve model counts them)");
    }
    return EST_OK;

fail:
    memset(out, 0, sizeof *out);
    if (used)
        memset(used, 0, sizeof *used);
    return rc;
}

const char *est_model_basis_name(est_model_basis b)
{
    switch (b) {
    case EST_MODEL_BASIS_ESTIMATED: return "estimated";
    case EST_MODEL_BASIS_MEASURED: return "measured";
    case EST_MODEL_BASIS_PARTLY: return "partly measured";
    default: return "?";
    }
}

est_model_basis est_model_part_basis(const est_model_result *res, const est_model_inputs *used,
                                     est_model_scope scope, est_model_part part)
{
    if (!res || !used)
        return EST_MODEL_BASIS_ESTIMATED;
    if (part == EST_MODEL_PART_CPU) {
        unsigned nc = used->node_cores ? used->node_cores : used->cpu_cores;
        int floor = used->cpu_power_model == EST_MODEL_CPU_POWER_CURVE &&
                    used->cpu_idle_frac > 0.0 && used->cpu_tdp_per_core_w > 0.0;
        if (!res->cpu_measured)
            return EST_MODEL_BASIS_ESTIMATED;
        /* the node adds the estimated idle floor of the cores the job does not hold */
        return scope == EST_MODEL_SCOPE_NODE && floor && nc > used->cpu_cores
                   ? EST_MODEL_BASIS_PARTLY
                   : EST_MODEL_BASIS_MEASURED;
    }
    if (part == EST_MODEL_PART_GPU) {
        unsigned ng = used->node_gpus ? used->node_gpus : used->gpu_count;
        double idle = used->gpu_idle_w;
        if (!res->gpu_measured)
            return EST_MODEL_BASIS_ESTIMATED;
        /* the node adds the estimated idle of the GPUs the job does not
           hold, and counts a GPU measured below its idle at idle */
        return scope == EST_MODEL_SCOPE_NODE && idle > 0.0 &&
                       (ng > used->gpu_count || used->gpu_power_w < idle)
                   ? EST_MODEL_BASIS_PARTLY
                   : EST_MODEL_BASIS_MEASURED;
    }
    return EST_MODEL_BASIS_ESTIMATED;
}

est_model_basis est_model_scope_basis(const est_model_result *res, const est_model_inputs *used,
                                      est_model_scope scope)
{
    int cpu_counted, gpu_counted, cpu, gpu;
    if (!res || !used)
        return EST_MODEL_BASIS_ESTIMATED;
    cpu_counted = used->cpu_cores > 0 || used->cpu_power_w != EST_UNSET;
    gpu_counted = used->gpu_count > 0;
    cpu = res->cpu_measured && cpu_counted;
    gpu = res->gpu_measured && gpu_counted;
    if (scope == EST_MODEL_SCOPE_NODE && res->node_measured)
        return EST_MODEL_BASIS_MEASURED;
    if (!cpu && !gpu)
        return EST_MODEL_BASIS_ESTIMATED;
    if (scope != EST_MODEL_SCOPE_NODE && (cpu || !cpu_counted) && (gpu || !gpu_counted) &&
        res->memory.power_w == 0.0)
        return EST_MODEL_BASIS_MEASURED;
    return EST_MODEL_BASIS_PARTLY;
}

static int ga_bad(double v)
{
    return !isfinite(v) || v < 0.0;
}

int est_model_ga_inputs_compute(est_model_ga_inputs *out, const est_model_ga_measured *in)
{
    est_model_ga_inputs r;
    double gu = 0.0;
    size_t i;
    if (!out || !in || out->version < 1 || out->version > EST_MODEL_GA_INPUTS_VERSION ||
        in->version < 1 || in->version > EST_MODEL_GA_MEASURED_VERSION ||
        ga_bad(in->runtime_s) || ga_bad(in->cpu_s) || ga_bad(in->memory_gb) ||
        (in->n_gpus && !in->gpu_usage_frac) || in->n_gpus > 0xffffffffu)
        return EST_EINVAL;
    for (i = 0; i < in->n_gpus; i++) {
        if (ga_bad(in->gpu_usage_frac[i]))
            return EST_EINVAL;
        gu += in->gpu_usage_frac[i];
    }
    memset(&r, 0, sizeof r);
    r.version = out->version;
    r.runtime_h = in->runtime_s / 3600.0;
    r.cores = in->cores;
    r.core_usage_frac = in->runtime_s > 0.0 && in->cores > 0
                            ? fmin(1.0, in->cpu_s / (in->runtime_s * in->cores))
                            : 0.0;
    r.memory_gb = in->memory_gb;
    r.memory_form_gb = in->memory_gb > 0.0 ? ceil(in->memory_gb * 10.0) / 10.0 : 0.0;
    r.gpus = (unsigned)in->n_gpus;
    r.gpu_usage_frac = in->n_gpus ? gu / (double)in->n_gpus : EST_UNSET;
    r.core_usage_origin = 0;
    r.cpu_usage_power_w = EST_UNSET;
    r.cpu_measured_w = EST_UNSET;
    r.gpu_power_w = EST_UNSET;
    r.gpu_tdp_w = EST_UNSET;
    *out = r;
    return EST_OK;
}
