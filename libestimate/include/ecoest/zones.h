/*
 * ecoest/zones.h - annual average carbon intensity per grid zone.
 *
 * The table is read from the shipped carbon/zones.csv, then from a zones.csv
 * in each overlay folder, in order; a row of a later file replaces the row of
 * the same zone code (case-insensitive) of an earlier one. docs/carbon.md
 * describes the file format and the sources of the shipped rows.
 *
 *   zone,name,ci_g_co2e_per_kwh,year,scope,water_l_per_kwh,source,water_source
 *   FR,France,44.2,2023,lifecycle,1.6,"Ember ...","derive_water.py: ..."
 *
 * The last column, water_source, may be left out (a file of seven columns):
 * its rows then have no water figure's source. A zone-aliases.csv beside
 * zones.csv (and in each overlay folder) maps other codes to the zones:
 *
 *   alias,zone,kind,source
 *   FRA,FR,iso3166-alpha3,"ISO 3166-1 ..."
 *   US-MIDA-PJM,US-EGRID-RFCE US-EGRID-RFCW,refused,"..."
 *
 * A table is immutable once opened: lookups and iteration on one table may
 * run from several threads at once.
 */
#ifndef ECOEST_ZONES_H
#define ECOEST_ZONES_H

#include <stddef.h>

#include "ecoest/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EST_ZONE_CODE_MAX 32
/* The largest plausible carbon intensity, gCO2e/kWh: a table row or a live
   value above it is malformed (the dirtiest grids are near 1 300). */
#define EST_CI_MAX_G_CO2E_PER_KWH 5000.0
#define EST_ZONE_SOURCE_MAX 1024

/* One row of the table. A plain value: copy it freely. */
typedef struct est_zone {
    char code[EST_ZONE_CODE_MAX];   /* "FR", "US-EGRID-CAMX", "WORLD":
                                       letters, digits, '-' and '_' only */
    char name[EST_NAME_MAX];        /* "France" */
    double ci_g_co2e_per_kwh;       /* annual average, >= 0 */
    unsigned year;                  /* the data year (1900..2200) */
    char scope[16];                 /* "direct" or "lifecycle" */
    double water_l_per_kwh;         /* -1 (EST_UNSET) when unknown */
    char source[EST_ZONE_SOURCE_MAX];
    char origin[EST_ERROR_FILE_MAX]; /* where the row was read: "file:line",
                                        or "built-in" */
    char water_source[EST_ZONE_SOURCE_MAX]; /* the water figure's source;
                                        "" when the row has none */
    /* ---- appended in 0.2: how a lookup read the code it was given ----
       est_zones_lookup and est_zones_resolve fill these; a row of
       est_zones_at has given, alias_kind and alias_source "" and
       provider_code its own code. A caller that builds an est_zone by
       hand zeroes it first (memset): "" then means "not known". */
    char given[EST_ZONE_CODE_MAX];  /* the code looked up, in the table's
                                       spelling: "JP-TK" for "jp-tk", "FR"
                                       for "fr", "GB" for "GB" */
    char provider_code[EST_ZONE_CODE_MAX]; /* the code to ask a live
                                       provider (Electricity Maps, RTE) for:
                                       the alias itself when it is an
                                       Electricity Maps zone ("JP-TK",
                                       "US-CAL-CISO": the provider has its
                                       own data there), else code ("GB" for
                                       "UK", "FR" for "FRA"); see
                                       est_zones_provider_code */
    char alias_kind[24];            /* "" when given is the zone's own code;
                                       else the alias row's kind:
                                       "iso3166-alpha3", "alias" or
                                       "electricitymaps" */
    char alias_source[EST_ZONE_SOURCE_MAX]; /* the alias row's source; "" */
    double reserved[4];             /* 0; room for fields of later versions */
} est_zone;

/* One row of zone-aliases.csv. A plain value. */
typedef struct est_zone_alias {
    char alias[EST_ZONE_CODE_MAX];  /* "FRA", "UK", "US-CAL-CISO" */
    char zone[EST_NAME_MAX];        /* the zone code it stands for; for a
                                       refused alias, the zones it spans,
                                       space-separated */
    char kind[24];                  /* "iso3166-alpha3", "alias",
                                       "electricitymaps" or "refused" */
    char source[EST_ZONE_SOURCE_MAX];
    char origin[EST_ERROR_FILE_MAX]; /* "file:line" */
} est_zone_alias;

typedef struct est_zones est_zones;

#define EST_ZONES_OPTIONS_VERSION 2
typedef struct est_zones_options {
    unsigned version;            /* EST_ZONES_OPTIONS_VERSION */
    const char *shipped_file;    /* path of the shipped zones.csv; it must
                                    exist. NULL: only the built-in WORLD row
                                    (IEA 2019, 475 gCO2e/kWh) */
    const char *const *overlay_dirs; /* folders whose zones.csv are read after
                                    it, in order; a folder without a zones.csv
                                    is skipped; later rows override earlier
                                    rows of the same zone */
    size_t n_overlay_dirs;
    /* version 2 */
    const char *aliases_file;    /* zone-aliases.csv to read; NULL: the one
                                    beside shipped_file, when it exists; "":
                                    none. Each overlay folder's
                                    zone-aliases.csv is read after it. */
} est_zones_options;
#define EST_ZONES_OPTIONS_INIT { EST_ZONES_OPTIONS_VERSION, NULL, NULL, 0, NULL }

/*
 * Opens the table. NULL opts: defaults (built-in WORLD row only). On failure
 * *zones is NULL and err says where:
 *   EST_ENOENT  the shipped file does not exist;
 *   EST_EIO     a file cannot be read;
 *   EST_EPARSE  a malformed file: "zones.csv:17: column ci_g_co2e_per_kwh:
 *               expected a number, got "12,5"" (err->file, line, column set);
 *               a missing or wrong header, a wrong number of fields, an
 *               unterminated quote, a duplicate zone inside one file, an
 *               invalid code, a negative or non-numeric intensity, a year
 *               outside 1900..2200, a scope other than direct/lifecycle,
 *               a name or source with a control character or invalid
 *               UTF-8 are all rejected; in zone-aliases.csv, an alias that
 *               is a zone code, a duplicate alias, an unknown kind, a zone
 *               that is not in the table;
 *   EST_ENOMEM, EST_EINVAL (zones NULL, opts->version not 1 or 2).
 * Free with est_zones_free.
 */
int est_zones_open(est_zones **zones, const est_zones_options *opts, est_error *err);

/* Frees the table. Accepts NULL. */
void est_zones_free(est_zones *zones);

/*
 * Looks a zone up by code, case-insensitively, and copies its row to *out.
 * A code that is not a zone's is looked up among the aliases ("FRA", "UK",
 * "US-CAL-CISO"): *out is then the zone it stands for (out->code is the
 * zone's own code), and out->given, provider_code, alias_kind and
 * alias_source say how code was read (see est_zone). est_zones_resolve
 * also gives the whole alias row.
 * EST_ENOTFOUND: err->message says 'unknown zone "XX"'. A refused alias is
 * EST_ENOTFOUND too: the message says why ('zone "US-MIDA-PJM" (Electricity
 * Maps) spans several ecoest zones: ...'). Either way err->value holds
 * code, for est_zones_suggest.
 * EST_EINVAL for NULL arguments.
 */
int est_zones_lookup(est_zone *out, const est_zones *zones, const char *code, est_error *err);

/*
 * The code a live provider is asked for zone: zone->provider_code, or
 * zone->code when provider_code is "" (a row built by hand). A lookup of
 * "US-CAL-CISO" gives code "US-EGRID-CAMX" (the annual figure's zone) and
 * provider code "US-CAL-CISO" (Electricity Maps' own zone); of "UK", "GB"
 * for both. "" for NULL.
 */
const char *est_zones_provider_code(const est_zone *zone);

/*
 * est_zones_lookup that also fills *alias (may be NULL) with the alias row
 * used, or clears it (alias->alias[0] == '\0') when code is a zone's own.
 */
int est_zones_resolve(est_zone *out, est_zone_alias *alias, const est_zones *zones,
                      const char *code, est_error *err);

/*
 * The codes to offer for a code est_zones_lookup refuses, best first, at
 * most EST_SUGGESTIONS_MAX, by the lookup's own rules:
 *   unknown code   the closest zone codes: a score of twice the edit
 *                  distance of the codes (case-insensitive), plus one when
 *                  the first letters differ; a code holding every '-'/'_'
 *                  part of code ("US-CAMX" in "US-EGRID-CAMX"), a code
 *                  starting with it (2 letters or more) or a zone name
 *                  holding it (3 letters or more) scores at most 2, a zone
 *                  name equal to it 0; scores above 5 (above the length of
 *                  code + 1 for codes longer than 3) are dropped; equal
 *                  scores keep code order;
 *   refused alias  the zones it names, in its zone column's order.
 * out->n is 0 when code resolves (a zone's code or a mapped alias), is ""
 * or nothing is close. Errors: EST_EINVAL for NULL arguments (out then
 * empty when not NULL); a code not found is no error.
 */
int est_zones_suggest(est_suggestions *out, const est_zones *zones, const char *code);

/* Number of alias rows, and the index-th in alias order (NULL when out of
 * range); the pointer stays valid until est_zones_free. */
size_t est_zones_alias_count(const est_zones *zones);
const est_zone_alias *est_zones_alias_at(const est_zones *zones, size_t index);

/*
 * The zones a listing query matches, best first, as indexes for
 * est_zones_at: first the zone whose code (or alias) is the query, then
 * codes that start with it or have a '-'-separated part that starts with it,
 * then names with a word that starts with it ("FR": FR, then French Guiana,
 * French Polynesia; never South Africa). Writes up to cap indexes to idx and
 * returns the number of matches (which may exceed cap). A NULL or empty
 * query matches every zone, in code order.
 */
size_t est_zones_search(size_t *idx, size_t cap, const est_zones *zones, const char *query);

/*
 * The water intensity (litres per kWh generated) to use for a zone: its own
 * water_l_per_kwh, else its country's (the code before the first '-':
 * "US-EGRID-CAMX" takes "US"). *l_per_kwh gets the value and from_code (may
 * be NULL, EST_ZONE_CODE_MAX bytes) the code of the zone it came from.
 * EST_ENODATA when neither has one (*l_per_kwh is then EST_UNSET);
 * EST_EINVAL for NULL arguments.
 */
int est_zones_water(double *l_per_kwh, char *from_code, const est_zones *zones,
                    const est_zone *zone);

/* Number of zones in the table (after overlays). */
size_t est_zones_count(const est_zones *zones);

/*
 * The index-th zone in code order (ASCII, case-insensitive), 0 <= index <
 * est_zones_count(). The pointer stays valid until est_zones_free; NULL when
 * index is out of range or zones is NULL.
 */
const est_zone *est_zones_at(const est_zones *zones, size_t index);

/*
 * Whether a zone matches a listing query (case-insensitive): the code, or a
 * '-'-separated part of it, starts with the query, or a word of the name
 * does ("camx" matches US-EGRID-CAMX, "fr" France but not South Africa). A
 * NULL or empty query matches all. Aliases are not seen here: use
 * est_zones_search.
 */
int est_zones_matches(const est_zone *zone, const char *query);

#ifdef __cplusplus
}
#endif

#endif
