/* libFuzzer target: response header lines as curl hands them (Retry-After,
 * Location). A Retry-After taken is a finite number >= 0; a Location host
 * holds printable ASCII only, never a '@', '/' or '#' (so never user info
 * or a path; '?' is what stands for any other byte, the query is cut
 * before), and always ends within its buffer. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ecar_head_info hi = {-1.0, ""};
    char *copy = malloc(size ? size : 1); /* not NUL-terminated, as curl's */
    size_t i;
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    ecar_http_header(copy, size, &hi);
    if (hi.retry_after != -1.0 && !(hi.retry_after >= 0.0 && isfinite(hi.retry_after)))
        abort();
    if (memchr(hi.location_host, '\0', sizeof hi.location_host) == NULL)
        abort();
    for (i = 0; hi.location_host[i]; i++) {
        unsigned char c = (unsigned char)hi.location_host[i];
        if (c < 0x20 || c >= 0x7f || c == '@' || c == '/' || c == '#')
            abort();
    }
    free(copy);
    return 0;
}
