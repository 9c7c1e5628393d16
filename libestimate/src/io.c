/* Reading a whole file into memory: the one helper of the project. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int est__read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                   est_error *err)
{
    FILE *f;
    struct stat st;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int fd;
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return est__fail_at(err, EST_ENOENT, path, 0, 0, NULL, "no such file");
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "cannot open: %s", EST__STRERROR(e));
    }
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "cannot stat: %s", EST__STRERROR(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "%s",
                            S_ISDIR(st.st_mode) ? "is a folder, not a file"
                                                : "not a regular file");
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return est__fail(err, EST_ENOMEM, "out of memory reading %s", path);
    }
    /* a regular file: its size is known, so one allocation usually does
       (the loop still copes with a file that grows while it is read) */
    if ((unsigned long long)st.st_size <= max_bytes) {
        cap = (size_t)st.st_size + 4097;
        buf = malloc(cap);
        if (!buf) {
            fclose(f);
            return est__fail(err, EST_ENOMEM, "out of memory reading %s", path);
        }
    }
    for (;;) {
        size_t k;
        if (cap - n < 4096) {
            char *nb;
            size_t nc = cap ? cap * 2 : 65536;
            if (cap > max_bytes + 1) {
                free(buf);
                fclose(f);
                return est__fail_at(err, EST_ERANGE, path, 0, 0, NULL,
                                    "larger than %zu bytes", max_bytes);
            }
            nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                fclose(f);
                return est__fail(err, EST_ENOMEM, "out of memory reading %s", path);
            }
            buf = nb;
            cap = nc;
        }
        k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (n > max_bytes) {
            free(buf);
            fclose(f);
            return est__fail_at(err, EST_ERANGE, path, 0, 0, NULL, "larger than %zu bytes",
                                max_bytes);
        }
        if (k == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        fclose(f);
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "read error: %s", EST__STRERROR(e));
    }
    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return EST_OK;
}
