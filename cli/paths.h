/* Where ecoest finds its data: the shipped hwdb and zone tables, overlays. */
#ifndef ECOEST_CLI_PATHS_H
#define ECOEST_CLI_PATHS_H

#include <limits.h>
#include <stddef.h>

#include "ecoest/estimate.h"

/*
 * The folder holding the shipped data (hwdb/, carbon/), tried in order:
 *   $ECOEST_DATA_DIR;
 *   the source tree the program was built from, when the program runs from
 *   its build tree (so that edits to the hwdb CSV files show at once, whatever is
 *   installed);
 *   <dir of the executable>/../share/ecoest (an installed tree);
 *   the configured install datadir.
 * The first that holds hwdb/cpu.csv wins. Returns NULL when none does.
 */
const char *cli_data_dir(void);

#define CLI_OVERLAYS_MAX 32

/* Overlay folders, in the order they are read (later ones win). */
typedef struct cli_overlays {
    size_t n;
    const char *dirs[CLI_OVERLAYS_MAX];
    char store[8192];      /* the copy of the environment list */
    char xdg[PATH_MAX];    /* $XDG_CONFIG_HOME/ecoest/<sub> */
} cli_overlays;

/*
 * The folders of $env_name (colon-separated), then $XDG_CONFIG_HOME/ecoest/sub
 * (default ~/.config/ecoest/sub; a relative XDG_CONFIG_HOME is ignored, as
 * the XDG spec says). Returns 0, or 64 with a message when the list is too
 * long to be read whole.
 */
int cli_overlay_dirs(cli_overlays *ov, const char *env_name, const char *sub);

/* Opens the hardware database and the zone table with their overlays.
   Return 0, or an exit status with a message printed. */
int cli_open_hwdb(est_hwdb **db);
int cli_open_zones(est_zones **zones);
/* The shipped cloud regions (carbon/regions.csv), their zones checked
   against zones. Returns 0 or an exit status (message printed). */
int cli_open_regions(est_regions **regions, const est_zones *zones);
/* The shipped embodied-emission factors (carbon/embodied.csv). quiet: no
   message on failure (the caller goes on without them). Returns 0 or an
   exit status. */
int cli_open_embodied(est_embodied_factors **f, int quiet);
/* The shipped CPU power curves (cpu_power_curves.csv, for --cpu-power-model
   curve) of the data folder ($ECOEST_DATA_DIR, the source tree's or an
   installed share/ecoest), else the install's, else the source tree's.
   Returns 0, or an exit status with a message printed (*curves NULL). */
int cli_open_curves(est_power_curves **curves);

#endif
