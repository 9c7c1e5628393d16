/* bench_jobs: writes a realistic sacct --parsable2 file (jobs with their
 * .batch/.extern/.N steps, arrays, GPUs, failures, 10,000 users), then times
 * `ecoest jobs` on it and prints wall time, CPU time, rows/s and peak RSS.
 *
 *   bench_jobs [ROWS] [--keep FILE] [--ga4hpc DIR] [--ga4hpc-rows N]
 *
 * (default 10000000 rows). GreenAlgorithms4HPC side by side: with a checkout
 * of GreenAlgorithms/GreenAlgorithms4HPC in --ga4hpc DIR or $GA4HPC_DIR and
 * Debian's python3 with pandas and PyYAML, both programs run on the same
 * generated file of N rows (default 100000: GreenAlgorithms4HPC takes about
 * 0.5 ms a row) and their time and peak RSS are printed with the ratio;
 * otherwise it prints "GA4HPC: not found (set GA4HPC_DIR)". Its code is
 * run where it lies, never copied into this tree. The file carries
 * GreenAlgorithms4HPC's column set (JobName and WorkDir included), which
 * ecoest reads too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

/* users: how many users the jobs are spread over (GreenAlgorithms4HPC reads
   one user's jobs only). */
static unsigned long long generate(const char *path, unsigned long long rows, unsigned users)
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
          "NodeList|JobName|WorkDir\n", f);
    while (n < rows) {
        unsigned long long r = next();
        unsigned user = (unsigned)(r % users), ncpu = 1u << (r >> 20) % 6;
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
        fprintf(f, "%s|%u|user%u|acct%u|%s|%s|%s|%s|%s|%s|0:0|1|%u|%s|%s|%uG||%s||%s|"
                   "node%03u|job%u|/home/user%u\n",
                id, 10000 + user, user, user % 300, part, s1, s2, s3, e1, st, ncpu, c1, ct, mem,
                tres, gpu && (r & 1) ? "" : "", (unsigned)(r >> 12) % 500,
                (unsigned)(r >> 24) % 1000, user);
        n++;
        for (k = 0; k < steps && n < rows; k++, n++) {
            const char *sn = k == 0 ? "batch" : k == 1 ? "extern" : "0";
            fprintf(f, "%s.%s|||acct%u||%s|%s|%s|%s|%s|0:0|1|%u|%s|%s||%uK|cpu=%u,mem=%uG,"
                       "node=1|cpu=%s,mem=%uK%s||node%03u|%s|\n",
                    id, sn, user % 300, s2, s2, s3, e1, k == 0 ? st : "COMPLETED", ncpu,
                    k == 0 ? c1 : "00:00:00", ct, (unsigned)(r >> 3) % 4000000, ncpu, mem, c1,
                    (unsigned)(r >> 3) % 4000000, gpu ? ",gres/gpuutil=63" : "",
                    (unsigned)(r >> 12) % 500, sn);
        }
        job++;
    }
    fclose(f);
    return job - 1000000;
}

typedef struct run_result {
    int status;          /* exit status, -1 when it did not run or died */
    double wall_s, cpu_s, rss_mib;
} run_result;

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

/* Runs argv (in dir when not NULL), stdout to /dev/null (stderr too when
   quiet), and measures it. */
static run_result measure(char *const *argv, const char *dir, int quiet)
{
    run_result res = {-1, 0.0, 0.0, 0.0};
    struct timeval a, b;
    struct rusage ru;
    int st;
    pid_t pid;
    fflush(stdout);
    gettimeofday(&a, NULL);
    pid = fork();
    if (pid == 0) {
        if ((dir && chdir(dir) != 0) || !freopen("/dev/null", "w", stdout) ||
            (quiet && !freopen("/dev/null", "w", stderr)))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
        return res;
    gettimeofday(&b, NULL);
    res.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    res.wall_s = seconds(b) - seconds(a);
    res.cpu_s = seconds(ru.ru_utime) + seconds(ru.ru_stime);
    res.rss_mib = (double)ru.ru_maxrss / 1024.0;
    return res;
}

static run_result run_ecoest(const char *bin, const char *path)
{
    char *argv[] = {(char *)bin, "jobs", "--cpu-tdp-per-core", "10", "--gpu-tdp", "400",
                    "--by", "user", (char *)path, NULL};
    return measure(argv, NULL, 0);
}

static void print_result(const char *what, run_result r, unsigned long long rows)
{
    printf("%s: exit %d, %.2f s wall, %.2f CPU-s, %.0f rows/s, peak RSS %.1f MiB\n", what,
           r.status, r.wall_s, r.cpu_s, r.wall_s > 0.0 ? (double)rows / r.wall_s : 0.0,
           r.rss_mib);
}

/* GreenAlgorithms4HPC on the first rows of the same generated data: its
   cluster_info.yaml names the generator's partitions with ecoest's
   figures (10 W per core, 400 W per GPU, PUE 1.67). */
static int run_ga4hpc(const char *bin, const char *ga, unsigned long long rows)
{
    char dir[256], path[512], info[512], cmd[1400], fixed[1100];
    char *argv[16];
    run_result e, g;
    FILE *f;
    int n = 0;
    struct stat sb;
    snprintf(fixed, sizeof fixed, "%s/data/fixed_parameters.yaml", ga);
    snprintf(path, sizeof path, "%s/__init__.py", ga);
    if (stat(path, &sb) != 0 || stat(fixed, &sb) != 0) {
        printf("GA4HPC: not found in %s (no __init__.py or data/fixed_parameters.yaml)\n", ga);
        return 0;
    }
    if (system("/usr/bin/python3 -c 'import pandas, yaml' 2>/dev/null") != 0) {
        printf("GA4HPC: /usr/bin/python3 lacks pandas or PyYAML "
               "(apt install python3-pandas python3-yaml)\n");
        return 0;
    }
    snprintf(dir, sizeof dir, "%s/bench_ga4hpc.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/sacct.txt", dir);
    snprintf(info, sizeof info, "%s/cluster_info.yaml", dir);
    f = fopen(info, "w");
    if (!f)
        return 1;
    fputs("institution: bench\ncluster_name: bench\ngranularity_memory_request: 1\n"
          "partitions:\n  cpu:\n    type: CPU\n    model: x\n    TDP: 10\n"
          "  bigmem:\n    type: CPU\n    model: x\n    TDP: 10\n"
          "  gpu:\n    type: GPU\n    model: x\n    TDP: 400\n    model_CPU: x\n    TDP_CPU: 10\n"
          "PUE: 1.67\nCI: 475\nenergy_cost:\n  cost: 0.34\n  currency: \"EUR\"\n"
          "texts_intro:\n  CPU: x\n  GPU: x\ndefault_unit_RSS: 'K'\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/'", fixed, dir);
    if (system(cmd) != 0 || generate(path, rows, 1) == 0)
        return 1;
    printf("GA4HPC side by side on %llu rows of one user (it reads one user's jobs):\n", rows);
    e = run_ecoest(bin, path);
    print_result("ecoest jobs (same file)", e, rows);
    /* its backend (the whole computation; the frontend only prints, and
       needs plotly), called as its own __init__.py calls it */
    argv[n++] = "/usr/bin/python3";
    argv[n++] = "-c";
    argv[n++] = "import os, sys, types\n"
                "sys.path.insert(0, os.getcwd())\n"
                "from backend import main_backend\n"
                "a = types.SimpleNamespace(startDay='2000-01-01', endDay='2099-12-31',\n"
                "    use_mock_agg_data=False, useCustomLogs=sys.argv[1], customSuccessStates='',\n"
                "    filterWD=None, filterJobIDs='all', filterAccount=None, reportBug=False,\n"
                "    reportBugHere=False, path_infrastucture_info=sys.argv[2])\n"
                "s = main_backend(a)\n"
                "print(s.get('energy_kWh') if isinstance(s, dict) else s)\n";
    argv[n++] = path;
    argv[n++] = dir;
    argv[n] = NULL;
    g = measure(argv, ga, 1);
    print_result("GA4HPC backend (same file)", g, rows);
    if (g.status != 0)
        printf("GA4HPC: failed (exit %d) on %s (cluster_info.yaml in %s)\n", g.status, path,
               dir);
    else if (e.wall_s > 0.0 && e.rss_mib > 0.0)
        printf("GA4HPC / ecoest: %.0fx the time (%.0fx the CPU time), %.0fx the peak RSS\n",
               g.wall_s / e.wall_s, e.cpu_s > 0.0 ? g.cpu_s / e.cpu_s : 0.0,
               g.rss_mib / e.rss_mib);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (g.status == 0 && system(cmd) != 0)
        return 1;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long rows = 10000000ull, ga_rows = 100000ull, jobs;
    const char *keep = NULL, *ga = getenv("GA4HPC_DIR");
    char path[256], bin[4096];
    struct timeval a, b;
    run_result r;
    int i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else if (strcmp(argv[i], "--ga4hpc") == 0 && i + 1 < argc)
            ga = argv[++i];
        else if (strcmp(argv[i], "--ga4hpc-rows") == 0 && i + 1 < argc)
            ga_rows = strtoull(argv[++i], NULL, 10);
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
        jobs = generate(path, rows, 10000);
        gettimeofday(&b, NULL);
        if (!jobs) {
            fprintf(stderr, "bench_jobs: cannot write %s\n", path);
            return 1;
        }
        printf("generated %llu rows (%llu jobs) in %.1f s: %s\n", rows, jobs,
               seconds(b) - seconds(a), path);
    }
    fflush(stdout);
    r = run_ecoest(bin, path);
    print_result("ecoest jobs --by user", r, rows);
    if (!keep)
        unlink(path);
    fflush(stdout);
    if (!ga || !*ga)
        printf("GA4HPC: not found (set GA4HPC_DIR)\n");
    else if (run_ga4hpc(bin, ga, ga_rows < rows ? ga_rows : rows) != 0)
        fprintf(stderr, "bench_jobs: cannot set up the GA4HPC run\n");
    return r.status == 0 ? 0 : 1;
}
