/* ecoest_hwdb_index: builds the binary index of the shipped hardware
 * database (docs/hwdb.md, "The index"). Run by the build, not installed.
 *
 * Usage: ecoest_hwdb_index DIR OUT
 *   DIR  the folder holding cpu.csv, gpu.csv and aliases.csv
 *   OUT  the index to write (through a temporary file renamed into place)
 * Exit status: 0 written and read back, 1 an error (message on stderr). */
#include <stdio.h>
#include <string.h>

#include "hwdb_internal.h"

int main(int argc, char **argv)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL, *back = NULL;
    est_error e;
    int k;
    if (argc != 3) {
        fprintf(stderr, "usage: ecoest_hwdb_index DIR OUT\n");
        return 1;
    }
    o.shipped_dir = argv[1];
    o.index_path = ""; /* from the CSVs */
    if (est_hwdb_open(&db, &o, &e) || est__hwdb_write_index(db, argv[1], argv[2], &e)) {
        fprintf(stderr, "ecoest_hwdb_index: %s\n", e.message);
        est_hwdb_free(db);
        return 1;
    }
    /* read it back: it must be used and hold the same rows */
    o.index_path = argv[2];
    if (est_hwdb_open(&back, &o, &e)) {
        fprintf(stderr, "ecoest_hwdb_index: reading back: %s\n", e.message);
        est_hwdb_free(db);
        return 1;
    }
    for (k = 0; k < 2; k++)
        if (est_hwdb_count(db, (est_hwdb_kind)k) != est_hwdb_count(back, (est_hwdb_kind)k))
            break;
    if (!est_hwdb_index_used(back) || k < 2) {
        fprintf(stderr, "ecoest_hwdb_index: %s does not read back\n", argv[2]);
        est_hwdb_free(db);
        est_hwdb_free(back);
        return 1;
    }
    printf("ecoest_hwdb_index: %s: %zu CPU and %zu GPU models\n", argv[2],
           est_hwdb_count(db, EST_HWDB_CPU), est_hwdb_count(db, EST_HWDB_GPU));
    est_hwdb_free(db);
    est_hwdb_free(back);
    return 0;
}
