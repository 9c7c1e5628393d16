/* libFuzzer target: one UTC day of a provider's records to intensity points
 * (FUZZ_PROVIDER 1: RTE eco2mix, 2: Electricity Maps). The input is JSON: an
 * array of records, or an answer object holding one ("results", "data" or
 * "history"). The day is 2025-01-15. Points that come out lie in the day,
 * strictly increasing, with a finite intensity in 0..5000 and a duration in
 * 300..3600 s; an error always has a message. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

#ifndef FUZZ_PROVIDER
#define FUZZ_PROVIDER 1
#endif

#define D0 1736899200.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const ecar_points *v)
{
    size_t i;
    for (i = 0; i < v->n; i++) {
        const est_intensity_point *p = &v->p[i];
        if (!(p->t_unix_s >= D0 && p->t_unix_s < D0 + 86400.0))
            abort();
        if (i && !(p->t_unix_s > v->p[i - 1].t_unix_s))
            abort();
        if (!(p->g_co2e_per_kwh >= 0.0 && p->g_co2e_per_kwh <= 5000.0))
            abort();
        if (!(p->dur_s >= 300.0 && p->dur_s <= 3600.0))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    est_carbon_factor_set fs;
    ecar_points ci = {NULL, 0, 0}, taux = {NULL, 0, 0};
    size_t partial = 0, dups = 0, i;
    est_error e;
    const cJSON *records;
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    int rc;
    if (!doc)
        return 0;
    memset(&fs, 0, sizeof fs);
    for (i = 0; i < EST_CARBON_SRC_COUNT; i++)
        fs.g_co2e_per_kwh[i] = (double)(i * 500);
    records = doc;
    if (cJSON_IsObject(doc)) {
        records = cJSON_GetObjectItemCaseSensitive(doc, "results");
        if (!records)
            records = cJSON_GetObjectItemCaseSensitive(doc, "data");
        if (!records)
            records = cJSON_GetObjectItemCaseSensitive(doc, "history");
    }
    e.message[0] = '\0';
    if (FUZZ_PROVIDER == 1)
        rc = ecar_rte_parse_day(records, D0, &fs, NULL, &ci, &taux, NULL, &partial, &dups, &e);
    else
        rc = ecar_em_parse_day(records, D0, &ci, &dups, &e);
    if (rc != EST_OK && !e.message[0])
        abort();
    if (rc == EST_OK) {
        check(&ci);
        for (i = 0; i < taux.n; i++)
            if (!(taux.p[i].g_co2e_per_kwh >= 0.0) || !isfinite(taux.p[i].g_co2e_per_kwh))
                abort();
    }
    free(ci.p);
    free(taux.p);
    cJSON_Delete(doc);
    return 0;
}
