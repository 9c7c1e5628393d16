/* The tests' HTTP server (see http_server.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_util.h"
#include "http_server.h"

#define HUNG_MAX 64

struct ths_server {
    int fd;
    unsigned short port;
    char url[64];
    pthread_t thread;
    pthread_mutex_t mu;
    int stop;
    unsigned count;
    char last_headers[8192];
    int hung[HUNG_MAX];
    size_t n_hung;
    ths_handler handler;
    void *ud;
};

char *ths_strdup_printf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    p = malloc((size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

static void url_decode(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (; *in && o + 1 < size; in++) {
        if (*in == '%' && in[1] && in[2]) {
            char h[3] = {in[1], in[2], 0};
            out[o++] = (char)strtol(h, NULL, 16);
            in += 2;
        } else {
            out[o++] = *in == '+' ? ' ' : *in;
        }
    }
    out[o] = '\0';
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

static void serve(ths_server *s, int fd)
{
    char buf[16384];
    size_t n = 0;
    char *eoh = NULL;
    ths_request *req;
    ths_response resp;
    char head[2048];
    int keep = 0;
    /* read the head, 2 s at most */
    while (n + 1 < sizeof buf) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t r;
        if (poll(&p, 1, 2000) <= 0)
            break;
        r = recv(fd, buf + n, sizeof buf - n - 1, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        buf[n] = '\0';
        if ((eoh = strstr(buf, "\r\n\r\n")) != NULL)
            break;
    }
    if (!eoh) {
        close(fd);
        return;
    }
    req = calloc(1, sizeof *req);
    if (!req) {
        close(fd);
        return;
    }
    {
        char *sp1 = strchr(buf, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL, *q, *hl;
        if (sp1 && sp2) {
            snprintf(req->method, sizeof req->method, "%.*s", (int)(sp1 - buf), buf);
            snprintf(req->target, sizeof req->target, "%.*s", (int)(sp2 - sp1 - 1), sp1 + 1);
        }
        q = strchr(req->target, '?');
        snprintf(req->path, sizeof req->path, "%.*s",
                 (int)(q ? (size_t)(q - req->target) : strlen(req->target)), req->target);
        if (q)
            url_decode(q + 1, req->query, sizeof req->query);
        hl = strstr(buf, "\r\n");
        if (hl)
            snprintf(req->headers, sizeof req->headers, "%.*s", (int)(eoh - hl - 2), hl + 2);
    }
    pthread_mutex_lock(&s->mu);
    req->index = s->count++;
    snprintf(s->last_headers, sizeof s->last_headers, "%s", req->headers);
    pthread_mutex_unlock(&s->mu);

    memset(&resp, 0, sizeof resp);
    resp.status = 200;
    s->handler(req, &resp, s->ud);
    free(req);
    if (resp.action == THS_HANG) {
        pthread_mutex_lock(&s->mu);
        if (s->n_hung < HUNG_MAX) {
            s->hung[s->n_hung++] = fd;
            keep = 1;
        }
        pthread_mutex_unlock(&s->mu);
        free(resp.body);
        if (!keep)
            close(fd);
        return;
    }
    snprintf(head, sizeof head,
             "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n%s\r\n",
             resp.status, reason(resp.status),
             resp.action == THS_TRUNCATE ? resp.body_len / 2 : resp.body_len, resp.headers);
    send_all(fd, head, strlen(head));
    if (resp.body)
        send_all(fd, resp.body, resp.action == THS_TRUNCATE ? resp.body_len / 2 : resp.body_len);
    free(resp.body);
    shutdown(fd, SHUT_WR);
    close(fd);
}

static void *loop(void *arg)
{
    ths_server *s = arg;
    for (;;) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int stop, fd;
        pthread_mutex_lock(&s->mu);
        stop = s->stop;
        pthread_mutex_unlock(&s->mu);
        if (stop)
            break;
        if (poll(&p, 1, 50) <= 0)
            continue;
        fd = accept(s->fd, NULL, NULL);
        if (fd >= 0)
            serve(s, fd);
    }
    return NULL;
}

ths_server *ths_start(ths_handler handler, void *ud)
{
    ths_server *s = calloc(1, sizeof *s);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int one = 1;
    assert_non_null(s);
    s->handler = handler;
    s->ud = ud;
    pthread_mutex_init(&s->mu, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->fd, 16), 0);
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
    s->port = ntohs(a.sin_port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)s->port);
    assert_int_equal(pthread_create(&s->thread, NULL, loop, s), 0);
    return s;
}

unsigned short ths_port(const ths_server *s) { return s->port; }
const char *ths_url(const ths_server *s) { return s->url; }

unsigned ths_count(ths_server *s)
{
    unsigned n;
    pthread_mutex_lock(&s->mu);
    n = s->count;
    pthread_mutex_unlock(&s->mu);
    return n;
}

void ths_last_headers(ths_server *s, char *buf, size_t size)
{
    pthread_mutex_lock(&s->mu);
    snprintf(buf, size, "%s", s->last_headers);
    pthread_mutex_unlock(&s->mu);
}

void ths_stop(ths_server *s)
{
    size_t i;
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    close(s->fd);
    for (i = 0; i < s->n_hung; i++)
        close(s->hung[i]);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
