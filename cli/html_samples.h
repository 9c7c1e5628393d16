/* The charts of the sample logs in the HTML report. */
#ifndef ECOEST_CLI_HTML_SAMPLES_H
#define ECOEST_CLI_HTML_SAMPLES_H

#include "report.h"
#include "samples_mode.h"

/* Appends the SVG charts (power per device, cumulative energy) of the logs
   of so to out, reading them again (standard input is skipped). Returns 0
   or an exit status (message printed). */
int cli_html_samples_charts(const cli_samples_opts *so, const cli_report *r, cli_buf *out);

#endif
