/* Helpers of the HTML report's browser tests: see html_util.h. */
#include <stdint.h>
#include <unistd.h>

#include "html_util.h"
#include "test_util.h"

#ifdef ECOEST_TEST_HAVE_ZLIB
#include <zlib.h>
#endif

int html_in_ci(void)
{
    const char *ci = getenv("CI");
    return ci && *ci && strcmp(ci, "0") != 0 && strcmp(ci, "false") != 0;
}

void html_need_tool(const char *path, const char *package)
{
    if (access(path, X_OK) == 0)
        return;
    if (html_in_ci())
        fail_msg("%s is absent under CI: tools/check installs Debian's %s (apt-get install "
                 "%s)",
                 path, package, package);
    print_message("SKIPPED: %s absent (apt-get install %s; under CI=true this fails)\n", path,
                  package);
    skip();
}

void html_png_free(html_png *img)
{
    free(img->rgb);
    img->rgb = NULL;
}

size_t html_png_non_white(const html_png *img)
{
    size_t i, n = 0, px = (size_t)img->width * img->height;
    for (i = 0; i < px; i++) {
        const unsigned char *p = img->rgb + 3 * i;
        n += p[0] < 240 || p[1] < 240 || p[2] < 240;
    }
    return n;
}

size_t html_png_near(const html_png *img, unsigned rgb, int tol)
{
    size_t i, n = 0, px = (size_t)img->width * img->height;
    int want[3] = {(int)(rgb >> 16 & 0xff), (int)(rgb >> 8 & 0xff), (int)(rgb & 0xff)};
    for (i = 0; i < px; i++) {
        const unsigned char *p = img->rgb + 3 * i;
        n += abs(p[0] - want[0]) <= tol && abs(p[1] - want[1]) <= tol &&
             abs(p[2] - want[2]) <= tol;
    }
    return n;
}

#ifdef ECOEST_TEST_HAVE_ZLIB
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
           (unsigned long)p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the row filters in place (raw: height rows of 1 + stride bytes). */
static void unfilter(unsigned char *raw, unsigned long height, size_t stride, size_t bpp)
{
    unsigned long y;
    size_t x;
    for (y = 0; y < height; y++) {
        unsigned char *row = raw + y * (stride + 1), *cur = row + 1;
        const unsigned char *up = y ? row - stride : NULL; /* the previous row's pixels */
        int type = row[0];
        if (type > 4)
            fail_msg("PNG row %lu: filter type %d", y, type);
        for (x = 0; x < stride; x++) {
            int a = x >= bpp ? cur[x - bpp] : 0, b = up ? up[x] : 0,
                c = up && x >= bpp ? up[x - bpp] : 0, v = cur[x];
            if (type == 1)
                v += a;
            else if (type == 2)
                v += b;
            else if (type == 3)
                v += (a + b) / 2;
            else if (type == 4)
                v += paeth(a, b, c);
            cur[x] = (unsigned char)v;
        }
    }
}

void html_png_read(const char *path, html_png *img)
{
    static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
    size_t len, pos = 8, idat_len = 0, stride, bpp = 0, i;
    unsigned char *file = (unsigned char *)test_read_file(path, &len), *idat = NULL, *raw;
    uLongf raw_len;
    unsigned long y;
    int depth = 0, ctype = -1, interlace = 0;
    memset(img, 0, sizeof *img);
    if (!file)
        fail_msg("no PNG %s", path);
    if (len < 8 || memcmp(file, sig, 8) != 0)
        fail_msg("%s is not a PNG", path);
    while (pos + 12 <= len) {
        unsigned long n = be32(file + pos);
        const unsigned char *type = file + pos + 4, *data = file + pos + 8;
        if (n > len - pos - 12)
            fail_msg("%s: chunk at %zu runs past the end", path, pos);
        if (memcmp(type, "IHDR", 4) == 0 && n >= 13) {
            img->width = be32(data);
            img->height = be32(data + 4);
            depth = data[8];
            ctype = data[9];
            interlace = data[12];
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = realloc(idat, idat_len + n + 1);
            assert_non_null(idat);
            memcpy(idat + idat_len, data, n);
            idat_len += n;
        } else if (memcmp(type, "IEND", 4) == 0)
            break;
        pos += 12 + n;
    }
    bpp = ctype == 2 ? 3 : ctype == 6 ? 4 : 0;
    if (depth != 8 || bpp == 0 || interlace != 0 || img->width == 0 || img->height == 0 ||
        img->width > 20000 || img->height > 100000 || !idat)
        fail_msg("%s: a PNG of %lux%lu, depth %d, colour type %d, interlace %d: not read "
                 "here",
                 path, img->width, img->height, depth, ctype, interlace);
    stride = (size_t)img->width * bpp;
    raw_len = (uLongf)((stride + 1) * img->height);
    raw = malloc(raw_len);
    assert_non_null(raw);
    if (uncompress(raw, &raw_len, idat, (uLong)idat_len) != Z_OK ||
        raw_len != (stride + 1) * img->height)
        fail_msg("%s: the image data does not inflate to %lu rows of %zu bytes", path,
                 img->height, stride + 1);
    unfilter(raw, img->height, stride, bpp);
    img->rgb = malloc((size_t)img->width * img->height * 3);
    assert_non_null(img->rgb);
    for (y = 0; y < img->height; y++) {
        const unsigned char *src = raw + y * (stride + 1) + 1;
        unsigned char *dst = img->rgb + (size_t)y * img->width * 3;
        for (i = 0; i < img->width; i++) {
            unsigned alpha = bpp == 4 ? src[4 * i + 3] : 255u;
            int c;
            for (c = 0; c < 3; c++) /* over white */
                dst[3 * i + (size_t)c] = (unsigned char)((src[bpp * i + (size_t)c] * alpha +
                                                          255u * (255u - alpha) + 127u) /
                                                         255u);
        }
    }
    free(raw);
    free(idat);
    free(file);
}
#else
void html_png_read(const char *path, html_png *img)
{
    memset(img, 0, sizeof *img);
    if (html_in_ci())
        fail_msg("cannot read %s: the tests were built without zlib (zlib1g-dev)", path);
    print_message("SKIPPED: the pixel check of %s needs zlib (apt-get install zlib1g-dev)\n",
                  path);
    skip();
}
#endif
