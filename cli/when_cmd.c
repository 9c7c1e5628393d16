/* ecoest when: the start time that minimises a job's mean carbon intensity,
 * from a forecast made of the zone's recent history (the day cache and the
 * live providers), or, looking back, the best start inside a past range.
 * The computation is the library's (greenest.h); this file fetches, prints. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "carbon_live.h"
#include "cli.h"
#include "job_opts.h"
#include "live.h"
#include "paths.h"
#include "report.h"
#include "ecoest/greenest.h"
#include "ecoest/regions.h"

static const char when_usage[] =
    "Usage: ecoest when --zone Z --duration D [--within H] [OPTIONS]\n"
    "       ecoest when --zone Z --duration D --start TIME --end TIME [OPTIONS]\n"
    "\n"
    "The start time within the next H hours that minimises the job's mean carbon\n"
    "intensity, from a forecast made of history: each hour's forecast is the mean\n"
    "of the same hour over the last N days (fetched live, or from the day cache).\n"
    "With --start and --end it looks back instead: the best start inside that past\n"
    "range, against starting at --start. Prints the sbatch --begin to use.\n"
    "\n"
    "  --zone Z                 grid zone (a code or alias; ecoest carbon zones)\n"
    "  --duration D             the job's runtime: 2h30m, 90m, 1-02:00:00, ...\n"
    "  --within H               hours from now in which to start (default 24)\n"
    "  --history-days N         days of history the forecast averages (default 7)\n"
    "  --step M                 minutes between candidate starts (default 60)\n"
    "  --now TIME               the current time (default: the clock); ISO 8601 or\n"
    "                           Unix seconds\n"
    "  --start TIME, --end TIME look back over this past range instead\n"
    "  --provider rte|electricitymaps, --offline, --timeout S, --factors SET\n"
    "                           as for the live intensity (docs/carbon.md)\n"
    "  --format text|json       (default text)\n"
    "  -h, --help               this help\n"
    "\n"
    "Job (optional: the saving in g CO2e too; as in the estimate):\n"
    "%s"
    "  --pue X                  the data centre's PUE (default 1.56, Uptime 2024)\n"
    "\n"
    "Exit status: 0 ok, 64 usage, 65 unknown zone, 69 no intensity data for the\n"
    "forecast or the range, 70 internal error.\n";

typedef struct when_opts {
    cli_job job;
    const char *zone;
    double duration_s, within_h, step_s, now;
    unsigned history_days;
    const char *start, *end;
    cli_format fmt;
    cli_carbon_opts co;
} when_opts;

enum {
    O_ZONE = 300, O_DURATION, O_WITHIN, O_HISTORY, O_STEP, O_NOW, O_START, O_END, O_FORMAT,
    O_PROVIDER, O_OFFLINE, O_TIMEOUT, O_FACTORS, O_PUE
};

static int time_arg(const char *opt, const char *a, double *out)
{
    if (est_parse_time(a, NULL, out) != EST_OK) {
        cli_msg("%s: expected an ISO 8601 time with a zone (2025-01-15T11:00:00Z) or Unix "
                "seconds, got \"%s\"", opt, a);
        return -1;
    }
    return 0;
}

static int parse(when_opts *o, int argc, char **argv)
{
    static const struct option lo[] = {
        {"zone", required_argument, NULL, O_ZONE},
        {"duration", required_argument, NULL, O_DURATION},
        {"within", required_argument, NULL, O_WITHIN},
        {"history-days", required_argument, NULL, O_HISTORY},
        {"step", required_argument, NULL, O_STEP},
        {"now", required_argument, NULL, O_NOW},
        {"start", required_argument, NULL, O_START},
        {"end", required_argument, NULL, O_END},
        {"format", required_argument, NULL, O_FORMAT},
        {"provider", required_argument, NULL, O_PROVIDER},
        {"offline", no_argument, NULL, O_OFFLINE},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"factors", required_argument, NULL, O_FACTORS},
        {"pue", required_argument, NULL, O_PUE},
        CLI_JOB_LONG_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    double v;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        const char *a = optarg;
        int k = cli_job_option(&o->job, c, a);
        if (k < 0)
            return -1;
        if (k > 0)
            continue;
        switch (c) {
        case 'h': return 1;
        case O_PUE:
            if (cli_opt_number("--pue", a, &o->job.in.pue)) return -1;
            if (o->job.in.pue < 1.0) { cli_msg("--pue: must be >= 1, got \"%s\"", a); return -1; }
            break;
        case O_ZONE: o->zone = a; break;
        case O_DURATION:
            if (est_parse_duration(a, &o->duration_s) || !(o->duration_s > 0.0)) {
                cli_msg("--duration: expected a runtime such as 2h30m or 1-02:00:00, got \"%s\"",
                        a);
                return -1;
            }
            break;
        case O_WITHIN:
            if (cli_opt_number("--within", a, &o->within_h)) return -1;
            if (o->within_h > 24.0 * 14) { cli_msg("--within: at most 336 hours"); return -1; }
            break;
        case O_HISTORY:
            if (cli_opt_count("--history-days", a, &o->history_days)) return -1;
            if (o->history_days > 60) { cli_msg("--history-days: at most 60"); return -1; }
            break;
        case O_STEP:
            if (cli_opt_number("--step", a, &v)) return -1;
            if (!(v >= 1.0)) { cli_msg("--step: at least 1 minute, got \"%s\"", a); return -1; }
            o->step_s = v * 60.0;
            break;
        case O_NOW: if (time_arg("--now", a, &o->now)) return -1; break;
        case O_START: o->start = a; break;
        case O_END: o->end = a; break;
        case O_FORMAT:
            if (cli_parse_format(a, &o->fmt)) return -1;
            if (o->fmt == CLI_FORMAT_CSV) { cli_msg("--format: text or json"); return -1; }
            break;
        case O_PROVIDER: if (cli_carbon_set_option(&o->co, CLI_CO_PROVIDER, a)) return -1; break;
        case O_OFFLINE: cli_carbon_set_option(&o->co, CLI_CO_OFFLINE, a); break;
        case O_TIMEOUT: if (cli_carbon_set_option(&o->co, CLI_CO_TIMEOUT, a)) return -1; break;
        case O_FACTORS: if (cli_carbon_set_option(&o->co, CLI_CO_FACTORS, a)) return -1; break;
        case ':': cli_msg("%s: missing value", argv[optind - 1]); return -1;
        default:
            cli_msg("unknown option '%s' (see ecoest when --help)", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        cli_msg("unexpected argument \"%s\" (see ecoest when --help)", argv[optind]);
        return -1;
    }
    if (!o->zone || !(o->duration_s > 0.0)) {
        cli_msg("when: give --zone Z and --duration D (see ecoest when --help)");
        return -1;
    }
    if (!o->start != !o->end) {
        cli_msg("looking back needs both --start and --end");
        return -1;
    }
    return cli_job_finish(&o->job);
}

/* The series of [s, e) from the live source or the cache, into *series. */
static int fetch(when_opts *o, const est_zone *z, double s, double e, cli_carbon *c,
                 est_carbon_series *series)
{
    int rc;
    if (!o->co.offline)
        o->co.live = 1;
    o->co.has_window = 1;
    o->co.start_unix_s = s;
    o->co.end_unix_s = e;
    memset(c, 0, sizeof *c);
    cli_carbon_default(c, z, &o->co);
    rc = cli_carbon_live(&o->co, z, c, series);
    if (rc)
        return rc;
    if (!series->n_points) {
        cli_msg("no intensity data for zone %s from the source or the cache: no start time "
                "can be chosen", z->code);
        return CLI_EX_UNAVAILABLE;
    }
    return 0;
}

static void fmt_time(double t, char *buf, size_t size)
{
    if (est_format_time(t, buf, size) != EST_OK)
        snprintf(buf, size, "?");
}

/* sbatch --begin in this machine's local time (Slurm reads local time). */
static void sbatch_begin(double t, char *buf, size_t size, char *tz, size_t tz_size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) {
        snprintf(buf, size, "?");
        snprintf(tz, tz_size, "?");
        return;
    }
    strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(tz, tz_size, "%Z, UTC%z", &tm);
}

static int report(const when_opts *o, const est_zone *z, const est_window_choice *w,
                  int look_back, double hist_s, double hist_e, size_t n_hist, const char *source,
                  double energy_kwh)
{
    char best[32], first[32], hs[32], he[32], begin[32], tz[64];
    cli_buf out = {0};
    double wait_s = w->start_unix_s - w->first_start_unix_s;
    fmt_time(w->start_unix_s, best, sizeof best);
    fmt_time(w->first_start_unix_s, first, sizeof first);
    fmt_time(hist_s, hs, sizeof hs);
    fmt_time(hist_e, he, sizeof he);
    sbatch_begin(w->start_unix_s, begin, sizeof begin, tz, sizeof tz);
    if (o->fmt == CLI_FORMAT_JSON) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "zone", z->code);
        cJSON_AddStringToObject(r, "mode", look_back ? "look-back" : "forecast");
        cJSON_AddStringToObject(r, "method", look_back
                                    ? "measured intensity over the range"
                                    : "forecast from history: the mean of the same hour over "
                                      "the last days");
        cJSON_AddStringToObject(r, "source", source);
        cli_json_add_num(r, "duration_s", o->duration_s);
        if (!look_back)
            cli_json_add_num(r, "history_days", o->history_days);
        cJSON_AddStringToObject(r, "data_start", hs);
        cJSON_AddStringToObject(r, "data_end", he);
        cli_json_add_num(r, "data_points", (double)n_hist);
        cJSON_AddStringToObject(r, "first_start", first);
        if (w->first_mean_g_co2e_per_kwh >= 0.0)
            cli_json_add_num(r, "first_mean_g_co2e_per_kwh", w->first_mean_g_co2e_per_kwh);
        else
            cJSON_AddNullToObject(r, "first_mean_g_co2e_per_kwh");
        cJSON_AddStringToObject(r, "best_start", best);
        cli_json_add_num(r, "best_start_unix_s", w->start_unix_s);
        cli_json_add_num(r, "best_mean_g_co2e_per_kwh", w->mean_g_co2e_per_kwh);
        cli_json_add_num(r, "best_coverage_frac", w->coverage_frac);
        if (w->saving_frac != EST_UNSET)
            cli_json_add_num(r, "saving_frac", w->saving_frac);
        else
            cJSON_AddNullToObject(r, "saving_frac");
        cli_json_add_num(r, "candidates", (double)w->n_candidates);
        if (energy_kwh >= 0.0) {
            /* the job's energy at each start's mean intensity */
            cli_json_add_num(r, "energy_kwh", energy_kwh);
            cli_json_add_num(r, "best_co2e_g", energy_kwh * w->mean_g_co2e_per_kwh);
            if (w->first_mean_g_co2e_per_kwh >= 0.0) {
                cli_json_add_num(r, "first_co2e_g",
                                        energy_kwh * w->first_mean_g_co2e_per_kwh);
                cli_json_add_num(r, "saving_g",
                                        energy_kwh * (w->first_mean_g_co2e_per_kwh -
                                                      w->mean_g_co2e_per_kwh));
            }
        }
        if (!look_back)
            cJSON_AddStringToObject(r, "sbatch_begin", begin);
        cli_buf_json(&out, r);
        return cli_buf_flush(&out, stdout);
    }
    cli_buf_printf(&out, "Zone %s (%s), a job of %.4g h.\n", z->code, z->name,
                   o->duration_s / 3600.0);
    if (look_back)
        cli_buf_printf(&out, "Looking back over %s to %s (measured intensity, %s, %zu points).\n",
                       hs, he, source, n_hist);
    else
        cli_buf_printf(&out, "Method: a forecast from history: each hour is the mean of the same "
                             "hour over the last %u days (%s to %s, %s, %zu points). It is not a "
                             "weather-aware forecast.\n",
                       o->history_days, hs, he, source, n_hist);
    cli_buf_printf(&out, "Best start: %s, mean %.4g gCO2e/kWh%s.\n", best,
                   w->mean_g_co2e_per_kwh, look_back ? "" : " (forecast)");
    if (w->first_mean_g_co2e_per_kwh >= 0.0)
        cli_buf_printf(&out, "%s %s: %.4g gCO2e/kWh; saving %.1f%%.\n",
                       look_back ? "Starting at --start," : "Starting now,", first,
                       w->first_mean_g_co2e_per_kwh,
                       w->saving_frac != EST_UNSET ? w->saving_frac * 100.0 : 0.0);
    else
        cli_buf_printf(&out, "No data for starting at %s: no saving can be given.\n", first);
    if (energy_kwh >= 0.0 && w->first_mean_g_co2e_per_kwh >= 0.0)
        cli_buf_printf(&out, "The job (%.4g kWh, PUE %g): %.4g g CO2e at the best start against "
                             "%.4g g, %.4g g saved.\n",
                       energy_kwh, o->job.in.pue, energy_kwh * w->mean_g_co2e_per_kwh,
                       energy_kwh * w->first_mean_g_co2e_per_kwh,
                       energy_kwh * (w->first_mean_g_co2e_per_kwh - w->mean_g_co2e_per_kwh));
    if (!look_back)
        cli_buf_printf(&out, "Slurm: sbatch --begin=%s ...   (local time, %s; or "
                             "--begin=now+%.0f from %s)\n",
                       begin, tz, wait_s, first);
    return cli_buf_flush(&out, stdout);
}

int cli_when_main(int argc, char **argv)
{
    when_opts o;
    est_zones *zones = NULL;
    est_zone z;
    est_error e;
    cli_carbon c;
    est_carbon_series series;
    est_ci_point *fc = NULL;
    est_window_choice w;
    double hist_s, hist_e, first, latest, energy_kwh = EST_UNSET;
    size_t n_fc = 0, cap;
    int rc, look_back;
    memset(&o, 0, sizeof o);
    memset(&series, 0, sizeof series);
    cli_job_init(&o.job);
    o.job.in.pue = EST_PUE_DEFAULT_UPTIME_2024;
    o.within_h = 24.0;
    o.history_days = 7;
    o.step_s = 3600.0;
    rc = parse(&o, argc, argv);
    if (rc > 0) {
        printf(when_usage, cli_job_usage);
        return fflush(stdout) ? CLI_EX_IOERR : 0;
    }
    if (rc < 0)
        return CLI_EX_USAGE;
    if (o.job.given) {
        est_model_result mr;
        o.job.in.runtime_h = o.duration_s / 3600.0;
        if (est_model_compute(&o.job.in, &mr, &e) != EST_OK) {
            cli_msg("%s", e.message);
            return CLI_EX_USAGE;
        }
        energy_kwh = mr.total.energy_kwh;
    }
    look_back = o.start != NULL;
    if (!o.now)
        o.now = (double)time(NULL);
    if ((rc = cli_open_zones(&zones)) != 0)
        return rc;
    rc = est_zones_lookup(zones, o.zone, &z, &e);
    est_zones_free(zones);
    if (rc) {
        cli_msg("%s", e.message);
        cli_candidates("closest known zones", &e);
        return cli_exit_for(rc);
    }
    if (look_back) {
        if (time_arg("--start", o.start, &hist_s) || time_arg("--end", o.end, &hist_e))
            return CLI_EX_USAGE;
        if (!(hist_e - hist_s >= o.duration_s)) {
            cli_msg("the range --start..--end is shorter than --duration");
            return CLI_EX_USAGE;
        }
        if ((rc = fetch(&o, &z, hist_s, hist_e, &c, &series)) != 0)
            goto done;
        rc = est_ci_best_window(&w, series.points, series.n_points, hist_s,
                                hist_e - o.duration_s, o.duration_s, o.step_s, 0.9, &e);
    } else {
        first = ceil(o.now / o.step_s) * o.step_s;
        latest = first + o.within_h * 3600.0;
        hist_e = floor(o.now / 3600.0) * 3600.0;
        hist_s = hist_e - (double)o.history_days * 86400.0;
        if ((rc = fetch(&o, &z, hist_s, hist_e, &c, &series)) != 0)
            goto done;
        cap = (size_t)((latest + o.duration_s - first) / o.step_s) + 2;
        fc = calloc(cap, sizeof *fc);
        if (!fc) {
            cli_msg("out of memory");
            rc = CLI_EX_SOFTWARE;
            goto done;
        }
        rc = est_ci_forecast_history(fc, cap, &n_fc, series.points, series.n_points, first,
                                     o.step_s, hist_e, o.history_days, &e);
        if (rc == EST_OK)
            rc = est_ci_best_window(&w, fc, n_fc, first, latest, o.duration_s, o.step_s, 0.9,
                                    &e);
    }
    if (rc) {
        cli_msg("%s", e.message);
        rc = rc == EST_ENODATA ? CLI_EX_UNAVAILABLE : cli_exit_for(rc);
        goto done;
    }
    rc = report(&o, &z, &w, look_back, hist_s, hist_e, series.n_points, c.source, energy_kwh);
done:
    free(fc);
    cli_live_clear(&series);
    return rc;
}
