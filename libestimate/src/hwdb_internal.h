/* Internal parts of the hardware database: names and the CSV reader.
 * Not installed, not part of the API. */
#ifndef ECOEST_HWDB_INTERNAL_H
#define ECOEST_HWDB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecoest/hwdb.h"
#include "csv.h"
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

/* A 64-bit signature of space-separated words: a bit per letter and per
   pair of neighbouring letters. as_model: pairs across words count too (a
   model's neighbouring words may be written together in a query). When
   est__hw_contains(q, m), every bit of est__hw_sig(q, 0) is set in
   est__hw_sig(m, 1): a quick test to skip models that cannot hold q. */
EST_INTERNAL uint64_t est__hw_sig(const char *words, int as_model);

/* Writes the index of db (opened from the shipped folder dir alone) to path,
   through a temporary file renamed into place. See hwdb.c, "the index". */
EST_INTERNAL int est__hwdb_write_index(const est_hwdb *db, const char *dir,
                                       const char *path, est_error *err);

#endif
