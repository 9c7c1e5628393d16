/*
 * ecoest/common.h - error codes, the error struct, strict number, time and
 * duration parsing shared by every part of libestimate.
 *
 * Nothing here allocates, touches the locale, or keeps state: every function
 * is safe to call from any thread.
 */
#ifndef ECOEST_COMMON_H
#define ECOEST_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EST_VERSION_MAJOR 0
#define EST_VERSION_MINOR 1
#define EST_VERSION_PATCH 0
#define EST_VERSION_STRING "0.1.0"
/* One number that grows with every release: major x 10000 + minor x 100 +
   patch (0.1.0 is 100), for compile-time checks such as
   #if EST_VERSION_NUMBER >= 200. */
#define EST_VERSION_NUMBER \
    (EST_VERSION_MAJOR * 10000 + EST_VERSION_MINOR * 100 + EST_VERSION_PATCH)

/* Returns EST_VERSION_STRING of the library actually linked. */
const char *est_version(void);
/* Returns EST_VERSION_NUMBER of the library actually linked: compare it
   with the header's to detect a program run against another version. */
int est_version_number(void);

/*
 * Error codes. Every call that can fail returns 0 or one of these (negative).
 * The table is stable: codes are only ever appended.
 */
typedef enum est_code {
    EST_OK = 0,
    EST_EINVAL = -1,     /* an argument or input value is invalid */
    EST_ENOMEM = -2,     /* out of memory */
    EST_EPARSE = -3,     /* malformed data in a file or string */
    EST_ENOTFOUND = -4,  /* unknown hardware model or zone */
    EST_EAMBIGUOUS = -5, /* a name matches several entries */
    EST_EIO = -6,        /* reading or writing a file failed */
    EST_ENOENT = -7,     /* a file or folder does not exist */
    EST_ENET = -8,       /* network failure: cannot connect, DNS, TLS */
    EST_ETIMEOUT = -9,   /* a bounded wait expired */
    EST_EAUTH = -10,     /* a service rejected the credentials (401/403) */
    EST_EHTTP = -11,     /* a service answered with an unexpected status */
    EST_ENODATA = -12,   /* the input holds no usable data */
    EST_ERANGE = -13,    /* a value is outside the range that is allowed */
    EST_EUNSUPPORTED = -14 /* a feature or format is not supported */
} est_code;

/*
 * "Not given" / "unknown" in a double field that is otherwise >= 0: in
 * inputs the library applies its default, in results the value is not known
 * (e.g. an idle power, a mean over no data). Every header uses it.
 */
#define EST_UNSET (-1.0)

/* A static, English description of a code; never NULL ("unknown error"). */
const char *est_strerror(int code);

/* Sizes in bytes, the terminating NUL included; longer text is cut. */
#define EST_ERROR_MESSAGE_MAX 512  /* est_error.message */
#define EST_ERROR_FILE_MAX 256     /* est_error.file (a longer path is cut) */
#define EST_NAME_MAX 128           /* a hardware or zone name, est_error.value
                                      and each est_suggestions entry */

/*
 * Human detail of a failure, filled by the call that fails when the caller
 * passes a non-NULL pointer. Caller-owned; no memory to free.
 *
 * A failing call first clears the whole struct, then fills it: code is the
 * est_code the call returned (the same negative value). A call that
 * succeeds leaves err untouched: it may still hold an earlier failure, so
 * look at the return value, not at err->code. Functions whose only error
 * is a bad argument and that take no est_error (the est_parse_* family,
 * est_format_time) give just the code.
 *
 * message names the value and the place, e.g.
 *   gpu.csv:17: column tdp_w: expected a number, got "12,5"
 * file, line (1-based) and column (1-based field number, or 0 when not a
 * field) are filled too when the failure has a place; otherwise "" and 0.
 * input names the input at fault by identifier, so a caller never has to
 * match the start of the message.
 *
 * value is the value a lookup failed on, as it was given (not an excerpt:
 * it may hold any byte but NUL; cut to EST_NAME_MAX - 1 bytes): the
 * hardware name of est_hwdb_resolve, the zone code of est_zones_resolve,
 * the PROVIDER:REGION of est_regions_lookup, the factor set of
 * est_carbon_factors_load; also when the name came from a file (a sites
 * file, a cluster file). "" for every other failure. The error carries no
 * list of close names: pass value to the lookup's suggest call
 * (est_hwdb_suggest, est_zones_suggest, est_regions_suggest,
 * est_carbon_factors_suggest) to get them.
 */
typedef struct est_error {
    int code;
    char message[EST_ERROR_MESSAGE_MAX];
    char file[EST_ERROR_FILE_MAX];
    unsigned long line;
    unsigned column;
    unsigned input; /* the input at fault, an est_input_id of
                       ecoest/pipeline.h (est_estimate_run fills it);
                       0 (EST_INPUT_NONE) when none is */
    char value[EST_NAME_MAX]; /* the value a lookup failed on, or "" */
} est_error;

/*
 * Close names for a value a lookup refused, best first: what the suggest
 * calls (est_hwdb_suggest, est_zones_suggest, est_regions_suggest,
 * est_carbon_factors_suggest) fill, each with the rules of its lookup.
 * A plain value: no memory to free. n is 0 when the value resolves or
 * nothing is close.
 */
#define EST_SUGGESTIONS_MAX 5 /* entries of est_suggestions.names */
typedef struct est_suggestions {
    size_t n;
    char names[EST_SUGGESTIONS_MAX][EST_NAME_MAX];
} est_suggestions;

/* Resets err to "no error". Accepts NULL. */
void est_error_clear(est_error *err);

/*
 * The parsers below (est_parse_*) return EST_EINVAL when s or the out
 * pointer is NULL, write their result only on success, and never read past
 * the string's NUL.
 *
 * Strict, locale-independent decimal number parser: the one number parser of
 * the project.
 *
 * Accepts [+-]digits[.digits][(e|E)[+-]digits] and [+-].digits; exactly
 * len bytes of s are read (s need not be NUL-terminated). Rejects the empty
 * string, surrounding spaces, trailing junk, hex, "nan", "inf" and
 * thousands separators, returning EST_EPARSE. A value that overflows a
 * double returns EST_ERANGE. The result is correctly rounded (the same
 * double strtod gives in the C locale). Thread-safe.
 */
int est_parse_double(double *out, const char *s, size_t len);

/* est_parse_double on a NUL-terminated string. */
int est_parse_double_str(double *out, const char *s);

/*
 * A fraction in 0..1, written "0.85" or as a percentage "85%" (0..100%).
 * Anything else, or a value outside 0..1, is EST_EPARSE or EST_ERANGE.
 */
int est_parse_fraction(double *out_frac, const char *s);

/*
 * A strictly positive decimal count ("8"); no sign, no decimals, no junk.
 * Returns EST_EPARSE or EST_ERANGE (0 or above UINT_MAX).
 */
int est_parse_count(unsigned *out, const char *s);

/*
 * A duration, returned in seconds. Accepted forms:
 *   "2h30m", "90m", "45s", "1d2h", "1.5h" (units d h m s, each at most once,
 *   in that order; a bare number is hours),
 *   "1-02:03:04" (Slurm days-hh:mm:ss), "02:03:04" (hh:mm:ss), "03:04" (mm:ss).
 * Negative, empty and malformed strings are EST_EPARSE.
 */
int est_parse_duration(double *out_s, const char *s);

/*
 * A runtime given as hours plus minutes, in seconds:
 * hours x 3600 + minutes x 60 (both add up: 1 h and 30 min is 5400 s).
 * Errors: EST_EINVAL for out_s NULL or an input that is NaN, infinite or
 * negative; EST_ERANGE when the sum overflows a double. *out_s is written
 * only on success; 0 h 0 min is 0 s (whether 0 is allowed is the caller's).
 */
int est_runtime_s_from_hm(double *out_s, double hours, double minutes);

/*
 * An instant, returned as Unix seconds (UTC, may hold fractions).
 * Accepted: ISO 8601 "2025-01-15T11:00:00Z", "...T11:00:00.129+01:00",
 * "...T11:00+0100", a space instead of 'T', and a bare number of Unix
 * seconds ("1717406142", "1717406142.5"). An ISO time without a zone is
 * rejected with EST_EPARSE unless assume_utc_offset_s is not NULL, in which
 * case *assume_utc_offset_s seconds (local minus UTC) are applied.
 * Dates are checked (no 2025-02-30); leap seconds are not accepted.
 *
 * Offsets: one written in s is at most +-23:59 (minutes 00..59), else
 * EST_EPARSE. *assume_utc_offset_s must lie within +-EST_UTC_OFFSET_MAX_S
 * (26 hours, beyond any real zone), else EST_EINVAL. A bare number outside
 * years 0001..9999 is EST_ERANGE.
 */
#define EST_UTC_OFFSET_MAX_S (26L * 3600L)
int est_parse_time(double *out_unix_s, const char *s, const long *assume_utc_offset_s);

/*
 * The instants est_format_time can write, and the bound of every time the
 * library formats as a date: 0001-01-01T00:00:00Z (inclusive) to
 * 10000-01-01T00:00:00Z (exclusive), Unix seconds.
 */
#define EST_TIME_MIN_UNIX_S (-62135596800.0)
#define EST_TIME_MAX_UNIX_S 253402300800.0
/* The same bounds as days since 1970-01-01: 0001-01-01 and 9999-12-31. */
#define EST_DAYS_FORMAT_MIN (-719162L)
#define EST_DAYS_FORMAT_MAX 2932896L

/*
 * Writes t (Unix seconds) as "YYYY-MM-DDTHH:MM:SSZ" (fractions dropped) into
 * buf. Errors: EST_EINVAL for buf NULL or a non-finite t; EST_ERANGE for a
 * time outside EST_TIME_MIN_UNIX_S..EST_TIME_MAX_UNIX_S (years 0001..9999)
 * or a buffer shorter than EST_TIME_FORMAT_SIZE bytes. On error buf is
 * untouched.
 */
#define EST_TIME_FORMAT_SIZE 21
int est_format_time(char *buf, size_t size, double unix_s);

/*
 * Civil dates (proleptic Gregorian) and days since 1970-01-01.
 *
 * The range of both functions: years EST_CIVIL_YEAR_MIN..EST_CIVIL_YEAR_MAX,
 * which are days EST_CIVIL_DAYS_MIN (-2000000-01-01) to EST_CIVIL_DAYS_MAX
 * (2000000-12-31); every intermediate fits a 32-bit long. Years 1..9999 are
 * the ones that print as "YYYY" (EST_DAYS_FORMAT_MIN..EST_DAYS_FORMAT_MAX).
 */
#define EST_CIVIL_YEAR_MIN (-2000000)
#define EST_CIVIL_YEAR_MAX 2000000
#define EST_CIVIL_DAYS_MIN (-731204528L)
#define EST_CIVIL_DAYS_MAX 729765837L
/* What est_days_from_civil returns for a date it does not accept. */
#define EST_DAYS_INVALID (-2147483647L - 1L)

/*
 * Days since 1970-01-01 of year-month-day. month must be 1..12, day 1..31
 * and year in EST_CIVIL_YEAR_MIN..EST_CIVIL_YEAR_MAX; otherwise the result
 * is EST_DAYS_INVALID. A day past the month's end counts on into the next
 * month (2025-02-30 gives the day of 2025-03-02): use
 * est_days_from_civil_checked to reject such dates.
 */
long est_days_from_civil(int year, unsigned month, unsigned day);

/*
 * est_days_from_civil for a real date only: EST_EINVAL for a month outside
 * 1..12 or a day outside the month (2025-02-30, 2023-02-29), EST_ERANGE for
 * a year outside EST_CIVIL_YEAR_MIN..EST_CIVIL_YEAR_MAX, out_days NULL is
 * EST_EINVAL. *out_days is written only on success.
 */
int est_days_from_civil_checked(long *out_days, int year, unsigned month, unsigned day);

/*
 * The civil date of a day since 1970-01-01. Defined for every long: a day
 * outside EST_CIVIL_DAYS_MIN..EST_CIVIL_DAYS_MAX is clamped to that range
 * first (so LONG_MAX gives the date of EST_CIVIL_DAYS_MAX). Any of year,
 * month, day may be NULL.
 */
void est_civil_from_days(int *year, unsigned *month, unsigned *day, long days);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_COMMON_H */
