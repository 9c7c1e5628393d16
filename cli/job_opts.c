/* The job's hardware options shared by `ecoest where` and `ecoest when`. */
#include <string.h>

#include "cli.h"
#include "job_opts.h"

const char cli_job_usage[] =
    "  --cores N --cpu-tdp-per-core W, or --cores N --cpu-tdp W (W for the N cores)\n"
    "  --cpu-usage F, --gpus N --gpu-tdp W, --gpu-usage F, --memory GB\n";

void cli_job_init(cli_job *j)
{
    est_model_inputs init = EST_MODEL_INPUTS_INIT;
    memset(j, 0, sizeof *j);
    j->in = init;
}

int cli_job_option(cli_job *j, int opt, const char *a)
{
    est_model_inputs *in = &j->in;
    int bad = 0;
    switch (opt) {
    case CLI_JOB_CORES: bad = cli_opt_count("--cores", a, &in->cpu_cores); break;
    case CLI_JOB_CPU_TDP:
        bad = cli_opt_number("--cpu-tdp", a, &j->cpu_tdp);
        j->have_cpu_tdp = 1;
        break;
    case CLI_JOB_CPU_TDP_PER_CORE:
        bad = cli_opt_number("--cpu-tdp-per-core", a, &in->cpu_tdp_per_core_w);
        j->have_per_core = 1;
        break;
    case CLI_JOB_CPU_USAGE: bad = cli_opt_fraction("--cpu-usage", a, &in->cpu_usage_frac); break;
    case CLI_JOB_GPUS: bad = cli_opt_count("--gpus", a, &in->gpu_count); break;
    case CLI_JOB_GPU_TDP: bad = cli_opt_number("--gpu-tdp", a, &in->gpu_tdp_w); break;
    case CLI_JOB_GPU_USAGE: bad = cli_opt_fraction("--gpu-usage", a, &in->gpu_usage_frac); break;
    case CLI_JOB_MEMORY: bad = cli_opt_number("--memory", a, &in->memory_gb); break;
    default: return 0;
    }
    j->given = 1;
    return bad ? -1 : 1;
}

int cli_job_finish(cli_job *j)
{
    est_model_inputs *in = &j->in;
    if (j->have_cpu_tdp && j->have_per_core) {
        cli_msg("give --cpu-tdp or --cpu-tdp-per-core, not both");
        return -1;
    }
    if ((j->have_cpu_tdp || j->have_per_core) != (in->cpu_cores > 0)) {
        cli_msg("a CPU needs --cores N with --cpu-tdp W or --cpu-tdp-per-core W");
        return -1;
    }
    if (j->have_cpu_tdp)
        in->cpu_tdp_per_core_w = j->cpu_tdp / (double)in->cpu_cores;
    if ((in->gpu_count > 0) != (in->gpu_tdp_w > 0.0)) {
        cli_msg("a GPU needs --gpus N with --gpu-tdp W");
        return -1;
    }
    return 0;
}
