/* Text checks for the rows of the data files. */
#include <string.h>

#include "text.h"

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 if malformed;
 * *cp gets its code point. */
static size_t utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
    size_t len, i;
    unsigned long c, min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xe0) == 0xc0) {
        len = 2;
        c = p[0] & 0x1fu;
        min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        len = 3;
        c = p[0] & 0x0fu;
        min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        len = 4;
        c = p[0] & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

const char *est__text_problem(const char *s, size_t len, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned long cp = 0;
        size_t k = utf8_seq(p + i, len - i, &cp);
        if (!k) {
            *at = i;
            return "invalid UTF-8";
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            *at = i;
            return "a control character";
        }
        i += k;
    }
    return NULL;
}

char *est__excerpt_text(char *buf, size_t size, const char *s, size_t n)
{
    size_t i = 0, len;
    est__excerpt(buf, size, s, n);
    len = strlen(buf);
    while (i < len) {
        unsigned long cp = 0;
        size_t k = utf8_seq((const unsigned char *)buf + i, len - i, &cp);
        if (!k || (cp >= 0x80 && cp <= 0x9f)) {
            buf[i++] = '?';
            continue;
        }
        i += k;
    }
    return buf;
}
