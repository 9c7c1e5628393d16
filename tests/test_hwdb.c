/* The hardware database: names, resolution, the CSV reader, overlays,
 * validation, and the shipped data (loaded clean, cross-checked against
 * Green Algorithms' tables). */
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "test_util.h"

#include "ecoest/hwdb.h"
#include "ecoest/model.h"

static char shipped_dir[4096];

static int setup(void **state)
{
    const char *src = getenv("ECOEST_SOURCE_DIR");
    (void)state;
    snprintf(shipped_dir, sizeof shipped_dir, "%s/hwdb", src ? src : "..");
    return 0;
}

static est_hwdb *open_shipped(void)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_error e;
    o.shipped_dir = shipped_dir;
    if (est_hwdb_open(&db, &o, &e) != 0)
        fail_msg("cannot open the shipped database: %s", e.message);
    return db;
}

/* Opens shipped + one overlay folder; returns the code, db in *out. */
static int open_with_overlay(const char *dir, est_hwdb **out, est_error *e)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    const char *dirs[1];
    dirs[0] = dir;
    o.shipped_dir = shipped_dir;
    o.overlay_dirs = dirs;
    o.n_overlay_dirs = 1;
    return est_hwdb_open(out, &o, e);
}

/* An overlay folder holding one file name with content. */
static char *overlay(const char *name, const char *content)
{
    char *dir = test_mkdtemp(), path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_file(path, content);
    return dir;
}

/* The suggestions for the value of a failed resolution of name: err->value
   must be the name as given. */
static est_suggestions suggest_for(const est_hwdb *db, est_hwdb_kind kind, const char *name,
                                   const est_error *e)
{
    est_suggestions s;
    assert_string_equal(e->value, name);
    assert_int_equal(est_hwdb_suggest(&s, db, kind, e->value), EST_OK);
    return s;
}

static void norm_is(const char *name, const char *want)
{
    char buf[512];
    int n = est_hwdb_normalize(buf, sizeof buf, name);
    assert_true(n >= 0);
    if (strcmp(buf, want) != 0)
        fail_msg("normalize(\"%s\") = \"%s\", expected \"%s\"", name, buf, want);
}

/* ------------------------------------------------------------------ names */

static void test_hwdb_normalize_drops_brand_noise(void **state)
{
    (void)state;
    norm_is("Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", "xeon gold 5218");
    norm_is("AMD EPYC 7763 64-Core Processor", "epyc 7763");
    norm_is("12th Gen Intel(R) Core(TM) i7-12700H", "core i7 12700h");
    norm_is("Intel(R) Xeon(R) Platinum 8480+", "xeon platinum 8480+");
    norm_is("Intel(R) Xeon(R) Platinum 8480 +", "xeon platinum 8480+");
    norm_is("Tesla V100-SXM2-32GB", "v100 sxm2 32gb");
    norm_is("NVIDIA A100 80 GB PCIe", "a100 80gb pcie");
    norm_is("AMD Ryzen 7 5800H with Radeon Graphics", "ryzen 7 5800h");
    norm_is("AMD Ryzen AI 7 PRO 360 w/ Radeon 880M", "ryzen ai 7 pro 360"); /* not "360w" */
    norm_is("AMD A10-7850K Radeon R7, 12 Compute Cores 4C+8G", "a10 7850k");
    norm_is("AMD PRO A12-9800 R7, 12 COMPUTE CORES 4C+8G", "pro a12 9800");
    norm_is("W/O", "w o"); /* "w/" only ends a name after a word */
    norm_is("Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz", "xeon e5 2670");
    norm_is("AMD Ryzen Threadripper PRO 3995WX 64-Cores", "ryzen threadripper pro 3995wx");
    norm_is("Intel(R) Xeon(R) CPU @ 2.20GHz", "xeon");
    norm_is("Intel Core i7 2.6 GHz quad-core", "core i7");
    norm_is("Intel® Xeon® Gold 6248", "xeon gold 6248"); /* UTF-8 marks separate */
    norm_is("AMD Athlon(tm) 64 X2 Dual Core Processor 4200+", "athlon 64 x2 4200+");
    norm_is("", "");
}

/* "r", "tm" and "0" are noise only where brand strings put them: a lone
   letter after a model number is the number's suffix, never dropped. */
static void test_hwdb_normalize_keeps_suffix_letters_and_zeros(void **state)
{
    (void)state;
    norm_is("Xeon Gold 6248 R", "xeon gold 6248r");
    norm_is("Xeon Gold 6248-R", "xeon gold 6248r");
    norm_is("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", "xeon gold 6248r");
    norm_is("Intel(R) Xeon(R) Gold 6248 (R)", "xeon gold 6248"); /* a mark, not a suffix */
    norm_is("A10 0", "a10 0");
    norm_is("Xeon Gold 6248 0", "xeon gold 6248 0"); /* only after E5-NNNN */
    norm_is("Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz", "xeon e5 2680");
    norm_is("Xeon R", "xeon r"); /* no number before it: a word of its own */
    norm_is("Core TM i7", "core tm i7");
}

static void test_hwdb_key_ignores_order_and_case(void **state)
{
    char a[256], b[256];
    (void)state;
    assert_int_equal(est_hwdb_name_key(a, sizeof a, "NVIDIA A100 80GB PCIe"), 3);
    assert_int_equal(est_hwdb_name_key(b, sizeof b, "a100-pcie-80gb"), 3);
    assert_string_equal(a, b);
    assert_string_equal(a, "80gb a100 pcie");
    assert_int_equal(est_hwdb_name_key(a, 1, "x"), EST_ERANGE);
    assert_string_equal(a, "");
    assert_int_equal(est_hwdb_name_key(a, sizeof a, NULL), EST_EINVAL);
}

static void test_hwdb_name_matches_whole_words(void **state)
{
    (void)state;
    assert_true(est_hwdb_name_matches("Xeon Gold 5218", "gold 5218"));
    assert_false(est_hwdb_name_matches("Xeon Gold 5218R", "gold 5218"));
    assert_false(est_hwdb_name_matches("Xeon Gold 5218", "5219"));
    assert_false(est_hwdb_name_matches("Xeon Platinum 8480+", "8480"));
    assert_true(est_hwdb_name_matches("GeForce RTX 4090", "RTX4090"));
    assert_true(est_hwdb_name_matches("anything", ""));
}

/* ------------------------------------------------------- the shipped data */

static void count_problem(const est_hwdb_problem *p, void *ctx)
{
    size_t *n = ctx;
    print_message("%s\n", p->message);
    (*n)++;
}

static void test_hwdb_shipped_files_have_no_problems(void **state)
{
    static const char *const files[] = {"cpu.csv", "gpu.csv", "aliases.csv"};
    est_hwdb *db = open_shipped();
    size_t i, n_cb = 0, n = 0;
    est_error e;
    (void)state;
    for (i = 0; i < 3; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", shipped_dir, files[i]);
        assert_int_equal(est_hwdb_validate_file(path, EST_HWDB_FILE_AUTO, db, count_problem,
                                                &n_cb, &n, &e), EST_OK);
        assert_int_equal(n, 0);
    }
    assert_int_equal(n_cb, 0);
    /* every row has a vendor and a source */
    for (i = 0; i < 2; i++) {
        size_t k, count = est_hwdb_count(db, (est_hwdb_kind)i);
        assert_true(count > (i == 0 ? 1000u : 150u));
        for (k = 0; k < count; k++) {
            est_hwdb_entry ent;
            assert_int_equal(est_hwdb_get(&ent, db, (est_hwdb_kind)i, k), EST_OK);
            if (!ent.vendor[0] || !ent.source[0])
                fail_msg("%s (%s): vendor or source empty", ent.model, ent.origin);
            assert_int_equal(est_hwdb_check_entry(&ent, NULL), EST_OK);
        }
    }
    est_hwdb_free(db);
}

/* Every alias resolves to its own model: aliases never hide each other. */
static void test_hwdb_shipped_model_names_resolve_to_themselves(void **state)
{
    est_hwdb *db = open_shipped();
    size_t i, k;
    (void)state;
    for (i = 0; i < 2; i++)
        for (k = 0; k < est_hwdb_count(db, (est_hwdb_kind)i); k++) {
            est_hwdb_entry ent;
            est_hwdb_match m;
            est_error e;
            est_hwdb_get(&ent, db, (est_hwdb_kind)i, k);
            if (est_hwdb_resolve(&m, db, (est_hwdb_kind)i, ent.model, &e) != 0)
                fail_msg("%s: %s", ent.model, e.message);
            assert_string_equal(m.entry.model, ent.model);
            assert_int_equal(m.how, EST_HWDB_EXACT);
        }
    est_hwdb_free(db);
}

/* ------------------------------------------------------------- resolution */

static void test_hwdb_resolve_never_guesses_a_neighbour(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    est_suggestions s;
    size_t i;
    int saw_5218 = 0;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5219", &e), EST_ENOTFOUND);
    assert_string_equal(m.entry.model, ""); /* out zeroed */
    s = suggest_for(db, EST_HWDB_CPU, "Xeon Gold 5219", &e);
    assert_true(s.n > 0 && s.n <= 5);
    for (i = 0; i < s.n; i++)
        saw_5218 |= strcmp(s.names[i], "Xeon Gold 5218") == 0;
    assert_true(saw_5218);
    assert_non_null(strstr(e.message, "Xeon Gold 5219"));
    /* "8480" is not "8480+" */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Platinum 8480", &e),
                     EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "Xeon Platinum 8480", &e);
    assert_string_equal(s.names[0], "Xeon Platinum 8480+");
    /* "Gold 5218" is not "Gold 5218R": the whole word must match */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Gold 5218", &e), EST_OK);
    assert_string_equal(m.entry.model, "Xeon Gold 5218");
    assert_int_equal(m.how, EST_HWDB_UNIQUE);
    est_hwdb_free(db);
}

/* The R parts must never resolve to the non-R part (Intel ARK: Xeon Gold 6248
   150 W / 20 cores, 6248R 205 W / 24 cores; 5218 125 W / 16 cores, 5218R
   125 W / 20 cores), nor "A10 0" to the A10 (150 W; the A100 is 250-400 W). */
static void test_hwdb_resolve_spaced_suffix_letter_is_not_dropped(void **state)
{
    static const char *const r6248[] = {"Xeon Gold 6248 R", "Gold 6248 R", "6248-R",
                                        "Intel(R) Xeon(R) Gold 6248-R CPU @ 3.00GHz"};
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    size_t i;
    int rc;
    (void)state;
    for (i = 0; i < sizeof r6248 / sizeof r6248[0]; i++) {
        if (est_hwdb_resolve(&m, db, EST_HWDB_CPU, r6248[i], &e) != 0)
            fail_msg("\"%s\": %s", r6248[i], e.message);
        if (strcmp(m.entry.model, "Xeon Gold 6248R") != 0)
            fail_msg("\"%s\" resolved to %s", r6248[i], m.entry.model);
        assert_close(m.entry.tdp_w, 205.0, 0);
        assert_int_equal(m.entry.cores, 24);
    }
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Gold 5218 R", &e), EST_OK);
    assert_string_equal(m.entry.model, "Xeon Gold 5218R");
    assert_int_equal(m.entry.cores, 20);
    /* "A10 0": the A100 or a failure, never the A10 */
    rc = est_hwdb_resolve(&m, db, EST_HWDB_GPU, "A10 0", &e);
    if (rc == 0)
        assert_non_null(strstr(m.entry.model, "A100"));
    else
        assert_true(rc == EST_ENOTFOUND || rc == EST_EAMBIGUOUS);
    /* the brand strings still resolve */
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", &e),
        EST_OK);
    assert_string_equal(m.entry.model, "Xeon Gold 6248");
    assert_close(m.entry.tdp_w, 150.0, 0);
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz", &e),
        EST_OK);
    assert_string_equal(m.entry.model, "Xeon E5-2680");
    assert_close(m.entry.tdp_w, 130.0, 0); /* Intel ARK: E5-2680 130 W */
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_CPU, "12th Gen Intel(R) Core(TM) i7-12700H", &e), EST_OK);
    assert_string_equal(m.entry.model, "Core i7-12700H");
    est_hwdb_free(db);
}

/* QEMU/KVM model names hide the real CPU: fail, say so, and offer only
   parts of the generation the name gives away. AMD numbers EPYC parts
   7xx1 Naples, 7xx2 Rome, 7xx3 Milan, 9xx4 Genoa; Intel Xeon Scalable
   x1xx Skylake, x2xx Cascade Lake, x3xx Ice Lake. */
static void test_hwdb_resolve_virtual_cpu_names_say_the_model_is_hidden(void **state)
{
    static const char *const hidden[] = {"Common KVM processor", "QEMU Virtual CPU version 2.5+",
                                         "Intel Core Processor (Broadwell)",
                                         "Intel Xeon E312xx (Sandy Bridge)"};
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    est_suggestions s;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, hidden[i], &e), EST_ENOTFOUND);
        if (!strstr(e.message, "hypervisor hides the real model"))
            fail_msg("\"%s\": %s", hidden[i], e.message);
        s = suggest_for(db, EST_HWDB_CPU, hidden[i], &e);
        assert_int_equal(s.n, 0); /* no unrelated parts */
    }
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "AMD EPYC-Rome Processor", &e),
                     EST_ENOTFOUND);
    assert_non_null(strstr(e.message, "hypervisor hides the real model"));
    assert_non_null(strstr(e.message, "Rome"));
    s = suggest_for(db, EST_HWDB_CPU, "AMD EPYC-Rome Processor", &e);
    assert_int_equal(s.n, 5);
    for (i = 0; i < s.n; i++) {
        const char *c = s.names[i]; /* "EPYC 7xx2", maybe a letter after */
        if (strncmp(c, "EPYC 7", 6) != 0 || strlen(c) < 9 || c[8] != '2')
            fail_msg("Rome suggestion %s", c);
    }
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel Xeon Processor (Cascadelake)", &e),
        EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "Intel Xeon Processor (Cascadelake)", &e);
    assert_int_equal(s.n, 5);
    for (i = 0; i < s.n; i++) {
        const char *num = strrchr(s.names[i], ' ') + 1; /* "Xeon Gold 6248R" -> "6248R" */
        if (strncmp(s.names[i], "Xeon ", 5) != 0 || num[1] != '2')
            fail_msg("Cascade Lake suggestion %s", s.names[i]);
    }
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel Xeon Processor (Icelake)", &e),
                     EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "Intel Xeon Processor (Icelake)", &e);
    assert_true(s.n > 0);
    assert_int_equal(strrchr(s.names[0], ' ')[2], '3');
    /* a real name that is merely unknown keeps its spelling suggestions */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5219", &e), EST_ENOTFOUND);
    assert_null(strstr(e.message, "hypervisor"));
    est_hwdb_free(db);
}

/* est_hwdb_suggest on a table small enough to work the lists out by hand.
   The resolution's scores (hwdb_name.c): an unknown name ranks every model
   by distance = 4 x (edits aligning the squashed query inside the squashed
   model) + |difference of their lengths|; an ambiguous one ranks the models
   holding its words by 1000 x (model words not in the query) + distance;
   ties go by model name; at most EST_SUGGESTIONS_MAX (5). */
static void test_hwdb_suggest_lists_worked_out_by_hand(void **state)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_hwdb_match m;
    est_error e;
    est_suggestions s;
    char *dir = test_mkdtemp(), p[4200];
    (void)state;
    snprintf(p, sizeof p, "%s/cpu.csv", dir);
    test_write_file(p, "model,vendor,cores,threads,tdp_w,year,source\n"
                       "Xeon Gold 5218,Intel,16,32,125,2019,test\n"
                       "Xeon Gold 5220,Intel,18,36,125,2019,test\n"
                       "Xeon Gold 6230,Intel,20,40,125,2019,test\n"
                       "EPYC 7302,AMD,16,32,155,2019,test\n"
                       "EPYC 7742,AMD,64,128,225,2019,test\n");
    snprintf(p, sizeof p, "%s/gpu.csv", dir);
    test_write_file(p, "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source\n"
                       "GeForce RTX 4090,NVIDIA,450,,24,PCIe,2022,test\n"
                       "GeForce RTX 4080,NVIDIA,320,,16,PCIe,2022,test\n"
                       "GeForce RTX 3090,NVIDIA,350,,24,PCIe,2020,test\n"
                       "GeForce RTX 3080 Ti,NVIDIA,350,,12,PCIe,2021,test\n"
                       "GeForce RTX 3080,NVIDIA,320,,10,PCIe,2020,test\n"
                       "GeForce RTX 2080,NVIDIA,215,,8,PCIe,2018,test\n");
    snprintf(p, sizeof p, "%s/aliases.csv", dir);
    test_write_file(p, "alias,kind,model,note\n");
    o.shipped_dir = dir;
    o.index_path = "";
    if (est_hwdb_open(&db, &o, &e))
        fail_msg("hwdb: %s", e.message);

    /* unknown: "xeongold5219" (12 bytes) against
         xeongold5218  1 edit                       4 x 1 + 0 = 4
         xeongold5220  "19"/"20": 2 edits            4 x 2 + 0 = 8
         xeongold6230  "521"/"623": 3 edits          4 x 3 + 0 = 12
         epyc7302, epyc7742 (8 bytes): they share only "e" and "2" with
           the query, so 12 - 2 = 10 edits at least, and 10 do (drop x,
           e=e, 7 for "ongold5" against 6 bytes, 2=2, drop "19")
                                                     4 x 10 + 4 = 44 each,
           the tie by name: "EPYC 7302" < "EPYC 7742" */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5219", &e), EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "Xeon Gold 5219", &e);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.names[0], "Xeon Gold 5218");
    assert_string_equal(s.names[1], "Xeon Gold 5220");
    assert_string_equal(s.names[2], "Xeon Gold 6230");
    assert_string_equal(s.names[3], "EPYC 7302");
    assert_string_equal(s.names[4], "EPYC 7742");

    /* ambiguous: the three Xeon Golds hold "xeon gold", one word more each,
       and "xeongold" lies inside each with 0 edits, 4 bytes short:
       1000 + 4 = 1004 for all three, by name */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel Xeon Gold", &e),
                     EST_EAMBIGUOUS);
    s = suggest_for(db, EST_HWDB_CPU, "Intel Xeon Gold", &e);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.names[0], "Xeon Gold 5218");
    assert_string_equal(s.names[1], "Xeon Gold 5220");
    assert_string_equal(s.names[2], "Xeon Gold 6230");

    /* ambiguous, more than 5: "geforcertx" (10 bytes) inside every GeForce:
       2080, 3080, 3090, 4080, 4090: 1000 + 4 = 1004; 3080 Ti: two words
       more, 6 bytes: 2000 + 6 = 2006, the sixth, left out */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA GeForce RTX", &e),
                     EST_EAMBIGUOUS);
    s = suggest_for(db, EST_HWDB_GPU, "NVIDIA GeForce RTX", &e);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.names[0], "GeForce RTX 2080");
    assert_string_equal(s.names[1], "GeForce RTX 3080");
    assert_string_equal(s.names[2], "GeForce RTX 3090");
    assert_string_equal(s.names[3], "GeForce RTX 4080");
    assert_string_equal(s.names[4], "GeForce RTX 4090");

    /* virtual CPU: Rome is EPYC 7xx2: 7302 and 7742, both score 0, by
       name; no Xeon by spelling */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "AMD EPYC-Rome Processor", &e),
                     EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "AMD EPYC-Rome Processor", &e);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.names[0], "EPYC 7302");
    assert_string_equal(s.names[1], "EPYC 7742");
    /* a hidden model that names no generation: nothing */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Common KVM processor", &e),
                     EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "Common KVM processor", &e);
    assert_int_equal(s.n, 0);

    /* laptop GPU: the desktop words "geforce rtx 3080" are held by 3080
       (0 more words, 0 edits, same length: 0) and 3080 Ti (1 more word,
       2 bytes longer: 1000 + 2 = 1002) */
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA GeForce RTX 3080 Laptop GPU", &e),
        EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_GPU, "NVIDIA GeForce RTX 3080 Laptop GPU", &e);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.names[0], "GeForce RTX 3080");
    assert_string_equal(s.names[1], "GeForce RTX 3080 Ti");

    /* a name that resolves, and one with no words left: nothing */
    assert_int_equal(est_hwdb_suggest(&s, db, EST_HWDB_GPU, "GeForce RTX 4090"), EST_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) CPU", &e), EST_ENOTFOUND);
    s = suggest_for(db, EST_HWDB_CPU, "Intel(R) CPU", &e);
    assert_int_equal(s.n, 0);
    /* the kind is the lookup's: a GPU's name among the CPUs is unknown */
    assert_int_equal(est_hwdb_suggest(&s, db, EST_HWDB_CPU, "GeForce RTX 4090"), EST_OK);
    assert_true(s.n > 0);

    /* NULL arguments and a bad kind: EST_EINVAL, the list emptied */
    s.n = 3;
    assert_int_equal(est_hwdb_suggest(&s, NULL, EST_HWDB_CPU, "x"), EST_EINVAL);
    assert_int_equal(s.n, 0);
    assert_int_equal(est_hwdb_suggest(&s, db, EST_HWDB_CPU, NULL), EST_EINVAL);
    assert_int_equal(est_hwdb_suggest(&s, db, (est_hwdb_kind)7, "x"), EST_EINVAL);
    assert_int_equal(est_hwdb_suggest(NULL, db, EST_HWDB_CPU, "x"), EST_EINVAL);
    /* a bad argument to resolve leaves no value */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, NULL, &e), EST_EINVAL);
    assert_string_equal(e.value, "");

    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
}

/* ------------------------------------------- the vendors' catalogues */

typedef struct brand_case {
    const char *name;  /* as /proc/cpuinfo prints it */
    const char *model; /* our row */
    double tdp_w;      /* the vendor's figure */
} brand_case;

/* The brand-string forms of the catalogues, each with the vendor's figure
   (Intel ARK TDP or Processor Base Power; AMD Default TDP). */
static void test_hwdb_resolve_catalogue_brand_strings(void **state)
{
    static const brand_case cases[] = {
        /* the misses that issue 12 lists */
        {"Intel(R) Core(TM) i5-7300U CPU @ 2.60GHz", "Core i5-7300U", 15},      /* ARK TDP 15 W */
        {"Intel(R) Xeon(R) CPU E3-1245 V2 @ 3.40GHz", "Xeon E3-1245 v2", 77},   /* ARK 77 W */
        {"AMD Ryzen 5 PRO 2400G with Radeon Vega Graphics", "Ryzen 5 PRO 2400G", 65},
        {"AMD Ryzen 3 PRO 2300U w/ Radeon Vega Mobile Gfx", "Ryzen 3 PRO 2300U", 15},
        {"AMD Ryzen Threadripper PRO 3975WX 32-Cores", "Ryzen Threadripper PRO 3975WX", 280},
        {"11th Gen Intel(R) Core(TM) i7-11700KF @ 3.60GHz", "Core i7-11700KF", 125},
        /* the sample of the issue */
        {"Intel(R) Core(TM) i3-6100 CPU @ 3.70GHz", "Core i3-6100", 51},
        {"Intel(R) Celeron(R) N4000 CPU @ 1.10GHz", "Celeron N4000", 6},
        {"Intel(R) Pentium(R) Silver N6000 @ 1.10GHz", "Pentium Silver N6000", 6},
        {"Intel(R) Xeon(R) W-10855M CPU @ 2.80GHz", "Xeon W-10855M", 45},
        {"AMD Ryzen 5 1500X Quad-Core Processor", "Ryzen 5 1500X", 65},
        {"AMD Ryzen 7 PRO 2700 Eight-Core Processor", "Ryzen 7 PRO 2700", 65},
        {"AMD Ryzen AI 7 PRO 360 w/ Radeon 880M", "Ryzen AI 7 PRO 360", 28},
        {"AMD Ryzen Threadripper 1920X 12-Core Processor", "Ryzen Threadripper 1920X", 180},
        {"AMD Ryzen 3 3250U with Radeon Graphics", "Ryzen 3 3250U", 15},
        /* older and other forms */
        {"Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz", "Core 2 Duo E8400", 65},
        {"Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz", "Core i7-920", 130},
        {"Intel(R) Atom(TM) CPU C2750 @ 2.40GHz", "Atom C2750", 20},
        {"Intel(R) Pentium(R) CPU G4560 @ 3.50GHz", "Pentium G4560", 54},
        {"Intel(R) N100", "N100", 6},                       /* Processor Base Power 6 W */
        {"Intel(R) Core(TM) Ultra 7 155H", "Core Ultra 7 155H", 28},
        {"Intel(R) Core(TM) i3-N305", "Core i3-N305", 15},
        {"AMD FX(tm)-8350 Eight-Core Processor", "FX-8350", 125},
        {"AMD Phenom(tm) II X4 965 Processor", "Phenom II X4 965", 80},
        /* AMD's bare numbers, named from the export's Series column:
           N970 35 W, B97 95 W, 880K 95 W (Default TDP) */
        {"AMD Phenom(tm) II N970 Quad-Core Processor", "Phenom II N970", 35},
        {"AMD Phenom(tm) II X4 B97 Processor", "Phenom II X4 B97", 95},
        {"AMD Athlon(tm) X4 880K Quad Core Processor", "Athlon X4 880K", 95},
        /* hand rows for parts older than AMD's export: rated 65 W and 18 W */
        {"AMD Athlon(tm) II X2 250 Processor", "Athlon II X2 250", 65},
        {"AMD E-450 APU with Radeon(tm) HD Graphics", "E-450", 18},
        /* pre-Ryzen APUs: "N Compute Cores" and the graphics go */
        {"AMD A10-7850K Radeon R7, 12 Compute Cores 4C+8G", "A10-7850K", 95},
        {"AMD PRO A12-9800 R7, 12 COMPUTE CORES 4C+8G", "PRO A12-9800", 65},
        {"AMD A6-9225 RADEON R4, 5 COMPUTE CORES 2C+3G", "A6-9225", 15},
    };
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (est_hwdb_resolve(&m, db, EST_HWDB_CPU, cases[i].name, &e) != 0)
            fail_msg("\"%s\": %s", cases[i].name, e.message);
        if (strcmp(m.entry.model, cases[i].model) != 0)
            fail_msg("\"%s\" resolved to %s, expected %s", cases[i].name, m.entry.model,
                     cases[i].model);
        assert_int_equal(m.how, EST_HWDB_EXACT);
        assert_close(m.entry.tdp_w, cases[i].tdp_w, 0);
        assert_non_null(strstr(m.entry.source, "Intel") ? m.entry.source
                                                         : strstr(m.entry.source, "AMD"));
    }
    est_hwdb_free(db);
}

/* What /proc/cpuinfo prints for a row, built from its vendor and model the
   way Intel and AMD write brand strings. */
static void brand_string(const est_hwdb_entry *r, char *buf, size_t size)
{
    const char *m = r->model;
    if (strcmp(r->vendor, "Intel") == 0) {
        if (strncmp(m, "Core 2 ", 7) == 0)
            snprintf(buf, size, "Intel(R) Core(TM)2 %s CPU @ 2.40GHz", m + 7);
        else if (strncmp(m, "Core i", 6) == 0 && strlen(m) > 10 && m[8] == '1' &&
                 m[9] >= '1' && m[9] <= '4' && isdigit((unsigned char)m[12]))
            snprintf(buf, size, "%.2sth Gen Intel(R) Core(TM) %s @ 2.40GHz", m + 8, m + 5);
        else if (strncmp(m, "Core ", 5) == 0)
            snprintf(buf, size, "Intel(R) Core(TM) %s CPU @ 2.40GHz", m + 5);
        else if (strncmp(m, "Xeon ", 5) == 0)
            snprintf(buf, size, "Intel(R) Xeon(R) CPU %s @ 2.40GHz", m + 5);
        else if (strncmp(m, "Atom ", 5) == 0)
            snprintf(buf, size, "Intel(R) Atom(TM) CPU %s @ 1.60GHz", m + 5);
        else if (strncmp(m, "Pentium ", 8) == 0 || strncmp(m, "Celeron ", 8) == 0)
            snprintf(buf, size, "Intel(R) %.7s(R) CPU %s @ 2.00GHz", m, m + 8);
        else
            snprintf(buf, size, "Intel(R) %s CPU @ 2.00GHz", m);
    } else if (strcmp(r->vendor, "AMD") == 0) {
        if (strstr(m, "Threadripper PRO"))
            snprintf(buf, size, "AMD %s %u-Cores", m, r->cores);
        else if (strncmp(m, "Ryzen", 5) == 0 || strncmp(m, "EPYC", 4) == 0)
            snprintf(buf, size, "AMD %s %u-Core Processor", m, r->cores);
        else
            snprintf(buf, size, "AMD %s with Radeon Graphics", m);
    } else {
        snprintf(buf, size, "%s %s", r->vendor, m);
    }
}

/* Every row resolves, by the brand string its vendor's machines print, to
   itself, exactly. */
static void test_hwdb_every_cpu_resolves_by_its_brand_string(void **state)
{
    est_hwdb *db = open_shipped();
    size_t k, n = est_hwdb_count(db, EST_HWDB_CPU);
    (void)state;
    assert_true(n >= 3700); /* the catalogues: 3742 rows when imported */
    for (k = 0; k < n; k++) {
        est_hwdb_entry r;
        est_hwdb_match m;
        est_error e;
        char name[400];
        est_hwdb_get(&r, db, EST_HWDB_CPU, k);
        brand_string(&r, name, sizeof name);
        if (est_hwdb_resolve(&m, db, EST_HWDB_CPU, name, &e) != 0)
            fail_msg("\"%s\" (row %s): %s", name, r.model, e.message);
        if (strcmp(m.entry.model, r.model) != 0 || m.how != EST_HWDB_EXACT)
            fail_msg("\"%s\" resolved to %s (%s), expected %s", name, m.entry.model,
                     est_hwdb_how_name(m.how), r.model);
    }
    est_hwdb_free(db);
}

/* A near-miss never resolves to the row it was made from: the model
   number's last digit changed ("Gold 5218" -> "Gold 5219") either names
   another real model, holding the changed number, or fails. One row in 7. */
static void test_hwdb_near_misses_of_imported_rows_are_refused(void **state)
{
    est_hwdb *db = open_shipped();
    size_t k, n = est_hwdb_count(db, EST_HWDB_CPU), tried = 0, refused = 0;
    (void)state;
    for (k = 0; k < n; k += 7) {
        est_hwdb_entry r;
        est_hwdb_match m;
        est_error e;
        char name[EST_NAME_MAX];
        size_t i, last = SIZE_MAX;
        int rc;
        est_hwdb_get(&r, db, EST_HWDB_CPU, k);
        snprintf(name, sizeof name, "%s", r.model);
        for (i = 0; name[i]; i++)
            if (isdigit((unsigned char)name[i]))
                last = i;
        if (last == SIZE_MAX)
            continue;
        name[last] = name[last] == '9' ? '0' : (char)(name[last] + 1);
        tried++;
        rc = est_hwdb_resolve(&m, db, EST_HWDB_CPU, name, &e);
        if (rc != 0) {
            refused++;
            continue;
        }
        if (strcmp(m.entry.model, r.model) == 0)
            fail_msg("near-miss \"%s\" resolved to %s", name, r.model);
        if (!est_hwdb_name_matches(m.entry.model, name))
            fail_msg("near-miss \"%s\" resolved to %s, which lacks its words", name,
                     m.entry.model);
    }
    print_message("near-misses: %zu tried, %zu refused, the rest name other real models\n",
                  tried, refused);
    assert_true(tried > 400);
    assert_true(refused > 0);
    est_hwdb_free(db);
}

/* Laptop GPUs have no TDP of their own: refused, never their desktop
   namesake, which is the first candidate. */
static void test_hwdb_laptop_gpu_is_refused_with_its_namesake(void **state)
{
    static const struct {
        const char *name, *namesake;
    } cases[] = {{"NVIDIA GeForce RTX 4090 Laptop GPU", "GeForce RTX 4090"},
                 {"Quadro RTX 5000 with Max-Q Design", "Quadro RTX 5000"},
                 {"NVIDIA RTX A5000 Laptop GPU", "RTX A5000"}};
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    est_suggestions s;
    size_t i;
    char *dir;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, cases[i].name, &e), EST_ENOTFOUND);
        assert_non_null(strstr(e.message, "laptop GPU"));
        s = suggest_for(db, EST_HWDB_GPU, cases[i].name, &e);
        assert_true(s.n >= 1);
        assert_string_equal(s.names[0], cases[i].namesake);
    }
    est_hwdb_free(db);
    /* a row of the laptop part itself (a user's overlay) is used */
    dir = overlay("gpu.csv", "model,tdp_w\nGeForce RTX 4090 Laptop GPU,150\n");
    assert_int_equal(open_with_overlay(dir, &db, &e), 0);
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA GeForce RTX 4090 Laptop GPU", &e), EST_OK);
    assert_close(m.entry.tdp_w, 150.0, 0);
    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
}

/* nvidia-smi prints "NVIDIA GeForce RTX 3080" for the 10 GB (320 W) and
   12 GB (350 W) cards: a family default, named in the note, never silent. */
static void test_hwdb_gpu_shared_names_are_family_defaults(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA GeForce RTX 3080", &e), EST_OK);
    assert_string_equal(m.entry.model, "GeForce RTX 3080 10GB");
    assert_int_equal(m.how, EST_HWDB_FAMILY);
    assert_non_null(strstr(m.note, "GeForce RTX 3080 12GB (350 W)"));
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "AMD Instinct MI300X OAM", &e), EST_OK);
    assert_string_equal(m.entry.model, "Instinct MI300X");
    est_hwdb_free(db);
}

/* The China-market H20 (400 W) and the H200 (700 W SXM) are two models:
   one word apart, neither resolves to the other. */
static void test_hwdb_gpu_h20_is_not_h200(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA H20", &e), EST_OK);
    assert_string_equal(m.entry.model, "H20 96GB");
    assert_close(m.entry.tdp_w, 400.0, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA H200", &e), EST_OK);
    assert_string_equal(m.entry.model, "H200 SXM 141GB");
    assert_close(m.entry.tdp_w, 700.0, 0);
    est_hwdb_free(db);
}

/* Published idle figures, each with its source and what kind of idle it
   is: TrailblazingTurtle's GPU_IDLE_POWER (guilbaults/TrailblazingTurtle,
   jobstats/views.py @8f24fd6a): V100 SXM2 16GB and PCIe 32GB 55 W, A100
   SXM4 40GB and PCIe 80GB 55 W, H100 SXM5 70 W, H100 NVL 66 W, H200 75 W,
   L40 55 W, A30 32 W, Quadro RTX 6000 50 W, kind not stated; Kepler PR
   2388: T4 17 W with no compute process, bare idle; NVIDIA open driver
   issue 874: A40 about 30 W with no process, bare idle; ROCm issue 5219:
   B200 137 W and MI355X 238 W, kind not stated. That is 10 + 1 + 1 + 2 = 14
   rows with idle_w, and every other row has none (the A100 SXM4 80GB, V100
   SXM2 32GB, H100 PCIe and the rest have no published figure). */
static void test_hwdb_gpu_idle_power_is_sourced(void **state)
{
    static const struct {
        const char *name;
        double idle_w;
    } cases[] = {{"NVIDIA A100-SXM4-40GB", 55}, {"NVIDIA H100 80GB HBM3", 70},
                 {"NVIDIA H100 NVL", 66}, {"Tesla V100-SXM2-16GB", 55}, {"Tesla T4", 17},
                 {"NVIDIA A30", 32}, {"NVIDIA H200", 75}, {"Tesla V100-PCIE-32GB", 55},
                 {"NVIDIA A100 80GB PCIe", 55}, {"NVIDIA L40", 55}, {"Quadro RTX 6000", 50},
                 {"NVIDIA A40", 30}, {"NVIDIA B200", 137}, {"AMD Instinct MI355X", 238}};
    static const char *const unknown[] = {"NVIDIA A100-SXM4-80GB", "Tesla V100-SXM2-32GB",
                                          "NVIDIA H100 PCIe", "NVIDIA A100-PCIE-40GB",
                                          "Tesla V100-PCIE-16GB"};
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    size_t i, k, with_idle = 0;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (est_hwdb_resolve(&m, db, EST_HWDB_GPU, cases[i].name, &e) != 0)
            fail_msg("%s: %s", cases[i].name, e.message);
        assert_close(m.entry.idle_w, cases[i].idle_w, 0);
    }
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        if (est_hwdb_resolve(&m, db, EST_HWDB_GPU, unknown[i], &e) != 0)
            fail_msg("%s: %s", unknown[i], e.message);
        assert_true(m.entry.idle_w == EST_UNSET);
    }
    for (k = 0; k < est_hwdb_count(db, EST_HWDB_GPU); k++) {
        est_hwdb_entry r;
        est_hwdb_get(&r, db, EST_HWDB_GPU, k);
        if (r.idle_w == EST_UNSET)
            continue;
        with_idle++;
        if (!strstr(r.source, "idle") ||
            (!strstr(r.source, "Bare idle") && !strstr(r.source, "Idle kind not stated")))
            fail_msg("%s: idle_w without its source and kind: %s", r.model, r.source);
    }
    assert_int_equal(with_idle, 14);
    est_hwdb_free(db);
}

/* ------------------------------------------------------------ the index */

/* Internal (libestimate/src/hwdb_internal.h): the build's index writer. */
int est__hwdb_write_index(const est_hwdb *db, const char *dir, const char *path,
                          est_error *err);

/* A copy of the shipped CSVs in a new folder, with an index built there. */
static char *indexed_copy(void)
{
    static const char *const names[] = {"cpu.csv", "gpu.csv", "aliases.csv"};
    char *dir = test_mkdtemp(), src[4200], dst[4200];
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_error e;
    size_t i, len;
    for (i = 0; i < 3; i++) {
        char *text;
        snprintf(src, sizeof src, "%s/%s", shipped_dir, names[i]);
        snprintf(dst, sizeof dst, "%s/%s", dir, names[i]);
        text = test_read_file(src, &len);
        test_write_file(dst, text);
        free(text);
    }
    o.shipped_dir = dir;
    o.index_path = ""; /* from the CSVs */
    assert_int_equal(est_hwdb_open(&db, &o, &e), 0);
    assert_false(est_hwdb_index_used(db));
    snprintf(dst, sizeof dst, "%s/hwdb.idx", dir);
    if (est__hwdb_write_index(db, dir, dst, &e) != 0)
        fail_msg("index: %s", e.message);
    est_hwdb_free(db);
    return dir;
}

static est_hwdb *open_dir(const char *dir, const char *index_path, const char *overlay_dir)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_error e;
    const char *dirs[1];
    dirs[0] = overlay_dir;
    o.shipped_dir = dir;
    o.index_path = index_path;
    o.overlay_dirs = overlay_dir ? dirs : NULL;
    o.n_overlay_dirs = overlay_dir ? 1 : 0;
    if (est_hwdb_open(&db, &o, &e) != 0)
        fail_msg("open %s: %s", dir, e.message);
    return db;
}

/* Every row, and every resolution by model name, is the same from the
   index as from the CSVs, origins included. */
static void same_database(est_hwdb *a, est_hwdb *b)
{
    size_t k, i;
    for (k = 0; k < 2; k++) {
        assert_int_equal(est_hwdb_count(a, (est_hwdb_kind)k), est_hwdb_count(b, (est_hwdb_kind)k));
        for (i = 0; i < est_hwdb_count(a, (est_hwdb_kind)k); i++) {
            est_hwdb_entry x, y;
            est_hwdb_match mx, my;
            est_error e;
            est_hwdb_get(&x, a, (est_hwdb_kind)k, i);
            est_hwdb_get(&y, b, (est_hwdb_kind)k, i);
            if (memcmp(&x, &y, sizeof x) != 0)
                fail_msg("row %zu differs: %s (%s) / %s (%s)", i, x.model, x.origin, y.model,
                         y.origin);
            if (i % 9 == 0) { /* resolution, notes and others too */
                assert_int_equal(est_hwdb_resolve(&mx, a, (est_hwdb_kind)k, x.model, &e), 0);
                assert_int_equal(est_hwdb_resolve(&my, b, (est_hwdb_kind)k, x.model, &e), 0);
                assert_int_equal(memcmp(&mx, &my, sizeof mx), 0);
            }
        }
    }
}

static void test_hwdb_index_gives_the_csv_rows(void **state)
{
    char *dir = indexed_copy();
    est_hwdb *csv, *ix;
    est_hwdb_match m;
    est_error e;
    (void)state;
    csv = open_dir(dir, "", NULL);
    ix = open_dir(dir, NULL, NULL); /* <dir>/hwdb.idx */
    assert_false(est_hwdb_index_used(csv));
    assert_true(est_hwdb_index_used(ix));
    same_database(csv, ix);
    /* aliases and family defaults through the index */
    assert_int_equal(est_hwdb_resolve(&m, ix, EST_HWDB_GPU, "NVIDIA H100 80GB HBM3", &e), 0);
    assert_string_equal(m.entry.model, "H100 SXM5 80GB");
    assert_int_equal(est_hwdb_resolve(&m, ix, EST_HWDB_GPU, "V100", &e), 0);
    assert_int_equal(m.how, EST_HWDB_FAMILY);
    assert_int_equal(est_hwdb_resolve(&m, ix, EST_HWDB_CPU, "Xeon Gold 5219", &e), EST_ENOTFOUND);
    est_hwdb_free(csv);
    est_hwdb_free(ix);
    test_rmtree(dir);
    free(dir);
}

/* Overlays are parsed over the index: a replaced row and a new row and a
   new alias take effect. (Gold 5218: 125 W in Intel ARK; 999 W overlaid.) */
static void test_hwdb_index_with_overlays(void **state)
{
    char *dir = indexed_copy(), path[4200];
    char *ov = test_mkdtemp();
    est_hwdb *db;
    est_hwdb_match m;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/cpu.csv", ov);
    test_write_file(path, "model,cores,tdp_w\nXeon Gold 5218,16,999\nMy Chip 1,4,20\n");
    snprintf(path, sizeof path, "%s/aliases.csv", ov);
    test_write_file(path, "kind,alias,model\ncpu,Mine,My Chip 1\n");
    db = open_dir(dir, NULL, ov);
    assert_true(est_hwdb_index_used(db));
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", &e), 0);
    assert_close(m.entry.tdp_w, 999.0, 0);
    assert_non_null(strstr(m.entry.origin, ov));
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Mine", &e), 0);
    assert_string_equal(m.entry.model, "My Chip 1");
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Gold 5218R", &e), 0);
    assert_close(m.entry.tdp_w, 125.0, 0); /* the index's row, untouched */
    est_hwdb_free(db);
    test_rmtree(ov);
    free(ov);
    test_rmtree(dir);
    free(dir);
}

/* Writes bytes over the index at offset (from the end when negative), or
   truncates it to keep bytes when keep > 0. */
static void damage(const char *dir, long offset, size_t keep)
{
    char path[4200];
    FILE *f;
    size_t len;
    char *data;
    snprintf(path, sizeof path, "%s/hwdb.idx", dir);
    data = test_read_file(path, &len);
    if (keep)
        len = keep;
    else
        data[offset < 0 ? (long)len + offset : offset] ^= 0x20;
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    free(data);
}

/* A damaged or stale index is never used: the CSVs are parsed, and give
   the same rows. */
static void test_hwdb_index_damaged_or_stale_is_not_used(void **state)
{
    static const long offsets[] = {0, 20, 100, 200, 5000, -3};
    char *dir, path[4200];
    est_hwdb *csv, *db;
    struct timespec times[2];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof offsets / sizeof offsets[0] + 1; i++) {
        dir = indexed_copy();
        if (i < sizeof offsets / sizeof offsets[0])
            damage(dir, offsets[i], 0); /* magic, version, header, rows, text, last byte */
        else
            damage(dir, 0, 1000); /* truncated */
        db = open_dir(dir, NULL, NULL);
        if (est_hwdb_index_used(db))
            fail_msg("damaged index (case %zu) used", i);
        csv = open_dir(dir, "", NULL);
        same_database(csv, db);
        est_hwdb_free(db);
        est_hwdb_free(csv);
        test_rmtree(dir);
        free(dir);
    }
    /* a CSV with another mtime but the same bytes (a copy, an install):
       the content decides, the index is used */
    dir = indexed_copy();
    snprintf(path, sizeof path, "%s/gpu.csv", dir);
    times[0].tv_sec = times[1].tv_sec = 1000000000;
    times[0].tv_nsec = times[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    db = open_dir(dir, NULL, NULL);
    assert_true(est_hwdb_index_used(db));
    est_hwdb_free(db);
    /* an edited CSV: stale, not used; the new row is there */
    snprintf(path, sizeof path, "%s/gpu.csv", dir);
    {
        size_t len;
        char *text = test_read_file(path, &len), *more = malloc(len + 64);
        assert_non_null(more);
        /* the shipped GPU header: model,...,year,die_area_cm2,source */
        snprintf(more, len + 64, "%sEdited GPU 1,NVIDIA,100,,,,,,test\n", text);
        test_write_file(path, more);
        free(text);
        free(more);
    }
    db = open_dir(dir, NULL, NULL);
    assert_false(est_hwdb_index_used(db));
    {
        est_hwdb_match m;
        est_error e;
        assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "Edited GPU 1", &e), 0);
    }
    est_hwdb_free(db);
    /* no index at all, or "" : the CSVs, silently */
    snprintf(path, sizeof path, "%s/absent.idx", dir);
    db = open_dir(dir, path, NULL);
    assert_false(est_hwdb_index_used(db));
    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
}

/* The listing schema: fourteen fields in one order for both kinds, null
   where a field does not apply (a CPU's idle_w) or is unknown (threads 0,
   year 0, an unknown GPU idle power). */
static void test_hwdb_entry_fields_follow_the_schema(void **state)
{
    est_hwdb_entry cpu, gpu;
    est_hwdb_field f;
    (void)state;
    memset(&cpu, 0, sizeof cpu);
    cpu.kind = EST_HWDB_CPU;
    snprintf(cpu.model, sizeof cpu.model, "Xeon Gold 5218");
    cpu.cores = 16;
    cpu.tdp_w = 125.0;
    cpu.idle_w = EST_UNSET;
    gpu = cpu;
    gpu.kind = EST_HWDB_GPU;
    gpu.cores = 0;
    gpu.idle_w = 55.0;
    gpu.year = 2020;
    snprintf(gpu.form_factor, sizeof gpu.form_factor, "SXM4");
    gpu.die_area_cm2 = 8.26;
    assert_string_equal(est_hwdb_fields_header(),
                        "kind,model,vendor,cores,threads,tdp_w,idle_w,memory_gb,form_factor,"
                        "year,is_estimate,source,origin,die_area_cm2");
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 0), 0);
    assert_string_equal(f.name, "kind");
    assert_string_equal(f.str, "cpu");
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 3), 0);
    assert_int_equal(f.type, EST_HWDB_FIELD_NUMBER);
    assert_close(f.num, 16.0, 0);
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 4), 0); /* threads 0 */
    assert_int_equal(f.type, EST_HWDB_FIELD_NULL);
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 6), 0); /* CPU idle_w */
    assert_string_equal(f.name, "idle_w");
    assert_int_equal(f.type, EST_HWDB_FIELD_NULL);
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 9), 0); /* year 0 */
    assert_int_equal(f.type, EST_HWDB_FIELD_NULL);
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 10), 0);
    assert_int_equal(f.type, EST_HWDB_FIELD_BOOL);
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, 3), 0); /* GPU cores */
    assert_int_equal(f.type, EST_HWDB_FIELD_NULL);
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, 6), 0);
    assert_close(f.num, 55.0, 0);
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, 8), 0);
    assert_string_equal(f.str, "SXM4");
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, 9), 0);
    assert_close(f.num, 2020.0, 0);
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, 12), 0);
    assert_string_equal(f.name, "origin");
    /* the die area, last: known on the GPU, unknown (0) on the CPU */
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, 13), 0);
    assert_string_equal(f.name, "die_area_cm2");
    assert_int_equal(f.type, EST_HWDB_FIELD_NUMBER);
    assert_close(f.num, 8.26, 0);
    assert_int_equal(est_hwdb_entry_field(&f, &cpu, 13), 0);
    assert_int_equal(f.type, EST_HWDB_FIELD_NULL);
    assert_int_equal(est_hwdb_entry_field(&f, &gpu, EST_HWDB_FIELDS), EST_EINVAL);
    assert_int_equal(est_hwdb_entry_field(&f, NULL, 0), EST_EINVAL);
    assert_non_null(strstr(est_hwdb_how_describe(EST_HWDB_FAMILY), "family default"));
    assert_string_equal(est_hwdb_how_describe((est_hwdb_how)99), "?");
}

typedef struct seen_problems {
    size_t n;
    char first[EST_ERROR_MESSAGE_MAX];
} seen_problems;

static void keep_problem(const est_hwdb_problem *p, void *ctx)
{
    seen_problems *s = ctx;
    if (s->n++ == 0)
        snprintf(s->first, sizeof s->first, "%s", p->message);
}

/* est_hwdb_append: a missing file is created with its header; a second row
   follows the file's own column order; a duplicate model is refused with
   the problem told under the real file's name, the file unchanged; a
   target that is not a regular file is EST_EIO. */
static void test_hwdb_append_creates_appends_and_refuses(void **state)
{
    char *dir = test_mkdtemp(), path[4200], *text;
    est_hwdb_entry ent;
    seen_problems seen = {0, ""};
    size_t n = 9;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/cpu.csv", dir);
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_CPU;
    ent.cores = 4;
    ent.tdp_w = 20.0;
    ent.idle_w = EST_UNSET;
    snprintf(ent.model, sizeof ent.model, "My Chip 1");
    snprintf(ent.source, sizeof ent.source, "user");
    assert_int_equal(est_hwdb_append(path, &ent, NULL, NULL, &n, &e), 0);
    assert_int_equal(n, 0);
    text = test_read_file(path, NULL);
    /* the full CPU header, die_area_cm2 after year (docs/hwdb.md); threads,
       year and die area unknown: empty */
    assert_string_equal(text, "model,vendor,cores,threads,tdp_w,year,die_area_cm2,source\n"
                              "My Chip 1,,4,,20,,,user\n");
    free(text);
    /* a file of fewer columns, no final newline: the row follows them */
    test_write_file(path, "model,cores,tdp_w\nOld Chip,2,10");
    snprintf(ent.model, sizeof ent.model, "My Chip 2");
    assert_int_equal(est_hwdb_append(path, &ent, NULL, NULL, NULL, &e), 0);
    text = test_read_file(path, NULL);
    assert_string_equal(text, "model,cores,tdp_w\nOld Chip,2,10\nMy Chip 2,4,20\n");
    free(text);
    /* the same model again: line 4 would duplicate line 3 */
    assert_int_equal(est_hwdb_append(path, &ent, keep_problem, &seen, &n, &e), EST_EPARSE);
    assert_int_equal(n, 1);
    assert_int_equal(seen.n, 1);
    assert_true(strncmp(seen.first, path, strlen(path)) == 0);
    assert_non_null(strstr(seen.first, ":4:"));
    assert_non_null(strstr(seen.first, "duplicate model"));
    text = test_read_file(path, NULL);
    assert_string_equal(text, "model,cores,tdp_w\nOld Chip,2,10\nMy Chip 2,4,20\n");
    free(text);
    /* a folder where the file should be */
    snprintf(path, sizeof path, "%s/gpu.csv", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    ent.kind = EST_HWDB_GPU;
    ent.cores = 0;
    assert_int_equal(est_hwdb_append(path, &ent, NULL, NULL, NULL, &e), EST_EIO);
    assert_int_equal(est_hwdb_append(NULL, &ent, NULL, NULL, NULL, &e), EST_EINVAL);
    test_rmtree(dir);
    free(dir);
}

/* A hundred brand strings as /proc/cpuinfo prints them on laptops,
   desktops and servers of the last fifteen years (the kind hardware probes
   and bug reports show). Every one is found but the Atom x5-Z8350, for
   which Intel gives only a Scenario Design Power: it fails, never guesses.
   (The Athlon II X2 250 and E-450, older than AMD's export, are hand rows
   with their rated 65 W and 18 W.) */
static void test_hwdb_probe_sample_is_found(void **state)
{
    static const char *const names[] = {
        "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz",
        "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz",
        "Intel(R) Core(TM) i7-10750H CPU @ 2.60GHz",
        "Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz",
        "AMD Ryzen 7 3700X 8-Core Processor",
        "AMD Ryzen 9 5950X 16-Core Processor",
        "Intel(R) Xeon(R) CPU E5-2630 v4 @ 2.20GHz",
        "Intel(R) Xeon(R) CPU E5-2699 v4 @ 2.20GHz",
        "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
        "Intel(R) Celeron(R) CPU N3060 @ 1.60GHz",
        "Intel(R) Pentium(R) CPU N3710 @ 1.60GHz",
        "Intel(R) Core(TM) i3-2120 CPU @ 3.30GHz",
        "Intel(R) Core(TM)2 Quad CPU    Q9550  @ 2.83GHz",
        "AMD A8-7410 APU with AMD Radeon R5 Graphics",
        "AMD Athlon(tm) II X2 250 Processor",
        "AMD E-450 APU with Radeon(tm) HD Graphics",
        "AMD Ryzen 5 5600H with Radeon Graphics",
        "AMD Ryzen 7 5800H with Radeon Graphics",
        "AMD Ryzen 5 3500U with Radeon Vega Mobile Gfx",
        "AMD EPYC 7452 32-Core Processor",
        "AMD Ryzen 7 7840U w/ Radeon 780M Graphics",
        "13th Gen Intel(R) Core(TM) i7-1355U",
        "12th Gen Intel(R) Core(TM) i5-12400F",
        "Intel(R) Core(TM) i7-7700HQ CPU @ 2.80GHz",
        "Intel(R) Core(TM) i5-4200U CPU @ 1.60GHz",
        "Intel(R) Core(TM) m3-7Y30 CPU @ 1.00GHz",
        "Intel(R) Atom(TM) x5-Z8350  CPU @ 1.44GHz",
        "Intel(R) Celeron(R) J4125 CPU @ 2.00GHz",
        "Intel(R) Pentium(R) Gold G5400 CPU @ 3.70GHz",
        "Intel(R) Xeon(R) E-2236 CPU @ 3.40GHz",
        "Intel(R) Xeon(R) W-2133 CPU @ 3.60GHz",
        "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz",
        "Intel(R) Xeon(R) CPU X5650 @ 2.67GHz",
        "Intel(R) Xeon(R) CPU E3-1230 v3 @ 3.30GHz",
        "Intel(R) Xeon(R) CPU D-1541 @ 2.10GHz",
        "Intel(R) Core(TM) Ultra 7 165U",
        "Intel(R) Core(TM) i9-13900K",
        "AMD Ryzen Threadripper 3970X 32-Core Processor",
        "AMD Ryzen 9 7950X3D 16-Core Processor",
        "AMD EPYC 9654 96-Core Processor",
        "AMD Ryzen 5 PRO 4650U with Radeon Graphics",
        "AMD Ryzen 7 PRO 5850U with Radeon Graphics",
        "AMD Athlon Gold 3150U with Radeon Graphics",
        "AMD Ryzen 3 2200G with Radeon Vega Graphics",
        "Intel(R) Core(TM) i5-1035G1 CPU @ 1.00GHz",
        "Intel(R) Core(TM) i7-1185G7 @ 3.00GHz",
        "Intel(R) Core(TM) i7-6700 CPU @ 3.40GHz",
        "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz",
        "Intel(R) Core(TM) i7-3770 CPU @ 3.40GHz",
        "Intel(R) Core(TM) i5-2500K CPU @ 3.30GHz",
        "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz",
        "Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz",
        "Intel(R) Core(TM) i3-10110U CPU @ 2.10GHz",
        "Intel(R) Core(TM) i5-7200U CPU @ 2.50GHz",
        "Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz",
        "Intel(R) Core(TM) i7-5500U CPU @ 2.40GHz",
        "Intel(R) Pentium(R) Silver J5005 CPU @ 1.50GHz",
        "Intel(R) Celeron(R) N4020 CPU @ 1.10GHz",
        "Intel(R) Celeron(R) CPU J1900 @ 1.99GHz",
        "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz",
        "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz",
        "Intel(R) Xeon(R) Platinum 8168 CPU @ 2.70GHz",
        "Intel(R) Xeon(R) CPU E5-2690 v3 @ 2.60GHz",
        "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz",
        "Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz",
        "Intel(R) Xeon(R) CPU L5640 @ 2.27GHz",
        "Intel(R) Xeon(R) CPU E3-1505M v5 @ 2.80GHz",
        "AMD Ryzen 5 3600 6-Core Processor",
        "AMD Ryzen 5 2600 Six-Core Processor",
        "AMD Ryzen 7 1700 Eight-Core Processor",
        "AMD Ryzen 5 5600X 6-Core Processor",
        "AMD Ryzen 7 5700G with Radeon Graphics",
        "AMD Ryzen 9 7900X 12-Core Processor",
        "AMD Ryzen 5 7600 6-Core Processor",
        "AMD Ryzen 7 7735HS with Radeon Graphics",
        "AMD Ryzen 5 7530U with Radeon Graphics",
        "AMD Ryzen 7 6800H with Radeon Graphics",
        "AMD Ryzen 9 8945HS w/ Radeon 780M Graphics",
        "AMD Ryzen AI 9 HX 370 w/ Radeon 890M",
        "AMD EPYC 7763 64-Core Processor",
        "AMD EPYC 7543 32-Core Processor",
        "AMD EPYC 7282 16-Core Processor",
        "AMD EPYC 7601 32-Core Processor",
        "AMD EPYC 9554 64-Core Processor",
        "AMD FX(tm)-6300 Six-Core Processor",
        "AMD FX(tm)-8320 Eight-Core Processor",
        "AMD A10-7850K Radeon R7, 12 Compute Cores 4C+8G",
        "AMD A6-6310 APU with AMD Radeon R4 Graphics",
        "AMD Athlon 3000G with Radeon Vega Graphics",
        "AMD Athlon Silver 3050U with Radeon Graphics",
        "AMD Ryzen 3 3200G with Radeon Vega Graphics",
        "AMD Ryzen 5 4500U with Radeon Graphics",
        "AMD Ryzen 7 4800H with Radeon Graphics",
        "AMD Ryzen 5 PRO 3500U w/ Radeon Vega Mobile Gfx",
        "AMD Ryzen Threadripper PRO 5995WX 64-Cores",
        "AMD Ryzen Threadripper 2990WX 32-Core Processor",
        "Intel(R) Core(TM) i9-9900K CPU @ 3.60GHz",
        "Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz",
        "Intel(R) Core(TM) i5-9400F CPU @ 2.90GHz",
        "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz",
    };
    static const char *const not_found[] = {
        "Intel(R) Atom(TM) x5-Z8350  CPU @ 1.44GHz", /* ARK: a Scenario Design Power only */
    };
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    size_t i, k, found = 0;
    (void)state;
    assert_int_equal(sizeof names / sizeof names[0], 100);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        int expect_missing = 0, rc = est_hwdb_resolve(&m, db, EST_HWDB_CPU, names[i], &e);
        for (k = 0; k < sizeof not_found / sizeof not_found[0]; k++)
            expect_missing |= strcmp(names[i], not_found[k]) == 0;
        if (expect_missing) {
            assert_int_equal(rc, EST_ENOTFOUND);
            continue;
        }
        if (rc != 0)
            fail_msg("\"%s\": %s", names[i], e.message);
        assert_true(est_hwdb_name_matches(m.entry.model, names[i]) || m.how == EST_HWDB_ALIAS);
        found++;
    }
    assert_int_equal(found, 99);
    est_hwdb_free(db);
}

static void test_hwdb_resolve_bare_cloud_brand_is_ambiguous(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    est_suggestions s;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) Xeon(R) CPU @ 2.20GHz", &e),
                     EST_EAMBIGUOUS);
    assert_non_null(strstr(e.message, "no model number"));
    s = suggest_for(db, EST_HWDB_CPU, "Intel(R) Xeon(R) CPU @ 2.20GHz", &e);
    assert_int_equal(s.n, 5);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) CPU", &e), EST_ENOTFOUND);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "", &e), EST_ENOTFOUND);
    est_hwdb_free(db);
}

static void test_hwdb_resolve_family_default_names_others(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    size_t i;
    int saw_pcie = 0;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "V100", &e), EST_OK);
    assert_string_equal(m.entry.model, "V100 SXM2 32GB");
    assert_close(m.entry.tdp_w, 300.0, 0); /* NVIDIA V100 datasheet: SXM2 300 W */
    assert_int_equal(m.how, EST_HWDB_FAMILY);
    assert_string_equal(m.alias, "V100");
    assert_true(m.n_others_total >= 4);
    for (i = 0; i < m.n_others; i++)
        saw_pcie |= strcmp(m.others[i], "V100 PCIe 32GB") == 0;
    assert_true(saw_pcie);
    assert_non_null(strstr(m.note, "family"));
    assert_non_null(strstr(m.note, "V100 SXM2 32GB"));
    assert_non_null(strstr(m.note, "V100 PCIe 32GB"));
    assert_true(strlen(m.note) < EST_MODEL_ASSUMPTION_MAX);
    /* a long family: the note is cut at a variant, with a marker */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Altra", &e), EST_OK);
    assert_int_equal(m.how, EST_HWDB_FAMILY);
    assert_true(strlen(m.note) < EST_MODEL_ASSUMPTION_MAX);
    assert_non_null(strstr(m.note, "chose Altra Q80-30 (210 W)"));
    assert_string_equal(m.note + strlen(m.note) - 5, ", ...");
    /* an nvidia-smi name through an alias: not a family */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "NVIDIA H100 80GB HBM3", &e), EST_OK);
    assert_string_equal(m.entry.model, "H100 SXM5 80GB");
    assert_int_equal(m.how, EST_HWDB_ALIAS);
    assert_string_equal(m.note, "");
    est_hwdb_free(db);
}

static void test_hwdb_resolve_marks_estimates(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU,
                                      "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", &e),
                     EST_OK);
    assert_string_equal(m.entry.model, "Xeon Platinum 8259CL");
    assert_int_equal(m.entry.is_estimate, 1);
    assert_non_null(strstr(m.note, "estimate"));
    assert_int_equal(strncmp(m.entry.source, "estimate:", 9), 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5218", &e), EST_OK);
    assert_int_equal(m.entry.is_estimate, 0);
    assert_string_equal(m.note, "");
    est_hwdb_free(db);
}

static void test_hwdb_resolve_bad_arguments(void **state)
{
    est_hwdb *db = open_shipped();
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(est_hwdb_resolve(&m, NULL, EST_HWDB_CPU, "x", &e), EST_EINVAL);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, NULL, &e), EST_EINVAL);
    assert_int_equal(est_hwdb_resolve(&m, db, (est_hwdb_kind)7, "x", &e), EST_EINVAL);
    assert_int_equal(est_hwdb_resolve(NULL, db, EST_HWDB_CPU, "x", NULL), EST_EINVAL);
    assert_int_equal(est_hwdb_get(&m.entry, db, EST_HWDB_CPU, 1u << 30), EST_ERANGE);
    assert_int_equal(est_hwdb_count(NULL, EST_HWDB_CPU), 0);
    est_hwdb_free(db);
    est_hwdb_free(NULL);
}

static void test_hwdb_open_errors(void **state)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = (est_hwdb *)&o;
    est_error e;
    (void)state;
    o.shipped_dir = "/nonexistent-ecoest";
    assert_int_equal(est_hwdb_open(&db, &o, &e), EST_ENOENT);
    assert_null(db);
    o.version = 99;
    assert_int_equal(est_hwdb_open(&db, &o, &e), EST_EINVAL);
    assert_int_equal(est_hwdb_open(NULL, NULL, &e), EST_EINVAL);
    /* NULL options: an empty database */
    assert_int_equal(est_hwdb_open(&db, NULL, &e), EST_OK);
    assert_int_equal(est_hwdb_count(db, EST_HWDB_GPU), 0);
    est_hwdb_free(db);
}

/* ---------------------------------------------------------------- overlays */

static void test_hwdb_overlay_overrides_and_adds(void **state)
{
    /* "gold 5218 xeon" is the same model as "Xeon Gold 5218" */
    char *dir = overlay("cpu.csv", "model,vendor,cores,threads,tdp_w,year,source\n"
                                   "gold 5218 xeon,Intel,16,32,99,2019,my measurement\n"
                                   "Xeon Gold 5219,Intel,16,,130,,\"site, survey\"\n");
    est_hwdb *db = NULL;
    est_hwdb_match m;
    est_error e;
    size_t before;
    (void)state;
    {
        est_hwdb *plain = open_shipped();
        before = est_hwdb_count(plain, EST_HWDB_CPU);
        est_hwdb_free(plain);
    }
    assert_int_equal(open_with_overlay(dir, &db, &e), EST_OK);
    assert_int_equal(est_hwdb_count(db, EST_HWDB_CPU), before + 1);
    assert_int_equal(
        est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", &e),
        EST_OK);
    assert_close(m.entry.tdp_w, 99.0, 0);
    assert_string_equal(m.entry.model, "gold 5218 xeon");
    assert_non_null(strstr(m.entry.origin, dir));
    assert_non_null(strstr(m.entry.origin, "cpu.csv:2"));
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5219", &e), EST_OK);
    assert_close(m.entry.tdp_w, 130.0, 0);
    assert_int_equal(m.entry.threads, 0);
    assert_string_equal(m.entry.source, "site, survey");
    est_hwdb_free(db);
    /* a folder that does not exist is fine */
    assert_int_equal(open_with_overlay("/nonexistent-ecoest-overlay", &db, &e), EST_OK);
    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
}

static void test_hwdb_overlay_alias_to_overlay_model(void **state)
{
    char *dir = overlay("gpu.csv", "model,vendor,tdp_w\nMy Accel 9000,,123\n"), path[4200];
    est_hwdb *db = NULL;
    est_hwdb_match m;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/aliases.csv", dir);
    test_write_file(path, "kind,alias,model,note\ngpu,MA9K,My Accel 9000,house name\n");
    assert_int_equal(open_with_overlay(dir, &db, &e), EST_OK);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "ma9k", &e), EST_OK);
    assert_string_equal(m.entry.model, "My Accel 9000");
    assert_int_equal(m.how, EST_HWDB_ALIAS);
    assert_string_equal(m.alias_note, "house name");
    assert_close(m.entry.idle_w, EST_UNSET, 0);
    est_hwdb_free(db);
    /* an alias to a model nobody has */
    test_write_file(path, "kind,alias,model,note\ngpu,MA9K,My Accel 9001,\n");
    assert_int_equal(open_with_overlay(dir, &db, &e), EST_EPARSE);
    assert_null(db);
    assert_non_null(strstr(e.message, "aliases.csv:2: column model: no GPU model"));
    test_rmtree(dir);
    free(dir);
}

/* Opens an overlay with one bad file; checks the code and message part. */
static void bad_overlay(const char *name, const char *content, const char *want)
{
    char *dir = overlay(name, content);
    est_hwdb *db = NULL;
    est_error e;
    int rc = open_with_overlay(dir, &db, &e);
    if (rc != EST_EPARSE)
        fail_msg("%s: got %d (%s), expected EST_EPARSE", want, rc, rc ? e.message : "ok");
    assert_null(db);
    if (!strstr(e.message, want))
        fail_msg("message \"%s\" does not hold \"%s\"", e.message, want);
    test_rmtree(dir);
    free(dir);
}

static void test_hwdb_malformed_overlay_is_a_precise_error(void **state)
{
    (void)state;
    bad_overlay("gpu.csv", "model,vendor,tdp_w\nX1,NVIDIA,100\nX2,NVIDIA,\"12,5\"\n",
                "gpu.csv:3: column tdp_w: expected a number, got \"12,5\"");
    bad_overlay("gpu.csv", "model,vendor,tdp_w\nX2,NVIDIA,12,5\n",
                "gpu.csv:2: expected 3 fields as in the header, got 4");
    bad_overlay("cpu.csv", "model,vendor,tdp_w\nX,Intel,100\n",
                "cpu.csv:1: missing column cores");
    bad_overlay("cpu.csv", "model,vendor,cores,tdp\nX,Intel,4,100\n",
                "unknown column \"tdp\"");
    bad_overlay("cpu.csv", "model,cores,tdp_w\nX,4,-100\n",
                "cpu.csv:2: column tdp_w: must not be negative, got \"-100\"");
    bad_overlay("cpu.csv", "model,cores,tdp_w\nX,4.5,100\n",
                "column cores: expected a whole number, got \"4.5\"");
    bad_overlay("cpu.csv", "model,cores,tdp_w\nX,0,100\n", "column cores: must be");
    bad_overlay("cpu.csv", "model,cores,threads,tdp_w\nX,8,4,100\n",
                "column threads: 4 threads is fewer than the 8 cores");
    bad_overlay("gpu.csv", "model,tdp_w,idle_w\nX,100,100\n", "column idle_w: idle power");
    bad_overlay("gpu.csv", "model,tdp_w\nX,nan\n", "expected a number, got \"nan\"");
    bad_overlay("gpu.csv", "model,tdp_w\nX,1e999\n", "out of range");
    bad_overlay("gpu.csv", "model,tdp_w\nX,0x10\n", "expected a number, got \"0x10\"");
    bad_overlay("gpu.csv", "model,vendor,tdp_w\nX,Nvidiaa,100\n",
                "column vendor: unknown vendor \"Nvidiaa\"");
    bad_overlay("gpu.csv", "model,tdp_w\nX 1,100\nx-1,200\n",
                "gpu.csv:3: column model: duplicate model \"x-1\": line 2");
    bad_overlay("gpu.csv", "model,tdp_w\n\"X,100\n", "gpu.csv:2: unterminated quoted field");
    bad_overlay("gpu.csv", "model,tdp_w\n\"X\"y,100\n", "text after the closing quote");
    bad_overlay("gpu.csv", "model,tdp_w\nX\"y,100\n", "a quote inside a field");
    bad_overlay("gpu.csv", "", "gpu.csv: empty file: the header line is missing");
    bad_overlay("gpu.csv", "model,tdp_w\nIntel(R) CPU,100\n", "no words left");
    bad_overlay("gpu.csv", "model,tdp_w\n\"A\nB\",100\n", "control character");
    bad_overlay("aliases.csv", "kind,alias,model\ntpu,x,V100 SXM2 32GB\n",
                "column kind: expected cpu or gpu");
}

static void test_hwdb_csv_bom_crlf_quotes_and_blank_lines(void **state)
{
    char *dir = overlay("gpu.csv",
                        "\xEF\xBB\xBFmodel,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source\r\n"
                        "\r\n"
                        "\"Card \"\"Q\"\", big\",NVIDIA,250.5,,,,,\"a, b\"\r\n"
                        "Card Z,,75,10,16,PCIe,2020,plain");
    est_hwdb *db = NULL;
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(open_with_overlay(dir, &db, &e), EST_OK);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "card q big", &e), EST_OK);
    assert_string_equal(m.entry.model, "Card \"Q\", big");
    assert_close(m.entry.tdp_w, 250.5, 0);
    assert_string_equal(m.entry.source, "a, b");
    assert_non_null(strstr(m.entry.origin, "gpu.csv:3"));
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "card z", &e), EST_OK);
    assert_close(m.entry.idle_w, 10.0, 0);
    assert_close(m.entry.memory_gb, 16.0, 0);
    assert_string_equal(m.entry.form_factor, "PCIe");
    assert_int_equal(m.entry.year, 2020);
    assert_non_null(strstr(m.entry.origin, "gpu.csv:4"));
    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
}

static void test_hwdb_huge_field_and_binary_are_rejected(void **state)
{
    size_t n = 200000;
    char *big = malloc(n + 64);
    (void)state;
    assert_non_null(big);
    strcpy(big, "model,tdp_w\n");
    memset(big + 12, 'A', n);
    strcpy(big + 12 + n, ",100\n");
    bad_overlay("gpu.csv", big, "column model: too long: 200000 bytes");
    free(big);
    {
        char *dir = test_mkdtemp(), path[4200];
        FILE *f;
        est_hwdb *db;
        est_error e;
        snprintf(path, sizeof path, "%s/gpu.csv", dir);
        f = fopen(path, "wb");
        assert_non_null(f);
        fwrite("model,tdp_w\nX\0,1\n", 1, 18, f);
        fclose(f);
        assert_int_equal(open_with_overlay(dir, &db, &e), EST_EPARSE);
        assert_non_null(strstr(e.message, "NUL byte"));
        test_rmtree(dir);
        free(dir);
    }
}

/* -------------------------------------------------------------- validation */

typedef struct collected {
    size_t n;
    est_hwdb_problem p[16];
} collected;

static void collect(const est_hwdb_problem *p, void *ctx)
{
    collected *c = ctx;
    if (c->n < 16)
        c->p[c->n] = *p;
    c->n++;
}

static void test_hwdb_validate_reports_every_problem_with_place(void **state)
{
    char *dir = overlay("x.csv", "model,vendor,cores,threads,tdp_w,year,source\n"
                                 "A 1,Intel,4,8,100,2020,ok\n"
                                 "A 2,Intell,4,8,12;5,2020,two problems\n"
                                 "A 3,Intel,-4,8,100,1800,\n"
                                 "a-1,Intel,4,8,100,,duplicate\n");
    char path[4200];
    collected c;
    size_t n = 0;
    est_error e;
    (void)state;
    memset(&c, 0, sizeof c);
    snprintf(path, sizeof path, "%s/x.csv", dir);
    assert_int_equal(est_hwdb_validate_file(path, EST_HWDB_FILE_AUTO, NULL, collect, &c, &n, &e),
                     EST_EPARSE);
    assert_int_equal(n, 5);
    assert_int_equal(c.n, 5);
    /* line 3: vendor (column 2), tdp_w (column 5) */
    assert_int_equal(c.p[0].line, 3);
    assert_int_equal(c.p[0].column, 2);
    assert_string_equal(c.p[0].column_name, "vendor");
    assert_int_equal(c.p[1].line, 3);
    assert_int_equal(c.p[1].column, 5);
    assert_string_equal(c.p[1].detail, "expected a number, got \"12;5\"");
    /* line 4: cores (column 3), year (column 6) */
    assert_int_equal(c.p[2].line, 4);
    assert_int_equal(c.p[2].column, 3);
    assert_int_equal(c.p[3].line, 4);
    assert_int_equal(c.p[3].column, 6);
    assert_non_null(strstr(c.p[3].detail, "1970 to 2100"));
    /* line 5: duplicate of line 2 */
    assert_int_equal(c.p[4].line, 5);
    assert_int_equal(c.p[4].column, 1);
    assert_non_null(strstr(c.p[4].detail, "line 2"));
    assert_non_null(strstr(c.p[4].message, "x.csv:5: column model: duplicate"));
    /* the error names the first */
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 2);
    assert_int_equal(est_hwdb_validate_file("/nonexistent/x.csv", EST_HWDB_FILE_CPU, NULL, NULL,
                                            NULL, &n, &e), EST_ENOENT);
    test_rmtree(dir);
    free(dir);
}

/* A duplicate is found also when one of the two rows has another problem
   (before, a row with any problem was dropped before the duplicate check). */
static void test_hwdb_validate_duplicate_of_a_row_with_problems(void **state)
{
    char *dir = overlay("x.csv", "model,vendor,cores,threads,tdp_w,year,source\n"
                                 "Foo 1,Intel,8,,abc,,bad tdp first\n"
                                 "foo-1,Intel,8,,100,,duplicate of line 2\n"
                                 "Bar 2,Intel,8,,100,,ok\n"
                                 "bar-2,Intel,8,,abc,,duplicate with bad tdp\n");
    char *adir = overlay("a.csv", "kind,alias,model,note\n"
                                  "gpu,Baz 3,No Such Model,names no model\n"
                                  "gpu,baz-3,No Such Model 2,duplicate\n");
    char path[4200];
    collected c;
    size_t n = 0;
    est_error e;
    est_hwdb *db = open_shipped();
    (void)state;
    memset(&c, 0, sizeof c);
    snprintf(path, sizeof path, "%s/x.csv", dir);
    assert_int_equal(est_hwdb_validate_file(path, EST_HWDB_FILE_AUTO, NULL, collect, &c, &n, &e),
                     EST_EPARSE);
    /* line 2 tdp_w; line 3 duplicate of 2; line 5 tdp_w and duplicate of 4 */
    assert_int_equal(n, 4);
    assert_int_equal(c.p[0].line, 2);
    assert_string_equal(c.p[0].column_name, "tdp_w");
    assert_int_equal(c.p[1].line, 3);
    assert_non_null(strstr(c.p[1].detail, "duplicate model \"foo-1\": line 2"));
    assert_int_equal(c.p[2].line, 5);
    assert_string_equal(c.p[2].column_name, "tdp_w");
    assert_int_equal(c.p[3].line, 5);
    assert_non_null(strstr(c.p[3].detail, "duplicate model \"bar-2\": line 4"));
    /* aliases: line 2 and 3 name no model, line 3 also repeats line 2's alias */
    memset(&c, 0, sizeof c);
    snprintf(path, sizeof path, "%s/a.csv", adir);
    assert_int_equal(est_hwdb_validate_file(path, EST_HWDB_FILE_AUTO, db, collect, &c, &n, &e),
                     EST_EPARSE);
    assert_int_equal(n, 3);
    assert_int_equal(c.p[2].line, 3);
    assert_non_null(strstr(c.p[2].detail, "duplicate alias \"baz-3\": line 2"));
    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
    test_rmtree(adir);
    free(adir);
}

/* logical x cores / threads, nearest, at least 1:
 * 8 x 16 / 32 = 4; 3 x 8 / 16 = 1.5 -> 2 (halves up); 1 x 4 / 8 = 0.5 -> 1;
 * 7 x 2 / 3 = 4.67 -> 5; 1 x 1 / 4 = 0.25 -> 0 -> at least 1; 6 x 8 / 8 = 6. */
static void test_hwdb_cores_from_threads_by_ratio(void **state)
{
    unsigned c = 99;
    (void)state;
    assert_int_equal(est_hwdb_cores_from_threads(&c, 8, 16, 32), EST_OK);
    assert_int_equal(c, 4);
    assert_int_equal(est_hwdb_cores_from_threads(&c, 3, 8, 16), EST_OK);
    assert_int_equal(c, 2);
    assert_int_equal(est_hwdb_cores_from_threads(&c, 1, 4, 8), EST_OK);
    assert_int_equal(c, 1);
    assert_int_equal(est_hwdb_cores_from_threads(&c, 7, 2, 3), EST_OK);
    assert_int_equal(c, 5);
    assert_int_equal(est_hwdb_cores_from_threads(&c, 1, 1, 4), EST_OK);
    assert_int_equal(c, 1);
    assert_int_equal(est_hwdb_cores_from_threads(&c, 6, 8, 8), EST_OK);
    assert_int_equal(c, 6);
    c = 99;
    assert_int_equal(est_hwdb_cores_from_threads(&c, 8, 16, 0), EST_EINVAL); /* threads unknown */
    assert_int_equal(est_hwdb_cores_from_threads(&c, 8, 0, 32), EST_EINVAL);
    assert_int_equal(est_hwdb_cores_from_threads(&c, 8, 16, 8), EST_EINVAL);
    assert_int_equal(est_hwdb_cores_from_threads(NULL, 8, 16, 32), EST_EINVAL);
    assert_int_equal(c, 99);
}

/* The kind's rules, first broken first: a CPU without cores; a CPU with
 * idle_w, memory_gb > 0 or a form factor; a GPU with cores or threads; the
 * name "auto" (one word, any case). */
static void test_hwdb_entry_kind_rules(void **state)
{
    est_hwdb_entry ent;
    est_error e;
    (void)state;
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_CPU;
    strcpy(ent.model, "Xeon Gold 9999");
    ent.tdp_w = 100;
    ent.idle_w = EST_UNSET;
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_CPU_NEEDS_CORES);
    ent.cores = 8;
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_NONE);
    ent.memory_gb = 0.0; /* 0: not known, allowed */
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_NONE);
    ent.memory_gb = 16.0;
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_GPU_ONLY_FIELD);
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "memory_gb"));
    ent.memory_gb = 0.0;
    ent.idle_w = 10.0;
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_GPU_ONLY_FIELD);
    ent.idle_w = EST_UNSET;
    strcpy(ent.form_factor, "SXM");
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_GPU_ONLY_FIELD);
    ent.form_factor[0] = '\0';
    strcpy(ent.model, "AUTO");
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_RESERVED_NAME);
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "reserved"));
    strcpy(ent.model, "auto pilot"); /* two words: a name */
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_NONE);
    ent.kind = EST_HWDB_GPU;
    strcpy(ent.model, "H100 SXM");
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_CPU_ONLY_FIELD);
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "cores"));
    ent.cores = 0;
    ent.threads = 16;
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_CPU_ONLY_FIELD);
    ent.threads = 0;
    ent.idle_w = 50.0;
    ent.memory_gb = 80.0;
    strcpy(ent.form_factor, "SXM");
    assert_int_equal(est_hwdb_entry_kind_rule(&ent), EST_HWDB_RULE_NONE);
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_OK);
    assert_int_equal(est_hwdb_entry_kind_rule(NULL), EST_HWDB_RULE_NONE);
}

static void test_hwdb_check_entry_rules(void **state)
{
    est_hwdb_entry ent;
    est_error e;
    (void)state;
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_CPU;
    strcpy(ent.model, "Xeon Gold 9999");
    strcpy(ent.vendor, "Intel");
    ent.cores = 8;
    ent.tdp_w = 100;
    ent.idle_w = EST_UNSET;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_OK);
    ent.tdp_w = NAN;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "tdp_w"));
    ent.tdp_w = 0;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    ent.tdp_w = 100;
    ent.cores = 0;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "cores"));
    ent.cores = 8;
    strcpy(ent.vendor, "Acme");
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "unknown vendor"));
    strcpy(ent.vendor, "");
    strcpy(ent.model, "Intel CPU");
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_int_equal(est_hwdb_vendor_known("nvidia"), 1);
    assert_int_equal(est_hwdb_vendor_known("Acme"), 0);
}

/* ------------------------------------------- cross-check: Green Algorithms */

/* "GA" as a word of s ("GA lists 250 W", "(GA v3.1)"). */
static int has_word_ga(const char *s)
{
    const char *p;
    for (p = strstr(s, "GA"); p; p = strstr(p + 1, "GA")) {
        int before = p == s || !isalnum((unsigned char)p[-1]);
        int after = !isalnum((unsigned char)p[2]);
        if (before && after)
            return 1;
    }
    return 0;
}

/* One reference table: a units row, a header with "model" and "TDP". */
static void cross_check_file(const est_hwdb *db, est_hwdb_kind kind, const char *path,
                             size_t *shared, size_t *unexplained)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    int col_model = -1, col_tdp = -1;
    unsigned long ln = 0;
    if (!f) {
        print_message("cross-check: %s missing, skipped\n", path);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *fields[16], *p = line, *save = NULL;
        int n = 0;
        double ga;
        est_hwdb_match m;
        est_error e;
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        /* split on commas, keeping empty fields */
        fields[n++] = p;
        for (; *p && n < 16; p++)
            if (*p == ',') {
                *p = '\0';
                fields[n++] = p + 1;
            }
        (void)save;
        if (ln == 1)
            continue; /* the units row */
        if (ln == 2) {
            int i;
            for (i = 0; i < n; i++) {
                if (strcmp(fields[i], "model") == 0)
                    col_model = i;
                if (strcmp(fields[i], "TDP") == 0)
                    col_tdp = i;
            }
            assert_true(col_model >= 0 && col_tdp >= 0);
            continue;
        }
        if (col_tdp >= n || est_parse_double_str(&ga, fields[col_tdp]) || !(ga > 0.0))
            continue; /* "Any", "Average" without a TDP, blank lines */
        if (est_hwdb_resolve(&m, db, kind, fields[col_model], &e) != 0)
            continue; /* a model we do not have */
        (*shared)++;
        if (fabs(m.entry.tdp_w - ga) > 0.05 * ga) {
            /* the TDP's own source: a die area's citation after it
               ("; die_area_cm2 ...") names Green Algorithms too */
            char *die = strstr(m.entry.source, "; die_area_cm2 ");
            int explained;
            if (die)
                *die = '\0';
            explained = strstr(m.entry.source, "Green Algorithms") != NULL ||
                        has_word_ga(m.entry.source);
            print_message("%s %s:%lu \"%s\" %g W vs ours %s %g W (%s)%s\n",
                          explained ? "  explained" : "UNEXPLAINED", path, ln,
                          fields[col_model], ga, m.entry.model, m.entry.tdp_w,
                          est_hwdb_how_name(m.how), explained ? "" : ": say why in its source");
            if (!explained)
                (*unexplained)++;
        }
    }
    fclose(f);
}

static void test_hwdb_cross_check_green_algorithms(void **state)
{
    static const char *const cpu_files[] = {"v1.1/TDP_cpu.csv", "v2.2/TDP_cpu.csv",
                                            "v3.0/TDP_cpu.csv", "ga-data-v3.1/CPUs-manual.csv"};
    static const char *const gpu_files[] = {"v1.1/TDP_gpu.csv", "v2.2/TDP_gpu.csv",
                                            "v3.0/TDP_gpu.csv", "ga-data-v3.1/GPUs-manual.csv"};
    const char *shared_dir = getenv("ECOEST_SHARED_DIR");
    char base[4096], path[4300];
    struct stat st;
    est_hwdb *db;
    size_t i, shared = 0, unexplained = 0;
    (void)state;
    if (!shared_dir) {
        print_message("ECOEST_SHARED_DIR not set: cross-check skipped\n");
        skip();
    }
    snprintf(base, sizeof base, "%s/reference/green-algorithms", shared_dir);
    if (stat(base, &st) != 0) {
        print_message("%s absent: cross-check with Green Algorithms skipped\n", base);
        skip();
    }
    db = open_shipped();
    for (i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", base, cpu_files[i]);
        cross_check_file(db, EST_HWDB_CPU, path, &shared, &unexplained);
        snprintf(path, sizeof path, "%s/%s", base, gpu_files[i]);
        cross_check_file(db, EST_HWDB_GPU, path, &shared, &unexplained);
    }
    est_hwdb_free(db);
    print_message("cross-check: %zu rows of Green Algorithms' tables name models we have; "
                  "%zu unexplained differences above 5%%\n", shared, unexplained);
    assert_true(shared > 100);
    assert_int_equal(unexplained, 0);
}

/* The library writes rows in its own schema: in a file's column order,
   quoted where needed, the shortest numbers, unknown values empty. */
static void test_hwdb_format_row_follows_the_header(void **state)
{
    est_hwdb_entry ent;
    char buf[512], tiny[8];
    size_t len;
    est_error e;
    (void)state;
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_GPU;
    snprintf(ent.model, sizeof ent.model, "Test Card");
    snprintf(ent.vendor, sizeof ent.vendor, "NVIDIA");
    ent.tdp_w = 0.1 + 0.2; /* 0.30000000000000004: every digit kept */
    ent.idle_w = EST_UNSET;
    ent.memory_gb = 16.0;
    snprintf(ent.source, sizeof ent.source, "a \"quoted\" note, with a comma");
    assert_string_equal(est_hwdb_header(EST_HWDB_GPU),
                        "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,die_area_cm2,"
                        "source");
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, NULL, &e), EST_OK);
    /* form_factor, year and die_area_cm2 unknown: three empty fields */
    assert_string_equal(buf, "Test Card,NVIDIA,0.30000000000000004,,16,,,,"
                             "\"a \"\"quoted\"\" note, with a comma\"\n");
    assert_int_equal(len, strlen(buf));
    /* a file's own order, with a BOM and a column the reader does not know */
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent,
                                         "\xEF\xBB\xBFtdp_w,model,extra\r\nrest", &e),
                     EST_OK);
    assert_string_equal(buf, "0.30000000000000004,Test Card,\n");
    /* too small: the length needed, EST_ERANGE */
    assert_int_equal(est_hwdb_format_row(tiny, sizeof tiny, &len, &ent, "model", &e),
                     EST_ERANGE);
    assert_int_equal(len, strlen("Test Card\n"));
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, "mo\"del", &e),
                     EST_EINVAL);
}

/* ------------------------------------------------------------ die areas */

/* die_area_cm2 is an optional CPU column: a value is read, an empty field
   and a file without the column are unknown (0); the shipped rows carry the
   imported figures with their citation (hwdb/import_die_areas.py). */
static void test_hwdb_die_area_is_read_and_optional(void **state)
{
    char *dir = overlay("cpu.csv", "model,vendor,cores,tdp_w,die_area_cm2,source\n"
                                   "Die Chip 1,Intel,8,65,2.57,mine\n"
                                   "Die Chip 2,Intel,8,65,,mine\n");
    char *plain = overlay("cpu.csv", "model,cores,tdp_w\nDie Chip 3,4,35\n");
    est_hwdb *db = NULL;
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(open_with_overlay(dir, &db, &e), 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Die Chip 1", &e), 0);
    assert_close(m.entry.die_area_cm2, 2.57, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Die Chip 2", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    /* shipped: GA's EPYC 7763 row, 8 x 81 + 416 = 1064 mm2 = 10.64 cm2,
       cited by its own address; the Gold 5218, absent from GA's table,
       has none; the A100 SXM4 80GB none either (GA's row for it cites the
       40 GB part's page, refused by hwdb/import_die_areas.py) */
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "AMD EPYC 7763 64-Core Processor",
                                      &e), 0);
    assert_close(m.entry.die_area_cm2, 10.64, 0);
    assert_non_null(strstr(m.entry.source, "; die_area_cm2 10.64: https://www.techpowerup.com/"
                                           "cpu-specs/epyc-7763.c2373"));
    assert_non_null(strstr(m.entry.source, "via Green Algorithms v3.1 CPUs-manual.csv"));
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5218", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "A100 SXM4 80GB", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    est_hwdb_free(db);
    db = NULL;
    assert_int_equal(open_with_overlay(plain, &db, &e), 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Die Chip 3", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    est_hwdb_free(db);
    test_rmtree(dir);
    test_rmtree(plain);
    free(dir);
    free(plain);
}

/* A bad die area: the error gives the file, line, column and value. */
static void bad_die_area(const char *value, const char *detail)
{
    char content[256], want[512], *dir;
    est_hwdb *db = NULL;
    est_error e;
    snprintf(content, sizeof content,
             "model,vendor,cores,tdp_w,die_area_cm2,source\nOk Chip,Intel,4,35,1.5,x\n"
             "Bad Chip,Intel,4,35,%s,x\n", value);
    dir = overlay("cpu.csv", content);
    assert_int_equal(open_with_overlay(dir, &db, &e), EST_EPARSE);
    assert_null(db);
    snprintf(want, sizeof want, "%s/cpu.csv:3: column die_area_cm2: %s", dir, detail);
    assert_string_equal(e.message, want);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 5);
    test_rmtree(dir);
    free(dir);
}

static void test_hwdb_bad_die_area_says_where(void **state)
{
    (void)state;
    bad_die_area("\"12,5\"", "expected a number, got \"12,5\"");
    bad_die_area("2.5cm2", "expected a number, got \"2.5cm2\"");
    bad_die_area("-2", "must not be negative, got \"-2\"");
    bad_die_area("0", "must be a die area above 0 and at most 100 cm2, got 0");
    /* 257 mm2 written as if cm2 */
    bad_die_area("257", "must be a die area above 0 and at most 100 cm2, got 257");
    bad_die_area("nan", "expected a number, got \"nan\"");
}

/* die_area_cm2 is an optional GPU column too: a value is read, an empty
   field and a file without the column are unknown (0); the shipped rows
   carry GA v3.1's GPUs-manual.csv figures with their citation:
   hwdb/gpu.csv:29 A100 PCIe 40GB 8.26 cm2 (GPUs-manual.csv:18, the GA100's
   826 mm2), gpu.csv:23 T4 5.45 cm2 (GPUs-manual.csv:6, the TU104's 545 mm2);
   the K80 board has none (GA's 5.61 cm2 is one of its two GK210 dies). */
static void test_hwdb_gpu_die_area_is_read_and_optional(void **state)
{
    char *dir = overlay("gpu.csv", "model,vendor,tdp_w,memory_gb,die_area_cm2,source\n"
                                   "Die Card 1,NVIDIA,300,40,8.26,mine\n"
                                   "Die Card 2,NVIDIA,300,40,,mine\n");
    char *plain = overlay("gpu.csv", "model,tdp_w\nDie Card 3,75\n");
    est_hwdb *db = NULL;
    est_hwdb_match m;
    est_error e;
    (void)state;
    assert_int_equal(open_with_overlay(dir, &db, &e), 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "Die Card 1", &e), 0);
    assert_close(m.entry.die_area_cm2, 8.26, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "Die Card 2", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "A100 PCIe 40GB", &e), 0);
    assert_close(m.entry.die_area_cm2, 8.26, 0);
    assert_non_null(strstr(m.entry.source, "; die_area_cm2 8.26: https://www.techpowerup.com/"
                                           "gpu-specs/a100-pcie-40-gb.c3623, via Green "
                                           "Algorithms v3.1 GPUs-manual.csv"));
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "Tesla T4", &e), 0);
    assert_close(m.entry.die_area_cm2, 5.45, 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "K80", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    est_hwdb_free(db);
    db = NULL;
    assert_int_equal(open_with_overlay(plain, &db, &e), 0);
    assert_int_equal(est_hwdb_resolve(&m, db, EST_HWDB_GPU, "Die Card 3", &e), 0);
    assert_close(m.entry.die_area_cm2, 0.0, 0);
    est_hwdb_free(db);
    test_rmtree(dir);
    test_rmtree(plain);
    free(dir);
    free(plain);
}

/* A bad GPU die area: the error gives the file, line, column and value. */
static void bad_gpu_die_area(const char *value, const char *detail)
{
    char content[256], want[512], *dir;
    est_hwdb *db = NULL;
    est_error e;
    snprintf(content, sizeof content,
             "model,vendor,tdp_w,die_area_cm2,source\nOk Card,NVIDIA,75,5.45,x\n"
             "Bad Card,NVIDIA,75,%s,x\n", value);
    dir = overlay("gpu.csv", content);
    assert_int_equal(open_with_overlay(dir, &db, &e), EST_EPARSE);
    assert_null(db);
    snprintf(want, sizeof want, "%s/gpu.csv:3: column die_area_cm2: %s", dir, detail);
    assert_string_equal(e.message, want);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 4);
    test_rmtree(dir);
    free(dir);
}

static void test_hwdb_bad_gpu_die_area_says_where(void **state)
{
    est_hwdb_entry ent;
    est_error e;
    (void)state;
    bad_gpu_die_area("\"8,26\"", "expected a number, got \"8,26\"");
    bad_gpu_die_area("-8.26", "must not be negative, got \"-8.26\"");
    bad_gpu_die_area("0", "must be a die area above 0 and at most 100 cm2, got 0");
    /* the A100's 826 mm2 written as if cm2 */
    bad_gpu_die_area("826", "must be a die area above 0 and at most 100 cm2, got 826");
    bad_gpu_die_area("inf", "expected a number, got \"inf\"");
    /* the entry check, as hwdb add uses it */
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_GPU;
    snprintf(ent.model, sizeof ent.model, "Check Card");
    ent.tdp_w = 75.0;
    ent.idle_w = EST_UNSET;
    ent.die_area_cm2 = 826.0;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "column die_area_cm2: must be a die area above 0 and at "
                                      "most 100 cm2, got 826"));
    ent.die_area_cm2 = 8.26;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_OK);
    /* an old GPU header without the column: a die area is refused, never
       dropped; without one the row follows the old columns */
    {
        char buf[256];
        size_t len;
        const char *old = "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source";
        assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, old, &e), EST_EINVAL);
        assert_non_null(strstr(e.message, "the header has no die_area_cm2 column: the die "
                                          "area 8.26 cm2 cannot be written"));
        assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, NULL, &e), EST_OK);
        /* model, no vendor, 75 W, no idle, memory, form factor or year, 8.26, no source */
        assert_string_equal(buf, "Check Card,,75,,,,,8.26,\n");
        ent.die_area_cm2 = 0.0;
        assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, old, &e), EST_OK);
        assert_string_equal(buf, "Check Card,,75,,,,,\n");
    }
}

/* The schema writer: a file whose header has die_area_cm2 gets it, the
   shortest digits; unknown (0) is an empty field; est_hwdb_check_entry
   holds the same bound as a row. */
static void test_hwdb_die_area_written_and_checked(void **state)
{
    est_hwdb_entry ent;
    char buf[256];
    size_t len;
    est_error e;
    (void)state;
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_CPU;
    ent.cores = 4;
    ent.tdp_w = 35.0;
    ent.idle_w = EST_UNSET;
    ent.die_area_cm2 = 2.57;
    snprintf(ent.model, sizeof ent.model, "Die Chip 4");
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent,
                                         "model,cores,tdp_w,die_area_cm2", &e), 0);
    assert_string_equal(buf, "Die Chip 4,4,35,2.57\n");
    assert_int_equal(est_hwdb_check_entry(&ent, &e), 0);
    ent.die_area_cm2 = 0.0;
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent,
                                         "model,cores,tdp_w,die_area_cm2", &e), 0);
    assert_string_equal(buf, "Die Chip 4,4,35,\n");
    assert_int_equal(est_hwdb_check_entry(&ent, &e), 0);
    ent.die_area_cm2 = 150.0;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "column die_area_cm2: must be a die area above 0 and at "
                                      "most 100 cm2, got 150"));
    ent.die_area_cm2 = -1.5;
    assert_int_equal(est_hwdb_check_entry(&ent, &e), EST_EINVAL);
}

/* A new CPU file's header has die_area_cm2 (after year, as the shipped
   cpu.csv); a file of the header before it still takes a row without a die
   area, and refuses one with it rather than drop it. */
static void test_hwdb_header_has_die_area_and_old_headers_refuse_it(void **state)
{
    static const char old_header[] = "model,vendor,cores,threads,tdp_w,year,source";
    char *dir = test_mkdtemp(), path[4200], buf[256], *text;
    est_hwdb_entry ent;
    size_t len = 7;
    est_error e;
    (void)state;
    assert_string_equal(est_hwdb_header(EST_HWDB_CPU),
                        "model,vendor,cores,threads,tdp_w,year,die_area_cm2,source");
    memset(&ent, 0, sizeof ent);
    ent.kind = EST_HWDB_CPU;
    ent.cores = 8;
    ent.tdp_w = 65.0;
    ent.idle_w = EST_UNSET;
    ent.year = 2024;
    ent.die_area_cm2 = 4.5;
    snprintf(ent.model, sizeof ent.model, "Die Chip 5");
    snprintf(ent.source, sizeof ent.source, "user");
    /* the new header: model, vendor "", cores 8, threads unknown, 65 W,
       2024, 4.5 cm2, source */
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, NULL, &e), 0);
    assert_string_equal(buf, "Die Chip 5,,8,,65,2024,4.5,user\n");
    /* the old header: refused, naming the column and the value */
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, old_header, &e),
                     EST_EINVAL);
    assert_non_null(strstr(e.message, "the header has no die_area_cm2 column: the die area 4.5 "
                                      "cm2 cannot be written"));
    /* a column name holding the word is not the column */
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent,
                                         "model,cores,tdp_w,die_area_cm2x", &e),
                     EST_EINVAL);
    ent.die_area_cm2 = 0.0; /* unknown: nothing to lose */
    assert_int_equal(est_hwdb_format_row(buf, sizeof buf, &len, &ent, old_header, &e), 0);
    assert_string_equal(buf, "Die Chip 5,,8,,65,2024,user\n");

    /* est_hwdb_append on an old-header file: EST_EPARSE, file unchanged */
    snprintf(path, sizeof path, "%s/cpu.csv", dir);
    test_write_file(path, "model,vendor,cores,threads,tdp_w,year,source\nOld Chip,,2,,10,,x\n");
    ent.die_area_cm2 = 4.5;
    assert_int_equal(est_hwdb_append(path, &ent, NULL, NULL, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "no die_area_cm2 column"));
    text = test_read_file(path, NULL);
    assert_string_equal(text, "model,vendor,cores,threads,tdp_w,year,source\nOld Chip,,2,,10,,x\n");
    free(text);
    ent.die_area_cm2 = 0.0;
    assert_int_equal(est_hwdb_append(path, &ent, NULL, NULL, NULL, &e), 0);
    text = test_read_file(path, NULL);
    assert_string_equal(text, "model,vendor,cores,threads,tdp_w,year,source\nOld Chip,,2,,10,,x\n"
                              "Die Chip 5,,8,,65,2024,user\n");
    free(text);
    test_rmtree(dir);
    free(dir);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hwdb_format_row_follows_the_header),
        cmocka_unit_test(test_hwdb_normalize_drops_brand_noise),
        cmocka_unit_test(test_hwdb_normalize_keeps_suffix_letters_and_zeros),
        cmocka_unit_test(test_hwdb_key_ignores_order_and_case),
        cmocka_unit_test(test_hwdb_name_matches_whole_words),
        cmocka_unit_test(test_hwdb_shipped_files_have_no_problems),
        cmocka_unit_test(test_hwdb_shipped_model_names_resolve_to_themselves),
        cmocka_unit_test(test_hwdb_resolve_never_guesses_a_neighbour),
        cmocka_unit_test(test_hwdb_suggest_lists_worked_out_by_hand),
        cmocka_unit_test(test_hwdb_resolve_spaced_suffix_letter_is_not_dropped),
        cmocka_unit_test(test_hwdb_resolve_virtual_cpu_names_say_the_model_is_hidden),
        cmocka_unit_test(test_hwdb_resolve_catalogue_brand_strings),
        cmocka_unit_test(test_hwdb_every_cpu_resolves_by_its_brand_string),
        cmocka_unit_test(test_hwdb_near_misses_of_imported_rows_are_refused),
        cmocka_unit_test(test_hwdb_laptop_gpu_is_refused_with_its_namesake),
        cmocka_unit_test(test_hwdb_gpu_shared_names_are_family_defaults),
        cmocka_unit_test(test_hwdb_gpu_idle_power_is_sourced),
        cmocka_unit_test(test_hwdb_index_gives_the_csv_rows),
        cmocka_unit_test(test_hwdb_index_with_overlays),
        cmocka_unit_test(test_hwdb_index_damaged_or_stale_is_not_used),
        cmocka_unit_test(test_hwdb_probe_sample_is_found),
        cmocka_unit_test(test_hwdb_entry_fields_follow_the_schema),
        cmocka_unit_test(test_hwdb_gpu_h20_is_not_h200),
        cmocka_unit_test(test_hwdb_append_creates_appends_and_refuses),
        cmocka_unit_test(test_hwdb_die_area_is_read_and_optional),
        cmocka_unit_test(test_hwdb_bad_die_area_says_where),
        cmocka_unit_test(test_hwdb_gpu_die_area_is_read_and_optional),
        cmocka_unit_test(test_hwdb_bad_gpu_die_area_says_where),
        cmocka_unit_test(test_hwdb_die_area_written_and_checked),
        cmocka_unit_test(test_hwdb_header_has_die_area_and_old_headers_refuse_it),
        cmocka_unit_test(test_hwdb_resolve_bare_cloud_brand_is_ambiguous),
        cmocka_unit_test(test_hwdb_resolve_family_default_names_others),
        cmocka_unit_test(test_hwdb_resolve_marks_estimates),
        cmocka_unit_test(test_hwdb_resolve_bad_arguments),
        cmocka_unit_test(test_hwdb_open_errors),
        cmocka_unit_test(test_hwdb_overlay_overrides_and_adds),
        cmocka_unit_test(test_hwdb_overlay_alias_to_overlay_model),
        cmocka_unit_test(test_hwdb_malformed_overlay_is_a_precise_error),
        cmocka_unit_test(test_hwdb_csv_bom_crlf_quotes_and_blank_lines),
        cmocka_unit_test(test_hwdb_huge_field_and_binary_are_rejected),
        cmocka_unit_test(test_hwdb_validate_reports_every_problem_with_place),
        cmocka_unit_test(test_hwdb_validate_duplicate_of_a_row_with_problems),
        cmocka_unit_test(test_hwdb_check_entry_rules),
        cmocka_unit_test(test_hwdb_entry_kind_rules),
        cmocka_unit_test(test_hwdb_cores_from_threads_by_ratio),
        cmocka_unit_test(test_hwdb_cross_check_green_algorithms),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
