/* Helpers of the libFuzzer targets: a private temporary folder per process
 * and whole-file writes. Any failure of the harness itself aborts. */
#ifndef ECOEST_FUZZ_UTIL_H
#define ECOEST_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The process's temporary folder, made on first use (removed by nobody:
   under /tmp, a few small files). */
static inline const char *fuzz_dir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/ecoest-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    return dir;
}

static inline void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

static inline void fuzz_mkdirs(const char *path)
{
    char p[4096];
    size_t i;
    snprintf(p, sizeof p, "%s", path);
    for (i = 1; p[i]; i++)
        if (p[i] == '/') {
            p[i] = '\0';
            mkdir(p, 0700);
            p[i] = '/';
        }
    mkdir(p, 0700);
}

#endif
