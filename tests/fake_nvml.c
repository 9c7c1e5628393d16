/* A fake NVML (libnvidia-ml) for test_run: the entry points ecoest run uses,
 * with a power profile scripted by files in the folder $FAKE_NVML_DIR:
 *   gpus       "N COUNTER": N GPUs (1..4); COUNTER 1: a total-energy counter
 *   busy       exists: the GPUs draw their busy power, else their idle power
 *   lost1      exists: GPU 1 is lost (NVML_ERROR_GPU_IS_LOST from then on)
 *   pid0       a pid running on GPU 0 (GPU 1 runs pid 1, never the tree's)
 * GPU k draws 50 W idle and 250 W busy (k = 0), 30 W always (k >= 1). With
 * a counter, the counter integrates that profile over time while the
 * sampled power reads 20 % low (a sampled power that misses bursts), so a
 * test can tell which one was used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FAKE_SUCCESS 0
#define FAKE_ERROR_INVALID_ARGUMENT 2
#define FAKE_ERROR_NOT_SUPPORTED 3
#define FAKE_ERROR_GPU_IS_LOST 15

typedef struct fake_util { unsigned gpu, memory; } fake_util;
typedef struct fake_memory { unsigned long long total, free, used; } fake_memory;
typedef struct fake_process {
    unsigned pid;
    unsigned long long used_gpu_memory;
    unsigned gpu_instance_id, compute_instance_id;
} fake_process;

static int dev_ids[4] = {0, 1, 2, 3};
static double energy_mj[4], last_t[4];

static int exists(const char *name)
{
    char p[4096];
    const char *d = getenv("FAKE_NVML_DIR");
    snprintf(p, sizeof p, "%s/%s", d ? d : ".", name);
    return access(p, F_OK) == 0;
}

static long read_num(const char *name, int field)
{
    char p[4096];
    const char *d = getenv("FAKE_NVML_DIR");
    long v[2] = {0, 0};
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", d ? d : ".", name);
    f = fopen(p, "r");
    if (!f)
        return -1;
    if (fscanf(f, "%ld %ld", &v[0], &v[1]) < 1)
        v[0] = -1;
    fclose(f);
    return v[field];
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double true_power_w(int k)
{
    if (k == 0)
        return exists("busy") ? 250.0 : 50.0;
    return 30.0;
}

static int lost(int k)
{
    return k == 1 && exists("lost1");
}

static int index_of(void *dev)
{
    int k = (int)((int *)dev - dev_ids);
    return k >= 0 && k < 4 ? k : -1;
}

/* The counter: the power integrated since the previous call. */
static void advance(int k)
{
    double t = now();
    if (last_t[k] > 0.0)
        energy_mj[k] += true_power_w(k) * (t - last_t[k]) * 1000.0;
    last_t[k] = t;
}

int nvmlInit_v2(void) { return FAKE_SUCCESS; }
int nvmlShutdown(void) { return FAKE_SUCCESS; }

int nvmlDeviceGetCount_v2(unsigned *n)
{
    long v = read_num("gpus", 0);
    *n = v > 0 && v <= 4 ? (unsigned)v : 0;
    return FAKE_SUCCESS;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned i, void **dev)
{
    if (i >= 4)
        return FAKE_ERROR_INVALID_ARGUMENT;
    *dev = &dev_ids[i];
    advance((int)i);
    return FAKE_SUCCESS;
}

int nvmlDeviceGetName(void *dev, char *name, unsigned len)
{
    snprintf(name, len, "%s", index_of(dev) == 0 ? "NVIDIA A100-SXM4-40GB" : "Tesla T4");
    return FAKE_SUCCESS;
}

int nvmlDeviceGetPowerUsage(void *dev, unsigned *mw)
{
    int k = index_of(dev);
    if (lost(k))
        return FAKE_ERROR_GPU_IS_LOST;
    advance(k);
    *mw = (unsigned)(true_power_w(k) * (read_num("gpus", 1) == 1 ? 0.8 : 1.0) * 1000.0);
    return FAKE_SUCCESS;
}

int nvmlDeviceGetTotalEnergyConsumption(void *dev, unsigned long long *mj)
{
    int k = index_of(dev);
    if (read_num("gpus", 1) != 1)
        return FAKE_ERROR_NOT_SUPPORTED;
    if (lost(k))
        return FAKE_ERROR_GPU_IS_LOST;
    advance(k);
    *mj = (unsigned long long)energy_mj[k];
    return FAKE_SUCCESS;
}

int nvmlDeviceGetUtilizationRates(void *dev, fake_util *u)
{
    int k = index_of(dev);
    if (lost(k))
        return FAKE_ERROR_GPU_IS_LOST;
    u->gpu = k == 0 && exists("busy") ? 99 : 0;
    u->memory = 0;
    return FAKE_SUCCESS;
}

int nvmlDeviceGetMemoryInfo(void *dev, fake_memory *m)
{
    if (lost(index_of(dev)))
        return FAKE_ERROR_GPU_IS_LOST;
    m->total = 40000000000ULL;
    m->used = 1000000000ULL;
    m->free = m->total - m->used;
    return FAKE_SUCCESS;
}

int nvmlDeviceGetComputeRunningProcesses_v3(void *dev, unsigned *count, fake_process *p)
{
    int k = index_of(dev);
    long pid = k == 0 ? read_num("pid0", 0) : 1;
    if (lost(k))
        return FAKE_ERROR_GPU_IS_LOST;
    if (pid <= 0 || *count < 1) {
        *count = 0;
        return FAKE_SUCCESS;
    }
    memset(p, 0, sizeof *p);
    p->pid = (unsigned)pid;
    p->used_gpu_memory = 1000000000ULL;
    *count = 1;
    return FAKE_SUCCESS;
}
