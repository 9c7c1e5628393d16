/* ecoest jobs --format html: the cluster's totals, then the energy of each
 * group (--by day: per day; --by user: the top users...) stacked by final
 * state, from the --format json report, so both agree. */
#include "html_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "html.h"
#include "report.h"

#define BARS_MAX 60
#define STATES_MAX 16

static const char *const keys[] = {"user", "account", "partition", "state", "day", "month"};

static void label_of(const cJSON *g, char *buf, size_t size, int *dated)
{
    size_t k, len = 0;
    buf[0] = '\0';
    for (k = 0; k < 6; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(g, keys[k]);
        if (!cJSON_IsString(v))
            continue;
        if (k >= 4)
            *dated = 1;
        len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                len ? " " : "", v->valuestring[0] ? v->valuestring : "-");
        if (len >= size)
            break;
    }
}

typedef struct bar {
    char label[128];
    const cJSON *g;
} bar;

static int by_label(const void *a, const void *b)
{
    return strcmp(((const bar *)a)->label, ((const bar *)b)->label);
}

int cli_html_jobs(cli_buf *b, const char *json_text)
{
    cJSON *root = cJSON_Parse(json_text), *groups, *totals, *g;
    bar *bars = NULL;
    const char *states[STATES_MAX];
    const char *labels[BARS_MAX];
    double *values = NULL;
    size_t nb = 0, ns = 0, i, k;
    int dated = 0;
    char title[200], note[300];
    if (!root) {
        b->failed = 1;
        return CLI_EX_SOFTWARE;
    }
    totals = cJSON_GetObjectItemCaseSensitive(root, "totals");
    groups = cJSON_GetObjectItemCaseSensitive(root, "groups");
    cli_html_begin(b, "ecoest jobs: the footprint of a cluster's jobs");
    cli_buf_puts(b, "<div class=\"headline\" id=\"headline\">\n");
    cli_html_figure(b, totals, "co2e_g", "carbon footprint", "g CO2e");
    cli_html_figure(b, totals, "energy_kwh", "energy", "kWh");
    cli_html_figure(b, totals, "jobs", "jobs", "");
    cli_html_figure(b, totals, "cpu_efficiency_frac", "CPU efficiency", "");
    cli_buf_puts(b, "</div>\n");

    bars = calloc(BARS_MAX, sizeof *bars);
    if (!bars)
        goto fail;
    cJSON_ArrayForEach(g, groups) {
        const cJSON *bs, *st;
        if (nb == BARS_MAX)
            break;
        label_of(g, bars[nb].label, sizeof bars[nb].label, &dated);
        bars[nb++].g = g;
        bs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(g, "totals"),
                                              "by_state");
        cJSON_ArrayForEach(st, bs) {
            for (k = 0; k < ns && strcmp(states[k], st->string) != 0; k++)
                ;
            if (k == ns && ns < STATES_MAX)
                states[ns++] = st->string;
        }
    }
    if (nb > 0 && ns > 0) {
        if (dated)
            qsort(bars, nb, sizeof *bars, by_label); /* in time order */
        values = calloc(nb * ns, sizeof *values);
        if (!values)
            goto fail;
        for (i = 0; i < nb; i++) {
            const cJSON *bs = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(bars[i].g, "totals"), "by_state");
            labels[i] = bars[i].label;
            for (k = 0; k < ns; k++) {
                const cJSON *e = cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(bs, states[k]), "energy_kwh");
                values[i * ns + k] = cJSON_IsNumber(e) ? e->valuedouble : 0.0;
            }
        }
        snprintf(title, sizeof title, "Energy per %s, stacked by final state",
                 dated ? "period" : "group (the largest first)");
        snprintf(note, sizeof note, "%zu of %d groups drawn%s.", nb, cJSON_GetArraySize(groups),
                 nb < (size_t)cJSON_GetArraySize(groups) ? " (use --top to choose)" : "");
        cli_buf_puts(b, "<h2>Charts</h2>\n");
        cli_chart_bars(b, "energy_by_state", title, "energy, kWh", nb, labels, ns, states,
                       values, note);
    }
    cli_buf_puts(b, "<h2>Totals</h2>\n");
    cli_html_object(b, totals, "totals");
    cli_buf_puts(b, "<h2>Input</h2>\n");
    cli_html_object(b, cJSON_GetObjectItemCaseSensitive(root, "input"), "input");
    if (nb > 0) {
        cli_buf_puts(b, "<h2>Groups</h2>\n<table id=\"groups\">\n<tr><th>group</th><th>jobs"
                        "</th><th>energy, kWh</th><th>CO2e, g</th><th>CPU efficiency</th></tr>\n");
        for (i = 0; i < nb; i++) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(bars[i].g, "totals");
            static const char *const cols[] = {"jobs", "energy_kwh", "co2e_g",
                                               "cpu_efficiency_frac"};
            cli_buf_puts(b, "<tr><td>");
            cli_html_escape(b, bars[i].label);
            cli_buf_puts(b, "</td>");
            for (k = 0; k < 4; k++) {
                char n[40];
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, cols[k]);
                cli_num(n, sizeof n, cJSON_IsNumber(v) ? v->valuedouble : 0.0);
                cli_buf_printf(b, "<td class=\"n\">%s</td>", n);
            }
            cli_buf_puts(b, "</tr>\n");
        }
        cli_buf_puts(b, "</table>\n");
    }
    cli_html_end(b);
    free(values);
    free(bars);
    cJSON_Delete(root);
    return b->failed ? CLI_EX_SOFTWARE : 0;
fail:
    free(values);
    free(bars);
    cJSON_Delete(root);
    b->failed = 1;
    return CLI_EX_SOFTWARE;
}
