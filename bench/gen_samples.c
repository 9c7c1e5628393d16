/* Synthetic ecoest sample logs: a deterministic job with a CPU usage, RAM
 * and two GPUs whose power wanders between idle and full load. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_samples.h"

static uint64_t next(uint64_t *s)
{
    /* xorshift64* */
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ull;
}

int gen_samples_write(const char *path, unsigned long rows)
{
    FILE *f = strcmp(path, "-") == 0 ? fdopen(dup(1), "w") : fopen(path, "w");
    uint64_t st = 0x9E3779B97F4A7C15ull;
    unsigned long i;
    static char buf[1 << 20];
    if (!f)
        return -1;
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("time_unix_s,cpu_usage_frac,ram_used_gb,gpu0_power_w,gpu1_power_w\n", f);
    for (i = 0; i < rows; i++) {
        uint64_t r = next(&st);
        unsigned cpu = (unsigned)(r % 1000u);           /* 0.000 .. 0.999 */
        unsigned ram = 2000u + (unsigned)((r >> 10) % 3000u); /* 20.00 .. 49.99 GB */
        unsigned g0 = 6000u + (unsigned)((r >> 22) % 34000u); /* 60.00 .. 399.99 W */
        unsigned g1 = 6000u + (unsigned)((r >> 40) % 34000u);
        if (fprintf(f, "%lu.%u,0.%03u,%u.%02u,%u.%02u,%u.%02u\n", 1700000000ul + i,
                    (unsigned)(i % 10u), cpu, ram / 100u, ram % 100u, g0 / 100u, g0 % 100u,
                    g1 / 100u, g1 % 100u) < 0) {
            fclose(f);
            return -1;
        }
    }
    return fclose(f) ? -1 : 0;
}

/* nvidia-smi --query-gpu=timestamp,index,name,power.draw,utilization.gpu
   --format=csv -lms 1000: one row per GPU per second, units in the values. */
int gen_nvsmi_write(const char *path, unsigned long rows, unsigned gpus)
{
    FILE *f = strcmp(path, "-") == 0 ? fdopen(dup(1), "w") : fopen(path, "w");
    uint64_t st = 0x2545F4914F6CDD1Dull;
    unsigned long i;
    static char buf[1 << 20];
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!f)
        return -1;
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("timestamp, index, name, power.draw [W], utilization.gpu [%]\n", f);
    for (i = 0; i < rows; i++) {
        unsigned long tick = i / gpus, sec = tick % 86400ul, day = tick / 86400ul;
        unsigned g = (unsigned)(i % gpus), mo = 0, d = (unsigned)day;
        uint64_t r = next(&st);
        unsigned p = 6000u + (unsigned)(r % 34000u), u = (unsigned)((r >> 20) % 101u);
        while (mo < 11 && d >= dm[mo]) /* a year from 2023-01-01: no leap day */
            d -= dm[mo++];
        if (fprintf(f, "2023/%02u/%02u %02lu:%02lu:%02lu.%03u, %u, NVIDIA A100-SXM4-80GB, "
                       "%u.%02u W, %u %%\n", mo + 1, d + 1, sec / 3600, sec / 60 % 60, sec % 60,
                    g * 3u, g, p / 100u, p % 100u, u) < 0) {
            fclose(f);
            return -1;
        }
    }
    return fclose(f) ? -1 : 0;
}

#ifdef GEN_SAMPLES_MAIN
int main(int argc, char **argv)
{
    int nv = argc == 4 && strcmp(argv[3], "--nvidia-smi") == 0;
    if (argc != 3 && !nv) {
        fprintf(stderr, "usage: gen_samples FILE|- ROWS [--nvidia-smi]\n");
        return 64;
    }
    if (nv ? gen_nvsmi_write(argv[1], strtoul(argv[2], NULL, 10), 4)
           : gen_samples_write(argv[1], strtoul(argv[2], NULL, 10))) {
        perror(argv[1]);
        return 74;
    }
    return 0;
}
#endif
