/*
 * ecoest/hwdb.h - the hardware database: CPU and GPU TDPs, GPU idle power,
 * and the resolution of names as hardware reports them.
 *
 * The database is read from CSV files (format: docs/hwdb.md):
 *   cpu.csv      model,vendor,cores,threads,tdp_w,year,die_area_cm2,source
 *                (die_area_cm2 optional: a file without the column reads as
 *                before, every die area unknown)
 *   gpu.csv      model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,
 *                die_area_cm2,source (die_area_cm2 optional, as in cpu.csv)
 *   aliases.csv  kind,alias,model,note
 * first from the shipped folder, then from overlay folders in order. A row
 * of an overlay replaces an earlier row whose model has the same normalised
 * name (est_hwdb_name_key); an overlay alias replaces an earlier alias.
 *
 * Names are compared as lists of words: lower case, split on anything that
 * is not a letter or a digit ('+' sticks to the word before it: "8480+"),
 * without the noise words of brand strings (intel, amd, nvidia, tesla,
 * apple, "(R)" and "(TM)" in parentheses, cpu, processor, apu, "@ 2.30GHz",
 * "64-Core", "12th Gen", "with Radeon Graphics", "w/ Radeon 880M",
 * AMD APUs' "Radeon R7, 12 Compute Cores 4C+8G", Intel's lone "0" after
 * "E5-2670"). A lone letter after a word ending in a digit is its suffix:
 * "Gold 6248 R" and "6248-R" are "6248r". Numbers are whole words: "5219"
 * never matches "5218", "8480" never matches "8480+".
 *
 * Resolution (est_hwdb_resolve), first rule that applies:
 *   1. EXACT   the name has the same words as a model (in any order);
 *   2. ALIAS   the name has the same words as an alias (a reporting name
 *              such as "NVIDIA H100 80GB HBM3"); FAMILY when the alias is a
 *              short name that several models hold ("V100"): the alias
 *              names the documented family default;
 *   3. UNIQUE  exactly one model holds every word of the name (a word of the
 *              name may also be two neighbouring words of the model written
 *              together: "RTX4090");
 *   otherwise EST_EAMBIGUOUS (several models) or EST_ENOTFOUND; the closest
 *   models come from est_hwdb_suggest. Never a silent guess.
 *
 * A database is immutable once opened: every const function is safe to call
 * from several threads at once. Nothing here reads the environment.
 */
#ifndef ECOEST_HWDB_H
#define ECOEST_HWDB_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum est_hwdb_kind { EST_HWDB_CPU = 0, EST_HWDB_GPU = 1 } est_hwdb_kind;

#define EST_HWDB_SOURCE_MAX 512
#define EST_HWDB_NOTE_MAX 240
#define EST_HWDB_VENDOR_MAX 32
#define EST_HWDB_FORM_FACTOR_MAX 16
#define EST_HWDB_OTHERS_MAX 8
/* The largest die area a row may give, cm2: the silicon of one CPU package
   or one GPU, all its chiplets together (the largest server packages hold
   about 20 cm2; a figure in mm2 by mistake is over this bound unless below
   1 cm2). */
#define EST_HWDB_DIE_AREA_MAX_CM2 100.0

/* One row of the database. Every string is NUL-terminated; "" when absent. */
typedef struct est_hwdb_entry {
    est_hwdb_kind kind;
    char model[EST_NAME_MAX];  /* canonical model name, e.g. "Xeon Gold 5218" */
    char vendor[EST_HWDB_VENDOR_MAX]; /* "Intel", "AMD", ...; "" not given */
    unsigned cores;            /* CPU: physical cores (>= 1); GPU: 0 */
    unsigned threads;          /* CPU: hardware threads, 0 unknown */
    double tdp_w;              /* thermal design power, W; > 0 */
    double idle_w;             /* GPU idle power, W; -1 (EST_UNSET) unknown */
    double memory_gb;          /* GPU memory, GB; 0 unknown */
    char form_factor[EST_HWDB_FORM_FACTOR_MAX]; /* GPU: "SXM2", "PCIe", ... */
    unsigned year;             /* launch year, 0 unknown */
    char source[EST_HWDB_SOURCE_MAX]; /* where the facts come from; a source
                                  starting with "estimate:" marks a TDP that
                                  no vendor publishes (cloud parts, Apple) */
    char origin[EST_ERROR_FILE_MAX]; /* where the row was read: "path:line" */
    int is_estimate;           /* 1 when source starts with "estimate:" */
    double die_area_cm2;       /* the silicon of one CPU package or one GPU,
                                  all its dies, cm2 (0 < a <=
                                  EST_HWDB_DIE_AREA_MAX_CM2), for the embodied
                                  share (ecoest/embodied.h); 0 unknown (the
                                  row leaves it empty). Its source is in
                                  source, after "; die_area_cm2 " in the
                                  shipped rows (GPUs since 0.2 as well) */
} est_hwdb_entry;

typedef enum est_hwdb_how {
    EST_HWDB_EXACT = 0,   /* the normalised name equals the model's */
    EST_HWDB_ALIAS = 1,   /* a reporting name listed in aliases */
    EST_HWDB_FAMILY = 2,  /* a short name resolved to its family default */
    EST_HWDB_UNIQUE = 3   /* the only model holding every word of the name */
} est_hwdb_how;

/* A static English word for how: "exact", "alias", "family", "unique". */
const char *est_hwdb_how_name(est_hwdb_how how);

/* The result of a resolution. A plain value: no memory to free. */
typedef struct est_hwdb_match {
    est_hwdb_entry entry;
    est_hwdb_how how;
    /* One sentence for the report, "" when there is nothing to say (EXACT,
       ALIAS and UNIQUE matches of published TDPs). For FAMILY: the variant
       chosen and the others; for an estimate: that the TDP is estimated. */
    char note[EST_HWDB_NOTE_MAX];
    char normalized[EST_NAME_MAX]; /* the name's words, space-separated */
    char alias[EST_NAME_MAX];      /* ALIAS/FAMILY: the alias as written */
    char alias_note[EST_HWDB_SOURCE_MAX]; /* ALIAS/FAMILY: its note column */
    /* Other models holding every word of the name (the family's other
       variants), at most EST_HWDB_OTHERS_MAX of n_others_total. */
    size_t n_others;
    size_t n_others_total;
    char others[EST_HWDB_OTHERS_MAX][EST_NAME_MAX];
} est_hwdb_match;

typedef struct est_hwdb est_hwdb;

#define EST_HWDB_OPTIONS_VERSION 2
typedef struct est_hwdb_options {
    unsigned version;           /* EST_HWDB_OPTIONS_VERSION */
    const char *shipped_dir;    /* folder holding cpu.csv, gpu.csv and
                                   aliases.csv, all three required;
                                   NULL: no shipped rows (overlays only) */
    const char *const *overlay_dirs; /* folders read after it, in order; later
                                   rows override earlier rows of the same model.
                                   A folder or file that does not exist is
                                   skipped silently; one that exists but cannot
                                   be read, or holds a problem, fails the open */
    size_t n_overlay_dirs;
    /* version 2: the binary index of the shipped rows (docs/hwdb.md, "The
       index"), built at build time and installed beside the CSVs. NULL:
       <shipped_dir>/hwdb.idx; "": none. It is used only when it is sound
       (its hashes check out) and current (each shipped CSV has the size and
       mtime, or else the content, it was built from); otherwise, and when
       it is missing, the CSVs are parsed, silently: the CSVs are the source
       of truth. Overlays are always parsed. Version 1 callers get the
       default. */
    const char *index_path;
} est_hwdb_options;
#define EST_HWDB_OPTIONS_INIT { EST_HWDB_OPTIONS_VERSION, NULL, NULL, 0, NULL }

/*
 * Opens the database. NULL opts: defaults (an empty database). *db is NULL
 * on failure. Errors:
 *   EST_EINVAL  db NULL, unknown options version;
 *   EST_ENOENT  a shipped file is missing;
 *   EST_EIO     a file cannot be read (or is larger than 64 MiB);
 *   EST_EPARSE  the first problem found in a file, with its place, e.g.
 *               "gpu.csv:17: column tdp_w: expected a number, got "12,5""
 *               (err->file, ->line, ->column are filled);
 *   EST_ENOMEM.
 * Loading is one pass per file with no allocation per row; with a sound,
 * current index (est_hwdb_options.index_path) the shipped rows are mapped,
 * not parsed.
 */
int est_hwdb_open(est_hwdb **db, const est_hwdb_options *opts, est_error *err);
/* Frees the database. Accepts NULL. */
void est_hwdb_free(est_hwdb *db);

/* 1 when the shipped rows of db came from the binary index, 0 when they were
   parsed from the CSVs (or db is NULL). */
int est_hwdb_index_used(const est_hwdb *db);

/*
 * Resolves a name (a brand string, an nvidia-smi name or a short name) to
 * one row; see the rules at the top. out is filled on success and zeroed on
 * failure. Errors:
 *   EST_EINVAL     db, name or out NULL, or kind invalid;
 *   EST_ENOTFOUND  no model matches (also a name with no words left, like
 *                  "Intel(R) CPU", and a laptop GPU, which has no TDP of its
 *                  own); for a hypervisor's virtual CPU model ("Common KVM
 *                  processor", "AMD EPYC-Rome Processor") the message says
 *                  the real model is hidden;
 *   EST_EAMBIGUOUS several models hold every word and no alias picks one
 *                  (e.g. "Intel(R) Xeon(R) CPU @ 2.20GHz" of a cloud VM);
 *   EST_ENOMEM.
 * On EST_ENOTFOUND and EST_EAMBIGUOUS, err->value holds name, for
 * est_hwdb_suggest.
 */
int est_hwdb_resolve(est_hwdb_match *out, const est_hwdb *db, est_hwdb_kind kind, const char *name,
                     est_error *err);

/*
 * The models to offer for a name est_hwdb_resolve refuses, best first, at
 * most EST_SUGGESTIONS_MAX, found by the same resolution (the same db,
 * kind and name give the same list every time):
 *   unknown name    the closest models of the kind by edit distance of the
 *                   words (ties in model order);
 *   ambiguous name  the models holding every word, fewest extra words first,
 *                   then by edit distance;
 *   virtual CPU     the parts of the generation the name gives away ("AMD
 *                   EPYC-Rome Processor": EPYC 7xx2), none when it names
 *                   none (never unrelated parts by spelling);
 *   laptop GPU      its desktop namesakes first ("RTX 4090 Laptop GPU":
 *                   GeForce RTX 4090), else the closest GPUs.
 * out->n is 0 when name resolves, names no model ("Intel(R) CPU") or is too
 * long. Errors: EST_EINVAL for out, db or name NULL or kind invalid (out
 * then empty when not NULL); EST_ENOMEM. A name not found is no error.
 */
int est_hwdb_suggest(est_suggestions *out, const est_hwdb *db, est_hwdb_kind kind,
                     const char *name);

/* Number of models of a kind (after overrides). 0 when db is NULL. */
size_t est_hwdb_count(const est_hwdb *db, est_hwdb_kind kind);

/*
 * The index-th model of a kind, 0 <= index < est_hwdb_count(), in file
 * order (shipped rows first; an overriding row takes the place of the row it
 * replaces, a new overlay row comes after). EST_EINVAL for a bad argument,
 * EST_ERANGE for an index out of range.
 */
int est_hwdb_get(est_hwdb_entry *out, const est_hwdb *db, est_hwdb_kind kind, size_t index);

/*
 * 1 when every word of query is a word of name (the UNIQUE rule), else 0.
 * An empty query (no words) matches every name. For filtering lists.
 * name or query NULL, or either too long to split into words: 0 (no
 * match), never an error code.
 */
int est_hwdb_name_matches(const char *name, const char *query);

/*
 * Writes the words of name, space-separated, in order ("Intel(R) Xeon(R)
 * Gold 5218 CPU @ 2.30GHz" -> "xeon gold 5218") into buf. Returns the
 * number of words, or EST_ERANGE when name has more than 32 words or buf is
 * too small (buf then holds ""), EST_EINVAL for NULL arguments.
 */
int est_hwdb_normalize(char *buf, size_t size, const char *name);

/*
 * Like est_hwdb_normalize with the words sorted: the identity of a model.
 * Two names with the same key are the same model ("A100 80GB PCIe" and
 * "A100 PCIe 80GB"); an overlay row replaces the row with its key.
 */
int est_hwdb_name_key(char *buf, size_t size, const char *name);

/* 1 when vendor is one of the vendors the database knows ("Intel", "AMD",
   "NVIDIA", ...; the list is in docs/hwdb.md), compared without case
   (ASCII letters only, in any locale). vendor NULL: 0. */
int est_hwdb_vendor_known(const char *vendor);

/*
 * Physical cores behind logical_cpus hardware threads when the topology
 * cannot be read, by the model's ratio: logical_cpus x model_cores /
 * model_threads, rounded to the nearest whole core (halves up), at least 1
 * (8 threads of a 16-core/32-thread model: 8 x 16 / 32 = 4 cores).
 * EST_EINVAL when out_cores is NULL, model_cores is 0 or model_threads is
 * below model_cores (the ratio is unknown: threads 0 in the database);
 * *out_cores is written only on success.
 */
int est_hwdb_cores_from_threads(unsigned *out_cores, unsigned logical_cpus,
                                unsigned model_cores, unsigned model_threads);

/*
 * The rules of an entry's kind, which est_hwdb_check_entry applies after
 * the values' own checks, in this order (the first broken is returned):
 * a CPU needs cores (>= 1); idle_w (other than EST_UNSET), memory_gb above
 * 0 and form_factor are GPU-only; cores and threads (other than 0) are
 * CPU-only; the model "auto" (any case and punctuation: its one word is
 * "auto") is reserved, as programs use it to ask for detection, so a row
 * of that name could never be resolved. For a program that says which of
 * its own inputs is at fault.
 */
typedef enum est_hwdb_entry_rule {
    EST_HWDB_RULE_NONE = 0,          /* every rule kept (or entry NULL) */
    EST_HWDB_RULE_CPU_NEEDS_CORES = 1,
    EST_HWDB_RULE_GPU_ONLY_FIELD = 2, /* idle_w, memory_gb or form_factor on a CPU */
    EST_HWDB_RULE_CPU_ONLY_FIELD = 3, /* cores or threads on a GPU */
    EST_HWDB_RULE_RESERVED_NAME = 4   /* the model "auto" */
} est_hwdb_entry_rule;
est_hwdb_entry_rule est_hwdb_entry_kind_rule(const est_hwdb_entry *entry);

/*
 * Checks the values of one entry by the rules a CSV row must follow (model
 * with at least one word and at most EST_NAME_MAX - 1 bytes, no control
 * characters; vendor "" or known; CPU cores >= 1; threads 0 or >= cores;
 * 0 < tdp_w <= 10000; idle_w EST_UNSET or 0 <= idle_w < tdp_w; memory_gb
 * >= 0; year 0 or 1970..2100; die_area_cm2 0 or above 0 and at most
 * EST_HWDB_DIE_AREA_MAX_CM2), then the rules of its kind
 * (est_hwdb_entry_kind_rule). EST_EINVAL with a message naming the column
 * (as in "column tdp_w: must be greater than 0, got -3", "column
 * memory_gb: a GPU-only field, given for a CPU").
 */
int est_hwdb_check_entry(const est_hwdb_entry *entry, est_error *err);

/* What a file holds, for est_hwdb_validate_file. */
typedef enum est_hwdb_file {
    EST_HWDB_FILE_AUTO = 0, /* from the header: "alias" -> aliases, "cores" ->
                             CPU, else GPU */
    EST_HWDB_FILE_CPU = 1,
    EST_HWDB_FILE_GPU = 2,
    EST_HWDB_FILE_ALIASES = 3
} est_hwdb_file;

/* One problem in a file. */
typedef struct est_hwdb_problem {
    char file[EST_ERROR_FILE_MAX]; /* the path as given */
    unsigned long line;     /* 1-based line of the record; 0: the whole file */
    unsigned column;        /* 1-based field number; 0: the whole row */
    char column_name[32];   /* header name of the column, "" when none */
    char detail[EST_ERROR_MESSAGE_MAX]; /* what is wrong, without the place */
    char message[EST_ERROR_MESSAGE_MAX]; /* "file:line: column NAME: detail" */
} est_hwdb_problem;

/* Called once per problem, in file order. ctx is passed through. */
typedef void (*est_hwdb_problem_fn)(const est_hwdb_problem *problem, void *ctx);

/*
 * Reads one database file and reports every problem: missing or unknown
 * columns, wrong field counts, quoting errors, empty, non-numeric, negative
 * or out-of-range values, duplicate models or aliases (same key), unknown
 * vendors, over-long fields, control characters. With db not NULL, the
 * models of an aliases file must exist in db. on_problem may be NULL.
 * Returns 0 when there is no problem, EST_EPARSE when there is at least one
 * (*n_problems, optional, says how many), EST_ENOENT / EST_EIO when the file
 * cannot be read, EST_EINVAL for a NULL path.
 */
int est_hwdb_validate_file(const char *path, est_hwdb_file kind,
                           const est_hwdb *db, est_hwdb_problem_fn on_problem,
                           void *ctx, size_t *n_problems, est_error *err);

/*
 * The schema of the hardware database, written by the library that reads
 * it (a tool that appends rows, such as `ecoest hwdb add`, needs no copy):
 * the header line of a new file of a kind, without its newline:
 *   CPU  model,vendor,cores,threads,tdp_w,year,die_area_cm2,source
 *   GPU  model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,die_area_cm2,source
 * NULL for an unknown kind. die_area_cm2 is optional in a CPU or GPU file
 * (docs/hwdb.md): an older file without it still reads, and rows are
 * appended to it in its own columns (est_hwdb_format_row).
 */
const char *est_hwdb_header(est_hwdb_kind kind);

/*
 * One CSV line (its newline included) for ent, in the column order of
 * header (an existing file's first line, without its newline, a UTF-8 BOM
 * allowed; NULL: est_hwdb_header(ent->kind)). Fields are quoted when
 * needed; numbers are the shortest digits that read back to the same
 * double; a value not known (threads 0, idle_w EST_UNSET, ...) is an empty
 * field; a column the reader does not know stays empty (validation reports
 * it). Writes at most size bytes, NUL-terminated, to buf and the line's
 * length to *len. Errors: EST_EINVAL (NULL arguments, a header with a
 * quote or longer than 1024 bytes, a die area above 0 for a header
 * without the die_area_cm2 column: never dropped silently),
 * EST_ERANGE (buf too small: *len holds the length needed).
 */
int est_hwdb_format_row(char *buf, size_t size, size_t *len, const est_hwdb_entry *ent,
                        const char *header, est_error *err);

/* One sentence on how, for a report: "exact: the name has the same words
   as the model", ...; "?" for an unknown value. Static storage. */
const char *est_hwdb_how_describe(est_hwdb_how how);

/*
 * The fields of a row as a listing shows them (`ecoest hwdb list --format
 * json|csv`): one schema for both kinds, in this order:
 *   kind model vendor cores threads tdp_w idle_w memory_gb form_factor year
 *   is_estimate source origin die_area_cm2
 * A field that does not apply to the row's kind, or is not known (threads
 * 0, idle_w EST_UNSET, memory_gb 0, form_factor "", year 0, die_area_cm2
 * 0), is EST_HWDB_FIELD_NULL. Fields are only ever appended (die_area_cm2
 * in 0.2): a caller looping to its own EST_HWDB_FIELDS keeps working, and
 * one built with a larger count gets EST_EINVAL past the library's.
 */
#define EST_HWDB_FIELDS 14
typedef enum est_hwdb_field_type {
    EST_HWDB_FIELD_NULL = 0,
    EST_HWDB_FIELD_STRING = 1, /* str */
    EST_HWDB_FIELD_NUMBER = 2, /* num: watts, GB, a count or a year */
    EST_HWDB_FIELD_BOOL = 3    /* num: 0 or 1 */
} est_hwdb_field_type;
typedef struct est_hwdb_field {
    const char *name;       /* the key, e.g. "tdp_w"; static storage */
    est_hwdb_field_type type;
    const char *str;        /* STRING: points into the entry */
    double num;             /* NUMBER and BOOL */
} est_hwdb_field;

/* The field names above, comma-separated, as a CSV header (no newline). */
const char *est_hwdb_fields_header(void);

/* The i-th field of e, 0 <= i < EST_HWDB_FIELDS, into *out (valid while e
   is). EST_EINVAL for NULL arguments or i out of range. */
int est_hwdb_entry_field(est_hwdb_field *out, const est_hwdb_entry *e, size_t i);

/*
 * Appends ent as one row to the overlay file at path (a CPU or GPU file,
 * by ent->kind), created with its header when missing; the row follows the
 * column order of the file's own header (est_hwdb_format_row). The folder
 * must exist. Concurrent appends are serialised by an exclusive flock on
 * ".<name>.lock" beside the file (beside the link's target when path is a
 * symbolic link, whose target is rewritten and the link kept), held from
 * before the read until after the rename, so no row is lost. The new
 * content is written atomically (est_fs_atomic_open: temporary file, fsync,
 * rename; the old file's permission bits), after the whole new file passes
 * est_hwdb_validate_file; each problem is passed to on_problem (may be
 * NULL) under path's name, and *n_problems (optional) says how many.
 * Errors, with the file left as it was: EST_EPARSE (the new file would have
 * a problem: a duplicate model, an unknown vendor, a header the row cannot
 * be written in), EST_EIO (path exists and is not a regular file, is over
 * 64 MiB, or cannot be read, locked or written), EST_ENOMEM, EST_EINVAL
 * (NULL path or entry).
 */
int est_hwdb_append(const char *path, const est_hwdb_entry *ent, est_hwdb_problem_fn on_problem,
                    void *ctx, size_t *n_problems, est_error *err);

#ifdef __cplusplus
}
#endif

#endif
