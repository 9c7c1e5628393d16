/* ecoest [estimate]: options in, library calls, report out. */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon_live.h"
#include "cli.h"
#include "detect.h"
#include "paths.h"
#include "report.h"
#include "live.h"
#include "samples_mode.h"

typedef struct est_opts {
    const char *cpu, *gpu, *zone, *runtime;
    int have_cores, have_gpus, have_cpu_usage, have_gpu_usage;
    unsigned cores, gpus, runs;
    int have_runs;
    double cpu_usage, gpu_usage;
    double cpu_tdp, cpu_tdp_per_core, gpu_tdp, gpu_idle, gpu_power;
    double memory_gb, memory_w_per_gb, hours, minutes, pue, ci;
    int have_cpu_tdp, have_cpu_tdp_per_core, have_gpu_tdp, have_gpu_idle,
        have_gpu_power, have_memory, have_memory_w_per_gb, have_hours,
        have_minutes, have_pue, have_ci;
    est_scope scope;
    int have_scope;
    cli_format format;
    cli_carbon_opts carbon;   /* --live, --start, ... (carbon_cmd.c) */
    cli_samples_opts samples; /* --samples and its options (samples_mode.c) */
} est_opts;

enum {
    OPT_CPU = 256, OPT_CORES, OPT_CPU_USAGE, OPT_CPU_TDP, OPT_CPU_TDP_PER_CORE,
    OPT_GPU, OPT_GPUS, OPT_GPU_USAGE, OPT_GPU_TDP, OPT_GPU_IDLE, OPT_GPU_POWER,
    OPT_MEMORY, OPT_MEMORY_W_PER_GB, OPT_HOURS, OPT_MINUTES, OPT_RUNTIME,
    OPT_RUNS, OPT_PUE, OPT_CI, OPT_ZONE, OPT_SCOPE, OPT_FORMAT,
    /* carbon options, in cli_carbon_opt order */
    OPT_LIVE, OPT_PROVIDER, OPT_OFFLINE, OPT_STRICT, OPT_FACTORS, OPT_TIMEOUT,
    OPT_START, OPT_END
};

static const struct option long_options[] = {
    {"cpu", required_argument, NULL, OPT_CPU},
    {"cores", required_argument, NULL, OPT_CORES},
    {"cpu-usage", required_argument, NULL, OPT_CPU_USAGE},
    {"cpu-tdp", required_argument, NULL, OPT_CPU_TDP},
    {"cpu-tdp-per-core", required_argument, NULL, OPT_CPU_TDP_PER_CORE},
    {"gpu", required_argument, NULL, OPT_GPU},
    {"gpus", required_argument, NULL, OPT_GPUS},
    {"gpu-usage", required_argument, NULL, OPT_GPU_USAGE},
    {"gpu-tdp", required_argument, NULL, OPT_GPU_TDP},
    {"gpu-idle", required_argument, NULL, OPT_GPU_IDLE},
    {"gpu-power", required_argument, NULL, OPT_GPU_POWER},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-w-per-gb", required_argument, NULL, OPT_MEMORY_W_PER_GB},
    {"hours", required_argument, NULL, OPT_HOURS},
    {"minutes", required_argument, NULL, OPT_MINUTES},
    {"runtime", required_argument, NULL, OPT_RUNTIME},
    {"runs", required_argument, NULL, OPT_RUNS},
    {"pue", required_argument, NULL, OPT_PUE},
    {"ci", required_argument, NULL, OPT_CI},
    {"zone", required_argument, NULL, OPT_ZONE},
    {"scope", required_argument, NULL, OPT_SCOPE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"live", no_argument, NULL, OPT_LIVE},
    {"provider", required_argument, NULL, OPT_PROVIDER},
    {"offline", no_argument, NULL, OPT_OFFLINE},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"factors", required_argument, NULL, OPT_FACTORS},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"start", required_argument, NULL, OPT_START},
    {"end", required_argument, NULL, OPT_END},
    {"samples", required_argument, NULL, CLI_OPT_SAMPLES},
    {"samples-format", required_argument, NULL, CLI_OPT_SAMPLES_FORMAT},
    {"columns", required_argument, NULL, CLI_OPT_COLUMNS},
    {"tz", required_argument, NULL, CLI_OPT_TZ},
    {"interval", required_argument, NULL, CLI_OPT_INTERVAL},
    {"idle-until", required_argument, NULL, CLI_OPT_IDLE_UNTIL},
    {"max-gap", required_argument, NULL, CLI_OPT_MAX_GAP},
    {"fill", required_argument, NULL, CLI_OPT_FILL},
    {"skip-bad-rows", no_argument, NULL, CLI_OPT_SKIP_BAD_ROWS},
    {"write-samples", required_argument, NULL, CLI_OPT_WRITE_SAMPLES},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static const char usage_text[] =
    "Usage: ecoest [OPTIONS]                 estimate from manual inputs\n"
    "       ecoest --samples FILE [OPTIONS]  estimate from sample logs\n"
    "       ecoest hwdb|carbon ...           see 'ecoest hwdb --help'\n"
    "\n"
    "Estimates the energy and carbon footprint of a computation:\n"
    "  power = PUE x (cores x TDP/core x usage + GPUs above idle + GB x 0.3725 W/GB)\n"
    "  energy = power x runtime x runs; carbon = energy x carbon intensity.\n"
    "\n"
    "Hardware:\n"
    "  --cpu MODEL|auto         CPU model, as hardware prints it or short\n"
    "                           (\"Xeon Gold 5218\", \"EPYC 7763\"); auto: this\n"
    "                           machine's CPU, physical cores of the CPU affinity\n"
    "  --cores N                cores used (default: all cores of the model)\n"
    "  --cpu-usage F            CPU usage, 0..1 or a percentage like 85% (default 1)\n"
    "  --cpu-tdp W              CPU package TDP, overrides the database;\n"
    "                           with --cores it needs no --cpu\n"
    "  --cpu-tdp-per-core W     TDP per core, overrides the database\n"
    "  --gpu MODEL|auto         GPU model (\"V100\", \"NVIDIA A100-SXM4-80GB\");\n"
    "                           auto: asks nvidia-smi for the model and count\n"
    "  --gpus N                 number of GPUs (default 1 when a GPU is named)\n"
    "  --gpu-usage F            GPU usage, 0..1 or a percentage (default 1)\n"
    "  --gpu-tdp W              GPU TDP, overrides the database\n"
    "  --gpu-idle W             GPU idle power (default: database, else 0)\n"
    "  --gpu-power W            measured mean power per GPU; replaces usage x TDP\n"
    "  --memory GB              memory allocated (default 0: not counted)\n"
    "  --memory-w-per-gb W      memory power per GB (default 0.3725)\n"
    "\n"
    "Runtime:\n"
    "  --hours H, --minutes M   runtime; both given add up\n"
    "  --runtime T              runtime as 2h30m, 90m, 1-02:03:04 or 02:03:04\n"
    "  --runs N                 number of runs (default 1)\n"
    "\n"
    "Data centre and grid:\n"
    "  --pue X                  power usage effectiveness, >= 1 (default 1.67)\n"
    "  --ci G                   carbon intensity, gCO2e/kWh (overrides the zone)\n"
    "  --zone CODE              grid zone (default WORLD, 475 gCO2e/kWh);\n"
    "                           list them: ecoest carbon zones [QUERY]\n"
    "\n"
    "Live carbon intensity (docs/carbon.md):\n"
    "@CARBON_OPTIONS@\n"
    "\n"
    "Output:\n"
    "  --scope process|allocation  headline scope (default process: GPUs above\n"
    "                           their idle power; allocation: GPUs from 0 W, as\n"
    "                           Green Algorithms); both are always computed\n"
    "  --format text|json|csv   output format (default text)\n"
    "  -h, --help               print this help and exit\n"
    "  -V, --version            print the version and exit\n"
    "\n"
    "Exit status: 0 ok, 64 usage, 65 bad data or unknown hardware, 66 missing\n"
    "input, 69 service unavailable, 70 internal error, 74 I/O error, 75 temporary\n"
    "failure.\n"
    "Docs: man ecoest (installed) or docs/ecoest.1; docs/ in the source tree.\n";

void cli_print_usage(FILE *f)
{
    static const char marker[] = "@CARBON_OPTIONS@\n";
    const char *grid = strstr(usage_text, "Data centre and grid:");
    const char *m = strstr(usage_text, marker);
    fwrite(usage_text, 1, (size_t)(grid - usage_text), f);
    fputs(cli_samples_usage, f);
    fputs("\n", f);
    fwrite(grid, 1, (size_t)(m - grid), f);
    fputs(cli_carbon_usage, f);
    fputs(m + sizeof marker - 1, f);
}

static int parse_args(int argc, char **argv, est_opts *o)
{
    int c;
    memset(o, 0, sizeof *o);
    o->format = CLI_FORMAT_TEXT;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hV", long_options, NULL)) != -1) {
        const char *a = optarg;
        switch (c) {
        case OPT_CPU: o->cpu = a; break;
        case OPT_CORES: if (cli_opt_count("--cores", a, &o->cores)) return -1; o->have_cores = 1; break;
        case OPT_CPU_USAGE: if (cli_opt_fraction("--cpu-usage", a, &o->cpu_usage)) return -1; o->have_cpu_usage = 1; break;
        case OPT_CPU_TDP: if (cli_opt_number("--cpu-tdp", a, &o->cpu_tdp)) return -1; o->have_cpu_tdp = 1; break;
        case OPT_CPU_TDP_PER_CORE: if (cli_opt_number("--cpu-tdp-per-core", a, &o->cpu_tdp_per_core)) return -1; o->have_cpu_tdp_per_core = 1; break;
        case OPT_GPU: o->gpu = a; break;
        case OPT_GPUS: if (cli_opt_count("--gpus", a, &o->gpus)) return -1; o->have_gpus = 1; break;
        case OPT_GPU_USAGE: if (cli_opt_fraction("--gpu-usage", a, &o->gpu_usage)) return -1; o->have_gpu_usage = 1; break;
        case OPT_GPU_TDP: if (cli_opt_number("--gpu-tdp", a, &o->gpu_tdp)) return -1; o->have_gpu_tdp = 1; break;
        case OPT_GPU_IDLE: if (cli_opt_number("--gpu-idle", a, &o->gpu_idle)) return -1; o->have_gpu_idle = 1; break;
        case OPT_GPU_POWER: if (cli_opt_number("--gpu-power", a, &o->gpu_power)) return -1; o->have_gpu_power = 1; break;
        case OPT_MEMORY: if (cli_opt_number("--memory", a, &o->memory_gb)) return -1; o->have_memory = 1; break;
        case OPT_MEMORY_W_PER_GB: if (cli_opt_number("--memory-w-per-gb", a, &o->memory_w_per_gb)) return -1; o->have_memory_w_per_gb = 1; break;
        case OPT_HOURS: if (cli_opt_number("--hours", a, &o->hours)) return -1; o->have_hours = 1; break;
        case OPT_MINUTES: if (cli_opt_number("--minutes", a, &o->minutes)) return -1; o->have_minutes = 1; break;
        case OPT_RUNTIME: o->runtime = a; break;
        case OPT_RUNS: if (cli_opt_count("--runs", a, &o->runs)) return -1; o->have_runs = 1; break;
        case OPT_PUE: if (cli_opt_number("--pue", a, &o->pue)) return -1; o->have_pue = 1; break;
        case OPT_CI: if (cli_opt_number("--ci", a, &o->ci)) return -1; o->have_ci = 1; break;
        case OPT_ZONE: o->zone = a; break;
        case OPT_SCOPE:
            if (est_scope_parse(a, &o->scope)) {
                cli_msg("--scope: expected process or allocation, got \"%s\"", a);
                return -1;
            }
            o->have_scope = 1;
            break;
        case OPT_FORMAT: if (cli_parse_format(a, &o->format)) return -1; break;
        case OPT_START: case OPT_END:
            /* one window for both: the live intensity's and the log's job window */
            if (cli_samples_option(&o->samples, c == OPT_START ? CLI_OPT_START : CLI_OPT_END, a))
                return -1;
            if (cli_carbon_set_option(&o->carbon, c - OPT_LIVE, a)) return -1;
            break;
        case OPT_LIVE: case OPT_PROVIDER: case OPT_OFFLINE: case OPT_STRICT:
        case OPT_FACTORS: case OPT_TIMEOUT:
            if (cli_carbon_set_option(&o->carbon, c - OPT_LIVE, a)) return -1;
            break;
        case CLI_OPT_SAMPLES: case CLI_OPT_SAMPLES_FORMAT: case CLI_OPT_COLUMNS:
        case CLI_OPT_TZ: case CLI_OPT_INTERVAL:
        case CLI_OPT_IDLE_UNTIL: case CLI_OPT_MAX_GAP: case CLI_OPT_FILL:
        case CLI_OPT_SKIP_BAD_ROWS: case CLI_OPT_WRITE_SAMPLES:
            if (cli_samples_option(&o->samples, c, a)) return -1;
            break;
        case 'h': return 1;
        case 'V': return 2;
        case ':': cli_msg("%s: missing value", argv[optind - 1]); return -1;
        default:
            if (optopt)
                cli_msg("unknown option '-%c' (see --help)", optopt);
            else
                cli_msg("unknown option '%s' (see --help)", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        cli_msg("unexpected argument \"%s\" (see --help)", argv[optind]);
        return -1;
    }
    return cli_samples_finish_args(&o->samples);
}

/* Checks that don't need the database. Returns 0 or -1 (message printed). */
static int check_combinations(const est_opts *o)
{
    if (o->samples.n_files && (o->runtime || o->have_hours || o->have_minutes)) {
        cli_msg("%s cannot be combined with --samples: the runtime is the samples' job "
                "window (see --start, --end)", o->runtime ? "--runtime" :
                o->have_hours ? "--hours" : "--minutes");
        return -1;
    }
    if (o->samples.n_files && o->have_runs) {
        cli_msg("--runs cannot be combined with --samples");
        return -1;
    }
    /* --gpu-idle with --idle-until: --gpu-idle gives the idle power, and
       --idle-until still starts the job window (docs/samples.md) */
    if (o->samples.write_path)
        return 0; /* converting: no estimate */
    if (o->runtime && (o->have_hours || o->have_minutes)) {
        cli_msg("--runtime cannot be combined with --hours or --minutes");
        return -1;
    }
    if (!o->runtime && !o->have_hours && !o->have_minutes && !o->carbon.start &&
        !o->samples.n_files) {
        cli_msg("missing runtime: give --hours, --minutes or --runtime (or --start)");
        return -1;
    }
    if (o->have_cpu_tdp && o->have_cpu_tdp_per_core) {
        cli_msg("--cpu-tdp and --cpu-tdp-per-core cannot both be given");
        return -1;
    }
    if (!o->cpu && (o->have_cpu_tdp || o->have_cpu_tdp_per_core) && !o->have_cores &&
        !o->samples.n_files) {
        cli_msg("--cpu-tdp and --cpu-tdp-per-core without --cpu need --cores");
        return -1;
    }
    if (!o->cpu && !o->have_cpu_tdp && !o->have_cpu_tdp_per_core &&
        (o->have_cores || o->have_cpu_usage)) {
        cli_msg("%s needs --cpu, --cpu-tdp or --cpu-tdp-per-core",
                o->have_cores ? "--cores" : "--cpu-usage");
        return -1;
    }
    if (!o->gpu && !o->have_gpu_tdp && !o->have_gpu_power && !o->samples.n_files &&
        (o->have_gpus || o->have_gpu_usage || o->have_gpu_idle)) {
        cli_msg("%s needs --gpu, --gpu-tdp or --gpu-power",
                o->have_gpus ? "--gpus" : o->have_gpu_usage ? "--gpu-usage" : "--gpu-idle");
        return -1;
    }
    if (o->have_gpu_power && o->have_gpu_usage) {
        cli_msg("--gpu-power is a measured power: it cannot be combined with --gpu-usage");
        return -1;
    }
    if (!o->cpu && !o->have_cpu_tdp && !o->have_cpu_tdp_per_core && !o->gpu &&
        !o->have_gpu_tdp && !o->have_gpu_power && !o->have_memory && !o->samples.n_files) {
        cli_msg("nothing to estimate: give --cpu, --gpu or --memory (see --help)");
        return -1;
    }
    if (cli_carbon_check(&o->carbon, o->zone != NULL))
        return -1;
    if (o->have_ci && (o->carbon.live || o->carbon.offline)) {
        cli_msg("--ci gives the intensity: it cannot be combined with --live or --offline");
        return -1;
    }
    if (o->have_pue && o->pue < 1.0) {
        cli_msg("--pue: must be at least 1, got %g", o->pue);
        return -1;
    }
    return 0;
}

/* Prints a lookup failure with its candidates. */
static void print_lookup_error(const char *label, const est_error *e, const char *hint)
{
    cli_msg("%s", e->message);
    cli_candidates(label, e);
    if (hint)
        cli_msg("%s", hint);
}

static int resolve_cpu(const est_opts *o, const est_hwdb *db, cli_report *r,
                       est_model_inputs *in)
{
    cli_hw_cpu *cpu = &r->cpu;
    /* --cpu auto: the brand string and the core count come from this machine */
    const char *name = o->cpu, *cores_src = "--cores";
    int have_cores = o->have_cores, detect_cores = 0;
    char cores_src_buf[160];
    unsigned cores = o->cores;
    char brand[EST_NAME_MAX * 2], brand_src[600];
    if (!o->cpu && !o->have_cpu_tdp && !o->have_cpu_tdp_per_core)
        return 0;
    cpu->present = 1;
    if (o->cpu && strcmp(o->cpu, "auto") == 0) {
        unsigned n_cpus = 0;
        char note[EST_ASSUMPTION_MAX];
        int rc = cli_detect_cpu(brand, sizeof brand, brand_src, sizeof brand_src, &n_cpus);
        if (rc)
            return rc;
        name = brand;
        detect_cores = !have_cores; /* physical cores, once the model is known */
        cli_report_input(r, "CPU detected", brand_src, "\"%s\"", brand);
        snprintf(note, sizeof note, "CPU detected (--cpu auto) from %s: \"%s\"", brand_src,
                 brand);
        est_model_add_assumption(&r->result, note);
        if (detect_cores) {
            /* until the model is resolved: the logical CPUs (used only when
               the name is unknown and the power is given) */
            have_cores = 1;
            cores = n_cpus;
            cores_src = "detected: logical CPUs in this process's affinity";
        }
    }
    if (name) {
        est_hw_match m;
        est_error e;
        int rc = est_hwdb_resolve(db, EST_HW_CPU, name, &m, &e);
        int overridden = o->have_cpu_tdp || o->have_cpu_tdp_per_core;
        if (rc && overridden) {
            /* the power is given: an unknown name does not matter */
            char note[EST_ASSUMPTION_MAX];
            if (!have_cores) {
                cli_msg("%s; with --cpu-tdp or --cpu-tdp-per-core, give --cores too",
                        e.message);
                return CLI_EX_USAGE;
            }
            snprintf(note, sizeof note, "CPU \"%s\" is not resolved in the hardware "
                     "database (%s): its power comes from %s and %u cores", name,
                     est_strerror(rc), o->have_cpu_tdp ? "--cpu-tdp" : "--cpu-tdp-per-core",
                     cores);
            est_model_add_assumption(&r->result, note);
            cli_report_input(r, "CPU model", "not in the hardware database", "\"%s\"", name);
            goto no_model;
        }
        if (rc) {
            est_hw_match other;
            if (est_hwdb_resolve(db, EST_HW_GPU, name, &other, NULL) == EST_OK) {
                cli_msg("\"%s\" is a GPU (%s): give it with --gpu", name, other.entry.model);
                return CLI_EX_USAGE;
            }
            if (detect_cores || (o->cpu && strcmp(o->cpu, "auto") == 0))
                cli_msg("--cpu auto: %s names the CPU \"%s\"", brand_src, brand);
            print_lookup_error("closest known CPUs", &e,
                               "give the CPU's power instead: --cpu-tdp W --cores N "
                               "(or --cpu-tdp-per-core W), or add it: ecoest hwdb add");
            return cli_exit_for(rc);
        }
        cpu->has_model = 1;
        snprintf(cpu->model, sizeof cpu->model, "%s", m.entry.model);
        snprintf(cpu->query, sizeof cpu->query, "%s", name);
        if (detect_cores) {
            /* --cpu auto: physical cores in the affinity mask, not threads */
            cli_cpu_count cc;
            cli_detect_cpu_count(m.entry.cores, m.entry.threads, &cc);
            cores = cc.physical_cores;
            snprintf(cores_src_buf, sizeof cores_src_buf, "detected: physical cores in this "
                     "process's affinity (%s)", cli_cores_how_name(cc.how));
            cores_src = cores_src_buf;
            est_model_add_assumption(&r->result, cc.note);
        }
        cpu->cores = have_cores ? cores : m.entry.cores;
        if (o->have_cpu_tdp_per_core) {
            cpu->tdp_per_core_w = o->cpu_tdp_per_core;
            cpu->tdp_w = o->cpu_tdp_per_core * (double)m.entry.cores;
            snprintf(cpu->source, sizeof cpu->source, "--cpu-tdp-per-core");
        } else {
            cpu->tdp_w = o->have_cpu_tdp ? o->cpu_tdp : m.entry.tdp_w;
            if (m.entry.cores == 0) {
                cli_msg("the database gives no core count for %s: give --cpu-tdp-per-core",
                        m.entry.model);
                return CLI_EX_DATAERR;
            }
            cpu->tdp_per_core_w = cpu->tdp_w / (double)m.entry.cores;
            if (o->have_cpu_tdp)
                snprintf(cpu->source, sizeof cpu->source, "--cpu-tdp");
            else
                snprintf(cpu->source, sizeof cpu->source, "%s", m.entry.source);
        }
        cli_report_input(r, "CPU model", m.entry.origin, "%s (asked: \"%s\", %s match)",
                         m.entry.model, name, est_hw_how_name(m.how));
        if (overridden) {
            /* the database's figure (and its notes) are not used */
            char note[EST_ASSUMPTION_MAX];
            snprintf(note, sizeof note, "CPU TDP of %s overridden by %s (the database gives "
                     "%g W for %u cores)", m.entry.model, cpu->source, m.entry.tdp_w,
                     m.entry.cores);
            est_model_add_assumption(&r->result, note);
        } else if (m.note[0]) {
            est_model_add_assumption(&r->result, m.note);
        }
        cli_report_input(r, "CPU TDP", cpu->source, "%g W for %u cores, %g W per core%s",
                         cpu->tdp_w, m.entry.cores, cpu->tdp_per_core_w,
                         m.entry.is_estimate && !o->have_cpu_tdp && !o->have_cpu_tdp_per_core
                             ? " (an estimate: no vendor figure)" : "");
        if (have_cores) {
            if (cores > m.entry.cores && m.entry.threads && cores > m.entry.threads)
                cli_warn("%u cores is more than the %u threads of one %s: several "
                         "sockets are assumed", cores, m.entry.threads, m.entry.model);
            cli_report_input(r, "CPU cores", cores_src, "%u", cpu->cores);
        } else {
            char note[EST_ASSUMPTION_MAX];
            snprintf(note, sizeof note, "CPU cores %u: all physical cores of one %s "
                     "(--cores not given)", cpu->cores, m.entry.model);
            est_model_add_assumption(&r->result, note);
            cli_report_input(r, "CPU cores", "default: all cores of the model", "%u",
                             cpu->cores);
        }
    } else {
    no_model:
        cpu->cores = cores;
        if (o->have_cpu_tdp_per_core) {
            cpu->tdp_per_core_w = o->cpu_tdp_per_core;
            cpu->tdp_w = o->cpu_tdp_per_core * (double)cores;
            snprintf(cpu->source, sizeof cpu->source, "--cpu-tdp-per-core");
        } else {
            cpu->tdp_w = o->cpu_tdp;
            cpu->tdp_per_core_w = o->cpu_tdp / (double)cores;
            snprintf(cpu->source, sizeof cpu->source, "--cpu-tdp");
        }
        cli_report_input(r, "CPU TDP", cpu->source, "%g W per core (no model)",
                         cpu->tdp_per_core_w);
        cli_report_input(r, "CPU cores", cores_src, "%u", cpu->cores);
    }
    in->cpu_cores = cpu->cores;
    in->cpu_tdp_per_core_w = cpu->tdp_per_core_w;
    if (o->samples.n_files && !o->have_cpu_usage) {
        /* the usage comes from the samples (cli_samples_apply) */
    } else if (o->have_cpu_usage) {
        in->cpu_usage_frac = o->cpu_usage;
        cli_report_input(r, "CPU usage", "--cpu-usage", "%g", o->cpu_usage);
    } else {
        cli_report_input(r, "CPU usage", "default", "1");
    }
    return 0;
}

static int resolve_gpu(const est_opts *o, const est_hwdb *db, cli_report *r,
                       est_model_inputs *in)
{
    cli_hw_gpu *gpu = &r->gpu;
    double db_idle = EST_UNSET;
    est_hw_match m;
    /* --gpu auto: the model and the count come from nvidia-smi */
    const char *name = o->gpu, *count_src = o->have_gpus ? "--gpus"
                                                          : "default: 1 when a GPU is named";
    char detected[EST_NAME_MAX * 2], detect_src[600];
    if (!o->gpu && !o->have_gpu_tdp && !o->have_gpu_power)
        return 0;
    gpu->present = 1;
    gpu->count = o->have_gpus ? o->gpus : 1;
    if (o->gpu && strcmp(o->gpu, "auto") == 0) {
        unsigned n = 0;
        char note[EST_ASSUMPTION_MAX];
        int rc = cli_detect_gpu(detected, sizeof detected, detect_src, sizeof detect_src, &n);
        if (rc)
            return rc;
        name = detected;
        cli_report_input(r, "GPU detected", detect_src, "%u x \"%s\"", n, detected);
        if (!o->have_gpus) {
            gpu->count = n;
            count_src = "detected: the GPUs nvidia-smi lists (those CUDA_VISIBLE_DEVICES "
                        "selects, when set)";
        }
        snprintf(note, sizeof note, "GPU detected (--gpu auto) from %s: %u x \"%s\"%s",
                 detect_src, n, detected, o->have_gpus ? "; --gpus overrides the count"
                                                       : "; all of them are counted (give "
                                                         "--gpus to correct)");
        est_model_add_assumption(&r->result, note);
    }
    if (name) {
        est_error e;
        int rc = est_hwdb_resolve(db, EST_HW_GPU, name, &m, &e);
        if (rc && (o->have_gpu_tdp || o->have_gpu_power)) {
            /* the power is given: an unknown name does not matter */
            char note[EST_ASSUMPTION_MAX];
            snprintf(note, sizeof note, "GPU \"%s\" is not resolved in the hardware database "
                     "(%s): its power comes from %s", name, est_strerror(rc),
                     o->have_gpu_tdp ? "--gpu-tdp" : "--gpu-power");
            est_model_add_assumption(&r->result, note);
            cli_report_input(r, "GPU model", "not in the hardware database", "\"%s\"", name);
            name = NULL;
        } else if (rc) {
            est_hw_match other;
            if (est_hwdb_resolve(db, EST_HW_CPU, name, &other, NULL) == EST_OK) {
                cli_msg("\"%s\" is a CPU (%s): give it with --cpu", name, other.entry.model);
                return CLI_EX_USAGE;
            }
            print_lookup_error("closest known GPUs", &e,
                               "give the GPU's power instead: --gpu-tdp W (or a measured "
                               "--gpu-power W), or add it: ecoest hwdb add");
            return cli_exit_for(rc);
        }
    }
    if (name) { /* resolved above */
        gpu->has_model = 1;
        snprintf(gpu->model, sizeof gpu->model, "%s", m.entry.model);
        snprintf(gpu->query, sizeof gpu->query, "%s", name);
        gpu->tdp_w = o->have_gpu_tdp ? o->gpu_tdp : m.entry.tdp_w;
        snprintf(gpu->source, sizeof gpu->source, "%s",
                 o->have_gpu_tdp ? "--gpu-tdp" : m.entry.source);
        db_idle = m.entry.idle_w;
        cli_report_input(r, "GPU model", m.entry.origin, "%s (asked: \"%s\", %s match)",
                         m.entry.model, name, est_hw_how_name(m.how));
        if (o->have_gpu_tdp) {
            char note[EST_ASSUMPTION_MAX];
            snprintf(note, sizeof note, "GPU TDP of %s overridden by --gpu-tdp (the database "
                     "gives %g W)", m.entry.model, m.entry.tdp_w);
            est_model_add_assumption(&r->result, note);
        } else if (m.note[0]) {
            est_model_add_assumption(&r->result, m.note);
        }
    } else {
        gpu->tdp_w = o->have_gpu_tdp ? o->gpu_tdp : 0.0;
        snprintf(gpu->source, sizeof gpu->source, "%s",
                 o->have_gpu_tdp ? "--gpu-tdp" : "--gpu-power");
    }
    if (gpu->tdp_w > 0.0)
        cli_report_input(r, "GPU TDP", gpu->source, "%g W per GPU", gpu->tdp_w);
    cli_report_input(r, "GPU count", count_src, "%u", gpu->count);

    if (o->have_gpu_idle) {
        gpu->idle_w = o->gpu_idle;
        gpu->idle_known = 1;
        snprintf(gpu->idle_source, sizeof gpu->idle_source, "--gpu-idle");
    } else if (db_idle != EST_UNSET) {
        gpu->idle_w = db_idle;
        gpu->idle_known = 1;
        snprintf(gpu->idle_source, sizeof gpu->idle_source, "hardware database");
    } else {
        gpu->idle_w = 0.0;
        snprintf(gpu->idle_source, sizeof gpu->idle_source, "unknown: 0 W assumed");
    }
    cli_report_input(r, "GPU idle power", gpu->idle_source, "%g W per GPU", gpu->idle_w);

    in->gpu_count = gpu->count;
    in->gpu_tdp_w = gpu->tdp_w;
    in->gpu_idle_w = gpu->idle_known ? gpu->idle_w : EST_UNSET;
    if (o->have_gpu_power) {
        if (gpu->tdp_w > 0.0 && o->gpu_power > 1.5 * gpu->tdp_w)
            cli_warn("--gpu-power %g W is %.1f times the GPU's TDP of %g W: is it the power "
                     "of all GPUs together? (--gpu-power is per GPU)", o->gpu_power,
                     o->gpu_power / gpu->tdp_w, gpu->tdp_w);
        in->gpu_power_w = o->gpu_power;
        cli_report_input(r, "GPU power", "--gpu-power (measured mean)", "%g W per GPU",
                         o->gpu_power);
    } else if (o->have_gpu_usage) {
        in->gpu_usage_frac = o->gpu_usage;
        cli_report_input(r, "GPU usage", "--gpu-usage", "%g", o->gpu_usage);
    } else {
        cli_report_input(r, "GPU usage", "default", "1");
    }
    return 0;
}

static int resolve_carbon(const est_opts *o, const est_zones *zones, cli_report *r,
                          est_model_inputs *in, const cli_samples_run *sr)
{
    est_carbon_series series;
    est_zone z;
    est_error e;
    const char *code = o->zone ? o->zone : "WORLD";
    int rc;
    if (o->have_ci && !o->zone) {
        in->ci_g_co2e_per_kwh = o->ci;
        snprintf(r->ci_source, sizeof r->ci_source, "--ci");
        cli_report_input(r, "Carbon intensity", "--ci", "%g gCO2e/kWh", o->ci);
        return 0;
    }
    rc = est_zones_lookup(zones, code, &z, &e);
    if (rc) {
        print_lookup_error("closest known zones", &e, "give the intensity instead: --ci G (gCO2e/kWh)");
        return cli_exit_for(rc);
    }
    snprintf(r->zone, sizeof r->zone, "%s", z.code);
    if (o->have_ci) {
        in->ci_g_co2e_per_kwh = o->ci;
        snprintf(r->ci_source, sizeof r->ci_source, "--ci (overrides zone %s's %g)",
                 z.code, z.ci_g_co2e_per_kwh);
        cli_report_input(r, "Carbon intensity", r->ci_source, "%g gCO2e/kWh", o->ci);
        return 0;
    }
    in->ci_g_co2e_per_kwh = z.ci_g_co2e_per_kwh;
    snprintf(r->ci_source, sizeof r->ci_source, "zone %s (%s), %u annual average, %s: %s",
             z.code, z.name, z.year, z.scope, z.source);
    cli_carbon_default(&r->carbon, &z, &o->carbon);
    memset(&series, 0, sizeof series);
    rc = cli_carbon_live(&o->carbon, &z, &r->carbon, &series);
    if (rc) {
        cli_live_clear(&series);
        return rc;
    }
    if (strcmp(r->carbon.source, "default") != 0) {
        in->ci_g_co2e_per_kwh = r->carbon.mean_g_per_kwh;
        snprintf(r->ci_source, sizeof r->ci_source,
                 "%s, zone %s, mean over %s to %s, %.0f%% covered%s%s", r->carbon.source,
                 z.code, r->carbon.start, r->carbon.end, r->carbon.coverage_frac * 100.0,
                 r->carbon.factors[0] ? ", factors " : "", r->carbon.factors);
        if (sr && series.n_points) {
            /* the log gives the power profile: weight the intensity by energy */
            est_ci_weighted w;
            est_error we;
            int wrc = cli_samples_weighted_ci(sr, in, series.points, series.n_points, &w, &we);
            if (wrc == EST_OK && w.mean_g_co2e_per_kwh >= 0.0) {
                r->carbon.has_energy_weighted = 1;
                r->carbon.energy_weighted_g_per_kwh = w.mean_g_co2e_per_kwh;
                r->carbon.energy_weighted_coverage_frac = w.coverage_frac;
                in->ci_g_co2e_per_kwh = w.mean_g_co2e_per_kwh;
                snprintf(r->ci_source, sizeof r->ci_source,
                         "%s, zone %s, %s to %s, weighted by the log's energy in 15-minute "
                         "bins (time mean %.4g), %.0f%% of the energy covered", r->carbon.source,
                         z.code, r->carbon.start, r->carbon.end, r->carbon.mean_g_per_kwh,
                         w.coverage_frac * 100.0);
            } else if (wrc != EST_OK) {
                cli_warn("no energy-weighted intensity (%s): using the time mean", we.message);
            }
        }
    }
    cli_live_clear(&series);
    if (r->carbon.fallback_reason[0]) {
        /* --live was asked and failed: the report must say so, not only stderr */
        char note[EST_ASSUMPTION_MAX];
        size_t used = strlen(r->ci_source);
        snprintf(note, sizeof note, "Live carbon intensity unavailable, zone %s's annual "
                 "average used instead: %s", z.code, r->carbon.fallback_reason);
        est_model_add_assumption(&r->result, note);
        snprintf(r->ci_source + used, sizeof r->ci_source - used,
                 " (fallback: the live source failed)");
    }
    cli_report_input(r, "Carbon intensity", r->ci_source, "%g gCO2e/kWh",
                     in->ci_g_co2e_per_kwh);
    if (!o->zone) {
        char note[EST_ASSUMPTION_MAX];
        snprintf(note, sizeof note, "Zone WORLD, %g gCO2e/kWh: no --zone or --ci given; "
                 "the world average (%s)", z.ci_g_co2e_per_kwh, z.source);
        est_model_add_assumption(&r->result, note);
    }
    return 0;
}

/* The model names its inputs by field; say which option (or data) set it.
   A conflict between values that came from the database or a log is data
   (65), between options usage (64): the caller maps the code. */
static void print_model_error(const est_error *e, int samples)
{
    static const struct { const char *field, *what; } names[] = {
        {"cpu_tdp_per_core_w", "--cpu-tdp / --cpu-tdp-per-core (or the CPU's database row)"},
        {"cpu_usage_frac", "--cpu-usage"},
        {"gpu_tdp_w", "--gpu-tdp (or the GPU's database row)"},
        {"gpu_idle_w", "--gpu-idle (or the GPU's idle power in the database)"},
        {"gpu_usage_frac", "--gpu-usage"},
        {"gpu_power_w", "--gpu-power"},
        {"memory_gb", "--memory"},
        {"memory_w_per_gb", "--memory-w-per-gb"},
        {"pue", "--pue"},
        {"runtime_h", "the runtime"},
        {"ci_g_co2e_per_kwh", "the carbon intensity (--ci or the zone)"},
        {"runs", "--runs"}};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].field);
        if (strncmp(e->message, names[i].field, n) == 0 && e->message[n] == ':') {
            cli_msg("%s%s:%s", names[i].what, samples ? " (with the sample logs)" : "",
                    e->message + n + 1);
            return;
        }
    }
    cli_msg("%s", e->message);
}

int cli_estimate_main(int argc, char **argv)
{
    est_opts o;
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    cli_report *r;
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_error e;
    cli_buf out = {0};
    cli_samples_run *sr = NULL;
    int cores_from_log = 0;
    double runtime_s = 0.0;
    int rc;

    rc = parse_args(argc, argv, &o);
    if (rc == 1) {
        cli_print_usage(stdout);
        return fflush(stdout) ? CLI_EX_IOERR : CLI_EX_OK;
    }
    if (rc == 2) {
        printf("ecoest %s\n", est_version());
        return fflush(stdout) ? CLI_EX_IOERR : CLI_EX_OK;
    }
    if (rc < 0 || check_combinations(&o))
        return CLI_EX_USAGE;
    if (o.samples.write_path)
        return cli_samples_convert(&o.samples);

    if (!o.samples.n_files) { /* with sample logs, runtime and window are the log's */
        if (o.runtime && est_parse_duration(o.runtime, &runtime_s)) {
            cli_msg("--runtime: expected a duration like 2h30m, 90m, 1-02:03:04 or "
                    "02:03:04, got \"%s\"", o.runtime);
            return CLI_EX_USAGE;
        }
        if (!o.runtime)
            runtime_s = o.hours * 3600.0 + o.minutes * 60.0;
        if (cli_carbon_window(&o.carbon, o.runtime || o.have_hours || o.have_minutes,
                              &runtime_s))
            return CLI_EX_USAGE;
        if (!isfinite(runtime_s)) {
            cli_msg("runtime: too large");
            return CLI_EX_USAGE;
        }
        if (!(runtime_s > 0.0)) {
            cli_msg("runtime: must be greater than 0");
            return CLI_EX_USAGE;
        }
    }

    r = calloc(1, sizeof *r);
    if (!r) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    if (o.samples.n_files) {
        o.samples.want_bins = o.carbon.live || o.carbon.offline;
        rc = cli_samples_read(&o.samples, o.have_gpu_idle ? o.gpu_idle : EST_UNSET, &sr);
        if (rc)
            goto done;
        if (!o.have_cores && cli_samples_log_cores(sr)) {
            o.cores = cli_samples_log_cores(sr); /* the cores the log's usage refers to */
            o.have_cores = 1;
            cores_from_log = 1;
        }
        if (!o.cpu && (o.have_cpu_tdp || o.have_cpu_tdp_per_core) && !o.have_cores) {
            cli_msg("--cpu-tdp and --cpu-tdp-per-core without --cpu need --cores (the "
                    "sample log gives no cpu_cores)");
            rc = CLI_EX_USAGE;
            goto done;
        }
    }
    /* open only what the run needs: a name to resolve (or a log's GPU names),
       a zone to look up */
    if (o.cpu || o.gpu || sr)
        rc = cli_open_hwdb(&db);
    if (!rc && (o.zone || !o.have_ci))
        rc = cli_open_zones(&zones);
    /* inputs that do not depend on the hardware, set before the carbon step
       (an energy-weighted intensity uses the scope and the W/GB) */
    if (o.have_memory_w_per_gb)
        in.memory_w_per_gb = o.memory_w_per_gb;
    if (o.have_pue)
        in.pue = o.pue;
    in.scope = o.have_scope ? o.scope : EST_SCOPE_PROCESS;
    if (!rc)
        rc = resolve_cpu(&o, db, r, &in);
    if (!rc && (!sr || !cli_samples_has_gpu_power(sr)))
        rc = resolve_gpu(&o, db, r, &in);
    if (!rc && sr) {
        cli_samples_manual m;
        memset(&m, 0, sizeof m);
        /* --gpu auto asks nvidia-smi: with a log, the log's own names count */
        m.gpu = o.gpu && strcmp(o.gpu, "auto") != 0 ? o.gpu : NULL;
        m.cores_from_log = cores_from_log;
        m.have_cpu_usage = o.have_cpu_usage;
        m.have_memory = o.have_memory;
        m.memory_gb = o.memory_gb;
        m.have_gpu_power = o.have_gpu_power;
        m.have_gpu_usage = o.have_gpu_usage;
        m.have_gpus = o.have_gpus;
        rc = cli_samples_apply(sr, &m, db, r, &in);
        if (!rc && (o.carbon.live || o.carbon.offline)) {
            /* the live intensity covers the log's real job window */
            o.carbon.has_window = 1;
            cli_samples_window(sr, &o.carbon.start_unix_s, &o.carbon.end_unix_s);
        }
    }
    if (!rc)
        rc = resolve_carbon(&o, zones, r, &in, sr);
    if (rc)
        goto done;

    if (!sr) { /* with sample logs, runtime, runs and memory come from them */
        in.runtime_h = runtime_s / 3600.0;
        cli_report_input(r, "Runtime", o.runtime ? "--runtime" : o.have_hours ? "--hours" :
                         o.have_minutes ? "--minutes" : "--start/--end",
                         "%g h", in.runtime_h);
        in.runs = o.have_runs ? o.runs : 1;
        cli_report_input(r, "Runs", o.have_runs ? "--runs" : "default", "%u", in.runs);
        if (o.have_memory) {
            in.memory_gb = o.memory_gb;
            cli_report_input(r, "Memory", "--memory", "%g GB", o.memory_gb);
        } else {
            cli_report_input(r, "Memory", "not given: not counted", "0 GB");
            est_model_add_assumption(&r->result, "Memory not counted: --memory not given "
                                                 "(Green Algorithms counts the memory "
                                                 "allocated)");
        }
    } else if (in.memory_gb == 0.0) {
        cli_report_input(r, "Memory", "the sample logs give no RAM: not counted", "0 GB");
    }
    if (!r->cpu.present)
        est_model_add_assumption(&r->result, "No CPU counted: give --cpu MODEL, or --cpu-tdp "
                                             "with --cores (Green Algorithms always counts one)");
    cli_report_input(r, "Memory power", o.have_memory_w_per_gb ? "--memory-w-per-gb" :
                     "default (Green Algorithms)", "%g W/GB",
                     o.have_memory_w_per_gb ? o.memory_w_per_gb : EST_DEFAULT_MEMORY_W_PER_GB);
    cli_report_input(r, "PUE", o.have_pue ? "--pue" : "default (Uptime Institute 2019)", "%g",
                     o.have_pue ? o.pue : EST_DEFAULT_PUE);

    {
        /* keep the assumptions the resolution steps added */
        est_model_result tmp;
        size_t i;
        rc = est_model_compute(&in, &tmp, &e);
        if (rc) {
            print_model_error(&e, sr != NULL);
            rc = cli_exit_for(rc);
            goto done;
        }
        for (i = 0; i < r->result.n_assumptions; i++)
            est_model_add_assumption(&tmp, r->result.assumptions[i]);
        r->result = tmp;
    }
    r->gpu.idle_w = r->result.used.gpu_idle_w;
    if (sr)
        cli_samples_after_model(sr, r);

    cli_report_render(r, o.format, &out);
    rc = cli_buf_flush(&out, stdout);
done:
    cli_buf_free(&out);
    est_hwdb_free(db);
    est_zones_free(zones);
    cli_samples_run_free(sr);
    free(r);
    return rc;
}
