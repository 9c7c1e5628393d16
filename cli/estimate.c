/* ecoest [estimate]: options in, library calls, report out. */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

#include "carbon_live.h"
#include "ecoest/fs.h"
#include "cli.h"
#include "detect.h"
#include "paths.h"
#include "report.h"
#include "live.h"
#include "samples_mode.h"
#include "html_samples.h"
#include "html_carbon.h"

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
    est_model_scope scope;
    int have_scope;
    /* the node scope, measured energies, the meter (issue 11) */
    unsigned node_cores, node_gpus;
    int have_node_cores, have_node_gpus, have_node_memory, have_node_static;
    double node_memory_gb, node_static_w;
    double cpu_energy, gpu_energy, node_energy, compare, psu;
    int have_cpu_energy, have_gpu_energy, have_node_energy, have_compare, have_psu;
    est_model_cpu_power cpu_power_model;
    /* where it runs (issue 13) */
    int platform;           /* an est_regions_platform, or -1 */
    const char *cloud;
    double wue;
    int have_wue, include_embodied;
    cli_format format;
    const char *output; /* --output FILE, or NULL: stdout */
    cli_carbon_opts carbon;   /* --live, --start, ... (carbon_cmd.c) */
    cli_samples_opts samples; /* --samples and its options (samples_mode.c) */
    const char *memory_w_per_gb_source; /* a named figure's source, or NULL */
    char memory_source_buf[EST_ERROR_MESSAGE_MAX]; /* it, for a named figure */
} est_opts;

enum {
    OPT_CPU = 256, OPT_CORES, OPT_CPU_USAGE, OPT_CPU_TDP, OPT_CPU_TDP_PER_CORE,
    OPT_GPU, OPT_GPUS, OPT_GPU_USAGE, OPT_GPU_TDP, OPT_GPU_IDLE, OPT_GPU_POWER,
    OPT_MEMORY, OPT_MEMORY_W_PER_GB, OPT_HOURS, OPT_MINUTES, OPT_RUNTIME,
    OPT_RUNS, OPT_PUE, OPT_CI, OPT_ZONE, OPT_SCOPE, OPT_FORMAT,
    /* carbon options, in cli_carbon_opt order */
    OPT_LIVE, OPT_PROVIDER, OPT_OFFLINE, OPT_STRICT, OPT_FACTORS, OPT_TIMEOUT,
    OPT_START, OPT_END,
    /* issue 11: after the samples' options (once() numbers them on) */
    OPT_NODE_CORES = 2000, OPT_NODE_GPUS, OPT_NODE_MEMORY, OPT_NODE_STATIC_W,
    OPT_CPU_ENERGY, OPT_GPU_ENERGY, OPT_NODE_ENERGY, OPT_COMPARE, OPT_PSU,
    OPT_CPU_POWER_MODEL,
    /* issue 13: where it runs, water, the embodied share */
    OPT_PLATFORM, OPT_CLOUD, OPT_WUE, OPT_INCLUDE_EMBODIED,
    /* issue 15: the HTML report */
    OPT_OUTPUT,
    OPT_LAST_ = OPT_OUTPUT
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
    {"output", required_argument, NULL, OPT_OUTPUT},
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
    {"node-cores", required_argument, NULL, OPT_NODE_CORES},
    {"node-gpus", required_argument, NULL, OPT_NODE_GPUS},
    {"node-memory", required_argument, NULL, OPT_NODE_MEMORY},
    {"node-static-w", required_argument, NULL, OPT_NODE_STATIC_W},
    {"cpu-energy-kwh", required_argument, NULL, OPT_CPU_ENERGY},
    {"gpu-energy-kwh", required_argument, NULL, OPT_GPU_ENERGY},
    {"node-energy-kwh", required_argument, NULL, OPT_NODE_ENERGY},
    {"compare-kwh", required_argument, NULL, OPT_COMPARE},
    {"psu-efficiency", required_argument, NULL, OPT_PSU},
    {"cpu-power-model", required_argument, NULL, OPT_CPU_POWER_MODEL},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"cloud", required_argument, NULL, OPT_CLOUD},
    {"wue", required_argument, NULL, OPT_WUE},
    {"include-embodied", no_argument, NULL, OPT_INCLUDE_EMBODIED},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

const struct option *cli_estimate_long_options(void)
{
    return long_options;
}

/* printed after the hardware options (kept apart: one string literal must
   stay under 4095 bytes) */
static const char usage_node_text[] =
    "The node (the node scope; default: the job's allocation is the node):\n"
    "  --node-cores N           CPU cores of the node (every one counts its idle\n"
    "                           floor in the node scope)\n"
    "  --node-gpus N            GPUs of the node (each counts at least its idle)\n"
    "  --node-memory GB         memory of the node\n"
    "  --node-static-w W        the node's static power: fans, board, disks\n"
    "                           (default 20, the low end of Grid'5000's 20-45 W)\n"
    "\n"
    "Measured energy (kWh of one run; each replaces its estimate):\n"
    "  --cpu-energy-kwh E       the CPU's energy (RAPL)\n"
    "  --gpu-energy-kwh E       the job's GPUs' energy together (NVML)\n"
    "  --node-energy-kwh E      the node's energy (IPMI, Slurm ConsumedEnergy, a\n"
    "                           wattmeter): replaces the node scope's estimate\n"
    "  --compare-kwh E          a meter's reading for the whole job: each scope's\n"
    "                           energy before PUE beside it, with the ratio\n"
    "  --psu-efficiency F       0..1: the node scope divided by it when\n"
    "                           --compare-kwh is an AC (wall) meter's reading;\n"
    "                           a measured node energy is never divided\n"
    "\n"
    "Where it runs (docs/method.md; ecoest carbon regions lists the regions):\n"
    "  --platform laptop|desktop|local-server|cloud  sets the PUE when --pue is\n"
    "                           not given (1 on a laptop or desktop, 1.56 else) and\n"
    "                           the hardware's lifetime for the embodied share\n"
    "  --cloud PROVIDER:REGION  aws:eu-west-3, gcp:europe-west9, azure:francecentral:\n"
    "                           the region's zone and its provider's PUE and WUE\n"
    "  --wue L                  on-site water, litres per kWh of IT energy (default:\n"
    "                           the cloud region's, else 0, stated)\n"
    "  --include-embodied       add the embodied share (the manufacturing of the\n"
    "                           hardware held, always shown) to the headline CO2e\n"
    "\n";

static const char usage_text[] =
    "Usage: ecoest [OPTIONS]                 estimate from manual inputs\n"
    "       ecoest --samples FILE [OPTIONS]  estimate from sample logs\n"
    "       ecoest run [OPTIONS] -- CMD      measure a command while it runs\n"
    "       ecoest jobs [OPTIONS] FILE...    Slurm accounting (sacct records)\n"
    "       ecoest where|when ...            the greenest site, the greenest hour\n"
    "       ecoest hwdb|carbon ...           see 'ecoest COMMAND --help'\n"
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
    "  --cpu-tdp W              TDP of one CPU package, overrides the database;\n"
    "                           split over the package's cores (the model's;\n"
    "                           without --cpu, --cores is taken as the package)\n"
    "  --cpu-tdp-per-core W     TDP per core, overrides the database\n"
    "  --cpu-power-model tdp|curve  tdp (default): cores x TDP/core x usage, as\n"
    "                           Green Algorithms; curve: an idle floor plus the\n"
    "                           dynamic range x f(usage), the CPU family's row\n"
    "                           of cpu_power_curves.csv (docs/method.md)\n"
    "  --gpu MODEL|auto         GPU model (\"V100\", \"NVIDIA A100-SXM4-80GB\");\n"
    "                           auto: asks nvidia-smi for the model and count\n"
    "  --gpus N                 number of GPUs (default 1 when a GPU is named)\n"
    "  --gpu-usage F            GPU usage, 0..1 or a percentage (default 1)\n"
    "  --gpu-tdp W              GPU TDP, overrides the database\n"
    "  --gpu-idle W             GPU idle power (default: database, else 0)\n"
    "  --gpu-power W            measured mean power per GPU; replaces usage x TDP\n"
    "  --memory GB              memory allocated (default 0: not counted)\n"
    "@MEMORY_FIGURES@\n"
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
    "  --scope process|allocation|node  headline scope (default process: GPUs\n"
    "                           above their idle power; allocation: GPUs from\n"
    "                           0 W, as Green Algorithms; node: the whole node\n"
    "                           while held); all three are always computed\n"
    "  --format text|json|csv|html  output format (default text); html: one\n"
    "                           self-contained page (docs/html.md)\n"
    "  --output FILE            write the report to FILE (atomically) instead\n"
    "                           of standard output\n"
    "  -h, --help               print this help and exit\n"
    "  -V, --version            print the version and exit\n"
    "\n"
    "Exit status: 0 ok, 64 usage, 65 bad data or unknown hardware, 66 missing\n"
    "input, 69 service unavailable, 70 internal error, 74 I/O error, 75 temporary\n"
    "failure.\n"
    "Docs: man ecoest (installed) or docs/ecoest.1; docs/ in the source tree.\n";

/* --memory-w-per-gb's help from the library's table of named figures,
   wrapped at 78 columns under the option column. */
static void print_memory_usage(FILE *f)
{
    static const char opt[] = "  --memory-w-per-gb W|NAME ";
    char text[1024], *save = NULL, *w;
    size_t i, o, col;
    o = (size_t)snprintf(text, sizeof text, "memory power per GB (default %g); NAME:",
                         EST_DEFAULT_MEMORY_W_PER_GB);
    for (i = 0; i < est_power_memory_count() && o < sizeof text; i++) {
        const est_power_memory_figure *m = est_power_memory_at(i);
        o += (size_t)snprintf(text + o, sizeof text - o, "%s %s (%g, %s)", i ? "," : "",
                              m->name, m->w_per_gb, m->label);
    }
    fputs(opt, f);
    col = sizeof opt - 1;
    for (w = strtok_r(text, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        size_t n = strlen(w);
        if (col > sizeof opt - 1 && col + 1 + n > 78) {
            fprintf(f, "\n%*s", (int)(sizeof opt - 1), "");
            col = sizeof opt - 1;
        } else if (col > sizeof opt - 1) {
            fputc(' ', f);
            col++;
        }
        fputs(w, f);
        col += n;
    }
    fputc('\n', f);
}

void cli_print_usage(FILE *f)
{
    static const char marker[] = "@CARBON_OPTIONS@\n";
    static const char mem_marker[] = "@MEMORY_FIGURES@\n";
    const char *grid = strstr(usage_text, "Data centre and grid:");
    const char *m = strstr(usage_text, marker);
    const char *runtime = strstr(usage_text, "Runtime:");
    const char *mem = strstr(usage_text, mem_marker);
    fwrite(usage_text, 1, (size_t)(mem - usage_text), f);
    print_memory_usage(f);
    mem += sizeof mem_marker - 1;
    fwrite(mem, 1, (size_t)(runtime - mem), f);
    fputs(usage_node_text, f);
    fwrite(runtime, 1, (size_t)(grid - runtime), f);
    fputs(cli_samples_usage, f);
    fputs("\n", f);
    fwrite(grid, 1, (size_t)(m - grid), f);
    fputs(cli_carbon_usage, f);
    fputs(m + sizeof marker - 1, f);
}

/* Options given once: a second value is refused rather than silently
   replacing the first (--hours 1 --hours 2). --samples, --columns and
   --samples-format repeat, once per log. */
static int once(int c, unsigned char seen[])
{
    int i = c >= OPT_CPU && c <= OPT_END ? c - OPT_CPU
            : c >= CLI_OPT_SAMPLES && c <= CLI_OPT_WRITE_SAMPLES
                ? (OPT_END - OPT_CPU + 1) + (c - CLI_OPT_SAMPLES)
            : c >= OPT_NODE_CORES && c <= OPT_LAST_
                ? (OPT_END - OPT_CPU + 1) + (CLI_OPT_WRITE_SAMPLES - CLI_OPT_SAMPLES + 1) +
                      (c - OPT_NODE_CORES)
                : -1;
    if (i < 0 || c == CLI_OPT_SAMPLES || c == CLI_OPT_COLUMNS || c == CLI_OPT_SAMPLES_FORMAT)
        return 0;
    if (seen[i]) {
        const struct option *lo;
        for (lo = long_options; lo->name && lo->val != c; lo++)
            ;
        cli_msg("--%s given twice: give each option once (--hours and --minutes add up)",
                lo->name ? lo->name : "?");
        return -1;
    }
    seen[i] = 1;
    return 0;
}

static int parse_args(int argc, char **argv, est_opts *o)
{
    int c;
    unsigned char seen[128] = {0};
    memset(o, 0, sizeof *o);
    o->platform = -1;
    o->format = CLI_FORMAT_TEXT;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hV", long_options, NULL)) != -1) {
        const char *a = optarg;
        if (once(c, seen))
            return -1;
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
        case OPT_MEMORY_W_PER_GB:
            if (cli_opt_memory_w(a, &o->memory_w_per_gb, &o->memory_w_per_gb_source,
                                 o->memory_source_buf, sizeof o->memory_source_buf))
                return -1;
            o->have_memory_w_per_gb = 1;
            break;
        case OPT_HOURS: if (cli_opt_number("--hours", a, &o->hours)) return -1; o->have_hours = 1; break;
        case OPT_MINUTES: if (cli_opt_number("--minutes", a, &o->minutes)) return -1; o->have_minutes = 1; break;
        case OPT_RUNTIME: o->runtime = a; break;
        case OPT_RUNS: if (cli_opt_count("--runs", a, &o->runs)) return -1; o->have_runs = 1; break;
        case OPT_PUE: if (cli_opt_number("--pue", a, &o->pue)) return -1; o->have_pue = 1; break;
        case OPT_CI: if (cli_opt_number("--ci", a, &o->ci)) return -1; o->have_ci = 1; break;
        case OPT_ZONE: o->zone = a; break;
        case OPT_SCOPE:
            if (est_model_scope_parse(&o->scope, a)) {
                cli_msg("--scope: expected process, allocation or node, got \"%s\"", a);
                return -1;
            }
            o->have_scope = 1;
            break;
        case OPT_FORMAT: if (cli_parse_format_html(a, &o->format)) return -1; break;
        case OPT_OUTPUT: o->output = a; break;
        case OPT_NODE_CORES: if (cli_opt_count("--node-cores", a, &o->node_cores)) return -1; o->have_node_cores = 1; break;
        case OPT_NODE_GPUS: if (cli_opt_count("--node-gpus", a, &o->node_gpus)) return -1; o->have_node_gpus = 1; break;
        case OPT_NODE_MEMORY: if (cli_opt_number("--node-memory", a, &o->node_memory_gb)) return -1; o->have_node_memory = 1; break;
        case OPT_NODE_STATIC_W: if (cli_opt_number("--node-static-w", a, &o->node_static_w)) return -1; o->have_node_static = 1; break;
        case OPT_CPU_ENERGY: if (cli_opt_number("--cpu-energy-kwh", a, &o->cpu_energy)) return -1; o->have_cpu_energy = 1; break;
        case OPT_GPU_ENERGY: if (cli_opt_number("--gpu-energy-kwh", a, &o->gpu_energy)) return -1; o->have_gpu_energy = 1; break;
        case OPT_NODE_ENERGY: if (cli_opt_number("--node-energy-kwh", a, &o->node_energy)) return -1; o->have_node_energy = 1; break;
        case OPT_COMPARE: if (cli_opt_number("--compare-kwh", a, &o->compare)) return -1; o->have_compare = 1; break;
        case OPT_PSU: if (cli_opt_fraction("--psu-efficiency", a, &o->psu)) return -1; o->have_psu = 1; break;
        case OPT_PLATFORM: {
            est_regions_platform p;
            if (est_regions_platform_parse(&p, a)) {
                cli_msg("--platform: expected laptop, desktop, local-server or cloud, got "
                        "\"%s\"", a);
                return -1;
            }
            o->platform = (int)p;
            break;
        }
        case OPT_CLOUD: o->cloud = a; break;
        case OPT_WUE: if (cli_opt_number("--wue", a, &o->wue)) return -1; o->have_wue = 1; break;
        case OPT_INCLUDE_EMBODIED: o->include_embodied = 1; break;
        case OPT_CPU_POWER_MODEL:
            if (est_model_cpu_power_parse(&o->cpu_power_model, a)) {
                cli_msg("--cpu-power-model: expected tdp or curve, got \"%s\"", a);
                return -1;
            }
            break;
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
    if (o->have_psu && !o->have_compare) {
        cli_msg("--psu-efficiency is used only to compare the node scope with an AC meter: "
                "give --compare-kwh too");
        return -1;
    }
    if (o->have_psu && !(o->psu > 0.0)) {
        cli_msg("--psu-efficiency: must be above 0");
        return -1;
    }
    if (o->have_cpu_energy && o->have_cpu_usage) {
        cli_msg("--cpu-energy-kwh is a measurement: it cannot be combined with --cpu-usage");
        return -1;
    }
    if (o->have_gpu_energy && (o->have_gpu_usage || o->have_gpu_power)) {
        cli_msg("--gpu-energy-kwh is a measurement: it cannot be combined with %s",
                o->have_gpu_usage ? "--gpu-usage" : "--gpu-power");
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

/* Prints a lookup failure with the names close to the one refused. */
static void print_lookup_error(const est_error *e, const cli_tables *t, const char *hint)
{
    cli_msg("%s", e->message);
    cli_suggest(NULL, CLI_LOOKUP_INPUT, e, t);
    if (hint)
        cli_msg("%s", hint);
}

/* The options' names, by input: sources and messages name them. */
static void set_labels(const est_opts *o, const char *labels[EST_INPUT_COUNT])
{
    memset(labels, 0, EST_INPUT_COUNT * sizeof *labels);
    labels[EST_INPUT_CPU_MODEL] = "--cpu";
    labels[EST_INPUT_CPU_CORES] = "--cores";
    labels[EST_INPUT_CPU_TDP] = "--cpu-tdp";
    labels[EST_INPUT_CPU_TDP_PER_CORE] = "--cpu-tdp-per-core";
    labels[EST_INPUT_CPU_USAGE] = "--cpu-usage";
    labels[EST_INPUT_GPU_MODEL] = "--gpu";
    labels[EST_INPUT_GPU_COUNT] = "--gpus";
    labels[EST_INPUT_GPU_TDP] = "--gpu-tdp";
    labels[EST_INPUT_GPU_IDLE] = "--gpu-idle";
    labels[EST_INPUT_GPU_USAGE] = "--gpu-usage";
    labels[EST_INPUT_GPU_POWER] = "--gpu-power";
    labels[EST_INPUT_MEMORY] = "--memory";
    labels[EST_INPUT_MEMORY_W_PER_GB] = "--memory-w-per-gb";
    labels[EST_INPUT_RUNTIME] = o->runtime ? "--runtime" : o->have_hours ? "--hours"
                                : o->have_minutes ? "--minutes" : "--hours";
    labels[EST_INPUT_RUNS] = "--runs";
    labels[EST_INPUT_PUE] = "--pue";
    labels[EST_INPUT_ZONE] = "--zone";
    labels[EST_INPUT_CI] = "--ci";
    labels[EST_INPUT_WINDOW] = "--start/--end";
    labels[EST_INPUT_SCOPE] = "--scope";
    labels[EST_INPUT_SAMPLES] = "--samples";
    labels[EST_INPUT_PLATFORM] = "--platform";
    labels[EST_INPUT_CLOUD] = "--cloud";
    labels[EST_INPUT_WUE] = "--wue";
    labels[EST_INPUT_EMBODIED] = "--include-embodied";
    labels[EST_INPUT_NODE_CORES] = "--node-cores";
    labels[EST_INPUT_NODE_GPUS] = "--node-gpus";
    labels[EST_INPUT_NODE_MEMORY] = "--node-memory";
    labels[EST_INPUT_NODE_STATIC] = "--node-static-w";
    labels[EST_INPUT_CPU_POWER_MODEL] = "--cpu-power-model";
    labels[EST_INPUT_CPU_ENERGY] = "--cpu-energy-kwh";
    labels[EST_INPUT_GPU_ENERGY] = "--gpu-energy-kwh";
    labels[EST_INPUT_NODE_ENERGY] = "--node-energy-kwh";
    labels[EST_INPUT_COMPARE] = "--compare-kwh";
    labels[EST_INPUT_PSU_EFFICIENCY] = "--psu-efficiency";
}

/* Detection (--cpu auto, --gpu auto) lives here: it reads this machine. The
   buffers hold the detected names for the pipeline's options. */
typedef struct detected {
    char brand[EST_NAME_MAX * 2], brand_src[600], cores_src[160];
    char gpu[EST_NAME_MAX * 2], gpu_src[600];
    cli_cpu_count cc;
} detected;

static int detect(const est_opts *o, const est_hwdb *db, detected *d,
                  est_estimate_options *eo)
{
    if (o->cpu && strcmp(o->cpu, "auto") == 0) {
        unsigned n_cpus = 0, mc = 0, mt = 0;
        est_hwdb_match m;
        int rc = cli_detect_cpu(d->brand, sizeof d->brand, d->brand_src, sizeof d->brand_src,
                                &n_cpus);
        if (rc)
            return rc;
        eo->cpu = d->brand;
        eo->cpu_detected_from = d->brand_src;
        if (!o->have_cores) {
            /* physical cores in the affinity mask, not threads (the model's
               cores/threads only when sysfs cannot tell) */
            if (est_hwdb_resolve(&m, db, EST_HWDB_CPU, d->brand, NULL) == EST_OK) {
                mc = m.entry.cores;
                mt = m.entry.threads;
            }
            cli_detect_cpu_count(mc, mt, &d->cc);
            eo->cpu_cores = d->cc.physical_cores;
            snprintf(d->cores_src, sizeof d->cores_src, "detected: physical cores in this "
                     "process's affinity (%s)", cli_cores_how_name(d->cc.how));
            eo->cpu_cores_source = d->cores_src;
            eo->cpu_cores_note = d->cc.note;
        }
    }
    if (o->gpu && strcmp(o->gpu, "auto") == 0 && !o->samples.n_files) {
        unsigned n = 0;
        int rc = cli_detect_gpu(d->gpu, sizeof d->gpu, d->gpu_src, sizeof d->gpu_src, &n);
        if (rc)
            return rc;
        eo->gpu = d->gpu;
        eo->gpu_detected_from = d->gpu_src;
        if (!o->have_gpus) {
            eo->gpu_count = n;
            eo->gpu_count_source = "detected: the GPUs nvidia-smi lists (those "
                                   "CUDA_VISIBLE_DEVICES selects, when set)";
        }
    }
    return 0;
}

/* What the user knows, as the pipeline's options. */
static void to_options(const est_opts *o, double runtime_s, est_estimate_options *eo)
{
    eo->cpu = o->cpu;
    if (o->have_cores)
        eo->cpu_cores = o->cores;
    if (o->have_cpu_tdp)
        eo->cpu_tdp_w = o->cpu_tdp;
    if (o->have_cpu_tdp_per_core)
        eo->cpu_tdp_per_core_w = o->cpu_tdp_per_core;
    if (o->have_cpu_usage)
        eo->cpu_usage_frac = o->cpu_usage;
    /* --gpu auto with a log: the log's own names count */
    eo->gpu = o->gpu && !(o->samples.n_files && strcmp(o->gpu, "auto") == 0) ? o->gpu : NULL;
    if (o->have_gpus)
        eo->gpu_count = o->gpus;
    if (o->have_gpu_tdp)
        eo->gpu_tdp_w = o->gpu_tdp;
    if (o->have_gpu_idle)
        eo->gpu_idle_w = o->gpu_idle;
    if (o->have_gpu_usage)
        eo->gpu_usage_frac = o->gpu_usage;
    if (o->have_gpu_power)
        eo->gpu_power_w = o->gpu_power;
    if (o->have_memory)
        eo->memory_gb = o->memory_gb;
    if (o->have_memory_w_per_gb) {
        eo->memory_w_per_gb = o->memory_w_per_gb;
        eo->memory_w_per_gb_source = o->memory_w_per_gb_source;
    }
    if (!o->samples.n_files) {
        if (o->runtime || o->have_hours || o->have_minutes)
            eo->runtime_h = runtime_s / 3600.0;
        if (o->carbon.has_window) {
            eo->start_unix_s = o->carbon.start_unix_s;
            eo->end_unix_s = o->carbon.end_unix_s;
        }
        if (o->have_runs)
            eo->runs = o->runs;
    }
    if (o->have_pue)
        eo->pue = o->pue;
    eo->zone = o->zone;
    if (o->have_ci)
        eo->ci_g_co2e_per_kwh = o->ci;
    eo->scope = o->have_scope ? o->scope : EST_MODEL_SCOPE_PROCESS;
    if (o->have_node_cores)
        eo->node_cores = o->node_cores;
    if (o->have_node_gpus)
        eo->node_gpus = o->node_gpus;
    if (o->have_node_memory)
        eo->node_memory_gb = o->node_memory_gb;
    if (o->have_node_static)
        eo->node_static_w = o->node_static_w;
    if (o->have_cpu_energy)
        eo->cpu_energy_kwh = o->cpu_energy;
    if (o->have_gpu_energy)
        eo->gpu_energy_kwh = o->gpu_energy;
    if (o->have_node_energy)
        eo->node_energy_kwh = o->node_energy;
    if (o->have_compare)
        eo->compare_kwh = o->compare;
    if (o->have_psu)
        eo->psu_efficiency = o->psu;
    eo->cpu_power_model = o->cpu_power_model;
    eo->strict = o->carbon.strict;
    eo->platform = o->platform;
    eo->cloud = o->cloud;
    if (o->have_wue)
        eo->wue_l_per_kwh = o->wue;
    eo->include_embodied = o->include_embodied;
}

/* A failure of the pipeline: its message, the suggestions of a lookup, and
   a hint that names the options to use instead. */
static int pipeline_error(const est_error *e, int rc, const cli_tables *t)
{
    switch (e->input) {
    case EST_INPUT_CPU_MODEL:
        if (rc == EST_ENOTFOUND || rc == EST_EAMBIGUOUS) {
            print_lookup_error(e, t,
                               "give the CPU's power instead: --cpu-tdp W --cores N "
                               "(or --cpu-tdp-per-core W), or add it: ecoest hwdb add");
            return cli_exit_for(rc);
        }
        break;
    case EST_INPUT_GPU_MODEL:
        if (rc == EST_ENOTFOUND || rc == EST_EAMBIGUOUS) {
            print_lookup_error(e, t,
                               "give the GPU's power instead: --gpu-tdp W (or a measured "
                               "--gpu-power W), or add it: ecoest hwdb add");
            return cli_exit_for(rc);
        }
        break;
    case EST_INPUT_CLOUD:
        if (rc == EST_ENOTFOUND) {
            print_lookup_error(e, t, "list them: ecoest carbon regions");
            return cli_exit_for(rc);
        }
        break;
    case EST_INPUT_ZONE:
        print_lookup_error(e, t,
                           "give the intensity instead: --ci G (gCO2e/kWh)");
        return cli_exit_for(rc);
    default:
        break;
    }
    cli_msg("%s", e->message);
    /* a conflict between values that came from the database or a log is
       data (65), between options usage (64) */
    if (rc == EST_EINVAL && e->input == EST_INPUT_NONE)
        return CLI_EX_DATAERR;
    return cli_exit_for(rc);
}

/* cli_estimate_main_with's callback, set for one call. */
static cli_estimate_fn after_estimate;
static void *after_estimate_user;

/* The report's hardware and carbon lines from the estimate. */
static void fill_report(const est_opts *o, const est_estimate *est, cli_report *r)
{
    const est_model_result *m = est_estimate_model(est);
    const est_model_inputs *u = est_estimate_model_inputs(est);
    est_hwdb_entry ent;
    est_zone z;
    size_t i, k, n_notes, n = est_estimate_input_count(est);
    r->result = *m;
    r->used = *u;
    est_estimate_water(&r->water, &r->offsite_l_per_kwh, est);
    {
        int wo = est_estimate_water_origin(est, &r->offsite_source);
        r->offsite_origin = wo ? est_estimate_origin_name((est_estimate_origin)wo) : NULL;
    }
    r->has_embodied = est_estimate_embodied(&r->embodied, est);
    r->embodied_included = r->has_embodied && o->include_embodied;
    r->headline_co2e_g = est_estimate_headline_co2e_g(est);
    for (i = 0; i < n; i++) {
        est_estimate_input_info ii;
        ii.version = EST_ESTIMATE_INPUT_INFO_VERSION;
        est_estimate_input(&ii, est, i);
        cli_report_input(r, ii.label, ii.source, ii.value_text);
        if (strcmp(ii.label, "GPU idle power") == 0) {
            snprintf(r->gpu.idle_source, sizeof r->gpu.idle_source, "%s", ii.source);
            r->gpu.idle_known = ii.origin != EST_ESTIMATE_ORIGIN_DEFAULT;
        }
    }
    n_notes = est_estimate_note_count(est);
    r->notes = calloc(n_notes ? n_notes : 1, sizeof *r->notes);
    for (i = 0, k = 0; r->notes && i < n_notes; i++) {
        est_estimate_note_info ni;
        ni.version = EST_ESTIMATE_NOTE_INFO_VERSION;
        est_estimate_note(&ni, est, i);
        if (ni.kind == EST_ESTIMATE_NOTE_WARNING)
            cli_warn("%s", ni.text); /* warnings go to stderr, as they happen */
        else
            r->notes[k++] = ni.text;
    }
    r->n_notes = r->notes ? k : 0;
    if (u->cpu_cores > 0 || u->cpu_power_w != EST_UNSET) {
        r->cpu.present = 1;
        r->cpu.cores = u->cpu_cores;
        r->cpu.tdp_per_core_w = u->cpu_tdp_per_core_w;
        r->cpu.tdp_w = est_estimate_cpu_package_tdp_w(est);
        if (est_estimate_cpu_entry(&ent, est)) {
            r->cpu.has_model = 1;
            snprintf(r->cpu.model, sizeof r->cpu.model, "%s", ent.model);
            snprintf(r->cpu.query, sizeof r->cpu.query, "%s", o->cpu ? o->cpu : "");
        }
        snprintf(r->cpu.source, sizeof r->cpu.source, "%s", est_estimate_power_source(est, 0));
    }
    if (u->gpu_count > 0) {
        r->gpu.present = 1;
        r->gpu.count = u->gpu_count;
        r->gpu.tdp_w = u->gpu_tdp_w;
        r->gpu.idle_w = u->gpu_idle_w;
        if (est_estimate_gpu_entry(&ent, est)) {
            r->gpu.has_model = 1;
            snprintf(r->gpu.model, sizeof r->gpu.model, "%s", ent.model);
            snprintf(r->gpu.query, sizeof r->gpu.query, "%s", o->gpu ? o->gpu : "");
        }
        snprintf(r->gpu.source, sizeof r->gpu.source, "%s", est_estimate_power_source(est, 1));
    }
    if (est_estimate_zone(&z, est)) {
        snprintf(r->zone, sizeof r->zone, "%s", z.code);
        snprintf(r->zone_given, sizeof r->zone_given, "%s", z.given);
        snprintf(r->zone_alias_kind, sizeof r->zone_alias_kind, "%s", z.alias_kind);
    }
    if (est_estimate_ci_origin(est) == EST_ESTIMATE_CI_ZONE && !r->carbon.present && r->zone[0])
        cli_carbon_default(&r->carbon, &z, &o->carbon);
    {
        est_intensity_weighted w;
        if (est_estimate_ci_weighted(&w, est)) {
            /* the pipeline weighted the intensity by the log's energy */
            r->carbon.has_energy_weighted = 1;
            r->carbon.energy_weighted_g_co2e_per_kwh = w.mean_g_co2e_per_kwh;
            r->carbon.energy_weighted_coverage_frac = w.coverage_frac;
        }
    }
    if (after_estimate)
        after_estimate(est, after_estimate_user);
}

/* The estimate; *files receives the --samples list parse_args made (it
   owns it), for cli_estimate_main to free on every path. */
static int estimate_main(int argc, char **argv, cli_samples_file **files, size_t *n_files)
{
    est_opts o;
    est_estimate_options eo = EST_ESTIMATE_OPTIONS_INIT;
    const char *labels[EST_INPUT_COUNT];
    cli_report *r;
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_regions *regions = NULL;
    est_embodied_factors *embodied = NULL;
    est_power_curves *curves = NULL;
    est_estimate *est = NULL;
    est_error e;
    cli_buf out = {0}, charts = {0};
    cli_samples_run *sr = NULL;
    cli_carbon_ctx *lc = NULL;
    detected *det = NULL;
    double runtime_s = 0.0;
    int rc;

    rc = parse_args(argc, argv, &o);
    *files = o.samples.files;
    *n_files = o.samples.n_files;
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
        if (o.runtime && est_parse_duration(&runtime_s, o.runtime)) {
            cli_msg("--runtime: expected a duration like 2h30m, 90m, 1-02:03:04 or "
                    "02:03:04, got \"%s\"", o.runtime);
            return CLI_EX_USAGE;
        }
        if (!o.runtime && est_runtime_s_from_hm(&runtime_s, o.hours, o.minutes))
            runtime_s = HUGE_VAL; /* overflow (inputs are >= 0): "too large" below */
        if (cli_carbon_window(&o.carbon, o.runtime || o.have_hours || o.have_minutes,
                              &runtime_s, NULL))
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
    det = calloc(1, sizeof *det);
    if (!r || !det) {
        free(r);
        free(det);
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    if (o.samples.n_files) {
        o.samples.want_bins = o.carbon.live || o.carbon.offline;
        rc = cli_samples_read(&o.samples, o.have_gpu_idle ? o.gpu_idle : EST_UNSET, &sr);
        if (rc)
            goto done;
    }
    /* open only what the run needs: a name to resolve (or a log's GPU names),
       a zone to look up */
    if (o.cpu || o.gpu || sr)
        rc = cli_open_hwdb(&db);
    if (!rc && (o.zone || !o.have_ci || o.cloud))
        rc = cli_open_zones(&zones);
    if (!rc && o.cloud)
        rc = cli_open_regions(&regions, zones);
    /* the embodied share is always shown when its factors are there; a
       missing table fails only --include-embodied */
    if (!rc && (cli_open_embodied(&embodied, !o.include_embodied) != 0) && o.include_embodied)
        rc = CLI_EX_NOINPUT;
    if (rc)
        goto done;
    set_labels(&o, labels);
    to_options(&o, runtime_s, &eo);
    eo.input_labels = labels;
    eo.regions = regions;
    eo.embodied = embodied;
    if ((rc = detect(&o, db, det, &eo)) != 0)
        goto done;
    /* the pipeline picks the CPU's row */
    if (o.cpu_power_model == EST_MODEL_CPU_POWER_CURVE) {
        if ((rc = cli_open_curves(&curves)) != 0)
            goto done;
        eo.cpu_curves = curves;
    }
    if (sr) {
        eo.samples = cli_samples_handle(sr);
        eo.samples_label = cli_samples_label(sr);
        r->samples = cli_samples_report_of(sr);
    }
    if (o.carbon.live || o.carbon.offline) {
        /* the carbon library's source (carbon_cmd.c reads the environment) */
        if (!(lc = cli_carbon_ctx_new(&o.carbon))) {
            rc = CLI_EX_SOFTWARE;
            goto done;
        }
        eo.intensity = cli_carbon_intensity;
        eo.intensity_user = lc;
    }
    rc = est_estimate_run(&est, &eo, db, zones, &e);
    if (rc) {
        int lrc = lc ? cli_carbon_after(lc, &r->carbon) : 0;
        rc = lrc ? lrc : pipeline_error(&e, rc, &(cli_tables){db, zones, regions});
        goto done;
    }
    if (lc && (rc = cli_carbon_after(lc, &r->carbon)) != 0)
        goto done;
    fill_report(&o, est, r);
    if (sr)
        cli_samples_after_model(sr, est, r);

    if (o.format == CLI_FORMAT_HTML && sr) {
        if ((rc = cli_html_samples_charts(&o.samples, r, &charts)) != 0)
            goto done;
        if (charts.failed) {
            cli_msg("out of memory");
            rc = CLI_EX_SOFTWARE;
            goto done;
        }
        r->html_charts = charts.data;
    }
    /* issue 15: the live intensity over the window, in the estimate's page */
    const est_carbon_series *lser = cli_carbon_ctx_series(lc);
    if (o.format == CLI_FORMAT_HTML && lser && lser->n_points > 0) {
        cli_html_intensity_chart(&charts, &r->carbon, lser);
        if (charts.failed) {
            cli_msg("out of memory");
            rc = CLI_EX_SOFTWARE;
            goto done;
        }
        r->html_charts = charts.data;
    }
    cli_report_render(r, o.format, &out);
    if (o.output)
        rc = cli_buf_write_file(&out, o.output);
    else
        rc = cli_buf_flush(&out, stdout);
done:
    cli_buf_free(&out);
    cli_buf_free(&charts);
    cli_carbon_ctx_free(lc);
    est_estimate_free(est);
    est_hwdb_free(db);
    est_zones_free(zones);
    est_regions_free(regions);
    est_embodied_factors_free(embodied);
    est_power_curves_free(curves);
    cli_samples_run_free(sr);
    if (r)
        free(r->notes);
    free(r);
    free(det);
    return rc;
}

int cli_estimate_main(int argc, char **argv)
{
    cli_samples_file *files = NULL;
    size_t i, n = 0;
    int rc = estimate_main(argc, argv, &files, &n);
    for (i = 0; i < n; i++) {
        char *host;
        memcpy(&host, &files[i].host, sizeof host); /* split_host's copy */
        free(host);
    }
    free(files);
    return rc;
}

int cli_estimate_main_with(int argc, char **argv, cli_estimate_fn fn, void *user)
{
    int rc;
    after_estimate = fn;
    after_estimate_user = user;
    rc = cli_estimate_main(argc, argv);
    after_estimate = NULL;
    after_estimate_user = NULL;
    return rc;
}
