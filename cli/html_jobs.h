/* The HTML page of ecoest jobs. */
#ifndef ECOEST_CLI_HTML_JOBS_H
#define ECOEST_CLI_HTML_JOBS_H

#include "cli.h"

/* Appends the page built from the --format json report (its text) to b:
   the totals, the energy per group stacked by final state, the groups.
   Returns 0 or an exit status. */
int cli_html_jobs(cli_buf *b, const char *json_text);

#endif
