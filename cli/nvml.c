/* ecoest run: NVIDIA GPUs through NVML (dlopen) or a polled nvidia-smi. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nvml.h"

/* The few NVML types used (nvml.h of the CUDA toolkit, stable ABI). */
typedef void *nvml_device;
typedef struct nvml_utilization { unsigned gpu, memory; } nvml_utilization;
typedef struct nvml_memory { unsigned long long total, free, used; } nvml_memory;
/* nvmlProcessInfo_v2_t, the layout of the _v2 and _v3 process queries */
typedef struct nvml_process {
    unsigned pid;
    unsigned long long used_gpu_memory;
    unsigned gpu_instance_id, compute_instance_id;
} nvml_process;

#define NVML_SUCCESS 0
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_NAME_MAX 96
#define PROCS_MAX 256

typedef struct nvml_api {
    int (*init)(void);
    int (*shutdown)(void);
    int (*count)(unsigned *);
    int (*handle)(unsigned, nvml_device *);
    int (*name)(nvml_device, char *, unsigned);
    int (*power)(nvml_device, unsigned *);            /* mW */
    int (*energy)(nvml_device, unsigned long long *); /* mJ */
    int (*util)(nvml_device, nvml_utilization *);
    int (*mem)(nvml_device, nvml_memory *);
    int (*procs[2])(nvml_device, unsigned *, nvml_process *);
} nvml_api;

struct cli_gpus {
    unsigned n;
    char names[CLI_GPUS_MAX][NVML_NAME_MAX];
    char source[64];
    /* NVML */
    void *lib;
    nvml_api api;
    nvml_device dev[CLI_GPUS_MAX];
    int has_counter[CLI_GPUS_MAX];
    unsigned long long energy0_mj[CLI_GPUS_MAX];
    /* nvidia-smi */
    pid_t pid;
    int fd;
    int smi_kind;      /* nvidia-smi or amd-smi */
    int amd_cols[4];   /* amd-smi: the columns of gpu, power, gfx, vram */
    char line[4096];
    size_t line_len;
    cli_gpu_value last[CLI_GPUS_MAX];
};

static void *sym(void *lib, const char *a, const char *b)
{
    void *p = dlsym(lib, a);
    return p || !b ? p : dlsym(lib, b);
}

static int nvml_open(cli_gpus *g, const char *path, char *why, size_t why_size)
{
    nvml_api *a = &g->api;
    unsigned i, n = 0;
    g->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!g->lib) {
        snprintf(why, why_size, "NVML: %s not loadable", path);
        return -1;
    }
    /* casts through a union-free memcpy would be pedantic: POSIX makes
       dlsym's result convertible to a function pointer */
#define LOAD(field, a1, a2) *(void **)(&a->field) = sym(g->lib, a1, a2)
    LOAD(init, "nvmlInit_v2", "nvmlInit");
    LOAD(shutdown, "nvmlShutdown", NULL);
    LOAD(count, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    LOAD(handle, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    LOAD(name, "nvmlDeviceGetName", NULL);
    LOAD(power, "nvmlDeviceGetPowerUsage", NULL);
    LOAD(energy, "nvmlDeviceGetTotalEnergyConsumption", NULL);
    LOAD(util, "nvmlDeviceGetUtilizationRates", NULL);
    LOAD(mem, "nvmlDeviceGetMemoryInfo", NULL);
    LOAD(procs[0], "nvmlDeviceGetComputeRunningProcesses_v3",
         "nvmlDeviceGetComputeRunningProcesses_v2");
    LOAD(procs[1], "nvmlDeviceGetGraphicsRunningProcesses_v3",
         "nvmlDeviceGetGraphicsRunningProcesses_v2");
#undef LOAD
    if (!a->init || !a->count || !a->handle || !a->power || a->init() != NVML_SUCCESS) {
        snprintf(why, why_size, "NVML: %s does not initialise", path);
        dlclose(g->lib);
        g->lib = NULL;
        return -1;
    }
    if (a->count(&n) != NVML_SUCCESS || n == 0) {
        snprintf(why, why_size, "NVML: no GPU");
        if (a->shutdown)
            a->shutdown();
        dlclose(g->lib);
        g->lib = NULL;
        return -1;
    }
    if (n > CLI_GPUS_MAX)
        n = CLI_GPUS_MAX;
    for (i = 0; i < n; i++) {
        unsigned long long e;
        if (a->handle(i, &g->dev[i]) != NVML_SUCCESS)
            break;
        if (!a->name || a->name(g->dev[i], g->names[i], NVML_NAME_MAX) != NVML_SUCCESS)
            g->names[i][0] = '\0';
        g->names[i][NVML_NAME_MAX - 1] = '\0';
        g->has_counter[i] = a->energy && a->energy(g->dev[i], &e) == NVML_SUCCESS;
        g->energy0_mj[i] = g->has_counter[i] ? e : 0;
    }
    g->n = i;
    snprintf(g->source, sizeof g->source, "NVML (%s)", path);
    return g->n ? 0 : -1;
}

static int tree_on(const nvml_api *a, nvml_device d, const pid_t *pids, size_t n)
{
    int k;
    for (k = 0; k < 2; k++) {
        nvml_process p[PROCS_MAX];
        unsigned cnt = PROCS_MAX, i;
        size_t j;
        if (!a->procs[k] || a->procs[k](d, &cnt, p) != NVML_SUCCESS)
            continue;
        for (i = 0; i < cnt && i < PROCS_MAX; i++)
            for (j = 0; j < n; j++)
                if ((pid_t)p[i].pid == pids[j])
                    return 1;
    }
    return 0;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int nvml_read(cli_gpus *g, const pid_t *pids, size_t n, cli_gpu_value *v)
{
    const nvml_api *a = &g->api;
    unsigned i;
    int any = 0;
    for (i = 0; i < g->n; i++) {
        unsigned mw;
        unsigned long long e;
        nvml_utilization u;
        nvml_memory m;
        cli_gpu_value *x = &v[i];
        memset(x, 0, sizeof *x);
        x->power_w = x->energy_j = x->usage_frac = x->mem_used_gb = -1.0;
        if (a->power(g->dev[i], &mw) != NVML_SUCCESS)
            continue; /* lost, or no power reading: missing */
        x->ok = 1;
        any = 1;
        x->power_w = mw / 1000.0;
        x->energy_t_s = mono_s();
        if (g->has_counter[i] && a->energy(g->dev[i], &e) == NVML_SUCCESS)
            x->energy_j = (double)(e - g->energy0_mj[i]) / 1000.0;
        else if (g->has_counter[i])
            x->ok = 0; /* the counter stopped answering: a missing reading */
        if (a->util && a->util(g->dev[i], &u) == NVML_SUCCESS)
            x->usage_frac = u.gpu > 100 ? 1.0 : u.gpu / 100.0;
        if (a->mem && a->mem(g->dev[i], &m) == NVML_SUCCESS)
            x->mem_used_gb = (double)m.used / 1e9;
        x->tree_uses = n ? tree_on(a, g->dev[i], pids, n) : 0;
    }
    return any ? 0 : -1;
}

/* ---- nvidia-smi, amd-smi or rocm-smi, polled: a child that prints lines
   per tick ---- */

enum { SMI_NVIDIA = 0, SMI_AMD = 1, SMI_ROCM = 2 };

static int smi_start(cli_gpus *g, int kind, double interval_s)
{
    int fds[2];
    char lms[32], secs[32];
    long ms = (long)(interval_s * 1000.0 / 2.0);
    pid_t pid;
    if (ms < 50)
        ms = 50;
    snprintf(lms, sizeof lms, "--loop-ms=%ld", ms);
    /* amd-smi watches in whole seconds: at most the interval */
    snprintf(secs, sizeof secs, "%ld", interval_s >= 2.0 ? (long)interval_s : 1L);
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(fds[1], 1);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 2);
        }
        if (kind == SMI_NVIDIA)
            execlp("nvidia-smi", "nvidia-smi",
                   "--query-gpu=index,name,power.draw,utilization.gpu,memory.used",
                   "--format=csv,noheader,nounits", lms, (char *)NULL);
        else if (kind == SMI_AMD)
            execlp("amd-smi", "amd-smi", "monitor", "--csv", "-p", "-u", "-v", "-w", secs,
                   (char *)NULL);
        else {
            /* rocm-smi answers once per call: a shell loop asks it each
               interval, and ends when it fails (absent, no GPU) */
            char loop[160];
            snprintf(loop, sizeof loop, "while :; do rocm-smi --showpower --showuse --csv || "
                     "exit 1; sleep %g; done", interval_s > 0.05 ? interval_s : 0.05);
            execlp("sh", "sh", "-c", loop, (char *)NULL);
        }
        _exit(127);
    }
    close(fds[1]);
    g->smi_kind = kind;
    g->pid = pid;
    g->fd = fds[0];
    g->n = 0;
    g->line_len = 0;
    g->amd_cols[0] = -1;
    fcntl(g->fd, F_SETFL, O_NONBLOCK);
    return 0;
}

/* Splits at commas, trims spaces and a trailing CR. Returns the count. */
static int split(char *line, char **f, int max)
{
    int k = 0;
    char *p = line;
    while (k < max) {
        char *e;
        f[k++] = p;
        p = strchr(p, ',');
        if (p)
            *p++ = '\0';
        while (*f[k - 1] == ' ')
            f[k - 1]++;
        e = f[k - 1] + strlen(f[k - 1]);
        while (e > f[k - 1] && (e[-1] == '\r' || e[-1] == ' '))
            *--e = '\0';
        if (!p)
            break;
    }
    return k;
}

/* A number, a unit after it allowed ("150 W", "37 %"); -1 when none
   ("N/A", "[N/A]"). */
static double value_of(const char *f)
{
    char *end;
    double v = strtod(f, &end);
    return end == f || v < 0.0 ? -1.0 : v;
}

static cli_gpu_value *gpu_slot(cli_gpus *g, const char *index)
{
    char *end;
    long idx = strtol(index, &end, 10);
    if (end == index || idx < 0 || idx >= CLI_GPUS_MAX)
        return NULL;
    if ((unsigned)idx >= g->n)
        g->n = (unsigned)idx + 1;
    return &g->last[idx];
}

/* nvidia-smi: "0, NVIDIA A100, 61.42, 71, 1024" (nounits; [N/A] missing). */
static void nvsmi_line(cli_gpus *g, char *line)
{
    char *f[5];
    cli_gpu_value *x;
    if (split(line, f, 5) != 5 || !(x = gpu_slot(g, f[0])))
        return;
    snprintf(g->names[x - g->last], sizeof g->names[0], "%s", f[1]);
    x->power_w = value_of(f[2]);
    x->ok = x->power_w >= 0.0;
    x->usage_frac = value_of(f[3]) >= 0.0 ? value_of(f[3]) / 100.0 : -1.0;
    if (x->usage_frac > 1.0)
        x->usage_frac = 1.0;
    x->mem_used_gb = value_of(f[4]) >= 0.0 ? value_of(f[4]) * 1048576.0 / 1e9 : -1.0; /* MiB */
    x->energy_j = -1.0;
}

/* amd-smi monitor --csv: a header (repeated each tick) names the columns:
   gpu, power_usage or socket_power (W), gfx or gfx_util (%), vram_used
   (MB). */
static void amdsmi_line(cli_gpus *g, char *line)
{
    char *f[32];
    int n = split(line, f, 32), k;
    int *c = g->amd_cols; /* gpu, power, gfx, vram */
    cli_gpu_value *x;
    if (n < 2)
        return;
    if (strcmp(f[0], "timestamp") == 0 || strcmp(f[0], "gpu") == 0) {
        c[0] = c[1] = c[2] = c[3] = -1;
        for (k = 0; k < n; k++) {
            if (!strcmp(f[k], "gpu"))
                c[0] = k;
            else if (!strcmp(f[k], "socket_power") || (!strcmp(f[k], "power_usage") && c[1] < 0))
                c[1] = k;
            else if (!strcmp(f[k], "gfx") || (!strcmp(f[k], "gfx_util") && c[2] < 0))
                c[2] = k;
            else if (!strcmp(f[k], "vram_used"))
                c[3] = k;
        }
        return;
    }
    if (c[0] < 0 || c[0] >= n || c[1] < 0 || c[1] >= n || !(x = gpu_slot(g, f[c[0]])))
        return;
    if (!g->names[x - g->last][0])
        snprintf(g->names[x - g->last], sizeof g->names[0], "AMD GPU");
    x->power_w = value_of(f[c[1]]);
    x->ok = x->power_w >= 0.0;
    x->usage_frac = c[2] >= 0 && c[2] < n && value_of(f[c[2]]) >= 0.0
                        ? value_of(f[c[2]]) / 100.0 : -1.0;
    if (x->usage_frac > 1.0)
        x->usage_frac = 1.0;
    x->mem_used_gb = c[3] >= 0 && c[3] < n && value_of(f[c[3]]) >= 0.0
                         ? value_of(f[c[3]]) * 1e6 / 1e9 : -1.0; /* MB */
    x->energy_j = -1.0;
}

/* rocm-smi --showpower --showuse --csv: a header per call names the
   columns: "device", a power column "... Power (W)" (Average or Current
   Socket Graphics Package Power), "GPU use (%)"; rows "card0,35.0,12". */
static void rocmsmi_line(cli_gpus *g, char *line)
{
    char *f[32], idx[16];
    int n = split(line, f, 32), k;
    int *c = g->amd_cols; /* device, power, use */
    cli_gpu_value *x;
    if (n < 2)
        return;
    if (strcmp(f[0], "device") == 0) {
        c[0] = 0;
        c[1] = c[2] = c[3] = -1;
        for (k = 1; k < n; k++) {
            if (c[1] < 0 && strstr(f[k], "Power") && strstr(f[k], "(W)"))
                c[1] = k;
            else if (!strcmp(f[k], "GPU use (%)"))
                c[2] = k;
        }
        return;
    }
    if (c[0] != 0 || c[1] < 0 || c[1] >= n || strncmp(f[0], "card", 4) != 0)
        return;
    snprintf(idx, sizeof idx, "%s", f[0] + 4);
    if (!(x = gpu_slot(g, idx)))
        return;
    if (!g->names[x - g->last][0])
        snprintf(g->names[x - g->last], sizeof g->names[0], "AMD GPU");
    x->power_w = value_of(f[c[1]]);
    x->ok = x->power_w >= 0.0;
    x->usage_frac = c[2] >= 0 && c[2] < n && value_of(f[c[2]]) >= 0.0
                        ? value_of(f[c[2]]) / 100.0 : -1.0;
    if (x->usage_frac > 1.0)
        x->usage_frac = 1.0;
    x->mem_used_gb = -1.0; /* rocm-smi gives a percentage only */
    x->energy_j = -1.0;
}

/* Reads what the poller printed; returns 1 when a line came, 0 none, -1 EOF. */
static int smi_pump(cli_gpus *g)
{
    char buf[4096];
    ssize_t n;
    int got = 0;
    while ((n = read(g->fd, buf, sizeof buf)) > 0) {
        ssize_t i;
        for (i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                g->line[g->line_len] = '\0';
                if (g->smi_kind == SMI_NVIDIA)
                    nvsmi_line(g, g->line);
                else if (g->smi_kind == SMI_AMD)
                    amdsmi_line(g, g->line);
                else
                    rocmsmi_line(g, g->line);
                g->line_len = 0;
                got = 1;
            } else if (g->line_len < sizeof g->line - 1) {
                g->line[g->line_len++] = buf[i];
            }
        }
    }
    if (n == 0)
        return -1;
    return got;
}

static int smi_read(cli_gpus *g, cli_gpu_value *v)
{
    unsigned i;
    int any = 0;
    if (smi_pump(g) < 0) {
        for (i = 0; i < g->n; i++)
            g->last[i].ok = 0; /* the poller ended: the GPUs are missing */
    }
    for (i = 0; i < g->n; i++) {
        v[i] = g->last[i];
        v[i].tree_uses = 0;
        any |= v[i].ok;
    }
    return any ? 0 : -1;
}

/* Starts a poller and waits (up to 5 s) for its first tick. Returns 0 with
   the GPUs found, or -1 (the poller stopped and reaped, its CPU added to
   *helper_cpu_s). */
static int smi_try(cli_gpus *g, int kind, double interval_s, double *helper_cpu_s)
{
    struct timespec ts = {0, 50 * 1000000L};
    struct rusage ru;
    int tries;
    if (smi_start(g, kind, interval_s) != 0)
        return -1;
    for (tries = 0; tries < 100 && g->n == 0; tries++) {
        if (smi_pump(g) < 0)
            break;
        nanosleep(&ts, NULL);
    }
    if (g->n) {
        nanosleep(&ts, NULL);
        smi_pump(g); /* the rest of the first tick */
        return 0;
    }
    kill(g->pid, SIGTERM);
    if (wait4(g->pid, NULL, 0, &ru) == g->pid)
        *helper_cpu_s += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    close(g->fd);
    g->fd = -1;
    g->pid = 0;
    return -1;
}

unsigned cli_gpus_open(cli_gpus **out, const char *lib, double interval_s, pid_t *helper_pid,
                       double *helper_cpu_s, char *why, size_t why_size)
{
    cli_gpus *g = calloc(1, sizeof *g);
    char why_nvml[256];
    *out = NULL;
    *helper_pid = 0;
    if (!g) {
        snprintf(why, why_size, "out of memory");
        return 0;
    }
    g->fd = -1;
    if (nvml_open(g, lib ? lib : "libnvidia-ml.so.1", why_nvml, sizeof why_nvml) == 0) {
        *out = g;
        return g->n;
    }
    /* nvidia-smi, then amd-smi: started when on PATH; the first tick tells
       the GPUs */
    if (smi_try(g, SMI_NVIDIA, interval_s, helper_cpu_s) == 0)
        snprintf(g->source, sizeof g->source, "nvidia-smi (polled, NVML absent)");
    else if (smi_try(g, SMI_AMD, interval_s, helper_cpu_s) == 0)
        snprintf(g->source, sizeof g->source, "amd-smi monitor (polled)");
    else if (smi_try(g, SMI_ROCM, interval_s, helper_cpu_s) == 0)
        snprintf(g->source, sizeof g->source, "rocm-smi (polled)");
    if (g->pid) {
        *helper_pid = g->pid;
        *out = g;
        return g->n;
    }
    snprintf(why, why_size, "%s; nvidia-smi, amd-smi, rocm-smi: none on PATH or no GPU",
             why_nvml);
    free(g);
    return 0;
}

int cli_gpus_read(cli_gpus *g, const pid_t *pids, size_t n, cli_gpu_value *v)
{
    return g->lib ? nvml_read(g, pids, n, v) : smi_read(g, v);
}

unsigned cli_gpus_count(const cli_gpus *g)
{
    return g ? g->n : 0;
}

const char *cli_gpus_name(const cli_gpus *g, unsigned i)
{
    return i < g->n ? g->names[i] : "";
}

const char *cli_gpus_source(const cli_gpus *g)
{
    return g->source;
}

int cli_gpus_has_counter(const cli_gpus *g, unsigned i)
{
    return i < g->n && g->lib ? g->has_counter[i] : 0;
}

void cli_gpus_free(cli_gpus *g)
{
    if (!g)
        return;
    if (g->lib) {
        if (g->api.shutdown)
            g->api.shutdown();
        dlclose(g->lib);
    }
    if (g->pid > 0)
        kill(g->pid, SIGTERM);
    if (g->fd >= 0)
        close(g->fd);
    free(g);
}
