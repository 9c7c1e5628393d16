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
 *                  [--cache DIR] [--offline] START END
 * START and END are ISO 8601 times with a zone ("2025-01-15T00:00:00Z").
 * ZONE defaults to FR, served by RTE eco2mix, which needs the factor sets
 * (FACTORS.CSV: the shipped one is $(pkg-config --variable=pkgdatadir
 * ecoest-carbon)/carbon/factors.csv). Any other zone goes to Electricity
 * Maps, whose token is read from $ELECTRICITYMAPS_TOKEN; RTE's optional one
 * from $RESEAUX_ENERGIES_TOKEN. Tokens never come from the command line.
 *
 * It prints one line of JSON:
 *   {"zone":"FR","provider":"rte","mean_g_co2e_per_kwh":59.7,
 *    "coverage_frac":1,"n_points":1,"n_requests":1}
 * and each note of the library on stderr. Exit status: 0, 64 for bad
 * arguments, 69 when no intensity could be had (the library's message on
 * stderr).
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
                    "[--base-url URL] [--cache DIR] [--offline] START END\n");
    return 64;
}

int main(int argc, char **argv)
{
    est_carbon_options o = EST_CARBON_OPTIONS_INIT;
    est_carbon_series s;
    est_carbon_factor_set factors;
    est_intensity_stats st;
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
            o.base_url = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--cache") == 0)
            o.cache_dir = argv[++i];
        else if (strcmp(argv[i], "--offline") == 0)
            o.offline = 1;
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

    o.zone = zone;
    o.provider = est_carbon_provider_for_zone(zone);
    o.start_unix_s = t[0];
    o.end_unix_s = t[1];
    if (o.provider == EST_CARBON_PROVIDER_RTE) {
        /* RTE publishes the production mix; the factors turn it into an
           intensity */
        if (!factors_path) {
            fprintf(stderr, "live_intensity: zone %s needs --factors FACTORS.CSV\n", zone);
            return 64;
        }
        if (est_carbon_factors_load(&factors, factors_path, NULL, &err) != EST_OK) {
            fprintf(stderr, "live_intensity: %s\n", err.message);
            return 64;
        }
        o.factors = &factors;
        o.token = getenv("RESEAUX_ENERGIES_TOKEN");
    } else {
        o.token = getenv("ELECTRICITYMAPS_TOKEN");
    }

    /* the program owns the process: it sets libcurl up, once */
    if (est_carbon_global_init() != EST_OK) {
        fprintf(stderr, "live_intensity: cannot set up the network layer\n");
        return 69;
    }
    rc = est_carbon_fetch(&s, &o, &err);
    for (k = 0; k < s.n_notes; k++)
        fprintf(stderr, "live_intensity: note: %s\n", s.notes[k]);
    if (rc == EST_OK)
        rc = est_intensity_mean(&st, s.points, s.n_points, t[0], t[1], &err);
    if (rc != EST_OK) {
        fprintf(stderr, "live_intensity: %s (%s)\n", err.message, est_strerror(rc));
        est_carbon_series_clear(&s);
        est_carbon_global_cleanup();
        return 69;
    }
    printf("{\"zone\":\"%s\",\"provider\":\"%s\",\"mean_g_co2e_per_kwh\":%s,"
           "\"coverage_frac\":%s,\"n_points\":%zu,\"n_requests\":%u}\n",
           s.zone, est_carbon_provider_name(s.provider), num(st.mean_g_co2e_per_kwh, a, sizeof a),
           num(st.coverage_frac, b, sizeof b), st.n_points, s.n_requests);
    est_carbon_series_clear(&s);
    est_carbon_global_cleanup();
    return 0;
}
