/*
 * embed.c - estimate a job's footprint through the libestimate API.
 *
 * Build against the installed library:
 *   cc embed.c $(pkg-config --cflags --libs ecoest) -lm -o embed
 *   (add -Wl,-rpath,$(pkg-config --variable=libdir ecoest) when the library
 *   is installed outside the loader's path)
 * Run: ./embed
 *
 * It estimates a 24-hour job on 8 cores of 12 W each at 75 % usage, one GPU
 * of 300 W TDP (40 W idle) at 60 % usage, 64 GB of memory, in a data centre
 * of PUE 1.2 on a 56 gCO2e/kWh grid, and prints the totals of both scopes.
 * By hand, process scope:
 *   CPU    8 x 12 x 0.75            =  72    W
 *   GPU    0.6 x (300 - 40)         = 156    W
 *   memory 64 x 0.3725              =  23.84 W
 *   power  1.2 x 251.84             = 302.208 W
 *   energy 302.208 x 24 / 1000      =   7.252992 kWh
 *   carbon 7.252992 x 56            = 406.167552 g
 * and the allocation scope counts the GPU from 0 W: 0.6 x 300 = 180 W, so
 *   power 1.2 x 275.84 = 331.008 W, energy 7.944192 kWh, carbon 444.874752 g.
 * It exits 0 when the library agrees with these figures, 1 otherwise.
 */
#include <math.h>
#include <stdio.h>

#include <ecoest/estimate.h>

int main(void)
{
    est_model_inputs in = EST_MODEL_INPUTS_INIT;
    est_model_result r;
    est_error err;
    size_t i;

    in.cpu_cores = 8;
    in.cpu_tdp_per_core_w = 12.0;
    in.cpu_usage_frac = 0.75;
    in.gpu_count = 1;
    in.gpu_tdp_w = 300.0;
    in.gpu_idle_w = 40.0;
    in.gpu_usage_frac = 0.6;
    in.memory_gb = 64.0;
    in.pue = 1.2;
    in.runtime_h = 24.0;
    in.ci_g_co2e_per_kwh = 56.0;

    if (est_model_compute(&r, NULL, &in, &err) != EST_OK) {
        fprintf(stderr, "embed: %s\n", err.message);
        return 1;
    }
    printf("libestimate %s\n", est_version());
    printf("process:    %.6f kWh, %.6f gCO2e (%.3f W)\n", r.process.energy_kwh,
           r.process.co2e_g, r.process.power_w);
    printf("allocation: %.6f kWh, %.6f gCO2e (%.3f W)\n", r.allocation.energy_kwh,
           r.allocation.co2e_g, r.allocation.power_w);
    printf("that is %.2f km by car\n", r.equivalents.car_km);
    for (i = 0; i < r.n_assumptions; i++)
        printf("assumed: %s\n", r.assumptions[i]);

    if (fabs(r.process.co2e_g - 406.167552) > 1e-6 ||
        fabs(r.allocation.co2e_g - 444.874752) > 1e-6) {
        fprintf(stderr, "embed: the library disagrees with the hand-worked figures\n");
        return 1;
    }
    return 0;
}
