/* libFuzzer target: the --columns specification of the sample readers. The
 * first line of the input is the specification, the rest a CSV it maps
 * (est_samples_reader_open then the reader). A refused specification has a
 * message; an accepted one reads the rest without crashing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    char *spec = malloc(n + 1);
    est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples *s = NULL;
    est_samples_reader *r = NULL;
    est_error e;
    if (!spec)
        abort();
    memcpy(spec, data, n);
    spec[n] = '\0';
    ro.columns = spec;
    ro.has_tz = 1;
    ro.skip_bad_rows = 1;
    if (est_samples_open(&s, &so, &e) != EST_OK)
        abort();
    e.message[0] = '\0';
    if (est_samples_reader_open(&r, s, "fuzz.csv", &ro, &e) != EST_OK) {
        if (!e.message[0])
            abort();
    } else {
        if (nl)
            (void)est_samples_reader_feed(r, (const char *)nl + 1, size - n - 1, &e);
        (void)est_samples_reader_finish(r, &e);
        est_samples_reader_free(r);
    }
    est_samples_free(s);
    free(spec);
    return 0;
}
