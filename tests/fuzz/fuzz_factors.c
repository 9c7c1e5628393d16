/* libFuzzer target: factor sets (carbon/factors.csv and overlays) through
 * est_carbon_factors_load and est_carbon_factors_load_files. A set that loads holds ten
 * factors in 0..5000 and a known scope; an error always has a message. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "ecoest/carbon.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const est_carbon_factor_set *f, const est_error *e)
{
    size_t i;
    if (rc != EST_OK) {
        if (!e->message[0])
            abort();
        return;
    }
    for (i = 0; i < EST_CARBON_SRC_COUNT; i++)
        if (!(f->g_co2e_per_kwh[i] >= 0.0 && f->g_co2e_per_kwh[i] <= 5000.0))
            abort();
    if (strcmp(f->scope, "direct") != 0 && strcmp(f->scope, "lifecycle") != 0)
        abort();
    for (i = 0; f->name[i]; i++)
        if ((unsigned char)f->name[i] < 0x20 || (unsigned char)f->name[i] >= 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], path2[256];
    const char *paths[2];
    est_carbon_factor_set f;
    est_error e;
    static const char *const sets[] = {NULL, "s", "direct", "x\x1b"};
    const char *set;
    if (size < 1)
        return 0;
    set = sets[data[0] & 3];
    snprintf(path, sizeof path, "%s/factors.csv", fuzz_dir());
    fuzz_write(path, data + 1, size - 1);
    check(est_carbon_factors_load(&f, path, set, &e), &f, &e);
    /* the same file as an overlay of itself, and a missing overlay */
    snprintf(path2, sizeof path2, "%s/absent/factors.csv", fuzz_dir());
    paths[0] = path;
    paths[1] = (data[0] & 4) ? path : path2;
    check(est_carbon_factors_load_files(&f, paths, 2, set, &e), &f, &e);
    return 0;
}
