/*
 * estimate_log.c - the footprint of a sample log through the library's
 * estimate pipeline (ecoest/pipeline.h): the same call, and so the same
 * figures, as `ecoest --samples LOG [--cpu NAME] [--gpu NAME] [--zone Z]
 * --format json`.
 *
 * Build against the installed library:
 *   cc estimate_log.c $(pkg-config --cflags --libs ecoest) -lm \
 *      -DEXAMPLE_DATADIR="\"$(pkg-config --variable=pkgdatadir ecoest)\"" \
 *      -o estimate_log
 * Run:
 *   ./estimate_log LOG [--cpu NAME] [--gpu NAME] [--zone ZONE]
 * It prints one line of JSON:
 *   {"energy_kwh":...,"co2e_g":...,"carbon_intensity_g_co2e_per_kwh":...,
 *    "power_w":...,"runtime_h":...}
 * The data (the hwdb folder, carbon/zones.csv) is read from $ECOEST_DATA_DIR,
 * else from EXAMPLE_DATADIR. Exit status: 0, 64 usage, 65 bad data or an
 * unknown name, 66 no such log, 70 otherwise.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ecoest/estimate.h>

#ifndef EXAMPLE_DATADIR
#define EXAMPLE_DATADIR "/usr/local/share/ecoest"
#endif

static int usage(void)
{
    fprintf(stderr, "usage: estimate_log LOG [--cpu NAME] [--gpu NAME] [--zone ZONE]\n");
    return 64;
}

static int fail(const est_error *e, int code)
{
    fprintf(stderr, "estimate_log: %s\n", e->message);
    if (code == EST_ENOENT)
        return 66;
    if (code == EST_EINVAL)
        return 64;
    if (code == EST_EPARSE || code == EST_ENOTFOUND || code == EST_EAMBIGUOUS ||
        code == EST_ENODATA || code == EST_ERANGE)
        return 65;
    return 70;
}

/* A number that reads back to the same double (as ecoest prints it). */
static void num(const char *key, double v, const char *sep)
{
    char buf[40];
    int p;
    for (p = 15; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    printf("\"%s\":%s%s", key, buf, sep);
}

int main(int argc, char **argv)
{
    est_estimate_options o = EST_ESTIMATE_OPTIONS_INIT;
    est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    const char *data = getenv("ECOEST_DATA_DIR"), *log = NULL;
    char hw[4096], zf[4096];
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_samples *s = NULL;
    est_estimate *e = NULL;
    const est_model_result *m;
    est_error err;
    int i, rc, status = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc)
            o.cpu = argv[++i];
        else if (strcmp(argv[i], "--gpu") == 0 && i + 1 < argc)
            o.gpu = argv[++i];
        else if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc)
            o.zone = argv[++i];
        else if (argv[i][0] != '-' && !log)
            log = argv[i];
        else
            return usage();
    }
    if (!log)
        return usage();
    if (!data || !*data)
        data = EXAMPLE_DATADIR;
    snprintf(hw, sizeof hw, "%s/hwdb", data);
    snprintf(zf, sizeof zf, "%s/carbon/zones.csv", data);
    ho.shipped_dir = hw;
    zo.shipped_file = zf;

    if ((rc = est_hwdb_open(&db, &ho, &err)) || (rc = est_zones_open(&zones, &zo, &err)) ||
        (rc = est_samples_open(&s, &so, &err)) ||
        (rc = est_samples_read_file(s, log, &ro, &err)) || (rc = est_samples_finish(s, &err))) {
        status = fail(&err, rc);
        goto done;
    }
    o.samples = s;
    rc = est_estimate_run(&e, &o, db, zones, &err);
    if (rc) {
        status = fail(&err, rc);
        goto done;
    }
    m = est_estimate_model(e);
    printf("{");
    num("energy_kwh", m->total.energy_kwh, ",");
    num("co2e_g", m->total.co2e_g, ",");
    num("carbon_intensity_g_co2e_per_kwh", est_estimate_model_inputs(e)->ci_g_co2e_per_kwh, ",");
    num("power_w", m->total.power_w, ",");
    num("runtime_h", est_estimate_model_inputs(e)->runtime_h, "");
    printf("}\n");
    if (fflush(stdout) != 0)
        status = 74;
done:
    est_estimate_free(e);
    est_samples_free(s);
    est_zones_free(zones);
    est_hwdb_free(db);
    return status;
}
