/* ecoest carbon: zone listing and intensity series; the live carbon step
 * shared with the estimate. docs/carbon.md describes the behaviour. */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "carbon_live.h"
#include "html_carbon.h"
#include "live.h"
#include "paths.h"
#include "report.h"

const char cli_carbon_usage[] =
    "  --live                   fetch the grid's intensity for the run's own window\n"
    "                           (needs --zone; RTE for FR, Electricity Maps otherwise)\n"
    "  --provider rte|electricitymaps  live source (default: rte for FR)\n"
    "  --offline                never use the network: the cache, else the zone table\n"
    "  --strict                 fail (exit 69) instead of falling back to the table\n"
    "                           or leaving out a day that could not be fetched\n"
    "  --factors SET            RTE emission factors: ipcc2014 (default) or direct\n"
    "  --timeout S              seconds one estimate may spend on the source, all\n"
    "                           retries included (default 30)\n"
    "  --start TIME, --end TIME the run's window, ISO 8601 with a zone or Z, or Unix\n"
    "                           seconds; --start plus a runtime works; end default now\n";

/* ---- options ---- */

int cli_carbon_set_option(cli_carbon_opts *co, int which, const char *arg)
{
    switch (which) {
    case CLI_CO_LIVE: co->live = 1; return 0;
    case CLI_CO_OFFLINE: co->offline = 1; return 0;
    case CLI_CO_STRICT: co->strict = 1; return 0;
    case CLI_CO_PROVIDER: {
        est_carbon_provider p;
        if (est_carbon_provider_parse(&p, arg)) {
            cli_msg("--provider: expected rte or electricitymaps, got \"%s\"", arg);
            return -1;
        }
        co->provider = arg;
        return 0;
    }
    case CLI_CO_FACTORS:
        if (!*arg) {
            cli_msg("--factors: expected a set name such as ipcc2014 or direct");
            return -1;
        }
        co->factors = arg;
        return 0;
    case CLI_CO_TIMEOUT: {
        double v;
        if (est_parse_double_str(&v, arg) || !(v > 0.0) || v > 3600.0) {
            cli_msg("--timeout: expected a number of seconds, more than 0 and at most 3600, "
                    "got \"%s\"", arg);
            return -1;
        }
        co->timeout_s = v;
        return 0;
    }
    case CLI_CO_START: co->start = arg; return 0;
    case CLI_CO_END: co->end = arg; return 0;
    default: return -1;
    }
}

int cli_carbon_check(const cli_carbon_opts *co, int zone_given)
{
    if ((co->live || co->offline) && !zone_given) {
        cli_msg("%s needs --zone (e.g. --zone FR)", co->live ? "--live" : "--offline");
        return -1;
    }
    if ((co->provider || co->strict || co->factors || co->timeout_s > 0.0) && !co->live &&
        !co->offline) {
        cli_msg("%s only applies with --live or --offline",
                co->provider ? "--provider" : co->strict ? "--strict"
                : co->factors ? "--factors" : "--timeout");
        return -1;
    }
    return 0;
}

/* The library's rule for a live window (est_carbon_window_check), asked
 * before any fetch: too many days is a usage error. Other refusals are the
 * window call's to report. */
static int window_too_long(double s, double e)
{
    est_error err;
    if (est_carbon_window_check(s, e, &err) != EST_ERANGE)
        return 0;
    cli_msg("%s: split the run or use the zone's annual average (no --live)", err.message);
    return 1;
}

int cli_carbon_window(cli_carbon_opts *co, int have_runtime, double *runtime_s,
                      const est_samples_read_options *tz)
{
    double s = EST_UNSET, e = EST_UNSET, r = have_runtime ? *runtime_s : EST_UNSET;
    int has_window;
    est_error err;
    if (!co->start && !co->end && !co->live && !co->offline) {
        co->has_window = 0; /* the window only matters for live data */
        return 0;
    }
    if (co->start && cli_time_arg("--start", co->start, tz, &s))
        return -1;
    if (co->end && cli_time_arg("--end", co->end, tz, &e))
        return -1;
    if (!co->start && !co->end && !have_runtime) {
        co->has_window = 0;
        return 0;
    }
    /* the rules are the library's (est_estimate_window_resolve) */
    if (est_estimate_window_resolve(&s, &e, &r, (double)time(NULL), &has_window, &err)) {
        cli_msg("--start/--end: %s", err.message);
        return -1;
    }
    if ((co->live || co->offline) && window_too_long(s, e))
        return -1;
    co->has_window = 1;
    co->start_unix_s = s;
    co->end_unix_s = e;
    *runtime_s = r;
    return 0;
}

/* ---- the carbon step ---- */

static void fmt_time(double t, char *buf, size_t size)
{
    if (est_format_time(buf, size, t) != EST_OK)
        snprintf(buf, size, "?");
}

/* c from a window's summary, the figures a report shows (the zone's table
   row too); has_window: c shows the summary's window. */
static void take_figures(cli_carbon *c, const est_zone *z, const est_carbon_summary *s,
                         int has_window)
{
    c->present = 1;
    snprintf(c->source, sizeof c->source, "%s", s->source);
    snprintf(c->zone, sizeof c->zone, "%s", z->code);
    snprintf(c->provider_zone, sizeof c->provider_zone, "%s", est_zones_provider_code(z));
    c->mean_g_co2e_per_kwh = s->mean_g_co2e_per_kwh;
    c->coverage_frac = s->coverage_frac;
    c->default_g_co2e_per_kwh = z->ci_g_co2e_per_kwh;
    c->default_year = z->year;
    snprintf(c->default_scope, sizeof c->default_scope, "%s", z->scope);
    snprintf(c->default_source, sizeof c->default_source, "%s", z->source);
    if (has_window) {
        c->has_window = 1;
        c->start_unix_s = s->start_unix_s;
        c->end_unix_s = s->end_unix_s;
        fmt_time(s->start_unix_s, c->start, sizeof c->start);
        fmt_time(s->end_unix_s, c->end, sizeof c->end);
    }
}

void cli_carbon_default(cli_carbon *c, const est_zone *z, const cli_carbon_opts *co)
{
    int win = co && co->has_window;
    est_carbon_window *w = NULL;
    est_error e;
    memset(c, 0, sizeof *c);
    /* the library's zone-average window (no network) */
    if (est_carbon_window_default(&w, z, win ? co->start_unix_s : EST_UNSET,
                                  win ? co->end_unix_s : EST_UNSET, &e) != EST_OK) {
        cli_msg("%s", e.message);
        return;
    }
    take_figures(c, z, est_carbon_window_summary(w), win);
    est_carbon_window_free(w);
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* $XDG_CACHE_HOME/ecoest, else ~/.cache/ecoest (est_fs_xdg_dir: one rule
   for config and cache, a relative $XDG_CACHE_HOME is ignored, with a
   warning); NULL without either. */
static const char *cache_dir(char *buf, size_t size)
{
    const char *x = getenv("XDG_CACHE_HOME");
    unsigned notes = 0;
    if (est_fs_xdg_dir(buf, size, EST_FS_XDG_CACHE, x, getenv("HOME"), NULL, &notes, NULL))
        return NULL;
    if (notes & EST_FS_XDG_RELATIVE_IGNORED)
        cli_warn("XDG_CACHE_HOME=\"%s\" is not an absolute path: ignored (XDG Base "
                 "Directory spec), using $HOME/.cache", x);
    return buf;
}

/* The live source of the carbon library (ecoest/carbon.h), opened at the
 * first window with what the environment says: tokens, mirrors, the cache
 * folder, the factor files (carbon/factors.csv and the zone overlays'). */
struct cli_carbon_ctx {
    cli_carbon_opts co;
    est_carbon_source *src;
    est_water_factors *water;
    char cdir[4096];
    char *paths_store;
    const char *paths[CLI_OVERLAYS_MAX + 1];
    size_t n_paths;           /* of paths: 0 until the RTE source opens */
    int exit_status;
    est_zone zone;            /* the zone of the last window */
};

cli_carbon_ctx *cli_carbon_ctx_new(const cli_carbon_opts *co)
{
    cli_carbon_ctx *x = calloc(1, sizeof *x);
    if (x)
        x->co = *co;
    else
        cli_msg("out of memory");
    return x;
}

void cli_carbon_ctx_free(cli_carbon_ctx *x)
{
    if (!x)
        return;
    cli_live_source_free(x->src);
    est_water_factors_free(x->water);
    free(x->paths_store);
    free(x);
}

/* The factor files: carbon/factors.csv, then the overlays' factors.csv, and
   carbon/water-factors.csv. Returns 0 or an exit status (message printed). */
static int factor_files(cli_carbon_ctx *x, est_carbon_source_options *so)
{
    const char *data = cli_data_dir();
    char wpath[PATH_MAX];
    cli_overlays ov;
    est_error e;
    size_t n = 0, i;
    int rc;
    if (!data) {
        cli_msg("cannot find the data folder (carbon/factors.csv); set ECOEST_DATA_DIR");
        return CLI_EX_NOINPUT;
    }
    if ((rc = cli_overlay_dirs(&ov, "ECOEST_ZONES_PATH", "carbon")) != 0)
        return rc;
    x->paths_store = malloc((ov.n + 1) * (size_t)PATH_MAX);
    if (!x->paths_store) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    snprintf(x->paths_store, PATH_MAX, "%s/carbon/factors.csv", data);
    x->paths[n++] = x->paths_store;
    for (i = 0; i < ov.n; i++) {
        char *p = x->paths_store + (size_t)PATH_MAX * n;
        if (snprintf(p, PATH_MAX, "%s/factors.csv", ov.dirs[i]) >= PATH_MAX)
            continue;
        x->paths[n++] = p;
    }
    so->factor_paths = x->paths;
    so->n_factor_paths = n;
    x->n_paths = n;
    /* the live water of the RTE mix: the per-source factors the zone
       table's water column was derived from (docs/method.md, Water) */
    snprintf(wpath, sizeof wpath, "%s/carbon/water-factors.csv", data);
    if (est_water_factors_open(&x->water, wpath, &e) != 0)
        cli_warn("%s: no live water intensity (the zone's is used)", e.message);
    so->water_factors = x->water;
    return 0;
}

static int ctx_open(cli_carbon_ctx *x, const est_zone *z)
{
    est_carbon_source_options so = EST_CARBON_SOURCE_OPTIONS_INIT;
    est_error e;
    int rc;
    if (x->src)
        return 0;
    so.provider = est_carbon_provider_for_zone(est_zones_provider_code(z));
    if (x->co.provider)
        est_carbon_provider_parse(&so.provider, x->co.provider);
    if (so.provider == EST_CARBON_PROVIDER_RTE) {
        if ((rc = factor_files(x, &so)) != 0)
            return rc;
    } else if (x->co.factors) {
        cli_warn("--factors applies to RTE only: Electricity Maps computes its own intensity");
    }
    so.factor_set = x->co.factors;
    so.rte_url = env_or("ECOEST_ODRE_URL", NULL);
    so.rte_token = env_or("RESEAUX_ENERGIES_TOKEN", NULL);
    so.em_url = env_or("ECOEST_ELECTRICITYMAPS_URL", NULL);
    so.em_token = env_or("ELECTRICITYMAPS_TOKEN", NULL);
    so.cache_dir = cache_dir(x->cdir, sizeof x->cdir);
    so.offline = x->co.offline;
    so.strict = x->co.strict;
    so.timeout_s = x->co.timeout_s;
    if ((rc = cli_live_source_open(&x->src, &so, &e)) != 0) {
        cli_msg("%s", e.message);
        return cli_exit_for(rc);
    }
    return 0;
}

/* After the live source refused: the factor sets the files define, when it
   refused the set asked for (est_carbon_factors_load_files' EST_ENOTFOUND,
   whose value is that set). */
static void factor_set_suggestions(const cli_carbon_ctx *x, int rc, const est_error *e)
{
    const char *set = x->co.factors ? x->co.factors : EST_CARBON_FACTORS_DEFAULT_SET;
    est_suggestions s;
    if (rc != EST_ENOTFOUND || !x->n_paths || !e->value[0] ||
        strncmp(e->value, set, sizeof e->value - 1) != 0)
        return;
    if (est_carbon_factors_suggest(&s, x->paths, x->n_paths) == EST_OK)
        cli_suggestions("known factor sets", &s);
}

static int fail(est_error *err, int code, const char *msg)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = code;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return code;
}

int cli_carbon_intensity(void *user, const est_zone *z, double start_unix_s,
                         double end_unix_s, est_intensity_answer *a, est_error *err)
{
    cli_carbon_ctx *x = user;
    const est_carbon_window *before;
    int rc;
    x->zone = *z;
    if (window_too_long(start_unix_s, end_unix_s)) { /* e.g. a long sample log's */
        x->exit_status = CLI_EX_USAGE;
        return fail(err, EST_ERANGE, "the window is too long");
    }
    if ((rc = ctx_open(x, z)) != 0) {
        x->exit_status = rc;
        return fail(err, EST_EINVAL, "the live source could not be opened");
    }
    before = cli_live_source_last(x->src);
    rc = cli_live_intensity(x->src, z, start_unix_s, end_unix_s, a, err);
    if (rc && cli_live_source_last(x->src) == before) {
        /* refused before any window (a factor set, RTE outside FR) */
        cli_msg("%s", err->message);
        factor_set_suggestions(x, rc, err);
        x->exit_status = cli_exit_for(rc);
    }
    return rc;
}

static void fmt_day(long day, char *buf, size_t size)
{
    int y;
    unsigned m, d;
    est_civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d-%02u-%02u", y, m, d);
}

/* Says what the library found (its notes, the fallback, --strict: the
   summary's fallback_kind and strict_code) and fills c from the window's
   summary. */
static int take_window(const est_zone *z, const est_carbon_summary *s, cli_carbon *c)
{
    const char *hint = s->provider == EST_CARBON_PROVIDER_RTE ? "RESEAUX_ENERGIES_TOKEN"
                                                       : "ELECTRICITYMAPS_TOKEN";
    size_t i;
    c->n_requests = s->n_requests;
    snprintf(c->provider, sizeof c->provider, "%s", est_carbon_provider_name(s->provider));
    snprintf(c->factors, sizeof c->factors, "%s", s->factors);
    snprintf(c->factors_scope, sizeof c->factors_scope, "%s", s->factors_scope);
    for (i = 0; i < s->n_notes; i++) {
        if (s->notes[i].kind == EST_CARBON_NOTE_INFO)
            cli_msg("%s", s->notes[i].text);
        else
            cli_warn("%s", s->notes[i].text);
    }
    if (s->status == EST_CARBON_FALLBACK) {
        int auth = s->fallback_code == EST_EAUTH;
        snprintf(c->fallback_reason, sizeof c->fallback_reason, "%s", s->fallback_reason);
        if (s->strict_code) {
            cli_msg("%s", s->strict_reason);
            if (auth)
                cli_msg("check $%s (the token itself is never printed)", hint);
            cli_msg("--strict: no fallback to the zone's annual average");
            return CLI_EX_UNAVAILABLE;
        }
        if (s->fallback_kind == EST_CARBON_NOTE_INFO) /* offline, nothing cached */
            cli_msg("offline: no cached intensity for %s in the window; using the zone's "
                    "annual average, %g gCO2e/kWh (%u)", est_zones_provider_code(z),
                    z->ci_g_co2e_per_kwh, z->year);
        else
            cli_warn("live carbon intensity unavailable: %s%s%s%s; using zone %s's annual "
                     "average, %g gCO2e/kWh (%u)", s->fallback_reason, auth ? " (check $" : "",
                     auth ? hint : "", auth ? ")" : "", z->code, z->ci_g_co2e_per_kwh,
                     z->year);
        if (s->fallback_scope_note[0])
            cli_warn("%s", s->fallback_scope_note);
        return 0;
    }
    for (i = 0; i < s->n_failed_days && c->n_failed_days < CLI_CARBON_DAYS_MAX; i++)
        fmt_day(s->failed_days[i], c->failed_days[c->n_failed_days++],
                sizeof c->failed_days[0]);
    snprintf(c->failed_reason, sizeof c->failed_reason, "%s", s->failed_reason);
    if (s->strict_code) { /* --strict and a day that could not be fetched */
        cli_msg("%s", s->strict_reason);
        cli_msg("--strict: every day of the window must be fetched");
        return CLI_EX_UNAVAILABLE;
    }
    take_figures(c, z, s, c->has_window);
    c->n_points_in_window = s->n_points;
    c->has_rte_taux = s->provider_mean_g_co2e_per_kwh != EST_UNSET;
    c->rte_taux_mean_g_co2e_per_kwh = s->provider_mean_g_co2e_per_kwh;
    c->has_water = s->water_mean_l_per_kwh != EST_UNSET;
    c->water_mean_l_per_kwh = s->water_mean_l_per_kwh;
    for (i = 0; i < s->n_days && i < CLI_CARBON_DAYS_MAX; i++) {
        const est_intensity_day *d = &s->days[i];
        cli_carbon_daily *o = &c->daily[i];
        fmt_day(d->days_since_epoch, o->date, sizeof o->date);
        o->mean_g_co2e_per_kwh = d->stats.mean_g_co2e_per_kwh;
        o->points = d->stats.n_points;
        o->hours = d->stats.window_s / 3600.0;
        o->coverage_frac = d->stats.coverage_frac;
    }
    c->n_daily = i;
    return 0;
}

int cli_carbon_after(cli_carbon_ctx *x, cli_carbon *c)
{
    const est_carbon_window *w = x->src ? cli_live_source_last(x->src) : NULL;
    cli_carbon_opts co = x->co;
    const est_carbon_summary *s;
    if (x->exit_status)
        return x->exit_status;
    if (!w)
        return 0;
    s = cli_live_summary(w);
    co.has_window = 1;
    co.start_unix_s = s->start_unix_s;
    co.end_unix_s = s->end_unix_s;
    cli_carbon_default(c, &x->zone, &co);
    return take_window(&x->zone, s, c);
}

int cli_carbon_ctx_status(const cli_carbon_ctx *x)
{
    return x ? x->exit_status : 0;
}

const est_carbon_summary *cli_carbon_ctx_last(const cli_carbon_ctx *x)
{
    const est_carbon_window *w = x && x->src ? cli_live_source_last(x->src) : NULL;
    return w ? cli_live_summary(w) : NULL;
}

const est_carbon_series *cli_carbon_ctx_series(const cli_carbon_ctx *x)
{
    const est_carbon_window *w = x && x->src ? cli_live_source_last(x->src) : NULL;
    return w ? cli_live_series(w) : NULL;
}

int cli_carbon_live(const cli_carbon_opts *co, const est_zone *z, cli_carbon *c,
                    est_carbon_series *series)
{
    cli_carbon_ctx *x;
    est_carbon_window *w = NULL;
    est_error e;
    int rc;
    if (!co->live && !co->offline)
        return 0;
    if (!co->has_window) {
        cli_msg("%s needs the run's window: --start (with --end or a runtime), or a runtime "
                "ending now", co->live ? "--live" : "--offline");
        return CLI_EX_USAGE;
    }
    if (window_too_long(co->start_unix_s, co->end_unix_s))
        return CLI_EX_USAGE;
    if (!(x = cli_carbon_ctx_new(co)))
        return CLI_EX_SOFTWARE;
    if ((rc = ctx_open(x, z)) == 0) {
        memset(&e, 0, sizeof e);
        rc = cli_live_window(&w, x->src, z, co->start_unix_s, co->end_unix_s, &e);
        if (!w) {
            cli_msg("%s", e.message);
            factor_set_suggestions(x, rc, &e);
            rc = cli_exit_for(rc);
        } else {
            rc = take_window(z, cli_live_summary(w), c);
            if (!rc && series && cli_live_summary(w)->status == EST_CARBON_LIVE)
                cli_live_take_series(series, w); /* freed by cli_live_clear */
        }
    }
    cli_live_window_free(w);
    cli_carbon_ctx_free(x);
    return rc;
}

/* ---- JSON ---- */

static void add_num_or_null(cJSON *o, const char *key, int has, double v)
{
    if (has)
        cli_json_add_num(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

/* A point whose interval overlaps the window. */
static int in_window(const cli_carbon *c, const est_intensity_point *p)
{
    return p->t_unix_s < c->end_unix_s && p->t_unix_s + p->dur_s > c->start_unix_s;
}

/* The point of pts at time t (both series sorted; *k walks forward). */
static const est_intensity_point *match_in(const est_intensity_point *pts, size_t n, double t, size_t *k)
{
    while (*k < n && pts[*k].t_unix_s < t)
        (*k)++;
    if (*k < n && pts[*k].t_unix_s == t)
        return &pts[*k];
    return NULL;
}

/* The provider point at time t. */
static const est_intensity_point *match(const est_carbon_series *s, double t, size_t *k)
{
    return match_in(s->provider_points, s->n_provider_points, t, k);
}

cJSON *cli_carbon_json(const cli_carbon *c, const est_carbon_series *s)
{
    cJSON *o = cJSON_CreateObject(), *arr, *d;
    size_t i;
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "source", c->source);
    cJSON_AddStringToObject(o, "zone", c->zone);
    if (c->provider[0])
        cJSON_AddStringToObject(o, "provider", c->provider);
    else
        cJSON_AddNullToObject(o, "provider");
    if (c->provider[0]) /* JP-TK for --zone JP-TK: the series' zone */
        cJSON_AddStringToObject(o, "provider_zone", c->provider_zone);
    else
        cJSON_AddNullToObject(o, "provider_zone");
    if (c->has_window) {
        cJSON_AddStringToObject(o, "start", c->start);
        cJSON_AddStringToObject(o, "end", c->end);
    } else {
        cJSON_AddNullToObject(o, "start");
        cJSON_AddNullToObject(o, "end");
    }
    cli_json_add_num(o, "mean_g_co2e_per_kwh", c->mean_g_co2e_per_kwh);
    add_num_or_null(o, "coverage_frac", c->coverage_frac >= 0.0, c->coverage_frac);
    add_num_or_null(o, "rte_taux_co2_mean_g_co2e_per_kwh", c->has_rte_taux,
                    c->rte_taux_mean_g_co2e_per_kwh);
    add_num_or_null(o, "water_mean_l_per_kwh", c->has_water, c->water_mean_l_per_kwh);
    if (c->factors[0]) {
        cJSON_AddStringToObject(o, "factors", c->factors);
        cJSON_AddStringToObject(o, "factors_scope", c->factors_scope);
    } else {
        cJSON_AddNullToObject(o, "factors");
        cJSON_AddNullToObject(o, "factors_scope");
    }
    arr = cJSON_AddArrayToObject(o, "daily");
    for (i = 0; i < c->n_daily; i++) {
        const cli_carbon_daily *x = &c->daily[i];
        d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "date", x->date);
        add_num_or_null(d, "mean_g_co2e_per_kwh", x->points > 0, x->mean_g_co2e_per_kwh);
        cli_json_add_num(d, "points", (double)x->points);
        cli_json_add_num(d, "hours", x->hours);
        cli_json_add_num(d, "coverage_frac", x->coverage_frac);
        cJSON_AddItemToArray(arr, d);
    }
    cli_json_add_num(o, "points", (double)c->n_points_in_window);
    cli_json_add_num(o, "requests", c->n_requests);
    if (c->has_energy_weighted) {
        cli_json_add_num(o, "energy_weighted_g_co2e_per_kwh", c->energy_weighted_g_co2e_per_kwh);
        cli_json_add_num(o, "energy_weighted_coverage_frac",
                                c->energy_weighted_coverage_frac);
    } else {
        cJSON_AddNullToObject(o, "energy_weighted_g_co2e_per_kwh");
        cJSON_AddNullToObject(o, "energy_weighted_coverage_frac");
    }
    if (c->fallback_reason[0])
        cJSON_AddStringToObject(o, "fallback_reason", c->fallback_reason);
    else
        cJSON_AddNullToObject(o, "fallback_reason");
    arr = cJSON_AddArrayToObject(o, "failed_days");
    for (i = 0; i < c->n_failed_days; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(c->failed_days[i]));
    if (c->n_failed_days)
        cJSON_AddStringToObject(o, "failed_reason", c->failed_reason);
    else
        cJSON_AddNullToObject(o, "failed_reason");
    d = cJSON_AddObjectToObject(o, "default");
    cli_json_add_num(d, "ci_g_co2e_per_kwh", c->default_g_co2e_per_kwh);
    cli_json_add_num(d, "year", c->default_year);
    cJSON_AddStringToObject(d, "scope", c->default_scope);
    cJSON_AddStringToObject(d, "source", c->default_source);
    if (s && c->has_window) {
        size_t k = 0, kw = 0;
        arr = cJSON_AddArrayToObject(o, "series");
        for (i = 0; i < s->n_points; i++) {
            const est_intensity_point *p = &s->points[i];
            char t[32];
            if (!in_window(c, p))
                continue;
            d = cJSON_CreateObject();
            fmt_time(p->t_unix_s, t, sizeof t);
            cJSON_AddStringToObject(d, "time", t);
            cli_json_add_num(d, "t_unix_s", p->t_unix_s);
            cli_json_add_num(d, "g_co2e_per_kwh", p->g_co2e_per_kwh);
            if (s->n_provider_points) {
                const est_intensity_point *tx = match(s, p->t_unix_s, &k);
                add_num_or_null(d, "rte_taux_co2_g_co2e_per_kwh", tx != NULL,
                                tx ? tx->g_co2e_per_kwh : 0.0);
            }
            if (s->n_water_points) {
                const est_intensity_point *wp = match_in(s->water_points, s->n_water_points,
                                                  p->t_unix_s, &kw);
                add_num_or_null(d, "water_l_per_kwh", wp != NULL, wp ? wp->g_co2e_per_kwh : 0.0);
            }
            cJSON_AddItemToArray(arr, d);
        }
    }
    return o;
}

/* ---- ecoest carbon ---- */

static const char carbon_usage[] =
    "Usage: ecoest carbon --zone CODE --start TIME [--end TIME | --runtime T] [OPTIONS]\n"
    "       ecoest carbon zones [QUERY] [--format text|json|csv]\n"
    "       ecoest carbon regions [QUERY] [--format text|json|csv]\n"
    "\n"
    "Prints the grid's carbon intensity over a window: the series, the daily means,\n"
    "the window's mean and the share of the window the data cover. The live source\n"
    "is RTE eco2mix for FR and Electricity Maps otherwise; without data (or with\n"
    "--offline and nothing cached) the zone's annual average is used, with a warning.\n"
    "`carbon zones` lists the zone table: QUERY matches a code or alias first (UK,\n"
    "FRA, US-CAL-CISO), then codes and words of names that start with it.\n"
    "`carbon regions` lists the cloud regions (PROVIDER:REGION, their zone, PUE, WUE):\n"
    "QUERY matches the start of PROVIDER:REGION, of a part of the region or zone,\n"
    "or of a word of the location; one that names a zone (fr, UK, FRA) lists that\n"
    "zone's regions and its sub-zones' (US: the US-EGRID-* regions).\n"
    "\n"
    "Options:\n"
    "  --zone CODE              grid zone (see `ecoest carbon zones`)\n"
    "  --runtime T              the window's length when --end is not given\n"
    "%s"
    "  --format text|json|csv|html  output format (default text); html: one\n"
    "                           self-contained page with the intensity chart\n"
    "  --output FILE            write to FILE (atomically) instead of stdout\n"
    "  -h, --help               print this help and exit\n"
    "\n"
    "Environment: RESEAUX_ENERGIES_TOKEN, ELECTRICITYMAPS_TOKEN (tokens, never\n"
    "printed), ECOEST_ODRE_URL, ECOEST_ELECTRICITYMAPS_URL (mirrors), XDG_CACHE_HOME.\n"
    "Exit status: 0 ok, 64 usage (also a window of more than 366 days), 65 unknown\n"
    "zone or bad data, 66 missing data files, 69 with --strict: live source\n"
    "unavailable or a day not fetched, 70 internal error.\n";

/* The arguments of a listing (carbon zones, carbon regions): --format and
   one QUERY at most. Returns 0, -1 after --help (printed: exit 0), or an
   exit status (message printed). */
static int listing_args(int argc, char **argv, cli_format *fmt, const char **query)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        switch (c) {
        case 'f': if (cli_parse_format(optarg, fmt)) return CLI_EX_USAGE; break;
        case 'h':
            printf(carbon_usage, cli_carbon_usage);
            return fflush(stdout) ? CLI_EX_IOERR : -1;
        case ':': cli_msg("%s: missing value", argv[optind - 1]); return CLI_EX_USAGE;
        default: cli_msg("unknown option '%s' (see ecoest carbon --help)", argv[optind - 1]);
            return CLI_EX_USAGE;
        }
    }
    if (optind < argc)
        *query = argv[optind++];
    if (optind < argc) {
        cli_msg("unexpected argument \"%s\" (one QUERY at most)", argv[optind]);
        return CLI_EX_USAGE;
    }
    return 0;
}

static int zones_main(int argc, char **argv)
{
    cli_format fmt = CLI_FORMAT_TEXT;
    const char *query = NULL;
    est_zones *zones = NULL;
    cli_buf out = {0};
    cJSON *arr = NULL;
    size_t i, n = 0, *idx = NULL;
    int rc;
    if ((rc = listing_args(argc, argv, &fmt, &query)) != 0)
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_zones(&zones)) != 0)
        return rc;
    if (fmt == CLI_FORMAT_JSON)
        arr = cJSON_CreateArray();
    else if (fmt == CLI_FORMAT_CSV)
        cli_buf_puts(&out, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source,"
                           "origin\n");
    else
        cli_buf_printf(&out, "%-16s %-32s %10s %5s %-9s %11s %s\n", "ZONE", "NAME", "gCO2e/kWh",
                       "YEAR", "SCOPE", "water l/kWh", "ORIGIN");
    {
        /* the library's order: the code or alias asked for first, then codes
           and name words that start with the query */
        size_t cap = est_zones_count(zones) + 1;
        idx = calloc(cap, sizeof *idx);
        if (!idx) {
            est_zones_free(zones);
            cJSON_Delete(arr);
            cli_msg("out of memory");
            return CLI_EX_SOFTWARE;
        }
        n = est_zones_search(idx, cap, zones, query);
        if (n > cap)
            n = cap;
    }
    for (i = 0; i < n; i++) {
        const est_zone *z = est_zones_at(zones, idx[i]);
        char num[40];
        if (fmt == CLI_FORMAT_JSON) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "zone", z->code);
            cJSON_AddStringToObject(o, "name", z->name);
            cli_json_add_num(o, "ci_g_co2e_per_kwh", z->ci_g_co2e_per_kwh);
            cli_json_add_num(o, "year", z->year);
            cJSON_AddStringToObject(o, "scope", z->scope);
            add_num_or_null(o, "water_l_per_kwh", z->water_l_per_kwh >= 0.0, z->water_l_per_kwh);
            cJSON_AddStringToObject(o, "source", z->source);
            cJSON_AddStringToObject(o, "origin", z->origin);
            cJSON_AddItemToArray(arr, o);
        } else if (fmt == CLI_FORMAT_CSV) {
            cli_buf_csv(&out, z->code, ",");
            cli_buf_csv(&out, z->name, ",");
            cli_num(num, sizeof num, z->ci_g_co2e_per_kwh);
            cli_buf_csv(&out, num, ",");
            cli_buf_printf(&out, "%u,", z->year);
            cli_buf_csv(&out, z->scope, ",");
            if (z->water_l_per_kwh >= 0.0)
                cli_num(num, sizeof num, z->water_l_per_kwh);
            else
                num[0] = '\0';
            cli_buf_csv(&out, num, ",");
            cli_buf_csv(&out, z->source, ",");
            cli_buf_csv(&out, z->origin, "\n");
        } else {
            /* names are never cut (issue 14 #26): a long one pushes the row;
               the off-site water intensity as in csv and json, "-" unknown */
            if (z->water_l_per_kwh >= 0.0)
                cli_num(num, sizeof num, z->water_l_per_kwh);
            else
                snprintf(num, sizeof num, "-");
            cli_buf_printf(&out, "%-16s %-32s %10g %5u %-9s %11s %s\n", z->code, z->name,
                           z->ci_g_co2e_per_kwh, z->year, z->scope, num, z->origin);
        }
    }
    if (n == 0) /* an empty listing is not an error (as ecoest hwdb list) */
        cli_msg("no zone matches \"%s\" (see ecoest carbon zones)", query ? query : "");
    if (fmt == CLI_FORMAT_JSON)
        cli_buf_json(&out, arr);
    free(idx);
    est_zones_free(zones);
    return cli_buf_flush(&out, stdout);
}

static void render_series_text(const cli_carbon *c, const est_carbon_series *s, cli_buf *b)
{
    size_t i, k = 0;
    char num[40];
    if (strcmp(c->source, "default") != 0 && strcmp(c->provider_zone, c->zone) != 0)
        cli_buf_printf(b, "Carbon intensity, zone %s (mapped to %s for the annual figure), "
                          "%s to %s\n", c->provider_zone, c->zone, c->start, c->end);
    else
        cli_buf_printf(b, "Carbon intensity, zone %s, %s to %s\n", c->zone, c->start, c->end);
    if (strcmp(c->source, "default") == 0)
        cli_buf_printf(b, "  source     default: the zone's %u annual average (%s): %s\n",
                       c->default_year, c->default_scope, c->default_source);
    else
        cli_buf_printf(b, "  source     %s%s%s%s\n", c->source,
                       c->factors[0] ? " (factors " : "", c->factors,
                       c->factors[0] ? ")" : "");
    cli_buf_printf(b, "  mean       %.4g gCO2e/kWh\n", c->mean_g_co2e_per_kwh);
    if (c->coverage_frac >= 0.0)
        cli_buf_printf(b, "  coverage   %.1f%%\n", c->coverage_frac * 100.0);
    else
        cli_buf_puts(b, "  coverage   no data (the zone's annual average)\n");
    if (c->has_rte_taux)
        cli_buf_printf(b, "  RTE taux_co2 mean  %.4g gCO2/kWh (RTE's direct, production-only "
                          "estimate)\n", c->rte_taux_mean_g_co2e_per_kwh);
    if (c->has_water)
        cli_buf_printf(b, "  water      %.4g l/kWh off-site, live from the generation mix "
                          "(water-factors.csv)\n", c->water_mean_l_per_kwh);
    if (c->n_daily) {
        cli_buf_puts(b, "\nDaily means (UTC days)\n");
        for (i = 0; i < c->n_daily; i++) {
            const cli_carbon_daily *d = &c->daily[i];
            if (d->points)
                snprintf(num, sizeof num, "%.4g", d->mean_g_co2e_per_kwh);
            else
                snprintf(num, sizeof num, "-");
            cli_buf_printf(b, "  %s  %10s gCO2e/kWh  %3zu points  %5.2f h  coverage %.1f%%\n",
                           d->date, num, d->points, d->hours, d->coverage_frac * 100.0);
        }
    }
    if (s && s->n_points) {
        cli_buf_puts(b, "\nSeries (UTC)\n");
        for (i = 0; i < s->n_points; i++) {
            const est_intensity_point *p = &s->points[i];
            const est_intensity_point *tx;
            char t[32];
            if (!in_window(c, p))
                continue;
            fmt_time(p->t_unix_s, t, sizeof t);
            tx = s->n_provider_points ? match(s, p->t_unix_s, &k) : NULL;
            cli_buf_printf(b, "  %s  %8.4g", t, p->g_co2e_per_kwh);
            if (tx)
                cli_buf_printf(b, "  (RTE %g)", tx->g_co2e_per_kwh);
            cli_buf_puts(b, "\n");
        }
    }
}

static void render_series_csv(const cli_carbon *c, const est_carbon_series *s, cli_buf *b)
{
    size_t i, k = 0;
    char n1[40], n2[40], n3[40];
    cli_buf_puts(b, "kind,time,date,g_co2e_per_kwh,rte_taux_co2_g_co2e_per_kwh,points,hours,"
                    "coverage_frac,source\n");
    cli_num(n1, sizeof n1, c->mean_g_co2e_per_kwh);
    if (c->coverage_frac >= 0.0)
        cli_num(n3, sizeof n3, c->coverage_frac);
    else
        n3[0] = '\0'; /* no data */
    if (c->has_rte_taux)
        cli_num(n2, sizeof n2, c->rte_taux_mean_g_co2e_per_kwh);
    else
        n2[0] = '\0';
    cli_buf_printf(b, "run,%s,,%s,%s,%zu,%.17g,%s,%s\n", c->start, n1, n2, c->n_points_in_window,
                   (c->end_unix_s - c->start_unix_s) / 3600.0, n3, c->source);
    for (i = 0; i < c->n_daily; i++) {
        const cli_carbon_daily *d = &c->daily[i];
        if (d->points)
            cli_num(n1, sizeof n1, d->mean_g_co2e_per_kwh);
        else
            n1[0] = '\0';
        cli_num(n3, sizeof n3, d->coverage_frac);
        cli_buf_printf(b, "day,,%s,%s,,%zu,%.17g,%s,\n", d->date, n1, d->points, d->hours, n3);
    }
    for (i = 0; s && i < s->n_points; i++) {
        const est_intensity_point *p = &s->points[i];
        const est_intensity_point *tx;
        char t[32];
        if (!in_window(c, p))
            continue;
        fmt_time(p->t_unix_s, t, sizeof t);
        cli_num(n1, sizeof n1, p->g_co2e_per_kwh);
        tx = s->n_provider_points ? match(s, p->t_unix_s, &k) : NULL;
        if (tx)
            cli_num(n2, sizeof n2, tx->g_co2e_per_kwh);
        else
            n2[0] = '\0';
        cli_buf_printf(b, "point,%s,,%s,%s,,%.17g,,\n", t, n1, n2, p->dur_s / 3600.0);
    }
}

/* ecoest carbon regions [QUERY]: the cloud regions of carbon/regions.csv. */
static int regions_main(int argc, char **argv)
{
    cli_format fmt = CLI_FORMAT_TEXT;
    const char *query = NULL;
    est_zones *zones = NULL;
    est_regions *regions = NULL;
    cli_buf out = {0};
    cJSON *arr = NULL;
    char alias_zone[EST_ZONE_CODE_MAX] = "";
    size_t i, n = 0;
    int rc;
    if ((rc = listing_args(argc, argv, &fmt, &query)) != 0)
        return rc < 0 ? 0 : rc;
    if ((rc = cli_open_zones(&zones)) != 0 || (rc = cli_open_regions(&regions, zones)) != 0) {
        est_zones_free(zones);
        return rc;
    }
    if (fmt == CLI_FORMAT_JSON)
        arr = cJSON_CreateArray();
    else if (fmt == CLI_FORMAT_CSV)
        cli_buf_puts(&out, "provider,region,location,zone,pue,wue_l_per_kwh,source,"
                           "provider_source,origin\n");
    else
        cli_buf_printf(&out, "%-30s %-10s %5s %7s  %s\n", "REGION", "ZONE", "PUE", "WUE l/kWh",
                       "LOCATION");
    /* a query that names a zone, itself or through an alias ("FR", "UK":
       GB, "FRA": FR), lists the regions of that zone and its sub-zones */
    if (query && *query) {
        est_zone z;
        if (est_zones_lookup(&z, zones, query, NULL) == EST_OK)
            snprintf(alias_zone, sizeof alias_zone, "%s", z.code);
    }
    for (i = 0; i < est_regions_count(regions); i++) {
        const est_region *g = est_regions_at(regions, i);
        char name[80], pue[40], wue[40];
        if (!est_regions_matches_zone(g, query, alias_zone))
            continue;
        n++;
        snprintf(name, sizeof name, "%s:%s", g->provider, g->region);
        cli_num(pue, sizeof pue, g->pue);
        if (g->wue_l_per_kwh >= 0.0)
            cli_num(wue, sizeof wue, g->wue_l_per_kwh);
        else
            wue[0] = '\0';
        if (fmt == CLI_FORMAT_JSON) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "provider", g->provider);
            cJSON_AddStringToObject(o, "region", g->region);
            cJSON_AddStringToObject(o, "location", g->location);
            cJSON_AddStringToObject(o, "zone", g->zone);
            cli_json_add_num(o, "pue", g->pue);
            add_num_or_null(o, "wue_l_per_kwh", g->wue_l_per_kwh >= 0.0, g->wue_l_per_kwh);
            cJSON_AddStringToObject(o, "source", g->source);
            cJSON_AddStringToObject(o, "provider_source", g->provider_source);
            cJSON_AddStringToObject(o, "origin", g->origin);
            cJSON_AddItemToArray(arr, o);
        } else if (fmt == CLI_FORMAT_CSV) {
            cli_buf_csv(&out, g->provider, ",");
            cli_buf_csv(&out, g->region, ",");
            cli_buf_csv(&out, g->location, ",");
            cli_buf_csv(&out, g->zone, ",");
            cli_buf_csv(&out, pue, ",");
            cli_buf_csv(&out, wue, ",");
            cli_buf_csv(&out, g->source, ",");
            cli_buf_csv(&out, g->provider_source, ",");
            cli_buf_csv(&out, g->origin, "\n");
        } else {
            cli_buf_printf(&out, "%-30s %-10s %5s %7s  %s\n", name, g->zone, pue,
                           wue[0] ? wue : "-", g->location);
        }
    }
    if (n == 0)
        cli_msg("no region matches \"%s\" (see ecoest carbon regions)", query ? query : "");
    if (fmt == CLI_FORMAT_JSON)
        cli_buf_json(&out, arr);
    est_regions_free(regions);
    est_zones_free(zones);
    return cli_buf_flush(&out, stdout);
}

int cli_carbon_main(int argc, char **argv)
{
    enum { O_ZONE = 300, O_RUNTIME, O_FORMAT, O_LIVE, O_PROVIDER, O_OFFLINE, O_STRICT,
           O_FACTORS, O_TIMEOUT, O_START, O_END, O_OUTPUT };
    static const struct option lo[] = {
        {"zone", required_argument, NULL, O_ZONE},
        {"runtime", required_argument, NULL, O_RUNTIME},
        {"format", required_argument, NULL, O_FORMAT},
        {"live", no_argument, NULL, O_LIVE},
        {"provider", required_argument, NULL, O_PROVIDER},
        {"offline", no_argument, NULL, O_OFFLINE},
        {"strict", no_argument, NULL, O_STRICT},
        {"factors", required_argument, NULL, O_FACTORS},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"start", required_argument, NULL, O_START},
        {"end", required_argument, NULL, O_END},
        {"output", required_argument, NULL, O_OUTPUT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cli_carbon_opts co;
    cli_format fmt = CLI_FORMAT_TEXT;
    const char *zone = NULL, *runtime = NULL, *output = NULL;
    double runtime_s = 0.0;
    est_zones *zones = NULL;
    est_zone z;
    est_error e;
    est_carbon_series s;
    cli_carbon *c;
    cli_buf out = {0};
    int opt, rc;

    if (argc > 1 && strcmp(argv[1], "zones") == 0)
        return zones_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "regions") == 0)
        return regions_main(argc - 1, argv + 1);
    memset(&co, 0, sizeof co);
    memset(&s, 0, sizeof s);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        switch (opt) {
        case O_ZONE: zone = optarg; break;
        case O_RUNTIME: runtime = optarg; break;
        case O_FORMAT: if (cli_parse_format_html(optarg, &fmt)) return CLI_EX_USAGE; break;
        case O_OUTPUT: output = optarg; break;
        case O_LIVE: case O_PROVIDER: case O_OFFLINE: case O_STRICT: case O_FACTORS:
        case O_TIMEOUT: case O_START: case O_END:
            if (cli_carbon_set_option(&co, opt - O_LIVE, optarg))
                return CLI_EX_USAGE;
            break;
        case 'h':
            printf(carbon_usage, cli_carbon_usage);
            return fflush(stdout) ? CLI_EX_IOERR : 0;
        case ':': cli_msg("%s: missing value", argv[optind - 1]); return CLI_EX_USAGE;
        default:
            cli_msg("unknown option '%s' (see ecoest carbon --help)", argv[optind - 1]);
            return CLI_EX_USAGE;
        }
    }
    if (optind < argc) {
        cli_msg("unexpected argument \"%s\" (see ecoest carbon --help)", argv[optind]);
        return CLI_EX_USAGE;
    }
    if (!zone) {
        cli_msg("missing --zone (see ecoest carbon zones)");
        return CLI_EX_USAGE;
    }
    if (!co.start) {
        cli_msg("missing --start: the window's start");
        return CLI_EX_USAGE;
    }
    if (runtime && (est_parse_duration(&runtime_s, runtime) || !(runtime_s > 0.0))) {
        cli_msg("--runtime: expected a duration like 2h30m, 90m, 1-02:03:04 or 02:03:04, "
                "got \"%s\"", runtime);
        return CLI_EX_USAGE;
    }
    if (!co.offline)
        co.live = 1; /* the command is about the series: --live is implied */
    if (cli_carbon_check(&co, 1) || cli_carbon_window(&co, runtime != NULL, &runtime_s, NULL))
        return CLI_EX_USAGE;
    if ((rc = cli_open_zones(&zones)) != 0)
        return rc;
    rc = est_zones_lookup(&z, zones, zone, &e);
    if (rc) {
        cli_msg("%s", e.message);
        cli_suggest(NULL, CLI_LOOKUP_ZONE, &e, &(cli_tables){NULL, zones, NULL});
    }
    est_zones_free(zones);
    if (rc)
        return cli_exit_for(rc);
    c = calloc(1, sizeof *c);
    if (!c) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    cli_carbon_default(c, &z, &co);
    rc = cli_carbon_live(&co, &z, c, &s);
    if (!rc) {
        if (fmt == CLI_FORMAT_JSON)
            cli_buf_json(&out, cli_carbon_json(c, &s));
        else if (fmt == CLI_FORMAT_CSV)
            render_series_csv(c, &s, &out);
        else if (fmt == CLI_FORMAT_HTML) {
            cJSON *j = cli_carbon_json(c, &s);
            cli_html_carbon(&out, c, &s, j);
            cJSON_Delete(j);
        } else
            render_series_text(c, &s, &out);
        rc = output ? cli_buf_write_file(&out, output) : cli_buf_flush(&out, stdout);
    }
    cli_buf_free(&out);
    cli_live_clear(&s);
    free(c);
    return rc;
}
