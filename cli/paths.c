/* Where ecoest finds its data: the shipped tables and the overlays. */
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
#ifndef ECOEST_BUILD_DIR
#define ECOEST_BUILD_DIR ""
#endif

static char data_dir[PATH_MAX];

static int has_data(const char *dir)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/hwdb/cpu.csv", dir) >= (int)sizeof p)
        return 0;
    return access(p, R_OK) == 0;
}

static const char *use(const char *dir)
{
    snprintf(data_dir, sizeof data_dir, "%s", dir);
    return data_dir;
}

const char *cli_data_dir(void)
{
    const char *env = getenv("ECOEST_DATA_DIR");
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n;
    if (data_dir[0])
        return data_dir;
    if (env && *env)
        return use(env);
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash) {
            char cand[PATH_MAX];
            *slash = '\0';
            /* running from the build tree: the sources' data, always */
            if (ECOEST_BUILD_DIR[0] && realpath(ECOEST_BUILD_DIR, build) &&
                strcmp(build, exe) == 0 && has_data(ECOEST_SOURCE_DATADIR))
                return use(ECOEST_SOURCE_DATADIR);
            if (snprintf(cand, sizeof cand, "%s/../share/ecoest", exe) < (int)sizeof cand &&
                has_data(cand))
                return use(cand);
        }
    }
    if (has_data(ECOEST_INSTALL_DATADIR))
        return use(ECOEST_INSTALL_DATADIR);
    if (has_data(ECOEST_SOURCE_DATADIR))
        return use(ECOEST_SOURCE_DATADIR);
    return NULL;
}

int cli_overlay_dirs(cli_overlays *ov, const char *env_name, const char *sub)
{
    const char *list = getenv(env_name), *xdg = getenv("XDG_CONFIG_HOME"),
               *home = getenv("HOME");
    ov->n = 0;
    if (list && *list) {
        char *p, *save = NULL;
        if (strlen(list) >= sizeof ov->store) {
            cli_msg("$%s is longer than %zu bytes", env_name, sizeof ov->store - 1);
            return CLI_EX_USAGE;
        }
        snprintf(ov->store, sizeof ov->store, "%s", list);
        for (p = strtok_r(ov->store, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
            if (!*p)
                continue;
            if (ov->n == CLI_OVERLAYS_MAX - 1) {
                cli_msg("$%s names more than %d folders", env_name, CLI_OVERLAYS_MAX - 1);
                return CLI_EX_USAGE;
            }
            ov->dirs[ov->n++] = p;
        }
    }
    /* XDG (est_fs_xdg_dir): a relative $XDG_CONFIG_HOME is invalid and
       ignored; without a folder, no user overlay */
    if (est_fs_xdg_dir(ov->xdg, sizeof ov->xdg, EST_FS_XDG_CONFIG, xdg, home, sub, NULL, NULL))
        ov->xdg[0] = '\0';
    if (ov->xdg[0])
        ov->dirs[ov->n++] = ov->xdg;
    return 0;
}

/* The shipped file or folder under the data dir, in buf ("" when there is
   no data dir). */
static const char *shipped(char *buf, size_t size, const char *rel)
{
    const char *dir = cli_data_dir();
    if (!dir)
        return NULL;
    snprintf(buf, size, "%s/%s", dir, rel);
    return buf;
}

static int opened(int rc, const est_error *e)
{
    if (rc) {
        cli_msg("%s", e->message);
        return cli_exit_for(rc);
    }
    return 0;
}

int cli_open_hwdb(est_hwdb **db)
{
    est_hwdb_options opts = EST_HWDB_OPTIONS_INIT;
    char path[PATH_MAX];
    cli_overlays ov;
    est_error e;
    int rc = cli_overlay_dirs(&ov, "ECOEST_HWDB_PATH", "hwdb");
    if (rc)
        return rc;
    opts.shipped_dir = shipped(path, sizeof path, "hwdb");
    opts.overlay_dirs = ov.dirs;
    opts.n_overlay_dirs = ov.n;
    return opened(est_hwdb_open(db, &opts, &e), &e);
}

int cli_open_zones(est_zones **zones)
{
    est_zones_options opts = EST_ZONES_OPTIONS_INIT;
    char path[PATH_MAX];
    cli_overlays ov;
    est_error e;
    int rc = cli_overlay_dirs(&ov, "ECOEST_ZONES_PATH", "carbon");
    if (rc)
        return rc;
    opts.shipped_file = shipped(path, sizeof path, "carbon/zones.csv");
    opts.overlay_dirs = ov.dirs;
    opts.n_overlay_dirs = ov.n;
    return opened(est_zones_open(zones, &opts, &e), &e);
}

int cli_open_regions(est_regions **regions, const est_zones *zones)
{
    char path[PATH_MAX];
    est_error e;
    if (!shipped(path, sizeof path, "carbon/regions.csv")) {
        cli_msg("no data folder: cannot find carbon/regions.csv (set ECOEST_DATA_DIR)");
        return CLI_EX_NOINPUT;
    }
    return opened(est_regions_open(regions, path, zones, &e), &e);
}

int cli_open_embodied(est_embodied_factors **f, int quiet)
{
    char path[PATH_MAX];
    est_error e;
    int rc;
    *f = NULL;
    if (!shipped(path, sizeof path, "carbon/embodied.csv")) {
        if (!quiet)
            cli_msg("no data folder: cannot find carbon/embodied.csv (set ECOEST_DATA_DIR)");
        return CLI_EX_NOINPUT;
    }
    rc = est_embodied_factors_open(f, path, &e);
    if (rc) {
        if (!quiet)
            cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return 0;
}

/* The CPU power curves (libestimate/data/cpu_power_curves.csv): the
   shipped table (est_power_curves_open_default) of the data folder, else
   the install's, else the source tree's. */
int cli_open_curves(est_power_curves **curves)
{
    const char *dirs[3];
    est_error e;
    size_t d;
    int rc = EST_ENOENT;
    *curves = NULL;
    dirs[0] = cli_data_dir();
    dirs[1] = ECOEST_INSTALL_DATADIR;
    dirs[2] = ECOEST_SOURCE_DATADIR;
    for (d = 0; d < 3 && rc == EST_ENOENT; d++)
        if (dirs[d])
            rc = est_power_curves_open_default(curves, dirs[d], &e);
    if (rc == EST_ENOENT) {
        cli_msg("--cpu-power-model curve: %s is not installed (looked in the data folder "
                "and %s)", EST_POWER_CURVES_FILE, ECOEST_INSTALL_DATADIR);
        return CLI_EX_NOINPUT;
    }
    if (rc) {
        cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return 0;
}
