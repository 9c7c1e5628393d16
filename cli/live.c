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

typedef void (*clear_fn)(est_carbon_series *);
typedef int (*init_fn)(void);
typedef void (*cleanup_fn)(void);

static struct {
    int tried;
    void *handle;
    int (*open)(est_carbon_source **, const est_carbon_source_options *, est_error *);
    void (*free_src)(est_carbon_source *);
    int (*window)(est_carbon_window **, est_carbon_source *, const est_zone *, double, double,
                  est_error *);
    void (*free_win)(est_carbon_window *);
    const est_carbon_summary *(*summary)(const est_carbon_window *);
    const est_carbon_series *(*series)(const est_carbon_window *);
    int (*take)(est_carbon_series *, est_carbon_window *);
    est_intensity_fn intensity;
    const est_carbon_window *(*last)(const est_carbon_source *);
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
    *(void **)&mod.open = dlsym(mod.handle, "est_carbon_source_open");
    *(void **)&mod.free_src = dlsym(mod.handle, "est_carbon_source_free");
    *(void **)&mod.window = dlsym(mod.handle, "est_carbon_source_window");
    *(void **)&mod.free_win = dlsym(mod.handle, "est_carbon_window_free");
    *(void **)&mod.summary = dlsym(mod.handle, "est_carbon_window_summary");
    *(void **)&mod.series = dlsym(mod.handle, "est_carbon_window_series");
    *(void **)&mod.take = dlsym(mod.handle, "est_carbon_window_take_series");
    *(void **)&mod.intensity = dlsym(mod.handle, "est_carbon_intensity");
    *(void **)&mod.last = dlsym(mod.handle, "est_carbon_source_last");
    *(void **)&mod.clear = dlsym(mod.handle, "est_carbon_series_clear");
    *(void **)&init = dlsym(mod.handle, "est_carbon_global_init");
    *(void **)&mod.cleanup = dlsym(mod.handle, "est_carbon_global_cleanup");
    if (!mod.open || !mod.free_src || !mod.window || !mod.free_win || !mod.summary ||
        !mod.series || !mod.take || !mod.intensity || !mod.last || !mod.clear || !init || !mod.cleanup) {
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

int cli_live_source_open(est_carbon_source **out, const est_carbon_source_options *opts,
                         est_error *err)
{
    if (load() != 0) {
        *out = NULL;
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = EST_EUNSUPPORTED;
            snprintf(err->message, sizeof err->message, "%s", mod.why);
        }
        return EST_EUNSUPPORTED;
    }
    return mod.open(out, opts, err);
}

/* The others run only after an open succeeded (the module is loaded). */
void cli_live_source_free(est_carbon_source *src)
{
    if (src && mod.free_src)
        mod.free_src(src);
}

int cli_live_window(est_carbon_window **out, est_carbon_source *src, const est_zone *zone,
                    double start_unix_s, double end_unix_s, est_error *err)
{
    return mod.window(out, src, zone, start_unix_s, end_unix_s, err);
}

void cli_live_window_free(est_carbon_window *w)
{
    if (w && mod.free_win)
        mod.free_win(w);
}

const est_carbon_summary *cli_live_summary(const est_carbon_window *w)
{
    return mod.summary(w);
}

const est_carbon_series *cli_live_series(const est_carbon_window *w)
{
    return mod.series(w);
}

int cli_live_take_series(est_carbon_series *out, est_carbon_window *w)
{
    return mod.take(out, w);
}

int cli_live_intensity(void *src, const est_zone *zone, double start_unix_s,
                       double end_unix_s, est_intensity_answer *answer, est_error *err)
{
    return mod.intensity(src, zone, start_unix_s, end_unix_s, answer, err);
}

const est_carbon_window *cli_live_source_last(const est_carbon_source *src)
{
    return src && mod.last ? mod.last(src) : NULL;
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
int cli_live_forecast(est_carbon_forecast *out, const est_carbon_options *opts, est_error *err)
{
    int (*fn)(est_carbon_forecast *, const est_carbon_options *, est_error *) = NULL;
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
    return fn(out, opts, err);
}

void cli_live_forecast_clear(est_carbon_forecast *f)
{
    void (*fn)(est_carbon_forecast *) = NULL;
    if (mod.handle)
        *(void **)&fn = dlsym(mod.handle, "est_carbon_forecast_clear");
    if (fn)
        fn(f);
}
