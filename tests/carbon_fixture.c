#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include "carbon_fixture.h"

void sandbox_init(sandbox *sb, const char *url)
{
    char path[4400];
    memset(sb, 0, sizeof *sb);
    sb->root = test_mkdtemp();
    snprintf(sb->cache, sizeof sb->cache, "%s/cache", sb->root);
    snprintf(sb->config, sizeof sb->config, "%s/config", sb->root);
    assert_int_equal(mkdir(sb->config, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest", sb->config);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/carbon", sb->config);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ecoest/carbon/zones.csv", sb->config);
    test_write_file(path, "zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source\n"
                          "FR,France (test),50,2024,lifecycle,,test table\n"
                          "DE,Germany (test),400,2024,lifecycle,,test table\n");
    snprintf(sb->env_cache, sizeof sb->env_cache, "XDG_CACHE_HOME=%s", sb->cache);
    snprintf(sb->env_config, sizeof sb->env_config, "XDG_CONFIG_HOME=%s", sb->config);
    snprintf(sb->env_odre, sizeof sb->env_odre, "ECOEST_ODRE_URL=%s", url);
    snprintf(sb->env_em, sizeof sb->env_em, "ECOEST_ELECTRICITYMAPS_URL=%s", url);
    sandbox_tokens(sb, "", "");
}

void sandbox_tokens(sandbox *sb, const char *rte, const char *em)
{
    snprintf(sb->env_rte_token, sizeof sb->env_rte_token, "RESEAUX_ENERGIES_TOKEN=%s", rte);
    snprintf(sb->env_em_token, sizeof sb->env_em_token, "ELECTRICITYMAPS_TOKEN=%s", em);
}

void sandbox_free(sandbox *sb)
{
    test_rmtree(sb->root);
    free(sb->root);
}

void sandbox_run(sandbox *sb, test_run *r, const char *const *args)
{
    char *argv[48], bin[4096];
    char *env[10];
    size_t i, n = 0;
    snprintf(bin, sizeof bin, "%s", getenv("ECOEST_BIN"));
    argv[n++] = bin;
    for (i = 0; args[i] && n < 47; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    env[0] = sb->env_cache;
    env[1] = sb->env_config;
    env[2] = sb->env_odre;
    env[3] = sb->env_em;
    env[4] = sb->env_rte_token;
    env[5] = sb->env_em_token;
    env[6] = (char *)"ECOEST_ZONES_PATH=";
    env[7] = NULL;
    test_run_argv(r, argv, NULL, env);
}

cJSON *json_of(const test_run *r)
{
    cJSON *j = cJSON_Parse(r->out);
    if (!j)
        fail_msg("stdout is not JSON (exit %d): %s\nstderr: %s", r->status, r->out, r->err);
    return j;
}

static const cJSON *walk(const cJSON *root, va_list ap)
{
    const char *k;
    const cJSON *j = root;
    while ((k = va_arg(ap, const char *)) != NULL) {
        j = cJSON_GetObjectItemCaseSensitive(j, k);
        if (!j)
            fail_msg("JSON: no key \"%s\"", k);
    }
    return j;
}

double json_num(const cJSON *root, ...)
{
    va_list ap;
    const cJSON *j;
    va_start(ap, root);
    j = walk(root, ap);
    va_end(ap);
    if (!cJSON_IsNumber(j))
        fail_msg("JSON: not a number");
    return j->valuedouble;
}

const char *json_str(const cJSON *root, ...)
{
    va_list ap;
    const cJSON *j;
    va_start(ap, root);
    j = walk(root, ap);
    va_end(ap);
    if (!cJSON_IsString(j))
        fail_msg("JSON: not a string");
    return j->valuestring;
}

double now_s(void) { return (double)time(NULL); }

void assert_absent(const char *s, const char *needle)
{
    if (strstr(s, needle))
        fail_msg("found \"%s\" in:\n%s", needle, s);
}

static void tree_append(const char *dir, char **buf, size_t *len)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        char path[4400];
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            tree_append(path, buf, len);
        } else if (S_ISREG(st.st_mode)) {
            size_t n = 0;
            char *c = test_read_file(path, &n);
            if (c) {
                *buf = realloc(*buf, *len + n + 2);
                assert_non_null(*buf);
                memcpy(*buf + *len, c, n);
                *len += n;
                (*buf)[(*len)++] = '\n';
                (*buf)[*len] = '\0';
                free(c);
            }
        }
    }
    closedir(d);
}

char *read_tree(const char *dir)
{
    char *buf = calloc(1, 1);
    size_t len = 0;
    assert_non_null(buf);
    tree_append(dir, &buf, &len);
    return buf;
}

void assert_no_secret_prefix(const char *text, const char *secret, size_t min_len)
{
    size_t k, n = strlen(secret);
    char pre[512];
    for (k = min_len; k <= n && k < sizeof pre; k++) {
        memcpy(pre, secret, k);
        pre[k] = '\0';
        if (strstr(text, pre))
            fail_msg("found the token prefix \"%s\" in:\n%s", pre, text);
    }
}
