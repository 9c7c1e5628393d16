/* The HTML page of ecoest carbon. */
#ifndef ECOEST_CLI_HTML_CARBON_H
#define ECOEST_CLI_HTML_CARBON_H

#include <cjson/cJSON.h>

#include "carbon_live.h"

/* Appends the page (headline, the intensity chart with the daily means and
   the run window, every member of json) to b. json is the --format json
   report (not freed). Returns 0 or an exit status. */
int cli_html_carbon(cli_buf *b, const cli_carbon *c, const est_carbon_series *s, cJSON *json);

/* Appends the intensity chart (the series, the daily means of c, the run's
   window as a band) to b; nothing when s has no point. Used by ecoest
   carbon's page and by an estimate's page when live data was used. */
void cli_html_intensity_chart(cli_buf *b, const cli_carbon *c, const est_carbon_series *s);

#endif
