/* --tz: fixed offsets and IANA zones for zone-less sample times. */
#ifndef ECOEST_CLI_TZ_H
#define ECOEST_CLI_TZ_H

#include "ecoest/samples.h"

/*
 * Parses a --tz value: 0 for a fixed offset ("+01:00", "-0530", "+02",
 * "UTC", "Z", "GMT"; *offset_s = local minus UTC), 1 for a zone name that is
 * a TZif file under tzdir ("Europe/Paris"), -1 otherwise (a folder, a
 * table, "..", an absolute path, a name over 255 bytes). Reads 4 bytes of
 * that one file; no state.
 */
int cli_tz_parse(const char *tz, const char *tzdir, long *offset_s);

/*
 * Sets up --tz (NULL: nothing) in ro: a fixed offset, or, for a zone name
 * (under $TZDIR or /usr/share/zoneinfo), TZ set to it and ro's zone
 * callbacks. Returns 0, or -1 with a message printed (usage: 64).
 */
int cli_tz_setup(const char *tz, est_samples_read_options *ro);

/* Applies a zone name cli_tz_parse accepted (1): TZ set to it, once (the
   CLI owns the process), and the offsets remembered forgotten. Returns 0,
   or -1 with a message printed. */
int cli_tz_set_zone(const char *tz);

/* The offset (local minus UTC, s) in force at a Unix time under the zone
   cli_tz_set_zone set: est_jobs_agg_options.utc_offset_at (user unused). */
long cli_tz_offset_at_utc(void *user, double unix_s);

/* The offsets a zone-less local time may have under the zone cli_tz_setup
   set (est_samples_tz_offsets_fn): one, or two in the repeated hour. */
int cli_tz_offsets(double local_as_utc_s, long offsets_s[2], int *n);

#endif
