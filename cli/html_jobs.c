/* ecoest jobs --format html: the cluster's totals, then the energy of each
 * group (--by day: per day; --by user: the top users...) stacked by final
 * state, from the --format json report, so both agree. */
#include "html_jobs.h"

#include <math.h>
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

/* The numbers of a JSON array into v (at most max); returns how many (0 when
   one is not a number). */
static size_t numbers(const cJSON *a, double *v, size_t max)
{
    const cJSON *e;
    size_t n = 0;
    cJSON_ArrayForEach(e, a) {
        if (!cJSON_IsNumber(e) || n == max)
            return 0;
        v[n++] = e->valuedouble;
    }
    return n;
}

#define BINS_MAX 64

/* A histogram of the jobs over bins (charts.cpu_efficiency,
   charts.memory_used_frac): the jobs per bin as bars, the energy per bin in
   a table below. */
static void histogram(cli_buf *b, const cJSON *h, const char *id, const char *title,
                      const char *x_what, const char *overflow_label)
{
    double edges[BINS_MAX + 1], jobs[BINS_MAX + 1], energy[BINS_MAX + 1];
    char lab[BINS_MAX + 1][48], note[300];
    const char *labels[BINS_MAX + 1];
    const char *series[] = {"jobs"};
    size_t ne, nj, nen, i, nb;
    const cJSON *over = cJSON_GetObjectItemCaseSensitive(h, "overflow_jobs");
    if (!cJSON_IsObject(h))
        return;
    ne = numbers(cJSON_GetObjectItemCaseSensitive(h, "bin_edges"), edges, BINS_MAX + 1);
    nj = numbers(cJSON_GetObjectItemCaseSensitive(h, "jobs"), jobs, BINS_MAX);
    nen = numbers(cJSON_GetObjectItemCaseSensitive(h, "energy_kwh"), energy, BINS_MAX);
    if (ne < 2 || nj != ne - 1)
        return;
    nb = nj;
    for (i = 0; i < nb; i++) {
        snprintf(lab[i], sizeof lab[i], "%g-%g", edges[i], edges[i + 1]);
        labels[i] = lab[i];
    }
    if (cJSON_IsNumber(over) && overflow_label) {
        const cJSON *oe = cJSON_GetObjectItemCaseSensitive(h, "overflow_energy_kwh");
        snprintf(lab[nb], sizeof lab[nb], "%s %g", overflow_label, edges[ne - 1]);
        labels[nb] = lab[nb];
        jobs[nb] = over->valuedouble;
        energy[nb] = cJSON_IsNumber(oe) ? oe->valuedouble : NAN;
        nb++;
    }
    snprintf(note, sizeof note, "Jobs per bin of %s; the table gives the energy in each bin.",
             x_what);
    cli_chart_bars(b, id, title, "jobs", nb, labels, 1, series, jobs, note);
    cli_buf_printf(b, "<table id=\"%s-table\">\n<tr><th>", id);
    cli_html_escape(b, x_what);
    cli_buf_puts(b, "</th><th>jobs</th><th>energy, kWh</th></tr>\n");
    for (i = 0; i < nb; i++) {
        char n[40];
        cli_buf_puts(b, "<tr><td>");
        cli_html_escape(b, labels[i]);
        cli_num(n, sizeof n, jobs[i]);
        cli_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">", n);
        if ((i < nen || i == nj) && isfinite(energy[i])) {
            cli_num(n, sizeof n, energy[i]);
            cli_buf_puts(b, n);
        } else {
            cli_buf_puts(b, "&#8212;");
        }
        cli_buf_puts(b, "</td></tr>\n");
    }
    cli_buf_puts(b, "</table>\n");
}

/* An edge on a power of 10. */
static int decade(double e)
{
    double l = log10(e);
    return fabs(l - round(l)) < 1e-6;
}

/* charts.measured_vs_estimated: a log-log 2-D histogram with y = x. */
static void measured_vs_estimated(cli_buf *b, const cJSON *m)
{
    double xe[BINS_MAX + 1], ye[BINS_MAX + 1], *counts;
    size_t nx, ny, i, j;
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(m, "counts"), *row;
    if (!cJSON_IsObject(m))
        return;
    nx = numbers(cJSON_GetObjectItemCaseSensitive(m, "x_edges_kwh"), xe, BINS_MAX + 1);
    ny = numbers(cJSON_GetObjectItemCaseSensitive(m, "y_edges_kwh"), ye, BINS_MAX + 1);
    if (nx < 2 || ny < 2 || (size_t)cJSON_GetArraySize(rows) != nx - 1)
        return;
    counts = calloc((nx - 1) * (ny - 1), sizeof *counts);
    if (!counts) {
        b->failed = 1;
        return;
    }
    i = 0;
    cJSON_ArrayForEach(row, rows) {
        if ((size_t)cJSON_GetArraySize(row) != ny - 1 ||
            numbers(row, counts + i * (ny - 1), ny - 1) != ny - 1) {
            free(counts);
            return;
        }
        i++;
    }
    {
        /* the occupied cells, widened to whole decades (the ticks); the same
           range on both axes when they share their edges (y = x stays the
           diagonal) */
        size_t x0 = nx, x1 = 0, y0 = ny, y1 = 0, cx, cy;
        double *sub;
        char note[600];
        const cJSON *out = cJSON_GetObjectItemCaseSensitive(m, "outside_jobs"),
                    *zero = cJSON_GetObjectItemCaseSensitive(m, "zero_jobs");
        for (i = 0; i + 1 < nx; i++)
            for (j = 0; j + 1 < ny; j++)
                if (counts[i * (ny - 1) + j] > 0.0) {
                    x0 = i < x0 ? i : x0;
                    x1 = i + 1 > x1 ? i + 1 : x1;
                    y0 = j < y0 ? j : y0;
                    y1 = j + 1 > y1 ? j + 1 : y1;
                }
        if (x1 == 0) { /* no metered job */
            free(counts);
            return;
        }
        if (nx == ny && memcmp(xe, ye, nx * sizeof *xe) == 0) {
            x0 = y0 = x0 < y0 ? x0 : y0;
            x1 = y1 = x1 > y1 ? x1 : y1;
        }
        while (x0 > 0 && !decade(xe[x0]))
            x0--;
        while (x1 + 1 < nx && !decade(xe[x1]))
            x1++;
        while (y0 > 0 && !decade(ye[y0]))
            y0--;
        while (y1 + 1 < ny && !decade(ye[y1]))
            y1++;
        sub = calloc((x1 - x0) * (y1 - y0), sizeof *sub);
        if (!sub) {
            free(counts);
            b->failed = 1;
            return;
        }
        for (cx = x0; cx < x1; cx++)
            for (cy = y0; cy < y1; cy++)
                sub[(cx - x0) * (y1 - y0) + (cy - y0)] = counts[cx * (ny - 1) + cy];
        snprintf(note, sizeof note,
                 "Each cell counts the jobs whose estimate (x, before PUE) and Slurm's "
                 "ConsumedEnergy (y) fall in it. Below the dashed line the estimate is above "
                 "the meter. Jobs beyond the axes' range, drawn in the end cells: %.0f; jobs "
                 "with 0 on either side, not drawn: %.0f.",
                 cJSON_IsNumber(out) ? out->valuedouble : 0.0,
                 cJSON_IsNumber(zero) ? zero->valuedouble : 0.0);
        cli_chart_loglog(b, "measured_vs_estimated",
                         "Measured against estimated energy per job (the jobs Slurm metered)",
                         "estimated energy per job, kWh (log scale)",
                         "measured energy, kWh (log scale)", x1 - x0, xe + x0, y1 - y0,
                         ye + y0, sub, note);
        free(sub);
    }
    free(counts);
}

/* charts.top_users: the users' energy as bars. */
static void top_users(cli_buf *b, const cJSON *a)
{
    const char *labels[BARS_MAX];
    double v[BARS_MAX];
    const char *series[] = {"energy"};
    const cJSON *u;
    size_t n = 0;
    char note[200];
    cJSON_ArrayForEach(u, a) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(u, "user"),
                    *e = cJSON_GetObjectItemCaseSensitive(u, "energy_kwh");
        if (n == BARS_MAX || !cJSON_IsString(name) || !cJSON_IsNumber(e))
            break;
        labels[n] = name->valuestring;
        v[n++] = e->valuedouble;
    }
    if (n == 0)
        return;
    snprintf(note, sizeof note, "The %zu users with the most energy, the largest first.", n);
    cli_chart_bars(b, "top_users", "Energy of the top users", "energy, kWh", n, labels, 1,
                   series, v, note);
}

/* The charts of root.charts (ecoest jobs' JSON: docs/cluster.md). */
static void extra_charts(cli_buf *b, const cJSON *ch)
{
    if (!cJSON_IsObject(ch))
        return;
    histogram(b, cJSON_GetObjectItemCaseSensitive(ch, "cpu_efficiency"), "cpu_efficiency",
              "Jobs by CPU efficiency (CPU time / (cores x elapsed))", "CPU efficiency", NULL);
    histogram(b, cJSON_GetObjectItemCaseSensitive(ch, "memory_used_frac"), "memory_used_frac",
              "Jobs by memory used / requested (peak RSS / requested memory)",
              "memory used / requested", ">");
    measured_vs_estimated(b, cJSON_GetObjectItemCaseSensitive(ch, "measured_vs_estimated"));
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
    const char *states[STATES_MAX], *shown[STATES_MAX];
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
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(totals, "embodied_co2e_g")))
        cli_html_figure(b, totals, "embodied_co2e_g",
                        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(totals,
                                                                      "embodied_included"))
                            ? "embodied share (in the footprint)"
                            : "embodied share (not in the footprint)",
                        "g CO2e");
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
        /* a RUNNING (or SUSPENDED) job has no final state yet: counted up
           to now, not failed; the legend says so */
        for (k = 0; k < ns; k++)
            shown[k] = strcmp(states[k], "RUNNING") == 0     ? "RUNNING (up to now, not failed)"
                       : strcmp(states[k], "SUSPENDED") == 0 ? "SUSPENDED (up to now, not failed)"
                                                             : states[k];
        snprintf(note, sizeof note, "%zu of %d groups drawn%s.", nb, cJSON_GetArraySize(groups),
                 nb < (size_t)cJSON_GetArraySize(groups) ? " (use --top to choose)" : "");
        cli_buf_puts(b, "<h2>Charts</h2>\n");
        cli_chart_bars(b, "energy_by_state", title, "energy, kWh", nb, labels, ns, shown,
                       values, note);
        top_users(b, cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(root, "charts"), "top_users"));
    } else if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "charts"))) {
        cli_buf_puts(b, "<h2>Charts</h2>\n");
        top_users(b, cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(root, "charts"), "top_users"));
    }
    extra_charts(b, cJSON_GetObjectItemCaseSensitive(root, "charts"));
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
