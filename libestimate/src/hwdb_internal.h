/* Internal parts of the hardware database: names and the CSV reader.
 * Not installed, not part of the API. */
#ifndef ECOEST_HWDB_INTERNAL_H
#define ECOEST_HWDB_INTERNAL_H

#include <stddef.h>

#include "ecoest/hwdb.h"
#include "internal.h"

/* Most words a name may have. */
#define EST__HW_WORDS_MAX 32

/* Words of name, space-separated, into buf (sorted when sorted != 0).
   Returns the number of words, or EST_ERANGE / EST_EINVAL (buf ""). */
EST_INTERNAL int est__hw_words(const char *name, int sorted, char *buf,
                               size_t size);

/* Both forms at once (either buffer may be NULL; both of size bytes). */
EST_INTERNAL int est__hw_words2(const char *name, char *ordered, char *sorted,
                                size_t size);

/* 1 when every word of q (space-separated words) is a word of m, or two or
   more neighbouring words of m written together. */
EST_INTERNAL int est__hw_contains(const char *q, const char *m);

/* Number of words of m that are not words of q. */
EST_INTERNAL size_t est__hw_extra_words(const char *q, const char *m);

/* Edit distance between the words of q (spaces ignored) and the closest
   substring of the words of m (spaces ignored), plus a small share of the
   rest of m; lower is closer. Strings longer than 96 bytes are cut. */
EST_INTERNAL unsigned est__hw_distance(const char *q, const char *m);

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
