/* The energy and carbon model. See ecoest/model.h and docs/method.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ecoest/model.h"
#include "internal.h"

const char *est_scope_name(est_scope scope)
{
    switch (scope) {
    case EST_SCOPE_PROCESS: return "process";
    case EST_SCOPE_ALLOCATION: return "allocation";
    default: return "?";
    }
}

int est_scope_parse(const char *s, est_scope *out)
{
    if (!s || !out)
        return EST_EINVAL;
    if (strcmp(s, "process") == 0)
        *out = EST_SCOPE_PROCESS;
    else if (strcmp(s, "allocation") == 0)
        *out = EST_SCOPE_ALLOCATION;
    else
        return EST_EINVAL;
    return EST_OK;
}

est_equivalents est_model_equivalents(double co2e_g)
{
    est_equivalents eq;
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
    if (out->n_assumptions >= EST_ASSUMPTIONS_MAX)
        return EST_ERANGE;
    est__strlcpy(out->assumptions[out->n_assumptions++], text,
                 EST_ASSUMPTION_MAX);
    return EST_OK;
}

/* A value that must be finite and >= 0. */
static int check_nonneg(double v, const char *name, est_error *err)
{
    if (isnan(v))
        return est__fail(err, EST_EINVAL, "%s: not a number (NaN)", name);
    if (isinf(v))
        return est__fail(err, EST_EINVAL, "%s: must be finite", name);
    if (v < 0.0)
        return est__fail(err, EST_EINVAL, "%s: must not be negative, got %g",
                         name, v);
    return EST_OK;
}

/* A value that may be EST_UNSET (then *v becomes dflt) or finite >= 0. */
static int take_default(double *v, double dflt, const char *name, int *defaulted,
                        est_error *err)
{
    *defaulted = 0;
    if (*v == EST_UNSET) {
        *v = dflt;
        *defaulted = 1;
        return EST_OK;
    }
    return check_nonneg(*v, name, err);
}

static int check_usage(double v, const char *name, est_error *err)
{
    int rc = check_nonneg(v, name, err);
    if (rc)
        return rc;
    if (v > 1.0)
        return est__fail(err, EST_EINVAL,
                         "%s: must be between 0 and 1 (a fraction), got %g",
                         name, v);
    return EST_OK;
}

static void component(est_component *c, double raw_w, double pue,
                      double runtime_h, unsigned runs, double ci)
{
    c->power_w = raw_w * pue;
    c->energy_kwh = c->power_w * runtime_h * (double)runs / 1000.0;
    c->co2e_g = c->energy_kwh * ci;
}

static void add_note(est_model_result *r, const char *fmt, ...) EST_PRINTF(2, 3);

static void add_note(est_model_result *r, const char *fmt, ...)
{
    char buf[EST_ASSUMPTION_MAX];
    va_list ap;
    va_start(ap, fmt);
    est__vsnprintf_c(buf, sizeof buf, fmt, ap);
    va_end(ap);
    est_model_add_assumption(r, buf);
}

int est_model_compute(const est_model_inputs *inp, est_model_result *out,
                      est_error *err)
{
    est_model_inputs in;
    int rc, d_cpu_usage, d_gpu_usage, d_idle, d_mem, d_pue, d_ci;
    int cpu_measured, gpu_measured;
    double cpu_w = 0.0, gpu_proc_w = 0.0, gpu_alloc_w = 0.0, mem_w;

    if (!out)
        return est__fail(err, EST_EINVAL, "no result struct given");
    memset(out, 0, sizeof *out);
    if (!inp)
        return est__fail(err, EST_EINVAL, "no inputs given");
    if (inp->version != EST_MODEL_INPUTS_VERSION)
        return est__fail(err, EST_EINVAL,
                         "inputs version %u is not supported (expected %u)",
                         inp->version, (unsigned)EST_MODEL_INPUTS_VERSION);
    in = *inp;

    if ((rc = take_default(&in.cpu_usage_frac, 1.0, "cpu_usage_frac", &d_cpu_usage, err)) ||
        (rc = check_usage(in.cpu_usage_frac, "cpu_usage_frac", err)) ||
        (rc = take_default(&in.gpu_usage_frac, 1.0, "gpu_usage_frac", &d_gpu_usage, err)) ||
        (rc = check_usage(in.gpu_usage_frac, "gpu_usage_frac", err)) ||
        (rc = take_default(&in.gpu_idle_w, 0.0, "gpu_idle_w", &d_idle, err)) ||
        (rc = take_default(&in.memory_w_per_gb, EST_DEFAULT_MEMORY_W_PER_GB,
                           "memory_w_per_gb", &d_mem, err)) ||
        (rc = take_default(&in.pue, EST_DEFAULT_PUE, "pue", &d_pue, err)) ||
        (rc = take_default(&in.ci_g_co2e_per_kwh, EST_DEFAULT_CI_G_CO2E_PER_KWH,
                           "ci_g_co2e_per_kwh", &d_ci, err)) ||
        (rc = check_nonneg(in.cpu_tdp_per_core_w, "cpu_tdp_per_core_w", err)) ||
        (rc = check_nonneg(in.gpu_tdp_w, "gpu_tdp_w", err)) ||
        (rc = check_nonneg(in.memory_gb, "memory_gb", err)) ||
        (rc = check_nonneg(in.runtime_h, "runtime_h", err)))
        goto fail;

    cpu_measured = in.cpu_power_w != EST_UNSET;
    gpu_measured = in.gpu_power_w != EST_UNSET;
    if ((cpu_measured && (rc = check_nonneg(in.cpu_power_w, "cpu_power_w", err))) ||
        (gpu_measured && (rc = check_nonneg(in.gpu_power_w, "gpu_power_w", err))))
        goto fail;

    if (in.pue < 1.0) {
        rc = est__fail(err, EST_EINVAL, "pue: must be at least 1, got %g", in.pue);
        goto fail;
    }
    if (in.runtime_h == 0.0) {
        rc = est__fail(err, EST_EINVAL, "runtime_h: must be greater than 0");
        goto fail;
    }
    if (in.runs == 0) {
        rc = est__fail(err, EST_EINVAL, "runs: must be at least 1");
        goto fail;
    }
    if (in.scope != EST_SCOPE_PROCESS && in.scope != EST_SCOPE_ALLOCATION) {
        rc = est__fail(err, EST_EINVAL, "scope: unknown scope %d", (int)in.scope);
        goto fail;
    }
    if (in.cpu_cores > 0 && !cpu_measured && in.cpu_tdp_per_core_w <= 0.0) {
        rc = est__fail(err, EST_EINVAL,
                       "cpu_tdp_per_core_w: must be greater than 0 when %u cores are counted",
                       in.cpu_cores);
        goto fail;
    }
    if (in.gpu_count > 0 && !gpu_measured && in.gpu_tdp_w <= 0.0) {
        rc = est__fail(err, EST_EINVAL,
                       "gpu_tdp_w: must be greater than 0 when %u GPUs are counted",
                       in.gpu_count);
        goto fail;
    }
    if (in.gpu_count > 0 && !gpu_measured && in.gpu_idle_w > in.gpu_tdp_w) {
        rc = est__fail(err, EST_EINVAL,
                       "gpu_idle_w: %g W is above the GPU's TDP of %g W",
                       in.gpu_idle_w, in.gpu_tdp_w);
        goto fail;
    }

    /* CPU */
    if (cpu_measured)
        cpu_w = in.cpu_power_w;
    else
        cpu_w = (double)in.cpu_cores * in.cpu_tdp_per_core_w * in.cpu_usage_frac;

    /* GPU, per device, then times the count */
    if (in.gpu_count > 0) {
        double per_proc, per_alloc;
        if (gpu_measured) {
            per_alloc = in.gpu_power_w;
            per_proc = in.gpu_power_w > in.gpu_idle_w ? in.gpu_power_w - in.gpu_idle_w : 0.0;
        } else {
            per_alloc = in.gpu_usage_frac * in.gpu_tdp_w;
            per_proc = in.gpu_usage_frac * (in.gpu_tdp_w - in.gpu_idle_w);
        }
        gpu_proc_w = per_proc * (double)in.gpu_count;
        gpu_alloc_w = per_alloc * (double)in.gpu_count;
    }

    mem_w = in.memory_gb * in.memory_w_per_gb;

    out->used = in;
    out->scope = in.scope;
    component(&out->cpu, cpu_w, in.pue, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
    component(&out->memory, mem_w, in.pue, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
    component(&out->gpu_process, gpu_proc_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->gpu_allocation, gpu_alloc_w, in.pue, in.runtime_h, in.runs,
              in.ci_g_co2e_per_kwh);
    component(&out->process, cpu_w + gpu_proc_w + mem_w, in.pue, in.runtime_h,
              in.runs, in.ci_g_co2e_per_kwh);
    component(&out->allocation, cpu_w + gpu_alloc_w + mem_w, in.pue, in.runtime_h,
              in.runs, in.ci_g_co2e_per_kwh);
    if (in.scope == EST_SCOPE_PROCESS) {
        out->gpu = out->gpu_process;
        out->total = out->process;
    } else {
        out->gpu = out->gpu_allocation;
        out->total = out->allocation;
    }
    /* Finite inputs can still overflow: 1e308 W x 1e308 h is infinite. */
    if (!isfinite(out->allocation.co2e_g) || !isfinite(out->allocation.energy_kwh) ||
        !isfinite(out->process.co2e_g) || !isfinite(out->allocation.power_w)) {
        rc = est__fail(err, EST_ERANGE,
                       "the result is too large to represent: check the inputs' magnitudes "
                       "(power %g W, runtime %g h, runs %u, carbon intensity %g gCO2e/kWh)",
                       out->allocation.power_w, in.runtime_h, in.runs, in.ci_g_co2e_per_kwh);
        goto fail;
    }
    /* The idle power the process scope leaves out: a GPU at usage u draws
       I + u (T - I) and the process scope counts u (T - I), so I; with a
       measured P it counts max(P - I, 0), so min(P, I). */
    if (in.gpu_count > 0) {
        double per = gpu_measured ? (in.gpu_power_w < in.gpu_idle_w ? in.gpu_power_w
                                                                    : in.gpu_idle_w)
                                  : in.gpu_idle_w;
        out->gpu_idle_excluded_w = per * (double)in.gpu_count * in.pue;
    }
    out->equivalents = est_model_equivalents(out->total.co2e_g);

    /* The defaults applied, each with its source. */
    if (d_pue)
        add_note(out, "PUE %g: default, the global average data-centre PUE "
                      "(Uptime Institute 2019 survey), as Green Algorithms uses",
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
    return EST_OK;

fail:
    memset(out, 0, sizeof *out);
    return rc;
}
