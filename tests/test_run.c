/* ecoest run: real process trees, signals, the log, a fake NVML, a fake
 * nvidia-smi and a fake powercap tree. */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../cli/monitor.h"
#include "test_util.h"

#define NO_NVML "ECOEST_TEST_NVML_LIB=/nonexistent/libnvidia-ml.so.1"

static const char *bin(void)
{
    return getenv("ECOEST_BIN");
}

static const char *burn(void)
{
    return getenv("ECOEST_TEST_RUN_BURN");
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int exists(const char *p)
{
    return access(p, F_OK) == 0;
}

static cJSON *read_json(const char *path)
{
    char *text = test_read_file(path, NULL);
    cJSON *j;
    if (!text)
        fail_msg("no report at %s", path);
    j = cJSON_Parse(text);
    if (!j)
        fail_msg("%s is not JSON: %s", path, text);
    free(text);
    return j;
}

static double num(const cJSON *j, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    if (!cJSON_IsNumber(x))
        fail_msg("%s%s%s is not a number", a, b ? "." : "", b ? b : "");
    return x->valuedouble;
}

/* samples.gpus[k].key */
static double gpu_num(const cJSON *j, int k, const char *key)
{
    const cJSON *g = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "samples"),
                                         "gpus"), k);
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(g, key);
    if (!cJSON_IsNumber(x))
        fail_msg("samples.gpus[%d].%s is not a number", k, key);
    return x->valuedouble;
}

/* Runs ecoest with args (NULL-terminated) and env entries. */
static void ecoest(test_run *r, const char *const *args, char *const *env)
{
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)bin();
    while (*args && n < 63)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    test_run_argv(r, argv, NULL, env);
}

/* Starts ecoest in the background, stdout and stderr to files in dir. */
static pid_t spawn(const char *dir, const char *const *args, char *const *env)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *argv[64], *out = path_in(dir, "stdout"), *err = path_in(dir, "stderr");
        int n = 0, fd;
        argv[n++] = (char *)bin();
        while (*args && n < 63)
            argv[n++] = (char *)*args++;
        argv[n] = NULL;
        fd = open("/dev/null", O_RDONLY);
        dup2(fd, 0);
        fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 2);
        setpgid(0, 0); /* not the test's own group */
        while (env && *env)
            putenv(*env++);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void sleep_s(double s)
{
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

/* Waits (up to 30 s) for a file to exist and hold at least lines lines. */
static void wait_for(const char *path, int lines)
{
    int i;
    for (i = 0; i < 600; i++) {
        char *t = test_read_file(path, NULL);
        int n = 0;
        const char *p;
        for (p = t; p && *p; p++)
            n += *p == '\n';
        free(t);
        if (t && n >= lines)
            return;
        sleep_s(0.05);
    }
    fail_msg("%s did not get %d lines", path, lines);
}

/* ---- a real process tree ------------------------------------------------ */

/* 2 threads each burning 3 s of their own CPU time: 2 x 3 = 6 CPU-seconds,
   however busy the machine is (the burn is measured in CPU time). */
static void test_run_two_thread_burn_measures_six_cpu_seconds(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "burn.csv"),
         *out = path_in(dir, "report.json");
    const char *args[] = {"run", "--interval", "0.5", "--log", log, "--output", out,
                          "--cpu-tdp-per-core", "10", "--", burn(), "2", "3", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r, replay;
    cJSON *j, *run, *j2;
    (void)state;
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(r.out_len, 0); /* silent stdout */
    assert_non_null(strstr(r.err, "Estimate"));
    assert_non_null(strstr(r.err, "Values to paste"));
    j = read_json(out);
    run = cJSON_GetObjectItemCaseSensitive(j, "run");
    assert_non_null(run);
    /* 6 CPU-s and the little it takes to start a process and 2 threads */
    assert_close(num(run, "cpu_s", NULL), 6.0, 0.05);
    assert_close(num(run, "exit_status", NULL), 0.0, 0.0);
    assert_close(num(run, "interval_s", NULL), 0.5, 0.0);
    assert_true(num(run, "samples", NULL) >= 2.0);
    assert_true(num(run, "monitor_cpu_s", NULL) >= 0.0);
    assert_true(num(run, "monitor_cpu_s", NULL) < 0.5);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(run, "command"),
                                           0)->valuestring, burn());
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(run, "gpu_source")));
    /* the CPU's energy from the log: 1.67 (PUE) x 10 W per busy core x 6 CPU-s
       / 3.6e6 J/kWh = 2.7833e-5 kWh; the log's trapezoid over per-step rates
       smooths the last step: a looser tolerance */
    assert_close(num(cJSON_GetObjectItemCaseSensitive(j, "components"), "cpu", "energy_kwh"),
                 1.67 * 10.0 * 6.0 / 3.6e6, 0.15);
    /* ecoest --samples LOG with the same options gives the same estimate */
    {
        const char *a2[] = {"--samples", log, "--cpu-tdp-per-core", "10", "--format", "json",
                            NULL};
        ecoest(&replay, a2, NULL);
        assert_int_equal(replay.status, 0);
        j2 = cJSON_Parse(replay.out);
        assert_non_null(j2);
        assert_close(num(j2, "energy_kwh", NULL), num(j, "energy_kwh", NULL), 1e-12);
        assert_close(num(j2, "co2e_g", NULL), num(j, "co2e_g", NULL), 1e-12);
        cJSON_Delete(j2);
        /* byte for byte: the report is the replay's JSON plus the run member */
        {
            char *text = test_read_file(out, NULL), *cut;
            assert_non_null(text);
            cut = strstr(text, ",\n\t\"run\":\t{");
            assert_non_null(cut);
            assert_int_equal(strncmp(text, replay.out, (size_t)(cut - text)), 0);
            assert_string_equal(replay.out + (cut - text), "\n}\n");
            free(text);
        }
        test_run_free(&replay);
    }
    /* the replay command is printed */
    assert_non_null(strstr(r.err, "Same estimate again: ecoest --samples"));
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

/* A grandchild that daemonizes (setsid, double fork: its parent is gone)
   burns 1 CPU-s: counted, through the cgroup or through the subreaper. */
static void daemon_counted(const char *no_cgroup)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "d.csv"), *out = path_in(dir, "d.json"),
         *done = path_in(dir, "done"), cmd[4096];
    const char *args[] = {"run", "--interval", "0.2", "--log", log, "--output", out,
                          "--cpu-tdp-per-core", "10", "--", "sh", "-c", cmd, NULL};
    char *env[] = {NO_NVML, (char *)no_cgroup, NULL};
    test_run r;
    cJSON *j;
    snprintf(cmd, sizeof cmd, "%s daemon 1 %s; while [ ! -f %s ]; do sleep 0.05; done",
             burn(), done, done);
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = read_json(out);
    /* 1 CPU-s burned by the daemon, plus the shell's polling (a few ms per
       0.05 s while the daemon burns: more on a loaded machine) */
    assert_true(num(j, "run", "cpu_s") >= 0.97);
    assert_true(num(j, "run", "cpu_s") <= 2.5);
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(done);
}

static void test_run_daemonized_grandchild_counted_subreaper(void **state)
{
    (void)state;
    daemon_counted("ECOEST_TEST_NO_CGROUP=1");
}

static void test_run_daemonized_grandchild_counted_default(void **state)
{
    (void)state;
    daemon_counted("ECOEST_TEST_NO_CGROUP=");
}

static void expect_status(const char *cmd, int status)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "x.csv");
    const char *args[] = {"run", "--log", log, "--cpu-tdp-per-core", "10", "--", "sh", "-c",
                          cmd, NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    ecoest(&r, args, env);
    if (r.status != status)
        fail_msg("%s: exit %d, expected %d: %s", cmd, r.status, status, r.err);
    assert_int_equal(r.out_len, 0);
    assert_non_null(strstr(r.err, "Estimate")); /* printed whatever the end */
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
}

static void test_run_exit_status_is_the_commands(void **state)
{
    (void)state;
    expect_status("exit 0", 0);
    expect_status("sleep 0.3; exit 3", 3);
    expect_status("sleep 0.3; kill -KILL $$", 128 + SIGKILL);
}

static void test_run_missing_command_is_127(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "x.csv");
    const char *args[] = {"run", "--log", log, "--", "/nonexistent/cmd", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 127);
    assert_non_null(strstr(r.err, "/nonexistent/cmd"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
}

static void test_run_sigterm_reaches_the_command(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "t.csv"), *ready = path_in(dir, "ready"),
         *got = path_in(dir, "got"), *errf = path_in(dir, "stderr"), cmd[4096], *err;
    const char *args[] = {"run", "--interval", "0.2", "--log", log, "--cpu-tdp-per-core",
                          "10", "--", "sh", "-c", cmd, NULL};
    char *env[] = {NO_NVML, NULL};
    int status;
    pid_t pid;
    (void)state;
    snprintf(cmd, sizeof cmd, "trap 'echo term > %s; exit 7' TERM; echo ready > %s; "
             "while :; do sleep 0.05; done", got, ready);
    pid = spawn(dir, args, env);
    wait_for(ready, 1);
    wait_for(log, 3);
    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7); /* the command's own exit */
    assert_true(exists(got));
    err = test_read_file(errf, NULL);
    assert_non_null(strstr(err, "Estimate")); /* still printed */
    assert_non_null(strstr(err, "exit status: 7"));
    free(err);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(ready);
    free(got);
    free(errf);
}

/* SIGKILL of the monitor: the command runs on, the log ends on a row
   boundary and `ecoest --samples` reads it. */
static void test_run_killed_monitor_leaves_a_valid_log(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "k.csv"), *done = path_in(dir, "done"),
         cmd[4096], *text;
    const char *args[] = {"run", "--interval", "0.1", "--log", log, "--cpu-tdp-per-core",
                          "10", "--", "sh", "-c", cmd, NULL};
    char *env[] = {NO_NVML, "ECOEST_TEST_NO_CGROUP=1", NULL};
    const char *a2[] = {"--samples", log, "--cpu-tdp-per-core", "10", NULL};
    int status, i;
    size_t len;
    pid_t pid;
    test_run r;
    (void)state;
    snprintf(cmd, sizeof cmd, "sleep 3; echo done > %s", done);
    pid = spawn(dir, args, env);
    wait_for(log, 4);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    for (i = 0; i < 400 && !exists(done); i++)
        sleep_s(0.05);
    assert_true(exists(done)); /* the command was not killed with the monitor */
    text = test_read_file(log, &len);
    assert_non_null(text);
    assert_true(len > 0);
    assert_int_equal(text[len - 1], '\n');
    free(text);
    ecoest(&r, a2, NULL);
    if (r.status != 0)
        fail_msg("ecoest --samples on the killed monitor's log: exit %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "Estimate"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(done);
}

static void test_run_log_is_never_overwritten(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "old.csv"), *mark = path_in(dir, "ran"),
         cmd[4096], *text, cwd[4096];
    const char *args[] = {"run", "--log", log, "--", "sh", "-c", cmd, NULL};
    const char *args2[] = {"run", "--cpu-tdp-per-core", "10", "--", "true", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    (void)state;
    snprintf(cmd, sizeof cmd, "touch %s", mark);
    test_write_file(log, "precious\n");
    ecoest(&r, args, env);
    assert_int_equal(r.status, 74);
    assert_non_null(strstr(r.err, "never overwritten"));
    assert_false(exists(mark)); /* the command was not run */
    text = test_read_file(log, NULL);
    assert_string_equal(text, "precious\n");
    free(text);
    test_run_free(&r);
    /* the default log: named after the start time, in the current folder */
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    ecoest(&r, args2, env);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "log ecoest-run-"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(mark);
}

/* No --cpu: run adds --cpu auto; a CPU the database cannot resolve leaves
   the estimate without the CPU (said), never without an estimate. */
static void test_run_unresolved_cpu_auto_still_estimates(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "a.csv"), *info = path_in(dir, "cpuinfo"),
         env_info[4200];
    const char *args[] = {"run", "--log", log, "--", "sh", "-c", "exit 3", NULL};
    char *env[] = {NO_NVML, env_info, NULL};
    test_run r;
    (void)state;
    test_write_file(info, "processor\t: 0\nmodel name\t: Nonexistent CPU XZ-9999\n\n");
    snprintf(env_info, sizeof env_info, "ECOEST_CPUINFO=%s", info);
    ecoest(&r, args, env);
    assert_int_equal(r.status, 3); /* the command's, whatever the estimate */
    assert_non_null(strstr(r.err, "the CPU is not counted"));
    assert_non_null(strstr(r.err, "Estimate"));
    assert_non_null(strstr(r.err, "Same estimate again: ecoest --samples"));
    assert_null(strstr(r.err, "--cpu auto\n")); /* the replay has no --cpu auto */
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(info);
}

static void test_run_csv_output_has_the_run_columns(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "c.csv");
    const char *args[] = {"run", "--log", log, "--format", "csv", "--output", "-",
                          "--cpu-tdp-per-core", "10", "--", "sh", "-c", "exit 3", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, ",run_exit_status,run_interval_s,run_samples,"));
    assert_non_null(strstr(r.out, ",3,1,"));
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
}

/* --platform, --cloud, --wue and --include-embodied reach the estimate. The
   region aws:eu-west-3 is zone FR with AWS's PUE 1.15 (carbon/regions.csv),
   its platform "cloud": 3 years at 50 % active use (carbon/embodied.csv).
   So, whatever CMD used:
     on-site water  = IT energy x WUE = energy_kwh / 1.15 x 0.5
     off-site water = energy_kwh x 4.81 l/kWh (zone FR's mix)
     share_frac     = runtime_h / (3 x 8766 h x 0.5) = runtime_h / 13149
     co2e_g         = operational_co2e_g + embodied_co2e_g (included) */
static void test_run_passes_cloud_wue_and_embodied(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "w.csv"), *out = path_in(dir, "w.json");
    const char *args[] = {"run", "--log", log, "--format", "json", "--output", out,
                          "--cpu-tdp-per-core", "10", "--cloud", "aws:eu-west-3",
                          "--wue", "0.5", "--include-embodied", "--", "sh", "-c",
                          "sleep 1.2", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    cJSON *j;
    double e, h;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 0);
    j = read_json(out);
    e = num(j, "energy_kwh", NULL);
    h = num(j, "runtime_h", NULL);
    assert_true(e > 0.0 && h > 0.0);
    assert_close(num(j, "pue", NULL), 1.15, 1e-12);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "zone")->valuestring, "FR");
    assert_close(num(j, "water", "wue_l_per_kwh"), 0.5, 0.0);
    assert_close(num(j, "water", "water_onsite_l"), e / 1.15 * 0.5, 1e-9);
    assert_close(num(j, "water", "water_offsite_l"), e * 4.81, 1e-9);
    assert_close(num(j, "embodied", "lifetime_years"), 3.0, 0.0);
    assert_close(num(j, "embodied", "active_frac"), 0.5, 0.0);
    assert_close(num(j, "embodied", "share_frac"), h / 13149.0, 1e-9);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(j, "embodied"), "included")));
    assert_close(num(j, "co2e_g", NULL),
                 num(j, "operational_co2e_g", NULL) + num(j, "embodied", "embodied_co2e_g"),
                 1e-12);
    /* the replay line gives the same estimate again */
    assert_non_null(strstr(r.err, "--cloud aws:eu-west-3 --wue 0.5 --include-embodied"));
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

/* The model options pass through too. With --pue 1 and --node-static-w 30
   the node's static power is 30 W, so its energy is 30 W x runtime_h / 1000
   kWh; --compare-kwh 0.001 puts each scope's estimate beside it:
   ratio = estimate_kwh / 0.001. */
static void test_run_passes_the_node_curve_and_compare_options(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "n.csv"), *out = path_in(dir, "n.json");
    const char *args[] = {"run", "--log", log, "--format", "json", "--output", out,
                          "--cpu-tdp-per-core", "10", "--pue", "1", "--cpu-power-model",
                          "curve", "--node-static-w", "30", "--compare-kwh", "0.001", "--",
                          "sh", "-c", "exit 0", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    cJSON *j, *st, *cmp;
    double h;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 0);
    j = read_json(out);
    h = num(j, "runtime_h", NULL);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "cpu_power_model")->valuestring,
                        "curve");
    st = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "node"),
                                         "components"), "static");
    assert_close(num(st, "power_w", NULL), 30.0, 0.0);
    assert_close(num(st, "energy_kwh", NULL), 30.0 * h / 1000.0, 1e-9);
    cmp = cJSON_GetObjectItemCaseSensitive(j, "compare");
    assert_close(num(cmp, "meter_kwh", NULL), 0.001, 0.0);
    assert_close(num(cmp, "node", "ratio"), num(cmp, "node", "estimate_kwh") / 0.001, 1e-12);
    assert_non_null(strstr(r.err, "--cpu-power-model curve --node-static-w 30 --compare-kwh 0.001"));
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

/* An estimate option that run's own list never had, --node-energy-kwh,
   now passes through (run derives what it passes from the estimate's
   option table), abbreviated too: "--node-energy" is the estimate's
   --node-energy-kwh. A measured node energy of 0.005 kWh per run replaces
   the node scope's estimate: with --pue 1, runs 1 and --ci 100,
     node energy = 0.005 x 1 x 1        = 0.005 kWh
     node CO2e   = 0.005 x 100          = 0.5 g
     node power  = 0.005 x 1000 / runtime_h W (the log's runtime) */
static void test_run_passes_an_estimate_option_it_never_listed(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "e.csv"), *out = path_in(dir, "e.json");
    const char *args[] = {"run", "--log", log, "--format", "json", "--output", out,
                          "--cpu-tdp-per-core", "10", "--pue", "1", "--ci", "100",
                          "--node-energy", "0.005", "--", "sh", "-c", "exit 0", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    cJSON *j, *node;
    double h;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 0);
    j = read_json(out);
    h = num(j, "runtime_h", NULL);
    assert_true(h > 0.0);
    node = cJSON_GetObjectItemCaseSensitive(j, "node");
    assert_close(num(node, "energy_kwh", NULL), 0.005, 1e-12);
    assert_close(num(node, "co2e_g", NULL), 0.5, 1e-12);
    assert_close(num(node, "power_w", NULL), 0.005 * 1000.0 / h, 1e-9);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(node, "basis")->valuestring,
                        "measured");
    /* the replay line names it in full */
    assert_non_null(strstr(r.err, "--pue 1 --ci 100 --node-energy-kwh 0.005"));
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

static void test_run_usage_errors(void **state)
{
    const char *a1[] = {"run", NULL};
    const char *a2[] = {"run", "--interval", "0", "--", "true", NULL};
    const char *a3[] = {"run", "--hours", "1", "--", "true", NULL};
    const char *a4[] = {"run", "--format", "json", "--", "true", NULL};
    /* ambiguous, as for the estimate: --cpu-tdp or --cpu-tdp-per-core */
    const char *a5[] = {"run", "--cpu-t", "10", "--", "true", NULL};
    /* set by run itself (the log's window), not passed through */
    const char *a6[] = {"run", "--start", "2025-01-01T00:00:00Z", "--", "true", NULL};
    const char *const *all[] = {a1, a2, a3, a4, a5, a6};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        test_run r;
        ecoest(&r, all[i], NULL);
        assert_int_equal(r.status, 64);
        assert_int_equal(r.out_len, 0);
        test_run_free(&r);
    }
}

static void test_run_slurm_job_outside_slurm_falls_back(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "s.csv"), *out = path_in(dir, "s.json");
    const char *args[] = {"run", "--slurm-job", "--log", log, "--output", out,
                          "--cpu-tdp-per-core", "10", "--", "true", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    cJSON *j;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "--slurm-job"));
    j = read_json(out);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(j, "run"), "scope")->valuestring,
                        "tree");
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

/* A fake Slurm job cgroup (v2): its cpu.stat moves by 2.5 s of CPU during
   the run, memory.current is 2 GB, memory.peak 3 GB. */
static void test_run_slurm_job_reads_the_jobs_cgroup(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "j.csv"), *out = path_in(dir, "j.json"),
         *cg = path_in(dir, "cg"), job[4400], p[4600], cmd[12000], env_root[4400];
    const char *args[] = {"run", "--slurm-job", "--interval", "0.1", "--log", log, "--output",
                          out, "--cpu-tdp-per-core", "10", "--", "sh", "-c", cmd, NULL};
    char *env[] = {NO_NVML, env_root,
                   "ECOEST_TEST_SELF_CGROUP=/system.slice/slurmstepd.scope/job_42/step_0/user",
                   NULL};
    test_run r;
    cJSON *j;
    (void)state;
    snprintf(job, sizeof job, "%s/system.slice/slurmstepd.scope/job_42", cg);
    snprintf(p, sizeof p, "mkdir -p %s/step_0/user", job);
    assert_int_equal(system(p), 0);
    snprintf(p, sizeof p, "%s/cpu.stat", job);
    test_write_file(p, "usage_usec 1000000\nuser_usec 900000\nsystem_usec 100000\n");
    snprintf(p, sizeof p, "%s/memory.current", job);
    test_write_file(p, "2000000000\n");
    snprintf(p, sizeof p, "%s/memory.peak", job);
    test_write_file(p, "3000000000\n");
    snprintf(env_root, sizeof env_root, "ECOEST_TEST_CGROUP_ROOT=%s", cg);
    snprintf(cmd, sizeof cmd, "sleep 0.5; printf 'usage_usec 3500000\\n' > %s/t; "
             "mv %s/t %s/cpu.stat; sleep 0.5", job, job, job);
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = read_json(out);
    /* 3500000 - 1000000 us = 2.5 s */
    assert_close(num(j, "run", "cpu_s"), 2.5, 1e-9);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(j, "run"), "scope")->valuestring,
                        "slurm-job");
    /* memory.peak: 3e9 bytes = 3 GB; the mean of memory.current: 2 GB */
    assert_close(num(j, "run", "memory_peak_gb"), 3.0, 1e-12);
    assert_close(num(j, "samples", "ram_mean_gb"), 2.0, 1e-12);
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(cg);
}

static void test_run_user_view_counts_the_users_processes(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "u.csv"), *out = path_in(dir, "u.json");
    const char *args[] = {"run", "--user", "--interval", "0.2", "--log", log, "--output", out,
                          "--cpu-tdp-per-core", "10", "--", burn(), "1", "1", NULL};
    char *env[] = {NO_NVML, NULL};
    test_run r;
    cJSON *j;
    (void)state;
    ecoest(&r, args, env);
    assert_int_equal(r.status, 0);
    j = read_json(out);
    /* the burn's 1 CPU-s at least (the user's other processes add theirs;
       a process seen for less than one step may lose up to that step) */
    assert_true(num(j, "run", "cpu_s") >= 0.75);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(
                            cJSON_GetObjectItemCaseSensitive(j, "run"), "scope")->valuestring,
                        "user");
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
}

/* ---- RAPL --------------------------------------------------------------- */

static void test_run_rapl_wrap_rule(void **state)
{
    (void)state;
    /* no wrap: 300 - 100 */
    assert_close(cli_rapl_delta_uj(100, 300, 1000), 200.0, 0.0);
    /* wrapped at max 1e9 uJ: (1e9 - 999e6) + 1e6 = 2e6 uJ */
    assert_close(cli_rapl_delta_uj(999000000ULL, 1000000ULL, 1000000000ULL), 2000000.0, 0.0);
}

/* A fake powercap tree whose package counter wraps during the run. */
static void test_run_rapl_counter_wrap_in_a_fake_powercap_tree(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "r.csv"), *out = path_in(dir, "r.json"),
         *pc = path_in(dir, "powercap"), cmd[8192], envroot[4200], p[4400], *text;
    const char *args[] = {"run", "--interval", "0.1", "--log", log, "--output", out,
                          "--cpu-tdp-per-core", "10", "--", "sh", "-c", cmd, NULL};
    char *env[] = {NO_NVML, envroot, NULL};
    test_run r;
    cJSON *j;
    (void)state;
    assert_int_equal(mkdir(pc, 0755), 0);
    snprintf(p, sizeof p, "%s/intel-rapl:0", pc);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/intel-rapl:0/energy_uj", pc);
    test_write_file(p, "999000000\n");
    snprintf(p, sizeof p, "%s/intel-rapl:0/max_energy_range_uj", pc);
    test_write_file(p, "1000000000\n");
    /* a sub-domain (core): not counted on top of its package */
    snprintf(p, sizeof p, "%s/intel-rapl:0:0", pc);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/intel-rapl:0:0/energy_uj", pc);
    test_write_file(p, "5\n");
    snprintf(envroot, sizeof envroot, "ECOEST_TEST_POWERCAP_ROOT=%s", pc);
    /* the counter moves from 999000000 past its range to 1000000 (a rename:
       never a half-written file) */
    snprintf(cmd, sizeof cmd, "sleep 0.5; echo 1000000 > %s/t; mv %s/t %s/intel-rapl:0/energy_uj;"
             " sleep 0.5", pc, pc, pc);
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = read_json(out);
    /* (1e9 - 999e6) + 1e6 = 2e6 uJ = 2 J = 2 / 3.6e6 kWh */
    assert_close(num(j, "run", "rapl_energy_kwh"), 2.0 / 3.6e6, 1e-9);
    text = test_read_file(log, NULL);
    assert_non_null(strstr(text, "cpu_package_power_w"));
    free(text);
    assert_non_null(strstr(r.err, "RAPL: "));
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(pc);
}

/* ---- GPUs: a fake NVML, a fake nvidia-smi ------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The largest value of a column of a log, or (above >= 0) the median of
   its values above that. */
static double log_stat(const char *log, const char *column, double above)
{
    char *text = test_read_file(log, NULL), *line, *save = NULL;
    int col = -1, i;
    double best = -1.0, vals[4096];
    size_t nv = 0;
    assert_non_null(text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *p = line;
        if (col < 0) {
            for (i = 0; p; i++, p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
                if (strncmp(p, column, strlen(column)) == 0 && (p[strlen(column)] == ',' ||
                                                              !p[strlen(column)]))
                    col = i;
            assert_true(col >= 0);
            continue;
        }
        for (i = 0; i < col && p; i++)
            p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (p && *p && *p != ',' && strncmp(p, "NA", 2) != 0) {
            if (atof(p) > best)
                best = atof(p);
            if (above >= 0.0 && atof(p) > above && nv < 4096)
                vals[nv++] = atof(p);
        }
    }
    free(text);
    if (above < 0.0)
        return best;
    assert_true(nv > 0);
    qsort(vals, nv, sizeof vals[0], cmp_double);
    return vals[nv / 2];
}

static double log_max(const char *log, const char *column)
{
    return log_stat(log, column, -1.0);
}

typedef struct gpu_case {
    char *dir, *log, *out;
    char env_lib[4200], env_dir[4200];
    cJSON *j;
    test_run r;
} gpu_case;

static void gpu_setup(gpu_case *c, const char *gpus)
{
    char *p;
    memset(c, 0, sizeof *c);
    c->dir = test_mkdtemp();
    c->log = path_in(c->dir, "g.csv");
    c->out = path_in(c->dir, "g.json");
    p = path_in(c->dir, "gpus");
    test_write_file(p, gpus);
    free(p);
    snprintf(c->env_lib, sizeof c->env_lib, "ECOEST_TEST_NVML_LIB=%s",
             getenv("ECOEST_TEST_FAKE_NVML"));
    snprintf(c->env_dir, sizeof c->env_dir, "FAKE_NVML_DIR=%s", c->dir);
}

static void gpu_run(gpu_case *c, const char *extra, const char *cmd)
{
    const char *args[] = {"run", "--interval", "0.1", "--idle-seconds", "0.5", "--log", c->log,
                          "--output", c->out, "--cpu-tdp-per-core", "10", extra, "--", "sh",
                          "-c", cmd, NULL};
    char *env[] = {c->env_lib, c->env_dir, NULL};
    if (!extra) {
        args[11] = "--";
        args[12] = "sh";
        args[13] = "-c";
        args[14] = cmd;
        args[15] = NULL;
    }
    ecoest(&c->r, args, env);
    if (c->r.status != 0)
        fail_msg("exit %d: %s", c->r.status, c->r.err);
    c->j = read_json(c->out);
}

static void gpu_teardown(gpu_case *c)
{
    cJSON_Delete(c->j);
    test_run_free(&c->r);
    test_rmtree(c->dir);
    free(c->dir);
    free(c->log);
    free(c->out);
}

/* With a total-energy counter: the idle (50 W) is measured before the
   launch, the power comes from the counter (250 W busy; the sampled power
   reads 20 % low, 200 W, and is not used). */
static void test_run_fake_nvml_counter_and_idle(void **state)
{
    gpu_case c;
    char cmd[4200];
    (void)state;
    gpu_setup(&c, "1 1\n");
    snprintf(cmd, sizeof cmd, "touch %s/busy; sleep 1.5; rm %s/busy", c.dir, c.dir);
    gpu_run(&c, NULL, cmd);
    assert_true(num(c.j, "run", "idle_rows") >= 2.0);
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(c.j, "run"),
                               "gpu_source")->valuestring, "NVML"));
    /* idle: 50 W from the counter's rate before the launch */
    assert_close(gpu_num(c.j, 0, "idle_w"), 50.0, 0.03);
    /* the GPU as run saw it: its counter used, 1e9 bytes used = 1 GB */
    {
        const cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(c.j, "run"), "gpus"), 0);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "energy_counter")));
        assert_close(num(g, "memory_peak_gb", NULL), 1.0, 1e-12);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(g, "name")->valuestring,
                            "NVIDIA A100-SXM4-40GB");
    }
    /* busy: the counter's 250 W in the log's rows (the sampled power would
       give 200 W): the median of the busy rows (a step's rate is off by
       any preemption between the fake's clock and ours: the median is not) */
    assert_close(log_stat(c.log, "gpu0_power_w", 100.0), 250.0, 0.04);
    /* the mean lies between idle and busy, and the process scope counts the
       GPU above its idle: mean - idle > 0 */
    assert_true(gpu_num(c.j, 0, "mean_power_w") > 150.0);
    assert_true(gpu_num(c.j, 0, "mean_power_w") < 252.0);
    assert_true(gpu_num(c.j, 0, "energy_above_idle_kwh") > 0.0);
    /* the replay printed (with --idle-until) gives the same estimate */
    {
        const char *line = strstr(c.r.err, "Same estimate again: ecoest ");
        char buf[4096], *a[32], *save = NULL, *w;
        int n = 0;
        test_run rp;
        cJSON *j2;
        assert_non_null(line);
        snprintf(buf, sizeof buf, "%.*s", (int)strcspn(line + 28, "\n"), line + 28);
        for (w = strtok_r(buf, " ", &save); w && n < 28; w = strtok_r(NULL, " ", &save))
            a[n++] = w;
        assert_non_null(strstr(line, "--idle-until "));
        a[n++] = "--format";
        a[n++] = "json";
        a[n] = NULL;
        ecoest(&rp, (const char *const *)a, NULL);
        assert_int_equal(rp.status, 0);
        j2 = cJSON_Parse(rp.out);
        assert_non_null(j2);
        assert_close(num(j2, "energy_kwh", NULL), num(c.j, "energy_kwh", NULL), 1e-12);
        assert_close(gpu_num(j2, 0, "idle_w"), gpu_num(c.j, 0, "idle_w"), 1e-12);
        cJSON_Delete(j2);
        test_run_free(&rp);
    }
    gpu_teardown(&c);
}

/* Without a counter: the sampled power, the true one here (50 W idle,
   250 W busy). */
static void test_run_fake_nvml_sampled_power_without_counter(void **state)
{
    gpu_case c;
    char cmd[4200];
    (void)state;
    gpu_setup(&c, "1 0\n");
    snprintf(cmd, sizeof cmd, "touch %s/busy; sleep 1; rm %s/busy", c.dir, c.dir);
    gpu_run(&c, NULL, cmd);
    assert_close(gpu_num(c.j, 0, "idle_w"), 50.0, 1e-6);
    assert_close(log_max(c.log, "gpu0_power_w"), 250.0, 1e-9);
    gpu_teardown(&c);
}

/* --gpus-of-tree: GPU 0 runs the command's shell, GPU 1 runs pid 1. */
static void test_run_fake_nvml_per_process_attribution(void **state)
{
    gpu_case c;
    char cmd[4200], *text;
    const cJSON *t;
    (void)state;
    gpu_setup(&c, "2 0\n");
    snprintf(cmd, sizeof cmd, "echo $$ > %s/pid0; sleep 0.8", c.dir);
    gpu_run(&c, "--gpus-of-tree", cmd);
    t = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c.j, "run"),
                                         "gpus_of_tree");
    assert_int_equal(cJSON_GetArraySize(t), 1);
    assert_close(cJSON_GetArrayItem(t, 0)->valuedouble, 0.0, 0.0);
    assert_close(num(cJSON_GetObjectItemCaseSensitive(c.j, "run"), "values_to_paste", "gpus"),
                 1.0, 0.0);
    /* the log and the estimate keep GPU 0 only */
    text = test_read_file(c.log, NULL);
    assert_non_null(strstr(text, "gpu0_power_w"));
    assert_null(strstr(text, "gpu1_"));
    free(text);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(c.j, "samples"), "gpus")), 1);
    /* no GPU shows the tree (as NVML in a container listing host pids):
       every GPU is kept, with a warning, rather than none counted */
    gpu_teardown(&c);
    gpu_setup(&c, "2 0\n");
    gpu_run(&c, "--gpus-of-tree", "sleep 0.5");
    text = test_read_file(c.log, NULL);
    assert_non_null(strstr(text, "gpu0_power_w"));
    assert_non_null(strstr(text, "gpu1_power_w"));
    free(text);
    assert_non_null(strstr(c.r.err, "no GPU showed a process of CMD's tree"));
    gpu_teardown(&c);
}

/* GPU 1 is lost mid-run: its readings become missing values (gaps), the
   run goes on and the log is still read. */
static void test_run_fake_nvml_gpu_lost_mid_run(void **state)
{
    gpu_case c;
    char cmd[4200], *text;
    (void)state;
    gpu_setup(&c, "2 1\n");
    snprintf(cmd, sizeof cmd, "sleep 0.6; touch %s/lost1; sleep 0.6", c.dir);
    gpu_run(&c, NULL, cmd);
    text = test_read_file(c.log, NULL);
    assert_non_null(strstr(text, ",NA"));
    free(text);
    assert_non_null(strstr(c.r.err, "GPU 1: "));
    assert_true(num(c.j, "samples", "missing_values") >= 1.0);
    /* GPU 0 is still measured: 50 W idle all along (no busy file) */
    assert_close(gpu_num(c.j, 0, "mean_power_w"), 50.0, 0.05);
    gpu_teardown(&c);
}

/* SIGINT while the GPUs' idle is measured: CMD is never started, the log
   (idle rows only) is removed, the status is 128 + SIGINT. */
static void test_run_signal_during_idle_does_not_start_the_command(void **state)
{
    gpu_case c;
    char cmd[4200], *mark, env_lib[4200], env_dir[4200];
    const char *args[] = {"run", "--interval", "0.1", "--idle-seconds", "20", "--log", NULL,
                          "--", "sh", "-c", cmd, NULL};
    char *env[3];
    int status;
    pid_t pid;
    (void)state;
    gpu_setup(&c, "1 1\n");
    mark = path_in(c.dir, "ran");
    snprintf(cmd, sizeof cmd, "touch %s", mark);
    args[6] = c.log;
    snprintf(env_lib, sizeof env_lib, "%s", c.env_lib);
    snprintf(env_dir, sizeof env_dir, "%s", c.env_dir);
    env[0] = env_lib;
    env[1] = env_dir;
    env[2] = NULL;
    pid = spawn(c.dir, args, env);
    wait_for(c.log, 3); /* the header and two idle rows */
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGINT);
    assert_false(exists(mark));
    assert_false(exists(c.log));
    free(mark);
    c.j = NULL;
    memset(&c.r, 0, sizeof c.r);
    gpu_teardown(&c);
}

/* NVML absent: nvidia-smi polled (a fake one on PATH). */
static void test_run_nvidia_smi_fallback(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "n.csv"), *out = path_in(dir, "n.json"),
         *bindir = path_in(dir, "bin"), *smi, path[8192];
    const char *args[] = {"run", "--interval", "0.2", "--idle-seconds", "0", "--log", log,
                          "--output", out, "--cpu-tdp-per-core", "10", "--", "sleep", "1",
                          NULL};
    char *env[] = {NO_NVML, path, NULL};
    test_run r;
    cJSON *j;
    (void)state;
    assert_int_equal(mkdir(bindir, 0755), 0);
    smi = path_in(bindir, "nvidia-smi");
    test_write_file(smi, "#!/bin/sh\n"
                         "while :; do echo '0, NVIDIA A100-SXM4-40GB, 61.50, 42, 1024';"
                         " sleep 0.1; done\n");
    assert_int_equal(chmod(smi, 0755), 0);
    snprintf(path, sizeof path, "PATH=%s:/usr/bin:/bin", bindir);
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = read_json(out);
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(j, "run"),
                               "gpu_source")->valuestring, "nvidia-smi"));
    assert_close(gpu_num(j, 0, "mean_power_w"), 61.5, 1e-9);
    assert_close(gpu_num(j, 0, "usage_mean_frac"), 0.42, 1e-9);
    /* the poller is the monitor's, not the command's: sleep uses ~0 CPU */
    assert_true(num(j, "run", "cpu_s") < 0.3);
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(bindir);
    free(smi);
}

/* NVML absent, nvidia-smi failing (no NVIDIA GPU): amd-smi monitor polled
   (a fake one: CRLF, the header repeated each tick, units in the values). */
static void test_run_amd_smi_fallback(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "a.csv"), *out = path_in(dir, "a.json"),
         *bindir = path_in(dir, "bin"), *amd, *nv, path[8192];
    const char *args[] = {"run", "--interval", "0.2", "--idle-seconds", "0", "--log", log,
                          "--output", out, "--cpu-tdp-per-core", "10", "--", "sleep", "1",
                          NULL};
    char *env[] = {NO_NVML, path, NULL};
    test_run r;
    cJSON *j;
    (void)state;
    assert_int_equal(mkdir(bindir, 0755), 0);
    nv = path_in(bindir, "nvidia-smi");
    test_write_file(nv, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
    assert_int_equal(chmod(nv, 0755), 0);
    amd = path_in(bindir, "amd-smi");
    test_write_file(amd, "#!/bin/sh\n"
                         "while :; do printf 'timestamp,gpu,socket_power,gfx_util,vram_used\\r\\n';"
                         " printf '1717406142,0,150 W,37 %%,2000 MB\\r\\n';"
                         " printf '1717406142,1,N/A,N/A,N/A\\r\\n\\r\\n'; sleep 0.1; done\n");
    assert_int_equal(chmod(amd, 0755), 0);
    snprintf(path, sizeof path, "PATH=%s:/usr/bin:/bin", bindir);
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = read_json(out);
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(j, "run"),
                               "gpu_source")->valuestring, "amd-smi"));
    assert_close(gpu_num(j, 0, "mean_power_w"), 150.0, 1e-9);
    assert_close(gpu_num(j, 0, "usage_mean_frac"), 0.37, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(bindir);
    free(amd);
    free(nv);
}

/* NVML absent, no nvidia-smi or amd-smi that works: rocm-smi polled (a
   fake one printing its CSV once per call, as rocm-smi does). */
static void test_run_rocm_smi_fallback(void **state)
{
    char *dir = test_mkdtemp(), *log = path_in(dir, "a.csv"), *out = path_in(dir, "a.json"),
         *bindir = path_in(dir, "bin"), *rocm, *nv, *amd, path[8192];
    const char *args[] = {"run", "--interval", "0.2", "--idle-seconds", "0", "--log", log,
                          "--output", out, "--cpu-tdp-per-core", "10", "--", "sleep", "1",
                          NULL};
    char *env[] = {NO_NVML, path, NULL};
    test_run r;
    cJSON *j;
    (void)state;
    assert_int_equal(mkdir(bindir, 0755), 0);
    nv = path_in(bindir, "nvidia-smi");
    test_write_file(nv, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
    assert_int_equal(chmod(nv, 0755), 0);
    amd = path_in(bindir, "amd-smi");
    test_write_file(amd, "#!/bin/sh\nexit 2\n");
    assert_int_equal(chmod(amd, 0755), 0);
    rocm = path_in(bindir, "rocm-smi");
    test_write_file(rocm, "#!/bin/sh\n"
                          "printf 'device,Average Graphics Package Power (W),GPU use (%%)\\n'\n"
                          "printf 'card0,120.0,50\\n'\n");
    assert_int_equal(chmod(rocm, 0755), 0);
    snprintf(path, sizeof path, "PATH=%s:/usr/bin:/bin", bindir);
    ecoest(&r, args, env);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = read_json(out);
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(j, "run"),
                               "gpu_source")->valuestring, "rocm-smi"));
    /* a constant 120 W at 50 % */
    assert_close(gpu_num(j, 0, "mean_power_w"), 120.0, 1e-9);
    assert_close(gpu_num(j, 0, "usage_mean_frac"), 0.5, 1e-9);
    cJSON_Delete(j);
    test_run_free(&r);
    test_rmtree(dir);
    free(dir);
    free(log);
    free(out);
    free(bindir);
    free(rocm);
    free(amd);
    free(nv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_rapl_wrap_rule),
        cmocka_unit_test(test_run_usage_errors),
        cmocka_unit_test(test_run_two_thread_burn_measures_six_cpu_seconds),
        cmocka_unit_test(test_run_daemonized_grandchild_counted_subreaper),
        cmocka_unit_test(test_run_daemonized_grandchild_counted_default),
        cmocka_unit_test(test_run_exit_status_is_the_commands),
        cmocka_unit_test(test_run_missing_command_is_127),
        cmocka_unit_test(test_run_sigterm_reaches_the_command),
        cmocka_unit_test(test_run_killed_monitor_leaves_a_valid_log),
        cmocka_unit_test(test_run_log_is_never_overwritten),
        cmocka_unit_test(test_run_csv_output_has_the_run_columns),
        cmocka_unit_test(test_run_passes_cloud_wue_and_embodied),
        cmocka_unit_test(test_run_passes_the_node_curve_and_compare_options),
        cmocka_unit_test(test_run_passes_an_estimate_option_it_never_listed),
        cmocka_unit_test(test_run_unresolved_cpu_auto_still_estimates),
        cmocka_unit_test(test_run_slurm_job_outside_slurm_falls_back),
        cmocka_unit_test(test_run_user_view_counts_the_users_processes),
        cmocka_unit_test(test_run_slurm_job_reads_the_jobs_cgroup),
        cmocka_unit_test(test_run_rapl_counter_wrap_in_a_fake_powercap_tree),
        cmocka_unit_test(test_run_fake_nvml_counter_and_idle),
        cmocka_unit_test(test_run_fake_nvml_sampled_power_without_counter),
        cmocka_unit_test(test_run_fake_nvml_per_process_attribution),
        cmocka_unit_test(test_run_fake_nvml_gpu_lost_mid_run),
        cmocka_unit_test(test_run_signal_during_idle_does_not_start_the_command),
        cmocka_unit_test(test_run_nvidia_smi_fallback),
        cmocka_unit_test(test_run_amd_smi_fallback),
        cmocka_unit_test(test_run_rocm_smi_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
