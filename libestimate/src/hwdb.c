/* The hardware database: CSV files in, name resolution out.
 *
 * Each file is read whole into one buffer and parsed in place; rows keep
 * pointers into those buffers. Normalised names live in one growing arena.
 * Models and aliases are found by key in open-addressing hash tables, so
 * loading is linear and duplicate checks are O(1) per row. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecoest/hwdb.h"
#include "ecoest/model.h"
#include "hwdb_internal.h"

#define FILE_BYTES_MAX ((size_t)64 << 20)
#define WORDS_BUF 512
#define ESTIMATE_PREFIX "estimate:"

/* ---------------------------------------------------------------- columns */

enum col {
    C_MODEL, C_VENDOR, C_CORES, C_THREADS, C_TDP, C_IDLE, C_MEM, C_FORM,
    C_YEAR, C_SOURCE, C_KIND, C_ALIAS, C_NOTE, C_DIE, C_N
};

static const char *const col_name[C_N] = {
    "model", "vendor", "cores", "threads", "tdp_w", "idle_w", "memory_gb",
    "form_factor", "year", "source", "kind", "alias", "note", "die_area_cm2"};

/* Maximum bytes of a text column (including the NUL). */
static size_t col_text_max(int c)
{
    switch (c) {
    case C_MODEL: case C_ALIAS: return EST_NAME_MAX;
    case C_VENDOR: return EST_HWDB_VENDOR_MAX;
    case C_FORM: return EST_HWDB_FORM_FACTOR_MAX;
    case C_KIND: return 4;
    default: return EST_HWDB_SOURCE_MAX;
    }
}

typedef struct file_layout {
    const int *cols;  /* canonical order, -1 terminated */
    const int *required;
} file_layout;

static const int cpu_cols[] = {C_MODEL, C_VENDOR, C_CORES, C_THREADS, C_TDP, C_YEAR, C_DIE,
                               C_SOURCE, -1};
static const int cpu_req[] = {C_MODEL, C_CORES, C_TDP, -1};
static const int gpu_cols[] = {C_MODEL, C_VENDOR, C_TDP, C_IDLE, C_MEM, C_FORM, C_YEAR, C_DIE,
                               C_SOURCE, -1};
static const int gpu_req[] = {C_MODEL, C_TDP, -1};
static const int alias_cols[] = {C_KIND, C_ALIAS, C_MODEL, C_NOTE, -1};
static const int alias_req[] = {C_KIND, C_ALIAS, C_MODEL, -1};

static file_layout layout_of(est_hwdb_file kind)
{
    file_layout l;
    if (kind == EST_HWDB_FILE_CPU) {
        l.cols = cpu_cols;
        l.required = cpu_req;
    } else if (kind == EST_HWDB_FILE_GPU) {
        l.cols = gpu_cols;
        l.required = gpu_req;
    } else {
        l.cols = alias_cols;
        l.required = alias_req;
    }
    return l;
}

static int in_cols(const int *cols, int c)
{
    for (; *cols >= 0; cols++)
        if (*cols == c)
            return 1;
    return 0;
}

/* ---------------------------------------------------------------- vendors */

static const char *const vendors[] = {
    "Intel", "AMD", "NVIDIA", "Apple", "Ampere", "AWS", "Google", "Microsoft",
    "Qualcomm", "Huawei", "Fujitsu", "IBM", "Marvell", "Cavium", "Hygon",
    "Zhaoxin", "Arm", "Alibaba", "Habana", "Graphcore", "Cerebras",
    "SambaNova", "Groq", "Tenstorrent", "Samsung", "MediaTek", "Broadcom",
    "Rockchip", "Raspberry Pi", "SiFive", "Loongson", "Sophgo", "Moore Threads",
    "Biren", "Cambricon", NULL};

int est_hwdb_vendor_known(const char *vendor)
{
    size_t i;
    if (!vendor)
        return 0;
    for (i = 0; vendors[i]; i++)
        if (est__strcasecmp_ascii(vendor, vendors[i]) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------- the tables */

typedef struct hwfile {
    char *buf;
    char *path;
} hwfile;

/* A model row. Texts and names are arena offsets (A()), so that the rows
   of the index are used as they lie in its mapping. */
typedef struct hwrow {
    double tdp_w, idle_w, memory_gb;
    double die_area_cm2;                  /* CPU, GPU; 0 unknown */
    uint64_t sig;                         /* est__hw_sig of words, as a model */
    uint32_t model, vendor, form, source; /* texts */
    uint32_t key, words;                  /* normalised names */
    uint32_t line, cores, threads, year, file;
    uint8_t kind, estimate, pad[2];
} hwrow;

typedef struct hwalias {
    const char *alias, *model, *note;
    unsigned file;
    unsigned long line;
    size_t key, words, model_key;
    size_t target; /* row index, once linked */
    uint64_t sig;  /* est__hw_sig of words, as a model */
    unsigned char kind;
} hwalias;

typedef struct htab {
    uint32_t *slot; /* item index + 1; 0 empty */
    size_t cap;     /* power of two */
    size_t n;
    int shared;     /* slot lies in the index's mapping: copy before a change */
} htab;

struct est_hwdb {
    hwfile *files;
    size_t n_files, cap_files;
    hwrow *rows;
    size_t n_rows, cap_rows;
    int rows_shared; /* rows lie in the index's mapping: copy before a change */
    hwalias *aliases;
    size_t n_aliases, cap_aliases;
    char *arena;
    size_t arena_len, arena_cap;
    htab row_tab, alias_tab;
    uint32_t *by_kind[2]; /* row indices per kind, in order */
    uint64_t *sig_kind[2]; /* their signatures, in the same order */
    size_t n_kind[2];
    int kind_shared;       /* both lie in the index's mapping */
    const uint32_t *ix_by_kind[2]; /* the index's, valid while rows_shared */
    const uint64_t *ix_sig_kind[2];
    int index_used;     /* the shipped rows came from the index */
    void *ix_map;       /* the index, mapped read-only; NULL when not used */
    size_t ix_map_len;
    const char *ix_arena; /* its names: arena offsets below ix_arena_len */
    size_t ix_arena_len;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t nc;
    void *q;
    if (need <= *cap)
        return 0;
    nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    q = realloc(*p, nc * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = nc;
    return 0;
}

/* Appends s to the arena; returns its offset or SIZE_MAX. */
static size_t arena_add(est_hwdb *db, const char *s)
{
    size_t n = strlen(s) + 1, off;
    if (grow((void **)&db->arena, &db->arena_cap, db->arena_len + n, 1))
        return SIZE_MAX;
    off = db->arena_len;
    memcpy(db->arena + off, s, n);
    db->arena_len += n;
    return db->ix_arena_len + off;
}

/* An arena offset: the index's names first, then the growing arena. */
static const char *A(const est_hwdb *db, size_t off)
{
    return off < db->ix_arena_len ? db->ix_arena + off : db->arena + (off - db->ix_arena_len);
}

/* Room for need rows, owned: rows still in the index's mapping are copied
   first. Returns 0 or -1. */
static int rows_reserve(est_hwdb *db, size_t need)
{
    if (db->rows_shared) {
        size_t cap = need > db->n_rows ? need : db->n_rows;
        hwrow *own = malloc((cap ? cap : 1) * sizeof *own);
        if (!own)
            return -1;
        memcpy(own, db->rows, db->n_rows * sizeof *own);
        db->rows = own;
        db->cap_rows = cap;
        db->rows_shared = 0;
    }
    return grow((void **)&db->rows, &db->cap_rows, need, sizeof *db->rows);
}

/* An arena offset as a row field; UINT32_MAX when it does not fit. */
static uint32_t off32(size_t off) { return off < UINT32_MAX ? (uint32_t)off : UINT32_MAX; }

static uint32_t hash_key(unsigned kind, const char *s)
{
    uint32_t h = 2166136261u ^ kind;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static const char *item_key(const est_hwdb *db, int alias, size_t i, unsigned *kind)
{
    if (alias) {
        *kind = db->aliases[i].kind;
        return A(db, db->aliases[i].key);
    }
    *kind = db->rows[i].kind;
    return A(db, db->rows[i].key);
}

/* Index of the item with this kind and key, or SIZE_MAX. */
static size_t tab_find(const est_hwdb *db, const htab *t, int alias, unsigned kind,
                       const char *key)
{
    size_t m, i;
    if (!t->cap)
        return SIZE_MAX;
    m = t->cap - 1;
    for (i = hash_key(kind, key) & m; t->slot[i]; i = (i + 1) & m) {
        size_t idx = t->slot[i] - 1;
        unsigned k;
        const char *ik = item_key(db, alias, idx, &k);
        if (k == kind && strcmp(ik, key) == 0)
            return idx;
    }
    return SIZE_MAX;
}

static void tab_put_raw(const est_hwdb *db, htab *t, int alias, size_t idx)
{
    unsigned k;
    const char *key = item_key(db, alias, idx, &k);
    size_t m = t->cap - 1, i;
    for (i = hash_key(k, key) & m; t->slot[i]; i = (i + 1) & m)
        ;
    t->slot[i] = (uint32_t)(idx + 1);
    t->n++;
}

/* Inserts item idx (whose key is not in the table yet). */
static int tab_insert(const est_hwdb *db, htab *t, int alias, size_t idx)
{
    if (t->shared) {
        uint32_t *own = malloc(t->cap * sizeof *own);
        if (!own)
            return -1;
        memcpy(own, t->slot, t->cap * sizeof *own);
        t->slot = own;
        t->shared = 0;
    }
    if ((t->n + 1) * 2 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 4096, i;
        uint32_t *old = t->slot;
        size_t old_cap = t->cap;
        t->slot = calloc(nc, sizeof *t->slot);
        if (!t->slot) {
            t->slot = old;
            return -1;
        }
        t->cap = nc;
        t->n = 0;
        for (i = 0; i < old_cap; i++)
            if (old[i])
                tab_put_raw(db, t, alias, old[i] - 1);
        free(old);
    }
    tab_put_raw(db, t, alias, idx);
    return 0;
}

/* --------------------------------------------------------------- problems */

typedef struct sink {
    est_hwdb_problem_fn fn;
    void *ctx;
    size_t n;
    int stop_at_first;
    est_hwdb_problem first;
} sink;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static void vproblem(sink *s, const char *path, unsigned long line, unsigned col,
                     const char *colname, const char *fmt, va_list ap)
{
    est_hwdb_problem p;
    char place[EST_ERROR_FILE_MAX + 32], cn[64];
    memset(&p, 0, sizeof p);
    est__strlcpy(p.file, path, sizeof p.file);
    p.line = line;
    p.column = col;
    if (colname)
        est__strlcpy(p.column_name, colname, sizeof p.column_name);
    est__vsnprintf_c(p.detail, sizeof p.detail, fmt, ap);
    if (line)
        snprintf(place, sizeof place, "%s:%lu: ", path, line);
    else
        snprintf(place, sizeof place, "%s: ", path);
    cn[0] = '\0';
    if (colname && *colname)
        snprintf(cn, sizeof cn, "column %s: ", colname);
    snprintf(p.message, sizeof p.message, "%s%s%s", place, cn, p.detail);
    if (s->n == 0)
        s->first = p;
    s->n++;
    if (s->fn)
        s->fn(&p, s->ctx);
}

static void problem(sink *s, const char *path, unsigned long line, unsigned col,
                    const char *colname, const char *fmt, ...) EST_PRINTF(6, 7);
static void problem(sink *s, const char *path, unsigned long line, unsigned col,
                    const char *colname, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(s, path, line, col, colname, fmt, ap);
    va_end(ap);
}

/* The first problem as an est_error. */
static int sink_fail(const sink *s, est_error *err)
{
    const est_hwdb_problem *p = &s->first;
    if (err) {
        est_error_clear(err);
        err->code = EST_EPARSE;
        est__strlcpy(err->message, p->message, sizeof err->message);
        est__strlcpy(err->file, p->file, sizeof err->file);
        err->line = p->line;
        err->column = p->column;
    }
    return EST_EPARSE;
}

/* ------------------------------------------------------------ value rules */

static void fmt_num(char *buf, size_t size, double v) { est__format_double(buf, size, v, 10); }

/* Checks a numeric value of a column. Returns 0, or -1 with detail. */
static int check_number(int c, double v, double tdp_w, unsigned cores, char *detail,
                        size_t size)
{
    char a[40], b[40];
    a[0] = '\0';
    /* the value is formatted only when it is reported (printf is slow) */
#define A_ (fmt_num(a, sizeof a, v), a)
    switch (c) {
    case C_TDP:
        if (!(v > 0.0)) {
            snprintf(detail, size, "must be greater than 0, got %s", A_);
            return -1;
        }
        if (v > 10000.0) {
            snprintf(detail, size, "must be at most 10000 W, got %s", A_);
            return -1;
        }
        return 0;
    case C_IDLE:
        if (v == EST_UNSET)
            return 0;
        if (v < 0.0) {
            snprintf(detail, size, "must not be negative, got %s", A_);
            return -1;
        }
        if (tdp_w > 0.0 && v >= tdp_w) {
            fmt_num(b, sizeof b, tdp_w);
            snprintf(detail, size, "idle power %s W must be below tdp_w %s W", A_, b);
            return -1;
        }
        return 0;
    case C_MEM:
        if (v < 0.0) {
            snprintf(detail, size, "must not be negative, got %s", A_);
            return -1;
        }
        if (v > 1e6) {
            snprintf(detail, size, "must be at most 1000000 GB, got %s", A_);
            return -1;
        }
        return 0;
    case C_CORES:
        if (v < 1.0 || v > 1e6) {
            snprintf(detail, size, "must be a whole number from 1 to 1000000, got %s", A_);
            return -1;
        }
        return 0;
    case C_THREADS:
        if (v == 0.0)
            return 0;
        if (v < 1.0 || v > 1e6) {
            snprintf(detail, size, "must be a whole number from 1 to 1000000, got %s", A_);
            return -1;
        }
        if (cores && v < (double)cores) {
            snprintf(detail, size, "%s threads is fewer than the %u cores", A_, cores);
            return -1;
        }
        return 0;
    case C_YEAR:
        if (v != 0.0 && (v < 1970.0 || v > 2100.0)) {
            snprintf(detail, size, "must be a year from 1970 to 2100, got %s", A_);
            return -1;
        }
        return 0;
    case C_DIE:
        if (v == EST_UNSET)
            return 0;
        if (!(v > 0.0) || v > EST_HWDB_DIE_AREA_MAX_CM2) {
            snprintf(detail, size, "must be a die area above 0 and at most %g cm2, got %s",
                     EST_HWDB_DIE_AREA_MAX_CM2, A_);
            return -1;
        }
        return 0;
    default:
        return 0;
    }
#undef A_
}

/* Checks a text value of a column. Returns 0, or -1 with detail. */
static int check_text(int c, const char *s, size_t len, int may_have_ctrl, char *detail,
                      size_t size)
{
    char ex[80];
    size_t i, max = col_text_max(c);
    if (len >= max) {
        snprintf(detail, size, "too long: %zu bytes, at most %zu (\"%s\")", len, max - 1,
                 est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    for (i = 0; may_have_ctrl && i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) {
            snprintf(detail, size, "control character (byte 0x%02x) in \"%s\"", ch,
                     est__excerpt(ex, sizeof ex, s, len));
            return -1;
        }
    }
    if ((c == C_MODEL || c == C_ALIAS) && len == 0) {
        snprintf(detail, size, "empty: a name is required");
        return -1;
    }
    if (c == C_VENDOR && len && !est_hwdb_vendor_known(s)) {
        snprintf(detail, size, "unknown vendor \"%s\" (known: Intel, AMD, NVIDIA, Apple, "
                 "Ampere, AWS, Google, ...; see docs/hwdb.md)", est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    if (c == C_KIND && est__strcasecmp_ascii(s, "cpu") != 0 && est__strcasecmp_ascii(s, "gpu") != 0) {
        snprintf(detail, size, "expected cpu or gpu, got \"%s\"",
                 est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    return 0;
}

/* The words of a name, with a problem detail when there are none or too
   many. Returns the number of words (> 0) or -1. */
static int name_words(const char *s, char *words, char *key, size_t size, char *detail,
                      size_t dsize)
{
    char ex[80];
    int n = est__hw_words2(s, words, key, size);
    if (n == 0)
        snprintf(detail, dsize, "\"%s\" has no words left after dropping brand words "
                 "(intel, amd, cpu, ...)", est__excerpt(ex, sizeof ex, s, strlen(s)));
    else if (n < 0)
        snprintf(detail, dsize, "\"%s\" has too many words",
                 est__excerpt(ex, sizeof ex, s, strlen(s)));
    return n > 0 ? n : -1;
}

int est_hwdb_cores_from_threads(unsigned *out_cores, unsigned logical_cpus,
                                unsigned model_cores, unsigned model_threads)
{
    unsigned long long c;
    if (!out_cores || !model_cores || model_threads < model_cores)
        return EST_EINVAL;
    c = ((unsigned long long)logical_cpus * model_cores + model_threads / 2) / model_threads;
    *out_cores = c ? (unsigned)c : 1u; /* c <= logical_cpus: threads >= cores */
    return EST_OK;
}

static int is_reserved_name(const char *model)
{
    char words[EST_NAME_MAX * 4];
    return est_hwdb_normalize(words, sizeof words, model) == 1 && strcmp(words, "auto") == 0;
}

est_hwdb_entry_rule est_hwdb_entry_kind_rule(const est_hwdb_entry *e)
{
    int cpu;
    if (!e)
        return EST_HWDB_RULE_NONE;
    cpu = e->kind == EST_HWDB_CPU;
    if (cpu && e->cores == 0)
        return EST_HWDB_RULE_CPU_NEEDS_CORES;
    if (cpu && (e->idle_w != EST_UNSET || e->memory_gb > 0.0 || e->form_factor[0] != '\0'))
        return EST_HWDB_RULE_GPU_ONLY_FIELD;
    if (!cpu && (e->cores || e->threads))
        return EST_HWDB_RULE_CPU_ONLY_FIELD;
    if (strnlen(e->model, sizeof e->model) < sizeof e->model && is_reserved_name(e->model))
        return EST_HWDB_RULE_RESERVED_NAME;
    return EST_HWDB_RULE_NONE;
}

/* The message of a broken kind rule, naming its column. */
static int fail_kind_rule(const est_hwdb_entry *e, est_hwdb_entry_rule r, est_error *err)
{
    const char *col;
    switch (r) {
    case EST_HWDB_RULE_CPU_NEEDS_CORES:
        return est__fail_at(err, EST_EINVAL, NULL, 0, 0, "cores", "a CPU needs its cores");
    case EST_HWDB_RULE_GPU_ONLY_FIELD:
        col = e->idle_w != EST_UNSET ? "idle_w" : e->memory_gb > 0.0 ? "memory_gb"
                                                                      : "form_factor";
        return est__fail_at(err, EST_EINVAL, NULL, 0, 0, col, "a GPU-only field, given for a CPU");
    case EST_HWDB_RULE_CPU_ONLY_FIELD:
        return est__fail_at(err, EST_EINVAL, NULL, 0, 0, e->cores ? "cores" : "threads",
                            "a CPU-only field, given for a GPU");
    case EST_HWDB_RULE_RESERVED_NAME:
        return est__fail_at(err, EST_EINVAL, NULL, 0, 0, "model",
                            "\"%s\" is reserved (\"auto\" asks for detection): give the "
                            "model's name", e->model);
    default:
        return EST_OK;
    }
}

int est_hwdb_check_entry(const est_hwdb_entry *e, est_error *err)
{
    est_hwdb_entry_rule rule;
    char detail[EST_ERROR_MESSAGE_MAX];
    int c;
    if (!e)
        return est__fail(err, EST_EINVAL, "est_hwdb_check_entry: entry is NULL");
    if (e->kind != EST_HWDB_CPU && e->kind != EST_HWDB_GPU)
        return est__fail(err, EST_EINVAL, "kind: expected CPU or GPU");
#define TEXT(col, field)                                                              \
    if (check_text(col, field, strnlen(field, sizeof field), 1, detail, sizeof detail)) \
        return est__fail_at(err, EST_EINVAL, NULL, 0, 0, col_name[col], "%s", detail);
    if (strnlen(e->model, sizeof e->model) == sizeof e->model)
        return est__fail_at(err, EST_EINVAL, NULL, 0, 0, "model", "not NUL-terminated");
    TEXT(C_MODEL, e->model)
    {
        char words[WORDS_BUF], key[WORDS_BUF];
        if (name_words(e->model, words, key, sizeof words, detail, sizeof detail) < 0)
            return est__fail_at(err, EST_EINVAL, NULL, 0, 0, "model", "%s", detail);
    }
    TEXT(C_VENDOR, e->vendor)
    TEXT(C_FORM, e->form_factor)
    TEXT(C_SOURCE, e->source)
#undef TEXT
    {
        const double v[] = {e->tdp_w, e->idle_w, e->memory_gb,
                            e->kind == EST_HWDB_CPU ? (double)e->cores : 1.0,
                            (double)e->threads, (double)e->year,
                            e->die_area_cm2 == 0.0 ? EST_UNSET : e->die_area_cm2};
        const int cols[] = {C_TDP, C_IDLE, C_MEM, C_CORES, C_THREADS, C_YEAR, C_DIE};
        size_t i;
        for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            c = cols[i];
            if (!isfinite(v[i]))
                return est__fail_at(err, EST_EINVAL, NULL, 0, 0, col_name[c],
                                    "expected a finite number");
            if (check_number(c, v[i], e->tdp_w, e->kind == EST_HWDB_CPU ? e->cores : 0,
                             detail, sizeof detail))
                return est__fail_at(err, EST_EINVAL, NULL, 0, 0, col_name[c], "%s", detail);
        }
    }
    if ((rule = est_hwdb_entry_kind_rule(e)) != EST_HWDB_RULE_NONE)
        return fail_kind_rule(e, rule, err);
    return EST_OK;
}

/* ----------------------------------------------------------- reading files */

static int add_file(est_hwdb *db, char *buf, const char *path, unsigned *idx)
{
    size_t n = strlen(path) + 1;
    char *p;
    if (grow((void **)&db->files, &db->cap_files, db->n_files + 1, sizeof *db->files))
        return -1;
    p = malloc(n);
    if (!p)
        return -1;
    memcpy(p, path, n);
    db->files[db->n_files].buf = buf;
    db->files[db->n_files].path = p;
    *idx = (unsigned)db->n_files++;
    return 0;
}

/* What one load_file call needs. */
typedef struct loader {
    est_hwdb *db;
    const est_hwdb *targets; /* validate: where alias models must exist */
    sink *s;
    const char *path;
    est_hwdb_file kind;
    unsigned file;
    int field_of[C_N]; /* field index of each column, -1 absent */
    size_t n_fields;
    const char *last_vendor; /* the last vendor found known */
} loader;

static const char *empty_str = "";

/* The field of column c in rec, "" when the column is absent. */
static const char *fld(const loader *L, const est__csv_record *rec, int c, size_t *len)
{
    int i = L->field_of[c];
    if (i < 0) {
        *len = 0;
        return empty_str;
    }
    *len = rec->len[i];
    return rec->field[i];
}

#define P(L, rec, c, ...)                                                          \
    problem((L)->s, (L)->path, (rec)->line, (unsigned)((L)->field_of[c] + 1),     \
            col_name[c], __VA_ARGS__)

/* Parses a number column. integer: whole numbers only. absent_value: the
   value of an empty optional field. Returns 0 or -1 (problem reported). */
static int num_col(loader *L, const est__csv_record *rec, int c, int required, int integer,
                   double absent_value, double *out)
{
    size_t len;
    const char *s = fld(L, rec, c, &len);
    char ex[80];
    int rc;
    if (len == 0) {
        if (required) {
            P(L, rec, c, "empty: a number is required");
            return -1;
        }
        *out = absent_value;
        return 0;
    }
    rc = est_parse_double(out, s, len);
    if (rc == EST_ERANGE) {
        P(L, rec, c, "number out of range: \"%s\"", est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    if (rc) {
        P(L, rec, c, "expected a number, got \"%s\"", est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    if (integer && (*out != floor(*out))) {
        P(L, rec, c, "expected a whole number, got \"%s\"", est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    if (*out < 0.0) {
        P(L, rec, c, "must not be negative, got \"%s\"", est__excerpt(ex, sizeof ex, s, len));
        return -1;
    }
    return 0;
}

static int text_col(loader *L, const est__csv_record *rec, int c, const char **out)
{
    char detail[EST_ERROR_MESSAGE_MAX];
    size_t len;
    const char *s = fld(L, rec, c, &len);
    if (c == C_VENDOR && len && L->last_vendor && strcmp(s, L->last_vendor) == 0 && !rec->ctrl) {
        *out = s; /* same vendor as the row before: known */
        return 0;
    }
    if (check_text(c, s, len, rec->ctrl, detail, sizeof detail)) {
        P(L, rec, c, "%s", detail);
        return -1;
    }
    *out = s;
    if (c == C_VENDOR && len)
        L->last_vendor = s;
    return 0;
}

static int range_col(loader *L, const est__csv_record *rec, int c, double v, double tdp_w,
                     unsigned cores)
{
    char detail[EST_ERROR_MESSAGE_MAX];
    if (check_number(c, v, tdp_w, cores, detail, sizeof detail)) {
        P(L, rec, c, "%s", detail);
        return -1;
    }
    return 0;
}

/* Reads the header. Returns 0, or -1 when rows cannot be read. */
static int read_header(loader *L, const est__csv_record *rec)
{
    file_layout lay;
    size_t i;
    int bad = 0, c;
    for (c = 0; c < C_N; c++)
        L->field_of[c] = -1;
    if (L->kind == EST_HWDB_FILE_AUTO) {
        int has_alias = 0, has_cores = 0;
        for (i = 0; i < rec->n && i < EST__CSV_FIELDS_MAX; i++) {
            has_alias |= strcmp(rec->field[i], "alias") == 0;
            has_cores |= strcmp(rec->field[i], "cores") == 0;
        }
        L->kind = has_alias ? EST_HWDB_FILE_ALIASES : has_cores ? EST_HWDB_FILE_CPU : EST_HWDB_FILE_GPU;
    }
    lay = layout_of(L->kind);
    if (rec->n > EST__CSV_FIELDS_MAX) {
        problem(L->s, L->path, rec->line, 0, NULL,
                "header has %zu columns, at most %d are allowed", rec->n, EST__CSV_FIELDS_MAX);
        return -1;
    }
    L->n_fields = rec->n;
    for (i = 0; i < rec->n; i++) {
        const char *name = rec->field[i];
        char ex[80];
        int found = -1;
        for (c = 0; c < C_N && found < 0; c++)
            if (strcmp(name, col_name[c]) == 0 && in_cols(lay.cols, c))
                found = c;
        if (found < 0) {
            char list[200];
            const int *p;
            size_t o = 0;
            list[0] = '\0';
            for (p = lay.cols; *p >= 0; p++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? "," : "",
                                      col_name[*p]);
            problem(L->s, L->path, rec->line, (unsigned)i + 1, NULL,
                    "unknown column \"%s\" in the header (expected %s)",
                    est__excerpt(ex, sizeof ex, name, rec->len[i]), list);
            bad = 1;
        } else if (L->field_of[found] >= 0) {
            problem(L->s, L->path, rec->line, (unsigned)i + 1, NULL,
                    "column %s appears twice in the header", col_name[found]);
            bad = 1;
        } else {
            L->field_of[found] = (int)i;
        }
    }
    for (i = 0; lay.required[i] >= 0; i++)
        if (L->field_of[lay.required[i]] < 0) {
            problem(L->s, L->path, rec->line, 0, NULL, "missing column %s in the header",
                    col_name[lay.required[i]]);
            bad = 1;
        }
    return bad ? -1 : 0;
}

static int model_row(loader *L, const est__csv_record *rec)
{
    est_hwdb *db = L->db;
    hwrow r;
    double v;
    size_t before = L->s->n, existing;
    char words[WORDS_BUF], key[WORDS_BUF];
    const char *model = NULL, *vendor = NULL, *form = NULL, *source = NULL;
    int cpu = L->kind == EST_HWDB_FILE_CPU, bad;
    memset(&r, 0, sizeof r);
    r.kind = cpu ? EST_HWDB_CPU : EST_HWDB_GPU;
    r.file = L->file;
    r.line = rec->line > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->line;
    r.idle_w = EST_UNSET;
    text_col(L, rec, C_MODEL, &model);
    text_col(L, rec, C_VENDOR, &vendor);
    text_col(L, rec, C_FORM, &form);
    text_col(L, rec, C_SOURCE, &source);
    if (!num_col(L, rec, C_TDP, 1, 0, 0.0, &r.tdp_w))
        range_col(L, rec, C_TDP, r.tdp_w, 0.0, 0);
    if (cpu && !num_col(L, rec, C_CORES, 1, 1, 0.0, &v) && !range_col(L, rec, C_CORES, v, 0, 0))
        r.cores = (unsigned)v;
    if (cpu && !num_col(L, rec, C_THREADS, 0, 1, 0.0, &v) &&
        !range_col(L, rec, C_THREADS, v, 0, r.cores))
        r.threads = (unsigned)v;
    if (!cpu && !num_col(L, rec, C_IDLE, 0, 0, EST_UNSET, &r.idle_w))
        range_col(L, rec, C_IDLE, r.idle_w, r.tdp_w, 0);
    if (!cpu && !num_col(L, rec, C_MEM, 0, 0, 0.0, &r.memory_gb))
        range_col(L, rec, C_MEM, r.memory_gb, 0, 0);
    if (!num_col(L, rec, C_YEAR, 0, 1, 0.0, &v) && !range_col(L, rec, C_YEAR, v, 0, 0))
        r.year = (unsigned)v;
    /* an empty die area is unknown (0); a written 0 is refused */
    if (!num_col(L, rec, C_DIE, 0, 0, EST_UNSET, &v) && !range_col(L, rec, C_DIE, v, 0, 0))
        r.die_area_cm2 = v == EST_UNSET ? 0.0 : v;
    bad = L->s->n != before;
    /* the model's key is checked whenever the model itself is usable, also
       on a row with other problems: a duplicate is never hidden by them */
    if (!model)
        return -1;
    if (!vendor)
        vendor = empty_str;
    if (!form)
        form = empty_str;
    if (!source)
        source = empty_str;
    r.estimate = strncmp(source, ESTIMATE_PREFIX, strlen(ESTIMATE_PREFIX)) == 0;
    {
        char detail[EST_ERROR_MESSAGE_MAX];
        if (name_words(model, words, key, sizeof words, detail, sizeof detail) < 0) {
            P(L, rec, C_MODEL, "%s", detail);
            return -1;
        }
    }
    existing = tab_find(db, &db->row_tab, 0, r.kind, key);
    if (existing != SIZE_MAX && db->rows[existing].file == L->file) {
        problem(L->s, L->path, rec->line, (unsigned)L->field_of[C_MODEL] + 1, "model",
                "duplicate model \"%s\": line %lu has the same name (\"%s\")", model,
                (unsigned long)db->rows[existing].line, A(db, db->rows[existing].model));
        return -1;
    }
    if (bad && existing != SIZE_MAX)
        return -1;
    r.words = off32(arena_add(db, words));
    r.key = off32(arena_add(db, key));
    r.model = off32(arena_add(db, model));
    r.vendor = off32(arena_add(db, vendor));
    r.form = off32(arena_add(db, form));
    r.source = off32(arena_add(db, source));
    r.sig = est__hw_sig(words, 1);
    if (r.words == UINT32_MAX || r.key == UINT32_MAX || r.model == UINT32_MAX ||
        r.vendor == UINT32_MAX || r.form == UINT32_MAX || r.source == UINT32_MAX)
        return -2;
    if (rows_reserve(db, db->n_rows + 1))
        return -2;
    if (existing != SIZE_MAX) {
        /* an overlay row replaces the earlier row in place */
        db->rows[existing] = r;
        return 0;
    }
    db->rows[db->n_rows] = r;
    if (tab_insert(db, &db->row_tab, 0, db->n_rows))
        return -2;
    db->n_rows++;
    /* a row with problems stays only to find later duplicates of its model:
       the file fails, so the database is never used */
    return bad ? -1 : 0;
}

static int alias_row(loader *L, const est__csv_record *rec)
{
    est_hwdb *db = L->db;
    hwalias a;
    const char *kind = NULL;
    size_t before = L->s->n, existing;
    char words[WORDS_BUF], key[WORDS_BUF], mkey[WORDS_BUF];
    int bad;
    memset(&a, 0, sizeof a);
    a.file = L->file;
    a.line = rec->line;
    a.target = SIZE_MAX;
    text_col(L, rec, C_KIND, &kind);
    text_col(L, rec, C_ALIAS, &a.alias);
    text_col(L, rec, C_MODEL, &a.model);
    text_col(L, rec, C_NOTE, &a.note);
    bad = L->s->n != before;
    /* as for models: the duplicate check runs whenever kind and alias are usable */
    if (!kind || !a.alias)
        return -1;
    if (!a.model)
        a.model = empty_str;
    if (!a.note)
        a.note = empty_str;
    a.kind = est__strcasecmp_ascii(kind, "gpu") == 0 ? EST_HWDB_GPU : EST_HWDB_CPU;
    {
        char detail[EST_ERROR_MESSAGE_MAX];
        if (name_words(a.alias, words, key, sizeof words, detail, sizeof detail) < 0) {
            P(L, rec, C_ALIAS, "%s", detail);
            return -1;
        }
    }
    est__hw_words(a.model, 1, mkey, sizeof mkey);
    if (!bad && L->targets &&
        tab_find(L->targets, &L->targets->row_tab, 0, a.kind, mkey) == SIZE_MAX) {
        P(L, rec, C_MODEL, "no %s model \"%s\" in the database", a.kind ? "GPU" : "CPU",
          a.model);
        bad = 1;
    }
    existing = tab_find(db, &db->alias_tab, 1, a.kind, key);
    if (existing != SIZE_MAX && db->aliases[existing].file == L->file) {
        P(L, rec, C_ALIAS, "duplicate alias \"%s\": line %lu has the same name (\"%s\")",
          a.alias, db->aliases[existing].line, db->aliases[existing].alias);
        return -1;
    }
    if (bad && existing != SIZE_MAX)
        return -1;
    a.words = arena_add(db, words);
    a.key = arena_add(db, key);
    a.sig = est__hw_sig(words, 1);
    a.model_key = arena_add(db, mkey);
    if (a.words == SIZE_MAX || a.key == SIZE_MAX || a.model_key == SIZE_MAX)
        return -2;
    if (existing != SIZE_MAX) {
        db->aliases[existing] = a;
        return 0;
    }
    if (grow((void **)&db->aliases, &db->cap_aliases, db->n_aliases + 1, sizeof *db->aliases))
        return -2;
    db->aliases[db->n_aliases] = a;
    if (tab_insert(db, &db->alias_tab, 1, db->n_aliases))
        return -2;
    db->n_aliases++;
    return bad ? -1 : 0;
}

/*
 * Loads one file into db. must_exist: a missing file is an error (else
 * skipped). Problems go to s; with s->stop_at_first the load stops at the
 * first. Returns 0 (also with problems: see s->n), or an EST_ code.
 */
static int load_file(est_hwdb *db, const est_hwdb *targets, const char *path,
                     est_hwdb_file kind, int must_exist, sink *s, est_error *err)
{
    char *buf;
    size_t size = 0;
    est__csv c;
    est__csv_record rec;
    loader L;
    const char *what = NULL;
    unsigned long err_line = 0;
    int rc, have_header = 0;
    {
        /* a missing optional file is no failure: err stays untouched */
        est_error rerr;
        rc = est__read_file(path, FILE_BYTES_MAX, &buf, &size, &rerr);
        if (rc == EST_ENOENT && !must_exist)
            return 0;
        if (rc) {
            if (err)
                *err = rerr;
            return rc;
        }
    }
    memset(&L, 0, sizeof L);
    L.db = db;
    L.targets = targets;
    L.s = s;
    L.path = path;
    L.kind = kind;
    if (add_file(db, buf, path, &L.file)) {
        free(buf);
        return est__fail(err, EST_ENOMEM, "out of memory");
    }
    if (memchr(buf, '\0', size)) {
        problem(s, path, 0, 0, NULL, "binary data: the file holds a NUL byte");
        return 0;
    }
    {
        /* at most one row per line: size the arrays once (doubling would
           copy and touch twice the memory at every start of ecoest) */
        size_t lines = 1;
        const char *q = buf;
        int g;
        while ((q = memchr(q, '\n', size - (size_t)(q - buf))) != NULL) {
            lines++;
            q++;
        }
        g = kind == EST_HWDB_FILE_ALIASES
                ? grow((void **)&db->aliases, &db->cap_aliases, db->n_aliases + lines,
                       sizeof *db->aliases)
                : rows_reserve(db, db->n_rows + lines);
        if (g || grow((void **)&db->arena, &db->arena_cap, db->arena_len + size, 1))
            return est__fail(err, EST_ENOMEM, "out of memory");
    }
    est__csv_init(&c, buf, size);
    while ((rc = est__csv_next(&c, &rec, &what, &err_line)) == 1) {
        if (!have_header) {
            have_header = 1;
            if (read_header(&L, &rec))
                return 0;
            continue;
        }
        if (rec.n != L.n_fields) {
            problem(s, path, rec.line, 0, NULL,
                    "expected %zu fields as in the header, got %zu (a comma in a value "
                    "needs quotes: \"a, b\")", L.n_fields, rec.n);
        } else {
            int r = L.kind == EST_HWDB_FILE_ALIASES ? alias_row(&L, &rec) : model_row(&L, &rec);
            if (r == -2)
                return est__fail(err, EST_ENOMEM, "out of memory");
        }
        if (s->n && s->stop_at_first)
            return 0;
    }
    if (rc < 0)
        problem(s, path, err_line, 0, NULL, "%s", what);
    else if (!have_header)
        problem(s, path, 0, 0, NULL, "empty file: the header line is missing");
    return 0;
}

/* ------------------------------------------------------------- open, free */

void est_hwdb_free(est_hwdb *db)
{
    size_t i;
    if (!db)
        return;
    for (i = 0; i < db->n_files; i++) {
        free(db->files[i].buf);
        free(db->files[i].path);
    }
    free(db->files);
    if (!db->rows_shared)
        free(db->rows);
    free(db->aliases);
    free(db->arena);
    if (db->ix_map)
        munmap(db->ix_map, db->ix_map_len);
    if (!db->row_tab.shared)
        free(db->row_tab.slot);
    free(db->alias_tab.slot);
    if (!db->kind_shared) {
        free(db->by_kind[0]);
        free(db->by_kind[1]);
        free(db->sig_kind[0]);
        free(db->sig_kind[1]);
    }
    free(db);
}

static int join_path(char *buf, size_t size, const char *dir, const char *name,
                     est_error *err)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return est__fail(err, EST_EINVAL, "path too long: %s/%s", dir, name);
    return 0;
}

/* Links aliases to rows and builds the per-kind lists. */
static int finish(est_hwdb *db, est_error *err)
{
    size_t i, k[2] = {0, 0};
    for (i = 0; i < db->n_aliases; i++) {
        hwalias *a = &db->aliases[i];
        a->target = tab_find(db, &db->row_tab, 0, a->kind, A(db, a->model_key));
        if (a->target == SIZE_MAX) {
            const char *path = db->files[a->file].path;
            return est__fail_at(err, EST_EPARSE, path, a->line, 3, "model",
                                "no %s model \"%s\" in the database", a->kind ? "GPU" : "CPU",
                                a->model);
        }
    }
    if (db->rows_shared) {
        /* the index's rows, untouched by overlays: its lists hold */
        for (i = 0; i < 2; i++) {
            db->by_kind[i] = (uint32_t *)(uintptr_t)db->ix_by_kind[i];
            db->sig_kind[i] = (uint64_t *)(uintptr_t)db->ix_sig_kind[i];
        }
        db->kind_shared = 1;
        return 0;
    }
    for (i = 0; i < db->n_rows; i++)
        k[db->rows[i].kind]++;
    for (i = 0; i < 2; i++) {
        db->by_kind[i] = malloc((k[i] ? k[i] : 1) * sizeof *db->by_kind[i]);
        db->sig_kind[i] = malloc((k[i] ? k[i] : 1) * sizeof *db->sig_kind[i]);
        if (!db->by_kind[i] || !db->sig_kind[i])
            return est__fail(err, EST_ENOMEM, "out of memory");
        k[i] = 0;
    }
    for (i = 0; i < db->n_rows; i++) {
        unsigned kind = db->rows[i].kind;
        db->sig_kind[kind][k[kind]] = db->rows[i].sig;
        db->by_kind[kind][k[kind]++] = (uint32_t)i;
    }
    db->n_kind[0] = k[0];
    db->n_kind[1] = k[1];
    return 0;
}

static int ix_load(est_hwdb *db, const char *dir, const char *path);

/* The index est_hwdb_open tries: the option, else <shipped_dir>/hwdb.idx;
   NULL when none (no shipped folder, or the option is ""). */
static const char *index_path_of(const est_hwdb_options *opts, char *buf, size_t size)
{
    const char *opt = opts->version >= 2 ? opts->index_path : NULL;
    if (!opts->shipped_dir || (opt && !*opt))
        return NULL;
    if (opt)
        return opt;
    if (snprintf(buf, size, "%s/hwdb.idx", opts->shipped_dir) >= (int)size)
        return NULL;
    return buf;
}

int est_hwdb_index_used(const est_hwdb *db) { return db ? db->index_used : 0; }

int est_hwdb_open(est_hwdb **out, const est_hwdb_options *opts, est_error *err)
{
    static const est_hwdb_options defaults = EST_HWDB_OPTIONS_INIT;
    static const char *const names[3] = {"cpu.csv", "gpu.csv", "aliases.csv"};
    static const est_hwdb_file kinds[3] = {EST_HWDB_FILE_CPU, EST_HWDB_FILE_GPU, EST_HWDB_FILE_ALIASES};
    est_hwdb *db;
    sink s;
    size_t d, f;
    int rc = 0;
    if (!out)
        return est__fail(err, EST_EINVAL, "est_hwdb_open: db is NULL");
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > EST_HWDB_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_hwdb_open: unknown options version %u",
                         opts->version);
    if (opts->n_overlay_dirs && !opts->overlay_dirs)
        return est__fail(err, EST_EINVAL, "est_hwdb_open: overlay_dirs is NULL");
    db = calloc(1, sizeof *db);
    if (!db)
        return est__fail(err, EST_ENOMEM, "out of memory");
    memset(&s, 0, sizeof s);
    s.stop_at_first = 1;
    {
        /* the shipped rows from the index when it is sound and current */
        char ipath[4096];
        const char *ip = index_path_of(opts, ipath, sizeof ipath);
        if (ip && (rc = ix_load(db, opts->shipped_dir, ip)) < 0) {
            est_hwdb_free(db);
            return est__fail(err, rc, "out of memory");
        }
        rc = 0;
    }
    /* models of every folder first, then aliases (they may name overlay rows) */
    for (f = 0; f < 3 && !rc; f++) {
        for (d = db->index_used ? 1 : 0; d <= opts->n_overlay_dirs && !rc && !s.n; d++) {
            const char *dir = d == 0 ? opts->shipped_dir : opts->overlay_dirs[d - 1];
            char path[4096];
            if (!dir)
                continue;
            rc = join_path(path, sizeof path, dir, names[f], err);
            if (!rc)
                rc = load_file(db, NULL, path, kinds[f], d == 0, &s, err);
        }
        if (s.n)
            rc = sink_fail(&s, err);
    }
    if (!rc)
        rc = finish(db, err);
    if (rc) {
        est_hwdb_free(db);
        return rc;
    }
    *out = db;
    return EST_OK;
}

/* ------------------------------------------------------------- validation */

int est_hwdb_validate_file(const char *path, est_hwdb_file kind, const est_hwdb *targets,
                           est_hwdb_problem_fn on_problem, void *ctx, size_t *n_problems,
                           est_error *err)
{
    est_hwdb *scratch;
    sink s;
    int rc;
    if (n_problems)
        *n_problems = 0;
    if (!path)
        return est__fail(err, EST_EINVAL, "est_hwdb_validate_file: path is NULL");
    if (kind < EST_HWDB_FILE_AUTO || kind > EST_HWDB_FILE_ALIASES)
        return est__fail(err, EST_EINVAL, "est_hwdb_validate_file: unknown file kind");
    scratch = calloc(1, sizeof *scratch);
    if (!scratch)
        return est__fail(err, EST_ENOMEM, "out of memory");
    memset(&s, 0, sizeof s);
    s.fn = on_problem;
    s.ctx = ctx;
    rc = load_file(scratch, targets, path, kind, 1, &s, err);
    est_hwdb_free(scratch);
    if (rc)
        return rc;
    if (n_problems)
        *n_problems = s.n;
    if (s.n)
        return sink_fail(&s, err);
    return EST_OK;
}

/* ------------------------------------------------- virtual CPU model names */

/* A CPU generation a hypervisor's model name may give away. */
typedef struct cpu_gen {
    const char *word;    /* the codename word, normalised */
    const char *what;    /* for the message */
    const char *family;  /* word the query and the candidates must hold, or NULL */
    int tiered;          /* candidates need bronze/silver/gold/platinum */
    const char *pattern; /* model number: '?' any letter or digit, then letters or '+' */
} cpu_gen;

static const cpu_gen cpu_gens[] = {
    {"naples", "Naples (AMD EPYC 7001 series)", "epyc", 0, "7??1"},
    {"rome", "Rome (AMD EPYC 7002 series)", "epyc", 0, "7??2"},
    {"milan", "Milan (AMD EPYC 7003 series)", "epyc", 0, "7??3"},
    {"genoa", "Genoa (AMD EPYC 9004 series)", "epyc", 0, "9??4"},
    {"bergamo", "Bergamo (AMD EPYC 97x4)", "epyc", 0, "97?4"},
    {"turin", "Turin (AMD EPYC 9005 series)", "epyc", 0, "9??5"},
    {"skylake", "Skylake (Xeon Scalable 1st generation: x1xx)", "xeon", 1, "?1??"},
    {"cascadelake", "Cascade Lake (Xeon Scalable 2nd generation: x2xx)", "xeon", 1, "?2??"},
    {"cooperlake", "Cooper Lake (Xeon Scalable 3rd generation: x3xx)", "xeon", 1, "?3??"},
    {"icelake", "Ice Lake (Xeon Scalable 3rd generation: x3xx)", "xeon", 1, "?3??"},
    {"sapphirerapids", "Sapphire Rapids (Xeon Scalable 4th generation: x4xx)", "xeon", 1, "?4??"},
    {"emeraldrapids", "Emerald Rapids (Xeon Scalable 5th generation: x5xx)", "xeon", 1, "?5??"},
    {"graniterapids", "Granite Rapids (Xeon 6 P-core: 6xxxP)", "xeon", 0, "6???p"},
    {"sierraforest", "Sierra Forest (Xeon 6 E-core: 6xxxE)", "xeon", 0, "6???e"},
    {"nehalem", "Nehalem", NULL, 0, NULL},
    {"westmere", "Westmere", NULL, 0, NULL},
    {"sandybridge", "Sandy Bridge", NULL, 0, NULL},
    {"sandy", "Sandy Bridge", NULL, 0, NULL},
    {"ivybridge", "Ivy Bridge", NULL, 0, NULL},
    {"ivy", "Ivy Bridge", NULL, 0, NULL},
    {"haswell", "Haswell", NULL, 0, NULL},
    {"broadwell", "Broadwell", NULL, 0, NULL},
    {"snowridge", "Snow Ridge", NULL, 0, NULL},
    {"denverton", "Denverton", NULL, 0, NULL},
    {"dhyana", "Hygon Dhyana (Zen 1)", NULL, 0, NULL},
};

/* Is w (n bytes) one of the space-separated words of q? */
static int has_word(const char *q, const char *w)
{
    size_t n = strlen(w);
    const char *p = q;
    while ((p = strstr(p, w)) != NULL) {
        if ((p == q || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p++;
    }
    return 0;
}

/* Does the word at w (n bytes) fit pattern? */
static int fits(const char *w, size_t n, const char *pattern)
{
    size_t i, m = strlen(pattern);
    if (n < m)
        return 0;
    for (i = 0; i < m; i++)
        if (pattern[i] != '?' && pattern[i] != w[i])
            return 0;
    for (; i < n; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '+'))
            return 0;
    return 1;
}

/* Does a model's words hold the generation's family, tier and number? */
static int of_generation(const char *words, const cpu_gen *g)
{
    const char *p = words;
    if (!g->pattern || !has_word(words, g->family))
        return 0;
    if (g->tiered && !has_word(words, "bronze") && !has_word(words, "silver") &&
        !has_word(words, "gold") && !has_word(words, "platinum"))
        return 0;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (fits(p, n, g->pattern))
            return 1;
        p += n;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/*
 * Is q (a CPU name's words) a hypervisor's virtual CPU model, which hides
 * the real one? QEMU/KVM names: "QEMU Virtual CPU version 2.5+", "Common
 * KVM processor", a generation without a model number ("AMD EPYC-Rome
 * Processor", "Intel Xeon Processor (Cascadelake)"), or a model number with
 * a placeholder ("Intel Xeon E312xx (Sandy Bridge)"). *gen: the generation
 * the name gives away, or NULL.
 */
static int virtual_cpu(const char *q, const cpu_gen **gen)
{
    const char *p;
    size_t i;
    int digits = 0, placeholder = 0, virt = 0;
    *gen = NULL;
    for (i = 0; i < sizeof cpu_gens / sizeof cpu_gens[0] && !*gen; i++)
        if (has_word(q, cpu_gens[i].word))
            *gen = &cpu_gens[i];
    for (p = q; *p;) {
        size_t n = strcspn(p, " "), k;
        int d = 0;
        for (k = 0; k < n; k++)
            d |= p[k] >= '0' && p[k] <= '9';
        digits |= d;
        placeholder |= d && n >= 3 && p[n - 1] == 'x' && p[n - 2] == 'x';
        virt |= (n >= 3 && strncmp(p, "kvm", 3) == 0) || (n >= 4 && strncmp(p, "qemu", 4) == 0);
        p += n;
        while (*p == ' ')
            p++;
    }
    if (*gen && (*gen)->family && !has_word(q, (*gen)->family))
        *gen = NULL; /* "Intel Core Processor (Skylake)": no Xeon candidates */
    return virt || placeholder || (*gen && !digits) ||
           (!digits && has_word(q, "virtual"));
}

/* -------------------------------------------------------------- resolving */

const char *est_hwdb_how_name(est_hwdb_how how)
{
    switch (how) {
    case EST_HWDB_EXACT: return "exact";
    case EST_HWDB_ALIAS: return "alias";
    case EST_HWDB_FAMILY: return "family";
    case EST_HWDB_UNIQUE: return "unique";
    default: return "unknown";
    }
}

size_t est_hwdb_count(const est_hwdb *db, est_hwdb_kind kind)
{
    if (!db || (kind != EST_HWDB_CPU && kind != EST_HWDB_GPU))
        return 0;
    return db->n_kind[kind];
}

static void fill_entry(const est_hwdb *db, size_t i, est_hwdb_entry *e)
{
    const hwrow *r = &db->rows[i];
    memset(e, 0, sizeof *e);
    e->kind = (est_hwdb_kind)r->kind;
    est__strlcpy(e->model, A(db, r->model), sizeof e->model);
    est__strlcpy(e->vendor, A(db, r->vendor), sizeof e->vendor);
    e->cores = r->cores;
    e->threads = r->threads;
    e->tdp_w = r->tdp_w;
    e->idle_w = r->idle_w;
    e->memory_gb = r->memory_gb;
    e->die_area_cm2 = r->die_area_cm2;
    est__strlcpy(e->form_factor, A(db, r->form), sizeof e->form_factor);
    e->year = r->year;
    est__strlcpy(e->source, A(db, r->source), sizeof e->source);
    snprintf(e->origin, sizeof e->origin, "%s:%lu", db->files[r->file].path,
             (unsigned long)r->line);
    e->is_estimate = r->estimate;
}

int est_hwdb_get(est_hwdb_entry *out, const est_hwdb *db, est_hwdb_kind kind, size_t index)
{
    if (!db || !out || (kind != EST_HWDB_CPU && kind != EST_HWDB_GPU))
        return EST_EINVAL;
    if (index >= db->n_kind[kind])
        return EST_ERANGE;
    fill_entry(db, db->by_kind[kind][index], out);
    return EST_OK;
}

int est_hwdb_name_matches(const char *name, const char *query)
{
    char q[WORDS_BUF], m[WORDS_BUF];
    if (!name || !query)
        return 0;
    if (est__hw_words(query, 0, q, sizeof q) < 0 || est__hw_words(name, 0, m, sizeof m) < 0)
        return 0;
    return est__hw_contains(q, m);
}

/* The best few rows by score (lower first), ties by name. */
typedef struct best {
    size_t n;
    size_t idx[EST_HWDB_OTHERS_MAX];
    unsigned long score[EST_HWDB_OTHERS_MAX];
} best;

static void best_add(best *b, const est_hwdb *db, size_t max, size_t idx, unsigned long score)
{
    size_t pos = b->n;
    while (pos > 0 && (b->score[pos - 1] > score ||
                       (b->score[pos - 1] == score &&
                        strcmp(A(db, db->rows[b->idx[pos - 1]].model), A(db, db->rows[idx].model)) > 0)))
        pos--;
    if (pos >= max)
        return;
    if (b->n < max)
        b->n++;
    memmove(&b->idx[pos + 1], &b->idx[pos], (b->n - 1 - pos) * sizeof b->idx[0]);
    memmove(&b->score[pos + 1], &b->score[pos], (b->n - 1 - pos) * sizeof b->score[0]);
    b->idx[pos] = idx;
    b->score[pos] = score;
}

/* Rows of kind holding every word of q (directly or through one of their
   aliases), except row skip; marks them in hit (n_rows bytes). */
static size_t containing(const est_hwdb *db, unsigned kind, const char *q, size_t skip,
                         unsigned char *hit)
{
    size_t i, n = 0;
    const uint64_t qs = est__hw_sig(q, 0), *sig = db->sig_kind[kind];
    for (i = 0; i < db->n_aliases; i++) {
        const hwalias *a = &db->aliases[i];
        if (a->kind == kind && !(qs & ~a->sig) && a->target != skip && !hit[a->target] &&
            est__hw_contains(q, A(db, a->words))) {
            hit[a->target] = 1;
            n++;
        }
    }
    for (i = 0; i < db->n_kind[kind]; i++) {
        size_t r;
        if (qs & ~sig[i])
            continue; /* a letter or pair of q is not in the model */
        r = db->by_kind[kind][i];
        if (r != skip && !hit[r] && est__hw_contains(q, A(db, db->rows[r].words))) {
            hit[r] = 1;
            n++;
        }
    }
    return n;
}

static void w_fmt(char *buf, size_t size, double w) { est__format_double(buf, size, w, 6); }

/* Appends "s" to note (size bytes) if it fits, else "..." once. */
static int note_cat(char *note, size_t size, const char *s)
{
    size_t n = strlen(note), k = strlen(s);
    if (n + k + 1 > size) {
        if (n + 4 <= size && (n < 3 || strcmp(note + n - 3, "...") != 0))
            memcpy(note + n, "...", 4);
        return -1;
    }
    memcpy(note + n, s, k + 1);
    return 0;
}

static void make_note(const est_hwdb *db, const char *asked, est_hwdb_match *m)
{
    char w[32], part[EST_HWDB_NOTE_MAX + EST_HWDB_SOURCE_MAX];
    size_t i, skip = strlen(ESTIMATE_PREFIX);
    m->note[0] = '\0';
    if (m->how == EST_HWDB_FAMILY) {
        w_fmt(w, sizeof w, m->entry.tdp_w);
        snprintf(part, sizeof part, "\"%s\" is a family: chose %s (%s W), the documented "
                 "default; other variants: ", asked, m->entry.model, w);
        note_cat(m->note, sizeof m->note, part);
        for (i = 0; i < m->n_others; i++) {
            /* others[] carries names; look their TDP up by key */
            char key[WORDS_BUF];
            size_t idx;
            est__hw_words(m->others[i], 1, key, sizeof key);
            idx = tab_find(db, &db->row_tab, 0, m->entry.kind, key);
            if (idx != SIZE_MAX) {
                w_fmt(w, sizeof w, db->rows[idx].tdp_w);
                snprintf(part, sizeof part, "%s%s (%s W)", i ? ", " : "", m->others[i], w);
            } else {
                snprintf(part, sizeof part, "%s%s", i ? ", " : "", m->others[i]);
            }
            /* keep room for ", ..." */
            if (strlen(m->note) + strlen(part) + 6 > sizeof m->note) {
                note_cat(m->note, sizeof m->note, ", ...");
                break;
            }
            note_cat(m->note, sizeof m->note, part);
        }
        if (i == m->n_others && m->n_others_total > m->n_others)
            note_cat(m->note, sizeof m->note, ", ...");
    }
    if (m->entry.is_estimate) {
        w_fmt(w, sizeof w, m->entry.tdp_w);
        snprintf(part, sizeof part, "%s%s: TDP %s W is an estimate, not a vendor figure "
                 "(source: %s)", m->note[0] ? "; " : "", m->entry.model, w,
                 m->entry.source + skip + (m->entry.source[skip] == ' '));
        {
            /* cut the source to fit, marking the cut */
            size_t n = strlen(m->note), room = sizeof m->note - 1 - n, k = strlen(part);
            if (k <= room)
                memcpy(m->note + n, part, k + 1);
            else if (room > 3) {
                memcpy(m->note + n, part, room - 3);
                memcpy(m->note + n + room - 3, "...", 4);
            }
        }
    }
}

/* ------------------------------------------------------------ laptop GPUs */

/* Does a GPU name mark a laptop part ("... Laptop GPU", "with Max-Q
   Design", "Mobile")? Compared without case on the raw name: "with" drops
   the rest of a name's words, so "Max-Q" would be lost in them. */
static int laptop_gpu(const char *name)
{
    static const char *const marks[] = {"laptop", "max-q", "max q", "maxq", "mobile", NULL};
    size_t i, k;
    for (i = 0; name[i]; i++)
        for (k = 0; marks[k]; k++) {
            size_t j = 0;
            while (marks[k][j] && (char)est__to_lower_ascii(name[i + j]) == marks[k][j])
                j++;
            if (!marks[k][j] && (i == 0 || !est__is_alnum_ascii(name[i - 1])))
                return 1;
        }
    return 0;
}

/* The words of q without the laptop words: the desktop namesake's words. */
static void desktop_words(const char *q, char *out, size_t size)
{
    static const char *const drop[] = {"laptop", "gpu", "mobile", "max", "q", "maxq",
                                       "design", NULL};
    size_t o = 0;
    out[0] = '\0';
    while (*q) {
        size_t n = strcspn(q, " "), k;
        int skip = 0;
        for (k = 0; drop[k] && !skip; k++)
            skip = strlen(drop[k]) == n && memcmp(q, drop[k], n) == 0;
        if (!skip && o + n + 2 < size) {
            if (o)
                out[o++] = ' ';
            memcpy(out + o, q, n);
            o += n;
            out[o] = '\0';
        }
        q += n;
        while (*q == ' ')
            q++;
    }
}

/* The models of b, in order, into sugg (NULL: nothing). */
static void suggest_rows(est_suggestions *sugg, const est_hwdb *db, const best *b)
{
    size_t i;
    for (i = 0; sugg && i < b->n; i++)
        est__suggest_add(sugg, A(db, db->rows[b->idx[i]].model), 0);
}

/* Refuses a laptop GPU: its suggestions are its desktop namesakes first. */
static int refuse_laptop_gpu(const est_hwdb *db, const char *q, const char *ex, est_error *err,
                             est_suggestions *sugg)
{
    char desk[WORDS_BUF];
    best b;
    size_t i;
    memset(&b, 0, sizeof b);
    desktop_words(q, desk, sizeof desk);
    for (i = 0; sugg && desk[0] && i < db->n_kind[EST_HWDB_GPU]; i++) {
        size_t r = db->by_kind[EST_HWDB_GPU][i];
        const char *w = A(db, db->rows[r].words);
        if (est__hw_contains(desk, w))
            best_add(&b, db, EST_SUGGESTIONS_MAX, r,
                     (unsigned long)est__hw_extra_words(desk, w) * 1000ul +
                             est__hw_distance(desk, w));
    }
    for (i = 0; sugg && b.n == 0 && i < db->n_kind[EST_HWDB_GPU]; i++) {
        size_t r = db->by_kind[EST_HWDB_GPU][i];
        best_add(&b, db, EST_SUGGESTIONS_MAX, r,
                 est__hw_distance(desk[0] ? desk : q, A(db, db->rows[r].words)));
    }
    est__fail(err, EST_ENOTFOUND, "GPU name \"%s\" is a laptop GPU: the laptop's maker sets "
              "its power limit within a range NVIDIA or AMD publishes, so it has no TDP of its "
              "own, and its desktop namesake's would be wrong", ex);
    suggest_rows(sugg, db, &b);
    return EST_ENOTFOUND;
}

/* est_hwdb_resolve, and est_hwdb_suggest: a failure's close models go into
   sugg when it is not NULL (they are not looked for when it is). */
static int resolve(est_hwdb_match *out, const est_hwdb *db, est_hwdb_kind kind, const char *name,
                   est_error *err, est_suggestions *sugg)
{
    char q[WORDS_BUF], key[WORDS_BUF], ex[80];
    const char *kname = kind == EST_HWDB_GPU ? "GPU" : "CPU";
    const char *match_words = q;
    size_t row = SIZE_MAX, alias = SIZE_MAX, i, n;
    unsigned char *hit;
    int nw;
    est_hwdb_how how = EST_HWDB_EXACT;
    if (out)
        memset(out, 0, sizeof *out);
    if (!db || !name || !out || (kind != EST_HWDB_CPU && kind != EST_HWDB_GPU))
        return est__fail(err, EST_EINVAL, "est_hwdb_resolve: NULL argument or bad kind");
    est__excerpt(ex, sizeof ex, name, strlen(name));
    nw = est__hw_words2(name, q, key, sizeof q); /* both forms, one pass */
    if (nw < 0)
        return est__fail(err, EST_ENOTFOUND, "%s name \"%s\" is too long", kname, ex);
    if (nw == 0)
        return est__fail(err, EST_ENOTFOUND, "%s name \"%s\" names no model (nothing is left "
                         "after dropping brand words)", kname, ex);

    row = tab_find(db, &db->row_tab, 0, kind, key);
    if (row == SIZE_MAX) {
        alias = tab_find(db, &db->alias_tab, 1, kind, key);
        if (alias != SIZE_MAX) {
            row = db->aliases[alias].target;
            how = EST_HWDB_ALIAS;
            match_words = A(db, db->aliases[alias].words);
        }
    }
    if (kind == EST_HWDB_GPU && laptop_gpu(name) &&
        (row == SIZE_MAX || !laptop_gpu(A(db, db->rows[row].model))))
        return refuse_laptop_gpu(db, q, ex, err, sugg); /* only a laptop row of its own */
    hit = calloc(db->n_rows ? db->n_rows : 1, 1);
    if (!hit)
        return est__fail(err, EST_ENOMEM, "out of memory");
    n = containing(db, kind, match_words, row, hit);
    if (row == SIZE_MAX && n == 1) {
        for (i = 0; i < db->n_rows && !hit[i]; i++)
            ;
        row = i;
        how = EST_HWDB_UNIQUE;
        hit[row] = 0;
        n = 0;
    }
    if (row == SIZE_MAX) {
        best b;
        const cpu_gen *gen = NULL;
        int code = n > 1 ? EST_EAMBIGUOUS : EST_ENOTFOUND;
        memset(&b, 0, sizeof b);
        if (n > 1) {
            int has_digit = 0;
            const char *p;
            for (p = q; *p; p++)
                has_digit |= *p >= '0' && *p <= '9';
            for (i = 0; sugg && i < db->n_rows; i++)
                if (hit[i])
                    best_add(&b, db, EST_SUGGESTIONS_MAX, i,
                             (unsigned long)est__hw_extra_words(q, A(db, db->rows[i].words)) *
                                     1000ul + est__hw_distance(q, A(db, db->rows[i].words)));
            if (!has_digit)
                est__fail(err, code, "%s name \"%s\" is ambiguous: it names no model "
                          "number%s: %zu %s models match", kname, ex,
                          kind == EST_HWDB_CPU ? " (cloud VMs often hide it)" : "", n, kname);
            else
                est__fail(err, code, "%s name \"%s\" is ambiguous: %zu %s models hold "
                          "these words", kname, ex, n, kname);
        } else if (kind == EST_HWDB_CPU && virtual_cpu(q, &gen)) {
            /* no suggestions by spelling: they would be unrelated parts */
            size_t n_gen = 0;
            for (i = 0; gen && gen->pattern && i < db->n_kind[kind]; i++) {
                size_t r = db->by_kind[kind][i];
                if (of_generation(A(db, db->rows[r].words), gen)) {
                    best_add(&b, db, EST_SUGGESTIONS_MAX, r, 0);
                    n_gen++;
                }
            }
            if (n_gen)
                est__fail(err, code, "CPU name \"%s\" is a virtual CPU model: the hypervisor "
                          "hides the real model; the name only says it is a %s part, one of "
                          "%zu in the database", ex, gen->what, n_gen);
            else if (gen)
                est__fail(err, code, "CPU name \"%s\" is a virtual CPU model: the hypervisor "
                          "hides the real model; the name only says it is a %s part", ex,
                          gen->what);
            else
                est__fail(err, code, "CPU name \"%s\" is a virtual CPU model: the hypervisor "
                          "hides the real model", ex);
        } else {
            for (i = 0; sugg && i < db->n_kind[kind]; i++) {
                size_t r = db->by_kind[kind][i];
                best_add(&b, db, EST_SUGGESTIONS_MAX, r,
                         est__hw_distance(q, A(db, db->rows[r].words)));
            }
            est__fail(err, code, "unknown %s model \"%s\"", kname, ex);
        }
        free(hit);
        suggest_rows(sugg, db, &b);
        return code;
    }
    /* the other models holding these words */
    {
        best b;
        memset(&b, 0, sizeof b);
        for (i = 0; i < db->n_rows; i++)
            if (hit[i])
                best_add(&b, db, EST_HWDB_OTHERS_MAX, i,
                         (unsigned long)est__hw_extra_words(match_words, A(db, db->rows[i].words)) *
                                 1000ul + est__hw_distance(match_words, A(db, db->rows[i].words)));
        free(hit);
        for (i = 0; i < b.n; i++)
            est__strlcpy(out->others[i], A(db, db->rows[b.idx[i]].model), sizeof out->others[i]);
        out->n_others = b.n;
        out->n_others_total = n;
    }
    if (how == EST_HWDB_ALIAS && n > 0)
        how = EST_HWDB_FAMILY;
    fill_entry(db, row, &out->entry);
    out->how = how;
    est__strlcpy(out->normalized, q, sizeof out->normalized);
    if (alias != SIZE_MAX) {
        est__strlcpy(out->alias, db->aliases[alias].alias, sizeof out->alias);
        est__strlcpy(out->alias_note, db->aliases[alias].note, sizeof out->alias_note);
    }
    make_note(db, name, out);
    return EST_OK;
}

int est_hwdb_resolve(est_hwdb_match *out, const est_hwdb *db, est_hwdb_kind kind, const char *name,
                     est_error *err)
{
    int rc = resolve(out, db, kind, name, err, NULL);
    if (rc == EST_ENOTFOUND || rc == EST_EAMBIGUOUS)
        est__fail_value(err, name);
    return rc;
}

int est_hwdb_suggest(est_suggestions *out, const est_hwdb *db, est_hwdb_kind kind,
                     const char *name)
{
    est_hwdb_match m;
    int rc;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !db || !name || (kind != EST_HWDB_CPU && kind != EST_HWDB_GPU))
        return EST_EINVAL;
    rc = resolve(&m, db, kind, name, NULL, out);
    return rc == EST_ENOMEM ? rc : EST_OK;
}

/* ------------------------------------------------------------ the index */

/*
 * A binary image of the shipped rows (docs/hwdb.md, "The index"): built at
 * build time from the shipped CSVs by ecoest_hwdb_index, installed beside
 * them, and used by est_hwdb_open in place of parsing them when it is
 * sound and current. It is mapped, and its rows, hash table and per-kind
 * lists are used where they lie until an overlay changes them (then they
 * are copied). Layout, native byte order, every part 8-byte aligned:
 *
 *   ix_header | hwrow[n_rows] | ix_alias[n_aliases] | uint64 sig_kind[0..1]
 *   | uint32 row_slots[tab_cap] | uint32 by_kind[0..1] | pad | arena
 *
 * arena: the texts and normalised names, NUL-terminated; row and alias
 * fields are offsets into it. The header records each CSV's size, mtime
 * and content hash (current when size and mtime match, or else the content
 * hash does), a hash of everything after the header, and a hash of the
 * header itself. Anything that does not check out is ignored: the CSVs are
 * parsed as without an index.
 */

#define IX_MAGIC "ECOHWIX1"
#define IX_VERSION 6u /* 5: rows carry die_area_cm2; 6: GPU rows too */
#define IX_ENDIAN 0x01020304u

typedef struct ix_src {
    uint64_t size, hash;
    int64_t mtime_s, mtime_ns;
} ix_src;

typedef struct ix_header {
    char magic[8];
    uint32_t version, endian, row_size, alias_size;
    uint32_t n_rows, n_aliases, n_kind[2], tab_cap, pad;
    uint64_t arena_len;
    uint64_t rules;       /* ix_rules(): the name rules it was built with */
    ix_src src[3];
    uint64_t body_hash;
    uint64_t header_hash; /* of the bytes before it */
} ix_header;

typedef struct ix_alias {
    uint32_t alias, model, note;    /* arena offsets: texts */
    uint32_t key, words, model_key; /* arena offsets: names */
    uint32_t line;
    uint8_t kind, file, pad[2];
} ix_alias;

/* Where each part starts, from the counts of a header. */
typedef struct ix_layout {
    size_t rows, aliases, sigs[2], slots, kinds[2], arena, end;
} ix_layout;

static size_t up8(size_t n) { return (n + 7u) & ~(size_t)7u; }

static ix_layout ix_layout_of(const ix_header *h)
{
    ix_layout l;
    l.rows = sizeof *h;
    l.aliases = l.rows + (size_t)h->n_rows * sizeof(hwrow);
    l.sigs[0] = l.aliases + (size_t)h->n_aliases * sizeof(ix_alias);
    l.sigs[1] = l.sigs[0] + (size_t)h->n_kind[0] * sizeof(uint64_t);
    l.slots = l.sigs[1] + (size_t)h->n_kind[1] * sizeof(uint64_t);
    l.kinds[0] = l.slots + (size_t)h->tab_cap * sizeof(uint32_t);
    l.kinds[1] = l.kinds[0] + (size_t)h->n_kind[0] * sizeof(uint32_t);
    l.arena = up8(l.kinds[1] + (size_t)h->n_kind[1] * sizeof(uint32_t));
    l.end = l.arena + (size_t)h->arena_len;
    return l;
}

/* A fast 64-bit hash of bytes (four lanes of multiply-xor over 8-byte
   words): detects changed or damaged files, not an adversary. */
static uint64_t ix_hash(const void *data, size_t n)
{
    const unsigned char *p = data;
    const uint64_t k = 0x9e3779b97f4a7c15u;
    /* eight independent lanes: the multiplications overlap (one lane's
       chain is a multiply and a shift long) */
    uint64_t h[8], w, r;
    size_t i;
    for (i = 0; i < 8; i++)
        h[i] = k ^ i;
    for (; n >= 64; n -= 64, p += 64)
        for (i = 0; i < 8; i++) {
            memcpy(&w, p + 8 * i, 8);
            h[i] = (h[i] ^ w) * k;
            h[i] ^= h[i] >> 31;
        }
    r = (uint64_t)n;
    for (i = 0; i < 8; i++)
        r = (r ^ h[i]) * (2u * i + 3u);
    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&w, p, 8);
        r = (r ^ w) * k;
        r ^= r >> 29;
    }
    for (; n; n--, p++)
        r = (r ^ *p) * 0x100000001b3u;
    r ^= r >> 33;
    r *= 0xff51afd7ed558ccdu;
    return r ^ (r >> 33);
}

static const char *const ix_files[3] = {"cpu.csv", "gpu.csv", "aliases.csv"};

/* A fingerprint of the name rules (hwdb_name.c): the normalised words and
   signatures of names that exercise each rule. An index built by a build
   whose rules differ holds words this one would not make: not used. */
static uint64_t ix_rules(void)
{
    static const char *const probes[] = {
        "Intel(R) Xeon(R) Gold 6248 R CPU @ 2.50GHz", "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz",
        "12th Gen Intel(R) Core(TM) i7-12700H", "AMD EPYC 7763 64-Core Processor",
        "AMD Ryzen AI 7 PRO 360 w/ Radeon 880M", "AMD A10-7850K Radeon R7, 12 Compute Cores 4C+8G",
        "AMD A8-7410 APU with AMD Radeon R5 Graphics", "NVIDIA A100 80 GB PCIe",
        "Tesla V100-SXM2-32GB", "Intel(R) Xeon(R) Platinum 8480 +", "AMD Ryzen 5 1500X Quad-Core",
        "Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz", "Apple M2 Pro 2.6 GHz"};
    char w[512], k[512];
    uint64_t h = 0;
    size_t i;
    for (i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        int n = est__hw_words2(probes[i], w, k, sizeof w);
        h = (h ^ ix_hash(w, strlen(w)) ^ ((uint64_t)(unsigned)n << 32)) * 0x9e3779b97f4a7c15u;
        h ^= est__hw_sig(w, 1) ^ (est__hw_sig(k, 0) << 1);
    }
    return h;
}

/* Maps the file at path read-only; NULL when it cannot be. */
static char *ix_map(const char *path, size_t *len)
{
    struct stat st;
    void *p;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > FILE_BYTES_MAX) {
        close(fd);
        return NULL;
    }
    *len = (size_t)st.st_size;
    /* populated at once: every page is read (hashed) anyway */
    p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

/* Size, mtime and (when with_hash) content hash of dir/name. */
static int ix_stat(const char *dir, const char *name, int with_hash, ix_src *out)
{
    char path[4096];
    struct stat st;
    memset(out, 0, sizeof *out);
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
        stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    out->size = (uint64_t)st.st_size;
    out->mtime_s = (int64_t)st.st_mtim.tv_sec;
    out->mtime_ns = (int64_t)st.st_mtim.tv_nsec;
    if (with_hash) {
        /* mapped, not read into the heap: a copy's pages cost faults */
        size_t len = 0;
        char *buf = ix_map(path, &len);
        if (!buf)
            return -1;
        out->hash = ix_hash(buf, len);
        munmap(buf, len);
    }
    return 0;
}

/* The index's bytes for db (opened from the three shipped CSVs alone, so
   its arena offsets are plain): a malloc'd buffer of *len bytes, or NULL. */
static char *ix_image(const est_hwdb *db, ix_header *h, size_t *len)
{
    ix_layout l;
    char *img, *arena;
    size_t i, extra = 0, k;
    for (i = 0; i < db->n_aliases; i++)
        extra += strlen(db->aliases[i].alias) + strlen(db->aliases[i].model) +
                 strlen(db->aliases[i].note) + 3;
    h->row_size = (uint32_t)sizeof(hwrow);
    h->alias_size = (uint32_t)sizeof(ix_alias);
    h->n_rows = (uint32_t)db->n_rows;
    h->n_aliases = (uint32_t)db->n_aliases;
    h->n_kind[0] = (uint32_t)db->n_kind[0];
    h->n_kind[1] = (uint32_t)db->n_kind[1];
    h->tab_cap = (uint32_t)db->row_tab.cap;
    h->arena_len = db->arena_len + extra;
    l = ix_layout_of(h);
    if (h->arena_len >= UINT32_MAX || !(img = calloc(1, l.end)))
        return NULL;
    memcpy(img + l.rows, db->rows, db->n_rows * sizeof(hwrow));
    arena = img + l.arena;
    memcpy(arena, db->arena, db->arena_len);
    extra = db->arena_len;
    for (i = 0; i < db->n_aliases; i++) {
        const hwalias *a = &db->aliases[i];
        ix_alias x;
        const char *t[3];
        uint32_t *o[3];
        memset(&x, 0, sizeof x);
        t[0] = a->alias, t[1] = a->model, t[2] = a->note;
        o[0] = &x.alias, o[1] = &x.model, o[2] = &x.note;
        for (k = 0; k < 3; k++) {
            size_t n = strlen(t[k]) + 1;
            *o[k] = (uint32_t)extra;
            memcpy(arena + extra, t[k], n);
            extra += n;
        }
        x.key = (uint32_t)a->key;
        x.words = (uint32_t)a->words;
        x.model_key = (uint32_t)a->model_key;
        x.line = a->line > UINT32_MAX ? UINT32_MAX : (uint32_t)a->line;
        x.kind = a->kind;
        x.file = (uint8_t)a->file;
        memcpy(img + l.aliases + i * sizeof x, &x, sizeof x);
    }
    for (k = 0; k < 2; k++) {
        memcpy(img + l.sigs[k], db->sig_kind[k], db->n_kind[k] * sizeof(uint64_t));
        memcpy(img + l.kinds[k], db->by_kind[k], db->n_kind[k] * sizeof(uint32_t));
    }
    memcpy(img + l.slots, db->row_tab.slot, db->row_tab.cap * sizeof(uint32_t));
    *len = l.end;
    return img;
}

int est__hwdb_write_index(const est_hwdb *db, const char *dir, const char *path,
                          est_error *err)
{
    ix_header h;
    char *img, tmp[4200];
    size_t len = 0, i;
    FILE *f;
    if (!db || !dir || !path)
        return est__fail(err, EST_EINVAL, "est__hwdb_write_index: NULL argument");
    if (db->n_files != 3 || db->index_used)
        return est__fail(err, EST_EINVAL, "index: the database must be opened from the three "
                         "shipped CSVs alone");
    memset(&h, 0, sizeof h);
    memcpy(h.magic, IX_MAGIC, 8);
    h.version = IX_VERSION;
    h.endian = IX_ENDIAN;
    h.rules = ix_rules();
    for (i = 0; i < 3; i++)
        if (ix_stat(dir, ix_files[i], 1, &h.src[i]))
            return est__fail(err, EST_EIO, "index: cannot read %s/%s", dir, ix_files[i]);
    if (!(img = ix_image(db, &h, &len)))
        return est__fail(err, EST_ENOMEM, "out of memory");
    h.body_hash = ix_hash(img + sizeof h, len - sizeof h);
    h.header_hash = ix_hash(&h, offsetof(ix_header, header_hash));
    memcpy(img, &h, sizeof h);
    /* a temporary file beside the target, then rename: never a half index */
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp || !(f = fopen(tmp, "wb"))) {
        free(img);
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "cannot write the index");
    }
    if (fwrite(img, len, 1, f) != 1 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        fclose(f);
        remove(tmp);
        free(img);
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "cannot write the index");
    }
    fclose(f);
    free(img);
    if (rename(tmp, path) != 0) {
        remove(tmp);
        return est__fail_at(err, EST_EIO, path, 0, 0, NULL, "cannot rename the index into place");
    }
    return EST_OK;
}

/* Is the CSV described by s unchanged in dir? */
static int ix_current(const char *dir, const char *name, const ix_src *s)
{
    ix_src now;
    if (ix_stat(dir, name, 0, &now) || now.size != s->size)
        return 0;
    if (now.mtime_s == s->mtime_s && now.mtime_ns == s->mtime_ns)
        return 1;
    /* copied or installed with a new mtime: the content decides */
    return ix_stat(dir, name, 1, &now) == 0 && now.hash == s->hash;
}

/* Does every part of the mapped index hold together? */
static int ix_sound(const char *buf, const ix_header *h, const ix_layout *l)
{
    const hwrow *r = (const hwrow *)(const void *)(buf + l->rows);
    const ix_alias *a = (const ix_alias *)(const void *)(buf + l->aliases);
    const uint32_t *slot = (const uint32_t *)(const void *)(buf + l->slots);
    uint64_t n = h->arena_len;
    size_t i, k, count[2] = {0, 0};
    if (n == 0 || buf[l->arena + n - 1] != '\0') /* every text ends inside */
        return 0;
    for (i = 0; i < h->n_rows; i++) {
        if (r[i].model >= n || r[i].vendor >= n || r[i].form >= n || r[i].source >= n ||
            r[i].key >= n || r[i].words >= n || r[i].kind > 1 || r[i].file > 2 ||
            !(r[i].tdp_w > 0.0))
            return 0;
        count[r[i].kind]++;
    }
    if (count[0] != h->n_kind[0] || count[1] != h->n_kind[1])
        return 0;
    for (i = 0; i < h->n_aliases; i++)
        if (a[i].alias >= n || a[i].model >= n || a[i].note >= n || a[i].key >= n ||
            a[i].words >= n || a[i].model_key >= n || a[i].kind > 1 || a[i].file != 2)
            return 0;
    for (i = 0; i < h->tab_cap; i++)
        if (slot[i] > h->n_rows)
            return 0;
    for (k = 0; k < 2; k++) {
        const uint32_t *by = (const uint32_t *)(const void *)(buf + l->kinds[k]);
        for (i = 0; i < h->n_kind[k]; i++)
            if (by[i] >= h->n_rows || r[by[i]].kind != k)
                return 0;
    }
    return 1;
}

/*
 * Loads the shipped rows from the index at path, if it is sound and
 * current for the CSVs of dir. Returns 1 when loaded, 0 when not usable (db
 * untouched), or a negative EST_ code (out of memory).
 */
static int ix_load(est_hwdb *db, const char *dir, const char *path)
{
    char *buf, paths[3][4096];
    size_t len = 0, i, cap;
    ix_header h;
    ix_layout l;
    const ix_alias *xa;
    unsigned idx;
    /* mapped, not read: the file's pages come in at once */
    if (!(buf = ix_map(path, &len)))
        return 0;
    if (len < sizeof h)
        goto unusable;
    memcpy(&h, buf, sizeof h);
    if (memcmp(h.magic, IX_MAGIC, 8) != 0 || h.version != IX_VERSION || h.endian != IX_ENDIAN ||
        h.row_size != sizeof(hwrow) || h.alias_size != sizeof(ix_alias) ||
        h.header_hash != ix_hash(&h, offsetof(ix_header, header_hash)) || h.rules != ix_rules())
        goto unusable;
    for (cap = 1; cap && cap < h.tab_cap; cap <<= 1)
        ;
    if (h.n_rows > len || h.n_aliases > len || h.tab_cap > len || h.arena_len > len ||
        cap != h.tab_cap || h.tab_cap <= h.n_rows || (uint64_t)h.n_kind[0] + h.n_kind[1] != h.n_rows)
        goto unusable;
    l = ix_layout_of(&h);
    if (l.end != len || h.body_hash != ix_hash(buf + sizeof h, len - sizeof h) ||
        !ix_sound(buf, &h, &l))
        goto unusable;
    for (i = 0; i < 3; i++)
        if (snprintf(paths[i], sizeof paths[i], "%s/%s", dir, ix_files[i]) >=
                (int)sizeof paths[i] ||
            !ix_current(dir, ix_files[i], &h.src[i]))
            goto unusable;
    /* sound and current: db owns the mapping from here; the rows, their
       hash table and lists are used where they lie */
    db->ix_map = buf;
    db->ix_map_len = len;
    for (i = 0; i < 3; i++)
        if (add_file(db, NULL, paths[i], &idx))
            return EST_ENOMEM;
    db->ix_arena = buf + l.arena;
    db->ix_arena_len = h.arena_len;
    db->rows = (hwrow *)(void *)(buf + l.rows);
    db->n_rows = db->cap_rows = h.n_rows;
    db->rows_shared = 1;
    db->row_tab.slot = (uint32_t *)(void *)(buf + l.slots);
    db->row_tab.cap = h.tab_cap;
    db->row_tab.n = h.n_rows;
    db->row_tab.shared = 1;
    for (i = 0; i < 2; i++) {
        db->ix_by_kind[i] = (const uint32_t *)(const void *)(buf + l.kinds[i]);
        db->ix_sig_kind[i] = (const uint64_t *)(const void *)(buf + l.sigs[i]);
        db->n_kind[i] = h.n_kind[i];
    }
    /* the aliases are few: copied, with their own hash table */
    if (grow((void **)&db->aliases, &db->cap_aliases, h.n_aliases, sizeof *db->aliases))
        return EST_ENOMEM;
    xa = (const ix_alias *)(const void *)(buf + l.aliases);
    for (i = 0; i < h.n_aliases; i++) {
        hwalias *a = &db->aliases[i];
        a->alias = A(db, xa[i].alias);
        a->model = A(db, xa[i].model);
        a->note = A(db, xa[i].note);
        a->key = xa[i].key;
        a->words = xa[i].words;
        a->model_key = xa[i].model_key;
        a->line = xa[i].line;
        a->file = xa[i].file;
        a->kind = xa[i].kind;
        a->target = SIZE_MAX;
        a->sig = est__hw_sig(A(db, a->words), 1);
        db->n_aliases = i + 1;
        if (tab_insert(db, &db->alias_tab, 1, i))
            return EST_ENOMEM;
    }
    db->index_used = 1;
    return 1;
unusable:
    munmap(buf, len);
    return 0;
}

const char *est_hwdb_header(est_hwdb_kind kind)
{
    switch (kind) {
    case EST_HWDB_CPU: return "model,vendor,cores,threads,tdp_w,year,die_area_cm2,source";
    case EST_HWDB_GPU:
        return "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,die_area_cm2,source";
    default: return NULL;
    }
}

/* Appends s to buf at *n (as far as it fits), counting every byte. */
static void row_put(char *buf, size_t size, size_t *n, const char *s, size_t k)
{
    if (*n < size) {
        size_t room = size - *n - 1;
        memcpy(buf + *n, s, k < room ? k : room);
    }
    *n += k;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void row_field(char *buf, size_t size, size_t *n, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        row_put(buf, size, n, s, strlen(s));
        return;
    }
    row_put(buf, size, n, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            row_put(buf, size, n, "\"\"", 2); /* a quote is doubled */
        else
            row_put(buf, size, n, s, 1);
    }
    row_put(buf, size, n, "\"", 1);
}

static void row_number(char *buf, size_t size, size_t *n, double v)
{
    char t[40];
    int p;
    for (p = 15; p <= 17; p++) {
        double back;
        est__snprintf_c(t, sizeof t, "%.*g", p, v);
        if (est_parse_double_str(&back, t) == EST_OK && back == v)
            break;
    }
    row_put(buf, size, n, t, strlen(t));
}

/* 1 when the header line hdr (no BOM, no line end) names column name. */
static int header_has(const char *hdr, const char *name)
{
    size_t n = strlen(name);
    const char *p = hdr;
    for (;;) {
        size_t k = strcspn(p, ",");
        if (k == n && memcmp(p, name, n) == 0)
            return 1;
        if (!p[k])
            return 0;
        p += k + 1;
    }
}

int est_hwdb_format_row(char *buf, size_t size, size_t *len, const est_hwdb_entry *ent,
                        const char *header, est_error *err)
{
    char hdr[1025], *col, *save = NULL;
    size_t n = 0, i = 0, k;
    if (!buf || !size || !len || !ent)
        return est__fail(err, EST_EINVAL, "est_hwdb_format_row: NULL argument");
    *len = 0;
    if (!header && !(header = est_hwdb_header(ent->kind)))
        return est__fail(err, EST_EINVAL, "est_hwdb_format_row: unknown kind");
    if (strncmp(header, "\xEF\xBB\xBF", 3) == 0)
        header += 3;
    k = strcspn(header, "\r\n");
    if (k >= sizeof hdr || memchr(header, '"', k))
        return est__fail(err, EST_EINVAL, "the header line is not in the expected form (%s)",
                         est_hwdb_header(ent->kind) ? est_hwdb_header(ent->kind) : "?");
    memcpy(hdr, header, k);
    hdr[k] = '\0';
    if (ent->die_area_cm2 > 0.0 && !header_has(hdr, "die_area_cm2")) {
        /* dropped silently, the die area would be lost and the embodied
           share would take the class default: refused */
        char v[40];
        size_t vn = 0;
        row_number(v, sizeof v, &vn, ent->die_area_cm2);
        v[vn < sizeof v ? vn : sizeof v - 1] = '\0';
        return est__fail(err, EST_EINVAL,
                         "the header has no die_area_cm2 column: the die area %s cm2 cannot "
                         "be written (add the column to the header and an empty field to "
                         "every row, or leave the die area out)", v);
    }
    for (col = strtok_r(hdr, ",", &save); col; col = strtok_r(NULL, ",", &save), i++) {
        char t[24];
        if (i)
            row_put(buf, size, &n, ",", 1);
        if (strcmp(col, "model") == 0)
            row_field(buf, size, &n, ent->model);
        else if (strcmp(col, "vendor") == 0)
            row_field(buf, size, &n, ent->vendor);
        else if (strcmp(col, "cores") == 0) {
            est__snprintf_c(t, sizeof t, "%u", ent->cores);
            row_put(buf, size, &n, t, strlen(t));
        } else if (strcmp(col, "threads") == 0) {
            if (ent->threads) {
                est__snprintf_c(t, sizeof t, "%u", ent->threads);
                row_put(buf, size, &n, t, strlen(t));
            }
        } else if (strcmp(col, "tdp_w") == 0)
            row_number(buf, size, &n, ent->tdp_w);
        else if (strcmp(col, "idle_w") == 0) {
            if (ent->idle_w != EST_UNSET)
                row_number(buf, size, &n, ent->idle_w);
        } else if (strcmp(col, "memory_gb") == 0) {
            if (ent->memory_gb > 0.0)
                row_number(buf, size, &n, ent->memory_gb);
        } else if (strcmp(col, "form_factor") == 0)
            row_field(buf, size, &n, ent->form_factor);
        else if (strcmp(col, "die_area_cm2") == 0) {
            if (ent->die_area_cm2 > 0.0)
                row_number(buf, size, &n, ent->die_area_cm2);
        } else if (strcmp(col, "year") == 0) {
            if (ent->year) {
                est__snprintf_c(t, sizeof t, "%u", ent->year);
                row_put(buf, size, &n, t, strlen(t));
            }
        } else if (strcmp(col, "source") == 0)
            row_field(buf, size, &n, ent->source);
        /* an unknown column stays empty: validation reports it */
    }
    row_put(buf, size, &n, "\n", 1);
    buf[n < size ? n : size - 1] = '\0';
    *len = n;
    if (n >= size)
        return est__fail(err, EST_ERANGE, "est_hwdb_format_row: %zu bytes needed", n + 1);
    return EST_OK;
}
