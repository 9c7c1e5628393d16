/* ecoest run: what a command's process tree (or the user, or the Slurm job)
 * uses: CPU seconds and memory, read from a cgroup v2 or from /proc, and the
 * CPU package energy from RAPL (powercap). docs/run.md gives the order of
 * the mechanisms and what each needs. */
#ifndef ECOEST_CLI_MONITOR_H
#define ECOEST_CLI_MONITOR_H

#include <stddef.h>
#include <sys/types.h>

typedef enum cli_mon_scope {
    CLI_MON_TREE = 0,  /* the command's process tree (default) */
    CLI_MON_USER = 1,  /* every process of the invoking user (--user) */
    CLI_MON_SLURM = 2  /* the Slurm job's cgroup (--slurm-job) */
} cli_mon_scope;

typedef struct cli_mon cli_mon;

/* One reading. cpu_s: CPU seconds (user + system) so far, cumulative since
   cli_mon_open (never decreasing); mem_gb: memory in use now (< 0 unknown);
   procs: processes seen (0 for a cgroup). */
typedef struct cli_mon_reading {
    double cpu_s;
    double mem_gb;
    unsigned procs;
} cli_mon_reading;

/* Opens a monitor for scope. Returns 0, or -1 with why filled (the Slurm
   job's cgroup not readable, ...). Test hooks: ECOEST_TEST_CGROUP_ROOT (the
   cgroup2 mount), ECOEST_TEST_SELF_CGROUP (this process's cgroup path). */
int cli_mon_open(cli_mon **m, cli_mon_scope scope, char *why, size_t why_size);

/* Tree scope: tries to make a cgroup v2 subtree for the command and to move
   child (stopped before exec) into it; falls back to the /proc walk. Call
   between fork and the child's exec. Other scopes: nothing. */
void cli_mon_attach(cli_mon *m, pid_t child);

/* A child of ecoest that is not part of the command (an nvidia-smi poller):
   excluded from the tree; cpu_s is what it used (from wait4) once reaped,
   to be taken out of the reaped children's total. */
void cli_mon_exclude(cli_mon *m, pid_t pid);
void cli_mon_helper_reaped(cli_mon *m, double cpu_s);

/* Takes a reading. Returns 0, or -1 when nothing could be read. */
int cli_mon_read(cli_mon *m, cli_mon_reading *r);

/* The processes of the last reading (for the GPUs' per-process
   attribution): the cgroup's, or those the last /proc walk counted. */
size_t cli_mon_pids(const cli_mon *m, pid_t *out, size_t max);

/* The cgroup's memory.peak (GB) when there is one and it is readable
   (Linux 5.19+), else -1. */
double cli_mon_peak_gb(const cli_mon *m);

/* How CPU and memory are measured, for the report: "cgroup v2 subtree
   (cpu.stat, memory.current)", "/proc walk of the tree (subreaper), PSS". */
const char *cli_mon_method(const cli_mon *m);

/* Where the memory figures come from, for the report. */
const char *cli_mon_memory_source(const cli_mon *m);

/* Removes the cgroup made for the command (when empty) and frees. NULL ok. */
void cli_mon_free(cli_mon *m);

/* The CPUs this process may run on (affinity), at least 1. */
unsigned cli_mon_cpus(void);

/* RAPL: the package domains under root (normally
   "/sys/class/powercap"; ECOEST_TEST_POWERCAP_ROOT in tests). */
typedef struct cli_rapl cli_rapl;

/* Opens every readable intel-rapl:N (package) domain. Returns 0, or -1 with
   why filled (no powercap, not readable: root-only since Linux 5.10). */
int cli_rapl_open(cli_rapl **r, const char *root, char *why, size_t why_size);
/* Energy of all packages since open, joules, the counters' wraps at
   max_energy_range_uj undone (at most one wrap per reading). Returns 0 or
   -1 (a counter became unreadable). */
int cli_rapl_read(cli_rapl *r, double *joules);
size_t cli_rapl_domains(const cli_rapl *r);
void cli_rapl_free(cli_rapl *r);

/* The wrap rule alone (tested): the increase from prev_uj to now_uj of a
   counter that wraps at max_uj (max_energy_range_uj). */
double cli_rapl_delta_uj(unsigned long long prev_uj, unsigned long long now_uj,
                         unsigned long long max_uj);

#endif
