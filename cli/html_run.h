/* The HTML page of ecoest run. */
#ifndef ECOEST_CLI_HTML_RUN_H
#define ECOEST_CLI_HTML_RUN_H

#include <cjson/cJSON.h>

/* The page of a run: the estimate's page from its log (charts included),
   with the section "The run" (the command, its exit status, the CPU time,
   the memory and GPUs measured, the measured energy against the model:
   run.measured) put at CLI_HTML_MORE, after the assumptions. Returns a new
   page (malloc) or NULL (out of memory, or no marker). */
char *cli_html_run_page(const char *estimate_page, const cJSON *run);

#endif
