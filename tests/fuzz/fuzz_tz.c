/* libFuzzer target: --tz (cli/tz.c). The input's first line is the value
 * (NUL-terminated there); the next 8 bytes, when present, a local time whose
 * offsets are asked under the zone (|t| < 1e11 s, the years ecoest reads).
 * A fixed offset is within +-23:59; a zone name gives one or two offsets
 * within +-26 h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    char tz[300];
    const uint8_t *nl = memchr(data, '\n', size);
    size_t len = nl ? (size_t)(nl - data) : size, i;
    long off = 0;
    double t = 1.7e9;
    if (len >= sizeof tz)
        len = sizeof tz - 1;
    memcpy(tz, data, len);
    tz[len] = '\0';
    if (nl && (size_t)(nl - data) + 9 <= size) {
        int64_t v;
        memcpy(&v, nl + 1, 8);
        t = (double)(v % 100000000000LL);
    }
    switch (cli_tz_parse(tz, "/usr/share/zoneinfo", &off)) {
    case 0:
        if (off < -86340 || off > 86340)
            abort();
        break;
    case 1:
        if (cli_tz_setup(tz, &ro) != 0 || !ro.tz_offsets_fn)
            abort();
        for (i = 0; i < 3; i++) {
            long offs[2] = {0, 0}, o1 = 0;
            int n = 0;
            double at = t + (double)i * 3600.0;
            if (ro.tz_offsets_fn(ro.tz_user, at, offs, &n) != 0 || n < 1 || n > 2 ||
                offs[0] < -93600 || offs[0] > 93600 || ro.tz_fn(ro.tz_user, at, &o1) != 0)
                abort();
        }
        break;
    default:
        break;
    }
    return 0;
}
