/* bench_jobs: writes a realistic sacct --parsable2 file (jobs with their
 * .batch/.extern/.N steps, arrays, GPUs, failures, 10,000 users), then times
 * `ecoest jobs` on it and prints wall time, rows/s and peak RSS.
 *
 *   bench_jobs [ROWS] [--keep FILE]   (default 10000000 rows)
 *
 * When python3 with pandas and PyYAML and a GreenAlgorithms4HPC checkout
 * ($GA4HPC_DIR) are present, their figures could be printed beside ours;
 * this program only says whether they are (see docs/cluster.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rng = 88172645463325252ull;
static unsigned long long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void hms(char *b, size_t n, unsigned long s)
{
    if (s >= 86400)
        snprintf(b, n, "%lu-%02lu:%02lu:%02lu", s / 86400, s % 86400 / 3600, s % 3600 / 60,
                 s % 60);
    else
        snprintf(b, n, "%02lu:%02lu:%02lu", s / 3600, s % 3600 / 60, s % 60);
}

static void iso(char *b, size_t n, time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, n, "%Y-%m-%dT%H:%M:%S", &tm);
}

static unsigned long long generate(const char *path, unsigned long long rows)
{
    static const char *const states[] = {"COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED",
                                         "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED by 1001",
                                         "OUT_OF_MEMORY", "NODE_FAIL"};
    static const char *const parts[] = {"cpu", "cpu", "cpu", "gpu", "bigmem"};
    FILE *f = fopen(path, "w");
    unsigned long long n = 0, job = 1000000;
    time_t t0 = 1767225600; /* 2026-01-01 */
    if (!f)
        return 0;
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    fputs("JobID|UID|User|Account|Partition|Submit|Start|End|Elapsed|State|ExitCode|NNodes|"
          "NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|AllocTRES|TRESUsageInTot|ConsumedEnergyRaw|"
          "NodeList\n", f);
    while (n < rows) {
        unsigned long long r = next();
        unsigned user = (unsigned)(r % 10000), ncpu = 1u << (r >> 20) % 6;
        const char *part = parts[(r >> 30) % 5];
        int gpu = part[0] == 'g';
        unsigned long el = 60 + (unsigned long)((r >> 35) % 86400);
        unsigned long cpu = (unsigned long)((double)el * ncpu * (double)((r >> 40) % 100) / 100.0);
        const char *st = states[(r >> 50) % 10];
        unsigned mem = 1 + (unsigned)((r >> 45) % 64);
        time_t start = t0 + (time_t)(job - 1000000) * 10;
        char s1[32], s2[32], s3[32], e1[32], c1[32], ct[32], id[32], tres[128];
        int steps = 1 + (int)((r >> 55) % 3), k;
        iso(s1, sizeof s1, start - 30);
        iso(s2, sizeof s2, start);
        iso(s3, sizeof s3, start + (time_t)el);
        hms(e1, sizeof e1, el);
        hms(c1, sizeof c1, cpu);
        hms(ct, sizeof ct, el * ncpu);
        if ((r & 7) == 0)
            snprintf(id, sizeof id, "%llu_%u", job, (unsigned)(r >> 8) % 100);
        else
            snprintf(id, sizeof id, "%llu", job);
        snprintf(tres, sizeof tres, "billing=%u,cpu=%u,%smem=%uG,node=1", ncpu, ncpu,
                 gpu ? "gres/gpu:a100=1,gres/gpu=1," : "", mem);
        fprintf(f, "%s|%u|user%u|acct%u|%s|%s|%s|%s|%s|%s|0:0|1|%u|%s|%s|%uG||%s||%s|node%03u\n",
                id, 10000 + user, user, user % 300, part, s1, s2, s3, e1, st, ncpu, c1, ct, mem,
                tres, gpu && (r & 1) ? "" : "", (unsigned)(r >> 12) % 500);
        n++;
        for (k = 0; k < steps && n < rows; k++, n++) {
            const char *sn = k == 0 ? "batch" : k == 1 ? "extern" : "0";
            fprintf(f, "%s.%s|||acct%u||%s|%s|%s|%s|%s|0:0|1|%u|%s|%s||%uK|cpu=%u,mem=%uG,"
                       "node=1|cpu=%s,mem=%uK%s||node%03u\n",
                    id, sn, user % 300, s2, s2, s3, e1, k == 0 ? st : "COMPLETED", ncpu,
                    k == 0 ? c1 : "00:00:00", ct, (unsigned)(r >> 3) % 4000000, ncpu, mem, c1,
                    (unsigned)(r >> 3) % 4000000, gpu ? ",gres/gpuutil=63" : "",
                    (unsigned)(r >> 12) % 500);
        }
        job++;
    }
    fclose(f);
    return job - 1000000;
}

int main(int argc, char **argv)
{
    unsigned long long rows = 10000000ull, jobs;
    const char *keep = NULL;
    char path[256], bin[4096];
    struct timeval a, b;
    struct rusage ru;
    int st, i;
    pid_t pid;
    double wall;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else
            rows = strtoull(argv[i], NULL, 10);
    }
    snprintf(bin, sizeof bin, "%s", BENCH_ECOEST_BIN);
    if (keep)
        snprintf(path, sizeof path, "%s", keep);
    else
        snprintf(path, sizeof path, "%s/bench_jobs.%d.txt", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                 (int)getpid());
    if (!keep || access(path, R_OK) != 0) {
        gettimeofday(&a, NULL);
        jobs = generate(path, rows);
        gettimeofday(&b, NULL);
        if (!jobs) {
            fprintf(stderr, "bench_jobs: cannot write %s\n", path);
            return 1;
        }
        printf("generated %llu rows (%llu jobs) in %.1f s: %s\n", rows, jobs,
               (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_usec - a.tv_usec) / 1e6, path);
    }
    fflush(stdout);
    gettimeofday(&a, NULL);
    pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execl(bin, "ecoest", "jobs", "--cpu-tdp-per-core", "10", "--gpu-tdp", "400", "--by",
              "user", path, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
        perror("bench_jobs");
        return 1;
    }
    gettimeofday(&b, NULL);
    wall = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_usec - a.tv_usec) / 1e6;
    printf("ecoest jobs --by user: exit %d, %.2f s wall, %.0f rows/s, peak RSS %.1f MiB\n",
           WIFEXITED(st) ? WEXITSTATUS(st) : -1, wall, (double)rows / wall,
           (double)ru.ru_maxrss / 1024.0);
    if (!keep)
        unlink(path);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
