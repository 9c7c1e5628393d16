/* The network part of ecoest_carbon, loaded on first use (see live.c). */
#ifndef ECOEST_CLI_LIVE_H
#define ECOEST_CLI_LIVE_H

#include "ecoest/carbon.h"

/* est_carbon_fetch through the module. If the module cannot be loaded,
   EST_EUNSUPPORTED with the reason in err. */
int cli_live_fetch(const est_carbon_options *opts, est_carbon_series *out, est_error *err);
/* est_carbon_series_clear through the module (no-op if it never loaded). */
void cli_live_clear(est_carbon_series *s);
/* Releases the network layer if it was loaded. */
void cli_live_shutdown(void);

/* est_carbon_forecast_fetch and _clear through the module (ecoest when);
   EST_EUNSUPPORTED when the module cannot be loaded. */
int cli_live_forecast(const est_carbon_options *opts, est_carbon_forecast *out, est_error *err);
void cli_live_forecast_clear(est_carbon_forecast *f);

#endif
