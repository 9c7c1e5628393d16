/* est_carbon_fetch called directly (no CLI) against the loopback server, and
 * the example examples/live_intensity.c run against it.
 *
 * The RTE mix served (MW), with the ipcc2014 factors (nuclear 12, wind 11,
 * gas 490):
 *   nucleaire 40000, eolien 5000, gaz 5000:
 *   (40000 x 12 + 5000 x 11 + 5000 x 490) / 50000 = 2985000 / 50000 = 59.7
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carbon_fixture.h"
#include "http_server.h"

#include "ecoest/carbon.h"

#define MIX_A 59.7
#define DAY 86400.0
#define D0115 1736899200.0 /* 2025-01-15T00:00:00Z */

typedef enum mode {
    M_OK,        /* rows rows of mix A from 00:00, every 15 minutes */
    M_EMPTY,     /* 200 with no rows */
    M_OTHER_DAY, /* 200 with the rows of the day before */
    M_HOSTILE,   /* total_count 1e9, every page pad_rows rows of {} */
    M_BAD_UTF8,  /* a date_heure holding invalid UTF-8 */
    M_ECHO_FIELD /* nucleaire: pad 'x' bytes then the token sent */
} mode;

typedef struct srv_state {
    mode mode;
    int rows;            /* 0: 96 */
    int total;           /* total_count announced; 0: rows */
    int pad_rows;        /* M_HOSTILE: {} rows per page; M_ECHO_FIELD: 'x's */
    unsigned requests;
} srv_state;

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 4096;
        while (nc < *len + n + 1)
            nc *= 2;
        *buf = realloc(*buf, nc);
        assert_non_null(*buf);
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

static void record_a(char **buf, size_t *len, size_t *cap, double t, int first)
{
    char rec[512], dh[32];
    assert_int_equal(est_format_time(dh, sizeof dh, t), EST_OK);
    snprintf(rec, sizeof rec,
             "%s{\"date_heure\":\"%.19s+00:00\",\"fioul\":0,\"charbon\":0,\"gaz\":5000,"
             "\"nucleaire\":40000,\"eolien\":5000,\"solaire\":0,\"hydraulique\":0,"
             "\"bioenergies\":0,\"taux_co2\":20}",
             first ? "" : ",", dh);
    append(buf, len, cap, rec, strlen(rec));
}

static void handler(const ths_request *req, ths_response *resp, void *ud)
{
    srv_state *st = ud;
    const char *w = strstr(req->query, "date_heure >= date'");
    char day[32], head[128];
    double d0;
    char *body = NULL;
    size_t len = 0, cap = 0;
    int k, n;
    st->requests++;
    if (!w || strlen(w) < 39) {
        resp->status = 404;
        resp->body = ths_strdup_printf("{\"error\":\"unexpected request\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    snprintf(day, sizeof day, "%.20s", w + 19);
    assert_int_equal(est_parse_time(&d0, day, NULL), EST_OK);
    switch (st->mode) {
    case M_EMPTY:
        resp->body = ths_strdup_printf("{\"total_count\":0,\"results\":[]}");
        resp->body_len = strlen(resp->body);
        return;
    case M_HOSTILE:
        append(&body, &len, &cap, "{\"total_count\":1e9,\"results\":[{}", 32);
        for (k = 1; k < st->pad_rows; k++)
            append(&body, &len, &cap, ",{}", 3);
        append(&body, &len, &cap, "]}", 2);
        resp->body = body;
        resp->body_len = len;
        return;
    case M_BAD_UTF8:
        resp->body = ths_strdup_printf(
            "{\"total_count\":1,\"results\":[{\"date_heure\":\"2025-01-15T00:00:00+00:00\xff\xfe\","
            "\"gaz\":5000,\"nucleaire\":40000,\"eolien\":5000}]}");
        resp->body_len = strlen(resp->body);
        return;
    case M_ECHO_FIELD: {
        const char *h = strstr(req->headers, "Apikey ");
        char tok[128] = "", pad[256];
        if (h)
            sscanf(h + 7, "%127[^\r\n]", tok);
        memset(pad, 'x', (size_t)st->pad_rows);
        pad[st->pad_rows] = '\0';
        resp->body = ths_strdup_printf(
            "{\"total_count\":1,\"results\":[{\"date_heure\":\"2025-01-15T00:00:00+00:00\","
            "\"gaz\":5000,\"nucleaire\":\"%s%s\",\"eolien\":5000}]}", pad, tok);
        resp->body_len = strlen(resp->body);
        return;
    }
    case M_OTHER_DAY:
        d0 -= DAY;
        break;
    default:
        break;
    }
    n = st->rows ? st->rows : 96;
    snprintf(head, sizeof head, "{\"total_count\":%d,\"results\":[", st->total ? st->total : n);
    append(&body, &len, &cap, head, strlen(head));
    for (k = 0; k < n; k++)
        record_a(&body, &len, &cap, d0 + k * 900.0, k == 0);
    append(&body, &len, &cap, "]}", 2);
    resp->body = body;
    resp->body_len = len;
}

typedef struct fx {
    srv_state st;
    ths_server *srv;
    char *root;
    char cache[4200], factors_csv[4200];
    est_carbon_factor_set factors;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->srv = ths_start(handler, &f->st);
    f->root = test_mkdtemp();
    snprintf(f->cache, sizeof f->cache, "%s/cache", f->root);
    snprintf(f->factors_csv, sizeof f->factors_csv, "%s/carbon/factors.csv",
             getenv("ECOEST_SOURCE_DIR"));
    assert_int_equal(est_carbon_factors_load(&f->factors, f->factors_csv, NULL, NULL), EST_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    ths_stop(f->srv);
    test_rmtree(f->root);
    free(f->root);
    free(f);
    return 0;
}

/* RTE options for [start, end), now well after (so days are final). */
static est_carbon_options rte_opts(fx *f, double start, double end)
{
    est_carbon_options o = EST_CARBON_OPTIONS_INIT;
    o.provider = EST_CARBON_PROVIDER_RTE;
    o.zone = "FR";
    o.factors = &f->factors;
    o.start_unix_s = start;
    o.end_unix_s = end;
    o.now_unix_s = 1800000000.0;
    o.base_url = ths_url(f->srv);
    o.cache_dir = f->cache;
    o.timeout_s = 20.0;
    return o;
}

/* examples/live_intensity.c against the loopback server: the window
 * [2025-01-15T00:00Z, 01:00Z) of rows of mix A, so mean 59.7, coverage 1,
 * 4 points of 15 minutes. */
static void test_example_live_intensity_against_loopback(void **state)
{
    fx *f = *state;
    const char *ex = getenv("ECOEST_EXAMPLE_LIVE");
    char *argv[12];
    test_run r;
    cJSON *j;
    if (!ex || !*ex) {
        skip();
        return;
    }
    argv[0] = (char *)ex;
    argv[1] = (char *)"--base-url";
    argv[2] = (char *)ths_url(f->srv);
    argv[3] = (char *)"--factors";
    argv[4] = f->factors_csv;
    argv[5] = (char *)"--cache";
    argv[6] = f->cache;
    argv[7] = (char *)"2025-01-15T00:00:00Z";
    argv[8] = (char *)"2025-01-15T01:00:00Z";
    argv[9] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_string_equal(json_str(j, "zone", NULL), "FR");
    assert_string_equal(json_str(j, "provider", NULL), "rte");
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-12);
    assert_close(json_num(j, "coverage_frac", NULL), 1.0, 0);
    assert_close(json_num(j, "n_points", NULL), 4, 0);
    assert_close(json_num(j, "n_requests", NULL), 1, 0);
    cJSON_Delete(j);
    test_run_free(&r);
    /* offline now: the same figures from the cache the example filled */
    argv[7] = (char *)"--offline";
    argv[8] = (char *)"2025-01-15T00:00:00Z";
    argv[9] = (char *)"2025-01-15T01:00:00Z";
    argv[10] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    j = json_of(&r);
    assert_close(json_num(j, "mean_g_co2e_per_kwh", NULL), MIX_A, 1e-12);
    assert_close(json_num(j, "n_requests", NULL), 0, 0);
    cJSON_Delete(j);
    test_run_free(&r);
}

/* Issue 14 #3: a 200 answer with no rows, or another day's rows, does not
 * replace a cached partial day. At 12:00 the server has published 40 rows
 * (00:00-10:00, 15 min each); at 14:00 it answers nothing, then the rows of
 * the day before: the cached 40 points stay, in the series and on disk, and
 * a later offline fetch still has them: mean 59.7 over [00:00, 10:00). */
static void test_cache_not_poisoned_by_a_poorer_answer(void **state)
{
    fx *f = *state;
    est_carbon_series s;
    est_carbon_options o = rte_opts(f, D0115, D0115 + 14 * 3600.0);
    est_error e;
    est_intensity_stats st;
    mode m[2] = {M_EMPTY, M_OTHER_DAY};
    int i;
    o.now_unix_s = D0115 + 12 * 3600.0;
    o.end_unix_s = o.now_unix_s;
    f->st.rows = 40;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_OK);
    assert_int_equal(s.n_points, 40);
    assert_int_equal(s.days[0].origin, EST_CARBON_DAY_NETWORK);
    est_carbon_series_clear(&s);
    for (i = 0; i < 2; i++) {
        f->st.mode = m[i];
        o.now_unix_s = D0115 + 14 * 3600.0;
        o.end_unix_s = o.now_unix_s;
        assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_OK);
        assert_int_equal(s.n_requests, i == 0 ? 1 : 1);
        assert_int_equal(s.n_points, 40);
        assert_int_equal(s.days[0].origin, EST_CARBON_DAY_CACHE);
        assert_true(s.n_notes >= 1);
        assert_non_null(strstr(s.notes[0], "kept the cached copy"));
        est_carbon_series_clear(&s);
    }
    o.offline = 1;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_OK);
    assert_int_equal(s.n_points, 40);
    assert_int_equal(
        est_intensity_mean(&st, s.points, s.n_points, D0115, D0115 + 10 * 3600.0, NULL), EST_OK);
    assert_close(st.mean_g_co2e_per_kwh, MIX_A, 1e-12);
    est_carbon_series_clear(&s);
}

/* Issue 14 #11: the server echoes the token into a field whose excerpt (63
 * bytes: a quote, the value, "...") cuts it after 1 or 2 bytes: 58 or 57
 * 'x' then the token. Those bytes are hidden as '*' in the error. */
static void test_token_prefix_at_an_excerpt_cut_is_hidden(void **state)
{
    fx *f = *state;
    est_carbon_series s;
    est_carbon_options o = rte_opts(f, D0115, D0115 + 3600.0);
    est_error e;
    o.token = "Kq7TOKENsecret42";
    f->st.mode = M_ECHO_FIELD;
    f->st.pad_rows = 58;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EPARSE);
    assert_null(strstr(e.message, "xK..."));
    assert_non_null(strstr(e.message, "xx*..."));
    assert_no_secret_prefix(e.message, o.token, 3);
    f->st.pad_rows = 57;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EPARSE);
    assert_null(strstr(e.message, "xKq..."));
    assert_non_null(strstr(e.message, "xx**..."));
}

/* Issue 14 #12: under offline, a cache file that cannot be used keeps its
 * "ignored the cache file" warning: the fetch fails (nothing else is
 * cached) with that file's reason as the error, and the note stays in the
 * series. A folder (or, for a non-root user, a file of mode 000), a FIFO,
 * a file of 9 MiB (sparse; the bound is 8 MiB) and corrupt JSON. */
static void test_offline_keeps_the_ignored_cache_warning(void **state)
{
    fx *f = *state;
    est_carbon_series s;
    est_carbon_options o = rte_opts(f, D0115, D0115 + 3600.0);
    est_error e;
    char dir[4400], path[4500];
    int k, fd;
    o.offline = 1;
    snprintf(dir, sizeof dir, "%s/rte", f->cache);
    assert_int_equal(mkdir(f->cache, 0700), 0);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(dir, sizeof dir, "%s/rte/FR", f->cache);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/2025-01-15.json", dir);
    for (k = 0; k < 5; k++) {
        const char *want = NULL;
        int want_rc = EST_EIO;
        if (k == 0) {
            assert_int_equal(mkdir(path, 0700), 0);
            want = "is a folder";
        } else if (k == 1) {
            assert_int_equal(mkfifo(path, 0600), 0);
            want = "not a regular file";
        } else if (k == 2) {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            assert_true(fd >= 0);
            assert_int_equal(ftruncate(fd, 9 * 1024 * 1024), 0);
            close(fd);
            want = "larger than 8388608 bytes";
            want_rc = EST_ERANGE;
        } else if (k == 3) {
            test_write_file(path, "{\"provider\":\"rte\",\"zone\":\"FR\",\"records\":[");
            want = "ignored the unreadable cache file";
            want_rc = EST_EPARSE;
        } else {
            if (geteuid() == 0)
                break; /* root reads a file of mode 000 */
            test_write_file(path, "{}");
            assert_int_equal(chmod(path, 0), 0);
            want = "cannot open";
        }
        assert_int_equal(est_carbon_fetch(&s, &o, &e), want_rc);
        assert_int_equal(s.n_requests, 0);
        assert_non_null(strstr(e.message, "ignored the"));
        assert_non_null(strstr(e.message, path));
        assert_non_null(strstr(e.message, want));
        assert_non_null(strstr(e.message, "no intensity data for FR"));
        assert_null(strstr(strstr(e.message, path) + 1, path)); /* named once */
        assert_int_equal(s.n_notes, 1);
        assert_non_null(strstr(s.notes[0], "ignored the"));
        assert_null(s.points);
        est_carbon_series_clear(&s);
        if (k == 0)
            assert_int_equal(rmdir(path), 0);
        else
            assert_int_equal(unlink(path), 0);
    }
}

/* Issue 14 #23, the library's side: offline with nothing cached is
 * EST_ENODATA with no point, and the mean over no point has coverage 0 and
 * no mean (-1), never 100 %. (The CLI's fallback to the zone's annual
 * average must say "no data" too: cli_carbon_default sets 1.) */
static void test_offline_nothing_cached_is_no_data_coverage_0(void **state)
{
    fx *f = *state;
    est_carbon_series s;
    est_carbon_options o = rte_opts(f, D0115, D0115 + 2 * 3600.0);
    est_intensity_stats st;
    est_error e;
    o.offline = 1;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_ENODATA);
    assert_non_null(strstr(e.message, "no intensity data for FR"));
    assert_int_equal(s.n_points, 0);
    assert_int_equal(s.n_requests, 0);
    assert_int_equal(
        est_intensity_mean(&st, s.points, s.n_points, o.start_unix_s, o.end_unix_s, &e), EST_OK);
    assert_close(st.coverage_frac, 0.0, 0);
    assert_int_equal(st.n_points, 0);
    assert_close(st.mean_g_co2e_per_kwh, EST_UNSET, 0);
    assert_int_equal(ths_count(f->srv), 0);
}

/* The same through the CLI: ecoest carbon --offline with a FIFO as the
 * cached day warns that it ignored it, and falls back (exit 0). */
static void test_cli_offline_warns_about_an_ignored_cache_file(void **state)
{
    fx *f = *state;
    sandbox sb;
    test_run r;
    char path[4500];
    const char *args[] = {"carbon", "--zone", "FR", "--offline", "--start",
                          "2025-01-15T00:00:00Z", "--runtime", "1h", NULL};
    sandbox_init(&sb, ths_url(f->srv));
    snprintf(path, sizeof path, "%s/ecoest", sb.cache);
    assert_int_equal(mkdir(sb.cache, 0700), 0);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/rte", sb.cache);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/rte/FR", sb.cache);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/rte/FR/2025-01-15.json", sb.cache);
    assert_int_equal(mkfifo(path, 0600), 0);
    sandbox_run(&sb, &r, args);
    assert_int_equal(r.status, 0);
    if (!strstr(r.err, "ignored the cache file") || !strstr(r.err, "not a regular file"))
        fail_msg("no warning about the FIFO: %s", r.err);
    assert_int_equal(ths_count(f->srv), 0);
    test_run_free(&r);
    sandbox_free(&sb);
}

/* 1 when s is well-formed UTF-8 (no overlong forms, no surrogates). */
static int utf8_valid(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        size_t len, i;
        if (*s < 0x80) {
            s++;
            continue;
        }
        if (*s >= 0xC2 && *s <= 0xDF)
            len = 2;
        else if (*s >= 0xE0 && *s <= 0xEF)
            len = 3;
        else if (*s >= 0xF0 && *s <= 0xF4)
            len = 4;
        else
            return 0;
        for (i = 1; i < len; i++)
            if ((s[i] & 0xC0) != 0x80)
                return 0;
        if ((*s == 0xE0 && s[1] < 0xA0) || (*s == 0xED && s[1] > 0x9F) ||
            (*s == 0xF0 && s[1] < 0x90) || (*s == 0xF4 && s[1] > 0x8F))
            return 0;
        s += len;
    }
    return 1;
}

/* Issue 14 #8: a date_heure with invalid UTF-8 (0xff 0xfe after the time)
 * fails the day; the message shows the bytes as '?', so it is valid UTF-8,
 * and so is the CLI's JSON, whose fallback_reason holds it. */
static void test_invalid_utf8_from_the_server_never_reaches_json(void **state)
{
    fx *f = *state;
    est_carbon_series s;
    est_carbon_options o = rte_opts(f, D0115, D0115 + 3600.0);
    est_error e;
    sandbox sb;
    test_run r;
    cJSON *j;
    const char *args[] = {"carbon", "--zone", "FR", "--start", "2025-01-15T00:00:00Z",
                          "--runtime", "1h", "--format", "json", NULL};
    f->st.mode = M_BAD_UTF8;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EPARSE);
    assert_true(utf8_valid(e.message));
    assert_non_null(strstr(e.message, "+00:00??"));
    est_carbon_series_clear(&s);
    sandbox_init(&sb, ths_url(f->srv));
    sandbox_run(&sb, &r, args);
    assert_int_equal(r.status, 0);
    assert_true(utf8_valid(r.out));
    assert_true(utf8_valid(r.err));
    j = json_of(&r);
    assert_non_null(strstr(json_str(j, "fallback_reason", NULL), "+00:00??"));
    cJSON_Delete(j);
    test_run_free(&r);
    sandbox_free(&sb);
}

static long maxrss_kb(void)
{
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
    return ru.ru_maxrss;
}

/* Issue 14 #2: a hostile server announcing total_count 1e9. With pages of
 * 150 rows of {}: one request, refused at once (a day is at most 3000
 * rows: 30 pages of 100), not 30 pages. With a page of 1,500,000 rows of {}
 * (4.5 MB): refused unparsed (a page is at most 2 MiB), memory bounded
 * (peak RSS grows by less than 64 MiB; the body itself is 4.5 MB, and
 * parsing it would take about 100 MB), well within the time budget. A page
 * of 150 rows (every 15 minutes from 00:00) for a limit of 100, announcing
 * 100: the first 100 are kept, of which the day's 96 make points, and a
 * note says rows were dropped. */
static void test_rte_hostile_server_is_bounded(void **state)
{
    fx *f = *state;
    est_carbon_series s;
    est_carbon_options o = rte_opts(f, D0115, D0115 + DAY);
    est_error e;
    double t0;
    long rss0;
    f->st.mode = M_HOSTILE;
    f->st.pad_rows = 150;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EPARSE);
    assert_int_equal(s.n_requests, 1);
    assert_non_null(strstr(e.message, "announces 1000000000 rows for the day; ecoest reads at "
                                      "most 3000"));
    est_carbon_series_clear(&s);

    f->st.pad_rows = 1500000;
    rss0 = maxrss_kb();
    t0 = now_s();
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_EPARSE);
    assert_true(now_s() - t0 < 10.0);
    assert_non_null(strstr(e.message, "larger than 2097152 bytes"));
    assert_true(maxrss_kb() - rss0 < 64 * 1024);
    est_carbon_series_clear(&s);

    f->st.mode = M_OK;
    f->st.rows = 150;
    f->st.total = 100;
    assert_int_equal(est_carbon_fetch(&s, &o, &e), EST_OK);
    assert_int_equal(s.n_requests, 1);
    assert_int_equal(s.n_points, 96);
    assert_true(s.n_notes >= 1);
    assert_non_null(strstr(s.notes[0], "more rows than the 100 asked for"));
    est_carbon_series_clear(&s);
}

/* nm -D of a file, defined (1) or undefined (0) symbols, one a line. */
static char *dyn_symbols(const char *path, int defined)
{
    char *argv[5];
    test_run r;
    char *out;
    argv[0] = (char *)"/usr/bin/nm";
    argv[1] = (char *)"-D";
    argv[2] = (char *)(defined ? "--defined-only" : "--undefined-only");
    argv[3] = (char *)path;
    argv[4] = NULL;
    test_run_argv(&r, argv, NULL, NULL);
    if (r.status != 0)
        fail_msg("nm %s: exit %d: %s", path, r.status, r.err);
    out = strdup(r.out);
    test_run_free(&r);
    return out;
}

/* Every " est_..." symbol name in nm's output starts with one of the
 * prefixes (NULL-terminated). */
static void only_prefixes(const char *what, const char *nm, const char *const *ok)
{
    const char *p = nm;
    while ((p = strstr(p, " est")) != NULL) {
        size_t i, n = strcspn(p + 1, "@\n");
        int good = 0;
        for (i = 0; ok[i]; i++)
            if (strncmp(p + 1, ok[i], strlen(ok[i])) == 0)
                good = 1;
        if (!good)
            fail_msg("%s: unexpected symbol %.*s", what, (int)n, p + 1);
        p += 1 + n;
    }
}

/* The installable carbon library exports its own API only (none of
 * libestimate's functions, which it takes from libecoest.so, and none of
 * the internal helpers) and needs no est__ symbol; the CLI's module carries
 * no code (no second copy of libestimate or of the carbon library). */
static void test_carbon_binaries_carry_one_copy(void **state)
{
    const char *lib = getenv("ECOEST_CARBON_SHARED"), *mod = getenv("ECOEST_CARBON_MODULE");
    static const char *const carbon_api[] = {"est_carbon_", "est_factors_", "est_mix_",
                                             "est_provider_", "est_source_type_", NULL};
    static const char *const none[] = {NULL};
    static const char *const public_only[] = {"est_c", "est_f", "est_p", NULL};
    char *s;
    (void)state;
    if (!lib || !mod) {
        skip();
        return;
    }
    s = dyn_symbols(lib, 1);
    only_prefixes(lib, s, carbon_api);
    assert_non_null(strstr(s, " est_carbon_fetch"));
    free(s);
    s = dyn_symbols(lib, 0);
    assert_null(strstr(s, "est__"));
    /* libestimate's public functions come from libecoest.so */
    assert_non_null(strstr(s, " est_parse_time"));
    free(s);
    s = dyn_symbols(mod, 1);
    only_prefixes(mod, s, none);
    free(s);
    s = dyn_symbols(mod, 0);
    assert_null(strstr(s, "est__"));
    only_prefixes(mod, s, public_only);
    free(s);
    {
        /* the CLI itself needs no libcurl (a plain estimate never loads
           it); the module names the carbon library, which names it */
        char *argv[4];
        test_run r;
        argv[0] = (char *)"/usr/bin/readelf";
        argv[1] = (char *)"-d";
        argv[2] = getenv("ECOEST_BIN");
        argv[3] = NULL;
        assert_non_null(argv[2]);
        test_run_argv(&r, argv, NULL, NULL);
        assert_int_equal(r.status, 0);
        assert_null(strstr(r.out, "libcurl"));
        assert_null(strstr(r.out, "libecoest-carbon"));
        test_run_free(&r);
        argv[2] = (char *)mod;
        test_run_argv(&r, argv, NULL, NULL);
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.out, "libecoest-carbon.so"));
        test_run_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_carbon_binaries_carry_one_copy),
        cmocka_unit_test_setup_teardown(test_cache_not_poisoned_by_a_poorer_answer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rte_hostile_server_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_prefix_at_an_excerpt_cut_is_hidden, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_offline_keeps_the_ignored_cache_warning, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_from_the_server_never_reaches_json,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_offline_warns_about_an_ignored_cache_file,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_nothing_cached_is_no_data_coverage_0,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_example_live_intensity_against_loopback, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
