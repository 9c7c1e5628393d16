/* ecoest jobs: exit codes, stdout and stderr of the command. */
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

static const char rows[] =
    "JobID|User|Account|Partition|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem|MaxRSS|"
    "AllocTRES|ConsumedEnergyRaw\n"
    "10|ada|phys|cpu|2026-01-01T22:00:00|2026-01-02T02:00:00|04:00:00|COMPLETED|4|08:00:00|"
    "|2G|cpu=4,mem=10G,node=1|7200000\n"
    "10.batch|||||||COMPLETED|4|08:00:00||2G|cpu=4,mem=10G,node=1|\n"
    "11|bob|chem|cpu|2026-01-01T10:00:00|2026-01-01T12:00:00|02:00:00|FAILED|2|04:00:00|"
    "|1G|cpu=2,mem=4G,node=1|\n"
    "12|bob|chem|cpu|Unknown|Unknown|00:00:00|PENDING|2|00:00:00||||\n";

/* Runs ecoest jobs with the arguments up to NULL. */
static void run(test_run *r, const char *stdin_data, ...)
{
    char *argv[16];
    int n = 0;
    va_list ap;
    char *a;
    argv[n++] = getenv("ECOEST_BIN");
    argv[n++] = "jobs";
    va_start(ap, stdin_data);
    while ((a = va_arg(ap, char *)) != NULL && n < 15)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;
    test_run_argv(r, argv, stdin_data, NULL);
}

static void test_jobs_cli_per_job_csv_by_hand(void **state)
{
    test_run r;
    (void)state;
    run(&r, rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--per-job", "-", NULL);
    assert_int_equal(r.status, 0);
    /* job 10: usage 8 h / (4 x 4 h) = 0.5; CPU 4 x 10 x 0.5 x 4 h = 80 Wh;
       memory 10G = 10.73741824 GB x 0.3725 W/GB = 3.725 + 0.2746882944
       = 3.9996882944 W x 4 h = 15.9987531776 Wh; energy 0.0959987531776 kWh,
       9.59987531776 g;
       measured 7200000 J = 2 kWh. The memory energy is checked as a number
       (its shortest digits are those of the double the product rounds to) */
    assert_non_null(strstr(r.out, "job_id,user,account,partition,state,start,end,elapsed_s,"
                                  "cpus,gpus,cpu_usage_frac,mem_req_gb,mem_used_gb,cpu_kwh,"
                                  "gpu_kwh,memory_kwh,energy_kwh,co2e_g,measured_kwh,"
                                  "estimated_kwh,measured_gap_kwh,ci_g_co2e_per_kwh,"
                                  "embodied_co2e_g\n"));
    {
        const char *row = strstr(r.out, "10,ada,phys,cpu,COMPLETED,2026-01-01T22:00:00Z,"
                                         "2026-01-02T02:00:00Z,14400,4,0,0.5,10.73741824,"
                                         "2.147483648,0.08,0,");
        char *end;
        double mem_kwh, emb_g;
        assert_non_null(row);
        row = strstr(row, "0.08,0,") + 7;
        mem_kwh = strtod(row, &end);
        assert_close(mem_kwh, 0.0159987531776, 1e-12);
        assert_true(strncmp(end, ",0.0959987531776,9.59987531776,2,", 33) == 0);
        /* estimated beside the measurement: the energy before PUE (1 here),
           0.0959987531776 kWh; gap 0.0959987531776 - 2 = -1.9040012468224 */
        row = end + 33;
        assert_close(strtod(row, &end), 0.0959987531776, 1e-12);
        assert_int_equal(*end, ',');
        assert_close(strtod(end + 1, &end), -1.9040012468224, 1e-12);
        /* and the job's intensity, --ci 100, then its embodied share (no
           cores_per_node: its whole node for 4 h: 4 / (5 x 8766 x 0.2) x
           (30810 + 10.73741824 GB / 1.8762 x 2200 + / 32 x 5220 = 14342.0542
           + 247080) = 4 / 8766 x 292232.0542 = 133.347960 g) */
        assert_true(strncmp(end, ",100,", 5) == 0);
        emb_g = strtod(end + 5, &end);
        assert_close(emb_g, 4.0 / 8766.0 *
                     (30810.0 + 10.73741824 / 1.8762 * 2200.0 + 10.73741824 / 32.0 * 5220.0 +
                      247080.0), 1e-12);
        assert_close(emb_g, 133.347960, 1e-8);
        assert_int_equal(*end, '\n');
    }
    /* the pending job is left out, and said so */
    assert_null(strstr(r.out, "\n12,"));
    assert_non_null(strstr(r.err, "1 pending jobs left out"));
    test_run_free(&r);
}

/* The number right after the first occurrence of key in s (the key and the
   number must be there). */
static double num_after(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    char *end;
    double v;
    assert_non_null(p);
    v = strtod(p + strlen(key), &end);
    assert_true(end > p + strlen(key));
    return v;
}

/* Every scope beside ConsumedEnergyRaw (job 10: 7200000 J = 2 kWh), before
   PUE. Job 10: 4 CPUs x 10 W x usage 0.5 (8 h / (4 x 4 h)) = 20 W; memory
   10G = 10.73741824 GB x 0.3725 = 3.99968829 W; 4 h: 0.0959987531776 kWh
   in the process and allocation scopes (a CPU job: the same); the node
   scope adds the default static 20 W x 4 h = 0.08 kWh: 0.1759987531776.
   Ratios: / 2. */
static void test_jobs_cli_measured_beside_every_scope(void **state)
{
    test_run r;
    const char *m;
    (void)state;
    run(&r, rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--format", "json",
        "-", NULL);
    assert_int_equal(r.status, 0);
    m = strstr(r.out, "\"measured_by_scope\":");
    assert_non_null(m);
    assert_close(num_after(strstr(m, "\"process\":"), "\"estimate_kwh\":"), 0.0959987531776, 1e-12);
    assert_close(num_after(strstr(m, "\"process\":"), "\"ratio\":"), 0.0959987531776 / 2.0, 1e-12);
    assert_close(num_after(strstr(m, "\"allocation\":"), "\"estimate_kwh\":"), 0.0959987531776,
                 1e-12);
    assert_close(num_after(strstr(m, "\"node\":"), "\"estimate_kwh\":"), 0.1759987531776, 1e-12);
    assert_close(num_after(strstr(m, "\"node\":"), "\"ratio\":"), 0.1759987531776 / 2.0, 1e-12);
    test_run_free(&r);
    run(&r, rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--per-job", "--format",
        "json", "-", NULL);
    assert_int_equal(r.status, 0);
    m = strstr(r.out, "\"job_id\":\"10\"");
    assert_non_null(m);
    assert_close(num_after(m, "\"measured_ratio\":"), 0.0959987531776 / 2.0, 1e-12);
    assert_close(num_after(m, "\"estimated_by_scope_kwh\":{\"process\":"), 0.0959987531776, 1e-12);
    assert_close(num_after(m, "\"node\":"), 0.1759987531776, 1e-12);
    test_run_free(&r);
    run(&r, rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "-", NULL);
    assert_non_null(strstr(r.out, "each scope / measured: process 0.048, allocation 0.048, "
                                  "node 0.088"));
    test_run_free(&r);
}

/* A RUNNING job under the default method: labelled as running, counted up
   to now, never among the failures, in text, JSON, CSV and html. */
static const char running_rows[] =
    "JobID|User|Account|Partition|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem|MaxRSS|"
    "AllocTRES\n"
    "20|ada|phys|cpu|2026-01-01T00:00:00|Unknown|01:00:00|RUNNING|1|01:00:00||1G|"
    "cpu=1,mem=1G,node=1\n"
    "21|bob|chem|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|FAILED|1|01:00:00||1G|"
    "cpu=1,mem=1G,node=1\n";

static void test_jobs_cli_running_not_failed(void **state)
{
    test_run r;
    const char *m;
    (void)state;
    /* job 21: CPU 10 W x 1 core x usage 1 (1 h / 1 h) x 1 h = 0.01 kWh;
       memory 1 GiB = 1.073741824 GB x 0.3725 W/GB x 1 h = 0.00039996882944 kWh (0.4294967296 - 0.02952790016 Wh);
       0.01039996882944 kWh = 10.4 Wh. Job 20 is counted up to the clock's now
       (the CLI sets it), so its energy is only checked to be above job 21's. */
    run(&r, running_rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Still running RUNNING       1 jobs counted up to now (not "
                                  "failed), "));
    assert_non_null(strstr(r.out, "Not completed FAILED        1 jobs, 10.4 Wh"));
    assert_null(strstr(r.out, "Not completed RUNNING"));
    test_run_free(&r);
    run(&r, running_rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--format",
        "json", "-", NULL);
    assert_int_equal(r.status, 0);
    m = strstr(r.out, "\"RUNNING\":{\"jobs\":1,");
    assert_non_null(m);
    assert_true(num_after(m, "\"energy_kwh\":") > 0.01039996882944);
    assert_non_null(strstr(m, "\"still_running\":true}"));
    assert_close(num_after(strstr(r.out, "\"FAILED\":{"), "\"energy_kwh\":"), 0.01039996882944,
                 1e-11);
    assert_null(strstr(strstr(r.out, "\"FAILED\":{"), "still_running\":true},\"RUNNING"));
    assert_close(num_after(r.out, "\"failed_jobs\":"), 1.0, 0.0);
    test_run_free(&r);
    run(&r, running_rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--format",
        "csv", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",failed_jobs,failed_kwh,running_jobs,running_kwh\n"));
    /* failed: job 21 only; running: job 20 */
    m = strstr(r.out, "\n") + 1;
    {
        int commas = 0;
        const char *q = m;
        while (commas < 19 && *q)
            commas += *q++ == ',';
        assert_close(strtod(q, NULL), 1.0, 0.0);            /* failed_jobs */
        while (commas < 21 && *q)
            commas += *q++ == ',';
        assert_close(strtod(q, NULL), 1.0, 0.0);            /* running_jobs */
        while (commas < 22 && *q)
            commas += *q++ == ',';
        assert_true(strtod(q, NULL) > 0.01039996882944); /* running_kwh */
    }
    test_run_free(&r);
    run(&r, running_rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--by",
        "user", "--format", "html", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "RUNNING (up to now, not failed)"));
    test_run_free(&r);
}

static void test_jobs_cli_by_day_json(void **state)
{
    test_run r;
    (void)state;
    run(&r, rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--by", "day", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    /* job 10 ran 2 h on each day: half of 0.0959987531776 kWh =
       0.0479993765888 on 2026-01-02; 2026-01-01 also holds job 11 */
    assert_non_null(strstr(r.out, "\"day\":\"2026-01-02\",\"totals\":{\"jobs\":0.5,"));
    assert_close(num_after(strstr(r.out, "\"day\":\"2026-01-02\""), "\"energy_kwh\":"),
                 0.0479993765888, 1e-12);
    assert_non_null(strstr(r.out, "\"FAILED\":{\"jobs\":1,"));
    assert_non_null(strstr(r.out, "\"pending\":1,"));
    test_run_free(&r);
}

static void test_jobs_cli_text_report(void **state)
{
    test_run r;
    (void)state;
    run(&r, rows, "--cpu-tdp-per-core", "10", "--by", "user", "--top", "1", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "2 jobs from 4 sacct rows (1 steps merged); 1 pending left out"));
    assert_non_null(strstr(r.out, "running jobs counted up to now"));
    assert_non_null(strstr(r.out, "Not completed FAILED"));
    /* job 10 measured 2 kWh; estimated before PUE 0.0959987531776 kWh (as
       above, the PUE does not enter): gap -1.9040012468224 kWh, -95.2 % */
    assert_non_null(strstr(r.out, "Measured      1 jobs with ConsumedEnergyRaw: measured 2 kWh, "
                                  "estimated 0.0959988 kWh (before PUE): gap -1.904 kWh "
                                  "(-95.2 %)"));
    assert_non_null(strstr(r.out, "By user (2 groups, largest first)"));
    assert_non_null(strstr(r.out, "\nada "));
    assert_null(strstr(r.out, "\nbob "));
    test_run_free(&r);
}

static void test_jobs_cli_bad_row_exit_65_or_skipped(void **state)
{
    static const char bad[] = "JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
                              "1|COMPLETED|00:01:00|1|00:01:00|1G\n"
                              "2|COMPLETED|1:2:3:4|1|00:01:00|1G\n";
    test_run r;
    (void)state;
    run(&r, bad, "--cpu-tdp-per-core", "10", "-", NULL);
    assert_int_equal(r.status, 65);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "ecoest: stdin:3: column Elapsed: expected a duration "
                               "[D-]HH:MM:SS, got \"1:2:3:4\"\n");
    test_run_free(&r);
    run(&r, bad, "--cpu-tdp-per-core", "10", "--skip-bad-rows", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "1 bad rows skipped; the first: stdin:3:"));
    test_run_free(&r);
}

/* A GPU job on a partition without GPU power (default method): a bad row
   named by its file, allocation line, column AllocTRES and value; exit 65
   and no output, or skipped and counted with --skip-bad-rows. */
static void test_jobs_cli_gpu_without_gpu_power_is_a_bad_row(void **state)
{
    static const char rows3[] = "JobID|State|Elapsed|NCPUS|TotalCPU|AllocTRES\n"
                                "1|COMPLETED|01:00:00|1|01:00:00|cpu=1,mem=1G\n"
                                "2|COMPLETED|01:00:00|1|01:00:00|cpu=1,gres/gpu:a100=2,mem=1G\n"
                                "2.batch|COMPLETED|01:00:00|1|01:00:00|cpu=1,mem=1G\n"
                                "3|COMPLETED|01:00:00|1|01:00:00|cpu=1,mem=1G\n";
    test_run r;
    (void)state;
    run(&r, rows3, "--cpu-tdp-per-core", "10", "-", NULL);
    assert_int_equal(r.status, 65);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "ecoest: stdin:3: column AllocTRES: job 2 (line 3): "
                                  "gres/gpu:a100=2: 2 GPUs on partition (none), which has no "
                                  "GPU power"));
    test_run_free(&r);
    run(&r, rows3, "--cpu-tdp-per-core", "10", "--skip-bad-rows", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "1 bad rows skipped; the first: stdin:3: column AllocTRES"));
    /* jobs 1 and 3 only: each 10 W x 1 core x 1 h = 10 Wh of CPU */
    assert_non_null(strstr(r.out, "Jobs          2\n"));
    assert_non_null(strstr(r.out, "; 1 bad rows skipped"));
    test_run_free(&r);
    run(&r, rows3, "--cpu-tdp-per-core", "10", "--skip-bad-rows", "--format", "json", "-",
        NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"bad_rows\":1,"));
    /* 3 jobs read, job 2 skipped: 2 jobs in the input count too */
    assert_non_null(strstr(r.out, "\"jobs\":2,"));
    test_run_free(&r);
    run(&r, rows3, "--cpu-tdp-per-core", "10", "--skip-bad-rows", "-", NULL);
    assert_non_null(strstr(r.out, "ecoest jobs: 2 jobs from 4 sacct rows"));
    test_run_free(&r);
}

/* sacct -X input: a finished job that ran with no step rows and TotalCPU 0
   has an unknown CPU time; the report says so once (text warning, JSON
   note). Job 51 has a step (its TotalCPU summed), job 52 never ran
   (Elapsed 0), job 53 is RUNNING (not finished): only job 50 counts. */
static void test_jobs_cli_sacct_x_cpu_time_unknown(void **state)
{
    static const char x_rows[] = "JobID|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
                                 "50|COMPLETED|01:00:00|2|00:00:00|1G\n"
                                 "51|COMPLETED|01:00:00|2|00:00:00|1G\n"
                                 "51.batch|COMPLETED|01:00:00|2|01:00:00|\n"
                                 "52|FAILED|00:00:00|2|00:00:00|1G\n"
                                 "53|RUNNING|01:00:00|2|00:00:00|1G\n";
    test_run r;
    const char *w;
    (void)state;
    run(&r, x_rows, "--cpu-tdp-per-core", "10", "-", NULL);
    assert_int_equal(r.status, 0);
    w = strstr(r.out, "Warning       CPU time unknown for 1 jobs (no step rows and TotalCPU 0: "
                      "sacct -X gives no steps): their CPU usage was taken as 0");
    assert_non_null(w);
    assert_null(strstr(w + 30, "CPU time unknown")); /* said once */
    test_run_free(&r);
    run(&r, x_rows, "--cpu-tdp-per-core", "10", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"cpu_time_unknown_jobs\":"), 1.0, 0.0);
    assert_non_null(strstr(r.out, "\"note\":\"CPU time unknown for some jobs"));
    assert_non_null(strstr(r.err, "CPU time unknown for 1 jobs"));
    test_run_free(&r);
    /* per job: the job says so in its JSON line, stderr says how many,
       under both formats */
    run(&r, x_rows, "--cpu-tdp-per-core", "10", "--per-job", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    w = strstr(r.out, "{\"job_id\":\"50\"");
    assert_non_null(w);
    assert_non_null(strstr(w, "\"cpu_time_unknown\":true}\n{\"job_id\":\"51\""));
    assert_non_null(strstr(w, "\"job_id\":\"51\""));
    assert_non_null(strstr(strstr(w, "\"job_id\":\"51\""), "\"cpu_time_unknown\":false}"));
    assert_non_null(strstr(r.err, "CPU time unknown for 1 jobs (no step rows"));
    test_run_free(&r);
    run(&r, x_rows, "--cpu-tdp-per-core", "10", "--per-job", "--format", "csv", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "CPU time unknown for 1 jobs (no step rows"));
    test_run_free(&r);
}

/* A job on a partition the cluster file does not name, with no default
   CPU: a bad row at its file, line, column Partition and value; exit 65 and
   no report, or skipped and counted with --skip-bad-rows, and then neither
   a job nor a running job of the input. Jobs 20 (cpu, COMPLETED) and 21
   (cpu, RUNNING) are bad; job 22 (gpu) counts: 1 core x 10 W x 1 h x PUE 1
   = 10 Wh. */
static void test_jobs_cli_partition_without_cpu_power_is_a_bad_row(void **state)
{
    static const char prow[] =
        "JobID|Partition|Start|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
        "20|cpu|2026-01-01T00:00:00|COMPLETED|01:00:00|1|01:00:00|0\n"
        "21|cpu|2026-01-01T00:00:00|RUNNING|01:00:00|1|01:00:00|0\n"
        "22|gpu|2026-01-01T00:00:00|COMPLETED|01:00:00|1|01:00:00|0\n";
    char *dir = test_mkdtemp(), path[4096];
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    test_write_file(path, "partitions:\n"
                          "  gpu:\n"
                          "    cpu_tdp_per_core_w: 10\n"
                          "    pue: 1\n");
    run(&r, prow, "--cluster", path, "-", NULL);
    assert_int_equal(r.status, 65);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "ecoest: stdin:2: column Partition: job 20 (line 2): cpu: "
                                  "partition cpu has no CPU power"));
    test_run_free(&r);
    run(&r, prow, "--cluster", path, "--skip-bad-rows", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"jobs\":1,"));
    assert_non_null(strstr(r.out, "\"running_jobs\":0,\"bad_rows\":2,"));
    assert_close(num_after(r.out, "\"energy_kwh\":"), 0.01, 1e-12);
    assert_non_null(strstr(r.err, "2 bad rows skipped; the first: stdin:2: column Partition"));
    assert_null(strstr(r.err, "running jobs counted"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --scope node says what it assumed, by partition: a gives no node data
   (its jobs' allocations are their nodes) and no static_node_w (20 W a
   node, the default); b gives both. Job 1 on a: CPU 4 x 10 x 1 = 40 W,
   memory 1G = 1.073741824 GB x 0.3725 = 0.399968829 W, static 20 W:
   60.399968829 W x 1.67 x 1 h = 100.867947945 Wh. Job 2 on b (8 cores a
   node; the tdp model: its 4 other cores 0 W): 40 + 0.399968829 + 50 =
   90.399968829 W x 1.67 = 150.967947945 Wh. Node scope total
   0.251835895890 kWh. */
static void test_jobs_cli_node_scope_says_what_it_assumed(void **state)
{
    static const char nrows[] = "JobID|Partition|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
                                "1|a|COMPLETED|01:00:00|4|04:00:00|1G\n"
                                "2|b|COMPLETED|01:00:00|4|04:00:00|1G\n";
    char *dir = test_mkdtemp(), path[4096];
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    test_write_file(path, "partitions:\n"
                          "  a:\n"
                          "    cpu_tdp_per_core_w: 10\n"
                          "  b:\n"
                          "    cpu_tdp_per_core_w: 10\n"
                          "    cores_per_node: 8\n"
                          "    static_node_w: 50\n");
    run(&r, nrows, "--cluster", path, "--scope", "node", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Node          no node data (cores_per_node, gpus_per_node, "
                                  "memory_gb_per_node) for a: each job's allocation was taken "
                                  "as its node\n"));
    assert_non_null(strstr(r.out, "Node          static power 20 W a node (default: "));
    assert_non_null(strstr(r.out, ") for a: no static_node_w\n"));
    test_run_free(&r);
    run(&r, nrows, "--cluster", path, "--scope", "node", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"node_assumed\":[\"a\"],\"node_static_default_w\":20,"
                                  "\"node_static_default\":[\"a\"],"));
    assert_close(num_after(strstr(r.out, "\"totals\":"), "\"energy_kwh\":"),
                 0.25183589589, 1e-12);
    test_run_free(&r);
    /* --memory-w-per-gb by a figure's name, as the estimate takes it: ccf
       0.392 W/GB; node scope job 1: (40 + 1.073741824 x 0.392 + 20) x 1.67
       = (60 + 0.420906795) x 1.67 = 100.902914348 Wh; job 2: (90 +
       0.420906795) x 1.67 = 151.002914348 Wh; 0.251905828697 kWh */
    run(&r, nrows, "--cluster", path, "--scope", "node", "--memory-w-per-gb", "ccf",
        "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(strstr(r.out, "\"totals\":"), "\"energy_kwh\":"),
                 0.251905828697, 1e-11);
    test_run_free(&r);
    run(&r, nrows, "--cluster", path, "--memory-w-per-gb", "dram", "-", NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--memory-w-per-gb: expected W per GB or a figure's name"));
    test_run_free(&r);
    /* the process scope says nothing of the node */
    run(&r, nrows, "--cluster", path, "-", NULL);
    assert_null(strstr(r.out, "Node          "));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

static void test_jobs_cli_missing_columns_and_usage(void **state)
{
    test_run r;
    (void)state;
    run(&r, "JobID|State\n1|COMPLETED\n", "--cpu-tdp-per-core", "10", "-", NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "lacks the columns Elapsed, NCPUS, TotalCPU, ReqMem or AllocTRES"));
    test_run_free(&r);
    run(&r, NULL, NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    run(&r, NULL, "--by", "day,month", "x", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    run(&r, NULL, "-S", "2026-01-01", "x", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    /* no partition can have a CPU power (no --cluster, --cpu or
       --cpu-tdp-per-core): a usage error, before any row is read */
    run(&r, rows, "-", NULL);
    assert_int_equal(r.status, 64);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "ecoest: no CPU power: describe the partitions with "
                                  "--cluster FILE"));
    test_run_free(&r);
    run(&r, rows, "--skip-bad-rows", "-", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    /* --per-job writes CSV or JSON lines: text asked for is refused */
    run(&r, rows, "--cpu-tdp-per-core", "10", "--per-job", "--format", "text", "-", NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--per-job writes CSV (the default) or JSON lines, not text"));
    test_run_free(&r);
    /* --by: an empty key or a key twice is refused */
    run(&r, rows, "--cpu-tdp-per-core", "10", "--by", "user,user", "-", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    run(&r, rows, "--cpu-tdp-per-core", "10", "--by", "user,", "-", NULL);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    run(&r, NULL, "--help", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--sacct"));
    test_run_free(&r);
}

static void test_jobs_cli_sacct_dry_run(void **state)
{
    test_run r;
    (void)state;
    run(&r, NULL, "--sacct", "--dry-run", "-S", "2026-11-01", "-a", "--", "--partition=gpu x", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out,
                        "TZ=UTC SLURM_TIME_FORMAT=standard sacct --parsable2 "
                        "--format=JobID,UID,User,Account,Partition,Submit,Start,End,Elapsed,"
                        "State,ExitCode,NNodes,NCPUS,TotalCPU,CPUTime,ReqMem,MaxRSS,AllocTRES,"
                        "TRESUsageInTot,ConsumedEnergyRaw,NodeList -S 2026-11-01 --allusers "
                        "'--partition=gpu x'\n");
    test_run_free(&r);
    /* the window end and the filters pass through, in their order */
    run(&r, NULL, "--sacct", "--dry-run", "-E", "2026-11-30", "-u", "ada", "-A", "phys", "-j",
        "12,13", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ",NodeList -E 2026-11-30 -u ada -A phys -j 12,13\n"));
    test_run_free(&r);
}

static void test_jobs_cli_cluster_file(void **state)
{
    char *dir = test_mkdtemp(), path[4096];
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/cluster_info.yaml", dir);
    test_write_file(path, "granularity_memory_request: 6\n"
                          "partitions:\n"
                          "  cpu:\n"
                          "    type: CPU\n"
                          "    model: \"x\"\n"
                          "    TDP: 10\n"
                          "PUE: 1\n"
                          "CI: 200\n");
    run(&r, rows, "--cluster", path, "--per-job", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    /* job 11: usage 4 h / (2 x 2 h) = 1; CPU 2 x 10 x 2 h = 40 Wh; memory 4G =
       4.294967296 GB x 0.3725 = 1.59987531776 W x 2 h = 3.19975063552 Wh:
       0.04319975063552 kWh; x 200 g = 8.639950127104 g (all digits printed) */
    assert_non_null(strstr(r.out, "\"job_id\":\"11\""));
    assert_non_null(strstr(r.out, "\"energy_kwh\":0.04319975063552,\"co2e_g\":8.639950127104,"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}


/* --method ga4hpc --per-job: GreenAlgorithms4HPC's published example
   (example_sacctOutput_raw.txt), every column its own. Job 552375: 250Gn is
   250 GB there (decimal), gres/gpu=1: 1 GPU; no MaxRSS: memory needed is the
   request, 250 GB. Energy = (CPUTime 346560 s x 10 W + 10830 s x 250 W +
   10830 s x 250 GB x 0.3725 W/GB) x 1.67 / 3.6e6
   = 7181643.75 x 1.67 / 3.6e6 = 3.33148 kWh. */
static void test_jobs_cli_ga4hpc_per_job_columns(void **state)
{
    char *dir = test_mkdtemp(), path[4096], *raw;
    const char *job;
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/cluster_info.yaml", dir);
    test_write_file(path, "granularity_memory_request: 6\n"
                          "partitions:\n"
                          "  myPartition:\n"
                          "    type: GPU\n"
                          "    TDP: 250\n"
                          "    TDP_CPU: 10\n"
                          "PUE: 1.67\n"
                          "CI: 467\n");
    snprintf(path, sizeof path, "%s/tests/fixtures/sacct/ga4hpc_example_raw.txt",
             getenv("ECOEST_SOURCE_DIR"));
    raw = test_read_file(path, NULL);
    assert_non_null(raw);
    snprintf(path, sizeof path, "%s/cluster_info.yaml", dir);
    run(&r, raw, "--cluster", path, "--method", "ga4hpc", "--per-job", "--format", "json", "-",
        NULL);
    free(raw);
    assert_int_equal(r.status, 0);
    job = strstr(r.out, "\"job_id\":\"552375\"");
    assert_non_null(job);
    assert_non_null(strstr(job, "\"gpus\":1,"));
    assert_close(num_after(job, "\"mem_req_gb\":"), 250.0, 1e-12);
    assert_close(num_after(job, "\"mem_needed_gb\":"), 250.0, 1e-12);
    assert_close(num_after(job, "\"energy_kwh\":"),
                 (346560.0 * 10.0 + 10830.0 * 250.0 + 10830.0 * 250.0 * 0.3725) * 1.67 / 3.6e6,
                 1e-12);
    assert_non_null(strstr(job, "\"failed\":true"));
    /* 556141: 6760Mc x 1 CPU = 6.76 GB, not 7.08837376 (binary) */
    job = strstr(r.out, "\"job_id\":\"556141\"");
    assert_non_null(job);
    assert_close(num_after(job, "\"mem_req_gb\":"), 6.76, 1e-12);
    assert_non_null(strstr(job, "\"gpus\":0,"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --method ga4hpc drops a job with any row PENDING, RUNNING or REQUEUED
   (slurm_extract.py's running codes), as GreenAlgorithms4HPC does; the
   report counts them. The default method counts the RUNNING job up to now
   and job 42 (finished allocation) as COMPLETED. */
static void test_jobs_cli_ga4hpc_drops_running_rows(void **state)
{
    char *dir = test_mkdtemp(), cluster[4096], sacct[4096];
    test_run r;
    (void)state;
    snprintf(cluster, sizeof cluster, "%s/cluster_info.yaml", dir);
    test_write_file(cluster, "granularity_memory_request: 1\n"
                             "partitions:\n"
                             "  cpu:\n"
                             "    type: CPU\n"
                             "    TDP: 10\n"
                             "PUE: 1\n"
                             "CI: 100\n");
    snprintf(sacct, sizeof sacct, "%s/sacct.txt", dir);
    test_write_file(sacct,
                    "JobID|Partition|State|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|AllocTRES\n"
                    "40|cpu|COMPLETED|01:00:00|1|2|02:00:00|02:00:00|1000M||cpu=2\n"
                    "41|cpu|RUNNING|01:00:00|1|2|00:00:00|02:00:00|1000M||cpu=2\n"
                    "42|cpu|COMPLETED|01:00:00|1|2|02:00:00|02:00:00|1000M||cpu=2\n"
                    "42.0|cpu|REQUEUED|01:00:00|1|2|02:00:00|02:00:00|1000M||cpu=2\n"
                    "43|cpu|CANCELLED by 0|01:00:00|1|2|02:00:00|02:00:00|1000M||cpu=2\n");
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", sacct, NULL);
    assert_int_equal(r.status, 0);
    /* left out: 41 (RUNNING) and 42 (a REQUEUED step); counted: 40 and 43,
       2 x CPUTime 2 h = 4 core-h charged; 2 x 1000M = 2 GB requested;
       one failed (43) */
    assert_non_null(strstr(r.out, "Left out      2 jobs left out as GreenAlgorithms4HPC does: "
                                  "a row PENDING, RUNNING or REQUEUED\n"));
    assert_non_null(strstr(r.out, "Jobs          2\n"));
    assert_non_null(strstr(r.out, "CPU           4 core-h charged"));
    assert_non_null(strstr(r.out, "Memory        2 GB requested (decimal GB)"));
    assert_non_null(strstr(r.out, "Failed        1 jobs (a row not COMPLETED)"));
    assert_non_null(strstr(r.err, "2 jobs left out as GreenAlgorithms4HPC does"));
    /* nothing is "running" under its method: no running count */
    assert_null(strstr(r.out, "running jobs"));
    assert_null(strstr(r.err, "running jobs"));
    test_run_free(&r);
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", "--format", "json", sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"ga4hpc_left_out_jobs\":"), 2.0, 0.0);
    assert_non_null(strstr(r.out, "\"running\":\"left out (ga4hpc)\",\"running_jobs\":0,"));
    /* input: 5 rows, 4 jobs read (42.0 a step), 2 of them left out */
    assert_close(num_after(r.out, "\"jobs\":"), 4.0, 0.0);
    test_run_free(&r);
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", "--per-job", sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\n40,"));
    assert_null(strstr(r.out, "\n41,"));
    assert_null(strstr(r.out, "\n42,"));
    assert_non_null(strstr(r.err, "2 jobs left out as GreenAlgorithms4HPC does"));
    test_run_free(&r);
    /* the default method: all four, no "Left out" line */
    run(&r, NULL, "--cluster", cluster, sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Jobs          4\n"));
    assert_null(strstr(r.out, "Left out"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* default_unit_RSS in GreenAlgorithms4HPC's cluster_info.yaml: a bare
   MaxRSS number is in that unit, under both methods; without it, K (as
   sacct prints it); a unit it does not know is refused at its line. */
static void test_jobs_cli_default_unit_rss(void **state)
{
    char *dir = test_mkdtemp(), cluster[4096], plain[4096], bad[4096], sacct[4096];
    test_run r;
    (void)state;
    snprintf(cluster, sizeof cluster, "%s/cluster_info.yaml", dir);
    snprintf(plain, sizeof plain, "%s/plain.yaml", dir);
    snprintf(bad, sizeof bad, "%s/bad.yaml", dir);
    test_write_file(cluster, "default_unit_RSS: 'M'\n"
                             "partitions:\n"
                             "  cpu:\n"
                             "    type: CPU\n"
                             "    TDP: 10\n"
                             "PUE: 1\n"
                             "CI: 100\n");
    test_write_file(plain, "partitions:\n"
                           "  cpu:\n"
                           "    type: CPU\n"
                           "    TDP: 10\n"
                           "PUE: 1\n"
                           "CI: 100\n");
    test_write_file(bad, "partitions:\n"
                         "  cpu:\n"
                         "    type: CPU\n"
                         "    TDP: 10\n"
                         "default_unit_RSS: 'T'\n");
    snprintf(sacct, sizeof sacct, "%s/sacct.txt", dir);
    test_write_file(sacct, "JobID|Partition|State|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|AllocTRES\n"
                           "60|cpu|COMPLETED|01:00:00|1|1|01:00:00|01:00:00|4000M||cpu=1,mem=4000M\n"
                           "60.batch|cpu|COMPLETED|01:00:00|1|1|01:00:00|01:00:00||2000|cpu=1\n");
    /* ga4hpc: 2000 M = 2000 / 1e3 = 2 GB (decimal) */
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", "--per-job", "--format", "json",
        sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"mem_used_gb\":"), 2.0, 1e-12);
    test_run_free(&r);
    /* ecoest: 2000 MiB = 2000 x 1048576 B = 2.097152e9 B = 2.097152 GB */
    run(&r, NULL, "--cluster", cluster, "--per-job", "--format", "json", sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"mem_used_gb\":"), 2.097152, 1e-12);
    test_run_free(&r);
    /* no default_unit_RSS: K, 2000 x 1024 B = 0.002048 GB; ga4hpc 0.002 */
    run(&r, NULL, "--cluster", plain, "--per-job", "--format", "json", sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"mem_used_gb\":"), 0.002048, 1e-12);
    test_run_free(&r);
    run(&r, NULL, "--cluster", plain, "--method", "ga4hpc", "--per-job", "--format", "json",
        sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"mem_used_gb\":"), 0.002, 1e-12);
    test_run_free(&r);
    run(&r, NULL, "--cluster", bad, sacct, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "bad.yaml:5"));
    assert_non_null(strstr(r.err, "default_unit_RSS: expected K, M or G, got \"T\""));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* The totals under --method ga4hpc carry GreenAlgorithms4HPC's figures, as
   the per-job columns do; the default's on the same file. Three jobs on a
   CPU partition (10 W a core, PUE 1.5, CI 100), each 1000 days x 64 CPUs
   (CPUTime 64000 days = 1,536,000 h), TotalCPU 41666 days 16 h =
   1,000,000 h, ReqMem 1000M; the third FAILED. */
static void test_jobs_cli_ga4hpc_totals(void **state)
{
    char *dir = test_mkdtemp(), cluster[4096], sacct[4096], bad[4096];
    test_run r;
    (void)state;
    snprintf(cluster, sizeof cluster, "%s/cluster_info.yaml", dir);
    test_write_file(cluster, "granularity_memory_request: 1\n"
                             "partitions:\n"
                             "  cpu:\n"
                             "    type: CPU\n"
                             "    TDP: 10\n"
                             "PUE: 1.5\n"
                             "CI: 100\n");
    snprintf(sacct, sizeof sacct, "%s/sacct.txt", dir);
    test_write_file(sacct,
                    "JobID|Partition|State|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|ReqMem|MaxRSS|AllocTRES\n"
                    "30|cpu|COMPLETED|1000-00:00:00|1|64|41666-16:00:00|64000-00:00:00|1000M||cpu=64\n"
                    "31|cpu|COMPLETED|1000-00:00:00|1|64|41666-16:00:00|64000-00:00:00|1000M||cpu=64\n"
                    "32|cpu|FAILED|1000-00:00:00|1|64|41666-16:00:00|64000-00:00:00|1000M||cpu=64\n");
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", sacct, NULL);
    assert_int_equal(r.status, 0);
    /* charged 3 x 1,536,000 = 4,608,000 core-h; CPU time 3,000,000 h;
       1000M = 1.0 GB x 3 = 3 GB, x 24,000 h = 72,000 GB-h; one failed */
    assert_non_null(strstr(r.out, "CPU           4.608e+06 core-h charged (CPUTime, CPU "
                                  "partitions), 3e+06 core-h of CPU time"));
    assert_non_null(strstr(r.out, "GPU           0 GPU-h charged"));
    assert_non_null(strstr(r.out, "Memory        3 GB requested (decimal GB), 72000 GB-h\n"));
    assert_non_null(strstr(r.out, "Failed        1 jobs (a row not COMPLETED)"));
    /* 3,000,000 h is past 2^63 ns: it prints 3e6 - 2^64 ns / 3.6e12 =
       -2,124,095.576 h, rounded */
    assert_non_null(strstr(r.out, "GreenAlgorithms4HPC prints -2124096 hours of CPU time"));
    assert_null(strstr(r.out, "efficiency"));
    test_run_free(&r);
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", "--format", "json", sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"cpu_used_h\":"), 3e6, 1e-12);
    assert_close(num_after(r.out, "\"cpu_h\":"), 4608000.0, 1e-12);
    assert_close(num_after(r.out, "\"mem_req_gbh\":"), 72000.0, 1e-12);
    assert_close(num_after(r.out, "\"mem_req_gb\":"), 3.0, 1e-12);
    assert_close(num_after(r.out, "\"failed_jobs\":"), 1.0, 1e-12);
    assert_close(num_after(r.out, "\"ga4hpc_cpu_time_printed_h\":"), -2124095.576030431, 1e-12);
    test_run_free(&r);

    /* the default: 4,608,000 core-h allocated (64 x 24,000 h x 3), the same
       3,000,000 h used (65.1 %), no wrap; 1000M = 1.048576 GB x 24,000 h x
       3 = 75,497.472 GB-h; not completed by state */
    run(&r, NULL, "--cluster", cluster, sacct, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "CPU           4.608e+06 core-h allocated, 3e+06 core-h used: "
                                  "efficiency 65.1 %"));
    assert_non_null(strstr(r.out, "Memory        75497.5 GB-h requested"));
    assert_non_null(strstr(r.out, "Not completed FAILED"));
    assert_null(strstr(r.out, "GreenAlgorithms4HPC prints"));
    test_run_free(&r);

    /* a ReqMem in T: under ga4hpc a bad row (it stops there), exit 65,
       named with file, line, column and value; the default reads it */
    snprintf(bad, sizeof bad, "%s/bad.txt", dir);
    test_write_file(bad, "JobID|Partition|State|Elapsed|NNodes|NCPUS|TotalCPU|ReqMem\n"
                         "40|cpu|COMPLETED|01:00:00|1|1|00:30:00|1000M\n"
                         "41|cpu|COMPLETED|01:00:00|1|1|00:30:00|2T\n");
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", bad, NULL);
    assert_int_equal(r.status, 65);
    assert_non_null(strstr(r.err, "bad.txt:3: column ReqMem:"));
    assert_non_null(strstr(r.err, "\"2T\""));
    assert_string_equal(r.out, "");
    test_run_free(&r);
    run(&r, NULL, "--cluster", cluster, "--method", "ga4hpc", "--skip-bad-rows", bad, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "1 bad rows skipped"));
    test_run_free(&r);
    run(&r, NULL, "--cluster", cluster, bad, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Jobs          2\n"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --epilog with a stand-in sacct on PATH: the first call shows the job still
   RUNNING (sacct lags the end), the second COMPLETED; one line is appended,
   settled (the next test runs sixteen hooks at once). */
static void test_jobs_cli_epilog_appends_one_settled_line(void **state)
{
    char *dir = test_mkdtemp(), sacct[4096], log[4096], path_env[4200], count[4096];
    char work_env[4200], uid_env[64], gid_env[64], report[4200];
    char *argv[12], *env[6];
    struct stat sb;
    char *text;
    test_run r;
    int n = 0;
    (void)state;
    snprintf(sacct, sizeof sacct, "%s/sacct", dir);
    snprintf(log, sizeof log, "%s/jobs.jsonl", dir);
    snprintf(count, sizeof count, "%s/calls", dir);
    {
        char script[8192];
        snprintf(script, sizeof script,
                 "#!/bin/sh\n"
                 "echo x >> '%s'\n"
                 "echo 'JobID|User|Account|Partition|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem'\n"
                 "if [ $(wc -l < '%s') -lt 2 ]; then\n"
                 "  echo '5|ada|phys|cpu|2026-01-01T00:00:00|Unknown|01:00:00|RUNNING|2|01:00:00|1G'\n"
                 "else\n"
                 "  echo '5|ada|phys|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|COMPLETED|2|01:00:00|1G'\n"
                 "fi\n",
                 count, count);
        test_write_file(sacct, script);
        chmod(sacct, 0755);
    }
    snprintf(path_env, sizeof path_env, "PATH=%s:/usr/bin:/bin", dir);
    /* the report goes to the job's directory as the job's user: nobody
       (65534) when the test runs as root */
    snprintf(work_env, sizeof work_env, "SLURM_JOB_WORK_DIR=%s", dir);
    snprintf(uid_env, sizeof uid_env, "SLURM_JOB_UID=%u", geteuid() == 0 ? 65534u : (unsigned)geteuid());
    snprintf(gid_env, sizeof gid_env, "SLURM_JOB_GID=%u", geteuid() == 0 ? 65534u : (unsigned)getegid());
    chmod(dir, 0777);
    env[0] = path_env;
    env[1] = "SLURM_JOB_ID=5";
    env[2] = work_env;
    env[3] = uid_env;
    env[4] = gid_env;
    env[5] = NULL;
    argv[n++] = getenv("ECOEST_BIN");
    argv[n++] = "jobs";
    argv[n++] = "--epilog";
    argv[n++] = "--log";
    argv[n++] = log;
    argv[n++] = "--cpu-tdp-per-core";
    argv[n++] = "10";
    argv[n++] = "--pue";
    argv[n++] = "1";
    argv[n++] = "--job-report";
    argv[n] = NULL;
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    test_run_free(&r);
    snprintf(report, sizeof report, "%s/ecoest-5.txt", dir);
    assert_int_equal(stat(report, &sb), 0);
    assert_int_equal(sb.st_uid, geteuid() == 0 ? 65534u : geteuid());
    text = test_read_file(report, NULL);
    assert_non_null(strstr(text, "ecoest: job 5 (cpu), COMPLETED on 2 CPUs and 0 GPUs for 3600 s\n"));
    free(text);
    text = test_read_file(log, NULL);
    assert_non_null(text);
    /* usage 1 h / (2 x 1 h) = 0.5: CPU 2 x 10 x 0.5 x 1 h = 10 Wh; memory 1G =
       1.073741824 GB x 0.3725 W = 0.399968829 Wh */
    assert_non_null(strstr(text, "{\"job_id\":\"5\",\"user\":\"ada\""));
    assert_non_null(strstr(text, "\"state\":\"COMPLETED\""));
    assert_non_null(strstr(text, "\"cpu_kwh\":0.01,"));
    assert_non_null(strstr(text, "\"settled\":true}\n"));
    assert_null(strchr(strchr(text, '\n') + 1, '\n')); /* one line */
    free(text);
    /* --wait 0: one look at sacct, no waiting: the job still shows RUNNING
       (the stand-in's first call), so the line says settled: false */
    unlink(log);
    unlink(count);
    argv[n - 1] = "--wait";
    argv[n] = "0";
    argv[n + 1] = NULL;
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "job 5: sacct still shows it RUNNING after 0 s"));
    test_run_free(&r);
    text = test_read_file(count, NULL);
    assert_string_equal(text, "x\n"); /* sacct ran once */
    free(text);
    text = test_read_file(log, NULL);
    assert_non_null(strstr(text, "\"settled\":false}\n"));
    free(text);
    argv[n] = NULL;
    /* without SLURM_JOB_ID: a usage error */
    env[1] = "SLURM_JOB_ID=";
    argv[n - 1] = NULL;
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 64);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --epilog for a heterogeneous job: a hook given SLURM_JOB_ID 5 alone,
   sacct printing its components 5+0 and 5+1 (rows as sacct prints them,
   from a stand-in sacct): both are matched, 50 is not, and one line is
   written. With SLURM_HET_JOB_ID and the offset, each component's hook
   writes its own component's line. */
static void test_jobs_cli_epilog_heterogeneous_job_one_line(void **state)
{
    char *dir = test_mkdtemp(), sacct[4096], log[4096], path_env[4200];
    char *argv[10], *env[5];
    char *text;
    test_run r;
    int n = 0;
    (void)state;
    snprintf(sacct, sizeof sacct, "%s/sacct", dir);
    snprintf(log, sizeof log, "%s/jobs.jsonl", dir);
    test_write_file(sacct,
                    "#!/bin/sh\n"
                    "echo \" $*\" > \"$(dirname \"$0\")/args\"\n"
                    "echo 'JobID|User|Account|Partition|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem'\n"
                    "echo '5+0|ada|phys|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|COMPLETED|2|01:00:00|1G'\n"
                    "echo '5+0.batch|||||||COMPLETED|2|01:00:00|'\n"
                    "echo '5+1|ada|phys|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|COMPLETED|4|04:00:00|1G'\n"
                    "echo '50|ada|phys|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|COMPLETED|8|08:00:00|1G'\n");
    chmod(sacct, 0755);
    snprintf(path_env, sizeof path_env, "PATH=%s:/usr/bin:/bin", dir);
    env[0] = path_env;
    env[1] = "SLURM_JOB_ID=5";
    env[2] = NULL;
    argv[n++] = getenv("ECOEST_BIN");
    argv[n++] = "jobs";
    argv[n++] = "--epilog";
    argv[n++] = "--log";
    argv[n++] = log;
    argv[n++] = "--cpu-tdp-per-core";
    argv[n++] = "10";
    argv[n++] = "--pue";
    argv[n++] = "1";
    argv[n] = NULL;
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    text = test_read_file(log, NULL);
    assert_non_null(text);
    /* 5+0: usage 1 h / (2 x 1 h) = 0.5: 2 x 10 W x 0.5 x 1 h = 10 Wh;
       5+1: usage 4 h / (4 x 1 h) = 1: 4 x 10 W x 1 x 1 h = 40 Wh;
       together 0.05 kWh of CPU on 2 + 4 = 6 CPUs (50's 8 CPUs not in) */
    assert_non_null(strstr(text, "{\"job_id\":\"5\",\"user\":\"ada\""));
    assert_non_null(strstr(text, "\"cpus\":6,"));
    assert_non_null(strstr(text, "\"cpu_kwh\":0.05,"));
    assert_non_null(strstr(text, "\"settled\":true}\n"));
    assert_null(strchr(strchr(text, '\n') + 1, '\n')); /* one line */
    free(text);
    /* as slurmctld runs EpilogSlurmctld: once per component, SLURM_JOB_ID
       the component's own id (6), SLURM_HET_JOB_ID 5 and the offset: sacct
       is asked for -j 5 and the line is the component's, 5+1 alone (40 Wh
       of CPU on 4 CPUs, as above); then 5+0's (10 Wh on 2 CPUs) */
    unlink(log);
    env[1] = "SLURM_JOB_ID=6";
    env[2] = "SLURM_HET_JOB_ID=5";
    env[3] = "SLURM_HET_JOB_OFFSET=1";
    env[4] = NULL;
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    env[1] = "SLURM_JOB_ID=5";
    env[3] = "SLURM_HET_JOB_OFFSET=0";
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    text = test_read_file(log, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "{\"job_id\":\"5+1\",\"user\":\"ada\""));
    assert_non_null(strstr(strstr(text, "\"5+1\""), "\"cpus\":4,"));
    assert_non_null(strstr(strstr(text, "\"5+1\""), "\"cpu_kwh\":0.04,"));
    assert_non_null(strstr(text, "\n{\"job_id\":\"5+0\",\"user\":\"ada\""));
    assert_non_null(strstr(strstr(text, "\"5+0\""), "\"cpus\":2,"));
    assert_non_null(strstr(strstr(text, "\"5+0\""), "\"cpu_kwh\":0.01,"));
    assert_null(strchr(strchr(strchr(text, '\n') + 1, '\n') + 1, '\n')); /* two lines */
    free(text);
    snprintf(log, sizeof log, "%s/args", dir);
    text = test_read_file(log, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, " -j 5\n"));
    free(text);
    test_rmtree(dir);
    free(dir);
}

/* Sixteen hooks at once on one site log: the lock keeps every line whole,
   and none is lost (16 lines, each job once, each a complete object). */
static void test_jobs_cli_epilog_concurrent_hooks_lose_no_line(void **state)
{
    char *dir = test_mkdtemp(), sacct[4096], log[4096], cmd[16384];
    char *argv[4], *text, *line;
    int seen[17] = {0}, lines = 0, i;
    test_run r;
    (void)state;
    snprintf(sacct, sizeof sacct, "%s/sacct", dir);
    snprintf(log, sizeof log, "%s/jobs.jsonl", dir);
    test_write_file(sacct,
                    "#!/bin/sh\n"
                    "echo 'JobID|User|Account|Partition|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem'\n"
                    "echo \"$SLURM_JOB_ID|ada|phys|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|"
                    "01:00:00|COMPLETED|2|01:00:00|1G\"\n");
    chmod(sacct, 0755);
    snprintf(cmd, sizeof cmd,
             "PATH='%s':/usr/bin:/bin; export PATH; i=1; while [ $i -le 16 ]; do "
             "SLURM_JOB_ID=$i '%s' jobs --epilog --log '%s' --cpu-tdp-per-core 10 & "
             "i=$((i + 1)); done; wait",
             dir, getenv("ECOEST_BIN"), log);
    argv[0] = "/bin/sh";
    argv[1] = "-c";
    argv[2] = cmd;
    argv[3] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    assert_int_equal(r.status, 0);
    test_run_free(&r);
    text = test_read_file(log, NULL);
    assert_non_null(text);
    for (line = text; *line; lines++) {
        char *end = strchr(line, '\n');
        int id;
        assert_non_null(end);
        *end = '\0';
        assert_int_equal(sscanf(line, "{\"job_id\":\"%d\"", &id), 1);
        assert_true(id >= 1 && id <= 16);
        seen[id]++;
        assert_non_null(strstr(line, "\"settled\":true}"));
        assert_int_equal(end[-1], '}');
        line = end + 1;
    }
    assert_int_equal(lines, 16);
    for (i = 1; i <= 16; i++)
        assert_int_equal(seen[i], 1);
    free(text);
    test_rmtree(dir);
    free(dir);
}

/* sacct missing or failing: exit 69 with its reason, nothing on stdout */
static void test_jobs_cli_sacct_unavailable(void **state)
{
    char *dir = test_mkdtemp(), sacct[4096], path_env[4200];
    char *argv[8], *env[2];
    test_run r;
    (void)state;
    snprintf(path_env, sizeof path_env, "PATH=%s", dir);
    env[0] = path_env;
    env[1] = NULL;
    argv[0] = getenv("ECOEST_BIN");
    argv[1] = "jobs";
    argv[2] = "--sacct";
    argv[3] = "--cpu-tdp-per-core";
    argv[4] = "10";
    argv[5] = NULL;
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 69);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "sacct is not installed or not in PATH"));
    test_run_free(&r);
    snprintf(sacct, sizeof sacct, "%s/sacct", dir);
    test_write_file(sacct, "#!/bin/sh\necho 'sacct: error: Problem talking to the database' >&2\nexit 1\n");
    chmod(sacct, 0755);
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 69);
    assert_non_null(strstr(r.err, "Problem talking to the database"));
    assert_non_null(strstr(r.err, "sacct failed (exit status 1)"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --format json carries "charts" (the html report draws them); rows as
   above, TDP 10 W per core, PUE 1, 100 g/kWh. */
static void test_jobs_cli_json_charts(void **state)
{
    test_run r;
    (void)state;
    run(&r, rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100", "--format", "json",
        "-", NULL);
    assert_int_equal(r.status, 0);
    /* usage: job 10 0.5 (bin 5), job 11 4 h / (2 x 2 h) = 1 (bin 9) */
    assert_non_null(strstr(r.out, "\"charts\":{\"cpu_efficiency\":{\"bin_edges\":[0,0.1,0.2,"
                                  "0.3,0.4,0.5,0.6,0.7,0.8,0.9,1],\"jobs\":[0,0,0,0,0,1,0,0,0,1]"));
    /* memory: job 10 2G of 10G = 0.2 (bin 2), job 11 1G of 4G = 0.25 (bin 2) */
    assert_non_null(strstr(r.out, "\"memory_used_frac\":{\"bin_edges\":[0,0.1,0.2,0.3,0.4,0.5,"
                                  "0.6,0.7,0.8,0.9,1],\"overflow_jobs\":0,\"overflow_energy_kwh\":0,"
                                  "\"jobs\":[0,0,2,0,0,0,0,0,0,0]"));
    assert_non_null(strstr(r.out, "\"measured_vs_estimated\":{\"x\":\"estimated_kwh\","
                                  "\"y\":\"measured_kwh\",\"x_edges_kwh\":[1e-05,"));
    /* top users: ada 0.0959987531776 kWh, then bob: job 11 CPU 2 x 10 x 1
       x 2 h = 40 Wh, memory 4G = 4.294967296 GB x 0.3725 W x 2 h =
       3.19975063552 Wh: 0.04319975063552 kWh */
    assert_close(num_after(r.out, "\"top_users\":[{\"user\":\"ada\",\"jobs\":1,"
                                  "\"energy_kwh\":"), 0.0959987531776, 1e-12);
    /* bob's CO2e: 0.04319975063552 kWh x 100 g/kWh = 4.319975063552 g */
    assert_close(num_after(r.out, "{\"user\":\"bob\",\"jobs\":1,\"energy_kwh\":"),
                 0.04319975063552, 1e-12);
    assert_close(num_after(strstr(r.out, "{\"user\":\"bob\""), "\"co2e_g\":"),
                 4.319975063552, 1e-12);
    assert_non_null(strstr(r.out, "}]}}\n"));
    test_run_free(&r);
}

/* --tz with a zone name: days split where Paris's days end, 23 hours on the
   day summer time begins (2026-03-29, at 01:00 UTC). */
static void test_jobs_cli_tz_zone_name_dst_day(void **state)
{
    static const char dst_rows[] =
        "JobID|User|Start|End|Elapsed|State|NCPUS|TotalCPU|ReqMem\n"
        "1|ada|2026-03-28T22:00:00|2026-03-29T23:00:00|1-01:00:00|COMPLETED|1|1-01:00:00|1G\n";
    struct stat st;
    test_run r;
    (void)state;
    if (stat("/usr/share/zoneinfo/Europe/Paris", &st) != 0 && !getenv("TZDIR")) {
        print_message("(skipped: no zoneinfo)\n");
        return;
    }
    run(&r, dst_rows, "--cpu-tdp-per-core", "10", "--pue", "1", "--memory-w-per-gb", "0", "--by",
        "day", "--tz", "Europe/Paris", "--format", "csv", "-", NULL);
    assert_int_equal(r.status, 0);
    /* 25 h at 10 W = 0.25 kWh: 1 h on the 28th (23:00-24:00 +01:00), 23 h
       on the 29th, 1 h on the 30th (00:00-01:00 +02:00): 0.01, 0.23, 0.01 */
    assert_non_null(strstr(r.out, "\n2026-03-28,0.04,0.01,"));
    assert_non_null(strstr(r.out, "\n2026-03-29,0.92,0.23,"));
    assert_non_null(strstr(r.out, "\n2026-03-30,0.04,0.01,"));
    test_run_free(&r);
    /* a folder is not a zone */
    run(&r, dst_rows, "--cpu-tdp-per-core", "10", "--tz", "Europe", "-", NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--tz: expected UTC, an offset like +01:00, or a zone name"));
    test_run_free(&r);
}

/* --include-embodied: each job's share of the manufacturing of what it
   holds (carbon/embodied.csv, local server: 5 years at 0.2 active; a CPU
   package 11 x 1970 + 9140 = 30810 g, memory GB / 1.8762 x 2200 + GB / 32
   x 5220, the rest of a server 247080 g), on a partition of 8 cores a node.
   Job 10: 4 of 8 cores, 4 h, 10G = 10.73741824 GB (14342.0542 g): 4 /
   (5 x 8766 x 0.2) x (0.5 x 30810 + 14342.0542 + 0.5 x 247080 = 153287.0542)
   = 69.946180 g. Job 11: 2 of 8 cores, 2 h, 4G = 4.294967296 GB
   (5736.8217 g): 2 / 8766 x (0.25 x 30810 + 5736.8217 + 0.25 x 247080 =
   75209.3217) = 17.159325 g. In all 87.105505 g; the energy's CO2e
   9.59987531776 + 4.319975063552 = 13.919850381312 g (as above). */
#define CLI_EMB_10 (4.0 / 8766.0 * (0.5 * 30810.0 + 10.73741824 / 1.8762 * 2200.0 + \
                                    10.73741824 / 32.0 * 5220.0 + 0.5 * 247080.0))
#define CLI_EMB_11 (2.0 / 8766.0 * (0.25 * 30810.0 + 4.294967296 / 1.8762 * 2200.0 + \
                                    4.294967296 / 32.0 * 5220.0 + 0.25 * 247080.0))
static void test_jobs_cli_embodied_json(void **state)
{
    char *dir = test_mkdtemp(), path[4096];
    const char *tot;
    test_run r;
    (void)state;
    assert_close(CLI_EMB_10, 69.946180, 1e-7);
    assert_close(CLI_EMB_11, 17.159325, 1e-7);
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    test_write_file(path, "partitions:\n"
                          "  cpu:\n"
                          "    cpu_tdp_per_core_w: 10\n"
                          "    cores_per_node: 8\n"
                          "    pue: 1\n"
                          "    ci_g_co2e_per_kwh: 100\n");
    /* shown beside the CO2e, not in it */
    run(&r, rows, "--cluster", path, "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    tot = strstr(r.out, "\"totals\":");
    assert_non_null(tot);
    assert_close(num_after(tot, "\"embodied_co2e_g\":"), CLI_EMB_10 + CLI_EMB_11, 1e-12);
    assert_close(num_after(tot, "\"co2e_g\":"), 13.919850381312, 1e-12);
    assert_non_null(strstr(tot, "\"embodied_included\":false,"));
    test_run_free(&r);
    /* included */
    run(&r, rows, "--cluster", path, "--include-embodied", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    tot = strstr(r.out, "\"totals\":");
    assert_close(num_after(tot, "\"co2e_g\":"), 13.919850381312 + CLI_EMB_10 + CLI_EMB_11,
                 1e-12);
    assert_close(num_after(tot, "\"embodied_co2e_g\":"), 87.105505, 1e-7);
    assert_non_null(strstr(tot, "\"embodied_included\":true,"));
    test_run_free(&r);
    /* per job, JSON lines */
    run(&r, rows, "--cluster", path, "--include-embodied", "--per-job", "--format", "json", "-",
        NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(strstr(r.out, "\"job_id\":\"10\""), "\"embodied_co2e_g\":"),
                 CLI_EMB_10, 1e-12);
    assert_close(num_after(strstr(r.out, "\"job_id\":\"11\""), "\"embodied_co2e_g\":"),
                 CLI_EMB_11, 1e-12);
    /* job 11's CO2e: 4.319975063552 g + 17.159325 g */
    assert_close(num_after(strstr(r.out, "\"job_id\":\"11\""), "\"co2e_g\":"),
                 4.319975063552 + CLI_EMB_11, 1e-12);
    test_run_free(&r);
    /* the text report says whether it is in the carbon */
    run(&r, rows, "--cluster", path, "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Embodied      87.11 g CO2e, the manufacturing of the hardware "
                                  "held (not in the carbon; --include-embodied adds it)\n"));
    test_run_free(&r);
    run(&r, rows, "--cluster", path, "--include-embodied", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Embodied      87.11 g CO2e, the manufacturing of the hardware "
                                  "held (included in the carbon)\n"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* A partition that names its CPU: the embodied share takes the CPU's die
   area from hwdb/cpu.csv (EPYC 7763: 10.64 cm2), not the 11 cm2 class
   default: a package is 10.64 x 1970 + 9140 = 20960.8 + 9140 = 30100.8 g
   instead of 30810 g. Job 10, half a node of 8 cores for 4 h: 4 / 8766 x
   (0.5 x 30100.8 + 14342.0542 + 0.5 x 247080 = 152932.4542) = 69.784373 g
   (CLI_EMB_10 less 4 / 8766 x 0.5 x 709.2 = 0.161807 g). Job 11, a quarter
   node for 2 h: 2 / 8766 x (0.25 x 30100.8 + 5736.8217 + 0.25 x 247080 =
   75032.0217) = 17.118873 g. --input-tz GMT reads the times as UTC. */
static void test_jobs_cli_embodied_die_area_of_the_partitions_cpu(void **state)
{
    char *dir = test_mkdtemp(), path[4096];
    const char *tot;
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    test_write_file(path, "partitions:\n"
                          "  cpu:\n"
                          "    cpu: \"EPYC 7763\"\n"
                          "    cores_per_node: 8\n"
                          "    pue: 1\n"
                          "    ci_g_co2e_per_kwh: 100\n");
    run(&r, rows, "--cluster", path, "--input-tz", "GMT", "--per-job", "--format", "json", "-",
        NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(strstr(r.out, "\"job_id\":\"10\""), "\"embodied_co2e_g\":"),
                 4.0 / 8766.0 * (0.5 * (10.64 * 1970.0 + 9140.0) + 10.73741824 / 1.8762 *
                                 2200.0 + 10.73741824 / 32.0 * 5220.0 + 0.5 * 247080.0),
                 1e-12);
    assert_close(num_after(strstr(r.out, "\"job_id\":\"10\""), "\"embodied_co2e_g\":"),
                 69.784373, 1e-7);
    assert_close(CLI_EMB_10 - 69.784373, 4.0 / 8766.0 * 0.5 * 709.2, 1e-5);
    assert_close(num_after(strstr(r.out, "\"job_id\":\"11\""), "\"embodied_co2e_g\":"),
                 17.118873, 1e-7);
    assert_non_null(strstr(r.out, "\"start\":\"2026-01-01T22:00:00Z\""));
    test_run_free(&r);
    run(&r, rows, "--cluster", path, "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    tot = strstr(r.out, "\"totals\":");
    assert_non_null(tot);
    /* 69.784373 + 17.118873 = 86.903246 g */
    assert_close(num_after(tot, "\"embodied_co2e_g\":"), 86.903246, 1e-7);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* --cpu-power-model curve: each partition's row of the shipped
   cpu_power_curves.csv. One job on each of two partitions: 4 CPUs at usage
   1 (TotalCPU 4 x Elapsed: f(1) = 1 whatever the shape), 1 h, no memory,
   PUE 1, 100 g/kWh, the default static power 20 W a node, 16 cores a node.
     tdp (cpu_tdp_per_core_w 10): the default row, idle 0.100, full load
       0.640: process CPU 4 x (0.640 - 0.100) x 10 = 21.6 W; node 20 +
       16 x 0.100 x 10 (16) + 21.6 = 57.6 W: 0.0576 kWh, 5.76 g
     ice (cpu: Xeon Gold 6326, hwdb 16 cores, 185 W: 11.5625 W a core): the
       xeon-ice-lake row ("Xeon Gold 63"), idle 0.096, full load 0.640:
       idle 0.096 x 11.5625 = 1.11 W, range 0.544 x 11.5625 = 6.29 W a core;
       process CPU 4 x 6.29 = 25.16 W; node 20 + 16 x 1.11 (17.76) + 25.16
       = 62.92 W: 0.06292 kWh
   The tdp model's node has no floor: 20 + 4 x 10 = 60 W for the first. */
static void test_jobs_cli_cpu_power_curve_per_job_json(void **state)
{
    static const char crows[] =
        "JobID|Partition|Start|State|Elapsed|NCPUS|TotalCPU|ReqMem\n"
        "30|tdp|2026-01-01T00:00:00|COMPLETED|01:00:00|4|04:00:00|0\n"
        "31|ice|2026-01-01T00:00:00|COMPLETED|01:00:00|4|04:00:00|0\n";
    char *dir = test_mkdtemp(), path[4096];
    const char *l;
    test_run r;
    (void)state;
    snprintf(path, sizeof path, "%s/cluster.yaml", dir);
    test_write_file(path, "partitions:\n"
                          "  tdp:\n"
                          "    cpu_tdp_per_core_w: 10\n"
                          "    cores_per_node: 16\n"
                          "    pue: 1\n"
                          "    ci_g_co2e_per_kwh: 100\n"
                          "  ice:\n"
                          "    cpu: Xeon Gold 6326\n"
                          "    pue: 1\n"
                          "    ci_g_co2e_per_kwh: 100\n");
    run(&r, crows, "--cluster", path, "--cpu-power-model", "curve", "--scope", "node",
        "--per-job", "--format", "json", "-", NULL);
    assert_int_equal(r.status, 0);
    l = strstr(r.out, "{\"job_id\":\"30\"");
    assert_non_null(l);
    assert_close(num_after(l, "\"cpu_kwh\":"), 0.0376, 1e-12); /* 16 + 21.6 W */
    assert_close(num_after(l, "\"energy_kwh\":"), 0.0576, 1e-12);
    assert_close(num_after(l, "\"co2e_g\":"), 5.76, 1e-12);
    assert_true(strstr(l, "\"cpu_curve_family\":\"default\",") < strchr(l, '\n'));
    l = strstr(r.out, "{\"job_id\":\"31\"");
    assert_non_null(l);
    assert_close(num_after(l, "\"cpu_kwh\":"), 0.04292, 1e-12); /* 17.76 + 25.16 W */
    assert_close(num_after(l, "\"energy_kwh\":"), 0.06292, 1e-12);
    assert_non_null(strstr(l, "\"cpu_curve_family\":\"xeon-ice-lake\","));
    test_run_free(&r);
    /* the default model: no family, no floor */
    run(&r, crows, "--cluster", path, "--scope", "node", "--per-job", "--format", "json", "-",
        NULL);
    assert_int_equal(r.status, 0);
    assert_close(num_after(r.out, "\"energy_kwh\":"), 0.06, 1e-12);
    assert_null(strstr(r.out, "cpu_curve_family"));
    test_run_free(&r);
    /* the report names each partition's row */
    run(&r, crows, "--cluster", path, "--cpu-power-model", "curve", "--format", "json", "-",
        NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"cpu_power_model\":\"curve\",\"cpu_curves\":[{"
                                  "\"partition\":\"tdp\",\"nodes\":\"\",\"cpu\":\"\","
                                  "\"family\":\"default\",\"idle_frac\":0.1,"));
    assert_non_null(strstr(r.out, "\"partition\":\"ice\",\"nodes\":\"\",\"cpu\":\"Xeon Gold "
                                  "6326\",\"family\":\"xeon-ice-lake\",\"idle_frac\":0.096,"));
    /* process scope: 21.6 + 25.16 = 46.76 W for 1 h */
    assert_close(num_after(strstr(r.out, "\"totals\":"), "\"energy_kwh\":"), 0.04676, 1e-12);
    test_run_free(&r);
    run(&r, crows, "--cluster", path, "--cpu-power-model", "curve", "-", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "CPU power     curve (cpu_power_curves.csv rows: tdp default, "
                                  "ice xeon-ice-lake)\n"));
    test_run_free(&r);
    /* usage errors: ga4hpc takes no curve; an unknown model */
    run(&r, crows, "--cluster", path, "--cpu-power-model", "curve", "--method", "ga4hpc", "-",
        NULL);
    assert_int_equal(r.status, 64);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "--cpu-power-model curve: --method ga4hpc"));
    test_run_free(&r);
    run(&r, crows, "--cluster", path, "--cpu-power-model", "fan", "-", NULL);
    assert_int_equal(r.status, 64);
    assert_non_null(strstr(r.err, "--cpu-power-model: expected tdp or curve, got \"fan\""));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_cli_per_job_csv_by_hand),
        cmocka_unit_test(test_jobs_cli_by_day_json),
        cmocka_unit_test(test_jobs_cli_measured_beside_every_scope),
        cmocka_unit_test(test_jobs_cli_text_report),
        cmocka_unit_test(test_jobs_cli_default_unit_rss),
        cmocka_unit_test(test_jobs_cli_sacct_x_cpu_time_unknown),
        cmocka_unit_test(test_jobs_cli_gpu_without_gpu_power_is_a_bad_row),
        cmocka_unit_test(test_jobs_cli_ga4hpc_drops_running_rows),
        cmocka_unit_test(test_jobs_cli_running_not_failed),
        cmocka_unit_test(test_jobs_cli_bad_row_exit_65_or_skipped),
        cmocka_unit_test(test_jobs_cli_missing_columns_and_usage),
        cmocka_unit_test(test_jobs_cli_node_scope_says_what_it_assumed),
        cmocka_unit_test(test_jobs_cli_partition_without_cpu_power_is_a_bad_row),
        cmocka_unit_test(test_jobs_cli_sacct_dry_run),
        cmocka_unit_test(test_jobs_cli_cluster_file),
        cmocka_unit_test(test_jobs_cli_ga4hpc_per_job_columns),
        cmocka_unit_test(test_jobs_cli_ga4hpc_totals),
        cmocka_unit_test(test_jobs_cli_epilog_appends_one_settled_line),
        cmocka_unit_test(test_jobs_cli_epilog_heterogeneous_job_one_line),
        cmocka_unit_test(test_jobs_cli_epilog_concurrent_hooks_lose_no_line),
        cmocka_unit_test(test_jobs_cli_sacct_unavailable),
        cmocka_unit_test(test_jobs_cli_json_charts),
        cmocka_unit_test(test_jobs_cli_tz_zone_name_dst_day),
        cmocka_unit_test(test_jobs_cli_embodied_json),
        cmocka_unit_test(test_jobs_cli_embodied_die_area_of_the_partitions_cpu),
        cmocka_unit_test(test_jobs_cli_cpu_power_curve_per_job_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
