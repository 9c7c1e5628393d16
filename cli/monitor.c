/* ecoest run: CPU seconds and memory of a process tree, a user or a Slurm
 * job; RAPL package energy. Linux only. docs/run.md explains the order:
 *   tree:  a cgroup v2 subtree made for the command, when the cgroup2
 *          hierarchy lets us make one and move the child into it (exact: the
 *          kernel counts every descendant, dead or daemonized);
 *          otherwise ecoest is the tree's child subreaper
 *          (PR_SET_CHILD_SUBREAPER: orphans are reparented to it, not to
 *          init) and the tree is found by a /proc walk: the CPU of the live
 *          descendants (their own and their waited-for children's) plus what
 *          ecoest reaped (getrusage RUSAGE_CHILDREN).
 *   user:  every process of the invoking user, by a /proc walk (per-process
 *          increases; a process that ends between two samples loses the
 *          time since the last one).
 *   slurm: the job's cgroup v2 (cpu.stat usage_usec, memory.current). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "monitor.h"

#define EXCLUDED_MAX 8

typedef struct proc_ent {
    pid_t pid, ppid;
    unsigned long long ticks;      /* utime + stime */
    unsigned long long child_ticks; /* cutime + cstime */
    unsigned long long start_ticks; /* since boot */
    unsigned long rss_pages;
    int in_tree;
    double mem_bytes;        /* PSS (or RSS) when read, < 0 not read */
} proc_ent;

struct cli_mon {
    cli_mon_scope scope;
    pid_t self;
    uid_t uid;
    long hz, page;
    char cgroup[PATH_MAX]; /* the cgroup read (made, or the Slurm job's), or "" */
    int cgroup_made;
    int have_mem_current;
    double cpu_base_s;     /* the cgroup's or the user's CPU at open */
    double last_cpu_s;     /* readings never decrease */
    double helpers_s;      /* CPU of reaped helper children */
    pid_t excluded[EXCLUDED_MAX];
    size_t n_excluded;
    int pss;               /* smaps_rollup readable (for the last process tried) */
    unsigned long long open_ticks; /* boot-relative time at open (user view) */
    /* the /proc table, kept between readings (no allocation per sample once
       it is big enough) */
    proc_ent *cur, *prev;
    size_t n_cur, n_prev, cap;
    double user_acc_ticks;
    char method[160];
};

unsigned cli_mon_cpus(void)
{
    cpu_set_t set;
    int n;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && (n = CPU_COUNT(&set)) > 0)
        return (unsigned)n;
    n = (int)sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

/* Reads a small file into buf (NUL-terminated). Returns bytes or -1. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    ssize_t n, got = 0;
    if (fd < 0)
        return -1;
    while ((size_t)got < size - 1 && (n = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
        got += n;
    close(fd);
    buf[got] = '\0';
    return got;
}

static int write_small(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n;
    if (fd < 0)
        return -1;
    n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The cgroup2 mount point, from /proc/self/mountinfo. */
static int cgroup2_mount(char *out, size_t size)
{
    FILE *f;
    char line[4096];
    int found = 0;
    const char *test = getenv("ECOEST_TEST_CGROUP_ROOT");
    if (test && *test) {
        snprintf(out, size, "%s", test);
        return 0;
    }
    f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return -1;
    while (!found && fgets(line, sizeof line, f)) {
        char *dash = strstr(line, " - cgroup2 ");
        char *p = line;
        int field;
        if (!dash)
            continue;
        for (field = 0; field < 4 && p; field++) {
            p = strchr(p, ' ');
            if (p)
                p++;
        }
        if (p) {
            size_t n = strcspn(p, " ");
            if (n < size) {
                memcpy(out, p, n);
                out[n] = '\0';
                found = 1;
            }
        }
    }
    fclose(f);
    return found ? 0 : -1;
}

/* This process's cgroup v2 path ("0::/path" of /proc/self/cgroup). */
static int own_cgroup2(char *out, size_t size)
{
    char buf[8192], *p;
    const char *test = getenv("ECOEST_TEST_SELF_CGROUP");
    if (test && *test) {
        snprintf(out, size, "%s", test);
        return 0;
    }
    if (read_small(AT_FDCWD, "/proc/self/cgroup", buf, sizeof buf) < 0)
        return -1;
    for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, "0::", 3) == 0) {
            size_t n = strcspn(p + 3, "\n");
            if (n >= size)
                return -1;
            memcpy(out, p + 3, n);
            out[n] = '\0';
            return 0;
        }
    }
    return -1;
}

static int cgroup_cpu_s(const char *dir, double *cpu_s)
{
    char path[PATH_MAX + 16], buf[2048], *p;
    snprintf(path, sizeof path, "%s/cpu.stat", dir);
    if (read_small(AT_FDCWD, path, buf, sizeof buf) < 0)
        return -1;
    p = strstr(buf, "usage_usec ");
    if (!p)
        return -1;
    *cpu_s = strtod(p + 11, NULL) / 1e6;
    return 0;
}

static int cgroup_mem_gb(const char *dir, double *gb)
{
    char path[PATH_MAX + 20], buf[64];
    snprintf(path, sizeof path, "%s/memory.current", dir);
    if (read_small(AT_FDCWD, path, buf, sizeof buf) <= 0)
        return -1;
    *gb = strtod(buf, NULL) / 1e9;
    return 0;
}

/* Parses /proc/PID/stat (comm may hold spaces and parentheses). */
static int parse_stat(const char *buf, proc_ent *e)
{
    const char *p = strrchr(buf, ')');
    unsigned long long v[22];
    int i;
    char *end;
    if (!p || p[1] != ' ')
        return -1;
    p += 4; /* ") S " : state skipped */
    /* fields 4 (ppid) .. 24 (rss), 1-based as in proc(5) */
    for (i = 0; i < 21; i++) {
        v[i] = strtoull(p, &end, 10);
        if (end == p)
            return -1;
        p = end;
    }
    e->ppid = (pid_t)v[0];        /* field 4 */
    e->ticks = v[10] + v[11];     /* 14 utime, 15 stime */
    e->child_ticks = v[12] + v[13]; /* 16 cutime, 17 cstime */
    e->start_ticks = v[18];       /* 22 starttime */
    e->rss_pages = (unsigned long)v[20]; /* 24 rss */
    return 0;
}

static int excluded(const cli_mon *m, pid_t pid)
{
    size_t i;
    for (i = 0; i < m->n_excluded; i++)
        if (m->excluded[i] == pid)
            return 1;
    return 0;
}

/* Memory of one process: PSS from smaps_rollup when readable, else RSS. */
static double proc_mem_bytes(cli_mon *m, int procfd, const char *pid, unsigned long rss_pages)
{
    char path[64], buf[2048], *p;
    snprintf(path, sizeof path, "%s/smaps_rollup", pid);
    if (m->pss && read_small(procfd, path, buf, sizeof buf) > 0 &&
        (p = strstr(buf, "\nPss:")) != NULL)
        return strtod(p + 5, NULL) * 1024.0;
    if (m->pss && errno == EACCES)
        m->pss = 0; /* not ours to read: RSS from now on */
    return (double)rss_pages * (double)m->page;
}

static int cmp_pid(const void *a, const void *b)
{
    const proc_ent *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Reads /proc into m->cur: every process (tree scope), or the user's. */
static int scan_proc(cli_mon *m)
{
    DIR *d = opendir("/proc");
    struct dirent *de;
    int procfd;
    if (!d)
        return -1;
    procfd = dirfd(d);
    m->n_cur = 0;
    while ((de = readdir(d)) != NULL) {
        char path[64], buf[1024];
        proc_ent e;
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0 || (pid_t)pid == m->self)
            continue;
        if (m->scope == CLI_MON_USER) {
            struct stat st;
            if (fstatat(procfd, de->d_name, &st, 0) != 0 || st.st_uid != m->uid)
                continue;
        }
        snprintf(path, sizeof path, "%s/stat", de->d_name);
        if (read_small(procfd, path, buf, sizeof buf) <= 0 || parse_stat(buf, &e))
            continue; /* gone meanwhile */
        e.pid = (pid_t)pid;
        e.in_tree = 0;
        e.mem_bytes = -1.0;
        if (m->n_cur == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 256;
            proc_ent *a = realloc(m->cur, cap * sizeof *a), *b;
            if (!a) {
                closedir(d);
                return -1;
            }
            m->cur = a;
            b = realloc(m->prev, cap * sizeof *b);
            if (!b) {
                closedir(d);
                return -1;
            }
            m->prev = b;
            m->cap = cap;
        }
        m->cur[m->n_cur++] = e;
    }
    closedir(d);
    qsort(m->cur, m->n_cur, sizeof *m->cur, cmp_pid);
    return 0;
}

static proc_ent *find_pid(proc_ent *a, size_t n, pid_t pid)
{
    proc_ent key;
    key.pid = pid;
    return bsearch(&key, a, n, sizeof *a, cmp_pid);
}

/* Marks the descendants of m->self (helpers excluded). */
static void mark_tree(cli_mon *m)
{
    int changed = 1;
    while (changed) {
        size_t i;
        changed = 0;
        for (i = 0; i < m->n_cur; i++) {
            proc_ent *e = &m->cur[i], *p;
            if (e->in_tree || excluded(m, e->pid))
                continue;
            if (e->ppid == m->self)
                e->in_tree = 1;
            else if ((p = find_pid(m->cur, m->n_cur, e->ppid)) != NULL && p->in_tree)
                e->in_tree = 1;
            changed |= e->in_tree;
        }
    }
}

/* The memory of the marked processes. A process's PSS is read again only
   when its RSS changed since the last reading (smaps_rollup walks the page
   tables: the costliest read of a sample); an idle process costs nothing. */
static double mem_of_marked(cli_mon *m, unsigned *procs)
{
    DIR *d = NULL;
    double bytes = 0.0;
    size_t i;
    *procs = 0;
    for (i = 0; i < m->n_cur; i++) {
        proc_ent *e = &m->cur[i], *p;
        char pid[24];
        if (!e->in_tree)
            continue;
        (*procs)++;
        p = find_pid(m->prev, m->n_prev, e->pid);
        if (p && p->mem_bytes >= 0.0 && p->start_ticks == e->start_ticks &&
            p->rss_pages == e->rss_pages) {
            e->mem_bytes = p->mem_bytes;
        } else {
            if (!d && !(d = opendir("/proc")))
                return -1.0;
            snprintf(pid, sizeof pid, "%d", (int)e->pid);
            e->mem_bytes = proc_mem_bytes(m, dirfd(d), pid, e->rss_pages);
        }
        bytes += e->mem_bytes;
    }
    if (d)
        closedir(d);
    return bytes / 1e9;
}

/* The reading is done: its table becomes the previous one. */
static void swap_tables(cli_mon *m)
{
    proc_ent *t = m->prev;
    m->prev = m->cur;
    m->cur = t;
    m->n_prev = m->n_cur;
}

static double reaped_children_s(const cli_mon *m)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return 0.0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6 - m->helpers_s;
}

static int read_tree(cli_mon *m, cli_mon_reading *r)
{
    size_t i;
    unsigned long long ticks = 0;
    double reaped = reaped_children_s(m); /* before the walk: see the header */
    if (scan_proc(m))
        return -1;
    mark_tree(m);
    for (i = 0; i < m->n_cur; i++)
        if (m->cur[i].in_tree)
            ticks += m->cur[i].ticks + m->cur[i].child_ticks;
    r->cpu_s = reaped + (double)ticks / (double)m->hz;
    r->mem_gb = mem_of_marked(m, &r->procs);
    swap_tables(m);
    return 0;
}

static int read_user(cli_mon *m, cli_mon_reading *r)
{
    size_t i;
    if (scan_proc(m))
        return -1;
    for (i = 0; i < m->n_cur; i++) {
        proc_ent *e = &m->cur[i], *p = find_pid(m->prev, m->n_prev, e->pid);
        e->in_tree = !excluded(m, e->pid);
        if (!e->in_tree)
            continue;
        if (p && p->start_ticks == e->start_ticks) {
            if (e->ticks > p->ticks)
                m->user_acc_ticks += (double)(e->ticks - p->ticks);
        } else if (!p && m->n_prev && e->start_ticks >= m->open_ticks) {
            m->user_acc_ticks += (double)e->ticks; /* started since the last reading */
        }
    }
    r->cpu_s = m->user_acc_ticks / (double)m->hz;
    r->mem_gb = mem_of_marked(m, &r->procs);
    swap_tables(m);
    return 0;
}

/* Boot-relative now in clock ticks (for process start times). */
static unsigned long long boot_ticks(long hz)
{
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (unsigned long long)ts.tv_sec * (unsigned long long)hz +
           (unsigned long long)(ts.tv_nsec / (1000000000L / hz));
}

/* The Slurm job's cgroup: our cgroup cut after its "job_N" component. */
static int slurm_cgroup(char *out, size_t size, char *why, size_t why_size)
{
    char mnt[PATH_MAX], own[PATH_MAX], *job, *end;
    if (cgroup2_mount(mnt, sizeof mnt) || own_cgroup2(own, sizeof own)) {
        snprintf(why, why_size, "--slurm-job: no cgroup v2 hierarchy (cgroup v1 Slurm "
                 "is not read)");
        return -1;
    }
    job = strstr(own, "/job_");
    if (!job) {
        snprintf(why, why_size, "--slurm-job: this process's cgroup (%s) is not a Slurm "
                 "job's (no job_N in it)", own);
        return -1;
    }
    end = strchr(job + 1, '/');
    if (end)
        *end = '\0';
    if ((size_t)snprintf(out, size, "%s%s", mnt, own) >= size)
        return -1;
    return 0;
}

int cli_mon_open(cli_mon **out, cli_mon_scope scope, char *why, size_t why_size)
{
    cli_mon *m = calloc(1, sizeof *m);
    *out = NULL;
    why[0] = '\0';
    if (!m) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    m->scope = scope;
    m->self = getpid();
    m->uid = getuid();
    m->hz = sysconf(_SC_CLK_TCK);
    m->page = sysconf(_SC_PAGESIZE);
    if (m->hz <= 0)
        m->hz = 100;
    if (m->page <= 0)
        m->page = 4096;
    m->pss = 1;
    m->open_ticks = boot_ticks(m->hz);
    if (scope == CLI_MON_SLURM) {
        double mem;
        if (slurm_cgroup(m->cgroup, sizeof m->cgroup, why, why_size) ||
            cgroup_cpu_s(m->cgroup, &m->cpu_base_s)) {
            if (!why[0])
                snprintf(why, why_size, "--slurm-job: %s/cpu.stat is not readable", m->cgroup);
            free(m);
            return -1;
        }
        m->have_mem_current = cgroup_mem_gb(m->cgroup, &mem) == 0;
        snprintf(m->method, sizeof m->method, "the Slurm job's cgroup v2 %s (cpu.stat%s)",
                 m->cgroup, m->have_mem_current ? ", memory.current" : "");
    } else if (scope == CLI_MON_USER) {
        cli_mon_reading r;
        snprintf(m->method, sizeof m->method, "/proc walk of every process of uid %u",
                 (unsigned)m->uid);
        read_user(m, &r); /* the baseline */
        m->user_acc_ticks = 0.0;
    } else {
        /* orphans of the tree come to us, not to init: still counted */
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
            snprintf(m->method, sizeof m->method, "/proc walk of the tree (no subreaper: "
                     "daemonized children are lost)");
        else
            snprintf(m->method, sizeof m->method, "/proc walk of the tree (subreaper)");
    }
    *out = m;
    return 0;
}

/* Removes the empty cgroups of monitors that were killed (their pid is
   gone); one with processes left in it stays (rmdir refuses). */
static void remove_stale(const char *parent)
{
    DIR *d = opendir(parent);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        char *end, path[PATH_MAX];
        long pid;
        if (strncmp(de->d_name, "ecoest-run.", 11) != 0)
            continue;
        pid = strtol(de->d_name + 11, &end, 10);
        if (*end || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s%s", parent, de->d_name) < sizeof path)
            rmdir(path);
    }
    closedir(d);
}

void cli_mon_attach(cli_mon *m, pid_t child)
{
    char mnt[PATH_MAX], own[PATH_MAX], dir[PATH_MAX], path[PATH_MAX + 16], pid[24];
    double mem;
    if (!m || m->scope != CLI_MON_TREE)
        return;
    if (getenv("ECOEST_TEST_NO_CGROUP") && strcmp(getenv("ECOEST_TEST_NO_CGROUP"), "1") == 0)
        return; /* tests: the /proc walk path */
    if (cgroup2_mount(mnt, sizeof mnt) || own_cgroup2(own, sizeof own))
        return;
    if ((size_t)snprintf(dir, sizeof dir, "%s%s%s", mnt, own,
                         own[strlen(own) - 1] == '/' ? "" : "/") >= sizeof dir - 32)
        return;
    remove_stale(dir);
    snprintf(dir + strlen(dir), sizeof dir - strlen(dir), "ecoest-run.%d", (int)m->self);
    if (mkdir(dir, 0755) != 0)
        return;
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    snprintf(pid, sizeof pid, "%d", (int)child);
    if (write_small(path, pid) != 0 || cgroup_cpu_s(dir, &m->cpu_base_s) != 0) {
        rmdir(dir);
        return;
    }
    snprintf(m->cgroup, sizeof m->cgroup, "%s", dir);
    m->cgroup_made = 1;
    m->have_mem_current = cgroup_mem_gb(dir, &mem) == 0;
    snprintf(m->method, sizeof m->method, "a cgroup v2 subtree made for the command "
             "(cpu.stat%s)", m->have_mem_current ? ", memory.current" : "; memory: /proc walk");
}

void cli_mon_exclude(cli_mon *m, pid_t pid)
{
    if (m && m->n_excluded < EXCLUDED_MAX)
        m->excluded[m->n_excluded++] = pid;
}

void cli_mon_helper_reaped(cli_mon *m, double cpu_s)
{
    if (m)
        m->helpers_s += cpu_s;
}

/* Memory of a cgroup whose memory controller is off: its processes' PSS. */
static double cgroup_procs_mem(cli_mon *m, unsigned *procs)
{
    char path[PATH_MAX + 16];
    FILE *f;
    long pid;
    snprintf(path, sizeof path, "%s/cgroup.procs", m->cgroup);
    if (scan_proc(m) || !(f = fopen(path, "re")))
        return -1.0;
    while (fscanf(f, "%ld", &pid) == 1) {
        proc_ent *e = find_pid(m->cur, m->n_cur, (pid_t)pid);
        if (e)
            e->in_tree = 1;
    }
    fclose(f);
    {
        double gb = mem_of_marked(m, procs);
        swap_tables(m);
        return gb;
    }
}

int cli_mon_read(cli_mon *m, cli_mon_reading *r)
{
    int rc;
    r->procs = 0;
    r->mem_gb = -1.0;
    if (m->cgroup[0]) {
        double cpu;
        rc = cgroup_cpu_s(m->cgroup, &cpu);
        if (rc == 0)
            r->cpu_s = cpu - m->cpu_base_s;
        if (!m->have_mem_current || cgroup_mem_gb(m->cgroup, &r->mem_gb) != 0)
            r->mem_gb = cgroup_procs_mem(m, &r->procs);
    } else if (m->scope == CLI_MON_USER) {
        rc = read_user(m, r);
    } else {
        rc = read_tree(m, r);
    }
    if (rc)
        return -1;
    if (r->cpu_s < m->last_cpu_s)
        r->cpu_s = m->last_cpu_s; /* a process reaped between two reads */
    m->last_cpu_s = r->cpu_s;
    return 0;
}

double cli_mon_peak_gb(const cli_mon *m)
{
    char path[PATH_MAX + 20], buf[64];
    if (!m->cgroup[0])
        return -1.0;
    snprintf(path, sizeof path, "%s/memory.peak", m->cgroup);
    if (read_small(AT_FDCWD, path, buf, sizeof buf) <= 0)
        return -1.0;
    return strtod(buf, NULL) / 1e9;
}

size_t cli_mon_pids(const cli_mon *m, pid_t *out, size_t max)
{
    /* the processes of the last reading (its table was swapped to prev) */
    const proc_ent *a = m->prev;
    size_t n = m->n_prev, i, k = 0;
    if (m->cgroup[0]) {
        char path[PATH_MAX + 16];
        FILE *f;
        long pid;
        snprintf(path, sizeof path, "%s/cgroup.procs", m->cgroup);
        if (!(f = fopen(path, "re")))
            return 0;
        while (k < max && fscanf(f, "%ld", &pid) == 1)
            out[k++] = (pid_t)pid;
        fclose(f);
        return k;
    }
    for (i = 0; i < n && k < max; i++)
        if (a[i].in_tree)
            out[k++] = a[i].pid;
    return k;
}

const char *cli_mon_memory_source(const cli_mon *m)
{
    if (m->cgroup[0] && m->have_mem_current)
        return "the cgroup's memory.current";
    return m->pss ? "the processes' PSS (smaps_rollup)"
                  : "the processes' RSS (smaps_rollup not readable: shared pages counted in full)";
}

const char *cli_mon_method(const cli_mon *m)
{
    return m->method;
}

void cli_mon_free(cli_mon *m)
{
    if (!m)
        return;
    if (m->cgroup_made)
        rmdir(m->cgroup); /* fails while daemons live on in it: left for them */
    free(m->cur);
    free(m->prev);
    free(m);
}

/* ------------------------------------------------------------------------ */
/* RAPL                                                                      */
/* ------------------------------------------------------------------------ */

#define RAPL_MAX 16

struct cli_rapl {
    size_t n;
    char path[RAPL_MAX][PATH_MAX];
    unsigned long long max_uj[RAPL_MAX], last_uj[RAPL_MAX];
    double total_uj;
};

double cli_rapl_delta_uj(unsigned long long prev_uj, unsigned long long now_uj,
                         unsigned long long max_uj)
{
    if (now_uj >= prev_uj)
        return (double)(now_uj - prev_uj);
    /* wrapped: from prev up to the range's end, then from 0 to now */
    if (max_uj >= prev_uj)
        return (double)(max_uj - prev_uj) + (double)now_uj;
    return (double)now_uj;
}

static int read_ull(const char *path, unsigned long long *v)
{
    char buf[64], *end;
    if (read_small(AT_FDCWD, path, buf, sizeof buf) <= 0)
        return -1;
    errno = 0;
    *v = strtoull(buf, &end, 10);
    return errno || end == buf ? -1 : 0;
}

int cli_rapl_open(cli_rapl **out, const char *root, char *why, size_t why_size)
{
    cli_rapl *r;
    DIR *d;
    struct dirent *de;
    int unreadable = 0;
    *out = NULL;
    d = opendir(root);
    if (!d) {
        snprintf(why, why_size, "no RAPL: %s not found", root);
        return -1;
    }
    r = calloc(1, sizeof *r);
    if (!r) {
        closedir(d);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    while ((de = readdir(d)) != NULL && r->n < RAPL_MAX) {
        char p[PATH_MAX], q[PATH_MAX + 32];
        unsigned long long v, max;
        /* packages only: intel-rapl:N, not the sub-domains intel-rapl:N:M */
        if (strncmp(de->d_name, "intel-rapl:", 11) != 0 || strchr(de->d_name + 11, ':'))
            continue;
        snprintf(p, sizeof p, "%s/%s", root, de->d_name);
        snprintf(q, sizeof q, "%s/max_energy_range_uj", p);
        if (read_ull(q, &max))
            max = 0;
        snprintf(q, sizeof q, "%s/energy_uj", p);
        if (read_ull(q, &v)) {
            unreadable = 1;
            continue;
        }
        snprintf(r->path[r->n], sizeof r->path[0], "%s", q);
        r->max_uj[r->n] = max;
        r->last_uj[r->n] = v;
        r->n++;
    }
    closedir(d);
    if (!r->n) {
        snprintf(why, why_size, unreadable ? "no RAPL: %s/intel-rapl:*/energy_uj is not "
                 "readable (root only since Linux 5.10)" : "no RAPL package domain under %s",
                 root);
        free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int cli_rapl_read(cli_rapl *r, double *joules)
{
    size_t i;
    for (i = 0; i < r->n; i++) {
        unsigned long long v;
        if (read_ull(r->path[i], &v))
            return -1;
        r->total_uj += cli_rapl_delta_uj(r->last_uj[i], v, r->max_uj[i]);
        r->last_uj[i] = v;
    }
    *joules = r->total_uj / 1e6;
    return 0;
}

size_t cli_rapl_domains(const cli_rapl *r)
{
    return r ? r->n : 0;
}

void cli_rapl_free(cli_rapl *r)
{
    free(r);
}
