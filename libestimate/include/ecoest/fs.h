/*
 * ecoest/fs.h - the file-system jobs every part of ecoest shares: atomic
 * file writes, mkdir -p, and the XDG base folders.
 *
 * One helper for each job, used by the day cache, `hwdb add` and
 * `--write-samples` alike, so that each gets the same guarantees:
 *
 * - An atomic write never leaves a half-written target: the data goes to a
 *   temporary file in the target's folder, is fsync'd, and is renamed over
 *   the target; the folder is fsync'd after the rename.
 * - It refuses a target that exists and is not a regular file (a device
 *   node, a FIFO, a socket, a folder): renaming over /dev/full would replace
 *   the device with a file. A symbolic link is followed: the file it names
 *   is replaced (the link itself stays), and a link to something that is
 *   not a regular file is refused the same way. A dangling link is refused.
 *
 * The library reads no environment variable: est_fs_xdg_dir takes the
 * values the caller read.
 *
 * Errors: EST_EINVAL (NULL or empty argument), EST_EIO (the message names
 * the path and the reason), EST_ERANGE (a path longer than EST_FS_PATH_MAX),
 * EST_ENOMEM.
 */
#ifndef ECOEST_FS_H
#define ECOEST_FS_H

#include <stddef.h>
#include <stdio.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest path these helpers handle, the terminating NUL included. */
#define EST_FS_PATH_MAX 4096

/* An atomic write in progress: a temporary file beside the target. */
typedef struct est_fs_atomic est_fs_atomic;

/*
 * Starts an atomic write of path: checks the target (see the top of this
 * file), creates a temporary file "<target>.tmp.XXXXXX" beside it. A new
 * file gets the permissions mode & ~umask (mode 0: 0666, as any created
 * file); an existing target keeps its own permission bits.
 * The folder must exist (est_fs_mkdir_p). On success *out owns the
 * temporary file; finish with est_fs_atomic_commit or est_fs_atomic_abort.
 */
int est_fs_atomic_open(est_fs_atomic **out, const char *path, unsigned mode, est_error *err);

/* The stream to write the content to (owned by af; do not fclose it). */
FILE *est_fs_atomic_stream(est_fs_atomic *af);

/* The path the data will land at (the link's target when path was a
   symbolic link); valid until commit or abort. */
const char *est_fs_atomic_target(const est_fs_atomic *af);

/*
 * Flushes, fsyncs and closes the temporary file, checks the target again
 * (it may have been replaced meanwhile), renames the file over it, fsyncs
 * the folder, and frees af (also on failure, when the temporary file is
 * removed and the target left as it was). af NULL: EST_EINVAL.
 */
int est_fs_atomic_commit(est_fs_atomic *af, est_error *err);

/* Removes the temporary file and frees af; the target is untouched.
   Accepts NULL. */
void est_fs_atomic_abort(est_fs_atomic *af);

/* The temporary file's path (for a caller that checks the content before
   committing it); valid until commit or abort. */
const char *est_fs_atomic_temp_path(const est_fs_atomic *af);

/* The whole write in one call: len bytes of data (data may be NULL when len
   is 0) to path, atomically, with the permissions of est_fs_atomic_open. */
int est_fs_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
                        est_error *err);

/*
 * Reads the whole regular file at path into a malloc'd buffer (*data, freed
 * by the caller with free), NUL-terminated, *len bytes before the NUL.
 * Never blocks on a FIFO and never reads a device: anything but a regular
 * file is EST_EIO ("not a regular file"). Errors: EST_ENOENT (absent),
 * EST_EIO, EST_ERANGE (more than max_bytes), EST_ENOMEM; the message names
 * the path.
 */
int est_fs_read_file(char **data, size_t *len, const char *path, size_t max_bytes, est_error *err);

/*
 * mkdir -p: creates path and its missing parents with mode (& ~umask). An
 * existing folder is fine; an existing component that is not a folder is
 * EST_EIO naming it.
 */
int est_fs_mkdir_p(const char *path, unsigned mode, est_error *err);

/* The XDG base folders (XDG Base Directory Specification 0.8). */
typedef enum est_fs_xdg {
    EST_FS_XDG_CONFIG = 0, /* $XDG_CONFIG_HOME, default $HOME/.config */
    EST_FS_XDG_CACHE = 1,  /* $XDG_CACHE_HOME, default $HOME/.cache */
    EST_FS_XDG_DATA = 2    /* $XDG_DATA_HOME, default $HOME/.local/share */
} est_fs_xdg;

/* Flags set in *notes by est_fs_xdg_dir. */
#define EST_FS_XDG_RELATIVE_IGNORED 1u /* the variable held a relative path */

/*
 * The folder "<base>/ecoest[/sub]" of one XDG kind, into buf (size bytes).
 * xdg_value is the value of the kind's variable as the caller read it
 * (NULL or "" when unset), home that of $HOME. One rule for all three
 * kinds, the specification's: a relative path in the variable is invalid
 * and ignored (then *notes, when not NULL, gets EST_FS_XDG_RELATIVE_IGNORED)
 * and the default under $HOME is used. sub may be NULL. Errors: EST_ENOENT
 * when neither gives a folder (no variable and no absolute $HOME),
 * EST_ERANGE when the path does not fit. Nothing is created.
 */
int est_fs_xdg_dir(char *buf, size_t size, est_fs_xdg kind, const char *xdg_value,
                   const char *home, const char *sub, unsigned *notes, est_error *err);

#ifdef __cplusplus
}
#endif

#endif
