/* libFuzzer target: zones.csv through the public API (est_zones_open of a
 * shipped file). A table that opens looks codes up and holds intensities in
 * 0..5000; an error has a message. (Control characters in names, issue 14
 * #7, are checked with -DFUZZ_ZONES_NAMES once zones.c refuses them.) */
#include <stddef.h>
#include <stdint.h>

#include "ecoest/zones.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    est_zones_options o = EST_ZONES_OPTIONS_INIT;
    est_zones *z = NULL;
    est_zone row;
    est_error e;
    char path[512];
    static const char *const codes[] = {"FR", "WORLD", "de", "US-CAL-CISO", "x"};
    size_t i, k;
    snprintf(path, sizeof path, "%s/zones.csv", fuzz_dir());
    fuzz_write(path, data, size);
    o.shipped_file = path;
    e.message[0] = '\0';
    if (est_zones_open(&z, &o, &e) != EST_OK) {
        if (!e.message[0])
            abort();
        return 0;
    }
    (void)est_zones_count(z);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (est_zones_lookup(&row, z, codes[i], &e) != EST_OK)
            continue;
        if (!(row.ci_g_co2e_per_kwh >= 0.0 && row.ci_g_co2e_per_kwh <= 5000.0))
            abort();
#ifdef FUZZ_ZONES_NAMES
        for (k = 0; row.name[k]; k++)
            if ((unsigned char)row.name[k] < 0x20 || (unsigned char)row.name[k] == 0x7f)
                abort();
#else
        (void)k;
#endif
    }
    est_zones_free(z);
    return 0;
}
