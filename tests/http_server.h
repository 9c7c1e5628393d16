/* A small HTTP/1.1 server for tests: listens on 127.0.0.1 (ephemeral port)
 * in a thread, hands each request to a handler that writes the canned
 * answer, counts requests, and can hang or cut answers. Never the internet. */
#ifndef ECOEST_TEST_HTTP_SERVER_H
#define ECOEST_TEST_HTTP_SERVER_H

#include <stddef.h>

typedef struct ths_request {
    unsigned index;        /* 0-based number of this request */
    char method[16];
    char target[4096];     /* "/path?query" as sent */
    char path[2048];       /* the path, undecoded */
    char query[4096];      /* the query, %XX and '+' decoded */
    char headers[8192];    /* the raw header lines */
} ths_request;

typedef enum ths_action {
    THS_REPLY = 0,     /* send status, headers, body */
    THS_HANG = 1,      /* accept, read the request, never answer */
    THS_TRUNCATE = 2   /* send the first half of the body as if it were all */
} ths_action;

typedef struct ths_response {
    int status;                 /* default 200 */
    char headers[1024];         /* extra header lines, each ending "\r\n" */
    char *body;                 /* malloc'd by the handler; the server frees it */
    size_t body_len;
    ths_action action;
} ths_response;

typedef void (*ths_handler)(const ths_request *req, ths_response *resp, void *ud);

typedef struct ths_server ths_server;

/* Starts a server; fails the test on error. */
ths_server *ths_start(ths_handler handler, void *ud);
unsigned short ths_port(const ths_server *s);
/* "http://127.0.0.1:PORT" */
const char *ths_url(const ths_server *s);
/* Requests answered (or hung) so far. */
unsigned ths_count(ths_server *s);
/* Copies the header lines of the last request into buf. */
void ths_last_headers(ths_server *s, char *buf, size_t size);
/* Stops listening, closes every connection (hung ones too), joins. */
void ths_stop(ths_server *s);

/* A malloc'd printf, for bodies. */
char *ths_strdup_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
