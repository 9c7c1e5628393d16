/* ecoest where: the same job at several sites (zones or cloud regions),
 * ranked by CO2e or water. The numbers come from the library (sites.h);
 * this file parses arguments and prints. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "job_opts.h"
#include "paths.h"
#include "report.h"
#include "ecoest/model.h"
#include "ecoest/regions.h"
#include "ecoest/sites.h"

static const char where_usage[] =
    "Usage: ecoest where --sites FILE|LIST [JOB] [OPTIONS]\n"
    "\n"
    "Estimates the same job at each site and ranks the sites, best first, with\n"
    "the saving against the worst and the median. A site is a zone or a cloud\n"
    "region, with a PUE and a WUE (docs/where.md). Each site's figures are the\n"
    "estimate's (ecoest --zone Z ... --format json) for the same job:\n"
    "  energy = IT energy x PUE; CO2e = energy x the zone's annual intensity\n"
    "  (+ the embodied share with --include-embodied);\n"
    "  water = IT energy x WUE + energy x the zone's water intensity (l/kWh).\n"
    "\n"
    "Sites:\n"
    "  --sites FILE|LIST        a CSV file with the header name,zone,pue,wue\n"
    "                           (zone: a zone code or PROVIDER:REGION; an empty\n"
    "                           pue or wue takes the place's default), or a\n"
    "                           comma-separated list: FR,aws:eu-west-3,gcp:europe-west9\n"
    "  --by co2e|water          what to rank by (default co2e)\n"
    "  --pue X                  PUE of a zone site without one (default: the\n"
    "                           estimate's, 1.67, or --platform's; a cloud region\n"
    "                           has its provider's)\n"
    "  --wue L                  on-site water, l/kWh, of a site without one\n"
    "                           (default 0; a cloud region has its provider's)\n"
    "\n"
    "Job (the estimate's options; docs/cli.md):\n"
    "%s%s"
    "\n"
    "Output:\n"
    "  --format text|json|csv   (default text)\n"
    "  -h, --help               this help\n"
    "\n"
    "The cloud regions and their sources: carbon/regions.csv (docs/where.md).\n"
    "Exit status: 0 ok, 64 usage, 65 unknown zone, region or hardware, or bad\n"
    "sites file, 66 missing file, 70 internal error.\n";

typedef struct where_opts {
    const char *sites;
    est_sites_rank_by by;
    cli_format fmt;
    cli_job job;
} where_opts;

enum { W_SITES = 256, W_BY, W_FORMAT };

static int parse(where_opts *o, int argc, char **argv)
{
    static const struct option lo[] = {
        {"sites", required_argument, NULL, W_SITES},
        {"by", required_argument, NULL, W_BY},
        CLI_JOB_LONG_OPTIONS,
        CLI_JOB_RUNTIME_OPTIONS,
        {"format", required_argument, NULL, W_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
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
        case W_SITES: o->sites = a; break;
        case W_BY:
            if (strcmp(a, "co2e") == 0) o->by = EST_SITES_RANK_BY_CO2E;
            else if (strcmp(a, "water") == 0) o->by = EST_SITES_RANK_BY_WATER;
            else { cli_msg("--by: expected co2e or water, got \"%s\"", a); return -1; }
            break;
        case W_FORMAT: if (cli_parse_format(a, &o->fmt)) return -1; break;
        case ':': cli_msg("%s: missing value", argv[optind - 1]); return -1;
        default:
            cli_msg("unknown option '%s' (see ecoest where --help)", argv[optind - 1]);
            return -1;
        }
    }
    if (optind < argc) {
        cli_msg("unexpected argument \"%s\" (see ecoest where --help)", argv[optind]);
        return -1;
    }
    if (!o->sites) {
        cli_msg("where: give the sites: --sites FILE or --sites FR,aws:eu-west-3,...");
        return -1;
    }
    if (cli_job_finish(&o->job, 1))
        return -1;
    if (!o->job.hardware_given) {
        cli_msg("where: nothing to estimate: give --cpu, --gpu or --memory (see --help)");
        return -1;
    }
    return 0;
}

/* The sites: a file when one of that name exists, else a list. */
static int load_sites(const char *arg, est_site **sites, size_t *n)
{
    struct stat st;
    est_error e;
    const char *p = arg;
    size_t count = 1, k = 0;
    int rc;
    if (stat(arg, &st) == 0) {
        rc = est_sites_read(sites, n, arg, &e);
        if (rc)
            cli_msg("%s", e.message);
        return rc ? cli_exit_for(rc) : 0;
    }
    if (strchr(arg, '/') || (strlen(arg) > 4 && strcmp(arg + strlen(arg) - 4, ".csv") == 0)) {
        cli_msg("--sites: no such file: %s", arg);
        return CLI_EX_NOINPUT;
    }
    for (; *p; p++)
        count += *p == ',';
    *sites = calloc(count, sizeof **sites);
    if (!*sites) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    for (p = arg; k < count; k++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        est_site *s = &(*sites)[k];
        if (len == 0 || len >= sizeof s->place) {
            cli_msg("--sites: an empty or too long entry in \"%s\"", arg);
            free(*sites);
            *sites = NULL;
            return CLI_EX_USAGE;
        }
        memcpy(s->place, p, len);
        memcpy(s->name, p, len);
        s->pue = EST_UNSET;
        s->wue_l_per_kwh = EST_UNSET;
        p = end ? end + 1 : p + len;
    }
    *n = count;
    return 0;
}

static const char *unit_key(est_sites_rank_by by, const char *co2e_key, const char *water_key)
{
    return by == EST_SITES_RANK_BY_WATER ? water_key : co2e_key;
}

static void add_num(cJSON *o, const char *key, double v)
{
    if (v == EST_UNSET)
        cJSON_AddNullToObject(o, key);
    else
        cli_json_add_num(o, key, v);
}

static void render_json(const where_opts *o, const est_sites_result *r, size_t n, double it,
                        cli_buf *b)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    size_t i;
    cJSON_AddStringToObject(root, "ranked_by", o->by == EST_SITES_RANK_BY_WATER ? "water" : "co2e");
    cli_json_add_num(root, "it_energy_kwh", it);
    for (i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateObject();
        cli_json_add_num(s, "rank", (double)(i + 1));
        cJSON_AddStringToObject(s, "name", r[i].name);
        cJSON_AddStringToObject(s, "zone", r[i].zone);
        cJSON_AddStringToObject(s, "zone_name", r[i].zone_name);
        if (r[i].region[0])
            cJSON_AddStringToObject(s, "region", r[i].region);
        else
            cJSON_AddNullToObject(s, "region");
        cli_json_add_num(s, "pue", r[i].pue);
        cJSON_AddStringToObject(s, "pue_from", est_sites_from_name(r[i].pue_from));
        cli_json_add_num(s, "wue_l_per_kwh", r[i].wue_l_per_kwh);
        cJSON_AddStringToObject(s, "wue_from", est_sites_from_name(r[i].wue_from));
        cli_json_add_num(s, "ci_g_co2e_per_kwh", r[i].ci_g_co2e_per_kwh);
        add_num(s, "water_intensity_l_per_kwh", r[i].water_intensity_l_per_kwh);
        if (r[i].water_zone[0])
            cJSON_AddStringToObject(s, "water_zone", r[i].water_zone);
        else
            cJSON_AddNullToObject(s, "water_zone");
        cli_json_add_num(s, "energy_kwh", r[i].energy_kwh);
        cli_json_add_num(s, "co2e_g", r[i].co2e_g);
        cli_json_add_num(s, "operational_co2e_g", r[i].operational_co2e_g);
        add_num(s, "embodied_co2e_g", r[i].embodied_co2e_g);
        cli_json_add_num(s, "water_onsite_l", r[i].water_onsite_l);
        add_num(s, "water_offsite_l", r[i].water_offsite_l);
        add_num(s, "water_l", r[i].water_l);
        add_num(s, unit_key(o->by, "saving_vs_worst_g", "saving_vs_worst_l"),
                r[i].saving_vs_worst);
        add_num(s, unit_key(o->by, "saving_vs_median_g", "saving_vs_median_l"),
                r[i].saving_vs_median);
        cJSON_AddItemToArray(arr, s);
    }
    cJSON_AddItemToObject(root, "sites", arr);
    cli_buf_json(b, root);
}

static void csv_num(cli_buf *b, double v, const char *sep)
{
    char n[40] = "";
    if (v != EST_UNSET)
        cli_num(n, sizeof n, v);
    cli_buf_csv(b, n, sep);
}

static void render_csv(const where_opts *o, const est_sites_result *r, size_t n, cli_buf *b)
{
    size_t i;
    cli_buf_printf(b, "rank,name,zone,region,pue,wue_l_per_kwh,ci_g_co2e_per_kwh,"
                      "water_intensity_l_per_kwh,energy_kwh,co2e_g,water_onsite_l,"
                      "water_offsite_l,water_l,%s,%s,embodied_co2e_g\n",
                   unit_key(o->by, "saving_vs_worst_g", "saving_vs_worst_l"),
                   unit_key(o->by, "saving_vs_median_g", "saving_vs_median_l"));
    for (i = 0; i < n; i++) {
        cli_buf_printf(b, "%zu,", i + 1);
        cli_buf_csv(b, r[i].name, ",");
        cli_buf_csv(b, r[i].zone, ",");
        cli_buf_csv(b, r[i].region, ",");
        csv_num(b, r[i].pue, ",");
        csv_num(b, r[i].wue_l_per_kwh, ",");
        csv_num(b, r[i].ci_g_co2e_per_kwh, ",");
        csv_num(b, r[i].water_intensity_l_per_kwh, ",");
        csv_num(b, r[i].energy_kwh, ",");
        csv_num(b, r[i].co2e_g, ",");
        csv_num(b, r[i].water_onsite_l, ",");
        csv_num(b, r[i].water_offsite_l, ",");
        csv_num(b, r[i].water_l, ",");
        csv_num(b, r[i].saving_vs_worst, ",");
        csv_num(b, r[i].saving_vs_median, ",");
        csv_num(b, r[i].embodied_co2e_g, "\n"); /* empty without the factors */
    }
}

static void render_text(const where_opts *o, const est_sites_result *r, size_t n, double it,
                        cli_buf *b)
{
    size_t i;
    const char *unit = o->by == EST_SITES_RANK_BY_WATER ? "l" : "g CO2e";
    cli_buf_printf(b, "The same job (IT energy %.4g kWh) at %zu sites, ranked by %s:\n\n", it,
                   n, o->by == EST_SITES_RANK_BY_WATER ? "water" : "CO2e");
    /* each site's saving against the worst and the median, in the ranking's
       unit (negative: it costs more than the median) */
    cli_buf_printf(b, "%3s  %-24s %-16s %5s %10s %12s %10s %11s %11s\n", "#", "SITE", "ZONE",
                   "PUE", "kWh", "g CO2e", "litres",
                   o->by == EST_SITES_RANK_BY_WATER ? "l vs worst" : "g vs worst",
                   o->by == EST_SITES_RANK_BY_WATER ? "l vs median" : "g vs median");
    for (i = 0; i < n; i++) {
        char w[32], sw[32], sm[32];
        if (r[i].water_l == EST_UNSET)
            snprintf(w, sizeof w, "unknown");
        else
            snprintf(w, sizeof w, "%.4g", r[i].water_l);
        if (r[i].saving_vs_worst == EST_UNSET)
            snprintf(sw, sizeof sw, "-");
        else
            snprintf(sw, sizeof sw, "%.4g", r[i].saving_vs_worst);
        if (r[i].saving_vs_median == EST_UNSET)
            snprintf(sm, sizeof sm, "-");
        else
            snprintf(sm, sizeof sm, "%.4g", r[i].saving_vs_median);
        cli_buf_printf(b, "%3zu  %-24.24s %-16s %5.3g %10.4g %12.4g %10s %11s %11s\n", i + 1,
                       r[i].name, r[i].zone, r[i].pue, r[i].energy_kwh, r[i].co2e_g, w, sw, sm);
    }
    if (n > 1 && r[0].saving_vs_worst != EST_UNSET)
        cli_buf_printf(b, "\nBest: %s saves %.4g %s against the worst (%s) and %.4g %s against "
                          "the median.\n",
                       r[0].name, r[0].saving_vs_worst, unit, r[n - 1].name,
                       r[0].saving_vs_median, unit);
    cli_buf_puts(b, "\nAssumptions:\n");
    for (i = 0; i < n; i++) {
        cli_buf_printf(b, "  %s: zone %s (%s), %g gCO2e/kWh; PUE %g (%s); WUE %g l/kWh (%s)",
                       r[i].name, r[i].zone, r[i].zone_name, r[i].ci_g_co2e_per_kwh, r[i].pue,
                       est_sites_from_name(r[i].pue_from), r[i].wue_l_per_kwh,
                       est_sites_from_name(r[i].wue_from));
        if (r[i].water_intensity_l_per_kwh == EST_UNSET)
            cli_buf_puts(b, "; no water intensity for the zone or its country\n");
        else if (strcmp(r[i].water_zone, r[i].zone) != 0)
            cli_buf_printf(b, "; water intensity %g l/kWh of %s (the zone has none)\n",
                           r[i].water_intensity_l_per_kwh, r[i].water_zone);
        else
            cli_buf_printf(b, "; water intensity %g l/kWh\n", r[i].water_intensity_l_per_kwh);
    }
    if (o->job.eo.pue != EST_UNSET)
        cli_buf_printf(b, "  PUE %g (--pue) for a zone site without one", o->job.eo.pue);
    else
        cli_buf_puts(b, "  a zone site without a PUE takes the estimate's default (1.67, the "
                        "Green Algorithms paper's; --platform's when given; docs/method.md)");
    cli_buf_printf(b, "; WUE %g l/kWh for a site without one%s\n",
                   o->job.eo.wue_l_per_kwh == EST_UNSET ? 0.0 : o->job.eo.wue_l_per_kwh,
                   o->job.eo.wue_l_per_kwh == EST_UNSET ? " (default)" : " (--wue)");
    if (n && r[0].embodied_co2e_g != EST_UNSET)
        cli_buf_printf(b, "  the embodied share (embodied_co2e_g in JSON; a cloud region's "
                          "counts the cloud platform's lifetime) is %s the CO2e "
                          "(--include-embodied)\n",
                       o->job.eo.include_embodied ? "included in" : "not included in");
}

int cli_where_main(int argc, char **argv)
{
    where_opts o;
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_regions *regions = NULL;
    est_embodied_factors *embodied = NULL;
    est_site *sites = NULL;
    est_sites_result *res = NULL;
    size_t n = 0, i;
    cli_buf out = {0};
    est_error e;
    double it;
    int rc;
    memset(&o, 0, sizeof o);
    cli_job_init(&o.job);
    /* errors name the site (cli_where_main prefixes its name) */
    o.job.labels[EST_INPUT_CLOUD] = "the site";
    o.job.labels[EST_INPUT_ZONE] = "the site's zone";
    rc = parse(&o, argc, argv);
    if (rc > 0) {
        printf(where_usage, cli_job_usage, cli_job_runtime_usage);
        return fflush(stdout) ? CLI_EX_IOERR : 0;
    }
    if (rc < 0)
        return CLI_EX_USAGE;
    /* what the estimate opens, so that the figures are the estimate's */
    if ((rc = load_sites(o.sites, &sites, &n)) != 0)
        return rc;
    if (o.job.eo.cpu || o.job.eo.gpu)
        rc = cli_open_hwdb(&db);
    if (!rc)
        rc = cli_open_zones(&zones);
    for (i = 0; !rc && i < n; i++)
        if (strchr(sites[i].place, ':')) {
            rc = cli_open_regions(&regions, zones);
            break;
        }
    if (!rc && cli_open_embodied(&embodied, !o.job.eo.include_embodied) != 0 &&
        o.job.eo.include_embodied)
        rc = CLI_EX_NOINPUT;
    if (rc)
        goto done;
    o.job.eo.regions = regions;
    o.job.eo.embodied = embodied;
    res = calloc(n, sizeof *res);
    if (!res) {
        cli_msg("out of memory");
        rc = CLI_EX_SOFTWARE;
        goto done;
    }
    for (i = 0; i < n; i++) {
        int erc = est_site_estimate(&res[i], NULL, &sites[i], &o.job.eo, db, zones, &e);
        if (erc) {
            cli_msg("site \"%s\"%s%s: %s", sites[i].name, sites[i].origin[0] ? " at " : "",
                    sites[i].origin, e.message);
            if (e.input == EST_INPUT_ZONE || e.input == EST_INPUT_CLOUD ||
                erc == EST_ENOTFOUND)
                cli_suggest(e.input == EST_INPUT_CPU_MODEL   ? "closest known CPUs"
                            : e.input == EST_INPUT_GPU_MODEL ? "closest known GPUs"
                            : strchr(sites[i].place, ':')    ? "closest regions"
                                                             : "closest known zones",
                            e.input != EST_INPUT_NONE     ? CLI_LOOKUP_INPUT
                            : strchr(sites[i].place, ':') ? CLI_LOOKUP_REGION
                                                          : CLI_LOOKUP_ZONE,
                            &e, &(cli_tables){db, zones, regions});
            rc = erc == EST_EINVAL && e.input != EST_INPUT_NONE ? CLI_EX_USAGE
                                                                : cli_exit_for(erc);
            goto done;
        }
    }
    it = res[0].pue > 0.0 ? res[0].energy_kwh / res[0].pue : 0.0;
    est_sites_rank(res, n, o.by);
    if (o.fmt == CLI_FORMAT_JSON)
        render_json(&o, res, n, it, &out);
    else if (o.fmt == CLI_FORMAT_CSV)
        render_csv(&o, res, n, &out);
    else
        render_text(&o, res, n, it, &out);
    rc = cli_buf_flush(&out, stdout);
done:
    cli_buf_free(&out);
    free(res);
    free(sites);
    est_hwdb_free(db);
    est_regions_free(regions);
    est_embodied_factors_free(embodied);
    est_zones_free(zones);
    return rc;
}
