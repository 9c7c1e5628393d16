/* The water footprint and the per-source water factors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/water.h"
#include "csv.h"
#include "internal.h"
#include "text.h"

static int bad_number(double v, double max, int unset_ok)
{
    if (!isfinite(v))
        return 1;
    if (unset_ok && v == EST_UNSET)
        return 0;
    return v < 0.0 || v > max;
}

int est_water_compute(est_water_result *out, const est_water_inputs *in, est_error *err)
{
    double wue;
    if (!out || !in)
        return est__fail(err, EST_EINVAL, "est_water_compute: NULL argument");
    memset(out, 0, sizeof *out);
    if (in->version < 1 || in->version > EST_WATER_INPUTS_VERSION)
        return est__fail(err, EST_EINVAL, "est_water_compute: unknown inputs version %u",
                         in->version);
    if (bad_number(in->it_energy_kwh, HUGE_VAL, 0) || !isfinite(in->it_energy_kwh))
        return est__fail(err, EST_EINVAL, "it_energy_kwh: expected a finite number >= 0");
    if (!isfinite(in->pue) || in->pue < 1.0)
        return est__fail(err, EST_EINVAL, "pue: expected a finite number >= 1");
    if (bad_number(in->wue_l_per_kwh, EST_WUE_MAX_L_PER_KWH, 1))
        return est__fail(err, EST_EINVAL, "wue_l_per_kwh: expected a number of litres per "
                         "kWh from 0 to %g", EST_WUE_MAX_L_PER_KWH);
    if (bad_number(in->offsite_l_per_kwh, EST_WATER_MAX_L_PER_KWH, 1))
        return est__fail(err, EST_EINVAL, "offsite_l_per_kwh: expected a number of litres "
                         "per kWh from 0 to %g", EST_WATER_MAX_L_PER_KWH);
    wue = in->wue_l_per_kwh == EST_UNSET ? 0.0 : in->wue_l_per_kwh;
    out->wue_l_per_kwh = wue;
    out->onsite_l = in->it_energy_kwh * wue;
    if (in->offsite_l_per_kwh == EST_UNSET) {
        out->offsite_l = EST_UNSET;
        out->water_l = EST_UNSET;
    } else {
        out->offsite_l = in->it_energy_kwh * in->pue * in->offsite_l_per_kwh;
        out->water_l = out->onsite_l + out->offsite_l;
    }
    if (!isfinite(out->onsite_l) || !isfinite(out->offsite_l) || !isfinite(out->water_l)) {
        memset(out, 0, sizeof *out);
        return est__fail(err, EST_ERANGE, "the water footprint overflows a double");
    }
    return EST_OK;
}

/* ---- factors ---- */

static const char *const water_types[] = {"nuclear", "wind",    "solar", "hydro", "geothermal",
                                          "biomass", "gas",     "coal",  "oil",   "unknown"};
#define N_TYPES (sizeof water_types / sizeof water_types[0])
#define WF_NCOLS 4
static const char *const wf_cols[WF_NCOLS] = {"source_type", "water_l_per_kwh", "scope",
                                              "source"};

struct est_water_factors {
    est_water_factor f[N_TYPES];
    size_t n;
};

static int wf_fail(est_error *err, const char *file, unsigned long line, unsigned col,
                   const char *what, const char *val, size_t len)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, val, len);
    return est__fail_at(err, EST_EPARSE, file, line, col, wf_cols[col - 1], "%s, got \"%s\"",
                        what, ex);
}

static int wf_row(est_water_factors *w, const est__csv_record *rec, const char *path,
                  est_error *err)
{
    est_water_factor *f = &w->f[w->n];
    size_t k, at;
    double v;
    const char *bad;
    for (k = 0; k < N_TYPES; k++)
        if (strcmp(rec->field[0], water_types[k]) == 0)
            break;
    if (k == N_TYPES)
        return wf_fail(err, path, rec->line, 1, "expected nuclear, wind, solar, hydro, "
                       "geothermal, biomass, gas, coal, oil or unknown", rec->field[0],
                       rec->len[0]);
    if (est_water_factors_find(w, rec->field[0]))
        return wf_fail(err, path, rec->line, 1, "expected each source type once",
                       rec->field[0], rec->len[0]);
    if (est_parse_double(&v, rec->field[1], rec->len[1]) || v < 0.0 || v > EST_WATER_MAX_L_PER_KWH)
        return wf_fail(err, path, rec->line, 2, "expected a number of litres per kWh from 0 "
                       "to 1000", rec->field[1], rec->len[1]);
    if (strcmp(rec->field[2], "operational") != 0 && strcmp(rec->field[2], "lifecycle") != 0)
        return wf_fail(err, path, rec->line, 3, "expected operational or lifecycle",
                       rec->field[2], rec->len[2]);
    if (w->n && strcmp(rec->field[2], w->f[0].scope) != 0)
        return wf_fail(err, path, rec->line, 3, "expected the scope of every other row",
                       rec->field[2], rec->len[2]);
    if (rec->len[3] == 0 || rec->len[3] >= sizeof f->source)
        return wf_fail(err, path, rec->line, 4, "expected the source of the factor (1 to "
                       "1023 bytes)", rec->field[3], rec->len[3]);
    if ((bad = est__text_problem(rec->field[3], rec->len[3], &at)) != NULL)
        return wf_fail(err, path, rec->line, 4, bad, rec->field[3], rec->len[3]);
    memset(f, 0, sizeof *f);
    est__strlcpy(f->source_type, rec->field[0], sizeof f->source_type);
    f->water_l_per_kwh = v;
    est__strlcpy(f->scope, rec->field[2], sizeof f->scope);
    memcpy(f->source, rec->field[3], rec->len[3]);
    snprintf(f->origin, sizeof f->origin, "%s:%lu", path, rec->line);
    w->n++;
    return EST_OK;
}

static int wf_row_cb(void *user, const est__csv_record *rec, const char *path, est_error *err)
{
    return wf_row(user, rec, path, err);
}

int est_water_factors_open(est_water_factors **wf, const char *path, est_error *err)
{
    est_water_factors *w;
    size_t i;
    int rc;
    if (!wf || !path)
        return est__fail(err, EST_EINVAL, "est_water_factors_open: NULL argument");
    *wf = NULL;
    w = calloc(1, sizeof *w);
    if (!w)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = est__csv_table(path, 1u << 20, wf_cols, WF_NCOLS, wf_row_cb, w, err);
    for (i = 0; !rc && i < N_TYPES; i++)
        if (!est_water_factors_find(w, water_types[i]))
            rc = est__fail_at(err, EST_EPARSE, path, 0, 0, NULL,
                              "no row for the source type %s", water_types[i]);
    if (rc) {
        free(w);
        return rc;
    }
    *wf = w;
    return EST_OK;
}

void est_water_factors_free(est_water_factors *wf) { free(wf); }

size_t est_water_factors_count(const est_water_factors *wf) { return wf ? wf->n : 0; }

const est_water_factor *est_water_factors_at(const est_water_factors *wf, size_t index)
{
    return wf && index < wf->n ? &wf->f[index] : NULL;
}

const est_water_factor *est_water_factors_find(const est_water_factors *wf,
                                               const char *source_type)
{
    size_t i;
    if (!wf || !source_type)
        return NULL;
    for (i = 0; i < wf->n; i++)
        if (strcmp(wf->f[i].source_type, source_type) == 0)
            return &wf->f[i];
    return NULL;
}

int est_water_mix_intensity(double *out_l_per_kwh, const est_water_factors *wf,
                            const char *const *source_type, const double *mwh, size_t n,
                            est_error *err)
{
    double sum = 0.0, water = 0.0;
    size_t i;
    if (!out_l_per_kwh || !wf || (n && (!source_type || !mwh)))
        return est__fail(err, EST_EINVAL, "est_water_mix_intensity: NULL argument");
    for (i = 0; i < n; i++) {
        const est_water_factor *f = est_water_factors_find(wf, source_type[i]);
        char ex[64];
        if (!f)
            return est__fail(err, EST_EINVAL, "unknown source type \"%s\"",
                             source_type[i] ? est__excerpt_text(ex, sizeof ex, source_type[i],
                                                                strlen(source_type[i]))
                                            : "(null)");
        if (!isfinite(mwh[i]) || mwh[i] < 0.0)
            return est__fail(err, EST_EINVAL, "%s: expected an energy >= 0", source_type[i]);
        sum += mwh[i];
        water += mwh[i] * f->water_l_per_kwh;
    }
    if (!(sum > 0.0))
        return est__fail(err, EST_ENODATA, "the mix holds no energy");
    *out_l_per_kwh = water / sum;
    return EST_OK;
}
