/*
 * Loads the network part of the carbon library (the module ecoest-carbon.so,
 * which links libcurl) only when an estimate needs the network. Linking
 * libcurl into ecoest would cost every run, even a plain manual estimate,
 * several milliseconds of dynamic loading and TLS initialisation.
 *
 * The module is looked for in order: $ECOEST_CARBON_MODULE; next to the
 * executable (the build tree); <exe dir>/../lib/ecoest/ and its lib64 and multiarch forms (an installed
 * tree);
 * the configured install libdir.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "live.h"

#ifndef ECOEST_INSTALL_MODULEDIR
#define ECOEST_INSTALL_MODULEDIR "/usr/local/lib/ecoest"
#endif

typedef int (*fetch_fn)(const est_carbon_options *, est_carbon_series *, est_error *);
typedef void (*clear_fn)(est_carbon_series *);
typedef int (*init_fn)(void);
typedef void (*cleanup_fn)(void);

static struct {
    int tried;
    void *handle;
    fetch_fn fetch;
    clear_fn clear;
    cleanup_fn cleanup;
    char why[600];
} mod;

static void *try_open(const char *path)
{
    void *h;
    if (access(path, R_OK) != 0)
        return NULL;
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(mod.why, sizeof mod.why, "cannot load %s: %s", path, e ? e : "?");
    }
    return h;
}

static int load(void)
{
    char exe[PATH_MAX], path[PATH_MAX + 64];
    const char *env = getenv("ECOEST_CARBON_MODULE");
    init_fn init;
    ssize_t n;
    if (mod.tried)
        return mod.handle ? 0 : -1;
    mod.tried = 1;
    snprintf(mod.why, sizeof mod.why, "the live carbon module %s was not found",
             EST_CARBON_MODULE_NAME);
    if (env && *env)
        mod.handle = try_open(env);
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!mod.handle && !(env && *env) && n > 0) {
        static const char *const rel[] = {"", "/../lib/ecoest", "/../lib64/ecoest",
                                          "/../lib/x86_64-linux-gnu/ecoest"};
        char *slash;
        size_t i;
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        for (i = 0; !mod.handle && i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(path, sizeof path, "%s%s/%s", exe, rel[i], EST_CARBON_MODULE_NAME);
            mod.handle = try_open(path);
        }
    }
    if (!mod.handle && !(env && *env)) {
        snprintf(path, sizeof path, "%s/%s", ECOEST_INSTALL_MODULEDIR, EST_CARBON_MODULE_NAME);
        mod.handle = try_open(path);
    }
    if (!mod.handle)
        return -1;
    *(void **)&mod.fetch = dlsym(mod.handle, "est_carbon_fetch");
    *(void **)&mod.clear = dlsym(mod.handle, "est_carbon_series_clear");
    *(void **)&init = dlsym(mod.handle, "est_carbon_global_init");
    *(void **)&mod.cleanup = dlsym(mod.handle, "est_carbon_global_cleanup");
    if (!mod.fetch || !mod.clear || !init || !mod.cleanup) {
        snprintf(mod.why, sizeof mod.why, "the live carbon module lacks its entry points");
    } else if (init() != EST_OK) {
        snprintf(mod.why, sizeof mod.why, "cannot initialise the network library");
    } else {
        return 0;
    }
    dlclose(mod.handle);
    mod.handle = NULL;
    mod.cleanup = NULL;
    return -1;
}

int cli_live_fetch(const est_carbon_options *opts, est_carbon_series *out, est_error *err)
{
    if (load() != 0) {
        memset(out, 0, sizeof *out);
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = EST_EUNSUPPORTED;
            snprintf(err->message, sizeof err->message, "%s", mod.why);
        }
        return EST_EUNSUPPORTED;
    }
    return mod.fetch(opts, out, err);
}

void cli_live_clear(est_carbon_series *s)
{
    if (mod.clear)
        mod.clear(s);
}

void cli_live_shutdown(void)
{
    if (mod.cleanup)
        mod.cleanup();
    /* the module stays mapped until exit: its atexit handlers may need it */
}

/* est_carbon_forecast_fetch through the module (ecoest when). */
int cli_live_forecast(const est_carbon_options *opts, est_carbon_forecast *out, est_error *err)
{
    int (*fn)(const est_carbon_options *, est_carbon_forecast *, est_error *) = NULL;
    memset(out, 0, sizeof *out);
    if (load() == 0)
        *(void **)&fn = dlsym(mod.handle, "est_carbon_forecast_fetch");
    if (!fn) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = EST_EUNSUPPORTED;
            snprintf(err->message, sizeof err->message, "%s",
                     mod.handle ? "the live carbon module has no forecast" : mod.why);
        }
        return EST_EUNSUPPORTED;
    }
    return fn(opts, out, err);
}

void cli_live_forecast_clear(est_carbon_forecast *f)
{
    void (*fn)(est_carbon_forecast *) = NULL;
    if (mod.handle)
        *(void **)&fn = dlsym(mod.handle, "est_carbon_forecast_clear");
    if (fn)
        fn(f);
}
