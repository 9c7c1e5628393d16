/* Atomic file writes, mkdir -p and the XDG base folders (ecoest/fs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ecoest/fs.h"
#include "internal.h"

struct est_fs_atomic {
    FILE *f;
    char target[EST_FS_PATH_MAX];
    char tmp[EST_FS_PATH_MAX + 32];
};

static const char *kind_name(mode_t m)
{
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

/* Resolves path into target (a link is followed) and checks that it is
   absent or a regular file. *mode_out gets the existing file's mode, or 0. */
static int check_target(const char *path, char *target, size_t size, mode_t *mode_out,
                        est_error *err)
{
    struct stat st;
    *mode_out = 0;
    if (strlen(path) >= size)
        return est__fail(err, EST_ERANGE, "%s: path too long", path);
    est__strlcpy(target, path, size);
    if (lstat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT)
            return EST_OK;
        return est__fail(err, EST_EIO, "%s: cannot stat: %s", path, EST__STRERROR(e));
    }
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            return est__fail(err, EST_EIO, "%s: a symbolic link to nothing that exists: "
                             "refused", path);
        if (strlen(real) >= size) {
            free(real);
            return est__fail(err, EST_ERANGE, "%s: path too long", path);
        }
        est__strlcpy(target, real, size);
        free(real);
        if (stat(target, &st) != 0) {
            int e = errno;
            return est__fail(err, EST_EIO, "%s: cannot stat: %s", target, EST__STRERROR(e));
        }
    }
    if (!S_ISREG(st.st_mode))
        return est__fail(err, EST_EIO, "%s: exists and is %s, not a regular file: refused "
                         "(it is never replaced)", path, kind_name(st.st_mode));
    *mode_out = st.st_mode & 07777;
    return EST_OK;
}

/* A temporary name beside target, created with O_EXCL (so the umask
   applies to mode, unlike mkstemp's 0600 then fchmod). */
static int create_tmp(est_fs_atomic *af, mode_t mode, est_error *err)
{
    unsigned attempt;
    struct timespec ts;
    uint64_t x;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
        (uint64_t)(uintptr_t)af;
    for (attempt = 0; attempt < 64; attempt++) {
        int fd;
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        if (snprintf(af->tmp, sizeof af->tmp, "%s.tmp.%06llx", af->target,
                     (unsigned long long)(x >> 40)) >= (int)sizeof af->tmp)
            return est__fail(err, EST_ERANGE, "%s: path too long", af->target);
        fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0) {
            int e = errno;
            return est__fail(err, EST_EIO, "%s: cannot create a temporary file beside it: %s",
                             af->target, EST__STRERROR(e));
        }
        af->f = fdopen(fd, "wb");
        if (!af->f) {
            close(fd);
            unlink(af->tmp);
            return est__fail(err, EST_ENOMEM, "out of memory opening %s", af->tmp);
        }
        return EST_OK;
    }
    return est__fail(err, EST_EIO, "%s: no free temporary name beside it", af->target);
}

int est_fs_atomic_open(est_fs_atomic **out, const char *path, unsigned mode, est_error *err)
{
    est_fs_atomic *af;
    mode_t existing;
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_fs_atomic_open: NULL argument");
    *out = NULL;
    if (!path || !*path)
        return est__fail(err, EST_EINVAL, "est_fs_atomic_open: NULL or empty path");
    af = calloc(1, sizeof *af);
    if (!af)
        return est__fail(err, EST_ENOMEM, "out of memory");
    rc = check_target(path, af->target, sizeof af->target, &existing, err);
    if (!rc) {
        rc = create_tmp(af, mode ? (mode_t)(mode & 07777) : 0666, err);
        if (!rc && existing)
            (void)fchmod(fileno(af->f), existing); /* keep the file's own mode */
    }
    if (rc) {
        free(af);
        return rc;
    }
    *out = af;
    return EST_OK;
}

FILE *est_fs_atomic_stream(est_fs_atomic *af) { return af ? af->f : NULL; }

const char *est_fs_atomic_target(const est_fs_atomic *af) { return af ? af->target : NULL; }

const char *est_fs_atomic_temp_path(const est_fs_atomic *af) { return af ? af->tmp : NULL; }

int est_fs_read_file(char **data, size_t *len, const char *path, size_t max_bytes, est_error *err)
{
    if (!data || !len)
        return est__fail(err, EST_EINVAL, "est_fs_read_file: NULL argument");
    *data = NULL;
    *len = 0;
    if (!path || !*path)
        return est__fail(err, EST_EINVAL, "est_fs_read_file: NULL or empty path");
    return est__read_file(path, max_bytes, data, len, err);
}

void est_fs_atomic_abort(est_fs_atomic *af)
{
    if (!af)
        return;
    if (af->f)
        fclose(af->f);
    unlink(af->tmp);
    free(af);
}

static void sync_folder_of(const char *path)
{
    char dir[EST_FS_PATH_MAX];
    const char *slash = strrchr(path, '/');
    int dfd;
    if (!slash) {
        dir[0] = '.';
        dir[1] = '\0';
    } else if (slash == path) {
        dir[0] = '/';
        dir[1] = '\0';
    } else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
}

int est_fs_atomic_commit(est_fs_atomic *af, est_error *err)
{
    int e = 0, rc = EST_OK;
    FILE *f;
    struct stat st;
    if (!af)
        return est__fail(err, EST_EINVAL, "est_fs_atomic_commit: NULL argument");
    f = af->f;
    af->f = NULL;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (e) {
        rc = est__fail(err, EST_EIO, "cannot write %s: %s", af->target, EST__STRERROR(e));
    } else if (lstat(af->target, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* replaced while we wrote: a device node must never be renamed over */
        rc = est__fail(err, EST_EIO, "%s: exists and is %s, not a regular file: refused "
                       "(it is never replaced)", af->target, kind_name(st.st_mode));
    } else if (rename(af->tmp, af->target) != 0) {
        e = errno;
        rc = est__fail(err, EST_EIO, "cannot rename %s to %s: %s", af->tmp, af->target,
                       EST__STRERROR(e));
    }
    if (rc) {
        est_fs_atomic_abort(af);
        return rc;
    }
    sync_folder_of(af->target); /* make the rename itself durable */
    free(af);
    return EST_OK;
}

int est_fs_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
                        est_error *err)
{
    est_fs_atomic *af;
    int rc;
    if (!data && len)
        return est__fail(err, EST_EINVAL, "est_fs_write_atomic: NULL data");
    rc = est_fs_atomic_open(&af, path, mode, err);
    if (rc)
        return rc;
    if (len && fwrite(data, 1, len, af->f) != len) {
        int e = errno ? errno : EIO;
        est_fs_atomic_abort(af);
        return est__fail(err, EST_EIO, "cannot write %s: %s", path, EST__STRERROR(e));
    }
    return est_fs_atomic_commit(af, err);
}

static int mkdir_one(const char *p, mode_t mode, est_error *err)
{
    struct stat st;
    if (mkdir(p, mode) == 0)
        return EST_OK;
    if (errno != EEXIST) {
        int e = errno;
        return est__fail(err, EST_EIO, "cannot create the folder %s: %s", p, EST__STRERROR(e));
    }
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        return est__fail(err, EST_EIO, "cannot create the folder %s: it exists and is not "
                         "a folder", p);
    return EST_OK;
}

int est_fs_mkdir_p(const char *path, unsigned mode, est_error *err)
{
    char p[EST_FS_PATH_MAX];
    size_t i, n;
    int rc;
    if (!path || !*path)
        return est__fail(err, EST_EINVAL, "est_fs_mkdir_p: NULL or empty path");
    n = strlen(path);
    if (n >= sizeof p)
        return est__fail(err, EST_ERANGE, "%s: path too long", path);
    memcpy(p, path, n + 1);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    for (i = 1; i < n; i++) {
        if (p[i] != '/' || p[i - 1] == '/')
            continue;
        p[i] = '\0';
        rc = mkdir_one(p, (mode_t)mode, err);
        p[i] = '/';
        if (rc)
            return rc;
    }
    return mkdir_one(p, (mode_t)mode, err);
}

int est_fs_xdg_dir(char *buf, size_t size, est_fs_xdg kind, const char *xdg_value,
                   const char *home, const char *sub, unsigned *notes, est_error *err)
{
    static const char *const defaults[] = {".config", ".cache", ".local/share"};
    int n;
    if (notes)
        *notes = 0;
    if (!buf || !size || (unsigned)kind > EST_FS_XDG_DATA)
        return est__fail(err, EST_EINVAL, "est_fs_xdg_dir: invalid argument");
    buf[0] = '\0';
    if (xdg_value && *xdg_value && xdg_value[0] != '/') {
        if (notes)
            *notes |= EST_FS_XDG_RELATIVE_IGNORED;
        xdg_value = NULL;
    }
    if (xdg_value && *xdg_value)
        n = snprintf(buf, size, "%s/ecoest%s%s", xdg_value, sub ? "/" : "", sub ? sub : "");
    else if (home && home[0] == '/')
        n = snprintf(buf, size, "%s/%s/ecoest%s%s", home, defaults[kind], sub ? "/" : "",
                     sub ? sub : "");
    else
        return est__fail(err, EST_ENOENT, "no folder for ecoest's %s: neither an absolute "
                         "$XDG_%s_HOME nor an absolute $HOME",
                         kind == EST_FS_XDG_CONFIG ? "configuration" :
                         kind == EST_FS_XDG_CACHE ? "cache" : "data",
                         kind == EST_FS_XDG_CONFIG ? "CONFIG" :
                         kind == EST_FS_XDG_CACHE ? "CACHE" : "DATA");
    if (n < 0 || (size_t)n >= size) {
        buf[0] = '\0';
        return est__fail(err, EST_ERANGE, "the ecoest folder under %s is too long",
                         xdg_value && *xdg_value ? xdg_value : home);
    }
    return EST_OK;
}
