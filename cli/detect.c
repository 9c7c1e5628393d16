#define _GNU_SOURCE /* CPU_ALLOC, CPU_COUNT_S */
/* --cpu auto and --gpu auto. The library never looks at the machine: this
 * is the CLI's job. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ecoest/hwdb.h"
#include "cli.h"
#include "detect.h"

extern char **environ;

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* This process's affinity mask: a CPU_ALLOC'd set (CPU_FREE it) of *size
   bytes for *nbits CPUs, or NULL when sched_getaffinity fails. */
static cpu_set_t *affinity_mask(size_t *size, size_t *nbits)
{
    size_t n = 1024;
    for (;;) {
        cpu_set_t *set = CPU_ALLOC(n);
        if (!set)
            return NULL;
        *size = CPU_ALLOC_SIZE(n);
        CPU_ZERO_S(*size, set);
        if (sched_getaffinity(0, *size, set) == 0) {
            if (CPU_COUNT_S(*size, set) > 0) {
                *nbits = n;
                return set;
            }
            CPU_FREE(set);
            return NULL;
        }
        CPU_FREE(set);
        if (errno != EINVAL || n >= (1u << 20))
            return NULL;
        n *= 2;
    }
}

static unsigned affinity_cpus(void)
{
    size_t size = 0, nbits = 0;
    cpu_set_t *set = affinity_mask(&size, &nbits);
    long online;
    if (set) {
        int c = CPU_COUNT_S(size, set);
        CPU_FREE(set);
        return (unsigned)c;
    }
    online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (unsigned)online : 1u;
}

/* The folder of the per-CPU topology files. */
static const char *sysfs_cpu_dir(void)
{
    const char *env = getenv("ECOEST_SYSFS_CPU");
    return env && *env ? env : "/sys/devices/system/cpu";
}

/* Reads one integer (the whole file but a line end) from dir/cpuN/topology/name. */
static int read_topology(const char *dir, size_t cpu, const char *name, long *out)
{
    char path[4200], buf[64], *end;
    FILE *f;
    size_t n;
    snprintf(path, sizeof path, "%s/cpu%zu/topology/%s", dir, cpu, name);
    f = fopen(path, "r");
    if (!f)
        return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    errno = 0;
    *out = strtol(buf, &end, 10);
    if (end == buf || errno || (*end && *end != '\n'))
        return -1;
    return 0;
}

typedef struct core_pair {
    long package, core;
} core_pair;

static int pair_cmp(const void *a, const void *b)
{
    const core_pair *x = a, *y = b;
    if (x->package != y->package)
        return x->package < y->package ? -1 : 1;
    return x->core < y->core ? -1 : x->core > y->core;
}

int cli_sysfs_cores(const char *dir, const size_t *cpus, size_t n_cpus, unsigned *cores)
{
    size_t n, i, distinct = 0;
    core_pair *p = malloc((n_cpus ? n_cpus : 1) * sizeof *p);
    if (!p)
        return -1;
    for (n = 0; n < n_cpus; n++)
        if (read_topology(dir, cpus[n], "physical_package_id", &p[n].package) ||
            read_topology(dir, cpus[n], "core_id", &p[n].core)) {
            free(p);
            return -1;
        }
    qsort(p, n, sizeof *p, pair_cmp);
    for (i = 0; i < n; i++)
        distinct += i == 0 || pair_cmp(&p[i - 1], &p[i]) != 0;
    free(p);
    if (!distinct)
        return -1;
    *cores = (unsigned)distinct;
    return 0;
}

/* Physical cores among the CPUs of set: cli_sysfs_cores on its CPUs.
   Returns 0, or -1 when a file is missing or unreadable. */
static int sysfs_cores(const cpu_set_t *set, size_t size, size_t nbits, const char *dir,
                       unsigned *cores)
{
    size_t cpu, n = 0, want = (size_t)CPU_COUNT_S(size, set);
    size_t *cpus = malloc((want ? want : 1) * sizeof *cpus);
    int rc;
    if (!cpus)
        return -1;
    for (cpu = 0; cpu < nbits && n < want; cpu++)
        if (CPU_ISSET_S(cpu, size, set))
            cpus[n++] = cpu;
    rc = cli_sysfs_cores(dir, cpus, n, cores);
    free(cpus);
    return rc;
}

void cli_detect_cpu_count(unsigned model_cores, unsigned model_threads, cli_cpu_count *out)
{
    const char *dir = sysfs_cpu_dir();
    size_t size = 0, nbits = 0;
    cpu_set_t *set = affinity_mask(&size, &nbits);
    unsigned cores = 0;
    int from_sysfs;
    memset(out, 0, sizeof *out);
    if (set)
        out->logical_cpus = (unsigned)CPU_COUNT_S(size, set);
    else
        out->logical_cpus = affinity_cpus();
    from_sysfs = set && sysfs_cores(set, size, nbits, dir, &cores) == 0;
    if (set)
        CPU_FREE(set);
    if (from_sysfs) {
        out->physical_cores = cores;
        out->how = CLI_CORES_SYSFS;
        snprintf(out->note, sizeof out->note,
                 "%u CPU%s (hardware threads) in this process's affinity on %u physical "
                 "core%s: distinct package and core ids in %s/cpuN/topology",
                 out->logical_cpus, out->logical_cpus == 1 ? "" : "s", cores,
                 cores == 1 ? "" : "s", dir);
    } else if (est_hwdb_cores_from_threads(&out->physical_cores, out->logical_cpus,
                                           model_cores, model_threads) == EST_OK) {
        out->how = CLI_CORES_RATIO;
        snprintf(out->note, sizeof out->note,
                 "%u CPU%s (hardware threads) in this process's affinity, about %u physical "
                 "core%s: %u x %u cores / %u threads of the model (%s/cpuN/topology "
                 "unreadable)", out->logical_cpus, out->logical_cpus == 1 ? "" : "s",
                 out->physical_cores, out->physical_cores == 1 ? "" : "s", out->logical_cpus,
                 model_cores, model_threads, dir);
    } else {
        out->physical_cores = out->logical_cpus;
        out->how = CLI_CORES_LOGICAL;
        snprintf(out->note, sizeof out->note,
                 "%u CPU%s (hardware threads) in this process's affinity, counted as cores: "
                 "%s/cpuN/topology unreadable and the model's thread count unknown (with SMT "
                 "two threads share a core; give --cores to correct)", out->logical_cpus,
                 out->logical_cpus == 1 ? "" : "s", dir);
    }
}

const char *cli_cores_how_name(cli_cores_how how)
{
    switch (how) {
    case CLI_CORES_SYSFS: return "sysfs";
    case CLI_CORES_RATIO: return "model-ratio";
    default: return "logical";
    }
}

int cli_cpuinfo_brand(FILE *f, char *brand, size_t brand_size)
{
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *colon;
        if (strncmp(line, "model name", 10) != 0)
            continue;
        colon = strchr(line, ':');
        if (!colon)
            continue;
        snprintf(brand, brand_size, "%s", trim(colon + 1));
        if (brand[0] == '\0')
            continue; /* an empty "model name :" (some VMs): try the next CPU's */
        return 1;
    }
    return ferror(f) ? -1 : 0;
}

int cli_detect_cpu(char *brand, size_t brand_size, char *src, size_t src_size,
                   unsigned *n_cpus)
{
    const char *env = getenv("ECOEST_CPUINFO");
    const char *path = env && *env ? env : "/proc/cpuinfo";
    FILE *f;
    int found;
    snprintf(src, src_size, "%s", path);
    f = fopen(path, "r");
    if (!f) {
        cli_msg("--cpu auto: cannot read %s: %s; give --cpu MODEL", path, strerror(errno));
        return errno == ENOENT ? CLI_EX_NOINPUT : CLI_EX_IOERR;
    }
    found = cli_cpuinfo_brand(f, brand, brand_size);
    if (found < 0) {
        fclose(f);
        cli_msg("--cpu auto: read error on %s", path);
        return CLI_EX_IOERR;
    }
    fclose(f);
    if (!found) {
        cli_msg("--cpu auto: %s has no non-empty \"model name\" line (usual on Arm machines); "
                "give --cpu MODEL, or --cpu-tdp W and --cores N", path);
        return CLI_EX_DATAERR;
    }
    *n_cpus = affinity_cpus();
    return 0;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads fd until EOF, the buffer is full, or the deadline. Returns 0, or -1
   on timeout. */
static int read_until(int fd, char *buf, size_t size, size_t *len, double deadline)
{
    *len = 0;
    for (;;) {
        struct pollfd p;
        double left = deadline - mono_s();
        ssize_t n;
        char sink[4096];
        if (left <= 0)
            return -1;
        p.fd = fd;
        p.events = POLLIN;
        if (poll(&p, 1, (int)(left * 1000) + 1) < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        if (!p.revents)
            continue;
        if (*len + 1 < size)
            n = read(fd, buf + *len, size - 1 - *len);
        else
            n = read(fd, sink, sizeof sink); /* drain what does not fit */
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (*len + 1 < size)
            *len += (size_t)n;
    }
    buf[*len] = '\0';
    return 0;
}

/* One line of nvidia-smi --query-gpu=index,uuid,name. */
typedef struct gpu_row {
    const char *index, *uuid, *name;
    int selected;
} gpu_row;

/* Splits "0, GPU-8a1c..., NVIDIA A100-SXM4-80GB" in place. Returns 0 or -1. */
static int split_gpu_line(char *line, gpu_row *g)
{
    char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c2)
        return -1;
    *c1 = *c2 = '\0';
    g->index = trim(line);
    g->uuid = trim(c1 + 1);
    g->name = trim(c2 + 1); /* a name may hold commas: the rest of the line */
    g->selected = 0;
    return *g->index && *g->name ? 0 : -1;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Marks the GPUs CUDA_VISIBLE_DEVICES (cvd) makes visible, as CUDA does:
   entries are indices or GPU UUIDs (a unique prefix of "GPU-..."), and the
   first entry that names no GPU hides itself and every entry after it.
   Returns the number marked, or -1 with a message printed (exit 65); stop
   receives the first entry ignored ("" none). */
static int mark_visible(gpu_row *g, size_t n, const char *cvd, char *stop, size_t stop_size,
                        int *by_index)
{
    char buf[1024], *entry, *save = NULL;
    int marked = 0;
    stop[0] = '\0';
    snprintf(buf, sizeof buf, "%s", cvd);
    for (entry = strtok_r(buf, ",", &save); entry; entry = strtok_r(NULL, ",", &save)) {
        char *t = trim(entry);
        size_t i, hit = n, matches = 0;
        if (strncmp(t, "MIG-", 4) == 0) {
            cli_msg("--gpu auto: CUDA_VISIBLE_DEVICES names a MIG instance (\"%s\"): the "
                    "share of a GPU it uses is not known; give --gpu MODEL and --gpu-power W "
                    "or --gpus N", t);
            return -1;
        }
        for (i = 0; i < n; i++) {
            int m = all_digits(t) ? strcmp(g[i].index, t) == 0
                                  : strncmp(t, "GPU-", 4) == 0 &&
                                        strncmp(g[i].uuid, t, strlen(t)) == 0;
            if (m) {
                hit = i;
                matches++;
            }
        }
        if (matches != 1) {
            snprintf(stop, stop_size, "%s", t);
            break;
        }
        *by_index |= all_digits(t);
        if (!g[hit].selected)
            marked++;
        g[hit].selected = 1;
    }
    if (!entry && marked == 0 && !stop[0])
        snprintf(stop, stop_size, "%s", trim(buf));
    return marked;
}

int cli_gpu_select(char *out, const char *prog, const char *cvd, const char *order,
                   char *name, size_t name_size, char *src, size_t src_size, unsigned *count)
{
    gpu_row *g;
    char *line, *save = NULL, stop[256], picked[512];
    size_t n = 0, cap = 16, i, o = 0;
    unsigned k = 0;
    int by_index = 0, mixed = 0;
    const char *first = NULL, *other = NULL;
    g = malloc(cap * sizeof *g);
    if (!g) {
        cli_msg("out of memory");
        return CLI_EX_SOFTWARE;
    }
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!*trim(line))
            continue;
        if (n == cap) {
            gpu_row *q = realloc(g, 2 * cap * sizeof *g);
            if (!q) {
                free(g);
                cli_msg("out of memory");
                return CLI_EX_SOFTWARE;
            }
            g = q;
            cap *= 2;
        }
        if (split_gpu_line(line, &g[n])) {
            cli_msg("--gpu auto: %s printed a line that is not \"index, uuid, name\": \"%s\"; "
                    "give --gpu MODEL", prog, trim(line));
            free(g);
            return CLI_EX_DATAERR;
        }
        if (n && strcmp(g[n].name, g[0].name) != 0)
            mixed = 1;
        n++;
    }
    if (n == 0) {
        free(g);
        cli_msg("--gpu auto: %s lists no GPU; give --gpu MODEL, or leave --gpu out", prog);
        return CLI_EX_DATAERR;
    }
    if (cvd) {
        int marked = mark_visible(g, n, cvd, stop, sizeof stop, &by_index);
        if (marked < 0) {
            free(g);
            return CLI_EX_DATAERR;
        }
        if (marked == 0) {
            cli_msg("--gpu auto: CUDA_VISIBLE_DEVICES=\"%s\" makes no GPU visible (of the %zu "
                    "%s lists); leave --gpu out, or give --gpu MODEL", cvd, n, prog);
            free(g);
            return CLI_EX_DATAERR;
        }
        if (by_index && mixed && !(order && strcmp(order, "PCI_BUS_ID") == 0)) {
            cli_msg("--gpu auto: CUDA_VISIBLE_DEVICES=\"%s\" selects by index on a machine with "
                    "different GPU models, and CUDA numbers GPUs fastest first unless "
                    "CUDA_DEVICE_ORDER=PCI_BUS_ID (nvidia-smi numbers them by PCI bus); set "
                    "CUDA_DEVICE_ORDER=PCI_BUS_ID, use GPU UUIDs, or give --gpu MODEL", cvd);
            free(g);
            return CLI_EX_DATAERR;
        }
    } else {
        for (i = 0; i < n; i++)
            g[i].selected = 1;
    }
    picked[0] = '\0';
    for (i = 0; i < n; i++) {
        if (!g[i].selected)
            continue;
        if (!first)
            first = g[i].name;
        else if (!other && strcmp(g[i].name, first) != 0)
            other = g[i].name;
        if (o < sizeof picked) {
            int w = snprintf(picked + o, sizeof picked - o, "%s%s", k ? ", " : "", g[i].index);
            o += w > 0 ? (size_t)w : 0;
        }
        k++;
    }
    if (other) {
        cli_msg("--gpu auto: %s lists different GPU models (\"%s\" and \"%s\")%s; give --gpu "
                "MODEL and --gpus N for the ones the job uses", prog, first, other,
                cvd ? " among those CUDA_VISIBLE_DEVICES selects" : "");
        free(g);
        return CLI_EX_DATAERR;
    }
    snprintf(name, name_size, "%s", first);
    if (cvd) {
        size_t used = strlen(src);
        if (used < src_size)
            snprintf(src + used, src_size - used,
                     "; CUDA_VISIBLE_DEVICES=\"%s\" selects %u of %zu GPUs (nvidia-smi index "
                     "%s)%s%s%s", cvd, k, n, picked, stop[0] ? "; CUDA ignores \"" : "",
                     stop, stop[0] ? "\" and the entries after it (no such GPU)" : "");
    }
    free(g);
    *count = k;
    return 0;
}

int cli_detect_gpu(char *name, size_t name_size, char *src, size_t src_size, unsigned *count)
{
    const char *env = getenv("ECOEST_NVIDIA_SMI");
    const char *prog = env && *env ? env : "nvidia-smi";
    char *argv[] = {(char *)prog, "--query-gpu=index,uuid,name", "--format=csv,noheader", NULL};
    char out[65536];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int pipefd[2], rc, status = 0, timed_out;
    pid_t pid;
    size_t len;
    double deadline;

    snprintf(src, src_size, "%s --query-gpu=index,uuid,name --format=csv,noheader", prog);
    if (pipe(pipefd) != 0) {
        cli_msg("--gpu auto: pipe: %s", strerror(errno));
        return CLI_EX_SOFTWARE;
    }
    fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    /* a process group of its own: on a timeout the whole group goes, so a
       wrapper script's children are not left behind (issue 14 #25) */
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    rc = posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        if (rc == ENOENT)
            cli_msg("--gpu auto: %s is not installed (not found on PATH), so no NVIDIA GPU "
                    "can be detected; give --gpu MODEL", prog);
        else
            cli_msg("--gpu auto: cannot run %s: %s; give --gpu MODEL", prog, strerror(rc));
        return CLI_EX_UNAVAILABLE;
    }
    deadline = mono_s() + CLI_NVIDIA_SMI_TIMEOUT_S;
    timed_out = read_until(pipefd[0], out, sizeof out, &len, deadline) != 0;
    close(pipefd[0]);
    if (!timed_out) {
        /* the output is closed; give the process until the deadline to exit */
        while ((rc = (int)waitpid(pid, &status, WNOHANG)) == 0 && mono_s() < deadline) {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
        }
        timed_out = rc == 0;
    }
    if (timed_out) {
        kill(-pid, SIGKILL); /* the group: nvidia-smi, or a script and its children */
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        cli_msg("--gpu auto: %s did not answer within %d s; give --gpu MODEL", prog,
                CLI_NVIDIA_SMI_TIMEOUT_S);
        return CLI_EX_TEMPFAIL;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        cli_msg("--gpu auto: %s failed (%s %d): no usable NVIDIA driver? give --gpu MODEL",
                prog, WIFEXITED(status) ? "exit status" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return CLI_EX_UNAVAILABLE;
    }
    return cli_gpu_select(out, prog, getenv("CUDA_VISIBLE_DEVICES"), getenv("CUDA_DEVICE_ORDER"),
                          name, name_size, src, src_size, count);
}
