/*
 * bench_samples: speed and memory of the sample-log reader, printed as
 * target vs measured (a program that prints figures, not a timed test).
 *
 *   bench_samples [--rows N] [--repeat R] [--dir DIR] [--keep] [--no-pandas]
 *
 * Generates an ecoest sample log of N rows (default 10 000 000, ~400 MB;
 * time, CPU usage, RAM, two GPU powers) in a fresh temporary folder, then
 * runs, each in its own child process (so that its peak RSS is its own):
 *   ecoest   libestimate: est_samples_read_file + integration + results
 *   libcsv   libcsv tokenising the same file, callbacks doing nothing
 *   pandas   /usr/bin/python3 bench/pandas_means.py: read_csv + the means
 * and a second log of 1 000 000 rows for the constant-memory check.
 * Goals (issue 5): ecoest >= 3x faster than pandas; <= 1.5x libcsv's time;
 * peak RSS <= 16 MiB at 1 M and at 10 M rows.
 */
#include <errno.h>
#include <fcntl.h>
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

/* Runs argv in a child; wall time and the child's peak RSS. */
static measure run_child(char *const argv[])
{
    measure m = {0, 0.0, 0.0, 0.0};
    struct rusage ru;
    int status;
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0)
        return m;
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 1);
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

/* ---- child modes ---- */

static int child_ecoest(const char *path)
{
    est_samples *s;
    est_samples_result *res = malloc(sizeof *res);
    est_error e;
    if (!res || est_samples_open(&s, NULL, &e) ||
        est_samples_read_file(s, path, NULL, &e) || est_samples_finish(s, &e) ||
        est_samples_compute(s, res, &e)) {
        fprintf(stderr, "bench_samples: %s\n", e.message);
        return 1;
    }
    printf("cpu=%.6f ram=%.6f gpu0=%.6f gpu1=%.6f\n", res->cpu_usage_frac.mean,
           res->ram_used_gb.mean, res->gpus[0].mean_power_w, res->gpus[1].mean_power_w);
    est_samples_free(s);
    free(res);
    return 0;
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

static measure best_of(int repeat, const char *mode, const char *file)
{
    measure best = {0, 0.0, 0.0, 0.0};
    int i;
    for (i = 0; i < repeat; i++) {
        char *argv[4];
        measure m;
        argv[0] = (char *)self_path;
        argv[1] = (char *)mode;
        argv[2] = (char *)file;
        argv[3] = NULL;
        m = run_child(argv);
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

static void row(const char *goal, const char *target, const char *measured, int pass)
{
    printf("  %-34s %-12s %-44s %s\n", goal, target, measured, pass < 0 ? "-" : pass ? "ok" : "MISSED");
}

int main(int argc, char **argv)
{
    unsigned long rows = 10000000ul, small_rows = 1000000ul;
    int repeat = 1, keep = 0, pandas = 1, i;
    const char *dir_base = getenv("TMPDIR");
    char dir[512], big[600], small[600], buf[160];
    measure eco, csv, pd, eco_small;
    struct stat st;
    double t0;

    self_path = "/proc/self/exe";
    if (argc == 3 && strcmp(argv[1], "--child-ecoest") == 0)
        return child_ecoest(argv[2]);
    if (argc == 3 && strcmp(argv[1], "--child-libcsv") == 0)
        return child_libcsv(argv[2]);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
            rows = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir_base = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--no-pandas") == 0)
            pandas = 0;
        else {
            fprintf(stderr, "usage: bench_samples [--rows N] [--repeat R] [--dir DIR] [--keep] "
                            "[--no-pandas]\n");
            return 64;
        }
    }
    if (rows < 2 || repeat < 1)
        return 64;
    {
        /* the child modes exec this program again: its own path */
        static char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            exe[n] = '\0';
            self_path = exe;
        }
    }
    snprintf(dir, sizeof dir, "%s/bench_samples.XXXXXX", dir_base && *dir_base ? dir_base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 74;
    }
    snprintf(big, sizeof big, "%s/samples-%lu.csv", dir, rows);
    snprintf(small, sizeof small, "%s/samples-%lu.csv", dir, small_rows);
    t0 = now_s();
    if (gen_samples_write(big, rows) ||
        (rows != small_rows && gen_samples_write(small, small_rows))) {
        perror("generating the sample logs");
        return 74;
    }
    stat(big, &st);
    printf("bench_samples: %lu rows, %.1f MB in %s (generated in %.1f s), best of %d\n", rows,
           (double)st.st_size / 1e6, dir, now_s() - t0, repeat);

    eco = best_of(repeat, "--child-ecoest", big);
    csv = best_of(repeat, "--child-libcsv", big);
    eco_small = rows != small_rows ? best_of(repeat, "--child-ecoest", small) : eco;
    pd.ok = 0;
    if (pandas) {
        char *pargv[] = {"/usr/bin/python3", PANDAS_SCRIPT, big, NULL};
        pd = run_child(pargv);
        if (!pd.ok)
            fprintf(stderr, "bench_samples: pandas run failed (is python3-pandas installed?)\n");
    }
    if (!eco.ok || !csv.ok || !eco_small.ok) {
        fprintf(stderr, "bench_samples: a child failed\n");
        return 70;
    }
    printf("\n  %-34s %-12s %-12s %s\n", "", "wall", "CPU", "peak RSS");
    printf("  %-34s %8.2f s   %8.2f s   %8.1f MiB\n", "ecoest (libestimate, 2 threads)",
           eco.wall_s, eco.cpu_s, eco.maxrss_mib);
    printf("  %-34s %8.2f s   %8.2f s   %8.1f MiB\n", "libcsv tokeniser alone", csv.wall_s,
           csv.cpu_s, csv.maxrss_mib);
    if (pd.ok)
        printf("  %-34s %8.2f s   %8.2f s   %8.1f MiB\n", "pandas read_csv + means", pd.wall_s,
               pd.cpu_s, pd.maxrss_mib);
    printf("  (a shared or SMT 2-core machine makes the wall times vary with its load)\n");
    printf("  %-34s %8.0f rows/s, %.0f MB/s\n\n", "ecoest throughput",
           (double)rows / eco.wall_s, (double)st.st_size / 1e6 / eco.wall_s);

    printf("  %-34s %-12s %-44s %s\n", "goal", "target", "measured", "");
    if (pd.ok) {
        snprintf(buf, sizeof buf, "%.2fx (%.2f s vs %.2f s)", pd.wall_s / eco.wall_s,
                 eco.wall_s, pd.wall_s);
        row("speed vs pandas", ">= 3x", buf, pd.wall_s / eco.wall_s >= 3.0);
    } else {
        row("speed vs pandas", ">= 3x", "not measured", -1);
    }
    snprintf(buf, sizeof buf, "%.2fx (%.2f s vs %.2f s)", eco.wall_s / csv.wall_s, eco.wall_s,
             csv.wall_s);
    row("time over libcsv tokeniser", "<= 1.5x", buf, eco.wall_s / csv.wall_s <= 1.5);
    snprintf(buf, sizeof buf, "%.1f MiB", eco_small.maxrss_mib);
    row("peak RSS at 1M rows", "<= 16 MiB", buf, eco_small.maxrss_mib <= 16.0);
    snprintf(buf, sizeof buf, "%.1f MiB", eco.maxrss_mib);
    if (rows != small_rows) {
        char goal[64];
        snprintf(goal, sizeof goal, "peak RSS at %luM rows", rows / 1000000ul);
        row(goal, "<= 16 MiB", buf, eco.maxrss_mib <= 16.0);
    }
    if (!keep) {
        unlink(big);
        unlink(small);
        rmdir(dir);
    }
    return 0;
}
