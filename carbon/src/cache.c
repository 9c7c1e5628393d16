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

int est_carbon_cache_path(const char *cache_dir, est_provider provider, const char *zone,
                          long days_since_epoch, char *buf, size_t size, est_error *err)
{
    char z[EST_ZONE_CODE_MAX], day[16];
    size_t i;
    if (!cache_dir || !*cache_dir || !buf || !size)
        return est__fail(err, EST_EINVAL, "est_carbon_cache_path: NULL argument");
    if (!(zone && ecar_zone_code_valid(zone, strlen(zone))))
        return est__fail(err, EST_EINVAL, "cache: invalid zone code");
    if (provider != EST_PROVIDER_RTE && provider != EST_PROVIDER_ELECTRICITYMAPS)
        return est__fail(err, EST_EINVAL, "cache: unknown provider");
    if (days_since_epoch < EST_DAYS_FORMAT_MIN || days_since_epoch > EST_DAYS_FORMAT_MAX)
        return est__fail(err, EST_ERANGE, "cache: day %ld is outside years 0001..9999",
                         days_since_epoch);
    for (i = 0; zone[i]; i++)
        z[i] = (char)est__to_upper_ascii((unsigned char)zone[i]);
    z[i] = '\0';
    ecar_day_name(days_since_epoch, day, sizeof day);
    if (snprintf(buf, size, "%s/%s/%s/%s.json", cache_dir, est_provider_name(provider), z,
                 day) >= (int)size)
        return est__fail(err, EST_ERANGE, "cache: path too long under %s", cache_dir);
    return EST_OK;
}

/* mkdir -p of the folder holding path_of_file. */
int ecar_cache_mkdirs(const char *path_of_file, est_error *err)
{
    char p[4096];
    size_t i, n = strlen(path_of_file);
    char *slash;
    if (n >= sizeof p)
        return est__fail(err, EST_EIO, "cache: path too long");
    memcpy(p, path_of_file, n + 1);
    slash = strrchr(p, '/');
    if (!slash || slash == p)
        return EST_OK;
    *slash = '\0';
    for (i = 1; p[i]; i++) {
        if (p[i] != '/')
            continue;
        p[i] = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            int e = errno;
            return est__fail(err, EST_EIO, "cache: cannot create %s: %s", p, EST__STRERROR(e));
        }
        p[i] = '/';
    }
    if (mkdir(p, 0700) != 0 && errno != EEXIST) {
        int e = errno;
        return est__fail(err, EST_EIO, "cache: cannot create %s: %s", p, EST__STRERROR(e));
    }
    return EST_OK;
}

int est_carbon_cache_write(const char *path, const char *data, size_t len, est_error *err)
{
    char tmp[4200], dir[4096];
    const char *slash;
    int fd, rc;
    size_t off = 0;
    if (!path || (!data && len))
        return est__fail(err, EST_EINVAL, "est_carbon_cache_write: NULL argument");
    if ((rc = ecar_cache_mkdirs(path, err)) != 0)
        return rc;
    if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp)
        return est__fail(err, EST_EIO, "cache: path too long: %s", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        return est__fail(err, EST_EIO, "cache: cannot create a temporary file for %s: %s", path,
                         EST__STRERROR(e));
    }
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            close(fd);
            unlink(tmp);
            return est__fail(err, EST_EIO, "cache: cannot write %s: %s", tmp, EST__STRERROR(e));
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return est__fail(err, EST_EIO, "cache: cannot sync %s: %s", tmp, EST__STRERROR(e));
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return est__fail(err, EST_EIO, "cache: cannot close %s: %s", tmp, EST__STRERROR(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return est__fail(err, EST_EIO, "cache: cannot rename %s to %s: %s", tmp, path,
                         EST__STRERROR(e));
    }
    /* make the rename itself durable */
    slash = strrchr(path, '/');
    if (slash && (size_t)(slash - path) < sizeof dir) {
        int dfd;
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        dfd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    return EST_OK;
}
