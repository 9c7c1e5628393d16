/*
 * live_intensity.c - the live carbon intensity of a time window through the
 * ecoest carbon library (ecoest::carbon).
 *
 * Build against the installed libraries:
 *   cc live_intensity.c $(pkg-config --cflags --libs ecoest-carbon) -o live_intensity
 *   (add -Wl,-rpath,$(pkg-config --variable=libdir ecoest-carbon) when the
 *   libraries are installed outside the loader's path)
 * or with CMake: find_package(ecoest) and link ecoest::carbon.
 *
 * Run:
 *   live_intensity [--zone ZONE] [--factors FACTORS.CSV] [--base-url URL]
 *                  [--cache DIR] [--offline] [--strict] START END
 * START and END are ISO 8601 times with a zone ("2025-01-15T00:00:00Z").
 * ZONE defaults to FR, served by RTE eco2mix, which needs the factor sets
 * (FACTORS.CSV: the shipped one is $(pkg-config --variable=pkgdatadir
 * ecoest-carbon)/carbon/factors.csv). Any other zone goes to Electricity
 * Maps, whose token is read from $ELECTRICITYMAPS_TOKEN; RTE's optional one
 * from $RESEAUX_ENERGIES_TOKEN. Tokens never come from the command line.
 *
 * It checks the window first (est_carbon_window_check: at most 366 UTC
 * days, the rule ecoest applies before any fetch), opens a source of the
 * carbon library (est_carbon_source_open: the provider for the zone, the
 * factor sets, the day cache, the same rules as ecoest) and asks it for the
 * window (est_carbon_source_window). The decisions are the library's, read
 * from the window's summary: whether a fallback is a caveat or what
 * --offline asked for (fallback_kind), and under --strict whether a failed
 * day or a fallback is an error (strict_code, strict_reason). It prints
 * one line of JSON:
 *   {"zone":"FR","provider":"rte","mean_g_co2e_per_kwh":59.7,
 *    "coverage_frac":1,"n_points":1,"n_requests":1}
 * and each note of the library on stderr. Exit status: 0, 64 for bad
 * arguments (a window, zone or factor file the source refuses), 69 when no
 * intensity could be had (the source fell back: the library's reason on
 * stderr, as a note when offline with nothing cached, else as an error) or,
 * with --strict, when a day of the window could not be fetched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ecoest/carbon.h>

/* The shortest "%.*g" that reads back to the same double. */
static const char *num(double v, char *buf, size_t size)
{
    int prec;
    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return buf;
    }
    snprintf(buf, size, "%.17g", v);
    return buf;
}

static int usage(void)
{
    fprintf(stderr, "usage: live_intensity [--zone ZONE] [--factors FACTORS.CSV] "
                    "[--base-url URL] [--cache DIR] [--offline] [--strict] START END\n");
    return 64;
}

int main(int argc, char **argv)
{
    est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
    est_carbon_source *src = NULL;
    est_carbon_window *w = NULL;
    const est_carbon_summary *sum;
    est_zone z;
    est_error err;
    const char *zone = "FR", *factors_path = NULL, *when[2] = {NULL, NULL};
    double t[2];
    char a[32], b[32];
    int i, n = 0, rc;
    size_t k;

    for (i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--zone") == 0)
            zone = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--factors") == 0)
            factors_path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--base-url") == 0)
            so.rte_url = so.em_url = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--cache") == 0)
            so.cache_dir = argv[++i];
        else if (strcmp(argv[i], "--offline") == 0)
            so.offline = 1;
        else if (strcmp(argv[i], "--strict") == 0)
            so.strict = 1;
        else if (argv[i][0] != '-' && n < 2)
            when[n++] = argv[i];
        else
            return usage();
    }
    if (n != 2)
        return usage();
    for (i = 0; i < 2; i++)
        if (est_parse_time(&t[i], when[i], NULL) != EST_OK) {
            fprintf(stderr, "live_intensity: not an ISO 8601 time with a zone: %s\n", when[i]);
            return 64;
        }
    if (est_carbon_window_check(t[0], t[1], &err) != EST_OK) {
        fprintf(stderr, "live_intensity: %s\n", err.message);
        return 64;
    }
    if (strlen(zone) >= sizeof z.code) {
        fprintf(stderr, "live_intensity: zone code too long: %s\n", zone);
        return 64;
    }
    /* RTE (FR) publishes the production mix: the factors turn it into an
       intensity; the source reads them at the first window */
    if (est_carbon_provider_for_zone(zone) == EST_CARBON_PROVIDER_RTE && !factors_path) {
        fprintf(stderr, "live_intensity: zone %s needs --factors FACTORS.CSV\n", zone);
        return 64;
    }
    so.factor_paths = &factors_path;
    so.n_factor_paths = factors_path ? 1 : 0;
    so.rte_token = getenv("RESEAUX_ENERGIES_TOKEN");
    so.em_token = getenv("ELECTRICITYMAPS_TOKEN");

    /* The zone: an embedder would take the zone table's row (est_zones_lookup
       in ecoest/zones.h), whose annual average is the source's fallback.
       This program treats a fallback as a failure (exit 69), so the code
       alone will do. */
    memset(&z, 0, sizeof z);
    memcpy(z.code, zone, strlen(zone) + 1);
    z.water_l_per_kwh = EST_UNSET;

    /* the program owns the process: it sets libcurl up, once */
    if (est_carbon_global_init() != EST_OK) {
        fprintf(stderr, "live_intensity: cannot set up the network layer\n");
        return 69;
    }
    if ((rc = est_carbon_source_open(&src, &so, &err)) != EST_OK) {
        fprintf(stderr, "live_intensity: %s\n", err.message);
        est_carbon_global_cleanup();
        return 70;
    }
    rc = est_carbon_source_window(&w, src, &z, t[0], t[1], &err);
    if (!w) {
        /* refused before asking anyone: the window, the zone, the factors */
        fprintf(stderr, "live_intensity: %s (%s)\n", err.message, est_strerror(rc));
        est_carbon_source_free(src);
        est_carbon_global_cleanup();
        return 64;
    }
    sum = est_carbon_window_summary(w);
    for (k = 0; k < sum->n_notes; k++)
        fprintf(stderr, "live_intensity: note: %s\n", sum->notes[k].text);
    if (sum->strict_code != EST_OK) {
        /* --strict: a fallback or a failed day; the same as rc and err */
        rc = sum->strict_code;
        fprintf(stderr, "live_intensity: %s (%s)\n", sum->strict_reason, est_strerror(rc));
    } else if (sum->status == EST_CARBON_FALLBACK) {
        rc = sum->fallback_code;
        fprintf(stderr, "live_intensity: %s%s (%s)\n",
                sum->fallback_kind == EST_CARBON_NOTE_INFO ? "note: " : "", sum->fallback_reason,
                est_strerror(rc));
    }
    if (rc != EST_OK) {
        est_carbon_window_free(w);
        est_carbon_source_free(src);
        est_carbon_global_cleanup();
        return 69;
    }
    printf("{\"zone\":\"%s\",\"provider\":\"%s\",\"mean_g_co2e_per_kwh\":%s,"
           "\"coverage_frac\":%s,\"n_points\":%zu,\"n_requests\":%u}\n",
           sum->zone, est_carbon_provider_name(sum->provider),
           num(sum->mean_g_co2e_per_kwh, a, sizeof a), num(sum->coverage_frac, b, sizeof b),
           sum->n_points, sum->n_requests);
    est_carbon_window_free(w);
    est_carbon_source_free(src);
    est_carbon_global_cleanup();
    return 0;
}
