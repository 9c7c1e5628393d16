/* bench_run: the monitor's own CPU time as a share of the run (issue 10:
 * under 1 % of one core at the default interval, on a tree of 100
 * processes). Runs `ecoest run` around a tree of N sleeping processes (this
 * program, re-executed as the tree) for S seconds, once with the default
 * mechanism and once with the /proc walk (ECOEST_TEST_NO_CGROUP=1), and
 * prints run.monitor_cpu_s / run.duration_s from the JSON report. What is
 * counted: everything ecoest does per sample (the /proc scan, PSS reads,
 * the row, allocation), from its getrusage(RUSAGE_SELF).
 *
 *   bench_run [PROCS [SECONDS [INTERVAL]]]     defaults 100 10 1 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

static int tree(int n, unsigned secs)
{
    int i;
    for (i = 0; i < n - 1; i++)
        if (fork() == 0) {
            sleep(secs);
            _exit(0);
        }
    sleep(secs);
    while (wait(NULL) > 0)
        ;
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    char *b;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    fclose(f);
    return b;
}

static int one(const char *self, const char *procs, const char *secs, const char *interval,
               int no_cgroup)
{
    char dir[] = "/tmp/bench_run.XXXXXX", log[64], out[64], cmd[4096];
    char *text;
    cJSON *j, *run;
    int rc;
    if (!mkdtemp(dir))
        return 1;
    snprintf(log, sizeof log, "%s/log.csv", dir);
    snprintf(out, sizeof out, "%s/r.json", dir);
    snprintf(cmd, sizeof cmd,
             "%s%s run --interval %s --idle-seconds 0 --cpu-tdp-per-core 10 --log %s "
             "--output %s -- %s --tree %s %s 2>/dev/null",
             no_cgroup ? "ECOEST_TEST_NO_CGROUP=1 " : "", BENCH_ECOEST_BIN, interval, log, out,
             self, procs, secs);
    rc = system(cmd);
    text = slurp(out);
    j = text ? cJSON_Parse(text) : NULL;
    run = cJSON_GetObjectItemCaseSensitive(j, "run");
    if (rc != 0 || !run) {
        fprintf(stderr, "bench_run: ecoest run failed (%d)\n", rc);
        return 1;
    }
    {
        double mon = cJSON_GetObjectItemCaseSensitive(run, "monitor_cpu_s")->valuedouble;
        double dur = cJSON_GetObjectItemCaseSensitive(run, "duration_s")->valuedouble;
        double samples = cJSON_GetObjectItemCaseSensitive(run, "samples")->valuedouble;
        const char *how = cJSON_GetObjectItemCaseSensitive(run, "cpu_method")->valuestring;
        printf("%-58.58s %5s procs %6.1f s %4.0f samples: monitor %.3f CPU-s = %.3f %% of one "
               "core (%.2f ms per sample)\n", how, procs, dur, samples, mon,
               100.0 * mon / dur, 1000.0 * mon / (samples > 0 ? samples : 1));
    }
    cJSON_Delete(j);
    free(text);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) != 0;
}

int main(int argc, char **argv)
{
    const char *procs = "100", *secs = "10", *interval = "1";
    if (argc == 4 && strcmp(argv[1], "--tree") == 0)
        return tree(atoi(argv[2]), (unsigned)atoi(argv[3]));
    if (argc > 1)
        procs = argv[1];
    if (argc > 2)
        secs = argv[2];
    if (argc > 3)
        interval = argv[3];
    printf("ecoest run, interval %s s, a tree of %s sleeping processes for %s s "
           "(the goal: under 1 %% of one core)\n", interval, procs, secs);
    return one(argv[0], procs, secs, interval, 0) | one(argv[0], procs, secs, interval, 1);
}
