/* The greenest hour: the best start window and the forecast from history. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_greenest_best_window_by_hand),
        cmocka_unit_test(test_greenest_steps_and_coverage),
        cmocka_unit_test(test_greenest_ties_go_to_the_earliest_and_errors),
        cmocka_unit_test(test_greenest_forecast_is_the_mean_of_past_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
