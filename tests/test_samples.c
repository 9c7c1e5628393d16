/* Sample logs: the integrator, the readers, the writer, and ecoest --samples.
 * Every expected value is worked out by hand from the fixture in a comment;
 * fixtures live in tests/samples/ (and /work/shared/samples when present). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include <float.h>

#include "test_util.h"

#include "ecoest/samples.h"
#include "ecoest/model.h"

#define T0 1700000000.0 /* 2023-11-14T22:13:20Z */

/* GPU i of a result, which must have it. */
static const est_samples_gpu *G(const est_samples_result *r, size_t i)
{
    const est_samples_gpu *g = est_samples_result_gpu(r, i);
    assert_non_null(g);
    return g;
}

/* Two results equal bit for bit: the fields, and each GPU (the pointer to
   the GPUs is each result's own). */
static void assert_same_result(const est_samples_result *a, const est_samples_result *b)
{
    est_samples_result x = *a, y = *b;
    size_t i;
    x.gpus_private = y.gpus_private = NULL;
    assert_int_equal(memcmp(&x, &y, sizeof x), 0);
    for (i = 0; i < a->n_gpus; i++)
        assert_int_equal(memcmp(G(a, i), G(b, i), sizeof(est_samples_gpu)), 0);
}

/* Every result this file computes owns its GPUs until disposed: the tests
   compute into stack structs, often several times into one, so each
   successful compute is recorded here (a copy: it shares the GPUs) and all
   are disposed when the tests end (kept: a test may still read one). */
static est_samples_result *computed;
static size_t n_computed, cap_computed;

static int tracked_compute(est_samples_result *out, const est_samples *s, est_error *err)
{
    int rc = (est_samples_compute)(out, s, err);
    if (rc == EST_OK) {
        if (n_computed == cap_computed) {
            size_t cap = cap_computed ? 2 * cap_computed : 64;
            est_samples_result *n = realloc(computed, cap * sizeof *n);
            assert_non_null(n);
            computed = n;
            cap_computed = cap;
        }
        computed[n_computed++] = *out;
    }
    return rc;
}

static void dispose_computed(void)
{
    size_t i;
    for (i = 0; i < n_computed; i++)
        est_samples_result_dispose(&computed[i]);
    free(computed);
    computed = NULL;
    n_computed = cap_computed = 0;
}

#define est_samples_compute(out, s, err) tracked_compute((out), (s), (err))

static char fixture_buf[1024];

static const char *fixture(const char *name)
{
    const char *src = getenv("ECOEST_SOURCE_DIR");
    snprintf(fixture_buf, sizeof fixture_buf, "%s/tests/samples/%s", src ? src : ".", name);
    return fixture_buf;
}

static char shared_buf[1024];

/* A file of ../shared/samples, or NULL when that folder is absent. */
static const char *shared(const char *name)
{
    const char *dir = getenv("ECOEST_SHARED_DIR");
    struct stat st;
    if (!dir)
        return NULL;
    snprintf(shared_buf, sizeof shared_buf, "%s/samples/%s", dir, name);
    if (stat(shared_buf, &st) != 0)
        return NULL;
    return shared_buf;
}

#define SKIP_IF_NO_SHARED(p)                                                   \
    do {                                                                       \
        if (!(p)) {                                                            \
            print_message("(skipped: $ECOEST_SHARED_DIR/samples not found)\n"); \
            skip();                                                            \
        }                                                                      \
    } while (0)

/* Reads one file into a fresh integrator; returns the code of the first
   failing step. */
static int read_one(const char *path, const est_samples_options *so,
                    const est_samples_read_options *ro, est_samples_result *res,
                    est_samples **keep, est_error *err)
{
    est_samples *s = NULL;
    int rc = est_samples_open(&s, so, err);
    if (!rc)
        rc = est_samples_read_file(s, path, ro, err);
    if (!rc)
        rc = est_samples_finish(s, err);
    if (!rc)
        rc = est_samples_compute(res, s, err);
    if (keep && !rc)
        *keep = s;
    else
        est_samples_free(s);
    return rc;
}

static char *bin(void)
{
    char *b = getenv("ECOEST_BIN");
    assert_non_null(b);
    return b;
}

static const est_samples_gpu *gpu(const est_samples_result *r, unsigned index)
{
    size_t i;
    for (i = 0; i < r->n_gpus; i++)
        if (G(r, i)->index == index)
            return G(r, i);
    fail_msg("GPU %u not in the result", index);
    return NULL;
}

/* ---- the integrator, through the ecoest format ---- */

/* ecoest-basic.csv, rows at 0, 10, 20 s:
 *   gpu0 100, 300, 100 W: (100+300)/2 x 10 + (300+100)/2 x 10 = 4000 J,
 *     mean 4000/20 = 200 W, 4000/3.6e6 = 0.00111111 kWh
 *   gpu1 50, 150, 50 W: 2000 J, mean 100 W
 *   cpu usage 0.5, 1, 0.5: 15 / 20 = 0.75; cores 8
 *   ram 10, 20, 10 GB: 300 / 20 = 15 GB
 *   package 80, 120, 80 W: 2000 J, mean 100 W; node 300, 500, 300: 8000 J, 400 W */
static void test_samples_ecoest_format_trapezoid(void **state)
{
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(read_one(fixture("ecoest-basic.csv"), NULL, NULL, &r, NULL, &e), EST_OK);
    assert_close(r.duration_s, 20.0, 1e-12);
    assert_close(r.start_unix_s, T0, 1e-15);
    assert_close(r.covered_s, 20.0, 1e-12);
    assert_int_equal(r.gaps, 0);
    assert_int_equal(r.n_gpus, 2);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_close(gpu(&r, 0)->energy_kwh, 4000.0 / 3.6e6, 1e-12);
    assert_close(gpu(&r, 1)->mean_power_w, 100.0, 1e-12);
    assert_close(r.cpu_usage_frac.mean, 0.75, 1e-12);
    assert_close(r.cpu_cores.mean, 8.0, 1e-12);
    assert_close(r.ram_used_gb.mean, 15.0, 1e-12);
    assert_close(r.cpu_package_power_w.mean, 100.0, 1e-12);
    assert_close(r.cpu_package_energy_kwh, 2000.0 / 3.6e6, 1e-12);
    assert_close(r.node_power_w.mean, 400.0, 1e-12);
    assert_close(r.node_energy_kwh, 8000.0 / 3.6e6, 1e-12);
    /* no idle known: above idle = all of it */
    assert_int_equal(gpu(&r, 0)->idle_source, EST_SAMPLES_IDLE_UNKNOWN);
    assert_close(gpu(&r, 0)->energy_above_idle_kwh, 4000.0 / 3.6e6, 1e-12);
}

/* Two samples 100 W and 300 W 10 s apart: (100+300)/2 x 10 = 2000 J
   = 2000 / 3.6e6 = 0.000555... kWh; the push interface. */
/* 3 x median: {10, 10, 12} -> 3 x 10 = 30 s; {10, 20} -> 3 x (10 + 20) / 2 = 45 s;
 * {1, 2, 5, 9} -> 3 x (2 + 5) / 2 = 10.5 s; none -> 0. */
static void test_samples_default_max_gap_is_three_medians(void **state)
{
    static const double a[] = {10, 10, 12}, b[] = {10, 20}, c[] = {1, 2, 5, 9};
    (void)state;
    assert_close(EST_SAMPLES_GAP_MEDIAN_FACTOR, 3.0, 0);
    assert_close(est_samples_default_max_gap_s(a, 3), 30.0, 1e-12);
    assert_close(est_samples_default_max_gap_s(b, 2), 45.0, 1e-12);
    assert_close(est_samples_default_max_gap_s(c, 4), 10.5, 1e-12);
    assert_close(est_samples_default_max_gap_s(c, 0), 0.0, 0);
    assert_close(est_samples_default_max_gap_s(NULL, 3), 0.0, 0);
}

/* CPU usage 0.5 x 200 W = 100 W; GPU usage 0.25 x 400 W = 100 W;
 * 16 GB x 0.375 W/GB = 6 W; measured 123.5 W as is. */
static void test_samples_sample_power_by_the_model(void **state)
{
    est_sample v;
    double w = -1.0;
    (void)state;
    v.device = 0;
    v.kind = EST_SAMPLES_CPU_USAGE_FRAC;
    v.value = 0.5;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 200.0, 400.0, 0.375), EST_OK);
    assert_close(w, 100.0, 1e-12);
    v.kind = EST_SAMPLES_GPU_USAGE_FRAC;
    v.device = 3;
    v.value = 0.25;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 200.0, 400.0, 0.375), EST_OK);
    assert_close(w, 100.0, 1e-12);
    v.device = 0;
    v.kind = EST_SAMPLES_RAM_USED_GB;
    v.value = 16.0;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 200.0, 400.0, 0.375), EST_OK);
    assert_close(w, 6.0, 1e-12);
    v.kind = EST_SAMPLES_GPU_POWER_W;
    v.value = 123.5;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 0.0, 0.0, 0.0), EST_OK);
    assert_close(w, 123.5, 0);
    w = -1.0;
    v.kind = EST_SAMPLES_GPU_USAGE_FRAC; /* no GPU TDP: no model */
    v.value = 0.5;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 200.0, 0.0, 0.375), EST_ENODATA);
    v.kind = EST_SAMPLES_CPU_USAGE_FRAC;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 0.0, 400.0, 0.375), EST_ENODATA);
    v.value = EST_SAMPLES_MISSING;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 200.0, 400.0, 0.375), EST_ENODATA);
    v.kind = EST_SAMPLES_CPU_CORES; /* not a power */
    v.value = 8.0;
    assert_int_equal(est_samples_sample_power_w(&w, &v, 200.0, 400.0, 0.375), EST_ENODATA);
    assert_close(w, -1.0, 0);
    assert_int_equal(est_samples_sample_power_w(NULL, &v, 200.0, 400.0, 0.375), EST_EINVAL);
    assert_int_equal(est_samples_sample_power_w(&w, NULL, 200.0, 400.0, 0.375), EST_EINVAL);
}

/* A GPU logged by usage only has no measured energy: ENODATA, untouched. */
static void test_samples_gpu_energy_needs_measured_power(void **state)
{
    est_samples *s = NULL;
    est_samples_result r;
    double kwh = -1.0;
    int i;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    for (i = 0; i <= 10; i++) {
        est_sample v[1] = {{EST_SAMPLES_GPU_USAGE_FRAC, 0, 0.5}};
        assert_int_equal(est_samples_push(s, i, v, 1, NULL), EST_OK);
    }
    assert_int_equal(est_samples_finish(s, NULL), EST_OK);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    assert_int_equal(r.n_gpus, 1);
    assert_int_equal(est_samples_result_gpu_energy_kwh(&kwh, &r), EST_ENODATA);
    assert_close(kwh, -1.0, 0);
    est_samples_free(s);
}

/* Logs without times beside logs with times need an origin; either kind
 * alone does not. */
static void test_samples_time_bases_mixed_need_origin(void **state)
{
    (void)state;
    assert_int_equal(est_samples_check_time_bases(1, 1, 0), EST_EINVAL);
    assert_int_equal(est_samples_check_time_bases(2, 3, 0), EST_EINVAL);
    assert_int_equal(est_samples_check_time_bases(1, 1, 1), EST_OK);
    assert_int_equal(est_samples_check_time_bases(2, 0, 0), EST_OK);
    assert_int_equal(est_samples_check_time_bases(0, 4, 0), EST_OK);
    assert_int_equal(est_samples_check_time_bases(0, 0, 0), EST_OK);
}

static void test_samples_push_two_samples(void **state)
{
    est_samples *s;
    est_samples_result r;
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 3, 100.0};
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_OK);
    v.value = 300.0;
    assert_int_equal(est_samples_push(s, T0 + 10.0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_finish(s, NULL), EST_OK);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    assert_int_equal(r.n_gpus, 1);
    assert_int_equal(G(&r, 0)->index, 3);
    assert_close(G(&r, 0)->energy_kwh, 2000.0 / 3.6e6, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_int_equal(G(&r, 0)->power_w.samples, 2);
    /* pushing after finish is refused */
    assert_int_equal(est_samples_push(s, T0 + 20.0, &v, 1, NULL), EST_EINVAL);
    est_samples_free(s);
}

static void test_samples_push_rejects_bad_values(void **state)
{
    est_samples *s;
    est_error e;
    est_sample v[2] = {{EST_SAMPLES_GPU_POWER_W, 0, -1.0}, {EST_SAMPLES_GPU_POWER_W, 0, 1.0}};
    est_samples_result r;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0, v, 1, &e), EST_EINVAL); /* negative */
    assert_non_null(strstr(e.message, "negative"));
    v[0].value = 1.0;
    assert_int_equal(est_samples_push(s, T0, v, 2, &e), EST_EINVAL); /* twice in one tick */
    assert_int_equal(est_samples_push(s, NAN, v, 1, &e), EST_EINVAL);
    assert_int_equal(est_samples_push(s, INFINITY, v, 1, &e), EST_EINVAL);
    v[0].value = INFINITY;
    assert_int_equal(est_samples_push(s, T0, v, 1, &e), EST_EINVAL);
    v[0].kind = EST_SAMPLES_CPU_USAGE_FRAC;
    v[0].value = 1.5;
    assert_int_equal(est_samples_push(s, T0, v, 1, &e), EST_EINVAL); /* usage > 1 */
    v[0].value = 0.5;
    v[0].device = 1;
    assert_int_equal(est_samples_push(s, T0, v, 1, &e), EST_EINVAL); /* CPU has no device */
    v[0].kind = EST_SAMPLES_GPU_POWER_W;
    v[0].device = EST_SAMPLES_GPUS_MAX;
    assert_int_equal(est_samples_push(s, T0, v, 1, &e), EST_EINVAL);
    v[0].kind = EST_SAMPLES_CPU_CORES;
    v[0].device = 0;
    v[0].value = 0.0;
    assert_int_equal(est_samples_push(s, T0, v, 1, &e), EST_EINVAL); /* 0 cores */
    /* nothing was counted: no samples */
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, &e), EST_ENODATA);
    est_samples_free(s);
}

/* gap.csv: 100 100 100 200 at 0..3 s, 300 300 300 at 10..12 s. Steps 1 1 1 7
 * 1 1: median 1, max gap 3 s, so 3->10 is a gap of 7 s.
 *   none: covered [0,3] 100 + 100 + 150 = 350 J and [10,12] 600 J: 950 J
 *         over 5 s: 190 W; uncovered 7 s of 12
 *   hold: + 200 W x 7 s = 1400 J: 2350 J over 12 s = 195.8333 W
 *   idle (--gpu-idle 50): + 50 x 7 = 350 J: 1300 J over 12 s = 108.3333 W
 *   --max-gap 10: bridged, + (200+300)/2 x 7 = 1750 J: 2700 J / 12 = 225 W */
static void test_samples_gap_not_bridged_and_fills(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_result r;
    (void)state;
    assert_int_equal(read_one(fixture("gap.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_int_equal(r.gaps, 1);
    assert_close(G(&r, 0)->power_w.max_gap_s, 3.0, 1e-12);
    assert_close(G(&r, 0)->power_w.covered_s, 5.0, 1e-12);
    assert_close(G(&r, 0)->power_w.uncovered_s, 7.0, 1e-12);
    assert_close(G(&r, 0)->power_w.integral, 950.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 190.0, 1e-12);
    assert_close(r.covered_s, 5.0, 1e-12);
    assert_close(r.duration_s, 12.0, 1e-12);

    o.fill = EST_SAMPLES_FILL_HOLD;
    assert_int_equal(read_one(fixture("gap.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_close(G(&r, 0)->power_w.integral, 2350.0, 1e-12);
    assert_close(G(&r, 0)->power_w.filled_s, 7.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 2350.0 / 12.0, 1e-12);

    o.fill = EST_SAMPLES_FILL_IDLE;
    o.gpu_idle_w = 50.0;
    assert_int_equal(read_one(fixture("gap.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_close(G(&r, 0)->power_w.integral, 1300.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 1300.0 / 12.0, 1e-12);
    /* above idle: 1300 - 50 x 12 = 700 J */
    assert_close(G(&r, 0)->energy_above_idle_kwh, 700.0 / 3.6e6, 1e-12);

    o.fill = EST_SAMPLES_FILL_NONE;
    o.gpu_idle_w = EST_UNSET;
    o.max_gap_s = 10.0;
    assert_int_equal(read_one(fixture("gap.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_int_equal(r.gaps, 0);
    assert_close(G(&r, 0)->power_w.integral, 2700.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 225.0, 1e-12);
}

/* missing.csv (time_iso): 100, NA, 100, 100 at 0..3 s. The missing value is
 * a gap from 0 to 2 s, not a zero: covered [2,3] only, 100 J, mean 100 W.
 * With hold: + 100 W x 2 s: 300 J over 3 s, still 100 W. */
static void test_samples_missing_value_is_a_gap_not_a_zero(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_result r;
    (void)state;
    assert_int_equal(read_one(fixture("missing.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.gaps, 1);
    assert_close(G(&r, 0)->power_w.covered_s, 1.0, 1e-12);
    assert_close(G(&r, 0)->power_w.integral, 100.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 100.0, 1e-12);
    o.fill = EST_SAMPLES_FILL_HOLD;
    assert_int_equal(read_one(fixture("missing.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_close(G(&r, 0)->power_w.integral, 300.0, 1e-12);
}

/* dups.csv: 100 W at 0, 1, (1 again: 500, a duplicate), 2, (1.5: 900,
 * backwards), 3. Both dropped: 100 W x 3 s = 300 J. */
static void test_samples_duplicates_and_backwards_dropped(void **state)
{
    est_samples_result r;
    (void)state;
    assert_int_equal(read_one(fixture("dups.csv"), NULL, NULL, &r, NULL, NULL), EST_OK);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(r.backwards, 1);
    assert_close(G(&r, 0)->power_w.integral, 300.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 100.0, 1e-12);
    assert_close(G(&r, 0)->power_w.max, 100.0, 1e-12);
}

/* Window [2.5, 7.5] s on 100 W at 0 s and 300 W at 10 s: the edges are
 * interpolated to 150 W and 250 W: (150+250)/2 x 5 = 1000 J, 200 W. */
static void test_samples_window_interpolates_edges(void **state)
{
    est_samples *s;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_result r;
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 0, 100.0};
    (void)state;
    o.has_start = 1;
    o.start_unix_s = T0 + 2.5;
    o.has_end = 1;
    o.end_unix_s = T0 + 7.5;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_OK);
    v.value = 300.0;
    assert_int_equal(est_samples_push(s, T0 + 10.0, &v, 1, NULL), EST_OK);
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    assert_close(r.duration_s, 5.0, 1e-12);
    assert_close(G(&r, 0)->power_w.integral, 1000.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 200.0, 1e-12);
    est_samples_free(s);

    /* a window after the samples: nothing in it */
    o.start_unix_s = T0 + 100.0;
    o.end_unix_s = T0 + 200.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    v.value = 100.0;
    est_samples_push(s, T0, &v, 1, NULL);
    est_samples_push(s, T0 + 10.0, &v, 1, NULL);
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_ENODATA);
    est_samples_free(s);
}

/* idle.csv: 50 W at 0 and 10 s, 250 W at 20 and 30 s; --idle-until 10 s:
 * idle = mean over [0,10] = 50 W; the job is [10,30]:
 * (50+250)/2 x 10 + 250 x 10 = 4000 J, 200 W; above idle 4000 - 50 x 20
 * = 3000 J. */
static void test_samples_idle_until_measures_idle(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_result r;
    (void)state;
    o.has_idle_until = 1;
    o.idle_until_unix_s = T0 + 10.0;
    assert_int_equal(read_one(fixture("idle.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_close(r.start_unix_s, T0 + 10.0, 1e-15);
    assert_close(r.duration_s, 20.0, 1e-12);
    assert_int_equal(G(&r, 0)->idle_source, EST_SAMPLES_IDLE_MEASURED);
    assert_close(G(&r, 0)->idle_w, 50.0, 1e-12);
    assert_close(G(&r, 0)->idle_covered_s, 10.0, 1e-12);
    assert_close(G(&r, 0)->energy_kwh, 4000.0 / 3.6e6, 1e-12);
    assert_close(G(&r, 0)->energy_above_idle_kwh, 3000.0 / 3.6e6, 1e-12);
    /* --gpu-idle wins over the measurement */
    o.gpu_idle_w = 70.0;
    assert_int_equal(read_one(fixture("idle.csv"), &o, NULL, &r, NULL, NULL), EST_OK);
    assert_int_equal(G(&r, 0)->idle_source, EST_SAMPLES_IDLE_OPTION);
    assert_close(G(&r, 0)->energy_above_idle_kwh, (4000.0 - 70.0 * 20.0) / 3.6e6, 1e-12);
}

/* Energy bins of 10 s on 100 W at 0 s, 300 W at 20 s (PUE 1):
 * [0,10): (100+200)/2 x 10 = 1500 J; [10,20): (200+300)/2 x 10 = 2500 J. */
static void test_samples_energy_bins(void **state)
{
    est_samples *s;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT;
    est_intensity_energy_bin bins[4];
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 0, 100.0};
    size_t n;
    (void)state;
    o.bin_s = 10.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_OK);
    v.value = 300.0;
    assert_int_equal(est_samples_push(s, T0 + 20.0, &v, 1, NULL), EST_OK);
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_energy_bins(NULL, 0, &n, s, &w, NULL), EST_OK);
    assert_int_equal(n, 2);
    assert_int_equal(est_samples_energy_bins(bins, 4, &n, s, &w, NULL), EST_OK);
    assert_close(bins[0].start_unix_s, T0, 1e-15);
    assert_close(bins[0].end_unix_s, T0 + 10.0, 1e-15);
    assert_close(bins[0].energy_kwh, 1500.0 / 3.6e6, 1e-12);
    assert_close(bins[1].energy_kwh, 2500.0 / 3.6e6, 1e-12);
    assert_int_equal(est_samples_energy_bins(bins, 1, &n, s, &w, NULL), EST_ERANGE);
    est_samples_free(s);
}

/* est_samples_bin_weights had no version and no _INIT: a zeroed one (pue 0)
 * failed with EST_EINVAL. Zeroed is still refused (version 0), now with a
 * message naming the _INIT; the _INIT's defaults are PUE 1 and 0.3725 W/GB:
 * 10 GB held for 10 s in one 10 s bin: 10 x 0.3725 x 10 = 37.25 J. */
static void test_samples_bin_weights_init(void **state)
{
    est_samples *s;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT, zero;
    est_intensity_energy_bin bins[2];
    est_sample v = {EST_SAMPLES_RAM_USED_GB, 0, 10.0};
    est_error err;
    size_t n = 0;
    (void)state;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(w.version, EST_SAMPLES_BIN_WEIGHTS_VERSION);
    assert_close(w.pue, 1.0, 0);
    assert_close(w.memory_w_per_gb, 0.3725, 0);
    o.bin_s = 10.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0 + 10.0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_finish(s, NULL), EST_OK);
    assert_int_equal(est_samples_energy_bins(bins, 2, &n, s, &zero, &err), EST_EINVAL);
    assert_non_null(strstr(err.message, "EST_SAMPLES_BIN_WEIGHTS_INIT"));
    assert_int_equal(est_samples_energy_bins(bins, 2, &n, s, &w, &err), EST_OK);
    assert_int_equal(n, 1);
    assert_close(bins[0].energy_kwh, 37.25 / 3.6e6, 1e-12);
    w.memory_w_per_gb = -1.0;
    assert_int_equal(est_samples_energy_bins(bins, 2, &n, s, &w, &err), EST_EINVAL);
    est_samples_free(s);
}

/* An empty or malformed --columns used to pass est_samples_reader_open and
 * fail (or not) only at the header; the form is checked at open now. NULL
 * arguments of the setters are EST_EINVAL; finish(NULL) too. */
static void test_samples_reader_open_checks_columns_form(void **state)
{
    static const char *const bad[] = {"", "  ", "=,=,", "=", "time=", "=t",
                                      "time=t,gpu_w=p,", "time=t,,gpu_w=p", ",", " , "};
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_reader *rd;
    est_samples *s;
    est_error e;
    size_t i;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ro.columns = bad[i];
        rd = (est_samples_reader *)1;
        if (est_samples_reader_open(&rd, s, "t.csv", &ro, &e) != EST_EINVAL)
            fail_msg("columns \"%s\" was accepted", bad[i]);
        assert_null(rd);
        assert_non_null(strstr(e.message, "--columns"));
    }
    ro.columns = "time=t, gpu_w = p";
    assert_int_equal(est_samples_reader_open(&rd, s, "t.csv", &ro, &e), EST_OK);
    est_samples_reader_free(rd);
    ro.columns = "timestamp,power.draw [W]";
    assert_int_equal(est_samples_reader_open(&rd, s, "t.csv", &ro, &e), EST_OK);
    est_samples_reader_free(rd);
    assert_int_equal(est_samples_set_gpu_info(NULL, 0, "A100", 0), EST_EINVAL);
    assert_int_equal(est_samples_set_gpu_idle(NULL, 0, 50.0), EST_EINVAL);
    assert_int_equal(est_samples_set_gpu_idle(s, 0, NAN), EST_EINVAL);
    assert_int_equal(est_samples_set_gpu_info(s, EST_SAMPLES_GPUS_MAX, NULL, 0), EST_EINVAL);
    assert_int_equal(est_samples_finish(NULL, NULL), EST_EINVAL);
    est_samples_free(s);
}

/* A bin width of 1e-300 s made t / bin_s overflow int64_t (undefined
 * behaviour in the cast): widths below EST_SAMPLES_BIN_S_MIN (1 ms) are
 * rejected. With times bounded to years 0001..9999 (|t| < 2.6e11 s) a bin
 * index stays below 2.6e14 < 2^53; a time whose index would pass 2^53
 * (1e13 s / 1e-3 s = 1e16) is refused by push before it reaches the bins. */
static void test_samples_bin_width_is_bounded(void **state)
{
    est_samples *s;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT;
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 0, 100.0};
    est_error err;
    size_t n = 99;
    (void)state;
    o.bin_s = 1e-300;
    assert_int_equal(est_samples_open(&s, &o, &err), EST_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err.message, "bin width"));
    o.bin_s = 9.99e-4;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_EINVAL);
    o.bin_s = -1.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_EINVAL);
    o.bin_s = EST_SAMPLES_BIN_S_MIN;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, 1e13, &v, 1, NULL), EST_ERANGE);
    /* the last second of 9999 is binned: 1 s of 100 W in 1000 bins */
    assert_int_equal(est_samples_push(s, EST_TIME_MAX_UNIX_S - 2.0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, EST_TIME_MAX_UNIX_S - 1.0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_finish(s, NULL), EST_OK);
    assert_int_equal(est_samples_energy_bins(NULL, 0, &n, s, &w, NULL), EST_OK);
    assert_true(n >= 1000 && n <= 1001);
    est_samples_free(s);
}

/* est_samples_push accepted 1e308 W and DBL_MAX and times up to 1e300 s;
 * the result then held inf or NaN. The reader's bounds apply to push too. */
static void test_samples_push_rejects_absurd_values(void **state)
{
    est_samples *s;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 0, 1e308};
    est_samples_result r;
    est_error err;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, &err), EST_ERANGE);
    assert_non_null(strstr(err.message, "100 kW"));
    v.value = DBL_MAX;
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_ERANGE);
    v.kind = EST_SAMPLES_NODE_POWER_W;
    v.value = EST_SAMPLES_POWER_MAX_W * 1.0001;
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_ERANGE);
    v.kind = EST_SAMPLES_CPU_PACKAGE_POWER_W;
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_ERANGE);
    v.kind = EST_SAMPLES_CPU_CORES;
    v.value = 1e300;
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_ERANGE);
    v.kind = EST_SAMPLES_RAM_USED_GB;
    assert_int_equal(est_samples_push(s, T0, &v, 1, NULL), EST_ERANGE);
    v.kind = EST_SAMPLES_GPU_POWER_W;
    v.value = 100.0;
    assert_int_equal(est_samples_push(s, 1e300, &v, 1, NULL), EST_ERANGE);
    assert_int_equal(est_samples_push(s, -1e300, &v, 1, NULL), EST_ERANGE);
    assert_int_equal(est_samples_push(s, NAN, &v, 1, NULL), EST_EINVAL);
    /* nothing was counted; exactly 100 kW is still a reading; times before
     * 1970 are instants too: 100 W from -10 s to 0 s is 1000 J */
    v.value = EST_SAMPLES_POWER_MAX_W;
    assert_int_equal(est_samples_push(s, -20.0, &v, 1, NULL), EST_OK);
    v.value = 100.0;
    assert_int_equal(est_samples_push(s, -10.0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, 0.0, &v, 1, NULL), EST_OK);
    assert_int_equal(est_samples_finish(s, NULL), EST_OK);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    assert_true(isfinite(G(&r, 0)->energy_kwh));
    est_samples_free(s);
    /* the same bound on the window options */
    o.has_start = 1;
    o.start_unix_s = -1e300;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_ERANGE);
    assert_null(s);
    o.start_unix_s = -3600.0; /* 1969-12-31T23:00:00Z */
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    est_samples_free(s);
}

/* ---- bad input ---- */

static void test_samples_bad_row_message_names_place(void **state)
{
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(read_one(fixture("bad-rows.csv"), NULL, NULL, &r, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "bad-rows.csv:3: column gpu0_power_w: expected a number, "
                                      "got \"abc\""));
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 2);
}

/* bad-rows.csv with skip_bad_rows: lines 3 (abc), 4 (-5), 5 (3 fields),
 * 6 (time "yesterday"), 7 (time 5e10, year 3554) are skipped; 100 W at 0 s
 * and 300 W at 10 s remain: 2000 J. */
static void test_samples_skip_bad_rows_counts_kinds(void **state)
{
    est_samples *s = NULL;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_read_stats st;
    est_samples_result r;
    (void)state;
    ro.skip_bad_rows = 1;
    assert_int_equal(read_one(fixture("bad-rows.csv"), NULL, &ro, &r, &s, NULL), EST_OK);
    est_samples_stats(&st, s);
    assert_int_equal(st.rows, 7);
    assert_int_equal(st.skipped_rows, 5);
    assert_int_equal(st.skipped_by_kind[EST_SAMPLES_BAD_NUMBER], 1);
    assert_int_equal(st.skipped_by_kind[EST_SAMPLES_BAD_NEGATIVE], 1);
    assert_int_equal(st.skipped_by_kind[EST_SAMPLES_BAD_FIELD_COUNT], 1);
    assert_int_equal(st.skipped_by_kind[EST_SAMPLES_BAD_TIME], 1);
    assert_int_equal(st.skipped_by_kind[EST_SAMPLES_BAD_TIME_RANGE], 1);
    assert_int_equal(st.n_first, 5);
    assert_int_equal(st.first_line[0], 3);
    assert_int_equal(st.first_line[4], 7);
    assert_non_null(strstr(st.first_message, "got \"abc\""));
    assert_close(G(&r, 0)->power_w.integral, 2000.0, 1e-12);
    est_samples_free(s);
}

static void test_samples_empty_header_only_single_sample(void **state)
{
    char *dir = test_mkdtemp(), path[512];
    est_samples_result r;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/x.csv", dir);
    test_write_file(path, "");
    assert_int_equal(read_one(path, NULL, NULL, &r, NULL, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "empty file"));
    test_write_file(path, "time_unix_s,gpu0_power_w\n");
    assert_int_equal(read_one(path, NULL, NULL, &r, NULL, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "header only"));
    test_write_file(path, "time_unix_s,gpu0_power_w\n1700000000,100\n");
    assert_int_equal(read_one(path, NULL, NULL, &r, NULL, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "single sample"));
    /* two rows at the same time: still a single sample time */
    test_write_file(path, "time_unix_s,gpu0_power_w\n1700000000,100\n1700000000,200\n");
    assert_int_equal(read_one(path, NULL, NULL, &r, NULL, &e), EST_ENODATA);
    test_rmtree(dir);
    free(dir);
}

/* Every file of tests/samples/malformed, in every format and chunk size:
 * no crash, and either a result or an error with a message. */
static void test_samples_malformed_corpus_never_crashes(void **state)
{
    char dirpath[1024];
    DIR *d;
    struct dirent *de;
    unsigned files = 0;
    (void)state;
    snprintf(dirpath, sizeof dirpath, "%s", fixture("malformed"));
    d = opendir(dirpath);
    assert_non_null(d);
    while ((de = readdir(d))) {
        char path[1400];
        size_t len;
        char *data;
        int f;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dirpath, de->d_name);
        data = test_read_file(path, &len);
        assert_non_null(data);
        files++;
        for (f = EST_SAMPLES_FORMAT_AUTO; f <= EST_SAMPLES_FORMAT_CSV; f++) {
            size_t chunk;
            for (chunk = 1; chunk <= len + 1; chunk = chunk * 7 + 1) {
                est_samples *s;
                est_samples_reader *rd;
                est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
                est_samples_result res;
                est_error e;
                size_t off;
                int rc = 0;
                ro.format = (est_samples_format)f;
                ro.interval_s = 1.0;
                ro.skip_bad_rows = (int)(chunk % 2);
                if (f == EST_SAMPLES_FORMAT_CSV)
                    ro.columns = "time=time_unix_s,gpu_w=gpu0_power_w";
                assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
                assert_int_equal(est_samples_reader_open(&rd, s, de->d_name, &ro, NULL), EST_OK);
                for (off = 0; off < len && !rc; off += chunk)
                    rc = est_samples_reader_feed(rd, data + off,
                                                 len - off < chunk ? len - off : chunk, &e);
                if (!rc)
                    rc = est_samples_reader_finish(rd, &e);
                if (rc)
                    assert_true(e.message[0] != '\0');
                est_samples_finish(s, NULL);
                rc = est_samples_compute(&res, s, &e);
                if (rc)
                    assert_true(e.message[0] != '\0');
                est_samples_reader_free(rd);
                est_samples_free(s);
            }
        }
        free(data);
    }
    closedir(d);
    assert_true(files >= 10);
}

/* ---- formats ---- */

/* amd-smi.csv: CRLF, a blank line and the header repeated each tick.
 * GPU 0: 100, 300, 100 W at 0, 10, 20 s: 4000 J, 200 W. GPU 1: 200, N/A,
 * 200: the missing reading leaves no two valid samples in a row: no
 * coverage, one gap; it still counts, at the mean of its readings:
 * (200 + 200) / 2 = 200 W. */
static void test_samples_amd_smi_crlf_repeated_headers(void **state)
{
    est_samples *s = NULL;
    est_samples_result r;
    est_samples_read_stats st;
    (void)state;
    assert_int_equal(read_one(fixture("amd-smi.csv"), NULL, NULL, &r, &s, NULL), EST_OK);
    est_samples_stats(&st, s);
    assert_int_equal(st.rows, 6);
    assert_int_equal(st.headers, 3);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_close(gpu(&r, 0)->usage_frac.mean, 0.75, 1e-12); /* 50, 100, 50 % */
    assert_true(gpu(&r, 1)->power_w.present);
    assert_true(gpu(&r, 1)->power_w.mean_of_readings);
    assert_close(gpu(&r, 1)->mean_power_w, 200.0, 1e-12);
    assert_close(gpu(&r, 1)->power_w.covered_s, 0.0, 1e-12);
    assert_int_equal(gpu(&r, 1)->power_w.missing, 1);
    assert_int_equal(gpu(&r, 1)->power_w.gaps, 1);
    assert_close(r.covered_s, 0.0, 1e-12);
    est_samples_free(s);
}

/* nvsmi.csv, --tz +01:00: 2024-01-31 12:00 local = 11:00Z = 1706698800.
 * GPU 0 takes power.draw.average (100, 300 W): 2000 J over 10 s, 200 W;
 * GPU 1's average is [N/A], so power.draw (50, 150 W): 100 W. Usage of
 * GPU 0: 10 %, 90 %: 0.5. */
static void test_samples_nvidia_smi_units_tz_and_power_fallback(void **state)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(read_one(fixture("nvsmi.csv"), NULL, &ro, &r, NULL, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "--tz"));
    ro.has_tz = 1;
    ro.tz_offset_s = 3600;
    assert_int_equal(read_one(fixture("nvsmi.csv"), NULL, &ro, &r, NULL, &e), EST_OK);
    assert_close(r.start_unix_s, 1706698800.0, 1e-15);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_close(gpu(&r, 1)->mean_power_w, 100.0, 1e-12);
    assert_close(gpu(&r, 0)->usage_frac.mean, 0.5, 1e-12);
    assert_string_equal(gpu(&r, 0)->name, "NVIDIA A100-SXM4-80GB");
}

/* rocm-smi.csv, --interval 5: card0 100, 300, 100 W at 0, 5, 10 s:
 * (100+300)/2 x 5 x 2 = 2000 J, 200 W. card1 is a secondary die: listed,
 * no power, not a zero. */
static void test_samples_rocm_smi_interval_and_secondary_die(void **state)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(read_one(fixture("rocm-smi.csv"), NULL, &ro, &r, NULL, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "--interval"));
    ro.interval_s = 5.0;
    ro.origin_unix_s = T0;
    assert_int_equal(read_one(fixture("rocm-smi.csv"), NULL, &ro, &r, NULL, &e), EST_OK);
    assert_close(r.duration_s, 10.0, 1e-12);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_true(gpu(&r, 1)->secondary_die);
    assert_false(gpu(&r, 1)->power_w.present);
    assert_int_equal(gpu(&r, 1)->power_w.missing, 0);
}

/* Two files, aligned on time: host.csv (mapped columns; CPU 50 %, RAM 4, 8,
 * 4 GB at 0, 10, 20 s) and gpu-late.csv (100, 300 W at 5, 15 s). The job
 * is 0..20 s; RAM 120 / 20 = 6 GB; the GPU covers 10 s: 2000 J, 200 W. */
static void test_samples_two_files_aligned_on_time(void **state)
{
    est_samples *s;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    ro.columns = "time=timestamp,cpu_pct=cpu_user_pct,ram_gb=ram_used_gb";
    assert_int_equal(est_samples_read_file(s, fixture("host.csv"), &ro, &e), EST_OK);
    assert_int_equal(est_samples_read_file(s, fixture("gpu-late.csv"), NULL, &e), EST_OK);
    /* the same quantity from a third file is refused */
    assert_int_equal(est_samples_read_file(s, fixture("gpu-late.csv"), NULL, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "also given by"));
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, &e), EST_OK);
    assert_close(r.duration_s, 20.0, 1e-12);
    assert_close(r.cpu_usage_frac.mean, 0.5, 1e-12);
    assert_close(r.ram_used_gb.mean, 6.0, 1e-12);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_close(gpu(&r, 0)->power_w.covered_s, 10.0, 1e-12);
    assert_close(r.covered_s, 10.0, 1e-12);
    est_samples_free(s);
}

static void test_samples_unknown_header_asks_for_columns(void **state)
{
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(read_one(fixture("host.csv"), NULL, NULL, &r, NULL, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "--columns"));
}

/* Feeding one byte at a time gives the same result as the whole file. */
static void test_samples_reader_chunks_do_not_matter(void **state)
{
    size_t len, i;
    char *data = test_read_file(fixture("ecoest-basic.csv"), &len);
    est_samples *s;
    est_samples_reader *rd;
    est_samples_result r;
    (void)state;
    assert_non_null(data);
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_reader_open(&rd, s, "basic", NULL, NULL), EST_OK);
    for (i = 0; i < len; i++)
        assert_int_equal(est_samples_reader_feed(rd, data + i, 1, NULL), EST_OK);
    assert_int_equal(est_samples_reader_finish(rd, NULL), EST_OK);
    assert_int_equal(est_samples_reader_format(rd), EST_SAMPLES_FORMAT_ECOEST);
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_close(r.ram_used_gb.mean, 15.0, 1e-12);
    est_samples_reader_free(rd);
    est_samples_free(s);
    free(data);
}


/* est_samples_read_fd on two threads gives exactly what one thread gives:
 * 50000 rows (several batches of 8192), with a missing value, GPU names
 * (info records), and the same first error for a bad row. Rows k = 0..49999
 * at T0 + k s: GPU 0 = 100 + (k % 7) W; every 1000th row NA. */
static void test_samples_two_threads_same_result(void **state)
{
    char *dir = test_mkdtemp(), path[512], bad[512];
    FILE *f;
    unsigned long k;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r1, r2;
    est_error e1, e2;
    (void)state;
    snprintf(path, sizeof path, "%s/big.csv", dir);
    snprintf(bad, sizeof bad, "%s/bad.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("time_unix_s,gpu0_power_w,gpu0_name,cpu_usage_pct\n", f);
    for (k = 0; k < 50000; k++) {
        if (k % 1000 == 999)
            fprintf(f, "%lu,NA,A100,50\n", 1700000000ul + k);
        else
            fprintf(f, "%lu,%lu,A100,50\n", 1700000000ul + k, 100 + k % 7);
    }
    fclose(f);
    ro.threads = 1;
    assert_int_equal(read_one(path, NULL, &ro, &r1, NULL, NULL), EST_OK);
    ro.threads = 2;
    assert_int_equal(read_one(path, NULL, &ro, &r2, NULL, NULL), EST_OK);
    assert_true(G(&r1, 0)->power_w.integral == G(&r2, 0)->power_w.integral);
    assert_true(G(&r1, 0)->power_w.covered_s == G(&r2, 0)->power_w.covered_s);
    assert_int_equal(G(&r1, 0)->power_w.missing, 50);
    assert_int_equal(G(&r2, 0)->power_w.missing, 50);
    assert_int_equal(r1.gaps, r2.gaps);
    assert_string_equal(G(&r2, 0)->name, "A100");
    assert_close(r2.cpu_usage_frac.mean, 0.5, 1e-12);

    /* a bad row at line 30002 (row 30000): the same message either way */
    f = fopen(bad, "w");
    assert_non_null(f);
    fputs("time_unix_s,gpu0_power_w\n", f);
    for (k = 0; k < 40000; k++)
        fprintf(f, "%lu,%s\n", 1700000000ul + k, k == 30000 ? "oops" : "100");
    fclose(f);
    ro.threads = 1;
    assert_int_equal(read_one(bad, NULL, &ro, &r1, NULL, &e1), EST_EPARSE);
    ro.threads = 2;
    assert_int_equal(read_one(bad, NULL, &ro, &r2, NULL, &e2), EST_EPARSE);
    assert_string_equal(e1.message, e2.message);
    assert_non_null(strstr(e2.message, ":30002: column gpu0_power_w: expected a number"));
    test_rmtree(dir);
    free(dir);
}

/* A regular file above 512 KiB is read in 256 KiB blocks cut at row
 * boundaries, parsed by two threads and integrated in file order; lines the
 * block parser does not take (comments, blank lines, a repeated header, a
 * missing value, a sign, CRLF, a 10 kB comment across a cut) go through the
 * streaming reader in place. Every figure equals the streaming reader's fed
 * in 1000-byte pieces, to the bit (the whole result struct), with the same
 * statistics and the same rows shown to on_row; a bad row and a line too
 * long far into the file give the same message either way. */
typedef struct row_tally {
    unsigned long n;
    double sum;
} row_tally;

static void tally_row(void *user, double t, const est_sample *v, size_t n)
{
    row_tally *y = user;
    size_t i;
    y->n++;
    y->sum += t;
    for (i = 0; i < n; i++)
        y->sum += v[i].value == v[i].value ? v[i].value * (double)(i + 1) : 0.5;
}

static int read_streaming(const char *path, const est_samples_options *so,
                          est_samples_read_options *ro, est_samples_result *res,
                          est_samples_read_stats *st, est_error *err)
{
    size_t len, i;
    char *data = test_read_file(path, &len);
    est_samples *s;
    est_samples_reader *rd;
    int rc;
    assert_non_null(data);
    assert_int_equal(est_samples_open(&s, so, NULL), EST_OK);
    rc = est_samples_reader_open(&rd, s, path, ro, err);
    for (i = 0; !rc && i < len; i += 1000)
        rc = est_samples_reader_feed(rd, data + i, len - i < 1000 ? len - i : 1000, err);
    if (!rc)
        rc = est_samples_reader_finish(rd, err);
    if (!rc)
        rc = est_samples_finish(s, err);
    memset(res, 0, sizeof *res);
    if (!rc)
        rc = est_samples_compute(res, s, err);
    est_samples_stats(st, s);
    est_samples_reader_free(rd);
    est_samples_free(s);
    free(data);
    return rc;
}

static int read_blocks(const char *path, const est_samples_options *so,
                       est_samples_read_options *ro, est_samples_result *res,
                       est_samples_read_stats *st, est_error *err)
{
    est_samples *s;
    int rc;
    assert_int_equal(est_samples_open(&s, so, NULL), EST_OK);
    ro->threads = 2;
    rc = est_samples_read_file(s, path, ro, err);
    ro->threads = 0;
    if (!rc)
        rc = est_samples_finish(s, err);
    memset(res, 0, sizeof *res);
    if (!rc)
        rc = est_samples_compute(res, s, err);
    est_samples_stats(st, s);
    est_samples_free(s);
    return rc;
}

static void test_samples_blocks_equal_streaming(void **state)
{
    char *dir = test_mkdtemp(), path[512];
    FILE *f;
    unsigned long k;
    int variant;
    (void)state;
    snprintf(path, sizeof path, "%s/blocks.csv", dir);
    for (variant = 0; variant < 4; variant++) {
        est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
        est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
        est_samples_result *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        est_samples_read_stats sa, sb;
        row_tally ta = {0, 0.0}, tb = {0, 0.0};
        est_error ea, eb;
        int ra, rb;
        assert_non_null(a);
        assert_non_null(b);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs("time_unix_s,cpu_usage_frac,ram_used_gb,gpu0_power_w\n", f);
        for (k = 0; k < 60000; k++) {
            const char *nl = k % 997 == 5 ? "\r\n" : "\n";
            if (k % 4001 == 7)
                fputs("\n# a comment\n", f);
            if (k % 20011 == 11)
                fputs("time_unix_s,cpu_usage_frac,ram_used_gb,gpu0_power_w\n", f);
            if (k % 9973 == 3) {
                fputs("# ", f);
                for (int j = 0; j < 10000; j++)
                    fputc('c', f);
                fputc('\n', f);
            }
            if (variant == 2 && k == 50001)
                fprintf(f, "%lu,0.5,oops,200\n", 1700000000ul + 2 * k);
            else if (variant == 3 && k == 50001) {
                for (int j = 0; j < 70000; j++)
                    fputc('#', f);
                fputc('\n', f);
            } else if (k % 101 == 9)
                fprintf(f, "%lu,,+%lu.5,%lu.25%s", 1700000000ul + 2 * k, 20 + k % 9,
                        100 + k % 13, nl);
            else
                fprintf(f, "%lu,0.%03lu,%lu.%02lu,%lu.%lu%s", 1700000000ul + 2 * k, k % 1000,
                        20 + k % 30, k % 100, 100 + k % 300, k % 10, nl);
        }
        fclose(f);
        if (variant == 1) {
            so.has_start = so.has_end = 1;
            so.start_unix_s = 1700000000.0 + 30000.5;
            so.end_unix_s = 1700000000.0 + 90000.25;
            so.fill = EST_SAMPLES_FILL_HOLD;
            so.max_gap_s = 3.0;
        }
        ro.on_row = tally_row;
        ro.row_user = &ta;
        ra = read_streaming(path, &so, &ro, a, &sa, &ea);
        ro.row_user = &tb;
        rb = read_blocks(path, &so, &ro, b, &sb, &eb);
        assert_int_equal(ra, rb);
        assert_int_equal(ta.n, tb.n);
        assert_true(ta.sum == tb.sum);
        assert_int_equal(sa.rows, sb.rows);
        assert_int_equal(sa.headers, sb.headers);
        if (ra == EST_OK) {
            assert_same_result(a, b);
            /* 594 rows (k = 9 + 101 m, m = 0..593) leave the CPU usage empty:
               not sampled */
            assert_int_equal(a->cpu_usage_frac.samples, 60000 - 594);
            assert_true(sa.headers >= 3);
        } else {
            assert_string_equal(ea.message, eb.message);
            assert_non_null(strstr(eb.message, variant == 2 ? "column ram_used_gb"
                                                            : "line longer than"));
        }
        free(a);
        free(b);
    }
    test_rmtree(dir);
    free(dir);
}

/* The same for an nvidia-smi log (units, an index, names, zone-less times
 * with --tz as an offset, "[N/A]", a secondary die, a GPU named only after
 * its first rows, repeated headers, CRLF, quotes): the block parsers read its
 * rows too; the results equal the streaming reader's to the bit, and a bad
 * row far in gives the same message. */
static void test_samples_blocks_equal_streaming_nvidia_smi(void **state)
{
    char *dir = test_mkdtemp(), path[512];
    FILE *f;
    unsigned long k;
    int variant;
    static const char hdr[] = "timestamp, index, name, power.draw [W], utilization.gpu [%]\n";
    (void)state;
    snprintf(path, sizeof path, "%s/nvsmi.csv", dir);
    for (variant = 0; variant < 2; variant++) {
        est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
        est_samples_result *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        est_samples_read_stats sa, sb;
        est_error ea, eb;
        int ra, rb;
        assert_non_null(a);
        assert_non_null(b);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(hdr, f);
        for (k = 0; k < 40000; k++) {
            unsigned long tick = k / 3, g = k % 3, s = tick % 86400;
            const char *name = g == 2 && k < 30000 ? "" : g == 1 ? "NVIDIA H100" : "NVIDIA A100";
            char power[32];
            if (k % 5003 == 17)
                fputs(hdr, f);
            if (k % 211 == 5)
                snprintf(power, sizeof power, "[N/A]");
            else if (k % 307 == 7)
                snprintf(power, sizeof power, "N/A (Secondary die)");
            else if (variant == 1 && k == 33333)
                snprintf(power, sizeof power, "12.5.5 W");
            else
                snprintf(power, sizeof power, "%lu.%02lu W", 60 + k % 300, k % 100);
            if (k % 1009 == 3)
                fprintf(f, "\"2024/03/%02lu %02lu:%02lu:%02lu.%03lu\", %lu, %s, %s, %lu %%\n",
                        1 + tick / 86400, s / 3600, s / 60 % 60, s % 60, g * 7, g, name, power,
                        k % 101);
            else
                fprintf(f, "2024/03/%02lu %02lu:%02lu:%02lu.%03lu, %lu, %s, %s, %lu %%%s",
                        1 + tick / 86400, s / 3600, s / 60 % 60, s % 60, g * 7, g, name, power,
                        k % 101, k % 401 == 9 ? "\r\n" : "\n");
        }
        fclose(f);
        ro.has_tz = 1;
        ro.tz_offset_s = 3600;
        ra = read_streaming(path, NULL, &ro, a, &sa, &ea);
        rb = read_blocks(path, NULL, &ro, b, &sb, &eb);
        assert_int_equal(ra, rb);
        assert_int_equal(sa.rows, sb.rows);
        assert_int_equal(sa.headers, sb.headers);
        if (ra == EST_OK) {
            assert_same_result(a, b);
            assert_int_equal(b->n_gpus, 3);
            assert_string_equal(gpu(b, 2)->name, "NVIDIA A100"); /* named at k = 30002 */
            assert_true(gpu(b, 1)->secondary_die);
        } else {
            assert_string_equal(ea.message, eb.message);
            assert_non_null(strstr(eb.message, "column power.draw [W]: expected a number"));
        }
        free(a);
        free(b);
    }
    test_rmtree(dir);
    free(dir);
}

/* The block parser reads a plain value with its unit without the general
 * parser (the shared scanner, then the unit rule of parse_value): every
 * form of a value the rule knows - a unit after one space, two, a tab and a space, a
 * percent sign with and without a space, leading zeros, a trailing point,
 * and forms only the general path reads (a sign, an exponent, 20 digits) -
 * gives the streaming reader's figures to the bit; "5W" (a unit with no
 * space) far into the file gives the same message either way. */
static void test_samples_blocks_read_units_like_streaming(void **state)
{
    static const char *const power[] = {"250.5 W", "250.5  W", "250.5\t W", "007.50 W",
                                        "99. W", "1e2 W", "+61.25 W", "120",
                                        "00000000000000000123 W", "[N/A]", "", "80.125 W"};
    static const char *const usage[] = {"42 %", "42%", "42  %", "0.5 %", "100 %", "7"};
    char *dir = test_mkdtemp(), path[512];
    unsigned long k;
    int variant;
    (void)state;
    snprintf(path, sizeof path, "%s/units.csv", dir);
    for (variant = 0; variant < 2; variant++) {
        est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
        est_samples_result *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        est_samples_read_stats sa, sb;
        est_error ea, eb;
        int ra, rb;
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        assert_non_null(a);
        assert_non_null(b);
        fputs("timestamp, index, name, power.draw [W], utilization.gpu [%]\n", f);
        for (k = 0; k < 30000; k++) {
            unsigned long tick = k / 2, sec = tick % 86400;
            fprintf(f, "2024/05/%02lu %02lu:%02lu:%02lu.%03lu, %lu, NVIDIA L4, %s, %s\n",
                    1 + tick / 86400, sec / 3600, sec / 60 % 60, sec % 60, k % 2 * 5, k % 2,
                    variant == 1 && k == 25000 ? "5W" : power[k % 12], usage[k % 6]);
        }
        fclose(f);
        ro.has_tz = 1;
        ro.tz_offset_s = 0;
        ra = read_streaming(path, NULL, &ro, a, &sa, &ea);
        rb = read_blocks(path, NULL, &ro, b, &sb, &eb);
        assert_int_equal(ra, rb);
        assert_int_equal(sa.rows, sb.rows);
        if (variant == 0) {
            if (ra != EST_OK)
                fail_msg("%s", ea.message);
            assert_same_result(a, b);
            /* 30 000 rows, 2 GPUs (k even: GPU 0): 15 000 rows each.
               "[N/A]" (k % 12 == 9, odd: GPU 1) is a missing power, ""
               (k % 12 == 10, even: GPU 0) not sampled: 30 000 / 12 = 2 500
               rows of each, so 15 000 - 2 500 = 12 500 powers each */
            assert_int_equal(b->n_gpus, 2);
            assert_int_equal(gpu(b, 0)->power_w.samples, 12500);
            assert_int_equal(gpu(b, 0)->power_w.missing, 0);
            assert_int_equal(gpu(b, 1)->power_w.samples, 12500);
            assert_int_equal(gpu(b, 1)->power_w.missing, 2500);
        } else {
            assert_int_not_equal(ra, EST_OK);
            assert_string_equal(ea.message, eb.message);
            assert_non_null(strstr(eb.message, ":25002: column power.draw [W]: expected a number"));
        }
        free(a);
        free(b);
    }
    test_rmtree(dir);
    free(dir);
}

/* The parsing thread of est_samples_read_fd took signals like any thread,
 * so a SIGINT could land on it. It is created with every signal blocked,
 * and the caller's mask is as it was after the call. tz_fn runs on it:
 * there it sees SIGINT, SIGTERM and SIGUSR1 blocked. */
typedef struct tz_probe {
    pthread_t caller;
    int calls, on_other_thread, all_blocked;
} tz_probe;

static int probe_tz(void *user, double local_as_utc_s, long *offset_s)
{
    tz_probe *p = user;
    sigset_t cur;
    (void)local_as_utc_s;
    *offset_s = 0;
    if (p->calls++ == 0) {
        p->on_other_thread = !pthread_equal(pthread_self(), p->caller);
        p->all_blocked = pthread_sigmask(SIG_BLOCK, NULL, &cur) == 0 &&
                         sigismember(&cur, SIGINT) == 1 && sigismember(&cur, SIGTERM) == 1 &&
                         sigismember(&cur, SIGUSR1) == 1;
    }
    return 0;
}

static void test_samples_parsing_thread_blocks_signals(void **state)
{
    char *dir = test_mkdtemp(), path[512];
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples *s;
    tz_probe probe;
    sigset_t before, after, usr2;
    FILE *f;
    int fd;
    unsigned k;
    (void)state;
    snprintf(path, sizeof path, "%s/local.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("t,p\n", f);
    for (k = 0; k < 100; k++)
        fprintf(f, "2023-11-14T22:%02u:%02u,100\n", k / 60, k % 60);
    fclose(f);
    /* the caller blocks SIGUSR2 only */
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &usr2, &before), 0);
    memset(&probe, 0, sizeof probe);
    probe.caller = pthread_self();
    ro.columns = "time=t,gpu_w=p";
    ro.tz_fn = probe_tz;
    ro.tz_user = &probe;
    ro.threads = 2;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(est_samples_read_fd(s, fd, "local.csv", &ro, NULL), EST_OK);
    close(fd);
    est_samples_free(s);
    assert_int_equal(probe.calls >= 100, 1);
    assert_true(probe.on_other_thread);
    assert_true(probe.all_blocked);
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &before, &after), 0);
    assert_int_equal(sigismember(&after, SIGUSR2), 1);
    assert_int_equal(sigismember(&after, SIGINT), 0);
    assert_int_equal(sigismember(&after, SIGUSR1), 0);
    test_rmtree(dir);
    free(dir);
}

/* ---- the writer ---- */

typedef struct membuf {
    char data[4096];
    size_t len;
} membuf;

static int mem_write(void *user, const char *p, size_t n)
{
    membuf *m = user;
    if (m->len + n > sizeof m->data)
        return -1;
    memcpy(m->data + m->len, p, n);
    m->len += n;
    return 0;
}

/* Write 100 W, NA, 300 W for GPU 0 and 0.25, -, 0.75 CPU usage at 0, 1,
 * 2 s; read back: GPU 0 covers [1,2]... no: the NA at 1 s makes [0,2] a gap,
 * so GPU 0 has no coverage; CPU usage (no value at 1 s: not sampled, so no
 * gap) = (0.25+0.75)/2 = 0.5 over 2 s. */
static void test_samples_writer_round_trip(void **state)
{
    est_samples_writer *w;
    est_sample cols[2] = {{EST_SAMPLES_GPU_POWER_W, 0, 0}, {EST_SAMPLES_CPU_USAGE_FRAC, 0, 0}};
    est_sample row[2];
    membuf m;
    est_samples *s;
    est_samples_reader *rd;
    est_samples_result r;
    (void)state;
    m.len = 0;
    assert_int_equal(est_samples_writer_open(&w, cols, 2, mem_write, &m, NULL), EST_OK);
    row[0] = cols[0];
    row[0].value = 100.0;
    row[1] = cols[1];
    row[1].value = 0.25;
    assert_int_equal(est_samples_writer_row(w, T0 + 0.1, row, 2, NULL), EST_OK);
    row[0].value = NAN;
    assert_int_equal(est_samples_writer_row(w, T0 + 1.0, row, 1, NULL), EST_OK);
    row[0].value = 300.0;
    row[1].value = 0.75;
    assert_int_equal(est_samples_writer_row(w, T0 + 2.1, row, 2, NULL), EST_OK);
    /* a value for a column it does not have */
    row[0].kind = EST_SAMPLES_RAM_USED_GB;
    assert_int_equal(est_samples_writer_row(w, T0 + 3.0, row, 1, NULL), EST_EINVAL);
    est_samples_writer_free(w);
    m.data[m.len] = '\0';
    assert_string_equal(m.data, "time_unix_s,gpu0_power_w,cpu_usage_frac\n"
                                "1700000000.1,100,0.25\n"
                                "1700000001,NA,\n"
                                "1700000002.1,300,0.75\n");

    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_reader_open(&rd, s, "mem", NULL, NULL), EST_OK);
    assert_int_equal(est_samples_reader_feed(rd, m.data, m.len, NULL), EST_OK);
    assert_int_equal(est_samples_reader_finish(rd, NULL), EST_OK);
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    /* 100, NA, 300: no covered step; the mean of the readings, 200 W */
    assert_true(gpu(&r, 0)->power_w.mean_of_readings);
    assert_close(gpu(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_int_equal(gpu(&r, 0)->power_w.missing, 1);
    assert_close(r.cpu_usage_frac.mean, 0.5, 1e-12);
    assert_close(r.cpu_usage_frac.covered_s, 2.0, 1e-9);
    est_samples_reader_free(rd);
    est_samples_free(s);
}

/* Conversion over the window T0+1..T0+3 of GPU 0 power 100, 200, 300 W at
 * T0, T0+2, T0+4: the edges interpolate (100 + 200) / 2 = 150 W at T0+1 and
 * (200 + 300) / 2 = 250 W at T0+3; T0 and T0+4 lie outside and are dropped.
 * Without a window every row is written and no edge row. */
static void test_samples_convert_window_and_edges(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_convert_options co = EST_SAMPLES_CONVERT_OPTIONS_INIT;
    est_samples_converter *cv = NULL;
    est_samples *s;
    est_samples_result r;
    membuf m;
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 0, 0};
    int i;
    (void)state;
    o.has_start = o.has_end = 1;
    o.start_unix_s = T0 + 1;
    o.end_unix_s = T0 + 3;
    o.max_gap_s = 10.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    for (i = 0; i < 3; i++) {
        v.value = 100.0 * (i + 1);
        assert_int_equal(est_samples_push(s, T0 + 2 * i, &v, 1, NULL), EST_OK);
    }
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    co.has_start = co.has_end = 1;
    assert_int_equal(est_samples_convert_open(&cv, &r, &co, NULL), EST_OK);
    m.len = 0;
    assert_int_equal(est_samples_convert_begin(cv, mem_write, &m, NULL), EST_OK);
    for (i = 0; i < 3; i++) {
        v.value = 100.0 * (i + 1);
        est_samples_convert_row(cv, T0 + 2 * i, &v, 1);
    }
    assert_int_equal(est_samples_convert_finish(cv, NULL), EST_OK);
    est_samples_convert_free(cv);
    m.data[m.len] = '\0';
    assert_string_equal(m.data, "time_unix_s,gpu0_power_w\n"
                                "1700000001,150\n"
                                "1700000002,200\n"
                                "1700000003,250\n");
    /* no window: the three rows as they were */
    assert_int_equal(est_samples_convert_open(&cv, &r, NULL, NULL), EST_OK);
    m.len = 0;
    assert_int_equal(est_samples_convert_begin(cv, mem_write, &m, NULL), EST_OK);
    for (i = 0; i < 3; i++) {
        v.value = 100.0 * (i + 1);
        est_samples_convert_row(cv, T0 + 2 * i, &v, 1);
    }
    assert_int_equal(est_samples_convert_finish(cv, NULL), EST_OK);
    est_samples_convert_free(cv);
    m.data[m.len] = '\0';
    assert_string_equal(m.data, "time_unix_s,gpu0_power_w\n"
                                "1700000000,100\n"
                                "1700000002,200\n"
                                "1700000004,300\n");
    co.version = 0;
    assert_int_equal(est_samples_convert_open(&cv, &r, &co, NULL), EST_EINVAL);
    assert_null(cv);
    est_samples_free(s);
}

/* A log of two GPUs cut to one: the other's power, usage and name columns
 * go, the host column stays; a row left with no value goes (row 2 when only
 * GPU 0 is kept: it holds only GPU 1's values). Values, "NA", times and a
 * quoted name are written back as they were. */
static void test_samples_keep_gpus_drops_columns_and_empty_rows(void **state)
{
    static const char log[] =
        "time_unix_s,cpu_usage_frac,gpu0_power_w,gpu0_usage_frac,gpu1_power_w,"
        "gpu1_usage_frac,gpu0_name,gpu1_name\n"
        "1700000000,0.5,100,0.25,50,NA,A100,\"H100, SXM\"\n"
        "1700000001,,,,60,0.5,,\n"
        "1700000002.5,0.75,110,,,,,\n";
    const unsigned char only1[2] = {0, 1}, only0[2] = {1, 0};
    membuf m;
    (void)state;
    m.len = 0;
    assert_int_equal(est_samples_keep_gpus(log, strlen(log), only1, 2, mem_write, &m, NULL),
                     EST_OK);
    m.data[m.len] = '\0';
    assert_string_equal(m.data, "time_unix_s,cpu_usage_frac,gpu1_power_w,gpu1_usage_frac,"
                                "gpu1_name\n"
                                "1700000000,0.5,50,NA,\"H100, SXM\"\n"
                                "1700000001,,60,0.5,\n"
                                "1700000002.5,0.75,,,\n");
    m.len = 0;
    assert_int_equal(est_samples_keep_gpus(log, strlen(log), only0, 2, mem_write, &m, NULL),
                     EST_OK);
    m.data[m.len] = '\0';
    assert_string_equal(m.data, "time_unix_s,cpu_usage_frac,gpu0_power_w,gpu0_usage_frac,"
                                "gpu0_name\n"
                                "1700000000,0.5,100,0.25,A100\n"
                                "1700000002.5,0.75,110,,\n");
    m.len = 0;
    assert_int_equal(est_samples_keep_gpus("time_unix_s,bogus\n1,2\n", 22, only0, 2, mem_write,
                                           &m, NULL), EST_EPARSE);
    assert_int_equal(est_samples_keep_gpus(NULL, 0, only0, 2, mem_write, &m, NULL), EST_EINVAL);
}

/* ---- ../shared/samples ---- */

/* nvidia-smi-query.csv, GPU 0, real timestamps (dt 0.994, 1.005, 0.995,
 * 1.006, 0.998, 1.005, 1.000 s):
 *   (61.42+62.10)/2 x 0.994 = 61.38944     (62.10+288.77)/2 x 1.005 = 176.312175
 *   (288.77+391.05)/2 x 0.995 = 338.21045  (391.05+398.61)/2 x 1.006 = 397.19898
 *   (398.61+402.13)/2 x 0.998 = 399.56926  (402.13+399.47)/2 x 1.005 = 402.804
 *   (399.47+121.30)/2 x 1.000 = 260.385    sum 2035.869305 J over 7.003 s
 *   = 290.71388 W, 5.65519e-4 kWh.
 * GPU 1 has an [Unknown Error] at 12:00:04.134: a gap, one missing value. */
static void test_samples_shared_nvidia_smi_query(void **state)
{
    const char *p = shared("nvidia-smi-query.csv");
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    (void)state;
    SKIP_IF_NO_SHARED(p);
    ro.has_tz = 1;
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->power_w.integral, 2035.869305, 1e-6);
    assert_close(gpu(&r, 0)->mean_power_w, 2035.869305 / 7.003, 1e-6);
    assert_close(gpu(&r, 0)->energy_kwh, 2035.869305 / 3.6e6, 1e-6);
    assert_int_equal(gpu(&r, 1)->power_w.missing, 1);
    assert_int_equal(gpu(&r, 1)->power_w.gaps, 1);
    assert_string_equal(gpu(&r, 0)->name, "NVIDIA A100-SXM4-80GB");
    /* the nounits and noheader variants read the same */
    p = shared("nvidia-smi-nounits.csv");
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->power_w.integral, 2035.869305, 1e-6);
    p = shared("nvidia-smi-noheader-nounits.csv");
    ro.columns = "timestamp, name, index, pci.bus_id, power.draw, utilization.gpu, "
                 "utilization.memory, memory.used, memory.total, power.limit";
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->power_w.integral, 2035.869305, 1e-6);
}

/* nvidia-smi-turing-power.csv: power.draw.average is [N/A], so power.draw:
 * (39.32+111.50)/2 x 1.004 + (111.50+98.14)/2 x 0.996 = 75.71164 +
 * 104.40072 = 180.11236 J over 2 s = 90.05618 W.
 * nvidia-smi-power-fields.csv GPU 0 uses power.draw.average: at 42.507,
 * 43.011, 43.510, 44.009, 44.513, 45.009, 45.512: 71.15 71.15 233.80 233.80
 * 612.44 612.44 631.95: 71.15 x 0.504 + 152.475 x 0.499 + 233.80 x 0.499 +
 * 423.12 x 0.504 + 612.44 x 0.496 + 622.195 x 0.503 = 35.8596 + 76.085025 +
 * 116.6662 + 213.25248 + 303.77024 + 312.964085 = 1058.59763 J / 3.005 s. */
static void test_samples_shared_nvidia_power_fields(void **state)
{
    const char *p = shared("nvidia-smi-turing-power.csv");
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    (void)state;
    SKIP_IF_NO_SHARED(p);
    ro.has_tz = 1;
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->power_w.integral, 180.11236, 1e-6);
    assert_close(gpu(&r, 0)->mean_power_w, 90.05618, 1e-6);
    p = shared("nvidia-smi-power-fields.csv");
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->power_w.integral, 1058.59763, 1e-6);
}

/* amd-smi-monitor.csv: GPU 0 742, 748, 751 W a second apart: 745 + 749.5 =
 * 1494.5 J over 2 s = 747.25 W. GPU 1: 739, N/A, 744: no coverage, but it
 * counts at the mean of its readings, (739 + 744) / 2 = 741.5 W. The CLI
 * (--pue 1, nothing else counted): 2 GPUs x (747.25 + 741.5) / 2 W x 2 s =
 * 2977.5 J (it used to count GPU 0 only: 1494.5 J). */
static void test_samples_shared_amd_smi(void **state)
{
    const char *p = shared("amd-smi-monitor.csv");
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--pue", "1", "--format", "json", NULL};
    est_samples_result r;
    test_run run;
    cJSON *root;
    (void)state;
    SKIP_IF_NO_SHARED(p);
    snprintf(path, sizeof path, "%s", p);
    assert_int_equal(read_one(p, NULL, NULL, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->mean_power_w, 747.25, 1e-12);
    assert_true(gpu(&r, 1)->power_w.present);
    assert_true(gpu(&r, 1)->power_w.mean_of_readings);
    assert_close(gpu(&r, 1)->mean_power_w, 741.5, 1e-12);
    assert_int_equal(gpu(&r, 1)->power_w.missing, 1);
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 0);
    root = cJSON_Parse(run.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(root, "energy_kwh")->valuedouble, 2977.5 / 3.6e6, 1e-9);
    cJSON_Delete(root);
    test_run_free(&run);
}

/* rocm-smi.csv: one tick only: four devices, two secondary dies; a single
 * sample per device is a clear "single sample" error. */
static void test_samples_shared_rocm_smi_single_tick(void **state)
{
    const char *p = shared("rocm-smi.csv");
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    (void)state;
    SKIP_IF_NO_SHARED(p);
    ro.interval_s = 1.0;
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "single sample"));
}

/* monitor-samples.csv through a mapping; steps are 10 s give or take a few
 * ms, so with 10 s steps (to 1e-3):
 * GPU: 10 x (61.4/2 + 288.9 + 391.2 + 398.7 + 402.1 + 399.5 + 247.0 + 121.3
 *      + 119.8 + 120.1 + 60.9/2) = 25497.5 J / 100 s = 254.975 W
 * CPU: 10 x (0/2 + 97.8 + 98.4 + 99.1 + 98.7 + 98.9 + 62.3 + 12.4 + 11.9
 *      + 12.1 + 4.2/2) / 100 = 59.37 / 100 s = 0.5937
 * RAM: 10 x (3.41/2 + 235.15 + 3.60/2) = 2386.55 / 100 = 23.8655 GB */
static void test_samples_shared_monitor_mapping(void **state)
{
    const char *p = shared("monitor-samples.csv");
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    (void)state;
    SKIP_IF_NO_SHARED(p);
    ro.columns = "time=timestamp,cpu_pct=cpu_user_pct,ram_gb=ram_used_gb,gpu_w=gpu_power_w";
    assert_int_equal(read_one(p, NULL, &ro, &r, NULL, NULL), EST_OK);
    assert_close(gpu(&r, 0)->mean_power_w, 254.975, 1e-3);
    assert_close(r.cpu_usage_frac.mean, 0.5937, 1e-3);
    assert_close(r.ram_used_gb.mean, 23.8655, 1e-3);
    assert_close(r.duration_s, 100.004, 1e-9);
}

/* ---- the CLI ---- */

/* ecoest-basic.csv with --cpu-tdp-per-core 10 (cores 8 from the log):
 * CPU 8 x 10 x 0.75 = 60 W, but the measured package power (100 W) is
 * preferred; GPUs 2 x 150 W mean (idle unknown: 0); memory 15 x 0.3725 =
 * 5.5875 W; PUE 1: 405.5875 W x 20 s = 8111.75 J = 0.00225326 kWh. */
static void test_samples_cli_json_keys(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--cpu-tdp-per-core", "10", "--pue", "1",
                    "--format", "json", NULL};
    test_run r;
    cJSON *root, *s, *g;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("ecoest-basic.csv"));
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(root, "energy_kwh")->valuedouble, 8111.75 / 3.6e6, 1e-9);
    assert_close(cJSON_GetObjectItem(root, "runtime_h")->valuedouble, 20.0 / 3600.0, 1e-12);
    s = cJSON_GetObjectItem(root, "samples");
    assert_non_null(s);
    assert_int_equal(cJSON_GetObjectItem(s, "rows")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(s, "skipped_rows")->valueint, 0);
    assert_close(cJSON_GetObjectItem(s, "duration_s")->valuedouble, 20.0, 1e-12);
    assert_close(cJSON_GetObjectItem(s, "covered_s")->valuedouble, 20.0, 1e-12);
    assert_int_equal(cJSON_GetObjectItem(s, "gaps")->valueint, 0);
    assert_close(cJSON_GetObjectItem(s, "cpu_usage_mean_frac")->valuedouble, 0.75, 1e-12);
    assert_close(cJSON_GetObjectItem(s, "ram_mean_gb")->valuedouble, 15.0, 1e-12);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(s, "gpus")), 2);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "gpus"), 0);
    assert_int_equal(cJSON_GetObjectItem(g, "index")->valueint, 0);
    assert_non_null(cJSON_GetObjectItem(g, "name"));
    assert_close(cJSON_GetObjectItem(g, "mean_power_w")->valuedouble, 200.0, 1e-12);
    assert_non_null(cJSON_GetObjectItem(g, "idle_w"));
    assert_close(cJSON_GetObjectItem(g, "energy_kwh")->valuedouble, 4000.0 / 3.6e6, 1e-12);
    assert_non_null(cJSON_GetObjectItem(g, "energy_above_idle_kwh"));
    assert_non_null(strstr(cJSON_GetObjectItem(s, "equivalent_manual_inputs")->valuestring,
                           "--gpus 2 --gpu-power 150"));
    cJSON_Delete(root);
    test_run_free(&r);
}

/* An ecoest log of 72 GPUs (one node of more than the 64 a result once
 * held), rows at T0, T0+10, T0+20: GPU k gives 100+k, 300+k, 100+k W, so
 *   its energy (100+k+300+k)/2 x 10 + (300+k+100+k)/2 x 10 = 4000 + 20k J,
 *   its mean (4000 + 20k) / 20 = 200 + k W: GPU 71 5420 J, 271 W;
 *   all 72: 72 x 4000 + 20 x (0+1+...+71) = 288000 + 20 x 2556 = 339120 J,
 *   means 72 x 200 + 2556 = 16956 W (= 339120 / 20). */
static char *log_of_72_gpus(void)
{
    size_t cap = 16384, o = 0;
    char *t = malloc(cap);
    int k, row;
    assert_non_null(t);
    o += (size_t)snprintf(t + o, cap - o, "time_unix_s");
    for (k = 0; k < 72; k++)
        o += (size_t)snprintf(t + o, cap - o, ",gpu%d_power_w", k);
    for (row = 0; row < 3; row++) {
        o += (size_t)snprintf(t + o, cap - o, "\n%.0f", T0 + 10.0 * row);
        for (k = 0; k < 72; k++)
            o += (size_t)snprintf(t + o, cap - o, ",%d", (row == 1 ? 300 : 100) + k);
    }
    o += (size_t)snprintf(t + o, cap - o, "\n");
    assert_true(o < cap);
    return t;
}

static void feed_all(est_samples *s, const char *name, const char *text)
{
    est_samples_reader *rd;
    assert_int_equal(est_samples_reader_open(&rd, s, name, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_reader_feed(rd, text, strlen(text), NULL), EST_OK);
    assert_int_equal(est_samples_reader_finish(rd, NULL), EST_OK);
    est_samples_reader_free(rd);
}

static void test_samples_result_holds_more_than_64_gpus(void **state)
{
    char *text = log_of_72_gpus();
    est_samples *s;
    est_samples_set *set;
    est_samples_result r;
    est_error e;
    double sum = 0.0;
    size_t i, hi;
    unsigned dev;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    feed_all(s, "72.csv", text);
    assert_int_equal(est_samples_finish(s, NULL), EST_OK);
    assert_int_equal((est_samples_compute)(&r, s, &e), EST_OK);
    assert_int_equal(r.n_gpus, 72);
    for (i = 0; i < r.n_gpus; i++) {
        assert_int_equal(G(&r, i)->index, i);
        sum += G(&r, i)->energy_kwh;
    }
    assert_close(sum, 339120.0 / 3.6e6, 1e-12);
    assert_close(G(&r, 71)->energy_kwh, 5420.0 / 3.6e6, 1e-12);
    assert_close(G(&r, 71)->mean_power_w, 271.0, 1e-12);
    assert_close(G(&r, 0)->mean_power_w, 200.0, 1e-12);
    assert_null(est_samples_result_gpu(&r, 72)); /* past the end */
    assert_null(est_samples_result_gpu(NULL, 0));
    /* every quantity shares the 20 s: the overlap check names no GPU */
    assert_int_equal(est_samples_check_overlap(&r, &e), EST_OK);
    est_samples_result_dispose(&r);
    assert_int_equal(r.n_gpus, 0);
    assert_null(est_samples_result_gpu(&r, 0));
    est_samples_result_dispose(&r); /* twice: harmless */
    est_samples_result_dispose(NULL);
    est_samples_free(s);

    /* two nodes of 72: the total numbers 144 GPUs, node b's GPU 71 as 143,
       and adds the energies: 2 x 339120 = 678240 J */
    assert_int_equal(est_samples_set_open(&set, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&s, set, "a", NULL), EST_OK);
    feed_all(s, "a.csv", text);
    assert_int_equal(est_samples_set_host(&s, set, "b", NULL), EST_OK);
    feed_all(s, "b.csv", text);
    assert_int_equal(est_samples_finish(est_samples_set_total(set), NULL), EST_OK);
    assert_int_equal((est_samples_compute)(&r, est_samples_set_total(set), &e), EST_OK);
    assert_int_equal(r.n_gpus, 144);
    for (sum = 0.0, i = 0; i < r.n_gpus; i++)
        sum += G(&r, i)->energy_kwh;
    assert_close(sum, 678240.0 / 3.6e6, 1e-12);
    assert_int_equal(G(&r, 143)->index, 143);
    assert_close(G(&r, 143)->energy_kwh, 5420.0 / 3.6e6, 1e-12);
    assert_int_equal(est_samples_set_gpu_origin(&hi, &dev, set, 143), EST_OK);
    assert_int_equal(hi, 1);
    assert_int_equal(dev, 71);
    est_samples_result_dispose(&r);
    est_samples_set_free(set);
    free(text);

    /* nvidia-smi rows of GPUs 70 and 5, named: each name kept with its
       index above 63; GPU 70: (100 + 300) / 2 x 10 s = 2000 J */
    {
        est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
        est_samples_reader *rd;
        static const char nv[] =
            "timestamp, index, name, power.draw [W]\n"
            "2024/01/31 12:00:00.000, 70, NVIDIA H100, 100.00 W\n"
            "2024/01/31 12:00:00.000, 5, NVIDIA A100, 50.00 W\n"
            "2024/01/31 12:00:10.000, 70, NVIDIA H100, 300.00 W\n"
            "2024/01/31 12:00:10.000, 5, NVIDIA A100, 50.00 W\n";
        ro.has_tz = 1;
        assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
        assert_int_equal(est_samples_reader_open(&rd, s, "nv.csv", &ro, NULL), EST_OK);
        assert_int_equal(est_samples_reader_feed(rd, nv, strlen(nv), &e), EST_OK);
        assert_int_equal(est_samples_reader_finish(rd, &e), EST_OK);
        est_samples_reader_free(rd);
        assert_int_equal(est_samples_finish(s, NULL), EST_OK);
        assert_int_equal((est_samples_compute)(&r, s, &e), EST_OK);
        assert_int_equal(r.n_gpus, 2);
        assert_int_equal(G(&r, 0)->index, 5);
        assert_string_equal(G(&r, 0)->name, "NVIDIA A100");
        assert_int_equal(G(&r, 1)->index, 70);
        assert_string_equal(G(&r, 1)->name, "NVIDIA H100");
        assert_close(G(&r, 1)->energy_kwh, 2000.0 / 3.6e6, 1e-12);
        est_samples_result_dispose(&r);
        est_samples_free(s);
    }
}

/* The CLI on the 72-GPU log: 72 GPUs in the JSON, GPU 71 at 5420 J, and
 * the estimate 72 GPUs x 16956/72 = 235.5 W x 20 s = 339120 J (idle
 * unknown: 0 W; no CPU, no memory; PUE 1). */
static void test_samples_cli_more_than_64_gpus(void **state)
{
    char *dir = test_mkdtemp(), path[1024], *text = log_of_72_gpus();
    char *argv[] = {bin(), "--samples", path, "--pue", "1", "--format", "json", NULL};
    test_run r;
    cJSON *root, *gpus;
    (void)state;
    snprintf(path, sizeof path, "%s/72.csv", dir);
    test_write_file(path, text);
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(root, "energy_kwh")->valuedouble, 339120.0 / 3.6e6, 1e-9);
    gpus = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "gpus");
    assert_int_equal(cJSON_GetArraySize(gpus), 72);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 71), "index")->valueint, 71);
    assert_close(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 71), "energy_kwh")->valuedouble,
                 5420.0 / 3.6e6, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(text);
}

static void test_samples_cli_bad_row_exit_65_empty_stdout(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--format", "json", NULL};
    char *argv_skip[] = {bin(), "--samples", path, "--skip-bad-rows", "--format", "json", NULL};
    test_run r;
    cJSON *root;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("bad-rows.csv"));
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "bad-rows.csv:3: column gpu0_power_w: expected a number, "
                                  "got \"abc\""));
    test_run_free(&r);

    test_run_argv(&r, argv_skip, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "skipped 5 bad rows of 7"));
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"),
                                         "skipped_rows")->valueint, 5);
    cJSON_Delete(root);
    test_run_free(&r);
}

/* Standard input as "-", and the exit codes of usage errors and missing
   files. gap.csv on stdin: 190 W mean (see the gap test). */
static void test_samples_cli_stdin_and_exit_codes(void **state)
{
    char *argv[] = {bin(), "--samples", "-", "--format", "json", NULL};
    char *missing[] = {bin(), "--samples", "/nonexistent/x.csv", NULL};
    char *hours[] = {bin(), "--samples", "-", "--hours", "2", NULL};
    char *notz[] = {bin(), "--samples", "-", NULL};
    size_t len;
    char *data = test_read_file(fixture("gap.csv"), &len);
    test_run r;
    cJSON *root, *g;
    (void)state;
    test_run_argv(&r, argv, data, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "gpus"), 0);
    assert_close(cJSON_GetObjectItem(g, "mean_power_w")->valuedouble, 190.0, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
    free(data);

    test_run_argv(&r, missing, NULL, NULL);
    assert_int_equal(r.status, 66);
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
    test_run_argv(&r, hours, "", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    /* a zone-less nvidia-smi log without --tz: a usage error naming --tz */
    data = test_read_file(fixture("nvsmi.csv"), &len);
    test_run_argv(&r, notz, data, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--tz"));
    assert_int_equal(r.out_len, 0);
    test_run_free(&r);
    free(data);
}

/* --write-samples converts nvsmi.csv to ecoest's format; reading that back
   gives GPU 0 its 200 W (see the nvidia-smi test). */
static void test_samples_cli_write_samples_round_trip(void **state)
{
    char *dir = test_mkdtemp(), out[512], in[1024];
    char *conv[] = {bin(), "--samples", in, "--tz", "+01:00", "--write-samples", out, NULL};
    char *back[] = {bin(), "--samples", out, "--format", "json", NULL};
    test_run r;
    cJSON *root, *g;
    (void)state;
    snprintf(in, sizeof in, "%s", fixture("nvsmi.csv"));
    snprintf(out, sizeof out, "%s/conv.csv", dir);
    test_run_argv(&r, conv, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    test_run_argv(&r, back, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "gpus"), 0);
    assert_close(cJSON_GetObjectItem(g, "mean_power_w")->valuedouble, 200.0, 1e-12);
    assert_close(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"),
                                     "start_unix_s")->valuedouble, 1706698800.0, 1e-15);
    cJSON_Delete(root);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --start/--end and --idle-until through the CLI: idle.csv with
   --idle-until 1700000010: GPU idle 50 W measured, job 20 s. */
static void test_samples_cli_idle_until(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--idle-until", "2023-11-14T22:13:30Z",
                    "--format", "json", NULL};
    test_run r;
    cJSON *root, *s, *g;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("idle.csv"));
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    s = cJSON_GetObjectItem(root, "samples");
    assert_close(cJSON_GetObjectItem(s, "duration_s")->valuedouble, 20.0, 1e-12);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "gpus"), 0);
    assert_close(cJSON_GetObjectItem(g, "idle_w")->valuedouble, 50.0, 1e-12);
    assert_close(cJSON_GetObjectItem(g, "energy_above_idle_kwh")->valuedouble,
                 3000.0 / 3.6e6, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
}

/* Counts the entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* --write-samples never destroys its input: an output that is an input
   (the same path, or a hard link to it) is a usage error (64) and the file
   is untouched; a conversion that fails (a bad row: 65) leaves an existing
   output as it was and no temporary file behind. */
static void test_samples_cli_write_samples_never_overwrites_input(void **state)
{
    char *dir = test_mkdtemp(), w[512], h[512], o[512], bad[1024];
    char *same[] = {bin(), "--samples", w, "--write-samples", w, NULL};
    char *link_[] = {bin(), "--samples", w, "--write-samples", h, NULL};
    char *fails[] = {bin(), "--samples", bad, "--write-samples", o, NULL};
    char *ok[] = {bin(), "--samples", w, "--write-samples", o, NULL};
    const char *log = "time_unix_s,gpu0_power_w\n1700000000,100\n1700000010,300\n";
    char *back;
    size_t len;
    test_run r;
    (void)state;
    snprintf(w, sizeof w, "%s/w.csv", dir);
    snprintf(h, sizeof h, "%s/h.csv", dir);
    snprintf(o, sizeof o, "%s/o.csv", dir);
    snprintf(bad, sizeof bad, "%s", fixture("bad-rows.csv"));
    test_write_file(w, log);
    test_run_argv(&r, same, NULL, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "is the input"));
    test_run_free(&r);
    back = test_read_file(w, &len);
    assert_string_equal(back, log);
    free(back);

    assert_int_equal(link(w, h), 0);
    test_run_argv(&r, link_, NULL, NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    back = test_read_file(w, &len);
    assert_string_equal(back, log);
    free(back);

    test_write_file(o, "keep\n");
    test_run_argv(&r, fails, NULL, NULL);
    assert_int_equal(r.status, 65);
    test_run_free(&r);
    back = test_read_file(o, &len);
    assert_string_equal(back, "keep\n");
    free(back);
    assert_int_equal(dir_entries(dir), 3); /* w, h, o: no temporary left */

    /* success replaces the output */
    test_run_argv(&r, ok, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    back = test_read_file(o, &len);
    assert_non_null(strstr(back, "time_unix_s,gpu0_power_w\n1700000000,100\n"));
    free(back);
    assert_int_equal(dir_entries(dir), 3);
    test_rmtree(dir);
    free(dir);
}

/* nvidia-smi --query-gpu=timestamp,power.draw on 4 GPUs: no index column,
 * 4 rows per tick 4 ms apart, ticks 1 s apart (--tz UTC: 12:00:00 =
 * 1706702400). Each row is the GPU of its position in the tick:
 *   GPU 0: 100, 100, 300 W at 0, 1, 2 s: 100 x 1 + (100+300)/2 x 1 = 300 J,
 *          mean 150 W
 *   GPU 1..3: 200, 300, 400 W all along (2 s each): 400, 600, 800 J
 * A 1-GPU log with a gap (steps 1, 1, 8, 1 s) does not cluster: one GPU,
 *   100, 300, 100 | gap | 100, 100: 200 + 200 + 100 = 500 J over 3 s covered.
 * Bursts of 2 then 3 rows: refused (65 in the CLI), asking for index. */
static void test_samples_nvidia_smi_no_index_numbers_gpus_by_position(void **state)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    est_samples *s;
    est_samples_reader *rd;
    est_error e;
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--tz", "UTC", "--format", "json", NULL};
    char *data;
    size_t len;
    test_run run;
    cJSON *root, *f;
    (void)state;
    ro.has_tz = 1;
    assert_int_equal(read_one(fixture("nvsmi-4gpu-noindex.csv"), NULL, &ro, &r, NULL, &e),
                     EST_OK);
    assert_int_equal(r.n_gpus, 4);
    assert_close(r.start_unix_s, 1706702400.0, 1e-15);
    assert_close(gpu(&r, 0)->energy_kwh, 300.0 / 3.6e6, 1e-9);
    assert_close(gpu(&r, 0)->mean_power_w, 150.0, 1e-9);
    assert_close(gpu(&r, 1)->energy_kwh, 400.0 / 3.6e6, 1e-9);
    assert_close(gpu(&r, 2)->energy_kwh, 600.0 / 3.6e6, 1e-9);
    assert_close(gpu(&r, 3)->energy_kwh, 800.0 / 3.6e6, 1e-9);
    assert_close(gpu(&r, 3)->power_w.covered_s, 2.0, 1e-9);

    /* the reader says how it numbered them, whatever the chunking */
    data = test_read_file(fixture("nvsmi-4gpu-noindex.csv"), &len);
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_reader_open(&rd, s, "x", &ro, NULL), EST_OK);
    assert_int_equal(est_samples_reader_feed(rd, data, len, NULL), EST_OK);
    assert_int_equal(est_samples_reader_finish(rd, NULL), EST_OK);
    assert_int_equal(est_samples_reader_gpus_by_position(rd), 4);
    est_samples_reader_free(rd);
    est_samples_free(s);
    free(data);

    assert_int_equal(read_one(fixture("nvsmi-1gpu-noindex.csv"), NULL, &ro, &r, NULL, &e),
                     EST_OK);
    assert_int_equal(r.n_gpus, 1);
    assert_close(gpu(&r, 0)->energy_kwh, 500.0 / 3.6e6, 1e-9);
    assert_close(gpu(&r, 0)->power_w.covered_s, 3.0, 1e-9);
    assert_string_equal(gpu(&r, 0)->name, "NVIDIA A100-SXM4-80GB");

    assert_int_equal(read_one(fixture("nvsmi-irregular-noindex.csv"), NULL, &ro, &r, NULL, &e),
                     EST_EPARSE);
    assert_non_null(strstr(e.message, "add index to --query-gpu"));

    /* the CLI: 4 GPUs, a warning, and the report says so */
    snprintf(path, sizeof path, "%s", fixture("nvsmi-4gpu-noindex.csv"));
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 0);
    assert_non_null(strstr(run.err, "4 GPUs per tick, numbered 0..3 by their position"));
    root = cJSON_Parse(run.out);
    assert_non_null(root);
    f = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "files"), 0);
    assert_int_equal(cJSON_GetObjectItem(f, "gpus_by_position")->valueint, 4);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"),
                                                            "gpus")), 4);
    cJSON_Delete(root);
    test_run_free(&run);
    snprintf(path, sizeof path, "%s", fixture("nvsmi-irregular-noindex.csv"));
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 65);
    assert_non_null(strstr(run.err, "several GPUs per tick and no index column"));
    test_run_free(&run);
}

/* A rocm-smi log (no times) with a timed log: without --start its ticks
 * would sit at the Unix epoch, 54 years before the other log: a usage
 * error naming --start. With --start T0 (--interval 5) card0's 100, 300,
 * 100 W sit at T0, T0+5, T0+10 next to RAM 4 GB at T0, T0+10:
 * (100+300)/2 x 5 + (300+100)/2 x 5 = 2000 J, window 10 s. */
static void test_samples_cli_timeless_log_with_timed_log_needs_start(void **state)
{
    char *dir = test_mkdtemp(), ram[512], rocm[1024];
    char *nostart[] = {bin(), "--samples", rocm, "--samples", ram, "--interval", "5",
                       "--format", "json", NULL};
    char *start[] = {bin(), "--samples", rocm, "--samples", ram, "--interval", "5",
                     "--start", "1700000000", "--format", "json", NULL};
    test_run r;
    cJSON *root, *s, *g;
    (void)state;
    snprintf(ram, sizeof ram, "%s/ram.csv", dir);
    snprintf(rocm, sizeof rocm, "%s", fixture("rocm-smi.csv"));
    test_write_file(ram, "time_unix_s,ram_used_gb\n1700000000,4\n1700000010,4\n");
    test_run_argv(&r, nostart, NULL, NULL);
    assert_int_equal(r.status, 64);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "has no times"));
    assert_non_null(strstr(r.err, "give --start"));
    test_run_free(&r);

    test_run_argv(&r, start, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    s = cJSON_GetObjectItem(root, "samples");
    assert_close(cJSON_GetObjectItem(s, "start_unix_s")->valuedouble, T0, 1e-15);
    assert_close(cJSON_GetObjectItem(s, "duration_s")->valuedouble, 10.0, 1e-12);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "gpus"), 0);
    assert_close(cJSON_GetObjectItem(g, "energy_kwh")->valuedouble, 2000.0 / 3.6e6, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* CPU usage and cores in the same rows (cpu-cores-vary.csv):
 *   t 0, 10, 11, 21 s; usage 1, 1, 0, 0; cores 2, 2, 8, 8.
 * Busy cores = usage x cores: 2, 2, 0, 0; trapezoid: 2 x 10 + (2+0)/2 x 1
 * + 0 x 10 = 21 core-s over 21 s: 1 busy core. With --cores 16
 * --cpu-tdp-per-core 10 --pue 1: usage 1/16, 16 x 10 x 1/16 = 10 W;
 * 10 W x 21 s = 210 J. (The product of the means, 0.5 x 5 cores, gave
 * 2.5 busy cores: 25 W.) */
static void test_samples_cpu_mean_of_usage_times_cores(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--cpu-tdp-per-core", "10", "--cores", "16",
                    "--pue", "1", "--format", "json", NULL};
    est_samples_result r;
    est_error e;
    test_run run;
    cJSON *root, *s;
    (void)state;
    assert_int_equal(read_one(fixture("cpu-cores-vary.csv"), NULL, NULL, &r, NULL, &e), EST_OK);
    assert_true(r.cpu_busy_cores.present);
    assert_true(r.cpu_busy_cores_derived);
    assert_close(r.cpu_busy_cores.mean, 1.0, 1e-12);
    assert_close(r.cpu_busy_cores.integral, 21.0, 1e-12);

    snprintf(path, sizeof path, "%s", fixture("cpu-cores-vary.csv"));
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 0);
    root = cJSON_Parse(run.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "components"),
                                                         "cpu"), "power_w")->valuedouble,
                 10.0, 1e-12);
    assert_close(cJSON_GetObjectItem(root, "energy_kwh")->valuedouble, 210.0 / 3.6e6, 1e-9);
    s = cJSON_GetObjectItem(root, "samples");
    assert_close(cJSON_GetObjectItem(s, "cpu_usage_model_frac")->valuedouble, 1.0 / 16.0, 1e-12);
    assert_close(cJSON_GetObjectItem(s, "cpu_busy_cores_mean")->valuedouble, 1.0, 1e-12);
    cJSON_Delete(root);
    test_run_free(&run);
}

/* --idle-until at or before the first sample measures nothing: an error
 * (65 in the CLI) instead of a window stretched back over no samples and
 * no idle. With --gpu-idle (no measurement needed) the window still starts
 * at the first sample: idle.csv 0..30 s, 30 s. idle-two-gpus.csv with
 * --idle-until 10 s: GPU 0 is measured (50 W), GPU 1 starts at 10 s: no
 * idle measured for it, a warning. */
static void test_samples_idle_until_before_first_sample(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    char path[1024];
    char *at_first[] = {bin(), "--samples", path, "--idle-until", "1700000000", NULL};
    char *two[] = {bin(), "--samples", path, "--idle-until", "1700000010", "--format", "json",
                   NULL};
    test_run run;
    (void)state;
    o.has_idle_until = 1;
    o.idle_until_unix_s = T0;
    assert_int_equal(read_one(fixture("idle.csv"), &o, NULL, &r, NULL, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "no GPU has power samples before it"));
    o.idle_until_unix_s = T0 - 100.0;
    assert_int_equal(read_one(fixture("idle.csv"), &o, NULL, &r, NULL, &e), EST_ENODATA);
    o.gpu_idle_w = 70.0;
    assert_int_equal(read_one(fixture("idle.csv"), &o, NULL, &r, NULL, &e), EST_OK);
    assert_close(r.start_unix_s, T0, 1e-15);
    assert_close(r.duration_s, 30.0, 1e-12);

    snprintf(path, sizeof path, "%s", fixture("idle.csv"));
    test_run_argv(&run, at_first, NULL, NULL);
    assert_int_equal(run.status, 65);
    assert_int_equal(run.out_len, 0);
    assert_non_null(strstr(run.err, "no GPU has power samples before it"));
    test_run_free(&run);

    snprintf(path, sizeof path, "%s", fixture("idle-two-gpus.csv"));
    test_run_argv(&run, two, NULL, NULL);
    assert_int_equal(run.status, 0);
    assert_non_null(strstr(run.err, "GPU 1: no power samples before --idle-until"));
    assert_null(strstr(run.err, "GPU 0: no power samples"));
    test_run_free(&run);
}

/* amd-smi.csv (modelled on amd-smi-monitor.csv) through the CLI, --pue 1:
 * GPU 0 200 W over its 20 s; GPU 1 (200, N/A, 200) counts at the mean of
 * its readings, 200 W: 2 GPUs x 200 W x 20 s = 8000 J (GPU 0 alone gave
 * 4000 J), with a warning and the report saying so. */
static void test_samples_cli_gpu_without_covered_step_still_counts(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--pue", "1", "--format", "json", NULL};
    char *text[] = {bin(), "--samples", path, "--pue", "1", NULL};
    test_run run;
    cJSON *root, *g;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("amd-smi.csv"));
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 0);
    assert_non_null(strstr(run.err, "GPU 1: no two consecutive power readings"));
    root = cJSON_Parse(run.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(root, "energy_kwh")->valuedouble, 8000.0 / 3.6e6, 1e-9);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "gpus"), 1);
    assert_close(cJSON_GetObjectItem(g, "mean_power_w")->valuedouble, 200.0, 1e-12);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(g, "mean_of_readings")));
    cJSON_Delete(root);
    test_run_free(&run);
    test_run_argv(&run, text, NULL, NULL);
    assert_int_equal(run.status, 0);
    assert_non_null(strstr(run.out, "mean of 2 readings"));
    test_run_free(&run);
}

/* One row with a clock at the epoch (1 s) before rows at T0: 54 years of
 * 900 s bins, far more than 100000. Bins are an extra for --live: pushing
 * never fails; est_samples_energy_bins says none were kept. With a window
 * (start T0) only its bins are kept: T0 = 1888888 x 900 + 800, the next bin
 * edge is T0 + 100, so [T0, T0+10] is one bin holding the GPU's
 * (100+300)/2 x 10 = 2000 J.
 * The CLI gives its estimate (exit 0) with or without --start. */
static void test_samples_epoch_row_never_fails_on_bins(void **state)
{
    est_samples *s;
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT;
    est_samples_result r;
    est_intensity_energy_bin bins[4];
    est_sample v = {EST_SAMPLES_GPU_POWER_W, 0, 100.0};
    size_t n = 99;
    est_error e;
    char *dir = test_mkdtemp(), path[512];
    char *nostart[] = {bin(), "--samples", path, "--format", "json", NULL};
    char *start[] = {bin(), "--samples", path, "--start", "1700000000", "--format", "json",
                     NULL};
    test_run run;
    cJSON *root;
    (void)state;
    o.bin_s = 900.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, 1.0, &v, 1, &e), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, &e), EST_OK);
    v.value = 300.0;
    assert_int_equal(est_samples_push(s, T0 + 10.0, &v, 1, &e), EST_OK);
    assert_int_equal(est_samples_finish(s, &e), EST_OK);
    assert_int_equal(est_samples_compute(&r, s, &e), EST_OK);
    assert_int_equal(est_samples_energy_bins(bins, 4, &n, s, &w, &e), EST_ERANGE);
    assert_int_equal(n, 0);
    assert_non_null(strstr(e.message, "none were kept"));
    est_samples_free(s);

    o.has_start = 1;
    o.start_unix_s = T0;
    v.value = 100.0;
    assert_int_equal(est_samples_open(&s, &o, NULL), EST_OK);
    assert_int_equal(est_samples_push(s, 1.0, &v, 1, &e), EST_OK);
    assert_int_equal(est_samples_push(s, T0, &v, 1, &e), EST_OK);
    v.value = 300.0;
    assert_int_equal(est_samples_push(s, T0 + 10.0, &v, 1, &e), EST_OK);
    assert_int_equal(est_samples_finish(s, &e), EST_OK);
    assert_int_equal(est_samples_energy_bins(bins, 4, &n, s, &w, &e), EST_OK);
    assert_int_equal(n, 1);
    assert_close(bins[0].start_unix_s, T0, 1e-15);
    assert_close(bins[0].energy_kwh, 2000.0 / 3.6e6, 1e-12);
    est_samples_free(s);

    snprintf(path, sizeof path, "%s/epoch.csv", dir);
    test_write_file(path, "time_unix_s,gpu0_power_w\n1,100\n1700000000,100\n"
                          "1700000010,300\n");
    test_run_argv(&run, nostart, NULL, NULL);
    assert_int_equal(run.status, 0);
    test_run_free(&run);
    test_run_argv(&run, start, NULL, NULL);
    assert_int_equal(run.status, 0);
    root = cJSON_Parse(run.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
                     cJSON_GetObjectItem(root, "samples"), "gpus"), 0), "energy_kwh")->valuedouble,
                 2000.0 / 3.6e6, 1e-12);
    cJSON_Delete(root);
    test_run_free(&run);
    test_rmtree(dir);
    free(dir);
}

/* Reads a log given as a string; returns the reader's code. */
static int read_text(const char *text, const est_samples_read_options *ro, est_error *e)
{
    est_samples *s;
    est_samples_reader *rd;
    int rc;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    rc = est_samples_reader_open(&rd, s, "t.csv", ro, e);
    if (!rc)
        rc = est_samples_reader_feed(rd, text, strlen(text), e);
    if (!rc)
        rc = est_samples_reader_finish(rd, e);
    est_samples_reader_free(rd);
    est_samples_free(s);
    return rc;
}

/* One quantity from two columns of the same rank is refused (65), naming
   both: two gpu0_power_w headers; cpu_usage_frac and cpu_usage_pct; a
   mapping giving GPU 0's power twice (gpu_w and gpu0_w). nvidia-smi's
   ranked power columns stay a fallback (nvsmi.csv reads). */
static void test_samples_two_columns_for_one_quantity_refused(void **state)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_error e;
    char *dir = test_mkdtemp(), path[512];
    char *argv[] = {bin(), "--samples", path, "--columns",
                    "time=timestamp,gpu_w=gpu_power_w,gpu0_w=ram_used_gb", NULL};
    test_run run;
    (void)state;
    assert_int_equal(read_text("time_unix_s,gpu0_power_w,gpu0_power_w\n1700000000,1,2\n",
                               NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "t.csv:1"));
    assert_non_null(strstr(e.message, "both give gpu0_power_w"));
    assert_int_equal(read_text("time_unix_s,cpu_usage_frac,cpu_usage_pct\n"
                               "1700000000,0.5,50\n", NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "\"cpu_usage_frac\" (2) and \"cpu_usage_pct\" (3)"));
    ro.has_tz = 1;
    assert_int_equal(read_text("timestamp, index, power.draw [W], power.draw.average [W]\n"
                               "2024/01/31 12:00:00, 0, 1 W, 2 W\n", &ro, &e), EST_OK);

    snprintf(path, sizeof path, "%s/m.csv", dir);
    test_write_file(path, "timestamp,gpu_power_w,ram_used_gb\n1700000000,100,4\n"
                          "1700000010,100,4\n");
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 65);
    assert_int_equal(run.out_len, 0);
    assert_non_null(strstr(run.err, "\"gpu_power_w\" (2) and \"ram_used_gb\" (3) both give "
                                    "gpu0_power_w"));
    test_run_free(&run);
    test_rmtree(dir);
    free(dir);
}

/* --gpu-idle with --idle-until: --gpu-idle gives the idle power (30 W),
 * --idle-until still starts the window. idle.csv (50, 50, 250, 250 W at 0,
 * 10, 20, 30 s), --idle-until 10 s: the job is [10, 30]:
 * (50+250)/2 x 10 + 250 x 10 = 4000 J; above idle 4000 - 30 x 20 = 3400 J. */
static void test_samples_cli_gpu_idle_with_idle_until(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--idle-until", "1700000010", "--gpu-idle", "30",
                    "--format", "json", NULL};
    test_run r;
    cJSON *root, *s, *g;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("idle.csv"));
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    s = cJSON_GetObjectItem(root, "samples");
    assert_close(cJSON_GetObjectItem(s, "start_unix_s")->valuedouble, T0 + 10.0, 1e-15);
    assert_close(cJSON_GetObjectItem(s, "duration_s")->valuedouble, 20.0, 1e-12);
    g = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "gpus"), 0);
    assert_close(cJSON_GetObjectItem(g, "idle_w")->valuedouble, 30.0, 1e-12);
    assert_string_equal(cJSON_GetObjectItem(g, "idle_source")->valuestring, "option");
    assert_close(cJSON_GetObjectItem(g, "energy_kwh")->valuedouble, 4000.0 / 3.6e6, 1e-12);
    assert_close(cJSON_GetObjectItem(g, "energy_above_idle_kwh")->valuedouble,
                 3400.0 / 3.6e6, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
}

/* Logs that do not overlap: GPU 1000..1030 s, RAM 5000..5010 s would be a
 * 4010 s job with each mean assumed over it: exit 65 naming the spans.
 * GPU 1000..1100 s with RAM 1095..3000 s share 5 s, and the GPU has a value
 * over 100 of 2000 s = 5 % < 10 %: exit 65. --start/--end say the window is
 * meant: 0. */
static void test_samples_cli_logs_that_do_not_overlap(void **state)
{
    char *dir = test_mkdtemp(), g[512], m[512], m2[512];
    char *apart[] = {bin(), "--samples", g, "--samples", m, NULL};
    char *hardly[] = {bin(), "--samples", g, "--samples", m2, NULL};
    char *window[] = {bin(), "--samples", g, "--samples", m, "--start", "1000", "--end", "5010",
                      NULL};
    test_run r;
    (void)state;
    snprintf(g, sizeof g, "%s/gpu.csv", dir);
    snprintf(m, sizeof m, "%s/ram.csv", dir);
    snprintf(m2, sizeof m2, "%s/ram2.csv", dir);
    test_write_file(g, "time_unix_s,gpu0_power_w\n1000,100\n1010,100\n1020,100\n1030,100\n"
                       "1100,100\n");
    test_write_file(m, "time_unix_s,ram_used_gb\n5000,4\n5010,4\n");
    test_write_file(m2, "time_unix_s,ram_used_gb\n1095,4\n3000,4\n");
    /* 1100 is a gap after 1030 in gpu.csv; it does not matter here */
    test_run_argv(&r, apart, NULL, NULL);
    assert_int_equal(r.status, 65);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "share no time"));
    assert_non_null(strstr(r.err, "ram_used_gb 1970-01-01T01:23:20Z"));
    test_run_free(&r);
    test_run_argv(&r, hardly, NULL, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "hardly overlap"));
    test_run_free(&r);
    test_run_argv(&r, window, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* Europe/Paris on 2024-10-27: 03:00 CEST becomes 02:00 CET, so local
 * 02:00..03:00 (1729994400..1729998000 as if UTC) happens twice: +02:00,
 * then +01:00. A zone with those rules, for the library: */
static int paris_2024_10_27(void *user, double local, long offs[2], int *n)
{
    (void)user;
    if (local >= 1729994400.0 && local < 1729998000.0) {
        offs[0] = 7200;
        offs[1] = 3600;
        *n = 2;
    } else {
        offs[0] = local < 1729994400.0 ? 7200 : 3600;
        *n = 1;
    }
    return 0;
}

/* nvsmi-dst-end.csv: 02:59:58, 02:59:59, 02:00:00, 02:00:01 local. The
 * repeated hour takes the offset that keeps the times going forward:
 * 00:59:58Z, 00:59:59Z (+02:00), 01:00:00Z, 01:00:01Z (+01:00) = 1729990798
 * .. 1729990801, 3 s; 100, 100, 300, 300 W: 100 + 200 + 300 = 600 J, nothing
 * dropped (the earlier offset alone made 02:00:00 an hour back: 2 rows
 * dropped as backwards). Through the CLI with --tz Europe/Paris too. */
static void test_samples_tz_repeated_hour_goes_forward(void **state)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--tz", "Europe/Paris", "--format", "json", NULL};
    struct stat st;
    test_run run;
    cJSON *root, *s;
    (void)state;
    ro.tz_offsets_fn = paris_2024_10_27;
    assert_int_equal(read_one(fixture("nvsmi-dst-end.csv"), NULL, &ro, &r, NULL, &e), EST_OK);
    assert_close(r.start_unix_s, 1729990798.0, 1e-15);
    assert_close(r.duration_s, 3.0, 1e-12);
    assert_int_equal(r.backwards, 0);
    assert_close(gpu(&r, 0)->energy_kwh, 600.0 / 3.6e6, 1e-12);

    if (stat("/usr/share/zoneinfo/Europe/Paris", &st) != 0 && !getenv("TZDIR")) {
        print_message("(CLI part skipped: no zoneinfo)\n");
        return;
    }
    snprintf(path, sizeof path, "%s", fixture("nvsmi-dst-end.csv"));
    test_run_argv(&run, argv, NULL, NULL);
    assert_int_equal(run.status, 0);
    root = cJSON_Parse(run.out);
    assert_non_null(root);
    s = cJSON_GetObjectItem(root, "samples");
    assert_close(cJSON_GetObjectItem(s, "start_unix_s")->valuedouble, 1729990798.0, 1e-15);
    assert_close(cJSON_GetObjectItem(s, "duration_s")->valuedouble, 3.0, 1e-12);
    assert_int_equal(cJSON_GetObjectItem(s, "backwards")->valueint, 0);
    cJSON_Delete(root);
    test_run_free(&run);
}

/* Runs argv and returns the top-level energy_kwh of its JSON report. */
static double run_energy(char **argv)
{
    test_run r;
    cJSON *root;
    double e;
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    e = cJSON_GetObjectItem(root, "energy_kwh")->valuedouble;
    cJSON_Delete(root);
    test_run_free(&r);
    return e;
}

/* --write-samples keeps what the estimate needs. nvsmi.csv (+01:00) cut to
 * 12:00:02..12:00:07: GPU 0 (100 -> 300 W over 10 s) is 140 W at 2 s and
 * 240 W at 7 s: (140+240)/2 x 5 = 950 J; GPU 1 (50 -> 150 W) 70 and 120 W:
 * 475 J. The converted log has those interpolated rows at the edges (no
 * sample lies inside), and gpuN_name: read back, the same energies (within
 * 1e-9) and names. rocm-smi.csv (--interval 5, --start T0): card1's
 * secondary-die flag survives as "N/A (Secondary die)" in gpu1_power_w. */
static void test_samples_cli_write_samples_round_trip_keeps_edges_names_dies(void **state)
{
    char *dir = test_mkdtemp(), out[512], out2[512], in[1024], rocm[1024];
    char *direct[] = {bin(), "--samples", in, "--tz", "+01:00", "--start",
                      "2024-01-31T12:00:02+01:00", "--end", "2024-01-31T12:00:07+01:00",
                      "--pue", "1", "--format", "json", NULL};
    char *conv[] = {bin(), "--samples", in, "--tz", "+01:00", "--start",
                    "2024-01-31T12:00:02+01:00", "--end", "2024-01-31T12:00:07+01:00",
                    "--write-samples", out, NULL};
    char *back[] = {bin(), "--samples", out, "--pue", "1", "--format", "json", NULL};
    char *conv2[] = {bin(), "--samples", rocm, "--interval", "5", "--start", "1700000000",
                     "--write-samples", out2, NULL};
    char *back2[] = {bin(), "--samples", out2, "--format", "json", NULL};
    test_run r;
    cJSON *root, *gpus;
    (void)state;
    snprintf(in, sizeof in, "%s", fixture("nvsmi.csv"));
    snprintf(rocm, sizeof rocm, "%s", fixture("rocm-smi.csv"));
    snprintf(out, sizeof out, "%s/conv.csv", dir);
    snprintf(out2, sizeof out2, "%s/rocm.csv", dir);
    assert_close(run_energy(direct), 1425.0 / 3.6e6, 1e-9);
    test_run_argv(&r, conv, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    assert_close(run_energy(back), 1425.0 / 3.6e6, 1e-9);
    test_run_argv(&r, back, NULL, NULL);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    gpus = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "gpus");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 0), "name")->valuestring,
                        "NVIDIA A100-SXM4-80GB");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 1), "name")->valuestring,
                        "NVIDIA A100-SXM4-80GB");
    assert_close(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 0), "energy_kwh")->valuedouble,
                 950.0 / 3.6e6, 1e-9);
    cJSON_Delete(root);
    test_run_free(&r);

    test_run_argv(&r, conv2, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    test_run_argv(&r, back2, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    gpus = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"), "gpus");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 1), "secondary_die")));
    assert_close(cJSON_GetObjectItem(cJSON_GetArrayItem(gpus, 0), "energy_kwh")->valuedouble,
                 2000.0 / 3.6e6, 1e-9);
    cJSON_Delete(root);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --columns applies to the --samples before it (or, when none precedes it
 * or that one has its own, to the next). host.csv needs the mapping,
 * gpu-late.csv (ecoest format) must not get it. Every order reads both:
 * RAM 4, 8, 4 GB at 0, 10, 20 s: 120 / 20 = 6 GB. */
static void test_samples_cli_columns_apply_to_the_preceding_samples(void **state)
{
    char host[1024], gpu[1024];
    const char *map = "time=timestamp,cpu_pct=cpu_user_pct,ram_gb=ram_used_gb";
    char *after[] = {bin(), "--samples", host, "--columns", (char *)map, "--samples", gpu,
                     "--format", "json", NULL};
    char *before[] = {bin(), "--columns", (char *)map, "--samples", host, "--samples", gpu,
                      "--format", "json", NULL};
    char *last[] = {bin(), "--samples", gpu, "--samples", host, "--columns", (char *)map,
                    "--format", "json", NULL};
    char *twice[] = {bin(), "--samples", host, "--columns", (char *)map, "--columns",
                     (char *)map, NULL};
    char **cases[] = {after, before, last};
    size_t i;
    test_run r;
    (void)state;
    snprintf(host, sizeof host, "%s", fixture("host.csv"));
    snprintf(gpu, sizeof gpu, "%s/tests/samples/gpu-late.csv",
             getenv("ECOEST_SOURCE_DIR") ? getenv("ECOEST_SOURCE_DIR") : ".");
    for (i = 0; i < 3; i++) {
        cJSON *root;
        test_run_argv(&r, cases[i], NULL, NULL);
        assert_int_equal(r.status, 0);
        root = cJSON_Parse(r.out);
        assert_non_null(root);
        assert_close(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "samples"),
                                         "ram_mean_gb")->valuedouble, 6.0, 1e-12);
        cJSON_Delete(root);
        test_run_free(&r);
    }
    test_run_argv(&r, twice, NULL, NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
}

/* Rotated logs of one GPU: day1 (100 W at 0, 10 s) and day2 (300 W at 20,
 * 30 s), given in either order: one series 100, 100, 300, 300 at 0..30 s:
 * 100 x 10 + (100+300)/2 x 10 + 300 x 10 = 6000 J over 30 s. Overlapping
 * logs (a third at 5..25 s) keep the error. --write-samples reads them in
 * the same order. */
static void test_samples_cli_rotated_logs_of_one_quantity(void **state)
{
    char *dir = test_mkdtemp(), d1[512], d2[512], d3[512], out[512];
    char *fwd[] = {bin(), "--samples", d1, "--samples", d2, "--pue", "1", "--format", "json",
                   NULL};
    char *rev[] = {bin(), "--samples", d2, "--samples", d1, "--pue", "1", "--format", "json",
                   NULL};
    char *overlap[] = {bin(), "--samples", d1, "--samples", d3, NULL};
    char *conv[] = {bin(), "--samples", d2, "--samples", d1, "--write-samples", out, NULL};
    char *back[] = {bin(), "--samples", out, "--pue", "1", "--format", "json", NULL};
    test_run r;
    (void)state;
    snprintf(d1, sizeof d1, "%s/day1.csv", dir);
    snprintf(d2, sizeof d2, "%s/day2.csv", dir);
    snprintf(d3, sizeof d3, "%s/other.csv", dir);
    snprintf(out, sizeof out, "%s/all.csv", dir);
    test_write_file(d1, "time_unix_s,gpu0_power_w\n1700000000,100\n1700000010,100\n");
    test_write_file(d2, "time_unix_s,gpu0_power_w\n1700000020,300\n1700000030,300\n");
    test_write_file(d3, "time_unix_s,gpu0_power_w\n1700000005,100\n1700000025,300\n");
    assert_close(run_energy(fwd), 6000.0 / 3.6e6, 1e-12);
    assert_close(run_energy(rev), 6000.0 / 3.6e6, 1e-12);
    test_run_argv(&r, overlap, NULL, NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "overlapping time"));
    test_run_free(&r);
    test_run_argv(&r, conv, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    assert_close(run_energy(back), 6000.0 / 3.6e6, 1e-12);
    test_rmtree(dir);
    free(dir);
}

/* gpu-vanishes.csv: GPU 1 logs 200 W from 0 to 4 s, then nothing while
 * GPU 0 goes on to 10 s. GPU 1 covers 4 of 10 s; the 6 s after its last
 * sample (more than 3 x its 1 s step) is a gap: 1 gap, not 0. With --fill
 * hold it is filled with 200 W up to the window's end: 200 x 4 + 200 x 6 =
 * 2000 J, 4 s covered + 6 s filled. */
static void test_samples_gpu_lost_mid_log_is_a_trailing_gap(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_result r;
    est_error e;
    (void)state;
    assert_int_equal(read_one(fixture("gpu-vanishes.csv"), &o, NULL, &r, NULL, &e), EST_OK);
    assert_close(r.duration_s, 10.0, 1e-12);
    assert_close(gpu(&r, 1)->power_w.covered_s, 4.0, 1e-12);
    assert_int_equal(gpu(&r, 1)->power_w.gaps, 1);
    assert_int_equal(gpu(&r, 0)->power_w.gaps, 0);
    assert_int_equal(r.gaps, 1);
    assert_close(r.covered_s, 4.0, 1e-12);
    o.fill = EST_SAMPLES_FILL_HOLD;
    assert_int_equal(read_one(fixture("gpu-vanishes.csv"), &o, NULL, &r, NULL, &e), EST_OK);
    assert_close(gpu(&r, 1)->power_w.filled_s, 6.0, 1e-12);
    assert_close(gpu(&r, 1)->energy_kwh, 2000.0 / 3.6e6, 1e-12);
    assert_close(r.covered_s, 10.0, 1e-12);
}

/* The text report shows each GPU's utilisation and the CPU usage found;
 * the CSV report ends with samples_rows, samples_coverage_frac,
 * samples_duration_s. amd-smi.csv: GPU 0 at 50, 100, 50 %: usage 0.75; 6
 * rows; GPU 1 has no covered time: coverage 0; window 20 s.
 * cpu-cores-vary.csv (--cores 16): usage used 1/16 = 0.0625. */
static void test_samples_cli_report_shows_usage_and_csv_columns(void **state)
{
    char path[1024], path2[1024];
    char *text[] = {bin(), "--samples", path, NULL};
    char *csv[] = {bin(), "--samples", path, "--format", "csv", NULL};
    char *cpu[] = {bin(), "--samples", path2, "--cpu-tdp-per-core", "10", "--cores", "16", NULL};
    char *manual[] = {bin(), "--gpu-power", "100", "--hours", "1", "--format", "csv", NULL};
    test_run r;
    const char *nl;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("amd-smi.csv"));
    snprintf(path2, sizeof path2, "%s", fixture("cpu-cores-vary.csv"));
    test_run_argv(&r, text, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage 0.75"));
    test_run_free(&r);
    test_run_argv(&r, cpu, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "CPU usage used 0.0625 of the cores counted"));
    assert_non_null(strstr(r.out, "CPU busy cores mean 1"));
    test_run_free(&r);
    test_run_argv(&r, csv, NULL, NULL);
    assert_int_equal(r.status, 0);
    nl = strchr(r.out, '\n');
    assert_non_null(nl);
    assert_memory_equal(nl - 54, ",samples_rows,samples_coverage_frac,samples_duration_s", 54);
    assert_non_null(strstr(nl, ",6,0,20\n"));
    test_run_free(&r);
    test_run_argv(&r, manual, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",,,\n"));
    test_run_free(&r);
}

/* Minor reader rules: a power above 100 kW for one device is a bad row with
 * its place (1e308 W used to pass the reader and fail the model with no
 * file:line); a short row names its first missing column; top/ps's %CPU
 * (100 per busy core, 250 = 2.5 cores) goes through cpu_cores_pct: with
 * --cores 8 --cpu-tdp-per-core 10, 2.5 / 8 = 0.3125 of the cores, 8 x 10 x
 * 0.3125 = 25 W; as cpu_pct, 250 is refused with a hint. */
static void test_samples_reader_power_bound_field_count_and_process_cpu(void **state)
{
    est_error e;
    char *dir = test_mkdtemp(), path[512];
    char *busy[] = {bin(), "--samples", path, "--columns", "time=timestamp,cpu_cores_pct=pcpu",
                    "--cores", "8", "--cpu-tdp-per-core", "10", "--pue", "1", "--format",
                    "json", NULL};
    char *pct[] = {bin(), "--samples", path, "--columns", "time=timestamp,cpu_pct=pcpu",
                   "--cores", "8", "--cpu-tdp-per-core", "10", NULL};
    test_run r;
    cJSON *root;
    (void)state;
    assert_int_equal(read_text("time_unix_s,gpu0_power_w\n1700000000,100\n1700000001,1e308\n",
                               NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "t.csv:3: column gpu0_power_w: power above 100 kW"));
    assert_int_equal(read_text("time_unix_s,node_power_w\n1700000000,100001\n", NULL, &e),
                     EST_EPARSE); /* the fast path too */
    assert_non_null(strstr(e.message, "t.csv:2"));
    assert_int_equal(read_text("time_unix_s,node_power_w\n1700000000,100000\n"
                               "1700000001,100000\n", NULL, &e), EST_OK);
    /* the push bounds hold in the reader too: 1e300 GB of memory, 2e7 cores
     * (slow path: an exponent; fast path: plain digits) */
    assert_int_equal(read_text("time_unix_s,ram_used_gb\n1700000000,1e300\n", NULL, &e),
                     EST_EPARSE);
    assert_non_null(strstr(e.message, "t.csv:2: column ram_used_gb: memory above 1e9 GB"));
    assert_int_equal(read_text("time_unix_s,cpu_cores\n1700000000,20000000\n", NULL, &e),
                     EST_EPARSE);
    assert_non_null(strstr(e.message, "t.csv:2"));
    assert_int_equal(read_text("time_unix_s,gpu0_power_w,gpu1_power_w\n1700000000,1\n",
                               NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "expected 3 fields like the header, got 2 (the first "
                                      "missing is column 3, gpu1_power_w)"));

    snprintf(path, sizeof path, "%s/top.csv", dir);
    test_write_file(path, "timestamp,pcpu\n1700000000,250\n1700000010,250\n");
    test_run_argv(&r, busy, NULL, NULL);
    assert_int_equal(r.status, 0);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    assert_close(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(root, "components"),
                                                         "cpu"), "power_w")->valuedouble,
                 25.0, 1e-12);
    cJSON_Delete(root);
    test_run_free(&r);
    test_run_argv(&r, pct, NULL, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "cpu_cores_pct"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --memory with a log that has RAM counts the allocation (as Green
 * Algorithms does) and says what the log used: RAM 4 GB used, --memory 16,
 * PUE 1, 10 s, no CPU or GPU: 16 x 0.3725 = 5.96 W. */
static void test_samples_cli_memory_option_counts_the_allocation(void **state)
{
    char *dir = test_mkdtemp(), path[512];
    char *argv[] = {bin(), "--samples", path, "--memory", "16", "--pue", "1", "--format",
                    "json", NULL};
    test_run r;
    cJSON *j;
    (void)state;
    snprintf(path, sizeof path, "%s/ram.csv", dir);
    test_write_file(path, "time_unix_s,ram_used_gb\n1000,4\n1010,4\n");
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = cJSON_Parse(r.out);
    assert_non_null(j);
    assert_close(cJSON_GetObjectItem(j, "power_w")->valuedouble, 5.96, 1e-12);
    assert_non_null(strstr(r.out, "mean RAM used is 4 GB"));
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --gpu auto with a log that has GPU power: the log's own names resolve
 * (nvsmi.csv names "NVIDIA A100-SXM4-80GB": the A100 SXM4 80GB, 400 W per
 * NVIDIA's datasheet); "auto" itself is never looked up as a model name. */
static void test_samples_cli_gpu_auto_keeps_the_logs_names(void **state)
{
    char path[1024];
    char *argv[] = {bin(), "--samples", path, "--tz", "UTC", "--gpu", "auto", "--format",
                    "json", NULL};
    char nosmi[] = "ECOEST_NVIDIA_SMI=/nonexistent-nvidia-smi";
    char *env[] = {nosmi, NULL};
    test_run r;
    cJSON *root, *g;
    (void)state;
    snprintf(path, sizeof path, "%s", fixture("nvsmi.csv"));
    test_run_argv(&r, argv, NULL, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    root = cJSON_Parse(r.out);
    assert_non_null(root);
    g = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "hardware"), "gpu");
    assert_string_equal(cJSON_GetObjectItem(g, "model")->valuestring, "A100 SXM4 80GB");
    assert_close(cJSON_GetObjectItem(g, "tdp_w")->valuedouble, 400.0, 0);
    cJSON_Delete(root);
    test_run_free(&r);
}

/* Issue 14 #26: gaps and duplicates are counted in rows. Rows of two
 * quantities (GPU 0 power, RAM) at 0 1 1 2 3 3 4 10 11 12 s: the steps
 * before the hole are all 1 s (the repeats are dropped), max gap 3 s, so
 * 4 -> 10 is one hole (one gap, not 2: one per quantity), and the two rows
 * repeating 1 s and 3 s are 2 duplicate rows (not 4); one row at 11.5 s
 * after 12 s is 1 row going backwards (not 2). missing stays per value:
 * one row with both values NA is 2 missing values. */
static void test_samples_gaps_and_duplicates_count_rows(void **state)
{
    static const double t[] = {0, 1, 1, 2, 3, 3, 4, 10, 11, 12, 11.5, 13, 14};
    est_samples *s = NULL;
    est_samples_result r;
    size_t i;
    (void)state;
    assert_int_equal(est_samples_open(&s, NULL, NULL), EST_OK);
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        est_sample v[2] = {{EST_SAMPLES_GPU_POWER_W, 0, 100.0}, {EST_SAMPLES_RAM_USED_GB, 0, 1.0}};
        if (t[i] == 13.0)
            v[0].value = v[1].value = EST_SAMPLES_MISSING;
        assert_int_equal(est_samples_push(s, t[i], v, 2, NULL), EST_OK);
    }
    est_samples_finish(s, NULL);
    assert_int_equal(est_samples_compute(&r, s, NULL), EST_OK);
    /* the hole 4 -> 10, and 12 -> 14 across the missing row: 2 gaps */
    assert_int_equal(r.gaps, 2);
    assert_int_equal(r.duplicates, 2);
    assert_int_equal(r.backwards, 1);
    assert_int_equal(r.missing, 2);
    /* per quantity, as before */
    assert_int_equal(G(&r, 0)->power_w.gaps, 2);
    assert_int_equal(r.ram_used_gb.duplicates, 2);
    est_samples_free(s);
}

/* Issue 14 #28: two hosts whose logs overlap in time, each numbering its GPU
 * 0. Host a: GPU 0 at 200 W and CPU package at 50 W, 0..10 s; host b: GPU 0
 * at 100 W and CPU package at 30 W, 5..15 s (one row a second).
 *   a: GPU 200 x 10 = 2000 J, CPU 50 x 10 = 500 J; b: GPU 1000 J, CPU 300 J.
 *   total: window 0..15 s (the union), 15 s; 2 GPUs: a's is 0, b's is 1;
 *   GPU 0 mean 200 x 10/15 = 133.333 W, GPU 1 100 x 10/15 = 66.667 W
 *   (mean x 15 s = each host's energy); CPU package mean (500 + 300)/15 =
 *   53.333 W, energy 800 J = 800/3.6e6 kWh. Both hosts fully covered:
 *   covered 15 s. GPU 1's idle set through the total lands on b's GPU 0. */
static void test_samples_set_two_hosts_overlapping(void **state)
{
    est_samples_set *set = NULL;
    est_samples *a = NULL, *b = NULL, *t;
    est_samples_result r;
    size_t hi;
    unsigned dev;
    int i;
    (void)state;
    assert_int_equal(est_samples_set_open(&set, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&a, set, "a", NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&b, set, "b", NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&t, set, "bad host", NULL), EST_EINVAL);
    for (i = 0; i <= 10; i++) {
        est_sample va[2] = {{EST_SAMPLES_GPU_POWER_W, 0, 200.0},
                            {EST_SAMPLES_CPU_PACKAGE_POWER_W, 0, 50.0}};
        est_sample vb[2] = {{EST_SAMPLES_GPU_POWER_W, 0, 100.0},
                            {EST_SAMPLES_CPU_PACKAGE_POWER_W, 0, 30.0}};
        assert_int_equal(est_samples_push(a, i, va, 2, NULL), EST_OK);
        assert_int_equal(est_samples_push(b, 5 + i, vb, 2, NULL), EST_OK);
    }
    t = est_samples_set_total(set);
    assert_int_equal(est_samples_push(t, 20, NULL, 0, NULL), EST_EINVAL);
    assert_int_equal(est_samples_finish(t, NULL), EST_OK);
    assert_int_equal(est_samples_compute(&r, t, NULL), EST_OK);
    assert_close(r.start_unix_s, 0.0, 1e-12);
    assert_close(r.end_unix_s, 15.0, 1e-12);
    assert_close(r.duration_s, 15.0, 1e-12);
    assert_close(r.covered_s, 15.0, 1e-12);
    assert_int_equal(r.n_gpus, 2);
    assert_int_equal(G(&r, 0)->index, 0);
    assert_int_equal(G(&r, 1)->index, 1);
    assert_close(G(&r, 0)->mean_power_w, 200.0 * 10.0 / 15.0, 1e-12);
    assert_close(G(&r, 1)->mean_power_w, 100.0 * 10.0 / 15.0, 1e-12);
    assert_close(G(&r, 0)->energy_kwh, 2000.0 / 3.6e6, 1e-12);
    assert_close(G(&r, 1)->energy_kwh, 1000.0 / 3.6e6, 1e-12);
    assert_close(r.cpu_package_power_w.mean, 800.0 / 15.0, 1e-12);
    assert_close(r.cpu_package_energy_kwh, 800.0 / 3.6e6, 1e-12);
    assert_int_equal(est_samples_set_gpu_origin(&hi, &dev, set, 1), EST_OK);
    assert_int_equal(hi, 1);
    assert_int_equal(dev, 0);
    assert_int_equal(est_samples_set_gpu_origin(&hi, &dev, set, 2), EST_EINVAL);
    /* a's GPUs start at total index 0, b's after a's one GPU: 1 */
    assert_int_equal(est_samples_set_host_gpu_first(set, 0), 0);
    assert_int_equal(est_samples_set_host_gpu_first(set, 1), 1);
    assert_int_equal(est_samples_set_host_gpu_first(set, 2), 0);
    assert_int_equal(est_samples_set_host_gpu_first(NULL, 0), 0);
    {
        /* measured GPU energy: 2000 J + 1000 J = 3000 J = 3000 / 3.6e6 kWh;
           host a alone: 2000 J */
        double kwh = 0.0;
        est_samples_result ra;
        assert_int_equal(est_samples_result_gpu_energy_kwh(&kwh, &r), EST_OK);
        assert_close(kwh, 3000.0 / 3.6e6, 1e-12);
        assert_int_equal(est_samples_compute(&ra, est_samples_set_host_at(set, 0), NULL),
                         EST_OK);
        assert_int_equal(est_samples_result_gpu_energy_kwh(&kwh, &ra), EST_OK);
        assert_close(kwh, 2000.0 / 3.6e6, 1e-12);
        assert_int_equal(est_samples_result_gpu_energy_kwh(NULL, &r), EST_EINVAL);
    }
    /* b's idle 40 W, through the total's GPU 1: b's GPU 0 above idle
       (100 - 40) x 10 = 600 J; in the total, idle scaled 40 x 10/15 */
    assert_int_equal(est_samples_set_gpu_idle(t, 1, 40.0), EST_OK);
    assert_int_equal(est_samples_compute(&r, t, NULL), EST_OK);
    assert_close(G(&r, 1)->energy_above_idle_kwh, 600.0 / 3.6e6, 1e-12);
    assert_close(G(&r, 1)->idle_w, 40.0 * 10.0 / 15.0, 1e-12);
    assert_close(G(&r, 0)->idle_w, 0.0, 1e-12);
    assert_int_equal(est_samples_set_host_count(set), 2);
    assert_string_equal(est_samples_set_host_name(set, 1), "b");
    est_samples_set_free(set);
}

/* Issue 14 #28: same-host files are ordered by their first time (rotated
 * logs given day2 before day1), hosts kept in the order they first appear:
 * [b/day2 (10..12 s), a/x, b/day1 (0..2 s)] reads b/day1, b/day2, a/x. One
 * host needs no probe. With one host, the total is that host's integrator. */
/* Standard input and a file that cannot be opened have no first time: they
 * go last, in the order given (stable); the others by their first time:
 * d1 (0 s) before d3 (20 s), though given after it. */
static void test_samples_inputs_order_puts_unknown_times_last(void **state)
{
    char *dir = test_mkdtemp(), d1[4200], d3[4200], gone[4200];
    est_samples_input in[4];
    (void)state;
    snprintf(d1, sizeof d1, "%s/day1.csv", dir);
    snprintf(d3, sizeof d3, "%s/day3.csv", dir);
    snprintf(gone, sizeof gone, "%s/gone.csv", dir);
    test_write_file(d1, "time_unix_s,gpu0_power_w\n0,100\n1,100\n");
    test_write_file(d3, "time_unix_s,gpu0_power_w\n20,100\n21,100\n");
    memset(in, 0, sizeof in);
    in[0].path = "-";
    in[1].path = d3;
    in[2].path = gone;
    in[3].path = d1;
    in[0].user_index = 0;
    in[1].user_index = 1;
    in[2].user_index = 2;
    in[3].user_index = 3;
    assert_int_equal(est_samples_inputs_order(in, 4, NULL), EST_OK);
    assert_int_equal(in[0].user_index, 3); /* day1, 0 s */
    assert_int_equal(in[1].user_index, 1); /* day3, 20 s */
    assert_int_equal(in[2].user_index, 0); /* stdin */
    assert_int_equal(in[3].user_index, 2); /* cannot be opened */
    assert_int_equal(est_samples_inputs_order(NULL, 1, NULL), EST_EINVAL);
    assert_int_equal(est_samples_inputs_order(NULL, 0, NULL), EST_OK);
    test_rmtree(dir);
    free(dir);
}

#define GPU_1000_1030 "time_unix_s,gpu0_power_w\n1000,100\n1010,100\n1020,100\n1030,100\n"

/* The overlap rule per host, through the library:
 * - host a: gpu.csv 1000..1030 s and ram.csv 5000..5010 s share no time
 *   (ram starts at 5000, after the GPU's last sample at 1030): ENODATA,
 *   the message gives each span (5000 s = 01:23:20, 5010 s = 01:23:30,
 *   1000 s = 00:16:40, 1030 s = 00:17:10 on 1970-01-01) and file names
 *   ram.csv, the input whose quantity starts after the other ended;
 * - host b: gpu.csv 1000..1030 and ram2.csv 1000..3000: the window is
 *   2000 s, the GPU covers 30 s of it, 30 / 2000 = 1.5 % < 10 %: hardly
 *   overlap, at fault gpu0_power_w of gpu.csv;
 * - host c: one file, alone in its time: never compared with a or b;
 * - a start given: no check. */
static void test_samples_set_check_overlap_per_host(void **state)
{
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_samples_set *set;
    est_samples *h;
    est_error e;
    (void)state;
    assert_int_equal(est_samples_set_open(&set, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&h, set, "a", NULL), EST_OK);
    feed_all(h, "gpu.csv", GPU_1000_1030);
    feed_all(h, "ram.csv", "time_unix_s,ram_used_gb\n5000,4\n5010,4\n");
    assert_int_equal(est_samples_set_host(&h, set, "c", NULL), EST_OK);
    feed_all(h, "c.csv", "time_unix_s,gpu0_power_w\n90000,100\n90010,100\n");
    assert_int_equal(est_samples_finish(est_samples_set_total(set), NULL), EST_OK);
    assert_int_equal(est_samples_set_host_inputs(set, 0), 2);
    assert_int_equal(est_samples_set_host_inputs(set, 1), 1);
    assert_int_equal(est_samples_set_host_inputs(set, 2), 0);
    assert_int_equal(est_samples_set_check_overlap(set, &e), EST_ENODATA);
    assert_int_equal(e.code, EST_ENODATA);
    assert_string_equal(e.message, "host a: the sample logs share no time (ram_used_gb "
                                   "1970-01-01T01:23:20Z to 1970-01-01T01:23:30Z, "
                                   "gpu0_power_w 1970-01-01T00:16:40Z to "
                                   "1970-01-01T00:17:10Z): they cannot be one job's");
    assert_string_equal(e.file, "ram.csv");
    est_samples_set_free(set);

    assert_int_equal(est_samples_set_open(&set, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&h, set, "b", NULL), EST_OK);
    feed_all(h, "gpu.csv", GPU_1000_1030);
    feed_all(h, "ram2.csv", "time_unix_s,ram_used_gb\n1000,4\n3000,4\n");
    assert_int_equal(est_samples_finish(est_samples_set_total(set), NULL), EST_OK);
    assert_int_equal(est_samples_set_check_overlap(set, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "host b: the sample logs hardly overlap: gpu0_power_w "
                                      "has a value over only 1.5% of the 2000 s"));
    assert_string_equal(e.file, "gpu.csv");
    est_samples_set_free(set);

    /* one host, unnamed; its two logs overlap: 1000..1030 and 1010..1020 */
    assert_int_equal(est_samples_set_open(&set, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&h, set, NULL, NULL), EST_OK);
    feed_all(h, "gpu.csv", GPU_1000_1030);
    feed_all(h, "ram.csv", "time_unix_s,ram_used_gb\n1010,4\n1020,4\n");
    assert_int_equal(est_samples_finish(est_samples_set_total(set), NULL), EST_OK);
    assert_int_equal(est_samples_set_check_overlap(set, &e), EST_OK);
    est_samples_set_free(set);

    /* apart again, but the caller gives the window: no check */
    o.has_start = 1;
    o.start_unix_s = 1000.0;
    assert_int_equal(est_samples_set_open(&set, &o, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&h, set, NULL, NULL), EST_OK);
    feed_all(h, "gpu.csv", GPU_1000_1030);
    feed_all(h, "ram.csv", "time_unix_s,ram_used_gb\n5000,4\n5010,4\n");
    assert_int_equal(est_samples_finish(est_samples_set_total(set), NULL), EST_OK);
    assert_int_equal(est_samples_set_check_overlap(set, &e), EST_OK);
    est_samples_set_free(set);
    assert_int_equal(est_samples_set_check_overlap(NULL, &e), EST_EINVAL);
}

static void test_samples_set_orders_each_hosts_files(void **state)
{
    char *dir = test_mkdtemp(), d1[4200], d2[4200], x[4200];
    est_samples_input in[3];
    est_samples_set *set = NULL;
    est_samples *h = NULL;
    (void)state;
    snprintf(d1, sizeof d1, "%s/day1.csv", dir);
    snprintf(d2, sizeof d2, "%s/day2.csv", dir);
    snprintf(x, sizeof x, "%s/x.csv", dir);
    test_write_file(d1, "time_unix_s,gpu0_power_w\n0,100\n1,100\n2,100\n");
    test_write_file(d2, "time_unix_s,gpu0_power_w\n10,100\n11,100\n12,100\n");
    test_write_file(x, "time_unix_s,gpu0_power_w\n5,100\n6,100\n");
    memset(in, 0, sizeof in);
    in[0].host = "b";
    in[0].path = d2;
    in[0].user_index = 0;
    in[1].host = "a";
    in[1].path = x;
    in[1].user_index = 1;
    in[2].host = "b";
    in[2].path = d1;
    in[2].user_index = 2;
    assert_int_equal(est_samples_inputs_order(in, 3, NULL), EST_OK);
    assert_string_equal(in[0].path, d1);
    assert_int_equal(in[0].user_index, 2);
    assert_string_equal(in[1].path, d2);
    assert_string_equal(in[2].path, x);
    assert_string_equal(in[2].host, "a");
    assert_int_equal(est_samples_set_open(&set, NULL, NULL), EST_OK);
    assert_int_equal(est_samples_set_host(&h, set, NULL, NULL), EST_OK);
    assert_ptr_equal(est_samples_set_total(set), h);
    est_samples_set_free(set);
    test_rmtree(dir);
    free(dir);
}

/* est_samples_format_time keeps the fraction of a second, to the
 * microsecond: 1700000000 is 2023-11-14T22:13:20Z (19675 days x 86400 =
 * 1699920000, + 80000 s = 22:13:20). */
static void test_samples_format_time_keeps_fractions(void **state)
{
    char buf[EST_SAMPLES_TIME_FORMAT_SIZE];
    (void)state;
    assert_int_equal(est_samples_format_time(buf, sizeof buf, 1700000000.0), EST_OK);
    assert_string_equal(buf, "2023-11-14T22:13:20Z");
    assert_int_equal(est_samples_format_time(buf, sizeof buf, 1700000000.25), EST_OK);
    assert_string_equal(buf, "2023-11-14T22:13:20.25Z");
    assert_int_equal(est_samples_format_time(buf, sizeof buf, 1700000000.0000004), EST_OK);
    assert_string_equal(buf, "2023-11-14T22:13:20Z");
    assert_int_equal(est_samples_format_time(buf, sizeof buf, 1699999999.9999996), EST_OK);
    assert_string_equal(buf, "2023-11-14T22:13:20Z");
    assert_int_equal(est_samples_format_time(buf, sizeof buf, -0.5), EST_OK);
    assert_string_equal(buf, "1969-12-31T23:59:59.5Z");
    assert_int_equal(est_samples_format_time(buf, 20, 0.0), EST_ERANGE);
    assert_int_equal(est_samples_format_time(buf, sizeof buf, NAN), EST_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_ecoest_format_trapezoid),
        cmocka_unit_test(test_samples_push_two_samples),
        cmocka_unit_test(test_samples_push_rejects_bad_values),
        cmocka_unit_test(test_samples_gap_not_bridged_and_fills),
        cmocka_unit_test(test_samples_missing_value_is_a_gap_not_a_zero),
        cmocka_unit_test(test_samples_duplicates_and_backwards_dropped),
        cmocka_unit_test(test_samples_window_interpolates_edges),
        cmocka_unit_test(test_samples_idle_until_measures_idle),
        cmocka_unit_test(test_samples_energy_bins),
        cmocka_unit_test(test_samples_bin_weights_init),
        cmocka_unit_test(test_samples_reader_open_checks_columns_form),
        cmocka_unit_test(test_samples_parsing_thread_blocks_signals),
        cmocka_unit_test(test_samples_bin_width_is_bounded),
        cmocka_unit_test(test_samples_push_rejects_absurd_values),
        cmocka_unit_test(test_samples_bad_row_message_names_place),
        cmocka_unit_test(test_samples_skip_bad_rows_counts_kinds),
        cmocka_unit_test(test_samples_empty_header_only_single_sample),
        cmocka_unit_test(test_samples_malformed_corpus_never_crashes),
        cmocka_unit_test(test_samples_amd_smi_crlf_repeated_headers),
        cmocka_unit_test(test_samples_nvidia_smi_units_tz_and_power_fallback),
        cmocka_unit_test(test_samples_rocm_smi_interval_and_secondary_die),
        cmocka_unit_test(test_samples_two_files_aligned_on_time),
        cmocka_unit_test(test_samples_unknown_header_asks_for_columns),
        cmocka_unit_test(test_samples_reader_chunks_do_not_matter),
        cmocka_unit_test(test_samples_two_threads_same_result),
        cmocka_unit_test(test_samples_blocks_equal_streaming),
        cmocka_unit_test(test_samples_blocks_equal_streaming_nvidia_smi),
        cmocka_unit_test(test_samples_blocks_read_units_like_streaming),
        cmocka_unit_test(test_samples_writer_round_trip),
        cmocka_unit_test(test_samples_shared_nvidia_smi_query),
        cmocka_unit_test(test_samples_shared_nvidia_power_fields),
        cmocka_unit_test(test_samples_shared_amd_smi),
        cmocka_unit_test(test_samples_shared_rocm_smi_single_tick),
        cmocka_unit_test(test_samples_shared_monitor_mapping),
        cmocka_unit_test(test_samples_cli_json_keys),
        cmocka_unit_test(test_samples_result_holds_more_than_64_gpus),
        cmocka_unit_test(test_samples_cli_more_than_64_gpus),
        cmocka_unit_test(test_samples_cli_bad_row_exit_65_empty_stdout),
        cmocka_unit_test(test_samples_cli_stdin_and_exit_codes),
        cmocka_unit_test(test_samples_cli_write_samples_round_trip),
        cmocka_unit_test(test_samples_cli_idle_until),
        cmocka_unit_test(test_samples_cli_write_samples_never_overwrites_input),
        cmocka_unit_test(test_samples_nvidia_smi_no_index_numbers_gpus_by_position),
        cmocka_unit_test(test_samples_cli_timeless_log_with_timed_log_needs_start),
        cmocka_unit_test(test_samples_cpu_mean_of_usage_times_cores),
        cmocka_unit_test(test_samples_idle_until_before_first_sample),
        cmocka_unit_test(test_samples_cli_gpu_without_covered_step_still_counts),
        cmocka_unit_test(test_samples_epoch_row_never_fails_on_bins),
        cmocka_unit_test(test_samples_two_columns_for_one_quantity_refused),
        cmocka_unit_test(test_samples_cli_gpu_idle_with_idle_until),
        cmocka_unit_test(test_samples_cli_logs_that_do_not_overlap),
        cmocka_unit_test(test_samples_cli_memory_option_counts_the_allocation),
        cmocka_unit_test(test_samples_cli_gpu_auto_keeps_the_logs_names),
        cmocka_unit_test(test_samples_tz_repeated_hour_goes_forward),
        cmocka_unit_test(test_samples_cli_write_samples_round_trip_keeps_edges_names_dies),
        cmocka_unit_test(test_samples_cli_columns_apply_to_the_preceding_samples),
        cmocka_unit_test(test_samples_cli_rotated_logs_of_one_quantity),
        cmocka_unit_test(test_samples_gpu_lost_mid_log_is_a_trailing_gap),
        cmocka_unit_test(test_samples_cli_report_shows_usage_and_csv_columns),
        cmocka_unit_test(test_samples_reader_power_bound_field_count_and_process_cpu),
        cmocka_unit_test(test_samples_gaps_and_duplicates_count_rows),
        cmocka_unit_test(test_samples_set_two_hosts_overlapping),
        cmocka_unit_test(test_samples_set_orders_each_hosts_files),
        cmocka_unit_test(test_samples_inputs_order_puts_unknown_times_last),
        cmocka_unit_test(test_samples_set_check_overlap_per_host),
        cmocka_unit_test(test_samples_format_time_keeps_fractions),
        cmocka_unit_test(test_samples_default_max_gap_is_three_medians),
        cmocka_unit_test(test_samples_sample_power_by_the_model),
        cmocka_unit_test(test_samples_gpu_energy_needs_measured_power),
        cmocka_unit_test(test_samples_time_bases_mixed_need_origin),
        cmocka_unit_test(test_samples_convert_window_and_edges),
        cmocka_unit_test(test_samples_keep_gpus_drops_columns_and_empty_rows),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    dispose_computed();
    return failed;
}
