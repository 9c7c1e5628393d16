/* Renders an estimate as text (for people), JSON or CSV (stable interfaces:
 * docs/output.md). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report.h"
#include "samples_mode.h"

void cli_num(char *buf, size_t size, double v)
{
    int prec;
    for (prec = 15; prec <= 17; prec++) {
        double back;
        snprintf(buf, size, "%.*g", prec, v);
        if (est_parse_double_str(&back, buf) == EST_OK && back == v)
            return;
    }
}

cJSON *cli_json_number(double v)
{
    char buf[40];
    if (!isfinite(v))
        return cJSON_CreateNull();
    if (v == 0.0)
        v = 0.0; /* -0 prints as 0 */
    cli_num(buf, sizeof buf, v);
    return cJSON_CreateRaw(buf);
}

cJSON *cli_json_add_num(cJSON *o, const char *key, double v)
{
    cJSON *n = cli_json_number(v);
    if (n && !cJSON_AddItemToObject(o, key, n)) {
        cJSON_Delete(n);
        return NULL;
    }
    return n;
}

void cli_report_input(cli_report *r, const char *name, const char *source, const char *value)
{
    cli_input *in;
    if (r->n_inputs >= CLI_INPUTS_MAX)
        return;
    in = &r->inputs[r->n_inputs++];
    in->name = name;
    in->source = source;
    in->value = value;
}

/* ---- text ---- */

/* A count for people: 3 significant digits, never an exponent ("1310",
   "0.0252", "3.85", "0.000053"). */
static void plain(char *buf, size_t size, double v)
{
    double a = fabs(v);
    if (a >= 1000.0 || a == 0.0)
        snprintf(buf, size, "%.0f", v);
    else if (a >= 1e-4)
        snprintf(buf, size, "%.3g", v);
    else {
        /* tiny: still a plain number, 2 significant digits (5.3e-05 is
           0.000053), never an exponent; below 1e-12 it is 0 */
        int decimals = 1 - (int)floor(log10(a));
        if (decimals > 13)
            snprintf(buf, size, "0");
        else
            snprintf(buf, size, "%.*f", decimals, v);
    }
}

/* basis: NULL (no label), "measured", "estimated" or "partly measured" */
static void text_row(cli_buf *b, const char *name, const est_model_component *c, const char *basis)
{
    char p[32], e[32], g[32];
    cli_human(p, sizeof p, c->power_w, "W");
    cli_human(e, sizeof e, c->energy_kwh * 1000.0, "Wh");
    cli_human(g, sizeof g, c->co2e_g, "g");
    if (basis)
        cli_buf_printf(b, "  %-8s %12s %14s %14s  %s\n", name, p, e, g, basis);
    else
        cli_buf_printf(b, "  %-8s %12s %14s %14s\n", name, p, e, g);
}

/* What one part of scope s rests on (est_model_part_basis). */
static const char *part_basis(const cli_report *r, est_model_scope s, est_model_part part)
{
    return est_model_basis_name(est_model_part_basis(&r->result, &r->used, s, part));
}

/* A row's label: NULL (none) when nothing was measured. */
static const char *row_basis(const cli_report *r, int any, est_model_part part)
{
    return any ? part_basis(r, r->result.scope, part) : NULL;
}

/* What a scope's total rests on (est_model_scope_basis): "measured",
   "estimated" or "partly measured". */
static const char *scope_basis(const cli_report *r, est_model_scope s)
{
    return est_model_basis_name(est_model_scope_basis(&r->result, &r->used, s));
}

static const est_model_component *scope_total(const est_model_result *res, est_model_scope s)
{
    return s == EST_MODEL_SCOPE_PROCESS ? &res->process
           : s == EST_MODEL_SCOPE_ALLOCATION ? &res->allocation : &res->node;
}

/* What each scope counts (one line each: the report says it exactly), per
   CPU power model: tdp has no idle floor (a core counts TDP x usage, an
   unused core 0 W); curve counts each held core's idle floor. */
static const char *scope_says(est_model_scope s, int curve)
{
    switch (s) {
    case EST_MODEL_SCOPE_PROCESS:
        return curve ? "the job's CPU above its idle floor (the floor is left out) and "
                       "memory, its GPUs above idle; no static power"
                     : "the job's CPU and memory, its GPUs above idle; no static power";
    case EST_MODEL_SCOPE_ALLOCATION:
        return curve ? "the job's CPU with its idle floor and memory, its GPUs from 0 W "
                       "(usage x TDP: a held, idle GPU counts 0 W); no static power"
                     : "the job's CPU and memory, its GPUs from 0 W (usage x TDP: a held, "
                       "idle GPU counts 0 W); no static power";
    default:
        return curve ? "static power, every core of the node (each at least at its idle "
                       "floor), every GPU (each at least at idle) and the node's memory"
                     : "static power, the job's cores (the tdp model has no idle floor: the "
                       "node's other cores count 0 W), every GPU of the node (each at least "
                       "at idle) and the node's memory";
    }
}

static void samples_text(const struct cli_samples_report *sr, cli_buf *b);

static void render_text(const cli_report *r, cli_buf *b)
{
    const est_model_result *res = &r->result;
    char e[32], g[32], w[32];
    size_t i;

    cli_human(e, sizeof e, res->total.energy_kwh * 1000.0, "Wh");
    cli_human(g, sizeof g, r->headline_co2e_g, "g");
    cli_buf_printf(b, "Estimate (%s scope): %s, %s CO2e%s\n\n", est_model_scope_name(res->scope), e, g,
                   r->embodied_included ? " (embodied share included)" : "");

    cli_buf_puts(b, "Inputs\n");
    for (i = 0; i < r->n_inputs; i++)
        cli_buf_printf(b, "  %-17s %s  [%s]\n", r->inputs[i].name, r->inputs[i].value,
                       r->inputs[i].source);

    cli_buf_printf(b, "\nBreakdown (PUE %g and %u run%s included)\n", r->used.pue,
                   r->used.runs, r->used.runs == 1 ? "" : "s");
    {
        int any = res->cpu_measured || res->gpu_measured || res->node_measured;
        int node = res->scope == EST_MODEL_SCOPE_NODE;
        cli_buf_printf(b, "  %-8s %12s %14s %14s\n", "", "power", "energy", "CO2e");
        if (r->cpu.present)
            text_row(b, "CPU", &res->cpu, row_basis(r, any, EST_MODEL_PART_CPU));
        if (r->gpu.present)
            text_row(b, "GPU", &res->gpu, row_basis(r, any, EST_MODEL_PART_GPU));
        text_row(b, "Memory", &res->memory, row_basis(r, any, EST_MODEL_PART_MEMORY));
        if (node)
            text_row(b, "Static", &res->static_node, row_basis(r, any, EST_MODEL_PART_STATIC));
        /* the headline scope's basis, the same three words as the JSON's */
        text_row(b, "Total", &res->total, any ? scope_basis(r, res->scope) : NULL);
        if (node && res->node_measured) {
            /* the parts are the model's, unscaled: the total is the meter's */
            double parts = res->cpu.power_w + res->gpu.power_w + res->memory.power_w +
                           res->static_node.power_w;
            char pw[32], tw[32];
            cli_human(pw, sizeof pw, parts, "W");
            cli_human(tw, sizeof tw, res->total.power_w, "W");
            cli_buf_printf(b, "  (the node's energy was measured: the total %s is the "
                              "measurement; the parts above are the model's and sum to %s, "
                              "%+.1f %% of it; the difference is assigned to no part)\n",
                           tw, pw,
                           res->total.power_w > 0.0
                               ? (parts - res->total.power_w) / res->total.power_w * 100.0
                               : 0.0);
        }
    }

    {
        static const est_model_scope order[3] = {EST_MODEL_SCOPE_PROCESS, EST_MODEL_SCOPE_ALLOCATION,
                                           EST_MODEL_SCOPE_NODE};
        static const char *const names[3] = {"Process", "Allocation", "Node"};
        size_t k;
        cli_buf_puts(b, "\n");
        for (k = 0; k < 3; k++) {
            const est_model_component *t = scope_total(res, order[k]);
            if (order[k] == res->scope)
                continue;
            cli_human(e, sizeof e, t->energy_kwh * 1000.0, "Wh");
            cli_human(g, sizeof g, t->co2e_g, "g");
            if (res->cpu_measured || res->gpu_measured || res->node_measured)
                cli_buf_printf(b, "  %s scope: %s, %s CO2e (%s)\n", names[k], e, g,
                               scope_basis(r, order[k]));
            else
                cli_buf_printf(b, "  %s scope: %s, %s CO2e\n", names[k], e, g);
        }
        for (k = 0; k < 3; k++)
            cli_buf_printf(b, "  %s scope counts %s\n", names[k],
                           scope_says(order[k],
                                      r->used.cpu_power_model == EST_MODEL_CPU_POWER_CURVE));
        /* whenever the node scope is printed, headline or not */
        if (res->node_assumed)
            cli_buf_puts(b, "  (the node was not described: the job's allocation is taken "
                            "as the node)\n");
    }
    if (r->gpu.present) {
        cli_human(w, sizeof w, res->gpu_idle_excluded_w, "W");
        cli_buf_printf(b, "  GPU idle power left out of the process scope: %s "
                          "(PUE included)\n", w);
        cli_human(w, sizeof w, res->gpu_idle_excluded_allocation_w, "W");
        cli_buf_printf(b, "  GPU idle power left out of the allocation scope: %s "
                          "(PUE included; held GPUs below full use)\n", w);
        {
            unsigned ng = r->used.node_gpus ? r->used.node_gpus : r->used.gpu_count;
            cli_human(w, sizeof w, (double)ng * r->gpu.idle_w * r->used.pue, "W");
            cli_buf_printf(b, "  GPU idle power counted in the node scope: %s (PUE included): "
                              "each of the node's %u GPU%s at least at idle%s\n", w, ng,
                           ng == 1 ? "" : "s",
                           r->gpu.idle_known ? "" : " (the idle power is unknown: 0 W)");
        }
    }
    if (res->has_compare) {
        static const char *const names[3] = {"process", "allocation", "node"};
        const est_model_comparison *cs[3];
        size_t k;
        char m[32];
        cs[0] = &res->compare_process;
        cs[1] = &res->compare_allocation;
        cs[2] = &res->compare_node;
        cli_human(m, sizeof m, res->compare_kwh * 1000.0, "Wh");
        cli_buf_printf(b, "\nAgainst the meter (%s; estimates before PUE%s)\n", m,
                       r->used.psu_efficiency == EST_UNSET ? ""
                       : res->node_measured
                           ? "; the node's energy is measured: not divided by the PSU "
                             "efficiency"
                           : ", the node scope divided by the PSU efficiency");
        for (k = 0; k < 3; k++) {
            cli_human(e, sizeof e, cs[k]->estimate_kwh * 1000.0, "Wh");
            cli_buf_printf(b, "  %-10s %14s  ratio %.3g\n", names[k], e, cs[k]->ratio);
        }
    }

    {
        char t[32], k[32], f[32];
        plain(t, sizeof t, res->equivalents.tree_months);
        plain(k, sizeof k, res->equivalents.car_km);
        plain(f, sizeof f, res->equivalents.flight_fraction * 100.0);
        cli_buf_printf(b, "\nEquivalents\n  %s tree-months, %s km by car, %s%% of a flight "
                          "%s\n", t, k, f, res->equivalents.flight);
    }
    {
        /* water: on-site (WUE) and off-site (the grid's generation) */
        char wl[32], on[32], off[32];
        plain(on, sizeof on, r->water.onsite_l);
        if (r->water.water_l != EST_UNSET) {
            plain(wl, sizeof wl, r->water.water_l);
            plain(off, sizeof off, r->water.offsite_l);
            cli_buf_printf(b, "\nWater\n  %s l: on-site %s l (WUE %g l/kWh), off-site %s l "
                              "(%g l/kWh generated)\n", wl, on, r->water.wue_l_per_kwh, off,
                           r->offsite_l_per_kwh);
            if (r->offsite_source)
                cli_buf_printf(b, "  off-site intensity: %s%s\n",
                               r->offsite_origin && strcmp(r->offsite_origin, "live") == 0
                                   ? "live, " : "", r->offsite_source);
        } else {
            cli_buf_printf(b, "\nWater\n  on-site %s l (WUE %g l/kWh); off-site unknown (no "
                              "zone with a water intensity)\n", on, r->water.wue_l_per_kwh);
        }
    }
    if (r->has_embodied) {
        char t[32], c1[32], c2[32], c3[32], c4[32];
        /* the other parts are the platform's (est_embodied_result.platform) */
        const char *whole = r->embodied.platform == EST_REGIONS_PLATFORM_LAPTOP    ? "laptop"
                            : r->embodied.platform == EST_REGIONS_PLATFORM_DESKTOP ? "computer"
                                                                                   : "server";
        cli_human(t, sizeof t, r->embodied.total_g, "g");
        cli_human(c1, sizeof c1, r->embodied.cpu_g, "g");
        cli_human(c2, sizeof c2, r->embodied.gpu_g, "g");
        cli_human(c3, sizeof c3, r->embodied.memory_g, "g");
        cli_human(c4, sizeof c4, r->embodied.rest_g, "g");
        cli_buf_printf(b, "\nEmbodied share (%s the headline)\n  %s CO2e: CPU %s, GPU %s, "
                          "memory %s, rest of the %s %s\n",
                       r->embodied_included ? "included in" : "not in", t, c1, c2, c3, whole,
                       c4);
    }

    if (r->carbon.present && strcmp(r->carbon.source, "default") != 0) {
        const cli_carbon *c = &r->carbon;
        cli_buf_printf(b, "\nCarbon intensity (%s, zone %s, %s to %s)\n", c->source,
                       c->provider_zone[0] ? c->provider_zone : c->zone, c->start, c->end);
        cli_buf_printf(b, "  mean %.4g gCO2e/kWh, %.1f%% of the window covered", c->mean_g_co2e_per_kwh,
                       c->coverage_frac * 100.0);
        if (c->has_rte_taux)
            cli_buf_printf(b, "; RTE taux_co2 %.4g gCO2/kWh", c->rte_taux_mean_g_co2e_per_kwh);
        if (c->provider_zone[0] && strcmp(c->provider_zone, c->zone) != 0)
            cli_buf_printf(b, "\n  zone %s annual average %g gCO2e/kWh (%u)\n", c->zone,
                           c->default_g_co2e_per_kwh, c->default_year);
        else
            cli_buf_printf(b, "\n  zone annual average %g gCO2e/kWh (%u)\n",
                           c->default_g_co2e_per_kwh, c->default_year);
        if (c->has_energy_weighted)
            cli_buf_printf(b, "  weighted by the job's energy: %.4g gCO2e/kWh (%.1f%% of the "
                              "energy covered; the value used)\n",
                           c->energy_weighted_g_co2e_per_kwh, c->energy_weighted_coverage_frac * 100.0);
        if (c->n_failed_days) {
            size_t k;
            cli_buf_puts(b, "  days that could not be fetched:");
            for (k = 0; k < c->n_failed_days; k++)
                cli_buf_printf(b, "%s %s", k ? "," : "", c->failed_days[k]);
            cli_buf_printf(b, " (%s)\n", c->failed_reason);
        }
        for (i = 0; i < c->n_daily; i++) {
            if (c->daily[i].points)
                cli_buf_printf(b, "  %s  %.4g gCO2e/kWh  (%zu points, %.2f h)\n",
                               c->daily[i].date, c->daily[i].mean_g_co2e_per_kwh,
                               c->daily[i].points, c->daily[i].hours);
            else
                cli_buf_printf(b, "  %s  no data  (%.2f h)\n", c->daily[i].date,
                               c->daily[i].hours);
        }
    }
    if (r->samples)
        samples_text(r->samples, b);

    if (r->n_notes) {
        cli_buf_puts(b, "\nAssumptions\n");
        for (i = 0; i < r->n_notes; i++)
            cli_buf_printf(b, "  - %s\n", r->notes[i]);
    }
}

/* ---- JSON ---- */

static void add_num_or_null_r(cJSON *o, const char *key, int has, double v)
{
    if (has)
        cli_json_add_num(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}


static cJSON *component_json(const est_model_component *c)
{
    cJSON *o = cJSON_CreateObject();
    cli_json_add_num(o, "power_w", c->power_w);
    cli_json_add_num(o, "energy_kwh", c->energy_kwh);
    cli_json_add_num(o, "co2e_g", c->co2e_g);
    return o;
}

/* A component with its basis: "measured", "estimated" or "partly measured"
   (est_model_part_basis). */
static cJSON *component_basis_json(const est_model_component *c, const char *basis)
{
    cJSON *o = component_json(c);
    cJSON_AddStringToObject(o, "basis", basis);
    return o;
}

static cJSON *comparison_json(const est_model_comparison *c)
{
    cJSON *o = cJSON_CreateObject();
    cli_json_add_num(o, "estimate_kwh", c->estimate_kwh);
    cli_json_add_num(o, "ratio", c->ratio);
    return o;
}

static void add_str_or_null(cJSON *o, const char *key, int has, const char *s)
{
    if (has)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *samples_json(const struct cli_samples_report *sr);

static cJSON *report_json(const cli_report *r)
{
    const est_model_result *res = &r->result;
    cJSON *root = cJSON_CreateObject(), *o, *hw, *arr;
    size_t i;

    cli_json_add_num(root, "energy_kwh", res->total.energy_kwh);
    cli_json_add_num(root, "co2e_g", r->headline_co2e_g);
    cli_json_add_num(root, "operational_co2e_g", res->total.co2e_g);
    cli_json_add_num(root, "power_w", res->total.power_w);
    cli_json_add_num(root, "runtime_h", r->used.runtime_h);
    cli_json_add_num(root, "runs", r->used.runs);
    cli_json_add_num(root, "pue", r->used.pue);
    cli_json_add_num(root, "carbon_intensity_g_co2e_per_kwh", r->used.ci_g_co2e_per_kwh);
    add_str_or_null(root, "zone", r->zone[0] != '\0', r->zone);
    /* how --zone was read: JP-TK, an Electricity Maps zone, mapped to JP */
    add_str_or_null(root, "zone_given", r->zone_given[0] != '\0', r->zone_given);
    cJSON_AddBoolToObject(root, "zone_mapped", r->zone_alias_kind[0] != '\0');
    add_str_or_null(root, "zone_alias_kind", r->zone_alias_kind[0] != '\0', r->zone_alias_kind);
    cJSON_AddStringToObject(root, "scope", est_model_scope_name(res->scope));
    if (r->carbon.present)
        cJSON_AddItemToObject(root, "carbon", cli_carbon_json(&r->carbon, NULL));
    else
        cJSON_AddNullToObject(root, "carbon");

    o = cJSON_AddObjectToObject(root, "components");
    cJSON_AddItemToObject(o, "cpu", component_basis_json(&res->cpu,
                          part_basis(r, res->scope, EST_MODEL_PART_CPU)));
    cJSON_AddItemToObject(o, "gpu", component_basis_json(&res->gpu,
                          part_basis(r, res->scope, EST_MODEL_PART_GPU)));
    cJSON_AddItemToObject(o, "memory", component_basis_json(&res->memory,
                          part_basis(r, res->scope, EST_MODEL_PART_MEMORY)));
    if (res->scope == EST_MODEL_SCOPE_NODE)
        cJSON_AddItemToObject(o, "static", component_basis_json(&res->static_node,
                              part_basis(r, res->scope, EST_MODEL_PART_STATIC)));

    {
        cJSON *p = component_json(&res->process), *a = component_json(&res->allocation);
        cJSON_AddStringToObject(p, "basis", scope_basis(r, EST_MODEL_SCOPE_PROCESS));
        cJSON_AddStringToObject(a, "basis", scope_basis(r, EST_MODEL_SCOPE_ALLOCATION));
        cJSON_AddItemToObject(root, "process", p);
        cJSON_AddItemToObject(root, "allocation", a);
    }
    {
        cJSON *n = component_json(&res->node), *p;
        cJSON_AddStringToObject(n, "basis", scope_basis(r, EST_MODEL_SCOPE_NODE));
        p = cJSON_AddObjectToObject(n, "components");
        cJSON_AddItemToObject(p, "cpu", component_basis_json(&res->cpu_node,
                              part_basis(r, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_CPU)));
        cJSON_AddItemToObject(p, "gpu", component_basis_json(&res->gpu_node,
                              part_basis(r, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_GPU)));
        cJSON_AddItemToObject(p, "memory", component_basis_json(&res->memory_node,
                              part_basis(r, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_MEMORY)));
        cJSON_AddItemToObject(p, "static", component_basis_json(&res->static_node,
                              part_basis(r, EST_MODEL_SCOPE_NODE, EST_MODEL_PART_STATIC)));
        cJSON_AddBoolToObject(n, "node_assumed", res->node_assumed);
        cJSON_AddItemToObject(root, "node", n);
    }
    cli_json_add_num(root, "gpu_idle_excluded_w", res->gpu_idle_excluded_w);
    cli_json_add_num(root, "gpu_idle_excluded_allocation_w", res->gpu_idle_excluded_allocation_w);
    cJSON_AddStringToObject(root, "cpu_power_model",
                            est_model_cpu_power_name(r->used.cpu_power_model));
    {
        cJSON *w = cJSON_AddObjectToObject(root, "water");
        add_num_or_null_r(w, "water_l", r->water.water_l != EST_UNSET, r->water.water_l);
        cli_json_add_num(w, "water_onsite_l", r->water.onsite_l);
        add_num_or_null_r(w, "water_offsite_l", r->water.offsite_l != EST_UNSET,
                          r->water.offsite_l);
        cli_json_add_num(w, "wue_l_per_kwh", r->water.wue_l_per_kwh);
        add_num_or_null_r(w, "offsite_l_per_kwh", r->offsite_l_per_kwh != EST_UNSET,
                          r->offsite_l_per_kwh);
        if (r->offsite_origin)
            cJSON_AddStringToObject(w, "offsite_origin", r->offsite_origin);
        else
            cJSON_AddNullToObject(w, "offsite_origin");
        if (r->offsite_source)
            cJSON_AddStringToObject(w, "offsite_source", r->offsite_source);
        else
            cJSON_AddNullToObject(w, "offsite_source");
    }
    if (r->has_embodied) {
        cJSON *em = cJSON_AddObjectToObject(root, "embodied");
        cli_json_add_num(em, "embodied_co2e_g", r->embodied.total_g);
        cli_json_add_num(em, "cpu_g", r->embodied.cpu_g);
        cli_json_add_num(em, "gpu_g", r->embodied.gpu_g);
        cli_json_add_num(em, "memory_g", r->embodied.memory_g);
        cli_json_add_num(em, "rest_g", r->embodied.rest_g);
        cli_json_add_num(em, "share_frac", r->embodied.share_frac);
        cli_json_add_num(em, "lifetime_years", r->embodied.lifetime_years);
        cli_json_add_num(em, "active_frac", r->embodied.active_frac);
        cli_json_add_num(em, "cpu_die_area_cm2", r->embodied.cpu_die_area_cm2);
        cJSON_AddStringToObject(em, "cpu_die_area_from",
                                r->embodied.cpu_die_area_origin == EST_EMBODIED_DIE_GIVEN
                                    ? "hwdb row" : "class default");
        if (r->gpu.present) {
            cli_json_add_num(em, "gpu_die_area_cm2", r->embodied.gpu_die_area_cm2);
            cJSON_AddStringToObject(em, "gpu_die_area_from",
                                    r->embodied.gpu_die_area_origin == EST_EMBODIED_DIE_GIVEN
                                        ? "hwdb row" : "class default");
        } else { /* no GPU held: no GPU die */
            cJSON_AddNullToObject(em, "gpu_die_area_cm2");
            cJSON_AddNullToObject(em, "gpu_die_area_from");
        }
        cJSON_AddBoolToObject(em, "included", r->embodied_included);
    } else {
        cJSON_AddNullToObject(root, "embodied");
    }
    if (res->has_compare) {
        cJSON *cmp = cJSON_AddObjectToObject(root, "compare");
        cli_json_add_num(cmp, "meter_kwh", res->compare_kwh);
        if (r->used.psu_efficiency != EST_UNSET)
            cli_json_add_num(cmp, "psu_efficiency", r->used.psu_efficiency);
        else
            cJSON_AddNullToObject(cmp, "psu_efficiency");
        cJSON_AddItemToObject(cmp, "process", comparison_json(&res->compare_process));
        cJSON_AddItemToObject(cmp, "allocation", comparison_json(&res->compare_allocation));
        cJSON_AddItemToObject(cmp, "node", comparison_json(&res->compare_node));
    } else {
        cJSON_AddNullToObject(root, "compare");
    }

    hw = cJSON_AddObjectToObject(root, "hardware");
    if (r->cpu.present) {
        o = cJSON_AddObjectToObject(hw, "cpu");
        add_str_or_null(o, "model", r->cpu.has_model, r->cpu.model);
        cli_json_add_num(o, "cores", r->cpu.cores);
        cli_json_add_num(o, "tdp_w", r->cpu.tdp_w);
        cli_json_add_num(o, "tdp_per_core_w", r->cpu.tdp_per_core_w);
        cli_json_add_num(o, "usage_frac", r->used.cpu_usage_frac);
        cJSON_AddStringToObject(o, "source", r->cpu.source);
        cJSON_AddStringToObject(o, "power_model",
                                est_model_cpu_power_name(r->used.cpu_power_model));
        if (r->used.cpu_power_model == EST_MODEL_CPU_POWER_CURVE) {
            cJSON *cv = cJSON_AddObjectToObject(o, "curve");
            cli_json_add_num(cv, "idle_frac", r->used.cpu_idle_frac);
            cli_json_add_num(cv, "max_frac", r->used.cpu_max_frac);
            cli_json_add_num(cv, "exponent", r->used.cpu_curve_exponent);
        } else {
            cJSON_AddNullToObject(o, "curve");
        }
    } else {
        cJSON_AddNullToObject(hw, "cpu");
    }
    if (r->gpu.present) {
        o = cJSON_AddObjectToObject(hw, "gpu");
        add_str_or_null(o, "model", r->gpu.has_model, r->gpu.model);
        cli_json_add_num(o, "count", r->gpu.count);
        if (r->gpu.tdp_w > 0.0)
            cli_json_add_num(o, "tdp_w", r->gpu.tdp_w);
        else
            cJSON_AddNullToObject(o, "tdp_w");
        cli_json_add_num(o, "idle_w", r->gpu.idle_w);
        cJSON_AddStringToObject(o, "idle_source", r->gpu.idle_source);
        if (r->used.gpu_power_w != EST_UNSET) {
            cJSON_AddNullToObject(o, "usage_frac");
            cli_json_add_num(o, "measured_power_w", r->used.gpu_power_w);
        } else {
            cli_json_add_num(o, "usage_frac", r->used.gpu_usage_frac);
            cJSON_AddNullToObject(o, "measured_power_w");
        }
        cJSON_AddStringToObject(o, "source", r->gpu.source);
    } else {
        cJSON_AddNullToObject(hw, "gpu");
    }
    o = cJSON_AddObjectToObject(hw, "memory");
    cli_json_add_num(o, "gb", r->used.memory_gb);
    cli_json_add_num(o, "w_per_gb", r->used.memory_w_per_gb);

    o = cJSON_AddObjectToObject(root, "equivalents");
    cli_json_add_num(o, "tree_months", res->equivalents.tree_months);
    cli_json_add_num(o, "car_km", res->equivalents.car_km);
    cJSON_AddStringToObject(o, "flight", res->equivalents.flight);
    cli_json_add_num(o, "flight_fraction", res->equivalents.flight_fraction);

    arr = cJSON_AddArrayToObject(root, "inputs");
    for (i = 0; i < r->n_inputs; i++) {
        cJSON *it = cJSON_CreateObject();
        cJSON_AddStringToObject(it, "name", r->inputs[i].name);
        cJSON_AddStringToObject(it, "value", r->inputs[i].value);
        cJSON_AddStringToObject(it, "source", r->inputs[i].source);
        cJSON_AddItemToArray(arr, it);
    }
    arr = cJSON_AddArrayToObject(root, "assumptions");
    for (i = 0; i < r->n_notes; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(r->notes[i]));
    if (r->samples)
        cJSON_AddItemToObject(root, "samples", samples_json(r->samples));
    return root;
}

/* ---- the "samples" section (ecoest --samples) ---- */

static void num_or_null(cJSON *o, const char *key, int has, double v)
{
    if (has)
        cli_json_add_num(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

/* A host's measured GPU energy, kWh (its GPUs' integrals); -1 without. */
static double host_gpu_kwh(const est_samples_result *res)
{
    double e;
    return est_samples_result_gpu_energy_kwh(&e, res) == EST_OK ? e : -1.0;
}

/* Issue 14 #28: each host's own integration (its window, its GPUs as its
   log numbers them, their index in the total), then the total above. */
static cJSON *hosts_json(const cli_samples_report *sr)
{
    cJSON *arr = cJSON_CreateArray();
    size_t h, i;
    for (h = 0; h < sr->n_hosts; h++) {
        const cli_samples_host *ho = &sr->hosts[h];
        const est_samples_result *res = &ho->res;
        cJSON *j = cJSON_CreateObject(), *files, *gpus;
        double gk = host_gpu_kwh(res);
        add_str_or_null(j, "host", ho->name[0] != '\0', ho->name);
        files = cJSON_AddArrayToObject(j, "files");
        for (i = 0; i < sr->n_files; i++)
            if (sr->file_host[i] == h)
                cJSON_AddItemToArray(files, cJSON_CreateString(sr->files[i]));
        cli_json_add_num(j, "start_unix_s", res->start_unix_s);
        cli_json_add_num(j, "end_unix_s", res->end_unix_s);
        cli_json_add_num(j, "duration_s", res->duration_s);
        cli_json_add_num(j, "covered_s", res->covered_s);
        cli_json_add_num(j, "gaps", (double)res->gaps);
        cli_json_add_num(j, "missing_values", (double)res->missing);
        cli_json_add_num(j, "duplicates", (double)res->duplicates);
        cli_json_add_num(j, "backwards", (double)res->backwards);
        num_or_null(j, "gpu_energy_kwh", gk >= 0.0, gk);
        num_or_null(j, "cpu_package_energy_kwh", res->cpu_package_power_w.present,
                    res->cpu_package_energy_kwh);
        num_or_null(j, "node_energy_kwh", res->node_power_w.present, res->node_energy_kwh);
        num_or_null(j, "ram_mean_gb", res->ram_used_gb.present, res->ram_used_gb.mean);
        gpus = cJSON_AddArrayToObject(j, "gpus");
        for (i = 0; i < res->n_gpus; i++) {
            const est_samples_gpu *g = est_samples_result_gpu(res, i);
            cJSON *k = cJSON_CreateObject();
            int p = g->power_w.present;
            cli_json_add_num(k, "index", g->index);
            cli_json_add_num(k, "total_index", (double)(ho->gpu_first + i));
            add_str_or_null(k, "name", g->name[0] != '\0', g->name);
            num_or_null(k, "mean_power_w", p, g->mean_power_w);
            num_or_null(k, "energy_kwh", p, g->energy_kwh);
            num_or_null(k, "energy_above_idle_kwh", p, g->energy_above_idle_kwh);
            cJSON_AddItemToArray(gpus, k);
        }
        cJSON_AddItemToArray(arr, j);
    }
    return arr;
}

static cJSON *samples_json(const cli_samples_report *sr)
{
    const est_samples_result *res = &sr->res;
    const est_samples_read_stats *st = &sr->stats;
    static const char *const kind_keys[EST_SAMPLES_BAD_ROW_KINDS] = {
        "field_count", "number", "negative", "range", "time", "time_range", "line"};
    cJSON *o = cJSON_CreateObject(), *arr, *k;
    size_t i;

    arr = cJSON_AddArrayToObject(o, "files");
    for (i = 0; i < sr->n_files; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "path", sr->files[i]);
        cJSON_AddStringToObject(f, "format", est_samples_format_name(sr->formats[i]));
        cli_json_add_num(f, "gpus_by_position", sr->gpus_by_position[i]);
        add_str_or_null(f, "host", sr->hosts[sr->file_host[i]].name[0] != '\0',
                        sr->hosts[sr->file_host[i]].name);
        cJSON_AddItemToArray(arr, f);
    }
    cJSON_AddItemToObject(o, "hosts", hosts_json(sr));
    cli_json_add_num(o, "rows", (double)st->rows);
    cli_json_add_num(o, "skipped_rows", (double)st->skipped_rows);
    k = cJSON_AddObjectToObject(o, "skipped_by_kind");
    for (i = 0; i < EST_SAMPLES_BAD_ROW_KINDS; i++)
        cli_json_add_num(k, kind_keys[i], (double)st->skipped_by_kind[i]);
    arr = cJSON_AddArrayToObject(o, "first_skipped");
    for (i = 0; i < st->n_first; i++) {
        char place[128];
        snprintf(place, sizeof place, "%s:%lu", st->first_file[i], st->first_line[i]);
        cJSON_AddItemToArray(arr, cJSON_CreateString(place));
    }
    cli_json_add_num(o, "start_unix_s", res->start_unix_s);
    cli_json_add_num(o, "end_unix_s", res->end_unix_s);
    cli_json_add_num(o, "duration_s", res->duration_s);
    cli_json_add_num(o, "covered_s", res->covered_s);
    cli_json_add_num(o, "coverage_frac", res->covered_s / res->duration_s);
    cli_json_add_num(o, "gaps", (double)res->gaps);
    cli_json_add_num(o, "missing_values", (double)res->missing);
    cli_json_add_num(o, "duplicates", (double)res->duplicates);
    cli_json_add_num(o, "backwards", (double)res->backwards);
    cJSON_AddStringToObject(o, "fill", est_samples_fill_name(sr->fill));
    num_or_null(o, "cpu_usage_mean_frac", res->cpu_usage_frac.present, res->cpu_usage_frac.mean);
    num_or_null(o, "cpu_cores_mean", res->cpu_cores.present, res->cpu_cores.mean);
    num_or_null(o, "cpu_busy_cores_mean", res->cpu_busy_cores.present, res->cpu_busy_cores.mean);
    num_or_null(o, "cpu_usage_model_frac", sr->cpu_usage_model_frac >= 0.0,
                sr->cpu_usage_model_frac);
    num_or_null(o, "cpu_from_usage_power_w", sr->cpu_from_usage_w >= 0.0, sr->cpu_from_usage_w);
    num_or_null(o, "cpu_package_mean_power_w", res->cpu_package_power_w.present,
                res->cpu_package_power_w.mean);
    num_or_null(o, "cpu_package_energy_kwh", res->cpu_package_power_w.present,
                res->cpu_package_energy_kwh);
    num_or_null(o, "node_mean_power_w", res->node_power_w.present, res->node_power_w.mean);
    num_or_null(o, "node_energy_kwh", res->node_power_w.present, res->node_energy_kwh);
    num_or_null(o, "ram_mean_gb", res->ram_used_gb.present, res->ram_used_gb.mean);
    arr = cJSON_AddArrayToObject(o, "gpus");
    for (i = 0; i < res->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(res, i);
        cJSON *j = cJSON_CreateObject();
        int p = g->power_w.present;
        cli_json_add_num(j, "index", g->index);
        add_str_or_null(j, "name", g->name[0] != '\0', g->name);
        cJSON_AddBoolToObject(j, "secondary_die", g->secondary_die);
        num_or_null(j, "mean_power_w", p, g->mean_power_w);
        num_or_null(j, "idle_w", p && g->idle_source != EST_SAMPLES_IDLE_UNKNOWN, g->idle_w);
        cJSON_AddStringToObject(j, "idle_source", est_samples_idle_source_name(g->idle_source));
        num_or_null(j, "energy_kwh", p, g->energy_kwh);
        num_or_null(j, "energy_above_idle_kwh", p, g->energy_above_idle_kwh);
        num_or_null(j, "covered_s", p, g->power_w.covered_s);
        num_or_null(j, "usage_mean_frac", g->usage_frac.present, g->usage_frac.mean);
        cJSON_AddBoolToObject(j, "mean_of_readings", g->power_w.mean_of_readings);
        cli_json_add_num(j, "samples", (double)g->power_w.samples);
        cli_json_add_num(j, "gaps", (double)g->power_w.gaps);
        cJSON_AddItemToArray(arr, j);
    }
    cJSON_AddStringToObject(o, "equivalent_manual_inputs", sr->equivalent);
    return o;
}

/* Issue 14 #28: a line per host (its own window and measured energies);
   the lines after them are the total over the hosts. */
static void hosts_text(const cli_samples_report *sr, cli_buf *b)
{
    size_t h;
    for (h = 0; h < sr->n_hosts; h++) {
        const cli_samples_host *ho = &sr->hosts[h];
        const est_samples_result *res = &ho->res;
        char a[EST_SAMPLES_TIME_FORMAT_SIZE], z[EST_SAMPLES_TIME_FORMAT_SIZE], d[32], e[32];
        double gk = host_gpu_kwh(res);
        est_samples_format_time(a, sizeof a, res->start_unix_s);
        est_samples_format_time(z, sizeof z, res->end_unix_s);
        cli_num(d, sizeof d, res->duration_s);
        cli_buf_printf(b, "  host %-9s %zu log%s, %s to %s: %s s, %.1f%% covered",
                       ho->name, ho->n_files, ho->n_files == 1 ? "" : "s", a, z, d,
                       100.0 * res->covered_s / res->duration_s);
        if (res->n_gpus)
            cli_buf_printf(b, ", GPUs %u..%u of the total", ho->gpu_first,
                           ho->gpu_first + (unsigned)res->n_gpus - 1);
        if (gk >= 0.0) {
            cli_human(e, sizeof e, gk * 1000.0, "Wh");
            cli_buf_printf(b, ", GPU %s", e);
        }
        if (res->cpu_package_power_w.present) {
            cli_human(e, sizeof e, res->cpu_package_energy_kwh * 1000.0, "Wh");
            cli_buf_printf(b, ", CPU package %s", e);
        }
        if (res->node_power_w.present) {
            cli_human(e, sizeof e, res->node_energy_kwh * 1000.0, "Wh");
            cli_buf_printf(b, ", node %s", e);
        }
        cli_buf_puts(b, "\n");
    }
    cli_buf_puts(b, "  total          over the hosts: the union of their windows; a host's "
                    "means count over its own window\n");
}

/* " [host a's GPU 0]" after a GPU of the total, with several hosts. */
static void gpu_host_text(const cli_samples_report *sr, unsigned index, cli_buf *b)
{
    size_t h;
    for (h = 0; sr->n_hosts > 1 && h < sr->n_hosts; h++) {
        const cli_samples_host *ho = &sr->hosts[h];
        if (index >= ho->gpu_first && index - ho->gpu_first < ho->res.n_gpus)
            cli_buf_printf(b, " [host %s's GPU %u; its mean over the union window]", ho->name,
                           est_samples_result_gpu(&ho->res, index - ho->gpu_first)->index);
    }
}

static void samples_text(const cli_samples_report *sr, cli_buf *b)
{
    const est_samples_result *res = &sr->res;
    char a[32], z[32], w[32], e[32], e2[32];
    size_t i;

    cli_buf_puts(b, "\nSamples\n  files          ");
    for (i = 0; i < sr->n_files; i++)
        cli_buf_printf(b, "%s%s (%s%s", i ? ", " : "", sr->files[i],
                       est_samples_format_name(sr->formats[i]),
                       sr->gpus_by_position[i] ? ", no index: GPUs numbered by position in "
                                                 "each tick)" : ")");
    cli_buf_printf(b, "\n  rows           %lu read, %lu skipped\n", sr->stats.rows,
                   sr->stats.skipped_rows);
    if (sr->n_hosts > 1)
        hosts_text(sr, b);
    /* fractional seconds kept (issue 14 #26) */
    est_samples_format_time(a, sizeof a, res->start_unix_s);
    est_samples_format_time(z, sizeof z, res->end_unix_s);
    cli_num(w, sizeof w, res->duration_s);
    cli_buf_printf(b, "  job window     %s to %s: %s s\n", a, z, w);
    cli_buf_printf(b, "  coverage       %.6g s (%.1f%%), %lu gap%s, %lu missing value%s, "
                   "fill %s\n", res->covered_s, 100.0 * res->covered_s / res->duration_s,
                   res->gaps, res->gaps == 1 ? "" : "s", res->missing,
                   res->missing == 1 ? "" : "s", est_samples_fill_name(sr->fill));
    if (res->cpu_usage_frac.present)
        cli_buf_printf(b, "  CPU usage      mean %.4g%s\n", res->cpu_usage_frac.mean,
                       res->cpu_cores.present ? " of the log's cores" : "");
    if (sr->cpu_usage_model_frac >= 0.0)
        cli_buf_printf(b, "  CPU usage used %.4g of the cores counted\n",
                       sr->cpu_usage_model_frac);
    if (res->cpu_busy_cores.present)
        cli_buf_printf(b, "  CPU busy cores mean %.4g%s\n", res->cpu_busy_cores.mean,
                       res->cpu_busy_cores_derived ? " (usage x cores of each row)" : "");
    if (res->cpu_package_power_w.present) {
        cli_human(w, sizeof w, res->cpu_package_power_w.mean, "W");
        cli_human(e, sizeof e, res->cpu_package_energy_kwh * 1000.0, "Wh");
        cli_buf_printf(b, "  CPU package    mean %s, %s (measured)\n", w, e);
    }
    if (res->node_power_w.present) {
        cli_human(w, sizeof w, res->node_power_w.mean, "W");
        cli_human(e, sizeof e, res->node_energy_kwh * 1000.0, "Wh");
        cli_buf_printf(b, "  node           mean %s, %s (measured: the node scope's figure)\n", w, e);
    }
    if (res->ram_used_gb.present)
        cli_buf_printf(b, "  memory         mean %.4g GB used\n", res->ram_used_gb.mean);
    for (i = 0; i < res->n_gpus; i++) {
        const est_samples_gpu *g = est_samples_result_gpu(res, i);
        if (!g->power_w.present) {
            cli_buf_printf(b, "  GPU %-10u %s%s\n", g->index, g->name[0] ? g->name : "",
                           g->secondary_die ? " secondary die: its power is in the primary's"
                                            : " no power reading");
            continue;
        }
        cli_human(w, sizeof w, g->mean_power_w, "W");
        if (g->power_w.mean_of_readings) {
            cli_buf_printf(b, "  GPU %-10u %s%smean %s (mean of %lu readings: no two in a "
                           "row, no covered time)", g->index, g->name, g->name[0] ? ": " : "",
                           w, g->power_w.samples);
            if (g->usage_frac.present)
                cli_buf_printf(b, ", usage %.3g", g->usage_frac.mean);
            cli_buf_puts(b, "\n");
            continue;
        }
        cli_human(e, sizeof e, g->energy_kwh * 1000.0, "Wh");
        cli_human(e2, sizeof e2, g->energy_above_idle_kwh * 1000.0, "Wh");
        cli_buf_printf(b, "  GPU %-10u %s%smean %s, %s (%s above idle %.4g W, %s)", g->index,
                       g->name, g->name[0] ? ": " : "", w, e, e2, g->idle_w,
                       est_samples_idle_source_name(g->idle_source));
        if (g->usage_frac.present)
            cli_buf_printf(b, ", usage %.3g", g->usage_frac.mean);
        gpu_host_text(sr, g->index, b);
        cli_buf_puts(b, "\n");
    }
    cli_buf_printf(b, "  equivalent manual inputs: %s\n", sr->equivalent);
}

static void render_json(const cli_report *r, cli_buf *b)
{
    cli_buf_json(b, report_json(r));
}

/* ---- CSV ---- */

static void csv_num(cli_buf *b, double v)
{
    char n[40];
    cli_num(n, sizeof n, v);
    cli_buf_puts(b, n);
    cli_buf_puts(b, ",");
}

/* Issue 14 #28: the hosts' names and measured energies, kWh, each a list
   separated by ';' in host order (an empty item: not measured there). */
static void hosts_csv(const cli_samples_report *sr, cli_buf *b)
{
    size_t h;
    int col;
    for (col = 0; col < 4; col++) {
        cli_buf_puts(b, ",");
        for (h = 0; h < sr->n_hosts; h++) {
            const est_samples_result *res = &sr->hosts[h].res;
            char n[40] = "";
            double gk = host_gpu_kwh(res);
            if (h)
                cli_buf_puts(b, ";");
            if (col == 0) {
                cli_buf_puts(b, sr->hosts[h].name);
                continue;
            }
            if (col == 1 && gk >= 0.0)
                cli_num(n, sizeof n, gk);
            else if (col == 2 && res->cpu_package_power_w.present)
                cli_num(n, sizeof n, res->cpu_package_energy_kwh);
            else if (col == 3 && res->node_power_w.present)
                cli_num(n, sizeof n, res->node_energy_kwh);
            cli_buf_puts(b, n);
        }
    }
}

/* The samples' columns, appended at the end of the CSV report (empty
   without --samples), and the line's end. */
static void samples_csv(const cli_samples_report *sr, cli_buf *b, int header)
{
    char n[40];
    if (header) {
        cli_buf_puts(b, ",samples_hosts,samples_host_gpu_energy_kwh,"
                        "samples_host_cpu_package_energy_kwh,samples_host_node_energy_kwh"
                        ",samples_rows,samples_coverage_frac,samples_duration_s\n");
        return;
    }
    if (!sr) {
        cli_buf_puts(b, ",,,,,,,\n");
        return;
    }
    hosts_csv(sr, b);
    cli_num(n, sizeof n, (double)sr->stats.rows);
    cli_buf_puts(b, ",");
    cli_buf_puts(b, n);
    cli_num(n, sizeof n, sr->res.covered_s / sr->res.duration_s);
    cli_buf_puts(b, ",");
    cli_buf_puts(b, n);
    cli_num(n, sizeof n, sr->res.duration_s);
    cli_buf_puts(b, ",");
    cli_buf_puts(b, n);
    cli_buf_puts(b, "\n");
}

/* The node scope, the bases and the meter (issue 11): after the carbon
   columns, before the samples' (which stay last). */
static void node_csv(const cli_report *r, cli_buf *b, int header)
{
    const est_model_result *res = &r->result;
    char n[40];
    if (header) {
        cli_buf_puts(b, ",node_power_w,node_energy_kwh,node_co2e_g,cpu_basis,gpu_basis,"
                        "node_basis,cpu_power_model,compare_kwh,process_ratio,"
                        "allocation_ratio,node_ratio");
        return;
    }
    cli_buf_puts(b, ",");
    csv_num(b, res->node.power_w);
    csv_num(b, res->node.energy_kwh);
    csv_num(b, res->node.co2e_g);
    cli_buf_csv(b, part_basis(r, res->scope, EST_MODEL_PART_CPU), ",");
    cli_buf_csv(b, part_basis(r, res->scope, EST_MODEL_PART_GPU), ",");
    cli_buf_csv(b, scope_basis(r, EST_MODEL_SCOPE_NODE), ",");
    cli_buf_csv(b, est_model_cpu_power_name(r->used.cpu_power_model), ",");
    if (res->has_compare) {
        csv_num(b, res->compare_kwh);
        csv_num(b, res->compare_process.ratio);
        csv_num(b, res->compare_allocation.ratio);
        cli_num(n, sizeof n, res->compare_node.ratio);
        cli_buf_puts(b, n);
    } else {
        cli_buf_puts(b, ",,,");
    }
}

/* Water and the embodied share (issue 13): after the node columns, before
   the samples' (which stay last). */
static void water_csv(const cli_report *r, cli_buf *b, int header)
{
    if (header) {
        cli_buf_puts(b, ",water_l,water_onsite_l,water_offsite_l,wue_l_per_kwh,"
                        "embodied_co2e_g,embodied_included,embodied_cpu_g,embodied_gpu_g,"
                        "embodied_memory_g,embodied_rest_g");
        return;
    }
    cli_buf_puts(b, ",");
    if (r->water.water_l != EST_UNSET)
        csv_num(b, r->water.water_l);
    else
        cli_buf_puts(b, ",");
    csv_num(b, r->water.onsite_l);
    if (r->water.offsite_l != EST_UNSET)
        csv_num(b, r->water.offsite_l);
    else
        cli_buf_puts(b, ",");
    csv_num(b, r->water.wue_l_per_kwh);
    if (r->has_embodied)
        csv_num(b, r->embodied.total_g);
    else
        cli_buf_puts(b, ",");
    cli_buf_puts(b, r->has_embodied ? (r->embodied_included ? "true" : "false") : "");
    /* its parts, as the JSON's embodied object (empty without the factors) */
    if (r->has_embodied) {
        char n[40];
        cli_buf_puts(b, ",");
        csv_num(b, r->embodied.cpu_g);
        csv_num(b, r->embodied.gpu_g);
        csv_num(b, r->embodied.memory_g);
        cli_num(n, sizeof n, r->embodied.rest_g);
        cli_buf_puts(b, n);
    } else {
        cli_buf_puts(b, ",,,,");
    }
}

/* How --zone was read (issue 13), as JSON's zone_given, zone_alias_kind
   and carbon.provider_zone: after the water columns, before the samples'
   (which stay last); empty when not given, not mapped, or no provider was
   asked. */
static void zone_csv(const cli_report *r, cli_buf *b, int header)
{
    if (header) {
        cli_buf_puts(b, ",zone_given,zone_alias_kind,provider_zone");
        return;
    }
    cli_buf_puts(b, ",");
    cli_buf_csv(b, r->zone_given, ",");
    cli_buf_csv(b, r->zone_alias_kind, ",");
    cli_buf_csv(b, r->carbon.present && r->carbon.provider[0] ? r->carbon.provider_zone : "",
                NULL);
}

/* The bases the node columns do not give (issue 11): the memory's in the
   headline scope, the process and allocation totals'; after the zone
   columns, before the samples' (which stay last). */
static void basis_csv(const cli_report *r, cli_buf *b, int header)
{
    if (header) {
        cli_buf_puts(b, ",memory_basis,process_basis,allocation_basis");
        return;
    }
    cli_buf_puts(b, ",");
    cli_buf_csv(b, part_basis(r, r->result.scope, EST_MODEL_PART_MEMORY), ",");
    cli_buf_csv(b, scope_basis(r, EST_MODEL_SCOPE_PROCESS), ",");
    cli_buf_csv(b, scope_basis(r, EST_MODEL_SCOPE_ALLOCATION), NULL);
}

static void render_csv(const cli_report *r, cli_buf *b)
{
    const est_model_result *res = &r->result;
    cli_buf_puts(b,
                 "energy_kwh,co2e_g,power_w,runtime_h,runs,pue,carbon_intensity_g_co2e_per_kwh,"
                 "zone,scope,cpu_power_w,cpu_energy_kwh,cpu_co2e_g,gpu_power_w,"
                 "gpu_energy_kwh,gpu_co2e_g,memory_power_w,memory_energy_kwh,memory_co2e_g,"
                 "process_energy_kwh,process_co2e_g,allocation_energy_kwh,"
                 "allocation_co2e_g,gpu_idle_excluded_w,cpu_model,cpu_cores,cpu_tdp_w,"
                 "cpu_tdp_per_core_w,gpu_model,gpu_count,gpu_tdp_w,gpu_idle_w,memory_gb,"
                 "tree_months,car_km,flight,flight_fraction,carbon_source,carbon_coverage_frac");
    node_csv(r, b, 1);
    water_csv(r, b, 1);
    zone_csv(r, b, 1);
    basis_csv(r, b, 1);
    samples_csv(r->samples, b, 1);
    csv_num(b, res->total.energy_kwh);
    csv_num(b, r->headline_co2e_g);
    csv_num(b, res->total.power_w);
    csv_num(b, r->used.runtime_h);
    csv_num(b, r->used.runs);
    csv_num(b, r->used.pue);
    csv_num(b, r->used.ci_g_co2e_per_kwh);
    cli_buf_csv(b, r->zone, ",");
    cli_buf_csv(b, est_model_scope_name(res->scope), ",");
    csv_num(b, res->cpu.power_w);
    csv_num(b, res->cpu.energy_kwh);
    csv_num(b, res->cpu.co2e_g);
    csv_num(b, res->gpu.power_w);
    csv_num(b, res->gpu.energy_kwh);
    csv_num(b, res->gpu.co2e_g);
    csv_num(b, res->memory.power_w);
    csv_num(b, res->memory.energy_kwh);
    csv_num(b, res->memory.co2e_g);
    csv_num(b, res->process.energy_kwh);
    csv_num(b, res->process.co2e_g);
    csv_num(b, res->allocation.energy_kwh);
    csv_num(b, res->allocation.co2e_g);
    csv_num(b, res->gpu_idle_excluded_w);
    cli_buf_csv(b, r->cpu.has_model ? r->cpu.model : "", ",");
    if (r->cpu.present) {
        csv_num(b, r->cpu.cores);
        csv_num(b, r->cpu.tdp_w);
        csv_num(b, r->cpu.tdp_per_core_w);
    } else {
        cli_buf_puts(b, ",,,");
    }
    cli_buf_csv(b, r->gpu.has_model ? r->gpu.model : "", ",");
    if (r->gpu.present) {
        csv_num(b, r->gpu.count);
        if (r->gpu.tdp_w > 0.0)
            csv_num(b, r->gpu.tdp_w);
        else
            cli_buf_puts(b, ",");
        csv_num(b, r->gpu.idle_w);
    } else {
        cli_buf_puts(b, ",,,");
    }
    csv_num(b, r->used.memory_gb);
    csv_num(b, res->equivalents.tree_months);
    csv_num(b, res->equivalents.car_km);
    cli_buf_csv(b, res->equivalents.flight, ",");
    {
        char n[40];
        cli_num(n, sizeof n, res->equivalents.flight_fraction);
        cli_buf_puts(b, n);
        cli_buf_puts(b, ",");
        cli_buf_csv(b, r->carbon.present ? r->carbon.source : "", ",");
        if (r->carbon.present && r->carbon.coverage_frac >= 0.0)
            cli_num(n, sizeof n, r->carbon.coverage_frac);
        else
            n[0] = '\0'; /* no series: no coverage */
        cli_buf_puts(b, n);
        node_csv(r, b, 0);
        water_csv(r, b, 0);
        zone_csv(r, b, 0);
        basis_csv(r, b, 0);
        samples_csv(r->samples, b, 0);
    }
}

cJSON *cli_report_json(const cli_report *r)
{
    return report_json(r);
}

void cli_report_render(const cli_report *r, cli_format fmt, cli_buf *b)
{
    switch (fmt) {
    case CLI_FORMAT_JSON: render_json(r, b); break;
    case CLI_FORMAT_CSV: render_csv(r, b); break;
    case CLI_FORMAT_HTML: {
        cJSON *root = report_json(r);
        if (!root)
            b->failed = 1;
        else
            cli_html_estimate(b, root, r->html_charts);
        cJSON_Delete(root);
        break;
    }
    default: render_text(r, b); break;
    }
}

void cli_buf_json(cli_buf *b, cJSON *root)
{
    char *s = root ? cJSON_Print(root) : NULL;
    if (!s) {
        b->failed = 1;
    } else {
        cli_buf_puts(b, s);
        cli_buf_puts(b, "\n");
    }
    free(s);
    cJSON_Delete(root);
}
