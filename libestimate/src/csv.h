/* The project's RFC 4180 reader: in place, one pass, with line numbers.
 * Internal, not part of the API (used by hwdb, zones and factors). */
#ifndef ECOEST_CSV_H
#define ECOEST_CSV_H

#include <stddef.h>

#include "internal.h"

/* A record of a CSV file, read in place. */
typedef struct est__csv {
    char *p, *end;         /* cursor and end of the (mutable) buffer */
    unsigned long line;    /* line of the cursor, 1-based */
} est__csv;

#define EST__CSV_FIELDS_MAX 16

typedef struct est__csv_record {
    unsigned long line;    /* line where the record starts */
    size_t n;              /* number of fields (may exceed the stored ones) */
    char *field[EST__CSV_FIELDS_MAX]; /* NUL-terminated, unquoted, in place */
    size_t len[EST__CSV_FIELDS_MAX];
    int ctrl;              /* some field holds a control character */
} est__csv_record;

/* Starts reading buf[0..size) (buf[size] must be writable and is set to
   NUL). Skips a UTF-8 byte order mark. */
EST_INTERNAL void est__csv_init(est__csv *c, char *buf, size_t size);

/* Reads the next non-blank record. Returns 1 with rec filled, 0 at the end,
   or -1 on a quoting error (*what says which, *err_line where); the reader
   then stops (further calls return 0). */
EST_INTERNAL int est__csv_next(est__csv *c, est__csv_record *rec,
                               const char **what, unsigned long *err_line);

/* A record of a sourced table, handed to est__csv_table's row function
   (path for messages). Returns 0 or an EST_ code with err filled. */
typedef int (*est__csv_row_fn)(void *user, const est__csv_record *rec, const char *path,
                               est_error *err);

/*
 * Reads a sourced CSV table, the one way every table of ours is read: the
 * whole regular file at path (at most max_bytes: larger is EST_EPARSE), a
 * header equal to cols[0..ncols) ("path:1: expected the header a,b,c"
 * otherwise), then each record, which must have ncols fields ("path:L:
 * expected N fields, got M"), to row(user, rec, path, err). Errors: the
 * reader's (EST_ENOENT, EST_EIO), EST_EPARSE with file:line, the row
 * function's, EST_ENOMEM.
 */
EST_INTERNAL int est__csv_table(const char *path, size_t max_bytes, const char *const *cols,
                                size_t ncols, est__csv_row_fn row, void *user, est_error *err);

#endif
