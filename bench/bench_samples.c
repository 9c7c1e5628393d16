/*
 * bench_samples: speed and memory of the sample-log reader, printed as
 * goal, target, measured and "ok"/"MISS" (a program that prints figures,
 * not a timed test). Issue 16's goals.
 *
 *   bench_samples [--rows N] [--nv-rows N] [--repeat R] [--files K]
 *                 [--baseline OLD_BENCH] [--huge] [--no-pandas] [--dir DIR]
 *                 [--keep]
 *
 * Generates, in a fresh temporary folder, an ecoest sample log of N rows
 * (default 10 000 000, ~390 MB: time, CPU usage, RAM, two GPU powers) and
 * an nvidia-smi CSV log of --nv-rows rows (default N / 4, four GPUs, units
 * in the values, zone-less times), then runs each measurement in its own
 * child process (its peak RSS is its own), best wall time of R runs:
 *   ecoest    est_samples_read_file + integration + results, 2 and 1 threads
 *   baseline  --baseline OLD_BENCH: another build's bench_samples (e.g. of
 *             the commit before a change) reading the same ecoest log
 *   libcsv    libcsv tokenising the same file, callbacks doing nothing
 *   pandas    /usr/bin/python3 bench/pandas_means.py: read_csv + the same
 *             means (python3-pandas; skipped with a message when missing)
 *   cli       the whole `ecoest --samples LOG --columns ... --format json`
 *   files     K files read at once, one thread each, in one process
 * then a 1 000 000-row log for the memory goal, and with --huge a
 * 100 000 000-row log streamed through a pipe (nothing written to disk).
 * The figures are from the page cache (each file is read once first).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>

#include "ecoest/samples.h"
#include "gen_samples.h"

#ifndef PANDAS_SCRIPT
#define PANDAS_SCRIPT "bench/pandas_means.py"
#endif
#ifndef BENCH_ECOEST_BIN
#define BENCH_ECOEST_BIN "ecoest"
#endif

#define MIB (1024.0 * 1024.0)

typedef struct measure {
    int ok;
    double wall_s;
    double cpu_s; /* user + system */
    double maxrss_mib;
} measure;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs argv in a child (stdin from in_fd when >= 0); wall time and the
   child's peak RSS. */
static measure run_child_in(char *const argv[], int in_fd)
{
    measure m = {0, 0.0, 0.0, 0.0};
    struct rusage ru;
    int status;
    double t0 = now_s();
    pid_t pid;
    fflush(NULL); /* nothing buffered is written twice */
    pid = fork();
    if (pid < 0)
        return m;
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        if (in_fd >= 0)
            dup2(in_fd, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0)
        return m;
    m.wall_s = now_s() - t0;
    m.maxrss_mib = (double)ru.ru_maxrss / 1024.0;
    m.cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
              (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return m;
}

static measure run_child(char *const argv[]) { return run_child_in(argv, -1); }

/* ---- child modes ---- */

static int read_one(const char *path, int fd, int nvsmi, int threads)
{
    est_samples_read_options ro = EST_SAMPLES_READ_OPTIONS_INIT;
    est_samples *s;
    est_samples_result *res = malloc(sizeof *res);
    est_error e;
    int rc;
    ro.threads = threads;
    if (nvsmi) {
        ro.has_tz = 1; /* the zone-less times as UTC */
        ro.tz_offset_s = 0;
    }
    if (!res || est_samples_open(&s, NULL, &e)) {
        free(res);
        return 1;
    }
    rc = fd >= 0 ? est_samples_read_fd(s, fd, "<stdin>", &ro, &e)
                 : est_samples_read_file(s, path, &ro, &e);
    if (rc || est_samples_finish(s, &e) || est_samples_compute(res, s, &e)) {
        fprintf(stderr, "bench_samples: %s\n", e.message);
        est_samples_free(s);
        free(res);
        return 1;
    }
    printf("gpus=%zu gpu0=%.6f gpu1=%.6f cpu=%.6f\n", res->n_gpus,
           res->n_gpus > 0 ? est_samples_result_gpu(res, 0)->mean_power_w : 0.0,
           res->n_gpus > 1 ? est_samples_result_gpu(res, 1)->mean_power_w : 0.0,
           res->cpu_usage_frac.mean);
    est_samples_result_dispose(res);
    est_samples_free(s);
    free(res);
    return 0;
}

typedef struct multi_arg {
    const char *path;
    int rc;
} multi_arg;

static void *multi_main(void *p)
{
    multi_arg *a = p;
    a->rc = read_one(a->path, -1, 0, 1);
    return NULL;
}

/* K files at once, a thread each (several hosts' logs). */
static int child_multi(int k, char **paths)
{
    pthread_t th[64];
    multi_arg a[64];
    int i, rc = 0;
    if (k < 1 || k > 64)
        return 1;
    for (i = 0; i < k; i++) {
        a[i].path = paths[i];
        a[i].rc = 1;
        if (pthread_create(&th[i], NULL, multi_main, &a[i]) != 0)
            return 1;
    }
    for (i = 0; i < k; i++) {
        pthread_join(th[i], NULL);
        rc |= a[i].rc;
    }
    return rc;
}

static unsigned long csv_fields, csv_rows;
static void cb_field(void *p, size_t n, void *u) { (void)p; (void)n; (void)u; csv_fields++; }
static void cb_row(int c, void *u) { (void)c; (void)u; csv_rows++; }

static int child_libcsv(const char *path)
{
    struct csv_parser p;
    static char buf[1 << 20];
    ssize_t got;
    int fd = open(path, O_RDONLY);
    if (fd < 0 || csv_init(&p, 0))
        return 1;
    while ((got = read(fd, buf, sizeof buf)) > 0)
        if (csv_parse(&p, buf, (size_t)got, cb_field, cb_row, NULL) != (size_t)got)
            return 1;
    csv_fini(&p, cb_field, cb_row, NULL);
    csv_free(&p);
    close(fd);
    printf("rows=%lu fields=%lu\n", csv_rows, csv_fields);
    return 0;
}

/* ---- main ---- */

static const char *self_path;
static int repeat = 1;

static measure best_of(char *const argv[])
{
    measure best = {0, 0.0, 0.0, 0.0};
    int i;
    for (i = 0; i < repeat; i++) {
        measure m = run_child(argv);
        if (!m.ok)
            return m;
        if (!best.ok || m.wall_s < best.wall_s) {
            best.wall_s = m.wall_s;
            best.cpu_s = m.cpu_s;
        }
        if (m.maxrss_mib > best.maxrss_mib)
            best.maxrss_mib = m.maxrss_mib;
        best.ok = 1;
    }
    return best;
}

static measure self_child(const char *mode, const char *file, const char *arg)
{
    char *argv[] = {(char *)self_path, (char *)mode, (char *)file, (char *)arg, NULL};
    return best_of(argv);
}

static void line(const char *what, measure m, double bytes)
{
    if (!m.ok) {
        printf("  %-40s failed\n", what);
        return;
    }
    printf("  %-40s %7.2f s %7.2f s %7.1f MiB %7.0f MB/s %7.0f MB/s\n", what, m.wall_s, m.cpu_s,
           m.maxrss_mib, bytes / 1e6 / m.wall_s, m.cpu_s > 0.0 ? bytes / 1e6 / m.cpu_s : 0.0);
}

static int misses;

static void goal(const char *g, const char *target, const char *measured, int pass)
{
    printf("  %-44s %-10s %-40s %s\n", g, target, measured,
           pass < 0 ? "-" : pass ? "ok" : "MISS");
    if (pass == 0)
        misses++;
}

static void goal_ratio(const char *g, const char *target, double want, measure fast,
                       measure slow, int higher)
{
    char buf[120];
    double x;
    if (!fast.ok || !slow.ok) {
        goal(g, target, "not measured", -1);
        return;
    }
    x = higher ? slow.wall_s / fast.wall_s : fast.wall_s / slow.wall_s;
    snprintf(buf, sizeof buf, "%.2fx (%.2f s vs %.2f s)", x, fast.wall_s, slow.wall_s);
    goal(g, target, buf, higher ? x >= want : x <= want);
}

static void goal_speed(const char *g, measure m, double bytes)
{
    char buf[120];
    if (!m.ok) {
        goal(g, ">= 1.5 GB/s", "not measured", -1);
        return;
    }
    snprintf(buf, sizeof buf, "%.2f GB/s (%.0f MB in %.3f s)", bytes / 1e9 / m.wall_s,
             bytes / 1e6, m.wall_s);
    goal(g, ">= 1.5 GB/s", buf, bytes / 1e9 / m.wall_s >= 1.5);
}

static void goal_rss(const char *g, measure m)
{
    char buf[64];
    if (!m.ok) {
        goal(g, "< 16 MiB", "not measured", -1);
        return;
    }
    snprintf(buf, sizeof buf, "%.1f MiB", m.maxrss_mib);
    goal(g, "< 16 MiB", buf, m.maxrss_mib < 16.0);
}

static void warm(const char *path)
{
    char buf[1 << 16];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    while (read(fd, buf, sizeof buf) > 0) {
    }
    close(fd);
}

static double file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_size : 0.0;
}

/* 100 M rows generated into a pipe and read from it by a child. */
static measure huge_run(unsigned long rows)
{
    measure m = {0, 0.0, 0.0, 0.0};
    int pfd[2], status;
    pid_t gen;
    char *argv[] = {(char *)self_path, "--child-stdin", NULL};
    if (pipe(pfd) != 0)
        return m;
    fflush(NULL); /* the generator writes the pipe: nothing buffered here */
    gen = fork();
    if (gen < 0)
        return m;
    if (gen == 0) {
        close(pfd[0]);
        dup2(pfd[1], 1);
        close(pfd[1]);
        _exit(gen_samples_write("-", rows) ? 74 : 0);
    }
    close(pfd[1]);
    m = run_child_in(argv, pfd[0]);
    close(pfd[0]);
    waitpid(gen, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        m.ok = 0;
    return m;
}

int main(int argc, char **argv)
{
    unsigned long rows = 10000000ul, nv_rows = 0, small_rows = 1000000ul;
    int keep = 0, pandas = 1, huge = 0, nfiles = 4, i;
    const char *dir_base = getenv("TMPDIR"), *baseline = NULL;
    char dir[512], eco[600], nv[600], small[600], cols[400], buf[200];
    char *multi[70];
    static const measure none = {0, 0.0, 0.0, 0.0};
    measure e2, e1, base = none, csv, pd = none, n2, n1, ncsv, npd = none, cli, mf, esmall,
            eh = none;
    double eco_b, nv_b, t0;
    FILE *la;

    self_path = "/proc/self/exe";
    if (argc >= 3 && strcmp(argv[1], "--child-ecoest") == 0)
        return read_one(argv[2], -1, 0, argc > 3 ? atoi(argv[3]) : 0);
    if (argc >= 3 && strcmp(argv[1], "--child-nvsmi") == 0)
        return read_one(argv[2], -1, 1, argc > 3 ? atoi(argv[3]) : 0);
    if (argc == 2 && strcmp(argv[1], "--child-stdin") == 0)
        return read_one(NULL, 0, 0, 0);
    if (argc >= 3 && strcmp(argv[1], "--child-multi") == 0)
        return child_multi(argc - 2, argv + 2);
    if (argc == 3 && strcmp(argv[1], "--child-libcsv") == 0)
        return child_libcsv(argv[2]);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
            rows = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--nv-rows") == 0 && i + 1 < argc)
            nv_rows = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--files") == 0 && i + 1 < argc)
            nfiles = atoi(argv[++i]);
        else if (strcmp(argv[i], "--baseline") == 0 && i + 1 < argc)
            baseline = argv[++i];
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir_base = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--no-pandas") == 0)
            pandas = 0;
        else if (strcmp(argv[i], "--huge") == 0)
            huge = 1;
        else {
            fprintf(stderr, "usage: bench_samples [--rows N] [--nv-rows N] [--repeat R] "
                            "[--files K] [--baseline OLD_BENCH] [--huge] [--no-pandas] "
                            "[--dir DIR] [--keep]\n");
            return 64;
        }
    }
    if (rows < 2 || repeat < 1 || nfiles < 1 || nfiles > 64)
        return 64;
    if (!nv_rows)
        nv_rows = rows / 4;
    {
        /* the child modes exec this program again: its own path */
        static char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            exe[n] = '\0';
            self_path = exe;
        }
    }
    if (pandas && access("/usr/bin/python3", X_OK) == 0) {
        char *pargv[] = {"/usr/bin/python3", "-c", "import pandas", NULL};
        measure m = run_child(pargv);
        if (!m.ok) {
            printf("bench_samples: python3-pandas is not installed: no pandas column "
                   "(apt-get install python3-pandas)\n");
            pandas = 0;
        }
    } else if (pandas) {
        printf("bench_samples: no /usr/bin/python3: no pandas column\n");
        pandas = 0;
    }
    snprintf(dir, sizeof dir, "%s/bench_samples.XXXXXX", dir_base && *dir_base ? dir_base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 74;
    }
    snprintf(eco, sizeof eco, "%s/ecoest-%lu.csv", dir, rows);
    snprintf(nv, sizeof nv, "%s/nvidia-smi-%lu.csv", dir, nv_rows);
    snprintf(small, sizeof small, "%s/ecoest-%lu.csv", dir, small_rows);
    t0 = now_s();
    if (gen_samples_write(eco, rows) || gen_nvsmi_write(nv, nv_rows, 4) ||
        (rows != small_rows && gen_samples_write(small, small_rows))) {
        perror("generating the sample logs");
        return 74;
    }
    eco_b = file_size(eco);
    nv_b = file_size(nv);
    warm(eco);
    warm(nv);
    warm(small);
    printf("bench_samples: ecoest log %lu rows %.1f MB, nvidia-smi log %lu rows %.1f MB, in %s "
           "(generated in %.1f s), best of %d\n", rows, eco_b / 1e6, nv_rows, nv_b / 1e6, dir,
           now_s() - t0, repeat);
    la = fopen("/proc/loadavg", "r");
    if (la && fgets(buf, sizeof buf, la))
        printf("load average before the runs: %s", buf);
    if (la)
        fclose(la);
    printf("(a shared machine: wall times vary with its load; CPU is user + system of all\n"
           " threads, and input/CPU the work's own speed: 2 threads on 2 idle cores reach\n"
           " about twice it, when the work splits evenly)\n");

    e2 = self_child("--child-ecoest", eco, "2");
    e1 = self_child("--child-ecoest", eco, "1");
    base.ok = 0;
    if (baseline) {
        char *bargv[] = {(char *)baseline, "--child-ecoest", eco, NULL};
        base = best_of(bargv);
    }
    csv = self_child("--child-libcsv", eco, NULL);
    n2 = self_child("--child-nvsmi", nv, "2");
    n1 = self_child("--child-nvsmi", nv, "1");
    ncsv = self_child("--child-libcsv", nv, NULL);
    snprintf(cols, sizeof cols, "time=time_unix_s,cpu_frac=cpu_usage_frac,ram_gb=ram_used_gb,"
                                "gpu0_w=gpu0_power_w,gpu1_w=gpu1_power_w");
    {
        char *cargv[] = {BENCH_ECOEST_BIN, "--samples", eco, "--columns", cols,
                         "--format", "json", NULL};
        cli = best_of(cargv);
    }
    for (i = 0; i < nfiles; i++)
        multi[i] = eco; /* the same log K times: K hosts' logs of one size */
    {
        char *margv[70];
        margv[0] = (char *)self_path;
        margv[1] = "--child-multi";
        for (i = 0; i < nfiles; i++)
            margv[2 + i] = multi[i];
        margv[2 + nfiles] = NULL;
        mf = best_of(margv);
    }
    esmall = rows != small_rows ? self_child("--child-ecoest", small, "2") : e2;
    pd.ok = npd.ok = 0;
    if (pandas) {
        char *pargv[] = {"/usr/bin/python3", PANDAS_SCRIPT, eco, NULL};
        char *nargv[] = {"/usr/bin/python3", PANDAS_SCRIPT, nv, "--nvidia-smi", NULL};
        pd = run_child(pargv);
        npd = run_child(nargv);
    }
    eh.ok = 0;
    if (huge)
        eh = huge_run(100000000ul);

    printf("\n  %-40s %9s %9s %11s %12s %12s\n", "", "wall", "CPU", "peak RSS", "input/wall",
           "input/CPU");
    line("ecoest log, 2 threads", e2, eco_b);
    line("ecoest log, 1 thread", e1, eco_b);
    if (baseline)
        line("ecoest log, --baseline build", base, eco_b);
    line("ecoest log, libcsv tokeniser alone", csv, eco_b);
    if (pandas)
        line("ecoest log, pandas read_csv + means", pd, eco_b);
    line("ecoest log, ecoest CLI with --columns", cli, eco_b);
    snprintf(buf, sizeof buf, "%d ecoest logs at once, a thread each", nfiles);
    line(buf, mf, eco_b * nfiles);
    line("nvidia-smi log, 2 threads", n2, nv_b);
    line("nvidia-smi log, 1 thread", n1, nv_b);
    line("nvidia-smi log, libcsv tokeniser alone", ncsv, nv_b);
    if (pandas)
        line("nvidia-smi log, pandas", npd, nv_b);
    line("ecoest log, 1 M rows, 2 threads", esmall, file_size(small));
    if (huge)
        line("ecoest log, 100 M rows through a pipe", eh, 100000000.0 * eco_b / (double)rows);

    printf("\n  %-44s %-10s %-40s\n", "goal", "target", "measured");
    goal_speed("ecoest log, 2 threads", e2, eco_b);
    if (baseline)
        goal_ratio("ecoest log vs the --baseline build", ">= 3x", 3.0, e2, base, 1);
    else
        goal_ratio("ecoest log, time over libcsv tokenising", "<= 0.5x", 0.5, e2, csv, 0);
    if (pandas)
        goal_ratio("ecoest log vs pandas", ">= 20x", 20.0, e2, pd, 1);
    else
        goal("ecoest log vs pandas", ">= 20x", "not measured (no pandas)", -1);
    goal_speed("nvidia-smi log, 2 threads", n2, nv_b);
    goal_ratio("nvidia-smi log, time over libcsv tokenising", "<= 0.5x", 0.5, n2, ncsv, 0);
    if (pandas)
        goal_ratio("nvidia-smi log vs pandas", ">= 20x", 20.0, n2, npd, 1);
    else
        goal("nvidia-smi log vs pandas", ">= 20x", "not measured (no pandas)", -1);
    if (pandas)
        goal_ratio("CLI with --columns vs pandas (whole process)", ">= 10x", 10.0, cli, pd, 1);
    else
        goal("CLI with --columns vs pandas", ">= 10x", "not measured (no pandas)", -1);
    goal_rss("peak RSS at 1 M rows", esmall);
    snprintf(buf, sizeof buf, "peak RSS at %lu M rows", rows / 1000000ul);
    if (rows != small_rows)
        goal_rss(buf, e2);
    if (huge)
        goal_rss("peak RSS at 100 M rows (a pipe)", eh);
    else
        goal("peak RSS at 100 M rows", "< 16 MiB", "not measured (--huge)", -1);
    if (e1.ok && e2.ok) {
        snprintf(buf, sizeof buf, "%.2f / %.2f GB/s (x%.2f)", eco_b / 1e9 / e1.wall_s,
                 eco_b / 1e9 / e2.wall_s, e1.wall_s / e2.wall_s);
        goal("scaling: ecoest log, 1 / 2 threads", "", buf, -1);
    }
    if (n1.ok && n2.ok) {
        snprintf(buf, sizeof buf, "%.2f / %.2f GB/s (x%.2f)", nv_b / 1e9 / n1.wall_s,
                 nv_b / 1e9 / n2.wall_s, n1.wall_s / n2.wall_s);
        goal("scaling: nvidia-smi log, 1 / 2 threads", "", buf, -1);
    }
    if (mf.ok) {
        snprintf(buf, sizeof buf, "%.2f GB/s in all", eco_b * nfiles / 1e9 / mf.wall_s);
        snprintf(cols, sizeof cols, "scaling: %d files at once", nfiles);
        goal(cols, "", buf, -1);
    }
    if (!keep) {
        unlink(eco);
        unlink(nv);
        unlink(small);
        rmdir(dir);
    }
    printf("\n%d goal%s missed\n", misses, misses == 1 ? "" : "s");
    return 0;
}
