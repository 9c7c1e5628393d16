/* A helper of test_run (not a test): burns CPU time, measured in CPU time,
 * so that the amount is known whatever the load of the machine.
 *   test_run_burn threads CPU_S     THREADS threads, each until it has used
 *                                   CPU_S seconds of its own CPU time
 *   test_run_burn daemon CPU_S FILE forks, the child makes itself a daemon
 *                                   (setsid, forks again: the grandchild is
 *                                   orphaned), the grandchild burns CPU_S
 *                                   seconds then creates FILE; returns at once
 *   test_run_burn tree N SECONDS    N sleeping children for SECONDS (bench) */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *burn(void *arg)
{
    double limit = *(const double *)arg;
    volatile unsigned long x = 0;
    while (thread_cpu_s() < limit)
        for (int i = 0; i < 100000; i++)
            x += (unsigned long)i;
    return NULL;
}

int main(int argc, char **argv)
{
    double cpu_s;
    if (argc < 3)
        return 64;
    cpu_s = strtod(argv[2], NULL);
    if (strcmp(argv[1], "daemon") == 0 && argc == 4) {
        pid_t p = fork();
        if (p < 0)
            return 70;
        if (p > 0) {
            waitpid(p, NULL, 0); /* the middle process ends at once */
            return 0;
        }
        setsid();
        if (fork() != 0)
            _exit(0); /* the grandchild is orphaned: reparented */
        burn(&cpu_s);
        FILE *f = fopen(argv[3], "w");
        if (f)
            fclose(f);
        _exit(0);
    }
    if (strcmp(argv[1], "tree") == 0 && argc == 4) {
        int n = atoi(argv[2]);
        unsigned secs = (unsigned)atoi(argv[3]);
        for (int i = 0; i < n; i++)
            if (fork() == 0) {
                sleep(secs);
                _exit(0);
            }
        while (wait(NULL) > 0)
            ;
        return 0;
    }
    {
        int n = atoi(argv[1]);
        pthread_t t[64];
        if (n < 1 || n > 64)
            return 64;
        for (int i = 1; i < n; i++)
            pthread_create(&t[i], NULL, burn, &cpu_s);
        burn(&cpu_s);
        for (int i = 1; i < n; i++)
            pthread_join(t[i], NULL);
    }
    return 0;
}
