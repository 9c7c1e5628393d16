/* The charts of a sample log for --format html: the logs are read again
 * through the library's reader (on_row), each value reduced at once to its
 * pixel column, so memory is constant and the page's size does not depend
 * on the number of rows. */
#include "html_samples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "samples_mode.h"

enum { S_CPU, S_CPU_USAGE, S_MEM, S_NODE, S_GPU0 };
#define S_MAX (S_GPU0 + 2 * EST_SAMPLES_GPUS_MAX)

typedef struct ctx {
    cli_chart chart;
    cli_chart_series *s; /* S_MAX */
    const cli_report *r;
    double max_gap_s;
    unsigned long long rows;
} ctx;

static void on_row(void *user, double t, const est_sample *v, size_t n)
{
    ctx *c = user;
    const cli_report *r = c->r;
    size_t i;
    c->rows++;
    for (i = 0; i < n; i++) {
        double x;
        unsigned d = v[i].device < EST_SAMPLES_GPUS_MAX ? v[i].device : 0;
        size_t k;
        /* the model's power of the sample; the GPUs' TDP is the model's (one
           model for all) */
        if (est_samples_sample_power_w(&x, &v[i], r->cpu.tdp_w,
                                       r->gpu.present ? r->gpu.tdp_w : 0.0,
                                       r->used.memory_w_per_gb))
            continue;
        switch (v[i].kind) {
        case EST_SAMPLES_CPU_PACKAGE_POWER_W: k = S_CPU; break;
        case EST_SAMPLES_CPU_USAGE_FRAC: k = S_CPU_USAGE; break;
        case EST_SAMPLES_RAM_USED_GB: k = S_MEM; break;
        case EST_SAMPLES_NODE_POWER_W: k = S_NODE; break;
        case EST_SAMPLES_GPU_POWER_W: k = S_GPU0 + 2 * d; break;
        case EST_SAMPLES_GPU_USAGE_FRAC: k = S_GPU0 + 2 * d + 1; break;
        default: continue;
        }
        cli_chart_add(&c->chart, &c->s[k], t, x, c->max_gap_s);
    }
}

static int has_data(const cli_chart_series *s, size_t ncols)
{
    size_t i;
    for (i = 0; i < ncols; i++)
        if (s->n[i])
            return 1;
    return 0;
}

int cli_html_samples_charts(const cli_samples_opts *so, const cli_report *r, cli_buf *out)
{
    ctx c;
    cli_chart_series *shown = NULL, *energy = NULL;
    size_t k, i, ns = 0;
    int rc;
    char note[600], title[200];
    double colw_s, cum = 0.0;
    const est_samples_result *res;

    if (!r->samples)
        return 0;
    res = &r->samples->res;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.max_gap_s = so->have_max_gap ? so->max_gap_s : 0.0;
    c.chart.x0 = res->start_unix_s;
    c.chart.x1 = res->end_unix_s;
    c.chart.ncols = CLI_CHART_COLS;
    c.s = calloc(S_MAX, sizeof *c.s);
    shown = calloc(S_MAX, sizeof *shown);
    energy = calloc(1, sizeof *energy);
    if (!c.s || !shown || !energy) {
        rc = CLI_EX_SOFTWARE;
        goto done;
    }
    if (!(c.chart.x1 > c.chart.x0)) {
        rc = 0;
        goto done;
    }
    rc = cli_samples_each_row(so, on_row, &c);
    if (rc)
        goto done;
    /* the power per device: the measured power where the log has it, else
       the usage x TDP */
    for (k = 0; k < S_MAX; k++) {
        const cli_chart_series *src = &c.s[k];
        if (k == S_CPU_USAGE && has_data(&c.s[S_CPU], CLI_CHART_COLS))
            continue;
        if (k >= S_GPU0 && (k - S_GPU0) % 2 == 1 && has_data(&c.s[k - 1], CLI_CHART_COLS))
            continue;
        if (!has_data(src, CLI_CHART_COLS))
            continue;
        shown[ns] = *src;
        if (k == S_CPU)
            snprintf(shown[ns].name, sizeof shown[ns].name, "CPU (package, measured)");
        else if (k == S_CPU_USAGE)
            snprintf(shown[ns].name, sizeof shown[ns].name, "CPU (usage x TDP)");
        else if (k == S_MEM)
            snprintf(shown[ns].name, sizeof shown[ns].name, "memory (used GB x W/GB)");
        else if (k == S_NODE)
            snprintf(shown[ns].name, sizeof shown[ns].name, "node (meter)");
        else
            snprintf(shown[ns].name, sizeof shown[ns].name, "GPU %zu%s", (k - S_GPU0) / 2,
                     (k - S_GPU0) % 2 ? " (usage x TDP)" : "");
        ns++;
    }
    if (ns == 0) {
        rc = 0;
        goto done;
    }
    colw_s = (c.chart.x1 - c.chart.x0) / (double)CLI_CHART_COLS;
    snprintf(note, sizeof note,
             "Reduced: %llu rows drawn over %d pixel columns of %.3g s each; the line is each "
             "column's mean, the shaded envelope its min..max. Gaps in a log are left blank.%s",
             c.rows, CLI_CHART_COLS, colw_s,
             r->gpu.idle_known && r->gpu.idle_w > 0.0 ? " The grey band is one GPU's idle "
                                                        "power." : "");
    c.chart.id = "power";
    c.chart.title = "Power over time, per device";
    c.chart.y_label = "power, W";
    c.chart.series = shown;
    c.chart.n_series = ns;
    if (r->gpu.present && r->gpu.idle_known && r->gpu.idle_w > 0.0) {
        c.chart.band_lo = 0.0;
        c.chart.band_hi = r->gpu.idle_w;
        c.chart.band_label = "GPU idle";
    }
    c.chart.note = note;
    cli_chart_svg(out, &c.chart);

    /* the cumulative energy of the devices drawn (the node meter apart),
       from the columns' means; the report's figures are the exact
       integrals */
    snprintf(energy->name, sizeof energy->name, "devices drawn above, summed");
    for (i = 0; i < CLI_CHART_COLS; i++) {
        double p = 0.0;
        int any = 0;
        for (k = 0; k < ns; k++)
            if (shown[k].n[i] && strncmp(shown[k].name, "node", 4) != 0) {
                p += shown[k].sum[i] / (double)shown[k].n[i];
                any = 1;
            }
        if (!any) {
            if (i + 1 < CLI_CHART_COLS)
                energy->brk[i + 1] = 1;
            continue;
        }
        cum += p * colw_s / 3.6e6;
        energy->min[i] = energy->max[i] = energy->sum[i] = cum;
        energy->n[i] = 1;
    }
    snprintf(title, sizeof title, "Cumulative energy of the devices (before PUE)");
    memset(&c.chart.band_lo, 0, sizeof c.chart.band_lo);
    c.chart.band_hi = 0.0;
    c.chart.band_label = NULL;
    c.chart.id = "energy";
    c.chart.title = title;
    c.chart.y_label = "energy, kWh";
    c.chart.series = energy;
    c.chart.n_series = 1;
    c.chart.note = "From the columns' mean powers (reduced); the report above gives the exact "
                   "integrals. Columns with no data add nothing.";
    cli_chart_svg(out, &c.chart);
    rc = 0;
done:
    free(c.s);
    free(shown);
    free(energy);
    return rc;
}
