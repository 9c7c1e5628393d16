/* Charts as inline SVG, written by ecoest (no JavaScript library): the
 * charts of the HTML report. A series is reduced to min/mean/max per pixel
 * column, so the SVG's size grows with the columns, not with the rows. */
#ifndef ECOEST_CLI_CHART_H
#define ECOEST_CLI_CHART_H

#include <stddef.h>

#include "cli.h"
#include "ecoest/samples.h"

#define CLI_CHART_COLS 800

/* One series reduced to columns: n = 0 in a column is no data; brk[c] set:
   a gap ends just before column c (the line is not drawn across it). */
typedef struct cli_chart_series {
    char name[64];
    double min[CLI_CHART_COLS], max[CLI_CHART_COLS], sum[CLI_CHART_COLS];
    unsigned long n[CLI_CHART_COLS];
    unsigned char brk[CLI_CHART_COLS];
    double last_t;           /* gap detection while adding: */
    double warm[EST_SAMPLES_WARMUP_STEPS]; /* the first steps, */
    unsigned n_warm;         /* whose median x 3 is the largest bridged step, as
                                the library's default (--max-gap) */
} cli_chart_series;

typedef struct cli_chart {
    const char *id;       /* data-chart */
    const char *title;
    const char *y_label;  /* with its unit, "power, W" */
    double x0, x1;        /* Unix seconds */
    size_t ncols;         /* <= CLI_CHART_COLS */
    size_t n_series;
    cli_chart_series *series;
    double band_lo, band_hi; /* a shaded band (band_hi > band_lo), e.g. GPU idle */
    const char *band_label;
    double win_x0, win_x1; /* a shaded time window (win_x1 > win_x0), e.g. the run */
    const char *win_label;
    const char *note;     /* below the chart (escaped), or NULL */
} cli_chart;

/* Adds a value at time t to s (max_gap_s 0: a step over 3 x the median of
   the first EST_SAMPLES_WARMUP_STEPS steps, or of those so far, is a gap:
   the library's default rule). */
void cli_chart_add(const cli_chart *c, cli_chart_series *s, double t, double v, double max_gap_s);

/* Writes the chart as <figure><svg data-chart=ID data-series=N>...</svg>
   <figcaption>. */
void cli_chart_svg(cli_buf *b, const cli_chart *c);

/* Stacked bars: ncat categories (labels) of nstack parts each (values,
   category-major: values[cat * nstack + part]); data-series = nstack. */
void cli_chart_bars(cli_buf *b, const char *id, const char *title, const char *y_label,
                    size_t ncat, const char *const *labels, size_t nstack,
                    const char *const *stack_names, const double *values, const char *note);

/* A log-log 2-D histogram: nx x ny cells between the edges (nx + 1 and
   ny + 1 values, all > 0, increasing), counts[ix * ny + iy] jobs in each;
   darker for more; the line y = x dashed (data-line="y=x");
   data-series = 1. Nothing when the edges are not usable. */
void cli_chart_loglog(cli_buf *b, const char *id, const char *title, const char *x_label,
                      const char *y_label, size_t nx, const double *x_edges, size_t ny,
                      const double *y_edges, const double *counts, const char *note);

#endif
