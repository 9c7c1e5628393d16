/* --tz: the zone of zone-less times in sample logs. The CLI owns the
 * process: an IANA zone is applied by setting TZ once (the library keeps no
 * zone state) and asking localtime_r for each local time's offset. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tz.h"

/* "+01:00", "-0530", "+02", "UTC", "Z": a fixed offset. Returns 0 or -1. */
static int fixed_offset(const char *s, long *out)
{
    long h = 0, m = 0;
    size_t n = strlen(s);
    if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 || strcmp(s, "GMT") == 0) {
        *out = 0;
        return 0;
    }
    if (n < 3 || (s[0] != '+' && s[0] != '-'))
        return -1;
    if (n == 3 && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9')
        h = (s[1] - '0') * 10 + (s[2] - '0');
    else if (n == 5 && sscanf(s + 1, "%2ld%2ld", &h, &m) == 2 && strspn(s + 1, "0123456789") == 4)
        ;
    else if (n == 6 && s[3] == ':' && strspn(s + 1, "0123456789") == 2 &&
             strspn(s + 4, "0123456789") == 2)
        h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
    else
        return -1;
    if (h > 23 || m > 59)
        return -1;
    *out = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
    return 0;
}

typedef struct tz_cache {
    long bucket; /* local time / 900 */
    long offset;
    int valid;
    long m_bucket; /* the same for iana_offsets */
    long m_offs[2];
    int m_n, m_valid;
    long u_quarter; /* UTC time / 900, for cli_tz_offset_at_utc */
    long u_offset;
    int u_valid;
} tz_cache;

static long offset_at(time_t utc)
{
    struct tm tm;
    if (!localtime_r(&utc, &tm))
        return 0;
    return tm.tm_gmtoff;
}

/* The CLI owns the process: TZ is set once to the named zone, and each
   local time's offset found with localtime_r (cached per 15 minutes). */
static int iana_offset(void *user, double local, long *offset_s)
{
    tz_cache *c = user;
    long bucket = (long)floor(local / 900.0);
    time_t u0;
    long o0, o1;
    if (c->valid && c->bucket == bucket) {
        *offset_s = c->offset;
        return 0;
    }
    o0 = offset_at((time_t)local);
    u0 = (time_t)(local - (double)o0);
    o1 = offset_at(u0);
    if (o1 != o0)
        o1 = offset_at((time_t)(local - (double)o1));
    c->bucket = bucket;
    c->offset = o1;
    c->valid = 1;
    *offset_s = o1;
    return 0;
}

/* Every offset a local time may have (est_samples_tz_offsets_fn): each offset in
   effect within a day of it that maps it back to itself. Two in the hour
   repeated when clocks go back; none in the hour skipped when they go
   forward (then the one iana_offset picks, as before). */
static int iana_offsets(void *user, double local, long offs[2], int *n)
{
    tz_cache *c = user;
    long cand[3], bucket = (long)floor(local / 900.0);
    int i, j;
    if (c->m_valid && c->m_bucket == bucket) {
        *n = c->m_n;
        offs[0] = c->m_offs[0];
        offs[1] = c->m_offs[1];
        return 0;
    }
    cand[0] = offset_at((time_t)(local - 86400.0));
    cand[1] = offset_at((time_t)local);
    cand[2] = offset_at((time_t)(local + 86400.0));
    *n = 0;
    for (i = 0; i < 3 && *n < 2; i++) {
        int seen = 0;
        for (j = 0; j < *n; j++)
            seen |= offs[j] == cand[i];
        if (!seen && offset_at((time_t)(local - (double)cand[i])) == cand[i])
            offs[(*n)++] = cand[i];
    }
    if (*n == 0) {
        *n = 1;
        return iana_offset(user, local, &offs[0]);
    }
    c->m_bucket = bucket;
    c->m_n = *n;
    c->m_offs[0] = offs[0];
    c->m_offs[1] = *n > 1 ? offs[1] : offs[0];
    c->m_valid = 1;
    return 0;
}

static tz_cache the_tz_cache; /* CLI state, not the library's */

/* 1 when path is a regular file that starts with the TZif magic. */
static int is_tzif(const char *path)
{
    char magic[4];
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), ok = 0;
    if (fd < 0)
        return 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4)
        ok = memcmp(magic, "TZif", 4) == 0;
    close(fd);
    return ok;
}

int cli_tz_parse(const char *tz, const char *tzdir, long *offset_s)
{
    char path[4200];
    if (!tz)
        return -1;
    if (fixed_offset(tz, offset_s) == 0)
        return 0;
    /* a real zone is a TZif file: "Europe", "Europe/" (folders) and
       "zone.tab" (a table) are not, and glibc would take them silently as
       UTC (issue 14 #6) */
    if (!*tz || strstr(tz, "..") || tz[0] == '/' || strlen(tz) > 255)
        return -1;
    snprintf(path, sizeof path, "%s/%s", tzdir, tz);
    return is_tzif(path) ? 1 : -1;
}

int cli_tz_offsets(double local_as_utc_s, long offsets_s[2], int *n)
{
    return iana_offsets(&the_tz_cache, local_as_utc_s, offsets_s, n);
}

int cli_tz_set_zone(const char *tz)
{
    if (setenv("TZ", tz, 1) != 0) {
        cli_msg("--tz: cannot set the zone");
        return -1;
    }
    tzset();
    memset(&the_tz_cache, 0, sizeof the_tz_cache);
    return 0;
}

/* Offsets change on whole quarter-hours: the last quarter hour asked is
   remembered. */
long cli_tz_offset_at_utc(void *user, double unix_s)
{
    tz_cache *c = &the_tz_cache;
    long q = (long)floor(unix_s / 900.0);
    (void)user;
    if (c->u_valid && q == c->u_quarter)
        return c->u_offset;
    c->u_quarter = q;
    c->u_offset = offset_at((time_t)q * 900);
    c->u_valid = 1;
    return c->u_offset;
}

int cli_tz_setup(const char *tz, est_samples_read_options *ro)
{
    long off;
    const char *dir = getenv("TZDIR");
    int kind;
    if (!tz)
        return 0;
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    kind = cli_tz_parse(tz, dir, &off);
    if (kind == 0) {
        ro->has_tz = 1;
        ro->tz_offset_s = off;
        return 0;
    }
    if (kind < 0) {
        cli_msg("--tz: expected an offset like +01:00, UTC, or a zone name like "
                "Europe/Paris (a TZif file under %s), got \"%s\"", dir, tz);
        return -1;
    }
    if (cli_tz_set_zone(tz) != 0)
        return -1;
    ro->tz_fn = iana_offset;
    ro->tz_offsets_fn = iana_offsets;
    ro->tz_user = &the_tz_cache;
    return 0;
}
