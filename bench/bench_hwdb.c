/* bench_hwdb: how fast the hardware database loads and resolves, and how
 * long a whole `ecoest --cpu ... --hours 1` process takes.
 *
 * Usage: bench_hwdb [HWDB_DIR [ECOEST_BIN]]
 *   HWDB_DIR    folder with cpu.csv, gpu.csv, aliases.csv and hwdb.idx
 *               (default: the build tree's staged share/ecoest/hwdb/, set
 *               at build time)
 *   ECOEST_BIN  the CLI to time (default: the one built next to this)
 * Prints figures; it is not a test. Goals (issue 12): a whole estimate by
 * name at most 2x /bin/true, run alternately in the same run, and at least
 * 100,000 resolutions per second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "ecoest/hwdb.h"

#ifndef BENCH_HWDB_DIR
#define BENCH_HWDB_DIR "share/ecoest/hwdb"
#endif
#ifndef BENCH_ECOEST_BIN
#define BENCH_ECOEST_BIN "ecoest"
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of this process: rates by it do not depend on how many other
   processes share the machine (wall-clock rates do). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static double min_of(const double *v, size_t n)
{
    double m = v[0];
    size_t i;
    for (i = 1; i < n; i++)
        if (v[i] < m)
            m = v[i];
    return m;
}

/* Runs argv with stdout and stderr to /dev/null; returns the wall time in
   seconds, or -1 when it fails; *cpu: the child's user + system CPU seconds
   (a figure the machine's load does not inflate). */
static double run_once(char *const argv[], char *const envp[], double *cpu)
{
    double t0 = now_s();
    int status;
    struct rusage ru;
    pid_t pid = fork();
    if (pid < 0)
        return -1.0;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execve(argv[0], argv, envp);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1.0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    return now_s() - t0;
}

/* Runs cmd and /bin/true alternately, 101 times each after 5 to warm the
   page cache, so both see the same load on the machine, and prints the
   medians, the fastest runs and the CPU time each used. 0, or 1 when a run
   fails. */
static int compare(const char *label, char *const cmd[], char *const envp[])
{
    char *true_cmd[] = {"/bin/true", NULL};
    double t[101], t_true[101], c[101], c_true[101], el, t0;
    size_t i;
    for (i = 0; i < 5; i++) {
        run_once(cmd, envp, &c[0]);
        run_once(true_cmd, envp, &c_true[0]);
    }
    for (i = 0; i < 101; i++) {
        t[i] = run_once(cmd, envp, &c[i]);
        t_true[i] = run_once(true_cmd, envp, &c_true[i]);
        if (t[i] < 0 || t_true[i] < 0) {
            fprintf(stderr, "bench_hwdb: %s failed (is it built?)\n",
                    t[i] < 0 ? cmd[0] : "/bin/true");
            return 1;
        }
    }
    el = median(t, 101);
    t0 = median(t_true, 101);
    printf("whole process `%s`: median %.2f ms over 101 runs\n", label, el * 1e3);
    printf("  /bin/true, run alternately with it: median %.2f ms\n", t0 * 1e3);
    printf("  ratio to /bin/true: %.2f (goal at most 2)\n", el / t0);
    /* under load the wall clock mostly measures waiting for a core: the
       fastest runs and the CPU time each process used say what it costs */
    printf("  fastest of 101: %.2f ms against %.2f ms, ratio %.2f\n", min_of(t, 101) * 1e3,
           min_of(t_true, 101) * 1e3, min_of(t, 101) / min_of(t_true, 101));
    printf("  CPU time (user + system), median: %.2f ms against %.2f ms, ratio %.2f\n",
           median(c, 101) * 1e3, median(c_true, 101) * 1e3,
           median(c_true, 101) > 0 ? median(c, 101) / median(c_true, 101) : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : BENCH_HWDB_DIR;
    const char *bin = argc > 2 ? argv[2] : BENCH_ECOEST_BIN;
    static const char *const names[] = {
        "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", "AMD EPYC 7763 64-Core Processor",
        "12th Gen Intel(R) Core(TM) i7-12700H", "Gold 5218", "EPYC 7B12", "M2 Pro"};
    static const char *const gpu_names[] = {"NVIDIA A100-SXM4-80GB", "V100", "RTX 4090",
                                            "NVIDIA H100 80GB HBM3"};
    est_hwdb_options opts = EST_HWDB_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_error e;
    est_hwdb_match m;
    double t[200], t0, c0, el;
    size_t i, n_load = 200, n_res = 0, rows = 0;
    int pass;
    char data_env[4200];
    char *cmd[] = {(char *)bin, "--cpu", "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz",
                   "--hours", "1", NULL};
    char *cmd_ci[] = {(char *)bin, "--cpu", "Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz",
                      "--hours", "1", "--ci", "100", NULL};
    char *envp[] = {data_env, "XDG_CONFIG_HOME=/nonexistent-ecoest-bench", "HOME=/nonexistent",
                    NULL};

    /* the staged data folder of the build tree holds the CSVs and the index */
    opts.shipped_dir = dir;
    for (pass = 0; pass < 2; pass++) {
        opts.index_path = pass == 0 ? "" : NULL;
        for (i = 0; i < n_load; i++) {
            if (db)
                est_hwdb_free(db);
            t0 = now_s();
            if (est_hwdb_open(&db, &opts, &e)) {
                fprintf(stderr, "bench_hwdb: %s\n", e.message);
                return 1;
            }
            t[i] = now_s() - t0;
        }
        rows = est_hwdb_count(db, EST_HWDB_CPU) + est_hwdb_count(db, EST_HWDB_GPU);
        if (pass == 1 && !est_hwdb_index_used(db))
            printf("(no usable index in %s: run the build)\n", dir);
        printf("load shipped database (%zu models) %s:  median %.3f ms over %zu loads\n", rows,
               pass == 0 ? "from the CSVs" : "from the index", median(t, n_load) * 1e3, n_load);
    }

    t0 = now_s();
    c0 = cpu_s();
    do {
        for (i = 0; i < sizeof names / sizeof names[0]; i++, n_res++)
            if (est_hwdb_resolve(&m, db, EST_HWDB_CPU, names[i], &e)) {
                fprintf(stderr, "bench_hwdb: %s\n", e.message);
                return 1;
            }
        for (i = 0; i < sizeof gpu_names / sizeof gpu_names[0]; i++, n_res++)
            if (est_hwdb_resolve(&m, db, EST_HWDB_GPU, gpu_names[i], &e)) {
                fprintf(stderr, "bench_hwdb: %s\n", e.message);
                return 1;
            }
        el = now_s() - t0;
    } while (el < 0.5);
    printf("resolve (brand strings, short names, families): %.0f names per second, %.0f per "
           "CPU second (goal 100000)\n", (double)n_res / el, (double)n_res / (cpu_s() - c0));

    t0 = now_s();
    c0 = cpu_s();
    n_res = 0;
    do {
        for (i = 0; i < 10; i++, n_res++) {
            est_suggestions sg;
            if (est_hwdb_resolve(&m, db, EST_HWDB_CPU, "Xeon Gold 5219", &e) != EST_OK)
                est_hwdb_suggest(&sg, db, EST_HWDB_CPU, e.value);
        }
        el = now_s() - t0;
    } while (el < 0.5);
    printf("resolve an unknown name, then suggest:         %.0f per second, %.0f per CPU "
           "second\n", (double)n_res / el, (double)n_res / (cpu_s() - c0));
    est_hwdb_free(db);

    /* the data folder is the parent of hwdb/; ecoest and /bin/true run side
       by side, alternating, so both see the same load on the machine */
    snprintf(data_env, sizeof data_env, "ECOEST_DATA_DIR=%s/..", dir);
    if (compare("ecoest --cpu \"...\" --hours 1", cmd, envp) ||
        compare("the same with --ci 100 (no zone table)", cmd_ci, envp))
        return 1;
    return 0;
}
