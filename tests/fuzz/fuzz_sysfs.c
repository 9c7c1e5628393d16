/* libFuzzer target: the sysfs CPU topology for --cpu auto's core count
 * (cli/detect.c's cli_sysfs_cores). The input: one byte, the CPUs (1..16),
 * then the files' contents separated by NUL bytes, two per CPU
 * (physical_package_id, core_id); a missing piece is a missing file. The
 * count is at least 1 and at most the CPUs given. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long round;
    char dir[4096], path[4200];
    size_t cpus[16], n, i, off = 1;
    unsigned cores = 0;
    if (size == 0)
        return 0;
    n = (size_t)(data[0] % 16) + 1;
    snprintf(dir, sizeof dir, "%s/r%lu", fuzz_dir(), round++);
    for (i = 0; i < n; i++) {
        static const char *const names[2] = {"physical_package_id", "core_id"};
        int k;
        cpus[i] = i;
        snprintf(path, sizeof path, "%s/cpu%zu/topology/", dir, i);
        fuzz_mkdirs(path);
        for (k = 0; k < 2; k++) {
            const uint8_t *end;
            size_t len;
            if (off > size)
                continue; /* a missing file */
            end = memchr(data + off, '\0', size - off);
            len = end ? (size_t)(end - (data + off)) : size - off;
            snprintf(path, sizeof path, "%s/cpu%zu/topology/%s", dir, i, names[k]);
            fuzz_write(path, data + off, len);
            off += len + 1;
        }
    }
    if (cli_sysfs_cores(dir, cpus, n, &cores) == 0 && (cores < 1 || cores > n))
        abort();
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/cpu%zu/topology/physical_package_id", dir, i);
        remove(path);
        snprintf(path, sizeof path, "%s/cpu%zu/topology/core_id", dir, i);
        remove(path);
        snprintf(path, sizeof path, "%s/cpu%zu/topology", dir, i);
        remove(path);
        snprintf(path, sizeof path, "%s/cpu%zu", dir, i);
        remove(path);
    }
    remove(dir);
    return 0;
}
