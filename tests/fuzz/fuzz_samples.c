/*
 * libFuzzer target for one sample-log reader (FUZZ_FORMAT, set by CMake: one
 * executable per reader). The first two bytes choose the chunk size and the
 * options; the rest is the file, fed in chunks, then integrated. Any input
 * must end in a result or an error with a message: never a crash, a hang,
 * a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecoest/samples.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT EST_SAMPLES_FORMAT_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    est_samples *s;
    est_samples_reader *r;
    est_samples_options so = EST_SAMPLES_OPTIONS_INIT;
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples_result *res;
    est_error e;
    size_t chunk, off;
    int rc = 0;
    uint8_t flags;

    if (size < 2)
        return 0;
    chunk = (size_t)data[0] + 1;
    flags = data[1];
    data += 2;
    size -= 2;

    ro.format = FUZZ_FORMAT;
    ro.skip_bad_rows = flags & 1;
    ro.interval_s = 1.0;
    ro.has_tz = (flags >> 1) & 1;
    if (FUZZ_FORMAT == EST_SAMPLES_FORMAT_CSV)
        ro.columns = (flags & 4) ? "time=time,cpu_pct=cpu,ram_gb=ram,gpu_w=gpu,gpu_index=idx"
                                 : "time=t,gpu0_w=a,gpu1_pct=b,cpu_cores=c";
    else if (flags & 4)
        ro.columns = "timestamp, index, name, power.draw, utilization.gpu";
    so.fill = (est_samples_fill)((flags >> 3) % 3);
    if (flags & 32) {
        so.has_start = 1;
        so.start_unix_s = 1700000001.0;
        so.has_end = 1;
        so.end_unix_s = 1700000005.5;
    }
    if (flags & 64)
        so.bin_s = 1.0;
    if (flags & 128) {
        so.has_idle_until = 1;
        so.idle_until_unix_s = 1700000002.0;
    }
    res = malloc(sizeof *res);
    if (!res || est_samples_open(&s, &so, NULL)) {
        free(res);
        return 0;
    }
    if (est_samples_reader_open(&r, s, "fuzz", &ro, NULL) == EST_OK) {
        for (off = 0; off < size && !rc; off += chunk)
            rc = est_samples_reader_feed(r, (const char *)data + off,
                                         size - off < chunk ? size - off : chunk, &e);
        if (!rc)
            rc = est_samples_reader_finish(r, &e);
        if (rc && e.message[0] == '\0')
            abort(); /* every error has a message */
        est_samples_reader_free(r);
    }
    est_samples_finish(s, NULL);
    if (est_samples_compute(res, s, &e) == EST_OK) {
        size_t i;
        if (!(res->duration_s > 0.0))
            abort();
        for (i = 0; i < res->n_gpus; i++) {
            const est_samples_gpu *g = est_samples_result_gpu(res, i);
            if (!g || g->mean_power_w < 0.0 || g->mean_power_w != g->mean_power_w)
                abort(); /* every GPU readable, never a negative or NaN power */
        }
        if (est_samples_result_gpu(res, res->n_gpus))
            abort(); /* none past the end */
        if (flags & 64) {
            est_samples_bin_weights w = EST_SAMPLES_BIN_WEIGHTS_INIT;
            est_intensity_energy_bin bins[8];
            size_t n;
            w.cpu_w_at_full_usage = 10.0;
            w.gpu_above_idle = 1;
            w.pue = 1.2;
            w.cpu_w_per_busy_core = 10.0 / 8.0;
            est_samples_energy_bins(bins, 8, &n, s, &w, NULL);
        }
    } else if (e.message[0] == '\0') {
        abort();
    }
    est_samples_result_dispose(res);
    est_samples_free(s);
    free(res);
    return 0;
}
