/*
 * ecoest/hwdb.h - the hardware database: CPU and GPU TDPs, GPU idle power,
 * and the resolution of names as hardware reports them.
 *
 * (Interim version: a handful of built-in rows. The CSV-backed database with
 * overlays replaces the implementation behind this same API.)
 */
#ifndef ECOEST_HWDB_H
#define ECOEST_HWDB_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum est_hw_kind { EST_HW_CPU = 0, EST_HW_GPU = 1 } est_hw_kind;

#define EST_HW_SOURCE_MAX 512
#define EST_HW_NOTE_MAX 240

/* One row of the database. */
typedef struct est_hw_entry {
    est_hw_kind kind;
    char model[EST_NAME_MAX];  /* canonical model name, e.g. "Xeon Gold 5218" */
    char vendor[32];
    unsigned cores;            /* CPU: physical cores; GPU: 0 */
    unsigned threads;          /* CPU: hardware threads, 0 unknown */
    double tdp_w;              /* > 0 */
    double idle_w;             /* GPU idle power; -1 (EST_UNSET) when unknown */
    double memory_gb;          /* GPU memory, 0 unknown */
    char form_factor[16];      /* GPU: "SXM2", "PCIe", ...; "" unknown */
    unsigned year;             /* launch year, 0 unknown */
    char source[EST_HW_SOURCE_MAX]; /* where the facts come from */
    char origin[EST_ERROR_FILE_MAX]; /* where the row was read: "file:line" */
} est_hw_entry;

typedef enum est_hw_how {
    EST_HW_EXACT = 0,   /* the normalised name equals the model's */
    EST_HW_ALIAS = 1,   /* a reporting name listed in aliases */
    EST_HW_FAMILY = 2,  /* a short name resolved to its family default */
    EST_HW_UNIQUE = 3   /* the only model holding every word of the name */
} est_hw_how;

typedef struct est_hw_match {
    est_hw_entry entry;
    est_hw_how how;
    char note[EST_HW_NOTE_MAX]; /* why, e.g. the family default's note */
} est_hw_match;

typedef struct est_hwdb est_hwdb;

#define EST_HWDB_OPTIONS_VERSION 1
typedef struct est_hwdb_options {
    unsigned version;           /* EST_HWDB_OPTIONS_VERSION */
    const char *shipped_dir;    /* folder holding cpu.csv, gpu.csv, aliases.csv;
                                   NULL: built-in rows only */
    const char *const *overlay_dirs; /* folders read after it, in order; later
                                   rows override earlier rows of the same model */
    size_t n_overlay_dirs;
} est_hwdb_options;
#define EST_HWDB_OPTIONS_INIT { EST_HWDB_OPTIONS_VERSION, NULL, NULL, 0 }

/* Opens the database. NULL opts: defaults. *db is NULL on failure. */
int est_hwdb_open(est_hwdb **db, const est_hwdb_options *opts, est_error *err);
/* Frees the database. Accepts NULL. */
void est_hwdb_free(est_hwdb *db);

/*
 * Resolves a name (a brand string, an nvidia-smi name or a short name) to
 * one row. EST_ENOTFOUND or EST_EAMBIGUOUS with err->candidates listing the
 * closest models (at most 5); never a silent guess.
 */
int est_hwdb_resolve(const est_hwdb *db, est_hw_kind kind, const char *name,
                     est_hw_match *out, est_error *err);

#ifdef __cplusplus
}
#endif

#endif
