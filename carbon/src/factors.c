/* Emission factor sets (carbon/factors.csv), the mix formula, providers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"
#include "csv.h"

static const char *const src_names[EST_CARBON_SRC_COUNT] = {
    "nuclear", "wind", "solar", "hydro", "geothermal",
    "biomass", "gas", "coal", "oil", "unknown"};

const char *est_carbon_energy_source_name(est_carbon_energy_source type)
{
    return (unsigned)type < EST_CARBON_SRC_COUNT ? src_names[type] : "?";
}

/* A set name: 1..EST_CARBON_FACTOR_SET_NAME_MAX-1 ASCII letters, digits, '-', '_'
 * or '.': nothing that prints as a control sequence or breaks JSON. */
static int set_name_valid(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n >= EST_CARBON_FACTOR_SET_NAME_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (!est__is_alnum_ascii((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' &&
            s[i] != '.')
            return 0;
    return 1;
}

#define FACTORS_COLS 5
static const char *const factor_cols[FACTORS_COLS] = {"set", "source_type", "g_co2e_per_kwh",
                                                      "scope", "source"};

/* est_carbon_factors_load, and est_carbon_factors_suggest: with out, reads
   set into *out; without (set is then ignored), checks every row only. The
   file's set names, in file order, go into sets when it is not NULL. */
static int read_factors(est_carbon_factor_set *out, const char *path, const char *set,
                        est_error *err, est_suggestions *sets)
{
    char *data = NULL;
    size_t len, i;
    est__csv csv;
    est__csv_record rec;
    const char *what = NULL;
    unsigned long bad_line = 0;
    int got;
    unsigned long lineno = 0;
    int have[EST_CARBON_SRC_COUNT] = {0}, rc, header = 0;
    est_carbon_factor_set fs;

    memset(&fs, 0, sizeof fs);
    rc = est__read_file(path, 1u << 20, &data, &len, err);
    if (rc)
        return rc;
    est__csv_init(&csv, data, len);
    while ((got = est__csv_next(&csv, &rec, &what, &bad_line)) != 0) {
        char *const *f = rec.field;
        size_t nf = rec.n;
        double v;
        est_carbon_energy_source t;
        if (got < 0) {
            rc = est__fail_at(err, EST_EPARSE, path, bad_line, 0, NULL, "%s", what);
            goto out;
        }
        lineno = rec.line;
        if (!header) {
            header = 1;
            for (i = 0; nf == FACTORS_COLS && i < FACTORS_COLS; i++)
                if (strcmp(f[i], factor_cols[i]) != 0)
                    break;
            if (nf != FACTORS_COLS || i != FACTORS_COLS) {
                rc = est__fail_at(err, EST_EPARSE, path, lineno, 0, NULL,
                                  "expected the header set,source_type,g_co2e_per_kwh,scope,"
                                  "source");
                goto out;
            }
            continue;
        }
        if (nf != FACTORS_COLS) {
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 0, NULL,
                              "expected %d fields, got %zu", FACTORS_COLS, nf);
            goto out;
        }
        if (!set_name_valid(f[0], rec.len[0])) {
            char ex[64];
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 1, "set",
                              "expected a set name of 1 to %d ASCII letters, digits, '-', '_' "
                              "or '.', got \"%s\"", EST_CARBON_FACTOR_SET_NAME_MAX - 1,
                              ecar_excerpt(ex, sizeof ex, f[0], rec.len[0]));
            goto out;
        }
        est__suggest_add(sets, f[0], 1);
        for (t = 0; t < EST_CARBON_SRC_COUNT && strcmp(f[1], src_names[t]) != 0; t++)
            ;
        if (t == EST_CARBON_SRC_COUNT) {
            char ex[64];
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 2, "source_type",
                              "expected nuclear, wind, solar, hydro, geothermal, biomass, gas, "
                              "coal, oil or unknown, got \"%s\"",
                              ecar_excerpt(ex, sizeof ex, f[1], strlen(f[1])));
            goto out;
        }
        /* bounded as zone intensities are: a factor is an intensity */
        if (est_parse_double(&v, f[2], rec.len[2]) || v < 0.0 || v > EST_CI_MAX_G_CO2E_PER_KWH) {
            char ex[64];
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 3, "g_co2e_per_kwh",
                              "expected a number of gCO2e/kWh between 0 and %g, got \"%s\"",
                              EST_CI_MAX_G_CO2E_PER_KWH,
                              ecar_excerpt(ex, sizeof ex, f[2], rec.len[2]));
            goto out;
        }
        if (strcmp(f[3], "direct") != 0 && strcmp(f[3], "lifecycle") != 0) {
            char ex[64];
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 4, "scope",
                              "expected direct or lifecycle, got \"%s\"",
                              ecar_excerpt(ex, sizeof ex, f[3], strlen(f[3])));
            goto out;
        }
        if (!out || strcmp(f[0], set) != 0)
            continue;
        if (have[t]) {
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 2, "source_type",
                              "set \"%s\" already has a factor for %s", f[0], f[1]);
            goto out;
        }
        if (fs.scope[0] && strcmp(fs.scope, f[3]) != 0) {
            rc = est__fail_at(err, EST_EPARSE, path, lineno, 4, "scope",
                              "set \"%s\" mixes scopes %s and %s", f[0], fs.scope, f[3]);
            goto out;
        }
        snprintf(fs.scope, sizeof fs.scope, "%s", f[3]);
        fs.g_co2e_per_kwh[t] = v;
        have[t] = 1;
    }
    if (!header) {
        rc = est__fail_at(err, EST_EPARSE, path, 1, 0, NULL,
                          "empty file: expected the header set,source_type,g_co2e_per_kwh,"
                          "scope,source");
        goto out;
    }
    if (!out) {
        rc = EST_OK;
        goto out;
    }
    for (i = 0; i < EST_CARBON_SRC_COUNT && !have[i]; i++)
        ;
    if (i == EST_CARBON_SRC_COUNT) {
        char ex[64];
        rc = est__fail(err, EST_ENOTFOUND, "%s: unknown factor set \"%s\"", path,
                       ecar_excerpt(ex, sizeof ex, set, strlen(set)));
        est__fail_value(err, set);
        goto out;
    }
    for (i = 0; i < EST_CARBON_SRC_COUNT; i++)
        if (!have[i]) {
            rc = est__fail(err, EST_EPARSE, "%s: set \"%s\" has no factor for %s", path,
                           set, src_names[i]); /* set is a valid name: it was found */
            goto out;
        }
    snprintf(fs.name, sizeof fs.name, "%s", set);
    *out = fs;
    rc = EST_OK;
out:
    free(data);
    return rc;
}

int est_carbon_factors_load(est_carbon_factor_set *out, const char *path, const char *set,
                            est_error *err)
{
    if (!path || !out)
        return est__fail(err, EST_EINVAL, "est_carbon_factors_load: NULL argument");
    return read_factors(out, path, set ? set : EST_CARBON_FACTORS_DEFAULT_SET, err, NULL);
}

int est_carbon_factors_suggest(est_suggestions *out, const char *const *paths, size_t n_paths)
{
    size_t i, k;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || (!paths && n_paths))
        return EST_EINVAL;
    for (i = 0; i < n_paths; i++)
        if (!paths[i])
            return EST_EINVAL;
    for (i = 0; i < n_paths; i++) {
        est_suggestions sets;
        int rc;
        memset(&sets, 0, sizeof sets);
        rc = read_factors(NULL, paths[i], NULL, NULL, &sets);
        if (rc == EST_ENOMEM) {
            memset(out, 0, sizeof *out);
            return rc;
        }
        for (k = 0; rc == EST_OK && k < sets.n; k++)
            est__suggest_add(out, sets.names[k], 1);
    }
    return EST_OK;
}

int est_carbon_factors_load_files(est_carbon_factor_set *out, const char *const *paths,
                                  size_t n_paths, const char *set, est_error *err)
{
    size_t i;
    int found = -1;
    size_t n_read = 0;
    est_error e;
    if (!paths || !n_paths || !out)
        return est__fail(err, EST_EINVAL, "est_carbon_factors_load_files: NULL argument");
    if (!set)
        set = EST_CARBON_FACTORS_DEFAULT_SET;
    /* every file is read whole, so that a malformed overlay is an error even
       when it does not hold the set; the last file defining the set wins */
    for (i = 0; i < n_paths; i++) {
        est_carbon_factor_set fs;
        int rc;
        if (!paths[i])
            return est__fail(err, EST_EINVAL, "est_carbon_factors_load_files: NULL path");
        rc = est_carbon_factors_load(&fs, paths[i], set, &e);
        if (rc == EST_ENOENT && i > 0)
            continue; /* an overlay folder without factors.csv */
        n_read++;
        if (rc == EST_OK) {
            *out = fs;
            found = (int)i;
            continue;
        }
        if (rc != EST_ENOTFOUND) {
            if (err)
                *err = e;
            return rc;
        }
    }
    if (found >= 0)
        return EST_OK;
    {
        /* the name the caller asked for may hold anything: an excerpt */
        char ex[64];
        ecar_excerpt(ex, sizeof ex, set, strlen(set));
        if (n_read <= 1)
            est__fail(err, EST_ENOTFOUND, "%s: unknown factor set \"%s\"", paths[0], ex);
        else /* count the overlay files actually read, not the folders looked in */
            est__fail(err, EST_ENOTFOUND, "unknown factor set \"%s\" (read %s and %zu overlay "
                      "file%s)", ex, paths[0], n_read - 1, n_read == 2 ? "" : "s");
    }
    est__fail_value(err, set);
    return EST_ENOTFOUND;
}

int est_carbon_mix_intensity(double *out_g_co2e_per_kwh, const est_carbon_mix *mix,
                             const est_carbon_factor_set *factors, est_error *err)
{
    double num = 0.0, den = 0.0;
    size_t i;
    if (!mix || !factors || !out_g_co2e_per_kwh)
        return est__fail(err, EST_EINVAL, "est_carbon_mix_intensity: NULL argument");
    for (i = 0; i < EST_CARBON_SRC_COUNT; i++) {
        double v = mix->mw[i];
        if (!isfinite(v))
            return est__fail(err, EST_EINVAL, "mix: %s is not a finite number", src_names[i]);
        if (v <= 0.0)
            continue;
        num += v * factors->g_co2e_per_kwh[i];
        den += v;
    }
    if (!(den > 0.0))
        return est__fail(err, EST_ENODATA, "mix: no production");
    *out_g_co2e_per_kwh = num / den;
    return EST_OK;
}

const char *est_carbon_provider_name(est_carbon_provider provider)
{
    switch (provider) {
    case EST_CARBON_PROVIDER_RTE: return "rte";
    case EST_CARBON_PROVIDER_ELECTRICITYMAPS: return "electricitymaps";
    default: return "none";
    }
}

int est_carbon_provider_parse(est_carbon_provider *out, const char *s)
{
    if (!s || !out)
        return EST_EINVAL;
    if (strcmp(s, "rte") == 0)
        *out = EST_CARBON_PROVIDER_RTE;
    else if (strcmp(s, "electricitymaps") == 0)
        *out = EST_CARBON_PROVIDER_ELECTRICITYMAPS;
    else
        return EST_EINVAL;
    return EST_OK;
}

est_carbon_provider est_carbon_provider_for_zone(const char *zone)
{
    return zone && est__strcasecmp_ascii(zone, "FR") == 0 ? EST_CARBON_PROVIDER_RTE
                                               : EST_CARBON_PROVIDER_ELECTRICITYMAPS;
}
