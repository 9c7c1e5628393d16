/* Inline SVG line charts (see chart.h). */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "report.h"

static const char *const colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

/* The median of n sorted values. */
void cli_chart_add(const cli_chart *c, cli_chart_series *s, double t, double v, double max_gap_s)
{
    double f;
    size_t col;
    unsigned i;
    if (!isfinite(v) || !isfinite(t) || c->x1 <= c->x0 || t < c->x0 || t > c->x1)
        return;
    f = (t - c->x0) / (c->x1 - c->x0) * (double)c->ncols;
    col = f >= (double)c->ncols ? c->ncols - 1 : (size_t)f;
    if (s->last_t > 0.0 && t > s->last_t) {
        double step = t - s->last_t, gap = max_gap_s;
        if (!(gap > 0.0) && s->n_warm > 0)
            gap = est_samples_default_max_gap_s(s->warm, s->n_warm);
        if (gap > 0.0 && step > gap)
            s->brk[col] = 1;
        if (s->n_warm < EST_SAMPLES_WARMUP_STEPS) { /* kept sorted */
            for (i = s->n_warm++; i > 0 && s->warm[i - 1] > step; i--)
                s->warm[i] = s->warm[i - 1];
            s->warm[i] = step;
        }
    }
    s->last_t = t;
    if (s->n[col] == 0 || v < s->min[col])
        s->min[col] = v;
    if (s->n[col] == 0 || v > s->max[col])
        s->max[col] = v;
    s->sum[col] += v;
    s->n[col]++;
}

/* A step of 1, 2 or 5 x 10^k giving about 5 ticks over span. */
static double nice_step(double span)
{
    double raw = span / 5.0, p, m;
    if (!(raw > 0.0))
        return 1.0;
    p = pow(10.0, floor(log10(raw)));
    m = raw / p;
    return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}

/* A tick label with as many decimals as the step needs. */
static void tick(char *buf, size_t size, double v, double step)
{
    int dec = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(buf, size, "%.*f", dec > 9 ? 9 : dec, round(v / step) * step);
}

#define W 900.0
#define H 340.0
#define ML 70.0
#define MR 20.0
#define MT 30.0
#define MB 50.0

void cli_chart_svg(cli_buf *b, const cli_chart *c)
{
    double ymax = 0.0, step, span = c->x1 - c->x0, xs, xstep, y, pw = W - ML - MR,
           ph = H - MT - MB;
    const char *xunit;
    size_t i, k;
    for (k = 0; k < c->n_series; k++)
        for (i = 0; i < c->ncols; i++)
            if (c->series[k].n[i] && c->series[k].max[i] > ymax)
                ymax = c->series[k].max[i];
    if (c->band_hi > ymax)
        ymax = c->band_hi;
    step = nice_step(ymax > 0.0 ? ymax : 1.0);
    ymax = ceil((ymax > 0.0 ? ymax : 1.0) / step) * step;
    /* x in minutes under two hours, else hours, else days */
    if (span < 7200.0) {
        xs = 60.0;
        xunit = "min";
    } else if (span < 3.0 * 86400.0) {
        xs = 3600.0;
        xunit = "h";
    } else {
        xs = 86400.0;
        xunit = "days";
    }
    xstep = nice_step(span / xs);
#define PX(t) (ML + ((t) - c->x0) / (span > 0.0 ? span : 1.0) * pw)
#define PY(v) (MT + ph - (v) / ymax * ph)
    cli_buf_printf(b, "<figure class=\"chart\">\n<svg "
                      "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                      "data-chart=\"%s\" data-series=\"%zu\" font-family=\"sans-serif\" "
                      "font-size=\"12\">\n<title>",
                   W, H, W, H, c->id, c->n_series);
    cli_html_escape(b, c->title);
    cli_buf_puts(b, "</title>\n<text x=\"450\" y=\"18\" text-anchor=\"middle\" "
                    "font-size=\"14\" font-weight=\"bold\">");
    cli_html_escape(b, c->title);
    cli_buf_puts(b, "</text>\n");
    if (c->band_hi > c->band_lo)
        cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                          "fill=\"#999\" fill-opacity=\"0.18\" data-band=\"1\"/>\n",
                       ML, PY(c->band_hi), pw, PY(c->band_lo) - PY(c->band_hi));
    if (c->win_x1 > c->win_x0) {
        double a = c->win_x0 < c->x0 ? c->x0 : c->win_x0, z = c->win_x1 > c->x1 ? c->x1 : c->win_x1;
        cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                          "fill=\"#2a7\" fill-opacity=\"0.12\" data-window=\"1\"/>\n",
                       PX(a), MT, PX(z) - PX(a), ph);
        if (c->win_label) {
            cli_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#175\">", PX(a) + 4.0,
                           MT + ph - 6.0);
            cli_html_escape(b, c->win_label);
            cli_buf_puts(b, "</text>\n");
        }
    }
    /* grid and ticks */
    for (y = 0.0; y <= ymax * (1.0 + 1e-9); y += step) {
        char n[40];
        tick(n, sizeof n, y, step);
        cli_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                          "%s</text>\n",
                       ML, ML + pw, PY(y), PY(y), ML - 6.0, PY(y) + 4.0, n);
    }
    for (y = 0.0; y * xs <= span * (1.0 + 1e-9); y += xstep) {
        char n[40];
        double px = PX(c->x0 + y * xs);
        tick(n, sizeof n, y, xstep);
        cli_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#eee\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                          "%s</text>\n",
                       px, px, MT, MT + ph, px, MT + ph + 16.0, n);
    }
    cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                      "stroke=\"#444\"/>\n",
                   ML, MT, pw, ph);
    cli_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time since the start, "
                      "%s</text>\n",
                   ML + pw / 2.0, H - 12.0, xunit);
    cli_buf_printf(b, "<text transform=\"translate(16 %.1f) rotate(-90)\" "
                      "text-anchor=\"middle\">",
                   MT + ph / 2.0);
    cli_html_escape(b, c->y_label);
    cli_buf_puts(b, "</text>\n");
    /* the series: min..max envelope and the mean line, broken at gaps */
    for (k = 0; k < c->n_series; k++) {
        const cli_chart_series *s = &c->series[k];
        const char *col = colours[k % (sizeof colours / sizeof colours[0])];
        double cw = pw / (double)c->ncols;
        int open = 0;
        cli_buf_puts(b, "<g data-series-name=\"");
        cli_html_escape(b, s->name);
        cli_buf_printf(b, "\">\n<path fill=\"%s\" fill-opacity=\"0.2\" stroke=\"none\" d=\"", col);
        for (i = 0; i < c->ncols; i++) {
            if (!s->n[i])
                continue;
            cli_buf_printf(b, "M%.1f %.1fh%.1fV%.1fh%.1fz", ML + (double)i * cw, PY(s->max[i]),
                           cw, PY(s->min[i]), -cw);
        }
        cli_buf_printf(b, "\"/>\n<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"",
                       col);
        for (i = 0; i < c->ncols; i++) {
            if (!s->n[i])
                continue;
            cli_buf_printf(b, "%c%.1f %.1f", open && !s->brk[i] ? 'L' : 'M',
                           ML + ((double)i + 0.5) * cw, PY(s->sum[i] / (double)s->n[i]));
            open = 1;
        }
        cli_buf_puts(b, "\"/>\n</g>\n");
    }
    /* legend */
    for (k = 0; k < c->n_series; k++) {
        double lx = ML + 10.0 + (double)(k % 4) * 200.0, ly = MT + 14.0 + (double)(k / 4) * 16.0;
        cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"4\" fill=\"%s\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\">",
                       lx, ly - 4.0, colours[k % (sizeof colours / sizeof colours[0])],
                       lx + 16.0, ly);
        cli_html_escape(b, c->series[k].name);
        cli_buf_puts(b, "</text>\n");
    }
    if (c->band_hi > c->band_lo && c->band_label) {
        cli_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#666\">",
                       ML + pw - 6.0, PY(c->band_hi) - 4.0);
        cli_html_escape(b, c->band_label);
        cli_buf_puts(b, "</text>\n");
    }
    cli_buf_puts(b, "</svg>\n<figcaption class=\"note\">");
    if (c->note)
        cli_html_escape(b, c->note);
    cli_buf_puts(b, "</figcaption>\n</figure>\n");
#undef PX
#undef PY
}

void cli_chart_bars(cli_buf *b, const char *id, const char *title, const char *y_label,
                    size_t ncat, const char *const *labels, size_t nstack,
                    const char *const *stack_names, const double *values, const char *note)
{
    double ymax = 0.0, step, y, pw = W - ML - MR, ph = H - MT - MB - 40.0, bw;
    size_t i, k;
    for (i = 0; i < ncat; i++) {
        double t = 0.0;
        for (k = 0; k < nstack; k++)
            t += values[i * nstack + k] > 0.0 ? values[i * nstack + k] : 0.0;
        if (t > ymax)
            ymax = t;
    }
    step = nice_step(ymax > 0.0 ? ymax : 1.0);
    ymax = ceil((ymax > 0.0 ? ymax : 1.0) / step) * step;
    bw = ncat ? pw / (double)ncat : pw;
#define BY(v) (MT + ph - (v) / ymax * ph)
    cli_buf_printf(b, "<figure class=\"chart\">\n<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                      "height=\"%.0f\" role=\"img\" data-chart=\"%s\" data-series=\"%zu\" "
                      "font-family=\"sans-serif\" font-size=\"12\">\n<title>",
                   W, H, W, H, id, nstack);
    cli_html_escape(b, title);
    cli_buf_puts(b, "</title>\n<text x=\"450\" y=\"18\" text-anchor=\"middle\" "
                    "font-size=\"14\" font-weight=\"bold\">");
    cli_html_escape(b, title);
    cli_buf_puts(b, "</text>\n");
    for (y = 0.0; y <= ymax * (1.0 + 1e-9); y += step) {
        char n[40];
        tick(n, sizeof n, y, step);
        cli_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                          "%s</text>\n",
                       ML, ML + pw, BY(y), BY(y), ML - 6.0, BY(y) + 4.0, n);
    }
    for (k = 0; k < nstack; k++) {
        cli_buf_puts(b, "<g data-series-name=\"");
        cli_html_escape(b, stack_names[k]);
        cli_buf_printf(b, "\" fill=\"%s\">\n", colours[k % (sizeof colours / sizeof colours[0])]);
        for (i = 0; i < ncat; i++) {
            double base = 0.0, v = values[i * nstack + k];
            size_t j;
            if (!(v > 0.0))
                continue;
            for (j = 0; j < k; j++)
                base += values[i * nstack + j] > 0.0 ? values[i * nstack + j] : 0.0;
            cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                           ML + (double)i * bw + bw * 0.1, BY(base + v), bw * 0.8,
                           BY(base) - BY(base + v));
        }
        cli_buf_puts(b, "</g>\n");
    }
    for (i = 0; i < ncat; i++) {
        double x = ML + ((double)i + 0.5) * bw, yy = MT + ph + 12.0;
        cli_buf_printf(b, "<text transform=\"translate(%.1f %.1f) rotate(-35)\" "
                          "text-anchor=\"end\" font-size=\"10\">", x, yy);
        cli_html_escape(b, labels[i]);
        cli_buf_puts(b, "</text>\n");
    }
    cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                      "stroke=\"#444\"/>\n", ML, MT, pw, ph);
    cli_buf_printf(b, "<text transform=\"translate(16 %.1f) rotate(-90)\" "
                      "text-anchor=\"middle\">", MT + ph / 2.0);
    cli_html_escape(b, y_label);
    cli_buf_puts(b, "</text>\n");
    for (k = 0; k < nstack; k++) {
        double lx = ML + 10.0 + (double)(k % 6) * 130.0, ly = MT + 14.0 + (double)(k / 6) * 16.0;
        cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\">", lx, ly - 9.0,
                       colours[k % (sizeof colours / sizeof colours[0])], lx + 14.0, ly);
        cli_html_escape(b, stack_names[k]);
        cli_buf_puts(b, "</text>\n");
    }
    cli_buf_puts(b, "</svg>\n<figcaption class=\"note\">");
    if (note)
        cli_html_escape(b, note);
    cli_buf_puts(b, "</figcaption>\n</figure>\n");
#undef BY
}

/* A tick label of a log axis: 10^k written plainly (0.001, 1, 1000), or
   as 1e-7 beyond that. */
static void log_tick(char *buf, size_t size, int k)
{
    if (k >= -4 && k <= 5)
        snprintf(buf, size, "%.*f", k < 0 ? -k : 0, pow(10.0, k));
    else
        snprintf(buf, size, "1e%d", k);
}

void cli_chart_loglog(cli_buf *b, const char *id, const char *title, const char *x_label,
                      const char *y_label, size_t nx, const double *x_edges, size_t ny,
                      const double *y_edges, const double *counts, const char *note)
{
    double pw = W - ML - MR, ph = H - MT - MB, lx0, lx1, ly0, ly1, cmax = 0.0, total = 0.0;
    double a, z;
    size_t i, j;
    int k;
    if (nx == 0 || ny == 0 || !(x_edges[0] > 0.0) || !(y_edges[0] > 0.0) ||
        !(x_edges[nx] > x_edges[0]) || !(y_edges[ny] > y_edges[0]))
        return;
    lx0 = log10(x_edges[0]);
    lx1 = log10(x_edges[nx]);
    ly0 = log10(y_edges[0]);
    ly1 = log10(y_edges[ny]);
    for (i = 0; i < nx * ny; i++) {
        if (counts[i] > cmax)
            cmax = counts[i];
        total += counts[i] > 0.0 ? counts[i] : 0.0;
    }
#define LX(v) (ML + (log10(v) - lx0) / (lx1 - lx0) * pw)
#define LY(v) (MT + ph - (log10(v) - ly0) / (ly1 - ly0) * ph)
    cli_buf_printf(b, "<figure class=\"chart\">\n<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                      "height=\"%.0f\" role=\"img\" data-chart=\"%s\" data-series=\"1\" "
                      "font-family=\"sans-serif\" font-size=\"12\">\n<title>",
                   W, H, W, H, id);
    cli_html_escape(b, title);
    cli_buf_puts(b, "</title>\n<text x=\"450\" y=\"18\" text-anchor=\"middle\" "
                    "font-size=\"14\" font-weight=\"bold\">");
    cli_html_escape(b, title);
    cli_buf_puts(b, "</text>\n");
    /* decade grid and ticks */
    for (k = (int)ceil(lx0 - 1e-9); k <= (int)floor(lx1 + 1e-9); k++) {
        char n[40];
        double px = ML + ((double)k - lx0) / (lx1 - lx0) * pw;
        log_tick(n, sizeof n, k);
        cli_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#eee\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                          "%s</text>\n",
                       px, px, MT, MT + ph, px, MT + ph + 16.0, n);
    }
    for (k = (int)ceil(ly0 - 1e-9); k <= (int)floor(ly1 + 1e-9); k++) {
        char n[40];
        double py = MT + ph - ((double)k - ly0) / (ly1 - ly0) * ph;
        log_tick(n, sizeof n, k);
        cli_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                          "%s</text>\n",
                       ML, ML + pw, py, py, ML - 6.0, py + 4.0, n);
    }
    /* the cells: darker for more jobs (log scale of the count) */
    cli_buf_puts(b, "<g data-series-name=\"jobs\" fill=\"#1f77b4\">\n");
    for (i = 0; i < nx; i++)
        for (j = 0; j < ny; j++) {
            double c = counts[i * ny + j];
            if (!(c > 0.0))
                continue;
            cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                              "fill-opacity=\"%.2f\" data-count=\"%.0f\"/>\n",
                           LX(x_edges[i]), LY(y_edges[j + 1]),
                           LX(x_edges[i + 1]) - LX(x_edges[i]),
                           LY(y_edges[j]) - LY(y_edges[j + 1]),
                           0.25 + 0.75 * (cmax > 1.0 ? log(c) / log(cmax) : 1.0), c);
        }
    cli_buf_puts(b, "</g>\n");
    /* y = x where both ranges meet */
    a = x_edges[0] > y_edges[0] ? x_edges[0] : y_edges[0];
    z = x_edges[nx] < y_edges[ny] ? x_edges[nx] : y_edges[ny];
    if (z > a)
        cli_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d62728\" "
                          "stroke-width=\"1.5\" stroke-dasharray=\"6 4\" data-line=\"y=x\"/>\n",
                       LX(a), LY(a), LX(z), LY(z));
    cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                      "stroke=\"#444\"/>\n", ML, MT, pw, ph);
    cli_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", ML + pw / 2.0,
                   H - 12.0);
    cli_html_escape(b, x_label);
    cli_buf_printf(b, "</text>\n<text transform=\"translate(16 %.1f) rotate(-90)\" "
                      "text-anchor=\"middle\">", MT + ph / 2.0);
    cli_html_escape(b, y_label);
    cli_buf_puts(b, "</text>\n");
    /* legend */
    cli_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"#1f77b4\" "
                      "fill-opacity=\"0.25\"/><rect x=\"%.1f\" y=\"%.1f\" width=\"10\" "
                      "height=\"10\" fill=\"#1f77b4\"/><text x=\"%.1f\" y=\"%.1f\">jobs per cell "
                      "(1 to %.0f; %.0f jobs)</text>\n",
                   ML + 10.0, MT + 5.0, ML + 22.0, MT + 5.0, ML + 38.0, MT + 14.0, cmax, total);
    cli_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d62728\" "
                      "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" "
                      "y=\"%.1f\">y = x: the estimate equals the meter</text>\n",
                   ML + 10.0, ML + 32.0, MT + 26.0, MT + 26.0, ML + 38.0, MT + 30.0);
    cli_buf_puts(b, "</svg>\n<figcaption class=\"note\">");
    if (note)
        cli_html_escape(b, note);
    cli_buf_puts(b, "</figcaption>\n</figure>\n");
#undef LX
#undef LY
}
