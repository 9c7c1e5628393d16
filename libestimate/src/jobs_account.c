/* One job's footprint: the job's allocation and usage through
 * est_model_compute, on the partition's hardware. docs/cluster.md gives the
 * rules; this file decides every number of a job. */
#include <math.h>
#include <string.h>

#include "ecoest/jobs.h"
#include "internal.h"

double est_jobs_cpu_efficiency(const est_jobs_totals *t)
{
    if (!t || !(t->cpu_h > 0.0))
        return 0.0;
    return t->cpu_used_h / t->cpu_h;
}

int est_jobs_derive(est_jobs_derived *out, const est_jobs_totals *t)
{
    double e;
    int i;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !t)
        return EST_EINVAL;
    out->mem_used_frac = t->mem_req_known_gbh > 0.0 ? t->mem_used_gbh / t->mem_req_known_gbh
                                                    : EST_UNSET;
    out->not_completed_kwh = t->energy_kwh - t->state_kwh[EST_JOBS_STATE_COMPLETED];
    e = t->energy_kwh;
    for (i = 0; i < (int)EST_JOBS_STATE_COUNT; i++)
        out->state_energy_frac[i] = e > 0.0 ? t->state_kwh[i] / e : 0.0;
    out->failed_energy_frac = e > 0.0 ? t->failed_kwh / e : 0.0;
    out->measured_gap_kwh = t->estimate_of_measured_kwh - t->measured_kwh;
    out->measured_gap_frac = t->measured_kwh > 0.0 ? out->measured_gap_kwh / t->measured_kwh : 0.0;
    if (t->measured_kwh > 0.0) {
        out->measured_ratio = t->estimate_of_measured_kwh / t->measured_kwh;
        out->measured_process_ratio = t->estimate_of_measured_process_kwh / t->measured_kwh;
        out->measured_allocation_ratio = t->estimate_of_measured_allocation_kwh / t->measured_kwh;
        out->measured_node_ratio = t->estimate_of_measured_node_kwh / t->measured_kwh;
    } else
        out->measured_ratio = out->measured_process_ratio = out->measured_allocation_ratio =
            out->measured_node_ratio = EST_UNSET;
    return EST_OK;
}

double est_jobs_ga4hpc_wrap_h(double total_h)
{
    const double two63 = 9223372036854775808.0, two64 = 2.0 * two63;
    double ns = total_h * 3.6e12;
    if (!isfinite(ns) || ns < two63)
        return total_h;
    /* signed 64-bit wrap: into [-2^63, 2^63) */
    return (fmod(ns + two63, two64) - two63) / 3.6e12;
}

/* The job's nodes for the model's node scope: the partition's per-node
   figures x the job's nodes, each only when it holds the job's own
   allocation (else the model takes the allocation as the node, and says
   so). */
static void node_inputs(const est_cluster_partition *p, const est_job *job, est_model_inputs *in)
{
    double nn = job->nnodes > 0 ? (double)job->nnodes : 1.0;
    double cores = (double)p->cores_per_node * nn, gpus = (double)p->gpus_per_node * nn;
    if (p->cores_per_node > 0 && cores >= (double)job->ncpus && cores <= EST_BOUND_COUNT_MAX)
        in->node_cores = (unsigned)cores;
    if (p->gpus_per_node > 0 && gpus >= (double)job->gpus && gpus <= EST_BOUND_COUNT_MAX)
        in->node_gpus = (unsigned)gpus;
    if (p->memory_gb_per_node > 0.0 && p->memory_gb_per_node * nn >= job->req_mem_gb)
        in->node_memory_gb = p->memory_gb_per_node * nn;
    in->node_static_w =
        (p->static_node_w >= 0.0 ? p->static_node_w : EST_DEFAULT_NODE_STATIC_W) * nn;
}

/* The CPU power curve's row for the partition's CPU (its hardware-database
   name, cpu_hwdb_model: the curve's patterns are written for it; "" for a
   partition given by a TDP per core: the default row) into the model's
   inputs, its family into the footprint. */
static int cpu_curve(const est_power_curves *curves, const est_cluster_partition *p,
                     const est_job *job, est_model_inputs *in, est_jobs_footprint *out,
                     est_error *err)
{
    const est_power_curve *row = NULL;
    if (est_power_curves_find(&row, curves, p->cpu_hwdb_model) != 0 || !row)
        return est__fail(err, EST_EINVAL, "job %s: the curve table has no row for CPU \"%s\"",
                         job->id, p->cpu_hwdb_model);
    in->cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    in->cpu_idle_frac = row->idle_frac;
    in->cpu_max_frac = row->max_frac;
    in->cpu_curve_exponent = row->exponent;
    est__strlcpy(out->cpu_curve_family, row->family, sizeof out->cpu_curve_family);
    return EST_OK;
}

/* With a measured energy: the estimate beside it (kWh before PUE) and
   their ratio. */
static void set_measured(est_jobs_footprint *out, double estimated_kwh)
{
    if (!(out->measured_kwh >= 0.0))
        return;
    out->estimated_kwh = estimated_kwh;
    out->measured_ratio = out->measured_kwh > 0.0 ? estimated_kwh / out->measured_kwh : 0.0;
    out->measured_gap_kwh = estimated_kwh - out->measured_kwh;
}

/* The intensity of the job's own window from the provider (see
   est_jobs_account_options): sets out->ci_g_co2e_per_kwh and the flags. */
static int window_intensity(const est_jobs_account_options *o, const est_cluster_partition *p,
                            const est_job *job, est_jobs_footprint *out, est_error *err)
{
    est_zone z;
    est_intensity_answer a;
    est_intensity_stats st;
    est_error e;
    int rc;
    if (!job->has_start || !job->has_end || !(job->end_unix_s > job->start_unix_s))
        return EST_OK; /* no window: the zone's average */
    /* only what a provider reads: the code (as the cluster file gives it:
       "US-CAL-CISO" is asked for as such) and the annual average */
    memset(&z, 0, sizeof z);
    est__strlcpy(z.code, p->zone, sizeof z.code);
    z.ci_g_co2e_per_kwh = p->ci_g_co2e_per_kwh;
    z.year = 0;
    z.water_l_per_kwh = EST_UNSET;
    memset(&a, 0, sizeof a);
    a.version = EST_INTENSITY_ANSWER_VERSION;
    memset(&e, 0, sizeof e);
    rc = o->intensity(o->intensity_user, &z, job->start_unix_s, job->end_unix_s, &a, &e);
    if (rc == 0)
        rc = est_intensity_mean(&st, a.points, a.n_points, job->start_unix_s, job->end_unix_s, &e);
    if (rc == 0 && st.n_points == 0) {
        rc = EST_ENODATA;
        est__snprintf_c(e.message, sizeof e.message, "no intensity point in the window");
    }
    if (rc != 0) {
        if (o->strict)
            return est__fail(err, rc < 0 ? rc : EST_ENODATA,
                             "job %s: the intensity of zone %s over its window: %s", job->id,
                             p->zone, e.message[0] ? e.message : est_strerror(rc));
        out->ci_fallback = 1;
        return EST_OK;
    }
    out->ci_g_co2e_per_kwh = st.mean_g_co2e_per_kwh;
    out->ci_coverage_frac = st.coverage_frac;
    out->ci_live = 1;
    return EST_OK;
}

/* GreenAlgorithms4HPC's accounting (backend/slurm_extract.py and
   backend/__init__.py, read, not copied): see ecoest/jobs.h. */
static int account_ga4hpc(const est_cluster *c, const est_job *job, const est_cluster_partition *p,
                          double w_per_gb, est_jobs_footprint *out, est_error *err)
{
    /* its merge: the largest of each over the rows (est_job.ga_*) */
    double elapsed_s = job->ga_elapsed_s > job->elapsed_s ? job->ga_elapsed_s : job->elapsed_s;
    double h = elapsed_s / 3600.0;
    double cpu_s = job->ga_total_cpu_s > 0.0 ? job->ga_total_cpu_s
                   : job->ga_cpu_time_s > 0.0 ? job->ga_cpu_time_s : 0.0;
    double step = est_cluster_memory_step_gb(c);
    double req = job->ga_req_mem_gb, used, need;
    unsigned ncpus = job->ga_ncpus > job->ncpus ? job->ga_ncpus : job->ncpus;
    int gpu_partition = p->gpu_tdp_w > 0.0;
    if (req < 0.0)
        return est__fail(err, EST_EPARSE,
                         "job %s (line %lu): GreenAlgorithms4HPC cannot read a row's ReqMem "
                         "(only K, M or G; it stops there): read the file with method ga4hpc "
                         "for the row and value, or use the default method, which reads T",
                         job->id, job->line);
    /* the totals' figures: its core-hours charged (CPUTime on a CPU
       partition, Elapsed x GPUs on a GPU one), its CPU time, its memory */
    out->elapsed_s = elapsed_s;
    out->cpus = ncpus;
    out->gpus = job->ga_gpus;
    out->cpu_h = gpu_partition ? 0.0 : job->ga_cpu_time_s / 3600.0;
    out->gpu_h = gpu_partition ? h * (double)job->ga_gpus : 0.0;
    out->cpu_used_h = cpu_s / 3600.0;
    out->mem_req_gb = req;
    out->mem_used_gb = job->ga_max_rss_gb >= 0.0 ? job->ga_max_rss_gb : EST_UNSET;
    out->mem_h = h;
    out->cpu_kwh = cpu_s / 3600.0 * p->cpu_tdp_per_core_w / 1000.0 * p->pue;
    out->gpu_kwh = gpu_partition ? h * (double)job->ga_gpus * p->gpu_tdp_w / 1000.0 * p->pue
                                 : 0.0;
    out->memory_kwh = h * req * w_per_gb / 1000.0 * p->pue;
    out->energy_kwh = out->cpu_kwh + out->gpu_kwh + out->memory_kwh;
    out->process_kwh = out->allocation_kwh = out->energy_kwh;
    out->gpu_usage_frac = gpu_partition && job->ga_gpus > 0 ? 1.0 : 0.0;
    out->gpu_usage_assumed = gpu_partition && job->ga_gpus > 0;
    out->cpu_usage_frac = ncpus > 0 && h > 0.0 ? cpu_s / 3600.0 / ((double)ncpus * h) : 0.0;
    /* memory needed: MaxRSS (else the request) up to the next whole step */
    used = job->ga_max_rss_gb >= 0.0 ? job->ga_max_rss_gb : req;
    need = used;
    if (step > 0.0) {
        double up = (floor(used / step) + 1.0) * step;
        need = req < used ? up : (req < up ? req : up);
    }
    out->mem_needed_gb = need;
    out->unused_memory_kwh = h * (req - need) * w_per_gb / 1000.0 * p->pue;
    out->failed = job->ga_any_row_not_completed || job->state != EST_JOBS_STATE_COMPLETED;
    out->co2e_g = out->energy_kwh * out->ci_g_co2e_per_kwh;
    return EST_OK;
}

/* The embodied share of what the job holds (ecoest/jobs.h,
   est_jobs_footprint.embodied_co2e_g; docs/cluster.md): nodes held =
   NCPUS / cores_per_node, at most NNodes (NNodes when cores_per_node is
   not known), one CPU package a node held, of the partition's CPU's die
   area where its hwdb row gives one; the other parts of each of its
   NNodes nodes at the share nodes held / NNodes, so that the rest counts
   nodes held servers in all. */
static int account_embodied(const est_embodied_factors *f, const est_cluster_partition *p,
                            const est_job *job, est_jobs_footprint *out, est_error *err)
{
    est_embodied_inputs ei = EST_EMBODIED_INPUTS_INIT;
    est_embodied_result r;
    est_error e;
    double nn = job->nnodes > 0 ? (double)job->nnodes : 1.0, held = nn;
    int rc;
    if (!(job->elapsed_s > 0.0))
        return EST_OK; /* held for no time: nothing */
    if (p->cores_per_node > 0) {
        double s = (double)job->ncpus / (double)p->cores_per_node;
        held = s < held ? s : held;
    }
    ei.platform = EST_REGIONS_PLATFORM_LOCAL_SERVER;
    ei.hours_held = job->elapsed_s / 3600.0;
    ei.cpu_count = held;
    /* the partition's CPU's own die area (its hwdb row), else the class
       default (EST_UNSET) */
    ei.cpu_die_area_cm2 = p->cpu_die_area_cm2 > 0.0 ? p->cpu_die_area_cm2 : EST_UNSET;
    ei.gpu_count = (double)job->gpus;
    /* likewise the partition's GPU's die area (its hwdb row) */
    ei.gpu_die_area_cm2 = p->gpu_die_area_cm2 > 0.0 ? p->gpu_die_area_cm2 : EST_UNSET;
    ei.memory_gb = job->req_mem_gb > 0.0 ? job->req_mem_gb : 0.0;
    ei.server_frac = held / nn;
    memset(&e, 0, sizeof e);
    if ((rc = est_embodied_compute(&r, f, &ei, &e)) != 0)
        return est__fail(err, rc, "job %s: the embodied share: %s", job->id, e.message);
    /* rest_g is one node's at server_frac: the job's NNodes nodes */
    out->embodied_co2e_g = r.cpu_g + r.gpu_g + r.memory_g + r.rest_g * nn;
    if (!isfinite(out->embodied_co2e_g)) {
        out->embodied_co2e_g = 0.0;
        return est__fail(err, EST_ERANGE, "job %s: the embodied share overflows a double",
                         job->id);
    }
    return EST_OK;
}

/* The options of any version 1..current, the rest at their defaults. */
static int read_options(est_jobs_account_options *o, const est_jobs_account_options *opts,
                        est_error *err)
{
    if (!opts)
        return EST_OK;
    if (opts->version < 1 || opts->version > EST_JOBS_ACCOUNT_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "account options version %u is not supported",
                         opts->version);
    o->scope = opts->scope;
    o->method = opts->method;
    o->memory_w_per_gb = opts->memory_w_per_gb;
    if (opts->version >= 2) {
        o->intensity = opts->intensity;
        o->intensity_user = opts->intensity_user;
        o->strict = opts->strict;
    }
    if (opts->version >= 3) {
        o->embodied = opts->embodied;
        o->include_embodied = opts->include_embodied;
    }
    if (opts->version >= 4) {
        o->cpu_power_model = opts->cpu_power_model;
        o->cpu_curves = opts->cpu_curves;
    }
    if (o->cpu_power_model != EST_MODEL_CPU_POWER_TDP &&
        o->cpu_power_model != EST_MODEL_CPU_POWER_CURVE)
        return est__fail(err, EST_EINVAL, "cpu_power_model: unknown model %d",
                         (int)o->cpu_power_model);
    if (o->cpu_power_model == EST_MODEL_CPU_POWER_CURVE && o->method == EST_JOBS_METHOD_GA4HPC)
        return est__fail(err, EST_EINVAL,
                         "cpu_power_model: the curve does not apply to method ga4hpc, which "
                         "reproduces GreenAlgorithms4HPC's figures (TDP x CPU time)");
    if (o->cpu_power_model == EST_MODEL_CPU_POWER_CURVE && !o->cpu_curves)
        return est__fail(err, EST_EINVAL,
                         "cpu_curves: the CPU power curve needs a curve table "
                         "(est_power_curves_open_default)");
    return EST_OK;
}

/* The energy and the operational carbon (est_jobs_account without the
   embodied share). */
/* Whether the job held anything for any time: one that never started
   (cancelled while pending) draws nothing under either method, so its
   partition needs no power figures. */
static int job_ran(const est_job *job)
{
    double e = job->ga_elapsed_s > job->elapsed_s ? job->ga_elapsed_s : job->elapsed_s;
    return e > 0.0 && (job->ncpus > 0 || job->ga_ncpus > 0);
}

/* The default method's failure: a job that ended in any state but
   COMPLETED; a RUNNING (or SUSPENDED) job has not ended, so it has not
   failed: it is counted up to now under its own state. */
static int job_failed(const est_job *job)
{
    return job->state != EST_JOBS_STATE_COMPLETED && job->state != EST_JOBS_STATE_RUNNING &&
           job->state != EST_JOBS_STATE_SUSPENDED;
}

static int account_energy(const est_cluster *c, const est_job *job,
                          const est_jobs_account_options *opts, const est_cluster_partition *p,
                          est_jobs_footprint *out, est_error *err);

int est_jobs_account(est_jobs_footprint *out, const est_cluster *c, const est_job *job,
                     const est_jobs_account_options *opts, est_error *err)
{
    est_jobs_account_options o = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    const est_cluster_partition *p;
    int rc;
    if (!out)
        return est__fail(err, EST_EINVAL, "no footprint given");
    memset(out, 0, sizeof *out);
    if (!c || !job)
        return est__fail(err, EST_EINVAL, "no cluster or job given");
    if ((rc = read_options(&o, opts, err)) != 0)
        return rc;
    if (o.method == EST_JOBS_METHOD_GA4HPC && job->ga_any_row_not_completed == 2) {
        out->left_out = 1; /* dropped there: a row PENDING, RUNNING or REQUEUED */
        return 0;
    }
    {
        /* a job submitted to several partitions (Partition=cpu,gpu) ran on
           the first, as GreenAlgorithms4HPC reads it; one that never ran
           draws nothing, whichever it names */
        char part[sizeof job->partition];
        size_t n = strcspn(job->partition, ",");
        memcpy(part, job->partition, n);
        part[n] = '\0';
        p = est_cluster_find_node(c, part, job->node, NULL);
    }
    if ((rc = account_energy(c, job, &o, p, out, err)) != 0)
        return rc;
    /* sacct -X: no steps to sum, TotalCPU 0, so usage 0 for a job that ran */
    if (o.method == EST_JOBS_METHOD_ECOEST && job->n_steps == 0 && job->total_cpu_s == 0.0 &&
        job->elapsed_s > 0.0 && job->ncpus > 0 && est_jobs_state_finished(job->state))
        out->cpu_time_unknown = 1;
    if (o.embodied) {
        if ((rc = account_embodied(o.embodied, p, job, out, err)) != 0) {
            memset(out, 0, sizeof *out);
            return rc;
        }
        if (o.include_embodied)
            out->co2e_g += out->embodied_co2e_g;
    }
    return EST_OK;
}

static int account_energy(const est_cluster *c, const est_job *job,
                          const est_jobs_account_options *opts, const est_cluster_partition *p,
                          est_jobs_footprint *out, est_error *err)
{
    const est_jobs_account_options o = *opts;
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    double h, usage, w_per_gb, static_kwh, share_kwh = 0.0;
    int rc;
    w_per_gb = o.memory_w_per_gb == EST_UNSET ? EST_DEFAULT_MEMORY_W_PER_GB : o.memory_w_per_gb;
    if (!(w_per_gb >= 0.0) || !isfinite(w_per_gb))
        return est__fail(err, EST_EINVAL, "memory_w_per_gb: must be a number >= 0");
    out->ci_g_co2e_per_kwh = p->ci_g_co2e_per_kwh;
    if (o.intensity && p->zone[0] && (rc = window_intensity(&o, p, job, out, err)) != 0)
        return rc;
    out->measured_kwh = job->energy_j >= 0.0 ? job->energy_j / 3.6e6 : EST_UNSET;
    out->estimated_kwh = EST_UNSET;
    out->measured_ratio = EST_UNSET;
    out->measured_gap_kwh = EST_UNSET;
    out->estimated_process_kwh = out->estimated_allocation_kwh = out->estimated_node_kwh =
        EST_UNSET;
    out->mem_needed_gb = EST_UNSET;
    h = job->elapsed_s / 3600.0;
    out->cpu_h = (double)job->ncpus * h;
    out->gpu_h = (double)job->gpus * h;
    out->cpu_used_h = job->total_cpu_s / 3600.0;
    out->mem_req_gb = job->req_mem_gb;
    out->mem_used_gb = job->max_rss_gb >= 0.0 ? job->max_rss_gb : EST_UNSET;
    out->mem_h = h;
    out->elapsed_s = job->elapsed_s;
    out->cpus = job->ncpus;
    out->gpus = job->gpus;
    /* the job's data does not fit the cluster: a bad row (EST_EPARSE), its
       allocation row's Partition named, as for a GPU without GPU power */
    if (!(p->cpu_tdp_per_core_w > 0.0) && job_ran(job))
        return est__fail(err, EST_EPARSE,
                         "column Partition: job %s (line %lu): %s: partition %s has no CPU "
                         "power: describe it in the cluster file (cpu, an hwdb CPU name, or "
                         "cpu_tdp_per_core_w), or give a default CPU (--cpu or "
                         "--cpu-tdp-per-core) for partitions the file does not name",
                         job->id, job->line, job->partition[0] ? job->partition : "(none)",
                         job->partition[0] ? job->partition : "(none)");
    if (o.method == EST_JOBS_METHOD_GA4HPC) {
        if ((rc = account_ga4hpc(c, job, p, w_per_gb, out, err)) != 0)
            return rc;
        set_measured(out, out->energy_kwh / p->pue);
        return EST_OK;
    }
    if (o.method != EST_JOBS_METHOD_ECOEST)
        return est__fail(err, EST_EINVAL, "method: unknown method %d", (int)o.method);
    if (o.cpu_power_model == EST_MODEL_CPU_POWER_CURVE &&
        (rc = cpu_curve(o.cpu_curves, p, job, &in, out, err)) != 0)
        return rc;
    if (!(job->elapsed_s > 0.0) || job->ncpus == 0) {
        out->failed = job_failed(job);
        set_measured(out, 0.0);
        if (out->measured_kwh >= 0.0)
            out->estimated_process_kwh = out->estimated_allocation_kwh =
                out->estimated_node_kwh = 0.0;
        return EST_OK; /* never ran: nothing drawn */
    }

    usage = job->total_cpu_s / ((double)job->ncpus * job->elapsed_s);
    if (usage > 1.0) {
        usage = 1.0;
        out->cpu_usage_clamped = 1;
        /* the CPU time the efficiency sums is clamped as the energy's usage
           is: at most NCPUS x Elapsed, so efficiency never passes 100 % */
        out->cpu_used_h = out->cpu_h;
    } else if (!(usage >= 0.0))
        usage = 0.0;
    out->cpu_usage_frac = usage;
    in.cpu_cores = job->ncpus;
    in.cpu_tdp_per_core_w = p->cpu_tdp_per_core_w;
    in.cpu_usage_frac = usage;
    if (job->gpus > 0) {
        /* the job's data does not fit the cluster: a bad row (EST_EPARSE),
           its allocation row's AllocTRES named */
        if (!(p->gpu_tdp_w > 0.0))
            return est__fail(err, EST_EPARSE,
                             "column AllocTRES: job %s (line %lu): gres/gpu%s%s=%u: %u GPUs on "
                             "partition %s, which has no GPU "
                             "power: give that partition gpu (an hwdb GPU name) or gpu_tdp_w "
                             "in the cluster file (--gpu and --gpu-tdp apply only to "
                             "partitions the cluster file does not name)",
                             job->id, job->line, job->gpu_type[0] ? ":" : "", job->gpu_type,
                             job->gpus, job->gpus,
                             job->partition[0] ? job->partition : "(none)");
        in.gpu_count = job->gpus;
        in.gpu_tdp_w = p->gpu_tdp_w;
        in.gpu_idle_w = p->gpu_idle_w >= 0.0 ? p->gpu_idle_w : 0.0;
        if (job->gpu_util_frac >= 0.0)
            in.gpu_usage_frac = job->gpu_util_frac;
        else {
            in.gpu_usage_frac = 1.0;
            out->gpu_usage_assumed = 1;
        }
        out->gpu_usage_frac = in.gpu_usage_frac;
    }
    in.memory_gb = job->req_mem_gb;
    in.memory_w_per_gb = w_per_gb;
    in.pue = p->pue;
    in.ci_g_co2e_per_kwh = out->ci_g_co2e_per_kwh;
    in.runtime_h = h;
    in.scope = o.scope;
    /* the measurement is the model's meter reading: it sets each scope,
       before PUE, beside it */
    if (out->measured_kwh >= 0.0)
        in.compare_kwh = out->measured_kwh;
    node_inputs(p, job, &in);
    if ((rc = est_model_compute(&r, NULL, &in, err)) != 0)
        return rc;
    if (p->static_node_w > 0.0) {
        /* the job's share of its nodes' static power: its cores out of the
           nodes' cores, at most its whole nodes; in the process and
           allocation figures whatever the headline scope */
        double share = (double)job->nnodes;
        if (p->cores_per_node > 0) {
            double s = (double)job->ncpus / (double)p->cores_per_node;
            share = s < share ? s : share;
        }
        share_kwh = p->static_node_w * share * p->pue * h / 1000.0;
    }
    /* the static power in the headline: the whole nodes' in the node
       scope, else the job's share */
    static_kwh = o.scope == EST_MODEL_SCOPE_NODE ? r.static_node.energy_kwh : share_kwh;
    out->cpu_kwh = r.cpu.energy_kwh;
    out->gpu_kwh = r.gpu.energy_kwh;
    out->memory_kwh = r.memory.energy_kwh;
    out->static_kwh = static_kwh;
    out->node_kwh = r.node.energy_kwh;
    out->energy_kwh = o.scope == EST_MODEL_SCOPE_NODE ? r.total.energy_kwh
                                                      : r.total.energy_kwh + share_kwh;
    out->process_kwh = r.process.energy_kwh + share_kwh;
    out->allocation_kwh = r.allocation.energy_kwh + share_kwh;
    out->co2e_g = out->energy_kwh * out->ci_g_co2e_per_kwh;
    if (r.has_compare)
        set_measured(out, o.scope == EST_MODEL_SCOPE_NODE ? r.compare_node.estimate_kwh
                          : (o.scope == EST_MODEL_SCOPE_ALLOCATION ? r.compare_allocation
                                                             : r.compare_process)
                                    .estimate_kwh +
                                share_kwh / p->pue);
    if (r.has_compare) {
        out->estimated_process_kwh = out->process_kwh / p->pue;
        out->estimated_allocation_kwh = out->allocation_kwh / p->pue;
        out->estimated_node_kwh = out->node_kwh / p->pue;
    }
    if (job->max_rss_gb >= 0.0 && job->req_mem_gb > job->max_rss_gb)
        out->unused_memory_kwh =
            (job->req_mem_gb - job->max_rss_gb) * w_per_gb * p->pue * h / 1000.0;
    out->failed = job_failed(job);
    return EST_OK;
}

static double sum_known(double a, double b)
{
    return a == EST_UNSET || b == EST_UNSET ? EST_UNSET : a + b;
}

int est_jobs_footprint_add(est_jobs_footprint *a, const est_jobs_footprint *b)
{
    double ea, eb;
    if (!a || !b)
        return EST_EINVAL;
    ea = a->energy_kwh;
    eb = b->energy_kwh;
    /* the intensity weighted by each part's energy */
    if (ea + eb > 0.0)
        a->ci_g_co2e_per_kwh = (a->ci_g_co2e_per_kwh * ea + b->ci_g_co2e_per_kwh * eb) / (ea + eb);
    else if (!(a->ci_g_co2e_per_kwh > 0.0))
        a->ci_g_co2e_per_kwh = b->ci_g_co2e_per_kwh;
    a->cpu_kwh += b->cpu_kwh;
    a->gpu_kwh += b->gpu_kwh;
    a->memory_kwh += b->memory_kwh;
    a->static_kwh += b->static_kwh;
    a->energy_kwh += b->energy_kwh;
    a->process_kwh += b->process_kwh;
    a->allocation_kwh += b->allocation_kwh;
    a->unused_memory_kwh += b->unused_memory_kwh;
    a->co2e_g += b->co2e_g;
    a->node_kwh += b->node_kwh;
    a->embodied_co2e_g += b->embodied_co2e_g;
    a->cpu_h += b->cpu_h;
    a->gpu_h += b->gpu_h;
    a->cpu_used_h += b->cpu_used_h;
    a->mem_req_gb += b->mem_req_gb;
    a->mem_needed_gb += b->mem_needed_gb;
    a->mem_used_gb = sum_known(a->mem_used_gb, b->mem_used_gb);
    a->measured_kwh = sum_known(a->measured_kwh, b->measured_kwh);
    a->estimated_kwh = sum_known(a->estimated_kwh, b->estimated_kwh);
    a->measured_gap_kwh = sum_known(a->measured_gap_kwh, b->measured_gap_kwh);
    a->estimated_process_kwh = sum_known(a->estimated_process_kwh, b->estimated_process_kwh);
    a->estimated_allocation_kwh =
        sum_known(a->estimated_allocation_kwh, b->estimated_allocation_kwh);
    a->estimated_node_kwh = sum_known(a->estimated_node_kwh, b->estimated_node_kwh);
    a->measured_ratio = a->measured_kwh > 0.0 && a->estimated_kwh != EST_UNSET
                            ? a->estimated_kwh / a->measured_kwh
                            : a->measured_kwh == EST_UNSET ? EST_UNSET : 0.0;
    if (b->elapsed_s > a->elapsed_s)
        a->elapsed_s = b->elapsed_s;
    if (b->mem_h > a->mem_h)
        a->mem_h = b->mem_h;
    a->cpus += b->cpus;
    a->gpus += b->gpus;
    a->cpu_usage_frac = a->cpu_h > 0.0 ? a->cpu_used_h / a->cpu_h : 0.0;
    if (a->cpu_usage_frac > 1.0)
        a->cpu_usage_frac = 1.0;
    if (b->gpu_usage_frac > a->gpu_usage_frac)
        a->gpu_usage_frac = b->gpu_usage_frac;
    a->cpu_usage_clamped |= b->cpu_usage_clamped;
    a->gpu_usage_assumed |= b->gpu_usage_assumed;
    a->ci_live |= b->ci_live;
    a->ci_fallback |= b->ci_fallback;
    a->failed |= b->failed;
    a->left_out |= b->left_out;
    a->cpu_time_unknown |= b->cpu_time_unknown;
    /* the parts' curve rows: one family, or "several" */
    if (!a->cpu_curve_family[0])
        memcpy(a->cpu_curve_family, b->cpu_curve_family, sizeof a->cpu_curve_family);
    else if (b->cpu_curve_family[0] && strcmp(a->cpu_curve_family, b->cpu_curve_family) != 0)
        est__strlcpy(a->cpu_curve_family, "several", sizeof a->cpu_curve_family);
    return 0;
}
