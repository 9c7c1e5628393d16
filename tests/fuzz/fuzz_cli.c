/* libFuzzer target of ecoest's command line (issue 14): argument parsing and
 * every subcommand, run in-process through the dispatcher cli_main.
 *
 * The input is a list of argv words, each ended by a NUL or newline byte (the
 * last word needs no end; at most FUZZ_MAX_ARGS words, the rest is ignored):
 * "hwdb\nshow\nV100\n" runs `ecoest hwdb show V100`. "@SRC@" in a word stands for
 * the source tree, so that seeds name its files (@SRC@/tests/samples/idle.csv)
 * wherever it is.
 *
 * The run cannot leave the process's sandbox:
 * - no network: the live carbon module is looked for at a path that does not
 *   exist ($ECOEST_CARBON_MODULE), so --live fails as it does without the
 *   module, and the provider URLs point at a closed local port anyway;
 * - no processes: `ecoest run`, and `ecoest jobs` with --sacct or --epilog
 *   (they run sacct), are skipped; --gpu auto's nvidia-smi is a path that
 *   does not exist;
 * - no files written outside a temporary folder: $HOME and the XDG folders
 *   are in it (hwdb add), and the value of --output, --write-samples and --log
 *   must be a plain file name, which is placed in it; the folder is emptied
 *   after every run, so that no run sees what an earlier one wrote;
 * - no blocking reads: stdin is /dev/null, and words naming /dev/, /proc/ or
 *   /sys/ are skipped.
 * stdout and stderr go to /dev/null during a run; the sanitizers report on
 * the original stderr. The process's state that a run changes is put back:
 * getopt's (a full reinitialisation, optind = 0), $TZ (jobs --tz and --tz set
 * it), stdio's error flags. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_util.h"

#ifndef FUZZ_SOURCE_DIR
#error "FUZZ_SOURCE_DIR: the source tree (its hwdb/ and carbon/ are the shipped data)"
#endif

#define FUZZ_MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The sanitizers' report file (their runtime has it; a plain build does not). */
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

static char scratch[256]; /* emptied after every run: $HOME, XDG folders, outputs */
static int null_fd = -1;

static void fuzz_setenv(const char *name, const char *value)
{
    if (setenv(name, value, 1) != 0)
        abort();
}

static void setup(void)
{
    static const char *const unset[] = {
        "ECOEST_HWDB_PATH", "ECOEST_ZONES_PATH", "ECOEST_SYSFS_CPU", "TZDIR", "POSIXLY_CORRECT",
        "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "RESEAUX_ENERGIES_TOKEN",
        "ELECTRICITYMAPS_TOKEN", "SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID",
        "SLURM_JOB_WORK_DIR", "SLURM_JOB_UID", "SLURM_JOB_GID"};
    char path[512];
    size_t i;
    int report_fd;
    const char *dir = fuzz_dir();

    for (i = 0; i < sizeof unset / sizeof unset[0]; i++)
        unsetenv(unset[i]);
    snprintf(scratch, sizeof scratch, "%s/scratch", dir);
    fuzz_mkdirs(scratch);
    fuzz_setenv("HOME", scratch);
    snprintf(path, sizeof path, "%s/config", scratch);
    fuzz_setenv("XDG_CONFIG_HOME", path);
    snprintf(path, sizeof path, "%s/cache", scratch);
    fuzz_setenv("XDG_CACHE_HOME", path);
    fuzz_setenv("ECOEST_DATA_DIR", FUZZ_SOURCE_DIR);
    snprintf(path, sizeof path, "%s/no-such-module/ecoest-carbon.so", dir);
    fuzz_setenv("ECOEST_CARBON_MODULE", path);
    snprintf(path, sizeof path, "%s/no-such-program/nvidia-smi", dir);
    fuzz_setenv("ECOEST_NVIDIA_SMI", path);
    fuzz_setenv("ECOEST_ODRE_URL", "http://127.0.0.1:9/");
    fuzz_setenv("ECOEST_ELECTRICITYMAPS_URL", "http://127.0.0.1:9/");
    /* --cpu auto reads this, the same on every machine */
    snprintf(path, sizeof path, "%s/cpuinfo", dir);
    fuzz_write(path, "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz\n",
               66);
    fuzz_setenv("ECOEST_CPUINFO", path);
    fuzz_setenv("TZ", "UTC");
    tzset();

    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, 0) < 0)
        abort();
    /* the sanitizers keep reporting while stderr is /dev/null */
    report_fd = dup(2);
    if (report_fd < 0)
        abort();
    if (__sanitizer_set_report_fd)
        __sanitizer_set_report_fd((void *)(intptr_t)report_fd);
}

/* 1 for a word that names a device or a kernel file (reading one may block
   or never end); checked before "@SRC@" is replaced. */
static int special_file(const char *w)
{
    return strstr(w, "/dev/") || strstr(w, "/proc/") || strstr(w, "/sys/") ||
           strncmp(w, "/dev", 4) == 0;
}

/* A copy of the word with its first "@SRC@" replaced by the source tree. */
static char *expand(const char *word)
{
    static const char mark[] = "@SRC@";
    const char *at = strstr(word, mark);
    size_t n;
    char *s;
    if (!at)
        return strdup(word);
    n = strlen(word) - (sizeof mark - 1) + strlen(FUZZ_SOURCE_DIR) + 1;
    s = malloc(n);
    if (s)
        snprintf(s, n, "%.*s%s%s", (int)(at - word), word, FUZZ_SOURCE_DIR,
                 at + sizeof mark - 1);
    return s;
}

/* 1 when word is a long option whose name (before any '=') is a non-empty
   prefix of name: what getopt_long may take for --name. */
static int names(const char *word, const char *name)
{
    size_t n;
    if (strncmp(word, "--", 2) != 0)
        return 0;
    word += 2;
    n = strcspn(word, "=");
    return n > 0 && strncmp(word, name, n) == 0 && n <= strlen(name);
}

/* A file name that stays in the current folder. */
static int plain_name(const char *s)
{
    return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
           strlen(s) < 64;
}

/* Checks the words, and points the values of the options that write files
   into the scratch folder (rewritten in out, which holds their storage).
   Returns 0 to run them, -1 to skip the input. */
static int sandbox(int argc, char **argv, char (*out)[sizeof scratch + 80])
{
    static const char *const skip[] = {"sacct", "epilog"};
    static const char *const writers[] = {"output", "write-samples", "log"};
    int i, n_out = 0, jobs = argc > 1 && strcmp(argv[1], "jobs") == 0;
    size_t k;
    if (argc > 1 && strcmp(argv[1], "run") == 0)
        return -1;
    for (i = 1; i < argc; i++) {
        const char *w = argv[i];
        for (k = 0; jobs && k < sizeof skip / sizeof skip[0]; k++)
            if (names(w, skip[k]))
                return -1;
    }
    for (i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        int writer = 0;
        for (k = 0; k < sizeof writers / sizeof writers[0]; k++)
            writer |= names(argv[i], writers[k]);
        if (!writer)
            continue;
        if (eq) { /* --output=NAME */
            if (!plain_name(eq + 1))
                return -1;
            snprintf(out[n_out], sizeof out[0], "%.*s=%s/%s", (int)(eq - argv[i]), argv[i],
                     scratch, eq + 1);
            argv[i] = out[n_out++];
        } else if (i + 1 < argc) { /* --output NAME: getopt takes the next word */
            i++;
            if (!plain_name(argv[i]))
                return -1;
            snprintf(out[n_out], sizeof out[0], "%s/%s", scratch, argv[i]);
            argv[i] = out[n_out++];
        }
    }
    return 0;
}

/* Removes what the folder holds (not the folder). */
static void empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            empty_dir(path);
            rmdir(path);
        } else {
            unlink(path);
        }
    }
    closedir(d);
}

/* Undoes what a run changed in the process and the scratch folder. */
static void restore(int saved_out, int saved_err)
{
    fflush(stdout);
    fflush(stderr);
    clearerr(stdout);
    clearerr(stderr);
    if (dup2(saved_out, 1) < 0 || dup2(saved_err, 2) < 0)
        abort();
    close(saved_out);
    close(saved_err);
    fuzz_setenv("TZ", "UTC");
    tzset();
    empty_dir(scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static char word0[] = "ecoest";
    static char dummy0[] = "fuzz";
    char *argv[FUZZ_MAX_ARGS + 2], *words, *dummy[] = {dummy0, NULL};
    char out[FUZZ_MAX_ARGS][sizeof scratch + 80];
    int argc = 1, saved_out, saved_err, special = 0;
    size_t i, start = 0;

    if (!ready) {
        setup();
        ready = 1;
    }
    /* the words, each its own allocation (ASan sees a read past one) */
    words = malloc(size + 1);
    if (!words)
        return 0;
    memcpy(words, data, size);
    words[size] = '\0';
    argv[0] = word0;
    for (i = 0; i <= size && argc <= FUZZ_MAX_ARGS; i++) {
        if (i < size && words[i] != '\0' && words[i] != '\n')
            continue;
        if (i == size && start == size)
            break; /* the last word was ended */
        words[i] = '\0';
        special |= special_file(words + start);
        argv[argc] = expand(words + start);
        if (!argv[argc])
            abort();
        argc++;
        start = i + 1;
    }
    free(words);
    argv[argc] = NULL;
    {
        char *owned[FUZZ_MAX_ARGS + 1];
        int n = argc, k;
        memcpy(owned, argv, sizeof(char *) * (size_t)argc);
        if (!special && sandbox(argc, argv, out) == 0) {
            /* getopt's state: optind = 0 reinitialises it (glibc), so that no
               pointer into the last run's words survives */
            optind = 0;
            opterr = 0;
            getopt(1, dummy, "");
            fflush(stdout);
            fflush(stderr);
            saved_out = dup(1);
            saved_err = dup(2);
            if (saved_out < 0 || saved_err < 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0)
                abort();
            cli_main(argc, argv);
            restore(saved_out, saved_err);
        }
        for (k = 1; k < n; k++)
            free(owned[k]);
    }
    return 0;
}
