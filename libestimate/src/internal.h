/* Internal helpers of libestimate. Not installed, not part of the API. */
#ifndef ECOEST_INTERNAL_H
#define ECOEST_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "ecoest/common.h"

#if defined(__GNUC__)
#define EST_INTERNAL __attribute__((visibility("hidden")))
#define EST_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define EST_VPRINTF(a) __attribute__((format(printf, a, 0)))
#else
#define EST_INTERNAL
#define EST_PRINTF(a, b)
#define EST_VPRINTF(a)
#endif

/* vsnprintf in the C locale: '.' as decimal point whatever the caller's
 * LC_NUMERIC. Switches only the calling thread's locale (uselocale), and
 * back; never setlocale. Falls back to plain vsnprintf when no C locale
 * object can be made. Every text the library returns that holds a number
 * goes through this (or est__snprintf_c). */
EST_INTERNAL int est__vsnprintf_c(char *buf, size_t size, const char *fmt, va_list ap)
    EST_VPRINTF(3);
EST_INTERNAL int est__snprintf_c(char *buf, size_t size, const char *fmt, ...)
    EST_PRINTF(3, 4);

/* The C-locale (English) text of errno value e in buf; thread-safe (no
 * strerror). Returns buf. */
EST_INTERNAL const char *est__strerror_c(int e, char *buf, size_t size);
/* est__strerror_c into a buffer that lives until the end of the enclosing
 * block: for a message argument, est__fail(..., "%s", EST__STRERROR(e)). */
#define EST__STRERROR(e) est__strerror_c((e), (char[128]){0}, 128)

/* ASCII-only character classes: the same in every locale (isalnum and
 * toupper follow LC_CTYPE, where bytes above 0x7f may be letters). */
static inline int est__is_digit_ascii(int c) { return c >= '0' && c <= '9'; }
static inline int est__is_alpha_ascii(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int est__is_alnum_ascii(int c)
{
    return est__is_digit_ascii(c) || est__is_alpha_ascii(c);
}
static inline int est__to_upper_ascii(int c)
{
    return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}
static inline int est__to_lower_ascii(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}
/* strcasecmp / strncasecmp folding ASCII letters only (those follow
 * LC_CTYPE too). */
EST_INTERNAL int est__strcasecmp_ascii(const char *a, const char *b);
EST_INTERNAL int est__strncasecmp_ascii(const char *a, const char *b, size_t n);

/* Sets err (if not NULL): code and a formatted message. Returns code. */
EST_INTERNAL int est__fail(est_error *err, int code, const char *fmt, ...)
    EST_PRINTF(3, 4);

/* Like est__fail, with a place: "file:line: column NAME: message". Any of
 * file (NULL), line (0), column (0) or colname (NULL) may be absent. */
EST_INTERNAL int est__fail_at(est_error *err, int code, const char *file,
                              unsigned long line, unsigned column,
                              const char *colname, const char *fmt, ...)
    EST_PRINTF(7, 8);

/* Sets err->value (if err) to the value a lookup failed on, as given (cut
 * to EST_NAME_MAX - 1 bytes). Call it after est__fail, which clears err. */
EST_INTERNAL void est__fail_value(est_error *err, const char *value);

/* Appends name to s (NULL: nothing) when it has room; a name already in
 * the list is not added twice when unique is set. */
EST_INTERNAL void est__suggest_add(est_suggestions *s, const char *name, int unique);

/* Copies at most n bytes of s into buf (size bytes) as a printable,
 * quoted-safe excerpt: control characters become '?', long values are cut
 * with "...". Always NUL-terminates. Returns buf. */
EST_INTERNAL char *est__excerpt(char *buf, size_t size, const char *s,
                                size_t n);

/* snprintf that never fails: truncates, always NUL-terminates. */
EST_INTERNAL void est__strlcpy(char *dst, const char *src, size_t size);

#define EST__DAY_S 86400.0 /* seconds in a UTC day */

/* A zone code: 1..31 ASCII letters, digits, '-' and '_' (zones.c). */
EST_INTERNAL int est__zone_code_valid(const char *s, size_t len);

/* Reads the whole file at path into a malloc'd buffer, NUL-terminated
 * (data[len] == '\0', so in-place parsers may write there). Errors:
 * EST_ENOENT (absent), EST_EIO (cannot open or read, a folder),
 * EST_ERANGE (more than max_bytes), EST_ENOMEM; the message names the path. */
EST_INTERNAL int est__read_file(const char *path, size_t max_bytes, char **data,
                                size_t *len, est_error *err);

/* Locale-independent "%.*g" formatting ('.' as decimal point). */
EST_INTERNAL int est__format_double(char *buf, size_t size, double v,
                                    int precision);

#endif
