/* Text checks for the rows of the data files (internal). */
#ifndef ECOEST_TEXT_H
#define ECOEST_TEXT_H

#include <stddef.h>

#include "internal.h"

/* Whether s[0..len) is printable UTF-8 text: well-formed UTF-8 (no overlong
 * forms, surrogates or code points above U+10FFFF) without control
 * characters (bytes below 0x20, 0x7f, and U+0080..U+009F). Returns NULL when
 * it is, or a static phrase saying what is wrong ("a control character",
 * "invalid UTF-8"), with *at the offset of the bad byte. */
EST_INTERNAL const char *est__text_problem(const char *s, size_t len, size_t *at);

/* est__excerpt that is valid UTF-8 too: every byte of a malformed sequence
 * (and a C1 control) becomes '?'. Returns buf. */
EST_INTERNAL char *est__excerpt_text(char *buf, size_t size, const char *s, size_t n);

/* Levenshtein distance of two strings, ASCII case-insensitive, each cut at
 * EST_NAME_MAX bytes (zones.c). */
EST_INTERNAL size_t est__edit_distance(const char *a, const char *b);

#endif
