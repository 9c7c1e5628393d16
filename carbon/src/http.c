/* HTTP GET of JSON with a total time budget, bounded retries and backoff. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "carbon_internal.h"

#define BODY_MAX ECAR_BODY_MAX_DEFAULT
#define ATTEMPTS_MAX 4
#define RETRY_AFTER_MAX_S 10.0

double ecar_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    struct timespec ts;
    if (!(s > 0.0))
        return;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static int is_loopback_host(const char *h, size_t n)
{
    size_t i;
    if (n == 9 && est__strncasecmp_ascii(h, "localhost", 9) == 0)
        return 1;
    if (n == 5 && memcmp(h, "[::1]", 5) == 0)
        return 1;
    if (n > 4 && memcmp(h, "127.", 4) == 0) {
        int dots = 0;
        for (i = 4; i < n; i++) {
            if (h[i] == '.')
                dots++;
            else if (!est__is_digit_ascii((unsigned char)h[i]))
                return 0;
        }
        return dots == 2;
    }
    return 0;
}

int ecar_check_base_url(const char *url, const char *label, est_error *err)
{
    const char *auth, *end;
    size_t n;
    char ex[120];
    int https;
    if (!url || !*url)
        return est__fail(err, EST_EINVAL, "%s: empty base URL", label);
    https = strncmp(url, "https://", 8) == 0;
    if (!https && strncmp(url, "http://", 7) != 0)
        return est__fail(err, EST_EINVAL, "%s: the base URL must start with https://, got \"%s\"",
                         label, ecar_excerpt(ex, sizeof ex, url, strlen(url)));
    auth = url + (https ? 8 : 7);
    end = auth + strcspn(auth, "/?#");
    if (end == auth || memchr(auth, '@', (size_t)(end - auth)) || strpbrk(url, " \t\r\n"))
        return est__fail(err, EST_EINVAL, "%s: malformed base URL \"%s\"", label,
                         ecar_excerpt(ex, sizeof ex, url, strlen(url)));
    if (https)
        return EST_OK;
    /* host without the port */
    if (*auth == '[') {
        const char *rb = memchr(auth, ']', (size_t)(end - auth));
        n = rb ? (size_t)(rb - auth) + 1 : 0;
    } else {
        const char *colon = memchr(auth, ':', (size_t)(end - auth));
        n = colon ? (size_t)(colon - auth) : (size_t)(end - auth);
    }
    if (!is_loopback_host(auth, n))
        return est__fail(err, EST_EINVAL,
                         "%s: plain http is only allowed to a loopback address (127.0.0.0/8, "
                         "::1, localhost); use https: \"%s\"",
                         label, ecar_excerpt(ex, sizeof ex, url, strlen(url)));
    return EST_OK;
}

int ecar_url_escape(const char *s, char *buf, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (est__is_alnum_ascii(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            if (o + 1 >= size)
                return EST_ERANGE;
            buf[o++] = (char)c;
        } else {
            if (o + 3 >= size)
                return EST_ERANGE;
            buf[o++] = '%';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
    }
    if (o >= size)
        return EST_ERANGE;
    buf[o] = '\0';
    return EST_OK;
}

typedef struct body {
    char *data;
    size_t len, cap, max;
    int too_big;
} body;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    body *b = ud;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->max) {
        b->too_big = 1;
        return 0;
    }
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 16384;
        char *nd;
        while (nc < b->len + n + 1)
            nc *= 2;
        nd = realloc(b->data, nc);
        if (!nd)
            return 0;
        b->data = nd;
        b->cap = nc;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* The host (and port) of an absolute or relative redirect target, without
 * user info, path or query: never a token. */
static void location_host(const char *v, size_t n, char *buf, size_t size)
{
    size_t i = 0, o = 0, start, end;
    const char *at;
    while (i + 2 < n && v[i] != ':' && v[i] != '/')
        i++;
    if (i + 2 < n && v[i] == ':' && v[i + 1] == '/' && v[i + 2] == '/') {
        start = i + 3;
    } else {
        snprintf(buf, size, "the same host");
        return;
    }
    end = start;
    while (end < n && v[end] != '/' && v[end] != '?' && v[end] != '#')
        end++;
    at = memchr(v + start, '@', end - start);
    if (at)
        start = (size_t)(at - v) + 1;
    for (i = start; i < end && o + 1 < size; i++) {
        unsigned char c = (unsigned char)v[i];
        buf[o++] = (est__is_alnum_ascii(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')
                       ? (char)c : '?';
    }
    buf[o] = '\0';
    if (!o)
        snprintf(buf, size, "an unnamed host");
}

void ecar_http_header(const char *ptr, size_t n, ecar_head_info *hi)
{
    if (n > 12 && est__strncasecmp_ascii(ptr, "Retry-After:", 12) == 0) {
        char v[32];
        size_t i = 12, o = 0;
        double s;
        while (i < n && (ptr[i] == ' ' || ptr[i] == '\t'))
            i++;
        while (i < n && o + 1 < sizeof v && ptr[i] != '\r' && ptr[i] != '\n' && ptr[i] != ' ')
            v[o++] = ptr[i++];
        v[o] = '\0';
        /* seconds only; an HTTP date is ignored (backoff applies) */
        if (est_parse_double_str(&s, v) == EST_OK && s >= 0.0)
            hi->retry_after = s;
    } else if (n > 9 && est__strncasecmp_ascii(ptr, "Location:", 9) == 0) {
        size_t i = 9, e = n;
        while (i < n && (ptr[i] == ' ' || ptr[i] == '\t'))
            i++;
        while (e > i && (ptr[e - 1] == '\r' || ptr[e - 1] == '\n' || ptr[e - 1] == ' '))
            e--;
        location_host(ptr + i, e - i, hi->location_host, sizeof hi->location_host);
    }
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    size_t n = size * nmemb;
    ecar_http_header(ptr, n, ud);
    return n;
}

/* The URL without its query, for messages. */
static void url_for_msg(const char *url, char *buf, size_t size)
{
    size_t n = strcspn(url, "?");
    ecar_excerpt(buf, size, url, n);
}

void ecar_http_close(ecar_http *h)
{
    if (h && h->curl) {
        curl_easy_cleanup(h->curl);
        h->curl = NULL;
    }
}

/* A non-2xx body for a message: NUL bytes made visible (so that nothing
 * hides behind them), the token scrubbed from the whole body, then cut. */
static const char *body_excerpt(body *b, const char *secret, char *buf, size_t size)
{
    size_t i;
    if (!b->data)
        return ecar_excerpt(buf, size, "", 0);
    for (i = 0; i < b->len; i++)
        if (b->data[i] == '\0')
            b->data[i] = '?';
    ecar_scrub(b->data, b->len + 1, secret);
    return ecar_excerpt(buf, size, b->data, strlen(b->data));
}

int ecar_http_get_json(ecar_http *h, const char *url, cJSON **out, est_error *err)
{
    int attempt, rc = EST_ETIMEOUT;
    char where[160];
    *out = NULL;
    url_for_msg(url, where, sizeof where);
    for (attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
        CURL *c;
        struct curl_slist *hdrs = NULL;
        body b = {NULL, 0, 0, 0, 0};
        char cerr[CURL_ERROR_SIZE] = "";
        ecar_head_info hi = {-1.0, ""};
        double left = h->deadline_mono_s - ecar_mono_s(), wait;
        long status = 0, ct_ms, to_ms;
        CURLcode cc;
        int retry = 0;

        b.max = h->body_max ? h->body_max : BODY_MAX;
        if (left < 0.05) {
            if (attempt == 1)
                rc = est__fail(err, EST_ETIMEOUT, "%s: no time left in the %g s budget",
                               h->label, h->budget_s);
            break;
        }
        if (!h->curl && !(h->curl = curl_easy_init()))
            return est__fail(err, EST_ENOMEM, "%s: cannot create an HTTP handle", h->label);
        c = h->curl;
        to_ms = (long)ceil(left * 1000.0);
        ct_ms = (long)ceil((h->connect_timeout_s < left ? h->connect_timeout_s : left) * 1000.0);
        if (h->auth_header)
            hdrs = curl_slist_append(hdrs, h->auth_header);
        hdrs = curl_slist_append(hdrs, "Accept: application/json");
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, strncmp(url, "https://", 8) == 0 ? "https"
                                                                                    : "http");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to_ms);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ct_ms);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &hi);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
        cc = curl_easy_perform(c);
        h->n_requests++;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        /* the handle lives on (its connection is reused): no dangling
           pointers to this attempt's locals */
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, NULL);
        curl_slist_free_all(hdrs);

        if (cc == CURLE_WRITE_ERROR && b.too_big) {
            rc = est__fail(err, EST_EPARSE, "%s: answer from %s larger than %zu bytes", h->label,
                           where, b.max);
        } else if (cc == CURLE_OPERATION_TIMEDOUT) {
            rc = est__fail(err, EST_ETIMEOUT, "%s: no answer from %s in time (budget %g s)",
                           h->label, where, h->budget_s);
            retry = 1;
        } else if (cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_PEER_FAILED_VERIFICATION ||
                   cc == CURLE_SSL_CERTPROBLEM || cc == CURLE_SSL_CACERT_BADFILE) {
            rc = est__fail(err, EST_ENET, "%s: TLS failure with %s: %s", h->label, where,
                           cerr[0] ? cerr : curl_easy_strerror(cc));
        } else if (cc != CURLE_OK) {
            rc = est__fail(err, EST_ENET, "%s: cannot get %s: %s", h->label, where,
                           cerr[0] ? cerr : curl_easy_strerror(cc));
            retry = cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
                    cc == CURLE_GOT_NOTHING || cc == CURLE_RECV_ERROR ||
                    cc == CURLE_SEND_ERROR || cc == CURLE_PARTIAL_FILE;
        } else if (status == 401 || status == 403) {
            rc = est__fail(err, EST_EAUTH, "%s: the token was rejected (HTTP %ld from %s)%s",
                           h->label, status, where,
                           h->auth_header ? "" : "; no token was sent");
        } else if (status == 429) {
            if (hi.retry_after > RETRY_AFTER_MAX_S) {
                rc = est__fail(err, EST_EHTTP,
                               "%s: rate limited (HTTP 429 from %s), asked to retry after %g s",
                               h->label, where, hi.retry_after);
            } else {
                rc = est__fail(err, EST_EHTTP, "%s: rate limited (HTTP 429 from %s)", h->label,
                               where);
                retry = 1;
            }
        } else if (status >= 500 && status <= 599) {
            rc = est__fail(err, EST_EHTTP, "%s: server error (HTTP %ld from %s)", h->label,
                           status, where);
            retry = 1;
        } else if (status == 301 || status == 302 || status == 303 || status == 307 ||
                   status == 308) {
            rc = est__fail(err, EST_EHTTP,
                           "%s: HTTP %ld from %s redirects to %s; redirects are not followed "
                           "(set the base URL to the final address)",
                           h->label, status, where,
                           hi.location_host[0] ? hi.location_host : "no Location given");
        } else if (status < 200 || status > 299) {
            char ex[121];
            body_excerpt(&b, h->secret, ex, sizeof ex);
            rc = est__fail(err, EST_EHTTP, "%s: unexpected HTTP %ld from %s%s%s", h->label,
                           status, where, ex[0] ? ": " : " (empty answer)", ex);
        } else {
            const char *end = NULL;
            cJSON *j = b.data ? cJSON_ParseWithLengthOpts(b.data, b.len, &end, 0) : NULL;
            if (!j) {
                size_t at = end && b.data ? (size_t)(end - b.data) : 0;
                rc = est__fail(err, EST_EPARSE,
                               "%s: malformed JSON from %s (at byte %zu of %zu%s)", h->label,
                               where, at, b.len, at + 1 >= b.len ? ": truncated?" : "");
            } else {
                *out = j;
                rc = EST_OK;
            }
        }
        free(b.data);
        if (err)
            ecar_scrub(err->message, sizeof err->message, h->secret);
        if (rc == EST_OK || !retry || attempt == ATTEMPTS_MAX)
            break;
        wait = 0.5 * (double)(1u << (attempt - 1));
        if (hi.retry_after >= 0.0)
            wait = hi.retry_after;
        if (ecar_mono_s() + wait >= h->deadline_mono_s - 0.05)
            break; /* no time for another try: report the last failure */
        sleep_s(wait);
    }
    return rc;
}
