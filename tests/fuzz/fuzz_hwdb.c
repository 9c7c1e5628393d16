/* libFuzzer target: the hardware database's CSV files through the public
 * API, as an overlay folder (est_hwdb_open with no shipped rows). The first
 * byte picks the file (cpu.csv, gpu.csv, aliases.csv); the rest is its
 * text. A database that opens lists rows whose figures est_hwdb_check_entry
 * accepts, and resolves names without crashing; an error has a message. */
#include <stddef.h>
#include <stdint.h>

#include "ecoest/hwdb.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const files[] = {"cpu.csv", "gpu.csv", "aliases.csv"};
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    const char *dirs[1];
    est_hwdb *db = NULL;
    est_error e;
    char path[512];
    size_t i, k;
    int rc;
    if (size < 1)
        return 0;
    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", fuzz_dir(), files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), files[data[0] % 3]);
    fuzz_write(path, data + 1, size - 1);
    dirs[0] = fuzz_dir();
    o.overlay_dirs = dirs;
    o.n_overlay_dirs = 1;
    e.message[0] = '\0';
    rc = est_hwdb_open(&db, &o, &e);
    if (rc != EST_OK) {
        if (!e.message[0])
            abort();
        return 0;
    }
    for (k = 0; k < 2; k++) {
        est_hwdb_kind kind = k ? EST_HWDB_GPU : EST_HWDB_CPU;
        size_t n = est_hwdb_count(db, kind);
        est_hwdb_match m;
        for (i = 0; i < n; i++) {
            est_hwdb_entry ent;
            if (est_hwdb_get(&ent, db, kind, i) != EST_OK)
                abort();
            if (est_hwdb_check_entry(&ent, &e) != EST_OK)
                abort(); /* a row the reader took must be a valid row */
        }
        (void)est_hwdb_resolve(&m, db, kind, "Xeon Gold 5218", &e);
        (void)est_hwdb_resolve(&m, db, kind, "NVIDIA A100-SXM4-40GB", &e);
    }
    est_hwdb_free(db);
    return 0;
}
