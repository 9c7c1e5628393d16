/* Helpers of the HTML report's browser tests (test_html*.c): whether a
 * browser or tool is there (fail in CI, skip elsewhere), and a small PNG
 * reader to count the pixels of a screenshot. */
#ifndef ECOEST_TEST_HTML_UTIL_H
#define ECOEST_TEST_HTML_UTIL_H

#include <stddef.h>

/* Whether the environment says this is CI: CI set, not empty, not "0" or
   "false" (GitHub Actions, GitLab and most others set CI=true). */
int html_in_ci(void);

/* The program path must be executable. When it is not: under CI the test
   fails (tools/check installs package, so its absence is a broken set-up);
   elsewhere the test is skipped with a message naming the package. */
void html_need_tool(const char *path, const char *package);

/* A decoded PNG: 8-bit RGB, row after row (3 bytes a pixel). */
typedef struct html_png {
    unsigned long width, height;
    unsigned char *rgb;
} html_png;

/* Reads an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium and Firefox
   write; alpha is composited on white). Fails the test on anything else.
   Skips (or fails under CI) when the tests were built without zlib. */
void html_png_read(const char *path, html_png *img);
void html_png_free(html_png *img);

/* Pixels darker than near-white (some channel below 240). */
size_t html_png_non_white(const html_png *img);
/* Pixels within tol of the colour #rrggbb on each channel. */
size_t html_png_near(const html_png *img, unsigned rgb, int tol);

#endif
