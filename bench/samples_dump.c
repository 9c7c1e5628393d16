/*
 * samples_dump: every figure the sample reader and integrator give for one
 * file, over a grid of read options, as exact hexadecimal floats. A tool for
 * checking that a change to the reader keeps results bit-identical:
 *
 *   samples_dump FILE... > before.txt      (old code)
 *   samples_dump FILE... > after.txt       (new code)
 *   cmp before.txt after.txt
 *
 * bench/samples_golden.sh runs it over the fixtures and generated logs.
 * Grid: formats (auto, each named one, two --columns mappings, a header
 * list), zones (none, UTC, +01:00), interval, skip_bad_rows, threads (1, 2,
 * and the reader fed in 1-, 7- and 4096-byte pieces), and integrator
 * options (default, fill hold with a fixed gap, idle fill with 60 s energy
 * bins, a window inside the log, idle-until).
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecoest/samples.h"

static void q(const char *what, const est_samples_quantity *x)
{
    printf(" %s:%d %a %d %a %a %a %a %lu %lu %lu %lu %lu %a %a %a %a %a %d %d %a %a\n", what,
           x->present, x->mean, x->mean_of_readings, x->integral, x->covered_s, x->filled_s,
           x->uncovered_s, x->samples, x->missing, x->gaps, x->duplicates, x->backwards,
           x->max_gap_s, x->min, x->max, x->first_unix_s, x->last_unix_s, x->has_start_value,
           x->has_end_value, x->has_start_value ? x->start_value : 0.0,
           x->has_end_value ? x->end_value : 0.0);
}

static unsigned long rows_seen;
static double row_sum;
static void on_row(void *u, double t, const est_sample *v, size_t n)
{
    size_t i;
    (void)u;
    rows_seen++;
    row_sum += t;
    for (i = 0; i < n; i++)
        row_sum += v[i].value == v[i].value ? v[i].value * (double)(v[i].kind + 1) : 1.0;
}

/* feed: 0 read_file; else the piece size for reader_feed */
static int read_one(est_samples *s, const char *path, const est_samples_read_options *ro,
                    size_t feed, est_error *e)
{
    est_samples_reader *r;
    char *buf;
    ssize_t got;
    int fd, rc;
    if (!feed)
        return est_samples_read_file(s, path, ro, e);
    if ((rc = est_samples_reader_open(&r, s, path, ro, e)))
        return rc;
    fd = open(path, O_RDONLY);
    buf = malloc(feed);
    rc = fd < 0 || !buf ? -1 : 0;
    while (!rc && (got = read(fd, buf, feed)) > 0)
        rc = est_samples_reader_feed(r, buf, (size_t)got, e);
    if (!rc)
        rc = est_samples_reader_finish(r, e);
    if (fd >= 0)
        close(fd);
    free(buf);
    est_samples_reader_free(r);
    return rc;
}

static void run(const char *path, const char *label, const est_samples_read_options *ro,
                const est_samples_options *so, size_t feed)
{
    est_samples *s;
    est_samples_result *res = calloc(1, sizeof *res);
    est_samples_read_stats st;
    est_error e;
    int rc;
    size_t i;

    memset(&e, 0, sizeof e);
    rows_seen = 0;
    row_sum = 0.0;
    printf("== %s [%s] feed=%zu\n", path, label, feed);
    if (est_samples_open(&s, so, &e)) {
        printf(" open: %s\n", e.message);
        free(res);
        return;
    }
    rc = read_one(s, path, ro, feed, &e);
    printf(" read rc=%d", rc);
    if (rc)
        printf(" msg=%s file=%s line=%lu col=%u", e.message, e.file, e.line, e.column);
    printf(" on_row=%lu %a\n", rows_seen, row_sum);
    est_samples_stats(&st, s);
    printf(" stats rows=%lu skipped=%lu headers=%lu nfirst=%zu", st.rows, st.skipped_rows,
           st.headers, st.n_first);
    for (i = 0; i < EST_SAMPLES_BAD_ROW_KINDS; i++)
        printf(" %lu", st.skipped_by_kind[i]);
    for (i = 0; i < st.n_first; i++)
        printf(" %s:%lu", st.first_file[i], st.first_line[i]);
    if (st.n_first)
        printf(" first=%s", st.first_message);
    printf("\n");
    if (!rc) {
        est_samples_finish(s, &e);
        rc = est_samples_compute(res, s, &e);
        printf(" compute rc=%d", rc);
        if (rc)
            printf(" msg=%s", e.message);
        printf("\n");
    }
    if (!rc) {
        printf(" win %a %a %a %a gaps=%lu dup=%lu back=%lu miss=%lu derived=%d\n",
               res->start_unix_s, res->end_unix_s, res->duration_s, res->covered_s, res->gaps,
               res->duplicates, res->backwards, res->missing, res->cpu_busy_cores_derived);
        q("cpu", &res->cpu_usage_frac);
        q("cores", &res->cpu_cores);
        q("busy", &res->cpu_busy_cores);
        q("ram", &res->ram_used_gb);
        q("pkg", &res->cpu_package_power_w);
        q("node", &res->node_power_w);
        printf(" energy %a %a\n", res->cpu_package_energy_kwh, res->node_energy_kwh);
        for (i = 0; i < res->n_gpus; i++) {
            const est_samples_gpu *g = est_samples_result_gpu(res, i);
            printf(" gpu %u name=%s sec=%d %a %a %a %d %a %a\n", g->index, g->name,
                   g->secondary_die, g->mean_power_w, g->energy_kwh, g->idle_w,
                   (int)g->idle_source, g->idle_covered_s, g->energy_above_idle_kwh);
            q("power", &g->power_w);
            q("usage", &g->usage_frac);
        }
        est_samples_result_dispose(res);
        if (so->bin_s > 0.0) {
            est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT;
            est_intensity_energy_bin bins[64];
            size_t nb = 0;
            w.cpu_w_at_full_usage = 100.0;
            w.gpu_above_idle = 1;
            rc = est_samples_energy_bins(bins, 64, &nb, s, &w, &e);
            printf(" bins rc=%d n=%zu", rc, nb);
            for (i = 0; !rc && i < nb && i < 64; i++)
                printf(" %a", bins[i].energy_kwh);
            printf("\n");
        }
    }
    est_samples_free(s);
    free(res);
}

/* Options 4 and 5: a window inside the log's own span (30 %..70 %), and an
   idle-until at 20 % with the idle fill; 0 when the file gives no span. */
static int window_of(const char *path, const est_samples_read_options *ro,
                     est_samples_options *so, size_t si)
{
    est_samples *s;
    est_samples_result *res = calloc(1, sizeof *res);
    est_samples_read_options r1 = *ro;
    int ok = 0;
    r1.threads = 1;
    r1.on_row = NULL;
    if (res && est_samples_open(&s, NULL, NULL) == 0) {
        if (est_samples_read_file(s, path, &r1, NULL) == 0 && est_samples_finish(s, NULL) == 0 &&
            est_samples_compute(res, s, NULL) == 0) {
            double a = res->start_unix_s, d = res->duration_s;
            ok = 1;
            if (si == 4) {
                so->has_start = so->has_end = 1;
                so->start_unix_s = a + 0.3 * d;
                so->end_unix_s = a + 0.7 * d;
            } else {
                so->has_idle_until = 1;
                so->idle_until_unix_s = a + 0.2 * d;
                so->fill = EST_SAMPLES_FILL_IDLE;
                so->max_gap_s = 10.0;
            }
        }
        est_samples_result_dispose(res);
        est_samples_free(s);
    }
    free(res);
    return ok;
}

int main(int argc, char **argv)
{
    static const char *columns[] = {
        NULL,
        "time=time_unix_s,cpu_frac=cpu_usage_frac,ram_gb=ram_used_gb,gpu0_w=gpu0_power_w",
        "time=timestamp,gpu_index=index,gpu_w=power.draw,gpu_pct=utilization.gpu,"
        "gpu_name=name",
        "timestamp,index,name,power.draw [W],utilization.gpu [%]"};
    static const est_samples_format formats[] = {EST_SAMPLES_FORMAT_AUTO, EST_SAMPLES_FORMAT_ECOEST,
                                                 EST_SAMPLES_FORMAT_NVIDIA_SMI, EST_SAMPLES_FORMAT_AMD_SMI,
                                                 EST_SAMPLES_FORMAT_ROCM_SMI};
    static const size_t feeds[] = {0, 0, 1, 7, 4096};
    int a, full = getenv("SAMPLES_DUMP_FULL") != NULL;
    for (a = 1; a < argc; a++) {
        const char *path = argv[a];
        size_t fi, ci, zi, si, k;
        struct stat stt;
        int big = stat(path, &stt) == 0 && stt.st_size > (1 << 20);
        for (fi = 0; fi < sizeof formats / sizeof formats[0]; fi++)
            for (ci = 0; ci < sizeof columns / sizeof columns[0]; ci++)
                for (zi = 0; zi < 3; zi++)
                    for (si = 0; si < 6; si++)
                        for (k = 0; k < sizeof feeds / sizeof feeds[0]; k++) {
                            est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
                            est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
                            char label[200];
                            /* keep the grid finite: the mappings with auto
                               only, skip_bad_rows and other settings on
                               the default integrator */
                            if (ci && fi)
                                continue;
                            if (!full && (zi || si) && (ci || fi))
                                continue;
                            if (big && (feeds[k] == 1 || feeds[k] == 7))
                                continue; /* too slow: 4096 covers it */
                            ro.format = formats[fi];
                            ro.columns = columns[ci];
                            ro.has_tz = zi > 0;
                            ro.tz_offset_s = zi == 2 ? 3600 : 0;
                            ro.interval_s = 1.0;
                            ro.origin_unix_s = 1.7e9;
                            ro.on_row = on_row;
                            ro.threads = k == 0 ? 1 : k == 1 ? 2 : 0;
                            ro.skip_bad_rows = si == 1 || si == 3;
                            if (si == 2) {
                                so.fill = EST_SAMPLES_FILL_HOLD;
                                so.max_gap_s = 5.0;
                            }
                            if (si == 3) {
                                so.fill = EST_SAMPLES_FILL_IDLE;
                                so.bin_s = 60.0;
                                so.max_bins = 64;
                            }
                            if (si >= 4 && !window_of(path, &ro, &so, si))
                                continue;
                            snprintf(label, sizeof label, "f%zu c%zu z%zu s%zu", fi, ci, zi,
                                     si);
                            run(path, label, &ro, &so, feeds[k]);
                        }
    }
    return 0;
}
