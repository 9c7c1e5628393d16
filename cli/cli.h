/* Internal declarations of the ecoest command-line program. */
#ifndef ECOEST_CLI_H
#define ECOEST_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "ecoest/estimate.h"

/* sysexits.h codes, the CLI's exit statuses. */
#define CLI_EX_OK 0
#define CLI_EX_USAGE 64
#define CLI_EX_DATAERR 65
#define CLI_EX_NOINPUT 66
#define CLI_EX_UNAVAILABLE 69
#define CLI_EX_SOFTWARE 70
#define CLI_EX_IOERR 74
#define CLI_EX_TEMPFAIL 75

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

typedef enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV, CLI_FORMAT_HTML } cli_format;

/* Prints "ecoest: <message>\n" on stderr. */
void cli_msg(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Prints "ecoest: warning: <message>\n" on stderr. */
void cli_warn(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Option values (opt names the option in messages, e.g. "--tdp"):
   a finite number >= 0 ("-0" is 0), a fraction 0..1 or a percentage, a
   whole number >= 1. Return 0, or -1 with a message printed. */
int cli_opt_number(const char *opt, const char *arg, double *out);
int cli_opt_fraction(const char *opt, const char *arg, double *out);
int cli_opt_count(const char *opt, const char *arg, unsigned *out);
/* --memory-w-per-gb's value: W per GB (a number >= 0) or the name of a
   figure of ecoest/power.h (ga, ccf, ...). *source is that figure's
   "--memory-w-per-gb NAME: SOURCE" in buf, or NULL for a number. Returns 0,
   or -1 with a message printed. */
int cli_opt_memory_w(const char *arg, double *w, const char **source, char *buf,
                     size_t size);

/* Prints "ecoest: <label>: "a", "b"" with the names of s (nothing when it
   has none). */
void cli_suggestions(const char *label, const est_suggestions *s);

/* The lookup a failure came from, for cli_suggest. */
typedef enum cli_lookup {
    CLI_LOOKUP_INPUT = 0, /* by e->input: the CPU or GPU model, the zone, the
                             cloud region (a pipeline's, a sites or cluster
                             file's failure); any other input: none */
    CLI_LOOKUP_CPU,       /* est_hwdb_resolve of a CPU */
    CLI_LOOKUP_GPU,       /* est_hwdb_resolve of a GPU */
    CLI_LOOKUP_ZONE,      /* est_zones_lookup */
    CLI_LOOKUP_REGION     /* est_regions_lookup */
} cli_lookup;

/* The tables a failed lookup is asked again, for its suggestions; any may
   be NULL (no suggestions from it). */
typedef struct cli_tables {
    const est_hwdb *hwdb;
    const est_zones *zones;
    const est_regions *regions;
} cli_tables;

/* After a failed lookup: asks the lookup's suggest call (est_hwdb_suggest,
   est_zones_suggest, est_regions_suggest) for the names close to e->value
   and prints them as cli_suggestions does, under label (NULL: the lookup's
   own: "closest known CPUs", "closest known GPUs", "closest known zones",
   "closest regions"). Nothing when e holds no value (not a lookup's
   failure), the table is not there or nothing is close. The factor sets
   (the carbon library) are carbon_cmd.c's: est_carbon_factors_suggest. */
void cli_suggest(const char *label, cli_lookup what, const est_error *e, const cli_tables *t);
/* The exit status for a libestimate error code. */
int cli_exit_for(int est_code);
/* The one parser of time arguments (--start, --end, --idle-until): ISO
   8601 with a zone, or Unix seconds; a zone-less time takes tz's offset
   (--tz: has_tz or tz_fn) when tz is given, else it is refused. Returns 0,
   or -1 with a message naming opt and arg. */
int cli_time_arg(const char *opt, const char *arg, const est_samples_read_options *tz,
                 double *out);
/* Parses text|json|csv. Returns 0, or -1 with a message printed. */
int cli_parse_format(const char *s, cli_format *out);
/* Parses text|json|csv|html, for the commands that write an HTML page. */
int cli_parse_format_html(const char *s, cli_format *out);

/* A growable output buffer: the whole output is built, then written once,
   so that a failure never leaves half an output on stdout. */
typedef struct cli_buf {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed */
} cli_buf;

void cli_buf_printf(cli_buf *b, const char *fmt, ...) CLI_PRINTF(2, 3);
void cli_buf_puts(cli_buf *b, const char *s);
/* Appends s as one CSV field (quoted when needed), then sep (NULL: none). */
void cli_buf_csv(cli_buf *b, const char *s, const char *sep);
/* Writes the buffer to f, frees it. Returns an exit status (0 or 74/70). */
int cli_buf_flush(cli_buf *b, FILE *f);
/* --output FILE: writes the buffer to path atomically (est_fs_write_atomic),
   frees it. Returns an exit status (0, 74 or 70), message printed. */
int cli_buf_write_file(cli_buf *b, const char *path);
void cli_buf_free(cli_buf *b);

/* Formats a quantity with a unit prefix: "417.5 Wh", "1.002 kWh", "3.2 t".
   base_unit is "Wh", "g", "W"; v is in that base unit. */
void cli_human(char *buf, size_t size, double v, const char *base_unit);

/* The whole command line: runs the subcommand argv[1] names (hwdb,
   carbon, where, when, jobs, run), else an estimate. Returns the exit
   status; never exits. */
int cli_main(int argc, char **argv);
int cli_estimate_main(int argc, char **argv);
/* cli_estimate_main, and fn(est, user) once the estimate is made and
   before it is printed (ecoest run reads what it measured against it);
   est is valid only during the call. */
typedef void (*cli_estimate_fn)(const est_estimate *est, void *user);
int cli_estimate_main_with(int argc, char **argv, cli_estimate_fn fn, void *user);
struct option;
/* The estimate's getopt_long table (every option of cli_estimate_main,
   ended by a NULL name): the one list of them, which `ecoest run` derives
   the options it passes through from. */
const struct option *cli_estimate_long_options(void);
void cli_print_usage(FILE *f);
int cli_hwdb_main(int argc, char **argv);
int cli_carbon_main(int argc, char **argv);
int cli_where_main(int argc, char **argv);
int cli_when_main(int argc, char **argv);
int cli_jobs_main(int argc, char **argv);

#endif
