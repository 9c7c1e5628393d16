#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <ftw.h>

#include "test_util.h"

extern char **environ;

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 4096;
        while (nc < *len + n + 1)
            nc *= 2;
        *buf = realloc(*buf, nc);
        assert_non_null(*buf);
        *cap = nc;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
}

void test_run_argv(test_run *r, char *const argv[], const char *stdin_data,
                   char *const env[])
{
    int out_pipe[2], err_pipe[2], in_pipe[2];
    pid_t pid;
    size_t out_cap = 0, err_cap = 0, in_off = 0, in_len = stdin_data ? strlen(stdin_data) : 0;
    int status, open_fds = 2;
    time_t start = time(NULL);

    memset(r, 0, sizeof *r);
    assert_int_equal(pipe(out_pipe), 0);
    assert_int_equal(pipe(err_pipe), 0);
    assert_int_equal(pipe(in_pipe), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        size_t i;
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(in_pipe[0]); close(in_pipe[1]);
        close(out_pipe[0]); close(out_pipe[1]);
        close(err_pipe[0]); close(err_pipe[1]);
        {
            /* a clean environment: the user's overlays, data folder, cache,
               tokens and hardware hooks never leak into a test (a test that
               wants one passes it in env, applied below; CUDA_* are left to
               the --gpu auto tests, which set or unset them themselves) */
            static const char *const scrub[] = {
                "ECOEST_HWDB_PATH", "ECOEST_ZONES_PATH", "ECOEST_DATA_DIR", "ECOEST_CPUINFO",
                "ECOEST_SYSFS_CPU", "ECOEST_NVIDIA_SMI", "ECOEST_CARBON_MODULE",
                "ECOEST_ODRE_URL", "ECOEST_ELECTRICITYMAPS_URL", "RESEAUX_ENERGIES_TOKEN",
                "ELECTRICITYMAPS_TOKEN", NULL};
            for (i = 0; scrub[i]; i++)
                unsetenv(scrub[i]);
            setenv("XDG_CONFIG_HOME", "/nonexistent-ecoest-test-config", 1);
            setenv("XDG_CACHE_HOME", "/nonexistent-ecoest-test-cache", 1);
            setenv("HOME", "/nonexistent-ecoest-test-home", 1);
        }
        for (i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (eq && eq[1] == '\0') {
                char name[256];
                size_t n = (size_t)(eq - env[i]);
                if (n >= sizeof name) n = sizeof name - 1;
                memcpy(name, env[i], n);
                name[n] = '\0';
                unsetenv(name);
            } else {
                putenv(env[i]);
            }
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (!stdin_data) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
    }
    signal(SIGPIPE, SIG_IGN);
    append(&r->out, &r->out_len, &out_cap, "", 0);
    append(&r->err, &r->err_len, &err_cap, "", 0);
    while (open_fds > 0) {
        struct pollfd fds[3];
        int nfds = 0, i;
        char buf[8192];
        fds[nfds].fd = out_pipe[0]; fds[nfds++].events = POLLIN;
        fds[nfds].fd = err_pipe[0]; fds[nfds++].events = POLLIN;
        if (in_pipe[1] >= 0) { fds[nfds].fd = in_pipe[1]; fds[nfds++].events = POLLOUT; }
        if (poll(fds, (nfds_t)nfds, 1000) < 0 && errno != EINTR)
            break;
        if (time(NULL) - start > 60) {
            kill(pid, SIGKILL);
            fail_msg("%s ran for more than 60 s", argv[0]);
        }
        for (i = 0; i < nfds; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            if (fds[i].fd == in_pipe[1]) {
                ssize_t w = write(in_pipe[1], stdin_data + in_off, in_len - in_off);
                if (w > 0) in_off += (size_t)w;
                if (w < 0 || in_off >= in_len) { close(in_pipe[1]); in_pipe[1] = -1; }
                continue;
            }
            {
                ssize_t n = read(fds[i].fd, buf, sizeof buf);
                if (n <= 0) {
                    if (fds[i].fd == out_pipe[0]) out_pipe[0] = -1;
                    else err_pipe[0] = -1;
                    close(fds[i].fd);
                    open_fds--;
                } else if (fds[i].fd == out_pipe[0]) {
                    append(&r->out, &r->out_len, &out_cap, buf, (size_t)n);
                } else {
                    append(&r->err, &r->err_len, &err_cap, buf, (size_t)n);
                }
            }
        }
        if (out_pipe[0] < 0 && err_pipe[0] < 0)
            break;
    }
    if (in_pipe[1] >= 0)
        close(in_pipe[1]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void test_run_free(test_run *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

char *test_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *p = malloc(4096);
    assert_non_null(p);
    snprintf(p, 4096, "%s/ecoest-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(p));
    return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

void test_rmtree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void test_write_file(const char *path, const char *content)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    char chunk[8192];
    size_t k;
    if (!f)
        return NULL;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        append(&buf, &n, &cap, chunk, k);
    fclose(f);
    if (!buf)
        append(&buf, &n, &cap, "", 0);
    if (len)
        *len = n;
    return buf;
}

/* Field `name` of a two-line CSV report (RFC 4180: quoted fields may hold
   commas and doubled quotes) into buf; -1 when the header lacks it. */
int test_csv_field(const char *csv, const char *name, char *buf, size_t n)
{
    const char *row = strchr(csv, '\n'), *h = csv;
    int col = 0, want = -1;
    size_t k = strlen(name), o = 0;
    if (!row)
        return -1;
    row++;
    while (h < row - 1) { /* the header has no quotes */
        size_t len = strcspn(h, ",\n");
        if (len == k && strncmp(h, name, k) == 0)
            want = col;
        h += len + (h[len] == ',');
        col++;
        if (h[-1] != ',')
            break;
    }
    if (want < 0)
        return -1;
    for (col = 0; col < want; col++) { /* skip fields */
        if (*row == '"') {
            for (row++; *row && !(row[0] == '"' && row[1] != '"'); row += row[0] == '"' ? 2 : 1)
                ;
            row++;
        } else
            row += strcspn(row, ",\n");
        if (*row != ',')
            return -1;
        row++;
    }
    if (*row == '"') {
        for (row++; *row && !(row[0] == '"' && row[1] != '"'); row += row[0] == '"' ? 2 : 1)
            if (o + 1 < n)
                buf[o++] = *row;
    } else
        while (*row && *row != ',' && *row != '\n' && o + 1 < n)
            buf[o++] = *row++;
    buf[o] = '\0';
    return 0;
}
