/* PNG and PGM: every pixel format libpng can write, resolution, broken files, limits. */
#include <png.h>
#include <unistd.h>
#include <zlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_io.h"
#include "pgm_io.h"
#include "png_io.h"
#include "test_common.h"

typedef struct { mnt_buf *b; } sink;

static void sink_write(png_structp png, png_bytep p, size_t n)
{
    sink *s = png_get_io_ptr(png);
    mnt_buf_put(s->b, p, n);
}
static void sink_flush(png_structp png) { (void)png; }

/* Writes a w x h PNG of the given colour type / depth with libpng directly. Sample
 * value at (x,y) = grey level g(x,y) in [0,1] spread over every channel. */
static void make_png(mnt_buf *b, int w, int h, int ctype, int depth, int ppm, int interlace)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    sink s = {b};
    png_set_write_fn(png, &s, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, ctype,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, 0, 0);
    png_color pal[256];
    if (ctype == PNG_COLOR_TYPE_PALETTE) {
        for (int i = 0; i < 256; i++) pal[i].red = pal[i].green = pal[i].blue = (png_byte)i;
        png_set_PLTE(png, info, pal, 1 << depth);
    }
    if (ppm) png_set_pHYs(png, info, (png_uint_32)ppm, (png_uint_32)ppm, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    int channels = ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_PALETTE ? 1
                   : ctype == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : ctype == PNG_COLOR_TYPE_RGB ? 3 : 4;
    int bpp_bits = channels * depth;
    size_t rowbytes = ((size_t)w * (size_t)bpp_bits + 7) / 8;
    png_bytep row = calloc(1, rowbytes);
    png_bytep *rows = malloc((size_t)h * sizeof *rows);
    unsigned maxv = (1u << depth) - 1;
    for (int y = 0; y < h; y++) {
        rows[y] = malloc(rowbytes);
        memset(rows[y], 0, rowbytes);
        for (int x = 0; x < w; x++) {
            unsigned v = (unsigned)((x + y) % (int)(maxv + 1));
            for (int c = 0; c < channels; c++) {
                unsigned sv = (c == 3 || (channels == 2 && c == 1)) ? maxv : v; /* alpha opaque */
                size_t bit = ((size_t)x * (size_t)channels + (size_t)c) * (size_t)depth;
                if (depth == 16) {
                    rows[y][bit / 8] = (png_byte)(sv >> 8);
                    rows[y][bit / 8 + 1] = (png_byte)sv;
                } else if (depth == 8) {
                    rows[y][bit / 8] = (png_byte)sv;
                } else {
                    int shift = 8 - depth - (int)(bit % 8);
                    rows[y][bit / 8] |= (png_byte)(sv << shift);
                }
            }
        }
    }
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    for (int y = 0; y < h; y++) free(rows[y]);
    free(rows);
    free(row);
}

static void reads_every_pixel_format(void **state)
{
    (void)state;
    struct { int ctype, depth; } kinds[] = {
        {PNG_COLOR_TYPE_GRAY, 1}, {PNG_COLOR_TYPE_GRAY, 2}, {PNG_COLOR_TYPE_GRAY, 4},
        {PNG_COLOR_TYPE_GRAY, 8}, {PNG_COLOR_TYPE_GRAY, 16}, {PNG_COLOR_TYPE_GRAY_ALPHA, 8},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 16}, {PNG_COLOR_TYPE_RGB, 8}, {PNG_COLOR_TYPE_RGB, 16},
        {PNG_COLOR_TYPE_RGB_ALPHA, 8}, {PNG_COLOR_TYPE_RGB_ALPHA, 16}, {PNG_COLOR_TYPE_PALETTE, 1},
        {PNG_COLOR_TYPE_PALETTE, 4}, {PNG_COLOR_TYPE_PALETTE, 8}};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (int interlace = 0; interlace < 2; interlace++) {
            mnt_buf b = {0};
            make_png(&b, 37, 23, kinds[k].ctype, kinds[k].depth, 19685, interlace);
            mnt_image im;
            mnt_diag d = {0};
            int rc = mnt_png_decode(b.data, b.len, 0, &im, &d);
            if (rc) fail_msg("type %d depth %d: %s", kinds[k].ctype, kinds[k].depth, d.msg);
            assert_int_equal(im.width, 37);
            assert_int_equal(im.height, 23);
            assert_true(im.ppi > 499.9 && im.ppi < 500.1);
            unsigned maxv = (1u << kinds[k].depth) - 1;
            int bits = kinds[k].depth;
            if (kinds[k].ctype == PNG_COLOR_TYPE_PALETTE) maxv = (1u << bits) - 1;
            for (int y = 0; y < 23; y++)
                for (int x = 0; x < 37; x++) {
                    double want = (double)((x + y) % (int)(maxv + 1)) / maxv;
                    if (kinds[k].ctype == PNG_COLOR_TYPE_PALETTE) want = (double)((x + y) % (int)(maxv + 1)) / 255.0;
                    double got = im.px[y * 37 + x];
                    if (got < want - 0.01 || got > want + 0.01)
                        fail_msg("type %d depth %d at (%d,%d): %f != %f", kinds[k].ctype, kinds[k].depth, x, y, got, want);
                }
            mnt_image_free(&im);
            mnt_buf_free(&b);
        }
}

static void png_round_trip_with_resolution(void **state)
{
    (void)state;
    mnt_image im, back;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_alloc(&im, 64, 48, 0, &d), 0);
    for (int i = 0; i < 64 * 48; i++) im.px[i] = (float)(i % 256) / 255.0f;
    im.ppi = 1000;
    mnt_buf b = {0};
    assert_int_equal(mnt_png_encode_grey(&im, &b, &d), 0);
    assert_int_equal(mnt_png_decode(b.data, b.len, 0, &back, &d), 0);
    assert_true(back.ppi > 999.9 && back.ppi < 1000.1);
    assert_memory_equal(back.px, im.px, 64 * 48 * sizeof(float));
    mnt_image_free(&back);
    mnt_buf_free(&b);
    /* no pHYs: resolution unknown */
    im.ppi = 0;
    assert_int_equal(mnt_png_encode_grey(&im, &b, &d), 0);
    assert_int_equal(mnt_png_decode(b.data, b.len, 0, &back, &d), 0);
    assert_true(back.ppi == 0);
    mnt_image_free(&back);
    mnt_buf_free(&b);
    /* RGB */
    mnt_rgb_image rgb;
    assert_int_equal(mnt_rgb_alloc(&rgb, 10, 10, &d), 0);
    for (int i = 0; i < 300; i += 3) rgb.rgb[i] = 255;
    assert_int_equal(mnt_png_encode_rgb(&rgb, &b, &d), 0);
    assert_int_equal(mnt_png_decode(b.data, b.len, 0, &back, &d), 0);
    assert_true(back.px[0] > 0.2 && back.px[0] < 0.22); /* BT.709 red luminance */
    mnt_image_free(&back);
    mnt_buf_free(&b);
    mnt_rgb_free(&rgb);
    mnt_image_free(&im);
}

static void png_refuses_broken_files(void **state)
{
    (void)state;
    mnt_buf b = {0};
    make_png(&b, 40, 40, PNG_COLOR_TYPE_GRAY, 8, 0, 0);
    mnt_image im;
    mnt_diag d = {0};
    /* every truncation */
    for (size_t n = 0; n < b.len; n += 3) {
        int rc = mnt_png_decode(b.data, n, 0, &im, &d);
        if (rc == 0) fail_msg("truncated PNG of %zu bytes accepted", n);
        assert_true(d.msg[0]);
    }
    /* corrupt the image data */
    uint8_t *copy = malloc(b.len);
    memcpy(copy, b.data, b.len);
    for (size_t i = 60; i < b.len - 20; i++) copy[i] ^= 0x5A;
    assert_int_not_equal(mnt_png_decode(copy, b.len, 0, &im, &d), 0);
    /* pixel budget */
    assert_int_equal(mnt_png_decode(b.data, b.len, 1000, &im, &d), MNT_ERR_LIMIT);
    assert_non_null(strstr(d.msg, "budget"));
    /* width over the limit in the header (CRC fixed up) */
    memcpy(copy, b.data, b.len);
    copy[16] = 0x00; copy[17] = 0x00; copy[18] = 0x50; copy[19] = 0x00; /* width 20480 */
    uint32_t crc = (uint32_t)crc32(0, copy + 12, 17);
    copy[29] = (uint8_t)(crc >> 24); copy[30] = (uint8_t)(crc >> 16); copy[31] = (uint8_t)(crc >> 8); copy[32] = (uint8_t)crc;
    assert_int_not_equal(mnt_png_decode(copy, b.len, 0, &im, &d), 0);
    free(copy);
    assert_int_equal(mnt_png_decode((const uint8_t *)"not a png", 9, 0, &im, &d), MNT_ERR_FORMAT);
    mnt_buf_free(&b);
}

/* Issue 10: one size limit, one message, whatever the format (PNG said "Invalid IHDR
 * data"). */
static void size_limit_has_one_message(void **state)
{
    (void)state;
    mnt_buf b = {0};
    make_png(&b, 40, 40, PNG_COLOR_TYPE_GRAY, 8, 0, 0);
    static const uint32_t sizes[][2] = {{100000, 100000}, {16385, 10}, {10, 16385}, {2000000, 3}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint8_t *copy = malloc(b.len);
        memcpy(copy, b.data, b.len);
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 4; j++) copy[16 + 4 * k + j] = (uint8_t)(sizes[i][k] >> (24 - 8 * j));
        uint32_t crc = (uint32_t)crc32(0, copy + 12, 17);
        for (int j = 0; j < 4; j++) copy[29 + j] = (uint8_t)(crc >> (24 - 8 * j));
        mnt_image im;
        mnt_diag dp = {0}, dg = {0};
        assert_int_equal(mnt_png_decode(copy, b.len, 1u << 22, &im, &dp), MNT_ERR_LIMIT);
        char pgm[64];
        snprintf(pgm, sizeof pgm, "P5\n%u %u\n255\n", (unsigned)sizes[i][0], (unsigned)sizes[i][1]);
        assert_int_equal(mnt_pgm_decode((const uint8_t *)pgm, strlen(pgm), 1u << 22, &im, &dg), MNT_ERR_LIMIT);
        char want[96];
        snprintf(want, sizeof want, "image size %ux%u exceeds the limit of 16384 per side", (unsigned)sizes[i][0], (unsigned)sizes[i][1]);
        assert_string_equal(dp.msg, want);
        assert_string_equal(dg.msg, want);
        free(copy);
    }
    mnt_buf_free(&b);
}

static void pgm_formats(void **state)
{
    (void)state;
    mnt_image im, back;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_alloc(&im, 13, 7, 0, &d), 0);
    for (int i = 0; i < 91; i++) im.px[i] = (float)i / 90.0f;
    const int variants[4][2] = {{255, 0}, {255, 1}, {65535, 0}, {65535, 1}};
    for (int v = 0; v < 4; v++) {
        mnt_buf b = {0};
        assert_int_equal(mnt_pgm_encode(&im, variants[v][0], variants[v][1], &b, &d), 0);
        assert_int_equal(mnt_pgm_decode(b.data, b.len, 0, &back, &d), 0);
        assert_int_equal(back.width, 13);
        for (int i = 0; i < 91; i++) assert_true(back.px[i] > im.px[i] - 0.003f && back.px[i] < im.px[i] + 0.003f);
        mnt_image_free(&back);
        /* every truncation of the binary forms fails */
        if (!variants[v][1])
            for (size_t n = 0; n < b.len; n++)
                assert_int_not_equal(mnt_pgm_decode(b.data, n, 0, &back, &d), 0);
        mnt_buf_free(&b);
    }
    const char *bad[] = {"P5\n2 2\n0\n\0\0\0\0", "P5 2 2 255\n\1\2", "P2 2 2 10\n1 2 3 11", "P2 2 x 10",
                         "P5\n99999999 2\n255\n", "P2\n2 2\n65536\n0 0 0 0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_not_equal(mnt_pgm_decode((const uint8_t *)bad[i], strlen(bad[i]) + (i == 0 ? 4 : 0), 0, &back, &d), 0);
    const char *comment = "P2\n# a comment\n2 1\n# another\n255\n0 255\n";
    assert_int_equal(mnt_pgm_decode((const uint8_t *)comment, strlen(comment), 0, &back, &d), 0);
    assert_true(back.px[1] == 1.0f);
    mnt_image_free(&back);
    mnt_image_free(&im);
}

static void file_level_errors(void **state)
{
    (void)state;
    mnt_image im;
    mnt_diag d = {0};
    assert_int_equal(mnt_image_read("/nonexistent/x.png", 0, &im, &d), MNT_ERR_NOTFOUND);
    assert_int_equal(mnt_image_read("/", 0, &im, &d), MNT_ERR_IO);
    char path[] = "/tmp/mnt_test_img_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(mnt_image_alloc(&im, 5, 5, 0, &d), 0);
    im.ppi = 500;
    assert_int_equal(mnt_image_write(path, &im, &d), 0);
    mnt_image back;
    assert_int_equal(mnt_image_read(path, 0, &back, &d), 0);
    assert_true(back.ppi > 499 && back.ppi < 501);
    mnt_image_free(&back);
    mnt_image_free(&im);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_pixel_format),
        cmocka_unit_test(png_round_trip_with_resolution),
        cmocka_unit_test(png_refuses_broken_files),
        cmocka_unit_test(pgm_formats),
        cmocka_unit_test(size_limit_has_one_message),
        cmocka_unit_test(file_level_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
