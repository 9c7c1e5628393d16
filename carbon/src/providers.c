/* Provider records to intensity points: RTE eco2mix and Electricity Maps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"


/* The production fields of an eco2mix record (MW) and their source types.
 * Left out: pompage (pumping, a consumption), stockage/destockage_batterie,
 * ech_* (exchanges). hydraulique already includes pumped-storage turbining. */
static const struct {
    const char *field;
    est_carbon_energy_source type;
} rte_fields[] = {
    {"nucleaire", EST_CARBON_SRC_NUCLEAR}, {"eolien", EST_CARBON_SRC_WIND},
    {"solaire", EST_CARBON_SRC_SOLAR},     {"hydraulique", EST_CARBON_SRC_HYDRO},
    {"gaz", EST_CARBON_SRC_GAS},           {"charbon", EST_CARBON_SRC_COAL},
    {"fioul", EST_CARBON_SRC_OIL},         {"bioenergies", EST_CARBON_SRC_BIOMASS},
};
#define RTE_NFIELDS (sizeof rte_fields / sizeof rte_fields[0])

/* A numeric field: 1 with *v, 0 when missing (absent, null, "ND", ""),
 * -1 for anything else. */
static int num_field(const cJSON *rec, const char *name, double *v)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, name);
    if (!f || cJSON_IsNull(f))
        return 0;
    if (cJSON_IsNumber(f)) {
        if (!isfinite(f->valuedouble))
            return -1;
        *v = f->valuedouble;
        return 1;
    }
    if (cJSON_IsString(f) && f->valuestring) {
        if (!f->valuestring[0] || strcmp(f->valuestring, "ND") == 0)
            return 0;
        return est_parse_double_str(v, f->valuestring) == EST_OK ? 1 : -1;
    }
    return -1;
}

static int bad_value(est_error *err, const char *label, size_t i, const char *field,
                     const cJSON *rec)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, field);
    char *s;
    char ex[64];
    /* cJSON prints an overflowing number (1e999) as null: say what it is */
    if (cJSON_IsNumber(f) && !isfinite(f->valuedouble))
        return est__fail(err, EST_EPARSE, "%s: record %zu: %s: expected a number, null or "
                         "\"ND\", got a number that is not finite (too large for a double)",
                         label, i, field);
    s = f ? cJSON_PrintUnformatted(f) : NULL;
    ecar_excerpt(ex, sizeof ex, s ? s : "?", s ? strlen(s) : 1);
    free(s);
    return est__fail(err, EST_EPARSE, "%s: record %zu: %s: expected a number, null or \"ND\", "
                     "got %s", label, i, field, ex);
}

/* A value outside its bounds: the record, its time, the value. */
static int out_of_bounds(est_error *err, const char *label, size_t i, const cJSON *rec,
                         const char *time_field, const char *field, double v, double lo,
                         double hi, const char *unit)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, time_field);
    char ex[64];
    const char *ts = cJSON_IsString(t) && t->valuestring ? t->valuestring : "?";
    ecar_excerpt(ex, sizeof ex, ts, strlen(ts));
    return est__fail(err, EST_EPARSE, "%s: record %zu (%s): %s: %g %s is outside %g..%g %s",
                     label, i, ex, field, v, unit, lo, hi, unit);
}

static int record_time(const cJSON *rec, const char *label, size_t i, const char *field,
                       double *t, est_error *err)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, field);
    char ex[64];
    if (!cJSON_IsObject(rec))
        return est__fail(err, EST_EPARSE, "%s: record %zu is not an object", label, i);
    if (!cJSON_IsString(f) || !f->valuestring)
        return est__fail(err, EST_EPARSE, "%s: record %zu: no \"%s\" time", label, i, field);
    if (est_parse_time(t, f->valuestring, NULL) != EST_OK)
        return est__fail(err, EST_EPARSE,
                         "%s: record %zu: %s: expected an ISO 8601 time with a zone, got \"%s\"",
                         label, i, field,
                         ecar_excerpt(ex, sizeof ex, f->valuestring, strlen(f->valuestring)));
    return EST_OK;
}

/* By time, then by the order the records came in (dur_s holds it while
 * sorting): qsort is not stable, this order is. */
static int cmp_point(const void *a, const void *b)
{
    const est_intensity_point *p = a, *q = b;
    if (p->t_unix_s != q->t_unix_s)
        return p->t_unix_s < q->t_unix_s ? -1 : 1;
    return p->dur_s < q->dur_s ? -1 : p->dur_s > q->dur_s;
}

/* Sorts points [from, n), drops duplicate times (the first received is
 * kept; returns how many were dropped) and sets their duration: the
 * smallest spacing between them (a day of 15-minute rows: 900 s;
 * consolidated half-hourly rows: 1800 s), within [300, 3600], or dflt when
 * there are fewer than two. */
static size_t finish_day(ecar_points *v, size_t from, double dflt, int infer)
{
    size_t i, o, dropped;
    double step = 0.0;
    if (v->n <= from)
        return 0;
    for (i = from; i < v->n; i++)
        v->p[i].dur_s = (double)(i - from);
    qsort(v->p + from, v->n - from, sizeof *v->p, cmp_point);
    for (i = o = from; i < v->n; i++)
        if (o == from || v->p[i].t_unix_s > v->p[o - 1].t_unix_s)
            v->p[o++] = v->p[i];
    dropped = v->n - o;
    v->n = o;
    if (infer)
        for (i = from + 1; i < v->n; i++) {
            double d = v->p[i].t_unix_s - v->p[i - 1].t_unix_s;
            if (step == 0.0 || d < step)
                step = d;
        }
    if (!(step > 0.0))
        step = dflt;
    if (step < 300.0)
        step = 300.0;
    if (step > 3600.0)
        step = 3600.0;
    for (i = from; i < v->n; i++)
        v->p[i].dur_s = step;
    return dropped;
}

/* The water intensity of a mix: sum w_i v_i / sum v_i over the source
   types produced (v_i > 0), w_i the water factor of the type. */
static int mix_water(const est_carbon_mix *mix, const est_water_factors *wf, double *out)
{
    const char *types[EST_CARBON_SRC_COUNT];
    double mw[EST_CARBON_SRC_COUNT];
    size_t k, n = 0;
    for (k = 0; k < EST_CARBON_SRC_COUNT; k++) {
        if (!(mix->mw[k] > 0.0))
            continue;
        types[n] = est_carbon_energy_source_name((est_carbon_energy_source)k);
        mw[n++] = mix->mw[k];
    }
    return est_water_mix_intensity(out, wf, types, mw, n, NULL);
}

int ecar_rte_parse_day(const cJSON *records, double d0, const est_carbon_factor_set *factors,
                       const est_water_factors *water_factors, ecar_points *ci,
                       ecar_points *taux, ecar_points *water, size_t *partial, size_t *dups,
                       est_error *err)
{
    const cJSON *rec;
    size_t i = 0, ci0 = ci->n, taux0 = taux->n, water0 = water ? water->n : 0, n_dups;
    if (!cJSON_IsArray(records))
        return est__fail(err, EST_EPARSE, "RTE: \"results\" is not an array");
    cJSON_ArrayForEach(rec, records) {
        est_carbon_mix mix;
        size_t k, present = 0;
        double t, v, g;
        int rc = record_time(rec, "RTE", i, "date_heure", &t, err);
        if (rc)
            return rc;
        if (t < d0 || t >= d0 + EST__DAY_S) {
            i++;
            continue;
        }
        memset(&mix, 0, sizeof mix);
        for (k = 0; k < RTE_NFIELDS; k++) {
            int got = num_field(rec, rte_fields[k].field, &v);
            if (got < 0)
                return bad_value(err, "RTE", i, rte_fields[k].field, rec);
            if (got && (v < ECAR_RTE_MW_MIN || v > ECAR_RTE_MW_MAX))
                return out_of_bounds(err, "RTE", i, rec, "date_heure", rte_fields[k].field, v,
                                     ECAR_RTE_MW_MIN, ECAR_RTE_MW_MAX, "MW");
            if (got) {
                mix.mw[rte_fields[k].type] += v;
                present++;
            }
        }
        if (present) {
            rc = est_carbon_mix_intensity(&g, &mix, factors, NULL);
            if (rc == EST_OK) {
                double wl;
                if (ecar_points_push(ci, t, 900.0, g))
                    return est__fail(err, EST_ENOMEM, "out of memory");
                if (present < RTE_NFIELDS && partial)
                    (*partial)++;
                if (water_factors && water && mix_water(&mix, water_factors, &wl) == EST_OK &&
                    ecar_points_push(water, t, 900.0, wl))
                    return est__fail(err, EST_ENOMEM, "out of memory");
            }
        }
        {
            int got = num_field(rec, "taux_co2", &v);
            if (got < 0)
                return bad_value(err, "RTE", i, "taux_co2", rec);
            if (got && v >= 0.0 && ecar_points_push(taux, t, 900.0, v))
                return est__fail(err, EST_ENOMEM, "out of memory");
        }
        i++;
    }
    n_dups = finish_day(ci, ci0, 900.0, 1);
    finish_day(taux, taux0, 900.0, 1);
    if (water)
        finish_day(water, water0, 900.0, 1);
    if (dups)
        *dups += n_dups;
    return EST_OK;
}

int ecar_em_parse_day(const cJSON *records, double d0, ecar_points *ci, size_t *dups,
                      est_error *err)
{
    const cJSON *rec;
    size_t i = 0, ci0 = ci->n, n_dups;
    if (!cJSON_IsArray(records))
        return est__fail(err, EST_EPARSE, "Electricity Maps: the data is not an array");
    cJSON_ArrayForEach(rec, records) {
        double t, v;
        int got, rc = record_time(rec, "Electricity Maps", i, "datetime", &t, err);
        if (rc)
            return rc;
        if (t >= d0 && t < d0 + EST__DAY_S) {
            got = num_field(rec, "carbonIntensity", &v);
            if (got < 0)
                return bad_value(err, "Electricity Maps", i, "carbonIntensity", rec);
            if (got && (v < 0.0 || v > ECAR_CI_MAX))
                return out_of_bounds(err, "Electricity Maps", i, rec, "datetime",
                                     "carbonIntensity", v, 0.0, ECAR_CI_MAX, "gCO2e/kWh");
            if (got && ecar_points_push(ci, t, 3600.0, v))
                return est__fail(err, EST_ENOMEM, "out of memory");
        }
        i++;
    }
    n_dups = finish_day(ci, ci0, 3600.0, 0);
    if (dups)
        *dups += n_dups;
    return EST_OK;
}
