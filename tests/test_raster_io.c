/* TIFF, JPEG and JPEG 2000 inputs: every variant is written in memory by the
 * library's own encoder and read back (exact for lossless, within a tolerance for
 * lossy), the resolution fields, and malformed files (truncated, corrupt, garbage,
 * declared sizes over the limits) refused with a message, without printing. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>
#include <openjpeg.h>
#include <tiffio.h>

#include "image_io.h"
#include "jp2_io.h"
#include "jpeg_io.h"
#include "test_common.h"
#include "tiff_io.h"

/* ---------- helpers ---------- */

#define assert_near(a, b, eps)                                                          \
    do {                                                                                \
        double a_ = (a), b_ = (b);                                                      \
        if (fabs(a_ - b_) > (eps)) fail_msg("%s = %.9g, expected %.9g", #a, a_, b_);    \
    } while (0)

/* stderr goes to a scratch file between capture_begin and capture_end, which returns
 * how many bytes were printed: decoders must print nothing. */
static int saved_stderr = -1;
static FILE *capture_file;
static void capture_begin(void)
{
    fflush(stderr);
    capture_file = tmpfile();
    assert_non_null(capture_file);
    saved_stderr = dup(2);
    dup2(fileno(capture_file), 2);
}
static long capture_end(void)
{
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    long n = (long)lseek(fileno(capture_file), 0, SEEK_END);
    fclose(capture_file);
    return n;
}

/* Refused: the code, a message naming the format, no image, nothing printed. */
static void expect_refused(int (*decode)(const uint8_t *, size_t, size_t, mnt_image *, mnt_diag *),
                           const uint8_t *data, size_t len, size_t max_pixels, int want_code, const char *want_text,
                           const char *what)
{
    mnt_image im;
    mnt_diag d = {0};
    capture_begin();
    int rc = decode(data, len, max_pixels, &im, &d);
    long printed = capture_end();
    if (rc == 0) {
        mnt_image_free(&im);
        fail_msg("%s: accepted", what);
    }
    if (want_code && rc != want_code) fail_msg("%s: code %d, expected %d (%s)", what, rc, want_code, d.msg);
    if (!d.msg[0]) fail_msg("%s: no message", what);
    if (want_text && !strstr(d.msg, want_text)) fail_msg("%s: message '%s' lacks '%s'", what, d.msg, want_text);
    if (printed) fail_msg("%s: the library printed %ld bytes", what, printed);
    assert_null(im.px);
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void put_le16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put_le32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }
static void put_be16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put_be32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (24 - 8 * i)); }

/* ---------- TIFF ---------- */

typedef struct {
    int w, h, bps, spp, photo, planar, comp, tile, rps, predictor, extra;
    float xres;
    int unit;
} tiff_spec;

/* Sample c of pixel (x,y): a pattern that visits every level, or (tv_smooth, for
 * lossy compression) a smooth one. */
static int tv_smooth;
static unsigned tv(int x, int y, int c, int bps)
{
    if (tv_smooth) return (unsigned)lrint(((1u << bps) - 1) * (0.5 + 0.35 * sin((x + 13 * c) / 6.0) * cos((y + 7 * c) / 9.0)));
    if (bps == 16) return (unsigned)(x * 997 + y * 331 + c * 7919) % 65536u;
    return (unsigned)(x * 7 + y * 3 + c * 50) % (1u << bps);
}

static void pack(uint8_t *row, size_t s, unsigned v, int bps)
{
    if (bps == 16) {
        uint16_t u = (uint16_t)v; /* libtiff takes host order */
        memcpy(row + 2 * s, &u, 2);
    } else if (bps == 8) {
        row[s] = (uint8_t)v;
    } else {
        size_t bit = s * (size_t)bps;
        row[bit / 8] |= (uint8_t)(v << (8 - bps - (int)(bit % 8)));
    }
}

static void read_whole(const char *path, mnt_buf *out)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) mnt_buf_put(out, tmp, n);
    fclose(f);
}

static void make_tiff(mnt_buf *out, const tiff_spec *s)
{
    char path[] = "/tmp/test_raster_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    TIFF *t = TIFFOpen(path, "w");
    assert_non_null(t);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)s->w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)s->h);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (uint16_t)s->bps);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)s->spp);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, (uint16_t)s->photo);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, (uint16_t)(s->planar ? s->planar : PLANARCONFIG_CONTIG));
    TIFFSetField(t, TIFFTAG_COMPRESSION, (uint16_t)s->comp);
    if (s->predictor) TIFFSetField(t, TIFFTAG_PREDICTOR, (uint16_t)s->predictor);
    if (s->comp == COMPRESSION_JPEG) {
        TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
        if (s->photo == PHOTOMETRIC_YCBCR) TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB); /* feeds RGB */
    }
    if (s->extra) {
        uint16_t es[1] = {EXTRASAMPLE_UNASSALPHA};
        TIFFSetField(t, TIFFTAG_EXTRASAMPLES, (uint16_t)1, es);
    }
    if (s->xres > 0) {
        TIFFSetField(t, TIFFTAG_XRESOLUTION, s->xres);
        TIFFSetField(t, TIFFTAG_YRESOLUTION, s->xres);
        TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, (uint16_t)s->unit);
    }
    int separate = s->planar == PLANARCONFIG_SEPARATE;
    int nplanes = separate ? s->spp : 1, cspp = separate ? 1 : s->spp;
    if (s->tile) {
        TIFFSetField(t, TIFFTAG_TILEWIDTH, (uint32_t)s->tile);
        TIFFSetField(t, TIFFTAG_TILELENGTH, (uint32_t)s->tile);
        size_t rowbytes = ((size_t)s->tile * (size_t)cspp * (size_t)s->bps + 7) / 8;
        uint8_t *buf = malloc(rowbytes * (size_t)s->tile);
        for (int p = 0; p < nplanes; p++)
            for (int ty = 0; ty < s->h; ty += s->tile)
                for (int tx = 0; tx < s->w; tx += s->tile) {
                    memset(buf, 0, rowbytes * (size_t)s->tile);
                    for (int y = 0; y < s->tile; y++)
                        for (int x = 0; x < s->tile; x++)
                            for (int c = 0; c < cspp; c++)
                                if (tx + x < s->w && ty + y < s->h)
                                    pack(buf + (size_t)y * rowbytes, (size_t)x * (size_t)cspp + (size_t)c,
                                         tv(tx + x, ty + y, separate ? p : c, s->bps), s->bps);
                    uint32_t tile = TIFFComputeTile(t, (uint32_t)tx, (uint32_t)ty, 0, (uint16_t)p);
                    assert_true(TIFFWriteEncodedTile(t, tile, buf, (tmsize_t)(rowbytes * (size_t)s->tile)) >= 0);
                }
        free(buf);
    } else {
        int rps = s->rps ? s->rps : s->h;
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)rps);
        size_t rowbytes = ((size_t)s->w * (size_t)cspp * (size_t)s->bps + 7) / 8;
        uint8_t *buf = calloc(rowbytes, (size_t)s->h);
        int strips = (s->h + rps - 1) / rps;
        for (int p = 0; p < nplanes; p++) {
            memset(buf, 0, rowbytes * (size_t)s->h);
            for (int y = 0; y < s->h; y++)
                for (int x = 0; x < s->w; x++)
                    for (int c = 0; c < cspp; c++)
                        pack(buf + (size_t)y * rowbytes, (size_t)x * (size_t)cspp + (size_t)c,
                             tv(x, y, separate ? p : c, s->bps), s->bps);
            for (int i = 0; i < strips; i++) {
                int rows = s->h - i * rps < rps ? s->h - i * rps : rps;
                assert_true(TIFFWriteEncodedStrip(t, (uint32_t)(p * strips + i), buf + (size_t)i * (size_t)rps * rowbytes,
                                                  (tmsize_t)((size_t)rows * rowbytes)) >= 0);
            }
        }
        free(buf);
    }
    TIFFClose(t);
    read_whole(path, out);
    unlink(path);
}

static double tiff_expect(const tiff_spec *s, int x, int y)
{
    double maxv = (double)((1u << s->bps) - 1), g;
    if (s->photo == PHOTOMETRIC_RGB || s->photo == PHOTOMETRIC_YCBCR)
        g = (0.2126 * tv(x, y, 0, s->bps) + 0.7152 * tv(x, y, 1, s->bps) + 0.0722 * tv(x, y, 2, s->bps)) / maxv;
    else
        g = tv(x, y, 0, s->bps) / maxv;
    return s->photo == PHOTOMETRIC_MINISWHITE ? 1.0 - g : g;
}

static double tiff_tolerance = 1e-6;
static void check_tiff(const tiff_spec *s, const char *what)
{
    mnt_buf b = {0};
    make_tiff(&b, s);
    mnt_image im;
    mnt_diag d = {0};
    capture_begin();
    int rc = mnt_tiff_decode(b.data, b.len, 0, &im, &d);
    long printed = capture_end();
    if (rc) fail_msg("%s: %s", what, d.msg);
    if (printed) fail_msg("%s: printed %ld bytes", what, printed);
    assert_int_equal(im.width, s->w);
    assert_int_equal(im.height, s->h);
    double worst = 0;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            double e = fabs(im.px[(size_t)y * (size_t)s->w + (size_t)x] - tiff_expect(s, x, y));
            if (e > worst) worst = e;
            if (e > tiff_tolerance)
                fail_msg("%s at (%d,%d): %f != %f", what, x, y, im.px[(size_t)y * (size_t)s->w + (size_t)x],
                         tiff_expect(s, x, y));
        }
    mnt_image_free(&im);
    mnt_buf_free(&b);
}

static void tiff_every_variant(void **state)
{
    (void)state;
    enum { G = PHOTOMETRIC_MINISBLACK, W = PHOTOMETRIC_MINISWHITE, C = PHOTOMETRIC_RGB, SEP = PLANARCONFIG_SEPARATE };
    struct { tiff_spec s; const char *what; } v[] = {
        {{37, 23, 8, 1, G, 0, COMPRESSION_NONE, 0, 5, 0, 0, 0, 0}, "grey 8 none strips of 5"},
        {{37, 23, 16, 1, G, 0, COMPRESSION_LZW, 0, 4, 0, 0, 0, 0}, "grey 16 LZW strips"},
        {{37, 23, 16, 1, G, 0, COMPRESSION_LZW, 0, 0, PREDICTOR_HORIZONTAL, 0, 0, 0}, "grey 16 LZW predictor"},
        {{37, 23, 8, 1, G, 0, COMPRESSION_ADOBE_DEFLATE, 16, 0, 0, 0, 0, 0}, "grey 8 Deflate tiles 16"},
        {{37, 23, 8, 1, G, 0, COMPRESSION_PACKBITS, 0, 7, 0, 0, 0, 0}, "grey 8 PackBits"},
        {{37, 23, 8, 1, W, 0, COMPRESSION_NONE, 0, 0, 0, 0, 0, 0}, "min-is-white 8"},
        {{37, 23, 1, 1, W, 0, COMPRESSION_PACKBITS, 0, 3, 0, 0, 0, 0}, "min-is-white 1-bit"},
        {{37, 23, 4, 1, G, 0, COMPRESSION_LZW, 0, 0, 0, 0, 0, 0}, "grey 4-bit"},
        {{37, 23, 8, 2, G, 0, COMPRESSION_LZW, 0, 0, 0, 1, 0, 0}, "grey + alpha"},
        {{37, 23, 8, 3, C, 0, COMPRESSION_LZW, 0, 6, PREDICTOR_HORIZONTAL, 0, 0, 0}, "RGB 8 contiguous LZW"},
        {{37, 23, 8, 4, C, 0, COMPRESSION_NONE, 0, 0, 0, 1, 0, 0}, "RGBA 8"},
        {{37, 23, 16, 3, C, SEP, COMPRESSION_ADOBE_DEFLATE, 16, 0, 0, 0, 0, 0}, "RGB 16 separate Deflate tiles"},
        {{37, 23, 8, 3, C, SEP, COMPRESSION_PACKBITS, 0, 5, 0, 0, 0, 0}, "RGB 8 separate PackBits strips"},
        {{40, 32, 16, 1, W, 0, COMPRESSION_ADOBE_DEFLATE, 16, 0, 0, 0, 0, 0}, "min-is-white 16 tiles, exact fit"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) check_tiff(&v[i].s, v[i].what);
}

/* JPEG-in-TIFF: grey, and YCbCr (subsampled 2x2) that libjpeg returns to RGB; lossy. */
static void tiff_jpeg_compressed(void **state)
{
    (void)state;
    tv_smooth = 1;
    tiff_tolerance = 0.05;
    tiff_spec g = {48, 32, 8, 1, PHOTOMETRIC_MINISBLACK, 0, COMPRESSION_JPEG, 0, 16, 0, 0, 0, 0};
    check_tiff(&g, "grey JPEG strips");
    tiff_spec c = {48, 32, 8, 3, PHOTOMETRIC_YCBCR, 0, COMPRESSION_JPEG, 0, 16, 0, 0, 0, 0};
    check_tiff(&c, "YCbCr JPEG strips");
    tiff_spec t = {48, 40, 8, 3, PHOTOMETRIC_YCBCR, 0, COMPRESSION_JPEG, 16, 0, 0, 0, 0, 0};
    check_tiff(&t, "YCbCr JPEG tiles");
    tv_smooth = 0;
    tiff_tolerance = 1e-6;
}

static double tiff_ppi(float xres, int unit)
{
    tiff_spec s = {20, 10, 8, 1, PHOTOMETRIC_MINISBLACK, 0, COMPRESSION_NONE, 0, 0, 0, 0, xres, unit};
    mnt_buf b = {0};
    make_tiff(&b, &s);
    mnt_image im;
    mnt_diag d = {0};
    if (mnt_tiff_decode(b.data, b.len, 0, &im, &d)) fail_msg("%s", d.msg);
    double ppi = im.ppi;
    mnt_image_free(&im);
    mnt_buf_free(&b);
    return ppi;
}

static void tiff_resolution(void **state)
{
    (void)state;
    assert_near(tiff_ppi(1000, RESUNIT_INCH), 1000.0, 1e-9);
    assert_near(tiff_ppi(196.85f, RESUNIT_CENTIMETER), 500.0, 1e-9);
    assert_near(tiff_ppi(500, RESUNIT_NONE), 0.0, 1e-9);
    assert_near(tiff_ppi(0, 0), 0.0, 1e-9);
}

static void tiff_second_page_noted(void **state)
{
    (void)state;
    char path[] = "/tmp/test_raster_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    TIFF *t = TIFFOpen(path, "w");
    uint8_t row[8];
    for (int page = 0; page < 2; page++) {
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)8);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)2);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (uint16_t)8);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, (uint16_t)PHOTOMETRIC_MINISBLACK);
        for (uint32_t y = 0; y < 2; y++) {
            memset(row, page ? 200 : 10, sizeof row);
            TIFFWriteScanline(t, row, y, 0);
        }
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    mnt_buf b = {0};
    read_whole(path, &b);
    unlink(path);
    mnt_image im;
    mnt_diag d = {0};
    assert_int_equal(mnt_tiff_decode(b.data, b.len, 0, &im, &d), 0);
    assert_near(im.px[0], 10 / 255.0, 1e-6); /* the first page */
    assert_non_null(strstr(d.warn, "more than one page"));
    mnt_image_free(&im);
    mnt_buf_free(&b);
}

/* Offset of the IFD entry of tag in a little-endian classic TIFF. */
static size_t tiff_entry(const mnt_buf *b, unsigned tag)
{
    assert_true(b->data[0] == 'I');
    uint32_t ifd = le32(b->data + 4);
    unsigned n = le16(b->data + ifd);
    for (unsigned i = 0; i < n; i++) {
        size_t e = ifd + 2 + 12 * (size_t)i;
        if (le16(b->data + e) == tag) return e;
    }
    fail_msg("tag %u not found", tag);
    return 0;
}

static void tiff_set_tag(mnt_buf *b, unsigned tag, uint32_t v)
{
    size_t e = tiff_entry(b, tag);
    if (le16(b->data + e + 2) == 3) put_le16(b->data + e + 8, v);
    else put_le32(b->data + e + 8, v);
}

static void tiff_refuses_broken_files(void **state)
{
    (void)state;
    tiff_spec s = {64, 48, 8, 1, PHOTOMETRIC_MINISBLACK, 0, COMPRESSION_NONE, 0, 0, 0, 0, 500, RESUNIT_INCH};
    mnt_buf b = {0};
    make_tiff(&b, &s);
    /* the IFD is written last: half the file has no directory */
    expect_refused(mnt_tiff_decode, b.data, b.len / 2, 0, MNT_ERR_FORMAT, "TIFF", "TIFF cut in half");
    expect_refused(mnt_tiff_decode, b.data, 8, 0, MNT_ERR_FORMAT, "TIFF", "TIFF header only");
    /* the strip runs past the end of the file */
    mnt_buf c = {0};
    mnt_buf_put(&c, b.data, b.len);
    tiff_set_tag(&c, TIFFTAG_STRIPOFFSETS, (uint32_t)c.len - 100);
    expect_refused(mnt_tiff_decode, c.data, c.len, 0, MNT_ERR_FORMAT, "strip", "TIFF strip past the end");
    mnt_buf_free(&c);
    /* huge declared sizes: budget and per-side limit, refused before any pixel is read */
    mnt_buf_put(&c, b.data, b.len);
    tiff_set_tag(&c, TIFFTAG_IMAGEWIDTH, 16000);
    tiff_set_tag(&c, TIFFTAG_IMAGELENGTH, 16000);
    tiff_set_tag(&c, TIFFTAG_ROWSPERSTRIP, 16000);
    expect_refused(mnt_tiff_decode, c.data, c.len, 1000000, MNT_ERR_LIMIT, "TIFF: image of 16000x16000 pixels exceeds the budget", "TIFF over the budget");
    tiff_set_tag(&c, TIFFTAG_IMAGEWIDTH, 60000);
    expect_refused(mnt_tiff_decode, c.data, c.len, 0, MNT_ERR_LIMIT, "TIFF: image size 60000x16000 exceeds the limit", "TIFF over the side limit");
    mnt_buf_free(&c);
    /* no image area */
    mnt_buf_put(&c, b.data, b.len);
    tiff_set_tag(&c, TIFFTAG_IMAGEWIDTH, 0);
    expect_refused(mnt_tiff_decode, c.data, c.len, 0, 0, "TIFF", "TIFF of width 0");
    mnt_buf_free(&c);
    /* unsupported kinds say what they are */
    mnt_buf_put(&c, b.data, b.len);
    tiff_set_tag(&c, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_SEPARATED);
    expect_refused(mnt_tiff_decode, c.data, c.len, 0, MNT_ERR_UNSUPPORTED, "CMYK", "TIFF CMYK");
    mnt_buf_free(&c);
    /* garbage after a valid signature, and garbage outright */
    uint8_t g[300];
    for (size_t i = 0; i < sizeof g; i++) g[i] = (uint8_t)(i * 151 + 7);
    memcpy(g, "II*\0", 4);
    expect_refused(mnt_tiff_decode, g, sizeof g, 0, MNT_ERR_FORMAT, "TIFF", "TIFF garbage IFD");
    memcpy(g, "MM\0*", 4);
    expect_refused(mnt_tiff_decode, g, sizeof g, 0, MNT_ERR_FORMAT, "TIFF", "big-endian TIFF garbage");
    expect_refused(mnt_tiff_decode, g + 4, sizeof g - 4, 0, MNT_ERR_FORMAT, "TIFF", "no signature");
    mnt_buf_free(&b);
    /* corrupt LZW data: every strip byte replaced */
    s.comp = COMPRESSION_LZW;
    make_tiff(&b, &s);
    size_t off = le32(b.data + tiff_entry(&b, TIFFTAG_STRIPOFFSETS) + 8);
    size_t cnt = le32(b.data + tiff_entry(&b, TIFFTAG_STRIPBYTECOUNTS) + 8);
    if (le16(b.data + tiff_entry(&b, TIFFTAG_STRIPBYTECOUNTS) + 2) == 3) cnt = le16(b.data + tiff_entry(&b, TIFFTAG_STRIPBYTECOUNTS) + 8);
    for (size_t i = 0; i < cnt; i++) b.data[off + i] = 0xFF;
    expect_refused(mnt_tiff_decode, b.data, b.len, 0, MNT_ERR_FORMAT, "TIFF", "TIFF corrupt LZW");
    mnt_buf_free(&b);
}

/* ---------- JPEG ---------- */

static uint8_t jv(int x, int y, int c)
{
    double v = 128 + 90 * sin((x + 13 * c) / 6.0) * cos((y + 7 * c) / 9.0);
    return (uint8_t)lrint(v);
}

static void make_jpeg(mnt_buf *out, int w, int h, int colour, int progressive, int unit, int density)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &mem, &size);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = colour ? 3 : 1;
    c.in_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    c.write_JFIF_header = TRUE;
    c.density_unit = (UINT8)unit;
    c.X_density = c.Y_density = (UINT16)density;
    jpeg_start_compress(&c, TRUE);
    uint8_t *row = malloc((size_t)w * 3);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++)
            for (int k = 0; k < (colour ? 3 : 1); k++) row[x * (colour ? 3 : 1) + k] = jv(x, y, k);
        JSAMPROW r[1] = {row};
        jpeg_write_scanlines(&c, r, 1);
    }
    jpeg_finish_compress(&c);
    mnt_buf_put(out, mem, size);
    free(mem);
    free(row);
    jpeg_destroy_compress(&c);
}

static void check_jpeg(int colour, int progressive, const char *what)
{
    mnt_buf b = {0};
    make_jpeg(&b, 61, 45, colour, progressive, 1, 500);
    mnt_image im;
    mnt_diag d = {0};
    capture_begin();
    int rc = mnt_jpeg_decode(b.data, b.len, 0, &im, &d);
    long printed = capture_end();
    if (rc) fail_msg("%s: %s", what, d.msg);
    assert_int_equal(printed, 0);
    assert_int_equal(im.width, 61);
    assert_int_equal(im.height, 45);
    assert_near(im.ppi, 500.0, 1e-9);
    double worst = 0, sum = 0;
    for (int y = 0; y < 45; y++)
        for (int x = 0; x < 61; x++) {
            double want = colour ? (0.2126 * jv(x, y, 0) + 0.7152 * jv(x, y, 1) + 0.0722 * jv(x, y, 2)) / 255.0
                                 : jv(x, y, 0) / 255.0;
            double e = fabs(im.px[y * 61 + x] - want);
            sum += e;
            if (e > worst) worst = e;
        }
    if (worst > 0.06 || sum / (61 * 45) > 0.012)
        fail_msg("%s: error worst %.4f mean %.4f", what, worst, sum / (61 * 45));
    mnt_image_free(&im);
    mnt_buf_free(&b);
}

static void jpeg_every_variant(void **state)
{
    (void)state;
    check_jpeg(0, 0, "grey baseline");
    check_jpeg(1, 0, "colour baseline");
    check_jpeg(0, 1, "grey progressive");
    check_jpeg(1, 1, "colour progressive");
}

static double jpeg_ppi(int unit, int density)
{
    mnt_buf b = {0};
    make_jpeg(&b, 16, 16, 0, 0, unit, density);
    mnt_image im;
    mnt_diag d = {0};
    if (mnt_jpeg_decode(b.data, b.len, 0, &im, &d)) fail_msg("%s", d.msg);
    double ppi = im.ppi;
    mnt_image_free(&im);
    mnt_buf_free(&b);
    return ppi;
}

static void jpeg_resolution(void **state)
{
    (void)state;
    assert_near(jpeg_ppi(1, 1000), 1000.0, 1e-9);
    assert_near(jpeg_ppi(2, 197), 500.4, 1e-9); /* dots per cm, rounded to 0.1 ppi */
    assert_near(jpeg_ppi(0, 1), 0.0, 1e-9);     /* aspect ratio only */
}

/* Offset of the first SOFn marker's height field. */
static size_t jpeg_sof(const mnt_buf *b)
{
    for (size_t i = 2; i + 9 < b->len; i++)
        if (b->data[i] == 0xFF && (b->data[i + 1] == 0xC0 || b->data[i + 1] == 0xC2)) return i + 5;
    fail_msg("no SOF");
    return 0;
}

static void jpeg_refuses_broken_files(void **state)
{
    (void)state;
    mnt_buf b = {0};
    make_jpeg(&b, 64, 64, 1, 0, 1, 500);
    expect_refused(mnt_jpeg_decode, b.data, b.len / 2, 0, MNT_ERR_FORMAT, "Premature end", "JPEG cut in half");
    expect_refused(mnt_jpeg_decode, b.data, 40, 0, MNT_ERR_FORMAT, "JPEG", "JPEG header cut");
    mnt_buf c = {0};
    mnt_buf_put(&c, b.data, b.len);
    size_t sof = jpeg_sof(&c);
    put_be16(c.data + sof, 16000);
    put_be16(c.data + sof + 2, 16000);
    expect_refused(mnt_jpeg_decode, c.data, c.len, 1000000, MNT_ERR_LIMIT, "JPEG: image of 16000x16000 pixels exceeds the budget", "JPEG over the budget");
    put_be16(c.data + sof, 60000);
    expect_refused(mnt_jpeg_decode, c.data, c.len, 0, MNT_ERR_LIMIT, "JPEG: image size 16000x60000 exceeds the limit", "JPEG over the side limit");
    put_be16(c.data + sof, 0);
    expect_refused(mnt_jpeg_decode, c.data, c.len, 0, 0, "JPEG", "JPEG of height 0");
    mnt_buf_free(&c);
    /* entropy data overwritten: libjpeg warns of corrupt data, which is refused */
    mnt_buf_put(&c, b.data, b.len);
    for (size_t i = c.len / 2; i < c.len / 2 + 64; i++) c.data[i] = (uint8_t)(i * 37);
    expect_refused(mnt_jpeg_decode, c.data, c.len, 0, MNT_ERR_FORMAT, "corrupt JPEG", "JPEG corrupt entropy data");
    mnt_buf_free(&c);
    uint8_t g[200];
    for (size_t i = 0; i < sizeof g; i++) g[i] = (uint8_t)(i * 151 + 7);
    g[0] = 0xFF, g[1] = 0xD8, g[2] = 0xFF;
    expect_refused(mnt_jpeg_decode, g, sizeof g, 0, MNT_ERR_FORMAT, "JPEG", "JPEG garbage");
    expect_refused(mnt_jpeg_decode, g + 3, sizeof g - 3, 0, MNT_ERR_FORMAT, "JPEG", "no SOI");
    mnt_buf_free(&b);
}

/* A valid progressive JPEG of nscans scans (4 successive-approximation passes each for
 * DC and for every AC coefficient alone: 256 in all); libjpeg checks the script. */
static void make_many_scans_jpeg(mnt_buf *out)
{
    static jpeg_scan_info scans[256];
    int n = 0;
    for (int k = 0; k < 64; k++)
        for (int pass = 0; pass < 4; pass++) {
            jpeg_scan_info *si = &scans[n++];
            si->comps_in_scan = 1;
            si->component_index[0] = 0;
            si->Ss = si->Se = k;
            si->Ah = pass == 0 ? 0 : 4 - pass;
            si->Al = 3 - pass;
        }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    unsigned char *mem = NULL;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &mem, &size);
    c.image_width = 32;
    c.image_height = 32;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    c.scan_info = scans;
    c.num_scans = n;
    jpeg_start_compress(&c, TRUE);
    uint8_t row[32];
    for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) row[x] = jv(x, y, 0);
        JSAMPROW r[1] = {row};
        jpeg_write_scanlines(&c, r, 1);
    }
    jpeg_finish_compress(&c);
    mnt_buf_put(out, mem, size);
    free(mem);
    jpeg_destroy_compress(&c);
}

static void jpeg_refuses_endless_progression(void **state)
{
    (void)state;
    mnt_buf b = {0};
    make_many_scans_jpeg(&b);
    expect_refused(mnt_jpeg_decode, b.data, b.len, 0, MNT_ERR_FORMAT, "more than 200 progressive scans",
                   "JPEG of 256 scans");
    mnt_buf_free(&b);
}

/* ---------- JPEG 2000 ---------- */

typedef struct {
    mnt_buf *b;
    size_t pos;
} wstream;

static OPJ_SIZE_T ws_write(void *buf, OPJ_SIZE_T n, void *user)
{
    wstream *w = user;
    while (w->b->len < w->pos) mnt_buf_u8(w->b, 0);
    size_t over = w->b->len - w->pos;
    size_t k = n < over ? n : over;
    if (k) memcpy(w->b->data + w->pos, buf, k);
    mnt_buf_put(w->b, (const uint8_t *)buf + k, n - k);
    w->pos += n;
    return n;
}
static OPJ_OFF_T ws_skip(OPJ_OFF_T n, void *user)
{
    ((wstream *)user)->pos += (size_t)n;
    return n;
}
static OPJ_BOOL ws_seek(OPJ_OFF_T off, void *user)
{
    ((wstream *)user)->pos = (size_t)off;
    return OPJ_TRUE;
}

typedef struct {
    int jp2, w, h, ncomp, prec, sgnd, tile, lossy;
} j2k_spec;

static int j2v(const j2k_spec *s, int x, int y, int c)
{
    int maxv = (1 << s->prec) - 1, v;
    if (s->lossy) v = (int)lrint(maxv * (0.5 + 0.35 * sin((x + 13 * c) / 6.0) * cos((y + 7 * c) / 9.0)));
    else v = (x * 37 + y * 11 + c * 101) % (maxv + 1);
    return s->sgnd ? v - (1 << (s->prec - 1)) : v;
}

static void make_j2k(mnt_buf *out, const j2k_spec *s)
{
    opj_cparameters_t p;
    opj_set_default_encoder_parameters(&p);
    p.tcp_numlayers = 1;
    p.tcp_rates[0] = s->lossy ? 8 : 0;
    p.cp_disto_alloc = 1;
    p.irreversible = s->lossy;
    p.numresolution = 3;
    if (s->tile) {
        p.tile_size_on = OPJ_TRUE;
        p.cp_tdx = p.cp_tdy = s->tile;
    }
    p.tcp_mct = s->ncomp == 3 ? 1 : 0;
    opj_image_cmptparm_t cp[3];
    memset(cp, 0, sizeof cp);
    for (int i = 0; i < s->ncomp; i++) {
        cp[i].dx = cp[i].dy = 1;
        cp[i].w = (OPJ_UINT32)s->w;
        cp[i].h = (OPJ_UINT32)s->h;
        cp[i].prec = (OPJ_UINT32)s->prec;
        cp[i].sgnd = (OPJ_UINT32)s->sgnd;
    }
    opj_image_t *img = opj_image_create((OPJ_UINT32)s->ncomp, cp, s->ncomp == 3 ? OPJ_CLRSPC_SRGB : OPJ_CLRSPC_GRAY);
    assert_non_null(img);
    img->x0 = img->y0 = 0;
    img->x1 = (OPJ_UINT32)s->w;
    img->y1 = (OPJ_UINT32)s->h;
    for (int c = 0; c < s->ncomp; c++)
        for (int y = 0; y < s->h; y++)
            for (int x = 0; x < s->w; x++) img->comps[c].data[y * s->w + x] = j2v(s, x, y, c);
    opj_codec_t *codec = opj_create_compress(s->jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    assert_true(opj_setup_encoder(codec, &p, img));
    wstream w = {out, 0};
    opj_stream_t *st = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE);
    opj_stream_set_user_data(st, &w, NULL);
    opj_stream_set_write_function(st, ws_write);
    opj_stream_set_skip_function(st, ws_skip);
    opj_stream_set_seek_function(st, ws_seek);
    assert_true(opj_start_compress(codec, img, st));
    assert_true(opj_encode(codec, st));
    assert_true(opj_end_compress(codec, st));
    opj_stream_destroy(st);
    opj_destroy_codec(codec);
    opj_image_destroy(img);
}

static void check_j2k(const j2k_spec *s, const char *what)
{
    mnt_buf b = {0};
    make_j2k(&b, s);
    mnt_image im;
    mnt_diag d = {0};
    capture_begin();
    int rc = mnt_jp2_decode(b.data, b.len, 0, &im, &d);
    long printed = capture_end();
    if (rc) fail_msg("%s: %s", what, d.msg);
    assert_int_equal(printed, 0);
    assert_int_equal(im.width, s->w);
    assert_int_equal(im.height, s->h);
    assert_true(im.ppi == 0);
    double maxv = (double)((1 << s->prec) - 1), off = s->sgnd ? (double)(1 << (s->prec - 1)) : 0;
    double worst = 0;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            double want = s->ncomp == 3 ? (0.2126 * (j2v(s, x, y, 0) + off) + 0.7152 * (j2v(s, x, y, 1) + off) +
                                           0.0722 * (j2v(s, x, y, 2) + off)) / maxv
                                        : (j2v(s, x, y, 0) + off) / maxv;
            double e = fabs(im.px[y * s->w + x] - want);
            if (e > worst) worst = e;
        }
    if (worst > (s->lossy ? 0.05 : 1e-6)) fail_msg("%s: worst error %g", what, worst);
    mnt_image_free(&im);
    mnt_buf_free(&b);
}

static void jp2_every_variant(void **state)
{
    (void)state;
    struct { j2k_spec s; const char *what; } v[] = {
        {{0, 37, 23, 1, 8, 0, 0, 0}, "j2k grey 8 lossless"},
        {{1, 37, 23, 1, 8, 0, 0, 0}, "jp2 grey 8 lossless"},
        {{1, 37, 23, 1, 16, 0, 0, 0}, "jp2 grey 16 lossless"},
        {{0, 37, 23, 1, 12, 0, 16, 0}, "j2k grey 12 tiles of 16"},
        {{1, 37, 23, 1, 8, 1, 0, 0}, "jp2 grey 8 signed"},
        {{1, 37, 23, 3, 8, 0, 0, 0}, "jp2 RGB 8 lossless"},
        {{0, 37, 23, 3, 16, 0, 16, 0}, "j2k RGB 16 tiles"},
        {{1, 64, 48, 1, 8, 0, 0, 1}, "jp2 grey 8 lossy"},
        {{0, 64, 48, 3, 8, 0, 0, 1}, "j2k RGB 8 lossy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) check_j2k(&v[i].s, v[i].what);
}

/* Appends a 'res ' box (resc and/or resd, n / 1 * 10^e grid points per metre) inside
 * the jp2h box of a JP2 file; returns 0 if there is no jp2h. */
static void add_res_box(mnt_buf *b, unsigned resc_n, int resc_e, unsigned resd_n, int resd_e)
{
    size_t pos = 0;
    while (pos + 8 <= b->len) {
        uint32_t lbox = (uint32_t)b->data[pos] << 24 | (uint32_t)b->data[pos + 1] << 16 | (uint32_t)b->data[pos + 2] << 8 | b->data[pos + 3];
        if (memcmp(b->data + pos + 4, "jp2h", 4) == 0) {
            uint8_t box[8 + 36];
            size_t n = 8;
            unsigned vals[2][2] = {{resc_n, (unsigned)resc_e}, {resd_n, (unsigned)resd_e}};
            const char *names[2] = {"resc", "resd"};
            for (int k = 0; k < 2; k++) {
                if (!vals[k][0]) continue;
                put_be32(box + n, 18);
                memcpy(box + n + 4, names[k], 4);
                put_be16(box + n + 8, vals[k][0]);  /* vertical N */
                put_be16(box + n + 10, 1);          /* vertical D */
                put_be16(box + n + 12, vals[k][0]); /* horizontal N */
                put_be16(box + n + 14, 1);
                box[n + 16] = (uint8_t)vals[k][1];
                box[n + 17] = (uint8_t)vals[k][1];
                n += 18;
            }
            put_be32(box, (uint32_t)n);
            memcpy(box + 4, "res ", 4);
            size_t at = pos + lbox;
            mnt_buf nb = {0};
            mnt_buf_put(&nb, b->data, at);
            mnt_buf_put(&nb, box, n);
            mnt_buf_put(&nb, b->data + at, b->len - at);
            put_be32(nb.data + pos, lbox + (uint32_t)n);
            mnt_buf_free(b);
            *b = nb;
            return;
        }
        pos += lbox;
    }
    fail_msg("no jp2h box");
}

static double jp2_ppi(unsigned resc_n, int resc_e, unsigned resd_n, int resd_e)
{
    j2k_spec s = {1, 16, 16, 1, 8, 0, 0, 0};
    mnt_buf b = {0};
    make_j2k(&b, &s);
    if (resc_n || resd_n) add_res_box(&b, resc_n, resc_e, resd_n, resd_e);
    mnt_image im;
    mnt_diag d = {0};
    if (mnt_jp2_decode(b.data, b.len, 0, &im, &d)) fail_msg("%s", d.msg);
    double ppi = im.ppi;
    mnt_image_free(&im);
    mnt_buf_free(&b);
    return ppi;
}

static void jp2_resolution(void **state)
{
    (void)state;
    assert_near(jp2_ppi(19685, 0, 0, 0), 500.0, 1e-9);     /* capture, points per metre */
    assert_near(jp2_ppi(0, 0, 3937, 1), 1000.0, 1e-9);     /* display only, with exponent */
    assert_near(jp2_ppi(39370, 0, 19685, 0), 1000.0, 1e-9); /* capture wins over display */
    assert_near(jp2_ppi(0, 0, 0, 0), 0.0, 1e-9);
}

static void jp2_refuses_broken_files(void **state)
{
    (void)state;
    j2k_spec s = {0, 64, 64, 1, 8, 0, 0, 0};
    mnt_buf b = {0};
    make_j2k(&b, &s);
    expect_refused(mnt_jp2_decode, b.data, b.len / 2, 0, MNT_ERR_FORMAT, "JPEG 2000", "j2k cut in half");
    expect_refused(mnt_jp2_decode, b.data, b.len - 2, 0, MNT_ERR_FORMAT, "JPEG 2000", "j2k without EOC");
    expect_refused(mnt_jp2_decode, b.data, 20, 0, MNT_ERR_FORMAT, "truncated", "j2k SIZ cut");
    mnt_buf c = {0};
    mnt_buf_put(&c, b.data, b.len);
    put_be32(c.data + 8, 16000);
    put_be32(c.data + 12, 16000);
    expect_refused(mnt_jp2_decode, c.data, c.len, 1000000, MNT_ERR_LIMIT, "JPEG 2000: image of 16000x16000 pixels exceeds the budget", "j2k over the budget");
    put_be32(c.data + 8, 100000);
    expect_refused(mnt_jp2_decode, c.data, c.len, 0, MNT_ERR_LIMIT, "JPEG 2000: image size 100000x16000 exceeds the limit", "j2k over the side limit");
    put_be32(c.data + 8, 4000);
    put_be32(c.data + 12, 4000);
    put_be32(c.data + 24, 1); /* 1x1 tiles: 16 million tile records */
    put_be32(c.data + 28, 1);
    expect_refused(mnt_jp2_decode, c.data, c.len, 0, MNT_ERR_LIMIT, "tiles", "j2k with millions of tiles");
    mnt_buf_free(&c);
    /* coded data overwritten */
    mnt_buf_put(&c, b.data, b.len);
    for (size_t i = c.len / 3; i < c.len - 2; i++) c.data[i] = 0xFF;
    expect_refused(mnt_jp2_decode, c.data, c.len, 0, MNT_ERR_FORMAT, "JPEG 2000", "j2k corrupt data");
    mnt_buf_free(&c);
    mnt_buf_free(&b);
    /* JP2 file: cut, and a box that claims more than the file */
    s.jp2 = 1;
    make_j2k(&b, &s);
    expect_refused(mnt_jp2_decode, b.data, b.len / 2, 0, MNT_ERR_FORMAT, "JPEG 2000", "jp2 cut in half");
    expect_refused(mnt_jp2_decode, b.data, 40, 0, MNT_ERR_FORMAT, "JP2", "jp2 boxes only");
    mnt_buf_put(&c, b.data, b.len);
    put_be32(c.data + 12, 0x7FFFFFF0); /* the ftyp box */
    expect_refused(mnt_jp2_decode, c.data, c.len, 0, MNT_ERR_FORMAT, "JP2", "jp2 box past the end");
    mnt_buf_free(&c);
    mnt_buf_free(&b);
    uint8_t g[300];
    for (size_t i = 0; i < sizeof g; i++) g[i] = (uint8_t)(i * 151 + 7);
    memcpy(g, "\xFF\x4F\xFF\x51", 4);
    expect_refused(mnt_jp2_decode, g, sizeof g, 0, 0, "JPEG 2000", "j2k garbage");
    memcpy(g, "\0\0\0\x0CjP  \r\n\x87\n", 12);
    expect_refused(mnt_jp2_decode, g, sizeof g, 0, MNT_ERR_FORMAT, "JP2", "jp2 garbage");
}

/* ---------- by content, through the one dispatch ---------- */

static void dispatch_by_content(void **state)
{
    (void)state;
    mnt_buf b[3] = {{0}, {0}, {0}};
    tiff_spec ts = {20, 10, 8, 1, PHOTOMETRIC_MINISBLACK, 0, COMPRESSION_LZW, 0, 0, 0, 0, 1000, RESUNIT_INCH};
    make_tiff(&b[0], &ts);
    make_jpeg(&b[1], 20, 10, 0, 1, 1, 1000);
    j2k_spec js = {1, 20, 10, 1, 8, 0, 0, 0};
    make_j2k(&b[2], &js);
    add_res_box(&b[2], 39370, 0, 0, 0);
    assert_true(mnt_is_tiff(b[0].data, b[0].len) && !mnt_is_jpeg(b[0].data, b[0].len) && !mnt_is_jp2(b[0].data, b[0].len));
    assert_true(mnt_is_jpeg(b[1].data, b[1].len) && !mnt_is_tiff(b[1].data, b[1].len) && !mnt_is_jp2(b[1].data, b[1].len));
    assert_true(mnt_is_jp2(b[2].data, b[2].len) && !mnt_is_tiff(b[2].data, b[2].len) && !mnt_is_jpeg(b[2].data, b[2].len));
    for (int k = 0; k < 3; k++) {
        mnt_image im;
        mnt_diag d = {0};
        if (mnt_image_decode(b[k].data, b[k].len, 0, &im, &d)) fail_msg("format %d: %s", k, d.msg);
        assert_int_equal(im.width, 20);
        assert_int_equal(im.height, 10);
        assert_near(im.ppi, 1000.0, 1e-9);
        mnt_image_free(&im);
        /* and from a file, whatever its name */
        char path[] = "/tmp/test_raster_XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, b[k].data, b[k].len), (ssize_t)b[k].len);
        close(fd);
        if (mnt_image_read(path, 0, &im, &d)) fail_msg("read %d: %s", k, d.msg);
        assert_int_equal(im.width, 20);
        mnt_image_free(&im);
        /* the budget holds through the dispatch too */
        assert_int_equal(mnt_image_read(path, 199, &im, &d), MNT_ERR_LIMIT);
        assert_non_null(strstr(d.msg, "budget"));
        unlink(path);
        mnt_buf_free(&b[k]);
    }
    mnt_image im;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_decode((const uint8_t *)"GIF89a....", 10, 0, &im, &d), MNT_ERR_FORMAT);
    assert_non_null(strstr(d.msg, "TIFF, JPEG, JPEG 2000"));
}

/* ---------- robustness: mutated files, and threads ---------- */

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void make_samples(mnt_buf b[4])
{
    tiff_spec ts = {37, 23, 8, 3, PHOTOMETRIC_RGB, 0, COMPRESSION_LZW, 16, 0, PREDICTOR_HORIZONTAL, 0, 300, RESUNIT_INCH};
    make_tiff(&b[0], &ts);
    make_jpeg(&b[1], 37, 23, 1, 1, 1, 500);
    j2k_spec js = {1, 37, 23, 3, 8, 0, 16, 0};
    make_j2k(&b[2], &js);
    js.jp2 = 0;
    js.ncomp = 1;
    make_j2k(&b[3], &js);
}

/* Bytes flipped, runs overwritten, files cut: each mutant is decoded or refused with a
 * message, and nothing is printed (under the ASan build: no memory error either). */
static void mutated_files_never_crash(void **state)
{
    (void)state;
    mnt_buf b[4] = {{0}, {0}, {0}, {0}};
    make_samples(b);
    uint32_t seed = 12345;
    int decoded = 0, refused = 0;
    capture_begin();
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 1000; i++) {
            mnt_buf m = {0};
            mnt_buf_put(&m, b[k].data, b[k].len);
            size_t len = m.len;
            int op = (int)(lcg(&seed) % 3);
            if (op == 0) {
                int n = 1 + (int)(lcg(&seed) % 8);
                for (int j = 0; j < n; j++) m.data[lcg(&seed) % len] ^= (uint8_t)(1u << (lcg(&seed) % 8));
            } else if (op == 1) {
                size_t at = lcg(&seed) % len, n = 1 + lcg(&seed) % 16;
                uint8_t v = (uint8_t)(lcg(&seed) & 1 ? 0xFF : 0x00);
                for (size_t j = at; j < at + n && j < len; j++) m.data[j] = v;
            } else {
                len = 1 + lcg(&seed) % (len - 1);
            }
            mnt_image im;
            mnt_diag d = {0};
            int rc = mnt_image_decode(m.data, len, 1u << 20, &im, &d);
            if (rc == 0) {
                decoded++;
                assert_true(im.width > 0 && im.height > 0 && im.px);
                for (size_t p = 0; p < (size_t)im.width * (size_t)im.height; p++)
                    if (!(im.px[p] >= 0 && im.px[p] <= 1)) fail_msg("format %d mutant %d: pixel %f", k, i, im.px[p]);
                mnt_image_free(&im);
            } else {
                refused++;
                if (!d.msg[0]) fail_msg("format %d mutant %d: refused (%d) without a message", k, i, rc);
                assert_null(im.px);
            }
            mnt_buf_free(&m);
        }
    long printed = capture_end();
    print_message("mutants: %d decoded, %d refused\n", decoded, refused);
    assert_int_equal(printed, 0);
    assert_true(refused > 1000);
    for (int k = 0; k < 4; k++) mnt_buf_free(&b[k]);
}

typedef struct {
    const mnt_buf *good;
    size_t cut;
    const char *name;
    int failures;
} thread_job;

static void *decode_loop(void *arg)
{
    thread_job *j = arg;
    for (int i = 0; i < 150; i++) {
        mnt_image im;
        mnt_diag d = {0};
        if (mnt_image_decode(j->good->data, j->good->len, 0, &im, &d) == 0) mnt_image_free(&im);
        else j->failures++;
        mnt_diag e = {0};
        if (mnt_image_decode(j->good->data, j->cut, 0, &im, &e) == 0) {
            mnt_image_free(&im);
            j->failures++;
        } else if (strncmp(e.msg, j->name, strlen(j->name)) != 0 && !strstr(e.msg, j->name)) {
            j->failures++; /* another thread's message */
        }
    }
    return NULL;
}

/* Library messages are per call: four threads decoding good and cut files of four
 * formats at once each get their own results and messages. */
static void threads_keep_their_messages(void **state)
{
    (void)state;
    mnt_buf b[4] = {{0}, {0}, {0}, {0}};
    make_samples(b);
    thread_job jobs[4] = {{&b[0], 0, "TIFF", 0}, {&b[1], 0, "JPEG:", 0}, {&b[2], 0, "JPEG 2000", 0}, {&b[3], 0, "JPEG 2000", 0}};
    jobs[0].cut = b[0].len / 2;
    jobs[1].cut = b[1].len / 2;
    jobs[2].cut = b[2].len * 2 / 3;
    jobs[3].cut = b[3].len * 2 / 3;
    pthread_t t[4];
    capture_begin();
    for (int k = 0; k < 4; k++) assert_int_equal(pthread_create(&t[k], NULL, decode_loop, &jobs[k]), 0);
    for (int k = 0; k < 4; k++) pthread_join(t[k], NULL);
    assert_int_equal(capture_end(), 0);
    for (int k = 0; k < 4; k++) {
        if (jobs[k].failures) fail_msg("thread %d (%s): %d wrong results", k, jobs[k].name, jobs[k].failures);
        mnt_buf_free(&b[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tiff_every_variant),
        cmocka_unit_test(tiff_jpeg_compressed),
        cmocka_unit_test(tiff_resolution),
        cmocka_unit_test(tiff_refuses_broken_files),
        cmocka_unit_test(tiff_second_page_noted),
        cmocka_unit_test(jpeg_every_variant),
        cmocka_unit_test(jpeg_resolution),
        cmocka_unit_test(jpeg_refuses_broken_files),
        cmocka_unit_test(jpeg_refuses_endless_progression),
        cmocka_unit_test(jp2_every_variant),
        cmocka_unit_test(jp2_resolution),
        cmocka_unit_test(jp2_refuses_broken_files),
        cmocka_unit_test(dispatch_by_content),
        cmocka_unit_test(mutated_files_never_crash),
        cmocka_unit_test(threads_keep_their_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
