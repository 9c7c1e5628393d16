/* The HTML report (see html.h). Every text is escaped; every number is
 * printed as the JSON report prints it (cli_num), so the page and the JSON
 * agree digit for digit. */
#include "html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void cli_html_escape(cli_buf *b, const char *s)
{
    const char *run = s;
    if (!s)
        return;
    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        if (s > run)
            cli_buf_printf(b, "%.*s", (int)(s - run), run);
        cli_buf_puts(b, rep);
        run = s + 1;
    }
    cli_buf_puts(b, run);
}

static const char css[] =
    "body{font-family:DejaVu Sans,Liberation Sans,Arial,sans-serif;max-width:60em;"
    "margin:1.5em auto;padding:0 1em;color:#222;line-height:1.4}\n"
    "h1{font-size:1.5em;border-bottom:2px solid #2a7;padding-bottom:.2em}\n"
    "h2{font-size:1.15em;margin-top:1.6em;color:#175}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "th{background:#eef5f1}\n"
    ".headline{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}\n"
    ".fig{border:1px solid #2a7;border-radius:6px;padding:.5em 1em;min-width:9em}\n"
    ".fig .v{font-size:1.6em;font-weight:bold}.fig .u{color:#555}\n"
    ".note{color:#555;font-size:.85em}.fig .x{color:#777;font-size:.75em}\n"
    "svg{display:block;margin:.5em 0;max-width:100%;height:auto}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{max-width:none;margin:0;font-size:10pt}"
    "h2{page-break-after:avoid}table,svg,.chart{page-break-inside:avoid}}\n";

void cli_html_begin(cli_buf *b, const char *title)
{
    cli_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"generator\" content=\"ecoest\">\n<title>");
    cli_html_escape(b, title);
    cli_buf_puts(b, "</title>\n<style>\n");
    cli_buf_puts(b, css);
    cli_buf_puts(b, "</style>\n</head>\n<body>\n<h1>");
    cli_html_escape(b, title);
    cli_buf_puts(b, "</h1>\n");
}

void cli_html_end(cli_buf *b)
{
    cli_buf_puts(b, "<p class=\"note\">Written by ecoest. This page is self-contained: it loads "
                    "nothing from the network.</p>\n</body>\n</html>\n");
}

/* A JSON value as the JSON report prints it ("null" for null). */
static void value(cli_buf *b, const cJSON *v)
{
    char n[40];
    if (!v || cJSON_IsNull(v)) {
        cli_buf_puts(b, "&#8212;");
    } else if (cJSON_IsRaw(v)) {
        cli_html_escape(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        cli_num(n, sizeof n, v->valuedouble);
        cli_buf_puts(b, n);
    } else if (cJSON_IsString(v)) {
        cli_html_escape(b, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        cli_buf_puts(b, cJSON_IsTrue(v) ? "yes" : "no");
    }
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (v && cJSON_IsRaw(v))
        return strtod(v->valuestring, NULL);
    if (v && cJSON_IsNumber(v))
        return v->valuedouble;
    return NAN;
}

void cli_html_figure(cli_buf *b, const cJSON *root, const char *key, const char *label,
                   const char *unit)
{
    double v = num(root, key);
    cli_buf_printf(b, "<div class=\"fig\"><div class=\"u\">%s</div><div class=\"v\">", label);
    if (isfinite(v))
        cli_buf_printf(b, "%.4g", v);
    else
        cli_buf_puts(b, "&#8212;");
    cli_buf_printf(b, " <span class=\"u\">%s</span></div><div class=\"x\" data-key=\"%s\">",
                   unit, key);
    value(b, cJSON_GetObjectItemCaseSensitive(root, key));
    cli_buf_puts(b, "</div></div>\n");
}

/* A flat object as a two-column table of its scalar members; nested
   objects follow as their own tables (prefix names them). */
void cli_html_object(cli_buf *b, const cJSON *o, const char *prefix)
{
    const cJSON *it;
    int any = 0;
    cJSON_ArrayForEach(it, o) {
        if (cJSON_IsObject(it))
            continue;
        if (!any)
            cli_buf_puts(b, "<table>\n");
        any = 1;
        cli_buf_puts(b, "<tr><th>");
        cli_html_escape(b, it->string);
        cli_buf_printf(b, "</th><td class=\"n\" data-key=\"%s%s", prefix, prefix[0] ? "." : "");
        cli_html_escape(b, it->string);
        cli_buf_puts(b, "\">");
        if (cJSON_IsArray(it)) { /* its scalars, one a line */
            const cJSON *e;
            cJSON_ArrayForEach(e, it) {
                if (cJSON_IsObject(e) || cJSON_IsArray(e))
                    continue;
                value(b, e);
                if (e->next)
                    cli_buf_puts(b, "<br>");
            }
        } else {
            value(b, it);
        }
        cli_buf_puts(b, "</td></tr>\n");
    }
    if (any)
        cli_buf_puts(b, "</table>\n");
    cJSON_ArrayForEach(it, o) {
        char sub[200];
        if (cJSON_IsArray(it)) { /* an array of objects: one table each */
            const cJSON *e;
            int i = 0;
            cJSON_ArrayForEach(e, it) {
                if (cJSON_IsObject(e)) {
                    snprintf(sub, sizeof sub, "%s%s%s[%d]", prefix, prefix[0] ? "." : "",
                             it->string, i);
                    cli_buf_puts(b, "<h3>");
                    cli_html_escape(b, sub);
                    cli_buf_puts(b, "</h3>\n");
                    cli_html_object(b, e, sub);
                }
                i++;
            }
            continue;
        }
        if (!cJSON_IsObject(it))
            continue;
        snprintf(sub, sizeof sub, "%s%s%s", prefix, prefix[0] ? "." : "", it->string);
        cli_buf_puts(b, "<h3>");
        cli_html_escape(b, sub);
        cli_buf_puts(b, "</h3>\n");
        cli_html_object(b, it, sub);
    }
}

static const char *const comp_names[] = {"cpu", "gpu", "memory", "static"};

static void scope_row(cli_buf *b, const char *scope, const cJSON *c, const char *part)
{
    static const char *const cols[] = {"power_w", "energy_kwh", "co2e_g"};
    size_t i;
    if (!c || cJSON_IsNull(c))
        return;
    cli_buf_puts(b, "<tr><td>");
    cli_html_escape(b, scope);
    cli_buf_puts(b, "</td><td>");
    cli_html_escape(b, part);
    cli_buf_puts(b, "</td>");
    for (i = 0; i < 3; i++) {
        cli_buf_printf(b, "<td class=\"n\" data-key=\"%s.%s.%s\">", scope, part, cols[i]);
        value(b, cJSON_GetObjectItemCaseSensitive(c, cols[i]));
        cli_buf_puts(b, "</td>");
    }
    cli_buf_puts(b, "<td>");
    value(b, cJSON_GetObjectItemCaseSensitive(c, "basis"));
    cli_buf_puts(b, "</td></tr>\n");
}

static void breakdown(cli_buf *b, const cJSON *root)
{
    const cJSON *comps = cJSON_GetObjectItemCaseSensitive(root, "components");
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(root, "node");
    size_t i;
    cli_buf_puts(b, "<h2>Breakdown</h2>\n<table id=\"breakdown\">\n<tr><th>scope</th><th>part"
                    "</th><th>power, W</th><th>energy, kWh</th><th>CO2e, g</th><th>basis</th>"
                    "</tr>\n");
    for (i = 0; i < 4; i++)
        scope_row(b, "components", cJSON_GetObjectItemCaseSensitive(comps, comp_names[i]),
                  comp_names[i]);
    scope_row(b, "process", cJSON_GetObjectItemCaseSensitive(root, "process"), "total");
    scope_row(b, "allocation", cJSON_GetObjectItemCaseSensitive(root, "allocation"), "total");
    if (node) {
        const cJSON *nc = cJSON_GetObjectItemCaseSensitive(node, "components");
        for (i = 0; i < 4; i++)
            scope_row(b, "node", cJSON_GetObjectItemCaseSensitive(nc, comp_names[i]),
                      comp_names[i]);
        scope_row(b, "node", node, "total");
    }
    cli_buf_puts(b, "</table>\n<p class=\"note\">process: GPUs above their idle power; "
                    "allocation: GPUs from 0 W, as Green Algorithms; node: the whole node while "
                    "held. The headline uses scope ");
    value(b, cJSON_GetObjectItemCaseSensitive(root, "scope"));
    cli_buf_puts(b, ".</p>\n");
}

static void section(cli_buf *b, const cJSON *root, const char *key, const char *title)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!o || !cJSON_IsObject(o))
        return;
    cli_buf_printf(b, "<h2>%s</h2>\n", title);
    cli_html_object(b, o, key);
}

void cli_html_estimate(cli_buf *b, const cJSON *root, const char *charts)
{
    const cJSON *arr, *it;
    char h[64];
    cli_html_begin(b, "ecoest: the footprint of a computation");
    cli_buf_puts(b, "<div class=\"headline\" id=\"headline\">\n");
    cli_html_figure(b, root, "co2e_g", "carbon footprint", "g CO2e");
    cli_html_figure(b, root, "energy_kwh", "energy", "kWh");
    cli_html_figure(b, root, "power_w", "mean power", "W");
    cli_html_figure(b, root, "runtime_h", "runtime", "h");
    cli_html_figure(b, root, "carbon_intensity_g_co2e_per_kwh", "carbon intensity", "g CO2e/kWh");
    cli_html_figure(b, root, "pue", "PUE", "");
    cli_buf_puts(b, "</div>\n<p>");
    cli_human(h, sizeof h, num(root, "co2e_g"), "g");
    cli_buf_puts(b, "In short: ");
    cli_html_escape(b, h);
    cli_buf_puts(b, " CO2e for ");
    cli_human(h, sizeof h, num(root, "energy_kwh") * 1000.0, "Wh");
    cli_html_escape(b, h);
    cli_buf_puts(b, ", zone ");
    value(b, cJSON_GetObjectItemCaseSensitive(root, "zone"));
    cli_buf_puts(b, ", runs ");
    value(b, cJSON_GetObjectItemCaseSensitive(root, "runs"));
    cli_buf_puts(b, ".</p>\n");

    breakdown(b, root);
    section(b, root, "equivalents", "Equivalents");

    cli_buf_puts(b, "<h2>Inputs and their sources</h2>\n<table id=\"inputs\">\n"
                    "<tr><th>input</th><th>value</th><th>source</th></tr>\n");
    arr = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    cJSON_ArrayForEach(it, arr) {
        cli_buf_puts(b, "<tr><td>");
        value(b, cJSON_GetObjectItemCaseSensitive(it, "name"));
        cli_buf_puts(b, "</td><td>");
        value(b, cJSON_GetObjectItemCaseSensitive(it, "value"));
        cli_buf_puts(b, "</td><td>");
        value(b, cJSON_GetObjectItemCaseSensitive(it, "source"));
        cli_buf_puts(b, "</td></tr>\n");
    }
    cli_buf_puts(b, "</table>\n<h2>Assumptions</h2>\n<ul id=\"assumptions\">\n");
    arr = cJSON_GetObjectItemCaseSensitive(root, "assumptions");
    cJSON_ArrayForEach(it, arr) {
        cli_buf_puts(b, "<li>");
        value(b, it);
        cli_buf_puts(b, "</li>\n");
    }
    cli_buf_puts(b, "</ul>\n");
    cli_buf_puts(b, CLI_HTML_MORE);
    section(b, root, "water", "Water");
    section(b, root, "embodied", "Embodied emissions");
    section(b, root, "hardware", "Hardware");
    section(b, root, "carbon", "Carbon intensity");
    section(b, root, "compare", "Against a meter");
    section(b, root, "samples", "Sample logs");
    if (charts && charts[0]) {
        cli_buf_puts(b, "<h2>Charts</h2>\n");
        cli_buf_puts(b, charts);
    }
    cli_html_end(b);
}
