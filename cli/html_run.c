/* ecoest run --format html (see html_run.h): the estimate's page, which
 * already holds the charts of the run's log, plus what the run measured. */
#include "html_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report.h"

static void num_cell(cli_buf *b, const cJSON *o, const char *key, const char *data_key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    char n[40];
    cli_buf_printf(b, "<td class=\"n\" data-key=\"%s\">", data_key);
    if (cJSON_IsRaw(v) && strcmp(v->valuestring, "null") != 0) {
        cli_html_escape(b, v->valuestring); /* cli_json_add_num's digits */
    } else if (cJSON_IsNumber(v)) {
        cli_num(n, sizeof n, v->valuedouble);
        cli_buf_puts(b, n);
    } else {
        cli_buf_puts(b, "&#8212;");
    }
    cli_buf_puts(b, "</td>");
}

static void str_text(cli_buf *b, const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v))
        cli_html_escape(b, v->valuestring);
    else
        cli_buf_puts(b, "&#8212;");
}

/* run.measured: each measured component beside the model's estimate. */
static void measured(cli_buf *b, const cJSON *m)
{
    static const char *const parts[] = {"cpu", "gpu", "cpu_gpu"};
    size_t i;
    int any = 0;
    for (i = 0; i < 3; i++) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, parts[i]);
        char k[64];
        if (!cJSON_IsObject(p))
            continue;
        if (!any)
            cli_buf_puts(b, "<h3>Measured against the model</h3>\n<table id=\"measured\">\n"
                            "<tr><th>part</th><th>measured, kWh</th><th>model, kWh</th>"
                            "<th>model / measured</th><th>how</th></tr>\n");
        any = 1;
        cli_buf_puts(b, "<tr><td>");
        cli_html_escape(b, parts[i]);
        cli_buf_puts(b, "</td>");
        snprintf(k, sizeof k, "run.measured.%s.measured_kwh", parts[i]);
        num_cell(b, p, "measured_kwh", k);
        snprintf(k, sizeof k, "run.measured.%s.model_kwh", parts[i]);
        num_cell(b, p, "model_kwh", k);
        snprintf(k, sizeof k, "run.measured.%s.ratio", parts[i]);
        num_cell(b, p, "ratio", k);
        cli_buf_puts(b, "<td class=\"note\">measured: ");
        str_text(b, p, "measured_by");
        cli_buf_puts(b, "; model: ");
        str_text(b, p, "model");
        cli_buf_puts(b, "</td>");
        cli_buf_puts(b, "</tr>\n");
    }
    if (any) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "note");
        cli_buf_puts(b, "</table>\n<p class=\"note\">");
        if (cJSON_IsString(n))
            cli_html_escape(b, n->valuestring);
        cli_buf_puts(b, "</p>\n");
    }
}

static void section(cli_buf *b, const cJSON *run)
{
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(run, "command"), *a;
    cJSON *flat;
    cli_buf_puts(b, "<h2 id=\"run\">The run</h2>\n<p id=\"command\">Command: <code>");
    cJSON_ArrayForEach(a, cmd) {
        if (!cJSON_IsString(a))
            continue;
        cli_html_escape(b, a->valuestring);
        if (a->next)
            cli_buf_puts(b, " ");
    }
    cli_buf_puts(b, "</code></p>\n<div class=\"headline\" id=\"run-headline\">\n");
    cli_html_figure(b, run, "exit_status", "exit status", "");
    cli_html_figure(b, run, "duration_s", "duration", "s");
    cli_html_figure(b, run, "cpu_s", "CPU time measured", "CPU-s");
    cli_html_figure(b, run, "memory_peak_gb", "memory, peak", "GB");
    cli_html_figure(b, run, "rapl_energy_kwh", "CPU packages (RAPL)", "kWh");
    cli_buf_puts(b, "</div>\n");
    measured(b, cJSON_GetObjectItemCaseSensitive(run, "measured"));
    /* every other member, as tables (the measured part is above) */
    flat = cJSON_Duplicate(run, 1);
    if (!flat) {
        b->failed = 1;
        return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(flat, "measured");
    cli_buf_puts(b, "<h3>What was measured, and how</h3>\n");
    cli_html_object(b, flat, "run");
    cJSON_Delete(flat);
}

char *cli_html_run_page(const char *page, const cJSON *run)
{
    const char *at = page ? strstr(page, CLI_HTML_MORE) : NULL;
    cli_buf b = {0};
    if (!at || !run)
        return NULL;
    cli_buf_printf(&b, "%.*s", (int)(at - page), page);
    section(&b, run);
    cli_buf_puts(&b, at);
    if (b.failed) {
        cli_buf_free(&b);
        return NULL;
    }
    return b.data; /* the buffer's own malloc'd text */
}
