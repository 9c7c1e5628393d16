/* The greenest hour: the best start window and the forecast from history. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#include "ecoest/greenest.h"

#define DAY0 1704067200.0 /* 2024-01-01T00:00:00Z */

/* Hourly values [50, 40, 10, 20, 60, 80] from DAY0. */
static void v_series(est_intensity_point p[6])
{
    static const double v[6] = {50, 40, 10, 20, 60, 80};
    int i;
    for (i = 0; i < 6; i++) {
        p[i].t_unix_s = DAY0 + 3600.0 * i;
        p[i].dur_s = 3600.0;
        p[i].g_co2e_per_kwh = v[i];
    }
}

/* A 2-hour job, starts every hour from DAY0 to DAY0 + 4 h:
 *   0 h: (50 + 40) / 2 = 45    1 h: (40 + 10) / 2 = 25    2 h: (10 + 20) / 2 = 15
 *   3 h: (20 + 60) / 2 = 40    4 h: (60 + 80) / 2 = 70
 * best 2 h at 15; now (0 h) 45; saving 1 - 15 / 45 = 2/3. */
static void test_greenest_best_window_by_hand(void **state)
{
    est_intensity_point p[6];
    est_greenest_choice c;
    est_error e;
    (void)state;
    v_series(p);
    assert_int_equal(est_greenest_best_window(&c, p, 6, DAY0, DAY0 + 4 * 3600.0, 7200.0, 3600.0, 0.9,
                                        &e), EST_OK);
    assert_close(c.start_unix_s, DAY0 + 2 * 3600.0, 0);
    assert_close(c.mean_g_co2e_per_kwh, 15.0, 1e-12);
    assert_close(c.first_mean_g_co2e_per_kwh, 45.0, 1e-12);
    assert_close(c.saving_frac, 2.0 / 3.0, 1e-12);
    assert_close(c.coverage_frac, 1.0, 0);
    assert_int_equal(c.n_candidates, 5);
}

/* Half-hour steps: the start at 1.5 h averages 0.5 x 40 + 1 x 10 + 0.5 x 20
 * = 40 over 2 h = 20, not better than 15 at 2 h. A start at 5 h covers one
 * hour of two (coverage 0.5): out with min 0.9, in (mean 80) with 0.5. */
static void test_greenest_steps_and_coverage(void **state)
{
    est_intensity_point p[6];
    est_greenest_choice c;
    est_error e;
    (void)state;
    v_series(p);
    assert_int_equal(est_greenest_best_window(&c, p, 6, DAY0, DAY0 + 4 * 3600.0, 7200.0, 1800.0, 0.9,
                                        &e), EST_OK);
    assert_close(c.start_unix_s, DAY0 + 2 * 3600.0, 0);
    assert_int_equal(c.n_candidates, 9);
    assert_int_equal(est_greenest_best_window(&c, p, 6, DAY0 + 5 * 3600.0, DAY0 + 5 * 3600.0, 7200.0,
                                        3600.0, 0.9, &e), EST_ENODATA);
    assert_int_equal(est_greenest_best_window(&c, p, 6, DAY0 + 5 * 3600.0, DAY0 + 5 * 3600.0, 7200.0,
                                        3600.0, 0.5, &e), EST_OK);
    assert_close(c.mean_g_co2e_per_kwh, 80.0, 0);
    assert_close(c.coverage_frac, 0.5, 0);
    assert_close(c.saving_frac, 0.0, 0);
}

static void test_greenest_ties_go_to_the_earliest_and_errors(void **state)
{
    est_intensity_point p[3] = {{DAY0, 3600, 30}, {DAY0 + 3600, 3600, 10}, {DAY0 + 7200, 3600, 10}};
    est_greenest_choice c;
    est_error e;
    (void)state;
    assert_int_equal(est_greenest_best_window(&c, p, 3, DAY0, DAY0 + 7200.0, 3600.0, 3600.0, 1.0, &e),
                     EST_OK);
    assert_close(c.start_unix_s, DAY0 + 3600.0, 0);
    assert_int_equal(est_greenest_best_window(&c, p, 3, DAY0, DAY0 - 1.0, 3600.0, 3600.0, 1.0, &e),
                     EST_EINVAL);
    assert_int_equal(est_greenest_best_window(&c, p, 3, DAY0, DAY0, 0.0, 3600.0, 1.0, &e), EST_EINVAL);
    assert_int_equal(est_greenest_best_window(&c, p, 3, DAY0, DAY0 + 1e9, 3600.0, 1.0, 1.0, &e),
                     EST_EINVAL);
    assert_int_equal(est_greenest_best_window(&c, NULL, 0, DAY0, DAY0, 3600.0, 3600.0, 0.5, &e),
                     EST_ENODATA);
}

/* Two days of history, hour h: day 1 100 + 10 h, day 2 200 + 10 h. The
 * forecast for day 3 (history ends at its midnight) at hour h:
 *   1 day back: 200 + 10 h; 2 days: (100 + 10 h + 200 + 10 h) / 2 = 150 + 10 h;
 *   3 days: still 150 + 10 h (only two days have data). */
static void test_greenest_forecast_is_the_mean_of_past_days(void **state)
{
    est_intensity_point hist[48], f[24];
    size_t i, n = 0;
    est_error e;
    (void)state;
    for (i = 0; i < 48; i++) {
        hist[i].t_unix_s = DAY0 + 3600.0 * (double)i;
        hist[i].dur_s = 3600.0;
        hist[i].g_co2e_per_kwh = (i < 24 ? 100.0 : 200.0) + 10.0 * (double)(i % 24);
    }
    assert_int_equal(est_greenest_forecast_history(f, 24, &n, hist, 48, DAY0 + 2 * 86400.0, 3600.0,
                                             DAY0 + 2 * 86400.0, 1, &e), EST_OK);
    assert_int_equal(n, 24);
    assert_close(f[5].g_co2e_per_kwh, 250.0, 0); /* 200 + 10 x 5 */
    assert_close(f[5].t_unix_s, DAY0 + 2 * 86400.0 + 5 * 3600.0, 0);
    assert_close(f[5].dur_s, 3600.0, 0);
    assert_int_equal(est_greenest_forecast_history(f, 24, &n, hist, 48, DAY0 + 2 * 86400.0, 3600.0,
                                             DAY0 + 2 * 86400.0, 2, &e), EST_OK);
    assert_close(f[5].g_co2e_per_kwh, 200.0, 0); /* 150 + 50 */
    assert_int_equal(est_greenest_forecast_history(f, 24, &n, hist, 48, DAY0 + 2 * 86400.0, 3600.0,
                                             DAY0 + 2 * 86400.0, 3, &e), EST_OK);
    assert_close(f[23].g_co2e_per_kwh, 380.0, 0); /* 150 + 230 */
    /* a time 30 h ahead (day 4, hour 6) looks two days back for its first
       day: day 2's 200 + 60 = 260, then day 1's 160: mean 210 */
    assert_int_equal(est_greenest_forecast_history(f, 1, &n, hist, 48, DAY0 + 3 * 86400.0 + 6 * 3600.0,
                                             3600.0, DAY0 + 2 * 86400.0, 2, &e), EST_OK);
    assert_int_equal(n, 1);
    assert_close(f[0].g_co2e_per_kwh, 210.0, 0);
    /* no history before the series starts: no point */
    assert_int_equal(est_greenest_forecast_history(f, 1, &n, hist, 48, DAY0, 3600.0, DAY0, 1, &e),
                     EST_OK);
    assert_int_equal(n, 0);
    assert_int_equal(est_greenest_forecast_history(f, 1, &n, hist, 48, DAY0, 3600.0, DAY0, 0, &e),
                     EST_EINVAL);
}

/* ---- the plan (ecoest when's rules) ---- */

#define H 3600.0
#define D 86400.0
#define NOW (DAY0 + 10.5 * H) /* 2024-01-01T10:30:00Z */

/* Hourly points from t0 for n hours, hour h of the day (UTC) at 100 + 10 h. */
static void hour_series(est_intensity_point *p, size_t n, double t0)
{
    size_t i;
    for (i = 0; i < n; i++) {
        p[i].t_unix_s = t0 + H * (double)i;
        p[i].dur_s = H;
        p[i].g_co2e_per_kwh = 100.0 + 10.0 * fmod(p[i].t_unix_s, D) / H;
    }
}

/* The defaults (within 24 h, 7 days, hourly starts) and the windows, now
 * 10:30:
 *   first   = ceil(10.5 h / 1 h) x 1 h = 11:00;  latest = 11:00 + 24 h = 35 h
 *   history = [floor(10.5 h / 1 h) x 1 h - 7 x 24 h, 10:00) = [10 h - 168 h, 10 h)
 * With half-hour steps, first = ceil(21) x 0.5 h = 10:30 (now itself). */
static void test_greenest_plan_windows_and_defaults(void **state)
{
    est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
    est_greenest_plan p;
    est_error e;
    (void)state;
    assert_close(po.within_h, 24.0, 0);
    assert_int_equal(po.history_days, 7);
    assert_close(po.step_s, 3600.0, 0);
    assert_close(po.min_coverage_frac, 0.9, 0);
    po.now_unix_s = NOW;
    po.duration_s = 2 * H;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_OK);
    assert_int_equal(p.method, EST_GREENEST_METHOD_NONE);
    assert_int_equal(p.look_back, 0);
    assert_close(p.first_start_unix_s, DAY0 + 11 * H, 0);
    assert_close(p.latest_start_unix_s, DAY0 + 35 * H, 0);
    assert_close(p.history_end_unix_s, DAY0 + 10 * H, 0);
    assert_close(p.history_start_unix_s, DAY0 + 10 * H - 7 * D, 0);
    assert_int_equal(p.history_days, 7);
    po.step_s = 1800.0;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_OK);
    assert_close(p.first_start_unix_s, NOW, 0);
    /* looking back: the range, its end less the duration */
    po.step_s = H;
    po.look_back_start_unix_s = DAY0 + 20 * H;
    po.look_back_end_unix_s = DAY0 + 30 * H;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_OK);
    assert_int_equal(p.look_back, 1);
    assert_close(p.first_start_unix_s, DAY0 + 20 * H, 0);
    assert_close(p.latest_start_unix_s, DAY0 + 28 * H, 0);
    assert_close(p.history_start_unix_s, DAY0 + 20 * H, 0);
    assert_close(p.history_end_unix_s, DAY0 + 30 * H, 0);
    /* a range shorter than the job: 1 h < 2 h */
    po.look_back_end_unix_s = DAY0 + 21 * H;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_ERANGE);
    assert_non_null(strstr(e.message, "shorter than the duration"));
    /* only one bound, bad values, bad versions */
    po.look_back_end_unix_s = EST_UNSET;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_EINVAL);
    po.look_back_start_unix_s = EST_UNSET;
    po.duration_s = 0.0;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "duration_s"));
    po.duration_s = 2 * H;
    po.within_h = 337.0;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_EINVAL);
    po.within_h = 24.0;
    po.history_days = 0;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_EINVAL);
    po.history_days = 7;
    po.version = 0;
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_EINVAL);
    po.version = 1; /* every version from 1 on */
    assert_int_equal(est_greenest_plan_init(&p, &po, &e), EST_OK);
    assert_int_equal(est_greenest_plan_init(NULL, &po, &e), EST_EINVAL);
}

/* History: 7 days + 10 h of hourly points before now, hour h at 100 + 10 h,
 * so the forecast of hour h is 100 + 10 h. A 2-hour window from hour h
 * (h <= 22) averages (100 + 10 h + 110 + 10 h) / 2 = 105 + 10 h; from 23:00
 * (330 + 100) / 2 = 215. Starts 11:00 to 11:00 the next day (25). Best:
 * 00:00 the next day (DAY0 + 24 h) at 105; now (11:00) 215; saving
 * 1 - 105 / 215 = 0.511628. The forecast: the steps covering 11:00 to 13:00
 * the next day, (35 h + 2 h - 11 h) / 1 h = 26. */
static void test_greenest_plan_from_history_by_hand(void **state)
{
    est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
    est_intensity_point hist[7 * 24 + 10];
    est_greenest_plan p;
    est_greenest_choice c;
    est_error e;
    (void)state;
    hour_series(hist, 7 * 24 + 10, DAY0 - 7 * D);
    po.now_unix_s = NOW;
    po.duration_s = 2 * H;
    po.forecast_note = "why not the provider's";
    /* no history yet: the plan asks for it */
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, NULL, 0, NULL, 0, &e), EST_ENODATA);
    assert_int_equal(p.needs_history, 1);
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, NULL, 0, hist, 7 * 24 + 10, &e),
                     EST_OK);
    assert_int_equal(p.needs_history, 0);
    assert_int_equal(p.method, EST_GREENEST_METHOD_HISTORY);
    assert_close(c.start_unix_s, DAY0 + 24 * H, 0);
    assert_close(c.mean_g_co2e_per_kwh, 105.0, 1e-12);
    assert_close(c.first_start_unix_s, DAY0 + 11 * H, 0);
    assert_close(c.first_mean_g_co2e_per_kwh, 215.0, 1e-12);
    assert_close(c.saving_frac, 1.0 - 105.0 / 215.0, 1e-12);
    assert_int_equal(c.n_candidates, 25);
    assert_int_equal(p.n_forecast_points, 26);
    assert_int_equal(p.n_history_points, 7 * 24 + 10);
    assert_string_equal(p.note, "why not the provider's");
}

/* The provider's forecast: 26 hourly points from 10:00 (k = 0), 300 each
 * but 50 at 15:00 (k = 5), 60 at 16:00 (k = 6), 40 at 06:00 the next day
 * (k = 20). Starts k = 1 (11:00) to 25; a window from k averages
 * (v_k + v_k+1) / 2: 300 mostly, k = 4: 175, k = 5: (50 + 60) / 2 = 55,
 * k = 6: 180, k = 19 and 20: 170; k = 25 covers 1 h of 2 (0.5 < 0.9): 24
 * candidates. Best 15:00 at 55; now 300; saving 1 - 55 / 300 = 0.816667. */
static void provider_series(est_intensity_point f[26])
{
    int k;
    for (k = 0; k < 26; k++) {
        f[k].t_unix_s = DAY0 + 10 * H + H * k;
        f[k].dur_s = H;
        f[k].g_co2e_per_kwh = k == 5 ? 50.0 : k == 6 ? 60.0 : k == 20 ? 40.0 : 300.0;
    }
}

static void test_greenest_plan_with_the_providers_forecast(void **state)
{
    est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
    est_intensity_point f[26];
    est_greenest_plan p;
    est_greenest_choice c;
    est_error e;
    (void)state;
    provider_series(f);
    po.now_unix_s = NOW;
    po.duration_s = 2 * H;
    po.forecast_note = "not shown: the forecast is used";
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, f, 26, NULL, 0, &e), EST_OK);
    assert_int_equal(p.method, EST_GREENEST_METHOD_PROVIDER);
    assert_int_equal(p.needs_history, 0);
    assert_int_equal(p.forecast_uncovered, 0);
    assert_int_equal(p.n_forecast_points, 26);
    assert_close(c.start_unix_s, DAY0 + 15 * H, 0);
    assert_close(c.mean_g_co2e_per_kwh, 55.0, 1e-12);
    assert_close(c.first_mean_g_co2e_per_kwh, 300.0, 1e-12);
    assert_close(c.saving_frac, 1.0 - 55.0 / 300.0, 1e-12);
    assert_int_equal(c.n_candidates, 24);
    assert_string_equal(p.note, "");
}

/* A forecast of one point (11:00) covers half of any 2-hour window (0.5 <
 * 0.9): the plan says so and falls back to history (the same best as
 * above: the next day's 00:00 at 105); provider_only makes it an error. */
static void test_greenest_plan_uncovered_forecast_falls_back(void **state)
{
    est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
    est_intensity_point f[1] = {{DAY0 + 11 * H, H, 300.0}};
    est_intensity_point hist[7 * 24 + 10];
    est_greenest_plan p;
    est_greenest_choice c;
    est_error e;
    static const char why[] = "does not cover a start window: no start window has intensity "
                              "data for at least 90% of its time";
    char want[512];
    (void)state;
    hour_series(hist, 7 * 24 + 10, DAY0 - 7 * D);
    po.now_unix_s = NOW;
    po.duration_s = 2 * H;
    po.forecast_label = "Electricity Maps' forecast";
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, f, 1, NULL, 0, &e), EST_ENODATA);
    assert_int_equal(p.needs_history, 1);
    assert_int_equal(p.forecast_uncovered, 1);
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, f, 1, hist, 7 * 24 + 10, &e), EST_OK);
    assert_int_equal(p.method, EST_GREENEST_METHOD_HISTORY);
    assert_close(c.start_unix_s, DAY0 + 24 * H, 0);
    assert_close(c.mean_g_co2e_per_kwh, 105.0, 1e-12);
    snprintf(want, sizeof want, "Electricity Maps' forecast (1 points) %s. Falling back to the "
             "forecast from history.", why);
    assert_string_equal(p.note, want);
    /* the provider's or nothing */
    po.provider_only = 1;
    po.forecast_label = NULL;
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, f, 1, hist, 7 * 24 + 10, &e),
                     EST_ENODATA);
    assert_int_equal(p.needs_history, 0);
    snprintf(want, sizeof want, "the provider's forecast (1 points) %s", why);
    assert_string_equal(p.note, want);
    assert_string_equal(e.message, want);
}

/* Looking back over 20:00 to 06:00 the next day, 2 h, the hourly series
 * above: 20: (300 + 310) / 2 = 305, 21: 315, 22: 325, 23: (330 + 100) / 2
 * = 215, 00: 105, 01: 115 ... 04: 145 (9 starts, 20:00 to 04:00). Best 00:00
 * at 105; the range's start 305; saving 1 - 105 / 305 = 0.655738. */
static void test_greenest_plan_looks_back(void **state)
{
    est_greenest_plan_options po = EST_GREENEST_PLAN_OPTIONS_INIT;
    est_intensity_point hist[10];
    est_greenest_plan p;
    est_greenest_choice c;
    est_error e;
    (void)state;
    hour_series(hist, 10, DAY0 + 20 * H);
    po.now_unix_s = DAY0 + 100 * H;
    po.duration_s = 2 * H;
    po.look_back_start_unix_s = DAY0 + 20 * H;
    po.look_back_end_unix_s = DAY0 + 30 * H;
    po.forecast_note = "ignored looking back";
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, NULL, 0, hist, 10, &e), EST_OK);
    assert_int_equal(p.method, EST_GREENEST_METHOD_LOOK_BACK);
    assert_close(c.start_unix_s, DAY0 + 24 * H, 0);
    assert_close(c.mean_g_co2e_per_kwh, 105.0, 1e-12);
    assert_close(c.first_mean_g_co2e_per_kwh, 305.0, 1e-12);
    assert_close(c.saving_frac, 1.0 - 105.0 / 305.0, 1e-12);
    assert_int_equal(c.n_candidates, 9);
    assert_string_equal(p.note, "");
    assert_int_equal(p.n_forecast_points, 0);
    /* a forecast has no place looking back; no data is EST_ENODATA */
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, hist, 10, hist, 10, &e), EST_EINVAL);
    assert_int_equal(est_greenest_plan_choose(&c, &p, &po, NULL, 0, NULL, 0, &e), EST_ENODATA);
}

/* The job at each start: 1 core, a 100 W package, 2 h, PUE 1.5: 100 W x
 * 2 h x 1.5 = 0.3 kWh; at 105 gCO2e/kWh 0.3 x 105 = 31.5 g, at 305
 * 0.3 x 305 = 91.5 g: 91.5 - 31.5 = 60 g saved. Without the first's mean,
 * no saving. */
static void test_greenest_job_figures_and_saving(void **state)
{
    est_estimate_options eo = EST_ESTIMATE_OPTIONS_INIT;
    est_greenest_choice c;
    est_greenest_job j;
    est_error e;
    (void)state;
    memset(&c, 0, sizeof c);
    c.mean_g_co2e_per_kwh = 105.0;
    c.first_mean_g_co2e_per_kwh = 305.0;
    eo.cpu_cores = 1;
    eo.cpu_tdp_w = 100.0;
    eo.pue = 1.5;
    eo.runtime_h = 99.0; /* replaced by the duration */
    assert_int_equal(est_greenest_job_figures(&j, &c, 2 * H, &eo, NULL, NULL, &e), EST_OK);
    assert_close(j.energy_kwh, 0.3, 1e-12);
    assert_close(j.best_co2e_g, 31.5, 1e-12);
    assert_close(j.first_co2e_g, 91.5, 1e-12);
    assert_close(j.saving_g, 60.0, 1e-12);
    c.first_mean_g_co2e_per_kwh = EST_UNSET;
    assert_int_equal(est_greenest_job_figures(&j, &c, 2 * H, &eo, NULL, NULL, &e), EST_OK);
    assert_close(j.best_co2e_g, 31.5, 1e-12);
    assert_close(j.first_co2e_g, EST_UNSET, 0);
    assert_close(j.saving_g, EST_UNSET, 0);
    /* no zone: the off-site water is unknown, so is the water */
    assert_close(j.water_l, EST_UNSET, 0);
    /* a zone with a water figure, 2 l/kWh, and a WUE of 0.5 l/kWh: the IT
       energy 100 W x 2 h = 0.2 kWh; on-site 0.2 x 0.5 = 0.1 l, off-site
       0.2 x PUE 1.5 x 2 = 0.6 l: 0.7 l, the same at any start */
    {
        char *dir = test_mkdtemp(), path[4200];
        est_zones_options zo = EST_ZONES_OPTIONS_INIT;
        est_zones *zones = NULL;
        snprintf(path, sizeof path, "%s/zones.csv", dir);
        test_write_file(path, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                              "WORLD,World,475,2019,direct,,test world\n"
                              "XX,Test land,100,2023,lifecycle,2,test zone\n");
        zo.shipped_file = path;
        assert_int_equal(est_zones_open(&zones, &zo, &e), EST_OK);
        eo.zone = "XX";
        eo.wue_l_per_kwh = 0.5;
        c.first_mean_g_co2e_per_kwh = 305.0;
        assert_int_equal(est_greenest_job_figures(&j, &c, 2 * H, &eo, NULL, zones, &e), EST_OK);
        assert_close(j.water_l, 0.7, 1e-12);
        assert_close(j.best_co2e_g, 31.5, 1e-12); /* the start's mean, not the zone's */
        eo.zone = NULL;
        eo.wue_l_per_kwh = EST_UNSET;
        est_zones_free(zones);
        test_rmtree(dir);
        free(dir);
    }
    assert_int_equal(est_greenest_job_figures(&j, &c, 0.0, &eo, NULL, NULL, &e), EST_EINVAL);
    eo.pue = 0.5; /* the pipeline's own error, naming the input */
    assert_int_equal(est_greenest_job_figures(&j, &c, 2 * H, &eo, NULL, NULL, &e), EST_EINVAL);
    assert_int_equal(e.input, EST_INPUT_PUE);
    assert_close(j.best_co2e_g, EST_UNSET, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_greenest_best_window_by_hand),
        cmocka_unit_test(test_greenest_steps_and_coverage),
        cmocka_unit_test(test_greenest_ties_go_to_the_earliest_and_errors),
        cmocka_unit_test(test_greenest_forecast_is_the_mean_of_past_days),
        cmocka_unit_test(test_greenest_plan_windows_and_defaults),
        cmocka_unit_test(test_greenest_plan_from_history_by_hand),
        cmocka_unit_test(test_greenest_plan_with_the_providers_forecast),
        cmocka_unit_test(test_greenest_plan_uncovered_forecast_falls_back),
        cmocka_unit_test(test_greenest_plan_looks_back),
        cmocka_unit_test(test_greenest_job_figures_and_saving),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
