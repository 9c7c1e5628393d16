/* libFuzzer target: a cached day (<cache>/<provider>/FR/2025-01-15.json) read
 * by an offline est_carbon_fetch of that day. The first byte picks the
 * provider; the rest is the file. Either the fetch gives points (finite,
 * 0..5000, inside the day), or it fails with a message; a note never holds
 * a control character. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "ecoest/carbon.h"
#include "fuzz_util.h"

#define D0 1736899200.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    est_carbon_options o = EST_CARBON_OPTIONS_INIT;
    est_carbon_series s;
    est_carbon_factor_set fs;
    est_error e;
    char dir[512], path[600];
    size_t i, k;
    int rc;
    if (size < 1)
        return 0;
    memset(&fs, 0, sizeof fs);
    snprintf(fs.name, sizeof fs.name, "fuzz");
    snprintf(fs.scope, sizeof fs.scope, "lifecycle");
    for (i = 0; i < EST_CARBON_SRC_COUNT; i++)
        fs.g_co2e_per_kwh[i] = (double)(i * 100);
    o.provider = (data[0] & 1) ? EST_CARBON_PROVIDER_ELECTRICITYMAPS : EST_CARBON_PROVIDER_RTE;
    o.zone = "FR";
    o.factors = &fs;
    o.start_unix_s = D0 + (double)(data[0] >> 1) * 600.0;
    o.end_unix_s = D0 + 86400.0;
    o.now_unix_s = 1800000000.0;
    o.offline = 1;
    o.cache_dir = fuzz_dir();
    snprintf(dir, sizeof dir, "%s/%s/FR", fuzz_dir(), est_carbon_provider_name(o.provider));
    fuzz_mkdirs(dir);
    snprintf(path, sizeof path, "%s/2025-01-15.json", dir);
    fuzz_write(path, data + 1, size - 1);
    e.message[0] = '\0';
    rc = est_carbon_fetch(&s, &o, &e);
    if (rc != EST_OK && !e.message[0])
        abort();
    for (i = 0; i < s.n_points; i++)
        if (!(s.points[i].g_co2e_per_kwh >= 0.0 && s.points[i].g_co2e_per_kwh <= 5000.0) ||
            !(s.points[i].t_unix_s >= D0 && s.points[i].t_unix_s < D0 + 86400.0))
            abort();
    for (i = 0; i < s.n_notes; i++)
        for (k = 0; s.notes[i][k]; k++)
            if ((unsigned char)s.notes[i][k] < 0x20)
                abort();
    est_carbon_series_clear(&s);
    return 0;
}
