/* The network part of ecoest_carbon, loaded on first use (see live.c). */
#ifndef ECOEST_CLI_LIVE_H
#define ECOEST_CLI_LIVE_H

#include "ecoest/carbon.h"

/* The functions of ecoest/carbon.h of the same names, through the module.
   If the module cannot be loaded: EST_EUNSUPPORTED with the reason in err
   (*out NULL). The others accept NULL. */
int cli_live_source_open(est_carbon_source **out, const est_carbon_source_options *opts,
                         est_error *err);
void cli_live_source_free(est_carbon_source *src);
int cli_live_window(est_carbon_window **out, est_carbon_source *src, const est_zone *zone,
                    double start_unix_s, double end_unix_s, est_error *err);
void cli_live_window_free(est_carbon_window *w);
const est_carbon_summary *cli_live_summary(const est_carbon_window *w);
const est_carbon_series *cli_live_series(const est_carbon_window *w);
int cli_live_take_series(est_carbon_series *out, est_carbon_window *w);
int cli_live_intensity(void *src, const est_zone *zone, double start_unix_s,
                       double end_unix_s, est_intensity_answer *answer, est_error *err);
const est_carbon_window *cli_live_source_last(const est_carbon_source *src);
/* est_carbon_series_clear through the module (no-op if it never loaded). */
void cli_live_clear(est_carbon_series *s);
/* Releases the network layer if it was loaded. */
void cli_live_shutdown(void);

/* est_carbon_forecast_fetch and _clear through the module (ecoest when);
   EST_EUNSUPPORTED when the module cannot be loaded. */
int cli_live_forecast(est_carbon_forecast *out, const est_carbon_options *opts, est_error *err);
void cli_live_forecast_clear(est_carbon_forecast *f);

#endif
