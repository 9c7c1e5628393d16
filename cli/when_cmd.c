/* ecoest when: the start time that minimises a job's mean carbon intensity,
 * from Electricity Maps' forecast or a forecast made of the zone's recent
 * history (the day cache and the live providers), or, looking back, the best
 * start inside a past range. Every rule is the library's: which forecast
 * (est_carbon_forecast_decide, ecoest/carbon.h), the windows, the choice and
 * the saving (est_greenest_plan_*, est_greenest_job_figures, greenest.h).
 * This file reads the options and the environment, fetches, and prints. */
#include <getopt.h>
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
    "intensity, from Electricity Maps' forecast where the token allows it, else\n"
    "from a forecast made of history: each hour's forecast is the mean of the same\n"
    "hour over the last N days (fetched live, or from the day cache). The output\n"
    "says which, and why the provider's forecast was not used.\n"
    "With --start and --end it looks back instead: the best start inside that past\n"
    "range, against starting at --start. Prints the sbatch --begin to use.\n"
    "\n"
    "  --zone Z                 grid zone (a code or alias; ecoest carbon zones)\n"
    "  --duration D             the job's runtime: 2h30m, 90m, 1-02:00:00, ...\n"
    "  --within H               hours from now in which to start (default 24)\n"
    "  --forecast auto|electricitymaps|history  auto (default): Electricity Maps'\n"
    "                           forecast when the zone's provider is Electricity\n"
    "                           Maps and $ELECTRICITYMAPS_TOKEN is set, else (or\n"
    "                           when it fails: 401/403, a token without it) the\n"
    "                           forecast from history; electricitymaps: that or\n"
    "                           exit 69; history: never ask for the forecast\n"
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
    "Job (optional: the saving in g CO2e too; the estimate's options, the runtime\n"
    "being --duration; the figures are the estimate's at the mean intensity):\n"
    "%s"
    "  --pue X, --wue L         the data centre's PUE (default 1.67, as the\n"
    "                           estimate) and on-site water (the job's water is\n"
    "                           reported, the same at any start)\n"
    "\n"
    "Exit status: 0 ok, 64 usage, 65 unknown zone, 69 no intensity data for the\n"
    "forecast or the range, 70 internal error.\n";

typedef struct when_opts {
    cli_job job;
    est_carbon_forecast_mode forecast;
    const char *zone;
    est_greenest_plan_options po; /* the library's defaults, then the options */
    const char *start, *end;
    cli_format fmt;
    cli_carbon_opts co;
} when_opts;

enum {
    O_ZONE = 300, O_DURATION, O_WITHIN, O_HISTORY, O_STEP, O_NOW, O_START, O_END, O_FORMAT,
    O_PROVIDER, O_OFFLINE, O_TIMEOUT, O_FACTORS, O_FORECAST
};

static int time_arg(const char *opt, const char *a, double *out)
{
    if (est_parse_time(out, a, NULL) != EST_OK) {
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
        {"forecast", required_argument, NULL, O_FORECAST},
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
        case O_FORECAST:
            if (strcmp(a, "auto") == 0) o->forecast = EST_CARBON_FORECAST_AUTO;
            else if (strcmp(a, "electricitymaps") == 0) o->forecast = EST_CARBON_FORECAST_PROVIDER;
            else if (strcmp(a, "history") == 0) o->forecast = EST_CARBON_FORECAST_HISTORY;
            else {
                cli_msg("--forecast: expected auto, electricitymaps or history, got \"%s\"", a);
                return -1;
            }
            break;
        case O_ZONE: o->zone = a; break;
        case O_DURATION:
            if (est_parse_duration(&o->po.duration_s, a) || !(o->po.duration_s > 0.0)) {
                cli_msg("--duration: expected a runtime such as 2h30m or 1-02:00:00, got \"%s\"",
                        a);
                return -1;
            }
            break;
        case O_WITHIN:
            if (cli_opt_number("--within", a, &o->po.within_h)) return -1;
            if (o->po.within_h > 24.0 * 14) { cli_msg("--within: at most 336 hours"); return -1; }
            break;
        case O_HISTORY:
            if (cli_opt_count("--history-days", a, &o->po.history_days)) return -1;
            if (o->po.history_days > 60) { cli_msg("--history-days: at most 60"); return -1; }
            break;
        case O_STEP:
            if (cli_opt_number("--step", a, &v)) return -1;
            if (!(v >= 1.0)) { cli_msg("--step: at least 1 minute, got \"%s\"", a); return -1; }
            o->po.step_s = v * 60.0;
            break;
        case O_NOW: if (time_arg("--now", a, &o->po.now_unix_s)) return -1; break;
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
    if (!o->zone || !(o->po.duration_s > 0.0)) {
        cli_msg("when: give --zone Z and --duration D (see ecoest when --help)");
        return -1;
    }
    if (!o->start != !o->end) {
        cli_msg("looking back needs both --start and --end");
        return -1;
    }
    if (o->start && o->forecast == EST_CARBON_FORECAST_PROVIDER) {
        cli_msg("--forecast electricitymaps looks ahead: it cannot be combined with --start");
        return -1;
    }
    return cli_job_finish(&o->job, 0);
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
                "can be chosen", est_zones_provider_code(z));
        return CLI_EX_UNAVAILABLE;
    }
    return 0;
}

static void fmt_time(double t, char *buf, size_t size)
{
    if (est_format_time(buf, size, t) != EST_OK)
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

/* What the report shows beside the library's plan and choice: the
   provider's forecast, the series read, the job's figures. */
typedef struct when_result {
    const est_greenest_plan *plan;
    const est_greenest_choice *w;
    size_t n_forecast;          /* the provider's points */
    double updated_unix_s;      /* its updatedAt, or EST_UNSET */
    size_t n_hist;
    const char *source;
    int has_job;
    est_greenest_job job;
} when_result;

static void report_json(const when_opts *o, const est_zone *z, const when_result *x,
                        cli_buf *out)
{
    const est_greenest_plan *p = x->plan;
    const est_greenest_choice *w = x->w;
    int back = p->look_back, provider = p->method == EST_GREENEST_METHOD_PROVIDER;
    char best[32], first[32], hs[32], he[32], begin[32], tz[64], up[32];
    cJSON *r = cJSON_CreateObject();
    fmt_time(w->start_unix_s, best, sizeof best);
    fmt_time(w->first_start_unix_s, first, sizeof first);
    fmt_time(p->history_start_unix_s, hs, sizeof hs);
    fmt_time(p->history_end_unix_s, he, sizeof he);
    sbatch_begin(w->start_unix_s, begin, sizeof begin, tz, sizeof tz);
    cJSON_AddStringToObject(r, "zone", z->code);
    cJSON_AddStringToObject(r, "zone_given", z->given);
    cJSON_AddBoolToObject(r, "zone_mapped", z->alias_kind[0] != '\0');
    if (z->alias_kind[0])
        cJSON_AddStringToObject(r, "zone_alias_kind", z->alias_kind);
    else
        cJSON_AddNullToObject(r, "zone_alias_kind");
    cJSON_AddStringToObject(r, "provider_zone", est_zones_provider_code(z));
    cJSON_AddStringToObject(r, "mode", back ? "look-back" : "forecast");
    cJSON_AddStringToObject(r, "method", back ? "measured intensity over the range"
                                         : provider
                                             ? "Electricity Maps' forecast "
                                               "(/carbon-intensity/forecast)"
                                             : "forecast from history: the mean of the same "
                                               "hour over the last days");
    if (!back)
        cJSON_AddStringToObject(r, "forecast_source", provider ? "electricitymaps" : "history");
    if (p->note[0])
        cJSON_AddStringToObject(r, "forecast_note", p->note);
    else
        cJSON_AddNullToObject(r, "forecast_note");
    if (provider) {
        cli_json_add_num(r, "forecast_points", (double)x->n_forecast);
        if (x->updated_unix_s != EST_UNSET) {
            fmt_time(x->updated_unix_s, up, sizeof up);
            cJSON_AddStringToObject(r, "forecast_updated", up);
        } else {
            cJSON_AddNullToObject(r, "forecast_updated");
        }
    } else {
        cJSON_AddStringToObject(r, "source", x->source);
        if (!back)
            cli_json_add_num(r, "history_days", p->history_days);
        cJSON_AddStringToObject(r, "data_start", hs);
        cJSON_AddStringToObject(r, "data_end", he);
        cli_json_add_num(r, "data_points", (double)x->n_hist);
    }
    cli_json_add_num(r, "duration_s", o->po.duration_s);
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
    if (x->has_job) {
        /* the estimate at each start's mean intensity */
        cli_json_add_num(r, "energy_kwh", x->job.energy_kwh);
        if (x->job.water_l != EST_UNSET)
            cli_json_add_num(r, "water_l", x->job.water_l);
        else
            cJSON_AddNullToObject(r, "water_l");
        cli_json_add_num(r, "best_co2e_g", x->job.best_co2e_g);
        if (x->job.first_co2e_g != EST_UNSET) {
            cli_json_add_num(r, "first_co2e_g", x->job.first_co2e_g);
            cli_json_add_num(r, "saving_g", x->job.saving_g);
        }
    }
    if (!back)
        cJSON_AddStringToObject(r, "sbatch_begin", begin);
    cli_buf_json(out, r);
}

static int report(const when_opts *o, const est_zone *z, const when_result *x)
{
    const est_greenest_plan *p = x->plan;
    const est_greenest_choice *w = x->w;
    int back = p->look_back;
    char best[32], first[32], hs[32], he[32], begin[32], tz[64], up[32];
    cli_buf out = {0};
    double wait_s = w->start_unix_s - w->first_start_unix_s;
    if (o->fmt == CLI_FORMAT_JSON) {
        report_json(o, z, x, &out);
        return cli_buf_flush(&out, stdout);
    }
    fmt_time(w->start_unix_s, best, sizeof best);
    fmt_time(w->first_start_unix_s, first, sizeof first);
    fmt_time(p->history_start_unix_s, hs, sizeof hs);
    fmt_time(p->history_end_unix_s, he, sizeof he);
    sbatch_begin(w->start_unix_s, begin, sizeof begin, tz, sizeof tz);
    cli_buf_printf(&out, "Zone %s (%s), a job of %.4g h.\n", z->code, z->name,
                   o->po.duration_s / 3600.0);
    if (z->alias_kind[0]) /* JP-TK: the series is JP-TK's, the table's figure JP's */
        cli_buf_printf(&out, "--zone %s (%s) mapped to %s; intensity data asked for %s.\n",
                       z->given, z->alias_kind, z->code, est_zones_provider_code(z));
    if (back) {
        cli_buf_printf(&out, "Looking back over %s to %s (measured intensity, %s, %zu points).\n",
                       hs, he, x->source, x->n_hist);
    } else if (p->method == EST_GREENEST_METHOD_PROVIDER) {
        if (x->updated_unix_s != EST_UNSET)
            fmt_time(x->updated_unix_s, up, sizeof up);
        else
            snprintf(up, sizeof up, "not said");
        cli_buf_printf(&out, "Method: Electricity Maps' forecast (/carbon-intensity/forecast, "
                             "%zu points, updated %s).\n", x->n_forecast, up);
    } else {
        cli_buf_printf(&out, "Method: a forecast from history: each hour is the mean of the same "
                             "hour over the last %u days (%s to %s, %s, %zu points). It is not a "
                             "weather-aware forecast.\n",
                       p->history_days, hs, he, x->source, x->n_hist);
    }
    if (p->note[0])
        cli_buf_printf(&out, "Note: %s\n", p->note);
    cli_buf_printf(&out, "Best start: %s, mean %.4g gCO2e/kWh%s.\n", best,
                   w->mean_g_co2e_per_kwh, back ? "" : " (forecast)");
    if (w->first_mean_g_co2e_per_kwh >= 0.0)
        cli_buf_printf(&out, "%s %s: %.4g gCO2e/kWh; saving %.1f%%.\n",
                       back ? "Starting at --start," : "Starting now,", first,
                       w->first_mean_g_co2e_per_kwh,
                       w->saving_frac != EST_UNSET ? w->saving_frac * 100.0 : 0.0);
    else
        cli_buf_printf(&out, "No data for starting at %s: no saving can be given.\n", first);
    if (x->has_job && x->job.first_co2e_g != EST_UNSET)
        cli_buf_printf(&out, "The job (%.4g kWh): %.4g g CO2e at the best start against "
                             "%.4g g, %.4g g saved.\n",
                       x->job.energy_kwh, x->job.best_co2e_g, x->job.first_co2e_g,
                       x->job.saving_g);
    if (x->has_job && x->job.water_l != EST_UNSET)
        cli_buf_printf(&out, "Its water: %.4g l at any start (on-site WUE and the zone's "
                             "annual mix: a later start does not change it).\n",
                       x->job.water_l);
    if (!back)
        cli_buf_printf(&out, "Slurm: sbatch --begin=%s ...   (local time, %s; or "
                             "--begin=now+%.0f from %s)\n",
                       begin, tz, wait_s, first);
    return cli_buf_flush(&out, stdout);
}

/* The job's figures at the best and the first start (the library runs the
   estimate at each start's mean intensity). */
static int job_figures(const when_opts *o, when_result *x)
{
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_embodied_factors *emb = NULL;
    est_estimate_options eo = o->job.eo;
    est_error e;
    int rc = 0;
    if (o->job.eo.cpu || o->job.eo.gpu)
        rc = cli_open_hwdb(&db);
    if (!rc)
        rc = cli_open_zones(&zones);
    if (!rc && cli_open_embodied(&emb, !o->job.eo.include_embodied) != 0 &&
        o->job.eo.include_embodied)
        rc = CLI_EX_NOINPUT;
    eo.zone = o->zone;
    eo.embodied = emb;
    if (!rc && (rc = est_greenest_job_figures(&x->job, x->w, o->po.duration_s, &eo, db, zones,
                                              &e)) != 0) {
        cli_msg("%s", e.message);
        cli_suggest(e.input == EST_INPUT_CPU_MODEL   ? "closest known CPUs"
                    : e.input == EST_INPUT_GPU_MODEL ? "closest known GPUs"
                                                     : "closest known zones",
                    CLI_LOOKUP_INPUT, &e, &(cli_tables){db, zones, eo.regions});
        rc = rc == EST_EINVAL && e.input != EST_INPUT_NONE ? CLI_EX_USAGE : cli_exit_for(rc);
    }
    x->has_job = rc == 0;
    est_hwdb_free(db);
    est_zones_free(zones);
    est_embodied_factors_free(emb);
    return rc;
}

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The library's forecast policy (ecoest/carbon.h), with the environment's
   token and URL: fetches Electricity Maps' forecast into *f when it says
   so. 0 (p->step USE or FALL_BACK), or an exit status (p->step FAIL). */
static int provider_forecast(const when_opts *o, const est_zone *z, est_carbon_forecast *f,
                             est_carbon_forecast_policy *p, when_result *x)
{
    est_carbon_forecast_policy_options po = EST_CARBON_FORECAST_POLICY_OPTIONS_INIT;
    est_carbon_options co = EST_CARBON_OPTIONS_INIT;
    est_error e;
    int rc;
    po.mode = o->forecast;
    if (o->co.provider && est_carbon_provider_parse(&po.provider, o->co.provider) != EST_OK)
        po.provider = EST_CARBON_PROVIDER_NONE;
    po.zone = est_zones_provider_code(z); /* JP-TK's forecast, not JP's */
    po.offline = o->co.offline;
    po.has_token = env_or_null("ELECTRICITYMAPS_TOKEN") != NULL;
    po.token_origin = "$ELECTRICITYMAPS_TOKEN";
    if ((rc = est_carbon_forecast_decide(p, &po, &e)) != 0) {
        cli_msg("%s", e.message);
        return CLI_EX_SOFTWARE;
    }
    if (p->step == EST_CARBON_FORECAST_ASK) {
        co.provider = EST_CARBON_PROVIDER_ELECTRICITYMAPS;
        co.zone = est_zones_provider_code(z);
        co.base_url = env_or_null("ECOEST_ELECTRICITYMAPS_URL");
        co.token = env_or_null("ELECTRICITYMAPS_TOKEN");
        co.timeout_s = o->co.timeout_s;
        rc = cli_live_forecast(f, &co, &e);
        x->n_forecast = f->n_points;
        x->updated_unix_s = f->updated_unix_s;
        est_carbon_forecast_fetched(p, rc, &e, NULL);
    }
    if (p->step != EST_CARBON_FORECAST_FAIL)
        return 0;
    if (p->provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS) {
        cli_msg("--forecast electricitymaps: %s (give --provider electricitymaps)", p->note);
        return CLI_EX_USAGE;
    }
    cli_msg("%s", p->note);
    return p->code == EST_EAUTH || p->code == EST_ENET || p->code == EST_ETIMEOUT ||
                   p->code == EST_EHTTP || p->code == EST_ENODATA
               ? CLI_EX_UNAVAILABLE
               : cli_exit_for(p->code);
}

/* The plan's windows; --start and --end read, the look-back range checked. */
static int plan_windows(when_opts *o, est_greenest_plan *plan)
{
    est_error e;
    int rc;
    if (o->start) {
        if (time_arg("--start", o->start, &o->po.look_back_start_unix_s) ||
            time_arg("--end", o->end, &o->po.look_back_end_unix_s))
            return CLI_EX_USAGE;
    }
    rc = est_greenest_plan_init(plan, &o->po, &e);
    if (rc == EST_ERANGE) {
        cli_msg("the range --start..--end is shorter than --duration");
        return CLI_EX_USAGE;
    }
    if (rc) {
        cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return 0;
}

int cli_when_main(int argc, char **argv)
{
    when_opts o;
    est_zones *zones = NULL;
    est_zone z;
    est_error e;
    cli_carbon c;
    est_carbon_series series;
    est_carbon_forecast f;
    est_carbon_forecast_policy fp;
    est_greenest_plan plan;
    est_greenest_choice w;
    when_result x;
    const est_intensity_point *fc = NULL;
    int rc;
    memset(&o, 0, sizeof o);
    memset(&x, 0, sizeof x);
    memset(&c, 0, sizeof c);
    memset(&series, 0, sizeof series);
    memset(&f, 0, sizeof f);
    cli_job_init(&o.job);
    o.po = (est_greenest_plan_options)EST_GREENEST_PLAN_OPTIONS_INIT;
    rc = parse(&o, argc, argv);
    if (rc > 0) {
        printf(when_usage, cli_job_usage);
        return fflush(stdout) ? CLI_EX_IOERR : 0;
    }
    if (rc < 0)
        return CLI_EX_USAGE;
    x.updated_unix_s = EST_UNSET;
    if (!o.po.now_unix_s)
        o.po.now_unix_s = (double)time(NULL);
    if ((rc = cli_open_zones(&zones)) != 0)
        return rc;
    rc = est_zones_lookup(&z, zones, o.zone, &e);
    if (rc) {
        cli_msg("%s", e.message);
        cli_suggest(NULL, CLI_LOOKUP_ZONE, &e, &(cli_tables){NULL, zones, NULL});
    }
    est_zones_free(zones);
    if (rc)
        return cli_exit_for(rc);
    if ((rc = plan_windows(&o, &plan)) != 0)
        return rc;
    if (!o.start) {
        if ((rc = provider_forecast(&o, &z, &f, &fp, &x)) != 0)
            goto done;
        o.po.forecast_label = fp.label;
        o.po.forecast_note = fp.note;
        o.po.provider_only = o.forecast == EST_CARBON_FORECAST_PROVIDER;
        if (fp.step == EST_CARBON_FORECAST_USE) {
            fc = f.points;
            rc = est_greenest_plan_choose(&w, &plan, &o.po, fc, f.n_points, NULL, 0, &e);
        }
    }
    if (!fc || plan.needs_history) {
        if ((rc = fetch(&o, &z, plan.history_start_unix_s, plan.history_end_unix_s, &c,
                        &series)) != 0)
            goto done;
        rc = est_greenest_plan_choose(&w, &plan, &o.po, fc, f.n_points, series.points,
                                      series.n_points, &e);
    }
    if (rc) {
        cli_msg("%s", e.message);
        rc = rc == EST_ENODATA ? CLI_EX_UNAVAILABLE : cli_exit_for(rc);
        goto done;
    }
    x.plan = &plan;
    x.w = &w;
    x.n_hist = series.n_points;
    x.source = c.source[0] ? c.source : "cache";
    if (o.job.hardware_given && (rc = job_figures(&o, &x)) != 0)
        goto done;
    rc = report(&o, &z, &x);
done:
    cli_live_forecast_clear(&f);
    cli_live_clear(&series);
    return rc;
}
