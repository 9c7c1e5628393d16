/* ecoest/fs.h: atomic writes that never replace a device node, a FIFO or a
 * folder; mkdir -p; one XDG rule for config, cache and data. And the CLI
 * writers that use it (--write-samples, hwdb add). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ecoest/fs.h"
#include "test_util.h"

static char *dir;

static int before(void **state)
{
    (void)state;
    dir = test_mkdtemp();
    return 0;
}

static int after(void **state)
{
    (void)state;
    test_rmtree(dir);
    free(dir);
    return 0;
}

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* Only the entry itself and nothing else (no temporary file left beside). */
static size_t entries_in_dir(void)
{
    char cmd[4200];
    FILE *p;
    size_t n = 0;
    int c;
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    p = popen(cmd, "r");
    assert_non_null(p);
    while ((c = fgetc(p)) != EOF)
        n += c == '\n';
    pclose(p);
    return n;
}

static void test_fs_write_atomic_creates_and_replaces_regular_files(void **state)
{
    char p[4200], *got;
    struct stat st;
    mode_t um = umask(022);
    est_error e;
    (void)state;
    path_in(p, sizeof p, "a.txt");
    assert_int_equal(est_fs_write_atomic(p, "one\n", 4, 0, &e), EST_OK);
    got = test_read_file(p, NULL);
    assert_string_equal(got, "one\n");
    free(got);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644); /* 0666 & ~022 */
    /* an existing file keeps its own mode */
    assert_int_equal(chmod(p, 0600), 0);
    assert_int_equal(est_fs_write_atomic(p, "two\n", 4, 0, &e), EST_OK);
    got = test_read_file(p, NULL);
    assert_string_equal(got, "two\n");
    free(got);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    /* nothing left beside it */
    assert_int_equal(entries_in_dir(), 1);
    umask(um);
}

/* The data-loss bug: renaming over a device node replaced it with a file. */
static void test_fs_write_atomic_refuses_device_node(void **state)
{
    char p[4200];
    struct stat st;
    est_error e;
    (void)state;
    path_in(p, sizeof p, "full");
    if (mknod(p, S_IFCHR | 0666, makedev(1, 7)) != 0) { /* /dev/full's numbers */
        print_message("skipped: mknod needs root (%s)\n", strerror(errno));
        skip();
    }
    assert_int_equal(est_fs_write_atomic(p, "x", 1, 0, &e), EST_EIO);
    assert_non_null(strstr(e.message, "character device"));
    assert_non_null(strstr(e.message, p));
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISCHR(st.st_mode)); /* still the device */
    assert_int_equal(entries_in_dir(), 1);
}

static void test_fs_write_atomic_refuses_fifo_and_folder(void **state)
{
    char p[4200], q[4200];
    struct stat st;
    est_error e;
    (void)state;
    path_in(p, sizeof p, "fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    /* refused at once: nothing opens the FIFO, so nothing blocks */
    assert_int_equal(est_fs_write_atomic(p, "x", 1, 0, &e), EST_EIO);
    assert_non_null(strstr(e.message, "a FIFO"));
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    path_in(q, sizeof q, "sub");
    assert_int_equal(mkdir(q, 0755), 0);
    assert_int_equal(est_fs_write_atomic(q, "x", 1, 0, &e), EST_EIO);
    assert_non_null(strstr(e.message, "a folder"));
    assert_int_equal(entries_in_dir(), 2);
}

/* A link to a regular file: the file is replaced, the link kept. A link to
   a device or to nothing: refused, the link and its target untouched. */
static void test_fs_write_atomic_follows_links_to_regular_files_only(void **state)
{
    char real[4200], link_[4200], devlink[4200], dangling[4200], *got;
    struct stat st;
    est_error e;
    (void)state;
    path_in(real, sizeof real, "real.csv");
    path_in(link_, sizeof link_, "link.csv");
    path_in(devlink, sizeof devlink, "null.csv");
    path_in(dangling, sizeof dangling, "dangling.csv");
    test_write_file(real, "old\n");
    assert_int_equal(symlink("real.csv", link_), 0);
    assert_int_equal(est_fs_write_atomic(link_, "new\n", 4, 0, &e), EST_OK);
    assert_int_equal(lstat(link_, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    got = test_read_file(real, NULL);
    assert_string_equal(got, "new\n");
    free(got);

    assert_int_equal(symlink("/dev/null", devlink), 0);
    assert_int_equal(est_fs_write_atomic(devlink, "x", 1, 0, &e), EST_EIO);
    assert_non_null(strstr(e.message, "character device"));
    assert_int_equal(lstat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));

    assert_int_equal(symlink("nowhere.csv", dangling), 0);
    assert_int_equal(est_fs_write_atomic(dangling, "x", 1, 0, &e), EST_EIO);
    assert_non_null(strstr(e.message, "symbolic link to nothing"));
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(entries_in_dir(), 4);
}

/* A target replaced by a FIFO between open and commit is not renamed over,
   and the temporary file goes. */
static void test_fs_atomic_commit_checks_target_again(void **state)
{
    char p[4200];
    est_fs_atomic *af;
    struct stat st;
    est_error e;
    (void)state;
    path_in(p, sizeof p, "late.csv");
    assert_int_equal(est_fs_atomic_open(&af, p, 0, &e), EST_OK);
    assert_int_equal(fputs("data\n", est_fs_atomic_stream(af)) >= 0, 1);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(est_fs_atomic_commit(af, &e), EST_EIO);
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(entries_in_dir(), 1);
    /* abort leaves the target as it was; NULL is accepted */
    assert_int_equal(unlink(p), 0);
    assert_int_equal(est_fs_atomic_open(&af, p, 0, &e), EST_OK);
    est_fs_atomic_abort(af);
    est_fs_atomic_abort(NULL);
    assert_int_equal(entries_in_dir(), 0);
    assert_int_equal(est_fs_atomic_commit(NULL, &e), EST_EINVAL);
}

static void test_fs_read_file_refuses_what_is_not_a_regular_file(void **state)
{
    char p[4200], *data = NULL;
    size_t len = 0;
    est_error e;
    (void)state;
    path_in(p, sizeof p, "fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(est_fs_read_file(&data, &len, p, 1024, &e), EST_EIO); /* no block */
    assert_null(data);
    assert_int_equal(est_fs_read_file(&data, &len, "/dev/zero", 1024, &e), EST_EIO);
    path_in(p, sizeof p, "small");
    test_write_file(p, "12345");
    assert_int_equal(est_fs_read_file(&data, &len, p, 4, &e), EST_ERANGE);
    assert_int_equal(est_fs_read_file(&data, &len, p, 5, &e), EST_OK);
    assert_int_equal(len, 5);
    assert_string_equal(data, "12345");
    free(data);
}

static void test_fs_mkdir_p(void **state)
{
    char p[4200], f[4200];
    struct stat st;
    est_error e;
    (void)state;
    path_in(p, sizeof p, "a/b//c/");
    assert_int_equal(est_fs_mkdir_p(p, 0755, &e), EST_OK);
    assert_int_equal(est_fs_mkdir_p(p, 0755, &e), EST_OK); /* exists: fine */
    path_in(p, sizeof p, "a/b/c");
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    path_in(f, sizeof f, "a/file");
    test_write_file(f, "");
    path_in(p, sizeof p, "a/file/d");
    assert_int_equal(est_fs_mkdir_p(p, 0755, &e), EST_EIO);
    assert_non_null(strstr(e.message, "a/file"));
    assert_int_equal(est_fs_mkdir_p("", 0755, &e), EST_EINVAL);
}

/* One rule for the three kinds: an absolute variable wins; a relative one
   is ignored (and said so); the default is under an absolute $HOME. */
static void test_fs_xdg_one_rule_for_config_cache_and_data(void **state)
{
    char b[256];
    unsigned notes;
    est_error e;
    (void)state;
    assert_int_equal(est_fs_xdg_dir(b, sizeof b, EST_FS_XDG_CONFIG, "/x", "/h", "hwdb",
                                    &notes, &e), EST_OK);
    assert_string_equal(b, "/x/ecoest/hwdb");
    assert_int_equal(notes, 0);
    assert_int_equal(est_fs_xdg_dir(b, sizeof b, EST_FS_XDG_CONFIG, "rel", "/h", "hwdb",
                                    &notes, &e), EST_OK);
    assert_string_equal(b, "/h/.config/ecoest/hwdb");
    assert_int_equal(notes, EST_FS_XDG_RELATIVE_IGNORED);
    assert_int_equal(est_fs_xdg_dir(b, sizeof b, EST_FS_XDG_CACHE, "rel", "/h", NULL,
                                    &notes, &e), EST_OK);
    assert_string_equal(b, "/h/.cache/ecoest");
    assert_int_equal(notes, EST_FS_XDG_RELATIVE_IGNORED);
    assert_int_equal(est_fs_xdg_dir(b, sizeof b, EST_FS_XDG_DATA, "", "/h", NULL, &notes, &e),
                     EST_OK);
    assert_string_equal(b, "/h/.local/share/ecoest");
    assert_int_equal(est_fs_xdg_dir(b, sizeof b, EST_FS_XDG_CACHE, NULL, "relhome", NULL,
                                    &notes, &e), EST_ENOENT);
    assert_int_equal(est_fs_xdg_dir(b, 8, EST_FS_XDG_CACHE, "/long/enough", NULL, NULL,
                                    &notes, &e), EST_ERANGE);
}

/* ---------------------------------------------------------- the CLI */

static char *bin(void)
{
    static char b[4096];
    const char *e = getenv("ECOEST_BIN");
    snprintf(b, sizeof b, "%s", e ? e : "ecoest");
    return b;
}

/* --write-samples over a device node made with mknod, a FIFO and a link to
   /dev/null: exit 74, nothing replaced, nothing on stdout. */
static void test_fs_cli_write_samples_never_replaces_a_device(void **state)
{
    char in[4200], dev[4200], fifo[4200], lnk[4200];
    char *targets[] = {dev, fifo, lnk};
    size_t i;
    struct stat st;
    (void)state;
    path_in(in, sizeof in, "in.csv");
    test_write_file(in, "time_unix_s,cpu_package_power_w\n0,10\n10,10\n");
    path_in(dev, sizeof dev, "full");
    path_in(fifo, sizeof fifo, "fifo");
    path_in(lnk, sizeof lnk, "null-link");
    if (mknod(dev, S_IFCHR | 0666, makedev(1, 7)) != 0)
        snprintf(dev, sizeof dev, "/dev/full"); /* not root: the real one, still refused */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(symlink("/dev/null", lnk), 0);
    for (i = 0; i < 3; i++) {
        char *argv[] = {bin(), "--samples", in, "--write-samples", targets[i], NULL};
        test_run r;
        test_run_argv(&r, argv, NULL, NULL);
        assert_int_equal(r.status, 74);
        assert_int_equal(r.out_len, 0);
        assert_non_null(strstr(r.err, "not a regular file"));
        test_run_free(&r);
    }
    assert_int_equal(lstat(dev, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(lstat(lnk, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
}

/* hwdb add with an overlay that is a link to /dev/zero or a FIFO: 74 at
   once, no lock file beside the device, the FIFO not opened. */
static void test_fs_cli_hwdb_add_refuses_non_regular_overlay(void **state)
{
    char hw[4200], ov[4200], xdg[4300], lockdev[64];
    char *argv[] = {bin(), "hwdb", "add", "--cpu", "Probe Part 1", "--tdp", "10",
                    "--cores", "2", NULL};
    char *env[] = {xdg, NULL};
    struct stat st;
    test_run r;
    (void)state;
    path_in(hw, sizeof hw, "ecoest/hwdb");
    assert_int_equal(system(NULL) != 0, 1);
    snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", dir);
    {
        est_error e;
        assert_int_equal(est_fs_mkdir_p(hw, 0755, &e), EST_OK);
    }
    snprintf(ov, sizeof ov, "%s/cpu.csv", hw);
    assert_int_equal(symlink("/dev/zero", ov), 0);
    test_run_argv(&r, argv, NULL, env);
    assert_int_equal(r.status, 74);
    assert_non_null(strstr(r.err, "not a regular file"));
    test_run_free(&r);
    snprintf(lockdev, sizeof lockdev, "/dev/.zero.lock");
    assert_int_not_equal(lstat(lockdev, &st), 0);

    assert_int_equal(unlink(ov), 0);
    assert_int_equal(mkfifo(ov, 0600), 0);
    test_run_argv(&r, argv, NULL, env); /* would block forever on open() */
    assert_int_equal(r.status, 74);
    assert_non_null(strstr(r.err, "a FIFO"));
    test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fs_write_atomic_creates_and_replaces_regular_files,
                                        before, after),
        cmocka_unit_test_setup_teardown(test_fs_write_atomic_refuses_device_node, before, after),
        cmocka_unit_test_setup_teardown(test_fs_write_atomic_refuses_fifo_and_folder, before,
                                        after),
        cmocka_unit_test_setup_teardown(test_fs_write_atomic_follows_links_to_regular_files_only,
                                        before, after),
        cmocka_unit_test_setup_teardown(test_fs_atomic_commit_checks_target_again, before, after),
        cmocka_unit_test_setup_teardown(test_fs_read_file_refuses_what_is_not_a_regular_file,
                                        before, after),
        cmocka_unit_test_setup_teardown(test_fs_mkdir_p, before, after),
        cmocka_unit_test(test_fs_xdg_one_rule_for_config_cache_and_data),
        cmocka_unit_test_setup_teardown(test_fs_cli_write_samples_never_replaces_a_device,
                                        before, after),
        cmocka_unit_test_setup_teardown(test_fs_cli_hwdb_add_refuses_non_regular_overlay, before,
                                        after),
    };
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
