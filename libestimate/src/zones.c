/* Interim zone table: the built-in WORLD row. */
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "ecoest/model.h"
#include "ecoest/zones.h"
#include "internal.h"

struct est_zones {
    int unused;
};

int est_zones_open(est_zones **zones, const est_zones_options *opts, est_error *err)
{
    (void)opts;
    if (!zones)
        return est__fail(err, EST_EINVAL, "est_zones_open: zones is NULL");
    *zones = calloc(1, sizeof **zones);
    if (!*zones)
        return est__fail(err, EST_ENOMEM, "out of memory");
    return EST_OK;
}

void est_zones_free(est_zones *zones) { free(zones); }

int est_zones_lookup(const est_zones *zones, const char *code, est_zone *out,
                     est_error *err)
{
    (void)zones;
    if (!code || !out)
        return est__fail(err, EST_EINVAL, "est_zones_lookup: NULL argument");
    if (strcasecmp(code, "WORLD") != 0)
        return est__fail(err, EST_ENOTFOUND, "unknown zone \"%s\"", code);
    memset(out, 0, sizeof *out);
    est__strlcpy(out->code, "WORLD", sizeof out->code);
    est__strlcpy(out->name, "World", sizeof out->name);
    out->ci_g_co2e_per_kwh = EST_DEFAULT_CI_G_CO2E_PER_KWH;
    out->year = 2019;
    est__strlcpy(out->scope, "direct", sizeof out->scope);
    out->water_l_per_kwh = EST_UNSET;
    est__strlcpy(out->source, "IEA, Global Energy & CO2 Status Report 2019",
                 sizeof out->source);
    est__strlcpy(out->origin, "built-in", sizeof out->origin);
    return EST_OK;
}
