/* JPEG-like blocks: the quantisation tables are libjpeg's, the change of every pixel
 * stays within what quantising the coefficients can cause (a bound computed here from
 * the table), the change is block-aligned, and it shrinks with quality. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jpeg_blocks.h"
#include "mnt_math.h"
#include "rng.h"
#include "test_common.h"

static void tables_are_ijg(void **state)
{
    (void)state;
    int q[64];
    mnt_jpeg_table(50, q); /* Annex K as printed */
    assert_int_equal(q[0], 16);
    assert_int_equal(q[1], 11);
    assert_int_equal(q[8], 12);
    assert_int_equal(q[63], 99);
    mnt_jpeg_table(75, q); /* libjpeg's default quality: (16 * 50 + 50) / 100 */
    assert_int_equal(q[0], 8);
    assert_int_equal(q[63], 50);
    mnt_jpeg_table(10, q); /* scale 500 */
    assert_int_equal(q[0], 80);
    assert_int_equal(q[63], 255); /* clamped to 8 bits */
    mnt_jpeg_table(100, q);
    for (int i = 0; i < 64; i++) assert_int_equal(q[i], 1);
}

/* The largest change quantisation can cause at any pixel: the inverse DCT of errors of
 * at most q/2 per coefficient, each basis function at most C(u) C(v) / 4 in size, plus
 * the rounding to 8 bits; in grey levels 0..1. */
static double error_bound(int quality)
{
    int q[64];
    mnt_jpeg_table(quality, q);
    double b = 0;
    for (int v = 0; v < 8; v++)
        for (int u = 0; u < 8; u++) b += (u ? 1 : sqrt(0.5)) * (v ? 1 : sqrt(0.5)) / 4 * q[8 * v + u] / 2.0;
    return (b + 0.5) / 255.0 + 1e-6;
}

static void fill(float *px, int w, int h, int kind, mnt_rng *r)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double v;
            if (kind == 0) v = mnt_rng_uniform(r);                              /* white noise */
            else if (kind == 1) v = 0.5 + 0.4 * cos(2 * MNT_PI * (x * 0.8 + y * 0.6) / 9.0); /* ridges */
            else v = (double)(x + y) / (w + h);                                 /* ramp */
            px[(size_t)y * w + x] = (float)v;
        }
}

static void change_is_bounded(void **state)
{
    (void)state;
    const int w = 61, h = 45; /* partial blocks on both edges */
    float *a = malloc(sizeof(float) * w * h), *b = malloc(sizeof(float) * w * h);
    assert_non_null(a);
    assert_non_null(b);
    mnt_rng r;
    mnt_rng_seed(&r, 3, 4);
    const int qualities[] = {5, 20, 50, 75, 95, 100};
    for (int kind = 0; kind < 3; kind++) {
        double last_rms = 1e9;
        for (size_t k = 0; k < sizeof qualities / sizeof *qualities; k++) {
            fill(a, w, h, kind, &r);
            memcpy(b, a, sizeof(float) * w * h);
            mnt_diag d = {0};
            assert_int_equal(mnt_jpeg_blocks(b, w, h, qualities[k], &d), 0);
            double bound = error_bound(qualities[k]), worst = 0, sum = 0;
            for (int i = 0; i < w * h; i++) {
                double e = fabs((double)b[i] - a[i]);
                worst = e > worst ? e : worst;
                sum += e * e;
                /* 8-bit output */
                assert_true(fabs(b[i] * 255.0 - round(b[i] * 255.0)) < 1e-3);
            }
            double rms = sqrt(sum / (w * h));
            if (worst > bound) fail_msg("kind %d quality %d: change %.4f above the bound %.4f", kind, qualities[k], worst, bound);
            if (kind == 0 && qualities[k] < 100 && rms < (qualities[k] <= 50 ? 0.02 : 1e-3))
                fail_msg("quality %d leaves noise nearly unchanged (rms %.4f)", qualities[k], rms);
            if (rms > last_rms + 1e-3) fail_msg("kind %d: quality %d changes more than a lower one", kind, qualities[k]);
            last_rms = rms;
        }
    }
    free(a);
    free(b);
}

/* The change is made per 8x8 block from the top-left corner: a block's result depends
 * on that block only. */
static void blocks_are_aligned(void **state)
{
    (void)state;
    const int w = 32, h = 24;
    float a[32 * 24], b[32 * 24];
    mnt_rng r;
    mnt_rng_seed(&r, 9, 1);
    fill(a, w, h, 0, &r);
    memcpy(b, a, sizeof a);
    b[(size_t)12 * w + 19] = 1.0f - b[(size_t)12 * w + 19]; /* one pixel of block (2, 1) */
    assert_int_equal(mnt_jpeg_blocks(a, w, h, 30, NULL), 0);
    assert_int_equal(mnt_jpeg_blocks(b, w, h, 30, NULL), 0);
    int changed_inside = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int inside = x / 8 == 2 && y / 8 == 1, diff = a[y * w + x] != b[y * w + x];
            if (!inside && diff) fail_msg("pixel (%d, %d) outside the block changed", x, y);
            changed_inside += diff;
        }
    assert_true(changed_inside > 8);
    /* a flat block stays flat: only its DC term is non-zero */
    for (int i = 0; i < w * h; i++) a[i] = 0.3f;
    assert_int_equal(mnt_jpeg_blocks(a, w, h, 10, NULL), 0);
    for (int i = 1; i < w * h; i++) assert_true(a[i] == a[0]);
    assert_true(fabs(a[0] - 0.3) <= error_bound(10));
    assert_int_equal(mnt_jpeg_blocks(a, w, h, 0, NULL), MNT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_ijg),
        cmocka_unit_test(change_is_bounded),
        cmocka_unit_test(blocks_are_aligned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
