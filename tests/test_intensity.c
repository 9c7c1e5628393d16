/* Intensity series math, checked against hand-worked values. */
#include <float.h>

#include "test_util.h"

#include "ecoest/intensity.h"
#include "ecoest/model.h"

/* 2025-01-15T00:00:00Z */
#define T0 1736899200.0
#define H 3600.0

/* Hourly values 100, 200, 300, 400 from T0.
 * [T0, T0+4h): (100+200+300+400)/4 = 250, coverage 1. */
static void test_intensity_mean_of_whole_steps_is_plain_mean(void **state)
{
    est_intensity_point p[4] = {{T0, H, 100}, {T0 + H, H, 200}, {T0 + 2 * H, H, 300},
                         {T0 + 3 * H, H, 400}};
    est_intensity_stats st;
    (void)state;
    assert_int_equal(est_intensity_mean(&st, p, 4, T0, T0 + 4 * H, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, 250.0, 1e-12);
    assert_close(st.coverage_frac, 1.0, 1e-12);
    assert_int_equal(st.n_points, 4);
    /* [T0+1h, T0+3h): (200+300)/2 = 250 too; [T0+2h, T0+4h): 350 */
    assert_int_equal(est_intensity_mean(&st, p, 4, T0 + 2 * H, T0 + 4 * H, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, 350.0, 1e-12);
    assert_int_equal(st.n_points, 2);
}

/* A window cutting steps: [T0+30min, T0+2h15min) overlaps
 * point 100 for 30 min, 200 for 60 min, 300 for 15 min:
 * (30x100 + 60x200 + 15x300) / 105 = (3000 + 12000 + 4500) / 105 = 185.714285... */
static void test_intensity_partial_steps_are_time_weighted(void **state)
{
    est_intensity_point p[4] = {{T0, H, 100}, {T0 + H, H, 200}, {T0 + 2 * H, H, 300},
                         {T0 + 3 * H, H, 400}};
    est_intensity_stats st;
    (void)state;
    assert_int_equal(est_intensity_mean(&st, p, 4, T0 + 1800, T0 + 2 * H + 900, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, 19500.0 / 105.0, 1e-12);
    assert_int_equal(st.n_points, 3);
    /* a 5-minute run inside one step gets that step's value */
    assert_int_equal(est_intensity_mean(&st, p, 4, T0 + 600, T0 + 900, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, 100.0, 1e-12);
}

/* Coverage: points at T0, T0+1h and T0+3h (the 2h point is missing) over
 * [T0, T0+5h): 3 h covered of 5 -> 0.6; mean (100+200+400)/3 = 233.33 */
static void test_intensity_gaps_and_tail_lower_coverage(void **state)
{
    est_intensity_point p[3] = {{T0, H, 100}, {T0 + H, H, 200}, {T0 + 3 * H, H, 400}};
    est_intensity_stats st;
    (void)state;
    assert_int_equal(est_intensity_mean(&st, p, 3, T0, T0 + 5 * H, NULL), EST_OK);
    assert_close(st.coverage_frac, 0.6, 1e-12);
    assert_close(st.covered_s, 3 * H, 1e-12);
    assert_close(st.mean_g_co2e_per_kwh, 700.0 / 3.0, 1e-12);
    /* nothing in the window: not an error, mean unset */
    assert_int_equal(est_intensity_mean(&st, p, 3, T0 + 10 * H, T0 + 11 * H, NULL), EST_OK);
    assert_int_equal(st.n_points, 0);
    assert_close(st.mean_g_co2e_per_kwh, EST_UNSET, 0);
    assert_close(st.coverage_frac, 0.0, 0);
}

/* Points closer than their duration are cut at the next point: 15-min
 * points declared 1 h long still cover 15 min each. */
static void test_intensity_point_never_overlaps_next(void **state)
{
    est_intensity_point p[2] = {{T0, H, 100}, {T0 + 900, H, 300}};
    est_intensity_stats st;
    (void)state;
    /* [T0, T0+30min): 100 for 15 min, 300 for 15 min -> 200, coverage 1 */
    assert_int_equal(est_intensity_mean(&st, p, 2, T0, T0 + 1800, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, 200.0, 1e-12);
    assert_close(st.coverage_frac, 1.0, 1e-12);
}

/* A run from 2025-01-15T20:00Z to 2025-01-17T04:00Z (32 h), hourly data:
 * 15 Jan 20:00-24:00: 4 h at 100            -> mean 100
 * 16 Jan: 24 h, 12 h at 200 then 12 h at 400 -> mean 300
 * 17 Jan 00:00-04:00: 4 h at 50              -> mean 50
 * hour-weighted: (4x100 + 24x300 + 4x50) / 32 = (400 + 7200 + 200) / 32 = 243.75
 * plain mean of the 32 points: (4x100 + 12x200 + 12x400 + 4x50) / 32 = 7800/32
 * = 243.75 as well. */
static void test_intensity_window_mean_equals_hour_weighted_daily_means(void **state)
{
    est_intensity_point p[32];
    est_intensity_day days[4];
    est_intensity_stats st;
    size_t i, nd = 0;
    double start = T0 + 20 * H, sum = 0, hours = 0;
    (void)state;
    for (i = 0; i < 32; i++) {
        p[i].t_unix_s = start + (double)i * H;
        p[i].dur_s = H;
        p[i].g_co2e_per_kwh = i < 4 ? 100 : i < 16 ? 200 : i < 28 ? 400 : 50;
    }
    assert_int_equal(est_intensity_days_in_window(start, start + 32 * H), 3);
    assert_int_equal(est_intensity_daily(days, 4, &nd, p, 32, start, start + 32 * H, NULL), EST_OK);
    assert_int_equal(nd, 3);
    assert_close(days[0].stats.mean_g_co2e_per_kwh, 100.0, 1e-12);
    assert_close(days[1].stats.mean_g_co2e_per_kwh, 300.0, 1e-12);
    assert_close(days[2].stats.mean_g_co2e_per_kwh, 50.0, 1e-12);
    assert_close(days[0].stats.window_s, 4 * H, 1e-12);
    assert_close(days[1].stats.window_s, 24 * H, 1e-12);
    assert_int_equal(days[1].stats.n_points, 24);
    {
        int y;
        unsigned m, d;
        est_civil_from_days(&y, &m, &d, days[1].days_since_epoch);
        assert_int_equal(y, 2025);
        assert_int_equal(m, 1);
        assert_int_equal(d, 16);
    }
    for (i = 0; i < nd; i++) {
        sum += days[i].stats.window_s / H * days[i].stats.mean_g_co2e_per_kwh;
        hours += days[i].stats.window_s / H;
    }
    assert_close(sum / hours, 243.75, 1e-12);
    assert_int_equal(est_intensity_mean(&st, p, 32, start, start + 32 * H, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, 243.75, 1e-12);
    /* too small a buffer says how many are needed */
    assert_int_equal(est_intensity_daily(days, 2, &nd, p, 32, start, start + 32 * H, NULL),
                     EST_ERANGE);
    assert_int_equal(nd, 3);
}

/* Energy bins: 1 kWh in hour 0 (CI 100), 3 kWh in hour 1 (CI 200), 2 kWh in
 * hour 9 (no data).
 * weighted = (1x100 + 3x200) / 4 = 700/4 = 175; co2e = 700 g;
 * energy coverage 4/6. The time mean over hours 0-1 would be 150. */
static void test_intensity_energy_weighted_mean(void **state)
{
    est_intensity_point p[2] = {{T0, H, 100}, {T0 + H, H, 200}};
    est_intensity_energy_bin b[3] = {{T0, T0 + H, 1.0}, {T0 + H, T0 + 2 * H, 3.0},
                           {T0 + 9 * H, T0 + 10 * H, 2.0}};
    est_intensity_weighted w;
    (void)state;
    assert_int_equal(est_intensity_energy_weighted(&w, p, 2, b, 3, NULL), EST_OK);
    assert_close(w.mean_g_co2e_per_kwh, 175.0, 1e-12);
    assert_close(w.co2e_g, 700.0, 1e-12);
    assert_close(w.energy_kwh, 6.0, 1e-12);
    assert_close(w.covered_energy_kwh, 4.0, 1e-12);
    assert_close(w.coverage_frac, 4.0 / 6.0, 1e-12);
    assert_int_equal(w.n_bins_without_data, 1);
    /* a bin across two points: [T0+30min, T0+90min) 2 kWh -> CI 150 */
    b[0].start_unix_s = T0 + 1800;
    b[0].end_unix_s = T0 + 5400;
    b[0].energy_kwh = 2.0;
    assert_int_equal(est_intensity_energy_weighted(&w, p, 2, b, 1, NULL), EST_OK);
    assert_close(w.mean_g_co2e_per_kwh, 150.0, 1e-12);
}

static void test_intensity_rejects_bad_input(void **state)
{
    est_intensity_point p[2] = {{T0 + H, H, 100}, {T0, H, 200}};
    est_intensity_stats st;
    est_error e;
    est_intensity_energy_bin b = {T0, T0, 1.0};
    est_intensity_weighted w;
    (void)state;
    assert_int_equal(est_intensity_mean(&st, p, 2, T0, T0 + H, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "point 1"));
    p[1].t_unix_s = T0 + 2 * H;
    p[1].g_co2e_per_kwh = NAN;
    assert_int_equal(est_intensity_mean(&st, p, 2, T0, T0 + H, &e), EST_EINVAL);
    p[1].g_co2e_per_kwh = -1;
    assert_int_equal(est_intensity_mean(&st, p, 2, T0, T0 + H, &e), EST_EINVAL);
    p[1].g_co2e_per_kwh = 1;
    p[1].dur_s = 0;
    assert_int_equal(est_intensity_mean(&st, p, 2, T0, T0 + H, &e), EST_EINVAL);
    p[1].dur_s = H;
    assert_int_equal(est_intensity_mean(&st, p, 2, T0 + H, T0 + H, &e), EST_EINVAL);
    assert_int_equal(est_intensity_mean(&st, p, 2, T0, INFINITY, &e), EST_EINVAL);
    assert_int_equal(est_intensity_mean(&st, NULL, 1, T0, T0 + H, &e), EST_EINVAL);
    assert_int_equal(est_intensity_mean(&st, NULL, 0, T0, T0 + H, &e), EST_OK);
    assert_int_equal(est_intensity_energy_weighted(&w, p, 2, &b, 1, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "energy bin 0"));
    b.end_unix_s = T0 + H;
    b.energy_kwh = -1;
    assert_int_equal(est_intensity_energy_weighted(&w, p, 2, &b, 1, &e), EST_EINVAL);
    assert_int_equal(est_intensity_days_in_window(T0, T0), 0);
}

/* A window past year 9999 reached est_civil_from_days' overflow through
 * the day numbers; it is EST_ERANGE now. */
static void test_intensity_daily_window_is_bounded(void **state)
{
    est_intensity_day days[2];
    size_t n = 7;
    est_error e;
    (void)state;
    assert_int_equal(est_intensity_daily(days, 2, &n, NULL, 0, 1e300, 1e300 + 1e290, &e),
                     EST_ERANGE);
    assert_int_equal(est_intensity_daily(days, 2, &n, NULL, 0, EST_TIME_MAX_UNIX_S - H,
                                         EST_TIME_MAX_UNIX_S + H, &e),
                     EST_ERANGE);
    assert_int_equal(est_intensity_daily(days, 2, &n, NULL, 0, EST_TIME_MIN_UNIX_S - H,
                                         EST_TIME_MIN_UNIX_S + H, &e),
                     EST_ERANGE);
    /* the last hour of 9999-12-31 is one day: 2932896 */
    assert_int_equal(
        est_intensity_daily(days, 2, &n, NULL, 0, EST_TIME_MAX_UNIX_S - H, EST_TIME_MAX_UNIX_S, &e),
        EST_OK);
    assert_int_equal(n, 1);
    assert_int_equal(days[0].days_since_epoch, EST_DAYS_FORMAT_MAX);
}

/* est_intensity_energy_weighted with DBL_MAX energies returned 0 with co2e inf
 * and mean NaN; est_intensity_mean over [-1e308, 1e308) had an infinite window.
 * Both are EST_ERANGE now, with *out zeroed. */
static void test_intensity_overflow_is_erange(void **state)
{
    est_intensity_point p[1] = {{T0, H, 100}};
    est_intensity_energy_bin b[2] = {{T0, T0 + H, DBL_MAX}, {T0, T0 + H, DBL_MAX}};
    est_intensity_weighted w;
    est_intensity_stats st;
    est_error e;
    (void)state;
    assert_int_equal(est_intensity_energy_weighted(&w, p, 1, b, 2, &e), EST_ERANGE);
    assert_close(w.co2e_g, 0.0, 0);
    assert_close(w.energy_kwh, 0.0, 0);
    assert_close(w.mean_g_co2e_per_kwh, EST_UNSET, 0);
    /* one bin: DBL_MAX kWh x 100 g/kWh overflows co2e alone */
    assert_int_equal(est_intensity_energy_weighted(&w, p, 1, b, 1, &e), EST_ERANGE);
    /* 1e300 kWh is fine: co2e 1e302 g, mean 100 */
    b[0].energy_kwh = 1e300;
    assert_int_equal(est_intensity_energy_weighted(&w, p, 1, b, 1, &e), EST_OK);
    assert_close(w.co2e_g, 1e302, 1e-15);
    assert_close(w.mean_g_co2e_per_kwh, 100.0, 1e-15);
    assert_int_equal(est_intensity_mean(&st, p, 1, -1e308, 1e308, &e), EST_ERANGE);
    assert_close(st.window_s, 0.0, 0);
    /* an intensity of DBL_MAX g/kWh over an hour: 3600 x DBL_MAX is inf */
    p[0].g_co2e_per_kwh = DBL_MAX;
    assert_int_equal(est_intensity_mean(&st, p, 1, T0, T0 + H, &e), EST_ERANGE);
    assert_true(isfinite(st.mean_g_co2e_per_kwh));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intensity_mean_of_whole_steps_is_plain_mean),
        cmocka_unit_test(test_intensity_partial_steps_are_time_weighted),
        cmocka_unit_test(test_intensity_gaps_and_tail_lower_coverage),
        cmocka_unit_test(test_intensity_point_never_overlaps_next),
        cmocka_unit_test(test_intensity_window_mean_equals_hour_weighted_daily_means),
        cmocka_unit_test(test_intensity_energy_weighted_mean),
        cmocka_unit_test(test_intensity_rejects_bad_input),
        cmocka_unit_test(test_intensity_daily_window_is_bounded),
        cmocka_unit_test(test_intensity_overflow_is_erange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
