/*
 * ecoest/power.h - power figures that come from data, each with its source:
 *
 *   - the CPU power curves (cpu_power_curves.csv, shipped in
 *     libestimate/data/ and installed in share/ecoest/): per CPU family an
 *     idle floor, the power at full load and the curve's shape, the row that
 *     --cpu-power-model curve feeds to the model (ecoest/model.h,
 *     EST_MODEL_CPU_POWER_CURVE): give the table to the pipeline
 *     (est_estimate_options.cpu_curves) and it picks the resolved CPU's row;
 *   - the named memory power figures (W per GB): Green Algorithms' default
 *     and the published alternatives, for --memory-w-per-gb NAME
 *     (est_estimate_options.memory_w_per_gb and memory_w_per_gb_source).
 *
 * docs/method.md ("The CPU power curve", "Memory") explains the figures.
 * No global mutable state: the memory figures are a constant table, a curve
 * table is a handle the caller owns. Thread-safe (a handle may be read from
 * several threads at once).
 */
#ifndef ECOEST_POWER_H
#define ECOEST_POWER_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the CPU power curves ---- */

/* Sizes in bytes, the terminating NUL included. */
#define EST_POWER_FAMILY_MAX 64     /* est_power_curve.family */
#define EST_POWER_MATCH_MAX 512     /* est_power_curve.match */
#define EST_POWER_SOURCE_MAX 1024   /* est_power_curve.source */
#define EST_POWER_CITATION_MAX 1400 /* est_power_curve.citation: never cut */

/*
 * One row of the curve table: a CPU family's curve, in fractions of the TDP
 * per core. A core at usage u draws TDP/core x (idle_frac + (max_frac -
 * idle_frac) x f(u)), f(u) = 2u - u^exponent (est_model_cpu_curve).
 * Owned by the table (valid until est_power_curves_free); the library only
 * appends fields, so read it through the pointer.
 */
typedef struct est_power_curve {
    char family[EST_POWER_FAMILY_MAX]; /* "xeon-ice-lake"; "default" */
    char match[EST_POWER_MATCH_MAX];   /* '|'-separated patterns, each found
                                          anywhere in a CPU's name, ASCII
                                          case-insensitive ("E3-12|E3-15");
                                          "*" for the default row */
    int is_default;                    /* 1 for the row whose match is "*" */
    double idle_frac;                  /* 0 <= idle_frac <= max_frac */
    double max_frac;                   /* 0 < max_frac <= 10 */
    double exponent;                   /* 1..2 (1: linear) */
    unsigned long line;                /* its line in the file (1-based) */
    char source[EST_POWER_SOURCE_MAX]; /* the file's source column */
    char citation[EST_POWER_CITATION_MAX]; /* "FILE:LINE, FAMILY: SOURCE"
                                          (FILE without its folder), what
                                          est_estimate_options.cpu_curve_source
                                          takes */
} est_power_curve;

typedef struct est_power_curves est_power_curves;

/*
 * Reads a curve table: a CSV file (at most 1 MiB) with the header
 *   family,match,idle_frac,max_frac,exponent,source
 * and one row per family; rows are tried in file order, and exactly one row
 * has the match "*" (the default). Every field is checked:
 *   family    1..63 bytes of printable UTF-8;
 *   match     1..511 bytes of printable UTF-8, "*" or patterns;
 *   idle_frac a number, 0 <= idle_frac <= max_frac;
 *   max_frac  a number, 0 < max_frac <= 10;
 *   exponent  a number, 1 <= exponent <= 2 (the model's bounds);
 *   source    1..1023 bytes of printable UTF-8.
 * A bad field is EST_EPARSE with err->file, line and column (the 1-based
 * field) set and a message that names them and the value:
 *   cpu_power_curves.csv:4: column max_frac: expected a number above 0, at
 *   most 10, got "0,7"
 * A second "*" row, or none, is EST_EPARSE too ("no default row (match
 * *)"). Also: EST_ENOENT, EST_EIO (the file), EST_ENOMEM, EST_EINVAL (NULL
 * arguments). On failure *out is NULL.
 */
int est_power_curves_open(est_power_curves **out, const char *path, est_error *err);

/* The shipped table's file name. */
#define EST_POWER_CURVES_FILE "cpu_power_curves.csv"

/*
 * Opens the shipped curve table of a data folder: data_dir/libestimate/data/
 * cpu_power_curves.csv (a source tree), else data_dir/cpu_power_curves.csv
 * (an installed share/ecoest). The library reads no environment: the
 * caller says which folder (ecoest passes its data folder,
 * $ECOEST_DATA_DIR or the install's). Errors: EST_ENOENT when neither file
 * exists (the message names data_dir), else est_power_curves_open's for
 * the file found; EST_EINVAL for a NULL out or a NULL or empty data_dir.
 * On failure *out is NULL.
 */
int est_power_curves_open_default(est_power_curves **out, const char *data_dir,
                                  est_error *err);

/* Frees the table and its rows. Accepts NULL. */
void est_power_curves_free(est_power_curves *c);

/*
 * The curve for the CPU named cpu_name: the first row (in file order) one of
 * whose patterns is in the name, else the default row. cpu_name NULL or ""
 * gives the default row. Give the hardware database's model name
 * (est_hwdb_resolve's entry.model) when there is one: the patterns are
 * written for it ("Xeon Gold 63", "EPYC 80"). *out is owned by c. Returns
 * EST_OK, or EST_EINVAL when out or c is NULL.
 */
int est_power_curves_find(const est_power_curve **out, const est_power_curves *c,
                          const char *cpu_name);

/* The number of rows, and row i in file order (NULL when i is past the end
   or c is NULL). */
size_t est_power_curves_count(const est_power_curves *c);
const est_power_curve *est_power_curves_at(const est_power_curves *c, size_t i);

/* ---- the named memory power figures ---- */

/*
 * A named figure of memory power per GB. Static, constant data (every
 * pointer lives as long as the program); the library only appends fields.
 */
typedef struct est_power_memory_figure {
    const char *name;   /* "ga", "ccf", "energystar-v3-draft2" */
    double w_per_gb;    /* W per GB of memory */
    const char *label;  /* a few words for a list: "Green Algorithms" */
    const char *source; /* where the figure comes from, one sentence
                           without a final period */
} est_power_memory_figure;

/* The name of Green Algorithms' figure (EST_DEFAULT_MEMORY_W_PER_GB), the
   model's default. */
#define EST_POWER_MEMORY_DEFAULT_NAME "ga"

/* The number of named figures, and figure i (NULL past the end), in a
   stable order: the default first. */
size_t est_power_memory_count(void);
const est_power_memory_figure *est_power_memory_at(size_t i);

/*
 * The figure called name (exact, case-sensitive). EST_ENOTFOUND when there
 * is none: the message lists the names (est_power_memory_count and _at
 * give them too) and err->value the name refused. EST_EINVAL when out or
 * name is NULL. *out
 * is written only on success.
 */
int est_power_memory_find(const est_power_memory_figure **out, const char *name,
                          est_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ECOEST_POWER_H */
