/* The embodied share: manufacturing emissions of the hardware a job holds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/embodied.h"
#include "csv.h"
#include "internal.h"
#include "text.h"

static const char *const keys[] = {
    "cpu_die_g_co2e_per_cm2",   "cpu_base_g_co2e",           "cpu_die_area_server_default_cm2",
    "gpu_die_g_co2e_per_cm2",   "gpu_base_g_co2e",           "gpu_die_area_default_cm2",
    "ram_die_g_co2e_per_cm2",   "ram_base_g_co2e_per_strip", "ram_density_gb_per_cm2",
    "ram_strip_gb",             "server_rest_g_co2e",        "laptop_rest_g_co2e",
    "desktop_rest_g_co2e",      "lifetime_local_server_years", "lifetime_cloud_server_years",
    "lifetime_laptop_years",    "lifetime_desktop_years",    "active_frac_local_server",
    "active_frac_cloud_server", "active_frac_laptop",        "active_frac_desktop",
    "cpu_die_area_personal_default_cm2"};
#define N_KEYS (sizeof keys / sizeof keys[0])
enum {
    K_CPU_DIE, K_CPU_BASE, K_CPU_AREA, K_GPU_DIE, K_GPU_BASE, K_GPU_AREA, K_RAM_DIE, K_RAM_BASE,
    K_RAM_DENSITY, K_RAM_STRIP, K_SERVER_REST, K_LAPTOP_REST, K_DESKTOP_REST, K_LIFE_LOCAL,
    K_LIFE_CLOUD, K_LIFE_LAPTOP, K_LIFE_DESKTOP, K_ACT_LOCAL, K_ACT_CLOUD, K_ACT_LAPTOP,
    K_ACT_DESKTOP, K_CPU_AREA_PERSONAL
};

struct est_embodied_factors {
    double v[N_KEYS];
    int have[N_KEYS];
    char source[N_KEYS][1024];
};

static const char *const em_cols[3] = {"key", "value", "source"};

static int em_fail(est_error *err, const char *path, const est__csv_record *rec, unsigned col,
                   const char *what)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, rec->field[col - 1], rec->len[col - 1]);
    return est__fail_at(err, EST_EPARSE, path, rec->line, col, em_cols[col - 1],
                        "%s, got \"%s\"", what, ex);
}

static int em_row(est_embodied_factors *f, const est__csv_record *rec, const char *path,
                  est_error *err)
{
    size_t k, at;
    double v;
    for (k = 0; k < N_KEYS; k++)
        if (strcmp(rec->field[0], keys[k]) == 0)
            break;
    if (k == N_KEYS)
        return em_fail(err, path, rec, 1, "expected a key of docs/method.md's list");
    if (f->have[k])
        return em_fail(err, path, rec, 1, "expected each key once");
    if (est_parse_double(&v, rec->field[1], rec->len[1]) || !(v > 0.0) || v > 1e9 ||
        (strncmp(keys[k], "active_frac", 11) == 0 && v > 1.0))
        return em_fail(err, path, rec, 2, strncmp(keys[k], "active_frac", 11) == 0
                                              ? "expected a fraction above 0, at most 1"
                                              : "expected a number above 0");
    if (rec->len[2] == 0 || rec->len[2] >= sizeof f->source[0] ||
        est__text_problem(rec->field[2], rec->len[2], &at))
        return em_fail(err, path, rec, 3, "expected the source (printable UTF-8, 1 to 1023 "
                       "bytes)");
    f->v[k] = v;
    f->have[k] = 1;
    memcpy(f->source[k], rec->field[2], rec->len[2]);
    return EST_OK;
}

static int em_row_cb(void *user, const est__csv_record *rec, const char *path, est_error *err)
{
    return em_row(user, rec, path, err);
}

int est_embodied_factors_open(est_embodied_factors **out, const char *path, est_error *err)
{
    static const char *const cols[] = {"key", "value", "source"};
    est_embodied_factors *f;
    size_t i;
    int rc;
    if (!out || !path)
        return est__fail(err, EST_EINVAL, "est_embodied_factors_open: NULL argument");
    *out = NULL;
    f = calloc(1, sizeof *f);
    if (!f)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = est__csv_table(path, 1u << 20, cols, 3, em_row_cb, f, err);
    for (i = 0; !rc && i < N_KEYS; i++)
        if (!f->have[i])
            rc = est__fail_at(err, EST_EPARSE, path, 0, 0, NULL, "no row for the key %s",
                              keys[i]);
    if (rc) {
        free(f);
        return rc;
    }
    *out = f;
    return EST_OK;
}

void est_embodied_factors_free(est_embodied_factors *f) { free(f); }

int est_embodied_factor(double *value, const char **source, const est_embodied_factors *f,
                        const char *key)
{
    size_t k;
    if (!f || !key || !value)
        return EST_EINVAL;
    for (k = 0; k < N_KEYS; k++)
        if (strcmp(key, keys[k]) == 0) {
            *value = f->v[k];
            if (source)
                *source = f->source[k];
            return EST_OK;
        }
    return EST_ENOTFOUND;
}

const char *est_embodied_die_origin_name(est_embodied_die_origin origin)
{
    switch (origin) {
    case EST_EMBODIED_DIE_GIVEN: return "given";
    case EST_EMBODIED_DIE_CLASS_DEFAULT: return "class default";
    default: return "?";
    }
}

/* v is finite and >= 0 (or EST_UNSET when unset_ok) */
static int bad(double v, int unset_ok)
{
    if (unset_ok && v == EST_UNSET)
        return 0;
    return !isfinite(v) || v < 0.0;
}

int est_embodied_compute(est_embodied_result *out, const est_embodied_factors *f,
                         const est_embodied_inputs *in, est_error *err)
{
    const double *v;
    double life, act, rest, cpu_area, gpu_area, server_frac, cpu_class_area;
    if (!out || !f || !in)
        return est__fail(err, EST_EINVAL, "est_embodied_compute: NULL argument");
    memset(out, 0, sizeof *out);
    v = f->v;
    if (in->version < 1 || in->version > EST_EMBODIED_INPUTS_VERSION)
        return est__fail(err, EST_EINVAL, "est_embodied_compute: unknown inputs version %u",
                         in->version);
    switch (in->platform) {
    case EST_REGIONS_PLATFORM_LAPTOP:
        life = v[K_LIFE_LAPTOP], act = v[K_ACT_LAPTOP], rest = v[K_LAPTOP_REST];
        cpu_class_area = v[K_CPU_AREA_PERSONAL];
        break;
    case EST_REGIONS_PLATFORM_DESKTOP:
        life = v[K_LIFE_DESKTOP], act = v[K_ACT_DESKTOP], rest = v[K_DESKTOP_REST];
        cpu_class_area = v[K_CPU_AREA_PERSONAL];
        break;
    case EST_REGIONS_PLATFORM_LOCAL_SERVER:
        life = v[K_LIFE_LOCAL], act = v[K_ACT_LOCAL], rest = v[K_SERVER_REST];
        cpu_class_area = v[K_CPU_AREA];
        break;
    case EST_REGIONS_PLATFORM_CLOUD:
        life = v[K_LIFE_CLOUD], act = v[K_ACT_CLOUD], rest = v[K_SERVER_REST];
        cpu_class_area = v[K_CPU_AREA];
        break;
    default:
        return est__fail(err, EST_EINVAL, "platform: unknown platform %d", (int)in->platform);
    }
    if (!isfinite(in->hours_held) || !(in->hours_held > 0.0))
        return est__fail(err, EST_EINVAL, "hours_held: expected a finite number above 0");
    if (bad(in->cpu_count, 0) || bad(in->gpu_count, 0) || bad(in->memory_gb, 0))
        return est__fail(err, EST_EINVAL, "cpu_count, gpu_count, memory_gb: expected finite "
                         "numbers >= 0");
    if (bad(in->cpu_die_area_cm2, 1) || bad(in->gpu_die_area_cm2, 1))
        return est__fail(err, EST_EINVAL, "die areas: expected cm2 >= 0, or EST_UNSET");
    if (bad(in->server_frac, 1) || (in->server_frac != EST_UNSET && in->server_frac > 1.0))
        return est__fail(err, EST_EINVAL, "server_frac: expected 0..1");
    if (in->lifetime_years != EST_UNSET &&
        (!isfinite(in->lifetime_years) || !(in->lifetime_years > 0.0)))
        return est__fail(err, EST_EINVAL, "lifetime_years: expected a number above 0");
    if (in->active_frac != EST_UNSET &&
        (!isfinite(in->active_frac) || !(in->active_frac > 0.0) || in->active_frac > 1.0))
        return est__fail(err, EST_EINVAL, "active_frac: expected a fraction above 0, at "
                         "most 1");
    if (in->lifetime_years != EST_UNSET)
        life = in->lifetime_years;
    if (in->active_frac != EST_UNSET)
        act = in->active_frac;
    cpu_area = in->cpu_die_area_cm2 == EST_UNSET ? cpu_class_area : in->cpu_die_area_cm2;
    gpu_area = in->gpu_die_area_cm2 == EST_UNSET ? v[K_GPU_AREA] : in->gpu_die_area_cm2;
    server_frac = in->server_frac == EST_UNSET ? 1.0 : in->server_frac;

    out->platform = in->platform;
    out->lifetime_years = life;
    out->active_frac = act;
    out->cpu_die_area_cm2 = cpu_area;
    out->gpu_die_area_cm2 = gpu_area;
    out->cpu_die_area_origin = in->cpu_die_area_cm2 == EST_UNSET ? EST_EMBODIED_DIE_CLASS_DEFAULT
                                                                 : EST_EMBODIED_DIE_GIVEN;
    out->gpu_die_area_origin = in->gpu_die_area_cm2 == EST_UNSET ? EST_EMBODIED_DIE_CLASS_DEFAULT
                                                                 : EST_EMBODIED_DIE_GIVEN;
    out->share_frac = in->hours_held / (life * EST_HOURS_PER_YEAR * act);
    out->cpu_manufacturing_g = in->cpu_count * (cpu_area * v[K_CPU_DIE] + v[K_CPU_BASE]);
    out->gpu_manufacturing_g = in->gpu_count * (gpu_area * v[K_GPU_DIE] + v[K_GPU_BASE]);
    out->memory_manufacturing_g = in->memory_gb / v[K_RAM_DENSITY] * v[K_RAM_DIE] +
                                  in->memory_gb / v[K_RAM_STRIP] * v[K_RAM_BASE];
    out->rest_manufacturing_g = server_frac * rest;
    out->cpu_g = out->share_frac * out->cpu_manufacturing_g;
    out->gpu_g = out->share_frac * out->gpu_manufacturing_g;
    out->memory_g = out->share_frac * out->memory_manufacturing_g;
    out->rest_g = out->share_frac * out->rest_manufacturing_g;
    out->total_g = out->cpu_g + out->gpu_g + out->memory_g + out->rest_g;
    if (!isfinite(out->total_g)) {
        memset(out, 0, sizeof *out);
        return est__fail(err, EST_ERANGE, "the embodied share overflows a double");
    }
    return EST_OK;
}
