/* libFuzzer target: /proc/cpuinfo for --cpu auto (cli/detect.c's
 * cli_cpuinfo_brand), read through a memory stream. The brand found is a
 * NUL-terminated string within its buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char brand[128];
    FILE *f;
    int rc;
    if (size == 0)
        return 0;
    f = fmemopen((void *)(uintptr_t)data, size, "r");
    if (!f)
        abort();
    memset(brand, 'x', sizeof brand);
    rc = cli_cpuinfo_brand(f, brand, sizeof brand);
    fclose(f);
    if (rc == 1 && (memchr(brand, '\0', sizeof brand) == NULL || brand[0] == '\0'))
        abort(); /* found: a non-empty string within the buffer */
    return 0;
}
