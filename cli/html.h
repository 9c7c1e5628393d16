/* The HTML report: one self-contained page (inline CSS, inline SVG charts,
 * no script, no network request), built in one pass into a cli_buf. */
#ifndef ECOEST_CLI_HTML_H
#define ECOEST_CLI_HTML_H

#include <cjson/cJSON.h>

#include "cli.h"

/* Appends s with & < > " ' escaped. */
void cli_html_escape(cli_buf *b, const char *s);
/* The page's head (title escaped, inline CSS with @media print for A4) and
   its end. */
void cli_html_begin(cli_buf *b, const char *title);
void cli_html_end(cli_buf *b);

/* A headline figure: label, the value of root's key rounded, the exact
   value (data-key=key), its unit. */
void cli_html_figure(cli_buf *b, const cJSON *root, const char *key, const char *label,
                     const char *unit);
/* The scalar members of o as a table (data-key="prefix.key"), then each
   nested object (and array of objects) as its own table. */
void cli_html_object(cli_buf *b, const cJSON *o, const char *prefix);

/* The estimate report from its JSON tree (the same figures as --format
   json): the headline, the breakdown by scope, the inputs with their
   sources, the assumptions, equivalents, water and embodied; charts (SVG,
   may be NULL) follow. */
void cli_html_estimate(cli_buf *b, const cJSON *report, const char *charts);

/* Where a command adds its own sections to the estimate's page (after the
   assumptions, before the water, embodied, hardware and sample-log details
   and the charts): ecoest run's "The run" (html_run.c). */
#define CLI_HTML_MORE "<!-- ecoest: more sections -->\n"

#endif
