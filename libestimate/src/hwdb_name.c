/* Hardware names as lists of words: normalisation, containment, distance.
 * See the rules at the top of ecoest/hwdb.h. Locale-independent: only ASCII
 * letters and digits make words; every other byte separates them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hwdb_internal.h"

#define RAW_MAX 64        /* raw words before filtering */
#define WORDS_BYTES 512   /* all words of one name */


typedef struct words {
    size_t n;
    size_t off[RAW_MAX];
    size_t len[RAW_MAX];
    unsigned char mark[RAW_MAX]; /* raw words: "(R)", "(TM)" */
    char s[WORDS_BYTES];
    size_t used;
    int overflow;
} words;

static void w_begin(words *w)
{
    if (w->n >= RAW_MAX) {
        w->overflow = 1;
        return;
    }
    w->off[w->n] = w->used;
    w->len[w->n] = 0;
    w->mark[w->n] = 0;
    w->n++;
}

static void w_putc(words *w, char c)
{
    if (w->overflow)
        return;
    if (w->used + 1 >= WORDS_BYTES) {
        w->overflow = 1;
        return;
    }
    w->s[w->used++] = c;
    w->len[w->n - 1]++;
}

static void w_end(words *w)
{
    if (w->overflow)
        return;
    if (w->used + 1 >= WORDS_BYTES) {
        w->overflow = 1;
        return;
    }
    w->s[w->used++] = '\0';
}

static const char *w_get(const words *w, size_t i) { return w->s + w->off[i]; }

/* "2.30GHz", "2.3 GHz", "800MHz" at s: returns its length, else 0. */
static size_t frequency_len(const char *s)
{
    size_t i = 0;
    while (est__is_digit_ascii(s[i]))
        i++;
    if (s[i] == '.' && est__is_digit_ascii(s[i + 1])) {
        i++;
        while (est__is_digit_ascii(s[i]))
            i++;
    }
    while (s[i] == ' ')
        i++;
    if (((char)est__to_lower_ascii(s[i]) == 'g' || (char)est__to_lower_ascii(s[i]) == 'm') && (char)est__to_lower_ascii(s[i + 1]) == 'h' &&
        (char)est__to_lower_ascii(s[i + 2]) == 'z' && !est__is_alnum_ascii(s[i + 3]))
        return i + 3;
    return 0;
}

/* Is s[start..end) "r" or "tm" (any case) written as a mark: "(R)", "(TM)"? */
static int is_mark(const char *s, size_t start, size_t end)
{
    size_t n = end - start;
    if (start == 0 || s[start - 1] != '(' || s[end] != ')')
        return 0;
    return (n == 1 && (char)est__to_lower_ascii(s[start]) == 'r') ||
           (n == 2 && (char)est__to_lower_ascii(s[start]) == 't' && (char)est__to_lower_ascii(s[start + 1]) == 'm');
}

/* Splits s (up to '@') into lower-case words; '+' sticks to the word before. */
static void split_raw(const char *s, words *w)
{
    size_t i = 0;
    w->n = w->used = 0;
    w->overflow = 0;
    while (s[i] && s[i] != '@' && !w->overflow) {
        char c = s[i];
        if (est__is_alnum_ascii(c)) {
            size_t f = est__is_digit_ascii(c) ? frequency_len(s + i) : 0, start = i;
            if (f) {
                i += f;
                continue;
            }
            if ((c == 'w' || c == 'W') && s[i + 1] == '/' && w->n > 0)
                break; /* "w/ Radeon 880M": AMD's short "with", dropped with the rest */
            w_begin(w);
            while (est__is_alnum_ascii(s[i]))
                w_putc(w, (char)est__to_lower_ascii(s[i++]));
            w_end(w);
            if (!w->overflow)
                w->mark[w->n - 1] = (unsigned char)is_mark(s, start, i);
        } else if (c == '+' && w->n > 0 && !w->overflow) {
            /* append to the previous word: "8480+", "8480 +" */
            size_t last = w->n - 1;
            if (w->off[last] + w->len[last] + 1 == w->used && w->len[last] > 0 &&
                w->s[w->off[last] + w->len[last] - 1] != '+') {
                w->used--; /* drop the NUL, add '+', end again */
                w_putc(w, '+');
                w_end(w);
            }
            i++;
        } else {
            i++;
        }
    }
}

/* Is the word (length n) one of list? Lists are short; compare lengths first. */
static int in_list(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if ((*list)[0] == s[0] && strlen(*list) == n && memcmp(s, *list, n) == 0)
            return 1;
    return 0;
}

static const char *const noise_words[] = {
    "intel", "amd", "nvidia", "tesla", "apple", "google", "qualcomm", "ampere",
    "aws", "cpu", "processor", "apu", NULL};
static const char *const core_words[] = {"core", "cores", NULL};
static const char *const count_words[] = {
    "single", "dual", "triple", "quad", "six", "eight", "ten", "twelve",
    "sixteen", NULL};
static const char *const size_units[] = {"gb", "tb", "mb", NULL};

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!est__is_digit_ascii(*s))
            return 0;
    return 1;
}

/* "12th", "1st", "2nd", "3rd" */
static int is_ordinal(const char *s)
{
    size_t n = strlen(s), i;
    const char *suf;
    if (n < 3)
        return 0;
    for (i = 0; i + 2 < n; i++)
        if (!est__is_digit_ascii(s[i]))
            return 0;
    suf = s + n - 2;
    return strcmp(suf, "th") == 0 || strcmp(suf, "st") == 0 || strcmp(suf, "nd") == 0 ||
           strcmp(suf, "rd") == 0;
}

/* Intel's placeholder: the last word "0" after "E5-2670" ("Intel(R) Xeon(R)
   CPU E5-2670 0 @ 2.60GHz", the first E5/E7 generation). */
static int is_intel_zero(const words *raw, size_t k)
{
    const char *num, *fam;
    if (k + 1 != raw->n || k < 2 || raw->len[k] != 1 || w_get(raw, k)[0] != '0')
        return 0;
    num = w_get(raw, k - 1);
    fam = w_get(raw, k - 2);
    return raw->len[k - 1] == 4 && all_digits(num) && raw->len[k - 2] == 2 && fam[0] == 'e' &&
           est__is_digit_ascii(fam[1]);
}

/* Removes the words before AMD's "N Compute Cores": the count N, then a
   graphics name "Radeon R7" / "R7" (never a model number). */
static void drop_apu_tail(words *out)
{
    int step;
    for (step = 0; step < 3 && out->n > 0; step++) {
        size_t last = out->n - 1, n = out->len[last];
        const char *t = w_get(out, last);
        int count = step == 0 && all_digits(t);
        int gpu = step > 0 && ((n == 2 && t[0] == 'r' && est__is_digit_ascii(t[1])) ||
                               (n == 6 && memcmp(t, "radeon", 6) == 0));
        if (!count && !gpu) {
            if (step == 0)
                continue; /* no count: look for the graphics name */
            break;
        }
        out->used = out->off[last];
        out->n--;
    }
}

/* Filters raw words into out (the noise rules of hwdb.h). */
static void filter(const words *raw, words *out)
{
    size_t k, prev_raw = SIZE_MAX; /* raw word that ended the last output word */
    out->n = out->used = 0;
    out->overflow = raw->overflow;
    for (k = 0; k < raw->n && !out->overflow; k++) {
        const char *t = w_get(raw, k);
        size_t tn = raw->len[k], nn = k + 1 < raw->n ? raw->len[k + 1] : 0;
        const char *next = k + 1 < raw->n ? w_get(raw, k + 1) : "";
        const char *p;
        if (tn == 4 && memcmp(t, "with", 4) == 0)
            break; /* "with Radeon Graphics" */
        if (tn == 7 && memcmp(t, "compute", 7) == 0 && nn && in_list(next, nn, core_words)) {
            /* AMD APUs: "A10-7850K Radeon R7, 12 Compute Cores 4C+8G": the
               graphics and the core count go, with the rest */
            drop_apu_tail(out);
            break;
        }
        if (raw->mark[k] || in_list(t, tn, noise_words) || is_intel_zero(raw, k))
            continue;
        if (tn == 1 && est__is_alpha_ascii(t[0]) && out->n > 0 && prev_raw + 1 == k) {
            /* a lone letter after a model number is its suffix: "6248 R",
               "6248-R" -> "6248r" */
            size_t last = out->n - 1;
            char end = out->s[out->off[last] + out->len[last] - 1];
            if (est__is_digit_ascii(end)) {
                out->used--; /* drop the NUL, add the letter, end again */
                w_putc(out, t[0]);
                w_end(out);
                prev_raw = k;
                continue;
            }
        }
        if (nn == 3 && memcmp(next, "gen", 3) == 0 && is_ordinal(t)) {
            k++;
            continue;
        }
        if (nn && in_list(next, nn, core_words) && (all_digits(t) || in_list(t, tn, count_words))) {
            k++;
            continue;
        }
        w_begin(out);
        for (p = t; *p; p++)
            w_putc(out, *p);
        if (nn == 2 && in_list(next, nn, size_units) && all_digits(t)) {
            for (p = next; *p; p++)
                w_putc(out, *p);
            k++;
        }
        w_end(out);
        prev_raw = k;
    }
}

/* Joins list[0..n) with spaces into buf. Returns 0 or -1 (too small). */
static int join(const char *const *list, size_t n, char *buf, size_t size)
{
    size_t i, o = 0;
    for (i = 0; i < n; i++) {
        size_t len = strlen(list[i]);
        if (o + len + (i ? 1 : 0) + 1 > size) {
            buf[0] = '\0';
            return -1;
        }
        if (i)
            buf[o++] = ' ';
        memcpy(buf + o, list[i], len);
        o += len;
    }
    buf[o] = '\0';
    return 0;
}

int est__hw_words2(const char *name, char *ordered, char *sorted, size_t size)
{
    words raw, w;
    const char *list[RAW_MAX] = {NULL};
    size_t i, j;
    if (ordered && size)
        ordered[0] = '\0';
    if (sorted && size)
        sorted[0] = '\0';
    if (!name || !size || (!ordered && !sorted))
        return EST_EINVAL;
    split_raw(name, &raw);
    filter(&raw, &w);
    if (w.overflow || w.n > EST__HW_WORDS_MAX)
        return EST_ERANGE;
    for (i = 0; i < w.n; i++)
        list[i] = w_get(&w, i);
    if (ordered && join(list, w.n, ordered, size))
        return EST_ERANGE;
    if (sorted) {
        for (i = 1; i < w.n; i++) { /* insertion sort: a handful of words */
            const char *x = list[i];
            for (j = i; j > 0 && strcmp(list[j - 1], x) > 0; j--)
                list[j] = list[j - 1];
            list[j] = x;
        }
        if (join(list, w.n, sorted, size)) {
            if (ordered)
                ordered[0] = '\0';
            return EST_ERANGE;
        }
    }
    return (int)w.n;
}

int est__hw_words(const char *name, int want_sorted, char *buf, size_t size)
{
    if (!buf)
        return EST_EINVAL;
    return want_sorted ? est__hw_words2(name, NULL, buf, size)
                       : est__hw_words2(name, buf, NULL, size);
}

int est_hwdb_normalize(char *buf, size_t size, const char *name)
{
    return est__hw_words(name, 0, buf, size);
}

int est_hwdb_name_key(char *buf, size_t size, const char *name)
{
    return est__hw_words(name, 1, buf, size);
}

/* Word boundaries of a space-separated list. */
typedef struct span {
    const char *s;
    size_t n;
} span;

static size_t spans(const char *s, span *out, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        const char *e = strchr(s, ' ');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        out[n].s = s;
        out[n].n = len;
        n++;
        if (!e)
            break;
        s = e + 1;
    }
    return n;
}

/* Is q (len qn) a word of m, or neighbouring words of m written together? */
static int word_in(const char *q, size_t qn, const span *m, size_t mn)
{
    size_t i;
    for (i = 0; i < mn; i++) {
        size_t j = i, done = 0;
        while (j < mn && done + m[j].n <= qn && memcmp(q + done, m[j].s, m[j].n) == 0) {
            done += m[j].n;
            j++;
            if (done == qn)
                return 1;
        }
    }
    return 0;
}

int est__hw_contains(const char *q, const char *m)
{
    span qs[EST__HW_WORDS_MAX], ms[EST__HW_WORDS_MAX];
    size_t qn = spans(q, qs, EST__HW_WORDS_MAX), mn = spans(m, ms, EST__HW_WORDS_MAX), i;
    for (i = 0; i < qn; i++)
        if (!word_in(qs[i].s, qs[i].n, ms, mn))
            return 0;
    return 1;
}

size_t est__hw_extra_words(const char *q, const char *m)
{
    span qs[EST__HW_WORDS_MAX], ms[EST__HW_WORDS_MAX];
    size_t qn = spans(q, qs, EST__HW_WORDS_MAX), mn = spans(m, ms, EST__HW_WORDS_MAX), i, j,
           extra = 0;
    for (i = 0; i < mn; i++) {
        int found = 0;
        for (j = 0; j < qn && !found; j++)
            found = qs[j].n == ms[i].n && memcmp(qs[j].s, ms[i].s, ms[i].n) == 0;
        extra += !found;
    }
    return extra;
}

#define DIST_MAX 96

static size_t squash(const char *s, char *out)
{
    size_t n = 0;
    for (; *s && n < DIST_MAX; s++)
        if (*s != ' ')
            out[n++] = *s;
    return n;
}

unsigned est__hw_distance(const char *q, const char *m)
{
    char a[DIST_MAX], b[DIST_MAX];
    unsigned row[DIST_MAX + 1], best;
    size_t an = squash(q, a), bn = squash(m, b), i, j;
    /* Semi-global alignment: the whole of a against any substring of b.
       row[j]: cost of a[0..i) ending at b[j]; row 0 is free everywhere. */
    for (j = 0; j <= bn; j++)
        row[j] = 0;
    for (i = 1; i <= an; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (j = 1; j <= bn; j++) {
            unsigned up = row[j], cost = diag + (a[i - 1] == b[j - 1] ? 0u : 1u);
            if (up + 1 < cost)
                cost = up + 1;
            if (row[j - 1] + 1 < cost)
                cost = row[j - 1] + 1;
            diag = up;
            row[j] = cost;
        }
    }
    best = row[0];
    for (j = 1; j <= bn; j++)
        if (row[j] < best)
            best = row[j];
    /* Weigh: the alignment counts 4 per edit, the unmatched rest of m 1 per
       byte (so "Xeon Gold 5218" beats "Xeon Gold 5218R" for "gold 5219"). */
    return best * 4u + (unsigned)(bn > an ? bn - an : an - bn);
}

/* ------------------------------------------------------------ signatures */

static unsigned sig_code(char c)
{
    if (c >= 'a' && c <= 'z')
        return (unsigned)(c - 'a');
    if (c >= '0' && c <= '9')
        return 26u + (unsigned)(c - '0');
    return 36u; /* '+' */
}

static uint64_t sig_bit1(char c) { return (uint64_t)1 << (sig_code(c) * 7u % 64u); }

static uint64_t sig_bit2(char a, char b)
{
    uint32_t h = (sig_code(a) * 37u + sig_code(b) + 1u) * 2654435761u;
    return (uint64_t)1 << (h >> 26);
}

uint64_t est__hw_sig(const char *w, int as_model)
{
    uint64_t s = 0;
    char prev = '\0';
    for (; *w; w++) {
        char c = *w;
        if (c == ' ') {
            if (!as_model)
                prev = '\0'; /* a query word never spans words */
            continue;
        }
        s |= sig_bit1(c);
        if (prev)
            s |= sig_bit2(prev, c);
        prev = c;
    }
    return s;
}
