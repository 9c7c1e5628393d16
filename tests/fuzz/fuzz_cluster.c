/* libFuzzer target: the cluster file of ecoest jobs (YAML, both forms),
 * through est_cluster_open with a default CPU power so that partitions need
 * no hardware database. An error has a message; an open cluster's entries
 * have finite, non-negative powers and a PUE >= 1. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "ecoest/jobs.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_cluster *c = NULL;
    est_error e;
    char path[512];
    size_t i;
    snprintf(path, sizeof path, "%s/cluster.yaml", fuzz_dir());
    fuzz_write(path, data, size);
    o.cpu_tdp_per_core_w = 10.0;
    o.ci_g_co2e_per_kwh = 100.0;
    e.message[0] = '\0';
    if (est_cluster_open(&c, path, &o, &e) != EST_OK) {
        if (!e.message[0])
            abort();
        return 0;
    }
    for (i = 0; i < est_cluster_count(c); i++) {
        const est_cluster_partition *p = est_cluster_at(c, i);
        if (!(p->cpu_tdp_per_core_w > 0.0) || !isfinite(p->cpu_tdp_per_core_w) ||
            !(p->pue >= 1.0) || !isfinite(p->pue))
            abort();
    }
    est_cluster_free(c);
    return 0;
}
