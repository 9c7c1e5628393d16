/* The estimate report: what ecoest prints, in text, JSON or CSV. */
#ifndef ECOEST_CLI_REPORT_H
#define ECOEST_CLI_REPORT_H

#include "carbon_live.h"
#include "cli.h"

#define CLI_INPUTS_MAX 64

/* One input of the estimate, its value and where it came from (whole
   strings, owned by the estimate: never cut). */
typedef struct cli_input {
    const char *name;
    const char *value;
    const char *source;
} cli_input;

typedef struct cli_hw_cpu {
    int present;           /* a CPU is counted */
    int has_model;         /* resolved through hwdb (else "other") */
    char model[EST_NAME_MAX];
    char query[EST_NAME_MAX]; /* what the user typed */
    unsigned cores;
    double tdp_w;          /* whole-package TDP used, cores x per-core */
    double tdp_per_core_w;
    char source[EST_HWDB_SOURCE_MAX + 64];
} cli_hw_cpu;

typedef struct cli_hw_gpu {
    int present;
    int has_model;
    char model[EST_NAME_MAX];
    char query[EST_NAME_MAX];
    unsigned count;
    double tdp_w;          /* 0 when only a measured power is known */
    double idle_w;         /* per GPU, as used (0 when unknown) */
    int idle_known;
    char idle_source[EST_HWDB_SOURCE_MAX + 300]; /* the row and its source */
    char source[EST_HWDB_SOURCE_MAX + 64];
} cli_hw_gpu;

struct cli_samples_report; /* samples_mode.h */

typedef struct cli_report {
    est_model_result result;
    est_model_inputs used; /* the model's inputs, every default applied */
    const struct cli_samples_report *samples; /* --samples; NULL otherwise */
    cli_hw_cpu cpu;
    cli_hw_gpu gpu;
    char zone[EST_ZONE_CODE_MAX]; /* "" when --ci was given without --zone */
    char zone_given[EST_ZONE_CODE_MAX]; /* the code as given (est_zone.given:
                                     "JP-TK", "UK"); "" with zone "" */
    char zone_alias_kind[24];     /* "" unless zone_given is an alias of zone */
    cli_carbon carbon;            /* the "carbon" object; present unless --ci alone */
    size_t n_inputs;
    cli_input inputs[CLI_INPUTS_MAX];
    /* the assumptions and warnings, whole sentences (the estimate's notes;
       owned by the estimate) */
    size_t n_notes;
    const char **notes;
    /* water (always: the on-site part is known) and the embodied share */
    est_water_result water;
    double offsite_l_per_kwh;   /* EST_UNSET: unknown */
    const char *offsite_origin; /* "zone", "live" (est_estimate_water_origin); NULL */
    const char *offsite_source; /* where the off-site intensity came from; NULL */
    int has_embodied, embodied_included;
    est_embodied_result embodied;
    double headline_co2e_g;     /* total CO2e, embodied included when asked */
    const char *html_charts;    /* --format html: the charts' SVG (NULL: none) */
} cli_report;

/* Adds an input line; the strings must outlive r (the estimate's). */
void cli_report_input(cli_report *r, const char *name, const char *source, const char *value);

/* Appends root, printed as JSON with a final newline, to b; frees root
   (NULL or a print failure marks b failed). */
void cli_buf_json(cli_buf *b, cJSON *root);

/* The report as --format json prints it (caller frees; NULL on failure). */
cJSON *cli_report_json(const cli_report *r);

/* Renders the report into b in the given format. */
void cli_report_render(const cli_report *r, cli_format fmt, cli_buf *b);

/* Shortest "%g" that reads back to the same double ("0.1", not 0.1000000000000000055). */
void cli_num(char *buf, size_t size, double v);

/* A JSON number printed as cli_num prints it: the shortest digits that read
   back to the same double, the same in JSON, CSV and text (cJSON's own
   printer takes 15 digits when they come within an epsilon). NaN or an
   infinity becomes null. */
cJSON *cli_json_number(double v);
/* cli_json_number(v) added to o under key; returns it (NULL on failure). */
cJSON *cli_json_add_num(cJSON *o, const char *key, double v);

#endif
