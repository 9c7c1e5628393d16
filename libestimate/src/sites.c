/* The same job at several sites, ranked (ecoest where). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/sites.h"
#include "ecoest/water.h"
#include "csv.h"
#include "internal.h"
#include "text.h"

static const char *const site_cols[4] = {"name", "zone", "pue", "wue"};

static int site_fail(est_error *err, const char *path, const est__csv_record *rec,
                     unsigned col, const char *what)
{
    char ex[80];
    est__excerpt_text(ex, sizeof ex, rec->field[col - 1], rec->len[col - 1]);
    return est__fail_at(err, EST_EPARSE, path, rec->line, col, site_cols[col - 1],
                        "%s, got \"%s\"", what, ex);
}

static int site_row(est_site *s, const est__csv_record *rec, const char *path, est_error *err)
{
    size_t at;
    double v;
    memset(s, 0, sizeof *s);
    if (rec->len[0] == 0 || rec->len[0] >= sizeof s->name ||
        est__text_problem(rec->field[0], rec->len[0], &at))
        return site_fail(err, path, rec, 1, "expected a name (printable UTF-8, 1 to 127 "
                         "bytes)");
    memcpy(s->name, rec->field[0], rec->len[0]);
    if (rec->len[1] == 0 || rec->len[1] >= sizeof s->place ||
        est__text_problem(rec->field[1], rec->len[1], &at))
        return site_fail(err, path, rec, 2, "expected a zone code or PROVIDER:REGION");
    memcpy(s->place, rec->field[1], rec->len[1]);
    s->pue = EST_UNSET;
    if (rec->len[2]) {
        if (est_parse_double(&v, rec->field[2], rec->len[2]) || !(v >= 1.0 && v <= 3.0))
            return site_fail(err, path, rec, 3, "expected an empty field or a PUE from 1 "
                             "to 3");
        s->pue = v;
    }
    s->wue_l_per_kwh = EST_UNSET;
    if (rec->len[3]) {
        if (est_parse_double(&v, rec->field[3], rec->len[3]) ||
            !(v >= 0.0 && v <= EST_WUE_MAX_L_PER_KWH))
            return site_fail(err, path, rec, 4, "expected an empty field or litres per kWh "
                             "from 0 to 100");
        s->wue_l_per_kwh = v;
    }
    snprintf(s->origin, sizeof s->origin, "%s:%lu", path, rec->line);
    return EST_OK;
}

int est_sites_read(est_site **sites, size_t *n, const char *path, est_error *err)
{
    char *data = NULL;
    size_t len = 0, i, count = 0;
    est_site *arr = NULL;
    est__csv csv;
    est__csv_record rec;
    const char *what = NULL;
    unsigned long bad_line = 0;
    int rc, got;
    if (!sites || !n || !path)
        return est__fail(err, EST_EINVAL, "est_sites_read: NULL argument");
    *sites = NULL;
    *n = 0;
    rc = est__read_file(path, 4u << 20, &data, &len, err);
    if (rc)
        return rc == EST_ERANGE ? EST_EPARSE : rc;
    est__csv_init(&csv, data, len);
    got = est__csv_next(&csv, &rec, &what, &bad_line);
    for (i = 0; got == 1 && i < 4 && i < rec.n; i++)
        if (strcmp(rec.field[i], site_cols[i]) != 0)
            break;
    if (got != 1 || rec.n != 4 || i != 4) {
        rc = est__fail_at(err, EST_EPARSE, path, got == 1 ? rec.line : 1, 0, NULL,
                          "expected the header name,zone,pue,wue");
        goto out;
    }
    while ((got = est__csv_next(&csv, &rec, &what, &bad_line)) != 0) {
        est_site *na;
        if (got < 0) {
            rc = est__fail_at(err, EST_EPARSE, path, bad_line, 0, NULL, "%s", what);
            goto out;
        }
        if (rec.n != 4) {
            rc = est__fail_at(err, EST_EPARSE, path, rec.line, 0, NULL,
                              "expected 4 fields, got %zu", rec.n);
            goto out;
        }
        na = realloc(arr, (count + 1) * sizeof *na);
        if (!na) {
            rc = est__fail(err, EST_ENOMEM, "out of memory");
            goto out;
        }
        arr = na;
        if ((rc = site_row(&arr[count], &rec, path, err)) != 0)
            goto out;
        for (i = 0; i < count; i++)
            if (strcmp(arr[i].name, arr[count].name) == 0) {
                rc = est__fail_at(err, EST_EPARSE, path, rec.line, 1, "name",
                                  "site \"%s\" already defined at %s", arr[i].name,
                                  arr[i].origin);
                goto out;
            }
        count++;
    }
    if (count == 0) {
        rc = est__fail_at(err, EST_ENODATA, path, 0, 0, NULL, "no sites (only a header)");
        goto out;
    }
    rc = EST_OK;
out:
    free(data);
    if (rc) {
        free(arr);
        return rc;
    }
    *sites = arr;
    *n = count;
    return EST_OK;
}

const char *est_sites_from_name(est_sites_from from)
{
    switch (from) {
    case EST_SITES_FROM_SITE: return "site";
    case EST_SITES_FROM_PROVIDER: return "provider";
    case EST_SITES_FROM_DEFAULT: return "default";
    case EST_SITE_FROM_JOB: return "job";
    default: return "?";
    }
}

int est_sites_evaluate(est_sites_result *out, const est_site *site, const est_zones *zones,
                      const est_regions *regions, const est_sites_options *opts,
                      est_error *err)
{
    est_water_inputs wi = EST_WATER_INPUTS_INIT;
    est_water_result wr;
    est_zone z;
    double def_pue, def_wue;
    int rc;
    if (!out || !site || !zones || !opts)
        return est__fail(err, EST_EINVAL, "est_sites_evaluate: NULL argument");
    memset(out, 0, sizeof *out);
    if (opts->version < 1 || opts->version > EST_SITES_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_sites_evaluate: unknown options version %u",
                         opts->version);
    def_pue = opts->default_pue == EST_UNSET ? EST_PUE_DEFAULT_UPTIME_2024 : opts->default_pue;
    def_wue = opts->default_wue_l_per_kwh == EST_UNSET ? 0.0 : opts->default_wue_l_per_kwh;
    if (!isfinite(def_pue) || def_pue < 1.0)
        return est__fail(err, EST_EINVAL, "default_pue: expected a number >= 1");
    if (!isfinite(def_wue) || def_wue < 0.0 || def_wue > EST_WUE_MAX_L_PER_KWH)
        return est__fail(err, EST_EINVAL, "default_wue_l_per_kwh: expected 0..100");
    est__strlcpy(out->name, site->name, sizeof out->name);
    out->pue = def_pue;
    out->pue_from = EST_SITES_FROM_DEFAULT;
    out->wue_l_per_kwh = def_wue;
    out->wue_from = EST_SITES_FROM_DEFAULT;
    if (strchr(site->place, ':')) {
        est_region g;
        if (!regions) {
            char ex[80];
            return est__fail(err, EST_ENOTFOUND, "%s: no cloud regions table to look \"%s\" up",
                             site->name, est__excerpt_text(ex, sizeof ex, site->place,
                                                           strlen(site->place)));
        }
        if ((rc = est_regions_lookup(&g, regions, site->place, err)) != 0) {
            if (err)
                err->input = EST_INPUT_CLOUD;
            return rc;
        }
        snprintf(out->region, sizeof out->region, "%s:%s", g.provider, g.region);
        out->pue = g.pue;
        out->pue_from = EST_SITES_FROM_PROVIDER;
        if (g.wue_l_per_kwh >= 0.0) {
            out->wue_l_per_kwh = g.wue_l_per_kwh;
            out->wue_from = EST_SITES_FROM_PROVIDER;
        }
        rc = est_zones_lookup(&z, zones, g.zone, err);
    } else {
        rc = est_zones_lookup(&z, zones, site->place, err);
    }
    if (rc) {
        if (err && err->value[0]) /* the zone refused, not a NULL table */
            err->input = EST_INPUT_ZONE;
        return rc;
    }
    if (site->pue != EST_UNSET) {
        out->pue = site->pue;
        out->pue_from = EST_SITES_FROM_SITE;
    }
    if (site->wue_l_per_kwh != EST_UNSET) {
        out->wue_l_per_kwh = site->wue_l_per_kwh;
        out->wue_from = EST_SITES_FROM_SITE;
    }
    est__strlcpy(out->zone, z.code, sizeof out->zone);
    est__strlcpy(out->zone_name, z.name, sizeof out->zone_name);
    out->ci_g_co2e_per_kwh = z.ci_g_co2e_per_kwh;
    est_zones_water(&out->water_intensity_l_per_kwh, out->water_zone, zones, &z);
    out->energy_kwh = opts->it_energy_kwh * out->pue;
    out->co2e_g = out->energy_kwh * out->ci_g_co2e_per_kwh;
    wi.it_energy_kwh = opts->it_energy_kwh;
    wi.pue = out->pue;
    wi.wue_l_per_kwh = out->wue_l_per_kwh;
    wi.offsite_l_per_kwh = out->water_intensity_l_per_kwh;
    if ((rc = est_water_compute(&wr, &wi, err)) != 0)
        return rc;
    out->water_onsite_l = wr.onsite_l;
    out->water_offsite_l = wr.offsite_l;
    out->water_l = wr.water_l;
    if (!isfinite(out->co2e_g))
        return est__fail(err, EST_ERANGE, "the footprint overflows a double");
    out->operational_co2e_g = out->co2e_g;
    out->embodied_co2e_g = EST_UNSET;
    return EST_OK;
}

/* The site's place, PUE and WUE into the job's options (est_site_estimate). */
static int site_options(est_sites_result *out, est_estimate_options *eo, const est_site *site,
                        const est_estimate_options *job, est_error *err)
{
    out->pue_from = EST_SITES_FROM_DEFAULT;
    out->wue_from = EST_SITES_FROM_DEFAULT;
    eo->zone = NULL;
    eo->cloud = NULL;
    eo->ci_g_co2e_per_kwh = EST_UNSET;
    eo->intensity = NULL;
    eo->intensity_user = NULL;
    if (job->pue != EST_UNSET)
        out->pue_from = EST_SITE_FROM_JOB;
    if (job->wue_l_per_kwh != EST_UNSET)
        out->wue_from = EST_SITE_FROM_JOB;
    if (strchr(site->place, ':')) {
        est_region g;
        int rc;
        if (!job->regions) {
            char ex[80];
            return est__fail(err, EST_ENOTFOUND, "%s: no cloud regions table to look \"%s\" up",
                             site->name, est__excerpt_text(ex, sizeof ex, site->place,
                                                           strlen(site->place)));
        }
        if ((rc = est_regions_lookup(&g, job->regions, site->place, err)) != 0) {
            if (err)
                err->input = EST_INPUT_CLOUD;
            return rc;
        }
        snprintf(out->region, sizeof out->region, "%s:%s", g.provider, g.region);
        eo->cloud = site->place;
        eo->pue = EST_UNSET; /* the provider's */
        out->pue_from = EST_SITES_FROM_PROVIDER;
        if (g.wue_l_per_kwh >= 0.0) {
            eo->wue_l_per_kwh = EST_UNSET; /* the provider's */
            out->wue_from = EST_SITES_FROM_PROVIDER;
        }
    } else {
        eo->zone = site->place;
    }
    if (site->pue != EST_UNSET) {
        eo->pue = site->pue;
        out->pue_from = EST_SITES_FROM_SITE;
    }
    if (site->wue_l_per_kwh != EST_UNSET) {
        eo->wue_l_per_kwh = site->wue_l_per_kwh;
        out->wue_from = EST_SITES_FROM_SITE;
    }
    return EST_OK;
}

int est_site_estimate(est_sites_result *out, est_estimate **est_out, const est_site *site,
                      const est_estimate_options *job, const est_hwdb *db,
                      const est_zones *zones, est_error *err)
{
    est_estimate_options eo;
    est_estimate *e = NULL;
    const est_model_result *m;
    est_embodied_result emb;
    est_water_result wr;
    est_zone z;
    double offsite;
    int rc;
    if (est_out)
        *est_out = NULL;
    if (!out || !site || !job || !zones)
        return est__fail(err, EST_EINVAL, "est_site_estimate: NULL argument");
    memset(out, 0, sizeof *out);
    if (job->version < 3 || job->version > EST_ESTIMATE_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_site_estimate: options version %u: expected 3 "
                         "to %u", job->version, (unsigned)EST_ESTIMATE_OPTIONS_VERSION);
    eo = *job;
    est__strlcpy(out->name, site->name, sizeof out->name);
    if ((rc = site_options(out, &eo, site, job, err)) != 0)
        return rc;
    if ((rc = est_estimate_run(&e, &eo, db, zones, err)) != 0)
        return rc;
    m = est_estimate_model(e);
    if (est_estimate_zone(&z, e)) {
        est__strlcpy(out->zone, z.code, sizeof out->zone);
        est__strlcpy(out->zone_name, z.name, sizeof out->zone_name);
        est_zones_water(&offsite, out->water_zone, zones, &z);
    }
    out->pue = est_estimate_model_inputs(e)->pue;
    out->ci_g_co2e_per_kwh = est_estimate_model_inputs(e)->ci_g_co2e_per_kwh;
    out->energy_kwh = m->total.energy_kwh;
    out->operational_co2e_g = m->total.co2e_g;
    out->co2e_g = est_estimate_headline_co2e_g(e);
    out->embodied_co2e_g = est_estimate_embodied(&emb, e) ? emb.total_g : EST_UNSET;
    est_estimate_water(&wr, &out->water_intensity_l_per_kwh, e);
    out->wue_l_per_kwh = wr.wue_l_per_kwh;
    out->water_onsite_l = wr.onsite_l;
    out->water_offsite_l = wr.offsite_l;
    out->water_l = wr.water_l;
    if (out->water_intensity_l_per_kwh == EST_UNSET)
        out->water_zone[0] = '\0';
    if (est_out)
        *est_out = e;
    else
        est_estimate_free(e);
    return EST_OK;
}

static double key_of(const est_sites_result *r, est_sites_rank_by by)
{
    return by == EST_SITES_RANK_BY_WATER ? r->water_l : r->co2e_g;
}

void est_sites_rank(est_sites_result *results, size_t n, est_sites_rank_by by)
{
    size_t i, j, known = 0;
    double worst, median;
    if (!results)
        return;
    /* insertion sort: stable, and n is small */
    for (i = 1; i < n; i++) {
        est_sites_result t = results[i];
        double kt = key_of(&t, by);
        for (j = i; j > 0; j--) {
            double kj = key_of(&results[j - 1], by);
            int after = kj < 0.0 ? kt >= 0.0 : kt >= 0.0 && kj > kt;
            if (!after)
                break;
            results[j] = results[j - 1];
        }
        results[j] = t;
    }
    for (i = 0; i < n; i++)
        known += key_of(&results[i], by) >= 0.0;
    for (i = 0; i < n; i++) {
        results[i].saving_vs_worst = EST_UNSET;
        results[i].saving_vs_median = EST_UNSET;
    }
    if (!known)
        return;
    worst = key_of(&results[known - 1], by);
    median = known % 2 ? key_of(&results[known / 2], by)
                       : (key_of(&results[known / 2 - 1], by) + key_of(&results[known / 2], by)) /
                             2.0;
    for (i = 0; i < known; i++) {
        results[i].saving_vs_worst = worst - key_of(&results[i], by);
        results[i].saving_vs_median = median - key_of(&results[i], by);
    }
}
