/* The hardware database seen from a tool: the fields of a row as a listing
 * shows them, the words for how a name resolved, and appending a row to an
 * overlay file. The method lives here, so that `ecoest hwdb` only parses
 * arguments and renders (docs/hwdb.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ecoest/fs.h"
#include "hwdb_internal.h"

/* The largest overlay file read: the reader's own bound (hwdb.c). */
#define OVERLAY_BYTES_MAX ((size_t)64 << 20)

const char *est_hwdb_how_describe(est_hwdb_how how)
{
    switch (how) {
    case EST_HWDB_EXACT: return "exact: the name has the same words as the model";
    case EST_HWDB_ALIAS: return "alias: a reporting name listed in aliases.csv";
    case EST_HWDB_FAMILY: return "family default: a short name that several models share; "
                               "aliases.csv names the default";
    case EST_HWDB_UNIQUE: return "unique: the only model holding every word of the name";
    default: return "?";
    }
}

/* ------------------------------------------------------------ the fields */

static const char *const field_names[EST_HWDB_FIELDS] = {
    "kind", "model", "vendor", "cores", "threads", "tdp_w", "idle_w",
    "memory_gb", "form_factor", "year", "is_estimate", "source", "origin", "die_area_cm2"};

const char *est_hwdb_fields_header(void)
{
    return "kind,model,vendor,cores,threads,tdp_w,idle_w,memory_gb,form_factor,year,"
           "is_estimate,source,origin,die_area_cm2";
}

static void set_str(est_hwdb_field *f, const char *s)
{
    f->type = EST_HWDB_FIELD_STRING;
    f->str = s;
}

static void set_num(est_hwdb_field *f, double v, int known)
{
    f->type = known ? EST_HWDB_FIELD_NUMBER : EST_HWDB_FIELD_NULL;
    f->num = v;
}

int est_hwdb_entry_field(est_hwdb_field *f, const est_hwdb_entry *e, size_t i)
{
    int cpu;
    if (!e || !f || i >= EST_HWDB_FIELDS)
        return EST_EINVAL;
    cpu = e->kind == EST_HWDB_CPU;
    memset(f, 0, sizeof *f);
    f->name = field_names[i];
    f->type = EST_HWDB_FIELD_NULL;
    switch (i) {
    case 0: set_str(f, cpu ? "cpu" : "gpu"); break;
    case 1: set_str(f, e->model); break;
    case 2: set_str(f, e->vendor); break;
    case 3: set_num(f, e->cores, cpu); break;
    case 4: set_num(f, e->threads, cpu && e->threads); break;
    case 5: set_num(f, e->tdp_w, 1); break;
    case 6: set_num(f, e->idle_w, !cpu && e->idle_w >= 0.0); break;
    case 7: set_num(f, e->memory_gb, !cpu && e->memory_gb > 0.0); break;
    case 8:
        if (!cpu && e->form_factor[0])
            set_str(f, e->form_factor);
        break;
    case 9: set_num(f, e->year, e->year != 0); break;
    case 10:
        f->type = EST_HWDB_FIELD_BOOL;
        f->num = e->is_estimate ? 1.0 : 0.0;
        break;
    case 11: set_str(f, e->source); break;
    case 12: set_str(f, e->origin); break;
    default: set_num(f, e->die_area_cm2, e->die_area_cm2 > 0.0); break;
    }
    return EST_OK;
}

/* ------------------------------------------------------------ appending */

typedef struct append_ctx {
    const char *path;
    est_hwdb_problem_fn fn;
    void *ctx;
} append_ctx;

/* A problem of the temporary file, told under the real file's name. */
static void renamed_problem(const est_hwdb_problem *p, void *ctx)
{
    const append_ctx *a = ctx;
    est_hwdb_problem q = *p;
    char place[EST_ERROR_FILE_MAX + 48];
    snprintf(q.file, sizeof q.file, "%s", a->path);
    if (q.line && q.column)
        est__snprintf_c(place, sizeof place, "%s:%lu:%u: ", q.file, q.line, q.column);
    else if (q.line)
        est__snprintf_c(place, sizeof place, "%s:%lu: ", q.file, q.line);
    else
        est__snprintf_c(place, sizeof place, "%s: ", q.file);
    est__snprintf_c(q.message, sizeof q.message, "%s%s%s%s%s", place,
                    q.column_name[0] ? "column " : "", q.column_name,
                    q.column_name[0] ? ": " : "", q.detail);
    if (a->fn)
        a->fn(&q, a->ctx);
}

/* Opens and locks the lock file beside target (".cpu.csv.lock"). */
static int lock_beside(const char *target, int *fd, est_error *err)
{
    const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    char path[EST_ERROR_FILE_MAX + 16];
    if ((size_t)snprintf(path, sizeof path, "%.*s.%s.lock", (int)(base - target), target,
                         base) >= sizeof path)
        return est__fail(err, EST_EINVAL, "%s: path too long for its lock file", target);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (*fd < 0)
        return est__fail(err, EST_EIO, "cannot open the lock file %s: %s", path,
                         EST__STRERROR(errno));
    while (flock(*fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        est__fail(err, EST_EIO, "cannot lock %s: %s", path, EST__STRERROR(errno));
        close(*fd);
        *fd = -1;
        return EST_EIO;
    }
    return EST_OK;
}

/* Writes old and the new row (in the column order of old's header; the
   full header first when old is empty) to f. */
static int write_with_row(FILE *f, const char *tmp, const char *old, size_t old_len,
                          const est_hwdb_entry *ent, const char *path, est_error *err)
{
    char line[8192];
    size_t len;
    est_error e;
    int rc = est_hwdb_format_row(line, sizeof line, &len, ent, old_len ? old : NULL, &e);
    if (rc) /* a header the row cannot be written in: bad data */
        return est__fail(err, rc == EST_EINVAL ? EST_EPARSE : rc, "%s: %s", path, e.message);
    if ((old_len && fwrite(old, 1, old_len, f) != old_len) ||
        (!old_len && fprintf(f, "%s\n", est_hwdb_header(ent->kind)) < 0) ||
        (old_len && old[old_len - 1] != '\n' && fputc('\n', f) == EOF) ||
        fwrite(line, 1, len, f) != len || fflush(f) != 0)
        return est__fail(err, EST_EIO, "cannot write %s: %s", tmp, EST__STRERROR(errno));
    return EST_OK;
}

int est_hwdb_append(const char *path, const est_hwdb_entry *ent, est_hwdb_problem_fn on_problem,
                    void *ctx, size_t *n_problems, est_error *err)
{
    est_fs_atomic *af = NULL;
    char *old = NULL;
    size_t old_len = 0, problems = 0;
    int lock = -1, rc;
    append_ctx a;
    if (n_problems)
        *n_problems = 0;
    if (!path || !ent)
        return est__fail(err, EST_EINVAL, "est_hwdb_append: path or entry is NULL");
    /* the overlay (or its link's target) is checked first: nothing else is
       touched when it is not a regular file */
    rc = est_fs_atomic_open(&af, path, 0, err);
    if (rc)
        return rc == EST_EINVAL ? rc : EST_EIO;
    rc = lock_beside(est_fs_atomic_target(af), &lock, err);
    if (!rc) {
        /* under the lock: read, append, validate, rename */
        rc = est_fs_read_file(&old, &old_len, est_fs_atomic_target(af), OVERLAY_BYTES_MAX, err);
        if (rc == EST_ENOENT)
            rc = EST_OK;
        else if (rc)
            rc = EST_EIO;
    }
    if (!rc)
        rc = write_with_row(est_fs_atomic_stream(af), est_fs_atomic_temp_path(af), old, old_len,
                            ent, path, err);
    if (!rc) {
        a.path = path;
        a.fn = on_problem;
        a.ctx = ctx;
        rc = est_hwdb_validate_file(est_fs_atomic_temp_path(af),
                                    ent->kind == EST_HWDB_GPU ? EST_HWDB_FILE_GPU : EST_HWDB_FILE_CPU,
                                    NULL, renamed_problem, &a, &problems, err);
        if (n_problems)
            *n_problems = problems;
    }
    if (!rc) {
        rc = est_fs_atomic_commit(af, err) ? EST_EIO : EST_OK;
        af = NULL;
    }
    est_fs_atomic_abort(af);
    if (lock >= 0)
        close(lock); /* releases the lock */
    free(old);
    return rc;
}
