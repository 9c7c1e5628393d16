/* A small RFC 4180 reader working in place on a file held in memory: one
 * pass, no allocation. Fields may be quoted ("a, b", "say ""hi"""); records
 * end with LF, CRLF or CR; blank lines are skipped; a UTF-8 byte order mark
 * at the start is skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

void est__csv_init(est__csv *c, char *buf, size_t size)
{
    buf[size] = '\0';
    c->p = buf;
    c->end = buf + size;
    c->line = 1;
    if (size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
}

/* Byte classes: 0 plain, 1 ends an unquoted field (, LF CR "), 2 control. */
static const unsigned char byte_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 1, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static int csv_fail(est__csv *c, const char **what, unsigned long *err_line, const char *msg,
                    unsigned long line)
{
    if (what)
        *what = msg;
    if (err_line)
        *err_line = line;
    c->p = c->end;
    return -1;
}

int est__csv_next(est__csv *c, est__csv_record *rec, const char **what,
                  unsigned long *err_line)
{
    char *p = c->p, *end = c->end;
    for (;;) { /* blank lines */
        if (p >= end) {
            c->p = end;
            return 0;
        }
        if (*p == '\n') {
            c->line++;
            p++;
        } else if (*p == '\r') {
            p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
            c->line++;
        } else {
            break;
        }
    }
    rec->line = c->line;
    rec->n = 0;
    rec->ctrl = 0;
    for (;;) {
        char *start = p, *w, term;
        size_t idx = rec->n++;
        if (p < end && *p == '"') {
            unsigned long qline = c->line;
            w = start;
            p++;
            for (;;) {
                char *q;
                if (p >= end)
                    return csv_fail(c, what, err_line, "unterminated quoted field", qline);
                /* copy the run up to the next quote or control byte at once */
                for (q = p; q < end && byte_class[(unsigned char)*q] == 0; q++)
                    ;
                if (q > p) {
                    memmove(w, p, (size_t)(q - p));
                    w += q - p;
                    p = q;
                    continue;
                }
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n' || (*p == '\r' && !(p + 1 < end && p[1] == '\n')))
                    c->line++;
                rec->ctrl |= byte_class[(unsigned char)*p] == 2 || *p == '\n' || *p == '\r';
                *w++ = *p++;
            }
            if (p < end && *p != ',' && *p != '\n' && *p != '\r')
                return csv_fail(c, what, err_line,
                                "text after the closing quote of a field", c->line);
        } else {
            for (;;) {
                /* plain bytes first, in a tight loop (a store to rec here
                   would be redone each byte: p may alias it) */
                while (p < end && byte_class[(unsigned char)*p] == 0)
                    p++;
                if (p >= end)
                    break;
                if (byte_class[(unsigned char)*p] == 2) {
                    rec->ctrl = 1;
                    p++;
                    continue;
                }
                if (*p != '"')
                    break;
                return csv_fail(c, what, err_line,
                                "a quote inside a field that does not start with a "
                                "quote (quote the whole field and double the quote)",
                                c->line);
            }
            w = p;
        }
        term = p < end ? *p : '\0';
        *w = '\0';
        if (idx < EST__CSV_FIELDS_MAX) {
            rec->field[idx] = start;
            rec->len[idx] = (size_t)(w - start);
        }
        if (term == ',') {
            p++;
            continue;
        }
        if (term == '\r') {
            p++;
            if (p < end && *p == '\n')
                p++;
            c->line++;
        } else if (term == '\n') {
            p++;
            c->line++;
        }
        break;
    }
    c->p = p;
    return 1;
}

int est__csv_table(const char *path, size_t max_bytes, const char *const *cols, size_t ncols,
                   est__csv_row_fn row, void *user, est_error *err)
{
    char *data = NULL, header[512];
    size_t len = 0, i, o = 0;
    est__csv csv;
    est__csv_record rec;
    const char *what = NULL;
    unsigned long bad_line = 0;
    int rc, got;
    rc = est__read_file(path, max_bytes, &data, &len, err);
    if (rc)
        return rc == EST_ERANGE ? EST_EPARSE : rc;
    est__csv_init(&csv, data, len);
    got = est__csv_next(&csv, &rec, &what, &bad_line);
    for (i = 0; got == 1 && i < ncols && i < rec.n; i++)
        if (strcmp(rec.field[i], cols[i]) != 0)
            break;
    if (got != 1 || rec.n != ncols || i != ncols) {
        header[0] = '\0';
        for (i = 0; i < ncols && o < sizeof header; i++)
            o += (size_t)snprintf(header + o, sizeof header - o, "%s%s", i ? "," : "", cols[i]);
        rc = est__fail_at(err, EST_EPARSE, path, got == 1 ? rec.line : 1, 0, NULL,
                          "expected the header %s", header);
        goto out;
    }
    while ((got = est__csv_next(&csv, &rec, &what, &bad_line)) != 0) {
        if (got < 0) {
            rc = est__fail_at(err, EST_EPARSE, path, bad_line, 0, NULL, "%s", what);
            goto out;
        }
        if (rec.n != ncols) {
            rc = est__fail_at(err, EST_EPARSE, path, rec.line, 0, NULL,
                              "expected %zu fields, got %zu", ncols, rec.n);
            goto out;
        }
        if ((rc = row(user, &rec, path, err)) != 0)
            goto out;
    }
    rc = EST_OK;
out:
    free(data);
    return rc;
}
