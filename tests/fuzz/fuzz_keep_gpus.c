/* libFuzzer target: est_samples_keep_gpus, the copy of an ecoest log that
 * keeps some GPUs (ecoest run --gpus-of-tree). The first byte chooses the
 * GPUs kept (bit k: GPU k, for k < 8); the rest is the log. On success the
 * copy is a log in ecoest's format: it starts with the header's time
 * column, and it is never longer than a bounded multiple of the input (a
 * value is rewritten with at most 17 significant digits). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct sink {
    char head[16];
    size_t n;
} sink;

static int put(void *user, const char *d, size_t len)
{
    sink *s = user;
    size_t k;
    for (k = 0; k < len && s->n + k < sizeof s->head; k++)
        s->head[s->n + k] = d[k];
    s->n += len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char keep[8];
    sink s;
    est_error err;
    size_t k;
    int rc;
    if (size == 0)
        return 0;
    for (k = 0; k < sizeof keep; k++)
        keep[k] = (unsigned char)((data[0] >> k) & 1u);
    memset(&s, 0, sizeof s);
    rc = est_samples_keep_gpus((const char *)data + 1, size - 1, keep, sizeof keep, put, &s,
                               &err);
    if (rc == EST_OK && s.n > 0 && strncmp(s.head, "time", s.n < 4 ? s.n : 4) != 0)
        abort(); /* a copy starts with its time column */
    if (rc != EST_OK && memchr(err.message, '\0', sizeof err.message) == NULL)
        abort(); /* the message is a string */
    return 0;
}
