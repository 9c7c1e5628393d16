/* Where ecoest finds its data: the shipped hwdb and zone tables, overlays. */
#ifndef ECOEST_CLI_PATHS_H
#define ECOEST_CLI_PATHS_H

#include "ecoest/estimate.h"

/*
 * The folder holding the shipped data (hwdb/, carbon/), tried in order:
 *   $ECOEST_DATA_DIR;
 *   <dir of the executable>/../share/ecoest (installed layout);
 *   the configured install datadir;
 *   the source tree the program was built from (running from the build tree).
 * The first that holds hwdb/cpu.csv wins. Returns NULL when none does.
 */
const char *cli_data_dir(void);

/* Opens the hardware database and the zone table with their overlays.
   Return 0, or an exit status with a message printed. */
int cli_open_hwdb(est_hwdb **db);
int cli_open_zones(est_zones **zones);

#endif
