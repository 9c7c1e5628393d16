/* ecoest carbon --format html: the intensity series with its daily means and
 * the run window (one self-contained page, see html.h). */
#include "html_carbon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "html.h"

/* The mean of the UTC day holding t, from the report's daily means (NaN
   when the day is not there). */
static double day_mean(const cli_carbon *c, double t)
{
    char date[16];
    time_t tt = (time_t)floor(t);
    struct tm tm;
    size_t i;
    if (!gmtime_r(&tt, &tm) || strftime(date, sizeof date, "%Y-%m-%d", &tm) == 0)
        return NAN;
    for (i = 0; i < c->n_daily; i++)
        if (strcmp(c->daily[i].date, date) == 0)
            return c->daily[i].mean_g_co2e_per_kwh >= 0.0 ? c->daily[i].mean_g_co2e_per_kwh
                                                          : NAN;
    return NAN;
}

void cli_html_intensity_chart(cli_buf *b, const cli_carbon *c, const est_carbon_series *s)
{
    cli_chart ch;
    cli_chart_series *ser;
    char note[300];
    size_t i;
    if (!s || s->n_points == 0)
        return;
    ser = calloc(2, sizeof *ser);
    if (!ser) {
        b->failed = 1;
        return;
    }
    memset(&ch, 0, sizeof ch);
    ch.id = "intensity";
    ch.title = "Carbon intensity over time, with the daily means";
    ch.y_label = "carbon intensity, g CO2e/kWh";
    ch.x0 = s->points[0].t_unix_s;
    ch.x1 = s->points[s->n_points - 1].t_unix_s + s->points[s->n_points - 1].dur_s;
    ch.ncols = CLI_CHART_COLS;
    ch.series = ser;
    ch.n_series = 2;
    snprintf(ser[0].name, sizeof ser[0].name, "intensity (%s)", c->source);
    snprintf(ser[1].name, sizeof ser[1].name, "daily mean over the run's hours");
    for (i = 0; i < s->n_points; i++) {
        const est_intensity_point *p = &s->points[i];
        double dm = day_mean(c, p->t_unix_s);
        cli_chart_add(&ch, &ser[0], p->t_unix_s, p->g_co2e_per_kwh, 0.0);
        if (isfinite(dm))
            cli_chart_add(&ch, &ser[1], p->t_unix_s, dm, 0.0);
    }
    if (c->has_window) {
        ch.win_x0 = c->start_unix_s;
        ch.win_x1 = c->end_unix_s;
        ch.win_label = "the run";
    }
    snprintf(note, sizeof note,
             "%zu points over whole UTC days; the green band is the run's window (%s to %s). "
             "Gaps in the data are left blank.",
             s->n_points, c->start, c->end);
    ch.note = note;
    cli_chart_svg(b, &ch);
    free(ser);
}

int cli_html_carbon(cli_buf *b, const cli_carbon *c, const est_carbon_series *s, cJSON *json)
{
    char title[200];
    if (!json) {
        b->failed = 1;
        return CLI_EX_SOFTWARE;
    }
    snprintf(title, sizeof title, "ecoest: the carbon intensity of %s", c->zone);
    cli_html_begin(b, title);
    cli_buf_puts(b, "<div class=\"headline\" id=\"headline\">\n");
    cli_html_figure(b, json, "mean_g_co2e_per_kwh", "mean over the window", "g CO2e/kWh");
    cli_html_figure(b, json, "coverage_frac", "coverage of the window", "");
    cli_buf_puts(b, "</div>\n");
    if (s->n_points > 0) {
        cli_buf_puts(b, "<h2>Chart</h2>\n");
        cli_html_intensity_chart(b, c, s);
    }
    cli_buf_puts(b, "<h2>Details</h2>\n");
    cli_html_object(b, json, "");
    cli_html_end(b);
    return b->failed ? CLI_EX_SOFTWARE : 0;
}
