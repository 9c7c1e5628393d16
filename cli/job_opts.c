/* The job options shared by `ecoest where` and `ecoest when`, into the
 * pipeline's options (job_opts.h). */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "job_opts.h"

const char cli_job_usage[] =
    "  --cpu MODEL              CPU model (hardware database), or:\n"
    "  --cores N --cpu-tdp W | --cpu-tdp-per-core W   the CPU's power\n"
    "  --cpu-usage F            CPU usage, 0..1 (default 1)\n"
    "  --gpu MODEL, --gpus N, --gpu-tdp W, --gpu-idle W, --gpu-usage F,\n"
    "  --gpu-power W            the GPUs, as in the estimate\n"
    "  --memory GB, --memory-w-per-gb W   memory and its power per GB\n"
    "  --scope process|allocation|node   headline scope (default process)\n"
    "  --platform laptop|desktop|local-server|cloud   sets the default PUE\n"
    "                           and the embodied share's lifetime\n"
    "  --include-embodied       add the embodied share to the CO2e\n";

const char cli_job_runtime_usage[] =
    "  --hours H, --minutes M, --runtime T   the runtime; --runs N\n";

void cli_job_init(cli_job *j)
{
    est_estimate_options init = EST_ESTIMATE_OPTIONS_INIT;
    memset(j, 0, sizeof *j);
    j->eo = init;
    j->labels[EST_INPUT_CPU_MODEL] = "--cpu";
    j->labels[EST_INPUT_CPU_CORES] = "--cores";
    j->labels[EST_INPUT_CPU_TDP] = "--cpu-tdp";
    j->labels[EST_INPUT_CPU_TDP_PER_CORE] = "--cpu-tdp-per-core";
    j->labels[EST_INPUT_CPU_USAGE] = "--cpu-usage";
    j->labels[EST_INPUT_GPU_MODEL] = "--gpu";
    j->labels[EST_INPUT_GPU_COUNT] = "--gpus";
    j->labels[EST_INPUT_GPU_TDP] = "--gpu-tdp";
    j->labels[EST_INPUT_GPU_IDLE] = "--gpu-idle";
    j->labels[EST_INPUT_GPU_USAGE] = "--gpu-usage";
    j->labels[EST_INPUT_GPU_POWER] = "--gpu-power";
    j->labels[EST_INPUT_MEMORY] = "--memory";
    j->labels[EST_INPUT_MEMORY_W_PER_GB] = "--memory-w-per-gb";
    j->labels[EST_INPUT_RUNTIME] = "--hours";
    j->labels[EST_INPUT_RUNS] = "--runs";
    j->labels[EST_INPUT_PUE] = "--pue";
    j->labels[EST_INPUT_ZONE] = "--zone";
    j->labels[EST_INPUT_SCOPE] = "--scope";
    j->labels[EST_INPUT_PLATFORM] = "--platform";
    j->labels[EST_INPUT_CLOUD] = "--cloud";
    j->labels[EST_INPUT_WUE] = "--wue";
    j->labels[EST_INPUT_EMBODIED] = "--include-embodied";
    j->eo.input_labels = j->labels;
}

static int hw(cli_job *j, int bad)
{
    j->hardware_given = 1;
    return bad;
}

static int set_option(cli_job *j, int opt, const char *a)
{
    est_estimate_options *o = &j->eo;
    switch (opt) {
    case CLI_JOB_CPU:
        if (strcmp(a, "auto") == 0) {
            cli_msg("--cpu auto is the estimate's: give the model's name here");
            return -1;
        }
        o->cpu = a;
        return hw(j, 0);
    case CLI_JOB_CORES: return hw(j, cli_opt_count("--cores", a, &o->cpu_cores));
    case CLI_JOB_CPU_TDP: return hw(j, cli_opt_number("--cpu-tdp", a, &o->cpu_tdp_w));
    case CLI_JOB_CPU_TDP_PER_CORE:
        return hw(j, cli_opt_number("--cpu-tdp-per-core", a, &o->cpu_tdp_per_core_w));
    case CLI_JOB_CPU_USAGE: return cli_opt_fraction("--cpu-usage", a, &o->cpu_usage_frac);
    case CLI_JOB_GPU:
        if (strcmp(a, "auto") == 0) {
            cli_msg("--gpu auto is the estimate's: give the model's name here");
            return -1;
        }
        o->gpu = a;
        return hw(j, 0);
    case CLI_JOB_GPUS: return cli_opt_count("--gpus", a, &o->gpu_count);
    case CLI_JOB_GPU_TDP: return hw(j, cli_opt_number("--gpu-tdp", a, &o->gpu_tdp_w));
    case CLI_JOB_GPU_IDLE: return cli_opt_number("--gpu-idle", a, &o->gpu_idle_w);
    case CLI_JOB_GPU_USAGE: return cli_opt_fraction("--gpu-usage", a, &o->gpu_usage_frac);
    case CLI_JOB_GPU_POWER: return hw(j, cli_opt_number("--gpu-power", a, &o->gpu_power_w));
    case CLI_JOB_MEMORY: return hw(j, cli_opt_number("--memory", a, &o->memory_gb));
    case CLI_JOB_MEMORY_W_PER_GB:
        return cli_opt_number("--memory-w-per-gb", a, &o->memory_w_per_gb);
    case CLI_JOB_SCOPE:
        if (est_model_scope_parse(&o->scope, a)) {
            cli_msg("--scope: expected process, allocation or node, got \"%s\"", a);
            return -1;
        }
        return 0;
    case CLI_JOB_PLATFORM: {
        est_regions_platform p;
        if (est_regions_platform_parse(&p, a)) {
            cli_msg("--platform: expected laptop, desktop, local-server or cloud, got \"%s\"",
                    a);
            return -1;
        }
        o->platform = (int)p;
        return 0;
    }
    case CLI_JOB_INCLUDE_EMBODIED: o->include_embodied = 1; return 0;
    case CLI_JOB_PUE:
        if (cli_opt_number("--pue", a, &o->pue))
            return -1;
        if (o->pue < 1.0) {
            cli_msg("--pue: must be at least 1, got \"%s\"", a);
            return -1;
        }
        return 0;
    case CLI_JOB_WUE:
        if (cli_opt_number("--wue", a, &o->wue_l_per_kwh))
            return -1;
        if (o->wue_l_per_kwh > 100.0) {
            cli_msg("--wue: at most 100 l/kWh, got \"%s\"", a);
            return -1;
        }
        return 0;
    case CLI_JOB_HOURS: return cli_opt_number("--hours", a, &j->hours);
    case CLI_JOB_MINUTES: return cli_opt_number("--minutes", a, &j->minutes);
    case CLI_JOB_RUNTIME: j->runtime = a; return 0;
    case CLI_JOB_RUNS: return cli_opt_count("--runs", a, &o->runs);
    default: return 1;
    }
}

int cli_job_option(cli_job *j, int opt, const char *a)
{
    int rc;
    if (opt < CLI_JOB_CPU || opt > CLI_JOB_LAST_)
        return 0;
    if (j->seen[opt - CLI_JOB_CPU]) {
        cli_msg("an option given twice: give each job option once");
        return -1;
    }
    j->seen[opt - CLI_JOB_CPU] = 1;
    rc = set_option(j, opt, a);
    return rc ? -1 : 1;
}

#define SEEN(j, o) ((j)->seen[(o) - CLI_JOB_CPU])

int cli_job_finish(cli_job *j, int need_runtime)
{
    est_estimate_options *o = &j->eo;
    double s = 0.0;
    if (SEEN(j, CLI_JOB_CPU_TDP) && SEEN(j, CLI_JOB_CPU_TDP_PER_CORE)) {
        cli_msg("--cpu-tdp and --cpu-tdp-per-core cannot both be given");
        return -1;
    }
    if (!o->cpu && (SEEN(j, CLI_JOB_CPU_TDP) || SEEN(j, CLI_JOB_CPU_TDP_PER_CORE)) &&
        !SEEN(j, CLI_JOB_CORES)) {
        cli_msg("--cpu-tdp and --cpu-tdp-per-core without --cpu need --cores");
        return -1;
    }
    if (!o->cpu && !SEEN(j, CLI_JOB_CPU_TDP) && !SEEN(j, CLI_JOB_CPU_TDP_PER_CORE) &&
        (SEEN(j, CLI_JOB_CORES) || SEEN(j, CLI_JOB_CPU_USAGE))) {
        cli_msg("%s needs --cpu, --cpu-tdp or --cpu-tdp-per-core",
                SEEN(j, CLI_JOB_CORES) ? "--cores" : "--cpu-usage");
        return -1;
    }
    if (!o->gpu && !SEEN(j, CLI_JOB_GPU_TDP) && !SEEN(j, CLI_JOB_GPU_POWER) &&
        (SEEN(j, CLI_JOB_GPUS) || SEEN(j, CLI_JOB_GPU_USAGE) || SEEN(j, CLI_JOB_GPU_IDLE))) {
        cli_msg("%s needs --gpu, --gpu-tdp or --gpu-power",
                SEEN(j, CLI_JOB_GPUS) ? "--gpus" : SEEN(j, CLI_JOB_GPU_USAGE) ? "--gpu-usage"
                                                                                 : "--gpu-idle");
        return -1;
    }
    if (SEEN(j, CLI_JOB_GPU_POWER) && SEEN(j, CLI_JOB_GPU_USAGE)) {
        cli_msg("--gpu-power is a measured power: it cannot be combined with --gpu-usage");
        return -1;
    }
    if (j->runtime && (SEEN(j, CLI_JOB_HOURS) || SEEN(j, CLI_JOB_MINUTES))) {
        cli_msg("--runtime cannot be combined with --hours or --minutes");
        return -1;
    }
    if (j->runtime) {
        if (est_parse_duration(&s, j->runtime)) {
            cli_msg("--runtime: expected a duration like 2h30m, 90m, 1-02:03:04 or "
                    "02:03:04, got \"%s\"", j->runtime);
            return -1;
        }
        j->labels[EST_INPUT_RUNTIME] = "--runtime";
    } else {
        if (est_runtime_s_from_hm(&s, j->hours, j->minutes))
            s = HUGE_VAL; /* overflow: refused below like any runtime not > 0 */
        if (!SEEN(j, CLI_JOB_HOURS) && SEEN(j, CLI_JOB_MINUTES))
            j->labels[EST_INPUT_RUNTIME] = "--minutes";
    }
    if (j->runtime || SEEN(j, CLI_JOB_HOURS) || SEEN(j, CLI_JOB_MINUTES)) {
        if (!isfinite(s) || !(s > 0.0)) {
            cli_msg("runtime: must be greater than 0");
            return -1;
        }
        o->runtime_h = s / 3600.0;
    } else if (need_runtime) {
        cli_msg("missing runtime: give --hours, --minutes or --runtime");
        return -1;
    }
    return 0;
}
