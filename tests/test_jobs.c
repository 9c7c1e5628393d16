/* The jobs module: the sacct reader, the cluster file, per-job accounting
 * and the groups. Rows are written as Slurm 22.05's sacct --parsable2 prints
 * them (tests/fixtures/sacct/ holds real captures from a local cluster).
 * Expected values are worked out by hand in the comments. */
#include <unistd.h>

#include "ecoest/jobs.h"
#include "test_util.h"

#define JOBS_MAX 64
typedef struct got {
    size_t n;
    est_job j[JOBS_MAX];
} got;

static int collect(void *user, const est_job *job)
{
    got *g = user;
    if (g->n < JOBS_MAX)
        g->j[g->n] = *job;
    g->n++;
    return 0;
}

/* Reads text with options (NULL: defaults); returns the code. */
static int read_text(const char *text, const est_jobs_read_options *o, got *g,
                     est_jobs_read_stats *st, est_error *e)
{
    est_jobs_reader *r = NULL;
    int rc;
    memset(g, 0, sizeof *g);
    assert_int_equal(est_jobs_reader_open(&r, o, e), 0);
    rc = est_jobs_read_buffer(r, text, strlen(text), "t.txt", collect, g, e);
    if (st)
        est_jobs_reader_stats(st, r);
    est_jobs_reader_free(r);
    return rc;
}

static char *fixture(const char *name)
{
    char path[4096];
    char *t;
    snprintf(path, sizeof path, "%s/tests/fixtures/sacct/%s", getenv("ECOEST_SOURCE_DIR"), name);
    t = test_read_file(path, NULL);
    if (!t)
        fail_msg("cannot read %s", path);
    return t;
}

/* ------------------------------------------------------------ the reader */

static void test_jobs_ga4hpc_columns_capture(void **state)
{
    char *t = fixture("slurm22_ga4hpc_format.txt");
    got g;
    est_jobs_read_stats st;
    est_error e;
    (void)state;
    assert_int_equal(read_text(t, NULL, &g, &st, &e), 0);
    free(t);
    /* 11 allocation rows (1..9, 7_1..7_3; no 7 itself), 14 step rows */
    assert_int_equal(g.n, 11);
    assert_int_equal(st.rows, 25);
    assert_int_equal(st.steps, 14);
    assert_int_equal(st.no_start_column, 1);
    /* job 1: cpu_ok, 2 CPUs for 00:00:20, TotalCPU 00:39.130 */
    assert_string_equal(g.j[0].id, "1");
    assert_string_equal(g.j[0].user, "root");
    assert_string_equal(g.j[0].partition, "debug");
    assert_int_equal(g.j[0].state, EST_JOBS_STATE_COMPLETED);
    assert_int_equal(g.j[0].ncpus, 2);
    assert_close(g.j[0].elapsed_s, 20.0, 1e-12);
    assert_close(g.j[0].total_cpu_s, 39.13, 1e-12);
    /* AllocTRES mem=200M: 200 x 1048576 = 209715200 B = 0.2097152 GB */
    assert_close(g.j[0].req_mem_gb, 0.2097152, 1e-12);
    /* 1.batch MaxRSS 8440K: 8440 x 1024 = 8642560 B */
    assert_close(g.j[0].max_rss_gb, 0.00864256, 1e-12);
    /* no Start column: Submit 2026-12-03T16:49:45 stands in.
       days(2026-12-03) = 20790 -> 20790 x 86400 + 16 x 3600 + 49 x 60 + 45 */
    assert_close(g.j[0].start_unix_s, 20790.0 * 86400.0 + 57600.0 + 2940.0 + 45.0, 1e-15);
    /* job 4: "CANCELLED by 0" */
    assert_string_equal(g.j[3].id, "4");
    assert_int_equal(g.j[3].state, EST_JOBS_STATE_CANCELLED);
    /* job 5: 4 steps; MaxRSS the largest (5.batch 10588K) */
    assert_string_equal(g.j[4].id, "5");
    assert_int_equal(g.j[4].n_steps, 4);
    assert_close(g.j[4].max_rss_gb, 10588.0 * 1024.0 / 1e9, 1e-12);
    assert_close(g.j[4].total_cpu_s, 5.133, 1e-12);
    /* job 6: gres/gpu=1, mem=300M */
    assert_int_equal(g.j[5].gpus, 1);
    assert_close(g.j[5].req_mem_gb, 300.0 * 1048576.0 / 1e9, 1e-12);
    /* job 2 failed at once: no MaxRSS anywhere */
    assert_true(g.j[1].max_rss_gb == EST_UNSET);
    assert_int_equal(g.j[1].state, EST_JOBS_STATE_FAILED);
    /* the array tasks stay separate jobs */
    assert_string_equal(g.j[8].id, "7_1");
    assert_string_equal(g.j[10].id, "7_3");
    assert_string_equal(g.j[7].user, "nobody");
    assert_string_equal(g.j[7].account, "ci");
}

static void test_jobs_rich_columns_capture(void **state)
{
    char *t = fixture("slurm22_parsable2.txt");
    got g;
    est_jobs_read_stats st;
    est_error e;
    (void)state;
    assert_int_equal(read_text(t, NULL, &g, &st, &e), 0);
    free(t);
    assert_int_equal(g.n, 11);
    assert_int_equal(st.no_start_column, 0);
    assert_int_equal(st.has_energy_column, 1);
    /* job 1 ran 16:49:47 .. 16:50:07 */
    assert_true(g.j[0].has_start && g.j[0].has_end);
    assert_close(g.j[0].end_unix_s - g.j[0].start_unix_s, 20.0, 1e-12);
    /* empty ConsumedEnergyRaw: not measured */
    assert_true(g.j[0].energy_j == EST_UNSET);
    assert_int_equal(g.j[2].state, EST_JOBS_STATE_TIMEOUT);
    assert_close(g.j[2].elapsed_s, 60.0, 1e-12);
}

static void test_jobs_columns_in_any_order_missing_named_once(void **state)
{
    got g;
    est_error e;
    (void)state;
    assert_int_equal(read_text("State|NCPUS|JobID|TotalCPU|Elapsed|ReqMem\n"
                               "COMPLETED|4|77|01:00:00|00:30:00|4G\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.j[0].id, "77");
    /* ReqMem 4G per node, 1 node: 4 x 2^30 = 4294967296 B */
    assert_close(g.j[0].req_mem_gb, 4.294967296, 1e-12);
    assert_int_equal(read_text("JobID|State|User\n1|COMPLETED|a\n", NULL, &g, NULL, &e),
                     EST_EPARSE);
    assert_non_null(strstr(e.message, "Elapsed, NCPUS, TotalCPU, ReqMem or AllocTRES"));
    assert_non_null(strstr(e.message, "t.txt:1"));
    assert_int_equal(read_text("", NULL, &g, NULL, &e), EST_ENODATA);
}

static void test_jobs_steps_give_cpu_when_allocation_says_zero(void **state)
{
    got g;
    est_error e;
    (void)state;
    /* TotalCPU 0 on the allocation row: the steps' 00:10.500 + 1:00.250 */
    assert_int_equal(read_text("JobID|State|Elapsed|NCPUS|TotalCPU|MaxRSS|AllocTRES\n"
                               "9|COMPLETED|00:01:00|2|00:00:00||cpu=2,mem=1G,node=1\n"
                               "9.batch|COMPLETED|00:01:00|2|00:10.500|2M|cpu=2,mem=1G,node=1\n"
                               "9.0|COMPLETED|00:01:00|2|01:00.250|3G|cpu=2,mem=1G,node=1\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 1);
    assert_close(g.j[0].total_cpu_s, 70.75, 1e-12);
    assert_close(g.j[0].max_rss_gb, 3.0 * 1073741824.0 / 1e9, 1e-12);
}

static void test_jobs_arrays_het_pending_multinode(void **state)
{
    got g;
    est_jobs_read_stats st;
    est_error e;
    (void)state;
    assert_int_equal(
        read_text("JobID|State|Elapsed|NCPUS|NNodes|TotalCPU|ReqMem\n"
                  "123_4|COMPLETED|00:10:00|1|1|00:05:00|1G\n"
                  "123_4.batch|COMPLETED|00:10:00|1|1|00:05:00|\n"
                  "123_[5-9]|PENDING|00:00:00|1|1|00:00:00|1G\n"
                  "200+0|COMPLETED|00:10:00|4|1|00:20:00|2G\n"
                  "200+0.0|COMPLETED|00:10:00|4|1|00:20:00|\n"
                  "200+1|COMPLETED|00:10:00|64|2|01:00:00|100Gn\n"
                  "200+1.0|COMPLETED|00:10:00|64|2|01:00:00|\n",
                  NULL, &g, &st, &e), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(st.pending, 1);
    assert_string_equal(g.j[0].id, "123_4");
    assert_string_equal(g.j[1].id, "200+0");
    assert_string_equal(g.j[2].id, "200+1");
    assert_int_equal(g.j[2].nnodes, 2);
    /* 100Gn on 2 nodes: 200 x 2^30 B */
    assert_close(g.j[2].req_mem_gb, 200.0 * 1073741824.0 / 1e9, 1e-12);
}

static void test_jobs_durations_sizes_reqmem_forms(void **state)
{
    got g;
    est_error e;
    (void)state;
    assert_int_equal(
        read_text("JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem|MaxRSS\n"
                  "1|COMPLETED|1-02:03:04|4|12:34|6760Mc|1.5G\n"
                  "2|COMPLETED|00:00:05|2|00:00:03.500|250Gn|2048\n"
                  "3|COMPLETED|10:00:00|1|00:00:00|4000M|0\n",
                  NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 3);
    /* 1 d 2 h 3 min 4 s = 86400 + 7200 + 180 + 4 = 93784 s; 12:34 = 754 s */
    assert_close(g.j[0].elapsed_s, 93784.0, 1e-12);
    assert_close(g.j[0].total_cpu_s, 754.0, 1e-12);
    /* 6760Mc x 4 CPUs: 6760 x 1048576 = 7088373760 B, x 4 = 28353495040 B */
    assert_close(g.j[0].req_mem_gb, 28.35349504, 1e-12);
    /* 1.5G = 1.5 x 2^30 = 1610612736 B */
    assert_close(g.j[0].max_rss_gb, 1.610612736, 1e-12);
    assert_close(g.j[1].total_cpu_s, 3.5, 1e-12);
    /* 250Gn x 1 node = 268435456000 B; a bare MaxRSS is in K: 2048 K = 2097152 B */
    assert_close(g.j[1].req_mem_gb, 268.435456, 1e-12);
    assert_close(g.j[1].max_rss_gb, 0.002097152, 1e-12);
    /* 4000M = 4194304000 B */
    assert_close(g.j[2].req_mem_gb, 4.194304, 1e-12);
}

static void test_jobs_gpus_typed_untyped_and_gpuutil(void **state)
{
    got g;
    est_error e;
    (void)state;
    assert_int_equal(
        read_text("JobID|State|Elapsed|NCPUS|TotalCPU|AllocTRES|TRESUsageInTot\n"
                  "1|COMPLETED|01:00:00|8|01:00:00|billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=64G,node=1|\n"
                  "1.0|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu:a100=2,gres/gpu=2|cpu=01:00:00,gres/gpumem=100M,gres/gpuutil=150,mem=1G\n"
                  "2|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu:v100=1,gres/gpu:a100=2,mem=8G|\n",
                  NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.j[0].gpus, 2);
    assert_string_equal(g.j[0].gpu_type, "a100");
    /* gpuutil 150 summed over 2 GPUs: 150 / (100 x 2) = 0.75 */
    assert_close(g.j[0].gpu_util_frac, 0.75, 1e-12);
    /* typed only: 1 + 2 */
    assert_int_equal(g.j[1].gpus, 3);
    assert_true(g.j[1].gpu_util_frac == EST_UNSET);
    /* mem=64G */
    assert_close(g.j[0].req_mem_gb, 64.0 * 1073741824.0 / 1e9, 1e-12);
    /* TRESUsageInAve's gpuutil is per GPU already: 40 on 2 GPUs is 0.4, not
       40 / (100 x 2) = 0.2; beside a Tot figure (job 4: Tot 150 over 2 GPUs
       would be 0.75) Ave wins, and the largest Ave over the steps counts
       (job 4: 30 then 60: 0.6) */
    assert_int_equal(
        read_text("JobID|State|Elapsed|NCPUS|TotalCPU|AllocTRES|TRESUsageInTot|TRESUsageInAve\n"
                  "3|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu=2,mem=8G||\n"
                  "3.0|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu=2||cpu=01:00:00,gres/gpuutil=40\n"
                  "4|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu=2,mem=8G||\n"
                  "4.0|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu=2|gres/gpuutil=150|gres/gpuutil=30\n"
                  "4.1|COMPLETED|01:00:00|8|01:00:00|cpu=8,gres/gpu=2||gres/gpuutil=60\n",
                  NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 2);
    assert_close(g.j[0].gpu_util_frac, 0.4, 1e-12);
    assert_close(g.j[1].gpu_util_frac, 0.6, 1e-12);
}

static void test_jobs_every_state(void **state)
{
    static const char *const words[] = {
        "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED by 1000", "OUT_OF_MEMORY", "NODE_FAIL",
        "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REQUEUED", "PENDING", "RUNNING",
        "SUSPENDED", "REVOKED", "RESIZING"};
    est_jobs_state s;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        assert_int_equal(est_jobs_state_parse(&s, words[i], strlen(words[i])), 0);
        assert_int_equal((int)s, (int)i);
    }
    assert_int_equal(est_jobs_state_parse(&s, "CANCELLED+", 10), 0);
    assert_int_equal(s, EST_JOBS_STATE_CANCELLED);
    assert_int_equal(est_jobs_state_parse(&s, "CANCELLED by x", 14), EST_EPARSE);
    assert_int_equal(est_jobs_state_parse(&s, "DONE", 4), EST_EPARSE);
}

static void test_jobs_running_counted_or_skipped(void **state)
{
    static const char text[] = "JobID|State|Start|End|Elapsed|NCPUS|TotalCPU|ReqMem\n"
                               "5|RUNNING|2026-01-01T00:00:00|Unknown|00:10:00|1|00:01:00|1G\n"
                               "6|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:01:00|00:01:00|1|00:01:00|1G\n"
                               "7|SUSPENDED|2026-01-01T00:00:00|Unknown|00:20:00|1|00:05:00|1G\n";
    est_jobs_read_options o = EST_JOBS_READ_OPTIONS_INIT;
    est_jobs_read_stats st;
    got g;
    est_error e;
    double t0 = 20454.0 * 86400.0; /* days(2026-01-01) = 20454 */
    (void)state;
    o.now_unix_s = t0 + 3600.0;
    assert_int_equal(read_text(text, &o, &g, &st, &e), 0);
    assert_int_equal(g.n, 3);
    assert_true(g.j[0].running);
    /* counted up to now: one hour since Start */
    assert_close(g.j[0].elapsed_s, 3600.0, 1e-12);
    assert_close(g.j[0].start_unix_s, t0, 1e-15);
    /* SUSPENDED: not finished, but not running now: sacct's Elapsed (20
       min, the time it ran; slurmdbd takes the time suspended out), not the
       hour since Start; its end is Start + 20 min */
    assert_true(g.j[2].running);
    assert_close(g.j[2].elapsed_s, 1200.0, 1e-12);
    assert_close(g.j[2].end_unix_s, t0 + 1200.0, 1e-15);
    assert_int_equal(st.running, 2);
    /* "now" before sacct's Elapsed ran out (a clock behind the file's):
       never less than the 10 min sacct printed */
    o.now_unix_s = t0 + 60.0;
    assert_int_equal(read_text(text, &o, &g, &st, &e), 0);
    assert_close(g.j[0].elapsed_s, 600.0, 1e-12);
    o.now_unix_s = t0 + 3600.0;
    o.running = EST_JOBS_RUNNING_SKIP;
    assert_int_equal(read_text(text, &o, &g, &st, &e), 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(st.running_skipped, 2);
    /* GreenAlgorithms4HPC's method: nothing is "running" (it drops job 5
       in the accounting, a RUNNING row; it counts job 7 as printed, 20
       min), whatever --running says */
    o.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(text, &o, &g, &st, &e), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(st.running, 0);
    assert_int_equal(st.running_skipped, 0);
    assert_false(g.j[0].running);
    assert_close(g.j[0].elapsed_s, 600.0, 1e-12);
    assert_false(g.j[2].running);
    assert_close(g.j[2].elapsed_s, 1200.0, 1e-12);
}

static void test_jobs_bad_row_named_or_skipped(void **state)
{
    static const char text[] = "JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
                               "1|COMPLETED|00:01:00|1|00:01:00|1G\n"
                               "2|COMPLETED|00:01:00|x|00:01:00|1G\n"
                               "3|COMPLETED|00:01:00|1\n"
                               "4|COMPLETED|00:01:00|1|00:01:00|1G\n";
    est_jobs_read_options o = EST_JOBS_READ_OPTIONS_INIT;
    est_jobs_read_stats st;
    got g;
    est_error e;
    (void)state;
    assert_int_equal(read_text(text, NULL, &g, NULL, &e), EST_EPARSE);
    assert_string_equal(e.message, "t.txt:3: column NCPUS: expected a count of CPUs, got \"x\"");
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 4);
    o.skip_bad_rows = 1;
    assert_int_equal(read_text(text, &o, &g, &st, &e), 0);
    assert_int_equal(g.n, 2);
    assert_int_equal(st.bad_rows, 2);
    assert_string_equal(st.first_bad_row,
                        "t.txt:3: column NCPUS: expected a count of CPUs, got \"x\"");
}

static void test_jobs_measured_energy(void **state)
{
    got g;
    est_error e;
    (void)state;
    assert_int_equal(read_text("JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem|ConsumedEnergyRaw\n"
                               "1|COMPLETED|01:00:00|1|01:00:00|1G|7200000\n"
                               "2|COMPLETED|01:00:00|1|01:00:00|1G|18446744073709551614\n",
                               NULL, &g, NULL, &e), 0);
    assert_close(g.j[0].energy_j, 7200000.0, 1e-12);
    assert_true(g.j[1].energy_j == EST_UNSET);
}

/* ------------------------------------------------------------ accounting */

static est_cluster *cluster_from(const char *yaml, est_cluster_options *o)
{
    char *dir = test_mkdtemp(), path[4096];
    est_cluster *c = NULL;
    est_error e;
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    test_write_file(path, yaml);
    if (est_cluster_open(&c, path, o, &e) != 0)
        fail_msg("%s", e.message);
    test_rmtree(dir);
    free(dir);
    return c;
}

static est_job plain_job(void)
{
    est_job j;
    memset(&j, 0, sizeof j);
    strcpy(j.id, "42");
    strcpy(j.user, "ada");
    strcpy(j.partition, "cpu");
    j.state = EST_JOBS_STATE_COMPLETED;
    j.ncpus = 4;
    j.nnodes = 1;
    j.elapsed_s = 7200.0;
    j.total_cpu_s = 14400.0; /* 4 h of CPU over 4 x 2 h: usage 0.5 */
    j.req_mem_gb = 10.0;
    j.max_rss_gb = 4.0;
    j.cpu_time_s = EST_UNSET;
    j.gpu_util_frac = EST_UNSET;
    j.energy_j = EST_UNSET;
    return j;
}

static void test_jobs_account_cpu_memory_unused(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.pue = 1.5;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &o, &e), 0);
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.cpu_usage_frac, 0.5, 1e-12);
    /* CPU 4 x 10 x 0.5 = 20 W; memory 10 x 0.3725 = 3.725 W; x PUE 1.5 x 2 h:
       CPU 0.06 kWh, memory 0.011175 kWh, total 0.071175 kWh, 7.1175 g */
    assert_close(fp.cpu_kwh, 0.06, 1e-12);
    assert_close(fp.memory_kwh, 0.011175, 1e-12);
    assert_close(fp.energy_kwh, 0.071175, 1e-12);
    assert_close(fp.co2e_g, 7.1175, 1e-12);
    /* 6 GB never used: 6 x 0.3725 x 1.5 x 2 / 1000 = 0.006705 kWh */
    assert_close(fp.unused_memory_kwh, 0.006705, 1e-12);
    /* 4 CPUs x 2 h */
    assert_close(fp.cpu_h, 8.0, 1e-12);
    assert_false(fp.cpu_usage_clamped);
    /* TotalCPU 10 h > 8 core-hours: clamped to 1 and counted */
    j.total_cpu_s = 36000.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.cpu_usage_frac, 1.0, 1e-12);
    assert_true(fp.cpu_usage_clamped);
    /* and the CPU time the efficiency sums is clamped with it: 10 h to
       4 x 2 h = 8 h, so efficiency is 100 %, not 125 % */
    assert_close(fp.cpu_used_h, 8.0, 1e-12);
    /* measured 7200000 J = 2 kWh */
    j.energy_j = 7200000.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.measured_kwh, 2.0, 1e-12);
    /* never ran: 0 */
    j.elapsed_s = 0.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.energy_kwh, 0.0, 1e-12);
    est_cluster_free(c);
}

/* A Partition list of 64+ characters and a pending array's id of 48+
   characters: no bad row for a pending job (left out anyway) nor for one
   cancelled while pending (Elapsed 0); a job that ran keeps only its first
   partition, the one it is accounted on; a long id on a job that ran is
   still a bad row. */
static void test_jobs_read_long_partition_list_and_pending_array_id(void **state)
{
    /* 9 x "part_abcd," (10 characters) + "cpu" = 93 characters */
    static const char text[] =
        "JobID|Partition|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
        "123_[1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31%4]|part_abcd,part_abcd,part_abcd,"
        "part_abcd,part_abcd,part_abcd,part_abcd,part_abcd,part_abcd,cpu|PENDING|00:00:00|1|"
        "00:00:00|1G\n"
        "124|gpu,part_abcd,part_abcd,part_abcd,part_abcd,part_abcd,part_abcd,part_abcd,"
        "part_abcd,part_abcd|COMPLETED|01:00:00|1|01:00:00|1G\n";
    static const char ran[] =
        "JobID|Partition|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
        "125_[1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31%4]|cpu|RUNNING|01:00:00|1|"
        "01:00:00|1G\n";
    static const char cancelled[] =
        "JobID|Partition|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
        "126_[1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31%4]|cpu|CANCELLED by 1000|00:00:00|1|"
        "00:00:00|1G\n";
    got g;
    est_jobs_read_stats st;
    est_error e;
    (void)state;
    assert_true(strlen("123_[1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31%4]") >= EST_JOB_ID_MAX);
    assert_int_equal(read_text(text, NULL, &g, &st, &e), 0);
    assert_int_equal(st.pending, 1);
    assert_int_equal(st.bad_rows, 0);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.j[0].id, "124");
    assert_string_equal(g.j[0].partition, "gpu");
    assert_int_equal(read_text(ran, NULL, &g, &st, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "t.txt:2: column JobID"));
    /* cancelled while pending: Elapsed 0, it never ran, so its long id is
       no bad row either; the job is read (it counts as cancelled) with its
       id cut to 44 characters and marked "..." */
    assert_int_equal(read_text(cancelled, NULL, &g, &st, &e), 0);
    assert_int_equal(st.bad_rows, 0);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.j[0].state, EST_JOBS_STATE_CANCELLED);
    assert_int_equal(strlen(g.j[0].id), EST_JOB_ID_MAX - 1);
    assert_memory_equal(g.j[0].id, "126_[1,3,5,7,9,11,13,15,17,19,21,23,25,27,29", 44);
    assert_string_equal(g.j[0].id + 44, "...");
}

/* A job cancelled while pending, submitted to two partitions
   (Partition=cpu,gpu), on a cluster that gives no CPU power: it drew
   nothing, so it costs 0 kWh under both methods and counts as failed
   (CANCELLED); the partition list and the missing power are no error.
   A RUNNING job has not failed under the default method. */
static void test_jobs_never_ran_multi_partition_and_running_not_failed(void **state)
{
    est_cluster *c;
    est_cluster_options co = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    assert_int_equal(est_cluster_open(&c, NULL, NULL, &e), 0);
    strcpy(j.partition, "cpu,gpu");
    j.state = EST_JOBS_STATE_CANCELLED;
    j.elapsed_s = 0.0;
    j.total_cpu_s = 0.0;
    j.max_rss_gb = EST_UNSET;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.energy_kwh, 0.0, 1e-12);
    assert_true(fp.failed);
    ao.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.energy_kwh, 0.0, 1e-12);
    assert_true(fp.failed);
    est_cluster_free(c);
    /* running, default method: 4 x 10 W x 0.5 + 10 GB x 0.3725 W = 23.725 W
       x 2 h = 0.04745 kWh so far (PUE 1), not failed */
    co.cpu_tdp_per_core_w = 10.0;
    co.pue = 1.0;
    co.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &co, &e), 0);
    j = plain_job();
    strcpy(j.partition, "cpu,gpu"); /* the first, cpu; here the default CPU */
    j.state = EST_JOBS_STATE_RUNNING;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.energy_kwh, 0.04745, 1e-12);
    assert_false(fp.failed);
    est_cluster_free(c);
}

static void test_jobs_account_gpu_scopes_static_from_cluster_file(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    c = cluster_from("partitions:\n"
                     "  gpu:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    cores_per_node: 40\n"
                     "    gpu_tdp_w: 300\n"
                     "    gpu_idle_w: 50\n"
                     "    static_node_w: 100\n"
                     "    pue: 1.5\n"
                     "    ci_g_co2e_per_kwh: 100\n",
                     &o);
    assert_int_equal(est_cluster_count(c), 1);
    strcpy(j.partition, "gpu");
    j.gpus = 1;
    j.req_mem_gb = 0.0;
    j.max_rss_gb = EST_UNSET;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_true(fp.gpu_usage_assumed);
    /* process: GPU (300 - 50) x 1.5 x 2 h = 0.75 kWh; CPU 0.06 kWh;
       static 100 W x 4/40 = 10 W x 1.5 x 2 h = 0.03 kWh: 0.84 kWh */
    assert_close(fp.gpu_kwh, 0.75, 1e-12);
    assert_close(fp.static_kwh, 0.03, 1e-12);
    assert_close(fp.energy_kwh, 0.84, 1e-12);
    /* allocation: GPU 300 x 1.5 x 2 = 0.9 kWh: 0.99 kWh */
    assert_close(fp.allocation_kwh, 0.99, 1e-12);
    /* gpuutil 0.5: process GPU 0.5 x 250 x 3 h-eq = 0.375 kWh */
    j.gpu_util_frac = 0.5;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_false(fp.gpu_usage_assumed);
    assert_close(fp.gpu_kwh, 0.375, 1e-12);
    /* a partition the file does not name and no default CPU: the job does
       not fit the cluster, a bad row naming the column and the value */
    strcpy(j.partition, "other");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "column Partition: job "));
    assert_non_null(strstr(e.message, "): other: partition other has no CPU power"));
    est_cluster_free(c);
}

static void test_jobs_ga4hpc_cluster_info_yaml(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_cluster *c;
    const est_cluster_partition *p;
    int dflt;
    (void)state;
    c = cluster_from("---\n"
                     "institution: \"Uni\"\n"
                     "cluster_name: \"hpc\"\n"
                     "granularity_memory_request: 6\n"
                     "partitions:\n"
                     "  icelake:\n"
                     "    type: CPU\n"
                     "    model: \"Xeon 8368Q\"\n"
                     "    TDP: 10\n"
                     "  ampere:\n"
                     "    type: GPU\n"
                     "    model: \"NVIDIA A100\"\n"
                     "    TDP: 400\n"
                     "    model_CPU: \"AMD EPYC 7763\"\n"
                     "    TDP_CPU: 4.5\n"
                     "PUE: 1.2\n"
                     "CI: 230\n"
                     "energy_cost:\n"
                     "  cost: 0.34\n"
                     "  currency: \"£\"\n"
                     "default_unit_RSS: 'K'\n",
                     &o);
    assert_int_equal(est_cluster_count(c), 2);
    p = est_cluster_find(c, "ampere", &dflt);
    assert_false(dflt);
    assert_close(p->gpu_tdp_w, 400.0, 1e-12);
    assert_close(p->cpu_tdp_per_core_w, 4.5, 1e-12);
    assert_close(p->pue, 1.2, 1e-12);
    assert_close(p->ci_g_co2e_per_kwh, 230.0, 1e-12);
    p = est_cluster_find(c, "icelake", NULL);
    assert_close(p->cpu_tdp_per_core_w, 10.0, 1e-12);
    assert_true(p->gpu_tdp_w == EST_UNSET);
    assert_close(est_cluster_memory_step_gb(c), 6.0, 1e-12);
    est_cluster_find(c, "nope", &dflt);
    assert_true(dflt);
    est_cluster_free(c);
}

static void test_jobs_cluster_file_errors_have_a_place(void **state)
{
    char *dir = test_mkdtemp(), path[4096];
    est_cluster *c = NULL;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    test_write_file(path, "partitions:\n  a:\n    TDP: ten\n");
    assert_int_equal(est_cluster_open(&c, path, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "c.yaml:3: TDP: expected a number"));
    test_write_file(path, "partitions:\n  a:\n    type: CPU\n");
    assert_int_equal(est_cluster_open(&c, path, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "partition a: no CPU power"));
    test_write_file(path, "partitions: [\n");
    assert_int_equal(est_cluster_open(&c, path, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "not valid YAML"));
    assert_null(c);
    test_rmtree(dir);
    free(dir);
}


/* A name or zone of the cluster file that the tables refuse: the message has
   the place, err->input says which input, err->value the name, for the
   suggest calls. */
static void test_jobs_cluster_lookup_failures_name_input_and_value(void **state)
{
    char *dir = test_mkdtemp(), path[4096];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_zones_options zo = EST_ZONES_OPTIONS_INIT;
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_zones *zones = NULL;
    est_cluster *c = NULL;
    est_suggestions s;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/cpu.csv", dir);
    test_write_file(path, "model,vendor,cores,threads,tdp_w,year,source\n"
                          "Xeon Gold 5218,Intel,16,32,125,2019,test\n");
    snprintf(path, sizeof path, "%s/gpu.csv", dir);
    test_write_file(path, "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source\n"
                          "Test GPU,NVIDIA,300,50,16,PCIe,2020,test\n");
    snprintf(path, sizeof path, "%s/aliases.csv", dir);
    test_write_file(path, "alias,kind,model,note\n");
    ho.shipped_dir = dir;
    ho.index_path = "";
    assert_int_equal(est_hwdb_open(&db, &ho, &e), EST_OK);
    snprintf(path, sizeof path, "%s/zones.csv", dir);
    test_write_file(path, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                          "FR,France,50,2023,lifecycle,,test\n");
    zo.shipped_file = path;
    zo.aliases_file = "";
    assert_int_equal(est_zones_open(&zones, &zo, &e), EST_OK);
    o.hwdb = db;
    o.zones = zones;
    snprintf(path, sizeof path, "%s/c.yaml", dir);

    /* the one CPU of the table is the only one to offer */
    test_write_file(path, "partitions:\n  a:\n    cpu: \"Xeon Gold 5219\"\n");
    assert_int_equal(est_cluster_open(&c, path, &o, &e), EST_ENOTFOUND);
    assert_non_null(strstr(e.message, "c.yaml:3: partition a: unknown CPU model"));
    assert_int_equal(e.input, EST_INPUT_CPU_MODEL);
    assert_string_equal(e.value, "Xeon Gold 5219");
    assert_int_equal(est_hwdb_suggest(&s, db, EST_HWDB_CPU, e.value), EST_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "Xeon Gold 5218");

    test_write_file(path, "partitions:\n  g:\n    cpu_tdp_per_core_w: 5\n"
                          "    cores_per_node: 8\n    gpu: \"Test GPU 2\"\n");
    assert_int_equal(est_cluster_open(&c, path, &o, &e), EST_ENOTFOUND);
    assert_int_equal(e.input, EST_INPUT_GPU_MODEL);
    assert_string_equal(e.value, "Test GPU 2");

    /* "FRQ": FR is one letter short, 2 x 1 = 2 */
    test_write_file(path, "zone: FRQ\npartitions:\n  a:\n    cpu: \"Xeon Gold 5218\"\n");
    assert_int_equal(est_cluster_open(&c, path, &o, &e), EST_ENOTFOUND);
    assert_int_equal(e.input, EST_INPUT_ZONE);
    assert_string_equal(e.value, "FRQ");
    assert_int_equal(est_zones_suggest(&s, zones, e.value), EST_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.names[0], "FR");
    assert_null(c);

    est_hwdb_free(db);
    est_zones_free(zones);
    test_rmtree(dir);
    free(dir);
}

/* Memory used on a multi-task step: MaxRSS is the largest single task (2G);
   TRESUsageInTot's mem= sums the tasks' (4 tasks: 8G), so memory used is
   8 x 1.073741824 = 8.589934592 GB, and unused = 10G - 8G = 2 x 1.073741824
   = 2.147483648 GB. A bare number there is bytes; a bad size is a bad row. */
static void test_jobs_multi_task_memory_from_tres_usage(void **state)
{
    got g;
    est_error e;
    (void)state;
    assert_int_equal(read_text("JobID|State|Elapsed|NCPUS|TotalCPU|MaxRSS|AllocTRES|TRESUsageInTot\n"
                               "9|COMPLETED|01:00:00|4|04:00:00||cpu=4,mem=10G,node=1|\n"
                               "9.0|COMPLETED|01:00:00|4|04:00:00|2G|cpu=4|cpu=04:00:00,mem=8G,pages=0\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 1);
    assert_close(g.j[0].max_rss_gb, 8.589934592, 1e-12);
    assert_close(g.j[0].req_mem_gb - g.j[0].max_rss_gb, 2.147483648, 1e-9);
    assert_int_equal(read_text("JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem|MaxRSS|TRESUsageInTot\n"
                               "9|COMPLETED|01:00:00|4|04:00:00|4G|1000|mem=3000000000\n",
                               NULL, &g, NULL, &e), 0);
    assert_close(g.j[0].max_rss_gb, 3.0, 1e-12); /* 1000K < 3e9 B */
    assert_int_not_equal(read_text("JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem|MaxRSS|TRESUsageInTot\n"
                                   "9|COMPLETED|01:00:00|4|04:00:00|4G|1000|mem=12Q\n",
                                   NULL, &g, NULL, &e), 0);
    assert_non_null(strstr(e.message, "TRESUsageInTot"));
}

/* GreenAlgorithms4HPC's published example (example_files/
   example_sacctOutput_raw.txt) through --method ga4hpc, every figure worked
   from its formulas, with a cluster_info.yaml whose myPartition is a GPU
   partition: TDP 250 W per GPU, TDP_CPU 10 W per core, PUE 1.67, CI 467,
   granularity 6 GB. Then where ecoest's default deliberately differs. */
static void test_jobs_ga4hpc_method_on_its_example(void **state)
{
    char *raw = fixture("ga4hpc_example_raw.txt");
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_cluster *c;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    c = cluster_from("granularity_memory_request: 6\n"
                     "partitions:\n"
                     "  myPartition:\n"
                     "    type: GPU\n"
                     "    TDP: 250\n"
                     "    TDP_CPU: 10\n"
                     "PUE: 1.67\n"
                     "CI: 467\n",
                     &o);
    assert_int_equal(read_text(raw, NULL, &g, NULL, &e), 0);
    free(raw);
    assert_int_equal(g.n, 2);
    /* 556141: Elapsed 04:00:25 = 14425 s; TotalCPU 0, so CPUTime 14425 s;
       ReqMem 6760Mc x 1 CPU = 6.76 GB (M / 1000); no MaxRSS: used = 6.76,
       needed = min(6.76, (floor(6.76 / 6) + 1) x 6 = 12) = 6.76; no GPU */
    assert_close(g.j[0].ga_req_mem_gb, 6.76, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_close(fp.cpu_kwh, 14425.0 * 10.0 * 1.67 / 3.6e6, 1e-12);
    assert_close(fp.gpu_kwh, 0.0, 1e-12);
    assert_close(fp.memory_kwh, 14425.0 * 6.76 * 0.3725 * 1.67 / 3.6e6, 1e-12);
    assert_close(fp.energy_kwh, (14425.0 * 10.0 + 14425.0 * 6.76 * 0.3725) * 1.67 / 3.6e6, 1e-12);
    assert_close(fp.co2e_g, fp.energy_kwh * 467.0, 1e-12);
    assert_close(fp.mem_needed_gb, 6.76, 1e-12);
    assert_close(fp.unused_memory_kwh, 0.0, 1e-12);
    assert_true(fp.failed); /* TIMEOUT */
    /* 552375: Elapsed 03:00:30 = 10830 s; CPUTime 4-00:16:00 = 346560 s;
       250Gn x 1 node = 250 GB; gres/gpu=1 at 100 % of 250 W */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], &ga, &e), 0);
    assert_close(fp.cpu_kwh, 346560.0 * 10.0 * 1.67 / 3.6e6, 1e-12);
    assert_close(fp.gpu_kwh, 10830.0 * 1.0 * 250.0 * 1.67 / 3.6e6, 1e-12);
    assert_close(fp.memory_kwh, 10830.0 * 250.0 * 0.3725 * 1.67 / 3.6e6, 1e-12);
    assert_close(fp.co2e_g,
                 (346560.0 * 10.0 + 10830.0 * 250.0 + 10830.0 * 250.0 * 0.3725) * 1.67 / 3.6e6 *
                     467.0,
                 1e-12);

    /* ecoest's default on the same job: sizes are Slurm's binary units
       (250Gn = 250 x 2^30 B = 268.435456 GB), CPU from TotalCPU (0 here, so
       usage 0, not 100 %) */
    assert_close(g.j[1].req_mem_gb, 268.435456, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], NULL, &e), 0);
    assert_close(fp.cpu_kwh, 0.0, 1e-12);
    assert_close(fp.memory_kwh, 10830.0 * 268.435456 * 0.3725 * 1.67 / 3.6e6, 1e-12);

    /* typed GPUs: GreenAlgorithms4HPC counts only gres/gpu=N; a failed step
       makes its job failed there, not in ecoest's default */
    assert_int_equal(read_text("JobID|Partition|State|Elapsed|NCPUS|TotalCPU|ReqMem|MaxRSS|AllocTRES\n"
                               "7|myPartition|COMPLETED|01:00:00|1|00:30:00|1024M||cpu=1,gres/gpu:a100=2\n"
                               "7.0||FAILED|01:00:00|1|00:30:00||7000K|cpu=1\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.j[0].gpus, 2);
    assert_int_equal(g.j[0].ga_gpus, 0);
    /* 1024M: 1.024 GB there, 1.073741824 GB here; 7000K: 0.007 GB there */
    assert_close(g.j[0].ga_req_mem_gb, 1.024, 1e-12);
    assert_close(g.j[0].req_mem_gb, 1.073741824, 1e-12);
    assert_close(g.j[0].ga_max_rss_gb, 0.007, 1e-12);
    assert_true(g.j[0].ga_any_row_not_completed);
    assert_int_equal(g.j[0].state, EST_JOBS_STATE_COMPLETED);
    /* memory needed: floor(0.007 / 6) + 1 = 1 step = 6 GB, above the 1.024
       requested, so the request: 1.024; unused 0 */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_true(fp.failed);
    assert_close(fp.mem_needed_gb, 1.024, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_false(fp.failed);

    /* its merge takes the largest of each over the rows: with the
       allocation row's TotalCPU at 0 (sacct -X style) and steps of 1 h and
       2 h, GreenAlgorithms4HPC's CPU time is 2 h (the largest), ecoest's
       3 h (the sum): CPU 2 h x 10 W x 1.67 = 33.4 Wh against 50.1 Wh */
    assert_int_equal(read_text("JobID|Partition|State|Elapsed|NCPUS|TotalCPU|CPUTime|ReqMem|AllocTRES\n"
                               "8|myPartition|COMPLETED|02:00:00|2|00:00:00|04:00:00|1000M|cpu=2\n"
                               "8.0||COMPLETED|01:00:00|2|01:00:00|02:00:00||cpu=2\n"
                               "8.1||COMPLETED|02:00:00|2|02:00:00|04:00:00||cpu=2\n",
                               NULL, &g, NULL, &e), 0);
    assert_close(g.j[0].ga_total_cpu_s, 7200.0, 0.0);
    assert_close(g.j[0].total_cpu_s, 10800.0, 0.0);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_close(fp.cpu_kwh, 7200.0 * 10.0 * 1.67 / 3.6e6, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    /* ecoest: usage 3 h / (2 CPUs x 2 h) = 0.75, 2 x 10 W x 0.75 x 2 h x 1.67 */
    assert_close(fp.cpu_kwh, 2.0 * 10.0 * 0.75 * 2.0 * 1.67 / 1000.0, 1e-12);
    est_cluster_free(c);
}

/* A GreenAlgorithms4HPC cluster_info.yaml for the quirks below: a CPU
   partition (10 W a core), a GPU one (250 W a GPU, 10 W a CPU core),
   PUE 1.5, CI 100 g/kWh, memory granule 1 GB; memory 0.3725 W/GB. */
static est_cluster *ga_quirks_cluster(void)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    return cluster_from("granularity_memory_request: 1\n"
                        "partitions:\n"
                        "  cpu:\n"
                        "    type: CPU\n"
                        "    TDP: 10\n"
                        "  gpu:\n"
                        "    type: GPU\n"
                        "    TDP: 250\n"
                        "    TDP_CPU: 10\n"
                        "PUE: 1.5\n"
                        "CI: 100\n",
                        &o);
}

#define GA_QUIRKS_HEADER "JobID|Partition|State|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|AllocTRES\n"

/* Its merge takes the largest of ReqMem (each row's own, per node x that
   row's NNodes, per CPU x that row's NCPUS), GPUs, CPUs and nodes over the
   rows, as of TotalCPU, CPUTime and Elapsed; ecoest's default reads them
   from the allocation row. The totals carry each method's figures. */
static void test_jobs_ga4hpc_merge_takes_the_largest_of_every_row(void **state)
{
    est_cluster *c = ga_quirks_cluster();
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    const est_jobs_totals *t;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(GA_QUIRKS_HEADER
                               "20|gpu|COMPLETED|01:00:00|1|2|00:00:00|02:00:00|2000Mn||cpu=2,mem=2000M,node=1\n"
                               "20.batch||COMPLETED|01:00:00|1|2|00:30:00|02:00:00|3000Mn|500M|cpu=2,mem=2000M,node=1\n"
                               "20.0||COMPLETED|00:30:00|2|4|00:20:00|02:00:00|1000Mc|800M|cpu=4,gres/gpu=2,node=2\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 1);
    /* ReqMem: 2000Mn x 1 node = 2.0 GB, 3000Mn x 1 = 3.0 GB, 1000Mc x 4
       CPUs = 4.0 GB: 4.0; GPUs max(0, 0, 2) = 2; CPUs max(2, 2, 4) = 4;
       nodes max(1, 1, 2) = 2; MaxRSS 800M = 0.8 GB */
    assert_close(g.j[0].ga_req_mem_gb, 4.0, 1e-12);
    assert_int_equal(g.j[0].ga_gpus, 2);
    assert_int_equal(g.j[0].ga_ncpus, 4);
    assert_int_equal(g.j[0].ga_nnodes, 2);
    assert_close(g.j[0].ga_max_rss_gb, 0.8, 1e-12);
    /* ecoest: the allocation row's 2 CPUs, 1 node, no GPU, mem=2000M =
       2000 x 2^20 B = 2.097152 GB */
    assert_int_equal(g.j[0].ncpus, 2);
    assert_int_equal(g.j[0].nnodes, 1);
    assert_int_equal(g.j[0].gpus, 0);
    assert_close(g.j[0].req_mem_gb, 2.097152, 1e-12);

    /* ga4hpc: Elapsed 1 h (the largest); CPU time 30 min (the largest
       TotalCPU): 0.5 h x 10 W x 1.5 = 7.5 Wh; GPU 1 h x 2 x 250 W x 1.5 =
       0.75 kWh; memory 1 h x 4.0 GB x 0.3725 W x 1.5 = 2.235 Wh; usage
       0.5 h / (4 CPUs x 1 h) = 0.125 */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_close(fp.cpu_kwh, 0.0075, 1e-12);
    assert_close(fp.gpu_kwh, 0.75, 1e-12);
    assert_close(fp.memory_kwh, 0.002235, 1e-12);
    assert_close(fp.cpu_usage_frac, 0.125, 1e-12);
    /* the totals: its core-hours charged (a GPU partition: 0 CPU, 1 h x 2
       GPUs = 2 GPU-h), its CPU time 0.5 h, 4.0 GB, 4.0 GB-h, MaxRSS 0.8
       GB-h */
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &g.j[0], &fp), 0);
    t = est_jobs_agg_totals(a);
    assert_close(t->cpu_h, 0.0, 1e-12);
    assert_close(t->gpu_h, 2.0, 1e-12);
    assert_close(t->cpu_used_h, 0.5, 1e-12);
    assert_close(t->mem_req_gb, 4.0, 1e-12);
    assert_close(t->mem_req_gbh, 4.0, 1e-12);
    assert_close(t->mem_used_gbh, 0.8, 1e-12);
    assert_close(t->failed_jobs, 0.0, 1e-12);
    est_jobs_agg_free(a);

    /* ecoest: the steps' TotalCPU summed (allocation row 0): 30 + 20 min =
       3000 s; usage 3000 / (2 x 3600) = 0.416667; CPU 2 x 10 W x 0.416667 x
       1 h x 1.5 = 12.5 Wh; no GPU; memory 2.097152 x 0.3725 x 1.5 =
       1.171783 Wh. Totals: 2 core-h allocated, 3000 / 3600 = 0.833333 h
       used, 0 GPU-h, 2.097152 GB; MaxRSS 800M = 0.8388608 GB-h */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_close(fp.cpu_usage_frac, 3000.0 / 7200.0, 1e-12);
    assert_close(fp.cpu_kwh, 2.0 * 10.0 * (3000.0 / 7200.0) * 1.5 / 1000.0, 1e-12);
    assert_close(fp.gpu_kwh, 0.0, 1e-12);
    assert_close(fp.memory_kwh, 2.097152 * 0.3725 * 1.5 / 1000.0, 1e-12);
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &g.j[0], &fp), 0);
    t = est_jobs_agg_totals(a);
    assert_close(t->cpu_h, 2.0, 1e-12);
    assert_close(t->gpu_h, 0.0, 1e-12);
    assert_close(t->cpu_used_h, 3000.0 / 3600.0, 1e-12);
    assert_close(t->mem_req_gb, 2.097152, 1e-12);
    assert_close(t->mem_used_gbh, 0.8388608, 1e-12);
    est_jobs_agg_free(a);
    est_cluster_free(c);
}

/* A ReqMem in T: GreenAlgorithms4HPC does not parse it (it stops with
   "Can't parse memory value"). Read with method ga4hpc, the row is a bad
   row naming file, line, column and value (skipped and counted with
   skip_bad_rows); read without it, est_jobs_account refuses the job under
   ga4hpc with its line. The default reads 2T as 2 x 2^40 B. */
static void test_jobs_ga4hpc_reqmem_in_t(void **state)
{
    const char *text = GA_QUIRKS_HEADER "21|cpu|COMPLETED|01:00:00|1|4|02:00:00|04:00:00|2T||\n";
    est_cluster *c = ga_quirks_cluster();
    est_jobs_read_options ro = EST_JOBS_READ_OPTIONS_INIT;
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_read_stats st;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    ro.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(text, &ro, &g, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "t.txt:2: column ReqMem:"));
    assert_non_null(strstr(e.message, "\"2T\""));
    assert_int_equal(g.n, 0);
    ro.skip_bad_rows = 1;
    assert_int_equal(read_text(text, &ro, &g, &st, &e), 0);
    assert_int_equal(st.bad_rows, 1);
    assert_int_equal(g.n, 0);
    /* a version 1 caller has no method: every row read */
    ro.version = 1;
    ro.skip_bad_rows = 0;
    ro.method = (est_jobs_method)7; /* not read at version 1 */
    assert_int_equal(read_text(text, &ro, &g, NULL, &e), 0);
    assert_int_equal(g.n, 1);

    /* the default: 2T = 2 x 2^40 B = 2199.023255552 GB; memory 1 h x
       2199.023255552 x 0.3725 W x 1.5 = 1.228704244 kWh */
    assert_true(g.j[0].ga_req_mem_gb == EST_UNSET);
    assert_close(g.j[0].req_mem_gb, 2199.023255552, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_close(fp.memory_kwh, 2199.023255552 * 0.3725 * 1.5 / 1000.0, 1e-12);
    /* ga4hpc on a job read without the method: refused, with its line */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "job 21 (line 2)"));
    assert_non_null(strstr(e.message, "ReqMem"));
    /* its other spellings it cannot read: per node in T, a bare number */
    ro.version = EST_JOBS_READ_OPTIONS_VERSION;
    ro.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(GA_QUIRKS_HEADER "21|cpu|COMPLETED|01:00:00|1|4|02:00:00|04:00:00|1Tn||\n",
                               &ro, &g, NULL, &e), EST_EPARSE);
    assert_int_equal(read_text(GA_QUIRKS_HEADER "21|cpu|COMPLETED|01:00:00|1|4|02:00:00|04:00:00|4000||\n",
                               &ro, &g, NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "\"4000\""));
    est_cluster_free(c);
}

/* Memory needed adds a whole granule to MaxRSS (floor(MaxRSS / granule) +
   1 granules), at most the request unless MaxRSS is above it: the waste
   comes out negative when MaxRSS is above the request, and a MaxRSS on a
   granule still gets one more. ecoest's default: unused = allocated -
   MaxRSS, never negative. */
static void test_jobs_ga4hpc_negative_memory_waste(void **state)
{
    est_cluster *c = ga_quirks_cluster();
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(GA_QUIRKS_HEADER
                               "22|cpu|COMPLETED|02:00:00|1|1|01:00:00|02:00:00|4000M|4100M|cpu=1\n"
                               "23|cpu|COMPLETED|02:00:00|1|1|01:00:00|02:00:00|4000M|2G|cpu=1\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 2);
    /* 22: 4000M = 4.0 GB requested, 4100M = 4.1 GB used: needed =
       (floor(4.1 / 1) + 1) x 1 = 5 GB (above the request, as MaxRSS is);
       waste 2 h x (4.0 - 5.0) GB x 0.3725 W x 1.5 = -1.1175 Wh */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_close(fp.mem_needed_gb, 5.0, 1e-12);
    assert_close(fp.unused_memory_kwh, -0.0011175, 1e-12);
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &g.j[0], &fp), 0);
    /* 23: 2G = 2.0 GB used: needed (2 + 1) x 1 = 3 GB, not 2; waste
       2 h x (4.0 - 3.0) x 0.3725 x 1.5 = +1.1175 Wh; the two sum to 0 */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], &ga, &e), 0);
    assert_close(fp.mem_needed_gb, 3.0, 1e-12);
    assert_close(fp.unused_memory_kwh, 0.0011175, 1e-12);
    assert_int_equal(est_jobs_agg_add(a, &g.j[1], &fp), 0);
    assert_close(est_jobs_agg_totals(a)->unused_memory_kwh, 0.0, 1e-9);
    est_jobs_agg_free(a);

    /* ecoest: 22 uses 4100 x 2^20 = 4.2991616 GB of 4000 x 2^20 =
       4.194304 GB: nothing unused (0, not negative); 23 uses 2 x 2^30 =
       2.147483648 GB: (4.194304 - 2.147483648) x 0.3725 x 1.5 x 2 h =
       2.046820352 x 1.1175 Wh = 2.287321743 Wh */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_close(fp.unused_memory_kwh, 0.0, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], NULL, &e), 0);
    assert_close(fp.unused_memory_kwh, 2.046820352 * 0.0011175, 1e-12);
    est_cluster_free(c);
}

/* Its CPU-time total ("cpuTime", a pandas sum of timedelta64[ns]) is int64
   nanoseconds: past 2^63 ns = 2,562,047.79 h it wraps by 2^64 ns =
   5,124,095.576 h. Three jobs of 1,000,000 h of TotalCPU each (41666 days
   16 h) sum to 3,000,000 h, which it prints as 3,000,000 - 5,124,095.576 =
   -2,124,095.576 h. ecoest's totals (both methods) are doubles: 3,000,000
   h; est_jobs_ga4hpc_wrap_h gives the figure it prints, for the report to
   show beside them. */
static void test_jobs_ga4hpc_cpu_time_total_wraps(void **state)
{
    est_cluster *c = ga_quirks_cluster();
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a, *d;
    est_jobs_footprint fp;
    got g;
    est_error e;
    size_t i;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    assert_close(est_jobs_ga4hpc_wrap_h(3e6), 3e6 - 18446744073709551616.0 / 3.6e12, 1e-12);
    assert_close(est_jobs_ga4hpc_wrap_h(3e6), -2124095.576030431, 1e-12);
    assert_close(est_jobs_ga4hpc_wrap_h(2.5e6), 2.5e6, 0.0);  /* below 2^63 ns */
    assert_close(est_jobs_ga4hpc_wrap_h(2562047.0), 2562047.0, 0.0);
    assert_true(est_jobs_ga4hpc_wrap_h(2562048.0) < 0.0);     /* just past it */
    /* 1000 days x 64 CPUs: CPUTime 1,536,000 h, above the TotalCPU */
    assert_int_equal(read_text(GA_QUIRKS_HEADER
                               "30|cpu|COMPLETED|1000-00:00:00|1|64|41666-16:00:00|64000-00:00:00|1G||cpu=64\n"
                               "31|cpu|COMPLETED|1000-00:00:00|1|64|41666-16:00:00|64000-00:00:00|1G||cpu=64\n"
                               "32|cpu|COMPLETED|1000-00:00:00|1|64|41666-16:00:00|64000-00:00:00|1G||cpu=64\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 3);
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_open(&d, &go, &e), 0);
    for (i = 0; i < 3; i++) {
        assert_int_equal(est_jobs_account(&fp, c, &g.j[i], &ga, &e), 0);
        assert_close(fp.cpu_used_h, 1e6, 1e-12);
        assert_int_equal(est_jobs_agg_add(a, &g.j[i], &fp), 0);
        assert_int_equal(est_jobs_account(&fp, c, &g.j[i], NULL, &e), 0);
        assert_int_equal(est_jobs_agg_add(d, &g.j[i], &fp), 0);
    }
    /* ga4hpc: 3 x 1,000,000 h of CPU time; charged 3 x 1,536,000 h */
    assert_close(est_jobs_agg_totals(a)->cpu_used_h, 3e6, 1e-12);
    assert_close(est_jobs_agg_totals(a)->cpu_h, 4608000.0, 1e-12);
    assert_close(est_jobs_ga4hpc_wrap_h(est_jobs_agg_totals(a)->cpu_used_h), -2124095.576030431,
                 1e-12);
    /* ecoest: the same 3,000,000 h used of 3 x 64 x 24,000 = 4,608,000 */
    assert_close(est_jobs_agg_totals(d)->cpu_used_h, 3e6, 1e-12);
    assert_close(est_jobs_agg_totals(d)->cpu_h, 4608000.0, 1e-12);
    est_jobs_agg_free(a);
    est_jobs_agg_free(d);
    est_cluster_free(c);
}

/* A partition holding CPU and GPU jobs: GreenAlgorithms4HPC stops (its
   sanity check wants every job of a GPU partition to hold a GPU, and none
   on a CPU partition); ecoest gives figures under both methods. */
static void test_jobs_ga4hpc_partition_with_cpu_and_gpu_jobs(void **state)
{
    est_cluster *c = ga_quirks_cluster();
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(GA_QUIRKS_HEADER
                               "24|gpu|COMPLETED|01:00:00|1|4|02:00:00|04:00:00|4000M||cpu=4\n"
                               "25|gpu|COMPLETED|01:00:00|1|4|02:00:00|04:00:00|4000M||cpu=4,gres/gpu=1\n"
                               "26|cpu|COMPLETED|01:00:00|1|4|02:00:00|04:00:00|4000M||cpu=4,gres/gpu=1\n",
                               NULL, &g, NULL, &e), 0);
    assert_int_equal(g.n, 3);
    /* ga4hpc, 24 (no GPU on the GPU partition): CPU 2 h x 10 W x 1.5 =
       30 Wh, no GPU energy, memory 1 h x 4.0 GB x 0.3725 x 1.5 = 2.235 Wh;
       charged: 0 core-h (a GPU partition), 0 GPU-h */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_close(fp.cpu_kwh, 0.03, 1e-12);
    assert_close(fp.gpu_kwh, 0.0, 1e-12);
    assert_close(fp.memory_kwh, 0.002235, 1e-12);
    assert_close(fp.cpu_h, 0.0, 1e-12);
    assert_close(fp.gpu_h, 0.0, 1e-12);
    /* 25: GPU 1 h x 1 x 250 W x 1.5 = 0.375 kWh, 1 GPU-h */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], &ga, &e), 0);
    assert_close(fp.gpu_kwh, 0.375, 1e-12);
    assert_close(fp.gpu_h, 1.0, 1e-12);
    /* 26, a GPU on the CPU partition, which has no GPU power: its GPU
       costs nothing there; charged 4 core-h (CPUTime) */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[2], &ga, &e), 0);
    assert_close(fp.gpu_kwh, 0.0, 1e-12);
    assert_close(fp.cpu_h, 4.0, 1e-12);

    /* ecoest, 24: usage 2 h / (4 x 1 h) = 0.5: 4 x 10 W x 0.5 x 1 h x 1.5 =
       30 Wh, no GPU; 25: the GPU at usage 1 (assumed, no gpuutil):
       250 W x 1 h x 1.5 = 0.375 kWh; 26: refused, a GPU where the cluster
       file gives no GPU power */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_close(fp.cpu_kwh, 0.03, 1e-12);
    assert_close(fp.gpu_kwh, 0.0, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], NULL, &e), 0);
    assert_close(fp.gpu_kwh, 0.375, 1e-12);
    assert_true(fp.gpu_usage_assumed);
    /* EST_EPARSE (was EST_EINVAL): the job's row is bad data for this
       cluster, a bad row the CLI names and --skip-bad-rows skips (issue 9) */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[2], NULL, &e), EST_EPARSE);
    assert_non_null(strstr(e.message, "no GPU power"));
    assert_non_null(strstr(e.message, "column AllocTRES: job 26 "));
    /* the message names the job's allocation row and the advice that works:
       the partition's own key, not --gpu (which only fills partitions the
       cluster file does not name) */
    {
        char want[32];
        snprintf(want, sizeof want, "(line %lu)", g.j[2].line);
        assert_non_null(strstr(e.message, want));
    }
    assert_non_null(strstr(e.message, "gpu_tdp_w in the cluster file"));
    est_cluster_free(c);
}

/* TotalCPU above CPUTime: GreenAlgorithms4HPC stops (an assert); ecoest's
   ga4hpc uses the TotalCPU as it is, the default clamps the usage to 1 and
   counts the job. */
static void test_jobs_ga4hpc_total_cpu_above_cpu_time(void **state)
{
    est_cluster *c = ga_quirks_cluster();
    est_jobs_account_options ga = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    ga.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(read_text(GA_QUIRKS_HEADER
                               "27|cpu|COMPLETED|01:00:00|1|2|03:00:00|02:00:00|1000M||cpu=2\n",
                               NULL, &g, NULL, &e), 0);
    /* ga4hpc: CPU 3 h x 10 W x 1.5 = 45 Wh; usage 3 / (2 x 1) = 1.5, not
       clamped; charged 2 core-h (CPUTime), 3 h of CPU time */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], &ga, &e), 0);
    assert_close(fp.cpu_kwh, 0.045, 1e-12);
    assert_close(fp.cpu_usage_frac, 1.5, 1e-12);
    assert_false(fp.cpu_usage_clamped);
    assert_close(fp.cpu_h, 2.0, 1e-12);
    assert_close(fp.cpu_used_h, 3.0, 1e-12);
    /* ecoest: usage clamped to 1: 2 x 10 W x 1 x 1 h x 1.5 = 30 Wh */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_close(fp.cpu_kwh, 0.03, 1e-12);
    assert_close(fp.cpu_usage_frac, 1.0, 1e-12);
    assert_true(fp.cpu_usage_clamped);
    est_cluster_free(c);
}

/* Node-name patterns: the first node of NodeList picks the entry. */
static void test_jobs_node_patterns_of_a_partition(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_cluster *c;
    const est_cluster_partition *p;
    est_jobs_footprint fp;
    got g;
    est_error e;
    (void)state;
    c = cluster_from("pue: 1\n"
                     "ci_g_co2e_per_kwh: 100\n"
                     "partitions:\n"
                     "  gpu:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    gpu_tdp_w: 300\n"
                     "    nodes:\n"
                     "      \"gpu-a*\":\n"
                     "        gpu_tdp_w: 400\n"
                     "        ci_g_co2e_per_kwh: 50\n",
                     &o);
    assert_int_equal(est_cluster_count(c), 2);
    p = est_cluster_find_node(c, "gpu", "gpu-a07", NULL);
    assert_string_equal(p->node_pattern, "gpu-a*");
    assert_close(p->gpu_tdp_w, 400.0, 1e-12);
    assert_close(p->cpu_tdp_per_core_w, 10.0, 1e-12); /* the partition's */
    p = est_cluster_find_node(c, "gpu", "gpu-v01", NULL);
    assert_string_equal(p->node_pattern, "");
    assert_close(p->gpu_tdp_w, 300.0, 1e-12);
    assert_int_equal(read_text("JobID|Partition|NodeList|State|Elapsed|NCPUS|TotalCPU|AllocTRES\n"
                               "1|gpu|gpu-a[07-08]|COMPLETED|01:00:00|1|01:00:00|cpu=1,gres/gpu=1\n"
                               "2|gpu|gpu-v01,gpu-v02|COMPLETED|01:00:00|1|01:00:00|cpu=1,gres/gpu=1\n"
                               "3|gpu|None assigned|CANCELLED by 0|00:00:00|1|00:00:00|cpu=1\n",
                               NULL, &g, NULL, &e), 0);
    assert_string_equal(g.j[0].node, "gpu-a07");
    assert_string_equal(g.j[1].node, "gpu-v01");
    assert_string_equal(g.j[2].node, "");
    /* job 1 on an A node: GPU 400 W x 1 h = 0.4 kWh, CPU 10 W x 1 h = 0.01
       kWh, at 50 g/kWh: 20.5 g; job 2: 0.3 + 0.01 kWh at 100 g: 31 g */
    assert_int_equal(est_jobs_account(&fp, c, &g.j[0], NULL, &e), 0);
    assert_close(fp.energy_kwh, 0.41, 1e-12);
    assert_close(fp.co2e_g, 20.5, 1e-12);
    assert_int_equal(est_jobs_account(&fp, c, &g.j[1], NULL, &e), 0);
    assert_close(fp.co2e_g, 31.0, 1e-12);
    est_cluster_free(c);
}

/* ------------------------------------------------------------ groups */

static void test_jobs_days_split_by_hours_run(void **state)
{
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    est_job j = plain_job();
    est_jobs_footprint fp;
    const est_jobs_group *g0, *g1;
    est_error e;
    double t = 20454.0 * 86400.0; /* 2026-01-01T00:00:00Z */
    (void)state;
    memset(&fp, 0, sizeof fp);
    fp.energy_kwh = 4.0;
    fp.co2e_g = 400.0;
    fp.measured_kwh = EST_UNSET;
    /* 2026-01-01T21:00Z .. 2026-01-02T01:00Z: 3 h then 1 h */
    j.has_start = j.has_end = 1;
    j.start_unix_s = t + 21.0 * 3600.0;
    j.end_unix_s = t + 25.0 * 3600.0;
    j.elapsed_s = 4.0 * 3600.0;
    go.keys = EST_JOBS_BY_DAY | EST_JOBS_BY_USER;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    est_jobs_agg_sort(a, 0);
    assert_int_equal(est_jobs_agg_count(a), 2);
    g0 = est_jobs_agg_group(a, 0);
    g1 = est_jobs_agg_group(a, 1);
    assert_string_equal(g0->period, "2026-01-01");
    assert_string_equal(g0->user, "ada");
    assert_string_equal(g1->period, "2026-01-02");
    /* 3/4 and 1/4 of 4 kWh */
    assert_close(g0->t.energy_kwh, 3.0, 1e-12);
    assert_close(g1->t.energy_kwh, 1.0, 1e-12);
    assert_close(g0->t.jobs, 0.75, 1e-12);
    assert_close(est_jobs_agg_totals(a)->energy_kwh, 4.0, 1e-12);
    est_jobs_agg_free(a);
    /* at +03:00 the whole job is on 2026-01-02 (00:00 .. 04:00 local) */
    go.keys = EST_JOBS_BY_DAY;
    go.day_utc_offset_s = 3 * 3600;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    assert_int_equal(est_jobs_agg_count(a), 1);
    assert_string_equal(est_jobs_agg_group(a, 0)->period, "2026-01-02");
    est_jobs_agg_free(a);
    /* by month: 2026-01-31T23:00Z .. 2026-02-01T01:00Z, half and half */
    go.keys = EST_JOBS_BY_MONTH;
    go.day_utc_offset_s = 0;
    j.start_unix_s = t + 30.0 * 86400.0 + 23.0 * 3600.0;
    j.end_unix_s = j.start_unix_s + 7200.0;
    j.elapsed_s = 7200.0;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    est_jobs_agg_sort(a, 0);
    assert_string_equal(est_jobs_agg_group(a, 0)->period, "2026-01");
    assert_string_equal(est_jobs_agg_group(a, 1)->period, "2026-02");
    assert_close(est_jobs_agg_group(a, 1)->t.energy_kwh, 2.0, 1e-12);
    est_jobs_agg_free(a);
}

static void test_jobs_by_parse_and_states_in_totals(void **state)
{
    unsigned k;
    est_jobs_agg *a;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    size_t i;
    (void)state;
    assert_int_equal(est_jobs_by_parse(&k, "user,month"), 0);
    assert_int_equal(k, EST_JOBS_BY_USER | EST_JOBS_BY_MONTH);
    assert_int_equal(est_jobs_by_parse(&k, "day,month"), EST_EINVAL);
    assert_int_equal(est_jobs_by_parse(&k, "node"), EST_EINVAL);
    /* an empty key, a key twice: refused, never a silent "no grouping" */
    assert_int_equal(est_jobs_by_parse(&k, ""), EST_EINVAL);
    assert_int_equal(est_jobs_by_parse(&k, "user,"), EST_EINVAL);
    assert_int_equal(est_jobs_by_parse(&k, ",user"), EST_EINVAL);
    assert_int_equal(est_jobs_by_parse(&k, "user,,month"), EST_EINVAL);
    assert_int_equal(est_jobs_by_parse(&k, "user,user"), EST_EINVAL);
    assert_int_equal(est_jobs_by_parse(&k, "user,account,partition,state,day"), 0);
    assert_int_equal(k, EST_JOBS_BY_USER | EST_JOBS_BY_ACCOUNT | EST_JOBS_BY_PARTITION |
                            EST_JOBS_BY_STATE | EST_JOBS_BY_DAY);
    go.keys = EST_JOBS_BY_USER;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    memset(&fp, 0, sizeof fp);
    fp.measured_kwh = EST_UNSET;
    /* 1000 users, 3 jobs each: 1000 groups, whatever the number of jobs */
    for (i = 0; i < 3000; i++) {
        snprintf(j.user, sizeof j.user, "u%zu", i % 1000);
        j.state = i % 3 == 0 ? EST_JOBS_STATE_FAILED : EST_JOBS_STATE_COMPLETED;
        fp.energy_kwh = 1.0;
        assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    }
    assert_int_equal(est_jobs_agg_count(a), 1000);
    assert_close(est_jobs_agg_totals(a)->state_kwh[EST_JOBS_STATE_FAILED], 1000.0, 1e-12);
    assert_close(est_jobs_agg_totals(a)->state_jobs[EST_JOBS_STATE_COMPLETED], 2000.0, 1e-12);
    est_jobs_agg_sort(a, 1);
    assert_close(est_jobs_agg_group(a, 0)->t.energy_kwh, 3.0, 1e-12);
    est_jobs_agg_free(a);
    /* keys alike in their first 50 bytes, different after: 2 groups (a
       lookup compares the whole key, not only its head) */
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    for (i = 0; i < 4; i++) {
        snprintf(j.user, sizeof j.user, "%s%zu",
                 "a-very-long-user-name-that-goes-on-and-on-and-on-", i % 2);
        assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    }
    assert_int_equal(est_jobs_agg_count(a), 2);
    assert_close(est_jobs_agg_group(a, 0)->t.jobs, 2.0, 1e-12);
    est_jobs_agg_free(a);
}

static void test_jobs_measured_beside_the_estimate_before_pue(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.pue = 1.5;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &o, &e), 0);
    /* not measured: no estimate beside it */
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_true(fp.estimated_kwh == EST_UNSET);
    /* ConsumedEnergyRaw 180000 J = 180000 / 3.6e6 = 0.05 kWh. The estimate
       before PUE: CPU 4 x 10 W x 0.5 = 20 W, memory 10 GB x 0.3725 = 3.725 W,
       23.725 W x 2 h = 0.04745 kWh (x 1.5 = 0.071175 kWh with PUE);
       ratio 0.04745 / 0.05 = 0.949, gap 0.04745 - 0.05 = -0.00255 kWh */
    j.energy_j = 180000.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.measured_kwh, 0.05, 1e-12);
    assert_close(fp.energy_kwh, 0.071175, 1e-12);
    assert_close(fp.estimated_kwh, 0.04745, 1e-12);
    assert_close(fp.measured_ratio, 0.949, 1e-12);
    /* totals: this job and an unmeasured one (0.071175 kWh with PUE):
       measured 0.05 kWh over 1 job, estimated 0.04745 kWh of that job */
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    j.energy_j = EST_UNSET;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    assert_close(est_jobs_agg_totals(a)->measured_jobs, 1.0, 1e-12);
    assert_close(est_jobs_agg_totals(a)->measured_kwh, 0.05, 1e-12);
    assert_close(est_jobs_agg_totals(a)->estimate_of_measured_kwh, 0.04745, 1e-12);
    /* 2 x 0.071175 */
    assert_close(est_jobs_agg_totals(a)->energy_kwh, 0.14235, 1e-12);
    est_jobs_agg_free(a);
    est_cluster_free(c);
}

typedef struct chart_run {
    est_cluster *c;
    est_jobs_agg *a;
    est_jobs_account_options ao;
} chart_run;

static int chart_job(void *user, const est_job *job)
{
    chart_run *r = user;
    est_jobs_footprint fp;
    est_error e;
    assert_int_equal(est_jobs_account(&fp, r->c, job, &r->ao, &e), 0);
    assert_int_equal(est_jobs_agg_add(r->a, job, &fp), 0);
    return 0;
}

static void test_jobs_charts_bins_by_hand(void **state)
{
    /* TDP 10 W per core, PUE 1, memory not counted (0 W/GB): a job's energy
       is cores x 10 W x usage x hours. ReqMem 1G = 2^30 B, MaxRSS binary. */
    static const char text[] =
        "JobID|User|State|Elapsed|NCPUS|TotalCPU|ReqMem|MaxRSS|ConsumedEnergyRaw\n"
        /* usage 180 / 3600 = 0.05: bin 0; RSS 100M / 1G = 0.09765625: bin 0;
           1 x 10 x 0.05 x 1 h = 0.5 Wh = 0.0005 kWh; measured 1800 J =
           0.0005 kWh; log bin: (log10(5e-4) + 5) x 3 = 1.69897 x 3 = 5.097 */
        "1|ada|COMPLETED|01:00:00|1|03:00|1G|100M|1800\n"
        /* usage 3600 / 7200 = 0.5: bin 5; 512M / 1G = 0.5: bin 5; 2 x 10 x
           0.5 x 1 h = 0.01 kWh: x bin (-2 + 5) x 3 = 9 (on the edge: the bin
           it opens); measured 180000 J = 0.05 kWh: (-1.30103 + 5) x 3 =
           11.097: y bin 11 */
        "2|ada|FAILED|01:00:00|2|01:00:00|1G|512M|180000\n"
        /* usage 8 h / (4 x 2 h) = 1: the last bin; 3G / 1G = 3: overflow;
           4 x 10 x 1 x 2 h = 0.08 kWh; energy 0: not measured */
        "3|bob|COMPLETED|02:00:00|4|08:00:00|1G|3G|0\n"
        /* never ran: in no chart (no CPU-hours, no MaxRSS, no measurement) */
        "4|bob|CANCELLED by 0|00:00:00|1|00:00:00|1G||\n"
        /* usage 1800 / 36000 = 0.05: bin 0; 1G / 1G = 1: the last bin;
           1 x 10 x 0.05 x 10 h = 0.005 kWh: (-2.30103 + 5) x 3 = 8.097, x bin
           8; measured 1e12 J = 277777.8 kWh, beyond 1e5: y bin 29, outside */
        "5|cy|COMPLETED|10:00:00|1|30:00|1G|1G|1000000000000\n"
        /* measured, estimate 0: zero_jobs (usage 0: bin 0, 0 kWh) */
        "6|cy|COMPLETED|01:00:00|1|00:00|1G||3600\n";
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_reader *rd;
    const est_jobs_charts *ch;
    est_jobs_user_total top[EST_JOBS_TOP_USERS];
    chart_run r;
    est_error e;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&r.c, NULL, &o, &e), 0);
    r.ao = (est_jobs_account_options)EST_JOBS_ACCOUNT_OPTIONS_INIT;
    r.ao.memory_w_per_gb = 0.0;
    go.charts = 1;
    go.keys = EST_JOBS_BY_STATE; /* top users whatever the keys */
    assert_int_equal(est_jobs_agg_open(&r.a, &go, &e), 0);
    assert_int_equal(est_jobs_reader_open(&rd, NULL, &e), 0);
    assert_int_equal(est_jobs_read_buffer(rd, text, strlen(text), "c.txt", chart_job, &r, &e),
                     0);
    est_jobs_reader_free(rd);
    ch = est_jobs_agg_charts(r.a);
    assert_non_null(ch);
    /* CPU usage: bin 0 jobs 1, 5, 6; bin 5 job 2; bin 9 job 3 */
    assert_int_equal(ch->cpu_eff_jobs[0], 3);
    assert_int_equal(ch->cpu_eff_jobs[5], 1);
    assert_int_equal(ch->cpu_eff_jobs[9], 1);
    /* 0.0005 + 0.005 + 0 = 0.0055 kWh; 0.01; 0.08 */
    assert_close(ch->cpu_eff_kwh[0], 0.0055, 1e-12);
    assert_close(ch->cpu_eff_kwh[5], 0.01, 1e-12);
    assert_close(ch->cpu_eff_kwh[9], 0.08, 1e-12);
    /* memory: job 1 bin 0, job 2 bin 5, job 5 bin 9, job 3 overflow */
    assert_int_equal(ch->mem_frac_jobs[0], 1);
    assert_int_equal(ch->mem_frac_jobs[5], 1);
    assert_int_equal(ch->mem_frac_jobs[9], 1);
    assert_int_equal(ch->mem_frac_jobs[1] + ch->mem_frac_jobs[8], 0);
    assert_int_equal(ch->mem_frac_overflow_jobs, 1);
    assert_close(ch->mem_frac_overflow_kwh, 0.08, 1e-12);
    assert_close(ch->mem_frac_kwh[9], 0.005, 1e-12);
    /* measured against estimated */
    assert_int_equal(ch->mve_counts[5][5], 1);
    assert_int_equal(ch->mve_counts[9][11], 1);
    assert_int_equal(ch->mve_counts[8][29], 1);
    assert_int_equal(ch->mve_outside_jobs, 1);
    assert_int_equal(ch->mve_zero_jobs, 1);
    /* edges: 10^-5, 10^(-5 + 1/3), ..., 10^5 */
    assert_close(est_jobs_chart_log_edge(0), 1e-5, 1e-12);
    assert_close(est_jobs_chart_log_edge(3), 1e-4, 1e-12);
    assert_close(est_jobs_chart_log_edge(30), 1e5, 1e-12);
    /* top users: bob 0.08 kWh (2 jobs), ada 0.0105 (2), cy 0.005 (2);
       CO2e at 100 g/kWh: 8, 1.05, 0.5 g */
    assert_int_equal(est_jobs_agg_top_users(top, EST_JOBS_TOP_USERS, r.a), 3);
    assert_string_equal(top[0].user, "bob");
    assert_close(top[0].energy_kwh, 0.08, 1e-12);
    assert_close(top[0].jobs, 2.0, 1e-12);
    assert_close(top[0].co2e_g, 8.0, 1e-12);
    assert_string_equal(top[1].user, "ada");
    assert_close(top[1].energy_kwh, 0.0105, 1e-12);
    assert_string_equal(top[2].user, "cy");
    /* at most 2 asked: the 2 largest */
    assert_int_equal(est_jobs_agg_top_users(top, 2, r.a), 2);
    assert_string_equal(top[1].user, "ada");
    est_jobs_agg_free(r.a);
    /* keyed by user alone, the groups are the users' sums: the same top */
    go.keys = EST_JOBS_BY_USER;
    assert_int_equal(est_jobs_agg_open(&r.a, &go, &e), 0);
    assert_int_equal(est_jobs_reader_open(&rd, NULL, &e), 0);
    assert_int_equal(est_jobs_read_buffer(rd, text, strlen(text), "c.txt", chart_job, &r, &e),
                     0);
    est_jobs_reader_free(rd);
    est_jobs_agg_sort(r.a, 0); /* order of the groups does not matter */
    assert_int_equal(est_jobs_agg_top_users(top, EST_JOBS_TOP_USERS, r.a), 3);
    assert_string_equal(top[0].user, "bob");
    assert_string_equal(top[2].user, "cy");
    assert_close(top[2].energy_kwh, 0.005, 1e-12);
    est_jobs_agg_free(r.a);
    /* without charts: none, and no user sums */
    go.charts = 0;
    assert_int_equal(est_jobs_agg_open(&r.a, &go, &e), 0);
    assert_null(est_jobs_agg_charts(r.a));
    assert_int_equal(est_jobs_agg_top_users(top, 10, r.a), 0);
    est_jobs_agg_free(r.a);
    est_cluster_free(r.c);
}

/* Europe/Paris around 2026-03-29: +01:00, then +02:00 from 01:00 UTC. */
#define PARIS_CHANGE_UNIX_S (20541.0 * 86400.0 + 3600.0)
static long paris_offset(void *user, double t)
{
    (void)user;
    return t < PARIS_CHANGE_UNIX_S ? 3600L : 7200L;
}

static void test_jobs_days_split_across_a_dst_change(void **state)
{
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    /* 2026-03-28 is day 20454 + 31 + 28 + 27 = 20540 */
    double t = 20540.0 * 86400.0;
    (void)state;
    memset(&fp, 0, sizeof fp);
    fp.energy_kwh = 25.0;
    fp.measured_kwh = EST_UNSET;
    /* 2026-03-28T22:00Z .. 2026-03-29T23:00Z, 25 h. In Paris: 23:00 on the
       28th (+01:00) .. 01:00 on the 30th (+02:00). The 29th is a 23-hour
       day, 2026-03-28T23:00Z .. 2026-03-29T22:00Z: 1 h on the 28th, 23 h on
       the 29th, 1 h on the 30th: 1, 23 and 1 kWh of 25. */
    j.has_start = j.has_end = 1;
    j.start_unix_s = t + 22.0 * 3600.0;
    j.end_unix_s = t + 47.0 * 3600.0;
    j.elapsed_s = 25.0 * 3600.0;
    go.keys = EST_JOBS_BY_DAY;
    go.utc_offset_at = paris_offset;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    est_jobs_agg_sort(a, 0);
    assert_int_equal(est_jobs_agg_count(a), 3);
    assert_string_equal(est_jobs_agg_group(a, 0)->period, "2026-03-28");
    assert_string_equal(est_jobs_agg_group(a, 1)->period, "2026-03-29");
    assert_string_equal(est_jobs_agg_group(a, 2)->period, "2026-03-30");
    assert_close(est_jobs_agg_group(a, 0)->t.energy_kwh, 1.0, 1e-12);
    assert_close(est_jobs_agg_group(a, 1)->t.energy_kwh, 23.0, 1e-12);
    assert_close(est_jobs_agg_group(a, 2)->t.energy_kwh, 1.0, 1e-12);
    est_jobs_agg_free(a);
    /* a fixed +01:00 instead: 1 h on the 28th, 24 h on the 29th (its end,
       2026-03-30T00:00+01:00, is the job's) */
    go.utc_offset_at = NULL;
    go.day_utc_offset_s = 3600;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    est_jobs_agg_sort(a, 0);
    assert_int_equal(est_jobs_agg_count(a), 2);
    assert_close(est_jobs_agg_group(a, 1)->t.energy_kwh, 24.0, 1e-12);
    est_jobs_agg_free(a);
}

static void test_jobs_node_scope_from_the_partitions_nodes(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    c = cluster_from("partitions:\n"
                     "  cpu:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    cores_per_node: 8\n"
                     "    memory_gb_per_node: 64\n"
                     "    static_node_w: 50\n"
                     "    pue: 1.5\n"
                     "    ci_g_co2e_per_kwh: 100\n",
                     &o);
    /* plain_job: 4 of the node's 8 cores at usage 0.5, 10 GB, 2 h, 1 node.
       Process scope: CPU 4 x 10 x 0.5 = 20 W, memory 10 x 0.3725 = 3.725 W,
       static share 50 x 4/8 = 25 W: 48.725 W x 1.5 x 2 h = 0.146175 kWh.
       Node scope (the tdp model has no idle floor: unused cores 0 W): static
       50 W + CPU 20 W + the node's memory 64 x 0.3725 = 23.84 W = 93.84 W x
       1.5 x 2 h = 0.28152 kWh, static 50 x 1.5 x 2 / 1000 = 0.15 kWh */
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.energy_kwh, 0.146175, 1e-12);
    assert_close(fp.node_kwh, 0.28152, 1e-12);
    ao.scope = EST_MODEL_SCOPE_NODE;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.energy_kwh, 0.28152, 1e-12);
    assert_close(fp.static_kwh, 0.15, 1e-12);
    assert_close(fp.co2e_g, 28.152, 1e-12);
    /* the process figure keeps its static share whatever the headline
       scope: 0.146175 kWh, as under the process scope above; allocation
       adds nothing here (the tdp model, no GPU): also 0.146175 kWh */
    assert_close(fp.process_kwh, 0.146175, 1e-12);
    assert_close(fp.allocation_kwh, 0.146175, 1e-12);
    /* measured 0.2 kWh (720000 J): the node scope before PUE beside it,
       93.84 W x 2 h = 0.18768 kWh */
    j.energy_j = 720000.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.estimated_kwh, 0.18768, 1e-12);
    /* two nodes: 16 cores, 128 GB, 100 W static; 93.84 -> 100 + 20 + 47.68
       = 167.68 W x 1.5 x 2 h = 0.50304 kWh */
    j.nnodes = 2;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.energy_kwh, 0.50304, 1e-12);
    est_cluster_free(c);
}

/* The CPU power curve (est_jobs_account_options version 4), from a small
   curve table and hardware database written here, so that the figures do
   not follow the shipped ones:
     test-ice  match "Ice 63"  idle 0.2, full load 0.8, r 2
     default   match "*"       idle 0.1, full load 0.6, r 1
   Partition ice names its CPU, "Test Ice 6338" (8 cores, 80 W: 10 W a
   core, and 8 cores a node from its row): the test-ice row. Partition tdp
   gives cpu_tdp_per_core_w 10 and cores_per_node 8: the default row. Both
   16 GB and 20 W static a node, PUE 1, 100 g/kWh.
   plain_job: 4 cores at usage 0.5, 10 GB, 2 h, 1 node. Memory 10 x 0.3725
   = 3.725 W (node 16 x 0.3725 = 5.96 W); the process and allocation scopes
   add the static share 20 x 4/8 = 10 W, the node scope its 20 W.
   ice: f(0.5) = 2 x 0.5 - 0.5^2 = 0.75; a core's idle floor 0.2 x 10 = 2 W,
   its dynamic range (0.8 - 0.2) x 10 = 6 W:
     process    CPU 4 x 6 x 0.75 = 18 W;   18 + 3.725 + 10 = 31.725 W
                x 2 h = 0.06345 kWh (CPU 0.036 kWh)
     allocation CPU 4 x 2 + 18 = 26 W;     26 + 3.725 + 10 = 39.725 W
                = 0.07945 kWh
     node       CPU 8 x 2 + 18 = 34 W;     20 + 34 + 5.96 = 59.96 W
                = 0.11992 kWh (CPU 0.068 kWh); the tdp model's node:
                20 + 4 x 10 x 0.5 + 5.96 = 45.96 W: the 4 idle cores' 8 W
                and the job's cores' 2 W below the linear TDP line differ
   tdp (default row): f(0.5) = 2 x 0.5 - 0.5^1 = 0.5; idle 0.1 x 10 = 1 W,
   range (0.6 - 0.1) x 10 = 5 W:
     process    CPU 4 x 5 x 0.5 = 10 W;    10 + 3.725 + 10 = 23.725 W
                = 0.04745 kWh
     allocation CPU 4 x 1 + 10 = 14 W;     14 + 3.725 + 10 = 27.725 W
                = 0.05545 kWh
     node       CPU 8 x 1 + 10 = 18 W;     20 + 18 + 5.96 = 43.96 W
                = 0.08792 kWh
   On two ice nodes (NNodes 2, the same 4 cores): 16 cores, 32 GB, 40 W
   static: 40 + 16 x 2 + 18 + 32 x 0.3725 (11.92) = 101.92 W = 0.20384 kWh. */
static void test_jobs_cpu_power_curve_by_partition_row(void **state)
{
    char *dir = test_mkdtemp(), path[4096];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_hwdb *db = NULL;
    est_power_curves *curves = NULL;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp, fp2;
    est_error e;
    (void)state;
    snprintf(path, sizeof path, "%s/cpu.csv", dir);
    test_write_file(path, "model,vendor,cores,threads,tdp_w,year,source\n"
                          "Test Ice 6338,Intel,8,16,80,2021,test\n");
    snprintf(path, sizeof path, "%s/gpu.csv", dir);
    test_write_file(path, "model,vendor,tdp_w,idle_w,memory_gb,form_factor,year,source\n");
    snprintf(path, sizeof path, "%s/aliases.csv", dir);
    test_write_file(path, "alias,kind,model,note\n");
    ho.shipped_dir = dir;
    ho.index_path = "";
    assert_int_equal(est_hwdb_open(&db, &ho, &e), EST_OK);
    snprintf(path, sizeof path, "%s/curves.csv", dir);
    test_write_file(path, "family,match,idle_frac,max_frac,exponent,source\n"
                          "test-ice,Ice 63,0.2,0.8,2,test\n"
                          "default,*,0.1,0.6,1,test\n");
    assert_int_equal(est_power_curves_open(&curves, path, &e), EST_OK);
    o.hwdb = db;
    c = cluster_from("partitions:\n"
                     "  ice:\n"
                     "    cpu: \"Test Ice 6338\"\n"
                     "    memory_gb_per_node: 16\n"
                     "    static_node_w: 20\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n"
                     "  short:\n"
                     "    cpu: \"6338\"\n"
                     "    pue: 1\n"
                     "  tdp:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    cores_per_node: 8\n"
                     "    memory_gb_per_node: 16\n"
                     "    static_node_w: 20\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n",
                     &o);
    assert_int_equal(est_cluster_find(c, "ice", NULL)->cores_per_node, 8);
    strcpy(j.partition, "ice");

    /* the default model: Green Algorithms' line, no family */
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.cpu_kwh, 0.04, 1e-12); /* 4 x 10 x 0.5 x 2 h */
    assert_close(fp.node_kwh, 0.09192, 1e-12); /* 45.96 W x 2 h */
    assert_string_equal(fp.cpu_curve_family, "");

    ao.cpu_power_model = EST_MODEL_CPU_POWER_CURVE;
    ao.cpu_curves = curves;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_string_equal(fp.cpu_curve_family, "test-ice");
    /* a CPU written short ("6338") finds its row by the hardware
       database's name it resolves to, "Test Ice 6338" (pattern "Ice 63") */
    assert_string_equal(est_cluster_find(c, "short", NULL)->cpu_hwdb_model, "Test Ice 6338");
    assert_string_equal(est_cluster_find(c, "short", NULL)->cpu_model, "6338");
    assert_string_equal(est_cluster_find(c, "tdp", NULL)->cpu_hwdb_model, "");
    strcpy(j.partition, "short");
    assert_int_equal(est_jobs_account(&fp2, c, &j, &ao, &e), 0);
    assert_string_equal(fp2.cpu_curve_family, "test-ice");
    strcpy(j.partition, "ice");
    assert_close(fp.cpu_kwh, 0.036, 1e-12);
    assert_close(fp.energy_kwh, 0.06345, 1e-12);
    assert_close(fp.process_kwh, 0.06345, 1e-12);
    assert_close(fp.allocation_kwh, 0.07945, 1e-12);
    assert_close(fp.node_kwh, 0.11992, 1e-12);
    assert_close(fp.co2e_g, 6.345, 1e-12);
    ao.scope = EST_MODEL_SCOPE_NODE;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.energy_kwh, 0.11992, 1e-12);
    assert_close(fp.cpu_kwh, 0.068, 1e-12);
    assert_close(fp.static_kwh, 0.04, 1e-12);
    j.nnodes = 2;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.energy_kwh, 0.20384, 1e-12);
    j.nnodes = 1;

    /* a partition given by its TDP per core: the default row */
    ao.scope = EST_MODEL_SCOPE_PROCESS;
    strcpy(j.partition, "tdp");
    assert_int_equal(est_jobs_account(&fp2, c, &j, &ao, &e), 0);
    assert_string_equal(fp2.cpu_curve_family, "default");
    assert_close(fp2.cpu_kwh, 0.02, 1e-12);
    assert_close(fp2.process_kwh, 0.04745, 1e-12);
    assert_close(fp2.allocation_kwh, 0.05545, 1e-12);
    assert_close(fp2.node_kwh, 0.08792, 1e-12);
    /* two parts of one job on the two rows: "several" */
    strcpy(j.partition, "ice");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_int_equal(est_jobs_footprint_add(&fp, &fp2), 0);
    assert_string_equal(fp.cpu_curve_family, "several");
    assert_close(fp.process_kwh, 0.06345 + 0.04745, 1e-12);

    /* version 3 options have no model: the tdp line whatever follows */
    ao.version = 3;
    ao.cpu_curves = NULL;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.cpu_kwh, 0.04, 1e-12);
    assert_string_equal(fp.cpu_curve_family, "");
    ao.version = EST_JOBS_ACCOUNT_OPTIONS_VERSION;

    /* the curve needs its table; ga4hpc takes none; an unknown model */
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "cpu_curves: the CPU power curve needs a curve table"));
    ao.cpu_curves = curves;
    ao.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "method ga4hpc"));
    ao.method = EST_JOBS_METHOD_ECOEST;
    ao.cpu_power_model = (est_model_cpu_power)7;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), EST_EINVAL);
    assert_non_null(strstr(e.message, "cpu_power_model: unknown model 7"));

    est_cluster_free(c);
    est_power_curves_free(curves);
    est_hwdb_free(db);
    test_rmtree(dir);
    free(dir);
}

/* ------------------------------------------------------- derived figures */

/* est_jobs_derive over sums written by hand. */
static void test_jobs_derive_by_hand(void **state)
{
    est_jobs_totals t;
    est_jobs_derived d;
    (void)state;
    memset(&t, 0, sizeof t);
    t.energy_kwh = 8.0;
    t.state_kwh[EST_JOBS_STATE_COMPLETED] = 6.0;
    t.state_kwh[EST_JOBS_STATE_FAILED] = 1.5;
    t.state_kwh[EST_JOBS_STATE_TIMEOUT] = 0.5;
    t.failed_kwh = 2.0;
    t.mem_used_gbh = 30.0;
    t.mem_req_known_gbh = 120.0;
    t.measured_kwh = 4.0;
    t.estimate_of_measured_kwh = 3.0;
    t.estimate_of_measured_process_kwh = 3.0;
    t.estimate_of_measured_allocation_kwh = 5.0;
    t.estimate_of_measured_node_kwh = 10.0;
    assert_int_equal(est_jobs_derive(&d, &t), 0);
    /* memory used 30 / 120 = 0.25 */
    assert_close(d.mem_used_frac, 0.25, 1e-15);
    /* not completed: 8 - 6 = 2 kWh; shares 6 / 8 = 0.75, 1.5 / 8 =
       0.1875, 0.5 / 8 = 0.0625; failed 2 / 8 = 0.25 */
    assert_close(d.not_completed_kwh, 2.0, 1e-15);
    assert_close(d.state_energy_frac[EST_JOBS_STATE_COMPLETED], 0.75, 1e-15);
    assert_close(d.state_energy_frac[EST_JOBS_STATE_FAILED], 0.1875, 1e-15);
    assert_close(d.state_energy_frac[EST_JOBS_STATE_TIMEOUT], 0.0625, 1e-15);
    assert_true(d.state_energy_frac[EST_JOBS_STATE_CANCELLED] == 0.0);
    assert_close(d.failed_energy_frac, 0.25, 1e-15);
    /* gap 3 - 4 = -1 kWh, -1 / 4 = -0.25; ratios 3 / 4 = 0.75 (headline
       and process), 5 / 4 = 1.25, 10 / 4 = 2.5 */
    assert_close(d.measured_gap_kwh, -1.0, 1e-15);
    assert_close(d.measured_gap_frac, -0.25, 1e-15);
    assert_close(d.measured_ratio, 0.75, 1e-15);
    assert_close(d.measured_process_ratio, 0.75, 1e-15);
    assert_close(d.measured_allocation_ratio, 1.25, 1e-15);
    assert_close(d.measured_node_ratio, 2.5, 1e-15);

    /* nothing: no ratio, no memory fraction; shares and gaps 0 */
    memset(&t, 0, sizeof t);
    assert_int_equal(est_jobs_derive(&d, &t), 0);
    assert_true(d.mem_used_frac == EST_UNSET);
    assert_true(d.measured_ratio == EST_UNSET);
    assert_true(d.measured_process_ratio == EST_UNSET);
    assert_true(d.measured_allocation_ratio == EST_UNSET);
    assert_true(d.measured_node_ratio == EST_UNSET);
    assert_true(d.measured_gap_kwh == 0.0 && d.measured_gap_frac == 0.0);
    assert_true(d.not_completed_kwh == 0.0 && d.failed_energy_frac == 0.0);
    assert_true(d.state_energy_frac[EST_JOBS_STATE_COMPLETED] == 0.0);
    assert_int_equal(est_jobs_derive(NULL, &t), EST_EINVAL);
    assert_int_equal(est_jobs_derive(&d, NULL), EST_EINVAL);
}

/* The per-job gap and the totals' ratios of a job accounted (the job of
   test_jobs_measured_beside_the_estimate_before_pue). */
static void test_jobs_derive_of_accounted_jobs(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_jobs_agg *a;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_jobs_derived d;
    est_error e;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.pue = 1.5;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &o, &e), 0);
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    /* not measured: no gap */
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_true(fp.measured_gap_kwh == EST_UNSET);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    /* measured 180000 J = 0.05 kWh; estimated before PUE: (4 x 10 W x 0.5
       + 10 GB x 0.3725 W) x 2 h = 23.725 W x 2 h = 0.04745 kWh; gap
       0.04745 - 0.05 = -0.00255 kWh. The allocation scope differs from the
       process scope only by idle GPUs: without any, 0.04745 kWh too */
    j.energy_j = 180000.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, NULL, &e), 0);
    assert_close(fp.measured_gap_kwh, -0.00255, 1e-12);
    assert_close(fp.estimated_allocation_kwh, 0.04745, 1e-12);
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    /* the totals: the measured job only: gap -0.00255 kWh, -0.00255 / 0.05
       = -0.051; ratios 0.04745 / 0.05 = 0.949 (headline, process and
       allocation). Both jobs COMPLETED: nothing
       not completed. Memory 4 GB used of 10 over 2 h each: 16 / 40 = 0.4 */
    assert_int_equal(est_jobs_derive(&d, est_jobs_agg_totals(a)), 0);
    assert_close(d.measured_gap_kwh, -0.00255, 1e-12);
    assert_close(d.measured_gap_frac, -0.051, 1e-12);
    assert_close(d.measured_ratio, 0.949, 1e-12);
    assert_close(d.measured_process_ratio, 0.949, 1e-12);
    assert_close(d.measured_allocation_ratio, 0.949, 1e-12);
    assert_close(d.not_completed_kwh, 0.0, 1e-12);
    assert_close(d.mem_used_frac, 0.4, 1e-12);
    /* ga4hpc: the gap of its own figures (energy / PUE: 0.04745 kWh too,
       with CPU from TotalCPU 4 h x 10 W = 40 Wh, memory 10 x 0.3725 x 2 =
       7.45 Wh) */
    {
        est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
        ao.method = EST_JOBS_METHOD_GA4HPC;
        j.ga_req_mem_gb = 10.0;
        j.ga_total_cpu_s = 14400.0;
        j.ga_elapsed_s = 7200.0;
        assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
        assert_close(fp.measured_gap_kwh, 0.04745 - 0.05, 1e-12);
    }
    est_jobs_agg_free(a);
    est_cluster_free(c);
}

/* The job as each method reads it, for the per-job columns: ecoest's
   allocation row, or GreenAlgorithms4HPC's largest over the rows. */
static void test_jobs_footprint_carries_the_methods_reading(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.gpu_tdp_w = 300.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &o, &e), 0);
    j.gpus = 2;            /* typed and untyped: 2 */
    j.ga_gpus = 1;         /* untyped only: 1 */
    j.ga_ncpus = 8;        /* a step row's NCPUS above the allocation's 4 */
    j.ga_elapsed_s = 9000.0; /* a step row's Elapsed above 7200 s */
    j.ga_req_mem_gb = 10.0;
    j.ga_total_cpu_s = 14400.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.elapsed_s, 7200.0, 1e-15);
    assert_int_equal(fp.cpus, 4);
    assert_int_equal(fp.gpus, 2);
    ao.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.elapsed_s, 9000.0, 1e-15);
    assert_int_equal(fp.cpus, 8);
    assert_int_equal(fp.gpus, 1);
    /* its GPU energy: 9000 s = 2.5 h x 1 GPU x 300 W = 0.75 kWh */
    assert_close(fp.gpu_kwh, 0.75, 1e-12);
    est_cluster_free(c);
}

/* Which states the end-of-job hook waits past, and the charts' 0..1 edges. */
static void test_jobs_state_finished_and_frac_edges(void **state)
{
    (void)state;
    assert_true(est_jobs_state_finished(EST_JOBS_STATE_COMPLETED));
    assert_true(est_jobs_state_finished(EST_JOBS_STATE_FAILED));
    assert_true(est_jobs_state_finished(EST_JOBS_STATE_CANCELLED));
    assert_true(est_jobs_state_finished(EST_JOBS_STATE_TIMEOUT));
    assert_true(est_jobs_state_finished(EST_JOBS_STATE_OUT_OF_MEMORY));
    assert_true(est_jobs_state_finished(EST_JOBS_STATE_NODE_FAIL));
    assert_false(est_jobs_state_finished(EST_JOBS_STATE_RUNNING));
    assert_false(est_jobs_state_finished(EST_JOBS_STATE_PENDING));
    assert_false(est_jobs_state_finished(EST_JOBS_STATE_SUSPENDED));
    assert_false(est_jobs_state_finished(EST_JOBS_STATE_REQUEUED));
    assert_false(est_jobs_state_finished(EST_JOBS_STATE_COUNT));
    /* i / 10: 0, 0.3, 1; past the last, 1 */
    assert_true(est_jobs_chart_frac_edge(0) == 0.0);
    assert_close(est_jobs_chart_frac_edge(3), 0.3, 1e-15);
    assert_true(est_jobs_chart_frac_edge(EST_JOBS_CHART_BINS) == 1.0);
    assert_true(est_jobs_chart_frac_edge(EST_JOBS_CHART_BINS + 5) == 1.0);
}

/* ---------------------------------------------------------- embodied */

static est_embodied_factors *shipped_factors(void)
{
    char path[4096];
    est_embodied_factors *f = NULL;
    est_error e;
    snprintf(path, sizeof path, "%s/carbon/embodied.csv", getenv("ECOEST_SOURCE_DIR"));
    if (est_embodied_factors_open(&f, path, &e) != 0)
        fail_msg("%s", e.message);
    return f;
}

/*
 * carbon/embodied.csv's factors, local server: lifetime 5 years, active
 * 0.2; CPU 11 cm2 x 1970 + 9140 = 30810 g a package; GPU 6.162 cm2 x 1970
 * + 26970 = 12139.14 + 26970 = 39109.14 g; memory GB / 1.8762 x 2200 + GB
 * / 32 x 5220; the rest of a server 247080 g.
 * A job of 10 h: share_frac = 10 / (5 x 8766 x 0.2) = 10 / 8766
 * = 0.00114077116130504.
 */
#define EMB_SHARE (10.0 / (5.0 * 8766.0 * 0.2))
#define EMB_CPU 30810.0
#define EMB_GPU (6.162 * 1970.0 + 26970.0)
#define EMB_MEM(gb) ((gb) / 1.8762 * 2200.0 + (gb) / 32.0 * 5220.0)
#define EMB_REST 247080.0

static void test_jobs_embodied_share_by_hand(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_embodied_factors *f = shipped_factors();
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    double without, emb;
    (void)state;
    c = cluster_from("partitions:\n"
                     "  gpu:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    cores_per_node: 32\n"
                     "    gpu_tdp_w: 300\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n",
                     &o);
    strcpy(j.partition, "gpu");
    j.ncpus = 8;
    j.gpus = 1;
    j.req_mem_gb = 64.0;
    j.elapsed_s = 36000.0;
    j.total_cpu_s = 8.0 * 36000.0;
    ao.embodied = f;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    /* 8 of 32 cores: 0.25 of a node, so 0.25 package: 0.25 x 30810 =
       7702.5 g; 1 GPU 39109.14 g; 64 GB: 64 / 1.8762 x 2200 = 75045.3043
       + 2 strips x 5220 = 10440: 85485.3043 g; the rest 0.25 x 247080 =
       61770 g; in all 194066.9443 g x 10 / 8766 = 221.385973 g */
    emb = EMB_SHARE * (0.25 * EMB_CPU + EMB_GPU + EMB_MEM(64.0) + 0.25 * EMB_REST);
    assert_close(emb, 221.385973464, 1e-9);
    assert_close(fp.embodied_co2e_g, emb, 1e-12);
    /* not in the CO2e without include_embodied: the energy's only (CPU 8 x
       10 W = 80 W, GPU 300 W at usage 1, memory 64 x 0.3725 = 23.84 W:
       403.84 W x 10 h = 4.0384 kWh x 100 g = 403.84 g) */
    assert_close(fp.co2e_g, 403.84, 1e-12);
    without = fp.co2e_g;
    ao.include_embodied = 1;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.co2e_g, without + emb, 1e-12);
    assert_close(fp.energy_kwh, 4.0384, 1e-12);
    /* GreenAlgorithms4HPC's energy, the same hardware held */
    ao.method = EST_JOBS_METHOD_GA4HPC;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, emb, 1e-12);
    ao.method = EST_JOBS_METHOD_ECOEST;
    ao.include_embodied = 0;

    /* two nodes, 48 of their 64 cores, no GPU, 128 GB: 1.5 nodes held:
       1.5 x 30810 = 46215 g; 128 / 1.8762 x 2200 = 150090.6087 + 4 x 5220
       = 20880: 170970.6087 g; the rest 0.75 of each of 2 nodes = 1.5 x
       247080 = 370620 g; 587805.6087 g x 10 / 8766 = 670.551687 g */
    j.ncpus = 48;
    j.nnodes = 2;
    j.gpus = 0;
    j.req_mem_gb = 128.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, 670.551686832, 1e-9);
    assert_close(fp.embodied_co2e_g,
                 EMB_SHARE * (1.5 * EMB_CPU + EMB_MEM(128.0) + 1.5 * EMB_REST), 1e-12);
    /* 80 CPUs on 2 nodes of 32 cores (hyperthreads): at most the 2 nodes:
       2 x 30810 + 170970.6087 + 2 x 247080 = 726750.6087 g x 10 / 8766 =
       829.056136 g */
    j.ncpus = 80;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, 829.056135840, 1e-9);

    /* an older caller (version 2) has no factors: none */
    ao.version = 2;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, 0.0, 1e-12);
    ao.version = EST_JOBS_ACCOUNT_OPTIONS_VERSION;
    /* never ran: nothing held */
    j.elapsed_s = 0.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, 0.0, 1e-12);
    /* NULL factors: none */
    j.elapsed_s = 36000.0;
    ao.embodied = NULL;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, 0.0, 1e-12);
    est_cluster_free(c);
    est_embodied_factors_free(f);
}

/* A partition without cores_per_node: the job holds its whole nodes. */
static void test_jobs_embodied_whole_nodes_when_cores_unknown(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_embodied_factors *f = shipped_factors();
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &o, &e), 0);
    ao.embodied = f;
    j.ncpus = 8;
    j.nnodes = 2;
    j.req_mem_gb = 128.0;
    j.elapsed_s = 36000.0;
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    /* 2 nodes held: 2 x 30810 + 170970.6087 + 2 x 247080 = 726750.6087 g
       x 10 / 8766 = 829.056136 g */
    assert_close(fp.embodied_co2e_g,
                 EMB_SHARE * (2.0 * EMB_CPU + EMB_MEM(128.0) + 2.0 * EMB_REST), 1e-12);
    assert_close(fp.embodied_co2e_g, 829.056135840, 1e-9);
    est_cluster_free(c);
    est_embodied_factors_free(f);
}

/* The totals and each group sum the share; the CO2e holds it only when
   included. */
static void test_jobs_embodied_summed_in_totals(void **state)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_jobs_agg_options go = EST_JOBS_AGG_OPTIONS_INIT;
    est_embodied_factors *f = shipped_factors();
    est_cluster *c;
    est_jobs_agg *a;
    est_job j = plain_job(), k = plain_job();
    est_jobs_footprint fp;
    const est_jobs_totals *t;
    est_error e;
    size_t i;
    double co2e_energy;
    (void)state;
    o.cpu_tdp_per_core_w = 10.0;
    o.pue = 1.0;
    o.ci_g_co2e_per_kwh = 100.0;
    assert_int_equal(est_cluster_open(&c, NULL, &o, &e), 0);
    go.keys = EST_JOBS_BY_USER;
    assert_int_equal(est_jobs_agg_open(&a, &go, &e), 0);
    ao.embodied = f;
    ao.include_embodied = 1;
    /* ada: 1 node, 10 h, 64 GB: 30810 + 85485.3043 + 247080 = 363375.3043 g
       x 10 / 8766 = 414.528068 g; bob: the same for 5 h: 207.264034 g */
    j.req_mem_gb = 64.0;
    j.elapsed_s = 36000.0;
    k.req_mem_gb = 64.0;
    k.elapsed_s = 18000.0;
    strcpy(k.id, "43");
    strcpy(k.user, "bob");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    assert_close(fp.embodied_co2e_g, 414.528068, 1e-8);
    co2e_energy = fp.energy_kwh * 100.0;
    assert_int_equal(est_jobs_agg_add(a, &j, &fp), 0);
    assert_int_equal(est_jobs_account(&fp, c, &k, &ao, &e), 0);
    co2e_energy += fp.energy_kwh * 100.0;
    assert_int_equal(est_jobs_agg_add(a, &k, &fp), 0);
    t = est_jobs_agg_totals(a);
    /* 414.528068 + 207.264034 = 621.792102 g */
    assert_close(t->embodied_co2e_g,
                 1.5 * EMB_SHARE * (EMB_CPU + EMB_MEM(64.0) + EMB_REST), 1e-12);
    assert_close(t->embodied_co2e_g, 621.792102, 1e-8);
    assert_close(t->co2e_g, co2e_energy + t->embodied_co2e_g, 1e-12);
    est_jobs_agg_sort(a, 0);
    assert_int_equal(est_jobs_agg_count(a), 2);
    for (i = 0; i < 2; i++) {
        const est_jobs_group *g = est_jobs_agg_group(a, i);
        assert_close(g->t.embodied_co2e_g,
                     (strcmp(g->user, "ada") == 0 ? 1.0 : 0.5) * EMB_SHARE *
                         (EMB_CPU + EMB_MEM(64.0) + EMB_REST),
                     1e-12);
    }
    est_jobs_agg_free(a);
    est_cluster_free(c);
    est_embodied_factors_free(f);
}

/* A partition that names its CPU takes that CPU's die area from its hwdb
   row (hwdb/cpu.csv: EPYC 7763, 64 cores, 280 W, 10.64 cm2); one given by
   its TDP, the server class default, 11 cm2. */
static void test_jobs_embodied_die_area_from_the_partitions_cpu(void **state)
{
    char dir[4096];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_embodied_factors *f = shipped_factors();
    est_hwdb *db = NULL;
    est_cluster *c;
    const est_cluster_partition *p;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    double epyc, tdp;
    size_t i;
    (void)state;
    snprintf(dir, sizeof dir, "%s/hwdb", getenv("ECOEST_SOURCE_DIR"));
    ho.shipped_dir = dir;
    ho.index_path = "";
    assert_int_equal(est_hwdb_open(&db, &ho, &e), EST_OK);
    o.hwdb = db;
    o.cpu_model = "EPYC 7763"; /* the default partition too */
    c = cluster_from("partitions:\n"
                     "  epyc:\n"
                     "    cpu: EPYC 7763\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n"
                     "    nodes:\n"
                     "      \"slow*\":\n"
                     "        cpu_tdp_per_core_w: 3\n"
                     "      \"wet*\":\n"
                     "        pue: 1.1\n"
                     "  tdp:\n"
                     "    cpu_tdp_per_core_w: 4.375\n"
                     "    cores_per_node: 64\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n",
                     &o);
    /* the entries: epyc, its two node patterns, tdp */
    assert_int_equal(est_cluster_count(c), 4);
    for (i = 0; i < 4; i++) {
        p = est_cluster_at(c, i);
        if (strcmp(p->name, "tdp") == 0 || strcmp(p->node_pattern, "slow*") == 0)
            assert_true(p->cpu_die_area_cm2 == EST_UNSET); /* a TDP: not known */
        else
            assert_close(p->cpu_die_area_cm2, 10.64, 1e-15); /* its own, inherited */
    }
    p = est_cluster_find(c, "epyc", NULL);
    /* 280 W / 64 cores = 4.375 W a core; cores_per_node from the row, 64 */
    assert_close(p->cpu_tdp_per_core_w, 4.375, 1e-15);
    assert_int_equal(p->cores_per_node, 64);
    assert_close(est_cluster_find(c, "elsewhere", NULL)->cpu_die_area_cm2, 10.64, 1e-15);

    /* 32 of a node's 64 cores for 10 h, 64 GB, no GPU: half a node held.
       share 10 / (5 x 8766 x 0.2) = 10 / 8766.
       EPYC 7763: 0.5 x (10.64 x 1970 + 9140) = 0.5 x (20960.8 + 9140) =
       15050.4 g; memory 64 / 1.8762 x 2200 = 75045.3043 + 64 / 32 x 5220
       = 10440: 85485.3043 g; the rest 0.5 x 247080 = 123540 g; in all
       224075.7043 g x 10 / 8766 = 255.619101 g.
       By TDP only: 0.5 x (11 x 1970 + 9140) = 0.5 x 30810 = 15405 g, in
       all 224430.3043 g x 10 / 8766 = 256.023619 g: (15405 - 15050.4) x 10
       / 8766 = 354.6 x 10 / 8766 = 0.404517 g more. */
    ao.embodied = f;
    j.ncpus = 32;
    j.elapsed_s = 36000.0;
    j.total_cpu_s = 32.0 * 36000.0;
    j.req_mem_gb = 64.0;
    strcpy(j.partition, "epyc");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    epyc = fp.embodied_co2e_g;
    assert_close(epyc, EMB_SHARE * (0.5 * (10.64 * 1970.0 + 9140.0) + EMB_MEM(64.0) +
                                    0.5 * EMB_REST), 1e-12);
    assert_close(epyc, 255.619101, 1e-8);
    strcpy(j.partition, "tdp");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    tdp = fp.embodied_co2e_g;
    assert_close(tdp, EMB_SHARE * (0.5 * EMB_CPU + EMB_MEM(64.0) + 0.5 * EMB_REST), 1e-12);
    assert_close(tdp, 256.023619, 1e-8);
    assert_close(tdp - epyc, 354.6 * 10.0 / 8766.0, 1e-9);
    /* the same energy on both: 32 x 4.375 W = 140 W + 64 x 0.3725 =
       23.84 W: 163.84 W x 10 h = 1.6384 kWh */
    assert_close(fp.energy_kwh, 1.6384, 1e-12);
    est_cluster_free(c);
    est_hwdb_free(db);
    est_embodied_factors_free(f);
}

/* A partition that names its GPU takes that GPU's die area from its hwdb
   row (hwdb/gpu.csv: A100 PCIe 40GB, 250 W, 8.26 cm2); one given by
   gpu_tdp_w, the GPU class default, 6.162 cm2. */
static void test_jobs_embodied_die_area_from_the_partitions_gpu(void **state)
{
    char dir[4096];
    est_hwdb_options ho = EST_HWDB_OPTIONS_INIT;
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_jobs_account_options ao = EST_JOBS_ACCOUNT_OPTIONS_INIT;
    est_embodied_factors *f = shipped_factors();
    est_hwdb *db = NULL;
    est_cluster *c;
    est_job j = plain_job();
    est_jobs_footprint fp;
    est_error e;
    double a100, tdp;
    (void)state;
    snprintf(dir, sizeof dir, "%s/hwdb", getenv("ECOEST_SOURCE_DIR"));
    ho.shipped_dir = dir;
    ho.index_path = "";
    assert_int_equal(est_hwdb_open(&db, &ho, &e), EST_OK);
    o.hwdb = db;
    c = cluster_from("partitions:\n"
                     "  a100:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    cores_per_node: 32\n"
                     "    gpu: A100 PCIe 40GB\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n"
                     "  tdp:\n"
                     "    cpu_tdp_per_core_w: 10\n"
                     "    cores_per_node: 32\n"
                     "    gpu_tdp_w: 250\n"
                     "    pue: 1\n"
                     "    ci_g_co2e_per_kwh: 100\n",
                     &o);
    assert_close(est_cluster_find(c, "a100", NULL)->gpu_die_area_cm2, 8.26, 1e-15);
    assert_true(est_cluster_find(c, "tdp", NULL)->gpu_die_area_cm2 == EST_UNSET);
    /* 8 of 32 cores, 1 GPU, 64 GB, 10 h: share 10 / 8766.
       A100: 8.26 x 1970 + 26970 = 16272.2 + 26970 = 43242.2 g;
       the default: 6.162 x 1970 + 26970 = 39109.14 g;
       difference 2.098 x 1970 = 4133.06 g x 10 / 8766 = 4.714876 g */
    ao.embodied = f;
    j.ncpus = 8;
    j.gpus = 1;
    j.elapsed_s = 36000.0;
    j.total_cpu_s = 8.0 * 36000.0;
    j.req_mem_gb = 64.0;
    strcpy(j.partition, "a100");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    a100 = fp.embodied_co2e_g;
    assert_close(a100, EMB_SHARE * (0.25 * EMB_CPU + 43242.2 + EMB_MEM(64.0) +
                                    0.25 * EMB_REST), 1e-12);
    strcpy(j.partition, "tdp");
    assert_int_equal(est_jobs_account(&fp, c, &j, &ao, &e), 0);
    tdp = fp.embodied_co2e_g;
    assert_close(tdp, EMB_SHARE * (0.25 * EMB_CPU + EMB_GPU + EMB_MEM(64.0) + 0.25 * EMB_REST),
                 1e-12);
    assert_close(a100 - tdp, 4133.06 * 10.0 / 8766.0, 1e-9);
    assert_close(a100 - tdp, 4.714876, 1e-6);
    est_cluster_free(c);
    est_hwdb_free(db);
    est_embodied_factors_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_ga4hpc_columns_capture),
        cmocka_unit_test(test_jobs_rich_columns_capture),
        cmocka_unit_test(test_jobs_columns_in_any_order_missing_named_once),
        cmocka_unit_test(test_jobs_steps_give_cpu_when_allocation_says_zero),
        cmocka_unit_test(test_jobs_arrays_het_pending_multinode),
        cmocka_unit_test(test_jobs_durations_sizes_reqmem_forms),
        cmocka_unit_test(test_jobs_gpus_typed_untyped_and_gpuutil),
        cmocka_unit_test(test_jobs_every_state),
        cmocka_unit_test(test_jobs_running_counted_or_skipped),
        cmocka_unit_test(test_jobs_bad_row_named_or_skipped),
        cmocka_unit_test(test_jobs_measured_energy),
        cmocka_unit_test(test_jobs_account_cpu_memory_unused),
        cmocka_unit_test(test_jobs_embodied_die_area_from_the_partitions_gpu),
        cmocka_unit_test(test_jobs_read_long_partition_list_and_pending_array_id),
        cmocka_unit_test(test_jobs_never_ran_multi_partition_and_running_not_failed),
        cmocka_unit_test(test_jobs_account_gpu_scopes_static_from_cluster_file),
        cmocka_unit_test(test_jobs_ga4hpc_cluster_info_yaml),
        cmocka_unit_test(test_jobs_cluster_file_errors_have_a_place),
        cmocka_unit_test(test_jobs_cluster_lookup_failures_name_input_and_value),
        cmocka_unit_test(test_jobs_ga4hpc_method_on_its_example),
        cmocka_unit_test(test_jobs_ga4hpc_merge_takes_the_largest_of_every_row),
        cmocka_unit_test(test_jobs_ga4hpc_reqmem_in_t),
        cmocka_unit_test(test_jobs_ga4hpc_negative_memory_waste),
        cmocka_unit_test(test_jobs_ga4hpc_cpu_time_total_wraps),
        cmocka_unit_test(test_jobs_ga4hpc_partition_with_cpu_and_gpu_jobs),
        cmocka_unit_test(test_jobs_ga4hpc_total_cpu_above_cpu_time),
        cmocka_unit_test(test_jobs_multi_task_memory_from_tres_usage),
        cmocka_unit_test(test_jobs_node_patterns_of_a_partition),
        cmocka_unit_test(test_jobs_days_split_by_hours_run),
        cmocka_unit_test(test_jobs_by_parse_and_states_in_totals),
        cmocka_unit_test(test_jobs_measured_beside_the_estimate_before_pue),
        cmocka_unit_test(test_jobs_charts_bins_by_hand),
        cmocka_unit_test(test_jobs_days_split_across_a_dst_change),
        cmocka_unit_test(test_jobs_node_scope_from_the_partitions_nodes),
        cmocka_unit_test(test_jobs_embodied_share_by_hand),
        cmocka_unit_test(test_jobs_embodied_whole_nodes_when_cores_unknown),
        cmocka_unit_test(test_jobs_embodied_summed_in_totals),
        cmocka_unit_test(test_jobs_embodied_die_area_from_the_partitions_cpu),
        cmocka_unit_test(test_jobs_derive_by_hand),
        cmocka_unit_test(test_jobs_derive_of_accounted_jobs),
        cmocka_unit_test(test_jobs_state_finished_and_frac_edges),
        cmocka_unit_test(test_jobs_footprint_carries_the_methods_reading),
        cmocka_unit_test(test_jobs_cpu_power_curve_by_partition_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
