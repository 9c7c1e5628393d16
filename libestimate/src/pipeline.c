/* One estimate from what a user knows (ecoest/pipeline.h): hardware
 * resolution, sample-log mapping, carbon intensity, the model. */
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/pipeline.h"
#include "internal.h"

#define TEXT_MAX 1024 /* one input's value or source, one note (never cut:
                         longer ones are allocated) */

typedef struct rec_input {
    est_input_id id;
    est_estimate_origin origin;
    double value;
    char *label, *value_text, *source;
} rec_input;

typedef struct rec_note {
    est_estimate_note_kind kind;
    est_input_id input;
    char *text;
} rec_note;

struct est_estimate {
    est_model_result model;
    est_model_inputs used; /* the model's inputs, every default applied */
    size_t n_inputs, cap_inputs;
    rec_input *inputs;
    size_t n_notes, cap_notes;
    rec_note *notes;
    int has_cpu, has_gpu, has_zone;
    est_hwdb_entry cpu, gpu;
    est_zone zone;
    est_estimate_ci_from ci_origin;
    char *ci_source;
    int has_weighted, has_stats;
    int platform;
    int has_embodied;
    est_embodied_result embodied;
    est_water_result water;
    double offsite_l_per_kwh;
    int offsite_origin;        /* EST_ESTIMATE_ORIGIN_ZONE, EST_ESTIMATE_ORIGIN_LIVE; 0 */
    char offsite_source[600];
    double live_water_l_per_kwh; /* the provider's water mean; EST_UNSET */
    double headline_co2e_g;
    est_intensity_weighted weighted;
    est_intensity_stats stats;
    int has_curve;
    est_power_curve curve; /* the row picked from the options' cpu_curves */
    int failed; /* an allocation failed */
    /* for the report accessors (est_estimate_power_source, ...) */
    double cpu_tdp_given_w;   /* opts->cpu_tdp_w */
    int gpu_power_given;      /* opts->gpu_power_w was set */
    int has_samples;
    char *gpu_power_label;    /* lbl(EST_INPUT_GPU_POWER), owned */
    est_samples_result *sres; /* the sample log as the model used it; NULL */
};

/* The run's working state. */
typedef struct ctx {
    const est_estimate_options *o;
    const est_hwdb *db;
    const est_zones *zones;
    est_estimate *e;
    est_model_inputs in;
    est_error *err;
    /* samples */
    est_samples_result sres;
    const char *slabel;
    double cpu_usage_from_log; /* < 0 when not used */
    /* where it runs */
    char zone_buf[EST_ZONE_CODE_MAX];
    char pue_buf[1400];
    const char *pue_source; /* non-NULL: the platform's or the region's PUE */
    est_estimate_origin pue_origin;
    double wue_l_per_kwh;   /* the region's when not given, else EST_UNSET */
    char wue_source[1100];
} ctx;

static const char *const input_names[EST_INPUT_COUNT] = {
    "none", "cpu_model", "cpu_cores", "cpu_tdp_w", "cpu_tdp_per_core_w", "cpu_usage_frac",
    "cpu_power_w", "gpu_model", "gpu_count", "gpu_tdp_w", "gpu_idle_w", "gpu_usage_frac",
    "gpu_power_w", "memory_gb", "memory_w_per_gb", "runtime_h", "runs", "pue", "zone",
    "ci_g_co2e_per_kwh", "window", "scope", "samples", "node_cores", "node_gpus",
    "node_memory_gb", "node_static_w", "cpu_power_model", "cpu_energy_kwh", "gpu_energy_kwh",
    "node_energy_kwh", "compare_kwh", "psu_efficiency", "platform", "cloud",
    "wue_l_per_kwh", "embodied"};

const char *est_input_name(est_input_id id)
{
    return (unsigned)id < EST_INPUT_COUNT ? input_names[id] : "?";
}

const char *est_estimate_origin_name(est_estimate_origin origin)
{
    switch (origin) {
    case EST_ESTIMATE_ORIGIN_GIVEN: return "given";
    case EST_ESTIMATE_ORIGIN_HWDB: return "hwdb";
    case EST_ESTIMATE_ORIGIN_DEFAULT: return "default";
    case EST_ESTIMATE_ORIGIN_DETECTED: return "detected";
    case EST_ESTIMATE_ORIGIN_MEASURED: return "measured";
    case EST_ESTIMATE_ORIGIN_LOG: return "log";
    case EST_ESTIMATE_ORIGIN_ZONE: return "zone";
    case EST_ESTIMATE_ORIGIN_LIVE: return "live";
    case EST_ESTIMATE_ORIGIN_DERIVED: return "derived";
    case EST_ESTIMATE_ORIGIN_CURVES: return "curves";
    default: return "?";
    }
}

/* The caller's name for an input ("--cpu-tdp"), else the input's own. */
static const char *lbl(const ctx *c, est_input_id id)
{
    const char *const *l = c->o->input_labels;
    if (l && (unsigned)id < EST_INPUT_COUNT && l[id])
        return l[id];
    return est_input_name(id);
}

/* vasprintf in the C locale, never cut. NULL when out of memory. */
static char *fmt_alloc(const char *fmt, va_list ap) EST_VPRINTF(1);

static char *fmt_alloc(const char *fmt, va_list ap)
{
    char small[TEXT_MAX], *big;
    va_list aq;
    int n;
    va_copy(aq, ap);
    n = est__vsnprintf_c(small, sizeof small, fmt, aq);
    va_end(aq);
    if (n < 0)
        return NULL;
    big = malloc((size_t)n + 1);
    if (!big)
        return NULL;
    if ((size_t)n < sizeof small)
        memcpy(big, small, (size_t)n + 1);
    else
        est__vsnprintf_c(big, (size_t)n + 1, fmt, ap);
    return big;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

static void note(ctx *c, est_estimate_note_kind kind, est_input_id input, const char *fmt, ...)
    EST_PRINTF(4, 5);

static void note(ctx *c, est_estimate_note_kind kind, est_input_id input, const char *fmt, ...)
{
    est_estimate *e = c->e;
    va_list ap;
    char *t;
    if (e->n_notes == e->cap_notes) {
        size_t nc = e->cap_notes ? e->cap_notes * 2 : 16;
        rec_note *nn = realloc(e->notes, nc * sizeof *nn);
        if (!nn) {
            e->failed = 1;
            return;
        }
        e->notes = nn;
        e->cap_notes = nc;
    }
    va_start(ap, fmt);
    t = fmt_alloc(fmt, ap);
    va_end(ap);
    if (!t) {
        e->failed = 1;
        return;
    }
    e->notes[e->n_notes].kind = kind;
    e->notes[e->n_notes].input = input;
    e->notes[e->n_notes++].text = t;
}

#define assume(c, input, ...) note((c), EST_ESTIMATE_NOTE_ASSUMPTION, (input), __VA_ARGS__)
#define warn(c, input, ...) note((c), EST_ESTIMATE_NOTE_WARNING, (input), __VA_ARGS__)

/* Records an input; an input of the same label recorded before is replaced
   in place (a sample log refines what the options said). */
static void input(ctx *c, est_input_id id, est_estimate_origin origin, double value, const char *label,
                  const char *source, const char *fmt, ...) EST_PRINTF(7, 8);

static void input(ctx *c, est_input_id id, est_estimate_origin origin, double value, const char *label,
                  const char *source, const char *fmt, ...)
{
    est_estimate *e = c->e;
    rec_input *r = NULL;
    va_list ap;
    size_t i;
    char *vt, *l, *s;
    va_start(ap, fmt);
    vt = fmt_alloc(fmt, ap);
    va_end(ap);
    l = dup_str(label);
    s = dup_str(source);
    if (!vt || !l || !s) {
        free(vt);
        free(l);
        free(s);
        e->failed = 1;
        return;
    }
    for (i = 0; i < e->n_inputs; i++)
        if (strcmp(e->inputs[i].label, label) == 0) {
            r = &e->inputs[i];
            free(r->label);
            free(r->value_text);
            free(r->source);
            break;
        }
    if (!r) {
        if (e->n_inputs == e->cap_inputs) {
            size_t nc = e->cap_inputs ? e->cap_inputs * 2 : 32;
            rec_input *ni = realloc(e->inputs, nc * sizeof *ni);
            if (!ni) {
                free(vt);
                free(l);
                free(s);
                e->failed = 1;
                return;
            }
            e->inputs = ni;
            e->cap_inputs = nc;
        }
        r = &e->inputs[e->n_inputs++];
    }
    r->id = id;
    r->origin = origin;
    r->value = value;
    r->label = l;
    r->value_text = vt;
    r->source = s;
}

/* A failure that names its input. */
static int fail_input(ctx *c, int code, est_input_id id, const char *fmt, ...)
    EST_PRINTF(4, 5);

static int fail_input(ctx *c, int code, est_input_id id, const char *fmt, ...)
{
    char msg[EST_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    est__vsnprintf_c(msg, sizeof msg, fmt, ap);
    va_end(ap);
    est__fail(c->err, code, "%s", msg);
    if (c->err)
        c->err->input = (unsigned)id;
    return code;
}

/* A lookup failure keeps the lookup's message and value. */
static int fail_lookup(ctx *c, const est_error *le, est_input_id id)
{
    if (c->err) {
        *c->err = *le;
        c->err->input = (unsigned)id;
    }
    return le->code;
}

/* ----------------------------------------------------------- bounds */

/* One value against its bounds: EST_ERANGE above max (what), a warning
   note above warn. EST_UNSET passes. */
static int bound(ctx *c, est_input_id id, double v, double warn_at, double max,
                 const char *unit)
{
    if (v == EST_UNSET || !isfinite(v) || v < 0.0)
        return EST_OK; /* the model refuses those with its own words */
    const char *sp = unit[0] ? " " : "";
    if (v > max)
        return fail_input(c, EST_ERANGE, id, "%s: %g%s%s is more than any real job can have "
                          "(the limit is %g%s%s)", lbl(c, id), v, sp, unit, max, sp, unit);
    if (v > warn_at)
        warn(c, id, "%s: %g%s%s is implausibly high (above %g%s%s): check the value and its "
             "unit", lbl(c, id), v, sp, unit, warn_at, sp, unit);
    return EST_OK;
}

static int check_bounds(ctx *c)
{
    const est_estimate_options *o = c->o;
    int rc;
    if ((rc = bound(c, EST_INPUT_CI, o->ci_g_co2e_per_kwh, EST_BOUND_CI_WARN_G_CO2E_PER_KWH,
                    EST_BOUND_CI_MAX_G_CO2E_PER_KWH, "gCO2e/kWh")) ||
        (rc = bound(c, EST_INPUT_PUE, o->pue, EST_BOUND_PUE_WARN, EST_BOUND_PUE_MAX, "")) ||
        (rc = bound(c, EST_INPUT_CPU_TDP, o->cpu_tdp_w, EST_BOUND_CPU_TDP_WARN_W,
                    EST_BOUND_CPU_TDP_MAX_W, "W")) ||
        (rc = bound(c, EST_INPUT_CPU_TDP_PER_CORE, o->cpu_tdp_per_core_w,
                    EST_BOUND_CPU_TDP_PER_CORE_WARN_W, EST_BOUND_CPU_TDP_PER_CORE_MAX_W, "W")) ||
        (rc = bound(c, EST_INPUT_GPU_TDP, o->gpu_tdp_w, EST_BOUND_GPU_POWER_WARN_W,
                    EST_BOUND_GPU_POWER_MAX_W, "W")) ||
        (rc = bound(c, EST_INPUT_GPU_IDLE, o->gpu_idle_w, EST_BOUND_GPU_POWER_WARN_W,
                    EST_BOUND_GPU_POWER_MAX_W, "W")) ||
        (rc = bound(c, EST_INPUT_GPU_POWER, o->gpu_power_w, EST_BOUND_GPU_POWER_WARN_W,
                    EST_BOUND_GPU_POWER_MAX_W, "W")) ||
        (rc = bound(c, EST_INPUT_MEMORY, o->memory_gb, EST_BOUND_MEMORY_WARN_GB,
                    EST_BOUND_MEMORY_MAX_GB, "GB")) ||
        (rc = bound(c, EST_INPUT_RUNTIME, o->runtime_h, EST_BOUND_RUNTIME_WARN_H,
                    EST_BOUND_RUNTIME_MAX_H, "h")) ||
        (rc = bound(c, EST_INPUT_CPU_CORES, o->cpu_cores ? (double)o->cpu_cores : EST_UNSET,
                    EST_BOUND_COUNT_WARN, EST_BOUND_COUNT_MAX, "cores")) ||
        (rc = bound(c, EST_INPUT_GPU_COUNT, o->gpu_count ? (double)o->gpu_count : EST_UNSET,
                    EST_BOUND_COUNT_WARN, EST_BOUND_COUNT_MAX, "GPUs")) ||
        (rc = bound(c, EST_INPUT_RUNS, o->runs ? (double)o->runs : EST_UNSET,
                    EST_BOUND_COUNT_WARN, EST_BOUND_COUNT_MAX, "runs")) ||
        (rc = bound(c, EST_INPUT_NODE_CORES, o->node_cores ? (double)o->node_cores : EST_UNSET,
                    EST_BOUND_COUNT_WARN, EST_BOUND_COUNT_MAX, "cores")) ||
        (rc = bound(c, EST_INPUT_NODE_GPUS, o->node_gpus ? (double)o->node_gpus : EST_UNSET,
                    EST_BOUND_COUNT_WARN, EST_BOUND_COUNT_MAX, "GPUs")) ||
        (rc = bound(c, EST_INPUT_NODE_MEMORY, o->node_memory_gb, EST_BOUND_MEMORY_WARN_GB,
                    EST_BOUND_MEMORY_MAX_GB, "GB")) ||
        (rc = bound(c, EST_INPUT_NODE_STATIC, o->node_static_w, EST_BOUND_CPU_TDP_WARN_W,
                    EST_BOUND_CPU_TDP_MAX_W, "W")))
        return rc;
    return EST_OK;
}

/* A measured GPU power against the GPU's idle and TDP: below idle the
   process scope counts 0 W, above the TDP the log or the model is wrong. */
static void gpu_power_sanity(ctx *c, const char *which, double p, double idle_w, double tdp_w)
{
    if (idle_w > 0.0 && p < idle_w)
        warn(c, EST_INPUT_GPU_POWER, "%s: the measured power, %.4g W, is below the GPU's idle "
             "power, %.4g W: the process scope counts it as 0 W (is the idle power right?)",
             which, p, idle_w);
    if (tdp_w > 0.0 && p > 1.05 * tdp_w)
        warn(c, EST_INPUT_GPU_POWER, "%s: the measured power, %.4g W, is %.3g times the "
             "GPU's TDP of %.4g W: check the GPU model and the log's units", which, p,
             p / tdp_w, tdp_w);
}

/* ------------------------------------------------------------- CPU */

static int cpu_no_model(ctx *c, unsigned cores, const char *cores_src)
{
    const est_estimate_options *o = c->o;
    double per_core;
    const char *src;
    if (o->cpu_tdp_per_core_w != EST_UNSET) {
        per_core = o->cpu_tdp_per_core_w;
        src = lbl(c, EST_INPUT_CPU_TDP_PER_CORE);
    } else {
        /* one meaning everywhere: the package's TDP over the package's
           cores; without a model, the cores counted are the package */
        per_core = o->cpu_tdp_w / (double)cores;
        src = lbl(c, EST_INPUT_CPU_TDP);
        assume(c, EST_INPUT_CPU_TDP, "%s %g W is the TDP of one package; without a model the "
               "%u cores counted are taken as that whole package: %g W per core (give %s when "
               "the package has more cores than the job uses)", src, o->cpu_tdp_w, cores,
               per_core, lbl(c, EST_INPUT_CPU_TDP_PER_CORE));
    }
    input(c, EST_INPUT_CPU_TDP_PER_CORE, EST_ESTIMATE_ORIGIN_GIVEN, per_core, "CPU TDP", src,
          "%g W per core (no model)", per_core);
    input(c, EST_INPUT_CPU_CORES, o->cpu_cores_source ? EST_ESTIMATE_ORIGIN_DETECTED : EST_ESTIMATE_ORIGIN_GIVEN,
          (double)cores, "CPU cores", cores_src, "%u", cores);
    c->in.cpu_cores = cores;
    c->in.cpu_tdp_per_core_w = per_core;
    return EST_OK;
}

static int resolve_cpu(ctx *c)
{
    const est_estimate_options *o = c->o;
    int overridden = o->cpu_tdp_w != EST_UNSET || o->cpu_tdp_per_core_w != EST_UNSET;
    unsigned cores = o->cpu_cores;
    const char *cores_src = o->cpu_cores_source ? o->cpu_cores_source : lbl(c, EST_INPUT_CPU_CORES);
    est_estimate_origin cores_origin = o->cpu_cores_source ? EST_ESTIMATE_ORIGIN_DETECTED : EST_ESTIMATE_ORIGIN_GIVEN;
    est_hwdb_match m;
    est_error le;
    double tdp_w, per_core;
    const char *tdp_src;
    int rc;

    if (!o->cpu && !overridden)
        return EST_OK;
    if (overridden && o->cpu_tdp_w != EST_UNSET && o->cpu_tdp_per_core_w != EST_UNSET)
        return fail_input(c, EST_EINVAL, EST_INPUT_CPU_TDP, "%s and %s cannot both be given",
                          lbl(c, EST_INPUT_CPU_TDP), lbl(c, EST_INPUT_CPU_TDP_PER_CORE));
    if (c->o->samples && !cores && c->sres.cpu_cores.present) {
        /* the cores the log's usage refers to */
        cores = (unsigned)ceil(c->sres.cpu_cores.max);
        cores_src = "sample log: largest cpu_cores";
        cores_origin = EST_ESTIMATE_ORIGIN_LOG;
    }
    if (o->cpu_detected_from && o->cpu) {
        input(c, EST_INPUT_CPU_MODEL, EST_ESTIMATE_ORIGIN_DETECTED, EST_UNSET, "CPU detected",
              o->cpu_detected_from, "\"%s\"", o->cpu);
        assume(c, EST_INPUT_CPU_MODEL, "CPU detected (%s auto) from %s: \"%s\"",
               lbl(c, EST_INPUT_CPU_MODEL), o->cpu_detected_from, o->cpu);
    }
    if (o->cpu_cores_note)
        assume(c, EST_INPUT_CPU_CORES, "%s", o->cpu_cores_note);
    if (!o->cpu) {
        if (!cores)
            return fail_input(c, EST_EINVAL, EST_INPUT_CPU_CORES,
                              "%s and %s without %s need %s%s", lbl(c, EST_INPUT_CPU_TDP),
                              lbl(c, EST_INPUT_CPU_TDP_PER_CORE), lbl(c, EST_INPUT_CPU_MODEL),
                              lbl(c, EST_INPUT_CPU_CORES),
                              o->samples ? " (the sample log gives no cpu_cores)" : "");
        return cpu_no_model(c, cores, cores_src);
    }
    rc = est_hwdb_resolve(&m, c->db, EST_HWDB_CPU, o->cpu, &le);
    if (rc && overridden) {
        /* the power is given: an unknown name does not matter */
        if (!cores)
            return fail_input(c, EST_EINVAL, EST_INPUT_CPU_CORES, "%s; with %s or %s, give %s too",
                              le.message, lbl(c, EST_INPUT_CPU_TDP),
                              lbl(c, EST_INPUT_CPU_TDP_PER_CORE), lbl(c, EST_INPUT_CPU_CORES));
        assume(c, EST_INPUT_CPU_MODEL, "CPU \"%s\" is not resolved in the hardware database "
               "(%s): its power comes from %s and %u cores", o->cpu, est_strerror(rc),
               o->cpu_tdp_w != EST_UNSET ? lbl(c, EST_INPUT_CPU_TDP)
                                         : lbl(c, EST_INPUT_CPU_TDP_PER_CORE), cores);
        input(c, EST_INPUT_CPU_MODEL, EST_ESTIMATE_ORIGIN_GIVEN, EST_UNSET, "CPU model",
              "not in the hardware database", "\"%s\"", o->cpu);
        return cpu_no_model(c, cores, cores_src);
    }
    if (rc) {
        est_hwdb_match other;
        if (est_hwdb_resolve(&other, c->db, EST_HWDB_GPU, o->cpu, NULL) == EST_OK)
            return fail_input(c, EST_EINVAL, EST_INPUT_CPU_MODEL,
                              "\"%s\" is a GPU (%s): give it with %s", o->cpu,
                              other.entry.model, lbl(c, EST_INPUT_GPU_MODEL));
        return fail_lookup(c, &le, EST_INPUT_CPU_MODEL);
    }
    c->e->has_cpu = 1;
    c->e->cpu = m.entry;
    if (o->cpu_tdp_per_core_w != EST_UNSET) {
        per_core = o->cpu_tdp_per_core_w;
        tdp_w = per_core * (double)m.entry.cores;
        tdp_src = lbl(c, EST_INPUT_CPU_TDP_PER_CORE);
    } else {
        tdp_w = o->cpu_tdp_w != EST_UNSET ? o->cpu_tdp_w : m.entry.tdp_w;
        if (m.entry.cores == 0)
            return fail_input(c, EST_EPARSE, EST_INPUT_CPU_CORES,
                              "the database gives no core count for %s: give %s",
                              m.entry.model, lbl(c, EST_INPUT_CPU_TDP_PER_CORE));
        per_core = tdp_w / (double)m.entry.cores;
        tdp_src = o->cpu_tdp_w != EST_UNSET ? lbl(c, EST_INPUT_CPU_TDP) : m.entry.source;
    }
    input(c, EST_INPUT_CPU_MODEL, EST_ESTIMATE_ORIGIN_HWDB, EST_UNSET, "CPU model", m.entry.origin,
          "%s (asked: \"%s\", %s match)", m.entry.model, o->cpu, est_hwdb_how_name(m.how));
    if (overridden)
        assume(c, EST_INPUT_CPU_TDP, "CPU TDP of %s overridden by %s (the database gives %g W "
               "for %u cores)", m.entry.model, tdp_src, m.entry.tdp_w, m.entry.cores);
    else if (m.note[0])
        assume(c, EST_INPUT_CPU_MODEL, "%s", m.note);
    input(c, EST_INPUT_CPU_TDP, overridden ? EST_ESTIMATE_ORIGIN_GIVEN : EST_ESTIMATE_ORIGIN_HWDB, tdp_w,
          "CPU TDP", tdp_src, "%g W for %u cores, %g W per core%s", tdp_w, m.entry.cores,
          per_core, m.entry.is_estimate && !overridden ? " (an estimate: no vendor figure)" : "");
    if (cores) {
        if (cores > m.entry.cores && m.entry.threads && cores > m.entry.threads)
            warn(c, EST_INPUT_CPU_CORES, "%u cores is more than the %u threads of one %s: "
                 "several sockets are assumed", cores, m.entry.threads, m.entry.model);
        input(c, EST_INPUT_CPU_CORES, cores_origin, (double)cores, "CPU cores", cores_src, "%u",
              cores);
    } else {
        cores = m.entry.cores;
        assume(c, EST_INPUT_CPU_CORES, "CPU cores %u: all physical cores of one %s (%s not "
               "given)", cores, m.entry.model, lbl(c, EST_INPUT_CPU_CORES));
        input(c, EST_INPUT_CPU_CORES, EST_ESTIMATE_ORIGIN_HWDB, (double)cores, "CPU cores",
              "default: all cores of the model", "%u", cores);
    }
    c->in.cpu_cores = cores;
    c->in.cpu_tdp_per_core_w = per_core;
    return EST_OK;
}

static void cpu_usage(ctx *c)
{
    const est_estimate_options *o = c->o;
    if (!c->in.cpu_cores)
        return;
    if (o->cpu_usage_frac != EST_UNSET) {
        c->in.cpu_usage_frac = o->cpu_usage_frac;
        input(c, EST_INPUT_CPU_USAGE, EST_ESTIMATE_ORIGIN_GIVEN, o->cpu_usage_frac, "CPU usage",
              lbl(c, EST_INPUT_CPU_USAGE), "%g", o->cpu_usage_frac);
    } else if (!o->samples) {
        input(c, EST_INPUT_CPU_USAGE, EST_ESTIMATE_ORIGIN_DEFAULT, 1.0, "CPU usage", "default", "1");
    }
}

/* ------------------------------------------------------------- GPU */

static int resolve_gpu(ctx *c)
{
    const est_estimate_options *o = c->o;
    int power_given = o->gpu_tdp_w != EST_UNSET || o->gpu_power_w != EST_UNSET;
    unsigned count = o->gpu_count ? o->gpu_count : 1;
    const char *count_src = o->gpu_count_source ? o->gpu_count_source
                            : o->gpu_count ? lbl(c, EST_INPUT_GPU_COUNT)
                                           : "default: 1 when a GPU is named";
    const char *name = o->gpu, *src, *idle_src;
    char idle_buf[EST_HWDB_SOURCE_MAX + EST_ERROR_FILE_MAX + 32];
    double tdp_w = 0.0, db_idle = EST_UNSET, idle_w;
    int idle_known;
    est_hwdb_match m;

    if (!o->gpu && !power_given) {
        if (o->gpu_count || o->gpu_usage_frac != EST_UNSET || o->gpu_idle_w != EST_UNSET) {
            est_input_id id = o->gpu_count ? EST_INPUT_GPU_COUNT
                              : o->gpu_usage_frac != EST_UNSET ? EST_INPUT_GPU_USAGE
                                                               : EST_INPUT_GPU_IDLE;
            return fail_input(c, EST_EINVAL, id, "%s needs %s, %s or %s", lbl(c, id),
                              lbl(c, EST_INPUT_GPU_MODEL), lbl(c, EST_INPUT_GPU_TDP),
                              lbl(c, EST_INPUT_GPU_POWER));
        }
        return EST_OK;
    }
    if (o->gpu_power_w != EST_UNSET && o->gpu_usage_frac != EST_UNSET)
        return fail_input(c, EST_EINVAL, EST_INPUT_GPU_POWER, "%s is a measured power: it "
                          "cannot be combined with %s", lbl(c, EST_INPUT_GPU_POWER),
                          lbl(c, EST_INPUT_GPU_USAGE));
    if (o->gpu_detected_from && o->gpu) {
        input(c, EST_INPUT_GPU_MODEL, EST_ESTIMATE_ORIGIN_DETECTED, EST_UNSET, "GPU detected",
              o->gpu_detected_from, "%u x \"%s\"", count, o->gpu);
        if (o->gpu_count_source)
            assume(c, EST_INPUT_GPU_MODEL, "GPU detected (%s auto) from %s: %u x \"%s\"; all "
                   "of them are counted (give %s to correct)", lbl(c, EST_INPUT_GPU_MODEL),
                   o->gpu_detected_from, count, o->gpu, lbl(c, EST_INPUT_GPU_COUNT));
        else
            assume(c, EST_INPUT_GPU_MODEL, "GPU detected (%s auto) from %s: \"%s\"; %s "
                   "overrides the count", lbl(c, EST_INPUT_GPU_MODEL), o->gpu_detected_from,
                   o->gpu, lbl(c, EST_INPUT_GPU_COUNT));
    }
    if (name) {
        est_error le;
        int rc = est_hwdb_resolve(&m, c->db, EST_HWDB_GPU, name, &le);
        if (rc && power_given) {
            assume(c, EST_INPUT_GPU_MODEL, "GPU \"%s\" is not resolved in the hardware "
                   "database (%s): its power comes from %s", name, est_strerror(rc),
                   o->gpu_tdp_w != EST_UNSET ? lbl(c, EST_INPUT_GPU_TDP)
                                             : lbl(c, EST_INPUT_GPU_POWER));
            input(c, EST_INPUT_GPU_MODEL, EST_ESTIMATE_ORIGIN_GIVEN, EST_UNSET, "GPU model",
                  "not in the hardware database", "\"%s\"", name);
            name = NULL;
        } else if (rc) {
            est_hwdb_match other;
            if (est_hwdb_resolve(&other, c->db, EST_HWDB_CPU, name, NULL) == EST_OK)
                return fail_input(c, EST_EINVAL, EST_INPUT_GPU_MODEL,
                                  "\"%s\" is a CPU (%s): give it with %s", name,
                                  other.entry.model, lbl(c, EST_INPUT_CPU_MODEL));
            return fail_lookup(c, &le, EST_INPUT_GPU_MODEL);
        }
    }
    if (name) {
        c->e->has_gpu = 1;
        c->e->gpu = m.entry;
        tdp_w = o->gpu_tdp_w != EST_UNSET ? o->gpu_tdp_w : m.entry.tdp_w;
        src = o->gpu_tdp_w != EST_UNSET ? lbl(c, EST_INPUT_GPU_TDP) : m.entry.source;
        db_idle = m.entry.idle_w;
        input(c, EST_INPUT_GPU_MODEL, EST_ESTIMATE_ORIGIN_HWDB, EST_UNSET, "GPU model", m.entry.origin,
              "%s (asked: \"%s\", %s match)", m.entry.model, name, est_hwdb_how_name(m.how));
        if (o->gpu_tdp_w != EST_UNSET)
            assume(c, EST_INPUT_GPU_TDP, "GPU TDP of %s overridden by %s (the database gives "
                   "%g W)", m.entry.model, src, m.entry.tdp_w);
        else if (m.note[0])
            assume(c, EST_INPUT_GPU_MODEL, "%s", m.note);
    } else {
        tdp_w = o->gpu_tdp_w != EST_UNSET ? o->gpu_tdp_w : 0.0;
        src = o->gpu_tdp_w != EST_UNSET ? lbl(c, EST_INPUT_GPU_TDP) : lbl(c, EST_INPUT_GPU_POWER);
    }
    if (tdp_w > 0.0)
        input(c, EST_INPUT_GPU_TDP, name && o->gpu_tdp_w == EST_UNSET ? EST_ESTIMATE_ORIGIN_HWDB
                                                                      : EST_ESTIMATE_ORIGIN_GIVEN,
              tdp_w, "GPU TDP", src, "%g W per GPU", tdp_w);
    input(c, EST_INPUT_GPU_COUNT, o->gpu_count_source ? EST_ESTIMATE_ORIGIN_DETECTED
                                  : o->gpu_count ? EST_ESTIMATE_ORIGIN_GIVEN : EST_ESTIMATE_ORIGIN_DEFAULT,
          (double)count, "GPU count", count_src, "%u", count);
    if (o->gpu_idle_w != EST_UNSET) {
        idle_w = o->gpu_idle_w;
        idle_known = 1;
        idle_src = lbl(c, EST_INPUT_GPU_IDLE);
    } else if (db_idle != EST_UNSET) {
        idle_w = db_idle;
        idle_known = 1;
        /* where the value came from: the row and its source */
        est__snprintf_c(idle_buf, sizeof idle_buf, "hardware database, %s: %s", m.entry.origin,
                        m.entry.source);
        idle_src = idle_buf;
        assume(c, EST_INPUT_GPU_IDLE, "GPU idle power %g W per GPU from the hardware database "
               "(%s): the process scope counts each GPU above it, the node scope counts every "
               "GPU of the node at least at it (give %s to change it)", idle_w, m.entry.origin,
               lbl(c, EST_INPUT_GPU_IDLE));
    } else {
        idle_w = 0.0;
        idle_known = 0;
        idle_src = "unknown: 0 W assumed";
    }
    input(c, EST_INPUT_GPU_IDLE, o->gpu_idle_w != EST_UNSET ? EST_ESTIMATE_ORIGIN_GIVEN
                                 : idle_known ? EST_ESTIMATE_ORIGIN_HWDB : EST_ESTIMATE_ORIGIN_DEFAULT,
          idle_w, "GPU idle power", idle_src, "%g W per GPU", idle_w);
    c->in.gpu_count = count;
    c->in.gpu_tdp_w = tdp_w;
    c->in.gpu_idle_w = idle_known ? idle_w : EST_UNSET;
    if (o->gpu_power_w != EST_UNSET) {
        if (tdp_w > 0.0 && o->gpu_power_w > 1.5 * tdp_w)
            warn(c, EST_INPUT_GPU_POWER, "%s %g W is %.3g times the GPU's TDP of %g W: is it "
                 "the power of all GPUs together? (%s is per GPU)", lbl(c, EST_INPUT_GPU_POWER),
                 o->gpu_power_w, o->gpu_power_w / tdp_w, tdp_w, lbl(c, EST_INPUT_GPU_POWER));
        else
            gpu_power_sanity(c, lbl(c, EST_INPUT_GPU_POWER), o->gpu_power_w,
                             idle_known ? idle_w : 0.0, 0.0);
        c->in.gpu_power_w = o->gpu_power_w;
        input(c, EST_INPUT_GPU_POWER, EST_ESTIMATE_ORIGIN_MEASURED, o->gpu_power_w, "GPU power",
              lbl(c, EST_INPUT_GPU_POWER), "%g W per GPU (a measured mean)", o->gpu_power_w);
    } else if (o->gpu_usage_frac != EST_UNSET) {
        c->in.gpu_usage_frac = o->gpu_usage_frac;
        input(c, EST_INPUT_GPU_USAGE, EST_ESTIMATE_ORIGIN_GIVEN, o->gpu_usage_frac, "GPU usage",
              lbl(c, EST_INPUT_GPU_USAGE), "%g", o->gpu_usage_frac);
    } else {
        input(c, EST_INPUT_GPU_USAGE, EST_ESTIMATE_ORIGIN_DEFAULT, 1.0, "GPU usage", "default", "1");
    }
    return EST_OK;
}

/* --------------------------------------------------------- samples */

/* The log's GPU names (or the named GPU) resolved in db: their idle power
   goes to the integrator, which then counts each GPU above its own idle. */
static void samples_gpu_idle(ctx *c)
{
    est_samples_result *res = &c->sres;
    size_t i;
    for (i = 0; i < res->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(res, i);
        const char *name = c->o->gpu ? c->o->gpu : g->name;
        est_hwdb_match hm;
        if (!c->db || !name[0] || est_hwdb_resolve(&hm, c->db, EST_HWDB_GPU, name, NULL))
            continue;
        if (hm.entry.idle_w != EST_UNSET && hm.entry.idle_w >= 0.0)
            est_samples_set_gpu_idle(c->o->samples, g->index, hm.entry.idle_w);
    }
    est_samples_result_dispose(res);
    est_samples_compute(res, c->o->samples, NULL);
}

static int samples_has_gpu_power(const est_samples_result *res)
{
    size_t i;
    for (i = 0; i < res->n_gpus; i++)
        if (est_samples_result_gpu(res, i)->power_w.present)
            return 1;
    return 0;
}

static int samples_cpu(ctx *c)
{
    const est_samples_result *res = &c->sres;
    c->cpu_usage_from_log = -1.0;
    if ((res->cpu_usage_frac.present || res->cpu_busy_cores.present) && c->in.cpu_cores > 0) {
        double u = res->cpu_usage_frac.mean;
        const char *how = "time-weighted mean";
        if (c->o->cpu_usage_frac != EST_UNSET)
            return fail_input(c, EST_EINVAL, EST_INPUT_CPU_USAGE, "%s: the sample log gives "
                              "the CPU usage; leave %s out", lbl(c, EST_INPUT_CPU_USAGE),
                              lbl(c, EST_INPUT_CPU_USAGE));
        if (res->cpu_busy_cores.present) {
            /* the mean of usage x cores (or of the logged busy cores): the
               product of the means would weight a tick's usage by another
               tick's cores */
            u = res->cpu_busy_cores.mean / (double)c->in.cpu_cores;
            how = res->cpu_busy_cores_derived
                      ? "time-weighted mean of usage x cpu_cores, over the cores counted"
                      : "time-weighted mean of the busy cores, over the cores counted";
        } else if (res->cpu_cores.present && res->cpu_cores.mean > 0.0) {
            /* usage and cores in different rows: only their means meet */
            u = u * res->cpu_cores.mean / (double)c->in.cpu_cores;
            how = "time-weighted mean, of the log's mean cpu_cores";
        }
        if (u > 1.0) {
            warn(c, EST_INPUT_CPU_USAGE, "the log's CPU usage is %.3g cores' worth, more than "
                 "the %u cores counted: usage 1 used", u * c->in.cpu_cores, c->in.cpu_cores);
            u = 1.0;
        }
        c->in.cpu_usage_frac = u;
        c->cpu_usage_from_log = u;
        input(c, EST_INPUT_CPU_USAGE, EST_ESTIMATE_ORIGIN_LOG, u, "CPU usage", c->slabel, "%.4g (%s)",
              u, how);
    } else if ((res->cpu_usage_frac.present || res->cpu_busy_cores.present) &&
               !res->cpu_package_power_w.present) {
        warn(c, EST_INPUT_CPU_USAGE, "the log gives the CPU usage, but no CPU is counted: "
             "give %s MODEL or %s W %s N", lbl(c, EST_INPUT_CPU_MODEL),
             lbl(c, EST_INPUT_CPU_TDP), lbl(c, EST_INPUT_CPU_CORES));
    } else if (c->in.cpu_cores > 0 && c->o->cpu_usage_frac == EST_UNSET &&
               !res->cpu_package_power_w.present) {
        input(c, EST_INPUT_CPU_USAGE, EST_ESTIMATE_ORIGIN_DEFAULT, 1.0, "CPU usage", "default", "1");
    }
    if (res->cpu_package_power_w.present) {
        c->in.cpu_power_w = res->cpu_package_power_w.mean;
        input(c, EST_INPUT_CPU_POWER, EST_ESTIMATE_ORIGIN_MEASURED, res->cpu_package_power_w.mean,
              "CPU power", c->slabel, "%.4g W (measured package power, preferred)",
              res->cpu_package_power_w.mean);
    }
    return EST_OK;
}

static void samples_memory(ctx *c)
{
    const est_samples_result *res = &c->sres;
    double given = c->o->memory_gb;
    if (res->ram_used_gb.present && given != EST_UNSET) {
        /* the allocation, as Green Algorithms counts it, over the RAM used */
        c->in.memory_gb = given;
        input(c, EST_INPUT_MEMORY, EST_ESTIMATE_ORIGIN_GIVEN, given, "Memory", lbl(c, EST_INPUT_MEMORY),
              "%.4g GB (the allocation; the log's mean RAM used is %.4g GB)", given,
              res->ram_used_gb.mean);
    } else if (res->ram_used_gb.present) {
        c->in.memory_gb = res->ram_used_gb.mean;
        input(c, EST_INPUT_MEMORY, EST_ESTIMATE_ORIGIN_LOG, c->in.memory_gb, "Memory", c->slabel,
              "%.4g GB (time-weighted mean of RAM used)", c->in.memory_gb);
    } else if (given != EST_UNSET) {
        c->in.memory_gb = given;
        input(c, EST_INPUT_MEMORY, EST_ESTIMATE_ORIGIN_GIVEN, given, "Memory", lbl(c, EST_INPUT_MEMORY),
              "%.4g GB", given);
    } else {
        input(c, EST_INPUT_MEMORY, EST_ESTIMATE_ORIGIN_DEFAULT, 0.0, "Memory",
              "the sample logs give no RAM: not counted", "0 GB");
    }
}

static const char *idle_source_name(const ctx *c, est_samples_idle_source s)
{
    switch (s) {
    case EST_SAMPLES_IDLE_OPTION: return lbl(c, EST_INPUT_GPU_IDLE);
    case EST_SAMPLES_IDLE_MEASURED: return "measured before the job window (idle until)";
    case EST_SAMPLES_IDLE_SET: return "hardware database";
    default: return "unknown: 0 W assumed";
    }
}

/* The model gets the mean power per GPU, and an idle that makes
   count x (P - idle) the sum of each GPU's own max(P_i - idle_i, 0). */
static int samples_gpus(ctx *c)
{
    const est_samples_result *res = &c->sres;
    const est_samples_gpu *first = NULL;
    double sum_p = 0.0, sum_above = 0.0;
    unsigned n_gpu = 0;
    int any_idle = 0;
    size_t i;
    if (!samples_has_gpu_power(res))
        return EST_OK;
    if (c->o->gpu_power_w != EST_UNSET || c->o->gpu_usage_frac != EST_UNSET || c->o->gpu_count) {
        est_input_id id = c->o->gpu_power_w != EST_UNSET ? EST_INPUT_GPU_POWER
                          : c->o->gpu_usage_frac != EST_UNSET ? EST_INPUT_GPU_USAGE
                                                              : EST_INPUT_GPU_COUNT;
        return fail_input(c, EST_EINVAL, id, "%s: the sample log gives the GPUs' power; leave "
                          "it out", lbl(c, id));
    }
    for (i = 0; i < res->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(res, i);
        if (!g->power_w.present) {
            if (g->power_w.samples)
                warn(c, EST_INPUT_GPU_POWER, "GPU %u: no power reading in the job window: not "
                     "counted", g->index);
            continue;
        }
        if (g->power_w.mean_of_readings)
            warn(c, EST_INPUT_GPU_POWER, "GPU %u: no two consecutive power readings (missing "
                 "values or gaps between them): counted at the mean of its readings, %.4g W, "
                 "over the job window (see --fill hold)", g->index, g->mean_power_w);
        {
            /* each GPU against its own idle and its model's TDP */
            const char *name = c->o->gpu ? c->o->gpu : g->name;
            char which[48];
            est_hwdb_match hm;
            double tdp = 0.0;
            if (c->db && name[0] &&
                est_hwdb_resolve(&hm, c->db, EST_HWDB_GPU, name, NULL) == EST_OK)
                tdp = hm.entry.tdp_w;
            est__snprintf_c(which, sizeof which, "GPU %u", g->index);
            gpu_power_sanity(c, which, g->mean_power_w,
                             g->idle_source != EST_SAMPLES_IDLE_UNKNOWN ? g->idle_w : 0.0, tdp);
        }
        if (!first)
            first = g;
        n_gpu++;
        sum_p += g->mean_power_w;
        sum_above += g->mean_power_w > g->idle_w ? g->mean_power_w - g->idle_w : 0.0;
        if (g->idle_source != EST_SAMPLES_IDLE_UNKNOWN)
            any_idle = 1;
    }
    if (!n_gpu)
        return EST_OK;
    c->in.gpu_count = n_gpu;
    c->in.gpu_power_w = sum_p / n_gpu;
    c->in.gpu_idle_w = any_idle ? c->in.gpu_power_w - sum_above / n_gpu : EST_UNSET;
    if (c->in.gpu_idle_w != EST_UNSET && c->in.gpu_idle_w < 0.0)
        c->in.gpu_idle_w = 0.0;
    {
        /* the first GPU counted names the model (resolved in db) */
        const char *name = c->o->gpu ? c->o->gpu : first->name;
        est_hwdb_match hm;
        if (c->db && name[0] && est_hwdb_resolve(&hm, c->db, EST_HWDB_GPU, name, NULL) == EST_OK) {
            c->e->has_gpu = 1;
            c->e->gpu = hm.entry;
            c->in.gpu_tdp_w = hm.entry.tdp_w;
        }
    }
    input(c, EST_INPUT_GPU_COUNT, EST_ESTIMATE_ORIGIN_LOG, (double)n_gpu, "GPU count", c->slabel, "%u",
          n_gpu);
    input(c, EST_INPUT_GPU_POWER, EST_ESTIMATE_ORIGIN_MEASURED, c->in.gpu_power_w, "GPU power",
          c->slabel, "%.4g W per GPU (time-weighted mean)", c->in.gpu_power_w);
    input(c, EST_INPUT_GPU_IDLE, any_idle ? EST_ESTIMATE_ORIGIN_LOG : EST_ESTIMATE_ORIGIN_DEFAULT,
          any_idle ? c->in.gpu_idle_w : 0.0, "GPU idle power",
          idle_source_name(c, first->idle_source), "%.4g W per GPU%s",
          any_idle ? c->in.gpu_idle_w : 0.0,
          n_gpu > 1 ? " (effective: the mean of the GPUs' own idle powers)" : "");
    return EST_OK;
}

static int samples_window(ctx *c)
{
    const est_samples_result *res = &c->sres;
    char a[EST_SAMPLES_TIME_FORMAT_SIZE], b[EST_SAMPLES_TIME_FORMAT_SIZE];
    if (c->o->runtime_h != EST_UNSET || c->o->runs)
        return fail_input(c, EST_EINVAL, c->o->runs ? EST_INPUT_RUNS : EST_INPUT_RUNTIME,
                          "%s cannot be combined with a sample log: the runtime is the "
                          "log's job window", lbl(c, c->o->runs ? EST_INPUT_RUNS
                                                               : EST_INPUT_RUNTIME));
    c->in.runtime_h = res->duration_s / 3600.0;
    c->in.runs = 1;
    /* the window's fractional seconds kept (issue 14 #26) */
    if (est_samples_format_time(a, sizeof a, res->start_unix_s))
        est__strlcpy(a, "?", sizeof a);
    if (est_samples_format_time(b, sizeof b, res->end_unix_s))
        est__strlcpy(b, "?", sizeof b);
    input(c, EST_INPUT_RUNTIME, EST_ESTIMATE_ORIGIN_LOG, c->in.runtime_h, "Runtime",
          "job window of the samples", "%.6g h (%.15g s, %s to %s)", c->in.runtime_h,
          res->duration_s, a, b);
    if (res->covered_s < 0.9 * res->duration_s)
        warn(c, EST_INPUT_SAMPLES, "the samples cover %.1f%% of the job window (%g of %g s): "
             "the estimate assumes the covered mean over the rest (see --fill)",
             100.0 * res->covered_s / res->duration_s, res->covered_s, res->duration_s);
    if (res->duplicates || res->backwards)
        warn(c, EST_INPUT_SAMPLES, "%lu duplicate row%s (the time of the row before) and %lu "
             "row%s going backwards: those rows were dropped", res->duplicates,
             res->duplicates == 1 ? "" : "s", res->backwards, res->backwards == 1 ? "" : "s");
    return EST_OK;
}

/* ------------------------------------------------- runtime and the rest */

static int manual_runtime(ctx *c)
{
    const est_estimate_options *o = c->o;
    double h = o->runtime_h;
    const char *src = lbl(c, EST_INPUT_RUNTIME);
    est_estimate_origin origin = EST_ESTIMATE_ORIGIN_GIVEN;
    if (h == EST_UNSET) {
        if (o->start_unix_s == EST_UNSET || o->end_unix_s == EST_UNSET)
            return fail_input(c, EST_EINVAL, EST_INPUT_RUNTIME, "missing runtime: give %s (or "
                              "a window)", lbl(c, EST_INPUT_RUNTIME));
        h = (o->end_unix_s - o->start_unix_s) / 3600.0;
        src = lbl(c, EST_INPUT_WINDOW);
        origin = EST_ESTIMATE_ORIGIN_DERIVED;
    }
    if (!isfinite(h))
        return fail_input(c, EST_EINVAL, EST_INPUT_RUNTIME, "runtime: too large");
    if (!(h > 0.0))
        return fail_input(c, EST_EINVAL, EST_INPUT_RUNTIME, "runtime: must be greater than 0");
    c->in.runtime_h = h;
    input(c, EST_INPUT_RUNTIME, origin, h, "Runtime", src, "%g h", h);
    c->in.runs = o->runs ? o->runs : 1;
    input(c, EST_INPUT_RUNS, o->runs ? EST_ESTIMATE_ORIGIN_GIVEN : EST_ESTIMATE_ORIGIN_DEFAULT,
          (double)c->in.runs, "Runs", o->runs ? lbl(c, EST_INPUT_RUNS) : "default", "%u",
          c->in.runs);
    if (o->memory_gb != EST_UNSET) {
        c->in.memory_gb = o->memory_gb;
        input(c, EST_INPUT_MEMORY, EST_ESTIMATE_ORIGIN_GIVEN, o->memory_gb, "Memory",
              lbl(c, EST_INPUT_MEMORY), "%g GB", o->memory_gb);
    } else {
        input(c, EST_INPUT_MEMORY, EST_ESTIMATE_ORIGIN_DEFAULT, 0.0, "Memory", "not given: not counted",
              "0 GB");
        assume(c, EST_INPUT_MEMORY, "Memory not counted: %s not given (Green Algorithms "
               "counts the memory allocated)", lbl(c, EST_INPUT_MEMORY));
    }
    return EST_OK;
}

/* ------------------------------------------------------------ carbon */

static void fmt_time(double t, char *buf, size_t size)
{
    if (est_format_time(buf, size, t) != EST_OK)
        est__strlcpy(buf, "?", size);
}

/* The energy-weighted intensity of the points, with the power model of the
   inputs (cores x TDP per core, memory W/GB, scope). */
static int weighted(ctx *c, const est_intensity_answer *a, est_intensity_weighted *out,
                    est_error *err)
{
    est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT;
    est_intensity_energy_bin *bins;
    size_t nb = 0;
    int rc;
    w.cpu_w_at_full_usage = (double)c->in.cpu_cores * c->in.cpu_tdp_per_core_w;
    w.cpu_w_per_busy_core = c->in.cpu_tdp_per_core_w > 0.0 ? c->in.cpu_tdp_per_core_w : 0.0;
    w.cpu_use_package_power = c->in.cpu_power_w != EST_UNSET;
    w.memory_w_per_gb = c->in.memory_w_per_gb == EST_UNSET ? EST_DEFAULT_MEMORY_W_PER_GB
                                                           : c->in.memory_w_per_gb;
    w.gpu_above_idle = c->in.scope == EST_MODEL_SCOPE_PROCESS;
    w.pue = 1.0; /* a constant factor: it cancels in a weighted mean */
    rc = est_samples_energy_bins(NULL, 0, &nb, c->o->samples, &w, err);
    if (rc && rc != EST_ERANGE)
        return rc;
    bins = calloc(nb ? nb : 1, sizeof *bins);
    if (!bins)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = est_samples_energy_bins(bins, nb, &nb, c->o->samples, &w, err);
    if (!rc)
        rc = est_intensity_energy_weighted(out, a->points, a->n_points, bins, nb, err);
    free(bins);
    return rc;
}

/* The provider's water series (answer version 2): its mean over the
   window, weighted by the log's energy as the intensity is, replaces the
   zone's off-site water intensity. */
static void live_water(ctx *c, const est_intensity_answer *a, const est_zone *z, double start,
                       double end, const char *s, const char *e)
{
    est_intensity_answer wa;
    est_intensity_stats st;
    est_intensity_weighted w;
    est_error we;
    if (!a->n_water_points || !a->water_points ||
        est_intensity_mean(&st, a->water_points, a->n_water_points, start, end, NULL) != EST_OK ||
        st.n_points == 0 || st.mean_g_co2e_per_kwh < 0.0)
        return;
    c->e->live_water_l_per_kwh = st.mean_g_co2e_per_kwh;
    est__snprintf_c(c->e->offsite_source, sizeof c->e->offsite_source,
                    "%s, zone %s, generation mix, mean over %s to %s, %.0f%% covered", a->source,
                    est_zones_provider_code(z), s, e, st.coverage_frac * 100.0);
    if (!c->o->samples)
        return;
    wa = *a;
    wa.points = a->water_points;
    wa.n_points = a->n_water_points;
    if (weighted(c, &wa, &w, &we) == EST_OK && w.mean_g_co2e_per_kwh >= 0.0) {
        c->e->live_water_l_per_kwh = w.mean_g_co2e_per_kwh;
        est__snprintf_c(c->e->offsite_source, sizeof c->e->offsite_source,
                        "%s, zone %s, generation mix, %s to %s, weighted by the log's energy "
                        "in 15-minute bins (time mean %.4g), %.0f%% of the energy covered",
                        a->source, est_zones_provider_code(z), s, e, st.mean_g_co2e_per_kwh,
                        w.coverage_frac * 100.0);
    }
}

/* The provider's mean over the window, energy-weighted with a log. 0: used;
   a negative code: the provider failed (reason in *pe). */
static int live(ctx *c, const est_zone *z, est_error *pe)
{
    const est_estimate_options *o = c->o;
    est_intensity_answer a;
    est_intensity_stats st;
    char s[32], e[32];
    double start = o->start_unix_s, end = o->end_unix_s;
    int rc;
    if (o->samples) {
        start = c->sres.start_unix_s;
        end = c->sres.end_unix_s;
    }
    if (start == EST_UNSET || end == EST_UNSET)
        return est__fail(pe, EST_EINVAL, "no job window: a live intensity needs the start "
                         "and end of the job");
    memset(&a, 0, sizeof a);
    a.version = EST_INTENSITY_ANSWER_VERSION;
    est_error_clear(pe);
    rc = o->intensity(o->intensity_user, z, start, end, &a, pe);
    if (rc)
        return rc;
    rc = est_intensity_mean(&st, a.points, a.n_points, start, end, pe);
    if (rc)
        return rc;
    if (st.n_points == 0 || st.mean_g_co2e_per_kwh < 0.0)
        return est__fail(pe, EST_ENODATA, "%s: no intensity in the window for zone %s",
                         a.source[0] ? a.source : "the provider", est_zones_provider_code(z));
    fmt_time(start, s, sizeof s);
    fmt_time(end, e, sizeof e);
    c->in.ci_g_co2e_per_kwh = st.mean_g_co2e_per_kwh;
    c->e->has_stats = 1;
    c->e->stats = st;
    c->e->ci_origin = EST_ESTIMATE_CI_LIVE;
    free(c->e->ci_source);
    {
        char buf[1200];
        est__snprintf_c(buf, sizeof buf, "%s, zone %s, mean over %s to %s, %.0f%% covered%s%s",
                        a.source, est_zones_provider_code(z), s, e, st.coverage_frac * 100.0,
                        a.detail[0] ? ", " : "", a.detail);
        c->e->ci_source = dup_str(buf);
        if (o->samples) {
            est_intensity_weighted w;
            est_error we;
            int wrc = weighted(c, &a, &w, &we);
            if (wrc == EST_OK && w.mean_g_co2e_per_kwh >= 0.0) {
                c->in.ci_g_co2e_per_kwh = w.mean_g_co2e_per_kwh;
                c->e->has_weighted = 1;
                c->e->weighted = w;
                est__snprintf_c(buf, sizeof buf, "%s, zone %s, %s to %s, weighted by the log's "
                                "energy in 15-minute bins (time mean %.4g), %.0f%% of the "
                                "energy covered", a.source, est_zones_provider_code(z), s, e,
                                st.mean_g_co2e_per_kwh, w.coverage_frac * 100.0);
                free(c->e->ci_source);
                c->e->ci_source = dup_str(buf);
            } else if (wrc != EST_OK) {
                warn(c, EST_INPUT_CI, "no energy-weighted intensity (%s): using the time mean",
                     we.message);
            }
        }
    }
    if (!c->e->ci_source)
        c->e->failed = 1;
    live_water(c, &a, z, start, end, s, e);
    return EST_OK;
}

/* The note of a zone code read through an alias (FRA, UK, JP-TK): what
   was given, the zone whose figures are used, and the code a live provider
   is asked for (est_zones_provider_code). Without it the report would name
   JP alone while the live series is JP-TK's. */
static void zone_mapped_note(ctx *c, const est_zone *z)
{
    const char *kind = z->alias_kind;
    int em = strcmp(kind, "electricitymaps") == 0;
    int asks = c->o->intensity && c->o->ci_g_co2e_per_kwh == EST_UNSET;
    if (!kind[0])
        return;
    assume(c, EST_INPUT_ZONE, "%s %s: %s, mapped to %s (%s)%s%s%s (%s)", lbl(c, EST_INPUT_ZONE),
           z->given,
           em ? "Electricity Maps' zone"
           : strcmp(kind, "iso3166-alpha3") == 0 ? "ISO 3166-1 alpha-3 code"
                                                 : "an alias",
           z->code, z->name, em ? " for the annual figure" : "",
           asks ? "; live data asked for " : "", asks ? est_zones_provider_code(z) : "",
           z->alias_source);
}

static int resolve_carbon(ctx *c)
{
    const est_estimate_options *o = c->o;
    const char *code = o->zone ? o->zone : "WORLD";
    est_zone z;
    est_error le;
    char buf[1200];
    int rc;
    if (o->ci_g_co2e_per_kwh != EST_UNSET && !o->zone) {
        c->in.ci_g_co2e_per_kwh = o->ci_g_co2e_per_kwh;
        c->e->ci_origin = EST_ESTIMATE_CI_GIVEN;
        c->e->ci_source = dup_str(lbl(c, EST_INPUT_CI));
        input(c, EST_INPUT_CI, EST_ESTIMATE_ORIGIN_GIVEN, o->ci_g_co2e_per_kwh, "Carbon intensity",
              lbl(c, EST_INPUT_CI), "%g gCO2e/kWh", o->ci_g_co2e_per_kwh);
        return c->e->ci_source ? EST_OK : EST_ENOMEM;
    }
    rc = est_zones_lookup(&z, c->zones, code, &le);
    if (rc)
        return fail_lookup(c, &le, EST_INPUT_ZONE);
    c->e->has_zone = 1;
    c->e->zone = z;
    zone_mapped_note(c, &z);
    if (o->ci_g_co2e_per_kwh != EST_UNSET) {
        c->in.ci_g_co2e_per_kwh = o->ci_g_co2e_per_kwh;
        c->e->ci_origin = EST_ESTIMATE_CI_GIVEN;
        est__snprintf_c(buf, sizeof buf, "%s (overrides zone %s's %g)", lbl(c, EST_INPUT_CI),
                        z.code, z.ci_g_co2e_per_kwh);
        c->e->ci_source = dup_str(buf);
        input(c, EST_INPUT_CI, EST_ESTIMATE_ORIGIN_GIVEN, o->ci_g_co2e_per_kwh, "Carbon intensity", buf,
              "%g gCO2e/kWh", o->ci_g_co2e_per_kwh);
        return c->e->ci_source ? EST_OK : EST_ENOMEM;
    }
    c->in.ci_g_co2e_per_kwh = z.ci_g_co2e_per_kwh;
    c->e->ci_origin = EST_ESTIMATE_CI_ZONE;
    est__snprintf_c(buf, sizeof buf, "zone %s (%s), %u annual average, %s: %s", z.code, z.name,
                    z.year, z.scope, z.source);
    c->e->ci_source = dup_str(buf);
    if (!c->e->ci_source)
        return EST_ENOMEM;
    if (o->intensity) {
        est_error pe;
        rc = live(c, &z, &pe);
        if (rc && o->strict) {
            if (c->err) {
                *c->err = pe;
                c->err->code = rc;
                c->err->input = EST_INPUT_CI;
            }
            return rc;
        }
        if (rc) {
            /* the report must say so, not only a warning */
            size_t n = strlen(buf);
            assume(c, EST_INPUT_CI, "Live carbon intensity unavailable, zone %s's annual "
                   "average used instead: %s", z.code, pe.message);
            est__snprintf_c(buf + n, sizeof buf - n, " (fallback: the live source failed)");
            free(c->e->ci_source);
            c->e->ci_source = dup_str(buf);
            c->e->ci_origin = EST_ESTIMATE_CI_FALLBACK;
            if (!c->e->ci_source)
                return EST_ENOMEM;
        }
    }
    input(c, EST_INPUT_CI, c->e->ci_origin == EST_ESTIMATE_CI_LIVE ? EST_ESTIMATE_ORIGIN_LIVE : EST_ESTIMATE_ORIGIN_ZONE,
          c->in.ci_g_co2e_per_kwh, "Carbon intensity", c->e->ci_source, "%g gCO2e/kWh",
          c->in.ci_g_co2e_per_kwh);
    if (!o->zone)
        assume(c, EST_INPUT_ZONE, "Zone WORLD, %g gCO2e/kWh: no zone or intensity given; the "
               "world average (%s)", z.ci_g_co2e_per_kwh, z.source);
    return EST_OK;
}

/* ------------------------------------------------------------- model */

static int run_model(ctx *c)
{
    est_error me;
    size_t i, n_before;
    int rc = est_model_compute(&c->e->model, &c->e->used, &c->in, &me);
    if (rc) {
        /* the model names the input it refused in me.input; its message is
           "FIELD: why", and the caller's label replaces FIELD:
           "cpu_usage_frac: must be ..." becomes "--cpu-usage: must be ..." */
        est_input_id id = (est_input_id)me.input;
        const char *why = strstr(me.message, ": ");
        if (c->err) {
            *c->err = me;
            if (id != EST_INPUT_NONE && (unsigned)id < EST_INPUT_COUNT && why &&
                c->o->input_labels && c->o->input_labels[id])
                est__snprintf_c(c->err->message, sizeof c->err->message, "%s%s%s",
                                c->o->input_labels[id], c->o->samples ? " (with the sample logs)"
                                                                       : "", why);
        }
        return rc;
    }
    /* the model's own defaults come first, then the pipeline's choices */
    n_before = c->e->n_notes;
    for (i = 0; i < c->e->model.n_assumptions; i++)
        assume(c, EST_INPUT_NONE, "%s", c->e->model.assumptions[i]);
    if (!c->e->failed && n_before && c->e->n_notes > n_before) {
        size_t m = c->e->n_notes - n_before;
        rec_note *tmp = malloc(m * sizeof *tmp);
        if (!tmp) {
            c->e->failed = 1;
            return EST_OK;
        }
        memcpy(tmp, c->e->notes + n_before, m * sizeof *tmp);
        memmove(c->e->notes + m, c->e->notes, n_before * sizeof *tmp);
        memcpy(c->e->notes, tmp, m * sizeof *tmp);
        free(tmp);
    }
    return EST_OK;
}

/* ------------------------------------------------------ where it runs */

/* A cloud region sets the zone, the PUE and the WUE (each unless given) and
   implies the cloud platform; a platform alone sets the PUE when none is
   given. Writes the zone and PUE into o (the pipeline's own copy). */
static int where_it_runs(ctx *c, est_estimate_options *o)
{
    c->wue_l_per_kwh = EST_UNSET;
    if (o->platform != -1) {
        est_regions_platform p = (est_regions_platform)o->platform;
        if (est_regions_platform_default_pue(p) == EST_UNSET)
            return fail_input(c, EST_EINVAL, EST_INPUT_PLATFORM, "%s: unknown platform %d",
                              lbl(c, EST_INPUT_PLATFORM), o->platform);
        c->e->platform = o->platform;
    }
    if (o->cloud) {
        est_region g;
        est_error le;
        int rc;
        if (!o->regions)
            return fail_input(c, EST_EINVAL, EST_INPUT_CLOUD, "%s needs the regions table",
                              lbl(c, EST_INPUT_CLOUD));
        if (o->platform != -1 && o->platform != EST_REGIONS_PLATFORM_CLOUD)
            return fail_input(c, EST_EINVAL, EST_INPUT_CLOUD, "%s is a cloud region: it cannot "
                              "be combined with %s %s", lbl(c, EST_INPUT_CLOUD),
                              lbl(c, EST_INPUT_PLATFORM),
                              est_regions_platform_name((est_regions_platform)o->platform));
        rc = est_regions_lookup(&g, o->regions, o->cloud, &le);
        if (rc)
            return fail_lookup(c, &le, EST_INPUT_CLOUD);
        c->e->platform = EST_REGIONS_PLATFORM_CLOUD;
        input(c, EST_INPUT_CLOUD, EST_ESTIMATE_ORIGIN_GIVEN, EST_UNSET, "Cloud region", g.origin,
              "%s:%s (%s, %s), zone %s", g.provider, g.region, g.provider_name, g.location,
              g.zone);
        if (o->zone && est__strcasecmp_ascii(o->zone, g.zone) != 0)
            assume(c, EST_INPUT_ZONE, "%s %s replaces the region's zone %s", lbl(c, EST_INPUT_ZONE),
                   o->zone, g.zone);
        if (!o->zone) {
            est__strlcpy(c->zone_buf, g.zone, sizeof c->zone_buf);
            o->zone = c->zone_buf;
        }
        if (o->pue == EST_UNSET) {
            o->pue = g.pue;
            est__snprintf_c(c->pue_buf, sizeof c->pue_buf, "%s %s PUE: %s",
                            g.pue_is_region ? "the region's" : "the provider's",
                            g.provider_name, g.pue_is_region ? g.source : g.provider_source);
            c->pue_source = c->pue_buf;
            c->pue_origin = EST_ESTIMATE_ORIGIN_DERIVED;
        }
        if (g.wue_l_per_kwh != EST_UNSET) {
            c->wue_l_per_kwh = g.wue_l_per_kwh;
            est__snprintf_c(c->wue_source, sizeof c->wue_source, "%s WUE: %s",
                            g.provider_name, g.provider_source);
        }
    } else if (o->platform != -1 && o->pue == EST_UNSET) {
        est_regions_platform p = (est_regions_platform)o->platform;
        o->pue = est_regions_platform_default_pue(p);
        est__snprintf_c(c->pue_buf, sizeof c->pue_buf, "platform %s: %s", est_regions_platform_name(p),
                        p == EST_REGIONS_PLATFORM_LAPTOP || p == EST_REGIONS_PLATFORM_DESKTOP
                            ? "no data centre around it, PUE 1"
                            : "Uptime Institute Global Data Center Survey 2024 average (the "
                              "Green Algorithms v3.1 default)");
        c->pue_source = c->pue_buf;
        c->pue_origin = EST_ESTIMATE_ORIGIN_DEFAULT;
    }
    if (o->platform != -1 || o->cloud)
        input(c, EST_INPUT_PLATFORM, o->platform != -1 ? EST_ESTIMATE_ORIGIN_GIVEN : EST_ESTIMATE_ORIGIN_DERIVED,
              EST_UNSET, "Platform", o->platform != -1 ? lbl(c, EST_INPUT_PLATFORM)
                                                       : "the cloud region",
              "%s", est_regions_platform_name((est_regions_platform)c->e->platform));
    if (o->wue_l_per_kwh != EST_UNSET &&
        (!(o->wue_l_per_kwh >= 0.0) || o->wue_l_per_kwh > EST_WUE_MAX_L_PER_KWH))
        return fail_input(c, EST_ERANGE, EST_INPUT_WUE, "%s: %g l/kWh is outside 0..%g",
                          lbl(c, EST_INPUT_WUE), o->wue_l_per_kwh, EST_WUE_MAX_L_PER_KWH);
    return EST_OK;
}

/* The water footprint of the headline scope, and the embodied share. */
static int water_and_embodied(ctx *c)
{
    const est_estimate_options *o = c->o;
    const est_model_result *m = &c->e->model;
    est_water_inputs wi = EST_WATER_INPUTS_INIT;
    est_error we;
    int rc;
    wi.pue = c->e->used.pue;
    wi.it_energy_kwh = c->e->used.pue > 0.0 ? m->total.energy_kwh / c->e->used.pue : 0.0;
    if (o->wue_l_per_kwh != EST_UNSET) {
        wi.wue_l_per_kwh = o->wue_l_per_kwh;
        input(c, EST_INPUT_WUE, EST_ESTIMATE_ORIGIN_GIVEN, o->wue_l_per_kwh, "On-site WUE",
              lbl(c, EST_INPUT_WUE), "%g l/kWh", o->wue_l_per_kwh);
    } else if (c->wue_l_per_kwh != EST_UNSET) {
        wi.wue_l_per_kwh = c->wue_l_per_kwh;
        input(c, EST_INPUT_WUE, EST_ESTIMATE_ORIGIN_DERIVED, c->wue_l_per_kwh, "On-site WUE",
              c->wue_source, "%g l/kWh", c->wue_l_per_kwh);
    } else {
        input(c, EST_INPUT_WUE, EST_ESTIMATE_ORIGIN_DEFAULT, 0.0, "On-site WUE",
              "default: not known, 0 counted", "0 l/kWh");
    }
    c->e->offsite_l_per_kwh = EST_UNSET;
    if (c->e->ci_origin == EST_ESTIMATE_CI_LIVE && c->e->live_water_l_per_kwh != EST_UNSET) {
        wi.offsite_l_per_kwh = c->e->live_water_l_per_kwh;
        c->e->offsite_l_per_kwh = c->e->live_water_l_per_kwh;
        c->e->offsite_origin = EST_ESTIMATE_ORIGIN_LIVE;
    } else if (c->e->has_zone) {
        char from[EST_ZONE_CODE_MAX];
        double w;
        if (est_zones_water(&w, from, c->zones, &c->e->zone) == EST_OK) {
            wi.offsite_l_per_kwh = w;
            c->e->offsite_l_per_kwh = w;
            c->e->offsite_origin = EST_ESTIMATE_ORIGIN_ZONE;
            est__snprintf_c(c->e->offsite_source, sizeof c->e->offsite_source,
                            "zone %s's annual generation mix", from);
        }
    }
    rc = est_water_compute(&c->e->water, &wi, &we);
    if (rc) {
        if (c->err)
            *c->err = we;
        return rc;
    }
    c->e->headline_co2e_g = m->total.co2e_g;
    if (o->embodied) {
        est_embodied_inputs ei = EST_EMBODIED_INPUTS_INIT;
        if (c->e->platform != -1)
            ei.platform = (est_regions_platform)c->e->platform;
        ei.hours_held = c->e->used.runtime_h * (double)c->e->used.runs;
        if (c->e->used.cpu_cores > 0) {
            /* packages held: the cores used over the model's (one package
               without a model) */
            ei.cpu_count = c->e->has_cpu && c->e->cpu.cores > 0
                               ? (double)c->e->used.cpu_cores / (double)c->e->cpu.cores
                               : 1.0;
        }
        /* the CPU row's die area, else the platform's class default */
        if (c->e->has_cpu && c->e->cpu.die_area_cm2 > 0.0)
            ei.cpu_die_area_cm2 = c->e->cpu.die_area_cm2;
        ei.gpu_count = (double)c->e->used.gpu_count;
        /* the GPU row's die area, else the class default */
        if (c->e->has_gpu && c->e->gpu.die_area_cm2 > 0.0)
            ei.gpu_die_area_cm2 = c->e->gpu.die_area_cm2;
        ei.memory_gb = c->e->used.memory_gb;
        /* the server's other parts: the job's share of the node by cores
           when the node is described (node_cores), as ecoest jobs shares
           them; else the allocation is the node, all of it held */
        if (c->e->used.node_cores > 0 && c->e->used.cpu_cores > 0 &&
            c->e->used.cpu_cores <= c->e->used.node_cores)
            ei.server_frac = (double)c->e->used.cpu_cores / (double)c->e->used.node_cores;
        else if (c->e->used.node_gpus > 0 && c->e->used.gpu_count > 0 &&
                 c->e->used.gpu_count <= c->e->used.node_gpus)
            ei.server_frac = (double)c->e->used.gpu_count / (double)c->e->used.node_gpus;
        if (!(ei.hours_held > 0.0))
            return EST_OK;
        rc = est_embodied_compute(&c->e->embodied, o->embodied, &ei, &we);
        if (rc) {
            if (c->err) {
                *c->err = we;
                c->err->input = EST_INPUT_EMBODIED;
            }
            return rc;
        }
        c->e->has_embodied = 1;
        assume(c, EST_INPUT_EMBODIED, "Embodied share %.4g g CO2e (%s platform, %.3g years at "
               "%.0f%% active use: %.3g of the hardware's life): %s the headline total",
               c->e->embodied.total_g, est_regions_platform_name(ei.platform),
               c->e->embodied.lifetime_years, c->e->embodied.active_frac * 100.0,
               c->e->embodied.share_frac, o->include_embodied ? "added to" : "not in");
        {
            const char *whole = ei.platform == EST_REGIONS_PLATFORM_LAPTOP    ? "laptop"
                                : ei.platform == EST_REGIONS_PLATFORM_DESKTOP ? "computer"
                                                                              : "server";
            int by_cores = c->e->used.node_cores > 0 && c->e->used.cpu_cores > 0;
            if (ei.server_frac != EST_UNSET)
                assume(c, EST_INPUT_EMBODIED, "Rest of the %s (embodied share): %u of the "
                       "node's %u %s held, %.4g of its other parts", whole,
                       by_cores ? c->e->used.cpu_cores : c->e->used.gpu_count,
                       by_cores ? c->e->used.node_cores : c->e->used.node_gpus,
                       by_cores ? "cores" : "GPUs", ei.server_frac);
            else
                assume(c, EST_INPUT_EMBODIED, "Rest of the %s (embodied share): all of it held "
                       "(the node's cores not given)", whole);
        }
        if (ei.cpu_count > 0.0 && c->e->embodied.cpu_die_area_origin == EST_EMBODIED_DIE_GIVEN)
            assume(c, EST_INPUT_EMBODIED, "CPU die area %g cm2 (embodied share): hwdb row %s",
                   c->e->embodied.cpu_die_area_cm2, c->e->cpu.origin);
        else if (ei.cpu_count > 0.0)
            assume(c, EST_INPUT_EMBODIED, "CPU die area %g cm2 (embodied share): class default "
                   "for the %s platform (%s)", c->e->embodied.cpu_die_area_cm2,
                   est_regions_platform_name(ei.platform),
                   c->e->has_cpu ? "its hwdb row gives none" : "no CPU model");
        if (ei.gpu_count > 0.0 && c->e->embodied.gpu_die_area_origin == EST_EMBODIED_DIE_GIVEN)
            assume(c, EST_INPUT_EMBODIED, "GPU die area %g cm2 (embodied share): hwdb row %s",
                   c->e->embodied.gpu_die_area_cm2, c->e->gpu.origin);
        else if (ei.gpu_count > 0.0)
            assume(c, EST_INPUT_EMBODIED, "GPU die area %g cm2 (embodied share): class default "
                   "(%s)", c->e->embodied.gpu_die_area_cm2,
                   c->e->has_gpu ? "its hwdb row gives none" : "no GPU model");
        if (o->include_embodied)
            c->e->headline_co2e_g += c->e->embodied.total_g;
    }
    return EST_OK;
}

/* ------------------------------------------------------------ the run */

static int check_options(const est_estimate_options *o, est_error *err)
{
    if (!o || o->version < 1 || o->version > EST_ESTIMATE_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "estimate options version %u is not supported "
                         "(1..%u)", o ? o->version : 0u, (unsigned)EST_ESTIMATE_OPTIONS_VERSION);
    if (o->scope != EST_MODEL_SCOPE_PROCESS && o->scope != EST_MODEL_SCOPE_ALLOCATION &&
        !(o->version >= 2 && o->scope == EST_MODEL_SCOPE_NODE))
        return est__fail(err, EST_EINVAL, "scope: unknown scope %d", (int)o->scope);
    return EST_OK;
}

/* The CPU power curve's row: the three fractions as given, or (all three
   EST_UNSET) the row of the options' curve table for the resolved CPU: the
   database's model name, else the name given, else the default row. */
static int cpu_curve(ctx *c)
{
    const est_estimate_options *o = c->o;
    est_model_inputs *in = &c->in;
    const char *src = o->cpu_curve_source;
    est_estimate_origin origin = EST_ESTIMATE_ORIGIN_GIVEN;
    int n_given = (o->cpu_idle_frac != EST_UNSET) + (o->cpu_max_frac != EST_UNSET) +
                  (o->cpu_curve_exponent != EST_UNSET);
    if (n_given == 3) {
        in->cpu_idle_frac = o->cpu_idle_frac;
        in->cpu_max_frac = o->cpu_max_frac;
        in->cpu_curve_exponent = o->cpu_curve_exponent;
    } else if (n_given == 0 && o->cpu_curves) {
        const est_power_curve *row;
        const char *name = c->e->has_cpu ? c->e->cpu.model : o->cpu;
        int rc = est_power_curves_find(&row, o->cpu_curves, name);
        if (rc)
            return fail_input(c, rc, EST_INPUT_CPU_POWER_MODEL, "%s curve: the curve table "
                              "has no row for \"%s\"", lbl(c, EST_INPUT_CPU_POWER_MODEL),
                              name ? name : "");
        c->e->has_curve = 1;
        c->e->curve = *row;
        in->cpu_idle_frac = row->idle_frac;
        in->cpu_max_frac = row->max_frac;
        in->cpu_curve_exponent = row->exponent;
        src = c->e->curve.citation;
        origin = EST_ESTIMATE_ORIGIN_CURVES;
    } else {
        return fail_input(c, EST_EINVAL, EST_INPUT_CPU_POWER_MODEL, "%s curve needs the "
                          "curve's idle floor, full-load power and shape (all three), or a "
                          "curve table to take them from", lbl(c, EST_INPUT_CPU_POWER_MODEL));
    }
    input(c, EST_INPUT_CPU_POWER_MODEL, origin, EST_UNSET, "CPU power model",
          src ? src : lbl(c, EST_INPUT_CPU_POWER_MODEL),
          "curve: idle %g, full load %g of the TDP, r %g", in->cpu_idle_frac, in->cpu_max_frac,
          in->cpu_curve_exponent);
    if (c->in.cpu_cores)
        assume(c, EST_INPUT_CPU_POWER_MODEL, "CPU power model curve: each core draws an "
               "idle floor of %g x its TDP plus (%g - %g) x f(usage), f(u) = 2u - u^%g "
               "(Fan et al. 2007); the process scope leaves the floor out, the allocation "
               "scope counts the job's cores' floor, the node scope every core's (%s)",
               in->cpu_idle_frac, in->cpu_max_frac, in->cpu_idle_frac, in->cpu_curve_exponent,
               src ? src : "given");
    return EST_OK;
}

/* Version 2's inputs to the model, each recorded when given (or, for the
   node, when the node scope is the headline). */
static int node_and_measured(ctx *c)
{
    const est_estimate_options *o = c->o;
    est_model_inputs *in = &c->in;
    in->node_cores = o->node_cores;
    in->node_gpus = o->node_gpus;
    in->node_memory_gb = o->node_memory_gb;
    in->node_static_w = o->node_static_w;
    in->cpu_energy_kwh = o->cpu_energy_kwh;
    in->gpu_energy_kwh = o->gpu_energy_kwh;
    in->node_energy_kwh = o->node_energy_kwh;
    in->compare_kwh = o->compare_kwh;
    in->psu_efficiency = o->psu_efficiency;
    in->cpu_power_model = o->cpu_power_model;
    if (o->cpu_power_model == EST_MODEL_CPU_POWER_CURVE) {
        int rc = cpu_curve(c);
        if (rc)
            return rc;
    } else if (o->cpu_power_model != EST_MODEL_CPU_POWER_TDP) {
        return fail_input(c, EST_EINVAL, EST_INPUT_CPU_POWER_MODEL, "%s: unknown model %d",
                          lbl(c, EST_INPUT_CPU_POWER_MODEL), (int)o->cpu_power_model);
    }
    if (o->scope == EST_MODEL_SCOPE_NODE || o->node_cores)
        input(c, EST_INPUT_NODE_CORES, o->node_cores ? EST_ESTIMATE_ORIGIN_GIVEN : EST_ESTIMATE_ORIGIN_DEFAULT,
              (double)(o->node_cores ? o->node_cores : c->in.cpu_cores), "Node cores",
              o->node_cores ? lbl(c, EST_INPUT_NODE_CORES) : "default: the job's cores",
              "%u", o->node_cores ? o->node_cores : c->in.cpu_cores);
    if (o->scope == EST_MODEL_SCOPE_NODE || o->node_gpus)
        input(c, EST_INPUT_NODE_GPUS, o->node_gpus ? EST_ESTIMATE_ORIGIN_GIVEN : EST_ESTIMATE_ORIGIN_DEFAULT,
              (double)(o->node_gpus ? o->node_gpus : c->in.gpu_count), "Node GPUs",
              o->node_gpus ? lbl(c, EST_INPUT_NODE_GPUS) : "default: the job's GPUs", "%u",
              o->node_gpus ? o->node_gpus : c->in.gpu_count);
    if (o->node_gpus > c->in.gpu_count && c->in.gpu_idle_w == EST_UNSET)
        assume(c, EST_INPUT_NODE_GPUS, "The node's %u GPUs not used by the job count 0 W in "
               "the node scope: their idle power is not known (give %s, or %s MODEL)",
               o->node_gpus - c->in.gpu_count, lbl(c, EST_INPUT_GPU_IDLE),
               lbl(c, EST_INPUT_GPU_MODEL));
    if (o->scope == EST_MODEL_SCOPE_NODE || o->node_memory_gb != EST_UNSET) {
        double gb = o->node_memory_gb != EST_UNSET ? o->node_memory_gb : c->in.memory_gb;
        input(c, EST_INPUT_NODE_MEMORY, o->node_memory_gb != EST_UNSET ? EST_ESTIMATE_ORIGIN_GIVEN
                                                                        : EST_ESTIMATE_ORIGIN_DEFAULT,
              gb, "Node memory", o->node_memory_gb != EST_UNSET ? lbl(c, EST_INPUT_NODE_MEMORY)
                                                                : "default: the job's memory",
              "%g GB", gb);
    }
    if (o->scope == EST_MODEL_SCOPE_NODE || o->node_static_w != EST_UNSET) {
        double w = o->node_static_w != EST_UNSET ? o->node_static_w : EST_DEFAULT_NODE_STATIC_W;
        input(c, EST_INPUT_NODE_STATIC, o->node_static_w != EST_UNSET ? EST_ESTIMATE_ORIGIN_GIVEN
                                                                       : EST_ESTIMATE_ORIGIN_DEFAULT,
              w, "Node static power", o->node_static_w != EST_UNSET
                  ? lbl(c, EST_INPUT_NODE_STATIC)
                  : "default: low end of 20-45 W on Grid'5000 (Lemmers and Lefevre, as "
                    "quoted in issue 11; not verified at the paper)",
              "%g W", w);
    }
    if (o->cpu_energy_kwh != EST_UNSET) {
        if (o->cpu_usage_frac != EST_UNSET)
            return fail_input(c, EST_EINVAL, EST_INPUT_CPU_ENERGY, "%s is a measurement: it "
                              "cannot be combined with %s", lbl(c, EST_INPUT_CPU_ENERGY),
                              lbl(c, EST_INPUT_CPU_USAGE));
        input(c, EST_INPUT_CPU_ENERGY, EST_ESTIMATE_ORIGIN_MEASURED, o->cpu_energy_kwh, "CPU energy",
              lbl(c, EST_INPUT_CPU_ENERGY), "%g kWh per run (measured: replaces the CPU "
              "estimate)", o->cpu_energy_kwh);
    }
    if (o->gpu_energy_kwh != EST_UNSET) {
        if (o->gpu_usage_frac != EST_UNSET || o->gpu_power_w != EST_UNSET)
            return fail_input(c, EST_EINVAL, EST_INPUT_GPU_ENERGY, "%s is a measurement: it "
                              "cannot be combined with %s", lbl(c, EST_INPUT_GPU_ENERGY),
                              o->gpu_power_w != EST_UNSET ? lbl(c, EST_INPUT_GPU_POWER)
                                                          : lbl(c, EST_INPUT_GPU_USAGE));
        if (!c->in.gpu_count)
            return fail_input(c, EST_EINVAL, EST_INPUT_GPU_ENERGY, "%s needs %s (or %s)",
                              lbl(c, EST_INPUT_GPU_ENERGY), lbl(c, EST_INPUT_GPU_MODEL),
                              lbl(c, EST_INPUT_GPU_TDP));
        input(c, EST_INPUT_GPU_ENERGY, EST_ESTIMATE_ORIGIN_MEASURED, o->gpu_energy_kwh, "GPU energy",
              lbl(c, EST_INPUT_GPU_ENERGY), "%g kWh per run, all the job's GPUs (measured: "
              "replaces the GPU estimate)", o->gpu_energy_kwh);
    }
    if (o->node_energy_kwh != EST_UNSET) {
        input(c, EST_INPUT_NODE_ENERGY, EST_ESTIMATE_ORIGIN_MEASURED, o->node_energy_kwh, "Node energy",
              lbl(c, EST_INPUT_NODE_ENERGY), "%g kWh per run (measured: replaces the node "
              "scope's estimate)", o->node_energy_kwh);
    } else if (o->samples && c->sres.node_power_w.present && c->in.runtime_h > 0.0) {
        /* the log's node power: measured first, over the job's window */
        in->node_energy_kwh = c->sres.node_power_w.mean * c->in.runtime_h / 1000.0;
        input(c, EST_INPUT_NODE_ENERGY, EST_ESTIMATE_ORIGIN_LOG, in->node_energy_kwh, "Node energy",
              c->slabel, "%.6g kWh (the log's mean node power, %.4g W, over the window: "
              "replaces the node scope's estimate)", in->node_energy_kwh,
              c->sres.node_power_w.mean);
    }
    if (o->compare_kwh != EST_UNSET) {
        input(c, EST_INPUT_COMPARE, EST_ESTIMATE_ORIGIN_MEASURED, o->compare_kwh, "Meter reading",
              lbl(c, EST_INPUT_COMPARE), "%g kWh for the whole job", o->compare_kwh);
        assume(c, EST_INPUT_COMPARE, "Meter comparison: each scope's energy is taken before "
               "PUE (a meter on the node sees no facility overhead)%s",
               o->psu_efficiency == EST_UNSET ? ""
               : o->node_energy_kwh != EST_UNSET || in->node_energy_kwh != EST_UNSET
                   ? "; the node's energy is measured, so it is not divided by the power "
                     "supply's efficiency (a meter already saw it)"
                   : ", and the node scope's is divided by the power supply's efficiency "
                     "(an AC meter)");
    }
    if (o->psu_efficiency != EST_UNSET) {
        if (o->compare_kwh == EST_UNSET)
            return fail_input(c, EST_EINVAL, EST_INPUT_PSU_EFFICIENCY, "%s is used only to "
                              "compare the node scope with an AC meter: give %s too",
                              lbl(c, EST_INPUT_PSU_EFFICIENCY), lbl(c, EST_INPUT_COMPARE));
        input(c, EST_INPUT_PSU_EFFICIENCY, EST_ESTIMATE_ORIGIN_GIVEN, o->psu_efficiency,
              "PSU efficiency", lbl(c, EST_INPUT_PSU_EFFICIENCY), "%g", o->psu_efficiency);
    }
    return EST_OK;
}

/* What the report accessors need beyond the model (est_estimate_power_source,
   est_estimate_cpu_package_tdp_w, est_estimate_measured_compare). */
static void keep_for_reports(ctx *c)
{
    est_estimate *e = c->e;
    e->cpu_tdp_given_w = c->o->cpu_tdp_w;
    e->gpu_power_given = c->o->gpu_power_w != EST_UNSET;
    e->has_samples = c->o->samples != NULL;
    e->gpu_power_label = dup_str(lbl(c, EST_INPUT_GPU_POWER));
    if (!e->gpu_power_label)
        e->failed = 1;
    if (c->o->samples) {
        /* the integration as the pipeline left it (the GPUs' idle from db) */
        e->sres = calloc(1, sizeof *e->sres);
        if (!e->sres || est_samples_compute(e->sres, c->o->samples, NULL) != EST_OK)
            e->failed = 1;
    }
}

int est_estimate_run(est_estimate **out, const est_estimate_options *opts, const est_hwdb *db,
                     const est_zones *zones, est_error *err)
{
    est_estimate_options dflt = EST_ESTIMATE_OPTIONS_INIT, full = EST_ESTIMATE_OPTIONS_INIT;
    est_model_inputs in0 = EST_MODEL_INPUTS_INIT;
    ctx c;
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_estimate_run: NULL argument");
    *out = NULL;
    if (!opts)
        opts = &dflt;
    if ((rc = check_options(opts, err)) != 0)
        return rc;
    /* an older struct ends before the fields its version lacks: those keep
       their defaults. The copy is the pipeline's own (where the job runs
       may fill in the zone and the PUE). */
    memcpy(&full, opts, opts->version == 1 ? offsetof(est_estimate_options, cpu_power_model)
                        : opts->version == 2 ? offsetof(est_estimate_options, platform)
                        : opts->version == 3 ? offsetof(est_estimate_options, cpu_curves)
                                             : sizeof full);
    full.version = EST_ESTIMATE_OPTIONS_VERSION;
    opts = &full;
    memset(&c, 0, sizeof c);
    c.o = opts;
    c.db = db;
    c.zones = zones;
    c.err = err;
    c.in = in0;
    c.slabel = opts->samples_label ? opts->samples_label : "sample log";
    c.e = calloc(1, sizeof *c.e);
    if (!c.e)
        return est__fail(err, EST_ENOMEM, "out of memory");
    c.in.scope = opts->scope;
    c.e->platform = -1;
    c.e->live_water_l_per_kwh = EST_UNSET;
    if ((rc = where_it_runs(&c, &full)) != 0 || (rc = check_bounds(&c)) != 0)
        goto fail;
    if (opts->memory_w_per_gb != EST_UNSET)
        c.in.memory_w_per_gb = opts->memory_w_per_gb;
    if (opts->pue != EST_UNSET)
        c.in.pue = opts->pue;
    if (opts->samples) {
        est_error se;
        rc = est_samples_compute(&c.sres, opts->samples, &se);
        if (rc) {
            if (err)
                *err = se;
            goto fail;
        }
        samples_gpu_idle(&c);
    }
    rc = resolve_cpu(&c);
    if (!rc)
        cpu_usage(&c);
    if (!rc && !(opts->samples && samples_has_gpu_power(&c.sres)))
        rc = resolve_gpu(&c);
    if (!rc && opts->samples) {
        if (!(rc = samples_cpu(&c)))
            samples_memory(&c);
        if (!rc)
            rc = samples_gpus(&c);
        if (!rc)
            rc = samples_window(&c);
    }
    if (!rc)
        rc = resolve_carbon(&c);
    if (!rc && !opts->samples)
        rc = manual_runtime(&c);
    if (!rc)
        rc = node_and_measured(&c);
    if (rc)
        goto fail;
    if (!c.in.cpu_cores && c.in.cpu_power_w == EST_UNSET)
        assume(&c, EST_INPUT_CPU_MODEL, "No CPU counted: give %s MODEL, or %s with %s (Green "
               "Algorithms always counts one)", lbl(&c, EST_INPUT_CPU_MODEL),
               lbl(&c, EST_INPUT_CPU_TDP), lbl(&c, EST_INPUT_CPU_CORES));
    input(&c, EST_INPUT_MEMORY_W_PER_GB, opts->memory_w_per_gb != EST_UNSET ? EST_ESTIMATE_ORIGIN_GIVEN
                                                                          : EST_ESTIMATE_ORIGIN_DEFAULT,
          opts->memory_w_per_gb != EST_UNSET ? opts->memory_w_per_gb : EST_DEFAULT_MEMORY_W_PER_GB,
          "Memory power", opts->memory_w_per_gb != EST_UNSET
                              ? (opts->memory_w_per_gb_source ? opts->memory_w_per_gb_source
                                                              : lbl(&c, EST_INPUT_MEMORY_W_PER_GB))
                              : "default (Green Algorithms)",
          "%g W/GB", opts->memory_w_per_gb != EST_UNSET ? opts->memory_w_per_gb
                                                        : EST_DEFAULT_MEMORY_W_PER_GB);
    input(&c, EST_INPUT_PUE, c.pue_source ? c.pue_origin : opts->pue != EST_UNSET
                                                               ? EST_ESTIMATE_ORIGIN_GIVEN
                                                               : EST_ESTIMATE_ORIGIN_DEFAULT,
          opts->pue != EST_UNSET ? opts->pue : EST_DEFAULT_PUE, "PUE",
          c.pue_source ? c.pue_source
          : opts->pue != EST_UNSET ? lbl(&c, EST_INPUT_PUE)
                                   : "default (Uptime Institute 2019 survey, the Green Algorithms "
                                     "paper's value)",
          "%g", opts->pue != EST_UNSET ? opts->pue : EST_DEFAULT_PUE);
    rc = run_model(&c);
    if (!rc)
        rc = water_and_embodied(&c);
    if (!rc)
        keep_for_reports(&c);
    if (!rc && c.e->failed)
        rc = est__fail(err, EST_ENOMEM, "out of memory");
    if (rc)
        goto fail;
    *out = c.e;
    est_samples_result_dispose(&c.sres);
    return EST_OK;
fail:
    est_samples_result_dispose(&c.sres);
    est_estimate_free(c.e);
    return rc;
}

void est_estimate_free(est_estimate *e)
{
    size_t i;
    if (!e)
        return;
    for (i = 0; i < e->n_inputs; i++) {
        free(e->inputs[i].label);
        free(e->inputs[i].value_text);
        free(e->inputs[i].source);
    }
    for (i = 0; i < e->n_notes; i++)
        free(e->notes[i].text);
    free(e->inputs);
    free(e->notes);
    free(e->ci_source);
    free(e->gpu_power_label);
    est_samples_result_dispose(e->sres);
    free(e->sres);
    free(e);
}

const est_model_result *est_estimate_model(const est_estimate *e)
{
    return e ? &e->model : NULL;
}

const est_model_inputs *est_estimate_model_inputs(const est_estimate *e)
{
    return e ? &e->used : NULL;
}

size_t est_estimate_input_count(const est_estimate *e) { return e ? e->n_inputs : 0; }

int est_estimate_input(est_estimate_input_info *out, const est_estimate *e, size_t index)
{
    const rec_input *r;
    if (!e || !out || out->version < 1 || out->version > EST_ESTIMATE_INPUT_INFO_VERSION)
        return EST_EINVAL;
    if (index >= e->n_inputs)
        return EST_ERANGE;
    r = &e->inputs[index];
    out->id = r->id;
    out->origin = r->origin;
    out->value = r->value;
    out->label = r->label;
    out->value_text = r->value_text;
    out->source = r->source;
    return EST_OK;
}

size_t est_estimate_note_count(const est_estimate *e) { return e ? e->n_notes : 0; }

int est_estimate_note(est_estimate_note_info *out, const est_estimate *e, size_t index)
{
    if (!e || !out || out->version < 1 || out->version > EST_ESTIMATE_NOTE_INFO_VERSION)
        return EST_EINVAL;
    if (index >= e->n_notes)
        return EST_ERANGE;
    out->kind = e->notes[index].kind;
    out->input = e->notes[index].input;
    out->text = e->notes[index].text;
    return EST_OK;
}

int est_estimate_cpu_entry(est_hwdb_entry *out, const est_estimate *e)
{
    if (!e || !out || !e->has_cpu)
        return 0;
    *out = e->cpu;
    return 1;
}

int est_estimate_gpu_entry(est_hwdb_entry *out, const est_estimate *e)
{
    if (!e || !out || !e->has_gpu)
        return 0;
    *out = e->gpu;
    return 1;
}

int est_estimate_zone(est_zone *out, const est_estimate *e)
{
    if (!e || !out || !e->has_zone)
        return 0;
    *out = e->zone;
    return 1;
}

est_estimate_ci_from est_estimate_ci_origin(const est_estimate *e)
{
    return e ? e->ci_origin : EST_ESTIMATE_CI_GIVEN;
}

const char *est_estimate_ci_source(const est_estimate *e)
{
    return e && e->ci_source ? e->ci_source : "";
}

int est_estimate_ci_weighted(est_intensity_weighted *out, const est_estimate *e)
{
    if (!e || !out || !e->has_weighted)
        return 0;
    *out = e->weighted;
    return 1;
}

int est_estimate_ci_stats(est_intensity_stats *out, const est_estimate *e)
{
    if (!e || !out || !e->has_stats)
        return 0;
    *out = e->stats;
    return 1;
}

static int window_fail(est_error *err, est_input_id id, const char *fmt, ...) EST_PRINTF(3, 4);

static int window_fail(est_error *err, est_input_id id, const char *fmt, ...)
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

int est_estimate_window_resolve(double *start_unix_s, double *end_unix_s, double *runtime_s,
                       double now_unix_s, int *has_window_out, est_error *err)
{
    double s, e, r;
    int has_s, has_e, has_r, has_window = 1;
    if (!start_unix_s || !end_unix_s || !runtime_s)
        return est__fail(err, EST_EINVAL, "est_estimate_window_resolve: NULL argument");
    s = *start_unix_s;
    e = *end_unix_s;
    r = *runtime_s;
    has_s = s != EST_UNSET;
    has_e = e != EST_UNSET;
    has_r = r != EST_UNSET;
    if ((has_s && !isfinite(s)) || (has_e && !isfinite(e)) || !isfinite(now_unix_s))
        return window_fail(err, EST_INPUT_WINDOW, "window: a time is not finite");
    if (has_r && !(r > 0.0 && isfinite(r)))
        return window_fail(err, EST_INPUT_RUNTIME, "runtime: must be a finite number of "
                           "seconds greater than 0, got %g", r);
    if (has_s && has_e) {
        if (!(e > s))
            return window_fail(err, EST_INPUT_WINDOW, "the end of the window must be after "
                               "its start");
        if (has_r && fabs((e - s) - r) > 60.0)
            return window_fail(err, EST_INPUT_WINDOW, "the start and end span %g h but the "
                               "runtime is %g h: give one or the other", (e - s) / 3600.0,
                               r / 3600.0);
    } else if (has_s) {
        e = has_r ? s + r : now_unix_s;
        if (!(e > s))
            return window_fail(err, EST_INPUT_WINDOW, "the start is in the future: give the "
                               "end or a runtime");
    } else if (has_e) {
        if (!has_r)
            return window_fail(err, EST_INPUT_WINDOW, "an end needs a start or a runtime");
        s = e - r;
    } else if (has_r) {
        e = now_unix_s;
        s = now_unix_s - r;
        has_window = 0;
    } else {
        return window_fail(err, EST_INPUT_RUNTIME, "missing runtime: give a runtime, or a "
                           "start (and an end)");
    }
    *start_unix_s = s;
    *end_unix_s = e;
    *runtime_s = has_r ? r : e - s;
    if (has_window_out)
        *has_window_out = has_window;
    return EST_OK;
}

int est_estimate_water_origin(const est_estimate *e, const char **source)
{
    if (source)
        *source = e && e->offsite_origin ? e->offsite_source : NULL;
    return e ? e->offsite_origin : 0;
}

int est_estimate_water(est_water_result *out, double *offsite_l_per_kwh, const est_estimate *e)
{
    if (!e || !out)
        return 0;
    *out = e->water;
    if (offsite_l_per_kwh)
        *offsite_l_per_kwh = e->offsite_l_per_kwh;
    return 1;
}

int est_estimate_embodied(est_embodied_result *out, const est_estimate *e)
{
    if (!e || !out || !e->has_embodied)
        return 0;
    *out = e->embodied;
    return 1;
}

double est_estimate_headline_co2e_g(const est_estimate *e)
{
    return e ? e->headline_co2e_g : 0.0;
}

int est_estimate_platform(const est_estimate *e) { return e ? e->platform : -1; }

const est_power_curve *est_estimate_cpu_curve(const est_estimate *e)
{
    return e && e->has_curve ? &e->curve : NULL;
}

/* ---------------------------------------------------- report accessors */

est_model_basis est_estimate_basis(const est_estimate *e, est_model_scope scope)
{
    return e ? est_model_scope_basis(&e->model, &e->used, scope) : EST_MODEL_BASIS_ESTIMATED;
}

static int cpu_counted(const est_estimate *e)
{
    return e->used.cpu_cores > 0 || e->used.cpu_power_w != EST_UNSET;
}

double est_estimate_cpu_package_tdp_w(const est_estimate *e)
{
    if (!e || !cpu_counted(e))
        return EST_UNSET;
    if (e->has_cpu)
        return e->used.cpu_tdp_per_core_w * (double)e->cpu.cores;
    if (e->cpu_tdp_given_w != EST_UNSET)
        return e->cpu_tdp_given_w;
    return e->used.cpu_tdp_per_core_w * (double)e->used.cpu_cores;
}

static const char *input_source(const est_estimate *e, const char *label)
{
    const char *src = NULL;
    size_t i;
    for (i = 0; i < e->n_inputs; i++) /* the last one recorded, as a report lists them */
        if (strcmp(e->inputs[i].label, label) == 0)
            src = e->inputs[i].source;
    return src;
}

const char *est_estimate_power_source(const est_estimate *e, int gpu)
{
    const char *src;
    if (!e)
        return NULL;
    if (!gpu) {
        if (!cpu_counted(e))
            return NULL;
        src = input_source(e, "CPU TDP");
        return src && *src ? src : "sample log (measured power)";
    }
    if (e->used.gpu_count == 0)
        return NULL;
    if (e->has_samples && e->used.gpu_power_w != EST_UNSET && !e->gpu_power_given)
        return "sample log (measured power)";
    src = input_source(e, "GPU TDP");
    return src && *src ? src : e->gpu_power_label;
}

int est_estimate_ga_inputs(est_model_ga_inputs *out, const est_estimate *e)
{
    const est_model_inputs *u;
    est_model_ga_inputs r;
    size_t i;
    if (!out || !e || out->version < 1 || out->version > EST_MODEL_GA_INPUTS_VERSION)
        return EST_EINVAL;
    u = &e->used;
    memset(&r, 0, sizeof r);
    r.version = out->version;
    r.runtime_h = u->runtime_h;
    r.cores = u->cpu_cores;
    r.core_usage_frac = u->cpu_usage_frac;
    for (i = 0; i < e->n_inputs; i++)
        if (e->inputs[i].id == EST_INPUT_CPU_USAGE) {
            r.core_usage_frac = e->inputs[i].value;
            r.core_usage_origin = (int)e->inputs[i].origin;
        }
    if (r.core_usage_frac > 1.0)
        r.core_usage_frac = 1.0;
    r.cpu_usage_power_w = (double)u->cpu_cores * u->cpu_tdp_per_core_w * r.core_usage_frac;
    r.cpu_measured_w = u->cpu_power_w;
    r.memory_gb = u->memory_gb > 0.0 ? u->memory_gb : 0.0;
    r.memory_form_gb = r.memory_gb > 0.0 ? ceil(r.memory_gb * 10.0) / 10.0 : 0.0;
    r.gpus = u->gpu_count;
    r.gpu_power_w = u->gpu_count ? u->gpu_power_w : EST_UNSET;
    r.gpu_tdp_w = u->gpu_count && u->gpu_tdp_w > 0.0 ? u->gpu_tdp_w : EST_UNSET;
    if (!u->gpu_count)
        r.gpu_usage_frac = EST_UNSET;
    else if (r.gpu_power_w != EST_UNSET)
        r.gpu_usage_frac = r.gpu_tdp_w != EST_UNSET ? r.gpu_power_w / r.gpu_tdp_w : EST_UNSET;
    else
        r.gpu_usage_frac = u->gpu_usage_frac;
    *out = r;
    return EST_OK;
}

static void measured_part(est_measured_part *p, double measured_kwh, double model_kwh)
{
    p->present = 1;
    p->measured_kwh = measured_kwh;
    p->model_kwh = model_kwh;
    p->ratio = model_kwh != EST_UNSET && measured_kwh > 0.0 ? model_kwh / measured_kwh
                                                            : EST_UNSET;
}

static int bad_figure(double v)
{
    return v != EST_UNSET && (!isfinite(v) || v < 0.0);
}

int est_estimate_measured_compare(est_measured_compare *out, const est_estimate *e,
                                  const est_measured_figures *in)
{
    est_measured_compare r;
    double cx = EST_UNSET, gm = 0.0, gx = 0.0;
    int any_gpu = 0, gpu_model_ok;
    size_t i;
    if (!out || !e || !in || out->version < 1 || out->version > EST_MEASURED_COMPARE_VERSION ||
        in->version < 1 || in->version > EST_MEASURED_FIGURES_VERSION ||
        !isfinite(in->cpu_s) || in->cpu_s < 0.0 || bad_figure(in->cpu_energy_kwh))
        return EST_EINVAL;
    memset(&r, 0, sizeof r);
    r.version = out->version;
    if (in->cpu_energy_kwh != EST_UNSET) {
        if (cpu_counted(e) && e->used.cpu_tdp_per_core_w >= 0.0)
            cx = in->cpu_s * e->used.cpu_tdp_per_core_w / 3.6e6;
        measured_part(&r.cpu, in->cpu_energy_kwh, cx);
    }
    gpu_model_ok = e->used.gpu_count > 0 && e->used.gpu_tdp_w > 0.0;
    for (i = 0; in->gpus && e->sres && i < e->sres->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(e->sres, i);
        if (!g->power_w.present)
            continue;
        any_gpu = 1;
        gm += g->energy_kwh;
        if (gpu_model_ok && g->usage_frac.present)
            gx += e->used.gpu_tdp_w * g->usage_frac.mean * g->power_w.covered_s / 3.6e6;
        else
            gpu_model_ok = 0;
    }
    if (any_gpu)
        measured_part(&r.gpu, gm, gpu_model_ok ? gx : EST_UNSET);
    if (r.cpu.present && r.gpu.present)
        measured_part(&r.cpu_gpu, r.cpu.measured_kwh + gm,
                      cx != EST_UNSET && gpu_model_ok ? cx + gx : EST_UNSET);
    *out = r;
    return r.cpu.present || r.gpu.present;
}
