/* ecoest jobs: the footprint of Slurm jobs from sacct records. Parses the
 * arguments, runs sacct when asked (process launching is the program's
 * business, never the library's), feeds libestimate's jobs reader, and
 * renders text, JSON or CSV. Every number comes from the library. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <grp.h>
#include <math.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "carbon_live.h"
#include "cli.h"
#include "live.h"
#include "paths.h"
#include "report.h"
#include "html_jobs.h"
#include "tz.h"

/* The columns --sacct asks for (no free-text column that may hold '|'). */
#define JOBS_SACCT_FORMAT                                                      \
    "JobID,UID,User,Account,Partition,Submit,Start,End,Elapsed,State,"         \
    "ExitCode,NNodes,NCPUS,TotalCPU,CPUTime,ReqMem,MaxRSS,AllocTRES,"          \
    "TRESUsageInTot,ConsumedEnergyRaw,NodeList"

#define SACCT_ARGS_MAX 64

static const char usage_text[] =
    "Usage: ecoest jobs [OPTIONS] FILE...       sacct --parsable2 output ('-': stdin)\n"
    "       ecoest jobs --sacct [OPTIONS] [-- SACCT-ARGS]\n"
    "\n"
    "The energy and carbon footprint of Slurm jobs, one job at a time through the\n"
    "estimate model, summed by group (docs/cluster.md).\n"
    "\n"
    "Input:\n"
    "  --sacct                  run sacct with the columns ecoest needs\n"
    "  -S, --starttime TIME     sacct window start (passed to sacct)\n"
    "  -E, --endtime TIME       sacct window end (passed to sacct)\n"
    "  -u, --user LIST          users (passed to sacct)\n"
    "  -A, --account LIST       accounts (passed to sacct)\n"
    "  -a, --allusers           every user's jobs (passed to sacct)\n"
    "  -j, --jobs LIST          job ids (passed to sacct)\n"
    "  --dry-run                print the sacct command line and stop\n"
    "  --input-tz ZONE          zone of the times in FILE: UTC (default), +01:00\n"
    "  --running count|skip     running jobs: counted up to now (default) or left out\n"
    "  --skip-bad-rows          count malformed rows, and jobs on a partition without\n"
    "                           CPU (or GPU) power, instead of stopping (exit 65)\n"
    "\n";

/* The rest of the help (C99 guarantees string literals of 4,095 bytes). */
static const char usage_text2[] =
    "The cluster:\n"
    "  --cluster FILE           partitions: GreenAlgorithms4HPC's cluster_info.yaml\n"
    "                           or ecoest's form (docs/cluster.md)\n"
    "  --cpu MODEL              default CPU (hwdb name) for partitions not in FILE\n"
    "  --cpu-tdp-per-core W     default TDP per core\n"
    "  --gpu MODEL              default GPU (hwdb name)\n"
    "  --gpu-tdp W              default GPU TDP\n"
    "  --pue X                  default PUE (default: the file's, else 1.67)\n"
    "  --zone CODE              default zone (default: the file's, else WORLD)\n"
    "  --ci G                   carbon intensity for every job, gCO2e/kWh\n"
    "  --memory-w-per-gb W      memory power per GB (default 0.3725), or a named\n"
    "                           figure: ga, ccf, energystar-v3-draft2\n"
    "  --cpu-power-model tdp|curve  CPU power: cores x TDP per core x usage\n"
    "                           (default), or the curve of the partition's CPU\n"
    "                           family in cpu_power_curves.csv, with its idle floor\n"
    "  --include-embodied       add each job's embodied share (the manufacturing of\n"
    "                           the hardware it holds, carbon/embodied.csv) to the\n"
    "                           CO2e; without it the share is shown beside\n"
    "\n"
    "Carbon of each job's own window (partitions with a zone):\n"
    "  --live                   the grid's intensity over each job's window, fetched\n"
    "                           once per UTC day and cached (RTE for FR, else\n"
    "                           Electricity Maps)\n"
    "  --offline                the day cache only, never the network\n"
    "  --provider rte|electricitymaps  live source (default: rte for FR)\n"
    "  --strict                 fail (exit 69) when a job's window has no intensity\n"
    "                           instead of using the zone's annual average\n"
    "  --factors SET            RTE emission factors: ipcc2014 (default) or direct\n"
    "  --timeout S              seconds one day's fetch may take (default 30)\n"
    "\n"
    "Report:\n"
    "  --method ecoest|ga4hpc   ecoest's accounting (default) or GreenAlgorithms4HPC's\n"
    "  --scope process|allocation|node  headline scope (default process); node:\n"
    "                           the job's whole nodes (the partition's node data)\n"
    "  --by KEYS                groups: user, account, partition, state, day, month,\n"
    "                           combined with commas (user,month)\n"
    "  --tz ZONE                days and months in this zone: UTC (default), +02:00,\n"
    "                           or a zone name (Europe/Paris) with its summer time\n"
    "  --top N                  show the N largest groups (by energy)\n"
    "  --per-job                one CSV row or JSON line per job instead of totals\n"
    "  --format text|json|csv|html  output format (default text); html: one\n"
    "                           self-contained page, energy per group stacked by state\n"
    "  --output FILE            write to FILE (atomically) instead of stdout\n"
    "\n"
    "At the end of each job (Slurm's EpilogSlurmctld; docs/cluster.md):\n"
    "  --epilog                 the footprint of job $SLURM_JOB_ID (from sacct), as\n"
    "                           one JSON line appended to --log under a lock\n"
    "  --log FILE               the site log the --epilog line is appended to\n"
    "  --wait S                 seconds --epilog waits for sacct to show the job\n"
    "                           finished (default 30; 0: one look)\n"
    "  --job-report             --epilog also writes ecoest-JOBID.txt into the job's\n"
    "                           working directory, as the job's user\n"
    "  -h, --help               this help\n";

enum {
    O_SACCT = 1000, O_DRY_RUN, O_INPUT_TZ, O_RUNNING, O_SKIP_BAD, O_CLUSTER, O_CPU,
    O_CPU_TDP_CORE, O_GPU, O_GPU_TDP, O_PUE, O_ZONE, O_CI, O_MEM_W, O_METHOD, O_SCOPE,
    O_BY, O_TZ, O_TOP, O_PER_JOB, O_FORMAT, O_EPILOG, O_LOG, O_WAIT, O_JOB_REPORT,
    O_OUTPUT, O_LIVE, O_OFFLINE, O_PROVIDER, O_STRICT, O_FACTORS, O_TIMEOUT,
    O_INCLUDE_EMBODIED, O_CPU_POWER_MODEL
};

static const struct option long_opts[] = {
    {"sacct", no_argument, NULL, O_SACCT},
    {"starttime", required_argument, NULL, 'S'},
    {"endtime", required_argument, NULL, 'E'},
    {"user", required_argument, NULL, 'u'},
    {"account", required_argument, NULL, 'A'},
    {"allusers", no_argument, NULL, 'a'},
    {"jobs", required_argument, NULL, 'j'},
    {"dry-run", no_argument, NULL, O_DRY_RUN},
    {"input-tz", required_argument, NULL, O_INPUT_TZ},
    {"running", required_argument, NULL, O_RUNNING},
    {"skip-bad-rows", no_argument, NULL, O_SKIP_BAD},
    {"cluster", required_argument, NULL, O_CLUSTER},
    {"cpu", required_argument, NULL, O_CPU},
    {"cpu-tdp-per-core", required_argument, NULL, O_CPU_TDP_CORE},
    {"gpu", required_argument, NULL, O_GPU},
    {"gpu-tdp", required_argument, NULL, O_GPU_TDP},
    {"pue", required_argument, NULL, O_PUE},
    {"zone", required_argument, NULL, O_ZONE},
    {"ci", required_argument, NULL, O_CI},
    {"memory-w-per-gb", required_argument, NULL, O_MEM_W},
    {"include-embodied", no_argument, NULL, O_INCLUDE_EMBODIED},
    {"cpu-power-model", required_argument, NULL, O_CPU_POWER_MODEL},
    {"method", required_argument, NULL, O_METHOD},
    {"scope", required_argument, NULL, O_SCOPE},
    {"by", required_argument, NULL, O_BY},
    {"tz", required_argument, NULL, O_TZ},
    {"top", required_argument, NULL, O_TOP},
    {"per-job", no_argument, NULL, O_PER_JOB},
    {"format", required_argument, NULL, O_FORMAT},
    {"epilog", no_argument, NULL, O_EPILOG},
    {"log", required_argument, NULL, O_LOG},
    {"wait", required_argument, NULL, O_WAIT},
    {"job-report", no_argument, NULL, O_JOB_REPORT},
    {"output", required_argument, NULL, O_OUTPUT},
    {"live", no_argument, NULL, O_LIVE},
    {"offline", no_argument, NULL, O_OFFLINE},
    {"provider", required_argument, NULL, O_PROVIDER},
    {"strict", no_argument, NULL, O_STRICT},
    {"factors", required_argument, NULL, O_FACTORS},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* --live / --offline: the carbon library's day source (ecoest/carbon.h)
   asks for each zone's UTC days once and keeps them for the run; each day
   comes through a carbon context of the zone's (environment, module, the
   day cache on disk, which spares the network on later runs). */
typedef struct live_ctx {
    char code[EST_ZONE_CODE_MAX];
    cli_carbon_ctx *ctx;
    int refused;           /* refused before any window: not asked again */
    est_error refusal;
} live_ctx;

typedef struct jobs_live {
    cli_carbon_opts co;
    const est_zones *zones;
    est_carbon_day_source *days; /* opened at the first window */
    live_ctx *ctx;
    size_t n_ctx;
    /* the day source's figures, for the report */
    unsigned long requests;
    unsigned long days_asked, days_without_data;
    char first_failure[EST_ERROR_MESSAGE_MAX];
    int exit_status;       /* --strict: a day that could not be had */
} jobs_live;

typedef struct jobs_cli {
    int sacct, dry_run, per_job;
    int epilog, ep_found;
    const char *log_path;
    double wait_s;
    int job_report;
    est_job ep_job;
#define EP_PARTS_MAX 16
    est_job ep_parts[EP_PARTS_MAX]; /* the job's rows: one, or its components */
    unsigned ep_n;
    char ep_id[EST_JOB_ID_MAX];
    const char *sacct_args[SACCT_ARGS_MAX];
    size_t n_sacct_args;
    const char *cluster_file, *by, *zone;
    est_cluster_options co;
    est_jobs_read_options ro;
    est_jobs_account_options ao;
    est_jobs_agg_options go;
    unsigned top;
    cli_format format;
    int format_given;   /* --format was given */
    const char *output; /* --output FILE, or NULL: stdout */
    char **files;
    size_t n_files;
    /* running state */
    est_cluster *cluster;
    est_jobs_agg *agg;
    cli_buf out;           /* per-job rows, flushed as they fill */
    int out_failed;
    unsigned long long n_left_out; /* --per-job: jobs the method left out */
    unsigned long long n_cpu_time_unknown; /* --per-job: sacct -X jobs */
    const char *cur_name;          /* the input being read, for messages */
    unsigned long long n_bad_jobs; /* jobs skipped as bad rows (accounting) */
    unsigned long long n_bad_running; /* ... of them, running ones */
    char first_bad_job[EST_ERROR_MESSAGE_MAX];
    est_error job_err;
    int job_rc;
    int progress;          /* stderr is a terminal: a progress line */
    unsigned long long n_jobs;
    jobs_live live;
} jobs_cli;

static const char *tz_dir(void)
{
    const char *dir = getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

/* --input-tz: a fixed offset only (sacct's times carry no zone rules).
   Returns 0 or -1 (message printed). */
static int setup_input_tz(jobs_cli *c, const char *tz)
{
    if (cli_tz_parse(tz, tz_dir(), &c->ro.input_utc_offset_s) == 0)
        return 0;
    cli_msg("--input-tz: expected UTC or a fixed offset like +01:00, got \"%s\"", tz);
    return -1;
}

/* --tz: a fixed offset, or a zone name (Europe/Paris) with its daylight
   saving (cli/tz.c). Returns 0 or -1 (message printed). */
static int setup_tz(jobs_cli *c, const char *tz)
{
    int kind = cli_tz_parse(tz, tz_dir(), &c->go.day_utc_offset_s);
    if (kind == 0) {
        c->go.utc_offset_at = NULL;
        return 0;
    }
    if (kind < 0) {
        cli_msg("--tz: expected UTC, an offset like +01:00, or a zone name like "
                "Europe/Paris (a TZif file under %s), got \"%s\"", tz_dir(), tz);
        return -1;
    }
    if (cli_tz_set_zone(tz) != 0)
        return -1;
    c->go.utc_offset_at = cli_tz_offset_at_utc;
    c->go.utc_offset_user = NULL;
    return 0;
}

static int add_sacct_arg(jobs_cli *c, const char *a)
{
    if (c->n_sacct_args >= SACCT_ARGS_MAX - 8) {
        cli_msg("too many sacct arguments (at most %d)", SACCT_ARGS_MAX - 8);
        return -1;
    }
    c->sacct_args[c->n_sacct_args++] = a;
    return 0;
}

static int parse_args(jobs_cli *c, int argc, char **argv)
{
    int ch;
    double v;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":hS:E:u:A:aj:", long_opts, NULL)) != -1) {
        switch (ch) {
        case 'h': fputs(usage_text, stdout); fputs(usage_text2, stdout); return -2;
        case O_SACCT: c->sacct = 1; break;
        case 'S': if (add_sacct_arg(c, "-S") || add_sacct_arg(c, optarg)) return -1; break;
        case 'E': if (add_sacct_arg(c, "-E") || add_sacct_arg(c, optarg)) return -1; break;
        case 'u': if (add_sacct_arg(c, "-u") || add_sacct_arg(c, optarg)) return -1; break;
        case 'A': if (add_sacct_arg(c, "-A") || add_sacct_arg(c, optarg)) return -1; break;
        case 'j': if (add_sacct_arg(c, "-j") || add_sacct_arg(c, optarg)) return -1; break;
        case 'a': if (add_sacct_arg(c, "--allusers")) return -1; break;
        case O_DRY_RUN: c->dry_run = 1; break;
        case O_INPUT_TZ:
            if (setup_input_tz(c, optarg)) return -1;
            break;
        case O_RUNNING:
            if (strcmp(optarg, "count") == 0) c->ro.running = EST_JOBS_RUNNING_COUNT;
            else if (strcmp(optarg, "skip") == 0) c->ro.running = EST_JOBS_RUNNING_SKIP;
            else { cli_msg("--running: expected count or skip, got \"%s\"", optarg); return -1; }
            break;
        case O_SKIP_BAD: c->ro.skip_bad_rows = 1; break;
        case O_CLUSTER: c->cluster_file = optarg; break;
        case O_CPU: c->co.cpu_model = optarg; break;
        case O_CPU_TDP_CORE:
            if (cli_opt_number("--cpu-tdp-per-core", optarg, &v)) return -1;
            c->co.cpu_tdp_per_core_w = v;
            break;
        case O_GPU: c->co.gpu_model = optarg; break;
        case O_GPU_TDP:
            if (cli_opt_number("--gpu-tdp", optarg, &v)) return -1;
            c->co.gpu_tdp_w = v;
            break;
        case O_PUE:
            if (cli_opt_number("--pue", optarg, &v)) return -1;
            c->co.pue = v;
            break;
        case O_ZONE: c->co.zone = optarg; break;
        case O_CI:
            if (cli_opt_number("--ci", optarg, &v)) return -1;
            c->co.ci_g_co2e_per_kwh = v;
            break;
        case O_MEM_W: {
            const char *src; /* a named figure's source (docs/method.md names it) */
            char buf[EST_ERROR_MESSAGE_MAX];
            if (cli_opt_memory_w(optarg, &v, &src, buf, sizeof buf)) return -1;
            c->ao.memory_w_per_gb = v;
            break;
        }
        case O_INCLUDE_EMBODIED: c->ao.include_embodied = 1; break;
        case O_CPU_POWER_MODEL:
            if (est_model_cpu_power_parse(&c->ao.cpu_power_model, optarg)) {
                cli_msg("--cpu-power-model: expected tdp or curve, got \"%s\"", optarg);
                return -1;
            }
            break;
        case O_METHOD:
            if (strcmp(optarg, "ecoest") == 0) c->ao.method = EST_JOBS_METHOD_ECOEST;
            else if (strcmp(optarg, "ga4hpc") == 0) c->ao.method = EST_JOBS_METHOD_GA4HPC;
            else { cli_msg("--method: expected ecoest or ga4hpc, got \"%s\"", optarg); return -1; }
            break;
        case O_SCOPE:
            if (est_model_scope_parse(&c->ao.scope, optarg)) {
                cli_msg("--scope: expected process, allocation or node, got \"%s\"", optarg);
                return -1;
            }
            break;
        case O_BY:
            if (est_jobs_by_parse(&c->go.keys, optarg)) {
                cli_msg("--by: expected user, account, partition, state, day or month "
                        "(comma-separated, each once, not both day and month), got \"%s\"",
                        optarg);
                return -1;
            }
            c->by = optarg;
            break;
        case O_TZ:
            if (setup_tz(c, optarg)) return -1;
            break;
        case O_TOP:
            if (cli_opt_count("--top", optarg, &c->top)) return -1;
            break;
        case O_PER_JOB: c->per_job = 1; break;
        case O_FORMAT:
            if (cli_parse_format_html(optarg, &c->format)) return -1;
            c->format_given = 1;
            break;
        case O_OUTPUT: c->output = optarg; break;
        case O_LIVE: case O_OFFLINE: case O_PROVIDER: case O_STRICT: case O_FACTORS:
        case O_TIMEOUT:
            if (cli_carbon_set_option(&c->live.co,
                                      ch == O_LIVE ? CLI_CO_LIVE : ch == O_OFFLINE ? CLI_CO_OFFLINE
                                      : ch == O_PROVIDER ? CLI_CO_PROVIDER
                                      : ch == O_STRICT ? CLI_CO_STRICT
                                      : ch == O_FACTORS ? CLI_CO_FACTORS : CLI_CO_TIMEOUT,
                                      optarg))
                return -1;
            break;
        case O_EPILOG: c->epilog = 1; break;
        case O_LOG: c->log_path = optarg; break;
        case O_JOB_REPORT: c->job_report = 1; break;
        case O_WAIT:
            if (cli_opt_number("--wait", optarg, &c->wait_s)) return -1;
            break;
        case ':': cli_msg("%s: needs a value", argv[optind - 1]); return -1;
        default:
            cli_msg("unknown option \"%s\" (see ecoest jobs --help)", argv[optind - 1]);
            return -1;
        }
    }
    /* after "--": sacct's own arguments; before it: files */
    {
        int i, dd = 0;
        for (i = 1; i < optind; i++)
            if (strcmp(argv[i], "--") == 0)
                dd = 1;
        if (dd) { /* getopt consumed "--": everything left goes to sacct */
            if (!c->sacct) {
                cli_msg("arguments after -- are sacct's: they need --sacct");
                return -1;
            }
            for (i = optind; i < argc; i++)
                if (add_sacct_arg(c, argv[i]))
                    return -1;
        } else {
            c->files = argv + optind;
            c->n_files = (size_t)(argc - optind);
        }
    }
    if (c->epilog) {
        if (!c->log_path || c->n_files || c->per_job || c->by || c->dry_run) {
            cli_msg("--epilog needs --log FILE, and takes no FILE, --per-job, --by or --dry-run");
            return -1;
        }
        c->sacct = 1; /* the job's rows come from sacct */
        return 0;
    }
    if (c->ao.cpu_power_model == EST_MODEL_CPU_POWER_CURVE &&
        c->ao.method == EST_JOBS_METHOD_GA4HPC) {
        cli_msg("--cpu-power-model curve: --method ga4hpc reproduces GreenAlgorithms4HPC's "
                "figures (TDP x CPU time), which take no curve");
        return -1;
    }
    /* the zones come from the cluster: --live needs no --zone here */
    if (cli_carbon_check(&c->live.co, 1))
        return -1;
    if (c->log_path || c->job_report) {
        cli_msg("--log and --job-report belong to --epilog: they need it");
        return -1;
    }
    if (c->sacct && c->n_files) {
        cli_msg("--sacct reads sacct's output: give no FILE (sacct's own arguments go after --)");
        return -1;
    }
    if (!c->sacct && c->n_sacct_args) {
        cli_msg("-S, -E, -u, -A, --allusers and -j are passed to sacct: they need --sacct");
        return -1;
    }
    if (!c->sacct && c->dry_run) {
        cli_msg("--dry-run prints the sacct command: it needs --sacct");
        return -1;
    }
    if (!c->sacct && !c->n_files) {
        cli_msg("no input: give sacct --parsable2 files ('-' for stdin) or --sacct");
        return -1;
    }
    if (c->per_job && c->format_given &&
        (c->format == CLI_FORMAT_TEXT || c->format == CLI_FORMAT_HTML)) {
        cli_msg("--per-job writes CSV (the default) or JSON lines, not %s",
                c->format == CLI_FORMAT_TEXT ? "text" : "html");
        return -1;
    }
    if (c->per_job)
        c->format = c->format == CLI_FORMAT_JSON ? CLI_FORMAT_JSON : CLI_FORMAT_CSV;
    if (c->per_job && (c->by || c->top)) {
        cli_msg("--per-job writes every job: it does not combine with --by or --top");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------- live */

/* The carbon context of zone z's days (its provider, its source). */
static live_ctx *live_ctx_of(jobs_live *l, const est_zone *z)
{
    size_t i;
    live_ctx *nc;
    for (i = 0; i < l->n_ctx; i++)
        if (strcmp(l->ctx[i].code, z->code) == 0)
            return &l->ctx[i];
    if (!(nc = realloc(l->ctx, (l->n_ctx + 1) * sizeof *nc)))
        return NULL;
    l->ctx = nc;
    nc += l->n_ctx;
    memset(nc, 0, sizeof *nc);
    snprintf(nc->code, sizeof nc->code, "%s", z->code);
    if (!(nc->ctx = cli_carbon_ctx_new(&l->co)))
        return NULL;
    l->n_ctx++;
    return nc;
}

/* est_carbon_day_fetch_fn: one UTC day through the zone's carbon context.
   A context that refused before any window (its message printed once) is
   not asked again; --strict: a day without data is exit 69. */
static int live_fetch(void *user, const est_zone *z, double start_unix_s, double end_unix_s,
                      est_intensity_answer *a, const est_carbon_summary **summary,
                      est_error *err)
{
    jobs_live *l = user;
    live_ctx *x = live_ctx_of(l, z);
    const est_carbon_summary *before;
    int rc;
    if (!x)
        return err->code = EST_ENOMEM;
    if (x->refused) {
        *err = x->refusal;
        return err->code;
    }
    before = cli_carbon_ctx_last(x->ctx);
    rc = cli_carbon_intensity(x->ctx, z, start_unix_s, end_unix_s, a, err);
    if (cli_carbon_ctx_last(x->ctx) != before)
        *summary = cli_carbon_ctx_last(x->ctx);
    if (rc && cli_carbon_ctx_status(x->ctx)) {
        x->refused = 1;
        x->refusal = *err;
        x->refusal.code = rc;
        l->exit_status = cli_carbon_ctx_status(x->ctx);
    } else if (rc && l->co.strict) {
        l->exit_status = CLI_EX_UNAVAILABLE;
    }
    return rc;
}

/* The est_intensity_fn of --live / --offline: the day source's answer, its
   figures kept for the report. */
static int live_provider(void *user, const est_zone *z, double start_unix_s, double end_unix_s,
                         est_intensity_answer *a, est_error *err)
{
    jobs_live *l = user;
    const est_carbon_day_stats *st;
    int rc;
    if (!l->days) {
        est_carbon_day_source_options o = EST_CARBON_DAY_SOURCE_OPTIONS_INIT;
        o.fetch = live_fetch;
        o.fetch_user = l;
        o.zones = l->zones;
        o.strict = l->co.strict;
        if ((rc = est_carbon_day_source_open(&l->days, &o, err)) != 0)
            return rc;
    }
    rc = est_carbon_day_source_intensity(l->days, z, start_unix_s, end_unix_s, a, err);
    st = est_carbon_day_source_stats(l->days);
    l->requests = st->requests;
    l->days_asked = st->days_asked;
    l->days_without_data = st->days_without_data;
    snprintf(l->first_failure, sizeof l->first_failure, "%s", st->first_failure);
    return rc;
}

static void live_free(jobs_live *l)
{
    size_t i;
    est_carbon_day_source_free(l->days);
    for (i = 0; i < l->n_ctx; i++)
        cli_carbon_ctx_free(l->ctx[i].ctx);
    free(l->ctx);
}

/* ------------------------------------------------------------- per job */

static void fmt_time(char *buf, size_t size, int has, double t)
{
    if (!has || est_format_time(buf, size, t) != 0)
        buf[0] = '\0';
}

/* Numbers in CSV and JSON: the shortest digits that read back to the same
   double (cli_num), as every other report prints them. */
static void num(cli_buf *b, double v, const char *sep)
{
    char t[40];
    if (v < 0.0 && v == EST_UNSET) {
        cli_buf_puts(b, "");
    } else {
        cli_num(t, sizeof t, v == 0.0 ? 0.0 : v);
        cli_buf_puts(b, t);
    }
    if (sep)
        cli_buf_puts(b, sep);
}

static void json_num(cli_buf *b, const char *key, double v, int last)
{
    if (v == EST_UNSET)
        cli_buf_printf(b, "\"%s\":null%s", key, last ? "" : ",");
    else {
        char t[40];
        cli_num(t, sizeof t, v == 0.0 ? 0.0 : v);
        cli_buf_printf(b, "\"%s\":%s%s", key, t, last ? "" : ",");
    }
}

/* "key":"value", with the value escaped as JSON wants. */
static void json_str(cli_buf *b, const char *key, const char *v)
{
    cli_buf_printf(b, "\"%s\":\"", key);
    for (; *v; v++) {
        unsigned char ch = (unsigned char)*v;
        if (ch == '"' || ch == '\\')
            cli_buf_printf(b, "\\%c", ch);
        else if (ch < 0x20)
            cli_buf_printf(b, "\\u%04x", ch);
        else
            cli_buf_printf(b, "%c", ch);
    }
    cli_buf_puts(b, "\",");
}

static const char per_job_header[] =
    "job_id,user,account,partition,state,start,end,elapsed_s,cpus,gpus,"
    "cpu_usage_frac,mem_req_gb,mem_used_gb,cpu_kwh,gpu_kwh,memory_kwh,energy_kwh,"
    "co2e_g,measured_kwh,estimated_kwh,measured_gap_kwh,ci_g_co2e_per_kwh,"
    "embodied_co2e_g\n";

/* The elapsed time, CPU and GPU counts and the memory columns are the
   method's reading (est_jobs_footprint: under --method ga4hpc
   GreenAlgorithms4HPC's, the largest over the job's rows, decimal sizes,
   gres/gpu=N only), as the energies are. */
static void per_job_row(jobs_cli *c, const est_job *j, const est_jobs_footprint *fp)
{
    char st[EST_TIME_FORMAT_SIZE], en[EST_TIME_FORMAT_SIZE];
    cli_buf *b = &c->out;
    int ga = c->ao.method == EST_JOBS_METHOD_GA4HPC;
    fmt_time(st, sizeof st, j->has_start, j->start_unix_s);
    fmt_time(en, sizeof en, j->has_end && !j->running, j->end_unix_s);
    if (c->format == CLI_FORMAT_CSV) {
        cli_buf_csv(b, j->id, ",");
        cli_buf_csv(b, j->user, ",");
        cli_buf_csv(b, j->account, ",");
        cli_buf_csv(b, j->partition, ",");
        cli_buf_csv(b, est_jobs_state_name(j->state), ",");
        cli_buf_printf(b, "%s,%s,", st, en);
        num(b, fp->elapsed_s, ",");
        cli_buf_printf(b, "%u,%u,", fp->cpus, fp->gpus);
        num(b, fp->cpu_usage_frac, ",");
        num(b, fp->mem_req_gb, ",");
        num(b, fp->mem_used_gb, ",");
        num(b, fp->cpu_kwh, ",");
        num(b, fp->gpu_kwh, ",");
        num(b, fp->memory_kwh, ",");
        num(b, fp->energy_kwh, ",");
        num(b, fp->co2e_g, ",");
        num(b, fp->measured_kwh, ",");
        num(b, fp->estimated_kwh, ",");
        num(b, fp->measured_gap_kwh, ",");
        num(b, fp->ci_g_co2e_per_kwh, ",");
        num(b, c->ao.embodied ? fp->embodied_co2e_g : EST_UNSET, "\n");
        return;
    }
    cli_buf_puts(b, "{");
    json_str(b, "job_id", j->id);
    json_str(b, "user", j->user);
    json_str(b, "account", j->account);
    json_str(b, "partition", j->partition);
    json_str(b, "state", est_jobs_state_name(j->state));
    if (st[0]) json_str(b, "start", st); else cli_buf_puts(b, "\"start\":null,");
    if (en[0]) json_str(b, "end", en); else cli_buf_puts(b, "\"end\":null,");
    json_num(b, "elapsed_s", fp->elapsed_s, 0);
    cli_buf_printf(b, "\"cpus\":%u,\"gpus\":%u,", fp->cpus, fp->gpus);
    json_num(b, "cpu_usage_frac", fp->cpu_usage_frac, 0);
    json_num(b, "mem_req_gb", fp->mem_req_gb, 0);
    json_num(b, "mem_used_gb", fp->mem_used_gb, 0);
    if (ga) { /* GreenAlgorithms4HPC's own figures */
        json_num(b, "mem_needed_gb", fp->mem_needed_gb, 0);
        json_num(b, "unused_memory_kwh", fp->unused_memory_kwh, 0);
        cli_buf_printf(b, "\"failed\":%s,", fp->failed ? "true" : "false");
    }
    json_num(b, "cpu_kwh", fp->cpu_kwh, 0);
    json_num(b, "gpu_kwh", fp->gpu_kwh, 0);
    json_num(b, "memory_kwh", fp->memory_kwh, 0);
    json_num(b, "energy_kwh", fp->energy_kwh, 0);
    json_num(b, "co2e_g", fp->co2e_g, 0);
    json_num(b, "measured_kwh", fp->measured_kwh, 0);
    json_num(b, "estimated_kwh", fp->estimated_kwh, 0);
    json_num(b, "measured_gap_kwh", fp->measured_gap_kwh, 0);
    json_num(b, "measured_ratio", fp->measured_ratio, 0);
    if (fp->estimated_process_kwh != EST_UNSET) {
        /* every scope beside the meter, before PUE */
        cli_buf_puts(b, "\"estimated_by_scope_kwh\":{");
        json_num(b, "process", fp->estimated_process_kwh, 0);
        json_num(b, "allocation", fp->estimated_allocation_kwh, 0);
        json_num(b, "node", fp->estimated_node_kwh, 1);
        cli_buf_puts(b, "},");
    }
    json_num(b, "ci_g_co2e_per_kwh", fp->ci_g_co2e_per_kwh, 0);
    json_num(b, "embodied_co2e_g", c->ao.embodied ? fp->embodied_co2e_g : EST_UNSET, 0);
    if (c->ao.cpu_power_model == EST_MODEL_CPU_POWER_CURVE)
        json_str(b, "cpu_curve_family", fp->cpu_curve_family);
    cli_buf_printf(b, "\"ci\":\"%s\",", fp->ci_live ? "window" : fp->ci_fallback ? "fallback"
                                                                            : "partition");
    cli_buf_printf(b, "\"running\":%s,\"cpu_usage_clamped\":%s,\"gpu_usage_assumed\":%s,"
                      "\"cpu_time_unknown\":%s}\n",
                   j->running ? "true" : "false", fp->cpu_usage_clamped ? "true" : "false",
                   fp->gpu_usage_assumed ? "true" : "false",
                   fp->cpu_time_unknown ? "true" : "false");
}

static int flush_out(jobs_cli *c, int force)
{
    if (c->out.failed) {
        c->out_failed = 1;
        return -1;
    }
    if (c->out.len && (force || c->out.len > (1u << 16))) {
        if (fwrite(c->out.data, 1, c->out.len, stdout) != c->out.len) {
            c->out_failed = 1;
            return -1;
        }
        c->out.len = 0;
    }
    return 0;
}

static int on_job(void *user, const est_job *j)
{
    jobs_cli *c = user;
    est_jobs_footprint fp;
    if (c->epilog) { /* the job of the hook: kept, accounted once settled */
        /* the job, or a component of a heterogeneous job: a hook given
           SLURM_JOB_ID 5 without SLURM_HET_JOB_ID/OFFSET (a jobcomp script)
           takes every component sacct prints, 5+0, 5+1 */
        size_t n = strlen(c->ep_id);
        if (strcmp(j->id, c->ep_id) == 0 ||
            (strncmp(j->id, c->ep_id, n) == 0 && j->id[n] == '+' &&
             j->id[n + 1 + strspn(j->id + n + 1, "0123456789")] == '\0' && j->id[n + 1])) {
            if (c->ep_n < EP_PARTS_MAX)
                c->ep_parts[c->ep_n++] = *j;
            c->ep_found = 1;
        }
        return 0;
    }
    int rc;
    if (c->agg) /* the group loads while the job is accounted */
        est_jobs_agg_prefetch(c->agg, j);
    rc = est_jobs_account(&fp, c->cluster, j, &c->ao, &c->job_err);
    if (c->progress && (++c->n_jobs & 0x3ffffu) == 0)
        fprintf(stderr, "\recoest: %llu jobs...", c->n_jobs);
    if (rc == EST_EPARSE) {
        /* a bad row (a GPU on a partition without GPU power): its file and
           allocation line, skipped and counted with --skip-bad-rows */
        char m[EST_ERROR_MESSAGE_MAX + 64];
        snprintf(m, sizeof m, "%s:%lu: %s", c->cur_name, j->line, c->job_err.message);
        if (c->ro.skip_bad_rows) {
            if (c->n_bad_jobs++ == 0)
                snprintf(c->first_bad_job, sizeof c->first_bad_job, "%s", m);
            if (j->running)
                c->n_bad_running++;
            return 0;
        }
        snprintf(c->job_err.message, sizeof c->job_err.message, "%s", m);
    }
    if (rc) {
        c->job_rc = rc;
        return rc;
    }
    if (c->per_job && fp.left_out) { /* no row: counted, said at the end */
        c->n_left_out++;
        return 0;
    }
    if (c->per_job) {
        if (fp.cpu_time_unknown)
            c->n_cpu_time_unknown++;
        per_job_row(c, j, &fp);
        if (flush_out(c, 0))
            return EST_EIO;
        return 0;
    }
    if (est_jobs_agg_add(c->agg, j, &fp)) {
        c->job_rc = EST_ENOMEM;
        return EST_ENOMEM;
    }
    return 0;
}

/* ------------------------------------------------------------- sacct */

static size_t sacct_argv(const jobs_cli *c, const char **av, size_t max)
{
    size_t n = 0, i;
    av[n++] = "sacct";
    av[n++] = "--parsable2";
    av[n++] = "--format=" JOBS_SACCT_FORMAT;
    for (i = 0; i < c->n_sacct_args && n + 1 < max; i++)
        av[n++] = c->sacct_args[i];
    av[n] = NULL;
    return n;
}

static void print_shell_word(const char *s)
{
    if (*s && !strpbrk(s, " \t\n'\"\\$`*?[]{}()<>|&;!#~")) {
        fputs(s, stdout);
        return;
    }
    putchar('\'');
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*s);
    }
    putchar('\'');
}

/* The exit status of a job that could not be accounted. */
static int job_exit(const jobs_cli *c)
{
    if (c->live.exit_status)
        return c->live.exit_status; /* --strict: no intensity for its window */
    return c->job_rc == EST_ENOMEM ? CLI_EX_SOFTWARE : CLI_EX_DATAERR;
}

/* Runs sacct and reads its output. Returns an exit status. */
static int run_sacct(jobs_cli *c, est_jobs_reader *r)
{
    const char *av[SACCT_ARGS_MAX + 4];
    int fds[2], st, rc;
    pid_t pid;
    est_error e;
    size_t i, n = sacct_argv(c, av, sizeof av / sizeof av[0]);
    if (c->dry_run) {
        fputs("TZ=UTC SLURM_TIME_FORMAT=standard", stdout);
        for (i = 0; i < n; i++) {
            putchar(' ');
            print_shell_word(av[i]);
        }
        putchar('\n');
        return fflush(stdout) ? CLI_EX_IOERR : CLI_EX_OK;
    }
    if (pipe(fds) != 0) {
        cli_msg("cannot run sacct: %s", strerror(errno));
        return CLI_EX_SOFTWARE;
    }
    pid = fork();
    if (pid < 0) {
        cli_msg("cannot run sacct: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return CLI_EX_SOFTWARE;
    }
    if (pid == 0) {
        /* sacct prints local times: ask for UTC, in the standard form */
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        setenv("TZ", "UTC", 1);
        setenv("SLURM_TIME_FORMAT", "standard", 1);
        execvp("sacct", (char *const *)av);
        fprintf(stderr, "ecoest: cannot run sacct: %s\n", strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    c->ro.input_utc_offset_s = 0;
    memset(&e, 0, sizeof e);
    c->cur_name = "sacct";
    rc = est_jobs_read_fd(r, fds[0], "sacct", on_job, c, &e);
    close(fds[0]);
    if (rc)
        kill(pid, SIGTERM);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    /* a sacct that failed explains an empty or cut output: it comes first,
       unless the reader stopped it (a bad row, a job that cannot be
       accounted: then SIGTERM is ours) */
    if ((rc == 0 || (!c->job_rc && rc != EST_EPARSE)) &&
        (!WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
        if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
            cli_msg("sacct is not installed or not in PATH");
        else
            cli_msg("sacct failed (exit status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        return CLI_EX_UNAVAILABLE;
    }
    if (rc) {
        if (c->job_rc) {
            cli_msg("%s", c->job_err.message);
            return job_exit(c);
        }
        cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return CLI_EX_OK;
}

static int read_files(jobs_cli *c, est_jobs_reader *r)
{
    size_t i;
    for (i = 0; i < c->n_files; i++) {
        const char *f = c->files[i];
        int fd = strcmp(f, "-") == 0 ? 0 : open(f, O_RDONLY | O_CLOEXEC);
        est_error e;
        int rc;
        if (fd < 0) {
            cli_msg("%s: cannot open: %s", f, strerror(errno));
            return errno == ENOENT ? CLI_EX_NOINPUT : CLI_EX_IOERR;
        }
        memset(&e, 0, sizeof e);
        c->cur_name = strcmp(f, "-") == 0 ? "stdin" : f;
        rc = est_jobs_read_fd(r, fd, c->cur_name, on_job, c, &e);
        if (fd != 0)
            close(fd);
        if (rc) {
            if (c->job_rc) {
                cli_msg("%s", c->job_err.message);
                return job_exit(c);
            }
            if (c->out_failed) {
                cli_msg("cannot write the output: write error");
                return CLI_EX_IOERR;
            }
            cli_msg("%s", e.message);
            return cli_exit_for(rc);
        }
    }
    return CLI_EX_OK;
}

/* ------------------------------------------------------------- reports */

static void stats_notes(const jobs_cli *c, const est_jobs_read_stats *s)
{
    if (s->pending)
        cli_msg("%llu pending jobs left out", s->pending);
    if (c->ro.running == EST_JOBS_RUNNING_SKIP && s->running_skipped)
        cli_msg("%llu running jobs left out (--running skip)", s->running_skipped);
    else if (s->running)
        cli_msg("%llu running jobs counted up to now", s->running);
    if (c->n_left_out || (c->agg && est_jobs_agg_totals(c->agg)->left_out_jobs > 0.0))
        cli_msg("%.6g jobs left out as GreenAlgorithms4HPC does: a row PENDING, RUNNING or "
                "REQUEUED",
                c->agg ? est_jobs_agg_totals(c->agg)->left_out_jobs : (double)c->n_left_out);
    if (s->bad_rows)
        cli_msg("%llu bad rows skipped; the first: %s", s->bad_rows, s->first_bad_row);
    if (s->orphan_steps)
        cli_msg("%llu step rows without their job's row were left out", s->orphan_steps);
    {
        double unknown = c->agg ? est_jobs_agg_totals(c->agg)->cpu_time_unknown_jobs
                                : (double)c->n_cpu_time_unknown;
        if (unknown > 0.0)
            cli_warn("CPU time unknown for %.6g jobs (no step rows and TotalCPU 0: sacct -X "
                     "gives no steps): their CPU usage was taken as 0; run sacct without -X",
                     unknown);
    }
    if (c->live.co.live || c->live.co.offline) {
        const jobs_live *l = &c->live;
        cli_msg("%s intensity: %lu UTC days asked for (%lu HTTP requests), %lu without data",
                l->co.offline ? "offline" : "live", l->days_asked, l->requests,
                l->days_without_data);
        if (l->days_without_data)
            cli_warn("jobs in days without data use their zone's annual average; the first "
                     "failure: %s", l->first_failure);
    }
}

static const char *scope_word(const jobs_cli *c)
{
    return c->ao.method == EST_JOBS_METHOD_GA4HPC ? "ga4hpc" : est_model_scope_name(c->ao.scope);
}

/* The usage lines of the text totals, ecoest's reading. */
static void usage_lines(const est_jobs_totals *t, const est_jobs_derived *d, cli_buf *b)
{
    cli_buf_printf(b, "CPU           %.6g core-h allocated, %.6g core-h used: efficiency %.1f %%\n",
                   t->cpu_h, t->cpu_used_h, 100.0 * est_jobs_cpu_efficiency(t));
    cli_buf_printf(b, "GPU           %.6g GPU-h\n", t->gpu_h);
    cli_buf_printf(b, "Memory        %.6g GB-h requested", t->mem_req_gbh);
    if (t->mem_req_known_gbh > 0.0)
        cli_buf_printf(b, "; of jobs reporting MaxRSS, %.6g GB-h used of %.6g (%.1f %%)",
                       t->mem_used_gbh, t->mem_req_known_gbh, 100.0 * d->mem_used_frac);
    cli_buf_printf(b, "\n              memory never used: %.6g kWh\n", t->unused_memory_kwh);
}

/* The same under --method ga4hpc: GreenAlgorithms4HPC's figures, as the
   per-job columns carry them (est_jobs_footprint: its core-hours charged,
   its CPU time, decimal GB, the largest of each over a job's rows), its
   failed jobs (a row not COMPLETED), and the CPU-time total it would print
   where its int64 nanoseconds wrap. */
static void ga_usage_lines(const est_jobs_totals *t, const est_jobs_derived *d, cli_buf *b)
{
    char x[32], g[32];
    double wrapped = est_jobs_ga4hpc_wrap_h(t->cpu_used_h);
    cli_buf_printf(b, "CPU           %.6g core-h charged (CPUTime, CPU partitions), %.6g core-h "
                      "of CPU time (TotalCPU, else CPUTime)\n",
                   t->cpu_h, t->cpu_used_h);
    cli_buf_printf(b, "GPU           %.6g GPU-h charged (Elapsed x GPUs, GPU partitions)\n",
                   t->gpu_h);
    cli_buf_printf(b, "Memory        %.6g GB requested (decimal GB), %.6g GB-h", t->mem_req_gb,
                   t->mem_req_gbh);
    if (t->mem_req_known_gbh > 0.0)
        cli_buf_printf(b, "; of jobs reporting MaxRSS, %.6g GB-h of MaxRSS of %.6g (%.1f %%)",
                       t->mem_used_gbh, t->mem_req_known_gbh, 100.0 * d->mem_used_frac);
    cli_buf_printf(b, "\n              requested beyond the memory needed (MaxRSS + a granule): "
                      "%.6g kWh\n", t->unused_memory_kwh);
    cli_human(x, sizeof x, t->failed_kwh * 1000.0, "Wh");
    cli_human(g, sizeof g, t->failed_co2e_g, "g");
    cli_buf_printf(b, "Failed        %.6g jobs (a row not COMPLETED), %s, %s CO2e (%.1f %% of the "
                      "energy)\n", t->failed_jobs, x, g, 100.0 * d->failed_energy_frac);
    if (wrapped != t->cpu_used_h)
        cli_buf_printf(b, "Note          GreenAlgorithms4HPC prints %.0f hours of CPU time here: "
                          "its total, int64 nanoseconds, wraps past 2562047.79 h\n", wrapped);
}

static void text_totals(const jobs_cli *c, const est_jobs_totals *t, cli_buf *b)
{
    char e[32], g[32], x[32];
    int i;
    est_model_equivalence eq = est_model_equivalents(t->co2e_g);
    est_jobs_derived d;
    est_jobs_derive(&d, t);
    cli_human(e, sizeof e, t->energy_kwh * 1000.0, "Wh");
    cli_human(g, sizeof g, t->co2e_g, "g");
    cli_buf_printf(b, "Energy        %s (%s scope; process %.6g kWh, allocation %.6g kWh, "
                      "node %.6g kWh)\n", e,
                   scope_word(c), t->process_kwh, t->allocation_kwh, t->node_kwh);
    cli_buf_printf(b, "  CPU %.6g kWh, GPU %.6g kWh, memory %.6g kWh", t->cpu_kwh, t->gpu_kwh,
                   t->memory_kwh);
    if (t->static_kwh > 0.0)
        cli_buf_printf(b, ", node static %.6g kWh", t->static_kwh);
    cli_buf_puts(b, "\n");
    cli_buf_printf(b, "Carbon        %s CO2e\n", g);
    if (c->ao.embodied) {
        cli_human(x, sizeof x, t->embodied_co2e_g, "g");
        cli_buf_printf(b, "Embodied      %s CO2e, the manufacturing of the hardware held (%s "
                          "the carbon%s)\n", x,
                       c->ao.include_embodied ? "included in" : "not in",
                       c->ao.include_embodied ? "" : "; --include-embodied adds it");
    }
    cli_buf_printf(b, "Jobs          %.6g\n", t->jobs);
    if (c->ao.method == EST_JOBS_METHOD_GA4HPC)
        ga_usage_lines(t, &d, b);
    else
        usage_lines(t, &d, b);
    for (i = 0; i < (int)EST_JOBS_STATE_COUNT && c->ao.method == EST_JOBS_METHOD_ECOEST; i++) {
        if (i == EST_JOBS_STATE_COMPLETED || t->state_jobs[i] <= 0.0)
            continue;
        cli_human(x, sizeof x, t->state_kwh[i] * 1000.0, "Wh");
        cli_human(g, sizeof g, t->state_co2e_g[i], "g");
        if (i == EST_JOBS_STATE_RUNNING || i == EST_JOBS_STATE_SUSPENDED)
            cli_buf_printf(b, "Still running %-13s %.6g jobs counted up to now (not failed), "
                              "%s, %s CO2e (%.1f %% of the energy)\n",
                           est_jobs_state_name((est_jobs_state)i), t->state_jobs[i], x, g,
                           100.0 * d.state_energy_frac[i]);
        else
            cli_buf_printf(b, "Not completed %-13s %.6g jobs, %s, %s CO2e (%.1f %% of the "
                              "energy)\n",
                           est_jobs_state_name((est_jobs_state)i), t->state_jobs[i], x, g,
                           100.0 * d.state_energy_frac[i]);
    }
    if (t->measured_jobs > 0.0)
        cli_buf_printf(b, "Measured      %.6g jobs with ConsumedEnergyRaw: measured %.6g kWh, "
                          "estimated %.6g kWh (before PUE): gap %+.6g kWh (%+.1f %%)\n",
                       t->measured_jobs, t->measured_kwh, t->estimate_of_measured_kwh,
                       d.measured_gap_kwh, 100.0 * d.measured_gap_frac);
    if (t->measured_jobs > 0.0 && d.measured_process_ratio != EST_UNSET &&
        c->ao.method == EST_JOBS_METHOD_ECOEST)
        cli_buf_printf(b, "              each scope / measured: process %.3f, allocation %.3f, "
                          "node %.3f\n",
                       d.measured_process_ratio, d.measured_allocation_ratio,
                       d.measured_node_ratio);
    cli_buf_printf(b, "Equivalents   %.3g tree-months, %.3g km by car, %.3g x %s flight\n",
                   eq.tree_months, eq.car_km, eq.flight_fraction, eq.flight);
    if (t->gpu_assumed_jobs > 0.0 && c->ao.method != EST_JOBS_METHOD_GA4HPC)
        cli_buf_printf(b, "Note          GPUs at usage 1 for %.6g jobs: no gres/gpuutil in "
                          "TRESUsageInTot\n", t->gpu_assumed_jobs);
    if (t->clamped_jobs > 0.0)
        cli_buf_printf(b, "Note          CPU usage above 1 clamped for %.6g jobs\n",
                       t->clamped_jobs);
    if (t->cpu_time_unknown_jobs > 0.0)
        cli_buf_printf(b, "Warning       CPU time unknown for %.6g jobs (no step rows and "
                          "TotalCPU 0: sacct -X gives no steps): their CPU usage was taken "
                          "as 0; run sacct without -X\n",
                       t->cpu_time_unknown_jobs);
    if (c->live.co.live || c->live.co.offline)
        cli_buf_printf(b, "Intensity     %.6g jobs at the mean of their own window (%s), %.6g "
                          "at their zone's annual average (no data)\n",
                       t->ci_live_jobs, c->live.co.offline ? "cache" : "live",
                       t->ci_fallback_jobs);
}

/* A number for the JSON and CSV reports: the shortest digits that read back
   to the same double (cli_num, docs/output.md). The strings live in a ring of
   64, enough for every number of one cli_buf_printf call. */
static const char *jnum(double v)
{
    static char ring[64][40];
    static unsigned k;
    char *out = ring[k++ % 64];
    cli_num(out, sizeof ring[0], v);
    return out;
}

static void json_totals(const jobs_cli *c, const est_jobs_totals *t, cli_buf *b)
{
    int i, first = 1;
    est_model_equivalence eq = est_model_equivalents(t->co2e_g);
    est_jobs_derived d;
    est_jobs_derive(&d, t);
    cli_buf_printf(b, "{\"jobs\":%s,\"cpu_h\":%s,\"cpu_used_h\":%s,"
                      "\"cpu_efficiency_frac\":%s,\"gpu_h\":%s,",
                   jnum(t->jobs), jnum(t->cpu_h), jnum(t->cpu_used_h), jnum(est_jobs_cpu_efficiency(t)), jnum(t->gpu_h));
    cli_buf_printf(b, "\"mem_req_gbh\":%s,\"mem_used_gbh\":%s,\"mem_req_known_gbh\":%s,"
                      "\"unused_memory_kwh\":%s,",
                   jnum(t->mem_req_gbh), jnum(t->mem_used_gbh), jnum(t->mem_req_known_gbh), jnum(t->unused_memory_kwh));
    cli_buf_printf(b, "\"energy_kwh\":%s,\"process_kwh\":%s,\"allocation_kwh\":%s,"
                      "\"cpu_kwh\":%s,\"gpu_kwh\":%s,\"memory_kwh\":%s,"
                      "\"static_kwh\":%s,\"co2e_g\":%s,",
                   jnum(t->energy_kwh), jnum(t->process_kwh), jnum(t->allocation_kwh), jnum(t->cpu_kwh), jnum(t->gpu_kwh),
                   jnum(t->memory_kwh), jnum(t->static_kwh), jnum(t->co2e_g));
    cli_buf_printf(b, "\"measured_jobs\":%s,\"measured_kwh\":%s,"
                      "\"estimate_of_measured_kwh\":%s,\"measured_gap_kwh\":%s,",
                   jnum(t->measured_jobs), jnum(t->measured_kwh), jnum(t->estimate_of_measured_kwh),
                   jnum(d.measured_gap_kwh));
    if (t->measured_jobs > 0.0 && c->ao.method == EST_JOBS_METHOD_ECOEST) {
        const double est[3] = {t->estimate_of_measured_process_kwh,
                               t->estimate_of_measured_allocation_kwh,
                               t->estimate_of_measured_node_kwh};
        const double ratio[3] = {d.measured_process_ratio, d.measured_allocation_ratio,
                                 d.measured_node_ratio};
        static const char *const sc[3] = {"process", "allocation", "node"};
        size_t k;
        cli_buf_puts(b, "\"measured_by_scope\":{");
        for (k = 0; k < 3; k++)
            cli_buf_printf(b, "\"%s\":{\"estimate_kwh\":%s,\"ratio\":%s}%s", sc[k], jnum(est[k]),
                           ratio[k] != EST_UNSET ? jnum(ratio[k]) : "null", k < 2 ? "," : "");
        cli_buf_puts(b, "},");
    }
    cli_buf_printf(b, "\"cpu_usage_clamped_jobs\":%s,\"gpu_usage_assumed_jobs\":%s,",
                   jnum(t->clamped_jobs), jnum(t->gpu_assumed_jobs));
    cli_buf_printf(b, "\"ci_window_jobs\":%s,\"ci_fallback_jobs\":%s,", jnum(t->ci_live_jobs),
                   jnum(t->ci_fallback_jobs));
    cli_buf_printf(b, "\"node_kwh\":%s,", jnum(t->node_kwh));
    if (c->ao.method == EST_JOBS_METHOD_GA4HPC)
        cli_buf_printf(b, "\"ga4hpc_left_out_jobs\":%s,", jnum(t->left_out_jobs));
    cli_buf_printf(b, "\"cpu_time_unknown_jobs\":%s,", jnum(t->cpu_time_unknown_jobs));
    if (t->cpu_time_unknown_jobs > 0.0)
        cli_buf_puts(b, "\"note\":\"CPU time unknown for some jobs (no step rows and TotalCPU "
                        "0: sacct -X gives no steps): their CPU usage was taken as 0\",");
    cli_buf_printf(b, "\"mem_req_gb\":%s,\"failed_jobs\":%s,\"failed_kwh\":%s,"
                      "\"failed_co2e_g\":%s,",
                   jnum(t->mem_req_gb), jnum(t->failed_jobs), jnum(t->failed_kwh),
                   jnum(t->failed_co2e_g));
    if (c->ao.method == EST_JOBS_METHOD_GA4HPC)
        cli_buf_printf(b, "\"ga4hpc_cpu_time_printed_h\":%s,",
                       jnum(est_jobs_ga4hpc_wrap_h(t->cpu_used_h)));
    if (c->ao.embodied)
        cli_buf_printf(b, "\"embodied_co2e_g\":%s,", jnum(t->embodied_co2e_g));
    else
        cli_buf_puts(b, "\"embodied_co2e_g\":null,");
    cli_buf_printf(b, "\"embodied_included\":%s,",
                   c->ao.embodied && c->ao.include_embodied ? "true" : "false");
    cli_buf_puts(b, "\"by_state\":{");
    for (i = 0; i < (int)EST_JOBS_STATE_COUNT; i++) {
        if (t->state_jobs[i] <= 0.0)
            continue;
        cli_buf_printf(b, "%s\"%s\":{\"jobs\":%s,\"energy_kwh\":%s,\"co2e_g\":%s%s}",
                       first ? "" : ",", est_jobs_state_name((est_jobs_state)i),
                       jnum(t->state_jobs[i]), jnum(t->state_kwh[i]), jnum(t->state_co2e_g[i]),
                       i == EST_JOBS_STATE_RUNNING || i == EST_JOBS_STATE_SUSPENDED
                           ? ",\"still_running\":true"
                           : "");
        first = 0;
    }
    cli_buf_printf(b, "},\"equivalents\":{\"tree_months\":%s,\"car_km\":%s,"
                      "\"flight\":\"%s\",\"flight_fraction\":%s}}",
                   jnum(eq.tree_months), jnum(eq.car_km), eq.flight, jnum(eq.flight_fraction));
}

static const char *const key_names[] = {"user", "account", "partition", "state", "day",
                                        "month"};

static const char *group_key(const est_jobs_group *g, int k)
{
    switch (k) {
    case 0: return g->user;
    case 1: return g->account;
    case 2: return g->partition;
    case 3: return g->state;
    default: return g->period;
    }
}

static size_t shown_groups(const jobs_cli *c)
{
    size_t n = est_jobs_agg_count(c->agg);
    return c->top && c->top < n ? c->top : n;
}

static void curve_rows(const jobs_cli *c, cli_buf *b, int json);

/* Under the node scope, the entries of the cluster (partition[:nodes], and
   "*" for partitions the file does not name) that give no node data
   (cores_per_node, gpus_per_node, memory_gb_per_node: each job's
   allocation is taken as its node), or no static_node_w (the default
   EST_DEFAULT_NODE_STATIC_W a node): want_static 0 lists the first, 1 the
   second; a JSON array of strings, or a comma-separated list. Returns how
   many. */
static size_t node_assumed(const jobs_cli *c, cli_buf *b, int want_static, int json)
{
    size_t i, n = est_cluster_count(c->cluster), k = 0;
    for (i = 0; i <= n; i++) {
        const est_cluster_partition *p =
            i < n ? est_cluster_at(c->cluster, i) : est_cluster_find(c->cluster, NULL, NULL);
        int hit;
        if (!p || !(p->cpu_tdp_per_core_w > 0.0))
            continue;
        hit = want_static ? !(p->static_node_w >= 0.0)
                          : p->cores_per_node == 0 && p->gpus_per_node == 0 &&
                                !(p->memory_gb_per_node > 0.0);
        if (!hit)
            continue;
        if (b) {
            if (k)
                cli_buf_puts(b, json ? "," : ", ");
            cli_buf_printf(b, "%s%s%s%s%s", json ? "\"" : "", i < n ? p->name : "*",
                           p->node_pattern[0] ? ":" : "", p->node_pattern, json ? "\"" : "");
        }
        k++;
    }
    return k;
}

static void text_report(const jobs_cli *c, const est_jobs_read_stats *s, cli_buf *b)
{
    size_t i, n;
    int k;
    cli_buf_printf(b, "ecoest jobs: %llu jobs from %llu sacct rows (%llu steps merged)",
                   s->jobs, s->rows, s->steps);
    if (s->pending)
        cli_buf_printf(b, "; %llu pending left out", s->pending);
    if (c->ao.method == EST_JOBS_METHOD_GA4HPC)
        ; /* nothing is running there: its Left out line says what it drops */
    else if (c->ro.running == EST_JOBS_RUNNING_SKIP)
        cli_buf_printf(b, "; running jobs left out (%llu)", s->running_skipped);
    else
        cli_buf_printf(b, "; running jobs counted up to now (%llu)", s->running);
    if (s->bad_rows)
        cli_buf_printf(b, "; %llu bad rows skipped", s->bad_rows);
    cli_buf_puts(b, "\n");
    if (est_jobs_agg_totals(c->agg)->left_out_jobs > 0.0)
        cli_buf_printf(b, "Left out      %.6g jobs left out as GreenAlgorithms4HPC does: a row "
                          "PENDING, RUNNING or REQUEUED\n",
                       est_jobs_agg_totals(c->agg)->left_out_jobs);
    if (c->ao.method == EST_JOBS_METHOD_GA4HPC)
        cli_buf_puts(b, "Method        ga4hpc: GreenAlgorithms4HPC's figures\n");
    if (c->ao.cpu_power_model == EST_MODEL_CPU_POWER_CURVE) {
        cli_buf_puts(b, "CPU power     curve (cpu_power_curves.csv rows: ");
        curve_rows(c, b, 0);
        cli_buf_puts(b, ")\n");
    }
    if (c->ao.scope == EST_MODEL_SCOPE_NODE && node_assumed(c, NULL, 0, 0)) {
        cli_buf_puts(b, "Node          no node data (cores_per_node, gpus_per_node, "
                        "memory_gb_per_node) for ");
        node_assumed(c, b, 0, 0);
        cli_buf_puts(b, ": each job's allocation was taken as its node\n");
    }
    if (c->ao.scope == EST_MODEL_SCOPE_NODE && node_assumed(c, NULL, 1, 0)) {
        cli_buf_printf(b, "Node          static power %g W a node (default: the low end of "
                          "the 20-45 W on Grid'5000 nodes attributed to Lemmers and Lefevre, "
                          "as quoted in issue 11; not verified at the paper) for ",
                       EST_DEFAULT_NODE_STATIC_W);
        node_assumed(c, b, 1, 0);
        cli_buf_puts(b, ": no static_node_w\n");
    }
    text_totals(c, est_jobs_agg_totals(c->agg), b);
    if (!c->go.keys)
        return;
    n = shown_groups(c);
    cli_buf_printf(b, "\nBy %s (%zu groups%s):\n", c->by, est_jobs_agg_count(c->agg),
                   n < est_jobs_agg_count(c->agg) ? ", largest first" : "");
    for (k = 0; k < 6; k++)
        if (c->go.keys & (1u << k))
            cli_buf_printf(b, "%-16s", key_names[k]);
    cli_buf_puts(b, "        jobs   energy_kwh       co2e_g        cpu_h        gpu_h  cpu_eff\n");
    for (i = 0; i < n; i++) {
        const est_jobs_group *g = est_jobs_agg_group(c->agg, i);
        for (k = 0; k < 6; k++)
            if (c->go.keys & (1u << k))
                cli_buf_printf(b, "%-16s", group_key(g, k)[0] ? group_key(g, k) : "-");
        cli_buf_printf(b, "%12.6g %12.6g %12.6g %12.6g %12.6g", g->t.jobs, g->t.energy_kwh,
                       g->t.co2e_g, g->t.cpu_h, g->t.gpu_h);
        if (c->ao.method == EST_JOBS_METHOD_GA4HPC) /* no efficiency there */
            cli_buf_puts(b, "        -\n");
        else
            cli_buf_printf(b, " %7.1f%%\n", 100.0 * est_jobs_cpu_efficiency(&g->t));
    }
}

static void json_counts(cli_buf *b, const char *key, const unsigned long long *v, size_t n)
{
    size_t i;
    cli_buf_printf(b, "\"%s\":[", key);
    for (i = 0; i < n; i++)
        cli_buf_printf(b, "%s%llu", i ? "," : "", v[i]);
    cli_buf_puts(b, "]");
}

static void json_doubles(cli_buf *b, const char *key, const double *v, size_t n)
{
    size_t i;
    cli_buf_printf(b, "\"%s\":[", key);
    for (i = 0; i < n; i++)
        cli_buf_printf(b, "%s%s", i ? "," : "", jnum(v[i]));
    cli_buf_puts(b, "]");
}

/* "charts": the distributions the html report draws (docs/cluster.md). */
static void json_charts(const jobs_cli *c, cli_buf *b)
{
    const est_jobs_charts *ch = est_jobs_agg_charts(c->agg);
    est_jobs_user_total top[EST_JOBS_TOP_USERS];
    double lin[EST_JOBS_CHART_BINS + 1], lg[EST_JOBS_CHART_LOG_BINS + 1];
    size_t i, n;
    if (!ch)
        return;
    for (i = 0; i <= EST_JOBS_CHART_BINS; i++)
        lin[i] = est_jobs_chart_frac_edge((unsigned)i);
    for (i = 0; i <= EST_JOBS_CHART_LOG_BINS; i++)
        lg[i] = est_jobs_chart_log_edge((unsigned)i);
    cli_buf_puts(b, ",\"charts\":{\"cpu_efficiency\":{");
    json_doubles(b, "bin_edges", lin, EST_JOBS_CHART_BINS + 1);
    cli_buf_puts(b, ",");
    json_counts(b, "jobs", ch->cpu_eff_jobs, EST_JOBS_CHART_BINS);
    cli_buf_puts(b, ",");
    json_doubles(b, "energy_kwh", ch->cpu_eff_kwh, EST_JOBS_CHART_BINS);
    cli_buf_puts(b, "},\"memory_used_frac\":{");
    json_doubles(b, "bin_edges", lin, EST_JOBS_CHART_BINS + 1);
    cli_buf_printf(b, ",\"overflow_jobs\":%llu,\"overflow_energy_kwh\":%s,",
                   ch->mem_frac_overflow_jobs, jnum(ch->mem_frac_overflow_kwh));
    json_counts(b, "jobs", ch->mem_frac_jobs, EST_JOBS_CHART_BINS);
    cli_buf_puts(b, ",");
    json_doubles(b, "energy_kwh", ch->mem_frac_kwh, EST_JOBS_CHART_BINS);
    cli_buf_puts(b, "},\"measured_vs_estimated\":{\"x\":\"estimated_kwh\",\"y\":\"measured_kwh\",");
    json_doubles(b, "x_edges_kwh", lg, EST_JOBS_CHART_LOG_BINS + 1);
    cli_buf_puts(b, ",");
    json_doubles(b, "y_edges_kwh", lg, EST_JOBS_CHART_LOG_BINS + 1);
    cli_buf_printf(b, ",\"outside_jobs\":%llu,\"zero_jobs\":%llu,\"counts\":[",
                   ch->mve_outside_jobs, ch->mve_zero_jobs);
    for (i = 0; i < EST_JOBS_CHART_LOG_BINS; i++) {
        size_t k;
        cli_buf_puts(b, i ? ",[" : "[");
        for (k = 0; k < EST_JOBS_CHART_LOG_BINS; k++)
            cli_buf_printf(b, "%s%llu", k ? "," : "", ch->mve_counts[i][k]);
        cli_buf_puts(b, "]");
    }
    cli_buf_puts(b, "]},\"top_users\":[");
    n = est_jobs_agg_top_users(top, EST_JOBS_TOP_USERS, c->agg);
    for (i = 0; i < n; i++) {
        cli_buf_puts(b, i ? ",{" : "{");
        json_str(b, "user", top[i].user);
        cli_buf_printf(b, "\"jobs\":%s,\"energy_kwh\":%s,\"co2e_g\":%s}", jnum(top[i].jobs),
                       jnum(top[i].energy_kwh), jnum(top[i].co2e_g));
    }
    cli_buf_puts(b, "]}");
}

/* The curve row of each entry of the cluster (its partition, its node
   pattern) and of the default partition ("*"), as the accounting takes
   them: a JSON array, or one text line. */
static void curve_rows(const jobs_cli *c, cli_buf *b, int json)
{
    size_t i, n = est_cluster_count(c->cluster);
    int first = 1;
    for (i = 0; i <= n; i++) {
        const est_cluster_partition *p =
            i < n ? est_cluster_at(c->cluster, i) : est_cluster_find(c->cluster, NULL, NULL);
        const est_power_curve *row = NULL;
        if (!p || !(p->cpu_tdp_per_core_w > 0.0) ||
            est_power_curves_find(&row, c->ao.cpu_curves, p->cpu_hwdb_model) != 0 || !row)
            continue;
        if (json) {
            cli_buf_puts(b, first ? "{" : ",{");
            json_str(b, "partition", i < n ? p->name : "*");
            json_str(b, "nodes", p->node_pattern);
            json_str(b, "cpu", p->cpu_model);
            json_str(b, "family", row->family);
            cli_buf_printf(b, "\"idle_frac\":%s,", jnum(row->idle_frac));
            cli_buf_printf(b, "\"max_frac\":%s,\"exponent\":%s}", jnum(row->max_frac),
                           jnum(row->exponent));
        } else
            cli_buf_printf(b, "%s%s%s%s %s", first ? "" : ", ", i < n ? p->name : "*",
                           p->node_pattern[0] ? ":" : "", p->node_pattern, row->family);
        first = 0;
    }
}

static void json_report(const jobs_cli *c, const est_jobs_read_stats *s, cli_buf *b)
{
    size_t i, n = shown_groups(c);
    int k;
    cli_buf_printf(b, "{\"method\":\"%s\",\"scope\":\"%s\",", 
                   c->ao.method == EST_JOBS_METHOD_GA4HPC ? "ga4hpc" : "ecoest",
                   est_model_scope_name(c->ao.scope));
    cli_buf_printf(b, "\"cpu_power_model\":\"%s\",",
                   est_model_cpu_power_name(c->ao.cpu_power_model));
    if (c->ao.cpu_power_model == EST_MODEL_CPU_POWER_CURVE) {
        cli_buf_puts(b, "\"cpu_curves\":[");
        curve_rows(c, b, 1);
        cli_buf_puts(b, "],");
    }
    if (c->ao.scope == EST_MODEL_SCOPE_NODE) {
        /* what the node scope assumed, by cluster entry */
        cli_buf_puts(b, "\"node_assumed\":[");
        node_assumed(c, b, 0, 1);
        cli_buf_printf(b, "],\"node_static_default_w\":%s,\"node_static_default\":[",
                       jnum(EST_DEFAULT_NODE_STATIC_W));
        node_assumed(c, b, 1, 1);
        cli_buf_puts(b, "],");
    }
    cli_buf_printf(b, "\"input\":{\"rows\":%llu,\"jobs\":%llu,\"steps\":%llu,\"pending\":%llu,"
                      "\"running\":\"%s\",\"running_jobs\":%llu,\"bad_rows\":%llu,"
                      "\"orphan_steps\":%llu},",
                   s->rows, s->jobs, s->steps, s->pending,
                   c->ao.method == EST_JOBS_METHOD_GA4HPC ? "left out (ga4hpc)"
                   : c->ro.running == EST_JOBS_RUNNING_SKIP ? "skipped"
                                                            : "counted up to now",
                   c->ro.running == EST_JOBS_RUNNING_SKIP ? s->running_skipped : s->running,
                   s->bad_rows, s->orphan_steps);
    cli_buf_puts(b, "\"totals\":");
    json_totals(c, est_jobs_agg_totals(c->agg), b);
    cli_buf_puts(b, ",\"groups\":[");
    for (i = 0; i < n; i++) {
        const est_jobs_group *g = est_jobs_agg_group(c->agg, i);
        cli_buf_puts(b, i ? ",{" : "{");
        for (k = 0; k < 6; k++)
            if (c->go.keys & (1u << k))
                json_str(b, key_names[k], group_key(g, k));
        cli_buf_puts(b, "\"totals\":");
        json_totals(c, &g->t, b);
        cli_buf_puts(b, "}");
    }
    cli_buf_puts(b, "]");
    json_charts(c, b);
    cli_buf_puts(b, "}\n");
}

static void csv_report(const jobs_cli *c, cli_buf *b)
{
    size_t i, n = shown_groups(c);
    int k;
    const est_jobs_totals *t;
    for (k = 0; k < 6; k++)
        if (c->go.keys & (1u << k))
            cli_buf_printf(b, "%s,", key_names[k]);
    cli_buf_puts(b, "jobs,energy_kwh,co2e_g,cpu_kwh,gpu_kwh,memory_kwh,process_kwh,"
                    "allocation_kwh,cpu_h,cpu_used_h,cpu_efficiency_frac,gpu_h,mem_req_gbh,"
                    "mem_used_gbh,unused_memory_kwh,not_completed_kwh,measured_kwh,"
                    "estimate_of_measured_kwh,mem_req_gb,failed_jobs,failed_kwh,running_jobs,"
                    "running_kwh\n");
    for (i = 0; i < (c->go.keys ? n : 1); i++) {
        const est_jobs_group *g = c->go.keys ? est_jobs_agg_group(c->agg, i) : NULL;
        est_jobs_derived d;
        t = g ? &g->t : est_jobs_agg_totals(c->agg);
        est_jobs_derive(&d, t);
        for (k = 0; k < 6; k++)
            if (c->go.keys & (1u << k))
                cli_buf_csv(b, group_key(g, k), ",");
        cli_buf_printf(b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                          "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
                       jnum(t->jobs), jnum(t->energy_kwh), jnum(t->co2e_g), jnum(t->cpu_kwh), jnum(t->gpu_kwh),
                       jnum(t->memory_kwh), jnum(t->process_kwh), jnum(t->allocation_kwh), jnum(t->cpu_h),
                       jnum(t->cpu_used_h), jnum(est_jobs_cpu_efficiency(t)), jnum(t->gpu_h), jnum(t->mem_req_gbh),
                       jnum(t->mem_used_gbh), jnum(t->unused_memory_kwh),
                       jnum(d.not_completed_kwh), jnum(t->measured_kwh),
                       jnum(t->estimate_of_measured_kwh), jnum(t->mem_req_gb),
                       jnum(t->failed_jobs), jnum(t->failed_kwh),
                       jnum(t->state_jobs[EST_JOBS_STATE_RUNNING] +
                            t->state_jobs[EST_JOBS_STATE_SUSPENDED]),
                       jnum(t->state_kwh[EST_JOBS_STATE_RUNNING] +
                            t->state_kwh[EST_JOBS_STATE_SUSPENDED]));
    }
}

/* ------------------------------------------------------------- main */

static int open_cluster(jobs_cli *c, est_hwdb **db, est_zones **zones)
{
    est_error e;
    int rc;
    if ((rc = cli_open_hwdb(db)) != 0 || (rc = cli_open_zones(zones)) != 0)
        return rc;
    c->co.hwdb = *db;
    c->co.zones = *zones;
    memset(&e, 0, sizeof e);
    if ((rc = est_cluster_open(&c->cluster, c->cluster_file, &c->co, &e)) != 0) {
        cli_msg("%s%s%s", c->cluster_file && !strstr(e.message, c->cluster_file)
                              ? c->cluster_file : "",
                c->cluster_file && !strstr(e.message, c->cluster_file) ? ": " : "",
                e.message);
        cli_suggest("closest", CLI_LOOKUP_INPUT, &e, &(cli_tables){*db, *zones, NULL});
        return rc == EST_EINVAL ? CLI_EX_USAGE : cli_exit_for(rc);
    }
    return 0;
}

/* ------------------------------------------------------------- epilog */

/* Appends line to path under an exclusive lock, in one write: concurrent
   hooks lose no line and corrupt none. Returns an exit status. */
static int append_locked(const char *path, const char *line, size_t len)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644), rc = CLI_EX_OK;
    if (fd < 0) {
        cli_msg("%s: cannot open: %s", path, strerror(errno));
        return CLI_EX_IOERR;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            cli_msg("%s: cannot lock: %s", path, strerror(errno));
            close(fd);
            return CLI_EX_IOERR;
        }
    }
    while (len > 0) {
        ssize_t n = write(fd, line, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            cli_msg("%s: cannot write: %s", path, strerror(errno));
            rc = CLI_EX_IOERR;
            break;
        }
        line += n;
        len -= (size_t)n;
    }
    if (rc == CLI_EX_OK && fsync(fd) != 0)
        rc = CLI_EX_IOERR;
    flock(fd, LOCK_UN);
    if (close(fd) != 0 && rc == CLI_EX_OK)
        rc = CLI_EX_IOERR;
    return rc;
}

/* A short report in the job's working directory, written as the job's
   user (effective uid and gid switched, then back): the directory is the
   user's, so root must not create files there by path (symlinks). */
static void job_report(const est_job *j, const est_jobs_footprint *fp, int ok)
{
    const char *dir = getenv("SLURM_JOB_WORK_DIR"), *uid_s = getenv("SLURM_JOB_UID"),
               *gid_s = getenv("SLURM_JOB_GID");
    char path[4096], text[1024], e[32], g[32];
    unsigned uid = 0, gid = 0;
    int fd, n, switched = 0, ngroups = 0;
    gid_t groups[256];
    uid_t ruid = geteuid();
    gid_t rgid = getegid();
    if (!dir || !*dir || !uid_s || !gid_s ||
        (strcmp(uid_s, "0") != 0 && est_parse_count(&uid, uid_s) != 0) ||
        (strcmp(gid_s, "0") != 0 && est_parse_count(&gid, gid_s) != 0)) {
        cli_warn("--job-report: SLURM_JOB_WORK_DIR, SLURM_JOB_UID or SLURM_JOB_GID is not set");
        return;
    }
    if ((size_t)snprintf(path, sizeof path, "%s/ecoest-%s.txt", dir, j->id) >= sizeof path)
        return;
    cli_human(e, sizeof e, fp->energy_kwh * 1000.0, "Wh");
    cli_human(g, sizeof g, fp->co2e_g, "g");
    n = snprintf(text, sizeof text,
                 "ecoest: job %s (%s), %s on %u CPUs and %u GPUs for %.0f s\n"
                 "energy %s, carbon %s CO2e (CPU usage %.0f %%)%s\n",
                 j->id, j->partition, est_jobs_state_name(j->state), j->ncpus, j->gpus,
                 j->elapsed_s, e, g, 100.0 * fp->cpu_usage_frac,
                 ok ? "" : "; sacct had not settled");
    if (fp->measured_kwh >= 0.0 && n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, "measured %.6g kWh\n", fp->measured_kwh);
    if (ruid == 0 && uid != 0) {
        gid_t only = (gid_t)gid;
        ngroups = getgroups((int)(sizeof groups / sizeof groups[0]), groups);
        if (ngroups < 0 || setgroups(1, &only) != 0 || setegid((gid_t)gid) != 0 ||
            seteuid((uid_t)uid) != 0) {
            cli_warn("--job-report: cannot act as uid %u: %s", uid, strerror(errno));
            if (setegid(rgid) != 0 || (ngroups >= 0 && setgroups((size_t)ngroups, groups) != 0))
                cli_warn("--job-report: cannot restore the groups");
            return;
        }
        switched = 1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        cli_warn("--job-report: %s: %s", path, strerror(errno));
    else {
        size_t len = strlen(text);
        if (write(fd, text, len) != (ssize_t)len)
            cli_warn("--job-report: %s: cannot write", path);
        close(fd);
    }
    if (switched && (seteuid(ruid) != 0 || setegid(rgid) != 0 ||
                     setgroups((size_t)ngroups, groups) != 0))
        cli_warn("--job-report: cannot switch back to uid %u", (unsigned)ruid);
}

/* The hook: sacct -j $SLURM_JOB_ID until the job shows finished (sacct can
   lag the end by a few seconds), at most --wait seconds; then one line. */
static int run_epilog(jobs_cli *c)
{
    const char *id = getenv("SLURM_JOB_ID");
    const char *array_id = getenv("SLURM_ARRAY_JOB_ID"), *task = getenv("SLURM_ARRAY_TASK_ID");
    const char *het_id = getenv("SLURM_HET_JOB_ID"), *het_off = getenv("SLURM_HET_JOB_OFFSET");
    const char *ask; /* the id sacct -j is given */
    double deadline;
    est_jobs_footprint fp;
    est_error e;
    int rc, ok;
    struct timespec now;
    if (!id || !*id) {
        cli_msg("--epilog runs as Slurm's EpilogSlurmctld: SLURM_JOB_ID is not set");
        return CLI_EX_USAGE;
    }
    /* an array task is asked for as ARRAY_TASK: sacct -j RAW can show it
       under its raw id, before the array knows it. A heterogeneous job's
       components each end with their own hook (EpilogSlurmctld runs once
       per component, SLURM_JOB_ID the component's own id, 6 for 5+1): the
       hook asks for the whole job (-j 5) and writes its own component's
       line (5+1), so each component, as sacct and `ecoest jobs` count it,
       leaves one line. */
    if (het_id && *het_id && het_off && *het_off &&
        strspn(het_id, "0123456789") == strlen(het_id) &&
        strspn(het_off, "0123456789") == strlen(het_off)) {
        snprintf(c->ep_id, sizeof c->ep_id, "%s+%s", het_id, het_off);
        ask = het_id;
    } else {
        if (array_id && *array_id && task && *task)
            snprintf(c->ep_id, sizeof c->ep_id, "%s_%s", array_id, task);
        else
            snprintf(c->ep_id, sizeof c->ep_id, "%s", id);
        ask = c->ep_id;
    }
    id = c->ep_id;
    if (add_sacct_arg(c, "-j") || add_sacct_arg(c, ask))
        return CLI_EX_USAGE;
    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = (double)now.tv_sec + c->wait_s;
    c->ro.running = EST_JOBS_RUNNING_COUNT;
    for (;;) {
        est_jobs_reader *r = NULL;
        memset(&e, 0, sizeof e);
        c->ep_found = 0;
        c->ep_n = 0;
        if ((rc = est_jobs_reader_open(&r, &c->ro, &e)) != 0) {
            cli_msg("%s", e.message);
            return cli_exit_for(rc);
        }
        rc = run_sacct(c, r);
        est_jobs_reader_free(r);
        if (rc && rc != CLI_EX_UNAVAILABLE)
            return rc;
        ok = rc == 0 && c->ep_found;
        if (c->ep_found) {
            /* one line: the first row, its id the hook's; settled when every
               component is; the state of one that is not, else of one not
               COMPLETED; the earliest start, the latest end */
            unsigned k;
            c->ep_job = c->ep_parts[0];
            snprintf(c->ep_job.id, sizeof c->ep_job.id, "%s", c->ep_id);
            for (k = 0; k < c->ep_n; k++) {
                const est_job *q = &c->ep_parts[k];
                if (!est_jobs_state_finished(q->state)) {
                    ok = 0;
                    c->ep_job.state = q->state;
                    c->ep_job.running = q->running;
                } else if (q->state != EST_JOBS_STATE_COMPLETED &&
                           est_jobs_state_finished(c->ep_job.state))
                    c->ep_job.state = q->state;
                if (q->has_start && (!c->ep_job.has_start ||
                                     q->start_unix_s < c->ep_job.start_unix_s)) {
                    c->ep_job.start_unix_s = q->start_unix_s;
                    c->ep_job.has_start = 1;
                }
                if (q->has_end && (!c->ep_job.has_end || q->end_unix_s > c->ep_job.end_unix_s)) {
                    c->ep_job.end_unix_s = q->end_unix_s;
                    c->ep_job.has_end = 1;
                }
            }
            ok = ok && est_jobs_state_finished(c->ep_job.state);
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (ok || (double)now.tv_sec >= deadline)
            break;
        sleep(1);
    }
    if (!c->ep_found) {
        cli_msg("job %s: sacct has no record of it after %g s", id,
                c->wait_s);
        return rc ? rc : CLI_EX_UNAVAILABLE;
    }
    {
        unsigned k;
        for (k = 0; k < c->ep_n; k++) {
            est_jobs_footprint part;
            if ((rc = est_jobs_account(k ? &part : &fp, c->cluster, &c->ep_parts[k], &c->ao,
                                       &e)) != 0) {
                cli_msg("%s", e.message);
                return CLI_EX_DATAERR;
            }
            if (k)
                est_jobs_footprint_add(&fp, &part);
        }
    }
    c->format = CLI_FORMAT_JSON;
    per_job_row(c, &c->ep_job, &fp);
    if (c->out.failed || c->out.len < 2)
        return CLI_EX_SOFTWARE;
    /* "...}\n" -> "...,"settled":B}\n" */
    c->out.len -= 2;
    cli_buf_printf(&c->out, ",\"settled\":%s}\n", ok ? "true" : "false");
    if (c->out.failed)
        return CLI_EX_SOFTWARE;
    if (!ok)
        cli_warn("job %s: sacct still shows it %s after %g s; its line says settled: false", id,
                 est_jobs_state_name(c->ep_job.state), c->wait_s);
    rc = append_locked(c->log_path, c->out.data, c->out.len);
    if (rc == CLI_EX_OK && c->job_report)
        job_report(&c->ep_job, &fp, ok); /* best effort: warns on failure */
    return rc;
}

int cli_jobs_main(int argc, char **argv)
{
    jobs_cli c;
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_jobs_reader *r = NULL;
    est_embodied_factors *embodied = NULL;
    est_power_curves *curves = NULL;
    est_jobs_read_stats s;
    est_error e;
    int rc;
    memset(&c, 0, sizeof c);
    {
        est_cluster_options co = EST_CLUSTER_OPTIONS_INIT;
        est_jobs_read_options ro = EST_JOBS_READ_OPTIONS_INIT;
        est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
        est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
        c.co = co;
        c.ro = ro;
        c.ao = ao;
        c.go = go;
    }
    c.wait_s = 30.0; /* --wait */
    rc = parse_args(&c, argc, argv);
    if (rc == -2)
        return fflush(stdout) ? CLI_EX_IOERR : CLI_EX_OK;
    if (rc)
        return CLI_EX_USAGE;
    if (c.sacct && c.dry_run)
        return run_sacct(&c, NULL);
    /* no partition can have a CPU power: a usage error, not a bad row per
       job (a partition the cluster file does not name, with no default,
       is the job's bad row) */
    if (!c.cluster_file && !c.co.cpu_model && !(c.co.cpu_tdp_per_core_w > 0.0)) {
        cli_msg("no CPU power: describe the partitions with --cluster FILE (docs/cluster.md), "
                "or give every job's CPU with --cpu MODEL or --cpu-tdp-per-core W");
        return CLI_EX_USAGE;
    }
    if ((rc = open_cluster(&c, &db, &zones)) != 0)
        goto out;
    /* a bare MaxRSS number is in the cluster file's default_unit_RSS */
    c.ro.bare_rss_unit = est_cluster_default_rss_unit(c.cluster);
    /* the embodied share is always shown when its factors are there (as
       the estimate does); a missing table fails only --include-embodied */
    if ((rc = cli_open_embodied(&embodied, !c.ao.include_embodied)) != 0) {
        if (c.ao.include_embodied)
            goto out;
        rc = 0;
    }
    c.ao.embodied = embodied;
    /* the curve table the estimate uses (the same search) */
    if (c.ao.cpu_power_model == EST_MODEL_CPU_POWER_CURVE) {
        if ((rc = cli_open_curves(&curves)) != 0)
            goto out;
        c.ao.cpu_curves = curves;
    }
    c.ro.now_unix_s = (double)time(NULL);
    /* rows GreenAlgorithms4HPC cannot read are bad rows under its method */
    c.ro.method = c.ao.method;
    if (c.epilog) {
        rc = run_epilog(&c);
        goto out;
    }
    memset(&e, 0, sizeof e);
    c.go.charts = c.format == CLI_FORMAT_JSON || c.format == CLI_FORMAT_HTML;
    if (c.live.co.live || c.live.co.offline) {
        c.live.zones = zones;
        c.ao.intensity = live_provider;
        c.ao.intensity_user = &c.live;
        c.ao.strict = c.live.co.strict;
    }
    if ((rc = est_jobs_reader_open(&r, &c.ro, &e)) != 0 ||
        (!c.per_job && (rc = est_jobs_agg_open(&c.agg, &c.go, &e)) != 0)) {
        cli_msg("%s", e.message);
        rc = cli_exit_for(rc);
        goto out;
    }
    if (c.per_job && c.format == CLI_FORMAT_CSV)
        cli_buf_puts(&c.out, per_job_header);
    c.progress = isatty(2);
    rc = c.sacct ? run_sacct(&c, r) : read_files(&c, r);
    if (c.progress && c.n_jobs > 0x3ffffu)
        fputs("\r\033[K", stderr); /* the progress line goes */
    if (rc)
        goto out;
    est_jobs_reader_stats(&s, r);
    /* jobs the accounting found bad count as bad rows, not as jobs */
    s.bad_rows += c.n_bad_jobs;
    s.jobs -= c.n_bad_jobs < s.jobs ? c.n_bad_jobs : s.jobs;
    s.running -= c.n_bad_running < s.running ? c.n_bad_running : s.running;
    if (c.n_bad_jobs && !s.first_bad_row[0])
        snprintf(s.first_bad_row, sizeof s.first_bad_row, "%s", c.first_bad_job);
    stats_notes(&c, &s);
    if (c.per_job) {
        if (flush_out(&c, 1) || fflush(stdout)) {
            cli_msg("cannot write the output: write error");
            rc = CLI_EX_IOERR;
        }
        goto out;
    }
    est_jobs_agg_sort(c.agg, c.top > 0);
    if (c.format == CLI_FORMAT_TEXT)
        text_report(&c, &s, &c.out);
    else if (c.format == CLI_FORMAT_JSON)
        json_report(&c, &s, &c.out);
    else if (c.format == CLI_FORMAT_HTML) {
        cli_buf json = {0};
        json_report(&c, &s, &json);
        if (json.failed || !json.data)
            c.out.failed = 1;
        else
            cli_html_jobs(&c.out, json.data);
        cli_buf_free(&json);
    } else
        csv_report(&c, &c.out);
    rc = c.output ? cli_buf_write_file(&c.out, c.output) : cli_buf_flush(&c.out, stdout);
out:
    live_free(&c.live);
    if (c.live.co.live || c.live.co.offline)
        cli_live_shutdown();
    cli_buf_free(&c.out);
    est_jobs_reader_free(r);
    est_jobs_agg_free(c.agg);
    est_cluster_free(c.cluster);
    est_embodied_factors_free(embodied);
    est_power_curves_free(curves);
    est_hwdb_free(db);
    est_zones_free(zones);
    return rc;
}
