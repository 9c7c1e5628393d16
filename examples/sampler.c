/*
 * sampler.c - a sampler that embeds ecoest: push each tick's readings into
 * the integrator (est_samples), then turn the integral into an estimate.
 *
 * Build against the installed library:
 *   cc sampler.c $(pkg-config --cflags --libs ecoest) -lm -o sampler
 *   (add -Wl,-rpath,$(pkg-config --variable=libdir ecoest) when the library
 *   is installed outside the loader's path)
 * Run: ./sampler   (exits 0 when the library agrees with the figures below)
 *
 * Seven ticks, 10 s apart (60 s), one GPU with a known idle power of 50 W and
 * a CPU of 4 cores of 10 W each:
 *   GPU 0 power, W   100 100 200 200 200 100 100
 *   CPU usage        .25 .25 .75 .75 .75 .25 .25
 * Trapezoids of the GPU power, J: 1000 + 1500 + 2000 + 2000 + 1500 + 1000
 *   = 9000 J over 60 s: mean 150 W, 9000 / 3.6e6 = 0.0025 kWh;
 *   above idle: 9000 - 50 x 60 = 6000 J = 0.0016666... kWh.
 * CPU usage: (2.5 + 5 + 7.5 + 7.5 + 5 + 2.5) / 60 = 0.5.
 * The model (PUE 1, 100 gCO2e/kWh, process scope):
 *   power  4 x 10 x 0.5 + (150 - 50)  = 120 W
 *   energy 120 x (60 / 3600) / 1000  = 0.002 kWh,  carbon 0.2 g.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ecoest/estimate.h>

static int close_to(double a, double b) { return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b)); }

int main(void)
{
    static const double gpu_w[7] = {100, 100, 200, 200, 200, 100, 100};
    static const double cpu[7] = {.25, .25, .75, .75, .75, .25, .25};
    est_samples_options o = EST_SAMPLES_OPTIONS_INIT;
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_samples_result res, *r = &res; /* its GPUs: est_samples_result_gpu */
    const est_samples_gpu *g0;
    est_model_result m;
    est_samples *s = NULL;
    est_error err;
    int k, ok;

    memset(&res, 0, sizeof res); /* disposable before the compute, too */
    o.gpu_idle_w = 50.0;
    if (est_samples_open(&s, &o, &err) != EST_OK)
        return 1;
    for (k = 0; k < 7; k++) { /* a real sampler: one tick per read of its sensors */
        est_sample tick[3] = {{EST_SAMPLES_GPU_POWER_W, 0, gpu_w[k]},
                              {EST_SAMPLES_CPU_USAGE_FRAC, 0, cpu[k]},
                              {EST_SAMPLES_CPU_CORES, 0, 4.0}};
        if (est_samples_push(s, 1700000000.0 + 10.0 * k, tick, 3, &err) != EST_OK)
            goto fail;
    }
    if (est_samples_finish(s, &err) != EST_OK || est_samples_compute(r, s, &err) != EST_OK)
        goto fail;
    g0 = est_samples_result_gpu(r, 0); /* GPU 0: the only one pushed */
    if (!g0) {
        est_samples_result_dispose(r);
        est_samples_free(s);
        return 1;
    }

    in.cpu_cores = 4;
    in.cpu_tdp_per_core_w = 10.0;
    in.cpu_usage_frac = r->cpu_usage_frac.mean;
    in.gpu_count = 1;
    in.gpu_power_w = g0->mean_power_w;
    in.gpu_idle_w = g0->idle_w;
    in.pue = 1.0;
    in.runtime_h = r->duration_s / 3600.0;
    in.ci_g_co2e_per_kwh = 100.0;
    if (est_model_compute(&m, NULL, &in, &err) != EST_OK)
        goto fail;

    printf("window %.0f s, GPU %.1f W mean, %.7f kWh (%.7f above idle), CPU usage %.3f\n",
           r->duration_s, g0->mean_power_w, g0->energy_kwh,
           g0->energy_above_idle_kwh, r->cpu_usage_frac.mean);
    printf("estimate: %.1f W, %.6f kWh, %.4f gCO2e\n", m.total.power_w, m.total.energy_kwh,
           m.total.co2e_g);
    ok = close_to(r->duration_s, 60.0) && close_to(g0->mean_power_w, 150.0) &&
         close_to(g0->energy_kwh, 0.0025) &&
         close_to(g0->energy_above_idle_kwh, 6000.0 / 3.6e6) &&
         g0->idle_source == EST_SAMPLES_IDLE_OPTION && close_to(r->cpu_usage_frac.mean, 0.5) &&
         close_to(m.total.power_w, 120.0) && close_to(m.total.energy_kwh, 0.002) &&
         close_to(m.total.co2e_g, 0.2);
    est_samples_result_dispose(r); /* frees its GPUs */
    est_samples_free(s);
    if (!ok)
        fprintf(stderr, "sampler: the library disagrees with the hand-worked figures\n");
    return ok ? 0 : 1;
fail:
    fprintf(stderr, "sampler: %s (%s)\n", err.message, est_strerror(err.code));
    est_samples_result_dispose(r); /* harmless after a failed compute */
    est_samples_free(s);
    return 1;
}
