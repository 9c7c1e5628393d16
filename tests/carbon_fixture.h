/* Helpers of the carbon CLI tests: a sandbox (temporary cache and config
 * folders, a zone overlay with FR at 50 gCO2e/kWh), runs of the CLI with the
 * providers pointed at the loopback server, and the JSON of the output. */
#ifndef ECOEST_TEST_CARBON_FIXTURE_H
#define ECOEST_TEST_CARBON_FIXTURE_H

#include <cjson/cJSON.h>

#include "test_util.h"

typedef struct sandbox {
    char *root;
    char cache[4200], config[4200];
    char env_cache[4300], env_config[4300], env_odre[200], env_em[200];
    char env_rte_token[300], env_em_token[300];
} sandbox;

/* Creates the folders; server_url is the loopback server ("" for none). */
void sandbox_init(sandbox *sb, const char *server_url);
void sandbox_free(sandbox *sb);
/* Tokens given to the program ("" unsets). */
void sandbox_tokens(sandbox *sb, const char *rte, const char *em);
/* Runs ecoest with args (NULL-terminated). */
void sandbox_run(sandbox *sb, test_run *r, const char *const *args);
/* Parses r->out as JSON; fails the test if it is not. */
cJSON *json_of(const test_run *r);
/* A number at a path of object keys ("carbon", "mean_g_co2e_per_kwh", NULL). */
double json_num(const cJSON *root, ...);
const char *json_str(const cJSON *root, ...);
/* Seconds since the epoch, as a double. */
double now_s(void);
/* Fails unless s does not contain needle. */
void assert_absent(const char *s, const char *needle);
/* The contents of every file under dir, concatenated (malloc'd; "" when
   none). */
char *read_tree(const char *dir);
/* Fails if text holds any prefix of secret of min_len bytes or more. */
void assert_no_secret_prefix(const char *text, const char *secret, size_t min_len);

#endif
