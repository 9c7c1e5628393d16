#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "paths.h"

#ifndef ECOEST_INSTALL_DATADIR
#define ECOEST_INSTALL_DATADIR "/usr/local/share/ecoest"
#endif
#ifndef ECOEST_SOURCE_DATADIR
#define ECOEST_SOURCE_DATADIR "."
#endif

static char data_dir[PATH_MAX];

static int has_data(const char *dir)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/hwdb/cpu.csv", dir) >= (int)sizeof p)
        return 0;
    return access(p, R_OK) == 0;
}

const char *cli_data_dir(void)
{
    const char *env = getenv("ECOEST_DATA_DIR");
    char exe[PATH_MAX];
    ssize_t n;
    if (data_dir[0])
        return data_dir;
    if (env && *env) {
        snprintf(data_dir, sizeof data_dir, "%s", env);
        return data_dir;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            char cand[PATH_MAX];
            *slash = '\0';
            if (snprintf(cand, sizeof cand, "%s/../share/ecoest", exe) < (int)sizeof cand &&
                has_data(cand)) {
                snprintf(data_dir, sizeof data_dir, "%s", cand);
                return data_dir;
            }
        }
    }
    if (has_data(ECOEST_INSTALL_DATADIR)) {
        snprintf(data_dir, sizeof data_dir, "%s", ECOEST_INSTALL_DATADIR);
        return data_dir;
    }
    if (has_data(ECOEST_SOURCE_DATADIR)) {
        snprintf(data_dir, sizeof data_dir, "%s", ECOEST_SOURCE_DATADIR);
        return data_dir;
    }
    return NULL;
}

/* Splits a colon-separated list of folders into dirs (pointers into a copy
 * held in store); then appends base/<sub> of $XDG_CONFIG_HOME (default
 * ~/.config). Returns how many. */
#define OVERLAYS_MAX 32
typedef struct overlays {
    char store[8192];
    char xdg[PATH_MAX];
    const char *dirs[OVERLAYS_MAX];
    size_t n;
} overlays;

static void overlay_dirs(overlays *ov, const char *env_name, const char *sub)
{
    const char *list = getenv(env_name), *xdg = getenv("XDG_CONFIG_HOME"),
               *home = getenv("HOME");
    ov->n = 0;
    if (list && *list) {
        char *p, *save = NULL;
        snprintf(ov->store, sizeof ov->store, "%s", list);
        for (p = strtok_r(ov->store, ":", &save); p && ov->n < OVERLAYS_MAX - 1;
             p = strtok_r(NULL, ":", &save))
            if (*p)
                ov->dirs[ov->n++] = p;
    }
    if (xdg && *xdg)
        snprintf(ov->xdg, sizeof ov->xdg, "%s/ecoest/%s", xdg, sub);
    else if (home && *home)
        snprintf(ov->xdg, sizeof ov->xdg, "%s/.config/ecoest/%s", home, sub);
    else
        ov->xdg[0] = '\0';
    if (ov->xdg[0])
        ov->dirs[ov->n++] = ov->xdg;
}

int cli_open_hwdb(est_hwdb **db)
{
    est_hwdb_options opts = EST_HWDB_OPTIONS_INIT;
    char shipped[PATH_MAX];
    const char *dir = cli_data_dir();
    overlays ov;
    est_error e;
    int rc;
    if (dir) {
        snprintf(shipped, sizeof shipped, "%s/hwdb", dir);
        opts.shipped_dir = shipped;
    }
    overlay_dirs(&ov, "ECOEST_HWDB_PATH", "hwdb");
    opts.overlay_dirs = ov.dirs;
    opts.n_overlay_dirs = ov.n;
    rc = est_hwdb_open(db, &opts, &e);
    if (rc) {
        cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return 0;
}

int cli_open_zones(est_zones **zones)
{
    est_zones_options opts = EST_ZONES_OPTIONS_INIT;
    char shipped[PATH_MAX];
    const char *dir = cli_data_dir();
    overlays ov;
    est_error e;
    int rc;
    if (dir) {
        snprintf(shipped, sizeof shipped, "%s/carbon/zones.csv", dir);
        opts.shipped_file = shipped;
    }
    overlay_dirs(&ov, "ECOEST_ZONES_PATH", "carbon");
    opts.overlay_dirs = ov.dirs;
    opts.n_overlay_dirs = ov.n;
    rc = est_zones_open(zones, &opts, &e);
    if (rc) {
        cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return 0;
}
