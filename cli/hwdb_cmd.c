/* ecoest hwdb: list, show, add, validate. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "detect.h"
#include "paths.h"
#include "report.h"

static const char hwdb_usage[] =
    "Usage: ecoest hwdb list [--cpu|--gpu] [--format text|json|csv] [QUERY...]\n"
    "       ecoest hwdb show [--cpu|--gpu] [--format text|json] NAME\n"
    "       ecoest hwdb add --cpu|--gpu MODEL --tdp W [--cores N] [--threads N]\n"
    "                       [--die-area CM2] [--idle W] [--memory-gb G]\n"
    "                       [--form-factor F] [--vendor V] [--year Y] [--source TEXT]\n"
    "       ecoest hwdb validate [--cpu|--gpu|--aliases] FILE...\n"
    "\n"
    "The hardware database: CPU and GPU TDPs. Shipped rows come from the data\n"
    "folder's hwdb/; overlay folders add or override rows of the same model:\n"
    "each folder of $ECOEST_HWDB_PATH (colon-separated), then\n"
    "$XDG_CONFIG_HOME/ecoest/hwdb (default ~/.config/ecoest/hwdb).\n"
    "\n"
    "  list      the models holding every word of QUERY (all without one)\n"
    "  show      what NAME resolves to and why, with the other candidates\n"
    "  add       validates a row and appends it to the user's overlay file\n"
    "            (cpu.csv or gpu.csv in $XDG_CONFIG_HOME/ecoest/hwdb), atomically\n"
    "  validate  prints every problem of database files as file:line:column\n"
    "\n"
    "'ecoest hwdb COMMAND --help' describes each command. Format: docs/hwdb.md.\n"
    "Exit status: 0 ok, 64 usage, 65 bad data or unknown name, 66 missing file,\n"
    "74 I/O error.\n";

static const char list_usage[] =
    "Usage: ecoest hwdb list [--cpu|--gpu] [--format text|json|csv] [QUERY...]\n"
    "\n"
    "Lists the models of the database (shipped rows and overlays) that hold\n"
    "every word of QUERY, compared as names are resolved: case, spacing and\n"
    "punctuation do not matter, numbers are whole words (\"5218\" is not \"5218R\").\n"
    "\n"
    "  --cpu, --gpu             only CPUs or only GPUs (default both)\n"
    "  --format text|json|csv   output format (default text); json and csv\n"
    "                           carry every column, source, origin and\n"
    "                           die_area_cm2 included (null or empty: unknown)\n"
    "  -h, --help               print this help and exit\n";

static const char show_usage[] =
    "Usage: ecoest hwdb show [--cpu|--gpu] [--format text|json] NAME\n"
    "\n"
    "Shows what NAME resolves to and why: exact, alias, family default or the\n"
    "unique model holding every word, with the row, its source and the other\n"
    "models holding the same words. The die area is shown or, when the row gives\n"
    "none, the class default the embodied share takes instead (carbon/embodied.csv:\n"
    "a GPU's; a CPU's on a server, or on a laptop or desktop). Without --cpu or\n"
    "--gpu both kinds are tried and the report says which matched. Exit 65 when\n"
    "NAME is unknown or ambiguous, with the closest candidates on stderr. NAME\n"
    "\"auto\" with --cpu or --gpu shows what --cpu auto / --gpu auto detect on\n"
    "this machine, with the CPUs and physical cores of this process (or the\n"
    "GPUs counted).\n"
    "\n"
    "  --cpu, --gpu             the kind of NAME\n"
    "  --format text|json       output format (default text)\n"
    "  -h, --help               print this help and exit\n";

static const char add_usage[] =
    "Usage: ecoest hwdb add --cpu|--gpu MODEL --tdp W [OPTIONS]\n"
    "\n"
    "Checks a new row and appends it to the user's overlay file,\n"
    "$XDG_CONFIG_HOME/ecoest/hwdb/cpu.csv or gpu.csv (default\n"
    "~/.config/ecoest/hwdb/), created with its header when missing. The file is\n"
    "rewritten atomically (temporary file, fsync, rename): a failure leaves the\n"
    "old file as it was. A MODEL with the name of a shipped model overrides it.\n"
    "\n"
    "  --cpu, --gpu        the kind of MODEL (one is required)\n"
    "  --tdp W             TDP in watts, > 0 (required)\n"
    "  --cores N           CPU: physical cores (required for a CPU)\n"
    "  --threads N         CPU: hardware threads\n"
    "  --die-area CM2      die area of one CPU package or one GPU, all its dies,\n"
    "                      in cm2 (above 0, at most 100); for the embodied share.\n"
    "                      Refused for an overlay file whose header has no\n"
    "                      die_area_cm2 column (files written before 0.2)\n"
    "  --idle W            GPU: idle power in watts, below the TDP\n"
    "  --memory-gb G       GPU: memory in GB\n"
    "  --form-factor F     GPU: SXM5, PCIe, ...\n"
    "  --vendor V          Intel, AMD, NVIDIA, ... (see docs/hwdb.md)\n"
    "  --year Y            launch year\n"
    "  --source TEXT       where the figures come from (default \"user\");\n"
    "                      start with \"estimate:\" for a TDP no vendor publishes\n"
    "  -h, --help          print this help and exit\n";

static const char validate_usage[] =
    "Usage: ecoest hwdb validate [--cpu|--gpu|--aliases] FILE...\n"
    "\n"
    "Checks database files and prints every problem on stderr as\n"
    "FILE:LINE:COLUMN: message (missing or unknown columns, wrong field counts,\n"
    "quoting, non-numeric, negative or out-of-range values, duplicate models,\n"
    "unknown vendors, aliases naming no model). The kind of each file comes from\n"
    "its header unless given. Exit 65 when there is any problem, 66 when a file\n"
    "is missing.\n"
    "\n"
    "  --cpu, --gpu, --aliases   the kind of every FILE\n"
    "  -h, --help                print this help and exit\n";

enum { O_CPU = 256, O_GPU, O_ALIASES, O_FORMAT, O_TDP, O_CORES, O_THREADS, O_IDLE,
       O_MEMORY, O_FORM, O_VENDOR, O_YEAR, O_SOURCE, O_DIE };

/* Prints usage of a subcommand. */
static int print_help(const char *text)
{
    fputs(text, stdout);
    return fflush(stdout) ? CLI_EX_IOERR : CLI_EX_OK;
}

static int bad_option(char **argv, const char *cmd)
{
    if (optopt)
        cli_msg("hwdb %s: unknown option '-%c' (see ecoest hwdb %s --help)", cmd, optopt, cmd);
    else
        cli_msg("hwdb %s: unknown option '%s' (see ecoest hwdb %s --help)", cmd,
                argv[optind - 1], cmd);
    return CLI_EX_USAGE;
}

/* ------------------------------------------------------------------- list */

/* 1 when a row's die area is known (est_hwdb_entry.die_area_cm2 > 0). */
static int die_area_known(const est_hwdb_entry *e)
{
    return e->die_area_cm2 > 0.0;
}

/* A row as JSON: every field of the library's listing schema, null where it
   does not apply or is unknown. */
static cJSON *entry_json(const est_hwdb_entry *e)
{
    cJSON *o = cJSON_CreateObject();
    est_hwdb_field f;
    size_t i;
    for (i = 0; i < EST_HWDB_FIELDS && est_hwdb_entry_field(&f, e, i) == 0; i++) {
        if (f.type == EST_HWDB_FIELD_STRING)
            cJSON_AddStringToObject(o, f.name, f.str);
        else if (f.type == EST_HWDB_FIELD_NUMBER)
            cli_json_add_num(o, f.name, f.num);
        else if (f.type == EST_HWDB_FIELD_BOOL)
            cJSON_AddBoolToObject(o, f.name, f.num != 0.0);
        else
            cJSON_AddNullToObject(o, f.name);
    }
    return o;
}

/* The same fields as one CSV line: null is an empty field. */
static void entry_csv(cli_buf *b, const est_hwdb_entry *e)
{
    est_hwdb_field f;
    char num[32];
    size_t i;
    for (i = 0; i < EST_HWDB_FIELDS && est_hwdb_entry_field(&f, e, i) == 0; i++) {
        if (i)
            cli_buf_puts(b, ",");
        if (f.type == EST_HWDB_FIELD_STRING)
            cli_buf_csv(b, f.str, NULL);
        else if (f.type == EST_HWDB_FIELD_BOOL)
            cli_buf_puts(b, f.num != 0.0 ? "true" : "false");
        else if (f.type == EST_HWDB_FIELD_NUMBER)
            cli_num(num, sizeof num, f.num), cli_buf_puts(b, num);
    }
    cli_buf_puts(b, "\n");
}

/* Field i of e for the text table: "-" when the library says null. */
static const char *field_text(const est_hwdb_entry *e, size_t i, char *buf, size_t size)
{
    est_hwdb_field f;
    if (est_hwdb_entry_field(&f, e, i) != 0 || f.type == EST_HWDB_FIELD_NULL)
        return "-";
    if (f.type == EST_HWDB_FIELD_STRING)
        return f.str;
    cli_num(buf, size, f.num);
    return buf;
}

/* --cpu, --gpu, --format and --help, as list and show take them. Returns
   -1 to go on (optind at the first operand), else an exit status. */
static int kind_opts(int argc, char **argv, const char *cmd, const char *usage, int want[2],
                     cli_format *fmt)
{
    static const struct option opts[] = {
        {"cpu", no_argument, NULL, O_CPU}, {"gpu", no_argument, NULL, O_GPU},
        {"format", required_argument, NULL, O_FORMAT}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_CPU: want[EST_HWDB_GPU] = 0; break;
        case O_GPU: want[EST_HWDB_CPU] = 0; break;
        case O_FORMAT: if (cli_parse_format(optarg, fmt)) return CLI_EX_USAGE; break;
        case 'h': return print_help(usage);
        case ':': cli_msg("hwdb %s: %s: missing value", cmd, argv[optind - 1]); return CLI_EX_USAGE;
        default: return bad_option(argv, cmd);
        }
    }
    if (!want[0] && !want[1]) {
        cli_msg("hwdb %s: --cpu and --gpu cannot both be given (give neither %s)", cmd,
                strcmp(cmd, "list") == 0 ? "for both" : "to try both");
        return CLI_EX_USAGE;
    }
    return -1;
}

static int cmd_list(int argc, char **argv)
{
    int want[2] = {1, 1}, k, rc;
    cli_format fmt = CLI_FORMAT_TEXT;
    char query[1024] = "";
    size_t qo = 0, n_shown = 0, i;
    est_hwdb *db = NULL;
    cli_buf out = {0};
    cJSON *arr = NULL;
    if ((rc = kind_opts(argc, argv, "list", list_usage, want, &fmt)) >= 0)
        return rc;
    for (; optind < argc; optind++) {
        int n = snprintf(query + qo, sizeof query - qo, "%s%s", qo ? " " : "", argv[optind]);
        if (n < 0 || (size_t)n >= sizeof query - qo) {
            cli_msg("hwdb list: query too long");
            return CLI_EX_USAGE;
        }
        qo += (size_t)n;
    }
    rc = cli_open_hwdb(&db);
    if (rc)
        return rc;
    if (fmt == CLI_FORMAT_JSON)
        arr = cJSON_CreateArray();
    else if (fmt == CLI_FORMAT_CSV)
        cli_buf_printf(&out, "%s\n", est_hwdb_fields_header());
    for (k = 0; k < 2; k++) {
        size_t n = est_hwdb_count(db, (est_hwdb_kind)k), shown_kind = 0;
        if (!want[k])
            continue;
        for (i = 0; i < n; i++) {
            est_hwdb_entry e;
            char a[32], b[32], d[32], y[32];
            est_hwdb_get(&e, db, (est_hwdb_kind)k, i);
            if (query[0] && !est_hwdb_name_matches(e.model, query))
                continue;
            n_shown++;
            if (fmt == CLI_FORMAT_JSON) {
                cJSON_AddItemToArray(arr, entry_json(&e));
                continue;
            }
            if (fmt == CLI_FORMAT_CSV) {
                entry_csv(&out, &e);
                continue;
            }
            if (shown_kind++ == 0) {
                if (k == EST_HWDB_CPU)
                    cli_buf_printf(&out, "%s%-34s %-8s %6s %7s %7s %5s\n", n_shown > 1 ? "\n" : "",
                                   "CPU model", "vendor", "cores", "threads", "tdp_w", "year");
                else
                    cli_buf_printf(&out, "%s%-34s %-8s %7s %7s %9s %-10s %5s\n",
                                   n_shown > 1 ? "\n" : "", "GPU model", "vendor", "tdp_w",
                                   "idle_w", "memory_gb", "form", "year");
            }
            /* the listing schema's fields 3-9: cores threads tdp_w idle_w
               memory_gb form_factor year */
            if (k == EST_HWDB_CPU)
                cli_buf_printf(&out, "%-34s %-8s %6s %7s %7s %5s%s\n", e.model, e.vendor,
                               field_text(&e, 3, a, sizeof a), field_text(&e, 4, b, sizeof b),
                               field_text(&e, 5, d, sizeof d), field_text(&e, 9, y, sizeof y),
                               e.is_estimate ? "  (estimate)" : "");
            else
                cli_buf_printf(&out, "%-34s %-8s %7s %7s %9s %-10s %5s%s\n", e.model, e.vendor,
                               field_text(&e, 5, a, sizeof a), field_text(&e, 6, b, sizeof b),
                               field_text(&e, 7, d, sizeof d), field_text(&e, 8, NULL, 0),
                               field_text(&e, 9, y, sizeof y), e.is_estimate ? "  (estimate)" : "");
        }
    }
    est_hwdb_free(db);
    if (fmt == CLI_FORMAT_JSON)
        cli_buf_json(&out, arr);
    if (n_shown == 0 && query[0])
        cli_msg("hwdb list: no %s model holds every word of \"%s\"",
                want[0] && want[1] ? "CPU or GPU" : want[0] ? "CPU" : "GPU", query);
    return cli_buf_flush(&out, stdout);
}

/* ------------------------------------------------------------------- show */

/* The die-area class defaults of carbon/embodied.csv, the areas the embodied
   share takes for a CPU or GPU whose row gives none (ecoest/embodied.h). */
typedef struct die_defaults {
    int known;              /* 0: embodied.csv could not be read */
    double server_cm2;      /* cpu_die_area_server_default_cm2 */
    double personal_cm2;    /* cpu_die_area_personal_default_cm2 */
    double gpu_cm2;         /* gpu_die_area_default_cm2 */
} die_defaults;
#define DIE_SERVER_KEY "cpu_die_area_server_default_cm2"
#define DIE_PERSONAL_KEY "cpu_die_area_personal_default_cm2"
#define DIE_GPU_KEY "gpu_die_area_default_cm2"

/* Reads the class defaults quietly: show still works without them. */
static void read_die_defaults(die_defaults *d)
{
    est_embodied_factors *f = NULL;
    memset(d, 0, sizeof *d);
    if (cli_open_embodied(&f, 1) == 0 &&
        est_embodied_factor(&d->server_cm2, NULL, f, DIE_SERVER_KEY) == 0 &&
        est_embodied_factor(&d->personal_cm2, NULL, f, DIE_PERSONAL_KEY) == 0 &&
        est_embodied_factor(&d->gpu_cm2, NULL, f, DIE_GPU_KEY) == 0)
        d->known = 1;
    est_embodied_factors_free(f);
}

/* The die_area line of a CPU or GPU: its area, or what the embodied share
   takes. */
static void show_die_area(cli_buf *b, const est_hwdb_entry *e, const die_defaults *d)
{
    char a[32], p[32];
    if (die_area_known(e)) {
        cli_num(a, sizeof a, e->die_area_cm2);
        cli_buf_printf(b, "  die_area:  %s cm2\n", a);
    } else if (e->kind == EST_HWDB_GPU && d && d->known) {
        cli_num(a, sizeof a, d->gpu_cm2);
        cli_buf_printf(b, "  die_area:  not known; the embodied share takes the class default, "
                          "%s cm2 (" DIE_GPU_KEY ")\n", a);
    } else if (d && d->known) {
        cli_num(a, sizeof a, d->server_cm2);
        cli_num(p, sizeof p, d->personal_cm2);
        cli_buf_printf(b, "  die_area:  not known; the embodied share takes the class default, "
                          "%s cm2 on a server (" DIE_SERVER_KEY "), %s cm2 on a laptop or "
                          "desktop (" DIE_PERSONAL_KEY ")\n", a, p);
    } else {
        cli_buf_printf(b, "  die_area:  not known; the embodied share takes the platform's "
                          "class default (carbon/embodied.csv could not be read)\n");
    }
}

static void show_text(cli_buf *b, const char *name, const est_hwdb_match *m,
                      const die_defaults *d)
{
    const est_hwdb_entry *e = &m->entry;
    char w[32];
    size_t i;
    cli_num(w, sizeof w, e->tdp_w);
    cli_buf_printf(b, "%s \"%s\" resolves to: %s\n", e->kind == EST_HWDB_CPU ? "CPU" : "GPU",
                   name, e->model);
    cli_buf_printf(b, "  words:     %s\n", m->normalized);
    cli_buf_printf(b, "  how:       %s\n", est_hwdb_how_describe(m->how));
    if (m->alias[0])
        cli_buf_printf(b, "  alias:     \"%s\"%s%s\n", m->alias, m->alias_note[0] ? ": " : "",
                       m->alias_note);
    cli_buf_printf(b, "  tdp_w:     %s W%s\n", w, e->is_estimate ? " (an estimate)" : "");
    if (e->kind == EST_HWDB_CPU)
        cli_buf_printf(b, "  cores:     %u%s\n", e->cores,
                       e->threads ? "" : " (threads unknown)");
    if (e->kind == EST_HWDB_CPU && e->threads)
        cli_buf_printf(b, "  threads:   %u\n", e->threads);
    if (e->kind == EST_HWDB_CPU)
        show_die_area(b, e, d);
    if (e->kind == EST_HWDB_GPU) {
        if (e->idle_w >= 0.0) {
            cli_num(w, sizeof w, e->idle_w);
            cli_buf_printf(b, "  idle_w:    %s W\n", w);
        } else {
            cli_buf_printf(b, "  idle_w:    unknown\n");
        }
        if (e->memory_gb > 0.0) {
            cli_num(w, sizeof w, e->memory_gb);
            cli_buf_printf(b, "  memory_gb: %s\n", w);
        }
        if (e->form_factor[0])
            cli_buf_printf(b, "  form:      %s\n", e->form_factor);
        show_die_area(b, e, d);
    }
    if (e->vendor[0])
        cli_buf_printf(b, "  vendor:    %s\n", e->vendor);
    if (e->year)
        cli_buf_printf(b, "  year:      %u\n", e->year);
    cli_buf_printf(b, "  source:    %s\n", e->source[0] ? e->source : "(none given)");
    cli_buf_printf(b, "  row:       %s\n", e->origin);
    if (m->note[0])
        cli_buf_printf(b, "  note:      %s\n", m->note);
    if (m->n_others_total) {
        cli_buf_printf(b, "  other models holding these words (%zu):", m->n_others_total);
        for (i = 0; i < m->n_others; i++)
            cli_buf_printf(b, "%s %s", i ? "," : "", m->others[i]);
        cli_buf_printf(b, "%s\n", m->n_others_total > m->n_others ? ", ..." : "");
    } else {
        cli_buf_printf(b, "  other models holding these words: none\n");
    }
}

static cJSON *match_json(const char *name, const est_hwdb_match *m, const die_defaults *d)
{
    cJSON *o = cJSON_CreateObject(), *others;
    size_t i;
    cJSON_AddStringToObject(o, "query", name);
    cJSON_AddStringToObject(o, "kind", m->entry.kind == EST_HWDB_CPU ? "cpu" : "gpu");
    cJSON_AddStringToObject(o, "words", m->normalized);
    cJSON_AddStringToObject(o, "how", est_hwdb_how_name(m->how));
    if (m->alias[0]) {
        cJSON_AddStringToObject(o, "alias", m->alias);
        cJSON_AddStringToObject(o, "alias_note", m->alias_note);
    }
    cJSON_AddStringToObject(o, "note", m->note);
    cJSON_AddItemToObject(o, "entry", entry_json(&m->entry));
    if (!die_area_known(&m->entry) && d && d->known) {
        /* what the embodied share takes instead of entry.die_area_cm2 */
        cJSON *c = cJSON_AddObjectToObject(o, "die_area_class_defaults");
        if (m->entry.kind == EST_HWDB_CPU) {
            cli_json_add_num(c, DIE_SERVER_KEY, d->server_cm2);
            cli_json_add_num(c, DIE_PERSONAL_KEY, d->personal_cm2);
        } else {
            cli_json_add_num(c, DIE_GPU_KEY, d->gpu_cm2);
        }
    }
    others = cJSON_AddArrayToObject(o, "others");
    for (i = 0; i < m->n_others; i++)
        cJSON_AddItemToArray(others, cJSON_CreateString(m->others[i]));
    cli_json_add_num(o, "n_others", (double)m->n_others_total);
    return o;
}

/* What "auto" found: cc for a CPU, gpus for a GPU. */
static cJSON *detected_json(const char *src, const char *name, const cli_cpu_count *cc,
                            unsigned gpus)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", src);
    cJSON_AddStringToObject(o, "name", name);
    if (cc) {
        cli_json_add_num(o, "logical_cpus", cc->logical_cpus);
        cli_json_add_num(o, "physical_cores", cc->physical_cores);
        cJSON_AddStringToObject(o, "cores_how", cli_cores_how_name(cc->how));
        cJSON_AddStringToObject(o, "cores_note", cc->note);
    } else {
        cli_json_add_num(o, "count", gpus);
    }
    return o;
}

static int cmd_show(int argc, char **argv)
{
    int want[2] = {1, 1}, k, rc, ok[2] = {0, 0}, code[2] = {0, 0}, detect_kind = -1;
    cli_format fmt = CLI_FORMAT_TEXT;
    const char *name;
    char detected[EST_NAME_MAX * 2], detect_src[600];
    unsigned n_gpus = 0;
    cli_cpu_count cc;
    die_defaults dd = {0, 0.0, 0.0, 0.0};
    est_hwdb *db = NULL;
    est_hwdb_match *m;
    est_error e[2];
    cli_buf out = {0};
    if ((rc = kind_opts(argc, argv, "show", show_usage, want, &fmt)) >= 0)
        return rc;
    if (fmt == CLI_FORMAT_CSV) {
        cli_msg("hwdb show: --format csv is not supported (text or json)");
        return CLI_EX_USAGE;
    }
    if (optind + 1 != argc) {
        cli_msg("hwdb show: give exactly one NAME (quote names with spaces; see --help)");
        return CLI_EX_USAGE;
    }
    name = argv[optind];
    if (strcmp(name, "auto") == 0) {
        /* what --cpu auto / --gpu auto would use on this machine */
        if (want[0] && want[1]) {
            cli_msg("hwdb show: \"auto\" detects this machine's hardware: give --cpu or --gpu");
            return CLI_EX_USAGE;
        }
        detect_kind = want[EST_HWDB_GPU] ? EST_HWDB_GPU : EST_HWDB_CPU;
        rc = detect_kind == EST_HWDB_GPU
                 ? cli_detect_gpu(detected, sizeof detected, detect_src, sizeof detect_src,
                                  &n_gpus)
                 : cli_detect_cpu(detected, sizeof detected, detect_src, sizeof detect_src,
                                  &n_gpus);
        if (rc)
            return rc;
        name = detected;
    }
    rc = cli_open_hwdb(&db);
    if (rc)
        return rc;
    m = calloc(2, sizeof *m);
    if (!m) {
        est_hwdb_free(db);
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    for (k = 0; k < 2; k++)
        if (want[k]) {
            code[k] = est_hwdb_resolve(&m[k], db, (est_hwdb_kind)k, name, &e[k]);
            ok[k] = code[k] == 0;
        }
    if (!ok[0] && !ok[1]) {
        /* what was detected comes first: the name, and the CPUs or GPUs */
        if (detect_kind == EST_HWDB_CPU) {
            cli_detect_cpu_count(0, 0, &cc);
            cli_msg("--cpu auto: detected \"%s\" from %s; %u logical CPU%s, %u physical "
                    "core%s (%s): %s", detected, detect_src, cc.logical_cpus,
                    cc.logical_cpus == 1 ? "" : "s", cc.physical_cores,
                    cc.physical_cores == 1 ? "" : "s", cli_cores_how_name(cc.how), cc.note);
        } else if (detect_kind == EST_HWDB_GPU) {
            cli_msg("--gpu auto: detected \"%s\" from %s; %u GPU%s", detected, detect_src,
                    n_gpus, n_gpus == 1 ? "" : "s");
        }
        for (k = 0; k < 2; k++)
            if (want[k]) {
                cli_msg("%s", e[k].message);
                cli_suggest(NULL, k ? CLI_LOOKUP_GPU : CLI_LOOKUP_CPU, &e[k],
                            &(cli_tables){db, NULL, NULL});
            }
        est_hwdb_free(db);
        free(m);
        return CLI_EX_DATAERR;
    }
    est_hwdb_free(db);
    if (detect_kind == EST_HWDB_CPU)
        cli_detect_cpu_count(m[0].entry.cores, m[0].entry.threads, &cc);
    if ((ok[EST_HWDB_CPU] && !die_area_known(&m[EST_HWDB_CPU].entry)) ||
        (ok[EST_HWDB_GPU] && !die_area_known(&m[EST_HWDB_GPU].entry)))
        read_die_defaults(&dd);
    if (fmt == CLI_FORMAT_JSON) {
        cJSON *arr = cJSON_CreateArray();
        for (k = 0; k < 2; k++)
            if (ok[k]) {
                cJSON *o = match_json(name, &m[k], &dd);
                if (detect_kind == k)
                    cJSON_AddItemToObject(o, "detected",
                                          detected_json(detect_src, detected,
                                                        k == EST_HWDB_CPU ? &cc : NULL, n_gpus));
                cJSON_AddItemToArray(arr, o);
            }
        cli_buf_json(&out, arr);
    } else {
        for (k = 0; k < 2; k++)
            if (ok[k]) {
                if (k == 1 && ok[0])
                    cli_buf_puts(&out, "\n");
                show_text(&out, name, &m[k], &dd);
                if (detect_kind == k && k == EST_HWDB_CPU)
                    cli_buf_printf(&out, "  detected:  from %s\n  cpus:      %s\n", detect_src,
                                   cc.note);
                else if (detect_kind == k)
                    cli_buf_printf(&out, "  detected:  from %s\n  gpus:      %u\n", detect_src,
                                   n_gpus);
            }
    }
    if (want[0] && want[1]) {
        if (ok[0] && ok[1])
            cli_msg("\"%s\" is both a CPU and a GPU name: both are shown (use --cpu or --gpu)",
                    name);
        else
            cli_msg("\"%s\" is a %s name (as a %s: %s)", name, ok[0] ? "CPU" : "GPU",
                    ok[0] ? "GPU" : "CPU", est_strerror(code[ok[0] ? 1 : 0]));
    }
    free(m);
    return cli_buf_flush(&out, stdout);
}

/* -------------------------------------------------------------------- add */

/* The user's overlay folder: $XDG_CONFIG_HOME/ecoest/hwdb, else
   $HOME/.config/ecoest/hwdb (est_fs_xdg_dir: a relative XDG_CONFIG_HOME is
   ignored, as the XDG Base Directory spec requires). Returns 0 or -1
   (message printed). */
static int user_dir(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    unsigned notes = 0;
    est_error e;
    if (est_fs_xdg_dir(buf, size, EST_FS_XDG_CONFIG, xdg, getenv("HOME"), "hwdb", &notes,
                       &e)) {
        cli_msg("hwdb add: %s", e.message);
        return -1;
    }
    if (notes & EST_FS_XDG_RELATIVE_IGNORED)
        cli_msg("hwdb add: XDG_CONFIG_HOME=\"%s\" is not an absolute path: ignored (XDG Base "
                "Directory spec), using $HOME/.config", xdg);
    return 0;
}

/* Prints a problem of the new overlay file. */
static void add_problem(const est_hwdb_problem *p, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "ecoest: hwdb add: %s\n", p->message);
}

/* The shipped rows alone, quietly; NULL when they cannot be opened. */
static est_hwdb *open_shipped(void)
{
    est_hwdb_options o = EST_HWDB_OPTIONS_INIT;
    const char *data = cli_data_dir();
    char shipped[PATH_MAX + 8];
    est_hwdb *db = NULL;
    if (!data)
        return NULL;
    snprintf(shipped, sizeof shipped, "%s/hwdb", data);
    o.shipped_dir = shipped;
    return est_hwdb_open(&db, &o, NULL) == 0 ? db : NULL;
}

/* Appends ent to the user's overlay file (est_hwdb_append: locked, atomic,
   validated) and says so, and whether it overrides a shipped row. */
static int add_to_overlay(const est_hwdb_entry *ent)
{
    int gpu = ent->kind == EST_HWDB_GPU, rc;
    char dir[PATH_MAX], path[PATH_MAX + 16], w[32], a[32];
    size_t problems = 0;
    est_hwdb *db;
    est_hwdb_match m;
    est_error e;
    if (user_dir(dir, sizeof dir))
        return CLI_EX_USAGE;
    snprintf(path, sizeof path, "%s/%s", dir, gpu ? "gpu.csv" : "cpu.csv");
    if (est_fs_mkdir_p(dir, 0755, &e)) {
        cli_msg("hwdb add: %s", e.message);
        return CLI_EX_IOERR;
    }
    rc = est_hwdb_append(path, ent, add_problem, NULL, &problems, &e);
    if (rc) {
        if (!problems)
            cli_msg("hwdb add: %s", e.message);
        if (rc == EST_EPARSE)
            cli_msg("hwdb add: nothing written: %s is unchanged", path);
        return cli_exit_for(rc);
    }
    cli_num(w, sizeof w, ent->tdp_w);
    cli_num(a, sizeof a, ent->die_area_cm2);
    cli_msg("added %s \"%s\" (%s W%s%s%s) to %s", gpu ? "GPU" : "CPU", ent->model, w,
            die_area_known(ent) ? ", die area " : "", die_area_known(ent) ? a : "",
            die_area_known(ent) ? " cm2" : "", path);
    db = open_shipped();
    if (db && est_hwdb_resolve(&m, db, ent->kind, ent->model, NULL) == 0 &&
        m.how == EST_HWDB_EXACT) {
        cli_msg("it overrides the shipped row \"%s\" (%s)", m.entry.model, m.entry.origin);
        if (die_area_known(&m.entry) && !die_area_known(ent)) {
            /* the override replaces the whole row, die area included */
            cli_num(a, sizeof a, m.entry.die_area_cm2);
            cli_msg("the shipped row's die area, %s cm2, is not kept: the embodied share takes "
                    "the class default (give --die-area to keep a die area)", a);
        }
    }
    est_hwdb_free(db);
    return CLI_EX_OK;
}

static int cmd_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cpu", no_argument, NULL, O_CPU}, {"gpu", no_argument, NULL, O_GPU},
        {"tdp", required_argument, NULL, O_TDP}, {"cores", required_argument, NULL, O_CORES},
        {"threads", required_argument, NULL, O_THREADS}, {"idle", required_argument, NULL, O_IDLE},
        {"die-area", required_argument, NULL, O_DIE},
        {"memory-gb", required_argument, NULL, O_MEMORY},
        {"form-factor", required_argument, NULL, O_FORM},
        {"vendor", required_argument, NULL, O_VENDOR}, {"year", required_argument, NULL, O_YEAR},
        {"source", required_argument, NULL, O_SOURCE}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    est_hwdb_entry ent;
    est_error e;
    int c, kind = -1, have_tdp = 0, have_die = 0;
    est_hwdb_entry_rule rule;
    const char *model = NULL, *vendor = "", *source = "user", *form = "", *die_arg = NULL;
    double v;
    unsigned u;
    memset(&ent, 0, sizeof ent);
    ent.idle_w = EST_UNSET;
    opterr = 0;
    optind = 1;
#define NUM(opt, dst)                                                                   \
    do {                                                                                \
        if (cli_opt_number("hwdb add: " opt, optarg, &v))                               \
            return CLI_EX_USAGE;                                                        \
        dst = v;                                                                        \
    } while (0)
#define COUNT(opt, dst)                                                                 \
    do {                                                                                \
        if (cli_opt_count("hwdb add: " opt, optarg, &u))                                \
            return CLI_EX_USAGE;                                                        \
        dst = u;                                                                        \
    } while (0)
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_CPU: case O_GPU:
            if (kind >= 0 && kind != (c == O_GPU)) {
                cli_msg("hwdb add: give --cpu or --gpu, not both");
                return CLI_EX_USAGE;
            }
            kind = c == O_GPU;
            break;
        case O_TDP: NUM("--tdp", ent.tdp_w); have_tdp = 1; break;
        case O_CORES: COUNT("--cores", ent.cores); break;
        case O_THREADS: COUNT("--threads", ent.threads); break;
        case O_DIE: NUM("--die-area", ent.die_area_cm2); have_die = 1; die_arg = optarg; break;
        case O_IDLE: NUM("--idle", ent.idle_w); break;
        case O_MEMORY: NUM("--memory-gb", ent.memory_gb); break;
        case O_YEAR: COUNT("--year", ent.year); break;
        case O_VENDOR: vendor = optarg; break;
        case O_SOURCE: source = optarg; break;
        case O_FORM: form = optarg; break;
        case 'h': return print_help(add_usage);
        case ':': cli_msg("hwdb add: %s: missing value", argv[optind - 1]); return CLI_EX_USAGE;
        default: return bad_option(argv, "add");
        }
    }
#undef NUM
#undef COUNT
    if (kind < 0) {
        cli_msg("hwdb add: give --cpu or --gpu (see ecoest hwdb add --help)");
        return CLI_EX_USAGE;
    }
    if (optind + 1 != argc) {
        cli_msg("hwdb add: give exactly one MODEL (quote names with spaces)");
        return CLI_EX_USAGE;
    }
    model = argv[optind];
    if (!have_tdp) {
        cli_msg("hwdb add: --tdp W is required");
        return CLI_EX_USAGE;
    }
    /* the entry's kind rules are the library's; the messages name our options
       (--cores takes a count >= 1: cores 0 is --cores not given) */
    ent.kind = (est_hwdb_kind)kind;
    snprintf(ent.model, sizeof ent.model, "%s", model);
    snprintf(ent.form_factor, sizeof ent.form_factor, "%s", form);
    rule = est_hwdb_entry_kind_rule(&ent);
    if (rule == EST_HWDB_RULE_CPU_NEEDS_CORES) {
        cli_msg("hwdb add: a CPU needs --cores N");
        return CLI_EX_USAGE;
    }
    if (rule == EST_HWDB_RULE_GPU_ONLY_FIELD) {
        cli_msg("hwdb add: --idle, --memory-gb and --form-factor are for GPUs");
        return CLI_EX_USAGE;
    }
    if (rule == EST_HWDB_RULE_CPU_ONLY_FIELD) {
        cli_msg("hwdb add: --cores and --threads are for CPUs");
        return CLI_EX_USAGE;
    }
    if (have_die && ent.die_area_cm2 == 0.0) {
        /* 0 is the entry's "unknown", which est_hwdb_check_entry accepts; a
           written 0 is refused, as in a CSV row (docs/hwdb.md) */
        char top[32];
        cli_num(top, sizeof top, EST_HWDB_DIE_AREA_MAX_CM2);
        cli_msg("hwdb add: --die-area: must be a die area above 0 and at most %s cm2, got \"%s\" "
                "(leave --die-area out when it is not known)", top, die_arg);
        return CLI_EX_DATAERR;
    }
    if (strlen(model) >= sizeof ent.model || strlen(vendor) >= sizeof ent.vendor ||
        strlen(source) >= sizeof ent.source || strlen(form) >= sizeof ent.form_factor) {
        cli_msg("hwdb add: a value is too long (model %zu, vendor %zu, form factor %zu, source "
                "%zu bytes at most)", sizeof ent.model - 1, sizeof ent.vendor - 1,
                sizeof ent.form_factor - 1, sizeof ent.source - 1);
        return CLI_EX_DATAERR;
    }
    if (rule == EST_HWDB_RULE_RESERVED_NAME) {
        cli_msg("hwdb add: \"%s\" cannot be a model name: --%s auto detects this machine's "
                "%s; give the model's name", model, kind ? "gpu" : "cpu",
                kind ? "GPUs" : "CPU");
        return CLI_EX_USAGE;
    }
    snprintf(ent.vendor, sizeof ent.vendor, "%s", vendor);
    snprintf(ent.source, sizeof ent.source, "%s", source);
    snprintf(ent.form_factor, sizeof ent.form_factor, "%s", form);
    if (est_hwdb_check_entry(&ent, &e)) {
        cli_msg("hwdb add: %s", e.message);
        return CLI_EX_DATAERR;
    }

    return add_to_overlay(&ent);
}

/* --------------------------------------------------------------- validate */

typedef struct val_ctx {
    size_t n;
} val_ctx;

static void print_problem(const est_hwdb_problem *p, void *ctx)
{
    val_ctx *v = ctx;
    v->n++;
    if (p->line && p->column)
        fprintf(stderr, "%s:%lu:%u: ", p->file, p->line, p->column);
    else if (p->line)
        fprintf(stderr, "%s:%lu: ", p->file, p->line);
    else
        fprintf(stderr, "%s: ", p->file);
    if (p->column_name[0])
        fprintf(stderr, "column %s: ", p->column_name);
    fprintf(stderr, "%s\n", p->detail);
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cpu", no_argument, NULL, O_CPU}, {"gpu", no_argument, NULL, O_GPU},
        {"aliases", no_argument, NULL, O_ALIASES}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    est_hwdb_file kind = EST_HWDB_FILE_AUTO;
    est_hwdb *db = NULL;
    int c, rc = CLI_EX_OK, db_tried = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_CPU: kind = EST_HWDB_FILE_CPU; break;
        case O_GPU: kind = EST_HWDB_FILE_GPU; break;
        case O_ALIASES: kind = EST_HWDB_FILE_ALIASES; break;
        case 'h': return print_help(validate_usage);
        default: return bad_option(argv, "validate");
        }
    }
    if (optind >= argc) {
        cli_msg("hwdb validate: give at least one FILE (see --help)");
        return CLI_EX_USAGE;
    }
    for (; optind < argc; optind++) {
        const char *file = argv[optind];
        val_ctx v = {0};
        est_error e;
        size_t n = 0;
        int r;
        /* aliases must name models of the database: open it once, quietly */
        if (!db_tried) {
            db_tried = 1;
            db = open_shipped();
        }
        r = est_hwdb_validate_file(file, kind, db, print_problem, &v, &n, &e);
        if (r == EST_EPARSE) {
            cli_msg("%s: %zu problem%s", file, n, n == 1 ? "" : "s");
            if (rc == CLI_EX_OK)
                rc = CLI_EX_DATAERR;
        } else if (r) {
            cli_msg("%s", e.message);
            rc = cli_exit_for(r);
        } else {
            cli_msg("%s: no problems", file);
        }
    }
    est_hwdb_free(db);
    return rc;
}

int cli_hwdb_main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (!cmd) {
        fputs(hwdb_usage, stderr);
        return CLI_EX_USAGE;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0)
        return print_help(hwdb_usage);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(cmd, "add") == 0)
        return cmd_add(argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 1, argv + 1);
    cli_msg("hwdb: unknown command \"%s\" (list, show, add, validate; see ecoest hwdb --help)",
            cmd);
    return CLI_EX_USAGE;
}
