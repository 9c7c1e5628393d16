/* The day cache: one JSON file per provider, zone and UTC day, written
 * atomically (temporary file, fsync, rename, fsync of the folder). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carbon_internal.h"
#include "ecoest/fs.h"

int est_carbon_cache_path(char *buf, size_t size, const char *cache_dir,
                          est_carbon_provider provider, const char *zone, long days_since_epoch,
                          est_error *err)
{
    char z[EST_ZONE_CODE_MAX], day[16];
    size_t i;
    if (!cache_dir || !*cache_dir || !buf || !size)
        return est__fail(err, EST_EINVAL, "est_carbon_cache_path: NULL argument");
    if (!(zone && ecar_zone_code_valid(zone, strlen(zone))))
        return est__fail(err, EST_EINVAL, "cache: invalid zone code");
    if (provider != EST_CARBON_PROVIDER_RTE && provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS)
        return est__fail(err, EST_EINVAL, "cache: unknown provider");
    if (days_since_epoch < EST_DAYS_FORMAT_MIN || days_since_epoch > EST_DAYS_FORMAT_MAX)
        return est__fail(err, EST_ERANGE, "cache: day %ld is outside years 0001..9999",
                         days_since_epoch);
    for (i = 0; zone[i]; i++)
        z[i] = (char)est__to_upper_ascii((unsigned char)zone[i]);
    z[i] = '\0';
    ecar_day_name(days_since_epoch, day, sizeof day);
    if (snprintf(buf, size, "%s/%s/%s/%s.json", cache_dir, est_carbon_provider_name(provider), z,
                 day) >= (int)size)
        return est__fail(err, EST_ERANGE, "cache: path too long under %s", cache_dir);
    return EST_OK;
}

/* mkdir -p of the folder holding path_of_file (libestimate's one mkdir -p,
   ecoest/fs.h; the cache is private: 0700). */
int ecar_cache_mkdirs(const char *path_of_file, est_error *err)
{
    char p[EST_FS_PATH_MAX];
    size_t n = strlen(path_of_file);
    char *slash;
    if (n >= sizeof p)
        return est__fail(err, EST_EIO, "cache: path too long");
    memcpy(p, path_of_file, n + 1);
    slash = strrchr(p, '/');
    if (!slash || slash == p)
        return EST_OK;
    *slash = '\0';
    return est_fs_mkdir_p(p, 0700, err);
}

/* The one atomic-write helper (ecoest/fs.h): temporary file, fsync,
   rename, fsync of the folder; a cache path that is a device node, a FIFO
   or a folder is refused, never replaced. */
int est_carbon_cache_write(const char *path, const char *data, size_t len, est_error *err)
{
    int rc;
    if (!path || (!data && len))
        return est__fail(err, EST_EINVAL, "est_carbon_cache_write: NULL argument");
    if ((rc = ecar_cache_mkdirs(path, err)) != 0)
        return rc;
    return est_fs_write_atomic(path, data, len, 0600, err);
}
