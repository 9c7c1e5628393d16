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

#endif
